//! The vault's one error type and how failures are classified.
//!
//! Classification (see docs/vault-format.md, "Errors"):
//! - the file cannot be read or written: [`VaultError::NotFound`], [`VaultError::PermissionDenied`],
//!   [`VaultError::DiskFull`], [`VaultError::InUse`], [`VaultError::AlreadyExists`], [`VaultError::Io`];
//! - the bytes are not a vault this version can read: [`VaultError::NotAVault`], [`VaultError::IsADirectory`],
//!   [`VaultError::Truncated`], [`VaultError::UnsupportedVersion`], [`VaultError::Unsupported`],
//!   [`VaultError::ExcessiveWork`];
//! - the bytes are a vault, but its key derivation would cost far more than the policy and was not run without
//!   consent: [`VaultError::ExpensiveKdf`];
//! - a key slot does not open: [`VaultError::WrongPassword`] (a wrong password or a tampered password slot: with an
//!   AEAD the two cannot be told apart), [`VaultError::WrongDeviceKey`], [`VaultError::NoDeviceSlot`];
//! - the structure is broken or authentication of the payload failed after the slot opened:
//!   [`VaultError::Corrupted`]. It never says which byte was wrong.
//!
//! [`VaultError::class`] sorts every variant into an [`ErrorClass`], which front ends use to choose an exit code or
//! how to present the error instead of listing variants themselves.

use std::io;
use std::path::{Path, PathBuf};

use crate::chain::ChainError;
use crate::mnemonic::MnemonicError;

