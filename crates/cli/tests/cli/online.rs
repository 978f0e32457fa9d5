//! `coffer broadcast`, `coffer history` and `coffer watch`: through the network process coffer-net.
//!
//! - Typed errors before anything is sent, and a network process that reports another id than the transaction's
//!   own is not believed (these run everywhere).
//! - Separation under strace for `history --seed`: the process that opens the vault creates no internet socket.
//! - Against LiteSVM, the real Solana runtime (ignored unless scripts/chain-test runs them): a transfer signed by
//!   `coffer sign` and broadcast by `coffer broadcast --wait` moves the lamports in the runtime; `history` marks it
//!   signed here; `watch --once` stays quiet for it and raises the foreign-signature alert (exit 9) for a transfer
//!   signed with the same key outside the vault.

use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use coffer_core::migrate::{SolanaRecent, transfer_message};
use coffer_core::sign::solana::encode_transaction;
use coffer_core::{AccountIndex, AddressIndex};
use serde_json::{Value, json};

use crate::balance::{ABOUT_SOL_0, Solana, closed_port, coffer_net, traced};
use crate::common::{ABOUT, Run, TempDir, TestVault, coffer, coffer_in};

fn key(address: &str) -> [u8; 32] {
    bs58::decode(address).into_vec().unwrap().try_into().unwrap()
}

/// An unsigned transfer of `lamports` from `from` to `to` on `blockhash` (one empty signature slot), base64.
fn unsigned_transfer(from: &str, to: &str, lamports: u64, blockhash: [u8; 32]) -> String {
    let message = transfer_message(&key(from), &key(to), lamports, &SolanaRecent::Blockhash(blockhash));
    BASE64.encode(encode_transaction(&[[0; 64]], &message))
}

/// The same transfer signed with ABOUT's account-0 key by coffer-core directly: no vault, no signing log (what a
/// thief holding the leaked mnemonic does).
fn signed_outside_the_vault(unsigned: &str) -> (String, String) {
    let seed = coffer_core::Mnemonic::parse(ABOUT).unwrap().to_seed("");
    let signer =
        coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    assert_eq!(signer.address(), ABOUT_SOL_0);
    let request = coffer_core::SignRequest::new(
        coffer_core::Chain::Solana,
        coffer_core::Payload::Transaction(unsigned.to_owned()),
    );
    let decoded = coffer_core::sign::decode(&request).unwrap();
    let signed = signer.sign(&decoded, coffer_core::Blind::Refuse).unwrap();
    (signed.signed_tx.unwrap(), signed.signature)
}

#[test]
fn broadcast_refuses_what_is_not_a_signed_transaction_before_sending() {
    let _ = coffer_net();
    let dir = TempDir::new("broadcast-bad");
    let url = format!("http://127.0.0.1:{}", closed_port());
    let run = |tx: &str| {
        let file = dir.file("tx", tx.as_bytes());
        coffer(
            &[
                "broadcast",
                "--chain",
                "solana",
                "--tx-file",
                &file,
                "--network",
                "localnet",
                "--endpoint",
                &url,
                "--json",
            ],
            b"",
        )
    };
    let to = "11111111111111111111111111111112";
    let unsigned = unsigned_transfer(ABOUT_SOL_0, to, 5, [9; 32]);
    let e = run(&unsigned).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "unsigned_transaction", "{e}");
    let e = run("not a transaction").fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_transaction", "{e}");
    // Signed, then changed: the fee payer's signature no longer verifies.
    let (signed, _) = signed_outside_the_vault(&unsigned);
    let mut bytes = BASE64.decode(&signed).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let e = run(&BASE64.encode(&bytes)).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_signature", "{e}");
    // A well-formed signed transaction gets as far as the endpoint (down here): exit 8.
    let e = run(&signed).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_down", "{e}");
    // Flags are checked like balance's.
    let e = coffer(&["history", "--chain", "solana", "--address", ABOUT_SOL_0, "--limit", "0", "--json"], b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "invalid_limit");
    let e = coffer(&["history", "--chain", "sui", "--address", ABOUT_SOL_0, "--json"], b"").fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = coffer(&["history", "--chain", "iota", "--address", ABOUT_SOL_0, "--json"], b"").fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = coffer(&["history", "--chain", "iota-stardust", "--address", ABOUT_SOL_0, "--json"], b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "unsupported");
    // Every chain with an online side is watched; the Stardust ledger has none (it stopped in 2025).
    let e = coffer(&["watch", "--chain", "iota-stardust", "--seed", "main", "--once", "--json"], b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "unsupported");
}

