//! Why quick unlock, or a change to it, did not work.

use coffer_core::vault::VaultError;
use zeroize::Zeroize;

/// A problem with the OS keyring or with the vault's entry in it. None of these makes the vault unreadable: its
/// password always opens it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// There is no OS keyring to talk to (Linux: no session bus, or no Secret Service provider on it).
    #[error("the OS keyring is not available ({reason})")]
    Unavailable {
        /// What the keyring library said.
        reason: String,
    },
    /// The keyring is locked, or it refused access (for example: its unlock prompt was dismissed).
    #[error("the OS keyring is locked or refused access ({reason})")]
    Locked {
        /// What the keyring library said.
        reason: String,
    },
    /// The keyring holds no entry for the vault's quick-unlock slot: it was deleted, or quick unlock was enabled
    /// under another user account or on another machine.
    #[error("the OS keyring has no entry for this vault's quick-unlock slot (deleted, or made on another account)")]
    NoEntry,
    /// The entry holds something that is not a Coffer device key.
    #[error("the vault's keyring entry is not a Coffer device key (it was altered)")]
    Malformed,
    /// Several keyring entries claim the vault's quick-unlock slot.
    #[error("{count} keyring entries claim this vault's quick-unlock slot (one was added by hand?)")]
    Ambiguous {
        /// How many.
        count: usize,
    },
    /// The entry's device key does not open the vault's quick-unlock slot: the entry or the slot was altered.
    #[error("the device key in the OS keyring does not open this vault (the entry or the vault's slot was altered)")]
    WrongKey,
    /// Any other failure of the keyring.
    #[error("the OS keyring failed ({reason})")]
    Failed {
        /// What the keyring library said.
        reason: String,
    },
}

impl KeyringError {
    /// A stable, machine-readable name for this error (the CLI's `error.kind`).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unavailable { .. } => "keyring_unavailable",
            Self::Locked { .. } => "keyring_locked",
            Self::NoEntry => "keyring_no_entry",
            Self::Malformed | Self::Ambiguous { .. } => "keyring_bad_entry",
            Self::WrongKey => "keyring_wrong_key",
            Self::Failed { .. } => "keyring_error",
        }
    }

    /// Whether the vault's slot is stale: the keyring answered, but its entry is gone or does not fit. Disabling
    /// quick unlock (or enabling it again) after a password unlock fixes it; the keyring being away does not make
    /// a slot stale.
    #[must_use]
    pub fn slot_is_stale(&self) -> bool {
        matches!(self, Self::NoEntry | Self::Malformed | Self::Ambiguous { .. } | Self::WrongKey)
    }
}

impl From<keyring_core::Error> for KeyringError {
    /// Maps a keyring library error, wiping any secret bytes it carries (and never formatting them).
    fn from(e: keyring_core::Error) -> Self {
        use keyring_core::Error as E;
        match e {
            E::NoEntry => Self::NoEntry,
            E::NoStorageAccess(inner) => Self::Locked { reason: inner.to_string() },
            E::NoDefaultStore => Self::Unavailable { reason: "no credential store".into() },
            E::Ambiguous(entries) => Self::Ambiguous { count: entries.len() },
            E::BadEncoding(mut bytes) | E::BadDataFormat(mut bytes, _) => {
                bytes.zeroize();
                Self::Malformed
            }
            E::PlatformFailure(inner) => Self::Failed { reason: inner.to_string() },
            other => Self::Failed { reason: other.to_string() },
        }
    }
}

/// Why quick unlock did not open the vault ([`crate::Keyring::try_unlock`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnlockError {
    /// The keyring could not give a key that opens the vault. Ask for the password: it still opens the vault.
    #[error("quick unlock did not work: {0}")]
    Keyring(#[from] KeyringError),
    /// The vault itself cannot be opened (missing, in use, damaged). A password would not help either.
    #[error(transparent)]
    Vault(VaultError),
}

/// Why quick unlock could not be turned on ([`crate::Keyring::enable`]). The vault is left as it was: without a
/// device slot unless [`EnableError::RollbackFailed`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnableError {
    /// The keyring did not store the device key; the new slot was removed again.
    #[error("cannot store the device key in the OS keyring: {0}")]
    Keyring(#[from] KeyringError),
    /// Saving the vault with the new slot failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The keyring did not store the device key, and removing the new slot again failed too: the vault now has a
    /// slot nobody holds the key of. It is harmless (the password still opens the vault) but stale; disable quick
    /// unlock once the vault can be saved again.
    #[error("cannot store the device key in the OS keyring ({keyring}), and removing the new slot failed ({vault})")]
    RollbackFailed {
        /// Why the keyring did not store the key.
        keyring: KeyringError,
        /// Why the slot could not be removed.
        vault: VaultError,
    },
}
