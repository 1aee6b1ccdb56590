//! The acquaintance graph and the tie rule: the worked example, each kind
//! of tie, and random files against a brute-force pairwise oracle.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use chrono::NaiveDate;
use proptest::prelude::*;
use xuncha_avoid::{
    Engine, FactKind, Official, Officials, Person, PersonId, Place, Post, Relative, Role, Roster,
    Rule, RuleSet, Severity, Target, TieEvidence, TieGraph, TieKind, TieSpec, Window,
    is_leading_title,
};
use xuncha_org::{Code, UnitId, Units};

use crate::common::{code, date, division, fujian};

/// 南靖县民政局 and 漳州市财政局 besides the Pinghe units
/// (`testdata/ties/units.csv`).
fn units() -> &'static Units {
    static UNITS: std::sync::OnceLock<Units> = std::sync::OnceLock::new();
    UNITS.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/ties/units.csv");
        Units::from_csv_path(path, fujian()).expect("valid test units")
    })
}

fn unit(id: &str) -> Place {
    Place::Unit(UnitId::from(id))
}

fn post(place: Place, title: &str, from: (i32, u32, u32), to: Option<(i32, u32, u32)>) -> Post {
    Post {
        place,
        title: title.to_owned(),
        from: Some(date(from.0, from.1, from.2)),
        to: to.map(|(y, m, d)| date(y, m, d)),
    }
}

fn round_date() -> NaiveDate {
    date(2024, 3, 1)
}

fn tie_rules(spec: TieSpec, window: Option<Window>) -> RuleSet {
    RuleSet::new(vec![Rule {
        window,
        ties: Some(spec),
        ..Rule::new("ties", FactKind::Ties)
    }])
    .expect("valid rules")
}

fn engine_of(
    rules: RuleSet,
    people: Vec<Person>,
    officials: Vec<Official>,
) -> (Engine<'static>, Roster) {
    let roster = Roster::new(people, fujian(), units()).expect("valid roster");
    let officials = Officials::new(officials, fujian(), units()).expect("valid officials");
    let engine = Engine::new(fujian(), units(), rules).with_officials(&roster, &officials);
    (engine, roster)
}

/// 张三 and 李四 served together in 漳州市财政局; 李四 now heads 南靖县民政局.
fn worked_example() -> (Vec<Person>, Vec<Official>) {
    let mut zhang = Person::new("P1", "张三", code("350602"));
    zhang.posts.push(post(
        unit("zz-finance"),
        "科员",
        (2012, 3, 1),
        Some((2015, 6, 30)),
    ));
    let mut li = Official::new("L1", "李四", unit("nj-civil"), "局长");
    li.from = Some(date(2021, 1, 1));
    li.posts.push(post(
        unit("zz-finance"),
        "科员",
        (2010, 9, 1),
        Some((2016, 1, 31)),
    ));
    (vec![zhang], vec![li])
}

#[test]
fn the_worked_example_explains_the_path_with_dates_and_places() {
    let (people, officials) = worked_example();
    let (engine, roster) = engine_of(tie_rules(TieSpec::default(), None), people, officials);
    let zhang = &roster.people()[0];
    for target in [
        Target::Unit(UnitId::from("nj-civil")),
        Target::Division(code("350627")),
    ] {
        let verdict = engine.check(zhang, &target, Role::Member, round_date());
        assert!(!verdict.is_allowed(), "{target}");
        let conflict = &verdict.conflicts[0];
        assert_eq!(
            conflict.explanation.zh,
            "张三 与 南靖县民政局局长 李四 2012-03 至 2015-06 同在 漳州市财政局 任职"
        );
        assert_eq!(
            conflict.explanation.en,
            "张三 and 李四 (局长 of 南靖县民政局) held posts in 漳州市财政局 together from 2012-03 to 2015-06"
        );
        assert_eq!(conflict.matched, unit("nj-civil"));
    }
    // Not a leader of 平和县, nor of 南靖县民政局 before taking the post.
    assert!(
        engine
            .check(
                zhang,
                &Target::Division(code("350628")),
                Role::Member,
                round_date()
            )
            .is_clear()
    );
    assert!(
        engine
            .check(
                zhang,
                &Target::Division(code("350627")),
                Role::Member,
                date(2020, 6, 1)
            )
            .is_clear()
    );
    // The index says the same.
    let targets = [
        Target::Division(code("350627")),
        Target::Division(code("350628")),
    ];
    let index = engine.index(&roster, &targets, round_date());
    assert!(!index.allowed(0, 0, Role::Member));
    assert!(index.allowed(0, 1, Role::Member));
}

