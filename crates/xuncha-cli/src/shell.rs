//! `xuncha completions` and `xuncha man`: shell completions and man pages
//! generated from the command's own clap definitions, so they never fall
//! behind the options.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

/// A shell to complete for.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Shell {
    /// bash (source the output, or put it in
    /// `/usr/share/bash-completion/completions/xuncha`).
    Bash,
    /// zsh (put the output in a directory of `$fpath` as `_xuncha`).
    Zsh,
    /// fish (put the output in `~/.config/fish/completions/xuncha.fish`).
    Fish,
    /// `PowerShell` (dot-source the output from the profile).
    Powershell,
}

/// `xuncha completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha completions bash > xuncha.bash && source xuncha.bash\n  xuncha completions zsh > _xuncha   # a file for a folder on $fpath"
)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

/// `xuncha man`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  xuncha man > xuncha.1   # read it with: man -l xuncha.1\n  xuncha man --out man/   # xuncha.1, xuncha-plan.1, xuncha-leads-add.1, ..."
)]
pub(crate) struct ManArgs {
    /// Write one page per command and subcommand into this folder
    /// (`xuncha.1`, `xuncha-leads-add.1`, ...) instead of printing the
    /// top page.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script for `args.shell`.
pub(crate) fn completions(args: &CompletionsArgs, mut command: clap::Command) {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, &mut command, "xuncha", &mut std::io::stdout());
}

/// Prints the top man page, or writes every page into `args.out`.
pub(crate) fn man(args: &ManArgs, command: clap::Command) -> Result<()> {
    let command = command.version(env!("CARGO_PKG_VERSION"));
    match &args.out {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(command)
                .render(&mut out)
                .context("writing the man page")
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let mut written = 0usize;
            write_pages(dir, command, "xuncha", &mut written)?;
            println!("wrote {written} man pages to {}", dir.display());
            Ok(())
        }
    }
}

/// Writes the page of `command` (named `name`) and those of its
/// subcommands (`name-sub`), depth first.
fn write_pages(dir: &Path, command: clap::Command, name: &str, written: &mut usize) -> Result<()> {
    let subcommands: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .cloned()
        .collect();
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .title(name.to_owned())
        .render(&mut page)
        .context("rendering a man page")?;
    let path = dir.join(format!("{name}.1"));
    crate::inputs::write(&path, &page)?;
    *written += 1;
    for sub in subcommands {
        let sub_name = format!("{name}-{}", sub.get_name());
        write_pages(dir, sub, &sub_name, written)?;
    }
    Ok(())
}
