//! `coffer doctor`: which binary this is, and what protects this process right now.

use std::io::Read as _;
use std::path::PathBuf;

use coffer_core::process;
use serde_json::json;
use sha2::{Digest as _, Sha256};

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
    let exe = executable();
    if g.json {
        return print_json(&json!({
            "version": env!("CARGO_PKG_VERSION"),
            "executable": {
                "path": exe.path.as_ref().map(|p| p.display().to_string()),
                "sha256": exe.sha256,
                "problem": exe.problem,
            },
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
    let mut rows = vec![
        vec!["version".into(), env!("CARGO_PKG_VERSION").into()],
        vec!["executable".into(), exe.path.as_ref().map_or_else(|| "unknown".into(), |p| p.display().to_string())],
        vec![
            "executable SHA-256".into(),
            exe.sha256.clone().unwrap_or_else(|| format!("not read: {}", exe.problem.as_deref().unwrap_or("unknown"))),
        ],
    ];
    rows.push(vec!["sandbox".into(), sandbox.as_ref().map_or_else(|| "not applied".into(), |s| s.summary())]);
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

/// The running executable: where it is and the SHA-256 of its bytes, to compare with a release's `SHA256SUMS` or a
/// reproducible build (docs/building.md).
struct Executable {
    path: Option<PathBuf>,
    /// Lowercase hex.
    sha256: Option<String>,
    /// Why the file could not be read.
    problem: Option<String>,
}

/// Hashes `/proc/self/exe` (the file this process runs, even if it was renamed or replaced on disk since; the
/// sandbox allows reading it). Elsewhere it reads `current_exe()`.
fn executable() -> Executable {
    let path = std::env::current_exe().ok();
    let source =
        if cfg!(target_os = "linux") { PathBuf::from("/proc/self/exe") } else { path.clone().unwrap_or_default() };
    match sha256_file(&source) {
        Ok(sha256) => Executable { path, sha256: Some(sha256), problem: None },
        Err(e) => Executable { path, sha256: None, problem: Some(e.to_string()) },
    }
}

fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0_u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
