//! `coffer balance --chain stellar` against a local Horizon serving tests/fixtures/stellar/ (Horizon's documented
//! shapes): the account with its trustlines, data entries and signers, its offers and claimable balances; an
//! account that does not exist; the public network's name; another network's passphrase refused.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use serde_json::json;

use crate::balance::coffer_net;
use crate::common::{ABOUT, TestVault, coffer};

/// Account 0 and 1 of ABOUT (m/44'/148'/N').
const ABOUT_XLM_0: &str = "GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX";
const ABOUT_XLM_1: &str = "GDVSYYTUAJ3ACHTPQNSTQBDQ4LDHQCMNY4FCEQH5TJUMSSLWQSTG42MV";
const USDC_ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/stellar/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A local Horizon answering from the fixtures (one request per connection); returns its URL.
pub(crate) fn horizon() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(target) = request_target(&mut s) else { continue };
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let (status, body) = match path.as_str() {
                "/" => (200, fixture("root-public.json")),
                "/claimable_balances" if target.contains(ABOUT_XLM_0) => (200, fixture("claimable-balances.json")),
                "/claimable_balances" => (200, r#"{"_embedded":{"records":[]}}"#.to_owned()),
                p if p == format!("/accounts/{ABOUT_XLM_0}") => (200, fixture("account.json")),
                p if p == format!("/accounts/{ABOUT_XLM_0}/offers") => (200, fixture("offers.json")),
                _ => (404, fixture("not-found.json")),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: application/hal+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// Reads a GET request's head and returns its target.
fn request_target(s: &mut TcpStream) -> Option<String> {
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
    head.split(' ').nth(1).map(str::to_owned)
}

#[test]
fn stellar_balance_against_horizon_fixtures() {
    let _ = coffer_net();
    let url = horizon();
    let public = ["--network", "public", "--endpoint", url.as_str()];
    let by_address = |address: &str, extra: &[&str]| {
        coffer(&[&["balance", "--chain", "stellar", "--address", address], &public[..], extra].concat(), b"")
    };

    let out = by_address(ABOUT_XLM_0, &["--json"]).ok().json();
    assert_eq!((out["chain"].as_str(), out["network"].as_str()), (Some("stellar"), Some("public")));
    assert_eq!(out["exists"], true);
    assert_eq!(
        (out["balance"].as_str(), out["unit"].as_str(), out["decimals"].as_u64()),
        (Some("100000000001"), Some("stroops"), Some(7))
    );
    assert_eq!(out["sequence"], "120192344791990275");
    assert_eq!(out["trustlines"].as_array().unwrap().len(), 3, "{out}");
    assert_eq!(
        out["trustlines"][0],
        json!({"type": "credit", "code": "USDC", "issuer": USDC_ISSUER, "balance": "255000000", "limit": "9223372036854775807"})
    );
    assert_eq!(out["trustlines"][2]["type"], "pool_shares");
    assert_eq!((out["subentry_count"].as_u64(), out["num_sponsored"].as_u64()), (Some(5), Some(1)));
    assert_eq!(out["data"][1], json!({"name": "note", "value": "aGVsbG8gd29ybGQ="}));
    assert_eq!(out["signers"][1], json!({"key": ABOUT_XLM_0, "weight": 2}));
    assert_eq!(out["thresholds"], json!({"low": 0, "med": 1, "high": 2}));
    assert_eq!(out["offers"].as_array().unwrap().len(), 2);
    assert_eq!(out["offers"][0]["id"], "1234567890");
    assert_eq!(out["claimable_balances"][0]["amount"], "50000000");
    assert_eq!(out["claimable_balances_complete"], true);
    assert_eq!(out["endpoint"], url.as_str());
    assert_eq!(out["ledger"], 54_980_001);

    // People's output: XLM with 7 decimals and stroops, each trustline, the endpoint.
    let text = by_address(ABOUT_XLM_0, &[]).ok().stdout;
    assert!(text.contains("balance  10000.0000001 XLM (100000000001 stroops)"), "{text}");
    assert!(text.contains(&format!("trustline 25.5000000 USDC issued by {USDC_ISSUER}")), "{text}");
    assert!(text.contains(&format!("reported by {url}")), "{text}");

    // From the vault: account 0 exists, account 1 does not (a typed answer, exit 0, balance 0).
    let v = TestVault::new("balance-stellar", b"balance stellar password\n");
    v.import("main", ABOUT, "");
    let from_seed = |n: &str| {
        v.run(&[&["balance", "--chain", "stellar", "--seed", "main", "--account", n], &public[..]].concat(), b"")
    };
    let out = from_seed("0").ok().json();
    assert_eq!((out["address"].as_str(), out["exists"].as_bool()), (Some(ABOUT_XLM_0), Some(true)));
    let out = from_seed("1").ok().json();
    assert_eq!((out["address"].as_str(), out["exists"].as_bool()), (Some(ABOUT_XLM_1), Some(false)));
    assert_eq!((out["balance"].as_str(), out["trustlines"].is_null()), (Some("0"), true), "{out}");
    assert_eq!(out["claimable_balances"], json!([]));
    let text = by_address(ABOUT_XLM_1, &[]).ok().stdout;
    assert!(text.contains("does not exist on this network (unfunded)"), "{text}");

    // The fixture server is the public network's Horizon: asked as testnet, refused by its passphrase.
    let e = coffer(
        &[
            "balance",
            "--chain",
            "stellar",
            "--address",
            ABOUT_XLM_0,
            "--network",
            "testnet",
            "--endpoint",
            &url,
            "--json",
        ],
        b"",
    )
    .fails_with(8)
    .error_json();
    assert_eq!(e["error"]["kind"], "wrong_chain", "{e}");
}

#[test]
fn stellar_balance_errors_are_typed() {
    let _ = coffer_net();
    let run = |args: &[&str]| coffer(&[&["balance", "--chain", "stellar", "--json"], args].concat(), b"");
    let e = run(&["--address", ABOUT_XLM_0, "--network", "devnet"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "unknown_network");
    let e = run(&["--address", "GABC"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = run(&["--address", "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = run(&["--address", ABOUT_XLM_0, "--network", "localnet"]).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "endpoint_required");
}
