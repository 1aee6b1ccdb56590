//! The bottom of staffing: the options, the kinds of slot on a team, where
//! a target lies, and the predicates that say who fits which slot.

use xuncha_avoid::{Engine, Person, Role, Skill, Target};
use xuncha_org::Code;

use crate::{Composition, Objective, TeamSpec};

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
    /// targets is refused before any work ([`Error::Org`](crate::Error::Org) with
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
#[derive(Clone, Debug)]
pub(crate) struct TargetPlace {
    /// The division that stands for it ([`Target::anchor`]: a cluster's
    /// least member).
    pub(crate) division: Code,
    /// Every county it touches ([`Target::counties`]): all count for the
    /// composition.
    pub(crate) counties: Vec<Code>,
}

impl TargetPlace {
    /// The county the rotation sends a whole team to: the least the target
    /// touches.
    pub(crate) fn county(&self) -> Option<Code> {
        self.counties.first().copied()
    }
}

pub(crate) fn target_place(target: &Target, engine: &Engine<'_>) -> Option<TargetPlace> {
    Some(TargetPlace {
        division: target.anchor(engine.units())?,
        counties: target.counties(engine.units()),
    })
}

/// Whether a person of `origin` meets the composition rule for `slot` on a
/// team of `spec` for a target touching `counties`, sent by `inspector`:
/// a person of any county the target touches is "from the target".
pub(crate) fn origin_fits(
    spec: &TeamSpec,
    slot: SlotKind,
    origin: Code,
    counties: &[Code],
    inspector: Option<Code>,
) -> bool {
    let local = counties.contains(&origin);
    match spec.composition {
        Composition::WholeTeam => inspector == Some(origin),
        Composition::Mixed => !local,
        Composition::Longyan => match slot {
            SlotKind::Deputy | SlotKind::Liaison => local,
            _ => !local,
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

/// A team's kinds of slot (`kinds`, from `slots`) in the order its
/// alternates are spread over them: member, specialist, deputy leader,
/// liaison, leader (the slots that fall vacant most often first).
pub(crate) fn alternate_order(kinds: &[(SlotKind, u32)]) -> Vec<SlotKind> {
    let order = |slot: SlotKind| match slot {
        SlotKind::Member => 0,
        SlotKind::Specialist(_) | SlotKind::Combined(_) => 1,
        SlotKind::Deputy => 2,
        SlotKind::Liaison => 3,
        SlotKind::Leader => 4,
    };
    let mut kinds: Vec<SlotKind> = kinds.iter().map(|&(slot, _)| slot).collect();
    kinds.sort_by_key(|&slot| (order(slot), slot));
    kinds
}

/// How many of a team's `k` alternates are readied for each kind of slot:
/// the i-th alternate (from 0) for `order[i mod n]`, so that `k` at least
/// the number of kinds gives every role of the team an alternate, and
/// fewer cover the kinds in `order`. Kinds with none are left out.
pub(crate) fn alternate_demand(order: &[SlotKind], k: u32) -> Vec<(SlotKind, u32)> {
    let n = u32::try_from(order.len()).unwrap_or(u32::MAX);
    if n == 0 {
        return Vec::new();
    }
    order
        .iter()
        .zip(0u32..)
        .map(|(&slot, i)| (slot, k / n + u32::from(i < k % n)))
        .filter(|&(_, count)| count > 0)
        .collect()
}
