//! A round (轮): its date, mode, targets and team specs.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_avoid::{Engine, Rank, Role, Roster, Skill, Target};
use xuncha_org::{Code, Hierarchy, Level};

use crate::{Accompanies, DrawnFrom, Error, TeamKind};

/// The version of the round file format.
const VERSION: u32 = 1;

/// The kind of inspection (巡察方式).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InspectionMode {
    /// 常规巡察: a county inspects its own units.
    Regular,
    /// 交叉巡察: a county's inspectors inspect another county.
    #[default]
    Cross,
    /// 专项巡察: thematic.
    Special,
    /// 机动式巡察: short and focused.
    Mobile,
    /// 提级巡察: a higher level inspects directly.
    Elevated,
}

/// How a team is composed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Composition {
    /// 成建制交叉: the whole team comes from the county the rotation sends to
    /// the target.
    WholeTeam,
    /// 混编: everyone from counties other than the target's, ordinary members
    /// at most `max_per_origin` from any one county.
    Mixed,
    /// 龙岩模式: as mixed for the leader and members; the deputy leader and
    /// the liaison come from the target's own county.
    #[default]
    Longyan,
}

/// Whom `max_per_origin` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginCap {
    /// Ordinary members only; the leader and the specialists are chosen by
    /// their own slots. An exact flow network.
    #[default]
    Members,
    /// Everyone on the team who comes from outside the target's county:
    /// the leader, the specialists and the ordinary members together (and
    /// under the mixed composition the deputy leader and the liaison too).
    /// Not a network: solved exactly by branch and bound over networks
    /// (see `docs/assignment.md`).
    Team,
}

impl OriginCap {
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_members(&self) -> bool {
        *self == OriginCap::Members
    }
}

/// At least `count` members with `skill` (专业人员).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillRequirement {
    /// The skill.
    pub skill: Skill,
    /// How many members must have it.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// What one team needs: its slots, requirements and composition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// Whether the team has a liaison (联络员).
    #[serde(default = "yes")]
    pub liaison: bool,
    /// The number of members (组员), specialists included.
    #[serde(default = "four")]
    pub members: u32,
    /// Members with a given skill, filled by specialists; the rest of the
    /// members are ordinary.
    #[serde(default)]
    pub require: Vec<SkillRequirement>,
    /// The least rank of the leader; `"none"` in a file for no least rank
    /// (a target's team that drops the one its round asks for).
    #[serde(default, with = "rank_or_none")]
    pub min_leader_rank: Option<Rank>,
    /// How the team is composed.
    #[serde(default)]
    pub composition: Composition,
    /// At most this many ordinary members from any one county (mixed and
    /// Longyan compositions); with `origin_cap = "team"`, this many people
    /// in any role.
    #[serde(default = "two")]
    pub max_per_origin: u32,
    /// Whom `max_per_origin` counts: ordinary members (the default), or the
    /// whole team.
    #[serde(default, skip_serializing_if = "OriginCap::is_members")]
    pub origin_cap: OriginCap,
}

/// `min_leader_rank` in files: a rank, or `"none"` for none (written so,
/// so that a target's team that drops its round's least rank reads back
/// the same).
mod rank_or_none {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use xuncha_avoid::Rank;

    #[expect(
        clippy::ref_option,
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's `with` passes the field by reference"
    )]
    pub(super) fn serialize<S: Serializer>(rank: &Option<Rank>, s: S) -> Result<S::Ok, S::Error> {
        match rank {
            Some(rank) => rank.serialize(s),
            None => s.serialize_str("none"),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rank>, D::Error> {
        let text = String::deserialize(d)?;
        if text == "none" {
            return Ok(None);
        }
        text.parse::<Rank>()
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("{e}, or \"none\"")))
    }
}

/// The keys each target's `team` gives in a round file, read apart from
/// the round (the same way from TOML and JSON) so that what a team leaves
/// out can be inherited from the round's ([`TeamSpec::inherit`]).
#[derive(Deserialize)]
struct GivenTeams {
    #[serde(default)]
    targets: Vec<GivenTeam>,
}

/// The keys of a `team` table: only its keys are read, its values skipped.
struct TeamKeys(std::collections::BTreeSet<String>);

