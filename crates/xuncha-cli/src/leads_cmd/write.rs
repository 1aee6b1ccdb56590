//! The `xuncha leads` commands that append to a ledger or create one:
//! adding a lead, keys and rosters, reports and witnesses, receipt, init
//! and import.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn add(args: AddArgs) -> Result<()> {
    let lead = LeadFacts {
        id: args.lead,
        round: args.round,
        team: args.team,
        target: Code::parse(&args.target).map_err(|e| bad_input(format!("--target: {e}")))?,
        persons: args.persons,
        units: args.units,
        summary: args.summary,
        source: args.source,
        found_on: args.found_on,
        fast_track: args.fast_track,
        found_from: args.found_from,
    };
    let petitioner = match &args.petitioner_file {
        Some(path) => Some(read_identity(path)?),
        None => None,
    };
    let action = Action::AddLead { lead, petitioner };
    let mut ledger = args.acting.appender()?;
    if let Some(path) = &args.key {
        ledger = ledger.with_identity_key(IdentityKey::from_path(path).map_err(refused)?);
    }
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::TeamMember),
        action,
    );
    let receipt = args.acting.execute(&mut ledger, command, None)?;
    print_receipt(&receipt, args.acting.json)
}

/// The most a petitioner's identity may hold, in bytes.
const IDENTITY_BYTES: u64 = 64 * 1024;

/// Reads a petitioner's identity from a file or standard input (`-`),
/// within a small limit; surrounding white space is dropped.
pub(super) fn read_identity(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let reader: Box<dyn std::io::Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| {
            format!("reading the petitioner's identity from {}", path.display())
        })?)
    };
    reader
        .take(IDENTITY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            bad_input(format!(
                "reading the petitioner's identity from {}: {e}",
                path.display()
            ))
        })?;
    if bytes.len() as u64 > IDENTITY_BYTES {
        return Err(bad_input(format!(
            "{}: a petitioner's identity is at most {} KiB (a fixed limit: a name and a way to reach them); this is longer",
            path.display(),
            IDENTITY_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        bad_input(format!(
            "{}: the petitioner's identity is not UTF-8 text",
            path.display()
        ))
    })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(bad_input(format!(
            "{}: no petitioner identity in it",
            path.display()
        )));
    }
    Ok(text.to_owned())
}

pub(super) fn keygen(args: &KeygenArgs) -> Result<()> {
    if let Some(actor) = &args.actor {
        return signing_keygen(args, actor);
    }
    let key = IdentityKey::generate().map_err(refused)?;
    key.write_new(&args.out).map_err(refused)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "key": key.id(),
                "file": args.out,
            }))?
        );
    } else {
        println!(
            "identity key {} written to {} (owner-only); keep it apart from the ledger",
            key.id(),
            args.out.display()
        );
    }
    Ok(())
}

/// `keygen --actor`: the actor's signing key, and its public half beside
/// it (`NAME.pub` for `NAME.key`, `FILE.pub` otherwise).
fn signing_keygen(args: &KeygenArgs, actor: &str) -> Result<()> {
    let key = SigningKey::generate(actor).map_err(refused)?;
    let public = match args.out.extension() {
        Some(ext) if ext == "key" => args.out.with_extension("pub"),
        _ => PathBuf::from(format!("{}.pub", args.out.display())),
    };
    if public.exists() {
        return Err(bad_input(format!(
            "{} already exists: a key's public half is never replaced",
            public.display()
        )));
    }
    key.write_new(&args.out).map_err(refused)?;
    let verifier = key.verifier().to_string();
    inputs::write(&public, format!("{verifier}\n").as_bytes())?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "actor": actor,
                "verifier": verifier,
                "file": args.out,
                "public": public,
            }))?
        );
    } else {
        println!(
            "signing key of {actor} written to {} (owner-only); its public half, to enrol, in {}:\n{verifier}",
            args.out.display(),
            public.display()
        );
    }
    Ok(())
}

/// A verifier key given as a file or as its text.
fn verifier_of(text: &str) -> Result<VerifierKey> {
    if let Ok(key) = text.trim().parse::<VerifierKey>() {
        return Ok(key);
    }
    VerifierKey::from_path(Path::new(text)).map_err(refused)
}

