//! `coffer migrate sweep --chain solana --holdings FILE`: the complete sweep of an old address, executed by LiteSVM
//! (the real Solana runtime, tests/chain-servers/solana.mjs; ignored unless scripts/chain-test runs it).
//!
//! The old address holds SOL, an SPL Token account, a Token-2022 account, a stake account (staker and withdrawer)
//! and a durable-nonce account. Coffer builds, guards and signs every transaction; `coffer broadcast --wait` sends
//! them in order; then the runtime is asked (getAccountInfo, getBalance) — not Coffer — whether every asset belongs
//! to the new address, the token accounts are closed and no lamport is left on the old address.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::holdings::solana::TokenProgram;
use coffer_core::{Chain, Mnemonic};
use serde_json::{Value, json};

use crate::balance::{Solana, coffer_net};
use crate::common::{TempDir, TestVault, coffer};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";

fn key(address: &str) -> [u8; 32] {
    bs58::decode(address).into_vec().unwrap().try_into().unwrap()
}

fn account(chain: &Solana, address: &str) -> Value {
    chain.rpc("getAccountInfo", json!([address, {"encoding": "base64"}]))["value"].clone()
}

fn data(acc: &Value) -> Vec<u8> {
    B64.decode(acc["data"][0].as_str().unwrap()).unwrap()
}

fn lamports(chain: &Solana, address: &str) -> u64 {
    chain.rpc("getBalance", json!([address]))["value"].as_u64().unwrap()
}

