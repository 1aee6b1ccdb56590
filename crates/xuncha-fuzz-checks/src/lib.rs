//! What each fuzz target of xuncha checks, one function an input format,
//! runnable without libFuzzer: the cargo-fuzz targets under `fuzz/` call
//! these functions, and this crate's tests replay the corpus the fuzzers
//! kept (`fuzz/corpus/`) and every input that once failed
//! (`fuzz/regressions/`), so that `cargo test --workspace` re-checks them.
//!
//! Each function must return normally for any bytes: it panics only when
//! the toolkit breaks a promise (a panic in a loader, a value that does
//! not read back as it was written, a plan of the engine's own that does
//! not verify). See `docs/reliability.md`.
//!
//! ```
//! // Malformed input is fine: a typed error, no panic.
//! xuncha_fuzz_checks::roster_csv(b"id,name\nP1");
//! xuncha_fuzz_checks::round_toml(b"version = 1\nid = \"r\"\n");
//! ```

#![forbid(unsafe_code)]
#![expect(
    clippy::missing_panics_doc,
    reason = "every check panics exactly when the toolkit breaks a promise, as the crate docs say"
)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use xuncha_assign::{Plan, Round, StaffOptions, staff, verify};
use xuncha_avoid::{Engine, Role, Roster, RuleSet, Target};
use xuncha_leads::export::{import_log_json, read_log_json, write_log_json};
use xuncha_leads::{Event, Ledger, MemoryStore};
use xuncha_org::{Code, CodeHistory, Hierarchy, Units};

/// A check of one input: returns for any bytes unless the toolkit breaks a
/// promise.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: each is a function of this crate and a
/// directory under `fuzz/corpus/`.
pub const TARGETS: [(&str, Check); 15] = [
    ("code_history", code_history),
    ("divisions_csv", divisions_csv),
    ("event_decode", event_decode),
    ("finding_items_csv", finding_items_csv),
    ("ledger_import", ledger_import),
    ("pairings_csv", pairings_csv),
    ("petitions_csv", petitions_csv),
    ("plan_json", plan_json),
    ("roster_csv", roster_csv),
    ("roster_json", roster_json),
    ("round_json", round_json),
    ("round_toml", round_toml),
    ("rules_toml", rules_toml),
    ("term_schedule_json", term_schedule_json),
    ("units_csv", units_csv),
];

static FUJIAN: LazyLock<Hierarchy> = LazyLock::new(Hierarchy::fujian);
static UNITS: LazyLock<Units> = LazyLock::new(Units::default);
static ROSTER: LazyLock<Roster> = LazyLock::new(|| {
    let text = include_str!("../../xuncha/examples/data/roster.csv");
    Roster::from_csv_reader(Path::new("roster.csv"), text.as_bytes(), &FUJIAN, &UNITS)
        .expect("the example roster loads")
});
static ROUND: LazyLock<Round> = LazyLock::new(|| {
    Round::from_toml_str(include_str!("../../xuncha/examples/data/round.toml"))
        .expect("the example round loads")
});

