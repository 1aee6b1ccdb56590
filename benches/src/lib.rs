//! Shared inputs for the criterion benchmarks: where the real data lives,
//! and a small deterministic generator for sampling it.

use std::path::PathBuf;

/// The national division list as files: `$XUNCHA_DIVISIONS`, or the
/// embedded list written out once into `target/national-divisions`.
///
/// # Panics
///
/// When the files cannot be written.
pub fn national_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XUNCHA_DIVISIONS") {
        return PathBuf::from(dir);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/national-divisions");
    if !dir.join("villages.csv").is_file() {
        std::fs::create_dir_all(&dir).expect("target/national-divisions can be created");
        xuncha_org::write_national_files(&dir).expect("written out");
    }
    dir
}

/// `SplitMix64`: a tiny, portable, seeded generator, so that every run
/// samples the same queries.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator with the given seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }
}

/// The county-level divisions of cities with at least three of them: the
/// targets a city-pooled cross-inspection round can staff (a city of one
/// or two counties has no other counties to cross with).
pub fn rotatable_counties(hierarchy: &xuncha_org::Hierarchy) -> Vec<xuncha_org::Code> {
    hierarchy
        .at_level(xuncha_org::Level::City)
        .filter(|city| city.children().count() >= 3)
        .flat_map(|city| {
            city.children()
                .map(xuncha_org::Division::code)
                .collect::<Vec<_>>()
        })
        .collect()
}
