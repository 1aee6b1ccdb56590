//! Team staffing as one minimum-cost flow per city.
//!
//! The files read from the bottom up: [`slots`] (the options, the kinds of
//! slot, who fits which) and [`layouts`] (how specialists may count for
//! several requirements) know nothing of networks; [`network`] builds the
//! staffing network of a group of teams from them; [`alternates`] and
//! [`layout_search`] extend the builder, [`read_back`] reads plans in its
//! terms; this file staffs a round with it
//! and explains a round that cannot be staffed.

pub(crate) mod alternates;
pub(crate) mod layout_search;
pub(crate) mod layouts;
pub(crate) mod network;
pub(crate) mod read_back;
pub(crate) mod slots;

pub use slots::{SlotKind, StaffOptions};

use slots::{origin_fits, person_fits, slot_skills};

use std::collections::BTreeMap;

use std::fmt;

use xuncha_avoid::{Engine, PersonId, Role, Roster, Skill};
use xuncha_org::Code;

use crate::flow::{FlowNetwork, MinCostFlow, NetworkSimplex, NodeId, max_flow, reaching_sink};
use crate::staffing::network::{
    Built, Context, GroupPlan, Inspectors, Offer, Shape, assemble, per_group, prepare,
};
use crate::{Error, Plan, Round};

/// Slots of one kind on one team, in an [`Infeasibility`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlockedSlots {
    /// The team's id.
    pub team: String,
    /// The team's position in the round.
    pub target: usize,
    /// The role.
    pub role: Role,
    /// For specialist member slots, the skill.
    pub skill: Option<Skill>,
    /// Whether these are ordinary member slots (subject to the per-origin
    /// cap).
    pub ordinary: bool,
    /// For a whole-team crossing, the county the rotation sent.
    pub inspector: Option<Code>,
    /// How many.
    pub count: u32,
}

/// Slots of a round that cannot all be filled, and why: the smallest
/// blocking set a minimum cut finds (a violator of Hall's condition).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Infeasibility {
    /// The round.
    pub round: String,
    /// The group (city) whose teams are blocked, if grouped.
    pub group: Option<Code>,
    /// The blocked slots.
    pub slots: Vec<BlockedSlots>,
    /// How many people the blocked slots need.
    pub demand: u32,
    /// The people who could fill any of them.
    pub candidates: Vec<PersonId>,
    /// How many of the blocked slots those people can fill at once.
    pub capacity: u32,
    /// Why the rest of the pool was kept off: (reason, how many people).
    pub excluded: Vec<(String, usize)>,
}

/// Up to how many candidates an [`Infeasibility`] names in its message.
pub const NAMED_CANDIDATES: usize = 20;

impl fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots: Vec<String> = self
            .slots
            .iter()
            .map(|b| {
                let what = match b.skill {
                    Some(skill) => format!("{skill} member"),
                    None => b.role.to_string(),
                };
                format!("{} × {what} of {}", b.count, b.team)
            })
            .collect();
        // A few people are named: a clerk can go and ask them.
        let named = if self.candidates.is_empty() {
            String::new()
        } else if self.candidates.len() <= NAMED_CANDIDATES {
            let ids: Vec<&str> = self.candidates.iter().map(|p| p.0.as_str()).collect();
            format!(" ({})", ids.join(", "))
        } else {
            String::new()
        };
        write!(
            f,
            "round {}: these {} slots ({}) can only be filled by {} people{named}, who can fill {} of them",
            self.round,
            self.demand,
            slots.join(", "),
            self.candidates.len(),
            self.capacity
        )?;
        // More people than places filled: what holds them back is where
        // each may go, not their number; say which limits those are.
        if usize::try_from(self.capacity).unwrap_or(usize::MAX)
            < self
                .candidates
                .len()
                .min(usize::try_from(self.demand).unwrap_or(usize::MAX))
        {
            write!(
                f,
                " (at once: each person fills one slot, only on the teams the rules let them join, and no team takes more people of one origin county than its max_per_origin)"
            )?;
        }
        if !self.excluded.is_empty() {
            let reasons: Vec<String> = self
                .excluded
                .iter()
                .map(|(r, n)| format!("{r} ({n})"))
                .collect();
            write!(f, "; the others were kept off by: {}", reasons.join(", "))?;
        }
        Ok(())
    }
}

