//! Bad input from a security review: spoofing labels, a mnemonic split over two lines, argument errors under
//! `--json`, flags accepted with one value and refused with another, terminal escapes in file names, and what a
//! failed command leaves behind.

use std::path::Path;

use crate::common::{ABOUT, FLOOR, TempDir, TestVault, coffer};

const PASSWORD: &[u8] = b"correct horse battery staple\n";

/// Twelve list words whose checksum happens to be valid: with ABOUT on the first line they read as a 12-word
/// mnemonic plus a "passphrase" of 12 words.
const SECOND_HALF: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

fn kind(run: &crate::common::Run) -> String {
    run.error_json()["error"]["kind"].as_str().expect("kind").to_owned()
}

#[test]
fn a_mnemonic_on_two_lines_is_refused_unless_the_passphrase_is_meant() {
    let dir = TempDir::new("twolines");
    let file = dir.file("words.txt", format!("{ABOUT}\n{SECOND_HALF}\n").as_bytes());
    for args in [
        vec!["mnemonic", "check", "--mnemonic-file", &file, "--json"],
        vec!["address", "--chain", "sui", "--mnemonic-file", &file, "--json"],
    ] {
        let run = coffer(&args, b"").fails_with(3);
        assert_eq!(kind(&run), "passphrase_looks_like_words", "{args:?}");
        let message = run.error_json()["error"]["message"].as_str().expect("message").to_owned();
        assert!(message.contains("first line") && message.contains("--passphrase-is-words"), "{message}");
        assert!(!run.stderr.contains("legal") && !run.stderr.contains("abandon"), "never echo the words");
        assert!(run.stdout.is_empty());
    }
    // Three words are enough; two are not; words outside the list are an ordinary passphrase.
    for (passphrase, refused) in [("legal winner thank", true), ("legal winner", false), ("TREZOR", false)] {
        let f = dir.file("p.txt", format!("{ABOUT}\n{passphrase}\n").as_bytes());
        let run = coffer(&["mnemonic", "check", "--mnemonic-file", &f, "--json"], b"");
        assert_eq!(run.code, if refused { 3 } else { 0 }, "{passphrase}: {}", run.stderr);
    }
    // Asked for, it is a passphrase: another wallet than the words alone.
    let with = coffer(&["address", "--chain", "sui", "--mnemonic-file", &file, "--passphrase-is-words", "--json"], b"")
        .ok()
        .json();
    let without =
        coffer(&["address", "--chain", "sui", "--mnemonic-file", "-", "--json"], format!("{ABOUT}\n").as_bytes())
            .ok()
            .json();
    assert_ne!(with[0]["address"], without[0]["address"]);
    // init refuses it before creating anything.
    let v = TestVault::new("twolines-init", PASSWORD);
    let mut args = vec!["init", "--import-mnemonic-file", &file];
    args.extend_from_slice(&FLOOR);
    let run = v.run(&args, b"").fails_with(3);
    assert_eq!(kind(&run), "passphrase_looks_like_words");
    assert!(!Path::new(&v.vault).exists());
}

#[test]
fn seed_verify_mismatch_prints_nothing_on_stdout() {
    let v = TestVault::new("verify-stdout", PASSWORD);
    v.import("main", ABOUT, "");
    let run = v.run(&["seed", "verify", "main", "--mnemonic-file", "-"], format!("{ABOUT}\nTREZOR\n").as_bytes());
    let run = run.fails_with(3);
    assert_eq!(kind(&run), "mnemonic_mismatch");
    assert_eq!(run.stdout, "", "an error prints nothing on standard output");
}

#[test]
fn a_directory_at_the_vault_path_is_not_a_vault() {
    let dir = TempDir::new("vaultdir");
    let vault = dir.path().join("vault.coffer");
    std::fs::create_dir(&vault).expect("mkdir");
    let vault = vault.to_str().expect("utf-8");
    let pw = dir.file("pw", PASSWORD);
    for args in [vec!["info"], vec!["seed", "list"]] {
        let mut all = vec!["--vault", vault, "--password-file", &pw, "--json"];
        all.extend_from_slice(&args);
        let run = coffer(&all, b"").fails_with(5);
        assert_eq!(kind(&run), "not_a_vault", "{args:?}");
        assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
    }
}

