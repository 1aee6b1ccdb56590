//! Building the acquaintance graph: the people, then each kind of tie.

use std::collections::HashMap;

use chrono::NaiveDate;
use petgraph::graph::{NodeIndex, UnGraph};
use xuncha_org::fxhash::FxHashMap;
use xuncha_org::{Code, Level, Units};

use super::{Evidence, Leader, LeaderIndex, Tie, TieGraph, TieKind, TiePerson, TieSpec};
use crate::parts::in_parts;
use crate::{Official, Officials, Person, Place, Roster};

/// Words that end the title of a leading post (领导职务): 局长, 镇长, 书记,
/// 主任, 部长, 主席. A deputy (副局长) leads too; a 科员 or 主任科员 does not.
const LEADING_ENDINGS: [&str; 5] = ["长", "书记", "主任", "主席", "部长"];

/// Whether a post's title names a leading post.
///
/// ```
/// use xuncha_avoid::is_leading_title;
/// assert!(is_leading_title("局长"));
/// assert!(is_leading_title("副镇长"));
/// assert!(is_leading_title("纪委书记"));
/// assert!(!is_leading_title("科员"));
/// assert!(!is_leading_title("一级主任科员"));
/// ```
pub fn is_leading_title(title: &str) -> bool {
    let title = title.trim();
    LEADING_ENDINGS.iter().any(|end| title.ends_with(end))
}

/// One post in the sweep.
#[derive(Clone, Copy, Debug)]
struct Stint {
    /// The organisation: see [`TieGraph::stints`].
    org: u64,
    from: NaiveDate,
    /// The earliest end of a post overlapping this one from its start that
    /// some spec's least overlap may count (a few days early: the specs
    /// check exactly when they count the tie).
    long_enough_at: NaiveDate,
    to: Option<NaiveDate>,
    node: u32,
    post: u16,
    leading: bool,
}

impl TieGraph {
    /// The acquaintance graph of `roster` and `officials`, with the ties
    /// the `specs` can count (a kind no spec names is not looked for).
    ///
    /// A person in both files is one node: the roster's record, with the
    /// official's leading post, earlier posts, places, relatives and school
    /// added.
    ///
    /// # Complexity
    ///
    /// O(P log P + T) for P posts and places and T ties found: colleagues
    /// by a sweep over each organisation's posts sorted by start, each post
    /// meeting only those that begin before it ends; townsmen and
    /// classmates by sorting into groups.
    pub fn build(
        roster: &Roster,
        officials: &Officials,
        units: &Units,
        specs: &[TieSpec],
    ) -> TieGraph {
        let mut graph = TieGraph::people_of(roster, officials);
        graph.leaders = leader_index(&graph.graph, units);
        let wanted = |kind: TieKind| specs.iter().any(|s| s.counts(kind));
        if wanted(TieKind::Colleague) || wanted(TieKind::Superior) {
            let overlaps: Vec<_> = specs
                .iter()
                .filter(|s| s.counts(TieKind::Colleague) || s.counts(TieKind::Superior))
                .map(|s| s.min_overlap)
                .collect();
            graph.colleagues(&overlaps, units);
        }
        let coarsest = specs
            .iter()
            .filter(|s| s.counts(TieKind::Townsman))
            .map(|s| s.level)
            .min();
        if let Some(level) = coarsest {
            graph.townsmen(level, units);
        }
        if wanted(TieKind::Classmate) {
            graph.classmates();
        }
        if wanted(TieKind::Kin) {
            graph.kin();
        }
        graph
    }

    /// The nodes: roster people first, in order, then officials not in the
    /// roster. The records are copied on threads (the copy of some two
    /// million posts is most of the work), then placed in order.
    fn people_of(roster: &Roster, officials: &Officials) -> TieGraph {
        let size = roster.len() + officials.len();
        let parallel = size >= PARALLEL_FROM;
        let people = in_parts(roster.people(), parallel, |_, part| {
            part.iter().map(TiePerson::of_roster).collect::<Vec<_>>()
        });
        let leaders = in_parts(officials.officials(), parallel, |_, part| {
            part.iter().map(TiePerson::of_official).collect::<Vec<_>>()
        });
        let mut graph: UnGraph<TiePerson, Tie> = UnGraph::with_capacity(size, 0);
        let mut by_id = HashMap::with_capacity(size);
        for person in people.into_iter().flatten() {
            let id = person.id.clone();
            by_id.insert(id, graph.add_node(person));
        }
        for (official, person) in officials
            .officials()
            .iter()
            .zip(leaders.into_iter().flatten())
        {
            if let Some(both) = by_id
                .get(&official.id)
                .and_then(|&n| graph.node_weight_mut(n))
            {
                both.add_official(official);
            } else {
                let id = person.id.clone();
                by_id.insert(id, graph.add_node(person));
            }
        }
        TieGraph {
            graph,
            by_id,
            leaders: LeaderIndex::default(),
        }
    }