pub(super) fn enrol(args: &EnrolArgs) -> Result<()> {
    let key = verifier_of(&args.verifier)?;
    let until = args
        .until
        .and_then(|day| day.succ_opt())
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc());
    let action = Action::Enrol {
        enrolment: Box::new(Enrolment {
            actor: key.name().to_owned(),
            role: args.enrolled_role,
            level: args.level,
            key,
            until,
        }),
    };
    args.acting.run(ActorRole::InspectionOffice, action, None)?;
    Ok(())
}

pub(super) fn revoke(args: &RevokeArgs) -> Result<()> {
    let key = verifier_of(&args.verifier)?;
    let action = Action::Revoke {
        actor: key.name().to_owned(),
        key: key.hash(),
        reason: args.reason.clone(),
    };
    args.acting.run(ActorRole::InspectionOffice, action, None)?;
    Ok(())
}

pub(super) fn upgrade(args: &UpgradeArgs) -> Result<()> {
    let key = IdentityKey::from_path(&args.key).map_err(refused)?;
    let events = SqliteStore::upgrade(&args.ledger, &key).map_err(refused)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "ledger": args.ledger,
                "schema_version": xuncha::leads::SCHEMA_VERSION,
                "events": events,
                "key": key.id(),
            }))?
        );
    } else {
        println!(
            "{} is at schema version {}: {}, identities sealed with key {}",
            args.ledger.display(),
            xuncha::leads::SCHEMA_VERSION,
            crate::output::count(events, "event", "events"),
            key.id()
        );
    }
    Ok(())
}

pub(super) fn register_roster(args: &RegisterRosterArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let engine = world.engine(&roster);
    let fingerprint = AvoidanceCheck::fingerprint_of(&engine, &roster);
    let description = format!(
        "roster {} ({} people), rules {}",
        args.roster.display(),
        roster.len(),
        args.world
            .rules
            .as_ref()
            .map_or_else(|| "default".to_owned(), |p| p.display().to_string())
    );
    let action = Action::RegisterCheck {
        fingerprint,
        description,
    };
    args.acting.run(ActorRole::InspectionOffice, action, None)?;
    if !args.acting.json {
        println!("registered conflict check {fingerprint}");
    }
    Ok(())
}

pub(super) fn reveal(args: &RevealArgs) -> Result<()> {
    let key = IdentityKey::from_path(&args.key).map_err(refused)?;
    let mut ledger = args.acting.open()?.with_identity_key(key);
    let action = Action::RevealPetitioner {
        lead: args.lead.clone(),
        reason: args.reason.clone(),
    };
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    let (receipt, identity) = match args.acting.signing_key()? {
        Some(key) => {
            let signed =
                SignedCommand::sign(command, ledger.log_id(), args.acting.clock().now(), &key);
            ledger.reveal_petitioner_signed(&signed)
        }
        None => ledger.reveal_petitioner(&command),
    }
    .map_err(refused)?;
    if args.acting.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "receipt": receipt, "identity": identity })
            )?
        );
    } else {
        print_receipt(&receipt, false)?;
        println!("petitioner of {}: {identity}", args.lead);
    }
    Ok(())
}

pub(super) fn report(args: &ReportArgs) -> Result<()> {
    let to = if args.to == "city" {
        ReportRecipient::CityLeadingGroup
    } else {
        ReportRecipient::CountyLeadingGroup
    };
    let action = Action::Report {
        lead: args.lead.clone(),
        to,
    };
    let mut ledger = args.acting.open()?;
    let log = ledger.log_id().unwrap_or_default();
    let keeper = format!("the {} leading group", to.as_str());
    let witness = load_witness(&args.witness, args.new_witness, log, Some(&keeper))?;
    // Before anything is appended: the ledger must extend what this level
    // saw at its last report.
    ledger.check_witness(&witness).map_err(refused)?;
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    let receipt = args.acting.execute(&mut ledger, command, None)?;
    let now = args.acting.clock().now();
    // Read the file again: another report to this level may have been
    // witnessed meanwhile, and its checkpoint must not be lost.
    ledger.refresh().map_err(refused)?;
    let mut witness = if args.witness.exists() {
        load_witness(&args.witness, false, log, Some(&keeper))?
    } else {
        witness
    };
    // The report is recorded whatever happens to the witness file now.
    print_receipt(&receipt, args.acting.json)?;
    let seen = ledger.witness(&mut witness, now).map_err(refused)?;
    witness.write_path(&args.witness).map_err(refused).with_context(|| {
        format!(
            "the report is recorded, but {} could not be written (the old file is in place): witness it again with `xuncha leads witness --ledger {} --witness {} --keeper '{keeper}'`",
            args.witness.display(),
            args.acting.ledger.display(),
            args.witness.display()
        )
    })?;
    if !args.acting.json {
        println!(
            "witnessed by {keeper} in {}: checkpoint {seen} (it covers the report)",
            args.witness.display()
        );
    }
    Ok(())
}

