//! Independent verification of a plan: every hard constraint re-checked
//! from the round, the roster and the rules, without the solver's network
//! or the conflict index. Written apart from the solver on purpose: it
//! restates the composition policies rather than calling the solver's own
//! tests.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use xuncha_avoid::{Engine, Person, PersonId, Role, Roster};
use xuncha_org::Code;

use crate::{Assignment, Composition, OriginCap, Plan, Round, TeamPlan, TeamSpec};

/// One broken constraint in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// The team's id, or `plan` for the plan as a whole.
    pub team: String,
    /// The person concerned, if one.
    pub person: Option<PersonId>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.person {
            Some(p) => write!(f, "{}: {}: {}", self.team, p, self.message),
            None => write!(f, "{}: {}", self.team, self.message),
        }
    }
}

/// Collects violations.
struct Report(Vec<Violation>);

impl Report {
    fn fail(&mut self, team: &str, person: Option<&PersonId>, message: String) {
        self.0.push(Violation {
            team: team.to_owned(),
            person: person.cloned(),
            message,
        });
    }
}

/// Re-checks every hard constraint of `plan` for `round`, independently of
/// how the plan was made: each person at most once (alternates included),
/// every slot filled,
/// requirements met, the composition policy, the pool, and every member
/// allowed by `engine.check` (not the conflict index), and every alternate
/// able to take the role they are named for. Returns every
/// violation; an empty list means the plan is valid.
///
/// # Complexity
///
/// O(members × facts).
pub fn verify(plan: &Plan, round: &Round, roster: &Roster, engine: &Engine<'_>) -> Vec<Violation> {
    let mut report = Report(Vec::new());
    if plan.round != round.id {
        report.fail(
            "plan",
            None,
            format!("the plan is for round {:?}, not {:?}", plan.round, round.id),
        );
    }
    if plan.teams.len() != round.targets.len() {
        report.fail(
            "plan",
            None,
            format!(
                "{} teams for {} targets",
                plan.teams.len(),
                round.targets.len()
            ),
        );
    }
    let mut seen: HashSet<&PersonId> = HashSet::new();
    for (i, team) in plan.teams.iter().enumerate() {
        let Some(expected) = round.targets.get(i) else {
            break;
        };
        if team.target != expected.target {
            report.fail(
                &team.id,
                None,
                format!(
                    "inspects {}, but the round's target {} is {}",
                    team.target,
                    i + 1,
                    expected.target
                ),
            );
            continue;
        }
        for member in &team.members {
            if !seen.insert(&member.person) {
                report.fail(
                    &team.id,
                    Some(&member.person),
                    "serves more than once in the round".to_owned(),
                );
            }
        }
        verify_team(
            &mut report,
            plan,
            round,
            round.spec(i),
            team,
            roster,
            engine,
        );
    }
    verify_alternates(&mut report, plan, round, roster, engine, &mut seen);
    report.0
}

/// Alternates (候补): each named once in the round, on no team, and able
/// to step into the role they are named for without breaking any rule.
fn verify_alternates<'p>(
    report: &mut Report,
    plan: &'p Plan,
    round: &Round,
    roster: &Roster,
    engine: &Engine<'_>,
    seen: &mut HashSet<&'p PersonId>,
) {
    for (i, team) in plan.teams.iter().enumerate() {
        if i >= round.targets.len() || team.target != round.targets[i].target {
            continue;
        }
        let spec = round.spec(i);
        let division = team.target.anchor(engine.units());
        for alternate in &team.alternates {
            let id = team.id.as_str();
            if !seen.insert(&alternate.person) {
                report.fail(
                    id,
                    Some(&alternate.person),
                    "an alternate who is on a team or named twice".to_owned(),
                );
            }
            let Some(person) = roster.get(&alternate.person) else {
                report.fail(
                    id,
                    Some(&alternate.person),
                    "an alternate not in the roster".to_owned(),
                );
                continue;
            };
            for message in member_problems(round, spec, team, alternate, person, division, engine) {
                report.fail(
                    id,
                    Some(&alternate.person),
                    format!("as an alternate: {message}"),
                );
            }
        }
    }
}

