//! The encrypted vault: every seed at rest, in one file per user.
//!
//! A random 32-byte vault key encrypts the payload (the seeds and their settings) with XChaCha20-Poly1305; the
//! whole header is the associated data. The header holds key slots that each wrap the vault key: the password slot
//! (Argon2id over the password) and, for quick unlock, device slots (a random key kept in the OS keyring).
//! docs/vault-format.md specifies every byte.
//!
//! An open [`Vault`] holds the vault key and the decrypted seeds in zeroizing memory and a lock on the file
//! (exclusive; shared for a vault opened with [`Vault::open_read_only`], which never saves); dropping it wipes both
//! and releases the lock. Every change is saved at once, atomically; if saving fails
//! the change is undone in memory too, so the open vault always matches the file.
//!
//! ```
//! use coffer_core::{AccountIndex, AddressIndex, Chain, Mnemonic, secret::SecretString, vault::{KdfParams, Vault}};
//! # let dir = std::env::temp_dir().join(format!("coffer-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let path = dir.join("vault.coffer");
//! let password = SecretString::from("correct horse battery staple".to_owned());
//! # let params = KdfParams::insecure_for_tests(); /*
//! let params = KdfParams::calibrate(std::time::Duration::from_secs(1))?;
//! # */
//!
//! let mut vault = Vault::create(&path, &password, params)?;
//! let words = Mnemonic::parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
//!                              abandon about")?;
//! vault.add_seed("main", &words, "")?;
//! drop(vault); // locks: wipes the key and the seeds from memory
//!
//! let vault = Vault::open(&path, &password)?;
//! assert_eq!(vault.seeds()[0].label, "main");
//! let account = vault.account("main", Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO)?;
//! assert!(account.address.starts_with("0x"));
//! # drop(vault); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod contacts;
pub mod error;
mod file;
pub mod format;
pub mod kdf;
mod label;
pub mod log_archive;
pub(crate) mod migration;
mod relocate;
mod seal;
mod seed;
mod seen;
#[cfg(test)]
mod tests;

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

pub use contacts::{Contact, check_new_contact, contacts_in_summary};
pub use error::{ErrorClass, KdfParamsError, OpenError, VaultError};
pub use file::backup_path;
use format::{DeviceSlot, Header, PasswordSlot, Payload, Slot};
pub use kdf::{KdfCost, KdfParams};
use label::check_new_account_labels;
pub use label::{INVISIBLE, check_new_label, escape_label, is_invisible, label_skeleton, validate_label};
#[cfg(feature = "migrate")]
pub use migration::{Migration, Report};
pub use relocate::{Moved, move_vault};
use seed::SeedRecord;
pub use seed::{AccountLabel, AccountSettings, ChainView, SeedId, SeedInfo};
pub use seen::{Regression, SeenState};

use crate::chain::{Account, AccountIndex, AddressIndex, Chain};
use crate::mnemonic::{Mnemonic, Seed, WordCount, check_passphrase};
use crate::secret::{SecretBytes, SecretString, ct_eq};
use crate::sign::{Blind, Decoded, Signed, Signer};
use crate::signing_log::{self, Checkpoint, FirstBreak, LogEntry};

/// File name of the vault in the data directory.
pub const FILE_NAME: &str = "vault.coffer";
/// Environment variable that overrides the default vault location.
pub const ENV_VAR: &str = "COFFER_VAULT";

/// The vault's default location: `$COFFER_VAULT` if set and non-empty; otherwise, on Linux and other Unix systems,
/// `$XDG_DATA_HOME/coffer/vault.coffer` (when `XDG_DATA_HOME` is an absolute path) or
/// `~/.local/share/coffer/vault.coffer`; on macOS `~/Library/Application Support/Coffer/vault.coffer`; on Windows
/// `%APPDATA%\Coffer\vault.coffer`.
///
/// ```
/// let path = coffer_core::vault::default_path();
/// # if std::env::var_os("HOME").is_some() || std::env::var_os("COFFER_VAULT").is_some() {
/// assert!(path?.ends_with("vault.coffer") || std::env::var_os("COFFER_VAULT").is_some());
/// # }
/// # Ok::<(), coffer_core::vault::VaultError>(())
/// ```
///
/// # Errors
/// [`VaultError::NoDefaultLocation`] if none of the variables needed is set.
pub fn default_path() -> Result<PathBuf, VaultError> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = var(ENV_VAR) {
        return Ok(p);
    }
    let dir = if cfg!(windows) {
        var("APPDATA").map(|d| d.join("Coffer"))
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support/Coffer"))
    } else {
        var("XDG_DATA_HOME")
            .filter(|d| d.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))
            .map(|d| d.join("coffer"))
    };
    dir.map(|d| d.join(FILE_NAME)).ok_or(VaultError::NoDefaultLocation)
}

/// A fresh random device key for a quick-unlock slot (to be stored in the OS keyring).
///
/// # Errors
/// [`VaultError::Random`].
pub fn new_device_key() -> Result<SecretBytes<32>, VaultError> {
    seal::random_key()
}

/// The random identifier of a device slot (quick unlock), stored in the clear in the header. It names the slot's
/// entry in the OS keyring and stays the same across saves; a new one is made each time quick unlock is enabled.
///
/// ```
/// let id = coffer_core::vault::DeviceSlotId([0xab; 16]);
/// assert_eq!(id.to_string(), "abababababababababababababababab");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeviceSlotId(pub [u8; 16]);

impl fmt::Display for DeviceSlotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// What the header says, readable without the password. Nothing in it is authenticated until the vault is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VaultInfo {
    /// Format version.
    pub version: u16,
    /// Argon2id memory in KiB.
    pub memory_kib: u32,
    /// Argon2id passes.
    pub passes: u32,
    /// Argon2id lanes.
    pub lanes: u32,
    /// Whether a device slot (quick unlock) exists.
    pub device_slot: bool,
    /// The ids of the device slots, in file order (Coffer writes at most one).
    pub device_slot_ids: Vec<DeviceSlotId>,
    /// Whether the KDF parameters are weaker than the current policy.
    pub needs_upgrade: bool,
    /// Whether the KDF parameters are far above the policy ([`KdfParams::is_expensive`]): opening then needs
    /// [`OpenOptions::allow_expensive_kdf`].
    pub expensive_kdf: bool,
    /// The estimated cost of one unlock with the password ([`KdfParams::cost`]).
    pub kdf_cost: KdfCost,
}

