//! Team staffing as one minimum-cost flow per city.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use xuncha_avoid::{ConflictIndex, Engine, Person, PersonId, Role, Roster, Skill, Target};
use xuncha_org::{Code, Level};

use crate::flow::{FlowNetwork, MinCostFlow, NetworkSimplex, NodeId, max_flow};
use crate::{
    Assignment, Composition, Error, Objective, PLAN_VERSION, Plan, Pool, Round, TeamPlan, TeamSpec,
    plan_rotation,
};

/// How to staff a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffOptions {
    /// The seed of the rotations.
    pub seed: u64,
    /// The objective's weights.
    pub objective: Objective,
    /// Worker threads: cities are solved independently.
    pub threads: usize,
}

impl Default for StaffOptions {
    fn default() -> Self {
        StaffOptions {
            seed: 0,
            objective: Objective::default(),
            threads: 2,
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
            SlotKind::Specialist(_) | SlotKind::Member => Role::Member,
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

/// The group (city, province or everything) a code falls in under `pool`.
pub(crate) fn pool_key(pool: Pool, code: Code) -> Option<Code> {
    pool.level().and_then(|level| code.ancestor_at(level))
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
        _ => true,
    }
}

/// The slots of a spec with their counts.
pub(crate) fn slots(spec: &TeamSpec) -> Vec<(SlotKind, u32)> {
    let mut out = vec![(SlotKind::Leader, 1), (SlotKind::Deputy, 1)];
    if spec.liaison {
        out.push((SlotKind::Liaison, 1));
    }
    for (i, r) in spec.require.iter().enumerate() {
        out.push((SlotKind::Specialist(i), r.count));
    }
    let ordinary = spec.members.saturating_sub(spec.specialists());
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

/// Everything staffing knows about one round.
struct Context<'a> {
    engine: &'a Engine<'a>,
    roster: &'a Roster,
    round: &'a Round,
    index: ConflictIndex,
    places: Vec<TargetPlace>,
    options: StaffOptions,
}

/// One group's result.
struct GroupPlan {
    teams: Vec<(usize, TeamPlan)>,
    rotation: Vec<(Code, Code)>,
    cost: i64,
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
    let threads = options.threads.clamp(1, 64).min(groups.len().max(1));
    let results: Vec<Result<GroupPlan, Error>> = if threads <= 1 {
        groups
            .iter()
            .map(|(key, members)| ctx.group(*key, members))
            .collect()
    } else {
        let mut slots: Vec<Option<Result<GroupPlan, Error>>> =
            (0..groups.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let chunks: Vec<_> = slots
                .chunks_mut(groups.len().div_ceil(threads))
                .enumerate()
                .collect();
            let size = groups.len().div_ceil(threads);
            for (c, chunk) in chunks {
                let ctx = &ctx;
                let groups = &groups;
                scope.spawn(move || {
                    for (k, slot) in chunk.iter_mut().enumerate() {
                        let (key, members) = &groups[c * size + k];
                        *slot = Some(ctx.group(*key, members));
                    }
                });
            }
        });
        slots
            .into_iter()
            .map(|s| {
                s.unwrap_or(Err(Error::Plan {
                    message: "a worker stopped".into(),
                }))
            })
            .collect()
    };
    let mut teams: Vec<Option<TeamPlan>> = vec![None; round.targets.len()];
    let mut rotation = Vec::new();
    let mut objective = 0i64;
    for result in results {
        let group = result?;
        objective = objective
            .checked_add(group.cost)
            .ok_or(crate::FlowError::Overflow)?;
        rotation.extend(group.rotation);
        for (i, team) in group.teams {
            teams[i] = Some(team);
        }
    }
    let teams: Vec<TeamPlan> = teams.into_iter().flatten().collect();
    let members: i64 = teams
        .iter()
        .flat_map(|t| &t.members)
        .map(|m| m.cost.total())
        .sum();
    Ok(Plan {
        version: PLAN_VERSION,
        round: round.id.clone(),
        date: round.date,
        seed: options.seed,
        solver: NetworkSimplex::default().name().to_owned(),
        objective,
        balance: objective - members,
        rotation,
        teams,
    })
}

/// Groups of targets: (city or province, target positions).
type Groups = Vec<(Option<Code>, Vec<usize>)>;

/// For whole-team crossings: target position → the county the rotation
/// sends.
type Inspectors = HashMap<usize, Code>;

/// A group's network with what is needed to read its flow back.
struct Built {
    net: FlowNetwork,
    source: NodeId,
    sink: NodeId,
    slot_nodes: Vec<(usize, SlotKind, NodeId, u32)>,
    offer_arcs: Vec<(u32, Offer)>,
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
                network: ctx.network(teams, &offers)?.net,
            })
        })
        .collect()
}

