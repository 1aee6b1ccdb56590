//! A whole roster against a whole target set: which pairs conflict, built
//! from the facts, not by testing every pair.

use std::collections::HashMap;

use chrono::NaiveDate;
use xuncha_org::fxhash::FxHashMap;
use xuncha_org::{Code, Level, UnitId};

use crate::fact::{Region, for_each_fact, inspects, region};
use crate::parts::in_parts;
use crate::ties::TieHits;
use crate::{Engine, Role, RoleSet, Roster, Severity, Target};

/// Where the targets are, for range queries by code.
struct TargetLookup<'e> {
    /// (packed code of a target's division, target position, whether the
    /// target is a unit), sorted by code.
    by_code: Vec<(u64, u32, bool)>,
    /// Each code of `by_code`: the run of its entries (start, end), so that
    /// the targets exactly at a code take one lookup, not two searches.
    runs: FxHashMap<u64, (u32, u32)>,
    /// For each unit, the unit targets that are it or lie below it.
    unit_family: HashMap<UnitId, Vec<u32>>,
    /// For each target, the units the round lists as inspected within it.
    inspected: Vec<Option<&'e [UnitId]>>,
    units: &'e xuncha_org::Units,
}

impl<'e> TargetLookup<'e> {
    fn new(engine: &'e Engine<'_>, targets: &[Target]) -> TargetLookup<'e> {
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
            inspected: targets.iter().map(|t| engine.inspected_units(t)).collect(),
            units,
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
                // The division targets the unit lies in, where the round
                // inspects it.
                let Some(unit) = self.units.get(id) else {
                    return;
                };
                let division = unit.division;
                for level in Level::ALL.iter().take(division.level().index() + 1) {
                    let Some(ancestor) = division.ancestor_at(*level) else {
                        continue;
                    };
                    hits.extend(
                        self.at(ancestor)
                            .iter()
                            .filter(|e| !e.2)
                            .filter(|e| {
                                let listed = self.inspected.get(e.1 as usize).copied().flatten();
                                inspects(listed, id, self.units)
                            })
                            .map(|e| e.1),
                    );
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
    runs: Runs,
}

/// Rosters shorter than this are indexed on the calling thread.
const PARALLEL_FROM: usize = 20_000;

/// People's conflicts as runs, one a person, in roster order: the whole
/// index, or one part of the roster as a thread indexed it.
#[derive(Clone, Debug, Default)]
struct Runs {
    /// Person `p`'s hard conflicts are `blocked[hard_ends[p]..hard_ends[p + 1]]`
    /// (ascending targets) with the roles at the same positions of `roles`
    /// (`hard_ends` starts with 0).
    hard_ends: Vec<u32>,
    blocked: Vec<u32>,
    roles: Vec<RoleSet>,
    /// Person `p`'s soft conflicts, likewise: targets and summed costs by
    /// role.
    soft_ends: Vec<u32>,
    soft_targets: Vec<u32>,
    soft_costs: Vec<[u32; 4]>,
}

impl Runs {
    /// No one yet.
    fn new(people: usize) -> Runs {
        let mut runs = Runs {
            hard_ends: Vec::with_capacity(people + 1),
            soft_ends: Vec::with_capacity(people + 1),
            ..Runs::default()
        };
        runs.hard_ends.push(0);
        runs.soft_ends.push(0);
        runs
    }

    /// Appends the people of `part` after these.
    fn extend(&mut self, part: &Runs) {
        let base = u32::try_from(self.blocked.len()).unwrap_or(u32::MAX);
        let soft_base = u32::try_from(self.soft_targets.len()).unwrap_or(u32::MAX);
        let hard_ends = part.hard_ends.iter().skip(1);
        self.hard_ends
            .extend(hard_ends.map(|end| base.saturating_add(*end)));
        let soft_ends = part.soft_ends.iter().skip(1);
        self.soft_ends
            .extend(soft_ends.map(|end| soft_base.saturating_add(*end)));
        self.blocked.extend_from_slice(&part.blocked);
        self.roles.extend_from_slice(&part.roles);
        self.soft_targets.extend_from_slice(&part.soft_targets);
        self.soft_costs.extend_from_slice(&part.soft_costs);
    }

    /// Where person `p`'s hard conflicts lie.
    fn hard_run(&self, p: usize) -> Option<std::ops::Range<usize>> {
        Some(*self.hard_ends.get(p)? as usize..*self.hard_ends.get(p + 1)? as usize)
    }

    /// Where person `p`'s soft conflicts lie.
    fn soft_run(&self, p: usize) -> Option<std::ops::Range<usize>> {
        Some(*self.soft_ends.get(p)? as usize..*self.soft_ends.get(p + 1)? as usize)
    }
}

impl ConflictIndex {
    /// Builds the index of `roster` against `targets` for a round on `date`
    /// under `engine`'s rules.
    ///
    /// A roster of 20,000 people or more is indexed in parts on up to four
    /// threads (as many as the machine offers); the result does not depend
    /// on how many.
    ///
    /// # Complexity
    ///
    /// O(F · (log T + h)) time for F facts over all people, T target
    /// divisions and h targets hit per fact; O(B) space for B conflicting
    /// pairs. A lookup is a binary search among one person's conflicts.
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
        let ties = TieHits::build(engine, roster, targets, date);
        let parts = in_parts(people, people.len() >= PARALLEL_FROM, |first, chunk| {
            let part = Part {
                people: chunk,
                first,
                ties: ties.as_ref(),
            };
            index_people(engine, &lookup, &rules, &part, date)
        });
        let mut runs = Runs::new(people.len());
        for part in &parts {
            runs.extend(part);
        }
        ConflictIndex {
            date,
            people: people.len(),
            targets: targets.len(),
            runs,
        }
    }

