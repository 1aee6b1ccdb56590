//! Term coverage planning on the real division list: village clusters,
//! schedules, mid-term changes, a special round over every township.

use std::collections::{HashMap, HashSet};

use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use xuncha_assign::{
    Error, InspectionMode, Round, RoundTarget, StaffOptions, TeamSpec, TermChange, TermLevel,
    TermSpec, TermTarget, check_term, cluster_villages, plan_term, replan_term, staff,
    term_progress, term_targets, term_targets_at, verify,
};
use xuncha_avoid::{Engine, RuleSet, Target};
use xuncha_org::{Code, Hierarchy, Level, Units};
use xuncha_synth::RosterSpec;

fn national() -> &'static Hierarchy {
    static NATIONAL: OnceLock<Hierarchy> = OnceLock::new();
    NATIONAL.get_or_init(Hierarchy::national)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

#[test]
fn every_village_of_longyan_is_in_one_cluster_of_one_county_and_one_round_of_the_term() {
    let h = national();
    let longyan = h.get(code("3508")).unwrap();
    let villages: Vec<Code> = longyan
        .subtree()
        .filter(|d| d.level() == Level::Village && !d.is_grouping())
        .map(xuncha_org::Division::code)
        .collect();
    assert!(villages.len() > 1_500, "{} villages", villages.len());
    let clusters = cluster_villages(h, code("3508"), 10).unwrap();
    let mut cluster_of: HashMap<Code, &str> = HashMap::new();
    for cluster in &clusters {
        assert!(!cluster.villages.is_empty() && cluster.villages.len() <= 10);
        for v in &cluster.villages {
            assert_eq!(
                v.ancestor_at(Level::County),
                Some(cluster.county),
                "{} spans counties",
                cluster.id
            );
            assert!(
                cluster_of.insert(*v, &cluster.id).is_none(),
                "{v} in two clusters"
            );
        }
    }
    assert_eq!(cluster_of.len(), villages.len());
    // Deterministic.
    assert_eq!(cluster_villages(h, code("3508"), 10).unwrap(), clusters);

    // Seven teams (Longyan ran seven), two rounds a year over 2022–2026.
    let targets = term_targets(
        h,
        &Units::default(),
        code("3508"),
        TermLevel::Village { cluster_size: 10 },
    )
    .unwrap();
    assert_eq!(targets.len(), clusters.len());
    let capacity = targets.len().div_ceil(10 * 7);
    let spec = TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), 2, 7, capacity);
    let schedule = plan_term(&targets, &spec).unwrap();
    assert_eq!(schedule.rounds.len(), 10);
    assert_eq!(check_term(&schedule, &targets), Vec::<String>::new());
    let mut round_of: HashMap<Code, usize> = HashMap::new();
    for round in &schedule.rounds {
        for s in &round.targets {
            let Target::Cluster(codes) = &s.target.target else {
                panic!("a cluster")
            };
            for v in codes {
                assert!(round_of.insert(*v, round.number).is_none(), "{v} twice");
            }
        }
        // Every round crosses the city's seven counties in one cycle.
        assert_eq!(round.rotation.len(), 7, "round {}", round.number);
    }
    assert_eq!(round_of.len(), villages.len());
    let sizes: Vec<usize> = schedule.rounds.iter().map(|r| r.targets.len()).collect();
    assert!(
        sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
        "{sizes:?}"
    );
}

#[test]
fn every_township_of_sanming_is_staffed_in_one_special_round() {
    let h = Hierarchy::fujian();
    let units = Units::default();
    let townships = term_targets(&h, &units, code("3504"), TermLevel::Township).unwrap();
    assert!(townships.len() >= 100, "{}", townships.len());
    let date = day(2026, 3, 1);
    let round = Round {
        mode: InspectionMode::Special,
        team: TeamSpec {
            members: 2,
            liaison: false,
            require: vec![],
            ..TeamSpec::default()
        },
        targets: townships
            .iter()
            .map(|t| RoundTarget::new(t.target.clone()))
            .collect(),
        ..Round::cross("2026-sanming-special", date, [])
    };
    let roster = RosterSpec::new(2_500, 0x5a, date)
        .within(code("3504"))
        .roster(&h, &units)
        .unwrap();
    let engine = Engine::new(&h, &units, RuleSet::default());
    let plan = staff(&engine, &roster, &round, &StaffOptions::default()).unwrap();
    assert_eq!(plan.teams.len(), townships.len(), "one team per township");
    assert!(plan.teams.iter().all(|t| t.members.len() == 4));
    assert_eq!(verify(&plan, &round, &roster, &engine), Vec::new());
}