/// Everything that can go wrong with a vault. Messages are lower-case, name paths and labels (which are not secret),
/// and never contain secret material or the position of a bad byte.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// There is no file at the path.
    #[error("no vault at {}", path.display())]
    NotFound {
        /// The path that was tried.
        path: PathBuf,
    },
    /// The operating system refused access (or the directory is read-only).
    #[error("permission denied for {} (is the file or its directory read-only?)", path.display())]
    PermissionDenied {
        /// The file or directory that was refused.
        path: PathBuf,
    },
    /// The disk (or quota) filled up while saving. The previous vault file is untouched.
    #[error("the disk is full: could not save {} (the previous version is untouched)", path.display())]
    DiskFull {
        /// The vault being saved.
        path: PathBuf,
    },
    /// Another process (for example the GUI while the CLI runs) has the vault open.
    #[error("the vault {} is in use by another Coffer process", path.display())]
    InUse {
        /// The vault.
        path: PathBuf,
    },
    /// [`Vault::create`](super::Vault::create) found a file already there.
    #[error("a file already exists at {}; refusing to overwrite it", path.display())]
    AlreadyExists {
        /// The path.
        path: PathBuf,
    },
    /// Any other input/output error.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "write", "lock", ...).
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The vault path names a directory, not a file.
    #[error("{} is a directory, not a Coffer vault file", path.display())]
    IsADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The file does not start with the vault magic bytes.
    #[error("this file is not a Coffer vault")]
    NotAVault,
    /// The file ends before its structure does (an interrupted copy or a cut-off download).
    #[error("the vault file is truncated")]
    Truncated,
    /// A format version this build does not know (written by a newer Coffer).
    #[error("unsupported vault format version {version} (this Coffer reads version {})", super::format::VERSION)]
    UnsupportedVersion {
        /// The version found in the file.
        version: u16,
    },
    /// A key slot type, payload section or seed field this build does not know (written by a newer Coffer).
    /// Coffer refuses rather than silently dropping it on the next save.
    #[error("unsupported {what} {tag} in the vault (written by a newer Coffer?)")]
    Unsupported {
        /// What kind of item: "key slot type", "payload section" or "seed field".
        what: &'static str,
        /// Its tag.
        tag: u16,
    },
    /// The key-derivation parameters in the file are beyond the bounds this build accepts; the KDF was not run.
    #[error(
        "the vault asks for excessive key-derivation work ({memory_kib} KiB, {passes} passes, {lanes} lanes); \
         refusing to run it"
    )]
    ExcessiveWork {
        /// Memory in KiB.
        memory_kib: u32,
        /// Passes (Argon2 t_cost).
        passes: u32,
        /// Lanes (Argon2 p_cost).
        lanes: u32,
    },
    /// The key-derivation parameters in the file are within the read bounds but far above the policy
    /// ([`KdfParams::is_expensive`](super::KdfParams::is_expensive)): a swapped or hostile file could stall the
    /// program for minutes this way. Nothing was derived; ask the person, showing the estimate, and open again with
    /// [`OpenOptions::allow_expensive_kdf`](super::OpenOptions::allow_expensive_kdf) if they agree.
    #[error(
        "unlocking this vault would take {} of key derivation and {} MiB of memory ({}x the work of the policy's \
         256 MiB x 2 passes); it was not attempted",
        cost.estimate_words(),
        cost.memory_kib / 1024,
        cost.relative_work
    )]
    ExpensiveKdf {
        /// What the header asks for, and the estimate.
        cost: super::KdfCost,
    },
    /// This change gives the vault a new key, and only the password can seal it for the password slot: the vault
    /// was opened with quick unlock. Nothing changed; see [`Vault::confirm_password`](super::Vault::confirm_password).
    #[error(
        "this change gives the vault a new key, which only the password can seal: give the vault password (quick \
         unlock is not enough)"
    )]
    PasswordRequired,
    /// The password does not open the vault. A tampered password slot gives the same error.
    #[error("wrong password (or the vault's key slot was tampered with)")]
    WrongPassword,
    /// The device key does not open any device slot (the keyring entry is stale or the slot was tampered with).
    #[error("the device key does not open this vault")]
    WrongDeviceKey,
    /// The vault has no device slot (quick unlock is not enabled for it).
    #[error("quick unlock is not enabled for this vault")]
    NoDeviceSlot,
    /// The file's structure is invalid or its contents fail authentication although the key slot opened: it was
    /// damaged or tampered with.
    #[error("the vault file is corrupted or has been tampered with")]
    Corrupted,
    /// A new password is empty.
    #[error("the password is empty")]
    EmptyPassword,
    /// Key-derivation parameters given by the caller are outside what the policy and format allow.
    #[error("invalid key-derivation parameters: {reason}")]
    InvalidParams {
        /// Which bound was broken.
        reason: &'static str,
    },
    /// Argon2 could not run (usually: not enough memory).
    #[error("key derivation failed (not enough memory?)")]
    Kdf,
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
    /// No seed has this label.
    #[error("no seed labelled {label:?}")]
    LabelNotFound {
        /// The label asked for.
        label: String,
    },
    /// Another seed already has this label.
    #[error("a seed labelled {label:?} already exists")]
    DuplicateLabel {
        /// The label.
        label: String,
    },
    /// The label looks the same as another one once invisible characters are removed, case is ignored and the
    /// text is normalized ([`label_skeleton`](super::label_skeleton)).
    #[error("the label {label:?} looks the same as the existing label {existing:?}; choose a clearly different one")]
    SimilarLabel {
        /// The label refused.
        label: String,
        /// The existing label it looks like.
        existing: String,
    },
    /// A label that is empty, too long, padded with spaces, or holds control, invisible or text-direction
    /// characters.
    #[error("invalid label: {reason}")]
    InvalidLabel {
        /// Why.
        reason: &'static str,
    },
    /// The vault holds the maximum number of seeds.
    #[error("the vault is full (at most {} seeds)", super::format::MAX_SEEDS)]
    TooManySeeds,
    /// Account settings beyond the format's bounds.
    #[error("invalid account settings: {reason}")]
    InvalidSettings {
        /// Why.
        reason: &'static str,
    },
    /// A mnemonic or passphrase problem.
    #[error(transparent)]
    Mnemonic(#[from] MnemonicError),
    /// A chain or derivation problem.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The seed is marked compromised: Coffer signs for it only migration sweeps to a fresh seed.
    #[error("seed {label:?} is marked compromised: Coffer signs for it only migration sweeps to a fresh seed")]
    Compromised {
        /// The seed's label.
        label: String,
    },
    /// More signing-log entries at once than a vault keeps. (A full log no longer stops signing: its oldest entries
    /// are archived; see [`Vault::log_archive`](super::Vault::log_archive).)
    #[error(
        "the signing log is full ({} entries); export it with `coffer log --json` and start a new vault",
        super::format::MAX_LOG_ENTRIES
    )]
    LogFull,
    /// A segment of the signing log's archive (entries moved out of the vault when its log was full) is not where
    /// the vault's checkpoint says; the entries kept in the vault are unaffected.
    #[error("the signing-log archive segment {} is missing (moved or deleted?)", path.display())]
    LogArchiveMissing {
        /// The segment expected.
        path: PathBuf,
    },
    /// A segment of the signing log's archive does not decrypt, is malformed, or does not link to the rest of the
    /// chain: it was damaged or tampered with.
    #[error("the signing-log archive segment {} is damaged or was tampered with", path.display())]
    LogArchiveDamaged {
        /// The segment.
        path: PathBuf,
    },
    /// Decoding or signing failed; nothing was signed or logged.
    #[error(transparent)]
    Sign(#[from] crate::sign::SignError),
    /// A migration step was refused (including by the destination guard); nothing was signed.
    #[error(transparent)]
    Migrate(#[from] crate::migrate::MigrateError),
    /// The vault was opened read-only ([`Vault::open_read_only`](super::Vault::open_read_only)): nothing is saved.
    #[error("the vault was opened read-only; open it for writing to change it")]
    ReadOnly,
    /// `<vault>.lock` is a symbolic link (someone with write access to the directory planted it?). Coffer neither
    /// follows it (that would open, or create, a file elsewhere) nor removes it (the lock file is never deleted, so
    /// that two processes can never lock different files); nothing was opened or changed. Remove the link by hand.
    #[error(
        "the lock file {} is a symbolic link; Coffer does not follow it: remove it and try again",
        path.display()
    )]
    LockIsLink {
        /// The lock file's path.
        path: PathBuf,
    },
    /// The address is already in the address book (on the same chain) under another label.
    #[error("this {chain} address is already in the address book as {existing:?}")]
    DuplicateContact {
        /// The chain.
        chain: crate::chain::Chain,
        /// The label it has there.
        existing: String,
    },
    /// No address-book entry of this chain has this label.
    #[error("no {chain} address labelled {label:?} in the address book")]
    ContactNotFound {
        /// The chain.
        chain: crate::chain::Chain,
        /// The label asked for.
        label: String,
    },
    /// The address book holds the maximum number of entries.
    #[error("the address book is full (at most {} entries)", super::format::MAX_CONTACTS)]
    TooManyContacts,
    /// No default location: neither `COFFER_VAULT` nor a home or data directory is set.
    #[error("cannot find a place for the vault: set COFFER_VAULT or HOME")]
    NoDefaultLocation,
}

