//! Stellar: `TransactionEnvelope` XDR (`ENVELOPE_TYPE_TX`, v1), networks and the signature base.
//!
//! Layouts from `stellar/stellar-xdr` (`Stellar-transaction.x`, `Stellar-types.x`, `Stellar-ledger-entries.x`):
//!
//! ```text
//! TransactionEnvelope = int32 type (2 = ENVELOPE_TYPE_TX) Transaction DecoratedSignature<20>
//! Transaction         = MuxedAccount source, uint32 fee, int64 seqNum, Preconditions, Memo, Operation<100>, ext
//! signature base      = sha256(network id || int32 ENVELOPE_TYPE_TX || Transaction XDR), network id =
//!                       sha256(passphrase)
//! ```
//!
//! Payment, create account, account merge, change trust, manage data, bump sequence, inflation, manage sell/buy
//! offer and claim claimable balance are decoded;
//! other operation types are named and left undecoded. Their bodies cannot be skipped without decoding them, so the
//! end of the transaction is then found from the signatures at the end of the envelope.

use sha2::{Digest, Sha256};

use super::reader::Reader;
use super::{DecodeError, Line, SignError};
use crate::chain::stellar as strkey;
use crate::derive::PublicKey;

/// `ENVELOPE_TYPE_TX`.
pub const ENVELOPE_TYPE_TX: u32 = 2;
/// `ENVELOPE_TYPE_TX_FEE_BUMP` (not decoded: named to recognise fee-bump signature bases in raw bytes).
pub const ENVELOPE_TYPE_TX_FEE_BUMP: u32 = 5;
/// The public network's passphrase.
pub const PUBLIC_PASSPHRASE: &str = "Public Global Stellar Network ; September 2015";
/// The test network's passphrase.
pub const TESTNET_PASSPHRASE: &str = "Test SDF Network ; September 2015";
/// The future network's passphrase.
pub const FUTURENET_PASSPHRASE: &str = "Test SDF Future Network ; October 2022";
/// Most signatures an envelope holds.
pub const MAX_SIGNATURES: usize = 20;
/// Most operations a transaction holds.
pub const MAX_OPERATIONS: usize = 100;

/// A Stellar network, identified by its passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Network {
    /// The public network.
    Public,
    /// The test network.
    Testnet,
    /// The future network.
    Futurenet,
    /// Any other network, by its full passphrase.
    Custom(String),
}

impl Network {
    /// A network by name: `public`, `testnet`, `futurenet`, or one of their exact passphrases. Other passphrases
    /// must be given explicitly as [`Network::Custom`], so a typo never silently names a network.
    ///
    /// # Errors
    /// [`SignError::UnknownNetwork`].
    pub fn from_name(name: &str) -> Result<Self, SignError> {
        match name.trim() {
            n if n.eq_ignore_ascii_case("public") || n == PUBLIC_PASSPHRASE => Ok(Self::Public),
            n if n.eq_ignore_ascii_case("testnet") || n == TESTNET_PASSPHRASE => Ok(Self::Testnet),
            n if n.eq_ignore_ascii_case("futurenet") || n == FUTURENET_PASSPHRASE => Ok(Self::Futurenet),
            _ => Err(SignError::UnknownNetwork { name: name.chars().take(100).collect() }),
        }
    }

    /// A network given by a user: a name or known passphrase as [`Network::from_name`], or else a full passphrase,
    /// recognised by its `" ; "` (every Stellar passphrase reads "Name ; Month Year"). A bare unknown word such as
    /// `mainnet` is refused rather than taken as a passphrase; a custom network is named in the summary.
    ///
    /// ```
    /// use coffer_core::sign::Network;
    /// assert_eq!(Network::parse("testnet").unwrap(), Network::Testnet);
    /// assert_eq!(
    ///     Network::parse("Standalone Network ; February 2017").unwrap(),
    ///     Network::Custom("Standalone Network ; February 2017".into())
    /// );
    /// assert!(Network::parse("mainnet").is_err());
    /// ```
    ///
    /// # Errors
    /// [`SignError::UnknownNetwork`].
    pub fn parse(text: &str) -> Result<Self, SignError> {
        match Self::from_name(text) {
            Err(_) if text.contains(" ; ") && text.len() <= 256 => Ok(Self::Custom(text.to_owned())),
            other => other,
        }
    }

