//! `coffer balance`: through the network process coffer-net, never a socket of its own.
//!
//! - Errors are typed, before and after the network process starts (these run everywhere).
//! - Separation, per process, under strace: the `coffer` process that opens the vault creates no AF_INET/AF_INET6
//!   socket, its coffer-net child does, and coffer-net never opens the vault; coffer-net's sandbox cannot read the
//!   vault file.
//! - Against LiteSVM, the real Solana runtime (ignored unless scripts/chain-test runs them: they need
//!   tests/chain-servers/node_modules): funded addresses report the lamports and token accounts the runtime holds.
//!
//! coffer-net is built beside coffer by the tests that need it (`cargo build -p coffer-net`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::common::{ABOUT, Run, TestVault, coffer};

/// The Solana address of ABOUT's account 0 (m/44'/501'/0'/0').
pub(crate) const ABOUT_SOL_0: &str = "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk";

/// coffer-net beside the coffer under test, built (once per test run) from this checkout: cargo builds only this
/// package's binaries for its tests, and a stale coffer-net would test old code.
pub(crate) fn coffer_net() -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet", "--locked", "-p", "coffer-net"])
            .status()
            .expect("run cargo build -p coffer-net");
        assert!(status.success(), "cargo build -p coffer-net failed");
    });
    let p = PathBuf::from(env!("CARGO_BIN_EXE_coffer")).with_file_name("coffer-net");
    assert!(p.exists(), "{} is missing after cargo build -p coffer-net", p.display());
    p
}

