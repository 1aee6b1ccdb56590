//! Deterministic synthetic rosters of inspectors over any division
//! hierarchy, for demos, tests and benchmarks.
//!
//! ```
//! use chrono::NaiveDate;
//! use xuncha_org::{Hierarchy, Units};
//! use xuncha_synth::RosterSpec;
//!
//! let fujian = Hierarchy::fujian();
//! let spec = RosterSpec::new(3_000, 0x5eed, NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date"));
//! let roster = spec.roster(&fujian, &Units::default())?;
//! assert_eq!(roster.len(), 3_000);
//! // The same seed gives the same people.
//! assert_eq!(spec.people(&fujian), spec.people(&fujian));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Should I be using this crate?
//!
//! It makes data for the [xuncha](https://docs.rs/xuncha) toolkit's demo,
//! tests and benchmarks, and for yours. No library of the toolkit depends on
//! it except as a dev-dependency. Real offices load real rosters with
//! `xuncha_avoid::Roster::from_csv_path`.
//!
//! # The distributions
//!
//! Every draw comes from a `ChaCha8` generator seeded with
//! [`RosterSpec::seed`], in a fixed order, so the same hierarchy, spec and
//! seed give the same people on every platform. Dates are drawn back from
//! [`RosterSpec::date`]. Places are divisions (the hierarchy's own codes);
//! "elsewhere" means another county of the same province.
//!
//! | fact | distribution |
//! |---|---|
//! | origin | a county (of [`RosterSpec::within`], all by default), with probability in proportion to its number of townships, counted as at least 12 so that small counties still field people |
//! | exchanged cadre | 60 % are exchanged cadres (交流干部), who grew up and held their earlier posts outside the origin county; the others are local |
//! | residence | 85 % a village (or township) of the origin county, 10 % a township of another county of the same city, 5 % elsewhere |
//! | workplace | 80 % a township of the origin county, 5 % the origin county itself (its government), 15 % the city (city-level staff) |
//! | posts | 1 to 4 earlier posts ([`RosterSpec::earlier_posts`]), uniform, back to back and all ended, 1 to 5 years each (at most `720 / most` months, and at least 2 years, in longer careers: 12 to 48 months for 15 posts); for a local, each 60 % in the origin county, 25 % another county of the same city, 15 % elsewhere; for an exchanged cadre 70 % another county of the same city, 30 % elsewhere; a post that began before a code change in the hierarchy's history is recorded under the old code; given units with county bureaus ([`county_bureaus`], [`RosterSpec::people_in`]), a post drawn in a county (not a township) is held two times in three in one of its bureaus, uniform, else at its government |
//! | upbringing | one place (80 %) or two; for a local each 70 % a township of the origin county, 20 % another county of the same city, 10 % elsewhere; for an exchanged cadre 70 % another county of the same city, 30 % elsewhere |
//! | relatives | 0 to 5, uniform; kinship: spouse 20 % (at most one), parent 20 %, child 15 %, sibling 20 %, cousin 10 %, in-laws 10 %, uncle or aunt 5 %; each works in one place, 67 % a township of the origin county, 3 % the origin county itself, 30 % another county of the same city; 80 % still there, 20 % left 1 to 4 years ago |
//! | school | from its own stream, so no other draw changed: 70 % record one, a university of the origin's province (师范大学 25 %, 大学 15 %, 工业大学 20 %, 农林大学 15 %, 省委党校 15 %, 财经学院 10 %) and one of 12 departments, graduating 8 to 35 years before the date; a classmate is the same department and year |
//! | declared | 5 % declare one conflict: another county of the same city |
//! | inspections | 0 to 3 earlier inspections, uniform: a county of the same city other than the origin, 1 to 5 years ago |
//! | rank | clerk 20 %, deputy section chief 30 %, section chief 30 %, deputy director 15 %, director 5 % |
//! | skills | each independently: finance and audit 25 %, law 15 %, discipline inspection 35 %, organisation and personnel 20 % |
//! | name | a common surname (weighted) and one or two given characters |
//!
//! # Officials
//!
//! [`OfficialsSpec::officials`] draws, from its own stream, the leading
//! group of every county: up to 10 posts in a fixed order (县委书记, 县长,
//! 纪委书记, ...), held at the county's government since 0 to 5 years
//! before the date; each official's earlier career is a local's of their
//! county (50 %) or of another county of the same city, drawn as the
//! roster's posts (1 to 4, ending before the post began), with one place of
//! upbringing and a school as the roster's. Ties arise from shared posts:
//! on the national roster of 100,000 with 10 officials a county, 2.9 M
//! colleague and 0.69 M superior ties (posts at the same county
//! government overlapping a year or more), 44,000 townsmen and 89,000
//! classmates with the default careers and no bureaus; with 15 posts each
//! and posts in [`county_bureaus`], 3.18 M colleague and 0.82 M superior
//! ties (`examples/ties_national` in the benches); in the Fujian demo the tie rules
//! keep out about 6,000 colleague and 350 townsman pairs.
//!
//! # Seasons
//!
//! [`SeasonSpec::season`] draws, from its own `ChaCha8` generator, the
//! ledger commands of one round's aftermath, day by day:
//!
//! | fact | distribution |
//! |---|---|
//! | found | each lead on a day uniform in the first 30 of the round |
//! | found from | from its own stream: 15 % of a county's leads after the first were found from an earlier one of the county, uniform (顺藤摸瓜); the implicated person is one of 900 of the county |
//! | source | petition 50 % (visit 50 %, letter 30 %, call 20 %), interview 30 %, document check 20 % |
//! | fast track | 15 % |
//! | stays with the team | 5 % are never transferred (overdue by the end) |
//! | transfer | 1 to 3 days after finding; to the county's discipline commission (80 %) or the city's (20 %), reported to both leading groups the same day |
//! | receipt | 1 to 4 days after transfer (handlers checked elsewhere) |
//! | disposal | 5 to 19 days later: closed 10 %, shelved 10 %, inquiry 35 % (concluded 10 to 39 days later with no action, plus funds recovered in 30 %), preliminary verification 45 % |
//! | after verification | 60 % a case filed 10 to 39 days later and concluded 20 to 119 days after that with one sanction of a uniform kind, a judicial referral in 10 %, funds recovered in 40 %; 40 % concluded with no action |
//! | finding list | one per county, issued on day 45, with [`SeasonSpec::items_per_county`] items due 30 to 119 days later; each closed with 80 % probability 10 to 149 days after issue; 0 to 2 rules established; a look-back on day 225 reopens 5 % of the items closed by then |
//!
//! [`SeasonSpec::petitions`] draws, from a third `ChaCha8` generator
//! (seeded with the season's seed and the mode), the petitions the teams
//! received, as `xuncha_stats::Petition` records:
//!
//! | fact | distribution |
//! |---|---|
//! | count | the number asked for, per county |
//! | date | uniform in the first 30 days of the round |
//! | channel | visit 50 %, letter 30 %, call 20 % |
//! | batch | a visit joins the county's previous batch (same day) with probability 30 %, else opens a new one, `{round}/{county}/B{n}` |
//! | persons | 1 to 5 per visit, uniform; 1 for a letter or a call |
//! | round, mode | the season's round, and the mode given |
//!
//! # Crate features
//!
//! None.
//!
//! # Supported Rust versions
//!
//! Rust 1.88 or later (edition 2024).

mod bureaus;
mod officials;
mod petitions;
mod roster;
mod season;

pub use bureaus::{BUREAUS, county_bureaus};
pub use officials::OfficialsSpec;
pub use roster::{DEFAULT_EARLIER_POSTS, RosterSpec};
pub use season::{Season, SeasonSpec};