    /// The passphrase.
    #[must_use]
    pub fn passphrase(&self) -> &str {
        match self {
            Self::Public => PUBLIC_PASSPHRASE,
            Self::Testnet => TESTNET_PASSPHRASE,
            Self::Futurenet => FUTURENET_PASSPHRASE,
            Self::Custom(p) => p,
        }
    }

    /// The network ID: sha256(passphrase).
    #[must_use]
    pub fn id(&self) -> [u8; 32] {
        Sha256::digest(self.passphrase().as_bytes()).into()
    }

    /// A short name for summaries.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Public => "public".into(),
            Self::Testnet => "testnet".into(),
            Self::Futurenet => "futurenet".into(),
            Self::Custom(p) => format!("custom, passphrase {}", crate::text::quote(p)),
        }
    }
}

/// A (possibly multiplexed) account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MuxedAccount {
    /// The ed25519 public key of the underlying account.
    pub key: [u8; 32],
    /// The multiplexing ID, for an `M…` account.
    pub id: Option<u64>,
}

impl core::fmt::Display for MuxedAccount {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&strkey::address(&PublicKey(self.key)))?;
        if let Some(id) = self.id {
            write!(f, " (muxed id {id})")?;
        }
        Ok(())
    }
}

/// An asset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Asset {
    /// Lumens.
    Native,
    /// A credit asset: code and issuer.
    Credit {
        /// The asset code (trailing NULs removed).
        code: String,
        /// The issuer's public key.
        issuer: [u8; 32],
    },
    /// A liquidity-pool share (change trust only): the two assets and the fee in basis points.
    PoolShare {
        /// First asset.
        a: Box<Asset>,
        /// Second asset.
        b: Box<Asset>,
        /// Fee (basis points).
        fee: i32,
    },
}

impl core::fmt::Display for Asset {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Native => f.write_str("XLM"),
            Self::Credit { code, issuer } => write!(f, "{code} issued by {}", strkey::address(&PublicKey(*issuer))),
            Self::PoolShare { a, b, fee } => write!(f, "pool share of {a} / {b} (fee {fee} bp)"),
        }
    }
}

/// Time bounds (UNIX seconds; 0 = unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBounds {
    /// Not valid before.
    pub min_time: u64,
    /// Not valid after (0: no limit).
    pub max_time: u64,
}

/// Transaction preconditions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preconditions {
    /// None.
    None,
    /// Time bounds only.
    Time(TimeBounds),
    /// Preconditions v2.
    V2 {
        /// Time bounds.
        time_bounds: Option<TimeBounds>,
        /// Ledger bounds (min, max; max 0 = none).
        ledger_bounds: Option<(u32, u32)>,
        /// Minimum source sequence number.
        min_seq_num: Option<i64>,
        /// Minimum source sequence age (seconds).
        min_seq_age: u64,
        /// Minimum ledger gap.
        min_seq_ledger_gap: u32,
        /// Number of extra signers required.
        extra_signers: usize,
    },
}

/// A memo.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Memo {
    /// None.
    None,
    /// Text: up to 28 bytes, kept as they are (XDR does not require UTF-8; bytes that are not UTF-8 are shown as
    /// hex, never lossily, since exchanges route deposits by memo).
    Text(Vec<u8>),
    /// A 64-bit ID.
    Id(u64),
    /// A hash.
    Hash([u8; 32]),
    /// A return hash.
    Return([u8; 32]),
}