/// Why a vault could not be opened ([`Vault::open`](super::Vault::open) and the other `open*` functions): the
/// errors of that one operation. Nothing was changed on disk. It converts into the [`VaultError`] variant of the same
/// name (with `?`), and [`OpenError::class`] classes it as that variant would be.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// There is no file at the path.
    #[error("no vault at {}", path.display())]
    NotFound {
        /// The path that was tried.
        path: PathBuf,
    },
    /// The operating system refused access.
    #[error("permission denied for {} (is the file or its directory read-only?)", path.display())]
    PermissionDenied {
        /// The file or directory that was refused.
        path: PathBuf,
    },
    /// The vault path names a directory, not a file.
    #[error("{} is a directory, not a Coffer vault file", path.display())]
    IsADirectory {
        /// The path.
        path: PathBuf,
    },
    /// Another Coffer process has the vault open.
    #[error("the vault {} is in use by another Coffer process", path.display())]
    InUse {
        /// The vault.
        path: PathBuf,
    },
    /// `<vault>.lock` is a symbolic link; it was neither followed nor removed (see [`VaultError::LockIsLink`]).
    #[error(
        "the lock file {} is a symbolic link; Coffer does not follow it: remove it and try again",
        path.display()
    )]
    LockIsLink {
        /// The lock file's path.
        path: PathBuf,
    },
    /// Any other input/output error.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "lock", ...).
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The file does not start with the vault magic bytes.
    #[error("this file is not a Coffer vault")]
    NotAVault,
    /// The file ends before its structure does.
    #[error("the vault file is truncated")]
    Truncated,
    /// A format version this build does not know (written by a newer Coffer).
    #[error("unsupported vault format version {version} (this Coffer reads version {})", super::format::VERSION)]
    UnsupportedVersion {
        /// The version found in the file.
        version: u16,
    },
    /// A key slot type, payload section or seed field this build does not know (written by a newer Coffer).
    #[error("unsupported {what} {tag} in the vault (written by a newer Coffer?)")]
    Unsupported {
        /// What kind of item: "key slot type", "payload section" or "seed field".
        what: &'static str,
        /// Its tag.
        tag: u16,
    },
    /// The file's key-derivation parameters are beyond the bounds this build accepts; the KDF was not run.
    #[error(
        "the vault asks for excessive key-derivation work ({memory_kib} KiB, {passes} passes, {lanes} lanes); \
         refusing to run it"
    )]
    ExcessiveWork {
        /// Memory in KiB.
        memory_kib: u32,
        /// Passes (Argon2 t_cost).
        passes: u32,
        /// Lanes (Argon2 p_cost).
        lanes: u32,
    },
    /// The file's key derivation is within the read bounds but far above the policy; nothing was derived. Ask the
    /// person, showing the estimate, and open again with
    /// [`OpenOptions::allow_expensive_kdf`](super::OpenOptions::allow_expensive_kdf) if they agree.
    #[error(
        "unlocking this vault would take {} of key derivation and {} MiB of memory ({}x the work of the policy's \
         256 MiB x 2 passes); it was not attempted",
        cost.estimate_words(),
        cost.memory_kib / 1024,
        cost.relative_work
    )]
    ExpensiveKdf {
        /// What the header asks for, and the estimate.
        cost: super::KdfCost,
    },
    /// The password does not open the vault. A tampered password slot gives the same error.
    #[error("wrong password (or the vault's key slot was tampered with)")]
    WrongPassword,
    /// The device key does not open any device slot.
    #[error("the device key does not open this vault")]
    WrongDeviceKey,
    /// The vault has no device slot (quick unlock is not enabled for it).
    #[error("quick unlock is not enabled for this vault")]
    NoDeviceSlot,
    /// The structure is invalid or the contents fail authentication although the key slot opened.
    #[error("the vault file is corrupted or has been tampered with")]
    Corrupted,
    /// Argon2 could not run (usually: not enough memory).
    #[error("key derivation failed (not enough memory?)")]
    Kdf,
}

