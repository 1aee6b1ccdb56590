//! The report as one self-contained HTML page.
//!
//! The four charts sit in a grid of two columns at the top of the page,
//! each at most 680 × 330 pixels (the first at (10, 70)), scaling down to
//! fit a viewport from 1024 pixels; tables follow, each scrolling in its
//! own box when wider than the page. `scripts/check-report.sh` checks both
//! in Chromium.

use std::fmt::Write as _;

use super::markdown::SHOWN;
use super::svg::{self, Whisker, esc};
use super::{Report, ratio_cells, show, show_interval};
use crate::{Metric, Per};

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #222;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; }
header { position: absolute; top: 0; left: 10px; height: 60px; }
header h1 { font-size: 22px; margin: 14px 0 0 0; }
.charts { position: absolute; top: 70px; left: 10px; right: 10px; max-width: 1370px;
  display: grid; grid-template-columns: repeat(2, minmax(0, 680px)); grid-auto-rows: 330px; gap: 10px; }
figure { margin: 0; border: 1px solid #ddd; padding: 0 10px; overflow: hidden; min-width: 0; }
figure svg { display: block; width: 100%; height: auto; max-height: 300px; }
.wide { max-width: 100%; overflow-x: auto; }
figcaption { font-size: 14px; font-weight: bold; height: 24px; line-height: 24px; }
main { position: absolute; top: 760px; left: 10px; right: 10px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 24px 0; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
p.note { font-size: 13px; color: #444; }
"#;

pub(crate) fn html(report: &Report) -> String {
    let t = &report.table;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>巡察统计报告</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>巡察统计报告 · 按{} ({}) · {}</h1></header>\n<div class=\"charts\">\n",
        by_chinese(t.by),
        t.by,
        esc(&t.range.to_string())
    );
    // 1. Leads, cases and sanctions per city.
    let groups: Vec<(String, Vec<u64>)> = report
        .by_city
        .groups
        .iter()
        .map(|g| {
            (
                report
                    .names
                    .get(&g.key)
                    .cloned()
                    .unwrap_or_else(|| g.key.clone()),
                vec![
                    g.counts.leads_found,
                    g.counts.cases_filed,
                    g.counts.sanctions,
                ],
            )
        })
        .collect();
    figure(
        &mut s,
        "chart-cities",
        "各市问题线索、立案、处分 (leads, cases, sanctions per city)",
        &svg::bars(
            "leads, cases and sanctions per city",
            &["问题线索 leads", "立案 cases", "处分 sanctions"],
            &groups,
        ),
    );
    // 2. The funnel.
    let steps: Vec<(String, u64)> = report
        .funnel
        .iter()
        .map(|f| (f.metric.chinese().to_owned(), f.count))
        .collect();
    figure(
        &mut s,
        "chart-funnel",
        "信访 → 线索 → 立案 → 处分 → 移送司法 (funnel)",
        &svg::funnel("funnel", &steps),
    );
    // 3. Completion over time.
    let points: Vec<(String, Option<f64>)> = report
        .completion
        .iter()
        .map(|p| (p.date.format("%Y-%m").to_string(), p.rate))
        .collect();
    figure(
        &mut s,
        "chart-completion",
        "整改完成率 (rectification completion, month end)",
        &svg::line("completion over time", &points),
    );
    // 4. Comparison with whiskers.
    let (caption, rows) = match &report.comparison {
        Some(c) => (
            format!(
                "{} 对比 {} · 每巡察日比率 (rate ratio per inspection day, 95%)",
                c.a, c.b
            ),
            c.ratios
                .iter()
                .filter(|r| r.per == Per::InspectionDay)
                .map(|r| Whisker {
                    label: r.metric.chinese().to_owned(),
                    ratio: r.ratio,
                    exact: r.exact.map_or((None, None), |i| (i.lower, i.upper)),
                    wald: r.wald.map_or((None, None), |i| (i.lower, i.upper)),
                })
                .collect(),
        ),
        None => (
            "交叉与常规巡察对比 (no two groups to compare)".to_owned(),
            Vec::new(),
        ),
    };
    figure(
        &mut s,
        "chart-compare",
        &caption,
        &svg::whiskers("comparison", &rows),
    );
    s.push_str("</div>\n<main>\n");
    tables(&mut s, report);
    vine(&mut s, report);
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

/// The clusters of linked leads, and the largest drawn as a graph.
fn vine(s: &mut String, report: &Report) {
    let c = &report.clusters;
    let _ = write!(
        s,
        "<h2>顺藤摸瓜 (leads followed along the vine)</h2>\n<p class=\"note\">{} leads form {} clusters, {} of two leads or more. Sizes: {}.</p>\n",
        c.leads,
        c.clusters,
        c.linked,
        esc(&c
            .sizes
            .iter()
            .map(|(size, n)| format!("{n} × {size}"))
            .collect::<Vec<_>>()
            .join(", "))
    );
    if let Some(largest) = c.largest.as_ref().filter(|l| l.len() > 1) {
        let more = if largest.len() > svg::CLUSTER_LEADS {
            format!(", the first {} shown", svg::CLUSTER_LEADS)
        } else {
            String::new()
        };
        let caption = format!(
            "最大线索群 (the largest cluster): {} 条线索{more}; 蓝 = 线索 leads, 红 = 人员 persons, 绿 = 单位 units, 箭头 = 由此发现 found from",
            largest.len()
        );
        figure(
            s,
            "chart-cluster",
            &caption,
            &svg::cluster("the largest cluster of leads", largest),
        );
    }
}

fn by_chinese(by: crate::By) -> &'static str {
    match by {
        crate::By::All => "全部",
        crate::By::Province => "省",
        crate::By::City => "设区市",
        crate::By::County => "县(市、区)",
        crate::By::Round => "轮次",
        crate::By::Team => "巡察组",
        crate::By::Mode => "巡察方式",
        crate::By::Theme => "专项巡察主题",
    }
}

fn figure(s: &mut String, id: &str, caption: &str, chart: &str) {
    let _ = writeln!(
        s,
        "<figure id=\"{id}\"><figcaption>{}</figcaption>{chart}</figure>",
        esc(caption)
    );
}

fn tables(s: &mut String, report: &Report) {
    let t = &report.table;
    let _ = write!(
        s,
        "<p class=\"note\">口径见 docs/metrics.md (definitions). 区间置信水平 95%. “undefined” = 分母为零, 无定义.</p>\n<div class=\"wide\"><table>\n<tr><th>{}</th>",
        t.by
    );
    for m in SHOWN {
        let _ = write!(s, "<th>{}</th>", esc(m.chinese()));
    }
    s.push_str("<th>巡察组 teams</th><th>被巡察单位 units</th><th>巡察日 team-days</th><th>整改完成率</th><th>Wilson 95%</th><th>覆盖率 coverage</th></tr>\n");
    for g in t.groups.iter().chain(std::iter::once(&t.total)) {
        let _ = write!(s, "<tr><td>{}</td>", esc(&report.label(&g.key)));
        for m in SHOWN {
            let _ = write!(s, "<td>{}</td>", g.counts.get(m));
        }
        let _ = writeln!(
            s,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            g.exposure.teams,
            g.exposure.units_inspected,
            g.exposure.team_days,
            show(g.completion_rate, 3),
            esc(&show_interval(g.completion_wilson.as_ref(), 3)),
            show(g.coverage.as_ref().and_then(|c| c.share), 3)
        );
    }
    s.push_str("</table></div>\n");
    if let Some(c) = &report.comparison {
        let _ = write!(
            s,
            "<h2>{a} 对比 {b}</h2>\n<p class=\"note\">比率 = ({a} 数 / {a} 暴露) / ({b} 数 / {b} 暴露). exact = exact conditional (binomial, as R's poisson.test); Wald = log-scale Wald.</p>\n<div class=\"wide\"><table>\n<tr><th>指标 metric</th><th>per</th><th>{a} count</th><th>{a} exposure</th><th>{b} count</th><th>{b} exposure</th><th>ratio</th><th>change %</th><th>exact 95%</th><th>Wald-log 95%</th></tr>\n",
            a = esc(&c.a),
            b = esc(&c.b)
        );
        for r in &c.ratios {
            s.push_str("<tr>");
            for cell in ratio_cells(r) {
                let _ = write!(s, "<td>{}</td>", esc(&cell));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table></div>\n");
    }
    let _ = write!(
        s,
        "<h2>口径 (definitions)</h2>\n<div class=\"wide\"><table>\n"
    );
    for m in Metric::ALL {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            m.name(),
            esc(m.chinese()),
            esc(m.definition())
        );
    }
    s.push_str("</table></div>\n");
}
