//! Migration: move every asset of a compromised seed to a fresh one, signing only what pays the fresh seed.
//!
//! The flow (each step is a [`Vault`](crate::Vault) method; the vault stores the state in payload section 3, see
//! docs/vault-format.md):
//!
//! 1. [`Vault::mark_compromised`](crate::Vault::mark_compromised): from then on `Vault::sign*` refuses the seed.
//!    [`Vault::unmark_compromised`](crate::Vault::unmark_compromised) needs the vault password.
//! 2. [`Vault::start_migration`](crate::Vault::start_migration) with a [`Destination`]: a fresh seed from OS
//!    randomness (its words are returned **once**, in [`Started::mnemonic`]) or an existing seed whose backup was
//!    checked. It returns a [`BackupChallenge`]: word positions to re-enter.
//! 3. [`Vault::answer_backup_challenge`](crate::Vault::answer_backup_challenge): the words at those positions; success
//!    marks the destination's backup checked. A wrong answer draws new positions. Nothing is planned or signed
//!    before the backup is checked.
//! 4. [`Vault::plan_migration`](crate::Vault::plan_migration) with a [`Selection`]: one [`PlanRow`] per chain and
//!    position, mapping the old address to the address at the same path on the destination seed.
//! 5. Build the sweeps: take the row with [`Vault::sweep_row`](crate::Vault::sweep_row) (it requires the backup
//!    check), then [`build_stellar_merge`], [`build_solana_sweep`] and [`build_solana_full_sweep`] (everything a
//!    Solana address holds, from [`crate::holdings::solana::SolanaHoldings`]) build the transactions themselves
//!    (from a sequence number and whether the new account exists, or a balance or holdings, priority fee and
//!    blockhash/nonce); IOTA
//!    and Sui sweeps are unsigned `TransactionData` from the chain's own CLI. [`Vault::check_sweep`](crate::Vault::check_sweep) decodes a request and runs the
//!    guard (show its summary), and [`Vault::sign_sweep`](crate::Vault::sign_sweep) checks again and signs.
//! 6. Each signed sweep gives a [`Receipt`] (stored, also in the signing log) with the chain's transaction id and the
//!    exact commands that broadcast it ([`Receipt::broadcast`]); the core never broadcasts (the CLI's
//!    `migrate sweep --online` does, through the network process). [`Report`] gathers
//!    everything for export.
//!
//! The **destination guard** ([`check_sweep`]) accepts a transaction only if its sender is the old address of a
//! planned row and every recipient is that row's new address, and nothing else happens in it (no Move calls, no
//! unknown programs or operations, no sponsor, no address tables). Everything else is a [`GuardError`].

mod guard;
pub(crate) mod iota_sui_tx;
pub(crate) mod solana_sweep;
mod solana_tx;
pub(crate) mod stellar_tx;

use core::fmt;

use crate::chain::{AccountIndex, AddressIndex, Chain, blake2b256};
use crate::derive::DerivationPath;
use crate::mnemonic::{Mnemonic, WordCount};

// A migration and its report live with the vault that stores them; re-exported here so that
// `coffer_core::migrate::{Migration, Report}` still name them. The only mention of the vault in this module: nothing
// here depends on it (tests::migrate_does_not_depend_on_the_vault).
#[cfg(feature = "migrate")]
pub use crate::vault::{Migration, Report};
pub use guard::{GuardError, MAX_GAS_BUDGET, MAX_SOLANA_PRIORITY_FEE, MAX_STELLAR_FEE, check_sweep};
pub use iota_sui_tx::{
    DEFAULT_GAS_PRICE, LOCK_MARGIN_MS, LeftBehind, MAX_GAS_COINS, MoveSweep, MoveSweepTx, build_move_sweep,
};
pub use solana_sweep::{
    Left, MAX_SWEEP_HOLDINGS, PACKET_DATA_SIZE, RENT_EXEMPT_SYSTEM_ACCOUNT, SolanaSweepOptions, SolanaSweepPlan,
    SweepInstruction, SweepTransaction, associated_token_address, build_solana_full_sweep, compute_units,
    find_program_address, rent_exempt_minimum,
};
pub use solana_tx::{
    DEFAULT_FEE_PER_SIGNATURE, SWEEP_COMPUTE_UNIT_LIMIT, SolanaRecent, SolanaSweep, build_solana_sweep,
    compute_unit_price_for_fee, parse_blockhash, sweep_message, transfer_message,
};
pub use stellar_tx::{
    STELLAR_BASE_FEE, STELLAR_BASE_RESERVE, STELLAR_MAX_LIMIT, STELLAR_STARTING_BALANCE, StellarLeft, StellarMove,
    StellarSweep, StellarSweepParams, StellarSweepPlan, Trustline, account_merge_envelope, build_stellar_merge,
    build_stellar_sweep, create_and_merge_envelope, parse_sequence,
};

