//! `coffer send`: payments built by the core, shown, signed, printed or broadcast.
//!
//! Offline (runs everywhere): every chain from a holdings file; the signed transaction is decoded again and its
//! signature checked; bad input and a compromised recipient are typed errors that sign nothing. `litesvm_*` (ignored:
//! scripts/chain-test) execute SOL and SPL Token / Token-2022 payments on LiteSVM, the real Solana runtime, and ask
//! it for the balances. `sdk_*` (ignored: scripts/interop-test) decode the Stellar, IOTA and Sui payments with the
//! chains' SDKs, which verify the signatures.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::holdings::solana::TokenProgram;
use coffer_core::{Chain, Mnemonic};
use serde_json::{Value, json};

use crate::balance::{Solana, coffer_net};
use crate::common::{ABOUT, TestVault, sdk};

const OTHER: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn ch(name: &str) -> Chain {
    name.parse().unwrap()
}

fn addr(mnemonic: &str, chain: Chain, account: u32) -> String {
    let at = coffer_core::AccountIndex::new(account).unwrap();
    chain.account(&Mnemonic::parse(mnemonic).unwrap().to_seed(""), at, coffer_core::AddressIndex::ZERO).unwrap().address
}

/// A vault with ABOUT as `main` and OTHER as `other`.
fn vault(tag: &str) -> TestVault {
    let v = TestVault::new(tag, b"send test password\n");
    v.import("main", ABOUT, "");
    let f = v.dir.file("other", format!("{OTHER}\n\n").as_bytes());
    v.run(&["seed", "add", "--label", "other", "--import-mnemonic-file", &f], b"").ok();
    v
}

fn blockhash() -> String {
    bs58::encode([9u8; 32]).into_string()
}

fn solana_holdings(v: &TestVault, lamports: u64) -> String {
    let h = json!({
        "chain": "solana",
        "address": addr(ABOUT, Chain::Solana, 0),
        "lamports": lamports.to_string(),
        "token_accounts": [{
            "address": bs58::encode([0x77; 32]).into_string(),
            "mint": bs58::encode([0xa1; 32]).into_string(),
            "program": "spl-token", "amount": "1500000", "decimals": 6, "lamports": "2039280"
        }],
        "stake_accounts": [], "nonce_accounts": []
    });
    v.dir.file("sol-holdings.json", h.to_string().as_bytes())
}

fn send(v: &TestVault, chain: &str, to: &str, amount: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["send", "--seed", "main", "--chain", chain, "--to", to, "--amount", amount];
    args.extend_from_slice(extra);
    v.run(&args, b"")
}

#[test]
fn solana_offline_signs_a_payment_the_decoder_reads_back() {
    let v = vault("send-solana-offline");
    let holdings = solana_holdings(&v, 1_000_000_000);
    let to = addr(OTHER, Chain::Solana, 0);
    let hash = blockhash();
    let base = ["--holdings", holdings.as_str(), "--blockhash", hash.as_str(), "--yes"];
    let out = send(&v, "solana", &to, "0.25", &base).ok().json();
    assert_eq!((s(&out["from"]), s(&out["to"])), (addr(ABOUT, Chain::Solana, 0).as_str(), to.as_str()));
    assert_eq!(
        (&out["amount"], &out["amount_base_units"], &out["fee"]),
        (&json!("0.25"), &json!("250000000"), &json!("5000"))
    );
    assert_eq!(out["summary"]["max_fee"]["base_units"], "5000");
    let line = out["summary"]["lines"].as_array().unwrap().iter().find(|l| l["label"] == "instruction 0").unwrap();
    assert!(s(&line["value"]).contains("System transfer 0.250000000 SOL") && s(&line["value"]).contains(&to), "{line}");
    // The signed transaction verifies, and `coffer sign` shows the same summary for its bytes.
    let tx = coffer_core::sign::solana_input(s(&out["signed_tx"])).unwrap();
    assert_eq!(tx.signed_by(&tx.message.fee_payer()), Some(true));
    assert_eq!(tx.id().as_deref(), Some(s(&out["tx_id"])));
    let unsigned = v.dir.file("unsigned", out["tx"].as_str().unwrap().as_bytes());
    let signed =
        v.run(&["sign", "--chain", "solana", "--seed", "main", "--tx-file", &unsigned, "--yes"], b"").ok().json();
    assert_eq!(signed["summary"], out["summary"], "the same summary as a pasted transaction");
    // Both signatures are in the signing log.
    let log = v.run(&["log"], b"").ok().json();
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(2), "{log}");

    // A token: decimals from the holdings, the recipient's account created first.
    let mint = bs58::encode([0xa1; 32]).into_string();
    let out = send(&v, "solana", &to, "1.5", &[&base[..], &["--mint", &mint]].concat()).ok().json();
    assert_eq!(
        (&out["amount_base_units"], &out["decimals"], &out["deposit"]),
        (&json!("1500000"), &json!(6), &json!("2039280"))
    );
    assert_eq!(out["notes"].as_array().unwrap().len(), 1);

    // Typed errors, nothing signed.
    let refused = |amount: &str, extra: &[&str], code: i32, kind: &str| {
        let e = send(&v, "solana", &to, amount, &[&base[..], extra].concat()).fails_with(code).error_json();
        assert_eq!(e["error"]["kind"], kind, "{e}");
    };
    refused("0.0000000001", &[], 3, "too_many_decimals");
    refused("1.0000001", &["--mint", &mint], 3, "too_many_decimals");
    refused("0", &[], 3, "zero_amount");
    refused("1,5", &[], 3, "invalid_amount");
    refused("1", &[], 3, "over_balance");
    refused("0.9992", &[], 3, "below_minimum_left");
    refused("2", &["--mint", &mint], 3, "over_balance");
    refused("1", &["--mint", &bs58::encode([0xb2; 32]).into_string()], 3, "asset_not_held");
    let e = send(&v, "solana", &to[..40], "1", &base).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
    let e = send(&v, "solana", &to, "1", &[&base[..], &["--memo", "x"]].concat()).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "conflicting_arguments");
    let log = v.run(&["log"], b"").ok().json();
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(3), "only the three payments above were signed");
}

