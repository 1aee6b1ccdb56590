//! Skill requirements that one person can meet several of at once.
//!
//! A team asks for "at least `k` members with skill `s`" for each of its
//! requirements, and a member counts for every requirement whose skill
//! they have. With a specialist slot per requirement, one person with two
//! of the skills would be made to fill only one of them, which is stricter
//! than the requirement and may miss the best plan, or every plan. Which
//! people count for which requirements is a *layout*: a multiset of
//! specialist places, each counted for a set of requirements (a
//! [`SlotKind::Combined`] place for two or more, a
//! [`SlotKind::Specialist`] place for one) that counts every requirement
//! exactly as often as it asks. Each layout is a network, and the teams'
//! requirements hold exactly when some layout of each team does.
//!
//! The engine searches the layouts by branch and bound over networks, for
//! the teams where the choice matters (two requirements or more, and
//! someone who could serve with two of the skills):
//!
//! 1. The relaxation: such a team keeps the specialist places of one
//!    requirement (the one fewest people could meet), the rest of its
//!    members ordinary; when the per-origin cap counts ordinary members
//!    only, it is loosened by the places other layouts add (the sum of the
//!    requirements less that one). Every layout counts that requirement
//!    in exactly as many places, held by people with its skill, so every
//!    layout's plans are plans of the relaxation, at the same cost, and its
//!    optimum is a lower bound.
//! 2. A relaxed plan whose members can be designated, some of them as
//!    specialists counted for requirements they meet, exactly as the
//!    requirements ask, with the rest keeping the cap, is a plan of the
//!    round: the designation is searched member by member.
//! 3. Otherwise branch on the first such team: one child per layout, each
//!    an exact network. Nodes are taken best bound first (deepest first
//!    among equals) and pruned against the best plan found.
//!
//! Under `origin_cap = "team"` each node's network is solved with the
//! whole-team caps kept (`origin_cap.rs`), which stays a lower bound.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use xuncha_org::fxhash::{FxHashMap, FxHashSet};

use xuncha_avoid::Role;

use crate::flow::{MinCostFlow, NetworkSimplex};
use crate::network::{Context, Offer, Shape};
use crate::staffing::{SlotKind, in_mask, person_fits, requirements_met, specialist_for};
use crate::{Error, OriginCap, TeamSpec};

/// Branch-and-bound nodes solved before the search gives up with
/// [`Error::LayoutSearch`].
pub(crate) const MAX_NODES: usize = 20_000;

/// Arcs of the networks solved, summed over the nodes, before the search
/// gives up: a bound on the work that does not depend on the machine, so
/// that the same inputs give the same answer everywhere. A few seconds on
/// the networks of a large province (150,000 arcs each); the Fujian rounds
/// of the tests use under a million.
pub(crate) const MAX_ARCS: usize = 20_000_000;

/// Layouts of one team the search will weigh at most.
const MAX_LAYOUTS: usize = 1_000;

/// Designations of one relaxed team tried at most before branching on it
/// instead (which stays exact).
const MAX_DESIGNATIONS: usize = 100_000;

/// How a team's specialist places are laid out in one network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// The relaxation of every layout: the specialist places of
    /// requirement `on` only, the rest ordinary members, whose per-origin
    /// cap (when it counts ordinary members only) is loosened by the
    /// specialists the other layouts may add.
    Relaxed {
        /// The requirement whose places are kept.
        on: usize,
    },
    /// These specialist places ([`SlotKind::Specialist`] and
    /// [`SlotKind::Combined`]) with their counts.
    Fixed(Vec<(SlotKind, u32)>),
}

/// A layout for some teams (by position in the round); the others have the
/// plain one, a specialist per requirement.
pub(crate) type Layouts = HashMap<usize, Layout>;

/// The per-origin cap of a team's ordinary members under a layout: under
/// the relaxed layout, when the cap counts ordinary members only, loosened
/// by the specialists other layouts have beyond the relaxed one's.
pub(crate) fn member_cap(spec: &TeamSpec, layout: Option<&Layout>) -> u32 {
    match layout {
        Some(&Layout::Relaxed { on }) if spec.origin_cap == crate::OriginCap::Members => {
            let kept = spec.require.get(on).map_or(0, |r| r.count);
            spec.max_per_origin
                .saturating_add(spec.specialists().saturating_sub(kept))
        }
        _ => spec.max_per_origin,
    }
}

/// Every layout of a spec's specialists: multisets of places, each place
/// counted for a nonempty set of requirements (a mask), that count every
/// requirement exactly as often as it asks, using only the masks `usable`
/// admits. `None` when there are more than `limit`.
pub(crate) fn layouts_of(
    spec: &TeamSpec,
    usable: impl Fn(u8) -> bool,
    limit: usize,
) -> Option<Vec<Vec<(SlotKind, u32)>>> {
    fn go(
        masks: &[u8],
        at: usize,
        left: &mut [u32],
        current: &mut Vec<(SlotKind, u32)>,
        out: &mut Vec<Vec<(SlotKind, u32)>>,
        limit: usize,
    ) -> bool {
        if left.iter().all(|&n| n == 0) {
            out.push(current.clone());
            return out.len() <= limit;
        }
        let Some(&mask) = masks.get(at) else {
            return true;
        };
        let bits: Vec<usize> = (0..left.len()).filter(|&i| in_mask(mask, i)).collect();
        let most = bits.iter().map(|&i| left[i]).min().unwrap_or(0);
        // Most of this mask first: the layouts with the fewest places lead.
        for count in (0..=most).rev() {
            for &i in &bits {
                left[i] -= count;
            }
            if count > 0 {
                current.push((specialist_for(mask), count));
            }
            let fine = go(masks, at + 1, left, current, out, limit);
            if count > 0 {
                current.pop();
            }
            for &i in &bits {
                left[i] += count;
            }
            if !fine {
                return false;
            }
        }
        true
    }
    let r = spec.require.len().min(8);
    let all: u8 = if r == 8 { u8::MAX } else { (1u8 << r) - 1 };
    // Masks with more requirements first.
    let mut masks: Vec<u8> = (1..=all).filter(|&m| usable(m)).collect();
    masks.sort_by_key(|&m| (std::cmp::Reverse(m.count_ones()), m));
    let mut left: Vec<u32> = spec.require.iter().take(r).map(|q| q.count).collect();
    let mut out = Vec::new();
    go(&masks, 0, &mut left, &mut Vec::new(), &mut out, limit).then_some(out)
}

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

