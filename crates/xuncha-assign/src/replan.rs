//! Replanning after a change: a person withdraws, a person is added or
//! comes back, a conflict is declared late. The new plan is the best one
//! under the objective plus a change cost on every assignment that was not
//! in the previous plan (`HotCRP`'s `review_adjust` gives existing assignments
//! such a bonus), so it moves as few people as the cost says, and it is
//! reached from the previous flow (a warm start) rather than solved anew.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use xuncha_avoid::{Engine, PersonId, Role, Roster, Skill, Target};
use xuncha_org::Code;

use crate::flow::{ArcId, MinCostFlow, NetworkSimplex, repair};
use crate::staffing::network::{
    Built, Context, Inspectors, OfferKey, Shape, assemble, per_group, prepare,
};
use crate::{Error, Plan, Round, StaffOptions, TeamPlan};

/// What changed since the plan was made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// People who can no longer serve (illness, a new post).
    #[serde(default)]
    pub withdrawn: Vec<PersonId>,
    /// People who may now serve: new in the roster, or back after a
    /// withdrawal.
    #[serde(default)]
    pub added: Vec<PersonId>,
    /// Conflicts declared late: the person may not serve on the target's
    /// team (nor be one of its alternates).
    #[serde(default)]
    pub conflicts: Vec<(PersonId, Target)>,
}

/// How to replan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplanOptions {
    /// The cost of every assignment (member or alternate, person, team and
    /// role) that the previous plan did not have. Above the largest saving
    /// any rearrangement could bring, the replan moves the fewest people
    /// possible and, among such plans, is the cheapest. 1,000 by default,
    /// ten times the cost of the dearest single member under the default
    /// weights.
    pub change_cost: i64,
    /// Start from the previous flow (the default); `false` solves the
    /// changed groups anew with the same costs, for comparison.
    pub warm: bool,
}

impl Default for ReplanOptions {
    fn default() -> Self {
        ReplanOptions {
            change_cost: 1_000,
            warm: true,
        }
    }
}

/// Where a person serves in a plan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Post {
    /// The team's id.
    pub team: String,
    /// The role (for an alternate, the role they would step into).
    pub role: Role,
    /// For a specialist, the skills they are counted for (see
    /// [`Assignment::specialist`](crate::Assignment::specialist)), written
    /// as there.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "xuncha_round::one_or_many"
    )]
    pub specialist: Vec<Skill>,
    /// Whether as an alternate (候补).
    #[serde(default)]
    pub alternate: bool,
}

/// One person whose post changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The person.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// Where they served before, if anywhere.
    pub from: Option<Post>,
    /// Where they serve now, if anywhere.
    pub to: Option<Post>,
}

/// Exactly what changed between two plans: every person whose post
/// differs, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDiff {
    /// The moves, by person id.
    pub moves: Vec<Move>,
}

impl PlanDiff {
    /// The people whose post differs between `old` and `new`.
    pub fn between(old: &Plan, new: &Plan) -> PlanDiff {
        let posts = |plan: &Plan| {
            let mut out = std::collections::BTreeMap::new();
            for team in &plan.teams {
                for (alternate, list) in [(false, &team.members), (true, &team.alternates)] {
                    for m in list {
                        out.insert(
                            m.person.clone(),
                            (
                                m.name.clone(),
                                Post {
                                    team: team.id.clone(),
                                    role: m.role,
                                    specialist: m.specialist.clone(),
                                    alternate,
                                },
                            ),
                        );
                    }
                }
            }
            out
        };
        let (before, after) = (posts(old), posts(new));
        let mut people: Vec<&PersonId> = before.keys().chain(after.keys()).collect();
        people.sort();
        people.dedup();
        let moves = people
            .into_iter()
            .filter_map(|id| {
                let (from, to) = (before.get(id), after.get(id));
                if from.map(|f| &f.1) == to.map(|t| &t.1) {
                    return None;
                }
                Some(Move {
                    person: id.clone(),
                    name: from.or(to).map(|x| x.0.clone()).unwrap_or_default(),
                    from: from.map(|f| f.1.clone()),
                    to: to.map(|t| t.1.clone()),
                })
            })
            .collect();
        PlanDiff { moves }
    }
}

