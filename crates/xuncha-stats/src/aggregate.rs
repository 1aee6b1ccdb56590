//! Aggregation: one pass over the records, counting each metric into the
//! group its record belongs to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use xuncha_leads::{Change, FxHashMap, LeadFacts, Obstruction, Outcome, PetitionChannel};
use xuncha_org::fxhash::FxHashSet;

/// A `HashSet` with the ledger's fast hasher.
use xuncha_org::{Code, Level};

use crate::group::Tags;
use crate::interval::{Interval, clopper_pearson, wilson};
use crate::lead_index::LeadIndex;
use crate::rounds::county_of;
use crate::{By, Counts, DateRange, Records};

/// The confidence level of every interval in the reports.
pub const LEVEL: f64 = 0.95;

/// What a group was exposed to: the denominators of rates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    /// Teams at work in the range (from the plans, else implied by the
    /// records: one per round and county).
    pub teams: u64,
    /// Distinct targets (units or divisions) those teams inspected.
    pub units_inspected: u64,
    /// Inspection days: teams × on-site days per team.
    pub team_days: u64,
}

/// Coverage (全覆盖): the share of a jurisdiction's divisions inspected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Distinct division targets inspected.
    pub inspected: u64,
    /// The divisions that could have been: at the targets' level, within
    /// the cities the group's targets lie in.
    pub eligible: u64,
    /// `inspected / eligible`; `None` when nothing was eligible.
    pub share: Option<f64>,
}

/// The statistics of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// The group's label: a code, a round, a team, a mode, `all` or
    /// `unknown`.
    pub key: String,
    /// The counts.
    pub counts: Counts,
    /// The exposure.
    pub exposure: Exposure,
    /// Items closed over items (整改完成率); `None` without items.
    pub completion_rate: Option<f64>,
    /// Its Wilson interval.
    pub completion_wilson: Option<Interval>,
    /// Its Clopper–Pearson interval.
    pub completion_clopper_pearson: Option<Interval>,
    /// Coverage; `None` without a hierarchy.
    pub coverage: Option<Coverage>,
}

/// The statistics of every group, and of all of them together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The grouping.
    pub by: By,
    /// The date range.
    pub range: DateRange,
    /// The groups, in label order.
    pub groups: Vec<GroupStats>,
    /// Everything together (its counts are the groups' sums).
    pub total: GroupStats,
}

impl Table {
    /// The group with this label.
    pub fn group(&self, key: &str) -> Option<&GroupStats> {
        self.groups.iter().find(|g| g.key == key)
    }
}

/// One team at work, for exposures and coverage.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TeamAtWork {
    team: String,
    target: String,
    division: Option<Code>,
}

/// The groups met so far; a visit batch is keyed by (county, whether it
/// is a batch id, the batch id or the lone visit's id).
#[derive(Default)]
struct Groups<'a> {
    index: BTreeMap<String, usize>,
    counts: Vec<Counts>,
    batches: Vec<FxHashSet<(Code, bool, &'a str)>>,
    teams: Vec<BTreeSet<TeamAtWork>>,
}

impl Groups<'_> {
    fn slot(&mut self, label: String) -> usize {
        let next = self.counts.len();
        let at = *self.index.entry(label).or_insert(next);
        if at == next {
            self.counts.push(Counts::default());
            self.batches.push(FxHashSet::default());
            self.teams.push(BTreeSet::new());
        }
        at
    }
}

struct ListSlot {
    group: usize,
    in_range: bool,
    closed: Vec<bool>,
}