#[test]
fn argument_errors_are_json_with_json() {
    for args in [
        vec!["--json", "address", "--bogus"],
        vec!["address", "--json"],
        vec!["seed", "list", "--json", "--vault"],
        vec!["--json", "frobnicate"],
    ] {
        let run = coffer(&args, b"").fails_with(2);
        let e = run.error_json();
        assert_eq!(e["error"]["kind"], "usage", "{args:?}");
        assert_eq!(e["error"]["code"], 2);
        assert!(!e["error"]["message"].as_str().expect("message").is_empty());
        assert!(run.stdout.is_empty());
    }
    let run = coffer(&["address", "--json"], b"").fails_with(2);
    let message = run.error_json()["error"]["message"].as_str().expect("message").to_owned();
    assert!(message.contains("--chain") && !message.contains("Usage:"), "{message}");
    // Without --json the parser's own text; help is still help.
    let run = coffer(&["address", "--bogus"], b"").fails_with(2);
    assert!(run.stderr.contains("error:") && run.stderr.contains("--bogus"), "{}", run.stderr);
    let run = coffer(&["--json", "address", "--help"], b"").ok();
    assert!(run.stdout.contains("--chain"));
}

#[test]
fn index_zero_for_chains_without_an_index_is_refused_like_any_index() {
    let m = format!("{ABOUT}\n");
    for chain in ["solana", "stellar"] {
        for index in ["0", "1"] {
            let args = ["address", "--chain", chain, "--index", index, "--mnemonic-file", "-", "--json"];
            let run = coffer(&args, m.as_bytes()).fails_with(3);
            assert_eq!(kind(&run), "invalid_index", "{chain} --index {index}");
        }
        let args = ["sign", "--chain", chain, "--seed", "main", "--index", "0", "--tx-file", "nope", "--json"];
        let run = coffer(&args, b"").fails_with(3);
        assert_eq!(kind(&run), "invalid_index", "sign {chain}");
    }
}

#[test]
fn path_with_any_account_or_count_is_refused() {
    let m = format!("{ABOUT}\n");
    let path = "m/44'/4218'/0'/0'/0'";
    for extra in [["--account", "0"], ["--account", "2"], ["--count", "1"], ["--count", "2"], ["--index", "0"]] {
        let mut args = vec!["address", "--chain", "iota", "--path", path, "--mnemonic-file", "-", "--json"];
        args.extend_from_slice(&extra);
        let run = coffer(&args, m.as_bytes()).fails_with(3);
        assert_eq!(kind(&run), "conflicting_arguments", "{extra:?}");
    }
    coffer(&["address", "--chain", "iota", "--path", path, "--mnemonic-file", "-", "--json"], m.as_bytes()).ok();
    for account in ["0", "3"] {
        let args = [
            "sign",
            "--chain",
            "sui",
            "--seed",
            "main",
            "--path",
            path,
            "--account",
            account,
            "--tx-file",
            "x",
            "--json",
        ];
        let run = coffer(&args, b"").fails_with(3);
        assert_eq!(kind(&run), "conflicting_arguments", "sign --account {account}");
    }
}

#[test]
fn network_for_a_chain_without_networks_is_refused() {
    for chain in ["iota", "sui", "solana", "raw"] {
        let args = ["sign", "--chain", chain, "--seed", "main", "--tx-file", "x", "--network", "public", "--json"];
        let run = coffer(&args, b"").fails_with(3);
        assert_eq!(kind(&run), "conflicting_arguments", "sign {chain}");
        assert!(run.error_json()["error"]["message"].as_str().expect("m").contains("--network"));
    }
    let args =
        ["migrate", "sweep", "--from", "old", "--chain", "solana", "--balance", "10", "--network", "testnet", "--json"];
    let run = coffer(&args, b"").fails_with(3);
    assert_eq!(kind(&run), "conflicting_arguments");
}

