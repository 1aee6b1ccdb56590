//! A county insider with the ledger file, `SQLite` and a shell, played through
//! the binary: what they write into the file outside the ledger's rules is
//! refused by every command that replays it, and by `verify` and the
//! level's pull, however the snapshot was arranged.

// A scenario reads best as one function, however long rustfmt makes it.
#![allow(clippy::too_many_lines)]

use std::path::{Path, PathBuf};

use crate::common::{at, ok, refused, s};

const ROSTER_HEADER: &str = "id,name,origin,residence,workplace,posts,upbringing,relatives,declared,inspections,rank,skills";

/// A ledger command at a fixed time, acting as `actor` in `role`.
fn act(ledger: &Path, actor: &str, role: &str, args: &[&str]) -> Vec<String> {
    at(ledger, "2026-03-05T09:00:00Z", actor, role, args)
}

/// A ledger of 漳州市 with lead L-001 transferred and reported to both
/// levels (each level's witness file started), and `roster` registered.
struct Scene {
    _dir: tempfile::TempDir,
    ledger: PathBuf,
    city: PathBuf,
    county: PathBuf,
    /// The registered roster: H-local lives and works in the inspected
    /// county (a conflict), H-city in the city.
    roster: PathBuf,
    /// H-local's own roster, without the conflict.
    own: PathBuf,
}

fn scene() -> Scene {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("leads.db");
    let office = |args: &[&str]| ok(&act(&ledger, "office", "inspection-office", args));
    office(&["leads", "init", "--jurisdiction", "3506"]);
    ok(&act(
        &ledger,
        "P7",
        "team-leader",
        &[
            "leads",
            "add",
            "--lead",
            "L-001",
            "--round",
            "2026-1",
            "--team",
            "2026-1/350628",
            "--target",
            "350628",
            "--summary",
            "村级工程款去向不明",
            "--source",
            "document-check",
            "--found-on",
            "2026-03-02",
            "--person",
            "某某",
        ],
    ));
    ok(&act(
        &ledger,
        "P7",
        "team-leader",
        &["leads", "transfer", "--lead", "L-001", "--level", "county"],
    ));
    let city = dir.path().join("city.witness");
    let county = dir.path().join("county.witness");
    for (to, file) in [("city", &city), ("county", &county)] {
        office(&[
            "leads",
            "report",
            "--lead",
            "L-001",
            "--to",
            to,
            "--witness",
            s(file),
            "--new-witness",
        ]);
    }
    let roster = dir.path().join("handlers.csv");
    std::fs::write(
        &roster,
        format!("{ROSTER_HEADER}\nH-local,林晓,350628,,350628,,,,,,,\nH-city,郑强,350602,,350602,,,,,,,\n"),
    )
    .unwrap();
    let own = dir.path().join("own.csv");
    std::fs::write(
        &own,
        format!("{ROSTER_HEADER}\nH-local,林晓,350602,,350602,,,,,,,\nH-city,郑强,350602,,350602,,,,,,,\n"),
    )
    .unwrap();
    office(&["leads", "register-roster", "--roster", s(&roster)]);
    Scene {
        _dir: dir,
        ledger,
        city,
        county,
        roster,
        own,
    }
}

/// The registered check's fingerprint that `roster` gives, read from the
/// snapshot of a scratch ledger that registered it.
fn fingerprint_of(roster: &Path, dir: &Path) -> String {
    let scratch = dir.join("scratch.db");
    ok(&act(
        &scratch,
        "office",
        "inspection-office",
        &["leads", "init", "--jurisdiction", "3506"],
    ));
    ok(&act(
        &scratch,
        "office",
        "inspection-office",
        &["leads", "register-roster", "--roster", s(roster)],
    ));
    let summary = summary(&scratch);
    summary["registered_check"].as_str().unwrap().to_owned()
}

