//! The decrypted payload: its version and TLV sections, the state section (save generation, log checkpoint) and

//! the signing-log sections; seeds and migrations have their own modules.

use crate::secret::SecretVec;
use crate::vault::VaultError;
use crate::vault::migration::Migration;
use crate::vault::seed::{SeedId, SeedRecord};

use super::contacts::{contact_len, encode_contact, parse_contact};
use super::migration::{encode_migration, parse_migration};
use super::seed::{encode_seed, parse_seed};
use super::*;

pub(super) const SFIELD_GENERATION: u16 = 1;
pub(super) const SFIELD_LOG_CHECKPOINT: u16 = 2;

/// Where the kept signing log starts, and the key of the archive that holds the entries before it.
#[derive(Debug)]
pub(crate) struct LogCheckpoint {
    pub(crate) at: crate::signing_log::Checkpoint,
    /// Encrypts the archive segments (`<vault>.log.<first index>`); made at the first archival, kept across password
    /// changes (it lives in the payload, not in a key slot).
    pub(crate) key: crate::secret::SecretBytes<32>,
}

/// The decrypted contents of a vault.
#[derive(Debug, Default)]
pub(crate) struct Payload {
    /// How many times the vault was saved (counted from when this field was introduced); each save writes one more.
    /// Atomic only so that [`Vault::save`](super::Vault::save), which takes `&self`, can count.
    pub(crate) generation: std::sync::atomic::AtomicU64,
    /// Set once signing-log entries were archived.
    pub(crate) log_checkpoint: Option<LogCheckpoint>,
    pub(crate) seeds: Vec<SeedRecord>,
    /// The signing log, oldest first; each entry is one [`SECTION_SIGNING_LOG`] section.
    pub(crate) log: Vec<crate::signing_log::LogEntry>,
    /// Migrations, one [`SECTION_MIGRATIONS`] section each.
    pub(crate) migrations: Vec<Migration>,
    /// The address book, one [`SECTION_CONTACT`] section each, in the order added.
    pub(crate) contacts: Vec<crate::vault::contacts::Contact>,
}

/// The version a payload is written with: [`PAYLOAD_VERSION`] when a receipt records its sending or belongs to a
/// row's second or later sweep (the migration fields older builds do not know), or a row failed, [`PAYLOAD_VERSION_BROADCAST`] when a plan row is broadcast or confirmed (states
/// older builds do not know), else [`PAYLOAD_VERSION_BASE`], which every build since the state section reads.
pub(crate) fn written_version(payload: &Payload) -> u16 {
    let migrations = || payload.migrations.iter();
    if migrations().flat_map(|m| &m.receipts).any(|c| c.sent.is_some() || c.sweep != 0)
        || migrations().flat_map(|m| &m.rows).any(|r| r.state == crate::migrate::RowState::Failed)
    {
        return PAYLOAD_VERSION;
    }
    let newer_states = migrations()
        .flat_map(|m| &m.rows)
        .any(|r| matches!(r.state, crate::migrate::RowState::Broadcast | crate::migrate::RowState::Confirmed));
    if newer_states { PAYLOAD_VERSION_BROADCAST } else { PAYLOAD_VERSION_BASE }
}

pub(super) fn encode_into(payload: &Payload, out: &mut impl Sink) {
    out.put(&written_version(payload).to_le_bytes());
    let generation = payload.generation.load(std::sync::atomic::Ordering::Relaxed).to_le_bytes();
    let checkpoint_len = if payload.log_checkpoint.is_some() { 6 + 8 + 32 + 32 } else { 0 };
    out.put(&SECTION_STATE.to_le_bytes());
    out.put(&u32::try_from(6 + 8 + checkpoint_len).unwrap_or(u32::MAX).to_le_bytes());
    put_tlv(out, SFIELD_GENERATION, &[&generation]);
    if let Some(c) = &payload.log_checkpoint {
        put_tlv(out, SFIELD_LOG_CHECKPOINT, &[&c.at.archived.to_le_bytes(), &c.at.head, c.key.expose()]);
    }
    for s in &payload.seeds {
        let mut c = Counter(0);
        encode_seed(s, &mut c);
        out.put(&SECTION_SEED.to_le_bytes());
        out.put(&u32::try_from(c.0).unwrap_or(u32::MAX).to_le_bytes());
        encode_seed(s, out);
    }
    for e in &payload.log {
        put_tlv(out, SECTION_SIGNING_LOG, &[&e.encode()]);
    }
    for m in &payload.migrations {
        put_tlv(out, SECTION_MIGRATIONS, &[&encode_migration(m)]);
    }
    for c in &payload.contacts {
        out.put(&SECTION_CONTACT.to_le_bytes());
        out.put(&u32::try_from(contact_len(c)).unwrap_or(u32::MAX).to_le_bytes());
        encode_contact(c, out);
    }
}

