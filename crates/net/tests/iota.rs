//! coffer-net's IOTA client as a process, against a local JSON-RPC test server that answers with the fixtures of
//! tests/fixtures/iota/ (the IOTA JSON-RPC API's documented shapes, each naming its source) and records every
//! request: the methods and params coffer-net sends, the typed answers, and the faults (another network's chain
//! identifier, malformed and oversized answers, a coin of another type, an object another address owns).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::Net;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use coffer_net_proto::{Call, Chain, IOTA_COIN_TYPE, NetErrorKind, Network, Reply};
use serde_json::{Value, json};

fn owner() -> String {
    format!("0x{}", "7d".repeat(32))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/iota/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

type Route = dyn Fn(&str, &Value) -> String + Send + Sync;

/// A local JSON-RPC server: answers each POST (one per connection) with `route(method, params)`, its `id` replaced
/// by the request's, and records `(method, params)` and the number of POSTs. A batch (a JSON array of requests) is
/// answered with an array of the elements' answers in reverse order (JSON-RPC 2.0 lets a server answer a batch in
/// any order: the client must pair them by id).
struct Node {
    url: String,
    seen: Arc<Mutex<Vec<(String, Value)>>>,
    posts: Arc<Mutex<usize>>,
}

/// One element's answer: `route`'s text with the request's id.
fn answer_one(route: &Route, req: &Value, log: &Mutex<Vec<(String, Value)>>) -> String {
    let method = req["method"].as_str().unwrap_or_default().to_owned();
    log.lock().unwrap().push((method.clone(), req["params"].clone()));
    let text = route(&method, &req["params"]);
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut o)) => {
            o.insert("id".into(), req["id"].clone());
            Value::Object(o).to_string()
        }
        _ => text,
    }
}

impl Node {
    fn start(route: impl Fn(&str, &Value) -> String + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let posts = Arc::new(Mutex::new(0));
        let (log, count) = (Arc::clone(&seen), Arc::clone(&posts));
        let route: Arc<Route> = Arc::new(route);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some(body) = read_body(&mut s) else { continue };
                let Ok(req) = serde_json::from_slice::<Value>(&body) else { continue };
                *count.lock().unwrap() += 1;
                let text = match &req {
                    Value::Array(elements) => {
                        let answers: Vec<String> = elements.iter().map(|e| answer_one(&*route, e, &log)).collect();
                        let reversed: Vec<String> = answers.into_iter().rev().collect();
                        format!("[{}]", reversed.join(","))
                    }
                    one => answer_one(&*route, one, &log),
                };
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        Self { url, seen, posts }
    }

    fn posts(&self) -> usize {
        std::mem::take(&mut *self.posts.lock().unwrap())
    }

    fn seen(&self) -> Vec<(String, Value)> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn read_body(s: &mut TcpStream) -> Option<Vec<u8>> {
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).ok()?;
    let len: usize = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
    })?;
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(body)
}

/// The node as the fixtures describe it.
fn fixtures(method: &str, params: &Value) -> String {
    match method {
        "iota_getChainIdentifier" => fixture("chain-identifier-mainnet.json"),
        "iotax_getAllBalances" => fixture("all-balances.json"),
        "iotax_getCoins" if params[2].is_null() => fixture("coins-page-1.json"),
        "iotax_getCoins" => fixture("coins-page-2.json"),
        "iotax_getOwnedObjects" => fixture("owned-objects.json"),
        "iotax_getReferenceGasPrice" => fixture("reference-gas-price.json"),
        "iota_executeTransactionBlock" => fixture("execute-transaction-block.json"),
        "iotax_getCoinMetadata" => fixture("coin-metadata.json"),
        "iotax_queryTransactionBlocks" if params[0]["filter"].get("ToAddress").is_some() => {
            fixture("query-transaction-blocks-to.json")
        }
        "iotax_queryTransactionBlocks" => fixture("query-transaction-blocks.json"),
        "iota_getTransactionBlock" if params[0] == SPEC_DIGEST => fixture("get-transaction-block.json"),
        "iota_getTransactionBlock" => fixture("transaction-not-found.json"),
        "iotax_getBalance" => fixture("get-balance.json"),
        "iota_dryRunTransactionBlock" => fixture("dry-run-transaction-block.json"),
        _ => fixture("invalid-params.json"),
    }
}

