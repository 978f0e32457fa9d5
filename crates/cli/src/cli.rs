//! Command-line definitions. Every secret comes from a file or standard input, never from an argument.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Coffer: a native seed vault. Derives ed25519 accounts for IOTA, Sui, Solana and Stellar from BIP39 seeds.
#[derive(Debug, Parser)]
#[command(name = "coffer", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the user asked for JSON output (errors then go to standard error as JSON too).
    pub fn json(&self) -> bool {
        match &self.command {
            Command::Address(a) => a.json,
            Command::Mnemonic(m) => match &m.command {
                MnemonicCommand::New(n) => n.json,
                MnemonicCommand::Check(c) => c.json,
            },
            Command::Chains(c) => c.json,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Derive addresses and public keys from a mnemonic.
    Address(AddressArgs),
    /// Create or check BIP39 mnemonics.
    Mnemonic(MnemonicArgs),
    /// List the supported chains with their derivation paths and address formats.
    Chains(ChainsArgs),
}

#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Chain: iota, sui, iota-stardust, solana, stellar or raw.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// Account number (the third path level).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub account: u32,
    /// Address index (iota, sui, iota-stardust only; solana and stellar have no index level).
    #[arg(long, value_name = "N")]
    pub index: Option<u32>,
    /// How many consecutive addresses to list: indices from --index, or for solana and stellar accounts from
    /// --account.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub count: u32,
    /// An explicit hardened path such as m/44'/4218'/0'/0'/0' (required for raw).
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// File whose first line is the mnemonic and optional second line the BIP39 passphrase; `-` reads standard
    /// input.
    #[arg(long, value_name = "FILE")]
    pub mnemonic_file: PathBuf,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MnemonicArgs {
    #[command(subcommand)]
    pub command: MnemonicCommand,
}

#[derive(Debug, Subcommand)]
pub enum MnemonicCommand {
    /// Print a fresh mnemonic from the operating system's random number generator.
    New(MnemonicNewArgs),
    /// Check a mnemonic's words and checksum without printing it.
    Check(MnemonicCheckArgs),
}

#[derive(Debug, Args)]
pub struct MnemonicNewArgs {
    /// Number of words: 12, 15, 18, 21 or 24.
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub words: usize,
    /// Word list: english (default), chinese-simplified, chinese-traditional, czech, french, italian, japanese,
    /// korean, portuguese or spanish.
    #[arg(long, value_name = "LANGUAGE", default_value = "english")]
    pub language: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MnemonicCheckArgs {
    /// File whose first line is the mnemonic; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub mnemonic_file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChainsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
