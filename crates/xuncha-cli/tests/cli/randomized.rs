//! `xuncha plan --randomized`: a replayable draw that verifies.

use crate::common::{demo_inputs, s, xuncha};

fn run(extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = extra.iter().map(|a| (*a).to_owned()).collect();
    args.extend(demo_inputs());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    xuncha(&refs)
}

#[test]
fn a_draw_seeded_from_an_announced_text_replays_byte_for_byte_and_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = dir.path().join("one.json");
    let two = dir.path().join("two.json");
    let notice = "2026年第一轮交叉巡察抽签公告";
    for out in [&one, &two] {
        let output = run(&[
            "plan",
            "--randomized",
            "--cap",
            "0.5",
            "--alternates",
            "1",
            "--seed-from",
            notice,
            "--out",
            s(out),
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("price of randomness"), "{stdout}");
    }
    let bytes = std::fs::read(&one).expect("plan");
    assert_eq!(bytes, std::fs::read(&two).expect("plan"));
    let plan: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(plan["randomized"]["cap"], 0.5);
    assert!(
        plan["randomized"]["seed_source"]
            .as_str()
            .is_some_and(|s| s.starts_with("sha256:"))
    );
    assert!(
        plan["teams"][0]["alternates"]
            .as_array()
            .is_some_and(|a| a.len() == 1)
    );
    let output = run(&["verify", "--plan", s(&one)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_bad_cap_is_bad_input_and_a_tiny_one_is_infeasible() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("plan.json");
    let output = run(&["plan", "--randomized", "--cap", "2", "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--cap"));
    let output = run(&["plan", "--randomized", "--cap", "0.01", "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("raise the cap"));
}
