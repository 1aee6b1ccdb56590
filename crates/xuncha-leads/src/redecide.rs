//! Re-deciding the log: every stored command run back through
//! [`State::decide`] from the state before it.
//!
//! The log stores changes, not commands. A change names the command that
//! made it (a `transferred` was a `transfer`, a `handler-refused` a
//! `receive`), so the replay rebuilds the command from the first event of
//! each command's run of events, decides it on the state before it with the
//! event's time, actor and the checkpoint before it, and requires the
//! stored events to be exactly the changes decided. An event the rules
//! would have refused then (a `received` under a check other than the one
//! registered, a report of a lead never transferred, a stage out of order,
//! a role that may not issue it, a time before the last event's) fails the
//! replay with [`Error::Undecided`], however consistent the rest of the
//! file is made.
//!
//! What the log cannot show is left to what it records: a handler's
//! conflicts are found from the registered roster, which the log holds only
//! as a fingerprint, so a `receive` is re-decided with the fingerprint and
//! the conflicts its event records (the fingerprint must be the one
//! registered then; a refusal must carry its conflicts, and a receipt none).
//! A `receive` recorded without a fingerprint (ledgers of before version
//! 0.2 had none) is not decidable and fails.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use crate::merkle::Hash;
use crate::rectify::Reopening;
use crate::state::Context;
use crate::{
    Action, AuthorisationRequest, Change, Checkpoint, Command, Error, EscalationReason, Event,
    HandlerCheck, LeadFacts, LeadSource, State,
};

/// Re-decides the events of a log in order, one command's run at a time.
///
/// Feed it each event with [`Redecider::event`] before the event is applied
/// to the state, then call [`Redecider::finish`] after the last.
#[derive(Debug, Default)]
pub(crate) struct Redecider {
    /// The changes the current command was decided to make, still to be
    /// met in the log.
    expected: VecDeque<Change>,
    /// The current command: its id, actor and time, which each of its
    /// events repeats.
    current: Option<(String, crate::Actor, DateTime<Utc>)>,
    /// The sequence number of the current command's first event.
    first: u64,
    /// The ledger's id (the leaf hash of its first event), which every
    /// signature covers; set by the replay at event 0, or given.
    pub(crate) log: Option<Hash>,
}

impl Redecider {
    /// A redecider for the events of the ledger `log` (its id, when the
    /// replay starts after its first event).
    pub(crate) fn with_log(log: Option<Hash>) -> Redecider {
        Redecider {
            log,
            ..Redecider::default()
        }
    }

    /// Checks `event` against the rules, on `state` as it is before the
    /// event (every earlier event applied). `checkpoint` is the log's
    /// checkpoint before the event, asked only for a report; `last` the
    /// time of the event before it.
    pub(crate) fn event(
        &mut self,
        state: &State,
        event: &Event,
        checkpoint: impl FnOnce() -> Checkpoint,
        last: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        if self.expected.is_empty() {
            self.start(state, event, checkpoint, last)?;
        } else if let Some((command, actor, time)) = &self.current
            && (event.command != *command || event.actor != *actor || event.time != *time)
        {
            return Err(self.short(event.seq));
        }
        let expected = self.expected.pop_front().ok_or_else(|| {
            undecided(
                event,
                "the rules decided no change for its command".to_owned(),
            )
        })?;
        if !same_change(&expected, &event.change) {
            return Err(undecided(
                event,
                format!(
                    "the rules decide `{}` here, and the log holds `{}`{}",
                    expected.kind(),
                    event.change.kind(),
                    differs(&expected, &event.change)
                ),
            ));
        }
        Ok(())
    }

    /// Checks that the last command's events are all in the log: `size`
    /// events were read.
    pub(crate) fn finish(&self, size: u64) -> Result<(), Error> {
        if self.expected.is_empty() {
            Ok(())
        } else {
            Err(self.short(size))
        }
    }

