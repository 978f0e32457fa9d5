//! Clear signing: decode what is about to be signed, show it, then sign it with a key derived from a seed.
//!
//! The flow is two steps, so that exactly what was shown is what gets signed:
//! 1. [`decode`] a [`SignRequest`] (chain, payload, Stellar network) into a [`Decoded`]: a readable [`Summary`] with
//!    structured [`Details`], plus the bytes to sign. No key is involved.
//! 2. [`sign`] the `Decoded` with a seed and a derivation path (or build a [`Signer`] once and sign many). The key
//!    must be one the transaction names as a signer (sender or gas owner, fee payer or required signer, source
//!    account), else [`SignError::WrongSigner`] names both. Anything not decoded needs [`Blind::Allow`].
//!
//! Output, per chain (what the chain's own tools accept):
//! - `iota`, `sui`: input base64 `TransactionData` BCS; signs blake2b-256(00 00 00 || bytes); the signature is
//!   base64(0x00 || signature || public key). Personal messages: intent 03 00 00 over BCS `vector<u8>`.
//! - `solana`: input a transaction or bare message, base64 or base58, legacy or v0; the signature goes into the
//!   signer's slot; output the transaction, base64. The signature is shown in base58 (the transaction ID).
//! - `stellar`: input a base64 `TransactionEnvelope` (v1) and a [`Network`]; signs sha256(network id ||
//!   ENVELOPE_TYPE_TX || transaction XDR); output the envelope with the decorated signature appended, base64.
//! - `raw`: ed25519 over the given bytes, only with [`Blind::Allow`], and never over bytes that are a transaction of
//!   the chain whose path the key is at ([`check_raw`], [`SignError::RawIsChainTransaction`]).
//!
//! Summaries show the most a Solana transaction can cost ([`Summary::max_fee`], with a warning above
//! [`solana::FEE_WARNING_LAMPORTS`] in [`Summary::warnings`]), and never show untrusted text lossily: bytes that are
//! not UTF-8 are shown as hex. Text a transaction carries (memos, data names, messages) is shown quoted, printable
//! ASCII as it is and every other character as `\u{XXXX}` ([`crate::text::quote`]), so it cannot drive a terminal,
//! reorder or hide itself; text holding control, invisible or text-direction characters gets a note on its line and
//! a warning in [`Summary::warnings`].
//!
//! Private keys stay inside this crate and are wiped on drop; only signatures and public data come out.
//!
//! ```
//! use coffer_core::{AccountIndex, AddressIndex, chain::Chain, mnemonic::Mnemonic, sign::{self, Blind, Payload, SignRequest}};
//!
//! let seed = Mnemonic::parse("film crazy soon outside stand loop subway crumble thrive popular green nuclear \
//!     struggle pistol arm wife phrase warfare march wheat nephew ask sunny firm")?.to_seed("");
//! let request = SignRequest::new(Chain::Sui, Payload::Message(b"hello".to_vec()));
//! let decoded = sign::decode(&request)?;
//! println!("{}", decoded.summary());
//! let signed = sign::sign(&seed, &Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO)?, &decoded, Blind::Refuse)?;
//! assert_eq!(signed.address, "0xa2d14fad60c56049ecf75246a481934691214ce413e6a8ae2fe6834c173a6133");
//! assert_eq!(signed.signature.len(), 132); // base64 of 97 bytes
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod iota_sui;
// Also the vault format's cursor (vault/format.rs): one bounded reader for all untrusted bytes.
pub(crate) mod reader;
pub mod solana;
pub mod stellar;

use core::fmt;
use std::borrow::Cow;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::Signer as _;
use sha2::{Digest as _, Sha256};

use crate::chain::{AccountIndex, AddressIndex, Chain, ChainError};
use crate::derive::{DerivationPath, ExtendedKey, PublicKey};
use crate::mnemonic::Seed;

pub use stellar::Network;

/// Largest text or message accepted (16 MiB): far above any chain's transaction size.
pub const MAX_INPUT: usize = 16 << 20;