/// An operation's body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationBody {
    /// Creates and funds an account.
    CreateAccount {
        /// The new account.
        destination: [u8; 32],
        /// Starting balance in stroops.
        starting_balance: i64,
    },
    /// A payment.
    Payment {
        /// The recipient.
        destination: MuxedAccount,
        /// The asset.
        asset: Asset,
        /// Amount in stroops.
        amount: i64,
    },
    /// Changes a trustline.
    ChangeTrust {
        /// The asset trusted.
        line: Asset,
        /// The limit (0 removes the trustline).
        limit: i64,
    },
    /// Merges the source account into the destination, moving all lumens and deleting the source.
    AccountMerge {
        /// Who receives the lumens.
        destination: MuxedAccount,
    },
    /// Runs inflation (obsolete).
    Inflation,
    /// Sets or deletes a data entry.
    ManageData {
        /// The entry name, as its bytes (shown as hex when not UTF-8).
        name: Vec<u8>,
        /// The value (None deletes).
        value: Option<Vec<u8>>,
    },
    /// Bumps the sequence number.
    BumpSequence {
        /// The new sequence number.
        bump_to: i64,
    },
    /// Creates, changes or (amount 0) deletes an offer: `MANAGE_SELL_OFFER` (`buy` false, amount of `selling`) or
    /// `MANAGE_BUY_OFFER` (`buy` true, amount of `buying`).
    ManageOffer {
        /// Whether it is `MANAGE_BUY_OFFER`.
        buy: bool,
        /// The asset sold.
        selling: Asset,
        /// The asset bought.
        buying: Asset,
        /// The amount in stroops (0 deletes the offer).
        amount: i64,
        /// The price as a fraction (numerator, denominator).
        price: (i32, i32),
        /// The offer id (0 creates a new offer).
        offer_id: i64,
    },
    /// Claims a claimable balance into the source account.
    ClaimClaimableBalance {
        /// The balance id's hash (`CLAIMABLE_BALANCE_ID_TYPE_V0`).
        balance_id: [u8; 32],
    },
    /// Not decoded.
    Undecoded {
        /// The operation type.
        kind: u32,
        /// Its XDR name.
        name: &'static str,
    },
}

/// An operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operation's own source account, if any.
    pub source: Option<MuxedAccount>,
    /// What it does.
    pub body: OperationBody,
}

/// A signature in an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoratedSignature {
    /// The last 4 bytes of the signer's public key.
    pub hint: [u8; 4],
    /// The signature (up to 64 bytes).
    pub signature: Vec<u8>,
}

/// A decoded `ENVELOPE_TYPE_TX` envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The transaction source account.
    pub source: MuxedAccount,
    /// The fee in stroops.
    pub fee: u32,
    /// The sequence number.
    pub seq_num: i64,
    /// Preconditions.
    pub preconditions: Preconditions,
    /// Memo.
    pub memo: Memo,
    /// Operations, up to the first one that is not decoded (which is included, as [`OperationBody::Undecoded`]).
    pub operations: Vec<Operation>,
    /// The number of operations the transaction declares.
    pub operation_count: usize,
    /// Whether the transaction has a Soroban extension (not decoded).
    pub soroban: bool,
    /// The transaction XDR (what the signature base covers).
    pub tx_xdr: Vec<u8>,
    /// The signatures already present.
    pub signatures: Vec<DecoratedSignature>,
}

impl Envelope {
    /// Whether everything was decoded (no undecoded operation, no Soroban data).
    #[must_use]
    pub fn fully_decoded(&self) -> bool {
        !self.soroban && self.operations.len() == self.operation_count
    }

    /// The keys that may sign: the source account and every operation source.
    #[must_use]
    pub fn signers(&self) -> Vec<[u8; 32]> {
        let mut out = vec![self.source.key];
        for op in &self.operations {
            if let Some(s) = op.source
                && !out.contains(&s.key)
            {
                out.push(s.key);
            }
        }
        out
    }

