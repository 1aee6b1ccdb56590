//! Term coverage planning (巡察全覆盖): every target of a jurisdiction
//! inspected exactly once in a term, rounds and teams balanced, each round's
//! cross rotation valid.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use xuncha_avoid::Target;
use xuncha_org::{Code, Hierarchy, Level, Units};

use crate::cluster::{cluster_villages, counties, division};
use crate::{Error, plan_rotation};

/// The format version of a term schedule.
pub const TERM_VERSION: u32 = 1;

/// What a term covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermLevel {
    /// Every village, in clusters (片区) of at most this many villages.
    Village {
        /// The largest cluster.
        cluster_size: usize,
    },
    /// Every township.
    Township,
    /// Every unit located in the jurisdiction.
    Unit,
}

/// One target of a term: a cluster, a township or a unit, and the division
/// whose people it is crossed with (its county under a city's plan, its
/// township under a county's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermTarget {
    /// The target's id: a cluster id, a township code or a unit id.
    pub id: String,
    /// The division it is crossed with.
    pub group: Code,
    /// What is inspected.
    pub target: Target,
}

/// The level at which a jurisdiction's rounds cross: counties under a city
/// or province, townships under a county.
fn crossing_level(jurisdiction: Level) -> Level {
    if jurisdiction >= Level::County {
        Level::Township
    } else {
        Level::County
    }
}

/// Every target of `jurisdiction` at `level`, in code order.
///
/// ```
/// use xuncha_assign::{TermLevel, term_targets};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let townships = term_targets(&fujian, &Units::default(), Code::parse("3504")?, TermLevel::Township)?;
/// assert!(townships.len() > 100); // 三明市
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn term_targets(
    hierarchy: &Hierarchy,
    units: &Units,
    jurisdiction: Code,
    level: TermLevel,
) -> Result<Vec<TermTarget>, Error> {
    let root = division(hierarchy, jurisdiction)?;
    let crossing = crossing_level(root.level());
    let group_of = |code: Code| code.ancestor_at(crossing).unwrap_or(code);
    Ok(match level {
        TermLevel::Village { cluster_size } => {
            cluster_villages(hierarchy, jurisdiction, cluster_size)?
                .into_iter()
                .map(|c| TermTarget {
                    group: c.villages.first().map_or(c.county, |v| group_of(*v)),
                    id: c.id,
                    target: Target::Cluster(c.villages),
                })
                .collect()
        }
        TermLevel::Township => counties(root)
            .into_iter()
            .flat_map(|county| county.children().filter(|d| !d.is_grouping()))
            .filter(|t| root.level() != Level::Township || t.code() == jurisdiction)
            .map(|t| TermTarget {
                id: t.code().to_string(),
                group: group_of(t.code()),
                target: Target::Division(t.code()),
            })
            .collect(),
        TermLevel::Unit => units
            .units_in(jurisdiction)
            .iter()
            .map(|u| TermTarget {
                id: u.id.to_string(),
                group: group_of(u.division),
                target: Target::Unit(u.id.clone()),
            })
            .collect(),
    })
}

/// The term and its constraints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSpec {
    /// The term's first day.
    pub start: NaiveDate,
    /// The term's last day.
    pub end: NaiveDate,
    /// Rounds a year (1 to 12).
    pub rounds_per_year: u32,
    /// Teams in every round.
    pub teams: usize,
    /// Targets one team takes in one round.
    pub capacity: usize,
    /// Targets that must come early: within the first `early_rounds`
    /// rounds.
    #[serde(default)]
    pub early: Vec<String>,
    /// How many rounds count as early; a year's worth when 0.
    #[serde(default)]
    pub early_rounds: usize,
    /// Pairs of targets that may not share a round.
    #[serde(default)]
    pub apart: Vec<(String, String)>,
    /// The seed of the rotations.
    #[serde(default)]
    pub seed: u64,
}

impl TermSpec {
    /// A spec with no constraints.
    pub fn new(
        start: NaiveDate,
        end: NaiveDate,
        rounds_per_year: u32,
        teams: usize,
        capacity: usize,
    ) -> TermSpec {
        TermSpec {
            start,
            end,
            rounds_per_year,
            teams,
            capacity,
            early: Vec::new(),
            early_rounds: 0,
            apart: Vec::new(),
            seed: 0,
        }
    }

