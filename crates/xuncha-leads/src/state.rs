//! The ledger's state, rebuilt by replaying events: [`State::decide`] turns
//! a command into changes (or refuses it), [`State::apply`] folds an event
//! in.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};

use crate::event::EscalationReason;
use crate::rectify::{
    CriticismNotice, FindingItem, FindingList, FollowUp, ItemStatus, Obstruction, Reopening,
};
use crate::{
    Action, Change, Checkpoint, Command, DeadlinePolicy, Disposal, Error, Event, FxHashMap,
    HandlerCheck, Holder, Lead, Outcome, Report, ReportRecipient, Stage,
};

/// Everything the log says, as of its last event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The jurisdiction the ledger serves (a city, usually); `None` before
    /// the ledger is opened.
    pub jurisdiction: Option<Code>,
    /// The deadline policy in force.
    pub policy: DeadlinePolicy,
    /// The leads, by id. A hash map with a fast hash ([`FxHashMap`]:
    /// lead ids are not chosen by an adversary who could gain from
    /// collisions, and replaying a long log looks a lead up for nearly
    /// every event). Serialised in order of id; use
    /// [`State::leads_in_order`] to iterate in that order.
    #[serde(serialize_with = "in_order")]
    pub leads: FxHashMap<String, Lead>,
    /// The finding lists, by id.
    pub lists: BTreeMap<String, FindingList>,
    /// Recorded obstructions, by id.
    pub obstructions: BTreeMap<String, Obstruction>,
    /// Criticism notices, by id.
    pub notices: BTreeMap<String, CriticismNotice>,
    /// The number of events applied.
    pub events: u64,
    /// The fingerprint of the registered conflict check for handlers
    /// ([`Action::RegisterCheck`]); `None` until one is registered.
    #[serde(default)]
    pub registered_check: Option<crate::merkle::Hash>,
}

/// A lead past its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueLead {
    /// The lead.
    pub lead: String,
    /// Its stage.
    pub stage: Stage,
    /// Who holds it.
    pub holder: Holder,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// Whole days past the deadline.
    pub days_overdue: i64,
}

/// A rectification item open past its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    /// The list.
    pub list: String,
    /// The unit that owes the fix.
    pub unit: String,
    /// The item's number.
    pub item: u32,
    /// The person responsible.
    pub responsible: String,
    /// The deadline.
    pub deadline: NaiveDate,
}

/// What [`State::decide`] needs besides the command.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The command's time.
    pub now: DateTime<Utc>,
    /// The log's checkpoint before the command.
    pub checkpoint: Checkpoint,
    /// The conflict check for handlers; `None` checks nothing.
    pub check: Option<&'a dyn HandlerCheck>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("now", &self.now)
            .field("checkpoint", &self.checkpoint)
            .field("check", &self.check.is_some())
            .finish()
    }
}

fn non_empty(
    text: &str,
    command: &'static str,
    field: &'static str,
    why: &'static str,
) -> Result<(), Error> {
    if text.trim().is_empty() {
        Err(Error::Incomplete {
            command,
            field,
            why,
        })
    } else {
        Ok(())
    }
}

/// Serialises a map in order of its keys.
fn in_order<S: serde::Serializer, V: Serialize>(
    map: &FxHashMap<String, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let ordered: BTreeMap<&String, &V> = map.iter().collect();
    ordered.serialize(serializer)
}

/// Refuses an id or a name holding a control character (NUL among them):
/// it would print as something else than it is, or cut a line in two.
fn printable(field: &'static str, text: &str) -> Result<(), Error> {
    match text.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, c)) => Err(Error::OutOfRange {
            what: field,
            found: format!("{text:?}"),
            why: format!(
                "it holds the control character U+{:04X} at byte {at}; ids and names are printable text",
                u32::from(c)
            ),
        }),
        None => Ok(()),
    }
}

/// Refuses a policy whose deadlines are out of range.
fn check_policy(policy: &DeadlinePolicy) -> Result<(), Error> {
    policy.check().map_err(|why| Error::OutOfRange {
        what: "the deadline policy",
        found: "a stage's days".to_owned(),
        why,
    })
}