#[test]
fn a_short_overlap_and_a_faded_tie_do_not_count() {
    let (mut people, officials) = worked_example();
    // Three years together: not enough when the rule asks for five.
    let five = TieSpec {
        min_overlap: Window::Years(5),
        ..TieSpec::default()
    };
    let (engine, roster) = engine_of(tie_rules(five, None), people.clone(), officials.clone());
    let nanjing = Target::Division(code("350627"));
    assert!(
        engine
            .check(&roster.people()[0], &nanjing, Role::Member, round_date())
            .is_clear()
    );
    // Ended in 2015: faded under a five-year window, counted under twenty.
    let (engine, roster) = engine_of(
        tie_rules(TieSpec::default(), Some(Window::Years(5))),
        people.clone(),
        officials.clone(),
    );
    assert!(
        engine
            .check(&roster.people()[0], &nanjing, Role::Member, round_date())
            .is_clear()
    );
    let (engine, roster) = engine_of(
        tie_rules(TieSpec::default(), Some(Window::Years(20))),
        people.clone(),
        officials.clone(),
    );
    assert!(
        !engine
            .check(&roster.people()[0], &nanjing, Role::Member, round_date())
            .is_allowed()
    );
    // A post without a start proves no overlap.
    people[0].posts[0].from = None;
    let (engine, roster) = engine_of(tie_rules(TieSpec::default(), None), people, officials);
    assert!(
        engine
            .check(&roster.people()[0], &nanjing, Role::Member, round_date())
            .is_clear()
    );
}

#[test]
fn a_leading_post_makes_superior_and_subordinate() {
    let mut zhang = Person::new("P1", "张三", code("350602"));
    zhang.posts.push(post(
        unit("zz-finance"),
        "科员",
        (2012, 3, 1),
        Some((2015, 6, 30)),
    ));
    let mut li = Official::new("L1", "李四", unit("nj-civil"), "局长");
    li.posts.push(post(
        unit("zz-finance"),
        "副局长",
        (2011, 1, 1),
        Some((2016, 1, 1)),
    ));
    let (engine, roster) = engine_of(tie_rules(TieSpec::default(), None), vec![zhang], vec![li]);
    let graph = engine.ties().expect("a graph");
    let ties: Vec<_> = graph.ties_of(&PersonId::from("P1")).collect();
    assert_eq!(ties.len(), 1);
    assert_eq!(ties[0].1.kind, TieKind::Superior);
    let Some(TieEvidence::Posts {
        senior: Some(senior),
        ..
    }) = graph.evidence(ties[0].2)
    else {
        panic!("posts evidence");
    };
    assert_eq!(senior.as_str(), "L1");
    let verdict = engine.check(
        &roster.people()[0],
        &Target::Division(code("350627")),
        Role::Member,
        round_date(),
    );
    assert_eq!(
        verdict.conflicts[0].explanation.zh,
        "张三 与 南靖县民政局局长 李四 2012-03 至 2015-06 在 漳州市财政局 为上下级（南靖县民政局局长 李四 时任 副局长）"
    );
    // A rule counting colleagues only does not count a superior tie.
    let colleagues = TieSpec {
        kinds: vec![TieKind::Colleague],
        ..TieSpec::default()
    };
    let (engine, roster) = engine_of(
        tie_rules(colleagues, None),
        roster.people().to_vec(),
        officials_of(&engine),
    );
    assert!(
        engine
            .check(
                &roster.people()[0],
                &Target::Division(code("350627")),
                Role::Member,
                round_date()
            )
            .is_clear()
    );
    assert!(is_leading_title("镇长") && !is_leading_title("四级主任科员"));
}

fn officials_of(engine: &Engine<'_>) -> Vec<Official> {
    let graph = engine.ties().expect("a graph");
    graph
        .graph()
        .node_indices()
        .filter_map(|n| {
            let p = graph.person(n)?;
            let lead = p.leading_post()?;
            let mut o = Official::new(p.id.as_str(), &p.name, lead.place.clone(), &lead.title);
            o.from = lead.from;
            o.to = lead.to;
            o.posts = graph
                .posts(n)
                .map(|x| x.to_post())
                .filter(|x| x != lead)
                .collect();
            Some(o)
        })
        .collect()
}

