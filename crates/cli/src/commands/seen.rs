//! Noticing a vault rolled back to an older copy: the state of each vault last seen by the CLI is kept in
//! `$XDG_CONFIG_HOME/coffer/seen/<key>` (else `~/.config/coffer/seen/<key>`), one small file per vault named by a
//! hash of its canonical path, holding no secrets. Opening a vault whose state went back prints a `vault_rollback`
//! warning; the state is recorded when the command is done with the vault.

use std::io::Write;
use std::path::{Path, PathBuf};

use coffer_core::vault::{SeenState, Vault};

use crate::output::warn;

/// The directory of the seen-state files.
pub fn dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = var("XDG_CONFIG_HOME").filter(|d| d.is_absolute()).or_else(|| var("HOME").map(|h| h.join(".config")))?;
    Some(base.join("coffer").join("seen"))
}

/// The seen-state file of the vault at `vault` (which must exist: its path is canonicalized).
pub fn file_for(vault: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(vault).ok()?;
    Some(dir()?.join(SeenState::key_for(&canonical)))
}

fn load(file: &Path) -> Option<SeenState> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().filter(|l| !l.starts_with('#')).find_map(SeenState::from_text)
}

/// Warns if `vault` went back compared with the state last seen of it.
pub fn check(json: bool, vault: &Vault) {
    let Some(seen) = file_for(vault.path()).and_then(|f| load(&f)) else { return };
    if let Some(regression) = vault.seen_state().compare(&seen) {
        warn(
            json,
            "vault_rollback",
            &format!(
                "the vault {} looks older than the one last seen here: {regression}. It may have been replaced by a \
                 backup or an older copy, which drops the signing-log entries (and any other change) made since; if \
                 you restored it on purpose, ignore this",
                vault.path().display()
            ),
        );
    }
}

/// Carries the state seen of a vault that was moved (`before`: its file, found while the vault was at its old path)
/// over to the vault's new path. Best effort, as [`record`].
pub fn moved(before: Option<&Path>, new_vault: &Path) {
    if let (Some(before), Some(after)) = (before, file_for(new_vault))
        && before != after
    {
        let _ = std::fs::rename(before, after);
    }
}

/// Records the state of `vault` as the last seen. Best effort: failing to record must not fail the command.
pub fn record(vault: &Vault) {
    let Some(file) = file_for(vault.path()) else { return };
    let _ = write(&file, vault.path(), &vault.seen_state());
}

fn write(file: &Path, vault: &Path, state: &SeenState) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)?;
    let tmp = file.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(&tmp)?;
    writeln!(f, "# Coffer: the state last seen of the vault {} (no secrets)", vault.display())?;
    writeln!(f, "{}", state.to_text())?;
    f.sync_all()?;
    std::fs::rename(&tmp, file)
}
