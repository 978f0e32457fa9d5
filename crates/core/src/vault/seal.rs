//! XChaCha20-Poly1305 sealing of key slots and the payload, and the random values they need.

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{KeyInit, Tag, XChaCha20Poly1305, XNonce};

use super::VaultError;
use crate::secret::{SecretBytes, SecretVec};

/// XChaCha20-Poly1305 nonce length.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub const TAG_LEN: usize = 16;
/// A vault key wrapped in a slot: 32 bytes of ciphertext and the tag.
pub const WRAPPED_KEY_LEN: usize = 32 + TAG_LEN;

/// Fills `buf` from the operating system's random number generator.
///
/// # Errors
/// [`VaultError::Random`].
pub(crate) fn random(buf: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buf).map_err(|_| VaultError::Random)
}

/// A fresh random nonce.
pub(crate) fn random_nonce() -> Result<[u8; NONCE_LEN], VaultError> {
    let mut n = [0u8; NONCE_LEN];
    random(&mut n)?;
    Ok(n)
}

/// A fresh random 32-byte key, generated in place.
pub(crate) fn random_key() -> Result<SecretBytes<32>, VaultError> {
    let mut k = SecretBytes::<32>::zero();
    random(k.expose_mut())?;
    Ok(k)
}

fn cipher(key: &SecretBytes<32>) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.expose().into())
}

/// Wraps a 32-byte vault key under `kek`.
pub(crate) fn wrap_key(
    kek: &SecretBytes<32>,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    key: &SecretBytes<32>,
) -> Result<[u8; WRAPPED_KEY_LEN], VaultError> {
    let mut buf = SecretBytes::<32>::from_fn(|b| b.copy_from_slice(key.expose()));
    let tag = cipher(kek)
        .encrypt_inout_detached(&XNonce::from(*nonce), aad, buf.expose_mut().as_mut_slice().into())
        .map_err(|_| VaultError::Corrupted)?;
    let mut out = [0u8; WRAPPED_KEY_LEN];
    out[..32].copy_from_slice(buf.expose());
    out[32..].copy_from_slice(&tag);
    Ok(out)
}

/// Unwraps a vault key; `None` if the tag does not verify (wrong key or tampered slot).
pub(crate) fn unwrap_key(
    kek: &SecretBytes<32>,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    wrapped: &[u8; WRAPPED_KEY_LEN],
) -> Option<SecretBytes<32>> {
    let mut key = SecretBytes::<32>::from_fn(|b| b.copy_from_slice(&wrapped[..32]));
    let tag = Tag::try_from(&wrapped[32..]).ok()?;
    cipher(kek)
        .decrypt_inout_detached(&XNonce::from(*nonce), aad, key.expose_mut().as_mut_slice().into(), &tag)
        .ok()?;
    Some(key)
}

/// Encrypts `plaintext`, returning ciphertext followed by the tag. The plaintext is copied into the (public) output
/// buffer and encrypted there; if encryption fails the buffer is wiped.
pub(crate) fn seal(
    key: &SecretBytes<32>,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &SecretVec,
    out: &mut Vec<u8>,
) -> Result<(), VaultError> {
    let start = out.len();
    out.reserve(plaintext.len() + TAG_LEN);
    out.extend_from_slice(plaintext.expose());
    match cipher(key).encrypt_inout_detached(&XNonce::from(*nonce), aad, out[start..].as_mut().into()) {
        Ok(tag) => {
            out.extend_from_slice(&tag);
            Ok(())
        }
        Err(_) => {
            zeroize::Zeroize::zeroize(&mut out[start..]);
            out.truncate(start);
            Err(VaultError::Corrupted)
        }
    }
}

/// Decrypts ciphertext-and-tag into a zeroizing buffer; `None` if authentication fails.
pub(crate) fn open(key: &SecretBytes<32>, nonce: &[u8; NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Option<SecretVec> {
    let body_len = sealed.len().checked_sub(TAG_LEN)?;
    let tag = Tag::try_from(&sealed[body_len..]).ok()?;
    let mut plain = SecretVec::with_capacity(body_len);
    plain.expose_mut().extend_from_slice(&sealed[..body_len]);
    cipher(key)
        .decrypt_inout_detached(&XNonce::from(*nonce), aad, plain.expose_mut().as_mut_slice().into(), &tag)
        .ok()?;
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_round_trip_and_tamper() {
        let kek = random_key().unwrap();
        let key = random_key().unwrap();
        let nonce = random_nonce().unwrap();
        let w = wrap_key(&kek, &nonce, b"aad", &key).unwrap();
        assert_eq!(unwrap_key(&kek, &nonce, b"aad", &w).unwrap(), key);
        assert!(unwrap_key(&kek, &nonce, b"aaD", &w).is_none());
        let mut bad = w;
        bad[3] ^= 1;
        assert!(unwrap_key(&kek, &nonce, b"aad", &bad).is_none());
        assert!(unwrap_key(&random_key().unwrap(), &nonce, b"aad", &w).is_none());
    }

    #[test]
    fn seal_round_trip() {
        let key = random_key().unwrap();
        let nonce = random_nonce().unwrap();
        let mut out = b"hdr".to_vec();
        seal(&key, &nonce, b"hdr", &SecretVec::from(b"payload".to_vec()), &mut out).unwrap();
        assert_eq!(out.len(), 3 + 7 + TAG_LEN);
        assert_eq!(open(&key, &nonce, b"hdr", &out[3..]).unwrap().expose(), b"payload");
        assert!(open(&key, &nonce, b"hdx", &out[3..]).is_none());
        assert!(open(&key, &nonce, b"hdr", &out[3..10]).is_none());
    }
}
