//! `coffer log`: the signing log, with its hash chain verified — archived entries included — and `--export`.

use std::io::Write;

use coffer_core::signing_log::{FirstBreak, LogEntry, verify_chain};
use coffer_core::vault::{Vault, VaultError};
use serde_json::json;

use super::vault::open_read;
use crate::cli::{Global, LogArgs};
use crate::error::{CliError, code};
use crate::output::{print_json, print_table, warn};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn entry_json(index: u64, e: &LogEntry) -> serde_json::Value {
    json!({
        "index": index,
        "time": e.time,
        "time_utc": super::seed::utc(e.time),
        "chain": e.chain,
        "path": e.path,
        "digest": hex(&e.digest),
        "summary": e.summary,
        "hash": hex(&e.hash()),
    })
}

/// What is known of the archived entries (those moved out of the vault when its log was full).
enum Archive {
    /// Nothing was archived.
    None,
    /// Read and verified: it chains from the start to the vault's checkpoint.
    Verified(Vec<LogEntry>),
    /// A segment is missing: the kept entries still verify from the checkpoint.
    Missing(VaultError),
}

pub fn run(g: &Global, args: &LogArgs) -> Result<(), CliError> {
    let vault = open_read(g)?;
    let checkpoint = vault.log_checkpoint();
    let archive = match vault.log_archive() {
        Ok(entries) if checkpoint.archived == 0 => {
            debug_assert!(entries.is_empty());
            Archive::None
        }
        Ok(entries) => Archive::Verified(entries),
        Err(e @ VaultError::LogArchiveMissing { .. }) => Archive::Missing(e),
        // A damaged archive: the kept entries are still listed, then the command fails.
        Err(e) => {
            print(g, &vault, &Archive::None)?;
            return Err(e.into());
        }
    };
    if let Archive::Missing(e) = &archive {
        warn(
            g.json,
            "log_archive_missing",
            &format!("{e}; the entries kept in the vault are checked from its checkpoint"),
        );
    }
    if let Some(file) = &args.export {
        match &archive {
            Archive::Missing(e) => {
                return Err(CliError::new(code::FAILURE, "log_archive_missing", format!("cannot export: {e}")));
            }
            Archive::None | Archive::Verified(_) => {
                let archived = if let Archive::Verified(a) = &archive { a.as_slice() } else { &[] };
                export(file, archived, vault.log())?;
            }
        }
    }
    print(g, &vault, &archive)?;
    finish(g, &vault, &archive)
}

fn print(g: &Global, vault: &Vault, archive: &Archive) -> Result<(), CliError> {
    let checkpoint = vault.log_checkpoint();
    let log = vault.log();
    let first_break = vault.verify_log().err().map(|b| b.index);
    if g.json {
        let (archive_state, archive_entries) = match archive {
            Archive::None => ("none", 0),
            Archive::Verified(a) => ("verified", a.len()),
            Archive::Missing(_) => ("missing", 0),
        };
        print_json(&json!({
            "entries": log.iter().zip(checkpoint.archived..).map(|(e, i)| entry_json(i, e)).collect::<Vec<_>>(),
            "chain_ok": first_break.is_none(),
            "first_break": first_break.map(|i| checkpoint.archived + i as u64),
            "archived": checkpoint.archived,
            "archive": archive_state,
            "archive_entries": archive_entries,
        }))
    } else {
        let rows: Vec<Vec<String>> = log
            .iter()
            .zip(checkpoint.archived..)
            .map(|(e, i)| {
                vec![i.to_string(), super::seed::utc(e.time), e.chain.clone(), e.path.clone(), e.summary.clone()]
            })
            .collect();
        print_table(&["#", "TIME (UTC)", "CHAIN", "PATH", "SUMMARY"], &rows)
    }
}

fn finish(g: &Global, vault: &Vault, archive: &Archive) -> Result<(), CliError> {
    let checkpoint = vault.log_checkpoint();
    match vault.verify_log() {
        Ok(()) => {
            if !g.json {
                let archived = match archive {
                    Archive::None => String::new(),
                    Archive::Verified(a) => format!(" (and {} archived entries, verified)", a.len()),
                    Archive::Missing(_) => {
                        format!(" ({} archived entries not checked: archive missing)", checkpoint.archived)
                    }
                };
                eprintln!("coffer: {} entries{archived}; hash chain intact", vault.log().len());
            }
            Ok(())
        }
        Err(FirstBreak { index }) => Err(CliError::new(
            code::VAULT_DAMAGED,
            "log_broken",
            format!(
                "the signing log's hash chain breaks at entry {}: entries from there on were altered",
                checkpoint.archived + index as u64
            ),
        )),
    }
}

/// Writes the whole log as JSON to `file` (a new file, mode 0600).
fn export(file: &std::path::Path, archived: &[LogEntry], kept: &[LogEntry]) -> Result<(), CliError> {
    let all: Vec<LogEntry> = archived.iter().chain(kept).cloned().collect();
    let first_break = verify_chain(&all).err().map(|b| b.index);
    let doc = json!({
        "format": "coffer-signing-log",
        "version": 1,
        "entries": all.iter().zip(0u64..).map(|(e, i)| {
            let mut v = entry_json(i, e);
            v["prev_hash"] = json!(hex(&e.prev_hash));
            v
        }).collect::<Vec<_>>(),
        "chain_ok": first_break.is_none(),
        "first_break": first_break,
    });
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let io_error = |e: std::io::Error| {
        let kind = if e.kind() == std::io::ErrorKind::AlreadyExists { "output_exists" } else { "io_error" };
        let code = if kind == "output_exists" { code::INVALID_INPUT } else { code::FAILURE };
        CliError::new(code, kind, format!("cannot write {}: {e}", file.display()))
    };
    let mut f = o.open(file).map_err(io_error)?;
    serde_json::to_writer_pretty(&mut f, &doc)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(f))
        .and_then(|()| f.sync_all())
        .map_err(io_error)
}