    /// The start of every round: `rounds_per_year` a year, evenly spaced by
    /// months, from `start` while before `end`.
    pub fn round_starts(&self) -> Result<Vec<NaiveDate>, Error> {
        if !(1..=12).contains(&self.rounds_per_year) {
            return Err(Error::Term {
                message: format!(
                    "rounds per year must be 1 to 12, not {}",
                    self.rounds_per_year
                ),
            });
        }
        if self.end < self.start {
            return Err(Error::Term {
                message: format!(
                    "the term ends ({}) before it starts ({})",
                    self.end, self.start
                ),
            });
        }
        let step = 12 / self.rounds_per_year;
        let mut starts = Vec::new();
        for i in 0.. {
            let Some(date) = self.start.checked_add_months(Months::new(step * i)) else {
                break;
            };
            if date > self.end {
                break;
            }
            starts.push(date);
        }
        Ok(starts)
    }
}

/// A target in a round, with its team (numbered from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled {
    /// The target.
    pub target: TermTarget,
    /// The team, from 1.
    pub team: usize,
}

/// One round of a term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRound {
    /// The round's number, from 1.
    pub number: usize,
    /// The day it starts.
    pub start: NaiveDate,
    /// Its targets, by group then id.
    pub targets: Vec<Scheduled>,
    /// Who inspects whom: (inspecting group, inspected group), a single
    /// cycle over the round's groups; empty when they are fewer than
    /// three (no valid cycle exists).
    pub rotation: Vec<(Code, Code)>,
}

/// A term's schedule (JSON, version 1; `docs/formats.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermSchedule {
    /// [`TERM_VERSION`].
    pub version: u32,
    /// The spec it was planned under.
    pub spec: TermSpec,
    /// The rounds, in order.
    pub rounds: Vec<TermRound>,
}

impl TermSchedule {
    /// Reads a term schedule from JSON (version 1).
    ///
    /// # Errors
    ///
    /// [`Error::Term`] with the parser's line and column, or for another
    /// version.
    pub fn from_json(text: &str) -> Result<TermSchedule, Error> {
        let schedule: TermSchedule = serde_json::from_str(text).map_err(|e| Error::Term {
            message: format!("not a term schedule: {e}"),
        })?;
        if schedule.version != TERM_VERSION {
            return Err(Error::Term {
                message: format!(
                    "term schedule version {} is not supported",
                    schedule.version
                ),
            });
        }
        Ok(schedule)
    }

    /// Reads the term schedule JSON at `path` within `limits`.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] for a file that cannot be read or is above the
    /// limits; [`Error::Term`] naming the file, as [`TermSchedule::from_json`].
    pub fn from_json_path(
        path: &std::path::Path,
        limits: &xuncha_org::Limits,
    ) -> Result<TermSchedule, Error> {
        let text = limits.read_to_string(path)?;
        TermSchedule::from_json(&text).map_err(|e| match e {
            Error::Term { message } => Error::Term {
                message: format!("{}: {message}", path.display()),
            },
            other => other,
        })
    }
}

/// Schedules every target in exactly one round.
///
/// Rounds get `floor(n / rounds)` or one more targets; within a round,
/// targets go to teams in turn, so no team has more than `capacity`.
/// Early targets are placed first, in the early rounds; the rest are
/// interleaved group by group (so every round mixes groups), each in the
/// first round with room that holds nothing it must be kept apart from.
/// Each round's rotation is drawn with [`plan_rotation`] over its groups,
/// avoiding the previous round's pairings where possible.
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_assign::{TermLevel, TermSpec, plan_term, term_targets};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let targets = term_targets(&fujian, &Units::default(), Code::parse("3508")?, TermLevel::Township)?;
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let spec = TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), 2, 7, 3);
/// let schedule = plan_term(&targets, &spec)?;
/// assert_eq!(schedule.rounds.len(), 10);
/// assert_eq!(schedule.rounds.iter().map(|r| r.targets.len()).sum::<usize>(), targets.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_term(targets: &[TermTarget], spec: &TermSpec) -> Result<TermSchedule, Error> {
    let starts = spec.round_starts()?;
    let mut rounds: Vec<TermRound> = starts
        .iter()
        .zip(1..)
        .map(|(start, number)| TermRound {
            number,
            start: *start,
            targets: Vec::new(),
            rotation: Vec::new(),
        })
        .collect();
    let mut seen = HashSet::new();
    for target in targets {
        if !seen.insert(target.id.as_str()) {
            return Err(Error::Term {
                message: format!("target {} is listed twice", target.id),
            });
        }
    }
    place(&mut rounds, 0, targets.to_vec(), spec)?;
    finish(&mut rounds, spec);
    Ok(TermSchedule {
        version: TERM_VERSION,
        spec: spec.clone(),
        rounds,
    })
}

