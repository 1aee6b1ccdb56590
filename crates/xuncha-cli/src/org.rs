//! `xuncha org ...`: the division hierarchy from the shell.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;
use xuncha::org::{Code, CodeChange, Division, Hierarchy, Level, LevelCounts};

use crate::render::{Align, Table, thousands};

/// Where the divisions come from, and how to print.
#[derive(Debug, Args)]
pub(crate) struct Source {
    /// A directory with the five NBS files (provinces.csv, cities.csv,
    /// areas.csv, streets.csv, villages.csv); the embedded Fujian default
    /// when absent.
    #[arg(long, value_name = "DIR", global = true, conflicts_with = "national")]
    divisions: Option<PathBuf>,
    /// The whole country's embedded list (NBS 2023) instead of Fujian's.
    #[arg(long, global = true)]
    national: bool,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

impl Source {
    fn load(&self) -> Result<Hierarchy> {
        crate::inputs::hierarchy(self.divisions.as_deref(), self.national)
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum OrgCommand {
    /// Count the divisions at each level.
    #[command(
        after_help = "Examples:\n  xuncha org summary\n  xuncha org summary --national --json\n  xuncha org summary --divisions ./divisions-2024   # the five NBS files of a newer list"
    )]
    Summary {
        #[command(flatten)]
        source: Source,
    },
    /// Show one division: its path and children, and where an old code now
    /// resolves to.
    #[command(
        after_help = "Examples:\n  xuncha org show 350628\n  xuncha org show 350681            # an old code: 龙海市 became 龙海区\n  xuncha org show 350600000000      # the 12-digit padded form"
    )]
    Show {
        /// The division's code: 2, 4, 6, 9 or 12 digits.
        code: String,
        /// The date of the record the code comes from (YYYY-MM-DD), for
        /// resolving old codes; by default the code's latest change applies.
        #[arg(long, value_parser = crate::inputs::date, value_name = "DATE")]
        date: Option<NaiveDate>,
        #[command(flatten)]
        source: Source,
    },
    /// Find divisions by name; names repeat, so every match comes with its
    /// path.
    #[command(
        after_help = "Examples:\n  xuncha org find 城关镇\n  xuncha org find 平和 --prefix\n  xuncha org find 城关镇 --within 3506\n  xuncha org find 城关镇 --national"
    )]
    Find {
        /// The name, or with --prefix its beginning.
        name: String,
        /// Match names that start with NAME.
        #[arg(long)]
        prefix: bool,
        /// Only divisions at this level (province, city, county, township,
        /// village).
        #[arg(long, value_name = "LEVEL")]
        level: Option<Level>,
        /// Only divisions within this code.
        #[arg(long, value_name = "CODE")]
        within: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Print the subtree below a division.
    #[command(
        after_help = "Examples:\n  xuncha org tree 3506\n  xuncha org tree 350628 --depth 2 --json"
    )]
    Tree {
        /// The division's code.
        code: String,
        /// How many levels below the division to print.
        #[arg(long, default_value_t = 1, value_name = "N")]
        depth: usize,
        #[command(flatten)]
        source: Source,
    },
}

pub(crate) fn run(command: OrgCommand) -> Result<()> {
    match command {
        OrgCommand::Summary { source } => summary(&source),
        OrgCommand::Show { code, date, source } => show(&source, &code, date),
        OrgCommand::Find {
            name,
            prefix,
            level,
            within,
            source,
        } => find(&source, &name, prefix, level, within.as_deref()),
        OrgCommand::Tree {
            code,
            depth,
            source,
        } => tree(&source, &code, depth),
    }
}

/// The version of the JSON that `xuncha org` prints; see `docs/formats.md`.
const JSON_VERSION: u32 = 1;

/// Prints `value`'s fields, after a `version` field, as pretty JSON.
fn print_json(value: &impl Serialize) -> Result<()> {
    #[derive(Serialize)]
    struct Versioned<'a, T> {
        version: u32,
        #[serde(flatten)]
        value: &'a T,
    }
    let versioned = Versioned {
        version: JSON_VERSION,
        value,
    };
    println!("{}", serde_json::to_string_pretty(&versioned)?);
    Ok(())
}

#[derive(Serialize)]
struct Summary<'a> {
    source: &'a str,
    counts: LevelCounts,
    groupings: usize,
    total: usize,
}

fn summary(source: &Source) -> Result<()> {
    let hierarchy = source.load()?;
    let counts = hierarchy.counts();
    let groupings = hierarchy.iter().filter(|d| d.is_grouping()).count();
    if source.json {
        return print_json(&Summary {
            source: hierarchy.source(),
            counts,
            groupings,
            total: counts.total(),
        });
    }
    println!("Divisions: {}", hierarchy.source());
    println!();
    let mut table = Table::new(&[
        ("level", Align::Left),
        ("", Align::Left),
        ("count", Align::Right),
    ]);
    for level in Level::ALL {
        table.row(vec![
            level.to_string(),
            level.chinese().to_owned(),
            thousands(counts.get(level)),
        ]);
    }
    table.row(vec![
        "total".into(),
        String::new(),
        thousands(counts.total()),
    ]);
    print!("{}", table.render());
    if groupings > 0 {
        println!();
        println!(
            "The city level includes {groupings} grouping rows (市辖区, 县, 省直辖县级行政区划) that are not governments."
        );
    }
    Ok(())
}

/// A division with its path, for JSON.
#[derive(Serialize)]
struct Placed<'h> {
    #[serde(flatten)]
    division: Division<'h>,
    path: String,
}

