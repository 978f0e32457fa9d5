//! The signing log's hash chain, independent of where it is stored.
//!
//! Every entry carries the hash of the one before it (`prev_hash`; all zeros for the first), so changing, removing or
//! reordering an entry breaks the chain at that point. [`verify_chain`] reports the first break. Cutting entries off
//! the end cannot be seen from the entries alone: keep [`head_hash`] somewhere authenticated (the vault header) and
//! compare it with [`verify_chain_with_head`].
//!
//! A vault keeps at most [`MAX_LOG_ENTRIES`](crate::vault::format::MAX_LOG_ENTRIES) entries; older ones are moved
//! into an archive and the vault keeps a [`Checkpoint`]: how many entries were archived and the hash of the last. The
//! kept entries then verify from the checkpoint ([`verify_chain_from`]), and archive plus kept entries verify from
//! [`GENESIS`] as one chain.
//!
//! Entry encoding (version 1), all integers big-endian:
//!
//! ```text
//! "coffer-log-v1" || prev_hash[32] || time u64 || u32 len || chain || u32 len || path
//!                 || u32 len || digest || u32 len || summary (UTF-8)
//! hash(entry) = sha256(encoding)
//! ```
//!
//! ```
//! use coffer_core::signing_log::{append, verify_chain, FirstBreak};
//! use coffer_core::sign::LogRecord;
//!
//! let record = |s: &str| LogRecord { chain: "sui".into(), path: "m/44'/784'/0'/0'/0'".into(),
//!     digest: vec![1; 32], summary: s.into() };
//! let mut log = Vec::new();
//! append(&mut log, 1_700_000_000, record("first"));
//! append(&mut log, 1_700_000_060, record("second"));
//! assert_eq!(verify_chain(&log), Ok(()));
//! log[0].summary = "edited".into();
//! assert_eq!(verify_chain(&log), Err(FirstBreak { index: 1 }));
//! ```

use sha2::{Digest, Sha256};

use crate::sign::LogRecord;

/// Domain separation and version of the entry encoding.
pub const ENCODING_TAG: &[u8; 13] = b"coffer-log-v1";
/// The `prev_hash` of the first entry.
pub const GENESIS: [u8; 32] = [0; 32];
/// Largest field accepted when decoding (1 MiB).
pub const MAX_FIELD: usize = 1 << 20;

/// One signature in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Hash of the previous entry ([`GENESIS`] for the first).
    pub prev_hash: [u8; 32],
    /// When it was signed (UNIX seconds).
    pub time: u64,
    /// Chain name.
    pub chain: String,
    /// Derivation path.
    pub path: String,
    /// The digest signed.
    pub digest: Vec<u8>,
    /// One-line summary.
    pub summary: String,
}

/// Where the chain first breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the signing log's hash chain breaks at entry {index}")]
pub struct FirstBreak {
    /// The first entry whose `prev_hash` does not match (for a wrong head: the number of entries).
    pub index: usize,
}

/// Why an encoded entry could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// Not a version-1 entry.
    #[error("not a coffer signing-log entry (unknown tag or version)")]
    UnknownVersion,
    /// Too short, too long or a field too large.
    #[error("the signing-log entry is malformed")]
    Malformed,
    /// A text field is not UTF-8.
    #[error("a signing-log text field is not UTF-8")]
    NotUtf8,
}

impl LogEntry {
    /// An entry for `record` signed at `time`, following the entry whose hash is `prev_hash`.
    #[must_use]
    pub fn new(prev_hash: [u8; 32], time: u64, record: LogRecord) -> Self {
        Self { prev_hash, time, chain: record.chain, path: record.path, digest: record.digest, summary: record.summary }
    }

    /// The canonical encoding (what is hashed and what the vault may store).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            ENCODING_TAG.len() + 56 + self.chain.len() + self.path.len() + self.digest.len() + self.summary.len(),
        );
        out.extend_from_slice(ENCODING_TAG);
        out.extend_from_slice(&self.prev_hash);
        out.extend_from_slice(&self.time.to_be_bytes());
        for field in [self.chain.as_bytes(), self.path.as_bytes(), &self.digest, self.summary.as_bytes()] {
            // Fields are far below 4 GiB; clamp defensively rather than wrap.
            out.extend_from_slice(&u32::try_from(field.len()).unwrap_or(u32::MAX).to_be_bytes());
            out.extend_from_slice(field);
        }
        out
    }

    /// Reads an encoded entry.
    ///
    /// # Errors
    /// [`EntryError`].
    pub fn decode(bytes: &[u8]) -> Result<Self, EntryError> {
        let rest = bytes.strip_prefix(ENCODING_TAG.as_slice()).ok_or(EntryError::UnknownVersion)?;
        let (prev, rest) = rest.split_at_checked(32).ok_or(EntryError::Malformed)?;
        let (time, mut rest) = rest.split_at_checked(8).ok_or(EntryError::Malformed)?;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(4);
        for _ in 0..4 {
            let (len, r) = rest.split_at_checked(4).ok_or(EntryError::Malformed)?;
            let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
            if len > MAX_FIELD {
                return Err(EntryError::Malformed);
            }
            let (field, r) = r.split_at_checked(len).ok_or(EntryError::Malformed)?;
            fields.push(field);
            rest = r;
        }
        if !rest.is_empty() {
            return Err(EntryError::Malformed);
        }
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| EntryError::NotUtf8);
        let mut prev_hash = [0u8; 32];
        prev_hash.copy_from_slice(prev);
        let mut t = [0u8; 8];
        t.copy_from_slice(time);
        Ok(Self {
            prev_hash,
            time: u64::from_be_bytes(t),
            chain: text(fields[0])?,
            path: text(fields[1])?,
            digest: fields[2].to_vec(),
            summary: text(fields[3])?,
        })
    }

    /// sha256 of the encoding.
    #[must_use]
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.encode()).into()
    }
}

