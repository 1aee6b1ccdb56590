//! Bounded paths from an inspector to a target's leaders: for one person
//! ([`TieGraph::path`]), for a whole round ([`TieHits`]), and their
//! explanation.

use chrono::NaiveDate;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;
use xuncha_org::{Hierarchy, Units};

use super::{TieEvidence, TieGraph, TieKind, TieSpec, TieStep, counts};
use crate::parts::in_parts;
use crate::{Engine, Explanation, FactKind, PersonId, Place, Roster, Target};

/// A path of ties from an inspector to a leader of a target: `people[0]`
/// is the inspector, the last the leader, `ties[i]` joins `people[i]` and
/// `people[i + 1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TiePath {
    /// The people along the path.
    pub people: Vec<NodeIndex>,
    /// The ties between them.
    pub ties: Vec<EdgeIndex>,
}

impl TieGraph {
    /// The shortest path of ties counted by `spec` from the person `from`
    /// to a leader of `target` on `date` (ties that ended before `since`
    /// faded), if there is one of at most `spec.path` ties. A leader of the
    /// target has no path to it (leading it is the workplace rules'
    /// business).
    pub fn path(
        &self,
        from: &PersonId,
        target: &Target,
        spec: &TieSpec,
        date: NaiveDate,
        since: Option<NaiveDate>,
    ) -> Option<TiePath> {
        let start = self.node(from)?;
        let leaders = self.leaders(target, date);
        if leaders.is_empty() || leaders.binary_search(&start).is_ok() {
            return None;
        }
        let is_leader = |n: NodeIndex| leaders.binary_search(&n).is_ok();
        let counted = |n: NodeIndex| {
            self.graph
                .edges(n)
                .filter(move |e| counts(e.weight(), spec, date, since))
        };
        if let Some(e) = counted(start).find(|e| is_leader(e.target())) {
            return Some(TiePath {
                people: vec![start, e.target()],
                ties: vec![e.id()],
            });
        }
        if spec.path < 2 {
            return None;
        }
        counted(start).find_map(|first| {
            let middle = first.target();
            counted(middle)
                .find(|second| second.target() != start && is_leader(second.target()))
                .map(|second| TiePath {
                    people: vec![start, middle, second.target()],
                    ties: vec![first.id(), second.id()],
                })
        })
    }
}

/// The ties one rule counts, as adjacency lists (compressed rows): the
/// graph's edges tested once, so that the searches from every target's
/// leaders only walk arrays.
#[derive(Debug)]
struct Adjacency {
    /// Node `n`'s neighbours are `next[starts[n]..starts[n + 1]]`.
    starts: Vec<u32>,
    next: Vec<u32>,
}

