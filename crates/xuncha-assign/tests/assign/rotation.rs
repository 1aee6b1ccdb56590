//! Rotations on random county sets and histories.

use std::collections::HashSet;

use proptest::prelude::*;
use xuncha_assign::{Error, RotationBlock, plan_rotation};
use xuncha_org::{Code, Hierarchy, Level};

fn counties() -> Vec<Code> {
    Hierarchy::fujian()
        .at_level(Level::County)
        .map(xuncha_org::Division::code)
        .collect()
}

/// Whether any single cycle over `set` avoids `forbidden`, by brute force.
fn cycle_exists(set: &[Code], forbidden: &HashSet<(Code, Code)>) -> bool {
    fn go(
        order: &mut Vec<Code>,
        rest: &mut Vec<Code>,
        forbidden: &HashSet<(Code, Code)>,
        first: Code,
    ) -> bool {
        let last = *order.last().expect("non-empty");
        if rest.is_empty() {
            return !forbidden.contains(&(last, first));
        }
        for i in 0..rest.len() {
            let next = rest[i];
            if forbidden.contains(&(last, next)) {
                continue;
            }
            rest.remove(i);
            order.push(next);
            let found = go(order, rest, forbidden, first);
            order.pop();
            rest.insert(i, next);
            if found {
                return true;
            }
        }
        false
    }
    let mut rest = set[1..].to_vec();
    go(&mut vec![set[0]], &mut rest, forbidden, set[0])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_rotation_is_one_cycle_that_avoids_recent_pairings(
        picks in prop::collection::hash_set(0..84usize, 3..8),
        forbidden_picks in prop::collection::vec((0..8usize, 0..8usize), 0..30),
        seed in any::<u64>(),
    ) {
        let all = counties();
        let set: Vec<Code> = picks.iter().map(|&i| all[i]).collect();
        let n = set.len();
        let recent: Vec<(Code, Code)> = forbidden_picks.iter().map(|&(a, b)| (set[a % n], set[b % n])).collect();
        let forbidden: HashSet<(Code, Code)> = recent.iter().copied().collect();
        match plan_rotation(&set, &recent, seed) {
            Ok(rotation) => {
                let pairs = rotation.pairs();
                prop_assert_eq!(pairs.len(), n);
                let inspectors: HashSet<Code> = pairs.iter().map(|p| p.0).collect();
                let targets: HashSet<Code> = pairs.iter().map(|p| p.1).collect();
                prop_assert_eq!(inspectors.len(), n);
                prop_assert_eq!(targets.len(), n);
                for &(a, b) in pairs {
                    prop_assert!(a != b);
                    prop_assert!(!forbidden.contains(&(a, b)));
                    prop_assert!(rotation.target_of(b) != Some(a), "no two inspect each other");
                }
                // One cycle: following it from the first county visits all.
                let mut seen = HashSet::new();
                let mut at = pairs[0].0;
                while seen.insert(at) {
                    at = rotation.target_of(at).expect("everyone inspects someone");
                }
                prop_assert_eq!(seen.len(), n);
                prop_assert_eq!(plan_rotation(&set, &recent, seed).ok(), Some(rotation));
            }
            Err(Error::NoRotation { reason, .. }) => {
                prop_assert!(!cycle_exists(&set, &forbidden), "{reason} but a cycle exists");
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}

#[test]
fn too_few_or_repeated_counties_say_why() {
    let all = counties();
    let reason = |set: &[Code]| match plan_rotation(set, &[], 1) {
        Err(Error::NoRotation { reason, .. }) => reason,
        other => panic!("expected no rotation, got {other:?}"),
    };
    assert_eq!(reason(&all[..1]), RotationBlock::TooFew);
    assert_eq!(reason(&all[..2]), RotationBlock::OnlyEachOther);
    assert_eq!(
        reason(&[all[0], all[1], all[0]]),
        RotationBlock::Duplicate(all[0])
    );
    let set = &all[..3];
    let no_target = [(set[0], set[1]), (set[0], set[2])];
    assert_eq!(
        match plan_rotation(set, &no_target, 1) {
            Err(Error::NoRotation { reason, .. }) => reason,
            other => panic!("{other:?}"),
        },
        RotationBlock::NoTarget(set[0])
    );
    let err = plan_rotation(set, &no_target, 1).expect_err("blocked");
    assert!(err.to_string().contains(&set[0].to_string()), "{err}");
}

#[test]
fn rotations_are_uniform_over_the_cycles() {
    let all = counties();
    let set = &all[..4];
    let mut counts = std::collections::HashMap::new();
    for seed in 0..6_000u64 {
        let rotation = plan_rotation(set, &[], seed).expect("valid");
        *counts.entry(rotation.pairs().to_vec()).or_insert(0usize) += 1;
    }
    assert_eq!(counts.len(), 6, "3! cycles of four counties");
    for count in counts.values() {
        assert!((850..=1_150).contains(count), "{count} of about 1,000");
    }
}

#[test]
fn a_large_city_with_dense_history_still_rotates() {
    let all = counties();
    let set = &all[..20];
    // Forbid every pairing but those of one cycle and its neighbours.
    let mut recent = Vec::new();
    for (i, &a) in set.iter().enumerate() {
        for (j, &b) in set.iter().enumerate() {
            if i != j && j != (i + 1) % 20 && j != (i + 2) % 20 {
                recent.push((a, b));
            }
        }
    }
    let rotation = plan_rotation(set, &recent, 3).expect("a cycle exists");
    let forbidden: HashSet<_> = recent.into_iter().collect();
    assert!(rotation.pairs().iter().all(|p| !forbidden.contains(p)));
}
