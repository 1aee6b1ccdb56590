//! A whole roster against a whole target set: which pairs conflict, built
//! from the facts, not by testing every pair.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use xuncha_org::fxhash::FxHashMap;
use xuncha_org::{Code, Level, UnitId};

use crate::fact::{Region, for_each_fact, region};
use crate::{Engine, Role, RoleSet, Roster, Severity, Target};

/// A multiplicative hasher for the index's `u64` pair keys: far cheaper than
/// the default `SipHash`, and the keys are not attacker-chosen.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b) ^ self.0.rotate_left(8));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let product =
            u128::from(n ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "folding the 128-bit product into 64 bits is the point"
        )]
        let folded = (product as u64) ^ ((product >> 64) as u64);
        self.0 = folded;
    }
}

type PairMap<V> = HashMap<u64, V, BuildHasherDefault<PairHasher>>;

fn key(person: u32, target: u32) -> u64 {
    (u64::from(person) << 32) | u64::from(target)
}

/// Where the targets are, for range queries by code.
struct TargetLookup {
    /// (packed code of a target's division, target position, whether the
    /// target is a unit), sorted by code.
    by_code: Vec<(u64, u32, bool)>,
    /// Each code of `by_code`: the run of its entries (start, end), so that
    /// the targets exactly at a code take one lookup, not two searches.
    runs: FxHashMap<u64, (u32, u32)>,
    /// For each unit, the unit targets that are it or lie below it.
    unit_family: HashMap<UnitId, Vec<u32>>,
}

impl TargetLookup {
    fn new(engine: &Engine<'_>, targets: &[Target]) -> TargetLookup {
        let units = engine.units();
        let mut by_code = Vec::new();
        let mut unit_family: HashMap<UnitId, Vec<u32>> = HashMap::new();
        for (t, target) in targets.iter().enumerate() {
            let t = u32::try_from(t).unwrap_or(u32::MAX);
            let is_unit = matches!(target, Target::Unit(_));
            for code in target.divisions(units) {
                by_code.push((code.packed(), t, is_unit));
            }
            if let Target::Unit(id) = target {
                let mut current = units.get(id);
                while let Some(unit) = current {
                    unit_family.entry(unit.id.clone()).or_default().push(t);
                    current = unit.parent.as_ref().and_then(|p| units.get(p));
                }
            }
        }
        by_code.sort_unstable();
        by_code.dedup();
        let mut runs: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
        for (i, entry) in by_code.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            runs.entry(entry.0).or_insert((i, i)).1 = i + 1;
        }
        TargetLookup {
            by_code,
            runs,
            unit_family,
        }
    }

    /// Targets whose division lies within `code`'s subtree.
    fn within(&self, code: Code) -> &[(u64, u32, bool)] {
        let range = code.subtree_range();
        let start = self.by_code.partition_point(|e| e.0 < range.start);
        let end = self.by_code.partition_point(|e| e.0 < range.end);
        &self.by_code[start..end]
    }

    /// Targets whose division is exactly `code`.
    fn at(&self, code: Code) -> &[(u64, u32, bool)] {
        self.runs
            .get(&code.packed())
            .and_then(|&(start, end)| self.by_code.get(start as usize..end as usize))
            .unwrap_or_default()
    }

    /// Every target that `region` meets, pushed onto `hits`.
    fn hits(&self, region: Region<'_>, hits: &mut Vec<u32>) {
        match region {
            Region::Area(r) => {
                hits.extend(self.within(r).iter().map(|e| e.1));
                for level in Level::ALL.iter().take(r.level().index()) {
                    if let Some(ancestor) = r.ancestor_at(*level) {
                        hits.extend(self.at(ancestor).iter().map(|e| e.1));
                    }
                }
            }
            Region::Below(r) => hits.extend(self.within(r).iter().map(|e| e.1)),
            Region::Exact(r) => hits.extend(self.at(r).iter().filter(|e| !e.2).map(|e| e.1)),
            Region::Unit(id) => {
                if let Some(family) = self.unit_family.get(id) {
                    hits.extend(family);
                }
            }
        }
    }
}

