//! Noticing a rollback: what a front end remembers of a vault between runs, outside the vault file.
//!
//! An older copy of the vault (`<vault>.bak`, a restored backup) is authentic, so nothing in the file can show that
//! it replaced a newer one, and with it signing-log entries made since. A front end keeps the [`SeenState`] of the
//! vault it last opened or saved (the CLI in its config directory, the app in its settings file) and compares the
//! state of the vault it opens with it ([`SeenState::compare`]); a [`Regression`] is worth a warning.
//!
//! ```
//! use coffer_core::vault::{Regression, SeenState};
//! let seen = SeenState { generation: 7, log_entries: 3, log_head: [1; 32] };
//! let restored = SeenState { generation: 6, log_entries: 2, log_head: [2; 32] };
//! assert!(matches!(restored.compare(&seen), Some(Regression::Generation { seen: 7, now: 6 })));
//! assert_eq!(SeenState::from_text(&seen.to_text()), Some(seen));
//! assert_eq!(seen.compare(&restored), None);
//! ```

use core::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The state of a vault that reveals a rollback: its save generation and its signing log's length and head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenState {
    /// How many times the vault was saved (see docs/vault-format.md, "Section 4: state").
    pub generation: u64,
    /// How many signing-log entries it holds in all, archived ones included.
    pub log_entries: u64,
    /// The hash of its last log entry (zeros for an empty log).
    pub log_head: [u8; 32],
}

/// How a vault went back compared with the state seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Regression {
    /// It was saved fewer times than the vault seen before: an older copy.
    Generation {
        /// The generation seen before.
        seen: u64,
        /// The generation now.
        now: u64,
    },
    /// Its signing log holds fewer entries than before: entries were removed.
    LogEntries {
        /// The entries seen before.
        seen: u64,
        /// The entries now.
        now: u64,
    },
    /// The same generation and number of log entries, but a different last entry: another copy of the vault.
    Fork,
}

impl fmt::Display for Regression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Generation { seen, now } => {
                write!(f, "it was saved {now} times, but a version saved {seen} times was seen before")
            }
            Self::LogEntries { seen, now } => {
                write!(f, "its signing log holds {now} entries, but {seen} were seen before")
            }
            Self::Fork => f.write_str("it differs from the version seen before although it was saved as often"),
        }
    }
}

impl SeenState {
    /// How `self` (the vault now) went back compared with `earlier` (the state seen before), if it did: a lower
    /// generation, fewer log entries, or the same counts with a different log head. A newer vault (more saves)
    /// is no regression.
    #[must_use]
    pub fn compare(&self, earlier: &Self) -> Option<Regression> {
        if self.generation < earlier.generation {
            Some(Regression::Generation { seen: earlier.generation, now: self.generation })
        } else if self.log_entries < earlier.log_entries {
            Some(Regression::LogEntries { seen: earlier.log_entries, now: self.log_entries })
        } else if self.generation == earlier.generation
            && (self.log_entries, self.log_head) != (earlier.log_entries, earlier.log_head)
        {
            Some(Regression::Fork)
        } else {
            None
        }
    }

    /// One line: `generation log_entries log_head_hex`, as [`SeenState::from_text`] reads it.
    #[must_use]
    pub fn to_text(&self) -> String {
        format!("{} {} {}", self.generation, self.log_entries, hex::encode(self.log_head))
    }

    /// Reads [`SeenState::to_text`]'s line; `None` if it is malformed.
    #[must_use]
    pub fn from_text(text: &str) -> Option<Self> {
        let mut parts = text.split_whitespace();
        let generation = parts.next()?.parse().ok()?;
        let log_entries = parts.next()?.parse().ok()?;
        let mut log_head = [0u8; 32];
        hex::decode_to_slice(parts.next()?, &mut log_head).ok()?;
        parts.next().is_none().then_some(Self { generation, log_entries, log_head })
    }

    /// A short, stable name for the vault at `path` (which should be canonical) under which to keep its state: 32
    /// hex digits of a SHA-256 of the path.
    #[must_use]
    pub fn key_for(path: &Path) -> String {
        hex::encode(&Sha256::digest(path.as_os_str().as_encoded_bytes())[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_finds_each_regression() {
        let seen = SeenState { generation: 10, log_entries: 4, log_head: [4; 32] };
        assert_eq!(seen.compare(&seen), None);
        let newer = SeenState { generation: 11, log_entries: 5, log_head: [5; 32] };
        assert_eq!(newer.compare(&seen), None);
        assert_eq!(SeenState { generation: 11, ..seen }.compare(&seen), None, "a save without a signature");
        assert_eq!(seen.compare(&newer), Some(Regression::Generation { seen: 11, now: 10 }));
        let trimmed = SeenState { generation: 12, log_entries: 3, log_head: [3; 32] };
        assert_eq!(trimmed.compare(&seen), Some(Regression::LogEntries { seen: 4, now: 3 }));
        let fork = SeenState { log_head: [9; 32], ..seen };
        assert_eq!(fork.compare(&seen), Some(Regression::Fork));
        assert!(Regression::Fork.to_string().starts_with("it differs"));
    }

    #[test]
    fn text_round_trips_and_rejects_garbage() {
        let s = SeenState { generation: u64::MAX, log_entries: 0, log_head: [0xab; 32] };
        assert_eq!(SeenState::from_text(&s.to_text()), Some(s));
        for bad in ["", "1 2", "1 2 abcd", "x 2 00", &format!("{} extra", s.to_text())] {
            assert_eq!(SeenState::from_text(bad), None, "{bad:?}");
        }
        assert_eq!(SeenState::key_for(Path::new("/a/vault.coffer")).len(), 32);
        assert_ne!(SeenState::key_for(Path::new("/a/vault.coffer")), SeenState::key_for(Path::new("/b/vault.coffer")));
    }
}
