//! The whole-team origin cap (`origin_cap = "team"`): at most
//! `max_per_origin` people of one origin county on a team, whatever their
//! roles.
//!
//! The cap counts people across several slot kinds at once, so it is not a
//! network constraint (see `docs/assignment.md`). It is solved exactly by
//! branch and bound over networks. The network that caps ordinary members
//! only is a relaxation: its optimum is a lower bound, and a relaxed plan
//! that keeps the cap is optimal. When it breaks the cap on team `t` for
//! origin `o`, some kind of slot `s` (leader, deputy, liaison, a
//! specialist requirement) holds `x` people of `o`, more than its lower
//! bound; the two branches are "at most `x − 1` of `o` in `s`" and "at
//! least `x` of `o` in `s`, and then at most `max_per_origin` less every
//! such lower bound among the ordinary members". Both are networks again:
//! a gate node per (team, slot kind, origin) whose arc into the slot
//! carries the bounds. Every branch tightens one bound, so the search ends;
//! nodes are taken best bound first and pruned against the best plan
//! found.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use xuncha_org::Code;

use crate::flow::{MinCostFlow, NetworkSimplex};
use crate::staffing::layouts::Layouts;
use crate::staffing::layouts::slots;
use crate::staffing::layouts::team_slots;
use crate::staffing::network::{Bounds, Context, Offer, Shape};
use crate::staffing::slots::SlotKind;
use crate::{Composition, Error, OriginCap, TeamSpec};

/// Branch-and-bound nodes solved before the search gives up with
/// [`Error::OriginCapSearch`].
pub(crate) const MAX_NODES: usize = 20_000;

/// A cap broken by a relaxed plan: team, origin, the kinds of slot the
/// origin's people hold on the team (not ordinary members) with how many.
struct Breach {
    team: usize,
    origin: Code,
    held: Vec<(SlotKind, u32)>,
}

/// Refuses `round` in a mode that keeps ordinary-member caps only (the
/// randomized draw, replanning) when a team counts its cap across roles.
pub(crate) fn refuse_whole_team_caps(round: &crate::Round, mode: &str) -> Result<(), Error> {
    match (0..round.targets.len()).find(|&t| round.spec(t).origin_cap == OriginCap::Team) {
        Some(t) => Err(Error::InvalidOption {
            option: format!("origin_cap (the team of targets[{t}])"),
            message: format!(
                "{mode} keeps max_per_origin for ordinary members only; \
                 origin_cap = \"team\" is kept by the optimal plan (`staff`)"
            ),
        }),
        None => Ok(()),
    }
}

/// Whether the team counts its origin cap across roles (a whole team from
/// one county has no cap to keep).
fn caps_whole_team(spec: &TeamSpec) -> bool {
    spec.origin_cap == OriginCap::Team && spec.composition != Composition::WholeTeam
}

