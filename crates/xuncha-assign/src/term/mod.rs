//! Term coverage planning (巡察全覆盖): every target of a jurisdiction
//! inspected exactly once in a term, rounds and teams balanced, each round's
//! cross rotation valid.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use xuncha_avoid::Target;
use xuncha_org::{Code, Hierarchy, Level, Units};

mod plan;
mod progress;

pub use plan::{TermChange, plan_term, replan_term};
pub use progress::{
    GroupProgress, LevelProgress, RoundProgress, TermProgress, check_term, term_progress,
};

use crate::Error;
use crate::cluster::{cluster_villages, counties, division};

/// The format version of a term schedule.
pub const TERM_VERSION: u32 = 1;

/// What a term covers. A term of several levels at once (四级联动: city,
/// county, township and village) takes the targets of each
/// ([`term_targets_at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermLevel {
    /// The jurisdiction's own organs: every unit located in a city of the
    /// jurisdiction itself (市直单位), not in one of its counties. Crossed
    /// as a group of their own, the city's.
    City,
    /// Every county of the jurisdiction as a whole (its party committee
    /// and government), and every unit located in a county itself (县直
    /// 单位), not in one of its townships.
    County,
    /// Every village, in clusters (片区) of at most this many villages.
    Village {
        /// The largest cluster.
        cluster_size: usize,
    },
    /// Every township.
    Township,
    /// Every unit located in the jurisdiction.
    Unit,
}

/// One target of a term: a cluster, a township or a unit, and the division
/// whose people it is crossed with (its county under a city's plan, its
/// township under a county's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermTarget {
    /// The target's id: a cluster id, a township code or a unit id.
    pub id: String,
    /// The division it is crossed with.
    pub group: Code,
    /// What is inspected.
    pub target: Target,
    /// The level the target was taken at, in a term of several levels
    /// (四级联动); absent in schedules written before levels were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
}

impl TermLevel {
    /// The division level of the term level's targets: a city's units
    /// are `City`, a county and its units `County`, and so on.
    pub fn level(self) -> Level {
        match self {
            TermLevel::City => Level::City,
            TermLevel::County => Level::County,
            TermLevel::Township => Level::Township,
            TermLevel::Village { .. } | TermLevel::Unit => Level::Village,
        }
    }
}

/// The level at which a jurisdiction's rounds cross: counties under a city
/// or province, townships under a county.
fn crossing_level(jurisdiction: Level) -> Level {
    if jurisdiction >= Level::County {
        Level::Township
    } else {
        Level::County
    }
}

/// Every target of `jurisdiction` at `level`, in code order.
///
/// ```
/// use xuncha_assign::{TermLevel, term_targets};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let townships = term_targets(&fujian, &Units::default(), Code::parse("3504")?, TermLevel::Township)?;
/// assert!(townships.len() > 100); // 三明市
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn term_targets(
    hierarchy: &Hierarchy,
    units: &Units,
    jurisdiction: Code,
    level: TermLevel,
) -> Result<Vec<TermTarget>, Error> {
    let root = division(hierarchy, jurisdiction)?;
    let crossing = crossing_level(root.level());
    let group_of = |code: Code| code.ancestor_at(crossing).unwrap_or(code);
    let unit_target = |u: &xuncha_org::Unit, at: Option<Level>| TermTarget {
        id: u.id.to_string(),
        group: group_of(u.division),
        target: Target::Unit(u.id.clone()),
        level: at,
    };
    Ok(match level {
        TermLevel::City => units
            .units_in(jurisdiction)
            .iter()
            .filter(|u| u.division.level() <= Level::City)
            .map(|u| unit_target(u, Some(Level::City)))
            .collect(),
        TermLevel::County => {
            let mut targets: Vec<TermTarget> = counties(root)
                .into_iter()
                .map(|c| TermTarget {
                    id: c.code().to_string(),
                    group: group_of(c.code()),
                    target: Target::Division(c.code()),
                    level: Some(Level::County),
                })
                .collect();
            targets.extend(
                units
                    .units_in(jurisdiction)
                    .iter()
                    .filter(|u| u.division.level() == Level::County)
                    .map(|u| unit_target(u, Some(Level::County))),
            );
            targets
        }
        TermLevel::Village { cluster_size } => {
            cluster_villages(hierarchy, jurisdiction, cluster_size)?
                .into_iter()
                .map(|c| TermTarget {
                    group: c.villages.first().map_or(c.county, |v| group_of(*v)),
                    id: c.id,
                    target: Target::Cluster(c.villages),
                    level: Some(Level::Village),
                })
                .collect()
        }
        TermLevel::Township => counties(root)
            .into_iter()
            .flat_map(|county| county.children().filter(|d| !d.is_grouping()))
            .filter(|t| root.level() != Level::Township || t.code() == jurisdiction)
            .map(|t| TermTarget {
                id: t.code().to_string(),
                group: group_of(t.code()),
                target: Target::Division(t.code()),
                level: Some(Level::Township),
            })
            .collect(),
        TermLevel::Unit => units
            .units_in(jurisdiction)
            .iter()
            .map(|u| unit_target(u, None))
            .collect(),
    })
}

