//! Work split into parts on up to four threads, for the whole-roster
//! indexes.

/// Calls `work(first, part)` on consecutive parts of `items` (`first` is
/// the position of `part[0]` in `items`) and returns the results in order:
/// on the calling thread when `parallel` is false or the machine has one
/// core, else in as many parts as it offers, at most four. The result does
/// not depend on how many. A panic in a part (none is expected: the work
/// is infallible copying and searching) is resumed on the calling thread.
pub(crate) fn in_parts<'a, T: Sync, R: Send>(
    items: &'a [T],
    parallel: bool,
    work: impl Fn(usize, &'a [T]) -> R + Sync,
) -> Vec<R> {
    let threads = if parallel {
        std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
    } else {
        1
    };
    let part_len = items.len().div_ceil(threads).max(1);
    if threads == 1 {
        return items
            .chunks(part_len)
            .enumerate()
            .map(|(i, part)| work(i * part_len, part))
            .collect();
    }
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks(part_len)
            .enumerate()
            .map(|(i, part)| scope.spawn(move || work(i * part_len, part)))
            .collect();
        // A part that panicked passes its panic on: dropping its results
        // would leave the caller with a silently partial answer.
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
