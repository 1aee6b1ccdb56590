//! `xuncha completions` and `xuncha man`: generated from the clap
//! definitions, and they parse.

use crate::common::{s, stdout};

#[test]
fn the_bash_completion_parses_and_every_shell_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let bash = stdout(&["completions", "bash"]);
    assert!(
        bash.contains("_xuncha()"),
        "{}",
        &bash[..bash.len().min(400)]
    );
    // Subcommands of subcommands are completed too.
    assert!(bash.contains("authorise") && bash.contains("completions"));
    let file = dir.path().join("xuncha.bash");
    std::fs::write(&file, &bash).unwrap();
    let check = std::process::Command::new("bash")
        .args(["-n", s(&file)])
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    for (shell, mark) in [
        ("zsh", "#compdef xuncha"),
        ("fish", "complete -c xuncha"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains(mark), "{shell}: no {mark:?}");
    }
}

#[test]
fn man_pages_are_written_for_every_command() {
    let top = stdout(&["man"]);
    assert!(
        top.starts_with(".ie") || top.contains(".TH xuncha"),
        "{}",
        &top[..200]
    );
    assert!(top.contains("completions"));
    let dir = tempfile::tempdir().unwrap();
    let said = stdout(&["man", "--out", s(dir.path())]);
    assert!(said.starts_with("wrote "), "{said}");
    for page in [
        "xuncha.1",
        "xuncha-plan.1",
        "xuncha-leads-authorise.1",
        "xuncha-term-plan.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page} has no title line");
        assert!(text.contains(".SH"), "{page} has no section");
    }
    let name = "xuncha-leads-authorise.1";
    let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert!(
        text.contains("\\-\\-post") || text.contains("--post"),
        "{name} lacks --post"
    );
}

#[test]
fn every_command_and_subcommand_has_an_example_in_its_help() {
    let tree = crate::common::command_tree();
    assert!(tree.len() > 50, "only {} commands found", tree.len());
    let missing: Vec<&str> = tree
        .iter()
        .filter(|(_, help)| !help.contains("Example"))
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(missing.is_empty(), "no example in the help of: {missing:?}");
}

/// Every command that prints results takes `--json`: all but the groups
/// and the two that print a script or a page for the shell.
#[test]
fn every_command_that_prints_results_takes_json() {
    let tree = crate::common::command_tree();
    let missing: Vec<&str> = tree
        .iter()
        .filter(|(path, help)| {
            !help.contains("Commands:")
                && !["completions", "man"].contains(&path.as_str())
                && !help.contains("--json")
        })
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(missing.is_empty(), "no --json in: {missing:?}");
}

/// Work over a second shows a spinner on a terminal only: on a pipe a
/// national load and a term plan write nothing to standard error.
#[test]
fn long_work_is_quiet_on_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["org", "summary", "--national"],
        vec![
            "term",
            "plan",
            "--jurisdiction",
            "3508",
            "--level",
            "township",
            "--term",
            "2022-01-01..2026-12-31",
            "--teams",
            "7",
            "--capacity",
            "6",
            "--out",
            s(&dir.path().join("t.json")),
        ],
    ] {
        let out = crate::common::xuncha(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A reader that stops early (`xuncha ... | head -1`) is no failure: the
/// command ends with status 0 and no panic, whatever it was printing.
#[test]
fn a_reader_that_stops_early_is_no_failure() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // About a megabyte of output: far more than a pipe holds.
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha"))
        .args(["org", "tree", "35", "--depth", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xuncha runs");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("its output")
        .read_exact(&mut first)
        .expect("the first bytes");
    // The read end is closed here, as `head` closes it.
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(String::from_utf8_lossy(&first).starts_with("35 福建省"));
}
