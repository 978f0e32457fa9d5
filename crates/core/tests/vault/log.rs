//! The signing log when it fills up: the oldest entries move into an archive next to the vault, signing goes on, and
//! archive plus kept entries verify as one chain.

use coffer_core::sign::{self, Blind, Payload, SignRequest};
use coffer_core::signing_log::{Checkpoint, GENESIS, verify_chain};
use coffer_core::vault::{KdfParams, Vault, VaultError, format::MAX_LOG_ENTRIES, log_archive};
use coffer_core::{AccountIndex, AddressIndex, Chain, Mnemonic};

use super::{ABOUT, password, temp_dir};

fn message(i: usize) -> coffer_core::Decoded {
    sign::decode(&SignRequest::new(Chain::Sui, Payload::Message(format!("message {i}").into_bytes()))).unwrap()
}

/// A log at its cap takes one more signature (it used to refuse everything with `LogFull`): half the entries move
/// into an encrypted archive segment, the vault keeps a checkpoint, and after reopening the whole chain verifies
/// from GENESIS, while the kept entries verify from the checkpoint. The vault file stays bounded.
#[test]
fn a_full_log_never_blocks_signing() {
    let dir = temp_dir("log-full");
    let path = dir.join("vault.coffer");
    let mut v = Vault::create(&path, &password(), KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("main", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let batch: Vec<_> = (0..MAX_LOG_ENTRIES).map(message).collect();
    v.sign_batch("main", &batch, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
    assert_eq!((v.log().len(), v.log_checkpoint()), (MAX_LOG_ENTRIES, Checkpoint::START));
    let full_size = std::fs::metadata(&path).unwrap().len();
    let first_hash = v.log()[0].hash();

    v.sign("main", &message(MAX_LOG_ENTRIES), AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse)
        .expect("a full log must not block signing");
    let kept = MAX_LOG_ENTRIES - log_archive::BATCH + 1;
    assert_eq!(v.log().len(), kept);
    let checkpoint = v.log_checkpoint();
    assert_eq!(checkpoint.archived, log_archive::BATCH as u64);
    assert_eq!(v.log()[0].prev_hash, checkpoint.head);
    assert_eq!(v.verify_log(), Ok(()));
    assert!(std::fs::metadata(&path).unwrap().len() < full_size, "the vault file shrank");
    let segment = log_archive::segment_path(&path, checkpoint.archived, &checkpoint.head);
    assert!(segment.exists());
    // The segment is encrypted: none of the summaries appear in it.
    assert!(!std::fs::read(&segment).unwrap().windows(7).any(|w| w == b"message"));
    drop(v);

    let v = Vault::open(&path, &password()).unwrap();
    assert_eq!((v.log().len(), v.log_checkpoint()), (kept, checkpoint));
    let mut whole = v.log_archive().unwrap();
    assert_eq!(whole.len(), log_archive::BATCH);
    assert_eq!((whole[0].prev_hash, whole[0].hash()), (GENESIS, first_hash));
    whole.extend(v.log().iter().cloned());
    assert_eq!(whole.len(), MAX_LOG_ENTRIES + 1);
    assert_eq!(verify_chain(&whole), Ok(()));
    drop(v);

    // Without its archive the vault still opens and signs; the archive is reported missing by name.
    std::fs::remove_file(&segment).unwrap();
    let mut v = Vault::open(&path, &password()).unwrap();
    assert!(matches!(v.log_archive(), Err(VaultError::LogArchiveMissing { path }) if path == segment));
    assert_eq!(v.verify_log(), Ok(()));
    v.sign("main", &message(0), AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
}
