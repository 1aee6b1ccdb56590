//! A child process appending to a `SQLite` ledger is killed with SIGKILL at
//! random moments; every event it reported committed must survive, and the
//! log must verify.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use xuncha_leads::{Ledger, SqliteStore};

use crate::common::{add_lead, ledger, member, run};

const CHILD_ENV: &str = "XUNCHA_LEADS_CRASH_CHILD";

/// The child: appends leads until killed, printing each committed id. Run
/// by `killed_writers_lose_nothing_they_reported`, never on its own.
#[test]
#[ignore = "the child of the crash test; it runs only when that test starts it"]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (mut ledger, _) = ledger(SqliteStore::create(path.as_ref()).unwrap());
    let pid = std::process::id();
    for i in 0.. {
        let id = format!("crash-{pid}-{i}");
        // Alternate single commands and small batches.
        if i % 3 == 0 {
            let batch: Vec<_> = (0..4)
                .map(|k| {
                    let id = format!("{id}-{k}");
                    xuncha_leads::Command::new(id.clone(), member(), add_lead(&id))
                })
                .collect();
            ledger.execute_batch(&batch, None).unwrap();
            for command in &batch {
                println!("committed {}", command.id);
            }
        } else {
            run(&mut ledger, &id, &member(), add_lead(&id)).unwrap();
            println!("committed {id}");
        }
    }
}

#[test]
fn killed_writers_lose_nothing_they_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let mut committed: Vec<String> = Vec::new();
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    for _round in 0..12 {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let wait = Duration::from_millis(60 + (rng >> 33) % 400);
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("committed ")
                    && tx.send(id.to_owned()).is_err()
                {
                    break;
                }
            }
        });
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL on Unix.
        child.wait().unwrap();
        reader.join().unwrap();
        committed.extend(rx.try_iter());

        let ledger = Ledger::open(SqliteStore::open(&path).unwrap()).unwrap();
        ledger.verify().unwrap();
        for id in &committed {
            assert!(
                ledger.state().leads.contains_key(id),
                "{id} was reported committed but is gone"
            );
        }
        ledger.state().check_invariants().unwrap();
    }
    assert!(
        committed.len() > 12,
        "the children committed only {} leads",
        committed.len()
    );
}
