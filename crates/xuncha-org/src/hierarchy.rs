//! The read-only division tree and its queries.

use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::history::{CodeHistory, Resolution};
use crate::names::NameIndex;
use crate::{Code, Division, DivisionId, DivisionKind, Error, Level};

/// Marks a division with no parent.
pub(crate) const NO_PARENT: u32 = u32::MAX;

/// China's division hierarchy (or any part of it): built once, then
/// read-only and shareable across threads (`Send + Sync`).
///
/// Divisions are stored in pre-order (which is also code order), each with
/// the end of its subtree, so that [`Hierarchy::contains`] is two
/// comparisons, a subtree is a contiguous range, and children are found
/// without a child list. Names live in one string arena. The national list
/// (665,276 divisions) takes about 30 MB.
///
/// Build one with [`Hierarchy::fujian`] (the embedded default),
/// [`Hierarchy::from_nbs_dir`] (the five NBS CSV files) or a
/// [`HierarchyBuilder`](crate::HierarchyBuilder).
///
/// # Examples
///
/// ```
/// # #[cfg(feature = "embedded-fujian")] {
/// use xuncha_org::{Hierarchy, Level};
///
/// let fujian = Hierarchy::fujian();
/// assert_eq!(fujian.count(Level::City), 9);
///
/// let zhangzhou = fujian.lookup("3506")?;
/// let pinghe = fujian.lookup("350628")?;
/// assert!(fujian.contains(zhangzhou.id(), pinghe.id()));
/// assert!(!fujian.contains(pinghe.id(), zhangzhou.id()));
///
/// // Names repeat: every 城关镇 comes back, each with its path.
/// for town in fujian.find("城关镇") {
///     assert!(town.path_string().ends_with("/ 城关镇"));
/// }
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Hierarchy {
    pub(crate) codes: Vec<Code>,
    pub(crate) parents: Vec<u32>,
    pub(crate) ends: Vec<u32>,
    pub(crate) name_spans: Vec<(u32, u32)>,
    pub(crate) names: String,
    pub(crate) kinds: Vec<DivisionKind>,
    pub(crate) by_level: [Vec<u32>; 5],
    pub(crate) history: CodeHistory,
    pub(crate) source: String,
    pub(crate) name_index: OnceLock<NameIndex>,
}

/// How many divisions a hierarchy has at each level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    /// Provinces (省级).
    pub province: usize,
    /// Prefecture-level cities (地级), grouping rows included.
    pub city: usize,
    /// Counties (县级).
    pub county: usize,
    /// Townships (乡级).
    pub township: usize,
    /// Villages (村级).
    pub village: usize,
}

impl LevelCounts {
    /// The count at `level`.
    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Province => self.province,
            Level::City => self.city,
            Level::County => self.county,
            Level::Township => self.township,
            Level::Village => self.village,
        }
    }

    /// All divisions together.
    pub fn total(&self) -> usize {
        Level::ALL.iter().map(|&l| self.get(l)).sum()
    }
}

impl Hierarchy {
    /// The number of divisions.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the hierarchy has no divisions.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Where the hierarchy came from: a directory, or the embedded default.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The code history used by [`Hierarchy::resolve`].
    pub fn history(&self) -> &CodeHistory {
        &self.history
    }

    /// Replaces the code history.
    #[must_use]
    pub fn with_history(mut self, history: CodeHistory) -> Hierarchy {
        self.history = history;
        self
    }

