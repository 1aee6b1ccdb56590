//! Statistical division codes (统计用区划代码).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Level};

/// Powers of ten that turn a level's natural code into the 12-digit padded
/// form, indexed by [`Level::index`].
const PAD: [u64; 5] = [10_000_000_000, 100_000_000, 1_000_000, 1_000, 1];

/// How many padded values one division of each level spans.
const SPAN: [u64; 5] = [10_000_000_000, 100_000_000, 1_000_000, 1_000, 1];

/// What is wrong with a string that should be a division code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeProblem {
    /// The input is empty (after trimming spaces).
    Empty,
    /// A character that is not an ASCII digit.
    NotDigit {
        /// 1-based position of the character in the trimmed input.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// The number of digits fits no level.
    Length {
        /// How many characters the input has.
        len: usize,
    },
    /// The number of digits does not fit the level the context requires.
    LengthForLevel {
        /// How many characters the input has.
        len: usize,
        /// The level the code must have.
        level: Level,
    },
    /// A 12-digit padded code for a level above villages whose padding is
    /// not all zeros.
    NotPadded {
        /// The level the code must have.
        level: Level,
    },
    /// The province or city part of the code is all zeros, which no real
    /// division has.
    ZeroSegment {
        /// The level whose part is zero.
        level: Level,
    },
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeProblem::Empty => f.write_str("the code is empty"),
            CodeProblem::NotDigit {
                position,
                character,
            } => write!(
                f,
                "character {position} is {character:?}, but a code has only the digits 0-9"
            ),
            CodeProblem::Length { len } => write!(
                f,
                "it has {len} characters, but a code has 2, 4, 6, 9 or 12 digits"
            ),
            CodeProblem::LengthForLevel { len, level } => write!(
                f,
                "it has {len} characters, but a {level} code has {} digits (or 12 with zero padding)",
                level.digits()
            ),
            CodeProblem::NotPadded { level } => write!(
                f,
                "a 12-digit {level} code must end in {} zeros",
                12 - level.digits()
            ),
            CodeProblem::ZeroSegment { level } => {
                write!(f, "its {level} part is all zeros, which no division has")
            }
        }
    }
}

/// A statistical division code: which division, at which level.
///
/// Codes come in 2, 4, 6, 9 and 12 digits, one length per [`Level`]. The
/// 12-digit padded form (`350600000000` for 漳州市 `3506`) is accepted too:
/// [`Code::parse`] drops trailing zero parts, so a 12-digit input names the
/// highest division it can. Where the level is known from context, as in a
/// file of villages, use [`Code::parse_at`], which also reads real village
/// codes such as `350527000000` (a placeholder village of 金门县) that the
/// padded reading would take for the county.
///
/// A `Code` is a `u64` in disguise: `Copy`, ordered, and cheap to compare.
/// Codes sort in the pre-order of the hierarchy: a division comes before
/// everything it contains, and a subtree is a contiguous range.
///
/// # Examples
///
/// ```
/// use xuncha_org::{Code, Level};
///
/// let longhai: Code = "350681".parse()?;
/// assert_eq!(longhai.level(), Level::County);
/// assert_eq!(longhai.parent().map(|c| c.to_string()), Some("3506".to_owned()));
/// assert_eq!(format!("{longhai:#}"), "350681000000");
///
/// let zhangzhou = Code::parse("350600000000")?;
/// assert_eq!(zhangzhou.to_string(), "3506");
/// assert!(zhangzhou.contains(longhai));
///
/// let err = Code::parse("35068x").unwrap_err();
/// assert!(err.to_string().contains("character 6 is 'x'"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(u64);

