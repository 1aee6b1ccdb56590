//! `xuncha roster generate`.

use crate::common::{s, stdout};

#[test]
fn generate_writes_csv_or_json_deterministically() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let j = dir.path().join("c.json");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "50",
        "--seed",
        "2a",
        "--out",
        s(&a),
    ]);
    stdout(&[
        "roster",
        "generate",
        "--count",
        "50",
        "--seed",
        "0x2a",
        "--out",
        s(&b),
    ]);
    stdout(&[
        "roster",
        "generate",
        "--count",
        "50",
        "--seed",
        "2a",
        "--within",
        "3506",
        "--out",
        s(&j),
    ]);
    let text = std::fs::read_to_string(&a).expect("csv");
    assert_eq!(text.lines().count(), 51);
    assert_eq!(text, std::fs::read_to_string(&b).expect("csv"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&j).expect("json")).expect("JSON");
    let people = json["people"].as_array().expect("people");
    assert!(
        people
            .iter()
            .all(|p| p["origin"].as_str().is_some_and(|o| o.starts_with("3506")))
    );
}
