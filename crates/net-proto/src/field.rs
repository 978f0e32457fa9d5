//! Field bounds: address formats per chain, signatures, transactions, amounts, text and JSON depth.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::{Chain, MAX_TRANSACTION_BYTES, ProtoError};

type Result<T> = std::result::Result<T, ProtoError>;

const fn invalid(field: &'static str, reason: &'static str) -> ProtoError {
    ProtoError::InvalidField { field, reason }
}

/// Checks that `address` has `chain`'s address format: Solana base58 of 32 bytes, IOTA and Sui `0x` and 64
/// lower-case hex digits, Stellar a 56-character `G…` account id in base32.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it does not.
pub fn check_address(field: &'static str, chain: Chain, address: &str) -> Result<()> {
    let ok = match chain {
        Chain::Solana => base58_len(address, 44) == Some(32),
        Chain::Iota | Chain::Sui => {
            address.len() == 66
                && address.starts_with("0x")
                && address.bytes().skip(2).all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        Chain::Stellar => {
            address.len() == 56
                && address.starts_with('G')
                && address.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        }
    };
    if ok { Ok(()) } else { Err(invalid(field, "not an address of this chain")) }
}

/// Checks a transaction signature or id: Solana base58 of 64 bytes; IOTA and Sui base58 digests of 32 bytes;
/// Stellar 64 lower-case hex digits.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it does not have the format.
pub fn check_signature(field: &'static str, chain: Chain, signature: &str) -> Result<()> {
    let ok = match chain {
        Chain::Solana => base58_len(signature, 88) == Some(64),
        Chain::Iota | Chain::Sui => base58_len(signature, 44) == Some(32),
        Chain::Stellar => signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()),
    };
    if ok { Ok(()) } else { Err(invalid(field, "not a transaction id of this chain")) }
}

/// Checks a base58 hash of 32 bytes (a Solana blockhash or genesis hash).
pub(crate) fn check_hash32(field: &'static str, text: &str) -> Result<()> {
    if base58_len(text, 44) == Some(32) { Ok(()) } else { Err(invalid(field, "not a base58 32-byte hash")) }
}

/// Checks that `transaction` is standard base64 of 1 to [`MAX_TRANSACTION_BYTES`] bytes.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it is empty, too long or not base64.
pub fn check_transaction(field: &'static str, transaction: &str) -> Result<()> {
    if transaction.is_empty() {
        return Err(invalid(field, "empty"));
    }
    if transaction.len() > MAX_TRANSACTION_BYTES.div_ceil(3) * 4 {
        return Err(invalid(field, "transaction too large"));
    }
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(transaction).map_err(|_| invalid(field, "not base64"))?;
    if bytes.is_empty() || bytes.len() > MAX_TRANSACTION_BYTES {
        return Err(invalid(field, "transaction too large"));
    }
    Ok(())
}

/// Checks an endpoint URL: `https://HOST[:PORT][/…]` anywhere, `http://` only to this machine (`localhost`,
/// `127.0.0.0/8`, `[::1]`: a local validator or test server), no user name or password, at most
/// [`crate::MAX_TEXT`] bytes, no spaces or control characters. Both the CLI (for a clear error before anything
/// starts) and coffer-net (which parses the URL fully) apply it.
///
/// # Errors
/// [`ProtoError::InvalidField`] naming what is wrong.
pub fn check_endpoint(url: &str) -> Result<()> {
    const F: &str = "endpoint";
    check_text(F, url, crate::MAX_TEXT)?;
    if url.contains(char::is_whitespace) {
        return Err(invalid(F, "contains spaces"));
    }
    let (scheme, rest) = url.split_once("://").ok_or(invalid(F, "not a URL (https://host)"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(F, "carries a user name or password"));
    }
    let host = if let Some(end) = authority.find(']').filter(|_| authority.starts_with('[')) {
        &authority[1..end]
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(invalid(F, "has no host"));
    }
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(invalid(F, "plain http is allowed only to this machine (use https)")),
        _ => Err(invalid(F, "scheme is not https")),
    }
}

/// Whether `host` (without brackets) names this machine.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The number of bytes `text` decodes to as base58, if it is base58 of at most `max_chars` characters.
fn base58_len(text: &str, max_chars: usize) -> Option<usize> {
    if text.is_empty() || text.len() > max_chars {
        return None;
    }
    bs58::decode(text).into_vec().ok().map(|v| v.len())
}

/// Checks a text field's length and that it has no control characters.
pub(crate) fn check_text(field: &'static str, text: &str, max: usize) -> Result<()> {
    if text.len() > max {
        return Err(invalid(field, "too long"));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(field, "contains control characters"));
    }
    Ok(())
}

/// Checks a list's length.
pub(crate) fn check_len(field: &'static str, len: usize, max: usize) -> Result<()> {
    if len > max { Err(invalid(field, "too many entries")) } else { Ok(()) }
}

/// `text` with every control character replaced by U+FFFD (so a message cannot drive a terminal).
pub(crate) fn clean_text(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect()
}

