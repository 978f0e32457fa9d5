//! coffer-net's Stellar client as a process, against a local Horizon test server that answers with the fixtures of
//! tests/fixtures/stellar/ (Horizon's documented shapes, each naming its source) and records every request: the
//! paths and queries coffer-net asks for, the form body of `POST /transactions`, the typed answers, and the faults
//! (an account that does not exist, another network's passphrase, an oversized body, malformed JSON, a lying
//! answer).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::Net;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use coffer_net_proto::{Call, Chain, Confirmation, NetErrorKind, Network, Reply, Trustline};

/// Account 0 of `abandon … about` (m/44'/148'/0'), the account of the fixtures.
const ACCOUNT: &str = "GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX";
/// Account 1 of the same seed: never funded.
const UNFUNDED: &str = "GDVSYYTUAJ3ACHTPQNSTQBDQ4LDHQCMNY4FCEQH5TJUMSSLWQSTG42MV";
const USDC_ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";
const AQUA_ISSUER: &str = "GBNZILSTVQZ4R7IKQDGHYGY2QXL5QOFJYQMXPKWRRM5PAV7Y4M67AQUA";
const HASH: &str = "3389e9f0f1a65f19736cacf544c2e825313e8447f569233bb8db39aa607c8889";

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/stellar/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One request the test server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    content_type: String,
    body: String,
}

type Route = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A local HTTP server answering each request (one per connection) with `route`, recording what it was asked.
struct Horizon {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Horizon {
    fn start(route: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let route: Arc<Route> = Arc::new(route);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some(req) = read_request(&mut s) else { continue };
                log.lock().unwrap().push(req.clone());
                let (status, body) = route(&req);
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/hal+json; charset=utf-8\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Self { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn read_request(s: &mut TcpStream) -> Option<Seen> {
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
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let header = |name: &str| {
        head.lines().find_map(|l| {
            l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_owned())
        })
    };
    let len: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        target,
        content_type: header("content-type").unwrap_or_default(),
        body: String::from_utf8(body).ok()?,
    })
}

/// Horizon as the fixtures describe it.
fn fixtures(req: &Seen) -> (u16, String) {
    let path = req.target.split('?').next().unwrap_or_default();
    let ok = |name: &str| (200, fixture(name));
    match (req.method.as_str(), path) {
        ("GET", "/") => ok("root-public.json"),
        ("GET", p) if p == format!("/accounts/{ACCOUNT}") => ok("account.json"),
        ("GET", p) if p == format!("/accounts/{ACCOUNT}/offers") => ok("offers.json"),
        ("GET", p) if p == format!("/accounts/{ACCOUNT}/transactions") => ok("transactions.json"),
        ("GET", "/claimable_balances") => ok("claimable-balances.json"),
        ("GET", p) if p == format!("/transactions/{HASH}") => ok("transaction.json"),
        ("POST", "/transactions") if req.body.starts_with("tx=AAAA") => (400, fixture("submit-failed.json")),
        ("POST", "/transactions") => ok("submit-ok.json"),
        _ => (404, fixture("not-found.json")),
    }
}

fn account(address: &str) -> Call {
    Call::Account { address: address.into() }
}

#[test]
fn account_with_trustlines_data_and_signers() {
    let horizon = Horizon::start(fixtures);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    let Reply::Account { address, account: Some(a) } = net.ok(account(ACCOUNT)) else { panic!("no account") };
    assert_eq!(address, ACCOUNT);
    assert_eq!(a.sequence.as_str(), "120192344791990275");
    assert_eq!(a.balance.value(), 100_000_000_001, "10000.0000001 XLM in stroops");
    assert_eq!(a.trustlines.len(), 3);
    assert_eq!(
        a.trustlines[0],
        Trustline::Credit {
            code: "USDC".into(),
            issuer: USDC_ISSUER.into(),
            balance: coffer_net_proto::Amount::from_u128(255_000_000),
            limit: coffer_net_proto::Amount::from_u128(i64::MAX as u128),
        }
    );
    assert!(matches!(&a.trustlines[1], Trustline::Credit { code, issuer, limit, .. }
        if code == "AQUA" && issuer == AQUA_ISSUER && limit.value() == 10_000_000_000));
    assert!(matches!(&a.trustlines[2], Trustline::PoolShares { pool_id, balance, .. }
        if pool_id.starts_with("67260c4c") && balance.value() == 123_456_789));
    assert_eq!((a.subentry_count, a.num_sponsoring, a.num_sponsored), (5, 0, 1));
    assert_eq!(a.data.len(), 2);
    assert_eq!((a.data[0].name.as_str(), a.data[0].value.as_str()), ("config.memo_required", "MQ=="));
    assert_eq!(a.signers.len(), 2);
    assert_eq!((a.signers[1].key.as_str(), a.signers[1].weight), (ACCOUNT, 2));
    assert_eq!((a.thresholds.low, a.thresholds.med, a.thresholds.high), (0, 1, 2));
    assert_eq!(a.last_modified_ledger, 54_980_001);
    // The network passphrase is checked first, once per endpoint; then the account's path.
    let seen: Vec<(String, String)> = horizon.seen().into_iter().map(|s| (s.method, s.target)).collect();
    assert_eq!(seen, [("GET".into(), "/".into()), ("GET".into(), format!("/accounts/{ACCOUNT}"))]);
    net.ok(account(ACCOUNT));
    assert_eq!(horizon.seen().len(), 1, "no second passphrase check");
}

#[test]
fn an_account_that_does_not_exist_is_a_typed_answer() {
    let horizon = Horizon::start(fixtures);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    let reply = net.ok(account(UNFUNDED));
    assert_eq!(reply, Reply::Account { address: UNFUNDED.into(), account: None });
    // A 404 that is not Horizon's not_found problem (a proxy's page) is not taken for "does not exist".
    let proxy = Horizon::start(|req| match req.target.as_str() {
        "/" => (200, fixture("root-public.json")),
        _ => (404, "<html>Not Found</html>".into()),
    });
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &proxy.url);
    assert_eq!(net.err_on(Network::Mainnet, account(UNFUNDED)).0, NetErrorKind::MalformedAnswer);
}

