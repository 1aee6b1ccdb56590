//! Shared fixtures: the national division list, loaded once per test binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use xuncha_org::Hierarchy;

/// The project's copy of the NBS 2023 division list.
pub(crate) fn national_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/divisions")
}

/// The national hierarchy, loaded on first use.
pub(crate) fn national() -> &'static Hierarchy {
    static NATIONAL: OnceLock<Hierarchy> = OnceLock::new();
    NATIONAL.get_or_init(|| {
        Hierarchy::from_nbs_dir(national_dir())
            .expect("the national division list in ../shared/data/divisions loads")
    })
}

/// The embedded Fujian hierarchy, built on first use.
pub(crate) fn fujian() -> &'static Hierarchy {
    static FUJIAN: OnceLock<Hierarchy> = OnceLock::new();
    FUJIAN.get_or_init(Hierarchy::fujian)
}
