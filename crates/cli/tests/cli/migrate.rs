//! `coffer migrate`, end to end: compromised seed → fresh seed → backup check → plan → Stellar and Solana sweeps
//! built and signed (then decoded with coffer's own decoders and their signatures checked with ed25519 over the
//! chain's digest) → an IOTA pay-all sweep signed → the same sweep with a recipient swapped refused → report.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::sign::{self, Network};
use coffer_core::{AccountIndex, AddressIndex};
use coffer_core::{Chain, Mnemonic};
use ed25519_dalek::Verifier as _;
use serde_json::Value;

use crate::common::{Run, TestVault, sdk, vectors};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";

/// A vault whose seed `main` is [`OLD`].
struct Env(TestVault);

impl std::ops::Deref for Env {
    type Target = TestVault;
    fn deref(&self) -> &TestVault {
        &self.0
    }
}

impl Env {
    fn new(tag: &str, password: &[u8]) -> Self {
        let v = TestVault::new(tag, password);
        v.import("main", OLD, "");
        Self(v)
    }

    /// `coffer --vault V --password-file PW --json ARGS` with nothing on standard input.
    fn run(&self, args: &[&str]) -> Run {
        self.0.run(args, b"")
    }

    #[track_caller]
    fn refused(&self, args: &[&str], code: i32, kind: &str) -> String {
        let run = self.run(args).fails_with(code);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        let e = run.error_json();
        assert_eq!(e["error"]["kind"], kind, "{}", run.stderr);
        e["error"]["message"].as_str().unwrap().to_owned()
    }
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn verify_ed25519(public_key: &[u8; 32], message: &[u8], signature: &[u8]) {
    let vk = ed25519_dalek::VerifyingKey::from_bytes(public_key).unwrap();
    vk.verify(message, &ed25519_dalek::Signature::from_slice(signature).unwrap()).unwrap();
}

/// The Sui vector transaction (TransferObjects([Input(0)], Input(1))) turned into an IOTA pay-all sweep:
/// TransferObjects([GasCoin], recipient), with sender and gas owner `sender`.
fn pay_all(sender: &str, recipient: &str) -> String {
    let mut b = B64.decode(s(&vectors("sui.json")["tx_bytes_b64"])).unwrap();
    let hex32 = |a: &str| {
        let h = a.trim_start_matches("0x");
        (0..64).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect::<Vec<u8>>()
    };
    let cmd = [1u8, 1, 1, 0, 0, 1, 1, 0];
    let at = b.windows(8).position(|w| w == cmd).expect("the vector's TransferObjects");
    b.splice(at..at + 8, [1u8, 1, 0, 1, 1, 0]);
    let (old_sender, old_recipient) = (
        hex32("0x75057dd9354e0f65e924cb06848125b6d4b9e8530d494b1fba7cd64a6a08ab1a"),
        hex32("0x0c567ffdf8162cb6d51af74be0199443b92e823d4ba6ced24de5c6c463797d46"),
    );
    let (new_sender, new_recipient) = (hex32(sender), hex32(recipient));
    let mut replaced = (0, 0);
    let mut i = 0;
    while i + 32 <= b.len() {
        if b[i..i + 32] == old_sender[..] {
            b[i..i + 32].copy_from_slice(&new_sender);
            replaced.0 += 1;
            i += 32;
        } else if b[i..i + 32] == old_recipient[..] {
            b[i..i + 32].copy_from_slice(&new_recipient);
            replaced.1 += 1;
            i += 32;
        } else {
            i += 1;
        }
    }
    assert_eq!(replaced, (2, 1), "sender and gas owner, and the recipient");
    B64.encode(b)
}

#[test]
fn migration_end_to_end() {
    let env = Env::new("migrate", b"migration test password\n");

    // Not compromised yet: no migration.
    env.refused(&["migrate", "start", "--from", "main", "--new-label", "fresh"], 3, "not_compromised");
    let v = env.run(&["migrate", "compromised", "main"]).ok().json();
    assert_eq!(v["compromised"], true);
    assert_eq!(v["quick_unlock_removed"], false, "quick unlock was off");
    let list = env.run(&["seed", "list"]).ok().json();
    assert_eq!(list[0]["compromised"], true);

    // Fresh seed: its words once, and the positions to re-enter.
    let v = env.run(&["migrate", "start", "--from", "main", "--new-label", "fresh", "--words", "12"]).ok().json();
    assert_eq!(v["to"], "fresh");
    let fresh = Mnemonic::parse(s(&v["mnemonic"])).unwrap();
    assert_eq!(fresh.word_count(), 12);
    let positions: Vec<usize> =
        v["challenge"]["positions"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap() as usize).collect();
    assert_eq!(positions.len(), 4);
    env.refused(&["migrate", "start", "--from", "main", "--new-label", "other"], 3, "migration_exists");

    // Nothing is planned or signed before the backup check.
    env.refused(&["migrate", "plan", "--from", "main"], 7, "backup_not_checked");
    let stellar = [
        "migrate",
        "sweep",
        "--from",
        "main",
        "--chain",
        "stellar",
        "--sequence",
        "1233",
        "--network",
        "testnet",
        "--destination-exists",
        "no",
        "--yes",
    ];
    env.refused(&stellar, 7, "backup_not_checked");

    // The backup check from a file: wrong words, then the right ones at the new positions.
    let all: Vec<&str> = fresh.words().collect();
    let answer = |pos: &[usize]| pos.iter().map(|&p| all[p - 1]).collect::<Vec<_>>().join("\n");
    let wrong: Vec<&str> = positions.iter().map(|&p| if all[p - 1] == "zoo" { "abandon" } else { "zoo" }).collect();
    let f = env.dir.file("wrong", wrong.join("\n").as_bytes());
    let msg = env.refused(&["migrate", "verify", "--from", "main", "--answers-file", &f], 3, "backup_mismatch");
    assert!(!msg.contains(all[positions[0] - 1]) || wrong.contains(&all[positions[0] - 1]), "{msg}");
    let status = env.run(&["migrate", "status", "--from", "main"]).ok().json();
    assert_eq!(status["backup_checked"], false);
    assert_eq!(keys(&status), documented("**`status`** — JSON: "), "migrate status --json");
    let positions: Vec<usize> =
        status["challenge"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap() as usize).collect();
    let f = env.dir.file("answers", answer(&positions).as_bytes());
    let v = env.run(&["migrate", "verify", "--from", "main", "--answers-file", &f]).ok().json();
    assert_eq!(v["backup_checked"], true);

    // The plan: accounts 0-4 on iota, sui, solana and stellar; the same path on both seeds.
    let rows = env.run(&["migrate", "plan", "--from", "main"]).ok().json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 20);
    for r in rows {
        assert_eq!(keys(r), plan_row_fields(), "a migrate plan --json row");
    }
    let (old_seed, new_seed) = (Mnemonic::parse(OLD).unwrap().to_seed(""), fresh.to_seed(""));
    for r in rows {
        let chain: Chain = s(&r["chain"]).parse().unwrap();
        let account = r["account"].as_u64().unwrap() as u32;
        let old = chain.account(&old_seed, AccountIndex::new(account).unwrap(), AddressIndex::ZERO).unwrap();
        assert_eq!(s(&r["path"]), old.path.to_string());
        assert_eq!(s(&r["old_address"]), old.address);
        assert_eq!(
            s(&r["new_address"]),
            chain.account(&new_seed, AccountIndex::new(account).unwrap(), AddressIndex::ZERO).unwrap().address
        );
        assert_eq!(r["state"], "pending");
    }
    let row = |chain: &str, account: u64| {
        rows.iter().find(|r| r["chain"] == chain && r["account"] == account).unwrap().clone()
    };

