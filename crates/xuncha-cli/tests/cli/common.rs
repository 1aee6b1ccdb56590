//! Running the binary, and one demo directory shared by the tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub(crate) fn xuncha(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xuncha"))
        .args(args)
        .output()
        .expect("the xuncha binary runs")
}

/// Runs `xuncha` and returns its standard output, failing on a non-zero exit.
pub(crate) fn stdout(args: &[&str]) -> String {
    let output = xuncha(args);
    assert!(
        output.status.success(),
        "xuncha {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Runs `xuncha`, expecting exit status `code`; returns standard error.
pub(crate) fn fails(args: &[&str], code: i32) -> String {
    let output = xuncha(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(code),
        "xuncha {args:?}: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

pub(crate) fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The national division list as files (the embedded list written out
/// once), for the tests of `--divisions DIR`.
pub(crate) fn national_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        xuncha::org::write_national_files(dir.path()).expect("written out");
        dir
    })
    .path()
}

/// A directory the demo has written into, once per test binary.
pub(crate) fn demo_dir() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("demo");
        stdout(&["demo", "--out", s(&out)]);
        (dir, out)
    })
    .1
}

/// The demo's round, roster, rules and officials as `--round ... --roster
/// ... --rules ... --officials ...`.
pub(crate) fn demo_inputs() -> Vec<String> {
    let dir = demo_dir();
    vec![
        "--round".into(),
        dir.join("round.toml").display().to_string(),
        "--roster".into(),
        dir.join("roster.csv").display().to_string(),
        "--rules".into(),
        dir.join("rules.toml").display().to_string(),
        "--officials".into(),
        dir.join("officials.json").display().to_string(),
    ]
}

/// Every command and subcommand, as the words that name it (`""` for
/// `xuncha` itself, `"leads add"`), with its `--help`: the tree walked
/// through the `Commands:` sections of the help texts.
pub(crate) fn command_tree() -> Vec<(String, String)> {
    let mut tree = Vec::new();
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&args);
        for sub in subcommands(&help) {
            let mut next = path.clone();
            next.push(sub);
            queue.push(next);
        }
        tree.push((path.join(" "), help));
    }
    tree
}

/// The subcommands listed under `Commands:` in `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Runs a ledger command at a fixed time, acting as `actor` in `role`.
pub(crate) fn at(ledger: &Path, time: &str, actor: &str, role: &str, args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(ToString::to_string).collect();
    all.extend(
        [
            "--ledger",
            s(ledger),
            "--now",
            time,
            "--actor",
            actor,
            "--role",
            role,
        ]
        .map(String::from),
    );
    all
}

/// Runs `xuncha` with owned arguments (as [`at`] builds them), as [`stdout`].
pub(crate) fn ok(args: &[String]) -> String {
    stdout(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Runs `xuncha` with owned arguments, as [`fails`].
pub(crate) fn refused(args: &[String], code: i32) -> String {
    fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), code)
}
