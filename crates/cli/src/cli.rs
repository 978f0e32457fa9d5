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
    /// Run the vault's key derivation even if its header asks for far more work than the policy (a swapped or
    /// hostile file can stall an unlock for minutes this way). Without it such a vault is refused with
    /// `vault_expensive_kdf` and the estimate.
    #[arg(long, global = true)]
    pub allow_expensive_kdf: bool,
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
    /// The address book: labelled recipients per chain, stored encrypted in the vault.
    Contact(ContactArgs),
    /// Manage the vault file itself: move it (with its backup, log archive and lock) to another directory.
    Vault(VaultArgs),
    /// Show the vault's format version and key-derivation settings (no password needed).
    Info(InfoArgs),
    /// Report the process protections: sandbox, core dumps, memory locking.
    Doctor,
    /// Decode, show and sign a transaction or message with a seed in the vault.
    Sign(SignArgs),
    /// List the signing log and verify its hash chain (archived entries included).
    Log(LogArgs),
    /// Quick unlock: keep a device key in the OS keyring so the vault opens without its password.
    Keyring(KeyringArgs),
    /// Move the funds of a compromised seed to a fresh one: mark, start, verify, plan, sweep, report.
    Migrate(MigrateArgs),
    /// Show what an address holds (native balance, token accounts, Stellar trustlines), asked through the network
    /// process coffer-net; this process opens no socket.
    Balance(BalanceArgs),
    /// Broadcast a signed transaction through coffer-net and print its id; --wait for its confirmation.
    Broadcast(BroadcastArgs),
    /// The recent transactions of an address, each marked whether this vault signed it (its signing log).
    History(HistoryArgs),
    /// Watch a seed's addresses: one JSON line per new outgoing transaction, an alert (exit 9) for one this
    /// vault did not sign.
    Watch(WatchArgs),
    /// Build, show, confirm and sign a payment of a coin or token from a seed's account; offline from a holdings
    /// file, or --online through coffer-net (and --broadcast it).
    Send(Box<SendArgs>),
    /// Find which accounts of a seed have ever been used (any history or balance), per chain: a gap scan through
    /// coffer-net.
    Discover(DiscoverArgs),
    /// A seed's receive address, with a payment-request URI (Solana Pay, SEP-7) for an amount where the chain has
    /// one. Offline.
    Receive(ReceiveArgs),
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// The seed whose accounts are scanned.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// One chain (solana, sui, iota, stellar); default: all four.
    #[arg(long, value_name = "CHAIN")]
    pub chain: Option<String>,
    /// Stop after this many unused accounts in a row (1 is BIP-44's rule), 1 to 100.
    #[arg(long, value_name = "N", default_value_t = coffer_core::discover::DEFAULT_GAP)]
    pub gap: u32,
    /// Start the scan at this account (accounts below it are not asked about): 5 looks past a migration plan's
    /// accounts 0-4, so that unused accounts among them do not end the scan before it looks further.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub first_account: u32,
    /// Network: mainnet (stellar: public), testnet, devnet, or localnet (needs --endpoint).
    #[arg(long, value_name = "NETWORK", default_value = "mainnet")]
    pub network: String,
    /// Ask this endpoint instead of the built-in one (needs --chain).
    #[arg(long, value_name = "URL", requires = "chain")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReceiveArgs {
    /// The seed to receive on.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// The chain.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// Account number.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub account: u32,
    /// The amount to request, in the coin's units (1.5 = 1.5 SOL).
    #[arg(long, value_name = "X")]
    pub amount: Option<String>,
    /// Stellar: the network the request is for (public or testnet; testnet adds its passphrase to the URI).
    #[arg(long, value_name = "NETWORK", default_value = "public")]
    pub network: String,
}