fn summary(ledger: &Path) -> serde_json::Value {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    let bytes: Vec<u8> = conn
        .query_row("SELECT summary FROM snapshot", [], |row| row.get(0))
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn sql(ledger: &Path, statements: &str) {
    rusqlite::Connection::open(ledger)
        .unwrap()
        .execute_batch(statements)
        .unwrap();
}

fn verify_with_witnesses(scene: &Scene) -> Vec<String> {
    act(
        &scene.ledger,
        "office",
        "inspection-office",
        &[
            "leads",
            "verify",
            "--witnesses",
            s(&scene.city),
            s(&scene.county),
        ],
    )
}

#[test]
fn a_conflicted_handler_who_registers_his_own_roster_in_the_snapshot_is_refused() {
    let scene = scene();
    // The honest ledger verifies against both witnesses.
    ok(&verify_with_witnesses(&scene));
    // The conflicted handler puts his own roster's fingerprint into the
    // snapshot's summary: the write commands read the registered check
    // from there.
    let own = fingerprint_of(&scene.own, scene.ledger.parent().unwrap());
    let mut forged = summary(&scene.ledger);
    assert_ne!(forged["registered_check"], own.as_str());
    forged["registered_check"] = own.into();
    let conn = rusqlite::Connection::open(&scene.ledger).unwrap();
    conn.execute(
        "UPDATE snapshot SET summary = ?1",
        [serde_json::to_vec(&forged).unwrap()],
    )
    .unwrap();
    drop(conn);
    // The summary's facts are bound to the state root the last event
    // commits to: the receive under his roster is refused before anything
    // is decided, and nothing is appended.
    let handler = |args: &[&str]| act(&scene.ledger, "H-local", "discipline-handler", args);
    let receive = handler(&[
        "leads",
        "receive",
        "--lead",
        "L-001",
        "--roster",
        s(&scene.own),
    ]);
    let err = refused(&receive, 4);
    assert!(err.contains("state root"), "{err}");
    // He drops the snapshot, so that the next command replays: the replay
    // knows the registered roster from the log, and refuses his (exit 5).
    sql(
        &scene.ledger,
        "DELETE FROM snapshot; DELETE FROM snapshot_records; DELETE FROM snapshot_commands;",
    );
    let err = refused(&receive, 5);
    assert!(err.contains("not those registered"), "{err}");
    // Under the registered roster the rules decide, and the ledger verifies
    // against both witnesses.
    ok(&handler(&[
        "leads",
        "receive",
        "--lead",
        "L-001",
        "--roster",
        s(&scene.roster),
    ]));
    ok(&verify_with_witnesses(&scene));
}

#[test]
fn a_lead_edited_to_transferred_in_the_snapshot_cannot_be_reported() {
    let scene = scene();
    ok(&act(
        &scene.ledger,
        "P7",
        "team-leader",
        &[
            "leads",
            "add",
            "--lead",
            "L-002",
            "--round",
            "2026-1",
            "--team",
            "2026-1/350628",
            "--target",
            "350628",
            "--summary",
            "项目审批违规",
            "--source",
            "document-check",
            "--found-on",
            "2026-03-03",
        ],
    ));
    // A snapshot row edited to `transferred` lets the ledger's own `report`
    // append a report of a lead never transferred.
    let conn = rusqlite::Connection::open(&scene.ledger).unwrap();
    let body: Vec<u8> = conn
        .query_row(
            "SELECT body FROM snapshot_records WHERE id = 'L-002'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let mut lead: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(lead["stage"], "found");
    lead["stage"] = "transferred".into();
    conn.execute(
        "UPDATE snapshot_records SET body = ?1 WHERE id = 'L-002'",
        [serde_json::to_vec(&lead).unwrap()],
    )
    .unwrap();
    drop(conn);
    // The row no longer hashes to the state root the log commits to: the
    // report is refused before anything is decided, and nothing appended.
    let events = |ledger: &Path| -> i64 {
        rusqlite::Connection::open(ledger)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM events", [], |row| row.get(0))
            .unwrap()
    };
    let before = events(&scene.ledger);
    let report = act(
        &scene.ledger,
        "office",
        "inspection-office",
        &[
            "leads",
            "report",
            "--lead",
            "L-002",
            "--to",
            "city",
            "--witness",
            s(&scene.city),
        ],
    );
    let err = refused(&report, 4);
    assert!(err.contains("state root"), "{err}");
    assert_eq!(events(&scene.ledger), before);
    // Dropping the snapshot does not help: replayed from the log, the lead
    // is found, and the rules refuse the report (exit 5).
    sql(
        &scene.ledger,
        "DELETE FROM snapshot; DELETE FROM snapshot_records; DELETE FROM snapshot_commands;",
    );
    let err = refused(&report, 5);
    assert!(err.contains("`report` is not allowed there"), "{err}");
    ok(&verify_with_witnesses(&scene));
}

#[test]
fn a_deadline_moved_in_the_snapshot_is_refused_by_every_command() {
    let scene = scene();
    // L-001 has been with the commission since its reports: overdue by
    // 2026-04-01.
    let overdue_at = |ledger: &Path| {
        vec![
            "leads".to_owned(),
            "overdue".to_owned(),
            "--ledger".to_owned(),
            s(ledger).to_owned(),
            "--now".to_owned(),
            "2026-04-01T09:00:00Z".to_owned(),
        ]
    };
    let listed = ok(&overdue_at(&scene.ledger));
    assert!(listed.contains("L-001"), "{listed}");
    // One UPDATE moves its deadline to 2099, inside the row.
    let conn = rusqlite::Connection::open(&scene.ledger).unwrap();
    let body: Vec<u8> = conn
        .query_row(
            "SELECT body FROM snapshot_records WHERE id = 'L-001'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let text = String::from_utf8(body).unwrap();
    let deadline = serde_json::from_str::<serde_json::Value>(&text).unwrap()["deadline"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = text.replace(&deadline, "2099-12-31T00:00:00Z");
    assert_ne!(moved, text);
    conn.execute(
        "UPDATE snapshot_records SET body = ?1 WHERE id = 'L-001'",
        [moved.into_bytes()],
    )
    .unwrap();
    drop(conn);
    // Every command that reads the row refuses it, naming the state root.
    let err = refused(&overdue_at(&scene.ledger), 4);
    assert!(err.contains("state root"), "{err}");
    let err = refused(
        &act(
            &scene.ledger,
            "office",
            "inspection-office",
            &["leads", "escalate", "--lead", "L-001"],
        ),
        4,
    );
    assert!(err.contains("state root"), "{err}");
    let err = refused(
        &act(
            &scene.ledger,
            "office",
            "inspection-office",
            &[
                "leads", "export", "--what", "state", "--format", "json", "--out", "-",
            ],
        ),
        4,
    );
    assert!(err.contains("state root"), "{err}");
    // So does verification, which names the lead.
    let err = refused(&verify_with_witnesses(&scene), 4);
    assert!(err.contains("state root") || err.contains("L-001"), "{err}");
}

/// `leads verify --witnesses` beside a reporter and three writers raises
/// no false alarm: the witness files are read before the ledger, and a
/// reporter appends before it witnesses. `XUNCHA_VERIFY_RUNS` sets the
/// number of verifications (the check is 500; the suite runs 40).
#[test]
fn verifying_against_the_witnesses_beside_reporters_and_writers_raises_no_false_alarm() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let scene = Arc::new(scene());
    let runs: usize = std::env::var("XUNCHA_VERIFY_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let done = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let run = |args: Vec<String>| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xuncha"))
            .args(&args)
            .output()
            .expect("xuncha runs")
    };
    let add = move |ledger: &Path, lead: &str| {
        act(
            ledger,
            "P7",
            "team-leader",
            &[
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
                "并发写入",
                "--source",
                "document-check",
                "--found-on",
                "2026-03-02",
            ],
        )
    };
    let mut workers = Vec::new();
    // Three writers adding leads, and a reporter transferring and reporting
    // its own to both levels, each level's file witnessing every report.
    for writer in 0..4 {
        let scene = Arc::clone(&scene);
        let done = Arc::clone(&done);
        let written = Arc::clone(&written);
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                let lead = format!("W{writer}-{n}");
                n += 1;
                let output = run(add(&scene.ledger, &lead));
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                if writer == 3 {
                    let office =
                        |args: &[&str]| act(&scene.ledger, "office", "inspection-office", args);
                    let transfer = act(
                        &scene.ledger,
                        "P7",
                        "team-leader",
                        &["leads", "transfer", "--lead", &lead, "--level", "county"],
                    );
                    let output = run(transfer);
                    assert!(
                        output.status.success(),
                        "{}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                    for (to, file) in [("city", &scene.city), ("county", &scene.county)] {
                        let output = run(office(&[
                            "leads",
                            "report",
                            "--lead",
                            &lead,
                            "--to",
                            to,
                            "--witness",
                            s(file),
                        ]));
                        assert!(
                            output.status.success(),
                            "{}",
                            String::from_utf8_lossy(&output.stderr)
                        );
                    }
                }
                written.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let mut alarms = Vec::new();
    for _ in 0..runs {
        let output = run(verify_with_witnesses(&scene));
        if !output.status.success() {
            alarms.push(String::from_utf8_lossy(&output.stderr).into_owned());
        }
    }
    done.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("a writer");
    }
    assert!(
        written.load(Ordering::Relaxed) > 0,
        "the writers wrote nothing"
    );
    assert!(
        alarms.is_empty(),
        "{} of {runs} verifications failed beside the writers: {}",
        alarms.len(),
        alarms.first().map_or("", String::as_str)
    );
    ok(&verify_with_witnesses(&scene));
}
