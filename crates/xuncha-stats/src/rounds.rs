//! What the plans say about each round: its inspection mode, its date and
//! the targets its teams inspected. Records carry a round id; this is how
//! they are tagged with a mode and given an exposure.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_avoid::Target;
use xuncha_org::{Code, Level};
use xuncha_round::{InspectionMode, Plan, Round};

use crate::Error;

/// One team's target, as a plan gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamTarget {
    /// The team's id (round id and target).
    pub team: String,
    /// The target, as text (`350628`, `unit:…`, `a+b`).
    pub target: String,
    /// The division the target lies in, when it is a division or a cluster
    /// (its first member); `None` for a unit.
    pub division: Option<Code>,
}

impl TeamTarget {
    /// The county the target lies in, if known.
    pub fn county(&self) -> Option<Code> {
        self.division.and_then(county_of)
    }
}

/// The county-level ancestor of a code (itself for a county).
pub(crate) fn county_of(code: Code) -> Option<Code> {
    if code.level() == Level::County {
        Some(code)
    } else {
        code.ancestor_at(Level::County)
    }
}

/// What is known of one round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInfo {
    /// The inspection mode: from the round file when there is one, else
    /// inferred from the plan (see [`Rounds::add_plan`]).
    pub mode: Option<InspectionMode>,
    /// The round's date.
    pub date: Option<NaiveDate>,
    /// The theme of a themed round (专项巡察), from the round file: its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The teams' targets, from the plan; empty without one.
    pub teams: Vec<TeamTarget>,
}

/// Rounds by id: the mapping from a record's round to its mode and its
/// teams.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_round::{InspectionMode, Round};
/// use xuncha_org::Code;
/// use xuncha_stats::Rounds;
///
/// let mut rounds = Rounds::default();
/// let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// rounds.add_round(&Round::cross("2026-1", date, [Code::parse("350628")?]));
/// assert_eq!(rounds.mode("2026-1"), Some(InspectionMode::Cross));
/// assert_eq!(rounds.mode("other"), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounds {
    /// The rounds.
    pub rounds: BTreeMap<String, RoundInfo>,
}

impl Rounds {
    /// Reads every plan (`*.json` with a `teams` field) and round file
    /// (`*.toml` with a `targets` field) in `dir`, in name order; other
    /// files (rosters, rules, reports) are skipped. A round file's mode wins
    /// over a plan's inferred one.
    pub fn from_dir(dir: &Path) -> Result<Rounds, Error> {
        let io = |source| Error::Io {
            path: dir.to_owned(),
            source,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        paths.sort();
        let mut rounds = Rounds::default();
        let mut round_files = Vec::new();
        for path in paths {
            let name = path.display().to_string();
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => {
                    let text = xuncha_org::Limits::default().read_to_string(&path)?;
                    let is_plan = serde_json::from_str::<serde_json::Value>(&text)
                        .is_ok_and(|v| v.get("teams").is_some());
                    if !is_plan {
                        continue;
                    }
                    let plan = Plan::from_json(&text).map_err(|e| Error::Input {
                        file: name,
                        line: 0,
                        message: format!("not a plan: {e}"),
                    })?;
                    rounds.add_plan(&plan);
                }
                Some("toml") => {
                    let text = xuncha_org::Limits::default().read_to_string(&path)?;
                    let is_round = toml::from_str::<toml::Table>(&text)
                        .is_ok_and(|t| t.contains_key("targets"));
                    if !is_round {
                        continue;
                    }
                    let round = Round::from_path(&path).map_err(|e| Error::Input {
                        file: name,
                        line: 0,
                        message: format!("not a round file: {e}"),
                    })?;
                    round_files.push(round);
                }
                _ => {}
            }
        }
        for round in &round_files {
            rounds.add_round(round);
        }
        Ok(rounds)
    }

    /// Adds a round file: its mode and date (and its targets, when no plan
    /// gave teams).
    pub fn add_round(&mut self, round: &Round) {
        let info = self.rounds.entry(round.id.clone()).or_default();
        info.mode = Some(round.mode);
        info.date = Some(round.date);
        info.theme = round.theme.as_ref().map(|t| t.id.clone());
        if info.teams.is_empty() {
            info.teams = round
                .targets
                .iter()
                .map(|t| team_target(&format!("{}/{}", round.id, t.target), &t.target))
                .collect();
        }
    }

    /// Adds a plan: its date, its teams' targets, and a mode inferred when
    /// no round file gave one: cross when the plan has a rotation, a team
    /// sent by another county, or a member whose origin county is not the
    /// target's; regular when every member comes from the target's county.
    pub fn add_plan(&mut self, plan: &Plan) {
        let info = self.rounds.entry(plan.round.clone()).or_default();
        info.date = Some(plan.date);
        info.teams = plan
            .teams
            .iter()
            .map(|t| team_target(&t.id, &t.target))
            .collect();
        if info.mode.is_none() {
            let crossed = !plan.rotation.is_empty()
                || plan.teams.iter().any(|t| {
                    let county = team_target(&t.id, &t.target).county();
                    t.inspector.is_some_and(|i| Some(i) != county)
                        || t.members.iter().any(|m| county_of(m.origin) != county)
                });
            info.mode = Some(if crossed {
                InspectionMode::Cross
            } else {
                InspectionMode::Regular
            });
        }
    }

    /// Sets a round's mode by hand.
    pub fn set_mode(&mut self, round: &str, mode: InspectionMode) {
        self.rounds.entry(round.to_owned()).or_default().mode = Some(mode);
    }

    /// A round's theme (its id), if it has one.
    pub fn theme(&self, round: &str) -> Option<&str> {
        self.rounds.get(round).and_then(|r| r.theme.as_deref())
    }

    /// A round's mode, if known.
    pub fn mode(&self, round: &str) -> Option<InspectionMode> {
        self.rounds.get(round).and_then(|r| r.mode)
    }

    /// Whether no round is known.
    pub fn is_empty(&self) -> bool {
        self.rounds.is_empty()
    }
}

fn team_target(team: &str, target: &Target) -> TeamTarget {
    let division = match target {
        Target::Division(code) => Some(*code),
        Target::Cluster(codes) => codes.first().copied(),
        Target::Unit(_) => None,
    };
    TeamTarget {
        team: team.to_owned(),
        target: target.to_string(),
        division,
    }
}