    /// Colleagues and superiors: posts of one organisation that overlap,
    /// kept when they overlap by at least one of `overlaps` (or still go
    /// on).
    fn colleagues(&mut self, overlaps: &[crate::Window], units: &Units) {
        let mut stints = self.stints(overlaps, units);
        stints.sort_unstable_by_key(|s| (s.org, s.from, s.node, s.post));
        // Counted first, so that the edges are allocated once, to size.
        let mut count = 0usize;
        sweep(&stints, |_, _, _| count += 1);
        self.graph.reserve_exact_edges(count);
        let graph = &mut self.graph;
        sweep(&stints, |first, second, to| {
            let kind = if first.leading == second.leading {
                TieKind::Colleague
            } else {
                TieKind::Superior
            };
            let tie = Tie {
                kind,
                from: Some(second.from),
                to,
                evidence: Evidence::Posts {
                    a: first.post,
                    b: second.post,
                    source_leads: first.leading,
                },
            };
            let (a, b) = (first.node as usize, second.node as usize);
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), tie);
        });
    }

    /// Every dated post, with its organisation as a number: a division's
    /// packed code, or a unit's position in `units` with the top bit set
    /// (a unit `units` lacks gets a number of its own after). Gathered on
    /// threads: reading two million posts is a cache miss or two each.
    fn stints(&self, overlaps: &[crate::Window], units: &Units) -> Vec<Stint> {
        let nodes = self.graph.raw_nodes();
        let parts = in_parts(nodes, nodes.len() >= PARALLEL_FROM, |first, part| {
            let mut stints = Vec::new();
            for (n, node) in part.iter().enumerate() {
                let person = &node.weight;
                let node = u32::try_from(first + n).unwrap_or(u32::MAX);
                for (i, post) in person.posts.iter().enumerate() {
                    let (Some(from), Ok(i)) = (post.from, u16::try_from(i)) else {
                        continue;
                    };
                    let org = match &post.place {
                        Place::Division(code) => code.packed(),
                        Place::Unit(id) => units
                            .position(id)
                            .map_or(UNKNOWN_UNIT, |p| UNIT_BIT | p as u64),
                    };
                    stints.push(Stint {
                        org,
                        from,
                        long_enough_at: earliest_end(from, overlaps),
                        to: post.to,
                        node,
                        post: i,
                        leading: person.leading == Some(usize::from(i))
                            || is_leading_title(&post.title),
                    });
                }
            }
            stints
        });
        let mut stints: Vec<Stint> = parts.into_iter().flatten().collect();
        // Units the registry lacks: numbered by their id, after the rest.
        let mut unknown: FxHashMap<&str, u64> = FxHashMap::default();
        for stint in stints.iter_mut().filter(|s| s.org == UNKNOWN_UNIT) {
            let place = self
                .graph
                .node_weight(NodeIndex::new(stint.node as usize))
                .and_then(|p| p.posts.get(usize::from(stint.post)))
                .map(|post| &post.place);
            if let Some(Place::Unit(id)) = place {
                let next = UNKNOWN_BIT | unknown.len() as u64;
                stint.org = *unknown.entry(id.as_str()).or_insert(next);
            }
        }
        stints
    }

    /// Townsmen: places of upbringing in one division at `level`.
    fn townsmen(&mut self, level: Level, units: &Units) {
        let mut homes = Vec::new();
        for node in self.graph.node_indices() {
            let Some(person) = self.graph.node_weight_mut(node) else {
                continue;
            };
            person.homes = person
                .upbringing
                .iter()
                .map(|p| p.division(units))
                .collect();
            for (i, code) in person.homes.iter().enumerate() {
                let Some(code) = *code else {
                    continue;
                };
                if let (Some(group), Ok(i)) = (code.ancestor_at(level), u16::try_from(i)) {
                    let node = u32::try_from(node.index()).unwrap_or(u32::MAX);
                    homes.push((group.packed(), node, i, code));
                }
            }
        }
        homes.sort_unstable_by_key(|h| (h.0, h.1, h.2));
        let mut ties = Vec::new();
        for group in homes.chunk_by(|a, b| a.0 == b.0) {
            let mut pairs = Vec::new();
            for (i, a) in group.iter().enumerate() {
                for b in group[i + 1..].iter().filter(|b| b.1 != a.1) {
                    let shared = finest_shared(a.3, b.3, level);
                    pairs.push((a.1, b.1, std::cmp::Reverse(shared), a.2, b.2, shared));
                }
            }
            pairs.sort_unstable_by_key(|p| (p.0, p.1, p.2));
            pairs.dedup_by_key(|p| (p.0, p.1));
            ties.extend(pairs.into_iter().map(|(na, nb, _, a, b, shared)| {
                let evidence = Evidence::Upbringing { a, b, shared };
                (na, nb, undated(TieKind::Townsman, evidence))
            }));
        }
        self.add_ties(ties);
    }

    /// Classmates: the same school and year.
    fn classmates(&mut self) {
        let mut groups: HashMap<(&str, i32), Vec<u32>> = HashMap::new();
        for node in self.graph.node_indices() {
            if let Some((school, year)) =
                self.graph.node_weight(node).and_then(|p| p.school.as_ref())
            {
                let node = u32::try_from(node.index()).unwrap_or(u32::MAX);
                groups.entry((school.trim(), *year)).or_default().push(node);
            }
        }
        let mut groups: Vec<_> = groups.into_values().collect();
        groups.sort_unstable();
        let mut ties = Vec::new();
        for group in groups {
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    ties.push((a, b, undated(TieKind::Classmate, Evidence::School)));
                }
            }
        }
        self.add_ties(ties);
    }

    /// Kin: a relative's record naming another person of the graph by id;
    /// one tie a pair, from the first record found.
    fn kin(&mut self) {
        let mut seen = std::collections::HashSet::new();
        let mut ties = Vec::new();
        for node in self.graph.node_indices() {
            let Some(person) = self.graph.node_weight(node) else {
                continue;
            };
            for (i, relative) in person.relatives.iter().enumerate() {
                let other = relative.id.as_ref().and_then(|id| self.by_id.get(id));
                let (Some(&other), Ok(i)) = (other, u16::try_from(i)) else {
                    continue;
                };
                if other == node || !seen.insert((node.min(other), node.max(other))) {
                    continue;
                }
                let evidence = Evidence::Kin {
                    relative: i,
                    source_names: true,
                };
                let a = u32::try_from(node.index()).unwrap_or(u32::MAX);
                let b = u32::try_from(other.index()).unwrap_or(u32::MAX);
                ties.push((a, b, undated(TieKind::Kin, evidence)));
            }
        }
        self.add_ties(ties);
    }

    fn add_ties(&mut self, ties: Vec<(u32, u32, Tie)>) {
        self.graph.reserve_edges(ties.len());
        for (a, b, tie) in ties {
            self.graph
                .add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), tie);
        }
    }
}