#[test]
fn too_few_team_rounds_says_how_many_more_are_needed() {
    let h = Hierarchy::fujian();
    let targets = term_targets(&h, &Units::default(), code("3508"), TermLevel::Township).unwrap();
    let n = targets.len();
    let spec = TermSpec::new(day(2022, 1, 1), day(2022, 12, 31), 2, 3, 4);
    let err = plan_term(&targets, &spec).unwrap_err();
    let Error::TermCapacity {
        needed,
        available,
        more,
        ..
    } = err
    else {
        panic!("{err}")
    };
    assert_eq!(available, 6);
    assert_eq!(needed, n.div_ceil(4));
    assert_eq!(more, needed - 6);
    assert!(
        plan_term(
            &targets,
            &TermSpec {
                teams: 3 + more.div_ceil(2),
                ..spec
            }
        )
        .is_ok()
    );
}

#[test]
fn early_and_apart_constraints_hold() {
    let h = Hierarchy::fujian();
    let targets = term_targets(&h, &Units::default(), code("3508"), TermLevel::Township).unwrap();
    let last = targets.last().unwrap().id.clone();
    let mut spec = TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), 2, 4, 5);
    spec.early = vec![last.clone()];
    spec.apart = vec![
        (targets[0].id.clone(), targets[1].id.clone()),
        (targets[0].id.clone(), last.clone()),
    ];
    let schedule = plan_term(&targets, &spec).unwrap();
    assert_eq!(check_term(&schedule, &targets), Vec::<String>::new());
    let round_of = |id: &str| {
        schedule
            .rounds
            .iter()
            .position(|r| r.targets.iter().any(|s| s.target.id == id))
            .unwrap()
    };
    assert!(round_of(&last) < 2);
    assert_ne!(round_of(&targets[0].id), round_of(&targets[1].id));
    // An early target that is not a target is an error, not a panic.
    spec.early = vec!["nowhere".into()];
    assert!(matches!(
        plan_term(&targets, &spec),
        Err(Error::Term { .. })
    ));
}

#[test]
fn a_mid_term_change_moves_nothing_already_done() {
    let h = Hierarchy::fujian();
    let targets = term_targets(&h, &Units::default(), code("3506"), TermLevel::Township).unwrap();
    let spec = TermSpec::new(day(2021, 1, 1), day(2025, 12, 31), 2, 6, 4);
    let schedule = plan_term(&targets, &spec).unwrap();
    // 龙海市 (350681) townships carried the old county code before 2021-02-02;
    // a target recorded under an old township code is brought up to date.
    let abolished = schedule.rounds[5].targets[0].target.id.clone();
    let added = vec![TermTarget {
        id: "unit:new-bureau".into(),
        group: code("350602"),
        target: Target::Unit("new-bureau".into()),
        level: None,
    }];
    let change = TermChange {
        added: added.clone(),
        abolished: vec![abolished.clone()],
    };
    let next = replan_term(&schedule, 4, &change, &h).unwrap();
    assert_eq!(
        next.rounds[..4],
        schedule.rounds[..4],
        "done rounds unchanged"
    );
    let mut current: Vec<TermTarget> = targets
        .iter()
        .filter(|t| t.id != abolished)
        .cloned()
        .collect();
    current.extend(added);
    assert_eq!(check_term(&next, &current), Vec::<String>::new());
    let progress = term_progress(&next, &current, 4);
    assert_eq!(
        progress.total.covered + progress.total.scheduled,
        current.len()
    );
    assert_eq!(progress.total.left, 0);
    assert_eq!(progress.rounds.iter().filter(|r| r.done).count(), 4);
    // Adding what is there already is refused.
    let again = TermChange {
        added: vec![targets[0].clone()],
        abolished: vec![],
    };
    assert!(matches!(
        replan_term(&schedule, 4, &again, &h),
        Err(Error::Term { .. })
    ));
}

