//! `coffer broadcast` and `coffer history` for Sui (and broadcast's checks for IOTA) against a local GraphQL
//! service in the shapes of tests/fixtures/sui/: the transaction and its signatures are checked before anything is
//! sent, the digest the service reports must be the transaction's own, `--wait` follows its effects.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use crate::balance::coffer_net;
use crate::common::{TempDir, coffer, vectors};

const OWNER: &str = "0x7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d";

pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/sui/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// The Sui vector transaction (tests/vectors/sui.json) with its sender and gas owner replaced by `address`.
pub(crate) fn tx_for(address: &str) -> Vec<u8> {
    let v = vectors("sui.json");
    let mut bytes = B64.decode(v["tx_bytes_b64"].as_str().unwrap()).unwrap();
    let old = unhex("75057dd9354e0f65e924cb06848125b6d4b9e8530d494b1fba7cd64a6a08ab1a");
    let new = unhex(address.trim_start_matches("0x"));
    let mut i = 0;
    while i + 32 <= bytes.len() {
        if bytes[i..i + 32] == old[..] {
            bytes[i..i + 32].copy_from_slice(&new);
            i += 32;
        } else {
            i += 1;
        }
    }
    bytes
}

/// A signed transaction of the vector's first key: (base64 transaction data, base64 serialized signature, its
/// digest, the key's address).
fn signed() -> (String, String, String, String) {
    signed_for(coffer_core::Chain::Sui)
}

/// As [`signed`], with the key's address on `chain` as sender and gas owner.
pub(crate) fn signed_for(chain: coffer_core::Chain) -> (String, String, String, String) {
    let case = &vectors("sui.json")["cases"][0];
    let secret: [u8; 32] = unhex(case["private_key_hex"].as_str().unwrap()).try_into().unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&secret);
    let address = chain.address(&coffer_core::PublicKey(key.verifying_key().to_bytes()));
    let bytes = tx_for(&address);
    use ed25519_dalek::Signer as _;
    let digest = coffer_core::sign::iota_sui::intent_digest(coffer_core::sign::iota_sui::INTENT_TRANSACTION, &bytes);
    let sig = key.sign(&digest).to_bytes();
    let serialized = coffer_core::sign::iota_sui::serialized_signature(&sig, key.verifying_key().as_bytes());
    (B64.encode(&bytes), B64.encode(serialized), coffer_core::migrate::iota_sui_digest(&bytes), address)
}

/// A local Sui GraphQL service: `executeTransaction` answers with the digest of the bytes it got (or `lie`), the
/// effects of any digest are a success in checkpoint 215000200, history from the fixtures. Records the queries.
/// The (query, variables) a service was sent.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

