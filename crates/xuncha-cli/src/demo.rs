//! `xuncha demo`: the main job on the embedded default, with no files
//! needed.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use chrono::{NaiveDate, TimeZone, Utc};
use clap::Args;
use xuncha::assign::{InspectionMode, Plan, Round, StaffOptions, staff, verify};
use xuncha::avoid::{
    FactKind, Officials, Rule, RuleSet, Severity, Target, TieKind, TieSpec, Window,
};
use xuncha::leads::{Action, IdentityKey, Ledger, ManualClock, SqliteStore};
use xuncha::org::{Hierarchy, Level, Units};
use xuncha::stats::{By, DateRange, Petition, Records, Report, Rounds};
use xuncha::synth::{OfficialsSpec, RosterSpec, SeasonSpec};

use crate::inputs::{self, World};
use crate::output;

/// `xuncha demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha demo\n  xuncha demo --out demo-1234 --seed 1234\n\nThen, on the files it wrote:\n  xuncha verify --plan xuncha-demo/plan.json --round xuncha-demo/round.toml --roster xuncha-demo/roster.csv --rules xuncha-demo/rules.toml --officials xuncha-demo/officials.json\n  xuncha plan --round xuncha-demo/round.toml --roster xuncha-demo/roster.csv --rules xuncha-demo/rules.toml --officials xuncha-demo/officials.json --seed 5eed --out demo-plan.json"
)]
pub(crate) struct DemoArgs {
    /// The directory to write into.
    #[arg(long, value_name = "DIR", default_value = "xuncha-demo")]
    out: PathBuf,
    /// The seed of the synthetic roster and of the plan, in hexadecimal.
    #[arg(long, value_name = "HEX", value_parser = inputs::seed, default_value = "5eed")]
    seed: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// The files the demo writes into its directory.
const WRITTEN: [&str; 12] = [
    "plan.json",
    "officials.json",
    "plan.csv",
    "plan.xlsx",
    "report.md",
    "round.toml",
    "roster.csv",
    "rules.toml",
    "ledger.sqlite",
    "regular-round.toml",
    "petitions.csv",
    "report.html",
];

/// The key the demo's season seals petitioners with: written into a folder
/// of its own beside the demo's (`keys_folder`), never beside the ledger.
const KEY: &str = "office.key";

/// Where the demo keeps its key: `NAME-keys` beside its folder `NAME`
/// (owner-only), as docs/leads.md advises: keys apart from the ledger's
/// folder.
pub(crate) fn keys_folder(out: &std::path::Path) -> PathBuf {
    let absolute = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_owned());
    let name = absolute.file_name().map_or_else(
        || "xuncha-demo".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    absolute
        .parent()
        .unwrap_or(&absolute)
        .join(format!("{name}-keys"))
}

/// The default rules and the tie rule, one rule a kind of tie so that the
/// demo counts what each kept out: colleagues and superiors of the last ten
/// years, townsmen and kin hard; classmates soft.
fn demo_rules() -> Result<RuleSet> {
    let mut rules = RuleSet::default().rules().to_vec();
    let tie = |id: &str, kinds: Vec<TieKind>| Rule {
        ties: Some(TieSpec {
            kinds,
            ..TieSpec::default()
        }),
        ..Rule::new(id, FactKind::Ties)
    };
    rules.push(Rule {
        window: Some(Window::Years(10)),
        ..tie(
            "ties-colleague",
            vec![TieKind::Colleague, TieKind::Superior],
        )
    });
    rules.push(tie("ties-townsman", vec![TieKind::Townsman]));
    rules.push(tie("ties-kin", vec![TieKind::Kin]));
    rules.push(Rule {
        severity: Severity::Soft,
        cost: 5,
        ..tie("ties-classmate", vec![TieKind::Classmate])
    });
    Ok(RuleSet::new(rules)?)
}

/// Writes the synthetic leading groups of Fujian's counties (six each).
fn write_officials(out: &std::path::Path, seed: u64, fujian: &Hierarchy) -> Result<()> {
    let officials = OfficialsSpec::new(6, seed, date()).officials(fujian);
    let officials = Officials::new(officials, fujian, &Units::default())?;
    inputs::write(
        &out.join("officials.json"),
        serde_json::to_string_pretty(&officials)?.as_bytes(),
    )
}

/// The demo round's date.
fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
}

