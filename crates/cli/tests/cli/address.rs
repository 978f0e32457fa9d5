//! `coffer address`.

use crate::common::{TempDir, coffer, vectors};

fn s(v: &serde_json::Value) -> &str {
    v.as_str().expect("string")
}

#[test]
fn iota_and_sui_match_keytool_vectors() {
    for (chain, file, path) in
        [("iota", "iota_rebased.json", "m/44'/4218'/0'/0'/0'"), ("sui", "sui.json", "m/44'/784'/0'/0'/0'")]
    {
        for case in vectors(file)["cases"].as_array().expect("cases") {
            let stdin = format!("{}\n", s(&case["mnemonic"]));
            let out = coffer(&["address", "--chain", chain, "--mnemonic-file", "-", "--json"], stdin.as_bytes()).ok();
            let v = out.json();
            assert_eq!(v.as_array().expect("array").len(), 1);
            assert_eq!(v[0]["chain"], chain);
            assert_eq!(v[0]["path"], path);
            assert_eq!(v[0]["address"], case["address"]);
            assert_eq!(v[0]["public_key"], case["public_key_hex"]);
            assert_eq!(v[0]["account"], 0);
            assert_eq!(v[0]["index"], 0);
        }
    }
}

#[test]
fn stellar_sep5_with_count_and_passphrase() {
    let dir = TempDir::new("sep5");
    for t in vectors("stellar_sep5.json").as_array().expect("tests") {
        let file = dir.file("m.txt", format!("{}\n{}\n", s(&t["mnemonic"]), s(&t["passphrase"])).as_bytes());
        let out = coffer(&["address", "--chain", "stellar", "--count", "10", "--mnemonic-file", &file, "--json"], b"")
            .ok()
            .json();
        let keys = t["keys"].as_array().expect("keys");
        assert_eq!(out.as_array().expect("array").len(), keys.len());
        for (i, (got, want)) in out.as_array().expect("array").iter().zip(keys).enumerate() {
            assert_eq!(got["path"], want["path"]);
            assert_eq!(got["address"], want["public_key"], "{} account {i}", t["name"]);
            assert_eq!(got["account"], i);
            assert!(got["index"].is_null());
        }
    }
}

#[test]
fn solana_accounts_and_table_output() {
    let v = vectors("solana.json");
    let stdin = format!("{}\n", s(&v["mnemonic"]));
    let out = coffer(&["address", "--chain", "solana", "--count", "3", "--mnemonic-file", "-"], stdin.as_bytes()).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(lines[0].starts_with("PATH") && lines[0].contains("ADDRESS"));
    for (line, key) in lines[1..].iter().zip(v["keys"].as_array().expect("keys")) {
        assert!(line.starts_with(s(&key["path"])), "{line}");
        assert!(line.ends_with(s(&key["address_base58"])), "{line}");
    }
}

#[test]
fn stardust_and_index_range() {
    let v = vectors("iota_stardust.json");
    let case = &v["vectors"][0];
    let stdin = format!("{}\n", s(&case["mnemonic"]));
    let out = coffer(
        &["address", "--chain", "iota-stardust", "--index", "0", "--count", "2", "--mnemonic-file", "-", "--json"],
        stdin.as_bytes(),
    )
    .ok()
    .json();
    assert_eq!(out[0]["address"], case["bech32_address"]);
    assert_eq!(out[1]["path"], "m/44'/4218'/0'/0'/1'");
    assert_eq!(out[1]["index"], 1);
}

#[test]
fn raw_path_shows_public_key() {
    let v = vectors("iota_rebased.json");
    let case = &v["cases"][0];
    let stdin = format!("{}\n", s(&case["mnemonic"]));
    let out = coffer(
        &["address", "--chain", "raw", "--path", "m/44h/4218h/0h/0h/0h", "--mnemonic-file", "-", "--json"],
        stdin.as_bytes(),
    )
    .ok()
    .json();
    assert_eq!(out[0]["public_key"], case["public_key_hex"]);
    assert_eq!(out[0]["address"], case["public_key_hex"]);
    assert_eq!(out[0]["path"], "m/44'/4218'/0'/0'/0'");
}

const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n";