impl Code {
    /// Builds a code from its natural digits at a level: `Code::new(Level::County,
    /// 350681)`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCode`] if `digits` has more digits than the level
    /// allows, or its province or city part is zero.
    ///
    /// ```
    /// use xuncha_org::{Code, Level};
    /// let code = Code::new(Level::City, 3506)?;
    /// assert_eq!(code.to_string(), "3506");
    /// assert!(Code::new(Level::City, 35061).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(level: Level, digits: u64) -> Result<Code, Error> {
        let invalid = |problem| Error::InvalidCode {
            input: digits.to_string(),
            problem,
        };
        if digits >= 10u64.pow(u32::try_from(level.digits()).unwrap_or(12)) {
            return Err(invalid(CodeProblem::LengthForLevel {
                len: digits.to_string().len(),
                level,
            }));
        }
        let padded = digits * PAD[level.index()];
        check_segments(padded, level).map_err(invalid)?;
        Ok(Code::from_padded(padded, level))
    }

    /// Parses a code of any level from its digits, accepting the 12-digit
    /// padded form (trailing zero parts are dropped: `350600000000` is the
    /// city `3506`), and the explicit form `LEVEL:DIGITS`
    /// (`village:350527000000`) that [`Code::to_text`] writes for the rare
    /// codes the digits alone would misread. Spaces around the code are
    /// ignored.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCode`] naming the first wrong character, or a length
    /// that fits no level.
    pub fn parse(input: &str) -> Result<Code, Error> {
        if let Some((level, digits)) = input.trim().split_once(':')
            && let Ok(level) = level.parse::<Level>()
        {
            return Code::parse_at(digits, level).map_err(|e| match e {
                Error::InvalidCode { problem, .. } => Error::InvalidCode {
                    input: input.to_owned(),
                    problem,
                },
                other => other,
            });
        }
        parse_digits(input)
            .and_then(|(value, len)| {
                let level = Level::from_digits(len).ok_or(CodeProblem::Length { len })?;
                let padded = value * PAD[level.index()];
                let level = if level == Level::Village {
                    trimmed_level(padded)
                } else {
                    level
                };
                check_segments(padded, level)?;
                Ok(Code::from_padded(padded, level))
            })
            .map_err(|problem| Error::InvalidCode {
                input: input.to_owned(),
                problem,
            })
    }

    /// Parses a code that must be of `level`: either its natural length or
    /// the 12-digit padded form.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCode`] naming the wrong character, or a length that
    /// does not fit `level`.
    ///
    /// ```
    /// use xuncha_org::{Code, Level};
    /// // A real village code that the padded reading would take for 金门县.
    /// let village = Code::parse_at("350527000000", Level::Village)?;
    /// assert_eq!(village.level(), Level::Village);
    /// assert_eq!(Code::parse("350527000000")?.level(), Level::County);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_at(input: &str, level: Level) -> Result<Code, Error> {
        parse_digits(input)
            .and_then(|(value, len)| {
                let padded = if len == level.digits() {
                    value * PAD[level.index()]
                } else if len == 12 {
                    if !value.is_multiple_of(PAD[level.index()]) {
                        return Err(CodeProblem::NotPadded { level });
                    }
                    value
                } else {
                    return Err(CodeProblem::LengthForLevel { len, level });
                };
                check_segments(padded, level)?;
                Ok(Code::from_padded(padded, level))
            })
            .map_err(|problem| Error::InvalidCode {
                input: input.to_owned(),
                problem,
            })
    }

    const fn from_padded(padded: u64, level: Level) -> Code {
        Code((padded << 3) | level as u64)
    }

    /// The code as text that [`Code::parse`] reads back to the same code:
    /// the natural digits, or `LEVEL:DIGITS` for a code whose digits alone
    /// read as another level (金门县's placeholder village `350527000000`
    /// becomes `village:350527000000`).
    ///
    /// ```
    /// use xuncha_org::{Code, Level};
    /// let village = Code::parse_at("350527000000", Level::Village)?;
    /// assert_eq!(village.to_text(), "village:350527000000");
    /// assert_eq!(Code::parse(&village.to_text())?, village);
    /// assert_eq!(Code::parse("350628")?.to_text(), "350628");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_text(self) -> String {
        let plain = self.to_string();
        if Code::parse(&plain).ok() == Some(self) {
            plain
        } else {
            format!("{}:{plain}", self.level())
        }
    }

    /// The code's level, from its length.
    pub fn level(self) -> Level {
        match self.0 & 7 {
            0 => Level::Province,
            1 => Level::City,
            2 => Level::County,
            3 => Level::Township,
            _ => Level::Village,
        }
    }

    /// The code as a number in its natural length: `350681` for a county.
    pub fn digits(self) -> u64 {
        self.padded() / PAD[self.level().index()]
    }

    /// The code as a 12-digit number: `350681000000` for a county.
    pub const fn padded(self) -> u64 {
        self.0 >> 3
    }

    /// The code of the division directly above, or `None` for a province.
    ///
    /// This is arithmetic on the code; whether that division exists is the
    /// [`Hierarchy`](crate::Hierarchy)'s business.
    pub fn parent(self) -> Option<Code> {
        self.level()
            .parent()
            .and_then(|level| self.ancestor_at(level))
    }

    /// The code of the enclosing division at `level`: the code itself at its
    /// own level, `None` below it.
    ///
    /// ```
    /// use xuncha_org::{Code, Level};
    /// let village = Code::parse("350628103201")?;
    /// assert_eq!(village.ancestor_at(Level::County).map(|c| c.to_string()), Some("350628".into()));
    /// assert_eq!(village.ancestor_at(Level::Village), Some(village));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ancestor_at(self, level: Level) -> Option<Code> {
        if level > self.level() {
            return None;
        }
        let span = SPAN[level.index()];
        Some(Code::from_padded(self.padded() / span * span, level))
    }

    /// Whether `other` lies within this code's division, by the codes alone:
    /// `other` is this code or has it as an ancestor. A division contains
    /// itself.
    pub fn contains(self, other: Code) -> bool {
        other.ancestor_at(self.level()) == Some(self)
    }

    /// The half-open range of [`Code::packed`] values that this code and
    /// every code below it fall in. Data sorted by code holds a subtree as
    /// one contiguous run, found with two binary searches.
    ///
    /// ```
    /// use xuncha_org::Code;
    /// let county = Code::parse("350628")?;
    /// let range = county.subtree_range();
    /// assert!(range.contains(&Code::parse("350628100201")?.packed()));
    /// assert!(!range.contains(&Code::parse("350629")?.packed()));
    /// assert!(!range.contains(&Code::parse("3506")?.packed()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn subtree_range(self) -> std::ops::Range<u64> {
        let span = SPAN[self.level().index()];
        self.0..((self.padded() + span) << 3)
    }

    /// The code as one `u64` (the padded digits and the level), ordered as
    /// codes are: the hierarchy's pre-order.
    pub const fn packed(self) -> u64 {
        self.0
    }
}