    /// The transaction hash for `network`: sha256(network id || ENVELOPE_TYPE_TX || tx XDR), what is signed.
    #[must_use]
    pub fn hash(&self, network: &Network) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(network.id());
        h.update(ENVELOPE_TYPE_TX.to_be_bytes());
        h.update(&self.tx_xdr);
        h.finalize().into()
    }

    /// Whether `key` signed this envelope for `network`: `None` when no signature carries its hint (the last 4
    /// bytes of the key), else whether one of those verifies (strict ed25519) over [`Envelope::hash`].
    #[must_use]
    pub fn signed_by(&self, key: &[u8; 32], network: &Network) -> Option<bool> {
        let hint = [key[28], key[29], key[30], key[31]];
        let mine: Vec<&DecoratedSignature> = self.signatures.iter().filter(|s| s.hint == hint).collect();
        if mine.is_empty() {
            return None;
        }
        let hash = self.hash(network);
        let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(key) else { return Some(false) };
        Some(mine.iter().any(|s| {
            ed25519_dalek::Signature::from_slice(&s.signature).is_ok_and(|sig| vk.verify_strict(&hash, &sig).is_ok())
        }))
    }

    /// Whether the envelope already holds exactly this signature.
    #[must_use]
    pub fn has_signature(&self, hint: [u8; 4], signature: &[u8; 64]) -> bool {
        self.signatures.iter().any(|s| s.hint == hint && s.signature == signature)
    }

    /// The envelope XDR with `extra` appended to the existing signatures.
    #[must_use]
    pub fn encode_with(&self, extra: Option<([u8; 4], &[u8; 64])>) -> Vec<u8> {
        let count = self.signatures.len() + usize::from(extra.is_some());
        let mut out = Vec::with_capacity(8 + self.tx_xdr.len() + 72 * count);
        out.extend_from_slice(&ENVELOPE_TYPE_TX.to_be_bytes());
        out.extend_from_slice(&self.tx_xdr);
        out.extend_from_slice(&(count as u32).to_be_bytes());
        let extra = extra.map(|(h, s)| (h, s.as_slice()));
        for (hint, sig) in self.signatures.iter().map(|s| (s.hint, s.signature.as_slice())).chain(extra) {
            out.extend_from_slice(&hint);
            out.extend_from_slice(&(sig.len() as u32).to_be_bytes());
            out.extend_from_slice(sig);
            out.resize(out.len() + (4 - sig.len() % 4) % 4, 0);
        }
        out
    }
}

/// Decodes a `TransactionEnvelope` (only `ENVELOPE_TYPE_TX`), rejecting trailing bytes.
///
/// # Errors
/// [`DecodeError`]; other envelope types (v0, fee bump) are an unknown tag.
pub fn decode_envelope(bytes: &[u8]) -> Result<Envelope, DecodeError> {
    let mut r = Reader::new(bytes);
    let t = r.u32_be()?;
    if t != ENVELOPE_TYPE_TX {
        return Err(DecodeError::UnknownTag {
            offset: 0,
            what: "envelope type (only ENVELOPE_TYPE_TX = 2 is supported)",
            tag: t.into(),
        });
    }
    let tx_start = r.pos();
    let source = muxed(&mut r)?;
    let fee = r.u32_be()?;
    let seq_num = r.i64_be()?;
    let preconditions = preconditions(&mut r)?;
    let memo = memo(&mut r)?;
    let operation_count = r.xdr_len(MAX_OPERATIONS, 8)?;
    let mut operations = Vec::with_capacity(operation_count);
    let mut complete = true;
    for _ in 0..operation_count {
        let op = operation(&mut r)?;
        let undecoded = matches!(op.body, OperationBody::Undecoded { .. });
        operations.push(op);
        if undecoded {
            complete = false;
            break;
        }
    }
    let mut soroban = false;
    if complete {
        let at = r.pos();
        match r.i32_be()? {
            0 => {}
            1 => soroban = true,
            v => return Err(DecodeError::UnknownTag { offset: at, what: "transaction ext", tag: v as u64 }),
        }
    }
    if complete && !soroban {
        let tx_xdr = r.since(tx_start).to_vec();
        let signatures = signatures(&mut r)?;
        r.finish()?;
        return Ok(Envelope {
            source,
            fee,
            seq_num,
            preconditions,
            memo,
            operations,
            operation_count,
            soroban,
            tx_xdr,
            signatures,
        });
    }
    // The rest of the transaction is not decoded: find its end from the signatures at the end of the envelope.
    let rest = r.rest();
    let body_end = r.pos();
    for k in 0..=MAX_SIGNATURES {
        let Some(sig_start) = rest.len().checked_sub(4 + 72 * k) else { break };
        let mut sr = Reader::new(&rest[sig_start..]);
        if let Ok(signatures) = signatures(&mut sr)
            && signatures.len() == k
            && sr.finish().is_ok()
        {
            let tx_xdr = bytes[tx_start..body_end + sig_start].to_vec();
            return Ok(Envelope {
                source,
                fee,
                seq_num,
                preconditions,
                memo,
                operations,
                operation_count,
                soroban,
                tx_xdr,
                signatures,
            });
        }
    }
    Err(DecodeError::Invalid { offset: body_end, what: "cannot find the signatures after an undecoded operation" })
}