/// Places `targets` into `rounds[from..]`, balanced with what is there.
fn place(
    rounds: &mut [TermRound],
    from: usize,
    targets: Vec<TermTarget>,
    spec: &TermSpec,
) -> Result<(), Error> {
    let open = rounds.len().saturating_sub(from);
    let per_round = spec.teams.saturating_mul(spec.capacity);
    let existing: usize = rounds[from..].iter().map(|r| r.targets.len()).sum();
    let total = existing + targets.len();
    let needed = total.div_ceil(spec.capacity.max(1));
    let available = open * spec.teams;
    if spec.capacity == 0 || spec.teams == 0 || needed > available {
        return Err(Error::TermCapacity {
            targets: total,
            capacity: spec.capacity,
            rounds: open,
            teams: spec.teams,
            needed,
            available,
            more: needed
                .saturating_sub(available)
                .max(usize::from(spec.capacity == 0 || spec.teams == 0)),
        });
    }
    // Balanced quotas over the open rounds, never below what a round holds.
    let quota = |i: usize| (total / open + usize::from(i < total % open)).min(per_round);
    let ids: HashSet<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let mut apart: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, b) in &spec.apart {
        apart.entry(a).or_default().push(b);
        apart.entry(b).or_default().push(a);
    }
    let early: HashSet<&str> = spec.early.iter().map(String::as_str).collect();
    for id in &spec.early {
        if !ids.contains(id.as_str())
            && !rounds
                .iter()
                .any(|r| r.targets.iter().any(|s| s.target.id == *id))
        {
            return Err(Error::Term {
                message: format!("early target {id} is not a target of the term"),
            });
        }
    }
    let early_rounds = if spec.early_rounds == 0 {
        spec.rounds_per_year as usize
    } else {
        spec.early_rounds
    };
    let mut where_is: HashMap<String, usize> = HashMap::new();
    for (i, round) in rounds.iter().enumerate() {
        for s in &round.targets {
            where_is.insert(s.target.id.clone(), i);
        }
    }
    for target in order(targets, &early) {
        let is_early = early.contains(target.id.as_str());
        let last = if is_early {
            early_rounds.min(rounds.len())
        } else {
            rounds.len()
        };
        let clashes = |i: usize| {
            apart
                .get(target.id.as_str())
                .is_some_and(|others| others.iter().any(|o| where_is.get(*o) == Some(&i)))
        };
        let fits = |i: usize, limit: usize| rounds[i].targets.len() < limit && !clashes(i);
        let chosen = (from..last)
            .find(|&i| fits(i, quota(i - from)))
            .or_else(|| (from..last).find(|&i| fits(i, per_round)));
        let Some(i) = chosen else {
            let why = if is_early {
                format!(
                    "early target {} fits in none of the first {early_rounds} rounds",
                    target.id
                )
            } else {
                format!(
                    "target {} cannot be kept apart from the targets it must avoid in any round with room",
                    target.id
                )
            };
            return Err(Error::Term { message: why });
        };
        where_is.insert(target.id.clone(), i);
        rounds[i].targets.push(Scheduled { target, team: 0 });
    }
    Ok(())
}