/// Every target of `jurisdiction` at each of `levels`, level by level: a
/// term of several levels at once (四级联动), each level's targets once.
///
/// ```
/// use xuncha_assign::{TermLevel, term_targets_at};
/// use xuncha_org::{Code, Hierarchy, Level, Units};
///
/// let fujian = Hierarchy::fujian();
/// let levels = [TermLevel::County, TermLevel::Township, TermLevel::Village { cluster_size: 10 }];
/// let targets = term_targets_at(&fujian, &Units::default(), Code::parse("3508")?, &levels)?;
/// let counties = targets.iter().filter(|t| t.level == Some(Level::County)).count();
/// assert_eq!(counties, 7); // 龙岩市's seven counties
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`term_targets`]; [`Error::Term`] for a level named twice, or a
/// level `Unit` beside another (it takes every unit of every level).
pub fn term_targets_at(
    hierarchy: &Hierarchy,
    units: &Units,
    jurisdiction: Code,
    levels: &[TermLevel],
) -> Result<Vec<TermTarget>, Error> {
    let mut seen = Vec::new();
    let mut targets = Vec::new();
    for &level in levels {
        let at = level.level();
        if seen.contains(&at) {
            return Err(Error::Term {
                message: format!(
                    "the level {} is named twice; a term covers each level's targets once",
                    at.as_str()
                ),
            });
        }
        if level == TermLevel::Unit && levels.len() > 1 {
            return Err(Error::Term {
                message: "the level `unit` takes every unit of every level; name city and county (and township, village) instead when a term covers several levels".to_owned(),
            });
        }
        seen.push(at);
        targets.extend(term_targets(hierarchy, units, jurisdiction, level)?);
    }
    Ok(targets)
}

/// The term and its constraints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSpec {
    /// The term's first day.
    pub start: NaiveDate,
    /// The term's last day.
    pub end: NaiveDate,
    /// Rounds a year (1 to 12).
    pub rounds_per_year: u32,
    /// Teams in every round.
    pub teams: usize,
    /// Targets one team takes in one round.
    pub capacity: usize,
    /// Targets that must come early: within the first `early_rounds`
    /// rounds.
    #[serde(default)]
    pub early: Vec<String>,
    /// How many rounds count as early; a year's worth when 0.
    #[serde(default)]
    pub early_rounds: usize,
    /// Pairs of targets that may not share a round.
    #[serde(default)]
    pub apart: Vec<(String, String)>,
    /// The seed of the rotations.
    #[serde(default)]
    pub seed: u64,
}

impl TermSpec {
    /// A spec with no constraints.
    pub fn new(
        start: NaiveDate,
        end: NaiveDate,
        rounds_per_year: u32,
        teams: usize,
        capacity: usize,
    ) -> TermSpec {
        TermSpec {
            start,
            end,
            rounds_per_year,
            teams,
            capacity,
            early: Vec::new(),
            early_rounds: 0,
            apart: Vec::new(),
            seed: 0,
        }
    }