fn signatures(r: &mut Reader<'_>) -> Result<Vec<DecoratedSignature>, DecodeError> {
    let n = r.xdr_len(MAX_SIGNATURES, 8)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let hint = r.array::<4>()?;
        out.push(DecoratedSignature { hint, signature: r.xdr_opaque(64)?.to_vec() });
    }
    Ok(out)
}

fn account_id(r: &mut Reader<'_>) -> Result<[u8; 32], DecodeError> {
    let at = r.pos();
    match r.u32_be()? {
        0 => r.array::<32>(),
        t => Err(DecodeError::UnknownTag { offset: at, what: "public key type", tag: t.into() }),
    }
}

fn muxed(r: &mut Reader<'_>) -> Result<MuxedAccount, DecodeError> {
    let at = r.pos();
    match r.u32_be()? {
        0 => Ok(MuxedAccount { key: r.array::<32>()?, id: None }),
        0x100 => {
            let id = r.u64_be()?;
            Ok(MuxedAccount { key: r.array::<32>()?, id: Some(id) })
        }
        t => Err(DecodeError::UnknownTag { offset: at, what: "muxed account type", tag: t.into() }),
    }
}

fn time_bounds(r: &mut Reader<'_>) -> Result<TimeBounds, DecodeError> {
    Ok(TimeBounds { min_time: r.u64_be()?, max_time: r.u64_be()? })
}

fn preconditions(r: &mut Reader<'_>) -> Result<Preconditions, DecodeError> {
    let at = r.pos();
    match r.u32_be()? {
        0 => Ok(Preconditions::None),
        1 => Ok(Preconditions::Time(time_bounds(r)?)),
        2 => {
            let time_bounds = if r.xdr_bool()? { Some(time_bounds(r)?) } else { None };
            let ledger_bounds = if r.xdr_bool()? { Some((r.u32_be()?, r.u32_be()?)) } else { None };
            let min_seq_num = if r.xdr_bool()? { Some(r.i64_be()?) } else { None };
            let min_seq_age = r.u64_be()?;
            let min_seq_ledger_gap = r.u32_be()?;
            let n = r.xdr_len(2, 36)?;
            for _ in 0..n {
                let at = r.pos();
                match r.u32_be()? {
                    0..=2 => {
                        r.array::<32>()?;
                    }
                    3 => {
                        r.array::<32>()?;
                        r.xdr_opaque(64)?;
                    }
                    t => return Err(DecodeError::UnknownTag { offset: at, what: "signer key type", tag: t.into() }),
                }
            }
            Ok(Preconditions::V2 {
                time_bounds,
                ledger_bounds,
                min_seq_num,
                min_seq_age,
                min_seq_ledger_gap,
                extra_signers: n,
            })
        }
        t => Err(DecodeError::UnknownTag { offset: at, what: "precondition type", tag: t.into() }),
    }
}

fn memo(r: &mut Reader<'_>) -> Result<Memo, DecodeError> {
    let at = r.pos();
    match r.u32_be()? {
        0 => Ok(Memo::None),
        1 => Ok(Memo::Text(r.xdr_opaque(28)?.to_vec())),
        2 => Ok(Memo::Id(r.u64_be()?)),
        3 => Ok(Memo::Hash(r.array()?)),
        4 => Ok(Memo::Return(r.array()?)),
        t => Err(DecodeError::UnknownTag { offset: at, what: "memo type", tag: t.into() }),
    }
}

/// An asset code: 1 to 12 ASCII letters and digits, padded with trailing NULs (as stellar-core requires).
fn asset_code(r: &mut Reader<'_>, len: usize) -> Result<String, DecodeError> {
    let at = r.pos();
    let bytes = r.take(len)?;
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let code = &bytes[..end];
    if code.is_empty() || !code.iter().all(u8::is_ascii_alphanumeric) {
        return Err(DecodeError::Invalid { offset: at, what: "an asset code must be ASCII letters and digits" });
    }
    Ok(code.iter().map(|&b| char::from(b)).collect())
}