/// Why bytes could not be decoded. Offsets count from the start of the decoded (binary) input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is empty.
    #[error("the input is empty")]
    Empty,
    /// The text is not in the expected encoding.
    #[error("the input is not valid {encoding}")]
    Encoding {
        /// The expected encoding(s).
        encoding: &'static str,
    },
    /// The input ends in the middle of a field.
    #[error("the input ends early: {needed} more bytes needed at byte {offset}")]
    Truncated {
        /// Where the field starts.
        offset: usize,
        /// The bytes the field needs.
        needed: usize,
    },
    /// Bytes follow the end of the structure.
    #[error("{count} unexpected bytes follow the end at byte {offset}")]
    TrailingBytes {
        /// Where the structure ends.
        offset: usize,
        /// How many bytes follow.
        count: usize,
    },
    /// A length or count larger than the input or the format allows.
    #[error("length {length} at byte {offset} exceeds the input or the format's limit")]
    LengthTooLarge {
        /// Where the length is.
        offset: usize,
        /// The declared length.
        length: u64,
    },
    /// An enum tag or type this decoder does not know.
    #[error("unknown {what} {tag} at byte {offset}")]
    UnknownTag {
        /// Where the tag is.
        offset: usize,
        /// What kind of tag.
        what: &'static str,
        /// Its value.
        tag: u64,
    },
    /// Nesting deeper than allowed.
    #[error("nesting deeper than {max} levels at byte {offset}")]
    TooDeep {
        /// Where the limit was hit.
        offset: usize,
        /// The limit.
        max: usize,
    },
    /// A value that breaks the format's rules.
    #[error("invalid input at byte {offset}: {what}")]
    Invalid {
        /// Where.
        offset: usize,
        /// Which rule.
        what: &'static str,
    },
}

impl DecodeError {
    /// Where in the input the problem is (0 for whole-input problems).
    #[must_use]
    pub fn offset(&self) -> usize {
        match self {
            Self::Empty | Self::Encoding { .. } => 0,
            Self::Truncated { offset, .. }
            | Self::TrailingBytes { offset, .. }
            | Self::LengthTooLarge { offset, .. }
            | Self::UnknownTag { offset, .. }
            | Self::TooDeep { offset, .. }
            | Self::Invalid { offset, .. } => *offset,
        }
    }
}

/// Why a request could not be decoded or signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The chain cannot sign (legacy IOTA Stardust).
    #[error("signing is not supported for {chain}")]
    UnsupportedChain {
        /// The chain.
        chain: Chain,
    },
    /// The chain has no personal-message signing, or `raw` was given a transaction.
    #[error("{chain} does not sign {what}")]
    UnsupportedPayload {
        /// The chain.
        chain: Chain,
        /// "personal messages" or "transactions".
        what: &'static str,
    },
    /// The input did not decode.
    #[error("cannot decode the {chain} {what}: {source}")]
    Decode {
        /// The chain.
        chain: Chain,
        /// What was being decoded.
        what: &'static str,
        /// Why.
        #[source]
        source: DecodeError,
    },
    /// The input is larger than [`MAX_INPUT`].
    #[error("the input is larger than {MAX_INPUT} bytes")]
    TooLarge,
    /// A Stellar transaction needs a network.
    #[error("a stellar transaction needs a network (public, testnet, or a passphrase)")]
    NetworkRequired,
    /// A network name that is not known.
    #[error(
        "unknown stellar network {name:?} (use public, testnet, futurenet, or a full passphrase such as \
         \"Standalone Network ; February 2017\")"
    )]
    UnknownNetwork {
        /// The name given.
        name: String,
    },
    /// The key is not a signer of the transaction.
    #[error("the key at {path} is {key_address}, but this transaction is to be signed by {}", expected.join(" or "))]
    WrongSigner {
        /// The path of the key.
        path: String,
        /// The key's address.
        key_address: String,
        /// The addresses the transaction names as signers.
        expected: Vec<String>,
    },
    /// Something was not decoded (listed in [`Summary::undecoded`]) and blind signing was not allowed.
    #[error("refusing to sign content that was not decoded ({}); allow blind signing to sign it anyway", reasons.join("; "))]
    BlindRefused {
        /// What was not decoded.
        reasons: Vec<String>,
    },
    /// The decoded request is for another chain than the signer.
    #[error("the request is for {request} but the key is for {signer}")]
    ChainMismatch {
        /// The request's chain.
        request: Chain,
        /// The signer's chain.
        signer: Chain,
    },
    /// The Stellar envelope already holds the maximum number of signatures.
    #[error("the envelope already holds {} signatures", stellar::MAX_SIGNATURES)]
    TooManySignatures,
    /// Raw signing refused: the key is at a path of `chain` and the bytes are a `chain` transaction in one of the
    /// forms that chain signs (or could be its hash), so signing them raw would sign a transaction that was never
    /// decoded or shown. Blind-signing consent does not lift this. See [`check_raw`].
    #[error(
        "refusing raw signing: the key at {path} is a {chain} key and these bytes are {what}, so signing them raw \
         would sign a {chain} transaction without decoding or showing it; sign it as a {chain} transaction \
         instead (`coffer sign --chain {chain} …`)"
    )]
    RawIsChainTransaction {
        /// The chain whose path the key is at.
        chain: Chain,
        /// The key's path.
        path: String,
        /// What the bytes are, e.g. "a solana transaction message".
        what: &'static str,
    },
    /// A bad account or index.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// What to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload {
    /// A transaction in the chain's text form (base64; Solana also base58). Surrounding whitespace is ignored.
    Transaction(String),
    /// A transaction as bytes (what the text form encodes): BCS `TransactionData` (IOTA, Sui), a Solana transaction
    /// or bare message, a Stellar `TransactionEnvelope` XDR. Decoded and signed exactly as its text form.
    TransactionBytes(Vec<u8>),
    /// A personal message (IOTA, Sui) or, for `raw`, the bytes to sign.
    Message(Vec<u8>),
}

