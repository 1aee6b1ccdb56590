//! Synthetic rosters.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use xuncha_avoid::{
    DeclaredConflict, Kinship, PastInspection, Person, Place, Post, Rank, Relative, Roster, Skill,
    Target,
};
use xuncha_org::{Code, Division, Hierarchy, Level, UnitId, UnitKind, Units};

/// How to generate a roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterSpec {
    /// How many people.
    pub size: usize,
    /// The seed of the generator; the same seed gives the same people.
    pub seed: u64,
    /// The reference date: posts and inspections lie before it.
    pub date: NaiveDate,
    /// Draw origins only from the counties below this division (a province
    /// or a city); all counties when `None`.
    pub within: Option<Code>,
    /// How many earlier posts a person has held, drawn evenly from the
    /// range; 1 to 4 by default ([`DEFAULT_EARLIER_POSTS`]). Each post lasts
    /// 12 to 60 months, or less in long careers (at most `720 / max`
    /// months, and never less than 24), so that about 15 posts span some
    /// 30 years.
    pub earlier_posts: RangeInclusive<usize>,
}

/// The earlier posts a synthetic person holds by default: 1 to 4.
pub const DEFAULT_EARLIER_POSTS: RangeInclusive<usize> = 1..=4;

/// The least weight of a county when drawing origins, in townships, so
/// that small counties still field enough people.
const MIN_WEIGHT: usize = 12;

/// The share (in hundredths) of exchanged cadres (交流干部): people who
/// grew up and served elsewhere before their county put them forward.
const EXCHANGED: u32 = 60;

/// Common surnames with rough weights.
pub(crate) const SURNAMES: [(&str, u32); 24] = [
    ("王", 72),
    ("李", 71),
    ("张", 70),
    ("刘", 54),
    ("陈", 54),
    ("杨", 37),
    ("黄", 27),
    ("赵", 26),
    ("吴", 25),
    ("周", 24),
    ("徐", 18),
    ("孙", 17),
    ("马", 16),
    ("朱", 15),
    ("胡", 14),
    ("郭", 13),
    ("何", 12),
    ("林", 12),
    ("罗", 11),
    ("高", 11),
    ("郑", 10),
    ("梁", 9),
    ("谢", 8),
    ("蔡", 6),
];

/// Characters for given names.
pub(crate) const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "文", "辉", "玲", "红", "鑫", "斌", "宇", "浩",
    "凯", "琳", "晨", "志", "海", "峰", "燕", "婷",
];

/// Titles for posts.
const TITLES: [&str; 8] = [
    "科员",
    "副镇长",
    "镇长",
    "副主任",
    "主任",
    "副局长",
    "局长",
    "纪委书记",
];

/// Reasons for declared conflicts.
const REASONS: [&str; 4] = [
    "配偶原籍",
    "曾在当地经商",
    "与当地领导干部为同学",
    "子女在当地就业",
];

/// Kinships with weights (parts per hundred).
const KINSHIPS: [(Kinship, u32); 9] = [
    (Kinship::Spouse, 20),
    (Kinship::Parent, 20),
    (Kinship::Child, 15),
    (Kinship::Sibling, 20),
    (Kinship::Cousin, 10),
    (Kinship::ParentInLaw, 4),
    (Kinship::ChildInLaw, 3),
    (Kinship::SiblingInLaw, 3),
    (Kinship::UncleAunt, 5),
];

/// The geography the generator draws from, prepared once.
pub(crate) struct Atlas {
    /// Counties eligible as origins, with cumulative weights.
    pub(crate) counties: Vec<Code>,
    cumulative: Vec<u64>,
    /// Every county of the hierarchy by city, and by province.
    by_city: HashMap<Code, Vec<Code>>,
    by_province: HashMap<Code, Vec<Code>>,
    /// Townships and villages of each county.
    townships: HashMap<Code, Vec<Code>>,
    villages: HashMap<Code, Vec<Code>>,
    /// For a current code, the old code and the date it changed.
    retired: HashMap<Code, (Code, NaiveDate)>,
    /// The provinces' names, for schools.
    pub(crate) provinces: HashMap<Code, String>,
    /// The bureaus of each county, from the units given.
    bureaus: HashMap<Code, Vec<UnitId>>,
}

