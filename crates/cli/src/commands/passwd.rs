//! `coffer passwd`: change the vault password (and key-derivation strength).

use coffer_keyring::Keyring;
use serde_json::json;

use super::keyring::{entry_word, report_disabled};
use super::vault::{kdf_params, one_stdin, open_with_password, report_stale_backup};
use crate::cli::{Global, PasswdArgs};
use crate::error::{CliError, code};
use crate::input::{read_new_password, read_new_password_from};
use crate::output::{print_json, print_line};

/// Needs the current password (quick unlock does not stand in for it). Quick unlock is turned off first, slot and
/// keyring entry: the new vault key would not be in the old slot anyway, and turning it back on is a deliberate
/// `coffer keyring enable`.
pub fn run(g: &Global, args: &PasswdArgs) -> Result<(), CliError> {
    one_stdin(&[g.password_file.as_deref(), args.new_password_file.as_deref()])?;
    let mut vault = open_with_password(g)?;
    let new = match &args.new_password_file {
        Some(file) => read_new_password(Some(file))?,
        None => read_new_password_from("New vault password: ").map_err(|e| {
            if e.code() == code::USAGE {
                CliError::new(
                    code::USAGE,
                    "password_required",
                    "a new password is needed: give --new-password-file FILE (or - for standard input), or run on a \
                     terminal",
                )
            } else {
                e
            }
        })?,
    };
    let params = kdf_params(&args.kdf)?;
    // Only a vault with quick unlock on talks to the keyring.
    let quick = if vault.has_device_slot() { Some(Keyring::os().disable(&mut vault)?) } else { None };
    if let Some(done) = &quick {
        report_disabled(g, &vault, done);
    }
    // The new password is in effect once this returns: a backup that could not be refreshed is a warning.
    let rekeyed = vault.change_password(&new, params)?;
    report_stale_backup(g, &vault, rekeyed.stale_backup.as_ref());
    if g.json {
        let mut out = json!({
            "changed": true,
            "kdf": { "memory_kib": params.memory_kib(), "passes": params.passes(), "lanes": params.lanes() },
            "quick_unlock_removed": quick.is_some(),
            "backup_refreshed": rekeyed.stale_backup.is_none(),
        });
        if let Some(done) = &quick {
            out["keyring_entry"] = json!(entry_word(&done.entry));
        }
        print_json(&out)
    } else {
        print_line("Vault password changed.")?;
        if quick.is_some() {
            print_line("Quick unlock was turned off; `coffer keyring enable` turns it on again.")?;
        }
        Ok(())
    }
}
