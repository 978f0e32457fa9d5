//! Legacy IOTA (Chrysalis/Stardust) addresses: bech32 (BIP-173, not bech32m) with human-readable part `iota` over
//! the address type byte 0x00 (ed25519) followed by blake2b-256(public key).

use bech32::{Bech32, Hrp};

use super::{Chain, ChainError, blake2b256};
use crate::derive::PublicKey;

/// The mainnet human-readable part.
pub const HRP: &str = "iota";
/// The address-type byte of an ed25519 address.
pub const ED25519_ADDRESS_TYPE: u8 = 0x00;

/// The Stardust `iota1…` address of an ed25519 public key.
///
/// ```
/// use coffer_core::{chain::stardust, derive::PublicKey};
/// assert!(stardust::address(&PublicKey([0u8; 32])).starts_with("iota1"));
/// ```
#[must_use]
pub fn address(public_key: &PublicKey) -> String {
    // "iota" is a valid human-readable part and 33 bytes are far below bech32's limit: this cannot fail.
    address_with_hrp(public_key, HRP).unwrap_or_default()
}

/// The Stardust address under another network's human-readable part (`atoi` testnet, `smr` Shimmer, `rms`).
///
/// # Errors
/// [`ChainError::BadAddress`] if `hrp` is not a valid bech32 human-readable part.
pub fn address_with_hrp(public_key: &PublicKey, hrp: &str) -> Result<String, ChainError> {
    let bad = ChainError::BadAddress { chain: Chain::IotaStardust, reason: "invalid bech32 human-readable part" };
    let hrp = Hrp::parse(hrp).map_err(|_| bad.clone())?;
    let mut data = [0u8; 33];
    data[0] = ED25519_ADDRESS_TYPE;
    data[1..].copy_from_slice(&blake2b256(&[public_key.as_bytes()]));
    bech32::encode::<Bech32>(hrp, &data).map_err(|_| bad)
}