#[test]
fn townsmen_classmates_and_kin_in_the_roster_s_own_words() {
    let mut zhang = Person::new("P1", "张三", code("350602"));
    zhang.upbringing.push(division("350628100001"));
    let mut wang = Person::new("P2", "王五", code("350602"));
    wang.school = Some("漳州师范学院".into());
    wang.graduation = Some(1998);
    let mut zhao = Person::new("P3", "赵六", code("350602"));
    let mut sister_in_law = Relative::from_word("连襟", "李四").expect("a kinship word");
    sister_in_law.id = Some(PersonId::from("L1"));
    zhao.relatives.push(sister_in_law);
    let mut li = Official::new("L1", "李四", division("350628"), "县长");
    li.upbringing.push(division("350628100"));
    li.school = Some("福建农林大学".into());
    li.graduation = Some(1998);
    let mut chen = Official::new("L2", "陈七", unit("ph-civil"), "局长");
    chen.school = Some(" 漳州师范学院 ".into());
    chen.graduation = Some(1998);
    let (engine, roster) = engine_of(
        tie_rules(TieSpec::default(), None),
        vec![zhang, wang, zhao],
        vec![li, chen],
    );
    let pinghe = Target::Division(code("350628"));
    let explain = |p: usize| {
        let verdict = engine.check(&roster.people()[p], &pinghe, Role::Member, round_date());
        verdict
            .conflicts
            .iter()
            .map(|c| c.explanation.zh.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        explain(0),
        ["张三 与 平和县县长 李四 为老乡（成长地同在 小溪镇）"]
    );
    assert_eq!(
        explain(1),
        ["王五 与 平和县民政局局长 陈七 为同学（漳州师范学院 1998 届）"]
    );
    assert_eq!(explain(2), ["平和县县长 李四 是 赵六 的连襟"]);
    let verdict = engine.check(&roster.people()[2], &pinghe, Role::Member, round_date());
    assert_eq!(
        verdict.conflicts[0].explanation.en,
        "李四 (县长 of 平和县) is 赵六's sibling-in-law"
    );
    // Townsmen at county scope only: a rule at the village level does not
    // see a township-level place as shared.
    let village = TieSpec {
        level: xuncha_org::Level::Village,
        kinds: vec![TieKind::Townsman],
        ..TieSpec::default()
    };
    let (engine, roster) = engine_of(
        tie_rules(village, None),
        roster.people().to_vec(),
        officials_of_all(),
    );
    assert!(
        engine
            .check(&roster.people()[0], &pinghe, Role::Member, round_date())
            .is_clear()
    );
}

fn officials_of_all() -> Vec<Official> {
    let mut li = Official::new("L1", "李四", division("350628"), "县长");
    li.upbringing.push(division("350628100"));
    vec![li]
}

#[test]
fn a_path_through_one_person_counts_at_length_two_only() {
    // 张三 - 王五 colleagues in 漳州市公路局; 王五 - 李四 classmates; 李四 leads 平和县.
    let mut zhang = Person::new("P1", "张三", code("350602"));
    zhang.posts.push(post(
        unit("zz-road"),
        "科员",
        (2015, 1, 1),
        Some((2019, 1, 1)),
    ));
    let mut wang = Person::new("P2", "王五", code("350602"));
    wang.posts
        .push(post(unit("zz-road"), "科员", (2016, 1, 1), None));
    wang.school = Some("厦门大学".into());
    wang.graduation = Some(2001);
    let mut li = Official::new("L1", "李四", division("350628"), "县长");
    li.school = Some("厦门大学".into());
    li.graduation = Some(2001);
    let direct = tie_rules(TieSpec::default(), None);
    let (engine, roster) = engine_of(direct, vec![zhang.clone(), wang.clone()], vec![li.clone()]);
    let pinghe = Target::Division(code("350628"));
    assert!(
        engine
            .check(&roster.people()[0], &pinghe, Role::Member, round_date())
            .is_clear()
    );
    let two = RuleSet::new(vec![Rule {
        severity: Severity::Soft,
        cost: 7,
        ties: Some(TieSpec {
            path: 2,
            ..TieSpec::default()
        }),
        ..Rule::new("ties-2", FactKind::Ties)
    }])
    .expect("valid rules");
    let (engine, roster) = engine_of(two, vec![zhang, wang], vec![li]);
    let verdict = engine.check(&roster.people()[0], &pinghe, Role::Member, round_date());
    assert!(verdict.is_allowed());
    assert_eq!(verdict.soft_cost(), 7);
    assert_eq!(
        verdict.conflicts[0].explanation.zh,
        "张三 与 王五 2016-01 至 2019-01 同在 漳州市公路局 任职；王五 与 平和县县长 李四 为同学（厦门大学 2001 届）"
    );
    let index = engine.index(&roster, &[pinghe], round_date());
    assert_eq!(index.soft_cost(0, 0, Role::Member), 7);
    assert_eq!(index.soft_cost(1, 0, Role::Member), 7, "王五 directly");
}

#[test]
fn tie_rules_are_checked_when_read() {
    let bad = "version = 1\n[[rules]]\nid = \"t\"\nfact = \"ties\"\n[rules.ties]\npath = 3\n";
    let err = RuleSet::from_toml_str(bad).expect_err("path 3");
    assert!(err.to_string().contains("rules[0].ties.path"), "{err}");
    let bad = "version = 1\n[[rules]]\nid = \"t\"\nfact = \"posts\"\n[rules.ties]\npath = 1\n";
    assert!(RuleSet::from_toml_str(bad).is_err());
    let good = "version = 1\n[[rules]]\nid = \"t\"\nfact = \"ties\"\nwindow = \"10y\"\n[rules.ties]\nkinds = [\"colleague\", \"kin\"]\nmin_overlap = \"6m\"\npath = 2\nlevel = \"county\"\n";
    let rules = RuleSet::from_toml_str(good).expect("valid");
    let spec = rules.rules()[0].tie_spec();
    assert_eq!(spec.path, 2);
    assert_eq!(spec.min_overlap, Window::Months(6));
    assert_eq!(
        RuleSet::from_toml_str(&rules.to_toml().expect("toml")).expect("again"),
        rules
    );
}

#[test]
fn officials_files_read_in_csv_and_json_and_resolve_old_codes() {
    let csv = "id,name,place,post,from,to,posts,upbringing,relatives,school,graduation\n\
        L1,李四,unit:nj-civil,局长,2021-01-01,,350681|副市长|2012-03-01|2015-06-30,350627103,连襟|赵六||||P3,厦门大学,1998\n";
    let officials = Officials::from_csv_reader(
        std::path::Path::new("o.csv"),
        csv.as_bytes(),
        fujian(),
        units(),
    )
    .expect("valid");
    let li = &officials.officials()[0];
    assert_eq!(li.posts[0].place.to_string(), "350604");
    assert_eq!(li.relatives[0].id, Some(PersonId::from("P3")));
    assert_eq!(li.relatives[0].chinese(), "连襟");
    let json = serde_json::to_string(&officials).expect("json");
    let again = Officials::from_json_str(std::path::Path::new("o.json"), &json, fujian(), units())
        .expect("valid");
    assert_eq!(again.officials(), officials.officials());
    let bad = "id,name,place,post\nL1,李四,999999,局长\n";
    let err = Officials::from_csv_reader(
        std::path::Path::new("o.csv"),
        bad.as_bytes(),
        fujian(),
        units(),
    )
    .expect_err("unknown code");
    assert!(err.to_string().contains("o.csv, line 2"), "{err}");
}

// ---- random files against a pairwise oracle ----

const PLACES: [&str; 8] = [
    "350627",
    "350628",
    "3506",
    "350628100",
    "unit:ph-civil",
    "unit:zz-road",
    "unit:ph-road",
    "unit:nj-civil",
];
const HOMES: [&str; 5] = [
    "350628100",
    "350628100001",
    "350628101",
    "350627103",
    "350627",
];
const TITLES: [&str; 4] = ["科员", "局长", "副镇长", "主任科员"];

fn arb_post() -> impl Strategy<Value = Post> {
    (
        0..PLACES.len(),
        0..TITLES.len(),
        2000..2024i32,
        0..8i32,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(p, t, y, len, open, no_start)| Post {
            place: PLACES[p].parse().expect("place"),
            title: TITLES[t].to_owned(),
            from: (!no_start).then(|| date(y, 1 + len.unsigned_abs() % 12, 1)),
            to: (!open).then(|| date(y + len, 6, 30)),
        })
}

#[derive(Clone, Debug)]
struct Facts {
    posts: Vec<Post>,
    homes: Vec<usize>,
    school: Option<(usize, i32)>,
    kin: Option<usize>,
}

fn arb_facts() -> impl Strategy<Value = Facts> {
    (
        prop::collection::vec(arb_post(), 0..4),
        prop::collection::vec(0..HOMES.len(), 0..2),
        prop::option::weighted(0.4, (0..2usize, 1998..2000i32)),
        prop::option::weighted(0.2, 0..12usize),
    )
        .prop_map(|(posts, homes, school, kin)| Facts {
            posts,
            homes,
            school,
            kin,
        })
}

fn arb_spec() -> impl Strategy<Value = (TieSpec, Option<Window>)> {
    (
        prop::sample::subsequence(TieKind::ALL.to_vec(), 1..=5),
        0..3u32,
        1..=2u8,
        prop::sample::select(vec![
            xuncha_org::Level::County,
            xuncha_org::Level::Township,
            xuncha_org::Level::Village,
        ]),
        prop::option::of(5..15u32),
    )
        .prop_map(|(kinds, overlap, path, level, window)| {
            (
                TieSpec {
                    kinds,
                    min_overlap: Window::Years(overlap),
                    path,
                    level,
                },
                window.map(Window::Years),
            )
        })
}

/// An official's facts, the place they lead and their term (start year,
/// length in years).
type OfficialFacts = (Facts, usize, Option<(i32, i32)>);

/// The people: ids P0.. for the roster, L0.. for officials, some ids in
/// both.
fn build_files(
    roster: &[Facts],
    officials: &[OfficialFacts],
    shared: usize,
) -> (Vec<Person>, Vec<Official>) {
    let id = |i: usize| {
        if i < roster.len() {
            format!("P{i}")
        } else {
            format!("L{}", i - roster.len())
        }
    };
    let all = roster.len() + officials.len();
    let apply_school = |f: &Facts| {
        f.school
            .map(|(s, y)| (["厦门大学", "福州大学"][s].to_owned(), y))
    };
    let relative = |f: &Facts| {
        f.kin.map(|k| {
            let mut r = Relative::from_word("表兄", "某").expect("word");
            r.id = Some(PersonId::from(id(k % all).as_str()));
            r
        })
    };
    let people = roster
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut p = Person::new(&id(i), &format!("甲{i}"), code("350602"));
            p.posts.clone_from(&f.posts);
            p.upbringing = f
                .homes
                .iter()
                .map(|&h| HOMES[h].parse().expect("home"))
                .collect();
            if let Some((s, y)) = apply_school(f) {
                p.school = Some(s);
                p.graduation = Some(y);
            }
            p.relatives.extend(relative(f));
            p
        })
        .collect();
    let officials = officials
        .iter()
        .enumerate()
        .map(|(i, (f, place, term))| {
            // The first `shared` officials are roster people too.
            let oid = if i < shared.min(roster.len()) {
                format!("P{i}")
            } else {
                id(roster.len() + i)
            };
            let mut o = Official::new(
                &oid,
                &format!("乙{i}"),
                PLACES[*place].parse().expect("place"),
                TITLES[i % 2],
            );
            if let Some((a, b)) = term {
                o.from = Some(date(*a, 1, 1));
                o.to = Some(date(a + b, 12, 31));
            }
            o.posts.clone_from(&f.posts);
            o.upbringing = f
                .homes
                .iter()
                .map(|&h| HOMES[h].parse().expect("home"))
                .collect();
            if let Some((s, y)) = apply_school(f) {
                o.school = Some(s);
                o.graduation = Some(y);
            }
            o.relatives.extend(relative(f));
            o
        })
        .collect();
    (people, officials)
}

