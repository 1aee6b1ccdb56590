//! Lead transfer (移交) and rectification (整改) workflows for cross
//! inspections, on a tamper-evident, durable log.
//!
//! The danger this crate removes is a lead quietly stopped by someone local.
//! Here every lead is at every moment either concluded or held by someone
//! with a deadline; every command by an actor in a role appends events to an
//! RFC 6962 Merkle log; every dual report (双汇报) carries the log's
//! checkpoint, so the city's and the county's leading groups each hold a
//! witness that a later log must prove it extends.
//!
//! ```
//! use std::sync::Arc;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use xuncha_leads::*;
//! use xuncha_org::{Code, Level};
//!
//! let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()));
//! // The office's key seals petitioners' identities; it is kept apart from
//! // the ledger (`IdentityKey::from_path`), so a copy of the file reveals none.
//! let key = IdentityKey::generate()?;
//! let mut ledger = Ledger::open(MemoryStore::new())?
//!     .with_clock(clock.clone())
//!     .with_identity_key(key);
//! let office = Actor::new("office-3506", ActorRole::InspectionOffice);
//! let leader = Actor::new("P0007", ActorRole::TeamLeader);
//! let run = |ledger: &mut Ledger<MemoryStore>, id: &str, actor: &Actor, action| {
//!     ledger.execute(&Command::new(id, actor.clone(), action), None)
//! };
//! run(&mut ledger, "c1", &office, Action::Open {
//!     jurisdiction: Code::parse("3506")?, policy: DeadlinePolicy::default(), authorities: None,
//! })?;
//! let lead = LeadFacts {
//!     id: "L-001".into(), round: "2026-1".into(), team: "2026-1/350628".into(),
//!     target: Code::parse("350628")?, persons: vec!["某某".into()], units: vec![],
//!     summary: "村级工程款去向不明".into(),
//!     source: LeadSource::Petition { channel: PetitionChannel::Visit, reference: None },
//!     found_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), fast_track: false, found_from: Vec::new(),
//! };
//! run(&mut ledger, "c2", &leader, Action::AddLead { lead, petitioner: Some("张某 138…".into()) })?;
//! run(&mut ledger, "c3", &leader, Action::Transfer {
//!     lead: "L-001".into(), body: Body::DisciplineCommission, level: Level::County,
//! })?;
//! // The transfer is complete only once reported to both levels.
//! let witness = run(&mut ledger, "c4", &office, Action::Report {
//!     lead: "L-001".into(), to: ReportRecipient::CityLeadingGroup,
//! })?.checkpoint;
//! assert!(!ledger.state().lead("L-001")?.dual_reported());
//! // Eight days on, nobody has reported to the county: the lead is overdue.
//! clock.advance(chrono::Duration::days(8));
//! let overdue = ledger.state().overdue(clock.now());
//! assert_eq!(overdue[0].lead, "L-001");
//! // The city's witness can check that the log still holds what it saw.
//! assert!(ledger.prove_extends(&witness)?.verify());
//! ledger.verify()?;
//! // The city keeps a witness of this ledger, fed at each report: a later
//! // truncation or rewrite of anything it saw fails `check_witness`.
//! let mut city = Witness::new(ledger.log_id().unwrap(), "漳州市 leading group");
//! ledger.witness(&mut city, clock.now())?;
//! ledger.check_witness(&city)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`Ledger`]: executes [`Command`]s (an id, an [`Actor`] in an
//!   [`ActorRole`], an [`Action`]), appends [`Event`]s to a [`Store`],
//!   rebuilds the [`State`] by replay; [`Ledger::verify`], inclusion proofs
//!   for one lead's events ([`Ledger::prove_lead`]) and consistency proofs
//!   against a witness ([`Ledger::prove_extends`]).
//! - [`Lead`]: the lifecycle found → transferred → received → disposed
//!   ([`Disposal`]) → case filed → concluded ([`Outcome`]); deadlines from a
//!   [`DeadlinePolicy`]; escalation (提级); handlers refused by a
//!   [`HandlerCheck`] such as [`AvoidanceCheck`] (xuncha-avoid's rules).
//! - [`FindingList`]: rectification closed item by item, rules established,
//!   follow-ups, look-backs that reopen items, obstructions and criticism
//!   notices; [`check_totals`] for submitted tables that contradict their
//!   own totals.
//! - [`merkle`]: RFC 6962 hashing and proofs; [`Checkpoint`].
//! - Stores: [`MemoryStore`] and [`SqliteStore`] (feature `sqlite`).
//! - [`export`]: JSON, CSV and `.xlsx` (feature `xlsx`) of the log and the
//!   state, never with a petitioner's identity.
//!
//! The repository's `docs/leads.md` describes the workflow, the log and its
//! guarantees; `docs/formats.md` the stored event and export formats.
//!
//! # Crate features
//!
//! - `sqlite` (default): the `SQLite` store, with `SQLite` bundled.
//! - `xlsx` (default): `.xlsx` exports.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

