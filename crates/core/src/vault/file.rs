//! The vault on disk: bounded reads, crash-safe writes and the advisory lock.
//!
//! A save never modifies the existing file. It writes `<name>.tmp` in the same directory, fsyncs it, gives the
//! current file a second name `<name>.bak` (a hard link, so there is no moment without a vault at `<name>`), renames
//! the temporary file over `<name>` and fsyncs the directory. A crash at any point leaves either the old or the new
//! vault at `<name>`; a stale `<name>.tmp` is ignored by readers and removed by the next save, which then creates its
//! own with `O_CREAT | O_EXCL | O_NOFOLLOW` (so a planted link or a file of the wrong mode is never written through).
//!
//! A symbolic link at the vault's path is resolved once, when the vault is opened or created: every later read, lock
//! and save uses the link's target, so the link stays a link and `<target>.bak` is a real file beside the target.
//! A vault file without write permission (mode 0444) is respected: a save is refused with
//! [`VaultError::PermissionDenied`], as in a read-only directory, even for root.
//!
//! `<name>.lock` is locked (`flock`) for as long as a [`Vault`](super::Vault) is open: exclusively for a vault that
//! may change, shared for one opened read-only, so readers do not exclude one another but a writer excludes
//! everyone. A process that cannot get the lock gets [`VaultError::InUse`]. The lock file itself is never deleted
//! (deleting it would let two processes lock different files). It is opened with `O_NOFOLLOW`: a symbolic link planted
//! at `<name>.lock` is neither followed nor removed but refused with [`VaultError::LockIsLink`].

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::VaultError;
use super::format::{MAGIC, MAX_PAYLOAD_LEN};

/// The largest file read: the largest payload plus generous room for the header.
const MAX_FILE_LEN: u64 = MAX_PAYLOAD_LEN as u64 + 64 * 1024;

/// `<path><suffix>`, e.g. `vault.coffer.bak`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The backup (previous generation) of the vault at `path`.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Options that create a new file and nothing else: `O_CREAT | O_EXCL` (an existing file or link at the path is an
/// error, never opened) and, on Linux, `O_NOFOLLOW`; mode 0600 on Unix.
pub(crate) fn new_file_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut o,
        i32::try_from(rustix::fs::OFlags::NOFOLLOW.bits()).unwrap_or(0),
    );
    o
}

/// Options for `<vault>.lock`: read (and, if `write`, write and create, never truncate), `O_NOFOLLOW | O_CLOEXEC` on
/// Linux (a symbolic link at the path is an error, never followed: see [`VaultError::LockIsLink`]), mode 0600 on Unix.
fn lock_file_options(write: bool) -> OpenOptions {
    let mut o = OpenOptions::new();
    o.read(true);
    if write {
        o.write(true).create(true).truncate(false);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut o,
        i32::try_from((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::CLOEXEC).bits()).unwrap_or(0),
    );
    o
}

/// Whether opening with `O_NOFOLLOW` failed because the path is a symbolic link (`ELOOP`).
fn is_link_error(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = e;
        false
    }
}

/// The path to read, lock and save: `path` itself, or the target of the symbolic link at `path` (resolved once, so
/// that saving replaces the target and not the link).
///
/// # Errors
/// [`VaultError::NotFound`] for a dangling link; other I/O errors as classified by [`VaultError::io`].
pub(crate) fn resolve(path: &Path) -> Result<PathBuf, VaultError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| VaultError::io("resolve", path, e)),
        _ => Ok(path.to_path_buf()),
    }
}

/// An advisory lock, released when dropped.
#[derive(Debug)]
pub(crate) struct VaultLock {
    _file: File,
}

/// How a vault is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockMode {
    /// For a vault that may be changed: nobody else may hold any lock.
    Exclusive,
    /// For a vault opened read-only: other readers may hold the lock too, writers may not.
    Shared,
}

/// Locks the vault at `path` for this process.
///
/// # Errors
/// [`VaultError::InUse`] if another open vault holds the lock; [`VaultError::NotFound`] if the directory is missing;
/// other I/O errors as classified by [`VaultError::io`].
#[cfg(test)]
pub(crate) fn lock(path: &Path) -> Result<VaultLock, VaultError> {
    lock_with(path, LockMode::Exclusive)
}