/// A signing request: the chain, what to sign and, for Stellar, the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRequest {
    /// The chain.
    pub chain: Chain,
    /// What to sign.
    pub payload: Payload,
    /// The Stellar network (required for Stellar transactions, ignored elsewhere).
    pub network: Option<Network>,
}

impl SignRequest {
    /// A request without a network.
    #[must_use]
    pub fn new(chain: Chain, payload: Payload) -> Self {
        Self { chain, payload, network: None }
    }

    /// Sets the Stellar network.
    #[must_use]
    pub fn with_network(mut self, network: Network) -> Self {
        self.network = Some(network);
        self
    }
}

/// Whether content that was not decoded may be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Blind {
    /// Refuse (the default).
    #[default]
    Refuse,
    /// The user explicitly accepted signing what Coffer could not decode (`--allow-blind`).
    Allow,
}

/// One line of a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// What the line is about ("sender", "command 0", ...).
    pub label: String,
    /// Its value.
    pub value: String,
}

impl Line {
    pub(crate) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into() }
    }
}

/// The structured content of a request, for callers that check it (the migration guard).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Details {
    /// An IOTA or Sui transaction.
    IotaSui(iota_sui::TransactionData),
    /// An IOTA or Sui personal message.
    PersonalMessage(Vec<u8>),
    /// A Solana transaction.
    Solana(solana::Transaction),
    /// A Stellar envelope and its network.
    Stellar(stellar::Envelope, Network),
    /// Raw bytes.
    Raw(Vec<u8>),
}

/// What a request does, for people (`lines`) and programs (`details`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// The chain.
    pub chain: Chain,
    /// "transaction", "personal message" or "raw bytes".
    pub kind: &'static str,
    /// Readable lines, in order.
    pub lines: Vec<Line>,
    /// What was not decoded; signing needs [`Blind::Allow`] unless this is empty.
    pub undecoded: Vec<String>,
    /// The addresses that may sign, in the chain's format (empty when anyone may: messages, raw bytes, or when
    /// the transaction was not decoded far enough to know).
    pub signers: Vec<String>,
    /// The most the transaction can cost in fees, where Coffer computes it (Solana; also shown as a line).
    pub max_fee: Option<Fee>,
    /// What the signer should beware of although everything was decoded (a fee above
    /// [`solana::FEE_WARNING_LAMPORTS`], ...). Warnings do not block signing.
    pub warnings: Vec<String>,
    /// The decoded structure.
    pub details: Details,
}

/// The most a transaction can cost in fees.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fee {
    /// In the chain's smallest unit.
    pub base_units: u128,
    /// That unit ("lamports").
    pub base_unit: &'static str,
    /// In the chain's coin, as a decimal ("0.000105000").
    pub amount: String,
    /// The coin ("SOL").
    pub symbol: &'static str,
}

impl Summary {
    /// Whether everything was decoded.
    #[must_use]
    pub fn fully_decoded(&self) -> bool {
        self.undecoded.is_empty()
    }

    /// A single line for the signing log, e.g. `sui transaction: transfer objects [...] to 0x...`.
    #[must_use]
    pub fn one_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for l in &self.lines {
            if l.label.starts_with("command")
                || l.label.starts_with("instruction")
                || l.label.starts_with("operation")
                || matches!(l.label.as_str(), "message" | "bytes")
            {
                parts.push(l.value.clone());
            }
        }
        let mut s = format!("{} {}", self.chain, self.kind);
        if let Some(signer) = self.signers.first() {
            s.push_str(&format!(" from {signer}"));
        }
        if !parts.is_empty() {
            s.push_str(": ");
            s.push_str(&parts.join("; "));
        }
        if !self.undecoded.is_empty() {
            s.push_str(" [blind]");
        }
        const MAX: usize = 500;
        if s.len() > MAX {
            let cut = (0..=MAX).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            s.truncate(cut);
            s.push('…');
        }
        s
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.chain, self.kind)?;
        for l in &self.lines {
            writeln!(f, "  {}: {}", l.label, l.value)?;
        }
        for w in &self.warnings {
            writeln!(f, "WARNING: {w}")?;
        }
        if !self.undecoded.is_empty() {
            writeln!(f, "NOT DECODED (signing needs explicit blind-signing consent):")?;
            for u in &self.undecoded {
                writeln!(f, "  - {u}")?;
            }
        }
        Ok(())
    }
}

