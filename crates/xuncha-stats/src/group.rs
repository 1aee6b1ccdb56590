//! Groupings (by city, county, round, team or mode) and date ranges.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};
use xuncha_round::InspectionMode;

use xuncha_round::mode_name;

/// The label of records whose group is not known (no round file or plan
/// gave the mode, or a unit that is not a division code).
pub const UNKNOWN: &str = "unknown";

/// How records are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// One group: everything.
    All,
    /// By province (省), from the county: the groups of a national
    /// season.
    Province,
    /// By prefecture-level city (设区市), from the county.
    City,
    /// By inspected county.
    County,
    /// By round.
    Round,
    /// By team (`round/target`).
    Team,
    /// By inspection mode (regular, cross, ...).
    Mode,
    /// By the theme of a themed round (专项巡察: `poverty`, ...), from the
    /// round files; `unknown` for a round without one.
    Theme,
}

impl By {
    /// The grouping's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            By::All => "all",
            By::Province => "province",
            By::City => "city",
            By::County => "county",
            By::Round => "round",
            By::Team => "team",
            By::Mode => "mode",
            By::Theme => "theme",
        }
    }

    /// The group's label for a record with these attributes.
    pub(crate) fn label(self, tags: &Tags<'_>) -> String {
        match self {
            By::All => "all".to_owned(),
            By::Province => tags
                .county
                .and_then(|c| c.ancestor_at(Level::Province))
                .map_or_else(|| UNKNOWN.to_owned(), |c| c.to_string()),
            By::City => tags
                .county
                .and_then(|c| c.ancestor_at(Level::City))
                .map_or_else(|| UNKNOWN.to_owned(), |c| c.to_string()),
            By::County => tags
                .county
                .map_or_else(|| UNKNOWN.to_owned(), |c| c.to_string()),
            By::Round => tags.round.unwrap_or(UNKNOWN).to_owned(),
            By::Team => tags.team.map_or_else(
                || match (tags.round, tags.county) {
                    (Some(r), Some(c)) => format!("{r}/{c}"),
                    _ => UNKNOWN.to_owned(),
                },
                str::to_owned,
            ),
            By::Mode => tags.mode.map_or(UNKNOWN, mode_name).to_owned(),
            By::Theme => tags.theme.unwrap_or(UNKNOWN).to_owned(),
        }
    }
}

impl fmt::Display for By {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for By {
    type Err = String;

    fn from_str(s: &str) -> Result<By, String> {
        Ok(match s {
            "all" => By::All,
            "province" => By::Province,
            "city" => By::City,
            "county" => By::County,
            "round" => By::Round,
            "team" => By::Team,
            "mode" => By::Mode,
            "theme" => By::Theme,
            _ => {
                return Err(format!(
                    "`{s}` is not a grouping: use all, province, city, county, round, team, mode or theme"
                ));
            }
        })
    }
}

/// The attributes a record is grouped by.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tags<'a> {
    pub(crate) county: Option<Code>,
    pub(crate) round: Option<&'a str>,
    pub(crate) team: Option<&'a str>,
    pub(crate) mode: Option<InspectionMode>,
    pub(crate) theme: Option<&'a str>,
}

/// A range of days, both ends included; an open end is unbounded.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_stats::DateRange;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let q1 = DateRange::new(Some(d(1, 1)), Some(d(3, 31)));
/// assert!(q1.contains(d(3, 31)) && !q1.contains(d(4, 1)));
/// assert!(DateRange::all().contains(d(4, 1)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    /// The first day, if bounded.
    pub from: Option<NaiveDate>,
    /// The last day, if bounded.
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// A range.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> DateRange {
        DateRange { from, to }
    }

    /// Every day.
    pub fn all() -> DateRange {
        DateRange::default()
    }

    /// Whether `day` is in the range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }

    /// Whether `day` is on or before the range's last day.
    pub fn not_after_end(&self, day: NaiveDate) -> bool {
        self.to.is_none_or(|t| day <= t)
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from.is_none() && self.to.is_none() {
            return f.write_str("all dates");
        }
        let end = |d: Option<NaiveDate>| d.map_or_else(|| "…".to_owned(), |d| d.to_string());
        write!(f, "{} – {}", end(self.from), end(self.to))
    }
}
