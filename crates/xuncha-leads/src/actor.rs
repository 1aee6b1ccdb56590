//! Who issues commands: actors and their roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The role an actor holds when issuing a command; each command checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorRole {
    /// 巡察组组员: a member of an inspection team.
    TeamMember,
    /// 巡察组组长: the leader of an inspection team.
    TeamLeader,
    /// 巡察办: the inspection office.
    InspectionOffice,
    /// 纪委监委承办人: a handler at the discipline commission (or at the
    /// body a lead was transferred to).
    DisciplineHandler,
    /// 巡察工作领导小组: the leading group.
    LeadingGroup,
    /// 督导组: a supervision group of the round, led by an official of the
    /// city's discipline commission; it records obstructions and issues
    /// criticism notices (通报批评) to units that do not cooperate.
    SupervisionGroup,
}

impl ActorRole {
    /// Every role.
    pub const ALL: [ActorRole; 6] = [
        ActorRole::TeamMember,
        ActorRole::TeamLeader,
        ActorRole::InspectionOffice,
        ActorRole::DisciplineHandler,
        ActorRole::LeadingGroup,
        ActorRole::SupervisionGroup,
    ];

    /// The role's name in files: `team-member`, `team-leader`,
    /// `inspection-office`, `discipline-handler`, `leading-group`,
    /// `supervision-group`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorRole::TeamMember => "team-member",
            ActorRole::TeamLeader => "team-leader",
            ActorRole::InspectionOffice => "inspection-office",
            ActorRole::DisciplineHandler => "discipline-handler",
            ActorRole::LeadingGroup => "leading-group",
            ActorRole::SupervisionGroup => "supervision-group",
        }
    }

    /// The role's Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            ActorRole::TeamMember => "巡察组组员",
            ActorRole::TeamLeader => "巡察组组长",
            ActorRole::InspectionOffice => "巡察办",
            ActorRole::DisciplineHandler => "纪委监委承办人",
            ActorRole::LeadingGroup => "巡察工作领导小组",
            ActorRole::SupervisionGroup => "督导组",
        }
    }
}

impl fmt::Display for ActorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that names no role.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}`: expected team-member, team-leader, inspection-office, discipline-handler, leading-group or supervision-group"
)]
pub struct ParseRoleError(pub String);

impl FromStr for ActorRole {
    type Err = ParseRoleError;

    fn from_str(text: &str) -> Result<ActorRole, ParseRoleError> {
        ActorRole::ALL
            .into_iter()
            .find(|role| role.as_str() == text || role.chinese() == text)
            .ok_or_else(|| ParseRoleError(text.to_owned()))
    }
}

/// Who issues a command: an id (a person id where the person is in the
/// roster) and the role they act in.
///
/// The ledger trusts the caller to have authenticated the actor; it checks
/// that the role may issue the command and, for handlers, that they hold the
/// lead.
///
/// ```
/// use xuncha_leads::{Actor, ActorRole};
/// let office = Actor::new("office-3506", ActorRole::InspectionOffice);
/// assert_eq!(office.to_string(), "office-3506 (inspection-office)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// The actor's id.
    pub id: String,
    /// The role they act in.
    pub role: ActorRole,
}

impl Actor {
    /// An actor.
    pub fn new(id: impl Into<String>, role: ActorRole) -> Actor {
        Actor {
            id: id.into(),
            role,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_in_english_and_chinese() {
        for role in ActorRole::ALL {
            assert_eq!(role.as_str().parse(), Ok(role));
            assert_eq!(role.chinese().parse(), Ok(role));
        }
        assert!("janitor".parse::<ActorRole>().is_err());
    }
}