    /// Starts a command's run at `event`: rebuilds the command and decides
    /// it.
    fn start(
        &mut self,
        state: &State,
        event: &Event,
        checkpoint: impl FnOnce() -> Checkpoint,
        last: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        if let Some(last) = last
            && event.time < last
        {
            return Err(undecided(
                event,
                format!(
                    "its time {} is before the last event's, {}: event times never go backwards",
                    event.time.to_rfc3339(),
                    last.to_rfc3339()
                ),
            ));
        }
        let (action, recorded) = command_of(&event.change).ok_or_else(|| {
            undecided(
                event,
                "no command starts with this change: it only follows another in the same command"
                    .to_owned(),
            )
        })?;
        if let Some((None, _)) = &recorded {
            return Err(undecided(
                event,
                "it names no check: every receive is decided under the registered roster and rules, and records its fingerprint".to_owned(),
            ));
        }
        let check = recorded.map(|(fingerprint, conflicts)| Recorded {
            fingerprint,
            conflicts,
        });
        let command = Command::new(event.command.clone(), event.actor.clone(), action);
        crate::enrolment::check_signature(
            &state.enrolled,
            self.log,
            event.time,
            &command,
            event.signature.as_ref(),
        )
        .map_err(|why| undecided(event, why.to_string()))?;
        let cx = Context {
            now: event.time,
            checkpoint: if matches!(event.change, Change::Reported { .. }) {
                checkpoint()
            } else {
                Checkpoint::empty()
            },
            check: check.as_ref().map(|c| c as &dyn HandlerCheck),
        };
        let changes = state
            .decide(&command, cx)
            .map_err(|why| undecided(event, format!("the rules refuse it: {why}")))?;
        self.current = Some((command.id, command.actor, event.time));
        self.first = event.seq;
        self.expected = changes.into();
        Ok(())
    }

    /// The error for a command whose decided changes run past `seq`, where
    /// the log holds another command's event or ends.
    fn short(&self, seq: u64) -> Error {
        let (command, actor) = self
            .current
            .as_ref()
            .map_or((String::new(), String::new()), |(command, actor, _)| {
                (command.clone(), actor.to_string())
            });
        Error::Undecided {
            seq: self.first,
            kind: self.expected.front().map_or("", Change::kind),
            actor,
            why: format!(
                "command `{command}` decides {} more change(s) (first `{}`) that the log does not hold at event {seq}: events were removed or interleaved",
                self.expected.len(),
                self.expected.front().map_or("", Change::kind),
            ),
        }
    }
}

/// The error for `event`, which the rules do not decide, and why.
fn undecided(event: &Event, why: String) -> Error {
    Error::Undecided {
        seq: event.seq,
        kind: event.change.kind(),
        actor: event.actor.to_string(),
        why,
    }
}

/// The check a stored `receive` recorded: its fingerprint and the
/// conflicts it found.
struct Recorded {
    fingerprint: Option<Hash>,
    conflicts: Vec<String>,
}

impl HandlerCheck for Recorded {
    fn fingerprint(&self) -> Hash {
        self.fingerprint.unwrap_or_default()
    }

    fn conflicts(
        &self,
        _: &str,
        _: &LeadFacts,
        _: chrono::NaiveDate,
    ) -> Result<Vec<String>, Error> {
        Ok(self.conflicts.clone())
    }
}

/// What a recorded `receive` brings to its re-decision: the fingerprint of
/// the check used and the conflicts it found.
type RecordedCheck = (Option<Hash>, Vec<String>);

