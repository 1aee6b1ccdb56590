//! `xuncha`: plan and check cross inspections (交叉巡察) from the shell.
//!
//! The binary parses arguments, reads files and prints; every domain answer
//! comes from the library crates.

mod org;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Plan and check cross inspections (交叉巡察) in Chinese local government.
#[derive(Debug, Parser)]
#[command(name = "xuncha", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  xuncha org summary\n  xuncha org show 350681\n  xuncha org find 城关镇 --divisions ../shared/data/divisions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Divisions and codes: counts, one division, search by name, a subtree.
    #[command(subcommand)]
    Org(org::OrgCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Org(command) => org::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
