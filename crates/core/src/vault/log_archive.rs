//! The signing log's archive: entries moved out of the vault when its log reaches
//! [`MAX_LOG_ENTRIES`], so that a full log never blocks signing and the vault file
//! stays bounded.
//!
//! Each archival writes one *segment* next to the vault, `<vault>.log-<end>-<head>`: `end` is the absolute index
//! after its last entry (12 decimal digits), `head` the first 8 bytes of its last entry's hash in hex. A segment is
//! never overwritten (a new name for new contents), so a vault restored from an older copy cannot make a later
//! archival destroy entries archived before. The vault keeps a [`Checkpoint`] (how many entries were archived and
//! the hash of the last) and the segments' key; the kept entries verify from the checkpoint, and the segments, read
//! backwards from the checkpoint, verify from [`GENESIS`] to it.
//!
//! Segments are encrypted (XChaCha20-Poly1305 under a random archive key kept in the vault's payload): the log holds
//! no secrets, but its chains, derivation paths, digests and summaries say what the user signed, when, to whom and
//! for how much, and a file beside an encrypted vault is copied wherever the vault is (backups, sync). The archive
//! key lives in the payload, not in a key slot, so it survives password changes. `coffer log --export FILE` writes
//! the whole chain as plain JSON when the user asks for it.
//!
//! Segment layout (integers little-endian; docs/vault-format.md, "Signing-log archive"):
//!
//! ```text
//! magic "COFFERL\0" || version u16 (1) || first u64 || count u32 || prev_hash[32] || last_hash[32]
//!     || nonce[24] || ciphertext length u32 || ciphertext and tag
//! plaintext = count × (u32 length || entry encoding (signing_log::LogEntry::encode))
//! associated data = every byte before the ciphertext
//! ```

use std::path::{Path, PathBuf};

use super::VaultError;
use super::file;
use super::format::{LogCheckpoint, MAX_LOG_ENTRIES, MAX_PAYLOAD_LEN};
use super::seal::{self, NONCE_LEN, TAG_LEN};
use crate::secret::{SecretBytes, SecretVec};
use crate::signing_log::{Checkpoint, GENESIS, LogEntry, verify_chain_from};

/// First bytes of every archive segment.
pub const MAGIC: [u8; 8] = *b"COFFERL\0";
/// Segment format version.
pub const VERSION: u16 = 1;
/// How many entries one archival moves out of the vault (at least): half the cap, so archivals are rare.
pub const BATCH: usize = MAX_LOG_ENTRIES / 2;
const HEADER_LEN: usize = 8 + 2 + 8 + 4 + 32 + 32 + NONCE_LEN + 4;

/// The archive segment that ends at absolute index `end` (exclusive) with an entry hashed `head`.
#[must_use]
pub fn segment_path(vault: &Path, end: u64, head: &[u8; 32]) -> PathBuf {
    file::sibling(vault, &format!(".log-{end:012}-{}", hex::encode(&head[..8])))
}

fn header(first: u64, count: u32, prev: &[u8; 32], last: &[u8; 32], nonce: &[u8; NONCE_LEN], ct_len: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(&MAGIC);
    h.extend_from_slice(&VERSION.to_le_bytes());
    h.extend_from_slice(&first.to_le_bytes());
    h.extend_from_slice(&count.to_le_bytes());
    h.extend_from_slice(prev);
    h.extend_from_slice(last);
    h.extend_from_slice(nonce);
    h.extend_from_slice(&ct_len.to_le_bytes());
    h
}

/// Encodes and encrypts `entries` (absolute indices from `first`, chained from `prev`) as one segment.
fn encode(key: &SecretBytes<32>, first: u64, prev: &[u8; 32], entries: &[LogEntry]) -> Result<Vec<u8>, VaultError> {
    let last = entries.last().ok_or(VaultError::Corrupted)?.hash();
    let encoded: Vec<Vec<u8>> = entries.iter().map(LogEntry::encode).collect();
    let plain_len: usize = encoded.iter().map(|e| 4 + e.len()).sum();
    if plain_len > MAX_PAYLOAD_LEN {
        return Err(VaultError::Corrupted);
    }
    let mut plain = SecretVec::with_capacity(plain_len);
    for e in &encoded {
        plain.expose_mut().extend_from_slice(&u32::try_from(e.len()).map_err(|_| VaultError::Corrupted)?.to_le_bytes());
        plain.expose_mut().extend_from_slice(e);
    }
    let count = u32::try_from(entries.len()).map_err(|_| VaultError::Corrupted)?;
    let ct_len = u32::try_from(plain_len + TAG_LEN).map_err(|_| VaultError::Corrupted)?;
    let nonce = seal::random_nonce()?;
    let aad = header(first, count, prev, &last, &nonce, ct_len);
    let mut out = aad.clone();
    seal::seal(key, &nonce, &aad, &plain, &mut out)?;
    Ok(out)
}

/// A decrypted segment.
struct Segment {
    first: u64,
    prev: [u8; 32],
    entries: Vec<LogEntry>,
}

