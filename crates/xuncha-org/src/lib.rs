//! China's five-level administrative divisions, keyed by statistical codes,
//! with code history and the units located in them.
//!
//! ```
//! # #[cfg(feature = "embedded-fujian")] {
//! use xuncha_org::{Hierarchy, Level};
//!
//! let fujian = Hierarchy::fujian();
//! let pinghe = fujian.lookup("350628")?;
//! assert_eq!(pinghe.path_string(), "福建省 / 漳州市 / 平和县");
//! assert_eq!(fujian.count(Level::Township), 1_170);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Should I be using this crate?
//!
//! This is the geography layer of the [xuncha](https://docs.rs/xuncha)
//! toolkit for cross inspections (交叉巡察). Use it directly if you need
//! only divisions, codes and units; if you are planning inspections, depend
//! on the `xuncha` facade, which re-exports this crate as `xuncha::org`.
//!
//! # Overview
//!
//! - [`Code`] and [`Level`]: statistical codes of 2, 4, 6, 9 and 12 digits
//!   (and the 12-digit padded form), parsed, validated and formatted; the
//!   level from the length; the parent by arithmetic.
//! - [`Hierarchy`]: the tree, built once and then read-only and
//!   `Send + Sync`. Look up by code; walk to the parent, children,
//!   ancestors or the ancestor at a level; ask whether one division
//!   contains another in O(1); iterate a subtree or a level; count per
//!   level; search by exact name or prefix. Each [`Division`] is a borrowed
//!   view.
//! - [`CodeHistory`] and [`Hierarchy::resolve`]: codes change (龙海市
//!   350681 became 龙海区 350604 in 2021); old records still resolve to the
//!   right place.
//! - [`Unit`] and [`Units`]: organisations located in divisions, and all the
//!   units of a subtree.
//! - Loaders: [`Hierarchy::from_nbs_dir`] for the five NBS CSV files,
//!   [`Units::from_csv_path`], [`CodeHistory::from_csv_path`], and the
//!   embedded Fujian default [`Hierarchy::fujian`]. Every load error names
//!   the file, the line and the field ([`Error::location`]).
//!
//! All public data types implement serde's traits; a [`Hierarchy`]
//! serialises as its list of divisions (see `docs/formats.md`).
//!
//! # The real data's quirks
//!
//! - Grouping rows (`市辖区`, `县`, `省直辖县级行政区划`,
//!   `自治区直辖县级行政区划`) keep their place in the tree, so counts match
//!   the source, and are marked [`DivisionKind::Grouping`].
//! - Cities without counties (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202)
//!   have a county row that repeats the city (441900 东莞市), so
//!   `ancestor_at(Level::County)` of their townships answers.
//! - Names repeat (there are 88 城关镇): [`Hierarchy::find`] returns all of
//!   them, and [`Division::path_string`] tells them apart.
//! - 金门县 (350527) has a placeholder township `350527000` and village
//!   `350527000000`: their codes read as padded county codes, so loaders
//!   parse with the file's level ([`Code::parse_at`]).
//!
//! # Crate features
//!
//! - `embedded-fujian` (default): compiles Fujian's divisions (about 1 MB
//!   of CSV) into the crate for [`Hierarchy::fujian`].
//! - `xlsx`: [`workbook::write`], tables as an `.xlsx` workbook.
//! - `embedded-national` (default): compiles the whole country (NBS 2023, 665,276
//!   rows; 38 MB of CSV as 4 MB of zstd) into the crate for
//!   `Hierarchy::national`.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

pub mod atomic;
mod build;
mod code;
pub mod dates;
mod division;
mod error;
pub mod fxhash;
mod hierarchy;
mod history;
mod level;
pub mod limits;
mod names;
mod nbs;
mod snapshot;
pub mod table;
mod unit;
pub mod workbook;

pub use build::HierarchyBuilder;
pub use code::{Code, CodeProblem};
pub use division::{Ancestors, Children, Division, DivisionId, DivisionKind};
pub use error::{DataProblem, Error, ErrorKind, Location, Result};
pub use hierarchy::{Hierarchy, LevelCounts};
pub use history::{ChangeKind, CodeChange, CodeHistory, Resolution};
pub use level::Level;
pub use limits::Limits;
pub use nbs::CODE_CHANGES_FILE;
#[cfg(feature = "embedded-national")]
pub use nbs::national::{NATIONAL_SHA256SUMS, national_files, write_national_files};
pub use unit::{Unit, UnitId, UnitKind, Units};
