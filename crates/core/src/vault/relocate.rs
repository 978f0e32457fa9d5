//! Moving a vault to another directory, with everything that lives beside it: the backup (`<name>.bak`), the
//! signing-log archive segments (`<name>.log-…`) and the lock (`<name>.lock`).
//!
//! The move never leaves a moment without one complete set of files. Each file is first given its new name (a hard
//! link on the same file system, else a copy written to a fresh file, fsynced), the new directory is synced, the
//! new vault file is read back and checked (the same bytes, and it opens with the vault's key), and only then are
//! the old names removed, the vault file first. A failure before that removes what was made at the target and
//! changes nothing at the source. The target directory is created (private to the user) if missing; a vault, backup
//! or segment already at the target refuses the move ([`VaultError::AlreadyExists`]).
//!
//! A vault opened through a symbolic link lives at the link's target: that file moves, and the link is left
//! pointing where it was. Front ends that remember the vault's path (the app's settings, the rollback-warning
//! state kept per path) update it themselves from [`Moved::path`].

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::file::{self, LockMode, VaultLock};
use super::{Vault, VaultError, format, seal};

/// What [`Vault::move_to`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Moved {
    /// The vault's new path.
    pub path: PathBuf,
    /// The vault's old path.
    pub from: PathBuf,
    /// The files were copied (the target is on another file system) rather than linked.
    pub copied: bool,
    /// Old files that could not be removed after the move was complete (the vault itself was removed): delete
    /// them by hand.
    pub left_behind: Vec<PathBuf>,
}

#[cfg(test)]
thread_local! {
    /// Makes [`place`] copy instead of link on this thread (tests of the cross-device path on one file system).
    pub(crate) static FORCE_COPY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Makes the check of the new vault fail on this thread (a copy that does not read back).
    pub(crate) static FAIL_CHECK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The files of the vault at `vault`, the vault itself last: its archive segments, its backup, the vault.
fn companions(vault: &Path) -> Result<Vec<PathBuf>, VaultError> {
    let dir = match vault.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = vault.file_name().ok_or_else(|| VaultError::NotFound { path: vault.into() })?;
    let mut prefix = name.to_owned();
    prefix.push(".log-");
    let prefix = prefix.as_encoded_bytes().to_vec();
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| VaultError::io("list", dir, e))? {
        let entry = entry.map_err(|e| VaultError::io("list", dir, e))?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && entry.file_name().as_encoded_bytes().starts_with(&prefix) {
            files.push(entry.path());
        }
    }
    files.sort();
    let bak = file::backup_path(vault);
    if fs::symlink_metadata(&bak).is_ok_and(|m| m.is_file()) {
        files.push(bak);
    }
    files.push(vault.to_path_buf());
    Ok(files)
}

/// Gives `src` the new name `dst`: a hard link, else (another file system) a copy. Returns whether it copied.
fn place(src: &Path, dst: &Path) -> Result<bool, VaultError> {
    #[cfg(test)]
    let forced = FORCE_COPY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let forced = false;
    if !forced {
        match fs::hard_link(src, dst) {
            Ok(()) => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(VaultError::AlreadyExists { path: dst.into() });
            }
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied || e.kind() == io::ErrorKind::ReadOnlyFilesystem => {
                return Err(VaultError::io("move to", dst, e));
            }
            // Another file system (EXDEV), or one without hard links: copy.
            Err(_) => {}
        }
    }
    copy_synced(src, dst)?;
    Ok(true)
}

/// Copies `src` to a new file `dst` (never an existing file or a link there), mode 0600, and fsyncs it.
fn copy_synced(src: &Path, dst: &Path) -> Result<(), VaultError> {
    let bytes = fs::read(src).map_err(|e| VaultError::io("read", src, e))?;
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(dst).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => VaultError::AlreadyExists { path: dst.into() },
        _ => VaultError::io("write", dst, e),
    })?;
    let written = f.write_all(&bytes).and_then(|()| f.sync_all());
    written.map_err(|e| {
        let _ = fs::remove_file(dst);
        VaultError::io("write", dst, e)
    })
}

fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| VaultError::io("sync directory", dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Moves the files of the vault at `from` (a resolved path, locked by the caller) into `dir`. `check` is given the
/// new vault file's bytes once they are in place. Returns the new lock (held) and what was done.
fn relocate(
    from: &Path,
    dir: &Path,
    check: &dyn Fn(&[u8]) -> Result<(), VaultError>,
) -> Result<(VaultLock, Moved), VaultError> {
    let name = from.file_name().ok_or_else(|| VaultError::NotFound { path: from.into() })?;
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(VaultError::AlreadyExists { path: dir.into() });
    }
    let to = dir.join(name);
    let files = companions(from)?;
    let target = |src: &Path| -> PathBuf { src.file_name().map_or_else(|| to.clone(), |n| dir.join(n)) };
    for f in &files {
        let t = target(f);
        if file::exists(&t)? {
            return Err(VaultError::AlreadyExists { path: t });
        }
    }
    file::create_dir(&to)?;
    let lock_path = file::sibling(&to, ".lock");
    let lock_existed = file::exists(&lock_path)?;
    if !lock_existed {
        // Made here (never through a link), so that an unwritable directory is reported as such.
        file::new_file_options().open(&lock_path).map_err(|e| VaultError::io("create", &lock_path, e))?;
    }
    let lock = match file::lock_with(&to, LockMode::Exclusive) {
        Ok(l) => l,
        Err(e) => {
            if !lock_existed {
                let _ = fs::remove_file(&lock_path);
            }
            return Err(e);
        }
    };
    let mut made: Vec<PathBuf> = Vec::new();
    let mut copied = false;
    let attempt = (|| {
        for f in &files {
            let t = target(f);
            copied |= place(f, &t)?;
            made.push(t);
        }
        sync_dir(dir)?;
        let original = file::read(from)?;
        let moved = file::read(&to)?;
        #[cfg(test)]
        if FAIL_CHECK.with(std::cell::Cell::get) {
            return Err(VaultError::Corrupted);
        }
        if moved != original {
            return Err(VaultError::Corrupted);
        }
        check(&moved)?;
        // The new set is complete and checked: the old vault goes first (whoever opens the old path now finds no
        // vault), so a failure here still leaves exactly one vault.
        fs::remove_file(from).map_err(|e| VaultError::io("remove the old vault file", from, e))
    })();
    if let Err(e) = attempt {
        for m in &made {
            let _ = fs::remove_file(m);
        }
        drop(lock);
        if !lock_existed {
            let _ = fs::remove_file(&lock_path);
        }
        return Err(e);
    }
    let mut left_behind = Vec::new();
    let old_lock = file::sibling(from, ".lock");
    let rest = files.iter().filter(|f| f.as_path() != from).cloned();
    let stale = [file::sibling(from, ".tmp"), file::sibling(from, ".bak.tmp")];
    for f in rest.chain(stale).chain([old_lock]) {
        match fs::remove_file(&f) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(_) => left_behind.push(f),
        }
    }
    let old_dir = match from.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let _ = sync_dir(old_dir);
    Ok((lock, Moved { path: to, from: from.to_path_buf(), copied, left_behind }))
}

/// Moves the vault at `path`, which must not be open anywhere (it is locked exclusively for the move:
/// [`VaultError::InUse`] otherwise), into `dir`, as [`Vault::move_to`] does, without its password: the new file is
/// checked to be byte for byte the old one and to parse as a vault (it cannot be decrypted here). For a front end
/// that moves the vault before it asks for the password (the desktop app does a move the user asked for at its
/// next start, before its sandbox is applied).
///
/// # Errors
/// As [`Vault::move_to`]; [`VaultError::NotFound`], [`VaultError::NotAVault`] and the other errors of reading a
/// vault's header for `path`.
pub fn move_vault(path: impl AsRef<Path>, dir: impl AsRef<Path>) -> Result<Moved, VaultError> {
    let path = file::resolve(path.as_ref())?;
    // Checked before the lock, which would otherwise leave a lock file beside whatever `path` is.
    format::parse_file(&file::read(&path)?)?;
    let held = file::lock_with(&path, LockMode::Exclusive)?;
    let (lock, moved) = relocate(&path, dir.as_ref(), &|bytes| format::parse_file(bytes).map(drop))?;
    drop((held, lock));
    Ok(moved)
}

