//! `xuncha plan`, `xuncha verify` and `xuncha explain`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use xuncha::assign::{
    Decimal, Plan, RandomOptions, StaffOptions, seed_from_text, staff, staff_randomized, verify,
};
use xuncha::avoid::{PersonId, Role, Target};

use crate::failure::{Failure, Flagged, bad_input};
use crate::inputs::{self, World};
use crate::output;

/// `xuncha plan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha plan --round xuncha-demo/round.toml --roster xuncha-demo/roster.csv --rules xuncha-demo/rules.toml --officials xuncha-demo/officials.json --seed 5eed --out demo-plan.json\n  xuncha plan --round round.toml --roster roster.csv --rules rules.toml --out plan.json --csv plan.csv --bom --xlsx plan.xlsx"
)]
pub(crate) struct PlanArgs {
    /// The round (TOML or JSON).
    #[arg(long, value_name = "FILE")]
    round: PathBuf,
    /// The roster (CSV or JSON).
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    #[command(flatten)]
    world: World,
    /// The seed, in hexadecimal (rotations of whole-team crossings, and the
    /// randomized draw).
    #[arg(long, value_name = "HEX", value_parser = inputs::seed, default_value = "0", conflicts_with = "seed_from")]
    seed: u64,
    /// Derive the seed from a text announced before the draw: the first 16
    /// hex digits of its SHA-256 digest (the whole digest goes into the
    /// plan), so anyone can replay the draw.
    #[arg(long, value_name = "TEXT")]
    seed_from: Option<String>,
    /// Draw a randomized plan: no one serves on any one team (or is one of
    /// its alternates) with probability above --cap.
    #[arg(long)]
    randomized: bool,
    /// The cap of the randomized mode, a probability such as 0.5.
    #[arg(long, value_name = "Q", default_value = "0.5", requires = "randomized")]
    cap: String,
    /// Alternates (候补) to name for every team.
    #[arg(long, value_name = "K", default_value = "0")]
    alternates: u32,
    /// Where to write the plan (JSON).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also write the plan as CSV, one row per member.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    bom: bool,
    /// Also write the plan as an Excel workbook.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn plan(args: &PlanArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let round = inputs::round(&args.round, &world)?;
    let engine = round.inspecting(world.engine(&roster));
    let progress = crate::output::spinner(format!(
        "staffing {} teams from {} people",
        round.targets.len(),
        roster.len()
    ));
    let start = Instant::now();
    let (seed, seed_source) = match &args.seed_from {
        Some(text) => {
            let (seed, source) = seed_from_text(text);
            (seed, Some(source))
        }
        None => (args.seed, None),
    };
    let options = StaffOptions {
        seed,
        alternates: args.alternates,
        ..StaffOptions::default()
    };
    let plan = if args.randomized {
        let cap: Decimal = args
            .cap
            .parse()
            .map_err(|e| bad_input(format!("--cap: {e}")))?;
        let random = RandomOptions {
            cap,
            seed_source,
            ..RandomOptions::default()
        };
        staff_randomized(&engine, &roster, &round, &options, &random).map_err(|e| match &e {
            // Only what is wrong with the cap itself is said of --cap; a
            // round the draw cannot take names its own field.
            xuncha::assign::Error::InvalidOption { option, .. }
                if option.contains("cap") && !option.starts_with("origin_cap") =>
            {
                bad_input(format!("--cap: {e}"))
            }
            xuncha::assign::Error::InvalidOption { .. } => {
                bad_input(format!("{}: {e}", args.round.display()))
            }
            _ => anyhow::Error::new(e),
        })?
    } else {
        staff(&engine, &roster, &round, &options)?
    };
    let elapsed = start.elapsed();
    progress.finish_and_clear();
    inputs::write(&args.out, plan.to_json()?.as_bytes())?;
    if let Some(path) = &args.csv {
        inputs::write(path, &output::plan_csv(&plan, args.bom)?)?;
    }
    if let Some(path) = &args.xlsx {
        plan.write_xlsx(path)?;
    }
    let placed = plan.teams.iter().map(|t| t.members.len()).sum::<usize>();
    if args.json {
        let mut summary = serde_json::json!({
            "version": 1,
            "teams": plan.teams.len(),
            "placed": placed,
            "objective": plan.objective,
            "seconds": elapsed.as_secs_f64(),
            "out": args.out,
        });
        if let Some(r) = &plan.randomized {
            summary["seed"] = format!("{:x}", plan.seed).into();
            summary["expected_objective"] = r.expected_objective.to_f64().into();
            summary["optimal_objective"] = r.optimal_objective.into();
        }
        println!("{summary}");
    } else {
        println!(
            "planned {}, {} placed, objective {}, in {:.0} ms: {}",
            crate::output::count(plan.teams.len(), "team", "teams"),
            crate::output::count(placed, "person", "people"),
            plan.objective,
            elapsed.as_secs_f64() * 1e3,
            args.out.display()
        );
        if let Some(r) = &plan.randomized {
            #[expect(clippy::cast_precision_loss, reason = "objectives are far below 2^53")]
            let price = r.expected_objective.to_f64() / (r.optimal_objective.max(1) as f64);
            println!(
                "randomized draw, seed {:x}{}: cap {}, expected objective {} against the optimal {} (price of randomness {price:.3})",
                plan.seed,
                r.seed_source
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
                r.cap,
                r.expected_objective,
                r.optimal_objective
            );
        }
    }
    Ok(())
}