/// The context of a round and its groups of targets.
fn prepare<'a>(
    engine: &'a Engine<'a>,
    roster: &'a Roster,
    round: &'a Round,
    options: &StaffOptions,
) -> Result<(Context<'a>, Groups), Error> {
    let targets: Vec<Target> = round.targets.iter().map(|t| t.target.clone()).collect();
    let places = targets
        .iter()
        .map(|t| {
            target_place(t, engine).ok_or_else(|| Error::Round {
                file: "<round>".into(),
                message: format!("target {t} is a unit the units do not have"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let index = engine.index(roster, &targets, round.date);
    let ctx = Context {
        engine,
        roster,
        round,
        index,
        places,
        options: *options,
    };
    let mut groups: BTreeMap<Option<Code>, Vec<usize>> = BTreeMap::new();
    for (i, place) in ctx.places.iter().enumerate() {
        groups
            .entry(pool_key(round.pool, place.division))
            .or_default()
            .push(i);
    }
    Ok((ctx, groups.into_iter().collect()))
}

/// An arc from a person towards a slot, for reading the flow back.
#[derive(Clone, Copy, Debug)]
struct Offer {
    person: usize,
    team: usize,
    slot: SlotKind,
    /// The cost terms, computed once for the arc and kept for the plan.
    cost: crate::CostTerms,
}

impl Context<'_> {
    fn seed_for(&self, key: Option<Code>) -> u64 {
        let k = key.map_or(0, Code::packed);
        self.options.seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn group(&self, key: Option<Code>, teams: &[usize]) -> Result<GroupPlan, Error> {
        let (inspector, rotation) = self.rotation(key, teams)?;
        let pool = self.pool(key);
        let offers = self.offers(teams, &pool, &inspector);
        let built = self.network(teams, &offers)?;
        let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
            return Err(Error::Infeasible(Box::new(
                self.certificate(key, &built, &pool, &inspector),
            )));
        };
        let chosen = built
            .offer_arcs
            .iter()
            .filter(|(arc, _)| solution.flow[*arc as usize] > 0)
            .map(|&(_, offer)| offer);
        Ok(GroupPlan {
            teams: self.read_teams(teams, chosen, &inspector),
            rotation,
            cost: solution.cost,
        })
    }

    /// The people whose origin lies in the group.
    fn pool(&self, key: Option<Code>) -> Vec<usize> {
        let people = self.roster.people();
        (0..people.len())
            .filter(|&p| key.is_none() || pool_key(self.round.pool, people[p].origin) == key)
            .collect()
    }

    /// The rotation for the group's whole-team crossings: which county
    /// inspects each such target.
    fn rotation(
        &self,
        key: Option<Code>,
        teams: &[usize],
    ) -> Result<(Inspectors, Vec<(Code, Code)>), Error> {
        let whole: Vec<usize> = teams
            .iter()
            .copied()
            .filter(|&i| self.round.spec(i).composition == Composition::WholeTeam)
            .collect();
        let mut inspector = HashMap::new();
        if whole.is_empty() {
            return Ok((inspector, Vec::new()));
        }
        let mut counties: Vec<Code> = Vec::new();
        for &i in &whole {
            if let Some(c) = self.places[i].county
                && !counties.contains(&c)
            {
                counties.push(c);
            }
        }
        let rotation = plan_rotation(&counties, &self.round.recent_pairings, self.seed_for(key))?;
        for &i in &whole {
            if let Some(by) = self.places[i].county.and_then(|c| rotation.inspector_of(c)) {
                inspector.insert(i, by);
            }
        }
        Ok((inspector, rotation.pairs().to_vec()))
    }

    /// Every (person, team, slot) the rules and the composition allow, with
    /// its cost.
    fn offers(
        &self,
        teams: &[usize],
        pool: &[usize],
        inspector: &HashMap<usize, Code>,
    ) -> Vec<Offer> {
        let people = self.roster.people();
        let mut offers = Vec::new();
        for &p in pool {
            let person = &people[p];
            for &t in teams {
                let spec = self.round.spec(t);
                let place = self.places[t];
                for (slot, _) in slots(spec) {
                    let role = slot.role();
                    if !origin_fits(
                        spec,
                        slot,
                        person.origin,
                        place.county,
                        inspector.get(&t).copied(),
                    ) || !person_fits(spec, slot, person)
                        || !self.index.allowed(p, t, role)
                    {
                        continue;
                    }
                    let soft = self.index.soft_cost(p, t, role);
                    let cost = self.options.objective.terms(
                        person,
                        role,
                        slot == SlotKind::Member,
                        spec,
                        place.division,
                        soft,
                    );
                    offers.push(Offer {
                        person: p,
                        team: t,
                        slot,
                        cost,
                    });
                }
            }
        }
        offers
    }

    /// The staffing network of a group: source → origin (convex balance
    /// arcs) → person → slot, or → gate (per-origin cap) → ordinary
    /// members, → sink with every slot's count as both bounds.
    fn network(&self, teams: &[usize], offers: &[Offer]) -> Result<Built, Error> {
        let round = self.round;
        let people = self.roster.people();
        let mut net = FlowNetwork::new();
        let source = net.add_node(0);
        let sink = net.add_node(0);
        let mut total: i64 = 0;
        let mut slot_nodes = Vec::new();
        let mut node_of: HashMap<(usize, SlotKind), NodeId> = HashMap::new();
        for &t in teams {
            for (slot, count) in slots(round.spec(t)) {
                let node = net.add_node(0);
                let n = i32::try_from(count).unwrap_or(i32::MAX);
                net.add_arc(node, sink, n, n, 0)?;
                total += i64::from(count);
                slot_nodes.push((t, slot, node, count));
                node_of.insert((t, slot), node);
            }
        }
        let mut by_origin: BTreeMap<Code, Vec<usize>> = BTreeMap::new();
        for &Offer { person: p, .. } in offers {
            let list = by_origin.entry(people[p].origin).or_default();
            if list.last() != Some(&p) {
                list.push(p);
            }
        }
        let mut person_node: HashMap<usize, NodeId> = HashMap::new();
        for members in by_origin.values() {
            let origin = net.add_node(0);
            let arcs = members.len().min(usize::try_from(total).unwrap_or(0));
            for k in 0..arcs {
                let cost =
                    self.options.objective.balance * i64::try_from(k).unwrap_or(i64::MAX / 4);
                net.add_arc(source, origin, 0, 1, cost)?;
            }
            for &p in members {
                let node = net.add_node(0);
                net.add_arc(origin, node, 0, 1, 0)?;
                person_node.insert(p, node);
            }
        }
        let mut gates: HashMap<(usize, Code), NodeId> = HashMap::new();
        let mut offer_arcs = Vec::with_capacity(offers.len());
        for &offer in offers {
            let Offer {
                person: p,
                team: t,
                slot,
                cost,
            } = offer;
            let to = if slot == SlotKind::Member
                && round.spec(t).composition != Composition::WholeTeam
            {
                let origin = people[p].origin;
                if let Some(&gate) = gates.get(&(t, origin)) {
                    gate
                } else {
                    let gate = net.add_node(0);
                    let cap = i32::try_from(round.spec(t).max_per_origin).unwrap_or(i32::MAX);
                    net.add_arc(gate, node_of[&(t, slot)], 0, cap, 0)?;
                    gates.insert((t, origin), gate);
                    gate
                }
            } else {
                node_of[&(t, slot)]
            };
            let arc = net.add_arc(person_node[&p], to, 0, 1, cost.total())?;
            offer_arcs.push((arc.0, offer));
        }
        net.set_supply(source, total)?;
        net.set_supply(sink, -total)?;
        Ok(Built {
            net,
            source,
            sink,
            slot_nodes,
            offer_arcs,
        })
    }

    /// The teams of a group from the chosen offers.
    fn read_teams(
        &self,
        teams: &[usize],
        chosen: impl Iterator<Item = Offer>,
        inspector: &HashMap<usize, Code>,
    ) -> Vec<(usize, TeamPlan)> {
        let round = self.round;
        let people = self.roster.people();
        let mut members: BTreeMap<usize, Vec<Assignment>> =
            teams.iter().map(|&t| (t, Vec::new())).collect();
        for offer in chosen {
            let person = &people[offer.person];
            let spec = round.spec(offer.team);
            let role = offer.slot.role();
            members.entry(offer.team).or_default().push(Assignment {
                person: person.id.clone(),
                name: person.name.clone(),
                role,
                specialist: match offer.slot {
                    SlotKind::Specialist(i) => spec.require.get(i).map(|r| r.skill),
                    _ => None,
                },
                origin: person.origin,
                cost: offer.cost,
            });
        }
        members
            .into_iter()
            .map(|(t, mut list)| {
                list.sort_by(|a, b| {
                    (a.role, a.specialist.is_none(), &a.person).cmp(&(
                        b.role,
                        b.specialist.is_none(),
                        &b.person,
                    ))
                });
                let target = &round.targets[t].target;
                (
                    t,
                    TeamPlan {
                        id: format!("{}/{}", round.id, target),
                        target: target.clone(),
                        inspector: inspector.get(&t).copied(),
                        members: list,
                    },
                )
            })
            .collect()
    }

    /// The blocking set of an infeasible group, from a minimum cut.
    fn certificate(
        &self,
        key: Option<Code>,
        built: &Built,
        pool: &[usize],
        inspector: &HashMap<usize, Code>,
    ) -> Infeasibility {
        let Built {
            net,
            source,
            sink,
            slot_nodes,
            offer_arcs,
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
                skill: match slot {
                    SlotKind::Specialist(i) => round.spec(t).require.get(i).map(|r| r.skill),
                    _ => None,
                },
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
                let reason = if !origin_fits(
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