/// The chains a default plan covers. Legacy IOTA Stardust is left out: its outputs are now objects of the `iota` row
/// at the same path (see [`STARDUST_REASON`]); select it explicitly to list its rows as manual steps.
pub const DEFAULT_CHAINS: [Chain; 4] = [Chain::Iota, Chain::Sui, Chain::Solana, Chain::Stellar];
/// Accounts a default plan covers (0 to 4).
pub const DEFAULT_ACCOUNTS: u32 = 5;
/// Most rows in one plan.
pub const MAX_ROWS: usize = 1000;
/// Most receipts kept for one migration.
pub const MAX_RECEIPTS: usize = 10_000;
/// Longest reason kept for a failed sweep transaction ([`Sent::failed`]), in bytes.
pub const MAX_FAILURE_REASON: usize = 300;
/// Word positions asked in a backup check.
pub const CHALLENGE_WORDS: usize = 4;
/// Why Stardust rows are manual steps.
pub const STARDUST_REASON: &str = "legacy IOTA (Stardust) no longer exists: since IOTA Rebased (5 May 2025) every \
     Stardust output is an object at the same address, the iota row at the same path (same key, same address bytes); \
     sweep that row (coffer migrate sweep --chain iota --holdings FILE), which also opens Stardust outputs and ended \
     time locks";

