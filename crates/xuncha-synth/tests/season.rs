//! Synthetic seasons apply cleanly to a ledger and are deterministic.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use xuncha_leads::{Ledger, ManualClock, MemoryStore, Stage};
use xuncha_org::{Code, Hierarchy};
use xuncha_synth::SeasonSpec;

fn spec(seed: u64) -> SeasonSpec {
    let fujian = Hierarchy::fujian();
    let counties = fujian
        .lookup("3506")
        .unwrap()
        .children()
        .map(xuncha_org::Division::code)
        .collect();
    SeasonSpec::new(
        seed,
        Code::parse("3506").unwrap(),
        counties,
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
    )
}

/// A ledger of 漳州市 with `season` applied, and the number of events.
fn applied(season: &xuncha_synth::Season) -> (Ledger<MemoryStore>, u64) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
    ));
    let mut ledger = Ledger::open(MemoryStore::new())
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(xuncha_leads::IdentityKey::from_bytes([7; 32]));
    let events = season.apply(&mut ledger, &clock).unwrap();
    (ledger, events)
}

#[test]
fn every_command_of_a_season_is_accepted_and_nothing_is_lost() {
    let spec = spec(0x5eed);
    let season = spec.season();
    let (ledger, events) = applied(&season);
    let state = ledger.state();
    assert_eq!(
        state.leads.len(),
        spec.counties.len() * spec.leads_per_county
    );
    assert_eq!(state.lists.len(), spec.counties.len());
    state.check_invariants().unwrap();
    assert!(events >= season.commands() as u64);
    // The mix is as documented, roughly.
    let count = |stage| state.leads.values().filter(|l| l.stage == stage).count();
    let total = state.leads.len();
    assert!(
        count(Stage::Concluded) * 2 > total,
        "concluded {}",
        count(Stage::Concluded)
    );
    assert!(count(Stage::Found) > 0 && count(Stage::Found) * 10 < total);
    assert!(
        state
            .leads
            .values()
            .any(|l| !l.outcomes.is_empty() && l.stage == Stage::Concluded)
    );
    ledger.verify().unwrap();
}

#[test]
fn the_same_seed_gives_the_same_season_and_another_seed_another() {
    assert_eq!(spec(1).season(), spec(1).season());
    assert_ne!(spec(1).season(), spec(2).season());
}

/// The funnel has the shape of a real season (the article's Fujian to June
/// 2018: 298 cases, 178 sanctioned, 15 referred): not every case filed
/// ends in a sanction, some are still under investigation, and referrals
/// to the judiciary are a small share.
#[test]
fn not_every_case_ends_in_a_sanction() {
    use xuncha_leads::{Change, Outcome};
    let spec = spec(0x5eed);
    let season = spec.season();
    let (ledger, _) = applied(&season);
    let events = ledger.events().unwrap();
    let cases = events
        .iter()
        .filter(|e| matches!(e.change, Change::CaseFiled { .. }))
        .count();
    let outcomes: Vec<&Outcome> = events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Concluded { outcomes, .. } => Some(outcomes),
            _ => None,
        })
        .flatten()
        .collect();
    let sanctions = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Sanction { .. }))
        .count();
    let referrals = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::JudicialReferral { .. }))
        .count();
    assert!(cases > 20, "{cases} cases");
    assert!(
        sanctions * 100 >= cases * 50 && sanctions * 100 <= cases * 85,
        "{sanctions} sanctions of {cases} cases"
    );
    assert!(
        referrals > 0 && referrals * 100 <= cases * 12,
        "{referrals} referrals of {cases} cases"
    );
    let open = ledger
        .state()
        .leads
        .values()
        .filter(|l| l.stage == Stage::CaseFiled)
        .count();
    assert!(open > 0, "no case still under investigation");
}