/// A replanned round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replan {
    /// The new plan.
    pub plan: Plan,
    /// What changed.
    pub diff: PlanDiff,
    /// Assignments the previous plan did not have: what the change cost is
    /// paid on.
    pub changes: usize,
    /// People moved, not counting the withdrawn ones.
    pub moved: usize,
    /// The change cost used.
    pub change_cost: i64,
}

impl Replan {
    /// The objective the replan minimises: the plan's objective plus the
    /// change cost of every new assignment.
    pub fn penalized(&self) -> i64 {
        let changes = i64::try_from(self.changes).unwrap_or(i64::MAX / 4);
        self.plan
            .objective
            .saturating_add(self.change_cost.saturating_mul(changes))
    }
}

/// A round kept in memory for replanning: the networks of its groups with
/// their flows, so that each change is a warm repair.
pub struct Replanner<'a> {
    ctx: Context<'a>,
    groups: Vec<GroupState>,
    plan: Plan,
    options: ReplanOptions,
    withdrawn: HashSet<usize>,
    forbidden: HashSet<(usize, usize)>,
}

impl std::fmt::Debug for Replanner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replanner")
            .field("round", &self.ctx.round.id)
            .field("groups", &self.groups.len())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// One group's network, flow and kept assignments.
#[derive(Clone)]
struct GroupState {
    key: Option<Code>,
    teams: Vec<usize>,
    inspector: Inspectors,
    solved: Option<Solved>,
}

#[derive(Clone)]
struct Solved {
    built: Built,
    flow: Vec<i64>,
    kept: HashSet<OfferKey>,
}

impl Clone for Replanner<'_> {
    fn clone(&self) -> Self {
        Replanner {
            ctx: self.ctx.clone(),
            groups: self.groups.clone(),
            plan: self.plan.clone(),
            options: self.options,
            withdrawn: self.withdrawn.clone(),
            forbidden: self.forbidden.clone(),
        }
    }
}

