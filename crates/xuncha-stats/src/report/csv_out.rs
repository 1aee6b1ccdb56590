//! The table as CSV.

use crate::{Error, GroupStats, Metric, Table};

/// The CSV columns after the metrics.
const EXTRA: [&str; 9] = [
    "teams",
    "units_inspected",
    "team_days",
    "completion_rate",
    "completion_wilson_lower",
    "completion_wilson_upper",
    "coverage_inspected",
    "coverage_eligible",
    "coverage",
];

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.6}"))
}

fn row(g: &GroupStats) -> Vec<String> {
    let mut cells = vec![g.key.clone()];
    cells.extend(Metric::ALL.iter().map(|m| g.counts.get(*m).to_string()));
    let cov = g.coverage.as_ref();
    cells.extend([
        g.exposure.teams.to_string(),
        g.exposure.units_inspected.to_string(),
        g.exposure.team_days.to_string(),
        opt(g.completion_rate),
        opt(g.completion_wilson.and_then(|c| c.lower)),
        opt(g.completion_wilson.and_then(|c| c.upper)),
        cov.map(|c| c.inspected.to_string()).unwrap_or_default(),
        cov.map(|c| c.eligible.to_string()).unwrap_or_default(),
        opt(cov.and_then(|c| c.share)),
    ]);
    cells
}

/// One row per group then `all`; an undefined value is an empty cell.
pub(crate) fn table_csv(table: &Table) -> Result<String, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Report {
        format: "CSV",
        message: e.to_string(),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![table.by.as_str()];
    header.extend(Metric::ALL.iter().map(|m| m.name()));
    header.extend(EXTRA);
    out.write_record(&header).map_err(|e| fail(&e))?;
    for g in table.groups.iter().chain(std::iter::once(&table.total)) {
        out.write_record(row(g)).map_err(|e| fail(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}
