//! The acquaintance graph (人情网): ties between people, found from their
//! posts, upbringing, schools and relatives, and the bounded paths from an
//! inspector to the leaders of a target.
//!
//! The four avoidances keep an inspector away from *places*; the tie rule
//! (`fact = "ties"`) keeps them away from *people*: the leaders of the unit
//! they would inspect, and those leaders' acquaintances. The people of the
//! roster and of the officials file are the nodes of a petgraph
//! [`UnGraph`]; each [`Tie`] is an edge carrying its kind, its dates and its
//! evidence.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef as _;
use serde::{Deserialize, Serialize};
use xuncha_org::fxhash::FxHashMap;
use xuncha_org::{Code, Level, UnitId};

use crate::{PersonId, Place, Post, Relative, Window};

mod build;
pub use build::is_leading_title;
mod paths;

pub use paths::TiePath;
pub(crate) use paths::{TieHits, explain_path, path_steps};

/// The kind of a tie between two people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieKind {
    /// 同事: posts in the same unit, or in the government of the same
    /// division, overlapping in time.
    Colleague,
    /// 上下级: one held a leading post of the unit while the other served in
    /// it.
    Superior,
    /// 老乡: grew up in the same township (or the level a rule sets).
    Townsman,
    /// 同学: the same school and graduation year.
    Classmate,
    /// 亲属: one's relative record names the other by id.
    Kin,
}

impl TieKind {
    /// Every kind.
    pub const ALL: [TieKind; 5] = [
        TieKind::Colleague,
        TieKind::Superior,
        TieKind::Townsman,
        TieKind::Classmate,
        TieKind::Kin,
    ];

    /// The Chinese word: 同事, 上下级, 老乡, 同学, 亲属.
    pub fn chinese(self) -> &'static str {
        match self {
            TieKind::Colleague => "同事",
            TieKind::Superior => "上下级",
            TieKind::Townsman => "老乡",
            TieKind::Classmate => "同学",
            TieKind::Kin => "亲属",
        }
    }

    /// The word in files: `colleague`, `superior`, `townsman`, `classmate`,
    /// `kin`.
    pub fn as_str(self) -> &'static str {
        match self {
            TieKind::Colleague => "colleague",
            TieKind::Superior => "superior",
            TieKind::Townsman => "townsman",
            TieKind::Classmate => "classmate",
            TieKind::Kin => "kin",
        }
    }

    /// Whether the tie reads the same from both ends (all but 上下级).
    pub fn is_symmetric(self) -> bool {
        self != TieKind::Superior
    }

    /// Whether ties of this kind carry dates (colleagues and superiors),
    /// so that a rule's window lets old ones fade.
    pub fn is_dated(self) -> bool {
        matches!(self, TieKind::Colleague | TieKind::Superior)
    }
}

impl fmt::Display for TieKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a tie rule counts: `[rules.ties]` in a rule file.
///
/// ```toml
/// [[rules]]
/// id = "ties"
/// fact = "ties"
/// window = "10y"             # ties that ended more than 10 years ago fade
/// [rules.ties]
/// kinds = ["colleague", "superior", "townsman", "classmate", "kin"]
/// min_overlap = "1y"         # colleagues and superiors: at least a year together
/// path = 1                   # 1: a direct tie to a leader; 2: through one person
/// level = "township"         # townsmen: the same township of upbringing
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TieSpec {
    /// The kinds of tie that count; all five by default.
    #[serde(default = "all_kinds")]
    pub kinds: Vec<TieKind>,
    /// The least time two posts must overlap for a colleague or superior
    /// tie; one year by default.
    #[serde(default = "one_year")]
    pub min_overlap: Window,
    /// The longest path from the inspector to a leader of the target: 1 (a
    /// direct tie) or 2 (through one third person); 1 by default.
    #[serde(default = "one")]
    pub path: u8,
    /// The level at which places of upbringing make townsmen; the township
    /// by default.
    #[serde(default = "township")]
    pub level: Level,
}

fn all_kinds() -> Vec<TieKind> {
    TieKind::ALL.to_vec()
}

fn one_year() -> Window {
    Window::Years(1)
}

fn one() -> u8 {
    1
}

