//! The keyring entry of a device slot: its name and how the device key is written in it.
//!
//! Service `coffer`, account (Secret Service attribute `username`) = the slot's id in hex (32 digits), secret = the
//! 32-byte device key as 64 lowercase hex digits. The slot id is random, made when quick unlock is enabled, and
//! kept in the vault header across saves, so the entry follows the vault when the file is moved or copied.

use coffer_core::secret::SecretBytes;
use coffer_core::vault::DeviceSlotId;
use zeroize::Zeroizing;

use crate::KeyringError;

/// The keyring service name of every Coffer entry.
pub const SERVICE: &str = "coffer";

/// Length of the secret as stored: the device key in hex.
const ENCODED_LEN: usize = 64;

/// The account name of a slot's entry.
pub(crate) fn account(id: &DeviceSlotId) -> String {
    id.to_string()
}

/// The device key as stored in the keyring, in a buffer wiped on drop.
pub(crate) fn encode(key: &SecretBytes<32>) -> Zeroizing<[u8; ENCODED_LEN]> {
    let mut buf = Zeroizing::new([0u8; ENCODED_LEN]);
    // Cannot fail: the output is exactly twice the input's length.
    let _ = hex::encode_to_slice(key.expose(), &mut buf[..]);
    buf
}

/// Reads a stored device key back; anything but 64 hex digits is [`KeyringError::Malformed`].
pub(crate) fn decode(raw: &[u8]) -> Result<SecretBytes<32>, KeyringError> {
    if raw.len() != ENCODED_LEN {
        return Err(KeyringError::Malformed);
    }
    let mut key = SecretBytes::<32>::zero();
    hex::decode_to_slice(raw, key.expose_mut()).map_err(|_| KeyringError::Malformed)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let key = SecretBytes::<32>::from_fn(|b| b.iter_mut().enumerate().for_each(|(i, x)| *x = i as u8));
        let enc = encode(&key);
        assert_eq!(&enc[..6], b"000102");
        assert_eq!(decode(&enc[..]).unwrap(), key);
        assert!(matches!(decode(&enc[..63]), Err(KeyringError::Malformed)));
        let mut bad = *enc;
        bad[10] = b'g';
        assert!(matches!(decode(&bad), Err(KeyringError::Malformed)));
        assert!(matches!(decode(b""), Err(KeyringError::Malformed)));
        assert_eq!(account(&DeviceSlotId([0x0f; 16])), "0f".repeat(16));
    }
}
