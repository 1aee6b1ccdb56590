//! The engine: every conflict between a person and a target, explained.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xuncha_org::{Code, Hierarchy, UnitId, Units};

use crate::fact::{FactRef, Region, Relation, for_each_fact, region, relation};
use crate::ties::explain_path;
use crate::{
    ConflictIndex, Fact, FactKind, Officials, Person, Place, Role, Roster, Rule, RuleSet, Severity,
    Target, TieGraph, TieSpec,
};

/// Why a conflict exists, in Chinese and in English, for the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// 中文说明, such as `成长地 平和县 (350628) 包含被巡察单位 平和县民政局`.
    pub zh: String,
    /// The English, such as `place of upbringing 平和县 (350628) contains
    /// the target 平和县民政局`.
    pub en: String,
}

/// One reason why a person may not (or should rather not) inspect a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The id of the rule that produced it.
    pub rule: String,
    /// Hard or soft.
    pub severity: Severity,
    /// The rule's cost, for a soft conflict.
    pub cost: u32,
    /// The fact, as recorded in the roster.
    pub fact: Fact,
    /// The place that matched the target: the fact's place widened to the
    /// rule's scope.
    pub matched: Place,
    /// The explanation.
    pub explanation: Explanation,
}

/// Every conflict between one person and one target in one role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The conflicts, in rule order.
    pub conflicts: Vec<Conflict>,
}

impl Verdict {
    /// Whether no hard conflict stands in the way.
    pub fn is_allowed(&self) -> bool {
        self.hard().next().is_none()
    }

    /// Whether there is no conflict at all.
    pub fn is_clear(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// The hard conflicts.
    pub fn hard(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts
            .iter()
            .filter(|c| c.severity == Severity::Hard)
    }

    /// The soft conflicts.
    pub fn soft(&self) -> impl Iterator<Item = &Conflict> {
        self.conflicts
            .iter()
            .filter(|c| c.severity == Severity::Soft)
    }

    /// The total cost of the soft conflicts.
    pub fn soft_cost(&self) -> u64 {
        self.soft().map(|c| u64::from(c.cost)).sum()
    }
}

/// The avoidance engine: a hierarchy, its units and a rule set.
///
/// It answers questions about (person, target, role, date) and never
/// chooses anyone.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use xuncha_avoid::{Engine, Person, Place, Role, RuleSet, Target};
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::default();
/// let engine = Engine::new(&fujian, &units, RuleSet::default());
///
/// let mut wang = Person::new("P1", "王芳", Code::parse("350627")?);
/// wang.upbringing.push(Place::Division(Code::parse("350628100")?)); // 小溪镇, 平和县
/// let pinghe = Target::Division(Code::parse("350628")?);
/// let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("a valid date");
///
/// let verdict = engine.check(&wang, &pinghe, Role::Member, date);
/// assert!(!verdict.is_allowed());
/// assert_eq!(verdict.conflicts[0].rule, "upbringing");
/// assert_eq!(verdict.conflicts[0].explanation.zh, "成长地 平和县 (350628) 即被巡察地区 平和县 (350628)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Engine<'g> {
    hierarchy: &'g Hierarchy,
    units: &'g Units,
    rules: RuleSet,
    round_dates: Vec<NaiveDate>,
    ties: Option<Arc<TieGraph>>,
    /// The units rounds inspect within division targets, where listed.
    inspected: HashMap<Target, Vec<UnitId>>,
}

