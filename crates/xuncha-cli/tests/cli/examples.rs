//! Every example in every command's `--help` runs, as a clerk would type
//! it: in one folder holding `testdata/help-examples/` (a round, rules,
//! handlers, items, tables, a petitioner's file, a units file, a history
//! of pairings and a copy of the Fujian division files as
//! `divisions-2024/`), with `xuncha` on the PATH, one command after the
//! other in the order of a season's work ([`ORDER`]): the demo, the roster
//! and the plan, the places, the term, a lead from its finding to its
//! case, a finding list, the statistics, the shell.
//!
//! An example passes when it exits 0, or with the status its comment
//! names (`# exit 4: ...`). `$CHECKPOINT` holds the last `checkpoint
//! N:ROOT` an earlier example printed, as a clerk would copy it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::command_tree;

/// Every command, in the order its examples run: each uses the files the
/// ones before it wrote.
const ORDER: &[&str] = &[
    "",
    "demo",
    "roster",
    "roster generate",
    "plan",
    "verify",
    "explain",
    "replan",
    "rotate",
    "org",
    "org summary",
    "org show",
    "org find",
    "org tree",
    "term",
    "term plan",
    "term progress",
    "leads keygen",
    "leads init",
    "leads enrol",
    "leads revoke",
    "leads register-roster",
    "leads authorise",
    "leads authorisations",
    "leads add",
    "leads transfer",
    "leads report",
    "leads receive",
    "leads dispose",
    "leads file-case",
    "leads conclude",
    "leads reveal",
    "leads escalate",
    "leads overdue",
    "leads clusters",
    "leads prove",
    "leads verify",
    "leads export",
    "leads import",
    "leads witness",
    "leads upgrade",
    "leads",
    "rectify issue",
    "rectify close",
    "rectify rule",
    "rectify follow-up",
    "rectify look-back",
    "rectify obstruct",
    "rectify criticise",
    "rectify status",
    "rectify check-table",
    "rectify",
    "stats",
    "completions",
    "man",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository")
}

/// The examples of one help text: its lines that start `  xuncha `.
fn examples(help: &str) -> impl Iterator<Item = &str> {
    help.lines()
        .filter(|l| l.starts_with("  xuncha "))
        .map(str::trim)
}

/// The exit status an example's comment names (`# exit 4: ...`), else 0.
fn expected_status(example: &str) -> i32 {
    example
        .split_once("# exit ")
        .and_then(|(_, rest)| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The last `checkpoint N:ROOT` in `text`.
fn last_checkpoint(text: &str) -> Option<String> {
    text.split("checkpoint ")
        .skip(1)
        .filter_map(|rest| {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_hexdigit() || *c == ':')
                .collect();
            let (size, root) = word.split_once(':')?;
            (!size.is_empty() && root.len() == 64).then_some(word)
        })
        .last()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder") {
        let entry = entry.expect("an entry");
        if entry.file_name() != "README.md" {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copied");
        }
    }
}

#[test]
fn expected_statuses_and_checkpoints_are_read_as_a_clerk_writes_them() {
    assert_eq!(expected_status("xuncha rectify check-table f.csv"), 0);
    assert_eq!(
        expected_status("xuncha rectify check-table f.csv   # exit 4: no"),
        4
    );
    let root = "ab".repeat(32);
    assert_eq!(
        last_checkpoint(&format!(
            "checkpoint 1:{root}\nchecked checkpoint 12:{root} (it covers)"
        )),
        Some(format!("12:{root}"))
    );
    assert_eq!(last_checkpoint("checkpoint 3:abc"), None);
}

#[test]
fn every_example_in_every_help_runs() {
    let tree = command_tree();
    let found: BTreeSet<&str> = tree.iter().map(|(path, _)| path.as_str()).collect();
    let ordered: BTreeSet<&str> = ORDER.iter().copied().collect();
    assert_eq!(
        found.difference(&ordered).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "commands with no place in ORDER: give each one, after the commands whose files its examples use"
    );
    assert_eq!(
        ordered.difference(&found).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "ORDER names commands that do not exist"
    );

    let repo = repo();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let work = dir.path();
    copy_dir(&repo.join("testdata/help-examples"), work);
    copy_dir(
        &repo.join("crates/xuncha-org/data/fujian"),
        &work.join("divisions-2024"),
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_xuncha"))
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut ran = BTreeSet::new();
    let mut checkpoint = String::new();
    let mut failed = Vec::new();
    for command in ORDER {
        let help = &tree
            .iter()
            .find(|(path, _)| path == command)
            .expect("in the tree")
            .1;
        for example in examples(help) {
            // An example given in two helps runs once, where it first appears.
            if !ran.insert(example.to_owned()) {
                continue;
            }
            let out = Command::new("bash")
                .args(["-c", &format!("set -o pipefail; {example}")])
                .current_dir(work)
                .env("PATH", &path)
                .env("HOME", work)
                .env("CHECKPOINT", &checkpoint)
                .output()
                .expect("bash runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if let Some(seen) = last_checkpoint(&stdout) {
                checkpoint = seen;
            }
            let want = expected_status(example);
            if out.status.code() != Some(want) || stderr.contains("panicked") {
                failed.push(format!(
                    "`{example}` (help of `xuncha {command}`): exit {:?}, expected {want}\n{stdout}{stderr}",
                    out.status.code()
                ));
            }
        }
    }
    assert!(ran.len() > 80, "only {} examples found", ran.len());
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
