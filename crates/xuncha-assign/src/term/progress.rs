//! A term's progress and its check: what is done, what is left, and
//! whether a schedule still covers every target once.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::Code;

/// Progress of a term after `done` rounds, per group and per round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermProgress {
    /// Rounds done.
    pub done: usize,
    /// Per group, in code order.
    pub groups: Vec<GroupProgress>,
    /// Per round.
    pub rounds: Vec<RoundProgress>,
    /// Per level, in a term of several levels (四级联动), from the city
    /// down; empty when the targets record no level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelProgress>,
    /// Over the whole jurisdiction.
    pub total: GroupProgress,
}

/// Covered, scheduled and left targets of one level of a term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelProgress {
    /// The level.
    pub level: xuncha_org::Level,
    /// Inspected in rounds done.
    pub covered: usize,
    /// In rounds still to come.
    pub scheduled: usize,
    /// In no round.
    pub left: usize,
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
    let mut levels: BTreeMap<xuncha_org::Level, LevelProgress> = BTreeMap::new();
    let mut placed: HashSet<&str> = HashSet::new();
    for (i, round) in schedule.rounds.iter().enumerate() {
        for s in &round.targets {
            placed.insert(&s.target.id);
            let entry = groups.entry(s.target.group).or_default();
            let by_level = s
                .target
                .level
                .map(|l| levels.entry(l).or_insert_with(|| LevelProgress::of(l)));
            if i < done {
                entry.covered += 1;
                if let Some(l) = by_level {
                    l.covered += 1;
                }
            } else {
                entry.scheduled += 1;
                if let Some(l) = by_level {
                    l.scheduled += 1;
                }
            }
        }
    }
    for target in targets.iter().filter(|t| !placed.contains(t.id.as_str())) {
        groups.entry(target.group).or_default().left += 1;
        if let Some(l) = target.level {
            levels.entry(l).or_insert_with(|| LevelProgress::of(l)).left += 1;
        }
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
        levels: levels.into_values().collect(),
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

impl LevelProgress {
    /// Nothing yet at `level`.
    fn of(level: xuncha_org::Level) -> LevelProgress {
        LevelProgress {
            level,
            covered: 0,
            scheduled: 0,
            left: 0,
        }
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

pub(super) fn rotation_problems(
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
