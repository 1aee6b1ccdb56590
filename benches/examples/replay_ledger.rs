//! Replays and verifies a ledger file once, printing the times: for
//! profiling the replay (`perf stat`, `valgrind --tool=callgrind`).
//!
//! `cargo run --release -p xuncha-benches --example replay_ledger -- FILE`

use std::time::Instant;

use xuncha_leads::{Ledger, SqliteStore, verify_store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: replay_ledger FILE")?;
    let start = Instant::now();
    let ledger = Ledger::open(SqliteStore::open(path.as_ref())?)?;
    let replayed = start.elapsed();
    let start = Instant::now();
    let report = verify_store(ledger.store())?;
    let verified = start.elapsed();
    println!(
        "{} events, {} leads: replay {:.3} s, verify {:.3} s",
        report.events,
        ledger.state().leads.len(),
        replayed.as_secs_f64(),
        verified.as_secs_f64()
    );
    Ok(())
}