fn verify_team(
    report: &mut Report,
    plan: &Plan,
    round: &Round,
    spec: &TeamSpec,
    team: &TeamPlan,
    roster: &Roster,
    engine: &Engine<'_>,
) {
    let id = team.id.as_str();
    let count = |role: Role| team.members.iter().filter(|m| m.role == role).count();
    for (role, want) in [
        (Role::Leader, 1),
        (Role::DeputyLeader, 1),
        (Role::Liaison, usize::from(spec.liaison)),
        (Role::Member, spec.members as usize),
    ] {
        if count(role) != want {
            report.fail(
                id,
                None,
                format!("{} {role}s, the spec asks for {want}", count(role)),
            );
        }
    }
    let division = team.target.anchor(engine.units());
    // Every county the target touches counts as the inspected county; the
    // rotation sends a whole team to the least of them.
    let counties = team.target.counties(engine.units());
    let county = counties.first().copied();
    let whole_team = spec.origin_cap == OriginCap::Team;
    let mut ordinary_by_origin: HashMap<Code, u32> = HashMap::new();
    for member in &team.members {
        let Some(person) = roster.get(&member.person) else {
            report.fail(id, Some(&member.person), "is not in the roster".to_owned());
            continue;
        };
        for message in member_problems(round, spec, team, member, person, division, engine) {
            report.fail(id, Some(&member.person), message);
        }
        let counted = if whole_team {
            !counties.contains(&person.origin)
        } else {
            member.role == Role::Member && member.specialist.is_empty()
        };
        if counted {
            *ordinary_by_origin.entry(person.origin).or_default() += 1;
        }
    }
    for requirement in &spec.require {
        let have = team
            .members
            .iter()
            .filter(|m| m.role == Role::Member)
            .filter_map(|m| roster.get(&m.person))
            .filter(|p| p.has_skill(requirement.skill))
            .count();
        if have < requirement.count as usize {
            report.fail(
                id,
                None,
                format!(
                    "{have} members with {}, the spec asks for {}",
                    requirement.skill, requirement.count
                ),
            );
        }
    }
    named_specialists(report, spec, team);
    if spec.composition == Composition::WholeTeam {
        match (team.inspector, county) {
            (Some(by), Some(_)) if counties.contains(&by) => {
                report.fail(
                    id,
                    None,
                    "the rotation sends a county to inspect itself".to_owned(),
                );
            }
            (Some(by), Some(c)) if !plan.rotation.contains(&(by, c)) => {
                report.fail(
                    id,
                    None,
                    format!("{by} inspecting {c} is not in the plan's rotation"),
                );
            }
            (None, _) => report.fail(
                id,
                None,
                "a whole-team crossing without an inspecting county".to_owned(),
            ),
            _ => {}
        }
    } else {
        for (origin, n) in ordinary_by_origin {
            if n > spec.max_per_origin {
                report.fail(
                    id,
                    None,
                    format!(
                        "{n} {} from {origin}, at most {}",
                        if whole_team {
                            "people in any role"
                        } else {
                            "ordinary members"
                        },
                        spec.max_per_origin
                    ),
                );
            }
        }
    }
}

/// The specialists a team names count every requirement exactly as often as
/// it asks: naming more would exempt them from the cap on ordinary members.
fn named_specialists(report: &mut Report, spec: &TeamSpec, team: &TeamPlan) {
    for requirement in &spec.require {
        let named = team
            .members
            .iter()
            .filter(|m| m.specialist.contains(&requirement.skill))
            .count();
        if named != requirement.count as usize {
            report.fail(
                &team.id,
                None,
                format!(
                    "{named} members named as {} specialists, the spec asks for {}",
                    requirement.skill, requirement.count
                ),
            );
        }
    }
}

