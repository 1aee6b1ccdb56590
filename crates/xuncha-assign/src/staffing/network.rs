//! The staffing network of one group (a city under the default pool): who
//! may fill which slot at what cost, laid out as a flow network. One builder
//! serves every mode: the optimal plan, the fractional plan of the
//! randomized mode (capacities scaled, a cap on every person–team pair),
//! alternates (候补), and replanning (a bonus on every assignment kept).

use std::collections::{BTreeMap, HashMap, HashSet};

use xuncha_avoid::{ConflictIndex, Engine, RoleSet, Roster, Target};
use xuncha_org::Code;
use xuncha_org::fxhash::FxHashMap;

use crate::flow::{FlowNetwork, NodeId};
use crate::staffing::layouts::{Layout, Layouts, member_cap, slots, team_slots};
use crate::staffing::slots::{
    SlotKind, StaffOptions, TargetPlace, alternate_demand, alternate_order, origin_fits,
    person_fits, target_place,
};
use crate::{Composition, CostTerms, Error, PLAN_VERSION, Plan, Round, TeamPlan, plan_rotation};
use xuncha_round::PoolIndex;

/// Everything staffing knows about one round.
#[derive(Clone)]
pub(crate) struct Context<'a> {
    pub(crate) engine: &'a Engine<'a>,
    pub(crate) roster: &'a Roster,
    pub(crate) round: &'a Round,
    pub(crate) index: ConflictIndex,
    pub(crate) places: Vec<TargetPlace>,
    pub(crate) options: StaffOptions,
    /// The round's pool, with its small cities worked out.
    pub(crate) pools: PoolIndex,
    /// The people of each group, in roster order.
    pub(crate) members: HashMap<Option<Code>, Vec<usize>>,
}

/// Groups of targets: (city or province, target positions).
pub(crate) type Groups = Vec<(Option<Code>, Vec<usize>)>;

/// For whole-team crossings: target position → the county the rotation
/// sends.
pub(crate) type Inspectors = FxHashMap<usize, Code>;

/// One group's result.
pub(crate) struct GroupPlan {
    pub(crate) teams: Vec<(usize, TeamPlan)>,
    pub(crate) rotation: Vec<(Code, Code)>,
    pub(crate) cost: i64,
}

/// An arc from a person towards a slot (or an alternate's place), for
/// reading the flow back.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Offer {
    pub(crate) person: usize,
    pub(crate) team: usize,
    pub(crate) slot: SlotKind,
    /// An alternate (候补) of the team, ready to step into `slot`.
    pub(crate) alternate: bool,
    /// The cost terms, computed once for the arc and kept for the plan.
    pub(crate) cost: CostTerms,
}

/// What identifies an assignment across plans: person, team, slot, and
/// whether as an alternate.
pub(crate) type OfferKey = (usize, usize, SlotKind, bool);

impl Offer {
    pub(crate) fn key(&self) -> OfferKey {
        (self.person, self.team, self.slot, self.alternate)
    }
}

/// How to lay a group's network out, beyond the plain optimal plan.
#[derive(Clone, Copy)]
pub(crate) struct Shape<'s> {
    /// Units of flow one person stands for: 1 for integral plans, the
    /// denominator of the fractional plan otherwise.
    pub(crate) scale: i32,
    /// In the randomized mode, the units a (person, team) pair may carry:
    /// the cap on "on the team or an alternate", through a pair node.
    pub(crate) pair_cap: Option<&'s (dyn Fn(usize, usize) -> i32 + Sync)>,
    /// When replanning, the assignments of the previous plan, and the bonus
    /// each earns by being kept (the change cost).
    pub(crate) kept: Option<(&'s HashSet<OfferKey>, i64)>,
    /// Bounds on how many people of one origin fill one kind of slot of
    /// one team: the branches of the whole-team origin cap (see
    /// `origin_cap.rs`).
    pub(crate) bounds: Option<&'s Bounds>,
    /// Layouts of some teams' specialist places (see `layout.rs`); offers
    /// of kinds a team's layout has no place for are left out.
    pub(crate) layouts: Option<&'s Layouts>,
}

