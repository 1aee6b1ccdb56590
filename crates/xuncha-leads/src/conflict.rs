//! Conflicts of interest between a handler and what a lead implicates,
//! under xuncha-avoid's rules.

use chrono::NaiveDate;
use xuncha_avoid::{Engine, Person, Place, Relative, Role, Roster, Target};

use sha2::{Digest as _, Sha256};

use crate::merkle::Hash;
use crate::{Error, LeadFacts};

/// Decides whether a handler may receive a lead.
///
/// The ledger calls it on every `receive`; a non-empty answer refuses the
/// handler and escalates the lead (提级). Each line of the answer explains
/// one conflict and is written to the log.
pub trait HandlerCheck {
    /// What the check is based on, as a hash: for [`AvoidanceCheck`], its
    /// roster and rules. The ledger accepts a `receive` only with the check
    /// whose fingerprint was registered, and records the fingerprint with
    /// every decision, so a handler cannot bring a roster of their own.
    fn fingerprint(&self) -> Hash;

    /// The conflicts between `handler` and the persons and units `lead`
    /// implicates, on `date`; empty when there are none.
    fn conflicts(
        &self,
        handler: &str,
        lead: &LeadFacts,
        date: NaiveDate,
    ) -> Result<Vec<String>, Error>;
}

/// A check that finds no conflicts, for records whose handlers were checked
/// outside this ledger: a migration from another system, or a synthetic
/// season. The ledger still records who received each lead.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckedElsewhere;

impl CheckedElsewhere {
    /// The fingerprint of [`CheckedElsewhere`]: a ledger must register it
    /// (as any check) before handlers are received under it.
    pub fn fingerprint() -> Hash {
        Hash(Sha256::digest(b"xuncha: handlers checked elsewhere").into())
    }
}

impl HandlerCheck for CheckedElsewhere {
    fn fingerprint(&self) -> Hash {
        CheckedElsewhere::fingerprint()
    }

    fn conflicts(&self, _: &str, _: &LeadFacts, _: NaiveDate) -> Result<Vec<String>, Error> {
        Ok(Vec::new())
    }
}

/// The conflict check of xuncha-avoid: a handler, looked up in a roster, is
/// refused when
/// - they are one of the implicated persons;
/// - a hard rule keeps them from an implicated unit or division (as it
///   would keep an ordinary team member from inspecting it: the four
///   avoidances, relatives, declared conflicts);
/// - an implicated person is their relative (by name), or they are the
///   implicated person's relative;
/// - a hard rule keeps them from where an implicated person (in the
///   roster) works.
///
/// ```
/// use xuncha_avoid::{Engine, Person, Place, Roster, RuleSet};
/// use xuncha_leads::{AvoidanceCheck, HandlerCheck, LeadFacts, LeadSource};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::default();
/// let mut handler = Person::new("H1", "陈明", Code::parse("350602")?);
/// handler.workplace = Some(Place::Division(Code::parse("350628")?));
/// let roster = Roster::new(vec![handler], &fujian, &units)?;
/// let engine = Engine::new(&fujian, &units, RuleSet::default());
/// let check = AvoidanceCheck::new(&engine, &roster);
/// let lead = LeadFacts {
///     id: "L1".into(), round: "R".into(), team: "R/350628".into(),
///     target: Code::parse("350628")?, persons: vec![], units: vec!["350628".into()],
///     summary: "…".into(), source: LeadSource::Interview,
///     found_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), fast_track: false, found_from: Vec::new(),
/// };
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// assert!(!check.conflicts("H1", &lead, date)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AvoidanceCheck<'a> {
    engine: &'a Engine<'a>,
    roster: &'a Roster,
    fingerprint: Hash,
}

