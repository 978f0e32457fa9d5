//! The vault file's binary encoding: a header of key slots, then the XChaCha20-Poly1305 ciphertext of a TLV payload.
//! Every length is checked before it is used; every parse is bounded. docs/vault-format.md documents each byte.
//!
//! This module is public so that tools (and the fuzzer) can parse files; [`Vault`](super::Vault) is the API to use.
//!
//! ```
//! use coffer_core::vault::{VaultError, format};
//! assert!(matches!(format::parse_file(b"COFFERV"), Err(VaultError::Truncated)));
//! assert!(matches!(format::parse_file(b"PK\x03\x04 not a vault"), Err(VaultError::NotAVault)));
//! ```
//!
//! One module per part of the file, each with its reader beside its writer: `header` (magic, version, key slots,
//! payload nonce), and the payload's framing and state section (`payload`), seed sections (`seed`), migration
//! sections (`migration`) and address-book sections (`contacts`). They share the bounded cursor `Reader` below, a view of the one the transaction decoders use.

mod contacts;
mod header;
mod migration;
mod payload;
mod seed;
#[cfg(test)]
mod tests;

use super::VaultError;
use crate::chain::Chain;
use crate::secret::SecretVec;

pub use header::{DeviceSlot, Header, ParsedFile, PasswordSlot, Slot, parse_file};
#[cfg(feature = "migrate")]
pub(crate) use migration::{MAX_MIGRATION_TEXT, MAX_SENT_NETWORK};
pub use payload::check_payload;
pub(crate) use payload::{LogCheckpoint, Payload, encode_payload, parse_payload};

/// The first eight bytes of every vault file.
pub const MAGIC: [u8; 8] = *b"COFFERV\0";
/// The format version this build writes and reads.
pub const VERSION: u16 = 1;
/// The newest payload version this build reads: 2 adds the [`SECTION_STATE`] section (save generation and
/// signing-log checkpoint); 3 allows plan rows in the states *broadcast* and *confirmed*; 4 adds the migration field
/// that records a receipt's sending (network, endpoint, confirmed). Versions 1 to 3 are still read. A payload is
/// written as version 2 unless a row is broadcast or confirmed (then 3) or a receipt records its sending (then 4),
/// so that an older build reports a vault it cannot read as made by a newer version rather than as corrupted, and
/// still opens every other.
pub const PAYLOAD_VERSION: u16 = 4;
/// The payload version written when a plan row is broadcast or confirmed but no receipt records its sending.
pub const PAYLOAD_VERSION_BROADCAST: u16 = 3;
/// The payload version written when no plan row is in a state version 2 lacks.
pub const PAYLOAD_VERSION_BASE: u16 = 2;
/// At most this many key slots.
pub const MAX_SLOTS: usize = 8;
/// The largest plaintext payload, in bytes (16 MiB).
pub const MAX_PAYLOAD_LEN: usize = 16 << 20;
/// At most this many seeds in one vault.
pub const MAX_SEEDS: usize = 1000;
/// The longest seed or account label, in bytes of UTF-8.
pub const MAX_LABEL_BYTES: usize = 64;
/// The most accounts or indices a [`ChainView`](super::ChainView) may show.
pub const MAX_SHOWN: u32 = 10_000;
/// At most this many account labels per seed.
pub const MAX_ACCOUNT_LABELS: usize = 1024;
/// At most this many entries in the address book.
pub const MAX_CONTACTS: usize = 1000;
/// The longest address stored in the address book, in bytes (every supported chain's addresses are shorter).
pub const MAX_ADDRESS_BYTES: usize = 128;

/// Key slot type: the vault key wrapped under an Argon2id key derived from the password.
pub const SLOT_PASSWORD: u8 = 1;
/// Key slot type: the vault key wrapped under a random device key kept in the OS keyring (quick unlock).
pub const SLOT_DEVICE: u8 = 2;
/// Key-derivation algorithm code in a password slot: Argon2id, version 0x13.
pub const KDF_ARGON2ID_13: u8 = 1;

