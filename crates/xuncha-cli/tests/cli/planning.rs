//! `xuncha plan`, `verify` and `explain`, and bad input on purpose.

use crate::common::{demo_dir, demo_inputs, fails, s, stdout, xuncha};

fn with_inputs(command: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = command.iter().map(|a| (*a).to_owned()).collect();
    args.extend(demo_inputs());
    args
}

fn run(args: &[String]) -> std::process::Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    xuncha(&refs)
}

#[test]
fn verify_accepts_the_demo_plan() {
    let plan = demo_dir().join("plan.json");
    let mut args = with_inputs(&["verify", "--plan", s(&plan)]);
    let output = run(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("the plan holds"));
    args.push("--json".into());
    let json: serde_json::Value = serde_json::from_slice(&run(&args).stdout).expect("JSON");
    assert_eq!(json["valid"], true);
}

#[test]
fn plan_reproduces_the_demo_plan_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("plan.json");
    let csv = dir.path().join("plan.csv");
    let xlsx = dir.path().join("plan.xlsx");
    let mut args = with_inputs(&[
        "plan",
        "--seed",
        "5eed",
        "--out",
        s(&out),
        "--csv",
        s(&csv),
        "--xlsx",
        s(&xlsx),
    ]);
    let output = run(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ours = std::fs::read(&out).expect("plan");
    let demo = std::fs::read(demo_dir().join("plan.json")).expect("demo plan");
    assert_eq!(ours, demo);
    assert!(
        !std::fs::read(&csv)
            .expect("csv")
            .starts_with(b"\xEF\xBB\xBF"),
        "no BOM unless asked"
    );
    assert!(xlsx.is_file());
    args.push("--json".into());
    let json: serde_json::Value = serde_json::from_slice(&run(&args).stdout).expect("JSON");
    assert_eq!(json["teams"], 84);
}

#[test]
fn a_tampered_plan_fails_verification_with_the_rule_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(demo_dir().join("plan.json")).expect("plan");
    let mut plan: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    // Put a person whose residence is in the target county into the team
    // as an ordinary member: the residence rule forbids it.
    let target = plan["teams"][0]["target"]
        .as_str()
        .expect("target")
        .to_owned();
    let roster = std::fs::read_to_string(demo_dir().join("roster.csv")).expect("roster");
    let local = roster
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[2] == target && f[3].starts_with(&target))
        .expect("someone lives in the target county");
    let members = plan["teams"][0]["members"].as_array_mut().expect("members");
    let last = members.last_mut().expect("a member");
    last["person"] = local[0].into();
    last["name"] = local[1].into();
    last["origin"] = local[2].into();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string(&plan).expect("JSON")).expect("write");
    let args = with_inputs(&["verify", "--plan", s(&tampered)]);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("violation:") && stdout.contains("residence"),
        "{stdout}"
    );
}

#[test]
fn a_round_naming_an_unknown_county_is_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = dir.path().join("round.toml");
    std::fs::write(
        &round,
        "version = 1\nid = \"x\"\ndate = \"2026-03-01\"\n[[targets]]\ntarget = \"350699\"\n",
    )
    .expect("write");
    let roster = demo_dir().join("roster.csv");
    let out = dir.path().join("plan.json");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&round),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ],
        2,
    );
    assert!(
        stderr.contains("350699") && stderr.contains("round.toml"),
        "{stderr}"
    );
}

