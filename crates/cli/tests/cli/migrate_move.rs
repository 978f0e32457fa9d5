//! `coffer migrate sweep --chain iota|sui --holdings FILE`: Coffer builds the whole sweep from a holdings file,
//! shows what moves and what stays, guards, signs. Checked with Coffer's own decoder and ed25519 here, and with
//! @iota/iota-sdk and @mysten/sui in `move_sweep_sdk_interop` (needs node: scripts/interop-test).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::sign::iota_sui::{Argument, Command, Input, TransactionData, decode_transaction};
use coffer_core::sign::{self};
use coffer_core::{Chain, PublicKey};
use ed25519_dalek::Verifier as _;
use serde_json::{Value, json};

use crate::common::{Run, TestVault, sdk};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// A vault whose seed `main` is compromised and migrated to a fresh seed (backup checked, default plan).
struct Env {
    vault: TestVault,
    rows: Vec<Value>,
}

impl Env {
    fn new(tag: &str) -> Self {
        let vault = TestVault::new(tag, b"move sweep test password\n");
        vault.import("main", OLD, "");
        let run = |args: &[&str]| vault.run(args, b"").ok().json();
        run(&["migrate", "compromised", "main"]);
        let v = run(&["migrate", "start", "--from", "main", "--new-label", "fresh"]);
        let words: Vec<String> = s(&v["mnemonic"]).split(' ').map(str::to_owned).collect();
        let answers: Vec<&str> = v["challenge"]["positions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| words[p.as_u64().unwrap() as usize - 1].as_str())
            .collect();
        let f = vault.dir.file("answers", answers.join("\n").as_bytes());
        run(&["migrate", "verify", "--from", "main", "--answers-file", &f]);
        let rows = run(&["migrate", "plan", "--from", "main"]).as_array().unwrap().clone();
        Self { vault, rows }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.vault.run(args, b"")
    }

    fn row(&self, chain: &str, account: u64) -> Value {
        self.rows.iter().find(|r| r["chain"] == chain && r["account"] == account).unwrap().clone()
    }

    #[track_caller]
    fn refused(&self, args: &[&str], code: i32, kind: &str) -> String {
        let run = self.run(args).fails_with(code);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        let e = run.error_json();
        assert_eq!(e["error"]["kind"], kind, "{}", run.stderr);
        e["error"]["message"].as_str().unwrap().to_owned()
    }

    fn sweep(&self, chain: &str, holdings: &Value, extra: &[&str]) -> Run {
        let f = self.vault.dir.file(&format!("holdings-{chain}"), holdings.to_string().as_bytes());
        let mut args = vec!["migrate", "sweep", "--from", "main", "--chain", chain, "--holdings", &f, "--yes"];
        args.extend(extra);
        self.run(&args)
    }
}

fn id(n: u32) -> String {
    format!("0x{n:064x}")
}

fn digest(n: u32) -> String {
    let mut d = [0u8; 32];
    d[..4].copy_from_slice(&n.to_le_bytes());
    d[31] = 9;
    bs58::encode(d).into_string()
}

fn coin(n: u32, balance: u64) -> Value {
    json!({ "object_id": id(n), "version": n, "digest": digest(n), "balance": balance.to_string() })
}

fn object(n: u32, t: &str) -> Value {
    json!({ "object_id": id(n), "version": n, "digest": digest(n), "object_type": t })
}

const TOKEN: &str = "0x00000000000000000000000000000000000000000000000000000000000000aa::token::TOKEN";

/// IOTA holdings: two IOTA coins, two coins of another type, a stake, a Stardust basic output, a sword with public
/// transfer, and a shield that cannot be moved.
fn iota_holdings(address: &str) -> Value {
    let mut sword = object(14, "0x00000000000000000000000000000000000000000000000000000000000000cc::game::Sword");
    sword["public_transfer"] = json!(true);
    let mut shield = object(15, "0x00000000000000000000000000000000000000000000000000000000000000cc::game::Shield");
    shield["public_transfer"] = json!(false);
    json!({
        "chain": "iota",
        "address": address,
        "coins": [
            { "coin_type": "0x2::iota::IOTA", "coins": [coin(1, 3_000_000_000), coin(2, 500)] },
            { "coin_type": TOKEN, "coins": [coin(3, 10), coin(4, 20)] },
        ],
        "objects": [
            object(10, "0x3::staking_pool::StakedIota"),
            object(11, "0x000000000000000000000000000000000000000000000000000000000000107a::basic_output::BasicOutput<0x2::iota::IOTA>"),
            sword,
            shield,
        ],
    })
}

fn sui_holdings(address: &str) -> Value {
    json!({
        "chain": "sui",
        "address": address,
        "coins": [
            { "coin_type": "0x2::sui::SUI", "coins": [coin(1, 2_000_000_000)] },
            { "coin_type": TOKEN, "coins": [coin(3, 10), coin(4, 20), coin(5, 30)] },
        ],
        "objects": [object(10, "0x3::staking_pool::StakedSui")],
    })
}

fn verify(chain: Chain, old_address: &str, tx_bytes: &[u8], signature: &str) {
    let sig = B64.decode(signature).unwrap();
    assert_eq!((sig.len(), sig[0]), (97, 0));
    let pk: [u8; 32] = sig[65..].try_into().unwrap();
    assert_eq!(chain.address(&PublicKey(pk)), old_address);
    let digest = sign::iota_sui::intent_digest(sign::iota_sui::INTENT_TRANSACTION, tx_bytes);
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&pk).unwrap();
    vk.verify(&digest, &ed25519_dalek::Signature::from_slice(&sig[1..65]).unwrap()).unwrap();
}

