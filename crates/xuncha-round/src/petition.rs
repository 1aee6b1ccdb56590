//! Petitions (信访件): letters, calls and visits from the public, read from
//! and written to the petitions CSV format.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::Code;

use crate::{Error, InspectionMode};

/// The petitions CSV columns, format version 1 (see `docs/formats.md`):
/// `date`, `channel` and `county` are required; columns are found by name.
pub const PETITION_CSV_COLUMNS: [&str; 8] = [
    "date", "channel", "batch", "persons", "county", "round", "mode", "id",
];

/// How a petition arrived (来信、来电、来访).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PetitionChannel {
    /// 来信.
    Letter,
    /// 来电.
    Call,
    /// 来访.
    Visit,
}

/// One petition received by a team (信访件).
///
/// A visit (来访) comes in a batch (批) of one or more persons (人次); a
/// letter or a call is one petition with no batch. No petitioner's identity
/// is ever part of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    /// The record's id (free text, unique in the file).
    pub id: String,
    /// The day it was received.
    pub date: NaiveDate,
    /// Letter, call or visit.
    pub channel: PetitionChannel,
    /// For a visit, the batch it came in (unique within its county); a
    /// visit without one is a batch of its own.
    pub batch: Option<String>,
    /// For a visit, the persons who came (人次); 1 for a letter or a call.
    pub persons: u32,
    /// The inspected county it concerns (a county-level code).
    pub county: Code,
    /// The round it was received in, if known.
    pub round: Option<String>,
    /// The inspection mode, when the file says it; otherwise taken from the
    /// round's plan (see `xuncha_stats::Rounds`).
    pub mode: Option<InspectionMode>,
}

/// A channel's name in files: `letter`, `call` or `visit`.
pub fn channel_name(channel: PetitionChannel) -> &'static str {
    match channel {
        PetitionChannel::Letter => "letter",
        PetitionChannel::Call => "call",
        PetitionChannel::Visit => "visit",
    }
}

/// A mode's name in files, as in round files: `regular`, `cross`, ...
pub fn mode_name(mode: InspectionMode) -> &'static str {
    match mode {
        InspectionMode::Regular => "regular",
        InspectionMode::Cross => "cross",
        InspectionMode::Special => "special",
        InspectionMode::Mobile => "mobile",
        InspectionMode::Elevated => "elevated",
    }
}

/// Parses a mode's name in files.
pub fn parse_mode(text: &str) -> Option<InspectionMode> {
    Some(match text.trim().to_lowercase().as_str() {
        "regular" | "常规" | "常规巡察" => InspectionMode::Regular,
        "cross" | "交叉" | "交叉巡察" => InspectionMode::Cross,
        "special" | "专项" | "专项巡察" => InspectionMode::Special,
        "mobile" | "机动" | "机动式巡察" => InspectionMode::Mobile,
        "elevated" | "提级" | "提级巡察" => InspectionMode::Elevated,
        _ => return None,
    })
}

fn parse_channel(text: &str) -> Option<PetitionChannel> {
    Some(match text.trim().to_lowercase().as_str() {
        "letter" | "来信" => PetitionChannel::Letter,
        "call" | "来电" => PetitionChannel::Call,
        "visit" | "来访" => PetitionChannel::Visit,
        _ => return None,
    })
}

impl Petition {
    /// Reads a petitions CSV file.
    pub fn read_csv_path(path: &Path) -> Result<Vec<Petition>, Error> {
        let file = xuncha_org::Limits::default().open(path)?;
        Petition::read_csv(file, &path.display().to_string())
    }

