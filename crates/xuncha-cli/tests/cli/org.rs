//! `xuncha org ...` as a user runs it.

use crate::common::{national_dir, stdout, xuncha};

fn count_line(text: &str, level: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(level))
        .unwrap_or_else(|| panic!("no {level} line in:\n{text}"))
        .split_whitespace()
        .last()
        .expect("a count")
        .to_owned()
}

#[test]
fn summary_counts_the_embedded_fujian_default() {
    let text = stdout(&["org", "summary"]);
    assert_eq!(count_line(&text, "province"), "1");
    assert_eq!(count_line(&text, "city"), "9");
    assert_eq!(count_line(&text, "county"), "84");
    assert_eq!(count_line(&text, "township"), "1,170");
    assert_eq!(count_line(&text, "village"), "17,498");
}

#[test]
fn summary_counts_the_national_list_from_a_directory() {
    let dir = national_dir();
    let text = stdout(&[
        "org",
        "summary",
        "--divisions",
        dir.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(count_line(&text, "province"), "31");
    assert_eq!(count_line(&text, "city"), "342");
    assert_eq!(count_line(&text, "county"), "2,978");
    assert_eq!(count_line(&text, "township"), "41,352");
    assert_eq!(count_line(&text, "village"), "620,573");
}

#[test]
fn summary_counts_the_embedded_national_list() {
    let text = stdout(&["org", "summary", "--national"]);
    assert!(text.contains("embedded national (NBS 2023)"), "{text}");
    for (level, count) in [
        ("province", "31"),
        ("city", "342"),
        ("county", "2,978"),
        ("township", "41,352"),
        ("village", "620,573"),
    ] {
        assert_eq!(count_line(&text, level), count, "{level}");
    }
}

#[test]
fn summary_as_json_gives_plain_numbers() {
    let text = stdout(&["org", "summary", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["counts"]["township"], 1_170);
    assert_eq!(json["counts"]["village"], 17_498);
    assert_eq!(json["total"], 18_762);
    assert_eq!(json["version"], 1);
}

#[test]
fn show_tells_where_an_old_code_went() {
    let text = stdout(&["org", "show", "350681"]);
    let first = text.lines().next().expect("a first line");
    assert!(first.contains("350681 became 350604 龙海区"), "{text}");
    assert!(first.contains("2021"), "{text}");
    assert!(text.contains("福建省 / 漳州市 / 龙海区"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["org", "show", "350681", "--json"])).expect("JSON");
    assert_eq!(json["division"]["code"], "350604");
    assert_eq!(json["division"]["path"], "福建省 / 漳州市 / 龙海区");
    assert_eq!(json["changes"][0]["date"], "2021-02-02");
}

/// The national history: 密云县 (110228) became 密云区 (110118) in 2015,
/// named with the date, the rule and its confidence.
#[test]
fn show_tells_where_an_old_code_of_another_province_went() {
    let text = stdout(&["org", "show", "110228", "--national"]);
    let first = text.lines().next().expect("a first line");
    assert!(
        first.contains("110228 became 110118 密云区 on 2015-11-01"),
        "{text}"
    );
    assert!(first.contains("confidence high"), "{text}");
    assert!(text.contains("北京市 / 市辖区 / 密云区"), "{text}");
}

#[test]
fn show_accepts_the_padded_form() {
    let text = stdout(&["org", "show", "350600000000"]);
    assert!(
        text.contains("漳州市") && text.contains("350628  平和县"),
        "{text}"
    );
}

#[test]
fn find_returns_every_match_with_its_path() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["org", "find", "城关镇", "--json", "--national"]))
            .expect("JSON");
    assert_eq!(json["version"], 1);
    let matches = json["matches"].as_array().expect("a list");
    assert_eq!(matches.len(), 88);
    assert!(
        matches
            .iter()
            .all(|m| m["path"].as_str().is_some_and(|p| p.ends_with("城关镇")))
    );
}

#[test]
fn tree_prints_to_the_requested_depth() {
    let text = stdout(&["org", "tree", "3506"]);
    assert_eq!(
        text.lines().count(),
        12,
        "漳州市 and its 11 counties:\n{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "org", "tree", "350628", "--depth", "2", "--json",
    ]))
    .expect("JSON");
    let townships = json["root"]["children"].as_array().expect("townships");
    assert!(
        townships
            .iter()
            .all(|t| t["children"].as_array().is_some_and(|v| !v.is_empty()))
    );
}

#[test]
fn bad_codes_and_directories_fail_with_a_message() {
    for (args, expected) in [
        (vec!["org", "show", "35x"], "character 3 is 'x'"),
        (vec!["org", "show", "350699"], "no division has code 350699"),
        (
            vec!["org", "summary", "--divisions", "/nonexistent"],
            "/nonexistent",
        ),
    ] {
        let output = xuncha(&args);
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn every_org_command_has_help_with_an_example() {
    for command in ["summary", "show", "find", "tree"] {
        let text = stdout(&["org", command, "--help"]);
        assert!(
            text.contains("Examples:") && text.contains("xuncha org"),
            "{command}: {text}"
        );
    }
}
