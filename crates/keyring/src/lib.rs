//! # coffer-keyring
//!
//! Quick unlock for Coffer vaults: a random 32-byte *device key* kept in the operating system's keyring (Secret
//! Service on Linux and BSD, Keychain on macOS, Credential Manager on Windows, through the `keyring` crate) opens a
//! device slot of the vault, so the vault opens without its password. Off by default, per vault; see
//! docs/threat-model.md for what it trades.
//!
//! This crate exists apart from `coffer-core` because the Secret Service is reached over D-Bus, a Unix socket:
//! the core stays free of anything that opens sockets.
//!
//! The four operations, each on a [`Keyring`]:
//! - [`Keyring::enable`] after a password unlock: new device key → device slot saved in the vault → key stored in
//!   the keyring (and read back). If storing fails the slot is removed again: there is never a slot whose key is
//!   lost, nor a key without a slot.
//! - [`Keyring::try_unlock`] before asking for the password: `Ok(None)` if quick unlock is off for the vault;
//!   [`UnlockError::Keyring`] (say why, then ask for the password) if the keyring is missing or locked, or its
//!   entry is gone or does not fit.
//! - [`Keyring::disable`]: removes the slot, then the entry. Call it *before* [`Vault::change_password`], which
//!   removes the slot itself (and the entry is named by the slot's id).
//! - [`Keyring::mark_compromised`] instead of [`Vault::mark_compromised`]: the mark removes the slot, then the entry
//!   is deleted.
//! - [`Keyring::status`] without the password: is there a slot, does the keyring answer, does it hold the entry.
//!
//! The entry: service `coffer`, account = the slot's [`DeviceSlotId`] in hex, secret = the key in hex ([`entry`]).
//!
//! Every operation may block on D-Bus and on the keyring's own unlock prompt (a locked desktop keyring asks for the
//! login password): in a GUI, call them on a worker thread. [`Keyring::os`] connects once per process and keeps
//! the outcome, so a keyring started later is seen only after a restart.
//!
//! ```
//! use coffer_core::{secret::SecretString, vault::{KdfParams, Vault}};
//! use coffer_keyring::Keyring;
//! # let dir = std::env::temp_dir().join(format!("coffer-keyring-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let path = dir.join("vault.coffer");
//! # let password = SecretString::from("pw".to_owned());
//! # drop(Vault::create(&path, &password, KdfParams::insecure_for_tests())?);
//! // Real code uses `Keyring::os()`; the mock store keeps this example off the real keyring.
//! let keyring = Keyring::with_store(keyring_core::mock::Store::new()?);
//!
//! let mut vault = Vault::open(&path, &password)?;
//! keyring.enable(&mut vault)?;
//! drop(vault);
//!
//! let vault = keyring.try_unlock(&path)?.expect("quick unlock is on");
//! assert!(keyring.status(&path)?.ready());
//! # drop(vault); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod entry;
mod error;

use core::fmt;
use std::path::Path;
use std::sync::Arc;

use coffer_core::secret::SecretBytes;
use coffer_core::vault::{self, DeviceSlotId, OpenError, Vault, VaultError};
pub use error::{EnableError, KeyringError, UnlockError};
pub use keyring_core::CredentialStore;
use zeroize::Zeroizing;

/// A handle on a credential store: the OS keyring ([`Keyring::os`]) or any `keyring-core` store
/// ([`Keyring::with_store`], for tests). Creating one talks to nothing but the OS keyring's session; it never
/// fails: an unreachable keyring makes each operation fail with [`KeyringError::Unavailable`].
#[derive(Clone)]
pub struct Keyring {
    store: Result<Arc<CredentialStore>, String>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.store {
            Ok(s) => f.debug_struct("Keyring").field("store", &s.vendor()).finish(),
            Err(reason) => f.debug_struct("Keyring").field("unavailable", reason).finish(),
        }
    }
}

/// What [`Keyring::status`] found. Read from the unauthenticated header: a hint, not a promise.
#[derive(Debug)]
#[non_exhaustive]
pub struct Status {
    /// The vault's device slots; empty when quick unlock is off.
    pub slots: Vec<DeviceSlotId>,
    /// Whether the keyring holds an entry for a slot; `None` when there is no slot or the keyring could not be
    /// asked.
    pub entry: Option<bool>,
    /// Why the keyring could not be asked; `None` when it answered.
    pub problem: Option<KeyringError>,
}

