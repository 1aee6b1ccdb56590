//! Rules as data: which facts block which targets, at what scope, for how
//! long, how hard, and for which roles.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xuncha_org::Level;

use crate::{Error, KinshipClass, Role, RoleSet, TieSpec};

/// The kind of fact a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKind {
    /// 居住地: where the person lives.
    Residence,
    /// 工作地: where the person works now.
    Workplace,
    /// 任职地: where the person has held posts (dated).
    Posts,
    /// 成长地: where the person grew up.
    Upbringing,
    /// 亲属回避: where the person's relatives work or hold posts (dated).
    Kinship,
    /// 本人申报: conflicts the person declared.
    Declared,
    /// 重复巡察: targets the person inspected before (dated).
    RecentInspection,
    /// 人情网: ties to the target's leaders (colleagues, superiors,
    /// townsmen, classmates, kin), directly or through one person; see
    /// [`TieSpec`]. Answered from the engine's [`TieGraph`](crate::TieGraph).
    Ties,
}

impl FactKind {
    /// Whether facts of this kind carry dates, so that a window applies.
    pub fn is_dated(self) -> bool {
        matches!(
            self,
            FactKind::Posts | FactKind::Kinship | FactKind::RecentInspection | FactKind::Ties
        )
    }

    /// The Chinese name of the fact, as used in explanations.
    pub fn chinese(self) -> &'static str {
        match self {
            FactKind::Residence => "居住地",
            FactKind::Workplace => "工作地",
            FactKind::Posts => "任职地",
            FactKind::Upbringing => "成长地",
            FactKind::Kinship => "亲属工作地",
            FactKind::Declared => "本人申报回避",
            FactKind::RecentInspection => "曾巡察",
            FactKind::Ties => "人情关系",
        }
    }

    /// The English name of the fact, as used in explanations.
    pub fn english(self) -> &'static str {
        match self {
            FactKind::Residence => "residence",
            FactKind::Workplace => "workplace",
            FactKind::Posts => "post held",
            FactKind::Upbringing => "place of upbringing",
            FactKind::Kinship => "relative's workplace",
            FactKind::Declared => "declared conflict",
            FactKind::RecentInspection => "earlier inspection",
            FactKind::Ties => "tie to the target's leaders",
        }
    }
}

/// The level at which a fact's place and the target are compared.
///
/// At a division level, the fact's place is widened to its enclosing
/// division at that level (a post in a township of 平和县, at county scope,
/// is 平和县) and conflicts with every target that overlaps it: lies within
/// it (a unit or township of 平和县) or contains it (漳州市 as a whole). A
/// fact recorded at a coarser level than the scope (a workplace in the city
/// government, at county scope) ties the person to no one county and blocks
/// nothing under that rule.
///
/// At `place` scope the place is taken as recorded and blocks itself and
/// what lies within it: a division and the divisions and units below it, a
/// unit and its child units.
///
/// At `unit` scope the place is an organisation: a unit blocks itself and
/// its child units, not the county it sits in; a division recorded as a
/// workplace stands for its government and blocks that division as a target
/// only. This is how "nobody inspects their own unit or their relative's"
/// holds for a Longyan deputy leader who works in the inspected county.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The organisation as recorded: a unit and its child units, or a
    /// division's own government.
    Unit,
    /// The place as recorded and everything within it.
    Place,
    /// The village.
    Village,
    /// The township.
    Township,
    /// The county (the default).
    County,
    /// The prefecture-level city.
    City,
    /// The province.
    Province,
}

impl Scope {
    /// The division level of the scope, `None` for `unit` and `place`.
    pub fn level(self) -> Option<Level> {
        match self {
            Scope::Unit | Scope::Place => None,
            Scope::Village => Some(Level::Village),
            Scope::Township => Some(Level::Township),
            Scope::County => Some(Level::County),
            Scope::City => Some(Level::City),
            Scope::Province => Some(Level::Province),
        }
    }
}

/// How far back a dated fact counts, relative to the round's date.
///
/// Written `"10y"`, `"6m"`, `"30d"` or `"3 rounds"`; `"0d"` means the fact
/// must hold on the round's date itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    /// A number of days.
    Days(u32),
    /// A number of months.
    Months(u32),
    /// A number of years.
    Years(u32),
    /// A number of earlier rounds (the engine is told their dates).
    Rounds(u32),
}