fn engine() -> Engine<'static> {
    Engine::new(&FUJIAN, &UNITS, RuleSet::default())
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The five NBS division files (provinces, cities, areas, streets,
/// villages) as one input split at NUL bytes. What loads is a consistent
/// hierarchy: every code reads back from its text and is found by it, and
/// every division lies within its parent, a level above.
pub fn divisions_csv(data: &[u8]) {
    let mut parts: Vec<&[u8]> = data.splitn(5, |b| *b == 0).collect();
    parts.resize(5, &[]);
    let names = [
        "provinces.csv",
        "cities.csv",
        "areas.csv",
        "streets.csv",
        "villages.csv",
    ];
    let sources: [(PathBuf, &[u8]); 5] =
        std::array::from_fn(|i| (PathBuf::from(names[i]), parts[i]));
    let Ok(hierarchy) = Hierarchy::from_nbs_readers(sources, CodeHistory::builtin(), "fuzz") else {
        return;
    };
    for division in hierarchy.iter() {
        let code = division.code();
        assert_eq!(Code::parse(&code.to_text()).ok(), Some(code));
        assert_eq!(
            hierarchy.get(code).map(xuncha_org::Division::code),
            Some(code)
        );
        if let Some(parent) = division.parent() {
            assert!(parent.contains(division));
            assert!(parent.level() < division.level());
        }
    }
}

/// A units CSV over Fujian. What loads has known divisions and parents that
/// do not lead back to themselves.
pub fn units_csv(data: &[u8]) {
    let Ok(units) = Units::from_csv_reader(Path::new("units.csv"), data, &FUJIAN) else {
        return;
    };
    for unit in &units {
        assert!(FUJIAN.get(unit.division).is_some());
        let mut steps = 0;
        let mut at = unit;
        while let Some(parent) = at.parent.as_ref().and_then(|p| units.get(p)) {
            steps += 1;
            assert!(steps <= units.len(), "a cycle of parents survived loading");
            at = parent;
        }
    }
}

/// A roster CSV over Fujian. What loads writes back as CSV and reads again
/// to the same people.
pub fn roster_csv(data: &[u8]) {
    let Ok(roster) = Roster::from_csv_reader(Path::new("roster.csv"), data, &FUJIAN, &UNITS) else {
        return;
    };
    let mut csv = Vec::new();
    roster.write_csv(&mut csv).expect("a roster writes");
    let again = Roster::from_csv_reader(Path::new("again.csv"), csv.as_slice(), &FUJIAN, &UNITS)
        .expect("a written roster reads back");
    assert_eq!(roster.people(), again.people());
}

/// A roster JSON over Fujian. What loads serialises and reads again to the
/// same people.
pub fn roster_json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(roster) = Roster::from_json_str(Path::new("roster.json"), text, &FUJIAN, &UNITS) else {
        return;
    };
    let json = serde_json::to_string(&roster).expect("a roster serialises");
    let again = Roster::from_json_str(Path::new("again.json"), &json, &FUJIAN, &UNITS)
        .expect("a serialised roster reads back");
    assert_eq!(roster.people(), again.people());
}

/// Avoidance rules in TOML. What loads formats back to TOML and reads again
/// to the same rules, and checks people without panicking.
pub fn rules_toml(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(rules) = RuleSet::from_toml_str(text) else {
        return;
    };
    let toml = rules.to_toml().expect("rules format as TOML");
    assert_eq!(
        RuleSet::from_toml_str(&toml).expect("formatted rules read back"),
        rules
    );
    let engine = Engine::new(&FUJIAN, &UNITS, rules);
    let target = Target::Division(Code::parse("350628").expect("a county code"));
    let on = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    for person in ROSTER.people().iter().take(5) {
        let _ = engine.check(person, &target, Role::Member, on);
    }
}

/// A round in TOML. What loads formats back and reads again to the same
/// round; staffing it gives a plan that verifies, or a typed error.
pub fn round_toml(data: &[u8]) {
    round_in(data, Round::from_toml_str, |r| {
        r.to_toml().expect("a round formats as TOML")
    });
}

/// A round in JSON. What loads serialises and reads again to the same
/// round; staffing it gives a plan that verifies, or a typed error.
pub fn round_json(data: &[u8]) {
    round_in(data, Round::from_json_str, |r| {
        serde_json::to_string(r).expect("a round serialises")
    });
}

/// A round read by `read`: what reads writes back with `write` and reads
/// again to itself, and staffs to a plan that verifies.
fn round_in(
    data: &[u8],
    read: fn(&str) -> Result<Round, xuncha_round::Error>,
    write: fn(&Round) -> String,
) {
    let Some(text) = text(data) else { return };
    let Ok(round) = read(text) else {
        return;
    };
    let again = read(&write(&round)).expect("a written round reads back");
    assert_eq!(again, round);
    staff_and_verify(&round);
}

/// Staffs `round` with the facade's example roster under the default
/// rules: a typed error, or a plan that verifies and reads back as itself.
fn staff_and_verify(round: &Round) {
    // Big rounds cost time, not coverage.
    if round.targets.len() > 40 {
        return;
    }
    let engine = engine();
    let Ok(plan) = staff(&engine, &ROSTER, round, &StaffOptions::default()) else {
        return;
    };
    let violations = verify(&plan, round, &ROSTER, &engine);
    assert!(
        violations.is_empty(),
        "the engine's plan does not verify: {violations:?}"
    );
    let json = plan.to_json().expect("a plan formats");
    assert_eq!(Plan::from_json(&json).expect("a plan reads back"), plan);
}

/// A plan in JSON. What loads formats back and reads again to the same
/// plan, writes as CSV, and verifies against the example round and roster
/// (violations listed, no panic).
pub fn plan_json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(plan) = Plan::from_json(text) else {
        return;
    };
    let json = plan.to_json().expect("a plan formats as JSON");
    assert_eq!(
        Plan::from_json(&json).expect("a formatted plan reads back"),
        plan
    );
    let _ = verify(&plan, &ROUND, &ROSTER, &engine());
    let mut csv = Vec::new();
    plan.write_csv(&mut csv).expect("a plan writes as CSV");
}

