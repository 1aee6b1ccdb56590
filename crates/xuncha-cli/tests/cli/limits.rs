//! `--max-input-bytes` and `--max-targets`: inputs above a limit are
//! refused with an error naming the file and the limit, and a hint naming
//! the flag that raises it.

use crate::common::{demo_inputs, fails, s, stdout};

fn plan_with(extra: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut args: Vec<String> = vec!["plan".into()];
    args.extend(demo_inputs());
    args.extend(["--out".into(), s(&dir.join("plan.json")).to_owned()]);
    args.extend(extra.iter().map(ToString::to_string));
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn a_file_above_max_input_bytes_is_refused_naming_file_and_limit() {
    let err = fails(&strs(&plan_with(&["--max-input-bytes", "1K"])), 2);
    assert!(
        err.contains("above the limit max_input_bytes = 1024"),
        "{err}"
    );
    assert!(err.contains(".toml") || err.contains(".csv"), "{err}");
    assert!(err.contains("--max-input-bytes"), "{err}");
}

#[test]
fn a_round_above_max_targets_is_refused_and_the_limit_can_be_raised() {
    let err = fails(&strs(&plan_with(&["--max-targets", "10"])), 2);
    assert!(
        err.contains("84 targets, above the limit max_targets = 10"),
        "{err}"
    );
    assert!(err.contains("--max-targets"), "{err}");
    let out = stdout(&strs(&plan_with(&[
        "--max-targets",
        "84",
        "--max-input-bytes",
        "64M",
    ])));
    assert!(!out.is_empty());
}

#[test]
fn a_size_that_is_not_a_size_is_a_usage_error() {
    let err = fails(&strs(&plan_with(&["--max-input-bytes", "lots"])), 2);
    assert!(err.contains("`lots` is not a size"), "{err}");
}
