//! `coffer migrate sweep --chain stellar --holdings FILE`: the complete Stellar sweep (issue #14) from a holdings
//! file — every trustline, offer, data entry and claimable balance, then the merge — signed by the old and the new
//! key; checked with Coffer's own decoder and ed25519, and (ignored test) with the Stellar SDK.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::sign::Network;
use coffer_core::sign::stellar::{Asset, MuxedAccount, OperationBody, decode_envelope};
use ed25519_dalek::Verifier as _;
use serde_json::{Value, json};

use crate::common::{TestVault, sdk};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";
const ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// A vault whose compromised seed `main` is [`OLD`], migrating to a fresh seed, with one Stellar row planned.
/// Returns the vault and the row.
fn planned(tag: &str) -> (TestVault, Value) {
    let v = TestVault::new(tag, b"stellar sweep password\n");
    v.import("main", OLD, "");
    let run = |args: &[&str]| v.run(args, b"").ok().json();
    run(&["migrate", "compromised", "main"]);
    let started = run(&["migrate", "start", "--from", "main", "--new-label", "fresh", "--words", "12"]);
    let words: Vec<&str> = s(&started["mnemonic"]).split(' ').collect();
    let answers: Vec<&str> = started["challenge"]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| words[p.as_u64().unwrap() as usize - 1])
        .collect();
    let f = v.dir.file("answers", answers.join("\n").as_bytes());
    run(&["migrate", "verify", "--from", "main", "--answers-file", &f]);
    let rows = run(&["migrate", "plan", "--from", "main", "--chain", "stellar", "--accounts", "1"]);
    let row = rows[0].clone();
    (v, row)
}

/// Holdings of the old account (100 XLM, USDC and a 12-letter asset, an offer, a data entry, a claimable balance
/// claimable now and one expired) and of the new account (does not exist).
fn holdings(row: &Value) -> Value {
    json!({
        "chain": "stellar",
        "accounts": [
            {
                "address": s(&row["old_address"]), "exists": true, "sequence": "41", "native": "1000000000",
                "trustlines": [
                    {"type": "credit", "code": "USDC", "issuer": ISSUER, "balance": "25000000",
                     "limit": "9223372036854775807"},
                    {"type": "credit", "code": "LONGCODE1234", "issuer": ISSUER, "balance": "7",
                     "limit": "1000", "authorized": true, "auth_required": false}
                ],
                "offers": [{"id": "99", "selling": "native", "buying": format!("USDC:{ISSUER}"), "amount": "50000000",
                            "price_n": 1, "price_d": 3}],
                "data": ["config.memo"],
                "claimable_balances": [
                    {"id": format!("00000000{}", "01".repeat(32)), "asset": format!("USDC:{ISSUER}"), "amount": "5",
                     "predicate": "unconditional"},
                    {"id": format!("00000000{}", "02".repeat(32)), "asset": "native", "amount": "5",
                     "predicate": {"abs_before_epoch": "1000"}}
                ],
                "subentry_count": 4, "num_sponsoring": 0, "num_sponsored": 0
            },
            {"address": s(&row["new_address"]), "exists": false}
        ]
    })
}

fn key(g: &str) -> [u8; 32] {
    coffer_core::chain::stellar::parse_address(g).unwrap()
}

fn sweep_args(file: &str) -> Vec<&str> {
    vec![
        "migrate",
        "sweep",
        "--from",
        "main",
        "--chain",
        "stellar",
        "--holdings",
        file,
        "--network",
        "testnet",
        "--yes",
    ]
}

