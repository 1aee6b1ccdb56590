//! The `xuncha leads` commands that only read a ledger: overdue, verify,
//! prove, export.

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::output::count;

pub(super) fn overdue(acting: &Acting) -> Result<()> {
    let ledger = acting.open_read()?;
    let now = acting.clock().now();
    let leads = ledger.state().overdue(now);
    let items = ledger.state().overdue_items(now.date_naive());
    if acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "now": now, "leads": leads, "items": items })
            )?
        );
        return Ok(());
    }
    println!(
        "{} and {} overdue at {}",
        count(leads.len(), "lead", "leads"),
        count(items.len(), "rectification item", "rectification items"),
        when(now)
    );
    for lead in &leads {
        println!(
            "  lead {} ({}, {}): due {}, {} days over; held by {}",
            lead.lead,
            lead.stage,
            lead.stage.chinese(),
            when(lead.deadline),
            lead.days_overdue,
            lead.holder
        );
    }
    for item in &items {
        println!(
            "  item {}#{} of {}: due {}; responsible {}",
            item.list, item.item, item.unit, item.deadline, item.responsible
        );
    }
    Ok(())
}

pub(super) fn clusters(acting: &Acting, min_size: usize) -> Result<()> {
    let ledger = acting.open_read()?;
    let leads = ledger.state().leads_in_order();
    let all = xuncha::leads::clusters(leads.iter().map(|l| &*l.facts));
    let shown: Vec<_> = all.iter().filter(|c| c.len() >= min_size).collect();
    if acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "version": 1,
                "leads": leads.len(),
                "clusters": all.len(),
                "shown": shown,
            }))?
        );
        return Ok(());
    }
    println!(
        "{} in {}; {} with at least {}:",
        count(leads.len(), "lead", "leads"),
        count(all.len(), "cluster", "clusters"),
        shown.len(),
        count(min_size, "lead", "leads")
    );
    for (i, cluster) in shown.iter().enumerate() {
        println!(
            "  cluster {}: {}: {}",
            i + 1,
            count(cluster.len(), "lead", "leads"),
            cluster.leads.join(", ")
        );
        if !cluster.persons.is_empty() {
            println!("    persons: {}", cluster.persons.join(", "));
        }
        if !cluster.units.is_empty() {
            println!("    units: {}", cluster.units.join(", "));
        }
        for link in &cluster.links {
            let why = match &link.reason {
                xuncha::leads::LinkReason::Person(p) => format!("both implicate {p}"),
                xuncha::leads::LinkReason::Unit(u) => format!("both implicate {u}"),
                xuncha::leads::LinkReason::FoundFrom => "found from it".to_owned(),
                _ => "linked".to_owned(),
            };
            println!("    {} -> {}: {why}", link.from, link.to);
        }
    }
    Ok(())
}

/// The hint for a checkpoint given with `--checkpoint` that the ledger
/// does not extend.
const CHECKPOINT_NOT_EXTENDED: &str = "either the checkpoint was copied wrongly (compare all its 64 digits with the `checkpoint N:…` line the earlier command printed), or the ledger was changed since: check it against the levels' witness files (`xuncha leads verify --witnesses FILE...`); nothing was changed";

/// `leads verify`; with `--json`, a ledger that fails is reported on
/// standard output too (`"valid": false` and the error), as a program
/// reading the JSON expects, besides the error and exit 4.
pub(super) fn verify(args: &VerifyArgs) -> Result<()> {
    let result = verify_ledger(args);
    if args.acting.json
        && let Err(err) = &result
        && Failure::of(err) == Failure::Violations
    {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "valid": false,
                "error": format!("{err:#}"),
            }))?
        );
    }
    result
}

