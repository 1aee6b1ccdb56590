//! The arguments of each `xuncha leads` subcommand.

#[allow(clippy::wildcard_imports)]
use super::*;

/// `xuncha leads import`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads export --ledger leads.db --what log --format json --out log.json\n  xuncha leads import --from log.json --ledger copy.db"
)]
pub(crate) struct ImportArgs {
    /// The log export (JSON) to read.
    #[arg(long, value_name = "FILE")]
    pub(crate) from: PathBuf,
    /// The new ledger file (`SQLite`); must not exist.
    #[arg(long, value_name = "FILE")]
    pub(crate) ledger: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `xuncha leads keygen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads keygen --out office.key\n  xuncha leads keygen --actor office-350628 --out office-350628.key\n  xuncha leads keygen --actor city-3506 --out city-3506.key\n  xuncha leads keygen --actor P0007 --out P0007.key\n\nWithout --actor: the office's identity key, which seals petitioners. With --actor: that actor's signing key (Ed25519, in the signed-note format), and its public half in a .pub file beside it, to enrol. Each file is owner-only (0600) and never replaced. Keep keys off the machine that holds the ledger: a copy of the ledger without them reveals no petitioner and signs nothing."
)]
pub(crate) struct KeygenArgs {
    /// Where to write the key; must not exist.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Make the signing key of this actor (the key's name) instead of the
    /// office's identity key.
    #[arg(long, value_name = "ID")]
    pub(crate) actor: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `xuncha leads enrol`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads enrol --ledger signed.db --sign office-350628.key --verifier P0007.pub --as team-leader --level county\n\nThe county office's key (the one the ledger was made with) enrols county actors; the city's key (pinned with --city-key) enrols city actors and supervision groups. No county key makes a city actor."
)]
pub(crate) struct EnrolArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The actor's public key: a `.pub` file from `keygen --actor`, or its
    /// text (`NAME+HASH+BASE64`). The actor is the key's name.
    #[arg(long, value_name = "FILE|KEY")]
    pub(crate) verifier: String,
    /// The role the key signs for.
    #[arg(long = "as", value_name = "ROLE", value_parser = parse_role)]
    pub(crate) enrolled_role: ActorRole,
    /// The level the actor acts at: county or city.
    #[arg(long, value_name = "LEVEL", value_parser = parse_actor_level)]
    pub(crate) level: Level,
    /// The last day the key signs (UTC); valid until revoked when absent.
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<NaiveDate>,
}

/// `xuncha leads revoke`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads revoke --ledger signed.db --sign office-350628.key --verifier P0007.pub --reason '调离'\n\nThe key signs nothing dated after its revocation; enrol a new one to rotate."
)]
pub(crate) struct RevokeArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The key to revoke: a `.pub` file or its text.
    #[arg(long, value_name = "FILE|KEY")]
    pub(crate) verifier: String,
    /// Why (recorded).
    #[arg(long)]
    pub(crate) reason: String,
}

fn parse_actor_level(text: &str) -> Result<Level, String> {
    match text {
        "county" => Ok(Level::County),
        "city" => Ok(Level::City),
        _ => Err(format!("`{text}`: an actor acts at the county or the city")),
    }
}

/// `xuncha leads register-roster`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads register-roster --ledger leads.db --actor office-3506 --roster handlers.csv --rules rules.toml\n\nEvery later `receive` must use a roster and rules with this fingerprint; a handler cannot check themselves against a roster of their own."
)]
pub(crate) struct RegisterRosterArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The roster holding the handlers (and the implicated persons known).
    #[arg(long, value_name = "FILE")]
    pub(crate) roster: PathBuf,
    #[command(flatten)]
    pub(crate) world: World,
}

/// `xuncha leads reveal`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads reveal --ledger leads.db --actor office-3506 --lead L-001 --key office.key --reason '答复信访人'"
)]
pub(crate) struct RevealArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// The office's identity key file.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
    /// Why the identity is needed (recorded).
    #[arg(long)]
    pub(crate) reason: String,
}

/// `xuncha leads upgrade`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads upgrade --ledger leads.db --key office.key\n\nThe old file is verified, rebuilt beside itself with every identity sealed, verified again and renamed over the old one; on any failure the old file stays as it was."
)]
pub(crate) struct UpgradeArgs {
    /// The ledger file.
    #[arg(long, value_name = "FILE")]
    pub(crate) ledger: PathBuf,
    /// The office's identity key file.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `xuncha leads init`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads init --ledger leads.db --jurisdiction 3506\n  xuncha leads init --ledger signed.db --jurisdiction 3506 --sign office-350628.key --city-key city-3506.pub\n\nWith --sign and --city-key the ledger is signed: every later command must be signed (--sign) by a key enrolled for its actor (`leads enrol`)."
)]
pub(crate) struct InitArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The jurisdiction's code (a city, usually).
    #[arg(long, value_name = "CODE")]
    pub(crate) jurisdiction: String,
    /// The city's public key (a `.pub` file from the city's `keygen
    /// --actor`, or its text), pinned in a signed ledger: it enrols the
    /// city's actors. Needs `--sign` (the county office's key).
    #[arg(long, value_name = "FILE|KEY")]
    pub(crate) city_key: Option<String>,
    /// A deadline policy (TOML); the documented defaults when absent.
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<PathBuf>,
}

