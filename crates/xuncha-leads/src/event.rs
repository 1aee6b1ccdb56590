//! Events: what the log records, one per change, in order.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};

use crate::rectify::{CriticismNotice, FindingListFacts, Obstruction, Reopening};
use crate::{
    Actor, Authorisation, Body, Checkpoint, DeadlinePolicy, Disposal, Error, LeadFacts, Outcome,
    ReportRecipient,
};

/// The format version of stored events.
pub const EVENT_VERSION: u32 = 1;

/// One entry of the log: sequence number, time, actor and role, the
/// command that caused it, and the change.
///
/// Stored as its JSON text (fields in this order); the RFC 6962 leaf is
/// those bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When (UTC, from the ledger's clock).
    #[serde(deserialize_with = "crate::timefmt::deserialize")]
    pub time: DateTime<Utc>,
    /// Who issued the command.
    pub actor: Actor,
    /// The command's id.
    pub command: String,
    /// What changed.
    pub change: Change,
    /// The state root after this event ([`State::root`](crate::State::root)): the root of
    /// the Merkle map over every record of the state. The ledger sets it on
    /// the last event of every append, so that the snapshot read beside
    /// the log is bound to what the checkpoints and witnesses saw; `None`
    /// on the other events (and on every event of ledgers written before
    /// version 0.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<crate::merkle::Hash>,
    /// The actor's signature of the command, on the first event of each
    /// command of a signed ledger ([`crate::command_message`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::Signature>,
}

impl Event {
    /// The event's stored bytes.
    pub fn encode(&self) -> Vec<u8> {
        // Serialising these types cannot fail: every map key is a string.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Decodes stored bytes, checking the sequence number.
    pub fn decode(bytes: &[u8], seq: u64) -> Result<Event, Error> {
        read_at(bytes, seq, |event: &Event| event.seq)
    }

    /// The lead the event is about, if any.
    pub fn lead(&self) -> Option<&str> {
        self.change.lead()
    }

    /// Decodes stored bytes for replay, which never reads the actor's id:
    /// the id is checked to be a string but not kept (the event's
    /// `actor.id` is empty), sparing an allocation per event.
    pub(crate) fn decode_for_replay(bytes: &[u8], seq: u64) -> Result<Event, Error> {
        let replay = read_at(bytes, seq, |replay: &ReplayEvent| replay.seq)?;
        Ok(Event {
            seq: replay.seq,
            time: replay.time,
            actor: Actor {
                id: String::new(),
                role: replay.actor.role,
            },
            command: replay.command,
            change: replay.change,
            state: replay.state,
            signature: replay.signature,
        })
    }
}

/// Parses the event stored at `seq`, checking that it says so (`said`).
fn read_at<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    seq: u64,
    said: impl Fn(&T) -> u64,
) -> Result<T, Error> {
    let value: T = serde_json::from_slice(bytes).map_err(|e| Error::Replay {
        seq,
        message: format!("cannot decode: {e}"),
    })?;
    if said(&value) != seq {
        return Err(Error::Replay {
            seq,
            message: format!(
                "the event stored at {seq} says it is event {}",
                said(&value)
            ),
        });
    }
    Ok(value)
}

/// An [`Event`] as replay reads it: the same fields, the actor's id
/// skipped.
#[derive(Deserialize)]
struct ReplayEvent {
    seq: u64,
    #[serde(deserialize_with = "crate::timefmt::deserialize")]
    time: DateTime<Utc>,
    actor: ReplayActor,
    command: String,
    change: Change,
    #[serde(default)]
    state: Option<crate::merkle::Hash>,
    #[serde(default)]
    signature: Option<crate::Signature>,
}

/// An [`Actor`] without its id.
#[derive(Deserialize)]
struct ReplayActor {
    #[serde(rename = "id")]
    _id: Skipped,
    role: crate::ActorRole,
}

/// A string, read and dropped without being copied.
struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Skipped, D::Error> {
        struct SkipVisitor;
        impl serde::de::Visitor<'_> for SkipVisitor {
            type Value = Skipped;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Skipped, E> {
                Ok(Skipped)
            }
        }
        deserializer.deserialize_str(SkipVisitor)
    }
}