fn verify_ledger(args: &VerifyArgs) -> Result<()> {
    // The witness files are read before the ledger: a reporter appends to
    // the ledger first and writes a level's witness after, so a ledger read
    // later holds at least every checkpoint the files hold. Read the other
    // way round, a report committing in between looked like truncation.
    let mut files_read = Vec::with_capacity(args.witness_files.len());
    for path in &args.witness_files {
        files_read.push((path, Witness::from_path(path).map_err(refused)?));
    }
    let ledger = args.acting.open_read()?;
    let report = ledger.verify().map_err(refused)?;
    let mut proofs = Vec::new();
    for witness in &args.witnesses {
        let proof = ledger.prove_extends(witness).map_err(|err| match err {
            // A checkpoint given by hand may be mistyped: say so beside
            // the other cause, a ledger changed since.
            xuncha::leads::Error::Inconsistent { why, .. } => anyhow::Error::new(Flagged(
                Failure::Violations,
                format!("--checkpoint {witness}: the ledger does not extend it ({why})"),
                Some(CHECKPOINT_NOT_EXTENDED),
            )),
            other => refused(other),
        })?;
        if !proof.verify() {
            return Err(anyhow::Error::new(Flagged(
                Failure::Violations,
                format!("the consistency proof from {witness} does not verify"),
                Some(LEDGER_BROKEN),
            )));
        }
        proofs.push(proof);
    }
    let mut witnessed = Vec::new();
    for (path, witness) in files_read {
        let checked = ledger
            .check_witness(&witness)
            .map_err(refused)
            .with_context(|| format!("checking the witness file {}", path.display()))?;
        witnessed.push((path, checked));
    }
    if args.acting.json {
        let files: Vec<_> = witnessed
            .iter()
            .map(|(path, report)| serde_json::json!({ "file": path, "report": report }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "valid": true,
                "verified": report,
                "checkpoints": proofs,
                "witness_files": files,
            }))?
        );
    } else {
        println!(
            "ledger verifies: {}, {}, head {}",
            count(report.events, "event", "events"),
            count(report.checkpoints, "checkpoint", "checkpoints"),
            report.head
        );
        for proof in &proofs {
            println!(
                "extends checkpoint {} ({} proof hashes)",
                proof.old,
                proof.proof.len()
            );
        }
        for (path, checked) in &witnessed {
            println!(
                "extends every checkpoint {1} witnessed ({0} in {2}), the last {3}",
                checked.checked,
                checked.keeper,
                path.display(),
                checked
                    .last
                    .map_or_else(|| "none".to_owned(), |c| c.to_string())
            );
        }
    }
    Ok(())
}

