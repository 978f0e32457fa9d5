//! One module per command; `run` dispatches.

mod address;
mod chains;
mod mnemonic;

use crate::cli::{Cli, Command, MnemonicCommand};
use crate::error::CliError;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Address(args) => address::run(&args),
        Command::Mnemonic(m) => match m.command {
            MnemonicCommand::New(args) => mnemonic::new(&args),
            MnemonicCommand::Check(args) => mnemonic::check(&args),
        },
        Command::Chains(args) => chains::run(&args),
    }
}
