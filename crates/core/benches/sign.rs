//! Signing through the core API next to raw ed25519-dalek, in the same run.
//!
//! `cargo bench -p coffer-core --bench sign` (`COFFER_BENCH_N` sets the iterations, default 5000). Under
//! `cargo test --benches` it runs a few iterations only, as a smoke test.
//!
//! For each chain it times, per signature:
//! - `raw`: ed25519-dalek signing the same digest/message with an already expanded key (the floor);
//! - `signer`: `Signer::sign` of an already decoded request (key derived once, as for a batch after one unlock):
//!   consent and signer checks, signing, encoding the signed transaction, the summary copy;
//! - `decode+sign`: `sign::decode` of the text input, then `Signer::sign` (what `coffer sign --batch` does per
//!   line).
//!
//! The ratio is raw time / core time (goal: `signer` ≥ 90 %).

use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use coffer_core::chain::{AccountIndex, AddressIndex, Chain};
use coffer_core::mnemonic::Mnemonic;
use coffer_core::sign::{self, Blind, Network, Payload, SignRequest, Signer};
use ed25519_dalek::Signer as _;

const MNEMONIC: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle \
                        pistol arm wife phrase warfare march wheat nephew ask sunny firm";

const ROUNDS: u32 = 50;

fn time(n: u32, mut f: impl FnMut()) -> f64 {
    let n = n.max(1);
    for _ in 0..n.min(20) {
        f();
    }
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(n)
}