#[test]
fn a_compromised_seeds_address_needs_explicit_consent() {
    let v = vault("send-compromised");
    let holdings = solana_holdings(&v, 1_000_000_000);
    let hash = blockhash();
    let base = ["--holdings", holdings.as_str(), "--blockhash", hash.as_str(), "--yes"];
    let to = addr(OTHER, Chain::Solana, 2);
    send(&v, "solana", &to, "0.1", &base).ok();
    v.run(&["migrate", "compromised", "other"], b"").ok();
    let e = send(&v, "solana", &to, "0.1", &base).fails_with(7).error_json();
    assert_eq!(e["error"]["kind"], "compromised_recipient");
    assert!(s(&e["error"]["message"]).contains("account 2 of seed \"other\""), "{e}");
    let run = send(&v, "solana", &to, "0.1", &[&base[..], &["--allow-compromised-recipient"]].concat()).ok();
    assert_eq!(run.json()["compromised_recipient"], true);
    assert!(run.stderr.contains("compromised_recipient"), "{}", run.stderr);
    // Account 5 is not looked at; the sender's own seed is not compromised.
    let out = send(&v, "solana", &addr(OTHER, Chain::Solana, 5), "0.1", &base).ok().json();
    assert_eq!(out["compromised_recipient"], false);
}

fn stellar_file(v: &TestVault, to: &str, exists: bool) -> String {
    let issuer = addr(OTHER, Chain::Stellar, 4);
    let h = json!({"chain": "stellar", "accounts": [
        {"address": addr(ABOUT, Chain::Stellar, 0), "exists": true, "sequence": "41", "native": "1000000000",
         "trustlines": [{"type": "credit", "code": "USDC", "issuer": issuer, "balance": "25000000",
                         "limit": "9223372036854775807"}],
         "subentry_count": 1},
        {"address": to, "exists": exists,
         "trustlines": [{"type": "credit", "code": "USDC", "issuer": issuer, "balance": "0", "limit": "30000000"}]}
    ]});
    v.dir.file(&format!("xlm-{exists}.json"), h.to_string().as_bytes())
}

fn stellar_payments(v: &TestVault) -> (Value, Value, Value) {
    let to = addr(OTHER, Chain::Stellar, 0);
    let f = stellar_file(v, &to, true);
    let net = ["--network", "testnet", "--yes"];
    let payment =
        send(v, "stellar", &to, "12.5", &[&["--holdings", &f, "--memo", "invoice 42"], &net[..]].concat()).ok().json();
    let usdc = format!("USDC:{}", addr(OTHER, Chain::Stellar, 4));
    let credit =
        send(v, "stellar", &to, "max", &[&["--holdings", &f, "--asset", &usdc, "--memo-id", "7"], &net[..]].concat())
            .ok()
            .json();
    let fresh = addr(OTHER, Chain::Stellar, 1);
    let f = stellar_file(v, &fresh, false);
    let create = send(v, "stellar", &fresh, "1", &[&["--holdings", &f], &net[..]].concat()).ok().json();
    (payment, credit, create)
}

