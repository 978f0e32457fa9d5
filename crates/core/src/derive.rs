//! SLIP-0010 key derivation for ed25519: hardened steps only.
//!
//! ed25519 has no public-key derivation, so every step of a path must be hardened. Paths parse from the usual text
//! form; `'`, `h` and `H` all mark a hardened step.
//!
//! ```
//! use coffer_core::derive::DerivationPath;
//!
//! let p: DerivationPath = "m/44'/4218'/0'/0'/0'".parse().unwrap();
//! assert_eq!(p.to_string(), "m/44'/4218'/0'/0'/0'");
//! assert_eq!("m/44h/4218h/0h/0h/0h".parse::<DerivationPath>().unwrap(), p);
//! assert!("m/44'/4218'/0'/0/0'".parse::<DerivationPath>().is_err()); // non-hardened step
//! ```

use core::fmt;
use core::str::FromStr;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;
use zeroize::Zeroize;

use crate::mnemonic::Seed;
use crate::secret::SecretBytes;

/// The bit that marks a hardened index.
pub const HARDENED: u32 = 0x8000_0000;
/// The deepest path accepted (SLIP-0010 serializes depth in one byte).
pub const MAX_DEPTH: usize = 255;
const MAX_PATH_TEXT: usize = 4096;

/// Why a derivation path was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The text is empty.
    #[error("the derivation path is empty")]
    Empty,
    /// The text does not start with `m`.
    #[error("a derivation path starts with \"m\", e.g. m/44'/4218'/0'/0'/0'")]
    MissingRoot,
    /// A step is not a number.
    #[error("step {position} of the derivation path is not a number followed by ' or h")]
    Malformed {
        /// 1-based position of the step after `m`.
        position: usize,
    },
    /// A step is not hardened; ed25519 (SLIP-0010) has no non-hardened derivation.
    #[error("step {position} of the derivation path is not hardened; ed25519 allows only hardened steps (add ')")]
    NotHardened {
        /// 1-based position of the step after `m`.
        position: usize,
    },
    /// A step's number is 2^31 or more.
    #[error("step {position} of the derivation path is out of range (at most 2147483647)")]
    OutOfRange {
        /// 1-based position of the step after `m`.
        position: usize,
    },
    /// More steps than SLIP-0010 allows, or an absurdly long text.
    #[error("the derivation path is too long (at most {MAX_DEPTH} steps)")]
    TooDeep,
}

/// A path of hardened SLIP-0010 steps, such as `m/44'/4218'/0'/0'/0'`.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct DerivationPath(Vec<u32>);

impl DerivationPath {
    /// A path from step numbers below 2^31; each is hardened.
    ///
    /// ```
    /// use coffer_core::derive::DerivationPath;
    /// assert_eq!(DerivationPath::hardened(&[44, 148, 0]).unwrap().to_string(), "m/44'/148'/0'");
    /// ```
    ///
    /// # Errors
    /// [`PathError::OutOfRange`] for a number of 2^31 or more, [`PathError::TooDeep`] for more than 255 steps.
    pub fn hardened(steps: &[u32]) -> Result<Self, PathError> {
        if steps.len() > MAX_DEPTH {
            return Err(PathError::TooDeep);
        }
        steps
            .iter()
            .enumerate()
            .map(
                |(i, &s)| if s >= HARDENED { Err(PathError::OutOfRange { position: i + 1 }) } else { Ok(s | HARDENED) },
            )
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// The steps, with the hardened bit set.
    #[must_use]
    pub fn steps(&self) -> &[u32] {
        &self.0
    }

    /// The number of steps.
    #[must_use]
    pub fn depth(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("m")?;
        for s in &self.0 {
            write!(f, "/{}'", s & !HARDENED)?;
        }
        Ok(())
    }
}

impl fmt::Debug for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DerivationPath({self})")
    }
}

impl FromStr for DerivationPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<Self, PathError> {
        if text.len() > MAX_PATH_TEXT {
            return Err(PathError::TooDeep);
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(PathError::Empty);
        }
        let mut parts = text.split('/');
        if !matches!(parts.next(), Some("m" | "M")) {
            return Err(PathError::MissingRoot);
        }
        let mut steps = Vec::new();
        for (i, part) in parts.enumerate() {
            let position = i + 1;
            if position > MAX_DEPTH {
                return Err(PathError::TooDeep);
            }
            let (digits, hardened) = match part.strip_suffix(['\'', 'h', 'H']) {
                Some(d) => (d, true),
                None => (part, false),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PathError::Malformed { position });
            }
            let n: u64 = digits.parse().map_err(|_| PathError::OutOfRange { position })?;
            if n >= u64::from(HARDENED) {
                return Err(PathError::OutOfRange { position });
            }
            if !hardened {
                return Err(PathError::NotHardened { position });
            }
            #[allow(clippy::cast_possible_truncation)] // checked above: n < 2^31
            steps.push(n as u32 | HARDENED);
        }
        Ok(Self(steps))
    }
}

