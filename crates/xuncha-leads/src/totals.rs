//! Checks of submitted tables whose declared totals disagree with their own
//! rows, as the form that declared 7 people over a list of 28.
//!
//! A submitted table is a CSV file (UTF-8): a header, data rows, and a
//! totals row whose first cell starts with `合计`, `总计` or `total` (any
//! case, spaces inside the label ignored: `合  计`). For
//! every other column the totals row fills in:
//! - in a column whose data cells are all numbers (blank counts as 0), the
//!   declared total must equal their sum;
//! - in any other column (a list of names, say), a number declares how many
//!   rows the table lists, and must equal the count of data rows.
//!
//! A table without a totals row declares nothing and passes:
//! [`check_table_reader`] says how many totals rows were checked.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A declared total that the table's own rows contradict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotalMismatch {
    /// The column's header.
    pub column: String,
    /// The line of the totals row in the file (1-based).
    pub line: u64,
    /// What the totals row declares.
    pub declared: f64,
    /// What the rows add up to (a sum, or a count of rows).
    pub actual: f64,
    /// Whether the declared value is a count of rows rather than a sum.
    pub is_count: bool,
}

impl Eq for TotalMismatch {}

impl std::fmt::Display for TotalMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.is_count { "rows" } else { "sum" };
        write!(
            f,
            "line {}, column `{}`: declares {} but the table's {what} is {}",
            self.line, self.column, self.declared, self.actual
        )
    }
}

const TOTAL_LABELS: [&str; 3] = ["合计", "总计", "total"];

/// Checks a submitted table read from `path`.
///
/// ```
/// use xuncha_leads::check_totals_reader;
/// let table = "序号,姓名,补贴\n1,张三,100\n2,李四,200\n3,王五,50\n合计,2人,350\n";
/// let mismatches = check_totals_reader(table.as_bytes(), "form.csv")?;
/// assert_eq!(mismatches.len(), 1);
/// assert_eq!(mismatches[0].declared, 2.0);
/// assert_eq!(mismatches[0].actual, 3.0);
/// # Ok::<(), xuncha_leads::Error>(())
/// ```
///
/// The totals row above is `合计,2人,350`: its label is the first cell, the
/// name column declares 2 people over a list of 3, and the 350 yuan agree
/// with the rows.
pub fn check_totals(path: &Path) -> Result<Vec<TotalMismatch>, Error> {
    let file = xuncha_org::Limits::default().open(path)?;
    check_totals_reader(file, &path.display().to_string())
}

/// Checks a submitted table from any reader; `name` is used in errors.
pub fn check_totals_reader(reader: impl Read, name: &str) -> Result<Vec<TotalMismatch>, Error> {
    check_table_reader(reader, name).map(|checked| checked.mismatches)
}

/// What a check of a submitted table found: how much it checked, and the
/// totals its rows contradict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TableCheck {
    /// The data rows.
    pub rows: usize,
    /// The lines of the totals rows (1-based); none means nothing was
    /// declared, so nothing could be contradicted.
    pub totals_lines: Vec<u64>,
    /// The declared totals the rows contradict.
    pub mismatches: Vec<TotalMismatch>,
}

/// Checks a submitted table read from `path`, saying how much it checked.
///
/// # Errors
///
/// As [`check_table_reader`].
pub fn check_table(path: &Path) -> Result<TableCheck, Error> {
    let file = xuncha_org::Limits::default().open(path)?;
    check_table_reader(file, &path.display().to_string())
}

