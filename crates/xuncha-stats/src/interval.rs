//! Confidence intervals: for a ratio of two Poisson rates (exact
//! conditional and log-scale Wald) and for a binomial proportion (Wilson
//! and Clopper–Pearson).

use serde::{Deserialize, Serialize};

use crate::special::{beta_quantile, normal_quantile};

/// How an interval was computed; reports print it beside every interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The exact conditional interval for a ratio of Poisson rates: given
    /// the total, the first count is binomial, and its Clopper–Pearson
    /// interval is mapped to the ratio (R's `poisson.test` and
    /// `rateratio.test`).
    ExactConditional,
    /// The log-scale Wald interval for a ratio of Poisson rates:
    /// exp(ln r ± z √(1/x₁ + 1/x₂)).
    WaldLog,
    /// The Wilson score interval for a proportion.
    Wilson,
    /// The Clopper–Pearson (exact) interval for a proportion.
    ClopperPearson,
}

impl Method {
    /// The method's label in reports.
    pub fn label(self) -> &'static str {
        match self {
            Method::ExactConditional => "exact conditional (binomial)",
            Method::WaldLog => "Wald, log scale",
            Method::Wilson => "Wilson score",
            Method::ClopperPearson => "Clopper-Pearson (exact)",
        }
    }
}

/// A confidence interval with its method and level. A bound that does not
/// exist (an infinite upper bound when the second count is zero) is `None`,
/// printed as "undefined".
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The method.
    pub method: Method,
    /// The confidence level, such as 0.95.
    pub level: f64,
    /// The lower bound.
    pub lower: Option<f64>,
    /// The upper bound.
    pub upper: Option<f64>,
}

impl Interval {
    /// Whether the interval contains `value`. An undefined upper bound is
    /// unbounded; an undefined lower bound contains nothing.
    pub fn contains(&self, value: f64) -> bool {
        self.lower.is_some_and(|l| l <= value) && self.upper.is_none_or(|u| value <= u)
    }
}

/// Whether an exposure is positive (and not NaN).
fn positive(t: f64) -> bool {
    t > 0.0 && t.is_finite()
}

/// Whether a confidence level is in (0, 1).
fn valid_level(level: f64) -> bool {
    level > 0.0 && level < 1.0
}

/// A finite value or `None`.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The rate ratio (x₁/t₁)/(x₂/t₂); `None` when undefined (a zero second
/// count or a zero exposure).
pub fn rate_ratio(x1: u64, t1: f64, x2: u64, t2: f64) -> Option<f64> {
    if x2 == 0 || !positive(t1) || !positive(t2) {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    finite((x1 as f64 / t1) / (x2 as f64 / t2))
}

/// The exact conditional confidence interval for the ratio of two Poisson
/// rates, x₁ events over exposure t₁ against x₂ over t₂.
///
/// Given n = x₁ + x₂, x₁ is binomial with p = r t₁ / (r t₁ + t₂), where r
/// is the rate ratio; the Clopper–Pearson bounds of p (beta quantiles) map
/// to r = p t₂ / ((1 − p) t₁). This is R's `poisson.test(c(x1, x2), c(t1,
/// t2))` and `rateratio.test` (Fay 2010, "Two-sided exact tests and
/// matching confidence intervals for discrete data", R Journal 2(1)).
///
/// # Arguments
///
/// Counts, positive exposures, and the confidence level in (0, 1).
///
/// # Returns
///
/// `None` when nothing can be said: no events at all, a non-positive
/// exposure, or a level outside (0, 1). Otherwise an interval whose lower
/// bound is 0 when x₁ = 0 and whose upper bound is undefined (infinite)
/// when x₂ = 0.
///
/// # Complexity
///
/// Two beta quantiles by bisection: O(200 · cost of the continued
/// fraction), constant space.
///
/// # Examples
///
/// R's `rateratio.test` example: 2 events over 17,877 person-years against 9
/// over 16,660.
///
/// ```
/// use xuncha_stats::rate_ratio_exact;
/// let ci = rate_ratio_exact(2, 17_877.0, 9, 16_660.0, 0.95).expect("events");
/// assert!((ci.lower.unwrap() - 0.02177406).abs() < 1e-6);
/// assert!((ci.upper.unwrap() - 1.00054910).abs() < 1e-6);
/// assert!(ci.contains(1.0));
/// ```
pub fn rate_ratio_exact(x1: u64, t1: f64, x2: u64, t2: f64, level: f64) -> Option<Interval> {
    let n = x1 + x2;
    if n == 0 || !positive(t1) || !positive(t2) || !valid_level(level) {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let (x1f, x2f) = (x1 as f64, x2 as f64);
    let alpha = 1.0 - level;
    let p_lower = if x1 == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, x1f, x2f + 1.0)
    };
    let p_upper = if x2 == 0 {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, x1f + 1.0, x2f)
    };
    let to_ratio = |p: f64| p * t2 / ((1.0 - p) * t1);
    Some(Interval {
        method: Method::ExactConditional,
        level,
        lower: finite(to_ratio(p_lower)),
        upper: if x2 == 0 {
            None
        } else {
            finite(to_ratio(p_upper))
        },
    })
}