/// What the signature covers, per chain.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// ed25519 over a 32-byte intent digest (IOTA, Sui).
    Intent([u8; 32]),
    /// ed25519 over the message bytes (Solana).
    SolanaMessage,
    /// ed25519 over the 32-byte transaction hash (Stellar).
    StellarHash([u8; 32]),
    /// ed25519 over the bytes themselves (raw).
    Raw,
}

/// A decoded request, ready to show and to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    summary: Arc<Summary>,
    target: Target,
    /// Signer identities in the chain's own terms (addresses for IOTA/Sui, public keys for Solana/Stellar).
    signer_ids: Vec<[u8; 32]>,
}

impl Decoded {
    /// What the request does.
    #[must_use]
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The chain.
    #[must_use]
    pub fn chain(&self) -> Chain {
        self.summary.chain
    }
}

fn check_size(len: usize) -> Result<(), SignError> {
    if len > MAX_INPUT { Err(SignError::TooLarge) } else { Ok(()) }
}

/// The bytes of a transaction payload: given as bytes, or decoded from its base64 text; size-checked either way.
fn transaction_bytes<'a>(payload: &'a Payload, chain: Chain, what: &'static str) -> Result<Cow<'a, [u8]>, SignError> {
    match payload {
        Payload::TransactionBytes(bytes) => {
            check_size(bytes.len())?;
            Ok(Cow::Borrowed(bytes))
        }
        Payload::Transaction(text) => {
            check_size(text.len())?;
            base64_decode(text).map(Cow::Owned).map_err(|source| SignError::Decode { chain, what, source })
        }
        Payload::Message(_) => Err(SignError::UnsupportedPayload { chain, what: "personal messages" }),
    }
}

fn base64_decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    BASE64.decode(text).map_err(|_| DecodeError::Encoding { encoding: "base64" })
}

