//! The engine: one test per default rule, and explanations. (Its
//! properties over synthetic rosters are xuncha-synth's `tests/avoid`.)

use chrono::NaiveDate;
use xuncha_avoid::{
    DeclaredConflict, FactKind, Kinship, KinshipClass, PastInspection, Person, Place, Post,
    Relative, Role, Rule, RuleSet, Scope, Severity, Target, Verdict, Window,
};
use xuncha_org::UnitId;

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
        ["workplace", "workplace-unit"]
    );
    // A county target stands for the units the round inspects there: every
    // unit of 平和县 unless the round lists them.
    assert_eq!(
        rules_of(&e.check(&p, &county("350628"), Role::DeputyLeader, today())),
        ["workplace-unit"],
        "a deputy may not inspect the county whose units include their own"
    );
    let listed = engine().with_inspected_units(county("350628"), vec![UnitId::from("ph-finance")]);
    assert!(
        listed
            .check(&p, &county("350628"), Role::DeputyLeader, today())
            .is_clear(),
        "a Longyan deputy may come from a unit of the county the round does not inspect"
    );
    let branch_listed =
        engine().with_inspected_units(county("350628"), vec![UnitId::from("ph-civil-xx")]);
    assert_eq!(
        rules_of(&branch_listed.check(&p, &county("350628"), Role::DeputyLeader, today())),
        ["workplace-unit"],
        "inspecting a branch of one's own unit is inspecting one's unit"
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
        word: None,
        id: None,
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
    // The county stands for its units: the spouse's bureau among them.
    let county_verdict = e.check(&p, &county("350628"), Role::DeputyLeader, today());
    assert_eq!(rules_of(&county_verdict), ["kinship"]);
    assert!(
        county_verdict.conflicts[0]
            .explanation
            .zh
            .contains("位于被巡察地区"),
        "{}",
        county_verdict.conflicts[0].explanation.zh
    );
    let listed = engine().with_inspected_units(county("350628"), vec![UnitId::from("ph-civil")]);
    assert!(
        listed
            .check(&p, &county("350628"), Role::DeputyLeader, today())
            .is_clear(),
        "the round inspects the civil affairs bureau only"
    );
    assert!(
        e.check(&p, &county("350627"), Role::DeputyLeader, today())
            .is_clear(),
        "another county"
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
        word: None,
        id: None,
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

#[test]
fn check_agrees_with_itself_across_dates_for_undated_facts() {
    let mut p = person();
    p.residence = Some(division("350628"));
    let e = engine();
    for d in [NaiveDate::MIN, today(), NaiveDate::MAX] {
        assert!(!e.check(&p, &county("350628"), Role::Member, d).is_allowed());
    }
}
