//! Team staffing as one minimum-cost flow per city.

use std::collections::BTreeMap;

use crate::layout::Layout;
use std::fmt;

use xuncha_avoid::{Engine, Person, PersonId, Role, Roster, Skill, Target};
use xuncha_org::{Code, Level};

use crate::flow::{FlowNetwork, MinCostFlow, NetworkSimplex, NodeId, max_flow};
use crate::network::{
    Built, Context, GroupPlan, Inspectors, Offer, Shape, assemble, per_group, prepare,
};
use crate::{Composition, Error, Objective, Plan, Round, TeamSpec};

/// How to staff a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffOptions {
    /// The seed of the rotations.
    pub seed: u64,
    /// The objective's weights.
    pub objective: Objective,
    /// Worker threads: cities are solved independently.
    pub threads: usize,
    /// Alternates (候补) to name for every team: people who could step into
    /// one of its slots without breaking any rule and serve on no team. 0
    /// by default.
    pub alternates: u32,
    /// Limits on the input: a round with more than `limits.max_targets`
    /// targets is refused before any work ([`Error::Org`] with
    /// [`xuncha_org::Error::Limit`]).
    pub limits: xuncha_org::Limits,
}

impl Default for StaffOptions {
    fn default() -> Self {
        StaffOptions {
            seed: 0,
            objective: Objective::default(),
            threads: 2,
            alternates: 0,
            limits: xuncha_org::Limits::default(),
        }
    }
}

/// A kind of slot on a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotKind {
    /// 组长.
    Leader,
    /// 副组长.
    Deputy,
    /// 联络员.
    Liaison,
    /// A member who must have the skill of requirement `i` of the spec.
    Specialist(usize),
    /// A member counted for several requirements at once, who must have
    /// the skill of each: requirement `i` is bit `i` of the mask (two bits
    /// or more). One of the layouts the engine weighs when a person could
    /// meet several requirements of a team (see `docs/assignment.md`).
    Combined(u8),
    /// An ordinary member.
    Member,
}

impl SlotKind {
    /// The role a person in this slot serves in.
    pub fn role(self) -> Role {
        match self {
            SlotKind::Leader => Role::Leader,
            SlotKind::Deputy => Role::DeputyLeader,
            SlotKind::Liaison => Role::Liaison,
            SlotKind::Specialist(_) | SlotKind::Combined(_) | SlotKind::Member => Role::Member,
        }
    }
}

/// A target's place in the hierarchy, as staffing needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TargetPlace {
    /// A representative division (the target's, the unit's, the cluster's
    /// first).
    pub(crate) division: Code,
    /// The county it lies in, if it lies within one.
    pub(crate) county: Option<Code>,
}

pub(crate) fn target_place(target: &Target, engine: &Engine<'_>) -> Option<TargetPlace> {
    let division = *target.divisions(engine.units()).first()?;
    Some(TargetPlace {
        division,
        county: division.ancestor_at(Level::County),
    })
}

/// Whether a person of `origin` meets the composition rule for `slot` on a
/// team of `spec` for a target in `county`, sent by `inspector`.
pub(crate) fn origin_fits(
    spec: &TeamSpec,
    slot: SlotKind,
    origin: Code,
    county: Option<Code>,
    inspector: Option<Code>,
) -> bool {
    match spec.composition {
        Composition::WholeTeam => inspector == Some(origin),
        Composition::Mixed => county != Some(origin),
        Composition::Longyan => match slot {
            SlotKind::Deputy | SlotKind::Liaison => county == Some(origin),
            _ => county != Some(origin),
        },
    }
}

/// Whether a person meets the slot's own requirement (leader rank, skill).
pub(crate) fn person_fits(spec: &TeamSpec, slot: SlotKind, person: &Person) -> bool {
    match slot {
        SlotKind::Leader => spec.min_leader_rank.is_none_or(|min| person.rank >= min),
        SlotKind::Specialist(i) => spec
            .require
            .get(i)
            .is_some_and(|r| person.has_skill(r.skill)),
        SlotKind::Combined(mask) => mask != 0 && requirements_met(spec, person) & mask == mask,
        _ => true,
    }
}

