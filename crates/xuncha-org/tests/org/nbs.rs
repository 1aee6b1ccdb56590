//! Loading the NBS files: the real list, and every kind of bad input.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use xuncha_org::{DataProblem, Error, Hierarchy, Level};

/// A minimal valid set of the five files, one division per level.
const VALID: [(&str, &str); 5] = [
    ("provinces.csv", "code,name\n35,\"福建省\"\n"),
    ("cities.csv", "code,name,provinceCode\n3506,\"漳州市\",35\n"),
    (
        "areas.csv",
        "code,name,cityCode,provinceCode\n350628,\"平和县\",3506,35\n",
    ),
    (
        "streets.csv",
        "code,name,areaCode,provinceCode,cityCode\n350628100,\"小溪镇\",350628,35,3506\n",
    ),
    (
        "villages.csv",
        "code,name,streetCode,provinceCode,cityCode,areaCode\n350628100201,\"东门社区居委会\",350628100,35,3506,350628\n",
    ),
];

/// Writes the valid files into a fresh directory, with `file` replaced by
/// `contents`.
fn fixture(file: &str, contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in VALID {
        let bytes = if name == file {
            contents
        } else {
            text.as_bytes()
        };
        fs::write(dir.path().join(name), bytes).expect("write fixture");
    }
    let path = dir.path().to_owned();
    (dir, path)
}

/// Loads a fixture and returns its error, checking that it is located at
/// `file`, `line` and `field`.
fn load_error(file: &str, contents: &str, line: u64, field: &str) -> DataProblem {
    load_error_bytes(file, contents.as_bytes(), line, field)
}

fn load_error_bytes(file: &str, contents: &[u8], line: u64, field: &str) -> DataProblem {
    let (_guard, dir) = fixture(file, contents);
    let err = Hierarchy::from_nbs_dir(&dir).expect_err("the fixture is bad");
    let location = err
        .location()
        .unwrap_or_else(|| panic!("located error: {err}"));
    assert_eq!(location.file, dir.join(file), "{err}");
    assert_eq!(location.line, Some(line), "{err}");
    assert_eq!(location.field.as_deref(), Some(field), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(file) && message.contains(&format!("line {line}")),
        "{message}"
    );
    assert!(message.contains(&format!("field `{field}`")), "{message}");
    err.data_problem().expect("a data error").clone()
}

#[test]
fn the_minimal_fixture_loads() {
    let (_guard, dir) = fixture("", b"");
    let hierarchy = Hierarchy::from_nbs_dir(&dir).expect("valid fixture");
    assert_eq!(hierarchy.len(), 5);
    let village = hierarchy.lookup("350628100201").expect("village");
    assert_eq!(
        village.path_string(),
        "福建省 / 漳州市 / 平和县 / 小溪镇 / 东门社区居委会"
    );
    assert_eq!(hierarchy.source(), dir.display().to_string());
}

#[test]
fn a_missing_column_names_the_column() {
    let problem = load_error(
        "areas.csv",
        "code,name,provinceCode\n350628,\"平和县\",35\n",
        1,
        "cityCode",
    );
    assert!(
        matches!(problem, DataProblem::MissingColumn { ref column, .. } if column == "cityCode")
    );
}

#[test]
fn a_code_of_the_wrong_length_names_the_field() {
    let problem = load_error(
        "areas.csv",
        "code,name,cityCode,provinceCode\n35062,\"平和县\",3506,35\n",
        2,
        "code",
    );
    assert!(matches!(problem, DataProblem::InvalidCode { ref input, .. } if input == "35062"));
}

#[test]
fn a_child_whose_parent_is_absent_names_the_parent_field() {
    let problem = load_error(
        "streets.csv",
        "code,name,areaCode,provinceCode,cityCode\n350628100,\"小溪镇\",350628,35,3506\n350629100,\"某镇\",350629,35,3506\n",
        3,
        "areaCode",
    );
    assert!(
        matches!(problem, DataProblem::MissingParent { parent, .. } if parent.to_string() == "350629")
    );
}

#[test]
fn a_duplicate_code_names_both_lines() {
    let row = "350628100201,\"东门社区居委会\",350628100,35,3506,350628\n";
    let contents = format!("code,name,streetCode,provinceCode,cityCode,areaCode\n{row}{row}");
    let problem = load_error("villages.csv", &contents, 3, "code");
    match problem {
        DataProblem::DuplicateCode { first, .. } => assert_eq!(first.line, Some(2)),
        other => panic!("expected a duplicate, got {other:?}"),
    }
}