impl Adjacency {
    fn of(
        graph: &TieGraph,
        spec: &TieSpec,
        date: NaiveDate,
        since: Option<NaiveDate>,
    ) -> Adjacency {
        let nodes = graph.people();
        // Each edge tested once, on threads; the degrees counted after.
        let edges = graph.graph.raw_edges();
        let counted: Vec<bool> = in_parts(edges, edges.len() >= 1 << 16, |_, part| {
            part.iter()
                .map(|edge| counts(&edge.weight, spec, date, since))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        let mut degree = vec![0u32; nodes + 1];
        for (edge, _) in edges.iter().zip(&counted).filter(|(_, c)| **c) {
            degree[edge.source().index() + 1] += 1;
            degree[edge.target().index() + 1] += 1;
        }
        for i in 1..degree.len() {
            degree[i] += degree[i - 1];
        }
        let mut fill = degree.clone();
        let mut next = vec![0u32; degree.last().copied().unwrap_or(0) as usize];
        for (e, _) in graph
            .graph
            .edge_references()
            .zip(&counted)
            .filter(|(_, c)| **c)
        {
            for (from, to) in [(e.source(), e.target()), (e.target(), e.source())] {
                if let Some(at) = fill.get_mut(from.index()) {
                    if let Some(slot) = next.get_mut(*at as usize) {
                        *slot = u32::try_from(to.index()).unwrap_or(u32::MAX);
                    }
                    *at += 1;
                }
            }
        }
        Adjacency {
            starts: degree,
            next,
        }
    }

    fn neighbours(&self, n: u32) -> &[u32] {
        let n = n as usize;
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(&a), Some(&b)) => self.next.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Marks every person within `path` ties of `leaders` (the leaders
    /// themselves excluded) and calls `reach` with each.
    fn reach(
        &self,
        leaders: &[NodeIndex],
        path: u8,
        marks: &mut Marks,
        mut reach: impl FnMut(u32),
    ) {
        marks.next();
        let mut frontier: Vec<u32> = leaders
            .iter()
            .filter_map(|l| u32::try_from(l.index()).ok())
            .collect();
        for &leader in &frontier {
            marks.set(leader);
        }
        let mut next = Vec::new();
        for _ in 0..path {
            next.clear();
            for &n in &frontier {
                for &other in self.neighbours(n) {
                    if !marks.is_set(other) {
                        marks.set(other);
                        reach(other);
                        next.push(other);
                    }
                }
            }
            std::mem::swap(&mut frontier, &mut next);
        }
    }
}

/// Visited marks for repeated searches, cleared in O(1) by a new stamp.
#[derive(Debug)]
struct Marks {
    stamps: Vec<u32>,
    now: u32,
}

impl Marks {
    fn new(nodes: usize) -> Marks {
        Marks {
            stamps: vec![0; nodes],
            now: 0,
        }
    }

    fn next(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamps.fill(0);
            self.now = 1;
        }
    }

    fn set(&mut self, n: u32) {
        if let Some(s) = self.stamps.get_mut(n as usize) {
            *s = self.now;
        }
    }

    fn is_set(&self, n: u32) -> bool {
        self.stamps.get(n as usize) == Some(&self.now)
    }
}

/// Round sizes (targets times tie rules) below this are searched on the
/// calling thread.
const PARALLEL_FROM: usize = 256;

/// For a whole roster and target set: the (target, rule) pairs each roster
/// person has a tie path to, as runs by person.
#[derive(Clone, Debug, Default)]
pub(crate) struct TieHits {
    /// Person `p`'s hits are `hits[ends[p]..ends[p + 1]]`.
    ends: Vec<u32>,
    /// (target, position of the rule in the rule set).
    hits: Vec<(u32, u16)>,
}

/// Places each `(person, target, rule)` of `found` in its person's run of
/// `hits` (run `p` starts at `ends[p]`), keeping their order; on two
/// threads when `parallel`, each placing the people of one half (the
/// writes land all over the runs: each thread's stay within its half).
fn place_hits(
    found: &[Vec<(u32, u32, u16)>],
    ends: &[u32],
    hits: &mut [(u32, u16)],
    parallel: bool,
) {
    fn place(
        found: &[Vec<(u32, u32, u16)>],
        ends: &[u32],
        people: std::ops::Range<u32>,
        hits: &mut [(u32, u16)],
    ) {
        let offset = ends.get(people.start as usize).copied().unwrap_or(0);
        let mut fill: Vec<u32> = ends
            .get(people.start as usize..people.end as usize)
            .unwrap_or_default()
            .iter()
            .map(|e| e - offset)
            .collect();
        for &(p, t, r) in found.iter().flatten() {
            if !people.contains(&p) {
                continue;
            }
            if let Some(at) = fill.get_mut((p - people.start) as usize) {
                if let Some(slot) = hits.get_mut(*at as usize) {
                    *slot = (t, r);
                }
                *at += 1;
            }
        }
    }
    let people = u32::try_from(ends.len().saturating_sub(1)).unwrap_or(u32::MAX);
    let half = people / 2;
    let middle = ends.get(half as usize).copied().unwrap_or(0) as usize;
    if !parallel || middle > hits.len() {
        place(found, ends, 0..people, hits);
        return;
    }
    let (low, high) = hits.split_at_mut(middle);
    std::thread::scope(|scope| {
        scope.spawn(|| place(found, ends, 0..half, low));
        place(found, ends, half..people, high);
    });
}

impl TieHits {
    /// The hits of `engine`'s tie rules for `roster` against `targets` on
    /// `date`: one search from each target's leaders per rule.
    pub(crate) fn build(
        engine: &Engine<'_>,
        roster: &Roster,
        targets: &[Target],
        date: NaiveDate,
    ) -> Option<TieHits> {
        let graph = engine.ties()?;
        let rules: Vec<(u16, &TieSpec, Adjacency)> = engine
            .rules()
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.fact == FactKind::Ties)
            .filter_map(|(i, r)| {
                let spec = r.tie_spec();
                let adjacency = Adjacency::of(graph, spec, date, engine.since(r, date));
                Some((u16::try_from(i).ok()?, spec, adjacency))
            })
            .collect();
        if rules.is_empty() {
            return None;
        }
        let position = graph.roster_positions(roster);
        let search = |part: &[(usize, &Target)]| {
            let mut marks = Marks::new(graph.people());
            let mut found: Vec<(u32, u32, u16)> = Vec::new();
            for &(t, target) in part {
                let leaders = graph.leaders(target, date);
                if leaders.is_empty() {
                    continue;
                }
                let t = u32::try_from(t).unwrap_or(u32::MAX);
                for (r, spec, adjacency) in &rules {
                    adjacency.reach(&leaders, spec.path, &mut marks, |n| {
                        if let Some(&p) = position.get(n as usize)
                            && p != u32::MAX
                        {
                            found.push((p, t, *r));
                        }
                    });
                }
            }
            found
        };
        let all: Vec<(usize, &Target)> = targets.iter().enumerate().collect();
        let parallel = targets.len() * rules.len() >= PARALLEL_FROM;
        let parts = in_parts(&all, parallel, |_, part| search(part));
        // Runs by person: count, then place (targets stay ascending within
        // a person because the parts are in target order).
        let mut ends = vec![0u32; roster.len() + 1];
        for &(p, _, _) in parts.iter().flatten() {
            if let Some(count) = ends.get_mut(p as usize + 1) {
                *count += 1;
            }
        }
        for i in 1..ends.len() {
            ends[i] += ends[i - 1];
        }
        let mut hits = vec![(0u32, 0u16); ends.last().copied().unwrap_or(0) as usize];
        place_hits(&parts, &ends, &mut hits, parallel);
        Some(TieHits { ends, hits })
    }

    /// Person `p`'s hits: (target, rule position).
    pub(crate) fn of(&self, p: usize) -> &[(u32, u16)] {
        match (self.ends.get(p), self.ends.get(p + 1)) {
            (Some(&start), Some(&end)) => self
                .hits
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }
}

/// The explanation of a tie path, in Chinese and English, with dates and
/// places: `张三 与 南靖县民政局局长 李四 2012-03 至 2015-06 同在 漳州市财政局 任职`.
pub(crate) fn explain_path(
    graph: &TieGraph,
    path: &TiePath,
    spec: &TieSpec,
    hierarchy: &Hierarchy,
    units: &Units,
) -> Explanation {
    let last = path.people.len().saturating_sub(1);
    let label = |i: usize| -> (String, String) {
        let Some(person) = path.people.get(i).and_then(|&n| graph.person(n)) else {
            return (String::new(), String::new());
        };
        match person.leading_post().filter(|_| i == last) {
            Some(post) => {
                let place = place_name(&post.place, hierarchy, units);
                (
                    format!("{place}{} {}", post.title, person.name),
                    format!("{} ({} of {place})", person.name, post.title),
                )
            }
            None => (person.name.clone(), person.name.clone()),
        }
    };
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (i, &edge) in path.ties.iter().enumerate() {
        let Some(&a) = path.people.get(i) else {
            continue;
        };
        let labels = [label(i), label(i + 1)];
        let (step_zh, step_en) = describe_step(graph, edge, a, &labels, spec, hierarchy, units);
        zh.push(step_zh);
        en.push(step_en);
    }
    Explanation {
        zh: zh.join("；"),
        en: en.join("; "),
    }
}

/// One step of a path in words: the tie `edge` from `a` (labelled
/// `labels[0]`) to the next person (`labels[1]`).
fn describe_step(
    graph: &TieGraph,
    edge: EdgeIndex,
    a: NodeIndex,
    labels: &[(String, String); 2],
    spec: &TieSpec,
    hierarchy: &Hierarchy,
    units: &Units,
) -> (String, String) {
    let [(a_zh, a_en), (b_zh, b_en)] = labels;
    let (Some(tie), Some(evidence)) = (graph.graph.edge_weight(edge), graph.evidence(edge)) else {
        return (String::new(), String::new());
    };
    let a_person = graph.person(a);
    let a_is_source = graph.graph.edge_endpoints(edge).map(|(s, _)| s) == Some(a);
    let span = |from: Option<NaiveDate>, to: Option<NaiveDate>| {
        let month = |d: NaiveDate| d.format("%Y-%m").to_string();
        let from = from.map_or_else(|| "?".to_owned(), month);
        match to {
            Some(to) => (
                format!("{from} 至 {}", month(to)),
                format!("from {from} to {}", month(to)),
            ),
            None => (format!("{from} 至今"), format!("since {from}")),
        }
    };
    match evidence {
        TieEvidence::Posts {
            first,
            second,
            senior,
        } => {
            let org = place_name(first.place, hierarchy, units);
            let (when_zh, when_en) = span(tie.from, tie.to);
            match (tie.kind, senior) {
                (TieKind::Superior, Some(senior)) => {
                    // `first` is the stored source's post.
                    let a_senior = a_person.is_some_and(|p| &p.id == senior);
                    let senior_zh = if a_senior { a_zh } else { b_zh };
                    let senior_post = if a_senior == a_is_source {
                        &first.title
                    } else {
                        &second.title
                    };
                    (
                        format!(
                            "{a_zh} 与 {b_zh} {when_zh} 在 {org} 为上下级（{senior_zh} 时任 {senior_post}）"
                        ),
                        format!(
                            "{a_en} and {b_en} were superior and subordinate in {org} {when_en} ({senior_zh} as {senior_post})"
                        ),
                    )
                }
                _ => (
                    format!("{a_zh} 与 {b_zh} {when_zh} 同在 {org} 任职"),
                    format!("{a_en} and {b_en} held posts in {org} together {when_en}"),
                ),
            }
        }
        TieEvidence::Upbringing { shared, .. } => {
            let home = shared.ancestor_at(spec.level).unwrap_or(shared);
            let home = place_name(&Place::Division(home), hierarchy, units);
            (
                format!("{a_zh} 与 {b_zh} 为老乡（成长地同在 {home}）"),
                format!("{a_en} and {b_en} grew up in the same place, {home}"),
            )
        }
        TieEvidence::School { school, year } => (
            format!("{a_zh} 与 {b_zh} 为同学（{school} {year} 届）"),
            format!("{a_en} and {b_en} were classmates ({school}, class of {year})"),
        ),
        TieEvidence::Kin { of, relative } => {
            let a_names = a_person.is_some_and(|p| &p.id == of);
            let ((x_zh, x_en), (y_zh, y_en)) = if a_names {
                ((a_zh.clone(), a_en.clone()), (b_zh.clone(), b_en.clone()))
            } else {
                ((b_zh.clone(), b_en.clone()), (a_zh.clone(), a_en.clone()))
            };
            (
                format!("{y_zh} 是 {x_zh} 的{}", relative.chinese()),
                format!("{y_en} is {x_en}'s {}", relative.english()),
            )
        }
    }
}

/// A place's name without its code: `南靖县民政局`, `漳州市`.
fn place_name(place: &Place, hierarchy: &Hierarchy, units: &Units) -> String {
    match place {
        Place::Division(code) => hierarchy
            .get(*code)
            .map_or_else(|| code.to_string(), |d| d.name().to_owned()),
        Place::Unit(id) => units
            .get(id)
            .map_or_else(|| format!("unit {id}"), |u| u.name.clone()),
    }
}

/// The steps of a path, for the record.
pub(crate) fn path_steps(graph: &TieGraph, path: &TiePath) -> Vec<TieStep> {
    path.ties
        .iter()
        .zip(path.people.windows(2))
        .filter_map(|(&edge, pair)| {
            let tie = graph.graph.edge_weight(edge)?;
            Some(TieStep {
                person: graph.person(pair[0])?.id.clone(),
                other: graph.person(pair[1])?.id.clone(),
                kind: tie.kind,
                from: tie.from,
                to: tie.to,
            })
        })
        .collect()
}
