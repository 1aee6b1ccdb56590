//! The assignment engine for cross inspections (交叉巡察): rotation between
//! counties (推磨式) and exact minimum-cost flows.
//!
//! ```
//! use xuncha_assign::plan_rotation;
//! use xuncha_org::{Hierarchy, Level};
//!
//! let fujian = Hierarchy::fujian();
//! let zhangzhou: Vec<_> = fujian.lookup("3506")?.children().map(|c| c.code()).collect();
//! let rotation = plan_rotation(&zhangzhou, &[], 0x5eed)?;
//! // One cycle: every county inspects exactly one other and is inspected by one.
//! assert_eq!(rotation.pairs().len(), 11);
//! assert!(rotation.pairs().iter().all(|(a, b)| a != b));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Should I be using this crate?
//!
//! It is the engine of the [xuncha](https://docs.rs/xuncha) toolkit. Use it
//! directly for rotations or as a minimum-cost flow solver; to plan
//! inspections, depend on the `xuncha` facade.
//!
//! # Overview
//!
//! - [`plan_rotation`]: a single cycle over a set of counties, so that no
//!   county inspects itself and no two inspect each other, avoiding recent
//!   pairings, drawn uniformly for a seed; a typed [`Error::NoRotation`]
//!   saying which constraint made it impossible.
//! - [`Round`]: targets and team specs ([`TeamSpec`], [`Composition`]),
//!   from TOML or JSON.
//! - [`staff`]: the optimal [`Plan`] under [`Objective`], exactly, as one
//!   minimum-cost flow per city; [`Error::Infeasible`] with an
//!   [`Infeasibility`] (a Hall violator from a minimum cut) otherwise, which
//!   [`Infeasibility::confirm`] re-checks without the solver.
//! - [`staff_randomized`] and [`FractionalPlan`]: a cap on the probability
//!   that anyone serves on any team, the best fractional plan under the
//!   caps, and integral draws with exactly its marginals (dependent
//!   rounding), from a seed recorded in the plan ([`seed_from_text`] for a
//!   seed announced in advance); the price of randomness in
//!   [`Randomization`].
//! - [`replan`] and [`Replanner`]: after a withdrawal, an addition or a
//!   late conflict, the best plan with a cost on every change, warm-started
//!   from the previous flow, with a typed [`PlanDiff`].
//! - Alternates (候补): [`StaffOptions::alternates`] per team, in
//!   [`TeamPlan::alternates`].
//! - [`verify`]: every hard constraint of a plan, re-checked independently
//!   of the solver.
//! - [`plan_term`]: term coverage (巡察全覆盖): every village cluster
//!   ([`cluster_villages`]), township or unit of a jurisdiction in exactly
//!   one round of a term, balanced, each round's rotation valid;
//!   [`replan_term`] for mid-term changes, [`term_progress`], and the
//!   independent [`check_term`].
//! - [`flow`]: the crate `xuncha-flow`, re-exported: the minimum-cost flow
//!   problem ([`flow::FlowNetwork`], with DIMACS export and import), the
//!   [`flow::NetworkSimplex`] engine and the
//!   [`flow::SuccessiveShortestPaths`] oracle, behind [`flow::MinCostFlow`].
//!   It knows nothing of inspections; embed it alone for other flows.
//!
//! The repository's `docs/assignment.md` describes the network, the
//! objective, and which policies are exact flows.
//!
//! # Crate features
//!
//! None.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

mod cluster;
mod error;
pub use xuncha_flow as flow;
mod origin_cap;
mod randomized;
mod replan;
mod rotation;
mod rounding;
mod staffing;
mod term;
mod verify;

pub use cluster::{Cluster, cluster_villages};
pub use error::{Error, RotationBlock};
pub use randomized::{FractionalPlan, Marginal, RandomOptions, seed_from_text, staff_randomized};
pub use replan::{Change, Move, PlanDiff, Post, Replan, ReplanOptions, Replanner, replan};
pub use rotation::{Rotation, plan_rotation};
pub use staffing::{
    BlockedSlots, GroupNetwork, Infeasibility, NAMED_CANDIDATES, SlotKind, StaffOptions, staff,
    staffing_networks,
};
pub use term::{
    GroupProgress, LevelProgress, RoundProgress, Scheduled, TERM_VERSION, TermChange, TermLevel,
    TermProgress, TermRound, TermSchedule, TermSpec, TermTarget, check_term, plan_term,
    replan_term, term_progress, term_targets, term_targets_at,
};
pub use verify::{Violation, placement_problems, verify};
/// The flow solver's error (`xuncha_flow::Error`).
pub use xuncha_flow::Error as FlowError;
pub use xuncha_org::ErrorKind;
/// The round's vocabulary (`xuncha-round`), which the solver fills.
pub use xuncha_round::{
    Assignment, Composition, CostTerms, Decimal, InspectionMode, Objective, OriginCap,
    PLAN_CSV_COLUMNS, PLAN_VERSION, PairCap, Plan, Pool, Randomization, Round, RoundTarget, SCALE,
    SkillRequirement, TeamPlan, TeamSpec, distance,
};