#[test]
fn bad_input_is_a_clear_error_with_exit_code_3() {
    let three_lines = format!("{ABOUT}pass\nthird line\n");
    let cases: &[(&[&str], &[u8], &str, &str)] = &[
        (&["--chain", "bitcoin"], ABOUT.as_bytes(), "unknown_chain", "unknown chain"),
        (
            &["--chain", "iota"],
            b"abandon abandon abandon abandno abandon abandon abandon abandon abandon abandon abandon about\n",
            "unknown_word",
            "word 4",
        ),
        (
            &["--chain", "iota"],
            b"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon\n",
            "invalid_checksum",
            "checksum",
        ),
        (&["--chain", "iota"], b"abandon abandon about\n", "bad_word_count", "has 3"),
        (&["--chain", "iota"], b"", "invalid_mnemonic", "empty"),
        (&["--chain", "iota"], b"\xff\xfe\xfd\n", "invalid_encoding", "UTF-8"),
        (&["--chain", "iota"], &[b'a'; 5000], "input_too_long", "too long"),
        (&["--chain", "iota", "--path", "m/44'/4218'/0'/0/0'"], ABOUT.as_bytes(), "invalid_path", "not hardened"),
        (&["--chain", "iota", "--path", "44'/0'"], ABOUT.as_bytes(), "invalid_path", "starts with"),
        (&["--chain", "iota", "--path", "m/abc'"], ABOUT.as_bytes(), "invalid_path", "not a number"),
        (&["--chain", "raw"], ABOUT.as_bytes(), "invalid_chain_argument", "--path"),
        (&["--chain", "solana", "--index", "1"], ABOUT.as_bytes(), "invalid_index", "no address index"),
        (&["--chain", "iota", "--count", "0"], ABOUT.as_bytes(), "invalid_count", "--count"),
        (&["--chain", "iota", "--count", "1001"], ABOUT.as_bytes(), "invalid_count", "--count"),
        (&["--chain", "iota", "--index", "2147483647", "--count", "2"], ABOUT.as_bytes(), "invalid_account", "below"),
        (&["--chain", "iota", "--path", "m/0'", "--count", "2"], ABOUT.as_bytes(), "conflicting_arguments", "--path"),
        (&["--chain", "iota"], three_lines.as_bytes(), "invalid_mnemonic_file", "two lines"),
    ];
    for (extra, stdin, kind, needle) in cases {
        let mut args = vec!["address"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--mnemonic-file", "-", "--json"]);
        let run = coffer(&args, stdin).fails_with(3);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let err = run.error_json();
        assert_eq!(err["error"]["kind"], *kind, "{args:?}: {}", run.stderr);
        assert_eq!(err["error"]["code"], 3);
        assert!(err["error"]["message"].as_str().expect("message").contains(needle), "{args:?}: {}", run.stderr);
        // Without --json the same error is one readable line.
        args.retain(|a| *a != "--json");
        let plain = coffer(&args, stdin).fails_with(3);
        assert!(plain.stderr.starts_with("coffer: "), "{}", plain.stderr);
        assert_eq!(plain.stderr.trim().lines().count(), 1, "{}", plain.stderr);
    }
}

#[test]
fn typed_word_is_not_echoed_and_suggestions_are() {
    let run = coffer(
        &["address", "--chain", "iota", "--mnemonic-file", "-"],
        b"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot\n",
    )
    .fails_with(3);
    assert!(run.stderr.contains("word 12"), "{}", run.stderr);
    assert!(run.stderr.contains("about"), "{}", run.stderr);
    assert!(!run.stderr.contains("abuot"), "{}", run.stderr);
}

#[test]
fn missing_file_and_usage_errors() {
    coffer(&["address", "--chain", "iota", "--mnemonic-file", "/nonexistent/coffer-test"], b"").fails_with(1);
    // Secrets are never arguments: there is no flag that takes a mnemonic.
    coffer(&["address", "--chain", "iota", "--mnemonic", "abandon"], b"").fails_with(2);
    coffer(&["address", "--chain", "iota"], b"").fails_with(2);
    coffer(&["address", "--chain", "iota", "--account", "-1", "--mnemonic-file", "-"], ABOUT.as_bytes()).fails_with(2);
}

#[test]
fn passphrase_changes_the_seed_and_crlf_is_accepted() {
    let plain = coffer(&["address", "--chain", "sui", "--mnemonic-file", "-", "--json"], ABOUT.as_bytes()).ok().json();
    let crlf = coffer(
        &["address", "--chain", "sui", "--mnemonic-file", "-", "--json"],
        ABOUT.replace('\n', "\r\n").as_bytes(),
    )
    .ok()
    .json();
    assert_eq!(plain, crlf);
    let with_pass =
        coffer(&["address", "--chain", "sui", "--mnemonic-file", "-", "--json"], format!("{ABOUT}TREZOR\n").as_bytes())
            .ok()
            .json();
    assert_ne!(plain[0]["address"], with_pass[0]["address"]);
}