#[test]
fn offers_and_claimable_balances() {
    let horizon = Horizon::start(fixtures);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    let Reply::Offers { offers, .. } = net.ok(Call::Offers { address: ACCOUNT.into() }) else { panic!() };
    assert_eq!(offers.len(), 2);
    assert_eq!((offers[0].id, offers[0].selling.as_str()), (1_234_567_890, "native"));
    assert_eq!(offers[0].buying, format!("USDC:{USDC_ISSUER}"));
    assert_eq!((offers[0].amount.value(), offers[0].price_n, offers[0].price_d), (1_000_000_000, 1, 10));
    assert_eq!(offers[1].buying, format!("AQUA:{AQUA_ISSUER}"));
    let Reply::ClaimableBalances { balances, complete, .. } =
        net.ok(Call::ClaimableBalances { address: ACCOUNT.into() })
    else {
        panic!()
    };
    assert!(complete);
    assert_eq!(balances.len(), 1);
    assert_eq!(balances[0].asset, format!("USDC:{USDC_ISSUER}"));
    assert_eq!((balances[0].amount.value(), balances[0].sponsor.as_deref()), (50_000_000, Some(USDC_ISSUER)));
    // The asked account's claimant predicate (not the other claimant's): claimable from 2030 on.
    use coffer_net_proto::ClaimPredicate as P;
    assert_eq!(
        balances[0].predicate,
        Some(P::And(vec![P::Not(Box::new(P::AbsBeforeEpoch(1_893_456_000))), P::Unconditional]))
    );
    let targets: Vec<String> = horizon.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(
        targets,
        [
            "/".to_owned(),
            format!("/accounts/{ACCOUNT}/offers?order=asc&limit=200"),
            format!("/claimable_balances?claimant={ACCOUNT}&order=asc&limit=200"),
        ]
    );
    // A claimable balance the account is not a claimant of, or an offer of another seller: a lying endpoint.
    let liar = Horizon::start(|req| match req.target.split('?').next().unwrap() {
        "/" => (200, fixture("root-public.json")),
        "/claimable_balances" => (200, fixture("claimable-balances.json").replace(ACCOUNT, UNFUNDED)),
        _ => (
            200,
            fixture("offers.json")
                .replace(&format!("\"seller\": \"{ACCOUNT}\""), &format!("\"seller\": \"{UNFUNDED}\"")),
        ),
    });
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &liar.url);
    assert_eq!(
        net.err_on(Network::Mainnet, Call::ClaimableBalances { address: ACCOUNT.into() }).0,
        NetErrorKind::MalformedAnswer
    );
    assert_eq!(net.err_on(Network::Mainnet, Call::Offers { address: ACCOUNT.into() }).0, NetErrorKind::MalformedAnswer);
}

