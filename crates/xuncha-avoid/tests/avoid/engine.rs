//! The engine: one test per default rule, explanations, and properties.

use chrono::NaiveDate;
use proptest::prelude::*;
use xuncha_avoid::{
    DeclaredConflict, FactKind, Kinship, KinshipClass, PastInspection, Person, Place, Post,
    Relative, Role, Rule, RuleSet, Scope, Severity, Target, Verdict, Window,
};
use xuncha_org::{Level, UnitId};
use xuncha_synth::RosterSpec;

use crate::common::{code, date, division, engine, fujian, person, today, units};

fn county(text: &str) -> Target {
    Target::Division(code(text))
}

fn unit_target(id: &str) -> Target {
    Target::Unit(UnitId::from(id))
}

fn rules_of(verdict: &Verdict) -> Vec<&str> {
    verdict.conflicts.iter().map(|c| c.rule.as_str()).collect()
}

fn post(place: Place, from: (i32, u32, u32), to: Option<(i32, u32, u32)>) -> Post {
    Post {
        place,
        title: "副镇长".to_owned(),
        from: Some(date(from.0, from.1, from.2)),
        to: to.map(|(y, m, d)| date(y, m, d)),
    }
}

#[test]
fn residence_blocks_the_county_for_leaders_and_members_only() {
    let mut p = person();
    p.residence = Some(division("350628100201"));
    let e = engine();
    for role in [Role::Leader, Role::Member] {
        assert_eq!(
            rules_of(&e.check(&p, &county("350628"), role, today())),
            ["residence"]
        );
        assert!(
            !e.check(&p, &county("350628100"), role, today())
                .is_allowed(),
            "a township inside"
        );
    }
    for role in [Role::DeputyLeader, Role::Liaison] {
        assert!(
            e.check(&p, &county("350628"), role, today()).is_clear(),
            "lifted for {role}"
        );
    }
    assert!(
        e.check(&p, &county("350627"), Role::Member, today())
            .is_clear()
    );
}

#[test]
fn workplace_blocks_the_county_and_the_unit_itself_for_everyone() {
    let mut p = person();
    p.workplace = Some(Place::Unit(UnitId::from("ph-civil")));
    let e = engine();
    assert_eq!(
        rules_of(&e.check(&p, &county("350628"), Role::Leader, today())),
        ["workplace"]
    );
    assert!(
        e.check(&p, &county("350628"), Role::DeputyLeader, today())
            .is_clear(),
        "a Longyan deputy may come from the county"
    );
    let own = e.check(&p, &unit_target("ph-civil"), Role::DeputyLeader, today());
    assert_eq!(
        rules_of(&own),
        ["workplace-unit"],
        "but not inspect their own unit"
    );
    let branch = e.check(&p, &unit_target("ph-civil-xx"), Role::Liaison, today());
    assert_eq!(rules_of(&branch), ["workplace-unit"], "nor its branch");
    assert!(
        e.check(&p, &unit_target("ph-finance"), Role::Liaison, today())
            .is_clear()
    );
}

#[test]
fn a_post_held_in_longhai_shi_in_2016_blocks_longhai_qu_today() {
    let mut p = Person::new("P2", "陈明", code("350602"));
    p.posts
        .push(post(division("350681"), (2016, 1, 1), Some((2018, 12, 31))));
    let roster = xuncha_avoid::Roster::new(vec![p], fujian(), units()).expect("resolves");
    let p = &roster.people()[0];
    assert_eq!(p.posts[0].place, division("350604"));
    let verdict = engine().check(p, &county("350604"), Role::DeputyLeader, today());
    assert_eq!(rules_of(&verdict), ["posts"]);
    assert_eq!(verdict.conflicts[0].matched, division("350604"));
    assert!(
        verdict.conflicts[0]
            .explanation
            .zh
            .contains("龙海区 (350604)")
    );
}

#[test]
fn a_post_that_ended_before_the_window_does_not_count() {
    let rules = RuleSet::new(vec![Rule {
        window: Some(Window::Years(5)),
        ..Rule::new("posts-5y", FactKind::Posts)
    }])
    .expect("valid rules");
    let e = xuncha_avoid::Engine::new(fujian(), units(), rules);
    let mut p = person();
    p.posts
        .push(post(division("350628"), (2010, 1, 1), Some((2020, 6, 30))));
    assert!(
        e.check(&p, &county("350628"), Role::Member, today())
            .is_clear()
    );
    p.posts.push(post(division("350628"), (2021, 1, 1), None));
    assert!(
        !e.check(&p, &county("350628"), Role::Member, today())
            .is_allowed()
    );
}

#[test]
fn upbringing_blocks_every_role_and_explains_itself() {
    let mut p = person();
    p.upbringing.push(division("350628100"));
    let e = engine();
    for role in Role::ALL {
        assert_eq!(
            rules_of(&e.check(&p, &county("350628"), role, today())),
            ["upbringing"]
        );
    }
    let verdict = e.check(&p, &unit_target("ph-civil"), Role::Member, today());
    let explanation = &verdict.conflicts[0].explanation;
    assert_eq!(
        explanation.zh,
        "成长地 平和县 (350628) 包含被巡察单位 平和县民政局"
    );
    assert_eq!(
        explanation.en,
        "place of upbringing 平和县 (350628) contains the target 平和县民政局"
    );
}