impl Atlas {
    pub(crate) fn new(hierarchy: &Hierarchy, within: Option<Code>) -> Atlas {
        let mut counties = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        let mut by_city: HashMap<Code, Vec<Code>> = HashMap::new();
        let mut by_province: HashMap<Code, Vec<Code>> = HashMap::new();
        let mut townships: HashMap<Code, Vec<Code>> = HashMap::new();
        let mut villages: HashMap<Code, Vec<Code>> = HashMap::new();
        for county in hierarchy.at_level(Level::County) {
            let code = county.code();
            let towns: Vec<Code> = county.children().map(Division::code).collect();
            let vills: Vec<Code> = county
                .subtree()
                .filter(|d| d.level() == Level::Village)
                .map(Division::code)
                .collect();
            if let Some(city) = code.ancestor_at(Level::City) {
                by_city.entry(city).or_default().push(code);
            }
            if let Some(province) = code.ancestor_at(Level::Province) {
                by_province.entry(province).or_default().push(code);
            }
            if within.is_none_or(|w| w.contains(code)) {
                total += u64::try_from(towns.len().max(MIN_WEIGHT)).unwrap_or(1);
                counties.push(code);
                cumulative.push(total);
            }
            townships.insert(code, towns);
            villages.insert(code, vills);
        }
        // Old codes a post may be recorded under: those with one change, to
        // a current division (a code split among several would not
        // resolve).
        let history = hierarchy.history();
        let retired = history
            .changes()
            .iter()
            .filter(|c| history.changes_from(c.old).len() == 1 && hierarchy.get(c.new).is_some())
            .map(|c| (c.new, (c.old, c.date)))
            .collect();
        let provinces = hierarchy
            .at_level(Level::Province)
            .map(|p| (p.code(), p.name().to_owned()))
            .collect();
        Atlas {
            counties,
            cumulative,
            by_city,
            by_province,
            townships,
            villages,
            retired,
            provinces,
            bureaus: HashMap::new(),
        }
    }

    /// The same atlas with the bureaus of `units` (units of kind
    /// [`UnitKind::Bureau`] located in a county) to post people into.
    pub(crate) fn with_bureaus(mut self, units: &Units) -> Atlas {
        for unit in units {
            if unit.kind == UnitKind::Bureau && unit.division.level() == Level::County {
                self.bureaus
                    .entry(unit.division)
                    .or_default()
                    .push(unit.id.clone());
            }
        }
        self
    }

    /// Where a post drawn in `place` is held: for a county with bureaus,
    /// one of them two times in three, else the division itself. Draws
    /// nothing for a place without bureaus.
    fn post_in(&self, place: Code, rng: &mut ChaCha8Rng) -> Option<Place> {
        let bureaus = self.bureaus.get(&place)?;
        if bureaus.is_empty() || rng.random_range(0..3) == 0 {
            return None;
        }
        bureaus
            .get(rng.random_range(0..bureaus.len()))
            .map(|id| Place::Unit(id.clone()))
    }

    fn origin(&self, rng: &mut ChaCha8Rng) -> Code {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let draw = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= draw);
        self.counties[i.min(self.counties.len() - 1)]
    }

    pub(crate) fn township(&self, county: Code, rng: &mut ChaCha8Rng) -> Code {
        pick(
            self.townships.get(&county).map_or(&[][..], Vec::as_slice),
            rng,
        )
        .unwrap_or(county)
    }

    fn village_or_township(&self, county: Code, rng: &mut ChaCha8Rng) -> Code {
        pick(
            self.villages.get(&county).map_or(&[][..], Vec::as_slice),
            rng,
        )
        .unwrap_or_else(|| self.township(county, rng))
    }

    /// Another county of the same city, or of the province if the city has
    /// no other.
    pub(crate) fn neighbour(&self, county: Code, rng: &mut ChaCha8Rng) -> Code {
        let city = county.ancestor_at(Level::City);
        let others: Vec<Code> = city
            .and_then(|c| self.by_city.get(&c))
            .map(|v| v.iter().copied().filter(|&c| c != county).collect())
            .unwrap_or_default();
        pick(&others, rng).unwrap_or_else(|| self.elsewhere(county, rng))
    }

    /// Another county of the same province.
    fn elsewhere(&self, county: Code, rng: &mut ChaCha8Rng) -> Code {
        let province = county.ancestor_at(Level::Province);
        let all = province
            .and_then(|p| self.by_province.get(&p))
            .map_or(&[][..], Vec::as_slice);
        for _ in 0..8 {
            if let Some(c) = pick(all, rng)
                && c != county
            {
                return c;
            }
        }
        county
    }

    /// A place drawn by the shares: origin county / same city / elsewhere.
    pub(crate) fn spread(&self, origin: Code, local: u32, city: u32, rng: &mut ChaCha8Rng) -> Code {
        let draw = rng.random_range(0..100);
        if draw < local {
            self.township(origin, rng)
        } else if draw < local + city {
            self.neighbour(origin, rng)
        } else {
            self.elsewhere(origin, rng)
        }
    }
}

