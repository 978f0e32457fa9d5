//! `coffer keyring enable|disable|status`: quick unlock through the OS keyring.

use coffer_keyring::{Disabled, EntryRemoval, Keyring};
use serde_json::json;

use super::vault::{confirm_password, open, open_with_password, path};
use crate::cli::Global;
use crate::error::CliError;
use crate::output::{print_json, print_line, print_table, warn};

/// `coffer keyring enable`: always with the password, never through the keyring itself.
pub fn enable(g: &Global) -> Result<(), CliError> {
    let keyring = Keyring::os();
    // No password prompt (nor key derivation) when the keyring is not there anyway.
    keyring.check()?;
    let mut vault = open_with_password(g)?;
    let replaced = vault.has_device_slot();
    let id = keyring.enable(&mut vault)?;
    if g.json {
        return print_json(&json!({ "enabled": true, "slot_id": id.to_string(), "replaced": replaced }));
    }
    print_line("Quick unlock is on: this vault now opens from the OS keyring without its password.")?;
    eprintln!(
        "coffer: anyone who can run programs as this user, or read this user's unlocked keyring, can now open the \
         vault without its password; `coffer keyring disable` turns this off"
    );
    Ok(())
}

/// `coffer keyring disable`: the vault may be opened through the keyring for this, but removing the slot gives
/// the vault a new key, so the password is asked for then.
pub fn disable(g: &Global) -> Result<(), CliError> {
    let mut vault = open(g)?;
    if vault.has_device_slot() {
        confirm_password(g, &mut vault)?;
    }
    let done = Keyring::os().disable(&mut vault)?;
    report_disabled(g, &vault, &done);
    if g.json {
        return print_json(&json!({
            "disabled": true,
            "was_enabled": !done.removed_slots.is_empty(),
            "removed_slot_ids": done.removed_slots.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "keyring_entry": entry_word(&done.entry),
        }));
    }
    print_line(if done.removed_slots.is_empty() {
        "Quick unlock was already off."
    } else {
        "Quick unlock is off: the vault needs its password again."
    })
}

/// Warns when an entry could not be deleted, or the backup not refreshed (used by `disable` and `passwd`).
pub fn report_disabled(g: &Global, vault: &coffer_core::vault::Vault, done: &Disabled) {
    super::vault::report_stale_backup(g, vault, done.stale_backup.as_ref());
    if let EntryRemoval::Failed(e) = &done.entry {
        let ids: Vec<String> = done.removed_slots.iter().map(ToString::to_string).collect();
        warn(
            g.json,
            e.kind(),
            &format!(
                "the vault's quick-unlock slot is removed, but its keyring entry could not be deleted: {e}; delete it \
                 when the keyring is available (Linux: secret-tool clear service coffer username {})",
                ids.join(" / ")
            ),
        );
    }
}

/// The `keyring_entry` field: what happened to the entry.
pub fn entry_word(entry: &EntryRemoval) -> &'static str {
    match entry {
        EntryRemoval::Deleted => "deleted",
        EntryRemoval::Absent => "absent",
        _ => "not_deleted",
    }
}

/// `coffer keyring status`: no password.
pub fn status(g: &Global) -> Result<(), CliError> {
    let path = path(g)?;
    let s = Keyring::os().status(&path)?;
    let ids: Vec<String> = s.slots.iter().map(ToString::to_string).collect();
    if g.json {
        return print_json(&json!({
            "path": path.display().to_string(),
            "enabled": s.enabled(),
            "slot_ids": ids,
            "keyring_reachable": s.keyring_reachable(),
            "keyring_problem": s.problem.as_ref().map(|e| json!({ "kind": e.kind(), "message": e.to_string() })),
            "entry": s.entry,
            "ready": s.ready(),
        }));
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let keyring = match &s.problem {
        None => "reachable".to_owned(),
        Some(e) => e.to_string(),
    };
    let entry = match s.entry {
        Some(true) => "present".to_owned(),
        Some(false) => "missing (quick unlock will fall back to the password)".to_owned(),
        None => "-".to_owned(),
    };
    print_table(
        &["FIELD", "VALUE"],
        &[
            vec!["path".into(), path.display().to_string()],
            vec!["quick unlock".into(), if s.enabled() { "on".into() } else { "off".into() }],
            vec!["slot id".into(), if ids.is_empty() { "-".into() } else { ids.join(", ") }],
            vec!["keyring".into(), keyring],
            vec!["keyring entry".into(), entry],
            vec!["opens without password".into(), yes_no(s.ready())],
        ],
    )
}