pub(super) fn prove(args: &ProveArgs) -> Result<()> {
    let ledger = args.acting.open_read()?;
    let proof = ledger.prove_lead(&args.lead).map_err(refused)?;
    let text = serde_json::to_string_pretty(&proof)?;
    match args.out.as_ref().filter(|p| !inputs::is_stdout(p)) {
        Some(path) => {
            // The lead's events, from the ledger: owner-only, as exports.
            inputs::write_private(path, text.as_bytes())?;
            println!(
                "wrote the inclusion proof of {} ({}, against checkpoint {}) to {}",
                args.lead,
                count(proof.events.len(), "event", "events"),
                proof.checkpoint,
                path.display()
            );
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// Refuses, before the ledger is read, an export whose options do not
/// go together: a file named for another format, what a format cannot
/// hold, a workbook on standard output.
fn check_export(args: &ExportArgs) -> Result<()> {
    // A file named for one format and written in another misleads.
    if let Some(ext) = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        && ["csv", "json", "xlsx"].contains(&ext.as_str())
        && ext != args.format
    {
        return Err(bad_input(format!(
            "--out {} names a .{ext} file, but --format is {}",
            args.out.display(),
            args.format
        )));
    }
    match (args.format.as_str(), args.what.as_str()) {
        ("xlsx", "state") => Err(bad_input(
            "--what state exports as json; for xlsx use leads, findings, log or all",
        )),
        ("xlsx", _) if inputs::is_stdout(&args.out) => Err(crate::failure::bad_input_hinted(
            "an xlsx workbook is not printed on standard output",
            "give --out a file name; `--out -` prints json and csv",
        )),
        ("json", "all") => Err(bad_input(
            "--what all is one sheet each in xlsx; as json, export state (the whole state) or log",
        )),
        ("csv", "state" | "all") => Err(bad_input(
            "--format csv exports one table: --what log, leads or findings",
        )),
        _ => Ok(()),
    }
}

/// Exports from one consistent read of a ledger that verifies (opening
/// refuses one that does not), to a file written whole, owner-only.
pub(super) fn export(args: &ExportArgs) -> Result<()> {
    check_export(args)?;
    // Opening shows its own spinner while it replays; this one covers
    // reading the events back.
    let ledger = args.acting.open_read()?;
    let progress = crate::output::spinner(format!("reading {}", args.acting.ledger.display()));
    let events = ledger.events().map_err(refused)?;
    progress.finish_and_clear();
    let state = ledger.state();
    let tables = || match args.what.as_str() {
        "log" => vec![log_table(&events)],
        "leads" => vec![leads_table(state)],
        "findings" => vec![findings_table(state)],
        _ => vec![
            leads_table(state),
            findings_table(state),
            log_table(&events),
        ],
    };
    let mut bytes = Vec::new();
    let what = match (args.format.as_str(), args.what.as_str()) {
        ("xlsx", _) => {
            let tables = tables();
            write_xlsx(&tables, &args.out)
                .map_err(refused)
                .with_context(|| format!("writing {}", args.out.display()))?;
            let sheets: Vec<String> = tables
                .iter()
                .map(|t| format!("{} ({})", t.name, count(t.rows.len(), "row", "rows")))
                .collect();
            return confirm_export(args, &sheets.join(", "));
        }
        ("json", "log") => {
            write_log_json(&events, ledger.checkpoint(), &mut bytes).map_err(refused)?;
            format!("the log ({})", count(events.len(), "event", "events"))
        }
        ("json", "leads") => {
            let leads = state.leads_in_order();
            serde_json::to_writer_pretty(
                &mut bytes,
                &serde_json::json!({ "version": 1, "leads": leads }),
            )?;
            format!("the leads ({})", count(leads.len(), "lead", "leads"))
        }
        ("json", "findings") => {
            serde_json::to_writer_pretty(
                &mut bytes,
                &serde_json::json!({ "version": 1, "lists": state.lists }),
            )?;
            format!(
                "the finding lists ({})",
                count(state.lists.len(), "list", "lists")
            )
        }
        ("json", _) => {
            write_state_json(state, &mut bytes).map_err(refused)?;
            format!(
                "the state ({}, {})",
                count(state.leads.len(), "lead", "leads"),
                count(state.lists.len(), "finding list", "finding lists")
            )
        }
        _ => {
            let table = tables().swap_remove(0);
            table.write_csv(&mut bytes, args.bom).map_err(refused)?;
            format!(
                "{} ({})",
                table.name,
                count(table.rows.len(), "row", "rows")
            )
        }
    };
    if inputs::is_stdout(&args.out) {
        use std::io::Write;
        std::io::stdout().write_all(&bytes)?;
        return Ok(());
    }
    inputs::write_private(&args.out, &bytes)?;
    confirm_export(args, &what)
}

/// Says what `leads export` wrote where: a line, or with `--json` an
/// object.
fn confirm_export(args: &ExportArgs, what: &str) -> Result<()> {
    if args.acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "out": args.out,
                "what": args.what,
                "format": args.format,
                "wrote": what,
            }))?
        );
    } else {
        println!("wrote {what} to {}", args.out.display());
    }
    Ok(())
}

pub(super) fn authorisations(args: &AuthorisationsArgs) -> Result<()> {
    let ledger = args.acting.open_read()?;
    let state = ledger.state();
    let listed: Vec<&xuncha::leads::Authorisation> = match &args.team {
        Some(team) => state.authorisations_of(team),
        None => state.authorisations.values().collect(),
    };
    if args.acting.json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(());
    }
    if listed.is_empty() {
        match &args.team {
            Some(team) => println!("no authorisations recorded for the team {team}"),
            None => println!("no authorisations recorded"),
        }
    }
    for a in &listed {
        let both = if state.authorised_at_both_levels(&a.team, &a.person) {
            "  both levels"
        } else {
            ""
        };
        println!(
            "{}  {}  {} ({})  by {} {}{both}",
            a.team,
            a.person,
            a.post,
            a.post.chinese(),
            a.by.as_str(),
            a.committee
        );
    }
    Ok(())
}

/// A time as a clerk reads it: to the second, in UTC
/// (`2026-03-02 09:00:00 UTC`); JSON keeps the full RFC 3339 time.
pub(super) fn when(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}