/// A target written under an old code (龙海市 350681, a district since
/// 2021) is planned as the division that carries it, with a note; written
/// beside its new code, it is the same target twice.
#[test]
fn a_round_target_under_an_old_code_resolves_with_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = dir.path().join("round.toml");
    let write = |targets: &[&str]| {
        let text: String =
            std::iter::once("version = 1\nid = \"x\"\ndate = \"2026-03-01\"\n".to_owned())
                .chain(
                    targets
                        .iter()
                        .map(|t| format!("[[targets]]\ntarget = \"{t}\"\n")),
                )
                .collect();
        std::fs::write(&round, text).expect("write");
    };
    write(&["350681", "350628", "350627"]);
    let roster = demo_dir().join("roster.csv");
    let out = dir.path().join("plan.json");
    let args = [
        "plan",
        "--round",
        s(&round),
        "--roster",
        s(&roster),
        "--out",
        s(&out),
    ];
    let output = xuncha(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("targets[0]: 350681 is now 350604 龙海区 (renamed on 2021-02-02)"),
        "{stderr}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the plan")).expect("JSON");
    assert_eq!(plan["teams"][0]["target"], "350604");

    write(&["350681", "350604"]);
    let stderr = fails(&args, 2);
    assert!(
        stderr.contains("targets[1]: 350604 is already targets[0]"),
        "{stderr}"
    );
}

#[test]
fn a_roster_with_a_broken_row_names_the_line_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,origin,residence\nP1,王芳,350627,350628100\nP2,李四,35062x,\n",
    )
    .expect("write");
    let round = demo_dir().join("round.toml");
    let out = dir.path().join("plan.json");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&round),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ],
        2,
    );
    assert!(
        stderr.contains("line 3") && stderr.contains("origin"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn an_infeasible_round_says_which_slots_and_exits_3() {
    let dir = tempfile::tempdir().expect("temp dir");
    let roster = dir.path().join("small.csv");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "200",
        "--seed",
        "1",
        "--out",
        s(&roster),
    ]);
    let round = demo_dir().join("round.toml");
    let out = dir.path().join("plan.json");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&round),
            "--roster",
            s(&roster),
            "--out",
            s(&out),
        ],
        3,
    );
    assert!(stderr.contains("can only be filled by"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn explain_lists_every_conflict_or_says_there_is_none() {
    let roster = demo_dir().join("roster.csv");
    let text = std::fs::read_to_string(&roster).expect("roster");
    let first: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[3].starts_with(f[2]))
        .expect("someone lives in their origin county");
    let (id, origin) = (first[0], first[2]);
    let out = stdout(&[
        "explain",
        "--roster",
        s(&roster),
        "--person",
        id,
        "--target",
        origin,
        "--date",
        "2026-03-01",
    ]);
    assert!(
        out.contains("not allowed") && out.contains("居住地"),
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "explain",
        "--roster",
        s(&roster),
        "--person",
        id,
        "--target",
        origin,
        "--date",
        "2026-03-01",
        "--json",
    ]))
    .expect("JSON");
    assert!(json["conflicts"].as_array().is_some_and(|c| !c.is_empty()));
    // The JSON says what the text says: who, where, as what, when.
    assert_eq!(json["person"], id);
    assert_eq!(json["target"], origin);
    assert_eq!(json["role"], "member");
    assert_eq!(json["date"], "2026-03-01");
    assert_eq!(json["may_serve"], false);
    // A unit nobody knows is no all-clear: it is refused.
    let far = fails(
        &[
            "explain",
            "--roster",
            s(&roster),
            "--person",
            id,
            "--target",
            "unit:nowhere-x",
            "--date",
            "2026-03-01",
        ],
        2,
    );
    assert!(far.contains("no unit nowhere-x"), "{far}");
    let stderr = fails(
        &[
            "explain",
            "--roster",
            s(&roster),
            "--person",
            "NOBODY",
            "--target",
            origin,
        ],
        2,
    );
    assert!(stderr.contains("NOBODY"), "{stderr}");
}