/// The command whose first change is `change`, and for a `receive` what its
/// check recorded; `None` for a change no command starts with (an
/// escalation for a handler's conflict follows the refusal).
fn command_of(change: &Change) -> Option<(Action, Option<RecordedCheck>)> {
    let action = match change.clone() {
        Change::Opened {
            jurisdiction,
            policy,
            authorities,
        } => Action::Open {
            jurisdiction,
            policy,
            authorities,
        },
        Change::Enrolled { enrolment } => Action::Enrol { enrolment },
        Change::Revoked { actor, key, reason } => Action::Revoke { actor, key, reason },
        Change::PolicyChanged { policy } => Action::SetPolicy { policy },
        Change::LeadFound { lead } => {
            let mut lead = *lead;
            // The ledger sets the petition's reference when it seals the
            // identity: the command carried none.
            if let LeadSource::Petition { reference, .. } = &mut lead.source {
                *reference = None;
            }
            Action::AddLead {
                lead,
                petitioner: None,
            }
        }
        Change::Transferred { lead, body, level } => Action::Transfer { lead, body, level },
        Change::Reported { lead, to, .. } => Action::Report { lead, to },
        Change::Received { lead, check, .. } => {
            return Some((Action::Receive { lead }, Some((check, Vec::new()))));
        }
        Change::HandlerRefused {
            lead,
            conflicts,
            check,
            ..
        } => return Some((Action::Receive { lead }, Some((check, conflicts)))),
        Change::CheckRegistered {
            fingerprint,
            description,
        } => Action::RegisterCheck {
            fingerprint,
            description,
        },
        Change::PetitionerRevealed { lead, reason } => Action::RevealPetitioner { lead, reason },
        Change::Escalated { lead, reason, .. } => match reason {
            EscalationReason::Decided => Action::Escalate { lead },
            EscalationReason::Overdue => Action::EscalateOverdue,
            EscalationReason::HandlerConflict => return None,
        },
        Change::OverdueChecked { .. } => Action::EscalateOverdue,
        Change::Disposed {
            lead,
            disposal,
            reason,
        } => Action::Dispose {
            lead,
            disposal,
            reason,
        },
        Change::CaseFiled { lead, reason } => Action::FileCase { lead, reason },
        Change::Concluded {
            lead,
            outcomes,
            reason,
        } => Action::Conclude {
            lead,
            outcomes,
            reason,
        },
        other => rectification_command(other)?,
    };
    Some((action, None))
}

/// The rectification command whose first change is `change` (and the
/// authorisation's), `None` for the others.
fn rectification_command(change: Change) -> Option<Action> {
    Some(match change {
        Change::FindingsIssued { list } => Action::IssueFindings { list: *list },
        Change::ItemClosed {
            list,
            item,
            evidence,
        } => Action::CloseItem {
            list,
            item,
            evidence,
        },
        Change::RuleEstablished { list, title } => Action::EstablishRule { list, title },
        Change::FollowUpScheduled { list, on, note } => Action::ScheduleFollowUp { list, on, note },
        Change::LookedBack { list, on, reopened } => Action::LookBack {
            list,
            on,
            reopen: reopened
                .into_iter()
                .map(
                    |Reopening {
                         item,
                         reason,
                         deadline,
                     }| (item, reason, deadline),
                )
                .collect(),
        },
        Change::ObstructionRecorded { obstruction } => Action::RecordObstruction {
            obstruction: *obstruction,
        },
        Change::CriticismIssued { notice } => Action::IssueCriticism { notice: *notice },
        Change::Authorised { authorisation } => Action::Authorise {
            authorisation: AuthorisationRequest {
                round: authorisation.round,
                team: authorisation.team,
                target: authorisation.target,
                person: authorisation.person,
                post: authorisation.post,
                by: authorisation.by,
            },
        },
        _ => return None,
    })
}

/// Whether the stored change `found` is the change `decided`: equal, but
/// for the petition's reference of a new lead, which the ledger sets to
/// the lead's own when it seals the identity.
fn same_change(decided: &Change, found: &Change) -> bool {
    if let (Change::LeadFound { lead: decided }, Change::LeadFound { lead: found }) =
        (decided, found)
        && let LeadSource::Petition {
            reference: Some(reference),
            ..
        } = &found.source
    {
        if *reference != crate::ledger::petitioner_reference(&found.id) {
            return false;
        }
        let mut found = found.clone();
        if let LeadSource::Petition { reference, .. } = &mut found.source {
            *reference = None;
        }
        return **decided == *found;
    }
    decided == found
}

/// What differs between two changes of the same kind, said briefly.
fn differs(decided: &Change, found: &Change) -> String {
    if decided.kind() != found.kind() {
        return String::new();
    }
    match (decided, found) {
        (Change::Reported { checkpoint: a, .. }, Change::Reported { checkpoint: b, .. }) => {
            format!(" carrying checkpoint {b}, where the log's before it is {a}")
        }
        (Change::LeadFound { .. }, Change::LeadFound { .. }) => {
            " with a petition reference that is not the lead's own".to_owned()
        }
        _ => " with other contents".to_owned(),
    }
}