/// (team, slot kind, origin) → (at least, at most) people.
pub(crate) type Bounds = HashMap<(usize, SlotKind, Code), (u32, u32)>;

impl Shape<'_> {
    /// The plain network of the optimal plan.
    pub(crate) fn integral() -> Shape<'static> {
        Shape {
            scale: 1,
            pair_cap: None,
            kept: None,
            bounds: None,
            layouts: None,
        }
    }
}

/// A group's network with what is needed to read its flow back and to set
/// a flow from a plan.
#[derive(Clone)]
pub(crate) struct Built {
    pub(crate) net: FlowNetwork,
    pub(crate) source: NodeId,
    pub(crate) sink: NodeId,
    pub(crate) slot_nodes: Vec<(usize, SlotKind, NodeId, u32)>,
    /// Every offer arc with its offer, in arc order.
    pub(crate) offer_arcs: Vec<(u32, Offer)>,
    /// Each offer's position in `offer_arcs`, by key: made when first
    /// asked for (replanning), not for every network.
    offer_at: std::sync::OnceLock<FxHashMap<OfferKey, usize>>,
    /// The arcs an offer's unit passes through before its own arc (origin
    /// → person, person → pair) and after it (gate → slot), and its origin.
    paths: Vec<OfferPath>,
    /// Per origin (by position), the parallel balance arcs, cheapest first.
    balance_arcs: Vec<Vec<u32>>,
    /// The arcs into each person: origin → person.
    pub(crate) person_arc: FxHashMap<usize, u32>,
    /// In the randomized mode, the arc person → pair of each pair.
    pub(crate) pair_arcs: Vec<(u32, usize, usize)>,
}

/// The fixed arcs around one offer arc.
#[derive(Clone, Copy)]
struct OfferPath {
    origin: usize,
    person_arc: u32,
    pair_arc: Option<u32>,
    gate_arc: Option<u32>,
}

impl Built {
    /// Each offer's position in `offer_arcs`, by key.
    pub(crate) fn offer_at(&self) -> &FxHashMap<OfferKey, usize> {
        self.offer_at.get_or_init(|| {
            self.offer_arcs
                .iter()
                .enumerate()
                .map(|(i, (_, offer))| (offer.key(), i))
                .collect()
        })
    }

    /// The flow (in units of `scale`) that places exactly the offers at
    /// `chosen` (positions in `offer_arcs`): each unit from the source
    /// through its origin's cheapest free balance arc, the person, the pair
    /// and the gate, to its slot, and every fixed arc at its bound. Slots
    /// the chosen offers leave empty show as nodes out of balance.
    pub(crate) fn flow_of(&self, chosen: &[usize], scale: i64) -> Vec<i64> {
        let net = &self.net;
        let mut flow: Vec<i64> = (0..net.arc_count())
            .map(|a| {
                if net.lower_bounds()[a] == net.upper_bounds()[a] {
                    i64::from(net.lower_bounds()[a])
                } else {
                    0
                }
            })
            .collect();
        let mut used = vec![0usize; self.balance_arcs.len()];
        for &i in chosen {
            let (arc, _) = self.offer_arcs[i];
            let path = self.paths[i];
            if let Some(&b) = self.balance_arcs[path.origin].get(used[path.origin]) {
                flow[b as usize] += scale;
            }
            used[path.origin] += 1;
            flow[path.person_arc as usize] += scale;
            for a in [Some(arc), path.pair_arc, path.gate_arc]
                .into_iter()
                .flatten()
            {
                flow[a as usize] += scale;
            }
        }
        flow
    }

    /// The offers an integral solution's flow takes.
    pub(crate) fn taken(&self, flow: &[i32]) -> Vec<Offer> {
        self.offer_arcs
            .iter()
            .filter(|(arc, _)| flow[*arc as usize] > 0)
            .map(|&(_, offer)| offer)
            .collect()
    }

