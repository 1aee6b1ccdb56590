//! The five levels of the hierarchy.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A level of China's five-level division hierarchy (行政区划层级).
///
/// Each level has a fixed code length: 2 digits for a province, 4 for a
/// prefecture-level city, 6 for a county, 9 for a township and 12 for a
/// village. Levels are ordered from the top: `Province < City < ... <
/// Village`.
///
/// # Examples
///
/// ```
/// use xuncha_org::Level;
///
/// assert_eq!(Level::County.digits(), 6);
/// assert_eq!(Level::County.parent(), Some(Level::City));
/// assert_eq!("township".parse::<Level>()?, Level::Township);
/// assert!(Level::Province < Level::Village);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 省级: province, autonomous region or municipality (2-digit code).
    Province = 0,
    /// 地级: prefecture-level city, prefecture or league (4-digit code).
    City = 1,
    /// 县级: county, county-level city or district (6-digit code).
    County = 2,
    /// 乡级: township, town or urban sub-district (9-digit code).
    Township = 3,
    /// 村级: village or residents' committee (12-digit code).
    Village = 4,
}

impl Level {
    /// Every level, from the top down.
    pub const ALL: [Level; 5] = [
        Level::Province,
        Level::City,
        Level::County,
        Level::Township,
        Level::Village,
    ];

    /// The number of digits in a code of this level: 2, 4, 6, 9 or 12.
    pub const fn digits(self) -> usize {
        match self {
            Level::Province => 2,
            Level::City => 4,
            Level::County => 6,
            Level::Township => 9,
            Level::Village => 12,
        }
    }

    /// The level whose code has `digits` digits, if any.
    ///
    /// ```
    /// use xuncha_org::Level;
    /// assert_eq!(Level::from_digits(9), Some(Level::Township));
    /// assert_eq!(Level::from_digits(5), None);
    /// ```
    pub const fn from_digits(digits: usize) -> Option<Level> {
        match digits {
            2 => Some(Level::Province),
            4 => Some(Level::City),
            6 => Some(Level::County),
            9 => Some(Level::Township),
            12 => Some(Level::Village),
            _ => None,
        }
    }

    /// The level directly above, or `None` for a province.
    pub const fn parent(self) -> Option<Level> {
        match self {
            Level::Province => None,
            Level::City => Some(Level::Province),
            Level::County => Some(Level::City),
            Level::Township => Some(Level::County),
            Level::Village => Some(Level::Township),
        }
    }

    /// The level directly below, or `None` for a village.
    pub const fn child(self) -> Option<Level> {
        match self {
            Level::Province => Some(Level::City),
            Level::City => Some(Level::County),
            Level::County => Some(Level::Township),
            Level::Township => Some(Level::Village),
            Level::Village => None,
        }
    }

    /// The position of the level from the top, 0 for a province.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The level's English name, as used in files and on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
        }
    }

    /// The level's Chinese name (省级, 地级, 县级, 乡级, 村级).
    pub const fn chinese(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "地级",
            Level::County => "县级",
            Level::Township => "乡级",
            Level::Village => "村级",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = Error;

    /// Parses an English level name (case-insensitive; `prefecture` is
    /// accepted for `city`, `town` for `township`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "province" => Ok(Level::Province),
            "city" | "prefecture" => Ok(Level::City),
            "county" => Ok(Level::County),
            "township" | "town" => Ok(Level::Township),
            "village" => Ok(Level::Village),
            _ => Err(Error::InvalidLevel {
                input: s.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_and_child_are_inverse() {
        for level in Level::ALL {
            if let Some(child) = level.child() {
                assert_eq!(child.parent(), Some(level));
            }
            assert_eq!(Level::from_digits(level.digits()), Some(level));
            assert_eq!(level.as_str().parse::<Level>().ok(), Some(level));
        }
    }

    #[test]
    fn unknown_level_names_the_input() {
        let err = "hamlet".parse::<Level>().unwrap_err();
        assert!(err.to_string().contains("hamlet"), "{err}");
    }
}