/// Reads a string of ASCII digits into a number and its length.
fn parse_digits(input: &str) -> Result<(u64, usize), CodeProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(CodeProblem::Empty);
    }
    let mut value: u64 = 0;
    let mut len = 0;
    for (i, ch) in trimmed.chars().enumerate() {
        let Some(d) = ch.to_digit(10).filter(|_| ch.is_ascii_digit()) else {
            return Err(CodeProblem::NotDigit {
                position: i + 1,
                character: ch,
            });
        };
        len = i + 1;
        if len > 12 {
            return Err(CodeProblem::Length {
                len: trimmed.chars().count(),
            });
        }
        value = value * 10 + u64::from(d);
    }
    Ok((value, len))
}

/// The highest level whose padding a 12-digit value fits.
fn trimmed_level(padded: u64) -> Level {
    for level in [Level::Province, Level::City, Level::County, Level::Township] {
        if padded.is_multiple_of(PAD[level.index()]) {
            return level;
        }
    }
    Level::Village
}

fn check_segments(padded: u64, level: Level) -> Result<(), CodeProblem> {
    if padded / PAD[0] == 0 {
        return Err(CodeProblem::ZeroSegment {
            level: Level::Province,
        });
    }
    if level >= Level::City && (padded / PAD[1]).is_multiple_of(100) {
        return Err(CodeProblem::ZeroSegment { level: Level::City });
    }
    Ok(())
}

