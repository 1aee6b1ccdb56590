//! Plan and check cross inspections (交叉巡察) in Chinese local government.
//!
//! In a cross inspection the people of county A inspect county B, B
//! inspects C and so on round the city (推磨式), so that local ties cannot
//! soften what is found. Every inspector is kept away from where they live,
//! work, held a post or grew up (四回避) and from where their relatives
//! work. This crate gathers the toolkit: the division hierarchy, the
//! avoidance rules, and the engine that staffs the teams exactly and proves
//! when it cannot.
//!
//! # A round, end to end
//!
//! Load the embedded Fujian hierarchy, generate a roster, take the default
//! rules, plan the rotation in 漳州市, staff the teams, verify the plan, and
//! explain why one person was kept off one team:
//!
//! ```
//! use chrono::NaiveDate;
//! use xuncha::prelude::*;
//!
//! let fujian = Hierarchy::fujian();
//! let units = Units::default();
//! let date = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a valid date");
//! // A synthetic roster (xuncha-synth); offices load theirs with Roster::from_csv_path.
//! let roster = xuncha_synth::RosterSpec::new(3_000, 0x5eed, date).roster(&fujian, &units)?;
//! let engine = Engine::new(&fujian, &units, RuleSet::default());
//!
//! // The rotation between 漳州市's eleven counties (推磨式); whole-team
//! // crossings (成建制交叉) follow one like it.
//! let zhangzhou: Vec<Code> = fujian.lookup("3506")?.children().map(|c| c.code()).collect();
//! let rotation = plan_rotation(&zhangzhou, &[], 0x5eed)?;
//! assert_eq!(rotation.pairs().len(), 11);
//!
//! // A round over those counties: Longyan teams of seven.
//! let round = Round::cross("zhangzhou-2026-1", date, zhangzhou.iter().copied());
//! let plan = staff(&engine, &roster, &round, &StaffOptions::default())?;
//! assert_eq!(plan.teams.len(), 11);
//! assert!(verify(&plan, &round, &roster, &engine).is_empty());
//!
//! // Why was someone from 平和县 kept off the 平和县 team as a member?
//! let pinghe = Target::Division(Code::parse("350628")?);
//! let local = roster
//!     .people()
//!     .iter()
//!     .find(|p| p.origin == Code::parse("350628").expect("valid") && !engine.check(p, &pinghe, Role::Member, date).is_allowed())
//!     .expect("someone from 平和县");
//! let verdict = engine.check(local, &pinghe, Role::Member, date);
//! for conflict in verdict.hard() {
//!     println!("{}: {}", conflict.rule, conflict.explanation.zh);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The workspace
//!
//! | module | crate | what it holds |
//! |---|---|---|
//! | [`org`] | `xuncha-org` | the five-level division hierarchy, codes and their history, units |
//! | [`avoid`] | `xuncha-avoid` | rosters, avoidance rules as data, conflicts with explanations, whole-roster indexes |
//! | [`assign`] | `xuncha-assign` | rotations, exact staffing by minimum-cost flow, infeasibility certificates, plans, verification |
//! | [`leads`] | `xuncha-leads` | lead transfer and rectification on a tamper-evident log |
//! | [`stats`] | `xuncha-stats` | metrics with written definitions, rate-ratio intervals, reports with charts |
//!
//! The `xuncha` command (crate `xuncha-cli`) puts all of it on the shell:
//! `xuncha demo`, `plan`, `verify`, `explain`, `rotate`, `roster generate`
//! and `org`.
//!
//! # Crate features
//!
//! - `embedded-fujian` (default): Fujian's divisions compiled in.
//! - `embedded-national` (default): the whole country compiled in
//!   (`Hierarchy::national`, 4 MB of zstd).
//! - `avoid` (default): the [`avoid`] module.
//! - `round` (default, implies `avoid`): the [`round`] module, the round's
//!   vocabulary and its files.
//! - `flow` (default): the [`flow`] module, minimum-cost flows (also on
//!   petgraph graphs).
//! - `assign` (default, implies `round` and `flow`): the [`assign`] module.
//! - `leads` (default, implies `round`): the [`leads`] module, with its
//!   `SQLite` store and `.xlsx` exports.
//! - `stats` (default, implies `round` and `leads`): the [`stats`] module.
//! - `synth` (implies `round` and `leads`): the `synth` module, synthetic
//!   rosters and seasons.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

#[doc(inline)]
pub use xuncha_org as org;

#[cfg(feature = "avoid")]
#[doc(inline)]
pub use xuncha_avoid as avoid;

#[cfg(feature = "round")]
#[doc(inline)]
pub use xuncha_round as round;

#[cfg(feature = "flow")]
#[doc(inline)]
pub use xuncha_flow as flow;

#[cfg(feature = "assign")]
#[doc(inline)]
pub use xuncha_assign as assign;

#[cfg(feature = "leads")]
#[doc(inline)]
pub use xuncha_leads as leads;

#[cfg(feature = "stats")]
#[doc(inline)]
pub use xuncha_stats as stats;

#[cfg(feature = "synth")]
#[doc(inline)]
pub use xuncha_synth as synth;

#[doc(inline)]
pub use xuncha_org::{Code, Hierarchy, Level, Units};

#[cfg(feature = "avoid")]
#[doc(inline)]
pub use xuncha_avoid::{Engine, Roster, RuleSet};

#[cfg(feature = "assign")]
#[doc(inline)]
pub use xuncha_assign::{Plan, Round, staff, verify};

/// The names a program that plans inspections uses most, to import at once:
/// `use xuncha::prelude::*;`.
pub mod prelude {
    pub use xuncha_org::{Code, Division, Hierarchy, Level, Unit, UnitId, Units};

    #[cfg(feature = "avoid")]
    pub use xuncha_avoid::{
        Engine, Person, PersonId, Place, Role, Roster, RuleSet, Target, Verdict,
    };

    #[cfg(feature = "assign")]
    pub use xuncha_assign::{
        Composition, InspectionMode, Plan, Pool, Round, RoundTarget, StaffOptions, TeamSpec,
        plan_rotation, staff, verify,
    };

    #[cfg(feature = "leads")]
    pub use xuncha_leads::{
        Action, Actor, ActorRole, AvoidanceCheck, Checkpoint, Command, DeadlinePolicy, FindingList,
        Lead, LeadFacts, Ledger, MemoryStore, SqliteStore,
    };

    #[cfg(feature = "stats")]
    pub use xuncha_stats::{By, DateRange, Petition, Records, Report, Rounds, aggregate, compare};
}