/// Reads and checks one segment: its header, its authentication under `key`, and that its entries chain from its
/// `prev_hash` to its `last_hash`.
fn decode(key: &SecretBytes<32>, bytes: &[u8]) -> Option<Segment> {
    let (head, ciphertext) = bytes.split_at_checked(HEADER_LEN)?;
    if head[..8] != MAGIC || head[8..10] != VERSION.to_le_bytes() {
        return None;
    }
    let u64_at = |at: usize| head.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let u32_at = |at: usize| head.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
    let first = u64_at(10)?;
    let count = usize::try_from(u32_at(18)?).ok()?;
    let prev: [u8; 32] = head[22..54].try_into().ok()?;
    let last: [u8; 32] = head[54..86].try_into().ok()?;
    let nonce: [u8; NONCE_LEN] = head[86..86 + NONCE_LEN].try_into().ok()?;
    let ct_len = usize::try_from(u32_at(86 + NONCE_LEN)?).ok()?;
    if count == 0 || count > MAX_LOG_ENTRIES || ct_len != ciphertext.len() || ct_len > MAX_PAYLOAD_LEN + TAG_LEN {
        return None;
    }
    let plain = seal::open(key, &nonce, head, ciphertext)?;
    let mut rest = plain.expose();
    let mut entries = Vec::with_capacity(count);
    while !rest.is_empty() {
        let (len, r) = rest.split_at_checked(4)?;
        let len = usize::try_from(u32::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (entry, r) = r.split_at_checked(len)?;
        entries.push(LogEntry::decode(entry).ok()?);
        rest = r;
    }
    let chained = verify_chain_from(&prev, &entries).is_ok();
    (entries.len() == count && chained && entries.last().map(LogEntry::hash) == Some(last)).then_some(Segment {
        first,
        prev,
        entries,
    })
}

/// What [`make_room`] moved out: the archived entries and the checkpoint before, to put back if the save fails.
pub(crate) type Undo = (Vec<LogEntry>, Option<LogCheckpoint>);

/// Moves the oldest entries of `log` into a new segment if appending `incoming` entries would exceed the cap, and
/// updates `checkpoint` (making the archive key at the first archival). Returns what to put back if the vault's save
/// then fails: the entries moved and the previous checkpoint.
///
/// # Errors
/// [`VaultError::LogFull`] if `incoming` alone exceeds the cap; errors of writing the segment (nothing moved then).
pub(crate) fn make_room(
    vault: &Path,
    log: &mut Vec<LogEntry>,
    checkpoint: &mut Option<LogCheckpoint>,
    incoming: usize,
) -> Result<Option<Undo>, VaultError> {
    if incoming > MAX_LOG_ENTRIES {
        return Err(VaultError::LogFull);
    }
    let overflow = (log.len() + incoming).saturating_sub(MAX_LOG_ENTRIES);
    if overflow == 0 {
        return Ok(None);
    }
    let n = overflow.max(BATCH).min(log.len());
    let start = checkpoint.as_ref().map_or(Checkpoint::START, |c| c.at);
    let key = match checkpoint {
        Some(c) => SecretBytes::from_fn(|k| k.copy_from_slice(c.key.expose())),
        None => seal::random_key()?,
    };
    let bytes = encode(&key, start.archived, &start.head, &log[..n])?;
    let head = log[n - 1].hash();
    let end = start.archived + u64::try_from(n).map_err(|_| VaultError::Corrupted)?;
    file::write_new_atomic(&segment_path(vault, end, &head), &bytes)?;
    let moved: Vec<LogEntry> = log.drain(..n).collect();
    let before = checkpoint.replace(LogCheckpoint { at: Checkpoint { archived: end, head }, key });
    Ok(Some((moved, before)))
}

/// Reads the whole archive of the vault at `vault` backwards from `checkpoint`: every archived entry, oldest first,
/// checked to chain from [`GENESIS`] to the checkpoint.
///
/// # Errors
/// [`VaultError::LogArchiveMissing`] if a segment is not there (moved or deleted); [`VaultError::LogArchiveDamaged`]
/// if one does not decrypt, is malformed, or does not link to its neighbours; I/O errors reading it.
pub(crate) fn read(vault: &Path, checkpoint: &LogCheckpoint) -> Result<Vec<LogEntry>, VaultError> {
    let mut segments = Vec::new();
    let (mut end, mut head) = (checkpoint.at.archived, checkpoint.at.head);
    while end > 0 {
        let path = segment_path(vault, end, &head);
        let bytes = match file::read(&path) {
            Ok(b) => b,
            Err(VaultError::NotFound { .. }) => return Err(VaultError::LogArchiveMissing { path }),
            Err(VaultError::NotAVault | VaultError::Corrupted) => return Err(VaultError::LogArchiveDamaged { path }),
            Err(e) => return Err(e),
        };
        let segment =
            decode(&checkpoint.key, &bytes).ok_or_else(|| VaultError::LogArchiveDamaged { path: path.clone() })?;
        let len = u64::try_from(segment.entries.len()).map_err(|_| VaultError::Corrupted)?;
        if segment.first.checked_add(len) != Some(end) || (segment.first == 0) != (segment.prev == GENESIS) {
            return Err(VaultError::LogArchiveDamaged { path });
        }
        (end, head) = (segment.first, segment.prev);
        segments.push(segment);
    }
    Ok(segments.into_iter().rev().flat_map(|s| s.entries).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::LogRecord;
    use crate::signing_log::{append, verify_chain};

    fn entries(n: usize) -> Vec<LogEntry> {
        let mut l = Vec::new();
        for i in 0..n {
            let record = LogRecord {
                chain: "sui".into(),
                path: "m/44'/784'/0'/0'/0'".into(),
                digest: vec![1; 32],
                summary: format!("#{i}"),
            };
            append(&mut l, 1_700_000_000 + i as u64, record);
        }
        l
    }

    #[test]
    fn segment_round_trip_and_tamper() {
        let key = seal::random_key().unwrap();
        let log = entries(5);
        let bytes = encode(&key, 0, &GENESIS, &log).unwrap();
        let s = decode(&key, &bytes).unwrap();
        assert_eq!((s.first, s.prev, &s.entries), (0, GENESIS, &log));
        assert!(decode(&seal::random_key().unwrap(), &bytes).is_none(), "another key");
        for at in [0, 9, 12, 20, 30, 60, HEADER_LEN, bytes.len() - 1] {
            let mut b = bytes.clone();
            b[at] ^= 1;
            assert!(decode(&key, &b).is_none(), "flipped byte {at}");
        }
        for n in 0..bytes.len() {
            assert!(decode(&key, &bytes[..n]).is_none(), "cut at {n}");
        }
        // A tail segment chains from the entry before it.
        let tail = encode(&key, 2, &log[1].hash(), &log[2..]).unwrap();
        assert_eq!(decode(&key, &tail).unwrap().entries, log[2..]);
        let wrong = encode(&key, 2, &log[0].hash(), &log[2..]).unwrap();
        assert!(decode(&key, &wrong).is_none(), "does not chain from its prev_hash");
    }

    fn dir() -> coffer_test_util::TempDir {
        coffer_test_util::TempDir::new("archive-test")
    }

    /// Two archivals, then the archive reads back as one chain from GENESIS to the checkpoint; a missing or swapped
    /// segment is reported.
    #[test]
    fn archivals_chain_and_read_back() {
        let d = dir();
        let vault = d.join("v.coffer");
        let mut all = entries(MAX_LOG_ENTRIES + BATCH + 1);
        let mut log: Vec<LogEntry> = all.drain(..MAX_LOG_ENTRIES).collect();
        let mut checkpoint = None;
        assert!(make_room(&vault, &mut log, &mut checkpoint, 0).unwrap().is_none());
        let (moved, before) = make_room(&vault, &mut log, &mut checkpoint, 1).unwrap().unwrap();
        assert_eq!((moved.len(), before.is_none(), log.len()), (BATCH, true, MAX_LOG_ENTRIES - BATCH));
        let c = checkpoint.as_ref().unwrap();
        assert_eq!(c.at, Checkpoint { archived: BATCH as u64, head: moved[BATCH - 1].hash() });
        assert_eq!(verify_chain_from(&c.at.head, &log), Ok(()));
        log.extend(all.drain(..BATCH));
        assert_eq!(log.len(), MAX_LOG_ENTRIES);
        let (moved2, before) = make_room(&vault, &mut log, &mut checkpoint, all.len()).unwrap().unwrap();
        assert_eq!(before.unwrap().at.archived, BATCH as u64);
        let c = checkpoint.as_ref().unwrap();
        assert_eq!(c.at.archived, 2 * BATCH as u64);
        let archive = read(&vault, c).unwrap();
        assert_eq!(archive.len(), 2 * BATCH);
        assert_eq!(archive[..BATCH], moved[..]);
        assert_eq!(archive[BATCH..], moved2[..]);
        let mut whole = archive;
        whole.extend(log.iter().cloned());
        assert_eq!(verify_chain(&whole), Ok(()));
        // The first segment gone: reported by name.
        let first = segment_path(&vault, BATCH as u64, &moved[BATCH - 1].hash());
        std::fs::rename(&first, d.join("moved")).unwrap();
        assert!(matches!(read(&vault, c), Err(VaultError::LogArchiveMissing { path }) if path == first));
        // Replaced by garbage: damaged.
        std::fs::write(&first, b"COFFERL\0garbage").unwrap();
        assert!(matches!(read(&vault, c), Err(VaultError::LogArchiveDamaged { path }) if path == first));
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn more_than_the_cap_at_once_is_log_full() {
        let mut log = Vec::new();
        let err = make_room(Path::new("/nonexistent/v"), &mut log, &mut None, MAX_LOG_ENTRIES + 1).unwrap_err();
        assert!(matches!(err, VaultError::LogFull));
    }
}
