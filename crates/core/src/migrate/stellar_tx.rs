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
use crate::holdings::stellar::{StellarAsset, StellarHoldings, StellarTrustline};
use crate::sign::stellar::{MAX_OPERATIONS, Memo};

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

// ---------------------------------------------------------------- the complete sweep (issue #14)
//
// Operation layouts from stellar/stellar-xdr `Stellar-transaction.x` (checked at commit d7e47114611a): `Operation` =
// `MuxedAccount* sourceAccount` then the `OperationBody` union on `OperationType` — CREATE_ACCOUNT 0
// (`CreateAccountOp { AccountID destination; int64 startingBalance; }`), PAYMENT 1 (`PaymentOp { MuxedAccount
// destination; Asset asset; int64 amount; }`), MANAGE_SELL_OFFER 3 (`ManageSellOfferOp { Asset selling; Asset buying;
// int64 amount; Price price; int64 offerID; }`, amount 0 deletes), CHANGE_TRUST 6 (`ChangeTrustOp { ChangeTrustAsset
// line; int64 limit; }`, limit 0 deletes), ACCOUNT_MERGE 8 (the body is the destination `MuxedAccount`), MANAGE_DATA
// 10 (`ManageDataOp { string64 dataName; DataValue* dataValue; }`, no value deletes), CLAIM_CLAIMABLE_BALANCE 15
// (`ClaimClaimableBalanceOp { ClaimableBalanceID balanceID; }`, `CLAIMABLE_BALANCE_ID_TYPE_V0` 0 and a Hash).
// `Asset` (Stellar-ledger-entries.x) = ASSET_TYPE_NATIVE 0 | CREDIT_ALPHANUM4 1 { AssetCode4, AccountID } |
// CREDIT_ALPHANUM12 2 { AssetCode12, AccountID }, codes NUL-padded. stellar-base decodes what this writes to exactly
// these operations (crates/cli/tests/cli/migrate_stellar.rs, `stellar_sweep_sdk_interop`).

/// The base reserve in stroops: 0.5 XLM (<https://developers.stellar.org/docs/learn/fundamentals/lumens#base-reserves>).
/// An account needs 2 base reserves, and one more per subentry (trustline, offer, data entry, signer).
pub const STELLAR_BASE_RESERVE: i64 = 5_000_000;

/// The limit the new account's trustlines get: the largest amount there is (what the SDKs default to).
pub const STELLAR_MAX_LIMIT: i64 = i64::MAX;

/// The network's parameters a complete sweep is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StellarSweepParams {
    /// Fee per operation in stroops (at least [`STELLAR_BASE_FEE`]).
    pub base_fee: u32,
    /// The base reserve in stroops ([`STELLAR_BASE_RESERVE`] on every public network today).
    pub base_reserve: i64,
    /// The time (UNIX seconds) claim predicates are evaluated at: the sweep claims only what is claimable now.
    pub now: i64,
}

impl Default for StellarSweepParams {
    fn default() -> Self {
        Self { base_fee: STELLAR_BASE_FEE, base_reserve: STELLAR_BASE_RESERVE, now: 0 }
    }
}

/// Something that moves to the new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarMove {
    /// `native` or `CODE:ISSUER`.
    pub asset: String,
    /// Stroops of the asset; for lumens moved by the merge, what the holdings reported minus fees (the merge moves
    /// whatever is there).
    pub amount: i64,
    /// How: `merge`, `payment`, `claim and payment`, `create account`.
    pub how: &'static str,
}

/// Something that stays on the old account, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarLeft {
    /// What (`native`, `CODE:ISSUER`, `pool shares …`, `claimable balance …`, `subentries`).
    pub what: String,
    /// Stroops of it, where it has an amount.
    pub amount: Option<i64>,
    /// Why it stays, and what to do.
    pub reason: String,
}

/// A complete Stellar sweep: the unsigned transactions in order (each a base64 envelope whose sequence number
/// follows the previous one), what moves and what stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarSweepPlan {
    /// Unsigned envelopes, base64, to sign and submit in this order.
    pub transactions: Vec<String>,
    /// What moves.
    pub moves: Vec<StellarMove>,
    /// What stays, and why.
    pub left: Vec<StellarLeft>,
    /// Whether the last transaction merges the old account into the new one (deleting it).
    pub merges: bool,
    /// The fees of all the transactions, in stroops.
    pub fee: i64,
}

