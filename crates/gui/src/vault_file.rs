//! Which vault file the app uses, and moving it: the path chosen in Settings ("Open another vault…", kept in the
//! settings as `vault = PATH`), and a move the user asked for ("Move vault…").
//!
//! The app's sandbox (see [`crate::sandbox`]) allows writing only in the directories of the vault and settings it
//! started with, and Landlock cannot be widened later. So a vault in another directory, or a move into one, can only
//! be used (or done) by a process started afterwards: the app then records the choice and does it at its next
//! start, in `main`, before the sandbox is applied ([`startup`]). Without the sandbox (tests, systems without
//! Landlock) it is done at once.

use std::path::{Path, PathBuf};

use coffer_core::sandbox::{SandboxReport, SandboxStatus};
use coffer_core::vault::{self, Vault};

use crate::settings::Settings;

/// The vault the app opens: `$COFFER_VAULT` if set, else the one chosen in the app (`settings.vault`), else the
/// default place.
#[must_use]
pub fn chosen_path(settings: &Settings) -> Option<PathBuf> {
    let env = std::env::var_os(vault::ENV_VAR).filter(|v| !v.is_empty());
    match (env, &settings.vault) {
        (None, Some(p)) => Some(p.clone()),
        _ => vault::default_path().ok(),
    }
}

/// Whether this session may write in `dir`: always without an enforced sandbox, else only beneath the directories
/// it allowed.
#[must_use]
pub fn writable_now(sandbox: Option<&SandboxReport>, dir: &Path) -> bool {
    let Some(report) = sandbox.filter(|r| matches!(r.status, SandboxStatus::Enforced | SandboxStatus::Partial)) else {
        return true;
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    report.writable.iter().any(|w| dir.starts_with(std::fs::canonicalize(w).unwrap_or_else(|_| w.clone())))
}

/// The canonical path of a vault file that no longer exists (it was moved): its directory's canonical path and
/// its name.
#[must_use]
pub fn canonical_gone(path: &Path) -> PathBuf {
    match (path.parent().and_then(|d| std::fs::canonicalize(d).ok()), path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Checks a typed path to another vault: absolute, an existing file, and a vault whose header this build reads.
///
/// # Errors
/// What is wrong, in words.
pub fn check_other_vault(text: &str) -> Result<PathBuf, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type the path of a vault file.".into());
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err("Type the full path (starting with /).".into());
    }
    Vault::read_info(&path).map(|_| path).map_err(|e| format!("This is not a vault Coffer can open: {e}."))
}

/// Checks a typed target directory for a move: absolute, and not the vault's own directory.
///
/// # Errors
/// What is wrong, in words.
pub fn check_move_target(text: &str, current: Option<&Path>) -> Result<PathBuf, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type the directory to move the vault into.".into());
    }
    let dir = PathBuf::from(text);
    if !dir.is_absolute() {
        return Err("Type the full path (starting with /).".into());
    }
    if dir.is_file() {
        return Err("This is a file: type a directory (it is created if missing).".into());
    }
    let same = |a: &Path, b: &Path| {
        std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
    };
    if let Some(parent) = current.and_then(Path::parent)
        && (parent == dir || same(parent, &dir))
    {
        return Err("The vault is already in this directory.".into());
    }
    if let Some(name) = current.and_then(Path::file_name)
        && dir.join(name).exists()
    {
        return Err(format!("A file named {} is already there: Coffer does not overwrite it.", name.to_string_lossy()));
    }
    Ok(dir)
}

