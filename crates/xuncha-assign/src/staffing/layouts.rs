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
use std::collections::HashMap;

use crate::TeamSpec;
use crate::staffing::slots::{SlotKind, in_mask, specialist_for};

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
pub(crate) const MAX_LAYOUTS: usize = 1_000;

/// Designations of one relaxed team tried at most before branching on it
/// instead (which stays exact).
pub(crate) const MAX_DESIGNATIONS: usize = 100_000;

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

/// For people meeting the requirements in `held`, a nonempty set of
/// requirements each counts for, so that requirement `i` is counted
/// exactly `left[i]` times; `None` if there is none.
pub(crate) fn cover(held: &[u8], left: &mut [u32]) -> Option<Vec<u8>> {
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
pub(crate) fn next_combination(pick: &mut [usize], n: usize) -> bool {
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
