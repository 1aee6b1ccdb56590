//! The forms of round beyond the plain cross round: where a round's people
//! are drawn from (提级巡察 sends the city's own organs, 对口交叉巡察 the
//! same department of other counties), the short window of a mobile round
//! (机动式巡察), and the inspection a synchronised round accompanies
//! (上借下力 / 下借上势), each checked against the hierarchy and the units.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_avoid::{Person, Place, Rank, Target};
use xuncha_org::{Code, Hierarchy, Level, Units};

use crate::{Error, InspectionMode, Round, RoundTarget};

/// The longest a mobile round (机动式巡察) may last, in days from its
/// date to its end, both counted: a month. Mobile rounds are short
/// (短平快); a longer one is a cross or a regular round.
pub const MOBILE_DAYS: i64 = 31;

/// Where a round's people are drawn from, beyond the pool's rule on their
/// origin: only people who work at a level, or in a department, or both.
///
/// ```toml
/// drawn_from = { works_at = "city" }            # the city's own organs (提级巡察)
/// drawn_from = { department = "same" }          # the target unit's department elsewhere (对口)
/// drawn_from = { works_at = "city", department = "discipline-commission" }
/// ```
///
/// A person works where their `workplace` is: a division, or a unit of the
/// units file (and so its division and its department).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawnFrom {
    /// Only people whose workplace lies at this level: `city` for the
    /// city's organs (市直机关), a unit of the city or the city's
    /// government.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works_at: Option<Level>,
    /// Only people who work in a unit of this department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Department>,
}

impl DrawnFrom {
    /// The city's own organs: what an elevated round (提级巡察) draws from
    /// when its file says nothing.
    pub fn city_organs() -> DrawnFrom {
        DrawnFrom {
            works_at: Some(Level::City),
            department: None,
        }
    }

    /// Whether it draws from everyone the pool admits.
    pub fn is_open(&self) -> bool {
        self.works_at.is_none() && self.department.is_none()
    }
}

/// The department a round's people must work in ([`DrawnFrom::department`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Department {
    /// `same`: the target unit's own department, in another county: a
    /// counterpart round (对口交叉巡察), every 民政局 inspected by people of
    /// the 民政局 of other counties.
    Same,
    /// A department by its id in the units file (`discipline-commission`).
    Named(String),
}

impl From<String> for Department {
    fn from(text: String) -> Department {
        if text == "same" {
            Department::Same
        } else {
            Department::Named(text)
        }
    }
}

impl From<Department> for String {
    fn from(department: Department) -> String {
        match department {
            Department::Same => "same".to_owned(),
            Department::Named(name) => name,
        }
    }
}

/// What body of a round a team is.
///
/// A supervision group (督导组) is a body of the round staffed under the
/// same rules as its teams: its target names the counties whose cross
/// teams it oversees (`350623+350628`), so the avoidances keep off anyone
/// tied to any of them; it is led by an official of the city's discipline
/// commission at division-head level (副处级 or above), and in the ledger
/// it records obstructions and issues criticism notices (通报批评).
///
/// ```toml
/// [[targets]]
/// target = "350623+350628"          # oversees the teams in 漳浦县 and 平和县
/// kind = "supervision-group"
/// team = { members = 1, liaison = false, min_leader_rank = "deputy-director", composition = "mixed" }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TeamKind {
    /// An inspection team (巡察组).
    #[default]
    Inspection,
    /// A supervision group (督导组).
    SupervisionGroup,
}

impl TeamKind {
    /// Whether it is an inspection team.
    pub fn is_inspection(&self) -> bool {
        *self == TeamKind::Inspection
    }

    /// The kind's name in files: `inspection`, `supervision-group`.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::Inspection => "inspection",
            TeamKind::SupervisionGroup => "supervision-group",
        }
    }
}

/// The department of the city's discipline commission (纪委监委) in the
/// units file, whom a supervision group draws from when it names no other.
pub const DISCIPLINE_COMMISSION: &str = "discipline-commission";

/// The least rank of a supervision group's leader: division-head level
/// (副处级 and above).
pub const SUPERVISION_LEADER_RANK: Rank = Rank::DeputyDirector;

/// Whom a round draws for one target ([`Round::drawing`]): the level and
/// the department its people must work in, worked out once for the target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawing {
    works_at: Option<Level>,
    department: Option<String>,
}

