//! Shared fixtures: the national division list, loaded once per test binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use xuncha_org::Hierarchy;

/// The NBS 2023 division list as files: the embedded ones written out once
/// per test binary, so that `from_nbs_dir` reads the published bytes.
pub(crate) fn national_dir() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        xuncha_org::write_national_files(dir.path()).expect("written out");
        dir
    })
    .path()
    .to_path_buf()
}

/// The national hierarchy, loaded on first use from the files.
pub(crate) fn national() -> &'static Hierarchy {
    static NATIONAL: OnceLock<Hierarchy> = OnceLock::new();
    NATIONAL.get_or_init(|| {
        Hierarchy::from_nbs_dir(national_dir()).expect("the national division list loads")
    })
}

/// The embedded Fujian hierarchy, built on first use.
pub(crate) fn fujian() -> &'static Hierarchy {
    static FUJIAN: OnceLock<Hierarchy> = OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}
