//! Divisions: handles into a [`Hierarchy`] and borrowed views of them.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::{Code, Hierarchy, Level};

/// A handle to a division within one [`Hierarchy`]: its position in the
/// hierarchy's pre-order.
///
/// Handles are small and `Copy`, and make [`Hierarchy::contains`] two
/// comparisons. A handle means nothing in another hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DivisionId(pub(crate) u32);

impl DivisionId {
    /// The handle's position in the hierarchy's pre-order, from 0.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Whether a division is a government or only a statistical grouping.
///
/// The NBS list has rows that group divisions without being a level of
/// government: `市辖区` (the districts of a municipality, such as 1101),
/// `县` (the counties of 重庆, 5002), `省直辖县级行政区划` and
/// `自治区直辖县级行政区划` (county-level cities governed directly by the
/// province, such as 4190 and 6590). They keep their place in the tree, so
/// that codes and counts match the source, and are marked here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DivisionKind {
    /// A division with a government of its own.
    Government,
    /// A statistical grouping row with no government.
    Grouping,
}

/// The names the NBS list uses for grouping rows (see [`DivisionKind`]).
pub(crate) const GROUPING_NAMES: [&str; 4] = [
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
];

impl DivisionKind {
    /// The kind of a division from its level and name: the grouping names at
    /// the city level are groupings, everything else a government.
    pub fn classify(level: Level, name: &str) -> DivisionKind {
        if level == Level::City && GROUPING_NAMES.contains(&name) {
            DivisionKind::Grouping
        } else {
            DivisionKind::Government
        }
    }
}

/// A division of a [`Hierarchy`]: a borrowed view with its code, name,
/// level and place in the tree.
///
/// # Examples
///
/// ```
/// # #[cfg(feature = "embedded-fujian")] {
/// use xuncha_org::{Hierarchy, Level};
///
/// let fujian = Hierarchy::fujian();
/// let pinghe = fujian.lookup("350628")?;
/// assert_eq!(pinghe.name(), "平和县");
/// assert_eq!(pinghe.path_string(), "福建省 / 漳州市 / 平和县");
/// assert_eq!(pinghe.ancestor_at(Level::City).map(|c| c.name()), Some("漳州市"));
/// assert!(pinghe.children().all(|t| t.level() == Level::Township));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Division<'h> {
    pub(crate) hierarchy: &'h Hierarchy,
    pub(crate) id: DivisionId,
}

impl<'h> Division<'h> {
    /// The division's handle.
    pub fn id(self) -> DivisionId {
        self.id
    }

    /// The hierarchy the division belongs to.
    pub fn hierarchy(self) -> &'h Hierarchy {
        self.hierarchy
    }

    /// The division's statistical code.
    pub fn code(self) -> Code {
        self.hierarchy.code_of(self.id)
    }

    /// The division's name, as the source gives it.
    pub fn name(self) -> &'h str {
        self.hierarchy.name_of(self.id)
    }

    /// The division's level.
    pub fn level(self) -> Level {
        self.code().level()
    }

    /// Whether the division is a government or a grouping row.
    pub fn kind(self) -> DivisionKind {
        self.hierarchy.kind_of(self.id)
    }

    /// Whether the division is a statistical grouping (see [`DivisionKind`]).
    pub fn is_grouping(self) -> bool {
        self.kind() == DivisionKind::Grouping
    }

    /// The division directly above, or `None` for a province.
    pub fn parent(self) -> Option<Division<'h>> {
        self.hierarchy.parent_of(self.id)
    }

    /// The divisions directly below, in code order.
    pub fn children(self) -> Children<'h> {
        Children {
            hierarchy: self.hierarchy,
            next: self.id.0 + 1,
            end: self.hierarchy.end_of(self.id),
        }
    }

    /// The divisions above this one, nearest first.
    pub fn ancestors(self) -> Ancestors<'h> {
        Ancestors {
            next: self.parent(),
        }
    }

    /// The enclosing division at `level`: this division at its own level,
    /// `None` below it. At most four steps up the tree.
    pub fn ancestor_at(self, level: Level) -> Option<Division<'h>> {
        if level > self.level() {
            return None;
        }
        let mut current = self;
        while current.level() > level {
            current = current.parent()?;
        }
        Some(current)
    }

    /// The path from the province down to this division.
    pub fn path(self) -> Vec<Division<'h>> {
        let mut path: Vec<Division<'h>> = self.ancestors().collect();
        path.reverse();
        path.push(self);
        path
    }

    /// The path's names joined with ` / `: `福建省 / 漳州市 / 龙海区`.
    pub fn path_string(self) -> String {
        self.path()
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// This division and everything below it, in pre-order.
    pub fn subtree(self) -> impl ExactSizeIterator<Item = Division<'h>> + 'h {
        let hierarchy = self.hierarchy;
        (self.id.0..hierarchy.end_of(self.id)).map(move |i| Division {
            hierarchy,
            id: DivisionId(i),
        })
    }

    /// Whether `other` is this division or lies below it, in O(1).
    pub fn contains(self, other: Division<'_>) -> bool {
        std::ptr::eq(self.hierarchy, other.hierarchy) && self.hierarchy.contains(self.id, other.id)
    }
}

impl fmt::Debug for Division<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Division")
            .field("code", &self.code())
            .field("name", &self.name())
            .finish()
    }
}

impl fmt::Display for Division<'_> {
    /// `350681 龙海区`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

impl PartialEq for Division<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.hierarchy, other.hierarchy) && self.id == other.id
    }
}

impl Eq for Division<'_> {}

impl Serialize for Division<'_> {
    /// A division serialises as `{code, name, level, kind}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Division", 4)?;
        s.serialize_field("code", &self.code())?;
        s.serialize_field("name", self.name())?;
        s.serialize_field("level", &self.level())?;
        s.serialize_field("kind", &self.kind())?;
        s.end()
    }
}

/// The children of a division, from [`Division::children`].
#[derive(Clone, Debug)]
pub struct Children<'h> {
    hierarchy: &'h Hierarchy,
    next: u32,
    end: u32,
}

impl<'h> Iterator for Children<'h> {
    type Item = Division<'h>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let id = DivisionId(self.next);
        // The next child starts where this child's subtree ends.
        self.next = self.hierarchy.end_of(id);
        Some(Division {
            hierarchy: self.hierarchy,
            id,
        })
    }
}

/// The ancestors of a division, from [`Division::ancestors`].
#[derive(Clone, Debug)]
pub struct Ancestors<'h> {
    next: Option<Division<'h>>,
}

impl<'h> Iterator for Ancestors<'h> {
    type Item = Division<'h>;

    fn next(&mut self) -> Option<Self::Item> {
        let current = self.next?;
        self.next = current.parent();
        Some(current)
    }
}