#[test]
fn stellar_offline_payment_memo_and_account_creation() {
    let v = vault("send-stellar-offline");
    let (payment, credit, create) = stellar_payments(&v);
    let lines = |o: &Value| o["summary"]["lines"].to_string();
    assert!(lines(&payment).contains("invoice 42") && lines(&payment).contains("12.5000000"), "{payment}");
    assert_eq!((&payment["fee"], &payment["amount_base_units"]), (&json!("100"), &json!("125000000")));
    assert_eq!(credit["amount_base_units"], "25000000");
    assert!(lines(&create).contains("create account"), "{create}");
    // The recipient must be listed; a credit asset cannot create an account; less than 1 XLM cannot either.
    let to = addr(OTHER, Chain::Stellar, 0);
    let fresh = addr(OTHER, Chain::Stellar, 1);
    let f = stellar_file(&v, &fresh, false);
    let net = ["--network", "testnet", "--yes"];
    for (who, amount, extra, kind) in [
        (to.as_str(), "1", vec![], "invalid_holdings"),
        (fresh.as_str(), "0.9999999", vec![], "below_reserve"),
        (
            fresh.as_str(),
            "1",
            vec!["--asset", "USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN"],
            "recipient_missing",
        ),
        (fresh.as_str(), "1", vec!["--memo", "a memo that is longer than 28 bytes"], "invalid_memo"),
        (fresh.as_str(), "1.00000001", vec![], "too_many_decimals"),
    ] {
        let e = send(&v, "stellar", who, amount, &[&["--holdings", f.as_str()], &extra[..], &net[..]].concat())
            .fails_with(3)
            .error_json();
        assert_eq!(e["error"]["kind"], kind, "{e}");
    }
    // A credit asset goes only to a trustline of it with room: more than its room, or none listed, is refused.
    let usdc = format!("USDC:{}", addr(OTHER, Chain::Stellar, 4));
    let with_line = stellar_file(&v, &to, true);
    let mut h: Value = serde_json::from_str(&std::fs::read_to_string(&with_line).unwrap()).unwrap();
    for (name, lines, amount, message) in [
        (
            "line-full",
            json!([{"type": "credit", "code": "USDC", "issuer": addr(OTHER, Chain::Stellar, 4),
                              "balance": "5000000", "limit": "15000000"}]),
            "1.0000001",
            "room for 10000000",
        ),
        ("no-line", json!([]), "1", "no authorised trustline"),
    ] {
        h["accounts"][1]["trustlines"] = lines;
        let f = v.dir.file(&format!("xlm-{name}.json"), h.to_string().as_bytes());
        let e = send(&v, "stellar", &to, amount, &[&["--holdings", &f, "--asset", &usdc], &net[..]].concat())
            .fails_with(3)
            .error_json();
        assert_eq!(e["error"]["kind"], "recipient_untrusting", "{e}");
        assert!(s(&e["error"]["message"]).contains(message), "{e}");
    }
    // A StrKey with a wrong checksum.
    let mut bad = fresh.into_bytes();
    bad[20] = if bad[20] == b'A' { b'B' } else { b'A' };
    let e =
        send(&v, "stellar", &String::from_utf8(bad).unwrap(), "1", &[&["--holdings", f.as_str()], &net[..]].concat())
            .fails_with(3)
            .error_json();
    assert_eq!(e["error"]["kind"], "invalid_address");
}

fn move_file(v: &TestVault, chain: &str) -> String {
    let native = if chain == "iota" { "0x2::iota::IOTA" } else { "0x2::sui::SUI" };
    let c = ch(chain);
    let coin = |n: u8, balance: u64| {
        json!({"object_id": format!("0x{}", "0".repeat(62) + &format!("{n:02x}")), "version": n,
               "digest": bs58::encode([n; 32]).into_string(), "balance": balance.to_string()})
    };
    let h = json!({"chain": chain, "address": addr(ABOUT, c, 0), "coins": [
        {"coin_type": native, "coins": [coin(1, 3_000_000_000), coin(2, 500)]},
        {"coin_type": "0xabc::usd::USD", "coins": [coin(3, 10), coin(4, 20)]}
    ], "objects": []});
    v.dir.file(&format!("{chain}.json"), h.to_string().as_bytes())
}

fn move_payments(v: &TestVault, chain: &str) -> (Value, Value, Value) {
    let f = move_file(v, chain);
    let to = addr(OTHER, ch(chain), 0);
    let native = send(v, chain, &to, "1.5", &["--holdings", &f, "--yes"]).ok().json();
    let all = send(v, chain, &to, "max", &["--holdings", &f, "--yes"]).ok().json();
    let token =
        send(v, chain, &to, "2.5", &["--holdings", &f, "--coin-type", "0xabc::usd::USD", "--decimals", "1", "--yes"])
            .ok()
            .json();
    (native, all, token)
}

