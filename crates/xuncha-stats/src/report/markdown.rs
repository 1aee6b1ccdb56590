//! The report as Markdown.

use std::fmt::Write as _;

use super::{Report, ratio_cells, show, show_interval};
use crate::{Comparison, Metric};

/// The metrics shown in the people's tables.
pub(crate) const SHOWN: [Metric; 12] = [
    Metric::Petitions,
    Metric::VisitBatches,
    Metric::PersonVisits,
    Metric::LeadsFound,
    Metric::LeadsTransferred,
    Metric::CasesFiled,
    Metric::Sanctions,
    Metric::JudicialReferrals,
    Metric::FundsRecoveredYuan,
    Metric::Items,
    Metric::ItemsClosed,
    Metric::CriticismNotices,
];

pub(crate) fn markdown(report: &Report) -> String {
    let mut s = String::new();
    let t = &report.table;
    let _ = writeln!(s, "# 巡察统计报告 (inspection statistics)\n");
    let _ = writeln!(
        s,
        "Grouped by **{}**, dates {}. Definitions: `docs/metrics.md`. Intervals at 95 %.\n",
        t.by, t.range
    );
    table_md(&mut s, report);
    let _ = writeln!(s, "\n## 整改完成率 (completion rate)\n");
    let _ = writeln!(
        s,
        "| group | items | closed | rate | Wilson | Clopper-Pearson |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---|---|");
    for g in t.groups.iter().chain(std::iter::once(&t.total)) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            report.label(&g.key),
            g.counts.items,
            g.counts.items_closed,
            show(g.completion_rate, 3),
            show_interval(g.completion_wilson.as_ref(), 3),
            show_interval(g.completion_clopper_pearson.as_ref(), 3)
        );
    }
    clusters_md(&mut s, &report.clusters);
    if let Some(c) = &report.comparison {
        comparison_md(&mut s, c);
    }
    s
}

fn clusters_md(s: &mut String, c: &crate::ClusterSummary) {
    let _ = writeln!(s, "\n## 顺藤摸瓜 (leads followed along the vine)\n");
    let _ = writeln!(
        s,
        "{} leads form {} clusters, {} of two leads or more (linked by a person or unit they implicate, or found one from another).\n",
        c.leads, c.clusters, c.linked
    );
    let _ = writeln!(s, "| leads in a cluster | clusters |");
    let _ = writeln!(s, "|---:|---:|");
    for (size, n) in &c.sizes {
        let _ = writeln!(s, "| {size} | {n} |");
    }
    if let Some(largest) = c.largest.as_ref().filter(|l| l.len() > 1) {
        let _ = writeln!(
            s,
            "\nThe largest: {} leads ({}); persons {}; units {}.",
            largest.len(),
            largest.leads.join(", "),
            if largest.persons.is_empty() {
                "none".to_owned()
            } else {
                largest.persons.join(", ")
            },
            if largest.units.is_empty() {
                "none".to_owned()
            } else {
                largest.units.join(", ")
            },
        );
    }
}

fn table_md(s: &mut String, report: &Report) {
    let t = &report.table;
    let _ = write!(s, "| {} |", t.by);
    for m in SHOWN {
        let _ = write!(s, " {} |", m.chinese());
    }
    let _ = writeln!(s, " teams | units | team-days | coverage |");
    let _ = write!(s, "|---|");
    for _ in SHOWN {
        let _ = write!(s, "---:|");
    }
    let _ = writeln!(s, "---:|---:|---:|---:|");
    for g in t.groups.iter().chain(std::iter::once(&t.total)) {
        let _ = write!(s, "| {} |", report.label(&g.key));
        for m in SHOWN {
            let _ = write!(s, " {} |", g.counts.get(m));
        }
        let _ = writeln!(
            s,
            " {} | {} | {} | {} |",
            g.exposure.teams,
            g.exposure.units_inspected,
            g.exposure.team_days,
            show(g.coverage.as_ref().and_then(|c| c.share), 3)
        );
    }
}

fn comparison_md(s: &mut String, c: &Comparison) {
    let _ = writeln!(s, "\n## {} vs {}\n", c.a, c.b);
    let _ = writeln!(
        s,
        "Ratio = ({a} count / {a} exposure) / ({b} count / {b} exposure). Exact = exact conditional (binomial, as R's poisson.test); Wald = log-scale Wald.\n",
        a = c.a,
        b = c.b
    );
    let _ = writeln!(
        s,
        "| metric | per | {} count | {} exposure | {} count | {} exposure | ratio | change % | exact 95% | Wald-log 95% |",
        c.a, c.a, c.b, c.b
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---|---|");
    for r in &c.ratios {
        let _ = writeln!(s, "| {} |", ratio_cells(r).join(" | "));
    }
}
