//! coffer-net's Sui client as a process, against a local GraphQL test server that answers with the fixtures of
//! tests/fixtures/sui/ (the shapes of Sui's GraphQL schema, each naming its source) and records every request: the
//! queries and variables coffer-net sends, the typed answers, and the faults (another network's chain identifier,
//! GraphQL errors, malformed and oversized answers, an object another address owns, a coin of another type, a
//! digest that is not the transaction's, a repeated cursor).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::Net;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use coffer_net_proto::{Call, Chain, Confirmation, NetErrorKind, Network, Reply, SUI_COIN_TYPE};
use serde_json::{Value, json};

fn owner() -> String {
    format!("0x{}", "7d".repeat(32))
}

fn two() -> String {
    format!("0x{}2", "0".repeat(63))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/sui/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The transaction bytes the fixtures' digests belong to, as base64.
fn transaction() -> String {
    fixture("transaction-data.b64").trim().to_owned()
}

fn digest_of_transaction() -> String {
    let v: Value = serde_json::from_str(&fixture("execute.json")).unwrap();
    v["data"]["executeTransaction"]["effects"]["digest"].as_str().unwrap().to_owned()
}

type Route = dyn Fn(&str, &Value) -> String + Send + Sync;

/// A local GraphQL server: answers each POST (one per connection) with `route(query, variables)` and records
/// `(query, variables)`.
struct Service {
    url: String,
    seen: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Service {
    fn start(route: impl Fn(&str, &Value) -> String + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/graphql", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let route: Arc<Route> = Arc::new(route);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some((path, body)) = read_request(&mut s) else { continue };
                let Ok(req) = serde_json::from_slice::<Value>(&body) else { continue };
                let query = req["query"].as_str().unwrap_or_default().to_owned();
                log.lock().unwrap().push((query.clone(), req["variables"].clone()));
                let text = if path == "/graphql" { route(&query, &req["variables"]) } else { "{}".to_owned() };
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        Self { url, seen }
    }

    fn seen(&self) -> Vec<(String, Value)> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn read_request(s: &mut TcpStream) -> Option<(String, Vec<u8>)> {
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
    let path = head.split_whitespace().nth(1)?.to_owned();
    let len: usize = head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
    })?;
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some((path, body))
}

/// The service as the fixtures describe it.
fn fixtures(query: &str, vars: &Value) -> String {
    let name = if query.contains("chainIdentifier") {
        "chain-identifier-mainnet.json"
    } else if query.contains("balances(") {
        if vars["after"].is_null() { "balances-page-1.json" } else { "balances-page-2.json" }
    } else if query.contains("balance(coinType") {
        "balance.json"
    } else if query.contains("filter: {type: $type}") {
        "coins.json"
    } else if query.contains("objects(") {
        if vars["after"].is_null() { "objects-page-1.json" } else { "objects-page-2.json" }
    } else if query.contains("referenceGasPrice") {
        "epoch.json"
    } else if query.contains("executeTransaction") {
        "execute.json"
    } else if query.contains("multiGetTransactionEffects") {
        "effects.json"
    } else if query.contains("transactions(") {
        // `last: n` is the n newest before the cursor, as the service serves it.
        let name = if vars["before"].is_null() { "history-page-1.json" } else { "history-page-2.json" };
        let mut page: Value = serde_json::from_str(&fixture(name)).unwrap();
        let nodes = page["data"]["address"]["transactions"]["nodes"].as_array_mut().unwrap();
        let last = usize::try_from(vars["last"].as_u64().unwrap()).unwrap();
        let cut = nodes.len().saturating_sub(last);
        nodes.drain(..cut);
        return page.to_string();
    } else if query.contains("transaction(digest") {
        "transaction.json"
    } else if query.contains("coinMetadata") {
        "coin-metadata.json"
    } else if query.contains("simulateTransaction") {
        "simulate.json"
    } else {
        "graphql-error.json"
    };
    fixture(name)
}

/// Asserts the one request recorded: a query holding every fragment, with exactly these variables.
fn assert_sent(seen: &[(String, Value)], fragments: &[&str], variables: &Value) {
    let (query, vars) = seen.first().expect("a request");
    for f in fragments {
        assert!(query.contains(f), "{f:?} not in {query}");
    }
    assert_eq!(vars, variables, "{query}");
}

#[test]
fn reads_from_the_documented_answers_with_the_documented_queries() {
    let service = Service::start(fixtures);
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);

    let Reply::Balance { amount, slot, .. } = net.ok(Call::Balance { address: owner() }) else { panic!("balance") };
    assert_eq!((amount.value(), slot), (7_250_000_001, 215_000_123));
    let seen = service.seen();
    assert_eq!(seen.len(), 2, "the chain identifier first, once, then the balance");
    assert_eq!(seen[0], ("query { chainIdentifier }".to_owned(), json!({})));
    assert_sent(
        &seen[1..],
        &["address(address: $owner)", "balance(coinType: \"0x2::sui::SUI\")", "totalBalance"],
        &json!({"owner": owner()}),
    );

    let Reply::CoinBalances { balances, .. } = net.ok(Call::CoinBalances { address: owner() }) else {
        panic!("balances")
    };
    assert_eq!(balances.len(), 2, "both pages");
    assert_eq!(balances[0].coin_type, format!("{}::sui::SUI", two()));
    assert_eq!((balances[0].total.value(), balances[0].object_count), (7_250_000_001, 0));
    assert_eq!(
        (balances[1].coin_type.as_str(), balances[1].total.value()),
        (&*format!("0x{}::usdc::USDC", "a1".repeat(32)), 1_500_000)
    );
    let seen = service.seen();
    assert_eq!(seen.len(), 2);
    assert_sent(
        &seen,
        &["balances(first: 50, after: $after)", "pageInfo { hasNextPage endCursor }"],
        &json!({"owner": owner(), "after": null}),
    );
    assert_eq!(seen[1].1, json!({"owner": owner(), "after": "eyJjIjoyMTUwMDAxMjMsInQiOjF9"}));

    let call = Call::Coins { address: owner(), coin_type: SUI_COIN_TYPE.into() };
    let Reply::Coins { coin_type, coins, complete, .. } = net.ok(call) else { panic!("coins") };
    assert_eq!((coin_type.as_str(), complete, coins.len()), (SUI_COIN_TYPE, true, 2));
    assert_eq!(coins[0].object_id, format!("0x{}", "01".repeat(32)));
    assert_eq!((coins[0].version, coins[0].balance.value()), (412, 7_000_000_000));
    assert_eq!(coins[1].balance.value(), 250_000_001);
    let wanted = format!("{}::coin::Coin<{}::sui::SUI>", two(), two());
    assert_sent(
        &service.seen(),
        &[
            "objects(first: 50, after: $after, filter: {type: $type})",
            "... on AddressOwner",
            "contents { type { repr } json }",
        ],
        &json!({"owner": owner(), "type": wanted, "after": null}),
    );

    let Reply::OwnedObjects { objects, complete, .. } = net.ok(Call::OwnedObjects { address: owner() }) else {
        panic!("objects")
    };
    assert!(complete);
    assert_eq!(objects.len(), 3, "both pages");
    assert_eq!(objects[1].object_type, format!("0x{}3::staking_pool::StakedSui", "0".repeat(63)));
    assert_eq!((objects[2].version, objects[2].object_id.clone()), (2, format!("0x{}", "13".repeat(32))));
    let transfer: Vec<Option<bool>> = objects.iter().map(|o| o.public_transfer).collect();
    assert_eq!(transfer, [Some(true), Some(true), Some(false)], "MoveObject.hasPublicTransfer");
    assert!(objects.iter().all(|o| o.locked_until_ms.is_none()));
    let seen = service.seen();
    assert_sent(
        &seen,
        &["objects(first: 50, after: $after)", "hasPublicTransfer"],
        &json!({"owner": owner(), "after": null}),
    );
    assert_eq!(seen[1].1, json!({"owner": owner(), "after": "b2JqZWN0cy0x"}));

    let Reply::ReferenceGasPrice { price } = net.ok(Call::ReferenceGasPrice) else { panic!("price") };
    assert_eq!(price.value(), 750);
    assert_sent(&service.seen(), &["epoch { referenceGasPrice }"], &json!({}));

    let Reply::CoinMetadata { metadata, .. } = net.ok(Call::CoinMetadata { coin_type: "0xa1::usdc::USDC".into() })
    else {
        panic!("metadata")
    };
    let m = metadata.unwrap();
    assert_eq!((m.decimals, m.symbol.as_str()), (6, "USDC"));
    assert_sent(
        &service.seen(),
        &["coinMetadata(coinType: $type) { decimals symbol }"],
        &json!({"type": "0xa1::usdc::USDC"}),
    );
}

