//! `xuncha term plan` and `xuncha term progress`.

use crate::common::{fails, s, stdout};

#[test]
fn a_term_is_planned_and_its_progress_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("term.json");
    let text = stdout(&[
        "term",
        "plan",
        "--jurisdiction",
        "3508",
        "--level",
        "village",
        "--cluster-size",
        "10",
        "--term",
        "2022-01-01..2026-12-31",
        "--rounds-per-year",
        "2",
        "--teams",
        "7",
        "--capacity",
        "4",
        "--out",
        s(&out),
    ]);
    assert!(text.contains("in 10 rounds"), "{text}");
    let schedule: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(schedule["version"], 1);
    assert_eq!(schedule["rounds"].as_array().unwrap().len(), 10);
    let progress = stdout(&[
        "term",
        "progress",
        "--schedule",
        s(&out),
        "--as-of",
        "2024-03-01",
    ]);
    // Round 5 began 2024-01-01 and runs to 2024-06-30: not done yet.
    assert!(progress.starts_with("4 of 10 rounds done"), "{progress}");
    let after = stdout(&[
        "term",
        "progress",
        "--schedule",
        s(&out),
        "--as-of",
        "2024-07-01",
    ]);
    assert!(after.starts_with("5 of 10 rounds done"), "{after}");
    // More rounds done than the term has is refused, not counted.
    let err = crate::common::fails(
        &["term", "progress", "--schedule", s(&out), "--done", "11"],
        2,
    );
    assert!(
        err.contains("--done 11") && err.contains("has 10 rounds"),
        "{err}"
    );
    let json = stdout(&[
        "term",
        "progress",
        "--schedule",
        s(&out),
        "--done",
        "10",
        "--json",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["total"]["scheduled"], 0);
    assert_eq!(parsed["total"]["left"], 0);
}

#[test]
fn too_few_teams_exit_3_with_how_many_more_are_needed() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(
        &[
            "term",
            "plan",
            "--jurisdiction",
            "3504",
            "--level",
            "township",
            "--term",
            "2026-01-01..2026-12-31",
            "--rounds-per-year",
            "1",
            "--teams",
            "2",
            "--capacity",
            "3",
            "--out",
            s(&dir.path().join("t.json")),
        ],
        3,
    );
    assert!(err.contains("more team-rounds are needed"), "{err}");
    let err = fails(
        &[
            "term",
            "plan",
            "--jurisdiction",
            "3504",
            "--level",
            "township",
            "--term",
            "2026-01-01",
            "--teams",
            "2",
            "--capacity",
            "3",
            "--out",
            "x.json",
        ],
        2,
    );
    assert!(err.contains("FIRST..LAST"), "{err}");
}

/// 四级联动: one term over 龙岩市's counties, townships and village
/// clusters at once; the summary counts each level and progress prints
/// each level's line.
#[test]
fn a_term_of_several_levels_is_planned_with_each_levels_targets_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("linked.json");
    let text = stdout(&[
        "term",
        "plan",
        "--jurisdiction",
        "3508",
        "--level",
        "county,township,village",
        "--term",
        "2022-01-01..2026-12-31",
        "--rounds-per-year",
        "2",
        "--teams",
        "7",
        "--capacity",
        "6",
        "--out",
        s(&out),
    ]);
    assert!(text.contains("  by level: county 7, township "), "{text}");
    let schedule: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let mut ids = std::collections::HashSet::new();
    let mut counties = 0;
    for round in schedule["rounds"].as_array().unwrap() {
        for scheduled in round["targets"].as_array().unwrap() {
            let target = &scheduled["target"];
            assert!(
                ids.insert(target["id"].as_str().unwrap().to_owned()),
                "{target}"
            );
            if target["level"] == "county" {
                counties += 1;
            }
        }
    }
    assert_eq!(counties, 7);
    let progress = stdout(&["term", "progress", "--schedule", s(&out), "--done", "2"]);
    assert!(progress.contains("  county level: "), "{progress}");
    assert!(progress.contains("  village level: "), "{progress}");
    // A level named twice is refused.
    let err = fails(
        &[
            "term",
            "plan",
            "--jurisdiction",
            "3508",
            "--level",
            "township,township",
            "--term",
            "2022-01-01..2026-12-31",
            "--teams",
            "7",
            "--capacity",
            "6",
            "--out",
            s(&dir.path().join("twice.json")),
        ],
        2,
    );
    assert!(err.contains("the level township is named twice"), "{err}");
}

/// No teams is a bad argument, not an infeasible term; rounds of too few
/// groups to cross say so.
#[test]
fn a_term_of_no_teams_or_too_few_groups_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    // No teams is a bad argument, not an infeasible term.
    let none = dir.path().join("none.json");
    let err = crate::common::fails(
        &[
            "term",
            "plan",
            "--jurisdiction",
            "3508",
            "--level",
            "village",
            "--term",
            "2022-01-01..2026-12-31",
            "--teams",
            "0",
            "--capacity",
            "4",
            "--out",
            s(&none),
        ],
        2,
    );
    assert!(err.contains("at least 1"), "{err}");
    assert!(!none.exists());
    // Rounds of too few groups to cross say so, not "rotation over 0".
    let text = stdout(&[
        "term",
        "plan",
        "--jurisdiction",
        "3508",
        "--level",
        "county",
        "--term",
        "2022-01-01..2026-12-31",
        "--teams",
        "2",
        "--capacity",
        "2",
        "--out",
        s(&none),
    ]);
    assert!(
        text.contains("1 target, no rotation (fewer than three groups"),
        "{text}"
    );
    assert!(!text.contains("over 0"), "{text}");
}