impl Status {
    /// Whether quick unlock is on in the vault (it has a device slot).
    #[must_use]
    pub fn enabled(&self) -> bool {
        !self.slots.is_empty()
    }

    /// Whether the keyring answered.
    #[must_use]
    pub fn keyring_reachable(&self) -> bool {
        self.problem.is_none()
    }

    /// Whether the next unlock should need no password: a slot and its entry exist. (Whether the key fits shows
    /// only when unlocking.)
    #[must_use]
    pub fn ready(&self) -> bool {
        self.enabled() && self.entry == Some(true)
    }
}

/// What happened to the keyring entry when quick unlock was turned off.
#[derive(Debug)]
#[non_exhaustive]
pub enum EntryRemoval {
    /// The entry was deleted.
    Deleted,
    /// There was no entry (or no slot to name one).
    Absent,
    /// The entry could not be deleted (keyring locked or away). The vault no longer accepts its key, but an older
    /// copy of the file (`<vault>.bak`) still would: delete it by hand (Linux: `secret-tool clear service coffer
    /// username <slot id>`).
    Failed(KeyringError),
}

/// The result of [`Keyring::disable`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Disabled {
    /// The slots removed from the vault; empty if quick unlock was already off.
    pub removed_slots: Vec<DeviceSlotId>,
    /// What happened to their keyring entries.
    pub entry: EntryRemoval,
    /// Removing the slots gave the vault a new key; this is set when `<vault>.bak` could not be pointed at the new
    /// file, so it still holds a generation the removed key opens (see [`vault::Rekeyed`]). Delete it.
    pub stale_backup: Option<VaultError>,
}

