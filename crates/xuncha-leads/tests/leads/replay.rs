//! Replaying a long log of every kind of lead event: over 20,000 events the
//! replay runs on three threads (read and hash, decode, apply), handing
//! lead ids back to be freed where they were decoded. It must rebuild
//! exactly the state the ledger built as it executed. (`sqlite.rs` covers
//! a long log of new leads, and a bad event deep in it.)

use xuncha_leads::{Action, Disposal, Ledger, MemoryStore};

use crate::common::{handler, ledger, run, transferred};

/// A ledger of `leads` leads, each added, transferred, dual-reported,
/// received and disposed of: six events a lead.
fn long_ledger(leads: usize) -> Ledger<MemoryStore> {
    let (mut ledger, _) = ledger(MemoryStore::new());
    for n in 0..leads {
        let id = format!("L{n:05}");
        transferred(&mut ledger, &id);
        let who = handler(&format!("H{}", n % 17));
        run(
            &mut ledger,
            &format!("{id}/rcv"),
            &who,
            Action::Receive { lead: id.clone() },
        )
        .unwrap();
        let disposal = if n % 3 == 0 {
            Disposal::Closed
        } else {
            Disposal::Inquiry
        };
        run(
            &mut ledger,
            &format!("{id}/dispose"),
            &who,
            Action::Dispose {
                lead: id,
                disposal,
                reason: "核实".into(),
            },
        )
        .unwrap();
    }
    ledger
}

#[test]
fn a_long_log_replays_on_threads_to_the_state_built_while_executing() {
    let ledger = long_ledger(3_500);
    let size = ledger.checkpoint().size;
    assert!(
        size > 20_000,
        "{size} events: the pipelined replay must run"
    );
    let reopened = Ledger::open(ledger.store().clone()).unwrap();
    assert_eq!(reopened.state(), ledger.state());
    assert_eq!(reopened.checkpoint(), ledger.checkpoint());

    // The command index came back too: a repeated command appends nothing.
    let mut reopened = reopened;
    let before = reopened.checkpoint();
    let receipt = run(
        &mut reopened,
        "L00042/rcv",
        &handler("H8"),
        Action::Receive {
            lead: "L00042".into(),
        },
    )
    .unwrap();
    assert_eq!(reopened.checkpoint(), before);
    assert_eq!(
        receipt.events.first().map(|e| e.seq),
        Some(receipt.events[0].seq)
    );
}