    /// The offers whose arc carries `scale` units (a whole person).
    pub(crate) fn chosen(&self, flow: &[i64], scale: i64) -> impl Iterator<Item = Offer> + '_ {
        let flow: Vec<bool> = self
            .offer_arcs
            .iter()
            .map(|&(arc, _)| flow[arc as usize] >= scale)
            .collect();
        self.offer_arcs
            .iter()
            .zip(flow)
            .filter(|(_, on)| *on)
            .map(|(&(_, offer), _)| offer)
    }
}

/// The context of a round and its groups of targets.
pub(crate) fn prepare<'a>(
    engine: &'a Engine<'a>,
    roster: &'a Roster,
    round: &'a Round,
    options: &StaffOptions,
) -> Result<(Context<'a>, Groups), Error> {
    options
        .limits
        .check_targets(&format!("round {}", round.id), round.targets.len())?;
    let targets: Vec<Target> = round.targets.iter().map(|t| t.target.clone()).collect();
    let places = targets
        .iter()
        .map(|t| {
            target_place(t, engine).ok_or_else(|| xuncha_round::Error::Round {
                file: "<round>".into(),
                message: format!("target {t} is a unit the units do not have"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let index = engine.index(roster, &targets, round.date);
    let pools = PoolIndex::new(round.pool, engine.hierarchy());
    let mut members: HashMap<Option<Code>, Vec<usize>> = HashMap::new();
    for (p, person) in roster.people().iter().enumerate() {
        members
            .entry(pools.group(person.origin))
            .or_default()
            .push(p);
    }
    let ctx = Context {
        engine,
        roster,
        round,
        index,
        places,
        members,
        pools,
        options: *options,
    };
    let mut groups: BTreeMap<Option<Code>, Vec<usize>> = BTreeMap::new();
    for (i, place) in ctx.places.iter().enumerate() {
        groups
            .entry(ctx.pools.group(place.division))
            .or_default()
            .push(i);
    }
    Ok((ctx, groups.into_iter().collect()))
}

/// Runs `work` on every group, on up to `threads` threads, keeping the
/// groups' order in the results. The threads take the groups one at a
/// time, those of most teams first, so that a province-wide group does
/// not leave one thread with the rest of the work.
pub(crate) fn per_group<T: Send>(
    groups: &Groups,
    threads: usize,
    work: impl Fn(Option<Code>, &[usize]) -> Result<T, Error> + Sync,
) -> Vec<Result<T, Error>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.clamp(1, 64).min(groups.len().max(1));
    if threads <= 1 {
        return groups
            .iter()
            .map(|(key, members)| work(*key, members))
            .collect();
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].1.len()));
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, Result<T, Error>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(&g) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let (key, members) = &groups[g];
                        mine.push((g, work(*key, members)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().ok())
            .collect()
    });
    let mut out: Vec<Option<Result<T, Error>>> = (0..groups.len()).map(|_| None).collect();
    for (g, result) in done.into_iter().flatten() {
        out[g] = Some(result);
    }
    out.into_iter()
        .map(|s| {
            s.unwrap_or(Err(Error::Plan {
                message: "a worker stopped".into(),
            }))
        })
        .collect()
}

/// The plan of a round from its groups' results.
pub(crate) fn assemble(
    round: &Round,
    seed: u64,
    solver: &str,
    results: Vec<Result<GroupPlan, Error>>,
) -> Result<Plan, Error> {
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
        .flat_map(|t| t.members.iter().chain(&t.alternates))
        .map(|m| m.cost.total())
        .sum();
    Ok(Plan {
        version: PLAN_VERSION,
        round: round.id.clone(),
        date: round.date,
        seed,
        solver: solver.to_owned(),
        objective,
        balance: objective - members,
        rotation,
        teams,
        randomized: None,
    })
}

impl Context<'_> {
    pub(crate) fn seed_for(&self, key: Option<Code>) -> u64 {
        let k = key.map_or(0, Code::packed);
        self.options.seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// The people whose origin lies in the group.
    pub(crate) fn pool(&self, key: Option<Code>) -> Vec<usize> {
        if key.is_none() {
            return (0..self.roster.len()).collect();
        }
        self.members.get(&key).cloned().unwrap_or_default()
    }

    /// The rotation for the group's whole-team crossings: which county
    /// inspects each such target.
    pub(crate) fn rotation(
        &self,
        key: Option<Code>,
        teams: &[usize],
    ) -> Result<(Inspectors, Vec<(Code, Code)>), Error> {
        let whole: Vec<usize> = teams
            .iter()
            .copied()
            .filter(|&i| self.round.spec(i).composition == Composition::WholeTeam)
            .collect();
        let mut inspector = Inspectors::default();
        if whole.is_empty() {
            return Ok((inspector, Vec::new()));
        }
        let mut counties: Vec<Code> = Vec::new();
        for &i in &whole {
            if let Some(c) = self.places[i].county()
                && !counties.contains(&c)
            {
                counties.push(c);
            }
        }
        let rotation = plan_rotation(&counties, &self.round.recent_pairings, self.seed_for(key))?;
        for &i in &whole {
            if let Some(by) = self.places[i]
                .county()
                .and_then(|c| rotation.inspector_of(c))
            {
                inspector.insert(i, by);
            }
        }
        Ok((inspector, rotation.pairs().to_vec()))
    }

    /// Whether `p` may take `slot` on team `t`: composition, the slot's
    /// own requirement, and no hard conflict. The round's pool is not asked
    /// here: [`Context::offers`], the only way in, asks it once per person
    /// and team before any slot. `blocked` holds the roles the conflict
    /// index keeps `p` from on `t`, looked up once for all of the team's
    /// slots.
    pub(crate) fn fits(
        &self,
        p: usize,
        t: usize,
        slot: SlotKind,
        inspector: &Inspectors,
        blocked: RoleSet,
    ) -> bool {
        let person = &self.roster.people()[p];
        let spec = self.round.spec(t);
        !blocked.contains(slot.role())
            && origin_fits(
                spec,
                slot,
                person.origin,
                &self.places[t].counties,
                inspector.get(&t).copied(),
            )
            && person_fits(spec, slot, person)
    }

    /// The cost terms of `p` in `slot` on team `t`.
    pub(crate) fn terms(&self, p: usize, t: usize, slot: SlotKind) -> CostTerms {
        let role = slot.role();
        let soft = self.index.soft_cost(p, t, role);
        self.options.objective.terms(
            &self.roster.people()[p],
            role,
            slot == SlotKind::Member,
            self.round.spec(t),
            self.places[t].division,
            soft,
        )
    }

    /// Every (person, team, slot) the rules and the composition allow, with
    /// its cost, then the team's alternates (see `alternates.rs`).
    pub(crate) fn offers(
        &self,
        teams: &[usize],
        pool: &[usize],
        inspector: &Inspectors,
    ) -> Vec<Offer> {
        let mut offers = Vec::new();
        let people = self.roster.people();
        // Each team's kinds of slot, and the order its alternates are
        // readied for them, worked out once, not once a person.
        let kinds: Vec<Vec<(SlotKind, u32)>> =
            teams.iter().map(|&t| slots(self.round.spec(t))).collect();
        let orders: Vec<Vec<(SlotKind, u32)>> = if self.options.alternates > 0 {
            kinds
                .iter()
                .map(|k| alternate_demand(&alternate_order(k), self.options.alternates))
                .collect()
        } else {
            vec![Vec::new(); teams.len()]
        };
        let admissions: Vec<_> = teams
            .iter()
            .map(|&t| self.pools.admission(self.places[t].division))
            .collect();
        let units = self.engine.units();
        let drawings: Vec<_> = teams
            .iter()
            .map(|&t| self.round.drawing_for(&self.round.targets[t], units))
            .collect();
        for &p in pool {
            let origin = people[p].origin;
            for ((((&t, kinds), order), admission), drawing) in teams
                .iter()
                .zip(&kinds)
                .zip(&orders)
                .zip(&admissions)
                .zip(&drawings)
            {
                // The pool first: a wide group offers each person only to
                // the targets their pool admits, and only those the round
                // draws from (the city's organs, a department).
                if !admission.admits(origin) || !drawing.admits(&people[p], units) {
                    continue;
                }
                let blocked = self.index.blocked_roles(p, t);
                for &(slot, _) in kinds {
                    if self.fits(p, t, slot, inspector, blocked) {
                        offers.push(Offer {
                            person: p,
                            team: t,
                            slot,
                            alternate: false,
                            cost: self.terms(p, t, slot),
                        });
                    }
                }
                if self.options.alternates > 0 {
                    offers.extend(self.alternate_offers(p, t, order, inspector, blocked));
                }
            }
        }
        offers
    }

    /// The staffing network of a group: source → origin (convex balance
    /// arcs) → person [→ pair (person, team), randomized mode] → slot, or →
    /// gate (per-origin cap) → ordinary members, or → the team's
    /// alternates; → sink with every slot's count as both bounds.
    #[expect(
        clippy::too_many_lines,
        reason = "one layout, read top to bottom as the docs draw it"
    )]
    pub(crate) fn network(
        &self,
        teams: &[usize],
        offers: &[Offer],
        shape: Shape<'_>,
    ) -> Result<Built, Error> {
        let round = self.round;
        let people = self.roster.people();
        let scale = shape.scale.max(1);
        let units = |count: u32| -> Result<i32, Error> {
            i32::try_from(count)
                .ok()
                .and_then(|n| n.checked_mul(scale))
                .ok_or(Error::Flow(crate::FlowError::Overflow))
        };
        let mut net = FlowNetwork::new();
        let source = net.add_node(0);
        let sink = net.add_node(0);
        let mut total: i64 = 0;
        let mut slot_nodes = Vec::new();
        let mut node_of: FxHashMap<(usize, SlotKind), NodeId> = FxHashMap::default();
        let mut alternate_of: FxHashMap<(usize, SlotKind), NodeId> = FxHashMap::default();
        let layout_of = |t: usize| -> Option<&Layout> { shape.layouts.and_then(|l| l.get(&t)) };
        for &t in teams {
            for (slot, count) in team_slots(round.spec(t), layout_of(t)) {
                let node = net.add_node(0);
                let n = units(count)?;
                net.add_arc(node, sink, n, n, 0)?;
                total += i64::from(count);
                slot_nodes.push((t, slot, node, count));
                node_of.insert((t, slot), node);
            }
            if self.options.alternates > 0 {
                let kinds = slots(round.spec(t));
                for (slot, count) in
                    alternate_demand(&alternate_order(&kinds), self.options.alternates)
                {
                    let node = net.add_node(0);
                    let n = units(count)?;
                    net.add_arc(node, sink, n, n, 0)?;
                    total += i64::from(count);
                    alternate_of.insert((t, slot), node);
                }
            }
        }
        let mut by_origin: BTreeMap<Code, Vec<usize>> = BTreeMap::new();
        for &Offer { person: p, .. } in offers {
            let list = by_origin.entry(people[p].origin).or_default();
            if list.last() != Some(&p) {
                list.push(p);
            }
        }
        let mut person_node: FxHashMap<usize, (NodeId, usize)> = FxHashMap::default();
        let mut person_arc: FxHashMap<usize, u32> = FxHashMap::default();
        let mut balance_arcs = Vec::with_capacity(by_origin.len());
        for (o, members) in by_origin.values().enumerate() {
            let origin = net.add_node(0);
            let arcs = members.len().min(usize::try_from(total).unwrap_or(0));
            let mut list = Vec::with_capacity(arcs);
            for k in 0..arcs {
                let cost =
                    self.options.objective.balance * i64::try_from(k).unwrap_or(i64::MAX / 4);
                list.push(net.add_arc(source, origin, 0, scale, cost)?.0);
            }
            balance_arcs.push(list);
            for &p in members {
                let node = net.add_node(0);
                let arc = net.add_arc(origin, node, 0, scale, 0)?;
                person_node.insert(p, (node, o));
                person_arc.insert(p, arc.0);
            }
        }
        let mut gates: FxHashMap<(usize, SlotKind, Code), (NodeId, u32)> = FxHashMap::default();
        let mut pairs: FxHashMap<(usize, usize), (NodeId, u32)> = FxHashMap::default();
        let mut pair_arcs = Vec::new();
        let mut offer_arcs = Vec::with_capacity(offers.len());
        let mut paths = Vec::with_capacity(offers.len());
        let mut last: Option<(usize, NodeId, usize, u32)> = None;
        for &offer in offers {
            let Offer {
                person: p,
                team: t,
                slot,
                alternate,
                cost,
            } = offer;
            if !alternate && !node_of.contains_key(&(t, slot)) {
                // A kind of place the team's layout does not have.
                continue;
            }
            let origin = people[p].origin;
            let bound = shape
                .bounds
                .and_then(|b| b.get(&(t, slot, origin)))
                .copied();
            let (to, gate_arc) = if alternate {
                let Some(&node) = alternate_of.get(&(t, slot)) else {
                    continue;
                };
                (node, None)
            } else if (slot == SlotKind::Member
                && round.spec(t).composition != Composition::WholeTeam)
                || bound.is_some()
            {
                let (gate, arc) = if let Some(&gate) = gates.get(&(t, slot, origin)) {
                    gate
                } else {
                    let gate = net.add_node(0);
                    let cap = member_cap(round.spec(t), layout_of(t));
                    let (low, high) = match (slot, bound) {
                        (SlotKind::Member, Some((low, high))) => (low, high.min(cap)),
                        (SlotKind::Member, None) => (0, cap),
                        (_, Some(bounds)) => bounds,
                        (_, None) => (
                            0,
                            team_slots(round.spec(t), layout_of(t))
                                .into_iter()
                                .find(|&(s, _)| s == slot)
                                .map_or(0, |(_, count)| count),
                        ),
                    };
                    let arc =
                        net.add_arc(gate, node_of[&(t, slot)], units(low)?, units(high)?, 0)?;
                    gates.insert((t, slot, origin), (gate, arc.0));
                    (gate, arc.0)
                };
                (gate, Some(arc))
            } else {
                (node_of[&(t, slot)], None)
            };
            // Offers come person by person: one lookup a person.
            if last.is_none_or(|(q, ..)| q != p) {
                let (node, origin) = person_node[&p];
                last = Some((p, node, origin, person_arc[&p]));
            }
            let Some((_, from_person, origin, into_person)) = last else {
                continue;
            };
            let (from, pair_arc) = match shape.pair_cap {
                Some(cap) => {
                    let (node, arc) = if let Some(&pair) = pairs.get(&(p, t)) {
                        pair
                    } else {
                        let node = net.add_node(0);
                        let arc =
                            net.add_arc(from_person, node, 0, cap(p, t).clamp(0, scale), 0)?;
                        pairs.insert((p, t), (node, arc.0));
                        pair_arcs.push((arc.0, p, t));
                        (node, arc.0)
                    };
                    (node, Some(arc))
                }
                None => (from_person, None),
            };
            let mut price = cost.total();
            if let Some((kept, bonus)) = shape.kept
                && kept.contains(&offer.key())
            {
                price -= bonus;
            }
            let arc = net.add_arc(from, to, 0, scale, price)?;
            offer_arcs.push((arc.0, offer));
            paths.push(OfferPath {
                origin,
                person_arc: into_person,
                pair_arc,
                gate_arc,
            });
        }
        let supply = total
            .checked_mul(i64::from(scale))
            .ok_or(crate::FlowError::Overflow)?;
        net.set_supply(source, supply)?;
        net.set_supply(sink, -supply)?;
        Ok(Built {
            net,
            source,
            sink,
            slot_nodes,
            offer_arcs,
            offer_at: std::sync::OnceLock::new(),
            paths,
            balance_arcs,
            person_arc,
            pair_arcs,
        })
    }
}