impl Window {
    /// The earliest date a fact may reach to count, for a round on `date`.
    /// For [`Window::Rounds`], `round_dates` are the dates of earlier rounds.
    pub fn since(self, date: NaiveDate, round_dates: &[NaiveDate]) -> Option<NaiveDate> {
        match self {
            Window::Days(n) => date.checked_sub_days(Days::new(u64::from(n))),
            Window::Months(n) => date.checked_sub_months(Months::new(n)),
            Window::Years(n) => date.checked_sub_months(Months::new(n.saturating_mul(12))),
            Window::Rounds(n) => {
                let mut earlier: Vec<NaiveDate> =
                    round_dates.iter().copied().filter(|d| *d < date).collect();
                earlier.sort_unstable();
                earlier.dedup();
                match usize::try_from(n).ok().filter(|&n| n > 0) {
                    Some(n) if n <= earlier.len() => Some(earlier[earlier.len() - n]),
                    Some(_) => None,
                    None => Some(date),
                }
            }
        }
    }

    /// The least and the most days this window spans back from any date,
    /// for a window of days, months or years: a month is 28 to 31 days, a
    /// year 365 or 366 (no span of years holds more leap days than years).
    pub(crate) fn span_days(self) -> Option<(i64, i64)> {
        match self {
            Window::Days(n) => Some((i64::from(n), i64::from(n))),
            Window::Months(n) => Some((28 * i64::from(n), 31 * i64::from(n))),
            Window::Years(n) => Some((365 * i64::from(n), 366 * i64::from(n))),
            Window::Rounds(_) => None,
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Window::Days(n) => write!(f, "{n}d"),
            Window::Months(n) => write!(f, "{n}m"),
            Window::Years(n) => write!(f, "{n}y"),
            Window::Rounds(n) => write!(f, "{n} rounds"),
        }
    }
}