/// One operation of the sweep, before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    CreateAccount {
        starting_balance: i64,
    },
    /// Old → new.
    Payment {
        asset: StellarAsset,
        amount: i64,
    },
    /// On the new account (source: new).
    Trust {
        asset: StellarAsset,
    },
    /// Limit 0 on the old account.
    Untrust {
        asset: StellarAsset,
    },
    RemoveOffer {
        selling: StellarAsset,
        buying: StellarAsset,
        price: (i32, i32),
        id: u64,
    },
    DeleteData {
        name: String,
    },
    Claim {
        hash: [u8; 32],
    },
    Merge,
}

fn put_asset(out: &mut Vec<u8>, asset: &StellarAsset) {
    match asset {
        StellarAsset::Native => out.extend_from_slice(&0u32.to_be_bytes()), // ASSET_TYPE_NATIVE
        StellarAsset::Credit { code, issuer } => {
            // ASSET_TYPE_CREDIT_ALPHANUM4 (AssetCode4) or _ALPHANUM12 (AssetCode12), NUL-padded, then AccountID.
            let (tag, width) = if code.len() <= 4 { (1u32, 4) } else { (2u32, 12) };
            out.extend_from_slice(&tag.to_be_bytes());
            let mut c = code.as_bytes().to_vec();
            c.resize(width, 0);
            out.extend_from_slice(&c);
            out.extend_from_slice(&0u32.to_be_bytes()); // PUBLIC_KEY_TYPE_ED25519
            out.extend_from_slice(&strkey::parse_address(issuer).unwrap_or([0; 32]));
        }
    }
}

/// Encodes one `Operation` (`Stellar-transaction.x`): `SourceAccount* sourceAccount` then the body union.
fn put_op(out: &mut Vec<u8>, op: &Op, new: &[u8; 32]) {
    let account = |out: &mut Vec<u8>, key: &[u8; 32]| {
        out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519 / PUBLIC_KEY_TYPE_ED25519
        out.extend_from_slice(key);
    };
    if matches!(op, Op::Trust { .. }) {
        out.extend_from_slice(&1u32.to_be_bytes()); // source present: the new account
        account(out, new);
    } else {
        out.extend_from_slice(&0u32.to_be_bytes()); // no source: the transaction's (old)
    }
    match op {
        // CreateAccountOp = AccountID destination, int64 startingBalance.
        Op::CreateAccount { starting_balance } => {
            out.extend_from_slice(&0u32.to_be_bytes());
            account(out, new);
            out.extend_from_slice(&starting_balance.to_be_bytes());
        }
        // PaymentOp = MuxedAccount destination, Asset asset, int64 amount.
        Op::Payment { asset, amount } => {
            out.extend_from_slice(&1u32.to_be_bytes());
            account(out, new);
            put_asset(out, asset);
            out.extend_from_slice(&amount.to_be_bytes());
        }
        // ChangeTrustOp = ChangeTrustAsset line, int64 limit (0 deletes the trustline).
        Op::Trust { asset } | Op::Untrust { asset } => {
            out.extend_from_slice(&6u32.to_be_bytes());
            put_asset(out, asset);
            let limit = if matches!(op, Op::Trust { .. }) { STELLAR_MAX_LIMIT } else { 0 };
            out.extend_from_slice(&limit.to_be_bytes());
        }
        // ManageSellOfferOp = Asset selling, Asset buying, int64 amount (0 deletes), Price {int32 n, int32 d},
        // int64 offerID.
        Op::RemoveOffer { selling, buying, price, id } => {
            out.extend_from_slice(&3u32.to_be_bytes());
            put_asset(out, selling);
            put_asset(out, buying);
            out.extend_from_slice(&0i64.to_be_bytes());
            out.extend_from_slice(&price.0.to_be_bytes());
            out.extend_from_slice(&price.1.to_be_bytes());
            out.extend_from_slice(&i64::try_from(*id).unwrap_or(0).to_be_bytes());
        }
        // ManageDataOp = string64 dataName, DataValue* dataValue (absent deletes).
        Op::DeleteData { name } => {
            out.extend_from_slice(&10u32.to_be_bytes());
            out.extend_from_slice(&(name.len() as u32).to_be_bytes());
            out.extend_from_slice(name.as_bytes());
            out.resize(out.len() + (4 - name.len() % 4) % 4, 0);
            out.extend_from_slice(&0u32.to_be_bytes());
        }
        // ClaimClaimableBalanceOp = ClaimableBalanceID balanceID (CLAIMABLE_BALANCE_ID_TYPE_V0, Hash).
        Op::Claim { hash } => {
            out.extend_from_slice(&15u32.to_be_bytes());
            out.extend_from_slice(&0u32.to_be_bytes());
            out.extend_from_slice(hash);
        }
        // ACCOUNT_MERGE: the body is the destination MuxedAccount.
        Op::Merge => {
            out.extend_from_slice(&8u32.to_be_bytes());
            account(out, new);
        }
    }
}