#[test]
fn stellar_complete_sweep_from_a_holdings_file() {
    let (v, row) = planned("stellar-holdings");
    let file = v.dir.file("holdings.json", holdings(&row).to_string().as_bytes());
    let out = v.run(&sweep_args(&file), b"").ok().json();
    assert_eq!(out["merges"], true);
    let txs = out["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 1);
    let envelope = decode_envelope(&B64.decode(s(&txs[0]["signed_tx"])).unwrap()).unwrap();
    let (old, new) = (key(s(&row["old_address"])), key(s(&row["new_address"])));
    assert_eq!((envelope.source.key, envelope.seq_num, envelope.fee), (old, 42, 1100));
    let usdc = Asset::Credit { code: "USDC".into(), issuer: key(ISSUER) };
    let long = Asset::Credit { code: "LONGCODE1234".into(), issuer: key(ISSUER) };
    let to_new = MuxedAccount { key: new, id: None };
    let ops: Vec<(Option<[u8; 32]>, OperationBody)> =
        envelope.operations.iter().map(|o| (o.source.map(|m| m.key), o.body.clone())).collect();
    assert_eq!(
        ops,
        vec![
            (
                None,
                OperationBody::ManageOffer {
                    buy: false,
                    selling: Asset::Native,
                    buying: usdc.clone(),
                    amount: 0,
                    price: (1, 3),
                    offer_id: 99
                }
            ),
            (None, OperationBody::ManageData { name: b"config.memo".to_vec(), value: None }),
            (None, OperationBody::ClaimClaimableBalance { balance_id: [1; 32] }),
            (None, OperationBody::CreateAccount { destination: new, starting_balance: 20_000_000 }),
            (Some(new), OperationBody::ChangeTrust { line: usdc.clone(), limit: i64::MAX }),
            (None, OperationBody::Payment { destination: to_new, asset: usdc.clone(), amount: 25_000_005 }),
            (None, OperationBody::ChangeTrust { line: usdc, limit: 0 }),
            (Some(new), OperationBody::ChangeTrust { line: long.clone(), limit: i64::MAX }),
            (None, OperationBody::Payment { destination: to_new, asset: long.clone(), amount: 7 }),
            (None, OperationBody::ChangeTrust { line: long, limit: 0 }),
            (None, OperationBody::AccountMerge { destination: to_new }),
        ]
    );
    // Two signatures: the old account's and the new account's (its operations add trustlines).
    let hash = envelope.hash(&Network::Testnet);
    assert_eq!(s(&txs[0]["tx_id"]), hash.iter().map(|b| format!("{b:02x}")).collect::<String>());
    assert_eq!(envelope.signatures.len(), 2);
    for (sig, k) in envelope.signatures.iter().zip([old, new]) {
        assert_eq!(sig.hint, k[28..32]);
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&k).unwrap();
        vk.verify(&hash, &ed25519_dalek::Signature::from_slice(&sig.signature).unwrap()).unwrap();
    }
    // What moves and what stays (the expired claimable balance), recorded as the row's manual step.
    assert!(out["moves"].as_array().unwrap().iter().any(|m| m["asset"] == format!("USDC:{ISSUER}")
        && m["amount"] == "25000005"
        && m["how"] == "claim and payment"));
    let left = out["left"].as_array().unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(s(&left[0]["reason"]).contains("predicate"));
    assert_eq!(out["row"]["state"], "signed");
    assert!(s(&out["row"]["note"]).contains("stays"));
    assert!(txs[0]["summary"].to_string().contains("remove sell offer 99"), "{}", txs[0]["summary"]);
    let report = v.run(&["migrate", "report", "--from", "main"], b"").ok().json();
    assert!(report["manual_steps"].to_string().contains("predicate"));
    // The signing log has both signatures.
    let log = v.run(&["log"], b"").ok().json();
    assert!(log.to_string().contains("new account's signature"), "{log}");
}

#[test]
fn stellar_holdings_bad_input() {
    let (v, row) = planned("stellar-holdings-bad");
    let refused = |args: &[&str], code: i32, kind: &str| {
        let run = v.run(args, b"").fails_with(code);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert_eq!(run.error_json()["error"]["kind"], kind, "{}", run.stderr);
        run.error_json()["error"]["message"].as_str().unwrap().to_owned()
    };
    let mut h = holdings(&row);
    h["accounts"].as_array_mut().unwrap().pop();
    let f = v.dir.file("no-new.json", h.to_string().as_bytes());
    let msg = refused(&sweep_args(&f), 3, "invalid_holdings");
    assert!(msg.contains("new account"), "{msg}");
    let mut h = holdings(&row);
    h["accounts"][0]["balance"] = json!("1");
    let f = v.dir.file("unknown-field.json", h.to_string().as_bytes());
    refused(&sweep_args(&f), 3, "invalid_holdings");
    let mut h = holdings(&row);
    h["accounts"][0]["trustlines"][0]["code"] = json!("US-D");
    let f = v.dir.file("bad-code.json", h.to_string().as_bytes());
    refused(&sweep_args(&f), 3, "invalid_holdings");
    let mut h = holdings(&row);
    h["accounts"][0]["exists"] = json!(false);
    let f = v.dir.file("gone.json", h.to_string().as_bytes());
    refused(&sweep_args(&f), 3, "nothing_to_sweep");
    let f = v.dir.file("ok.json", holdings(&row).to_string().as_bytes());
    let mut args = sweep_args(&f);
    args[5] = "solana";
    args.truncate(8);
    // A Stellar holdings file given for a Solana sweep: not a Solana holdings file.
    refused(&[&args[..], &["--yes"]].concat(), 3, "invalid_holdings");
    // --holdings replaces the manual flags of the lone merge.
    let run = v.run(&[&sweep_args(&f)[..], &["--sequence", "1"]].concat(), b"").fails_with(2);
    assert!(run.stderr.contains("--sequence"), "{}", run.stderr);
    // Nothing was signed.
    let status = v.run(&["migrate", "status", "--from", "main"], b"").ok().json();
    assert_eq!(status["receipts"], 0);
}

