//! The shared vocabulary of a cross-inspection round (轮), below the
//! solver, the ledger and the statistics: what a round asks for, what a
//! plan says, how its cost is counted, and the petitions its teams
//! receive, with their file formats.
//!
//! ```
//! use xuncha_round::{InspectionMode, Round};
//!
//! let round = Round::from_toml_str(r#"
//!     version = 1
//!     id = "2026-1"
//!     date = "2026-03-01"
//!     [[targets]]
//!     target = "350628"
//! "#)?;
//! assert_eq!(round.mode, InspectionMode::Cross);
//! assert_eq!("交叉巡察".parse::<InspectionMode>()?, InspectionMode::Cross);
//! # Ok::<(), xuncha_round::Error>(())
//! ```
//!
//! # What is here
//!
//! - [`Round`], [`TeamSpec`], [`RoundTarget`], [`Pool`], [`Composition`],
//!   [`OriginCap`], [`SkillRequirement`], [`InspectionMode`]: a round and its
//!   teams, read from TOML or JSON (`docs/formats.md` of the repository).
//! - [`DrawnFrom`], [`Department`], [`Drawing`], [`Accompanies`],
//!   [`TeamKind`]: the forms of round: whom an elevated or counterpart
//!   round draws, the inspection a synchronised round accompanies, and the
//!   supervision groups (督导组) that oversee the teams
//!   ([`Round::check_forms`]).
//! - [`Plan`], [`TeamPlan`], [`Assignment`]: a staffed round, as JSON and
//!   CSV; [`Randomization`], [`Decimal`], [`PairCap`]: what a randomized
//!   draw records.
//! - [`Objective`], [`CostTerms`], [`distance`]: how a plan's cost is
//!   counted.
//! - [`Petition`], [`PetitionChannel`]: letters, calls and visits, as CSV.
//!
//! The solver (`xuncha-assign`) fills rounds; the ledger (`xuncha-leads`)
//! records petitions' channels; the statistics (`xuncha-stats`) count plans
//! and petitions. Each depends on this crate, not on the others.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

#![forbid(unsafe_code)]

mod draw;
mod error;
mod forms;
mod objective;
mod petition;
mod plan;
mod round;

pub use draw::{Decimal, PairCap, Randomization, SCALE};
pub use error::Error;
pub use forms::{
    Accompanies, DISCIPLINE_COMMISSION, Department, Drawing, DrawnFrom, MOBILE_DAYS,
    SUPERVISION_LEADER_RANK, TeamKind,
};
pub use objective::{CostTerms, Objective, distance};
pub use petition::{
    PETITION_CSV_COLUMNS, Petition, PetitionChannel, channel_name, mode_name, parse_mode,
};
pub use plan::{Assignment, PLAN_CSV_COLUMNS, PLAN_VERSION, Plan, TeamPlan, one_or_many};
pub use round::{
    Admission, Composition, InspectionMode, OriginCap, Pool, PoolIndex, Round, RoundTarget,
    Selection, SkillRequirement, TeamSpec, Theme, read_pairings_csv, read_pairings_csv_path,
};
pub use xuncha_org::ErrorKind;