/// `coffer broadcast` with `$COFFER_NET` a script playing a network process that accepts the transaction but
/// reports `id` as its signature.
fn broadcast_against_fake_net(tag: &str, tx: &str, id: &str) -> Run {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new(tag);
    let file = dir.file("tx", tx.as_bytes());
    let hello = r#"{"coffer_net":1,"role":"server","software":"fake"}"#;
    let answer = format!(
        r#"{{"id":1,"chain":"solana","network":"mainnet","endpoint":"https://x.example:443","outcome":{{"ok":{{"kind":"sent","signature":"{id}"}}}}}}"#
    );
    let script = dir.file(
        "coffer-net",
        format!(
            "#!/bin/sh\nprintf '%s\\n' '{hello}'\nread hello\nread request\nprintf '%s\\n' '{answer}'\nread more\n"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(["broadcast", "--chain", "solana", "--tx-file", &file, "--json"])
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
fn broadcast_believes_no_other_id_than_the_transactions_own() {
    let unsigned = unsigned_transfer(ABOUT_SOL_0, "11111111111111111111111111111112", 5, [9; 32]);
    let (signed, id) = signed_outside_the_vault(&unsigned);
    let ok = broadcast_against_fake_net("fake-net-sent", &signed, &id).ok().json();
    assert_eq!(ok["signature"], id.as_str());
    let other = coffer_core::sign::solana::base58(&[5u8; 64]);
    let e = broadcast_against_fake_net("fake-net-lie", &signed, &other).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "signature_mismatch", "{e}");
}

#[test]
fn history_of_a_seed_opens_no_internet_socket_in_the_vault_process() {
    let _ = coffer_net();
    let v = TestVault::new("history-strace", b"history strace password\n");
    v.import("main", ABOUT, "");
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (code, per_pid, net) =
        traced(&v, &["history", "--chain", "solana", "--seed", "main", "--network", "localnet", "--endpoint", &url]);
    assert_eq!(code, 8);
    let inet = |c: &String| c.starts_with("socket(AF_INET") || (c.starts_with("connect(") && c.contains("AF_INET"));
    let opens_vault = |c: &String| c.starts_with("openat(") && c.contains(&v.vault);
    let vault_pids: Vec<&String> = per_pid.iter().filter(|(_, c)| c.iter().any(opens_vault)).map(|(p, _)| p).collect();
    assert!(!vault_pids.is_empty(), "the trace must show coffer opening the vault");
    for pid in vault_pids {
        assert_ne!(*pid, net, "coffer-net opened the vault");
        assert!(!per_pid[pid].iter().any(inet), "the process that opened the vault created an internet socket");
    }
    assert!(per_pid[&net].iter().any(inet), "coffer-net's socket must show in the trace");
}

// --- Against LiteSVM ---

fn blockhash(chain: &Solana) -> [u8; 32] {
    let v = chain.rpc("getLatestBlockhash", json!([]));
    key(v["value"]["blockhash"].as_str().unwrap())
}

fn lamports(chain: &Solana, address: &str) -> u64 {
    chain.rpc("getBalance", json!([address]))["value"].as_u64().unwrap()
}

/// Signs `unsigned` with the vault's seed `main`, account 0 (logged), and returns the signed transaction and id.
fn sign_in_vault(v: &TestVault, unsigned: &str) -> (String, String) {
    let file = TempDir::new("unsigned");
    let path = file.file("tx", unsigned.as_bytes());
    let out = v.run(&["sign", "--chain", "solana", "--seed", "main", "--tx-file", &path, "--yes"], b"").ok().json();
    (out["signed_tx"].as_str().unwrap().to_owned(), out["signature"].as_str().unwrap().to_owned())
}

fn address_of(v: &TestVault, account: u32) -> String {
    let out = v.run(&["address", "--chain", "solana", "--seed", "main", "--account", &account.to_string()], b"").ok();
    out.json()[0]["address"].as_str().unwrap().to_owned()
}

fn broadcast(chain: &Solana, tx: &str, extra: &[&str]) -> Run {
    let dir = TempDir::new("broadcast");
    let file = dir.file("tx", tx.as_bytes());
    let args =
        ["broadcast", "--chain", "solana", "--tx-file", &file, "--network", "localnet", "--endpoint", &chain.url];
    coffer(&[&args[..], extra].concat(), b"")
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn broadcast_and_history_against_litesvm() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = TestVault::new("broadcast-litesvm", b"broadcast litesvm password\n");
    v.import("main", ABOUT, "");
    let dest = address_of(&v, 1);
    chain.rpc("coffer_airdrop", json!([ABOUT_SOL_0, 2_000_000_000u64]));

    let (signed, id) = sign_in_vault(&v, &unsigned_transfer(ABOUT_SOL_0, &dest, 1_000_000, blockhash(&chain)));
    let out = broadcast(&chain, &signed, &["--wait", "--json"]).ok().json();
    assert_eq!(out["signature"], id.as_str(), "{out}");
    assert_eq!(out["endpoint"], chain.url.as_str());
    assert_eq!(out["failed"], false);
    assert!(matches!(out["confirmation"].as_str(), Some("confirmed" | "finalized")), "{out}");
    assert!(out["slot"].as_u64().is_some_and(|s| s > 0));
    // The runtime moved the lamports: 1 000 000 to the destination, that and the 5000-lamport fee from the source.
    assert_eq!(lamports(&chain, &dest), 1_000_000);
    assert_eq!(lamports(&chain, ABOUT_SOL_0), 2_000_000_000 - 1_000_000 - 5000);
    // People's output: the id, then the confirmation.
    let (signed2, id2) = sign_in_vault(&v, &unsigned_transfer(ABOUT_SOL_0, &dest, 7, blockhash(&chain)));
    let text = broadcast(&chain, &signed2, &["--wait"]).ok();
    assert!(text.stdout.starts_with(&format!("{id2}\n")), "{}", text.stdout);
    assert!(text.stdout.contains(&format!("(reported by {})", chain.url)), "{}", text.stdout);
    // An on-chain error is the runtime's, reported clearly: more than the account holds.
    let (too_much, _) = sign_in_vault(&v, &unsigned_transfer(ABOUT_SOL_0, &dest, 5_000_000_000, blockhash(&chain)));
    let e = broadcast(&chain, &too_much, &["--wait", "--json"]).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_rejected", "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("sendTransaction"), "{e}");
    assert_eq!(lamports(&chain, &dest), 1_000_007);

    // History of the seed's account: newest first, each transfer outgoing and signed here; the airdrop's
    // transaction is not kept by the server (not available: neither mark can be checked).
    let local = ["--network", "localnet", "--endpoint", chain.url.as_str()];
    let h = v.run(&[&["history", "--chain", "solana", "--seed", "main"], &local[..]].concat(), b"").ok().json();
    assert_eq!(h["address"], ABOUT_SOL_0);
    assert_eq!(h["endpoint"], chain.url.as_str());
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{h}");
    for (e, sig) in entries.iter().zip([&id2, &id]) {
        assert_eq!(e["signature"], sig.as_str());
        assert_eq!((e["outgoing"].as_bool(), e["signed_here"].as_bool()), (Some(true), Some(true)), "{e}");
        assert_eq!(e["failed"], false);
        assert!(e["block_time"].as_i64().is_some());
    }
    assert_eq!((&entries[2]["outgoing"], &entries[2]["signed_here"]), (&Value::Null, &Value::Null));
    // The destination's view: incoming (account 1 did not sign), yet signed here: this vault's account 0 did.
    let h = v
        .run(&[&["history", "--chain", "solana", "--seed", "main", "--account", "1"], &local[..]].concat(), b"")
        .ok()
        .json();
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{h}");
    assert!(entries.iter().all(|e| e["outgoing"] == false && e["signed_here"] == true), "{h}");
    // By address: no vault, no marks; --limit is passed on.
    let h = coffer(
        &[&["history", "--chain", "solana", "--address", ABOUT_SOL_0, "--limit", "1", "--json"], &local[..]].concat(),
        b"",
    )
    .ok()
    .json();
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["signature"], id2.as_str());
    assert!(entries[0].get("signed_here").is_none(), "{h}");
    // People's output marks each entry.
    let config = v.dir.path().join("config");
    let people = ["--vault", v.vault.as_str(), "--password-file", v.pw.as_str(), "history", "--chain", "solana"];
    let text = coffer_in(Some(&config), &[&people[..], &["--seed", "main"], &local[..]].concat(), b"").ok();
    assert!(text.stdout.contains(&format!("{id}  slot")), "{}", text.stdout);
    assert!(text.stdout.contains("outgoing, signed here"), "{}", text.stdout);
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn watch_alerts_when_someone_else_signs_for_a_watched_address() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = TestVault::new("watch-litesvm", b"watch litesvm password\n");
    v.import("main", ABOUT, "");
    chain.rpc("coffer_airdrop", json!([ABOUT_SOL_0, 2_000_000_000u64]));
    let dest = &address_of(&v, 5);
    let local = ["--network", "localnet", "--endpoint", chain.url.as_str()];
    let watch = || v.run(&[&["watch", "--chain", "solana", "--seed", "main", "--once"], &local[..]].concat(), b"");
    let events = |run: &Run| -> Vec<Value> { run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect() };

    // Signed by Coffer (logged), broadcast: an outgoing event, no alert, exit 0.
    let (signed, id) = sign_in_vault(&v, &unsigned_transfer(ABOUT_SOL_0, dest, 1_000_000, blockhash(&chain)));
    broadcast(&chain, &signed, &["--wait"]).ok();
    let run = watch().ok();
    let ev = events(&run);
    assert_eq!(ev[0]["event"], "watching", "{ev:?}");
    assert_eq!((ev[0]["address"].as_str(), ev[0]["account"].as_u64()), (Some(ABOUT_SOL_0), Some(0)));
    let outgoing: Vec<_> = ev.iter().filter(|e| e["event"] == "outgoing").collect();
    assert_eq!(outgoing.len(), 1, "{ev:?}");
    assert_eq!(outgoing[0]["transaction"]["signature"], id.as_str());
    assert_eq!(outgoing[0]["signed_here"], true);
    assert!(!ev.iter().any(|e| e["event"] == "alert"), "{ev:?}");

    // Signed with the same key outside Coffer (the leaked mnemonic), broadcast: an alert naming it, exit 9.
    let (foreign, foreign_id) =
        signed_outside_the_vault(&unsigned_transfer(ABOUT_SOL_0, dest, 1_500_000_000, blockhash(&chain)));
    broadcast(&chain, &foreign, &["--wait"]).ok();
    let run = watch().fails_with(9);
    let ev = events(&run);
    let alerts: Vec<_> = ev.iter().filter(|e| e["event"] == "alert").collect();
    assert_eq!(alerts.len(), 1, "{ev:?}");
    assert_eq!(alerts[0]["kind"], "foreign_signature");
    assert_eq!(alerts[0]["signed_here"], false);
    assert_eq!(alerts[0]["transaction"]["signature"], foreign_id.as_str());
    assert_eq!(alerts[0]["address"], ABOUT_SOL_0);
    assert_eq!(alerts[0]["endpoint"], chain.url.as_str());
    assert!(alerts[0]["message"].as_str().unwrap().contains("someone else is signing"), "{ev:?}");
    // The logged one is still not an alert.
    assert!(ev.iter().any(|e| e["event"] == "outgoing" && e["transaction"]["signature"] == id.as_str()));
    let e = run.error_json();
    assert_eq!(e["error"]["kind"], "foreign_signature", "{e}");
    // history agrees: the foreign one is outgoing and not signed here.
    let h = v.run(&[&["history", "--chain", "solana", "--seed", "main"], &local[..]].concat(), b"").ok().json();
    assert_eq!(h["entries"][0]["signature"], foreign_id.as_str());
    assert_eq!(
        (h["entries"][0]["outgoing"].as_bool(), h["entries"][0]["signed_here"].as_bool()),
        (Some(true), Some(false))
    );
    // Another account of the seed, untouched: nothing to report.
    let run = v
        .run(&[&["watch", "--chain", "solana", "--seed", "main", "--account", "3", "--once"], &local[..]].concat(), b"")
        .ok();
    assert_eq!(events(&run).len(), 1, "{}", run.stdout);
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn a_running_watch_rereads_the_log_before_an_alert_and_exits_9_on_one() {
    use std::io::BufRead as _;
    use std::sync::mpsc;
    use std::time::Duration;
    let _ = coffer_net();
    let chain = Solana::start();
    let v = TestVault::new("watch-running", b"watch running password\n");
    v.import("main", ABOUT, "");
    chain.rpc("coffer_airdrop", json!([ABOUT_SOL_0, 2_000_000_000u64]));
    let dest = address_of(&v, 2);
    let mut child = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(["--vault", &v.vault, "--password-file", &v.pw, "--json", "watch", "--chain", "solana", "--seed", "main"])
        .args(["--interval", "1", "--network", "localnet", "--endpoint", &chain.url])
        .env("XDG_CONFIG_HOME", v.dir.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Stopped if the test fails before it exits by itself.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().unwrap();
    let mut child = Stop(child);
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                return;
            }
        }
    });
    let next = |what: &str| -> Value {
        loop {
            let e = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no {what} event"));
            if e["event"] == what {
                return e;
            }
            assert_ne!(e["event"], "alert", "{e}");
        }
    };
    next("watching");
    // Signed with Coffer after the watch started: the log is re-read, no alert.
    let (signed, id) = sign_in_vault(&v, &unsigned_transfer(ABOUT_SOL_0, &dest, 1_000_000, blockhash(&chain)));
    broadcast(&chain, &signed, &["--wait"]).ok();
    let e = next("outgoing");
    assert_eq!(e["transaction"]["signature"], id.as_str());
    // Signed outside: the alert, and the watch ends with exit 9.
    let (foreign, foreign_id) =
        signed_outside_the_vault(&unsigned_transfer(ABOUT_SOL_0, &dest, 2_000_000, blockhash(&chain)));
    broadcast(&chain, &foreign, &["--wait"]).ok();
    let alert = loop {
        let e = rx.recv_timeout(Duration::from_secs(60)).expect("an alert");
        if e["event"] == "alert" {
            break e;
        }
    };
    assert_eq!(alert["transaction"]["signature"], foreign_id.as_str());
    let status = child.0.wait().unwrap();
    assert_eq!(status.code(), Some(9));
}