/// The witness file at `path`, of the ledger `log` and, when given, the
/// keeper `keeper`; a new one only when asked for (and then `keeper` is
/// required).
pub(super) fn load_witness(
    path: &Path,
    new: bool,
    log: xuncha::leads::merkle::Hash,
    keeper: Option<&str>,
) -> Result<Witness> {
    if !path.exists() {
        if new {
            let keeper = keeper
                .ok_or_else(|| bad_input("--new-witness needs --keeper: who keeps the new file"))?;
            return Ok(Witness::new(log, keeper));
        }
        return Err(crate::failure::bad_input_hinted(
            format!(
                "{}: no such witness file (a missing file is never silently a new witness)",
                path.display()
            ),
            "check the witness file's name; for the first report to a level, start its file with --new-witness",
        ));
    }
    if new {
        return Err(bad_input(format!(
            "{}: --new-witness, but the file exists: it is this level's record, never replaced",
            path.display()
        )));
    }
    let witness = Witness::from_path(path).map_err(refused)?;
    if let Some(keeper) = keeper.filter(|k| *k != witness.keeper) {
        return Err(bad_input(format!(
            "{} is the witness kept by {}, not by {keeper}",
            path.display(),
            witness.keeper
        )));
    }
    Ok(witness)
}

pub(super) fn witness_pull(args: &WitnessArgs) -> Result<()> {
    let store = SqliteStore::open_read_only(&args.ledger).map_err(refused)?;
    let ledger = Ledger::open(store).map_err(refused)?;
    // The level witnesses only a log it has checked whole: every event
    // rehashed and every command re-decided, the snapshot compared.
    ledger.verify().map_err(refused)?;
    let log = ledger.log_id().ok_or_else(|| {
        anyhow::Error::new(Flagged(
            Failure::Violations,
            format!("{} holds no events", args.ledger.display()),
            Some(LEDGER_BROKEN),
        ))
    })?;
    let mut witness = load_witness(&args.witness, args.new_witness, log, args.keeper.as_deref())?;
    let seen = ledger
        .witness(&mut witness, SystemClock.now())
        .map_err(refused)?;
    witness.write_path(&args.witness).map_err(refused)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&witness)?);
    } else {
        println!(
            "{} witnessed checkpoint {seen} of {} in {} ({} held)",
            witness.keeper,
            args.ledger.display(),
            args.witness.display(),
            crate::output::count(witness.seen.len(), "checkpoint", "checkpoints")
        );
    }
    Ok(())
}

pub(super) fn receive(args: &ReceiveArgs) -> Result<()> {
    let world = args.world.load()?;
    let roster = inputs::roster(&args.roster, &world)?;
    let engine = world.engine(&roster);
    let check = AvoidanceCheck::new(&engine, &roster);
    let action = Action::Receive {
        lead: args.lead.clone(),
    };
    let receipt = args
        .acting
        .run(ActorRole::DisciplineHandler, action, Some(&check))?;
    let refused_for = receipt.events.iter().find_map(|e| match &e.change {
        Change::HandlerRefused { conflicts, .. } => Some(conflicts.len()),
        _ => None,
    });
    match refused_for {
        Some(conflicts) => Err(anyhow::Error::new(Flagged(
            Failure::Refused,
            format!(
                "{} may not receive lead {}: {conflicts} conflict(s) of interest, recorded in the ledger",
                args.acting.actor(ActorRole::DisciplineHandler).id,
                args.lead
            ),
            Some(
                "the refusal is recorded and the lead escalated once per handler; another handler without a conflict receives it",
            ),
        ))),
        None => Ok(()),
    }
}