fn township() -> Level {
    Level::Township
}

impl Default for TieSpec {
    fn default() -> Self {
        TieSpec {
            kinds: all_kinds(),
            min_overlap: one_year(),
            path: 1,
            level: township(),
        }
    }
}

impl TieSpec {
    /// Whether ties of `kind` count.
    pub fn counts(&self, kind: TieKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// A tie between two people: an edge of the [`TieGraph`].
///
/// Its evidence (the two posts, the two places, the school, the relative's
/// record) is read with [`TieGraph::evidence`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// The kind.
    pub kind: TieKind,
    /// When it began: the later start of two overlapping posts; `None` for
    /// undated kinds.
    pub from: Option<NaiveDate>,
    /// When it ended: the earlier end of two overlapping posts; `None`
    /// while both go on, and for undated kinds.
    pub to: Option<NaiveDate>,
    evidence: Evidence,
}

// A tie is an edge of a graph of tens of millions: keep it small.
const _: () = assert!(std::mem::size_of::<Tie>() <= 16);

/// Where a tie's evidence lies in its two people's records, by position;
/// `a` is the edge's stored source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// `posts[a]` of the source and `posts[b]` of the target; for a
    /// superior tie, whether the source held the leading post.
    Posts { a: u16, b: u16, source_leads: bool },
    /// `upbringing[a]` and `upbringing[b]`, and the level of the finest
    /// division both lie in (the division itself is `a`'s ancestor there;
    /// kept as a level, so that a tie fits in 16 bytes).
    Upbringing { a: u16, b: u16, shared: Level },
    /// The same school and year.
    School,
    /// `relatives[relative]` of the source (or of the target, when
    /// `source_names` is false) names the other by id.
    Kin { relative: u16, source_names: bool },
}

/// A tie's evidence, read from the two people's records.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum TieEvidence<'g> {
    /// Two posts in one organisation that overlap; `senior` is the holder
    /// of the leading one, for a superior tie.
    Posts {
        /// The first person's post.
        first: PostRef<'g>,
        /// The second person's post.
        second: PostRef<'g>,
        /// Who held the leading post, for 上下级.
        senior: Option<&'g PersonId>,
    },
    /// Two places of upbringing and the finest division both lie in.
    Upbringing {
        /// The first person's place.
        first: &'g Place,
        /// The second person's place.
        second: &'g Place,
        /// The finest division both lie in.
        shared: Code,
    },
    /// The same school and graduation year.
    School {
        /// The school.
        school: &'g str,
        /// The year.
        year: i32,
    },
    /// A relative's record naming the other person.
    Kin {
        /// Whose record it is.
        of: &'g PersonId,
        /// The record.
        relative: &'g Relative,
    },
}

/// One tie of a path, for the record of a conflict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieStep {
    /// The person nearer the inspector.
    pub person: PersonId,
    /// The person nearer the target's leader (the leader, on the last
    /// step).
    pub other: PersonId,
    /// The kind of tie.
    pub kind: TieKind,
    /// When it began, for dated kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// When it ended, for dated kinds; `None` while it goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// A person of the acquaintance graph: a roster person, an official, or
/// both, with the facts ties are found from.
///
/// The posts are kept compactly, by number (a national graph holds some two
/// million): read them with [`TieGraph::posts`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TiePerson {
    /// The id shared by the roster and the officials file.
    pub id: PersonId,
    /// The name.
    pub name: String,
    /// Whether the person is in the roster.
    pub in_roster: bool,
    /// The position of the leading post among the posts, for an official.
    pub leading: Option<usize>,
    /// Places of upbringing.
    pub upbringing: Vec<Place>,
    /// The school and graduation year, where both are recorded.
    pub school: Option<(String, i32)>,
    /// Relatives named by id.
    pub relatives: Vec<Relative>,
    /// Posts held: the roster's, then the official's leading post and
    /// earlier posts, without repeats.
    posts: Vec<HeldPost>,
    /// The leading post in full, for an official.
    leading_post: Option<Box<Post>>,
    /// The divisions of `upbringing`, where known (filled when townsmen
    /// are looked for).
    homes: Vec<Option<Code>>,
}

