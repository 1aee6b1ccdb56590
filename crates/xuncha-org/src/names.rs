//! Search by name: a sorted index over the name arena.

use crate::{Division, DivisionId, Hierarchy};

/// Division positions sorted by name (then by code), so that an exact name
/// and a prefix are each one contiguous run.
#[derive(Clone, Debug)]
pub(crate) struct NameIndex {
    sorted: Vec<u32>,
}

impl NameIndex {
    /// Sorts every division by name. O(n log n) comparisons of names.
    pub(crate) fn build(hierarchy: &Hierarchy) -> NameIndex {
        let mut sorted: Vec<u32> = (0..hierarchy.ends.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        sorted.sort_by(|&a, &b| {
            hierarchy
                .name_of(DivisionId(a))
                .cmp(hierarchy.name_of(DivisionId(b)))
                .then(a.cmp(&b))
        });
        NameIndex { sorted }
    }

    /// Divisions named exactly `name`, in code order.
    pub(crate) fn exact<'h>(&self, hierarchy: &'h Hierarchy, name: &str) -> Vec<Division<'h>> {
        let name_at = |i: &u32| hierarchy.name_of(DivisionId(*i));
        let start = self.sorted.partition_point(|i| name_at(i) < name);
        let end = self.sorted.partition_point(|i| name_at(i) <= name);
        self.collect(hierarchy, start, end)
    }

    /// Divisions whose name starts with `prefix`, in code order.
    pub(crate) fn prefix<'h>(&self, hierarchy: &'h Hierarchy, prefix: &str) -> Vec<Division<'h>> {
        let name_at = |i: &u32| hierarchy.name_of(DivisionId(*i));
        let start = self.sorted.partition_point(|i| name_at(i) < prefix);
        let end = start + self.sorted[start..].partition_point(|i| name_at(i).starts_with(prefix));
        self.collect(hierarchy, start, end)
    }

    fn collect<'h>(&self, hierarchy: &'h Hierarchy, start: usize, end: usize) -> Vec<Division<'h>> {
        let mut ids: Vec<u32> = self.sorted[start..end].to_vec();
        ids.sort_unstable();
        ids.into_iter()
            .map(|i| Division {
                hierarchy,
                id: DivisionId(i),
            })
            .collect()
    }
}