    /// Reads petitions CSV from any reader; `name` is used in errors.
    ///
    /// ```
    /// use xuncha_round::Petition;
    /// let text = "date,channel,batch,persons,county,round,mode,id\n\
    ///             2026-03-02,visit,B1,3,350628,2026-1,cross,P1\n\
    ///             2026-03-02,letter,,1,350628,2026-1,,P2\n";
    /// let petitions = Petition::read_csv(text.as_bytes(), "petitions.csv")?;
    /// assert_eq!(petitions[0].persons, 3);
    /// assert_eq!(petitions[1].mode, None);
    /// # Ok::<(), xuncha_round::Error>(())
    /// ```
    pub fn read_csv(reader: impl Read, name: &str) -> Result<Vec<Petition>, Error> {
        let input = |line: u64, message: String| Error::Input {
            file: name.to_owned(),
            line,
            message,
        };
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(reader);
        let headers: Vec<String> = csv
            .headers()
            .map_err(|e| input(1, e.to_string()))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        // Columns by header name: their order is free, extra ones ignored.
        let mut at = [None; 8];
        for (slot, name) in at.iter_mut().zip(PETITION_CSV_COLUMNS) {
            *slot = headers.iter().position(|h| h == name);
        }
        for required in [0, 1, 4] {
            if at[required].is_none() {
                return Err(input(
                    1,
                    format!(
                        "missing column `{}`: the petitions CSV needs `date`, `channel` and `county` (docs/formats.md)",
                        PETITION_CSV_COLUMNS[required]
                    ),
                ));
            }
        }
        let mut out = Vec::new();
        for record in csv.records() {
            let record = record
                .map_err(|e| input(e.position().map_or(0, csv::Position::line), e.to_string()))?;
            let line = record.position().map_or(0, csv::Position::line);
            let cell = |i: usize| at[i].and_then(|c| record.get(c)).unwrap_or("").trim();
            let field = |i: usize, what: &str| {
                input(
                    line,
                    format!("column `{}`: {what}", PETITION_CSV_COLUMNS[i]),
                )
            };
            let date = NaiveDate::parse_from_str(cell(0), "%Y-%m-%d")
                .map_err(|_| field(0, &format!("`{}` is not a date YYYY-MM-DD", cell(0))))?;
            let channel = parse_channel(cell(1))
                .ok_or_else(|| field(1, &format!("`{}` is not letter, call or visit", cell(1))))?;
            let batch = (!cell(2).is_empty()).then(|| cell(2).to_owned());
            let persons = if cell(3).is_empty() {
                1
            } else {
                cell(3)
                    .parse::<u32>()
                    .map_err(|_| field(3, &format!("`{}` is not a whole number", cell(3))))?
            };
            if channel != PetitionChannel::Visit && (persons != 1 || batch.is_some()) {
                return Err(field(
                    3,
                    "only a visit has a batch and a number of persons; a letter or a call is one petition",
                ));
            }
            if persons == 0 {
                return Err(field(3, "a visit has at least one person"));
            }
            let county = Code::parse(cell(4))
                .ok()
                .filter(|c| c.level() == xuncha_org::Level::County)
                .ok_or_else(|| field(4, &format!("`{}` is not a county-level code", cell(4))))?;
            let round = (!cell(5).is_empty()).then(|| cell(5).to_owned());
            let mode = if cell(6).is_empty() {
                None
            } else {
                Some(parse_mode(cell(6)).ok_or_else(|| {
                    field(
                        6,
                        &format!(
                            "`{}` is not regular, cross, special, mobile or elevated",
                            cell(6)
                        ),
                    )
                })?)
            };
            let id = if cell(7).is_empty() {
                format!("line-{line}")
            } else {
                cell(7).to_owned()
            };
            out.push(Petition {
                id,
                date,
                channel,
                batch,
                persons,
                county,
                round,
                mode,
            });
        }
        Ok(out)
    }

