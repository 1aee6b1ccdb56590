//! Storage that fails under the command: a full disk and a read-only one,
//! each a small tmpfs mounted for the test (root only). Every writer leaves
//! the old file or none, never a truncated one; the ledger loses nothing it
//! acknowledged; storage failures exit 1 with their own hint.
//!
//! Mounting needs root. Where it cannot mount, each test says so and checks
//! nothing else, unless `XUNCHA_REQUIRE_TMPFS=1` (as `.ci/run` sets), where
//! it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{demo_inputs, fails, s, stdout, xuncha};

/// A tmpfs of `size` mounted on a fresh folder, unmounted when dropped.
struct Tmpfs {
    _parent: tempfile::TempDir,
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let parent = tempfile::tempdir().expect("temp dir");
        let dir = parent.path().join("mnt");
        std::fs::create_dir(&dir).expect("mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var("XUNCHA_REQUIRE_TMPFS").as_deref() != Ok("1"),
                "cannot mount a tmpfs, and XUNCHA_REQUIRE_TMPFS=1"
            );
            eprintln!("note: cannot mount a tmpfs here (not root?): storage test skipped");
            return None;
        }
        Some(Tmpfs {
            _parent: parent,
            dir,
        })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Fills the disk: one file takes every byte left.
    fn fill(&self) -> PathBuf {
        use std::io::Write as _;
        let path = self.path("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let mut small = [0u8; 512];
        while file.write_all(&small[..]).is_ok() {}
        small = [0u8; 512];
        while file.write_all(&small[..1]).is_ok() {}
        let _ = file.sync_all();
        path
    }

    fn remount_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// The files in `dir` whose names start with a dot: temporary files left.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

fn ledger_args<'a>(ledger: &'a Path, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = rest.to_vec();
    args.extend([
        "--ledger",
        s(ledger),
        "--now",
        "2026-03-02T09:00:00Z",
        "--actor",
        "office",
        "--role",
        "inspection-office",
    ]);
    args
}

fn add<'a>(ledger: &'a Path, lead: &'a str) -> Vec<&'a str> {
    let mut args = vec![
        "leads",
        "add",
        "--lead",
        lead,
        "--round",
        "2026-1",
        "--team",
        "2026-1/350628",
        "--target",
        "350628",
        "--summary",
        "村级工程款去向不明",
        "--source",
        "interview",
        "--found-on",
        "2026-03-02",
        "--id",
        lead,
    ];
    args.extend([
        "--ledger",
        s(ledger),
        "--now",
        "2026-03-02T09:00:00Z",
        "--actor",
        "P7",
        "--role",
        "team-leader",
    ]);
    args
}

