//! `coffer log`: the signing log, with its hash chain verified.

use coffer_core::signing_log::verify_chain;
use serde_json::json;

use super::vault::open_read;
use crate::cli::Global;
use crate::error::{CliError, code};
use crate::output::{print_json, print_table};

pub fn run(g: &Global) -> Result<(), CliError> {
    let vault = open_read(g)?;
    let log = vault.log();
    let check = verify_chain(log);
    let first_break = check.err().map(|b| b.index);
    if g.json {
        print_json(&json!({
            "entries": log.iter().enumerate().map(|(i, e)| json!({
                "index": i,
                "time": e.time,
                "time_utc": super::seed::utc(e.time),
                "chain": e.chain,
                "path": e.path,
                "digest": e.digest.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                "summary": e.summary,
                "hash": e.hash().iter().map(|b| format!("{b:02x}")).collect::<String>(),
            })).collect::<Vec<_>>(),
            "chain_ok": first_break.is_none(),
            "first_break": first_break,
        }))?;
    } else {
        let rows: Vec<Vec<String>> = log
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![i.to_string(), super::seed::utc(e.time), e.chain.clone(), e.path.clone(), e.summary.clone()]
            })
            .collect();
        print_table(&["#", "TIME (UTC)", "CHAIN", "PATH", "SUMMARY"], &rows)?;
    }
    match first_break {
        None => {
            if !g.json {
                eprintln!("coffer: {} entries; hash chain intact", log.len());
            }
            Ok(())
        }
        Some(i) => Err(CliError::new(
            code::VAULT_DAMAGED,
            "log_broken",
            format!("the signing log's hash chain breaks at entry {i}: entries from there on were altered"),
        )),
    }
}
