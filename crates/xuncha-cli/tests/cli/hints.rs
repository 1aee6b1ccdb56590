//! One hint per kind of failure (the table in docs/cli.md): each failure
//! below prints its own hint and not another's.

use std::path::Path;

use crate::common::{fails, s, stdout};

fn forms(file: &str) -> String {
    format!("{}/../../testdata/forms/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    format!(
        "{}/../../docs/examples/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The `hint:` line of a failure's standard error.
fn hint(stderr: &str) -> &str {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .unwrap_or_else(|| panic!("no hint in: {stderr}"))
}

/// Plans the elevated Zhangzhou round of docs/examples from `roster` with
/// `extra` options into `dir`, expecting it to be infeasible (exit 3);
/// returns standard error.
fn plan_elevated(dir: &Path, roster: &str, extra: &[&str]) -> String {
    let round = example("zhangzhou-elevated");
    let units = forms("units.csv");
    let out = dir.join("p.json");
    let mut args = vec![
        "plan",
        "--round",
        &round,
        "--roster",
        roster,
        "--units",
        &units,
        "--out",
        s(&out),
    ];
    args.extend_from_slice(extra);
    fails(&args, 3)
}

/// Writes the forms' roster without the people of `workplaces`.
fn roster_without(dir: &Path, workplaces: &[&str]) -> String {
    let text = std::fs::read_to_string(forms("roster.csv")).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !workplaces.iter().any(|w| l.contains(w)))
        .collect();
    let path = dir.join("roster.csv");
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn a_plan_that_breaks_the_rules_is_told_to_plan_again() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let (round, roster, units) = (
        example("zhangzhou-elevated"),
        forms("roster.csv"),
        forms("units.csv"),
    );
    stdout(&[
        "plan",
        "--round",
        &round,
        "--roster",
        &roster,
        "--units",
        &units,
        "--out",
        s(&plan),
    ]);
    let text = std::fs::read_to_string(&plan).unwrap();
    let member = serde_json::from_str::<serde_json::Value>(&text).unwrap()["teams"][0]["members"]
        [3]["person"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(
        &plan,
        text.replacen(&format!("\"{member}\""), "\"F002\"", 1),
    )
    .unwrap();
    let err = fails(
        &[
            "verify",
            "--plan",
            s(&plan),
            "--round",
            &round,
            "--roster",
            &roster,
            "--units",
            &units,
        ],
        4,
    );
    assert!(
        hint(&err).contains("plan the round again with `xuncha plan`"),
        "{err}"
    );
}

#[test]
fn a_round_nobody_can_staff_is_told_to_add_people() {
    let dir = tempfile::tempdir().unwrap();
    // The elevated round without the city's organs: nobody may be drawn.
    let roster = roster_without(dir.path(), &["unit:zz-", ",3506,"]);
    let err = plan_elevated(dir.path(), &roster, &[]);
    assert!(hint(&err).starts_with("add people to the roster"), "{err}");
    assert!(err.contains("not where the round draws from"), "{err}");
}

#[test]
fn a_cap_no_draw_can_keep_is_told_to_raise_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let err = plan_elevated(
        dir.path(),
        &forms("roster.csv"),
        &["--randomized", "--cap", "0.1", "--seed", "1"],
    );
    assert!(hint(&err).starts_with("raise --cap"), "{err}");
}

#[test]
fn a_round_the_draw_cannot_take_is_not_blamed_on_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round.toml");
    let text = std::fs::read_to_string(example("zhangzhou-elevated")).unwrap();
    std::fs::write(
        &round,
        text.replace(
            "max_per_origin = 1",
            "max_per_origin = 1\norigin_cap = \"team\"",
        ),
    )
    .unwrap();
    let err = fails(
        &[
            "plan",
            "--round",
            s(&round),
            "--roster",
            &forms("roster.csv"),
            "--units",
            &forms("units.csv"),
            "--randomized",
            "--cap",
            "0.9",
            "--out",
            s(&dir.path().join("p.json")),
        ],
        2,
    );
    assert!(!err.contains("--cap:"), "{err}");
    assert!(
        err.contains("origin_cap") && err.contains(s(&round)),
        "{err}"
    );
}