#[test]
fn broadcast_status_history_and_transaction() {
    let service = Service::start(fixtures);
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    let digest = digest_of_transaction();
    let sig = "AAEC".to_owned();

    let call = Call::ExecuteTransaction { transaction: transaction(), signatures: vec![sig.clone()] };
    let Reply::Sent { signature } = net.ok(call) else { panic!("sent") };
    assert_eq!(signature, digest);
    let seen = service.seen();
    assert_sent(
        &seen[1..],
        &[
            "mutation",
            "executeTransaction(transactionDataBcs: $tx, signatures: $signatures)",
            "effects { digest status } errors",
        ],
        &json!({"tx": transaction(), "signatures": [sig]}),
    );

    let unknown = bs58::encode([9u8; 32]).into_string();
    let Reply::SignatureStatuses { statuses } =
        net.ok(Call::SignatureStatuses { signatures: vec![digest.clone(), unknown.clone()] })
    else {
        panic!("statuses")
    };
    let first = statuses[0].as_ref().unwrap();
    assert_eq!((first.slot, first.confirmation, first.failed), (215_000_200, Confirmation::Finalized, false));
    assert!(statuses[1].is_none());
    assert_sent(&service.seen(), &["multiGetTransactionEffects(keys: $keys)"], &json!({"keys": [digest, unknown]}));

    let Reply::History { entries, .. } = net.ok(Call::History { address: owner(), limit: 3 }) else {
        panic!("history")
    };
    assert_eq!(entries.len(), 3, "two pages, cut at the limit");
    assert_eq!(entries[0].slot, 215_000_100, "newest first");
    assert_eq!(entries[0].block_time, Some(1_796_058_245));
    assert!(entries[1].failed);
    assert_eq!(entries[2].slot, 214_500_000);
    let seen = service.seen();
    assert_sent(
        &seen,
        &["transactions(last: $last, before: $before, relation: AFFECTED)"],
        &json!({"owner": owner(), "last": 3, "before": null}),
    );
    assert_eq!(seen[1].1, json!({"owner": owner(), "last": 1, "before": "dHgtMg=="}));

    let Reply::Transaction { transaction: bytes, slot, failed, .. } =
        net.ok(Call::Transaction { signature: digest.clone() })
    else {
        panic!("transaction")
    };
    assert_eq!((bytes, slot, failed), (Some(transaction()), Some(215_000_200), false));
    assert_sent(&service.seen(), &["transaction(digest: $digest) { digest transactionBcs"], &json!({"digest": digest}));
}