/// `xuncha leads add`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads add --ledger leads.db --actor P0007 --role team-leader --lead L-001 --round 2026-1 --team 2026-1/350628 --target 350628 --summary '工程款去向不明' --source petition-visit --petitioner-file - --key office.key --found-on 2026-03-02 < petitioner.txt\n  xuncha leads add --ledger leads.db --actor P0007 --role team-leader --lead L-002 --round 2026-1 --team 2026-1/350628 --target 350628 --summary '项目审批违规' --source document-check --found-on 2026-03-05 --found-from L-001 --unit ph-civil\n\nThe petitioner's identity is read from a file or standard input, never from the command line (where any local user could read it), and stored only sealed with the key."
)]
pub(crate) struct AddArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead's id.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// The round.
    #[arg(long)]
    pub(crate) round: String,
    /// The team (round/target).
    #[arg(long)]
    pub(crate) team: String,
    /// The inspected county's code.
    #[arg(long, value_name = "CODE")]
    pub(crate) target: String,
    /// What it is about (never the petitioner's identity).
    #[arg(long)]
    pub(crate) summary: String,
    /// petition-letter, petition-call, petition-visit, interview,
    /// document-check, or other:TEXT.
    #[arg(long)]
    pub(crate) source: LeadSource,
    /// A file holding the petitioner's identity (`-`: standard input),
    /// stored sealed with --key and never exported.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub(crate) petitioner_file: Option<PathBuf>,
    /// The office's identity key file (from `xuncha leads keygen`).
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// When it was found: the first deadline (found → transferred) counts
    /// from the start of this day (UTC), not from when the lead is
    /// recorded; it may not lie after the day it is recorded.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
    pub(crate) found_on: NaiveDate,
    /// A person it implicates (repeat).
    #[arg(long = "person", value_name = "ID")]
    pub(crate) persons: Vec<String>,
    /// A unit or division it implicates (repeat).
    #[arg(long = "unit", value_name = "UNIT")]
    pub(crate) units: Vec<String>,
    /// Fast-track (直查快办): shorter deadlines.
    #[arg(long)]
    pub(crate) fast_track: bool,
    /// A lead it was found from (顺藤摸瓜; repeat): they share a cluster.
    #[arg(long = "found-from", value_name = "LEAD")]
    pub(crate) found_from: Vec<String>,
}

/// `xuncha leads transfer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads transfer --ledger leads.db --actor P0007 --role team-leader --lead L-001\n  xuncha leads transfer --ledger leads.db --actor office-3506 --role inspection-office --lead L-002 --to organisation-department --level city\n\nThe transfer must then be reported to both levels (`leads report --to city` and `--to county`) before a handler may receive it."
)]
pub(crate) struct TransferArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// discipline-commission, organisation-department, or other:NAME.
    #[arg(long, default_value = "discipline-commission")]
    pub(crate) to: Body,
    /// county, city or province.
    #[arg(long, value_parser = parse_level, default_value = "county")]
    pub(crate) level: Level,
}