/// Aggregates `records` by `by` over `range`.
///
/// Every metric follows its definition in `docs/metrics.md` (and
/// [`crate::Metric::definition`]): ledger metrics are dated by their
/// event's time (UTC day), petitions by their date; rectification items by
/// the day their list was issued, closed as at the range's last day.
///
/// # Complexity
///
/// One pass over the events and one over the petitions, with a hash lookup
/// per event: O(events + petitions) time, O(leads + lists + groups) space.
///
/// # Examples
///
/// ```
/// use xuncha_stats::{aggregate, By, DateRange, Records};
/// let table = aggregate(&Records::new(&[]), By::County, &DateRange::all());
/// assert_eq!(table.total.counts.petitions(), 0);
/// ```
#[expect(clippy::too_many_lines, reason = "one pass, one arm per kind of event")]
pub fn aggregate<'a>(records: &Records<'a>, by: By, range: &DateRange) -> Table {
    let mut groups = Groups::default();
    let mut lists: FxHashMap<&str, ListSlot> = FxHashMap::default();
    let mut obstructions: FxHashMap<&str, &Obstruction> = FxHashMap::default();
    // Rounds whose records imply teams (when no plan lists them).
    let mut implied: FxHashSet<(&str, Code)> = FxHashSet::default();
    let planned = |round: &str| {
        records
            .rounds
            .and_then(|r| r.rounds.get(round))
            .is_some_and(|r| !r.teams.is_empty())
    };
    let mut label_cache: FxHashMap<(Option<Code>, &str), usize> = FxHashMap::default();
    let mut lead_slot = |groups: &mut Groups<'_>, lead: &'a LeadFacts| {
        let county = county_of(lead.target);
        match label_cache.get(&(county, lead.round.as_str())) {
            Some(slot) if by != By::Team => *slot,
            _ => {
                let tags = Tags {
                    county,
                    round: Some(&lead.round),
                    team: Some(&lead.team),
                    mode: records.mode(&lead.round),
                    theme: records.theme(&lead.round),
                };
                let slot = groups.slot(by.label(&tags));
                label_cache.insert((county, lead.round.as_str()), slot);
                slot
            }
        }
    };
    let mut leads = LeadIndex::new(records, |lead| lead_slot(&mut groups, lead));
    for event in records.events {
        let day = event.time.date_naive();
        match &event.change {
            Change::LeadFound { lead } => {
                let county = county_of(lead.target);
                let number = match leads.find(event, &lead.id) {
                    Some(number) if leads.positional() => number,
                    _ => {
                        let slot = lead_slot(&mut groups, lead);
                        leads.register(&lead.id, slot)
                    }
                };
                let slot = leads.leads[number].0;
                if range.contains(day) {
                    groups.counts[slot].leads_found += 1;
                    if let Some(c) = county {
                        implied.insert((&lead.round, c));
                    }
                }
            }
            Change::Transferred { lead, .. } => {
                if let Some(n) = leads.find(event, lead)
                    && let Some((slot, done)) = leads.leads.get_mut(n)
                    && !*done
                {
                    *done = true;
                    if range.contains(day) {
                        groups.counts[*slot].leads_transferred += 1;
                    }
                }
            }
            Change::CaseFiled { lead, .. } => {
                if range.contains(day)
                    && let Some(n) = leads.find(event, lead)
                {
                    groups.counts[leads.leads[n].0].cases_filed += 1;
                }
            }
            Change::Concluded { lead, outcomes, .. } => {
                if range.contains(day)
                    && let Some(n) = leads.find(event, lead)
                {
                    let counts = &mut groups.counts[leads.leads[n].0];
                    for outcome in outcomes {
                        match outcome {
                            Outcome::Sanction { sanction, .. } => {
                                counts.sanctions += 1;
                                *counts.sanctions_by_kind.entry(*sanction).or_default() += 1;
                            }
                            Outcome::JudicialReferral { .. } => counts.judicial_referrals += 1,
                            Outcome::FundsRecovered { yuan, .. } => {
                                counts.funds_recovered_yuan =
                                    counts.funds_recovered_yuan.saturating_add(*yuan);
                            }
                            Outcome::NoAction { .. } => {}
                        }
                    }
                }
            }
            Change::FindingsIssued { list } => {
                let county = Code::parse(&list.unit).ok().and_then(county_of);
                let team = format!("{}/{}", list.round, list.unit);
                let tags = Tags {
                    county,
                    round: Some(&list.round),
                    team: Some(&team),
                    mode: records.mode(&list.round),
                    theme: records.theme(&list.round),
                };
                let group = groups.slot(by.label(&tags));
                let in_range = range.contains(day);
                if in_range {
                    groups.counts[group].items += list.items.len() as u64;
                    if let Some(c) = county {
                        implied.insert((&list.round, c));
                    }
                }
                lists.insert(
                    &list.id,
                    ListSlot {
                        group,
                        in_range,
                        closed: vec![false; list.items.len()],
                    },
                );
            }
            Change::ItemClosed { list, item, .. } => {
                if range.not_after_end(day)
                    && let Some(slot) = lists.get_mut(list.as_str())
                    && let Some(closed) = item
                        .checked_sub(1)
                        .and_then(|i| slot.closed.get_mut(i as usize))
                {
                    *closed = true;
                }
            }
            Change::LookedBack { list, reopened, .. } => {
                if let Some(slot) = lists.get_mut(list.as_str()) {
                    if range.not_after_end(day) {
                        for r in reopened {
                            if let Some(closed) = r
                                .item
                                .checked_sub(1)
                                .and_then(|i| slot.closed.get_mut(i as usize))
                            {
                                *closed = false;
                            }
                        }
                    }
                    if range.contains(day) {
                        groups.counts[slot.group].items_reopened += reopened.len() as u64;
                    }
                }
            }
            Change::RuleEstablished { list, .. } => {
                if range.contains(day)
                    && let Some(slot) = lists.get(list.as_str())
                {
                    groups.counts[slot.group].rules_established += 1;
                }
            }
            Change::ObstructionRecorded { obstruction } => {
                obstructions.insert(&obstruction.id, obstruction);
            }
            Change::CriticismIssued { notice } if range.contains(day) => {
                let team = notice
                    .obstructions
                    .iter()
                    .find_map(|o| obstructions.get(o.as_str()))
                    .map(|o| o.team.as_str());
                let round = team.and_then(|t| t.split_once('/')).map(|(r, _)| r);
                let county = Code::parse(&notice.unit)
                    .ok()
                    .and_then(county_of)
                    .or_else(|| {
                        team.and_then(|t| t.split_once('/'))
                            .and_then(|(_, c)| Code::parse(c).ok())
                            .and_then(county_of)
                    });
                let tags = Tags {
                    county,
                    round,
                    team,
                    mode: round.and_then(|r| records.mode(r)),
                    theme: round.and_then(|r| records.theme(r)),
                };
                let slot = groups.slot(by.label(&tags));
                groups.counts[slot].criticism_notices += 1;
            }
            _ => {}
        }
    }
    for slot in lists.values().filter(|s| s.in_range) {
        groups.counts[slot.group].items_closed += slot.closed.iter().filter(|c| **c).count() as u64;
    }
    for p in records.petitions {
        if !range.contains(p.date) {
            continue;
        }
        let mode = p
            .mode
            .or_else(|| p.round.as_deref().and_then(|r| records.mode(r)));
        let tags = Tags {
            county: Some(p.county),
            round: p.round.as_deref(),
            team: None,
            mode,
            theme: p.round.as_deref().and_then(|r| records.theme(r)),
        };
        let slot = groups.slot(by.label(&tags));
        let counts = &mut groups.counts[slot];
        match p.channel {
            PetitionChannel::Letter => counts.letters += 1,
            PetitionChannel::Call => counts.calls += 1,
            PetitionChannel::Visit => {
                counts.visits += 1;
                counts.person_visits += u64::from(p.persons);
                let batch = match &p.batch {
                    Some(b) => (p.county, true, b.as_str()),
                    None => (p.county, false, p.id.as_str()),
                };
                if groups.batches[slot].insert(batch) {
                    groups.counts[slot].visit_batches += 1;
                }
            }
        }
        if let Some(round) = &p.round {
            implied.insert((round, p.county));
        }
    }
    // Teams at work: from the plans, else implied by the records.
    if let Some(rounds) = records.rounds {
        for (id, info) in &rounds.rounds {
            if info.date.is_some_and(|d| !range.contains(d)) {
                continue;
            }
            for t in &info.teams {
                let tags = Tags {
                    county: t.county(),
                    round: Some(id),
                    team: Some(&t.team),
                    mode: info.mode,
                    theme: info.theme.as_deref(),
                };
                let slot = groups.slot(by.label(&tags));
                groups.teams[slot].insert(TeamAtWork {
                    team: t.team.clone(),
                    target: t.target.clone(),
                    division: t.division,
                });
            }
        }
    }
    let implied: BTreeSet<(&str, Code)> =
        implied.into_iter().filter(|(r, _)| !planned(r)).collect();
    for (round, county) in implied {
        let team = format!("{round}/{county}");
        let tags = Tags {
            county: Some(county),
            round: Some(round),
            team: Some(&team),
            mode: records.mode(round),
            theme: records.theme(round),
        };
        let slot = groups.slot(by.label(&tags));
        groups.teams[slot].insert(TeamAtWork {
            team,
            target: county.to_string(),
            division: Some(county),
        });
    }
    finish(records, by, *range, &groups)
}