/// The seed of the schools' stream, mixed into the spec's.
const SCHOOL_STREAM: u64 = 0x005c_4001;

/// Universities people graduate from, with weights, each with a
/// department below: a classmate (同学) is someone of the same department
/// and year, not of the same university.
const SCHOOLS: [(&str, u32); 6] = [
    ("师范大学", 25),
    ("大学", 15),
    ("工业大学", 20),
    ("农林大学", 15),
    ("省委党校", 15),
    ("财经学院", 10),
];

/// Departments (院系).
const DEPARTMENTS: [&str; 12] = [
    "中文系",
    "法学院",
    "经济学院",
    "历史系",
    "数学系",
    "政治系",
    "管理学院",
    "会计系",
    "农学院",
    "外语系",
    "哲学系",
    "新闻系",
];

/// A school of the province of `origin` (its name's first two characters,
/// such as 福建), a department and a graduation year 8 to 35 years before
/// `date`, for 70 % of people.
pub(crate) fn school(
    origin: Code,
    hierarchy_names: &HashMap<Code, String>,
    date: NaiveDate,
    rng: &mut ChaCha8Rng,
) -> Option<(String, i32)> {
    use chrono::Datelike as _;
    let recorded = rng.random_range(0..100) < 70;
    let school = weighted(&SCHOOLS, rng);
    let department = DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())];
    let year = date.year() - rng.random_range(8..=35);
    let province = origin
        .ancestor_at(Level::Province)
        .and_then(|p| hierarchy_names.get(&p))
        .map_or("", |name| name.get(..6).unwrap_or(name));
    recorded.then(|| (format!("{province}{school}{department}"), year))
}

pub(crate) fn pick<T: Copy>(items: &[T], rng: &mut ChaCha8Rng) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.random_range(0..items.len())])
}

pub(crate) fn weighted<T: Copy>(items: &[(T, u32)], rng: &mut ChaCha8Rng) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut draw = rng.random_range(0..total.max(1));
    for &(item, weight) in items {
        if draw < weight {
            return item;
        }
        draw -= weight;
    }
    items[0].0
}

fn days_before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

impl RosterSpec {
    /// A spec for `size` people with `seed`, dated `date`, over every county.
    pub fn new(size: usize, seed: u64, date: NaiveDate) -> RosterSpec {
        RosterSpec {
            size,
            seed,
            date,
            within: None,
            earlier_posts: DEFAULT_EARLIER_POSTS,
        }
    }

    /// The same spec with origins drawn only below `division`.
    #[must_use]
    pub fn within(mut self, division: Code) -> RosterSpec {
        self.within = Some(division);
        self
    }

    /// The same spec with careers of `posts` earlier posts (see
    /// [`RosterSpec::earlier_posts`]).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_org::Hierarchy;
    /// use xuncha_synth::RosterSpec;
    ///
    /// let date = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    /// let people = RosterSpec::new(20, 1, date)
    ///     .with_earlier_posts(15..=15)
    ///     .people(&Hierarchy::fujian());
    /// assert!(people.iter().all(|p| p.posts.len() == 15));
    /// ```
    #[must_use]
    pub fn with_earlier_posts(mut self, posts: RangeInclusive<usize>) -> RosterSpec {
        self.earlier_posts = posts;
        self
    }

