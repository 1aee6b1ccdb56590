//! `xuncha demo`.

use crate::common::{demo_dir, s, stdout, xuncha};

#[test]
fn the_demo_writes_its_files_and_a_summary() {
    let dir = demo_dir();
    for file in [
        "plan.json",
        "plan.csv",
        "plan.xlsx",
        "report.md",
        "round.toml",
        "roster.csv",
        "rules.toml",
        "officials.json",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let report = std::fs::read_to_string(dir.join("report.md")).expect("report");
    assert!(report.contains("84 teams"), "{report}");
}

#[test]
fn the_demo_prints_teams_rules_objective_and_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = xuncha(&[
        "demo",
        "--out",
        dir.path().to_str().expect("UTF-8"),
        "--json",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["teams"], 84);
    assert_eq!(json["placed"], 588);
    assert!(json["kept_out"]["posts"].as_u64().is_some_and(|n| n > 0));
    // The tie rule keeps out colleagues and townsmen of the counties' leaders.
    assert!(
        json["kept_out"]["ties-colleague"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
    assert!(
        json["kept_out"]["ties-townsman"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
    assert!(json["objective"].as_i64().is_some_and(|n| n > 0));
    // The whole command's time, and the planning's within it: the
    // summary no longer gives the planning's as the command's.
    let whole = json["seconds"].as_f64().expect("seconds");
    let planning = json["planning_seconds"].as_f64().expect("planning_seconds");
    assert!(planning > 0.0 && planning <= whole, "{planning} of {whole}");
}

#[test]
fn the_text_summary_tells_the_planning_time_from_the_whole_commands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("demo");
    let text = stdout(&["demo", "--out", s(&out)]);
    assert!(
        text.contains("  planned and verified in ") && text.contains(" ms, the whole demo in "),
        "{text}"
    );
    assert!(text.contains("regular-round.toml"), "{text}");
    // The README lists every file the demo writes.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    for file in std::fs::read_dir(&out).expect("the demo's folder") {
        let name = file
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not list {name}"
        );
    }
}

#[test]
fn the_xlsx_holds_the_same_rows_as_the_csv() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = demo_dir();
    let mut workbook: Xlsx<_> = open_workbook(dir.join("plan.xlsx")).expect("the workbook opens");
    let range = workbook.worksheet_range("plan").expect("the plan sheet");
    let sheet: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    let bytes = std::fs::read(dir.join("plan.csv")).expect("csv");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the demo's CSV starts with a byte-order mark for Excel"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(sheet.len(), 589, "a header and 588 members");
    assert_eq!(sheet, rows);
}