/// Cuts `text` to at most `max` bytes on a character boundary.
pub(crate) fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// Whether the JSON text `bytes` nests objects and arrays at most `max` deep. Counts brackets outside strings
/// without parsing, so it is linear and allocation-free; run it before handing a line to a parser.
#[must_use]
pub fn json_depth_within(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// An amount in a chain's smallest unit (lamports, MIST, stroops, raw token units) as a decimal string: digits
/// only, no sign, no leading zero (except `0` itself), at most 39 digits (every `u128`), so no precision is lost in
/// JSON and no float is ever involved.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Amount(String);

impl Amount {
    /// The longest amount, in digits.
    pub const MAX_DIGITS: usize = 39;

    /// The amount `value`.
    #[must_use]
    pub fn from_u128(value: u128) -> Self {
        Self(value.to_string())
    }

    /// Parses a decimal string.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] when it is not a canonical decimal number of at most 39 digits that fits a
    /// `u128`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || invalid("amount", "not a canonical decimal amount");
        if text.is_empty() || text.len() > Self::MAX_DIGITS || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if text.len() > 1 && text.starts_with('0') {
            return Err(bad());
        }
        text.parse::<u128>().map_err(|_| bad())?;
        Ok(Self(text.to_owned()))
    }

    /// The value.
    #[must_use]
    pub fn value(&self) -> u128 {
        // The constructor checked that it parses.
        self.0.parse().unwrap_or_default()
    }

    /// The decimal text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn addresses_per_chain() {
        let sol = "11111111111111111111111111111111";
        assert!(check_address("a", Chain::Solana, sol).is_ok());
        assert!(check_address("a", Chain::Solana, "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb").is_ok());
        // 31 bytes, 33 bytes, bad alphabet, too long.
        assert!(check_address("a", Chain::Solana, "1111111111111111111111111111111").is_err());
        assert!(check_address("a", Chain::Solana, "0OIl").is_err());
        assert!(check_address("a", Chain::Solana, &"2".repeat(45)).is_err());
        assert!(check_address("a", Chain::Solana, "").is_err());
        let hex = format!("0x{}", "ab".repeat(32));
        assert!(check_address("a", Chain::Sui, &hex).is_ok());
        assert!(check_address("a", Chain::Iota, &hex.to_uppercase()).is_err());
        assert!(check_address("a", Chain::Sui, &hex[..65]).is_err());
        let g = format!("G{}", "A".repeat(55));
        assert!(check_address("a", Chain::Stellar, &g).is_ok());
        assert!(check_address("a", Chain::Stellar, &g.replace('G', "S")).is_err());
        assert!(check_address("a", Chain::Solana, &hex).is_err());
    }

    #[test]
    fn signatures_and_transactions() {
        let sig = bs58::encode([7u8; 64]).into_string();
        assert!(check_signature("s", Chain::Solana, &sig).is_ok());
        assert!(check_signature("s", Chain::Solana, &bs58::encode([7u8; 32]).into_string()).is_err());
        assert!(check_transaction("t", "AAEC").is_ok());
        assert!(check_transaction("t", "").is_err());
        assert!(check_transaction("t", "not base64!").is_err());
        let big = base64::engine::general_purpose::STANDARD.encode(vec![0u8; MAX_TRANSACTION_BYTES + 1]);
        assert!(check_transaction("t", &big).is_err());
        let max = base64::engine::general_purpose::STANDARD.encode(vec![0u8; MAX_TRANSACTION_BYTES]);
        assert!(check_transaction("t", &max).is_ok());
    }

    #[test]
    fn endpoints() {
        for ok in [
            "https://api.mainnet-beta.solana.com",
            "https://rpc.example:8443/key/abc?x=1",
            "http://127.0.0.1:8899",
            "http://localhost:1/",
            "http://[::1]:9",
        ] {
            assert!(check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://rpc.example",
            "http://127.0.0.1.evil.example",
            "https://u:p@rpc.example",
            "ftp://127.0.0.1",
            "rpc.example",
            "https://",
            "https://rpc.example/\u{1b}",
            "https://rpc.example/ x",
        ] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_are_canonical_decimal_strings() {
        assert_eq!(Amount::parse("0").unwrap().value(), 0);
        assert_eq!(Amount::parse("5000000000").unwrap().value(), 5_000_000_000);
        assert_eq!(Amount::parse(&u128::MAX.to_string()).unwrap().value(), u128::MAX);
        for bad in ["", "01", "-1", "1.5", "1e9", " 1", "340282366920938463463374607431768211456", "+1"] {
            assert!(Amount::parse(bad).is_err(), "{bad:?}");
        }
        // As JSON: a string, never a number.
        assert!(serde_json::from_str::<Amount>("5").is_err());
        assert_eq!(serde_json::to_string(&Amount::from_u128(12)).unwrap(), "\"12\"");
    }

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert!(json_depth_within(br#"{"a":[1,{"b":2}]}"#, 3));
        assert!(!json_depth_within(br#"{"a":[1,{"b":2}]}"#, 2));
        assert!(json_depth_within(br#"{"a":"[[[[[[[[\"[[["}"#, 1));
        assert!(!json_depth_within(&[b'['; 100], 16));
    }

    #[test]
    fn text_is_cleaned_and_cut_on_a_boundary() {
        assert_eq!(clean_text("a\u{1b}[31mb\n"), "a\u{fffd}[31mb\u{fffd}");
        let mut s = "ééé".to_owned();
        truncate(&mut s, 3);
        assert_eq!(s, "é");
    }
}