#[test]
fn kinship_blocks_a_relatives_unit_while_they_work_there() {
    let mut p = person();
    p.relatives.push(Relative {
        kinship: Kinship::Spouse,
        name: "李强".to_owned(),
        posts: vec![Post {
            place: Place::Unit(UnitId::from("ph-finance")),
            title: String::new(),
            from: Some(date(2015, 1, 1)),
            to: None,
        }],
    });
    let e = engine();
    let verdict = e.check(&p, &unit_target("ph-finance"), Role::DeputyLeader, today());
    assert_eq!(rules_of(&verdict), ["kinship"]);
    assert!(verdict.conflicts[0].explanation.zh.contains("配偶 李强"));
    assert!(
        e.check(&p, &county("350628"), Role::DeputyLeader, today())
            .is_clear()
    );
    // Once the relative has left, the conflict is gone.
    p.relatives[0].posts[0].to = Some(date(2020, 1, 1));
    assert!(
        e.check(&p, &unit_target("ph-finance"), Role::Member, today())
            .is_clear()
    );
}

#[test]
fn kinship_counts_only_the_classes_a_rule_names() {
    let rules = RuleSet::new(vec![Rule {
        scope: Scope::County,
        kinships: Some(vec![KinshipClass::Spouse, KinshipClass::Lineal]),
        ..Rule::new("kin", FactKind::Kinship)
    }])
    .expect("valid rules");
    let e = xuncha_avoid::Engine::new(fujian(), units(), rules);
    let mut p = person();
    p.relatives.push(Relative {
        kinship: Kinship::Cousin,
        name: "王磊".to_owned(),
        posts: vec![post(division("350628100"), (2019, 1, 1), None)],
    });
    assert!(
        e.check(&p, &county("350628"), Role::Member, today())
            .is_clear()
    );
    p.relatives[0].kinship = Kinship::Parent;
    assert!(
        !e.check(&p, &county("350628"), Role::Member, today())
            .is_allowed()
    );
}

#[test]
fn declared_conflicts_block_what_was_declared() {
    let mut p = person();
    p.declared.push(DeclaredConflict {
        place: division("350628"),
        reason: "配偶原籍".to_owned(),
    });
    let e = engine();
    let verdict = e.check(&p, &county("350628"), Role::Liaison, today());
    assert_eq!(rules_of(&verdict), ["declared"]);
    assert!(verdict.conflicts[0].explanation.zh.contains("配偶原籍"));
    assert!(
        !e.check(&p, &unit_target("ph-civil"), Role::Liaison, today())
            .is_allowed()
    );
    assert!(
        e.check(&p, &county("3506"), Role::Liaison, today())
            .is_clear(),
        "place scope does not reach up"
    );
}

#[test]
fn a_recent_inspection_is_a_soft_cost() {
    let mut p = person();
    p.inspections.push(PastInspection {
        target: county("350628"),
        date: date(2024, 5, 1),
    });
    let verdict = engine().check(&p, &county("350628"), Role::Member, today());
    assert_eq!(rules_of(&verdict), ["recent-inspection"]);
    assert!(verdict.is_allowed());
    assert_eq!(verdict.conflicts[0].severity, Severity::Soft);
    assert_eq!(verdict.soft_cost(), 10);
    p.inspections[0].date = date(2019, 5, 1);
    assert!(
        engine()
            .check(&p, &county("350628"), Role::Member, today())
            .is_clear(),
        "over 5 years ago"
    );
}

#[test]
fn a_window_in_rounds_uses_the_round_dates() {
    let rules = RuleSet::new(vec![Rule {
        scope: Scope::Unit,
        window: Some(Window::Rounds(2)),
        ..Rule::new("last-two-rounds", FactKind::RecentInspection)
    }])
    .expect("valid rules");
    let e = xuncha_avoid::Engine::new(fujian(), units(), rules).with_round_dates(vec![
        date(2024, 3, 1),
        date(2025, 3, 1),
        date(2026, 3, 1),
    ]);
    let mut p = person();
    p.inspections.push(PastInspection {
        target: county("350628"),
        date: date(2025, 3, 1),
    });
    assert!(
        !e.check(&p, &county("350628"), Role::Member, today())
            .is_allowed()
    );
    p.inspections[0].date = date(2024, 3, 1);
    assert!(
        e.check(&p, &county("350628"), Role::Member, today())
            .is_allowed()
    );
}

#[test]
fn a_fact_above_the_scope_blocks_nothing_and_clusters_match_any_member() {
    let mut p = person();
    p.workplace = Some(division("3506"));
    let e = engine();
    assert!(
        e.check(&p, &county("350628"), Role::Member, today())
            .is_clear()
    );
    p.residence = Some(division("350628100201"));
    let cluster = Target::Cluster(vec![code("350627100"), code("350628100")]);
    assert_eq!(
        rules_of(&e.check(&p, &cluster, Role::Member, today())),
        ["residence"]
    );
}

// ---- properties, on a synthetic roster over the real Fujian hierarchy ----

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
            3 => after.relatives.push(Relative { kinship: Kinship::Sibling, name: "某".into(),
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

#[test]
fn check_agrees_with_itself_across_dates_for_undated_facts() {
    let mut p = person();
    p.residence = Some(division("350628"));
    let e = engine();
    for d in [NaiveDate::MIN, today(), NaiveDate::MAX] {
        assert!(!e.check(&p, &county("350628"), Role::Member, d).is_allowed());
    }
}
