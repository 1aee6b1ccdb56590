//! Intervals: never NaN, always around the estimate, and the exact and
//! Wald intervals agreeing once counts are large.

use proptest::prelude::*;
use xuncha_stats::{
    Interval, Metric, Per, clopper_pearson, rate_ratio, rate_ratio_exact, rate_ratio_wald,
    ratio_of, wilson,
};

fn sane(ci: Option<Interval>) -> bool {
    ci.is_none_or(|ci| {
        let ok = |b: Option<f64>| b.is_none_or(|v| v.is_finite() && v >= 0.0);
        ok(ci.lower) && ok(ci.upper) && ci.lower.zip(ci.upper).is_none_or(|(l, u)| l <= u)
    })
}

proptest! {
    #[test]
    fn intervals_are_never_nan_and_contain_the_estimate(
        x1 in 0u64..500, x2 in 0u64..500, t1 in 0u64..1000, t2 in 0u64..1000,
    ) {
        let r = ratio_of(Metric::CasesFiled, Per::InspectionDay, (x1, t1), (x2, t2));
        prop_assert!(r.ratio.is_none_or(f64::is_finite));
        prop_assert!(sane(r.exact) && sane(r.wald));
        if let (Some(ratio), Some(exact)) = (r.ratio, r.exact) {
            prop_assert!(exact.contains(ratio) || ratio == 0.0, "{ratio} {exact:?}");
        }
        let n = x1 + x2;
        prop_assert!(sane(wilson(x1, n, 0.95)) && sane(clopper_pearson(x1, n, 0.95)));
        if n > 0 {
            let p = f64::from(u32::try_from(x1).unwrap()) / f64::from(u32::try_from(n).unwrap());
            prop_assert!(wilson(x1, n, 0.95).unwrap().contains(p));
            prop_assert!(clopper_pearson(x1, n, 0.95).unwrap().contains(p));
        }
    }

    #[test]
    fn with_many_events_the_exact_and_wald_intervals_agree(
        x1 in 2_000u64..20_000, x2 in 2_000u64..20_000, t1 in 1.0f64..1e6, t2 in 1.0f64..1e6,
    ) {
        let exact = rate_ratio_exact(x1, t1, x2, t2, 0.95).unwrap();
        let wald = rate_ratio_wald(x1, t1, x2, t2, 0.95).unwrap();
        let ratio = rate_ratio(x1, t1, x2, t2).unwrap();
        for (a, b) in [(exact.lower, wald.lower), (exact.upper, wald.upper)] {
            let (a, b) = (a.unwrap(), b.unwrap());
            prop_assert!(((a - b) / ratio).abs() < 0.01, "{a} {b} {ratio}");
        }
    }
}
