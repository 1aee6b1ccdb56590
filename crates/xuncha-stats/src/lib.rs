//! Statistics and reports for cross inspections (交叉巡察): the numbers
//! inspection offices report upward, computed from the real records with
//! one written definition each, compared between groups with honest
//! intervals, and shown as tables and charts.
//!
//! ```
//! use xuncha_stats::{rate_ratio_exact, rate_ratio_wald};
//! // R's rateratio.test example: 2 events over 17,877 against 9 over 16,660.
//! let exact = rate_ratio_exact(2, 17_877.0, 9, 16_660.0, 0.95).expect("events");
//! let wald = rate_ratio_wald(2, 17_877.0, 9, 16_660.0, 0.95).expect("events");
//! assert!(exact.contains(1.0));  // 0.0218 to 1.0005
//! assert!(!wald.contains(1.0));  // 0.0447 to 0.9586
//! ```
//!
//! # Should I be using this crate?
//!
//! It is for offices and tools that compute the statistics of inspections
//! from a lead ledger. Everyone else should use the
//! [xuncha](https://docs.rs/xuncha) facade, or the `xuncha stats` command.
//!
//! # Overview
//!
//! - [`Records`]: the inputs, read and never written: the ledger's decoded
//!   [`xuncha_leads::Event`]s, [`Petition`]s (read from the petitions CSV),
//!   [`Rounds`] (what plans and round files say of each round: its mode
//!   and its teams), and optionally a [`xuncha_org::Hierarchy`] for
//!   coverage.
//! - [`aggregate`]: one pass into a [`Table`] of [`GroupStats`] grouped
//!   [`By`] city, county, round, team or mode over a [`DateRange`]:
//!   [`Counts`] of every [`Metric`], [`Exposure`], completion rates with
//!   Wilson and Clopper–Pearson intervals, [`Coverage`].
//! - [`compare`]: a [`Comparison`] of two groups: [`RateRatio`]s per
//!   group, per unit inspected and per inspection day, each with its
//!   counts, exposures, the exact conditional interval
//!   ([`rate_ratio_exact`]) and the log-scale Wald interval
//!   ([`rate_ratio_wald`]).
//! - [`Report`]: everything a report shows, written as JSON, CSV, Markdown,
//!   a plain-text table, or a self-contained HTML page with SVG charts.
//!
//! Every metric's definition (what is counted, from which event, at which
//! date) is in the repository's `docs/metrics.md`; the petitions CSV and the
//! report formats are in `docs/formats.md`. A rate whose denominator is
//! zero is undefined: `None` in Rust and JSON, "undefined" in text; never
//! NaN, never a panic.
//!
//! # Crate features
//!
//! None.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

mod aggregate;
mod compare;
mod error;
mod group;
mod interval;
mod lead_index;
mod metric;
mod petition;
mod records;
pub mod report;
mod rounds;
mod special;

pub use aggregate::{Coverage, Exposure, GroupStats, LEVEL, Table, aggregate};
pub use compare::{Comparison, Per, RateRatio, compare, ratio_of};
pub use error::Error;
pub use group::{By, DateRange, UNKNOWN};
pub use interval::{
    Interval, Method, clopper_pearson, rate_ratio, rate_ratio_exact, rate_ratio_wald, wilson,
};
pub use metric::{Counts, Metric};
pub use petition::{PETITION_CSV_COLUMNS, Petition, channel_name, mode_name, parse_mode};
pub use records::{DEFAULT_DAYS_PER_TEAM, Records};
pub use report::Report;
pub use rounds::{RoundInfo, Rounds, TeamTarget};