/// Decodes a request into a summary and the bytes to sign. No key is involved.
///
/// # Errors
/// [`SignError::Decode`] for malformed input (bad base64/base58, truncated or trailing bytes, unknown tags),
/// [`SignError::NetworkRequired`] for a Stellar transaction without a network, [`SignError::UnsupportedChain`] and
/// [`SignError::UnsupportedPayload`] for combinations Coffer does not sign, [`SignError::TooLarge`].
pub fn decode(request: &SignRequest) -> Result<Decoded, SignError> {
    let chain = request.chain;
    let err = |what| move |source| SignError::Decode { chain, what, source };
    let mut lines = Vec::new();
    let mut undecoded = Vec::new();
    match (&request.payload, chain) {
        (payload @ (Payload::Transaction(_) | Payload::TransactionBytes(_)), Chain::Iota | Chain::Sui) => {
            let bytes = transaction_bytes(payload, chain, "transaction")?;
            let data = iota_sui::decode_transaction(chain, &bytes).map_err(err("transaction"))?;
            let address = |a: &[u8; 32]| iota_sui::hex_address(a);
            let signer_ids = match &data {
                iota_sui::TransactionData::Programmable(tx) => {
                    iota_sui::describe(chain, tx, &mut lines, &mut undecoded);
                    tx.signers()
                }
                iota_sui::TransactionData::OtherKind { tag } => {
                    undecoded.push(format!("transaction kind {tag} (a system transaction) is not decoded"));
                    lines.push(Line::new("kind", format!("{tag} (system transaction, not decoded)")));
                    Vec::new()
                }
            };
            let summary = Summary {
                chain,
                kind: "transaction",
                lines,
                undecoded,
                signers: signer_ids.iter().map(address).collect(),
                max_fee: None,
                warnings: Vec::new(),
                details: Details::IotaSui(data),
            };
            let target = Target::Intent(iota_sui::intent_digest(iota_sui::INTENT_TRANSACTION, &bytes));
            Ok(Decoded { summary: Arc::new(summary), target, signer_ids })
        }
        (Payload::Message(bytes), Chain::Iota | Chain::Sui) => {
            check_size(bytes.len())?;
            let mut warnings = Vec::new();
            lines.push(Line::new("message", message_text(bytes, &mut warnings)));
            let target = Target::Intent(iota_sui::personal_message_digest(bytes));
            let summary = Summary {
                chain,
                kind: "personal message",
                lines,
                undecoded,
                signers: Vec::new(),
                max_fee: None,
                warnings,
                details: Details::PersonalMessage(bytes.clone()),
            };
            Ok(Decoded { summary: Arc::new(summary), target, signer_ids: Vec::new() })
        }
        (payload @ (Payload::Transaction(_) | Payload::TransactionBytes(_)), Chain::Solana) => {
            let tx = match payload {
                Payload::TransactionBytes(bytes) => {
                    check_size(bytes.len())?;
                    solana::decode(bytes)
                }
                Payload::Transaction(text) => {
                    check_size(text.len())?;
                    solana_input(text.trim())
                }
                Payload::Message(_) => return Err(SignError::UnsupportedPayload { chain, what: "personal messages" }),
            }
            .map_err(err("transaction"))?;
            let mut warnings = Vec::new();
            let fee = solana::describe(&tx, &mut lines, &mut undecoded, &mut warnings);
            let signer_ids = tx.message.signers().to_vec();
            let total = fee.total();
            let summary = Summary {
                chain,
                kind: "transaction",
                lines,
                undecoded,
                signers: signer_ids.iter().map(|k| solana::base58(k)).collect(),
                max_fee: Some(Fee {
                    base_units: total,
                    base_unit: "lamports",
                    amount: format!("{}.{:09}", total / 1_000_000_000, total % 1_000_000_000),
                    symbol: "SOL",
                }),
                warnings,
                details: Details::Solana(tx),
            };
            Ok(Decoded { summary: Arc::new(summary), target: Target::SolanaMessage, signer_ids })
        }
        (payload @ (Payload::Transaction(_) | Payload::TransactionBytes(_)), Chain::Stellar) => {
            let network = request.network.clone().ok_or(SignError::NetworkRequired)?;
            let bytes = transaction_bytes(payload, chain, "transaction envelope")?;
            let env = stellar::decode_envelope(&bytes).map_err(err("transaction envelope"))?;
            let mut warnings = Vec::new();
            stellar::describe(&env, &network, &mut lines, &mut undecoded, &mut warnings);
            let signer_ids = env.signers();
            let target = Target::StellarHash(env.hash(&network));
            let summary = Summary {
                chain,
                kind: "transaction",
                lines,
                undecoded,
                signers: signer_ids.iter().map(|k| crate::chain::stellar::address(&PublicKey(*k))).collect(),
                max_fee: None,
                warnings,
                details: Details::Stellar(env, network),
            };
            Ok(Decoded { summary: Arc::new(summary), target, signer_ids })
        }
        (Payload::Message(bytes), Chain::Raw) => {
            check_size(bytes.len())?;
            lines.push(Line::new("bytes", format!("{} bytes: 0x{}", bytes.len(), hex_preview(bytes))));
            undecoded.push("raw bytes are signed as they are, without any decoding".to_owned());
            let summary = Summary {
                chain,
                kind: "raw bytes",
                lines,
                undecoded,
                signers: Vec::new(),
                max_fee: None,
                warnings: Vec::new(),
                details: Details::Raw(bytes.clone()),
            };
            Ok(Decoded { summary: Arc::new(summary), target: Target::Raw, signer_ids: Vec::new() })
        }
        (Payload::Message(_), Chain::Solana | Chain::Stellar) => {
            Err(SignError::UnsupportedPayload { chain, what: "personal messages" })
        }
        (Payload::Transaction(_) | Payload::TransactionBytes(_), Chain::Raw) => {
            Err(SignError::UnsupportedPayload { chain, what: "transactions" })
        }
        _ => Err(SignError::UnsupportedChain { chain }),
    }
}

/// A Solana transaction or message in base64 or base58 (tried in that order; base58 is the fallback).
/// Decodes a Solana transaction (or bare message) in the text forms `coffer sign` takes: base64, or base58.
///
/// # Errors
/// [`DecodeError`] when the text is neither.
pub fn solana_input(text: &str) -> Result<solana::Transaction, DecodeError> {
    let base58 = || bs58::decode(text).into_vec().ok().filter(|b| !b.is_empty());
    match base64_decode(text) {
        Ok(bytes) => match solana::decode(&bytes) {
            Ok(tx) => Ok(tx),
            Err(e) => base58().and_then(|b| solana::decode(&b).ok()).ok_or(e),
        },
        Err(DecodeError::Empty) => Err(DecodeError::Empty),
        Err(_) => match base58() {
            Some(bytes) => solana::decode(&bytes),
            None => Err(DecodeError::Encoding { encoding: "base64 or base58" }),
        },
    }
}

fn hex_preview(bytes: &[u8]) -> String {
    const MAX: usize = 64;
    if bytes.len() <= MAX { hex::encode(bytes) } else { format!("{}…", hex::encode(&bytes[..MAX])) }
}

/// A message as quoted text when it is UTF-8 ([`untrusted`]), else as hex.
fn message_text(bytes: &[u8], warnings: &mut Vec<String>) -> String {
    match core::str::from_utf8(bytes) {
        Ok(s) => untrusted("message", s, warnings),
        _ => format!("{} bytes: 0x{}", bytes.len(), hex_preview(bytes)),
    }
}

