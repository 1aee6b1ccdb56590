//! `xuncha replan`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use xuncha::assign::{Change, Plan, ReplanOptions, StaffOptions};
use xuncha::avoid::{PersonId, Target};

use crate::failure::bad_input;
use crate::inputs::{self, World};

/// `xuncha replan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha replan --plan plan.json --round round.toml --roster roster.csv --rules rules.toml --withdraw P002804 --out plan2.json\n  xuncha replan --plan plan.json --round round.toml --roster roster.csv --rules rules.toml --conflict P000975=350602 --add P000001 --out plan3.json --diff diff.json"
)]
pub(crate) struct ReplanArgs {
    /// The current plan (JSON).
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    /// The round it is for.
    #[arg(long, value_name = "FILE")]
    round: PathBuf,
    /// The roster as it stands now (people added included).
    #[arg(long, value_name = "FILE")]
    roster: PathBuf,
    #[command(flatten)]
    world: World,
    /// People who withdraw.
    #[arg(long, value_name = "ID", num_args = 1..)]
    withdraw: Vec<String>,
    /// People who may now serve: new in the roster, or back.
    #[arg(long, value_name = "ID", num_args = 1..)]
    add: Vec<String>,
    /// A conflict declared late, as PERSON=TARGET.
    #[arg(long, value_name = "ID=TARGET", num_args = 1..)]
    conflict: Vec<String>,
    /// The cost of every assignment the current plan does not have.
    #[arg(long, value_name = "N", default_value_t = ReplanOptions::default().change_cost)]
    change_cost: i64,
    /// Where to write the new plan (JSON).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also write what changed (JSON).
    #[arg(long, value_name = "FILE")]
    diff: Option<PathBuf>,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn replan(args: &ReplanArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let round = inputs::round(&args.round, &world)?;
    let plan = Plan::from_json_path(&args.plan, &xuncha::org::Limits::default())?;
    let ids = |list: &[String]| list.iter().map(|id| PersonId(id.clone())).collect();
    let conflicts = args
        .conflict
        .iter()
        .map(|pair| {
            let (id, target) = pair
                .split_once('=')
                .ok_or_else(|| bad_input(format!("--conflict {pair:?}: expected PERSON=TARGET")))?;
            let target: Target = target
                .parse()
                .with_context(|| format!("--conflict {pair:?}: reading the target"))?;
            Ok((PersonId(id.to_owned()), target))
        })
        .collect::<Result<Vec<_>>>()?;
    let change = Change {
        withdrawn: ids(&args.withdraw),
        added: ids(&args.add),
        conflicts,
    };
    if change == Change::default() {
        return Err(bad_input(
            "nothing to replan: name --withdraw, --add or --conflict",
        ));
    }
    let engine = round.inspecting(world.engine(&roster));
    let options = ReplanOptions {
        change_cost: args.change_cost,
        ..ReplanOptions::default()
    };
    let out = xuncha::assign::replan(
        &engine,
        &roster,
        &round,
        &plan,
        &change,
        &StaffOptions::default(),
        options,
    )
    .map_err(|e| match e {
        xuncha::assign::Error::Change { .. } => bad_input(e.to_string()),
        other => anyhow::Error::new(other),
    })?;
    inputs::write(&args.out, out.plan.to_json()?.as_bytes())?;
    let diff = serde_json::to_string_pretty(&serde_json::json!({
        "version": 1,
        "changes": out.changes,
        "moved": out.moved,
        "objective": out.plan.objective,
        "previous_objective": plan.objective,
        "moves": out.diff.moves,
    }))?;
    if let Some(path) = &args.diff {
        inputs::write(path, diff.as_bytes())?;
    }
    if args.json {
        println!("{diff}");
        return Ok(());
    }
    let post = |p: &Option<xuncha::assign::Post>| {
        p.as_ref().map_or_else(
            || "-".to_owned(),
            |p| {
                format!(
                    "{} {}{}",
                    p.team,
                    p.role,
                    if p.alternate { " (alternate)" } else { "" }
                )
            },
        )
    };
    for m in &out.diff.moves {
        println!(
            "{} ({}): {} -> {}",
            m.person,
            m.name,
            post(&m.from),
            post(&m.to)
        );
    }
    println!(
        "replanned: {} besides those withdrawn, {}, objective {} (was {}): {}",
        crate::output::count(out.moved, "person moved", "people moved"),
        crate::output::count(out.changes, "new assignment", "new assignments"),
        out.plan.objective,
        plan.objective,
        args.out.display()
    );
    Ok(())
}