/// Why a migration step was refused (other than by the destination guard, see [`GuardError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The seed to migrate from is not marked compromised.
    #[error("seed {label:?} is not marked compromised: mark it first (coffer migrate compromised {label:?})")]
    NotCompromised {
        /// The seed's label.
        label: String,
    },
    /// The destination seed is itself marked compromised.
    #[error("seed {label:?} is marked compromised and cannot receive a migration")]
    DestinationCompromised {
        /// The seed's label.
        label: String,
    },
    /// An existing destination seed whose backup was never checked.
    #[error("the backup of seed {label:?} has not been checked: answer the backup check (coffer migrate verify) first")]
    BackupNotChecked {
        /// The destination's label.
        label: String,
    },
    /// The source and the destination are the same seed.
    #[error("a seed cannot be migrated to itself")]
    SameSeed,
    /// No migration was started for this seed.
    #[error("no migration was started for seed {label:?} (coffer migrate start)")]
    NoMigration {
        /// The source's label.
        label: String,
    },
    /// A migration for this seed already exists.
    #[error("a migration from seed {label:?} already exists (see coffer migrate status)")]
    AlreadyStarted {
        /// The source's label.
        label: String,
    },
    /// There is no pending backup challenge.
    #[error("the destination's backup is already checked; no challenge is pending")]
    NoChallenge,
    /// The backup answers have the wrong count.
    #[error("expected {expected} words for the backup check, got {got}")]
    AnswerCount {
        /// Words asked.
        expected: usize,
        /// Words given.
        got: usize,
    },
    /// Unmarking a compromised seed needs the vault password ([`crate::Vault::unmark_compromised`]).
    #[error("unmarking a compromised seed needs the vault password")]
    PasswordRequired,
    /// The selection is empty or too large, or names a chain that cannot be planned.
    #[error("invalid plan selection: {reason}")]
    InvalidSelection {
        /// Why.
        reason: &'static str,
    },
    /// The plan holds no row for this chain and position.
    #[error("the plan has no {chain} row at {path}")]
    RowNotPlanned {
        /// The chain.
        chain: Chain,
        /// The path asked for.
        path: String,
    },
    /// The balance does not cover the fee.
    #[error("the balance ({balance}) does not exceed the fee ({fee}): there is nothing to sweep")]
    BalanceBelowFee {
        /// The balance.
        balance: u64,
        /// The fee.
        fee: u64,
    },
    /// A sequence number that does not parse or is out of range.
    #[error("invalid sequence number: {reason}")]
    BadSequence {
        /// Why.
        reason: &'static str,
    },
    /// A blockhash or nonce value that does not parse (base58 of 32 bytes).
    #[error("invalid {what}: expected base58 of 32 bytes")]
    BadBlockhash {
        /// "blockhash", "nonce value" or "nonce account".
        what: &'static str,
    },
    /// A fee of zero or one beyond what the chain accepts.
    #[error("invalid fee: {reason}")]
    BadFee {
        /// Why.
        reason: &'static str,
    },
    /// Stellar trustlines block an account merge.
    #[error(
        "the account has {} trustline(s) ({}): an account with trustlines cannot be merged; move or sell those \
         assets and remove the trustlines first (manual steps), then build the merge again",
        lines.len(), lines.join(", ")
    )]
    TrustlinesBlockMerge {
        /// The trustlines, as `CODE:ISSUER`.
        lines: Vec<String>,
    },
    /// A trustline argument that does not parse.
    #[error("invalid trustline {text:?}: expected CODE:ISSUER (1-12 letters or digits, a G... address)")]
    BadTrustline {
        /// What was given (cut to 100 characters).
        text: String,
    },
    /// Holdings (a file or the network's answers) that do not validate, or that do not belong to the accounts
    /// being swept.
    #[error("invalid holdings: {reason}")]
    BadHoldings {
        /// Why.
        reason: String,
    },
    /// The account holds nothing that can be swept (it does not exist).
    #[error("nothing to sweep: {reason}")]
    NothingToSweep {
        /// Why.
        reason: String,
    },
    /// No signed sweep of the migration has this transaction id.
    #[error("the migration has no signed sweep with transaction id {tx_id}")]
    UnknownReceipt {
        /// The id given (cut to 100 characters).
        tx_id: String,
    },
    /// The plan or its receipts are full.
    #[error("the migration is full (at most {MAX_ROWS} rows and {MAX_RECEIPTS} receipts)")]
    Full,
    /// The destination guard refused the sweep.
    #[error(transparent)]
    Guard(#[from] GuardError),
    /// A Solana sweep of several transactions on durable nonces needs one nonce account per transaction (advancing
    /// a nonce changes its value), and none re-authorized before the transaction that advances it.
    #[error(
        "a durable-nonce sweep needs one nonce account per transaction: this one needs {needed} ({given} given); \
         give {needed} nonce accounts, or use a recent blockhash"
    )]
    TooFewNonces {
        /// Nonce accounts given.
        given: usize,
        /// Nonce accounts the sweep needs: one per transaction.
        needed: usize,
    },
    /// The SOL does not cover the sweep's fees and the rent of the new address's token accounts (or would fall
    /// below the rent-exempt minimum between its transactions).
    #[error(
        "the SOL balance ({balance} lamports) does not cover the sweep's fees and rent deposits ({needed} lamports): \
         send SOL to the old address first, or sweep fewer holdings"
    )]
    SolanaFundsShort {
        /// Lamports needed.
        needed: u64,
        /// The balance.
        balance: u64,
    },
}

/// Where the funds go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Destination {
    /// A fresh seed from OS randomness, stored under `label`.
    Fresh {
        /// The new seed's label.
        label: String,
        /// Its size.
        words: WordCount,
    },
    /// An existing seed of the vault (not compromised; its backup must be checked before planning).
    Existing {
        /// Its label.
        label: String,
    },
}

