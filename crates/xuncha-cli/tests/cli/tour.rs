//! The README's tour, run as a new user runs it: every command of its
//! `sh` block, in order, in an empty folder, with `xuncha` on the PATH and
//! `$XUNCHA_REPO` naming this checkout; each must succeed and print what
//! its comment after `→` says, and nothing may be written outside the
//! folder.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository")
}

/// The commands of the tour's `sh` block, continuation lines joined; the
/// set-up lines (install, export, mkdir) left to the test.
fn tour_commands(readme: &str) -> Vec<String> {
    let after = readme
        .split_once("## A short tour")
        .expect("README.md has a tour")
        .1;
    let block = after
        .split_once("```sh\n")
        .expect("the tour's sh block")
        .1
        .split_once("\n```")
        .expect("the block's end")
        .0;
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
        if !line.trim_end().ends_with('\\') {
            commands.push(std::mem::take(&mut current));
        }
    }
    commands
        .into_iter()
        .filter(|c| {
            let c = c.trim_start();
            !(c.is_empty()
                || c.starts_with('#')
                || c.starts_with("cargo install")
                || c.starts_with("export XUNCHA_REPO")
                || c.starts_with("mkdir"))
        })
        .collect()
}

/// What a command's comment says it prints: the text after `# → `.
fn expected(command: &str) -> Option<&str> {
    command
        .split_once("# → ")
        .map(|(_, text)| text.lines().next().unwrap_or("").trim_end())
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_readme_tour_runs_in_an_empty_folder_and_prints_what_it_says() {
    let repo = repo();
    let readme = std::fs::read_to_string(repo.join("README.md")).expect("README.md");
    let commands = tour_commands(&readme);
    assert!(commands.len() > 30, "{} commands", commands.len());
    let folder = tempfile::tempdir().expect("an empty folder");
    let bin = Path::new(env!("CARGO_BIN_EXE_xuncha"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let before = entries(&repo);
    for command in &commands {
        let output = Command::new("bash")
            .args(["-c", command])
            .current_dir(folder.path())
            .env("PATH", &path)
            .env("XUNCHA_REPO", &repo)
            .output()
            .expect("bash runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{command}\nfailed: {}\n{stdout}",
            String::from_utf8_lossy(&output.stderr)
        );
        if let Some(text) = expected(command) {
            assert!(
                stdout.contains(text),
                "{command}\nprinted:\n{stdout}\nnot what its comment says: {text}"
            );
        }
    }
    // "the same plan as xuncha-demo/plan.json, byte for byte"
    let dir = folder.path();
    assert_eq!(
        std::fs::read(dir.join("plan.json")).expect("plan.json"),
        std::fs::read(dir.join("xuncha-demo/plan.json")).expect("the demo's plan"),
    );
    // "completions for bash": the script parses.
    let check = Command::new("bash")
        .args(["-n", "xuncha.bash"])
        .current_dir(dir)
        .output()
        .expect("bash runs");
    assert!(check.status.success());
    // Nothing written outside the folder.
    assert_eq!(entries(&repo), before, "the tour wrote into the repository");
}