/// Untrusted text from a transaction or message for a summary line: [`crate::text::quote`] (quoted, printable
/// ASCII as it is, everything else as `\u{XXXX}`, a note when it holds hidden characters), and a warning in
/// `warnings` naming `field` and the hidden characters ([`crate::text::hidden`]). Every piece of text a
/// transaction carries reaches a summary through here.
pub(crate) fn untrusted(field: &str, text: &str, warnings: &mut Vec<String>) -> String {
    let hidden = crate::text::hidden(text);
    if !hidden.is_empty() {
        warnings.push(format!(
            "{field}: the text contains hidden or control characters ({}), shown as \\u{{XXXX}}; compare it \
             character by character: text that looks the same elsewhere may hold different characters",
            crate::text::code_points(&hidden)
        ));
    }
    crate::text::quote(text)
}

/// A signature and everything needed to use and log it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signed {
    /// The chain.
    pub chain: Chain,
    /// The key's derivation path.
    pub path: DerivationPath,
    /// The key's public key.
    pub public_key: PublicKey,
    /// The key's address in the chain's format.
    pub address: String,
    /// The signature in the chain's usual form: IOTA/Sui serialized signature (base64), Solana base58, Stellar
    /// base64, raw hex.
    pub signature: String,
    /// The signed transaction where the chain has one (Solana, Stellar), base64.
    pub signed_tx: Option<String>,
    /// What the signature commits to: the intent digest (IOTA, Sui), sha256 of the message (Solana), the
    /// transaction hash (Stellar), sha256 of the bytes (raw).
    pub digest: Vec<u8>,
    /// The summary that was shown (shared with the [`Decoded`] it came from).
    pub summary: Arc<Summary>,
}

/// What the signing log records for one signature (the time is added by the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// Chain name.
    pub chain: String,
    /// Derivation path.
    pub path: String,
    /// The digest signed (see [`Signed::digest`]).
    pub digest: Vec<u8>,
    /// One-line summary.
    pub summary: String,
}

impl Signed {
    /// The record to append to the signing log.
    #[must_use]
    pub fn log_record(&self) -> LogRecord {
        LogRecord {
            chain: self.chain.name().to_owned(),
            path: self.path.to_string(),
            digest: self.digest.clone(),
            summary: self.summary.one_line(),
        }
    }
}

/// A key derived once and used for many signatures (e.g. a batch after one unlock). The private key never leaves
/// it and is wiped when it is dropped.
pub struct Signer {
    chain: Chain,
    path: DerivationPath,
    key: ed25519_dalek::SigningKey,
    public_key: PublicKey,
    address: String,
    id: [u8; 32],
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("chain", &self.chain)
            .field("path", &self.path)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Derives the key at `path` for `chain`.
    ///
    /// # Errors
    /// [`SignError::UnsupportedChain`] for legacy IOTA Stardust.
    pub fn new(seed: &Seed, chain: Chain, path: DerivationPath) -> Result<Self, SignError> {
        if !matches!(chain, Chain::Iota | Chain::Sui | Chain::Solana | Chain::Stellar | Chain::Raw) {
            return Err(SignError::UnsupportedChain { chain });
        }
        let key = ExtendedKey::derive(seed, &path).signing_key();
        Ok(Self::from_key(chain, path, key))
    }

    /// Derives the key at the chain's standard path for `account` and `index`.
    ///
    /// # Errors
    /// As [`Signer::new`], and [`SignError::Chain`] for a bad position or the `raw` chain.
    pub fn at(seed: &Seed, chain: Chain, account: AccountIndex, index: AddressIndex) -> Result<Self, SignError> {
        Self::new(seed, chain, chain.path(account, index)?)
    }

    pub(crate) fn from_key(chain: Chain, path: DerivationPath, key: ed25519_dalek::SigningKey) -> Self {
        let public_key = PublicKey(key.verifying_key().to_bytes());
        let id = match chain {
            Chain::Iota => crate::chain::iota::address_bytes(&public_key),
            Chain::Sui => crate::chain::sui::address_bytes(&public_key),
            _ => public_key.0,
        };
        Self { chain, address: chain.address(&public_key), path, key, public_key, id }
    }