impl TiePerson {
    /// The leading post, for an official.
    pub fn leading_post(&self) -> Option<&Post> {
        self.leading_post.as_deref()
    }
}

/// A post as the graph keeps it: its place and title by their number in
/// the graph's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HeldPost {
    place: u32,
    title: u32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// A post of a person of the [`TieGraph`], read from the graph's tables;
/// serialized as a [`Post`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PostRef<'g> {
    /// Where the post was held.
    pub place: &'g Place,
    /// The title, such as 副镇长.
    pub title: &'g str,
    /// When it began, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// When it ended; `None` while it goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// A person of the [`TieGraph`] with their posts, for serializing: every
/// fact ties are found from ([`TieGraph::records`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieRecord<'g> {
    /// The id.
    pub id: &'g PersonId,
    /// The name.
    pub name: &'g str,
    /// Whether the person is in the roster.
    pub in_roster: bool,
    /// The position of the leading post in `posts`, for an official.
    pub leading: Option<usize>,
    /// The posts held.
    pub posts: Vec<PostRef<'g>>,
    /// Places of upbringing.
    pub upbringing: &'g [Place],
    /// The school and graduation year.
    pub school: Option<&'g (String, i32)>,
    /// Relatives named by id.
    pub relatives: &'g [Relative],
}

impl PostRef<'_> {
    /// The post as an owned [`Post`].
    pub fn to_post(&self) -> Post {
        Post {
            place: self.place.clone(),
            title: self.title.to_owned(),
            from: self.from,
            to: self.to,
        }
    }
}

/// An official's leading post, for finding a target's leaders.
#[derive(Clone, Debug)]
struct Leader {
    node: NodeIndex,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Leader {
    fn serves_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| t >= date)
    }
}

/// The leaders, for lookups by target.
#[derive(Clone, Debug, Default)]
struct LeaderIndex {
    leaders: Vec<Leader>,
    /// (packed code of the post's division, leader position), sorted.
    by_code: Vec<(u64, u32)>,
    /// For a unit: the leaders of it and of the units below it.
    by_unit: HashMap<UnitId, Vec<u32>>,
}

/// The acquaintance graph of a roster and the officials of the inspected
/// side: people as nodes, [`Tie`]s as edges.
///
/// Built once for a whole roster ([`TieGraph::build`]): colleagues and
/// superiors by a sweep over the posts of each organisation in order of
/// their start (each post meets only the posts that begin before it ends),
/// townsmen and classmates by grouping, kin by id. The paths a tie rule
/// looks for are found by a search from each target's leaders
/// ([`TieGraph::path`] for one inspector, the
/// [`ConflictIndex`](crate::ConflictIndex) for a whole round).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_avoid::{Officials, Official, Person, Place, Post, Roster, RuleSet, TieGraph, TieKind};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::default();
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a valid date");
/// let finance = Place::Division(Code::parse("3506")?); // 漳州市 (its government)
/// let mut zhang = Person::new("P1", "张三", Code::parse("350602")?);
/// zhang.posts.push(Post { place: finance.clone(), title: "科员".into(), from: Some(d(2012, 3, 1)), to: Some(d(2015, 6, 30)) });
/// let roster = Roster::new(vec![zhang], &fujian, &units)?;
/// let mut li = Official::new("L1", "李四", Place::Division(Code::parse("350627")?), "县长");
/// li.posts.push(Post { place: finance, title: "科长".into(), from: Some(d(2010, 1, 1)), to: Some(d(2016, 1, 1)) });
/// let officials = Officials::new(vec![li], &fujian, &units)?;
///
/// let graph = TieGraph::build(&roster, &officials, &units, &[Default::default()]);
/// let ties: Vec<_> = graph.ties_of(&"P1".into()).collect();
/// assert_eq!(ties.len(), 1);
/// assert_eq!(ties[0].1.kind, TieKind::Superior, "李四 led while 张三 served");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct TieGraph {
    graph: UnGraph<Box<TiePerson>, Tie>,
    by_id: FxHashMap<PersonId, NodeIndex>,
    leaders: LeaderIndex,
    /// The places of the posts, each once.
    places: Vec<Place>,
    /// The titles of the posts, each once.
    titles: Vec<String>,
}