/// Staffs every team of `round` from `roster` under `engine`'s rules: the
/// optimal plan under [`Objective`](crate::Objective), exactly, as one minimum-cost flow per
/// city solved by the network simplex.
///
/// # Arguments
///
/// * `engine`: the hierarchy, units and avoidance rules.
/// * `roster`: the people.
/// * `round`: the targets and team specs.
/// * `options`: seed, objective weights and threads.
///
/// # Returns
///
/// The [`Plan`], or [`Error::Infeasible`] with an [`Infeasibility`] that
/// names the blocked slots and the few people who could fill them, and why
/// the rest were kept off.
///
/// # Complexity
///
/// One conflict index over the roster and targets, then per group of P
/// people and T teams a network of O(P · T) arcs, solved by the network
/// simplex (see `docs/assignment.md`).
pub fn staff(
    engine: &Engine<'_>,
    roster: &Roster,
    round: &Round,
    options: &StaffOptions,
) -> Result<Plan, Error> {
    let (ctx, groups) = prepare(engine, roster, round, options)?;
    let results = per_group(&groups, options.threads, |key, members| {
        ctx.group(key, members)
    });
    assemble(
        round,
        options.seed,
        NetworkSimplex::default().name(),
        results,
    )
}

/// The staffing network of one group (a city, under the default pool), for
/// export to other solvers.
#[derive(Clone, Debug)]
pub struct GroupNetwork {
    /// The group: the city (or province) code, `None` for a single group.
    pub group: Option<Code>,
    /// The network, with the source's supply and the sink's demand set.
    pub network: FlowNetwork,
}

/// The staffing networks [`staff`] would solve, one per group, without
/// solving them: for `FlowNetwork::to_dimacs` and comparisons with other
/// solvers.
///
/// # Errors
///
/// As [`staff`], except that nothing is solved, so no
/// [`Error::Infeasible`].
pub fn staffing_networks(
    engine: &Engine<'_>,
    roster: &Roster,
    round: &Round,
    options: &StaffOptions,
) -> Result<Vec<GroupNetwork>, Error> {
    let (ctx, groups) = prepare(engine, roster, round, options)?;
    groups
        .iter()
        .map(|(key, teams)| {
            let (inspector, _) = ctx.rotation(*key, teams)?;
            let pool = ctx.pool(*key);
            let offers = ctx.offers(teams, &pool, &inspector);
            Ok(GroupNetwork {
                group: *key,
                network: ctx.network(teams, &offers, Shape::integral())?.net,
            })
        })
        .collect()
}

