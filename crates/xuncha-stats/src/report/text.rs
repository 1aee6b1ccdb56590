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
        row.push(show(g.completion_rate, 3));
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
        let _ = writeln!(
            s,
            "\n{} vs {} (exact conditional and Wald-log 95% intervals):",
            c.a, c.b
        );
        for r in &c.ratios {
            let _ = writeln!(
                s,
                "  {:<20} {:<19} {}/{} vs {}/{}: ratio {}, exact {}, Wald-log {}",
                r.metric.name(),
                r.per.label(),
                r.count_a,
                r.exposure_a,
                r.count_b,
                r.exposure_b,
                show(r.ratio, 3),
                super::show_interval(r.exact.as_ref(), 3),
                super::show_interval(r.wald.as_ref(), 3)
            );
        }
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
