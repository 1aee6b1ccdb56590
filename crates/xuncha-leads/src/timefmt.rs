//! Reading event times fast: the log writes every time as chrono does,
//! `2026-03-02T09:00:00Z` (RFC 3339 in UTC, with a fraction only when the
//! time has one). That form is read digit by digit; any other is handed to
//! chrono, so nothing chrono accepts is refused.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Deserialises a UTC time: `#[serde(deserialize_with = "…")]`.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    struct TimeVisitor;
    impl Visitor<'_> for TimeVisitor {
        type Value = DateTime<Utc>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 time such as 2026-03-02T09:00:00Z")
        }
        fn visit_str<E: Error>(self, text: &str) -> Result<DateTime<Utc>, E> {
            match parse(text) {
                Some(time) => Ok(time),
                None => text
                    .parse::<DateTime<Utc>>()
                    .map_err(|e| E::custom(format!("`{text}` is not a time: {e}"))),
            }
        }
    }
    deserializer.deserialize_str(TimeVisitor)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, exactly; `None` for anything else (including
/// any time that is not valid, which chrono then names).
fn parse(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct At {
        #[serde(deserialize_with = "deserialize")]
        at: DateTime<Utc>,
    }

    fn read(text: &str) -> Result<DateTime<Utc>, serde_json::Error> {
        serde_json::from_str::<At>(&format!("{{\"at\":\"{text}\"}}")).map(|a| a.at)
    }

    #[test]
    fn the_fast_path_agrees_with_chrono() {
        for text in [
            "2026-03-02T09:00:00Z",
            "2024-02-29T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert!(parse(text).is_some(), "{text}");
            assert_eq!(read(text).unwrap(), text.parse::<DateTime<Utc>>().unwrap());
        }
    }

    #[test]
    fn other_forms_go_to_chrono_and_bad_times_are_refused() {
        let fraction = read("2026-03-02T09:00:00.5Z").unwrap();
        assert_eq!(fraction.timestamp_subsec_millis(), 500);
        let offset = read("2026-03-02T17:00:00+08:00").unwrap();
        assert_eq!(offset, read("2026-03-02T09:00:00Z").unwrap());
        for bad in [
            "2026-02-30T09:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02 09:00:00",
            "x",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
            let err = read(bad).unwrap_err().to_string();
            assert!(err.contains(bad) || err.contains("input"), "{bad}: {err}");
        }
        let leap = read("2016-12-31T23:59:60Z");
        assert_eq!(
            leap.is_ok(),
            "2016-12-31T23:59:60Z".parse::<DateTime<Utc>>().is_ok()
        );
    }
}
