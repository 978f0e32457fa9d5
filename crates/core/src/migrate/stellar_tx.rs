//! The Stellar sweep: an `ACCOUNT_MERGE` transaction that moves every lumen to the new account and deletes the old
//! one. Stellar refuses a merge into an account that does not exist (`ACCOUNT_MERGE_NO_ACCOUNT`), and the account of
//! a fresh seed never does: then the sweep is `CREATE_ACCOUNT` (the new account, [`STELLAR_STARTING_BALANCE`]) and
//! `ACCOUNT_MERGE` into it, in one transaction (both apply or neither does). XDR from `stellar/stellar-xdr`
//! (`Stellar-transaction.x`), all integers big-endian:
//!
//! ```text
//! TransactionEnvelope = 00000002 (ENVELOPE_TYPE_TX)
//!   Transaction = MuxedAccount source (00000000 + key) | uint32 fee | int64 seqNum | 00000000 PRECOND_NONE
//!               | 00000000 MEMO_NONE | 00000001 one operation (00000002: two) | ext 00000000
//!   [Operation  = 00000000 (no source) | 00000000 CREATE_ACCOUNT | AccountID destination (00000000 + key)
//!               | int64 startingBalance]   (only when the new account does not exist)
//!   Operation   = 00000000 (no source) | 00000008 ACCOUNT_MERGE | MuxedAccount destination (00000000 + key)
//!   signatures  = 00000000 (none yet)
//! ```

use super::MigrateError;
use crate::chain::stellar as strkey;

/// The starting balance of the new account when the sweep creates it, in stroops: 1 XLM, the minimum balance of an
/// account without subentries, 2 base reserves of 0.5 XLM
/// (<https://developers.stellar.org/docs/learn/fundamentals/lumens#minimum-balance>). The merge that follows moves
/// the rest, so the amount only has to be enough for `CREATE_ACCOUNT` to succeed.
pub const STELLAR_STARTING_BALANCE: i64 = 10_000_000;

/// The network's base fee per operation, in stroops.
pub const STELLAR_BASE_FEE: u32 = 100;

/// The old account's state, as Horizon or `stellar` reports it, the fee, and whether the new account exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarSweep {
    /// The account's **current** sequence number (the transaction uses the next one).
    pub sequence: i64,
    /// The transaction's fee in stroops: at least the base fee (100) per operation, so 100 for a lone merge and 200
    /// for create-and-merge ([`StellarSweep::min_fee`]).
    pub fee: u32,
    /// Trustlines the account still has: they block the merge.
    pub trustlines: Vec<Trustline>,
    /// Whether the new account already exists on the network (`GET /accounts/NEW` answers 200). When it does not
    /// (a fresh seed's account never does), the sweep creates it first with [`STELLAR_STARTING_BALANCE`].
    pub destination_exists: bool,
}

impl StellarSweep {
    /// The operations the sweep carries: 1 (merge) or 2 (create, merge).
    #[must_use]
    pub fn operations(&self) -> u32 {
        if self.destination_exists { 1 } else { 2 }
    }

    /// The lowest fee the network accepts for it: the base fee per operation.
    #[must_use]
    pub fn min_fee(&self) -> u32 {
        STELLAR_BASE_FEE * self.operations()
    }
}

/// A trustline of the old account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trustline {
    /// The asset code (1-12 letters or digits).
    pub code: String,
    /// The issuer's `G…` address.
    pub issuer: String,
}

impl Trustline {
    /// Parses `CODE:ISSUER`.
    ///
    /// ```
    /// use coffer_core::migrate::Trustline;
    /// let t = Trustline::parse("USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN")?;
    /// assert_eq!(t.code, "USDC");
    /// # Ok::<(), coffer_core::migrate::MigrateError>(())
    /// ```
    ///
    /// # Errors
    /// [`MigrateError::BadTrustline`].
    pub fn parse(text: &str) -> Result<Self, MigrateError> {
        let bad = || MigrateError::BadTrustline { text: text.chars().take(100).collect() };
        let (code, issuer) = text.trim().split_once(':').ok_or_else(bad)?;
        if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        strkey::parse_address(issuer).map_err(|_| bad())?;
        Ok(Self { code: code.to_owned(), issuer: issuer.trim().to_owned() })
    }
}

impl core::fmt::Display for Trustline {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}:{}", self.code, self.issuer)
    }
}