/// The pattern of every change about an existing lead, binding its id to
/// `$lead`: written once for [`Change::lead`] and [`Change::take_lead`].
macro_rules! about_a_lead {
    ($lead:ident) => {
        Change::Transferred { lead: $lead, .. }
            | Change::Reported { lead: $lead, .. }
            | Change::Received { lead: $lead, .. }
            | Change::HandlerRefused { lead: $lead, .. }
            | Change::PetitionerRevealed { lead: $lead, .. }
            | Change::Escalated { lead: $lead, .. }
            | Change::Disposed { lead: $lead, .. }
            | Change::CaseFiled { lead: $lead, .. }
            | Change::Concluded { lead: $lead, .. }
    };
}

/// Why a lead was escalated (提级).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EscalationReason {
    /// It passed its deadline.
    Overdue,
    /// Its handler has a conflict of interest with what it implicates.
    HandlerConflict,
    /// Decided by the inspection office or the leading group.
    Decided,
}

/// A change to the ledger's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // Fields are documented on the variants.
pub enum Change {
    /// The ledger was created for a jurisdiction, under a policy; with
    /// `authorities`, a signed ledger.
    Opened {
        jurisdiction: Code,
        policy: DeadlinePolicy,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorities: Option<Box<crate::Authorities>>,
    },
    /// An actor's key was enrolled.
    Enrolled { enrolment: Box<crate::Enrolment> },
    /// An actor's key was revoked.
    Revoked {
        actor: String,
        key: u32,
        reason: String,
    },
    /// The deadline policy changed (for stages entered from now on).
    PolicyChanged { policy: DeadlinePolicy },
    /// A team found a lead.
    LeadFound { lead: Box<LeadFacts> },
    /// The lead was transferred (移交) to a body at a level.
    Transferred {
        lead: String,
        body: Body,
        level: Level,
    },
    /// The transfer was reported to one of the two recipients, with the
    /// checkpoint current at that moment.
    Reported {
        lead: String,
        to: ReportRecipient,
        checkpoint: Checkpoint,
    },
    /// A handler received the lead, checked by the registered check whose
    /// fingerprint is `check` (absent in ledgers of before version 0.2).
    Received {
        lead: String,
        handler: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        check: Option<crate::merkle::Hash>,
    },
    /// A handler was refused for a conflict of interest; each line explains
    /// one conflict; `check` as for [`Change::Received`].
    HandlerRefused {
        lead: String,
        handler: String,
        conflicts: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        check: Option<crate::merkle::Hash>,
    },
    /// The conflict check for handlers was registered.
    CheckRegistered {
        fingerprint: crate::merkle::Hash,
        description: String,
    },
    /// A lead's petitioner was revealed to the office, for a reason.
    PetitionerRevealed { lead: String, reason: String },
    /// The lead was raised to the level above (提级).
    Escalated {
        lead: String,
        from: Level,
        to: Level,
        reason: EscalationReason,
    },
    /// The lead was disposed of.
    Disposed {
        lead: String,
        disposal: Disposal,
        reason: String,
    },
    /// A case was filed (立案).
    CaseFiled { lead: String, reason: String },
    /// The lead was concluded with outcomes.
    Concluded {
        lead: String,
        outcomes: Vec<Outcome>,
        reason: String,
    },
    /// A finding list was issued to an inspected unit.
    FindingsIssued { list: Box<FindingListFacts> },
    /// An item was closed with evidence (销号).
    ItemClosed {
        list: String,
        item: u32,
        evidence: String,
    },
    /// A rule or regulation was established (建章立制).
    RuleEstablished { list: String, title: String },
    /// A follow-up was scheduled (跟踪).
    FollowUpScheduled {
        list: String,
        on: NaiveDate,
        note: String,
    },
    /// A look-back (回头看) was held; it may reopen items.
    LookedBack {
        list: String,
        on: NaiveDate,
        reopened: Vec<Reopening>,
    },
    /// The inspection office checked for overdue leads and escalated
    /// `escalated` of them (the events before this one).
    OverdueChecked { escalated: u64 },
    /// A unit obstructed a team.
    ObstructionRecorded { obstruction: Box<Obstruction> },
    /// A public criticism notice (通报批评) was issued.
    CriticismIssued { notice: Box<CriticismNotice> },
    /// A team leader or deputy was authorised by the committee of one
    /// level (市县两级授权).
    Authorised { authorisation: Box<Authorisation> },
}

