//! The charts, written as plain SVG: grouped bars, a funnel, a line over
//! time, and ratios with interval whiskers on a log scale.

use std::fmt::Write as _;

/// The chart's size in pixels.
pub(crate) const WIDTH: f64 = 660.0;
pub(crate) const HEIGHT: f64 = 300.0;

/// The palette (distinct, legible on white, safe for colour-blind readers).
pub(crate) const COLOURS: [&str; 4] = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];

/// Escapes text for XML.
pub(crate) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(s: &mut String, title: &str) {
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{t}"><title>{t}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##,
        t = esc(title)
    );
}

fn empty(title: &str) -> String {
    let mut s = String::new();
    open(&mut s, title);
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle" fill="#666">无数据 (no data)</text></svg>"##,
        WIDTH / 2.0,
        HEIGHT / 2.0
    );
    s
}

/// A "nice" upper bound for an axis.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * mag >= max {
            return step * mag;
        }
    }
    10.0 * mag
}

fn y_axis(s: &mut String, left: f64, top: f64, bottom: f64, max: f64, percent: bool) {
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = bottom - (bottom - top) * f64::from(i) / 4.0;
        let label = if percent {
            format!("{:.0}%", v * 100.0)
        } else if v >= 10.0 || v == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        };
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#444">{label}</text>"##,
            WIDTH - 10.0,
            left - 4.0,
            y + 4.0
        );
    }
}

/// Grouped bars: one group per label, one bar per series.
#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
pub(crate) fn bars(title: &str, series: &[&str], groups: &[(String, Vec<u64>)]) -> String {
    let max = groups
        .iter()
        .flat_map(|(_, v)| v.iter())
        .copied()
        .max()
        .unwrap_or(0);
    if groups.is_empty() || max == 0 {
        return empty(title);
    }
    let mut s = String::new();
    open(&mut s, title);
    let (left, top, bottom) = (50.0, 40.0, HEIGHT - 40.0);
    let top_value = nice_max(max as f64);
    y_axis(&mut s, left, top, bottom, top_value, false);
    let band = (WIDTH - left - 10.0) / groups.len() as f64;
    let bar = (band * 0.8 / series.len() as f64).max(1.0);
    for (g, (label, values)) in groups.iter().enumerate() {
        let x0 = left + band * g as f64 + band * 0.1;
        for (k, v) in values.iter().enumerate() {
            let h = (bottom - top) * (*v as f64) / top_value;
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{} {}: {v}</title></rect>"#,
                x0 + bar * k as f64,
                bottom - h,
                bar,
                COLOURS[k % COLOURS.len()],
                esc(label),
                esc(series.get(k).copied().unwrap_or(""))
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="#222">{}</text>"##,
            x0 + band * 0.4,
            bottom + 16.0,
            esc(label)
        );
    }
    legend(&mut s, series);
    s.push_str("</svg>");
    s
}

#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
fn legend(s: &mut String, series: &[&str]) {
    for (k, name) in series.iter().enumerate() {
        let x = 60.0 + 150.0 * k as f64;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="12" width="12" height="12" fill="{}"/><text x="{}" y="22" font-size="12" fill="#222">{}</text>"##,
            COLOURS[k % COLOURS.len()],
            x + 16.0,
            esc(name)
        );
    }
}

/// A funnel: one centred horizontal bar per step, widths in proportion.
#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
pub(crate) fn funnel(title: &str, steps: &[(String, u64)]) -> String {
    let max = steps.iter().map(|(_, v)| *v).max().unwrap_or(0);
    if max == 0 {
        return empty(title);
    }
    let mut s = String::new();
    open(&mut s, title);
    let (left, right) = (130.0, WIDTH - 80.0);
    let row = (HEIGHT - 20.0) / steps.len().max(1) as f64;
    for (i, (label, v)) in steps.iter().enumerate() {
        let w = ((right - left) * (*v as f64) / max as f64).max(2.0);
        let x = left + (right - left - w) / 2.0;
        let y = 10.0 + row * i as f64;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{}"/><text x="{}" y="{:.1}" text-anchor="end" font-size="13" fill="#222">{}</text><text x="{}" y="{:.1}" font-size="13" fill="#222">{v}</text>"##,
            y + 4.0,
            row - 8.0,
            COLOURS[i % COLOURS.len()],
            left - 8.0,
            y + row / 2.0 + 4.0,
            esc(label),
            right + 8.0,
            y + row / 2.0 + 4.0
        );
    }
    s.push_str("</svg>");
    s
}

