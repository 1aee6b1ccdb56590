//! Loading rosters from CSV and JSON, and every kind of bad entry.

use std::path::Path;

use xuncha_avoid::{Error, Kinship, Rank, Roster, RosterProblem, Skill};

use crate::common::{code, division, fujian, units};

const HEADER: &str = "id,name,origin,residence,workplace,posts,upbringing,relatives,declared,inspections,rank,skills\n";

fn load(rows: &str) -> Result<Roster, Error> {
    let csv = format!("{HEADER}{rows}");
    Roster::from_csv_reader(Path::new("roster.csv"), csv.as_bytes(), fujian(), units())
}

fn load_err(rows: &str) -> Error {
    load(rows).expect_err("the row is bad")
}

fn assert_at(err: &Error, line: u64, field: &str) {
    let location = err
        .location()
        .unwrap_or_else(|| panic!("no location: {err}"));
    assert_eq!(location.line, Some(line), "{err}");
    assert!(
        location
            .field
            .as_deref()
            .is_some_and(|f| f.starts_with(field)),
        "expected field {field}: {err}"
    );
}

const FULL: &str = "P1,王芳,350627,350628100201,unit:ph-finance,350681|副镇长|2014-03-01|2018-06-30;350627|镇长|2018-07-01|,350628100;350627,spouse|李强|unit:ph-civil|2015-01-01|;father|王建|350628||2010-12-31,350602|配偶原籍,350629|2023-05-01,正科级,finance-audit;纪检监察\n";

#[test]
fn a_full_row_loads_with_every_fact() {
    let roster = load(FULL).expect("valid row");
    let p = &roster.people()[0];
    assert_eq!(p.name, "王芳");
    assert_eq!(p.origin, code("350627"));
    assert_eq!(p.posts.len(), 2);
    assert_eq!(
        p.posts[0].place,
        division("350604"),
        "龙海市 resolved to 龙海区"
    );
    assert_eq!(p.posts[1].to, None, "ongoing");
    assert_eq!(p.upbringing.len(), 2);
    assert_eq!(p.relatives.len(), 2);
    assert_eq!(p.relatives[0].kinship, Kinship::Spouse);
    assert_eq!(p.relatives[1].posts[0].from, None);
    assert_eq!(p.declared[0].reason, "配偶原籍");
    assert_eq!(p.inspections[0].target.to_string(), "350629");
    assert_eq!(p.rank, Rank::SectionChief);
    assert_eq!(p.skills, [Skill::FinanceAudit, Skill::DisciplineInspection]);
}

#[test]
fn csv_and_json_round_trip() {
    let roster = load(FULL).expect("valid row");
    let mut csv = Vec::new();
    roster.write_csv(&mut csv).expect("write");
    let again = Roster::from_csv_reader(Path::new("again.csv"), csv.as_slice(), fujian(), units())
        .expect("reads back");
    assert_eq!(again.people(), roster.people());
    let json = serde_json::to_string(&roster).expect("serialise");
    let back = Roster::from_json_str(Path::new("roster.json"), &json, fujian(), units())
        .expect("reads back");
    assert_eq!(back.people(), roster.people());
}

/// Found by the `roster_csv` fuzz target: a name holding `|` (not a
/// separator in the name column) came back with a full-width `｜`.
#[test]
fn a_name_with_a_separator_round_trips_through_csv() {
    let roster = load("P0,李明|甥8;乙,350627,,,,,,,,clerk,\n").expect("valid row");
    assert_eq!(roster.people()[0].name, "李明|甥8;乙");
    let mut csv = Vec::new();
    roster.write_csv(&mut csv).expect("write");
    let again = Roster::from_csv_reader(Path::new("again.csv"), csv.as_slice(), fujian(), units())
        .expect("reads back");
    assert_eq!(again.people(), roster.people());
}

#[test]
fn an_unknown_code_names_the_row_and_field() {
    let err = load_err("P1,王芳,350627,,,350699|科员|2014-03-01|2018-06-30,,,,,,\n");
    assert_at(&err, 2, "posts (item 1)");
    assert!(
        matches!(
            err.roster_problem(),
            Some(RosterProblem::UnknownCode { .. })
        ),
        "{err}"
    );
    let err = load_err("P1,王芳,350627,35062x,,,,,,,,\n");
    assert_at(&err, 2, "residence");
}

#[test]
fn a_post_that_ends_before_it_begins_is_an_error() {
    let err = load_err("P1,王芳,350627,,,350628|科员|2018-03-01|2014-06-30,,,,,,\n");
    assert_at(&err, 2, "posts (item 1)");
    assert!(
        matches!(
            err.roster_problem(),
            Some(RosterProblem::EndBeforeStart { .. })
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_kinship_word_names_the_row_and_field() {
    let err = load_err("P1,王芳,350627,,,,,neighbour|张三|350628||,,,,\n");
    assert_at(&err, 2, "relatives");
    assert!(err.to_string().contains("neighbour"), "{err}");
}

#[test]
fn other_bad_entries_are_located() {
    for (row, field) in [
        ("P1,王芳,3506,,,,,,,,,\n", "origin"),
        ("P1,王芳,350627,,unit:nobody,,,,,,,\n", "workplace"),
        ("P1,王芳,350627,,,350628|科员|2014-13-01|,,,,,,\n", "posts"),
        ("P1,王芳,350627,,,350628|a|b|c|d|e,,,,,,\n", "posts"),
        ("P1,王芳,350627,,,,,,,,general,\n", "rank"),
        ("P1,王芳,350627,,,,,,,,,cooking\n", "skills"),
        ("P1,王芳,350627,,,,,,,350628,,\n", "inspections"),
        (",王芳,350627,,,,,,,,,\n", "id"),
    ] {
        let err = load_err(row);
        assert_at(&err, 2, field);
    }
    let err = load_err("P1,王芳,350627,,,,,,,,,\nP1,李四,350627,,,,,,,,,\n");
    assert_at(&err, 3, "id");
}

#[test]
fn bad_json_names_the_person_and_field() {
    let json = r#"{"version": 1, "people": [{"id": "P1", "name": "王芳", "origin": "350627", "posts": [{"place": "350699", "from": "2014-01-01"}]}]}"#;
    let err = Roster::from_json_str(Path::new("r.json"), json, fujian(), units())
        .expect_err("unknown code");
    let field = err
        .location()
        .and_then(|l| l.field.clone())
        .unwrap_or_default();
    assert!(
        field.contains("people[0]") && field.contains("posts"),
        "{err}"
    );
    let err = Roster::from_json_str(
        Path::new("r.json"),
        "{\"version\": 1, \"people\": [{]}",
        fujian(),
        units(),
    )
    .expect_err("malformed");
    assert!(
        matches!(err, Error::Json { .. }) && err.to_string().contains("line 1"),
        "{err}"
    );
}
