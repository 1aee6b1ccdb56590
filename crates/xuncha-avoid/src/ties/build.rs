//! Building the acquaintance graph: the people, then each kind of tie.

use std::hash::BuildHasherDefault;

use chrono::NaiveDate;
use petgraph::graph::{NodeIndex, UnGraph};
use xuncha_org::fxhash::FxHashMap;
use xuncha_org::{Code, Level, Units};

use super::{Evidence, HeldPost, Leader, LeaderIndex, Tie, TieGraph, TieKind, TiePerson, TieSpec};
use crate::parts::in_parts;
use crate::{Official, Officials, Person, Place, Post, Roster};

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

/// One post in the sweep (its organisation is its group's).
#[derive(Clone, Copy, Debug)]
struct Stint {
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
        let parallel = roster.len() + officials.len() >= PARALLEL_FROM;
        TieGraph::build_in(roster, officials, units, specs, parallel)
    }

    /// [`TieGraph::build`], on threads when `parallel` (the same graph
    /// either way).
    fn build_in(
        roster: &Roster,
        officials: &Officials,
        units: &Units,
        specs: &[TieSpec],
        parallel: bool,
    ) -> TieGraph {
        let mut graph = TieGraph::people_of(roster, officials, parallel);
        graph.leaders = leader_index(&graph.graph, units);
        let wanted = |kind: TieKind| specs.iter().any(|s| s.counts(kind));
        if wanted(TieKind::Colleague) || wanted(TieKind::Superior) {
            let overlaps: Vec<_> = specs
                .iter()
                .filter(|s| s.counts(TieKind::Colleague) || s.counts(TieKind::Superior))
                .map(|s| s.min_overlap)
                .collect();
            graph.colleagues(&overlaps, parallel);
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
    /// million posts is most of the work), each part numbering the places
    /// and titles it meets; the parts' numbers are then made one, in order
    /// of first appearance, and the records placed in order.
    fn people_of(roster: &Roster, officials: &Officials, parallel: bool) -> TieGraph {
        let size = roster.len() + officials.len();
        let people = records_in_parts(roster.people(), parallel, TiePerson::of_roster);
        let leaders = records_in_parts(officials.officials(), parallel, TiePerson::of_official);
        let mut tables = Tables::default();
        let people: Vec<Vec<Box<TiePerson>>> =
            people.into_iter().map(|p| tables.renumber(p)).collect();
        let leaders: Vec<Vec<Box<TiePerson>>> =
            leaders.into_iter().map(|p| tables.renumber(p)).collect();
        let mut graph: UnGraph<Box<TiePerson>, Tie> = UnGraph::with_capacity(size, 0);
        let mut by_id = FxHashMap::with_capacity_and_hasher(size, BuildHasherDefault::default());
        for person in people.into_iter().flatten() {
            let id = person.id.clone();
            by_id.insert(id, graph.add_node(person));
        }
        for person in leaders.into_iter().flatten() {
            if let Some(both) = by_id
                .get(&person.id)
                .and_then(|&n| graph.node_weight_mut(n))
            {
                both.absorb(*person);
            } else {
                let id = person.id.clone();
                by_id.insert(id, graph.add_node(person));
            }
        }
        TieGraph {
            graph,
            by_id,
            leaders: LeaderIndex::default(),
            places: tables.places.into_iter().cloned().collect(),
            titles: tables.titles.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Colleagues and superiors: posts of one organisation that overlap,
    /// kept when they overlap by at least one of `overlaps` (or still go
    /// on).
    fn colleagues(&mut self, overlaps: &[crate::Window], parallel: bool) {
        let (stints, groups) = self.stints(overlaps, parallel);
        // Counted first (each half of the groups on a thread), so that the
        // edges are allocated once, to size.
        let halves = [&groups[..=groups.len() / 2], &groups[groups.len() / 2..]];
        let count: usize = in_parts(&halves, parallel, |_, halves| {
            let mut count = 0usize;
            for half in halves {
                sweep(&stints, half, |_, _, _| count += 1);
            }
            count
        })
        .into_iter()
        .sum();
        self.graph.reserve_exact_edges(count);
        let graph = &mut self.graph;
        sweep(&stints, &groups, |first, second, to| {
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

    /// Every dated post, grouped by organisation (its place's number in
    /// the graph's table) by a counting sort, each group then sorted by
    /// start: group `g` is `stints[groups[g]..groups[g + 1]]`.
    fn stints(&self, overlaps: &[crate::Window], parallel: bool) -> (Vec<Stint>, Vec<u32>) {
        let leading: Vec<bool> = self.titles.iter().map(|t| is_leading_title(t)).collect();
        let dated = || {
            self.graph
                .raw_nodes()
                .iter()
                .enumerate()
                .flat_map(|(n, node)| {
                    let person = &node.weight;
                    person
                        .posts
                        .iter()
                        .enumerate()
                        .filter_map(move |(i, held)| {
                            let from = held.from?;
                            Some((n, person, i, held, from))
                        })
                })
        };
        let mut groups = vec![0u32; self.places.len() + 1];
        for (_, _, _, held, _) in dated() {
            if let Some(count) = groups.get_mut(held.place as usize + 1) {
                *count += 1;
            }
        }
        for i in 1..groups.len() {
            groups[i] += groups[i - 1];
        }
        let mut fill = groups.clone();
        let empty = Stint {
            from: NaiveDate::MIN,
            long_enough_at: NaiveDate::MIN,
            to: None,
            node: 0,
            post: 0,
            leading: false,
        };
        let mut stints = vec![empty; groups.last().copied().unwrap_or(0) as usize];
        // Posts start on few distinct dates: their least ends are worked
        // out once each.
        let mut ends: FxHashMap<NaiveDate, NaiveDate> = FxHashMap::default();
        for (n, person, i, held, from) in dated() {
            let (Ok(node), Ok(post)) = (u32::try_from(n), u16::try_from(i)) else {
                continue;
            };
            let Some(at) = fill.get_mut(held.place as usize) else {
                continue;
            };
            if let Some(slot) = stints.get_mut(*at as usize) {
                *slot = Stint {
                    from,
                    long_enough_at: *ends
                        .entry(from)
                        .or_insert_with(|| earliest_end(from, overlaps)),
                    to: held.to,
                    node,
                    post,
                    leading: person.leading == Some(i)
                        || leading.get(held.title as usize) == Some(&true),
                };
            }
            *at += 1;
        }
        sort_groups(&mut stints, &groups, parallel);
        (stints, groups)
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
        let mut groups: FxHashMap<(&str, i32), Vec<u32>> = FxHashMap::default();
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
        let mut seen = xuncha_org::fxhash::FxHashSet::default();
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

/// The graph's records of `items`, made by `record` on threads when
/// `parallel`: each part's records with the tables that number their posts.
#[allow(
    clippy::vec_box,
    reason = "the boxes become the graph's nodes as they are"
)]
fn records_in_parts<'a, T: Sync>(
    items: &'a [T],
    parallel: bool,
    record: impl Fn(&'a T, &mut Tables<'a>) -> TiePerson + Sync,
) -> Vec<(Vec<Box<TiePerson>>, Tables<'a>)> {
    in_parts(items, parallel, |_, part| {
        let mut tables = Tables::default();
        let people = part
            .iter()
            .map(|item| Box::new(record(item, &mut tables)))
            .collect();
        (people, tables)
    })
}

/// The places and titles of posts, each numbered once, in order of first
/// appearance. Divisions are looked up by their code's value, and units by
/// their id's bytes held in the key where they fit in 16: a key that
/// points at the id it was first given for would be a cache miss on every
/// lookup, the cost of numbering some two million posts.
#[derive(Default)]
struct Tables<'a> {
    places: Vec<&'a Place>,
    divisions: FxHashMap<u64, u32>,
    short_units: FxHashMap<(u128, u8), u32>,
    long_units: FxHashMap<&'a str, u32>,
    titles: Vec<&'a str>,
    title_numbers: FxHashMap<&'a str, u32>,
}

impl<'a> Tables<'a> {
    fn place(&mut self, place: &'a Place) -> u32 {
        let next = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
        let number = match place {
            Place::Division(code) => self.divisions.entry(code.packed()),
            Place::Unit(id) => return self.unit(place, id.as_str(), next),
        };
        *number.or_insert_with(|| {
            self.places.push(place);
            next
        })
    }

    fn unit(&mut self, place: &'a Place, id: &'a str, next: u32) -> u32 {
        let places = &mut self.places;
        let push = || {
            places.push(place);
            next
        };
        match u8::try_from(id.len()).ok().filter(|&n| n <= 16) {
            Some(len) => {
                let mut bytes = [0u8; 16];
                bytes[..id.len()].copy_from_slice(id.as_bytes());
                let key = (u128::from_le_bytes(bytes), len);
                *self.short_units.entry(key).or_insert_with(push)
            }
            None => *self.long_units.entry(id).or_insert_with(push),
        }
    }

    fn title(&mut self, title: &'a str) -> u32 {
        let next = u32::try_from(self.titles.len()).unwrap_or(u32::MAX);
        *self.title_numbers.entry(title).or_insert_with(|| {
            self.titles.push(title);
            next
        })
    }

    /// Numbers `people`'s posts by these tables instead of `part`'s. (The
    /// people are boxed already: they become the graph's nodes as they are.)
    #[allow(clippy::vec_box)]
    fn renumber(
        &mut self,
        (mut people, part): (Vec<Box<TiePerson>>, Tables<'a>),
    ) -> Vec<Box<TiePerson>> {
        if self.places.is_empty() && self.titles.is_empty() {
            // The first part: its numbers are the tables' own.
            *self = part;
            return people;
        }
        let places: Vec<u32> = part.places.iter().map(|p| self.place(p)).collect();
        let titles: Vec<u32> = part.titles.iter().map(|t| self.title(t)).collect();
        for held in people.iter_mut().flat_map(|p| &mut p.posts) {
            held.place = places.get(held.place as usize).copied().unwrap_or(u32::MAX);
            held.title = titles.get(held.title as usize).copied().unwrap_or(u32::MAX);
        }
        people
    }

    fn post(&mut self, post: &'a Post) -> HeldPost {
        HeldPost {
            place: self.place(&post.place),
            title: self.title(&post.title),
            from: post.from,
            to: post.to,
        }
    }
}

impl TiePerson {
    /// A roster person's record: posts, places, school and the relatives
    /// named by id.
    fn of_roster<'a>(person: &'a Person, tables: &mut Tables<'a>) -> TiePerson {
        TiePerson {
            id: person.id.clone(),
            name: person.name.clone(),
            in_roster: true,
            leading: None,
            posts: person.posts.iter().map(|p| tables.post(p)).collect(),
            leading_post: None,
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

    /// An official's record alone: the leading post (marked), then the
    /// earlier posts, places, named relatives and school.
    fn of_official<'a>(official: &'a Official, tables: &mut Tables<'a>) -> TiePerson {
        let leading = official.leading_post();
        let held = HeldPost {
            place: tables.place(&official.place),
            title: tables.title(&official.post),
            from: leading.from,
            to: leading.to,
        };
        let mut posts = vec![held];
        add_new(
            &mut posts,
            &official
                .posts
                .iter()
                .map(|p| tables.post(p))
                .collect::<Vec<_>>(),
        );
        let mut upbringing = Vec::new();
        add_new(&mut upbringing, &official.upbringing);
        let mut relatives = Vec::new();
        let named: Vec<_> = official
            .relatives
            .iter()
            .filter(|r| r.id.is_some())
            .cloned()
            .collect();
        add_new(&mut relatives, &named);
        TiePerson {
            id: official.id.clone(),
            name: official.name.clone(),
            in_roster: false,
            leading: Some(0),
            posts,
            leading_post: Some(Box::new(leading)),
            upbringing,
            school: official.school.clone().zip(official.graduation),
            relatives,
            homes: Vec::new(),
        }
    }

    /// Adds an official's record (of the same person, numbered by the same
    /// tables): the leading post (marked), then the earlier posts, places
    /// and named relatives not held yet, and the school where none is
    /// recorded.
    fn absorb(&mut self, official: TiePerson) {
        if let Some(held) = official.leading.and_then(|i| official.posts.get(i)) {
            let position = self.posts.iter().position(|p| p == held);
            self.leading = Some(position.unwrap_or_else(|| {
                self.posts.push(*held);
                self.posts.len() - 1
            }));
            self.leading_post = official.leading_post;
        }
        add_new(&mut self.posts, &official.posts);
        add_new(&mut self.upbringing, &official.upbringing);
        add_new(&mut self.relatives, &official.relatives);
        if self.school.is_none() {
            self.school = official.school;
        }
    }
}

/// Sorts each group of `stints` (bounded by `groups`) by start, on two
/// threads when `parallel` (the halves split at a group's bound).
fn sort_groups(stints: &mut [Stint], groups: &[u32], parallel: bool) {
    fn sort(stints: &mut [Stint], groups: &[u32], offset: u32) {
        for bounds in groups.windows(2) {
            let (a, b) = ((bounds[0] - offset) as usize, (bounds[1] - offset) as usize);
            if let Some(group) = stints.get_mut(a..b) {
                group.sort_unstable_by_key(|s| (s.from, s.node, s.post));
            }
        }
    }
    let half = groups.partition_point(|&g| (g as usize) < stints.len() / 2);
    if !parallel || half == 0 || half >= groups.len() {
        sort(stints, groups, 0);
        return;
    }
    let middle = groups[half];
    let (low, high) = stints.split_at_mut(middle as usize);
    std::thread::scope(|scope| {
        scope.spawn(|| sort(low, &groups[..=half], 0));
        sort(high, &groups[half..], middle);
    });
}

/// Calls `tie` with every two posts of one organisation (a group of
/// `stints`, bounded by `groups`, sorted by start) that overlap long
/// enough, and the end of their overlap: each post meets only those that
/// begin before it ends.
fn sweep(stints: &[Stint], groups: &[u32], mut tie: impl FnMut(&Stint, &Stint, Option<NaiveDate>)) {
    for bounds in groups.windows(2) {
        let group = stints
            .get(bounds[0] as usize..bounds[1] as usize)
            .unwrap_or_default();
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
fn leader_index(graph: &UnGraph<Box<TiePerson>, Tie>, units: &Units) -> LeaderIndex {
    let mut index = LeaderIndex::default();
    for node in graph.node_indices() {
        let Some(post) = graph.node_weight(node).and_then(|p| p.leading_post()) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Relative, Window};
    use petgraph::visit::EdgeRef as _;
    use proptest::prelude::*;
    use xuncha_org::{Hierarchy, Unit, UnitId};

    const PLACES: [&str; 6] = [
        "350627",
        "350628",
        "3506",
        "unit:nj-civil",
        "unit:ph-civil",
        "unit:a-unit-id-longer-than-sixteen",
    ];
    const TITLES: [&str; 4] = ["科员", "局长", "副镇长", "主任科员"];

    fn date(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).expect("a date")
    }

    /// A post: place, title, start year and month, length in months.
    fn arb_post() -> impl Strategy<Value = Post> {
        (
            0..PLACES.len(),
            0..TITLES.len(),
            2000..2020i32,
            1..13u32,
            0..60u32,
            any::<bool>(),
        )
            .prop_map(|(p, t, y, m, months, open)| {
                let from = date(y, m);
                Post {
                    place: PLACES[p].parse().expect("a place"),
                    title: TITLES[t].to_owned(),
                    from: Some(from),
                    to: (!open).then(|| from + chrono::Months::new(months)),
                }
            })
    }

    fn files(people: &[Vec<Post>], leaders: &[Vec<Post>]) -> (Roster, Officials, Units) {
        let fujian = Hierarchy::fujian();
        let unit = |id: &str, name: &str| Unit {
            id: UnitId(id.into()),
            name: name.into(),
            division: xuncha_org::Code::parse("350627").expect("a code"),
            kind: xuncha_org::UnitKind::Bureau,
            parent: None,
            department: None,
        };
        let units = Units::new(
            vec![
                unit("nj-civil", "南靖县民政局"),
                unit("ph-civil", "平和县民政局"),
                unit("a-unit-id-longer-than-sixteen", "南靖县公路分局"),
            ],
            &fujian,
        )
        .expect("units");
        let roster = people
            .iter()
            .enumerate()
            .map(|(i, posts)| {
                let code = xuncha_org::Code::parse("350602").expect("a code");
                let mut p = Person::new(&format!("P{i}"), &format!("甲{i}"), code);
                p.posts.clone_from(posts);
                if i % 7 == 0 {
                    let mut r = Relative::from_word("连襟", "某").expect("a word");
                    r.id = Some(format!("P{}", (i + 3) % people.len()).as_str().into());
                    p.relatives.push(r);
                }
                p
            })
            .collect();
        let roster = Roster::new(roster, &fujian, &units).expect("a roster");
        let officials = leaders
            .iter()
            .enumerate()
            .map(|(i, posts)| {
                // Every third official is a roster person too.
                let id = if i % 3 == 0 {
                    format!("P{i}")
                } else {
                    format!("L{i}")
                };
                let place = PLACES[i % PLACES.len()].parse().expect("a place");
                let mut o = Official::new(&id, &format!("乙{i}"), place, TITLES[i % 2]);
                o.from = Some(date(2015, 1));
                o.posts.clone_from(posts);
                o
            })
            .collect();
        let officials = Officials::new(officials, &fujian, &units).expect("officials");
        (roster, officials, units)
    }

    /// Every tie as (person, person, kind, dates, evidence), in order.
    fn ties(graph: &TieGraph) -> Vec<String> {
        graph
            .graph
            .edge_references()
            .map(|e| {
                let ends = (e.source().index(), e.target().index());
                format!("{ends:?} {:?} {:?}", e.weight(), graph.evidence(e.id()))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// The graph built on threads is the graph built on one: the same
        /// people with the same posts, the same ties in the same order, the
        /// same leaders.
        #[test]
        fn threads_build_the_same_graph(
            people in prop::collection::vec(prop::collection::vec(arb_post(), 0..5), 2..60),
            leaders in prop::collection::vec(prop::collection::vec(arb_post(), 0..4), 0..12),
        ) {
            let (roster, officials, units) = files(&people, &leaders);
            let specs = [TieSpec { min_overlap: Window::Months(6), ..TieSpec::default() }];
            let one = TieGraph::build_in(&roster, &officials, &units, &specs, false);
            let two = TieGraph::build_in(&roster, &officials, &units, &specs, true);
            prop_assert_eq!(one.records(), two.records());
            prop_assert_eq!(ties(&one), ties(&two));
            let target = crate::Target::Division(xuncha_org::Code::parse("3506").expect("a code"));
            prop_assert_eq!(one.leaders(&target, date(2020, 1)), two.leaders(&target, date(2020, 1)));
            // And a post reads back as it was written.
            for (n, person) in roster.people().iter().enumerate() {
                let node = NodeIndex::new(n);
                let read: Vec<Post> = two.posts(node).map(|p| p.to_post()).collect();
                prop_assert_eq!(&read[..person.posts.len()], &person.posts[..]);
            }
        }
    }
}
