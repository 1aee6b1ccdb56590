//! The catalogue of malformed inputs under `testdata/bad/`: each file
//! gives the error it must, naming the file and the line or field.

use std::path::PathBuf;

use xuncha::assign::{Plan, Round, verify};
use xuncha::avoid::{Engine, Roster, RuleSet};
use xuncha::leads::{Ledger, SqliteStore};
use xuncha::{Hierarchy, Units};

fn bad(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/bad")
        .join(name)
}

fn roster(name: &str) -> Result<Roster, xuncha::avoid::Error> {
    Roster::from_csv_path(bad(name), &Hierarchy::fujian(), &Units::default())
}

/// The error's text names the file and each of `expect`.
fn says(err: &dyn std::error::Error, file: &str, expect: &[&str]) {
    let text = err.to_string();
    assert!(text.contains(file), "{text:?} does not name {file}");
    for part in expect {
        assert!(text.contains(part), "{text:?} does not say {part:?}");
    }
}

#[test]
fn every_malformed_roster_is_refused_with_its_file_line_and_field() {
    let cases: [(&str, &[&str]); 9] = [
        (
            "roster-nul-in-name.csv",
            &["line 2", "field `name`", "U+0000", "byte 3"],
        ),
        (
            "roster-stray-byte.csv",
            &[
                "line 2",
                "field `name`",
                "stray byte 0xC0",
                "byte 3",
                "not GBK",
            ],
        ),
        ("roster-empty.csv", &["line 1", "empty", "no header"]),
        (
            "roster-wrong-delimiter.csv",
            &[
                "line 1",
                "field `id`",
                "separated by ';'",
                "comma-separated",
            ],
        ),
        ("roster-gbk.csv", &["line 2", "field `name`", "GBK"]),
        (
            "roster-code-5-digits.csv",
            &["line 2", "field `origin`", "\"35062\"", "5 characters"],
        ),
        (
            "roster-date-feb-30.csv",
            &["line 2", "field `posts`", "2026-02-30"],
        ),
        (
            "roster-person-twice.csv",
            &["line 3", "field `id`", "\"P1\" appears again"],
        ),
        (
            "roster-unknown-kinship.csv",
            &[
                "line 2",
                "field `relatives`",
                "unknown kinship \"godmother\"",
            ],
        ),
    ];
    for (file, expect) in cases {
        let err = roster(file).expect_err(file);
        says(&err, file, expect);
    }
}

#[test]
fn a_byte_order_mark_is_read_and_a_header_alone_is_an_empty_roster() {
    let with_bom = roster("roster-utf8-bom.csv").unwrap();
    assert_eq!(with_bom.len(), 1);
    assert_eq!(with_bom.people()[0].name, "王芳");
    assert!(roster("roster-header-only.csv").unwrap().is_empty());
}

#[test]
fn a_cyclic_unit_parent_chain_is_refused() {
    let err =
        Units::from_csv_path(bad("units-cyclic-parent.csv"), &Hierarchy::fujian()).unwrap_err();
    says(
        &err,
        "units-cyclic-parent.csv",
        &["line 2", "field `parent`", "lead back"],
    );
}

#[test]
fn a_round_naming_a_county_twice_a_skill_twice_or_an_impossible_date_is_refused() {
    let err = Round::from_path(bad("round-county-twice.toml")).unwrap_err();
    says(
        &err,
        "round-county-twice.toml",
        &["line 11", "targets[2]", "350628", "already targets[0]"],
    );
    let err = Round::from_path(bad("round-date-feb-30.toml")).unwrap_err();
    says(&err, "round-date-feb-30.toml", &["line 3"]);
    let err = Round::from_path(bad("round-date-year-zero.toml")).unwrap_err();
    says(
        &err,
        "round-date-year-zero.toml",
        &["0000-01-01", "1949-10-01", "2100-12-31"],
    );
    let err = Round::from_path(bad("round-skill-twice.toml")).unwrap_err();
    says(
        &err,
        "round-skill-twice.toml",
        &["targets[1]", "require[2]", "law again"],
    );
}

#[test]
fn a_deadline_policy_of_a_billion_days_is_refused() {
    let err = xuncha::leads::DeadlinePolicy::from_toml_path(&bad("policy-billion-days.toml"))
        .unwrap_err();
    says(
        &err,
        "policy-billion-days.toml",
        &["found = 1000000000", "1 to 3650 days"],
    );
}

#[test]
fn a_plan_naming_an_unknown_person_fails_verification_naming_them() {
    let text = std::fs::read_to_string(bad("plan-unknown-person.json")).unwrap();
    let plan = Plan::from_json(&text).unwrap();
    let fujian = Hierarchy::fujian();
    let units = Units::default();
    let team = &plan.teams[0];
    let round = Round::from_toml_str(&format!(
        "version = 1\nid = \"{}\"\ndate = \"2026-03-01\"\n\n[[targets]]\ntarget = \"{}\"\n",
        plan.round, team.target
    ))
    .unwrap();
    let roster = Roster::new(Vec::new(), &fujian, &units).unwrap();
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let texts: Vec<String> = verify(&plan, &round, &roster, &engine)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("P999999") && t.contains("not in the roster")),
        "{texts:?}"
    );
}

#[test]
fn a_ledger_file_truncated_mid_page_is_refused_naming_it() {
    // Work on a copy: opening may write a journal beside the file.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ledger-truncated.db");
    std::fs::copy(bad("ledger-truncated.db"), &copy).unwrap();
    let err = match SqliteStore::open(&copy) {
        Err(err) => err,
        Ok(store) => Ledger::open(store).expect_err("a truncated ledger does not replay"),
    };
    says(&err, "ledger-truncated.db", &["malformed"]);
}

#[test]
fn inputs_above_a_limit_are_refused_naming_the_input_and_the_limit() {
    use xuncha::org::{Error as OrgError, Limits};

    // A file larger than `max_input_bytes` is refused before it is read.
    let strict = Limits::DEFAULT.with_max_input_bytes(64);
    let path = bad("roster-utf8-bom.csv");
    let size = std::fs::metadata(&path).unwrap().len();
    let err = strict.open(&path).unwrap_err();
    assert!(
        matches!(err, OrgError::Limit { limit: "max_input_bytes", max: 64, found: Some(n), .. } if n == size),
        "{err}"
    );
    says(&err, "roster-utf8-bom.csv", &["max_input_bytes = 64"]);

    // A stream is cut off at the limit, and the loader says why.
    let fujian = Hierarchy::fujian();
    let text = std::fs::read(&path).unwrap();
    let reader = strict.reader(&path, text.as_slice());
    let err = Roster::from_csv_reader(&path, reader, &fujian, &Units::default()).unwrap_err();
    says(
        &err,
        "roster-utf8-bom.csv",
        &["more than 64 bytes", "max_input_bytes"],
    );

    // A round of a million teams is refused before any work.
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut round = Round::cross("huge", date, [xuncha::Code::parse("350628").unwrap()]);
    let one = round.targets[0].clone();
    round.targets = vec![one; 1_000_000];
    let roster = Roster::new(Vec::new(), &fujian, &Units::default()).unwrap();
    let units = Units::default();
    let engine = Engine::new(&fujian, &units, RuleSet::default());
    let err = xuncha::staff(
        &engine,
        &roster,
        &round,
        &xuncha::assign::StaffOptions::default(),
    )
    .unwrap_err();
    says(&err, "huge", &["1000000 targets", "max_targets = 100000"]);
}