impl<'de> Deserialize<'de> for TeamKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TeamKeys, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = TeamKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a team table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TeamKeys, A::Error> {
                let mut keys = std::collections::BTreeSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.insert(key);
                }
                Ok(TeamKeys(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// The keys of one target's `team`, if it has one.
#[derive(Deserialize)]
struct GivenTeam {
    #[serde(default)]
    team: Option<TeamKeys>,
}

impl TeamSpec {
    /// Takes from `round` every field whose key `given` lacks: a target's
    /// team overrides the round's field by field, and `require = []` or
    /// `min_leader_rank = "none"` drop an inherited requirement explicitly.
    fn inherit(&mut self, round: &TeamSpec, given: &TeamKeys) {
        // Destructured, so that a new field cannot be forgotten here.
        let TeamSpec {
            liaison,
            members,
            require,
            min_leader_rank,
            composition,
            max_per_origin,
            origin_cap,
        } = round;
        let absent = |key: &str| !given.0.contains(key);
        if absent("liaison") {
            self.liaison = *liaison;
        }
        if absent("members") {
            self.members = *members;
        }
        if absent("require") {
            self.require.clone_from(require);
        }
        if absent("min_leader_rank") {
            self.min_leader_rank = *min_leader_rank;
        }
        if absent("composition") {
            self.composition = *composition;
        }
        if absent("max_per_origin") {
            self.max_per_origin = *max_per_origin;
        }
        if absent("origin_cap") {
            self.origin_cap = *origin_cap;
        }
    }
}

fn yes() -> bool {
    true
}

fn four() -> u32 {
    4
}

fn two() -> u32 {
    2
}

impl Default for TeamSpec {
    /// A Longyan team of seven: leader, deputy leader, liaison and four
    /// members, one of them with finance and audit skill, the leader at
    /// least a section chief, at most two ordinary members from one county.
    fn default() -> Self {
        TeamSpec {
            liaison: true,
            members: 4,
            require: vec![SkillRequirement {
                skill: Skill::FinanceAudit,
                count: 1,
            }],
            min_leader_rank: Some(Rank::SectionChief),
            composition: Composition::Longyan,
            max_per_origin: 2,
            origin_cap: OriginCap::Members,
        }
    }
}

impl TeamSpec {
    /// The number of specialist member slots.
    pub fn specialists(&self) -> u32 {
        self.require.iter().map(|r| r.count).sum()
    }

    /// The team's size: leader, deputy, liaison if any, and members.
    pub fn size(&self) -> u32 {
        2 + u32::from(self.liaison) + self.members
    }
}

/// One target of a round with its team spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundTarget {
    /// What is inspected.
    pub target: Target,
    /// The team it needs; the round's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamSpec>,
    /// The units the round inspects within a division or cluster target
    /// (被巡察单位), by id in the units file; empty: every unit within it.
    /// At unit scope a person's unit (or a relative's) meets the target
    /// only if the round inspects it (see `docs/rules.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<xuncha_org::UnitId>,
    /// What body of the round the team is: an inspection team, or a
    /// supervision group (督导组) overseeing the teams of the counties its
    /// target names ([`TeamKind`]).
    #[serde(default, skip_serializing_if = "TeamKind::is_inspection")]
    pub kind: TeamKind,
    /// Whom this team is drawn from, in place of the round's
    /// [`Round::drawn_from`]; a supervision group draws from the city's
    /// discipline commission when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawn_from: Option<DrawnFrom>,
}

impl RoundTarget {
    /// A target with the round's default team, every unit within it
    /// inspected.
    pub fn new(target: Target) -> RoundTarget {
        RoundTarget {
            target,
            team: None,
            units: Vec::new(),
            kind: TeamKind::Inspection,
            drawn_from: None,
        }
    }
}

/// The theme of a themed round (专项巡察).
///
/// ```toml
/// mode = "special"
/// [theme]
/// id = "poverty"               # poverty 扶贫, subsistence 低保和民政, service-reform 放管服,
///                              # protection 保护伞, or the office's own
/// select = { within = "3504", level = "township" }   # every township of 三明市
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The theme's id: a built-in one ([`Theme::BUILT_IN`]) or the
    /// office's own.
    pub id: String,
    /// Its name; a built-in theme's Chinese name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The targets the theme selects, added to those the round lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Selection>,
}

