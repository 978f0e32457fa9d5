//! Finding, opening and describing the vault; `coffer info`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use coffer_core::vault::{self, KdfParams, OpenError, OpenOptions, Vault, VaultError};
use coffer_keyring::{Keyring, KeyringError, UnlockError};
use serde_json::json;

use crate::cli::{Global, KdfArgs};
use crate::error::{CliError, code};
use crate::input::read_password;
use crate::output::{print_json, print_table, warn};

/// The vault path: `--vault`, else `$COFFER_VAULT`, else the platform default.
pub fn path(g: &Global) -> Result<PathBuf, CliError> {
    match &g.vault {
        Some(p) => Ok(p.clone()),
        None => Ok(vault::default_path()?),
    }
}

/// An open vault for one command. Opening it checks the state last seen of the vault (a `vault_rollback` warning
/// if it went back, see [`super::seen`]); when the command is done with it, its state is recorded.
pub struct OpenVault(Vault);

impl OpenVault {
    fn new(g: &Global, vault: Vault) -> Self {
        super::seen::check(g.json, &vault);
        Self(vault)
    }
}

impl std::ops::Deref for OpenVault {
    type Target = Vault;
    fn deref(&self) -> &Vault {
        &self.0
    }
}

impl std::ops::DerefMut for OpenVault {
    fn deref_mut(&mut self) -> &mut Vault {
        &mut self.0
    }
}

impl Drop for OpenVault {
    fn drop(&mut self) {
        super::seen::record(&self.0);
    }
}

/// Opens the vault for a command. With quick unlock on (a device slot in the vault) and no `--password-file`, the
/// device key comes from the OS keyring; if that does not work, one line on standard error says why and the
/// password is asked for as usual. Otherwise see [`open_with_password`].
pub fn open(g: &Global) -> Result<OpenVault, CliError> {
    open_as(g, Access::Write)
}

