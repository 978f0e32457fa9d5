//! IOTA Rebased addresses: `0x` + hex(blake2b-256(ed25519 public key)). Unlike Sui, no signature-scheme flag byte
//! is hashed for ed25519 (iota-types `SignatureScheme::update_hasher_with_flag` skips it).

use super::{Chain, ChainError, blake2b256, parse_hex32};
use crate::derive::PublicKey;

/// The IOTA Rebased address of an ed25519 public key.
///
/// ```
/// use coffer_core::{chain::iota, derive::PublicKey};
/// let a = iota::address(&PublicKey([0u8; 32]));
/// assert!(a.starts_with("0x") && a.len() == 66);
/// ```
#[must_use]
pub fn address(public_key: &PublicKey) -> String {
    format!("0x{}", hex::encode(address_bytes(public_key)))
}

/// The 32 address bytes of an ed25519 public key.
#[must_use]
pub fn address_bytes(public_key: &PublicKey) -> [u8; 32] {
    blake2b256(&[public_key.as_bytes()])
}

/// Parses an IOTA Rebased address (`0x` + 64 hex digits).
///
/// # Errors
/// [`ChainError::BadAddress`].
pub fn parse_address(s: &str) -> Result<[u8; 32], ChainError> {
    parse_hex32(Chain::Iota, s)
}