impl OpenError {
    /// The class of this error, as [`VaultError::class`] of the same variant.
    #[must_use]
    pub fn class(&self) -> ErrorClass {
        use ErrorClass as C;
        match self {
            Self::NotFound { .. } | Self::PermissionDenied { .. } | Self::LockIsLink { .. } | Self::Io { .. } => {
                C::System
            }
            Self::Kdf => C::System,
            Self::InUse { .. } => C::InUse,
            Self::WrongPassword | Self::WrongDeviceKey | Self::NoDeviceSlot => C::Auth,
            Self::IsADirectory { .. }
            | Self::NotAVault
            | Self::Truncated
            | Self::UnsupportedVersion { .. }
            | Self::Unsupported { .. }
            | Self::ExcessiveWork { .. }
            | Self::ExpensiveKdf { .. }
            | Self::Corrupted => C::Damaged,
        }
    }

    /// The error of opening, from what the shared file and format code returned on the way.
    pub(crate) fn from_vault(e: VaultError) -> Self {
        use VaultError as V;
        match e {
            V::NotFound { path } => Self::NotFound { path },
            V::PermissionDenied { path } => Self::PermissionDenied { path },
            V::IsADirectory { path } => Self::IsADirectory { path },
            V::InUse { path } => Self::InUse { path },
            V::LockIsLink { path } => Self::LockIsLink { path },
            V::Io { action, path, source } => Self::Io { action, path, source },
            V::DiskFull { path } => Self::Io { action: "open", path, source: io::ErrorKind::StorageFull.into() },
            V::NotAVault => Self::NotAVault,
            V::Truncated => Self::Truncated,
            V::UnsupportedVersion { version } => Self::UnsupportedVersion { version },
            V::Unsupported { what, tag } => Self::Unsupported { what, tag },
            V::ExcessiveWork { memory_kib, passes, lanes } => Self::ExcessiveWork { memory_kib, passes, lanes },
            V::ExpensiveKdf { cost } => Self::ExpensiveKdf { cost },
            V::WrongPassword => Self::WrongPassword,
            V::WrongDeviceKey => Self::WrongDeviceKey,
            V::NoDeviceSlot => Self::NoDeviceSlot,
            V::Kdf => Self::Kdf,
            // Reading a vault checks the structure only; anything else a reader could return means the stored
            // content breaks a rule of the format.
            _ => Self::Corrupted,
        }
    }
}

