//! Exports: JSON, CSV and xlsx of the log and the state, never with a
//! petitioner's identity.

use calamine::{Reader, Xlsx, open_workbook};
use xuncha_leads::export::{
    findings_table, import_log_json, leads_table, log_table, read_log_json, write_log_json,
    write_state_json, write_xlsx,
};
use xuncha_leads::{
    Action, Error, FindingItemFacts, FindingListFacts, LeadSource, MemoryStore, PetitionChannel,
};

use crate::common::{facts, ledger, member, office, run};

const NAME: &str = "王秀英";
const PHONE: &str = "13912345678";

#[test]
fn no_export_shows_a_petitioners_identity() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let mut lead = facts("L1", false);
    lead.source = LeadSource::Petition {
        channel: PetitionChannel::Visit,
        reference: None,
    };
    run(
        &mut ledger,
        "a",
        &member(),
        Action::AddLead {
            lead,
            petitioner: Some(format!("{NAME} {PHONE}")),
        },
    )
    .unwrap();
    let item = FindingItemFacts {
        finding: "问题".into(),
        responsible: "责任人".into(),
        measures: "措施".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
    };
    run(
        &mut ledger,
        "f",
        &office(),
        Action::IssueFindings {
            list: FindingListFacts {
                id: "F1".into(),
                round: "2026-1".into(),
                unit: "350628".into(),
                issued_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                items: vec![item],
            },
        },
    )
    .unwrap();

    // Stored apart, for the office that must answer the petitioner.
    let LeadSource::Petition {
        reference: Some(reference),
        ..
    } = &ledger.state().lead("L1").unwrap().facts.source
    else {
        panic!("the lead keeps a reference to its petitioner");
    };
    let reveal = xuncha_leads::Command::new(
        "reveal",
        office(),
        Action::RevealPetitioner {
            lead: "L1".into(),
            reason: "答复信访人".into(),
        },
    );
    assert!(reference.starts_with("petitioner/"));
    let (receipt, identity) = ledger.reveal_petitioner(&reveal).unwrap();
    assert_eq!(identity, "王秀英 13912345678");
    assert_eq!(receipt.events[0].change.kind(), "petitioner-revealed");

    let events = ledger.events().unwrap();
    let mut outputs: Vec<Vec<u8>> = Vec::new();
    let mut buf = Vec::new();
    write_log_json(&events, ledger.checkpoint(), &mut buf).unwrap();
    outputs.push(buf);
    let mut buf = Vec::new();
    write_state_json(ledger.state(), &mut buf).unwrap();
    outputs.push(buf);
    for table in [
        log_table(&events),
        leads_table(ledger.state()),
        findings_table(ledger.state()),
    ] {
        let mut buf = Vec::new();
        table.write_csv(&mut buf, true).unwrap();
        assert!(buf.starts_with("\u{feff}".as_bytes()));
        outputs.push(buf);
    }
    let mut stored = Vec::new();
    ledger
        .store()
        .clone()
        .into_parts()
        .0
        .into_iter()
        .for_each(|e| stored.extend(e));
    outputs.push(stored);
    for output in &outputs {
        let text = String::from_utf8_lossy(output);
        assert!(
            !text.contains(NAME) && !text.contains(PHONE),
            "identity leaked: {text}"
        );
    }
    assert!(String::from_utf8_lossy(&outputs[2]).contains("lead-found"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.xlsx");
    write_xlsx(
        &[
            leads_table(ledger.state()),
            findings_table(ledger.state()),
            log_table(&events),
        ],
        &path,
    )
    .unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets.len(), 3);
    let mut cells = 0;
    for sheet in sheets {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            let text = cell.2.to_string();
            assert!(!text.contains(NAME) && !text.contains(PHONE));
            cells += 1;
        }
    }
    assert!(cells > 30);
    let leads = book.worksheet_range("线索 leads").unwrap();
    assert_eq!(leads.get_value((1, 0)).unwrap().to_string(), "L1");
}

#[test]
fn an_identity_without_a_petition_is_refused() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    let mut lead = facts("L1", false);
    lead.source = LeadSource::Interview;
    let err = run(
        &mut ledger,
        "a",
        &member(),
        Action::AddLead {
            lead,
            petitioner: Some(NAME.into()),
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Incomplete {
                field: "a petition source",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(ledger.checkpoint().size, 2);
}

#[test]
fn a_log_export_imports_into_an_empty_store_and_replays_to_the_same_state() {
    let (mut ledger, _) = ledger(MemoryStore::new());
    for id in ["L1", "L2"] {
        run(
            &mut ledger,
            id,
            &member(),
            Action::AddLead {
                lead: facts(id, id == "L2"),
                petitioner: None,
            },
        )
        .unwrap();
    }
    let mut json = Vec::new();
    write_log_json(&ledger.events().unwrap(), ledger.checkpoint(), &mut json).unwrap();

    let mut copy = MemoryStore::new();
    let checkpoint = import_log_json(json.as_slice(), "log.json", &mut copy).unwrap();
    assert_eq!(checkpoint, ledger.checkpoint());
    let copy = xuncha_leads::Ledger::open(copy).unwrap();
    assert_eq!(copy.state(), ledger.state());
    assert_eq!(copy.verify().unwrap().events, 4);

    // A store that already holds events takes no import.
    let mut full = ledger.store().clone();
    let err = import_log_json(json.as_slice(), "log.json", &mut full).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");

    // A summary rewritten in the file no longer hashes to its checkpoint.
    let text = String::from_utf8(json).unwrap();
    let forged = text.replace("线索 L2", "线索 L9");
    assert_ne!(forged, text);
    let err = read_log_json(forged.as_bytes(), "log.json").unwrap_err();
    assert!(matches!(err, Error::Tampered(_)), "{err}");
    assert!(err.to_string().contains("log.json"), "{err}");

    // Events out of order are named.
    let (events, _) = read_log_json(text.as_bytes(), "log.json").unwrap();
    let mut swapped = events.clone();
    swapped.swap(1, 2);
    let mut json = Vec::new();
    write_log_json(&swapped, ledger.checkpoint(), &mut json).unwrap();
    let err = read_log_json(json.as_slice(), "log.json").unwrap_err();
    assert!(err.to_string().contains("events[1]"), "{err}");

    // Not a log at all: the line is named.
    let err = read_log_json(
        "{\n  \"version\": 1,\n  \"nope\": 2\n}".as_bytes(),
        "log.json",
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("log.json, line 3"), "{err}");
}
