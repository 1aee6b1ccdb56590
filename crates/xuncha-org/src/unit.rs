//! Units (单位): organisations located in divisions.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::table::{Table, open};
use crate::{Code, DataProblem, Error, Hierarchy, Location};

/// A unit's id, as the office gives it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(pub String);

impl UnitId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for UnitId {
    fn from(id: &str) -> Self {
        UnitId(id.to_owned())
    }
}

/// What kind of organisation a unit is.
///
/// Written in files as the lowercase names below; any other text is kept as
/// [`UnitKind::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnitKind {
    /// A party committee or government at a level (县委、乡镇党委政府): `government`.
    Government,
    /// A department or bureau (局、委、办): `bureau`.
    Bureau,
    /// A public institution or centre (事业单位、中心): `centre`.
    Centre,
    /// A branch or dispatched office (分局、派出机构): `branch`.
    Branch,
    /// A state-owned enterprise (国有企业): `enterprise`.
    Enterprise,
    /// A school (学校): `school`.
    School,
    /// A hospital (医院): `hospital`.
    Hospital,
    /// A village or residents' committee (村(居)委会): `village-committee`.
    VillageCommittee,
    /// Any other kind, by its name.
    Other(String),
}

impl UnitKind {
    /// The kind's name in files.
    pub fn as_str(&self) -> &str {
        match self {
            UnitKind::Government => "government",
            UnitKind::Bureau => "bureau",
            UnitKind::Centre => "centre",
            UnitKind::Branch => "branch",
            UnitKind::Enterprise => "enterprise",
            UnitKind::School => "school",
            UnitKind::Hospital => "hospital",
            UnitKind::VillageCommittee => "village-committee",
            UnitKind::Other(name) => name,
        }
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UnitKind {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim() {
            "government" => UnitKind::Government,
            "bureau" => UnitKind::Bureau,
            "centre" | "center" => UnitKind::Centre,
            "branch" => UnitKind::Branch,
            "enterprise" => UnitKind::Enterprise,
            "school" => UnitKind::School,
            "hospital" => UnitKind::Hospital,
            "village-committee" => UnitKind::VillageCommittee,
            other => UnitKind::Other(other.to_owned()),
        })
    }
}

impl Serialize for UnitKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnitKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let Ok(kind) = text.parse();
        Ok(kind)
    }
}

/// An organisation located in a division: a bureau (民政局), a centre
/// (不动产登记中心), a branch (公路局平和分局), a village committee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// The unit's id.
    pub id: UnitId,
    /// The unit's name.
    pub name: String,
    /// What kind of organisation it is.
    pub kind: UnitKind,
    /// The division it sits in.
    pub division: Code,
    /// The unit it belongs to, if any (a branch's bureau).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// The department (系统) it belongs to, the same in every county:
    /// `civil-affairs` for every 民政局, `discipline-commission` for every
    /// 纪委监委. Counterpart rounds (对口交叉巡察) pair units by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// A set of units, checked against a hierarchy and indexed by division.
///
/// Units are kept sorted by division code, so that [`Units::units_in`] is
/// one contiguous slice found by two binary searches.
///
/// # Examples
///
/// ```
/// # #[cfg(feature = "embedded-fujian")] {
/// use xuncha_org::{Code, Hierarchy, Unit, UnitId, UnitKind, Units};
///
/// let fujian = Hierarchy::fujian();
/// let bureau = Unit {
///     id: UnitId::from("pinghe-civil"),
///     name: "平和县民政局".into(),
///     kind: UnitKind::Bureau,
///     division: Code::parse("350628")?,
///     parent: None,
///     department: Some("civil-affairs".into()),
/// };
/// let units = Units::new(vec![bureau], &fujian)?;
/// assert_eq!(units.units_in(Code::parse("3506")?).len(), 1);
/// assert!(units.units_in(Code::parse("3505")?).is_empty());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, Serialize)]
pub struct Units {
    units: Vec<Unit>,
    #[serde(skip)]
    by_id: HashMap<UnitId, usize>,
}

impl Units {
    /// Checks `units` against `hierarchy` and indexes them.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] for a unit whose division the hierarchy does not
    /// have, a repeated id, a parent unit that is missing, or parents that
    /// form a cycle. Locations are `<units>, line N`, N counting units from 1.
    pub fn new(units: Vec<Unit>, hierarchy: &Hierarchy) -> Result<Units, Error> {
        let lines = (1..=units.len() as u64).map(|n| Location::new("<units>", Some(n)));
        Units::checked(units.into_iter().zip(lines).collect(), hierarchy)
    }

    /// Reads units from a CSV file with the columns `id,name,kind,division`
    /// and optional `parent` and `department` (see `docs/formats.md`). A division code that
    /// is no longer current is resolved through the hierarchy's code history.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read; otherwise as
    /// [`Units::from_csv_reader`].
    pub fn from_csv_path(path: impl AsRef<Path>, hierarchy: &Hierarchy) -> Result<Units, Error> {
        let path = path.as_ref();
        Units::from_csv_reader(path, open(path)?, hierarchy)
    }