fn asset(r: &mut Reader<'_>, pool: bool) -> Result<Asset, DecodeError> {
    let at = r.pos();
    match r.u32_be()? {
        0 => Ok(Asset::Native),
        1 => {
            let code = asset_code(r, 4)?;
            Ok(Asset::Credit { code, issuer: account_id(r)? })
        }
        2 => {
            let code = asset_code(r, 12)?;
            Ok(Asset::Credit { code, issuer: account_id(r)? })
        }
        3 if pool => {
            let at = r.pos();
            match r.u32_be()? {
                0 => {
                    let a = Box::new(asset(r, false)?);
                    let b = Box::new(asset(r, false)?);
                    Ok(Asset::PoolShare { a, b, fee: r.i32_be()? })
                }
                t => Err(DecodeError::UnknownTag { offset: at, what: "liquidity pool type", tag: t.into() }),
            }
        }
        t => Err(DecodeError::UnknownTag { offset: at, what: "asset type", tag: t.into() }),
    }
}

const OPERATION_NAMES: [&str; 27] = [
    "CREATE_ACCOUNT",
    "PAYMENT",
    "PATH_PAYMENT_STRICT_RECEIVE",
    "MANAGE_SELL_OFFER",
    "CREATE_PASSIVE_SELL_OFFER",
    "SET_OPTIONS",
    "CHANGE_TRUST",
    "ALLOW_TRUST",
    "ACCOUNT_MERGE",
    "INFLATION",
    "MANAGE_DATA",
    "BUMP_SEQUENCE",
    "MANAGE_BUY_OFFER",
    "PATH_PAYMENT_STRICT_SEND",
    "CREATE_CLAIMABLE_BALANCE",
    "CLAIM_CLAIMABLE_BALANCE",
    "BEGIN_SPONSORING_FUTURE_RESERVES",
    "END_SPONSORING_FUTURE_RESERVES",
    "REVOKE_SPONSORSHIP",
    "CLAWBACK",
    "CLAWBACK_CLAIMABLE_BALANCE",
    "SET_TRUST_LINE_FLAGS",
    "LIQUIDITY_POOL_DEPOSIT",
    "LIQUIDITY_POOL_WITHDRAW",
    "INVOKE_HOST_FUNCTION",
    "EXTEND_FOOTPRINT_TTL",
    "RESTORE_FOOTPRINT",
];

fn operation(r: &mut Reader<'_>) -> Result<Operation, DecodeError> {
    let source = if r.xdr_bool()? { Some(muxed(r)?) } else { None };
    let at = r.pos();
    let kind = r.u32_be()?;
    let body = match kind {
        0 => OperationBody::CreateAccount { destination: account_id(r)?, starting_balance: r.i64_be()? },
        1 => {
            let destination = muxed(r)?;
            let asset = asset(r, false)?;
            OperationBody::Payment { destination, asset, amount: r.i64_be()? }
        }
        6 => {
            let line = asset(r, true)?;
            OperationBody::ChangeTrust { line, limit: r.i64_be()? }
        }
        8 => OperationBody::AccountMerge { destination: muxed(r)? },
        9 => OperationBody::Inflation,
        10 => {
            let name = r.xdr_opaque(64)?.to_vec();
            let value = if r.xdr_bool()? { Some(r.xdr_opaque(64)?.to_vec()) } else { None };
            OperationBody::ManageData { name, value }
        }
        11 => OperationBody::BumpSequence { bump_to: r.i64_be()? },
        // ManageSellOfferOp / ManageBuyOfferOp = Asset selling, Asset buying, int64 amount, Price {int32 n, int32 d},
        // int64 offerID.
        3 | 12 => {
            let selling = asset(r, false)?;
            let buying = asset(r, false)?;
            let amount = r.i64_be()?;
            let price = (r.i32_be()?, r.i32_be()?);
            OperationBody::ManageOffer { buy: kind == 12, selling, buying, amount, price, offer_id: r.i64_be()? }
        }
        // ClaimClaimableBalanceOp = ClaimableBalanceID (union: 0 = CLAIMABLE_BALANCE_ID_TYPE_V0, Hash).
        15 => {
            let at = r.pos();
            match r.u32_be()? {
                0 => OperationBody::ClaimClaimableBalance { balance_id: r.array::<32>()? },
                t => {
                    return Err(DecodeError::UnknownTag {
                        offset: at,
                        what: "claimable balance id type",
                        tag: t.into(),
                    });
                }
            }
        }
        k => match OPERATION_NAMES.get(k as usize) {
            Some(name) => OperationBody::Undecoded { kind: k, name },
            None => return Err(DecodeError::UnknownTag { offset: at, what: "operation type", tag: k.into() }),
        },
    };
    Ok(Operation { source, body })
}