fn hex32(a: &str) -> [u8; 32] {
    coffer_core::holdings::iota_sui::parse_object_id(a).unwrap()
}

#[test]
fn move_sweep_from_holdings() {
    let env = Env::new("move-sweep");
    let iota = env.row("iota", 0);
    let (old, new) = (s(&iota["old_address"]), s(&iota["new_address"]));

    // Usage and bad files, before anything is signed.
    let f = env.vault.dir.file("h", b"{}");
    env.refused(&["migrate", "sweep", "--from", "main", "--chain", "iota", "--gas-price", "5", "--yes"], 2, "usage");
    env.refused(
        &["migrate", "sweep", "--from", "main", "--chain", "iota", "--holdings", &f, "--tx-file", &f, "--yes"],
        2,
        "usage",
    );
    env.refused(
        &["migrate", "sweep", "--from", "main", "--chain", "iota-stardust", "--holdings", &f, "--yes"],
        2,
        "usage",
    );
    let e = env.sweep("iota", &json!({"address": old, "coins": [], "objects": [], "extra": 1}), &[]);
    assert_eq!(e.fails_with(3).error_json()["error"]["kind"], "invalid_holdings");
    let msg = {
        let run = env.sweep("sui", &iota_holdings(old), &[]).fails_with(3);
        run.error_json()["error"]["message"].as_str().unwrap().to_owned()
    };
    assert!(msg.contains("for chain \"iota\""), "{msg}");
    let mut number = iota_holdings(old);
    number["coins"][0]["coins"][0]["balance"] = json!(5);
    assert_eq!(env.sweep("iota", &number, &[]).fails_with(3).error_json()["error"]["kind"], "invalid_holdings");
    let stranger = "0xabababababababababababababababababababababababababababababababab";
    let run = env.sweep("iota", &iota_holdings(stranger), &[]).fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "row_not_planned");
    let run = env.sweep("iota", &iota_holdings(old), &["--gas-price", "0"]).fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "invalid_fee");
    // Without --yes and without a terminal: refused before signing.
    let f = env.vault.dir.file("holdings-iota", iota_holdings(old).to_string().as_bytes());
    env.refused(
        &["migrate", "sweep", "--from", "main", "--chain", "iota", "--holdings", &f],
        7,
        "confirmation_required",
    );

    // IOTA: one transaction; everything but the shield moves.
    let v = env.sweep("iota", &iota_holdings(old), &["--gas-price", "1000"]).ok().json();
    assert_eq!(v["chain"], "iota");
    let txs = v["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 1);
    let left = v["left"].as_array().unwrap();
    assert_eq!(left.len(), 1);
    assert!(s(&left[0]["what"]).contains(&id(15)) && s(&left[0]["reason"]).contains("store"), "{left:?}");
    let t = &txs[0];
    let bytes = B64.decode(s(&t["tx_bytes"])).unwrap();
    verify(Chain::Iota, old, &bytes, s(&t["signature"]));
    assert_eq!(s(&t["tx_id"]), coffer_core::migrate::iota_sui_digest(&bytes));
    assert_eq!(t["row"]["state"], "signed");
    assert_eq!(t["summary"]["fully_decoded"], true);
    let TransactionData::Programmable(tx) = decode_transaction(Chain::Iota, &bytes).unwrap() else { panic!() };
    assert_eq!(tx.inputs[0], Input::Pure(hex32(new).to_vec()));
    assert_eq!(tx.gas.payment.iter().map(|r| r.id).collect::<Vec<_>>(), vec![hex32(&id(1)), hex32(&id(2))]);
    assert_eq!(t["gas_budget"], json!(tx.gas.budget));
    assert_eq!(tx.commands.len(), 4, "{:?}", tx.commands);
    assert_eq!(
        tx.commands[3],
        Command::TransferObjects {
            objects: vec![
                Argument::GasCoin,
                Argument::Input(1),
                Argument::Input(3),
                Argument::Result(2),
                Argument::NestedResult(1, 1),
                Argument::Input(5),
            ],
            recipient: Argument::Input(0),
        }
    );
    // In the chain's units, with the base units beside them.
    assert!(
        s(&t["moves"][0]).starts_with("3.0000005 IOTA (3000000500 base units) of the native coin"),
        "{}",
        t["moves"]
    );

    // Sui: coins merged, the stake transferred.
    let sui = env.row("sui", 0);
    let v = env.sweep("sui", &sui_holdings(s(&sui["old_address"])), &[]).ok().json();
    assert!(v["left"].as_array().unwrap().is_empty());
    let t = &v["transactions"][0];
    let bytes = B64.decode(s(&t["tx_bytes"])).unwrap();
    verify(Chain::Sui, s(&sui["old_address"]), &bytes, s(&t["signature"]));
    let TransactionData::Programmable(tx) = decode_transaction(Chain::Sui, &bytes).unwrap() else { panic!() };
    assert_eq!(tx.gas.price, 1000, "the default gas price");
    assert_eq!(
        tx.commands,
        vec![
            Command::MergeCoins {
                destination: Argument::Input(1),
                sources: vec![Argument::Input(2), Argument::Input(3)]
            },
            Command::TransferObjects {
                objects: vec![Argument::GasCoin, Argument::Input(1), Argument::Input(4)],
                recipient: Argument::Input(0),
            },
        ]
    );

    // The report: both rows signed; what stays is recorded on the IOTA row.
    let report = env.run(&["migrate", "report", "--from", "main"]).ok().json();
    let rows = report["rows"].as_array().unwrap();
    let iota_row = rows.iter().find(|r| r["chain"] == "iota" && r["account"] == 0).unwrap();
    assert_eq!(iota_row["state"], "signed");
    assert!(s(&iota_row["note"]).contains(&id(15)), "{iota_row}");
    assert_eq!(report["receipts"].as_array().unwrap().len(), 2);
}

