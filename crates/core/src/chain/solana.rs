//! Solana addresses: the base58 encoding of the ed25519 public key.

use super::{Chain, ChainError};
use crate::derive::PublicKey;

/// The Solana address of an ed25519 public key.
///
/// ```
/// use coffer_core::{chain::solana, derive::PublicKey};
/// assert_eq!(solana::address(&PublicKey([0u8; 32])), "11111111111111111111111111111111");
/// ```
#[must_use]
pub fn address(public_key: &PublicKey) -> String {
    bs58::encode(public_key.as_bytes()).into_string()
}

/// Parses a base58 Solana address (32 bytes).
///
/// # Errors
/// [`ChainError::BadAddress`].
pub fn parse_address(s: &str) -> Result<[u8; 32], ChainError> {
    let mut out = [0u8; 32];
    let n = bs58::decode(s.trim())
        .onto(&mut out[..])
        .map_err(|_| ChainError::BadAddress { chain: Chain::Solana, reason: "not base58 of 32 bytes" })?;
    if n != 32 {
        return Err(ChainError::BadAddress { chain: Chain::Solana, reason: "not 32 bytes" });
    }
    Ok(out)
}