/// The network options shared by the commands that use coffer-net.
#[derive(Debug, Args)]
pub struct NetArgs {
    /// Chain: solana; sui; iota; stellar (broadcast, history, watch).
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// Network: mainnet, testnet, devnet, or localnet (your own validator; needs --endpoint).
    #[arg(long, value_name = "NETWORK", default_value = "mainnet")]
    pub network: String,
    /// Ask this endpoint instead of the built-in one (https, or http to this machine only).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Args)]
pub struct BroadcastArgs {
    #[command(flatten)]
    pub net: NetArgs,
    /// The signed transaction (base64, as `coffer sign` prints it); `-` = standard input. IOTA and Sui: the
    /// transaction data (base64 BCS), with its signatures in --signature.
    #[arg(long, value_name = "FILE")]
    pub tx_file: PathBuf,
    /// IOTA and Sui: a signature of the transaction (base64 `flag ‖ signature ‖ public key`, as `coffer sign`
    /// prints it); repeat for a sponsored transaction.
    #[arg(long, value_name = "SIGNATURE")]
    pub signature: Vec<String>,
    /// Wait until the transaction is confirmed (or finalized), failed, or --timeout passed.
    #[arg(long)]
    pub wait: bool,
    /// Seconds --wait waits at most.
    #[arg(long, value_name = "SECS", default_value_t = 60, requires = "wait")]
    pub timeout: u64,
    /// A signed sweep of the migration from this seed (`coffer migrate sweep` offline): opens the vault, checks that
    /// the transaction is one of the migration's receipts before sending it, and records in the vault that it was
    /// sent and (with --wait) confirmed, as `migrate sweep --online` does.
    #[arg(long, value_name = "OLD")]
    pub from: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["seed", "address"])))]
pub struct HistoryArgs {
    #[command(flatten)]
    pub net: NetArgs,
    /// The account of this seed in the vault; entries are marked `signed_here` from the vault's signing log.
    #[arg(long, value_name = "LABEL")]
    pub seed: Option<String>,
    /// Account number of --seed.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "seed")]
    pub account: u32,
    /// Any address of the chain (no vault needed; entries are not marked).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// How many recent transactions, 1 to 1000.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub net: NetArgs,
    /// The seed whose addresses are watched.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// Account numbers of --seed to watch (repeat the flag or separate with commas). Default: 0.
    #[arg(long, value_name = "N", value_delimiter = ',', default_values_t = [0u32])]
    pub account: Vec<u32>,
    /// How many recent transactions of each address each check looks at, 1 to 1000.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: u32,
    /// Seconds between checks.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// Check once and exit.
    #[arg(long)]
    pub once: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["seed", "address"])))]
pub struct BalanceArgs {
    /// Chain: solana, stellar, iota or sui.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// The account of this seed in the vault (with --account).
    #[arg(long, value_name = "LABEL")]
    pub seed: Option<String>,
    /// Account number of --seed.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "seed")]
    pub account: u32,
    /// With --seed: the native balance of accounts 0 to COUNT-1 (1 to 100) in one scan, asked in as few requests
    /// as the chain's API allows (batched on Solana, IOTA and Sui; one request per account on Stellar).
    #[arg(long, value_name = "COUNT", requires = "seed", conflicts_with = "account",
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub accounts: Option<u32>,
    /// Any address of the chain (no vault needed).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// Network: mainnet, testnet, devnet, or localnet (your own validator; needs --endpoint). Stellar: public (or
    /// mainnet), testnet or localnet.
    #[arg(long, value_name = "NETWORK", default_value = "mainnet")]
    pub network: String,
    /// Ask this endpoint instead of the built-in one (https, or http to this machine only).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub command: MigrateCommand,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Mark a seed compromised (it then signs only guarded migration sweeps); --unmark needs the password again.
    Compromised(MigrateCompromisedArgs),
    /// Start a migration: make a fresh seed (its words are shown once) or choose a checked one, and set the backup
    /// check.
    Start(MigrateStartArgs),
    /// The backup check: re-enter the destination's words at the positions asked (from a file or the terminal).
    Verify(MigrateVerifyArgs),
    /// Show or extend the plan: old address -> new address per chain and account.
    Plan(MigratePlanArgs),
    /// Build (Stellar, Solana) or take (IOTA, Sui) a sweep, check it with the destination guard, sign it.
    Sweep(Box<MigrateSweepArgs>),
    /// Where the migration stands: seeds, backup check, rows by state, receipts.
    Status(MigrateFromArgs),
    /// The full report: plan, receipts with broadcast commands, manual steps.
    Report(MigrateFromArgs),
}