#[test]
fn balances_coins_objects_and_gas_price_from_the_documented_answers() {
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);

    let Reply::CoinBalances { address, balances } = net.ok(Call::CoinBalances { address: owner() }) else {
        panic!("not balances")
    };
    assert_eq!(address, owner());
    assert_eq!(balances.len(), 2);
    assert_eq!((balances[0].coin_type.as_str(), balances[0].total.value()), (IOTA_COIN_TYPE, 12_500_000_001));
    assert_eq!(balances[0].object_count, 3);
    assert_eq!(balances[1].coin_type, format!("0x{}::usdt::USDT", "a1".repeat(32)));
    // The chain identifier is asked for first, once per endpoint.
    assert_eq!(
        node.seen(),
        vec![("iota_getChainIdentifier".to_owned(), json!([])), ("iotax_getAllBalances".to_owned(), json!([owner()])),]
    );

    let call = Call::Coins { address: owner(), coin_type: IOTA_COIN_TYPE.into() };
    let Reply::Coins { coins, complete, .. } = net.ok(call) else { panic!("not coins") };
    assert!(complete);
    assert_eq!(coins.len(), 3, "both pages");
    assert_eq!(coins[0].object_id, format!("0x{}", "01".repeat(32)));
    assert_eq!((coins[0].version, coins[0].balance.value()), (31, 10_000_000_000));
    assert_eq!(coins[0].digest, "9WzSXdwbky8tNbH7juvyaui4QzMUYEjdCEKMrMgLhXHT");
    assert_eq!(coins[2].balance.value(), 1);
    let cursor = format!("0x{}", "02".repeat(32));
    assert_eq!(
        node.seen(),
        vec![
            ("iotax_getCoins".to_owned(), json!([owner(), IOTA_COIN_TYPE, null, 50])),
            ("iotax_getCoins".to_owned(), json!([owner(), IOTA_COIN_TYPE, cursor, 50])),
        ]
    );

    let Reply::OwnedObjects { objects, complete, .. } = net.ok(Call::OwnedObjects { address: owner() }) else {
        panic!("not objects")
    };
    assert!(complete);
    assert_eq!(objects.len(), 3);
    assert_eq!(objects[1].object_type, "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::iota::IOTA>>");
    assert_eq!((objects[1].version, objects[1].object_id.clone()), (12, format!("0x{}", "12".repeat(32))));
    // From the content: whether each may be transferred, and when the TimeLock ends (nothing else has an end).
    let seen: Vec<(Option<bool>, Option<u64>)> =
        objects.iter().map(|o| (o.public_transfer, o.locked_until_ms)).collect();
    assert_eq!(seen, [(Some(true), None), (Some(false), Some(1_780_000_000_000)), (Some(false), None),]);
    assert_eq!(
        node.seen(),
        vec![(
            "iotax_getOwnedObjects".to_owned(),
            json!([owner(), {"options": {"showType": true, "showOwner": true, "showContent": true}}, null, 50])
        )]
    );

    let Reply::ReferenceGasPrice { price } = net.ok(Call::ReferenceGasPrice) else { panic!("not a price") };
    assert_eq!(price.value(), 1000);
    assert_eq!(node.seen(), vec![("iotax_getReferenceGasPrice".to_owned(), json!([]))]);
}