    // Stellar: bad sequence, trustlines, an unplanned account; then the merge, checked in Rust.
    env.refused(
        &[
            "migrate",
            "sweep",
            "--from",
            "main",
            "--chain",
            "stellar",
            "--sequence",
            "12x",
            "--network",
            "testnet",
            "--yes",
        ],
        3,
        "invalid_sequence",
    );
    let xlm = row("stellar", 0);
    let line = format!("USDC:{}", s(&row("stellar", 3)["old_address"]));
    env.refused(&[&stellar[..], &["--trustline", &line]].concat(), 7, "trustlines_block_merge");
    env.refused(&[&stellar[..], &["--account", "9"]].concat(), 3, "row_not_planned");
    let msg = env.refused(&[&stellar[..], &["--fee", "10000001"]].concat(), 3, "invalid_fee");
    assert!(msg.contains("cap"), "{msg}");
    // Two operations need 200 stroops at least.
    let msg = env.refused(&[&stellar[..], &["--fee", "199"]].concat(), 3, "invalid_fee");
    assert!(msg.contains("two operations"), "{msg}");
    // Whether the new account exists must be said (Coffer cannot look it up), as yes or no.
    let without: Vec<&str> = stellar.iter().copied().filter(|a| !["--destination-exists", "no"].contains(a)).collect();
    let msg = env.refused(&without, 2, "usage");
    assert!(msg.contains("--destination-exists"), "{msg}");
    let run = env.run(&[&without[..], &["--destination-exists", "maybe"]].concat()).fails_with(2);
    assert!(run.stderr.contains("destination-exists"), "{}", run.stderr);
    // The fresh seed's account does not exist: CREATE_ACCOUNT(new, 1 XLM) then ACCOUNT_MERGE(new), 100 stroops each.
    let v = env.run(&stellar).ok().json();
    let envelope = B64.decode(s(&v["signed_tx"])).unwrap();
    let decoded = sign::stellar::decode_envelope(&envelope).unwrap();
    let old_key = coffer_core::chain::stellar::parse_address(s(&xlm["old_address"])).unwrap();
    let new_key = coffer_core::chain::stellar::parse_address(s(&xlm["new_address"])).unwrap();
    assert_eq!(decoded.source.key, old_key);
    assert_eq!(decoded.seq_num, 1234);
    assert_eq!(decoded.fee, 200);
    assert_eq!(decoded.operations.len(), 2);
    assert_eq!(
        decoded.operations[0].body,
        sign::stellar::OperationBody::CreateAccount { destination: new_key, starting_balance: 10_000_000 }
    );
    let sign::stellar::OperationBody::AccountMerge { destination } = &decoded.operations[1].body else { panic!() };
    assert_eq!(destination.key, new_key);
    assert!(decoded.operations.iter().all(|o| o.source.is_none()));
    let hash = decoded.hash(&Network::Testnet);
    assert_eq!(s(&v["tx_id"]), hex(&hash));
    assert_eq!(decoded.signatures.len(), 1);
    assert_eq!(decoded.signatures[0].hint, old_key[28..32]);
    verify_ed25519(&old_key, &hash, &decoded.signatures[0].signature);
    assert!(s(&v["broadcast"][0]).starts_with("stellar tx send --network testnet "));