/// The built sweeps decoded by @iota/iota-sdk and @mysten/sui: exactly the expected commands, inputs, recipient
/// and gas data; the SDKs verify the signatures.
#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn move_sweep_sdk_interop() {
    let env = Env::new("move-sweep-sdk");
    for (chain, holdings) in [("iota", iota_holdings as fn(&str) -> Value), ("sui", sui_holdings)] {
        let row = env.row(chain, 0);
        let (old, new) = (s(&row["old_address"]), s(&row["new_address"]));
        let v = env.sweep(chain, &holdings(old), &[]).ok().json();
        let t = &v["transactions"][0];
        let decoded = sdk(&["decode", chain, "--tx-bytes", s(&t["tx_bytes"])]);
        assert_eq!(decoded["digest"], t["tx_id"], "the SDK's digest is Coffer's");
        assert_eq!(decoded["sender"], old);
        assert_eq!(decoded["gas"]["owner"], old);
        assert_eq!(decoded["gas"]["price"], "1000");
        assert_eq!(decoded["gas"]["budget"], t["gas_budget"].to_string());
        let payment: Vec<&str> =
            decoded["gas"]["payment"].as_array().unwrap().iter().map(|p| s(&p["objectId"])).collect();
        let inputs = decoded["inputs"].as_array().unwrap();
        assert_eq!(inputs[0]["kind"], "Pure");
        assert_eq!(s(&inputs[0]["bytes_hex"]), hex32(new).iter().map(|b| format!("{b:02x}")).collect::<String>());
        let ids: Vec<&str> = inputs[1..].iter().map(|i| s(&i["objectId"])).collect();
        let commands: Vec<Value> = decoded["commands"].as_array().unwrap().clone();
        let framework = |short: &str| format!("0x{short:0>64}");
        if chain == "iota" {
            assert_eq!(payment, [id(1), id(2)]);
            assert_eq!(ids, [id(3), id(4), id(10), id(11), id(14)]);
            assert_eq!(
                Value::Array(commands),
                json!([
                    { "kind": "MergeCoins", "destination": "Input(1)", "sources": ["Input(2)"] },
                    { "kind": "MoveCall", "target": format!("{}::basic_output::extract_assets", framework("107a")),
                      "type_arguments": [format!("{}::iota::IOTA", framework("2"))], "arguments": ["Input(4)"] },
                    { "kind": "MoveCall", "target": format!("{}::coin::from_balance", framework("2")),
                      "type_arguments": [format!("{}::iota::IOTA", framework("2"))], "arguments": ["NestedResult(1,0)"] },
                    { "kind": "TransferObjects", "recipient": new,
                      "objects": ["GasCoin", "Input(1)", "Input(3)", "Result(2)", "NestedResult(1,1)", "Input(5)"] },
                ])
            );
        } else {
            assert_eq!(payment, [id(1)]);
            assert_eq!(ids, [id(3), id(4), id(5), id(10)]);
            assert_eq!(
                Value::Array(commands),
                json!([
                    { "kind": "MergeCoins", "destination": "Input(1)", "sources": ["Input(2)", "Input(3)"] },
                    { "kind": "TransferObjects", "recipient": new, "objects": ["GasCoin", "Input(1)", "Input(4)"] },
                ])
            );
        }
        let checked = sdk(&[
            "verify",
            chain,
            "--tx-bytes",
            s(&t["tx_bytes"]),
            "--signature",
            s(&t["signature"]),
            "--address",
            old,
        ]);
        assert_eq!(checked["digest"], t["tx_id"]);
    }

    // The Sui online sweep (holdings, price and dry run from a local GraphQL service): @mysten/sui decodes exactly
    // the bytes that were simulated and executed, and verifies the signature sent with them.
    let _ = crate::balance::coffer_net();
    let row = env.row("sui", 2);
    let (old, new) = (s(&row["old_address"]), s(&row["new_address"]));
    let (url, seen) = sui_service(old.to_owned(), false);
    let online = ["migrate", "sweep", "--from", "main", "--chain", "sui", "--account", "2", "--online", "--endpoint"];
    let v = env.run(&[&online[..], &[url.as_str(), "--yes"]].concat()).ok().json();
    let t = &v["transactions"][0];
    let decoded = sdk(&["decode", "sui", "--tx-bytes", s(&t["tx_bytes"])]);
    assert_eq!(decoded["digest"], t["tx_id"]);
    assert_eq!((&decoded["sender"], &decoded["gas"]["owner"]), (&json!(old), &json!(old)));
    assert_eq!(decoded["gas"]["price"], "1500", "the service's reference gas price");
    assert_eq!(decoded["gas"]["budget"], t["gas_budget"].to_string());
    let payment: Vec<&str> = decoded["gas"]["payment"].as_array().unwrap().iter().map(|p| s(&p["objectId"])).collect();
    assert_eq!(payment, [id(1)]);
    let inputs = decoded["inputs"].as_array().unwrap();
    let ids: Vec<&str> = inputs[1..].iter().map(|i| s(&i["objectId"])).collect();
    assert_eq!(ids, [id(3), id(4), id(10), id(14)], "the badge without public transfer is not an input");
    assert_eq!(
        decoded["commands"],
        json!([
            { "kind": "MergeCoins", "destination": "Input(1)", "sources": ["Input(2)"] },
            { "kind": "TransferObjects", "recipient": new, "objects": ["GasCoin", "Input(1)", "Input(3)", "Input(4)"] },
        ])
    );
    let checked =
        sdk(&["verify", "sui", "--tx-bytes", s(&t["tx_bytes"]), "--signature", s(&t["signature"]), "--address", old]);
    assert_eq!(checked["digest"], t["tx_id"]);
    let asked = seen.lock().unwrap().clone();
    let simulated = asked.iter().find(|(q, _)| q.contains("simulateTransaction")).unwrap();
    assert_eq!(simulated.1["tx"]["bcs"]["value"], t["tx_bytes"]);
    let executed = asked.iter().find(|(q, _)| q.contains("executeTransaction")).unwrap();
    assert_eq!(executed.1, json!({"tx": t["tx_bytes"], "signatures": [t["signature"]]}));
}