impl fmt::Display for Code {
    /// Writes the natural digits (`350681`); the alternate form `{:#}`
    /// writes the 12-digit padded form (`350681000000`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write!(f, "{:012}", self.padded())
        } else {
            write!(
                f,
                "{:0width$}",
                self.digits(),
                width = self.level().digits()
            )
        }
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({self})")
    }
}

impl FromStr for Code {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::parse(s)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_text())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Code::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Code {
        Code::parse(s).expect("valid test code")
    }

    #[test]
    fn each_length_gives_its_level() {
        assert_eq!(code("35").level(), Level::Province);
        assert_eq!(code("3506").level(), Level::City);
        assert_eq!(code("350681").level(), Level::County);
        assert_eq!(code("350681100").level(), Level::Township);
        assert_eq!(code("350681100201").level(), Level::Village);
    }

    #[test]
    fn padded_form_names_the_highest_division() {
        assert_eq!(code("350600000000"), code("3506"));
        assert_eq!(code("350000000000"), code("35"));
        assert_eq!(code("441900000000").level(), Level::City);
        assert_eq!(code("350681100000"), code("350681100"));
    }

    #[test]
    fn parent_truncates_one_level() {
        assert_eq!(code("350681100201").parent(), Some(code("350681100")));
        assert_eq!(code("350681100").parent(), Some(code("350681")));
        assert_eq!(code("350681").parent(), Some(code("3506")));
        assert_eq!(code("3506").parent(), Some(code("35")));
        assert_eq!(code("35").parent(), None);
    }

    #[test]
    fn zero_parts_keep_their_level_when_parsed_at_it() {
        let county = Code::parse_at("441900", Level::County).expect("东莞's county row");
        assert_eq!(county.parent(), Some(code("4419")));
        let city = code("4419");
        assert!(
            city < county,
            "a city sorts before its county of the same digits"
        );
        assert!(city.contains(county));
        assert!(!county.contains(city));
    }

    #[test]
    fn malformed_codes_say_what_is_wrong() {
        assert_eq!(
            Code::parse("3506a1").unwrap_err().to_string(),
            "invalid division code \"3506a1\": character 5 is 'a', but a code has only the digits 0-9"
        );
        assert!(matches!(
            Code::parse("35068"),
            Err(Error::InvalidCode {
                problem: CodeProblem::Length { len: 5 },
                ..
            })
        ));
        assert!(matches!(
            Code::parse("3506810000001"),
            Err(Error::InvalidCode {
                problem: CodeProblem::Length { len: 13 },
                ..
            })
        ));
        assert!(matches!(
            Code::parse(""),
            Err(Error::InvalidCode {
                problem: CodeProblem::Empty,
                ..
            })
        ));
        assert!(matches!(
            Code::parse("0012"),
            Err(Error::InvalidCode {
                problem: CodeProblem::ZeroSegment { .. },
                ..
            })
        ));
        assert!(matches!(
            Code::parse("3500"),
            Err(Error::InvalidCode {
                problem: CodeProblem::ZeroSegment { level: Level::City },
                ..
            })
        ));
        assert!(matches!(
            Code::parse_at("350681100201", Level::County),
            Err(Error::InvalidCode {
                problem: CodeProblem::NotPadded { .. },
                ..
            })
        ));
        assert!(matches!(
            Code::parse_at("3506811", Level::County),
            Err(Error::InvalidCode {
                problem: CodeProblem::LengthForLevel { len: 7, .. },
                ..
            })
        ));
        assert!(matches!(
            Code::parse("３５"),
            Err(Error::InvalidCode {
                problem: CodeProblem::NotDigit { position: 1, .. },
                ..
            })
        ));
    }

    #[test]
    fn serde_uses_the_natural_string() {
        let c = code("350681");
        let json = serde_json::to_string(&c).expect("serialise");
        assert_eq!(json, "\"350681\"");
        let back: Code = serde_json::from_str("\"350681000000\"").expect("deserialise");
        assert_eq!(back, c);
        assert!(serde_json::from_str::<Code>("\"35x\"").is_err());
    }
}
