//! One module per command; `run` dispatches.

mod address;
mod balance;
mod chains;
mod contact;
mod discover;
mod doctor;
mod init;
#[cfg(all(test, target_os = "linux"))]
mod json_memory;
mod keyring;
mod log;
mod migrate;
mod mnemonic;
mod online;
mod passwd;
mod receive;
mod seed;
mod seen;
mod send;
mod sign;
mod vault;

use crate::cli::{
    Cli, Command, ContactCommand, KeyringCommand, MigrateCommand, MnemonicCommand, SeedCommand, VaultCommand,
};
use crate::error::CliError;
pub use balance::target as balance_target;
pub use discover::targets as discover_targets;
pub use migrate::online_target as migrate_online_target;
pub use online::target as online_target;
pub use seen::dir as seen_dir;
pub use send::online_target as send_online_target;
pub use vault::path as vault_path;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let g = &cli.global;
    match cli.command {
        Command::Address(args) => address::run(g, &args),
        Command::Mnemonic(m) => match m.command {
            MnemonicCommand::New(args) => mnemonic::new(g, &args),
            MnemonicCommand::Check(args) => mnemonic::check(g, &args),
        },
        Command::Chains(_) => chains::run(g),
        Command::Init(args) => init::run(g, &args),
        Command::Seed(s) => match s.command {
            SeedCommand::Add(args) => seed::add(g, &args),
            SeedCommand::List => seed::list(g),
            SeedCommand::Rename(args) => seed::rename(g, &args),
            SeedCommand::Remove(args) => seed::remove(g, &args),
            SeedCommand::Verify(args) => seed::verify(g, &args),
        },
        Command::Passwd(args) => passwd::run(g, &args),
        Command::Contact(c) => match c.command {
            ContactCommand::List(args) => contact::list(g, &args),
            ContactCommand::Add(args) => contact::add(g, &args),
            ContactCommand::Remove(args) => contact::remove(g, &args),
        },
        Command::Vault(v) => match v.command {
            VaultCommand::Move(args) => vault::move_to(g, &args),
        },
        Command::Info(_) => vault::info(g),
        Command::Doctor => doctor::run(g),
        Command::Sign(args) => sign::run(g, &args),
        Command::Log(args) => log::run(g, &args),
        Command::Keyring(k) => match k.command {
            KeyringCommand::Enable => keyring::enable(g),
            KeyringCommand::Disable => keyring::disable(g),
            KeyringCommand::Status => keyring::status(g),
        },
        Command::Migrate(m) => match m.command {
            MigrateCommand::Compromised(args) => migrate::compromised(g, &args),
            MigrateCommand::Start(args) => migrate::start(g, &args),
            MigrateCommand::Verify(args) => migrate::verify(g, &args),
            MigrateCommand::Plan(args) => migrate::plan(g, &args),
            MigrateCommand::Sweep(args) => migrate::sweep(g, &args),
            MigrateCommand::Status(args) => migrate::status(g, &args),
            MigrateCommand::Report(args) => migrate::report(g, &args),
        },
        Command::Balance(args) => balance::run(g, &args),
        Command::Broadcast(args) => online::broadcast(g, &args),
        Command::History(args) => online::history(g, &args),
        Command::Watch(args) => online::watch(g, &args),
        Command::Send(args) => send::run(g, &args),
        Command::Discover(args) => discover::run(g, &args),
        Command::Receive(args) => receive::run(g, &args),
    }
}