impl Keyring {
    /// The operating system's keyring. On Linux this connects to the Secret Service on the session bus (once per
    /// process: the outcome is kept).
    #[must_use]
    pub fn os() -> Self {
        let store = match keyring::Entry::store_status() {
            Ok(()) => keyring_core::get_default_store().ok_or_else(|| "no credential store was set up".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        Self { store }
    }

    /// Any `keyring-core` credential store, for example `keyring_core::mock::Store::new()?` in tests.
    #[must_use]
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        Self { store: Ok(store) }
    }

    /// A keyring that is never reachable (tests, or a user who turned the keyring off).
    #[must_use]
    pub fn unavailable(reason: impl Into<String>) -> Self {
        Self { store: Err(reason.into()) }
    }

    /// Whether the keyring can be talked to (on Linux: a Secret Service answered on the session bus). Check this
    /// before asking for a password just to enable quick unlock.
    ///
    /// # Errors
    /// [`KeyringError::Unavailable`] with the reason.
    pub fn check(&self) -> Result<(), KeyringError> {
        self.store().map(|_| ())
    }

    fn store(&self) -> Result<&Arc<CredentialStore>, KeyringError> {
        self.store.as_ref().map_err(|reason| KeyringError::Unavailable { reason: reason.clone() })
    }

    fn entry(&self, id: &DeviceSlotId) -> Result<keyring_core::Entry, KeyringError> {
        Ok(self.store()?.build(entry::SERVICE, &entry::account(id), None)?)
    }

    fn read_key(&self, id: &DeviceSlotId) -> Result<SecretBytes<32>, KeyringError> {
        let raw = Zeroizing::new(self.entry(id)?.get_secret()?);
        entry::decode(&raw)
    }

    fn store_key(&self, id: &DeviceSlotId, key: &SecretBytes<32>) -> Result<(), KeyringError> {
        self.entry(id)?.set_secret(&entry::encode(key)[..])?;
        // Read it back: a keyring that accepts a key but cannot return it would leave a useless slot.
        if self.read_key(id)? != *key {
            return Err(KeyringError::Failed { reason: "the keyring returned a different key than was stored".into() });
        }
        Ok(())
    }

    /// Deletes the keyring entries of `ids` (including duplicates added by hand) without touching any vault: for
    /// slots that are already gone, such as those [`Vault::change_password`] drops.
    #[must_use]
    pub fn delete_entries(&self, ids: &[DeviceSlotId]) -> EntryRemoval {
        self.delete(ids)
    }

    /// Deletes the entries of `ids`, including duplicates added by hand.
    fn delete(&self, ids: &[DeviceSlotId]) -> EntryRemoval {
        let mut outcome = EntryRemoval::Absent;
        for id in ids {
            let result = self.entry(id).and_then(|e| match e.delete_credential() {
                Err(keyring_core::Error::Ambiguous(all)) => {
                    all.iter().try_for_each(keyring_core::Entry::delete_credential).map_err(KeyringError::from)
                }
                other => other.map_err(KeyringError::from),
            });
            match result {
                Ok(()) => {
                    if !matches!(outcome, EntryRemoval::Failed(_)) {
                        outcome = EntryRemoval::Deleted;
                    }
                }
                Err(KeyringError::NoEntry) => {}
                Err(e) => outcome = EntryRemoval::Failed(e),
            }
        }
        outcome
    }

    /// Turns quick unlock on for an open vault (open it with the password first): a fresh device key, a device
    /// slot sealed by it (replacing any previous one, whose entry is then deleted), the key stored in the keyring
    /// and read back. Returns the new slot's id.
    ///
    /// # Errors
    /// [`EnableError::Keyring`] if the keyring is away or will not store the key: the new slot is removed again,
    /// so quick unlock is off (also if it was on before); [`EnableError::Vault`] if the vault cannot be saved, or
    /// with [`VaultError::PasswordRequired`] if it was opened with quick unlock (replacing a slot gives the vault a
    /// new key, which needs the password);
    /// [`EnableError::RollbackFailed`] if storing failed and the vault could not be saved without the slot.
    pub fn enable(&self, vault: &mut Vault) -> Result<DeviceSlotId, EnableError> {
        self.store()?;
        let old = vault.info().device_slot_ids;
        let key = vault::new_device_key()?;
        // Replacing a slot gives the vault a new key. `<vault>.bak` stays behind if it cannot be refreshed; the
        // replaced slot's entry is deleted below, so its key is gone with it.
        let _replaced = vault.add_device_slot(&key)?;
        let id = *vault.info().device_slot_ids.first().ok_or(VaultError::NoDeviceSlot)?;
        match self.store_key(&id, &key) {
            Ok(()) => {
                // Best effort: an entry of a replaced slot opens nothing saved from now on.
                let _ = self.delete(&old);
                Ok(id)
            }
            Err(keyring) => {
                let _ = self.delete(&[id]);
                match vault.remove_device_slots() {
                    Ok(_) => {
                        let _ = self.delete(&old);
                        Err(EnableError::Keyring(keyring))
                    }
                    Err(vault) => Err(EnableError::RollbackFailed { keyring, vault }),
                }
            }
        }
    }

    /// Turns quick unlock off for an open vault: removes its device slots (saving the vault under a new key,
    /// see [`Vault::remove_device_slots`]), then their keyring
    /// entries. Succeeds when the vault is saved, even if the keyring is away: [`Disabled::entry`] says what
    /// happened to the entry. Call it before changing the password; to mark a seed compromised, use
    /// [`Keyring::mark_compromised`].
    ///
    /// # Errors
    /// [`VaultError::PasswordRequired`] if the vault was opened with quick unlock and
    /// [`Vault::confirm_password`] was not called; errors of [`Vault::save`] (quick unlock stays on then, and the
    /// entry is kept).
    pub fn disable(&self, vault: &mut Vault) -> Result<Disabled, VaultError> {
        let ids = vault.info().device_slot_ids;
        let rekeyed = vault.remove_device_slots()?;
        let entry = if ids.is_empty() { EntryRemoval::Absent } else { self.delete(&ids) };
        Ok(Disabled { removed_slots: ids, entry, stale_backup: rekeyed.and_then(|r| r.stale_backup) })
    }

    /// Marks a seed of an open vault compromised ([`Vault::mark_compromised`], which removes the device slots and
    /// saves), then deletes the keyring entries of the slots it had: quick unlock is off, slot and entry, as
    /// [`Keyring::disable`] leaves it. The slot goes first, so a keyring that cannot be reached never keeps the
    /// vault openable; [`Disabled::entry`] says what happened to the entry.
    ///
    /// # Errors
    /// Errors of [`Vault::mark_compromised`], [`VaultError::PasswordRequired`] included after a quick unlock without
    /// [`Vault::confirm_password`] (then the entry is kept; the slot too unless the mark was saved).
    pub fn mark_compromised(&self, vault: &mut Vault, label: &str) -> Result<Disabled, VaultError> {
        let ids = vault.info().device_slot_ids;
        let rekeyed = vault.mark_compromised(label)?;
        let entry = if ids.is_empty() { EntryRemoval::Absent } else { self.delete(&ids) };
        Ok(Disabled { removed_slots: ids, entry, stale_backup: rekeyed.stale_backup })
    }

    /// Opens the vault at `path` with the device key from the keyring, if quick unlock is on for it.
    ///
    /// Returns `Ok(None)` if the vault has no device slot: ask for the password without comment.
    ///
    /// # Errors
    /// [`UnlockError::Keyring`] when the keyring is away or locked, or its entry is missing, altered, or does not
    /// open the slot: say why, then ask for the password, which still opens the vault. [`UnlockError::Vault`] when
    /// the vault itself cannot be opened (not found, in use, damaged), which the password would not change.
    pub fn try_unlock(&self, path: impl AsRef<Path>) -> Result<Option<Vault>, UnlockError> {
        self.try_unlock_with(path.as_ref(), |p, k| Vault::open_with_device_key(p, k))
    }

    /// [`Keyring::try_unlock`] for reading only: the vault is opened with
    /// [`Vault::open_read_only_with_device_key`] (a shared lock; nothing can be saved).
    ///
    /// # Errors
    /// As [`Keyring::try_unlock`].
    pub fn try_unlock_read_only(&self, path: impl AsRef<Path>) -> Result<Option<Vault>, UnlockError> {
        self.try_unlock_with(path.as_ref(), |p, k| Vault::open_read_only_with_device_key(p, k))
    }

    fn try_unlock_with(
        &self,
        path: &Path,
        open: fn(&Path, &SecretBytes<32>) -> Result<Vault, OpenError>,
    ) -> Result<Option<Vault>, UnlockError> {
        let ids = Vault::read_info(path).map_err(UnlockError::Vault)?.device_slot_ids;
        let mut first_problem = None;
        for id in &ids {
            let problem = match self.read_key(id) {
                Ok(key) => match open(path, &key) {
                    Ok(v) => return Ok(Some(v)),
                    Err(OpenError::WrongDeviceKey) => KeyringError::WrongKey,
                    // The slot went away since the header was read.
                    Err(OpenError::NoDeviceSlot) => return Ok(None),
                    Err(e) => return Err(UnlockError::Vault(e.into())),
                },
                Err(e) => e,
            };
            first_problem.get_or_insert(problem);
        }
        first_problem.map_or(Ok(None), |p| Err(UnlockError::Keyring(p)))
    }

    /// Quick-unlock status of the vault at `path`, without its password: the header's device slots and whether
    /// the keyring holds an entry for them. This may show the keyring's own unlock prompt.
    ///
    /// # Errors
    /// Errors of [`Vault::read_info`]; keyring problems are reported in [`Status::problem`].
    pub fn status(&self, path: impl AsRef<Path>) -> Result<Status, VaultError> {
        let slots = Vault::read_info(path.as_ref())?.device_slot_ids;
        let mut status = Status { slots, entry: None, problem: None };
        if let Err(e) = self.store() {
            status.problem = Some(e);
            return Ok(status);
        }
        for id in &status.slots {
            match self.entry(id).and_then(|e| e.get_credential().map_err(KeyringError::from)) {
                Ok(_) => {
                    status.entry = Some(true);
                    break;
                }
                // Several entries exist: still "present"; unlocking reports the ambiguity.
                Err(KeyringError::Ambiguous { .. }) => status.entry = Some(true),
                Err(KeyringError::NoEntry) => {
                    status.entry.get_or_insert(false);
                }
                Err(e) => {
                    status.entry = None;
                    status.problem = Some(e);
                    break;
                }
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests;
