//! The objective: what makes one valid plan better than another.

use serde::{Deserialize, Serialize};
use xuncha_avoid::{Person, Rank, Role};
use xuncha_org::{Code, Level};

use crate::TeamSpec;

/// The weights of the staffing objective, all costs to minimise.
///
/// For a person p in role r on the team of target t, the cost is
///
/// ```text
///   soft      × (soft-rule costs of p on t in r, from the rule set)
/// + rank      × (ranks below director, for the leader only)
/// + skill     × (1 if an ordinary member has none of the skills the team asks for)
/// + distance  × (0 same county, 1 same city, 2 same province, 3 farther, origin to target)
/// + workload  × (inspections p took part in before)
/// ```
///
/// plus, per origin county, `balance × (k − 1)` for the k-th person it sends
/// to the round (a convex cost, so that the load spreads across counties).
/// Repeat inspections of the same target are priced by the default
/// `recent-inspection` soft rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Objective {
    /// Weight of soft-rule costs.
    pub soft: i64,
    /// Weight of each rank the leader is below director.
    pub rank: i64,
    /// Weight of an ordinary member without any requested skill.
    pub skill: i64,
    /// Weight of each step of distance from origin to target.
    pub distance: i64,
    /// Weight of each earlier inspection of the person.
    pub workload: i64,
    /// Weight of the convex per-county balance.
    pub balance: i64,
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            soft: 10,
            rank: 20,
            skill: 15,
            distance: 5,
            workload: 3,
            balance: 1,
        }
    }
}

/// The terms of one member's cost, for the record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostTerms {
    /// Soft-rule costs, weighted.
    pub soft: i64,
    /// Leader rank, weighted.
    pub rank: i64,
    /// Skill fit, weighted.
    pub skill: i64,
    /// Distance of origin to target, weighted.
    pub distance: i64,
    /// Past workload, weighted.
    pub workload: i64,
}

impl CostTerms {
    /// The sum of the terms.
    pub fn total(&self) -> i64 {
        self.soft + self.rank + self.skill + self.distance + self.workload
    }
}

/// Steps from an origin county to a target's county: 0 the same county, 1
/// the same city, 2 the same province, 3 farther.
pub fn distance(origin: Code, target: Code) -> i64 {
    if origin.ancestor_at(Level::County) == target.ancestor_at(Level::County) {
        0
    } else if origin.ancestor_at(Level::City) == target.ancestor_at(Level::City) {
        1
    } else if origin.ancestor_at(Level::Province) == target.ancestor_at(Level::Province) {
        2
    } else {
        3
    }
}

impl Objective {
    /// The cost terms of `person` in `role` (an ordinary member when
    /// `ordinary`) on a team with `spec` inspecting a target in
    /// `target_division`, given the soft-rule cost.
    pub fn terms(
        &self,
        person: &Person,
        role: Role,
        ordinary: bool,
        spec: &TeamSpec,
        target_division: Code,
        soft_cost: u64,
    ) -> CostTerms {
        let below_director = (Rank::Director as i64 - person.rank as i64).max(0);
        let lacks_skills =
            !spec.require.is_empty() && !spec.require.iter().any(|r| person.has_skill(r.skill));
        CostTerms {
            soft: self
                .soft
                .saturating_mul(i64::try_from(soft_cost).unwrap_or(i64::MAX)),
            rank: if role == Role::Leader {
                self.rank * below_director
            } else {
                0
            },
            skill: if ordinary && lacks_skills {
                self.skill
            } else {
                0
            },
            distance: self.distance * distance(person.origin, target_division),
            workload: self.workload
                * i64::try_from(person.inspections.len()).unwrap_or(i64::MAX / 4),
        }
    }
}
