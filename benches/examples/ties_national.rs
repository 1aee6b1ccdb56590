//! The acquaintance graph of a national synthetic roster and officials:
//! its size, the time to build it and its index, and the peak memory.
//!
//! `cargo run --release -p xuncha-benches --example ties_national -- [PEOPLE] [PER_COUNTY] [POSTS]`
//!
//! Then the peer in the same run: the all-pairs comparison of a 1 % sample
//! with everyone (`xuncha_benches::all_pairs_ties`), timed once.
//!
//! POSTS is the number of earlier posts of everyone (15 by default, as the
//! benchmark's careers); posts in a county seat are held in its twelve
//! synthetic bureaus (`xuncha_synth::county_bureaus`) or its government.

use std::time::Instant;

use chrono::NaiveDate;
use xuncha_avoid::{Engine, FactKind, Rule, RuleSet, Target, TieKind, TieSpec, Window};
use xuncha_benches::national_dir;
use xuncha_org::{Hierarchy, Level, Units};
use xuncha_synth::{OfficialsSpec, RosterSpec};

fn main() {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let per_county: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let posts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let date = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date");
    let china = Hierarchy::from_nbs_dir(national_dir()).expect("national list loads");
    // Posts in the counties' bureaus, as real records hold them.
    let units = Units::new(xuncha_synth::county_bureaus(&china, None), &china).expect("bureaus");
    let roster = RosterSpec::new(people, 1, date)
        .with_earlier_posts(posts..=posts)
        .roster(&china, &units)
        .expect("roster");
    let officials = OfficialsSpec::new(per_county, 1, date)
        .with_earlier_posts(posts..=posts)
        .checked(&china, &units)
        .expect("officials");
    let counties: Vec<Target> = china
        .at_level(Level::County)
        .map(|d| Target::Division(d.code()))
        .collect();
    let rules = RuleSet::new(vec![Rule {
        window: Some(Window::Years(10)),
        ties: Some(TieSpec {
            path: 2,
            ..TieSpec::default()
        }),
        ..Rule::new("ties", FactKind::Ties)
    }])
    .expect("rules");
    let start = Instant::now();
    let engine = Engine::new(&china, &units, rules).with_officials(&roster, &officials);
    let built = start.elapsed();
    let graph = engine.ties().expect("a graph");
    let mut by_kind = std::collections::BTreeMap::<TieKind, usize>::new();
    for tie in graph.graph().edge_weights() {
        *by_kind.entry(tie.kind).or_default() += 1;
    }
    let start = Instant::now();
    let index = engine.index(&roster, &counties, date);
    let indexed = start.elapsed();
    // The peer in the same run: all pairs of a 1 % sample with everyone.
    let everyone = xuncha_benches::tie_facts(&roster, &officials);
    let sample: Vec<usize> = (0..everyone.len()).step_by(100).collect();
    let start = Instant::now();
    let tied = xuncha_benches::all_pairs_ties(&everyone, &sample, date);
    let peer = start.elapsed();
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    println!(
        "{} people ({} officials), {} ties {by_kind:?}; graph {:.0} ms, index of {} counties {:.0} ms, {} blocked pairs; {peak}",
        graph.people(),
        officials.len(),
        graph.ties(),
        built.as_secs_f64() * 1e3,
        counties.len(),
        indexed.as_secs_f64() * 1e3,
        index.blocked_pairs(),
    );
    let ours = built + indexed;
    println!(
        "graph and index {:.0} ms; the peer, all pairs of a 1 % sample ({} people) with everyone, {:.1} s ({tied} tied pairs): {:.0} times graph and index",
        ours.as_secs_f64() * 1e3,
        sample.len(),
        peer.as_secs_f64(),
        peer.as_secs_f64() / ours.as_secs_f64(),
    );
}