#[test]
fn iota_and_sui_offline_payments() {
    let v = vault("send-move-offline");
    for chain in ["iota", "sui"] {
        let (native, all, token) = move_payments(&v, chain);
        let lines = |o: &Value| o["summary"]["lines"].to_string();
        assert!(lines(&native).contains("split coin gas coin into amounts [1500000000]"), "{native}");
        assert!(lines(&all).contains("transfer objects [gas coin]"), "{all}");
        assert_eq!(token["amount_base_units"], "25");
        assert!(lines(&token).contains("merge coins [input 3] into input 2"), "{token}");
        let e = send(
            &v,
            chain,
            &addr(OTHER, ch(chain), 0),
            "1",
            &["--holdings", &move_file(&v, chain), "--coin-type", "0xabc::usd::USD", "--yes"],
        )
        .fails_with(2)
        .error_json();
        assert_eq!(e["error"]["kind"], "usage", "a token offline needs --decimals: {e}");
    }
}

// ---------------------------------------------------------------- the chains' SDKs

#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn sdk_stellar_payments_decode_and_verify() {
    let v = vault("send-stellar-sdk");
    let (payment, credit, create) = stellar_payments(&v);
    let from = addr(ABOUT, Chain::Stellar, 0);
    for (out, op, memo) in [
        (
            &payment,
            json!({"type": "payment", "destination": addr(OTHER, Chain::Stellar, 0), "amount": "12.5000000"}),
            json!({"type": "text", "value": "invoice 42"}),
        ),
        (
            &credit,
            json!({"type": "payment", "destination": addr(OTHER, Chain::Stellar, 0), "amount": "2.5000000"}),
            json!({"type": "id", "value": "7"}),
        ),
        (
            &create,
            json!({"type": "createAccount", "destination": addr(OTHER, Chain::Stellar, 1), "startingBalance": "1.0000000"}),
            json!({"type": "none", "value": null}),
        ),
    ] {
        let signed = s(&out["signed_tx"]);
        let checked = sdk(&["verify", "stellar", "--signed-tx", signed, "--network", "testnet", "--signer", &from]);
        assert_eq!(checked["signer"], from.as_str());
        let d = sdk(&["decode", "stellar", "--tx", signed, "--network", "testnet"]);
        assert_eq!(
            (&d["source"], &d["seq_num"], &d["fee"], &d["hash"]),
            (&json!(from), &json!("42"), &json!("100"), &out["tx_id"])
        );
        assert_eq!(d["memo"]["type"], memo["type"]);
        assert_eq!(d["memo"]["value"], memo["value"]);
        let ops = d["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 1);
        for (k, want) in op.as_object().unwrap() {
            assert_eq!(&ops[0][k], want, "{k} of {}", ops[0]);
        }
    }
}

#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn sdk_iota_and_sui_payments_decode_and_verify() {
    let v = vault("send-move-sdk");
    for chain in ["iota", "sui"] {
        let (native, all, token) = move_payments(&v, chain);
        let from = addr(ABOUT, ch(chain), 0);
        let to = addr(OTHER, ch(chain), 0);
        let framework_free = |d: &Value| d["commands"].as_array().unwrap().iter().all(|c| c["kind"] != "MoveCall");
        for (out, commands) in [
            (
                &native,
                json!([
                    {"kind": "SplitCoins", "coin": "GasCoin", "amounts": ["1500000000"]},
                    {"kind": "TransferObjects", "objects": ["NestedResult(0,0)"], "recipient": to},
                ]),
            ),
            (&all, json!([{"kind": "TransferObjects", "objects": ["GasCoin"], "recipient": to}])),
            (
                &token,
                json!([
                    {"kind": "MergeCoins", "destination": "Input(2)", "sources": ["Input(3)"]},
                    {"kind": "SplitCoins", "coin": "Input(2)", "amounts": ["25"]},
                    {"kind": "TransferObjects", "objects": ["NestedResult(1,0)"], "recipient": to},
                ]),
            ),
        ] {
            let d = sdk(&["decode", chain, "--tx-bytes", s(&out["tx"])]);
            assert_eq!(d["digest"], out["tx_id"], "the SDK's digest is Coffer's");
            assert_eq!((&d["sender"], &d["gas"]["owner"]), (&json!(from), &json!(from)));
            assert_eq!(d["gas"]["budget"], out["fee"]);
            assert_eq!(d["commands"], commands, "{chain}: {d}");
            assert!(framework_free(&d));
            let checked = sdk(&[
                "verify",
                chain,
                "--tx-bytes",
                s(&out["tx"]),
                "--signature",
                s(&out["signature"]),
                "--address",
                &from,
            ]);
            assert_eq!(checked["digest"], out["tx_id"]);
        }
    }
}

// ---------------------------------------------------------------- LiteSVM, the Solana runtime

fn rpc_lamports(chain: &Solana, address: &str) -> u64 {
    chain.rpc("getBalance", json!([address]))["value"].as_u64().unwrap()
}

fn token_amount(chain: &Solana, account: &str) -> Option<u64> {
    let acc = chain.rpc("getAccountInfo", json!([account, {"encoding": "base64"}]))["value"].clone();
    if acc.is_null() {
        return None;
    }
    let d = B64.decode(s(&acc["data"][0])).unwrap();
    Some(u64::from_le_bytes(d[64..72].try_into().unwrap()))
}