/// A person as the oracle sees them: every fact of both records.
#[derive(Default, Clone)]
struct Seen {
    posts: Vec<(Post, bool)>,
    homes: Vec<Code>,
    school: Option<(String, i32)>,
    kin: Vec<PersonId>,
    leads: Vec<Official>,
}

fn oracle_people(roster: &Roster, officials: &Officials) -> HashMap<PersonId, Seen> {
    let mut seen: HashMap<PersonId, Seen> = HashMap::new();
    let home = |p: &Place| p.division(units()).expect("known place");
    for p in roster.people() {
        let s = seen.entry(p.id.clone()).or_default();
        s.posts.extend(
            p.posts
                .iter()
                .map(|x| (x.clone(), is_leading_title(&x.title))),
        );
        s.homes.extend(p.upbringing.iter().map(home));
        s.school = p
            .school
            .clone()
            .map(|x| x.trim().to_owned())
            .zip(p.graduation);
        s.kin
            .extend(p.relatives.iter().filter_map(|r| r.id.clone()));
    }
    for o in officials.officials() {
        let s = seen.entry(o.id.clone()).or_default();
        s.posts.push((o.leading_post(), true));
        s.posts.extend(
            o.posts
                .iter()
                .map(|x| (x.clone(), is_leading_title(&x.title))),
        );
        s.homes.extend(o.upbringing.iter().map(home));
        if s.school.is_none() {
            s.school = o
                .school
                .clone()
                .map(|x| x.trim().to_owned())
                .zip(o.graduation);
        }
        s.kin
            .extend(o.relatives.iter().filter_map(|r| r.id.clone()));
        s.leads.push(o.clone());
    }
    seen
}

