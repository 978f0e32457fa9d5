//! After a lock, no secret is left in the process's memory.
//!
//! A child process (this test binary, re-run with an environment variable) opens a vault, signs with its seed,
//! and locks (drops) the vault. The parent then reads every readable mapping of the child through
//! `/proc/PID/mem` and searches it for the seed's entropy, the BIP39 seed, the mnemonic text and the signing key.
//! Needs permission to read another process's memory: the parent is the child's parent (Yama scope 1 allows it)
//! or root (as in CI).

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use coffer_core::secret::SecretString;
use coffer_core::sign::{self, Blind, Payload, SignRequest};
use coffer_core::vault::{KdfParams, Vault};
use coffer_core::{AccountIndex, AddressIndex, Chain, Mnemonic, WordCount};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;

const CHILD_ENV: &str = "COFFER_MEMORY_CHILD_VAULT";
const PASSWORD: &str = "memory test password";

fn password() -> SecretString {
    SecretString::from(PASSWORD.to_owned())
}

/// The child: unlock, sign, lock, then report and wait to be inspected.
#[test]
fn memory_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else { return };
    {
        let mut vault = Vault::open(PathBuf::from(path), &password()).unwrap();
        let request = SignRequest::new(Chain::Sui, Payload::Message(b"memory test message".to_vec()));
        let decoded = sign::decode(&request).unwrap();
        let signed = vault.sign("main", &decoded, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
        std::hint::black_box(&signed);
        let account = vault.account("main", Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        std::hint::black_box(&account);
        let mut out = std::io::stdout().lock();
        writeln!(out, "UNLOCKED").unwrap();
        out.flush().unwrap();
        drop(out);
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).unwrap();
        // Lock: the vault and everything decrypted with it are dropped here.
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "LOCKED").unwrap();
    out.flush().unwrap();
    drop(out);
    // Wait until the parent closes our stdin.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}

/// SLIP-0010 ed25519 private key at hardened `path` (test-only reimplementation, to know what to look for).
fn slip10(seed: &[u8], path: &[u32]) -> [u8; 32] {
    let mac = |key: &[u8], parts: &[&[u8]]| {
        let mut m = <Hmac<Sha512> as KeyInit>::new_from_slice(key).unwrap();
        for p in parts {
            m.update(p);
        }
        let out = m.finalize().into_bytes();
        let mut k = [0u8; 32];
        let mut c = [0u8; 32];
        k.copy_from_slice(&out[..32]);
        c.copy_from_slice(&out[32..]);
        (k, c)
    };
    let (mut k, mut c) = mac(b"ed25519 seed", &[seed]);
    for &i in path {
        (k, c) = mac(&c, &[&[0], &k, &(i | 0x8000_0000).to_be_bytes()]);
    }
    k
}

/// Whether `needle` (at least 16 bytes) occurs in `haystack`. Compares 8-byte words first: this runs over hundreds
/// of megabytes in an unoptimised test build.
fn find(haystack: &[u8], needle: &[u8]) -> bool {
    let head = u64::from_ne_bytes(needle[..8].try_into().unwrap());
    let last = haystack.len().saturating_sub(needle.len());
    let mut i = 0;
    while i <= last {
        if u64::from_ne_bytes(haystack[i..i + 8].try_into().unwrap()) == head
            && &haystack[i..i + needle.len()] == needle
        {
            return true;
        }
        i += 1;
    }
    false
}

#[test]
fn no_secret_survives_a_lock() {
    let dir = coffer_test_util::TempDir::new("memory");
    let path = dir.join("v.coffer");
    // A fresh mnemonic, so no needle can be in the binary or the environment by chance.
    let mnemonic = Mnemonic::generate(WordCount::Words24).unwrap();
    {
        let mut v = Vault::create(&path, &password(), KdfParams::insecure_for_tests()).unwrap();
        v.add_seed("main", &mnemonic, "").unwrap();
    }
    let phrase = mnemonic.phrase().expose().to_owned();
    let entropy = mnemonic.entropy().expose().to_vec();
    let mut seed = [0u8; 64];
    pbkdf2::pbkdf2_hmac::<Sha512>(phrase.as_bytes(), b"mnemonic", 2048, &mut seed);
    let sui_key = slip10(&seed, &[44, 784, 0, 0, 0]);
    let iota_key = slip10(&seed, &[44, 4218, 0, 0, 0]);
    let needles: Vec<(&str, Vec<u8>)> = vec![
        ("mnemonic text", phrase.as_bytes().to_vec()),
        ("entropy", entropy),
        ("bip39 seed", seed.to_vec()),
        ("sui signing key", sui_key.to_vec()),
        ("iota key", iota_key.to_vec()),
    ];
    drop(mnemonic);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "memory_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // libtest prints "test memory_child ... " without a newline before the child's own output.
    let ready = lines.by_ref().map_while(Result::ok).any(|l| l.trim_end().ends_with("UNLOCKED"));
    assert!(ready, "the child did not unlock");

    // While unlocked, the scan must see the vault's secrets (proof that it looks in the right places).
    let (found_unlocked, _) = scan(pid, &needles);
    assert!(
        found_unlocked.iter().any(|f| f.starts_with("entropy")),
        "the scan does not see the unlocked vault's entropy: {found_unlocked:?}"
    );
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "lock").unwrap();
    stdin.flush().unwrap();
    let locked = lines.by_ref().map_while(Result::ok).any(|l| l.trim_end().ends_with("LOCKED"));
    assert!(locked, "the child did not lock");
    let (found, scanned) = scan(pid, &needles);
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    assert!(scanned > 1 << 20, "scanned only {scanned} bytes");
    assert!(found.is_empty(), "secrets left in memory after the lock:\n{}", found.join("\n"));
}

/// Searches every readable, non-file mapping of process `pid` for the needles; returns what was found where, and
/// how many bytes were scanned.
fn scan(pid: u32, needles: &[(&str, Vec<u8>)]) -> (Vec<String>, usize) {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mem =
        std::fs::File::open(format!("/proc/{pid}/mem")).expect("read the child's memory (run as its parent or root)");
    let mut found = Vec::new();
    let mut scanned = 0usize;
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else { continue };
        let name = parts.nth(3).unwrap_or("[anon]");
        if !perms.starts_with('r') || name == "[vvar]" || name == "[vsyscall]" {
            continue;
        }
        // Mapped files (the binary, libraries) cannot hold secrets that exist only at run time.
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

#[test]
fn the_scan_finds_a_live_secret() {
    // The scanner must see a secret that is still held: the same search over our own memory finds a live buffer.
    let secret: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
    let held = std::hint::black_box(secret.clone());
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let mem = std::fs::File::open("/proc/self/mem").unwrap();
    let mut seen = false;
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else { continue };
        if !perms.starts_with("rw") {
            continue;
        }
        let (start, end) = range.split_once('-').unwrap();
        let (start, end) = (u64::from_str_radix(start, 16).unwrap(), u64::from_str_radix(end, 16).unwrap());
        let mut buf = vec![0u8; usize::try_from(end - start).unwrap()];
        if mem.read_exact_at(&mut buf, start).is_ok() && find(&buf, &held) {
            seen = true;
        }
    }
    assert!(seen);
}
