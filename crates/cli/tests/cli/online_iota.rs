//! IOTA online: `coffer history --seed` and `coffer watch` mark each transaction *signed here* or alert on it, from
//! the raw transaction coffer-net fetched (its digest recomputed); `coffer broadcast --wait` follows the digest;
//! `coffer balance --accounts` scans a seed's accounts in one JSON-RPC batch. Against a local JSON-RPC node in the
//! shapes of tests/fixtures/iota/ (the IOTA OpenRPC spec's `TransactionBlockResponse`, `Balance`), which answers
//! batch arrays.

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use crate::balance::coffer_net;
use crate::common::{TempDir, coffer, vectors};
use crate::online_sui::{request_body, signed_for, tx_for};

/// What a node was asked: `(method, params)` per element, and the number of POSTs.
#[derive(Default)]
struct Log {
    calls: Vec<(String, Value)>,
    posts: usize,
}

/// A local IOTA JSON-RPC node. `txs` (oldest first) are the transactions the watched address sent, each served by
/// `iota_getTransactionBlock` as `SenderSignedData` (intent, data, one signature); a transaction executed through it
/// joins them, in checkpoint 300. Every address holds 7 IOTA. Batch arrays are answered in reverse order.
fn node(txs: Vec<Vec<u8>>) -> (String, Arc<Mutex<Log>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let seen = Arc::clone(&log);
    let txs = Arc::new(Mutex::new(txs));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            seen.lock().unwrap().posts += 1;
            let one = |r: &Value| -> Value {
                let method = r["method"].as_str().unwrap_or_default().to_owned();
                let params = r["params"].clone();
                seen.lock().unwrap().calls.push((method.clone(), params.clone()));
                let digest = |b: &Vec<u8>| coffer_core::migrate::iota_sui_digest(b);
                let result = match method.as_str() {
                    "iota_getChainIdentifier" => json!("6364aad5"),
                    "iotax_queryTransactionBlocks" => {
                        let sent = params[0]["filter"].get("FromAddress").is_some();
                        let list = txs.lock().unwrap();
                        let data: Vec<Value> = if sent {
                            list.iter()
                                .enumerate()
                                .rev()
                                .map(|(i, b)| {
                                    json!({"digest": digest(b), "checkpoint": (100 + i).to_string(),
                                        "timestampMs": "1796058245000", "effects": {"status": {"status": "success"}}})
                                })
                                .collect()
                        } else {
                            Vec::new()
                        };
                        json!({"data": data, "nextCursor": null, "hasNextPage": false})
                    }
                    "iota_getTransactionBlock" => {
                        let asked = params[0].as_str().unwrap_or_default();
                        let list = txs.lock().unwrap();
                        let Some(b) = list.iter().find(|b| digest(b) == asked) else {
                            return json!({"jsonrpc": "2.0", "id": r["id"], "error": {"code": -32602,
                                "message": format!("Could not find the referenced transaction [TransactionDigest({asked})].")}});
                        };
                        let mut raw = vec![1, 0, 0, 0];
                        raw.extend_from_slice(b);
                        raw.extend_from_slice(&[1, 97]);
                        raw.extend_from_slice(&[0u8; 97]);
                        let mut answer = json!({"digest": asked, "checkpoint": "300",
                            "effects": {"messageVersion": "v1", "status": {"status": "success"}}});
                        if params[1]["showRawInput"] == true {
                            answer["rawTransaction"] = json!(B64.encode(raw));
                        }
                        answer
                    }
                    "iota_executeTransactionBlock" => {
                        let bytes = B64.decode(params[0].as_str().unwrap_or_default()).unwrap_or_default();
                        let d = digest(&bytes);
                        txs.lock().unwrap().push(bytes);
                        json!({"digest": d, "effects": {"status": {"status": "success"}}})
                    }
                    "iotax_getBalance" => {
                        json!({"coinType": "0x2::iota::IOTA", "coinObjectCount": 1, "totalBalance": "7000000000"})
                    }
                    _ => {
                        return json!({"jsonrpc": "2.0", "id": r["id"], "error": {"code": -32602, "message": "Invalid params"}});
                    }
                };
                json!({"jsonrpc": "2.0", "id": r["id"], "result": result})
            };
            let body = match &req {
                Value::Array(elements) => Value::Array(elements.iter().map(one).rev().collect()),
                single => one(single),
            }
            .to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, log)
}

