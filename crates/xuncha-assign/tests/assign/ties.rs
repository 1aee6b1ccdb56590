//! Staffing under a hard tie rule: the plan has no tie of the configured
//! length to a leader of its target, by `verify` and by a brute-force walk
//! over the graph's ties.

use chrono::NaiveDate;
use proptest::prelude::*;
use xuncha_assign::{Error, Plan, Round, StaffOptions, staff, verify};
use xuncha_avoid::{
    Engine, FactKind, PersonId, Rule, RuleSet, Target, Tie, TieGraph, TieKind, TieSpec, Window,
};
use xuncha_org::{Code, Hierarchy, Level, Units};
use xuncha_synth::{OfficialsSpec, RosterSpec};

fn fujian() -> &'static Hierarchy {
    static FUJIAN: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date")
}

fn zhangzhou() -> Code {
    Code::parse("3506").expect("code")
}

/// The rule's window: ties that ended more than ten years before fade.
const WINDOW: Window = Window::Years(10);

/// Whether `tie` counts under `spec` on `date`: written again from the
/// rule's definition, as the oracle.
fn counted(tie: &Tie, spec: &TieSpec) -> bool {
    if !spec.kinds.contains(&tie.kind) {
        return false;
    }
    if !tie.kind.is_dated() {
        return true;
    }
    let Some(from) = tie.from else { return false };
    let end = tie.to.map_or(date(), |to| to.min(date()));
    let long_enough = spec.min_overlap.since(end, &[]).is_some_and(|s| s >= from);
    let recent = WINDOW.since(date(), &[]).is_none_or(|since| end >= since);
    from <= end && long_enough && recent
}

/// Whether `person` reaches a leader of `target` in at most `spec.path`
/// counted ties, by walking every tie of the person and of each neighbour.
fn tied(graph: &TieGraph, person: &PersonId, target: &Target, spec: &TieSpec) -> bool {
    let leaders: Vec<&PersonId> = graph
        .leaders(target, date())
        .into_iter()
        .filter_map(|n| graph.person(n).map(|p| &p.id))
        .collect();
    if leaders.contains(&person) {
        return false;
    }
    graph
        .ties_of(person)
        .filter(|(_, tie, _)| counted(tie, spec))
        .any(|(next, _, _)| {
            leaders.contains(&&next.id)
                || (spec.path >= 2
                    && graph.ties_of(&next.id).any(|(last, tie, _)| {
                        last.id != *person && counted(tie, spec) && leaders.contains(&&last.id)
                    }))
        })
}

/// The (member, target) pairs of `plan` with a tie path.
fn tied_members(plan: &Plan, graph: &TieGraph, spec: &TieSpec) -> usize {
    plan.teams
        .iter()
        .flat_map(|team| team.members.iter().map(move |m| (&m.person, &team.target)))
        .filter(|(person, target)| tied(graph, person, target, spec))
        .count()
}

fn engine(seed: u64, spec: Option<&TieSpec>) -> (Engine<'static>, xuncha_avoid::Roster) {
    static UNITS: std::sync::OnceLock<Units> = std::sync::OnceLock::new();
    let units = UNITS.get_or_init(Units::default);
    let roster = RosterSpec::new(1_200, seed, date())
        .within(zhangzhou())
        .roster(fujian(), units)
        .expect("roster");
    let officials = OfficialsSpec::new(10, seed, date())
        .within(zhangzhou())
        .checked(fujian(), units)
        .expect("officials");
    // With no spec, the graph is still built (for the oracle), under a
    // soft rule that staffing may break.
    let rule = match spec {
        Some(spec) => Rule {
            window: Some(WINDOW),
            ties: Some(spec.clone()),
            ..Rule::new("ties", FactKind::Ties)
        },
        None => Rule {
            window: Some(WINDOW),
            severity: xuncha_avoid::Severity::Soft,
            cost: 0,
            ..Rule::new("ties", FactKind::Ties)
        },
    };
    let rules = RuleSet::new(vec![rule]).expect("rules");
    let engine = Engine::new(fujian(), units, rules).with_officials(&roster, &officials);
    (engine, roster)
}

fn round() -> Round {
    Round::cross(
        "2026-zz",
        date(),
        fujian()
            .at_level(Level::County)
            .map(xuncha_org::Division::code)
            .filter(|c| zhangzhou().contains(*c)),
    )
}

fn kinds() -> impl Strategy<Value = Vec<TieKind>> {
    proptest::sample::subsequence(TieKind::ALL.to_vec(), 1..=TieKind::ALL.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn a_plan_staffed_under_a_hard_tie_rule_has_no_such_tie(
        seed in any::<u64>(),
        path in 1u8..=2,
        kinds in kinds(),
    ) {
        let spec = TieSpec { kinds, path, ..TieSpec::default() };
        let (engine, roster) = engine(seed, Some(&spec));
        let graph = engine.ties().expect("a graph");
        let round = round();
        match staff(&engine, &roster, &round, &StaffOptions::default()) {
            Ok(plan) => {
                let violations = verify(&plan, &round, &roster, &engine);
                prop_assert!(violations.is_empty(), "{:?}", violations);
                prop_assert_eq!(tied_members(&plan, graph, &spec), 0);
            }
            Err(Error::Infeasible(why)) => {
                prop_assert!(why.confirm(&round, &roster, &engine), "{}", why);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}

/// The test above can fail: without the rule, the same staffing puts
/// people with a tie path on the teams, and `verify` under the rule names
/// each of them; with it, the same rosters are staffed tie-free.
#[test]
fn without_the_rule_staffing_places_tied_people_and_verify_says_so() {
    let spec = TieSpec::default();
    let round = round();
    let (mut tied_somewhere, mut named) = (0, 0);
    for seed in 0..4 {
        let (free, roster) = engine(seed, None);
        let plan = staff(&free, &roster, &round, &StaffOptions::default()).expect("staffed");
        let graph = free.ties().expect("a graph");
        let tied = tied_members(&plan, graph, &spec);
        tied_somewhere += tied;
        let (strict, _) = engine(seed, Some(&spec));
        let violations = verify(&plan, &round, &roster, &strict);
        named += violations.len();
        assert_eq!(violations.len(), tied, "seed {seed}: {violations:?}");
        // Under the rule the same roster is still staffed, tie-free.
        let kept = staff(&strict, &roster, &round, &StaffOptions::default()).expect("staffed");
        assert!(verify(&kept, &round, &roster, &strict).is_empty());
        assert_eq!(tied_members(&kept, graph, &spec), 0, "seed {seed}");
    }
    assert!(tied_somewhere > 0, "no plan placed a tied person");
    assert!(named > 0);
}