/// The built sweep in the Stellar SDK (stellar-base): exactly the expected operations, sources and both signatures.
/// `cargo test -p coffer-cli --test cli stellar_sweep_sdk -- --ignored` (after scripts/interop-test).
#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn stellar_sweep_sdk_interop() {
    let (v, row) = planned("stellar-holdings-sdk");
    let file = v.dir.file("holdings.json", holdings(&row).to_string().as_bytes());
    let out = v.run(&sweep_args(&file), b"").ok().json();
    let signed = s(&out["transactions"][0]["signed_tx"]);
    let (old, new) = (s(&row["old_address"]), s(&row["new_address"]));
    for signer in [old, new] {
        let checked = sdk(&["verify", "stellar", "--signed-tx", signed, "--network", "testnet", "--signer", signer]);
        assert_eq!(checked["signer"], signer);
    }
    let d = sdk(&["decode", "stellar", "--tx", signed, "--network", "testnet"]);
    assert_eq!(d["source"], old);
    assert_eq!(d["seq_num"], "42");
    assert_eq!(d["fee"], "1100");
    assert_eq!(d["hash"], out["transactions"][0]["tx_id"]);
    assert_eq!(d["signatures"].as_array().unwrap().len(), 2);
    let usdc = format!("USDC:{ISSUER}");
    let long = format!("LONGCODE1234:{ISSUER}");
    let ops = d["operations"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = ops
        .iter()
        .map(|o| {
            let what = match s(&o["type"]) {
                "manageSellOffer" => format!("{} {} {} {}", o["selling"], o["buying"], o["amount"], o["offerId"]),
                "manageData" => format!("{} {}", o["name"], o["value"]),
                "claimClaimableBalance" => s(&o["balanceId"]).to_owned(),
                "createAccount" => format!("{} {}", s(&o["destination"]), s(&o["startingBalance"])),
                "changeTrust" => format!("{} {}", s(&o["line"]), s(&o["limit"])),
                "payment" => format!("{} {} {}", s(&o["destination"]), s(&o["asset"]), s(&o["amount"])),
                "accountMerge" => s(&o["destination"]).to_owned(),
                other => panic!("unexpected operation {other}: {o}"),
            };
            (s(&o["type"]).to_owned(), o["source"].as_str().unwrap_or("-").to_owned(), what)
        })
        .collect();
    let row_ = |t: &str, src: &str, w: String| (t.to_owned(), src.to_owned(), w);
    assert_eq!(
        summary,
        vec![
            row_("manageSellOffer", "-", format!("\"native\" \"{usdc}\" \"0.0000000\" \"99\"")),
            row_("manageData", "-", "\"config.memo\" null".into()),
            row_("claimClaimableBalance", "-", format!("00000000{}", "01".repeat(32))),
            row_("createAccount", "-", format!("{new} 2.0000000")),
            row_("changeTrust", new, format!("{usdc} 922337203685.4775807")),
            row_("payment", "-", format!("{new} {usdc} 2.5000005")),
            row_("changeTrust", "-", format!("{usdc} 0.0000000")),
            row_("changeTrust", new, format!("{long} 922337203685.4775807")),
            row_("payment", "-", format!("{new} {long} 0.0000007")),
            row_("changeTrust", "-", format!("{long} 0.0000000")),
            row_("accountMerge", "-", new.to_owned()),
        ]
    );
}

// ---------------------------------------------------------------- online: coffer-net against a local Horizon

const ABOUT_XLM_0: &str = "GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX";

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/stellar/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

