//! The decisions and changes about one lead: found, transferred, reported
//! to both levels, received, disposed of, filed as a case, concluded,
//! escalated; and a petitioner revealed.

use chrono::{DateTime, Utc};
use xuncha_org::Level;

use super::{Context, State, fresh_id, non_empty, printable};
use crate::event::EscalationReason;
use crate::{
    Action, Change, Command, DeadlinePolicy, Disposal, Error, Holder, Lead, Outcome, Report,
    ReportRecipient, Stage,
};

/// The changes a command about a lead makes, or why it is refused;
/// [`State::decide`] has checked the actor's role and the ledger.
#[allow(clippy::too_many_lines)] // One arm per action reads best as one match.
pub(super) fn decide(
    state: &State,
    command: &Command,
    cx: Context<'_>,
) -> Result<Vec<Change>, Error> {
    let action = &command.action;
    let name = action.name();
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
        Action::RevealPetitioner { lead, reason } => {
            state.lead(lead)?;
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
            fresh_id(&lead.id, state.leads.contains_key(&lead.id), name, "lead")?;
            within_jurisdiction(state, "the lead's target", lead.target)?;
            // A team named `round/CODE` inspects CODE: the lead's target
            // is that county or lies within it.
            if let Some(code) = lead
                .team
                .rsplit_once('/')
                .and_then(|(_, last)| xuncha_org::Code::parse(last).ok())
                && !code.contains(lead.target)
                && !lead.target.contains(code)
            {
                return Err(Error::OutOfRange {
                    what: "the lead's target",
                    found: lead.target.to_string(),
                    why: format!(
                        "the team {} inspects {code}, not {}",
                        lead.team, lead.target
                    ),
                });
            }
            non_empty(
                &lead.summary,
                name,
                "a summary",
                "a lead must say what it is about",
            )?;

            xuncha_org::dates::check("the lead's found-on date", lead.found_on).map_err(|why| {
                Error::OutOfRange {
                    what: "found_on",
                    found: lead.found_on.to_string(),
                    why: why.to_string(),
                }
            })?;
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
            let current = state.lead(lead)?;
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
            let current = state.lead(lead)?;
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
            let current = state.lead(lead)?;
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
            if state.registered_check != Some(used) {
                return Err(Error::UnregisteredCheck {
                    used,
                    registered: state.registered_check,
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
            let current = state.lead(lead)?;
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
            let mut changes: Vec<Change> = state
                .overdue(cx.now)
                .into_iter()
                .filter_map(|overdue| {
                    let lead = state.leads.get(&overdue.lead)?;
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
            let current = state.lead(lead)?;
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
            let current = state.lead(lead)?;
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
            let current = state.lead(lead)?;
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
        _ => {
            return Err(Error::NotFound {
                kind: "lead decision for",
                id: name.to_owned(),
            });
        }
    };
    Ok(changes)
}

/// Applies a change about one lead.
pub(super) fn apply(lead: &mut Lead, change: Change, now: DateTime<Utc>, policy: &DeadlinePolicy) {
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

/// Refuses `code` outside the ledger's jurisdiction (a ledger opened for a
/// city serves its counties only).
pub(super) fn within_jurisdiction(
    state: &State,
    what: &'static str,
    code: xuncha_org::Code,
) -> Result<(), Error> {
    match state.jurisdiction {
        Some(jurisdiction) if !jurisdiction.contains(code) => Err(Error::OutOfRange {
            what,
            found: code.to_string(),
            why: format!("the ledger serves {jurisdiction}, and {code} lies outside it"),
        }),
        _ => Ok(()),
    }
}
