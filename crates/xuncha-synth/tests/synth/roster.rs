//! Synthetic rosters: deterministic, valid, and distributed as documented.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use xuncha_avoid::{Place, Rank};
use xuncha_org::{Code, Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

/// A count as a float, for shares.
fn float(n: usize) -> f64 {
    f64::from(u32::try_from(n).expect("small counts"))
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date")
}

fn fujian() -> &'static Hierarchy {
    static FUJIAN: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}

#[test]
fn the_same_seed_gives_the_same_people_and_another_seed_others() {
    let a = RosterSpec::new(500, 42, date()).people(fujian());
    let b = RosterSpec::new(500, 42, date()).people(fujian());
    let c = RosterSpec::new(500, 43, date()).people(fujian());
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 500);
}

#[test]
fn a_roster_checks_and_ids_are_unique() {
    let roster = RosterSpec::new(3_000, 1, date())
        .roster(fujian(), &Units::default())
        .expect("valid roster");
    let ids: HashSet<&str> = roster.people().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 3_000);
}

#[test]
fn origins_are_counties_within_the_requested_division() {
    let zhangzhou = Code::parse("3506").expect("code");
    let people = RosterSpec::new(400, 5, date())
        .within(zhangzhou)
        .people(fujian());
    assert!(
        people
            .iter()
            .all(|p| p.origin.level() == Level::County && zhangzhou.contains(p.origin))
    );
    let counties: HashSet<Code> = people.iter().map(|p| p.origin).collect();
    assert_eq!(counties.len(), 11, "every county of 漳州市 fields people");
}

#[test]
fn origins_follow_the_township_counts() {
    let people = RosterSpec::new(20_000, 9, date()).people(fujian());
    let mut per_county: HashMap<Code, usize> = HashMap::new();
    for p in &people {
        *per_county.entry(p.origin).or_default() += 1;
    }
    let weight = |code: &str| {
        let county = fujian().lookup(code).expect("county");
        county.children().count().max(12)
    };
    let total: usize = fujian()
        .at_level(Level::County)
        .map(|c| c.children().count().max(12))
        .sum();
    for county in ["350628", "350583", "350527"] {
        let expected = 20_000.0 * float(weight(county)) / float(total);
        let got = float(
            per_county
                .get(&Code::parse(county).expect("code"))
                .copied()
                .unwrap_or(0),
        );
        assert!(
            (got - expected).abs() < 4.0 * expected.sqrt() + 3.0,
            "{county}: {got} vs {expected}"
        );
    }
}

#[test]
fn the_shares_match_the_documentation() {
    let people = RosterSpec::new(20_000, 3, date()).people(fujian());
    let n = float(people.len());
    let share = |count: usize| float(count) / n;
    let in_origin = |place: &Option<Place>, origin: Code| matches!(place, Some(Place::Division(c)) if origin.contains(*c));
    let residence = people
        .iter()
        .filter(|p| in_origin(&p.residence, p.origin))
        .count();
    assert!(
        (share(residence) - 0.85).abs() < 0.02,
        "residence {}",
        share(residence)
    );
    let workplace = people
        .iter()
        .filter(|p| in_origin(&p.workplace, p.origin))
        .count();
    assert!(
        (share(workplace) - 0.85).abs() < 0.02,
        "workplace {}",
        share(workplace)
    );
    assert!(people.iter().all(|p| (1..=4).contains(&p.posts.len())));
    assert!(people.iter().all(|p| p.relatives.len() <= 5));
    assert!(people.iter().all(|p| {
        p.posts
            .iter()
            .all(|post| post.to.is_some_and(|to| to <= date()))
    }));
    let directors = people.iter().filter(|p| p.rank == Rank::Director).count();
    assert!(
        (share(directors) - 0.05).abs() < 0.01,
        "directors {}",
        share(directors)
    );
    let declared = people.iter().filter(|p| !p.declared.is_empty()).count();
    assert!(
        (share(declared) - 0.05).abs() < 0.01,
        "declared {}",
        share(declared)
    );
}

#[test]
fn some_posts_carry_retired_codes_that_the_roster_resolves() {
    let retired: HashSet<Code> = fujian().history().changes().iter().map(|c| c.old).collect();
    let people = RosterSpec::new(20_000, 8, date()).people(fujian());
    let old_posts = people
        .iter()
        .flat_map(|p| &p.posts)
        .filter(|post| matches!(post.place, Place::Division(c) if retired.contains(&c)))
        .count();
    assert!(old_posts > 20, "only {old_posts} posts under retired codes");
    let roster = xuncha_avoid::Roster::new(people, fujian(), &Units::default()).expect("resolves");
    let left = roster
        .people()
        .iter()
        .flat_map(|p| &p.posts)
        .filter(|post| matches!(post.place, Place::Division(c) if retired.contains(&c)))
        .count();
    assert_eq!(left, 0);
}

#[test]
fn an_empty_selection_gives_no_people() {
    let nowhere = Code::parse("44").expect("code");
    assert!(
        RosterSpec::new(10, 1, date())
            .within(nowhere)
            .people(fujian())
            .is_empty()
    );
}