impl TieGraph {
    /// The graph itself: people as nodes, ties as edges.
    ///
    /// The people are boxed: a node is then 16 bytes, and the build, which
    /// links millions of edges to their two nodes, keeps every node in
    /// cache.
    pub fn graph(&self) -> &UnGraph<Box<TiePerson>, Tie> {
        &self.graph
    }

    /// The node of the person with `id`.
    pub fn node(&self, id: &PersonId) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// The person at `node`.
    pub fn person(&self, node: NodeIndex) -> Option<&TiePerson> {
        self.graph.node_weight(node).map(|p| &**p)
    }

    /// The posts of the person at `node`, in order: for an official in
    /// the roster, the roster's posts, then the leading post and the
    /// earlier posts the roster lacks.
    pub fn posts(&self, node: NodeIndex) -> impl Iterator<Item = PostRef<'_>> + '_ {
        self.graph
            .node_weight(node)
            .into_iter()
            .flat_map(|p| &p.posts)
            .filter_map(|held| self.post_ref(held))
    }

    /// Every person with their posts, in node order, for serializing.
    pub fn records(&self) -> Vec<TieRecord<'_>> {
        self.graph
            .node_indices()
            .filter_map(|n| {
                let p = self.graph.node_weight(n)?;
                Some(TieRecord {
                    id: &p.id,
                    name: &p.name,
                    in_roster: p.in_roster,
                    leading: p.leading,
                    posts: self.posts(n).collect(),
                    upbringing: &p.upbringing,
                    school: p.school.as_ref(),
                    relatives: &p.relatives,
                })
            })
            .collect()
    }

    /// Each node's position in `roster`, or `u32::MAX` for a person it
    /// lacks. The graph's first nodes are the roster it was built from, in
    /// order: when `roster` is that one, no id is looked up.
    pub(crate) fn roster_positions(&self, roster: &crate::Roster) -> Vec<u32> {
        let people = roster.people();
        let nodes = self.graph.raw_nodes();
        let same = nodes.len() >= people.len()
            && people.iter().zip(nodes).all(|(p, n)| p.id == n.weight.id)
            && nodes[people.len()..].iter().all(|n| !n.weight.in_roster);
        nodes
            .iter()
            .enumerate()
            .map(|(n, node)| {
                let position = if same {
                    (n < people.len()).then_some(n)
                } else {
                    roster.index_of(&node.weight.id)
                };
                position
                    .and_then(|i| u32::try_from(i).ok())
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }

    fn post_ref(&self, held: &HeldPost) -> Option<PostRef<'_>> {
        Some(PostRef {
            place: self.places.get(held.place as usize)?,
            title: self.titles.get(held.title as usize)?,
            from: held.from,
            to: held.to,
        })
    }

    /// The number of people.
    pub fn people(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of ties.
    pub fn ties(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every tie of the person with `id`: the other person and the tie.
    pub fn ties_of<'g>(
        &'g self,
        id: &PersonId,
    ) -> impl Iterator<Item = (&'g TiePerson, &'g Tie, EdgeIndex)> + 'g {
        self.node(id)
            .into_iter()
            .flat_map(|n| self.graph.edges(n))
            .filter_map(|e| Some((self.person(e.target())?, e.weight(), e.id())))
    }

    /// The evidence of the tie `edge`: the records it was found from.
    pub fn evidence(&self, edge: EdgeIndex) -> Option<TieEvidence<'_>> {
        let (a, b) = self.graph.edge_endpoints(edge)?;
        let (a, b) = (self.graph.node_weight(a)?, self.graph.node_weight(b)?);
        let tie = self.graph.edge_weight(edge)?;
        Some(match tie.evidence {
            Evidence::Posts {
                a: i,
                b: j,
                source_leads,
            } => TieEvidence::Posts {
                first: self.post_ref(a.posts.get(usize::from(i))?)?,
                second: self.post_ref(b.posts.get(usize::from(j))?)?,
                senior: (tie.kind == TieKind::Superior).then_some(if source_leads {
                    &a.id
                } else {
                    &b.id
                }),
            },
            Evidence::Upbringing { a: i, b: j, shared } => TieEvidence::Upbringing {
                first: a.upbringing.get(usize::from(i))?,
                second: b.upbringing.get(usize::from(j))?,
                shared: a
                    .homes
                    .get(usize::from(i))?
                    .and_then(|c| c.ancestor_at(shared))?,
            },
            Evidence::School => {
                let (school, year) = a.school.as_ref()?;
                TieEvidence::School {
                    school,
                    year: *year,
                }
            }
            Evidence::Kin {
                relative,
                source_names,
            } => {
                let of = if source_names { a } else { b };
                TieEvidence::Kin {
                    of: &of.id,
                    relative: of.relatives.get(usize::from(relative))?,
                }
            }
        })
    }

    /// The people leading `target` on `date`: officials whose leading post
    /// lies within it (see [`Official::leads_within`](crate::Official::leads_within))
    /// and covers the date; ascending, without repeats.
    pub fn leaders(&self, target: &crate::Target, date: NaiveDate) -> Vec<NodeIndex> {
        let index = &self.leaders;
        let mut out: Vec<NodeIndex> = Vec::new();
        let mut take = |positions: &mut dyn Iterator<Item = u32>| {
            for i in positions {
                if let Some(leader) = index.leaders.get(i as usize)
                    && leader.serves_on(date)
                {
                    out.push(leader.node);
                }
            }
        };
        let mut within = |code: Code| {
            let range = code.subtree_range();
            let start = index.by_code.partition_point(|e| e.0 < range.start);
            let end = index.by_code.partition_point(|e| e.0 < range.end);
            take(&mut index.by_code[start..end].iter().map(|e| e.1));
        };
        match target {
            crate::Target::Division(code) => within(*code),
            crate::Target::Cluster(codes) => codes.iter().for_each(|c| within(*c)),
            crate::Target::Unit(id) => {
                if let Some(family) = index.by_unit.get(id) {
                    take(&mut family.iter().copied());
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Whether `tie` counts under `spec` for a round on `date`, with
/// ties that ended before `since` faded.
pub(crate) fn counts(tie: &Tie, spec: &TieSpec, date: NaiveDate, since: Option<NaiveDate>) -> bool {
    if !spec.counts(tie.kind) {
        return false;
    }
    match tie.evidence {
        Evidence::Posts { .. } => {
            let Some(from) = tie.from else { return false };
            let end = tie.to.map_or(date, |to| to.min(date));
            from <= end && since.is_none_or(|s| end >= s) && lasts(spec.min_overlap, from, end)
        }
        Evidence::Upbringing { shared, .. } => shared >= spec.level,
        Evidence::School | Evidence::Kin { .. } => true,
    }
}

/// Whether `from..=end` lasts at least `window`: by the count of days where
/// that decides it (most ties, cheaply), else by the calendar.
fn lasts(window: Window, from: NaiveDate, end: NaiveDate) -> bool {
    let days = (end - from).num_days();
    match window.span_days() {
        Some((_, most)) if days >= most => true,
        Some((least, _)) if days < least => false,
        _ => window.since(end, &[]).is_some_and(|s| s >= from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The count of days decides only where the calendar agrees.
        #[test]
        fn lasts_agrees_with_the_calendar(
            start in 0u64..40_000,
            length in 0i64..8_000,
            n in 1u32..15,
            unit in 0u8..3,
            near in prop::option::of((any::<bool>(), -4i64..5)),
        ) {
            let epoch = NaiveDate::from_ymd_opt(1950, 1, 1).expect("a date");
            let from = epoch + chrono::Days::new(start);
            let window = match unit {
                0 => Window::Days(n * 40),
                1 => Window::Months(n),
                _ => Window::Years(n),
            };
            // Half the cases within days of the window's least or most span.
            let length = match (near, window.span_days()) {
                (Some((most, by)), Some((least, top))) => {
                    (if most { top } else { least } + by).max(0)
                }
                _ => length,
            };
            let end = from + chrono::Days::new(length.unsigned_abs());
            let calendar = window.since(end, &[]).is_some_and(|s| s >= from);
            prop_assert_eq!(lasts(window, from, end), calendar);
        }
    }
}