#[test]
fn another_networks_chain_identifier_is_refused_before_anything_else() {
    let service = Service::start(|q, v| {
        if q.contains("chainIdentifier") { fixture("chain-identifier-testnet.json") } else { fixtures(q, v) }
    });
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    let (kind, message) = net.err(Call::CoinBalances { address: owner() });
    assert_eq!(kind, NetErrorKind::WrongChain, "{message}");
    assert_eq!(service.seen().len(), 1, "nothing else was asked");
}

#[test]
fn graphql_errors_malformed_oversized_and_lying_answers_are_refused() {
    let coins = fixture("coins.json");
    let objects = fixture("objects-page-2.json");
    let coin_call = || Call::Coins { address: owner(), coin_type: SUI_COIN_TYPE.into() };
    let digest = digest_of_transaction();
    let execute = || Call::ExecuteTransaction { transaction: transaction(), signatures: vec!["AAEC".into()] };
    let cases: Vec<(&str, Call, String, NetErrorKind)> = vec![
        ("a GraphQL errors array", Call::ReferenceGasPrice, fixture("graphql-error.json"), NetErrorKind::Rejected),
        ("executeTransaction errors", execute(), fixture("execute-rejected.json"), NetErrorKind::Rejected),
        (
            "another digest than the transaction's",
            execute(),
            fixture("execute.json").replace(&digest, &bs58::encode([1u8; 32]).into_string()),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "another transaction than asked",
            Call::Transaction { signature: digest.clone() },
            fixture("transaction.json").replace(&transaction(), "AAAA"),
            NetErrorKind::MalformedAnswer,
        ),
        ("not JSON", Call::ReferenceGasPrice, "{\"data\": {".into(), NetErrorKind::MalformedAnswer),
        ("neither data nor errors", Call::ReferenceGasPrice, "{}".into(), NetErrorKind::MalformedAnswer),
        (
            "a price that is not a number",
            Call::ReferenceGasPrice,
            fixture("epoch.json").replace("\"750\"", "\"7.5\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a coin of another type",
            coin_call(),
            coins.replace("::sui::SUI>", "::other::COIN>"),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a coin without a balance",
            coin_call(),
            coins.replace("\"balance\": \"7000000000\"", "\"value\": \"7000000000\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "an object another address owns",
            Call::OwnedObjects { address: owner() },
            objects.replace(&owner(), &format!("0x{}", "66".repeat(32))),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a shared object listed as owned",
            Call::OwnedObjects { address: owner() },
            objects.replace("\"AddressOwner\"", "\"Shared\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a status that is neither",
            Call::SignatureStatuses { signatures: vec![digest.clone(), bs58::encode([9u8; 32]).into_string()] },
            fixture("effects.json").replace("\"SUCCESS\"", "\"MAYBE\""),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "effects of another transaction",
            Call::SignatureStatuses { signatures: vec![bs58::encode([8u8; 32]).into_string(), digest.clone()] },
            fixture("effects.json"),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "too few effects",
            Call::SignatureStatuses { signatures: vec![digest.clone()] },
            fixture("effects.json"),
            NetErrorKind::MalformedAnswer,
        ),
        (
            "a bad timestamp",
            Call::History { address: owner(), limit: 2 },
            fixture("history-page-1.json").replace("2026-11-30T17:04:05.123Z", "yesterday"),
            NetErrorKind::MalformedAnswer,
        ),
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
        let service =
            Service::start(move |q, v| if q.contains("chainIdentifier") { fixtures(q, v) } else { body.clone() });
        let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
        let (got, message) = net.err(call);
        assert_eq!(got, kind, "{what}: {message}");
    }
}

#[test]
fn an_unknown_transaction_is_none_and_pagination_is_capped() {
    let service = Service::start(|q, v| {
        if q.contains("transaction(digest") { fixture("transaction-unknown.json") } else { fixtures(q, v) }
    });
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    let Reply::Transaction { transaction, slot, .. } =
        net.ok(Call::Transaction { signature: bs58::encode([5u8; 32]).into_string() })
    else {
        panic!("transaction")
    };
    assert_eq!((transaction, slot), (None, None));

    // A service that always has another page, with a fresh cursor each time: coffer-net stops at 1000.
    let counter = Arc::new(Mutex::new(0u32));
    let service = Service::start(move |q, v| {
        if q.contains("chainIdentifier") {
            return fixtures(q, v);
        }
        let mut n = counter.lock().unwrap();
        *n += 1;
        let mut page: Value = serde_json::from_str(&fixture("coins.json")).unwrap();
        let conn = &mut page["data"]["address"]["objects"];
        let coin = conn["nodes"][0].clone();
        conn["nodes"] = Value::Array(vec![coin; 50]);
        conn["pageInfo"] = json!({"hasNextPage": true, "endCursor": format!("c{n}")});
        page.to_string()
    });
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    let Reply::Coins { coins, complete, .. } =
        net.ok(Call::Coins { address: owner(), coin_type: SUI_COIN_TYPE.into() })
    else {
        panic!("coins")
    };
    assert_eq!((coins.len(), complete), (1000, false));
    assert_eq!(service.seen().len(), 1 + 20, "the identifier, then 20 pages of 50");

    // A service that hands back the same cursor forever.
    let service =
        Service::start(|q, v| if q.contains("objects(") { fixture("objects-page-1.json") } else { fixtures(q, v) });
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    let (kind, _) = net.err(Call::OwnedObjects { address: owner() });
    assert_eq!(kind, NetErrorKind::MalformedAnswer);
}

/// The answer to a batched balance query: each alias `aN` answers for the address in `$aN`, with SUI's total of
/// balance.json (the documented `Address.balance(coinType)` shape under a GraphQL alias).
fn aliased_balances(vars: &Value) -> String {
    let one: Value = serde_json::from_str(&fixture("balance.json")).unwrap();
    let balance = one["data"]["address"]["balance"].clone();
    let data: serde_json::Map<String, Value> = vars
        .as_object()
        .unwrap()
        .iter()
        .map(|(alias, address)| (alias.clone(), json!({"address": address, "balance": balance})))
        .collect();
    json!({"data": data}).to_string()
}

#[test]
fn balances_of_many_addresses_in_one_aliased_query() {
    let service =
        Service::start(
            |query, vars| {
                if query.contains("a0: address(") { aliased_balances(vars) } else { fixtures(query, vars) }
            },
        );
    let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
    net.ok(Call::ReferenceGasPrice);
    service.seen();
    let addresses: Vec<String> = (1..=10u32).map(|i| format!("0x{i:064x}")).collect();
    let Reply::Balances { balances, requests } = net.ok(Call::Balances { addresses: addresses.clone() }) else {
        panic!("not balances")
    };
    assert_eq!(requests, 1);
    assert_eq!(balances.iter().map(|b| b.address.clone()).collect::<Vec<_>>(), addresses);
    assert!(balances.iter().all(|b| b.amount.value() == 7_250_000_001));
    let seen = service.seen();
    assert_eq!(seen.len(), 1, "one query for ten addresses");
    let (query, vars) = &seen[0];
    assert!(query.starts_with("query($a0: SuiAddress!, $a1: SuiAddress!"), "{query}");
    assert!(query.contains("a9: address(address: $a9) { address balance(coinType: \"0x2::sui::SUI\")"), "{query}");
    assert_eq!(vars["a3"], addresses[3].as_str(), "the addresses travel as variables");
    // Thirty addresses: two queries (25 aliases at most each).
    let many: Vec<String> = (1..=30u32).map(|i| format!("0x{i:064x}")).collect();
    let Reply::Balances { requests, .. } = net.ok(Call::Balances { addresses: many }) else { panic!("not balances") };
    assert_eq!((requests, service.seen().len()), (2, 2));

    // An alias answering for another address, or one missing: refused as a whole.
    for lie in [
        |mut v: Value| {
            v["data"]["a1"]["address"] = json!(format!("0x{:064x}", 99));
            v
        },
        |mut v: Value| {
            v["data"].as_object_mut().unwrap().remove("a2");
            v
        },
    ] {
        let service = Service::start(move |query, vars| {
            if query.contains("a0: address(") {
                lie(serde_json::from_str(&aliased_balances(vars)).unwrap()).to_string()
            } else {
                fixtures(query, vars)
            }
        });
        let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
        assert_eq!(net.err(Call::Balances { addresses: addresses.clone() }).0, NetErrorKind::MalformedAnswer);
    }
}

#[test]
fn dry_run_is_simulate_transaction_of_the_bcs_bytes() {
    for (name, expected) in [
        ("simulate.json", (true, None, 750_000, 2_964_000, 1_956_240)),
        ("simulate-failed.json", (false, Some("InsufficientCoinBalance in command 0"), 750_000, 988_000, 978_120)),
        (
            "simulate-error.json",
            (
                false,
                Some(
                    "Could not find the referenced object \
                     0x0101010101010101010101010101010101010101010101010101010101010101 at version 411",
                ),
                0,
                0,
                0,
            ),
        ),
    ] {
        let service =
            Service::start(move |q, v| if q.contains("simulateTransaction") { fixture(name) } else { fixtures(q, v) });
        let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
        let Reply::DryRun { success, error, computation_cost, storage_cost, storage_rebate } =
            net.ok(Call::DryRunTransactionBlock { tx_bytes: transaction() })
        else {
            panic!("dry run")
        };
        let got = (success, error.as_deref(), computation_cost.value(), storage_cost.value(), storage_rebate.value());
        assert_eq!(got, expected, "{name}");
        let seen = service.seen();
        assert_sent(
            &seen[1..],
            &["simulateTransaction(transaction: $tx)", "gasSummary { computationCost storageCost storageRebate }"],
            &json!({"tx": {"bcs": {"value": transaction()}}}),
        );
    }
    // Neither effects nor an error, or no status: not believed.
    for bad in [
        r#"{"data": {"simulateTransaction": {"error": null, "effects": null}}}"#,
        r#"{"data": {"simulateTransaction": {"error": null, "effects": {"status": "MAYBE", "gasEffects": null}}}}"#,
    ] {
        let service =
            Service::start(move |q, v| if q.contains("simulateTransaction") { bad.to_owned() } else { fixtures(q, v) });
        let mut net = Net::start(Chain::Sui, Network::Mainnet, &service.url);
        let (kind, _) = net.err(Call::DryRunTransactionBlock { tx_bytes: transaction() });
        assert_eq!(kind, NetErrorKind::MalformedAnswer, "{bad}");
    }
}