impl Theme {
    /// The built-in themes of the article: (id, Chinese name).
    pub const BUILT_IN: [(&'static str, &'static str); 4] = [
        ("poverty", "扶贫领域"),
        ("subsistence", "低保和民政领域"),
        ("service-reform", "放管服改革"),
        ("protection", "涉黑涉恶腐败和保护伞"),
    ];

    /// The theme's name: its own, a built-in theme's, or its id.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_else(|| {
            Theme::BUILT_IN
                .iter()
                .find(|(id, _)| *id == self.id)
                .map_or(self.id.as_str(), |(_, name)| name)
        })
    }
}

/// The targets a theme selects within one division: every division at a
/// level below it, and every unit of some kinds of the units file within
/// it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Where: a city, a county, a province.
    pub within: Code,
    /// Every division at this level within `within` (`township`: its
    /// townships).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Every unit of these kinds within `within` (`bureau`, `centre`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unit_kinds: Vec<xuncha_org::UnitKind>,
}

/// Where a team's people may come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pool {
    /// People whose origin county lies in the target's city (the city
    /// committee runs the round; each city is solved on its own).
    #[default]
    City,
    /// People of the target's province.
    Province,
    /// Anyone in the roster.
    All,
    /// People of the target's city, or of its province when the city has
    /// fewer than three counties (one county has nobody to cross with; two
    /// cannot rotate without inspecting each other). A province with such
    /// a city is solved as one network, each target keeping its own pool.
    #[serde(rename = "city-or-province")]
    CityOrProvince,
}

/// Cities with fewer counties than this cannot cross within themselves.
const CROSSING_COUNTIES: usize = 3;

impl Pool {
    /// The level whose division a person's origin must share with the
    /// target, `None` for anyone; for [`Pool::CityOrProvince`] the city, as
    /// for most targets (see [`Pool::admits`] for the rest).
    pub fn level(self) -> Option<xuncha_org::Level> {
        match self {
            Pool::City | Pool::CityOrProvince => Some(xuncha_org::Level::City),
            Pool::Province => Some(xuncha_org::Level::Province),
            Pool::All => None,
        }
    }

    /// Whether a person of `origin` may serve on a target in `division`.
    ///
    /// ```
    /// use xuncha_round::Pool;
    /// use xuncha_org::{Code, Hierarchy};
    /// let fujian = Hierarchy::fujian();
    /// let (zhangpu, xiamen) = (Code::parse("350623")?, Code::parse("350203")?);
    /// assert!(!Pool::City.admits(zhangpu, xiamen, &fujian));
    /// assert!(Pool::Province.admits(zhangpu, xiamen, &fujian));
    /// // Every Fujian city has three counties or more.
    /// assert!(!Pool::CityOrProvince.admits(zhangpu, xiamen, &fujian));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admits(self, division: Code, origin: Code, hierarchy: &Hierarchy) -> bool {
        let small = self == Pool::CityOrProvince
            && division
                .ancestor_at(Level::City)
                .and_then(|city| hierarchy.get(city))
                .is_some_and(is_small_city);
        admits(self, small, division, origin)
    }

    /// The group `code` is solved in: its city, its province or everything;
    /// under [`Pool::CityOrProvince`] the province when it has a city too
    /// small to cross within itself, else the city.
    pub fn group(self, code: Code, hierarchy: &Hierarchy) -> Option<Code> {
        PoolIndex::new(self, hierarchy).group(code)
    }
}

/// Whether a city has fewer than three county-level divisions.
fn is_small_city(city: xuncha_org::Division<'_>) -> bool {
    city.children()
        .filter(|c| c.level() == Level::County && !c.is_grouping())
        .count()
        < CROSSING_COUNTIES
}

/// The pool rule, given whether the target's city is small.
fn admits(pool: Pool, small_city: bool, division: Code, origin: Code) -> bool {
    let same = |level| division.ancestor_at(level) == origin.ancestor_at(level);
    match pool {
        Pool::All => true,
        Pool::City => same(Level::City),
        Pool::Province => same(Level::Province),
        Pool::CityOrProvince => same(if small_city {
            Level::Province
        } else {
            Level::City
        }),
    }
}