/// A folder inside the demo's own where its files are written first; it is
/// removed when dropped, published or not.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Staging {
    fn new(out: &std::path::Path) -> Result<Staging> {
        std::fs::create_dir_all(out)?;
        // Staging folders of killed demos (`.xuncha-demo.tmp-PID-N`) go.
        xuncha::org::atomic::remove_stale(&out.join("xuncha-demo"));
        let dir = xuncha::org::atomic::temp_path(&out.join("xuncha-demo"));
        std::fs::create_dir(&dir)?;
        Ok(Staging(dir))
    }

    /// Moves every finished file into `out`, each by one rename: a killed
    /// demo leaves each file old or new, never half-written. The old
    /// ledger's journal files go first, so they cannot be read as the new
    /// ledger's.
    fn publish(&self, out: &std::path::Path) -> Result<()> {
        for name in WRITTEN {
            if name == "ledger.sqlite" {
                for journal in ["ledger.sqlite-wal", "ledger.sqlite-shm"] {
                    match std::fs::remove_file(out.join(journal)) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                        _ => {}
                    }
                }
            }
            std::fs::rename(self.0.join(name), out.join(name))?;
        }
        let keys = keys_folder(out);
        std::fs::create_dir_all(&keys)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o700))?;
        }
        if keys.join(KEY).exists() {
            // The old demo key would not open the new ledger's identities.
            std::fs::remove_file(keys.join(KEY))?;
        }
        std::fs::rename(self.0.join(KEY), keys.join(KEY))?;
        std::fs::File::open(out)?.sync_all()?;
        Ok(())
    }
}

pub(crate) fn demo(args: &DemoArgs) -> Result<()> {
    let start = Instant::now();
    let staging = Staging::new(&args.out)?;
    let out = &staging.0;
    let fujian = Hierarchy::fujian();
    let roster = RosterSpec::new(3_000, args.seed, date()).roster(&fujian, &Units::default())?;
    let round = Round::cross(
        "fujian-cross-2026-1",
        date(),
        fujian
            .at_level(Level::County)
            .map(xuncha::org::Division::code),
    );
    // Write the inputs, then plan from the files themselves, so that
    // `xuncha plan` on them gives the same plan.
    inputs::write(&out.join("round.toml"), round.to_toml()?.as_bytes())?;
    let mut csv = Vec::new();
    roster.write_csv(&mut csv)?;
    inputs::write(&out.join("roster.csv"), &csv)?;
    inputs::write(&out.join("rules.toml"), demo_rules()?.to_toml()?.as_bytes())?;
    write_officials(out, args.seed, &fujian)?;
    let world = World {
        divisions: inputs::Divisions::default(),
        units: None,
        rules: Some(out.join("rules.toml")),
        officials: Some(out.join("officials.json")),
        round_dates: Vec::new(),
        earlier_plans: Vec::new(),
    }
    .load()?;
    let roster = inputs::roster(&out.join("roster.csv"), &world)?;
    let round = inputs::round(&out.join("round.toml"), &world)?;
    let engine = round.inspecting(world.engine(&roster));
    let options = StaffOptions {
        seed: args.seed,
        ..StaffOptions::default()
    };
    let progress = output::spinner("planning and verifying the round".to_owned());
    let planning = Instant::now();
    let plan = staff(&engine, &roster, &round, &options)?;
    progress.finish_and_clear();
    let violations = verify(&plan, &round, &roster, &engine);
    anyhow::ensure!(
        violations.is_empty(),
        "the demo plan failed verification: {violations:?}"
    );
    let planned = planning.elapsed();
    let kept_out = round.conflicts_kept_out(&engine, &roster);
    inputs::write(&out.join("plan.json"), plan.to_json()?.as_bytes())?;
    inputs::write(&out.join("plan.csv"), &output::plan_csv(&plan, true)?)?;
    plan.write_xlsx(&out.join("plan.xlsx"))?;
    inputs::write(
        &out.join("report.md"),
        plan.to_markdown(roster.len(), &kept_out, &world.hierarchy, args.seed)
            .as_bytes(),
    )?;
    let season = season(&plan, args.seed, out)?;
    staging.publish(&args.out)?;
    drop(staging);
    // The whole command, from the first file to the last, and the
    // planning (staffing and verification) within it.
    let elapsed = start.elapsed();
    let out = &args.out;
    let placed: usize = plan.teams.iter().map(|t| t.members.len()).sum();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "version": 1,
                "out": out,
                "teams": plan.teams.len(),
                "placed": placed,
                "roster": roster.len(),
                "objective": plan.objective,
                "kept_out": kept_out,
                "events": season.events,
                "petitions": season.petitions,
                "seconds": elapsed.as_secs_f64(),
                "planning_seconds": planned.as_secs_f64(),
            }))?
        );
        return Ok(());
    }
    print_summary(&Summary {
        teams: plan.teams.len(),
        placed,
        roster: roster.len(),
        objective: plan.objective,
        season: &season,
        kept_out: &kept_out,
        planned,
        elapsed,
        out,
    });
    Ok(())
}

