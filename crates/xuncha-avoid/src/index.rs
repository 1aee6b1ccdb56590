//! A whole roster against a whole target set: which pairs conflict, built
//! from the facts, not by testing every pair.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
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
        TargetLookup {
            by_code,
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
        let k = code.packed();
        let start = self.by_code.partition_point(|e| e.0 < k);
        let end = self.by_code.partition_point(|e| e.0 <= k);
        &self.by_code[start..end]
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
    hard: PairMap<RoleSet>,
    soft: PairMap<[u32; 4]>,
    offsets: Vec<u32>,
    blocked: Vec<u32>,
}

impl ConflictIndex {
    /// Builds the index of `roster` against `targets` for a round on `date`
    /// under `engine`'s rules.
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
        let mut hard: PairMap<RoleSet> = PairMap::default();
        let mut soft: PairMap<[u32; 4]> = PairMap::default();
        let mut offsets = Vec::with_capacity(roster.len() + 1);
        let mut blocked = Vec::new();
        let mut hits = Vec::new();
        let mut person_blocked = Vec::new();
        let rules: Vec<_> = engine
            .rules()
            .rules()
            .iter()
            .map(|rule| (rule, engine.since(rule, date)))
            .collect();
        offsets.push(0);
        for (p, person) in roster.people().iter().enumerate() {
            let p = u32::try_from(p).unwrap_or(u32::MAX);
            person_blocked.clear();
            for &(rule, since) in &rules {
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
                                let blocked_roles = hard.entry(key(p, t)).or_default();
                                *blocked_roles = blocked_roles.union(rule.roles);
                                person_blocked.push(t);
                            }
                            Severity::Soft => {
                                let costs = soft.entry(key(p, t)).or_default();
                                for role in rule.roles.iter() {
                                    costs[role.index()] =
                                        costs[role.index()].saturating_add(rule.cost);
                                }
                            }
                        }
                    }
                });
            }
            person_blocked.sort_unstable();
            person_blocked.dedup();
            blocked.extend_from_slice(&person_blocked);
            offsets.push(u32::try_from(blocked.len()).unwrap_or(u32::MAX));
        }
        ConflictIndex {
            date,
            people: roster.len(),
            targets: targets.len(),
            hard,
            soft,
            offsets,
            blocked,
        }
    }

    /// Whether person `person` may serve on target `target` in `role`: no
    /// hard conflict. O(1).
    pub fn allowed(&self, person: usize, target: usize, role: Role) -> bool {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self
                .hard
                .get(&key(p, t))
                .is_none_or(|roles| !roles.contains(role)),
            _ => true,
        }
    }

    /// The roles for which `person` is hard-blocked from `target`.
    pub fn blocked_roles(&self, person: usize, target: usize) -> RoleSet {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self.hard.get(&key(p, t)).copied().unwrap_or_default(),
            _ => RoleSet::EMPTY,
        }
    }

    /// The summed cost of soft conflicts of `person` with `target` in
    /// `role`. O(1).
    pub fn soft_cost(&self, person: usize, target: usize, role: Role) -> u64 {
        match (u32::try_from(person), u32::try_from(target)) {
            (Ok(p), Ok(t)) => self
                .soft
                .get(&key(p, t))
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
        self.hard.len()
    }
}