/// Encodes an unsigned `TransactionEnvelope` (ENVELOPE_TYPE_TX) from `old` with `ops`.
fn envelope(old: &[u8; 32], new: &[u8; 32], fee: u32, seq_num: i64, ops: &[Op]) -> Vec<u8> {
    envelope_with_memo(old, new, fee, seq_num, &Memo::None, ops)
}

/// As [`envelope`], with a memo (`Memo` union of `Stellar-transaction.x`: MEMO_NONE 0, MEMO_TEXT 1 `string<28>`,
/// MEMO_ID 2 `uint64`, MEMO_HASH 3 and MEMO_RETURN 4 `Hash`). `new` is the account payments and creations go to.
pub(crate) fn envelope_with_memo(
    old: &[u8; 32],
    new: &[u8; 32],
    fee: u32,
    seq_num: i64,
    memo: &Memo,
    ops: &[Op],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + 96 * ops.len());
    out.extend_from_slice(&2u32.to_be_bytes()); // ENVELOPE_TYPE_TX
    out.extend_from_slice(&0u32.to_be_bytes()); // KEY_TYPE_ED25519
    out.extend_from_slice(old);
    out.extend_from_slice(&fee.to_be_bytes());
    out.extend_from_slice(&seq_num.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // PRECOND_NONE
    match memo {
        Memo::Text(text) => {
            out.extend_from_slice(&1u32.to_be_bytes());
            out.extend_from_slice(&(text.len() as u32).to_be_bytes());
            out.extend_from_slice(text);
            out.resize(out.len() + (4 - text.len() % 4) % 4, 0);
        }
        Memo::Id(id) => {
            out.extend_from_slice(&2u32.to_be_bytes());
            out.extend_from_slice(&id.to_be_bytes());
        }
        Memo::Hash(hash) | Memo::Return(hash) => {
            let tag: u32 = if matches!(memo, Memo::Hash(_)) { 3 } else { 4 };
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(hash);
        }
        Memo::None => out.extend_from_slice(&0u32.to_be_bytes()), // MEMO_NONE
    }
    out.extend_from_slice(&(ops.len() as u32).to_be_bytes());
    for op in ops {
        put_op(&mut out, op, new);
    }
    out.extend_from_slice(&0u32.to_be_bytes()); // ext v0
    out.extend_from_slice(&0u32.to_be_bytes()); // no signatures
    out
}