/// What the demo's text summary reports.
struct Summary<'a> {
    teams: usize,
    placed: usize,
    roster: usize,
    objective: i64,
    season: &'a SeasonSummary,
    kept_out: &'a std::collections::BTreeMap<String, usize>,
    planned: std::time::Duration,
    elapsed: std::time::Duration,
    out: &'a std::path::Path,
}

/// Prints the demo's summary as text.
fn print_summary(s: &Summary<'_>) {
    println!("xuncha demo: a cross-inspection round over Fujian's 9 cities, Longyan teams");
    println!(
        "  {} teams, {} of {} people placed, objective {}, verified",
        s.teams, s.placed, s.roster, s.objective
    );
    println!(
        "  a synthetic season: {} ledger events, {} petitions, cross against a regular round; statistics in report.html",
        s.season.events, s.season.petitions
    );
    println!("  conflicts kept out, by rule (person × team pairs in the same city, as a member):");
    for (rule, n) in s.kept_out {
        println!("    {rule:<18} {n:>6}");
    }
    println!(
        "  planned and verified in {:.0} ms, the whole demo in {:.1} s; files in {}:",
        s.planned.as_secs_f64() * 1e3,
        s.elapsed.as_secs_f64(),
        s.out.display()
    );
    println!(
        "    {}; the key that seals its petitioners in {}",
        WRITTEN.join(" "),
        keys_folder(s.out).join(KEY).display()
    );
    println!(
        "  next: xuncha verify --plan {0}/plan.json --round {0}/round.toml --roster {0}/roster.csv --rules {0}/rules.toml --officials {0}/officials.json",
        s.out.display()
    );
}

/// What the demo's season wrote.
struct SeasonSummary {
    events: u64,
    petitions: usize,
}

/// Writes a synthetic season into `ledger.sqlite`: a regular round the year
/// before, then the aftermath of the planned cross round; the petitions of
/// both into `petitions.csv`; and the statistics as `report.html`.
fn season(plan: &Plan, seed: u64, out: &std::path::Path) -> Result<SeasonSummary> {
    let counties: Vec<xuncha::org::Code> = plan
        .teams
        .iter()
        .filter_map(|t| match &t.target {
            Target::Division(code) => Some(*code),
            _ => None,
        })
        .collect();
    let province = xuncha::org::Code::parse("35")?;
    let regular_start = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    let mut regular = SeasonSpec::new(
        seed ^ 0x7265_6775,
        province,
        counties.clone(),
        regular_start,
    );
    "fujian-regular-2025-1".clone_into(&mut regular.round);
    regular.leads_per_county = 15;
    let mut regular_round = Round::cross(&regular.round, regular_start, counties.clone());
    regular_round.mode = InspectionMode::Regular;
    inputs::write(
        &out.join("regular-round.toml"),
        regular_round.to_toml()?.as_bytes(),
    )?;
    let mut cross = SeasonSpec::new(seed, province, counties, plan.date);
    cross.round.clone_from(&plan.round);
    let path = out.join("ledger.sqlite");
    let clock = Arc::new(ManualClock::new(
        Utc.from_utc_datetime(&regular_start.and_hms_opt(0, 0, 0).unwrap_or_default()),
    ));
    // Staged here, published into a folder of its own beside the demo's.
    let key = IdentityKey::generate()?;
    key.write_new(&out.join(KEY))?;
    let mut ledger = Ledger::open(SqliteStore::create(&path)?)?
        .with_clock(clock.clone())
        .with_identity_key(key);
    let mut events = regular.season().apply(&mut ledger, &clock)?;
    // The ledger is open already: the cross season's own `init` goes.
    let mut cross_season = cross.season();
    for (_, commands) in &mut cross_season.days {
        commands.retain(|c| !matches!(c.action, Action::Open { .. }));
    }
    events += cross_season.apply(&mut ledger, &clock)?;
    let mut petitions = regular.petitions(12, Some(InspectionMode::Regular));
    petitions.extend(cross.petitions(60, Some(InspectionMode::Cross)));
    let mut csv = Vec::new();
    Petition::write_csv(&petitions, &mut csv)?;
    inputs::write(&out.join("petitions.csv"), &csv)?;
    // What `xuncha stats --plans` reads: the plan, the round, the regular round.
    let rounds = Rounds::from_dir(out)?;
    let all = ledger.events()?;
    let fujian = Hierarchy::fujian();
    let records = Records::new(&all)
        .with_state(ledger.state())
        .with_petitions(&petitions)
        .with_rounds(&rounds)
        .with_hierarchy(&fujian);
    let report = Report::build(&records, By::City, DateRange::all(), None);
    inputs::write(&out.join("report.html"), report.to_html().as_bytes())?;
    Ok(SeasonSummary {
        events,
        petitions: petitions.len(),
    })
}

