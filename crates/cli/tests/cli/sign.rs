//! `coffer sign` and `coffer log`: known answers through the CLI (Solana, Stellar), the sender check, consent,
//! confirmation, compromised seeds, batches and the log.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::common::{TempDir, TestVault, coffer, vectors};
use coffer_core::{AccountIndex, AddressIndex};

struct Signer(TestVault);

impl std::ops::Deref for Signer {
    type Target = TestVault;
    fn deref(&self) -> &TestVault {
        &self.0
    }
}

impl Signer {
    /// A vault with one seed, `main`, imported from `mnemonic`.
    fn new(tag: &str, mnemonic: &str) -> Self {
        let v = TestVault::new(tag, b"signing test password\n");
        v.import("main", mnemonic, "");
        Self(v)
    }

    fn log_len(&self) -> usize {
        let log = self.run(&["log"], b"").ok().json();
        assert_eq!(log["chain_ok"], true);
        log["entries"].as_array().expect("entries").len()
    }
}

fn s(v: &serde_json::Value) -> &str {
    v.as_str().expect("string")
}

#[test]
fn solana_transfer_known_answer_and_log() {
    let keys = vectors("solana.json");
    let tx = &vectors("solana_tx_transfer.json")["zero_blockhash"];
    let signer = Signer::new("sol", s(&keys["mnemonic"]));
    // The unsigned transaction: one empty signature slot, then the message.
    let mut unsigned = vec![1u8];
    unsigned.extend_from_slice(&[0u8; 64]);
    unsigned.extend_from_slice(&hex(s(&tx["message_hex"])));
    let file = signer.dir.file("tx", B64.encode(&unsigned).as_bytes());
    let v = signer.run(&["sign", "--chain", "solana", "--seed", "main", "--tx-file", &file, "--yes"], b"").ok().json();
    assert_eq!(v["signed_tx"], tx["tx_base64"]);
    assert_eq!(v["signature"], tx["signature_base58"]);
    assert_eq!(v["address"], tx["from"]);
    assert_eq!(v["summary"]["fully_decoded"], true);
    // The most it can cost: one signature, no priority fee.
    assert_eq!(
        v["summary"]["max_fee"],
        serde_json::json!({"amount": "0.000005000", "symbol": "SOL", "base_units": "5000", "base_unit": "lamports"})
    );
    assert_eq!(v["summary"]["warnings"], serde_json::json!([]));
    let summary = v["summary"]["lines"].to_string();
    assert!(summary.contains(s(&tx["to"])), "the recipient is shown: {summary}");
    // Without --json: the summary on standard error for the person, the result on standard output.
    let plain = coffer(
        &[
            "--vault",
            &signer.vault,
            "--password-file",
            &signer.pw,
            "sign",
            "--chain",
            "solana",
            "--seed",
            "main",
            "--tx-file",
            &file,
            "--yes",
        ],
        b"",
    )
    .ok();
    assert!(plain.stderr.contains(s(&tx["to"])), "{}", plain.stderr);
    assert!(plain.stdout.contains(&format!("signed_tx: {}", s(&tx["tx_base64"]))), "{}", plain.stdout);
    assert_eq!(signer.log_len(), 2);
    let log = signer.run(&["log"], b"").ok().json();
    assert_eq!(log["entries"][0]["chain"], "solana");
    assert_eq!(log["entries"][0]["path"], "m/44'/501'/0'/0'");
}

#[test]
fn raw_bytes_that_are_a_transaction_of_the_paths_chain_are_refused() {
    let keys = vectors("solana.json");
    let tx = &vectors("solana_tx_transfer.json")["zero_blockhash"];
    let signer = Signer::new("rawsol", s(&keys["mnemonic"]));
    let message = signer.dir.file("msg", &hex(s(&tx["message_hex"])));
    let args = [
        "sign",
        "--chain",
        "raw",
        "--path",
        "m/44'/501'/0'/0'",
        "--seed",
        "main",
        "--message-file",
        &message,
        "--allow-blind",
        "--yes",
    ];
    let run = signer.run(&args, b"").fails_with(7);
    let err = run.error_json();
    assert_eq!(err["error"]["kind"], "raw_is_transaction");
    let text = s(&err["error"]["message"]);
    assert!(text.contains("`coffer sign --chain solana …`"), "{text}");
    // Refused before the password is read: a wrong one makes no difference, and nothing is logged.
    let wrong = signer.dir.file("wrong", b"not the password\n");
    let run = coffer(&[&["--vault", &signer.vault, "--password-file", &wrong, "--json"][..], &args].concat(), b"")
        .fails_with(7);
    assert_eq!(run.error_json()["error"]["kind"], "raw_is_transaction");
    assert_eq!(signer.log_len(), 0);
    // At a path of no chain, the same bytes are signed (with blind consent).
    let mut other = args;
    other[4] = "m/44'/1'/0'";
    signer.run(&other, b"").ok();
    assert_eq!(signer.log_len(), 1);
}

