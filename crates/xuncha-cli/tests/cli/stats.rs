//! `xuncha stats` on the demo's ledger, plans and petitions.

use crate::common::{demo_dir, fails, s, stdout};

fn inputs() -> Vec<String> {
    let dir = demo_dir();
    vec![
        "stats".into(),
        "--ledger".into(),
        dir.join("ledger.sqlite").display().to_string(),
        "--plans".into(),
        dir.display().to_string(),
        "--petitions".into(),
        dir.join("petitions.csv").display().to_string(),
    ]
}

fn run(extra: &[&str]) -> String {
    let mut args = inputs();
    args.extend(extra.iter().map(ToString::to_string));
    stdout(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn stats_by_mode_compare_cross_with_regular_showing_counts_exposures_and_both_intervals() {
    let table = run(&["--by", "mode"]);
    assert!(table.starts_with("mode "), "{table}");
    assert!(
        table.contains("\ncross ") && table.contains("\nregular "),
        "{table}"
    );
    assert!(table.contains("cross against regular"), "{table}");
    assert!(table.contains("exact conditional") && table.contains("Wald on the log scale"));
    assert!(!table.contains("NaN"));
    // A person reads it: counts as counts (not 5040/1), the change in per
    // cent, one line per metric where the exposures are equal, and the
    // completion as a percentage.
    assert!(!table.contains("/1 vs"), "{table}");
    let petitions: Vec<&str> = table
        .lines()
        .filter(|l| l.trim_start().starts_with("petitions "))
        .collect();
    assert_eq!(petitions.len(), 1, "{table}");
    assert!(
        petitions[0].contains(" vs ") && petitions[0].contains("×") && petitions[0].contains("%)"),
        "{table}"
    );
    assert!(table.contains("team-days: the rates per unit"), "{table}");
    let cross = table
        .lines()
        .find(|l| l.starts_with("cross "))
        .expect("the cross row");
    assert!(cross.trim_end().ends_with('%'), "{cross}");
    let md = run(&["--by", "mode", "--format", "md"]);
    assert!(
        md.contains(
            "| metric | per | cross count | cross exposure | regular count | regular exposure |"
        ),
        "{md}"
    );
}

#[test]
fn stats_write_json_csv_and_html_files() {
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [("json", "s.json"), ("csv", "s.csv"), ("html", "s.html")] {
        let out = dir.path().join(file);
        let said = run(&["--by", "city", "--format", format, "--out", s(&out)]);
        // Every writer confirms what it wrote.
        assert!(
            said.starts_with("wrote the statistics by city (9 groups, ") && said.contains(s(&out)),
            "{said}"
        );
        let text = std::fs::read_to_string(&out).unwrap();
        match format {
            "json" => assert!(text.contains("\"version\": 1")),
            "csv" => assert_eq!(text.lines().count(), 9 + 2, "9 cities, header, all"),
            _ => assert!(text.contains("<svg") && text.contains("漳州市")),
        }
    }
}

#[test]
fn stats_refuse_bad_input_with_status_2() {
    let mut args = inputs();
    args.extend(["--by", "mode", "--compare", "cross,special"].map(String::from));
    let err = fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), 2);
    assert!(err.contains("--compare cross,special"), "{err}");
    // Figures about nothing are refused: a window ending before it starts,
    // a group compared with itself, teams of no days.
    for (extra, said) in [
        (
            &["--from", "2026-01-01", "--to", "2025-01-01"][..],
            "ends before it starts",
        ),
        (
            &["--by", "mode", "--compare", "cross,cross"][..],
            "compared with itself",
        ),
        (&["--days-per-team", "0"][..], "--days-per-team"),
    ] {
        let mut args = inputs();
        args.extend(extra.iter().map(ToString::to_string));
        let err = fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), 2);
        assert!(err.contains(said), "{extra:?}: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("p.csv");
    std::fs::write(&bad, "date,channel,county\n2026-03-02,fax,350628\n").unwrap();
    let err = fails(
        &[
            "stats",
            "--ledger",
            s(&demo_dir().join("ledger.sqlite")),
            "--petitions",
            s(&bad),
        ],
        2,
    );
    assert!(err.contains("line 2") && err.contains("channel"), "{err}");
}

#[test]
fn stats_groups_with_the_national_divisions_as_with_the_embedded_fujian() {
    let divisions = crate::common::national_dir();
    let embedded = run(&["--by", "city", "--format", "json"]);
    let national = run(&[
        "--by",
        "city",
        "--format",
        "json",
        "--divisions",
        s(divisions),
    ]);
    // Fujian's cities are the same divisions in both lists.
    assert_eq!(embedded, national);
    fails(
        &[
            "stats",
            "--ledger",
            s(&demo_dir().join("ledger.sqlite")),
            "--divisions",
            "/nonexistent",
        ],
        2,
    );
}

#[test]
fn stats_by_province_group_a_season_under_its_province() {
    let by_province: serde_json::Value = serde_json::from_str(&run(&[
        "--by",
        "province",
        "--format",
        "json",
        "--national",
    ]))
    .expect("JSON");
    let by_city: serde_json::Value =
        serde_json::from_str(&run(&["--by", "city", "--format", "json", "--national"]))
            .expect("JSON");
    let groups = by_province["table"]["groups"].as_array().expect("groups");
    assert_eq!(
        groups.len(),
        1,
        "the demo's season is Fujian's: {by_province}"
    );
    assert_eq!(groups[0]["key"], "35");
    let leads = |g: &serde_json::Value| g["counts"]["leads_found"].as_u64().expect("a count");
    let city_leads: u64 = by_city["table"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(leads)
        .sum();
    assert_eq!(
        leads(&groups[0]),
        city_leads,
        "the cities add up to the province"
    );
}

#[test]
fn stats_and_roster_generate_answer_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&run(&["--by", "mode", "--json"])).unwrap();
    assert_eq!(report["version"], 1);
    let out = dir.path().join("r.html");
    let said: serde_json::Value = serde_json::from_str(&run(&[
        "--by",
        "city",
        "--format",
        "html",
        "--out",
        s(&out),
        "--json",
    ]))
    .unwrap();
    assert_eq!(said["format"], "html");
    assert_eq!(said["groups"], 9);
    let roster = dir.path().join("roster.csv");
    let said: serde_json::Value = serde_json::from_str(&stdout(&[
        "roster",
        "generate",
        "--count",
        "50",
        "--seed",
        "1",
        "--out",
        s(&roster),
        "--json",
    ]))
    .unwrap();
    assert_eq!(said["people"], 50);
    assert_eq!(said["out"], s(&roster));
}