/// Formats stroops as lumens (7 decimals).
#[must_use]
pub fn format_amount(stroops: i64) -> String {
    let sign = if stroops < 0 { "-" } else { "" };
    let a = stroops.unsigned_abs();
    format!("{sign}{}.{:07}", a / 10_000_000, a % 10_000_000)
}

/// An XDR `string` for display: quoted and escaped when it is UTF-8 ([`crate::text::quote`], with its note when it
/// holds hidden characters), else `hex:…` with a note. Never lossy: two different byte strings never look the same
/// (a lossy decoding shows every invalid sequence as U+FFFD).
#[must_use]
pub fn xdr_text(bytes: &[u8]) -> String {
    xdr_text_warning("", bytes, &mut Vec::new())
}

/// [`xdr_text`], with the summary warning for hidden characters ([`super::untrusted`]) pushed to `warnings`.
fn xdr_text_warning(field: &str, bytes: &[u8], warnings: &mut Vec<String>) -> String {
    match core::str::from_utf8(bytes) {
        Ok(text) => super::untrusted(field, text, warnings),
        Err(_) => format!("hex:{} (not valid UTF-8, shown as hex)", hex::encode(bytes)),
    }
}

fn g(key: &[u8; 32]) -> String {
    strkey::address(&PublicKey(*key))
}