/// The log-scale Wald interval for the ratio of two Poisson rates:
/// exp(ln r ± z₁₋α/₂ √(1/x₁ + 1/x₂)) (e.g. Rothman, Greenland and Lash,
/// *Modern Epidemiology*, 3rd ed., ch. 14).
///
/// # Returns
///
/// `None` when either count is zero (the logarithm is undefined), an
/// exposure is not positive, or the level is outside (0, 1).
///
/// # Complexity
///
/// Constant time and space.
///
/// # Examples
///
/// On R's example the Wald interval excludes 1 while the exact one does not:
///
/// ```
/// use xuncha_stats::rate_ratio_wald;
/// let ci = rate_ratio_wald(2, 17_877.0, 9, 16_660.0, 0.95).expect("events");
/// assert!(!ci.contains(1.0));
/// assert!(ci.upper.unwrap() < 1.0);
/// ```
pub fn rate_ratio_wald(x1: u64, t1: f64, x2: u64, t2: f64, level: f64) -> Option<Interval> {
    if x1 == 0 || !valid_level(level) {
        return None;
    }
    let ratio = rate_ratio(x1, t1, x2, t2)?;
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let se = (1.0 / x1 as f64 + 1.0 / x2 as f64).sqrt();
    let z = normal_quantile(1.0 - (1.0 - level) / 2.0);
    Some(Interval {
        method: Method::WaldLog,
        level,
        lower: finite((ratio.ln() - z * se).exp()),
        upper: finite((ratio.ln() + z * se).exp()),
    })
}

/// The Wilson score interval for a proportion of `k` successes in `n`
/// trials (Wilson 1927; Brown, Cai and `DasGupta` 2001).
///
/// # Returns
///
/// `None` for `n = 0`, `k > n` or a level outside (0, 1).
///
/// # Complexity
///
/// Constant time and space.
///
/// # Examples
///
/// ```
/// use xuncha_stats::wilson;
/// let ci = wilson(8, 10, 0.95).expect("trials");
/// assert!((ci.lower.unwrap() - 0.4901624).abs() < 1e-6);
/// assert!((ci.upper.unwrap() - 0.9433178).abs() < 1e-6);
/// ```
pub fn wilson(k: u64, n: u64, level: f64) -> Option<Interval> {
    if n == 0 || k > n || !valid_level(level) {
        return None;
    }
    let (none, all) = (k == 0, k == n);
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let (k, n) = (k as f64, n as f64);
    let z = normal_quantile(1.0 - (1.0 - level) / 2.0);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At k = 0 and k = n the bounds are exactly 0 and 1; rounding must not
    // leave the estimate outside its own interval.
    Some(Interval {
        method: Method::Wilson,
        level,
        lower: Some(if none {
            0.0
        } else {
            (centre - half).clamp(0.0, p)
        }),
        upper: Some(if all {
            1.0
        } else {
            (centre + half).clamp(p, 1.0)
        }),
    })
}