/// Every reason `person` may not be placed as `role` on the team of
/// `round.targets[index]`, dated at the round: the avoidance rules' hard
/// conflicts, the composition, the pool, whom the round draws from, the
/// leader's rank and, for a specialist slot (`skill`), the skill. Empty
/// when nothing keeps them off. What depends on the plan as a whole (the
/// county a rotation sends in a whole-team crossing, the per-county cap,
/// people already placed) is not judged here.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_assign::{Composition, Round, placement_problems};
/// use xuncha_avoid::{Engine, Person, Role, RuleSet};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::default();
/// let engine = Engine::new(&fujian, &units, RuleSet::default());
/// let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let mut round = Round::cross("r", date, [Code::parse("350623")?]);
/// round.team.composition = Composition::Mixed;
/// let local = Person::new("P1", "林文", Code::parse("350623")?);
/// let problems = placement_problems(&round, 0, &local, Role::Member, None, &engine);
/// assert!(problems.iter().any(|p| p.contains("from the inspected county")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn placement_problems(
    round: &Round,
    index: usize,
    person: &Person,
    role: Role,
    skill: Option<xuncha_avoid::Skill>,
    engine: &Engine<'_>,
) -> Vec<String> {
    let Some(entry) = round.targets.get(index) else {
        return vec![format!(
            "the round has {} targets, not a target {index}",
            round.targets.len()
        )];
    };
    let spec = round.spec(index);
    let team = TeamPlan {
        id: format!("{}/{}", round.id, entry.target),
        target: entry.target.clone(),
        // Whether the rotation sends the person's county is the plan's to
        // say; here it is taken as sent.
        inspector: Some(person.origin),
        kind: entry.kind,
        members: Vec::new(),
        alternates: Vec::new(),
    };
    let member = Assignment {
        person: person.id.clone(),
        name: person.name.clone(),
        role,
        specialist: skill.into_iter().collect(),
        origin: person.origin,
        cost: xuncha_round::CostTerms::default(),
    };
    let division = entry.target.anchor(engine.units());
    member_problems(round, spec, &team, &member, person, division, engine)
}

/// Everything wrong with one member, from the roster and the rules alone.
pub(crate) fn member_problems(
    round: &Round,
    spec: &TeamSpec,
    team: &TeamPlan,
    member: &Assignment,
    person: &Person,
    division: Option<Code>,
    engine: &Engine<'_>,
) -> Vec<String> {
    let mut out = Vec::new();
    if person.origin != member.origin {
        out.push(format!(
            "origin {} in the plan, {} in the roster",
            member.origin, person.origin
        ));
    }
    for conflict in engine
        .check(person, &team.target, member.role, round.date)
        .hard()
    {
        out.push(format!("hard conflict: {}", conflict.explanation.en));
    }
    if member.role == Role::Leader
        && let Some(min) = spec.min_leader_rank
        && person.rank < min
    {
        out.push(format!("leader of rank {}, below {min}", person.rank));
    }
    for &skill in &member.specialist {
        if !person.has_skill(skill) {
            out.push(format!("fills a {skill} slot without the skill"));
        }
        if !spec.require.iter().any(|r| r.skill == skill) {
            out.push(format!(
                "named a {skill} specialist, which the spec does not ask for"
            ));
        }
    }
    if !member.specialist.is_empty() && member.role != Role::Member {
        out.push(format!("a {} named as a specialist", member.role));
    }
    let mut named = member.specialist.clone();
    named.sort_unstable();
    named.dedup();
    if named.len() != member.specialist.len() {
        out.push("named for one skill twice".to_owned());
    }
    let from_target = team
        .target
        .counties(engine.units())
        .contains(&person.origin);
    let local_role = matches!(member.role, Role::DeputyLeader | Role::Liaison);
    match spec.composition {
        Composition::WholeTeam if team.inspector != Some(person.origin) => {
            out.push("not from the county the rotation sent".to_owned());
        }
        Composition::Mixed if from_target => {
            out.push("from the inspected county in a mixed team".to_owned());
        }
        Composition::Longyan if local_role != from_target => {
            out.push(if local_role {
                format!(
                    "the Longyan {} must come from the inspected county",
                    member.role
                )
            } else {
                format!(
                    "a Longyan {} must not come from the inspected county",
                    member.role
                )
            });
        }
        _ => {}
    }
    if let Some(division) = division
        && !round
            .pool
            .admits(division, person.origin, engine.hierarchy())
    {
        out.push(format!(
            "origin {} is outside the round's {:?} pool",
            person.origin, round.pool
        ));
    }
    if let Some(refusal) = round
        .drawing(&team.target, engine.units())
        .refusal(person, engine.units())
    {
        out.push(refusal);
    }
    out
}

