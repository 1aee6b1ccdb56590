//! Team roles (组长 / 副组长 / 联络员 / 组员) and sets of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A role within an inspection team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 组长: the team leader.
    Leader,
    /// 副组长: the deputy leader.
    DeputyLeader,
    /// 联络员: the liaison.
    Liaison,
    /// 组员: a member.
    Member,
}

impl Role {
    /// Every role, leader first.
    pub const ALL: [Role; 4] = [
        Role::Leader,
        Role::DeputyLeader,
        Role::Liaison,
        Role::Member,
    ];

    /// The role's name in files: `leader`, `deputy-leader`, `liaison`, `member`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::DeputyLeader => "deputy-leader",
            Role::Liaison => "liaison",
            Role::Member => "member",
        }
    }

    /// The role's Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Role::Leader => "组长",
            Role::DeputyLeader => "副组长",
            Role::Liaison => "联络员",
            Role::Member => "组员",
        }
    }

    /// The role's position in [`Role::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    /// Parses `leader`, `deputy-leader`, `liaison` or `member`, or the
    /// Chinese names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "leader" | "组长" => Ok(Role::Leader),
            "deputy-leader" | "deputy" | "副组长" => Ok(Role::DeputyLeader),
            "liaison" | "联络员" => Ok(Role::Liaison),
            "member" | "组员" => Ok(Role::Member),
            other => Err(format!(
                "unknown role {other:?}: expected leader, deputy-leader, liaison or member"
            )),
        }
    }
}

/// A set of roles, as a bit set.
///
/// ```
/// use xuncha_avoid::{Role, RoleSet};
/// let set = RoleSet::from_roles(&[Role::Leader, Role::Member]);
/// assert!(set.contains(Role::Member));
/// assert!(!set.contains(Role::Liaison));
/// assert_eq!(RoleSet::ALL.iter().count(), 4);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u8);

impl RoleSet {
    /// No roles.
    pub const EMPTY: RoleSet = RoleSet(0);
    /// Every role.
    pub const ALL: RoleSet = RoleSet(0b1111);

    /// The set of the given roles.
    pub fn from_roles(roles: &[Role]) -> RoleSet {
        RoleSet(roles.iter().fold(0, |bits, r| bits | r.bit()))
    }

    /// Whether `role` is in the set.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set with `role` added.
    #[must_use]
    pub fn with(self, role: Role) -> RoleSet {
        RoleSet(self.0 | role.bit())
    }

    /// The union of two sets.
    #[must_use]
    pub fn union(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 | other.0)
    }

    /// The roles in the set, leader first.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl Serialize for RoleSet {
    /// A list of role names.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for RoleSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let roles = Vec::<Role>::deserialize(deserializer)?;
        Ok(RoleSet::from_roles(&roles))
    }
}