impl Change {
    /// The change's kind, as written in the log.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Opened { .. } => "opened",
            Change::Enrolled { .. } => "enrolled",
            Change::Revoked { .. } => "revoked",
            Change::PolicyChanged { .. } => "policy-changed",
            Change::LeadFound { .. } => "lead-found",
            Change::Transferred { .. } => "transferred",
            Change::Reported { .. } => "reported",
            Change::Received { .. } => "received",
            Change::HandlerRefused { .. } => "handler-refused",
            Change::CheckRegistered { .. } => "check-registered",
            Change::PetitionerRevealed { .. } => "petitioner-revealed",
            Change::Escalated { .. } => "escalated",
            Change::Disposed { .. } => "disposed",
            Change::CaseFiled { .. } => "case-filed",
            Change::Concluded { .. } => "concluded",
            Change::FindingsIssued { .. } => "findings-issued",
            Change::ItemClosed { .. } => "item-closed",
            Change::RuleEstablished { .. } => "rule-established",
            Change::FollowUpScheduled { .. } => "follow-up-scheduled",
            Change::LookedBack { .. } => "looked-back",
            Change::OverdueChecked { .. } => "overdue-checked",
            Change::ObstructionRecorded { .. } => "obstruction-recorded",
            Change::CriticismIssued { .. } => "criticism-issued",
            Change::Authorised { .. } => "authorised",
        }
    }

    /// The lead the change is about, if any.
    pub fn lead(&self) -> Option<&str> {
        match self {
            Change::LeadFound { lead } => Some(&lead.id),
            about_a_lead!(lead) => Some(lead),
            _ => None,
        }
    }

    /// Takes the id of the lead the change is about out of it (leaving an
    /// empty id), for changes about an existing lead.
    pub(crate) fn take_lead(&mut self) -> Option<String> {
        match self {
            about_a_lead!(lead) => Some(std::mem::take(lead)),
            _ => None,
        }
    }

    /// The finding list the change is about, if any.
    pub fn list(&self) -> Option<&str> {
        match self {
            Change::FindingsIssued { list } => Some(&list.id),
            Change::ItemClosed { list, .. }
            | Change::RuleEstablished { list, .. }
            | Change::FollowUpScheduled { list, .. }
            | Change::LookedBack { list, .. } => Some(list),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::{ActorRole, LeadSource, PetitionChannel};

    fn event() -> Event {
        Event {
            seq: 7,
            time: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
            actor: Actor::new("P\"7\\", ActorRole::TeamLeader),
            command: "c-7\n".into(),
            change: Change::LeadFound {
                lead: Box::new(LeadFacts {
                    id: "L-001".into(),
                    round: "2026-1".into(),
                    team: "2026-1/350628".into(),
                    target: Code::parse("350628").unwrap(),
                    persons: vec!["某某 \u{1F600}".into()],
                    units: vec![],
                    summary: "村级\t工程款\u{0001}去向不明".into(),
                    source: LeadSource::Petition {
                        channel: PetitionChannel::Visit,
                        reference: Some("petitioner/L-001".into()),
                    },
                    found_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                    fast_track: true,
                    found_from: Vec::new(),
                }),
            },
            state: None,
            signature: None,
        }
    }

    #[test]
    fn an_event_reads_back_what_was_encoded_escapes_and_all() {
        let event = event();
        let bytes = event.encode();
        assert!(bytes.starts_with(b"{\"seq\":7,"));
        assert_eq!(Event::decode(&bytes, 7).unwrap(), event);
        assert!(Event::decode(&bytes, 8).is_err());
        assert!(Event::decode(&bytes[..40], 7).is_err());
    }
}