#[derive(Debug, Args)]
pub struct MigrateFromArgs {
    /// The compromised seed being migrated from.
    #[arg(long, value_name = "LABEL")]
    pub from: String,
}

#[derive(Debug, Args)]
pub struct MigrateCompromisedArgs {
    /// The seed.
    pub label: String,
    /// Remove the mark instead (the vault password is asked again, or re-read from --password-file).
    #[arg(long)]
    pub unmark: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["new_label", "to"])))]
pub struct MigrateStartArgs {
    /// The compromised seed to migrate from (mark it first with `coffer migrate compromised`).
    #[arg(long, value_name = "LABEL")]
    pub from: String,
    /// Make a fresh seed with this label as the destination.
    #[arg(long, value_name = "LABEL")]
    pub new_label: Option<String>,
    /// Number of words of the fresh seed: 12, 15, 18, 21 or 24.
    #[arg(long, value_name = "N", default_value_t = 24, requires = "new_label")]
    pub words: usize,
    /// Use this existing seed of the vault as the destination (not compromised; its backup must be checked).
    #[arg(long, value_name = "LABEL")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct MigrateVerifyArgs {
    /// The compromised seed being migrated from.
    #[arg(long, value_name = "LABEL")]
    pub from: String,
    /// The words at the positions asked, one per line, in the order asked (`-` = standard input). Without it,
    /// each word is asked on the terminal.
    #[arg(long, value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MigratePlanArgs {
    /// The compromised seed being migrated from.
    #[arg(long, value_name = "LABEL")]
    pub from: String,
    /// Add rows for this chain (repeatable): iota, sui, solana, stellar, or iota-stardust (listed as manual
    /// steps). Default on the first plan: iota, sui, solana and stellar.
    #[arg(long = "chain", value_name = "CHAIN")]
    pub chains: Vec<String>,
    /// First account of the rows to add.
    #[arg(long, value_name = "N")]
    pub first_account: Option<u32>,
    /// Number of accounts (default 5: accounts 0-4).
    #[arg(long, value_name = "N")]
    pub accounts: Option<u32>,
    /// Address indices per account for iota, sui and iota-stardust (default 1: index 0).
    #[arg(long, value_name = "N")]
    pub indices: Option<u32>,
}