impl Context<'_> {
    fn group(&self, key: Option<Code>, teams: &[usize]) -> Result<GroupPlan, Error> {
        let (inspector, rotation) = self.rotation(key, teams)?;
        let pool = self.pool(key);
        let mut offers = self.offers(teams, &pool, &inspector);
        let origin_cap = || Error::OriginCap {
            group: key.map_or_else(|| "the round".to_owned(), |c| c.to_string()),
        };
        let candidates = self.candidates(teams, &offers);
        let searched = self.layout_teams(teams, &candidates);
        let (cost, chosen) = if searched.is_empty() {
            let built = self.network(teams, &offers, Shape::integral())?;
            let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
                return Err(self.infeasible(key, teams, &built, &pool, &inspector));
            };
            let chosen: Vec<Offer> = built.taken(&solution.flow);
            if self.caps_whole_teams(teams) {
                self.keep_origin_caps(teams, &offers, solution.cost, chosen, None)?
                    .ok_or_else(origin_cap)?
            } else {
                (solution.cost, chosen)
            }
        } else {
            // Someone could meet two requirements of a team at once: weigh
            // the layouts of its specialists (`layout.rs`).
            let extra = self.layout_offers(&searched, &candidates);
            offers.extend(extra);
            if let Some(found) = self.staff_with_layouts(teams, &offers, &searched, &candidates)? {
                found
            } else {
                // No layout has a plan. The plain layout's network then has
                // no flow either, unless whole-team caps are what no plan
                // keeps; its cut names the blocked slots.
                let built = self.network(teams, &offers, Shape::integral())?;
                if NetworkSimplex::default().solve(&built.net)?.is_none() {
                    return Err(self.infeasible(key, teams, &built, &pool, &inspector));
                }
                return Err(origin_cap());
            }
        };
        Ok(GroupPlan {
            teams: self.read_teams(teams, chosen.into_iter(), &inspector),
            rotation,
            cost,
        })
    }

    /// The error of a group that cannot be staffed: the blocking set when
    /// the slots themselves cannot be filled, or, when only the alternates
    /// are too many, [`Error::Alternates`].
    pub(crate) fn infeasible(
        &self,
        key: Option<Code>,
        teams: &[usize],
        built: &Built,
        pool: &[usize],
        inspector: &Inspectors,
    ) -> Error {
        if self.options.alternates > 0 {
            let bare = Context {
                engine: self.engine,
                roster: self.roster,
                round: self.round,
                index: self.index.clone(),
                places: self.places.clone(),
                options: StaffOptions {
                    alternates: 0,
                    ..self.options
                },
                pools: self.pools.clone(),
                members: self.members.clone(),
            };
            let offers = bare.offers(teams, pool, inspector);
            if let Ok(plain) = bare.network(teams, &offers, Shape::integral()) {
                if matches!(NetworkSimplex::default().solve(&plain.net), Ok(Some(_))) {
                    return Error::Alternates {
                        round: self.round.id.clone(),
                        group: key,
                        alternates: self.options.alternates,
                    };
                }
                return Error::Infeasible(Box::new(bare.certificate(key, &plain, pool, inspector)));
            }
        }
        Error::Infeasible(Box::new(self.certificate(key, built, pool, inspector)))
    }

    /// The blocking set of an infeasible group, from a minimum cut.
    fn certificate(
        &self,
        key: Option<Code>,
        built: &Built,
        pool: &[usize],
        inspector: &Inspectors,
    ) -> Infeasibility {
        let Built {
            net,
            source,
            sink,
            slot_nodes,
            offer_arcs,
            ..
        } = built;
        let arcs: Vec<(usize, usize, i64)> = (0..net.arc_count())
            .filter_map(|a| {
                let (s, t, _, upper, _) = net.arc(crate::flow::ArcId(u32::try_from(a).ok()?))?;
                Some((s.0 as usize, t.0 as usize, i64::from(upper)))
            })
            .collect();
        let (flow, _) = max_flow(net.node_count(), &arcs, source.0 as usize, sink.0 as usize);
        // The smallest blocking set: the slots on the smallest sink side of
        // a minimum cut (those still short, and what competes for their
        // candidates), not every slot the source cannot reach.
        let short = reaching_sink(net.node_count(), &arcs, &flow, sink.0 as usize);
        let blocked: Vec<&(usize, SlotKind, NodeId, u32)> = slot_nodes
            .iter()
            .filter(|(_, _, node, _)| short[node.0 as usize])
            .collect();
        let round = self.round;
        let mut slots_out = Vec::new();
        let mut demand = 0u32;
        let mut capacity = 0i64;
        for &&(t, slot, node, count) in &blocked {
            slots_out.push(BlockedSlots {
                team: format!("{}/{}", round.id, round.targets[t].target),
                target: t,
                role: slot.role(),
                skill: slot_skills(round.spec(t), slot).first().copied(),
                ordinary: slot == SlotKind::Member,
                inspector: inspector.get(&t).copied(),
                count,
            });
            demand += count;
            capacity += arcs
                .iter()
                .zip(&flow)
                .filter(|((s, _, _), _)| *s == node.0 as usize)
                .map(|(_, f)| *f)
                .sum::<i64>();
        }
        let mut candidates: Vec<PersonId> = Vec::new();
        for &(_, offer) in offer_arcs {
            if blocked
                .iter()
                .any(|&&(t, slot, _, _)| t == offer.team && slot == offer.slot)
            {
                let id = &self.roster.people()[offer.person].id;
                if !candidates.contains(id) {
                    candidates.push(id.clone());
                }
            }
        }
        candidates.sort();
        // Why everyone else in the pool was kept off the first blocked slot.
        let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
        if let Some(&&(t, slot, _, _)) = blocked.first() {
            for &p in pool {
                let person = &self.roster.people()[p];
                if !candidates.contains(&person.id) {
                    let reason = self.kept_off(t, slot, person, inspector);
                    *excluded.entry(reason).or_default() += 1;
                }
            }
        }
        let mut excluded: Vec<(String, usize)> = excluded.into_iter().collect();
        excluded.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Infeasibility {
            round: round.id.clone(),
            group: key,
            slots: slots_out,
            demand,
            candidates,
            capacity: u32::try_from(capacity).unwrap_or(u32::MAX),
            excluded,
        }
    }

    /// Why `person` was kept off `slot` of team `t`: the first condition
    /// they fail, in the order the network applies them.
    fn kept_off(
        &self,
        t: usize,
        slot: SlotKind,
        person: &xuncha_avoid::Person,
        inspector: &Inspectors,
    ) -> String {
        let round = self.round;
        let spec = round.spec(t);
        let place = &self.places[t];
        let entry = &round.targets[t];
        let target = &entry.target;
        if !self.pools.admits(place.division, person.origin) {
            "outside the round's pool".to_owned()
        } else if !round
            .drawing_for(entry, self.engine.units())
            .admits(person, self.engine.units())
        {
            "not where the round draws from (drawn_from)".to_owned()
        } else if !origin_fits(
            spec,
            slot,
            person.origin,
            &place.counties,
            inspector.get(&t).copied(),
        ) {
            "origin (composition)".to_owned()
        } else if !person_fits(spec, slot, person) {
            match slot {
                SlotKind::Leader => "leader rank".to_owned(),
                _ => "missing skill".to_owned(),
            }
        } else {
            let verdict = self.engine.check(person, target, slot.role(), round.date);
            verdict.hard().next().map_or_else(
                || "used on another slot".to_owned(),
                |c| format!("rule {}", c.rule),
            )
        }
    }
}