impl From<OpenError> for VaultError {
    fn from(e: OpenError) -> Self {
        use OpenError as O;
        match e {
            O::NotFound { path } => Self::NotFound { path },
            O::PermissionDenied { path } => Self::PermissionDenied { path },
            O::IsADirectory { path } => Self::IsADirectory { path },
            O::InUse { path } => Self::InUse { path },
            O::LockIsLink { path } => Self::LockIsLink { path },
            O::Io { action, path, source } => Self::Io { action, path, source },
            O::NotAVault => Self::NotAVault,
            O::Truncated => Self::Truncated,
            O::UnsupportedVersion { version } => Self::UnsupportedVersion { version },
            O::Unsupported { what, tag } => Self::Unsupported { what, tag },
            O::ExcessiveWork { memory_kib, passes, lanes } => Self::ExcessiveWork { memory_kib, passes, lanes },
            O::ExpensiveKdf { cost } => Self::ExpensiveKdf { cost },
            O::WrongPassword => Self::WrongPassword,
            O::WrongDeviceKey => Self::WrongDeviceKey,
            O::NoDeviceSlot => Self::NoDeviceSlot,
            O::Corrupted => Self::Corrupted,
            O::Kdf => Self::Kdf,
        }
    }
}

/// Why [`KdfParams::new`](super::KdfParams::new) refused parameters chosen by a user (the error of that one
/// operation). It converts into [`VaultError::InvalidParams`] with the same message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KdfParamsError {
    /// Less memory than the policy's 256 MiB.
    #[error("memory below the 256 MiB minimum")]
    MemoryBelowPolicy,
    /// Fewer passes than the policy's 2.
    #[error("fewer than 2 passes")]
    TooFewPasses,
    /// Beyond what any vault may ask for: 4 GiB, 64 passes or 16 lanes.
    #[error("beyond 4 GiB, 64 passes or 16 lanes")]
    BeyondBounds,
    /// No lanes.
    #[error("lanes must be at least 1")]
    NoLanes,
}

impl KdfParamsError {
    /// Always [`ErrorClass::InvalidInput`]: the parameters came from the caller.
    #[must_use]
    pub fn class(self) -> ErrorClass {
        ErrorClass::InvalidInput
    }

    fn reason(self) -> &'static str {
        match self {
            Self::MemoryBelowPolicy => "memory below the 256 MiB minimum",
            Self::TooFewPasses => "fewer than 2 passes",
            Self::BeyondBounds => "beyond 4 GiB, 64 passes or 16 lanes",
            Self::NoLanes => "lanes must be at least 1",
        }
    }
}

impl From<KdfParamsError> for VaultError {
    fn from(e: KdfParamsError) -> Self {
        Self::InvalidParams { reason: e.reason() }
    }
}