/// The worked example of `docs/rules.md` (the tie rule), exactly.
#[test]
fn explain_prints_the_worked_example_of_the_tie_rule() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/ties");
    let file = |name: &str| format!("{dir}/{name}");
    let (units, roster, rules, officials) = (
        file("units.csv"),
        file("roster.csv"),
        file("rules.toml"),
        file("officials.csv"),
    );
    let out = stdout(&[
        "explain",
        "--units",
        &units,
        "--roster",
        &roster,
        "--rules",
        &rules,
        "--officials",
        &officials,
        "--person",
        "P1",
        "--target",
        "unit:nj-civil",
        "--date",
        "2024-03-01",
    ]);
    assert_eq!(
        out,
        "张三 (P1) as member on 南靖县民政局, 2024-03-01:\n  \
         [ties] 张三 与 南靖县民政局局长 李四 2012-03 至 2015-06 同在 漳州市财政局 任职\n      \
         张三 and 李四 (局长 of 南靖县民政局) held posts in 漳州市财政局 together from 2012-03 to 2015-06\n\
         not allowed\n"
    );
    // Without the officials file the tie rule knows no leaders.
    let out = stdout(&[
        "explain",
        "--units",
        &units,
        "--roster",
        &roster,
        "--rules",
        &rules,
        "--person",
        "P1",
        "--target",
        "unit:nj-civil",
        "--date",
        "2024-03-01",
    ]);
    assert!(out.starts_with("no conflict"), "{out}");
}

/// 专项巡察: `docs/examples/sanming-poverty.toml` selects every township of
/// 三明市 by its theme, and the round is planned (one team a township, from
/// the city's pool) and verified.
#[test]
fn the_sanming_poverty_round_sends_one_team_to_every_township_of_the_city() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/sanming-poverty.toml"
    );
    let roster = dir.path().join("roster.csv");
    let plan = dir.path().join("plan.json");
    stdout(&[
        "roster",
        "generate",
        "--count",
        "1500",
        "--seed",
        "3504",
        "--within",
        "3504",
        "--date",
        "2018-04-01",
        "--out",
        s(&roster),
    ]);
    let output = xuncha(&[
        "plan",
        "--round",
        round,
        "--roster",
        s(&roster),
        "--out",
        s(&plan),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("the theme poverty (扶贫领域) selects 147 targets"),
        "{stderr}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).expect("the plan")).expect("JSON");
    let teams = written["teams"].as_array().expect("teams");
    assert_eq!(teams.len(), 147);
    assert!(teams.iter().all(|t| {
        let target = t["target"].as_str().expect("a target");
        target.len() == 9 && target.starts_with("3504")
    }));
    let verified = stdout(&[
        "verify",
        "--plan",
        s(&plan),
        "--round",
        round,
        "--roster",
        s(&roster),
    ]);
    assert!(verified.contains("the plan holds: 147 teams"), "{verified}");
}

#[test]
fn a_theme_that_selects_nothing_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let round = dir.path().join("round.toml");
    std::fs::write(
        &round,
        "version = 1\nid = \"x\"\ndate = \"2026-03-01\"\nmode = \"special\"\n\
         [theme]\nid = \"subsistence\"\nselect = { within = \"3504\", unit_kinds = [\"bureau\"] }\n",
    )
    .expect("write");
    let roster = demo_dir().join("roster.csv");
    let stderr = fails(
        &[
            "plan",
            "--round",
            s(&round),
            "--roster",
            s(&roster),
            "--out",
            s(&dir.path().join("p.json")),
        ],
        2,
    );
    assert!(
        stderr.contains("theme.select: selects no target within 3504 三明市"),
        "{stderr}"
    );
}

