//! Each metric's definition, on small hand-made records; and the
//! additivity of totals on random synthetic seasons.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use xuncha_leads::{
    Body, Change, Ledger, ManualClock, MemoryStore, Outcome, PetitionChannel, SanctionKind,
};
use xuncha_org::{Code, Level};
use xuncha_round::InspectionMode;
use xuncha_stats::{By, DateRange, Metric, Records, Rounds, aggregate};
use xuncha_synth::SeasonSpec;

use crate::fixtures::{Log, day, petition};

#[test]
fn petitions_are_counted_by_channel_with_batches_and_person_visits() {
    use PetitionChannel::{Call, Letter, Visit};
    let p = vec![
        petition(day(3, 2), Letter, None, 1, "350628", None),
        petition(day(3, 2), Call, None, 1, "350628", None),
        petition(day(3, 3), Visit, Some("B1"), 3, "350628", None),
        petition(day(3, 3), Visit, Some("B1"), 2, "350628", None),
        petition(day(3, 4), Visit, None, 1, "350628", None),
        // Same batch id in another county: another batch.
        petition(day(3, 4), Visit, Some("B1"), 4, "350627", None),
        // Outside the range.
        petition(day(5, 1), Visit, Some("B9"), 9, "350628", None),
    ];
    let records = Records::new(&[]).with_petitions(&p);
    let t = aggregate(
        &records,
        By::County,
        &DateRange::new(None, Some(day(3, 31))),
    );
    let c = &t.group("350628").unwrap().counts;
    assert_eq!((c.letters, c.calls, c.visits), (1, 1, 3));
    assert_eq!(c.petitions(), 5);
    assert_eq!(
        c.visit_batches, 2,
        "B1 once, the batchless visit its own batch"
    );
    assert_eq!(c.person_visits, 6);
    assert_eq!(t.total.counts.visit_batches, 3);
    assert_eq!(t.total.counts.person_visits, 10);
}

#[test]
fn lead_metrics_count_their_events_at_the_events_dates() {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "R1", "350628")
        .lead(day(3, 2), "L2", "R1", "350628")
        .lead(day(4, 2), "L3", "R1", "350627");
    let transfer = |lead: &str| Change::Transferred {
        lead: lead.into(),
        body: Body::DisciplineCommission,
        level: Level::County,
    };
    log.push(day(3, 3), transfer("L1"))
        // A second transfer of the same lead (after an escalation) is not a
        // second lead transferred.
        .push(day(3, 20), transfer("L1"))
        .push(day(3, 4), transfer("L2"))
        .push(
            day(3, 30),
            Change::CaseFiled {
                lead: "L1".into(),
                reason: "属实".into(),
            },
        )
        .push(
            day(4, 10),
            Change::Concluded {
                lead: "L1".into(),
                outcomes: vec![
                    Outcome::Sanction {
                        person: "某".into(),
                        sanction: SanctionKind::PartyWarning,
                        reason: "r".into(),
                    },
                    Outcome::Sanction {
                        person: "某2".into(),
                        sanction: SanctionKind::AdministrativeDemerit,
                        reason: "r".into(),
                    },
                    Outcome::JudicialReferral {
                        person: "某".into(),
                        reason: "r".into(),
                    },
                    Outcome::FundsRecovered {
                        yuan: 12_000,
                        reason: "r".into(),
                    },
                    Outcome::NoAction { reason: "r".into() },
                ],
                reason: "终结".into(),
            },
        );
    let records = Records::new(&log.0);
    let march = aggregate(
        &records,
        By::County,
        &DateRange::new(Some(day(3, 1)), Some(day(3, 31))),
    );
    let c = &march.group("350628").unwrap().counts;
    assert_eq!(
        (c.leads_found, c.leads_transferred, c.cases_filed),
        (2, 2, 1)
    );
    assert_eq!(c.sanctions, 0, "concluded in April");
    assert!(
        march
            .group("350627")
            .is_none_or(|g| g.counts.leads_found == 0),
        "L3 was found in April"
    );
    let all = aggregate(&records, By::County, &DateRange::all());
    let c = &all.group("350628").unwrap().counts;
    assert_eq!(
        (c.sanctions, c.judicial_referrals, c.funds_recovered_yuan),
        (2, 1, 12_000)
    );
    assert_eq!(c.sanctions_by_kind[&SanctionKind::PartyWarning], 1);
    assert_eq!(c.sanctions_by_kind[&SanctionKind::AdministrativeDemerit], 1);
    assert_eq!(all.total.counts.leads_found, 3);
}

