//! `coffer seed add|list|rename|remove|verify`.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::json;

use super::init::{SeedSource, needs_yes, report};
use super::vault::{one_stdin, open, open_read, open_with_password, path};
use crate::cli::{Global, SeedAddArgs, SeedRemoveArgs, SeedRenameArgs, SeedVerifyArgs};
use crate::error::{CliError, code};
use crate::input::read_mnemonic_file;
use crate::output::{print_json, print_line, print_table};

pub fn add(g: &Global, args: &SeedAddArgs) -> Result<(), CliError> {
    one_stdin(&[g.password_file.as_deref(), args.seed.import_mnemonic_file.as_deref()])?;
    coffer_core::vault::validate_label(&args.label)?;
    let source = SeedSource::read(&args.seed)?;
    let mut vault = open(g)?;
    let info = source.store(&mut vault, &args.label)?;
    report(g, &path(g)?.display().to_string(), &info, source.fresh())
}

pub fn list(g: &Global) -> Result<(), CliError> {
    let vault = open_read(g)?;
    let seeds = vault.seeds();
    if g.json {
        let items: Vec<_> = seeds
            .iter()
            .map(|s| {
                let mut flags = Vec::new();
                if s.compromised {
                    flags.push("compromised");
                }
                if s.backup_checked {
                    flags.push("backup_checked");
                }
                json!({
                    "label": s.label,
                    "id": s.id.to_string(),
                    "created": s.created,
                    "created_utc": utc(s.created),
                    "words": s.word_count,
                    "language": s.language.name(),
                    "has_passphrase": s.has_passphrase,
                    "compromised": s.compromised,
                    "backup_checked": s.backup_checked,
                    "flags": flags,
                })
            })
            .collect();
        return print_json(&serde_json::Value::Array(items));
    }
    let rows: Vec<Vec<String>> = seeds
        .iter()
        .map(|s| {
            let mut flags = Vec::new();
            if s.compromised {
                flags.push("COMPROMISED");
            }
            flags.push(if s.backup_checked { "backup checked" } else { "backup NOT checked" });
            if s.has_passphrase {
                flags.push("passphrase");
            }
            vec![s.label.clone(), utc(s.created), format!("{} words", s.word_count), flags.join(", ")]
        })
        .collect();
    print_table(&["LABEL", "CREATED (UTC)", "SIZE", "FLAGS"], &rows)
}

pub fn rename(g: &Global, args: &SeedRenameArgs) -> Result<(), CliError> {
    coffer_core::vault::validate_label(&args.new_label)?;
    let mut vault = open(g)?;
    vault.rename_seed(&args.label, &args.new_label)?;
    if g.json {
        print_json(&json!({ "renamed": args.label, "label": args.new_label }))
    } else {
        print_line(&format!("Renamed \"{}\" to \"{}\".", args.label, args.new_label))
    }
}

/// `seed remove`: always proves the vault password (from `--password-file` or the terminal), never quick unlock, as
/// the app does: an open session, or a keyring that unlocks the vault, is not enough to destroy a seed. A wrong
/// password is `wrong_password` (exit 4) and nothing is removed.
pub fn remove(g: &Global, args: &SeedRemoveArgs) -> Result<(), CliError> {
    let mut vault = open_with_password(g)?;
    // Fail on an unknown label before asking for the confirmation.
    let info = vault.seed(&args.label)?;
    if !args.yes {
        confirm_removal(&info.label, g.password_file.as_deref().is_some_and(|p| p.as_os_str() == "-"))?;
    }
    vault.remove_seed(&args.label)?;
    if g.json {
        print_json(&json!({ "removed": info.label, "id": info.id.to_string() }))
    } else {
        print_line(&format!(
            "Removed \"{}\". Unless you hold its words elsewhere, funds on its addresses are no longer reachable.",
            info.label
        ))
    }
}

/// Asks the user to type the label back. Refuses without a terminal.
fn confirm_removal(label: &str, stdin_used: bool) -> Result<(), CliError> {
    let what = format!("removing seed \"{label}\" cannot be undone");
    if stdin_used || !std::io::stdin().is_terminal() {
        return Err(needs_yes(&what));
    }
    eprint!("coffer: {}. Type the label to confirm: ", crate::output::safe(&what));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::new(code::FAILURE, "io_error", format!("cannot read the confirmation: {e}")))?;
    if line.trim_end_matches(['\r', '\n']) != label {
        return Err(CliError::new(code::REFUSED, "not_confirmed", "not confirmed; nothing was removed"));
    }
    Ok(())
}

pub fn verify(g: &Global, args: &SeedVerifyArgs) -> Result<(), CliError> {
    one_stdin(&[g.password_file.as_deref(), Some(args.mnemonic_file.as_path())])?;
    let file = read_mnemonic_file(&args.mnemonic_file)?;
    let mnemonic = file.mnemonic(args.passphrase_is_words)?;
    let mut vault = open(g)?;
    let matches = vault.verify_seed(&args.label, &mnemonic, file.passphrase.expose())?;
    if matches {
        // A mismatch is an error: nothing on standard output then (docs/cli.md, "Errors").
        if g.json {
            print_json(&json!({ "label": args.label, "matches": true, "backup_checked": true }))
        } else {
            print_line(&format!("The words match seed \"{}\"; its backup is now marked checked.", args.label))
        }
    } else {
        Err(CliError::new(
            code::INVALID_INPUT,
            "mnemonic_mismatch",
            format!("the words (or passphrase) do not match seed \"{}\"; check your written copy", args.label),
        ))
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc(secs: u64) -> String {
    coffer_core::time::utc_iso8601(secs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::utc(1_795_910_399), "2026-11-28T23:59:59Z");
    }
}
