//! `coffer doctor`: what protects this process right now.

use coffer_core::process;
use serde_json::json;

use crate::cli::Global;
use crate::error::CliError;
use crate::output::{print_json, print_table};

pub fn run(g: &Global) -> Result<(), CliError> {
    let sandbox = crate::SANDBOX.get().cloned();
    let dumps = process::core_dump_status();
    let memlock = process::memlock_limit();
    let locking = coffer_core::secret::locking_works();
    // Quick unlock needs the OS keyring (Secret Service over the session bus on Linux).
    let keyring = coffer_keyring::Keyring::os().check();
    if g.json {
        return print_json(&json!({
            "sandbox": sandbox.as_ref().map(|s| json!({
                "status": s.status.name(),
                "landlock_abi": s.abi,
                "tcp_denied": s.tcp_denied,
                "udp_denied": s.udp_denied,
                "abstract_unix_denied": s.abstract_unix_denied,
                "threads_at_restriction": s.threads_at_restriction,
                "writable": s.writable.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "note": s.note,
            })),
            "core_dumps": { "disabled": dumps.core_dumps_disabled, "not_dumpable": dumps.not_dumpable },
            "memory_locking": { "limit_bytes": memlock, "secrets_locked": locking },
            "keyring": {
                "reachable": keyring.is_ok(),
                "problem": keyring.as_ref().err().map(|e| json!({ "kind": e.kind(), "message": e.to_string() })),
            },
        }));
    }
    let yes_no = |b: bool| if b { "yes" } else { "NO" }.to_owned();
    let mut rows = vec![vec!["sandbox".into(), sandbox.as_ref().map_or_else(|| "not applied".into(), |s| s.summary())]];
    if let Some(s) = &sandbox {
        rows.push(vec!["TCP denied".into(), yes_no(s.tcp_denied)]);
        rows.push(vec!["UDP denied".into(), yes_no(s.udp_denied)]);
        rows.push(vec!["abstract Unix sockets denied".into(), yes_no(s.abstract_unix_denied)]);
        let dirs: Vec<String> = s.writable.iter().map(|d| d.display().to_string()).collect();
        rows.push(vec!["writes allowed only in".into(), dirs.join(", ")]);
        rows.push(vec![
            "threads at restriction".into(),
            s.threads_at_restriction.map_or_else(|| "unknown".into(), |n| n.to_string()),
        ]);
    }
    rows.extend([
        vec!["core dumps disabled".into(), yes_no(dumps.core_dumps_disabled)],
        vec!["ptrace/dump protection".into(), yes_no(dumps.not_dumpable)],
    ]);
    rows.push(vec!["keys in locked, undumpable pages".into(), yes_no(locking)]);
    rows.push(vec![
        "memory lock limit".into(),
        memlock.map_or_else(|| "unlimited".into(), |b| format!("{} KiB", b / 1024)),
    ]);
    rows.push(vec![
        "OS keyring (quick unlock)".into(),
        match &keyring {
            Ok(()) => "reachable".into(),
            Err(e) => format!("not available: {e}"),
        },
    ]);
    print_table(&["CHECK", "STATUS"], &rows)
}
