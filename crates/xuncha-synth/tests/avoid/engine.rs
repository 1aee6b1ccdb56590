//! xuncha-avoid's engine properties, on a synthetic roster over the real
//! Fujian hierarchy (here, not in xuncha-avoid, so that the avoidance
//! engine's tests need no generator above it).

use proptest::prelude::*;
use xuncha_avoid::{
    DeclaredConflict, FactKind, Kinship, PastInspection, Person, Place, Post, Relative, Role, Rule,
    RuleSet, Scope, Target, Verdict, Window,
};
use xuncha_org::{Level, UnitId};
use xuncha_synth::RosterSpec;

use crate::fixtures::{code, engine, fujian, today, units};

fn synthetic() -> &'static [Person] {
    static PEOPLE: std::sync::OnceLock<Vec<Person>> = std::sync::OnceLock::new();
    PEOPLE.get_or_init(|| {
        RosterSpec::new(400, 7, today())
            .roster(fujian(), units())
            .expect("synthetic roster")
            .people()
            .to_vec()
    })
}

fn targets() -> &'static [Target] {
    static TARGETS: std::sync::OnceLock<Vec<Target>> = std::sync::OnceLock::new();
    TARGETS.get_or_init(|| {
        let mut targets: Vec<Target> = fujian()
            .iter()
            .filter(|d| d.level() <= Level::Township)
            .map(|d| Target::Division(d.code()))
            .collect();
        for unit in units() {
            targets.push(Target::Unit(unit.id.clone()));
        }
        targets.push(Target::Cluster(vec![
            code("350628100201"),
            code("350627100"),
        ]));
        targets
    })
}

fn any_person() -> impl Strategy<Value = usize> {
    0..400usize
}

fn any_target() -> impl Strategy<Value = usize> {
    0..targets().len()
}

fn any_role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

fn any_place() -> impl Strategy<Value = Place> {
    prop_oneof![
        (0..fujian().len())
            .prop_map(|i| Place::Division(fujian().division_at(i).expect("in range").code())),
        prop::sample::select(vec![
            "ph-civil",
            "ph-civil-xx",
            "ph-finance",
            "zz-road",
            "ph-road"
        ])
        .prop_map(|id| Place::Unit(UnitId::from(id))),
    ]
}

fn conflict_keys(verdict: &Verdict) -> Vec<String> {
    verdict
        .conflicts
        .iter()
        .map(|c| format!("{}|{:?}|{}", c.rule, c.fact, c.matched))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn adding_a_fact_never_removes_a_conflict(
        p in any_person(), t in any_target(), role in any_role(),
        place in any_place(), kind in 0..6usize, years_ago in 0..20u64,
    ) {
        let e = engine();
        let before = synthetic()[p].clone();
        let mut after = before.clone();
        let start = today().checked_sub_days(chrono::Days::new(365 * years_ago + 1)).expect("date");
        match kind {
            0 => after.upbringing.push(place),
            1 => after.posts.push(Post { place, title: String::new(), from: Some(start), to: None }),
            2 => after.declared.push(DeclaredConflict { place, reason: "test".into() }),
            3 => after.relatives.push(Relative { kinship: Kinship::Sibling, word: None, id: None, name: "某".into(),
                posts: vec![Post { place, title: String::new(), from: Some(start), to: None }] }),
            4 => after.inspections.push(PastInspection { target: place.into(), date: start }),
            _ => if after.residence.is_none() { after.residence = Some(place) },
        }
        let target = &targets()[t];
        let old = conflict_keys(&e.check(&before, target, role, today()));
        let new = conflict_keys(&e.check(&after, target, role, today()));
        for key in &old {
            prop_assert!(new.contains(key), "lost {key}");
        }
        prop_assert!(new.len() >= old.len());
    }

    #[test]
    fn a_county_scope_conflict_with_a_county_reaches_every_township_and_unit_inside(
        p in any_person(), county_index in 0..84usize, role in any_role(),
    ) {
        let e = engine();
        let person = &synthetic()[p];
        let county = fujian().at_level(Level::County).nth(county_index).expect("84 counties");
        let at_county: Vec<String> = e
            .check(person, &Target::Division(county.code()), role, today())
            .conflicts
            .iter()
            .filter(|c| e.rules().get(&c.rule).is_some_and(|r| r.scope == Scope::County))
            .map(|c| format!("{}|{:?}", c.rule, c.fact))
            .collect();
        let mut inside: Vec<Target> = county.children().map(|t| Target::Division(t.code())).collect();
        inside.extend(units().units_in(county.code()).iter().map(|u| Target::Unit(u.id.clone())));
        for target in inside {
            let there: Vec<String> = e
                .check(person, &target, role, today())
                .conflicts
                .iter()
                .map(|c| format!("{}|{:?}", c.rule, c.fact))
                .collect();
            for key in &at_county {
                prop_assert!(there.contains(key), "{key} missing at {target}");
            }
        }
    }

    #[test]
    fn longyan_lifting_removes_county_residence_and_workplace_conflicts_and_no_other(
        p in any_person(), t in any_target(), lifted in prop::sample::select(vec![Role::DeputyLeader, Role::Liaison]),
    ) {
        let e = engine();
        let person = &synthetic()[p];
        let target = &targets()[t];
        let full = e.check(person, target, Role::Leader, today());
        let local = e.check(person, target, lifted, today());
        let expected: Vec<String> = full
            .conflicts
            .iter()
            .filter(|c| {
                let rule = e.rules().get(&c.rule).expect("rule of the set");
                !(rule.scope == Scope::County && matches!(rule.fact, FactKind::Residence | FactKind::Workplace))
            })
            .map(|c| format!("{}|{:?}|{}", c.rule, c.fact, c.matched))
            .collect();
        prop_assert_eq!(conflict_keys(&local), expected);
    }

    #[test]
    fn a_post_that_ended_before_the_window_never_conflicts(
        p in any_person(), t in any_target(), role in any_role(),
        window in 0..15u32, ended_days_before_window in 1..3_000u64,
    ) {
        let rules = RuleSet::new(vec![Rule {
            window: Some(Window::Years(window)),
            ..Rule::new("posts", FactKind::Posts)
        }]).expect("valid rules");
        let e = xuncha_avoid::Engine::new(fujian(), units(), rules);
        let mut person = synthetic()[p].clone();
        let since = Window::Years(window).since(today(), &[]).expect("in range");
        let to = since.checked_sub_days(chrono::Days::new(ended_days_before_window)).expect("date");
        let from = to.checked_sub_days(chrono::Days::new(700)).expect("date");
        person.posts = vec![Post { place: Place::Division(person.origin), title: String::new(), from: Some(from), to: Some(to) }];
        prop_assert!(e.check(&person, &targets()[t], role, today()).is_clear());
    }
}
