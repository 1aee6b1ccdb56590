//! The article's figures (issue #20): the records of `testdata/article/`,
//! built to match what the source article reports, read through the
//! formats `xuncha stats` reads (a `SQLite` ledger, the petitions CSV, round
//! files under a plans directory), give back each figure.
//!
//! The ledger is not committed: it is built here, in a temporary
//! directory, from `leads.csv` and `findings.csv` through xuncha-leads'
//! commands (add, transfer, dual report, receive, dispose, file a case,
//! conclude; issue findings, close items, establish rules), each day's
//! commands as one batch at that day's time, then opened read-only as the
//! CLI opens it. `scripts/article-fixture.py` writes the fixture;
//! `testdata/article/README.md` says what the article leaves open and what
//! the fixture chose. Run with `--nocapture` to see each figure beside the
//! article's sentence:
//!
//! ```text
//! cargo test -p xuncha-stats --test stats article -- --nocapture
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use xuncha_leads::{
    Action, Actor, ActorRole, Appender, Body, CheckedElsewhere, Command, DeadlinePolicy, Disposal,
    Event, FindingItemFacts, FindingListFacts, LeadFacts, LeadSource, Ledger, ManualClock, Outcome,
    ReportRecipient, SanctionKind, SqliteStore,
};
use xuncha_org::{Code, Level};
use xuncha_stats::{
    By, Comparison, DateRange, GroupStats, Metric, Per, Petition, RateRatio, Records, Rounds,
    Table, UNKNOWN, aggregate, compare, ratio_of,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/article")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date written in the test")
}

/// A row of `leads.csv`: `leads` leads of one team with the same history.
#[derive(Debug, Deserialize)]
struct LeadRow {
    round: String,
    target: String,
    county: String,
    leads: u32,
    found_on: NaiveDate,
    transferred_on: Option<NaiveDate>,
    case_filed_on: Option<NaiveDate>,
    concluded_on: Option<NaiveDate>,
    outcome: String,
}

/// A row of `findings.csv`: one finding list.
#[derive(Debug, Deserialize)]
struct ListRow {
    list: String,
    round: String,
    unit: String,
    issued_on: NaiveDate,
    items: u32,
    closed: u32,
    closed_on: Option<NaiveDate>,
    rules: u32,
    rules_on: Option<NaiveDate>,
}

/// The commands of the fixture, each on its day; within a day, by stage
/// (a lead is found before it is transferred) and then in file order.
#[derive(Default)]
struct Script(Vec<(NaiveDate, u8, usize, Command)>);

impl Script {
    fn on(&mut self, day: NaiveDate, stage: u8, id: String, actor: &Actor, action: Action) {
        let n = self.0.len();
        self.0
            .push((day, stage, n, Command::new(id, actor.clone(), action)));
    }
}

fn leads_script(script: &mut Script, path: &Path) -> Result<()> {
    let office = Actor::new("office-35", ActorRole::InspectionOffice);
    let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
    for row in csv::Reader::from_path(path)?.deserialize() {
        let row: LeadRow = row?;
        let team = format!("{}/{}", row.round, row.target);
        let leader = Actor::new(format!("leader {team}"), ActorRole::TeamLeader);
        let handler = Actor::new(
            format!("handler {}", row.county),
            ActorRole::DisciplineHandler,
        );
        for _ in 0..row.leads {
            let n = numbers.entry(team.clone()).or_default();
            *n += 1;
            let id = format!("{team}/L{n:03}");
            let lead = LeadFacts {
                id: id.clone(),
                round: row.round.clone(),
                team: team.clone(),
                target: Code::parse(&row.county)?,
                persons: vec![format!("某某 {id}")],
                units: vec![row.target.clone()],
                summary: "巡察发现的问题线索".into(),
                source: LeadSource::Interview,
                found_on: row.found_on,
                fast_track: false,
                found_from: Vec::new(),
            };
            let add = Action::AddLead {
                lead,
                petitioner: None,
            };
            script.on(row.found_on, 0, format!("add {id}"), &leader, add);
            if let Some(day) = row.transferred_on {
                let transfer = Action::Transfer {
                    lead: id.clone(),
                    body: Body::DisciplineCommission,
                    level: Level::County,
                };
                script.on(day, 1, format!("transfer {id}"), &leader, transfer);
                for (to, name) in [
                    (ReportRecipient::CityLeadingGroup, "city"),
                    (ReportRecipient::CountyLeadingGroup, "county"),
                ] {
                    let report = Action::Report {
                        lead: id.clone(),
                        to,
                    };
                    script.on(day, 2, format!("report {id} {name}"), &office, report);
                }
            }
            if let Some(day) = row.case_filed_on {
                let receive = Action::Receive { lead: id.clone() };
                script.on(day, 3, format!("receive {id}"), &handler, receive);
                let dispose = Action::Dispose {
                    lead: id.clone(),
                    disposal: Disposal::PreliminaryVerification,
                    reason: "初步核实".into(),
                };
                script.on(day, 4, format!("dispose {id}"), &handler, dispose);
                let file = Action::FileCase {
                    lead: id.clone(),
                    reason: "立案审查".into(),
                };
                script.on(day, 5, format!("file {id}"), &handler, file);
            }
            if let Some(day) = row.concluded_on {
                let outcome = if row.outcome == "judicial-referral" {
                    Outcome::JudicialReferral {
                        person: format!("某某 {id}"),
                        reason: "涉嫌犯罪".into(),
                    }
                } else {
                    let sanction: SanctionKind =
                        serde_json::from_value(serde_json::Value::String(row.outcome.clone()))?;
                    Outcome::Sanction {
                        person: format!("某某 {id}"),
                        sanction,
                        reason: "违纪".into(),
                    }
                };
                let conclude = Action::Conclude {
                    lead: id.clone(),
                    outcomes: vec![outcome],
                    reason: "审查终结".into(),
                };
                script.on(day, 6, format!("conclude {id}"), &handler, conclude);
            }
        }
    }
    Ok(())
}