/// Checks a new record's id: given, and not yet used.
fn fresh_id(id: &str, used: bool, command: &'static str, kind: &'static str) -> Result<(), Error> {
    printable(kind, id)?;
    if id.trim().is_empty() {
        return Err(Error::Incomplete {
            command,
            field: "an id",
            why: "every record needs an id",
        });
    }
    if used {
        return Err(Error::AlreadyExists {
            kind,
            id: id.to_owned(),
        });
    }
    Ok(())
}

impl State {
    /// The leads in order of id.
    pub fn leads_in_order(&self) -> Vec<&Lead> {
        let mut leads: Vec<&Lead> = self.leads.values().collect();
        leads.sort_unstable_by(|a, b| a.facts.id.cmp(&b.facts.id));
        leads
    }

    /// A lead by id.
    pub fn lead(&self, id: &str) -> Result<&Lead, Error> {
        self.leads.get(id).ok_or_else(|| Error::NotFound {
            kind: "lead",
            id: id.to_owned(),
        })
    }

    fn list(&self, id: &str) -> Result<&FindingList, Error> {
        self.lists.get(id).ok_or_else(|| Error::NotFound {
            kind: "finding list",
            id: id.to_owned(),
        })
    }

    /// Every lead past its deadline at `now`, with who holds it, most
    /// overdue first.
    pub fn overdue(&self, now: DateTime<Utc>) -> Vec<OverdueLead> {
        let mut out: Vec<OverdueLead> = self
            .leads
            .values()
            .filter_map(|lead| {
                let deadline = lead.deadline?;
                let holder = lead.holder.clone()?;
                (deadline < now).then(|| OverdueLead {
                    lead: lead.facts.id.clone(),
                    stage: lead.stage,
                    holder,
                    deadline,
                    days_overdue: (now - deadline).num_days(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.lead.cmp(&b.lead)));
        out
    }

    /// Every rectification item still open after its deadline on `today`.
    pub fn overdue_items(&self, today: NaiveDate) -> Vec<OverdueItem> {
        self.lists
            .values()
            .flat_map(|list| {
                list.items
                    .iter()
                    .filter(move |i| i.status == ItemStatus::Open && i.deadline < today)
                    .map(move |i| OverdueItem {
                        list: list.id.clone(),
                        unit: list.unit.clone(),
                        item: i.number,
                        responsible: i.facts.responsible.clone(),
                        deadline: i.deadline,
                    })
            })
            .collect()
    }

    /// Checks that nothing is lost: every lead is final, or held by someone
    /// with a deadline. Returns the first lead that is neither.
    pub fn check_invariants(&self) -> Result<(), String> {
        for lead in self.leads.values() {
            let held = lead.holder.is_some() && lead.deadline.is_some();
            if lead.stage.is_final() == held {
                return Err(format!(
                    "lead {} is {} with holder {:?} and deadline {:?}",
                    lead.facts.id, lead.stage, lead.holder, lead.deadline
                ));
            }
        }
        Ok(())
    }

    /// The changes `command` makes, or why it is refused. Decides only:
    /// nothing changes until the events are applied.
    #[allow(clippy::too_many_lines)] // One arm per action reads best as one match.
    pub fn decide(&self, command: &Command, cx: Context<'_>) -> Result<Vec<Change>, Error> {
        let action = &command.action;
        let name = action.name();
        if !action.allowed_roles().contains(&command.actor.role) {
            return Err(Error::NotPermitted {
                command: name,
                actor: command.actor.id.clone(),
                role: command.actor.role,
                allowed: action.allowed_roles().to_vec(),
            });
        }
        printable("the command's id", &command.id)?;
        printable("the actor's id", &command.actor.id)?;
        if self.jurisdiction.is_none() && !matches!(action, Action::Open { .. }) {
            return Err(Error::NotFound {
                kind: "opened ledger (run `init` first) for",
                id: name.to_owned(),
            });
        }
        let stage_error = |lead: &Lead| Error::IllegalTransition {
            lead: lead.facts.id.clone(),
            stage: lead.stage,
            command: name,
        };
        let holding = |lead: &Lead| -> Result<(), Error> {
            match &lead.holder {
                Some(Holder::Handler { handler, .. }) if *handler == command.actor.id => Ok(()),
                Some(holder) => Err(Error::NotHolder {
                    command: name,
                    lead: lead.facts.id.clone(),
                    actor: command.actor.id.clone(),
                    holder: holder.to_string(),
                }),
                None => Err(stage_error(lead)),
            }
        };
        let changes = match action {
            Action::Open {
                jurisdiction,
                policy,
            } => {
                if let Some(code) = self.jurisdiction {
                    return Err(Error::AlreadyExists {
                        kind: "ledger for",
                        id: code.to_string(),
                    });
                }
                check_policy(policy)?;
                vec![Change::Opened {
                    jurisdiction: *jurisdiction,
                    policy: *policy,
                }]
            }
            Action::SetPolicy { policy } => {
                check_policy(policy)?;
                vec![Change::PolicyChanged { policy: *policy }]
            }
            Action::RegisterCheck {
                fingerprint,
                description,
            } => {
                non_empty(
                    description,
                    name,
                    "a description",
                    "the ledger says which roster and rules handlers are checked against",
                )?;
                vec![Change::CheckRegistered {
                    fingerprint: *fingerprint,
                    description: description.clone(),
                }]
            }
            Action::RevealPetitioner { lead, reason } => {
                self.lead(lead)?;
                non_empty(
                    reason,
                    name,
                    "a reason",
                    "revealing a petitioner is recorded with why",
                )?;
                vec![Change::PetitionerRevealed {
                    lead: lead.clone(),
                    reason: reason.clone(),
                }]
            }
            Action::AddLead { lead, .. } => {
                fresh_id(&lead.id, self.leads.contains_key(&lead.id), name, "lead")?;
                non_empty(
                    &lead.summary,
                    name,
                    "a summary",
                    "a lead must say what it is about",
                )?;
                xuncha_org::dates::check("the lead's found-on date", lead.found_on).map_err(
                    |why| Error::OutOfRange {
                        what: "found_on",
                        found: lead.found_on.to_string(),
                        why,
                    },
                )?;
                if lead.found_on > cx.now.date_naive() {
                    return Err(Error::OutOfRange {
                        what: "found_on",
                        found: lead.found_on.to_string(),
                        why: format!(
                            "a lead cannot be found after it is recorded ({})",
                            cx.now.date_naive()
                        ),
                    });
                }
                if let crate::LeadSource::Petition {
                    reference: Some(reference),
                    ..
                } = &lead.source
                {
                    return Err(Error::OutOfRange {
                        what: "the petition's reference",
                        found: reference.clone(),
                        why: "the ledger sets it when it stores the identity; a reference given in the command could point at another lead's petitioner".to_owned(),
                    });
                }
                for (field, text) in [("round", &lead.round), ("team", &lead.team)]
                    .into_iter()
                    .chain(lead.persons.iter().map(|p| ("person", p)))
                    .chain(lead.units.iter().map(|u| ("unit", u)))
                {
                    printable(field, text)?;
                }
                vec![Change::LeadFound {
                    lead: Box::new(lead.clone()),
                }]
            }
            Action::Transfer { lead, body, level } => {
                let current = self.lead(lead)?;
                if current.stage != Stage::Found {
                    return Err(stage_error(current));
                }
                if *level > current.level {
                    return Err(Error::LevelTooLow {
                        lead: lead.clone(),
                        level: *level,
                        required: current.level,
                    });
                }
                vec![Change::Transferred {
                    lead: lead.clone(),
                    body: body.clone(),
                    level: *level,
                }]
            }
            Action::Report { lead, to } => {
                let current = self.lead(lead)?;
                if current.stage != Stage::Transferred {
                    return Err(stage_error(current));
                }
                if current.reports.iter().any(|r| r.to == *to) {
                    return Err(Error::AlreadyReported {
                        lead: lead.clone(),
                        to: *to,
                    });
                }
                vec![Change::Reported {
                    lead: lead.clone(),
                    to: *to,
                    checkpoint: cx.checkpoint,
                }]
            }
            Action::Receive { lead } => {
                let current = self.lead(lead)?;
                if current.stage != Stage::Transferred {
                    return Err(stage_error(current));
                }
                let missing: Vec<ReportRecipient> = ReportRecipient::BOTH
                    .into_iter()
                    .filter(|to| !current.reports.iter().any(|r| r.to == *to))
                    .collect();
                if !missing.is_empty() {
                    return Err(Error::TransferIncomplete {
                        lead: lead.clone(),
                        missing,
                    });
                }
                let handler = command.actor.id.clone();
                let check = cx.check.ok_or(Error::Incomplete {
                    command: "receive",
                    field: "a conflict check",
                    why: "a handler is checked against the persons and units the lead implicates",
                })?;
                let used = check.fingerprint();
                if self.registered_check != Some(used) {
                    return Err(Error::UnregisteredCheck {
                        used,
                        registered: self.registered_check,
                    });
                }
                let conflicts = check.conflicts(&handler, &current.facts, cx.now.date_naive())?;
                if conflicts.is_empty() {
                    vec![Change::Received {
                        lead: lead.clone(),
                        handler,
                        check: Some(used),
                    }]
                } else {
                    // A handler refused before escalated the lead then: asking
                    // again records the refusal but raises the lead no higher.
                    let again = current.refused_handlers.contains(&handler);
                    let mut changes = vec![Change::HandlerRefused {
                        lead: lead.clone(),
                        handler,
                        conflicts,
                        check: Some(used),
                    }];
                    if let Some(to) = current.level.parent().filter(|_| !again) {
                        changes.push(Change::Escalated {
                            lead: lead.clone(),
                            from: current.level,
                            to,
                            reason: EscalationReason::HandlerConflict,
                        });
                    }
                    changes
                }
            }
            Action::Escalate { lead } => {
                let current = self.lead(lead)?;
                if current.stage.is_final() {
                    return Err(stage_error(current));
                }
                let to = current
                    .level
                    .parent()
                    .ok_or_else(|| Error::TopLevel { lead: lead.clone() })?;
                vec![Change::Escalated {
                    lead: lead.clone(),
                    from: current.level,
                    to,
                    reason: EscalationReason::Decided,
                }]
            }
            Action::EscalateOverdue => {
                let mut changes: Vec<Change> = self
                    .overdue(cx.now)
                    .into_iter()
                    .filter_map(|overdue| {
                        let lead = self.leads.get(&overdue.lead)?;
                        let to = lead.level.parent()?;
                        Some(Change::Escalated {
                            lead: overdue.lead,
                            from: lead.level,
                            to,
                            reason: EscalationReason::Overdue,
                        })
                    })
                    .collect();
                changes.push(Change::OverdueChecked {
                    escalated: changes.len() as u64,
                });
                changes
            }
            Action::Dispose {
                lead,
                disposal,
                reason,
            } => {
                let current = self.lead(lead)?;
                if !matches!(current.stage, Stage::Received | Stage::Shelved) {
                    return Err(stage_error(current));
                }
                holding(current)?;
                non_empty(
                    reason,
                    name,
                    "a reason",
                    "every disposal is recorded with its reason",
                )?;
                vec![Change::Disposed {
                    lead: lead.clone(),
                    disposal: *disposal,
                    reason: reason.clone(),
                }]
            }
            Action::FileCase { lead, reason } => {
                let current = self.lead(lead)?;
                if current.stage != Stage::PreliminaryVerification {
                    return Err(stage_error(current));
                }
                holding(current)?;
                non_empty(
                    reason,
                    name,
                    "a reason",
                    "a case is filed on stated grounds",
                )?;
                vec![Change::CaseFiled {
                    lead: lead.clone(),
                    reason: reason.clone(),
                }]
            }
            Action::Conclude {
                lead,
                outcomes,
                reason,
            } => {
                let current = self.lead(lead)?;
                if !matches!(
                    current.stage,
                    Stage::Inquiry | Stage::PreliminaryVerification | Stage::CaseFiled
                ) {
                    return Err(stage_error(current));
                }
                holding(current)?;
                non_empty(reason, name, "a reason", "closing a lead needs a reason")?;
                if outcomes.is_empty() {
                    return Err(Error::Incomplete {
                        command: name,
                        field: "an outcome",
                        why: "a concluded lead says what came of it, if only `no action`",
                    });
                }
                for outcome in outcomes {
                    non_empty(
                        outcome.reason(),
                        name,
                        "each outcome's reason",
                        "every outcome is recorded with its reason",
                    )?;
                    if outcome.needs_case() && current.stage != Stage::CaseFiled {
                        return Err(Error::OutcomeNeedsCase {
                            lead: lead.clone(),
                            outcome: match outcome {
                                Outcome::Sanction { .. } => "sanction",
                                _ => "judicial referral",
                            },
                            stage: current.stage,
                        });
                    }
                }
                vec![Change::Concluded {
                    lead: lead.clone(),
                    outcomes: outcomes.clone(),
                    reason: reason.clone(),
                }]
            }
            Action::IssueFindings { list } => {
                fresh_id(
                    &list.id,
                    self.lists.contains_key(&list.id),
                    name,
                    "finding list",
                )?;
                if list.items.is_empty() {
                    return Err(Error::Incomplete {
                        command: name,
                        field: "an item",
                        why: "a finding list lists at least one finding",
                    });
                }
                for item in &list.items {
                    non_empty(
                        &item.finding,
                        name,
                        "each item's finding",
                        "an item says what is wrong",
                    )?;
                    non_empty(
                        &item.responsible,
                        name,
                        "each item's responsible person",
                        "someone answers for each fix",
                    )?;
                }
                vec![Change::FindingsIssued {
                    list: Box::new(list.clone()),
                }]
            }
            Action::CloseItem {
                list,
                item,
                evidence,
            } => {
                let current = self.item(list, *item)?;
                if current.status == ItemStatus::Closed {
                    return Err(Error::AlreadyExists {
                        kind: "closure of item",
                        id: format!("{list}#{item}"),
                    });
                }
                non_empty(
                    evidence,
                    name,
                    "evidence",
                    "items close one by one with evidence (对单销号)",
                )?;
                vec![Change::ItemClosed {
                    list: list.clone(),
                    item: *item,
                    evidence: evidence.clone(),
                }]
            }
            Action::EstablishRule { list, title } => {
                self.list(list)?;
                non_empty(title, name, "a title", "a rule is recorded by its title")?;
                vec![Change::RuleEstablished {
                    list: list.clone(),
                    title: title.clone(),
                }]
            }
            Action::ScheduleFollowUp { list, on, note } => {
                self.list(list)?;
                vec![Change::FollowUpScheduled {
                    list: list.clone(),
                    on: *on,
                    note: note.clone(),
                }]
            }
            Action::LookBack { list, on, reopen } => {
                let mut reopened = Vec::with_capacity(reopen.len());
                for (item, reason, deadline) in reopen {
                    let current = self.item(list, *item)?;
                    if current.status != ItemStatus::Closed {
                        return Err(Error::Incomplete {
                            command: name,
                            field: "a closed item",
                            why: "a look-back reopens only items that were closed",
                        });
                    }
                    non_empty(
                        reason,
                        name,
                        "a reason",
                        "a reopened item says why the fix did not hold",
                    )?;
                    reopened.push(Reopening {
                        item: *item,
                        reason: reason.clone(),
                        deadline: *deadline,
                    });
                }
                self.list(list)?;
                vec![Change::LookedBack {
                    list: list.clone(),
                    on: *on,
                    reopened,
                }]
            }
            Action::RecordObstruction { obstruction } => {
                fresh_id(
                    &obstruction.id,
                    self.obstructions.contains_key(&obstruction.id),
                    name,
                    "obstruction",
                )?;
                non_empty(
                    &obstruction.detail,
                    name,
                    "the detail",
                    "say what the unit did",
                )?;
                vec![Change::ObstructionRecorded {
                    obstruction: Box::new(obstruction.clone()),
                }]
            }
            Action::IssueCriticism { notice } => {
                fresh_id(
                    &notice.id,
                    self.notices.contains_key(&notice.id),
                    name,
                    "criticism notice",
                )?;
                non_empty(
                    &notice.text,
                    name,
                    "the text",
                    "a notice says what it criticises",
                )?;
                if notice.obstructions.is_empty() {
                    return Err(Error::Incomplete {
                        command: name,
                        field: "an obstruction",
                        why: "a notice answers recorded obstructions",
                    });
                }
                for id in &notice.obstructions {
                    let recorded = self.obstructions.get(id).ok_or_else(|| Error::NotFound {
                        kind: "obstruction",
                        id: id.clone(),
                    })?;
                    if recorded.unit != notice.unit {
                        return Err(Error::NotFound {
                            kind: "obstruction by this unit",
                            id: format!(
                                "{id} (recorded against {}, not {})",
                                recorded.unit, notice.unit
                            ),
                        });
                    }
                }
                vec![Change::CriticismIssued {
                    notice: Box::new(notice.clone()),
                }]
            }
        };
        Ok(changes)
    }

    fn item(&self, list: &str, item: u32) -> Result<&FindingItem, Error> {
        let found = self.list(list)?;
        found
            .items
            .iter()
            .find(|i| i.number == item)
            .ok_or_else(|| Error::NotFound {
                kind: "item",
                id: format!("{list}#{item}"),
            })
    }

    /// Folds one event in, taking what it needs from it. Errors only for an
    /// event the state cannot take (a log that was not written by
    /// [`State::decide`]).
    pub fn apply(&mut self, event: Event) -> Result<(), Error> {
        self.apply_keeping_id(event).map(drop)
    }

    /// As [`State::apply`], giving back the id of the lead an event about
    /// an existing lead named: the replay hands it back to the thread that
    /// allocated it, to be freed there.
    #[allow(clippy::too_many_lines)]
    pub(crate) fn apply_keeping_id(&mut self, event: Event) -> Result<Option<String>, Error> {
        let seq = event.seq;
        if seq != self.events {
            return Err(Error::Replay {
                seq,
                message: format!("expected event {}", self.events),
            });
        }
        let now = event.time;
        let policy = self.policy;
        let missing = |kind: &str, id: &str| Error::Replay {
            seq,
            message: format!("no {kind} `{id}`"),
        };
        let mut spent = None;
        match event.change {
            Change::Opened {
                jurisdiction,
                policy,
            } => {
                self.jurisdiction = Some(jurisdiction);
                self.policy = policy;
            }
            Change::PolicyChanged { policy } => self.policy = policy,
            Change::CheckRegistered { fingerprint, .. } => {
                self.registered_check = Some(fingerprint);
            }
            Change::LeadFound { lead } => {
                let fast = lead.fast_track;
                let team = lead.team.clone();
                self.leads.insert(
                    lead.id.clone(),
                    Lead {
                        facts: lead,
                        stage: Stage::Found,
                        holder: Some(Holder::Team { team }),
                        deadline: policy.deadline(Stage::Found, fast, now),
                        level: Level::County,
                        body: None,
                        reports: Vec::new(),
                        disposal: None,
                        outcomes: Vec::new(),
                        reason: None,
                        escalations: 0,
                        refused_handlers: Vec::new(),
                        events: vec![seq],
                    },
                );
            }
            Change::ItemClosed {
                list,
                item,
                evidence,
            } => {
                let item = self
                    .lists
                    .get_mut(&list)
                    .and_then(|l| l.items.iter_mut().find(|i| i.number == item))
                    .ok_or_else(|| missing("item", &list))?;
                item.status = ItemStatus::Closed;
                item.evidence = Some(evidence);
                item.closed_at = Some(now);
            }
            Change::FindingsIssued { list } => {
                let list = *list;
                let items = list
                    .items
                    .into_iter()
                    .zip(1..)
                    .map(|(facts, number)| FindingItem {
                        number,
                        deadline: facts.deadline,
                        facts,
                        status: ItemStatus::Open,
                        evidence: None,
                        closed_at: None,
                        reopened: 0,
                    })
                    .collect();
                self.lists.insert(
                    list.id.clone(),
                    FindingList {
                        id: list.id,
                        round: list.round,
                        unit: list.unit,
                        issued_on: list.issued_on,
                        items,
                        rules: Vec::new(),
                        follow_ups: Vec::new(),
                        look_backs: Vec::new(),
                    },
                );
            }
            Change::RuleEstablished { list, title } => {
                let found = self
                    .lists
                    .get_mut(&list)
                    .ok_or_else(|| missing("list", &list))?;
                found.rules.push(title);
            }
            Change::FollowUpScheduled { list, on, note } => {
                let found = self
                    .lists
                    .get_mut(&list)
                    .ok_or_else(|| missing("list", &list))?;
                found.follow_ups.push(FollowUp { on, note });
            }
            Change::LookedBack { list, on, reopened } => {
                let found = self
                    .lists
                    .get_mut(&list)
                    .ok_or_else(|| missing("list", &list))?;
                found.look_backs.push(on);
                for reopening in reopened {
                    let item = found
                        .items
                        .iter_mut()
                        .find(|i| i.number == reopening.item)
                        .ok_or_else(|| missing("item", &list))?;
                    item.status = ItemStatus::Open;
                    item.deadline = reopening.deadline;
                    item.reopened += 1;
                }
            }
            Change::ObstructionRecorded { obstruction } => {
                self.obstructions
                    .insert(obstruction.id.clone(), *obstruction);
            }
            Change::CriticismIssued { notice } => {
                self.notices.insert(notice.id.clone(), *notice);
            }
            Change::OverdueChecked { .. } => {}
            mut lead_change => {
                let id = lead_change
                    .take_lead()
                    .ok_or_else(|| missing("lead for", lead_change.kind()))?;
                let lead = self
                    .leads
                    .get_mut(&id)
                    .ok_or_else(|| missing("lead", &id))?;
                apply_to_lead(lead, lead_change, now, &policy);
                lead.events.push(seq);
                spent = Some(id);
            }
        }
        self.events += 1;
        Ok(spent)
    }
}

/// Applies a change about one lead.
fn apply_to_lead(lead: &mut Lead, change: Change, now: DateTime<Utc>, policy: &DeadlinePolicy) {
    let fast = lead.facts.fast_track;
    let enter = |lead: &mut Lead, stage: Stage| {
        lead.stage = stage;
        lead.deadline = policy.deadline(stage, fast, now);
        if stage.is_final() {
            lead.holder = None;
        }
    };
    match change {
        Change::Transferred { body, level, .. } => {
            lead.body = Some(body);
            lead.level = level;
            enter(lead, Stage::Transferred);
            lead.holder = Some(Holder::InspectionOffice { level: Level::City });
        }
        Change::Reported { to, checkpoint, .. } => {
            lead.reports.push(Report {
                to,
                at: now,
                checkpoint,
            });
            if lead.dual_reported() {
                lead.holder = Some(Holder::Body {
                    body: lead
                        .body
                        .clone()
                        .unwrap_or(crate::Body::DisciplineCommission),
                    level: lead.level,
                });
            }
        }
        Change::Received { handler, .. } => {
            enter(lead, Stage::Received);
            lead.holder = Some(Holder::Handler {
                handler,
                body: lead
                    .body
                    .clone()
                    .unwrap_or(crate::Body::DisciplineCommission),
                level: lead.level,
            });
        }
        Change::HandlerRefused { handler, .. } => lead.refused_handlers.push(handler),
        Change::Escalated { to, .. } => {
            lead.level = to;
            lead.escalations += 1;
            lead.disposal = None;
            if lead.stage == Stage::Found {
                enter(lead, Stage::Found);
                lead.holder = Some(Holder::InspectionOffice { level: to });
            } else {
                enter(lead, Stage::Transferred);
                lead.holder = Some(if lead.dual_reported() {
                    Holder::Body {
                        body: lead
                            .body
                            .clone()
                            .unwrap_or(crate::Body::DisciplineCommission),
                        level: to,
                    }
                } else {
                    Holder::InspectionOffice { level: Level::City }
                });
            }
        }
        Change::Disposed {
            disposal, reason, ..
        } => {
            lead.disposal = Some(disposal);
            let stage = match disposal {
                Disposal::Inquiry => Stage::Inquiry,
                Disposal::PreliminaryVerification => Stage::PreliminaryVerification,
                Disposal::Shelved => Stage::Shelved,
                Disposal::Closed => {
                    lead.reason = Some(reason);
                    Stage::Closed
                }
            };
            enter(lead, stage);
        }
        Change::CaseFiled { .. } => enter(lead, Stage::CaseFiled),
        Change::Concluded {
            outcomes, reason, ..
        } => {
            lead.outcomes = outcomes;
            lead.reason = Some(reason);
            enter(lead, Stage::Concluded);
        }
        _ => {}
    }
}