/// Which (person, target) pairs conflict, for which roles, for a whole
/// roster and target set on one date.
///
/// Built from the facts: each fact's region marks the targets it blocks
/// through range queries on the code order (the hierarchy's pre-order), so
/// the work grows with the facts and the blocked pairs, not with people
/// times targets. Answers "may person p serve on target t in role r" in
/// O(1) (a hash lookup), and lists the blocked targets per person.
///
/// Positions are those of [`Roster::people`] and of the target slice.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_avoid::{Engine, Person, Place, Role, Roster, RuleSet, Target};
/// use xuncha_org::{Code, Hierarchy, Level, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::default();
/// let engine = Engine::new(&fujian, &units, RuleSet::default());
/// let mut wang = Person::new("P1", "王芳", Code::parse("350627")?);
/// wang.residence = Some(Place::Division(Code::parse("350628100")?));
/// let roster = Roster::new(vec![wang], &fujian, &units)?;
/// let counties: Vec<Target> = fujian.at_level(Level::County).map(|c| Target::Division(c.code())).collect();
/// let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("a valid date");
///
/// let index = engine.index(&roster, &counties, date);
/// let pinghe = counties.iter().position(|t| t.to_string() == "350628").expect("平和县");
/// assert!(!index.allowed(0, pinghe, Role::Member));
/// assert!(index.allowed(0, pinghe, Role::DeputyLeader), "residence is lifted for the deputy");
/// assert_eq!(index.blocked(0), &[u32::try_from(pinghe)?]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ConflictIndex {
    date: NaiveDate,
    people: usize,
    targets: usize,
    /// The people of each part of the roster (the last part may be
    /// shorter): the parts are indexed on threads, each with its own maps.
    part_len: usize,
    hard: Vec<PairMap<RoleSet>>,
    soft: Vec<PairMap<[u32; 4]>>,
    offsets: Vec<u32>,
    blocked: Vec<u32>,
}

/// Rosters shorter than this are indexed on the calling thread.
const PARALLEL_FROM: usize = 20_000;

/// What indexing one part of the roster finds.
struct Part {
    hard: PairMap<RoleSet>,
    soft: PairMap<[u32; 4]>,
    /// The blocked targets of the part's people, one run each.
    blocked: Vec<u32>,
    /// The end of each person's run in `blocked`.
    ends: Vec<u32>,
}