/// A local IOTA JSON-RPC node (the API's documented shapes, as tests/fixtures/iota): the old address holds two IOTA
/// coins and a stake; it dry-runs and executes what it is given, answering with the transaction's own digest (or,
/// with `lie`, another). Returns its URL and the (method, params) it was asked.
/// What a test node was asked: (method, params).
pub(crate) type Asked = std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>;

pub(crate) fn iota_node(owner: String, lie: bool) -> (String, Asked) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
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
            let len: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let req: Value = serde_json::from_slice(&body).unwrap();
            // A batch: the status of executed transactions (`iota_getTransactionBlock` with `showEffects`), each
            // succeeded and in checkpoint 77.
            if let Some(batch) = req.as_array() {
                let answers: Vec<Value> = batch
                    .iter()
                    .map(|r| {
                        log.lock().unwrap().push((r["method"].as_str().unwrap().to_owned(), r["params"].clone()));
                        json!({"jsonrpc": "2.0", "id": r["id"], "result": {"digest": r["params"][0],
                               "effects": {"status": {"status": "success"}}, "checkpoint": "77"}})
                    })
                    .collect();
                let answer = Value::Array(answers).to_string();
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                continue;
            }
            let (method, params) = (req["method"].as_str().unwrap().to_owned(), req["params"].clone());
            log.lock().unwrap().push((method.clone(), params.clone()));
            // With showContent: `hasPublicTransfer`, and the fields (a TimeLock's `expiration_timestamp_ms`).
            let object = |n: u32, t: &str, public: bool, fields: Value| {
                json!({"data": {"objectId": id(n), "version": n.to_string(), "digest": digest(n), "type": t,
                                "owner": {"AddressOwner": owner},
                                "content": {"dataType": "moveObject", "type": t, "hasPublicTransfer": public,
                                            "fields": fields}}})
            };
            let lock = |n: u32, until: &str| {
                let t = "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::iota::IOTA>>";
                object(
                    n,
                    t,
                    false,
                    json!({"expiration_timestamp_ms": until, "id": {"id": id(n)}, "label": null,
                                           "locked": "700"}),
                )
            };
            let gas = json!({"computationCost": "1000000", "storageCost": "2964000", "storageRebate": "1956240",
                             "nonRefundableStorageFee": "0"});
            let result = match method.as_str() {
                "iota_getChainIdentifier" => json!("6364aad5"),
                "iotax_getAllBalances" => json!([{"coinType": "0x2::iota::IOTA", "coinObjectCount": 2,
                                                   "totalBalance": "3000000500", "lockedBalance": {}}]),
                "iotax_getCoins" => {
                    let coin = |n: u32, balance: &str| {
                        json!({"coinType": "0x2::iota::IOTA", "coinObjectId": id(n), "version": n.to_string(),
                               "digest": digest(n), "balance": balance, "previousTransaction": digest(99)})
                    };
                    json!({"data": [coin(1, "3000000000"), coin(2, "500")], "nextCursor": null, "hasNextPage": false})
                }
                "iotax_getOwnedObjects" => json!({"data": [
                    object(1, "0x2::coin::Coin<0x2::iota::IOTA>", true, json!({"balance": "3000000000"})),
                    object(2, "0x2::coin::Coin<0x2::iota::IOTA>", true, json!({"balance": "500"})),
                    object(10, "0x3::staking_pool::StakedIota", true, json!({})),
                    // Ended in 2001: unlocked through the allowed framework call. Ends in 2100: left.
                    lock(11, "1000000000000"),
                    lock(12, "4102444800000"),
                    object(13, "0xcc::game::Shield", false, json!({})),
                    object(14, "0xcc::game::Sword", true, json!({}))],
                    "nextCursor": null, "hasNextPage": false}),
                "iotax_getReferenceGasPrice" => json!("1200"),
                "iota_dryRunTransactionBlock" => json!({"effects": {"status": {"status": "success"}, "gasUsed": gas},
                                                         "events": [], "objectChanges": [], "balanceChanges": []}),
                "iota_executeTransactionBlock" => {
                    let bytes = B64.decode(params[0].as_str().unwrap()).unwrap();
                    let digest = if lie { digest(7) } else { coffer_core::migrate::iota_sui_digest(&bytes) };
                    json!({"digest": digest, "effects": {"status": {"status": "success"}, "gasUsed": gas},
                           "confirmedLocalExecution": true})
                }
                _ => Value::Null,
            };
            let answer = json!({"jsonrpc": "2.0", "id": req["id"], "result": result}).to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn move_sweep_online_reads_dry_runs_signs_and_executes() {
    let _ = crate::balance::coffer_net();
    let env = Env::new("move-sweep-online");
    let iota = env.row("iota", 0);
    let (old, new) = (s(&iota["old_address"]), s(&iota["new_address"]));
    let (url, seen) = iota_node(old.to_owned(), false);
    let online = ["migrate", "sweep", "--from", "main", "--chain", "iota", "--online", "--endpoint", &url, "--yes"];
    let v = env.run(&online).ok().json();
    assert_eq!((v["network"].as_str(), v["endpoint"].as_str()), (Some("mainnet"), Some(url.as_str())));
    let t = &v["transactions"][0];
    assert_eq!(v["executed"], json!([t["tx_id"]]));
    let bytes = B64.decode(s(&t["tx_bytes"])).unwrap();
    verify(Chain::Iota, old, &bytes, s(&t["signature"]));
    let TransactionData::Programmable(tx) = decode_transaction(Chain::Iota, &bytes).unwrap() else { panic!() };
    assert_eq!(tx.gas.price, 1200, "the reference gas price, above the default");
    assert_eq!(tx.inputs[0], Input::Pure(hex32(new).to_vec()));
    assert_eq!(tx.gas.payment.len(), 2);
    // From the node's content: the expired TimeLock is unlocked and its balance made a coin, the sword (public
    // transfer) moves; the TimeLock ending in 2100 and the shield (no public transfer) stay, each with its reason.
    let ids: Vec<[u8; 32]> = tx.inputs[1..]
        .iter()
        .map(|i| match i {
            Input::ImmOrOwned(r) => r.id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, [hex32(&id(10)), hex32(&id(11)), hex32(&id(14))]);
    let framework = |short: u16| sign::iota_sui::framework_address(short);
    assert_eq!(
        tx.commands,
        vec![
            Command::MoveCall {
                package: framework(2),
                module: "timelock".into(),
                function: "unlock".into(),
                type_arguments: vec!["0x2::balance::Balance<0x2::iota::IOTA>".into()],
                arguments: vec![Argument::Input(2)],
            },
            Command::MoveCall {
                package: framework(2),
                module: "coin".into(),
                function: "from_balance".into(),
                type_arguments: vec!["0x2::iota::IOTA".into()],
                arguments: vec![Argument::Result(0)],
            },
            Command::TransferObjects {
                objects: vec![Argument::GasCoin, Argument::Input(1), Argument::Result(1), Argument::Input(3)],
                recipient: Argument::Input(0)
            }
        ]
    );
    let left: Vec<(String, String)> =
        v["left"].as_array().unwrap().iter().map(|l| (s(&l["what"]).to_owned(), s(&l["reason"]).to_owned())).collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left[0].0.contains(&id(12)) && left[0].1.starts_with("time-locked until 2100-01-01T00:00:00Z"), "{left:?}");
    assert!(left[1].0.contains(&id(13)) && left[1].1.contains("no `store`"), "{left:?}");
    // What the node was asked: the holdings, the price, a dry run of the bytes, then their execution with the
    // signature Coffer printed.
    let asked = seen.lock().unwrap().clone();
    let methods: Vec<&str> = asked.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        methods,
        [
            "iota_getChainIdentifier",
            "iotax_getAllBalances",
            "iotax_getCoins",
            "iotax_getOwnedObjects",
            "iotax_getReferenceGasPrice",
            "iota_dryRunTransactionBlock",
            "iota_executeTransactionBlock",
            "iota_getTransactionBlock"
        ]
    );
    assert_eq!(asked[7].1, json!([t["tx_id"], {"showEffects": true}]));
    // Recorded in the vault as it happened: executed, then its effects reported; the row is confirmed, with the
    // IOTA Explorer's link (mainnet).
    let link = format!("https://explorer.iota.org/txblock/{}", s(&t["tx_id"]));
    assert_eq!((t["sent"]["confirmed"].as_bool(), t["explorer"].as_str()), (Some(true), Some(link.as_str())), "{t}");
    let status = env.run(&["migrate", "status", "--from", "main"]).ok().json();
    assert_eq!(status["rows"]["confirmed"], 1, "{status}");
    assert_eq!(status["transactions"][0]["explorer"], link.as_str(), "{status}");
    assert_eq!(
        asked[3].1,
        json!([old, {"options": {"showType": true, "showOwner": true, "showContent": true}}, null, 50])
    );
    assert_eq!(asked[5].1, json!([t["tx_bytes"]]));
    assert_eq!(asked[6].1, json!([t["tx_bytes"], [t["signature"]], {"showEffects": true}]));

    // An endpoint that reports another digest than the bytes' own is not believed.
    let (url, _) = iota_node(s(&env.row("iota", 1)["old_address"]).to_owned(), true);
    let lying = [
        "migrate",
        "sweep",
        "--from",
        "main",
        "--chain",
        "iota",
        "--account",
        "1",
        "--online",
        "--endpoint",
        &url,
        "--yes",
    ];
    let e = env.run(&lying).fails_with(8).error_json();
    assert_eq!(e["error"]["kind"], "malformed_answer", "{e}");
}

