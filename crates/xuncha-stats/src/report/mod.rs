//! Reports: everything a report shows, and its writers (JSON, CSV,
//! Markdown, a plain-text table, self-contained HTML with SVG charts).

mod csv_out;
mod html;
mod markdown;
mod series;
mod svg;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use series::{CompletionPoint, completion_series};

use crate::{
    By, ClusterSummary, Comparison, DateRange, Error, Metric, Records, Table, aggregate, compare,
};

/// The version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// One step of the funnel from petitions to referrals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// What is counted.
    pub metric: Metric,
    /// How many.
    pub count: u64,
}

/// Everything a report shows.
///
/// ```
/// use xuncha_stats::{By, DateRange, Records, Report};
/// let report = Report::build(&Records::new(&[]), By::City, DateRange::all(), None);
/// let html = report.to_html();
/// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
/// assert!(report.to_markdown().contains("undefined"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The format version.
    pub version: u32,
    /// The table by the chosen grouping.
    pub table: Table,
    /// The table by city (for the charts; the same as `table` when grouped
    /// by city).
    pub by_city: Table,
    /// The funnel: petitions, leads found, cases filed, sanctions,
    /// judicial referrals.
    pub funnel: Vec<FunnelStep>,
    /// Rectification completion at each month's end.
    pub completion: Vec<CompletionPoint>,
    /// The comparison of two groups, when asked for and both exist.
    pub comparison: Option<Comparison>,
    /// The names of the divisions among the groups' labels (`3506` →
    /// `漳州市`), from the hierarchy when there is one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    /// The clusters of linked leads (顺藤摸瓜) found in the range.
    #[serde(default)]
    pub clusters: ClusterSummary,
}

impl Report {
    /// Builds a report grouped `by` over `range`. `compare_groups` names
    /// two groups of that grouping to compare; when `None`, cross
    /// inspection is compared with regular inspection (grouped by mode)
    /// if both are present.
    pub fn build(
        records: &Records<'_>,
        by: By,
        range: DateRange,
        compare_groups: Option<(&str, &str)>,
    ) -> Report {
        let table = aggregate(records, by, &range);
        let by_city = if by == By::City {
            table.clone()
        } else {
            aggregate(records, By::City, &range)
        };
        let comparison = match compare_groups {
            Some((a, b)) => compare(&table, a, b),
            None if by == By::Mode => compare(&table, "cross", "regular"),
            None => compare(&aggregate(records, By::Mode, &range), "cross", "regular"),
        };
        let c = &table.total.counts;
        let funnel = [
            Metric::Petitions,
            Metric::LeadsFound,
            Metric::CasesFiled,
            Metric::Sanctions,
            Metric::JudicialReferrals,
        ]
        .into_iter()
        .map(|metric| FunnelStep {
            metric,
            count: c.get(metric),
        })
        .collect();
        let mut names = BTreeMap::new();
        if let Some(h) = records.hierarchy {
            for g in table.groups.iter().chain(&by_city.groups) {
                if let Some(d) = xuncha_org::Code::parse(&g.key).ok().and_then(|c| h.get(c)) {
                    names.insert(g.key.clone(), d.name().to_owned());
                }
            }
        }
        Report {
            version: REPORT_VERSION,
            clusters: ClusterSummary::build(records, range),
            names,
            completion: completion_series(records, &range),
            table,
            by_city,
            funnel,
            comparison,
        }
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Report {
            format: "JSON",
            message: e.to_string(),
        })
    }

    /// The table as CSV, one row per group and a last row `all`.
    pub fn to_csv(&self) -> Result<String, Error> {
        csv_out::table_csv(&self.table)
    }

    /// The report as Markdown, for people.
    pub fn to_markdown(&self) -> String {
        markdown::markdown(self)
    }

    /// The table as plain text for a terminal.
    pub fn to_text(&self) -> String {
        text::text(self)
    }

    /// The report as one self-contained HTML page (UTF-8, CJK fonts
    /// declared, inline SVG charts, no network).
    pub fn to_html(&self) -> String {
        html::html(self)
    }
}

impl Report {
    /// A group's label for people: `3506 漳州市` when the name is known.
    pub fn label(&self, key: &str) -> String {
        self.names
            .get(key)
            .map_or_else(|| key.to_owned(), |name| format!("{key} {name}"))
    }
}

/// A number for people: `undefined` for `None`, else with `digits`
/// decimals.
pub(crate) fn show(value: Option<f64>, digits: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.digits$}"),
        _ => "undefined".to_owned(),
    }
}

/// The cells of one comparison row, as the Markdown and HTML tables show
/// them: metric, per, A's count and exposure, B's, ratio, change %, the
/// exact and the Wald-log intervals.
pub(crate) fn ratio_cells(r: &crate::RateRatio) -> [String; 10] {
    [
        r.metric.chinese().to_owned(),
        r.per.label().to_string(),
        r.count_a.to_string(),
        r.exposure_a.to_string(),
        r.count_b.to_string(),
        r.exposure_b.to_string(),
        show(r.ratio, 3),
        show(r.percent_change, 1),
        show_interval(r.exact.as_ref(), 3),
        show_interval(r.wald.as_ref(), 3),
    ]
}

/// An interval for people, with its method.
pub(crate) fn show_interval(ci: Option<&crate::Interval>, digits: usize) -> String {
    match ci {
        None => "undefined".to_owned(),
        Some(ci) => format!(
            "[{}, {}] ({}, {:.0}%)",
            show(ci.lower, digits),
            ci.upper
                .map_or_else(|| "∞".to_owned(), |u| format!("{u:.digits$}")),
            ci.method.label(),
            ci.level * 100.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::show_interval;
    use crate::{Interval, Method};

    /// An interval unbounded above reads `∞` (as in the text and the
    /// charts), not as undefined: only a missing interval is.
    #[test]
    fn an_unbounded_upper_end_reads_as_infinity() {
        let ci = Interval {
            method: Method::ExactConditional,
            level: 0.95,
            lower: Some(0.5),
            upper: None,
        };
        let text = show_interval(Some(&ci), 2);
        assert!(text.starts_with("[0.50, ∞] ("), "{text}");
        assert!(!text.contains("undefined"), "{text}");
        assert_eq!(show_interval(None, 2), "undefined");
    }
}