/// People at or above this many are copied and read on threads.
const PARALLEL_FROM: usize = 20_000;

/// The bit marking a stint's organisation as a unit of the registry
/// (division codes stay far below it).
const UNIT_BIT: u64 = 1 << 63;
/// The bits marking a unit the registry lacks, numbered by id.
const UNKNOWN_BIT: u64 = 3 << 62;
/// A unit the registry lacks, before it is numbered.
const UNKNOWN_UNIT: u64 = u64::MAX;

impl TiePerson {
    /// A roster person's record: posts, places, school and the relatives
    /// named by id.
    fn of_roster(person: &Person) -> TiePerson {
        TiePerson {
            id: person.id.clone(),
            name: person.name.clone(),
            in_roster: true,
            leading: None,
            posts: person.posts.clone(),
            upbringing: person.upbringing.clone(),
            school: person.school.clone().zip(person.graduation),
            relatives: person
                .relatives
                .iter()
                .filter(|r| r.id.is_some())
                .cloned()
                .collect(),
            homes: Vec::new(),
        }
    }

    /// An official not in the roster: their record alone.
    fn of_official(official: &Official) -> TiePerson {
        let mut person = TiePerson {
            id: official.id.clone(),
            name: official.name.clone(),
            in_roster: false,
            leading: None,
            posts: Vec::new(),
            upbringing: Vec::new(),
            school: None,
            relatives: Vec::new(),
            homes: Vec::new(),
        };
        person.add_official(official);
        person
    }