/// The word positions to re-enter (1-based, ascending). Public: it reveals nothing about the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupChallenge {
    /// The destination seed's label.
    pub label: String,
    /// Positions to answer, 1-based, ascending.
    pub positions: Vec<usize>,
}

/// What [`Vault::start_migration`](crate::Vault::start_migration) returns.
#[derive(Debug)]
#[non_exhaustive]
pub struct Started {
    /// The destination's label.
    pub destination: String,
    /// The fresh seed's words: show them once, then drop this. `None` for an existing destination.
    pub mnemonic: Option<Mnemonic>,
    /// The backup check to answer; `None` when the destination's backup is already checked.
    pub challenge: Option<BackupChallenge>,
}

/// What to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The chains (iota-stardust rows become manual steps; raw is refused).
    pub chains: Vec<Chain>,
    /// First account.
    pub first_account: u32,
    /// Number of accounts.
    pub accounts: u32,
    /// Address indices per account for chains with an index level (iota, sui, iota-stardust).
    pub indices: u32,
}

impl Default for Selection {
    /// Accounts 0-4, index 0, on [`DEFAULT_CHAINS`].
    fn default() -> Self {
        Self { chains: DEFAULT_CHAINS.to_vec(), first_account: 0, accounts: DEFAULT_ACCOUNTS, indices: 1 }
    }
}

/// Where a plan row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowState {
    /// Nothing signed yet.
    Pending,
    /// At least one sweep was signed (see the receipts; broadcasting is the user's step).
    Signed,
    /// Coffer cannot sweep it: a manual step (see [`PlanRow::note`]).
    Manual,
    /// Its signed sweeps were sent to the network (by the app or the CLI, through coffer-net), not all confirmed yet
    /// ([`Vault::record_sent`](crate::Vault::record_sent)).
    Broadcast,
    /// Every transaction of the row's newest sweep that Coffer sent was confirmed by the network
    /// ([`Vault::record_sent`](crate::Vault::record_sent); see [`Receipt::sweep`] for which sweep decides).
    Confirmed,
    /// A transaction of the row's newest sent sweep failed on chain or was refused by the endpoint
    /// ([`Vault::record_failed`](crate::Vault::record_failed)): what it would have moved is still at the old address;
    /// sweep the row again.
    Failed,
}

impl RowState {
    /// Every state, in code order.
    pub const ALL: [Self; 6] =
        [Self::Pending, Self::Signed, Self::Manual, Self::Broadcast, Self::Confirmed, Self::Failed];

    /// `pending`, `signed`, `manual`, `broadcast`, `confirmed` or `failed`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Signed => "signed",
            Self::Manual => "manual",
            Self::Broadcast => "broadcast",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            Self::Pending => 0,
            Self::Signed => 1,
            Self::Manual => 2,
            Self::Broadcast => 3,
            Self::Confirmed => 4,
            Self::Failed => 5,
        }
    }

    pub(crate) fn from_code(c: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == c)
    }
}

/// One planned move: the old address and the address at the same path on the destination seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// The chain.
    pub chain: Chain,
    /// Account number.
    pub account: u32,
    /// Address index (0 for chains without one).
    pub index: u32,
    /// The compromised seed's address.
    pub old_address: String,
    /// The destination seed's address.
    pub new_address: String,
    /// Where it stands.
    pub state: RowState,
    /// Manual steps and reasons (empty when none).
    pub note: String,
}

impl PlanRow {
    /// The derivation path (the same on both seeds).
    ///
    /// # Errors
    /// None for rows the vault made (they are only made at valid positions of path-bearing chains); for a row made
    /// by hand, [`ChainError::OutOfRange`](crate::ChainError::OutOfRange) or
    /// [`ChainError::RawNeedsPath`](crate::ChainError::RawNeedsPath).
    pub fn path(&self) -> Result<DerivationPath, crate::ChainError> {
        self.chain.path(AccountIndex::new(self.account)?, AddressIndex::new(self.index)?)
    }
}

