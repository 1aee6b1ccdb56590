//! Loading the five NBS division files.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::table::{Table, open};
use crate::{Code, CodeHistory, DataProblem, Error, Hierarchy, HierarchyBuilder, Level};

/// One of the five files: its name, its level, the column naming the
/// parent, and the other ancestor columns to cross-check when present.
struct NbsFile {
    name: &'static str,
    level: Level,
    parent: Option<&'static str>,
    ancestors: &'static [(&'static str, Level)],
}

/// The layout of `../shared/data/divisions/` (see `docs/formats.md`).
const FILES: [NbsFile; 5] = [
    NbsFile {
        name: "provinces.csv",
        level: Level::Province,
        parent: None,
        ancestors: &[],
    },
    NbsFile {
        name: "cities.csv",
        level: Level::City,
        parent: Some("provinceCode"),
        ancestors: &[],
    },
    NbsFile {
        name: "areas.csv",
        level: Level::County,
        parent: Some("cityCode"),
        ancestors: &[("provinceCode", Level::Province)],
    },
    NbsFile {
        name: "streets.csv",
        level: Level::Township,
        parent: Some("areaCode"),
        ancestors: &[("provinceCode", Level::Province), ("cityCode", Level::City)],
    },
    NbsFile {
        name: "villages.csv",
        level: Level::Village,
        parent: Some("streetCode"),
        ancestors: &[
            ("provinceCode", Level::Province),
            ("cityCode", Level::City),
            ("areaCode", Level::County),
        ],
    },
];

/// The name of an optional file of code changes beside the five.
pub const CODE_CHANGES_FILE: &str = "code_changes.csv";

impl Hierarchy {
    /// Loads the five NBS CSV files from `dir`: `provinces.csv`,
    /// `cities.csv`, `areas.csv`, `streets.csv` and `villages.csv`, laid out
    /// as in the project's `shared/data/divisions/` (see `docs/formats.md`).
    /// The code history is the national one ([`CodeHistory::national`]),
    /// with the rows of `dir/code_changes.csv`, when that file exists, in
    /// place of its rows for the same old codes.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] for a file that cannot be read; [`Error::Data`] naming
    /// the file, line and field for a missing column, a malformed or
    /// misplaced code, text that is not UTF-8, a missing parent or a
    /// duplicate code.
    ///
    /// # Complexity
    ///
    /// O(n) in the rows (the files are each sorted, so the merge sort sees
    /// five runs). The national list (665,276 rows, 39 MB) loads in about
    /// 0.4 s and 70 MB peak on the project's 2-core machine: see
    /// `docs/performance.md`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use xuncha_org::{Hierarchy, Level};
    ///
    /// let china = Hierarchy::from_nbs_dir("../shared/data/divisions")?;
    /// assert_eq!(china.count(Level::Village), 620_573);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_nbs_dir(dir: impl AsRef<Path>) -> Result<Hierarchy, Error> {
        let dir = dir.as_ref();
        let mut history = CodeHistory::national();
        let changes = dir.join(CODE_CHANGES_FILE);
        if changes.is_file() {
            history = history.overridden_by(CodeHistory::from_csv_path(&changes)?);
        }
        let mut sources = Vec::with_capacity(FILES.len());
        for file in &FILES {
            let path = dir.join(file.name);
            let reader = open(&path)?;
            sources.push((path, reader));
        }
        load(sources, history, dir.display().to_string())
    }

    /// Loads the five NBS files from readers, given in the order provinces,
    /// cities, areas, streets, villages, each with the name to use in
    /// errors.
    ///
    /// # Errors
    ///
    /// As [`Hierarchy::from_nbs_dir`].
    pub fn from_nbs_readers<R: Read>(
        sources: [(PathBuf, R); 5],
        history: CodeHistory,
        description: impl Into<String>,
    ) -> Result<Hierarchy, Error> {
        load(sources, history, description.into())
    }
}

fn load<R: Read>(
    sources: impl IntoIterator<Item = (PathBuf, R)>,
    history: CodeHistory,
    description: String,
) -> Result<Hierarchy, Error> {
    let mut builder = HierarchyBuilder::new().history(history).source(description);
    for (file, (path, reader)) in FILES.iter().zip(sources) {
        read_file(&mut builder, file, &path, reader)?;
    }
    builder.build()
}

