//! `coffer`: the command-line interface to Coffer's seed vault. See docs/cli.md for the contract.

mod cli;
mod commands;
mod error;
mod input;
mod net;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Before anything can read a secret: no core dumps, no ptrace by other processes of this user.
    let _ = coffer_core::process::disable_core_dumps();
    install_panic_hook();
    let args = cli::Cli::parse();
    let json = args.json();
    // Before the sandbox (a child inherits it, and it forbids TCP) and before any secret is read: the network
    // process for a command that needs one.
    start_network(&args);
    // Before any worker thread exists (Argon2's start with the first unlock): give up networking and writes
    // outside the vault's directory. `coffer doctor` shows the result.
    let _ = SANDBOX.set(apply_sandbox(&args));
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report(json);
            ExitCode::from(err.code())
        }
    }
}

/// What the sandbox achieved, for `coffer doctor`.
pub static SANDBOX: std::sync::OnceLock<coffer_core::sandbox::SandboxReport> = std::sync::OnceLock::new();

/// The directories this command may write to: the vault's (created first for `init`), nothing else.
fn apply_sandbox(args: &cli::Cli) -> coffer_core::sandbox::SandboxReport {
    use cli::Command;
    let uses_vault = match &args.command {
        Command::Address(a) => a.seed.is_some(),
        Command::Balance(b) => b.seed.is_some(),
        Command::Init(_)
        | Command::Seed(_)
        | Command::Passwd(_)
        | Command::Sign(_)
        | Command::Log
        | Command::Keyring(_)
        | Command::Migrate(_) => true,
        Command::Mnemonic(_) | Command::Chains(_) | Command::Info(_) | Command::Doctor => false,
    };
    let mut writable = Vec::new();
    if uses_vault && let Ok(path) = commands::vault_path(&args.global) {
        let dir = coffer_core::sandbox::parent_dirs(&[&path]).remove(0);
        if matches!(args.command, Command::Init(_)) {
            // The vault's directory must exist before the sandbox can name it. Private, like the vault.
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            let _ = b.create(&dir);
        }
        writable.push(dir);
    }
    coffer_core::sandbox::restrict(&writable)
}

/// Starts coffer-net when the command talks to a network (see `net`); argument errors are reported by the command.
fn start_network(args: &cli::Cli) {
    if let cli::Command::Balance(b) = &args.command
        && let Ok((_, chain, network)) = commands::balance_target(b)
    {
        net::start(chain, network, b.endpoint.as_deref());
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
