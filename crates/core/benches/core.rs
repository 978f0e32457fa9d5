//! `cargo bench -p coffer-core --bench core`: BIP39 seed, SLIP-0010 and address derivation, each printed next to
//! a baseline measured in the same run (ratios, not absolute goals: tests never assert speed).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use coffer_core::{AccountIndex, AddressIndex, Chain, DerivationPath, Mnemonic, derive};

/// Runs `f` repeatedly for about `budget` and returns the mean time per call.
fn measure(budget: Duration, mut f: impl FnMut()) -> Duration {
    // Warm up and estimate.
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget / 10 || n < 3 {
        f();
        n += 1;
    }
    let per = start.elapsed() / n;
    let iters = (budget.as_nanos() / per.as_nanos().max(1)).clamp(10, 1_000_000) as u32;
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed() / iters
}

fn row(name: &str, t: Duration, baseline: Option<(&str, Duration)>) {
    match baseline {
        Some((bname, b)) => println!(
            "{name:<40} {:>12.3} µs   {bname}: {:>10.3} µs   ratio {:.3}",
            t.as_secs_f64() * 1e6,
            b.as_secs_f64() * 1e6,
            t.as_secs_f64() / b.as_secs_f64()
        ),
        None => println!("{name:<40} {:>12.3} µs", t.as_secs_f64() * 1e6),
    }
}

fn main() {
    let budget =
        Duration::from_millis(std::env::var("COFFER_BENCH_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000));
    let words = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                 wife phrase warfare march wheat nephew ask sunny firm";
    let mnemonic = Mnemonic::parse(words).unwrap();
    println!("coffer-core benchmarks (budget {budget:?} per row)");

    // BIP39: mnemonic -> seed against raw PBKDF2-HMAC-SHA512 with 2048 rounds over the same inputs.
    let raw = measure(budget, || {
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(black_box(words.as_bytes()), b"mnemonic", 2048, &mut out);
        black_box(out);
    });
    let seed_t = measure(budget, || {
        black_box(mnemonic.to_seed(black_box("")));
    });
    row("bip39 mnemonic -> seed", seed_t, Some(("raw pbkdf2-sha512 x2048", raw)));

    let seed = mnemonic.to_seed("");
    let path: DerivationPath = "m/44'/4218'/0'/0'/0'".parse().unwrap();
    let master: DerivationPath = "m".parse().unwrap();
    let master_t = measure(budget, || {
        black_box(derive::public_key(&seed, black_box(&master)));
    });
    let five = measure(budget, || {
        black_box(derive::public_key(&seed, black_box(&path)));
    });
    row("slip-0010 5-level derivation + pubkey", five, Some(("master key + pubkey", master_t)));

    for chain in [Chain::Iota, Chain::Sui, Chain::IotaStardust, Chain::Solana, Chain::Stellar] {
        let t = measure(budget, || {
            black_box(chain.account(&seed, AccountIndex::ZERO, black_box(AddressIndex::ZERO)).unwrap());
        });
        row(&format!("address {chain} (derive + encode)"), t, Some(("5-level derivation", five)));
    }
}
