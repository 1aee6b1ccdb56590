//! xuncha-avoid's whole-roster index agrees with pairwise checks, on a
//! synthetic roster.

use proptest::prelude::*;
use xuncha_avoid::{ConflictIndex, Role, Roster, Target};
use xuncha_org::Level;
use xuncha_synth::RosterSpec;

use crate::fixtures::{code, engine, fujian, today, units};

struct Fixture {
    roster: Roster,
    targets: Vec<Target>,
    index: ConflictIndex,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(|| {
        let roster = RosterSpec::new(600, 11, today())
            .roster(fujian(), units())
            .expect("synthetic roster");
        let mut targets: Vec<Target> = fujian()
            .iter()
            .filter(|d| d.level() <= Level::Township)
            .map(|d| Target::Division(d.code()))
            .collect();
        targets.extend(units().iter().map(|u| Target::Unit(u.id.clone())));
        targets.push(Target::Cluster(vec![
            code("350628100201"),
            code("350627100"),
        ]));
        targets.push(Target::Cluster(vec![code("350602"), code("350603")]));
        let index = engine().index(&roster, &targets, today());
        Fixture {
            roster,
            targets,
            index,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn the_index_agrees_with_check_on_random_pairs(
        p in 0..600usize,
        t in 0..1_300usize,
        role in prop::sample::select(Role::ALL.to_vec()),
    ) {
        let f = fixture();
        let t = t % f.targets.len();
        let verdict = engine().check(&f.roster.people()[p], &f.targets[t], role, today());
        prop_assert_eq!(f.index.allowed(p, t, role), verdict.is_allowed(), "{:?}", verdict);
        prop_assert_eq!(f.index.soft_cost(p, t, role), verdict.soft_cost());
        let any_role_blocked = Role::ALL
            .iter()
            .any(|&r| !engine().check(&f.roster.people()[p], &f.targets[t], r, today()).is_allowed());
        prop_assert_eq!(f.index.blocked(p).contains(&u32::try_from(t).expect("small")), any_role_blocked);
    }
}

#[test]
fn every_blocked_pair_of_one_person_is_confirmed_by_check() {
    let f = fixture();
    for p in 0..50 {
        for &t in f.index.blocked(p) {
            let t = t as usize;
            let blocked = f.index.blocked_roles(p, t);
            for role in Role::ALL {
                let verdict = engine().check(&f.roster.people()[p], &f.targets[t], role, today());
                assert_eq!(
                    blocked.contains(role),
                    !verdict.is_allowed(),
                    "person {p} target {t} {role}"
                );
            }
        }
    }
    assert!(f.index.blocked_pairs() > 0);
    assert_eq!(f.index.people(), 600);
}

#[test]
fn out_of_range_positions_are_allowed_and_unblocked() {
    let f = fixture();
    assert!(f.index.allowed(10_000, 0, Role::Leader));
    assert!(f.index.blocked(10_000).is_empty());
    assert_eq!(f.index.soft_cost(0, 1_000_000, Role::Member), 0);
}

/// A roster long enough to be indexed in parts on threads (20,000 people
/// or more): the parts' runs join up, checked against pairwise checks on
/// people from every part, the last and the first of each included.
#[test]
fn an_index_built_in_parts_agrees_with_check() {
    let roster = RosterSpec::new(20_011, 5, today())
        .roster(fujian(), units())
        .expect("synthetic roster");
    let targets: Vec<Target> = fujian()
        .iter()
        .filter(|d| d.level() <= Level::County)
        .map(|d| Target::Division(d.code()))
        .collect();
    let index = engine().index(&roster, &targets, today());
    assert_eq!(index.people(), roster.len());
    let n = roster.len();
    let people = (0..n)
        .step_by(211)
        .chain([n / 2 - 1, n / 2, n / 2 + 1, n / 4, n - 1]);
    let mut blocked = 0;
    for p in people {
        for (t, target) in targets.iter().enumerate() {
            for role in Role::ALL {
                let verdict = engine().check(&roster.people()[p], target, role, today());
                assert_eq!(
                    index.allowed(p, t, role),
                    verdict.is_allowed(),
                    "{p} {t} {role:?}"
                );
                assert_eq!(index.soft_cost(p, t, role), verdict.soft_cost(), "{p} {t}");
                blocked += usize::from(!verdict.is_allowed());
            }
        }
    }
    assert!(
        blocked > 0,
        "the sample must meet conflicts for the test to bite"
    );
}