/// Locks the vault at `path` for this process, exclusively or shared.
///
/// # Errors
/// As [`lock`].
pub(crate) fn lock_with(path: &Path, mode: LockMode) -> Result<VaultLock, VaultError> {
    let lock_path = sibling(path, ".lock");
    let file = match lock_file_options(true).open(&lock_path) {
        Ok(f) => f,
        Err(e) if is_link_error(&e) => return Err(VaultError::LockIsLink { path: lock_path }),
        // A read-only directory: nobody can replace the vault there, so locking the vault file itself is enough.
        Err(e) if matches!(e.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) => {
            match lock_file_options(false).open(&lock_path) {
                Ok(f) => f,
                Err(e) if is_link_error(&e) => return Err(VaultError::LockIsLink { path: lock_path }),
                Err(_) => File::open(path).map_err(|e| VaultError::io("lock", path, e))?,
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(VaultError::NotFound { path: path.into() }),
        Err(e) => return Err(VaultError::io("lock", &lock_path, e)),
    };
    // A lock can outlive its holder by a moment: a process that forks (to spawn a helper) shares the open file
    // until the child execs. Retry briefly before reporting the vault as in use.
    for attempt in 0..=LOCK_RETRIES {
        let locked = match mode {
            LockMode::Exclusive => file.try_lock(),
            LockMode::Shared => file.try_lock_shared(),
        };
        match locked {
            Ok(()) => return Ok(VaultLock { _file: file }),
            Err(TryLockError::WouldBlock) if attempt < LOCK_RETRIES => std::thread::sleep(LOCK_RETRY_DELAY),
            Err(TryLockError::WouldBlock) => break,
            Err(TryLockError::Error(e)) => return Err(VaultError::io("lock", &lock_path, e)),
        }
    }
    Err(VaultError::InUse { path: path.into() })
}

const LOCK_RETRIES: u32 = 20;
const LOCK_RETRY_DELAY: std::time::Duration = std::time::Duration::from_millis(10);

/// Reads a vault file, refusing anything larger than a vault can be.
///
/// # Errors
/// [`VaultError::NotFound`], [`VaultError::PermissionDenied`], [`VaultError::Io`]; a file that is too large is
/// [`VaultError::NotAVault`] or [`VaultError::Corrupted`] by its first bytes.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, VaultError> {
    let file = File::open(path).map_err(|e| VaultError::io("read", path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_LEN + 1).read_to_end(&mut bytes).map_err(|e| VaultError::io("read", path, e))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(if bytes.starts_with(&MAGIC) { VaultError::Corrupted } else { VaultError::NotAVault });
    }
    Ok(bytes)
}

/// Whether anything (even a dangling link) exists at `path`.
pub(crate) fn exists(path: &Path) -> Result<bool, VaultError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(VaultError::io("inspect", path, e)),
    }
}

/// Creates the vault's directory (and parents) if missing, private to the user on Unix.
pub(crate) fn create_dir(path: &Path) -> Result<(), VaultError> {
    let dir = parent_dir(path);
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| VaultError::io("create directory", dir, e))
}

/// Replaces the file at `path` with `bytes` atomically, keeping the previous file as `<path>.bak`.
///
/// # Errors
/// [`VaultError::PermissionDenied`], [`VaultError::DiskFull`] or [`VaultError::Io`]; in every case the file at
/// `path` is unchanged.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    write_atomic_with(path, bytes, &mut |f, b| f.write_all(b))
}

/// [`write_atomic`] with the write of the temporary file injected (tests simulate a full disk through it).
pub(crate) fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    write: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), VaultError> {
    check_writable(path)?;
    replace(path, bytes, write, true)
}

/// Writes a file that is never changed afterwards (a signing-log archive segment) as [`write_atomic`] does, without
/// a backup: a file already at `path` (left by an earlier attempt) is replaced.
///
/// # Errors
/// As [`write_atomic`].
pub(crate) fn write_new_atomic(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    replace(path, bytes, &mut |f, b| f.write_all(b), false)
}

fn replace(
    path: &Path,
    bytes: &[u8],
    write: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
    backup: bool,
) -> Result<(), VaultError> {
    let tmp = sibling(path, ".tmp");
    let result = write_tmp(&tmp, bytes, write).and_then(|()| {
        if backup && exists(path)? {
            link_backup(path)?;
        }
        fs::rename(&tmp, path).map_err(|e| VaultError::io("replace", path, e))
    });
    if result.is_err() {
        // Best effort: the temporary file is garbage now; the vault itself was not touched.
        let _ = fs::remove_file(&tmp);
        return result;
    }
    sync_dir(path)
}

/// Refuses to replace a vault file that has no write permission (all write bits clear, such as 0444): the user made
/// it read-only. Root, whom the permission would not stop, is refused too.
pub(crate) fn check_writable(path: &Path) -> Result<(), VaultError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.permissions().readonly() => Err(VaultError::PermissionDenied { path: path.into() }),
        _ => Ok(()),
    }
}