    /// The public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        self.public_key
    }

    /// The address.
    #[must_use]
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The derivation path.
    #[must_use]
    pub fn path(&self) -> &DerivationPath {
        &self.path
    }

    /// Signs a decoded request.
    ///
    /// # Errors
    /// [`SignError::ChainMismatch`]; [`SignError::RawIsChainTransaction`] for raw bytes that are a transaction of
    /// the chain whose path the key is at (see [`check_raw`]); [`SignError::BlindRefused`] when something was not
    /// decoded and `blind` is [`Blind::Refuse`]; [`SignError::WrongSigner`] when the key is not a signer the
    /// transaction names; [`SignError::TooManySignatures`] for a full Stellar envelope.
    pub fn sign(&self, decoded: &Decoded, blind: Blind) -> Result<Signed, SignError> {
        let summary = &decoded.summary;
        if summary.chain != self.chain {
            return Err(SignError::ChainMismatch { request: summary.chain, signer: self.chain });
        }
        check_raw(decoded, &self.path)?;
        if !summary.undecoded.is_empty() && blind != Blind::Allow {
            return Err(SignError::BlindRefused { reasons: summary.undecoded.clone() });
        }
        if !decoded.signer_ids.is_empty() && !decoded.signer_ids.contains(&self.id) {
            return Err(SignError::WrongSigner {
                path: self.path.to_string(),
                key_address: self.address.clone(),
                expected: summary.signers.clone(),
            });
        }
        let pk = self.public_key.0;
        let (signature, signed_tx, digest) = match (&decoded.target, &summary.details) {
            (Target::Intent(digest), _) => {
                let sig = self.key.sign(digest).to_bytes();
                (BASE64.encode(iota_sui::serialized_signature(&sig, &pk)), None, digest.to_vec())
            }
            (Target::SolanaMessage, Details::Solana(tx)) => {
                let m = &tx.message;
                let sig = self.key.sign(&tx.message_bytes).to_bytes();
                let mut sigs = tx.signatures.clone();
                sigs.resize(usize::from(m.num_required_signatures), [0u8; 64]);
                // The signer check above guarantees a slot.
                if let Some(slot) = m.signers().iter().position(|k| *k == pk) {
                    sigs[slot] = sig;
                }
                let wire = solana::encode_transaction(&sigs, &tx.message_bytes);
                (solana::base58(&sig), Some(BASE64.encode(wire)), tx.log_digest().to_vec())
            }
            (Target::StellarHash(hash), Details::Stellar(env, _)) => {
                let sig = self.key.sign(hash).to_bytes();
                let hint = [pk[28], pk[29], pk[30], pk[31]];
                // ed25519 is deterministic: signing twice gives the same signature, which is not added again (a
                // duplicate would make the network reject the transaction for an extra signature).
                let extra = if env.has_signature(hint, &sig) { None } else { Some((hint, &sig)) };
                if extra.is_some() && env.signatures.len() >= stellar::MAX_SIGNATURES {
                    return Err(SignError::TooManySignatures);
                }
                let envelope = env.encode_with(extra);
                (BASE64.encode(sig), Some(BASE64.encode(envelope)), hash.to_vec())
            }
            (Target::Raw, Details::Raw(bytes)) => {
                let sig = self.key.sign(bytes).to_bytes();
                (hex::encode(sig), None, Sha256::digest(bytes).to_vec())
            }
            // `decode` builds targets and details together.
            _ => return Err(SignError::UnsupportedChain { chain: self.chain }),
        };
        Ok(Signed {
            chain: self.chain,
            path: self.path.clone(),
            public_key: self.public_key,
            address: self.address.clone(),
            signature,
            signed_tx,
            digest,
            summary: Arc::clone(summary),
        })
    }
}

/// Refuses raw bytes that would give a chain signature in disguise. At a path of a chain Coffer signs for
/// (`m/44'/501'/…` Solana, `m/44'/148'/…` Stellar, `m/44'/4218'/…` IOTA, `m/44'/784'/…` Sui), raw bytes that are a
/// transaction of that chain, in a form its key signs, are refused whatever the blind-signing consent:
/// - Solana signs the message bytes themselves: a transaction or bare message that decodes is refused.
/// - Stellar signs sha256 of the signature base (network id ‖ envelope type ‖ transaction): a signature base (a
///   transaction that decodes, or a transaction or fee-bump envelope type after the public, test or future
///   network's id) is refused, and so are exactly 32 bytes, which cannot be told apart from a transaction hash.
/// - IOTA and Sui sign blake2b-256 of an intent message (intent ‖ BCS): an intent message (a transaction that
///   decodes, or a personal message) is refused, and so are exactly 32 bytes, which cannot be told apart from an
///   intent digest.
///
/// [`Signer::sign`] calls this; front ends may call it first to refuse before asking for a password. Anything
/// other than raw bytes passes.
///
/// # Errors
/// [`SignError::RawIsChainTransaction`].
pub fn check_raw(decoded: &Decoded, path: &DerivationPath) -> Result<(), SignError> {
    let Details::Raw(bytes) = &decoded.summary.details else { return Ok(()) };
    match raw_disguise(path, bytes) {
        Some((chain, what)) => Err(SignError::RawIsChainTransaction { chain, path: path.to_string(), what }),
        None => Ok(()),
    }
}

