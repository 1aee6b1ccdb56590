//! The table as plain text for a terminal.

use std::fmt::Write as _;

use super::markdown::SHOWN;
use super::{Report, show};

pub(crate) fn text(report: &Report) -> String {
    let t = &report.table;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec![t.by.to_string()];
    header.extend(SHOWN.iter().map(|m| m.name().to_owned()));
    header.push("completion".to_owned());
    rows.push(header);
    for g in t.groups.iter().chain(std::iter::once(&t.total)) {
        let mut row = vec![g.key.clone()];
        row.extend(SHOWN.iter().map(|m| g.counts.get(*m).to_string()));
        row.push(
            g.completion_rate
                .filter(|r| r.is_finite())
                .map_or_else(|| "undefined".to_owned(), |r| format!("{:.1}%", r * 100.0)),
        );
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i == 0 {
                let _ = write!(s, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(s, "  {}{cell}", " ".repeat(pad));
            }
        }
        s.push('\n');
    }
    if let Some(c) = &report.comparison {
        comparison(&mut s, c);
    }
    let v = &report.clusters;
    let _ = writeln!(
        s,
        "leads along the vine (顺藤摸瓜): {} leads in {} clusters, {} of two or more; the largest {}",
        v.leads,
        v.clusters,
        v.linked,
        v.largest.as_ref().map_or(0, xuncha_leads::LeadCluster::len)
    );
    s
}

/// The comparison, one line per metric, as a person reads it: the counts,
/// the ratio with its change in per cent and both intervals; a rate per
/// unit or per inspection day on a line of its own only where its ratio
/// differs from the counts' (where the two groups' exposures differ).
fn comparison(s: &mut String, c: &crate::Comparison) {
    let _ = writeln!(
        s,
        "\n{} against {}: the ratio of {} to {}, its change in per cent, and 95% intervals (exact conditional; Wald on the log scale):",
        c.a, c.b, c.a, c.b
    );
    let equal: Vec<String> = c
        .ratios
        .iter()
        .filter(|r| r.per != crate::Per::Group && r.exposure_a == r.exposure_b)
        .map(|r| match r.per {
            crate::Per::UnitInspected => format!("{} units", r.exposure_a),
            _ => format!("{} team-days", r.exposure_a),
        })
        .fold(Vec::new(), |mut seen, e| {
            if !seen.contains(&e) {
                seen.push(e);
            }
            seen
        });
    if !equal.is_empty() {
        let _ = writeln!(
            s,
            "  (each inspected {}: the rates per unit and per team-day give the counts' ratio, and are not repeated)",
            equal.join(" and ")
        );
    }
    let mut metrics: Vec<crate::Metric> = Vec::new();
    for r in &c.ratios {
        if !metrics.contains(&r.metric) {
            metrics.push(r.metric);
        }
    }
    for metric in metrics {
        let rows: Vec<&crate::RateRatio> = c.ratios.iter().filter(|r| r.metric == metric).collect();
        let Some(count) = rows.iter().find(|r| r.per == crate::Per::Group) else {
            continue;
        };
        let _ = writeln!(
            s,
            "  {:<20} {} vs {}: {}",
            metric.name(),
            count.count_a,
            count.count_b,
            ratio_text(count)
        );
        for r in rows.iter().filter(|r| r.per != crate::Per::Group) {
            // Equal exposures give the counts' ratio again.
            if r.exposure_a == r.exposure_b {
                continue;
            }
            let unit = match r.per {
                crate::Per::UnitInspected => "unit",
                _ => "team-day",
            };
            let _ = writeln!(
                s,
                "  {:<20} per {unit}: {} vs {} ({} in {} {unit}s vs {} in {}): {}",
                "",
                rate(r.count_a, r.exposure_a),
                rate(r.count_b, r.exposure_b),
                r.count_a,
                r.exposure_a,
                r.count_b,
                r.exposure_b,
                ratio_text(r)
            );
        }
    }
}

/// `×5.000 (+400.0%), exact [4.672, 5.355], Wald [4.673, 5.350]`.
fn ratio_text(r: &crate::RateRatio) -> String {
    let bounds = |ci: Option<&crate::Interval>| match ci {
        None => "undefined".to_owned(),
        Some(ci) => format!(
            "[{}, {}]",
            show(ci.lower, 3),
            ci.upper
                .map_or_else(|| "∞".to_owned(), |u| format!("{u:.3}"))
        ),
    };
    let change = r
        .percent_change
        .filter(|p| p.is_finite())
        .map_or_else(|| "undefined".to_owned(), |p| format!("{p:+.1}%"));
    format!(
        "×{} ({change}), exact {}, Wald {}",
        show(r.ratio, 3),
        bounds(r.exact.as_ref()),
        bounds(r.wald.as_ref())
    )
}

/// A count over an exposure, to three places.
fn rate(count: u64, exposure: u64) -> String {
    if exposure == 0 {
        return "undefined".to_owned();
    }
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let value = count as f64 / exposure as f64;
    format!("{value:.3}")
}
