//! Reading the files every planning command shares.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use xuncha::assign::Round;
use xuncha::avoid::{Engine, FactKind, Officials, Roster, RuleSet};
use xuncha::org::{Hierarchy, Units};

/// Limits on inputs, for every command (see `docs/reliability.md`).
#[derive(Debug, Args, Clone)]
pub(crate) struct LimitArgs {
    /// Refuse any input file larger than this: bytes, or with a suffix K,
    /// M, G (powers of 1024) [default: 1G]
    #[arg(long, global = true, value_name = "SIZE", value_parser = size)]
    pub(crate) max_input_bytes: Option<u64>,
    /// Refuse to staff a round with more targets (teams) than this
    /// [default: 100000]
    #[arg(long, global = true, value_name = "N")]
    pub(crate) max_targets: Option<u64>,
}

impl LimitArgs {
    /// Makes these the process's limits, for every loader.
    pub(crate) fn apply(&self) {
        let mut limits = xuncha::org::Limits::DEFAULT;
        if let Some(bytes) = self.max_input_bytes {
            limits.max_input_bytes = bytes;
        }
        if let Some(targets) = self.max_targets {
            limits.max_targets = targets;
        }
        xuncha::org::Limits::set_default(limits);
    }
}

/// Parses a size: `1048576`, `512K`, `64M`, `2G` (powers of 1024).
pub(crate) fn size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last() {
        Some((i, 'k' | 'K')) => (&text[..i], 10),
        Some((i, 'm' | 'M')) => (&text[..i], 20),
        Some((i, 'g' | 'G')) => (&text[..i], 30),
        _ => (text, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or a number with K, M or G"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Which division list: a directory of NBS files, the embedded country, or
/// the embedded Fujian default.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct Divisions {
    /// A directory with the five NBS division files (provinces.csv,
    /// cities.csv, areas.csv, streets.csv, villages.csv), for a newer list;
    /// the embedded Fujian default when absent.
    #[arg(long, value_name = "DIR", conflicts_with = "national")]
    pub(crate) divisions: Option<PathBuf>,
    /// The whole country's embedded list (NBS 2023) instead of Fujian's.
    #[arg(long)]
    pub(crate) national: bool,
}

impl Divisions {
    /// Loads the chosen list.
    pub(crate) fn load(&self) -> Result<Hierarchy> {
        hierarchy(self.divisions.as_deref(), self.national)
    }
}

/// Loads the division list in `dir`, else the embedded country when
/// `national`, else the embedded Fujian.
pub(crate) fn hierarchy(dir: Option<&Path>, national: bool) -> Result<Hierarchy> {
    let progress = match (dir, national) {
        (Some(dir), _) => {
            crate::output::spinner(format!("loading the divisions in {}", dir.display()))
        }
        (None, true) => crate::output::spinner("loading the national division list".to_owned()),
        (None, false) => indicatif::ProgressBar::hidden(),
    };
    let hierarchy = match dir {
        Some(dir) => Hierarchy::from_nbs_dir(dir)
            .with_context(|| format!("loading the divisions in {}", dir.display()))?,
        None if national => Hierarchy::national(),
        None => Hierarchy::fujian(),
    };
    progress.finish_and_clear();
    Ok(hierarchy)
}

/// Where the geography and the rules come from.
#[derive(Debug, Args, Clone)]
pub(crate) struct World {
    /// The division list.
    #[command(flatten)]
    pub(crate) divisions: Divisions,
    /// A units CSV file (id,name,kind,division,parent).
    #[arg(long, value_name = "FILE")]
    pub(crate) units: Option<PathBuf>,
    /// A rules TOML file; the default rules when absent.
    #[arg(long, value_name = "FILE")]
    pub(crate) rules: Option<PathBuf>,
    /// The inspected side's leading officials (CSV, or JSON by the
    /// extension), for tie rules (`fact = "ties"`).
    #[arg(long, value_name = "FILE")]
    pub(crate) officials: Option<PathBuf>,
    /// The dates of earlier rounds, for a rule whose window is counted in
    /// rounds (`window = "3 rounds"`): comma-separated or repeated.
    #[arg(long, value_parser = crate::inputs::date, value_name = "DATE,...", value_delimiter = ',')]
    pub(crate) round_dates: Vec<NaiveDate>,
    /// Earlier rounds' plans (JSON), whose dates count as --round-dates.
    #[arg(long, value_name = "PLAN", num_args = 1..)]
    pub(crate) earlier_plans: Vec<PathBuf>,
}

/// The loaded geography and rules.
pub(crate) struct Loaded {
    pub(crate) hierarchy: Hierarchy,
    pub(crate) units: Units,
    pub(crate) rules: RuleSet,
    pub(crate) officials: Officials,
    /// The earlier rounds' dates (`--round-dates`, `--earlier-plans`).
    pub(crate) round_dates: Vec<NaiveDate>,
}

impl World {
    pub(crate) fn load(&self) -> Result<Loaded> {
        let hierarchy = self.divisions.load()?;
        let units = match &self.units {
            Some(path) => Units::from_csv_path(path, &hierarchy)?,
            None => Units::default(),
        };
        let rules = match &self.rules {
            Some(path) => RuleSet::from_toml_path(path)?,
            None => RuleSet::default(),
        };
        let officials = match &self.officials {
            Some(path) => Officials::from_path(path, &hierarchy, &units)?,
            None => Officials::default(),
        };
        let mut round_dates = self.round_dates.clone();
        for path in &self.earlier_plans {
            let plan = xuncha::round::Plan::from_json_path(path, &xuncha::org::Limits::default())?;
            round_dates.push(plan.date);
        }
        round_dates.sort_unstable();
        round_dates.dedup();
        let counted_in_rounds: Vec<&str> = rules
            .rules()
            .iter()
            .filter(|r| matches!(r.window, Some(xuncha::avoid::Window::Rounds(_))))
            .map(|r| r.id.as_str())
            .collect();
        if round_dates.is_empty() && !counted_in_rounds.is_empty() {
            eprintln!(
                "note: the rules {} count their window in rounds, and no earlier round's date was given (--round-dates or --earlier-plans): every earlier inspection counts",
                counted_in_rounds.join(", ")
            );
        }
        Ok(Loaded {
            hierarchy,
            units,
            rules,
            officials,
            round_dates,
        })
    }
}

impl Loaded {
    /// The avoidance engine of these rules for `roster`: with the
    /// acquaintance graph of the roster and the officials when a rule asks
    /// for ties.
    pub(crate) fn engine(&self, roster: &Roster) -> Engine<'_> {
        let engine = Engine::new(&self.hierarchy, &self.units, self.rules.clone())
            .with_round_dates(self.round_dates.clone());
        let has_ties = self.rules.rules().iter().any(|r| r.fact == FactKind::Ties);
        if has_ties {
            engine.with_officials(roster, &self.officials)
        } else {
            engine
        }
    }
}

