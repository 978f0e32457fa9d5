//! Decode, show and sign one transaction per chain, as an application embedding `coffer-core` would.
//!
//! `cargo run -p coffer-core --example sign_transactions`. The transactions were built offline by each chain's own
//! SDK (`tests/interop/core-sign-gen.mjs`) for accounts of the published test mnemonics in `tests/vectors/`; never use
//! those mnemonics for real funds. An application gets the seed from the unlocked vault instead.

use coffer_core::chain::{AccountIndex, AddressIndex, Chain};
use coffer_core::mnemonic::Mnemonic;
use coffer_core::sign::{self, Blind, Network, Payload, SignRequest, Signer};

/// IOTA/Sui test mnemonic (`tests/vectors/sui.json`).
const MOVE_MNEMONIC: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle \
                             pistol arm wife phrase warfare march wheat nephew ask sunny firm";
/// Solana test mnemonic (`tests/vectors/solana.json`).
const SOLANA_MNEMONIC: &str = "neither lonely flavor argue grass remind eye tag avocado spot unusual intact";
/// SEP-0005 test 1 (`tests/vectors/stellar_sep5.json`).
const STELLAR_MNEMONIC: &str = "illness spike retreat truth genius clock brain pass fit cave bargain toe";

/// Sui: split 1234 and 99 MIST off the gas coin, send one part away, keep the other, merge a coin (@mysten/sui).
const SUI_TX: &str = "AAAFAAjSBAAAAAAAAAAIYwAAAAAAAAAAIKurq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urACCi0U+tYMVgSez3UkakgZNG\
     kSFM5BPmqK4v5oNMFzphMwEACQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkDAAAAAAAAACDEmud2A3ggVPF6nezqQ7RE\
     66DtsSxvHTHG4OSoS/BS6wQCAAIBAAABAQABAQMAAAAAAQIAAQEDAAABAAEDAAMAAQEEAKLRT61gxWBJ7PdSRqSBk0aRIUzkE+ao\
     ri/mg0wXOmEzAQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBwAAAAAAAAAgxJrndgN4IFTxep3s6kO0ROug7bEsbx0x\
     xuDkqEvwUuui0U+tYMVgSez3UkakgZNGkSFM5BPmqK4v5oNMFzphM+gDAAAAAAAAQEtMAAAAAAAA";
/// IOTA: the same commands, with gas paid by a sponsor (@iota/iota-sdk).
const IOTA_TX: &str = "AAAFAAjSBAAAAAAAAAAIYwAAAAAAAAAAIKurq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urACCfjlN5Z4Ul7fdo17UH3Bup\
     AW/E8OrJdqt/dAd9lfujEgEACQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkDAAAAAAAAACDEmud2A3ggVPF6nezqQ7RE\
     66DtsSxvHTHG4OSoS/BS6wQCAAIBAAABAQABAQMAAAAAAQIAAQEDAAABAAEDAAMAAQEEAJ+OU3lnhSXt92jXtQfcG6kBb8Tw6sl2\
     q390B32V+6MSAQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBwAAAAAAAAAgxJrndgN4IFTxep3s6kO0ROug7bEsbx0x\
     xuDkqEvwUuurq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq+gDAAAAAAAAQEtMAAAAAAAA";
/// Solana: a v0 durable-nonce transfer of 7 lamports (@solana/web3.js).
const SOLANA_TX: &str = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAQACBEkuf6AN\
     MCIgxYS+FC93bRpZMXqytvBMnwK8P36THaJT5/k6o0HOFEX46C5QCmy2SlUV5RlYnUVcYXwAfZk/Q7EAAAAAAAAAAAAAAAAAAAAA\
     AAAAAAAAAAAAAAAAAAAAAAan1RcZLFaO4IqEX3PSl4jPA1wxRbIas0TYBi6pQAAAxJrndgN4IFTxep3s6kO0ROug7bEsbx0xxuDk\
     qEvwUusCAgMBAwAEBAAAAAICAAEMAgAAAAcAAAAAAAAAAA==";