#[test]
fn broadcast_confirmation_and_history() {
    use base64::Engine as _;
    let horizon = Horizon::start(fixtures);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    // Bytes whose base64 has every character a form must escape: + / =.
    let tx = base64::engine::general_purpose::STANDARD.encode([0xfb, 0xff, 0xbf, 1, 2]);
    assert_eq!(tx, "+/+/AQI=");
    let reply = net.ok(Call::SendTransaction { transaction: tx });
    assert_eq!(reply, Reply::Sent { signature: HASH.into() });
    let seen = horizon.seen();
    let post = seen.iter().find(|s| s.method == "POST").unwrap();
    assert_eq!(post.target, "/transactions");
    assert_eq!(post.content_type, "application/x-www-form-urlencoded");
    assert_eq!(post.body, "tx=%2B%2F%2B%2FAQI%3D");
    // Horizon's rejection, with its result codes, is a typed rejection.
    let bad = base64::engine::general_purpose::STANDARD.encode([0u8; 12]);
    let (kind, msg) = net.err_on(Network::Mainnet, Call::SendTransaction { transaction: bad });
    assert_eq!(kind, NetErrorKind::Rejected);
    assert_eq!(msg, "Transaction Failed: tx_failed (op_has_sub_entries)");
    assert_eq!(horizon.seen().len(), 1, "a rejected broadcast is not repeated");
    // Confirmation: a known hash is in a closed ledger (final); an unknown one is null.
    let unknown = "ab".repeat(32);
    let Reply::SignatureStatuses { statuses } =
        net.ok(Call::SignatureStatuses { signatures: vec![HASH.to_uppercase(), unknown.clone()] })
    else {
        panic!()
    };
    let first = statuses[0].as_ref().unwrap();
    assert_eq!((first.slot, first.confirmation, first.failed), (54_987_655, Confirmation::Finalized, false));
    assert!(statuses[1].is_none());
    let targets: Vec<String> = horizon.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets, [format!("/transactions/{HASH}"), format!("/transactions/{unknown}")]);
    // History: newest first, failed ones included.
    let Reply::History { entries, .. } = net.ok(Call::History { address: ACCOUNT.into(), limit: 3 }) else { panic!() };
    assert_eq!(entries.len(), 3);
    assert_eq!((entries[0].signature.as_str(), entries[0].slot), (HASH, 54_987_655));
    assert_eq!(entries[0].block_time, Some(1_734_689_477));
    assert!(entries[1].failed && !entries[0].failed);
    let targets: Vec<String> = horizon.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets, [format!("/accounts/{ACCOUNT}/transactions?order=desc&limit=3&include_failed=true")]);
    // Asking for fewer than the endpoint sends is a lying endpoint.
    assert_eq!(
        net.err_on(Network::Mainnet, Call::History { address: ACCOUNT.into(), limit: 2 }).0,
        NetErrorKind::MalformedAnswer
    );
    // A transaction by hash: its signed envelope (checked by the client), ledger and outcome; none for a 404.
    let Reply::Transaction { signature, transaction, slot, failed } =
        net.ok(Call::Transaction { signature: HASH.into() })
    else {
        panic!()
    };
    assert_eq!((signature.as_str(), slot, failed), (HASH, Some(54_987_655), false));
    assert!(transaction.unwrap().starts_with("AAAAAgAAAACiI2ky"));
    let Reply::Transaction { transaction, .. } = net.ok(Call::Transaction { signature: unknown.clone() }) else {
        panic!()
    };
    assert!(transaction.is_none());
    // Not served for Stellar: a typed answer, nothing sent.
    assert_eq!(net.err_on(Network::Mainnet, Call::LatestBlockhash).0, NetErrorKind::Unsupported);
}