fn service(lie: Option<String>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            let query = req["query"].as_str().unwrap_or_default().to_owned();
            let vars = req["variables"].clone();
            log.lock().unwrap().push((query.clone(), vars.clone()));
            let body = if query.contains("chainIdentifier") {
                fixture("chain-identifier-mainnet.json")
            } else if query.contains("executeTransaction") {
                let bytes = B64.decode(vars["tx"].as_str().unwrap_or_default()).unwrap_or_default();
                let digest = lie.clone().unwrap_or_else(|| coffer_core::migrate::iota_sui_digest(&bytes));
                json!({"data": {"executeTransaction": {"effects": {"digest": digest, "status": "SUCCESS"}, "errors": null}}})
                    .to_string()
            } else if query.contains("multiGetTransactionEffects") {
                let effects: Vec<Value> = vars["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| json!({"digest": k, "status": "SUCCESS", "checkpoint": {"sequenceNumber": 215_000_200}}))
                    .collect();
                json!({"data": {"multiGetTransactionEffects": effects}}).to_string()
            } else if query.contains("transactions(") {
                fixture(if vars["before"].is_null() { "history-page-1.json" } else { "history-page-2.json" })
            } else {
                fixture("graphql-error.json")
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

pub(crate) fn request_body(s: &mut TcpStream) -> Option<Value> {
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).ok()?;
    let len: usize = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
    })?;
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

#[test]
fn sui_broadcast_checks_the_signatures_sends_and_waits() {
    let _ = coffer_net();
    let (tx, sig, digest, _) = signed();
    let dir = TempDir::new("broadcast-sui");
    let file = dir.file("tx", tx.as_bytes());
    let (url, seen) = service(None);
    let base = ["broadcast", "--chain", "sui", "--tx-file", &file, "--endpoint", &url, "--json"];

    let out = coffer(&[&base[..], &["--signature", &sig, "--wait"]].concat(), b"").ok().json();
    assert_eq!(out["signature"], digest.as_str());
    assert_eq!((out["confirmation"].as_str(), out["slot"].as_u64()), (Some("finalized"), Some(215_000_200)));
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let execute = seen.iter().find(|(q, _)| q.contains("executeTransaction")).expect("executed");
    assert_eq!(execute.1, json!({"tx": tx, "signatures": [sig]}));
    assert!(seen.iter().any(|(q, v)| q.contains("multiGetTransactionEffects") && v["keys"] == json!([digest])));

    // Checked before anything is sent.
    let run = |extra: &[&str]| coffer(&[&base[..], extra].concat(), b"");
    assert_eq!(run(&[]).fails_with(3).error_json()["error"]["kind"], "unsigned_transaction");
    let mut tampered = B64.decode(&sig).unwrap();
    tampered[10] ^= 1;
    let e = run(&["--signature", &B64.encode(&tampered)]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_signature", "{e}");
    // Another key's signature (the vector's second key is neither sender nor gas owner).
    let other = vectors("sui.json")["cases"][1]["serialized_signature_b64"].as_str().unwrap().to_owned();
    let e = run(&["--signature", &other]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_signature", "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("neither the sender nor the gas owner"), "{e}");
    let junk = dir.file("junk", b"bm90IGEgdHJhbnNhY3Rpb24=");
    let e = coffer(
        &["broadcast", "--chain", "sui", "--tx-file", &junk, "--signature", &sig, "--endpoint", &url, "--json"],
        b"",
    )
    .fails_with(3)
    .error_json();
    assert_eq!(e["error"]["kind"], "invalid_transaction");
    let e = coffer(&["broadcast", "--chain", "solana", "--tx-file", &file, "--signature", &sig, "--json"], b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "conflicting_arguments");

    // A service that reports another digest is not believed.
    let (liar, _) = service(Some(bs58::encode([1u8; 32]).into_string()));
    let e = coffer(
        &["broadcast", "--chain", "sui", "--tx-file", &file, "--signature", &sig, "--endpoint", &liar, "--json"],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "malformed_answer", "coffer-net refuses it first: {e}");
}

#[test]
fn sui_history_by_address() {
    let _ = coffer_net();
    let (url, _) = service(None);
    let out =
        coffer(&["history", "--chain", "sui", "--address", OWNER, "--limit", "2", "--endpoint", &url, "--json"], b"")
            .ok()
            .json();
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (entries[0]["slot"].as_u64(), entries[0]["block_time"].as_i64()),
        (Some(215_000_100), Some(1_796_058_245))
    );
    assert_eq!(entries[1]["failed"], true);
    assert!(entries[0].get("outgoing").is_none());
}

/// A service whose history holds `txs` (oldest first) and serves each one's transaction data by digest.
fn history_service(txs: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            let query = req["query"].as_str().unwrap_or_default().to_owned();
            let vars = req["variables"].clone();
            let digest = |b: &Vec<u8>| coffer_core::migrate::iota_sui_digest(b);
            let body = if query.contains("chainIdentifier") {
                fixture("chain-identifier-mainnet.json")
            } else if query.contains("transactions(") {
                let nodes: Vec<Value> = txs
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        json!({"digest": digest(b), "effects": {"status": "SUCCESS",
                            "checkpoint": {"sequenceNumber": 100 + i}, "timestamp": "2026-11-30T17:04:05Z"}})
                    })
                    .collect();
                json!({"data": {"address": {"transactions": {"pageInfo": {"hasPreviousPage": false, "startCursor": "c"}, "nodes": nodes}}}})
                    .to_string()
            } else if query.contains("transaction(digest") {
                let found = txs.iter().find(|b| digest(b) == vars["digest"].as_str().unwrap_or_default());
                let tx = found.map(|b| {
                    json!({"digest": digest(b), "transactionBcs": B64.encode(b),
                        "effects": {"status": "SUCCESS", "checkpoint": {"sequenceNumber": 100}}})
                });
                json!({"data": {"transaction": tx}}).to_string()
            } else {
                fixture("graphql-error.json")
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn sui_history_and_watch_mark_what_the_vault_signed_and_alert_on_the_rest() {
    let _ = coffer_net();
    let case = &vectors("sui.json")["cases"][0];
    let address = case["address"].as_str().unwrap().to_owned();
    let v = crate::common::TestVault::new("watch-sui", b"watch sui password\n");
    v.import("old", case["mnemonic"].as_str().unwrap(), "");
    let dir = TempDir::new("watch-sui");
    let mine = tx_for(&address);
    let file = dir.file("tx", B64.encode(&mine).as_bytes());
    v.run(&["sign", "--chain", "sui", "--seed", "old", "--tx-file", &file, "--yes"], b"").ok();
    // The same transfer with another gas budget: signed by the same key, but not by this vault.
    let mut foreign = mine.clone();
    let n = foreign.len();
    foreign[n - 3] ^= 0x01;
    assert!(coffer_core::sign::iota_sui::decode_transaction(coffer_core::Chain::Sui, &foreign).is_ok());
    let url = history_service(vec![mine.clone(), foreign.clone()]);

    let out = v.run(&["history", "--chain", "sui", "--seed", "old", "--endpoint", &url, "--json"], b"").ok().json();
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(out["address"], address.as_str());
    assert_eq!(entries[0]["signature"], coffer_core::migrate::iota_sui_digest(&foreign).as_str(), "newest first");
    assert_eq!((entries[0]["outgoing"].as_bool(), entries[0]["signed_here"].as_bool()), (Some(true), Some(false)));
    assert_eq!((entries[1]["outgoing"].as_bool(), entries[1]["signed_here"].as_bool()), (Some(true), Some(true)));

    let run = v.run(&["watch", "--chain", "sui", "--seed", "old", "--once", "--endpoint", &url], b"").fails_with(9);
    let events: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["watching", "outgoing", "alert"], "{events:?}");
    assert_eq!(events[2]["kind"], "foreign_signature");
    assert_eq!(events[2]["transaction"]["signature"], coffer_core::migrate::iota_sui_digest(&foreign).as_str());
}