#[test]
fn a_term_too_small_is_told_what_to_add() {
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
    let said = hint(&err);
    assert!(said.starts_with("add teams (--teams)"), "{err}");
    assert!(!said.contains("roster"), "{err}");
}

#[test]
fn a_rotation_over_two_counties_is_told_it_needs_three() {
    let err = fails(&["rotate", "--counties", "350623,350628"], 2);
    assert!(
        hint(&err).starts_with("a rotation needs at least three counties"),
        "{err}"
    );
}

#[test]
fn a_contradictory_table_is_told_to_go_back_to_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("form.csv");
    std::fs::write(&table, "序号,姓名\n1,甲\n2,乙\n合计,7人\n").unwrap();
    let err = fails(&["rectify", "check-table", s(&table)], 4);
    let said = hint(&err);
    assert!(said.contains("return it to the unit"), "{err}");
    assert!(!said.contains("plan"), "{err}");
}

#[test]
fn bad_input_and_a_refused_command_keep_their_own_hints() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(&["rotate", "--counties", "35062x"], 2);
    assert!(
        hint(&err).starts_with("check the file, line, field or argument"),
        "{err}"
    );
    let ledger = dir.path().join("leads.db");
    stdout(&[
        "leads",
        "init",
        "--ledger",
        s(&ledger),
        "--jurisdiction",
        "3506",
    ]);
    let err = fails(
        &[
            "leads",
            "transfer",
            "--ledger",
            s(&ledger),
            "--actor",
            "P8",
            "--role",
            "team-member",
            "--lead",
            "L-404",
        ],
        5,
    );
    assert!(hint(&err).starts_with("nothing was recorded"), "{err}");
}

/// A missing file is said once: the cause the message already quotes is
/// not repeated as a `caused by` line.
#[test]
fn a_missing_file_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let err = fails(
        &[
            "explain",
            "--roster",
            s(&missing),
            "--person",
            "P1",
            "--target",
            "350628",
        ],
        2,
    );
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains("nope.csv"), "{err}");
}

/// A missing file, a key or ledger that is there already, `-` where a
/// file is written and a link in place of an output file each get their
/// own advice, not the advice about a file's format; the link and the
/// file it points to are left as they were, and `leads export --out -`
/// prints.
#[test]
fn files_and_names_get_their_own_hints() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(&["rotate", "--city", "3506", "--history", "nope.csv"], 2);
    assert!(hint(&err).starts_with("no such file"), "{err}");

    let key = dir.path().join("office.key");
    stdout(&["leads", "keygen", "--out", s(&key)]);
    let before = std::fs::read(&key).unwrap();
    let err = fails(&["leads", "keygen", "--out", s(&key)], 1);
    assert!(hint(&err).contains("never replaced"), "{err}");
    assert_eq!(std::fs::read(&key).unwrap(), before);
    let ledger = dir.path().join("leads.db");
    let init = [
        "leads",
        "init",
        "--ledger",
        s(&ledger),
        "--jurisdiction",
        "3506",
    ];
    stdout(&init);
    let err = fails(&init, 2);
    assert!(hint(&err).contains("never replaced"), "{err}");

    let err = fails(
        &[
            "roster", "generate", "--count", "3", "--seed", "1", "--out", "-",
        ],
        2,
    );
    assert!(err.contains("`-` is not a file here"), "{err}");
    assert!(hint(&err).starts_with("give a file name"), "{err}");
}

