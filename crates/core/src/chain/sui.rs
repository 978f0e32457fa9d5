//! Sui addresses: `0x` + hex(blake2b-256(0x00 || ed25519 public key)), the flag byte 0x00 naming ed25519.

use super::{Chain, ChainError, blake2b256, parse_hex32};
use crate::derive::PublicKey;

/// The signature-scheme flag of ed25519 in Sui (and IOTA Rebased) serialized signatures.
pub const ED25519_FLAG: u8 = 0x00;

/// The Sui address of an ed25519 public key.
///
/// ```
/// use coffer_core::{chain::sui, derive::PublicKey};
/// assert_eq!(sui::address(&PublicKey([0u8; 32])).len(), 66);
/// ```
#[must_use]
pub fn address(public_key: &PublicKey) -> String {
    format!("0x{}", hex::encode(address_bytes(public_key)))
}

/// The 32 address bytes of an ed25519 public key.
#[must_use]
pub fn address_bytes(public_key: &PublicKey) -> [u8; 32] {
    blake2b256(&[&[ED25519_FLAG], public_key.as_bytes()])
}

/// Parses a Sui address (`0x` + 64 hex digits).
///
/// # Errors
/// [`ChainError::BadAddress`].
pub fn parse_address(s: &str) -> Result<[u8; 32], ChainError> {
    parse_hex32(Chain::Sui, s)
}