type Posted = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A local Horizon of the public network answering from tests/fixtures/stellar for [`ABOUT_XLM_0`] (any other
/// account does not exist), accepting `POST /transactions` (form field `tx`): it records what was posted, and
/// answers with the transaction's hash as Horizon computes it (sha256 of the network id, ENVELOPE_TYPE_TX and the
/// transaction) in the documented submit and transaction shapes. One request per connection.
fn horizon() -> (String, Posted) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let posted: Posted = std::sync::Arc::default();
    let log = posted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let mut parts = head.split(' ');
            let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default().to_owned());
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; length];
            let _ = s.read_exact(&mut body);
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let (status, text) = match (method, path.as_str()) {
                ("POST", "/transactions") => {
                    let form = String::from_utf8_lossy(&body).to_string();
                    let tx = url_decode(form.strip_prefix("tx=").unwrap_or_default());
                    let hash = hash_of(&tx);
                    log.lock().unwrap().push(tx);
                    (200, fixture("submit-ok.json").replace(FIXTURE_HASH, &hash))
                }
                ("GET", "/") => (200, fixture("root-public.json")),
                ("GET", "/claimable_balances") if target.contains(ABOUT_XLM_0) => {
                    (200, fixture("claimable-balances.json"))
                }
                ("GET", "/claimable_balances") => (200, r#"{"_embedded":{"records":[]}}"#.to_owned()),
                ("GET", p) if p == format!("/accounts/{ABOUT_XLM_0}") => (200, fixture("account.json")),
                ("GET", p) if p == format!("/accounts/{ABOUT_XLM_0}/offers") => (200, fixture("offers.json")),
                ("GET", p) if p == format!("/accounts/{ABOUT_XLM_0}/transactions") => {
                    // The fixture's newest transaction is the last one posted.
                    let last = log.lock().unwrap().last().map(|t| hash_of(t)).unwrap_or_default();
                    (200, fixture("transactions.json").replace(FIXTURE_HASH, &last))
                }
                ("GET", p) if p.starts_with("/transactions/") => {
                    let hash = p.trim_start_matches("/transactions/").to_owned();
                    match log.lock().unwrap().iter().find(|t| hash_of(t) == hash) {
                        Some(tx) => (
                            200,
                            fixture("transaction.json").replace(FIXTURE_HASH, &hash).replace(FIXTURE_ENVELOPE, tx),
                        ),
                        None => (404, fixture("not-found.json")),
                    }
                }
                _ => (404, fixture("not-found.json")),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: application/hal+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (url, posted)
}

const FIXTURE_HASH: &str = "3389e9f0f1a65f19736cacf544c2e825313e8447f569233bb8db39aa607c8889";
const FIXTURE_ENVELOPE: &str = "AAAAAgAAAACiI2ky9wuF02ezwNMHasHigkrTFnCCz2PypMUAENKejwAAAGQBqwDwAAAABAAAAAAAAAAAAAAAAQAAAAAAAAAIAAAAAEkPU+cTT9cWUkiQ4/k+K2RE6DJIJPpGqK3AqdqAAAAAAAAAAAA=";

/// A transaction's hash as Horizon computes it on the public network (empty for what does not decode).
fn hash_of(tx: &str) -> String {
    B64.decode(tx)
        .ok()
        .and_then(|b| decode_envelope(&b).ok())
        .map(|e| hex(&e.hash(&Network::Public)))
        .unwrap_or_default()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn stellar_online_sweep_fetches_builds_signs_broadcasts_and_waits() {
    let _ = crate::balance::coffer_net();
    let (url, posted) = horizon();
    let v = TestVault::new("stellar-online", b"stellar online password\n");
    v.import("main", crate::common::ABOUT, "");
    let run = |args: &[&str]| v.run(args, b"").ok().json();
    run(&["migrate", "compromised", "main"]);
    let started = run(&["migrate", "start", "--from", "main", "--new-label", "fresh", "--words", "12"]);
    let words: Vec<&str> = s(&started["mnemonic"]).split(' ').collect();
    let answers: Vec<&str> = started["challenge"]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| words[p.as_u64().unwrap() as usize - 1])
        .collect();
    let f = v.dir.file("answers", answers.join("\n").as_bytes());
    run(&["migrate", "verify", "--from", "main", "--answers-file", &f]);
    let row = run(&["migrate", "plan", "--from", "main", "--chain", "stellar", "--accounts", "1"])[0].clone();
    assert_eq!(row["old_address"], ABOUT_XLM_0);
    let out = run(&[
        "migrate",
        "sweep",
        "--from",
        "main",
        "--chain",
        "stellar",
        "--online",
        "--network",
        "public",
        "--endpoint",
        &url,
        "--yes",
    ]);
    // What Coffer broadcast is exactly the signed transaction of its receipt, in a ledger (the fixture's).
    let sent = posted.lock().unwrap().clone();
    let txs = out["transactions"].as_array().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0], s(&txs[0]["signed_tx"]));
    assert_eq!(txs[0]["result"]["ledger"], 54_987_655);
    assert_eq!(txs[0]["result"]["failed"], false);
    let envelope = decode_envelope(&B64.decode(&sent[0]).unwrap()).unwrap();
    let (old, new) = (key(ABOUT_XLM_0), key(s(&row["new_address"])));
    let hash = envelope.hash(&Network::Public);
    assert_eq!(s(&txs[0]["tx_id"]), hex(&hash));
    // Recorded in the vault as it happened: sent, then in a ledger; the row is confirmed, with its explorer link.
    let link = format!("https://stellar.expert/explorer/public/tx/{}", hex(&hash));
    assert_eq!(txs[0]["explorer"], link.as_str(), "{out}");
    assert_eq!(
        (txs[0]["sent"]["confirmed"].as_bool(), txs[0]["sent"]["endpoint"].as_str()),
        (Some(true), Some(url.as_str()))
    );
    let status = run(&["migrate", "status", "--from", "main"]);
    assert_eq!(status["rows"]["confirmed"], 1, "{status}");
    assert_eq!(status["transactions"][0]["state"], "confirmed", "{status}");
    assert_eq!(status["transactions"][0]["explorer"], link.as_str(), "{status}");
    assert_eq!(envelope.signatures.len(), 2);
    for (sig, k) in envelope.signatures.iter().zip([old, new]) {
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&k).unwrap();
        vk.verify(&hash, &ed25519_dalek::Signature::from_slice(&sig.signature).unwrap()).unwrap();
    }
    // The fixture account holds pool shares: no merge; offers and data removed, USDC moved with a trustline on the
    // new account, the lumens above the remaining minimum balance paid; the claimable balance stays (claimable from
    // 2030 on, by the predicate coffer-net reported).
    assert_eq!(out["merges"], false);
    let kinds: Vec<&str> = envelope
        .operations
        .iter()
        .map(|o| match &o.body {
            OperationBody::ManageOffer { amount: 0, .. } => "remove offer",
            OperationBody::ManageData { value: None, .. } => "delete data",
            OperationBody::CreateAccount { .. } => "create",
            OperationBody::ChangeTrust { limit, .. } if *limit > 0 && o.source.map(|m| m.key) == Some(new) => "trust",
            OperationBody::Payment { asset: Asset::Native, .. } => "pay lumens",
            OperationBody::Payment { .. } => "pay asset",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["remove offer", "remove offer", "delete data", "delete data", "create", "trust", "pay asset", "pay lumens"]
    );
    let left = out["left"].to_string();
    assert!(left.contains("pool shares") && left.contains("claimable balance"), "{left}");
    assert!(left.contains("predicate does not allow the old account to claim it now"), "{left}");

    // coffer broadcast --chain stellar: the same signed sweep again (Horizon's hash is checked against the one
    // computed here), and --wait follows it to its ledger.
    let f = v.dir.file("signed.tx", sent[0].as_bytes());
    let net = ["--chain", "stellar", "--network", "public", "--endpoint", url.as_str()];
    let b = crate::common::coffer(&[&["broadcast", "--tx-file", &f, "--wait", "--json"], &net[..]].concat(), b"")
        .ok()
        .json();
    assert_eq!((b["signature"].as_str(), b["slot"].as_u64()), (Some(hex(&hash).as_str()), Some(54_987_655)));
    assert_eq!(b["confirmation"], "finalized");
    assert_eq!(b["explorer"], link.as_str());
    assert_eq!(posted.lock().unwrap().len(), 2);
    assert_eq!(posted.lock().unwrap()[1], sent[0]);
    // A signature changed after signing is refused before anything is sent.
    let mut bytes = B64.decode(&sent[0]).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 1;
    let f = v.dir.file("tampered.tx", B64.encode(&bytes).as_bytes());
    let e = crate::common::coffer(&[&["broadcast", "--tx-file", &f, "--json"], &net[..]].concat(), b"")
        .fails_with(3)
        .error_json();
    assert_eq!(e["error"]["kind"], "invalid_signature", "{e}");
    assert_eq!(posted.lock().unwrap().len(), 2);

    // coffer history --seed: the sweep is outgoing and signed here (the hash is in the signing log); the fixture's
    // other transactions are not available from this Horizon.
    let h = v.run(&[&["history", "--seed", "main", "--json"], &net[..]].concat(), b"").ok().json();
    let entries = h["entries"].as_array().unwrap();
    assert_eq!(entries[0]["signature"], hex(&hash).as_str());
    assert_eq!((entries[0]["outgoing"].as_bool(), entries[0]["signed_here"].as_bool()), (Some(true), Some(true)));
    assert!(entries[1]["outgoing"].is_null());
}
