//! The ledger's state, rebuilt by replaying events: [`State::decide`] turns
//! a command into changes (or refuses it), [`State::apply`] folds an event
//! in.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Level};

mod leads;
mod rectification;

use crate::rectify::{CriticismNotice, FindingList, ItemStatus, Obstruction};
use crate::{
    Action, Authorisation, AuthorisationRequest, Change, Checkpoint, Command, DeadlinePolicy,
    Error, Event, FxHashMap, HandlerCheck, Holder, Lead, Stage,
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
    /// Team leaders' and deputies' authorisations (市县两级授权), by id
    /// (`team/person/level`).
    #[serde(default)]
    pub authorisations: BTreeMap<String, Authorisation>,
    /// The number of events applied.
    pub events: u64,
    /// The fingerprint of the registered conflict check for handlers
    /// ([`Action::RegisterCheck`]); `None` until one is registered.
    #[serde(default)]
    pub registered_check: Option<crate::merkle::Hash>,
    /// The authorities and the actors' keys of a signed ledger.
    #[serde(default)]
    pub enrolled: crate::Enrolled,
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

/// The longest id a record may have, in bytes: ids are typed and printed
/// on every line that names the record.
pub const MAX_ID_BYTES: usize = 128;

/// The longest summary a lead may have, in characters: what it is about,
/// in a sentence or a paragraph; the evidence itself is kept elsewhere.
pub const MAX_SUMMARY_CHARS: usize = 2_000;

/// Refuses a text longer than `max` (in bytes when `bytes`, else in
/// characters).
fn bounded(field: &'static str, text: &str, max: usize, bytes: bool) -> Result<(), Error> {
    let length = if bytes {
        text.len()
    } else {
        text.chars().count()
    };
    if length > max {
        let unit = if bytes { "bytes" } else { "characters" };
        return Err(Error::OutOfRange {
            what: field,
            found: format!("{length} {unit} long"),
            why: format!("at most {max} {unit}"),
        });
    }
    Ok(())
}

/// The limits of this version on what a command brings, checked when it is
/// executed (not when a log is replayed: a ledger written before a limit
/// was set still replays): ids of at most [`MAX_ID_BYTES`], a lead's
/// summary of at most [`MAX_SUMMARY_CHARS`] and without control characters.
pub(crate) fn check_limits(command: &Command) -> Result<(), Error> {
    bounded("the command's id", &command.id, MAX_ID_BYTES, true)?;
    bounded("the actor's id", &command.actor.id, MAX_ID_BYTES, true)?;
    let id = match &command.action {
        Action::AddLead { lead, .. } => {
            bounded(
                "the lead's summary",
                &lead.summary,
                MAX_SUMMARY_CHARS,
                false,
            )?;
            printable("the lead's summary", &lead.summary)?;
            Some(("lead", lead.id.as_str()))
        }
        Action::IssueFindings { list } => Some(("finding list", list.id.as_str())),
        Action::RecordObstruction { obstruction } => Some(("obstruction", obstruction.id.as_str())),
        Action::IssueCriticism { notice } => Some(("criticism notice", notice.id.as_str())),
        Action::Enrol { enrolment } => Some(("the enrolled actor", enrolment.actor.as_str())),
        _ => None,
    };
    if let Some((what, id)) = id {
        bounded(what, id, MAX_ID_BYTES, true)?;
    }
    Ok(())
}

/// Checks a new record's id: given, printable, and not yet used.
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

    /// The authorisations recorded for `team`, in order of id (person,
    /// then level).
    pub fn authorisations_of(&self, team: &str) -> Vec<&Authorisation> {
        self.authorisations
            .values()
            .filter(|a| a.team == team)
            .collect()
    }

    /// Whether `person` is authorised on `team` at both levels, by the
    /// city's committee and by the inspected county's (市县两级授权), so
    /// that the team answers to both.
    pub fn authorised_at_both_levels(&self, team: &str, person: &str) -> bool {
        Authorisation::ids_on(team, person)
            .iter()
            .all(|id| self.authorisations.contains_key(id))
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
    pub fn check_invariants(&self) -> Result<(), Error> {
        for lead in self.leads.values() {
            let held = lead.holder.is_some() && lead.deadline.is_some();
            if lead.stage.is_final() == held {
                return Err(Error::Tampered(format!(
                    "lead {} is {} with holder {:?} and deadline {:?}",
                    lead.facts.id, lead.stage, lead.holder, lead.deadline
                )));
            }
        }
        Ok(())
    }

    /// The changes `command` makes, or why it is refused. Decides only:
    /// nothing changes until the events are applied.
    ///
    /// The ledger's own commands are decided here; a lead's go to
    /// `leads::decide` and rectification's to `rectification::decide`, and
    /// their changes are folded in by `leads::apply` and
    /// `rectification::apply`.
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
        let changes = match action {
            Action::Open {
                jurisdiction,
                policy,
                authorities,
            } => vec![self.open(command, *jurisdiction, *policy, authorities.as_deref())?],
            Action::Enrol { enrolment } => vec![self.enrol(command, enrolment)?],
            Action::Revoke { actor, key, reason } => {
                vec![self.revoke(command, actor, *key, reason)?]
            }
            Action::SetPolicy { policy } => {
                policy.check()?;
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
            Action::Authorise { authorisation } => {
                self.authorising_level(command, authorisation.by, cx.now)?;
                vec![self.authorise(authorisation, name)?]
            }
            Action::RevealPetitioner { .. }
            | Action::AddLead { .. }
            | Action::Transfer { .. }
            | Action::Report { .. }
            | Action::Receive { .. }
            | Action::Escalate { .. }
            | Action::EscalateOverdue
            | Action::Dispose { .. }
            | Action::FileCase { .. }
            | Action::Conclude { .. } => leads::decide(self, command, cx)?,
            Action::IssueFindings { .. }
            | Action::CloseItem { .. }
            | Action::EstablishRule { .. }
            | Action::ScheduleFollowUp { .. }
            | Action::LookBack { .. }
            | Action::RecordObstruction { .. }
            | Action::IssueCriticism { .. } => rectification::decide(self, command, cx)?,
        };
        Ok(changes)
    }

    /// The change opening the ledger, or why it is refused: not opened
    /// yet, a sound policy, and for a signed ledger two distinct
    /// authorities, the county's acting.
    fn open(
        &self,
        command: &Command,
        jurisdiction: Code,
        policy: DeadlinePolicy,
        authorities: Option<&crate::Authorities>,
    ) -> Result<Change, Error> {
        if let Some(code) = self.jurisdiction {
            return Err(Error::AlreadyExists {
                kind: "ledger for",
                id: code.to_string(),
            });
        }
        policy.check()?;
        if let Some(authorities) = authorities {
            if authorities.county.name() == authorities.city.name()
                || authorities.county.hash() == authorities.city.hash()
            {
                return Err(Error::WrongLevel {
                    command: command.action.name(),
                    actor: command.actor.to_string(),
                    why: "the county's and the city's keys are two keys of two names: each enrols its own level".to_owned(),
                });
            }
            if authorities.county.name() != command.actor.id {
                return Err(Error::OutOfRange {
                    what: "the actor opening a signed ledger",
                    found: command.actor.id.clone(),
                    why: format!(
                        "a signed ledger is opened by the county office whose key it pins, {}",
                        authorities.county.name()
                    ),
                });
            }
        }
        Ok(Change::Opened {
            jurisdiction,
            policy,
            authorities: authorities.map(|a| Box::new(a.clone())),
        })
    }

    /// Refuses, in a signed ledger, an authorisation by the committee of
    /// `by` recorded by an actor not enrolled at that level.
    fn authorising_level(
        &self,
        command: &Command,
        by: Level,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        if self.enrolled.is_signed() && !self.enrolled.acts_at(&command.actor, by, now) {
            return Err(Error::WrongLevel {
                command: command.action.name(),
                actor: command.actor.to_string(),
                why: format!(
                    "an authorisation by the {} committee is recorded by an actor enrolled at the {}",
                    by.as_str(),
                    by.as_str()
                ),
            });
        }
        Ok(())
    }

    /// The change enrolling `enrolment`, or why it is refused: a signed
    /// ledger, the authority of the enrolment's level acting, a key named
    /// by the actor it is for, a city-level role at the city, and the same
    /// key not enrolled for the actor already.
    fn enrol(&self, command: &Command, enrolment: &crate::Enrolment) -> Result<Change, Error> {
        self.authority_acting(command, enrolment.level)?;
        printable("the enrolled actor", &enrolment.actor)?;
        if enrolment.key.name() != enrolment.actor {
            return Err(Error::OutOfRange {
                what: "the enrolled key",
                found: enrolment.key.to_string(),
                why: format!(
                    "a key is enrolled for the actor it names, not for {}",
                    enrolment.actor
                ),
            });
        }
        if !matches!(enrolment.level, Level::City | Level::County) {
            return Err(Error::OutOfRange {
                what: "the enrolment's level",
                found: enrolment.level.as_str().to_owned(),
                why: "actors act at the city or the county".to_owned(),
            });
        }
        if enrolment.role == crate::ActorRole::SupervisionGroup && enrolment.level != Level::City {
            return Err(Error::WrongLevel {
                command: command.action.name(),
                actor: command.actor.to_string(),
                why: "supervision groups (督导组) are the city's: the city's key enrols them"
                    .to_owned(),
            });
        }
        // An actor is of one level, enrolled by one authority, and no actor
        // takes an authority's name: so no key of one level acts at the
        // other, whichever key signs.
        if let Some(authorities) = &self.enrolled.authorities
            && [&authorities.county, &authorities.city]
                .iter()
                .any(|a| a.name() == enrolment.actor)
        {
            return Err(Error::WrongLevel {
                command: command.action.name(),
                actor: command.actor.to_string(),
                why: format!(
                    "{} is an authority's name; an actor is enrolled under a name of their own",
                    enrolment.actor
                ),
            });
        }
        if let Some(other) = self
            .enrolled
            .keys
            .get(&enrolment.actor)
            .and_then(|keys| keys.iter().find(|k| k.enrolment.level != enrolment.level))
        {
            return Err(Error::WrongLevel {
                command: command.action.name(),
                actor: command.actor.to_string(),
                why: format!(
                    "{} is enrolled at the {} already; an actor acts at one level",
                    enrolment.actor,
                    other.enrolment.level.as_str()
                ),
            });
        }
        let again = self
            .enrolled
            .keys
            .get(&enrolment.actor)
            .is_some_and(|keys| {
                keys.iter()
                    .any(|k| k.enrolment.key.hash() == enrolment.key.hash() && k.revoked.is_none())
            });
        if again {
            return Err(Error::AlreadyExists {
                kind: "enrolled key",
                id: enrolment.key.to_string(),
            });
        }
        Ok(Change::Enrolled {
            enrolment: Box::new(enrolment.clone()),
        })
    }

    /// The change revoking `actor`'s key `key`, or why it is refused: the
    /// key enrolled and not yet revoked, the authority of its level acting,
    /// a reason.
    fn revoke(
        &self,
        command: &Command,
        actor: &str,
        key: u32,
        reason: &str,
    ) -> Result<Change, Error> {
        let enrolled = self
            .enrolled
            .keys
            .get(actor)
            .and_then(|keys| {
                keys.iter()
                    .find(|k| k.enrolment.key.hash() == key && k.revoked.is_none())
            })
            .ok_or_else(|| Error::NotFound {
                kind: "enrolled key in force",
                id: format!("{actor} {key:08x}"),
            })?;
        self.authority_acting(command, enrolled.enrolment.level)?;
        non_empty(reason, "revoke", "a reason", "a revocation says why")?;
        Ok(Change::Revoked {
            actor: actor.to_owned(),
            key,
            reason: reason.to_owned(),
        })
    }

    /// The authority that enrols actors of `level`, when it is the one
    /// issuing `command`; why not, otherwise.
    fn authority_acting(
        &self,
        command: &Command,
        level: Level,
    ) -> Result<&crate::VerifierKey, Error> {
        let authorities = self.enrolled.authorities.as_ref().ok_or(Error::Incomplete {
            command: command.action.name(),
            field: "authorities",
            why: "keys are enrolled in a ledger opened with authorities (`init --sign --city-key`)",
        })?;
        let authority = authorities.of(level);
        if authority.name() != command.actor.id {
            return Err(Error::WrongLevel {
                command: command.action.name(),
                actor: command.actor.to_string(),
                why: format!(
                    "actors of the {} are enrolled by {}'s key, not by another's (no county key makes a city actor)",
                    level.as_str(),
                    authority.name()
                ),
            });
        }
        Ok(authority)
    }

    /// The change recording `request`, or why it is refused: ids given and
    /// printable, the committee worked out ([`Authorisation::of`]), the
    /// same authorisation not yet recorded, and the person's other
    /// authorisation on the team (if any) for the same post and target.
    fn authorise(
        &self,
        request: &AuthorisationRequest,
        name: &'static str,
    ) -> Result<Change, Error> {
        let jurisdiction = self.jurisdiction.ok_or_else(|| Error::NotFound {
            kind: "opened ledger (run `init` first) for",
            id: name.to_owned(),
        })?;
        non_empty(
            &request.round,
            name,
            "a round",
            "an authorisation is for a round",
        )?;
        non_empty(
            &request.team,
            name,
            "a team",
            "an authorisation is for a team",
        )?;
        non_empty(
            &request.person,
            name,
            "a person",
            "an authorisation names whom it authorises",
        )?;
        printable("the team", &request.team)?;
        printable("the person", &request.person)?;
        let record = Authorisation::of(request, jurisdiction)?;
        fresh_id(
            &record.id,
            self.authorisations.contains_key(&record.id),
            name,
            "authorisation",
        )?;
        // The person's other authorisation on the team, by id (a ledger
        // reading records as commands name them holds only these).
        let other = Authorisation::ids_on(&record.team, &record.person)
            .iter()
            .filter_map(|id| self.authorisations.get(id))
            .find(|a| a.post != record.post || a.target != record.target);
        if let Some(other) = other {
            return Err(Error::OutOfRange {
                what: "the post",
                found: format!("{} of {}", record.post, record.target),
                why: format!(
                    "{} is already authorised on {} as {} of {} (by the {} committee); both levels authorise the same post on the same team",
                    record.person,
                    record.team,
                    other.post,
                    other.target,
                    other.by.as_str()
                ),
            });
        }
        Ok(Change::Authorised {
            authorisation: Box::new(record),
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
                authorities,
            } => {
                self.jurisdiction = Some(jurisdiction);
                self.policy = policy;
                self.enrolled.authorities = authorities.map(|a| *a);
            }
            Change::Enrolled { enrolment } => {
                self.enrolled
                    .keys
                    .entry(enrolment.actor.clone())
                    .or_default()
                    .push(crate::EnrolledKey {
                        enrolment: *enrolment,
                        from: now,
                        revoked: None,
                    });
            }
            Change::Revoked { actor, key, .. } => {
                let enrolled = self
                    .enrolled
                    .keys
                    .get_mut(&actor)
                    .and_then(|keys| {
                        keys.iter_mut()
                            .find(|k| k.enrolment.key.hash() == key && k.revoked.is_none())
                    })
                    .ok_or_else(|| missing("enrolled key of", &actor))?;
                enrolled.revoked = Some(now);
            }
            Change::PolicyChanged { policy } => self.policy = policy,
            Change::CheckRegistered { fingerprint, .. } => {
                self.registered_check = Some(fingerprint);
            }
            Change::LeadFound { lead } => {
                let fast = lead.fast_track;
                let team = lead.team.clone();
                // The first deadline runs from the day the team found the
                // lead (its start, in UTC), not from when it was recorded:
                // recording late does not stop the clock. A lead is never
                // found after it is recorded (`decide` refuses that).
                let found = lead
                    .found_on
                    .and_hms_opt(0, 0, 0)
                    .map_or(now, |t| t.and_utc().min(now));
                self.leads.insert(
                    lead.id.clone(),
                    Lead {
                        facts: lead,
                        stage: Stage::Found,
                        holder: Some(Holder::Team { team }),
                        deadline: policy.deadline(Stage::Found, fast, found),
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
            change @ (Change::ItemClosed { .. }
            | Change::FindingsIssued { .. }
            | Change::RuleEstablished { .. }
            | Change::FollowUpScheduled { .. }
            | Change::LookedBack { .. }
            | Change::ObstructionRecorded { .. }
            | Change::CriticismIssued { .. }) => {
                rectification::apply(self, change, now, seq)?;
            }
            Change::OverdueChecked { .. } => {}
            Change::Authorised { authorisation } => {
                if self.authorisations.contains_key(&authorisation.id) {
                    return Err(Error::Replay {
                        seq,
                        message: format!("authorisation `{}` is recorded twice", authorisation.id),
                    });
                }
                self.authorisations
                    .insert(authorisation.id.clone(), *authorisation);
            }
            mut lead_change => {
                let id = lead_change
                    .take_lead()
                    .ok_or_else(|| missing("lead for", lead_change.kind()))?;
                let lead = self
                    .leads
                    .get_mut(&id)
                    .ok_or_else(|| missing("lead", &id))?;
                leads::apply(lead, lead_change, now, &policy);
                lead.events.push(seq);
                spent = Some(id);
            }
        }
        self.events += 1;
        Ok(spent)
    }
}