impl<'g> Engine<'g> {
    /// An engine over a hierarchy and its units with `rules`.
    pub fn new(hierarchy: &'g Hierarchy, units: &'g Units, rules: RuleSet) -> Engine<'g> {
        Engine {
            hierarchy,
            units,
            rules,
            round_dates: Vec::new(),
            ties: None,
            inspected: HashMap::new(),
        }
    }

    /// Tells the engine which units a round inspects within a division or
    /// cluster `target`. At unit scope a unit meets the division targets it
    /// lies in: every unit of the registry within the target's divisions
    /// unless the round lists its units here, then those (and their child
    /// units, and the units containing them). So a spouse who heads
    /// 平和县民政局 keeps a person off 平和县 under the default `kinship` rule.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_avoid::{Engine, Person, Place, Post, Relative, Role, RuleSet, Target};
    /// use xuncha_org::{Code, Hierarchy, Unit, UnitId, UnitKind, Units};
    ///
    /// let fujian = Hierarchy::fujian();
    /// let pinghe = Code::parse("350628")?;
    /// let bureau = |id: &str, name: &str| Unit {
    ///     id: UnitId(id.into()), name: name.into(), kind: UnitKind::Bureau, division: pinghe, parent: None, department: None,
    /// };
    /// let units = Units::new(vec![bureau("ph-civil", "平和县民政局"), bureau("ph-road", "平和县公路局")], &fujian)?;
    /// let mut wang = Person::new("P1", "王芳", Code::parse("350627")?);
    /// let mut spouse = Relative::from_word("配偶", "李明").expect("a kinship word");
    /// spouse.posts.push(Post { place: Place::Unit(UnitId("ph-civil".into())), title: "局长".into(), from: None, to: None });
    /// wang.relatives.push(spouse);
    /// let date = NaiveDate::from_ymd_opt(2024, 3, 1).expect("a valid date");
    /// let county = Target::Division(pinghe);
    ///
    /// // Every unit of 平和县 is inspected: the spouse's bureau among them.
    /// let engine = Engine::new(&fujian, &units, RuleSet::default());
    /// assert!(!engine.check(&wang, &county, Role::Member, date).is_allowed());
    /// // The round inspects the road bureau only.
    /// let engine = engine.with_inspected_units(county.clone(), vec![UnitId("ph-road".into())]);
    /// assert!(engine.check(&wang, &county, Role::Member, date).is_allowed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_inspected_units(mut self, target: Target, units: Vec<UnitId>) -> Engine<'g> {
        self.inspected.insert(target, units);
        self
    }

    /// The units the round inspects within `target`, where it lists them
    /// ([`Engine::with_inspected_units`]); `None`: every unit within it.
    pub fn inspected_units(&self, target: &Target) -> Option<&[UnitId]> {
        self.inspected.get(target).map(Vec::as_slice)
    }

    /// Gives the engine the acquaintance graph its tie rules
    /// (`fact = "ties"`) answer from. Without one, tie rules find nothing.
    #[must_use]
    pub fn with_ties(mut self, ties: Arc<TieGraph>) -> Engine<'g> {
        self.ties = Some(ties);
        self
    }

    /// Builds the acquaintance graph of `roster` and `officials` for this
    /// engine's tie rules and gives it to the engine
    /// ([`TieGraph::build`] with the rules' specs).
    #[must_use]
    pub fn with_officials(self, roster: &Roster, officials: &Officials) -> Engine<'g> {
        let specs: Vec<TieSpec> = self
            .rules
            .rules()
            .iter()
            .filter(|r| r.fact == FactKind::Ties)
            .map(|r| r.tie_spec().clone())
            .collect();
        let graph = TieGraph::build(roster, officials, self.units, &specs);
        self.with_ties(Arc::new(graph))
    }

    /// The acquaintance graph, if the engine has one.
    pub fn ties(&self) -> Option<&TieGraph> {
        self.ties.as_deref()
    }

    /// Tells the engine the dates of earlier rounds, for windows counted in
    /// rounds (`"3 rounds"`).
    #[must_use]
    pub fn with_round_dates(mut self, dates: Vec<NaiveDate>) -> Engine<'g> {
        self.round_dates = dates;
        self
    }

    /// The rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The hierarchy.
    pub fn hierarchy(&self) -> &'g Hierarchy {
        self.hierarchy
    }

    /// The units.
    pub fn units(&self) -> &'g Units {
        self.units
    }

    /// The earliest date a dated fact may reach to count under `rule`, for a
    /// round on `date`; `None` for no limit.
    pub(crate) fn since(&self, rule: &Rule, date: NaiveDate) -> Option<NaiveDate> {
        rule.window.and_then(|w| w.since(date, &self.round_dates))
    }

    /// Every conflict between `person` and `target` for `role` in a round on
    /// `date`, in rule order, each explained.
    ///
    /// # Complexity
    ///
    /// O(f) in the person's facts, each compared by code arithmetic; about
    /// 0.1 µs for a typical person (see `docs/performance.md`).
    pub fn check(&self, person: &Person, target: &Target, role: Role, date: NaiveDate) -> Verdict {
        // One division for most targets: no allocation on the hot path.
        let single;
        let divisions: &[Code] = match target {
            Target::Division(code) => std::slice::from_ref(code),
            Target::Unit(id) => match self.units.get(id) {
                Some(unit) => {
                    single = unit.division;
                    std::slice::from_ref(&single)
                }
                None => &[],
            },
            Target::Cluster(codes) => codes,
        };
        let mut conflicts = Vec::new();
        for rule in self.rules.rules() {
            if !rule.roles.contains(role) {
                continue;
            }
            let since = self.since(rule, date);
            if rule.fact == FactKind::Ties {
                conflicts.extend(self.tie_conflict(rule, person, target, date, since));
                continue;
            }
            for_each_fact(rule, person, date, since, |fact, place| {
                let Some(region) = region(place, rule.scope, self.units) else {
                    return;
                };
                let inspected = self.inspected_units(target);
                if let Some(how) = relation(region, target, divisions, inspected, self.units) {
                    conflicts.push(self.conflict(rule, fact, region, how, target));
                }
            });
        }
        Verdict { conflicts }
    }

    /// A whole-roster index against `targets` for a round on `date`.
    pub fn index(&self, roster: &Roster, targets: &[Target], date: NaiveDate) -> ConflictIndex {
        ConflictIndex::build(self, roster, targets, date)
    }

    /// The conflict of tie rule `rule`: the shortest path of ties from
    /// `person` to a leader of `target`, if there is one.
    fn tie_conflict(
        &self,
        rule: &Rule,
        person: &Person,
        target: &Target,
        date: NaiveDate,
        since: Option<NaiveDate>,
    ) -> Option<Conflict> {
        let graph = self.ties.as_deref()?;
        let spec = rule.tie_spec();
        let path = graph.path(&person.id, target, spec, date, since)?;
        let leader = path.people.last().and_then(|&n| graph.person(n))?;
        let matched = leader.leading_post()?.place.clone();
        Some(Conflict {
            rule: rule.id.clone(),
            severity: rule.severity,
            cost: cost_of(rule),
            fact: Fact::Ties {
                path: crate::ties::path_steps(graph, &path),
            },
            matched,
            explanation: explain_path(graph, &path, spec, self.hierarchy, self.units),
        })
    }

    fn conflict(
        &self,
        rule: &Rule,
        fact: FactRef<'_>,
        region: Region<'_>,
        how: Relation,
        target: &Target,
    ) -> Conflict {
        let matched = region.to_place();
        let place = matched.describe(self.hierarchy, self.units);
        let target_name = target.describe(self.hierarchy, self.units);
        let (fact_zh, fact_en) = describe_fact(fact, rule);
        let kind = target.kind_zh();
        let (zh, en) = match how {
            Relation::Same => (
                format!("{fact_zh} {place} 即被巡察{kind} {target_name}"),
                format!("{fact_en} {place} is the target {target_name}"),
            ),
            Relation::Contains => (
                format!("{fact_zh} {place} 包含被巡察{kind} {target_name}"),
                format!("{fact_en} {place} contains the target {target_name}"),
            ),
            Relation::Within => (
                format!("{fact_zh} {place} 位于被巡察{kind} {target_name} 之内"),
                format!("{fact_en} {place} lies within the target {target_name}"),
            ),
        };
        Conflict {
            rule: rule.id.clone(),
            severity: rule.severity,
            cost: cost_of(rule),
            fact: fact.to_fact(),
            matched,
            explanation: Explanation { zh, en },
        }
    }
}

