//! Building a [`Hierarchy`] from rows: sorting, checking, laying out the
//! pre-order intervals.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::hierarchy::NO_PARENT;
use crate::{Code, CodeHistory, DataProblem, DivisionKind, Error, Hierarchy, Location};

/// One division as pushed, before the tree is laid out.
#[derive(Clone, Copy, Debug)]
struct Row {
    code: Code,
    name_start: u32,
    name_len: u32,
    file: u32,
    line: u32,
}

/// A source of rows, for error locations.
#[derive(Clone, Debug)]
struct SourceFile {
    path: PathBuf,
    /// The column that names a row's parent, for [`DataProblem::MissingParent`].
    parent_field: String,
}

/// Builds a [`Hierarchy`] from divisions given one at a time, in any order.
///
/// [`HierarchyBuilder::build`] sorts them, rejects duplicate codes and
/// divisions whose parent is missing, marks grouping rows, and lays the tree
/// out in pre-order.
///
/// # Examples
///
/// ```
/// use xuncha_org::{Code, HierarchyBuilder, Level};
///
/// let mut builder = HierarchyBuilder::new();
/// builder.push(Code::parse("350628")?, "平和县")?;
/// builder.push(Code::parse("35")?, "福建省")?;
/// builder.push(Code::parse("3506")?, "漳州市")?;
/// let hierarchy = builder.build()?;
/// assert_eq!(hierarchy.lookup("350628")?.path_string(), "福建省 / 漳州市 / 平和县");
///
/// let mut orphan = HierarchyBuilder::new();
/// orphan.push(Code::parse("350628")?, "平和县")?;
/// assert!(orphan.build().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct HierarchyBuilder {
    rows: Vec<Row>,
    names: String,
    files: Vec<SourceFile>,
    history: CodeHistory,
    source: String,
}

impl Default for HierarchyBuilder {
    fn default() -> Self {
        HierarchyBuilder::new()
    }
}

impl HierarchyBuilder {
    /// An empty builder, with the built-in code history
    /// ([`CodeHistory::builtin`]).
    pub fn new() -> HierarchyBuilder {
        HierarchyBuilder {
            rows: Vec::new(),
            names: String::new(),
            files: vec![SourceFile {
                path: PathBuf::from("<records>"),
                parent_field: "code".to_owned(),
            }],
            history: CodeHistory::builtin(),
            source: "records".to_owned(),
        }
    }

    /// Sets the code history the hierarchy will resolve old codes with.
    #[must_use]
    pub fn history(mut self, history: CodeHistory) -> HierarchyBuilder {
        self.history = history;
        self
    }

    /// Sets the description returned by [`Hierarchy::source`].
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> HierarchyBuilder {
        self.source = source.into();
        self
    }