/// Opens the vault for a command that only reads it (`seed list`, `address --seed`, `log`): under a shared lock, so
/// several readers can run at once (a writer still excludes them, and they it). The one exception: a vault below the
/// key-derivation policy unlocked by password is opened for writing, so that it is strengthened as on every unlock.
pub fn open_read(g: &Global) -> Result<OpenVault, CliError> {
    open_as(g, Access::Read)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

fn open_as(g: &Global, access: Access) -> Result<OpenVault, CliError> {
    let path = path(g)?;
    // Fail on a missing or unreadable file before asking for a password.
    let info = Vault::read_info(&path)?;
    if g.password_file.is_none() && info.device_slot {
        let keyring = Keyring::os();
        let unlocked = match access {
            Access::Write => keyring.try_unlock(&path),
            Access::Read => keyring.try_unlock_read_only(&path),
        };
        match unlocked {
            Ok(Some(v)) => return Ok(OpenVault::new(g, v)),
            Ok(None) => {}
            Err(UnlockError::Keyring(e)) => quick_unlock_failed(g, &e),
            Err(UnlockError::Vault(e)) => return Err(e.into()),
            Err(e) => return Err(CliError::new(code::FAILURE, "keyring_error", e.to_string())),
        }
    }
    match access {
        Access::Write => unlock_with_password(g, &path),
        Access::Read if info.needs_upgrade => unlock_with_password(g, &path),
        Access::Read => {
            let password = read_password(g.password_file.as_deref(), "Vault password: ")?;
            let options = OpenOptions::default().allow_expensive_kdf(g.allow_expensive_kdf);
            let vault = Vault::open_read_only_with_options(&path, &password, options).map_err(expensive_hint)?;
            Ok(OpenVault::new(g, vault))
        }
    }
}

/// Opens the vault with the password only (from `--password-file` or the terminal), never the keyring: for the
/// commands that must prove the password (`passwd`, `keyring enable`, `seed remove`).
pub fn open_with_password(g: &Global) -> Result<OpenVault, CliError> {
    let path = path(g)?;
    Vault::read_info(&path)?;
    unlock_with_password(g, &path)
}

/// Makes sure the password was given in this session, asking for it (terminal, or `--password-file`) after a quick
/// unlock: removing a way in (a quick-unlock slot, a compromised seed) gives the vault a new key, which only the
/// password can seal.
pub fn confirm_password(g: &Global, vault: &mut Vault) -> Result<(), CliError> {
    if vault.password_confirmed() {
        return Ok(());
    }
    let password = read_password(
        g.password_file.as_deref(),
        "Vault password (this gives the vault a new key; quick unlock cannot seal it): ",
    )?;
    Ok(vault.confirm_password(&password)?)
}

/// Warns when `<vault>.bak` could not be pointed at the file just saved under a new key.
pub fn report_stale_backup(g: &Global, vault: &Vault, stale: Option<&VaultError>) {
    if let Some(e) = stale {
        warn(
            g.json,
            "backup_not_refreshed",
            &format!(
                "the change is saved, but {} could not be replaced by the new file ({e}); it still opens with the \
                 previous password or quick-unlock key: delete it",
                vault::backup_path(vault.path()).display()
            ),
        );
    }
}

/// The warning printed when quick unlock is on but did not open the vault.
fn quick_unlock_failed(g: &Global, e: &KeyringError) {
    let hint = if e.slot_is_stale() {
        " (`coffer keyring enable` renews quick unlock, `coffer keyring disable` removes the stale slot)"
    } else {
        ""
    };
    warn(g.json, e.kind(), &format!("quick unlock did not work: {e}; the password is needed{hint}"));
}

/// A key derivation refused as expensive: the error says how to run it anyway.
fn expensive_hint(e: OpenError) -> CliError {
    match e {
        OpenError::ExpensiveKdf { .. } => {
            let hint = "; if you trust this file, run again with --allow-expensive-kdf";
            let err = CliError::from(e);
            CliError::new(err.code(), err.kind(), format!("{}{hint}", err.message()))
        }
        other => other.into(),
    }
}

/// Opens with the password. A vault whose key derivation is weaker than the current policy is re-encrypted with
/// calibrated parameters right away (after the rollback check, which must see the file as it was).
fn unlock_with_password(g: &Global, path: &Path) -> Result<OpenVault, CliError> {
    let password = read_password(g.password_file.as_deref(), "Vault password: ")?;
    let options = OpenOptions::default().allow_expensive_kdf(g.allow_expensive_kdf);
    let mut v = OpenVault::new(g, Vault::open_with_options(path, &password, options).map_err(expensive_hint)?);
    if v.needs_upgrade() {
        let params = KdfParams::calibrate(Duration::from_secs(1))?;
        v.upgrade(&password, params)?;
        eprintln!(
            "coffer: the vault's key derivation was below the current policy and has been strengthened \
             ({} MiB, {} passes, {} lanes)",
            params.memory_kib() / 1024,
            params.passes(),
            params.lanes()
        );
    }
    Ok(v)
}

/// Key-derivation parameters for a new vault or password: calibrated to about one second, or the stronger values
/// the user chose.
pub fn kdf_params(args: &KdfArgs) -> Result<KdfParams, CliError> {
    let base = match (args.kdf_memory_mib, args.kdf_passes) {
        (Some(_), Some(_)) => KdfParams::policy_minimum(),
        _ => KdfParams::calibrate(Duration::from_secs(1))?,
    };
    kdf_params_over(args, base)
}

/// Checks the values the user chose, without calibrating (quick, and no Argon2 threads yet).
pub fn check_kdf_args(args: &KdfArgs) -> Result<(), CliError> {
    kdf_params_over(args, KdfParams::policy_minimum()).map(drop)
}

fn kdf_params_over(args: &KdfArgs, base: KdfParams) -> Result<KdfParams, CliError> {
    let memory_kib = match args.kdf_memory_mib {
        Some(mib) => mib
            .checked_mul(1024)
            .ok_or_else(|| CliError::invalid("invalid_kdf_params", "--kdf-memory-mib is too large (at most 4096)"))?,
        None => base.memory_kib(),
    };
    let passes = args.kdf_passes.unwrap_or(base.passes());
    let params = KdfParams::new(memory_kib, passes, base.lanes())?;
    if !params.meets_policy() {
        return Err(CliError::invalid(
            "invalid_kdf_params",
            format!(
                "key derivation weaker than the policy (at least {} MiB and {} passes)",
                KdfParams::POLICY_MIN_MEMORY_KIB / 1024,
                KdfParams::POLICY_MIN_PASSES
            ),
        ));
    }
    Ok(params)
}

/// Refuses when two secrets would both be read from standard input.
pub fn one_stdin(inputs: &[Option<&Path>]) -> Result<(), CliError> {
    if inputs.iter().flatten().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(CliError::new(
            code::USAGE,
            "conflicting_arguments",
            "only one input can come from standard input (-); put the others in files",
        ));
    }
    Ok(())
}