/// A local port nothing listens on.
pub(crate) fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn balance_errors_are_typed() {
    let addr = ["balance", "--chain", "solana", "--address", ABOUT_SOL_0, "--json"];
    let _ = coffer_net();
    let run = |extra: &[&str]| coffer(&[&addr[..], extra].concat(), b"");
    let e = run(&["--network", "localnet"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_required");
    let e = run(&["--network", "moonnet"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "unknown_network");
    let e = coffer(&["balance", "--chain", "solana", "--address", "0xabc", "--json"], b"").fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = coffer(&["balance", "--chain", "sui", "--address", ABOUT_SOL_0, "--json"], b"").fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = coffer(&["balance", "--chain", "iota-stardust", "--address", ABOUT_SOL_0, "--json"], b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "unsupported");
    for bad in ["http://rpc.example", "ftp://127.0.0.1", "https://user:pw@rpc.example", "rpc.example"] {
        let e = run(&["--endpoint", bad]).fails_with(3).error_json();
        assert_eq!(e["error"]["kind"], "invalid_endpoint", "{bad}: {e}");
    }
    let url = format!("http://127.0.0.1:{}", closed_port());
    let e = run(&["--network", "localnet", "--endpoint", &url]).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_down", "{e}");
    // No network process where one is looked for.
    let out = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(addr)
        .args(["--network", "localnet", "--endpoint", &url])
        .env("COFFER_NET", "/nonexistent/coffer-net")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["kind"], "network_unavailable", "{e}");
}

/// Runs ARGS under `strace -f` and returns (exit code, the trace split per process id, the pid of coffer-net).
pub(crate) fn traced(v: &TestVault, args: &[&str]) -> (i32, std::collections::BTreeMap<String, Vec<String>>, String) {
    let log = v.dir.path().join("balance.strace");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve,socket,connect,openat", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_coffer"))
        .args(["--vault", &v.vault, "--password-file", &v.pw, "--json"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("strace is required for this test (apt-get install strace): {e}"));
    let trace = std::fs::read_to_string(&log).expect("strace log");
    let mut per_pid: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in trace.lines() {
        let (pid, call) = line.split_once(' ').unwrap_or(("?", line));
        per_pid.entry(pid.to_owned()).or_default().push(call.trim_start().to_owned());
    }
    let net = per_pid
        .iter()
        .find(|(_, calls)| calls.iter().any(|c| c.starts_with("execve(") && c.contains("coffer-net")))
        .map(|(pid, _)| pid.clone())
        .expect("coffer-net was started");
    (status.code().unwrap_or(-1), per_pid, net)
}

#[test]
fn the_vault_process_opens_no_internet_socket_and_coffer_net_cannot_read_the_vault() {
    let _ = coffer_net();
    let v = TestVault::new("balance-strace", b"balance strace password\n");
    v.import("main", ABOUT, "");
    // Against a closed port: coffer-net still creates its socket and tries to connect; the command fails with
    // endpoint_down after opening the vault to derive the address.
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (code, per_pid, net) =
        traced(&v, &["balance", "--chain", "solana", "--seed", "main", "--network", "localnet", "--endpoint", &url]);
    assert_eq!(code, 8);
    let inet = |c: &String| c.starts_with("socket(AF_INET") || (c.starts_with("connect(") && c.contains("AF_INET"));
    let opens_vault = |c: &String| c.starts_with("openat(") && c.contains(&v.vault);
    let vault_pids: Vec<&String> = per_pid.iter().filter(|(_, c)| c.iter().any(opens_vault)).map(|(p, _)| p).collect();
    assert!(!vault_pids.is_empty(), "the trace must show coffer opening the vault: {per_pid:?}");
    for pid in &vault_pids {
        assert_ne!(**pid, net, "coffer-net opened the vault");
        let sockets: Vec<_> = per_pid[*pid].iter().filter(|c| inet(c)).collect();
        assert!(sockets.is_empty(), "the process that opened the vault created internet sockets: {sockets:?}");
    }
    assert!(per_pid[&net].iter().any(inet), "coffer-net's socket must show in the trace: {:?}", per_pid[&net]);
    assert!(!per_pid[&net].iter().any(opens_vault));
    // Its connect went out (the port is closed, so it is refused later; never EACCES from a sandbox it inherited): coffer-net
    // was started before coffer restricted itself.
    let connects: Vec<_> =
        per_pid[&net].iter().filter(|c| c.starts_with("connect(") && c.contains("AF_INET")).collect();
    assert!(!connects.is_empty());
    assert!(!connects.iter().any(|c| c.contains("EACCES")), "{connects:?}");

    // And coffer-net's sandbox cannot read the vault even when asked to (its --check probe).
    let out = Command::new(coffer_net())
        .args(["--endpoint", &format!("solana:localnet={url}"), "--check", "--try-read", &v.vault])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = report["sandbox"]["status"].as_str().unwrap();
    if status != "enforced" && status != "partial" {
        assert!(std::env::var_os("CI").is_none(), "CI machines enforce Landlock: {report}");
        eprintln!("skipped the read check: this kernel does not enforce Landlock ({report})");
        return;
    }
    assert_eq!(report["read"][0]["result"], "denied: permission denied", "{report}");
    assert!(std::fs::read(&v.vault).is_ok(), "the file is readable outside the sandbox");
}

// --- Against LiteSVM ---

/// The LiteSVM JSON-RPC server of tests/chain-servers, stopped when dropped.
pub(crate) use coffer_test_util::LiteSvm as Solana;

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn balance_against_litesvm() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = TestVault::new("balance-litesvm", b"balance litesvm password\n");
    v.import("main", ABOUT, "");
    let derived = v.run(&["address", "--chain", "solana", "--seed", "main", "--account", "1"], b"").ok().json();
    let account1 = derived[0]["address"].as_str().unwrap().to_owned();
    chain.rpc("coffer_airdrop", json!([ABOUT_SOL_0, 1_234_567_890u64]));
    chain.rpc("coffer_airdrop", json!([account1, 1_000_000u64]));
    let mint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
    let token = chain.rpc("coffer_setTokenAccount", json!([ABOUT_SOL_0, mint, 2_500_000u64, "token"]));
    let token22 = chain.rpc("coffer_setTokenAccount", json!([ABOUT_SOL_0, mint, 9u64, "token-2022"]));

    let local = ["--network", "localnet", "--endpoint", chain.url.as_str()];
    let balance = |who: &[&str]| -> Run { v.run(&[&["balance", "--chain", "solana"], who, &local[..]].concat(), b"") };

    // By address: no vault opened.
    let out =
        coffer(&[&["balance", "--chain", "solana", "--json", "--address", ABOUT_SOL_0], &local[..]].concat(), b"")
            .ok()
            .json();
    assert_eq!(out["balance"], "1234567890", "{out}");
    assert_eq!((out["chain"].as_str(), out["network"].as_str()), (Some("solana"), Some("localnet")));
    assert_eq!(out["unit"], "lamports");
    assert_eq!(out["endpoint"], chain.url.as_str());
    assert!(out["slot"].as_u64().is_some_and(|s| s > 0));
    let tokens = out["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 2, "{out}");
    assert_eq!(tokens[0], json!({"account": token, "mint": mint, "program": "spl-token", "amount": "2500000"}));
    assert_eq!(tokens[1], json!({"account": token22, "mint": mint, "program": "token-2022", "amount": "9"}));

    // By seed and account, from the vault.
    let out = balance(&["--seed", "main"]).ok().json();
    assert_eq!((out["address"].as_str(), out["balance"].as_str()), (Some(ABOUT_SOL_0), Some("1234567890")));
    let out = balance(&["--seed", "main", "--account", "1"]).ok().json();
    assert_eq!((out["address"].as_str(), out["balance"].as_str()), (Some(account1.as_str()), Some("1000000")));
    assert_eq!(out["tokens"], json!([]));
    // An address the runtime has never seen holds nothing.
    let out = balance(&["--seed", "main", "--account", "7"]).ok().json();
    assert_eq!(out["balance"], "0");

    // People's output names the amount in SOL and lamports and the endpoint that reported it.
    let text = coffer(&[&["balance", "--chain", "solana", "--address", ABOUT_SOL_0], &local[..]].concat(), b"").ok();
    assert!(text.stdout.contains("1.234567890 SOL (1234567890 lamports)"), "{}", text.stdout);
    assert!(text.stdout.contains(&format!("reported by {}", chain.url)), "{}", text.stdout);

    // The LiteSVM server is not devnet: refused by its genesis hash, exit 8.
    let e = coffer(
        &[
            "balance",
            "--chain",
            "solana",
            "--json",
            "--address",
            ABOUT_SOL_0,
            "--network",
            "devnet",
            "--endpoint",
            &chain.url,
        ],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "wrong_chain");
}

/// `coffer balance --address ABOUT_SOL_0` with `$COFFER_NET` a shell script that plays a network process:
/// `answer` is what it prints after reading the hello and the request.
fn against_fake_net(tag: &str, hello: &str, answer: &str) -> Run {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::common::TempDir::new(tag);
    let script = dir.file(
        "coffer-net",
        format!("#!/bin/sh\nprintf '%s\\n' '{hello}'\nread hello\nread request\n{answer}\nread more\n").as_bytes(),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(["balance", "--chain", "solana", "--address", ABOUT_SOL_0, "--json"])
        .env("COFFER_NET", &script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_lying_network_process_cannot_make_coffer_print_its_answer() {
    let hello = r#"{"coffer_net":1,"role":"server","software":"fake"}"#;
    let answer = |reply: &str| {
        format!(
            r#"printf '%s\n' '{{"id":1,"chain":"solana","network":"mainnet","endpoint":"https://x.example:443","outcome":{{"ok":{reply}}}}}'"#
        )
    };
    // The honest shape is accepted (so the refusals below are about the lies, not the harness).
    let ok = against_fake_net(
        "fake-net-ok",
        hello,
        &format!(
            "{}\nread request\n{}",
            answer(&format!(r#"{{"kind":"balance","address":"{ABOUT_SOL_0}","amount":"5","slot":1}}"#)),
            answer(&format!(r#"{{"kind":"holdings","address":"{ABOUT_SOL_0}","accounts":[],"slot":1}}"#))
                .replace("\"id\":1", "\"id\":2"),
        ),
    )
    .ok()
    .json();
    assert_eq!(ok["balance"], "5");
    let lies = [
        (
            "another address",
            answer(r#"{"kind":"balance","address":"11111111111111111111111111111111","amount":"5","slot":1}"#),
        ),
        (
            "an amount as a number",
            answer(&format!(r#"{{"kind":"balance","address":"{ABOUT_SOL_0}","amount":5,"slot":1}}"#)),
        ),
        (
            "another reply kind",
            answer(
                r#"{"kind":"latest_blockhash","blockhash":"11111111111111111111111111111111","last_valid_block_height":1,"slot":1}"#,
            ),
        ),
        (
            "an escape sequence",
            answer(&format!(r#"{{"kind":"balance","address":"{ABOUT_SOL_0}\u001b[2J","amount":"5","slot":1}}"#)),
        ),
        // A 2 MiB line: refused by the bounded reader without buffering it.
        (
            "a line over 1 MiB",
            "s=xxxxxxxx; i=0; while [ $i -lt 18 ]; do s=$s$s; i=$((i+1)); done; printf '%s\\n' \"$s\"".to_owned(),
        ),
    ];
    for (what, lie) in lies {
        let e = against_fake_net("fake-net", hello, &lie).fails_with(8).error_json();
        assert_eq!(e["error"]["kind"], "network_protocol", "{what}: {e}");
    }
    // Another protocol version.
    let e = against_fake_net("fake-net-v2", r#"{"coffer_net":2,"role":"server","software":"fake"}"#, "")
        .fails_with(8)
        .error_json();
    assert_eq!(e["error"]["kind"], "network_protocol", "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("version 2"), "{e}");
}