/// A vault whose seed `main` (OLD) is compromised and migrated to a fresh seed whose backup is checked, with a
/// solana plan. Returns the old and new account-0 addresses.
fn migrating(v: &TestVault) -> (String, String) {
    v.import("main", OLD, "");
    v.run(&["migrate", "compromised", "main"], b"").ok();
    let s = v.run(&["migrate", "start", "--from", "main", "--new-label", "fresh", "--words", "12"], b"").ok().json();
    let fresh = Mnemonic::parse(s["mnemonic"].as_str().unwrap()).unwrap();
    let words: Vec<&str> = fresh.words().collect();
    let answers: Vec<&str> = s["challenge"]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| words[p.as_u64().unwrap() as usize - 1])
        .collect();
    let f = v.dir.file("answers", answers.join("\n").as_bytes());
    v.run(&["migrate", "verify", "--from", "main", "--answers-file", &f], b"").ok();
    let rows = v.run(&["migrate", "plan", "--from", "main", "--chain", "solana", "--accounts", "1"], b"").ok().json();
    let old = rows[0]["old_address"].as_str().unwrap().to_owned();
    let new = rows[0]["new_address"].as_str().unwrap().to_owned();
    assert_eq!(old, Chain::Solana.account(&Mnemonic::parse(OLD).unwrap().to_seed(""), 0, 0).unwrap().address);
    (old, new)
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn sweep_everything_from_holdings_on_litesvm() {
    let _ = coffer_net();
    let chain = Solana::start();
    let v = TestVault::new("sweep-solana-full", b"solana full sweep password\n");
    let (old, new) = migrating(&v);

    // The old address's holdings, set in the runtime.
    chain.rpc("coffer_airdrop", json!([old, 1_000_000_000u64]));
    let mint_a = bs58::encode([0xa1; 32]).into_string();
    let mint_b = bs58::encode([0xb2; 32]).into_string();
    let token_a = chain.rpc("coffer_setTokenAccount", json!([old, mint_a, 1_500_000u64, "token"]));
    let token_b = chain.rpc("coffer_setTokenAccount", json!([old, mint_b, 42u64, "token-2022"]));
    let stake = chain.rpc("coffer_setStakeAccount", json!([old, old, 5_000_000u64]));
    let nonce = chain.rpc("coffer_setNonceAccount", json!([old, 1_447_680u64]));
    let (token_a, token_b, stake, nonce) =
        (token_a.as_str().unwrap(), token_b.as_str().unwrap(), stake.as_str().unwrap(), nonce.as_str().unwrap());
    let balance = lamports(&chain, &old);
    let rent = |a: &str| account(&chain, a)["lamports"].as_u64().unwrap();
    let holdings = json!({
        "address": old,
        "lamports": balance.to_string(),
        "token_accounts": [
            {"address": token_a, "mint": mint_a, "program": "spl-token", "amount": "1500000", "decimals": 6,
             "lamports": rent(token_a).to_string()},
            {"address": token_b, "mint": mint_b, "program": "token-2022", "amount": "42", "decimals": 6,
             "lamports": rent(token_b).to_string()},
        ],
        "stake_accounts": [{"address": stake, "lamports": "5000000", "staker": old, "withdrawer": old}],
        "nonce_accounts": [{"address": nonce, "lamports": "1447680", "authority": old,
                            "nonce": bs58::encode([7u8; 32]).into_string()}],
    });
    let closed_rent = rent(token_a) + rent(token_b);
    let file = v.dir.file("holdings.json", holdings.to_string().as_bytes());
    let blockhash = chain.rpc("getLatestBlockhash", json!([]))["value"]["blockhash"].as_str().unwrap().to_owned();

    // Built, guarded, previewed and signed by Coffer, with a priority fee.
    let args =
        ["migrate", "sweep", "--from", "main", "--chain", "solana", "--holdings", &file, "--blockhash", &blockhash];
    let out = v.run(&[&args[..], &["--priority-fee", "1000", "--yes"]].concat(), b"").ok().json();
    let txs = out["transactions"].as_array().unwrap();
    assert_eq!(txs.len(), 1, "{out}");
    assert_eq!(out["left"], json!([]));
    let fees: u64 = out["fees"].as_str().unwrap().parse().unwrap();
    let paid_rent: u64 = out["rent"].as_str().unwrap().parse().unwrap();
    let sol: u64 = out["sol"].as_str().unwrap().parse().unwrap();
    assert_eq!(fees + paid_rent + sol, balance);
    let moves = txs[0]["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 5, "two tokens, the stake account, the nonce account, the SOL: {out}");

    // Broadcast each, in order, through the network process.
    let dir = TempDir::new("sweep-broadcast");
    for t in txs {
        let f = dir.file("tx", t["signed_tx"].as_str().unwrap().as_bytes());
        let local = ["--network", "localnet", "--endpoint", chain.url.as_str()];
        let b = coffer(
            &[&["broadcast", "--chain", "solana", "--tx-file", &f, "--wait", "--json"], &local[..]].concat(),
            b"",
        )
        .ok()
        .json();
        assert_eq!(b["failed"], false, "{b}");
    }

    // From the runtime: the old address holds nothing.
    assert_eq!(lamports(&chain, &old), 0, "no lamport left on the old address");
    assert!(account(&chain, &old).is_null());
    for closed in [token_a, token_b] {
        assert!(account(&chain, closed).is_null(), "token account {closed} is closed");
    }
    // The tokens are in the new address's associated token accounts, owned by it.
    let new_key = key(&new);
    for (mint, program, amount) in
        [(&mint_a, TokenProgram::SplToken, 1_500_000u64), (&mint_b, TokenProgram::Token2022, 42)]
    {
        let ata = coffer_core::migrate::associated_token_address(&new_key, &key(mint), program).unwrap();
        let acc = account(&chain, &bs58::encode(ata).into_string());
        assert_eq!(acc["owner"], program.id(), "{acc}");
        let d = data(&acc);
        assert_eq!(d[..32], key(mint));
        assert_eq!(d[32..64], new_key, "owned by the new address");
        assert_eq!(u64::from_le_bytes(d[64..72].try_into().unwrap()), amount);
    }
    // The stake account's staker and withdrawer, and the nonce account's authority, are the new address.
    let d = data(&account(&chain, stake));
    assert_eq!((&d[12..44], &d[44..76]), (&new_key[..], &new_key[..]), "stake authorities");
    assert_eq!(lamports(&chain, stake), 5_000_000, "the stake stays where it is");
    let d = data(&account(&chain, nonce));
    assert_eq!(&d[8..40], &new_key[..], "nonce authority");
    // The new address received the SOL and the closed accounts' rent.
    assert_eq!(lamports(&chain, &new), sol + closed_rent);
}
