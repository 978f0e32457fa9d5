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
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return usage_error(&e),
    };
    let json = args.json();
    // Before the sandbox (a child inherits it, and it forbids TCP) and before any secret is read: the network
    // process for a command that needs one.
    start_network(&args);
    // Before any worker thread exists (Argon2's start with the first unlock): give up networking and writes
    // outside the vault's directory. `coffer doctor` shows the result. `init` applies it itself once its input is
    // read and checked (`sandbox_for_init`): the vault's directory must exist first, and bad input must not leave
    // an empty directory behind.
    if !matches!(args.command, cli::Command::Init(_)) {
        let _ = SANDBOX.set(apply_sandbox(&args));
    }
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report(json);
            ExitCode::from(err.code())
        }
    }
}

/// The argument parser refused the command line (exit 2). Help and version go to standard output as usual; with
/// `--json` anywhere before `--` the error is the JSON error object (kind `usage`), like every other error.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || !std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json")
    {
        e.exit();
    }
    // The parser's message without its usage and help hints, on one line.
    let text = e.render().to_string();
    let message = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.trim_start_matches("error: ");
    let err = error::CliError::new(error::code::USAGE, "usage", message);
    err.report(true);
    ExitCode::from(err.code())
}

/// `init`'s sandbox: makes the vault's directory (private, like the vault), then applies the sandbox.
pub fn sandbox_for_init(path: &std::path::Path) {
    let dir = coffer_core::sandbox::parent_dirs(&[path]).remove(0);
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    let _ = b.create(&dir);
    let mut writable = vec![dir];
    // The new vault's state is recorded as the last seen (rollback warnings).
    if let Some(seen) = commands::seen_dir() {
        let _ = b.create(&seen);
        writable.push(seen);
    }
    let _ = SANDBOX.set(coffer_core::sandbox::restrict(&writable));
}

/// What the sandbox achieved, for `coffer doctor`.
pub static SANDBOX: std::sync::OnceLock<coffer_core::sandbox::SandboxReport> = std::sync::OnceLock::new();

/// The directories this command may write to: the vault's, nothing else.
fn apply_sandbox(args: &cli::Cli) -> coffer_core::sandbox::SandboxReport {
    use cli::Command;
    let uses_vault = match &args.command {
        Command::Address(a) => a.seed.is_some(),
        Command::Balance(b) => b.seed.is_some(),
        Command::History(h) => h.seed.is_some(),
        Command::Watch(_) | Command::Discover(_) | Command::Receive(_) => true,
        Command::Broadcast(b) => b.from.is_some(),
        Command::Init(_)
        | Command::Send(_)
        | Command::Seed(_)
        | Command::Passwd(_)
        | Command::Sign(_)
        | Command::Log(_)
        | Command::Keyring(_)
        | Command::Contact(_)
        | Command::Vault(_)
        | Command::Migrate(_) => true,
        Command::Mnemonic(_) | Command::Chains(_) | Command::Info(_) | Command::Doctor => false,
    };
    let mut writable = Vec::new();
    if uses_vault && let Ok(path) = commands::vault_path(&args.global) {
        // A symbolic link at the vault path: the vault is saved beside its target (the core resolves it too).
        let path = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(&path).unwrap_or(path),
            _ => path,
        };
        writable.push(coffer_core::sandbox::parent_dirs(&[&path]).remove(0));
    }
    // The state last seen of each vault (rollback warnings) is recorded in the config directory.
    if uses_vault && let Some(seen) = commands::seen_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        let _ = b.create(&seen);
        writable.push(seen);
    }
    // `coffer vault move --to DIR` writes into DIR, made now (private) so that the sandbox can name it.
    if let Command::Vault(cli::VaultArgs { command: cli::VaultCommand::Move(m) }) = &args.command {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        let _ = b.create(&m.to);
        writable.push(m.to.clone());
    }
    // `coffer log --export FILE` writes FILE.
    if let Command::Log(cli::LogArgs { export: Some(file) }) = &args.command {
        writable.extend(coffer_core::sandbox::parent_dirs(&[file.as_path()]));
    }
    coffer_core::sandbox::restrict(&writable)
}

/// Starts coffer-net when the command talks to a network (see `net`); argument errors are reported by the command.
fn start_network(args: &cli::Cli) {
    use cli::Command;
    let (name, flags) = match &args.command {
        Command::Balance(b) => {
            if let Ok((_, chain, network)) = commands::balance_target(b) {
                net::start(chain, network, b.endpoint.as_deref());
            }
            return;
        }
        Command::Migrate(cli::MigrateArgs { command: cli::MigrateCommand::Sweep(s) }) if s.online => {
            if let Ok((_, chain, network)) = commands::migrate_online_target(s) {
                net::start(chain, network, s.endpoint.as_deref());
            }
            return;
        }
        Command::Send(s) if s.online => {
            if let Ok((_, chain, network)) = commands::send_online_target(s) {
                net::start(chain, network, s.endpoint.as_deref());
            }
            return;
        }
        Command::Discover(d) => {
            if let Ok(targets) = commands::discover_targets(d)
                && let Some((_, chain, network)) = targets.first()
            {
                net::start(*chain, *network, d.endpoint.as_deref());
            }
            return;
        }
        Command::Broadcast(b) => ("broadcast", &b.net),
        Command::History(h) => ("history", &h.net),
        Command::Watch(w) => ("watch", &w.net),
        _ => return,
    };
    if let Ok((_, chain, network)) = commands::online_target(name, flags) {
        net::start(chain, network, flags.endpoint.as_deref());
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