/// A code-history CSV. What loads can be followed from every old code and
/// merges with the built-in history.
pub fn code_history(data: &[u8]) {
    let Ok(history) = CodeHistory::from_csv_reader(Path::new("code-changes.csv"), data) else {
        return;
    };
    let count = history.len();
    for change in history.changes() {
        assert!(!history.changes_from(change.old).is_empty());
    }
    assert!(CodeHistory::builtin().merge(history).len() >= count);
}

/// A ledger's log export (JSON), as copied between machines. What imports
/// exports again to the same log and replays to a state that verifies, or
/// gives a typed error.
pub fn ledger_import(data: &[u8]) {
    let Ok((events, checkpoint)) = read_log_json(data, "log.json") else {
        return;
    };
    let mut json = Vec::new();
    write_log_json(&events, checkpoint, &mut json).expect("a log exports");
    let (again, same) = read_log_json(json.as_slice(), "again.json").expect("an export reads back");
    assert_eq!(again, events);
    assert_eq!(same, checkpoint);
    let mut store = MemoryStore::new();
    import_log_json(json.as_slice(), "again.json", &mut store).expect("an empty store imports");
    if let Ok(ledger) = Ledger::open(store) {
        assert_eq!(ledger.checkpoint(), checkpoint);
        // An empty log opens (for `init`) but is no ledger.
        if checkpoint.size > 0 {
            ledger
                .verify()
                .expect("an imported log that opens verifies");
        }
    }
}

/// The ledger's stored events: one input is a log, one event a line. Each
/// event that decodes encodes to bytes that decode to it; a store of them
/// replays to a state or refuses with a typed error.
pub fn event_decode(data: &[u8]) {
    let lines: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    for (seq, line) in (0u64..).zip(&lines) {
        if let Ok(event) = Event::decode(line, seq) {
            let bytes = event.encode();
            assert_eq!(
                Event::decode(&bytes, seq).expect("an encoded event decodes"),
                event
            );
        }
    }
    let _ = Ledger::open(MemoryStore::from_parts(lines, Vec::new()));
}

/// A petitions CSV. What loads writes as CSV and reads back to the same
/// petitions; every visit has at least one person, every letter or call
/// exactly one.
pub fn petitions_csv(data: &[u8]) {
    let Ok(petitions) = xuncha_round::Petition::read_csv(data, "petitions.csv") else {
        return;
    };
    for p in &petitions {
        assert!(p.persons >= 1);
        if p.channel != xuncha_round::PetitionChannel::Visit {
            assert_eq!(p.persons, 1);
        }
    }
    let mut csv = Vec::new();
    xuncha_round::Petition::write_csv(&petitions, &mut csv).expect("petitions write as CSV");
    let again = xuncha_round::Petition::read_csv(csv.as_slice(), "again.csv")
        .expect("written petitions read back");
    assert_eq!(again, petitions);
}

/// A rotation history (`inspecting,inspected`). What loads is a non-empty
/// list of pairings of valid codes.
pub fn pairings_csv(data: &[u8]) {
    let Ok(pairs) = xuncha_round::read_pairings_csv(data, Path::new("history.csv")) else {
        return;
    };
    assert!(!pairs.is_empty());
    for (by, of) in pairs {
        assert_eq!(Code::parse(&by.to_string()).ok(), Some(by));
        assert_eq!(Code::parse(&of.to_string()).ok(), Some(of));
    }
}

/// A finding items CSV (`finding,responsible,measures,deadline`). What
/// loads issues as a finding list on a fresh ledger, or is refused with a
/// typed error; nothing panics.
pub fn finding_items_csv(data: &[u8]) {
    let Ok(items) = xuncha_leads::FindingItemFacts::read_csv(data, "items.csv") else {
        return;
    };
    let json = serde_json::to_string(&items).expect("items format as JSON");
    let again: Vec<xuncha_leads::FindingItemFacts> =
        serde_json::from_str(&json).expect("items read back from JSON");
    assert_eq!(again, items);
}

/// A term schedule (JSON). What loads formats back and reads again to the
/// same schedule.
pub fn term_schedule_json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(schedule) = xuncha_assign::TermSchedule::from_json(text) else {
        return;
    };
    let json = serde_json::to_string(&schedule).expect("a schedule formats as JSON");
    assert_eq!(
        xuncha_assign::TermSchedule::from_json(&json).expect("a formatted schedule reads back"),
        schedule
    );
}