/// A pool with the hierarchy's small cities worked out once, for the many
/// questions a round asks of it: [`Pool::admits`] and [`Pool::group`] in
/// O(1) each.
#[derive(Clone, Debug)]
pub struct PoolIndex {
    pool: Pool,
    /// Cities with fewer than three counties.
    small: xuncha_org::fxhash::FxHashSet<Code>,
    /// Provinces with such a city.
    wide: xuncha_org::fxhash::FxHashSet<Code>,
}

impl PoolIndex {
    /// The index of `pool` over `hierarchy`.
    pub fn new(pool: Pool, hierarchy: &Hierarchy) -> PoolIndex {
        let mut small = xuncha_org::fxhash::FxHashSet::default();
        let mut wide = xuncha_org::fxhash::FxHashSet::default();
        if pool == Pool::CityOrProvince {
            for city in hierarchy
                .at_level(Level::City)
                .filter(|c| is_small_city(*c))
            {
                small.insert(city.code());
                wide.extend(city.code().ancestor_at(Level::Province));
            }
        }
        PoolIndex { pool, small, wide }
    }

    /// See [`Pool::admits`].
    pub fn admits(&self, division: Code, origin: Code) -> bool {
        self.admission(division).admits(origin)
    }

    /// Who the pool admits to a target in `division`, worked out once for
    /// the target: then [`Admission::admits`] is one comparison a person.
    ///
    /// ```
    /// use xuncha_org::{Code, Hierarchy};
    /// use xuncha_round::{Pool, PoolIndex};
    /// let fujian = Hierarchy::fujian();
    /// let pools = PoolIndex::new(Pool::City, &fujian);
    /// let zhangpu = pools.admission(Code::parse("350623")?);
    /// assert!(zhangpu.admits(Code::parse("350628")?)); // 平和县, the same city
    /// assert!(!zhangpu.admits(Code::parse("350203")?)); // 厦门市思明区
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn admission(&self, division: Code) -> Admission {
        let level = match self.pool {
            Pool::All => None,
            Pool::City => Some(Level::City),
            Pool::Province => Some(Level::Province),
            Pool::CityOrProvince => {
                let small = division
                    .ancestor_at(Level::City)
                    .is_some_and(|c| self.small.contains(&c));
                Some(if small { Level::Province } else { Level::City })
            }
        };
        Admission {
            scope: level.map(|level| (level, division.ancestor_at(level))),
        }
    }

    /// See [`Pool::group`].
    pub fn group(&self, code: Code) -> Option<Code> {
        match self.pool {
            Pool::CityOrProvince => {
                let province = code.ancestor_at(Level::Province)?;
                if self.wide.contains(&province) {
                    Some(province)
                } else {
                    code.ancestor_at(Level::City)
                }
            }
            other => other.level().and_then(|level| code.ancestor_at(level)),
        }
    }
}

/// Who a round's pool admits to one target ([`PoolIndex::admission`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    /// The level at which a person's origin must match, and the target's
    /// division there; `None` when the pool admits everyone.
    scope: Option<(Level, Option<Code>)>,
}

impl Admission {
    /// Whether a person from `origin` may serve on the target.
    pub fn admits(self, origin: Code) -> bool {
        match self.scope {
            None => true,
            Some((level, at)) => origin.ancestor_at(level) == at,
        }
    }
}