/// Payload section: one seed.
pub const SECTION_SEED: u16 = 1;
/// Payload section reserved for the signing log (hash-chained entries; the signing issue defines it).
pub const SECTION_SIGNING_LOG: u16 = 2;
/// Payload section: one migration (its seeds, pending backup challenge, plan rows and receipts).
pub const SECTION_MIGRATIONS: u16 = 3;
/// Payload section (payload version 2, at most once): the vault's state — its save generation and, once entries
/// were archived, the signing log's checkpoint and archive key.
pub const SECTION_STATE: u16 = 4;
/// Payload section: one address-book entry (a labelled recipient). Written only when the address book is not
/// empty, so a vault without one still opens in builds from before it.
pub const SECTION_CONTACT: u16 = 5;

/// The most signing-log entries a vault keeps (each is a few hundred bytes; see [`MAX_LOG_SUMMARY`]).
pub const MAX_LOG_ENTRIES: usize = 20_000;
/// Longest one-line summary stored in a log entry, in bytes (longer ones are cut at a character boundary).
pub const MAX_LOG_SUMMARY: usize = 400;

/// The vault's view of the crate's one bounded cursor over untrusted bytes (`crate::sign::reader::Reader`, which
/// the transaction decoders use too): running out of bytes gives `eof` (Truncated in the header, Corrupted in the
/// payload).
struct Reader<'a> {
    inner: crate::sign::reader::Reader<'a>,
    eof: fn() -> VaultError,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8], eof: fn() -> VaultError) -> Self {
        Self { inner: crate::sign::reader::Reader::new(buf), eof }
    }

    /// Bytes read so far.
    fn pos(&self) -> usize {
        self.inner.pos()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], VaultError> {
        self.inner.take(n).map_err(|_| (self.eof)())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], VaultError> {
        self.inner.array().map_err(|_| (self.eof)())
    }

    fn u8(&mut self) -> Result<u8, VaultError> {
        self.inner.u8().map_err(|_| (self.eof)())
    }

    fn u16(&mut self) -> Result<u16, VaultError> {
        self.inner.u16_le().map_err(|_| (self.eof)())
    }

    fn u32(&mut self) -> Result<u32, VaultError> {
        self.inner.u32_le().map_err(|_| (self.eof)())
    }

    fn u64(&mut self) -> Result<u64, VaultError> {
        self.inner.u64_le().map_err(|_| (self.eof)())
    }

    fn remaining(&self) -> usize {
        self.inner.remaining()
    }

    fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// A tag (u16) and a length-prefixed (u32) value.
    fn tlv(&mut self) -> Result<(u16, &'a [u8]), VaultError> {
        let tag = self.u16()?;
        let len = usize::try_from(self.u32()?).map_err(|_| (self.eof)())?;
        Ok((tag, self.take(len)?))
    }
}

/// Where encoded bytes go: a counter (to size the buffer exactly) or the zeroizing buffer itself, so that the
/// buffer never reallocates and leaves no unwiped copy behind.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

struct Counter(usize);
impl Sink for Counter {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

impl Sink for SecretVec {
    fn put(&mut self, bytes: &[u8]) {
        self.expose_mut().extend_from_slice(bytes);
    }
}

fn put_tlv(out: &mut impl Sink, tag: u16, parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    out.put(&tag.to_le_bytes());
    out.put(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
    for p in parts {
        out.put(p);
    }
}

fn once<T>(slot: &mut Option<T>, value: T) -> Result<(), VaultError> {
    if slot.replace(value).is_some() { Err(VaultError::Corrupted) } else { Ok(()) }
}

fn utf8(bytes: &[u8]) -> Result<&str, VaultError> {
    core::str::from_utf8(bytes).map_err(|_| VaultError::Corrupted)
}

/// Chain codes. Fixed by the format: never renumber.
const CHAINS: [(u8, Chain); 6] = [
    (1, Chain::Iota),
    (2, Chain::Sui),
    (3, Chain::IotaStardust),
    (4, Chain::Solana),
    (5, Chain::Stellar),
    (6, Chain::Raw),
];

fn chain_code(c: Chain) -> u8 {
    CHAINS.iter().find(|(_, x)| *x == c).map_or(0, |(code, _)| *code)
}

fn chain_from_code(c: u8) -> Result<Chain, VaultError> {
    CHAINS.iter().find(|(x, _)| *x == c).map(|(_, ch)| *ch).ok_or(VaultError::Corrupted)
}