impl<'a> AvoidanceCheck<'a> {
    /// A check of handlers in `roster` under `engine`'s rules.
    pub fn new(engine: &'a Engine<'a>, roster: &'a Roster) -> AvoidanceCheck<'a> {
        AvoidanceCheck {
            engine,
            roster,
            fingerprint: AvoidanceCheck::fingerprint_of(engine, roster),
        }
    }

    /// The fingerprint of a check of `roster` under `engine`'s rules:
    /// SHA-256 over the people in order (every fact the rules read), the
    /// rules, the units (where each unit lies) and the name of the
    /// divisions' source, as JSON. The same inputs give the same
    /// fingerprint whether the roster came from CSV or JSON; a change to a
    /// person's facts, a rule or a unit's place gives another. An engine
    /// with an acquaintance graph adds its people (roster and officials,
    /// every fact ties are found from), so a changed officials file gives
    /// another fingerprint too.
    pub fn fingerprint_of(engine: &Engine<'_>, roster: &Roster) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(b"xuncha avoidance check v1\n");
        for part in [
            serde_json::to_vec(roster.people()),
            serde_json::to_vec(engine.rules()),
            serde_json::to_vec(engine.units()),
            serde_json::to_vec(engine.hierarchy().source()),
        ] {
            hasher.update(part.unwrap_or_default());
            hasher.update(b"\n");
        }
        if let Some(graph) = engine.ties() {
            hasher.update(b"ties\n");
            hasher.update(serde_json::to_vec(&graph.records()).unwrap_or_default());
            hasher.update(b"\n");
        }
        Hash(hasher.finalize().into())
    }

    fn person(&self, id_or_name: &str) -> Option<&'a Person> {
        self.roster
            .get(&id_or_name.into())
            .or_else(|| self.roster.people().iter().find(|p| p.name == id_or_name))
    }

    fn hard(&self, handler: &Person, target: &Target, date: NaiveDate, what: &str) -> Vec<String> {
        self.engine
            .check(handler, target, Role::Member, date)
            .hard()
            .map(|c| format!("{what}: {} [{}]", c.explanation.zh, c.rule))
            .collect()
    }
}

impl HandlerCheck for AvoidanceCheck<'_> {
    fn fingerprint(&self) -> Hash {
        self.fingerprint
    }

    fn conflicts(
        &self,
        handler: &str,
        lead: &LeadFacts,
        date: NaiveDate,
    ) -> Result<Vec<String>, Error> {
        let person = self
            .roster
            .get(&handler.into())
            .ok_or_else(|| Error::UnknownHandler {
                handler: handler.to_owned(),
            })?;
        let mut found = Vec::new();
        for unit in &lead.units {
            if let Ok(target) = unit.parse::<Target>() {
                found.extend(self.hard(person, &target, date, &format!("implicated unit {unit}")));
            }
        }
        for implicated in &lead.persons {
            let other = self.person(implicated);
            let names = [Some(implicated.as_str()), other.map(|p| p.name.as_str())];
            if person.id.as_str() == implicated || names.contains(&Some(person.name.as_str())) {
                found.push(format!("the handler is the implicated person {implicated}"));
                continue;
            }
            for relative in &person.relatives {
                let by_id = relative
                    .id
                    .as_ref()
                    .is_some_and(|id| id.as_str() == implicated);
                if by_id || names.contains(&Some(relative.name.as_str())) {
                    found.push(format!(
                        "implicated person {implicated} is the handler's {} ({})",
                        relative.chinese(),
                        relative.name
                    ));
                }
            }
            let Some(other) = other else { continue };
            let is_handler =
                |r: &&Relative| r.name == person.name || r.id.as_ref() == Some(&person.id);
            if let Some(relative) = other.relatives.iter().find(is_handler) {
                found.push(format!(
                    "the handler is implicated person {implicated}'s {} ({})",
                    relative.chinese(),
                    relative.name
                ));
            }
            if let Some(workplace) = &other.workplace {
                let target = match workplace {
                    Place::Division(code) => Target::Division(*code),
                    Place::Unit(id) => Target::Unit(id.clone()),
                };
                found.extend(self.hard(
                    person,
                    &target,
                    date,
                    &format!("workplace of implicated person {implicated}"),
                ));
            }
        }
        Ok(found)
    }
}
