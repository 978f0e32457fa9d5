//! IOTA and Sui holdings: coins of every type and the other objects an address owns.
//!
//! The shapes follow what the chains' JSON-RPC returns and `coffer-net` carries (`coffer_net_proto::iota::Coin`,
//! `OwnedObject`): ids as `0x` + 64 hex digits, digests as base58 of 32 bytes, balances as decimal strings (a u64
//! does not survive a JavaScript number). The holdings-file schema is in docs/cli.md, "Holdings file".

/// IOTA's native coin type.
pub const IOTA_COIN_TYPE: &str = "0x2::iota::IOTA";
/// Sui's native coin type.
pub const SUI_COIN_TYPE: &str = "0x2::sui::SUI";

/// Everything one IOTA or Sui address owns, as far as the source knows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Holdings {
    /// The owner (`0x` + 64 hex digits).
    pub address: String,
    /// Coin objects, grouped by coin type.
    #[cfg_attr(feature = "serde", serde(default))]
    pub coins: Vec<CoinGroup>,
    /// The other objects the address owns (not coins).
    #[cfg_attr(feature = "serde", serde(default))]
    pub objects: Vec<OwnedObject>,
}

/// The coin objects of one coin type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CoinGroup {
    /// The coin type, a Move type such as `0x2::iota::IOTA` (the `T` of `0x2::coin::Coin<T>`).
    pub coin_type: String,
    /// Its coin objects.
    pub coins: Vec<Coin>,
}

/// One coin object (`Coin<T>`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Coin {
    /// The object id (`0x` + 64 hex digits).
    pub object_id: String,
    /// The object's version.
    pub version: u64,
    /// The object's digest (base58 of 32 bytes).
    pub digest: String,
    /// Its balance in the coin's smallest unit (JSON: a decimal string).
    #[cfg_attr(feature = "serde", serde(with = "decimal"))]
    pub balance: u64,
}

/// One object that is not a coin.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct OwnedObject {
    /// The object id (`0x` + 64 hex digits).
    pub object_id: String,
    /// The object's version.
    pub version: u64,
    /// The object's digest (base58 of 32 bytes).
    pub digest: String,
    /// Its Move type, e.g. `0x3::staking_pool::StakedIota`.
    pub object_type: String,
    /// Whether the type has the `store` ability, so anyone holding the object may transfer it (the JSON-RPC's
    /// `hasPublicTransfer`); `None` when the source does not say.
    #[cfg_attr(feature = "serde", serde(default))]
    pub public_transfer: Option<bool>,
    /// When a time lock on it ends (UNIX milliseconds): a `0x2::timelock::TimeLock`'s `expiration_timestamp_ms`, or
    /// a Stardust output's timelock unlock condition; `None` when there is none (or, for a `TimeLock`, when it is
    /// not known).
    #[cfg_attr(feature = "serde", serde(default))]
    pub locked_until_ms: Option<u64>,
}

/// Parses an object id (`0x` + 1 to 64 hex digits, left-padded) into its 32 bytes.
#[must_use]
pub fn parse_object_id(text: &str) -> Option<[u8; 32]> {
    let hex = text.strip_prefix("0x")?;
    if hex.is_empty() || hex.len() > 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let padded = format!("{hex:0>64}");
    let mut out = [0u8; 32];
    hex::decode_to_slice(padded, &mut out).ok()?;
    Some(out)
}

/// Parses an object digest (base58 of 32 bytes).
#[must_use]
pub fn parse_digest(text: &str) -> Option<[u8; 32]> {
    let bytes = bs58::decode(text).into_vec().ok()?;
    <[u8; 32]>::try_from(bytes.as_slice()).ok()
}

#[cfg(feature = "serde")]
mod decimal {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::custom("a balance is a decimal string of a u64"));
        }
        text.parse().map_err(|_| serde::de::Error::custom("a balance is a decimal string of a u64"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_and_digests_parse() {
        let mut two = [0u8; 32];
        two[31] = 2;
        assert_eq!(parse_object_id("0x2"), Some(two));
        assert_eq!(parse_object_id(&format!("0x{}", "ab".repeat(32))), Some([0xab; 32]));
        for bad in ["", "0x", "2", "0xzz", &format!("0x{}", "1".repeat(65))] {
            assert_eq!(parse_object_id(bad), None, "{bad}");
        }
        assert_eq!(parse_digest(&bs58::encode([7u8; 32]).into_string()), Some([7; 32]));
        assert_eq!(parse_digest(&bs58::encode([7u8; 31]).into_string()), None);
        assert_eq!(parse_digest("0OIl"), None);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn holdings_file_round_trips_and_refuses_numbers_for_balances() {
        let text = r#"{"address":"0x01","coins":[{"coin_type":"0x2::iota::IOTA","coins":[
            {"object_id":"0x05","version":3,"digest":"11111111111111111111111111111111","balance":"18446744073709551615"}]}],
            "objects":[{"object_id":"0x06","version":1,"digest":"11111111111111111111111111111111",
            "object_type":"0x3::staking_pool::StakedIota","public_transfer":true}]}"#;
        let h: Holdings = serde_json::from_str(text).unwrap();
        assert_eq!(h.coins[0].coins[0].balance, u64::MAX);
        assert_eq!(h.objects[0].public_transfer, Some(true));
        assert_eq!(h.objects[0].locked_until_ms, None);
        let back: Holdings = serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        assert_eq!(back, h);
        let number = text.replace("\"18446744073709551615\"", "5");
        assert!(serde_json::from_str::<Holdings>(&number).is_err());
        let over = text.replace("18446744073709551615", "18446744073709551616");
        assert!(serde_json::from_str::<Holdings>(&over).is_err());
        let unknown = text.replace("\"public_transfer\"", "\"public\"");
        assert!(serde_json::from_str::<Holdings>(&unknown).is_err());
    }
}