impl Drawing {
    /// Whether `person` may be drawn: their workplace lies at the level
    /// and in a unit of the department asked for. Someone with no
    /// workplace on record is drawn only when nothing is asked.
    pub fn admits(&self, person: &Person, units: &Units) -> bool {
        if self.works_at.is_none() && self.department.is_none() {
            return true;
        }
        let Some(place) = &person.workplace else {
            return false;
        };
        let level_ok = self
            .works_at
            .is_none_or(|level| place.division(units).is_some_and(|d| d.level() == level));
        let department_ok = self.department.as_ref().is_none_or(|wanted| {
            matches!(place, Place::Unit(id)
                if units.get(id).and_then(|u| u.department.as_ref()) == Some(wanted))
        });
        level_ok && department_ok
    }

    /// Why `person` may not be drawn, for verification and explanations;
    /// `None` when [`Drawing::admits`] them.
    pub fn refusal(&self, person: &Person, units: &Units) -> Option<String> {
        if self.admits(person, units) {
            return None;
        }
        let mut wanted = Vec::new();
        if let Some(level) = self.works_at {
            wanted.push(format!("at {} level", level.as_str()));
        }
        if let Some(department) = &self.department {
            wanted.push(format!("in a unit of the department {department}"));
        }
        let place = person
            .workplace
            .as_ref()
            .map_or_else(|| "no workplace on record".to_owned(), Place::to_string);
        Some(format!(
            "the round draws people who work {}, and {} works at {place}",
            wanted.join(" and "),
            person.id
        ))
    }
}

/// The inspection a synchronised round accompanies (上借下力 / 下借上势),
/// and the window it keeps.
///
/// While the province inspects some counties, the city sends cross teams
/// to those counties' direct units (县直单位) and small towns in the same
/// window (上借下力: `counties`); while the city inspects its departments,
/// the counties inspect their counterparts (下借上势: `departments`).
///
/// ```toml
/// [accompanies]
/// id = "fujian-2026-xunshi-1"
/// by = "province"
/// from = "2026-03-01"
/// to = "2026-04-30"
/// counties = ["350628", "350627"]
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accompanies {
    /// The accompanied inspection's id.
    pub id: String,
    /// Who runs it: the province (巡视) or the city (巡察).
    pub by: Level,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// The counties it inspects: the round's targets are their direct
    /// units and their townships.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counties: Vec<Code>,
    /// The departments it inspects: the round's targets are units of the
    /// same departments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
}

impl Round {
    /// Where the round draws its people from: its `drawn_from`, or for an
    /// elevated round that names none the city's own organs.
    pub fn drawn_from(&self) -> DrawnFrom {
        match (&self.drawn_from, self.mode) {
            (Some(drawn), _) => drawn.clone(),
            (None, InspectionMode::Elevated) => DrawnFrom::city_organs(),
            (None, _) => DrawnFrom::default(),
        }
    }

    /// Whom the round draws for `target`: the target's own `drawn_from`,
    /// else a supervision group's city discipline commission, else
    /// [`Round::drawn_from`]; the department `same` read as the target
    /// unit's own. Finds the target's entry among the round's (a linear
    /// search): where the entry is at hand, [`Round::drawing_for`].
    pub fn drawing(&self, target: &Target, units: &Units) -> Drawing {
        match self.targets.iter().find(|t| t.target == *target) {
            Some(entry) => self.drawing_for(entry, units),
            None => Self::drawing_with(self.drawn_from(), target, units),
        }
    }

    /// Whom the round draws for its entry `entry` (one of
    /// [`Round::targets`]), as [`Round::drawing`] says.
    pub fn drawing_for(&self, entry: &RoundTarget, units: &Units) -> Drawing {
        Self::drawing_with(self.drawn_for(entry), &entry.target, units)
    }

    /// `drawn` for `target`, the department `same` read as the target
    /// unit's own.
    fn drawing_with(drawn: DrawnFrom, target: &Target, units: &Units) -> Drawing {
        let department = match drawn.department {
            None => None,
            Some(Department::Named(name)) => Some(name),
            Some(Department::Same) => target_department(target, units)
                // A target of no department draws nobody: a clear
                // infeasibility, never everyone.
                .or_else(|| Some(String::new())),
        };
        Drawing {
            works_at: drawn.works_at,
            department,
        }
    }

