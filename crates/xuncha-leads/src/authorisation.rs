//! Two-level authorisation (市县两级授权): a cross team's leader and deputy
//! authorised by the city's committee and by the inspected county's, each
//! authorisation recorded in the ledger, so the team answers to both.

use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};

use crate::Error;

/// The post on a team an authorisation confers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TeamPost {
    /// 组长: the team's leader.
    Leader,
    /// 副组长: the deputy leader.
    DeputyLeader,
}

impl TeamPost {
    /// The post's name in files: `leader`, `deputy-leader`.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamPost::Leader => "leader",
            TeamPost::DeputyLeader => "deputy-leader",
        }
    }

    /// The post's Chinese name: 组长, 副组长.
    pub fn chinese(self) -> &'static str {
        match self {
            TeamPost::Leader => "组长",
            TeamPost::DeputyLeader => "副组长",
        }
    }
}

impl std::fmt::Display for TeamPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for TeamPost {
    type Err = Error;

    fn from_str(text: &str) -> Result<TeamPost, Error> {
        [TeamPost::Leader, TeamPost::DeputyLeader]
            .into_iter()
            .find(|p| p.as_str() == text || p.chinese() == text)
            .ok_or_else(|| Error::OutOfRange {
                what: "a team post",
                found: text.to_owned(),
                why: "expected leader (组长) or deputy-leader (副组长): only they are authorised at two levels".to_owned(),
            })
    }
}

/// What an office asks to record: a person authorised for a post on a
/// team by the committee of one level ([`Action::Authorise`](crate::Action::Authorise)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationRequest {
    /// The round.
    pub round: String,
    /// The team, as the plan names it (`2026-1/350628`).
    pub team: String,
    /// What the team inspects: a county, or a division or unit's division
    /// within one. The county's committee is the one that authorises at
    /// county level.
    pub target: Code,
    /// The person authorised (a roster id).
    pub person: String,
    /// The post.
    pub post: TeamPost,
    /// The level whose committee authorises: `city` (the city committee,
    /// the ledger's city) or `county` (the inspected county's committee).
    pub by: Level,
}

/// An authorisation recorded in the ledger: the request, with the
/// committee that gave it worked out from the ledger's jurisdiction and
/// the target (never taken from the caller).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorisation {
    /// The record's id: `team/person/level`.
    pub id: String,
    /// The round.
    pub round: String,
    /// The team.
    pub team: String,
    /// What the team inspects.
    pub target: Code,
    /// The person authorised.
    pub person: String,
    /// The post.
    pub post: TeamPost,
    /// The level whose committee authorised.
    pub by: Level,
    /// The committee's division: the city's code, or the inspected
    /// county's.
    pub committee: Code,
}

impl Authorisation {
    /// The id of the authorisation of `person` on `team` by `by`'s
    /// committee.
    pub fn id_of(team: &str, person: &str, by: Level) -> String {
        format!("{team}/{person}/{}", by.as_str())
    }

    /// The ids the authorisations of `person` on `team` can have: by the
    /// city's committee, then by the county's.
    pub fn ids_on(team: &str, person: &str) -> [String; 2] {
        [Level::City, Level::County].map(|by| Authorisation::id_of(team, person, by))
    }

    /// The authorisation `request` makes in a ledger of `jurisdiction`:
    /// the committee is the jurisdiction's city for `by = city`, the
    /// target's county for `by = county`.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a level other than city or county, a
    /// target outside the jurisdiction, or a county authorisation for a
    /// target above county level.
    pub fn of(request: &AuthorisationRequest, jurisdiction: Code) -> Result<Authorisation, Error> {
        if !jurisdiction.contains(request.target) {
            return Err(Error::OutOfRange {
                what: "the team's target",
                found: request.target.to_string(),
                why: format!("the ledger serves {jurisdiction}, and the target lies outside it"),
            });
        }
        let committee = match request.by {
            Level::City => request.target.ancestor_at(Level::City),
            Level::County => request.target.ancestor_at(Level::County),
            other => {
                return Err(Error::OutOfRange {
                    what: "the authorising level",
                    found: other.as_str().to_owned(),
                    why: "two-level authorisation (市县两级授权) is by the city's committee and the inspected county's: city or county".to_owned(),
                });
            }
        };
        let committee = committee.ok_or_else(|| Error::OutOfRange {
            what: "the team's target",
            found: request.target.to_string(),
            why: format!(
                "a {} committee authorises a team inspecting within its {}; {} lies above that level",
                request.by.as_str(),
                request.by.as_str(),
                request.target
            ),
        })?;
        Ok(Authorisation {
            id: Authorisation::id_of(&request.team, &request.person, request.by),
            round: request.round.clone(),
            team: request.team.clone(),
            target: request.target,
            person: request.person.clone(),
            post: request.post,
            by: request.by,
            committee,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, by: Level) -> AuthorisationRequest {
        AuthorisationRequest {
            round: "2026-1".into(),
            team: format!("2026-1/{target}"),
            target: Code::parse(target).unwrap(),
            person: "P7".into(),
            post: TeamPost::Leader,
            by,
        }
    }

    #[test]
    fn the_committee_is_the_citys_or_the_inspected_countys_never_the_callers() {
        let putian = Code::parse("3503").unwrap();
        let city = Authorisation::of(&request("350322001", Level::City), putian).unwrap();
        assert_eq!(city.committee, putian);
        let county = Authorisation::of(&request("350322001", Level::County), putian).unwrap();
        assert_eq!(county.committee, Code::parse("350322").unwrap());
        assert_eq!(county.id, "2026-1/350322001/P7/county");
        assert!(Authorisation::of(&request("350322", Level::Township), putian).is_err());
        assert!(Authorisation::of(&request("3503", Level::County), putian).is_err());
        assert!(Authorisation::of(&request("350628", Level::City), putian).is_err());
        assert_eq!(
            "副组长".parse::<TeamPost>().unwrap(),
            TeamPost::DeputyLeader
        );
        assert!("member".parse::<TeamPost>().is_err());
    }
}
