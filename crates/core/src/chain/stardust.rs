//! Legacy IOTA (Chrysalis/Stardust) addresses: bech32 (BIP-173, not bech32m) with human-readable part `iota` over
//! the address type byte 0x00 (ed25519) followed by blake2b-256(public key).

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Hrp};

use super::{Chain, ChainError, blake2b256};
use crate::derive::PublicKey;

/// The mainnet human-readable part.
pub const HRP: &str = "iota";
/// The address-type byte of an ed25519 address.
pub const ED25519_ADDRESS_TYPE: u8 = 0x00;

/// The address-type byte of an alias address.
pub const ALIAS_ADDRESS_TYPE: u8 = 0x08;
/// The address-type byte of an NFT address.
pub const NFT_ADDRESS_TYPE: u8 = 0x10;

/// Checks a mainnet Stardust address (`iota1…`: bech32, not bech32m, over a type byte — ed25519, alias or NFT —
/// and 32 bytes) and returns it in lower case.
///
/// ```
/// use coffer_core::{chain::stardust, derive::PublicKey};
/// let a = stardust::address(&PublicKey([0u8; 32]));
/// assert_eq!(stardust::parse_address(&a.to_uppercase()).unwrap(), a);
/// assert!(stardust::parse_address(&a.replace("iota1", "smr1")).is_err());
/// ```
///
/// # Errors
/// [`ChainError::BadAddress`].
pub fn parse_address(s: &str) -> Result<String, ChainError> {
    let bad = |reason| ChainError::BadAddress { chain: Chain::IotaStardust, reason };
    let s = s.trim();
    if s.len() > 90 {
        return Err(bad("longer than a bech32 string can be"));
    }
    let checked = CheckedHrpstring::new::<Bech32>(s).map_err(|_| bad("not bech32, or its checksum does not match"))?;
    if checked.hrp() != Hrp::parse_unchecked(HRP) {
        return Err(bad("not a mainnet address (iota1...)"));
    }
    let data: Vec<u8> = checked.byte_iter().collect();
    if data.len() != 33 || ![ED25519_ADDRESS_TYPE, ALIAS_ADDRESS_TYPE, NFT_ADDRESS_TYPE].contains(&data[0]) {
        return Err(bad("not an ed25519, alias or NFT address"));
    }
    bech32::encode::<Bech32>(Hrp::parse_unchecked(HRP), &data).map_err(|_| bad("cannot be re-encoded"))
}

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
