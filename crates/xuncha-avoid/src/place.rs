//! Places (a division or a unit) and inspection targets.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xuncha_org::{Code, Hierarchy, Level, UnitId, Units};

/// Where a fact happened: a division, or a unit located in one.
///
/// In files a place is one text: a division code (`350628`, any accepted
/// form) or a unit id with the prefix `unit:` (`unit:ph-civil`).
///
/// ```
/// use xuncha_avoid::Place;
/// let county: Place = "350628".parse()?;
/// assert_eq!(county, Place::Division(xuncha_org::Code::parse("350628")?));
/// let bureau: Place = "unit:ph-civil".parse()?;
/// assert_eq!(bureau.to_string(), "unit:ph-civil");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A division, by its code.
    Division(Code),
    /// A unit, by its id.
    Unit(UnitId),
}

impl Place {
    /// The division the place lies in: the division itself, or the unit's
    /// division. `None` for a unit that `units` does not have.
    pub fn division(&self, units: &Units) -> Option<Code> {
        match self {
            Place::Division(code) => Some(*code),
            Place::Unit(id) => units.get(id).map(|u| u.division),
        }
    }

    /// The place's name with its code: `平和县 (350628)` or
    /// `平和县民政局 (350628)`.
    pub fn describe(&self, hierarchy: &Hierarchy, units: &Units) -> String {
        match self {
            Place::Division(code) => describe_code(*code, hierarchy),
            Place::Unit(id) => match units.get(id) {
                Some(unit) => format!("{} ({})", unit.name, unit.division),
                None => format!("unit {id}"),
            },
        }
    }
}

/// `平和县 (350628)`, or the bare code when the hierarchy lacks it.
pub(crate) fn describe_code(code: Code, hierarchy: &Hierarchy) -> String {
    match hierarchy.get(code) {
        Some(division) => format!("{} ({code})", division.name()),
        None => code.to_string(),
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Division(code) => f.write_str(&code.to_text()),
            Place::Unit(id) => write!(f, "unit:{id}"),
        }
    }
}

impl std::str::FromStr for Place {
    type Err = xuncha_org::Error;

    /// Parses a division code, or `unit:ID`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        match s.strip_prefix("unit:") {
            Some(id) => Ok(Place::Unit(UnitId(id.trim().to_owned()))),
            None => Code::parse(s).map(Place::Division),
        }
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What a team inspects (被巡察对象): a division, a unit, or a cluster of
/// divisions inspected together (片区, such as a group of villages).
///
/// In files: a code (`350628`), `unit:ID`, or codes joined by `+`
/// (`350628100201+350628100202`) for a cluster.
///
/// ```
/// use xuncha_avoid::Target;
/// let cluster: Target = "350628100201+350628100202".parse()?;
/// assert_eq!(cluster.to_string(), "350628100201+350628100202");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A division as a whole (its party committee and government).
    Division(Code),
    /// One unit.
    Unit(UnitId),
    /// Several divisions inspected together.
    Cluster(Vec<Code>),
}

impl Target {
    /// The divisions the target covers: one, the unit's, or the cluster's.
    /// Empty for a unit that `units` does not have.
    pub fn divisions(&self, units: &Units) -> Vec<Code> {
        match self {
            Target::Division(code) => vec![*code],
            Target::Unit(id) => units.get(id).map(|u| u.division).into_iter().collect(),
            Target::Cluster(codes) => codes.clone(),
        }
    }

    /// Every county the target touches, ascending, without repeats: the
    /// county of a division or unit, each county a cluster's members lie
    /// in. A cluster across 平和县 and 南靖县 touches both, whatever the
    /// order its members are written in. Empty for a target above county
    /// level, or a unit that `units` does not have.
    ///
    /// ```
    /// use xuncha_avoid::Target;
    /// use xuncha_org::{Code, Units};
    ///
    /// let cluster: Target = "350628100201+350627100201+350628100202".parse()?;
    /// let counties = cluster.counties(&Units::default());
    /// assert_eq!(counties, [Code::parse("350627")?, Code::parse("350628")?]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn counties(&self, units: &Units) -> Vec<Code> {
        let mut counties: Vec<Code> = self
            .divisions(units)
            .into_iter()
            .filter_map(|d| d.ancestor_at(Level::County))
            .collect();
        counties.sort_unstable();
        counties.dedup();
        counties
    }

    /// The division that stands for the target where one is needed (the
    /// round's pool, the distance of an origin): the division itself, the
    /// unit's, or the least of a cluster's members, so that the order a
    /// cluster is written in changes nothing.
    pub fn anchor(&self, units: &Units) -> Option<Code> {
        self.divisions(units).into_iter().min()
    }

    /// The target's name: `平和县民政局`, `平和县 (350628)`, or the cluster's
    /// members joined with `、`.
    pub fn describe(&self, hierarchy: &Hierarchy, units: &Units) -> String {
        match self {
            Target::Division(code) => describe_code(*code, hierarchy),
            Target::Unit(id) => units
                .get(id)
                .map_or_else(|| format!("unit {id}"), |u| u.name.clone()),
            Target::Cluster(codes) => codes
                .iter()
                .map(|c| describe_code(*c, hierarchy))
                .collect::<Vec<_>>()
                .join("、"),
        }
    }

    /// The Chinese word for the kind of target: 单位, 地区 or 片区.
    pub(crate) fn kind_zh(&self) -> &'static str {
        match self {
            Target::Division(_) => "地区",
            Target::Unit(_) => "单位",
            Target::Cluster(_) => "片区",
        }
    }
}

impl From<Place> for Target {
    fn from(place: Place) -> Self {
        match place {
            Place::Division(code) => Target::Division(code),
            Place::Unit(id) => Target::Unit(id),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Division(code) => f.write_str(&code.to_text()),
            Target::Unit(id) => write!(f, "unit:{id}"),
            Target::Cluster(codes) => {
                let parts: Vec<String> = codes.iter().map(|c| c.to_text()).collect();
                f.write_str(&parts.join("+"))
            }
        }
    }
}

impl std::str::FromStr for Target {
    type Err = xuncha_org::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.contains('+') {
            let codes = s
                .split('+')
                .map(|part| Code::parse(part.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Target::Cluster(codes));
        }
        s.parse::<Place>().map(Target::from)
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
