//! `coffer sign` against the chains' own SDKs: for a random mnemonic, each SDK derives the address (cross-checking
//! Coffer's derivation), builds an unsigned transaction for it, Coffer's CLI signs it, and the SDK verifies and
//! decodes the result. Needs Node and tests/interop/node_modules: scripts/interop-test runs it.

use serde_json::Value;

use crate::common::{Run, TempDir, coffer, sdk};

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

struct Wallet {
    dir: TempDir,
    vault: String,
    pw: String,
    mnemonic: String,
}

impl Wallet {
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--vault", &self.vault, "--password-file", &self.pw, "--json"];
        all.extend_from_slice(args);
        coffer(&all, b"")
    }

    fn address(&self, chain: &str, account: u32) -> Value {
        let acct = account.to_string();
        let ours = self.run(&["address", "--chain", chain, "--seed", "main", "--account", &acct]).ok().json();
        let theirs = sdk(&["keys", chain, "--mnemonic", &self.mnemonic, "--account", &acct]);
        assert_eq!(ours[0]["address"], theirs["address"], "{chain} account {account}: SDK derivation differs");
        assert_eq!(ours[0]["public_key"], theirs["public_key_hex"]);
        ours[0].clone()
    }

    fn sign(&self, chain: &str, account: u32, tx: &str, extra: &[&str]) -> Value {
        let file = self.dir.file(&format!("{chain}-{account}.tx"), tx.as_bytes());
        let acct = account.to_string();
        let mut args =
            vec!["sign", "--chain", chain, "--seed", "main", "--account", &acct, "--tx-file", &file, "--yes"];
        args.extend_from_slice(extra);
        self.run(&args).ok().json()
    }
}

fn wallet() -> Wallet {
    let dir = TempDir::new("interop");
    let vault = dir.path().join("v.coffer").to_str().expect("utf-8").to_owned();
    let pw = dir.file("pw", b"interop test password\n");
    let fresh = coffer(&["mnemonic", "new", "--json"], b"").ok().json();
    let mnemonic = s(&fresh["mnemonic"]).to_owned();
    let words = dir.file("words", format!("{mnemonic}\n").as_bytes());
    coffer(
        &[
            "--vault",
            &vault,
            "--password-file",
            &pw,
            "init",
            "--import-mnemonic-file",
            &words,
            "--kdf-memory-mib",
            "256",
            "--kdf-passes",
            "2",
        ],
        b"",
    )
    .ok();
    Wallet { dir, vault, pw, mnemonic }
}

#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
fn sdk_built_transactions_signed_by_the_cli_verify_in_the_sdks() {
    let w = wallet();

    for chain in ["iota", "sui"] {
        let me = w.address(chain, 0);
        let other = w.address(chain, 1);
        for kind in ["pay-all", "split"] {
            let mut args = vec![
                "build",
                chain,
                "--sender",
                s(&me["address"]),
                "--recipient",
                s(&other["address"]),
                "--kind",
                kind,
            ];
            if kind == "split" {
                args.extend_from_slice(&["--amount", "1000"]);
            }
            let built = sdk(&args);
            let signed = w.sign(chain, 0, s(&built["tx"]), &[]);
            assert_eq!(signed["summary"]["fully_decoded"], true, "{chain} {kind}: {signed}");
            assert!(signed["summary"]["lines"].to_string().contains(s(&other["address"])), "{chain}: recipient shown");
            let v = sdk(&[
                "verify",
                chain,
                "--tx-bytes",
                s(&built["tx"]),
                "--signature",
                s(&signed["signature"]),
                "--address",
                s(&me["address"]),
            ]);
            assert_eq!(v["ok"], true, "{chain} {kind}: {v}");
        }
    }

    let me = w.address("solana", 0);
    let to = w.address("solana", 1);
    for version in ["legacy", "0"] {
        let built = sdk(&[
            "build",
            "solana",
            "--from",
            s(&me["address"]),
            "--to",
            s(&to["address"]),
            "--lamports",
            "12345",
            "--version",
            version,
        ]);
        let signed = w.sign("solana", 0, s(&built["tx"]), &[]);
        let v = sdk(&[
            "verify",
            "solana",
            "--signed-tx",
            s(&signed["signed_tx"]),
            "--tx",
            s(&built["tx"]),
            "--signer",
            s(&me["address"]),
        ]);
        assert_eq!(v["ok"], true, "solana {version}: {v}");
        let ins = v["instructions"].to_string();
        assert!(ins.contains(s(&to["address"])) && ins.contains("12345"), "{ins}");
    }

    let me = w.address("stellar", 0);
    let to = w.address("stellar", 1);
    for op in [
        vec!["--op", "payment", "--destination", s(&to["address"]), "--amount", "12.5"],
        vec!["--op", "create-account", "--destination", s(&to["address"]), "--starting-balance", "2"],
        vec!["--op", "account-merge", "--destination", s(&to["address"])],
    ] {
        let mut args =
            vec!["build", "stellar", "--source", s(&me["address"]), "--sequence", "4242", "--network", "testnet"];
        args.extend_from_slice(&op);
        let built = sdk(&args);
        let signed = w.sign("stellar", 0, s(&built["tx"]), &["--network", "testnet"]);
        assert_eq!(signed["summary"]["fully_decoded"], true, "{op:?}: {signed}");
        let v = sdk(&[
            "verify",
            "stellar",
            "--signed-tx",
            s(&signed["signed_tx"]),
            "--network",
            "testnet",
            "--tx",
            s(&built["tx"]),
            "--signer",
            s(&me["address"]),
        ]);
        assert_eq!(v["ok"], true, "stellar {op:?}: {v}");
        assert_eq!(v["hash"].as_str(), Some(s(&signed["digest"])), "the SDK's transaction hash is what Coffer signed");
    }

    // Everything above is in the log, chained.
    let log = w.run(&["log"]).ok().json();
    assert_eq!(log["chain_ok"], true);
    assert_eq!(log["entries"].as_array().expect("entries").len(), 4 + 2 + 3);
}
