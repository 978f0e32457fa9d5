//! The GUI's Landlock sandbox: once the window is open, writing is allowed only in the vault's directory and the
//! settings directory (plus `/dev`, which core adds for the GPU), and TCP connect/bind is denied. Reading is not
//! restricted: the "Open file" field of the sign screen reads anywhere.
//!
//! Found by running the app under Xvfb with the sandbox on (see docs/desktop-app.md): the X11 or Wayland socket,
//! the GL context and the DRI device are opened before [`restrict_gui`] runs; egui's fonts are compiled in; the
//! clipboard (arboard) opens a second X11 connection over the Unix socket, which Landlock's file-system rules at
//! ABI 8 do not cover; Mesa's shader cache in `~/.cache` cannot be written afterwards and Mesa carries on without it.

use std::path::PathBuf;

use coffer_core::sandbox::{self, SandboxReport};

use crate::AppOptions;

/// The directories the app must be able to write: the vault's (created if missing, so a first run can create the
/// vault and its exports folder) and the settings file's. A symbolic link at the vault path adds its target's
/// directory: the vault is saved beside its target.
#[must_use]
pub fn writable_dirs(options: &AppOptions) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let target = options
        .vault_path
        .as_deref()
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
        .and_then(|p| std::fs::canonicalize(p).ok());
    let files = [options.vault_path.as_deref(), target.as_deref(), options.settings_path.as_deref()];
    for file in files.into_iter().flatten() {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Best effort: a directory that cannot be made is reported by the first save.
            let _ = std::fs::create_dir_all(dir);
            if !dirs.iter().any(|d: &PathBuf| d == dir) {
                dirs.push(dir.to_path_buf());
            }
        }
    }
    dirs
}

/// Restricts the process (every thread started from now on inherits it) and says what was achieved.
#[must_use]
pub fn restrict_gui(options: &AppOptions) -> SandboxReport {
    sandbox::restrict(&writable_dirs(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vault_and_settings_directories_are_made_and_listed_once() {
        let root = std::env::temp_dir().join(format!("coffer-gui-sandbox-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mut options = AppOptions::for_tests(root.join("data/vault.coffer"));
        options.settings_path = Some(root.join("config/coffer/gui.conf"));
        let dirs = writable_dirs(&options);
        assert_eq!(dirs, vec![root.join("data"), root.join("config/coffer")]);
        assert!(dirs.iter().all(|d| d.is_dir()));
        options.settings_path = Some(root.join("data/gui.conf"));
        assert_eq!(writable_dirs(&options), vec![root.join("data")]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// A vault path that is a symbolic link: the vault is saved beside the link's target, so that directory is
    /// writable too.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_vault_adds_its_target_directory() {
        let root = std::env::temp_dir().join(format!("coffer-gui-sandbox-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::create_dir_all(root.join("links")).unwrap();
        std::fs::write(root.join("real/vault.coffer"), b"").unwrap();
        std::os::unix::fs::symlink(root.join("real/vault.coffer"), root.join("links/vault.coffer")).unwrap();
        let options = AppOptions::for_tests(root.join("links/vault.coffer"));
        let real = std::fs::canonicalize(root.join("real")).unwrap();
        assert_eq!(writable_dirs(&options), vec![root.join("links"), real]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