    /// Reads units in CSV from `reader`; `name` names the source in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] naming the file, line and field of a missing column,
    /// an empty id or name, a bad or unknown division code, a repeated id, a
    /// missing parent unit, or a cycle of parents.
    pub fn from_csv_reader(
        name: &Path,
        reader: impl Read,
        hierarchy: &Hierarchy,
    ) -> Result<Units, Error> {
        let mut table = Table::new(name, reader)?;
        let id = table.column("id")?;
        let unit_name = table.column("name")?;
        let kind = table.column("kind")?;
        let division = table.column("division")?;
        let parent = table.optional_column("parent");
        let department = table.optional_column("department");
        let mut units = Vec::new();
        while table.advance()? {
            let code_text = table.required(division)?;
            let code = Code::parse(code_text).map_err(|e| e.at(table.location(division)))?;
            let code = hierarchy
                .resolve(code, NaiveDate::MAX)
                .map_err(|e| {
                    Error::data(
                        table.location(division),
                        DataProblem::UnknownDivision {
                            code,
                            reason: e.to_string(),
                        },
                    )
                })?
                .division
                .code();
            let parent = match parent {
                Some(column) => Some(table.text(column)?).filter(|p| !p.is_empty()),
                None => None,
            };
            let department = match department {
                Some(column) => Some(table.text(column)?)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
                None => None,
            };
            let Ok(unit_kind) = table.required(kind)?.parse::<UnitKind>();
            let unit = Unit {
                id: UnitId(table.required(id)?.to_owned()),
                name: table.required(unit_name)?.to_owned(),
                kind: unit_kind,
                division: code,
                parent: parent.map(UnitId::from),
                department,
            };
            let location = Location::new(table.file(), Some(table.line()));
            units.push((unit, location));
        }
        Units::checked(units, hierarchy)
    }

    fn checked(mut units: Vec<(Unit, Location)>, hierarchy: &Hierarchy) -> Result<Units, Error> {
        for (unit, location) in &units {
            if hierarchy.get(unit.division).is_none() {
                return Err(Error::data(
                    location.clone().with_field("division"),
                    DataProblem::UnknownDivision {
                        code: unit.division,
                        reason: "the hierarchy has no such division".to_owned(),
                    },
                ));
            }
        }
        units.sort_by(|(a, _), (b, _)| (a.division, &a.id).cmp(&(b.division, &b.id)));
        let mut by_id = HashMap::with_capacity(units.len());
        for (i, (unit, location)) in units.iter().enumerate() {
            if by_id.insert(unit.id.clone(), i).is_some() {
                return Err(Error::data(
                    location.clone().with_field("id"),
                    DataProblem::DuplicateUnit {
                        id: unit.id.0.clone(),
                    },
                ));
            }
        }
        for (unit, location) in &units {
            if let Some(parent) = &unit.parent
                && !by_id.contains_key(parent)
            {
                return Err(Error::data(
                    location.clone().with_field("parent"),
                    DataProblem::UnknownParentUnit {
                        parent: parent.0.clone(),
                    },
                ));
            }
        }
        // A chain of parents longer than the number of units must loop.
        for (unit, location) in &units {
            let mut current = unit.parent.as_ref();
            let mut steps = 0;
            while let Some(parent) = current {
                steps += 1;
                if parent == &unit.id || steps > units.len() {
                    return Err(Error::data(
                        location.clone().with_field("parent"),
                        DataProblem::UnitCycle {
                            id: unit.id.0.clone(),
                        },
                    ));
                }
                current = by_id.get(parent).and_then(|&i| units[i].0.parent.as_ref());
            }
        }
        Ok(Units {
            units: units.into_iter().map(|(unit, _)| unit).collect(),
            by_id,
        })
    }

    /// The unit with `id`.
    pub fn get(&self, id: &UnitId) -> Option<&Unit> {
        self.by_id.get(id).map(|&i| &self.units[i])
    }

    /// The position of the unit with `id` in [`Units::iter`], a number
    /// below [`Units::len`] that names it in compact indexes.
    pub fn position(&self, id: &UnitId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether unit `a` is unit `b` or belongs to it through its chain of
    /// parents (a branch within its bureau). `false` for unknown ids.
    pub fn is_within(&self, a: &UnitId, b: &UnitId) -> bool {
        let mut current = self.get(a);
        // Parents were checked acyclic on construction, so the walk ends.
        while let Some(unit) = current {
            if &unit.id == b {
                return true;
            }
            current = unit.parent.as_ref().and_then(|p| self.get(p));
        }
        false
    }

    /// Every unit located in `division` or anywhere below it, by division
    /// code. O(log n).
    pub fn units_in(&self, division: Code) -> &[Unit] {
        let range = division.subtree_range();
        let start = self
            .units
            .partition_point(|u| u.division.packed() < range.start);
        let end = self
            .units
            .partition_point(|u| u.division.packed() < range.end);
        &self.units[start..end]
    }

    /// Every unit, sorted by division code and id.
    pub fn iter(&self) -> std::slice::Iter<'_, Unit> {
        self.units.iter()
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

impl<'a> IntoIterator for &'a Units {
    type Item = &'a Unit;
    type IntoIter = std::slice::Iter<'a, Unit>;

    fn into_iter(self) -> Self::IntoIter {
        self.units.iter()
    }
}