pub(super) fn parse_level(text: &str) -> Result<Level, String> {
    text.parse::<Level>().map_err(|e| e.to_string())
}

/// `xuncha leads report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads report --ledger leads.db --actor office-3506 --lead L-001 --to city --witness city-3506.witness --new-witness\n  xuncha leads report --ledger leads.db --actor office-3506 --lead L-001 --to county --witness county-350628.witness --new-witness\n  xuncha leads report --ledger leads.db --actor office-3506 --lead L-002 --to city --witness city-3506.witness\n\nThe witness file is the level's own record of this ledger: created by the first report, it takes the checkpoint just after each report once a consistency proof shows the ledger extends what it saw before. Each level keeps its file; `xuncha leads verify --witnesses FILE...` checks the ledger against them."
)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// city (the city's leading group) or county (the county's leading
    /// group and party secretary).
    #[arg(long, value_parser = ["city", "county"])]
    pub(crate) to: String,
    /// The witness file of the level reported to.
    #[arg(long, value_name = "FILE")]
    pub(crate) witness: PathBuf,
    /// Start the witness file: the first report to this level. Without
    /// it, a missing file is an error, not silently a new witness.
    #[arg(long)]
    pub(crate) new_witness: bool,
}

/// `xuncha leads witness`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples (the city, on its own machine, with the copy of the county's ledger it received):\n  xuncha leads witness --ledger copy.db --witness city-3506.witness\n  xuncha leads witness --ledger copy.db --witness 漳州市.witness --new-witness --keeper '漳州市巡察领导小组'\n\nRefused (exit 4, the file unchanged) when the ledger does not extend what the file holds. This is the witness pulling, as Certificate Transparency's witnesses do; `report --witness` is the same step when the level's file is reachable from the county's machine."
)]
pub(crate) struct WitnessArgs {
    /// The ledger (a copy is enough: it is opened read-only).
    #[arg(long, value_name = "FILE")]
    pub(crate) ledger: PathBuf,
    /// The level's witness file of this ledger.
    #[arg(long, value_name = "FILE")]
    pub(crate) witness: PathBuf,
    /// Who keeps the witness: required for a new file (--new-witness);
    /// for an old one, checked against the keeper it names when given.
    #[arg(long, value_name = "TEXT", required_if_eq("new_witness", "true"))]
    pub(crate) keeper: Option<String>,
    /// Start the witness file.
    #[arg(long)]
    pub(crate) new_witness: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `xuncha leads receive`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads receive --ledger leads.db --actor H1 --lead L-001 --roster handlers.csv --rules rules.toml\n\nThe roster and rules must be those registered with `register-roster`. A handler with a conflict is refused (exit 5) and the lead escalated, once per handler."
)]
pub(crate) struct ReceiveArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// The registered roster holding the handler (and any implicated
    /// persons), for the conflict check.
    #[arg(long, value_name = "FILE")]
    pub(crate) roster: PathBuf,
    #[command(flatten)]
    pub(crate) world: World,
}

/// `xuncha leads dispose`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads dispose --ledger leads.db --actor H1 --role discipline-handler --lead L-001 --as preliminary-verification --reason 线索具体可查\n\nOnly the handler who received the lead may dispose of it."
)]
pub(crate) struct DisposeArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// inquiry, preliminary-verification, shelved or closed.
    #[arg(long = "as", value_parser = parse_disposal)]
    pub(crate) disposal: Disposal,
    /// Why.
    #[arg(long)]
    pub(crate) reason: String,
}

pub(super) fn parse_disposal(text: &str) -> Result<Disposal, String> {
    match text {
        "inquiry" => Ok(Disposal::Inquiry),
        "preliminary-verification" => Ok(Disposal::PreliminaryVerification),
        "shelved" => Ok(Disposal::Shelved),
        "closed" => Ok(Disposal::Closed),
        other => Err(format!(
            "unknown disposal `{other}`: expected inquiry, preliminary-verification, shelved or closed"
        )),
    }
}

