//! Witnesses: checkpoints carried by dual reports, inclusion proofs of a
//! lead's events, and a forked log caught by the consistency proof.

use xuncha_leads::{Change, Error, MemoryStore, ReportRecipient, Store};

use crate::common::{add_lead, ledger, member, run, transferred};

#[test]
fn each_dual_report_carries_a_checkpoint_the_log_later_proves_it_extends() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    transferred(&mut ledger, "L1");
    let reports = ledger.state().lead("L1").unwrap().reports.clone();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].to, ReportRecipient::CityLeadingGroup);
    // The county's report saw one more event (the city's report) than the city's.
    assert_eq!(reports[1].checkpoint.size, reports[0].checkpoint.size + 1);
    for _ in 0..5 {
        let id = format!("L{}", ledger.checkpoint().size);
        transferred(&mut ledger, &id);
    }
    for report in &reports {
        let proof = ledger.prove_extends(&report.checkpoint).unwrap();
        assert!(proof.verify());
        assert_eq!(proof.new, ledger.checkpoint());
    }
}

#[test]
fn a_leads_events_come_with_an_inclusion_proof_for_a_supervisor() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    for i in 0..7 {
        transferred(&mut ledger, &format!("L{i}"));
    }
    let proof = ledger.prove_lead("L3").unwrap();
    assert_eq!(proof.events.len(), 4);
    assert!(proof.verify());
    assert!(proof.events[0].body.contains("lead-found"));
    let mut forged = proof.clone();
    forged.events[1].body = forged.events[1].body.replace("\"L3\"", "\"L4\"");
    assert_ne!(forged.events[1].body, proof.events[1].body);
    assert!(!forged.verify());
    let mut stale = proof;
    stale.checkpoint.root = ledger.prove_lead("L0").unwrap().events[0].path[0];
    assert!(!stale.verify());
}

#[test]
fn a_log_forked_to_drop_a_lead_fails_the_witness_consistency_check() {
    // The honest ledger: L1, then L2, reported; the county keeps a checkpoint.
    let (mut honest, _) = ledger(MemoryStore::new());
    transferred(&mut honest, "L1");
    transferred(&mut honest, "L2");
    let witness = honest.state().lead("L2").unwrap().reports[1].checkpoint;
    // The fork: the same history without L2, padded with other events so it
    // is as long as (or longer than) the witness.
    let (mut fork, _) = ledger(MemoryStore::new());
    transferred(&mut fork, "L1");
    for i in 0..6 {
        run(
            &mut fork,
            &format!("pad{i}"),
            &member(),
            add_lead(&format!("P{i}")),
        )
        .unwrap();
    }
    assert!(fork.checkpoint().size >= witness.size);
    let err = fork.prove_extends(&witness).unwrap_err();
    assert!(matches!(err, Error::Inconsistent { .. }), "{err}");
    // Nor can a consistency proof built from the fork's own tree pass
    // against the witness, nor the honest proof against the fork's head.
    let mut tree = xuncha_leads::merkle::MerkleTree::new();
    fork.store()
        .for_each(0, &mut |_, bytes| {
            tree.push(xuncha_leads::merkle::leaf_hash(bytes));
            Ok(())
        })
        .unwrap();
    let forged = tree.consistency_proof(witness.size, tree.len()).unwrap();
    assert!(!witness.is_extended_by(&fork.checkpoint(), &forged));
    let mut proof = honest.prove_extends(&witness).unwrap();
    proof.new = fork.checkpoint();
    assert!(!proof.verify());
    // The honest log extends it, and the fork's prefix shares L1's events.
    assert!(honest.prove_extends(&witness).unwrap().verify());
    assert!(
        fork.events()
            .unwrap()
            .iter()
            .all(|e| !matches!(&e.change, Change::LeadFound { lead } if lead.id == "L2"))
    );
}
