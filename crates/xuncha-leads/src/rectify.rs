//! Rectification (整改): finding lists closed item by item (对单销号),
//! rules established, follow-ups (跟踪), look-backs (回头看), and units that
//! obstruct a team (通报批评).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::totals::TotalMismatch;

/// One finding the inspected unit must fix, as issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingItemFacts {
    /// The finding (问题).
    pub finding: String,
    /// The person responsible (责任人).
    pub responsible: String,
    /// The measures promised (整改措施).
    pub measures: String,
    /// The deadline (整改时限).
    pub deadline: NaiveDate,
}

impl FindingItemFacts {
    /// Reads the finding items CSV at `path` within `limits`.
    ///
    /// # Errors
    ///
    /// [`Error::Org`] for a file that cannot be opened or is above the
    /// limits; [`Error::Input`] naming the line of a malformed row.
    pub fn read_csv_path(
        path: &std::path::Path,
        limits: &xuncha_org::Limits,
    ) -> Result<Vec<FindingItemFacts>, Error> {
        let file = limits.open(path)?;
        FindingItemFacts::read_csv(file, &path.display().to_string())
    }

    /// Reads finding items CSV from any reader; `name` is used in errors.
    ///
    /// ```
    /// use xuncha_leads::FindingItemFacts;
    /// let text = "finding,responsible,measures,deadline\n\
    ///             村务公开不及时,张某,每月公开,2026-06-30\n";
    /// let items = FindingItemFacts::read_csv(text.as_bytes(), "items.csv")?;
    /// assert_eq!(items[0].responsible, "张某");
    /// # Ok::<(), xuncha_leads::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Input`] naming the line of a malformed row or a missing
    /// column.
    pub fn read_csv(
        reader: impl std::io::Read,
        name: &str,
    ) -> Result<Vec<FindingItemFacts>, Error> {
        /// A row as written: the date read apart, so that its error can
        /// name the field and the form.
        #[derive(Deserialize)]
        struct Row {
            finding: String,
            responsible: String,
            measures: String,
            deadline: String,
        }
        let mut reader = csv::Reader::from_reader(reader);
        let mut out = Vec::new();
        for (row, record) in reader.deserialize::<Row>().enumerate() {
            let input = |message: String| Error::Input {
                file: name.to_owned(),
                line: u64::try_from(row + 2).unwrap_or(u64::MAX),
                message,
            };
            let row = record.map_err(|e| input(e.to_string()))?;
            let deadline =
                NaiveDate::parse_from_str(row.deadline.trim(), "%Y-%m-%d").map_err(|e| {
                    input(format!(
                        "field `deadline`: {:?} is not a date ({e}): write it as YYYY-MM-DD",
                        row.deadline
                    ))
                })?;
            out.push(FindingItemFacts {
                finding: row.finding,
                responsible: row.responsible,
                measures: row.measures,
                deadline,
            });
        }
        Ok(out)
    }
}

/// A finding list as issued to an inspected unit after feedback (反馈).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingListFacts {
    /// The list's id, unique in the ledger.
    pub id: String,
    /// The round.
    pub round: String,
    /// The inspected unit or division (a unit id or a code, as text).
    pub unit: String,
    /// When feedback was given.
    pub issued_on: NaiveDate,
    /// The items, numbered from 1 in this order.
    pub items: Vec<FindingItemFacts>,
}

/// Whether an item is open or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Not yet fixed (or reopened by a look-back).
    Open,
    /// Closed with evidence (销号).
    Closed,
}

/// One item of a finding list and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingItem {
    /// Its number in the list, from 1.
    pub number: u32,
    /// As issued.
    pub facts: FindingItemFacts,
    /// Open or closed.
    pub status: ItemStatus,
    /// The current deadline: as issued, or as set when reopened.
    pub deadline: NaiveDate,
    /// The evidence it was last closed with.
    pub evidence: Option<String>,
    /// When it was last closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// How many times a look-back reopened it.
    pub reopened: u32,
}

/// A finding list (问题清单) and its progress: the rectification 台账.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingList {
    /// The list's id.
    pub id: String,
    /// The round.
    pub round: String,
    /// The inspected unit.
    pub unit: String,
    /// When feedback was given.
    pub issued_on: NaiveDate,
    /// The items.
    pub items: Vec<FindingItem>,
    /// Rules and regulations established (建章立制).
    pub rules: Vec<String>,
    /// Follow-ups scheduled (跟踪).
    pub follow_ups: Vec<FollowUp>,
    /// Look-backs held (回头看).
    pub look_backs: Vec<NaiveDate>,
}

impl FindingList {
    /// Items closed.
    pub fn closed(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.status == ItemStatus::Closed)
            .count()
    }

    /// The completion rate (整改完成率): closed items over all items;
    /// `None` for a list without items.
    ///
    /// ```
    /// # use xuncha_leads::FindingList;
    /// # use chrono::NaiveDate;
    /// let list = FindingList {
    ///     id: "L1".into(), round: "R".into(), unit: "350628".into(),
    ///     issued_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
    ///     items: vec![], rules: vec![], follow_ups: vec![], look_backs: vec![],
    /// };
    /// assert_eq!(list.completion_rate(), None);
    /// ```
    pub fn completion_rate(&self) -> Option<f64> {
        if self.items.is_empty() {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        Some(self.closed() as f64 / self.items.len() as f64)
    }
}

/// A follow-up scheduled on a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// When.
    pub on: NaiveDate,
    /// What it will check.
    pub note: String,
}

/// An item a look-back reopens, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopening {
    /// The item's number.
    pub item: u32,
    /// Why the fix did not hold.
    pub reason: String,
    /// The new deadline.
    pub deadline: NaiveDate,
}

/// How a unit obstructed a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObstructionKind {
    /// Material handed over late (材料报送不及时).
    LateMaterial,
    /// Material that contradicts itself or the facts (材料前后矛盾), such as
    /// a form declaring 7 people over a list of 28.
    ContradictoryMaterial,
    /// Refusal or interference (拒绝、干扰).
    Interference,
}

/// A recorded obstruction of a team by a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obstruction {
    /// The record's id, unique in the ledger.
    pub id: String,
    /// The unit.
    pub unit: String,
    /// The team obstructed.
    pub team: String,
    /// How.
    pub kind: ObstructionKind,
    /// What happened.
    pub detail: String,
    /// Totals a submitted table declared that its own rows contradict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<TotalMismatch>,
}

/// A public criticism notice (通报批评) against a unit that obstructed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriticismNotice {
    /// The notice's id, unique in the ledger.
    pub id: String,
    /// The unit criticised.
    pub unit: String,
    /// The obstructions it answers; each must be recorded against the unit.
    pub obstructions: Vec<String>,
    /// The notice's text.
    pub text: String,
}