    /// The people, before any check: some posts carry retired codes, as an
    /// office's old records do. Empty when the hierarchy (or
    /// [`RosterSpec::within`]) has no county.
    ///
    /// # Complexity
    ///
    /// O(n) in the people after O(d) preparation over the divisions.
    pub fn people(&self, hierarchy: &Hierarchy) -> Vec<Person> {
        self.people_in(hierarchy, &Units::default())
    }

    /// The people, with posts in the bureaus of `units` (see
    /// [`county_bureaus`](crate::county_bureaus)): two in three of the
    /// posts drawn in a county's seat go to one of its bureaus. With no
    /// bureaus, the same people as [`RosterSpec::people`].
    pub fn people_in(&self, hierarchy: &Hierarchy, units: &Units) -> Vec<Person> {
        let atlas = Atlas::new(hierarchy, self.within).with_bureaus(units);
        if atlas.counties.is_empty() {
            return Vec::new();
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        // Schools come from their own stream, so that adding them changed
        // no other draw.
        let mut schools = ChaCha8Rng::seed_from_u64(self.seed ^ SCHOOL_STREAM);
        (0..self.size)
            .map(|i| {
                let mut person = self.person(i, &atlas, &mut rng);
                let drawn = school(person.origin, &atlas.provinces, self.date, &mut schools);
                if let Some((school, year)) = drawn {
                    person.school = Some(school);
                    person.graduation = Some(year);
                }
                person
            })
            .collect()
    }

    /// The people checked into a roster (old codes resolved).
    ///
    /// # Errors
    ///
    /// None in practice: the people are built from the hierarchy's own
    /// codes. The roster's checks still run, and their error is passed on.
    pub fn roster(
        &self,
        hierarchy: &Hierarchy,
        units: &Units,
    ) -> Result<Roster, xuncha_avoid::Error> {
        Roster::new(self.people_in(hierarchy, units), hierarchy, units)
    }

    /// The earlier posts, back to back, oldest first.
    pub(crate) fn posts(
        &self,
        origin: Code,
        exchanged: bool,
        atlas: &Atlas,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Post> {
        let (local, city) = if exchanged { (0, 70) } else { (60, 25) };
        let career = Career {
            posts: self.earlier_posts.clone(),
            local,
            city,
        };
        career.posts_before(self.date, origin, atlas, rng)
    }
}

/// How a career before a date is drawn: how many posts, and where.
pub(crate) struct Career {
    /// How many posts.
    pub(crate) posts: RangeInclusive<usize>,
    /// The share (in hundredths) of posts in the origin county's townships.
    pub(crate) local: u32,
    /// The share of posts in another county of the same city.
    pub(crate) city: u32,
}

impl Career {
    /// A local's career of `posts` posts (60 % in their county, 25 % in
    /// the city), as an official's before their leading post.
    pub(crate) fn local(posts: RangeInclusive<usize>) -> Career {
        Career {
            posts,
            local: 60,
            city: 25,
        }
    }

    /// Posts of someone from `origin`, back to back, ending before `date`,
    /// oldest first.
    pub(crate) fn posts_before(
        &self,
        date: NaiveDate,
        origin: Code,
        atlas: &Atlas,
        rng: &mut ChaCha8Rng,
    ) -> Vec<Post> {
        let (local, city) = (self.local, self.city);
        let longest = u32::try_from(720 / (*self.posts.end()).max(1))
            .unwrap_or(60)
            .clamp(24, 60);
        // Drawn as a `u32` (as the 1 to 4 posts always were), and an empty
        // range read as its start.
        let fewest = u32::try_from(*self.posts.start()).unwrap_or(u32::MAX);
        let most = u32::try_from(*self.posts.end())
            .unwrap_or(u32::MAX)
            .max(fewest);
        let mut posts = Vec::new();
        let mut end = days_before(date, rng.random_range(0..365));
        for _ in 0..rng.random_range(fewest..=most) {
            let start = end
                .checked_sub_months(Months::new(rng.random_range(12..=longest)))
                .unwrap_or(end);
            let place = atlas.spread(origin, local, city, rng);
            let recorded = match atlas.retired.get(&place) {
                Some(&(old, changed)) if start < changed => old,
                _ => place,
            };
            let place = atlas
                .post_in(place, rng)
                .unwrap_or(Place::Division(recorded));
            posts.push(Post {
                place,
                title: TITLES[rng.random_range(0..TITLES.len())].to_owned(),
                from: Some(start),
                to: Some(end),
            });
            end = days_before(start, rng.random_range(1..90));
        }
        posts.reverse();
        posts
    }
}

impl RosterSpec {
    /// 0 to 5 relatives, each working in one place.
    fn relatives(&self, origin: Code, atlas: &Atlas, rng: &mut ChaCha8Rng) -> Vec<Relative> {
        let mut relatives = Vec::new();
        let mut has_spouse = false;
        for _ in 0..rng.random_range(0..=5) {
            let mut kinship = weighted(&KINSHIPS, rng);
            if kinship == Kinship::Spouse {
                if has_spouse {
                    kinship = Kinship::Sibling;
                }
                has_spouse = true;
            }
            let draw = rng.random_range(0..100);
            let place = if draw < 67 {
                atlas.township(origin, rng)
            } else if draw < 70 {
                origin
            } else {
                atlas.neighbour(origin, rng)
            };
            let left = rng.random_range(0..100) < 20;
            let to = left.then(|| days_before(self.date, rng.random_range(365..1_460)));
            let from = days_before(to.unwrap_or(self.date), rng.random_range(365..7_300));
            let mut relative_name = weighted(&SURNAMES, rng).to_owned();
            relative_name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
            // Two relatives never share a name: a roster row tells relatives
            // apart by kinship and name.
            while relatives.iter().any(|r: &Relative| r.name == relative_name) {
                relative_name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
            }
            let mut relative = Relative::new(kinship, &relative_name);
            relative.posts.push(Post {
                place: Place::Division(place),
                title: String::new(),
                from: Some(from),
                to,
            });
            relatives.push(relative);
        }
        relatives
    }

    fn person(&self, i: usize, atlas: &Atlas, rng: &mut ChaCha8Rng) -> Person {
        let origin = atlas.origin(rng);
        let mut name = weighted(&SURNAMES, rng).to_owned();
        for _ in 0..rng.random_range(1..=2) {
            name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
        }
        let mut person = Person::new(&format!("P{:06}", i + 1), &name, origin);

        let draw = rng.random_range(0..100);
        person.residence = Some(Place::Division(if draw < 85 {
            atlas.village_or_township(origin, rng)
        } else if draw < 95 {
            atlas.township(atlas.neighbour(origin, rng), rng)
        } else {
            atlas.township(atlas.elsewhere(origin, rng), rng)
        }));

        let draw = rng.random_range(0..100);
        person.workplace = Some(Place::Division(if draw < 80 {
            atlas.township(origin, rng)
        } else if draw < 85 {
            origin
        } else {
            origin.ancestor_at(Level::City).unwrap_or(origin)
        }));

        let exchanged = rng.random_range(0..100) < EXCHANGED;
        person.posts = self.posts(origin, exchanged, atlas, rng);

        let places = if rng.random_range(0..100) < 80 { 1 } else { 2 };
        let (local, city) = if exchanged { (0, 70) } else { (70, 20) };
        for _ in 0..places {
            person
                .upbringing
                .push(Place::Division(atlas.spread(origin, local, city, rng)));
        }

        person.relatives = self.relatives(origin, atlas, rng);

        if rng.random_range(0..100) < 5 {
            person.declared.push(DeclaredConflict {
                place: Place::Division(atlas.neighbour(origin, rng)),
                reason: REASONS[rng.random_range(0..REASONS.len())].to_owned(),
            });
        }

        for _ in 0..rng.random_range(0..=3) {
            person.inspections.push(PastInspection {
                target: Target::Division(atlas.neighbour(origin, rng)),
                date: days_before(self.date, rng.random_range(365..1_825)),
            });
        }

        person.rank = weighted(
            &[
                (Rank::Clerk, 20),
                (Rank::DeputySectionChief, 30),
                (Rank::SectionChief, 30),
                (Rank::DeputyDirector, 15),
                (Rank::Director, 5),
            ],
            rng,
        );
        for (skill, share) in [
            (Skill::FinanceAudit, 25),
            (Skill::Law, 15),
            (Skill::DisciplineInspection, 35),
            (Skill::OrganisationPersonnel, 20),
        ] {
            if rng.random_range(0..100) < share {
                person.skills.push(skill);
            }
        }
        person
    }
}