fn findings_script(script: &mut Script, path: &Path) -> Result<()> {
    let office = Actor::new("office-35", ActorRole::InspectionOffice);
    for row in csv::Reader::from_path(path)?.deserialize() {
        let row: ListRow = row?;
        let item = FindingItemFacts {
            finding: "反馈问题".into(),
            responsible: "主要负责人".into(),
            measures: "整改措施".into(),
            deadline: row.closed_on.unwrap_or(row.issued_on),
        };
        let list = FindingListFacts {
            id: row.list.clone(),
            round: row.round.clone(),
            unit: row.unit.clone(),
            issued_on: row.issued_on,
            items: vec![item; row.items as usize],
        };
        let issue = Action::IssueFindings { list };
        script.on(
            row.issued_on,
            0,
            format!("issue {}", row.list),
            &office,
            issue,
        );
        if let Some(day) = row.closed_on {
            for item in 1..=row.closed {
                let close = Action::CloseItem {
                    list: row.list.clone(),
                    item,
                    evidence: "对单销号".into(),
                };
                let id = format!("close {} {item}", row.list);
                script.on(day, 7, id, &office, close);
            }
        }
        if let Some(day) = row.rules_on {
            for n in 1..=row.rules {
                let rule = Action::EstablishRule {
                    list: row.list.clone(),
                    title: format!("规章制度 {n}"),
                };
                let id = format!("rule {} {n}", row.list);
                script.on(day, 8, id, &office, rule);
            }
        }
    }
    Ok(())
}

/// Builds the ledger at `path` from the fixture's text, then reads its
/// events back as `xuncha stats` does.
fn ledger_events(path: &Path) -> Result<Vec<Event>> {
    let mut script = Script::default();
    leads_script(&mut script, &fixture().join("leads.csv"))?;
    findings_script(&mut script, &fixture().join("findings.csv"))?;
    script
        .0
        .sort_by_key(|(day, stage, n, _)| (*day, *stage, *n));
    let at = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).expect("9:00"));
    let clock = Arc::new(ManualClock::new(at(date("2017-01-02"))));
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let mut ledger = Ledger::open(SqliteStore::create(path)?)?.with_clock(clock.clone());
    let office = Actor::new("office-35", ActorRole::InspectionOffice);
    let open = [
        Command::new(
            "open",
            office.clone(),
            Action::Open {
                authorities: None,
                jurisdiction: Code::parse("35")?,
                policy: DeadlinePolicy::default(),
            },
        ),
        Command::new(
            "register",
            office,
            Action::RegisterCheck {
                fingerprint: CheckedElsewhere::fingerprint(),
                description: "handlers checked by each county's commission".into(),
            },
        ),
    ];
    ledger.execute_batch(&open, None)?;
    let mut rest = script.0.as_slice();
    while let Some((day, ..)) = rest.first() {
        let n = rest.iter().take_while(|(d, ..)| d == day).count();
        clock.set(at(*day));
        let batch: Vec<Command> = rest[..n].iter().map(|(.., c)| c.clone()).collect();
        ledger.execute_batch(&batch, Some(&CheckedElsewhere))?;
        rest = &rest[n..];
    }
    drop(ledger);
    Ok(Appender::open(SqliteStore::open_read_only(path)?)?.events()?)
}