impl crate::Infeasibility {
    /// Confirms the certificate independently of the solver: counts, from
    /// the roster and `engine.check` alone, how many of the blocked slots
    /// all the people together could fill at once (each person once, the
    /// per-origin cap on ordinary members), and returns whether that is
    /// fewer than the slots, i.e. whether the slots really outnumber the
    /// people who may fill them.
    pub fn confirm(&self, round: &Round, roster: &Roster, engine: &Engine<'_>) -> bool {
        let people = roster.people();
        // Nodes: 0 source, 1 sink, then people, then slot groups, then gates.
        let group_base = 2 + people.len();
        let mut next = group_base + self.slots.len();
        let mut arcs: Vec<(usize, usize, i64)> = Vec::new();
        let mut gates: HashMap<(usize, Code), usize> = HashMap::new();
        let mut used: HashSet<usize> = HashSet::new();
        for (g, blocked) in self.slots.iter().enumerate() {
            arcs.push((group_base + g, 1, i64::from(blocked.count)));
            let Some(entry) = round.targets.get(blocked.target) else {
                continue;
            };
            let spec = round.spec(blocked.target);
            let division = entry.target.anchor(engine.units());
            let counties = entry.target.counties(engine.units());
            let drawing = round.drawing_for(entry, engine.units());
            for (p, person) in people.iter().enumerate() {
                let slot = Slot {
                    inspector: blocked.inspector,
                    target: &entry.target,
                    drawing: &drawing,
                    division,
                    counties: &counties,
                    role: blocked.role,
                    skill: blocked.skill,
                };
                if !could_serve(round, spec, &slot, person, engine) {
                    continue;
                }
                used.insert(p);
                if blocked.ordinary && spec.composition != Composition::WholeTeam {
                    let gate = *gates.entry((g, person.origin)).or_insert_with(|| {
                        next += 1;
                        arcs.push((next - 1, group_base + g, i64::from(spec.max_per_origin)));
                        next - 1
                    });
                    arcs.push((2 + p, gate, 1));
                } else {
                    arcs.push((2 + p, group_base + g, 1));
                }
            }
        }
        for p in used {
            arcs.push((0, 2 + p, 1));
        }
        let (flow, _) = crate::flow::max_flow(next, &arcs, 0, 1);
        let filled: i64 = arcs
            .iter()
            .zip(&flow)
            .filter(|(a, _)| a.1 == 1)
            .map(|(_, f)| *f)
            .sum();
        let demand: i64 = self.slots.iter().map(|b| i64::from(b.count)).sum();
        filled < demand
    }
}

/// One slot as the confirmation sees it.
struct Slot<'a> {
    inspector: Option<Code>,
    target: &'a xuncha_avoid::Target,
    /// Whom the round draws for the slot's target.
    drawing: &'a xuncha_round::Drawing,
    division: Option<Code>,
    /// Every county the target touches.
    counties: &'a [Code],
    role: Role,
    skill: Option<xuncha_avoid::Skill>,
}

/// Whether `person` could take the slot, whatever else the plan does.
fn could_serve(
    round: &Round,
    spec: &TeamSpec,
    slot: &Slot<'_>,
    person: &Person,
    engine: &Engine<'_>,
) -> bool {
    let from_target = slot.counties.contains(&person.origin);
    let local_role = matches!(slot.role, Role::DeputyLeader | Role::Liaison);
    let composition_ok = match spec.composition {
        Composition::WholeTeam => slot.inspector == Some(person.origin),
        Composition::Mixed => !from_target,
        Composition::Longyan => local_role == from_target,
    };
    let pool_ok = slot
        .division
        .is_none_or(|d| round.pool.admits(d, person.origin, engine.hierarchy()))
        && slot.drawing.admits(person, engine.units());
    let rank_ok =
        slot.role != Role::Leader || spec.min_leader_rank.is_none_or(|min| person.rank >= min);
    let skill_ok = slot.skill.is_none_or(|s| person.has_skill(s));
    composition_ok
        && pool_ok
        && rank_ok
        && skill_ok
        && engine
            .check(person, slot.target, slot.role, round.date)
            .is_allowed()
}