/// For people meeting the requirements in `held`, a nonempty set of
/// requirements each counts for, so that requirement `i` is counted
/// exactly `left[i]` times; `None` if there is none.
fn cover(held: &[u8], left: &mut [u32]) -> Option<Vec<u8>> {
    let Some((&first, rest)) = held.split_first() else {
        return left.iter().all(|&n| n == 0).then(Vec::new);
    };
    let open = (0..left.len()).fold(0u8, |m, i| {
        if left[i] > 0 && i < 8 {
            m | (1 << i)
        } else {
            m
        }
    });
    let usable = first & open;
    // Larger sets first: people with several skills count for several.
    let mut masks: Vec<u8> = (1..=usable).filter(|&m| m & usable == m).collect();
    masks.sort_by_key(|&m| (Reverse(m.count_ones()), m));
    for mask in masks {
        for i in (0..left.len()).filter(|&i| in_mask(mask, i)) {
            left[i] -= 1;
        }
        let found = cover(rest, left);
        for i in (0..left.len()).filter(|&i| in_mask(mask, i)) {
            left[i] += 1;
        }
        if let Some(mut tail) = found {
            tail.insert(0, mask);
            return Some(tail);
        }
    }
    None
}

/// The next `k`-combination of `0..n` in lexicographic order, in place;
/// `false` after the last.
fn next_combination(pick: &mut [usize], n: usize) -> bool {
    let k = pick.len();
    let Some(i) = (0..k).rev().find(|&i| pick[i] < n - k + i) else {
        return false;
    };
    pick[i] += 1;
    for j in i + 1..k {
        pick[j] = pick[j - 1] + 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SkillRequirement;
    use xuncha_avoid::Skill;

    fn spec(require: &[(Skill, u32)]) -> TeamSpec {
        TeamSpec {
            require: require
                .iter()
                .map(|&(skill, count)| SkillRequirement { skill, count })
                .collect(),
            ..TeamSpec::default()
        }
    }

    #[test]
    fn two_single_requirements_have_two_layouts() {
        let s = spec(&[(Skill::FinanceAudit, 1), (Skill::Law, 1)]);
        let all = layouts_of(&s, |_| true, 10).expect("few");
        assert_eq!(
            all,
            vec![
                vec![(SlotKind::Combined(0b11), 1)],
                vec![(SlotKind::Specialist(0), 1), (SlotKind::Specialist(1), 1)],
            ]
        );
        // Nobody with both skills: only the plain layout.
        let plain = layouts_of(&s, u8::is_power_of_two, 10).expect("few");
        assert_eq!(plain.len(), 1);
    }

    #[test]
    fn every_layout_counts_each_requirement_exactly() {
        let s = spec(&[
            (Skill::FinanceAudit, 2),
            (Skill::Law, 1),
            (Skill::DisciplineInspection, 1),
        ]);
        let all = layouts_of(&s, |_| true, 1_000).expect("few");
        assert!(all.len() > 5);
        for layout in &all {
            let mut counted = [0u32; 3];
            for &(kind, n) in layout {
                let mask = match kind {
                    SlotKind::Specialist(i) => 1u8 << i,
                    SlotKind::Combined(m) => m,
                    other => panic!("{other:?} in a layout"),
                };
                for (i, c) in counted.iter_mut().enumerate() {
                    if in_mask(mask, i) {
                        *c += n;
                    }
                }
            }
            assert_eq!(counted, [2, 1, 1], "{layout:?}");
        }
        let distinct: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        assert!(layouts_of(&s, |_| true, 3).is_none());
    }

    #[test]
    fn cover_counts_each_requirement_exactly_or_says_none() {
        // One person with both skills covers two single requirements.
        assert_eq!(cover(&[0b11], &mut [1, 1]), Some(vec![0b11]));
        // Two people: each counts for one.
        let two = cover(&[0b11, 0b01], &mut [1, 1]).expect("a cover");
        assert_eq!(two.iter().fold(0, |m, x| m | x), 0b11);
        assert!(two.iter().all(|&m| m != 0));
        // Three people for two requirements: someone would count for none.
        assert_eq!(cover(&[0b01, 0b10, 0b01], &mut [1, 1]), None);
        // Law asked twice, one lawyer.
        assert_eq!(cover(&[0b11, 0b01], &mut [1, 2]), None);
    }

    #[test]
    fn combinations_run_in_order() {
        let mut pick = vec![0, 1];
        let mut seen = vec![pick.clone()];
        while next_combination(&mut pick, 4) {
            seen.push(pick.clone());
        }
        assert_eq!(seen.len(), 6);
        assert_eq!(seen.last(), Some(&vec![2, 3]));
    }
}