/// The rounds of one scene's plans directory.
fn scene(name: &str) -> Result<Rounds> {
    Ok(Rounds::from_dir(&fixture().join("plans").join(name))?)
}

/// The rounds of every scene: the province's.
fn province() -> Result<Rounds> {
    let mut all = Rounds::default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture().join("plans"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::result::Result<_, _>>()?;
    dirs.sort();
    for dir in dirs {
        for (id, round) in Rounds::from_dir(&dir)?.rounds {
            assert!(all.rounds.insert(id.clone(), round).is_none(), "{id} twice");
        }
    }
    Ok(all)
}

/// One figure: the metric, the value xuncha-stats computes (as text), the
/// value expected, and the article's words for it.
type Figure<'a> = (&'a str, String, &'a str, &'a str);

/// Prints the article's sentence, then each figure: what xuncha-stats
/// computes beside the article's words; and checks each value.
fn figures(scene: &str, sentence: &str, rows: &[Figure<'_>]) {
    println!("\n{scene}\n  「{sentence}」");
    for (metric, value, expected, words) in rows {
        // Pad by display width: a Chinese character takes two columns.
        let wide = metric.chars().filter(|c| *c >= '\u{2e80}').count();
        let pad = " ".repeat(50_usize.saturating_sub(metric.chars().count() + wide));
        println!("  {metric}{pad} {value:>8}   article: {words}");
        assert_eq!(value, expected, "{scene}: {metric}");
    }
}

fn text(r: Option<f64>) -> String {
    r.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.4}"))
}

fn interval_text(r: &RateRatio) -> String {
    let ci = |i: Option<xuncha_stats::Interval>| {
        i.map_or_else(
            || "undefined".to_owned(),
            |i| format!("{} to {}", text(i.lower), text(i.upper)),
        )
    };
    format!(
        "{} {}: {}/{} vs {}/{}: ratio {}, exact 95 % {}, Wald 95 % {}",
        r.metric.name(),
        r.per.label(),
        r.count_a,
        r.exposure_a,
        r.count_b,
        r.exposure_b,
        text(r.ratio),
        ci(r.exact),
        ci(r.wald)
    )
}

fn ratio(c: &Comparison, metric: Metric, per: Per) -> &RateRatio {
    c.ratios
        .iter()
        .find(|r| r.metric == metric && r.per == per)
        .expect("every compared metric, per every exposure")
}

/// Prints a ratio with its counts, exposures and intervals, and checks its
/// estimate and exact and Wald bounds to four decimals.
fn check(r: &RateRatio, ratio: f64, exact: (f64, f64), wald: (f64, f64)) {
    println!("  {}", interval_text(r));
    let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 5e-5);
    assert!(near(r.ratio, ratio), "{}", interval_text(r));
    let (e, w) = (r.exact.expect("exact"), r.wald.expect("wald"));
    assert!(
        near(e.lower, exact.0) && near(e.upper, exact.1),
        "{}",
        interval_text(r)
    );
    assert!(
        near(w.lower, wald.0) && near(w.upper, wald.1),
        "{}",
        interval_text(r)
    );
}

fn cross(table: &Table) -> &GroupStats {
    table.group("cross").expect("the scene's cross rounds")
}

fn june() -> DateRange {
    DateRange::new(None, Some(date("2018-06-30")))
}