/// Whether `a` and `b` have a tie `spec` counts, compared pair by pair.
fn tied(
    a: &Seen,
    ia: &PersonId,
    b: &Seen,
    ib: &PersonId,
    spec: &TieSpec,
    since: Option<NaiveDate>,
    on: NaiveDate,
) -> bool {
    let posts = a.posts.iter().any(|(pa, la)| {
        b.posts.iter().any(|(pb, lb)| {
            let (Some(fa), Some(fb)) = (pa.from, pb.from) else {
                return false;
            };
            let kind = if la == lb {
                TieKind::Colleague
            } else {
                TieKind::Superior
            };
            let from = fa.max(fb);
            let end = [pa.to, pb.to, Some(on)]
                .into_iter()
                .flatten()
                .min()
                .expect("a date");
            pa.place == pb.place
                && spec.counts(kind)
                && from <= end
                && spec.min_overlap.since(end, &[]).is_some_and(|s| s >= from)
                && since.is_none_or(|s| end >= s)
        })
    });
    let homes = spec.counts(TieKind::Townsman)
        && a.homes.iter().any(|x| {
            b.homes.iter().any(|y| {
                let (lx, ly) = (x.ancestor_at(spec.level), y.ancestor_at(spec.level));
                lx.is_some() && lx == ly
            })
        });
    let school = spec.counts(TieKind::Classmate) && a.school.is_some() && a.school == b.school;
    let kin = spec.counts(TieKind::Kin) && (a.kin.contains(ib) || b.kin.contains(ia));
    posts || homes || school || kin
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The index, `check` and a brute-force pairwise search agree on who
    /// has a tie path to which target.
    #[test]
    fn the_index_agrees_with_a_pairwise_oracle(
        roster_facts in prop::collection::vec(arb_facts(), 1..9),
        official_facts in prop::collection::vec(
            (arb_facts(), 0..PLACES.len(), prop::option::weighted(0.5, (2015..2025i32, 0..6i32))),
            0..5,
        ),
        shared in 0..2usize,
        (spec, window) in arb_spec(),
    ) {
        let (people, officials) = build_files(&roster_facts, &official_facts, shared);
        let rules = tie_rules(spec.clone(), window);
        let (engine, roster) = engine_of(rules, people, officials.clone());
        let officials = Officials::new(officials, fujian(), units()).expect("valid officials");
        let on = round_date();
        let since = window.and_then(|w| w.since(on, &[]));
        let targets: Vec<Target> = ["350627", "350628", "3506", "unit:ph-civil", "unit:zz-road"]
            .iter()
            .map(|t| t.parse().expect("target"))
            .collect();
        let index = engine.index(&roster, &targets, on);
        let seen = oracle_people(&roster, &officials);
        let ids: Vec<PersonId> = { let mut v: Vec<_> = seen.keys().cloned().collect(); v.sort(); v };
        let adjacent = |a: &PersonId, b: &PersonId| a != b && tied(&seen[a], a, &seen[b], b, &spec, since, on);
        for (t, target) in targets.iter().enumerate() {
            let leaders: HashSet<&PersonId> = ids
                .iter()
                .filter(|id| seen[*id].leads.iter().any(|o| o.serves_on(on) && o.leads_within(target, units())))
                .collect();
            // Breadth-first from the leaders over pairwise-tested ties.
            let mut depth: HashMap<&PersonId, u8> = leaders.iter().map(|l| (*l, 0)).collect();
            let mut queue: VecDeque<&PersonId> = leaders.iter().copied().collect();
            while let Some(x) = queue.pop_front() {
                let d = depth[x];
                if d == spec.path { continue; }
                for y in &ids {
                    if !depth.contains_key(y) && adjacent(x, y) {
                        depth.insert(y, d + 1);
                        queue.push_back(y);
                    }
                }
            }
            for (p, person) in roster.people().iter().enumerate() {
                let expected = depth.get(&person.id).is_some_and(|&d| d >= 1);
                prop_assert_eq!(!index.allowed(p, t, Role::Member), expected, "{} {}", person.id, target);
                let verdict = engine.check(person, target, Role::Member, on);
                prop_assert_eq!(!verdict.is_allowed(), expected, "{} {}: {:?}", person.id, target, verdict);
                if let Some(c) = verdict.conflicts.first() {
                    prop_assert!(!c.explanation.zh.is_empty() && !c.explanation.en.is_empty());
                }
            }
        }
        // Every tie has its evidence and reads the same from both ends.
        let graph = engine.ties().expect("a graph");
        for edge in graph.graph().edge_indices() {
            let evidence = graph.evidence(edge);
            prop_assert!(evidence.is_some());
            let (a, b) = graph.graph().edge_endpoints(edge).expect("endpoints");
            let (pa, pb) = (graph.person(a).expect("a"), graph.person(b).expect("b"));
            prop_assert!(graph.ties_of(&pb.id).any(|(o, _, e)| e == edge && o.id == pa.id));
            if let Some(TieEvidence::Posts { first, second, .. }) = evidence {
                let tie = &graph.graph()[edge];
                prop_assert_eq!(&first.place, &second.place);
                let from = tie.from.expect("a dated tie");
                prop_assert!(first.from <= Some(from) && second.from <= Some(from));
                prop_assert!(tie.to.is_none_or(|to| to >= from));
            }
        }
    }
}

