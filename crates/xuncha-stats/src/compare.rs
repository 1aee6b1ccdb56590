//! Comparisons of two groups (cross against regular inspection, or any
//! two): ratios and percentage changes of counts and of rates per
//! exposure, each ratio with its counts, exposures and intervals.

use serde::{Deserialize, Serialize};

use crate::aggregate::LEVEL;
use crate::interval::{Interval, rate_ratio, rate_ratio_exact, rate_ratio_wald};
use crate::{GroupStats, Metric, Table};

/// The exposure a rate is taken per.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// Per group: the ratio of the counts themselves (exposures 1 and 1).
    Group,
    /// Per unit inspected.
    UnitInspected,
    /// Per inspection day (team-day).
    InspectionDay,
}

impl Per {
    /// Every exposure, in report order.
    pub const ALL: [Per; 3] = [Per::Group, Per::UnitInspected, Per::InspectionDay];

    /// The exposure's label.
    pub fn label(self) -> &'static str {
        match self {
            Per::Group => "count",
            Per::UnitInspected => "per unit inspected",
            Per::InspectionDay => "per inspection day",
        }
    }

    fn of(self, group: &GroupStats) -> u64 {
        match self {
            Per::Group => 1,
            Per::UnitInspected => group.exposure.units_inspected,
            Per::InspectionDay => group.exposure.team_days,
        }
    }
}

/// One ratio: the first group's rate over the second's, never without the
/// counts and exposures it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateRatio {
    /// What is counted.
    pub metric: Metric,
    /// Per what.
    pub per: Per,
    /// The first group's count.
    pub count_a: u64,
    /// The first group's exposure.
    pub exposure_a: u64,
    /// The second group's count.
    pub count_b: u64,
    /// The second group's exposure.
    pub exposure_b: u64,
    /// The ratio; `None` (undefined) when the second rate is zero or an
    /// exposure is zero.
    pub ratio: Option<f64>,
    /// (ratio − 1) × 100; `None` when the ratio is undefined.
    pub percent_change: Option<f64>,
    /// The exact conditional interval.
    pub exact: Option<Interval>,
    /// The log-scale Wald interval.
    pub wald: Option<Interval>,
}

/// A comparison of two groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The first group's label (the numerator).
    pub a: String,
    /// The second group's label (the denominator).
    pub b: String,
    /// The ratios, metric by metric and exposure by exposure.
    pub ratios: Vec<RateRatio>,
}

/// One ratio of a metric between two groups.
///
/// ```
/// use xuncha_stats::{Metric, Per, ratio_of};
/// let r = ratio_of(Metric::Petitions, Per::Group, (10, 1), (2, 1));
/// assert_eq!(r.ratio, Some(5.0));
/// assert_eq!(r.percent_change, Some(400.0));
/// let none = ratio_of(Metric::Petitions, Per::Group, (10, 1), (0, 1));
/// assert_eq!(none.ratio, None); // undefined, never NaN
/// ```
pub fn ratio_of(metric: Metric, per: Per, a: (u64, u64), b: (u64, u64)) -> RateRatio {
    #[expect(clippy::cast_precision_loss, reason = "exposures stay far below 2^53")]
    let (ta, tb) = (a.1 as f64, b.1 as f64);
    let ratio = rate_ratio(a.0, ta, b.0, tb);
    RateRatio {
        metric,
        per,
        count_a: a.0,
        exposure_a: a.1,
        count_b: b.0,
        exposure_b: b.1,
        ratio,
        percent_change: ratio.map(|r| (r - 1.0) * 100.0),
        exact: rate_ratio_exact(a.0, ta, b.0, tb, LEVEL),
        wald: rate_ratio_wald(a.0, ta, b.0, tb, LEVEL),
    }
}

/// Compares group `a` with group `b` of a table on
/// [`Metric::COMPARED`], per group, per unit inspected and per inspection
/// day. `None` when either group is not in the table.
///
/// ```
/// use xuncha_stats::{aggregate, compare, By, DateRange, Records};
/// let table = aggregate(&Records::new(&[]), By::Mode, &DateRange::all());
/// assert!(compare(&table, "cross", "regular").is_none());
/// ```
pub fn compare(table: &Table, a: &str, b: &str) -> Option<Comparison> {
    let (ga, gb) = (table.group(a)?, table.group(b)?);
    let mut ratios = Vec::new();
    for metric in Metric::COMPARED {
        for per in Per::ALL {
            ratios.push(ratio_of(
                metric,
                per,
                (ga.counts.get(metric), per.of(ga)),
                (gb.counts.get(metric), per.of(gb)),
            ));
        }
    }
    Some(Comparison {
        a: a.to_owned(),
        b: b.to_owned(),
        ratios,
    })
}