/// Removes whatever is at `<path>.tmp` (a file left by a crash, or a planted link: the link itself is removed, never
/// its target), then creates the temporary file afresh.
fn write_tmp(
    tmp: &Path,
    bytes: &[u8],
    write: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), VaultError> {
    match fs::remove_file(tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(VaultError::io("remove the stale temporary file", tmp, e)),
    }
    let mut f = new_file_options().open(tmp).map_err(|e| VaultError::io("write", tmp, e))?;
    write(&mut f, bytes).map_err(|e| VaultError::io("write", tmp, e))?;
    f.sync_all().map_err(|e| VaultError::io("write", tmp, e))
}

/// Makes `<path>.bak` another name for the current file (or, where hard links are not supported, a synced copy).
fn link_backup(path: &Path) -> Result<(), VaultError> {
    let bak = backup_path(path);
    let bak_tmp = sibling(path, ".bak.tmp");
    let _ = fs::remove_file(&bak_tmp);
    if fs::hard_link(path, &bak_tmp).is_err() {
        let copied = fs::copy(path, &bak_tmp).and_then(|_| File::open(&bak_tmp)?.sync_all());
        if let Err(e) = copied {
            let _ = fs::remove_file(&bak_tmp);
            return Err(VaultError::io("back up", path, e));
        }
    }
    fs::rename(&bak_tmp, &bak).map_err(|e| VaultError::io("back up", path, e))
}