/// Early targets first, then the rest spread evenly: the k-th of a group's
/// n targets sits at position (k + ½) / n of the sequence, so each group is
/// spread over the whole term and every stretch of it (a round) mixes the
/// groups in proportion.
fn order(targets: Vec<TermTarget>, early: &HashSet<&str>) -> Vec<TermTarget> {
    let (first, rest): (Vec<_>, Vec<_>) = targets
        .into_iter()
        .partition(|t| early.contains(t.id.as_str()));
    let mut groups: BTreeMap<Code, Vec<TermTarget>> = BTreeMap::new();
    for target in rest {
        groups.entry(target.group).or_default().push(target);
    }
    // (k, n, target): position (2k + 1) / 2n, compared exactly.
    let mut keyed: Vec<(u128, u128, TermTarget)> = Vec::new();
    for members in groups.into_values() {
        let n = members.len() as u128;
        keyed.extend(members.into_iter().zip(0u128..).map(|(t, k)| (k, n, t)));
    }
    keyed.sort_by(|(ka, na, a), (kb, nb, b)| {
        ((2 * ka + 1) * nb)
            .cmp(&((2 * kb + 1) * na))
            .then_with(|| a.group.cmp(&b.group))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut out = first;
    out.extend(keyed.into_iter().map(|(_, _, t)| t));
    out
}

/// Sorts each round, numbers its teams and draws its rotation.
fn finish(rounds: &mut [TermRound], spec: &TermSpec) {
    let mut previous: Vec<(Code, Code)> = Vec::new();
    for round in rounds.iter_mut() {
        round
            .targets
            .sort_by(|a, b| (a.target.group, &a.target.id).cmp(&(b.target.group, &b.target.id)));
        for (i, scheduled) in round.targets.iter_mut().enumerate() {
            scheduled.team = i % spec.teams.max(1) + 1;
        }
        let groups: Vec<Code> = round
            .targets
            .iter()
            .map(|s| s.target.group)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let seed = spec.seed ^ (round.number as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        round.rotation = if groups.len() < 3 {
            Vec::new()
        } else {
            plan_rotation(&groups, &previous, seed)
                .or_else(|_| plan_rotation(&groups, &[], seed))
                .map(|r| r.pairs().to_vec())
                .unwrap_or_default()
        };
        if !round.rotation.is_empty() {
            previous.clone_from(&round.rotation);
        }
    }
}

/// What changed in the middle of a term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermChange {
    /// New targets (units set up, villages created).
    #[serde(default)]
    pub added: Vec<TermTarget>,
    /// Targets abolished, by id.
    #[serde(default)]
    pub abolished: Vec<String>,
}

/// Updates the rounds after the first `done` without moving anything
/// already inspected: abolished targets leave the remaining rounds, codes
/// changed since the term began (through the hierarchy's code history, as
/// at each round's start) are brought up to date, and added targets go
/// into the remaining rounds with the most room. Errors when the remaining
/// rounds cannot take them.
pub fn replan_term(
    schedule: &TermSchedule,
    done: usize,
    change: &TermChange,
    hierarchy: &Hierarchy,
) -> Result<TermSchedule, Error> {
    let mut next = schedule.clone();
    let done = done.min(next.rounds.len());
    let abolished: HashSet<&str> = change.abolished.iter().map(String::as_str).collect();
    for round in &mut next.rounds[done..] {
        round
            .targets
            .retain(|s| !abolished.contains(s.target.id.as_str()));
        for scheduled in &mut round.targets {
            recode(&mut scheduled.target, hierarchy, round.start);
        }
    }
    let known: HashSet<&str> = next
        .rounds
        .iter()
        .flat_map(|r| r.targets.iter().map(|s| s.target.id.as_str()))
        .collect();
    if let Some(dup) = change.added.iter().find(|t| known.contains(t.id.as_str())) {
        return Err(Error::Term {
            message: format!("added target {} is already in the schedule", dup.id),
        });
    }
    let mut spec = next.spec.clone();
    // Early constraints applied when the term was planned; what is added
    // now goes wherever there is room.
    spec.early.clear();
    place(&mut next.rounds, done, change.added.clone(), &spec)?;
    finish(&mut next.rounds[done..], &spec);
    Ok(next)
}

/// Brings a target's division codes up to date as at `date`.
fn recode(target: &mut TermTarget, hierarchy: &Hierarchy, date: NaiveDate) {
    let current = |code: Code| {
        hierarchy
            .resolve(code, date)
            .map_or(code, |r| r.division.code())
    };
    match &mut target.target {
        Target::Division(code) => *code = current(*code),
        Target::Cluster(codes) => codes.iter_mut().for_each(|c| *c = current(*c)),
        Target::Unit(_) => {}
    }
    target.group = current(target.group);
}

/// Progress of a term after `done` rounds, per group and per round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermProgress {
    /// Rounds done.
    pub done: usize,
    /// Per group, in code order.
    pub groups: Vec<GroupProgress>,
    /// Per round.
    pub rounds: Vec<RoundProgress>,
    /// Over the whole jurisdiction.
    pub total: GroupProgress,
}

/// Covered, scheduled and left targets of one group (or of all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupProgress {
    /// The group; `None` for the total.
    pub group: Option<Code>,
    /// Inspected in rounds done.
    pub covered: usize,
    /// In rounds still to come.
    pub scheduled: usize,
    /// In no round.
    pub left: usize,
}

/// One round's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundProgress {
    /// The round's number.
    pub number: usize,
    /// Its start.
    pub start: NaiveDate,
    /// Its targets.
    pub targets: usize,
    /// Whether it is done.
    pub done: bool,
}