#[test]
fn stellar_account_merge_known_answer() {
    let sep5 = &vectors("stellar_sep5.json")[0];
    let signer = Signer::new("xlm", s(&sep5["mnemonic"]));
    for case in ["precond_none", "builder_timebounds_0_0"] {
        let c = &vectors("stellar_tx_account_merge.json")[case];
        let mut unsigned = vec![0, 0, 0, 2];
        unsigned.extend_from_slice(&hex(s(&c["tx_xdr_hex"])));
        unsigned.extend_from_slice(&[0, 0, 0, 0]);
        let file = signer.dir.file("env", B64.encode(&unsigned).as_bytes());
        let args = ["sign", "--chain", "stellar", "--seed", "main", "--tx-file", &file, "--yes"];
        // Stellar needs the network: the signature commits to it.
        let run = signer.run(&args, b"").fails_with(3);
        assert_eq!(run.error_json()["error"]["kind"], "network_required");
        let run = signer.run(&[&args[..], &["--network", "mainnet"]].concat(), b"").fails_with(3);
        assert_eq!(run.error_json()["error"]["kind"], "unknown_network");
        let v = signer.run(&[&args[..], &["--network", "testnet"]].concat(), b"").ok().json();
        assert_eq!(v["signed_tx"], c["envelope_xdr_base64"], "{case}");
        assert_eq!(v["address"], c["source_public"]);
        assert!(v["summary"]["lines"].to_string().contains(s(&c["destination"])));
    }
}

/// The Sui vector transaction with its sender (and gas owner) replaced by `address`.
fn sui_tx_for(address: &str) -> String {
    let v = vectors("sui.json");
    let mut bytes = B64.decode(s(&v["tx_bytes_b64"])).expect("base64");
    let old = hex("75057dd9354e0f65e924cb06848125b6d4b9e8530d494b1fba7cd64a6a08ab1a");
    let new = hex(address.trim_start_matches("0x"));
    let mut replaced = 0;
    let mut i = 0;
    while i + 32 <= bytes.len() {
        if bytes[i..i + 32] == old[..] {
            bytes[i..i + 32].copy_from_slice(&new);
            replaced += 1;
            i += 32;
        } else {
            i += 1;
        }
    }
    assert!(replaced >= 1);
    B64.encode(bytes)
}

#[test]
fn sui_and_iota_check_the_sender_and_sign_what_core_signs() {
    let case = &vectors("sui.json")["cases"][0];
    let signer = Signer::new("sui", s(&case["mnemonic"]));
    let vector_tx = signer.dir.file("vector", vectors("sui.json")["tx_bytes_b64"].as_str().expect("tx").as_bytes());
    // The vector's sender is another key: refused, naming both addresses.
    let run =
        signer.run(&["sign", "--chain", "sui", "--seed", "main", "--tx-file", &vector_tx, "--yes"], b"").fails_with(3);
    let err = run.error_json();
    assert_eq!(err["error"]["kind"], "wrong_signer");
    let msg = s(&err["error"]["message"]);
    assert!(msg.contains(s(&case["address"])) && msg.contains("0x75057dd9"), "{msg}");

    let mine = signer.dir.file("mine", sui_tx_for(s(&case["address"])).as_bytes());
    let v = signer.run(&["sign", "--chain", "sui", "--seed", "main", "--tx-file", &mine, "--yes"], b"").ok().json();
    let sig = B64.decode(s(&v["signature"])).expect("base64");
    assert_eq!(sig.len(), 97);
    assert_eq!(sig[0], 0, "ed25519 flag");
    assert_eq!(hex_str(&sig[65..]), s(&case["public_key_hex"]));
    assert!(v.get("signed_tx").is_none());
    // Exactly what the library signs for the same key and bytes.
    let seed = coffer_core::Mnemonic::parse(s(&case["mnemonic"])).expect("m").to_seed("");
    let request = coffer_core::sign::SignRequest::new(
        coffer_core::Chain::Sui,
        coffer_core::sign::Payload::Transaction(sui_tx_for(s(&case["address"]))),
    );
    let decoded = coffer_core::sign::decode(&request).expect("decode");
    let path = coffer_core::Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO).expect("path");
    let lib = coffer_core::sign::sign(&seed, &path, &decoded, coffer_core::sign::Blind::Refuse).expect("sign");
    assert_eq!(v["signature"], lib.signature);
    assert_eq!(v["digest"], hex_str(&lib.digest));

    // A personal message.
    let msg = signer.dir.file("msg", b"Hello, Coffer");
    let v = signer.run(&["sign", "--chain", "sui", "--seed", "main", "--message-file", &msg, "--yes"], b"").ok().json();
    assert_eq!(v["summary"]["kind"], "personal message");
    assert_eq!(signer.log_len(), 2);
}

