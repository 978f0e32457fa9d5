//! The header: magic, version, key slots (password and device) and the payload nonce; parsed and encoded here.
//! It is the payload's associated data, so every byte of it is authenticated.

use crate::vault::VaultError;
use crate::vault::kdf::{KdfParams, SALT_LEN};
use crate::vault::seal::{NONCE_LEN, TAG_LEN, WRAPPED_KEY_LEN};

use super::*;

pub(super) const PASSWORD_SLOT_LEN: usize = 1 + 12 + SALT_LEN + NONCE_LEN + WRAPPED_KEY_LEN;
pub(super) const DEVICE_SLOT_LEN: usize = 16 + NONCE_LEN + WRAPPED_KEY_LEN;

/// A password slot: Argon2id parameters and salt, and the vault key wrapped under the derived key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordSlot {
    /// Argon2id parameters, already checked against the read bounds.
    pub params: KdfParams,
    /// Argon2 salt.
    pub salt: [u8; SALT_LEN],
    /// Nonce of the key wrap.
    pub nonce: [u8; NONCE_LEN],
    /// The wrapped vault key and its tag.
    pub wrapped: [u8; WRAPPED_KEY_LEN],
}

/// A device slot (quick unlock): the vault key wrapped under a random 32-byte key kept in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSlot {
    /// Random identifier of the device key, so a keyring entry can be matched to its slot.
    pub id: [u8; 16],
    /// Nonce of the key wrap.
    pub nonce: [u8; NONCE_LEN],
    /// The wrapped vault key and its tag.
    pub wrapped: [u8; WRAPPED_KEY_LEN],
}

/// A key slot.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Slot {
    /// Opened by the password.
    Password(PasswordSlot),
    /// Opened by a device key.
    Device(DeviceSlot),
}

impl Slot {
    /// The associated data of this slot's key wrap: magic, version, slot type and the slot's fields before its
    /// nonce (KDF algorithm, parameters and salt; or the device key id).
    #[must_use]
    pub fn wrap_aad(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        match self {
            Self::Password(p) => {
                out.push(SLOT_PASSWORD);
                put_kdf(&mut out, p);
            }
            Self::Device(d) => {
                out.push(SLOT_DEVICE);
                out.extend_from_slice(&d.id);
            }
        }
        out
    }
}

pub(super) fn put_kdf(out: &mut Vec<u8>, p: &PasswordSlot) {
    out.push(KDF_ARGON2ID_13);
    out.extend_from_slice(&p.params.memory_kib().to_le_bytes());
    out.extend_from_slice(&p.params.passes().to_le_bytes());
    out.extend_from_slice(&p.params.lanes().to_le_bytes());
    out.extend_from_slice(&p.salt);
}

/// Everything in the header except the ciphertext length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The key slots: exactly one password slot, and any device slots.
    pub slots: Vec<Slot>,
    /// Nonce of the payload encryption.
    pub payload_nonce: [u8; NONCE_LEN],
}

impl Header {
    /// The password slot.
    ///
    /// # Errors
    /// [`VaultError::Corrupted`] if there is none (a parsed header always has one).
    pub fn password_slot(&self) -> Result<&PasswordSlot, VaultError> {
        self.slots
            .iter()
            .find_map(|s| match s {
                Slot::Password(p) => Some(p),
                Slot::Device(_) => None,
            })
            .ok_or(VaultError::Corrupted)
    }

    /// The device slots.
    pub fn device_slots(&self) -> impl Iterator<Item = &DeviceSlot> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Device(d) => Some(d),
            Slot::Password(_) => None,
        })
    }

    /// The header's bytes for a payload ciphertext (tag included) of `ciphertext_len` bytes. They are also the
    /// payload's associated data.
    ///
    /// # Errors
    /// [`VaultError::Corrupted`] if the slots or the length break the format's bounds.
    pub fn encode(&self, ciphertext_len: usize) -> Result<Vec<u8>, VaultError> {
        let passwords = self.slots.iter().filter(|s| matches!(s, Slot::Password(_))).count();
        if passwords != 1
            || self.slots.len() > MAX_SLOTS
            || !(TAG_LEN..=MAX_PAYLOAD_LEN + TAG_LEN).contains(&ciphertext_len)
        {
            return Err(VaultError::Corrupted);
        }
        let mut out = Vec::with_capacity(13 + self.slots.len() * (3 + PASSWORD_SLOT_LEN) + NONCE_LEN + 4);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.push(u8::try_from(self.slots.len()).map_err(|_| VaultError::Corrupted)?);
        for slot in &self.slots {
            match slot {
                Slot::Password(p) => {
                    out.push(SLOT_PASSWORD);
                    out.extend_from_slice(&u16::try_from(PASSWORD_SLOT_LEN).unwrap_or(u16::MAX).to_le_bytes());
                    put_kdf(&mut out, p);
                    out.extend_from_slice(&p.nonce);
                    out.extend_from_slice(&p.wrapped);
                }
                Slot::Device(d) => {
                    out.push(SLOT_DEVICE);
                    out.extend_from_slice(&u16::try_from(DEVICE_SLOT_LEN).unwrap_or(u16::MAX).to_le_bytes());
                    out.extend_from_slice(&d.id);
                    out.extend_from_slice(&d.nonce);
                    out.extend_from_slice(&d.wrapped);
                }
            }
        }
        out.extend_from_slice(&self.payload_nonce);
        out.extend_from_slice(&u32::try_from(ciphertext_len).map_err(|_| VaultError::Corrupted)?.to_le_bytes());
        Ok(out)
    }
}