pub(super) fn init(args: &InitArgs) -> Result<()> {
    let jurisdiction =
        Code::parse(&args.jurisdiction).map_err(|e| bad_input(format!("--jurisdiction: {e}")))?;
    // A ledger serves a real division: Fujian's list first (embedded,
    // small), then the country's.
    if xuncha::org::Hierarchy::fujian().get(jurisdiction).is_none()
        && xuncha::org::Hierarchy::national()
            .get(jurisdiction)
            .is_none()
    {
        return Err(bad_input(format!(
            "--jurisdiction {jurisdiction}: no division has this code in the national list (NBS 2023); a ledger serves a city or a county"
        )));
    }
    let policy = match &args.policy {
        Some(path) => DeadlinePolicy::from_toml_path(path).map_err(refused)?,
        None => DeadlinePolicy::default(),
    };
    if args.acting.ledger.exists() {
        return Err(crate::failure::bad_input_hinted(
            format!(
                "{} already exists; `init` creates a new ledger",
                args.acting.ledger.display()
            ),
            "a ledger is never replaced: name a new file, or go on with the one there",
        ));
    }
    let signing = args.acting.signing_key()?;
    let authorities = match (&signing, &args.city_key) {
        (Some(county), Some(city)) => Some(Box::new(Authorities {
            county: county.verifier(),
            city: verifier_of(city)?,
        })),
        (None, None) => None,
        _ => {
            return Err(bad_input(
                "a signed ledger is made with both --sign (the county office's key) and --city-key (the city's public key)",
            ));
        }
    };
    let action = Action::Open {
        authorities,
        jurisdiction,
        policy,
    };
    let command = Command::new(
        args.acting.command_id(&action),
        args.acting.actor(ActorRole::InspectionOffice),
        action,
    );
    let signed = signing
        .as_ref()
        .map(|key| SignedCommand::sign(command.clone(), None, args.acting.clock().now(), key));
    // Made in a temporary file and moved into place whole: a killed `init`
    // leaves nothing that blocks the retry.
    args.acting.not_in_the_future()?;
    inputs::make_folder_of(&args.acting.ledger)?;
    let receipt = SqliteStore::create_new(&args.acting.ledger, |store| {
        let mut ledger = Ledger::open(store)?.with_clock(args.acting.clock());
        match &signed {
            Some(signed) => ledger.execute_signed(signed, None),
            None => ledger.execute(&command, None),
        }
    })
    .map_err(refused)?;
    print_receipt(&receipt, args.acting.json)
}

pub(super) fn import(args: &ImportArgs) -> Result<()> {
    if args.ledger.exists() {
        return Err(bad_input(format!(
            "{} already exists; `import` creates a new ledger",
            args.ledger.display()
        )));
    }
    let name = args.from.display().to_string();
    let file = xuncha::org::Limits::default().open(&args.from)?;
    // Imported into a temporary file, verified, and only then moved into
    // place: a killed or failed import leaves no file behind.
    inputs::make_folder_of(&args.ledger)?;
    let report = SqliteStore::create_new(&args.ledger, |mut store| {
        xuncha::leads::export::import_log_json(file, &name, &mut store)?;
        Ledger::open(store)?.verify()
    })
    .map_err(refused)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "imported {} into {}; it verifies, head {}",
            crate::output::count(report.events, "event", "events"),
            args.ledger.display(),
            report.head
        );
    }
    Ok(())
}

pub(super) fn authorise(args: AuthoriseArgs) -> Result<()> {
    let by = if args.by == "city" {
        Level::City
    } else {
        Level::County
    };
    let request = xuncha::leads::AuthorisationRequest {
        round: args.round,
        team: args.team.clone(),
        target: Code::parse(&args.target).map_err(|e| bad_input(format!("--target: {e}")))?,
        person: args.person.clone(),
        post: args.post,
        by,
    };
    let (receipt, mut ledger) = args.acting.run_keeping(
        ActorRole::InspectionOffice,
        Action::Authorise {
            authorisation: request,
        },
        None,
    )?;
    if !args.acting.json {
        for event in &receipt.events {
            if let Change::Authorised { authorisation: a } = &event.change {
                println!(
                    "{} authorised as {} ({}) of {} by the {} committee of {}",
                    a.person,
                    a.post,
                    a.post.chinese(),
                    a.team,
                    a.by.as_str(),
                    a.committee
                );
            }
        }
        // The two records the decision read: no replay of the ledger.
        if ledger
            .authorised_at_both_levels(&args.team, &args.person)
            .map_err(refused)?
        {
            println!(
                "{} is authorised at both levels (市县两级授权): the team answers to the city's committee and the county's",
                args.person
            );
        } else {
            let missing = if by == Level::City { "county" } else { "city" };
            println!("not yet authorised by the {missing} committee");
        }
    }
    Ok(())
}
