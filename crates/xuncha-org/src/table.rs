//! Reading CSV files row by row, with every error located by file, line
//! and field.
//!
//! The loaders of this crate use it, and so do the other xuncha crates that
//! read spreadsheets (rosters, rounds), so that every CSV error in the
//! toolkit reads the same way.
//!
//! ```
//! use std::path::Path;
//! use xuncha_org::table::Table;
//!
//! let csv = "id,name\nP1,王芳\nP2,\n";
//! let mut table = Table::new(Path::new("people.csv"), csv.as_bytes())?;
//! let name = table.column("name")?;
//! assert!(table.advance()?);
//! assert_eq!(table.required(name)?, "王芳");
//! assert!(table.advance()?);
//! let err = table.required(name).unwrap_err();
//! assert_eq!(err.to_string(), "people.csv, line 3, field `name`: the field is empty");
//! # Ok::<(), xuncha_org::Error>(())
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use crate::{DataProblem, Error, Location};

/// A CSV file with a header line, read one row at a time.
#[derive(Debug)]
pub struct Table<R> {
    reader: csv::Reader<R>,
    file: PathBuf,
    headers: Vec<String>,
    record: ByteRecord,
    line: u64,
}

impl<R: Read> Table<R> {
    /// Opens a table over `reader`, reading its header line. `file` names
    /// the source in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] for an empty file or a header that is not UTF-8;
    /// [`Error::Io`] if reading fails.
    pub fn new(file: &Path, reader: R) -> Result<Self, Error> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .buffer_capacity(1 << 16)
            .from_reader(reader);
        let raw = reader
            .byte_headers()
            .map_err(|e| csv_error(file, e))?
            .clone();
        if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
            return Err(Error::data(
                Location::new(file, Some(1)),
                DataProblem::NoHeader,
            ));
        }
        let mut headers = Vec::with_capacity(raw.len());
        for (i, field) in raw.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|_| {
                Error::data(
                    Location::new(file, Some(1)).with_field(format!("column {}", i + 1)),
                    not_utf8(field),
                )
            })?;
            let text = text.trim_start_matches('\u{feff}').trim();
            headers.push(text.to_owned());
        }
        Ok(Table {
            reader,
            file: file.to_owned(),
            headers,
            record: ByteRecord::new(),
            line: 1,
        })
    }

    /// The index of a required column.
    ///
    /// # Errors
    ///
    /// [`DataProblem::MissingColumn`] at line 1, naming the column.
    pub fn column(&self, name: &str) -> Result<usize, Error> {
        self.optional_column(name).ok_or_else(|| {
            let location = Location::new(&self.file, Some(1)).with_field(name);
            let separator = match self.headers.as_slice() {
                [only] => [';', '\t', '|', '，']
                    .into_iter()
                    .find(|c| only.contains(*c)),
                _ => None,
            };
            match separator {
                Some(found) => Error::data(location, DataProblem::WrongDelimiter { found }),
                None => Error::data(
                    location,
                    DataProblem::MissingColumn {
                        column: name.to_owned(),
                        found: self.headers.clone(),
                    },
                ),
            }
        })
    }

    /// The index of a column, if the header has it.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Moves to the next row; `false` at the end of the file.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] for malformed CSV or a row whose field count differs
    /// from the header's, naming the line.
    pub fn advance(&mut self) -> Result<bool, Error> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(&self.file, e))?;
        if more {
            self.line = self
                .record
                .position()
                .map_or(self.line + 1, csv::Position::line);
        }
        Ok(more)
    }

    /// The current row's 1-based line number.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The file this table reads.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The header's column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Where column `column` of the current row is.
    pub fn location(&self, column: usize) -> Location {
        let field = self
            .headers
            .get(column)
            .cloned()
            .unwrap_or_else(|| format!("column {}", column + 1));
        Location::new(&self.file, Some(self.line)).with_field(field)
    }

    /// The text of column `column` of the current row, trimmed of spaces;
    /// empty for a column the row lacks.
    ///
    /// # Errors
    ///
    /// [`DataProblem::NotUtf8`] naming the line and field.
    pub fn text(&self, column: usize) -> Result<&str, Error> {
        let bytes = self.record.get(column).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|_| Error::data(self.location(column), not_utf8(bytes)))
    }

    /// The text of column `column`, which must not be empty.
    ///
    /// # Errors
    ///
    /// [`DataProblem::Empty`] or [`DataProblem::NotUtf8`] naming the line
    /// and field.
    pub fn required(&self, column: usize) -> Result<&str, Error> {
        let text = self.text(column)?;
        if text.is_empty() {
            return Err(Error::data(self.location(column), DataProblem::Empty));
        }
        Ok(text)
    }

    /// As [`Table::required`], for an id or a name: a control character
    /// (NUL, a tab, an escape) is refused.
    ///
    /// # Errors
    ///
    /// As [`Table::required`]; [`DataProblem::ControlCharacter`].
    pub fn printable(&self, column: usize) -> Result<&str, Error> {
        let text = self.required(column)?;
        if let Some((offset, c)) = text.char_indices().find(|(_, c)| c.is_control()) {
            return Err(Error::data(
                self.location(column),
                DataProblem::ControlCharacter {
                    code: u32::from(c),
                    offset,
                },
            ));
        }
        Ok(text)
    }
}