    // Solana: unparsable blockhash, balance below the fee; then balance − fee to the new address.
    let hash58 = "EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k";
    let sol = |balance: &str, blockhash: &str| {
        vec![
            "migrate",
            "sweep",
            "--from",
            "main",
            "--chain",
            "solana",
            "--account",
            "1",
            "--balance",
            balance,
            "--blockhash",
            blockhash,
            "--yes",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    env.refused(&args(&sol("1000000", "not-base58-0OIl")), 3, "invalid_blockhash");
    env.refused(&args(&sol("5000", hash58)), 3, "balance_below_fee");
    // --fee is the whole fee: at least the signature's 5000 lamports, the excess a priority fee up to the cap.
    let msg = env.refused(&[&args(&sol("1000000", hash58))[..], &["--fee", "4999"]].concat(), 3, "invalid_fee");
    assert!(msg.contains("5000"), "{msg}");
    let msg = env.refused(&[&args(&sol("1000000000", hash58))[..], &["--fee", "10005001"]].concat(), 3, "invalid_fee");
    assert!(msg.contains("cap"), "{msg}");
    let msg = env.refused(
        &[&args(&sol("1000000000", hash58))[..], &["--priority-fee", "10000000001"]].concat(),
        3,
        "invalid_fee",
    );
    assert!(msg.contains("cap"), "{msg}");
    let run = env.run(&[&args(&sol("1000000", hash58))[..], &["--fee", "6000", "--priority-fee", "1"]].concat());
    run.fails_with(2);
    let v = env.run(&args(&sol("1000000", hash58))).ok().json();
    let wire = B64.decode(s(&v["signed_tx"])).unwrap();
    let tx = sign::solana::decode(&wire).unwrap();
    let sol_row = row("solana", 1);
    let old_key = coffer_core::chain::solana::parse_address(s(&sol_row["old_address"])).unwrap();
    let new_key = coffer_core::chain::solana::parse_address(s(&sol_row["new_address"])).unwrap();
    assert_eq!(tx.message.signers(), &[old_key]);
    assert_eq!(tx.message.recent_blockhash, coffer_core::chain::solana::parse_address(hash58).unwrap());
    let actions = tx.message.actions();
    assert_eq!(
        actions,
        vec![sign::solana::Action::SystemTransfer {
            from: sign::solana::AccountRef::Key(old_key),
            to: sign::solana::AccountRef::Key(new_key),
            lamports: 995_000,
        }]
    );
    verify_ed25519(&old_key, &tx.message_bytes, &tx.signatures[0]);
    assert_eq!(s(&v["tx_id"]), sign::solana::base58(&tx.signatures[0]));
    // A priority fee, as --fee (all in) or --priority-fee (the compute-unit price): SetComputeUnitLimit(1000),
    // SetComputeUnitPrice, then balance − 5000 − ⌈price × 1000 / 10⁶⌉, leaving the old account at 0.
    for (extra, price, lamports) in
        [(["--fee", "25000"], 20_000_000, 975_000), (["--priority-fee", "1500"], 1500, 994_998)]
    {
        let v = env.run(&[&args(&sol("1000000", hash58))[..], &extra[..]].concat()).ok().json();
        let tx = sign::solana::decode(&B64.decode(s(&v["signed_tx"])).unwrap()).unwrap();
        assert_eq!(
            tx.message.actions(),
            vec![
                sign::solana::Action::ComputeUnitLimit(1000),
                sign::solana::Action::ComputeUnitPrice(price),
                sign::solana::Action::SystemTransfer {
                    from: sign::solana::AccountRef::Key(old_key),
                    to: sign::solana::AccountRef::Key(new_key),
                    lamports,
                },
            ],
            "{extra:?}"
        );
        verify_ed25519(&old_key, &tx.message_bytes, &tx.signatures[0]);
    }

    // IOTA: a pay-all sweep of account 2 signed; the signature checked over blake2b-256(intent || bytes).
    let iota = row("iota", 2);
    let tx = pay_all(s(&iota["old_address"]), s(&iota["new_address"]));
    let f = env.dir.file("iota", tx.as_bytes());
    let iota_args = ["migrate", "sweep", "--from", "main", "--chain", "iota", "--tx-file", &f, "--yes"];
    let v = env.run(&iota_args).ok().json();
    assert_eq!(s(&v["tx_bytes"]), tx);
    let bytes = B64.decode(&tx).unwrap();
    let sig = B64.decode(s(&v["signature"])).unwrap();
    assert_eq!((sig.len(), sig[0]), (97, 0));
    let pk: [u8; 32] = sig[65..].try_into().unwrap();
    assert_eq!(Chain::Iota.address(&coffer_core::PublicKey(pk)), s(&iota["old_address"]));
    let digest = sign::iota_sui::intent_digest(sign::iota_sui::INTENT_TRANSACTION, &bytes);
    verify_ed25519(&pk, &digest, &sig[1..65]);
    assert_eq!(s(&v["tx_id"]), coffer_core::migrate::iota_sui_digest(&bytes));
    let cmd = s(&v["broadcast"][0]);
    assert_eq!(cmd, format!("iota client execute-signed-tx --tx-bytes {tx} --signatures {}", s(&v["signature"])));

    // The same sweep with the recipient swapped: to a stranger, back to the compromised seed, from the wrong
    // sender. Each refused by the guard, nothing signed.
    let stranger = "0xabababababababababababababababababababababababababababababababab";
    for (sender, recipient, what) in [
        (s(&iota["old_address"]), stranger, "is not the planned new address"),
        (s(&iota["old_address"]), s(&row("iota", 0)["old_address"]), "back to the compromised seed"),
        (s(&iota["new_address"]), s(&iota["new_address"]), "is not a planned iota address"),
        (stranger, s(&iota["new_address"]), "is not a planned iota address"),
    ] {
        let f = env.dir.file("bad", pay_all(sender, recipient).as_bytes());
        let msg = env.refused(
            &["migrate", "sweep", "--from", "main", "--chain", "iota", "--tx-file", &f, "--yes"],
            7,
            "guard_refused",
        );
        assert!(msg.contains(what), "{msg}");
    }
    // Without --yes and without a terminal: refused before signing.
    env.refused(&iota_args[..iota_args.len() - 1], 7, "confirmation_required");
    // The ordinary signing path refuses the compromised seed.
    env.refused(&["sign", "--chain", "iota", "--seed", "main", "--tx-file", &f, "--yes"], 7, "seed_compromised");

    // The report: rows, three receipts with their broadcast commands, the trustline as a manual step.
    let report = env.run(&["migrate", "report", "--from", "main"]).ok().json();
    assert_eq!(keys(&report), documented("**`report`** — everything"), "migrate report --json");
    for r in report["rows"].as_array().unwrap() {
        assert_eq!(keys(r), plan_row_fields(), "a report row");
    }
    assert_eq!((report["from"].as_str(), report["to"].as_str()), (Some("main"), Some("fresh")));
    let receipts = report["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), 5);
    let chains: Vec<&str> = receipts.iter().map(|r| s(&r["chain"])).collect();
    assert_eq!(chains, ["stellar", "solana", "solana", "solana", "iota"]);
    assert!(s(&receipts[1]["broadcast"][0]).contains("sendTransaction"));
    let signed = report["rows"].as_array().unwrap().iter().filter(|r| r["state"] == "signed").count();
    assert_eq!(signed, 3);
    let steps = report["manual_steps"].to_string();
    assert!(steps.contains("trustlines block the account merge") && steps.contains("USDC:"), "{steps}");
    assert!(steps.contains("iota-stardust"), "{steps}");
    let out = env.dir.file("report.json", report.to_string().as_bytes());
    assert!(std::fs::metadata(out).unwrap().len() > 100);
    // Every sweep is in the signing log.
    let log = env.run(&["log"]).ok().json();
    assert_eq!(log["chain_ok"], true);
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert!(entries.iter().all(|e| s(&e["summary"]).starts_with("migration sweep: ")));

    // Unmarking needs the password again (here re-read from the file).
    let v = env.run(&["migrate", "compromised", "main", "--unmark"]).ok().json();
    assert_eq!(v["compromised"], false);
}

/// The keys of a JSON object and of the objects directly in it (not of those in arrays), sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (k, inner) in v.as_object().unwrap() {
        out.push(k.clone());
        if let Some(o) = inner.as_object() {
            out.extend(o.keys().cloned());
        }
    }
    out.sort();
    out
}

/// The field names docs/cli.md gives in the paragraph starting with `start`: every `"name"` up to the blank line.
fn documented(start: &str) -> Vec<String> {
    let docs = include_str!("../../../../docs/cli.md");
    let at = docs.find(start).unwrap_or_else(|| panic!("docs/cli.md has no {start:?}"));
    let text = &docs[at..];
    let para = &text[..text.find("\n\n").unwrap_or(text.len())];
    let mut out: Vec<String> = para.split('"').skip(1).step_by(2).map(str::to_owned).collect();
    out.sort();
    out
}

/// The fields of docs/cli.md's table of `migrate plan` rows.
fn plan_row_fields() -> Vec<String> {
    let docs = include_str!("../../../../docs/cli.md");
    let at = docs.find("JSON: an array of rows:").unwrap();
    let table = docs[at..].split("\n\n").nth(1).unwrap();
    let mut out: Vec<String> = table
        .lines()
        .skip(2)
        .filter_map(|l| l.strip_prefix("| `").and_then(|l| l.split_once('`')).map(|(k, _)| k.to_owned()))
        .collect();
    out.sort();
    assert!(out.len() >= 8, "{out:?}");
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The same path as `migration_end_to_end`, checked by the chains' SDKs: they derive the plan's addresses, verify the
/// Stellar and Solana sweeps Coffer built and signed, and build the IOTA pay-all sweep Coffer signs (and a swapped
/// one it refuses). Needs Node and `tests/interop/node_modules`: `scripts/interop-test`, then
/// `cargo test -p coffer-cli --test cli migration_sdk -- --ignored`.
#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn migration_sdk_interop() {
    let env = Env::new("migrate-sdk", b"migration sdk test password\n");
    env.run(&["migrate", "compromised", "main"]).ok();
    let v = env.run(&["migrate", "start", "--from", "main", "--new-label", "fresh"]).ok().json();
    let fresh = s(&v["mnemonic"]).to_owned();
    let all: Vec<&str> = fresh.split(' ').collect();
    let answers: Vec<&str> =
        v["challenge"]["positions"].as_array().unwrap().iter().map(|p| all[p.as_u64().unwrap() as usize - 1]).collect();
    let f = env.dir.file("answers", answers.join("\n").as_bytes());
    env.run(&["migrate", "verify", "--from", "main", "--answers-file", &f]).ok();
    let rows = env.run(&["migrate", "plan", "--from", "main"]).ok().json();
    let row = |chain: &str, account: u64| {
        rows.as_array().unwrap().iter().find(|r| r["chain"] == chain && r["account"] == account).unwrap().clone()
    };
    // The SDKs derive the same addresses on both seeds.
    for r in rows.as_array().unwrap() {
        let account = r["account"].to_string();
        let args = |m: &str| sdk(&["keys", s(&r["chain"]), "--mnemonic", m, "--account", &account]);
        assert_eq!(args(OLD)["address"], r["old_address"], "{r}");
        assert_eq!(args(&fresh)["address"], r["new_address"], "{r}");
    }

    // Stellar: Coffer's sweeps, verified and decoded by stellar-base. Into the fresh seed's account, which does not
    // exist: createAccount(new, 1 XLM) then accountMerge(new), 200 stroops. Into an existing one (account 1): the
    // lone merge.
    for (account, exists) in [(0u64, "no"), (1, "yes")] {
        let xlm = row("stellar", account);
        let account = account.to_string();
        let v = env
            .run(&[
                "migrate",
                "sweep",
                "--from",
                "main",
                "--chain",
                "stellar",
                "--account",
                &account,
                "--sequence",
                "99",
                "--network",
                "testnet",
                "--destination-exists",
                exists,
                "--yes",
            ])
            .ok()
            .json();
        let checked = sdk(&[
            "verify",
            "stellar",
            "--signed-tx",
            s(&v["signed_tx"]),
            "--network",
            "testnet",
            "--signer",
            s(&xlm["old_address"]),
        ]);
        assert_eq!(checked["hash"], v["tx_id"]);
        assert_eq!(checked["seq_num"], "100");
        assert_eq!(checked["source"], xlm["old_address"]);
        let ops = checked["operations"].as_array().unwrap();
        let merge = if exists == "no" {
            assert_eq!(checked["fee"], "200");
            assert_eq!(ops.len(), 2, "{checked}");
            assert_eq!(ops[0]["type"], "createAccount");
            assert_eq!(ops[0]["destination"], xlm["new_address"]);
            assert_eq!(ops[0]["startingBalance"], "1.0000000");
            assert!(ops[0].get("source").is_none_or(Value::is_null), "{checked}");
            &ops[1]
        } else {
            assert_eq!(checked["fee"], "100");
            assert_eq!(ops.len(), 1, "{checked}");
            &ops[0]
        };
        assert_eq!(merge["type"], "accountMerge");
        assert_eq!(merge["destination"], xlm["new_address"]);
        assert!(merge.get("source").is_none_or(Value::is_null), "{checked}");
        // stellar-base's TransactionBuilder makes the same transaction (same hash under the network): the same
        // operations, fee 100 each, sequence 100, no preconditions, no memo.
        let new = s(&xlm["new_address"]);
        let mut ops = vec![serde_json::json!({ "type": "account-merge", "destination": new })];
        if exists == "no" {
            ops.insert(0, serde_json::json!({ "type": "create-account", "destination": new, "starting_balance": "1" }));
        }
        let ops = Value::Array(ops).to_string();
        let built = sdk(&[
            "build",
            "stellar",
            "--source",
            s(&xlm["old_address"]),
            "--sequence",
            "99",
            "--fee",
            "100",
            "--network",
            "testnet",
            "--precond",
            "none",
            "--ops",
            &ops,
        ]);
        assert_eq!(built["hash"], v["tx_id"], "the SDK builds the very transaction Coffer signed");
    }

    // Solana: Coffer's transfer, verified and decoded by web3.js.
    let sol = row("solana", 0);
    let v = env
        .run(&[
            "migrate",
            "sweep",
            "--from",
            "main",
            "--chain",
            "solana",
            "--balance",
            "2000000",
            "--blockhash",
            "EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k",
            "--yes",
        ])
        .ok()
        .json();
    let checked = sdk(&["verify", "solana", "--signed-tx", s(&v["signed_tx"]), "--signer", s(&sol["old_address"])]);
    assert_eq!(checked["txid"], v["tx_id"]);
    let ix = &checked["instructions"][0];
    assert_eq!(
        (ix["type"].as_str(), ix["to"].as_str(), ix["lamports"].as_str()),
        (Some("Transfer"), sol["new_address"].as_str(), Some("1995000"))
    );
    // With a priority fee (account 1): web3.js reads SetComputeUnitLimit(1000), SetComputeUnitPrice(price), then the
    // transfer of balance − 5000 − ⌈price × 1000 / 10⁶⌉ (2000000 − 5000 − 2500).
    let sol = row("solana", 1);
    let v = env
        .run(&[
            "migrate",
            "sweep",
            "--from",
            "main",
            "--chain",
            "solana",
            "--account",
            "1",
            "--balance",
            "2000000",
            "--priority-fee",
            "2500000",
            "--blockhash",
            "EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k",
            "--yes",
        ])
        .ok()
        .json();
    let checked = sdk(&["verify", "solana", "--signed-tx", s(&v["signed_tx"]), "--signer", s(&sol["old_address"])]);
    assert_eq!(checked["txid"], v["tx_id"]);
    let ixs = checked["instructions"].as_array().unwrap();
    let num = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    assert_eq!(ixs.len(), 3, "{checked}");
    assert_eq!(
        (ixs[0]["program"].as_str(), ixs[0]["type"].as_str()),
        (Some("compute-budget"), Some("SetComputeUnitLimit"))
    );
    assert_eq!(num(&ixs[0]["units"]), "1000");
    assert_eq!(
        (ixs[1]["program"].as_str(), ixs[1]["type"].as_str()),
        (Some("compute-budget"), Some("SetComputeUnitPrice"))
    );
    assert_eq!(num(&ixs[1]["microLamports"]), "2500000");
    assert_eq!(
        (ixs[2]["type"].as_str(), ixs[2]["from"].as_str(), ixs[2]["to"].as_str(), ixs[2]["lamports"].as_str()),
        (Some("Transfer"), sol["old_address"].as_str(), sol["new_address"].as_str(), Some("1992500"))
    );

    // IOTA: the SDK builds the pay-all sweep (as `iota client pay-all-iota` does); Coffer signs it; the SDK verifies.
    let iota = row("iota", 0);
    let built = sdk(&["build", "iota", "--sender", s(&iota["old_address"]), "--recipient", s(&iota["new_address"])]);
    let f = env.dir.file("iota", s(&built["tx"]).as_bytes());
    let v = env.run(&["migrate", "sweep", "--from", "main", "--chain", "iota", "--tx-file", &f, "--yes"]).ok().json();
    assert_eq!(v["tx_id"], built["digest"], "Coffer's digest is the SDK's");
    let checked = sdk(&[
        "verify",
        "iota",
        "--tx-bytes",
        s(&v["tx_bytes"]),
        "--signature",
        s(&v["signature"]),
        "--address",
        s(&iota["old_address"]),
    ]);
    assert_eq!(checked["digest"], built["digest"]);
    // The same sweep with a recipient swapped, and a split that pays a stranger too: refused.
    let stranger = "0xabababababababababababababababababababababababababababababababab";
    for extra in [
        vec!["--recipient", stranger],
        vec![
            "--kind",
            "split",
            "--recipient",
            s(&iota["new_address"]),
            "--amount",
            "5",
            "--recipient",
            stranger,
            "--amount",
            "6",
        ],
        // The right recipient, but a gas budget of 2 IOTA (the guard's cap is 1): refused.
        vec!["--recipient", s(&iota["new_address"]), "--gas-budget", "2000000000"],
    ] {
        let mut args = vec!["build", "iota", "--sender", s(&iota["old_address"])];
        args.extend(extra);
        let bad = sdk(&args);
        let f = env.dir.file("bad", s(&bad["tx"]).as_bytes());
        env.refused(
            &["migrate", "sweep", "--from", "main", "--chain", "iota", "--tx-file", &f, "--yes"],
            7,
            "guard_refused",
        );
    }
    let report = env.run(&["migrate", "report", "--from", "main"]).ok().json();
    assert_eq!(report["receipts"].as_array().unwrap().len(), 5);
}