#[derive(Debug, Args)]
pub struct MigrateSweepArgs {
    /// The compromised seed being migrated from.
    #[arg(long, value_name = "LABEL")]
    pub from: String,
    /// Chain: stellar, solana (Coffer builds the transaction), iota or sui (give --holdings or --tx-file).
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// The planned account to sweep (stellar, solana; iota and sui with --online).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub account: u32,
    /// Stellar: the old account's current sequence number (the transaction uses the next one).
    #[arg(long, value_name = "SEQ")]
    pub sequence: Option<String>,
    /// Fee: stroops for stellar, the whole transaction (default 100 per operation); lamports for solana, all in
    /// (default 5000, the signature fee; any excess is paid as a priority fee).
    #[arg(long, value_name = "N")]
    pub fee: Option<u64>,
    /// Stellar: whether the new account already exists on the network (`yes`: merge into it; `no`: create it with
    /// 1 XLM, then merge). Required for stellar: Coffer cannot look it up offline.
    #[arg(long, value_name = "yes|no", value_parser = ["yes", "no"])]
    pub destination_exists: Option<String>,
    /// Solana: a priority fee, as a compute-unit price in micro-lamports per unit (the sweep requests 1000 units:
    /// a price of 1000 costs 1 lamport). Instead of --fee.
    #[arg(long, value_name = "MICROLAMPORTS_PER_CU", conflicts_with = "fee")]
    pub priority_fee: Option<u64>,
    /// Stellar network: public, testnet, futurenet, or a full passphrase.
    #[arg(long, value_name = "NET")]
    pub network: Option<String>,
    /// Stellar: a trustline the old account still has, CODE:ISSUER (repeatable). Trustlines block the merge; they
    /// are recorded as manual steps.
    #[arg(long = "trustline", value_name = "CODE:ISSUER")]
    pub trustlines: Vec<String>,
    /// Solana: the old account's balance in lamports.
    #[arg(long, value_name = "LAMPORTS")]
    pub balance: Option<String>,
    /// Solana, Stellar: sweep everything the old address holds, as listed in this holdings file (JSON, docs/cli.md
    /// "Holdings file"); `-` = standard input. Solana: SOL, token accounts, stake and nonce authorities (instead of
    /// --balance and --fee). Stellar: every trustline, offer, data entry and claimable balance, then the merge
    /// (instead of the lone merge). IOTA, Sui: every coin and transferable object (instead of --tx-file).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["balance", "fee", "sequence", "destination_exists", "trustlines", "tx_file"]
    )]
    pub holdings: Option<PathBuf>,
    /// Solana, Stellar: fetch the holdings (and a blockhash or sequence number) through the network process
    /// coffer-net, build the complete sweep, sign it after the guard, broadcast each transaction and wait for its
    /// confirmation (--json: JSON lines of progress for solana). --network names the cluster for solana (mainnet,
    /// devnet, testnet, localnet; default mainnet) and is required for stellar (public, testnet, or a passphrase
    /// with --endpoint); solana's transactions use durable nonces instead of a blockhash with --nonce-account.
    /// IOTA, Sui: the holdings and the reference gas price, a dry run of each transaction before asking, then its
    /// execution (--network default mainnet).
    #[arg(
        long,
        conflicts_with_all = [
            "holdings", "balance", "fee", "blockhash", "nonce", "tx_file", "sequence",
            "destination_exists", "trustlines"
        ]
    )]
    pub online: bool,
    /// With --online: ask this endpoint instead of the built-in one (https, or http to this machine only).
    #[arg(long, value_name = "URL", requires = "online")]
    pub endpoint: Option<String>,
    /// With --online: seconds to wait for each transaction's confirmation.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
    /// Solana: a recent blockhash (base58).
    #[arg(long, value_name = "HASH", conflicts_with_all = ["nonce_account", "nonce"])]
    pub blockhash: Option<String>,
    /// Solana: a durable-nonce account (its authority must be the old account). Repeatable: a sweep of several
    /// transactions needs one per transaction, used in the order given. Offline each needs its --nonce (in the
    /// same order); with --online their current values are read from the network.
    #[arg(long = "nonce-account", value_name = "ADDRESS")]
    pub nonce_account: Vec<String>,
    /// Solana: the current value (base58) of the --nonce-account at the same position (repeatable).
    #[arg(long = "nonce", value_name = "HASH", requires = "nonce_account")]
    pub nonce: Vec<String>,
    /// IOTA, Sui: the unsigned TransactionData (base64), e.g. from `iota client pay-all-iota ...
    /// --serialize-unsigned-transaction`; `-` = standard input.
    #[arg(long, value_name = "FILE")]
    pub tx_file: Option<PathBuf>,
    /// Do not ask for confirmation (the summary is still printed on standard error).
    #[arg(long)]
    pub yes: bool,
    /// Stellar with --holdings or --online: the fee per operation in stroops (default and minimum 100).
    #[arg(long, value_name = "STROOPS", conflicts_with = "fee")]
    pub base_fee: Option<u32>,
    /// IOTA, Sui with --holdings or --online: the gas price, in nanos/MIST per computation unit (default 1000;
    /// online, the network's reference gas price when higher).
    #[arg(long, value_name = "N")]
    pub gas_price: Option<u64>,
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
    /// The second line of the mnemonic file really is a passphrase made of word-list words (without this, a
    /// passphrase line of three or more words of the mnemonic's word list is refused: it is usually the rest of
    /// a mnemonic written on two lines).
    #[arg(long, requires = "import_mnemonic_file")]
    pub passphrase_is_words: bool,
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
    /// The second line of the mnemonic file really is a passphrase made of word-list words (without this, a
    /// passphrase line of three or more words of the mnemonic's word list is refused: it is usually the rest of
    /// a mnemonic written on two lines).
    #[arg(long)]
    pub passphrase_is_words: bool,
}