/// A line of rates in [0, 1] over dated points.
#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
pub(crate) fn line(title: &str, points: &[(String, Option<f64>)]) -> String {
    if points.iter().all(|(_, v)| v.is_none()) {
        return empty(title);
    }
    let mut s = String::new();
    open(&mut s, title);
    let (left, top, bottom) = (50.0, 30.0, HEIGHT - 40.0);
    y_axis(&mut s, left, top, bottom, 1.0, true);
    let step = (WIDTH - left - 30.0) / (points.len().max(2) - 1) as f64;
    let mut path = String::new();
    for (i, (label, v)) in points.iter().enumerate() {
        let x = left + 10.0 + step * i as f64;
        if let Some(v) = v {
            let y = bottom - (bottom - top) * v;
            let _ = write!(
                path,
                "{}{x:.1},{y:.1} ",
                if path.is_empty() { "M" } else { "L" }
            );
            let _ = write!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}"><title>{}: {:.1}%</title></circle>"#,
                COLOURS[2],
                esc(label),
                v * 100.0
            );
        }
        if points.len() <= 12 || i % points.len().div_ceil(12) == 0 {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{}" text-anchor="middle" font-size="10" fill="#222">{}</text>"##,
                bottom + 16.0,
                esc(label)
            );
        }
    }
    let _ = write!(
        s,
        r#"<path d="{}" fill="none" stroke="{}" stroke-width="3"/></svg>"#,
        path.trim_end(),
        COLOURS[2]
    );
    s
}

/// One row of the whisker chart: a label, the ratio and two intervals.
pub(crate) struct Whisker {
    pub(crate) label: String,
    pub(crate) ratio: Option<f64>,
    pub(crate) exact: (Option<f64>, Option<f64>),
    pub(crate) wald: (Option<f64>, Option<f64>),
}

/// Ratios on a log scale with the exact (blue) and Wald-log (red)
/// whiskers, and a line at 1.
#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
pub(crate) fn whiskers(title: &str, rows: &[Whisker]) -> String {
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [r.ratio, r.exact.0, r.exact.1, r.wald.0, r.wald.1])
        .flatten()
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    if values.is_empty() {
        return empty(title);
    }
    let lo = values
        .iter()
        .copied()
        .fold(1.0f64, f64::min)
        .log10()
        .floor()
        - 0.1;
    let hi = values.iter().copied().fold(1.0f64, f64::max).log10().ceil() + 0.1;
    // Room on the right for each row's figures (the ratio and the exact
    // interval, written out beside its whiskers).
    let (left, right, top) = (150.0, WIDTH - 150.0, 40.0);
    let x = |v: f64| left + (right - left) * (v.log10() - lo) / (hi - lo);
    let mut s = String::new();
    open(&mut s, title);
    legend(&mut s, &["exact conditional", "Wald (log scale)"]);
    let row = (HEIGHT - top - 30.0) / rows.len().max(1) as f64;
    let bottom = top + row * rows.len() as f64;
    let _ = write!(
        s,
        r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{bottom:.1}" stroke="#888" stroke-dasharray="4 3"/><text x="{0:.1}" y="{1:.1}" text-anchor="middle" font-size="11">1</text>"##,
        x(1.0),
        bottom + 14.0
    );
    log_axis(&mut s, lo, hi, top, bottom, &x);
    for (i, r) in rows.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.1}" text-anchor="end" font-size="12" fill="#222">{}</text>"##,
            left - 8.0,
            y + 4.0,
            esc(&r.label)
        );
        for (k, (l, u), dy) in [(0usize, r.exact, -4.0), (1, r.wald, 4.0)] {
            let Some(l) = l.filter(|v| *v > 0.0) else {
                continue;
            };
            let xu = u.map_or(right, x);
            let _ = write!(
                s,
                r#"<line x1="{:.1}" y1="{yy:.1}" x2="{xu:.1}" y2="{yy:.1}" stroke="{c}" stroke-width="3"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{c}" stroke-width="2"/>"#,
                x(l),
                x(l),
                y + dy - 5.0,
                x(l),
                y + dy + 5.0,
                yy = y + dy,
                c = COLOURS[k]
            );
        }
        if let Some(v) = r.ratio.filter(|v| *v > 0.0) {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{y:.1}" r="5" fill="#000"><title>{}: {v:.3}</title></circle>"##,
                x(v),
                esc(&r.label)
            );
        }
        // The figures beside the whiskers: ×ratio [exact lower, upper].
        let figure = |v: Option<f64>| {
            v.filter(|v| v.is_finite())
                .map_or("–".to_owned(), |v| format!("{v:.2}"))
        };
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#222">×{} [{}, {}]</text>"##,
            right + 8.0,
            y + 4.0,
            figure(r.ratio),
            figure(r.exact.0),
            r.exact
                .1
                .filter(|v| v.is_finite())
                .map_or("∞".to_owned(), |v| format!("{v:.2}"))
        );
    }
    s.push_str("</svg>");
    s
}