fn read_file<R: Read>(
    builder: &mut HierarchyBuilder,
    file: &NbsFile,
    path: &Path,
    reader: R,
) -> Result<(), Error> {
    let mut table = Table::new(path, reader)?;
    let code_column = table.column("code")?;
    let name_column = table.column("name")?;
    let parent = match (file.parent, file.level.parent()) {
        (Some(column), Some(level)) => Some((table.column(column)?, level)),
        _ => None,
    };
    let checks: Vec<(usize, Level)> = file
        .ancestors
        .iter()
        .filter_map(|&(column, level)| table.optional_column(column).map(|c| (c, level)))
        .collect();
    let file_id = builder.add_file(path.to_owned(), file.parent.unwrap_or("code"));
    while table.advance()? {
        let code = code_at(&table, code_column, file.level)?;
        for &(column, level) in parent.iter().chain(&checks) {
            let ancestor = code_at(&table, column, level)?;
            if code.ancestor_at(level) != Some(ancestor) {
                return Err(Error::data(
                    table.location(column),
                    DataProblem::ParentMismatch {
                        code,
                        parent: ancestor,
                    },
                ));
            }
        }
        let name = table.required(name_column)?;
        builder.push_located(code, name, file_id, table.line())?;
    }
    Ok(())
}

/// Reads the code of `level` in `column` of the table's current row.
fn code_at<R: Read>(table: &Table<R>, column: usize, level: Level) -> Result<Code, Error> {
    let text = table.required(column)?;
    Code::parse_at(text, level).map_err(|e| e.at(table.location(column)))
}

#[cfg(feature = "embedded-fujian")]
mod embedded {
    use super::{FILES, load};
    use crate::{CodeHistory, Hierarchy};
    use std::path::PathBuf;

    const DATA: [&[u8]; 5] = [
        include_bytes!("../data/fujian/provinces.csv"),
        include_bytes!("../data/fujian/cities.csv"),
        include_bytes!("../data/fujian/areas.csv"),
        include_bytes!("../data/fujian/streets.csv"),
        include_bytes!("../data/fujian/villages.csv"),
    ];

    impl Hierarchy {
        /// The embedded default: Fujian's five levels (code 35, NBS 2023),
        /// compiled into the crate: 1 province, 9 cities, 84 counties, 1,170
        /// townships and 17,498 villages, with the built-in code history.
        ///
        /// Each call parses the embedded files afresh (a few milliseconds);
        /// keep the result, or put it in an `Arc` to share it.
        ///
        /// # Panics
        ///
        /// Never: the data is compiled in and checked by the crate's tests.
        ///
        /// ```
        /// use xuncha_org::{Hierarchy, Level};
        /// let fujian = Hierarchy::fujian();
        /// assert_eq!(fujian.count(Level::County), 84);
        /// assert_eq!(fujian.count(Level::Village), 17_498);
        /// ```
        pub fn fujian() -> Hierarchy {
            let sources = FILES.iter().zip(DATA).map(|(file, data)| {
                (
                    PathBuf::from(format!("embedded:fujian/{}", file.name)),
                    data,
                )
            });
            load(
                sources,
                CodeHistory::builtin(),
                "embedded Fujian (NBS 2023)".to_owned(),
            )
            .expect("the embedded Fujian data is checked by the crate's tests")
        }
    }
}

#[cfg(feature = "embedded-national")]
pub(crate) mod national {
    use super::{FILES, load};
    use crate::{CodeHistory, Hierarchy};
    use std::path::PathBuf;

    /// The five files of `data/national/`, each compressed with
    /// `zstd -19` (window 8 MiB), in the order of [`FILES`].
    const DATA: [&[u8]; 5] = [
        include_bytes!("../data/national/provinces.csv.zst"),
        include_bytes!("../data/national/cities.csv.zst"),
        include_bytes!("../data/national/areas.csv.zst"),
        include_bytes!("../data/national/streets.csv.zst"),
        include_bytes!("../data/national/villages.csv.zst"),
    ];

    /// The SHA-256 sums of the five embedded national files as published
    /// (before compression), in `sha256sum` format.
    pub const NATIONAL_SHA256SUMS: &str = include_str!("../data/national/SHA256SUMS");

    /// Decompresses one embedded file as a stream.
    fn reader(
        index: usize,
    ) -> Result<impl std::io::Read, ruzstd::decoding::errors::FrameDecoderError> {
        ruzstd::decoding::StreamingDecoder::new(DATA[index])
    }