/// Stellar testnet: payments (one to a muxed account), trust, create account, data, bump sequence and merge, with
/// preconditions v2 and a text memo (@stellar/stellar-base).
const STELLAR_TX: &str = "AAAAAgAAAADjcmgwoLYMtfUshEz/zU7tZeulwVXomyZBFWJyTnHlRAAABtYAAAAAAAAE0gAAAAIAAAABAAAAAAAAAGQAAAAAdzWU\
     AAAAAAEAAAAFAAAAAAAAAAEAAAAAAAAD6AAAAAAAAAAeAAAAAgAAAAAAAAABAAAACmNvZmZlciDinJMAAAAAAAcAAAAAAAAAAQAA\
     AQAAAAAAAAAAKkFu3NZ0bVKTV5pwOaxnvPGoaY7+z4EYO7sKyHfahq2jAAAAAAAAAAAHc1lAAAAAAAAAAAEAAAAAQW7c1nRtUpNX\
     mnA5rGe88ahpjv7PgRg7uwrId9qGraMAAAABVVNEQwAAAABBbtzWdG1Sk1eacDmsZ7zxqGmO/s+BGDu7Csh32oatowAAAAAAAAAB\
     AAAAAAAAAAYAAAABVVNEQwAAAABBbtzWdG1Sk1eacDmsZ7zxqGmO/s+BGDu7Csh32oatowAAAAJUC+QAAAAAAAAAAAAAAAAAQW7c\
     1nRtUpNXmnA5rGe88ahpjv7PgRg7uwrId9qGraMAAAAAAJiWgAAAAAAAAAAKAAAAAmsbAAAAAAABAAAAAXYAAAAAAAAAAAAACwAA\
     AAAAAYafAAAAAQAAAADjcmgwoLYMtfUshEz/zU7tZeulwVXomyZBFWJyTnHlRAAAAAgAAAAAQW7c1nRtUpNXmnA5rGe88ahpjv7P\
     gRg7uwrId9qGraMAAAAAAAAAAA==";

/// Decodes and signs each transaction, printing what a user would see and what the log records.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cases = [
        (Chain::Sui, MOVE_MNEMONIC, SUI_TX, None),
        (Chain::Iota, MOVE_MNEMONIC, IOTA_TX, None),
        (Chain::Solana, SOLANA_MNEMONIC, SOLANA_TX, None),
        (Chain::Stellar, STELLAR_MNEMONIC, STELLAR_TX, Some(Network::Testnet)),
    ];
    for (chain, mnemonic, tx, network) in cases {
        let seed = Mnemonic::parse(mnemonic)?.to_seed("");
        // 1. Decode and show. Nothing here needs the key.
        let mut request = SignRequest::new(chain, Payload::Transaction(tx.to_owned()));
        request.network = network;
        let decoded = sign::decode(&request)?;
        print!("{}", decoded.summary());
        // 2. The user confirmed: sign with account 0. Everything in these transactions is decoded, so no blind
        //    consent is given; the key must be the sender, fee payer or source account.
        let signer = Signer::at(&seed, chain, AccountIndex::ZERO, AddressIndex::ZERO)?;
        let signed = signer.sign(&decoded, Blind::Refuse)?;
        println!("  signed by {} ({})", signed.address, signed.path);
        println!("  signature: {}", signed.signature);
        if let Some(tx) = &signed.signed_tx {
            println!("  signed transaction: {tx}");
        }
        // 3. What the vault's signing log records.
        let record = signed.log_record();
        println!("  log: {} {} {} {}\n", record.chain, record.path, hex::encode(&record.digest), record.summary);
    }
    // A personal message (IOTA and Sui sign them the same way).
    let seed = Mnemonic::parse(MOVE_MNEMONIC)?.to_seed("");
    let message = sign::decode(&SignRequest::new(Chain::Sui, Payload::Message(b"Hello from the SDK".to_vec())))?;
    let signed = sign::sign(&seed, &Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO)?, &message, Blind::Refuse)?;
    println!("{}  signature: {}", message.summary(), signed.signature);
    Ok(())
}