#[test]
fn iota_history_and_watch_mark_what_the_vault_signed_and_alert_on_the_rest() {
    let _ = coffer_net();
    let case = &vectors("sui.json")["cases"][0];
    let v = crate::common::TestVault::new("watch-iota", b"watch iota password\n");
    v.import("old", case["mnemonic"].as_str().unwrap(), "");
    let derived = v.run(&["address", "--chain", "iota", "--seed", "old", "--json"], b"").ok().json();
    let address = derived[0]["address"].as_str().unwrap().to_owned();
    let dir = TempDir::new("watch-iota");
    let mine = tx_for(&address);
    let file = dir.file("tx", B64.encode(&mine).as_bytes());
    v.run(&["sign", "--chain", "iota", "--seed", "old", "--tx-file", &file, "--yes"], b"").ok();
    // The same transfer with another gas budget: its sender is the address, but this vault never signed it.
    let mut foreign = mine.clone();
    let n = foreign.len();
    foreign[n - 3] ^= 0x01;
    assert!(coffer_core::sign::iota_sui::decode_transaction(coffer_core::Chain::Iota, &foreign).is_ok());
    let (url, log) = node(vec![mine.clone(), foreign.clone()]);

    let out = v.run(&["history", "--chain", "iota", "--seed", "old", "--endpoint", &url, "--json"], b"").ok().json();
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(out["address"], address.as_str());
    assert_eq!(entries[0]["signature"], coffer_core::migrate::iota_sui_digest(&foreign).as_str(), "newest first");
    assert_eq!((entries[0]["outgoing"].as_bool(), entries[0]["signed_here"].as_bool()), (Some(true), Some(false)));
    assert_eq!((entries[1]["outgoing"].as_bool(), entries[1]["signed_here"].as_bool()), (Some(true), Some(true)));
    let asked: Vec<Value> = std::mem::take(&mut log.lock().unwrap().calls)
        .into_iter()
        .filter(|(m, _)| m == "iota_getTransactionBlock")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(
        asked[0],
        json!([coffer_core::migrate::iota_sui_digest(&foreign), {"showRawInput": true, "showEffects": true}])
    );

    let run = v.run(&["watch", "--chain", "iota", "--seed", "old", "--once", "--endpoint", &url], b"").fails_with(9);
    let events: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["watching", "outgoing", "alert"], "{events:?}");
    assert_eq!(events[2]["kind"], "foreign_signature");
    assert_eq!(events[2]["transaction"]["signature"], coffer_core::migrate::iota_sui_digest(&foreign).as_str());

    // Only what this vault signed: no alert, exit 0.
    let (url, _) = node(vec![mine]);
    let run = v.run(&["watch", "--chain", "iota", "--seed", "old", "--once", "--endpoint", &url], b"").ok();
    assert!(!run.stdout.contains("alert"), "{}", run.stdout);
}

#[test]
fn iota_broadcast_waits_for_the_checkpoint() {
    let _ = coffer_net();
    let (tx, sig, digest, _) = signed_for(coffer_core::Chain::Iota);
    let dir = TempDir::new("broadcast-iota-wait");
    let file = dir.file("tx", tx.as_bytes());
    let (url, log) = node(Vec::new());
    let out = coffer(
        &[
            "broadcast",
            "--chain",
            "iota",
            "--tx-file",
            &file,
            "--signature",
            &sig,
            "--wait",
            "--endpoint",
            &url,
            "--json",
        ],
        b"",
    )
    .ok()
    .json();
    assert_eq!(out["signature"], digest.as_str());
    assert_eq!((out["confirmation"].as_str(), out["slot"].as_u64()), (Some("finalized"), Some(300)));
    let calls = std::mem::take(&mut log.lock().unwrap().calls);
    assert!(
        calls.iter().any(|(m, p)| m == "iota_getTransactionBlock" && *p == json!([digest, {"showEffects": true}])),
        "{calls:?}"
    );
}

#[test]
fn iota_balance_of_ten_accounts_in_one_batch() {
    let _ = coffer_net();
    let case = &vectors("sui.json")["cases"][0];
    let v = crate::common::TestVault::new("scan-iota", b"scan iota password\n");
    v.import("old", case["mnemonic"].as_str().unwrap(), "");
    let (url, log) = node(Vec::new());
    let out = v
        .run(&["balance", "--chain", "iota", "--seed", "old", "--accounts", "10", "--endpoint", &url, "--json"], b"")
        .ok()
        .json();
    let accounts = out["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 10);
    assert_eq!((out["requests"].as_u64(), out["unit"].as_str()), (Some(1), Some("nanos")));
    let third = v.run(&["address", "--chain", "iota", "--seed", "old", "--account", "3", "--json"], b"").ok().json();
    assert_eq!(accounts[3], json!({"account": 3, "address": third[0]["address"], "balance": "7000000000"}));
    let log = log.lock().unwrap();
    // The chain identifier, then one POST with ten iotax_getBalance elements.
    assert_eq!(log.posts, 2);
    assert_eq!(log.calls.iter().filter(|(m, _)| m == "iotax_getBalance").count(), 10);
    drop(log);
    // 1 to 100 accounts; not with --account.
    v.run(&["balance", "--chain", "iota", "--seed", "old", "--accounts", "0"], b"").fails_with(2);
    v.run(&["balance", "--chain", "iota", "--seed", "old", "--accounts", "2", "--account", "1"], b"").fails_with(2);
}
