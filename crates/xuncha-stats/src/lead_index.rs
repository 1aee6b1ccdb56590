//! Which lead each ledger event is about. With the ledger's decoded
//! [`State`](xuncha_leads::State) at hand, each lead lists the sequence
//! numbers of its events, so an event finds its lead by position, without
//! hashing its id; without it, leads are found by id.

use xuncha_leads::{Event, FxHashMap, LeadFacts};

use crate::Records;

/// Leads by number, and how to find an event's lead.
pub(crate) struct LeadIndex<'a> {
    /// The lead number + 1 of each event by sequence number (0: none);
    /// empty without a state.
    by_seq: Vec<u32>,
    /// Lead numbers by id, without a state.
    by_id: FxHashMap<&'a str, u32>,
    /// By lead number: its group's slot, and whether a transfer was seen.
    pub(crate) leads: Vec<(usize, bool)>,
}

impl<'a> LeadIndex<'a> {
    /// An index over `records`; `slot_of` gives a lead's group. The state
    /// is used only when it is the state of exactly these events.
    pub(crate) fn new(
        records: &Records<'a>,
        mut slot_of: impl FnMut(&'a LeadFacts) -> usize,
    ) -> LeadIndex<'a> {
        let mut index = LeadIndex {
            by_seq: Vec::new(),
            by_id: FxHashMap::default(),
            leads: Vec::new(),
        };
        let Some(state) = records
            .state
            .filter(|s| s.events == records.events.len() as u64)
        else {
            index.by_id.reserve(records.events.len() / 6);
            return index;
        };
        index.by_seq = vec![0; records.events.len()];
        index.leads.reserve(state.leads.len());
        // Lead numbers in log order, so that the index is deterministic.
        let mut leads: Vec<_> = state.leads.values().collect();
        leads.sort_unstable_by_key(|l| l.events.first().copied().unwrap_or(u64::MAX));
        for lead in leads {
            let Ok(number) = u32::try_from(index.leads.len() + 1) else {
                break;
            };
            index.leads.push((slot_of(&lead.facts), false));
            for seq in &lead.events {
                if let Some(at) = usize::try_from(*seq)
                    .ok()
                    .and_then(|s| index.by_seq.get_mut(s))
                {
                    *at = number;
                }
            }
        }
        index
    }

    /// Whether leads are found by position (a state was given).
    pub(crate) fn positional(&self) -> bool {
        !self.by_seq.is_empty()
    }

    /// Records a lead found (without a state), in group `slot`.
    pub(crate) fn register(&mut self, id: &'a str, slot: usize) -> usize {
        let number = self.leads.len();
        if let Ok(n) = u32::try_from(number) {
            self.by_id.insert(id, n);
        }
        self.leads.push((slot, false));
        number
    }

    /// The lead number of an event about the lead `id`.
    pub(crate) fn find(&self, event: &Event, id: &str) -> Option<usize> {
        if self.positional() {
            let n = *self.by_seq.get(usize::try_from(event.seq).ok()?)?;
            return n.checked_sub(1).map(|n| n as usize);
        }
        self.by_id.get(id).map(|n| *n as usize)
    }
}
