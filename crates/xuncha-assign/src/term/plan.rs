//! Planning a term: every target placed in exactly one round, teams
//! balanced, each round's rotation valid; and replanning after changes.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_avoid::Target;
use xuncha_org::{Code, Hierarchy};

use crate::{Error, plan_rotation};

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
pub(super) fn place(
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
pub(super) fn order(targets: Vec<TermTarget>, early: &HashSet<&str>) -> Vec<TermTarget> {
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
pub(super) fn finish(rounds: &mut [TermRound], spec: &TermSpec) {
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
pub(super) fn recode(target: &mut TermTarget, hierarchy: &Hierarchy, date: NaiveDate) {
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