/// Encodes the payload into a zeroizing buffer of exactly the right size.
///
/// # Errors
/// [`VaultError::Corrupted`] if it would exceed [`MAX_PAYLOAD_LEN`] (the API's bounds make that impossible).
pub(crate) fn encode_payload(payload: &Payload) -> Result<SecretVec, VaultError> {
    let mut c = Counter(0);
    encode_into(payload, &mut c);
    if c.0 > MAX_PAYLOAD_LEN {
        return Err(VaultError::Corrupted);
    }
    let mut out = SecretVec::with_capacity(c.0);
    encode_into(payload, &mut out);
    Ok(out)
}

/// Parses a decrypted payload. It was authenticated, so a structural fault means a bug or a forged key:
/// [`VaultError::Corrupted`]; an unknown section or field is [`VaultError::Unsupported`].
///
/// # Errors
/// As above, and [`VaultError::UnsupportedVersion`] for an unknown payload version.
pub(crate) fn parse_payload(bytes: &[u8]) -> Result<Payload, VaultError> {
    if bytes.len() > MAX_PAYLOAD_LEN {
        return Err(VaultError::Corrupted);
    }
    let mut r = Reader::new(bytes, || VaultError::Corrupted);
    let version = r.u16()?;
    if !(1..=PAYLOAD_VERSION).contains(&version) {
        return Err(VaultError::UnsupportedVersion { version });
    }
    let mut payload = Payload::default();
    let mut state_seen = false;
    while !r.is_empty() {
        let (tag, body) = r.tlv()?;
        match tag {
            SECTION_STATE if version >= 2 => {
                if state_seen {
                    return Err(VaultError::Corrupted);
                }
                state_seen = true;
                parse_state(body, &mut payload)?;
            }
            SECTION_SEED => {
                if payload.seeds.len() == MAX_SEEDS {
                    return Err(VaultError::Corrupted);
                }
                let seed = parse_seed(body)?;
                if payload.seeds.iter().any(|s| s.label == seed.label || s.id == seed.id) {
                    return Err(VaultError::Corrupted);
                }
                payload.seeds.push(seed);
            }
            SECTION_SIGNING_LOG => {
                if payload.log.len() == MAX_LOG_ENTRIES {
                    return Err(VaultError::Corrupted);
                }
                // The chain itself is checked by `coffer log`, not here: a broken chain must not lock the user out.
                let entry = crate::signing_log::LogEntry::decode(body).map_err(|_| VaultError::Corrupted)?;
                payload.log.push(entry);
            }
            SECTION_MIGRATIONS => {
                if payload.migrations.len() == MAX_SEEDS {
                    return Err(VaultError::Corrupted);
                }
                let m = parse_migration(body)?;
                if payload.migrations.iter().any(|o| o.from == m.from) {
                    return Err(VaultError::Corrupted);
                }
                payload.migrations.push(m);
            }
            SECTION_CONTACT => {
                if payload.contacts.len() == MAX_CONTACTS {
                    return Err(VaultError::Corrupted);
                }
                let c = parse_contact(body)?;
                let clash = |o: &crate::vault::contacts::Contact| {
                    o.chain == c.chain && (o.address == c.address || o.label == c.label)
                };
                if payload.contacts.iter().any(clash) {
                    return Err(VaultError::Corrupted);
                }
                payload.contacts.push(c);
            }
            other => return Err(VaultError::Unsupported { what: "payload section", tag: other }),
        }
    }
    // The kept log continues from its checkpoint, which counts at least one entry.
    if payload.log_checkpoint.as_ref().is_some_and(|c| c.at.archived == 0) {
        return Err(VaultError::Corrupted);
    }
    // Every migration names seeds of this vault.
    let known = |id: &SeedId| payload.seeds.iter().any(|s| s.id == *id);
    if payload.migrations.iter().any(|m| !known(&m.from) || !known(&m.to)) {
        return Err(VaultError::Corrupted);
    }
    Ok(payload)
}

pub(super) fn parse_state(body: &[u8], payload: &mut Payload) -> Result<(), VaultError> {
    let mut r = Reader::new(body, || VaultError::Corrupted);
    let mut generation = None;
    while !r.is_empty() {
        let (tag, value) = r.tlv()?;
        let mut v = Reader::new(value, || VaultError::Corrupted);
        match tag {
            SFIELD_GENERATION => once(&mut generation, v.u64()?)?,
            SFIELD_LOG_CHECKPOINT => {
                let archived = v.u64()?;
                let head = v.array()?;
                let mut raw: [u8; 32] = v.array()?;
                let key = crate::secret::SecretBytes::take(&mut raw);
                let c = LogCheckpoint { at: crate::signing_log::Checkpoint { archived, head }, key };
                once(&mut payload.log_checkpoint, c)?;
            }
            other => return Err(VaultError::Unsupported { what: "state field", tag: other }),
        }
        if !v.is_empty() {
            return Err(VaultError::Corrupted);
        }
    }
    payload.generation = generation.ok_or(VaultError::Corrupted)?.into();
    Ok(())
}

/// Parses the payload of a decrypted file for the fuzzer and tools, returning the number of seeds.
///
/// # Errors
/// As the vault's own parsing.
#[doc(hidden)]
pub fn check_payload(bytes: &[u8]) -> Result<usize, VaultError> {
    parse_payload(bytes).map(|p| p.seeds.len())
}