/// Checks a submitted table from any reader, saying how much it checked;
/// `name` is used in errors.
///
/// # Errors
///
/// [`Error::Input`] naming the line for a table that cannot be read as
/// CSV, and for text that is not UTF-8 (a table saved as GBK).
pub fn check_table_reader(mut reader: impl Read, name: &str) -> Result<TableCheck, Error> {
    let input = |line: u64, message: String| Error::Input {
        file: name.to_owned(),
        line,
        message,
    };
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| input(0, e.to_string()))?;
    // Lines counted here: the csv reader's own count is one short per
    // record on CRLF files, as Excel writes them.
    // A record's position may point at the line end before it (the `\n`
    // of a CRLF): its line is that of its first byte.
    let line_at = |byte: u64| {
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        // The pieces between line ends before the record: its line number.
        bytes[..start].split(|b| *b == b'\n').count() as u64
    };
    let read_error = |e: &csv::Error| {
        let line = e.position().map_or(0, |p| line_at(p.byte()));
        let message = if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
            "not UTF-8 text: save the table as \"CSV UTF-8\" (a table saved as GBK or ANSI cannot be read)".to_owned()
        } else {
            e.to_string()
        };
        input(line, message)
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = csv
        .headers()
        .map_err(|e| read_error(&e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect::<Vec<_>>();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut totals: Vec<(u64, Vec<String>)> = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| read_error(&e))?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        let label: String = cells
            .first()
            .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .unwrap_or_default()
            .to_lowercase();
        if TOTAL_LABELS.iter().any(|l| label.starts_with(l)) {
            totals.push((line, cells));
        } else if cells.iter().any(|c| !c.is_empty()) {
            rows.push(cells);
        }
    }
    let mut mismatches = Vec::new();
    for (line, cells) in &totals {
        for (column, declared) in cells.iter().enumerate().skip(1) {
            let Some(declared) = parse_number(declared) else {
                continue;
            };
            let values: Vec<Option<f64>> = rows
                .iter()
                .map(|row| row.get(column).map_or(Some(0.0), |c| cell_number(c)))
                .collect();
            let numeric = values.iter().all(Option::is_some);
            #[allow(clippy::cast_precision_loss)]
            let actual = if numeric {
                values.iter().flatten().sum()
            } else {
                rows.len() as f64
            };
            if (actual - declared).abs() > 1e-6 * declared.abs().max(1.0) {
                mismatches.push(TotalMismatch {
                    column: headers
                        .get(column)
                        .cloned()
                        .unwrap_or_else(|| format!("column {}", column + 1)),
                    line: *line,
                    declared,
                    actual,
                    is_count: !numeric,
                });
            }
        }
    }
    Ok(TableCheck {
        rows: rows.len(),
        totals_lines: totals.iter().map(|(line, _)| *line).collect(),
        mismatches,
    })
}

/// A cell's number, blank as 0; `None` for text.
fn cell_number(cell: &str) -> Option<f64> {
    if cell.is_empty() {
        Some(0.0)
    } else {
        parse_number(cell)
    }
}

/// A number, allowing thousands separators and a trailing unit such as
/// `人`, `元` or `个`.
fn parse_number(cell: &str) -> Option<f64> {
    let trimmed = cell
        .trim()
        .trim_end_matches(['人', '元', '个', '件', '项', '名']);
    let cleaned: String = trimmed.chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<TotalMismatch> {
        check_totals_reader(text.as_bytes(), "t.csv").unwrap()
    }

    #[test]
    fn the_articles_form_declaring_7_people_over_28_is_caught() {
        let mut table = String::from("序号,姓名,职务\n");
        for i in 1..=28 {
            table += &[i.to_string(), format!("干部{i}"), "科员\n".into()].join(",");
        }
        table.push_str("合计,7人,\n");
        let found = check(&table);
        // The 序号 column is numeric, so `7人` there would be a sum; here it
        // sits in the name column and counts rows.
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].column, "姓名");
        assert_eq!((found[0].declared, found[0].actual), (7.0, 28.0));
        assert!(found[0].is_count);
        assert_eq!(found[0].line, 30);
    }

    #[test]
    fn sums_are_checked_per_numeric_column() {
        let found = check("单位,资金,人数\nA,\"1,000\",3\nB,500,\n总计,1500,4\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].column, "人数");
        assert!(!found[0].is_count);
        assert!(check("单位,资金\nA,1000\nB,500\nTotal,1500\n").is_empty());
    }

    #[test]
    fn a_table_without_totals_passes_and_says_it_declared_nothing() {
        assert!(check("a,b\n1,2\n").is_empty());
        assert!(check("a,b\n").is_empty());
        let checked = check_table_reader("a,b\n1,2\n".as_bytes(), "t.csv").unwrap();
        assert_eq!((checked.rows, checked.totals_lines.len()), (1, 0));
    }

    /// Excel's CRLF lines, a label with spaces inside and a GBK file: the
    /// line is the file's, the label is found, the text is refused with
    /// what to do.
    #[test]
    fn tables_as_excel_writes_them() {
        let crlf = "单位,人数\r\n小溪镇,7\r\n山格镇,9\r\n合  计,28\r\n";
        let found = check(crlf);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 4);
        let found = check("单位,人数\n小溪镇,7\n山格镇,9\n\u{3000}合\u{3000}计,28\n");
        assert_eq!(found.len(), 1, "{found:?}");
        // 合计 in GBK is BA CF BC C6.
        let gbk = b"a,b\n\xba\xcf\xbc\xc6,1\n";
        let err = check_totals_reader(&gbk[..], "gbk.csv").unwrap_err();
        assert!(err.to_string().contains("CSV UTF-8"), "{err}");
        assert!(err.to_string().contains("gbk.csv"), "{err}");
    }
}