mod actor;
mod authorisation;
mod checkpoint;
mod clock;
mod clusters;
mod command;
mod command_index;
mod conflict;
mod enrolment;
mod error;
mod event;
pub mod export;
mod identity;
mod lead;
mod ledger;
pub mod merkle;
mod policy;
mod proof;
mod rectify;
mod redecide;
mod signing;
pub mod snapshot;
#[cfg(feature = "sqlite")]
mod sqlite;
mod state;
mod statemap;
mod store;
mod timefmt;
mod totals;
mod verify;
pub use verify::verify_store;
mod witness;

pub use actor::{Actor, ActorRole, ParseRoleError};
pub use authorisation::{Authorisation, AuthorisationRequest, TeamPost};
pub use checkpoint::{Checkpoint, ParseCheckpointError};
pub use clock::{Clock, ManualClock, SystemClock};
pub use clusters::{ClusterLink, LeadCluster, LinkReason, clusters};
pub use command::{Action, Command};
pub use conflict::{AvoidanceCheck, CheckedElsewhere, HandlerCheck};
pub use enrolment::{Authorities, Enrolled, EnrolledKey, Enrolment};
pub use error::{Error, StoreFailure};
pub use event::{Change, EVENT_VERSION, EscalationReason, Event};
pub use identity::IdentityKey;
pub use lead::{
    Body, Disposal, Holder, Lead, LeadFacts, LeadSource, Outcome, Report, ReportRecipient,
    SanctionKind, Stage,
};
pub use ledger::{Appender, Ledger, Receipt};
pub use policy::{DeadlinePolicy, MAX_STAGE_DAYS, POLICY_VERSION, StageDays};
pub use proof::{ConsistencyProof, InclusionProof, ProvenEvent, VerifyReport};
pub use rectify::{
    CriticismNotice, FindingItem, FindingItemFacts, FindingList, FindingListFacts, FollowUp,
    ItemStatus, Obstruction, ObstructionKind, Reopening,
};
pub use signing::{
    ParseKeyError, Signature, SignedCommand, SigningKey, VerifierKey, command_message,
};
#[cfg(feature = "sqlite")]
pub use sqlite::{BUSY_TIMEOUT, SCHEMA_VERSION, SqliteStore};
pub use state::{Context, MAX_ID_BYTES, MAX_SUMMARY_CHARS, OverdueItem, OverdueLead, State};
pub use store::{MemoryStore, Store, Visit, VisitRecord};
pub use totals::{
    TableCheck, TotalMismatch, check_table, check_table_reader, check_totals, check_totals_reader,
};
pub use witness::{Seen, WITNESS_VERSION, Witness, WitnessReport};
pub use xuncha_org::ErrorKind;
pub use xuncha_org::fxhash::{FxHashMap, FxHasher};
/// How a petition arrived: the round's vocabulary (`xuncha-round`).
pub use xuncha_round::PetitionChannel;