fn ata(owner: &str, mint: &str, program: TokenProgram) -> String {
    let k = |a: &str| coffer_core::chain::solana::parse_address(a).unwrap();
    bs58::encode(coffer_core::migrate::associated_token_address(&k(owner), &k(mint), program).unwrap()).into_string()
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn litesvm_sol_and_token_payments_execute() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = vault("send-litesvm");
    let from = addr(ABOUT, Chain::Solana, 0);
    let to = addr(OTHER, Chain::Solana, 0);
    chain.rpc("coffer_airdrop", json!([from, 2_000_000_000u64]));
    let mint_a = bs58::encode([0xa1; 32]).into_string();
    let mint_b = bs58::encode([0xb2; 32]).into_string();
    let token_a = s(&chain.rpc("coffer_setTokenAccount", json!([from, mint_a, 1_500_000u64, "token"]))).to_owned();
    let token_b = s(&chain.rpc("coffer_setTokenAccount", json!([from, mint_b, 42u64, "token-2022"]))).to_owned();
    let local =
        ["--online", "--network", "localnet", "--endpoint", chain.url.as_str(), "--broadcast", "--wait", "--yes"];

    // Less than a new account's rent-exempt minimum to an address without SOL: refused before signing.
    let e = send(&v, "solana", &to, "0.0001", &local).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "new_account_below_rent", "{e}");
    // SOL to an address that does not exist yet, with a priority fee.
    let before = rpc_lamports(&chain, &from);
    let out = send(&v, "solana", &to, "0.5", &[&local[..], &["--priority-fee", "1000"]].concat()).ok().json();
    assert_eq!(out["broadcast"]["signature"], out["tx_id"]);
    assert!(matches!(s(&out["broadcast"]["confirmation"]), "confirmed" | "finalized"), "{out}");
    // Where to look it up: the Solana Explorer, at the local validator (a custom cluster).
    let local_url: String = chain
        .url
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert_eq!(
        s(&out["broadcast"]["explorer"]),
        format!("https://explorer.solana.com/tx/{}?cluster=custom&customUrl={local_url}", s(&out["tx_id"]))
    );
    let fee: u64 = s(&out["fee"]).parse().unwrap();
    assert!(fee > 5000, "a priority fee on top of the signature's: {fee}");
    assert_eq!(rpc_lamports(&chain, &to), 500_000_000, "the runtime says the recipient has it");
    assert_eq!(rpc_lamports(&chain, &from), before - 500_000_000 - fee, "the fee charged is the fee shown");

    // An SPL Token payment: the recipient's associated account is created and receives the amount.
    let before = rpc_lamports(&chain, &from);
    let out = send(&v, "solana", &to, "0.25", &[&local[..], &["--mint", &mint_a]].concat()).ok().json();
    assert_eq!((&out["decimals"], &out["amount_base_units"]), (&json!(6), &json!("250000")));
    let theirs = ata(&to, &mint_a, TokenProgram::SplToken);
    assert_eq!(token_amount(&chain, &theirs), Some(250_000));
    assert_eq!(token_amount(&chain, &token_a), Some(1_250_000));
    let rent =
        chain.rpc("getAccountInfo", json!([theirs, {"encoding": "base64"}]))["value"]["lamports"].as_u64().unwrap();
    assert_eq!(rpc_lamports(&chain, &from), before - 5000 - rent, "the fee and the new account's rent");
    assert_eq!(out["deposit"], rent.to_string(), "the deposit shown is the rent charged");

    // Again: the account exists now (seen through coffer-net), so it is not created and no rent is paid.
    let before = rpc_lamports(&chain, &from);
    let out = send(&v, "solana", &to, "max", &[&local[..], &["--mint", &mint_a]].concat()).ok().json();
    assert_eq!((&out["amount_base_units"], &out["deposit"]), (&json!("1250000"), &json!("0")));
    assert_eq!(token_amount(&chain, &theirs), Some(1_500_000));
    assert_eq!(token_amount(&chain, &token_a), Some(0));
    assert_eq!(rpc_lamports(&chain, &from), before - 5000);

    // Token-2022 (its account has the ImmutableOwner extension, 170 bytes).
    let out = send(&v, "solana", &to, "0.000042", &[&local[..], &["--mint", &mint_b]].concat()).ok().json();
    assert_eq!(out["amount_base_units"], "42");
    assert_eq!(token_amount(&chain, &ata(&to, &mint_b, TokenProgram::Token2022)), Some(42));
    assert_eq!(token_amount(&chain, &token_b), Some(0));

    // Max SOL: the sender ends at 0 (its token accounts are not its lamports).
    let out = send(&v, "solana", &addr(OTHER, Chain::Solana, 1), "max", &local).ok().json();
    assert_eq!(rpc_lamports(&chain, &from), 0, "{out}");
    // Nothing left to pay a fee with: a typed error, nothing signed or sent.
    let e = send(&v, "solana", &to, "0.1", &local).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "over_balance", "{e}");
}