impl ConflictIndex {
    /// Builds the index of `roster` against `targets` for a round on `date`
    /// under `engine`'s rules.
    ///
    /// A roster of 20,000 people or more is indexed in parts on up to four
    /// threads (as many as the machine offers), each part into maps of its
    /// own; the result does not depend on how many.
    ///
    /// # Complexity
    ///
    /// O(F · (log T + h)) time for F facts over all people, T target
    /// divisions and h targets hit per fact; O(B) space for B blocked pairs.
    pub fn build(
        engine: &Engine<'_>,
        roster: &Roster,
        targets: &[Target],
        date: NaiveDate,
    ) -> ConflictIndex {
        let lookup = TargetLookup::new(engine, targets);
        let rules: Vec<_> = engine
            .rules()
            .rules()
            .iter()
            .map(|rule| (rule, engine.since(rule, date)))
            .collect();
        let people = roster.people();
        let threads = if people.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
        };
        let part_len = people.len().div_ceil(threads).max(1);
        let index_part = |(i, chunk): (usize, &[crate::Person])| {
            let first = u32::try_from(i * part_len).unwrap_or(u32::MAX);
            index_people(engine, &lookup, &rules, chunk, first, date)
        };
        let parts: Vec<Part> = if threads == 1 {
            people
                .chunks(part_len)
                .enumerate()
                .map(index_part)
                .collect()
        } else {
            std::thread::scope(|scope| {
                let index_part = &index_part;
                let handles: Vec<_> = people
                    .chunks(part_len)
                    .enumerate()
                    .map(|chunk| scope.spawn(move || index_part(chunk)))
                    .collect();
                handles
                    .into_iter()
                    .filter_map(|handle| handle.join().ok())
                    .collect()
            })
        };
        let mut offsets = Vec::with_capacity(people.len() + 1);
        offsets.push(0);
        let mut blocked = Vec::with_capacity(parts.iter().map(|p| p.blocked.len()).sum());
        let (mut hard, mut soft) = (Vec::new(), Vec::new());
        for part in parts {
            let base = u32::try_from(blocked.len()).unwrap_or(u32::MAX);
            offsets.extend(part.ends.iter().map(|end| base.saturating_add(*end)));
            blocked.extend_from_slice(&part.blocked);
            hard.push(part.hard);
            soft.push(part.soft);
        }
        ConflictIndex {
            date,
            people: people.len(),
            targets: targets.len(),
            part_len,
            hard,
            soft,
            offsets,
            blocked,
        }
    }

    /// The hard conflicts of the part holding `person`.
    fn hard_of(&self, person: u32) -> Option<&PairMap<RoleSet>> {
        self.hard.get(person as usize / self.part_len)
    }

    /// Whether person `person` may serve on target `target` in `role`: no
    /// hard conflict. O(1).
    pub fn allowed(&self, person: usize, target: usize, role: Role) -> bool {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self
                .hard_of(p)
                .and_then(|hard| hard.get(&key(p, t)))
                .is_none_or(|roles| !roles.contains(role)),
            _ => true,
        }
    }

    /// The roles for which `person` is hard-blocked from `target`.
    pub fn blocked_roles(&self, person: usize, target: usize) -> RoleSet {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self
                .hard_of(p)
                .and_then(|hard| hard.get(&key(p, t)))
                .copied()
                .unwrap_or_default(),
            _ => RoleSet::EMPTY,
        }
    }

    /// The summed cost of soft conflicts of `person` with `target` in
    /// `role`. O(1).
    pub fn soft_cost(&self, person: usize, target: usize, role: Role) -> u64 {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self
                .soft
                .get(p as usize / self.part_len)
                .and_then(|soft| soft.get(&key(p, t)))
                .map_or(0, |costs| u64::from(costs[role.index()])),
            _ => 0,
        }
    }

    /// The targets `person` has a hard conflict with in at least one role,
    /// ascending.
    pub fn blocked(&self, person: usize) -> &[u32] {
        match (self.offsets.get(person), self.offsets.get(person + 1)) {
            (Some(&start), Some(&end)) => &self.blocked[start as usize..end as usize],
            _ => &[],
        }
    }

    /// The round date the index was built for.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The number of people indexed.
    pub fn people(&self) -> usize {
        self.people
    }

    /// The number of targets indexed.
    pub fn targets(&self) -> usize {
        self.targets
    }

    /// The number of (person, target) pairs with a hard conflict.
    pub fn blocked_pairs(&self) -> usize {
        self.hard.iter().map(HashMap::len).sum()
    }
}

/// Indexes `people`, the first of whom is person `first` of the roster.
fn index_people(
    engine: &Engine<'_>,
    lookup: &TargetLookup,
    rules: &[(&crate::Rule, Option<NaiveDate>)],
    people: &[crate::Person],
    first: u32,
    date: NaiveDate,
) -> Part {
    let mut part = Part {
        hard: PairMap::default(),
        soft: PairMap::default(),
        blocked: Vec::new(),
        ends: Vec::with_capacity(people.len()),
    };
    let mut hits = Vec::new();
    let mut person_blocked = Vec::new();
    for (p, person) in (first..).zip(people) {
        person_blocked.clear();
        for &(rule, since) in rules {
            for_each_fact(rule, person, date, since, |_, place| {
                let Some(region) = region(place, rule.scope, engine.units()) else {
                    return;
                };
                hits.clear();
                lookup.hits(region, &mut hits);
                hits.sort_unstable();
                hits.dedup();
                for &t in &hits {
                    match rule.severity {
                        Severity::Hard => {
                            let blocked_roles = part.hard.entry(key(p, t)).or_default();
                            *blocked_roles = blocked_roles.union(rule.roles);
                            person_blocked.push(t);
                        }
                        Severity::Soft => {
                            let costs = part.soft.entry(key(p, t)).or_default();
                            for role in rule.roles.iter() {
                                costs[role.index()] = costs[role.index()].saturating_add(rule.cost);
                            }
                        }
                    }
                }
            });
        }
        person_blocked.sort_unstable();
        person_blocked.dedup();
        part.blocked.extend_from_slice(&person_blocked);
        part.ends
            .push(u32::try_from(part.blocked.len()).unwrap_or(u32::MAX));
    }
    part
}