/// Why `bytes` are not UTF-8: GBK when they read as GBK (GB 18030's
/// two-byte range), else plain invalid UTF-8.
fn not_utf8(bytes: &[u8]) -> DataProblem {
    if let Some((offset, byte)) = stray_byte(bytes) {
        DataProblem::StrayByte { offset, byte }
    } else if looks_like_gbk(bytes) {
        DataProblem::Gbk
    } else {
        DataProblem::NotUtf8
    }
}

/// The first bad byte of text that is otherwise UTF-8: at least one valid
/// multi-byte character and no more bad sequences than good characters.
/// GBK text decodes as almost nothing but bad sequences.
fn stray_byte(bytes: &[u8]) -> Option<(usize, u8)> {
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut first = None;
    let mut at = 0;
    while at < bytes.len() {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(rest) => {
                good += rest.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid = &bytes[at..at + e.valid_up_to()];
                good += std::str::from_utf8(valid)
                    .map_or(0, |t| t.chars().filter(|c| !c.is_ascii()).count());
                let bad_at = at + e.valid_up_to();
                first.get_or_insert((bad_at, bytes[bad_at]));
                bad += 1;
                at = bad_at + e.error_len().unwrap_or(bytes.len() - bad_at);
            }
        }
    }
    (good > 0 && bad <= good).then_some(first).flatten()
}

/// Whether every byte above ASCII pairs up as a GBK character: a lead byte
/// 0x81–0xFE followed by a trail byte 0x40–0xFE other than 0x7F.
pub(crate) fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut high = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let trail = bytes.get(i + 1).copied();
        if !(0x81..=0xFE).contains(&b)
            || !trail.is_some_and(|t| (0x40..=0xFE).contains(&t) && t != 0x7F)
        {
            return false;
        }
        high = true;
        i += 2;
    }
    high
}

/// Turns a CSV reader's error into ours, keeping the line it gives.
fn csv_error(file: &Path, err: csv::Error) -> Error {
    let line = err.position().map(csv::Position::line);
    match err.into_kind() {
        csv::ErrorKind::Io(source) => crate::limits::from_io(file, source),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::data(
            Location::new(file, pos.map(|p| p.line()).or(line)),
            DataProblem::FieldCount {
                expected: expected_len,
                found: len,
            },
        ),
        csv::ErrorKind::Utf8 { pos, .. } => Error::data(
            Location::new(file, pos.map(|p| p.line()).or(line)),
            DataProblem::NotUtf8,
        ),
        other => Error::data(
            Location::new(file, line),
            DataProblem::MalformedCsv {
                message: format!("{other:?}"),
            },
        ),
    }
}

/// Opens a file for a [`Table`] within the default [`Limits`](crate::Limits),
/// naming it in the error.
///
/// # Errors
///
/// [`Error::Io`] naming the path; [`Error::Limit`] for a file above
/// `max_input_bytes`.
pub fn open(path: &Path) -> Result<crate::limits::Limited<std::fs::File>, Error> {
    crate::Limits::default().open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_told_from_other_bytes_that_are_not_utf8() {
        // 王芳 in GBK.
        assert!(looks_like_gbk(&[0xCD, 0xF5, 0xB7, 0xBC]));
        assert!(looks_like_gbk(b"P1,\xCD\xF5\xB7\xBC,350628"));
        // A lone high byte, a bad trail byte, plain ASCII.
        assert!(!looks_like_gbk(&[0xCD]));
        assert!(!looks_like_gbk(&[0xCD, 0x7F]));
        assert!(!looks_like_gbk(&[0x80, 0x41]));
        assert!(!looks_like_gbk(b"ascii"));
    }

    #[test]
    fn a_stray_byte_in_utf8_is_named_with_its_offset_not_called_gbk() {
        // 王 then 0xC0 reads as two GBK pairs, yet it is UTF-8 with a stray byte.
        let field = b"\xE7\x8E\x8B\xC0";
        assert!(looks_like_gbk(field));
        assert_eq!(
            not_utf8(field),
            DataProblem::StrayByte {
                offset: 3,
                byte: 0xC0
            }
        );
        let text = DataProblem::StrayByte {
            offset: 3,
            byte: 0xC0,
        }
        .to_string();
        assert!(text.contains("0xC0") && text.contains("byte 3"), "{text}");
        // 王芳 in GBK is still GBK.
        assert_eq!(not_utf8(&[0xCD, 0xF5, 0xB7, 0xBC]), DataProblem::Gbk);
    }

    #[test]
    fn a_header_separated_by_semicolons_is_named_as_such() {
        let table = Table::new(Path::new("t.csv"), &b"id;name\n1;a\n"[..]).unwrap();
        let err = table.column("id").unwrap_err().to_string();
        assert!(err.contains("separated by ';'"), "{err}");
        let table = Table::new(Path::new("t.csv"), &b"ident,name\n"[..]).unwrap();
        let err = table.column("id").unwrap_err().to_string();
        assert!(err.contains("missing column `id`"), "{err}");
    }
}
