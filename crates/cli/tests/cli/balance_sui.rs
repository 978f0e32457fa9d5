//! `coffer balance --chain sui` against a local GraphQL service serving tests/fixtures/sui/ (the shapes of Sui's
//! GraphQL schema): every coin type's total with its metadata's decimals and symbol, SUI with 9 decimals, the
//! owned-object count; from the vault; another network's chain identifier refused.

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
    let path = format!("{}/../../tests/fixtures/sui/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A local Sui GraphQL service answering from the fixtures (one request per connection), the fixtures' owner
/// replaced by the asked one; returns its URL and the owners it was asked about.
fn service() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(req) = request_body(&mut s) else { continue };
            let query = req["query"].as_str().unwrap_or_default();
            let vars = &req["variables"];
            let owner = vars["owner"].as_str().unwrap_or_default().to_owned();
            let body = if query.contains("chainIdentifier") {
                fixture("chain-identifier-mainnet.json")
            } else if query.contains("balances(") {
                fixture(if vars["after"].is_null() { "balances-page-1.json" } else { "balances-page-2.json" })
            } else if query.contains("objects(") {
                fixture(if vars["after"].is_null() { "objects-page-1.json" } else { "objects-page-2.json" })
            } else if query.contains("coinMetadata") {
                fixture("coin-metadata.json")
            } else {
                fixture("graphql-error.json")
            };
            if !owner.is_empty() {
                log.lock().unwrap().push(owner.clone());
            }
            let body = if owner.is_empty() { body } else { body.replace(OWNER, &owner) };
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
fn sui_balance_against_graphql_fixtures() {
    let _ = coffer_net();
    let (url, asked) = service();
    let origin = url.trim_end_matches("/graphql").to_owned();
    let endpoint = ["--endpoint", url.as_str()];
    let by_address = |extra: &[&str]| {
        coffer(&[&["balance", "--chain", "sui", "--address", OWNER], &endpoint[..], extra].concat(), b"")
    };

    let out = by_address(&["--json"]).ok().json();
    assert_eq!((out["chain"].as_str(), out["network"].as_str()), (Some("sui"), Some("mainnet")));
    assert_eq!(out["address"], OWNER);
    let two = format!("0x{}2", "0".repeat(63));
    assert_eq!(
        out["coins"],
        json!([
            {"coin_type": format!("{two}::sui::SUI"), "total": "7250000001", "object_count": null, "decimals": 9, "symbol": "SUI"},
            {"coin_type": format!("0x{}::usdc::USDC", "a1".repeat(32)), "total": "1500000", "object_count": null, "decimals": 6, "symbol": "USDC"},
        ])
    );
    assert_eq!((out["owned_objects"].as_u64(), out["owned_objects_complete"].as_bool()), (Some(3), Some(true)));
    assert_eq!(out["endpoint"], origin.as_str());

    let text = by_address(&[]).ok().stdout;
    assert!(text.contains("balance  7.250000001 SUI (7250000001 MIST)"), "{text}");
    assert!(text.contains("coin     1.500000 \"USDC\" of 0xa1a1"), "{text}");
    assert!(text.contains("objects  3 owned"), "{text}");
    assert!(text.contains(&format!("reported by {origin}")), "{text}");

    // From the vault: account 0 of the seed (m/44'/784'/0'/0'/0'), the address the service was asked about.
    asked.lock().unwrap().clear();
    let v = TestVault::new("balance-sui", b"balance sui password\n");
    v.import("main", ABOUT, "");
    let out = v.run(&[&["balance", "--chain", "sui", "--seed", "main"], &endpoint[..]].concat(), b"").ok().json();
    let address = out["address"].as_str().unwrap().to_owned();
    let expected =
        coffer(&["address", "--chain", "sui", "--mnemonic-file", "-", "--json"], format!("{ABOUT}\n").as_bytes())
            .ok()
            .json();
    assert_eq!(expected[0]["address"], address.as_str());
    assert!(asked.lock().unwrap().iter().all(|a| *a == address), "only the seed's address was asked about");

    // The fixture service is mainnet: asked as testnet, refused by its chain identifier.
    let e = coffer(
        &["balance", "--chain", "sui", "--address", OWNER, "--network", "testnet", "--endpoint", &url, "--json"],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "wrong_chain", "{e}");
}