#[cfg(test)]
thread_local! {
    /// Makes [`refresh_backup`] fail on this thread (the vault's unit tests simulate a backup that cannot be
    /// replaced after the new file is in place: the same file operations succeeded a moment before).
    pub(crate) static FAIL_REFRESH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Points `<path>.bak` at the current file, so that no older generation stays behind (after a new vault key).
pub(crate) fn refresh_backup(path: &Path) -> Result<(), VaultError> {
    #[cfg(test)]
    if FAIL_REFRESH.with(std::cell::Cell::get) {
        return Err(VaultError::io("back up", path, io::Error::other("simulated failure")));
    }
    link_backup(path)?;
    sync_dir(path)
}

/// Makes the renames durable.
fn sync_dir(path: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        let dir = parent_dir(path);
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| VaultError::io("sync directory", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> coffer_test_util::TempDir {
        coffer_test_util::TempDir::new("file-test")
    }

    #[test]
    fn write_keeps_backup_and_replaces() {
        let d = dir();
        let p = d.join("v");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert!(!backup_path(&p).exists());
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"one");
        write_atomic(&p, b"three").unwrap();
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"two");
        assert!(!sibling(&p, ".tmp").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn failed_write_leaves_old_file() {
        let d = dir();
        let p = d.join("v");
        write_atomic(&p, b"old").unwrap();
        let mut full = |f: &mut File, b: &[u8]| {
            f.write_all(&b[..1])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        };
        let err = write_atomic_with(&p, b"new contents", &mut full).unwrap_err();
        assert!(matches!(err, VaultError::DiskFull { .. }), "{err:?}");
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert!(!sibling(&p, ".tmp").exists());
        let mut denied = |_: &mut File, _: &[u8]| Err(io::Error::from(io::ErrorKind::PermissionDenied));
        let err = write_atomic_with(&p, b"new", &mut denied).unwrap_err();
        assert!(matches!(err, VaultError::PermissionDenied { .. }), "{err:?}");
        assert_eq!(fs::read(&p).unwrap(), b"old");
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn stale_tmp_is_overwritten() {
        let d = dir();
        let p = d.join("v");
        fs::write(sibling(&p, ".tmp"), b"garbage from a crash, longer than the new file").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        fs::remove_dir_all(d).unwrap();
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// A stale temporary file of the wrong mode is replaced, not reused: the vault comes out 0600.
    #[cfg(unix)]
    #[test]
    fn stale_tmp_with_wrong_mode_is_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let p = d.join("v");
        let tmp = sibling(&p, ".tmp");
        fs::write(&tmp, b"stale").unwrap();
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(mode(&p), 0o600);
        fs::remove_dir_all(d).unwrap();
    }

    /// A planted link at `<vault>.tmp` is removed, never written through; the save succeeds and the vault is a
    /// regular 0600 file.
    #[cfg(unix)]
    #[test]
    fn planted_tmp_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let p = d.join("v");
        write_atomic(&p, b"old").unwrap();
        let target = d.join("victim");
        fs::write(&target, b"victim's data").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o444)).unwrap();
        std::os::unix::fs::symlink(&target, sibling(&p, ".tmp")).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"victim's data");
        assert_eq!(mode(&target), 0o444);
        assert!(fs::symlink_metadata(&p).unwrap().is_file());
        assert_eq!((fs::read(&p).unwrap(), mode(&p)), (b"new".to_vec(), 0o600));
        // A dangling link too.
        std::os::unix::fs::symlink(d.join("nowhere"), sibling(&p, ".tmp")).unwrap();
        write_atomic(&p, b"newer").unwrap();
        assert!(!d.join("nowhere").exists());
        assert_eq!(fs::read(&p).unwrap(), b"newer");
        fs::remove_dir_all(d).unwrap();
    }

    /// A vault file made read-only (0444) is not replaced, even by root: `PermissionDenied`, file untouched.
    #[cfg(unix)]
    #[test]
    fn read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let p = d.join("v");
        write_atomic(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&p, b"new").unwrap_err();
        assert!(matches!(err, VaultError::PermissionDenied { .. }), "{err:?}");
        assert_eq!((fs::read(&p).unwrap(), mode(&p)), (b"old".to_vec(), 0o444));
        assert!(!backup_path(&p).exists() && !sibling(&p, ".tmp").exists());
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn shared_locks_share_and_exclude_writers() {
        let d = dir();
        let p = d.join("v");
        let r1 = lock_with(&p, LockMode::Shared).unwrap();
        let r2 = lock_with(&p, LockMode::Shared).unwrap();
        assert!(matches!(lock(&p), Err(VaultError::InUse { .. })));
        drop((r1, r2));
        let w = lock(&p).unwrap();
        assert!(matches!(lock_with(&p, LockMode::Shared), Err(VaultError::InUse { .. })));
        drop(w);
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn lock_is_exclusive() {
        let d = dir();
        let p = d.join("v");
        let first = lock(&p).unwrap();
        assert!(matches!(lock(&p), Err(VaultError::InUse { .. })));
        drop(first);
        let _again = lock(&p).unwrap();
        assert!(matches!(lock(&d.join("missing/v")), Err(VaultError::NotFound { .. })));
        fs::remove_dir_all(d).unwrap();
    }

    /// A link planted at `<vault>.lock` is not followed (to an existing file outside the directory, or dangling):
    /// the lock is refused with `LockIsLink`, the target is untouched (not created), the link stays, and nothing of
    /// the vault is touched.
    #[cfg(target_os = "linux")]
    #[test]
    fn planted_lock_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let outside = dir();
        let p = d.join("v");
        write_atomic(&p, b"vault").unwrap();
        let target = outside.join("victim");
        fs::write(&target, b"victim's data").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        let before = fs::metadata(&target).unwrap().modified().unwrap();
        let lock_path = sibling(&p, ".lock");
        std::os::unix::fs::symlink(&target, &lock_path).unwrap();
        for mode in [LockMode::Exclusive, LockMode::Shared] {
            let err = lock_with(&p, mode).unwrap_err();
            assert!(matches!(&err, VaultError::LockIsLink { path } if *path == lock_path), "{err:?}");
        }
        assert_eq!(fs::read(&target).unwrap(), b"victim's data");
        assert_eq!((mode(&target), fs::metadata(&target).unwrap().modified().unwrap()), (0o644, before));
        assert!(fs::symlink_metadata(&lock_path).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&p).unwrap(), b"vault");
        // A dangling link: nothing is created at its target.
        fs::remove_file(&lock_path).unwrap();
        let nowhere = outside.join("nowhere");
        std::os::unix::fs::symlink(&nowhere, &lock_path).unwrap();
        assert!(matches!(lock(&p), Err(VaultError::LockIsLink { .. })));
        assert!(!nowhere.exists());
        // Once the link is removed, locking works and makes a regular 0600 lock file.
        fs::remove_file(&lock_path).unwrap();
        let held = lock(&p).unwrap();
        assert!(fs::symlink_metadata(&lock_path).unwrap().is_file());
        assert_eq!(mode(&lock_path), 0o600);
        drop(held);
        fs::remove_dir_all(d).unwrap();
        fs::remove_dir_all(outside).unwrap();
    }

    #[test]
    fn oversized_files_are_refused() {
        let d = dir();
        let p = d.join("v");
        let f = File::create(&p).unwrap();
        f.set_len(MAX_FILE_LEN + 1).unwrap();
        assert!(matches!(read(&p), Err(VaultError::NotAVault)));
        fs::remove_dir_all(d).unwrap();
    }
}