/// A vault file split into its parts, without any decryption.
#[derive(Debug)]
pub struct ParsedFile<'a> {
    /// The header fields.
    pub header: Header,
    /// The header's bytes: the associated data of the payload.
    pub aad: &'a [u8],
    /// The payload ciphertext followed by its tag.
    pub ciphertext: &'a [u8],
}

/// Splits a vault file into header and ciphertext, checking magic, version, every length and the KDF bounds.
///
/// # Errors
/// [`VaultError::Truncated`], [`VaultError::NotAVault`], [`VaultError::UnsupportedVersion`],
/// [`VaultError::Unsupported`] (unknown slot type or KDF), [`VaultError::ExcessiveWork`] or
/// [`VaultError::Corrupted`].
pub fn parse_file(bytes: &[u8]) -> Result<ParsedFile<'_>, VaultError> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) { VaultError::Truncated } else { VaultError::NotAVault });
    }
    let mut r = Reader::new(bytes, || VaultError::Truncated);
    if r.take(MAGIC.len())? != MAGIC {
        return Err(VaultError::NotAVault);
    }
    let version = r.u16()?;
    if version != VERSION {
        return Err(VaultError::UnsupportedVersion { version });
    }
    if r.u16()? != 0 {
        return Err(VaultError::Corrupted);
    }
    let count = usize::from(r.u8()?);
    if count == 0 || count > MAX_SLOTS {
        return Err(VaultError::Corrupted);
    }
    let mut slots = Vec::with_capacity(count);
    for _ in 0..count {
        let kind = r.u8()?;
        let len = usize::from(r.u16()?);
        let body = r.take(len)?;
        let mut b = Reader::new(body, || VaultError::Corrupted);
        let slot = match kind {
            SLOT_PASSWORD => {
                if len != PASSWORD_SLOT_LEN {
                    return Err(VaultError::Corrupted);
                }
                let kdf = b.u8()?;
                if kdf != KDF_ARGON2ID_13 {
                    return Err(VaultError::Unsupported { what: "key-derivation algorithm", tag: u16::from(kdf) });
                }
                let (m, t, p) = (b.u32()?, b.u32()?, b.u32()?);
                let params = KdfParams::from_file(m, t, p)?;
                Slot::Password(PasswordSlot { params, salt: b.array()?, nonce: b.array()?, wrapped: b.array()? })
            }
            SLOT_DEVICE => {
                if len != DEVICE_SLOT_LEN {
                    return Err(VaultError::Corrupted);
                }
                Slot::Device(DeviceSlot { id: b.array()?, nonce: b.array()?, wrapped: b.array()? })
            }
            other => return Err(VaultError::Unsupported { what: "key slot type", tag: u16::from(other) }),
        };
        slots.push(slot);
    }
    if slots.iter().filter(|s| matches!(s, Slot::Password(_))).count() != 1 {
        return Err(VaultError::Corrupted);
    }
    let payload_nonce = r.array()?;
    let ct_len = usize::try_from(r.u32()?).map_err(|_| VaultError::Corrupted)?;
    if !(TAG_LEN..=MAX_PAYLOAD_LEN + TAG_LEN).contains(&ct_len) {
        return Err(VaultError::Corrupted);
    }
    let aad_len = r.pos();
    let ciphertext = r.take(ct_len)?;
    if !r.is_empty() {
        return Err(VaultError::Corrupted);
    }
    Ok(ParsedFile { header: Header { slots, payload_nonce }, aad: &bytes[..aad_len], ciphertext })
}
