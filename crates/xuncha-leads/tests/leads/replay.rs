//! Replaying a long log of every kind of lead event: over 20,000 events the
//! replay runs on three threads (read and hash, decode, apply), handing
//! lead ids back to be freed where they were decoded. It must rebuild
//! exactly the state the ledger built as it executed. (`sqlite.rs` covers
//! a long log of new leads, and a bad event deep in it.)

use xuncha_leads::{Action, Disposal, Ledger, MemoryStore, Store};

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
    let replayed = Ledger::open_replaying(ledger.store().clone()).unwrap();
    assert_eq!(replayed.state(), ledger.state());
    assert_eq!(replayed.checkpoint(), ledger.checkpoint());
    // From the snapshot, the same.
    let reopened = Ledger::open(ledger.store().clone()).unwrap();
    assert_eq!(reopened.state(), ledger.state());
    // Every event read back on threads, checked against the root: as the
    // events decoded one by one.
    let mut one_by_one = Vec::new();
    ledger
        .store()
        .for_each(0, &mut |seq, bytes| {
            one_by_one.push(xuncha_leads::Event::decode(bytes, seq)?);
            Ok(())
        })
        .unwrap();
    assert_eq!(reopened.events().unwrap(), one_by_one);

    // The command index came back too: a repeated command appends nothing,
    // on the replayed ledger and on the one that looks it up in the
    // snapshot.
    for mut reopened in [replayed, reopened] {
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
        assert!(receipt.duplicate);
        assert_eq!(reopened.checkpoint(), before);
        assert!(receipt.events.iter().all(|e| e.command == "L00042/rcv"));
        assert!(!receipt.events.is_empty());
    }
}