/// `xuncha verify`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha verify --plan xuncha-demo/plan.json --round xuncha-demo/round.toml --roster xuncha-demo/roster.csv --rules xuncha-demo/rules.toml --officials xuncha-demo/officials.json\n  xuncha verify --plan plan.json --round round.toml --roster roster.csv --rules rules.toml --json\n\nExit status: 0 when the plan holds, 4 when it breaks a rule (each violation printed), 2 for bad input."
)]
pub(crate) struct VerifyArgs {
    /// The plan (JSON).
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    /// The round it is for.
    #[arg(long, value_name = "FILE")]
    round: PathBuf,
    /// The roster.
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    #[command(flatten)]
    world: World,
    /// Print the violations as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn verify_plan(args: &VerifyArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let round = inputs::round(&args.round, &world)?;
    let plan = Plan::from_json_path(&args.plan, &xuncha::org::Limits::default())?;
    let engine = round.inspecting(world.engine(&roster));
    let violations = verify(&plan, &round, &roster, &engine);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "version": 1,
                "valid": violations.is_empty(),
                "violations": violations,
            }))?
        );
    } else if violations.is_empty() {
        let members: usize = plan.teams.iter().map(|t| t.members.len()).sum();
        println!(
            "the plan holds: {}, {}, every rule respected",
            crate::output::count(plan.teams.len(), "team", "teams"),
            crate::output::count(members, "member", "members")
        );
    } else {
        for v in &violations {
            println!("violation: {v}");
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::new(Flagged(
            Failure::Violations,
            format!(
                "{} in {}",
                crate::output::count(violations.len(), "violation", "violations"),
                args.plan.display()
            ),
            Some(crate::failure::PLAN_BROKEN),
        )))
    }
}

/// `xuncha explain`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha explain --roster xuncha-demo/roster.csv --person P000001 --target 350628\n  xuncha explain --roster xuncha-demo/roster.csv --round xuncha-demo/round.toml --person P000001 --target 350623 --role member\n  xuncha explain --roster roster.csv --units units.csv --person P000975 --target unit:ph-civil --role deputy-leader --date 2026-03-01\n\nWithout --round only the avoidance rules are checked; with it, everything the round asks of the place too (composition, pool, whom it draws, the leader's rank, a specialist's --skill), dated at the round."
)]
pub(crate) struct ExplainArgs {
    /// The roster.
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    /// The person's id.
    #[arg(long, value_name = "ID")]
    person: String,
    /// The target: a code, `unit:ID`, or codes joined by `+`.
    #[arg(long, value_name = "TARGET")]
    target: String,
    /// The role (leader, deputy-leader, liaison, member).
    #[arg(long, value_name = "ROLE", default_value = "member")]
    role: String,
    /// The round's date (YYYY-MM-DD); the round's (--round) or today by
    /// default.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// The round (TOML or JSON): also check what the round asks of the
    /// place (composition, pool, whom it draws from, the leader's rank,
    /// a specialist's skill), dated at the round.
    #[arg(long, value_name = "FILE")]
    round: Option<PathBuf>,
    /// With --round: the skill of the specialist slot asked about
    /// (finance-audit, law, discipline-inspection, organisation-personnel).
    #[arg(long, value_name = "SKILL", requires = "round")]
    skill: Option<String>,
    #[command(flatten)]
    world: World,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
}

/// Refuses a target the division list or the units file does not have:
/// a verdict on it would be an all-clear on nothing.
fn known_target(
    target: &Target,
    engine: &xuncha::avoid::Engine<'_>,
    date: chrono::NaiveDate,
    units_given: bool,
) -> Result<()> {
    let codes: Vec<xuncha::org::Code> = match target {
        Target::Unit(id) => {
            if engine.units().get(id).is_none() {
                let given = if units_given {
                    ""
                } else {
                    " (no units file was given: --units FILE)"
                };
                return Err(bad_input(format!(
                    "--target {target}: the units file has no unit {id}{given}"
                )));
            }
            Vec::new()
        }
        Target::Division(code) => vec![*code],
        Target::Cluster(codes) => codes.clone(),
    };
    for code in codes {
        engine
            .hierarchy()
            .resolve(code, date)
            .map_err(|e| bad_input(format!("--target {target}: {e}")))?;
    }
    Ok(())
}