/// The chain whose key `path` is at and what `bytes` are for that chain, when signing them raw would give a
/// signature the chain accepts for a transaction.
fn raw_disguise(path: &DerivationPath, bytes: &[u8]) -> Option<(Chain, &'static str)> {
    use crate::derive::HARDENED;
    let steps: Vec<u32> = path.steps().iter().map(|s| s & !HARDENED).collect();
    let chain = match steps.as_slice() {
        [44, 501, ..] => Chain::Solana,
        [44, 148, ..] => Chain::Stellar,
        [44, 4218, ..] => Chain::Iota,
        [44, 784, ..] => Chain::Sui,
        _ => return None,
    };
    let what = match chain {
        Chain::Solana => solana::decode(bytes).is_ok().then_some("a solana transaction message")?,
        Chain::Stellar if bytes.len() == 32 => "32 bytes, which may be the hash of a stellar transaction",
        Chain::Stellar => stellar_signature_base(bytes).then_some("a stellar transaction signature base")?,
        _ if bytes.len() == 32 => "32 bytes, which may be the intent digest of a transaction",
        _ => intent_message(chain, bytes)?,
    };
    Some((chain, what))
}

/// Whether `bytes` are a Stellar signature base: network id (32) ‖ envelope type ‖ transaction.
fn stellar_signature_base(bytes: &[u8]) -> bool {
    let Some((network_id, rest)) = bytes.split_first_chunk::<32>() else { return false };
    let Some((kind, _)) = rest.split_first_chunk::<4>() else { return false };
    let known = [Network::Public, Network::Testnet, Network::Futurenet].iter().any(|n| n.id() == *network_id);
    // After a known network's id both transaction types count (fee bumps are not decoded here); after another id,
    // the transaction must decode (with no signatures appended, it is a whole envelope).
    if known && matches!(u32::from_be_bytes(*kind), stellar::ENVELOPE_TYPE_TX | stellar::ENVELOPE_TYPE_TX_FEE_BUMP) {
        return true;
    }
    let mut envelope = rest.to_vec();
    envelope.extend_from_slice(&[0; 4]);
    u32::from_be_bytes(*kind) == stellar::ENVELOPE_TYPE_TX && stellar::decode_envelope(&envelope).is_ok()
}

/// What `bytes` are when they are an IOTA/Sui intent message: a transaction's or a personal message's.
fn intent_message(chain: Chain, bytes: &[u8]) -> Option<&'static str> {
    let (intent, rest) = bytes.split_first_chunk::<3>()?;
    if *intent == iota_sui::INTENT_TRANSACTION && iota_sui::decode_transaction(chain, rest).is_ok() {
        return Some("a transaction intent message (intent 00 00 00 and TransactionData)");
    }
    if *intent == iota_sui::INTENT_PERSONAL_MESSAGE {
        let mut r = reader::Reader::new(rest);
        if r.bcs_bytes().is_ok() && r.finish().is_ok() {
            return Some("a personal-message intent message (intent 03 00 00 and the BCS message)");
        }
    }
    None
}

/// Signs a decoded request with the key at `path` under `seed` (the key is derived, used and wiped).
///
/// # Errors
/// As [`Signer::new`] and [`Signer::sign`].
pub fn sign(seed: &Seed, path: &DerivationPath, decoded: &Decoded, blind: Blind) -> Result<Signed, SignError> {
    Signer::new(seed, decoded.chain(), path.clone())?.sign(decoded, blind)
}

/// Decodes and signs in one call, at the chain's standard path for `account` and `index`.
///
/// # Errors
/// As [`decode`] and [`sign`].
pub fn sign_request(
    seed: &Seed,
    request: &SignRequest,
    account: AccountIndex,
    index: AddressIndex,
    blind: Blind,
) -> Result<Signed, SignError> {
    let decoded = decode(request)?;
    Signer::at(seed, request.chain, account, index)?.sign(&decoded, blind)
}

#[cfg(test)]
mod bytes_tests;
#[cfg(test)]
mod tests;

/// Test support shared by the sign and migrate tests.
#[cfg(test)]
pub(crate) mod test_tx {
    /// Ends an IOTA/Sui `TransactionData` whose commands are written: the sender, gas data (one gas coin
    /// `0x05…05` v7 digest `06…06`, owner `owner`, price 1000, budget 5 000 000) and no expiration.
    pub(crate) fn push_sender_gas_expiration(b: &mut Vec<u8>, sender: &[u8], owner: &[u8]) {
        b.extend(sender);
        b.push(1);
        b.extend([5u8; 32]);
        b.extend(7u64.to_le_bytes());
        b.push(32);
        b.extend([6u8; 32]);
        b.extend(owner);
        b.extend(1000u64.to_le_bytes());
        b.extend(5_000_000u64.to_le_bytes());
        b.push(0);
    }
}