/// A round (轮): one campaign of teams over targets on a date.
///
/// Loaded from TOML or JSON (see `docs/formats.md`):
///
/// ```
/// use xuncha_round::{Composition, Round};
/// let round = Round::from_toml_str(r#"
/// version = 1
/// id = "2026-1"
/// date = "2026-03-01"
/// mode = "cross"
/// [team]
/// composition = "longyan"
/// members = 4
/// require = [{ skill = "finance-audit" }]
/// [[targets]]
/// target = "350628"
/// [[targets]]
/// target = "350627"
/// team = { composition = "mixed", members = 3, liaison = false }
/// "#)?;
/// assert_eq!(round.targets.len(), 2);
/// assert_eq!(round.spec(1).composition, Composition::Mixed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// The format version, 1.
    pub version: u32,
    /// The round's id.
    pub id: String,
    /// The date the round starts; avoidance windows count back from it.
    pub date: NaiveDate,
    /// The round's last day, where it keeps a window: a mobile round
    /// (机动式巡察) or a synchronised one ([`Round::accompanies`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// The inspection mode.
    #[serde(default)]
    pub mode: InspectionMode,
    /// Where people may come from.
    #[serde(default)]
    pub pool: Pool,
    /// Whom the pool's people are drawn from: those who work at a level or
    /// in a department ([`DrawnFrom`]); for an elevated round the city's
    /// own organs when absent ([`Round::drawn_from`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawn_from: Option<DrawnFrom>,
    /// The inspection this round accompanies (上借下力 / 下借上势): its
    /// window and what it inspects bound the round's dates and targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accompanies: Option<Accompanies>,
    /// The default team spec.
    #[serde(default)]
    pub team: TeamSpec,
    /// The theme of a themed round (专项巡察): what the teams look into,
    /// and the targets it selects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// The targets: those listed, then those the theme selects
    /// ([`Round::select_targets`]).
    #[serde(default)]
    pub targets: Vec<RoundTarget>,
    /// Pairings of the last rounds to avoid in rotations, as
    /// (inspecting county, inspected county).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_pairings: Vec<(xuncha_org::Code, xuncha_org::Code)>,
}

