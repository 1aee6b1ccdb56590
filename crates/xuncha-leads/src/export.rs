//! Exports of the log and of the state as JSON, CSV and `.xlsx`.
//!
//! No export holds a petitioner's identity: the log never contains it (a
//! lead from a petition carries only a reference), and the protected table
//! is never read here.

use std::io::Write;

use serde::Serialize;

use crate::event::EVENT_VERSION;
use crate::rectify::ItemStatus;
use crate::{Checkpoint, Error, Event, LeadSource, Outcome, State};

/// A table of text cells, written as CSV or as a worksheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name.
    pub name: &'static str,
    /// The column headers.
    pub headers: &'static [&'static str],
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Writes the table as CSV (UTF-8, with a byte-order mark when `bom`,
    /// for spreadsheet programs).
    pub fn write_csv(&self, mut writer: impl Write, bom: bool) -> Result<(), Error> {
        let io = |source: std::io::Error| Error::Io {
            path: format!("<{} csv>", self.name).into(),
            source,
        };
        if bom {
            writer.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        let mut csv = csv::Writer::from_writer(writer);
        let csv_err = |e: csv::Error| Error::Io {
            path: format!("<{} csv>", self.name).into(),
            source: std::io::Error::other(e.to_string()),
        };
        csv.write_record(self.headers).map_err(csv_err)?;
        for row in &self.rows {
            csv.write_record(row).map_err(csv_err)?;
        }
        csv.flush().map_err(io)
    }
}

/// The log as JSON: the checkpoint and every event.
#[derive(Debug, Serialize)]
struct LogExport<'a> {
    version: u32,
    checkpoint: Checkpoint,
    events: &'a [Event],
}

