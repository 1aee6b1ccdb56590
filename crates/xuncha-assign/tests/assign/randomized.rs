//! Randomized draws: caps, marginals, reproducibility, and every draw
//! verifies.

use std::collections::HashMap;

use xuncha_assign::{
    Decimal, Error, FractionalPlan, Plan, RandomOptions, StaffOptions, TeamSpec, seed_from_text,
    staff, staff_randomized, verify,
};
use xuncha_avoid::{Engine, PersonId, RuleSet};

use crate::fixtures::{fujian, fujian_round, roster, units};

/// The number of draws of the statistical test.
const DRAWS: u64 = 10_000;

fn half() -> RandomOptions {
    RandomOptions {
        cap: "0.5".parse().expect("decimal"),
        ..RandomOptions::default()
    }
}

/// Who is on which team (or one of its alternates) in a plan.
fn pairs(plan: &Plan) -> Vec<(PersonId, usize)> {
    plan.teams
        .iter()
        .enumerate()
        .flat_map(|(t, team)| {
            team.members
                .iter()
                .chain(&team.alternates)
                .map(move |m| (m.person.clone(), t))
        })
        .collect()
}

/// The statistical check of the issue, on a Fujian-sized round (84 teams of
/// seven, one alternate each, 3,000 people, cap 0.5): 10,000 draws with
/// seeds 0 to 9,999.
///
/// - No pair's fractional probability is above its cap, and no pair that
///   the fractional plan leaves at 0 is ever drawn; pairs at 1 are drawn
///   every time.
/// - Per-pair binomial test: for a pair of probability π, the count c over
///   N = 10,000 draws has z = (c − Nπ) / √(Nπ(1 − π)); every |z| must stay
///   within 5.5. With about 4,000 fractional pairs this is a Bonferroni
///   bound: P(|Z| > 5.5) ≈ 3.8e-8 per pair, under 2e-4 for the family. The
///   seeds are fixed, so the test cannot flake.
/// - Every draw (all 10,000) is verified by the independent verifier.
#[test]
fn ten_thousand_draws_keep_every_cap_and_match_the_fractional_marginals() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions {
        alternates: 1,
        ..StaffOptions::default()
    };
    let random = half();
    let fractional =
        FractionalPlan::solve(&engine, &roster, &round, &options, &random).expect("feasible");
    let marginals = fractional.marginals();
    let mut expected: HashMap<(PersonId, usize), i64> = HashMap::new();
    for m in &marginals {
        assert!(m.probability <= m.cap, "{m:?} above its cap");
        assert!(m.cap <= random.cap);
        expected.insert((m.person.clone(), m.team), m.probability.ten_thousandths());
    }
    let fractional_pairs = marginals
        .iter()
        .filter(|m| m.probability.ten_thousandths() < 10_000)
        .count();
    assert!(
        fractional_pairs > 1_000,
        "the caps bite: {fractional_pairs}"
    );
    let mut counts: HashMap<(PersonId, usize), u64> = HashMap::new();
    for seed in 0..DRAWS {
        let plan = fractional.draw(seed).expect("a draw");
        // Every draw verifies.
        let violations = verify(&plan, &round, &roster, &engine);
        assert!(violations.is_empty(), "seed {seed}: {violations:?}");
        for pair in pairs(&plan) {
            *counts.entry(pair).or_default() += 1;
        }
    }
    for (pair, &count) in &counts {
        assert!(
            expected.contains_key(pair),
            "{pair:?} drawn {count} times with probability 0"
        );
    }
    #[expect(clippy::cast_precision_loss, reason = "counts below 2^53")]
    let n = DRAWS as f64;
    let mut worst: f64 = 0.0;
    for (pair, &p) in &expected {
        let count = counts.get(pair).copied().unwrap_or(0);
        if p == 10_000 {
            assert_eq!(count, DRAWS, "{pair:?} has probability 1");
            continue;
        }
        let pi = f64::from(i32::try_from(p).expect("small")) / 1e4;
        #[expect(clippy::cast_precision_loss, reason = "counts below 2^53")]
        let z = (count as f64 - n * pi) / (n * pi * (1.0 - pi)).sqrt();
        worst = worst.max(z.abs());
        assert!(
            z.abs() <= 5.5,
            "{pair:?}: {count} of {DRAWS} draws, probability {pi}, z = {z:.2}"
        );
        #[expect(clippy::cast_precision_loss, reason = "counts below 2^53")]
        let share = count as f64 / n;
        assert!(
            share <= 0.5 + 5.5 * (0.25 / n).sqrt(),
            "{pair:?} above the cap"
        );
    }
    assert!(worst > 1.0, "the draws vary: worst |z| {worst}");
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_plan() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let (seed, source) = seed_from_text("关于开展2026年第一轮交叉巡察的通知");
    let options = StaffOptions {
        seed,
        ..StaffOptions::default()
    };
    let random = RandomOptions {
        seed_source: Some(source.clone()),
        ..half()
    };
    let one = staff_randomized(&engine, &roster, &round, &options, &random).expect("plan");
    let two = staff_randomized(&engine, &roster, &round, &options, &random).expect("plan");
    let json = one.to_json().expect("json");
    assert_eq!(json, two.to_json().expect("json"), "byte-identical");
    assert_eq!(Plan::from_json(&json).expect("reads back"), one);
    let record = one.randomized.as_ref().expect("randomized");
    assert_eq!(record.seed_source.as_deref(), Some(source.as_str()));
    assert_eq!(one.seed, seed);
    assert!(verify(&one, &round, &roster, &engine).is_empty());
    let other = staff_randomized(
        &engine,
        &roster,
        &round,
        &StaffOptions {
            seed: seed ^ 1,
            ..options
        },
        &random,
    )
    .expect("plan");
    assert_ne!(other.teams, one.teams);
}