fn finish(records: &Records<'_>, by: By, range: DateRange, groups: &Groups) -> Table {
    let mut eligible_cache: HashMap<(Code, Level), u64> = HashMap::new();
    let mut total_counts = Counts::default();
    let mut all_teams: BTreeSet<TeamAtWork> = BTreeSet::new();
    let mut out = Vec::with_capacity(groups.index.len());
    for (key, slot) in &groups.index {
        let counts = &groups.counts[*slot];
        let teams = &groups.teams[*slot];
        total_counts.add(counts);
        all_teams.extend(teams.iter().cloned());
        out.push(stats(
            key.clone(),
            counts.clone(),
            teams,
            records,
            &mut eligible_cache,
        ));
    }
    let total = stats(
        "all".to_owned(),
        total_counts,
        &all_teams,
        records,
        &mut eligible_cache,
    );
    Table {
        by,
        range,
        groups: out,
        total,
    }
}

fn stats(
    key: String,
    counts: Counts,
    teams: &BTreeSet<TeamAtWork>,
    records: &Records<'_>,
    eligible_cache: &mut HashMap<(Code, Level), u64>,
) -> GroupStats {
    let team_ids: BTreeSet<&str> = teams.iter().map(|t| t.team.as_str()).collect();
    let targets: BTreeSet<&str> = teams.iter().map(|t| t.target.as_str()).collect();
    let exposure = Exposure {
        teams: team_ids.len() as u64,
        units_inspected: targets.len() as u64,
        team_days: team_ids.len() as u64 * u64::from(records.days_per_team),
    };
    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    let completion_rate =
        (counts.items > 0).then(|| counts.items_closed as f64 / counts.items as f64);
    let coverage = records.hierarchy.map(|h| {
        let divisions: BTreeSet<Code> = teams.iter().filter_map(|t| t.division).collect();
        let cells: BTreeSet<(Code, Level)> = divisions
            .iter()
            .filter_map(|c| c.ancestor_at(Level::City).map(|city| (city, c.level())))
            .collect();
        let eligible = cells
            .iter()
            .map(|&(city, level)| {
                *eligible_cache.entry((city, level)).or_insert_with(|| {
                    h.at_level(level)
                        .filter(|d| city.contains(d.code()))
                        .count() as u64
                })
            })
            .sum::<u64>();
        #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
        let share = (eligible > 0).then(|| divisions.len() as f64 / eligible as f64);
        Coverage {
            inspected: divisions.len() as u64,
            eligible,
            share,
        }
    });
    GroupStats {
        key,
        completion_wilson: wilson(counts.items_closed, counts.items, LEVEL),
        completion_clopper_pearson: clopper_pearson(counts.items_closed, counts.items, LEVEL),
        counts,
        exposure,
        completion_rate,
        coverage,
    }
}
