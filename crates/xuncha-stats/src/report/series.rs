//! Rectification completion over time.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use xuncha_leads::{Change, FxHashMap};

use crate::{DateRange, Records};

/// Completion at one day: items of lists issued in the range up to that
/// day, and those closed on that day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletionPoint {
    /// The day (a month's last day, or the range's last day).
    pub date: NaiveDate,
    /// Items issued so far.
    pub items: u64,
    /// Of those, closed on that day.
    pub closed: u64,
    /// `closed / items`; `None` without items.
    pub rate: Option<f64>,
}

/// Completion at the end of each month from the first list issued in the
/// range to the last event, by the same definitions as
/// [`crate::Metric::Items`] and [`crate::Metric::ItemsClosed`].
///
/// # Complexity
///
/// O(events + months) time.
pub fn completion_series(records: &Records<'_>, range: &DateRange) -> Vec<CompletionPoint> {
    // Daily deltas of (items, closed).
    let mut deltas: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut lists: FxHashMap<&str, Vec<bool>> = FxHashMap::default();
    let mut last = None;
    for event in records.events {
        let day = event.time.date_naive();
        if !range.not_after_end(day) {
            continue;
        }
        last = Some(day);
        match &event.change {
            Change::FindingsIssued { list } if range.contains(day) => {
                deltas.entry(day).or_default().0 += i64::try_from(list.items.len()).unwrap_or(0);
                lists.insert(&list.id, vec![false; list.items.len()]);
            }
            Change::ItemClosed { list, item, .. } => {
                if let Some(c) = lists
                    .get_mut(list.as_str())
                    .and_then(|s| item.checked_sub(1).and_then(|i| s.get_mut(i as usize)))
                    && !*c
                {
                    *c = true;
                    deltas.entry(day).or_default().1 += 1;
                }
            }
            Change::LookedBack { list, reopened, .. } => {
                if let Some(s) = lists.get_mut(list.as_str()) {
                    for r in reopened {
                        if let Some(c) = r.item.checked_sub(1).and_then(|i| s.get_mut(i as usize))
                            && *c
                        {
                            *c = false;
                            deltas.entry(day).or_default().1 -= 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let (Some((&first, _)), Some(last)) = (deltas.first_key_value(), last) else {
        return Vec::new();
    };
    let mut points = Vec::new();
    let (mut items, mut closed) = (0i64, 0i64);
    let mut pending = deltas.into_iter().peekable();
    let mut month_end = end_of_month(first);
    loop {
        let at = month_end.min(last);
        while let Some((day, (di, dc))) = pending.peek().copied() {
            if day > at {
                break;
            }
            items += di;
            closed += dc;
            pending.next();
        }
        let (i, c) = (items.max(0).cast_unsigned(), closed.max(0).cast_unsigned());
        #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
        points.push(CompletionPoint {
            date: at,
            items: i,
            closed: c,
            rate: (i > 0).then(|| c as f64 / i as f64),
        });
        if at >= last {
            break;
        }
        month_end = end_of_month(month_end.succ_opt().unwrap_or(month_end));
        if points.len() > 1200 {
            break;
        }
    }
    points
}

fn end_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
}