/// A file named for one format is not written in another, and a new
/// ledger's folder is made.
#[test]
fn a_file_is_written_in_the_format_its_name_says() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    stdout(&[
        "leads",
        "init",
        "--ledger",
        s(&ledger),
        "--jurisdiction",
        "3506",
    ]);
    let err = fails(
        &[
            "roster",
            "generate",
            "--count",
            "3",
            "--seed",
            "1",
            "--out",
            s(&dir.path().join("r.xlsx")),
        ],
        2,
    );
    assert!(err.contains("not .xlsx"), "{err}");
    let err = fails(
        &[
            "leads",
            "export",
            "--ledger",
            s(&ledger),
            "--what",
            "log",
            "--format",
            "csv",
            "--out",
            s(&dir.path().join("log.xlsx")),
        ],
        2,
    );
    assert!(
        err.contains("names a .xlsx file, but --format is csv"),
        "{err}"
    );
    // A new ledger's folder is made, as every writer's is.
    let nested = dir.path().join("2026").join("leads.db");
    stdout(&[
        "leads",
        "init",
        "--ledger",
        s(&nested),
        "--jurisdiction",
        "3506",
    ]);
    assert!(nested.is_file());
    let printed = stdout(&[
        "leads",
        "export",
        "--ledger",
        s(&ledger),
        "--what",
        "log",
        "--format",
        "csv",
        "--out",
        "-",
    ]);
    assert!(printed.starts_with("seq,time,actor"), "{printed}");

    #[cfg(unix)]
    {
        let target = dir.path().join("kept.csv");
        std::fs::write(&target, "kept").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = fails(
            &[
                "roster",
                "generate",
                "--count",
                "3",
                "--seed",
                "1",
                "--out",
                s(&link),
            ],
            2,
        );
        assert!(err.contains("a symbolic link"), "{err}");
        assert!(
            hint(&err).starts_with("give the path of a regular file"),
            "{err}"
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
    }
}

/// When few people could fill the blocked slots they are named, and only
/// the slots that are short are reported: with two leaders for three
/// teams, the leaders' slots, not the deputies' and liaisons' too.
#[test]
fn an_infeasible_round_names_the_few_who_could_fill_the_smallest_blocked_set() {
    let dir = tempfile::tempdir().unwrap();
    // The city's organs keep two people of leader rank, from 漳浦县 and
    // 南靖县, for three teams.
    let roster = roster_without(
        dir.path(),
        &[
            "F033,", "F034,", "F035,", "F036,", "F041,", "F047,", "F048,",
        ],
    );
    let err = plan_elevated(dir.path(), &roster, &[]);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.contains("can only be filled by 2 people (F042, F043)"),
        "{err}"
    );
    assert!(first.contains("× leader of"), "{err}");
    assert!(
        !first.contains("deputy-leader") && !first.contains("× member"),
        "{err}"
    );
}

/// A table with no totals row is not said to agree: it declared nothing.
#[test]
fn a_table_without_totals_is_not_said_to_agree() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("list.csv");
    std::fs::write(&table, "单位,人数\r\n小溪镇,7\r\n山格镇,9\r\n").unwrap();
    let said = stdout(&["rectify", "check-table", s(&table)]);
    assert!(
        said.contains("no totals row") && said.contains("2 rows"),
        "{said}"
    );
    assert!(!said.contains("agree"), "{said}");
    std::fs::write(&table, "单位,人数\r\n小溪镇,7\r\n山格镇,9\r\n合  计,16\r\n").unwrap();
    let said = stdout(&["rectify", "check-table", s(&table)]);
    assert!(
        said.contains("the declared totals agree with its 2 rows"),
        "{said}"
    );
}

/// A round with more people able to serve than places it fills says what
/// holds them back: where each may go and the per-county cap, not their
/// number.
#[test]
fn a_round_held_back_by_the_per_county_cap_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let repo =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/help-examples");
    let round = std::fs::read_to_string(repo.join("round.toml"))
        .unwrap()
        .replace("members = 3", "members = 40");
    let round_file = dir.path().join("round.toml");
    std::fs::write(&round_file, round).unwrap();
    let roster = dir.path().join("roster.csv");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "3000",
        "--seed",
        "5eed",
        "--out",
        s(&roster),
    ]);
    let err = fails(
        &[
            "plan",
            "--round",
            s(&round_file),
            "--roster",
            s(&roster),
            "--out",
            s(&dir.path().join("plan.json")),
        ],
        3,
    );
    assert!(err.contains("who can fill 120 of them"), "{err}");
    assert!(err.contains("max_per_origin"), "{err}");
}