    /// Adds an official's record: the leading post (marked), then the
    /// earlier posts, places and named relatives not held yet, and the
    /// school where none is recorded.
    fn add_official(&mut self, official: &Official) {
        let leading = official.leading_post();
        let position = self.posts.iter().position(|p| *p == leading);
        self.leading = Some(position.unwrap_or_else(|| {
            self.posts.push(leading);
            self.posts.len() - 1
        }));
        add_new(&mut self.posts, &official.posts);
        add_new(&mut self.upbringing, &official.upbringing);
        let named: Vec<_> = official
            .relatives
            .iter()
            .filter(|r| r.id.is_some())
            .cloned()
            .collect();
        add_new(&mut self.relatives, &named);
        if self.school.is_none() {
            self.school = official.school.clone().zip(official.graduation);
        }
    }
}

/// Calls `tie` with every two posts of one organisation (of `stints`,
/// sorted by organisation and start) that overlap long enough, and the
/// end of their overlap: each post meets only those that begin before it
/// ends.
fn sweep(stints: &[Stint], mut tie: impl FnMut(&Stint, &Stint, Option<NaiveDate>)) {
    for group in stints.chunk_by(|a, b| a.org == b.org) {
        for (i, first) in group.iter().enumerate() {
            let end = first.to.unwrap_or(NaiveDate::MAX);
            for second in group[i + 1..].iter().take_while(|s| s.from <= end) {
                if second.node == first.node {
                    continue;
                }
                let to = match (first.to, second.to) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if to.is_some_and(|to| to < second.long_enough_at) {
                    continue;
                }
                tie(first, second, to);
            }
        }
    }
}

/// The earliest end at which a post overlap starting on `from` may last
/// one of `overlaps`, three days early (calendar months and years clamp at
/// month ends; a tie kept here is checked exactly when counted).
fn earliest_end(from: NaiveDate, overlaps: &[crate::Window]) -> NaiveDate {
    use chrono::{Days, Months};
    overlaps
        .iter()
        .filter_map(|w| match *w {
            crate::Window::Days(n) => from.checked_add_days(Days::new(u64::from(n))),
            crate::Window::Months(n) => from.checked_add_months(Months::new(n)),
            crate::Window::Years(n) => from.checked_add_months(Months::new(n.saturating_mul(12))),
            crate::Window::Rounds(_) => Some(from),
        })
        .min()
        .map_or(from, |end| {
            end.checked_sub_days(chrono::Days::new(3)).unwrap_or(end)
        })
        .max(from)
}

fn undated(kind: TieKind, evidence: Evidence) -> Tie {
    Tie {
        kind,
        from: None,
        to: None,
        evidence,
    }
}

/// Adds the items of `more` that `items` does not have yet.
fn add_new<T: Clone + PartialEq>(items: &mut Vec<T>, more: &[T]) {
    for item in more {
        if !items.contains(item) {
            items.push(item.clone());
        }
    }
}

/// The level of the finest division containing both `a` and `b`, which
/// share their ancestor at `level`.
fn finest_shared(a: Code, b: Code, level: Level) -> Level {
    let deepest = a.level().min(b.level());
    Level::ALL
        .iter()
        .rev()
        .filter(|l| **l >= level && **l <= deepest)
        .find_map(|&l| {
            let x = a.ancestor_at(l)?;
            (Some(x) == b.ancestor_at(l)).then_some(l)
        })
        .unwrap_or(level)
}

/// The leaders of the graph's officials, for lookups by target.
fn leader_index(graph: &UnGraph<TiePerson, Tie>, units: &Units) -> LeaderIndex {
    let mut index = LeaderIndex::default();
    for node in graph.node_indices() {
        let Some(post) = graph.node_weight(node).and_then(TiePerson::leading_post) else {
            continue;
        };
        let position = u32::try_from(index.leaders.len()).unwrap_or(u32::MAX);
        index.leaders.push(Leader {
            node,
            from: post.from,
            to: post.to,
        });
        if let Some(code) = post.place.division(units) {
            index.by_code.push((code.packed(), position));
        }
        if let Place::Unit(id) = &post.place {
            let mut current = units.get(id);
            while let Some(unit) = current {
                index
                    .by_unit
                    .entry(unit.id.clone())
                    .or_default()
                    .push(position);
                current = unit.parent.as_ref().and_then(|p| units.get(p));
            }
        }
    }
    index.by_code.sort_unstable();
    index
}
