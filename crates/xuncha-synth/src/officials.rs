//! Synthetic leading officials of the inspected counties, from the same
//! career model as the roster, so that ties arise from shared posts.

use std::ops::RangeInclusive;

use chrono::{Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use xuncha_avoid::{Official, Officials, Place};
use xuncha_org::{Code, Hierarchy, Units};

use crate::roster::{Atlas, Career, DEFAULT_EARLIER_POSTS, GIVEN, SURNAMES, school, weighted};

/// The posts of a county's leading group (县级领导班子), in the order drawn.
const POSTS: [&str; 10] = [
    "县委书记",
    "县长",
    "纪委书记",
    "组织部长",
    "常务副县长",
    "副县长",
    "宣传部长",
    "政法委书记",
    "统战部长",
    "人大常委会主任",
];

/// How to generate the officials of the inspected side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialsSpec {
    /// Leading officials per county (at most 10: 县委书记, 县长, 纪委书记,
    /// 组织部长, 常务副县长, 副县长, 宣传部长, 政法委书记, 统战部长,
    /// 人大常委会主任, in that order).
    pub per_county: usize,
    /// The seed of the generator.
    pub seed: u64,
    /// The reference date: every official serves on it.
    pub date: NaiveDate,
    /// Only the counties below this division (a province or a city).
    pub within: Option<Code>,
    /// How many posts an official held before their leading post, as
    /// [`RosterSpec::earlier_posts`](crate::RosterSpec::earlier_posts); 1 to 4 by default.
    pub earlier_posts: RangeInclusive<usize>,
}

impl OfficialsSpec {
    /// A spec for `per_county` officials in every county, dated `date`.
    pub fn new(per_county: usize, seed: u64, date: NaiveDate) -> OfficialsSpec {
        OfficialsSpec {
            per_county,
            seed,
            date,
            within: None,
            earlier_posts: DEFAULT_EARLIER_POSTS,
        }
    }

    /// The same spec for the counties below `division` only.
    #[must_use]
    pub fn within(mut self, division: Code) -> OfficialsSpec {
        self.within = Some(division);
        self
    }

    /// The same spec with `posts` earlier posts an official.
    #[must_use]
    pub fn with_earlier_posts(mut self, posts: RangeInclusive<usize>) -> OfficialsSpec {
        self.earlier_posts = posts;
        self
    }

    /// The officials, ids `L000001`...: each leads their county's
    /// government in one of the posts of its leading group, taken 0 to 5
    /// years before the date, with earlier posts drawn as a roster
    /// person's (an official is a local of a county of the same city, so
    /// many served where the roster's people did), a place of upbringing as
    /// a local's and a school as the roster's.
    pub fn officials(&self, hierarchy: &Hierarchy) -> Vec<Official> {
        self.officials_in(hierarchy, &Units::default())
    }

    /// The officials, with earlier posts in the bureaus of `units`, as
    /// [`RosterSpec::people_in`](crate::RosterSpec::people_in).
    pub fn officials_in(&self, hierarchy: &Hierarchy, units: &Units) -> Vec<Official> {
        let atlas = Atlas::new(hierarchy, self.within).with_bureaus(units);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ OFFICIALS_STREAM);
        let career = Career::local(self.earlier_posts.clone());
        let mut out = Vec::new();
        for &county in &atlas.counties {
            for post in POSTS.iter().take(self.per_county) {
                let mut name = weighted(&SURNAMES, &mut rng).to_owned();
                for _ in 0..rng.random_range(1..=2) {
                    name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
                }
                let id = format!("L{:06}", out.len() + 1);
                let mut official = Official::new(&id, &name, Place::Division(county), post);
                let since = self
                    .date
                    .checked_sub_months(Months::new(rng.random_range(0..=60)))
                    .unwrap_or(self.date);
                official.from = Some(since);
                // Their career before: a local of a county of the same city.
                let home = if rng.random_range(0..100) < 50 {
                    county
                } else {
                    atlas.neighbour(county, &mut rng)
                };
                let mut posts = career.posts_before(since, home, &atlas, &mut rng);
                official.posts.append(&mut posts);
                official
                    .upbringing
                    .push(Place::Division(atlas.spread(home, 70, 20, &mut rng)));
                if let Some((school, year)) = school(home, &atlas.provinces, self.date, &mut rng) {
                    official.school = Some(school);
                    official.graduation = Some(year);
                }
                out.push(official);
            }
        }
        out
    }

    /// The officials checked (old codes resolved).
    ///
    /// # Errors
    ///
    /// None in practice, as for [`RosterSpec::roster`](crate::RosterSpec::roster).
    pub fn checked(
        &self,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Officials, xuncha_avoid::Error> {
        Officials::new(self.officials_in(hierarchy, units), hierarchy, units)
    }
}

/// The seed of the officials' stream, mixed into the spec's.
const OFFICIALS_STREAM: u64 = 0x0ff1_c1a1;