/// `coffer history --seed main` (ABOUT, account 0) with `$COFFER_NET` a script playing a network process: its
/// history lists `id`, and its answer to the transaction request carries `wire` (base64) under that id.
fn history_against_fake_net(v: &TestVault, id: &str, wire: &str) -> Run {
    use std::os::unix::fs::PermissionsExt;
    let hello = r#"{"coffer_net":1,"role":"server","software":"fake"}"#;
    let answer = |n: u32, reply: String| {
        format!(
            r#"{{"id":{n},"chain":"solana","network":"mainnet","endpoint":"https://x.example:443","outcome":{{"ok":{reply}}}}}"#
        )
    };
    let history = answer(
        1,
        format!(
            r#"{{"kind":"history","address":"{ABOUT_SOL_0}","entries":[{{"signature":"{id}","slot":5,"block_time":null,"failed":false}}]}}"#
        ),
    );
    let transaction = answer(
        2,
        format!(r#"{{"kind":"transaction","signature":"{id}","transaction":"{wire}","slot":5,"failed":false}}"#),
    );
    let script = v.dir.file(
        "coffer-net",
        format!(
            "#!/bin/sh\nprintf '%s\\n' '{hello}'\nread hello\nread request\nprintf '%s\\n' '{history}'\n\
             read request\nprintf '%s\\n' '{transaction}'\nread more\n"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(["--vault", &v.vault, "--password-file", &v.pw, "--json"])
        .args(["history", "--chain", "solana", "--seed", "main"])
        .env("COFFER_NET", &script)
        .env("XDG_CONFIG_HOME", v.dir.path().join("config"))
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
fn history_checks_every_transaction_an_endpoint_returns() {
    use ed25519_dalek::Signer as _;
    let v = TestVault::new("history-fake", b"history fake password\n");
    v.import("main", ABOUT, "");
    let to = "11111111111111111111111111111112";
    let unsigned = unsigned_transfer(ABOUT_SOL_0, to, 5, [9; 32]);
    // Honest: signed with the address's key outside the vault: outgoing, not signed here.
    let (signed, id) = signed_outside_the_vault(&unsigned);
    let h = history_against_fake_net(&v, &id, &signed).ok().json();
    let e = &h["entries"][0];
    assert_eq!(
        (e["signature"].as_str(), e["outgoing"].as_bool(), e["signed_here"].as_bool()),
        (Some(id.as_str()), Some(true), Some(false)),
        "{h}"
    );
    // A forged signature in the address's slot (another key): an endpoint cannot make up an outgoing transaction.
    let message = BASE64.decode(&unsigned).unwrap()[65..].to_vec();
    let forged = ed25519_dalek::SigningKey::from_bytes(&[1; 32]).sign(&message).to_bytes();
    let forged_id = coffer_core::sign::solana::base58(&forged);
    let wire = BASE64.encode(encode_transaction(&[forged], &message));
    let e = history_against_fake_net(&v, &forged_id, &wire).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "malformed_answer", "{e}");
    // The bytes of another transaction under the asked id.
    let other = coffer_core::sign::solana::base58(&[7; 64]);
    let e = history_against_fake_net(&v, &other, &signed).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "malformed_answer", "{e}");
}