#[derive(Debug, Args)]
pub struct ContactArgs {
    #[command(subcommand)]
    pub command: ContactCommand,
}

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// List the address book (optionally of one chain).
    List(ContactListArgs),
    /// Add a labelled recipient; the address is checked for its chain (format and checksum).
    Add(ContactAddArgs),
    /// Remove a recipient from the address book.
    Remove(ContactRemoveArgs),
}

#[derive(Debug, Args)]
pub struct ContactListArgs {
    /// Only this chain's entries.
    #[arg(long, value_name = "CHAIN")]
    pub chain: Option<String>,
}

#[derive(Debug, Args)]
pub struct ContactAddArgs {
    /// The recipient's label (unique per chain, also by look).
    pub label: String,
    /// Chain: iota, sui, iota-stardust, solana, stellar.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// The address, in the chain's format.
    #[arg(long, value_name = "ADDRESS")]
    pub address: String,
}

#[derive(Debug, Args)]
pub struct ContactRemoveArgs {
    /// The label of the entry to remove.
    pub label: String,
    /// The chain of the entry.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
}

#[derive(Debug, Args)]
pub struct VaultArgs {
    #[command(subcommand)]
    pub command: VaultCommand,
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Move the vault, its backup, its signing-log archive and its lock into another directory.
    Move(VaultMoveArgs),
}