#[test]
fn the_engine_shares_one_graph() {
    let (people, officials) = worked_example();
    let (engine, _) = engine_of(tie_rules(TieSpec::default(), None), people, officials);
    let graph = Arc::new(engine.ties().expect("a graph").clone());
    let again =
        Engine::new(fujian(), units(), engine.rules().clone()).with_ties(Arc::clone(&graph));
    assert_eq!(again.ties().map(TieGraph::ties), Some(1));
}

/// Organisations are numbered by the registry given to the build; a unit
/// it lacks is still one organisation, told apart from the others by id.
#[test]
fn units_the_build_s_registry_lacks_still_make_colleagues() {
    let at = |id: &str, unit_id: &str| {
        let mut p = Person::new(id, id, code("350628"));
        p.posts.push(post(
            unit(unit_id),
            "科员",
            (2010, 1, 1),
            Some((2014, 1, 1)),
        ));
        p
    };
    let roster = Roster::new(
        vec![
            at("A", "ph-civil"),
            at("B", "ph-civil"),
            at("C", "ph-finance"),
            at("D", "ph-finance"),
            at("E", "zz-road"),
        ],
        fujian(),
        units(),
    )
    .expect("valid roster");
    let officials = Officials::new(Vec::new(), fujian(), units()).expect("no officials");
    let ties_of = |graph: &TieGraph, id: &str| -> Vec<String> {
        let mut others: Vec<String> = graph
            .ties_of(&id.into())
            .map(|(p, _, _)| p.id.to_string())
            .collect();
        others.sort();
        others
    };
    for registry in [units(), &Units::default()] {
        let graph = TieGraph::build(&roster, &officials, registry, &[TieSpec::default()]);
        assert_eq!(graph.ties(), 2, "with {} units", registry.len());
        assert_eq!(ties_of(&graph, "A"), ["B"]);
        assert_eq!(ties_of(&graph, "C"), ["D"]);
        assert!(ties_of(&graph, "E").is_empty());
    }
}
