//! The scan benchmark (not a timed test: it asserts what was asked and answered, never how fast): the native
//! balances of 10 accounts on each chain coffer-net serves, through the coffer-net process, against local servers
//! that speak each API (IOTA JSON-RPC and Sui GraphQL in the fixtures' shapes, Stellar Horizon, Solana JSON-RPC
//! served by LiteSVM, the real runtime). Each chain is scanned twice in the same process: one request per account
//! (`balances` with one address, ten times: the baseline) and batched (`balances` with ten addresses: one JSON-RPC
//! batch array, one aliased GraphQL query; Horizon has no batch). Printed: requests to the endpoint and median wall
//! time of each, and their ratio; once with the local servers answering at once, once with `LATENCY_MS` (default
//! 20) added to every HTTP request, as a nearby public endpoint would.
//!
//! Run it with scripts/perf-scan (it installs the LiteSVM server with npm when needed); ignored otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use coffer_net_proto::{Call, Chain, Network, Reply};
use coffer_test_util::LiteSvm;
use common::Net;
use serde_json::{Value, json};

const ACCOUNTS: usize = 10;
const RUNS: usize = 7;

/// A local HTTP server: each connection one request, answered by `answer(body)` after `delay_ms` (changeable while it
/// runs); counts the requests.
struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    delay_ms: Arc<AtomicU64>,
}

impl Server {
    fn start(path: &str, answer: impl Fn(&str, &[u8]) -> (u16, String) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}{path}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let (count, delay) = (Arc::clone(&requests), Arc::clone(&delay_ms));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some((target, body)) = read_request(&mut s) else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(delay.load(Ordering::SeqCst)));
                let (status, text) = answer(&target, &body);
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        Self { url, requests, delay_ms }
    }

    /// A proxy to `upstream` (host:port) that counts and delays each connection like [`Server::start`].
    fn proxy(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let (count, delay) = (Arc::clone(&requests), Arc::clone(&delay_ms));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some((target, body)) = read_request(&mut s) else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(delay.load(Ordering::SeqCst)));
                let mut up = TcpStream::connect(&upstream).unwrap();
                write!(
                    up,
                    "POST {target} HTTP/1.0\r\nhost: {upstream}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                )
                .unwrap();
                up.write_all(&body).unwrap();
                let mut answer = Vec::new();
                up.read_to_end(&mut answer).unwrap();
                let _ = s.write_all(&answer);
            }
        });
        Self { url, requests, delay_ms }
    }

    fn take_requests(&self) -> usize {
        self.requests.swap(0, Ordering::SeqCst)
    }
}

fn read_request(s: &mut TcpStream) -> Option<(String, Vec<u8>)> {
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
    let target = head.split_whitespace().nth(1)?.to_owned();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some((target, body))
}