/// `coffer info`.
pub fn info(g: &Global) -> Result<(), CliError> {
    let path = path(g)?;
    let info = Vault::read_info(&path)?;
    if g.json {
        return print_json(&json!({
            "path": path.display().to_string(),
            "format_version": info.version,
            "kdf": {
                "algorithm": "argon2id",
                "memory_kib": info.memory_kib,
                "passes": info.passes,
                "lanes": info.lanes,
                "expensive": info.expensive_kdf,
                "estimated_seconds": info.kdf_cost.estimate.as_secs_f64(),
                "relative_work": info.kdf_cost.relative_work,
            },
            "meets_policy": !info.needs_upgrade,
            "quick_unlock_slot": info.device_slot,
        }));
    }
    print_table(
        &["FIELD", "VALUE"],
        &[
            vec!["path".into(), path.display().to_string()],
            vec!["format version".into(), info.version.to_string()],
            vec!["kdf".into(), "argon2id".into()],
            vec!["kdf memory".into(), format!("{} KiB", info.memory_kib)],
            vec!["kdf passes".into(), info.passes.to_string()],
            vec!["kdf lanes".into(), info.lanes.to_string()],
            vec![
                "kdf estimate".into(),
                format!(
                    "{} ({}x the policy floor){}",
                    info.kdf_cost.estimate_words(),
                    info.kdf_cost.relative_work,
                    if info.expensive_kdf { "; expensive: unlocking needs --allow-expensive-kdf" } else { "" }
                ),
            ],
            vec!["meets policy".into(), (!info.needs_upgrade).to_string()],
            vec!["quick unlock slot".into(), info.device_slot.to_string()],
        ],
    )
}

/// `coffer vault move --to DIR`: moves the vault (with its backup, signing-log archive and lock) into `DIR`, checks
/// the new file opens with the vault's key before the old one is removed, and carries the rollback-warning state
/// over to the new path. The vault password is asked as for any command (quick unlock works).
pub fn move_to(g: &Global, args: &crate::cli::VaultMoveArgs) -> Result<(), CliError> {
    let mut vault = open(g)?;
    // The rollback-warning state is kept per canonical path: found now, while the old path exists.
    let seen_before = super::seen::file_for(vault.path());
    let moved = vault.move_to(&args.to)?;
    super::seen::moved(seen_before.as_deref(), &moved.path);
    for left in &moved.left_behind {
        warn(g.json, "file_left_behind", &format!("could not remove {} after the move: delete it", left.display()));
    }
    let hint = if g.vault.is_some() || std::env::var_os(vault::ENV_VAR).is_some() {
        "pass the new path with --vault (or in COFFER_VAULT) from now on"
    } else {
        "set COFFER_VAULT (or pass --vault) to the new path from now on: it is no longer at the default place"
    };
    if g.json {
        print_json(&json!({
            "from": moved.from.display().to_string(),
            "path": moved.path.display().to_string(),
            "copied": moved.copied,
            "left_behind": moved.left_behind.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        }))
    } else {
        crate::output::print_line(&format!(
            "Moved the vault from {} to {}{}; {hint}.",
            moved.from.display(),
            moved.path.display(),
            if moved.copied { " (copied to the other file system, checked, then removed)" } else { "" }
        ))
    }
}