impl<'a> Replanner<'a> {
    /// Staffs `round` optimally (as [`crate::staff`]) and keeps the solved
    /// networks for warm replanning.
    ///
    /// # Errors
    ///
    /// As [`crate::staff`].
    pub fn new(
        engine: &'a Engine<'a>,
        roster: &'a Roster,
        round: &'a Round,
        options: &StaffOptions,
        replan: ReplanOptions,
    ) -> Result<Replanner<'a>, Error> {
        crate::origin_cap::refuse_whole_team_caps(round, "replanning")?;
        let (ctx, groups) = prepare(engine, roster, round, options)?;
        let results = per_group(&groups, options.threads, |key, teams| {
            let (inspector, rotation) = ctx.rotation(key, teams)?;
            let pool = ctx.pool(key);
            let offers = ctx.offers(teams, &pool, &inspector);
            let mut built = ctx.network(teams, &offers, Shape::integral())?;
            let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
                return Err(ctx.infeasible(key, teams, &built, &pool, &inspector));
            };
            let flow: Vec<i64> = solution.flow.iter().map(|&f| i64::from(f)).collect();
            let chosen: Vec<_> = built.chosen(&flow, 1).collect();
            let kept: HashSet<OfferKey> = chosen
                .iter()
                .map(crate::staffing::network::Offer::key)
                .collect();
            bonus(&mut built, &kept, -replan.change_cost);
            let group = crate::staffing::network::GroupPlan {
                teams: ctx.read_teams(teams, chosen.into_iter(), &inspector),
                rotation,
                cost: solution.cost,
            };
            Ok((
                GroupState {
                    key,
                    teams: teams.to_vec(),
                    inspector,
                    solved: Some(Solved { built, flow, kept }),
                },
                group,
            ))
        });
        let mut states = Vec::with_capacity(results.len());
        let mut plans = Vec::with_capacity(results.len());
        for result in results {
            let (state, group) = result?;
            states.push(state);
            plans.push(Ok(group));
        }
        let plan = assemble(round, options.seed, NetworkSimplex::default().name(), plans)?;
        Ok(Replanner {
            ctx,
            groups: states,
            plan,
            options: replan,
            withdrawn: HashSet::new(),
            forbidden: HashSet::new(),
        })
    }

    /// Takes up a plan made earlier (by [`crate::staff`], a randomized draw
    /// or a replan) for `round`: the networks are built, lazily, for the
    /// groups a change touches, with the plan's assignments as their flow.
    /// The plan's seed, rotation and number of alternates are kept.
    ///
    /// # Errors
    ///
    /// [`Error::Plan`] if the plan is not for this round; as
    /// [`crate::staff`] otherwise.
    pub fn from_plan(
        engine: &'a Engine<'a>,
        roster: &'a Roster,
        round: &'a Round,
        plan: &Plan,
        options: &StaffOptions,
        replan: ReplanOptions,
    ) -> Result<Replanner<'a>, Error> {
        if plan.round != round.id
            || plan.teams.len() != round.targets.len()
            || plan
                .teams
                .iter()
                .zip(&round.targets)
                .any(|(team, target)| team.target != target.target)
        {
            return Err(Error::Plan {
                message: format!(
                    "the plan for round {:?} ({} teams) does not match round {:?} ({} targets, in order)",
                    plan.round,
                    plan.teams.len(),
                    round.id,
                    round.targets.len()
                ),
            });
        }
        let alternates = plan
            .teams
            .iter()
            .map(|t| u32::try_from(t.alternates.len()).unwrap_or(u32::MAX))
            .max()
            .unwrap_or(0);
        let options = StaffOptions {
            seed: plan.seed,
            alternates,
            ..*options
        };
        crate::origin_cap::refuse_whole_team_caps(round, "replanning")?;
        let (ctx, groups) = prepare(engine, roster, round, &options)?;
        let groups = groups
            .into_iter()
            .map(|(key, teams)| GroupState {
                key,
                inspector: teams
                    .iter()
                    .filter_map(|&t| plan.teams[t].inspector.map(|c| (t, c)))
                    .collect(),
                teams,
                solved: None,
            })
            .collect();
        Ok(Replanner {
            ctx,
            groups,
            plan: plan.clone(),
            options: replan,
            withdrawn: HashSet::new(),
            forbidden: HashSet::new(),
        })
    }

    /// The current plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Applies `change` and returns the best plan under the objective plus
    /// the change cost, which becomes the current plan.
    ///
    /// # Arguments
    ///
    /// * `change`: people withdrawn, added or back, conflicts declared.
    ///
    /// # Returns
    ///
    /// The [`Replan`]: the plan, the typed diff against the previous plan,
    /// the number of new assignments and of people moved.
    /// [`Error::Change`] for a person neither in the roster nor in the plan,
    /// or a conflict on a target the round does not have;
    /// [`Error::Infeasible`] if the changed groups can no longer be staffed.
    ///
    /// # Complexity
    ///
    /// Only the groups (cities) of the people named are touched. Warm: one
    /// Bellman–Ford check for negative cycles and one shortest path per
    /// unit of flow displaced, O(n · m) each at worst and a few passes over
    /// the arcs in practice. Cold: a network simplex per changed group.
    pub fn apply(&mut self, change: &Change) -> Result<Replan, Error> {
        let round = self.ctx.round;
        let mut dirty: HashSet<Option<Code>> = HashSet::new();
        let mut touch = |this: &Self, id: &PersonId| -> Result<Option<usize>, Error> {
            let p = this.ctx.roster.index_of(id);
            let origin = p
                .map(|p| this.ctx.roster.people()[p].origin)
                .or_else(|| {
                    this.plan
                        .assignments()
                        .chain(
                            this.plan
                                .teams
                                .iter()
                                .flat_map(|t| t.alternates.iter().map(move |a| (t, a))),
                        )
                        .find(|(_, a)| &a.person == id)
                        .map(|(_, a)| a.origin)
                })
                .ok_or_else(|| Error::Change {
                    person: id.clone(),
                    message: "not in the roster nor in the plan".into(),
                })?;
            dirty.insert(self.ctx.pools.group(origin));
            Ok(p)
        };
        for id in &change.withdrawn {
            if let Some(p) = touch(self, id)? {
                self.withdrawn.insert(p);
            }
        }
        for id in &change.added {
            match touch(self, id)? {
                Some(p) => {
                    self.withdrawn.remove(&p);
                }
                None => {
                    return Err(Error::Change {
                        person: id.clone(),
                        message: "added, but not in the roster".into(),
                    });
                }
            }
        }
        for (id, target) in &change.conflicts {
            let Some(t) = round.targets.iter().position(|x| &x.target == target) else {
                return Err(Error::Change {
                    person: id.clone(),
                    message: format!("a conflict with {target}, which the round does not inspect"),
                });
            };
            if let Some(p) = touch(self, id)? {
                self.forbidden.insert((p, t));
            }
        }
        let previous = self.plan.clone();
        let mut plan = previous.clone();
        let mut changes = 0usize;
        for g in 0..self.groups.len() {
            if dirty.contains(&self.groups[g].key) {
                changes += self.replan_group(g, &mut plan.teams)?;
            }
        }
        let (objective, members) = self.objective(&plan.teams);
        plan.objective = objective;
        plan.balance = objective - members;
        plan.randomized = None;
        plan.solver = format!("{}+replan", previous.solver.trim_end_matches("+replan"));
        let diff = PlanDiff::between(&previous, &plan);
        let withdrawn: HashSet<&PersonId> = change.withdrawn.iter().collect();
        let moved = diff
            .moves
            .iter()
            .filter(|m| !withdrawn.contains(&m.person))
            .count();
        self.plan = plan.clone();
        Ok(Replan {
            plan,
            diff,
            changes,
            moved,
            change_cost: self.options.change_cost,
        })
    }

    /// Replans group `g` into `teams`; returns its new assignments.
    fn replan_group(&mut self, g: usize, teams: &mut [TeamPlan]) -> Result<usize, Error> {
        let ctx = &self.ctx;
        let state = &mut self.groups[g];
        if state.solved.is_none() {
            let pool = ctx.pool(state.key);
            let offers = ctx.offers(&state.teams, &pool, &state.inspector);
            let kept = ctx.keys_of(&self.plan, &state.teams);
            let built = ctx.network(
                &state.teams,
                &offers,
                Shape {
                    layouts: None,
                    scale: 1,
                    pair_cap: None,
                    kept: Some((&kept, self.options.change_cost)),
                    bounds: None,
                },
            )?;
            let chosen: Vec<usize> = kept
                .iter()
                .filter_map(|key| built.offer_at().get(key).copied())
                .collect();
            let flow = built.flow_of(&chosen, 1);
            state.solved = Some(Solved { built, flow, kept });
        }
        let Some(solved) = state.solved.as_mut() else {
            return Ok(0);
        };
        // Open or close every offer arc as the change says.
        let people = &self.withdrawn;
        for &(arc, offer) in &solved.built.offer_arcs {
            let closed = people.contains(&offer.person)
                || self.forbidden.contains(&(offer.person, offer.team));
            let a = arc as usize;
            solved.built.net.set_upper(ArcId(arc), i32::from(!closed))?;
            if closed && solved.flow[a] > 0 {
                solved.flow[a] = 0;
            }
        }
        for (&p, &arc) in &solved.built.person_arc {
            let a = arc as usize;
            let closed = people.contains(&p);
            solved.built.net.set_upper(ArcId(arc), i32::from(!closed))?;
            if closed && solved.flow[a] > 0 {
                solved.flow[a] = 0;
            }
        }
        let feasible = if self.options.warm {
            repair(&solved.built.net, &mut solved.flow)?
        } else {
            match NetworkSimplex::default().solve(&solved.built.net)? {
                Some(solution) => {
                    solved.flow = solution.flow.iter().map(|&f| i64::from(f)).collect();
                    true
                }
                None => false,
            }
        };
        if !feasible {
            let pool = ctx.pool(state.key);
            return Err(ctx.infeasible(
                state.key,
                &state.teams,
                &solved.built,
                &pool,
                &state.inspector,
            ));
        }
        let chosen: Vec<_> = solved.built.chosen(&solved.flow, 1).collect();
        let now: HashSet<OfferKey> = chosen
            .iter()
            .map(crate::staffing::network::Offer::key)
            .collect();
        let changes = now.difference(&solved.kept).count();
        // The bonus moves to the new assignments: the flow stays optimal.
        bonus(&mut solved.built, &solved.kept, self.options.change_cost);
        bonus(&mut solved.built, &now, -self.options.change_cost);
        solved.kept = now;
        for (t, team) in ctx.read_teams(&state.teams, chosen.into_iter(), &state.inspector) {
            teams[t] = team;
        }
        Ok(changes)
    }

    /// The objective of teams and its members' (and alternates') part.
    fn objective(&self, teams: &[TeamPlan]) -> (i64, i64) {
        let mut per_origin: std::collections::BTreeMap<Code, i64> =
            std::collections::BTreeMap::new();
        let mut members = 0i64;
        for team in teams {
            for m in team.members.iter().chain(&team.alternates) {
                members += m.cost.total();
                *per_origin.entry(m.origin).or_default() += 1;
            }
        }
        let balance: i64 = per_origin
            .values()
            .map(|&k| self.ctx.options.objective.balance * k * (k - 1) / 2)
            .sum();
        (members + balance, members)
    }
}