#[test]
fn another_networks_passphrase_is_refused() {
    let horizon = Horizon::start(fixtures);
    // The fixture server is the public network's Horizon; asked as testnet it must be refused before any account
    // is asked for.
    let mut net = Net::start(Chain::Stellar, Network::Testnet, &horizon.url);
    let (kind, msg) = net.err_on(Network::Testnet, account(ACCOUNT));
    assert_eq!(kind, NetErrorKind::WrongChain, "{msg}");
    assert_eq!(horizon.seen().len(), 1);
    // Stellar has no devnet.
    let mut net = Net::start(Chain::Stellar, Network::Devnet, &horizon.url);
    assert_eq!(net.err_on(Network::Devnet, account(ACCOUNT)).0, NetErrorKind::Unsupported);
}

#[test]
fn malformed_oversized_and_lying_answers() {
    let root = || (200, fixture("root-public.json"));
    let serve = |body: String| Horizon::start(move |req| if req.target == "/" { root() } else { (200, body.clone()) });
    let acct = fixture("account.json");
    for (what, body) in [
        ("not JSON", "{\"account_id\": ".to_owned()),
        (
            "another account",
            acct.replace(&format!("\"account_id\": \"{ACCOUNT}\""), &format!("\"account_id\": \"{UNFUNDED}\"")),
        ),
        ("an amount without 7 decimals", acct.replace("\"10000.0000001\"", "\"10000.5\"")),
        ("a negative amount", acct.replace("\"25.5000000\"", "\"-25.5000000\"")),
        ("a number for a string", acct.replace("\"120192344791990275\"", "120192344791990275")),
        ("no native balance", acct.replace("\"asset_type\": \"native\"", "\"asset_type\": \"credit_alphanum4\"")),
        ("a data value over 64 bytes", acct.replace("\"MQ==\"", &format!("\"{}\"", "QUFB".repeat(22)))),
        ("deep JSON", format!("{}{}", "[".repeat(100), "]".repeat(100))),
    ] {
        let horizon = serve(body);
        let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
        let (kind, msg) = net.err_on(Network::Mainnet, account(ACCOUNT));
        assert_eq!(kind, NetErrorKind::MalformedAnswer, "{what}: {msg}");
    }
    // 5 MiB of account: refused (the limit is 4 MiB).
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(5 << 20));
    let horizon = serve(big);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    assert_eq!(net.err_on(Network::Mainnet, account(ACCOUNT)).0, NetErrorKind::AnswerTooLarge);
    // An HTTP error that is not Horizon's documented one.
    let horizon =
        Horizon::start(|req| if req.target == "/" { (200, fixture("root-public.json")) } else { (500, "oops".into()) });
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    assert_eq!(net.err_on(Network::Mainnet, account(ACCOUNT)).0, NetErrorKind::HttpStatus);
}

