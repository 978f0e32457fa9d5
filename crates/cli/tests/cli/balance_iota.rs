//! `coffer balance --chain iota` against a local JSON-RPC node serving tests/fixtures/iota/ (the IOTA JSON-RPC
//! API's documented shapes): every coin type's total, IOTA with 9 decimals, the owned-object count; from the vault;
//! another network's chain identifier refused.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::balance::coffer_net;
use crate::common::{ABOUT, TestVault, coffer};

/// The fixtures' owner.
const OWNER: &str = "0x7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d";

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/iota/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A local IOTA node answering from the fixtures (one request per connection), the fixtures' owner replaced by the
/// asked one; returns its URL and the owners it was asked about.
fn node() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            let owner = req["params"][0].as_str().unwrap_or_default().to_owned();
            let body = match req["method"].as_str().unwrap_or_default() {
                "iota_getChainIdentifier" => fixture("chain-identifier-mainnet.json"),
                "iotax_getAllBalances" => fixture("all-balances.json"),
                "iotax_getOwnedObjects" => fixture("owned-objects.json"),
                "iotax_getCoinMetadata" => fixture("coin-metadata.json"),
                _ => fixture("invalid-params.json"),
            };
            if !owner.is_empty() && req["method"] != "iotax_getCoinMetadata" {
                log.lock().unwrap().push(owner.clone());
            }
            let mut answer: Value = serde_json::from_str(&body.replace(OWNER, &owner)).unwrap();
            answer["id"] = req["id"].clone();
            let body = answer.to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, asked)
}

/// Reads a POST request and returns its JSON body.
fn request_body(s: &mut TcpStream) -> Option<Value> {
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
fn iota_balance_against_json_rpc_fixtures() {
    let _ = coffer_net();
    let (url, asked) = node();
    let endpoint = ["--endpoint", url.as_str()];
    let by_address = |extra: &[&str]| {
        coffer(&[&["balance", "--chain", "iota", "--address", OWNER], &endpoint[..], extra].concat(), b"")
    };

    let out = by_address(&["--json"]).ok().json();
    assert_eq!((out["chain"].as_str(), out["network"].as_str()), (Some("iota"), Some("mainnet")));
    assert_eq!(out["address"], OWNER);
    assert_eq!(
        out["coins"],
        json!([
            {"coin_type": "0x2::iota::IOTA", "total": "12500000001", "object_count": 3, "decimals": 9, "symbol": "IOTA"},
            {"coin_type": format!("0x{}::usdt::USDT", "a1".repeat(32)), "total": "250000000", "object_count": 1, "decimals": 6, "symbol": "USDT"},
        ])
    );
    assert_eq!((out["owned_objects"].as_u64(), out["owned_objects_complete"].as_bool()), (Some(3), Some(true)));
    assert_eq!(out["endpoint"], url.as_str());

    let text = by_address(&[]).ok().stdout;
    assert!(text.contains("balance  12.500000001 IOTA (12500000001 nanos in 3 coin objects)"), "{text}");
    assert!(text.contains("coin     250.000000 \"USDT\" of 0xa1a1"), "{text}");
    assert!(text.contains("(250000000 raw in 1 coin objects)"), "{text}");
    assert!(text.contains("objects  3 owned"), "{text}");
    assert!(text.contains(&format!("reported by {url}")), "{text}");

    // From the vault: account 0 of the seed, an IOTA address, the one the node was asked about.
    asked.lock().unwrap().clear();
    let v = TestVault::new("balance-iota", b"balance iota password\n");
    v.import("main", ABOUT, "");
    let out = v.run(&[&["balance", "--chain", "iota", "--seed", "main"], &endpoint[..]].concat(), b"").ok().json();
    let address = out["address"].as_str().unwrap().to_owned();
    assert!(address.len() == 66 && address.starts_with("0x") && address != OWNER, "{address}");
    assert_eq!(*asked.lock().unwrap(), vec![address.clone(), address]);
    assert_eq!(out["owned_objects"], 3);

    // The fixture node is mainnet: asked as testnet, refused by its chain identifier.
    let e = coffer(
        &["balance", "--chain", "iota", "--address", OWNER, "--network", "testnet", "--endpoint", &url, "--json"],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "wrong_chain", "{e}");
}

#[test]
fn iota_balance_errors_are_typed() {
    let _ = coffer_net();
    let run = |args: &[&str]| coffer(&[&["balance", "--chain", "iota", "--json"], args].concat(), b"");
    let e = run(&["--address", "0x7D7D"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = run(&["--address", "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = run(&["--address", OWNER, "--network", "localnet"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_required");
}