/// `xuncha leads file-case`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads file-case --ledger leads.db --actor H1 --role discipline-handler --lead L-001 --reason 初核属实\n\nThe lead must be under preliminary verification (`leads dispose --as preliminary-verification`)."
)]
pub(crate) struct FileCaseArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// Why.
    #[arg(long)]
    pub(crate) reason: String,
}

/// `xuncha leads conclude`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads conclude --ledger leads.db --actor H1 --role discipline-handler --lead L-001 --sanction '某某:party-serious-warning:违规发放补贴' --funds '120000:追回补贴' --reason 审查终结"
)]
pub(crate) struct ConcludeArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// PERSON:KIND:REASON, KIND one of party-warning, party-serious-warning,
    /// party-post-removal, party-probation, party-expulsion,
    /// administrative-warning, administrative-demerit,
    /// administrative-major-demerit, administrative-demotion,
    /// administrative-dismissal-from-post, administrative-expulsion.
    #[arg(long = "sanction", value_name = "PERSON:KIND:REASON")]
    pub(crate) sanctions: Vec<String>,
    /// PERSON:REASON, referred to the prosecutors.
    #[arg(long = "referral", value_name = "PERSON:REASON")]
    pub(crate) referrals: Vec<String>,
    /// YUAN:REASON, funds recovered.
    #[arg(long = "funds", value_name = "YUAN:REASON")]
    pub(crate) funds: Vec<String>,
    /// No action, with the reason.
    #[arg(long = "no-action", value_name = "REASON")]
    pub(crate) no_action: Option<String>,
    /// The reason for concluding.
    #[arg(long)]
    pub(crate) reason: String,
}

impl ConcludeArgs {
    pub(crate) fn outcomes(&self) -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::new();
        for text in &self.sanctions {
            let mut parts = text.splitn(3, ':');
            let (Some(person), Some(kind), Some(reason)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(bad_input(format!(
                    "--sanction `{text}`: expected PERSON:KIND:REASON"
                )));
            };
            let sanction =
                serde_json::from_value::<SanctionKind>(serde_json::Value::String(kind.to_owned()))
                    .map_err(|_| {
                        bad_input(format!(
                            "--sanction `{text}`: unknown kind `{kind}` (see --help)"
                        ))
                    })?;
            outcomes.push(Outcome::Sanction {
                person: person.to_owned(),
                sanction,
                reason: reason.to_owned(),
            });
        }
        for text in &self.referrals {
            let (person, reason) = text
                .split_once(':')
                .ok_or_else(|| bad_input(format!("--referral `{text}`: expected PERSON:REASON")))?;
            outcomes.push(Outcome::JudicialReferral {
                person: person.to_owned(),
                reason: reason.to_owned(),
            });
        }
        for text in &self.funds {
            let (yuan, reason) = text
                .split_once(':')
                .and_then(|(y, r)| Some((y.parse::<u64>().ok()?, r)))
                .ok_or_else(|| {
                    bad_input(format!(
                        "--funds `{text}`: expected YUAN:REASON with a whole number of yuan"
                    ))
                })?;
            outcomes.push(Outcome::FundsRecovered {
                yuan,
                reason: reason.to_owned(),
            });
        }
        if let Some(reason) = &self.no_action {
            outcomes.push(Outcome::NoAction {
                reason: reason.clone(),
            });
        }
        Ok(outcomes)
    }
}

/// `xuncha leads escalate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads escalate --ledger leads.db --actor office-3506 --lead L-002\n  xuncha leads escalate --ledger leads.db --actor office-3506 --overdue   # every lead past its deadline"
)]
pub(crate) struct EscalateArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead; with --overdue, every overdue lead instead.
    #[arg(long, value_name = "ID", required_unless_present = "overdue")]
    pub(crate) lead: Option<String>,
    /// Escalate every lead past its deadline.
    #[arg(long, conflicts_with = "lead")]
    pub(crate) overdue: bool,
}

/// `xuncha leads clusters`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads clusters --ledger leads.db\n  xuncha leads clusters --ledger leads.db --min-size 2 --json\n\nLeads are linked when they implicate the same person or unit (not the team's own county), or one was found from another (`leads add --found-from`)."
)]
pub(crate) struct ClustersArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// Show only clusters of at least this many leads.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) min_size: usize,
}