    /// The embedded national files, each decompressed as it is read, in
    /// the order provinces, cities, areas, streets, villages: `(file name,
    /// reader)`. Written out into a directory they are the files
    /// [`Hierarchy::from_nbs_dir`] reads, byte for byte as published (their
    /// SHA-256 sums are [`NATIONAL_SHA256SUMS`]).
    ///
    /// # Panics
    ///
    /// Never: the data is compiled in and checked by the crate's tests.
    ///
    /// ```
    /// let mut names = Vec::new();
    /// for (name, mut reader) in xuncha_org::national_files() {
    ///     let bytes = std::io::copy(&mut reader, &mut std::io::sink())?;
    ///     assert!(bytes > 0);
    ///     names.push(name);
    /// }
    /// assert_eq!(names, ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn national_files() -> impl Iterator<Item = (&'static str, impl std::io::Read)> {
        FILES.iter().enumerate().map(|(index, file)| {
            let reader =
                reader(index).expect("the embedded national data is checked by the crate's tests");
            (file.name, reader)
        })
    }

    /// Writes the embedded national files into `dir` (which must exist),
    /// each whole or not at all: the directory [`Hierarchy::from_nbs_dir`]
    /// reads, byte for byte as published.
    ///
    /// # Errors
    ///
    /// [`Error::Write`](crate::Error::Write) naming the file that could not be written.
    pub fn write_national_files(dir: &std::path::Path) -> Result<(), crate::Error> {
        for (name, mut reader) in national_files() {
            crate::atomic::write_with(&dir.join(name), crate::atomic::Mode::Shared, |file| {
                std::io::copy(&mut reader, file).map(drop)
            })?;
        }
        Ok(())
    }

    impl Hierarchy {
        /// The whole country, compiled into the crate: the NBS 2023 list of
        /// 31 provinces, 342 prefectures, 2,978 counties, 41,352 townships
        /// and 620,573 villages (feature `embedded-national`, about 4 MB of
        /// zstd data; licence WTFPL, see `data/LICENSE-DATA`), with the
        /// national code history ([`CodeHistory::national`]).
        ///
        /// The files are decompressed as they are read, never whole; a load
        /// takes about as long as [`Hierarchy::from_nbs_dir`] on the same
        /// list. For a newer list, load its files with
        /// [`Hierarchy::from_nbs_dir`].
        ///
        /// # Panics
        ///
        /// Never: the data is compiled in, and the crate's tests check that
        /// it decompresses to the published files (their SHA-256 sums ship
        /// beside them) and loads.
        ///
        /// ```
        /// use xuncha_org::{Hierarchy, Level};
        /// let china = Hierarchy::national();
        /// assert_eq!(china.count(Level::Province), 31);
        /// assert_eq!(china.count(Level::Village), 620_573);
        /// ```
        pub fn national() -> Hierarchy {
            let sources = FILES.iter().enumerate().map(|(index, file)| {
                let reader = reader(index)
                    .expect("the embedded national data is checked by the crate's tests");
                (
                    PathBuf::from(format!("embedded:national/{}", file.name)),
                    reader,
                )
            });
            load(
                sources,
                CodeHistory::national(),
                "embedded national (NBS 2023)".to_owned(),
            )
            .expect("the embedded national data is checked by the crate's tests")
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use sha2::{Digest, Sha256};
        use std::io::Read;

        #[test]
        fn the_embedded_files_decompress_to_the_published_ones() {
            for (index, file) in FILES.iter().enumerate() {
                let mut bytes = Vec::new();
                reader(index).unwrap().read_to_end(&mut bytes).unwrap();
                let sum = Sha256::digest(&bytes)
                    .iter()
                    .fold(String::new(), |mut hex, b| {
                        use std::fmt::Write as _;
                        let _ = write!(hex, "{b:02x}");
                        hex
                    });
                let expected = NATIONAL_SHA256SUMS
                    .lines()
                    .find_map(|line| {
                        let (sum, name) = line.split_once("  ")?;
                        (name == file.name).then_some(sum)
                    })
                    .unwrap_or_else(|| panic!("{} has a sum", file.name));
                assert_eq!(sum, expected, "{}", file.name);
            }
        }
    }
}