#[test]
fn rectification_counts_items_of_lists_issued_closed_at_the_ranges_end() {
    let mut log = Log::default();
    log.list(day(3, 1), "F1", "R1", "350628", 4)
        .close(day(3, 10), "F1", 1)
        .close(day(3, 11), "F1", 2)
        .close(day(4, 11), "F1", 3)
        .push(
            day(3, 12),
            Change::RuleEstablished {
                list: "F1".into(),
                title: "制度".into(),
            },
        )
        .reopen(day(4, 20), "F1", &[1]);
    let records = Records::new(&log.0);
    let march = aggregate(&records, By::All, &DateRange::new(None, Some(day(3, 31))));
    let c = &march.total.counts;
    assert_eq!(
        (
            c.items,
            c.items_closed,
            c.rules_established,
            c.items_reopened
        ),
        (4, 2, 1, 0)
    );
    assert_eq!(march.total.completion_rate, Some(0.5));
    let all = aggregate(&records, By::All, &DateRange::all());
    let c = &all.total.counts;
    assert_eq!(
        (c.items, c.items_closed, c.items_reopened),
        (4, 2, 1),
        "3 closed, 1 reopened"
    );
    let ci = all.total.completion_wilson.unwrap();
    assert!(ci.contains(0.5));
    // Lists issued before the range do not count.
    let may = aggregate(&records, By::All, &DateRange::new(Some(day(5, 1)), None));
    assert_eq!(may.total.counts.items, 0);
    assert_eq!(may.total.completion_rate, None);
}

#[test]
fn criticism_notices_are_grouped_by_the_obstructed_team() {
    let mut log = Log::default();
    log.obstruction_and_notice(day(3, 5), "unit:民政局", "R1/350628");
    let mut rounds = Rounds::default();
    rounds.set_mode("R1", InspectionMode::Cross);
    let records = Records::new(&log.0).with_rounds(&rounds);
    let t = aggregate(&records, By::County, &DateRange::all());
    assert_eq!(t.group("350628").unwrap().counts.criticism_notices, 1);
    let t = aggregate(&records, By::Mode, &DateRange::all());
    assert_eq!(t.group("cross").unwrap().counts.criticism_notices, 1);
}

#[test]
fn modes_come_from_the_rounds_or_the_petition_file() {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "R1", "350628")
        .lead(day(3, 2), "L2", "R2", "350627");
    let mut rounds = Rounds::default();
    rounds.set_mode("R1", InspectionMode::Cross);
    let p = vec![petition(
        day(3, 2),
        PetitionChannel::Letter,
        None,
        1,
        "350628",
        Some(InspectionMode::Regular),
    )];
    let records = Records::new(&log.0).with_rounds(&rounds).with_petitions(&p);
    let t = aggregate(&records, By::Mode, &DateRange::all());
    assert_eq!(t.group("cross").unwrap().counts.leads_found, 1);
    assert_eq!(t.group("unknown").unwrap().counts.leads_found, 1);
    assert_eq!(t.group("regular").unwrap().counts.letters, 1);
}

#[test]
fn exposure_and_coverage_count_teams_and_targets() {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "R1", "350628")
        .lead(day(3, 3), "L2", "R1", "350627");
    let fujian = xuncha_org::Hierarchy::fujian();
    let records = Records::new(&log.0)
        .with_hierarchy(&fujian)
        .with_days_per_team(20);
    let t = aggregate(&records, By::City, &DateRange::all());
    let g = t.group("3506").unwrap();
    assert_eq!(
        (
            g.exposure.teams,
            g.exposure.units_inspected,
            g.exposure.team_days
        ),
        (2, 2, 40)
    );
    let cov = g.coverage.as_ref().unwrap();
    let counties = fujian
        .at_level(Level::County)
        .filter(|d| Code::parse("3506").unwrap().contains(d.code()))
        .count() as u64;
    assert_eq!((cov.inspected, cov.eligible), (2, counties));
    assert!((cov.share.unwrap() - 2.0 / f64::from(u32::try_from(counties).unwrap())).abs() < 1e-12);
}

/// Statistics for any province: leads of 杭州市 grouped by city and by
/// province, coverage counted against the national list (Fujian's knows
/// none of 杭州's districts).
#[test]
fn another_province_s_leads_group_and_cover_against_the_national_list() {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "R1", "330102")
        .lead(day(3, 3), "L2", "R1", "330106")
        .lead(day(3, 4), "L3", "R1", "330106");
    let china = xuncha_org::Hierarchy::national();
    let records = Records::new(&log.0).with_hierarchy(&china);
    let by_city = aggregate(&records, By::City, &DateRange::all());
    let hangzhou = by_city.group("3301").expect("杭州市");
    assert_eq!(hangzhou.counts.leads_found, 3);
    let cov = hangzhou.coverage.as_ref().expect("coverage");
    let districts = china
        .at_level(Level::County)
        .filter(|d| Code::parse("3301").unwrap().contains(d.code()))
        .count() as u64;
    assert!(
        districts >= 10,
        "杭州市 has {districts} county-level divisions"
    );
    assert_eq!((cov.inspected, cov.eligible), (2, districts));
    let by_province = aggregate(&records, By::Province, &DateRange::all());
    assert_eq!(
        by_province.group("33").expect("浙江省").counts.leads_found,
        3
    );
    // Against Fujian's list the same leads have no county to cover.
    let fujian = xuncha_org::Hierarchy::fujian();
    let wrong = aggregate(
        &Records::new(&log.0).with_hierarchy(&fujian),
        By::City,
        &DateRange::all(),
    );
    assert_eq!(
        wrong
            .group("3301")
            .expect("still grouped by code")
            .coverage
            .as_ref()
            .map(|c| c.eligible),
        Some(0)
    );
}