// ---------------------------------------------------------------- online, against the test nodes of the other chains

/// Stellar through a local Horizon (tests/fixtures/stellar): the sender's account as Horizon shows it (sequence,
/// lumens, subentries, trustlines); a recipient Horizon does not know is created.
#[test]
fn stellar_online_reads_both_accounts() {
    let _ = coffer_net();
    let url = crate::balance_stellar::horizon();
    let v = vault("send-stellar-online");
    let online = ["--online", "--network", "public", "--endpoint", url.as_str(), "--yes"];
    let fresh = addr(ABOUT, Chain::Stellar, 1);
    let out = send(&v, "stellar", &fresh, "2", &[&online[..], &["--memo-id", "99"]].concat()).ok().json();
    assert_eq!(out["endpoint"], url.as_str());
    let lines = out["summary"]["lines"].to_string();
    assert!(lines.contains("create account") && lines.contains(&fresh), "{out}");
    let env = coffer_core::sign::stellar::decode_envelope(&B64.decode(s(&out["signed_tx"])).unwrap()).unwrap();
    assert_eq!(env.seq_num, 120_192_344_791_990_276, "the account's sequence number (fixture) + 1");
    assert_eq!(env.memo, coffer_core::sign::stellar::Memo::Id(99));
    // A credit asset cannot create it; more lumens than are above the minimum balance are refused.
    let usdc = "USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";
    let e = send(&v, "stellar", &fresh, "1", &[&online[..], &["--asset", usdc]].concat()).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "recipient_missing", "{e}");
    let e = send(&v, "stellar", &fresh, "10000", &online).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "over_balance", "{e}");
}

/// IOTA through a local JSON-RPC node: the coins and the reference gas price (1200, above the default) read, the
/// payment executed, the digest the node reports checked.
#[test]
fn iota_online_payment_is_executed() {
    let _ = coffer_net();
    let from = addr(ABOUT, Chain::Iota, 0);
    let (url, asked) = crate::migrate_move::iota_node(from.clone(), false);
    let v = vault("send-iota-online");
    let to = addr(OTHER, Chain::Iota, 0);
    let args = ["--online", "--network", "localnet", "--endpoint", url.as_str(), "--broadcast", "--yes"];
    let out = send(&v, "iota", &to, "1.25", &args).ok().json();
    assert_eq!(out["broadcast"]["signature"], out["tx_id"]);
    // A network of your own: no public explorer knows it.
    assert_eq!(out["broadcast"]["explorer"], Value::Null, "{out}");
    let Some((_, params)) = asked.lock().unwrap().iter().find(|(m, _)| m == "iota_executeTransactionBlock").cloned()
    else {
        panic!("not executed: {:?}", asked.lock().unwrap())
    };
    assert_eq!(params[0], out["tx"]);
    assert_eq!(params[1][0], out["signature"]);
    let tx = coffer_core::sign::iota_sui::decode_transaction(Chain::Iota, &B64.decode(s(&out["tx"])).unwrap()).unwrap();
    let coffer_core::sign::iota_sui::TransactionData::Programmable(tx) = tx else { panic!() };
    assert_eq!(tx.gas.price, 1200, "the network's reference price, above the default");
    assert_eq!(tx.gas.payment.len(), 1, "the 3 IOTA coin pays 1.25 IOTA and the gas");
    // The node lies about the digest: refused.
    let (liar, _) = crate::migrate_move::iota_node(from, true);
    let args = ["--online", "--network", "localnet", "--endpoint", liar.as_str(), "--broadcast", "--yes"];
    let e = send(&v, "iota", &to, "1", &args).fails_with(8).error_json();
    assert!(matches!(s(&e["error"]["kind"]), "signature_mismatch" | "malformed_answer"), "{e}");
}

