//! The forms of round: whom an elevated or counterpart round draws, the
//! short window of a mobile round, and the inspection a synchronised round
//! accompanies.

use std::path::Path;

use xuncha_avoid::{Person, Place, Target};
use xuncha_org::{Code, Hierarchy, UnitId, Units};
use xuncha_round::{Department, DrawnFrom, Round};

fn units(fujian: &Hierarchy) -> Units {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/forms/units.csv"
    );
    Units::from_csv_path(path, fujian).expect("the test units")
}

fn code(text: &str) -> Code {
    Code::parse(text).expect("a code")
}

fn working_at(id: &str, workplace: Option<Place>) -> Person {
    let mut person = Person::new(id, id, code("350628"));
    person.workplace = workplace;
    person
}

fn unit(id: &str) -> Place {
    Place::Unit(UnitId::from(id))
}

/// A round of `head` lines (mode, dates, forms) over `targets`.
fn round(head: &str, targets: &[&str]) -> Round {
    let mut text = format!("version = 1\nid = \"r\"\ndate = \"2026-06-01\"\n{head}\n");
    for target in targets {
        text.push_str("[[targets]]\ntarget = \"");
        text.push_str(target);
        text.push_str("\"\n");
    }
    Round::from_toml_str(&text).expect("a round")
}

/// The message of the round's refusal by [`Round::resolve_targets`].
fn refusal(mut round: Round) -> String {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    round
        .resolve_targets(&fujian, &units, Path::new("round.toml"))
        .expect_err("the round is refused")
        .to_string()
}

fn accepted(mut round: Round) {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    round
        .resolve_targets(&fujian, &units, Path::new("round.toml"))
        .expect("the round is accepted");
}

#[test]
fn an_elevated_round_draws_the_city_organs_unless_it_says_otherwise() {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    let target = Target::Unit(UnitId::from("nj-civil"));
    let elevated = round("mode = \"elevated\"", &["unit:nj-civil"]);
    assert_eq!(elevated.drawn_from(), DrawnFrom::city_organs());
    let drawing = elevated.drawing(&target, &units);
    let city = working_at("C", Some(Place::Division(code("3506"))));
    let city_bureau = working_at("B", Some(unit("zz-civil")));
    let county = working_at("K", Some(Place::Division(code("350628"))));
    let nowhere = working_at("N", None);
    assert!(drawing.admits(&city, &units));
    assert!(drawing.admits(&city_bureau, &units));
    assert!(!drawing.admits(&county, &units));
    assert!(!drawing.admits(&nowhere, &units));
    let why = drawing.refusal(&county, &units).expect("a refusal");
    assert!(
        why.contains("work at city level") && why.contains("350628"),
        "{why}"
    );

    // A cross round draws everyone the pool admits.
    let cross = round("mode = \"cross\"", &["unit:nj-civil"]);
    assert!(cross.drawn_from().is_open());
    assert!(cross.drawing(&target, &units).admits(&nowhere, &units));

    // An elevated round that names where it draws from is taken at its word.
    let wide = round(
        "mode = \"elevated\"\ndrawn_from = { works_at = \"county\" }",
        &["unit:nj-civil"],
    );
    assert!(wide.drawing(&target, &units).admits(&county, &units));
    assert!(!wide.drawing(&target, &units).admits(&city, &units));
}

