//! The index of command ids, for idempotent commands: which events each
//! command appended.
//!
//! Replaying a log only notes each event's command id; the map is built on
//! the first lookup, so reading a ledger (exports, verification, overdue
//! lists) never pays for it.

use xuncha_org::fxhash::FxHashMap;

/// Command id → (first event, number of events).
#[derive(Debug, Default)]
pub(crate) struct CommandIndex {
    map: FxHashMap<String, (u64, u64)>,
    /// Events noted since the last lookup: (command id, sequence number).
    pending: Vec<(String, u64)>,
}

impl CommandIndex {
    /// Notes that event `seq` belongs to command `id`.
    pub(crate) fn record(&mut self, id: String, seq: u64) {
        self.pending.push((id, seq));
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.map.reserve(self.pending.len());
        for (id, seq) in self.pending.drain(..) {
            self.map.entry(id).or_insert((seq, 0)).1 += 1;
        }
    }

    /// The events of command `id`: (first, count).
    pub(crate) fn get(&mut self, id: &str) -> Option<(u64, u64)> {
        self.flush();
        self.map.get(id).copied()
    }

    /// Every command id with its events: (id, first, count), in no
    /// particular order.
    pub(crate) fn entries(&mut self) -> Vec<(String, u64, u64)> {
        self.flush();
        self.map
            .iter()
            .map(|(id, (first, count))| (id.clone(), *first, *count))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_a_command_are_counted_from_the_first() {
        let mut index = CommandIndex::default();
        index.record("a".into(), 0);
        index.record("b".into(), 1);
        index.record("b".into(), 2);
        assert_eq!(index.get("b"), Some((1, 2)));
        index.record("c".into(), 3);
        assert_eq!(index.get("c"), Some((3, 1)));
        assert_eq!(index.get("a"), Some((0, 1)));
        assert_eq!(index.get("z"), None);
        let mut entries = index.entries();
        entries.sort();
        assert_eq!(
            entries,
            [("a".into(), 0, 1), ("b".into(), 1, 2), ("c".into(), 3, 1)]
        );
    }
}