/// The progress of `schedule` after `done` rounds, against the current
/// `targets` of the jurisdiction (targets in no round are "left").
pub fn term_progress(schedule: &TermSchedule, targets: &[TermTarget], done: usize) -> TermProgress {
    let mut groups: BTreeMap<Code, GroupProgress> = BTreeMap::new();
    let mut placed: HashSet<&str> = HashSet::new();
    for (i, round) in schedule.rounds.iter().enumerate() {
        for s in &round.targets {
            placed.insert(&s.target.id);
            let entry = groups.entry(s.target.group).or_default();
            if i < done {
                entry.covered += 1;
            } else {
                entry.scheduled += 1;
            }
        }
    }
    for target in targets.iter().filter(|t| !placed.contains(t.id.as_str())) {
        groups.entry(target.group).or_default().left += 1;
    }
    let mut total = GroupProgress::default();
    let groups = groups
        .into_iter()
        .map(|(code, mut g)| {
            total.covered += g.covered;
            total.scheduled += g.scheduled;
            total.left += g.left;
            g.group = Some(code);
            g
        })
        .collect();
    TermProgress {
        done,
        groups,
        rounds: schedule
            .rounds
            .iter()
            .enumerate()
            .map(|(i, r)| RoundProgress {
                number: r.number,
                start: r.start,
                targets: r.targets.len(),
                done: i < done,
            })
            .collect(),
        total,
    }
}

/// Every way `schedule` fails to cover `targets` properly: a target in no
/// round or in two, a team over capacity, a rotation that is not a single
/// cycle over the round's groups with no county inspecting itself or
/// trading with another, a pair kept apart sharing a round, an early target
/// late. Empty when the schedule is sound. Independent of the planner.
pub fn check_term(schedule: &TermSchedule, targets: &[TermTarget]) -> Vec<String> {
    let spec = &schedule.spec;
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, round) in schedule.rounds.iter().enumerate() {
        let mut loads: HashMap<usize, usize> = HashMap::new();
        for s in &round.targets {
            if let Some(other) = seen.insert(&s.target.id, i) {
                problems.push(format!(
                    "{} is in rounds {} and {}",
                    s.target.id,
                    other + 1,
                    i + 1
                ));
            }
            *loads.entry(s.team).or_default() += 1;
            if s.team == 0 || s.team > spec.teams {
                problems.push(format!(
                    "round {}: {} has team {}, not 1 to {}",
                    i + 1,
                    s.target.id,
                    s.team,
                    spec.teams
                ));
            }
        }
        for (team, load) in loads {
            if load > spec.capacity {
                problems.push(format!(
                    "round {}: team {team} has {load} targets, over its capacity {}",
                    i + 1,
                    spec.capacity
                ));
            }
        }
        let groups: BTreeSet<Code> = round.targets.iter().map(|s| s.target.group).collect();
        problems.extend(rotation_problems(i + 1, &groups, &round.rotation));
    }
    for target in targets {
        if !seen.contains_key(target.id.as_str()) {
            problems.push(format!("{} is in no round", target.id));
        }
    }
    for (a, b) in &spec.apart {
        if let (Some(x), Some(y)) = (seen.get(a.as_str()), seen.get(b.as_str()))
            && x == y
        {
            problems.push(format!("{a} and {b} share round {}", x + 1));
        }
    }
    let early_rounds = if spec.early_rounds == 0 {
        spec.rounds_per_year as usize
    } else {
        spec.early_rounds
    };
    for id in &spec.early {
        if let Some(&i) = seen.get(id.as_str())
            && i >= early_rounds
        {
            problems.push(format!(
                "early target {id} is in round {}, after the first {early_rounds}",
                i + 1
            ));
        }
    }
    problems
}

fn rotation_problems(
    round: usize,
    groups: &BTreeSet<Code>,
    rotation: &[(Code, Code)],
) -> Vec<String> {
    let mut problems = Vec::new();
    if groups.len() < 3 {
        if !rotation.is_empty() {
            problems.push(format!(
                "round {round}: a rotation over fewer than three groups"
            ));
        }
        return problems;
    }
    let next: HashMap<Code, Code> = rotation.iter().copied().collect();
    let inspecting: BTreeSet<Code> = rotation.iter().map(|p| p.0).collect();
    let inspected: BTreeSet<Code> = rotation.iter().map(|p| p.1).collect();
    if inspecting != *groups || inspected != *groups || rotation.len() != groups.len() {
        problems.push(format!(
            "round {round}: the rotation does not cover its groups once each"
        ));
        return problems;
    }
    for (a, b) in rotation {
        if a == b {
            problems.push(format!("round {round}: {a} inspects itself"));
        }
        if next.get(b) == Some(a) {
            problems.push(format!("round {round}: {a} and {b} inspect each other"));
        }
    }
    // A single cycle: following it from any group visits every group.
    if let Some(&first) = groups.iter().next() {
        let mut at = first;
        let mut steps = 0;
        loop {
            at = next.get(&at).copied().unwrap_or(first);
            steps += 1;
            if at == first || steps > groups.len() {
                break;
            }
        }
        if steps != groups.len() {
            problems.push(format!("round {round}: the rotation is not a single cycle"));
        }
    }
    problems
}