/// Offline, on a durable nonce with a priority fee (AdvanceNonceAccount first, then the compute budget), broadcast
/// with `coffer broadcast`: the runtime executes it and advances the nonce.
#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn litesvm_durable_nonce_payment_executes() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = vault("send-litesvm-nonce");
    let from = addr(ABOUT, Chain::Solana, 0);
    let to = addr(OTHER, Chain::Solana, 3);
    chain.rpc("coffer_airdrop", json!([from, 1_000_000_000u64]));
    let nonce = s(&chain.rpc("coffer_setNonceAccount", json!([from, 1_447_680u64]))).to_owned();
    let value = |chain: &Solana| {
        let acc = chain.rpc("getAccountInfo", json!([nonce, {"encoding": "base64"}]))["value"].clone();
        bs58::encode(&B64.decode(s(&acc["data"][0])).unwrap()[40..72]).into_string()
    };
    let before = value(&chain);
    let h = json!({"chain": "solana", "address": from, "lamports": rpc_lamports(&chain, &from).to_string(),
                   "token_accounts": [], "stake_accounts": [], "nonce_accounts": []});
    let file = v.dir.file("holdings.json", h.to_string().as_bytes());
    let args = ["--holdings", file.as_str(), "--nonce-account", nonce.as_str(), "--nonce", before.as_str()];
    let out = send(&v, "solana", &to, "0.3", &[&args[..], &["--priority-fee", "5000", "--yes"]].concat()).ok().json();
    let lines = out["summary"]["lines"].to_string();
    assert!(lines.contains("advance"), "{lines}");
    let signed = v.dir.file("signed", s(&out["signed_tx"]).as_bytes());
    let local = ["--network", "localnet", "--endpoint", chain.url.as_str()];
    let b = crate::common::coffer(
        &[&["broadcast", "--chain", "solana", "--tx-file", &signed, "--wait", "--json"], &local[..]].concat(),
        b"",
    )
    .ok()
    .json();
    assert_eq!(b["failed"], false, "{b}");
    assert_eq!(rpc_lamports(&chain, &to), 300_000_000);
    let fee: u64 = s(&out["fee"]).parse().unwrap();
    assert_eq!(rpc_lamports(&chain, &from), 1_000_000_000 - 300_000_000 - fee, "the fee shown is the fee charged");
    assert_ne!(value(&chain), before, "the nonce advanced");
}

/// The value of Token-2022 TLV extension `kind` in an account's data (after the 165-byte base and its type byte).
fn extension(data: &[u8], kind: u16) -> Option<Vec<u8>> {
    let mut at = 166;
    while at + 4 <= data.len() {
        let t = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = usize::from(u16::from_le_bytes([data[at + 2], data[at + 3]]));
        if t == kind {
            return Some(data[at + 4..at + 4 + len].to_vec());
        }
        at += 4 + len;
    }
    None
}

/// Offline (runs everywhere): the holdings file's `token_2022` states the mint's extensions. A transfer fee is shown
/// as withheld from what arrives and the new account's rent is that of its size; a non-transferable mint is refused
/// before anything is signed.
#[test]
fn solana_offline_token_2022_extensions_from_the_holdings_file() {
    let v = vault("send-solana-t22-offline");
    let to = addr(OTHER, Chain::Solana, 0);
    let hash = blockhash();
    let mint = bs58::encode([0xa1; 32]).into_string();
    let file = |name: &str, ext: Value| {
        let h = json!({
            "chain": "solana", "address": addr(ABOUT, Chain::Solana, 0), "lamports": "1000000000",
            "token_accounts": [{"address": bs58::encode([0x77; 32]).into_string(), "mint": mint,
                                "program": "token-2022", "amount": "1500000", "decimals": 6, "token_2022": ext}]
        });
        v.dir.file(name, h.to_string().as_bytes())
    };
    let fee = file("fee.json", json!({"transfer_fee": {"basis_points": 100, "maximum_fee": "5000"}}));
    let args = ["--holdings", fee.as_str(), "--blockhash", hash.as_str(), "--mint", mint.as_str(), "--yes"];
    let out = send(&v, "solana", &to, "0.25", &args).ok().json();
    assert_eq!(
        (s(&out["transfer_fee"]), s(&out["arrives"]), s(&out["arrives_base_units"])),
        ("2500", "0.2475", "247500")
    );
    assert_eq!(out["deposit"], ((128 + 182) * 6960).to_string(), "a 182-byte account's rent");
    assert!(out["notes"].to_string().contains("0.2475 arrive"), "{out}");
    let nt = file("nt.json", json!({"non_transferable": true}));
    let args = ["--holdings", nt.as_str(), "--blockhash", hash.as_str(), "--mint", mint.as_str(), "--yes"];
    let run = send(&v, "solana", &to, "0.25", &args);
    let e = run.fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "token_not_sendable", "{e}");
    assert!(s(&e["error"]["message"]).contains("non-transferable"), "{e}");
}