impl Round {
    /// A cross-inspection round (version 1, city pool, the default
    /// seven-person Longyan team, no history) over `targets`, the divisions
    /// given.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_round::Round;
    /// use xuncha_org::Code;
    ///
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a valid date");
    /// let round = Round::cross("2026-1", date, [Code::parse("350628")?, Code::parse("350627")?]);
    /// assert_eq!(round.targets.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cross(
        id: &str,
        date: NaiveDate,
        targets: impl IntoIterator<Item = xuncha_org::Code>,
    ) -> Round {
        Round {
            version: VERSION,
            id: id.to_owned(),
            date,
            end: None,
            mode: InspectionMode::Cross,
            pool: Pool::City,
            drawn_from: None,
            accompanies: None,
            team: TeamSpec::default(),
            theme: None,
            targets: targets
                .into_iter()
                .map(|code| RoundTarget::new(Target::Division(code)))
                .collect(),
            recent_pairings: Vec::new(),
        }
    }

    /// The team spec of target `index`.
    pub fn spec(&self, index: usize) -> &TeamSpec {
        self.targets
            .get(index)
            .and_then(|t| t.team.as_ref())
            .unwrap_or(&self.team)
    }

    /// Reads a round from TOML text.
    ///
    /// # Errors
    ///
    /// [`Error::Round`] naming the key and line of malformed TOML or a bad
    /// value.
    pub fn from_toml_str(text: &str) -> Result<Round, Error> {
        Round::parse_toml(Path::new("<round>"), text)
    }

    /// Reads a round from a TOML or JSON file (by its extension).
    ///
    /// # Errors
    ///
    /// [`Error::Io`], or [`Error::Round`] naming the file, key and line.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Round, Error> {
        let path = path.as_ref();
        let text = xuncha_org::Limits::default().read_to_string(path)?;
        if path.extension().is_some_and(|e| e == "json") {
            Round::parse_json(path, &text)
        } else {
            Round::parse_toml(path, &text)
        }
    }

    /// Reads a round from JSON text (the same fields as the TOML).
    ///
    /// # Errors
    ///
    /// [`Error::Round`] naming the line and column of malformed JSON or a
    /// bad value.
    pub fn from_json_str(text: &str) -> Result<Round, Error> {
        Round::parse_json(Path::new("<round>"), text)
    }

    fn parse_json(file: &Path, text: &str) -> Result<Round, Error> {
        let fail = |e: serde_json::Error| Error::Round {
            file: file.to_owned(),
            message: e.to_string(),
        };
        let mut round: Round = serde_json::from_str(text).map_err(fail)?;
        if round.targets.iter().any(|t| t.team.is_some()) {
            round.inherit_teams(serde_json::from_str(text).map_err(fail)?);
        }
        round.checked(file, None)
    }

    fn parse_toml(file: &Path, text: &str) -> Result<Round, Error> {
        let fail = |message: String| Error::Round {
            file: file.to_owned(),
            message,
        };
        // The first read names the key and line of any error.
        let mut round: Round =
            toml::from_str(text).map_err(|e| fail(e.to_string().trim_end().to_owned()))?;
        if round.targets.iter().any(|t| t.team.is_some()) {
            round.inherit_teams(
                toml::from_str(text).map_err(|e| fail(e.to_string().trim_end().to_owned()))?,
            );
        }
        round.checked(file, Some(text))
    }

    /// Fills what each target's team leaves out (`given`, the keys its file
    /// gives) from the round's own team spec.
    fn inherit_teams(&mut self, given: GivenTeams) {
        let Round { targets, team, .. } = self;
        for (target, given) in targets.iter_mut().zip(given.targets) {
            if let (Some(spec), Some(keys)) = (&mut target.team, given.team) {
                spec.inherit(team, &keys);
            }
        }
    }

    /// Checks what the format cannot: the version, some targets, no target
    /// twice, no skill required twice, specialists within the team. `text`
    /// is the TOML, to name the line of a repeated target.
    fn checked(self, file: &Path, text: Option<&str>) -> Result<Round, Error> {
        let fail = |message: String| Error::Round {
            file: file.to_owned(),
            message,
        };
        if self.version != VERSION {
            return Err(fail(format!(
                "version {} is not supported (expected {VERSION})",
                self.version
            )));
        }
        let selects = self.theme.as_ref().is_some_and(|t| t.select.is_some());
        if self.targets.is_empty() && !selects {
            return Err(fail(
                "the round has no targets (list them, or let a theme select them)".to_owned(),
            ));
        }
        // A round dated 0000-01-01 would switch off every rule that counts
        // years; no real round is dated outside the accepted range.
        xuncha_org::dates::check("date", self.date).map_err(|e| fail(e.to_string()))?;
        let mut seen: std::collections::HashMap<&Target, usize> = std::collections::HashMap::new();
        for (i, target) in self.targets.iter().enumerate() {
            if let Some(first) = seen.insert(&target.target, i) {
                let line = text
                    .and_then(|t| {
                        t.lines()
                            .enumerate()
                            .filter(|(_, l)| l.trim() == "[[targets]]")
                            .nth(i)
                    })
                    .map(|(n, _)| format!("line {}, ", n + 1))
                    .unwrap_or_default();
                return Err(fail(format!(
                    "{line}targets[{i}]: {} is already targets[{first}]: a round inspects each target once",
                    target.target
                )));
            }
        }
        for i in 0..self.targets.len() {
            let spec = self.spec(i);
            if let Some((j, r)) = spec
                .require
                .iter()
                .enumerate()
                .find(|&(j, r)| spec.require[..j].iter().any(|q| q.skill == r.skill))
            {
                return Err(fail(format!(
                    "targets[{i}]: require[{j}] asks for {} again; ask once with the count",
                    r.skill
                )));
            }
            if spec.specialists() > spec.members {
                return Err(fail(format!(
                    "targets[{i}]: {} specialists are required but the team has {} members",
                    spec.specialists(),
                    spec.members
                )));
            }
        }
        Ok(self)
    }

    /// The round as TOML.
    ///
    /// # Errors
    ///
    /// [`Error::Round`] if serialisation fails.
    pub fn to_toml(&self) -> Result<String, Error> {
        toml::to_string(self).map_err(|e| Error::Round {
            file: "<round>".into(),
            message: e.to_string(),
        })
    }
}