    /// The start of every round: `rounds_per_year` a year, evenly spaced by
    /// months, from `start` while before `end`.
    pub fn round_starts(&self) -> Result<Vec<NaiveDate>, Error> {
        if !(1..=12).contains(&self.rounds_per_year) {
            return Err(Error::Term {
                message: format!(
                    "rounds per year must be 1 to 12, not {}",
                    self.rounds_per_year
                ),
            });
        }
        if self.end < self.start {
            return Err(Error::Term {
                message: format!(
                    "the term ends ({}) before it starts ({})",
                    self.end, self.start
                ),
            });
        }
        let step = 12 / self.rounds_per_year;
        let mut starts = Vec::new();
        for i in 0.. {
            let Some(date) = self.start.checked_add_months(Months::new(step * i)) else {
                break;
            };
            if date > self.end {
                break;
            }
            starts.push(date);
        }
        Ok(starts)
    }
}

/// A target in a round, with its team (numbered from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled {
    /// The target.
    pub target: TermTarget,
    /// The team, from 1.
    pub team: usize,
}

/// One round of a term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRound {
    /// The round's number, from 1.
    pub number: usize,
    /// The day it starts.
    pub start: NaiveDate,
    /// Its targets, by group then id.
    pub targets: Vec<Scheduled>,
    /// Who inspects whom: (inspecting group, inspected group), a single
    /// cycle over the round's groups; empty when they are fewer than
    /// three (no valid cycle exists).
    pub rotation: Vec<(Code, Code)>,
}

/// A term's schedule (JSON, version 1; `docs/formats.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSchedule {
    /// [`TERM_VERSION`].
    pub version: u32,
    /// The spec it was planned under.
    pub spec: TermSpec,
    /// The rounds, in order.
    pub rounds: Vec<TermRound>,
}

impl TermSchedule {
    /// The last day of round `index`: the day before the next round
    /// starts, or the term's last day for the last round.
    pub fn round_end(&self, index: usize) -> Option<NaiveDate> {
        self.rounds.get(index)?;
        match self.rounds.get(index + 1) {
            Some(next) => next.start.pred_opt(),
            None => Some(self.spec.end),
        }
    }

    /// The number of rounds over by `day`: those whose last day
    /// ([`TermSchedule::round_end`]) is before it. A round that has started
    /// but not ended is not done.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_assign::{TermLevel, TermSpec, plan_term, term_targets};
    /// use xuncha_org::{Code, Hierarchy, Units};
    ///
    /// let fujian = Hierarchy::fujian();
    /// let targets = term_targets(&fujian, &Units::default(), Code::parse("3508")?, TermLevel::Township)?;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let schedule = plan_term(&targets, &TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), 2, 7, 3))?;
    /// // Round 5 runs 2024-01-01 to 2024-06-30: started, not over, on 2024-03-01.
    /// assert_eq!(schedule.rounds_done_by(day(2024, 3, 1)), 4);
    /// assert_eq!(schedule.rounds_done_by(day(2024, 7, 1)), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rounds_done_by(&self, day: NaiveDate) -> usize {
        (0..self.rounds.len())
            .take_while(|&i| self.round_end(i).is_some_and(|end| end < day))
            .count()
    }
    /// Reads a term schedule from JSON (version 1).
    ///
    /// # Errors
    ///
    /// [`Error::Term`] with the parser's line and column, or for another
    /// version.
    pub fn from_json(text: &str) -> Result<TermSchedule, Error> {
        let schedule: TermSchedule = serde_json::from_str(text).map_err(|e| Error::Term {
            message: format!("not a term schedule: {e}"),
        })?;
        if schedule.version != TERM_VERSION {
            return Err(Error::Term {
                message: format!(
                    "term schedule version {} is not supported",
                    schedule.version
                ),
            });
        }
        Ok(schedule)
    }

    /// Reads the term schedule JSON at `path` within `limits`.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] for a file that cannot be read or is above the
    /// limits; [`Error::Term`] naming the file, as [`TermSchedule::from_json`].
    pub fn from_json_path(
        path: &std::path::Path,
        limits: &xuncha_org::Limits,
    ) -> Result<TermSchedule, Error> {
        let text = limits.read_to_string(path)?;
        TermSchedule::from_json(&text).map_err(|e| match e {
            Error::Term { message } => Error::Term {
                message: format!("{}: {message}", path.display()),
            },
            other => other,
        })
    }
}