impl<'h> From<Division<'h>> for Placed<'h> {
    fn from(division: Division<'h>) -> Self {
        Placed {
            division,
            path: division.path_string(),
        }
    }
}

#[derive(Serialize)]
struct Shown<'h> {
    query: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    changes: Vec<CodeChange>,
    division: Placed<'h>,
    children: Vec<Division<'h>>,
}

fn show(source: &Source, code: &str, date: Option<NaiveDate>) -> Result<()> {
    let hierarchy = source.load()?;
    let parsed = Code::parse(code)?;
    let resolution = hierarchy.resolve(parsed, date.unwrap_or(NaiveDate::MAX))?;
    let division = resolution.division;
    if source.json {
        return print_json(&Shown {
            query: code.trim().to_owned(),
            changes: resolution.steps,
            division: division.into(),
            children: division.children().collect(),
        });
    }
    for change in &resolution.steps {
        let new_name = hierarchy.get(change.new).map_or("", Division::name);
        println!(
            "{} became {} {} on {} ({}){}",
            change.old,
            change.new,
            new_name,
            change.date,
            change.kind.as_str(),
            if change.note.is_empty() {
                String::new()
            } else {
                format!(": {}", change.note)
            }
        );
    }
    if !resolution.steps.is_empty() {
        println!();
    }
    let mut table = Table::new(&[("", Align::Left), ("", Align::Left)]);
    table.row(vec!["code".into(), division.code().to_string()]);
    table.row(vec!["name".into(), division.name().to_owned()]);
    table.row(vec![
        "level".into(),
        format!("{} ({})", division.level(), division.level().chinese()),
    ]);
    if division.is_grouping() {
        table.row(vec!["kind".into(), "grouping (not a government)".into()]);
    }
    table.row(vec!["path".into(), division.path_string()]);
    table.row(vec!["padded".into(), format!("{:#}", division.code())]);
    let children: Vec<Division<'_>> = division.children().collect();
    table.row(vec!["children".into(), thousands(children.len())]);
    print!("{}", table.render().trim_start_matches('\n'));
    if !children.is_empty() {
        println!();
        let mut list = Table::new(&[
            ("code", Align::Left),
            ("name", Align::Left),
            ("below", Align::Right),
        ]);
        for child in children {
            list.row(vec![
                child.code().to_string(),
                child.name().to_owned(),
                thousands(child.subtree().len() - 1),
            ]);
        }
        print!("{}", list.render());
    }
    Ok(())
}

fn find(
    source: &Source,
    name: &str,
    prefix: bool,
    level: Option<Level>,
    within: Option<&str>,
) -> Result<()> {
    let hierarchy = source.load()?;
    let within = within.map(|code| hierarchy.lookup(code)).transpose()?;
    let found = if prefix {
        hierarchy.find_prefix(name)
    } else {
        hierarchy.find(name)
    };
    let found: Vec<Division<'_>> = found
        .into_iter()
        .filter(|d| level.is_none_or(|l| d.level() == l))
        .filter(|d| within.is_none_or(|w| w.contains(*d)))
        .collect();
    if source.json {
        #[derive(Serialize)]
        struct Found<'h> {
            matches: Vec<Placed<'h>>,
        }
        return print_json(&Found {
            matches: found.into_iter().map(Placed::from).collect(),
        });
    }
    if found.is_empty() {
        println!(
            "No division is named {name:?}{}.",
            if prefix { "…" } else { "" }
        );
        return Ok(());
    }
    let mut table = Table::new(&[
        ("code", Align::Left),
        ("level", Align::Left),
        ("path", Align::Left),
    ]);
    for division in &found {
        table.row(vec![
            division.code().to_string(),
            division.level().to_string(),
            division.path_string(),
        ]);
    }
    print!("{}", table.render());
    println!(
        "{} match{}",
        thousands(found.len()),
        if found.len() == 1 { "" } else { "es" }
    );
    Ok(())
}

/// A subtree, for JSON.
#[derive(Serialize)]
struct Node<'h> {
    #[serde(flatten)]
    division: Division<'h>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<Node<'h>>,
}

fn node(division: Division<'_>, depth: usize) -> Node<'_> {
    Node {
        division,
        children: if depth == 0 {
            Vec::new()
        } else {
            division.children().map(|c| node(c, depth - 1)).collect()
        },
    }
}

fn tree(source: &Source, code: &str, depth: usize) -> Result<()> {
    let hierarchy = source.load()?;
    let root = hierarchy.lookup(code)?;
    if source.json {
        #[derive(Serialize)]
        struct Tree<'h> {
            root: Node<'h>,
        }
        return print_json(&Tree {
            root: node(root, depth),
        });
    }
    println!("{root}");
    let mut out = String::new();
    draw(root, depth, "", &mut out);
    print!("{out}");
    Ok(())
}

fn draw(division: Division<'_>, depth: usize, indent: &str, out: &mut String) {
    if depth == 0 {
        return;
    }
    let children: Vec<Division<'_>> = division.children().collect();
    let last = children.len().saturating_sub(1);
    for (i, child) in children.into_iter().enumerate() {
        let (branch, next) = if i == last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        out.push_str(indent);
        out.push_str(branch);
        out.push_str(&child.to_string());
        if depth == 1 && child.children().next().is_some() {
            let _ = write!(out, " ({} below)", thousands(child.subtree().len() - 1));
        }
        out.push('\n');
        draw(child, depth - 1, &format!("{indent}{next}"), out);
    }
}