#[derive(Debug, Args)]
pub struct VaultMoveArgs {
    /// The directory to move the vault into (created if missing); the file keeps its name.
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
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
pub struct LogArgs {
    /// Also write the whole log (archived and kept entries, one hash chain) as plain JSON to FILE (created with mode
    /// 0600; an existing file is not overwritten). It says what you signed: keep it private.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["tx_file", "message_file", "batch"])))]
pub struct SignArgs {
    /// Chain: iota, sui, solana, stellar or raw.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// The seed in the vault whose key signs.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// Account number on the chain's standard path. Default: 0.
    #[arg(long, value_name = "N")]
    pub account: Option<u32>,
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
    /// Account number (the third path level). Default: 0.
    #[arg(long, value_name = "N")]
    pub account: Option<u32>,
    /// Address index (iota, sui, iota-stardust only; solana and stellar have no index level).
    #[arg(long, value_name = "N")]
    pub index: Option<u32>,
    /// How many consecutive addresses to list: indices from --index, or for solana and stellar accounts from
    /// --account. Default: 1.
    #[arg(long, value_name = "N")]
    pub count: Option<u32>,
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
    /// The second line of the mnemonic file really is a passphrase made of word-list words (without this, a
    /// passphrase line of three or more words of the mnemonic's word list is refused: it is usually the rest of
    /// a mnemonic written on two lines).
    #[arg(long, requires = "mnemonic_file")]
    pub passphrase_is_words: bool,
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
    /// The second line of the mnemonic file really is a passphrase made of word-list words (without this, a
    /// passphrase line of three or more words of the mnemonic's word list is refused: it is usually the rest of
    /// a mnemonic written on two lines).
    #[arg(long)]
    pub passphrase_is_words: bool,
}

#[derive(Debug, Args)]
pub struct ChainsArgs {}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("inputs").required(true).args(["holdings", "online"])))]
pub struct SendArgs {
    /// The seed in the vault whose account pays.
    #[arg(long, value_name = "LABEL")]
    pub seed: String,
    /// Chain: solana, stellar, iota or sui.
    #[arg(long, value_name = "CHAIN")]
    pub chain: String,
    /// Account number on the chain's standard path.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub account: u32,
    /// The recipient's address (checked: Stellar StrKey checksum, Solana base58 of 32 bytes, IOTA/Sui 0x and 64
    /// hex digits).
    #[arg(long, value_name = "ADDRESS")]
    pub to: String,
    /// The amount in the coin's or token's units (1.5), or `max`: everything (the native coin: less the fee).
    #[arg(long, value_name = "AMOUNT|max")]
    pub amount: String,
    /// Stellar: a credit asset, CODE:ISSUER (default: XLM).
    #[arg(long, value_name = "CODE:ISSUER", conflicts_with_all = ["mint", "coin_type"])]
    pub asset: Option<String>,
    /// Solana: the token's mint, SPL Token or Token-2022 (default: SOL).
    #[arg(long, value_name = "MINT", conflicts_with = "coin_type")]
    pub mint: Option<String>,
    /// IOTA, Sui: the coin type, e.g. 0x…::usdc::USDC (default: the native coin).
    #[arg(long, value_name = "TYPE")]
    pub coin_type: Option<String>,
    /// IOTA, Sui offline: the token's decimals (online: from its coin metadata).
    #[arg(long, value_name = "N", requires = "coin_type")]
    pub decimals: Option<u8>,
    /// Stellar: a text memo (at most 28 bytes).
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["memo_id", "memo_hash"])]
    pub memo: Option<String>,
    /// Stellar: an id memo (a 64-bit number).
    #[arg(long, value_name = "N", conflicts_with = "memo_hash")]
    pub memo_id: Option<String>,
    /// Stellar: a hash memo (64 hex digits).
    #[arg(long, value_name = "HEX")]
    pub memo_hash: Option<String>,
    /// Offline: what the sending address holds, in the holdings file format of `migrate sweep` (docs/cli.md,
    /// "Holdings file"); Stellar's also lists the recipient (`exists` true or false); `-` = standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "online")]
    pub holdings: Option<PathBuf>,
    /// Solana offline: a recent blockhash (base58).
    #[arg(long, value_name = "HASH", conflicts_with_all = ["nonce_account", "online"])]
    pub blockhash: Option<String>,
    /// Solana offline: a durable-nonce account whose authority is the sender; needs --nonce.
    #[arg(long, value_name = "ADDRESS", requires = "nonce", conflicts_with = "online")]
    pub nonce_account: Option<String>,
    /// Solana offline: the nonce account's current value (base58).
    #[arg(long, value_name = "HASH", requires = "nonce_account")]
    pub nonce: Option<String>,
    /// Solana: a priority fee, as a compute-unit price in micro-lamports per unit.
    #[arg(long, value_name = "MICROLAMPORTS_PER_CU", default_value_t = 0)]
    pub priority_fee: u64,
    /// Stellar: the fee in stroops (default and minimum 100).
    #[arg(long, value_name = "STROOPS", default_value_t = 100)]
    pub fee: u32,
    /// IOTA, Sui: the gas price (default 1000; online, the network's reference price when higher).
    #[arg(long, value_name = "N")]
    pub gas_price: Option<u64>,
    /// The network. Offline: Stellar's, which the signature covers (public, testnet, futurenet or a passphrase).
    /// Online: mainnet, testnet, devnet or localnet (Stellar: public or testnet; default mainnet).
    #[arg(long, value_name = "NET")]
    pub network: Option<String>,
    /// Fetch what the sender holds (and a blockhash, sequence number or gas price) through coffer-net.
    #[arg(long)]
    pub online: bool,
    /// With --online: ask this endpoint instead of the built-in one (https, or http to this machine only).
    #[arg(long, value_name = "URL", requires = "online")]
    pub endpoint: Option<String>,
    /// With --online: broadcast the signed transaction.
    #[arg(long, requires = "online")]
    pub broadcast: bool,
    /// With --broadcast: wait until the transaction is confirmed or failed, or --timeout passed (not iota).
    #[arg(long, requires = "broadcast")]
    pub wait: bool,
    /// Seconds --wait waits at most.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
    /// Send even though the recipient is an address of a seed marked compromised in this vault.
    #[arg(long)]
    pub allow_compromised_recipient: bool,
    /// Do not ask for confirmation (the summary and fee are still printed on standard error).
    #[arg(long)]
    pub yes: bool,
}