#[test]
fn an_old_code_in_a_schedule_is_brought_up_to_date() {
    let h = Hierarchy::fujian();
    // 350681 (龙海市) became 350604 (龙海区) on 2021-02-02.
    let old = TermTarget {
        id: "old".into(),
        group: code("350681"),
        target: Target::Division(code("350681")),
        level: None,
    };
    let others: Vec<TermTarget> = ["350602", "350603", "350622"]
        .iter()
        .map(|c| TermTarget {
            id: (*c).into(),
            group: code(c),
            target: Target::Division(code(c)),
            level: None,
        })
        .collect();
    let mut all = others.clone();
    all.push(old);
    let spec = TermSpec::new(day(2021, 1, 1), day(2022, 12, 31), 1, 4, 1);
    let schedule = plan_term(&all, &spec).unwrap();
    let next = replan_term(&schedule, 0, &TermChange::default(), &h).unwrap();
    let found = next
        .rounds
        .iter()
        .flat_map(|r| &r.targets)
        .find(|s| s.target.id == "old")
        .unwrap();
    assert_eq!(found.target.target, Target::Division(code("350604")));
    assert_eq!(found.target.group, code("350604"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_target_once_when_capacity_allows_and_a_typed_error_when_not(
        city in prop::sample::select(vec!["3501", "3502", "3503", "3504", "3505", "3506", "3507", "3508", "3509"]),
        level in 0u8..2,
        rounds_per_year in 1u32..5,
        teams in 1usize..8,
        capacity in 1usize..6,
        size in 4usize..30,
    ) {
        let h = Hierarchy::fujian();
        let level = if level == 0 { TermLevel::Township } else { TermLevel::Village { cluster_size: size } };
        let targets = term_targets(&h, &Units::default(), code(city), level).unwrap();
        let spec = TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), rounds_per_year, teams, capacity);
        let rounds = spec.round_starts().unwrap().len();
        match plan_term(&targets, &spec) {
            Ok(schedule) => {
                prop_assert!(targets.len() <= rounds * teams * capacity);
                prop_assert_eq!(check_term(&schedule, &targets), Vec::<String>::new());
                let ids: HashSet<&str> = schedule.rounds.iter().flat_map(|r| r.targets.iter().map(|s| s.target.id.as_str())).collect();
                prop_assert_eq!(ids.len(), targets.len());
            }
            Err(Error::TermCapacity { needed, available, more, .. }) => {
                prop_assert!(targets.len() > rounds * teams * capacity);
                prop_assert_eq!(more, needed - available);
                prop_assert_eq!(available, rounds * teams);
            }
            Err(other) => prop_assert!(false, "unexpected {}", other),
        }
    }
}

#[test]
fn small_cities_borrow_from_their_province_under_the_city_or_province_pool() {
    use xuncha_assign::Pool;
    let h = national();
    let units = Units::default();
    let gansu: Vec<Code> = h
        .get(code("62"))
        .unwrap()
        .subtree()
        .filter(|d| d.level() == Level::County)
        .map(xuncha_org::Division::code)
        .collect();
    // 嘉峪关市 (6202) has one county-level division, 金昌市 (6203) two.
    assert!(
        gansu
            .iter()
            .any(|c| c.ancestor_at(Level::City) == Some(code("6202")))
    );
    let date = day(2026, 3, 1);
    let roster = RosterSpec::new(6_000, 0x62, date)
        .within(code("62"))
        .roster(h, &units)
        .unwrap();
    let engine = Engine::new(h, &units, RuleSet::default());
    let team = TeamSpec {
        members: 3,
        require: vec![],
        ..TeamSpec::default()
    };
    let city = Round {
        team: team.clone(),
        ..Round::cross("gansu-city", date, gansu.clone())
    };
    assert!(matches!(
        staff(&engine, &roster, &city, &StaffOptions::default()),
        Err(Error::Infeasible(_))
    ));
    let wide = Round {
        pool: Pool::CityOrProvince,
        team,
        ..Round::cross("gansu", date, gansu.clone())
    };
    let plan = staff(&engine, &roster, &wide, &StaffOptions::default()).unwrap();
    assert_eq!(
        plan.teams.len(),
        gansu.len(),
        "every county of Gansu has a team"
    );
    assert_eq!(verify(&plan, &wide, &roster, &engine), Vec::new());
    // Big cities still staff from within themselves; small ones from the province.
    let people: HashMap<&str, Code> = roster
        .people()
        .iter()
        .map(|p| (p.id.as_str(), p.origin))
        .collect();
    for team in &plan.teams {
        let target_city = team.target.to_string()[..4].to_owned();
        let small = target_city == "6202" || target_city == "6203";
        for member in &team.members {
            let origin = people[member.person.as_str()];
            let origin_city = origin.to_string()[..4].to_owned();
            assert!(
                small || origin_city == target_city,
                "{} on {}",
                member.person,
                team.target
            );
        }
    }
}