/// Reads a roster from CSV or JSON, by the file's extension.
pub(crate) fn roster(path: &Path, world: &Loaded) -> Result<Roster> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let roster = if is_json {
        Roster::from_json_path(path, &world.hierarchy, &world.units)?
    } else {
        Roster::from_csv_path(path, &world.hierarchy, &world.units)?
    };
    Ok(roster)
}

/// Reads a round and checks its targets against the hierarchy, writing an
/// old code as today's division (each rewrite noted on standard error).
pub(crate) fn round(path: &Path, world: &Loaded) -> Result<Round> {
    let mut round = Round::from_path(path)?;
    let selected = round.select_targets(&world.hierarchy, &world.units, path)?;
    if let Some(theme) = round.theme.as_ref().filter(|_| selected > 0) {
        eprintln!(
            "note: {}: the theme {} ({}) selects {selected} targets",
            path.display(),
            theme.id,
            theme.name()
        );
    }
    for note in round.resolve_targets(&world.hierarchy, &world.units, path)? {
        eprintln!("note: {}: {note}", path.display());
    }
    Ok(round)
}

/// Parses a seed written in hexadecimal (`5eed`, `0x5eed`).
pub(crate) fn seed(text: &str) -> Result<u64, String> {
    let digits = text
        .trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X");
    u64::from_str_radix(digits, 16)
        .map_err(|_| format!("{text:?} is not a hexadecimal seed such as 5eed"))
}

/// A date on the command line, `YYYY-MM-DD`; the error says the form
/// (clap names the flag).
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|e| {
        format!("{text:?} is not a date ({e}): write it as YYYY-MM-DD, such as 2026-03-05")
    })
}

/// Today, for commands whose date is optional.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Writes `bytes` to `path` whole or not at all (a temporary file beside
/// it, synced and renamed), naming the file in the error.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_mode(path, bytes, xuncha::org::atomic::Mode::Shared)
}

/// As [`write()`], owner-only: for anything taken from a ledger.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_mode(path, bytes, xuncha::org::atomic::Mode::Private)
}

/// Whether `path` is `-`: standard output, for the commands that print
/// what they would write (`leads export`, `leads prove`, `stats`).
pub(crate) fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// Creates the folder `path` is to be written in, as every writer does.
pub(crate) fn make_folder_of(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    Ok(())
}

fn write_mode(path: &Path, bytes: &[u8], mode: xuncha::org::atomic::Mode) -> Result<()> {
    if is_stdout(path) {
        return Err(crate::failure::bad_input_hinted(
            "`-` is not a file here: this command writes a file and reports on standard output",
            "give a file name; `leads export`, `leads prove` and `stats` print what they would write with `--out -`",
        ));
    }
    make_folder_of(path)?;
    xuncha::org::atomic::write(path, bytes, mode)?;
    Ok(())
}