    /// Whom `entry` of the round is drawn from: its own `drawn_from`, else a
    /// supervision group's city discipline commission, else the round's
    /// ([`Round::drawn_from`]).
    fn drawn_for(&self, entry: &RoundTarget) -> DrawnFrom {
        match entry {
            RoundTarget {
                drawn_from: Some(drawn),
                ..
            } => drawn.clone(),
            RoundTarget {
                kind: TeamKind::SupervisionGroup,
                ..
            } => DrawnFrom {
                works_at: Some(Level::City),
                department: Some(Department::Named(DISCIPLINE_COMMISSION.to_owned())),
            },
            _ => self.drawn_from(),
        }
    }

    /// Checks what each form asks of the round against the hierarchy and
    /// the units: an end not before the date; a mobile round short
    /// ([`MOBILE_DAYS`]) and below county level; a counterpart round's
    /// targets units of a department; a named department one the units
    /// have; a synchronised round within the accompanied inspection's
    /// window and on its counties' direct units and townships, or on units
    /// of its departments.
    ///
    /// # Errors
    ///
    /// [`Error::Round`] naming `file`, the field and the target.
    pub fn check_forms(
        &self,
        hierarchy: &Hierarchy,
        units: &Units,
        file: &Path,
    ) -> Result<(), Error> {
        let fail = |message: String| Error::Round {
            file: file.to_path_buf(),
            message,
        };
        if let Some(end) = self.end
            && end < self.date
        {
            return Err(fail(format!(
                "end: {end} is before the round's date {}",
                self.date
            )));
        }
        if self.mode == InspectionMode::Mobile {
            self.check_mobile(units).map_err(fail)?;
        }
        for (i, entry) in self.targets.iter().enumerate() {
            let own = entry.drawn_from.is_some();
            let field = if own {
                format!("targets[{i}].drawn_from")
            } else {
                "drawn_from".to_owned()
            };
            // A supervision group's own default (the city's discipline
            // commission) is checked, with its own message, by
            // `check_supervision`.
            let by_default = entry.kind == TeamKind::SupervisionGroup && !own;
            let drawn = if by_default {
                DrawnFrom::default()
            } else {
                self.drawn_for(entry)
            };
            match &drawn.department {
                Some(Department::Same)
                    if entry.kind == TeamKind::Inspection
                        && target_department(&entry.target, units).is_none() =>
                {
                    return Err(fail(format!(
                        "targets[{i}]: {} is not a unit of a department, and {field}.department = \"same\" (a counterpart round) inspects units by their department; give the unit a department in the units file",
                        entry.target
                    )));
                }
                Some(Department::Named(name))
                    if !units.iter().any(|u| u.department.as_deref() == Some(name)) =>
                {
                    return Err(fail(format!(
                        "{field}.department: no unit of the units file belongs to the department {name:?}"
                    )));
                }
                _ => {}
            }
            if entry.kind == TeamKind::SupervisionGroup {
                self.check_supervision(i, units).map_err(fail)?;
            }
        }
        if let Some(accompanies) = &self.accompanies {
            self.check_accompanies(accompanies, hierarchy, units)
                .map_err(|m| fail(format!("accompanies: {m}")))?;
        }
        Ok(())
    }

    /// A supervision group oversees counties the round's teams inspect,
    /// is led at division-head level, and, drawing from the discipline
    /// commission by default, needs the units file to have one.
    fn check_supervision(&self, i: usize, units: &Units) -> Result<(), String> {
        let entry = &self.targets[i];
        let overseen = entry.target.counties(units);
        if overseen.is_empty() || matches!(entry.target, Target::Unit(_)) {
            return Err(format!(
                "targets[{i}]: a supervision group's target names the counties whose teams it oversees (\"350623+350628\"), not {}",
                entry.target
            ));
        }
        for county in &overseen {
            let inspected = self.targets.iter().any(|t| {
                t.kind == TeamKind::Inspection && t.target.counties(units).contains(county)
            });
            if !inspected {
                return Err(format!(
                    "targets[{i}]: the supervision group oversees {county}, where no team of the round inspects"
                ));
            }
        }
        let rank = self.spec(i).min_leader_rank;
        if rank.is_none_or(|r| r < SUPERVISION_LEADER_RANK) {
            return Err(format!(
                "targets[{i}]: a supervision group is led at division-head level; give its team min_leader_rank = \"{}\" or above",
                SUPERVISION_LEADER_RANK.as_str()
            ));
        }
        if entry.drawn_from.is_none()
            && !units.iter().any(|u| {
                u.department.as_deref() == Some(DISCIPLINE_COMMISSION)
                    && u.division.level() == Level::City
            })
        {
            return Err(format!(
                "targets[{i}]: a supervision group draws from the city's discipline commission, and no city unit of the units file has department = \"{DISCIPLINE_COMMISSION}\"; add it, or give the group its own drawn_from"
            ));
        }
        Ok(())
    }