/// The Clopper–Pearson interval for a proportion of `k` successes in `n`
/// trials: beta quantiles B(α/2; k, n − k + 1) and B(1 − α/2; k + 1, n − k)
/// (Clopper and Pearson 1934), as R's `binom.test`.
///
/// # Returns
///
/// `None` for `n = 0`, `k > n` or a level outside (0, 1).
///
/// # Complexity
///
/// Two beta quantiles by bisection; constant space.
///
/// # Examples
///
/// ```
/// use xuncha_stats::clopper_pearson;
/// // R: binom.test(8, 10)$conf.int = 0.4439045 0.9747893
/// let ci = clopper_pearson(8, 10, 0.95).expect("trials");
/// assert!((ci.lower.unwrap() - 0.4439045).abs() < 1e-6);
/// assert!((ci.upper.unwrap() - 0.9747893).abs() < 1e-6);
/// ```
pub fn clopper_pearson(k: u64, n: u64, level: f64) -> Option<Interval> {
    if n == 0 || k > n || !valid_level(level) {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let (kf, nf) = (k as f64, n as f64);
    let alpha = 1.0 - level;
    let lower = if k == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, kf, nf - kf + 1.0)
    };
    let upper = if k == n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, kf + 1.0, nf - kf)
    };
    Some(Interval {
        method: Method::ClopperPearson,
        level,
        lower: Some(lower),
        upper: Some(upper),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_interval_matches_rs_rateratio_test_example_to_1e6() {
        let ci = rate_ratio_exact(2, 17_877.0, 9, 16_660.0, 0.95).unwrap();
        assert_eq!(ci.method, Method::ExactConditional);
        assert!((ci.lower.unwrap() - 0.021_774_06).abs() < 1e-6, "{ci:?}");
        assert!((ci.upper.unwrap() - 1.000_549_10).abs() < 1e-6, "{ci:?}");
        let ratio = rate_ratio(2, 17_877.0, 9, 16_660.0).unwrap();
        assert!((ratio - 0.207_094_155_7).abs() < 1e-9);
    }

    #[test]
    fn the_wald_log_interval_on_the_same_data_excludes_one() {
        let ci = rate_ratio_wald(2, 17_877.0, 9, 16_660.0, 0.95).unwrap();
        assert_eq!(ci.method, Method::WaldLog);
        let (lo, hi) = (ci.lower.unwrap(), ci.upper.unwrap());
        assert!(hi < 1.0, "{ci:?}");
        // exp(ln 0.2071 ± 1.96 √(1/2 + 1/9)).
        assert!(
            (lo - 0.044_74).abs() < 1e-4 && (hi - 0.958_6).abs() < 1e-3,
            "{ci:?}"
        );
    }

    #[test]
    fn zero_counts_give_undefined_never_nan() {
        assert_eq!(rate_ratio(3, 1.0, 0, 1.0), None);
        assert_eq!(rate_ratio_exact(0, 1.0, 0, 1.0, 0.95), None);
        let ci = rate_ratio_exact(3, 1.0, 0, 1.0, 0.95).unwrap();
        assert!(ci.lower.is_some_and(f64::is_finite) && ci.upper.is_none());
        let ci = rate_ratio_exact(0, 1.0, 4, 1.0, 0.95).unwrap();
        assert_eq!(ci.lower, Some(0.0));
        assert!(ci.upper.is_some_and(f64::is_finite));
        assert_eq!(rate_ratio_wald(0, 1.0, 4, 1.0, 0.95), None);
        assert_eq!(rate_ratio_wald(4, 1.0, 0, 1.0, 0.95), None);
        assert_eq!(rate_ratio(1, 0.0, 1, 1.0), None);
        assert_eq!(wilson(0, 0, 0.95), None);
        assert_eq!(clopper_pearson(0, 0, 0.95), None);
        let ci = clopper_pearson(0, 5, 0.95).unwrap();
        assert_eq!(ci.lower, Some(0.0));
        let ci = clopper_pearson(5, 5, 0.95).unwrap();
        assert_eq!(ci.upper, Some(1.0));
    }

    #[test]
    fn equal_counts_over_equal_exposures_straddle_one() {
        for n in [1, 5, 50, 5000] {
            let exact = rate_ratio_exact(n, 10.0, n, 10.0, 0.95).unwrap();
            let wald = rate_ratio_wald(n, 10.0, n, 10.0, 0.95).unwrap();
            assert!(exact.contains(1.0) && wald.contains(1.0));
            // Symmetric on the log scale.
            let (l, u) = (exact.lower.unwrap(), exact.upper.unwrap());
            assert!((l * u - 1.0).abs() < 1e-9, "{l} {u}");
        }
    }

    #[test]
    fn wilson_matches_the_published_formula() {
        // Brown, Cai and DasGupta's example style: 8 of 10.
        let ci = wilson(8, 10, 0.95).unwrap();
        assert!((ci.lower.unwrap() - 0.490_162_4).abs() < 1e-6);
        assert!((ci.upper.unwrap() - 0.943_317_8).abs() < 1e-6);
    }
}
