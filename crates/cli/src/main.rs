//! `coffer`: the command-line interface to Coffer's seed vault. See docs/cli.md for the contract.

mod cli;
mod commands;
mod error;
mod input;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything can read a secret: no core dumps, no ptrace by other processes of this user.
    let _ = coffer_core::process::disable_core_dumps();
    install_panic_hook();
    let args = cli::Cli::parse();
    let json = args.json();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report(json);
            ExitCode::from(err.code())
        }
    }
}

/// A panic is a bug. Print where it happened and nothing else: a panic message could carry data we never want on
/// a terminal or in a log.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map_or_else(|| "unknown".to_owned(), |l| format!("{}:{}", l.file(), l.line()));
        eprintln!("coffer: internal error at {location} (this is a bug; please report it)");
    }));
}
