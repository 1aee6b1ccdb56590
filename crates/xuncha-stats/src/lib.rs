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
//! # Usage
//!
//! A synthetic season (xuncha-synth) on an in-memory ledger, its petitions,
//! the statistics by county, and cross inspection against a regular round:
//!
//! ```
//! use std::sync::Arc;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use xuncha_round::InspectionMode;
//! use xuncha_leads::{IdentityKey, Ledger, ManualClock, MemoryStore};
//! use xuncha_org::Code;
//! use xuncha_stats::{By, DateRange, Metric, Records, Report, Rounds, aggregate};
//! use xuncha_synth::SeasonSpec;
//!
//! let counties = vec![Code::parse("350602")?, Code::parse("350628")?];
//! let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let spec = SeasonSpec::new(7, Code::parse("3506")?, counties, start);
//! let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()));
//! let mut ledger = Ledger::open(MemoryStore::new())?
//!     .with_clock(clock.clone())
//!     .with_identity_key(IdentityKey::generate()?);
//! spec.season().apply(&mut ledger, &clock)?;
//! let events = ledger.events()?;
//! let petitions = spec.petitions(50, None);
//! let mut rounds = Rounds::default();
//! rounds.set_mode(&spec.round, InspectionMode::Cross);
//!
//! let records = Records::new(&events)
//!     .with_state(ledger.state())
//!     .with_petitions(&petitions)
//!     .with_rounds(&rounds);
//! let table = aggregate(&records, By::County, &DateRange::all());
//! assert_eq!(table.groups.len(), 2);
//! assert_eq!(table.total.counts.leads_found, 80);
//! assert_eq!(table.total.counts.petitions(), 100);
//! let rate = table.total.completion_rate.expect("items were issued");
//! assert!(table.total.completion_wilson.unwrap().contains(rate));
//!
//! // By mode, the report compares cross with regular when both exist;
//! // here there is no regular round, so there is no comparison.
//! let report = Report::build(&records, By::Mode, DateRange::all(), None);
//! assert!(report.comparison.is_none());
//! assert_eq!(report.table.group("cross").unwrap().counts.get(Metric::LeadsFound), 80);
//! assert!(report.to_html().contains("<svg"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
mod records;
pub mod report;
mod rounds;
mod special;
mod vine;

pub use aggregate::{Coverage, Exposure, GroupStats, LEVEL, Table, aggregate};
pub use compare::{Comparison, Per, RateRatio, compare, ratio_of};
pub use error::Error;
pub use group::{By, DateRange, UNKNOWN};
pub use interval::{
    Interval, Method, clopper_pearson, rate_ratio, rate_ratio_exact, rate_ratio_wald, wilson,
};
pub use metric::{Counts, Metric};
pub use records::{DEFAULT_DAYS_PER_TEAM, Records};
pub use report::Report;
pub use rounds::{RoundInfo, Rounds, TeamTarget};
pub use vine::ClusterSummary;
pub use xuncha_org::ErrorKind;
/// Petitions and their CSV: the round's vocabulary (`xuncha-round`).
pub use xuncha_round::{PETITION_CSV_COLUMNS, Petition, channel_name, mode_name, parse_mode};