#[test]
fn a_counterpart_round_draws_the_targets_department_elsewhere() {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    let counterpart = round(
        "drawn_from = { department = \"same\", works_at = \"county\" }",
        &["unit:nj-civil", "unit:nj-finance"],
    );
    let civil = counterpart.drawing(&Target::Unit(UnitId::from("nj-civil")), &units);
    let finance = counterpart.drawing(&Target::Unit(UnitId::from("nj-finance")), &units);
    let pinghe_civil = working_at("PC", Some(unit("ph-civil")));
    let pinghe_finance = working_at("PF", Some(unit("ph-finance")));
    let city_civil = working_at("CC", Some(unit("zz-civil")));
    assert!(civil.admits(&pinghe_civil, &units));
    assert!(!civil.admits(&pinghe_finance, &units));
    assert!(
        !civil.admits(&city_civil, &units),
        "the city's bureau is not a county's"
    );
    assert!(finance.admits(&pinghe_finance, &units));
    assert!(!finance.admits(&pinghe_civil, &units));
    // The entry at hand gives the same drawing as the search by target.
    for (entry, drawing) in counterpart.targets.iter().zip([&civil, &finance]) {
        assert_eq!(&counterpart.drawing_for(entry, &units), drawing);
    }
    assert_ne!(civil, finance);
    accepted(counterpart);

    // A division target has no department to pair by.
    let message = refusal(round(
        "drawn_from = { department = \"same\" }",
        &["unit:nj-civil", "350628"],
    ));
    assert!(
        message.contains("targets[1]: 350628 is not a unit of a department"),
        "{message}"
    );
    // A named department must be one the units have.
    let message = refusal(round(
        "drawn_from = { department = \"audit\" }",
        &["unit:nj-civil"],
    ));
    assert!(
        message.contains("no unit of the units file belongs to the department \"audit\""),
        "{message}"
    );
    let named = round(
        "drawn_from = { department = \"discipline-commission\" }",
        &["unit:nj-civil"],
    );
    assert_eq!(
        named.drawn_from().department,
        Some(Department::Named("discipline-commission".into()))
    );
    accepted(named);
}

#[test]
fn a_mobile_round_is_short_and_below_county_level() {
    let villages = ["350205001205", "350211102201"];
    accepted(round("mode = \"mobile\"\nend = \"2026-06-20\"", &villages));
    accepted(round("mode = \"mobile\"\nend = \"2026-07-01\"", &villages));
    let message = refusal(round("mode = \"mobile\"", &villages));
    assert!(message.contains("give its end"), "{message}");
    let message = refusal(round("mode = \"mobile\"\nend = \"2026-07-02\"", &villages));
    assert!(
        message.contains("at most 31 days") && message.contains("is 32"),
        "{message}"
    );
    let message = refusal(round(
        "mode = \"mobile\"\nend = \"2026-06-20\"",
        &["350205001205", "350211"],
    ));
    assert!(
        message.contains("targets[1]: 350211 is not below county level"),
        "{message}"
    );
    // A county's own bureau sits at county level too.
    let message = refusal(round(
        "mode = \"mobile\"\nend = \"2026-06-20\"",
        &["unit:nj-civil"],
    ));
    assert!(
        message.contains("targets[0]: unit:nj-civil is not below county level"),
        "{message}"
    );
    let message = refusal(round("end = \"2026-05-20\"", &villages));
    assert!(
        message.contains("end: 2026-05-20 is before the round's date 2026-06-01"),
        "{message}"
    );
}

const PROVINCIAL: &str = "end = \"2026-06-30\"\n[accompanies]\nid = \"xunshi-1\"\nby = \"province\"\n\
    from = \"2026-05-20\"\nto = \"2026-07-10\"\ncounties = [\"350627\", \"350628\"]";

#[test]
fn a_synchronised_round_keeps_the_accompanied_window_and_counties() {
    // 南靖县's bureau, a township of 平和县, a village below it.
    accepted(round(
        PROVINCIAL,
        &["unit:nj-civil", "350628100", "350628100201"],
    ));
    // The county itself is what the province inspects, not a direct unit.
    let message = refusal(round(PROVINCIAL, &["350628"]));
    assert!(
        message.contains("accompanies: targets[0]: 350628 is not a direct unit or a township of the counties xunshi-1 inspects"),
        "{message}"
    );
    let message = refusal(round(PROVINCIAL, &["unit:zp-civil"]));
    assert!(
        message.contains("targets[0]: unit:zp-civil is not a direct unit"),
        "{message}"
    );
    // Outside the window, either end.
    let late = PROVINCIAL.replace("end = \"2026-06-30\"", "end = \"2026-07-11\"");
    let message = refusal(round(&late, &["350628100"]));
    assert!(
        message.contains("the round runs 2026-06-01 to 2026-07-11, outside xunshi-1's window 2026-05-20 to 2026-07-10"),
        "{message}"
    );
    let early = PROVINCIAL.replace("2026-05-20", "2026-06-02");
    assert!(refusal(round(&early, &["350628100"])).contains("outside xunshi-1's window"));
    let open = PROVINCIAL.replace("end = \"2026-06-30\"\n", "");
    assert!(refusal(round(&open, &["350628100"])).contains("give its end"));
    let township = PROVINCIAL.replace("\"350627\"", "\"350627100\"");
    assert!(
        refusal(round(&township, &["350628100"])).contains("counties: 350627100 "),
        "a township is no county"
    );
}

