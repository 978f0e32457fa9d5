//! Stellar StrKey account IDs (`G…`): base32 (RFC 4648, no padding) of a version byte, the ed25519 public key and a
//! CRC16-XModem checksum (little-endian).

use super::{Chain, ChainError};
use crate::derive::PublicKey;

/// StrKey version byte of an ed25519 account ID (6 << 3, renders as `G`).
pub const VERSION_ACCOUNT_ID: u8 = 6 << 3;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The Stellar `G…` address of an ed25519 public key.
///
/// ```
/// use coffer_core::{chain::stellar, derive::PublicKey};
/// let a = stellar::address(&PublicKey([0u8; 32]));
/// assert_eq!(a, "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF");
/// assert_eq!(stellar::parse_address(&a).unwrap(), [0u8; 32]);
/// ```
#[must_use]
pub fn address(public_key: &PublicKey) -> String {
    let mut data = [0u8; 35];
    data[0] = VERSION_ACCOUNT_ID;
    data[1..33].copy_from_slice(public_key.as_bytes());
    let crc = crc16_xmodem(&data[..33]);
    data[33..].copy_from_slice(&crc.to_le_bytes());
    base32_encode(&data)
}

/// Parses a `G…` account ID into its public key bytes, checking the version byte and checksum.
///
/// # Errors
/// [`ChainError::BadAddress`].
pub fn parse_address(s: &str) -> Result<[u8; 32], ChainError> {
    let bad = |reason| ChainError::BadAddress { chain: Chain::Stellar, reason };
    let s = s.trim();
    if s.len() != 56 {
        return Err(bad("an account ID has 56 characters"));
    }
    let data = base32_decode(s).ok_or(bad("not base32"))?;
    if data.len() != 35 || data[0] != VERSION_ACCOUNT_ID {
        return Err(bad("not an account ID (G...)"));
    }
    let crc = u16::from_le_bytes([data[33], data[34]]);
    if crc != crc16_xmodem(&data[..33]) {
        return Err(bad("checksum mismatch"));
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&data[1..33]);
    Ok(out)
}

/// CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection.
fn crc16_xmodem(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = u32::try_from(ALPHABET.iter().position(|&a| a == c)?).ok()?;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    // Leftover bits must be zero padding.
    if bits >= 5 || buffer & ((1 << bits) - 1) != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_known_answer() {
        // CRC-16/XMODEM check value over "123456789".
        assert_eq!(crc16_xmodem(b"123456789"), 0x31c3);
    }

    #[test]
    fn rejects_bad_addresses() {
        let good = address(&PublicKey([7u8; 32]));
        assert_eq!(parse_address(&good).unwrap(), [7u8; 32]);
        let mut flipped = good.clone().into_bytes();
        flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
        assert!(parse_address(core::str::from_utf8(&flipped).unwrap()).is_err());
        assert!(parse_address("GABC").is_err());
        assert!(parse_address(&good.to_lowercase()).is_err());
        // A secret seed (S...) is not an account ID.
        assert!(parse_address("SBGWSG6BTNCKCOB3DIFBGCVMUPQFYPA2G4O34RMTB343OYPXU5DJDVMN").is_err());
    }
}