/// Figures on a log axis at 1, 2 and 5 of each decade from `10^lo` to
/// `10^hi`, with a faint line up from each (1 has its own dashed line);
/// `x` places a value.
fn log_axis(s: &mut String, lo: f64, hi: f64, top: f64, bottom: f64, x: &dyn Fn(f64) -> f64) {
    let (from, to) = (10f64.powf(lo), 10f64.powf(hi));
    let mut decade = lo.floor();
    while decade <= hi.ceil() {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powf(decade);
            if v < from || v > to || (v - 1.0).abs() < 1e-9 {
                continue;
            }
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{bottom:.1}" stroke="#eee"/><text x="{0:.1}" y="{1:.1}" text-anchor="middle" font-size="11" fill="#444">{2}</text>"##,
                x(v),
                bottom + 14.0,
                axis_figure(v)
            );
        }
        decade += 1.0;
    }
}

/// A figure on a log axis: `0.5`, `1`, `20`, without trailing zeros.
fn axis_figure(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The most leads a cluster drawing shows; the caption says when more.
pub(crate) const CLUSTER_LEADS: usize = 24;

/// A cluster of linked leads (顺藤摸瓜) as a graph: leads on an outer
/// circle (blue circles), the persons (red squares) and units (green
/// squares) that link them on an inner one, a line from each lead to what
/// it shares with another and an arrow from a lead to each lead found from
/// it.
#[expect(clippy::cast_precision_loss, reason = "chart coordinates")]
pub(crate) fn cluster(title: &str, cluster: &xuncha_leads::LeadCluster) -> String {
    if cluster.is_empty() {
        return empty(title);
    }
    let mut s = String::new();
    open(&mut s, title);
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>"##);
    let shown: Vec<&String> = cluster.leads.iter().take(CLUSTER_LEADS).collect();
    let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
    let around = |i: usize, n: usize, r: f64| {
        let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * 1.7 * a.cos(), cy + r * a.sin())
    };
    let lead_at: std::collections::HashMap<&str, (f64, f64)> = shown
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), around(i, shown.len(), 125.0)))
        .collect();
    // What links the leads: each person or unit two of them share.
    let mut parties: Vec<(String, bool)> = Vec::new();
    let mut touches: Vec<(&str, String)> = Vec::new();
    for link in &cluster.links {
        let (name, is_person) = match &link.reason {
            xuncha_leads::LinkReason::Person(p) => (p.clone(), true),
            xuncha_leads::LinkReason::Unit(u) => (u.clone(), false),
            _ => continue,
        };
        touches.push((link.from.as_str(), name.clone()));
        touches.push((link.to.as_str(), name.clone()));
        if !parties.contains(&(name.clone(), is_person)) {
            parties.push((name, is_person));
        }
    }
    let party_at: std::collections::HashMap<&str, (f64, f64)> = parties
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.as_str(), around(i, parties.len(), 55.0)))
        .collect();
    for (lead, party) in &touches {
        if let (Some(&(x1, y1)), Some(&(x2, y2))) =
            (lead_at.get(lead), party_at.get(party.as_str()))
        {
            let _ = write!(
                s,
                r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#bbb"/>"##
            );
        }
    }
    for link in cluster
        .links
        .iter()
        .filter(|l| l.reason == xuncha_leads::LinkReason::FoundFrom)
    {
        if let (Some(&(x1, y1)), Some(&(x2, y2))) = (
            lead_at.get(link.from.as_str()),
            lead_at.get(link.to.as_str()),
        ) {
            let _ = write!(
                s,
                r##"<line class="found-from" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>"##
            );
        }
    }
    for (name, is_person) in &parties {
        let (x, y) = party_at[name.as_str()];
        let colour = if *is_person { COLOURS[1] } else { COLOURS[2] };
        let _ = write!(
            s,
            r##"<rect class="party" x="{:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="#222">{}</text>"##,
            x - 5.0,
            y - 5.0,
            y + 16.0,
            esc(name)
        );
    }
    for id in &shown {
        let (x, y) = lead_at[id.as_str()];
        let _ = write!(
            s,
            r##"<circle class="lead" cx="{x:.1}" cy="{y:.1}" r="7" fill="{}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="#222">{}</text>"##,
            COLOURS[0],
            y - 10.0,
            esc(id)
        );
    }
    s.push_str("</svg>");
    s
}