fn fixture(chain: &str, name: &str) -> Value {
    let path = format!("{}/../../tests/fixtures/{chain}/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

/// IOTA JSON-RPC: `iotax_getBalance` from get-balance.json, single or in batch arrays.
fn iota() -> Server {
    let balance = fixture("iota", "get-balance.json")["result"].clone();
    Server::start("", move |_, body| {
        let one = |r: &Value| match r["method"].as_str() {
            Some("iotax_getBalance") => json!({"jsonrpc": "2.0", "id": r["id"], "result": balance}),
            _ => json!({"jsonrpc": "2.0", "id": r["id"], "error": {"code": -32601, "message": "Method not found"}}),
        };
        let req: Value = serde_json::from_slice(body).unwrap_or_default();
        let answer = match &req {
            Value::Array(a) => Value::Array(a.iter().map(one).collect()),
            r => one(r),
        };
        (200, answer.to_string())
    })
}

/// Sui GraphQL: each alias `aN` answers with balance.json's SUI total for its `$aN`.
fn sui() -> Server {
    let balance = fixture("sui", "balance.json")["data"]["address"]["balance"].clone();
    Server::start("/graphql", move |_, body| {
        let req: Value = serde_json::from_slice(body).unwrap_or_default();
        let data: serde_json::Map<String, Value> = req["variables"]
            .as_object()
            .map(|vars| vars.iter().map(|(k, a)| (k.clone(), json!({"address": a, "balance": balance}))).collect())
            .unwrap_or_default();
        (200, json!({"data": data}).to_string())
    })
}

/// Stellar Horizon: `GET /accounts/{id}` with account.json (its `account_id` replaced by the asked one).
fn stellar() -> Server {
    let account = fixture("stellar", "account.json");
    Server::start("", move |target, _| {
        let id = target.strip_prefix("/accounts/").unwrap_or_default();
        let mut a = account.clone();
        a["account_id"] = json!(id);
        a["id"] = json!(id);
        (200, a.to_string())
    })
}

fn addresses(chain: Chain) -> Vec<String> {
    (1..=ACCOUNTS as u8)
        .map(|i| match chain {
            Chain::Solana => bs58::encode([i; 32]).into_string(),
            Chain::Stellar => stellar_address(i),
            _ => format!("0x{}", format!("{i:02x}").repeat(32)),
        })
        .collect()
}

/// A Stellar account id (`G…`, strkey of an ed25519 key of `i` bytes).
fn stellar_address(i: u8) -> String {
    let mut data = vec![6 << 3];
    data.extend([i; 32]);
    let mut crc: u16 = 0;
    for b in &data {
        crc ^= u16::from(*b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    data.extend(crc.to_le_bytes());
    base32(&data)
}

fn base32(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buf, mut bits) = (String::new(), 0u32, 0);
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(A[((buf >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    out
}

/// One scan of `addresses`: `per_account` asks one address per call. Returns (endpoint requests, wall time).
fn scan(net: &mut Net, server: &Server, addresses: &[String], per_account: bool) -> (usize, Duration) {
    server.take_requests();
    let start = Instant::now();
    let groups: Vec<Vec<String>> =
        if per_account { addresses.iter().map(|a| vec![a.clone()]).collect() } else { vec![addresses.to_vec()] };
    for group in groups {
        let Reply::Balances { balances, .. } = net.ok(Call::Balances { addresses: group.clone() }) else {
            panic!("not balances")
        };
        assert_eq!(balances.iter().map(|b| &b.address).collect::<Vec<_>>(), group.iter().collect::<Vec<_>>());
    }
    (server.take_requests(), start.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: scripts/perf-scan"]
fn scan_every_served_chain_times_ten_accounts() {
    let latency: u64 = std::env::var("LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let litesvm = LiteSvm::start();
    let servers = [
        (Chain::Iota, iota()),
        (Chain::Sui, sui()),
        (Chain::Solana, Server::proxy(litesvm.host().to_owned())),
        (Chain::Stellar, stellar()),
    ];
    println!(
        "| chain | network delay per request | one request per account: requests, median | batched: requests, median | time ratio (batched / per account) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for delay in [0, latency] {
        let (mut total_one, mut total_batch) = ((0, Duration::ZERO), (0, Duration::ZERO));
        for (chain, server) in &servers {
            server.delay_ms.store(delay, Ordering::SeqCst);
            let network = Network::Localnet;
            let mut net = Net::start(*chain, network, &server.url);
            let list = addresses(*chain);
            scan(&mut net, server, &list, false); // warm: the process, the connection path
            let (mut one, mut batch) = (Vec::new(), Vec::new());
            let (mut one_requests, mut batch_requests) = (0, 0);
            for _ in 0..RUNS {
                let (r, t) = scan(&mut net, server, &list, true);
                one.push(t);
                one_requests = r;
                let (r, t) = scan(&mut net, server, &list, false);
                batch.push(t);
                batch_requests = r;
            }
            assert_eq!(one_requests, ACCOUNTS, "{chain:?}: one request per account");
            let (one, batch) = (median(one), median(batch));
            total_one = (total_one.0 + one_requests, total_one.1 + one);
            total_batch = (total_batch.0 + batch_requests, total_batch.1 + batch);
            println!(
                "| {} | {delay} ms | {one_requests}, {:.1} ms | {batch_requests}, {:.1} ms | {:.3}× |",
                chain.name(),
                one.as_secs_f64() * 1e3,
                batch.as_secs_f64() * 1e3,
                batch.as_secs_f64() / one.as_secs_f64()
            );
        }
        println!(
            "| **4 chains × {ACCOUNTS}** | {delay} ms | {}, {:.1} ms | {}, {:.1} ms | {:.3}× |",
            total_one.0,
            total_one.1.as_secs_f64() * 1e3,
            total_batch.0,
            total_batch.1.as_secs_f64() * 1e3,
            total_batch.1.as_secs_f64() / total_one.1.as_secs_f64()
        );
    }
}
