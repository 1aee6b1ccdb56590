//! Avoidance rules (回避) for cross inspections: who may not inspect what,
//! and why.
//!
//! ```
//! use chrono::NaiveDate;
//! use xuncha_avoid::{Engine, Person, Place, Post, Role, RuleSet, Target};
//! use xuncha_org::{Code, Hierarchy, Units};
//!
//! let fujian = Hierarchy::fujian();
//! let units = Units::default();
//! let engine = Engine::new(&fujian, &units, RuleSet::default());
//!
//! // A post held in 龙海市 (350681) in 2016 still blocks 龙海区 (350604).
//! let mut chen = Person::new("P7", "陈明", Code::parse("350602")?);
//! chen.posts.push(Post {
//!     place: Place::Division(Code::parse("350604")?),
//!     title: "副镇长".into(),
//!     from: NaiveDate::from_ymd_opt(2016, 1, 1),
//!     to: NaiveDate::from_ymd_opt(2018, 12, 31),
//! });
//! let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date");
//! let verdict = engine.check(&chen, &Target::Division(Code::parse("350604")?), Role::Leader, today);
//! assert!(!verdict.is_allowed());
//! println!("{}", verdict.conflicts[0].explanation.zh);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Should I be using this crate?
//!
//! This is the rule layer of the [xuncha](https://docs.rs/xuncha) toolkit
//! for cross inspections (交叉巡察). Use it directly to check people against
//! targets, or to build your own assignment on top; if you are planning
//! inspections, depend on the `xuncha` facade, which re-exports it as
//! `xuncha::avoid`.
//!
//! # Overview
//!
//! - [`Roster`] of [`Person`]s (巡察人才库): origin county, residence,
//!   workplace, posts held, places of upbringing, relatives and their posts,
//!   declared conflicts, past inspections, rank and skills. Loaded from CSV
//!   (one row a person, lists separated by `;`) or JSON; old codes are
//!   resolved through the hierarchy's code history.
//! - [`RuleSet`] of [`Rule`]s, loadable from TOML: the fact a rule looks at,
//!   its [`Scope`] (county by default), [`Window`], [`Severity`] and the
//!   [`Role`]s it applies to. The default is the four avoidances (四回避),
//!   kinship, declared conflicts and recent inspections, with residence and
//!   workplace at county scope lifted for the Longyan deputy leader and
//!   liaison.
//! - [`Engine::check`] returns a [`Verdict`]: every [`Conflict`], with its
//!   rule, the fact, the matched place and an [`Explanation`] in Chinese and
//!   English.
//! - [`ConflictIndex`]: a whole roster against a whole target set, built
//!   from the facts through range queries on the hierarchy's pre-order; O(1)
//!   "may p serve on t in role r".
//!
//! # How a fact meets a target
//!
//! A rule widens the fact's place to its scope (a township to its county at
//! county scope) and conflicts with every target that overlaps the result:
//! lies within it or contains it. A fact recorded above the scope (a
//! workplace in the city government at county scope) blocks nothing under
//! that rule. At `place` scope the place is taken as recorded and blocks
//! itself and what lies within it; at `unit` scope it is an organisation
//! (a unit and its child units, or a division's own government) and blocks
//! only that. See [`Scope`].
//!
//! # Crate features
//!
//! None. The examples use xuncha-org's `embedded-fujian` feature.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

mod engine;
mod error;
mod fact;
mod index;
mod kinship;
mod officials;
mod parts;
mod person;
mod place;
mod role;
mod roster;
mod rule;
mod ties;

pub use engine::{Conflict, Engine, Explanation, Verdict};
pub use error::{Error, Result, RosterProblem};
pub use fact::Fact;
pub use index::ConflictIndex;
pub use kinship::{Kinship, KinshipClass};
pub use officials::{OFFICIAL_COLUMNS, Official, Officials};
pub use person::{DeclaredConflict, PastInspection, Person, PersonId, Post, Rank, Relative, Skill};
pub use place::{Place, Target};
pub use role::{Role, RoleSet};
pub use roster::{CSV_COLUMNS, Roster};
pub use rule::{FactKind, Rule, RuleSet, Scope, Severity, Window};
pub use ties::{
    PostRef, Tie, TieEvidence, TieGraph, TieKind, TiePath, TiePerson, TieRecord, TieSpec, TieStep,
    is_leading_title,
};
pub use xuncha_org::ErrorKind;