/// A term of four levels at once (四级联动) over 龙岩市: the city's own
/// units, the counties and their direct units, the townships and the
/// village clusters, each level's targets in exactly one round; progress
/// counts each level apart and the levels add up to the whole.
#[test]
fn a_term_of_four_levels_covers_each_levels_targets_once() {
    let h = national();
    let longyan = code("3508");
    let unit = |id: &str, division: &str| xuncha_org::Unit {
        id: id.into(),
        name: id.into(),
        kind: xuncha_org::UnitKind::Bureau,
        division: code(division),
        parent: None,
        department: None,
    };
    let units = Units::new(
        vec![
            unit("ly-civil", "3508"),
            unit("ly-finance", "3508"),
            unit("xl-civil", "350802"),
            unit("sh-civil", "350824"),
            unit("town-office", "350802001"),
        ],
        h,
    )
    .unwrap();
    let levels = [
        TermLevel::City,
        TermLevel::County,
        TermLevel::Township,
        TermLevel::Village { cluster_size: 10 },
    ];
    let targets = term_targets_at(h, &units, longyan, &levels).unwrap();
    let at = |level: Level| -> Vec<&TermTarget> {
        targets.iter().filter(|t| t.level == Some(level)).collect()
    };
    let ids = |ts: Vec<&TermTarget>| ts.iter().map(|t| t.id.clone()).collect::<HashSet<_>>();
    assert_eq!(
        ids(at(Level::City)),
        HashSet::from(["ly-civil".to_owned(), "ly-finance".to_owned()])
    );
    let county = ids(at(Level::County));
    assert!(
        county.contains("350802") && county.contains("xl-civil") && county.contains("sh-civil")
    );
    assert!(
        !county.contains("town-office"),
        "a township's unit is not a county's"
    );
    assert_eq!(county.len(), 7 + 2, "seven counties and two county bureaus");
    let townships = term_targets(h, &units, longyan, TermLevel::Township).unwrap();
    let villages =
        term_targets(h, &units, longyan, TermLevel::Village { cluster_size: 10 }).unwrap();
    assert_eq!(at(Level::Township).len(), townships.len());
    assert_eq!(at(Level::Village).len(), villages.len());
    assert_eq!(targets.len(), 2 + 9 + townships.len() + villages.len());
    // The city's own units are crossed as the city's group.
    assert!(at(Level::City).iter().all(|t| t.group == longyan));

    let spec = TermSpec::new(day(2022, 1, 1), day(2026, 12, 31), 2, 8, 40);
    let schedule = plan_term(&targets, &spec).unwrap();
    assert_eq!(check_term(&schedule, &targets), Vec::<String>::new());
    let mut placed: HashMap<&str, usize> = HashMap::new();
    for round in &schedule.rounds {
        for s in &round.targets {
            *placed.entry(s.target.id.as_str()).or_default() += 1;
        }
    }
    assert_eq!(placed.len(), targets.len());
    assert!(placed.values().all(|&n| n == 1), "each target once");

    let progress = term_progress(&schedule, &targets, 4);
    let levels_seen: Vec<Level> = progress.levels.iter().map(|l| l.level).collect();
    assert_eq!(
        levels_seen,
        [Level::City, Level::County, Level::Township, Level::Village]
    );
    let sum = |f: fn(&xuncha_assign::LevelProgress) -> usize| {
        progress.levels.iter().map(f).sum::<usize>()
    };
    assert_eq!(sum(|l| l.covered), progress.total.covered);
    assert_eq!(sum(|l| l.scheduled), progress.total.scheduled);
    assert_eq!(
        progress.total.covered + progress.total.scheduled,
        targets.len()
    );
    let city = &progress.levels[0];
    assert_eq!(city.covered + city.scheduled, 2);

    // A level named twice, or `unit` beside another, is refused.
    assert!(matches!(
        term_targets_at(
            h,
            &units,
            longyan,
            &[TermLevel::Township, TermLevel::Township]
        ),
        Err(Error::Term { .. })
    ));
    assert!(matches!(
        term_targets_at(h, &units, longyan, &[TermLevel::Unit, TermLevel::City]),
        Err(Error::Term { .. })
    ));
}