/// Token-2022 payments on the real Token-2022 program: a transfer-fee token is sent (the recipient's new account is
/// 182 bytes, paid at its rent-exempt minimum, holds the amount less the fee and withholds the fee — asserted from
/// the runtime); the tokens of a non-transferable, a hooked, a paused and a default-frozen mint (no recipient account),
/// and a token whose recipient's account is frozen, are refused before signing — nothing is broadcast, nothing moves.
#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn litesvm_token_2022_extensions_on_payments() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = vault("send-litesvm-t22");
    let from = addr(ABOUT, Chain::Solana, 0);
    let to = addr(OTHER, Chain::Solana, 0);
    chain.rpc("coffer_airdrop", json!([from, 1_000_000_000u64]));
    let local =
        ["--online", "--network", "localnet", "--endpoint", chain.url.as_str(), "--broadcast", "--wait", "--yes"];
    let fee_mint = bs58::encode([0xf1; 32]).into_string();
    chain.rpc(
        "coffer_setToken2022Mint",
        json!([fee_mint, 6, {"transferFee": {"basisPoints": 100, "maximumFee": "5000"}}]),
    );
    let fee_account =
        s(&chain.rpc("coffer_setTokenAccount", json!([from, fee_mint, 1_000_000u64, "token-2022"]))).to_owned();

    let before = rpc_lamports(&chain, &from);
    let out = send(&v, "solana", &to, "0.25", &[&local[..], &["--mint", &fee_mint]].concat()).ok().json();
    assert!(matches!(s(&out["broadcast"]["confirmation"]), "confirmed" | "finalized"), "{out}");
    assert_eq!((s(&out["transfer_fee"]), s(&out["arrives"])), ("2500", "0.2475"), "{out}");
    let theirs = ata(&to, &fee_mint, TokenProgram::Token2022);
    let acc = chain.rpc("getAccountInfo", json!([theirs, {"encoding": "base64"}]))["value"].clone();
    let d = B64.decode(s(&acc["data"][0])).unwrap();
    assert_eq!(d.len(), 182, "ImmutableOwner and TransferFeeAmount");
    assert_eq!(u64::from_le_bytes(d[64..72].try_into().unwrap()), 247_500, "the amount less 1%");
    assert_eq!(u64::from_le_bytes(extension(&d, 2).unwrap()[..8].try_into().unwrap()), 2_500, "the fee withheld there");
    let rent = acc["lamports"].as_u64().unwrap();
    assert_eq!(rent, (128 + 182) * 6960, "rent-exempt at its size");
    assert_eq!(out["deposit"], rent.to_string(), "the deposit shown is the rent charged");
    assert_eq!(rpc_lamports(&chain, &from), before - 5000 - rent);
    assert_eq!(token_amount(&chain, &fee_account), Some(750_000));

    // Mints whose transfers the program refuses: a typed error before signing, nothing sent.
    let hook = bs58::encode([0x4b; 32]).into_string();
    let refused = [
        ([0xf2; 32], json!({"nonTransferable": true}), "non-transferable"),
        ([0xf3; 32], json!({"transferHookProgram": hook}), "transfer hook"),
        ([0xf4; 32], json!({"paused": true}), "paused"),
        ([0xf5; 32], json!({"defaultFrozen": true}), "default account state is frozen"),
    ];
    for (mint, ext, why) in refused {
        let mint = bs58::encode(mint).into_string();
        chain.rpc("coffer_setToken2022Mint", json!([mint, 0, ext]));
        let account = s(&chain.rpc("coffer_setTokenAccount", json!([from, mint, 7u64, "token-2022"]))).to_owned();
        let before = rpc_lamports(&chain, &from);
        let sent = chain.rpc("getSignaturesForAddress", json!([from])).as_array().unwrap().len();
        let e = send(&v, "solana", &to, "7", &[&local[..], &["--mint", &mint]].concat()).fails_with(3).error_json();
        assert_eq!(e["error"]["kind"], "token_not_sendable", "{e}");
        assert!(s(&e["error"]["message"]).contains(why), "{e}");
        assert_eq!(chain.rpc("getSignaturesForAddress", json!([from])).as_array().unwrap().len(), sent, "nothing sent");
        assert_eq!((rpc_lamports(&chain, &from), token_amount(&chain, &account)), (before, Some(7)));
    }
    // An SPL token whose recipient's associated account exists and is frozen: refused too, nothing sent.
    let mint = bs58::encode([0xf6; 32]).into_string();
    let account = s(&chain.rpc("coffer_setTokenAccount", json!([from, mint, 9u64, "token"]))).to_owned();
    let theirs = ata(&to, &mint, TokenProgram::SplToken);
    chain.rpc("coffer_setTokenAccount", json!([to, mint, 0u64, "token", "frozen", null, {"address": theirs}]));
    let sent = chain.rpc("getSignaturesForAddress", json!([from])).as_array().unwrap().len();
    let e = send(&v, "solana", &to, "0.000009", &[&local[..], &["--mint", &mint]].concat()).fails_with(3).error_json();
    assert_eq!(e["error"]["kind"], "token_not_sendable", "{e}");
    assert!(s(&e["error"]["message"]).contains("recipient's token account for it is frozen"), "{e}");
    assert_eq!(chain.rpc("getSignaturesForAddress", json!([from])).as_array().unwrap().len(), sent, "nothing sent");
    assert_eq!(token_amount(&chain, &account), Some(9));
}
