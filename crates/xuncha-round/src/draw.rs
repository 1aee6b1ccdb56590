//! What a randomized plan records about its draw: exact decimals, the caps
//! on pairs, and the draw's summary.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xuncha_avoid::{PersonId, Target};

use crate::Error;

/// The denominator of fractional plans: probabilities are exact to
/// 1/10,000.
pub const SCALE: i32 = 10_000;

/// A non-negative decimal exact to four places (a probability, an expected
/// objective), kept as ten-thousandths so that plans stay comparable byte
/// for byte; written in JSON as a number (`0.5`, `5231.25`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(i64);

impl Decimal {
    /// The decimal `n / 10,000`.
    pub const fn from_ten_thousandths(n: i64) -> Decimal {
        Decimal(n)
    }

    /// The value in ten-thousandths.
    pub const fn ten_thousandths(self) -> i64 {
        self.0
    }

    /// The value as a float.
    #[expect(
        clippy::cast_precision_loss,
        reason = "objectives and probabilities stay far below 2^53 ten-thousandths"
    )]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / f64::from(SCALE)
    }

    /// The nearest decimal to `x`, if finite and within range.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "the value is rounded and range-checked first"
    )]
    pub fn from_f64(x: f64) -> Option<Decimal> {
        let scaled = (x * f64::from(SCALE)).round();
        (scaled.is_finite() && scaled.abs() < 9.0e15).then_some(Decimal(scaled as i64))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, frac) = (self.0.abs() / 10_000, self.0.abs() % 10_000);
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl FromStr for Decimal {
    type Err = Error;

    /// Reads `0.5`, `.25`, `1`: at most four decimal places.
    fn from_str(text: &str) -> Result<Decimal, Error> {
        let bad = || Error::Decimal {
            text: text.to_owned(),
        };
        let (whole, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if frac.len() > 4
            || (whole.is_empty() && frac.is_empty())
            || !whole
                .bytes()
                .chain(frac.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac: i64 = format!("{frac:0<4}").parse().map_err(|_| bad())?;
        whole
            .checked_mul(10_000)
            .and_then(|w| w.checked_add(frac))
            .map(Decimal)
            .ok_or_else(bad)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.to_f64())
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let x = f64::deserialize(deserializer)?;
        Decimal::from_f64(x).ok_or_else(|| serde::de::Error::custom("a decimal out of range"))
    }
}

/// A cap for one (person, target) pair, overriding the round's cap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairCap {
    /// The person.
    pub person: PersonId,
    /// The target, as in the round.
    pub target: Target,
    /// The largest probability that the person serves on the target's team
    /// (or is one of its alternates).
    pub cap: Decimal,
}

/// What a randomized plan records about its draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Randomization {
    /// The cap on every pair.
    pub cap: Decimal,
    /// The caps of particular pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pair_caps: Vec<PairCap>,
    /// The objective of the fractional plan: the expected objective of a
    /// draw (its network cost; the plan's own `objective` counts the
    /// county balance from the counts, which is never more).
    pub expected_objective: Decimal,
    /// The objective of the optimal (deterministic) plan with the same
    /// alternates: `expected_objective / optimal_objective` is the price of
    /// randomness.
    pub optimal_objective: i64,
    /// Where the seed came from (`sha256:HEX` of an announced text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_source: Option<String>,
}