/// `0x` and 64 hex digits of a short framework address, as Sui's GraphQL writes every address.
fn full(short: &str) -> String {
    format!("0x{short:0>64}")
}

/// A local Sui GraphQL service in the schema's documented shapes (tests/fixtures/sui/README.md names it): the old
/// address holds one SUI coin, two coins of TOKEN, a stake, a sword with public transfer and a badge without;
/// `simulateTransaction` succeeds (or, with `fail`, fails in execution); `executeTransaction` answers with the
/// digest of the bytes it got. Returns its URL and the (query, variables) it was sent.
fn sui_service(owner: String, fail: bool) -> (String, Asked) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        let sui = format!("{}::sui::SUI", full("2"));
        let token = format!("{}::token::TOKEN", full("aa"));
        let coin_of = |t: &str| format!("{}::coin::Coin<{t}>", full("2"));
        let node = |n: u32, t: &str, json: Value, public: Option<bool>| {
            let mut v = json!({"address": id(n), "version": n, "digest": digest(n),
                               "owner": {"__typename": "AddressOwner", "address": {"address": owner}},
                               "contents": {"type": {"repr": t}, "json": json}});
            if let Some(p) = public {
                v["hasPublicTransfer"] = json!(p);
            }
            v
        };
        let page = |nodes: Vec<Value>| {
            json!({"data": {"address": {"objects": {"pageInfo": {"hasNextPage": false, "endCursor": null},
                                                     "nodes": nodes}}}})
        };
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
            let len: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let req: Value = serde_json::from_slice(&body).unwrap();
            let (query, vars) = (req["query"].as_str().unwrap().to_owned(), req["variables"].clone());
            log.lock().unwrap().push((query.clone(), vars.clone()));
            let answer = if query.contains("chainIdentifier") {
                json!({"data": {"chainIdentifier": "35834a8a"}})
            } else if query.contains("balances(") {
                json!({"data": {"address": {"balances": {"pageInfo": {"hasNextPage": false, "endCursor": null},
                    "nodes": [{"coinType": {"repr": sui}, "totalBalance": "2000000700"},
                              {"coinType": {"repr": token}, "totalBalance": "30"}]}}}})
            } else if query.contains("filter: {type: $type}") {
                if vars["type"] == coin_of(&sui) {
                    page(vec![node(1, &coin_of(&sui), json!({"balance": "2000000000"}), None)])
                } else {
                    page(vec![
                        node(3, &coin_of(&token), json!({"balance": "10"}), None),
                        node(4, &coin_of(&token), json!({"balance": "20"}), None),
                    ])
                }
            } else if query.contains("objects(") {
                page(vec![
                    node(1, &coin_of(&sui), Value::Null, Some(true)),
                    node(3, &coin_of(&token), Value::Null, Some(true)),
                    node(4, &coin_of(&token), Value::Null, Some(true)),
                    node(10, &format!("{}::staking_pool::StakedSui", full("3")), Value::Null, Some(true)),
                    node(14, &format!("{}::game::Sword", full("cc")), Value::Null, Some(true)),
                    node(15, &format!("{}::game::Badge", full("cc")), Value::Null, Some(false)),
                ])
            } else if query.contains("referenceGasPrice") {
                json!({"data": {"epoch": {"referenceGasPrice": "1500"}}})
            } else if query.contains("simulateTransaction") {
                let (status, error) =
                    if fail { ("FAILURE", json!({"message": "InsufficientGas"})) } else { ("SUCCESS", Value::Null) };
                json!({"data": {"simulateTransaction": {"error": null, "effects": {"status": status,
                    "executionError": error, "gasEffects": {"gasSummary": {"computationCost": 1500000,
                    "storageCost": 4940000, "storageRebate": 3910320}}}}}})
            } else if query.contains("executeTransaction") {
                let bytes = B64.decode(vars["tx"].as_str().unwrap()).unwrap();
                let digest = coffer_core::migrate::iota_sui_digest(&bytes);
                json!({"data": {"executeTransaction": {"effects": {"digest": digest, "status": "SUCCESS"}, "errors": null}}})
            } else if query.contains("multiGetTransactionEffects") {
                // Every transaction asked about succeeded, in checkpoint 88.
                let effects: Vec<Value> = vars["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| json!({"digest": k, "status": "SUCCESS", "checkpoint": {"sequenceNumber": 88}}))
                    .collect();
                json!({"data": {"multiGetTransactionEffects": effects}})
            } else {
                json!({"data": null, "errors": [{"message": "unknown query"}]})
            }
            .to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn sui_sweep_online_reads_dry_runs_signs_and_executes() {
    let _ = crate::balance::coffer_net();
    let env = Env::new("sui-sweep-online");
    let sui = env.row("sui", 0);
    let (old, new) = (s(&sui["old_address"]), s(&sui["new_address"]));
    let (url, seen) = sui_service(old.to_owned(), false);
    let online = ["migrate", "sweep", "--from", "main", "--chain", "sui", "--online", "--endpoint", &url, "--yes"];
    let v = env.run(&online).ok().json();
    let origin = url.trim_end_matches("/graphql");
    assert_eq!((v["network"].as_str(), v["endpoint"].as_str()), (Some("mainnet"), Some(origin)));
    let t = &v["transactions"][0];
    assert_eq!(v["transactions"].as_array().unwrap().len(), 1);
    assert_eq!(v["executed"], json!([t["tx_id"]]));
    // The badge has no public transfer (MoveObject.hasPublicTransfer): left, with the reason; so are the 700 MIST
    // the service counts in the SUI total beyond the coin objects.
    let left = v["left"].as_array().unwrap();
    assert_eq!(left.len(), 2, "{v}");
    assert!(s(&left[0]["what"]).contains(&id(15)) && s(&left[0]["reason"]).contains("no `store`"), "{v}");
    assert!(s(&left[1]["what"]).starts_with("700 of ") && s(&left[1]["what"]).contains("not held in coin objects"));
    let bytes = B64.decode(s(&t["tx_bytes"])).unwrap();
    verify(Chain::Sui, old, &bytes, s(&t["signature"]));
    let TransactionData::Programmable(tx) = decode_transaction(Chain::Sui, &bytes).unwrap() else { panic!() };
    assert_eq!(tx.gas.price, 1500, "the reference gas price, above the default");
    assert_eq!(tx.gas.payment.iter().map(|r| r.id).collect::<Vec<_>>(), [hex32(&id(1))]);
    assert_eq!(tx.inputs[0], Input::Pure(hex32(new).to_vec()));
    assert_eq!(tx.inputs.len(), 5, "recipient, two TOKEN coins, the stake, the sword");
    assert_eq!(
        tx.commands,
        vec![
            Command::MergeCoins { destination: Argument::Input(1), sources: vec![Argument::Input(2)] },
            Command::TransferObjects {
                objects: vec![Argument::GasCoin, Argument::Input(1), Argument::Input(3), Argument::Input(4)],
                recipient: Argument::Input(0)
            }
        ]
    );
    // What the service was sent: the holdings, the price, a simulation of exactly the bytes signed, then their
    // execution with the signature Coffer printed.
    let asked = seen.lock().unwrap().clone();
    let fields: Vec<&str> = asked
        .iter()
        .map(|(q, _)| {
            [
                "chainIdentifier",
                "balances(",
                "filter: {type: $type}",
                "objects(",
                "referenceGasPrice",
                "simulate",
                "execute",
                "multiGetTransactionEffects",
            ]
            .into_iter()
            .find(|f| q.contains(f))
            .unwrap()
        })
        .collect();
    assert_eq!(
        fields,
        [
            "chainIdentifier",
            "balances(",
            "filter: {type: $type}",
            "filter: {type: $type}",
            "objects(",
            "referenceGasPrice",
            "simulate",
            "execute",
            "multiGetTransactionEffects"
        ]
    );
    assert!(asked[4].0.contains("hasPublicTransfer"), "{}", asked[4].0);
    assert_eq!(asked[6].1, json!({"tx": {"bcs": {"value": t["tx_bytes"]}}}));
    assert_eq!(asked[7].1, json!({"tx": t["tx_bytes"], "signatures": [t["signature"]]}));
    assert_eq!(asked[8].1, json!({"keys": [t["tx_id"]]}));
    // Recorded in the vault: executed, then its effects reported (in a checkpoint); Suiscan's link (mainnet).
    let link = format!("https://suiscan.xyz/mainnet/tx/{}", s(&t["tx_id"]));
    assert_eq!((t["sent"]["confirmed"].as_bool(), t["explorer"].as_str()), (Some(true), Some(link.as_str())), "{t}");
    let status = env.run(&["migrate", "status", "--from", "main"]).ok().json();
    assert_eq!(status["transactions"][0]["state"], "confirmed", "{status}");

    // A transaction the simulation says would fail is neither signed nor executed.
    let (url, seen) = sui_service(s(&env.row("sui", 1)["old_address"]).to_owned(), true);
    let failing = [
        "migrate",
        "sweep",
        "--from",
        "main",
        "--chain",
        "sui",
        "--account",
        "1",
        "--online",
        "--endpoint",
        &url,
        "--yes",
    ];
    let e = env.run(&failing).fails_with(10).error_json();
    assert_eq!(e["error"]["kind"], "dry_run_failed", "{e}");
    assert!(s(&e["error"]["message"]).contains("InsufficientGas"), "{e}");
    assert!(!seen.lock().unwrap().iter().any(|(q, _)| q.contains("executeTransaction")));
    let report = env.run(&["migrate", "report", "--from", "main"]).ok().json();
    assert_eq!(report["receipts"].as_array().unwrap().len(), 1, "only the first sweep was signed");
}