/// An unsigned transaction for `signer` on `chain`, in the chain's text form.
fn transaction(chain: Chain, signer: &Signer) -> (String, Option<Network>) {
    let pk = signer.public_key().0;
    match chain {
        Chain::Iota | Chain::Sui => {
            let sender = match chain {
                Chain::Iota => coffer_core::chain::iota::address_bytes(&signer.public_key()),
                _ => coffer_core::chain::sui::address_bytes(&signer.public_key()),
            };
            // SplitCoins(GasCoin, [1000]) then TransferObjects([Result 0], 0xab..ab).
            let mut b = vec![0u8, 0, 2, 0, 8];
            b.extend(1000u64.to_le_bytes());
            b.extend([0, 32]);
            b.extend([0xab; 32]);
            b.extend([2, 2, 0, 1, 1, 0, 0, 1, 1, 2, 0, 0, 1, 1, 0]);
            b.extend(sender);
            b.push(1);
            b.extend([5u8; 32]);
            b.extend(7u64.to_le_bytes());
            b.push(32);
            b.extend([6u8; 32]);
            b.extend(sender);
            b.extend(1000u64.to_le_bytes());
            b.extend(5_000_000u64.to_le_bytes());
            b.push(0);
            (BASE64.encode(b), None)
        }
        Chain::Solana => {
            // Legacy System transfer of 1000 lamports.
            let mut m = vec![1u8, 0, 1, 3];
            m.extend(pk);
            m.extend([0xe7; 32]);
            m.extend([0u8; 32]);
            m.extend([0x11; 32]);
            m.extend([1, 2, 2, 0, 1, 12, 2, 0, 0, 0]);
            m.extend(1000u64.to_le_bytes());
            (BASE64.encode(m), None)
        }
        _ => {
            // ACCOUNT_MERGE, PRECOND_NONE, MEMO_NONE, no signatures.
            let mut e = vec![0u8, 0, 0, 2, 0, 0, 0, 0];
            e.extend(pk);
            e.extend([0, 0, 0, 100]);
            e.extend(1234u64.to_be_bytes());
            e.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0]);
            e.extend([0x41; 32]);
            e.extend([0, 0, 0, 0, 0, 0, 0, 0]);
            (BASE64.encode(e), Some(Network::Testnet))
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bench = std::env::args().any(|a| a == "--bench");
    let n: u32 =
        if bench { std::env::var("COFFER_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(5000) } else { 20 };
    let seed = Mnemonic::parse(MNEMONIC)?.to_seed("");
    println!("{n} signatures per measurement ({} build)", if cfg!(debug_assertions) { "debug" } else { "release" });
    println!("{:<8} {:>10} {:>10} {:>7} {:>12} {:>7}", "chain", "raw µs", "signer µs", "ratio", "decode+sign", "ratio");
    let mut worst: f64 = 1.0;
    for chain in [Chain::Iota, Chain::Sui, Chain::Solana, Chain::Stellar] {
        let signer = Signer::at(&seed, chain, AccountIndex::ZERO, AddressIndex::ZERO)?;
        let (text, network) = transaction(chain, &signer);
        let mut request = SignRequest::new(chain, Payload::Transaction(text));
        request.network = network;
        let decoded = sign::decode(&request)?;
        let signed = signer.sign(&decoded, Blind::Refuse)?;
        // The raw baseline signs exactly what the core signs: the digest (IOTA, Sui, Stellar) or the message (Solana).
        let message: Vec<u8> = match chain {
            Chain::Solana => BASE64.decode(request_text(&request)).unwrap_or_default(),
            _ => signed.digest.clone(),
        };
        // A stand-in raw key: the same curve operation count as the derived key.
        let raw_key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        // Alternate the three measurements over several rounds and keep each one's best round, so that load from
        // other processes does not favour one side.
        let (mut raw, mut core, mut full) = (f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..ROUNDS {
            raw = raw.min(time(n / ROUNDS, || {
                black_box(raw_key.sign(black_box(&message)));
            }));
            core = core.min(time(n / ROUNDS, || {
                black_box(signer.sign(black_box(&decoded), Blind::Refuse).ok());
            }));
            full = full.min(time(n / ROUNDS, || {
                let d = sign::decode(black_box(&request)).ok();
                black_box(d.and_then(|d| signer.sign(&d, Blind::Refuse).ok()));
            }));
        }
        worst = worst.min(raw / core);
        println!(
            "{:<8} {:>10.2} {:>10.2} {:>6.1}% {:>12.2} {:>6.1}%",
            chain.name(),
            raw * 1e6,
            core * 1e6,
            100.0 * raw / core,
            full * 1e6,
            100.0 * raw / full
        );
    }
    println!("lowest signer ratio: {:.1}% (goal ≥ 90%)", 100.0 * worst);
    batch(bench)?;
    Ok(())
}

/// `coffer sign --batch` for 1000 transactions: after one unlock, decode every line, then `Vault::sign_batch`
/// (one key derivation, 1000 signatures, 1000 log entries, one atomic save), next to 1000 raw ed25519 signatures.
/// The unlock itself (Argon2) is excluded: it is measured by the vault benchmark.
fn batch(bench: bool) -> Result<(), Box<dyn std::error::Error>> {
    use coffer_core::secret::SecretString;
    use coffer_core::vault::{KdfParams, Vault};

    let n = if bench { 1000 } else { 20 };
    let dir = std::env::temp_dir().join(format!("coffer-bench-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let password = SecretString::from("bench".to_owned());
    let mut vault = Vault::create(dir.join("v.coffer"), &password, KdfParams::insecure_for_tests())?;
    vault.add_seed("main", &Mnemonic::parse(MNEMONIC)?, "")?;
    let seed = Mnemonic::parse(MNEMONIC)?.to_seed("");
    let signer = Signer::at(&seed, Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO)?;
    let (text, _) = transaction(Chain::Solana, &signer);
    let lines: Vec<String> = (0..n).map(|_| text.clone()).collect();
    let raw_key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let start = Instant::now();
    for line in &lines {
        black_box(raw_key.sign(black_box(line.as_bytes())));
    }
    let raw = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let decoded = lines
        .iter()
        .map(|l| sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(l.clone()))))
        .collect::<Result<Vec<_>, _>>()?;
    let signed = vault.sign_batch("main", &decoded, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse)?;
    let total = start.elapsed().as_secs_f64();
    black_box(&signed);
    drop(vault);
    std::fs::remove_dir_all(&dir)?;
    println!(
        "batch of {n}: {:.0} tx/s through Vault::sign_batch (decode, sign, log, save) vs {:.0} raw signatures/s: {:.1}%",
        f64::from(n) / total,
        f64::from(n) / raw,
        100.0 * raw / total
    );
    Ok(())
}

fn request_text(request: &SignRequest) -> &str {
    match &request.payload {
        Payload::Transaction(t) => t,
        _ => "",
    }
}