/// What kind of failure an error is: whose fault, and what the user can do. Front ends map it to their own
/// presentation (the CLI to its exit codes, docs/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The system failed, or a limit of the vault was reached: I/O, permissions, a full disk, the random number
    /// generator, memory for key derivation, a read-only or missing file, a planted lock link.
    System,
    /// Something only the user can supply is missing: a password that cannot be asked for, a vault location.
    Usage,
    /// The caller's input is wrong (a label, a parameter, a mnemonic, a transaction); nothing changed.
    InvalidInput,
    /// The password or device key does not open the vault.
    Auth,
    /// The file is not a vault this version can read or use: damaged, truncated, from a newer Coffer, or asking for
    /// more key-derivation work than allowed without consent.
    Damaged,
    /// Another process holds the vault.
    InUse,
    /// Coffer refused on purpose: a compromised seed, the destination guard, content without consent.
    Refused,
}

impl VaultError {
    /// The class of this error (see [`ErrorClass`]); errors wrapped from signing and migration are classed by what
    /// they say.
    #[must_use]
    pub fn class(&self) -> ErrorClass {
        use ErrorClass as C;
        match self {
            Self::NotFound { .. }
            | Self::PermissionDenied { .. }
            | Self::DiskFull { .. }
            | Self::Io { .. }
            | Self::Kdf
            | Self::Random
            | Self::LogFull
            | Self::LogArchiveMissing { .. }
            | Self::ReadOnly
            | Self::LockIsLink { .. } => C::System,
            Self::PasswordRequired | Self::NoDefaultLocation => C::Usage,
            Self::AlreadyExists { .. }
            | Self::LabelNotFound { .. }
            | Self::DuplicateLabel { .. }
            | Self::SimilarLabel { .. }
            | Self::InvalidLabel { .. }
            | Self::EmptyPassword
            | Self::InvalidParams { .. }
            | Self::TooManySeeds
            | Self::DuplicateContact { .. }
            | Self::ContactNotFound { .. }
            | Self::TooManyContacts
            | Self::InvalidSettings { .. }
            | Self::Chain(_) => C::InvalidInput,
            Self::Mnemonic(MnemonicError::Random) => C::System,
            Self::Mnemonic(_) => C::InvalidInput,
            Self::WrongPassword | Self::WrongDeviceKey | Self::NoDeviceSlot => C::Auth,
            Self::IsADirectory { .. }
            | Self::NotAVault
            | Self::Truncated
            | Self::UnsupportedVersion { .. }
            | Self::Unsupported { .. }
            | Self::ExcessiveWork { .. }
            | Self::ExpensiveKdf { .. }
            | Self::Corrupted
            | Self::LogArchiveDamaged { .. } => C::Damaged,
            Self::InUse { .. } => C::InUse,
            Self::Compromised { .. } => C::Refused,
            Self::Sign(e) => sign_class(e),
            Self::Migrate(e) => migrate_class(e),
        }
    }

    /// Classifies an I/O error on `path`.
    pub(crate) fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Self::NotFound { path },
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => Self::PermissionDenied { path },
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::DiskFull { path },
            io::ErrorKind::IsADirectory => Self::IsADirectory { path },
            _ => Self::Io { action, path, source },
        }
    }
}

/// Signing errors: refusals are [`ErrorClass::Refused`]; everything else is about the input.
fn sign_class(e: &crate::sign::SignError) -> ErrorClass {
    use crate::sign::SignError as S;
    match e {
        S::BlindRefused { .. } | S::RawIsChainTransaction { .. } => ErrorClass::Refused,
        _ => ErrorClass::InvalidInput,
    }
}