#[cfg(test)]
mod tests {
    /// A file the demo wrote, as text.
    fn written(path: &std::path::Path) -> String {
        let file = std::fs::File::open(path).expect("the demo wrote it");
        std::io::read_to_string(file).expect("UTF-8 text")
    }

    use super::*;

    #[test]
    fn the_demo_writes_every_file_and_its_plan_verifies() {
        let dir = tempfile::tempdir().expect("temp dir");
        let args = DemoArgs {
            out: dir.path().to_owned(),
            seed: 0x5eed,
            json: true,
        };
        demo(&args).expect("the demo runs");
        assert!(WRITTEN.iter().all(|f| dir.path().join(f).is_file()));
        // The key is kept apart from the ledger's folder.
        assert!(!dir.path().join(KEY).exists());
        assert!(keys_folder(dir.path()).join(KEY).is_file());
        let report = written(&dir.path().join("report.md"));
        assert!(report.contains("| 平和县 (350628) |"), "{report}");
        let html = written(&dir.path().join("report.html"));
        // Four charts, and the largest cluster of leads (顺藤摸瓜).
        assert_eq!(html.matches("<svg").count(), 5);
        assert!(html.contains("chart-cluster"));
        assert!(
            html.contains("cross 对比 regular"),
            "the comparison is there"
        );
        assert!(!html.contains("NaN"));
        // `xuncha stats` on the files the demo wrote.
        let dir_arg = |f: &str| dir.path().join(f).display().to_string();
        for (by, format, out) in [
            ("mode", "json", "stats.json"),
            ("county", "csv", "stats.csv"),
        ] {
            let words = [
                "stats".to_owned(),
                "--ledger".into(),
                dir_arg("ledger.sqlite"),
                "--plans".into(),
                dir.path().display().to_string(),
                "--petitions".into(),
                dir_arg("petitions.csv"),
                "--by".into(),
                by.into(),
                "--format".into(),
                format.into(),
                "--out".into(),
                dir_arg(out),
            ];
            let matches = <crate::stats_cmd::StatsArgs as clap::Args>::augment_args(
                clap::Command::new("stats"),
            )
            .get_matches_from(words);
            let args =
                <crate::stats_cmd::StatsArgs as clap::FromArgMatches>::from_arg_matches(&matches)
                    .expect("arguments");
            crate::stats_cmd::stats(&args).expect("xuncha stats runs");
        }
        let json: serde_json::Value =
            serde_json::from_str(&written(&dir.path().join("stats.json"))).expect("valid JSON");
        assert_eq!(json["comparison"]["a"], "cross");
        assert_eq!(json["comparison"]["b"], "regular");
        let csv = written(&dir.path().join("stats.csv"));
        assert!(csv.starts_with("county,petitions,"));
        assert_eq!(
            csv.lines().count(),
            84 + 2,
            "84 counties, the header and `all`"
        );
    }
}