/// 福建省 to the end of June 2018: the cross rounds of every scene.
fn fujian(events: &[Event], petitions: &[Petition]) -> Result<()> {
    let rounds = province()?;
    let records = Records::new(events)
        .with_petitions(petitions)
        .with_rounds(&rounds);
    let by_mode = aggregate(&records, By::Mode, &june());
    let fj = cross(&by_mode);
    let c = &fj.counts;
    figures(
        "福建省 (the rounds of every scene, --by mode, --to 2018-06-30; group cross)",
        "据统计，截至6月底，福建省9个设区市共成立456个交叉巡察组，通过交叉巡察发现并移交问题线索1662条，已立案审查298人，给予党纪政务处分178人，移送司法机关处理15人。",
        &[
            (
                "teams",
                fj.exposure.teams.to_string(),
                "456",
                "456个交叉巡察组",
            ),
            (
                "leads_transferred 移交问题线索",
                c.leads_transferred.to_string(),
                "1662",
                "移交问题线索1662条",
            ),
            (
                "cases_filed 立案",
                c.cases_filed.to_string(),
                "298",
                "立案审查298人",
            ),
            (
                "sanctions 党纪政务处分",
                c.sanctions.to_string(),
                "178",
                "给予党纪政务处分178人",
            ),
            (
                "judicial_referrals 移送司法机关",
                c.judicial_referrals.to_string(),
                "15",
                "移送司法机关处理15人",
            ),
        ],
    );
    // The date cut matters: the fixture holds events after June.
    let later = cross(&aggregate(&records, By::Mode, &DateRange::all()))
        .counts
        .clone();
    assert_eq!(
        (later.leads_transferred, later.cases_filed, later.sanctions),
        (1666, 301, 181)
    );
    // Nine cities; teams and lists of unit targets (晋安's and 漳州's
    // bureaus) lie in no division: `unknown`, without leads.
    let by_city = aggregate(&records, By::City, &june());
    let cities: Vec<&str> = by_city.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(
        cities,
        [
            "3501", "3502", "3503", "3504", "3505", "3506", "3507", "3508", "3509", UNKNOWN
        ]
    );
    assert_eq!(
        by_city.group(UNKNOWN).map(|g| g.counts.leads_found),
        Some(0)
    );
    // 泉州's scene is the city's records.
    let qz = by_city.group("3505").expect("泉州市");
    assert_eq!((qz.counts.leads_transferred, qz.counts.items), (91, 464));
    Ok(())
}

/// 泉州市 to the end of June 2018.
fn quanzhou(events: &[Event]) -> Result<()> {
    let rounds = scene("quanzhou")?;
    let records = Records::new(events).with_rounds(&rounds);
    let table = aggregate(&records, By::Mode, &june());
    let c = &cross(&table).counts;
    figures(
        "泉州市 (plans/quanzhou, --by mode, --to 2018-06-30; group cross)",
        "截至6月底，该市通过交叉巡察，共发现问题464个，移交问题线索91条，目前已立案审查25人，给予党纪政务处分21人，移送司法机关处理1人。",
        &[
            (
                "items 整改问题 (problems found)",
                c.items.to_string(),
                "464",
                "发现问题464个",
            ),
            (
                "leads_transferred 移交问题线索",
                c.leads_transferred.to_string(),
                "91",
                "移交问题线索91条",
            ),
            (
                "cases_filed 立案",
                c.cases_filed.to_string(),
                "25",
                "立案审查25人",
            ),
            (
                "sanctions 党纪政务处分",
                c.sanctions.to_string(),
                "21",
                "给予党纪政务处分21人",
            ),
            (
                "judicial_referrals 移送司法机关",
                c.judicial_referrals.to_string(),
                "1",
                "移送司法机关处理1人",
            ),
        ],
    );
    Ok(())
}

/// 晋安区: petitions of the regular rounds of 2017 and of the cross round
/// of February to May 2018.
fn jinan(events: &[Event], petitions: &[Petition]) -> Result<()> {
    let rounds = scene("jinan")?;
    let records = Records::new(events)
        .with_petitions(petitions)
        .with_rounds(&rounds);
    let table = aggregate(&records, By::Mode, &DateRange::all());
    let x = cross(&table);
    let r = table.group("regular").expect("晋安's regular rounds");
    let c = compare(&table, "cross", "regular").expect("cross and regular");
    let times = ratio(&c, Metric::Petitions, Per::Group);
    figures(
        "福州市晋安区 (plans/jinan, --by mode; groups cross and regular)",
        "以晋安区为例，2017年区委常规巡察10个单位期间仅收到43件信访件，但在今年2至5月市委巡察组对该区新店镇、岳峰镇进行交叉巡察中，共受理信访件215件，接待来访人员60批300人次，信访件数量为前四轮常规巡察受理信访总量的5倍。",
        &[
            (
                "units_inspected, regular",
                r.exposure.units_inspected.to_string(),
                "10",
                "常规巡察10个单位",
            ),
            (
                "petitions 受理信访, regular",
                r.counts.petitions().to_string(),
                "43",
                "43件信访件",
            ),
            (
                "units_inspected, cross",
                x.exposure.units_inspected.to_string(),
                "2",
                "新店镇、岳峰镇",
            ),
            (
                "petitions 受理信访, cross",
                x.counts.petitions().to_string(),
                "215",
                "受理信访件215件",
            ),
            (
                "visit_batches 来访批次, cross",
                x.counts.visit_batches.to_string(),
                "60",
                "60批",
            ),
            (
                "person_visits 来访人次, cross",
                x.counts.person_visits.to_string(),
                "300",
                "300人次",
            ),
            (
                "petitions, cross over regular",
                text(times.ratio),
                "5.0000",
                "5倍",
            ),
        ],
    );
    check(times, 5.0, (3.5901, 7.1090), (3.6039, 6.9369));
    check(
        ratio(&c, Metric::Petitions, Per::UnitInspected),
        25.0,
        (17.9506, 35.5448),
        (18.0195, 34.6846),
    );
    check(
        ratio(&c, Metric::Petitions, Per::InspectionDay),
        25.0,
        (17.9506, 35.5448),
        (18.0195, 34.6846),
    );
    assert_eq!((x.exposure.teams, r.exposure.teams), (2, 10));
    Ok(())
}

