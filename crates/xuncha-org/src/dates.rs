//! The range of dates the toolkit accepts.
//!
//! A round dated `0000-01-01` or a clock set to the year 9999 is a typing
//! mistake or a manipulation, never a real inspection; it would silently
//! switch off every rule that counts years. Every date a user gives — a
//! round's date, a lead's, a command's time — must fall within
//! [`EARLIEST`] (the founding of the People's Republic) and [`LATEST`].
//!
//! ```
//! use chrono::NaiveDate;
//! use xuncha_org::dates;
//! assert!(dates::check("date", NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()).is_ok());
//! let err = dates::check("date", NaiveDate::from_ymd_opt(1, 1, 1).unwrap()).unwrap_err();
//! assert!(err.to_string().contains("1949-10-01"), "{err}");
//! ```

use chrono::NaiveDate;

/// The earliest date accepted: 1949-10-01.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1949, 10, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The latest date accepted: 2100-12-31.
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MAX,
};

/// Whether `date` is within [`EARLIEST`]`..=`[`LATEST`].
pub fn plausible(date: NaiveDate) -> bool {
    (EARLIEST..=LATEST).contains(&date)
}

/// `Ok` for a plausible date.
///
/// # Errors
///
/// [`Implausible`] naming `what` and the date; its message gives the range.
pub fn check(what: &str, date: NaiveDate) -> Result<(), Implausible> {
    if plausible(date) {
        Ok(())
    } else {
        Err(Implausible {
            what: what.to_owned(),
            date,
        })
    }
}

/// A date outside [`EARLIEST`]`..=`[`LATEST`], for the caller's own error
/// type to carry as its source.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} {date} is outside the dates xuncha accepts, {EARLIEST} to {LATEST}")]
pub struct Implausible {
    /// What the date is (`the round's date`).
    pub what: String,
    /// The date.
    pub date: NaiveDate,
}
