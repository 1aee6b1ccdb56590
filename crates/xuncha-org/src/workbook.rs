//! Tables of cells as the sheets of one `.xlsx` workbook (feature `xlsx`),
//! the form offices open: one writer for every crate's exports (plans,
//! ledgers), written whole or not at all through [`crate::atomic`].
//!
//! ```
//! use xuncha_org::workbook::{Cell, Sheet};
//!
//! let sheet = Sheet::new("plan", ["team", "members"])
//!     .row([Cell::from("2026-1/350628"), Cell::Number(7.0)]);
//! assert_eq!(sheet.rows.len(), 1);
//! # #[cfg(feature = "xlsx")] {
//! let dir = tempfile::tempdir()?;
//! xuncha_org::workbook::write(&[sheet], &dir.path().join("plan.xlsx"), xuncha_org::atomic::Mode::Shared)?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "xlsx")]
use std::path::Path;

#[cfg(feature = "xlsx")]
use crate::Error;
#[cfg(feature = "xlsx")]
use crate::atomic::Mode;

/// One cell: text, or a number (written as a number, so that a
/// spreadsheet sums it).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text, written as it is.
    Text(String),
    /// A number.
    Number(f64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

/// One sheet: a name, a header row, and rows of cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// The header row, written bold and frozen.
    pub headers: Vec<String>,
    /// The rows under it.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A sheet with these headers and no rows.
    pub fn new<S: Into<String>>(name: &str, headers: impl IntoIterator<Item = S>) -> Sheet {
        Sheet {
            name: name.to_owned(),
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// The sheet with one more row.
    #[must_use]
    pub fn row(mut self, cells: impl IntoIterator<Item = Cell>) -> Sheet {
        self.rows.push(cells.into_iter().collect());
        self
    }
}

/// Writes `sheets` as one workbook at `path`, whole or not at all, with the
/// permissions of `mode`.
///
/// # Errors
///
/// [`Error::Write`] naming `path` when a sheet cannot be built (a name
/// the format refuses, too many rows) or the file cannot be written.
#[cfg(feature = "xlsx")]
pub fn write(sheets: &[Sheet], path: &Path, mode: Mode) -> Result<(), Error> {
    let bytes = to_bytes(sheets).map_err(|e| Error::Write {
        path: path.to_owned(),
        source: std::io::Error::other(e.to_string()),
    })?;
    crate::atomic::write(path, &bytes, mode)
}

#[cfg(feature = "xlsx")]
fn to_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let too_many = || XlsxError::RowColumnLimitError;
    for sheet in sheets {
        let out = workbook.add_worksheet();
        out.set_name(&sheet.name)?;
        for (col, header) in sheet.headers.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| too_many())?;
            out.write_with_format(0, col, header.as_str(), &bold)?;
        }
        for (row, cells) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(row + 1).map_err(|_| too_many())?;
            for (col, cell) in cells.iter().enumerate() {
                let col = u16::try_from(col).map_err(|_| too_many())?;
                match cell {
                    Cell::Text(text) => out.write_string(row, col, text.as_str())?,
                    Cell::Number(n) => out.write_number(row, col, *n)?,
                };
            }
        }
        out.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}