#[test]
fn on_a_full_disk_every_writer_leaves_the_old_file_or_none() {
    let Some(disk) = Tmpfs::mount("2m") else {
        return;
    };
    // Written while there is room.
    let plan = disk.path("plan.json");
    std::fs::write(&plan, "the old plan").unwrap();
    let ledger = disk.path("leads.db");
    stdout(&ledger_args(
        &ledger,
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    stdout(&add(&ledger, "L1"));
    let export = disk.path("log.json");
    stdout(&args_export(&ledger, &export));
    let exported = std::fs::read(&export).unwrap();
    let log_copy = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(log_copy.path(), &exported).unwrap();

    let filler = disk.fill();

    // A plan: the old file stays, no temporary is left, exit 1 with a hint.
    let mut args: Vec<String> = vec!["plan".into()];
    args.extend(demo_inputs());
    args.extend(["--out".into(), s(&plan).into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = fails(&args, 1);
    assert!(
        err.contains("plan.json") && err.contains("nothing was half-written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), "the old plan");
    // An export of the ledger: the old export stays.
    let err = fails(&args_export(&ledger, &export), 1);
    assert!(err.contains("log.json"), "{err}");
    assert_eq!(std::fs::read(&export).unwrap(), exported);
    // An append: refused, exit 1, the disk named; nothing lost.
    let err = fails(&add(&ledger, "L2"), 1);
    assert!(
        err.contains("disk is full") || err.contains("full"),
        "{err}"
    );
    // A new ledger, an import, a demo: nothing left behind.
    let fresh = disk.path("fresh.db");
    fails(
        &ledger_args(&fresh, &["leads", "init", "--jurisdiction", "3506"]),
        1,
    );
    assert!(!fresh.exists());
    let imported = disk.path("imported.db");
    fails(
        &[
            "leads",
            "import",
            "--from",
            s(log_copy.path()),
            "--ledger",
            s(&imported),
        ],
        1,
    );
    assert!(!imported.exists());
    let demo = disk.path("demo");
    let output = xuncha(&["demo", "--out", s(&demo)]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    if demo.exists() {
        let names: Vec<_> = std::fs::read_dir(&demo).unwrap().flatten().collect();
        assert!(names.is_empty(), "the failed demo left {names:?}");
    }
    assert!(
        leftovers(&disk.dir).is_empty(),
        "{:?}",
        leftovers(&disk.dir)
    );

    // Room again: the ledger holds every acknowledged event, verifies, and
    // the refused append goes through once sent again.
    std::fs::remove_file(filler).unwrap();
    let verified = stdout(&ledger_args(&ledger, &["leads", "verify"]));
    assert!(verified.contains("ledger verifies: 2 events"), "{verified}");
    stdout(&add(&ledger, "L2"));
    let again = stdout(&add(&ledger, "L2"));
    assert!(again.contains("already recorded"), "{again}");
    stdout(&ledger_args(
        &fresh,
        &["leads", "init", "--jurisdiction", "3506"],
    ));
}

fn args_export<'a>(ledger: &'a Path, out: &'a Path) -> Vec<&'a str> {
    let mut args = ledger_args(
        ledger,
        &["leads", "export", "--what", "log", "--format", "json"],
    );
    args.extend(["--out", s(out)]);
    args
}

#[test]
fn a_ledger_on_a_read_only_disk_verifies_and_exports_and_refuses_appends_clearly() {
    let Some(disk) = Tmpfs::mount("4m") else {
        return;
    };
    let ledger = disk.path("leads.db");
    stdout(&ledger_args(
        &ledger,
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    stdout(&add(&ledger, "L1"));
    disk.remount_read_only();
    let verified = stdout(&ledger_args(&ledger, &["leads", "verify"]));
    assert!(verified.contains("ledger verifies: 2 events"), "{verified}");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("leads.csv");
    let mut args = ledger_args(
        &ledger,
        &["leads", "export", "--what", "leads", "--format", "csv"],
    );
    args.extend(["--out", s(&out)]);
    stdout(&args);
    assert!(std::fs::read_to_string(&out).unwrap().contains("L1"));
    let stats = stdout(&["stats", "--ledger", s(&ledger)]);
    assert!(!stats.is_empty());
    let overdue = stdout(&ledger_args(&ledger, &["leads", "overdue"]));
    assert!(overdue.contains("overdue"), "{overdue}");
    let err = fails(&add(&ledger, "L2"), 1);
    assert!(
        err.contains("read-only") || err.contains("readonly"),
        "{err}"
    );
    assert!(
        err.contains("hint:") && !err.contains("check the file, line"),
        "{err}"
    );
}

#[test]
fn a_user_who_may_only_read_the_ledger_can_verify_and_export_it() {
    use std::os::unix::fs::PermissionsExt;
    // Needs root to act as another user; as for the tmpfs, CI requires it.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !root {
        assert!(
            std::env::var("XUNCHA_REQUIRE_TMPFS").as_deref() != Ok("1"),
            "not root, and XUNCHA_REQUIRE_TMPFS=1"
        );
        eprintln!("note: not root: the read-only-user test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ledger = dir.path().join("leads.db");
    stdout(&ledger_args(
        &ledger,
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    stdout(&add(&ledger, "L1"));
    // The administrator lets others read the file, and nothing more.
    std::fs::set_permissions(&ledger, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_xuncha"))
            .args(args)
            .output()
            .expect("setpriv runs")
    };
    let verified = as_nobody(&["leads", "verify", "--ledger", s(&ledger)]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let csv = out.join("leads.csv");
    let exported = as_nobody(&[
        "leads",
        "export",
        "--ledger",
        s(&ledger),
        "--what",
        "leads",
        "--format",
        "csv",
        "--out",
        s(&csv),
    ]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(std::fs::read_to_string(&csv).unwrap().contains("L1"));
    let refused = as_nobody(&add(&ledger, "L2"));
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("read-only") || err.contains("readonly"),
        "{err}"
    );
    // Nothing was written beside the ledger by the reader.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