/// `xuncha leads overdue`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads overdue --ledger leads.db\n  xuncha leads overdue --ledger leads.db --now 2026-06-01T09:00:00Z --json"
)]
pub(crate) struct OverdueArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
}

/// `xuncha leads verify`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads verify --ledger leads.db\n  xuncha leads verify --ledger leads.db --witnesses city-3506.witness county-350628.witness\n  xuncha leads verify --ledger leads.db --checkpoint \"$CHECKPOINT\"\n    (CHECKPOINT holds the N:ROOT of a `checkpoint N:…` line an earlier command printed: 12:6c5e23d8…)\n\nOpens the file read-only: works on a copy and for a user who may only read it."
)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// Witness files (kept by the levels reported to) whose every
    /// checkpoint the ledger must extend.
    #[arg(long = "witnesses", value_name = "FILE", num_args = 1..)]
    pub(crate) witness_files: Vec<PathBuf>,
    /// A checkpoint SIZE:ROOT that the ledger must extend: the
    /// `checkpoint N:…` line an earlier command printed (repeat).
    #[arg(long = "checkpoint", alias = "witness", value_name = "SIZE:ROOT", value_parser = parse_checkpoint)]
    pub(crate) witnesses: Vec<Checkpoint>,
}

/// `xuncha leads prove`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads prove --ledger leads.db --lead L-001 --out L-001.proof.json\n\nThe proof holds the lead's events and their inclusion paths to the current checkpoint; a supervisor checks it against the checkpoint their witness file holds."
)]
pub(crate) struct ProveArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The lead.
    #[arg(long, value_name = "ID")]
    pub(crate) lead: String,
    /// Where to write the proof (JSON); standard output when absent or `-`.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `xuncha leads export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha leads export --ledger leads.db --what leads --format csv --bom --out leads.csv\n  xuncha leads export --ledger leads.db --what all --format xlsx --out 台账.xlsx"
)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// log, leads, findings, state, or all (xlsx only: one sheet each).
    #[arg(long, value_parser = ["log", "leads", "findings", "state", "all"])]
    pub(crate) what: String,
    /// json, csv or xlsx.
    #[arg(long, value_parser = ["json", "csv", "xlsx"])]
    pub(crate) format: String,
    /// Start CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    pub(crate) bom: bool,
    /// Where to write; `-` prints json and csv on standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// `xuncha leads authorise`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples (市县两级授权: the city's committee, then the inspected county's):\n  xuncha leads authorise --ledger leads.db --actor office-3506 --round 2026-1 --team 2026-1/350628 --target 350628 --person P0007 --post leader --by city\n  xuncha leads authorise --ledger leads.db --actor office-3506 --round 2026-1 --team 2026-1/350628 --target 350628 --person P0007 --post leader --by county\n\nThe committee is worked out from the ledger and the target: the city's for --by city, the target's county's for --by county. Once both are recorded the person is authorised at both levels and the team answers to both."
)]
pub(crate) struct AuthoriseArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// The round.
    #[arg(long)]
    pub(crate) round: String,
    /// The team, as the plan names it (round/target).
    #[arg(long)]
    pub(crate) team: String,
    /// What the team inspects: a county, or a division within one.
    #[arg(long, value_name = "CODE")]
    pub(crate) target: String,
    /// The person authorised (a roster id).
    #[arg(long, value_name = "ID")]
    pub(crate) person: String,
    /// leader (组长) or deputy-leader (副组长).
    #[arg(long)]
    pub(crate) post: TeamPost,
    /// Whose committee authorises: city or county (the inspected county's).
    #[arg(long, value_parser = ["city", "county"])]
    pub(crate) by: String,
}

/// `xuncha leads authorisations`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  xuncha leads authorisations --ledger leads.db --team 2026-1/350628"
)]
pub(crate) struct AuthorisationsArgs {
    #[command(flatten)]
    pub(crate) acting: Acting,
    /// Only this team's.
    #[arg(long)]
    pub(crate) team: Option<String>,
}