impl FromStr for Window {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let bad = || {
            format!(
                "invalid window {text:?}: write for example \"10y\", \"6m\", \"30d\" or \"3 rounds\""
            )
        };
        let (number, unit) = text
            .find(|c: char| !c.is_ascii_digit())
            .map_or((text, ""), |i| (&text[..i], text[i..].trim()));
        let n: u32 = number.parse().map_err(|_| bad())?;
        match unit {
            "d" | "day" | "days" => Ok(Window::Days(n)),
            "m" | "month" | "months" => Ok(Window::Months(n)),
            "y" | "year" | "years" => Ok(Window::Years(n)),
            "round" | "rounds" => Ok(Window::Rounds(n)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// How a conflict weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Never assign.
    Hard,
    /// A cost the assignment engine weighs.
    Soft,
}

/// One avoidance rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A name for the rule, unique in its set, quoted in explanations.
    pub id: String,
    /// The fact the rule looks at.
    pub fact: FactKind,
    /// The level of comparison (county by default).
    #[serde(default = "default_scope")]
    pub scope: Scope,
    /// How far back dated facts count; without one, any time up to the
    /// round's date. Only for dated facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// Hard or soft.
    #[serde(default = "default_severity")]
    pub severity: Severity,
    /// The cost of a soft conflict (ignored for hard rules).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost: u32,
    /// The roles the rule applies to; every role by default.
    #[serde(default = "all_roles")]
    pub roles: RoleSet,
    /// For kinship rules: the classes of relatives that count; all four by
    /// default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinships: Option<Vec<KinshipClass>>,
    /// For tie rules: which ties count, and how far (see [`TieSpec`]); the
    /// spec's defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ties: Option<TieSpec>,
}

fn default_scope() -> Scope {
    Scope::County
}

fn default_severity() -> Severity {
    Severity::Hard
}

fn all_roles() -> RoleSet {
    RoleSet::ALL
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Rule {
    /// A hard rule over every role, at county scope, with no window.
    pub fn new(id: &str, fact: FactKind) -> Rule {
        Rule {
            id: id.to_owned(),
            fact,
            scope: Scope::County,
            window: None,
            severity: Severity::Hard,
            cost: 0,
            roles: RoleSet::ALL,
            kinships: None,
            ties: None,
        }
    }

    /// Whether the rule counts relatives of `class` (always true for rules
    /// that are not about kinship).
    pub fn counts_kinship(&self, class: KinshipClass) -> bool {
        self.kinships.as_ref().is_none_or(|k| k.contains(&class))
    }

    /// The tie spec of a tie rule: its own, or the default one.
    pub fn tie_spec(&self) -> &TieSpec {
        static DEFAULT: std::sync::OnceLock<TieSpec> = std::sync::OnceLock::new();
        self.ties
            .as_ref()
            .unwrap_or_else(|| DEFAULT.get_or_init(TieSpec::default))
    }
}

/// A set of rules, loadable from TOML.
///
/// The default ([`RuleSet::default`]) is the four avoidances, kinship,
/// declared conflicts and recent inspections:
///
/// | id | fact | scope | window | severity | roles |
/// |---|---|---|---|---|---|
/// | `residence` | residence | county | | hard | leader, member |
/// | `workplace` | workplace | county | | hard | leader, member |
/// | `workplace-unit` | workplace | unit | | hard | all |
/// | `posts` | posts | county | any time | hard | all |
/// | `upbringing` | upbringing | county | | hard | all |
/// | `kinship` | kinship (all four classes) | unit | on the round's date | hard | all |
/// | `declared` | declared | place | | hard | all |
/// | `recent-inspection` | recent inspection | place | 5 years | soft, cost 10 | all |
///
/// Residence and workplace at county scope are lifted for the deputy leader
/// and the liaison, who in the Longyan composition (龙岩模式) come from the
/// inspected county on purpose; nobody inspects their own unit
/// (`workplace-unit`) or a relative's.
///
/// # Examples
///
/// ```
/// use xuncha_avoid::{RuleSet, Scope};
/// let toml = r#"
/// version = 1
/// [[rules]]
/// id = "residence-city"
/// fact = "residence"
/// scope = "city"
/// "#;
/// let rules = RuleSet::from_toml_str(toml)?;
/// assert_eq!(rules.rules()[0].scope, Scope::City);
/// assert!(RuleSet::from_toml_str("[[rules]]\nid = 3").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    version: u32,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    version: u32,
    #[serde(default)]
    rules: Vec<Rule>,
}

/// The version of the rule file format.
const VERSION: u32 = 1;

impl Default for RuleSet {
    fn default() -> Self {
        let county_lifted = RoleSet::from_roles(&[Role::Leader, Role::Member]);
        let rules = vec![
            Rule {
                roles: county_lifted,
                ..Rule::new("residence", FactKind::Residence)
            },
            Rule {
                roles: county_lifted,
                ..Rule::new("workplace", FactKind::Workplace)
            },
            Rule {
                scope: Scope::Unit,
                ..Rule::new("workplace-unit", FactKind::Workplace)
            },
            Rule::new("posts", FactKind::Posts),
            Rule::new("upbringing", FactKind::Upbringing),
            Rule {
                scope: Scope::Unit,
                window: Some(Window::Days(0)),
                ..Rule::new("kinship", FactKind::Kinship)
            },
            Rule {
                scope: Scope::Place,
                ..Rule::new("declared", FactKind::Declared)
            },
            Rule {
                scope: Scope::Place,
                window: Some(Window::Years(5)),
                severity: Severity::Soft,
                cost: 10,
                ..Rule::new("recent-inspection", FactKind::RecentInspection)
            },
        ];
        RuleSet {
            version: VERSION,
            rules,
        }
    }
}

impl RuleSet {
    /// A rule set of the given rules, checked.
    ///
    /// # Errors
    ///
    /// [`Error::Rules`] naming the rule for a repeated id, a window on an
    /// undated fact, `kinships` on a rule not about kinship, or a window in
    /// rounds on a fact other than recent inspections.
    pub fn new(rules: Vec<Rule>) -> Result<RuleSet, Error> {
        let set = RuleSet {
            version: VERSION,
            rules,
        };
        set.check(Path::new("<rules>"))?;
        Ok(set)
    }

    /// Reads rules from a TOML file (see `docs/formats.md`).
    ///
    /// # Errors
    ///
    /// [`Error::Io`], or [`Error::Rules`] naming the file, the key and the
    /// line of malformed TOML or a bad rule.
    pub fn from_toml_path(path: impl AsRef<Path>) -> Result<RuleSet, Error> {
        let path = path.as_ref();
        let text = xuncha_org::Limits::default().read_to_string(path)?;
        RuleSet::parse(path, &text)
    }

    /// Reads rules from TOML text.
    ///
    /// # Errors
    ///
    /// As [`RuleSet::from_toml_path`], with the file named `<rules>`.
    pub fn from_toml_str(text: &str) -> Result<RuleSet, Error> {
        RuleSet::parse(Path::new("<rules>"), text)
    }