/// Migration errors: the guard's and the backup check's refusals are [`ErrorClass::Refused`], a full migration is a
/// limit ([`ErrorClass::System`]); everything else is about the input.
fn migrate_class(e: &crate::migrate::MigrateError) -> ErrorClass {
    use crate::migrate::MigrateError as M;
    match e {
        M::Guard(_) | M::BackupNotChecked { .. } | M::TrustlinesBlockMerge { .. } | M::PasswordRequired => {
            ErrorClass::Refused
        }
        M::Full => ErrorClass::System,
        _ => ErrorClass::InvalidInput,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let path = PathBuf::from("v.coffer");
        assert_eq!(VaultError::WrongPassword.class(), ErrorClass::Auth);
        assert_eq!(VaultError::Truncated.class(), ErrorClass::Damaged);
        assert_eq!(VaultError::InUse { path: path.clone() }.class(), ErrorClass::InUse);
        assert_eq!(VaultError::NotFound { path }.class(), ErrorClass::System);
        assert_eq!(VaultError::Kdf.class(), ErrorClass::System);
        assert_eq!(VaultError::ReadOnly.class(), ErrorClass::System);
        assert_eq!(VaultError::InvalidSettings { reason: "r" }.class(), ErrorClass::InvalidInput);
        assert_eq!(VaultError::Mnemonic(MnemonicError::Random).class(), ErrorClass::System);
        assert_eq!(VaultError::Mnemonic(MnemonicError::InvalidChecksum).class(), ErrorClass::InvalidInput);
        assert_eq!(VaultError::NoDefaultLocation.class(), ErrorClass::Usage);
        assert_eq!(VaultError::Compromised { label: "a".into() }.class(), ErrorClass::Refused);
        let blind = crate::sign::SignError::BlindRefused { reasons: vec![] };
        assert_eq!(VaultError::Sign(blind).class(), ErrorClass::Refused);
        assert_eq!(VaultError::Sign(crate::sign::SignError::TooLarge).class(), ErrorClass::InvalidInput);
        let guard = crate::migrate::MigrateError::Guard(crate::migrate::GuardError::BadPlanAddress);
        assert_eq!(VaultError::Migrate(guard).class(), ErrorClass::Refused);
        assert_eq!(VaultError::Migrate(crate::migrate::MigrateError::Full).class(), ErrorClass::System);
    }

    /// Every open error converts into the vault error of the same name, with the same class and message.
    #[test]
    fn open_errors_convert_with_their_class() {
        let path = PathBuf::from("v.coffer");
        let cost = crate::vault::KdfParams::insecure_for_tests().cost();
        let all = [
            OpenError::NotFound { path: path.clone() },
            OpenError::PermissionDenied { path: path.clone() },
            OpenError::IsADirectory { path: path.clone() },
            OpenError::InUse { path: path.clone() },
            OpenError::LockIsLink { path: path.clone() },
            OpenError::Io { action: "read", path, source: io::ErrorKind::Other.into() },
            OpenError::NotAVault,
            OpenError::Truncated,
            OpenError::UnsupportedVersion { version: 9 },
            OpenError::Unsupported { what: "seed field", tag: 9 },
            OpenError::ExcessiveWork { memory_kib: 1, passes: 2, lanes: 3 },
            OpenError::ExpensiveKdf { cost },
            OpenError::WrongPassword,
            OpenError::WrongDeviceKey,
            OpenError::NoDeviceSlot,
            OpenError::Corrupted,
            OpenError::Kdf,
        ];
        for e in all {
            let (class, message) = (e.class(), e.to_string());
            let v = VaultError::from(e);
            assert_eq!((v.class(), v.to_string()), (class, message.clone()));
            let back = OpenError::from_vault(v);
            assert_eq!((back.class(), back.to_string()), (class, message));
        }
    }

    #[test]
    fn kdf_params_errors_name_the_rule_and_convert() {
        use crate::vault::KdfParams;
        let min = KdfParams::POLICY_MIN_MEMORY_KIB;
        assert_eq!(KdfParams::new(min - 1, 2, 1), Err(KdfParamsError::MemoryBelowPolicy));
        assert_eq!(KdfParams::new(min, 1, 1), Err(KdfParamsError::TooFewPasses));
        assert_eq!(KdfParams::new(min, 65, 1), Err(KdfParamsError::BeyondBounds));
        assert_eq!(KdfParams::new(min, 2, 0), Err(KdfParamsError::NoLanes));
        for e in [KdfParamsError::MemoryBelowPolicy, KdfParamsError::BeyondBounds, KdfParamsError::NoLanes] {
            let v = VaultError::from(e);
            assert!(matches!(v, VaultError::InvalidParams { reason } if reason == e.to_string()));
            assert_eq!(v.class(), e.class());
        }
    }
}
