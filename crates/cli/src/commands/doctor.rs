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
    if g.json {
        return print_json(&json!({
            "sandbox": sandbox.as_ref().map(|s| json!({
                "status": s.status.name(),
                "landlock_abi": s.abi,
                "tcp_denied": s.tcp_denied,
                "writable": s.writable.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "note": s.note,
            })),
            "core_dumps": { "disabled": dumps.core_dumps_disabled, "not_dumpable": dumps.not_dumpable },
            "memory_locking": { "limit_bytes": memlock, "secrets_locked": locking },
        }));
    }
    let yes_no = |b: bool| if b { "yes" } else { "NO" }.to_owned();
    let mut rows = vec![
        vec!["sandbox".into(), sandbox.as_ref().map_or_else(|| "not applied".into(), |s| s.summary())],
        vec!["core dumps disabled".into(), yes_no(dumps.core_dumps_disabled)],
        vec!["ptrace/dump protection".into(), yes_no(dumps.not_dumpable)],
    ];
    rows.push(vec!["keys in locked, undumpable pages".into(), yes_no(locking)]);
    rows.push(vec![
        "memory lock limit".into(),
        memlock.map_or_else(|| "unlimited".into(), |b| format!("{} KiB", b / 1024)),
    ]);
    print_table(&["CHECK", "STATUS"], &rows)
}
