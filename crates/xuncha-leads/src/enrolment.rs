//! Who may sign for whom: the two authorities a signed ledger is opened
//! with, and the actors' keys they enrol.
//!
//! A ledger opened with [`Authorities`] is *signed*: every command must be
//! signed by its actor ([`SignedCommand`](crate::SignedCommand)), with a key
//! enrolled for that actor and role at the command's time, or by an
//! authority acting as the inspection office. The county's office key (the
//! one that opens the ledger) enrols actors of the county (its team
//! members and leaders, its office, its leading group, its commission's
//! handlers); the city's key, whose public half the city gives and which is
//! pinned when the ledger is opened, enrols the city's actors (the city's
//! office, leading group, discipline commission and supervision groups).
//! No county key can make a city actor. Enrolment, rotation (a second key
//! enrolled) and revocation are events of the log, so `verify` checks every
//! signature from the events alone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::Level;

use crate::merkle::Hash;
use crate::{Action, Actor, ActorRole, Command, Error, Signature, VerifierKey};

/// The keys that enrol actors in a signed ledger, pinned when it is
/// opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorities {
    /// The county's office: opens the ledger, enrols county actors.
    pub county: VerifierKey,
    /// The city's key: enrols city actors and city-level roles.
    pub city: VerifierKey,
}

impl Authorities {
    /// The authority that enrols actors of `level`: the city's for the
    /// city (and above), the county's otherwise.
    pub fn of(&self, level: Level) -> &VerifierKey {
        if level <= Level::City {
            &self.city
        } else {
            &self.county
        }
    }
}

/// A key enrolled for an actor in a role, at a level, until a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The actor's id (the key's name).
    pub actor: String,
    /// The role the key signs for.
    pub role: ActorRole,
    /// The level the actor acts at: `city` or `county`.
    pub level: Level,
    /// The public key.
    pub key: VerifierKey,
    /// When the key stops being valid, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

/// An enrolment in force since `from`, revoked or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledKey {
    /// What was enrolled.
    pub enrolment: Enrolment,
    /// When (the enrolment's event).
    pub from: DateTime<Utc>,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<DateTime<Utc>>,
}

impl EnrolledKey {
    /// Whether the key is valid at `at`: enrolled, not expired, not
    /// revoked.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.from <= at
            && self.enrolment.until.is_none_or(|until| at < until)
            && self.revoked.is_none_or(|revoked| at < revoked)
    }
}

/// The ledger's authorities and enrolled keys (empty for a ledger opened
/// without authorities, whose commands are not signed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    /// The authorities pinned when the ledger was opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorities: Option<Authorities>,
    /// Every key enrolled, by actor, in order of enrolment.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, Vec<EnrolledKey>>,
}

impl Enrolled {
    /// Whether the ledger's commands are signed.
    pub fn is_signed(&self) -> bool {
        self.authorities.is_some()
    }

    /// The key `actor` may sign with under the hash `hash` at `at`: an
    /// enrolled key for that actor and role, valid then; or an authority's
    /// own key, acting as the inspection office.
    pub fn key_for(&self, actor: &Actor, hash: u32, at: DateTime<Utc>) -> Option<&VerifierKey> {
        if let Some(authorities) = &self.authorities
            && actor.role == ActorRole::InspectionOffice
        {
            for key in [&authorities.county, &authorities.city] {
                if key.name() == actor.id && key.hash() == hash {
                    return Some(key);
                }
            }
        }
        self.keys
            .get(&actor.id)?
            .iter()
            .find(|k| {
                k.enrolment.role == actor.role && k.enrolment.key.hash() == hash && k.valid_at(at)
            })
            .map(|k| &k.enrolment.key)
    }

    /// Whether `actor` acts at `level` at `at`: an authority of that level,
    /// or a key enrolled at that level for the actor's role, valid then.
    pub fn acts_at(&self, actor: &Actor, level: Level, at: DateTime<Utc>) -> bool {
        if let Some(authorities) = &self.authorities
            && authorities.of(level).name() == actor.id
        {
            return true;
        }
        self.keys.get(&actor.id).is_some_and(|keys| {
            keys.iter().any(|k| {
                k.enrolment.role == actor.role && k.enrolment.level == level && k.valid_at(at)
            })
        })
    }
}

/// Checks the signature of `command` at `time` for the ledger `log`, on a
/// ledger whose enrolled keys are `enrolled` (before the command): the
/// command that opens a signed ledger is signed by the county's key it
/// names; every later command of a signed ledger by a key valid for its
/// actor and role then. A ledger opened without authorities takes no
/// signature.
pub(crate) fn check_signature(
    enrolled: &Enrolled,
    log: Option<Hash>,
    time: DateTime<Utc>,
    command: &Command,
    signature: Option<&Signature>,
) -> Result<(), Error> {
    let unsigned = |why: String| Error::Unsigned {
        command: command.action.name(),
        actor: command.actor.to_string(),
        why,
    };
    let opening = match &command.action {
        Action::Open { authorities, .. } => Some(authorities.as_deref()),
        _ => None,
    };
    let key = match (opening, enrolled.authorities.as_ref(), signature) {
        (Some(None), _, None) | (None, None, None) => return Ok(()),
        (Some(None), _, Some(_)) | (None, None, Some(_)) => {
            return Err(unsigned(
                "the ledger was opened without authorities: its commands are not signed".to_owned(),
            ));
        }
        (Some(Some(_)) | None, _, None) => {
            return Err(unsigned(
                "the ledger is signed: every command is signed by its actor's enrolled key"
                    .to_owned(),
            ));
        }
        (Some(Some(authorities)), _, Some(signature)) => {
            if authorities.county.name() != command.actor.id
                || authorities.county.hash() != signature.key
            {
                return Err(unsigned(format!(
                    "a signed ledger is opened by the county's key it pins ({}), acting as the office",
                    authorities.county
                )));
            }
            &authorities.county
        }
        (None, Some(_), Some(signature)) => enrolled
            .key_for(&command.actor, signature.key, time)
            .ok_or_else(|| {
            unsigned(format!(
                "no key {:08x} is enrolled for {} at {}, or it was revoked or had expired",
                signature.key,
                command.actor,
                time.to_rfc3339()
            ))
        })?,
    };
    // The command that opens the ledger is signed before the ledger has an
    // id: it signs for a new one.
    let log = if opening.is_some() { None } else { log };
    let message = crate::command_message(log, time, &command.actor, &command.id, &command.action);
    match signature {
        Some(signature) if key.verify(&message, signature) => Ok(()),
        _ => Err(unsigned(format!(
            "the signature is not {}'s over this command, this ledger and this time",
            key.name()
        ))),
    }
}