    /// The roles person `p` is hard-blocked from on target `t`.
    fn hard_roles(&self, p: usize, t: u32) -> RoleSet {
        let runs = &self.runs;
        runs.hard_run(p)
            .and_then(|run| {
                let start = run.start;
                let i = runs.blocked.get(run)?.binary_search(&t).ok()?;
                runs.roles.get(start + i).copied()
            })
            .unwrap_or_default()
    }

    /// Whether person `person` may serve on target `target` in `role`: no
    /// hard conflict. O(1).
    pub fn allowed(&self, person: usize, target: usize, role: Role) -> bool {
        !self.blocked_roles(person, target).contains(role)
    }

    /// The roles for which `person` is hard-blocked from `target`.
    pub fn blocked_roles(&self, person: usize, target: usize) -> RoleSet {
        match u32::try_from(target) {
            Ok(t) => self.hard_roles(person, t),
            Err(_) => RoleSet::EMPTY,
        }
    }

    /// The summed cost of soft conflicts of `person` with `target` in
    /// `role`. O(1).
    pub fn soft_cost(&self, person: usize, target: usize, role: Role) -> u64 {
        let runs = &self.runs;
        let (Ok(t), Some(run)) = (u32::try_from(target), runs.soft_run(person)) else {
            return 0;
        };
        let start = run.start;
        runs.soft_targets
            .get(run)
            .and_then(|targets| targets.binary_search(&t).ok())
            .and_then(|i| runs.soft_costs.get(start + i))
            .map_or(0, |costs| u64::from(costs[role.index()]))
    }

    /// The targets `person` has a hard conflict with in at least one role,
    /// ascending.
    pub fn blocked(&self, person: usize) -> &[u32] {
        self.runs
            .hard_run(person)
            .and_then(|run| self.runs.blocked.get(run))
            .unwrap_or_default()
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
        self.runs.blocked.len()
    }
}

/// One part of the roster, as a thread indexes it.
struct Part<'a> {
    people: &'a [crate::Person],
    /// The roster position of `people[0]`.
    first: usize,
    /// The tie rules' hits for the whole roster, if the engine has any.
    ties: Option<&'a TieHits>,
}

/// Indexes one part of the roster.
fn index_people(
    engine: &Engine<'_>,
    lookup: &TargetLookup,
    rules: &[(&crate::Rule, Option<NaiveDate>)],
    people: &Part<'_>,
    date: NaiveDate,
) -> Runs {
    let mut part = Runs::new(people.people.len());
    let mut hits = Vec::new();
    // One person's conflicts as found, then sorted and merged by target.
    let mut hard: Vec<(u32, RoleSet)> = Vec::new();
    let mut soft: Vec<(u32, [u32; 4])> = Vec::new();
    for (offset, person) in people.people.iter().enumerate() {
        hard.clear();
        soft.clear();
        let tie_hits = people
            .ties
            .map(|t| t.of(people.first + offset))
            .unwrap_or_default();
        for &(t, r) in tie_hits {
            let Some(&(rule, _)) = rules.get(usize::from(r)) else {
                continue;
            };
            push_hit(rule, t, &mut hard, &mut soft);
        }
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
                    push_hit(rule, t, &mut hard, &mut soft);
                }
            });
        }
        hard.sort_unstable_by_key(|&(t, _)| t);
        for &(t, roles) in &hard {
            match (part.blocked.last(), part.roles.last_mut()) {
                (Some(&last), Some(merged))
                    if last == t && part.blocked.len() > end_of(&part.hard_ends) =>
                {
                    *merged = merged.union(roles);
                }
                _ => {
                    part.blocked.push(t);
                    part.roles.push(roles);
                }
            }
        }
        part.hard_ends
            .push(u32::try_from(part.blocked.len()).unwrap_or(u32::MAX));
        soft.sort_unstable_by_key(|&(t, _)| t);
        for &(t, costs) in &soft {
            match (part.soft_targets.last(), part.soft_costs.last_mut()) {
                (Some(&last), Some(summed))
                    if last == t && part.soft_targets.len() > end_of(&part.soft_ends) =>
                {
                    for (sum, cost) in summed.iter_mut().zip(costs) {
                        *sum = sum.saturating_add(cost);
                    }
                }
                _ => {
                    part.soft_targets.push(t);
                    part.soft_costs.push(costs);
                }
            }
        }
        part.soft_ends
            .push(u32::try_from(part.soft_targets.len()).unwrap_or(u32::MAX));
    }
    part
}

/// Records that `rule` meets target `t`.
fn push_hit(
    rule: &crate::Rule,
    t: u32,
    hard: &mut Vec<(u32, RoleSet)>,
    soft: &mut Vec<(u32, [u32; 4])>,
) {
    match rule.severity {
        Severity::Hard => hard.push((t, rule.roles)),
        Severity::Soft => {
            let mut costs = [0u32; 4];
            for role in rule.roles.iter() {
                costs[role.index()] = rule.cost;
            }
            soft.push((t, costs));
        }
    }
}

/// Where the current person's run starts: the end of the last one.
fn end_of(ends: &[u32]) -> usize {
    ends.last().map_or(0, |&end| end as usize)
}