    /// The division with `code`, if the hierarchy has it. O(log n).
    pub fn get(&self, code: Code) -> Option<Division<'_>> {
        self.codes
            .binary_search(&code)
            .ok()
            .and_then(|i| self.division(DivisionId(u32::try_from(i).ok()?)))
    }

    /// The division behind a handle, or `None` if the handle is not from
    /// this hierarchy's range.
    pub fn division(&self, id: DivisionId) -> Option<Division<'_>> {
        (id.index() < self.len()).then_some(Division {
            hierarchy: self,
            id,
        })
    }

    /// The division at position `index` of the pre-order (0 is the first
    /// province), or `None` past the end. Useful for sampling.
    pub fn division_at(&self, index: usize) -> Option<Division<'_>> {
        self.division(DivisionId(u32::try_from(index).ok()?))
    }

    /// Parses `code` and looks it up.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCode`] if the text is no code, [`Error::UnknownCode`]
    /// if no current division has it (see [`Hierarchy::resolve`] for old
    /// codes).
    pub fn lookup(&self, code: &str) -> Result<Division<'_>, Error> {
        let code = Code::parse(code)?;
        self.get(code).ok_or(Error::UnknownCode { code })
    }

    /// Whether division `a` contains division `b` (a division contains
    /// itself). Two comparisons on the pre-order intervals; `false` for a
    /// handle outside this hierarchy.
    ///
    /// # Complexity
    ///
    /// O(1) time and space.
    #[inline]
    pub fn contains(&self, a: DivisionId, b: DivisionId) -> bool {
        match self.ends.get(a.index()) {
            Some(&end) => a.0 <= b.0 && b.0 < end,
            None => false,
        }
    }

    /// Whether the division with code `a` contains the one with code `b`;
    /// `false` unless both exist.
    pub fn contains_code(&self, a: Code, b: Code) -> bool {
        match (self.get(a), self.get(b)) {
            (Some(a), Some(b)) => self.contains(a.id, b.id),
            _ => false,
        }
    }

    /// Every division, in pre-order (code order).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Division<'_>> + '_ {
        (0..self.codes.len()).map(move |i| Division {
            hierarchy: self,
            id: DivisionId(u32::try_from(i).unwrap_or(NO_PARENT)),
        })
    }

    /// The divisions at the top of the hierarchy: the provinces.
    pub fn roots(&self) -> impl Iterator<Item = Division<'_>> + '_ {
        self.at_level(Level::Province)
    }

    /// Every division of one level, in code order.
    pub fn at_level(&self, level: Level) -> impl ExactSizeIterator<Item = Division<'_>> + '_ {
        self.by_level[level.index()].iter().map(move |&i| Division {
            hierarchy: self,
            id: DivisionId(i),
        })
    }

    /// The number of divisions at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.by_level[level.index()].len()
    }

    /// The number of divisions at every level.
    pub fn counts(&self) -> LevelCounts {
        LevelCounts {
            province: self.count(Level::Province),
            city: self.count(Level::City),
            county: self.count(Level::County),
            township: self.count(Level::Township),
            village: self.count(Level::Village),
        }
    }

    /// Every division named exactly `name`, in code order. Names repeat
    /// across the country, so this returns them all; use
    /// [`Division::path_string`] to tell them apart.
    ///
    /// The name index is built on the first search (about 0.3 s for the
    /// national list) and kept.
    pub fn find(&self, name: &str) -> Vec<Division<'_>> {
        self.names_index().exact(self, name)
    }

    /// Every division whose name starts with `prefix`, in code order.
    pub fn find_prefix(&self, prefix: &str) -> Vec<Division<'_>> {
        self.names_index().prefix(self, prefix)
    }

    /// Maps a code as it was known on `date` to the division that carries
    /// that place now, following the code history: a post held in 龙海市
    /// (350681) in 2016 resolves to 龙海区 (350604).
    ///
    /// A current code with no change after `date` resolves to itself. A code
    /// that is no longer current resolves through its latest change even
    /// when `date` is after that change (a stale code in a newer record).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownCode`] if neither the hierarchy nor the history knows
    /// the code, [`Error::AmbiguousCode`] if it was split into several
    /// divisions, [`Error::HistoryLoop`] if the history leads in a circle.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(feature = "embedded-fujian")] {
    /// use chrono::NaiveDate;
    /// use xuncha_org::{Code, Hierarchy};
    ///
    /// let fujian = Hierarchy::fujian();
    /// let old = Code::parse("350681")?;
    /// let in_2016 = NaiveDate::from_ymd_opt(2016, 5, 1).expect("a valid date");
    /// let resolved = fujian.resolve(old, in_2016)?;
    /// assert_eq!(resolved.division.code().to_string(), "350604");
    /// assert_eq!(resolved.division.path_string(), "福建省 / 漳州市 / 龙海区");
    /// assert_eq!(resolved.steps.len(), 1);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, code: Code, date: NaiveDate) -> Result<Resolution<'_>, Error> {
        let mut current = code;
        let mut at = date;
        let mut steps = Vec::new();
        loop {
            let changes = self.history.changes_from(current);
            // The first change after `at`; failing that, a code that is no
            // longer current follows its latest change.
            let next = changes.iter().find(|c| c.date > at);
            if next.is_none()
                && let Some(division) = self.get(current)
            {
                return Ok(Resolution { division, steps });
            }
            let next = next
                .or(changes.last())
                .ok_or(Error::UnknownCode { code: current })?;
            let after: Vec<_> = changes.iter().filter(|c| c.date == next.date).collect();
            let [change] = after.as_slice() else {
                return Err(Error::AmbiguousCode {
                    code: current,
                    date: after[0].date,
                    candidates: after.iter().map(|c| c.new).collect(),
                });
            };
            if steps.len() > self.history.len() {
                return Err(Error::HistoryLoop { code });
            }
            steps.push((*change).clone());
            current = change.new;
            at = at.max(change.date);
        }
    }

    fn names_index(&self) -> &NameIndex {
        self.name_index.get_or_init(|| NameIndex::build(self))
    }

    pub(crate) fn code_of(&self, id: DivisionId) -> Code {
        self.codes[id.index()]
    }

    pub(crate) fn name_of(&self, id: DivisionId) -> &str {
        let (start, len) = self.name_spans[id.index()];
        &self.names[start as usize..(start + len) as usize]
    }

    pub(crate) fn kind_of(&self, id: DivisionId) -> DivisionKind {
        self.kinds[id.index()]
    }

    pub(crate) fn end_of(&self, id: DivisionId) -> u32 {
        self.ends[id.index()]
    }

    pub(crate) fn parent_of(&self, id: DivisionId) -> Option<Division<'_>> {
        let parent = self.parents[id.index()];
        (parent != NO_PARENT).then_some(Division {
            hierarchy: self,
            id: DivisionId(parent),
        })
    }
}

impl fmt::Debug for Hierarchy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hierarchy")
            .field("source", &self.source)
            .field("counts", &self.counts())
            .field("history", &self.history.len())
            .finish_non_exhaustive()
    }
}