/// `n` offer records of ACCOUNT with paging tokens `first..first+n`.
fn offer_page(first: u64, n: u64) -> String {
    let records: Vec<String> = (first..first + n)
        .map(|i| {
            format!(
                r#"{{"id":"{i}","paging_token":"{i}","seller":"{ACCOUNT}","selling":{{"asset_type":"native"}},
                "buying":{{"asset_type":"credit_alphanum4","asset_code":"USDC","asset_issuer":"{USDC_ISSUER}"}},
                "amount":"1.0000000","price_r":{{"n":1,"d":1}},"price":"1.0000000","last_modified_ledger":1}}"#
            )
        })
        .collect();
    format!(r#"{{"_embedded":{{"records":[{}]}}}}"#, records.join(","))
}

#[test]
fn pages_follow_paging_tokens_and_stay_bounded() {
    // Offers: a full page of 200, then 5 more after cursor 200.
    let horizon = Horizon::start(|req| {
        let target = req.target.as_str();
        if target == "/" {
            (200, fixture("root-public.json"))
        } else if target.ends_with("&cursor=200") {
            (200, offer_page(201, 5))
        } else if target.contains("/offers") {
            (200, offer_page(1, 200))
        } else {
            (404, fixture("not-found.json"))
        }
    });
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    let Reply::Offers { offers, .. } = net.ok(Call::Offers { address: ACCOUNT.into() }) else { panic!() };
    assert_eq!(offers.len(), 205);
    assert_eq!((offers[0].id, offers[204].id), (1, 205));
    let targets: Vec<String> = horizon.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets[2], format!("/accounts/{ACCOUNT}/offers?order=asc&limit=200&cursor=200"));
    // An endpoint that never stops sending full pages: refused after the most offers an account can have.
    let endless =
        Horizon::start(
            |req| {
                if req.target == "/" { (200, fixture("root-public.json")) } else { (200, offer_page(1, 200)) }
            },
        );
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &endless.url);
    assert_eq!(net.err_on(Network::Mainnet, Call::Offers { address: ACCOUNT.into() }).0, NetErrorKind::MalformedAnswer);
    assert_eq!(endless.seen().len(), 1 + 6, "the root and six pages, no more");
}

#[test]
fn a_broadcast_horizon_gave_up_waiting_for_is_a_timeout_and_not_repeated() {
    use base64::Engine as _;
    let horizon = Horizon::start(|req| {
        if req.target == "/" {
            (200, fixture("root-public.json"))
        } else {
            (504, r#"{"type":"https://stellar.org/horizon-errors/timeout","title":"Timeout","status":504}"#.into())
        }
    });
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    let tx = base64::engine::general_purpose::STANDARD.encode([1u8; 40]);
    let (kind, msg) = net.err_on(Network::Mainnet, Call::SendTransaction { transaction: tx });
    assert_eq!(kind, NetErrorKind::Timeout);
    assert!(msg.contains("may still be"), "{msg}");
    assert_eq!(horizon.seen().iter().filter(|s| s.method == "POST").count(), 1);
}

#[test]
fn balances_of_several_accounts_one_request_each() {
    // Horizon has no batch request: one GET /accounts/{id} per address; one that does not exist holds 0.
    let horizon = Horizon::start(fixtures);
    let mut net = Net::start(Chain::Stellar, Network::Mainnet, &horizon.url);
    net.ok(account(ACCOUNT));
    horizon.seen();
    let Reply::Balances { balances, requests } =
        net.ok(Call::Balances { addresses: vec![ACCOUNT.into(), UNFUNDED.into()] })
    else {
        panic!("not balances")
    };
    assert_eq!(requests, 2);
    assert_eq!((balances[0].address.as_str(), balances[0].amount.value()), (ACCOUNT, 100_000_000_001));
    assert_eq!((balances[1].address.as_str(), balances[1].amount.value()), (UNFUNDED, 0));
    let targets: Vec<String> = horizon.seen().into_iter().map(|s| s.target).collect();
    assert_eq!(targets, [format!("/accounts/{ACCOUNT}"), format!("/accounts/{UNFUNDED}")]);
}
