//! The search over layouts: which candidates count for which skill
//! requirement when people hold several of a team's skills, solved as
//! networks above the staffing network.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use xuncha_org::fxhash::{FxHashMap, FxHashSet};

use xuncha_avoid::Role;

use crate::flow::{MinCostFlow, NetworkSimplex};
use crate::staffing::layouts::{
    Layout, Layouts, MAX_ARCS, MAX_DESIGNATIONS, MAX_LAYOUTS, MAX_NODES, cover, layouts_of,
    next_combination,
};
use crate::staffing::network::{Context, Offer, Shape};
use crate::staffing::slots::{SlotKind, person_fits, requirements_met, specialist_for};
use crate::{Error, OriginCap};

/// A plan's objective and offers, if there is one.
type Staffed = Option<(i64, Vec<Offer>)>;

/// For each team, the people offered a member's place on it (each once, in
/// the order of the offers).
pub(crate) type Candidates = FxHashMap<usize, Vec<usize>>;

impl Context<'_> {
    /// The people offered a member's place on each of `teams` that has two
    /// requirements or more, in one pass over the offers.
    pub(crate) fn candidates(&self, teams: &[usize], offers: &[Offer]) -> Candidates {
        let mut out = Candidates::default();
        if teams.iter().all(|&t| self.round.spec(t).require.len() < 2) {
            return out;
        }
        let mut seen: FxHashSet<(usize, usize)> = FxHashSet::default();
        for o in offers {
            if !o.alternate
                && o.slot.role() == Role::Member
                && self.round.spec(o.team).require.len() >= 2
                && seen.insert((o.person, o.team))
            {
                out.entry(o.team).or_default().push(o.person);
            }
        }
        out
    }

    /// The teams whose layouts must be weighed: two requirements or more,
    /// and someone offered a member's place who has two of the skills.
    pub(crate) fn layout_teams(&self, teams: &[usize], candidates: &Candidates) -> Vec<usize> {
        let people = self.roster.people();
        teams
            .iter()
            .copied()
            .filter(|&t| {
                let spec = self.round.spec(t);
                candidates.get(&t).is_some_and(|list| {
                    list.iter()
                        .any(|&p| requirements_met(spec, &people[p]).count_ones() >= 2)
                })
            })
            .collect()
    }

    /// The offers of the layouts' own kind on `teams`: everyone offered a
    /// member's place, as every [`SlotKind::Combined`] place whose skills
    /// they all have.
    pub(crate) fn layout_offers(&self, teams: &[usize], candidates: &Candidates) -> Vec<Offer> {
        let people = self.roster.people();
        let mut out = Vec::new();
        for &t in teams {
            let spec = self.round.spec(t);
            for &p in candidates.get(&t).map_or(&[][..], Vec::as_slice) {
                let all = requirements_met(spec, &people[p]);
                let combined = (1..=all)
                    .filter(|&m| m & all == m && m.count_ones() >= 2)
                    .map(SlotKind::Combined);
                for slot in combined {
                    if person_fits(spec, slot, &people[p]) {
                        out.push(Offer {
                            person: p,
                            team: t,
                            slot,
                            alternate: false,
                            cost: self.terms(p, t, slot),
                        });
                    }
                }
            }
        }
        out
    }

    /// The optimal offers of a group when the layouts of `searched` are
    /// weighed (see the module docs); `Ok(None)` when no plan exists.
    pub(crate) fn staff_with_layouts(
        &self,
        teams: &[usize],
        offers: &[Offer],
        searched: &[usize],
        candidates: &Candidates,
    ) -> Result<Option<(i64, Vec<Offer>)>, Error> {
        let listed = |t: usize| candidates.get(&t).map_or(&[][..], Vec::as_slice);
        let root: Layouts = searched
            .iter()
            .map(|&t| (t, self.relaxed(t, listed(t))))
            .collect();
        let mut nodes: Vec<(Layouts, usize)> = vec![(root, 0)];
        let mut heap: BinaryHeap<Reverse<(i64, Reverse<usize>, usize)>> = BinaryHeap::new();
        heap.push(Reverse((i64::MIN, Reverse(0), 0)));
        let mut best: Option<(i64, Vec<Offer>)> = None;
        let (mut solved, mut arcs) = (0usize, 0usize);
        while let Some(Reverse((bound, _, at))) = heap.pop() {
            if best.as_ref().is_some_and(|(b, _)| *b <= bound) {
                break;
            }
            solved += 1;
            if solved > MAX_NODES || arcs > MAX_ARCS {
                return Err(Error::LayoutSearch {
                    reason: format!(
                        "the search gave up after {} networks ({arcs} arcs in all){}",
                        solved - 1,
                        best.as_ref().map_or_else(String::new, |(b, _)| format!(
                            ", with a plan of objective {b} found and no better one ruled out below {bound}"
                        ))
                    ),
                });
            }
            let (layouts, depth) = std::mem::take(&mut nodes[at]);
            let (found, size) = self.solve_layouts(teams, offers, &layouts)?;
            arcs += size;
            let Some((cost, chosen)) = found else {
                continue;
            };
            if best.as_ref().is_some_and(|(b, _)| *b <= cost) {
                continue;
            }
            match self.designated(&layouts, chosen) {
                Ok(chosen) => best = Some((cost, chosen)),
                Err(t) => {
                    for layout in self.fixed_layouts(t, listed(t))? {
                        let mut child = layouts.clone();
                        child.insert(t, Layout::Fixed(layout));
                        nodes.push((child, depth + 1));
                        heap.push(Reverse((cost, Reverse(depth + 1), nodes.len() - 1)));
                    }
                }
            }
        }
        Ok(best)
    }

    /// One node: the network under `layouts`, with the whole-team caps
    /// kept where teams ask for them; and the network's arcs.
    fn solve_layouts(
        &self,
        teams: &[usize],
        offers: &[Offer],
        layouts: &Layouts,
    ) -> Result<(Staffed, usize), Error> {
        let shape = Shape {
            layouts: Some(layouts),
            ..Shape::integral()
        };
        let built = self.network(teams, offers, shape)?;
        let size = built.net.arc_count();
        let Some(solution) = NetworkSimplex::default().solve(&built.net)? else {
            return Ok((None, size));
        };
        let chosen = built.taken(&solution.flow);
        let found = if self.caps_whole_teams(teams) {
            self.keep_origin_caps(teams, offers, solution.cost, chosen, Some(layouts))?
        } else {
            Some((solution.cost, chosen))
        };
        Ok((found, size))
    }

    /// The relaxed layout of team `t`: it keeps the places of the
    /// requirement the fewest people offered could meet (the largest count
    /// among equals), the one most likely to bind.
    fn relaxed(&self, t: usize, candidates: &[usize]) -> Layout {
        let spec = self.round.spec(t);
        let people = self.roster.people();
        let holders = |r: &crate::SkillRequirement| {
            candidates
                .iter()
                .filter(|&&p| people[p].has_skill(r.skill))
                .count()
        };
        let on = (0..spec.require.len())
            .min_by_key(|&i| (holders(&spec.require[i]), Reverse(spec.require[i].count), i))
            .unwrap_or(0);
        Layout::Relaxed { on }
    }

    /// Every layout of team `t` whose places someone offered could fill.
    fn fixed_layouts(
        &self,
        t: usize,
        candidates: &[usize],
    ) -> Result<Vec<Vec<(SlotKind, u32)>>, Error> {
        let spec = self.round.spec(t);
        let people = self.roster.people();
        let held: FxHashSet<u8> = candidates
            .iter()
            .map(|&p| requirements_met(spec, &people[p]))
            .collect();
        let usable = |mask: u8| held.iter().any(|&h| h & mask == mask);
        layouts_of(spec, usable, MAX_LAYOUTS).ok_or_else(|| Error::LayoutSearch {
            reason: format!(
                "the team of targets[{t}] has more than {MAX_LAYOUTS} ways to lay out its specialists"
            ),
        })
    }

    /// The chosen offers with the members of every relaxed team designated
    /// (specialists counted for requirements they meet, the rest ordinary
    /// members), or the first relaxed team whose members cannot be.
    fn designated(&self, layouts: &Layouts, mut chosen: Vec<Offer>) -> Result<Vec<Offer>, usize> {
        let mut relaxed: Vec<usize> = layouts
            .iter()
            .filter(|(_, layout)| matches!(layout, Layout::Relaxed { .. }))
            .map(|(&t, _)| t)
            .collect();
        relaxed.sort_unstable();
        for t in relaxed {
            let slots = self.designate(t, &chosen).ok_or(t)?;
            for (i, slot) in slots {
                chosen[i].slot = slot;
            }
        }
        Ok(chosen)
    }

    /// A designation of team `t`'s members among `chosen`: for each member
    /// (by position in `chosen`) their slot, specialists counting every
    /// requirement exactly as often as it asks, and, when the cap counts
    /// ordinary members only, the others within it.
    fn designate(&self, t: usize, chosen: &[Offer]) -> Option<Vec<(usize, SlotKind)>> {
        let spec = self.round.spec(t);
        let people = self.roster.people();
        let members: Vec<usize> = (0..chosen.len())
            .filter(|&i| {
                chosen[i].team == t && !chosen[i].alternate && chosen[i].slot.role() == Role::Member
            })
            .collect();
        let skilled: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| requirements_met(spec, &people[chosen[i].person]) != 0)
            .collect();
        let want: Vec<u32> = spec.require.iter().map(|r| r.count).collect();
        let fewest = want.iter().copied().max().unwrap_or(0) as usize;
        let most = (spec.specialists() as usize).min(skilled.len());
        let capped = spec.origin_cap == OriginCap::Members;
        let mut tried = 0usize;
        for size in fewest..=most {
            let mut pick: Vec<usize> = (0..size).collect();
            loop {
                tried += 1;
                if tried > MAX_DESIGNATIONS {
                    return None;
                }
                let designated: Vec<usize> = pick.iter().map(|&k| skilled[k]).collect();
                let keeps_cap = !capped || {
                    let mut per_origin: HashMap<xuncha_org::Code, u32> = HashMap::new();
                    members
                        .iter()
                        .filter(|i| !designated.contains(i))
                        .all(|&i| {
                            let n = per_origin
                                .entry(people[chosen[i].person].origin)
                                .or_default();
                            *n += 1;
                            *n <= spec.max_per_origin
                        })
                };
                if keeps_cap {
                    let held: Vec<u8> = designated
                        .iter()
                        .map(|&i| requirements_met(spec, &people[chosen[i].person]))
                        .collect();
                    if let Some(masks) = cover(&held, &mut want.clone()) {
                        let kind = |i: usize| {
                            designated
                                .iter()
                                .position(|&d| d == i)
                                .map_or(SlotKind::Member, |k| specialist_for(masks[k]))
                        };
                        return Some(members.iter().map(|&i| (i, kind(i))).collect());
                    }
                }
                if !next_combination(&mut pick, skilled.len()) {
                    break;
                }
            }
        }
        None
    }
}
