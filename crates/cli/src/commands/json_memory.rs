//! `--json` results that carry a fresh mnemonic (`init`, `migrate start`) must leave no copy of its words in the
//! process's memory. A child (this test binary, re-run with an environment variable) runs the command's report
//! code, prints a marker and waits; the parent reads the child's memory through `/proc/PID/mem` (it is the child's
//! parent, or root) and searches it for the words. The child also holds a live canary, which the scan must find, so
//! a scan that sees nothing cannot pass.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use coffer_core::secret::SecretString;
use coffer_core::vault::{KdfParams, Vault};
use coffer_core::{Mnemonic, WordCount};

use crate::cli::{Global, MigrateStartArgs};

const CHILD_ENV: &str = "COFFER_CLI_JSON_MEMORY_CHILD";
const CANARY: &[u8] = b"canary-still-held-by-the-child-0123456789";
const PASSWORD: &str = "json memory test password";

/// The child's part: `what` is `init` or `migrate`; the vault goes in `dir`.
fn child(what: &str) {
    let Some(dir) = std::env::var_os(CHILD_ENV) else { return };
    let dir = PathBuf::from(dir);
    let path = dir.join("vault.coffer");
    let canary: Vec<u8> = std::hint::black_box(CANARY.to_vec());
    {
        let password = SecretString::from(PASSWORD.to_owned());
        let mut vault = Vault::create(&path, &password, KdfParams::policy_minimum()).unwrap();
        let old = Mnemonic::generate(WordCount::Words12).unwrap();
        let info = vault.add_seed("old", &old, "").unwrap();
        let g = Global { json: true, vault: Some(path.clone()), password_file: None, allow_expensive_kdf: false };
        if what == "init" {
            drop(vault);
            // As `init` prints a fresh seed (here the 12 words just stored).
            super::init::report(&g, "vault.coffer", &info, Some(&old)).unwrap();
        } else {
            let _ = vault.mark_compromised("old").unwrap();
            drop(vault);
            std::fs::write(dir.join("pw"), format!("{PASSWORD}\n")).unwrap();
            let g = Global { password_file: Some(dir.join("pw")), ..g };
            let args = MigrateStartArgs { from: "old".into(), new_label: Some("fresh".into()), words: 24, to: None };
            super::migrate::start(&g, &args).unwrap();
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(b"\nREPORTED\n").unwrap();
    out.flush().unwrap();
    drop(out);
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    std::hint::black_box(&canary);
}

#[test]
fn init_child() {
    child("init");
}

#[test]
fn migrate_child() {
    child("migrate");
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Searches every readable mapping of `pid` that is not a read-only file for each needle.
fn scan(pid: u32, needles: &[(&str, &[u8])]) -> (Vec<String>, usize) {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mem = std::fs::File::open(format!("/proc/{pid}/mem")).expect("read the child's memory");
    let (mut found, mut scanned) = (Vec::new(), 0);
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else { continue };
        let name = parts.nth(3).unwrap_or("[anon]");
        if !perms.starts_with('r') || name == "[vvar]" || name == "[vsyscall]" {
            continue;
        }
        if name.starts_with('/') && !perms.contains('w') {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let (start, end) = (u64::from_str_radix(start, 16).unwrap(), u64::from_str_radix(end, 16).unwrap());
        let mut buf = vec![0u8; usize::try_from(end - start).unwrap()];
        if mem.read_exact_at(&mut buf, start).is_err() {
            continue;
        }
        scanned += buf.len();
        for (what, needle) in needles {
            if find(&buf, needle) {
                found.push(format!("{what} in {name} ({range} {perms})"));
            }
        }
    }
    (found, scanned)
}

/// Runs `test` in a child, takes the mnemonic from its JSON output, and scans the child for it.
fn no_copy_after(test: &str, words: usize) {
    let dir = coffer_test_util::TempDir::new(&format!("cli-json-memory-{test}"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &format!("commands::json_memory::{test}"), "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut printed = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok) {
        if line.trim_end().ends_with("REPORTED") {
            break;
        }
        printed.push_str(&line);
        printed.push('\n');
    }
    let start = printed.find('{').unwrap_or_else(|| panic!("no JSON report: {printed}"));
    let report: serde_json::Value = serde_json::from_str(&printed[start..]).expect("the JSON report");
    let phrase = report["mnemonic"].as_str().expect("the fresh mnemonic").to_owned();
    assert_eq!(phrase.split(' ').count(), words);
    // A freed block's first bytes are overwritten by the allocator: look for the words after the first three.
    let tail: String = phrase.split(' ').skip(3).collect::<Vec<_>>().join(" ");
    let (found, scanned) = scan(pid, &[("canary", CANARY), ("mnemonic", tail.as_bytes())]);
    let _ = child.kill();
    drop(child.stdin.take());
    let _ = child.wait();
    drop(dir);
    assert!(scanned > 1 << 20, "scanned only {scanned} bytes");
    assert!(found.iter().any(|f| f.starts_with("canary")), "the scan does not see live memory: {found:?}");
    let left: Vec<_> = found.iter().filter(|f| f.starts_with("mnemonic")).collect();
    assert!(left.is_empty(), "the mnemonic's words are left in memory after the JSON report:\n{left:?}");
}

#[test]
fn init_json_leaves_no_copy_of_the_words() {
    no_copy_after("init_child", 12);
}

#[test]
fn migrate_start_json_leaves_no_copy_of_the_words() {
    no_copy_after("migrate_child", 24);
}