#[test]
fn text_that_is_not_utf8_names_the_field() {
    let mut contents = b"code,name,areaCode,provinceCode,cityCode\n350628100,\"".to_vec();
    contents.extend_from_slice(&[0xff, 0xfe, 0xe5]);
    contents.extend_from_slice(b"\",350628,35,3506\n");
    let problem = load_error_bytes("streets.csv", &contents, 2, "name");
    assert_eq!(problem, DataProblem::NotUtf8);
}

#[test]
fn a_parent_column_that_disagrees_with_the_code_names_the_column() {
    let problem = load_error(
        "villages.csv",
        "code,name,streetCode,provinceCode,cityCode,areaCode\n350628100201,\"东门社区居委会\",350628100,35,3505,350628\n",
        2,
        "cityCode",
    );
    assert!(matches!(problem, DataProblem::ParentMismatch { .. }));
}

#[test]
fn a_short_row_names_the_line() {
    let (_guard, dir) = fixture(
        "cities.csv",
        b"code,name,provinceCode\n3506,\"\xe6\xbc\xb3\xe5\xb7\x9e\xe5\xb8\x82\"\n",
    );
    let err = Hierarchy::from_nbs_dir(&dir).expect_err("short row");
    assert_eq!(err.location().and_then(|l| l.line), Some(2), "{err}");
    assert!(matches!(
        err.data_problem(),
        Some(DataProblem::FieldCount {
            expected: 3,
            found: 2
        })
    ));
}

#[test]
fn an_empty_name_or_file_is_an_error() {
    let problem = load_error(
        "cities.csv",
        "code,name,provinceCode\n3506,\"\",35\n",
        2,
        "name",
    );
    assert_eq!(problem, DataProblem::Empty);
    let (_guard, dir) = fixture("provinces.csv", b"");
    let err = Hierarchy::from_nbs_dir(&dir).expect_err("empty file");
    assert!(
        matches!(err.data_problem(), Some(DataProblem::NoHeader)),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let (_guard, dir) = fixture("", b"");
    fs::remove_file(dir.join("streets.csv")).expect("remove");
    let err = Hierarchy::from_nbs_dir(&dir).expect_err("missing file");
    match &err {
        Error::Io { path, .. } => assert_eq!(path, &dir.join("streets.csv")),
        other => panic!("expected an I/O error, got {other}"),
    }
    assert!(err.to_string().contains("streets.csv"));
}

#[test]
fn a_code_changes_file_beside_the_divisions_is_merged() {
    let (_guard, dir) = fixture("", b"");
    fs::write(
        dir.join("code_changes.csv"),
        "old,new,date,kind\n350699,350628,2010-01-01,renamed\n",
    )
    .expect("write");
    let hierarchy = Hierarchy::from_nbs_dir(&dir).expect("loads");
    let old = xuncha_org::Code::parse("350699").expect("code");
    let date = chrono::NaiveDate::from_ymd_opt(2005, 1, 1).expect("date");
    assert_eq!(
        hierarchy
            .resolve(old, date)
            .expect("resolves")
            .division
            .name(),
        "平和县"
    );
    assert_eq!(
        hierarchy.history().len(),
        xuncha_org::CodeHistory::national().len() + 1,
        "the national history and one more"
    );
}

/// A row of the file beside the divisions replaces the history's rows of
/// the same old code instead of making it ambiguous.
#[test]
fn a_code_changes_file_corrects_a_row_of_the_history() {
    let (_guard, dir) = fixture("", b"");
    fs::write(
        dir.join("code_changes.csv"),
        "old,new,date,kind\n350681,350628,2021-02-02,renamed\n",
    )
    .expect("write");
    let hierarchy = Hierarchy::from_nbs_dir(&dir).expect("loads");
    let old = xuncha_org::Code::parse("350681").expect("code");
    let date = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).expect("date");
    let resolved = hierarchy.resolve(old, date).expect("one change, not two");
    assert_eq!(resolved.division.name(), "平和县");
    assert_eq!(hierarchy.history().changes_from(old).len(), 1);
}

fn assert_loads_or_locates(dir: &Path) {
    match Hierarchy::from_nbs_dir(dir) {
        Ok(hierarchy) => assert!(hierarchy.count(Level::Province) <= 1),
        Err(Error::Data { location, .. }) => {
            assert!(location.file.starts_with(dir));
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_in_any_file_never_panic(
        file in 0..5usize,
        bytes in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let (_guard, dir) = fixture(VALID[file].0, &bytes);
        assert_loads_or_locates(&dir);
    }

    #[test]
    fn corrupting_one_byte_of_a_valid_file_never_panics(
        file in 0..5usize,
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = VALID[file].1.as_bytes().to_vec();
        let at = position.index(bytes.len());
        bytes[at] = byte;
        let (_guard, dir) = fixture(VALID[file].0, &bytes);
        assert_loads_or_locates(&dir);
    }
}