    /// Writes petitions as CSV (format version 1).
    pub fn write_csv(petitions: &[Petition], writer: impl Write) -> Result<(), Error> {
        let fail = |e: &dyn std::fmt::Display| Error::Write {
            format: "petitions CSV",
            message: e.to_string(),
        };
        let mut out = csv::Writer::from_writer(writer);
        out.write_record(PETITION_CSV_COLUMNS)
            .map_err(|e| fail(&e))?;
        for p in petitions {
            out.write_record([
                p.date.format("%Y-%m-%d").to_string(),
                channel_name(p.channel).to_owned(),
                p.batch.clone().unwrap_or_default(),
                p.persons.to_string(),
                p.county.to_string(),
                p.round.clone().unwrap_or_default(),
                p.mode.map(mode_name).unwrap_or_default().to_owned(),
                p.id.clone(),
            ])
            .map_err(|e| fail(&e))?;
        }
        out.flush().map_err(|e| fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petitions_round_trip_through_csv() {
        let p = Petition {
            id: "P1".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            channel: PetitionChannel::Visit,
            batch: Some("B1".into()),
            persons: 4,
            county: Code::parse("350628").unwrap(),
            round: Some("R".into()),
            mode: Some(InspectionMode::Regular),
        };
        let mut bytes = Vec::new();
        Petition::write_csv(std::slice::from_ref(&p), &mut bytes).unwrap();
        assert_eq!(Petition::read_csv(&bytes[..], "t").unwrap(), vec![p]);
    }

    #[test]
    fn bad_rows_are_located_and_explained() {
        let head = "date,channel,batch,persons,county,round,mode,id\n";
        let err = Petition::read_csv(
            format!("{head}2026-03-02,fax,,1,350628,,,\n").as_bytes(),
            "p.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("p.csv, line 2") && err.contains("channel"),
            "{err}"
        );
        let err = Petition::read_csv(
            format!("{head}2026-03-02,letter,B,3,350628,,,\n").as_bytes(),
            "p.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("only a visit"), "{err}");
        let err = Petition::read_csv(
            format!("{head}2026-03-02,visit,B,3,3506,,,\n").as_bytes(),
            "p.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("county-level"), "{err}");
        let err = Petition::read_csv("a,b\n".as_bytes(), "p.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing column `date`"), "{err}");
        // Order is free and extra columns are ignored.
        let ok = Petition::read_csv(
            "county,note,channel,date\n350628,x,call,2026-03-02\n".as_bytes(),
            "p.csv",
        )
        .unwrap();
        assert_eq!(ok[0].channel, PetitionChannel::Call);
    }
}

impl fmt::Display for InspectionMode {
    /// The name in files: `regular`, `cross`, `special`, `mobile`,
    /// `elevated`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(mode_name(*self))
    }
}

impl FromStr for InspectionMode {
    type Err = Error;

    /// Reads a mode's name in English or Chinese (`cross`, `交叉巡察`).
    fn from_str(text: &str) -> Result<InspectionMode, Error> {
        parse_mode(text).ok_or_else(|| Error::Name {
            text: text.to_owned(),
            expected: "regular, cross, special, mobile or elevated",
        })
    }
}

impl fmt::Display for PetitionChannel {
    /// The name in files: `letter`, `call`, `visit`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(channel_name(*self))
    }
}

impl FromStr for PetitionChannel {
    type Err = Error;

    /// Reads a channel's name in English or Chinese (`visit`, `来访`).
    fn from_str(text: &str) -> Result<PetitionChannel, Error> {
        parse_channel(text).ok_or_else(|| Error::Name {
            text: text.to_owned(),
            expected: "letter, call or visit",
        })
    }
}

#[cfg(test)]
mod names {
    use super::*;

    #[test]
    fn modes_and_channels_read_back_what_they_write() {
        for mode in [
            InspectionMode::Regular,
            InspectionMode::Cross,
            InspectionMode::Special,
            InspectionMode::Mobile,
            InspectionMode::Elevated,
        ] {
            assert_eq!(mode.to_string().parse::<InspectionMode>().ok(), Some(mode));
        }
        for channel in [
            PetitionChannel::Letter,
            PetitionChannel::Call,
            PetitionChannel::Visit,
        ] {
            assert_eq!(
                channel.to_string().parse::<PetitionChannel>().ok(),
                Some(channel)
            );
        }
        assert_eq!(
            "交叉巡察".parse::<InspectionMode>().ok(),
            Some(InspectionMode::Cross)
        );
        assert!(matches!(
            "courier".parse::<PetitionChannel>(),
            Err(Error::Name { .. })
        ));
    }
}
