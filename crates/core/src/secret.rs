//! Containers for secret material.
//!
//! Every secret in Coffer (entropy, BIP39 seeds, passphrases, private keys, vault keys, decrypted vault payloads)
//! lives in one of these types. They
//! - overwrite their memory with zeros when dropped ([`zeroize`]),
//! - print `[redacted]` in `Debug` and have no `Display`,
//! - are not `Clone`, `Copy` or `Serialize`: a copy has to be made on purpose, through [`SecretBytes::expose`].
//!
//! Secrets are boxed so that moving the container never leaves a stale copy of the bytes behind on the stack.
//! Fixed-size secrets ([`SecretBytes`]: keys) live in pages of their own that are locked in RAM and excluded from
//! core dumps (see `secret/locked.rs`, the one module with `unsafe` code).

mod locked;

use core::fmt;

use locked::LockedBox;
pub use locked::{locked_pages, locking_works};
use zeroize::{Zeroize, Zeroizing};

/// A fixed-size secret, such as a 32-byte private key or a 64-byte BIP39 seed.
///
/// ```
/// use coffer_core::secret::SecretBytes;
/// let key = SecretBytes::<32>::from_fn(|buf| buf.fill(7));
/// assert_eq!(format!("{key:?}"), "SecretBytes<32>([redacted])");
/// assert_eq!(key.expose()[0], 7);
/// ```
pub struct SecretBytes<const N: usize>(LockedBox<N>);

impl<const N: usize> SecretBytes<N> {
    /// A secret of `N` zero bytes, to be filled in place.
    #[must_use]
    pub fn zero() -> Self {
        Self(LockedBox::new())
    }

    /// Builds the secret in place: `fill` writes directly into the final (heap) buffer.
    #[must_use]
    pub fn from_fn(fill: impl FnOnce(&mut [u8; N])) -> Self {
        let mut s = Self::zero();
        fill(&mut s.0);
        s
    }

    /// Takes the bytes of `source` and wipes `source`.
    #[must_use]
    pub fn take(source: &mut [u8; N]) -> Self {
        let s = Self::from_fn(|buf| buf.copy_from_slice(source));
        source.zeroize();
        s
    }

    /// Read access to the secret bytes. Keep the borrow short.
    #[must_use]
    pub fn expose(&self) -> &[u8; N] {
        &self.0
    }

    /// Write access to the secret bytes.
    pub fn expose_mut(&mut self) -> &mut [u8; N] {
        &mut self.0
    }
}

impl<const N: usize> zeroize::ZeroizeOnDrop for SecretBytes<N> {}

impl<const N: usize> fmt::Debug for SecretBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes<{N}>([redacted])")
    }
}

impl<const N: usize> PartialEq for SecretBytes<N> {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        ct_eq(&self.0[..], &other.0[..])
    }
}
impl<const N: usize> Eq for SecretBytes<N> {}

/// A variable-length secret, such as BIP39 entropy or a decrypted vault payload.
///
/// ```
/// use coffer_core::secret::SecretVec;
/// let s = SecretVec::from(vec![1, 2, 3]);
/// assert_eq!(s.expose(), &[1, 2, 3]);
/// assert_eq!(format!("{s:?}"), "SecretVec(3 bytes, [redacted])");
/// ```
pub struct SecretVec(Zeroizing<Vec<u8>>);

impl SecretVec {
    /// An empty secret with room for `capacity` bytes (reserve up front: growing a `Vec` leaves unwiped copies).
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Zeroizing::new(Vec::with_capacity(capacity)))
    }

    /// Read access to the secret bytes.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Write access to the underlying vector. Growing it beyond its capacity leaves the old buffer unwiped: reserve
    /// first.
    pub fn expose_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }

    /// Number of bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for SecretVec {
    /// Takes ownership of the vector; it is wiped when the `SecretVec` is dropped.
    fn from(v: Vec<u8>) -> Self {
        Self(Zeroizing::new(v))
    }
}

impl zeroize::ZeroizeOnDrop for SecretVec {}

impl fmt::Debug for SecretVec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretVec({} bytes, [redacted])", self.0.len())
    }
}

impl PartialEq for SecretVec {
    /// Constant-time in the contents (the length is not secret).
    fn eq(&self, other: &Self) -> bool {
        ct_eq(&self.0, &other.0)
    }
}
impl Eq for SecretVec {}

/// A secret text: a mnemonic phrase, a BIP39 passphrase or a vault password.
///
/// ```
/// use coffer_core::secret::SecretString;
/// let p = SecretString::from(String::from("correct horse"));
/// assert_eq!(p.expose(), "correct horse");
/// assert_eq!(format!("{p:?}"), "SecretString([redacted])");
/// ```
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// An empty secret string with room for `capacity` bytes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self(Zeroizing::new(String::with_capacity(capacity)))
    }

    /// Read access to the text.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Write access to the underlying string. Growing it beyond its capacity leaves the old buffer unwiped: reserve
    /// first.
    pub fn expose_mut(&mut self) -> &mut String {
        &mut self.0
    }

    /// Whether the text is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    /// Takes ownership of the string; it is wiped when the `SecretString` is dropped.
    fn from(s: String) -> Self {
        Self(Zeroizing::new(s))
    }
}

impl zeroize::ZeroizeOnDrop for SecretString {}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([redacted])")
    }
}

/// Compares two byte strings in time that depends only on their lengths.
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // Keep the optimiser from short-circuiting the loop above.
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let k = SecretBytes::<4>::from_fn(|b| b.copy_from_slice(b"abcd"));
        let v = SecretVec::from(b"secretbytes".to_vec());
        let s = SecretString::from("hunter2".to_owned());
        for dbg in [format!("{k:?}"), format!("{v:?}"), format!("{s:?}"), format!("{k:#?}")] {
            assert!(dbg.contains("redacted"), "{dbg}");
            assert!(!dbg.contains("abcd") && !dbg.contains("secret") && !dbg.contains("hunter2"), "{dbg}");
        }
    }

    #[test]
    fn take_wipes_source() {
        let mut src = [9u8; 8];
        let s = SecretBytes::take(&mut src);
        assert_eq!(src, [0u8; 8]);
        assert_eq!(s.expose(), &[9u8; 8]);
    }

    #[test]
    fn ct_eq_works() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert_eq!(SecretBytes::<2>::take(&mut [1, 2]), SecretBytes::<2>::take(&mut [1, 2]));
    }
}
