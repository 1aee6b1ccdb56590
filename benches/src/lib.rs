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

/// The facts the all-pairs tie peer compares: posts, places of upbringing,
/// school and year.
pub type TieFacts<'a> = (
    &'a [xuncha_avoid::Post],
    &'a [xuncha_avoid::Place],
    Option<(&'a str, i32)>,
);

/// The facts of every roster person, then every official, for
/// [`all_pairs_ties`].
pub fn tie_facts<'a>(
    roster: &'a xuncha_avoid::Roster,
    officials: &'a xuncha_avoid::Officials,
) -> Vec<TieFacts<'a>> {
    roster
        .people()
        .iter()
        .map(|p| {
            (
                &p.posts[..],
                &p.upbringing[..],
                p.school.as_deref().zip(p.graduation),
            )
        })
        .chain(officials.officials().iter().map(|o| {
            (
                &o.posts[..],
                &o.upbringing[..],
                o.school.as_deref().zip(o.graduation),
            )
        }))
        .collect()
}

/// The acquaintance graph's peer: every pair of one of `sample` (positions
/// in `everyone`) and anyone else, compared by their facts (posts in the
/// same place overlapping a year by `date`, the same township of
/// upbringing, the same school and year); the number of tied pairs.
pub fn all_pairs_ties(
    everyone: &[TieFacts<'_>],
    sample: &[usize],
    date: chrono::NaiveDate,
) -> usize {
    let mut tied = 0usize;
    for &i in sample {
        let Some(&one) = everyone.get(i) else {
            continue;
        };
        for (j, other) in everyone.iter().enumerate() {
            if j != i && pairwise_tie(one, *other, date) {
                tied += 1;
            }
        }
    }
    tied
}

fn pairwise_tie(a: TieFacts<'_>, b: TieFacts<'_>, date: chrono::NaiveDate) -> bool {
    let town = |p: &xuncha_avoid::Place| match p {
        xuncha_avoid::Place::Division(c) => c.ancestor_at(xuncha_org::Level::Township),
        xuncha_avoid::Place::Unit(_) => None,
    };
    let posts = a.0.iter().any(|x| {
        b.0.iter().any(|y| {
            let (Some(fx), Some(fy)) = (x.from, y.from) else {
                return false;
            };
            let from = fx.max(fy);
            let to = [x.to, y.to, Some(date)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(from);
            x.place == y.place && (to - from).num_days() >= 365
        })
    });
    posts
        || a.1
            .iter()
            .any(|x| town(x).is_some_and(|t| b.1.iter().any(|y| town(y) == Some(t))))
        || (a.2.is_some() && a.2 == b.2)
}