/// An ed25519 public key (32 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// The key bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex, 64 characters.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A SLIP-0010 extended private key: never leaves the crate.
pub(crate) struct ExtendedKey {
    pub(crate) key: SecretBytes<32>,
    pub(crate) chain_code: SecretBytes<32>,
}

impl fmt::Debug for ExtendedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExtendedKey([redacted])")
    }
}

type HmacSha512 = Hmac<Sha512>;

fn hmac_split(key: &[u8], parts: &[&[u8]]) -> ExtendedKey {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha512 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for p in parts {
        mac.update(p);
    }
    let mut out = mac.finalize().into_bytes();
    let ek = ExtendedKey {
        key: SecretBytes::from_fn(|b| b.copy_from_slice(&out[..32])),
        chain_code: SecretBytes::from_fn(|b| b.copy_from_slice(&out[32..])),
    };
    out.as_mut_slice().zeroize();
    ek
}

impl ExtendedKey {
    /// The SLIP-0010 master key for ed25519.
    pub(crate) fn master(seed: &[u8]) -> Self {
        hmac_split(b"ed25519 seed", &[seed])
    }

    /// One hardened child step (`index` must have the hardened bit set).
    pub(crate) fn child(&self, index: u32) -> Self {
        debug_assert!(index >= HARDENED);
        hmac_split(self.chain_code.expose(), &[&[0u8], self.key.expose(), &index.to_be_bytes()])
    }

    /// Derives along `path` from `seed`.
    pub(crate) fn derive(seed: &Seed, path: &DerivationPath) -> Self {
        let mut k = Self::master(seed.expose());
        for &step in path.steps() {
            k = k.child(step);
        }
        k
    }

    /// The ed25519 signing key (zeroized on drop by ed25519-dalek).
    pub(crate) fn signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(self.key.expose())
    }

    pub(crate) fn public_key(&self) -> PublicKey {
        PublicKey(self.signing_key().verifying_key().to_bytes())
    }
}

/// The ed25519 public key at `path` under `seed`.
///
/// ```
/// use coffer_core::{derive::{public_key, DerivationPath}, mnemonic::Mnemonic};
/// let m = Mnemonic::parse("film crazy soon outside stand loop subway crumble thrive popular green nuclear \
///     struggle pistol arm wife phrase warfare march wheat nephew ask sunny firm").unwrap();
/// let pk = public_key(&m.to_seed(""), &"m/44'/4218'/0'/0'/0'".parse().unwrap());
/// assert_eq!(pk.to_hex().len(), 64);
/// ```
#[must_use]
pub fn public_key(seed: &Seed, path: &DerivationPath) -> PublicKey {
    ExtendedKey::derive(seed, path).public_key()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors() {
        let e = |s: &str| s.parse::<DerivationPath>().unwrap_err();
        assert_eq!(e(""), PathError::Empty);
        assert_eq!(e("44'/0'"), PathError::MissingRoot);
        assert_eq!(e("m/44'/x'"), PathError::Malformed { position: 2 });
        assert_eq!(e("m/44'/'"), PathError::Malformed { position: 2 });
        assert_eq!(e("m/44'//0'"), PathError::Malformed { position: 2 });
        assert_eq!(e("m/44'/0"), PathError::NotHardened { position: 2 });
        assert_eq!(e("m/2147483648'"), PathError::OutOfRange { position: 1 });
        assert_eq!(e("m/99999999999999999999999'"), PathError::OutOfRange { position: 1 });
        assert_eq!(e("m/-1'"), PathError::Malformed { position: 1 });
        assert_eq!(e(&format!("m{}", "/0'".repeat(256))), PathError::TooDeep);
        assert_eq!(e(&"x".repeat(10_000)), PathError::TooDeep);
    }

    #[test]
    fn parse_forms() {
        let p: DerivationPath = "m".parse().unwrap();
        assert_eq!(p.depth(), 0);
        assert_eq!(p.to_string(), "m");
        let p: DerivationPath = "m/0H/2147483647'".parse().unwrap();
        assert_eq!(p.steps(), &[HARDENED, u32::MAX]);
        assert_eq!(p.to_string(), "m/0'/2147483647'");
        assert_eq!(DerivationPath::hardened(&[HARDENED]).unwrap_err(), PathError::OutOfRange { position: 1 });
    }
}
