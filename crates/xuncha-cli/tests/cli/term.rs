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
    assert!(progress.starts_with("5 of 10 rounds done"), "{progress}");
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