    /// Reserves room for `additional` more divisions.
    pub fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
    }

    /// Adds a division. Errors that need the whole tree (a duplicate, a
    /// missing parent) come from [`HierarchyBuilder::build`], located as
    /// `<records>, line N` where N counts the pushes from 1.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] if the name is empty or the data outgrows the compact
    /// layout.
    pub fn push(&mut self, code: Code, name: &str) -> Result<(), Error> {
        let line = u64::try_from(self.rows.len() + 1).unwrap_or(u64::MAX);
        self.push_located(code, name, 0, line)
    }

    /// Registers a source file whose rows name their parent in `parent_field`;
    /// returns its number for [`HierarchyBuilder::push_located`].
    pub(crate) fn add_file(&mut self, path: PathBuf, parent_field: &str) -> u32 {
        self.files.push(SourceFile {
            path,
            parent_field: parent_field.to_owned(),
        });
        u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX)
    }

    /// Adds a division read from line `line` of file `file`.
    pub(crate) fn push_located(
        &mut self,
        code: Code,
        name: &str,
        file: u32,
        line: u64,
    ) -> Result<(), Error> {
        let location = || {
            let path = self.files.get(file as usize).map(|f| f.path.clone());
            Location::new(path.unwrap_or_default(), Some(line))
        };
        if name.is_empty() {
            return Err(Error::data(
                location().with_field("name"),
                DataProblem::Empty,
            ));
        }
        let too_large = || Error::data(location(), DataProblem::TooLarge);
        let name_start = u32::try_from(self.names.len()).map_err(|_| too_large())?;
        let name_len = u32::try_from(name.len()).map_err(|_| too_large())?;
        if name_start.checked_add(name_len).is_none() || self.rows.len() >= NO_PARENT as usize {
            return Err(too_large());
        }
        let line = u32::try_from(line).map_err(|_| too_large())?;
        self.names.push_str(name);
        self.rows.push(Row {
            code,
            name_start,
            name_len,
            file,
            line,
        });
        Ok(())
    }

    fn location(&self, row: &Row) -> Location {
        let path = self
            .files
            .get(row.file as usize)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        Location::new(path, Some(u64::from(row.line)))
    }

    fn parent_field(&self, row: &Row) -> &str {
        self.files
            .get(row.file as usize)
            .map_or("code", |f| f.parent_field.as_str())
    }

    /// Checks the rows and lays out the hierarchy.
    ///
    /// # Errors
    ///
    /// [`Error::Data`] with [`DataProblem::DuplicateCode`] for a code pushed
    /// twice, or [`DataProblem::MissingParent`] for a division whose parent
    /// code was never pushed; each names the file, line and field.
    ///
    /// # Complexity
    ///
    /// O(n log n) time for the sort (O(n) when the rows come in a few sorted
    /// runs, as the NBS files do), O(n) space.
    pub fn build(mut self) -> Result<Hierarchy, Error> {
        // Stable, so that of two duplicates the first pushed comes first.
        self.rows.sort_by_key(|row| row.code);
        for pair in self.rows.windows(2) {
            if pair[0].code == pair[1].code {
                return Err(Error::data(
                    self.location(&pair[1]).with_field("code"),
                    DataProblem::DuplicateCode {
                        code: pair[1].code,
                        first: self.location(&pair[0]),
                    },
                ));
            }
        }

        let n = self.rows.len();
        let mut parents = vec![NO_PARENT; n];
        let mut ends = vec![0u32; n];
        // The path from the root to the previous row; codes sort in
        // pre-order, so a row's parent, if it exists, is on this path.
        let mut path: Vec<u32> = Vec::with_capacity(5);
        for (i, row) in self.rows.iter().enumerate() {
            let here = u32::try_from(i)
                .map_err(|_| Error::data(self.location(row), DataProblem::TooLarge))?;
            let expected = row.code.parent();
            while let Some(&top) = path.last() {
                if Some(self.rows[top as usize].code) == expected {
                    break;
                }
                ends[top as usize] = here;
                path.pop();
            }
            match (expected, path.last()) {
                (Some(parent), None) => {
                    return Err(Error::data(
                        self.location(row).with_field(self.parent_field(row)),
                        DataProblem::MissingParent {
                            code: row.code,
                            parent,
                        },
                    ));
                }
                (_, Some(&top)) => parents[i] = top,
                (None, None) => {}
            }
            path.push(here);
        }
        let total = u32::try_from(n).unwrap_or(NO_PARENT);
        for top in path {
            ends[top as usize] = total;
        }

        let mut by_level: [Vec<u32>; 5] = Default::default();
        let mut codes = Vec::with_capacity(n);
        let mut name_spans = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        for (i, row) in self.rows.iter().enumerate() {
            let level = row.code.level();
            by_level[level.index()].push(u32::try_from(i).unwrap_or(NO_PARENT));
            codes.push(row.code);
            name_spans.push((row.name_start, row.name_len));
            let name =
                &self.names[row.name_start as usize..(row.name_start + row.name_len) as usize];
            kinds.push(DivisionKind::classify(level, name));
        }
        self.names.shrink_to_fit();
        Ok(Hierarchy {
            codes,
            parents,
            ends,
            name_spans,
            names: self.names,
            kinds,
            by_level,
            history: self.history,
            source: self.source,
            name_index: OnceLock::new(),
        })
    }
}