/// At start, before the sandbox: does the move the user asked for in an earlier session (`settings.move_vault_to`),
/// then points the settings (and the returned path) at the moved vault. Saves the settings when they changed.
/// Returns the vault path to use and what to tell the user.
#[must_use]
pub fn startup(settings_path: Option<&Path>, vault_path: Option<PathBuf>) -> (Option<PathBuf>, Option<String>) {
    let Some(settings_path) = settings_path else { return (vault_path, None) };
    let mut settings = Settings::load(settings_path);
    let (Some(dir), Some(from)) = (settings.move_vault_to.take(), vault_path.clone()) else {
        return (vault_path, None);
    };
    let old_canonical = std::fs::canonicalize(&from).unwrap_or_else(|_| from.clone());
    let (path, notice) = match vault::move_vault(&from, &dir) {
        Ok(moved) => {
            settings.vault = Some(moved.path.clone());
            let new_canonical = std::fs::canonicalize(&moved.path).unwrap_or_else(|_| moved.path.clone());
            settings.vault_moved(&old_canonical, &new_canonical);
            let mut text = format!("The vault was moved to {} as you asked.", moved.path.display());
            if !moved.left_behind.is_empty() {
                let left: Vec<String> = moved.left_behind.iter().map(|p| p.display().to_string()).collect();
                text.push_str(&format!(" These old files could not be removed: delete them: {}.", left.join(", ")));
            }
            (Some(moved.path), text)
        }
        Err(e) => (vault_path, format!("The vault could not be moved to {}: {e}. It is where it was.", dir.display())),
    };
    let notice = match settings.save(settings_path) {
        Ok(()) => notice,
        Err(e) => format!("{notice} (The settings could not be saved: {e}.)"),
    };
    (path, Some(notice))
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::secret::SecretString;

    #[test]
    fn typed_paths_are_checked() {
        let dir = coffer_test_util::TempDir::new("gui-vault-file");
        let path = dir.join("v.coffer");
        let password = SecretString::from("pw".to_owned());
        drop(Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap());
        assert_eq!(check_other_vault(&format!(" {} ", path.display())).unwrap(), path);
        assert!(check_other_vault("").is_err());
        assert!(check_other_vault("relative/v.coffer").unwrap_err().contains("full path"));
        assert!(check_other_vault(&dir.join("missing").display().to_string()).unwrap_err().contains("not a vault"));
        std::fs::write(dir.join("text"), b"hello").unwrap();
        assert!(check_other_vault(&dir.join("text").display().to_string()).unwrap_err().contains("not a vault"));

        let current = Some(path.as_path());
        assert!(check_move_target(&dir.display().to_string(), current).unwrap_err().contains("already in"));
        assert!(check_move_target("rel", current).is_err());
        assert!(check_move_target(&dir.join("text").display().to_string(), current).unwrap_err().contains("file"));
        let other = dir.join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("v.coffer"), b"x").unwrap();
        assert!(check_move_target(&other.display().to_string(), current).unwrap_err().contains("already there"));
        assert_eq!(check_move_target(&dir.join("new").display().to_string(), current).unwrap(), dir.join("new"));
    }

    #[test]
    fn writable_only_beneath_the_sandbox_directories() {
        let report = |status| SandboxReport {
            status,
            abi: Some(6),
            tcp_denied: true,
            udp_denied: false,
            abstract_unix_denied: true,
            threads_at_restriction: Some(1),
            writable: vec![PathBuf::from("/home/u/.local/share/coffer")],
            note: None,
        };
        let enforced = report(SandboxStatus::Enforced);
        assert!(writable_now(Some(&enforced), Path::new("/home/u/.local/share/coffer/sub")));
        assert!(!writable_now(Some(&enforced), Path::new("/media/usb")));
        assert!(writable_now(Some(&report(SandboxStatus::NotEnforced)), Path::new("/media/usb")));
        assert!(writable_now(None, Path::new("/media/usb")));
    }

    #[test]
    fn a_pending_move_is_done_at_start_and_the_settings_follow() {
        let dir = coffer_test_util::TempDir::new("gui-vault-startup");
        let path = dir.join("data/v.coffer");
        let password = SecretString::from("pw".to_owned());
        drop(Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap());
        let settings_path = dir.join("config/gui.conf");
        let mut s = Settings { move_vault_to: Some(dir.join("moved")), ..Settings::default() };
        let canonical = std::fs::canonicalize(&path).unwrap();
        s.observe_vault(&canonical, vault::SeenState { generation: 9, log_entries: 0, log_head: [0; 32] });
        s.save(&settings_path).unwrap();

        let (now, notice) = startup(Some(&settings_path), Some(path.clone()));
        assert_eq!(now.as_deref(), Some(dir.join("moved/v.coffer").as_path()));
        assert!(notice.unwrap().contains("was moved"));
        assert!(!path.exists());
        let saved = Settings::load(&settings_path);
        assert_eq!((saved.vault.clone(), saved.move_vault_to.clone()), (now.clone(), None));
        let new_canonical = std::fs::canonicalize(dir.join("moved/v.coffer")).unwrap();
        assert!(saved.seen.contains_key(&vault::SeenState::key_for(&new_canonical)));
        assert_eq!(saved.seen.len(), 1);
        Vault::open(dir.join("moved/v.coffer"), &password).unwrap();

        // A move that cannot be done (a vault already there) is reported once; the vault stays.
        let back = Settings { move_vault_to: Some(dir.join("moved")), ..saved };
        back.save(&settings_path).unwrap();
        let (same, notice) = startup(Some(&settings_path), now.clone());
        assert_eq!(same, now);
        assert!(notice.unwrap().contains("could not be moved"));
        assert_eq!(Settings::load(&settings_path).move_vault_to, None, "not tried again");
        // Nothing pending: nothing done, nothing said.
        assert_eq!(startup(Some(&settings_path), now.clone()), (now, None));
    }
}