impl VaultInfo {
    fn from_header(h: &Header) -> Result<Self, VaultError> {
        let p = h.password_slot()?.params;
        Ok(Self {
            version: format::VERSION,
            memory_kib: p.memory_kib(),
            passes: p.passes(),
            lanes: p.lanes(),
            device_slot: h.device_slots().next().is_some(),
            device_slot_ids: h.device_slots().map(|d| DeviceSlotId(d.id)).collect(),
            needs_upgrade: !p.meets_policy(),
            expensive_kdf: p.is_expensive(),
            kdf_cost: p.cost(),
        })
    }
}

/// How [`Vault::open_with_options`] treats the file it reads.
///
/// ```
/// let options = coffer_core::vault::OpenOptions::default().allow_expensive_kdf(true);
/// assert!(options.allows_expensive_kdf());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenOptions {
    allow_expensive_kdf: bool,
}

impl OpenOptions {
    /// Runs the key derivation even when the header asks for far more work than the policy
    /// ([`KdfParams::is_expensive`]); without it such a file gives [`VaultError::ExpensiveKdf`]. Set it only after
    /// the person was shown [`KdfCost`] and agreed.
    #[must_use]
    pub fn allow_expensive_kdf(mut self, allow: bool) -> Self {
        self.allow_expensive_kdf = allow;
        self
    }

    /// Whether an expensive key derivation is allowed.
    #[must_use]
    pub fn allows_expensive_kdf(&self) -> bool {
        self.allow_expensive_kdf
    }
}

/// A change that took a way in away (a device slot, a compromised seed, the old password) and so gave the vault a
/// new key. The change is saved and in effect whatever this says.
#[derive(Debug)]
#[non_exhaustive]
#[must_use = "a stale backup must be reported: it still opens with what was just taken away"]
pub struct Rekeyed {
    /// Why `<path>.bak` could not be pointed at the new file, if it could not. The backup then still holds the
    /// previous generation, under the previous key: whoever has the removed device key (or the old password) can
    /// open that copy. Tell the person to delete it (see [`backup_path`]).
    pub stale_backup: Option<VaultError>,
}

/// An open (unlocked) vault. See the [module documentation](self).
pub struct Vault {
    path: PathBuf,
    _lock: file::VaultLock,
    /// Opened with a shared lock: every save is refused with [`VaultError::ReadOnly`].
    read_only: bool,
    key: SecretBytes<32>,
    /// The password slot's key-encryption key (Argon2id of the password and the slot's salt), kept while the vault
    /// is open if the password was given in this session ([`Vault::open`], [`Vault::create`],
    /// [`Vault::confirm_password`], ...); `None` after a quick unlock. It re-wraps a new vault key for the password
    /// when a way in is removed (see [`Rekeyed`]).
    kek: Option<SecretBytes<32>>,
    slots: Vec<Slot>,
    /// Boxed: an open vault moves between the app and its worker thread inside messages; keep it small.
    payload: Box<Payload>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("seeds", &self.payload.seeds.len())
            .finish_non_exhaustive()
    }
}

