//! Command-line definitions. Every secret comes from a file or standard input, never from an argument.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Coffer: a native seed vault. Derives ed25519 accounts for IOTA, Sui, Solana and Stellar from BIP39 seeds.
#[derive(Debug, Parser)]
#[command(name = "coffer", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

/// Options every command accepts, before or after the command name.
#[derive(Debug, Args)]
pub struct Global {
    /// Print JSON on standard output (and errors as JSON on standard error).
    #[arg(long, global = true)]
    pub json: bool,
    /// The vault file. Default: $COFFER_VAULT, else the platform data directory (Linux:
    /// $XDG_DATA_HOME/coffer/vault.coffer or ~/.local/share/coffer/vault.coffer).
    #[arg(long, global = true, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the vault password from the first line of FILE (`-` = standard input) instead of the terminal.
    #[arg(long, global = true, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

impl Cli {
    /// Whether the user asked for JSON output.
    pub fn json(&self) -> bool {
        self.global.json
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Derive addresses and public keys from a mnemonic or a seed in the vault.
    Address(AddressArgs),
    /// Create or check BIP39 mnemonics.
    Mnemonic(MnemonicArgs),
    /// List the supported chains with their derivation paths and address formats.
    Chains(ChainsArgs),
    /// Create a vault holding a fresh or imported seed.
    Init(InitArgs),
    /// Manage the seeds in the vault.
    Seed(SeedArgs),
    /// Change the vault password.
    Passwd(PasswdArgs),
    /// Show the vault's format version and key-derivation settings (no password needed).
    Info(InfoArgs),
    /// Report the process protections: sandbox, core dumps, memory locking.
    Doctor,
    /// Decode, show and sign a transaction or message with a seed in the vault.
    Sign(SignArgs),
    /// List the signing log and verify its hash chain.
    Log,
    /// Quick unlock: keep a device key in the OS keyring so the vault opens without its password.
    Keyring(KeyringArgs),
}

/// Where a new seed comes from and how strong the key derivation is.
#[derive(Debug, Args)]
pub struct NewSeedArgs {
    /// Number of words of a fresh mnemonic: 12, 15, 18, 21 or 24.
    #[arg(long, value_name = "N", default_value_t = 24, conflicts_with = "import_mnemonic_file")]
    pub words: usize,
    /// Import this mnemonic (first line) and optional BIP39 passphrase (second line) instead of making a fresh one;
    /// `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub import_mnemonic_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Label of the first seed.
    #[arg(long, value_name = "LABEL", default_value = "main")]
    pub label: String,
    #[command(flatten)]
    pub seed: NewSeedArgs,
    #[command(flatten)]
    pub kdf: KdfArgs,
}

/// Key-derivation strength. By default Coffer calibrates Argon2id (256 MiB, both cores) so that unlocking takes
/// about one second on this machine; these choose stronger settings.
#[derive(Debug, Args)]
pub struct KdfArgs {
    /// Argon2id memory in MiB (at least 256, at most 4096).
    #[arg(long, value_name = "MIB")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id passes (at least 2; default: calibrated to about one second).
    #[arg(long, value_name = "N")]
    pub kdf_passes: Option<u32>,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(subcommand)]
    pub command: SeedCommand,
}

#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Add a fresh or imported seed to the vault.
    Add(SeedAddArgs),
    /// List the seeds: label, creation time and flags (never their words).
    List,
    /// Rename a seed.
    Rename(SeedRenameArgs),
    /// Remove a seed from the vault (asks to confirm unless --yes).
    Remove(SeedRemoveArgs),
    /// Check that a written-down mnemonic matches a stored seed, without showing the seed.
    Verify(SeedVerifyArgs),
}

#[derive(Debug, Args)]
pub struct SeedAddArgs {
    /// Label of the new seed (unique in the vault).
    #[arg(long, value_name = "LABEL")]
    pub label: String,
    #[command(flatten)]
    pub seed: NewSeedArgs,
}

#[derive(Debug, Args)]
pub struct SeedRenameArgs {
    /// Current label.
    pub label: String,
    /// New label.
    pub new_label: String,
}

#[derive(Debug, Args)]
pub struct SeedRemoveArgs {
    /// Label of the seed to remove.
    pub label: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct SeedVerifyArgs {
    /// Label of the stored seed.
    pub label: String,
    /// The written-down mnemonic (first line) and passphrase (second line); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub mnemonic_file: PathBuf,
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new password from the first line of FILE (`-` = standard input) instead of the terminal.
    #[arg(long, value_name = "FILE")]
    pub new_password_file: Option<PathBuf>,
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Debug, Args)]
pub struct InfoArgs {}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["tx_file", "message_file", "batch"])))]
pub struct SignArgs {
    /// Chain: iota, sui, solana, stellar or raw.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// The seed in the vault whose key signs.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// Account number on the chain's standard path.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub account: u32,
    /// Address index (iota and sui only).
    #[arg(long, value_name = "N")]
    pub index: Option<u32>,
    /// An explicit hardened path instead of the standard one (required for raw).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["index"])]
    pub path: Option<String>,
    /// The unsigned transaction as the chain's tools print it (base64; Solana also base58); `-` = standard input.
    #[arg(long, value_name = "FILE")]
    pub tx_file: Option<PathBuf>,
    /// A message to sign (iota/sui personal message, or raw bytes); `-` = standard input.
    #[arg(long, value_name = "FILE")]
    pub message_file: Option<PathBuf>,
    /// Sign every transaction in FILE, one per line, after a single unlock; `-` = standard input.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// Stellar network: public, testnet, futurenet, or a full network passphrase.
    #[arg(long, value_name = "NET")]
    pub network: Option<String>,
    /// Consent to signing content Coffer cannot decode (blind signing).
    #[arg(long)]
    pub allow_blind: bool,
    /// Do not ask for confirmation (the summary is still printed on standard error).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct KeyringArgs {
    #[command(subcommand)]
    pub command: KeyringCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeyringCommand {
    /// Turn quick unlock on for this vault (needs the password).
    ///
    /// Stores a random device key in the OS keyring and adds a key slot for it to the vault. Anyone who can run
    /// programs as you, or read your unlocked keyring, can then open the vault without its password.
    Enable,
    /// Turn quick unlock off: remove the vault's device slot and its keyring entry.
    Disable,
    /// Show whether quick unlock is on, and whether the keyring answers and holds the entry (no password needed).
    Status,
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
    #[arg(long, value_name = "FILE", required_unless_present = "seed", conflicts_with = "seed")]
    pub mnemonic_file: Option<PathBuf>,
    /// Derive from this seed in the vault instead of a mnemonic file.
    #[arg(long, value_name = "LABEL")]
    pub seed: Option<String>,
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
}

#[derive(Debug, Args)]
pub struct MnemonicCheckArgs {
    /// File whose first line is the mnemonic; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub mnemonic_file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ChainsArgs {}
