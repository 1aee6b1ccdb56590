//! A division target stands for the units the round inspects within it:
//! every unit there, or the units the round lists. The index agrees with
//! `check` on random rosters, unit facts and lists.

use proptest::prelude::*;
use xuncha_avoid::{Kinship, Person, Place, Post, Relative, Role, Roster, Target};
use xuncha_org::UnitId;

use crate::common::{code, date, engine, fujian, today, units};

const UNITS: [&str; 5] = [
    "ph-civil",
    "ph-civil-xx",
    "ph-finance",
    "zz-road",
    "ph-road",
];
const DIVISIONS: [&str; 4] = ["350628", "350628100", "350627", "3506"];

fn place(i: usize) -> Place {
    match UNITS.get(i) {
        Some(id) => Place::Unit(UnitId::from(*id)),
        None => Place::Division(code(DIVISIONS[(i - UNITS.len()) % DIVISIONS.len()])),
    }
}

fn targets() -> Vec<Target> {
    let mut targets: Vec<Target> = DIVISIONS
        .iter()
        .map(|d| Target::Division(code(d)))
        .collect();
    targets.extend(UNITS.iter().map(|u| Target::Unit(UnitId::from(*u))));
    targets.push(Target::Cluster(vec![code("350628100"), code("350627")]));
    targets
}

/// A person: a workplace and relatives' posts among the places above.
fn arb_person() -> impl Strategy<Value = (Option<usize>, Vec<(usize, bool)>)> {
    (
        prop::option::of(0..UNITS.len() + DIVISIONS.len()),
        prop::collection::vec((0..UNITS.len() + DIVISIONS.len(), any::<bool>()), 0..3),
    )
}

fn person(i: usize, (workplace, relatives): &(Option<usize>, Vec<(usize, bool)>)) -> Person {
    let mut p = Person::new(&format!("P{i}"), "某", code("350602"));
    p.workplace = workplace.map(place);
    for &(at, ended) in relatives {
        p.relatives.push(Relative {
            kinship: Kinship::Spouse,
            word: None,
            id: None,
            name: "亲属".to_owned(),
            posts: vec![Post {
                place: place(at),
                title: "局长".to_owned(),
                from: Some(date(2015, 1, 1)),
                to: ended.then(|| date(2020, 1, 1)),
            }],
        });
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_index_agrees_with_check_under_listed_units(
        people in prop::collection::vec(arb_person(), 1..8),
        lists in prop::collection::vec(prop::option::of(prop::sample::subsequence(UNITS.to_vec(), 0..3)), 5),
    ) {
        let people: Vec<Person> = people.iter().enumerate().map(|(i, p)| person(i, p)).collect();
        let roster = Roster::new(people, fujian(), units()).expect("a roster");
        let targets = targets();
        // Lists for the four division targets and the cluster.
        let mut e = engine();
        let listed = targets.iter().filter(|t| !matches!(t, Target::Unit(_)));
        for (target, list) in listed.zip(&lists) {
            if let Some(list) = list {
                let ids = list.iter().map(|u| UnitId::from(*u)).collect();
                e = e.with_inspected_units(target.clone(), ids);
            }
        }
        let index = e.index(&roster, &targets, today());
        for (p, person) in roster.people().iter().enumerate() {
            for (t, target) in targets.iter().enumerate() {
                for role in Role::ALL {
                    let verdict = e.check(person, target, role, today());
                    prop_assert_eq!(index.allowed(p, t, role), verdict.is_allowed(), "{} {} {:?}", p, target, verdict);
                }
            }
        }
    }
}

#[test]
fn a_spouse_heading_a_county_bureau_blocks_the_county_unless_the_round_lists_other_units() {
    let mut p = person(0, &(None, vec![(0, false)])); // spouse heads 平和县民政局
    p.name = "王芳".into();
    let pinghe = Target::Division(code("350628"));
    let e = engine();
    let verdict = e.check(&p, &pinghe, Role::Member, today());
    assert!(!verdict.is_allowed());
    assert_eq!(
        verdict.conflicts[0].explanation.zh,
        "亲属（配偶 亲属）工作地 平和县民政局 (350628) 位于被巡察地区 平和县 (350628) 之内"
    );
    // The round lists its units: the finance bureau only.
    let e = engine().with_inspected_units(pinghe.clone(), vec![UnitId::from("ph-finance")]);
    assert!(e.check(&p, &pinghe, Role::Member, today()).is_allowed());
    // A listed branch of the spouse's bureau is the bureau inspected.
    let e = engine().with_inspected_units(pinghe.clone(), vec![UnitId::from("ph-civil-xx")]);
    assert!(!e.check(&p, &pinghe, Role::Member, today()).is_allowed());
    // The city's road bureau lies in 漳州市, not within 平和县.
    let p = person(1, &(None, vec![(3, false)]));
    assert!(e.check(&p, &pinghe, Role::Member, today()).is_allowed());
    assert!(
        !engine()
            .check(&p, &Target::Division(code("3506")), Role::Member, today())
            .is_allowed(),
        "but within 漳州市 as a target"
    );
}