/// Cuts `s` to at most `max` bytes at a character boundary, marking the cut with an ellipsis.
fn truncate_at_char(s: &mut String, max: usize) {
    if s.len() <= max {
        return;
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A new password slot (fresh salt) for `key`, and its key-encryption key.
fn new_password_slot(
    key: &SecretBytes<32>,
    password: &SecretString,
    params: KdfParams,
) -> Result<(Slot, SecretBytes<32>), VaultError> {
    if password.is_empty() {
        return Err(VaultError::EmptyPassword);
    }
    let mut salt = [0u8; kdf::SALT_LEN];
    seal::random(&mut salt)?;
    let kek = kdf::derive_kek(&params, password, &salt)?;
    let blank = PasswordSlot { params, salt, nonce: [0; seal::NONCE_LEN], wrapped: [0; seal::WRAPPED_KEY_LEN] };
    let slot = rewrap_password_slot(&blank, &kek, key)?;
    Ok((slot, kek))
}

/// `old` (its parameters and salt) wrapping `key` under `kek` with a fresh nonce.
fn rewrap_password_slot(old: &PasswordSlot, kek: &SecretBytes<32>, key: &SecretBytes<32>) -> Result<Slot, VaultError> {
    let mut slot = PasswordSlot { nonce: seal::random_nonce()?, wrapped: [0; seal::WRAPPED_KEY_LEN], ..old.clone() };
    let aad = Slot::Password(slot.clone()).wrap_aad();
    slot.wrapped = seal::wrap_key(kek, &slot.nonce, &aad, key)?;
    Ok(Slot::Password(slot))
}

fn unlock_device(parsed: &format::ParsedFile<'_>, device_key: &SecretBytes<32>) -> Result<SecretBytes<32>, VaultError> {
    let mut slots = parsed.header.device_slots().peekable();
    if slots.peek().is_none() {
        return Err(VaultError::NoDeviceSlot);
    }
    slots
        .find_map(|d| {
            let aad = Slot::Device(d.clone()).wrap_aad();
            seal::unwrap_key(device_key, &d.nonce, &aad, &d.wrapped)
        })
        .ok_or(VaultError::WrongDeviceKey)
}

/// Refuses expensive key-derivation parameters unless `options` allow them.
fn kdf_gate(params: &KdfParams, options: OpenOptions) -> Result<(), VaultError> {
    if params.is_expensive() && !options.allow_expensive_kdf {
        return Err(VaultError::ExpensiveKdf { cost: params.cost() });
    }
    Ok(())
}

/// The key-encryption key of `slot` for `password`, if it unwraps `expected`.
fn password_kek(
    slot: &PasswordSlot,
    password: &SecretString,
    expected: &SecretBytes<32>,
) -> Result<SecretBytes<32>, VaultError> {
    let kek = kdf::derive_kek(&slot.params, password, &slot.salt)?;
    let aad = Slot::Password(slot.clone()).wrap_aad();
    let key = seal::unwrap_key(&kek, &slot.nonce, &aad, &slot.wrapped).ok_or(VaultError::WrongPassword)?;
    if key != *expected {
        return Err(VaultError::WrongPassword);
    }
    Ok(kek)
}

fn device_slot(key: &SecretBytes<32>, device_key: &SecretBytes<32>) -> Result<Slot, VaultError> {
    let mut slot = DeviceSlot { id: [0; 16], nonce: seal::random_nonce()?, wrapped: [0; seal::WRAPPED_KEY_LEN] };
    seal::random(&mut slot.id)?;
    let aad = Slot::Device(slot.clone()).wrap_aad();
    slot.wrapped = seal::wrap_key(device_key, &slot.nonce, &aad, key)?;
    Ok(Slot::Device(slot))
}

impl Vault {
    /// Creates a new, empty vault at `path` (creating its directory) under `password`, and keeps it open.
    ///
    /// # Errors
    /// [`VaultError::AlreadyExists`] if anything is at `path`; [`VaultError::EmptyPassword`];
    /// [`VaultError::InUse`]; [`VaultError::PermissionDenied`], [`VaultError::DiskFull`] or [`VaultError::Io`]
    /// from the file system; [`VaultError::Kdf`] or [`VaultError::Random`].
    pub fn create(path: impl AsRef<Path>, password: &SecretString, params: KdfParams) -> Result<Self, VaultError> {
        let path = path.as_ref();
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        file::create_dir(path)?;
        let lock = file::lock_with(path, file::LockMode::Exclusive)?;
        if file::exists(path)? {
            return Err(VaultError::AlreadyExists { path: path.into() });
        }
        let key = seal::random_key()?;
        let (slot, kek) = new_password_slot(&key, password, params)?;
        let vault = Self {
            path: path.into(),
            _lock: lock,
            read_only: false,
            key,
            kek: Some(kek),
            slots: vec![slot],
            payload: Box::default(),
        };
        vault.save()?;
        Ok(vault)
    }

    /// Opens the vault at `path` with its password. Check [`Vault::needs_upgrade`] afterwards. A header asking for
    /// far more key derivation than the policy is refused before Argon2 runs: see [`Vault::open_with_options`].
    ///
    /// # Errors
    /// An [`OpenError`]: [`OpenError::NotFound`], [`OpenError::InUse`], [`OpenError::LockIsLink`],
    /// [`OpenError::PermissionDenied`], [`OpenError::IsADirectory`], [`OpenError::Io`]; [`OpenError::NotAVault`],
    /// [`OpenError::Truncated`], [`OpenError::UnsupportedVersion`], [`OpenError::Unsupported`],
    /// [`OpenError::ExcessiveWork`], [`OpenError::ExpensiveKdf`] (before any key derivation);
    /// [`OpenError::WrongPassword`]; [`OpenError::Corrupted`]; [`OpenError::Kdf`]. It converts into [`VaultError`]
    /// with `?`.
    pub fn open(path: impl AsRef<Path>, password: &SecretString) -> Result<Self, OpenError> {
        Self::open_with_options(path, password, OpenOptions::default())
    }

    /// [`Vault::open`] with options: [`OpenOptions::allow_expensive_kdf`] runs a key derivation that
    /// [`KdfParams::is_expensive`] (up to the read bounds) instead of returning [`OpenError::ExpensiveKdf`].
    ///
    /// # Errors
    /// As [`Vault::open`].
    pub fn open_with_options(
        path: impl AsRef<Path>,
        password: &SecretString,
        options: OpenOptions,
    ) -> Result<Self, OpenError> {
        Self::open_password(path.as_ref(), file::LockMode::Exclusive, password, options).map_err(OpenError::from_vault)
    }

    /// Opens the vault for reading only, under a shared lock: any number of read-only openers can hold the vault at
    /// once, while a writer ([`Vault::open`]) excludes them and they exclude it ([`VaultError::InUse`]). Every change
    /// (and [`Vault::save`]) is refused with [`VaultError::ReadOnly`]; a weak KDF is not upgraded.
    ///
    /// # Errors
    /// As [`Vault::open`].
    pub fn open_read_only(path: impl AsRef<Path>, password: &SecretString) -> Result<Self, OpenError> {
        Self::open_read_only_with_options(path, password, OpenOptions::default())
    }

    /// [`Vault::open_read_only`] with options (see [`Vault::open_with_options`]).
    ///
    /// # Errors
    /// As [`Vault::open`].
    pub fn open_read_only_with_options(
        path: impl AsRef<Path>,
        password: &SecretString,
        options: OpenOptions,
    ) -> Result<Self, OpenError> {
        Self::open_password(path.as_ref(), file::LockMode::Shared, password, options).map_err(OpenError::from_vault)
    }

    /// [`Vault::open_with_device_key`] for reading only, under a shared lock (see [`Vault::open_read_only`]).
    ///
    /// # Errors
    /// As [`Vault::open_with_device_key`].
    pub fn open_read_only_with_device_key(
        path: impl AsRef<Path>,
        device_key: &SecretBytes<32>,
    ) -> Result<Self, OpenError> {
        Self::open_inner(path.as_ref(), file::LockMode::Shared, |parsed| unlock_device(parsed, device_key))
            .map_err(OpenError::from_vault)
    }

    /// Whether this vault was opened read-only ([`Vault::open_read_only`]).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Opens with the password under `mode`, keeping the password slot's key-encryption key (see `kek`).
    fn open_password(
        path: &Path,
        mode: file::LockMode,
        password: &SecretString,
        options: OpenOptions,
    ) -> Result<Self, VaultError> {
        let mut kek = None;
        let mut vault = Self::open_inner(path, mode, |parsed| {
            let slot = parsed.header.password_slot()?;
            kdf_gate(&slot.params, options)?;
            let derived = kdf::derive_kek(&slot.params, password, &slot.salt)?;
            let aad = Slot::Password(slot.clone()).wrap_aad();
            let key = seal::unwrap_key(&derived, &slot.nonce, &aad, &slot.wrapped).ok_or(VaultError::WrongPassword)?;
            kek = Some(derived);
            Ok(key)
        })?;
        vault.kek = kek;
        Ok(vault)
    }

    /// Opens the vault with a device key from the OS keyring (quick unlock, no key derivation).
    ///
    /// # Errors
    /// As [`Vault::open`], with [`OpenError::NoDeviceSlot`] and [`OpenError::WrongDeviceKey`] in place of
    /// [`OpenError::WrongPassword`].
    pub fn open_with_device_key(path: impl AsRef<Path>, device_key: &SecretBytes<32>) -> Result<Self, OpenError> {
        Self::open_inner(path.as_ref(), file::LockMode::Exclusive, |parsed| unlock_device(parsed, device_key))
            .map_err(OpenError::from_vault)
    }

    fn open_inner(
        path: &Path,
        mode: file::LockMode,
        unlock: impl FnOnce(&format::ParsedFile<'_>) -> Result<SecretBytes<32>, VaultError>,
    ) -> Result<Self, VaultError> {
        // A link is followed once: the vault lives at its target from now on (locks and saves included).
        let path = &file::resolve(path)?;
        let lock = file::lock_with(path, mode)?;
        let bytes = file::read(path)?;
        let parsed = format::parse_file(&bytes)?;
        let key = unlock(&parsed)?;
        let plain = seal::open(&key, &parsed.header.payload_nonce, parsed.aad, parsed.ciphertext)
            .ok_or(VaultError::Corrupted)?;
        let payload = format::parse_payload(plain.expose())?;
        let read_only = mode == file::LockMode::Shared;
        let payload = Box::new(payload);
        Ok(Self { path: path.into(), _lock: lock, read_only, key, kek: None, slots: parsed.header.slots, payload })
    }

    /// Reads the header of the vault at `path` without a password or lock.
    ///
    /// # Errors
    /// As [`Vault::open`] up to and including [`VaultError::ExcessiveWork`].
    pub fn read_info(path: impl AsRef<Path>) -> Result<VaultInfo, VaultError> {
        let bytes = file::read(path.as_ref())?;
        VaultInfo::from_header(&format::parse_file(&bytes)?.header)
    }

    /// The header of this open vault.
    #[must_use]
    pub fn info(&self) -> VaultInfo {
        let header = Header { slots: self.slots.clone(), payload_nonce: [0; seal::NONCE_LEN] };
        // The password slot always exists in an open vault.
        VaultInfo::from_header(&header).unwrap_or(VaultInfo {
            version: format::VERSION,
            memory_kib: 0,
            passes: 0,
            lanes: 0,
            device_slot: false,
            device_slot_ids: Vec::new(),
            needs_upgrade: true,
            expensive_kdf: false,
            kdf_cost: KdfCost {
                memory_kib: 0,
                passes: 0,
                lanes: 0,
                relative_work: 0,
                estimate: std::time::Duration::ZERO,
            },
        })
    }

    /// The file this vault lives in (the target, if it was opened through a symbolic link).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the vault to disk (atomically, keeping the previous file as `<path>.bak`) under a fresh payload nonce.
    /// Every change saves by itself; call this only to retry.
    ///
    /// # Errors
    /// [`VaultError::PermissionDenied`], [`VaultError::DiskFull`] or [`VaultError::Io`], leaving the file on disk as
    /// it was; [`VaultError::Random`].
    pub fn save(&self) -> Result<(), VaultError> {
        self.write(&self.key, &self.slots)
    }

    fn write(&self, key: &SecretBytes<32>, slots: &[Slot]) -> Result<(), VaultError> {
        if self.read_only {
            return Err(VaultError::ReadOnly);
        }
        // Every save writes the next generation; a failed save leaves the count as it was.
        let generation = &self.payload.generation;
        let before = generation.fetch_add(1, Ordering::Relaxed);
        let written = self.encode(key, slots).and_then(|out| file::write_atomic(&self.path, &out));
        if written.is_err() {
            generation.store(before, Ordering::Relaxed);
        }
        written
    }

    fn encode(&self, key: &SecretBytes<32>, slots: &[Slot]) -> Result<Vec<u8>, VaultError> {
        let plain = format::encode_payload(&self.payload)?;
        let header = Header { slots: slots.to_vec(), payload_nonce: seal::random_nonce()? };
        let aad = header.encode(plain.len() + seal::TAG_LEN)?;
        let mut out = Vec::with_capacity(aad.len() + plain.len() + seal::TAG_LEN);
        out.extend_from_slice(&aad);
        seal::seal(key, &header.payload_nonce, &aad, &plain, &mut out)?;
        Ok(out)
    }

    /// Applies `change`, saves, and undoes the change if saving fails.
    fn commit(&mut self, change: impl FnOnce(&mut Self), undo: impl FnOnce(&mut Self)) -> Result<(), VaultError> {
        change(self);
        let saved = self.save();
        if saved.is_err() {
            undo(self);
        }
        saved
    }

    /// Whether the password slot's KDF parameters are weaker than the current policy (an old or test vault). Call
    /// [`Vault::upgrade`] after a password unlock when it is.
    #[must_use]
    pub fn needs_upgrade(&self) -> bool {
        self.info().needs_upgrade
    }

    /// Re-wraps the vault key under `password` with stronger parameters (a fresh salt) and saves. The password is
    /// first checked against the current (weak, so quick) password slot, so a wrong one cannot silently become the
    /// new password.
    ///
    /// ```
    /// # use coffer_core::{secret::SecretString, vault::{KdfParams, Vault}};
    /// # let dir = std::env::temp_dir().join(format!("coffer-doc-upgrade-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// # let path = dir.join("vault.coffer");
    /// # let password = SecretString::from("pw".to_owned());
    /// # drop(Vault::create(&path, &password, KdfParams::insecure_for_tests())?);
    /// let mut vault = Vault::open(&path, &password)?;
    /// if vault.needs_upgrade() {
    ///     # let calibrated = KdfParams::policy_minimum(); /*
    ///     let calibrated = KdfParams::calibrate(std::time::Duration::from_secs(1))?;
    ///     # */
    ///     vault.upgrade(&password, calibrated)?;
    /// }
    /// assert!(!vault.needs_upgrade());
    /// # drop(vault); std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`VaultError::InvalidParams`] if `params` do not meet the policy; [`VaultError::WrongPassword`]; errors of
    /// [`Vault::save`]; [`VaultError::Kdf`].
    pub fn upgrade(&mut self, password: &SecretString, params: KdfParams) -> Result<(), VaultError> {
        if !params.meets_policy() {
            return Err(VaultError::InvalidParams { reason: "weaker than the policy" });
        }
        password_kek(self.password_slot()?, password, &self.key)?;
        let (new, kek) = new_password_slot(&self.key, password, params)?;
        let slots: Vec<Slot> =
            self.slots.iter().map(|s| if matches!(s, Slot::Password(_)) { new.clone() } else { s.clone() }).collect();
        self.write(&self.key, &slots)?;
        self.slots = slots;
        self.kek = Some(kek);
        Ok(())
    }

    fn password_slot(&self) -> Result<&PasswordSlot, VaultError> {
        self.slots
            .iter()
            .find_map(|s| match s {
                Slot::Password(p) => Some(p),
                Slot::Device(_) => None,
            })
            .ok_or(VaultError::Corrupted)
    }

    /// Whether the password was given in this session (the vault was opened or created with it, or
    /// [`Vault::confirm_password`] accepted it): then the changes that give the vault a new key
    /// ([`Vault::remove_device_slots`], [`Vault::set_compromised`], replacing a device slot) can seal it for the
    /// password. After a quick unlock they need [`Vault::confirm_password`] first.
    #[must_use]
    pub fn password_confirmed(&self) -> bool {
        self.kek.is_some()
    }

    /// Checks `password` against the password slot (one key derivation) and keeps its key-encryption key while the
    /// vault is open, so that a new vault key can be sealed for the password (see [`Vault::password_confirmed`]).
    ///
    /// # Errors
    /// [`VaultError::WrongPassword`]; [`VaultError::Kdf`].
    pub fn confirm_password(&mut self, password: &SecretString) -> Result<(), VaultError> {
        let kek = password_kek(self.password_slot()?, password, &self.key)?;
        self.kek = Some(kek);
        Ok(())
    }

    /// Gives the vault a new random key: the password slot (same parameters and salt, a fresh nonce) is re-wrapped
    /// under the kept key-encryption key, `device` (if any) gets a new device slot, every other device slot is
    /// dropped; saves, then points `<path>.bak` at the new file. Whoever kept the old key, or a device key with a
    /// copy of an older file, opens nothing saved from now on. If saving fails nothing changed.
    fn rekey(&mut self, device: Option<&SecretBytes<32>>) -> Result<Rekeyed, VaultError> {
        let kek = self.kek.as_ref().ok_or(VaultError::PasswordRequired)?;
        let key = seal::random_key()?;
        let mut slots = vec![rewrap_password_slot(self.password_slot()?, kek, &key)?];
        if let Some(device_key) = device {
            slots.push(device_slot(&key, device_key)?);
        }
        self.write(&key, &slots)?;
        self.key = key;
        self.slots = slots;
        Ok(Rekeyed { stale_backup: file::refresh_backup(&self.path).err() })
    }

    /// Sets a new password. A fresh vault key is generated, so copies of the file taken before cannot be opened
    /// with the new password and the old password opens nothing saved from now on; device slots are removed (their
    /// keyring entries are named by the slot ids: `coffer_keyring::Keyring::disable` first removes both), and
    /// `<path>.bak` is pointed at the new file so no copy under the old password stays behind in the vault's
    /// directory. The password is in effect once this returns `Ok`, even if the backup could not be refreshed:
    /// [`Rekeyed::stale_backup`] says so.
    ///
    /// # Errors
    /// [`VaultError::EmptyPassword`]; errors of [`Vault::save`] (the vault is unchanged then); [`VaultError::Kdf`].
    pub fn change_password(&mut self, new_password: &SecretString, params: KdfParams) -> Result<Rekeyed, VaultError> {
        let key = seal::random_key()?;
        let (slot, kek) = new_password_slot(&key, new_password, params)?;
        let slots = vec![slot];
        self.write(&key, &slots)?;
        self.key = key;
        self.kek = Some(kek);
        self.slots = slots;
        Ok(Rekeyed { stale_backup: file::refresh_backup(&self.path).err() })
    }

    /// Whether a device slot (quick unlock) exists.
    #[must_use]
    pub fn has_device_slot(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Device(_)))
    }

    /// Adds a device slot sealed by `device_key` (from [`new_device_key`]) and saves. An existing device slot is
    /// replaced, which removes a way in: the vault then gets a new key (as [`Vault::remove_device_slots`]), and the
    /// result is `Some`.
    ///
    /// # Errors
    /// Errors of [`Vault::save`]; [`VaultError::Random`]; [`VaultError::PasswordRequired`] when replacing a slot
    /// without [`Vault::password_confirmed`] (nothing changed then).
    pub fn add_device_slot(&mut self, device_key: &SecretBytes<32>) -> Result<Option<Rekeyed>, VaultError> {
        if self.has_device_slot() {
            return self.rekey(Some(device_key)).map(Some);
        }
        let mut slots = self.slots.clone();
        slots.push(device_slot(&self.key, device_key)?);
        self.write(&self.key, &slots)?;
        self.slots = slots;
        Ok(None)
    }

    /// Removes every device slot and saves under a new vault key (see [`Rekeyed`]): a copy of the file taken while
    /// quick unlock was on, with the keyring entry, opens nothing saved from now on. Returns `None` if there was no
    /// device slot (nothing is written then).
    ///
    /// # Errors
    /// [`VaultError::PasswordRequired`] unless [`Vault::password_confirmed`] (the slots stay then); errors of
    /// [`Vault::save`].
    pub fn remove_device_slots(&mut self) -> Result<Option<Rekeyed>, VaultError> {
        if !self.has_device_slot() {
            return Ok(None);
        }
        self.rekey(None).map(Some)
    }

    /// Public facts about every seed, in the order they were added.
    #[must_use]
    pub fn seeds(&self) -> Vec<SeedInfo> {
        self.payload.seeds.iter().map(SeedRecord::info).collect()
    }

    fn position(&self, label: &str) -> Result<usize, VaultError> {
        self.payload
            .seeds
            .iter()
            .position(|s| s.label == label)
            .ok_or_else(|| VaultError::LabelNotFound { label: label.into() })
    }

    fn record(&self, label: &str) -> Result<&SeedRecord, VaultError> {
        Ok(&self.payload.seeds[self.position(label)?])
    }

    /// Public facts about the seed labelled `label` (case-sensitive).
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`].
    pub fn seed(&self, label: &str) -> Result<SeedInfo, VaultError> {
        Ok(self.record(label)?.info())
    }

    /// A new label for a seed (`renamed`: the position of the seed being renamed, whose own label does not count).
    fn check_new_label(&self, label: &str, renamed: Option<usize>) -> Result<(), VaultError> {
        let others = self.payload.seeds.iter().enumerate().filter(|(i, _)| Some(*i) != renamed);
        check_new_label(label, others.map(|(_, s)| s.label.as_str()))
    }

    /// Stores a seed under a new label with an optional BIP39 passphrase (`""` for none), and saves.
    ///
    /// # Errors
    /// [`VaultError::InvalidLabel`], [`VaultError::DuplicateLabel`], [`VaultError::TooManySeeds`],
    /// [`VaultError::Mnemonic`] (passphrase too long); errors of [`Vault::save`] (the seed is not added then).
    pub fn add_seed(&mut self, label: &str, mnemonic: &Mnemonic, passphrase: &str) -> Result<SeedInfo, VaultError> {
        self.check_new_label(label, None)?;
        check_passphrase(passphrase)?;
        if self.payload.seeds.len() >= format::MAX_SEEDS {
            return Err(VaultError::TooManySeeds);
        }
        let mut id = SeedId([0; 16]);
        seal::random(&mut id.0)?;
        let passphrase = (!passphrase.is_empty()).then(|| {
            let mut s = SecretString::with_capacity(passphrase.len());
            s.expose_mut().push_str(passphrase);
            s
        });
        let record = SeedRecord {
            id,
            label: label.into(),
            created: now(),
            language: mnemonic.language(),
            entropy: mnemonic.entropy(),
            passphrase,
            compromised: false,
            backup_checked: false,
            settings: AccountSettings::default(),
        };
        let info = record.info();
        self.commit(|v| v.payload.seeds.push(record), |v| drop(v.payload.seeds.pop()))?;
        Ok(info)
    }

    /// Generates a fresh English mnemonic, stores it under `label` (no passphrase) and saves. Show the returned
    /// words to the user once, then drop them.
    ///
    /// # Errors
    /// As [`Vault::add_seed`]; [`VaultError::Mnemonic`] if the OS random number generator fails.
    pub fn add_generated_seed(&mut self, label: &str, words: WordCount) -> Result<Mnemonic, VaultError> {
        self.check_new_label(label, None)?;
        let mnemonic = Mnemonic::generate(words)?;
        self.add_seed(label, &mnemonic, "")?;
        Ok(mnemonic)
    }

    /// Renames a seed and saves.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`], [`VaultError::InvalidLabel`], [`VaultError::DuplicateLabel`]; errors of
    /// [`Vault::save`].
    pub fn rename_seed(&mut self, label: &str, new_label: &str) -> Result<(), VaultError> {
        let i = self.position(label)?;
        if label == new_label {
            return Ok(());
        }
        self.check_new_label(new_label, Some(i))?;
        let new = new_label.to_owned();
        self.commit(|v| v.payload.seeds[i].label = new, |v| label.clone_into(&mut v.payload.seeds[i].label))
    }

    /// Removes a seed and saves. The previous generation, `<path>.bak`, still holds it until the next save.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; errors of [`Vault::save`] (the seed stays then).
    pub fn remove_seed(&mut self, label: &str) -> Result<(), VaultError> {
        let i = self.position(label)?;
        let id = self.payload.seeds[i].id;
        let removed = self.payload.seeds.remove(i);
        // A migration from or to the seed goes with it (export its report first).
        let migrations = self.payload.migrations.clone();
        self.payload.migrations.retain(|m| m.from != id && m.to != id);
        if let Err(e) = self.save() {
            self.payload.seeds.insert(i, removed);
            self.payload.migrations = migrations;
            return Err(e);
        }
        Ok(())
    }

    /// Checks, in constant time, whether `mnemonic` and `passphrase` are exactly the stored seed (the dry-run
    /// backup check). On success the seed is marked `backup_checked` and the vault saved.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; errors of [`Vault::save`].
    pub fn verify_seed(&mut self, label: &str, mnemonic: &Mnemonic, passphrase: &str) -> Result<bool, VaultError> {
        let i = self.position(label)?;
        let stored = &self.payload.seeds[i];
        let same_entropy = ct_eq(stored.entropy.expose(), mnemonic.entropy().expose());
        let same_seed = ct_eq(stored.bip39_seed()?.expose(), mnemonic.to_seed(passphrase).expose());
        if !(same_entropy & same_seed) {
            return Ok(false);
        }
        if !stored.backup_checked {
            self.commit(|v| v.payload.seeds[i].backup_checked = true, |v| v.payload.seeds[i].backup_checked = false)?;
        }
        Ok(true)
    }

    /// The signing log's entries kept in the vault, oldest first. When the log reached
    /// [`format::MAX_LOG_ENTRIES`], older entries were moved into the archive ([`Vault::log_archive`]); the first
    /// kept entry then has the absolute index [`Vault::log_checkpoint`]`.archived` and chains from its `head`. Check
    /// them with [`Vault::verify_log`].
    #[must_use]
    pub fn log(&self) -> &[LogEntry] {
        &self.payload.log
    }

    /// How many times this vault was saved (0 for a vault last saved before generations were counted). Every save
    /// adds one.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.payload.generation.load(Ordering::Relaxed)
    }

    /// The state to remember outside the file to notice a rollback later (see [`SeenState`]): the generation, the
    /// signing log's entry count (archived included) and head.
    #[must_use]
    pub fn seen_state(&self) -> SeenState {
        let checkpoint = self.log_checkpoint();
        SeenState {
            generation: self.generation(),
            log_entries: checkpoint.archived + self.payload.log.len() as u64,
            log_head: self.payload.log.last().map_or(checkpoint.head, LogEntry::hash),
        }
    }

    /// Where the kept log starts: [`Checkpoint::START`] until entries were archived.
    #[must_use]
    pub fn log_checkpoint(&self) -> Checkpoint {
        self.payload.log_checkpoint.as_ref().map_or(Checkpoint::START, |c| c.at)
    }

    /// Checks the hash chain of the kept entries from the checkpoint.
    ///
    /// # Errors
    /// [`FirstBreak`] with the index (in [`Vault::log`]) of the first entry that does not chain.
    pub fn verify_log(&self) -> Result<(), FirstBreak> {
        signing_log::verify_chain_from(&self.log_checkpoint().head, &self.payload.log)
    }

    /// Every archived entry, oldest first, read from the archive segments next to the vault (see
    /// [`log_archive`]) and checked to chain from [`signing_log::GENESIS`] to [`Vault::log_checkpoint`]. Empty if
    /// nothing was archived. Archived entries followed by [`Vault::log`] form the whole log, one chain.
    ///
    /// # Errors
    /// [`VaultError::LogArchiveMissing`], [`VaultError::LogArchiveDamaged`]; I/O errors reading a segment.
    pub fn log_archive(&self) -> Result<Vec<LogEntry>, VaultError> {
        match &self.payload.log_checkpoint {
            Some(c) => log_archive::read(&self.path, c),
            None => Ok(Vec::new()),
        }
    }

    /// Signs a decoded request with the key of seed `label` at the chain's standard path for `account`/`index`,
    /// and records it in the signing log. The vault is saved **before** the signature is returned: a signature
    /// that could not be logged is never released.
    ///
    /// A seed marked compromised signs nothing here; migration sweeps have their own, guarded path.
    ///
    /// ```no_run
    /// # use coffer_core::{AccountIndex, AddressIndex, Chain, vault::Vault, secret::SecretString, sign::{self, Blind, Payload, SignRequest}};
    /// # let password = SecretString::from(String::from("pw"));
    /// let mut vault = Vault::open("vault.coffer", &password)?;
    /// let request = SignRequest::new(Chain::Sui, Payload::Transaction("AAAC…".into()));
    /// let decoded = sign::decode(&request)?;
    /// println!("{}", decoded.summary()); // show the person what they sign
    /// let signed = vault.sign("main", &decoded, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse)?;
    /// println!("{}", signed.signature);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`], [`VaultError::Compromised`], [`VaultError::Sign`] (wrong signer, blind
    /// content without consent, ...); errors of [`Vault::save`] or of writing a log archive segment (nothing is
    /// returned then). A full log does not stop signing: its oldest entries are archived first.
    pub fn sign(
        &mut self,
        label: &str,
        decoded: &Decoded,
        account: AccountIndex,
        index: AddressIndex,
        blind: Blind,
    ) -> Result<Signed, VaultError> {
        let mut all = self.sign_batch(label, std::slice::from_ref(decoded), account, index, blind)?;
        all.pop().ok_or(VaultError::Corrupted)
    }

    /// Signs several decoded requests with one key derivation and one save (see [`Vault::sign`]). Either all are
    /// signed and logged, or none is returned.
    ///
    /// # Errors
    /// As [`Vault::sign`]; the first request that fails stops the batch.
    pub fn sign_batch(
        &mut self,
        label: &str,
        decoded: &[Decoded],
        account: AccountIndex,
        index: AddressIndex,
        blind: Blind,
    ) -> Result<Vec<Signed>, VaultError> {
        let Some(first) = decoded.first() else { return Ok(Vec::new()) };
        let path = first.chain().path(account, index)?;
        self.sign_batch_at(label, &path, decoded, blind)
    }

    /// As [`Vault::sign_batch`], with the key at an explicit hardened `path` (required for the `raw` chain).
    ///
    /// # Errors
    /// As [`Vault::sign`].
    pub fn sign_batch_at(
        &mut self,
        label: &str,
        path: &crate::derive::DerivationPath,
        decoded: &[Decoded],
        blind: Blind,
    ) -> Result<Vec<Signed>, VaultError> {
        let i = self.position(label)?;
        if self.payload.seeds[i].compromised {
            return Err(VaultError::Compromised { label: label.to_owned() });
        }
        let Some(first) = decoded.first() else { return Ok(Vec::new()) };
        let seed = self.payload.seeds[i].bip39_seed()?;
        let signer = Signer::new(&seed, first.chain(), path.clone())?;
        drop(seed);
        let signed = decoded.iter().map(|d| signer.sign(d, blind)).collect::<Result<Vec<_>, _>>()?;
        drop(signer);
        self.log_signatures(&signed)?;
        Ok(signed)
    }

    /// Appends log entries for `signed` and saves; on failure the log is as before.
    pub(crate) fn log_signatures(&mut self, signed: &[Signed]) -> Result<(), VaultError> {
        self.log_records(signed.iter().map(Signed::log_record).collect())
    }

    /// Appends log entries and saves; on failure the log (and its checkpoint) is as before. If the log would exceed
    /// [`format::MAX_LOG_ENTRIES`], its oldest entries are first moved into a new archive segment.
    pub(crate) fn log_records(&mut self, records: Vec<crate::sign::LogRecord>) -> Result<(), VaultError> {
        if self.read_only {
            return Err(VaultError::ReadOnly);
        }
        // A vault that cannot be saved gets no archive segment either.
        file::check_writable(&self.path)?;
        let archived =
            log_archive::make_room(&self.path, &mut self.payload.log, &mut self.payload.log_checkpoint, records.len())?;
        let before = self.payload.log.len();
        let time = now();
        for mut record in records {
            truncate_at_char(&mut record.summary, format::MAX_LOG_SUMMARY);
            signing_log::append(&mut self.payload.log, time, record);
        }
        let mut archived = archived;
        self.commit(
            |_| {},
            |v| {
                v.payload.log.truncate(before);
                // Put the archived entries back: the segment written stays unreferenced and harmless.
                if let Some((moved, checkpoint)) = archived.take() {
                    v.payload.log.splice(0..0, moved);
                    v.payload.log_checkpoint = checkpoint;
                }
            },
        )
    }

    /// Marks a seed compromised and saves under a new vault key, without any device slot (see [`Rekeyed`]): quick
    /// unlock must be re-enabled with the password (call `coffer_keyring::Keyring::disable` first, so the keyring
    /// entry, named by the slot id, is deleted too), and whoever took the old vault key (from memory, or from a
    /// copy of the file and the keyring entry) opens nothing saved from now on, such as the fresh seed a migration
    /// adds. Unmarking needs the password: use [`Vault::unmark_compromised`]; `set_compromised(label, false)` is
    /// refused.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; [`VaultError::Migrate`] ([`crate::migrate::MigrateError::PasswordRequired`])
    /// for `false`; [`VaultError::PasswordRequired`] unless [`Vault::password_confirmed`]; errors of
    /// [`Vault::save`] (the seed is not marked then).
    pub fn set_compromised(&mut self, label: &str, compromised: bool) -> Result<Rekeyed, VaultError> {
        let i = self.position(label)?;
        if !compromised {
            return Err(crate::migrate::MigrateError::PasswordRequired.into());
        }
        if !self.password_confirmed() {
            return Err(VaultError::PasswordRequired);
        }
        let before = self.payload.seeds[i].compromised;
        self.payload.seeds[i].compromised = true;
        let rekeyed = self.rekey(None);
        if rekeyed.is_err() {
            self.payload.seeds[i].compromised = before;
        }
        rekeyed
    }

    /// A seed's account settings.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`].
    pub fn account_settings(&self, label: &str) -> Result<AccountSettings, VaultError> {
        Ok(self.record(label)?.settings.clone())
    }

    /// Replaces a seed's account settings and saves. A new or changed account label must pass [`validate_label`]
    /// and must not look the same ([`label_skeleton`]) as another label of the same chain; labels kept as they were
    /// are not checked again.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`], [`VaultError::InvalidSettings`], [`VaultError::InvalidLabel`],
    /// [`VaultError::SimilarLabel`]; errors of [`Vault::save`].
    pub fn set_account_settings(&mut self, label: &str, settings: AccountSettings) -> Result<(), VaultError> {
        let i = self.position(label)?;
        settings.validate()?;
        let before = self.payload.seeds[i].settings.clone();
        check_new_account_labels(&before, &settings)?;
        self.commit(|v| v.payload.seeds[i].settings = settings, |v| v.payload.seeds[i].settings = before)
    }

    /// Checks that `password` is this vault's password: it must open the password slot (one key derivation) and
    /// give this vault's key. Front ends call it before a change that an unlocked vault alone must not allow, for
    /// example changing the password or removing a seed after a quick unlock, where no password was typed.
    ///
    /// ```
    /// # use coffer_core::{secret::SecretString, vault::{KdfParams, Vault, VaultError}};
    /// # let dir = std::env::temp_dir().join(format!("coffer-doc-verify-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// # let path = dir.join("vault.coffer");
    /// let password = SecretString::from("correct horse".to_owned());
    /// let vault = Vault::create(&path, &password, KdfParams::insecure_for_tests())?;
    /// vault.verify_password(&password)?;
    /// let wrong = SecretString::from("battery staple".to_owned());
    /// assert!(matches!(vault.verify_password(&wrong), Err(VaultError::WrongPassword)));
    /// # drop(vault); std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`VaultError::WrongPassword`]; [`VaultError::Kdf`].
    pub fn verify_password(&self, password: &SecretString) -> Result<(), VaultError> {
        password_kek(self.password_slot()?, password, &self.key).map(drop)
    }

    /// The recovery words of a stored seed, to show them again, once `password` is checked against the password
    /// slot (one key derivation): an open vault, perhaps opened by quick unlock, is not enough. The BIP39 passphrase
    /// is not returned. The words are zeroized when the [`Mnemonic`] is dropped; never log them.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`] (checked first, without a key derivation); [`VaultError::WrongPassword`];
    /// [`VaultError::Kdf`].
    pub fn recovery_words(&self, label: &str, password: &SecretString) -> Result<Mnemonic, VaultError> {
        let record = self.record(label)?;
        self.verify_password(password)?;
        record.mnemonic()
    }

    /// The 64-byte BIP39 seed of a stored seed, with its passphrase.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`].
    pub fn bip39_seed(&self, label: &str) -> Result<Seed, VaultError> {
        self.record(label)?.bip39_seed()
    }

    /// The account of a stored seed at a chain's standard path.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; [`VaultError::Chain`] for `raw` or numbers of 2^31 or more.
    pub fn account(
        &self,
        label: &str,
        chain: Chain,
        account: AccountIndex,
        index: AddressIndex,
    ) -> Result<Account, VaultError> {
        Ok(chain.account(&self.bip39_seed(label)?, account, index)?)
    }
}