/// Adds `delta` to the cost of the offer arcs of `keys`.
fn bonus(built: &mut Built, keys: &HashSet<OfferKey>, delta: i64) {
    for key in keys {
        if let Some(&i) = built.offer_at().get(key) {
            let arc = ArcId(built.offer_arcs[i].0);
            let cost = built.net.costs()[arc.0 as usize];
            built.net.set_cost(arc, cost + delta);
        }
    }
}

/// Replans `previous` after `change`: the best plan under the objective
/// plus `replan.change_cost` per new assignment, warm-started from the
/// previous plan (see [`Replanner`]).
///
/// # Errors
///
/// As [`Replanner::from_plan`] and [`Replanner::apply`].
///
/// # Examples
///
/// ```no_run
/// # use xuncha_assign::{Change, Plan, ReplanOptions, Round, StaffOptions, replan};
/// # fn demo(engine: &xuncha_avoid::Engine<'_>, roster: &xuncha_avoid::Roster, round: &Round,
/// #         plan: &Plan) -> Result<(), xuncha_assign::Error> {
/// let change = Change {
///     withdrawn: vec![plan.teams[0].members[3].person.clone()],
///     ..Change::default()
/// };
/// let new = replan(engine, roster, round, plan, &change, &StaffOptions::default(),
///                  ReplanOptions::default())?;
/// for m in &new.diff.moves {
///     println!("{}: {:?} -> {:?}", m.person, m.from, m.to);
/// }
/// # Ok(()) }
/// ```
pub fn replan(
    engine: &Engine<'_>,
    roster: &Roster,
    round: &Round,
    previous: &Plan,
    change: &Change,
    options: &StaffOptions,
    replan: ReplanOptions,
) -> Result<Replan, Error> {
    Replanner::from_plan(engine, roster, round, previous, options, replan)?.apply(change)
}