    fn check_mobile(&self, units: &Units) -> Result<(), String> {
        let Some(end) = self.end else {
            return Err(format!(
                "mode = \"mobile\": a mobile round (机动式巡察) is short; give its end (end = \"YYYY-MM-DD\", at most {MOBILE_DAYS} days from its date)"
            ));
        };
        let days = (end - self.date).num_days() + 1;
        if days > MOBILE_DAYS {
            return Err(format!(
                "end: a mobile round lasts at most {MOBILE_DAYS} days, and {} to {end} is {days}; make it a cross round",
                self.date
            ));
        }
        for (i, entry) in self.targets.iter().enumerate() {
            let divisions = entry.target.divisions(units);
            if divisions.is_empty() || divisions.iter().any(|d| d.level() <= Level::County) {
                return Err(format!(
                    "targets[{i}]: {} is not below county level; a mobile round inspects townships, villages and their units",
                    entry.target
                ));
            }
        }
        Ok(())
    }

    fn check_accompanies(
        &self,
        accompanies: &Accompanies,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<(), String> {
        if accompanies.by > Level::City {
            return Err(format!(
                "by: the province or a city runs the inspection a round accompanies, not a {}",
                accompanies.by.as_str()
            ));
        }
        if accompanies.to < accompanies.from {
            return Err(format!(
                "to: {} is before from {}",
                accompanies.to, accompanies.from
            ));
        }
        let Some(end) = self.end else {
            return Err(
                "the round keeps the accompanied inspection's window; give its end (end = \"YYYY-MM-DD\")"
                    .to_owned(),
            );
        };
        if self.date < accompanies.from || end > accompanies.to {
            return Err(format!(
                "the round runs {} to {end}, outside {}'s window {} to {}",
                self.date, accompanies.id, accompanies.from, accompanies.to
            ));
        }
        if accompanies.counties.is_empty() && accompanies.departments.is_empty() {
            return Err(
                "name the counties the inspection inspects (上借下力) or its departments (下借上势)"
                    .to_owned(),
            );
        }
        for county in &accompanies.counties {
            match hierarchy.get(*county) {
                Some(d) if d.level() == Level::County => {}
                Some(d) => {
                    return Err(format!("counties: {county} {} is not a county", d.name()));
                }
                None => {
                    return Err(format!(
                        "counties: no division has code {county} in {}",
                        hierarchy.source()
                    ));
                }
            }
        }
        for (i, entry) in self.targets.iter().enumerate() {
            if !accompanies.counties.is_empty()
                && !in_counties(&entry.target, &accompanies.counties, units)
            {
                return Err(format!(
                    "targets[{i}]: {} is not a direct unit or a township of the counties {} inspects",
                    entry.target, accompanies.id
                ));
            }
            if !accompanies.departments.is_empty()
                && !target_department(&entry.target, units)
                    .is_some_and(|d| accompanies.departments.contains(&d))
            {
                return Err(format!(
                    "targets[{i}]: {} is not a unit of the departments {} inspects ({})",
                    entry.target,
                    accompanies.id,
                    accompanies.departments.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The department of a unit target.
fn target_department(target: &Target, units: &Units) -> Option<String> {
    match target {
        Target::Unit(id) => units.get(id).and_then(|u| u.department.clone()),
        _ => None,
    }
}

/// Whether `target` is a direct unit (a unit sitting in the county itself)
/// or a township of one of `counties`, or units and townships below them.
fn in_counties(target: &Target, counties: &[Code], units: &Units) -> bool {
    let divisions = target.divisions(units);
    let direct_or_town = match target {
        Target::Unit(_) => divisions.iter().all(|d| d.level() >= Level::County),
        _ => divisions.iter().all(|d| d.level() >= Level::Township),
    };
    direct_or_town
        && !divisions.is_empty()
        && divisions
            .iter()
            .all(|d| counties.iter().any(|c| c.contains(*d)))
}