/// 南平市: per team, the city's two cross rounds against the counties'
/// regular rounds.
fn nanping(events: &[Event], petitions: &[Petition]) -> Result<()> {
    let rounds = scene("nanping")?;
    let records = Records::new(events)
        .with_petitions(petitions)
        .with_rounds(&rounds);
    let table = aggregate(&records, By::Mode, &DateRange::all());
    let x = cross(&table);
    let r = table.group("regular").expect("南平's regular rounds");
    assert_eq!((x.exposure.teams, r.exposure.teams), (12, 18));
    let c = compare(&table, "cross", "regular").expect("cross and regular");
    let petitions_per_team = ratio(&c, Metric::Petitions, Per::InspectionDay);
    // Leads transferred are not among the metrics a report compares: the
    // same ratio, of the table's own counts and exposures.
    let leads_per_team = ratio_of(
        Metric::LeadsTransferred,
        Per::InspectionDay,
        (x.counts.leads_transferred, x.exposure.team_days),
        (r.counts.leads_transferred, r.exposure.team_days),
    );
    let pct = |r: &RateRatio| format!("{:+.2}%", r.percent_change.unwrap_or(f64::NAN));
    figures(
        "南平市 (plans/nanping, --by mode; per inspection day, 30 days a team: per team)",
        "在南平市委开展的两轮县级交叉巡察中，巡察组平均接到的来信来电来访量比非交叉方式多了一倍，平均移交问题线索数量比非交叉方式增长11.54%。",
        &[
            (
                "petitions per team, cross over regular",
                pct(petitions_per_team),
                "+100.00%",
                "多了一倍",
            ),
            (
                "leads_transferred per team, cross over regular",
                pct(&leads_per_team),
                "+11.54%",
                "增长11.54%",
            ),
        ],
    );
    check(petitions_per_team, 2.0, (1.5091, 2.6586), (1.5217, 2.6286));
    check(&leads_per_team, 1.1154, (0.7800, 1.5870), (0.7940, 1.5668));
    Ok(())
}

/// 漳州市: the rectification of its first two cross rounds, as at the
/// article's publication.
fn zhangzhou(events: &[Event]) -> Result<()> {
    let rounds = scene("zhangzhou-first-two")?;
    let records = Records::new(events).with_rounds(&rounds);
    let range = DateRange::new(None, Some(date("2019-01-07")));
    let table = aggregate(&records, By::Mode, &range);
    let zz = cross(&table);
    let rate = zz.completion_rate.expect("items were issued");
    figures(
        "漳州市 (plans/zhangzhou-first-two, --by mode, --to 2019-01-07; group cross)",
        "该市前两轮交叉巡察的8个单位对单整改工作已基本完成，反馈问题整改完成率达98.82%，建立相关规章制度114项。",
        &[
            (
                "units_inspected",
                zz.exposure.units_inspected.to_string(),
                "8",
                "8个单位",
            ),
            (
                "completion rate 整改完成率",
                format!("{:.2}%", rate * 100.0),
                "98.82%",
                "整改完成率达98.82%",
            ),
            (
                "rules_established 建章立制",
                zz.counts.rules_established.to_string(),
                "114",
                "建立相关规章制度114项",
            ),
        ],
    );
    assert_eq!((zz.counts.items_closed, zz.counts.items), (84, 85));
    let ci = zz.completion_clopper_pearson.expect("an interval");
    println!(
        "  completion {}/{}: Clopper–Pearson 95 % {} to {}",
        zz.counts.items_closed,
        zz.counts.items,
        text(ci.lower),
        text(ci.upper)
    );
    Ok(())
}

#[test]
fn the_article_s_figures_come_back_from_the_fixture() -> Result<()> {
    let ledger = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("article.sqlite");
    let events = ledger_events(&ledger)?;
    let petitions = Petition::read_csv_path(&fixture().join("petitions.csv"))?;
    fujian(&events, &petitions)?;
    quanzhou(&events)?;
    jinan(&events, &petitions)?;
    nanping(&events, &petitions)?;
    zhangzhou(&events)?;
    Ok(())
}