impl Vault {
    /// Moves the vault file, its backup, its signing-log archive and its lock into the directory `dir` (created if
    /// missing), keeping the vault open and locked at its new place: see [`move_vault`]. The
    /// new file is checked to open with this vault's key before the old one is removed. Nothing about the vault's
    /// contents or keys changes.
    ///
    /// # Errors
    /// [`VaultError::ReadOnly`] for a vault opened read-only; [`VaultError::AlreadyExists`] if a file of the vault
    /// (or a file in place of `dir`) is already at the target; [`VaultError::InUse`] if another process holds a
    /// vault lock there; [`VaultError::PermissionDenied`], [`VaultError::DiskFull`], [`VaultError::NotFound`] or
    /// [`VaultError::Io`] from the file system; [`VaultError::Corrupted`] if the copy does not read back. In every
    /// case the vault stays where it was, unchanged, and nothing is left at the target.
    pub fn move_to(&mut self, dir: impl AsRef<Path>) -> Result<Moved, VaultError> {
        if self.read_only {
            return Err(VaultError::ReadOnly);
        }
        let key = &self.key;
        let check = |bytes: &[u8]| {
            let parsed = format::parse_file(bytes)?;
            let plain = seal::open(key, &parsed.header.payload_nonce, parsed.aad, parsed.ciphertext)
                .ok_or(VaultError::Corrupted)?;
            format::parse_payload(plain.expose()).map(drop)
        };
        let (lock, moved) = relocate(&self.path, dir.as_ref(), &check)?;
        self._lock = lock;
        self.path.clone_from(&moved.path);
        Ok(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::Chain;
    use crate::secret::SecretString;
    use crate::vault::KdfParams;

    const G: &str = "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6";

    fn password() -> SecretString {
        SecretString::from("move test".to_owned())
    }

    /// A vault with a contact, saved twice (so it has a backup), a stale temporary file and an archive segment.
    fn setup(dir: &Path) -> Vault {
        let mut v = Vault::create(dir.join("v.coffer"), &password(), KdfParams::insecure_for_tests()).unwrap();
        v.add_contact(Chain::Stellar, "Alice", G).unwrap();
        fs::write(dir.join("v.coffer.log-000000010000-0011223344556677"), b"segment").unwrap();
        fs::write(dir.join("v.coffer.tmp"), b"stale").unwrap();
        fs::write(dir.join("unrelated"), b"stays").unwrap();
        v
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    }

    fn assert_moved(v: &Vault, moved: &Moved, old: &Path, new: &Path) {
        assert_eq!(moved.path, new.join("v.coffer"));
        assert_eq!(v.path(), moved.path);
        assert!(moved.left_behind.is_empty());
        assert_eq!(names(old), ["unrelated"]);
        assert_eq!(
            names(new),
            ["v.coffer", "v.coffer.bak", "v.coffer.lock", "v.coffer.log-000000010000-0011223344556677"]
        );
        assert_eq!(fs::read(new.join("v.coffer.log-000000010000-0011223344556677")).unwrap(), b"segment");
    }

    fn reopen_and_save(mut v: Vault, new: &Path) {
        // Still locked at the new place; saves go there; it reopens with its contents.
        assert!(matches!(Vault::open(new.join("v.coffer"), &password()), Err(crate::vault::OpenError::InUse { .. })));
        v.add_contact(Chain::Iota, "Bob", &format!("0x{}", "ab".repeat(32))).unwrap();
        drop(v);
        let v = Vault::open(new.join("v.coffer"), &password()).unwrap();
        assert_eq!(v.contacts().len(), 2);
    }

    #[test]
    fn same_file_system_moves_by_link_and_keeps_everything() {
        let (old, root) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let mut v = setup(&old);
        let new = root.join("a/b");
        let moved = v.move_to(&new).unwrap();
        assert!(!moved.copied);
        assert_moved(&v, &moved, &old, &new);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&new).unwrap().permissions().mode() & 0o777, 0o700, "a created directory");
        }
        reopen_and_save(v, &new);
    }

    #[test]
    fn the_copy_path_copies_checks_and_removes() {
        let (old, root) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let mut v = setup(&old);
        FORCE_COPY.with(|f| f.set(true));
        let moved = v.move_to(root.path());
        FORCE_COPY.with(|f| f.set(false));
        let moved = moved.unwrap();
        assert!(moved.copied);
        assert_moved(&v, &moved, &old, &root);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(root.join("v.coffer")).unwrap().permissions().mode() & 0o777, 0o600);
        }
        reopen_and_save(v, &root);
    }

    /// A real second file system, where one is at hand (`/dev/shm` is a tmpfs on Linux): hard links fail with
    /// EXDEV and the files are copied.
    #[test]
    fn another_file_system_is_copied_to() {
        let shm = Path::new("/dev/shm");
        let old = coffer_test_util::TempDir::new("move-old");
        #[cfg(unix)]
        let other_device = {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(shm).is_ok_and(|m| m.dev() != fs::metadata(old.path()).unwrap().dev())
        };
        #[cfg(not(unix))]
        let other_device = false;
        if !other_device {
            eprintln!(
                "no second file system here: the copy path is covered by the_copy_path_copies_checks_and_removes"
            );
            return;
        }
        let new = shm.join(format!("coffer-move-{}", std::process::id()));
        let mut v = setup(&old);
        let moved = v.move_to(&new).unwrap();
        assert!(moved.copied);
        assert_moved(&v, &moved, &old, &new);
        reopen_and_save(v, &new);
        fs::remove_dir_all(&new).unwrap();
    }

    #[test]
    fn an_existing_target_is_refused_and_nothing_changes() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let mut v = setup(&old);
        let before = names(&old);
        for existing in ["v.coffer", "v.coffer.bak", "v.coffer.log-000000010000-0011223344556677"] {
            fs::write(new.join(existing), b"someone else's").unwrap();
            let e = v.move_to(new.path()).unwrap_err();
            assert!(matches!(&e, VaultError::AlreadyExists { path } if *path == new.join(existing)), "{e:?}");
            assert_eq!(names(&new), [existing], "nothing added at the target");
            assert_eq!(fs::read(new.join(existing)).unwrap(), b"someone else's");
            fs::remove_file(new.join(existing)).unwrap();
        }
        // Moving to where it is: the vault itself is the existing target.
        assert!(matches!(v.move_to(old.path()), Err(VaultError::AlreadyExists { .. })));
        // A file in place of the directory.
        fs::write(new.join("file"), b"").unwrap();
        assert!(matches!(v.move_to(new.join("file")), Err(VaultError::AlreadyExists { .. })));
        assert_eq!(names(&old), before);
        assert_eq!(v.path(), old.join("v.coffer"));
        v.add_contact(Chain::Iota, "Bob", &format!("0x{}", "ab".repeat(32))).unwrap();
    }

    #[test]
    fn a_vault_locked_at_the_target_is_refused() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let mut v = setup(&old);
        let held = file::lock_with(&new.join("v.coffer"), LockMode::Exclusive).unwrap();
        assert!(matches!(v.move_to(new.path()), Err(VaultError::InUse { .. })));
        drop(held);
        assert_eq!(names(&new), ["v.coffer.lock"], "the lock file was there before");
        assert_eq!(v.path(), old.join("v.coffer"));
    }

    /// Runs `f` on a thread that may write only beneath `writable` (Landlock, which binds root too), or returns
    /// `None` where the kernel does not enforce it.
    #[cfg(all(target_os = "linux", feature = "sandbox"))]
    fn confined<T: Send>(writable: &[PathBuf], f: impl FnOnce() -> T + Send) -> Option<T> {
        std::thread::scope(|s| {
            s.spawn(|| {
                let report = crate::sandbox::restrict(writable);
                matches!(
                    report.status,
                    crate::sandbox::SandboxStatus::Enforced | crate::sandbox::SandboxStatus::Partial
                )
                .then(f)
            })
            .join()
            .unwrap()
        })
    }

    #[cfg(all(target_os = "linux", feature = "sandbox"))]
    #[test]
    fn an_unwritable_target_is_refused_and_nothing_changes() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let v = setup(&old);
        let before = names(&old);
        let result = confined(&[old.to_path_buf()], || {
            let mut v = v;
            let into = v.move_to(new.path()).map(drop);
            let below = v.move_to(new.join("sub")).map(drop);
            (into, below, v)
        });
        let Some((into, below, v)) = result else {
            eprintln!("Landlock is not enforced here: skipped");
            return;
        };
        assert!(matches!(into, Err(VaultError::PermissionDenied { .. })), "{into:?}");
        assert!(matches!(below, Err(VaultError::PermissionDenied { .. })), "{below:?}");
        assert!(names(&new).is_empty());
        assert_eq!(names(&old), before);
        assert_eq!(v.path(), old.join("v.coffer"));
    }

    /// A source directory where the old vault cannot be removed: the move is undone, not half done.
    #[cfg(all(target_os = "linux", feature = "sandbox"))]
    #[test]
    fn an_old_vault_that_cannot_be_removed_undoes_the_move() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let v = setup(&old);
        let before = names(&old);
        let result = confined(&[new.to_path_buf()], || {
            let mut v = v;
            (v.move_to(new.path()).map(drop), v)
        });
        let Some((e, v)) = result else {
            eprintln!("Landlock is not enforced here: skipped");
            return;
        };
        assert!(matches!(e, Err(VaultError::PermissionDenied { .. })), "{e:?}");
        assert!(names(&new).is_empty(), "{:?}", names(&new));
        assert_eq!(names(&old), before);
        assert_eq!(v.path(), old.join("v.coffer"));
    }

    #[test]
    fn a_copy_that_does_not_check_out_is_undone() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let mut v = setup(&old);
        let before = names(&old);
        FORCE_COPY.with(|f| f.set(true));
        FAIL_CHECK.with(|f| f.set(true));
        let e = v.move_to(new.path());
        FORCE_COPY.with(|f| f.set(false));
        FAIL_CHECK.with(|f| f.set(false));
        assert!(matches!(e, Err(VaultError::Corrupted)), "{e:?}");
        assert!(names(&new).is_empty(), "{:?}", names(&new));
        assert_eq!(names(&old), before);
        v.add_contact(Chain::Iota, "Bob", &format!("0x{}", "ab".repeat(32))).unwrap();
        drop(v);
        Vault::open(old.join("v.coffer"), &password()).unwrap();
    }

    #[test]
    fn a_closed_vault_moves_without_its_password_and_an_open_one_is_refused() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        let v = setup(&old);
        assert!(matches!(move_vault(old.join("v.coffer"), new.path()), Err(VaultError::InUse { .. })));
        drop(v);
        assert!(matches!(move_vault(old.join("missing"), new.path()), Err(VaultError::NotFound { .. })));
        fs::write(old.join("not-a-vault"), b"hello").unwrap();
        assert!(matches!(move_vault(old.join("not-a-vault"), new.path()), Err(VaultError::NotAVault)));
        fs::remove_file(old.join("not-a-vault")).unwrap();
        let moved = move_vault(old.join("v.coffer"), new.path()).unwrap();
        assert_eq!(moved.path, new.join("v.coffer"));
        assert_eq!(names(&old), ["unrelated"]);
        let v = Vault::open(new.join("v.coffer"), &password()).unwrap();
        assert_eq!(v.contacts().len(), 1);
    }

    #[test]
    fn a_read_only_vault_is_not_moved() {
        let (old, new) = (coffer_test_util::TempDir::new("move-old"), coffer_test_util::TempDir::new("move-new"));
        drop(setup(&old));
        let mut v = Vault::open_read_only(old.join("v.coffer"), &password()).unwrap();
        assert!(matches!(v.move_to(new.path()), Err(VaultError::ReadOnly)));
        assert!(names(&new).is_empty());
    }
}
