//! `xuncha rotate`.

use crate::common::{fails, s, stdout};

#[test]
fn a_city_rotates_through_all_its_counties() {
    let out = stdout(&["rotate", "--city", "3506", "--seed", "7"]);
    assert_eq!(out.lines().count(), 11, "{out}");
    assert!(out.lines().all(|l| l.contains(" → ")));
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "rotate", "--city", "3506", "--seed", "7", "--json",
    ]))
    .expect("JSON");
    assert_eq!(json["pairs"].as_array().map(Vec::len), Some(11));
}

#[test]
fn history_is_avoided_and_impossible_rotations_say_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let history = dir.path().join("history.csv");
    std::fs::write(
        &history,
        "inspecting,inspected\n350602,350603\n350602,350604\n",
    )
    .expect("write");
    let stderr = fails(
        &[
            "rotate",
            "--counties",
            "350602,350603,350604",
            "--history",
            s(&history),
        ],
        2,
    );
    assert!(stderr.contains("350602"), "{stderr}");
    let stderr = fails(&["rotate", "--counties", "350602,350603"], 2);
    assert!(
        stderr.contains("each could only inspect the other"),
        "{stderr}"
    );
}
