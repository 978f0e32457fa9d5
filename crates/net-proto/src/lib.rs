//! The protocol between Coffer's processes that may hold secrets (the `coffer` CLI, the desktop app) and its
//! network process, `coffer-net`, which holds none. docs/net-protocol.md is the reference.
//!
//! - **Framing**: JSON lines over a pipe. Each side's first line is a [`Hello`] carrying
//!   [`PROTOCOL_VERSION`]; a side that sees another version stops. Every line is at most [`MAX_LINE`] bytes, read
//!   with [`LineReader`], which refuses a longer line without buffering it.
//! - **Requests** ([`Request`]) carry an id, a [`Chain`] and a [`Network`] and one typed [`Call`]. **Answers**
//!   ([`Answer`]) echo the id, chain and network, name the endpoint that answered, and carry a typed [`Reply`] or a
//!   typed [`NetError`].
//! - **Bounds**: every field is checked after parsing ([`Request::validate`], [`Answer::validate`]): addresses
//!   have their chain's format, transactions are base64 of at most [`MAX_TRANSACTION_BYTES`] bytes, lists have
//!   limits, amounts are decimal strings ([`Amount`]). The parse functions ([`parse_request`], [`parse_answer`])
//!   do both, so a caller cannot forget the second step.
//!
//! Nothing here does I/O beyond reading lines from a [`std::io::BufRead`], except [`client`], which starts
//! coffer-net as a child process and talks to it over its pipes; there is no socket, HTTP or TLS code in this crate.
//!
//! ```
//! use coffer_net_proto::{Call, Chain, Network, Request, parse_request};
//! let req = Request {
//!     id: 7,
//!     chain: Chain::Solana,
//!     network: Network::Devnet,
//!     call: Call::Balance { address: "11111111111111111111111111111111".into() },
//! };
//! let line = req.to_line()?;
//! assert_eq!(parse_request(line.as_bytes())?, req);
//! # Ok::<(), coffer_net_proto::ProtoError>(())
//! ```

pub mod client;
mod error;
mod field;
#[cfg(feature = "holdings")]
pub mod holdings;
mod iota;
mod line;
mod message;
mod stellar;

pub use error::{NetError, NetErrorKind, ProtoError};
pub use field::{Amount, check_address, check_endpoint, check_signature, check_transaction, json_depth_within};
pub use iota::{
    Coin, CoinBalance, CoinMetadata, IOTA_COIN_TYPE, MAX_COIN_TYPES, MAX_IOTA_OBJECTS, MAX_MOVE_SIGNATURES,
    MAX_MOVE_TYPE, MAX_SYMBOL, MAX_TYPE_DEPTH, OwnedObject, SUI_COIN_TYPE, canonical_move_type, check_move_type,
};
pub use line::LineReader;
pub use message::{
    AddressBalance, Answer, Call, Chain, Confirmation, Hello, MintExtensions, Network, NonceAccount, Outcome, Reply,
    Request, Role, SignatureInfo, SignatureStatus, StakeAccount, StakeLockup, TokenAccount, TokenProgram, TransferFee,
    parse_answer, parse_hello, parse_request,
};
pub use stellar::{
    ClaimPredicate, ClaimableBalance, DataEntry, MAX_CLAIMABLE_BALANCES, MAX_PREDICATE_DEPTH, MAX_STELLAR_ENTRIES,
    MAX_STELLAR_SIGNERS, MAX_STROOPS, Offer, StellarAccount, StellarSigner, Thresholds, Trustline, check_asset,
    check_asset_code,
};

/// The protocol version both sides must speak. Bumped on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;

/// The longest line either side sends or accepts, newline included (1 MiB).
pub const MAX_LINE: usize = 1 << 20;

/// The deepest JSON nesting a line may have (objects and arrays). The protocol's own shapes need 5.
pub const MAX_DEPTH: usize = 16;

/// The largest transaction, in bytes before base64, a request may carry (Sui's limit is 128 KiB; Solana's 1232
/// bytes).
pub const MAX_TRANSACTION_BYTES: usize = 128 * 1024;

/// The most signatures one [`Call::SignatureStatuses`] may ask about (Solana's own limit).
pub const MAX_SIGNATURES: usize = 256;

/// The most entries a history answer may hold, and the largest `limit` a request may ask for.
pub const MAX_HISTORY: usize = 1000;

/// The most token accounts a holdings answer may list.
pub const MAX_TOKEN_ACCOUNTS: usize = 1000;

/// The most addresses one [`Call::Balances`] may ask about, and the most elements coffer-net puts in one batched
/// request to an endpoint.
pub const MAX_BATCH: usize = 100;

/// The longest message text in a [`NetError`] or endpoint URL, in bytes.
pub const MAX_TEXT: usize = 512;