#[test]
fn iota_broadcast_sends_through_json_rpc_and_checks_the_digest() {
    let _ = coffer_net();
    let (tx, sig, digest, _) = signed_for(coffer_core::Chain::Iota);
    assert!(
        coffer_core::sign::iota_sui::decode_transaction(coffer_core::Chain::Iota, &B64.decode(&tx).unwrap()).is_ok(),
        "the vector transaction is also an IOTA TransactionData"
    );
    let dir = TempDir::new("broadcast-iota");
    let file = dir.file("tx", tx.as_bytes());
    let node = |lie: bool| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some(req) = request_body(&mut s) else { continue };
                let method = req["method"].as_str().unwrap_or_default().to_owned();
                log.lock().unwrap().push((method.clone(), req["params"].clone()));
                let result = if method == "iota_getChainIdentifier" {
                    json!("6364aad5")
                } else {
                    let bytes = B64.decode(req["params"][0].as_str().unwrap_or_default()).unwrap_or_default();
                    let digest = if lie {
                        bs58::encode([3u8; 32]).into_string()
                    } else {
                        coffer_core::migrate::iota_sui_digest(&bytes)
                    };
                    json!({"digest": digest, "effects": {"status": {"status": "success"}}})
                };
                let body = json!({"jsonrpc": "2.0", "id": req["id"], "result": result}).to_string();
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (url, seen)
    };
    let (url, seen) = node(false);
    let out = coffer(
        &["broadcast", "--chain", "iota", "--tx-file", &file, "--signature", &sig, "--endpoint", &url, "--json"],
        b"",
    )
    .ok()
    .json();
    assert_eq!((out["chain"].as_str(), out["signature"].as_str()), (Some("iota"), Some(digest.as_str())));
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(seen[1], ("iota_executeTransactionBlock".to_owned(), json!([tx, [sig], {"showEffects": true}])));
    let (liar, _) = node(true);
    let e = coffer(
        &["broadcast", "--chain", "iota", "--tx-file", &file, "--signature", &sig, "--endpoint", &liar, "--json"],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "malformed_answer", "{e}");
}

#[test]
fn iota_history_by_address() {
    let _ = coffer_net();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            let path = match req["method"].as_str().unwrap_or_default() {
                "iota_getChainIdentifier" => "chain-identifier-mainnet.json",
                "iotax_queryTransactionBlocks" => "query-transaction-blocks.json",
                _ => "invalid-params.json",
            };
            let file = format!("{}/../../tests/fixtures/iota/{path}", env!("CARGO_MANIFEST_DIR"));
            let mut answer: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            answer["id"] = req["id"].clone();
            let body = answer.to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let out =
        coffer(&["history", "--chain", "iota", "--address", OWNER, "--endpoint", &url, "--json"], b"").ok().json();
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0]["slot"].as_u64(), entries[1]["failed"].as_bool()), (Some(41_000_200), Some(true)));
}