#[test]
fn confirmation_consent_malformed_and_batch() {
    let case = &vectors("iota_rebased.json")["cases"][0];
    let signer = Signer::new("iota", s(&case["mnemonic"]));
    let tx = sui_tx_for(s(&case["address"]));
    let file = signer.dir.file("tx", tx.as_bytes());
    // No --yes and no terminal: refused, nothing signed.
    let run = signer.run(&["sign", "--chain", "iota", "--seed", "main", "--tx-file", &file], b"").fails_with(7);
    assert_eq!(run.error_json()["error"]["kind"], "confirmation_required");
    assert!(run.stdout.is_empty());
    assert_eq!(signer.log_len(), 0);
    // Malformed input: a clear error before the password is even read.
    for (bad, kind) in [
        ("not base64!!", "malformed_transaction"),
        (&tx[..tx.len() / 2], "malformed_transaction"),
        ("", "malformed_transaction"),
    ] {
        let f = signer.dir.file("bad", bad.as_bytes());
        let run = coffer(&["sign", "--chain", "iota", "--seed", "main", "--tx-file", &f, "--yes", "--json"], b"")
            .fails_with(3);
        assert_eq!(run.error_json()["error"]["kind"], kind, "{bad:?}");
    }
    // Raw bytes are never decoded: blind consent is required.
    let raw = signer.dir.file("raw", b"\x01\x02\x03");
    let args =
        ["sign", "--chain", "raw", "--path", "m/44'/4218'/0'/0'/0'", "--seed", "main", "--message-file", &raw, "--yes"];
    let run = signer.run(&args, b"").fails_with(7);
    assert_eq!(run.error_json()["error"]["kind"], "blind_refused");
    let v = signer.run(&[&args[..], &["--allow-blind"]].concat(), b"").ok().json();
    assert_eq!(v["public_key"], case["public_key_hex"]);
    // A batch: one unlock, three signatures, three log entries.
    let batch = signer.dir.file("batch", format!("{tx}\n\n{tx}\n{tx}\n").as_bytes());
    let v = signer.run(&["sign", "--chain", "iota", "--seed", "main", "--batch", &batch, "--yes"], b"").ok().json();
    assert_eq!(v.as_array().expect("array").len(), 3);
    assert_eq!(signer.log_len(), 4);
    // Unknown seed.
    let run =
        signer.run(&["sign", "--chain", "iota", "--seed", "nope", "--tx-file", &file, "--yes"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "seed_not_found");
}

#[test]
fn a_compromised_seed_signs_nothing() {
    // The golden vault's "savings" seed is marked compromised.
    let dir = TempDir::new("compromised");
    let pw = dir.file("pw", b"coffer test password\n");
    let golden =
        std::fs::read(format!("{}/../../tests/vaults/valid-v1.coffer", env!("CARGO_MANIFEST_DIR"))).expect("golden");
    let vault = dir.file("v.coffer", &golden);
    let case = &vectors("iota_rebased.json")["cases"][0];
    let tx = dir.file("tx", sui_tx_for(s(&case["address"])).as_bytes());
    let run = coffer(
        &[
            "--vault",
            &vault,
            "--password-file",
            &pw,
            "--json",
            "sign",
            "--chain",
            "iota",
            "--seed",
            "savings",
            "--tx-file",
            &tx,
            "--yes",
        ],
        b"",
    )
    .fails_with(7);
    assert_eq!(run.error_json()["error"]["kind"], "seed_compromised");
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn hex_str(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Text that would clear the terminal line, reverse what follows and hide a zero-width space, if printed raw.
const HOSTILE: &str = "\u{1b}[2K12345\u{202E}6789\u{200B}";

/// Asserts that `out` holds none of [`HOSTILE`]'s characters raw.
#[track_caller]
fn no_raw_hostile(what: &str, out: &str) {
    for c in ['\u{1b}', '\u{202E}', '\u{200B}'] {
        assert!(!out.contains(c), "{what} holds U+{:04X} raw: {out:?}", u32::from(c));
    }
}

#[test]
fn transaction_text_reaches_the_terminal_escaped_with_a_warning() {
    let sep5 = &vectors("stellar_sep5.json")[0];
    let signer = Signer::new("xlm-memo", s(&sep5["mnemonic"]));
    // The account-merge vector (no preconditions, no memo) with a text memo put in: the memo type follows the source
    // account (36 bytes), fee (4), sequence (8) and preconditions (4).
    let c = &vectors("stellar_tx_account_merge.json")["precond_none"];
    let tx = hex(s(&c["tx_xdr_hex"]));
    assert_eq!(tx[52..56], [0, 0, 0, 0], "MEMO_NONE");
    let mut unsigned = vec![0, 0, 0, 2];
    unsigned.extend_from_slice(&tx[..52]);
    unsigned.extend_from_slice(&[0, 0, 0, 1]);
    unsigned.extend_from_slice(&(HOSTILE.len() as u32).to_be_bytes());
    unsigned.extend_from_slice(HOSTILE.as_bytes());
    unsigned.resize(unsigned.len() + (4 - HOSTILE.len() % 4) % 4, 0);
    unsigned.extend_from_slice(&tx[56..]);
    unsigned.extend_from_slice(&[0, 0, 0, 0]);
    let file = signer.dir.file("env", B64.encode(&unsigned).as_bytes());
    let args = ["sign", "--chain", "stellar", "--network", "testnet", "--seed", "main", "--tx-file", &file, "--yes"];
    let shown = r#""\u{001B}[2K12345\u{202E}6789\u{200B}" (contains hidden or control characters, shown as \u{XXXX})"#;
    let warning = "memo: the text contains hidden or control characters (U+001B, U+202E, U+200B)";

    // --json: the summary in the result on standard output. Text: the summary on standard error, the result on
    // standard output.
    let json = signer.run(&args, b"").ok();
    let mut all = vec!["--vault", &signer.vault, "--password-file", &signer.pw];
    all.extend_from_slice(&args);
    let run = coffer(&all, b"").ok();
    no_raw_hostile("stdout (--json)", &json.stdout);
    no_raw_hostile("stderr (--json)", &json.stderr);
    no_raw_hostile("stdout", &run.stdout);
    no_raw_hostile("stderr", &run.stderr);

    let v = json.json();
    let lines = v["summary"]["lines"].as_array().expect("lines");
    let memo = lines.iter().find(|l| l["label"] == "memo").expect("a memo line");
    assert_eq!(memo["value"], format!("text {shown}"));
    let warnings = v["summary"]["warnings"].as_array().expect("warnings");
    assert!(warnings.iter().any(|w| s(w).starts_with(warning)), "{warnings:?}");

    assert!(run.stderr.contains(&format!("  memo: text {shown}\n")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("  WARNING: {warning}")), "{}", run.stderr);
    assert!(run.stdout.starts_with("signature: "), "{}", run.stdout);

    // A personal message likewise.
    let signer = Signer::new("sui-msg", crate::common::ABOUT);
    let file = signer.dir.file("msg", HOSTILE.as_bytes());
    let run = signer.run(&["sign", "--chain", "sui", "--seed", "main", "--message-file", &file, "--yes"], b"").ok();
    no_raw_hostile("stdout (--json)", &run.stdout);
    let v = run.json();
    assert_eq!(v["summary"]["lines"][0]["value"], shown);
    assert!(s(&v["summary"]["warnings"][0]).starts_with("message: the text contains hidden"), "{v}");
}