pub(crate) fn describe(
    env: &Envelope,
    network: &Network,
    lines: &mut Vec<Line>,
    undecoded: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    lines.push(Line::new("network", network.name()));
    lines.push(Line::new("source", env.source.to_string()));
    lines.push(Line::new("fee", format!("{} XLM ({} stroops)", format_amount(i64::from(env.fee)), env.fee)));
    lines.push(Line::new("sequence", env.seq_num.to_string()));
    let tb = |t: &TimeBounds| {
        let max = if t.max_time == 0 { "no limit".to_owned() } else { t.max_time.to_string() };
        format!("valid from {} to {max} (UNIX time)", t.min_time)
    };
    lines.push(Line::new(
        "preconditions",
        match &env.preconditions {
            Preconditions::None => "none".to_owned(),
            Preconditions::Time(t) => tb(t),
            Preconditions::V2 {
                time_bounds,
                ledger_bounds,
                min_seq_num,
                min_seq_age,
                min_seq_ledger_gap,
                extra_signers,
            } => {
                let opt = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
                format!(
                    "{}; ledgers {}; min sequence {}; min sequence age {min_seq_age} s; min ledger gap \
                     {min_seq_ledger_gap}; {extra_signers} extra signers",
                    time_bounds.as_ref().map_or_else(|| "no time bounds".to_owned(), tb),
                    opt(ledger_bounds.map(|(lo, hi)| {
                        format!("{lo} to {}", if hi == 0 { "no limit".to_owned() } else { hi.to_string() })
                    })),
                    opt(min_seq_num.map(|n| n.to_string())),
                )
            }
        },
    ));
    lines.push(Line::new(
        "memo",
        match &env.memo {
            Memo::None => "none".to_owned(),
            Memo::Text(t) => format!("text {}", xdr_text_warning("memo", t, warnings)),
            Memo::Id(id) => format!("id {id}"),
            Memo::Hash(h) => format!("hash {}", hex::encode(h)),
            Memo::Return(h) => format!("return {}", hex::encode(h)),
        },
    ));
    for (i, op) in env.operations.iter().enumerate() {
        let label = format!("operation {i}");
        let mut text = match &op.body {
            OperationBody::CreateAccount { destination, starting_balance } => {
                format!("create account {} with {} XLM", g(destination), format_amount(*starting_balance))
            }
            OperationBody::Payment { destination, asset, amount } => {
                format!("pay {} {asset} to {destination}", format_amount(*amount))
            }
            OperationBody::ChangeTrust { line, limit } if *limit == 0 => format!("remove trustline {line}"),
            OperationBody::ChangeTrust { line, limit } => {
                format!("trust {line} up to {}", format_amount(*limit))
            }
            OperationBody::AccountMerge { destination } => {
                format!("merge the account into {destination} (all its lumens move and it is deleted)")
            }
            OperationBody::Inflation => "inflation".to_owned(),
            OperationBody::ManageData { name, value: Some(v) } => {
                let name = xdr_text_warning(&format!("{label} (data name)"), name, warnings);
                format!("set data {name} = 0x{}", hex::encode(v))
            }
            OperationBody::ManageData { name, value: None } => {
                format!("delete data {}", xdr_text_warning(&format!("{label} (data name)"), name, warnings))
            }
            OperationBody::BumpSequence { bump_to } => format!("bump sequence to {bump_to}"),
            OperationBody::ManageOffer { buy, selling, buying, amount, price, offer_id } => {
                let kind = if *buy { "buy" } else { "sell" };
                if *amount == 0 {
                    format!("remove {kind} offer {offer_id} (selling {selling}, buying {buying})")
                } else if *offer_id == 0 {
                    format!(
                        "create a {kind} offer: {} of {}, selling {selling} for {buying} at {}/{}",
                        format_amount(*amount),
                        if *buy { "buying" } else { "selling" },
                        price.0,
                        price.1
                    )
                } else {
                    format!(
                        "change {kind} offer {offer_id} to {} (selling {selling}, buying {buying} at {}/{})",
                        format_amount(*amount),
                        price.0,
                        price.1
                    )
                }
            }
            OperationBody::ClaimClaimableBalance { balance_id } => {
                format!("claim claimable balance 00000000{}", hex::encode(balance_id))
            }
            OperationBody::Undecoded { kind, name } => {
                undecoded.push(format!("{label}: {name} ({kind}) is not decoded"));
                format!("{name}: not decoded")
            }
        };
        if let Some(s) = op.source {
            text.push_str(&format!(" [source {s}]"));
        }
        lines.push(Line::new(label, text));
    }
    let rest = env.operation_count - env.operations.len();
    if rest > 0 {
        undecoded.push(format!("{rest} further operations are not decoded"));
        lines.push(Line::new("further operations", format!("{rest} (not decoded)")));
    }
    if env.soroban {
        undecoded.push("Soroban transaction data is not decoded".to_owned());
        lines.push(Line::new("soroban data", "present (not decoded)"));
    }
    if !env.signatures.is_empty() {
        lines.push(Line::new("existing signatures", env.signatures.len().to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(
            hex::encode(Network::Testnet.id()),
            "cee0302d59844d32bdca915c8203dd44b33fbb7edc19051ea37abedf28ecd472"
        );
        assert_eq!(
            hex::encode(Network::Public.id()),
            "7ac33997544e3175d266bd022439b22cdb16508c01163f26e5cb2a3e1045a979"
        );
        assert_eq!(Network::from_name("TESTNET").unwrap(), Network::Testnet);
        assert_eq!(Network::from_name(PUBLIC_PASSPHRASE).unwrap(), Network::Public);
        assert!(matches!(Network::from_name("mainnet"), Err(SignError::UnknownNetwork { .. })));
        assert!(matches!(
            Network::from_name("Test SDF Network ; September 2016"),
            Err(SignError::UnknownNetwork { .. })
        ));
        assert_eq!(format_amount(12_345_678), "1.2345678");
        // signed_by: none without the key's hint, true for a valid signature, false for another network's.
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let pk = key.verifying_key().to_bytes();
        let mut env = decode_envelope(&crate::migrate::account_merge_envelope(&pk, &[9; 32], 100, 5)).unwrap();
        assert_eq!(env.signed_by(&pk, &Network::Testnet), None);
        let sig = ed25519_dalek::Signer::sign(&key, &env.hash(&Network::Testnet)).to_bytes();
        env.signatures.push(DecoratedSignature { hint: [pk[28], pk[29], pk[30], pk[31]], signature: sig.to_vec() });
        assert_eq!(env.signed_by(&pk, &Network::Testnet), Some(true));
        assert_eq!(env.signed_by(&pk, &Network::Public), Some(false));
        assert_eq!(format_amount(-5), "-0.0000005");
    }
}
