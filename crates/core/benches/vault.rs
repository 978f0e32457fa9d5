//! Vault benchmarks (plain `std::time::Instant`, no harness): `cargo bench -p coffer-core --bench vault`.
//!
//! - unlock time of a vault with the calibrated policy parameters, next to raw Argon2id at the same parameters in
//!   the same run, and their ratio (goal: at most 1.1 — everything besides the KDF must be noise);
//! - the save time of a vault holding 20 seeds (no KDF: a save re-encrypts under the same vault key).
//!
//! Each figure is the median of several runs, interleaved so that machine noise hits both sides alike.

// A benchmark reports on standard output and may simply fail loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant};

use coffer_core::secret::SecretString;
use coffer_core::vault::{KdfParams, Vault};
use coffer_core::{Mnemonic, WordCount};

const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn raw_argon2(params: &KdfParams, password: &[u8]) -> Duration {
    let p = argon2::Params::new(params.memory_kib(), params.passes(), params.lanes(), Some(32)).unwrap();
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = [0u8; 32];
    let start = Instant::now();
    a.hash_password_into(password, &[7u8; 32], &mut out).unwrap();
    start.elapsed()
}

fn main() {
    let dir = std::env::temp_dir().join(format!("coffer-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let password = SecretString::from("benchmark password".to_owned());

    let t = Instant::now();
    let params = KdfParams::calibrate(Duration::from_secs(1)).unwrap();
    println!(
        "calibrated for 1 s in {:.2?}: {} KiB, {} passes, {} lanes",
        t.elapsed(),
        params.memory_kib(),
        params.passes(),
        params.lanes()
    );

    let path = dir.join("unlock.coffer");
    let mut v = Vault::create(&path, &password, params).unwrap();
    v.add_generated_seed("main", WordCount::Words24).unwrap();
    drop(v);

    let (mut unlock, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let start = Instant::now();
        let v = Vault::open(&path, &password).unwrap();
        unlock.push(start.elapsed());
        drop(v);
        raw.push(raw_argon2(&params, password.expose().as_bytes()));
    }
    let (unlock, raw) = (median(unlock), median(raw));
    println!(
        "unlock: {unlock:.3?}   raw argon2id: {raw:.3?}   ratio: {:.3} (goal <= 1.1)",
        unlock.as_secs_f64() / raw.as_secs_f64()
    );

    let path = dir.join("save.coffer");
    let mut v = Vault::create(&path, &password, KdfParams::policy_minimum()).unwrap();
    for i in 0..20 {
        let m = Mnemonic::generate(WordCount::Words24).unwrap();
        v.add_seed(&format!("seed {i}"), &m, if i % 2 == 0 { "" } else { "passphrase" }).unwrap();
    }
    let mut saves = Vec::new();
    for _ in 0..RUNS * 4 {
        let start = Instant::now();
        v.save().unwrap();
        saves.push(start.elapsed());
    }
    let size = std::fs::metadata(&path).unwrap().len();
    println!("save, 20 seeds ({size} bytes, fsync included): {:.3?}", median(saves));
    drop(v);
    let _ = std::fs::remove_dir_all(&dir);
}