/// Where the gap scan past a plan starts for `chain` ([`crate::discover::scan_from`]): the first account with no row
/// of `chain` at address index 0. Accounts 0 to 4 of a default plan are swept whether used or not, so asking about
/// them tells nothing new; what a thief holding the words could still take lies past them.
#[must_use]
pub fn first_unplanned(rows: &[PlanRow], chain: Chain) -> u32 {
    (0..=u32::MAX).find(|&n| !is_planned(rows, chain, n)).unwrap_or(u32::MAX)
}

/// The accounts of `found` (a discovery's used accounts) that have no row of `chain` at address index 0 yet,
/// ascending and without repeats: what [`Vault::plan_accounts`](crate::Vault::plan_accounts) should add.
#[must_use]
pub fn unplanned(rows: &[PlanRow], chain: Chain, found: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = found.iter().copied().filter(|&n| !is_planned(rows, chain, n)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn is_planned(rows: &[PlanRow], chain: Chain, account: u32) -> bool {
    rows.iter().any(|r| r.chain == chain && r.account == account && r.index == 0)
}

/// A signed sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The plan row (index into [`Migration::rows`]).
    pub row: usize,
    /// The chain.
    pub chain: Chain,
    /// When it was signed (UNIX seconds).
    pub time: u64,
    /// The transaction id as the chain computes it: IOTA/Sui digest (base58), Solana first signature (base58),
    /// Stellar transaction hash (hex).
    pub tx_id: String,
    /// The signature in the chain's form (as [`crate::Signed::signature`]).
    pub signature: String,
    /// Base64: the signed transaction (Solana, Stellar) or the unsigned `TransactionData` (IOTA, Sui), as the
    /// broadcast command takes it.
    pub tx: String,
    /// The Stellar network's passphrase (empty for other chains).
    pub network: String,
    /// What the network said of it once a front end sent it through coffer-net (`None`: not sent by Coffer, or
    /// signed only), recorded by [`Vault::record_sent`](crate::Vault::record_sent) and
    /// [`Vault::record_failed`](crate::Vault::record_failed).
    pub sent: Option<Sent>,
    /// Which sweep of its row this transaction belongs to: 0 for the row's first, one more for each later
    /// [`Vault::sign_sweeps`](crate::Vault::sign_sweeps) (the transactions signed together are one sweep). The
    /// row's state follows its newest sweep that Coffer sent: confirmed when every transaction of that sweep is,
    /// failed when one of them failed; an older sweep that never landed (an expired blockhash, a sweep signed
    /// again) no longer holds the row back.
    pub sweep: u32,
}

/// A signed sweep sent to the network by Coffer (the app, `coffer migrate sweep --online` or `coffer broadcast
/// --from`): where, and whether the network confirmed it. Public data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Confirmed by the network (Solana confirmed or finalized, Stellar in a ledger, IOTA/Sui executed and
    /// reported); `false`: sent, not (yet) known to be confirmed, or failed.
    pub confirmed: bool,
    /// It did not and will not go through: the network reported it failed on chain, or the endpoint refused it;
    /// why, as the network said it (at most [`MAX_FAILURE_REASON`] bytes). `None` unless failed; never with
    /// `confirmed`.
    pub failed: Option<String>,
    /// The network as coffer-net names it: `mainnet`, `testnet`, `devnet` or `localnet` (at most 16 bytes; empty
    /// when unknown).
    pub network: String,
    /// The endpoint that took it (at most 1024 bytes; empty when unknown).
    pub endpoint: String,
    /// When this was last recorded (UNIX seconds).
    pub time: u64,
}

impl Receipt {
    /// The public explorer page of this transaction on the network Coffer sent it to
    /// ([`crate::explorer::transaction_url`]); `None` when Coffer did not send it (the network is then unknown) or
    /// no public explorer knows that network.
    #[must_use]
    pub fn explorer(&self) -> Option<String> {
        let s = self.sent.as_ref()?;
        crate::explorer::transaction_url(self.chain, &s.network, &s.endpoint, &self.tx_id)
    }
}