/// The requirements of `spec` whose skill `person` has, as a mask
/// (requirement `i` is bit `i`).
pub(crate) fn requirements_met(spec: &TeamSpec, person: &Person) -> u8 {
    spec.require
        .iter()
        .take(8)
        .enumerate()
        .filter(|(_, r)| person.has_skill(r.skill))
        .fold(0u8, |mask, (i, _)| mask | (1 << i))
}

/// The specialist place counted for the requirements in `mask` (nonzero):
/// the requirement's own slot for one, a combined one for several.
pub(crate) fn specialist_for(mask: u8) -> SlotKind {
    if mask.is_power_of_two() {
        SlotKind::Specialist(mask.trailing_zeros() as usize)
    } else {
        SlotKind::Combined(mask)
    }
}

/// Whether requirement `i` is in `mask`.
pub(crate) fn in_mask(mask: u8, i: usize) -> bool {
    i < 8 && mask & (1 << i) != 0
}

/// The skills a specialist slot counts its holder for.
pub(crate) fn slot_skills(spec: &TeamSpec, slot: SlotKind) -> Vec<Skill> {
    match slot {
        SlotKind::Specialist(i) => spec.require.get(i).map(|r| r.skill).into_iter().collect(),
        SlotKind::Combined(mask) => spec
            .require
            .iter()
            .enumerate()
            .filter(|&(i, _)| in_mask(mask, i))
            .map(|(_, r)| r.skill)
            .collect(),
        _ => Vec::new(),
    }
}

/// The slots of a spec with their counts: a specialist slot per
/// requirement.
pub(crate) fn slots(spec: &TeamSpec) -> Vec<(SlotKind, u32)> {
    team_slots(spec, None)
}

/// The slots of a spec with their counts under a layout of its specialists
/// (`None`: a specialist slot per requirement).
pub(crate) fn team_slots(spec: &TeamSpec, layout: Option<&Layout>) -> Vec<(SlotKind, u32)> {
    let mut out = Vec::with_capacity(4 + spec.require.len());
    out.extend([(SlotKind::Leader, 1), (SlotKind::Deputy, 1)]);
    if spec.liaison {
        out.push((SlotKind::Liaison, 1));
    }
    let first = out.len();
    match layout {
        None => {
            for (i, r) in spec.require.iter().enumerate() {
                out.push((SlotKind::Specialist(i), r.count));
            }
        }
        Some(&Layout::Relaxed { on }) => {
            if let Some(r) = spec.require.get(on) {
                out.push((SlotKind::Specialist(on), r.count));
            }
        }
        Some(Layout::Fixed(places)) => out.extend(places.iter().copied()),
    }
    let specialists: u32 = out[first..].iter().map(|&(_, n)| n).sum();
    let ordinary = spec.members.saturating_sub(specialists);
    if ordinary > 0 {
        out.push((SlotKind::Member, ordinary));
    }
    out
}

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
        write!(
            f,
            "round {}: these {} slots ({}) can only be filled by {} people, who can fill {} of them",
            self.round,
            self.demand,
            slots.join(", "),
            self.candidates.len(),
            self.capacity
        )?;
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
/// optimal plan under [`Objective`], exactly, as one minimum-cost flow per
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
        let (flow, reach) = max_flow(net.node_count(), &arcs, source.0 as usize, sink.0 as usize);
        let blocked: Vec<&(usize, SlotKind, NodeId, u32)> = slot_nodes
            .iter()
            .filter(|(_, _, node, _)| !reach[node.0 as usize])
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
            let spec = round.spec(t);
            let place = self.places[t];
            let target = &round.targets[t].target;
            for &p in pool {
                let person = &self.roster.people()[p];
                if candidates.contains(&person.id) {
                    continue;
                }
                let reason = if !self.pools.admits(place.division, person.origin) {
                    "outside the round's pool".to_owned()
                } else if !origin_fits(
                    spec,
                    slot,
                    person.origin,
                    place.county,
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
                };
                *excluded.entry(reason).or_default() += 1;
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
}
