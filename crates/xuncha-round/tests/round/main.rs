//! Integration tests of xuncha-round: the units a round inspects within its
//! targets.

use std::path::Path;

use chrono::NaiveDate;
use xuncha_avoid::{Engine, Kinship, Person, Place, Post, Relative, Role, RuleSet, Target};
use xuncha_org::{Code, Hierarchy, UnitId, Units};
use xuncha_round::Round;

mod forms;

fn units(fujian: &Hierarchy) -> Units {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/units/pinghe.csv"
    );
    Units::from_csv_path(path, fujian).expect("the test units")
}

fn round(units_line: &str) -> Round {
    Round::from_toml_str(&format!(
        "version = 1\nid = \"2026-1\"\ndate = \"2026-03-01\"\n\
         [[targets]]\ntarget = \"350628\"\n{units_line}\n\
         [[targets]]\ntarget = \"350627\"\n"
    ))
    .expect("a round")
}

/// 王芳, whose spouse heads 平和县民政局.
fn wang() -> Person {
    let mut wang = Person::new("P1", "王芳", Code::parse("350602").expect("a code"));
    wang.relatives.push(Relative {
        kinship: Kinship::Spouse,
        word: None,
        id: None,
        name: "李明".into(),
        posts: vec![Post {
            place: Place::Unit(UnitId::from("ph-civil")),
            title: "局长".into(),
            from: None,
            to: None,
        }],
    });
    wang
}

#[test]
fn a_county_target_stands_for_every_unit_of_the_county_unless_the_round_lists_them() {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    let date = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    let pinghe = Target::Division(Code::parse("350628").expect("a code"));
    let engine = || Engine::new(&fujian, &units, RuleSet::default());

    // No list: every unit of 平和县, the spouse's bureau among them.
    let mut every = round("");
    every
        .resolve_targets(&fujian, &units, Path::new("round.toml"))
        .expect("valid targets");
    let verdict = every
        .inspecting(engine())
        .check(&wang(), &pinghe, Role::Member, date);
    assert_eq!(verdict.conflicts.len(), 1, "{verdict:?}");
    assert_eq!(verdict.conflicts[0].rule, "kinship");

    // The round inspects 平和县财政局 only.
    let mut listed = round("units = [\"ph-finance\"]");
    listed
        .resolve_targets(&fujian, &units, Path::new("round.toml"))
        .expect("valid targets");
    assert_eq!(listed.targets[0].units, [UnitId::from("ph-finance")]);
    let engine = listed.inspecting(engine());
    assert_eq!(
        engine.inspected_units(&pinghe),
        Some(&[UnitId::from("ph-finance")][..])
    );
    assert!(
        engine
            .check(&wang(), &pinghe, Role::Member, date)
            .is_allowed()
    );
    // Written back, the list is kept.
    let again = Round::from_toml_str(&listed.to_toml().expect("TOML")).expect("a round");
    assert_eq!(again.targets[0].units, listed.targets[0].units);
}

#[test]
fn a_listed_unit_must_exist_and_lie_within_its_target() {
    let fujian = Hierarchy::fujian();
    let units = units(&fujian);
    let file = Path::new("round.toml");
    let error = |line: &str| {
        round(line)
            .resolve_targets(&fujian, &units, file)
            .expect_err("refused")
            .to_string()
    };
    let unknown = error("units = [\"ph-nothing\"]");
    assert!(
        unknown.contains("targets[0]: units: ph-nothing is a unit the units file does not have"),
        "{unknown}"
    );
    // 漳州市公路局 lies in the city, above 平和县.
    let outside = error("units = [\"zz-road\"]");
    assert!(
        outside.contains("units: zz-road (漳州市公路局) lies in 3506, outside the target 350628"),
        "{outside}"
    );
    // A branch of the city bureau sitting in 平和县 is within it.
    round("units = [\"ph-road\"]")
        .resolve_targets(&fujian, &units, file)
        .expect("漳州市公路局平和分局 lies in 平和县");
    let unit_target = Round::from_toml_str(
        "version = 1\nid = \"x\"\ndate = \"2026-03-01\"\n\
         [[targets]]\ntarget = \"unit:ph-civil\"\nunits = [\"ph-civil-xx\"]\n",
    )
    .expect("a round")
    .resolve_targets(&fujian, &units, file)
    .expect_err("refused")
    .to_string();
    assert!(unit_target.contains("is a unit target"), "{unit_target}");
}

/// A target's team overrides the round's field by field: what it leaves
/// out is inherited (the skill requirement, the least rank), and `require
/// = []` or `min_leader_rank = "none"` drop an inherited one explicitly;
/// the same in TOML and JSON, and a round written out reads back the same.
#[test]
fn a_targets_team_overrides_the_rounds_field_by_field() {
    use xuncha_avoid::{Rank, Skill};
    use xuncha_round::Composition;
    let text = r#"
version = 1
id = "r"
date = "2026-03-01"
[team]
members = 4
require = [{ skill = "finance-audit", count = 1 }]
min_leader_rank = "deputy-director"
max_per_origin = 1

[[targets]]
target = "350628"
team = { composition = "mixed", members = 3, liaison = false }

[[targets]]
target = "350627"
team = { require = [], min_leader_rank = "none" }

[[targets]]
target = "350626"
"#;
    let round = Round::from_toml_str(text).expect("a round");
    let merged = round.spec(0);
    assert_eq!(merged.composition, Composition::Mixed);
    assert_eq!((merged.members, merged.liaison), (3, false));
    assert_eq!(merged.require.len(), 1, "the requirement is inherited");
    assert_eq!(merged.require[0].skill, Skill::FinanceAudit);
    assert_eq!(merged.min_leader_rank, Some(Rank::DeputyDirector));
    assert_eq!(merged.max_per_origin, 1);
    let dropped = round.spec(1);
    assert!(dropped.require.is_empty(), "dropped with require = []");
    assert_eq!(dropped.min_leader_rank, None, "dropped with \"none\"");
    assert_eq!(dropped.members, 4, "the rest inherited");
    assert_eq!(round.spec(2), &round.team);

    // JSON reads the same.
    let json = serde_json::to_string(&serde_json::json!({
        "version": 1, "id": "r", "date": "2026-03-01",
        "team": {"members": 4, "require": [{"skill": "finance-audit", "count": 1}],
                 "min_leader_rank": "deputy-director", "max_per_origin": 1},
        "targets": [
            {"target": "350628", "team": {"composition": "mixed", "members": 3, "liaison": false}},
            {"target": "350627", "team": {"require": [], "min_leader_rank": "none"}},
            {"target": "350626"}
        ]
    }))
    .unwrap();
    let from_json = Round::from_json_str(&json).expect("a round");
    assert_eq!(from_json.targets, round.targets);

    // Written out and read back: the same specs (a dropped rank is "none").
    let again = Round::from_toml_str(&round.to_toml().expect("TOML")).expect("read back");
    assert_eq!(again.targets, round.targets);
}