#[test]
fn escape_sequences_in_file_names_are_escaped() {
    let dir = TempDir::new("escapes");
    let evil = dir.path().join("x\u{1b}]0;owned\u{7}\u{1b}[2J\u{202E}txt.sgnik");
    let evil = evil.to_str().expect("utf-8");
    // Text errors.
    let run = coffer(&["address", "--chain", "sui", "--mnemonic-file", evil], b"").fails_with(1);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\u{202E}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("\\u{001B}]0;owned"), "{:?}", run.stderr);
    // JSON errors: escaped inside the string, exact once parsed.
    let run = coffer(&["address", "--chain", "sui", "--mnemonic-file", evil, "--json"], b"").fails_with(1);
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{202E}'), "{:?}", run.stderr);
    assert!(run.error_json()["error"]["message"].as_str().expect("m").contains(evil));
    // Normal output naming such a path.
    let sub = dir.path().join("vault\u{1b}[31m");
    std::fs::create_dir(&sub).expect("mkdir");
    let vault = sub.join("v.coffer");
    let vault = vault.to_str().expect("utf-8");
    let pw = dir.file("pw", PASSWORD);
    let mut args = vec!["--vault", vault, "--password-file", &pw, "init", "--import-mnemonic-file", "-"];
    args.extend_from_slice(&FLOOR);
    let run = coffer(&args, format!("{ABOUT}\n").as_bytes()).ok();
    assert!(run.stdout.contains("vault\\u{001B}[31m") && !run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    let run = coffer(&["--vault", vault, "info"], b"").ok();
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}

#[test]
fn passwd_without_a_new_password_names_its_flag() {
    let v = TestVault::new("passwd-flag", PASSWORD);
    v.import("main", ABOUT, "");
    let mut args = vec!["passwd"];
    args.extend_from_slice(&FLOOR);
    let run = v.run(&args, b"").fails_with(2);
    assert_eq!(kind(&run), "password_required");
    let message = run.error_json()["error"]["message"].as_str().expect("m").to_owned();
    assert!(message.contains("--new-password-file"), "{message}");
}

#[test]
fn a_failed_init_leaves_no_directory_behind() {
    let dir = TempDir::new("init-dir");
    let pw = dir.file("pw", PASSWORD);
    let top = dir.path().join("new");
    let vault = top.join("sub/vault.coffer");
    let vault = vault.to_str().expect("utf-8");
    let bad_words = "abandon abandon abandon\n".to_owned();
    let cases: [(Vec<&str>, &[u8], i32); 3] = [
        (vec!["init", "--import-mnemonic-file", "-"], bad_words.as_bytes(), 3),
        (vec!["init", "--label", "bad\u{200B}label"], b"", 3),
        (vec!["init", "--kdf-memory-mib", "64", "--kdf-passes", "2"], b"", 3),
    ];
    for (args, stdin, code) in cases {
        let mut all = vec!["--vault", vault, "--password-file", &pw, "--json"];
        all.extend_from_slice(&args);
        coffer(&all, stdin).fails_with(code);
        assert!(!top.exists(), "{args:?} left {} behind", top.display());
    }
    // Without a password source nothing is made either.
    coffer(&["--vault", vault, "--json", "init", "--words", "12"], b"").fails_with(2);
    assert!(!top.exists());
}

