//! `xuncha replan`: after a withdrawal, a plan that verifies and the diff.

use crate::common::{demo_dir, demo_inputs, s, xuncha};

fn run(extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = extra.iter().map(|a| (*a).to_owned()).collect();
    args.extend(demo_inputs());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    xuncha(&refs)
}

#[test]
fn replan_after_a_withdrawal_writes_a_plan_that_verifies_and_says_what_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = demo_dir().join("plan.json");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let person = json["teams"][3]["members"][4]["person"]
        .as_str()
        .expect("a member")
        .to_owned();
    let out = dir.path().join("plan2.json");
    let diff = dir.path().join("diff.json");
    let output = run(&[
        "replan",
        "--plan",
        s(&plan),
        "--withdraw",
        &person,
        "--out",
        s(&out),
        "--diff",
        s(&diff),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("{person} (")) && stdout.contains("-> -"),
        "{stdout}"
    );
    let diff: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&diff).expect("diff")).expect("JSON");
    assert!(diff["moved"].as_u64().is_some_and(|m| m <= 3), "{diff}");
    let output = run(&["verify", "--plan", s(&out)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = run(&[
        "replan",
        "--plan",
        s(&plan),
        "--withdraw",
        "NOBODY",
        "--out",
        s(&out),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOBODY"));
}