/// Reads pairings to avoid (a rotation's history) from CSV with the
/// columns `inspecting,inspected` (county codes), as [`Round::recent_pairings`]
/// holds them; `path` names the input in errors.
///
/// ```
/// let text = "inspecting,inspected\n350602,350603\n350603,350628\n";
/// let pairs = xuncha_round::read_pairings_csv(text.as_bytes(), "history.csv".as_ref())?;
/// assert_eq!(pairs.len(), 2);
/// # Ok::<(), xuncha_round::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Org`] naming the line and field of a missing column or a bad
/// code; [`Error::Input`] for a file with no pairings.
pub fn read_pairings_csv(
    reader: impl std::io::Read,
    path: &Path,
) -> Result<Vec<(Code, Code)>, Error> {
    let mut table = xuncha_org::table::Table::new(path, reader)?;
    let by = table.column("inspecting")?;
    let of = table.column("inspected")?;
    let mut out = Vec::new();
    while table.advance()? {
        let code = |column| -> Result<Code, Error> {
            let text = table.required(column)?;
            Code::parse(text).map_err(|e| Error::Org(e.at(table.location(column))))
        };
        out.push((code(by)?, code(of)?));
    }
    if out.is_empty() {
        return Err(Error::Input {
            file: path.display().to_string(),
            line: 0,
            message: "the history has no pairings".to_owned(),
        });
    }
    Ok(out)
}

/// Reads the pairings CSV at `path` within `limits` (see
/// [`read_pairings_csv`]).
///
/// # Errors
///
/// As [`read_pairings_csv`], and [`Error::Org`] for a file that cannot be
/// opened or is above the limits.
pub fn read_pairings_csv_path(
    path: &Path,
    limits: &xuncha_org::Limits,
) -> Result<Vec<(Code, Code)>, Error> {
    read_pairings_csv(limits.open(path)?, path)
}

impl Round {
    /// Checks every target against `hierarchy` and `units` and writes an
    /// old code as the division that carries the place on the round's
    /// date, following the code history: a target written `350681` (龙海市,
    /// a city until 2021) becomes `350604` 龙海区. Returns a note for each
    /// code rewritten, `targets[3]: 350681 is now 350604 龙海区 (renamed on
    /// 2021-02-02)`, for the caller to show.
    ///
    /// `file` names the round in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Round`] naming `targets[i]` for a unit `units` does not
    /// have, a code neither the hierarchy nor its history knows, or one
    /// that was split among several divisions; then whatever
    /// [`Round::check_forms`] finds.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_org::{Code, Hierarchy, Units};
    /// use xuncha_round::Round;
    ///
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    /// let mut round = Round::cross("r", date, [Code::parse("350681")?, Code::parse("350628")?]);
    /// let notes = round.resolve_targets(&Hierarchy::fujian(), &Units::default(), "round.toml".as_ref())?;
    /// assert_eq!(round.targets[0].target.to_string(), "350604");
    /// assert!(notes[0].contains("350681 is now 350604 龙海区"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_targets(
        &mut self,
        hierarchy: &Hierarchy,
        units: &xuncha_org::Units,
        file: &Path,
    ) -> Result<Vec<String>, Error> {
        let mut notes = Vec::new();
        let date = self.date;
        let fail = |i: usize, message: String| Error::Round {
            file: file.to_path_buf(),
            message: format!("targets[{i}]: {message}"),
        };
        for (i, entry) in self.targets.iter_mut().enumerate() {
            let mut current = |code: &mut Code| -> Result<(), Error> {
                let found = hierarchy
                    .resolve(*code, date)
                    .map_err(|e| fail(i, format!("{e} in {}", hierarchy.source())))?;
                let new = found.division.code();
                if new != *code {
                    let how = found
                        .steps
                        .last()
                        .map(|c| format!(" ({} on {})", c.kind.as_str(), c.date))
                        .unwrap_or_default();
                    notes.push(format!(
                        "targets[{i}]: {code} is now {new} {}{how}",
                        found.division.name()
                    ));
                    *code = new;
                }
                Ok(())
            };
            match &mut entry.target {
                Target::Division(code) => current(code)?,
                Target::Cluster(codes) => {
                    for code in codes.iter_mut() {
                        current(code)?;
                    }
                }
                Target::Unit(id) => {
                    if units.get(id).is_none() {
                        return Err(fail(
                            i,
                            format!("{} is a unit the units file does not have", entry.target),
                        ));
                    }
                    if !entry.units.is_empty() {
                        return Err(fail(
                            i,
                            format!(
                                "units: {} is a unit target, which is the unit it inspects; list units for a division target",
                                entry.target
                            ),
                        ));
                    }
                }
            }
            let divisions = entry.target.divisions(units);
            for id in &entry.units {
                let Some(unit) = units.get(id) else {
                    return Err(fail(
                        i,
                        format!("units: {id} is a unit the units file does not have"),
                    ));
                };
                let inside = divisions.iter().any(|d| d.contains(unit.division));
                if !inside {
                    return Err(fail(
                        i,
                        format!(
                            "units: {id} ({}) lies in {}, outside the target {}",
                            unit.name, unit.division, entry.target
                        ),
                    ));
                }
            }
        }
        // An old code may name a target the round also names today.
        for (i, entry) in self.targets.iter().enumerate() {
            if let Some(first) = self.targets[..i]
                .iter()
                .position(|t| t.target == entry.target)
            {
                return Err(fail(
                    i,
                    format!(
                        "{} is already targets[{first}] (one of them under an old code): a round inspects each target once",
                        entry.target
                    ),
                ));
            }
        }
        self.check_forms(hierarchy, units, file)?;
        Ok(notes)
    }
}