/// Builds the complete sweep of `old` (its holdings) into `new` (the new account's holdings: whether it exists and
/// which trustlines it already has). In order, in as few transactions of at most 100 operations as it takes (each
/// group below stays in one transaction; the merge only in the last one):
///
/// 1. offers removed (`MANAGE_SELL_OFFER` amount 0: an offer locks liabilities that would block payments and
///    trustline removals), data entries deleted (`MANAGE_DATA` without a value), claimable balances that the old
///    account may claim now claimed into it (`CLAIM_CLAIMABLE_BALANCE`);
/// 2. `CREATE_ACCOUNT` of the new account with its reserve and one per trustline it will get, or, when it exists, a
///    lumen payment of the reserves its new trustlines need;
/// 3. per trustline: `CHANGE_TRUST` on the new account (source: new, the largest limit), `PAYMENT` of the whole
///    balance (and what was claimed of the asset), `CHANGE_TRUST` limit 0 on the old account;
/// 4. `ACCOUNT_MERGE` into the new account when nothing is left that blocks it, else a lumen payment of everything
///    above the old account's remaining minimum balance.
///
/// What cannot move is listed in [`StellarSweepPlan::left`] with the reason: liquidity-pool shares (withdraw
/// first), trustlines the issuer has not authorised or whose issuer requires authorisation (the new account's fresh
/// trustline could not receive), claimable balances not claimable now or of an asset the old account does not
/// trust, and the minimum balance when a merge is blocked (remaining subentries such as extra signers, or sponsored
/// entries of other accounts).
///
/// # Errors
/// [`MigrateError::Guard`] for a plan address that does not parse; [`MigrateError::BadHoldings`] for holdings that do
/// not validate or are of another account; [`MigrateError::BadSequence`]; [`MigrateError::BadFee`];
/// [`MigrateError::NothingToSweep`] when the old account does not exist; [`MigrateError::BalanceBelowFee`] when its
/// lumens do not cover the fees, the new account's reserves and its own minimum balance.
#[allow(clippy::too_many_lines)]
pub fn build_stellar_sweep(
    old: &StellarHoldings,
    new: &StellarHoldings,
    params: &StellarSweepParams,
) -> Result<StellarSweepPlan, MigrateError> {
    use base64::Engine as _;
    let bad_holdings = |e: crate::holdings::stellar::HoldingsError| MigrateError::BadHoldings { reason: e.to_string() };
    old.validate().map_err(bad_holdings)?;
    new.validate().map_err(bad_holdings)?;
    let bad = |_| super::GuardError::BadPlanAddress;
    let old_key = strkey::parse_address(&old.address).map_err(bad)?;
    let new_key = strkey::parse_address(&new.address).map_err(bad)?;
    if old_key == new_key {
        return Err(MigrateError::BadHoldings { reason: "the old and the new account are the same".into() });
    }
    if !old.exists {
        return Err(MigrateError::NothingToSweep {
            reason: format!("the Stellar account {} does not exist", old.address),
        });
    }
    if params.base_fee < STELLAR_BASE_FEE {
        return Err(MigrateError::BadFee { reason: "the Stellar base fee is at least 100 stroops an operation" });
    }
    if params.base_reserve <= 0 {
        return Err(MigrateError::BadFee { reason: "the base reserve must be positive" });
    }
    let seq = old.sequence.checked_add(1).ok_or(MigrateError::BadSequence { reason: "it is the largest there is" })?;
    let reserve = params.base_reserve;
    let mut left = Vec::new();
    let mut moves = Vec::new();
    // Groups of operations that must share a transaction.
    let mut groups: Vec<Vec<Op>> = Vec::new();

    // 1. Offers, data entries.
    for o in &old.offers {
        groups.push(vec![Op::RemoveOffer {
            selling: o.selling.clone(),
            buying: o.buying.clone(),
            price: (o.price_n, o.price_d),
            id: o.id,
        }]);
    }
    for d in &old.data {
        groups.push(vec![Op::DeleteData { name: d.clone() }]);
    }

    // Trustlines: which move, which stay.
    let pools = old.trustlines.iter().filter(|t| matches!(t, StellarTrustline::PoolShares { .. })).count();
    let mut credit: Vec<(StellarAsset, i64, i64, bool)> = Vec::new(); // asset, balance, limit, removable
    for t in &old.trustlines {
        match t {
            StellarTrustline::PoolShares { pool_id, balance } => left.push(StellarLeft {
                what: format!("pool shares {pool_id}"),
                amount: Some(*balance),
                reason: "liquidity-pool shares cannot be moved by a payment: withdraw them from the pool (with the \
                         pool's assets then on the old account), then sweep again"
                    .into(),
            }),
            StellarTrustline::Credit { code, issuer, balance, limit, authorized, auth_required } => {
                let asset = StellarAsset::Credit { code: code.clone(), issuer: issuer.clone() };
                if !authorized {
                    left.push(StellarLeft {
                        what: asset.to_string(),
                        amount: Some(*balance),
                        reason: "the issuer has not authorised (or has frozen) this trustline: nothing can be sent \
                                 from it until the issuer authorises it"
                            .into(),
                    });
                } else if *auth_required && *balance > 0 && asset.issuer_key() != Some(new_key) {
                    left.push(StellarLeft {
                        what: asset.to_string(),
                        amount: Some(*balance),
                        reason: format!(
                            "the issuer requires authorisation (AUTH_REQUIRED): a fresh trustline of {} cannot \
                             receive it until the issuer authorises it; ask the issuer, then sweep again",
                            new.address
                        ),
                    });
                } else {
                    // With pool shares on the account, the pools' assets' trustlines cannot be removed
                    // (CHANGE_TRUST_CANNOT_DELETE): move their balances but keep them all.
                    credit.push((asset, *balance, *limit, pools == 0));
                    if pools > 0 {}
                }
            }
        }
    }

    // Claimable balances.
    let mut claimed: Vec<(StellarAsset, i64)> = Vec::new();
    let mut native_claimed: i64 = 0;
    for c in &old.claimable_balances {
        let stay = |reason: String| StellarLeft {
            what: format!("claimable balance {} ({})", c.id, c.asset),
            amount: Some(c.amount),
            reason,
        };
        if !c.predicate.holds_at(params.now) {
            left.push(stay(
                "its claim predicate does not allow the old account to claim it now: claim it when it \
                            does (and sweep again), or leave it"
                    .into(),
            ));
            continue;
        }
        let ok = match &c.asset {
            StellarAsset::Native => {
                native_claimed = native_claimed.saturating_add(c.amount);
                true
            }
            asset => match credit.iter().find(|(a, ..)| a == asset) {
                Some((_, balance, limit, _)) => {
                    let before: i64 = claimed.iter().filter(|(a, _)| a == asset).map(|(_, n)| *n).sum();
                    let fits =
                        balance.checked_add(before).and_then(|b| b.checked_add(c.amount)).is_some_and(|b| b <= *limit);
                    if fits {
                        claimed.push((asset.clone(), c.amount));
                    } else {
                        left.push(stay("claiming it would exceed the old account's trustline limit".into()));
                    }
                    fits
                }
                None => {
                    left.push(stay(
                        "the old account has no usable trustline for its asset, so it cannot claim it (claiming \
                         needs a trustline on the claimant)"
                            .into(),
                    ));
                    false
                }
            },
        };
        if ok {
            groups.push(vec![Op::Claim { hash: c.hash().map_err(bad_holdings)? }]);
            if c.asset == StellarAsset::Native {
                moves.push(StellarMove {
                    asset: "native".into(),
                    amount: c.amount,
                    how: "claim (then merge or payment)",
                });
            }
        }
    }

    // 2. The new account and its reserves; 3. the trustlines.
    let moving: Vec<&(StellarAsset, i64, i64, bool)> = credit.iter().collect();
    let amount_of = |asset: &StellarAsset, balance: i64| -> i64 {
        balance.saturating_add(claimed.iter().filter(|(a, _)| a == asset).map(|(_, n)| *n).sum::<i64>())
    };
    let needs_line = |asset: &StellarAsset| {
        asset.issuer_key() != Some(new_key) && !new.trustlines.iter().any(|t| t.asset().as_ref() == Some(asset))
    };
    let new_lines = moving.iter().filter(|(a, b, ..)| amount_of(a, *b) > 0 && needs_line(a)).count() as i64;
    let funding = if new.exists {
        (new_lines > 0).then(|| Op::Payment { asset: StellarAsset::Native, amount: new_lines * reserve })
    } else {
        Some(Op::CreateAccount { starting_balance: (2 + new_lines) * reserve })
    };
    let funded = match &funding {
        Some(Op::CreateAccount { starting_balance }) | Some(Op::Payment { amount: starting_balance, .. }) => {
            *starting_balance
        }
        _ => 0,
    };
    if let Some(op) = funding {
        moves.push(StellarMove {
            asset: "native".into(),
            amount: funded,
            how: if matches!(op, Op::CreateAccount { .. }) { "create account" } else { "payment (reserves)" },
        });
        groups.push(vec![op]);
    }
    let mut removed_lines = 0u32;
    for (asset, balance, _, removable) in &moving {
        let amount = amount_of(asset, *balance);
        let mut g = Vec::new();
        if amount > 0 {
            if asset.issuer_key() != Some(new_key) {
                g.push(Op::Trust { asset: asset.clone() });
            }
            g.push(Op::Payment { asset: asset.clone(), amount });
            moves.push(StellarMove {
                asset: asset.to_string(),
                amount,
                how: if amount > *balance { "claim and payment" } else { "payment" },
            });
        }
        if *removable {
            g.push(Op::Untrust { asset: asset.clone() });
            removed_lines += 1;
        } else if amount > 0 {
            left.push(StellarLeft {
                what: format!("trustline {asset}"),
                amount: None,
                reason: "kept on the old account: the liquidity-pool shares need it (its balance moves)".into(),
            });
        }
        if !g.is_empty() {
            groups.push(g);
        }
    }

    // 4. Lumens: the merge, or what is above the remaining minimum balance.
    let removed = removed_lines + old.offers.len() as u32 + old.data.len() as u32;
    let remaining = old.subentry_count.saturating_sub(removed);
    let merge_blocked = if remaining > 0 {
        Some(format!(
            "{remaining} subentr{} remain on the old account (trustlines that stay, extra signers, or entries the \
             holdings do not list): an account with subentries cannot be merged",
            if remaining == 1 { "y" } else { "ies" }
        ))
    } else if old.num_sponsoring > 0 {
        Some(format!(
            "the old account pays the reserve of {} entr{} of other accounts (sponsoring): it cannot be merged \
             until they are revoked or transferred",
            old.num_sponsoring,
            if old.num_sponsoring == 1 { "y" } else { "ies" }
        ))
    } else {
        None
    };
    let merges = merge_blocked.is_none();
    // The last group: the merge, or the lumen payment (its amount set once the fee is known).
    groups.push(vec![if merges { Op::Merge } else { Op::Payment { asset: StellarAsset::Native, amount: 0 } }]);
    let ops_total: usize = groups.iter().map(Vec::len).sum();
    let fee = i64::try_from(ops_total).unwrap_or(i64::MAX).saturating_mul(i64::from(params.base_fee));
    // The old account's minimum balance when the new account is funded (offers and data entries are gone then,
    // the trustlines not yet).
    let entries_then = i64::from(old.subentry_count) - old.offers.len() as i64 - old.data.len() as i64;
    let min_then = (2 + entries_then + i64::from(old.num_sponsoring) - i64::from(old.num_sponsored)).max(0) * reserve;
    let lumens = old.native.saturating_add(native_claimed).saturating_sub(fee);
    if lumens.saturating_sub(min_then) < funded {
        return Err(MigrateError::BalanceBelowFee {
            balance: u64::try_from(old.native).unwrap_or(0),
            fee: u64::try_from(fee.saturating_add(funded).saturating_add(min_then)).unwrap_or(u64::MAX),
        });
    }
    if merges {
        moves.push(StellarMove { asset: "native".into(), amount: lumens.saturating_sub(funded), how: "merge" });
    } else {
        let min_after =
            (2 + i64::from(remaining) + i64::from(old.num_sponsoring) - i64::from(old.num_sponsored)).max(0) * reserve;
        let pay = lumens.saturating_sub(funded).saturating_sub(min_after);
        if pay > 0 {
            if let Some(Op::Payment { amount, .. }) = groups.last_mut().and_then(|g| g.last_mut()) {
                *amount = pay;
            }
            moves.push(StellarMove { asset: "native".into(), amount: pay, how: "payment" });
        } else {
            groups.pop();
        }
        left.push(StellarLeft {
            what: "native".into(),
            amount: Some(min_after),
            reason: format!(
                "the old account's minimum balance stays (the account cannot be merged): {}",
                merge_blocked.unwrap_or_default()
            ),
        });
    }
    let txs = split(&groups);
    let fee_total: i64 = txs.iter().map(|t| t.len() as i64 * i64::from(params.base_fee)).sum();
    let mut transactions = Vec::with_capacity(txs.len());
    for (i, ops) in txs.iter().enumerate() {
        let fee = u32::try_from(ops.len())
            .ok()
            .and_then(|n| n.checked_mul(params.base_fee))
            .filter(|f| u64::from(*f) <= super::MAX_STELLAR_FEE);
        let fee = fee.ok_or(MigrateError::BadFee {
            reason: "the fee for the transaction's operations is above the destination guard's cap of 10000000 \
                     stroops (1 XLM)",
        })?;
        let seq_i =
            seq.checked_add(i as i64).ok_or(MigrateError::BadSequence { reason: "it is the largest there is" })?;
        transactions
            .push(base64::engine::general_purpose::STANDARD.encode(envelope(&old_key, &new_key, fee, seq_i, ops)));
    }
    Ok(StellarSweepPlan { transactions, moves, left, merges, fee: fee_total })
}

/// Packs groups of operations into transactions of at most [`MAX_OPERATIONS`] operations, in order, a group never
/// split (the merge, the last group, so lands in the last transaction).
fn split(groups: &[Vec<Op>]) -> Vec<Vec<Op>> {
    let mut txs: Vec<Vec<Op>> = vec![Vec::new()];
    for g in groups {
        let cur = txs.last().map_or(0, Vec::len);
        if cur + g.len() > MAX_OPERATIONS {
            txs.push(Vec::new());
        }
        if let Some(t) = txs.last_mut() {
            t.extend(g.iter().cloned());
        }
    }
    txs.retain(|t| !t.is_empty());
    txs
}