/// 专项巡察: a themed round's leads group under its theme; a round without
/// one is `unknown`.
#[test]
fn leads_group_by_the_theme_of_their_round() {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "P1", "350402")
        .lead(day(3, 3), "L2", "P1", "350403")
        .lead(day(3, 4), "L3", "C1", "350628");
    let mut themed = xuncha_round::Round::cross("P1", day(3, 1), [Code::parse("350402").unwrap()]);
    themed.mode = InspectionMode::Special;
    themed.theme = Some(xuncha_round::Theme {
        id: "poverty".into(),
        name: None,
        select: None,
    });
    assert_eq!(themed.theme.as_ref().unwrap().name(), "扶贫领域");
    let mut rounds = Rounds::default();
    rounds.add_round(&themed);
    rounds.add_round(&xuncha_round::Round::cross(
        "C1",
        day(3, 1),
        [Code::parse("350628").unwrap()],
    ));
    assert_eq!(rounds.theme("P1"), Some("poverty"));
    let records = Records::new(&log.0).with_rounds(&rounds);
    let t = aggregate(&records, By::Theme, &DateRange::all());
    assert_eq!(
        t.group("poverty")
            .expect("the themed round")
            .counts
            .leads_found,
        2
    );
    assert_eq!(
        t.group("unknown")
            .expect("the cross round")
            .counts
            .leads_found,
        1
    );
    assert_eq!("theme".parse::<By>(), Ok(By::Theme));
}

#[test]
fn every_metric_has_a_name_a_label_and_a_definition() {
    for m in Metric::ALL {
        assert!(!m.name().is_empty() && !m.chinese().is_empty() && m.definition().len() > 20);
    }
}

fn season_events(
    seed: u64,
    counties: &[&str],
    leads: usize,
    items: usize,
) -> (Vec<xuncha_leads::Event>, xuncha_leads::State) {
    let counties: Vec<Code> = counties.iter().map(|c| Code::parse(c).unwrap()).collect();
    let mut spec = SeasonSpec::new(seed, Code::parse("35").unwrap(), counties, day(3, 2));
    spec.leads_per_county = leads;
    spec.items_per_county = items;
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
    ));
    let mut ledger = Ledger::open(MemoryStore::new())
        .unwrap()
        .with_clock(clock.clone())
        .with_identity_key(xuncha_leads::IdentityKey::from_bytes([7; 32]));
    spec.season().apply(&mut ledger, &clock).unwrap();
    (ledger.events().unwrap(), ledger.state().clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn totals_by_city_add_up_to_totals_by_county_and_to_the_grand_total(
        seed in any::<u64>(),
        leads in 1usize..12,
        items in 0usize..6,
        petitions in 0usize..30,
        pick in proptest::sample::subsequence(
            vec!["350602", "350628", "350627", "350102", "350121", "350203"], 1..6),
        cut in 0u32..200,
    ) {
        let (events, state) = season_events(seed, &pick, leads, items);
        let counties: Vec<Code> = pick.iter().map(|c| Code::parse(c).unwrap()).collect();
        let spec = SeasonSpec::new(seed, Code::parse("35").unwrap(), counties, day(3, 2));
        let p = spec.petitions(petitions, Some(InspectionMode::Cross));
        let records = Records::new(&events).with_petitions(&p);
        let range = DateRange::new(None, day(3, 2).checked_add_days(chrono::Days::new(u64::from(cut))));
        let by_city = aggregate(&records, By::City, &range);
        let by_county = aggregate(&records, By::County, &range);
        let all = aggregate(&records, By::All, &range);
        // Finding leads by position (with the state) gives the same table.
        prop_assert_eq!(&aggregate(&records.with_state(&state), By::County, &range), &by_county);
        for metric in Metric::ALL {
            let city: u64 = by_city.groups.iter().map(|g| g.counts.get(metric)).sum();
            let county: u64 = by_county.groups.iter().map(|g| g.counts.get(metric)).sum();
            prop_assert_eq!(city, county, "{:?}", metric);
            prop_assert_eq!(county, all.total.counts.get(metric), "{:?}", metric);
            prop_assert_eq!(by_city.total.counts.get(metric), all.total.counts.get(metric));
        }
        // Each city is the sum of its counties.
        for city in &by_city.groups {
            let code = Code::parse(&city.key).unwrap();
            let sum: u64 = by_county.groups.iter()
                .filter(|g| code.contains(Code::parse(&g.key).unwrap()))
                .map(|g| g.counts.leads_found + g.counts.petitions() + g.counts.items_closed)
                .sum();
            prop_assert_eq!(sum, city.counts.leads_found + city.counts.petitions() + city.counts.items_closed);
        }
        // With the range open, every lead is found.
        let open = aggregate(&records, By::All, &DateRange::all());
        prop_assert_eq!(open.total.counts.leads_found, (pick.len() * leads) as u64);
        prop_assert_eq!(open.total.counts.petitions(), (pick.len() * petitions) as u64);
    }
}