impl Context<'_> {
    /// Whether any of `teams` counts its origin cap across roles.
    pub(crate) fn caps_whole_teams(&self, teams: &[usize]) -> bool {
        teams.iter().any(|&t| caps_whole_team(self.round.spec(t)))
    }

    /// The optimal offers under the whole-team caps of `teams`, given the
    /// relaxed optimum (`cost`, `chosen`), which already satisfies every
    /// other rule, and the teams' `layouts` of specialists (see
    /// `layout.rs`). `Ok(None)` when no plan keeps the caps.
    pub(crate) fn keep_origin_caps(
        &self,
        teams: &[usize],
        offers: &[Offer],
        cost: i64,
        chosen: Vec<Offer>,
        layouts: Option<&Layouts>,
    ) -> Result<Option<(i64, Vec<Offer>)>, Error> {
        let Some(breach) = self.breach(&chosen) else {
            return Ok(Some((cost, chosen)));
        };
        if self.too_few_origins(teams, offers) {
            return Ok(None);
        }
        // Best bound first; among equal bounds the deepest, so that the
        // search dives to a plan that keeps the caps before it widens.
        let mut nodes: Vec<(Bounds, usize)> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(i64, Reverse<usize>, usize)>> = BinaryHeap::new();
        for child in self.branches(&Bounds::new(), &breach, layouts) {
            nodes.push((child, 1));
            heap.push(Reverse((cost, Reverse(1), nodes.len() - 1)));
        }
        let mut best: Option<(i64, Vec<Offer>)> = None;
        let mut solved = 0usize;
        while let Some(Reverse((bound, _, at))) = heap.pop() {
            if best.as_ref().is_some_and(|(b, _)| *b <= bound) {
                break;
            }
            solved += 1;
            if solved > MAX_NODES {
                return Err(Error::OriginCapSearch { nodes: MAX_NODES });
            }
            let (bounds, depth) = std::mem::take(&mut nodes[at]);
            let shape = Shape {
                bounds: Some(&bounds),
                layouts,
                ..Shape::integral()
            };
            let built = self.network(teams, offers, shape)?;
            let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
                continue;
            };
            if best.as_ref().is_some_and(|(b, _)| *b <= solution.cost) {
                continue;
            }
            let picked: Vec<Offer> = built.taken(&solution.flow);
            match self.breach(&picked) {
                None => best = Some((solution.cost, picked)),
                Some(breach) => {
                    for child in self.branches(&bounds, &breach, layouts) {
                        nodes.push((child, depth + 1));
                        heap.push(Reverse((
                            solution.cost,
                            Reverse(depth + 1),
                            nodes.len() - 1,
                        )));
                    }
                }
            }
        }
        Ok(best)
    }

    /// Whether some team has more counted places than `max_per_origin`
    /// times the origins that could fill them: then no plan keeps the cap,
    /// which the search would take long to find.
    fn too_few_origins(&self, teams: &[usize], offers: &[Offer]) -> bool {
        let people = self.roster.people();
        teams.iter().any(|&t| {
            let spec = self.round.spec(t);
            if !caps_whole_team(spec) {
                return false;
            }
            let mut origins: Vec<Code> = offers
                .iter()
                .filter(|o| o.team == t && !o.alternate)
                .map(|o| people[o.person].origin)
                .filter(|origin| !self.places[t].counties.contains(origin))
                .collect();
            origins.sort_unstable();
            origins.dedup();
            // Every place on the team, less the Longyan deputy and liaison
            // (from the target's own county, so not counted).
            let counted: u32 = slots(spec)
                .into_iter()
                .filter(|&(slot, _)| {
                    spec.composition != Composition::Longyan
                        || !matches!(slot, SlotKind::Deputy | SlotKind::Liaison)
                })
                .map(|(_, count)| count)
                .sum();
            let room = u64::from(spec.max_per_origin) * origins.len() as u64;
            u64::from(counted) > room
        })
    }

    /// The first whole-team cap the chosen offers break, if any.
    fn breach(&self, chosen: &[Offer]) -> Option<Breach> {
        let people = self.roster.people();
        let mut count: HashMap<(usize, Code), u32> = HashMap::new();
        for offer in chosen.iter().filter(|o| !o.alternate) {
            let spec = self.round.spec(offer.team);
            let origin = people[offer.person].origin;
            if caps_whole_team(spec) && !self.places[offer.team].counties.contains(&origin) {
                *count.entry((offer.team, origin)).or_default() += 1;
            }
        }
        let mut over: Vec<(usize, Code)> = count
            .into_iter()
            .filter(|&((t, _), n)| n > self.round.spec(t).max_per_origin)
            .map(|(key, _)| key)
            .collect();
        over.sort_unstable();
        let &(team, origin) = over.first()?;
        let mut held: Vec<(SlotKind, u32)> = Vec::new();
        for offer in chosen {
            if !offer.alternate
                && offer.team == team
                && offer.slot != SlotKind::Member
                && people[offer.person].origin == origin
            {
                match held.iter_mut().find(|(s, _)| *s == offer.slot) {
                    Some((_, n)) => *n += 1,
                    None => held.push((offer.slot, 1)),
                }
            }
        }
        held.sort_unstable();
        Some(Breach { team, origin, held })
    }

    /// The two children of a node whose plan has `breach`.
    fn branches(&self, bounds: &Bounds, breach: &Breach, layouts: Option<&Layouts>) -> Vec<Bounds> {
        let Breach { team, origin, .. } = *breach;
        let cap = self.round.spec(team).max_per_origin;
        let layout = layouts.and_then(|l| l.get(&team));
        let kinds: Vec<(SlotKind, u32)> = team_slots(self.round.spec(team), layout);
        let bound_of = |b: &Bounds, slot: SlotKind| {
            let count = kinds
                .iter()
                .find(|(s, _)| *s == slot)
                .map_or(0, |&(_, c)| c);
            b.get(&(team, slot, origin)).copied().unwrap_or((0, count))
        };
        // A kind holding more than its lower bound exists: the ordinary
        // members are capped at `cap` less the lower bounds.
        let Some(&(slot, x)) = breach
            .held
            .iter()
            .find(|&&(slot, x)| x > bound_of(bounds, slot).0)
        else {
            return Vec::new();
        };
        let (low, high) = bound_of(bounds, slot);
        let mut children = Vec::with_capacity(2);
        // At most x − 1 of the origin in this kind of slot.
        let mut fewer = bounds.clone();
        fewer.insert((team, slot, origin), (low, x - 1));
        children.push(fewer);
        // At least x, the ordinary members capped by what is left.
        let mut more = bounds.clone();
        more.insert((team, slot, origin), (x, high));
        let lows: u32 = kinds
            .iter()
            .filter(|(s, _)| *s != SlotKind::Member)
            .map(|&(s, _)| bound_of(&more, s).0)
            .sum();
        if lows <= cap {
            more.insert((team, SlotKind::Member, origin), (0, cap - lows));
            children.push(more);
        }
        children
    }
}