/// The hash the next entry must carry: the last entry's hash, or [`GENESIS`] for an empty log.
#[must_use]
pub fn head_hash(entries: &[LogEntry]) -> [u8; 32] {
    entries.last().map_or(GENESIS, LogEntry::hash)
}

/// Appends an entry for `record` at `time`, chained to the current head.
pub fn append(entries: &mut Vec<LogEntry>, time: u64, record: LogRecord) {
    let prev = head_hash(entries);
    entries.push(LogEntry::new(prev, time, record));
}

/// Where the kept part of a log starts: the entries before it were moved into an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// How many entries were archived (the absolute index of the first kept entry).
    pub archived: u64,
    /// The hash of the last archived entry: the `prev_hash` of the first kept entry.
    pub head: [u8; 32],
}

impl Checkpoint {
    /// The checkpoint of an unarchived log: nothing archived, the chain starts at [`GENESIS`].
    pub const START: Self = Self { archived: 0, head: GENESIS };
}

/// Checks every link of the chain.
///
/// # Errors
/// [`FirstBreak`] with the index of the first entry whose `prev_hash` is wrong.
pub fn verify_chain(entries: &[LogEntry]) -> Result<(), FirstBreak> {
    verify_chain_from(&GENESIS, entries)
}

/// Checks every link of a chain whose first entry follows the entry hashed `start` (a [`Checkpoint::head`]).
///
/// # Errors
/// [`FirstBreak`] with the index (in `entries`) of the first entry whose `prev_hash` is wrong.
pub fn verify_chain_from(start: &[u8; 32], entries: &[LogEntry]) -> Result<(), FirstBreak> {
    let mut prev = *start;
    for (index, e) in entries.iter().enumerate() {
        if e.prev_hash != prev {
            return Err(FirstBreak { index });
        }
        prev = e.hash();
    }
    Ok(())
}

/// Checks the chain and that it ends at `head` (detects entries cut off the end).
///
/// # Errors
/// [`FirstBreak`]; `index == entries.len()` when only the head differs.
pub fn verify_chain_with_head(entries: &[LogEntry], head: &[u8; 32]) -> Result<(), FirstBreak> {
    verify_chain(entries)?;
    if head_hash(entries) == *head { Ok(()) } else { Err(FirstBreak { index: entries.len() }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: u8) -> LogRecord {
        LogRecord {
            chain: "iota".into(),
            path: "m/44'/4218'/0'/0'/0'".into(),
            digest: vec![i; 32],
            summary: format!("#{i} ✓"),
        }
    }

    fn log(n: u8) -> Vec<LogEntry> {
        let mut l = Vec::new();
        for i in 0..n {
            append(&mut l, 1_000 + u64::from(i), record(i));
        }
        l
    }

    #[test]
    fn encoding_round_trips_and_rejects_damage() {
        let e = &log(2)[1];
        let enc = e.encode();
        assert_eq!(&LogEntry::decode(&enc).unwrap(), e);
        for n in 0..enc.len() {
            assert!(LogEntry::decode(&enc[..n]).is_err(), "truncated at {n}");
        }
        let mut long = enc.clone();
        long.push(0);
        assert_eq!(LogEntry::decode(&long), Err(EntryError::Malformed));
        let mut bad = enc;
        bad[12] = b'2';
        assert_eq!(LogEntry::decode(&bad), Err(EntryError::UnknownVersion));
    }

    #[test]
    fn every_kind_of_tampering_is_found_at_its_index() {
        let good = log(5);
        assert_eq!(verify_chain(&good), Ok(()));
        assert_eq!(verify_chain(&[]), Ok(()));
        for i in 0..5 {
            let mut l = good.clone();
            l[i].time += 1;
            // Editing entry i breaks the link into i + 1 (or nothing, for the last: the head catches it).
            if i < 4 {
                assert_eq!(verify_chain(&l), Err(FirstBreak { index: i + 1 }));
            } else {
                assert_eq!(verify_chain(&l), Ok(()));
                assert_eq!(verify_chain_with_head(&l, &head_hash(&good)), Err(FirstBreak { index: 5 }));
            }
            let mut l = good.clone();
            l.remove(i);
            if i < 4 {
                assert_eq!(verify_chain(&l), Err(FirstBreak { index: i }));
            }
        }
        let mut l = good.clone();
        l.swap(1, 2);
        assert_eq!(verify_chain(&l), Err(FirstBreak { index: 1 }));
        let mut l = good.clone();
        l[0].prev_hash[0] = 1;
        assert_eq!(verify_chain(&l), Err(FirstBreak { index: 0 }));
        assert_eq!(verify_chain_with_head(&good[..4], &head_hash(&good)), Err(FirstBreak { index: 4 }));
        assert_eq!(verify_chain_with_head(&good, &head_hash(&good)), Ok(()));
        // The tail verifies from the hash of the entry before it, and only from that.
        assert_eq!(verify_chain_from(&good[1].hash(), &good[2..]), Ok(()));
        assert_eq!(verify_chain_from(&good[0].hash(), &good[2..]), Err(FirstBreak { index: 0 }));
        assert_eq!(verify_chain(&good[2..]), Err(FirstBreak { index: 0 }));
    }
}