/// A receipt with its plan row: what a report and `coffer migrate sweep --json` show of a signed sweep. With the
/// `serde` feature it serializes as docs/cli.md documents (the row as a [`PlanRow`], `null` when `row` is `None`; the
/// transaction under `tx_bytes` for IOTA and Sui, `signed_tx` for Solana and Stellar; `network` only for Stellar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceiptWithRow<'a> {
    /// The receipt.
    pub receipt: &'a Receipt,
    /// Its row ([`Receipt::row`] of the migration's rows).
    pub row: Option<&'a PlanRow>,
}

impl<'a> ReceiptWithRow<'a> {
    /// `receipt` shown with `row`.
    #[must_use]
    pub fn new(receipt: &'a Receipt, row: Option<&'a PlanRow>) -> Self {
        Self { receipt, row }
    }
}

impl Receipt {
    /// The commands that broadcast this sweep with the chain's own tools, in order of preference. Coffer prints them
    /// and never runs them. Solana's uses the public mainnet RPC endpoint: use your own for another cluster.
    #[must_use]
    pub fn broadcast(&self) -> Vec<String> {
        match self.chain {
            Chain::Iota | Chain::Sui => vec![format!(
                "{} client execute-signed-tx --tx-bytes {} --signatures {}",
                self.chain.name(),
                self.tx,
                self.signature
            )],
            Chain::Solana => vec![format!(
                "curl -s https://api.mainnet-beta.solana.com -X POST -H 'Content-Type: application/json' -d \
                 '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sendTransaction\",\"params\":[\"{}\",\
                 {{\"encoding\":\"base64\"}}]}}'",
                self.tx
            )],
            Chain::Stellar => {
                let (net, horizon) = match self.network.as_str() {
                    crate::sign::stellar::PUBLIC_PASSPHRASE => ("mainnet", "https://horizon.stellar.org"),
                    crate::sign::stellar::TESTNET_PASSPHRASE => ("testnet", "https://horizon-testnet.stellar.org"),
                    crate::sign::stellar::FUTURENET_PASSPHRASE => {
                        ("futurenet", "https://horizon-futurenet.stellar.org")
                    }
                    _ => ("<network>", "<horizon-url>"),
                };
                vec![
                    format!("stellar tx send --network {net} {}", self.tx),
                    format!("curl -s -X POST {horizon}/transactions --data-urlencode 'tx={}'", self.tx),
                ]
            }
            _ => Vec::new(),
        }
    }
}

/// The IOTA/Sui transaction digest: base58(blake2b-256("TransactionData::" || BCS bytes)), as `iota client` and
/// `sui client` print it (the BCS type-name domain separator of `TransactionData`, `iota-types`/`sui-types`
/// `crypto.rs`).
#[must_use]
pub fn iota_sui_digest(tx_bytes: &[u8]) -> String {
    bs58::encode(blake2b256(&[b"TransactionData::", tx_bytes])).into_string()
}

/// Random, distinct positions in `1..=words`, ascending.
pub(crate) fn random_positions(words: usize) -> Result<Vec<u8>, crate::mnemonic::MnemonicError> {
    let want = CHALLENGE_WORDS.min(words);
    let mut out: Vec<u8> = Vec::with_capacity(want);
    while out.len() < want {
        let mut b = [0u8; 1];
        getrandom::fill(&mut b).map_err(|_| crate::mnemonic::MnemonicError::Random)?;
        // 256 is not a multiple of every word count: drop the biased tail.
        let limit = 256 - 256 % words;
        let v = usize::from(b[0]);
        if v >= limit {
            continue;
        }
        let pos = u8::try_from(v % words + 1).unwrap_or(1);
        if !out.contains(&pos) {
            out.push(pos);
        }
    }
    out.sort_unstable();
    Ok(out)
}

impl fmt::Display for RowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod iota_sui_tests;
#[cfg(test)]
pub(crate) mod stellar_tests;
#[cfg(test)]
pub(crate) mod tests;