#[test]
fn a_synchronised_round_on_departments_inspects_their_county_counterparts() {
    // 下借上势: while the city inspects its civil-affairs bureau, the
    // counties inspect theirs.
    let city = "end = \"2026-06-30\"\n[accompanies]\nid = \"city-7\"\nby = \"city\"\n\
        from = \"2026-06-01\"\nto = \"2026-06-30\"\ndepartments = [\"civil-affairs\"]";
    accepted(round(city, &["unit:nj-civil", "unit:ph-civil"]));
    let message = refusal(round(city, &["unit:nj-civil", "unit:ph-finance"]));
    assert!(
        message.contains("targets[1]: unit:ph-finance is not a unit of the departments city-7 inspects (civil-affairs)"),
        "{message}"
    );
    let nothing = city.replace("departments = [\"civil-affairs\"]", "");
    assert!(refusal(round(&nothing, &["unit:nj-civil"])).contains("name the counties"));
    let county = city.replace("by = \"city\"", "by = \"county\"");
    assert!(refusal(round(&county, &["unit:nj-civil"])).contains("by: the province or a city"));
}

#[test]
fn the_forms_survive_a_round_trip_through_toml() {
    let original = round(
        &format!(
            "mode = \"cross\"\ndrawn_from = {{ department = \"same\", works_at = \"county\" }}\n{PROVINCIAL}"
        ),
        &["unit:nj-civil"],
    );
    let again = Round::from_toml_str(&original.to_toml().expect("TOML")).expect("read back");
    assert_eq!(again, original);
    assert!(original.accompanies.is_some() && original.end.is_some());
}

mod drawing {
    use proptest::prelude::*;

    use super::*;

    const PLACES: [&str; 6] = [
        "3506",
        "350628",
        "350628100",
        "zz-civil",
        "ph-civil",
        "ph-finance",
    ];

    fn place(i: usize) -> Option<Place> {
        PLACES.get(i).map(|p| {
            if p.starts_with(|c: char| c.is_ascii_digit()) {
                Place::Division(code(p))
            } else {
                unit(p)
            }
        })
    }

    proptest! {
        /// A drawing admits exactly those with a workplace at the level and
        /// in the department asked, and refuses with a reason everyone else.
        #[test]
        fn admits_exactly_the_workplaces_asked_for(
            workplace in 0usize..7,
            level in proptest::option::of(0usize..3),
            department in proptest::option::of(0usize..3),
        ) {
            let fujian = Hierarchy::fujian();
            let units = units(&fujian);
            let levels = [xuncha_org::Level::City, xuncha_org::Level::County, xuncha_org::Level::Township];
            let departments = ["civil-affairs", "finance", "same"];
            let drawn = DrawnFrom {
                works_at: level.map(|l| levels[l]),
                department: department.map(|d| Department::from(departments[d].to_owned())),
            };
            let mut round = round("", &["unit:nj-civil"]);
            round.drawn_from = Some(drawn.clone());
            let target = Target::Unit(UnitId::from("nj-civil"));
            let drawing = round.drawing(&target, &units);
            let person = working_at("P", place(workplace));
            let division = person.workplace.as_ref().and_then(|p| p.division(&units));
            let wanted_department = drawn.department.as_ref().map(|d| match d {
                Department::Same => "civil-affairs".to_owned(),
                Department::Named(name) => name.clone(),
            });
            let unit_department = match &person.workplace {
                Some(Place::Unit(id)) => units.get(id).and_then(|u| u.department.clone()),
                _ => None,
            };
            let expected = if drawn.is_open() {
                true
            } else {
                person.workplace.is_some()
                    && drawn.works_at.is_none_or(|l| division.is_some_and(|d| d.level() == l))
                    && wanted_department.is_none_or(|w| unit_department.as_deref() == Some(w.as_str()))
            };
            prop_assert_eq!(drawing.admits(&person, &units), expected);
            prop_assert_eq!(drawing.refusal(&person, &units).is_none(), expected);
        }
    }
}