#[test]
fn the_seed_of_a_text_is_the_head_of_its_sha256_digest() {
    // SHA-256("abc") = ba7816bf 8f01cfea 414140de ...
    let (seed, source) = seed_from_text("abc");
    assert_eq!(seed, 0xba78_16bf_8f01_cfea);
    assert_eq!(
        source,
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn the_price_of_randomness_is_at_least_one_and_exactly_one_without_a_cap() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions::default();
    let optimal = staff(&engine, &roster, &round, &options).expect("plan");
    let capped = FractionalPlan::solve(&engine, &roster, &round, &options, &half()).expect("ok");
    assert_eq!(capped.optimal_objective(), optimal.objective);
    assert!(capped.expected_objective().ten_thousandths() >= optimal.objective * 10_000);
    let free = RandomOptions {
        cap: Decimal::from_ten_thousandths(10_000),
        ..RandomOptions::default()
    };
    let uncapped = FractionalPlan::solve(&engine, &roster, &round, &options, &free).expect("ok");
    assert_eq!(
        uncapped.expected_objective().ten_thousandths(),
        optimal.objective * 10_000
    );
}

#[test]
fn a_cap_out_of_range_or_too_low_is_a_typed_error() {
    let engine = Engine::new(fujian(), units(), RuleSet::default());
    let roster = roster(3_000, 1);
    let round = fujian_round(TeamSpec::default());
    let options = StaffOptions::default();
    for text in ["0", "1.5"] {
        let random = RandomOptions {
            cap: text.parse().expect("decimal"),
            ..RandomOptions::default()
        };
        match FractionalPlan::solve(&engine, &roster, &round, &options, &random) {
            Err(Error::InvalidOption { option, .. }) => assert_eq!(option, "cap"),
            other => panic!("{text}: {other:?}"),
        }
    }
    let random = RandomOptions {
        cap: "0.02".parse().expect("decimal"),
        ..RandomOptions::default()
    };
    match FractionalPlan::solve(&engine, &roster, &round, &options, &random) {
        Err(e @ Error::CapTooLow { .. }) => assert!(e.to_string().contains("raise the cap"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!("0.12345".parse::<Decimal>().is_err());
    assert_eq!("0.25".parse::<Decimal>().expect("ok").to_string(), "0.25");
}