/// The unsigned envelope XDR of an account merge of `source` into `destination` (raw ed25519 keys) with sequence
/// number `seq_num` (the one the transaction carries: current + 1) and `fee` stroops.
///
/// Checked byte for byte against tests/vectors/stellar_tx_account_merge.json (`precond_none`).
#[must_use]
pub fn account_merge_envelope(source: &[u8; 32], destination: &[u8; 32], fee: u32, seq_num: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 64 + 48 + 4);
    out.extend_from_slice(&2u32.to_be_bytes()); // ENVELOPE_TYPE_TX
    out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519
    out.extend_from_slice(source);
    out.extend_from_slice(&fee.to_be_bytes());
    out.extend_from_slice(&seq_num.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // PRECOND_NONE
    out.extend_from_slice(&0u32.to_be_bytes()); // MEMO_NONE
    out.extend_from_slice(&1u32.to_be_bytes()); // one operation
    out.extend_from_slice(&0u32.to_be_bytes()); // no operation source
    out.extend_from_slice(&8u32.to_be_bytes()); // ACCOUNT_MERGE
    out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519
    out.extend_from_slice(destination);
    out.extend_from_slice(&0u32.to_be_bytes()); // ext v0
    out.extend_from_slice(&0u32.to_be_bytes()); // no signatures
    out
}

/// The unsigned envelope XDR of `CREATE_ACCOUNT(destination, starting_balance)` then `ACCOUNT_MERGE(destination)` from
/// `source` (raw ed25519 keys), with sequence number `seq_num` (current + 1) and `fee` stroops (for both operations).
#[must_use]
pub fn create_and_merge_envelope(
    source: &[u8; 32],
    destination: &[u8; 32],
    starting_balance: i64,
    fee: u32,
    seq_num: i64,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 64 + 48 + 48 + 4);
    out.extend_from_slice(&2u32.to_be_bytes()); // ENVELOPE_TYPE_TX
    out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519
    out.extend_from_slice(source);
    out.extend_from_slice(&fee.to_be_bytes());
    out.extend_from_slice(&seq_num.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // PRECOND_NONE
    out.extend_from_slice(&0u32.to_be_bytes()); // MEMO_NONE
    out.extend_from_slice(&2u32.to_be_bytes()); // two operations
    out.extend_from_slice(&0u32.to_be_bytes()); // no operation source
    out.extend_from_slice(&0u32.to_be_bytes()); // CREATE_ACCOUNT
    out.extend_from_slice(&0u32.to_be_bytes()); // PUBLIC_KEY_TYPE_ED25519
    out.extend_from_slice(destination);
    out.extend_from_slice(&starting_balance.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // no operation source
    out.extend_from_slice(&8u32.to_be_bytes()); // ACCOUNT_MERGE
    out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519
    out.extend_from_slice(destination);
    out.extend_from_slice(&0u32.to_be_bytes()); // ext v0
    out.extend_from_slice(&0u32.to_be_bytes()); // no signatures
    out
}

/// Builds the unsigned sweep envelope (base64) from `old` to `new` (`G…` addresses of a plan row): a lone merge when
/// the new account exists, else create-and-merge ([`StellarSweep::destination_exists`]).
///
/// # Errors
/// [`MigrateError::TrustlinesBlockMerge`] while trustlines exist; [`MigrateError::BadSequence`] for a negative or
/// maximal sequence number; [`MigrateError::BadFee`] below 100 stroops per operation or above the guard's cap;
/// [`MigrateError::Guard`] if an address does not parse.
pub fn build_stellar_merge(old: &str, new: &str, sweep: &StellarSweep) -> Result<String, MigrateError> {
    use base64::Engine as _;
    if !sweep.trustlines.is_empty() {
        return Err(MigrateError::TrustlinesBlockMerge {
            lines: sweep.trustlines.iter().map(ToString::to_string).collect(),
        });
    }
    if sweep.sequence < 0 {
        return Err(MigrateError::BadSequence { reason: "it is negative" });
    }
    let seq =
        sweep.sequence.checked_add(1).ok_or(MigrateError::BadSequence { reason: "it is the largest there is" })?;
    if sweep.fee < sweep.min_fee() {
        return Err(MigrateError::BadFee {
            reason: if sweep.destination_exists {
                "the Stellar base fee is at least 100 stroops"
            } else {
                "creating the new account and merging are two operations: at least 200 stroops (100 each)"
            },
        });
    }
    if u64::from(sweep.fee) > super::MAX_STELLAR_FEE {
        return Err(MigrateError::BadFee {
            reason: "it is above the destination guard's cap of 10000000 stroops (1 XLM); a sweep needs 100 an \
                     operation",
        });
    }
    let bad = |_| super::GuardError::BadPlanAddress;
    let source = strkey::parse_address(old).map_err(bad)?;
    let destination = strkey::parse_address(new).map_err(bad)?;
    let envelope = if sweep.destination_exists {
        account_merge_envelope(&source, &destination, sweep.fee, seq)
    } else {
        create_and_merge_envelope(&source, &destination, STELLAR_STARTING_BALANCE, sweep.fee, seq)
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(envelope))
}

/// Parses a sequence number as Horizon prints it (a decimal string).
///
/// # Errors
/// [`MigrateError::BadSequence`].
pub fn parse_sequence(text: &str) -> Result<i64, MigrateError> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MigrateError::BadSequence { reason: "expected a decimal number" });
    }
    t.parse::<i64>().map_err(|_| MigrateError::BadSequence { reason: "it is larger than a 64-bit sequence number" })
}