/// `explain` says only what is true: without a round it says the rules
/// allow and notes that the person comes from the target's county; with
/// `--round` it is dated at the round and names what the round asks (a
/// Longyan member from the inspected county), and a deputy leader from
/// there may serve.
#[test]
fn explain_with_a_round_answers_whether_the_person_may_be_placed() {
    let dir = demo_dir();
    let roster = dir.join("roster.csv");
    let round = dir.join("round.toml");
    // P000001 comes from 350623 (漳浦县) in the demo's roster.
    let text = std::fs::read_to_string(&roster).expect("roster");
    let origin = text
        .lines()
        .find(|l| l.starts_with("P000001,"))
        .and_then(|l| l.split(',').nth(2))
        .expect("P000001")
        .to_owned();
    let rules_only = stdout(&[
        "explain",
        "--roster",
        s(&roster),
        "--person",
        "P000001",
        "--target",
        &origin,
    ]);
    assert!(
        rules_only.contains("as far as the avoidance rules go"),
        "{rules_only}"
    );
    assert!(
        rules_only.contains(&format!("comes from {origin}, a county the target lies in")),
        "{rules_only}"
    );
    let member = stdout(&[
        "explain",
        "--roster",
        s(&roster),
        "--round",
        s(&round),
        "--person",
        "P000001",
        "--target",
        &origin,
        "--role",
        "member",
    ]);
    assert!(
        member.contains(", 2026-03-01:"),
        "dated at the round: {member}"
    );
    assert!(
        member.contains("[round] a Longyan member must not come from the inspected county")
            && member.trim_end().ends_with("not allowed"),
        "{member}"
    );
    let deputy = stdout(&[
        "explain",
        "--roster",
        s(&roster),
        "--round",
        s(&round),
        "--person",
        "P000001",
        "--target",
        &origin,
        "--role",
        "deputy-leader",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&deputy).expect("JSON");
    assert_eq!(json["placement"], serde_json::json!([]), "{deputy}");
    assert_eq!(json["may_serve"], true, "{deputy}");
    // A target the round does not inspect is refused, saying so.
    let err = fails(
        &[
            "explain",
            "--roster",
            s(&roster),
            "--round",
            s(&round),
            "--person",
            "P000001",
            "--target",
            "110101",
        ],
        2,
    );
    assert!(err.contains("is not a target of the round"), "{err}");
}

/// A window counted in rounds (`window = "2 rounds"`) from the command
/// line: the earlier rounds' dates by --round-dates or --earlier-plans; an
/// inspection before the second-last round is outside the window, one
/// after it inside; with no dates every earlier inspection counts and a
/// note says so.
#[test]
fn a_window_counted_in_rounds_takes_the_earlier_rounds_dates() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,origin,inspections\nP1,林一,350602,350628|2025-03-01\n",
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "version = 1\n[[rules]]\nid = \"recent\"\nfact = \"recent-inspection\"\nscope = \"county\"\nwindow = \"2 rounds\"\nseverity = \"hard\"\nroles = [\"leader\", \"deputy-leader\", \"liaison\", \"member\"]\n",
    )
    .unwrap();
    let explain = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            "--roster",
            s(&roster),
            "--rules",
            s(&rules),
            "--person",
            "P1",
            "--target",
            "350628",
            "--date",
            "2026-03-01",
        ];
        args.extend_from_slice(extra);
        xuncha(&args)
    };
    // Rounds on 2024-09-01, 2025-06-01 and 2025-12-01: the window of two
    // reaches back to 2025-06-01, after the inspection of 2025-03-01.
    let out = explain(&["--round-dates", "2024-09-01,2025-06-01,2025-12-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("no conflict"), "{text}");
    // Two rounds back from 2026-03-01 reach 2024-09-01: inside.
    let out = explain(&["--round-dates", "2024-09-01,2025-06-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not allowed"), "{text}");
    // An earlier plan's date counts as a round date.
    let plan = dir.path().join("earlier.json");
    std::fs::write(
        &plan,
        r#"{"version":1,"round":"2025-2","date":"2025-12-01","seed":0,"solver":"x","objective":0,"balance":0,"teams":[]}"#,
    )
    .unwrap();
    let out = explain(&["--round-dates", "2025-06-01", "--earlier-plans", s(&plan)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("no conflict"), "{text}");
    // No dates: every earlier inspection counts, and a note says why.
    let out = explain(&[]);
    let text = String::from_utf8_lossy(&out.stdout);
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("not allowed"), "{text}");
    assert!(note.contains("count their window in rounds"), "{note}");
}