/// A conflict's cost under `rule`: the rule's cost when soft, else 0.
fn cost_of(rule: &Rule) -> u32 {
    if rule.severity == Severity::Soft {
        rule.cost
    } else {
        0
    }
}

/// The fact's words in Chinese and English.
fn describe_fact(fact: FactRef<'_>, rule: &Rule) -> (String, String) {
    let span = |post: &crate::Post| {
        let from = post.from.map_or_else(|| "?".to_owned(), |d| d.to_string());
        let (to_zh, to_en) = post.to.map_or_else(
            || ("今".to_owned(), "present".to_owned()),
            |d| (d.to_string(), d.to_string()),
        );
        (format!("{from}至{to_zh}"), format!("{from} to {to_en}"))
    };
    match fact {
        FactRef::Post(post) => {
            let (zh, en) = span(post);
            let title = if post.title.is_empty() {
                String::new()
            } else {
                format!("{}，", post.title)
            };
            let title_en = if post.title.is_empty() {
                String::new()
            } else {
                format!("{}, ", post.title)
            };
            (
                format!("任职地（{title}{zh}）"),
                format!("post held ({title_en}{en})"),
            )
        }
        FactRef::Relative(relative, _) => (
            format!("亲属（{} {}）工作地", relative.chinese(), relative.name),
            format!(
                "workplace of relative ({} {})",
                relative.english(),
                relative.name
            ),
        ),
        FactRef::Declared(declared) => (
            format!("本人申报回避（{}）", declared.reason),
            format!("declared conflict ({})", declared.reason),
        ),
        FactRef::Inspection(inspection) => (
            format!("{} 曾巡察", inspection.date),
            format!("inspected on {}", inspection.date),
        ),
        FactRef::Residence(_) | FactRef::Workplace(_) | FactRef::Upbringing(_) => (
            rule.fact.chinese().to_owned(),
            rule.fact.english().to_owned(),
        ),
    }
}