pub(crate) fn explain(args: &ExplainArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let role: Role = args.role.parse().map_err(bad_input)?;
    let target: Target = args.target.parse().context("reading --target")?;
    let person = roster.get(&PersonId(args.person.clone())).ok_or_else(|| {
        bad_input(format!(
            "no person has id {:?} in {}",
            args.person,
            args.roster.display()
        ))
    })?;
    let round = match &args.round {
        Some(path) => Some(inputs::round(path, &world)?),
        None => None,
    };
    let index = match &round {
        Some(round) => Some(
            round
                .targets
                .iter()
                .position(|t| t.target == target)
                .ok_or_else(|| {
                    bad_input(format!(
                        "--target {target} is not a target of the round {} ({} targets)",
                        round.id,
                        round.targets.len()
                    ))
                })?,
        ),
        None => None,
    };
    let skill = match &args.skill {
        Some(text) => Some(text.parse::<xuncha::avoid::Skill>().map_err(bad_input)?),
        None => None,
    };
    let engine = match &round {
        Some(round) => round.inspecting(world.engine(&roster)),
        None => world.engine(&roster),
    };
    let date = args
        .date
        .or(round.as_ref().map(|r| r.date))
        .unwrap_or_else(inputs::today);
    known_target(&target, &engine, date, args.world.units.is_some())?;
    let verdict = engine.check(person, &target, role, date);
    // What the round asks beyond the rules (its own date, as a plan would
    // be checked), without the rules' conflicts, which the verdict lists.
    let placement: Vec<String> = match (&round, index) {
        (Some(round), Some(index)) => {
            let mut dated = round.clone();
            dated.date = date;
            xuncha::assign::placement_problems(&dated, index, person, role, skill, &engine)
                .into_iter()
                .filter(|p| !p.starts_with("hard conflict:"))
                .collect()
        }
        _ => Vec::new(),
    };
    if args.json {
        let mut value = serde_json::to_value(&verdict)?;
        if let Some(map) = value.as_object_mut() {
            // What the text says too: who, where, as what, when, and
            // (with --round) whether the round could place them there;
            // without it `may_serve` is as far as the rules go.
            map.insert("person".to_owned(), serde_json::json!(args.person));
            map.insert("target".to_owned(), serde_json::json!(target.to_string()));
            map.insert("role".to_owned(), serde_json::json!(args.role));
            map.insert("date".to_owned(), serde_json::json!(date));
            map.insert("round".to_owned(), serde_json::json!(round.is_some()));
            if round.is_some() {
                map.insert("placement".to_owned(), serde_json::json!(placement));
            }
            map.insert(
                "may_serve".to_owned(),
                serde_json::json!(verdict.is_allowed() && placement.is_empty()),
            );
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    let from_target = target.counties(&world.units).contains(&person.origin);
    let text = Explanation {
        who: format!("{} ({})", person.name, person.id),
        origin: person.origin,
        role,
        target: target.describe(&world.hierarchy, &world.units),
        date,
        with_round: round.is_some(),
        from_target,
    }
    .render(&verdict, &placement);
    print!("{text}");
    Ok(())
}

/// What `explain` prints around the verdict.
struct Explanation {
    who: String,
    origin: xuncha::org::Code,
    role: Role,
    target: String,
    date: NaiveDate,
    with_round: bool,
    from_target: bool,
}

impl Explanation {
    fn render(&self, verdict: &xuncha::avoid::Verdict, placement: &[String]) -> String {
        let Explanation {
            who,
            origin,
            role,
            target: target_name,
            date,
            ..
        } = self;
        let mut out = String::new();
        if verdict.is_clear() && placement.is_empty() {
            let _ = writeln!(
                out,
                "no conflict: {who} may serve as {role} on {target_name} on {date}{}",
                if self.with_round {
                    " in this round"
                } else {
                    " as far as the avoidance rules go"
                }
            );
        } else {
            let _ = writeln!(out, "{who} as {role} on {target_name}, {date}:");
        }
        for c in &verdict.conflicts {
            let _ = writeln!(
                out,
                "  [{}{}] {}\n      {}",
                c.rule,
                if c.severity == xuncha::avoid::Severity::Soft {
                    format!(", soft, cost {}", c.cost)
                } else {
                    String::new()
                },
                c.explanation.zh,
                c.explanation.en
            );
        }
        for problem in placement {
            let _ = writeln!(out, "  [round] {problem}");
        }
        if !(verdict.is_clear() && placement.is_empty()) {
            let _ = writeln!(
                out,
                "{}",
                if !verdict.is_allowed() || !placement.is_empty() {
                    "not allowed"
                } else {
                    "allowed, at a cost"
                }
            );
        }
        if !self.with_round && self.from_target {
            let _ = writeln!(
                out,
                "note: {who} comes from {origin}, a county the target lies in: a mixed or whole-team crossing keeps them off, and in a Longyan team only the deputy leader and the liaison come from there; give --round to check the round's composition, pool, rank and skills"
            );
        }
        out
    }
}