impl Round {
    /// Adds the targets the theme selects ([`Selection`]) after those
    /// listed, in the hierarchy's order (divisions, then units in the units
    /// file's order), skipping any already listed; returns how many were
    /// added. A selection that finds nothing, or a `within` the hierarchy
    /// lacks, is an error: a themed round with no target is a mistake in
    /// the file.
    pub fn select_targets(
        &mut self,
        hierarchy: &Hierarchy,
        units: &xuncha_org::Units,
        file: &Path,
    ) -> Result<usize, Error> {
        let Some(select) = self.theme.as_ref().and_then(|t| t.select.clone()) else {
            return Ok(0);
        };
        let fail = |message: String| Error::Round {
            file: file.to_path_buf(),
            message: format!("theme.select: {message}"),
        };
        let within = hierarchy.get(select.within).ok_or_else(|| {
            fail(format!(
                "no division has code {} in {}",
                select.within,
                hierarchy.source()
            ))
        })?;
        let inside = |code: Code| within.code().contains(code);
        let mut chosen: Vec<Target> = Vec::new();
        if let Some(level) = select.level {
            chosen.extend(
                hierarchy
                    .at_level(level)
                    .filter(|d| inside(d.code()) && !d.is_grouping())
                    .map(|d| Target::Division(d.code())),
            );
        }
        chosen.extend(
            units
                .iter()
                .filter(|u| select.unit_kinds.contains(&u.kind) && inside(u.division))
                .map(|u| Target::Unit(u.id.clone())),
        );
        if chosen.is_empty() {
            return Err(fail(format!(
                "selects no target within {} {}",
                within.code(),
                within.name()
            )));
        }
        let before = self.targets.len();
        for target in chosen {
            if !self.targets.iter().any(|t| t.target == target) {
                self.targets.push(RoundTarget::new(target));
            }
        }
        Ok(self.targets.len() - before)
    }
}

impl Round {
    /// `engine` told which units this round inspects within each target
    /// that lists them ([`RoundTarget::units`],
    /// [`Engine::with_inspected_units`]).
    pub fn inspecting<'g>(&self, engine: Engine<'g>) -> Engine<'g> {
        self.targets
            .iter()
            .filter(|t| !t.units.is_empty())
            .fold(engine, |engine, t| {
                engine.with_inspected_units(t.target.clone(), t.units.clone())
            })
    }
}

impl Round {
    /// For each rule, how many (person, team) pairs of the same city it
    /// keeps apart for the member role: the conflicts the plan never had to
    /// consider, as the demo's report counts them.
    pub fn conflicts_kept_out(
        &self,
        engine: &Engine<'_>,
        roster: &Roster,
    ) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for target in &self.targets {
            let Some(division) = target.target.anchor(engine.units()) else {
                continue;
            };
            let city = division.ancestor_at(Level::City);
            for person in roster
                .people()
                .iter()
                .filter(|p| p.origin.ancestor_at(Level::City) == city)
            {
                for conflict in engine
                    .check(person, &target.target, Role::Member, self.date)
                    .hard()
                {
                    *counts.entry(conflict.rule.clone()).or_default() += 1;
                }
            }
        }
        counts
    }
}
