//! Output for people: the spinner, counts in words, and plans as CSV with an optional
//! byte-order mark (so that Excel reads Chinese text). The `.xlsx` and JSON
//! forms are the library's (`Plan::write_xlsx`, `Plan::to_json`).

use anyhow::Result;
use xuncha::assign::Plan;

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

/// A count with its noun in the right number: `1 lead`, `2 leads`.
pub(crate) fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    if n == N::from(1) {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The plan as CSV bytes.
pub(crate) fn plan_csv(plan: &Plan, bom: bool) -> Result<Vec<u8>> {
    let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
    plan.write_csv(&mut bytes)?;
    Ok(bytes)
}