/// Writes the log as JSON: `{"version":1,"checkpoint":…,"events":[…]}`.
pub fn write_log_json(
    events: &[Event],
    checkpoint: Checkpoint,
    writer: impl Write,
) -> Result<(), Error> {
    serde_json::to_writer_pretty(
        writer,
        &LogExport {
            version: EVENT_VERSION,
            checkpoint,
            events,
        },
    )
    .map_err(|e| Error::Io {
        path: "<log json>".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// The log as read back from [`write_log_json`]'s output.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LogImport {
    version: u32,
    checkpoint: Checkpoint,
    events: Vec<Event>,
}

/// Reads a log written by [`write_log_json`] (a ledger copied between
/// machines) and checks it before anything is kept: the version, that the
/// events are numbered 0, 1, 2 … in order, and that they hash to the
/// checkpoint the file declares. Returns the events and that checkpoint.
///
/// `name` names the source in errors.
///
/// ```
/// use xuncha_leads::export::{read_log_json, write_log_json};
/// use xuncha_leads::Checkpoint;
///
/// let mut json = Vec::new();
/// write_log_json(&[], Checkpoint::empty(), &mut json)?;
/// let (events, checkpoint) = read_log_json(json.as_slice(), "log.json")?;
/// assert!(events.is_empty());
/// assert_eq!(checkpoint, Checkpoint::empty());
///
/// let bad = br#"{"version":1,"checkpoint":"1:00","events":[]}"#;
/// assert!(read_log_json(bad.as_slice(), "log.json").is_err());
/// # Ok::<(), xuncha_leads::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Input`] naming the file (and the line of malformed JSON) for a
/// file that is not such a log, an unsupported version or an event out of
/// order; [`Error::Tampered`] when the events do not hash to the declared
/// checkpoint.
pub fn read_log_json(
    reader: impl std::io::Read,
    name: &str,
) -> Result<(Vec<Event>, Checkpoint), Error> {
    let input = |line: u64, message: String| Error::Input {
        file: name.to_owned(),
        line,
        message,
    };
    let log: LogImport = serde_json::from_reader(std::io::BufReader::new(reader))
        .map_err(|e| input(e.line() as u64, format!("not a log export: {e}")))?;
    if log.version != EVENT_VERSION {
        return Err(input(
            0,
            format!(
                "log version {} is not supported (expected {EVENT_VERSION})",
                log.version
            ),
        ));
    }
    let mut tree = crate::merkle::MerkleTree::new();
    for (i, event) in log.events.iter().enumerate() {
        if event.seq != i as u64 {
            return Err(input(
                0,
                format!(
                    "events[{i}] says it is event {}: events must be numbered from 0 in order",
                    event.seq
                ),
            ));
        }
        tree.push(crate::merkle::leaf_hash(&event.encode()));
    }
    let found = Checkpoint {
        size: log.events.len() as u64,
        root: tree.root(),
    };
    if found != log.checkpoint {
        return Err(Error::Tampered(format!(
            "{name}: the events hash to {found}, but the file declares {}",
            log.checkpoint
        )));
    }
    Ok((log.events, log.checkpoint))
}

/// Reads a log export with [`read_log_json`] and appends it to an empty
/// store, as one atomic append; returns the checkpoint. Petitioners'
/// identities are never exported, so the new store holds none.
///
/// # Errors
///
/// As [`read_log_json`]; [`Error::Conflict`] when the store is not empty;
/// the store's own errors.
pub fn import_log_json(
    reader: impl std::io::Read,
    name: &str,
    store: &mut dyn crate::Store,
) -> Result<Checkpoint, Error> {
    let (events, checkpoint) = read_log_json(reader, name)?;
    let bytes: Vec<Vec<u8>> = events.iter().map(Event::encode).collect();
    store.append(0, &bytes, checkpoint, &[])?;
    Ok(checkpoint)
}

/// Writes the state as JSON.
pub fn write_state_json(state: &State, writer: impl Write) -> Result<(), Error> {
    serde_json::to_writer_pretty(writer, state).map_err(|e| Error::Io {
        path: "<state json>".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// The log, one row per event.
pub fn log_table(events: &[Event]) -> Table {
    Table {
        name: "日志 log",
        headers: &[
            "seq", "time", "actor", "role", "command", "kind", "lead", "list", "change",
        ],
        rows: events
            .iter()
            .map(|e| {
                vec![
                    e.seq.to_string(),
                    e.time.to_rfc3339(),
                    e.actor.id.clone(),
                    e.actor.role.to_string(),
                    e.command.clone(),
                    e.change.kind().to_owned(),
                    e.change.lead().unwrap_or_default().to_owned(),
                    e.change.list().unwrap_or_default().to_owned(),
                    serde_json::to_string(&e.change).unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

fn source_text(source: &LeadSource) -> String {
    match source {
        LeadSource::Petition { channel, .. } => format!("petition ({channel:?})").to_lowercase(),
        LeadSource::Interview => "interview".to_owned(),
        LeadSource::DocumentCheck => "document-check".to_owned(),
        LeadSource::Other { description } => description.clone(),
    }
}

/// The leads, one row each: where each stands and what came of it.
pub fn leads_table(state: &State) -> Table {
    Table {
        name: "线索 leads",
        headers: &[
            "lead",
            "round",
            "team",
            "target",
            "source",
            "fast_track",
            "found_on",
            "stage",
            "阶段",
            "holder",
            "deadline",
            "level",
            "body",
            "reported_city",
            "reported_county",
            "disposal",
            "sanctions",
            "judicial_referrals",
            "funds_recovered_yuan",
            "outcomes",
            "reason",
            "escalations",
            "summary",
        ],
        rows: state
            .leads_in_order()
            .into_iter()
            .map(|lead| {
                let reported = |to| lead.reports.iter().any(|r| r.to == to).to_string();
                let count = |f: fn(&Outcome) -> bool| {
                    lead.outcomes.iter().filter(|o| f(o)).count().to_string()
                };
                let funds: u64 = lead
                    .outcomes
                    .iter()
                    .map(|o| match o {
                        Outcome::FundsRecovered { yuan, .. } => *yuan,
                        _ => 0,
                    })
                    .sum();
                vec![
                    lead.facts.id.clone(),
                    lead.facts.round.clone(),
                    lead.facts.team.clone(),
                    lead.facts.target.to_string(),
                    source_text(&lead.facts.source),
                    lead.facts.fast_track.to_string(),
                    lead.facts.found_on.to_string(),
                    lead.stage.to_string(),
                    lead.stage.chinese().to_owned(),
                    lead.holder
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    lead.deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
                    lead.level.to_string(),
                    lead.body
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    reported(crate::ReportRecipient::CityLeadingGroup),
                    reported(crate::ReportRecipient::CountyLeadingGroup),
                    lead.disposal
                        .map(|d| d.chinese().to_owned())
                        .unwrap_or_default(),
                    count(|o| matches!(o, Outcome::Sanction { .. })),
                    count(|o| matches!(o, Outcome::JudicialReferral { .. })),
                    funds.to_string(),
                    serde_json::to_string(&lead.outcomes).unwrap_or_default(),
                    lead.reason.clone().unwrap_or_default(),
                    lead.escalations.to_string(),
                    lead.facts.summary.clone(),
                ]
            })
            .collect(),
    }
}

/// The rectification ledger (整改台账), one row per item.
pub fn findings_table(state: &State) -> Table {
    Table {
        name: "整改台账 rectification",
        headers: &[
            "list",
            "round",
            "unit",
            "item",
            "finding",
            "responsible",
            "measures",
            "deadline",
            "status",
            "evidence",
            "reopened",
            "list_completion_rate",
            "rules_established",
        ],
        rows: state
            .lists
            .values()
            .flat_map(|list| {
                let rate = list
                    .completion_rate()
                    .map(|r| format!("{:.1}%", r * 100.0))
                    .unwrap_or_default();
                list.items.iter().map(move |item| {
                    vec![
                        list.id.clone(),
                        list.round.clone(),
                        list.unit.clone(),
                        item.number.to_string(),
                        item.facts.finding.clone(),
                        item.facts.responsible.clone(),
                        item.facts.measures.clone(),
                        item.deadline.to_string(),
                        match item.status {
                            ItemStatus::Open => "open (未销号)".to_owned(),
                            ItemStatus::Closed => "closed (已销号)".to_owned(),
                        },
                        item.evidence.clone().unwrap_or_default(),
                        item.reopened.to_string(),
                        rate.clone(),
                        list.rules.len().to_string(),
                    ]
                })
            })
            .collect(),
    }
}

/// Writes tables as the sheets of one `.xlsx` workbook, whole or not at
/// all, owner-only (see [`xuncha_org::atomic`]).
#[cfg(feature = "xlsx")]
pub fn write_xlsx(tables: &[Table], path: &std::path::Path) -> Result<(), Error> {
    use xuncha_org::workbook::{Cell, Sheet};
    let sheets: Vec<Sheet> = tables
        .iter()
        .map(|table| Sheet {
            name: table.name.to_owned(),
            headers: table.headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: table
                .rows
                .iter()
                .map(|cells| cells.iter().map(|c| Cell::Text(c.clone())).collect())
                .collect(),
        })
        .collect();
    xuncha_org::workbook::write(&sheets, path, xuncha_org::atomic::Mode::Private)?;
    Ok(())
}
