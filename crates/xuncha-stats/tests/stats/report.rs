//! Reports: every format, undefined values, the comparison.

use xuncha_leads::PetitionChannel;
use xuncha_round::InspectionMode;
use xuncha_stats::{By, DateRange, Records, Report};

use crate::fixtures::{Log, day, petition};

fn report() -> Report {
    let mut log = Log::default();
    log.lead(day(3, 2), "L1", "R1", "350628")
        .lead(day(3, 2), "L2", "R2", "350627");
    log.list(day(3, 5), "F1", "R1", "350628", 2)
        .close(day(4, 5), "F1", 1);
    let mut p = Vec::new();
    for i in 0..10 {
        p.push(petition(
            day(3, 2),
            PetitionChannel::Letter,
            None,
            1,
            "350628",
            Some(InspectionMode::Cross),
        ));
        if i < 2 {
            p.push(petition(
                day(3, 2),
                PetitionChannel::Letter,
                None,
                1,
                "350627",
                Some(InspectionMode::Regular),
            ));
        }
    }
    let events = log.0;
    let records = Records::new(&events).with_petitions(&p);
    Report::build(&records, By::Mode, DateRange::all(), None)
}

#[test]
fn a_mode_report_compares_cross_with_regular_and_shows_counts_and_exposures() {
    let r = report();
    let c = r.comparison.as_ref().expect("both modes present");
    assert_eq!((c.a.as_str(), c.b.as_str()), ("cross", "regular"));
    let first = &c.ratios[0];
    assert_eq!((first.count_a, first.count_b), (10, 2));
    assert_eq!(first.ratio, Some(5.0));
    let md = r.to_markdown();
    assert!(
        md.contains("| 受理信访 | count | 10 | 1 | 2 | 1 | 5.000 | 400.0 |"),
        "{md}"
    );
    assert!(md.contains("exact conditional") && md.contains("Wald, log scale"));
    assert!(md.contains("undefined"), "zero counts say undefined");
    assert!(!md.contains("NaN") && !r.to_html().contains("NaN") && !r.to_text().contains("NaN"));
}

#[test]
fn json_keeps_undefined_as_null_and_csv_as_an_empty_cell() {
    let r = report();
    let json = r.to_json().unwrap();
    assert!(json.contains("\"version\": 1") && json.contains("null"));
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back.table.total.counts, r.table.total.counts);
    let csv = r.to_csv().unwrap();
    assert!(csv.starts_with("mode,petitions,letters,"));
    assert_eq!(csv.lines().count(), 1 + r.table.groups.len() + 1);
}

#[test]
fn the_html_report_is_self_contained_with_four_charts_and_cjk_fonts() {
    let html = report().to_html();
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("\"Noto Sans CJK SC\""));
    // Four charts, and the largest cluster of leads when one has two.
    let cluster = r_has_cluster(&html);
    assert_eq!(html.matches("<svg").count(), 4 + usize::from(cluster));
    for id in [
        "chart-cities",
        "chart-funnel",
        "chart-completion",
        "chart-compare",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!html.contains("<script") && !html.contains("<link"));
}

fn r_has_cluster(html: &str) -> bool {
    html.contains("id=\"chart-cluster\"")
}

#[test]
fn the_statistics_count_clusters_of_linked_leads() {
    let r = report();
    let c = &r.clusters;
    assert_eq!(
        c.sizes
            .iter()
            .map(|(size, n)| *size as u64 * n)
            .sum::<u64>(),
        c.leads
    );
    assert_eq!(c.clusters, c.sizes.values().sum::<u64>());
    assert_eq!(
        c.linked,
        c.sizes
            .iter()
            .filter(|(size, _)| **size > 1)
            .map(|(_, n)| n)
            .sum::<u64>()
    );
    assert_eq!(
        c.largest.as_ref().map_or(0, xuncha_leads::LeadCluster::len),
        c.sizes.keys().max().copied().unwrap_or(0)
    );
    assert!(r.to_markdown().contains("顺藤摸瓜"));
    assert!(r.to_text().contains("顺藤摸瓜"));
}