#[test]
fn another_networks_chain_identifier_is_refused_before_anything_else() {
    let node = Node::start(|method, params| {
        if method == "iota_getChainIdentifier" {
            fixture("chain-identifier-testnet.json")
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let (kind, message) = net.err(Call::CoinBalances { address: owner() });
    assert_eq!(kind, NetErrorKind::WrongChain, "{message}");
    assert_eq!(node.seen(), vec![("iota_getChainIdentifier".to_owned(), json!([]))], "nothing else was asked");
}

#[test]
fn malformed_oversized_and_lying_answers_are_refused() {
    let balances = fixture("all-balances.json");
    let coins = fixture("coins-page-1.json");
    let objects = fixture("owned-objects.json");
    let cases: Vec<(&str, Call, String, NetErrorKind)> = vec![
        ("not JSON", Call::CoinBalances { address: owner() }, "{\"result\": [".into(), NetErrorKind::MalformedAnswer),
        (
            "a balance that is not a number",
            Call::CoinBalances { address: owner() },
            balances.replace("\"12500000001\"", "\"12.5\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a coin type that is not a Move type",
            Call::CoinBalances { address: owner() },
            balances.replace("\"0x2::iota::IOTA\"", "\"IOTA\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a coin of another type",
            Call::Coins { address: owner(), coin_type: IOTA_COIN_TYPE.into() },
            coins.replace("\"0x2::iota::IOTA\"", "\"0x2::other::COIN\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a bad digest",
            Call::Coins { address: owner(), coin_type: IOTA_COIN_TYPE.into() },
            coins.replace("9WzSXdwbky8tNbH7juvyaui4QzMUYEjdCEKMrMgLhXHT", "0x00"),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "an object another address owns",
            Call::OwnedObjects { address: owner() },
            objects.replacen(&owner(), &format!("0x{}", "66".repeat(32)), 1),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a TimeLock without its end",
            Call::OwnedObjects { address: owner() },
            objects.replace("\"expiration_timestamp_ms\"", "\"expires\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a TimeLock whose end is not a number",
            Call::OwnedObjects { address: owner() },
            objects.replace("\"1780000000000\"", "\"soon\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a Stardust timelock without its unix_time",
            Call::OwnedObjects { address: owner() },
            fixture("owned-objects-stardust.json").replace("\"unix_time\"", "\"unix\""),
            NetErrorKind::MalformedAnswer,
        ),
        ("a JSON-RPC error", Call::ReferenceGasPrice, fixture("invalid-params.json"), NetErrorKind::Rejected),
        (
            "deep JSON",
            Call::ReferenceGasPrice,
            format!("{}{}", "[".repeat(100), "]".repeat(100)),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "an oversized body",
            Call::ReferenceGasPrice,
            format!("{{\"pad\": \"{}\"}}", "x".repeat(5 << 20)),
            NetErrorKind::AnswerTooLarge,
        ),
    ];
    for (what, call, body, kind) in cases {
        let node =
            Node::start(
                move |method, params| {
                    if method == "iota_getChainIdentifier" { fixtures(method, params) } else { body.clone() }
                },
            );
        let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
        let (got, message) = net.err(call);
        assert_eq!(got, kind, "{what}: {message}");
    }
}

#[test]
fn pagination_is_capped_and_a_repeated_cursor_is_refused() {
    // A node that always says there is another page, with a fresh cursor each time: coffer-net stops at 1000.
    let counter = Arc::new(Mutex::new(0u32));
    let node = Node::start(move |method, params| {
        if method == "iota_getChainIdentifier" {
            return fixtures(method, params);
        }
        let mut n = counter.lock().unwrap();
        *n += 1;
        let mut page: Value = serde_json::from_str(&fixture("coins-page-1.json")).unwrap();
        let coin = page["result"]["data"][0].clone();
        page["result"]["data"] = Value::Array(vec![coin; 50]);
        page["result"]["nextCursor"] = json!(format!("0x{:064x}", *n));
        page.to_string()
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let Reply::Coins { coins, complete, .. } =
        net.ok(Call::Coins { address: owner(), coin_type: IOTA_COIN_TYPE.into() })
    else {
        panic!("not coins")
    };
    assert_eq!((coins.len(), complete), (1000, false));
    assert_eq!(node.seen().len(), 1 + 20, "the identifier, then 20 pages of 50");

    // A node that hands back the same cursor forever.
    let node = Node::start(|method, params| {
        if method == "iota_getChainIdentifier" { fixtures(method, params) } else { fixture("coins-page-1.json") }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let (kind, _) = net.err(Call::Coins { address: owner(), coin_type: IOTA_COIN_TYPE.into() });
    assert_eq!(kind, NetErrorKind::MalformedAnswer);
}

/// The transaction bytes whose digest the execute fixture carries (shared with the Sui fixtures).
fn transaction() -> String {
    let path = format!("{}/../../tests/fixtures/sui/transaction-data.b64", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")).trim().to_owned()
}

#[test]
fn execute_checks_the_digest_and_metadata_is_read() {
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let call = Call::ExecuteTransaction { transaction: transaction(), signatures: vec!["AAEC".into()] };
    let Reply::Sent { signature } = net.ok(call.clone()) else { panic!("not sent") };
    assert_eq!(signature, "3XZcxosGhyDcksMGYo7DT54AESZdDiRABxMRo8JVRqXu");
    let seen = node.seen();
    assert_eq!(
        seen[1],
        ("iota_executeTransactionBlock".to_owned(), json!([transaction(), ["AAEC"], {"showEffects": true}]))
    );

    let coin = format!("0x{}::usdt::USDT", "a1".repeat(32));
    let Reply::CoinMetadata { metadata, .. } = net.ok(Call::CoinMetadata { coin_type: coin.clone() }) else {
        panic!("not metadata")
    };
    let m = metadata.unwrap();
    assert_eq!((m.decimals, m.symbol.as_str()), (6, "USDT"));
    assert_eq!(node.seen(), vec![("iotax_getCoinMetadata".to_owned(), json!([coin]))]);

    // An endpoint that reports another digest than the bytes' own is not believed; a refusal is `rejected`.
    for (body, kind) in [
        (
            fixture("execute-transaction-block.json").replacen(
                "3XZcxosGhyDcksMGYo7DT54AESZdDiRABxMRo8JVRqXu",
                "9WzSXdwbky8tNbH7juvyaui4QzMUYEjdCEKMrMgLhXHT",
                1,
            ),
            NetErrorKind::MalformedAnswer,
        ),
        (fixture("invalid-params.json"), NetErrorKind::Rejected),
    ] {
        let node =
            Node::start(
                move |method, params| {
                    if method == "iota_getChainIdentifier" { fixtures(method, params) } else { body.clone() }
                },
            );
        let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
        assert_eq!(net.err(call.clone()).0, kind);
    }
    // No metadata: `null`.
    let node = Node::start(|method, params| {
        if method == "iotax_getCoinMetadata" {
            r#"{"jsonrpc":"2.0","result":null,"id":1}"#.to_owned()
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let Reply::CoinMetadata { metadata, .. } = net.ok(Call::CoinMetadata { coin_type: IOTA_COIN_TYPE.into() }) else {
        panic!("not metadata")
    };
    assert!(metadata.is_none());
}

#[test]
fn history_merges_sent_and_received_newest_first() {
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let Reply::History { entries, .. } = net.ok(Call::History { address: owner(), limit: 5 }) else {
        panic!("not history")
    };
    // Sent: 7Dd6… (41000200) and 9WzS… (40990000, failed); received: 7Dd6… again and 3XZc… (41000100).
    let digests: Vec<&str> = entries.iter().map(|e| e.signature.as_str()).collect();
    assert_eq!(
        digests,
        [
            "7Dd6n8aHFbmHhjBA5LSn6rw6SJ8MrGdLm8W3VFH6TnqD",
            "3XZcxosGhyDcksMGYo7DT54AESZdDiRABxMRo8JVRqXu",
            "9WzSXdwbky8tNbH7juvyaui4QzMUYEjdCEKMrMgLhXHT"
        ]
    );
    assert_eq!((entries[0].slot, entries[0].block_time, entries[0].failed), (41_000_200, Some(1_796_058_245), false));
    assert!(entries[2].failed);
    let seen = node.seen();
    let query = |f: &str| json!({"filter": {f: owner()}, "options": {"showEffects": true}});
    assert_eq!(seen[1], ("iotax_queryTransactionBlocks".to_owned(), json!([query("FromAddress"), null, 5, true])));
    assert_eq!(seen[2], ("iotax_queryTransactionBlocks".to_owned(), json!([query("ToAddress"), null, 5, true])));
    // The limit holds after the merge.
    let Reply::History { entries, .. } = net.ok(Call::History { address: owner(), limit: 2 }) else {
        panic!("not history")
    };
    assert_eq!(entries.len(), 2);
    // A status that is neither is refused.
    let node = Node::start(|method, params| {
        if method == "iotax_queryTransactionBlocks" {
            fixture("query-transaction-blocks.json").replace("\"failure\"", "\"maybe\"")
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    assert_eq!(net.err(Call::History { address: owner(), limit: 5 }).0, NetErrorKind::MalformedAnswer);
}

/// The digest of the example transaction of `iota_getTransactionBlock` in IOTA's OpenRPC spec.
const SPEC_DIGEST: &str = "FpGNjXf3aHK61cqMAxLVaaRAzU7Dav8QW6DNg5qnGo3x";

#[test]
fn a_transaction_is_fetched_raw_and_its_digest_recomputed() {
    use base64::Engine as _;
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let Reply::Transaction { signature, transaction, slot, failed } =
        net.ok(Call::Transaction { signature: SPEC_DIGEST.into() })
    else {
        panic!("not a transaction")
    };
    assert_eq!((signature.as_str(), slot, failed), (SPEC_DIGEST, Some(41_000_300), false));
    // The TransactionData inside the spec's rawTransaction (SenderSignedData): 276 bytes after the vector length
    // and the intent, before the one signature.
    let data = base64::engine::general_purpose::STANDARD.decode(transaction.unwrap()).unwrap();
    assert_eq!(data.len(), 276);
    let raw: Value = serde_json::from_str(&fixture("get-transaction-block.json")).unwrap();
    let raw =
        base64::engine::general_purpose::STANDARD.decode(raw["result"]["rawTransaction"].as_str().unwrap()).unwrap();
    assert_eq!(&raw[4..280], &data[..]);
    assert_eq!(
        node.seen()[1],
        ("iota_getTransactionBlock".to_owned(), json!([SPEC_DIGEST, {"showRawInput": true, "showEffects": true}]))
    );
    // An unknown digest is the node's documented "not found": no transaction, not an error.
    let unknown = "3XZcxosGhyDcksMGYo7DT54AESZdDiRABxMRo8JVRqXu";
    let Reply::Transaction { transaction, .. } = net.ok(Call::Transaction { signature: unknown.into() }) else {
        panic!("not a transaction")
    };
    assert!(transaction.is_none());

    // A node that answers a request for one digest with another transaction (its own digest changed to the one
    // asked, the bytes left): the recomputed digest differs, a typed error.
    let node = Node::start(move |method, params| {
        if method == "iota_getTransactionBlock" {
            fixture("get-transaction-block.json").replace(SPEC_DIGEST, unknown)
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let (kind, message) = net.err(Call::Transaction { signature: unknown.into() });
    assert_eq!(kind, NetErrorKind::MalformedAnswer);
    assert!(message.contains("digest"), "{message}");
    // One changed byte of the transaction data: no prefix hashes to the digest.
    let node = Node::start(move |method, params| {
        if method == "iota_getTransactionBlock" {
            let mut v: Value = serde_json::from_str(&fixture("get-transaction-block.json")).unwrap();
            let b64 = base64::engine::general_purpose::STANDARD;
            let mut raw = b64.decode(v["result"]["rawTransaction"].as_str().unwrap()).unwrap();
            raw[100] ^= 1;
            v["result"]["rawTransaction"] = json!(b64.encode(raw));
            v.to_string()
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    assert_eq!(net.err(Call::Transaction { signature: SPEC_DIGEST.into() }).0, NetErrorKind::MalformedAnswer);
}

#[test]
fn statuses_in_one_batch_with_unknown_digests_as_none() {
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let unknown = "3XZcxosGhyDcksMGYo7DT54AESZdDiRABxMRo8JVRqXu".to_owned();
    // The chain identifier check comes first, once; count from after it.
    net.ok(Call::ReferenceGasPrice);
    node.posts();
    node.seen();
    let Reply::SignatureStatuses { statuses } =
        net.ok(Call::SignatureStatuses { signatures: vec![SPEC_DIGEST.into(), unknown.clone()] })
    else {
        panic!("not statuses")
    };
    assert_eq!(node.posts(), 1, "one batch");
    let s = statuses[0].as_ref().unwrap();
    assert_eq!((s.slot, s.confirmation, s.failed), (41_000_300, coffer_net_proto::Confirmation::Finalized, false));
    assert!(statuses[1].is_none());
    assert_eq!(
        node.seen(),
        vec![
            ("iota_getTransactionBlock".to_owned(), json!([SPEC_DIGEST, {"showEffects": true}])),
            ("iota_getTransactionBlock".to_owned(), json!([unknown, {"showEffects": true}])),
        ]
    );
}

#[test]
fn balances_of_many_addresses_in_one_batch_paired_by_id() {
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let addresses: Vec<String> = (1..=10u8).map(|i| format!("0x{}", hex2(i).repeat(32))).collect();
    net.ok(Call::ReferenceGasPrice);
    node.posts();
    node.seen();
    let Reply::Balances { balances, requests } = net.ok(Call::Balances { addresses: addresses.clone() }) else {
        panic!("not balances")
    };
    assert_eq!((requests, node.posts()), (1, 1), "ten addresses, one POST");
    assert_eq!(balances.iter().map(|b| b.address.clone()).collect::<Vec<_>>(), addresses);
    assert!(balances.iter().all(|b| b.amount.value() == 12_500_000_001));
    let seen = node.seen();
    assert_eq!(seen.len(), 10);
    assert!(seen.iter().zip(&addresses).all(|((m, p), a)| m == "iotax_getBalance" && *p == json!([a, IOTA_COIN_TYPE])));
    // Sixty addresses: two batches (at most 50 elements each).
    let many: Vec<String> = (0..60u32).map(|i| format!("0x{:064x}", i + 1)).collect();
    let Reply::Balances { balances, requests } = net.ok(Call::Balances { addresses: many }) else {
        panic!("not balances")
    };
    assert_eq!((balances.len(), requests, node.posts()), (60, 2, 2));
}

fn hex2(i: u8) -> String {
    format!("{i:02x}")
}

/// Batch answers that break the pairing: each is refused as a whole, never half-used.
#[test]
fn lying_batch_answers_are_refused() {
    let addresses: Vec<String> = (1..=3u8).map(|i| format!("0x{}", hex2(i).repeat(32))).collect();
    let balance = |id: &Value| json!({"jsonrpc": "2.0", "id": id, "result": {"coinType": IOTA_COIN_TYPE, "coinObjectCount": 1, "totalBalance": "5"}});
    type Lie = fn(Vec<Value>) -> Vec<Value>;
    let lies: [(&str, Lie); 4] = [
        ("an answer missing", |mut a| {
            a.pop();
            a
        }),
        ("an id twice", |mut a| {
            a[1]["id"] = a[0]["id"].clone();
            a
        }),
        ("an id not asked", |mut a| {
            a[2]["id"] = json!(999_999);
            a
        }),
        ("another coin type", |mut a| {
            a[0]["result"]["coinType"] = json!("0x2::other::OTHER");
            a
        }),
    ];
    for (what, lie) in lies {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some(body) = read_body(&mut s) else { continue };
                let req: Value = serde_json::from_slice(&body).unwrap();
                let text = match req {
                    Value::Array(elements) => {
                        Value::Array(lie(elements.iter().map(|e| balance(&e["id"])).collect())).to_string()
                    }
                    one => json!({"jsonrpc": "2.0", "id": one["id"], "result": "6364aad5"}).to_string(),
                };
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        let mut net = Net::start(Chain::Iota, Network::Mainnet, &url);
        let (kind, message) = net.err(Call::Balances { addresses: addresses.clone() });
        assert_eq!(kind, NetErrorKind::MalformedAnswer, "{what}: {message}");
    }
}

#[test]
fn dry_run_in_the_documented_shape() {
    let tx = transaction();
    let node = Node::start(fixtures);
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let dry = Call::DryRunTransactionBlock { tx_bytes: tx.clone() };
    let Reply::DryRun { success, error, computation_cost, storage_cost, storage_rebate } = net.ok(dry.clone()) else {
        panic!("not a dry run")
    };
    assert!(success && error.is_none());
    assert_eq!(
        (computation_cost.value(), storage_cost.value(), storage_rebate.value()),
        (1_000_000, 2_964_000, 1_956_240)
    );
    assert_eq!(node.seen()[1], ("iota_dryRunTransactionBlock".to_owned(), json!([tx])));
    // A transaction that would fail is an answer, with the chain's message; a status that is neither is refused.
    for (status, outcome) in [
        (r#"{"status": "failure", "error": "InsufficientGas"}"#, Some(Some("InsufficientGas".to_owned()))),
        (r#"{"status": "maybe"}"#, None),
    ] {
        let node = Node::start(move |method, params| {
            if method == "iota_dryRunTransactionBlock" {
                fixture("dry-run-transaction-block.json").replace(
                    "\"status\": {\n        \"status\": \"success\"\n      }",
                    &format!("\"status\": {status}"),
                )
            } else {
                fixtures(method, params)
            }
        });
        let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
        match outcome {
            Some(error) => {
                let Reply::DryRun { success, error: e, .. } = net.ok(dry.clone()) else { panic!("not a dry run") };
                assert_eq!((success, e), (false, error));
            }
            None => assert_eq!(net.err(dry.clone()).0, NetErrorKind::MalformedAnswer),
        }
    }
}

#[test]
fn a_stardust_outputs_timelock_unlock_condition_is_its_lock_end() {
    let node = Node::start(|method, params| {
        if method == "iotax_getOwnedObjects" {
            fixture("owned-objects-stardust.json")
        } else {
            fixtures(method, params)
        }
    });
    let mut net = Net::start(Chain::Iota, Network::Mainnet, &node.url);
    let Reply::OwnedObjects { objects, .. } = net.ok(Call::OwnedObjects { address: owner() }) else { panic!() };
    let seen: Vec<(Option<bool>, Option<u64>)> =
        objects.iter().map(|o| (o.public_transfer, o.locked_until_ms)).collect();
    // The basic output's unix_time (seconds) in milliseconds; the NFT output has no timelock (null).
    assert_eq!(seen, [(Some(false), Some(1_780_000_000_000)), (Some(false), None)]);
}
