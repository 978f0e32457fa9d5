//! Create, open and use an encrypted vault: store a seed, derive an account, sign a message, read the signing log.
//! Run: `cargo run -p coffer-core --example open_vault` (it works in a temporary directory).

use coffer_core::secret::SecretString;
use coffer_core::sign::{self, Blind, Payload, SignRequest};
use coffer_core::vault::{KdfParams, OpenError, Vault};
use coffer_core::{AccountIndex, AddressIndex, Chain, Mnemonic, WordCount};

/// Walks through the vault API.
///
/// # Errors
/// Any vault or signing error.
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("coffer-example-{}", std::process::id()));
    let path = dir.join("vault.coffer");
    // In an application the password comes from the user; it lives in a zeroizing SecretString.
    let password = SecretString::from("example password, use a long one".to_owned());

    // Create: the policy's minimum Argon2id cost keeps the example quick; real apps use KdfParams::calibrate.
    {
        let mut vault = Vault::create(&path, &password, KdfParams::policy_minimum())?;
        let words = vault.add_generated_seed("main", WordCount::Words24)?;
        // Show `words` to the user once, then drop them. Here we only count them.
        println!("new seed with {} words", words.word_count());
        drop(words);
        // Importing works the same way: vault.add_seed(label, &Mnemonic::parse(text)?, passphrase)
        let _ = Mnemonic::generate(WordCount::Words12)?;
    } // dropping the vault locks it: the key and every decrypted secret are wiped

    // A wrong password is a typed error; nothing is changed on disk.
    let wrong = SecretString::from("not it".to_owned());
    assert!(matches!(Vault::open(&path, &wrong), Err(OpenError::WrongPassword)));

    let mut vault = Vault::open(&path, &password)?;
    for seed in vault.seeds() {
        println!("seed {:?}: created {}, backup checked: {}", seed.label, seed.created, seed.backup_checked);
    }
    let account = vault.account("main", Chain::Sui, AccountIndex::ZERO, AddressIndex::ZERO)?;
    println!("sui account 0: {}", account.address);

    // Decode first, show the summary to the user, then sign; the signature is logged before it is returned.
    let request = SignRequest::new(Chain::Sui, Payload::Message(b"hello from an integrator".to_vec()));
    let decoded = sign::decode(&request)?;
    println!("{}", decoded.summary());
    let signed = vault.sign("main", &decoded, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse)?;
    println!("signature: {}", signed.signature);
    assert_eq!(vault.log().len(), 1);
    // The entries kept in the vault verify from its checkpoint (the start, until a full log archived older ones).
    vault.verify_log().map_err(|b| format!("log broken at {}", b.index))?;
    drop(vault);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