#[test]
fn labels_that_hide_or_imitate_are_refused_and_old_ones_shown_escaped() {
    let v = TestVault::new("labels", PASSWORD);
    let run = v
        .run(&["init", "--label", "main\u{202E}", "--import-mnemonic-file", "-"], format!("{ABOUT}\n").as_bytes())
        .fails_with(3);
    assert_eq!(kind(&run), "invalid_label");
    assert!(!Path::new(&v.vault).exists());
    v.import("main", ABOUT, "");
    for (label, expected) in
        [("main\u{200B}", "invalid_label"), ("ma\u{2066}in", "invalid_label"), ("Main", "similar_label")]
    {
        let run = v.run(&["seed", "add", "--label", label, "--words", "12"], b"").fails_with(3);
        assert_eq!(kind(&run), expected, "{label:?}");
        assert!(!run.stderr.contains('\u{200B}') && !run.stderr.contains('\u{2066}'), "{:?}", run.stderr);
    }
    v.run(&["seed", "add", "--label", "spare", "--words", "12"], b"").ok();
    let run = v.run(&["seed", "rename", "spare", "MAIN"], b"").fails_with(3);
    assert_eq!(kind(&run), "similar_label");

    // A vault written when such labels were accepted: opens, and shows them escaped.
    let dir = TempDir::new("legacy");
    let golden = std::fs::read(format!("{}/../../tests/vaults/legacy-labels.coffer", env!("CARGO_MANIFEST_DIR")))
        .expect("golden vault");
    let path = dir.file("legacy.coffer", &golden);
    let pw = dir.file("pw", b"coffer test password\n");
    let list = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list"], b"").ok();
    assert!(list.stdout.contains("main\\u{200B}"), "{}", list.stdout);
    assert!(!list.stdout.contains('\u{200B}'), "{:?}", list.stdout);
    let json = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list", "--json"], b"").ok();
    assert!(json.stdout.contains("main\\u200b") && !json.stdout.contains('\u{200B}'), "{}", json.stdout);
    assert_eq!(json.json()[1]["label"], "main\u{200B}", "the JSON value is exact");
    // It can be renamed away.
    coffer(&["--vault", &path, "--password-file", &pw, "seed", "rename", "main\u{200B}", "other"], b"").ok();
}

/// Runs `coffer ARGS` on a pseudo-terminal (util-linux `script`). Each of `lines` is typed once the output shows
/// its prompt (or after five seconds without it). Returns everything the terminal showed.
fn on_terminal(args: &[&str], lines: &[(&str, &str)]) -> String {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    let command = std::iter::once(env!("CARGO_BIN_EXE_coffer"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("util-linux `script` (gives the command a pseudo-terminal)");
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut out = child.stdout.take().expect("stdout");
    let reader = {
        let shown = Arc::clone(&shown);
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        })
    };
    let mut stdin = child.stdin.take().expect("stdin");
    for (prompt, line) in lines {
        let start = Instant::now();
        while !String::from_utf8_lossy(&shown.lock().expect("lock")).contains(prompt)
            && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        // The prompt is printed just before echo is turned off.
        std::thread::sleep(Duration::from_millis(300));
        // The command may have ended already (then the test's assertions tell).
        let _ = stdin.write_all(format!("{line}\n").as_bytes()).and_then(|()| stdin.flush());
    }
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(stdin);
    reader.join().expect("reader");
    let bytes = shown.lock().expect("lock").clone();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn a_mnemonic_typed_on_a_terminal_is_not_echoed() {
    let shown =
        on_terminal(&["mnemonic", "check", "--mnemonic-file", "-"], &[("Mnemonic", ABOUT), ("passphrase", "TREZOR")]);
    assert!(shown.contains("valid: 12 words"), "{shown:?}");
    assert!(!shown.contains("abandon") && !shown.contains("TREZOR"), "the words were echoed: {shown:?}");
    // A password from - on a terminal is not echoed either.
    let v = TestVault::new("tty-password", PASSWORD);
    v.import("main", ABOUT, "");
    let shown = on_terminal(
        &["--vault", &v.vault, "--password-file", "-", "seed", "list"],
        &[("assword", "correct horse battery staple")],
    );
    assert!(shown.contains("LABEL") && shown.contains("main"), "{shown:?}");
    assert!(!shown.contains("horse"), "the password was echoed: {shown:?}");
}
