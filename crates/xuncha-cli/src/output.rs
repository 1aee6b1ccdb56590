//! Writing plans for people: CSV (optionally with a byte-order mark, so
//! that Excel reads Chinese text), `.xlsx`, and JSON.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;
use xuncha_assign::Plan;

use crate::inputs::write;

/// A spinner on standard error, shown only when it is a terminal and the
/// work takes longer than a second; hidden otherwise.
pub(crate) fn spinner(message: String) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_message(message);
    // Ticks start after a second, so that quick work shows nothing.
    let ticking = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if !ticking.is_finished() {
            ticking.enable_steady_tick(std::time::Duration::from_millis(120));
        }
    });
    bar
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The plan as CSV bytes.
pub(crate) fn plan_csv(plan: &Plan, bom: bool) -> Result<Vec<u8>> {
    let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
    plan.write_csv(&mut bytes)?;
    Ok(bytes)
}

/// Writes the plan as an `.xlsx` workbook: one sheet, the CSV's rows.
pub(crate) fn plan_xlsx(plan: &Plan, path: &Path) -> Result<()> {
    let csv = plan_csv(plan, false)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("plan").context("naming the sheet")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_slice());
    for (row, record) in reader.records().enumerate() {
        let record = record.context("reading back the plan's CSV")?;
        let row = u32::try_from(row).context("too many rows for a sheet")?;
        for (col, value) in record.iter().enumerate() {
            let col = u16::try_from(col).context("too many columns for a sheet")?;
            // The cost columns are numbers; costs are small integers, exact
            // in a double.
            match value.parse::<i32>() {
                Ok(n) if row > 0 && col >= 8 => sheet.write_number(row, col, f64::from(n)),
                _ => sheet.write_string(row, col, value),
            }
            .context("writing a cell")?;
        }
    }
    let bytes = workbook.save_to_buffer().context("building the workbook")?;
    write(path, &bytes)
}