    fn parse(file: &Path, text: &str) -> Result<RuleSet, Error> {
        let parsed: RuleFile = toml::from_str(text).map_err(|e| Error::Rules {
            file: file.to_owned(),
            key: None,
            message: e.to_string().trim_end().to_owned(),
        })?;
        if parsed.version != VERSION {
            return Err(Error::Rules {
                file: file.to_owned(),
                key: Some("version".to_owned()),
                message: format!(
                    "version {} is not supported (expected {VERSION})",
                    parsed.version
                ),
            });
        }
        let set = RuleSet {
            version: VERSION,
            rules: parsed.rules,
        };
        set.check(file)?;
        Ok(set)
    }

    fn check(&self, file: &Path) -> Result<(), Error> {
        let mut ids = HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let fail = |key: &str, message: String| Error::Rules {
                file: file.to_owned(),
                key: Some(format!("rules[{i}].{key}")),
                message: format!("rule {:?}: {message}", rule.id),
            };
            if !ids.insert(rule.id.as_str()) {
                return Err(fail("id", "the id is used by an earlier rule".to_owned()));
            }
            if rule.window.is_some() && !rule.fact.is_dated() {
                return Err(fail(
                    "window",
                    format!(
                        "{} facts carry no dates, so a window has no effect",
                        rule.fact.english()
                    ),
                ));
            }
            if matches!(rule.window, Some(Window::Rounds(_)))
                && rule.fact != FactKind::RecentInspection
            {
                return Err(fail(
                    "window",
                    "a window in rounds applies only to recent-inspection rules".to_owned(),
                ));
            }
            if rule.kinships.is_some() && rule.fact != FactKind::Kinship {
                return Err(fail(
                    "kinships",
                    "only kinship rules take kinships".to_owned(),
                ));
            }
            if rule.ties.is_some() && rule.fact != FactKind::Ties {
                return Err(fail("ties", "only tie rules take ties".to_owned()));
            }
            if let Some(spec) = &rule.ties {
                if !(1..=2).contains(&spec.path) {
                    return Err(fail(
                        "ties.path",
                        format!("a path of {} ties: write 1 or 2", spec.path),
                    ));
                }
                if matches!(spec.min_overlap, Window::Rounds(_)) {
                    return Err(fail(
                        "ties.min_overlap",
                        "an overlap is a time: write for example \"1y\" or \"6m\"".to_owned(),
                    ));
                }
                if spec.kinds.is_empty() {
                    return Err(fail(
                        "ties.kinds",
                        "the rule counts no kind of tie".to_owned(),
                    ));
                }
            }
            if rule.roles.is_empty() {
                return Err(fail("roles", "the rule applies to no role".to_owned()));
            }
        }
        Ok(())
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The set as TOML, in the form [`RuleSet::from_toml_str`] reads.
    ///
    /// # Errors
    ///
    /// [`Error::Rules`] if the serialiser fails (it does not for rule sets
    /// built by this crate).
    pub fn to_toml(&self) -> Result<String, Error> {
        toml::to_string(self).map_err(|e| Error::Rules {
            file: "<rules>".into(),
            key: None,
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_print() {
        for text in ["10y", "6m", "30d", "0d", "3 rounds"] {
            let window: Window = text.parse().expect("valid window");
            assert_eq!(window.to_string(), text);
        }
        assert!("10".parse::<Window>().is_err());
        assert!("y".parse::<Window>().is_err());
        assert!("5 weeks".parse::<Window>().is_err());
    }

    #[test]
    fn a_window_in_rounds_reaches_back_to_the_nth_earlier_round() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("date");
        let rounds = [d(2021, 3), d(2022, 3), d(2023, 3), d(2024, 3)];
        assert_eq!(
            Window::Rounds(2).since(d(2024, 9), &rounds),
            Some(d(2023, 3))
        );
        assert_eq!(Window::Rounds(9).since(d(2024, 9), &rounds), None);
        assert_eq!(Window::Years(1).since(d(2024, 9), &[]), Some(d(2023, 9)));
    }

    #[test]
    fn the_default_set_round_trips_through_toml() {
        let rules = RuleSet::default();
        let text = rules.to_toml().expect("serialise");
        assert_eq!(RuleSet::from_toml_str(&text).expect("parse"), rules);
    }
}
