//! The vault's migration flow (start, backup check, plan, sweep, receipts) with a storage round trip, and a Stellar
//! sweep signed with both keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_test_util::TempDir;
use ed25519_dalek::Verifier as _;

use crate::chain::{AccountIndex, AddressIndex, Chain};
use crate::migrate::stellar_tests::{fresh, holdings, key, params};
use crate::migrate::tests::OLD_PHRASE;
use crate::migrate::{
    CHALLENGE_WORDS, Destination, MigrateError, RowState, Selection, StellarSweep, build_stellar_merge,
    build_stellar_sweep,
};
use crate::mnemonic::{Mnemonic, WordCount};
use crate::secret::SecretString;
use crate::sign::stellar::decode_envelope;
use crate::sign::{self, Network, Payload, SignRequest};
use crate::vault::{KdfParams, Vault, VaultError};

fn answers(m: &Mnemonic, positions: &[usize]) -> Vec<SecretString> {
    let words: Vec<&str> = m.words().collect();
    positions.iter().map(|&p| SecretString::from(format!("  {} ", words[p - 1].to_uppercase()))).collect()
}

#[test]
fn vault_flow_round_trip() {
    let dir = TempDir::new("migrate");
    let path = dir.join("v.coffer");
    let pw = SecretString::from("pw".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(OLD_PHRASE).unwrap(), "").unwrap();
    let fresh = Destination::Fresh { label: "new".into(), words: WordCount::Words24 };
    assert!(matches!(v.start_migration("old", &fresh), Err(VaultError::Migrate(MigrateError::NotCompromised { .. }))));
    let _ = v.mark_compromised("old").unwrap();
    assert!(matches!(v.set_compromised("old", false), Err(VaultError::Migrate(MigrateError::PasswordRequired))));
    let started = v.start_migration("old", &fresh).unwrap();
    let words = started.mnemonic.unwrap();
    let challenge = started.challenge.unwrap();
    assert_eq!(challenge.positions.len(), CHALLENGE_WORDS);
    assert!(matches!(v.start_migration("old", &fresh), Err(VaultError::Migrate(MigrateError::AlreadyStarted { .. }))));
    // Nothing planned or signed before the backup check.
    assert!(matches!(
        v.plan_migration("old", &Selection::default()),
        Err(VaultError::Migrate(MigrateError::BackupNotChecked { .. }))
    ));
    // A wrong answer draws new positions.
    let mut wrong = answers(&words, &challenge.positions);
    wrong[0] = SecretString::from("zoo".to_owned());
    if words.words().nth(challenge.positions[0] - 1) != Some("zoo") {
        assert!(!v.answer_backup_challenge("old", &wrong).unwrap());
    }
    assert!(matches!(
        v.answer_backup_challenge("old", &wrong[..2]),
        Err(VaultError::Migrate(MigrateError::AnswerCount { .. }))
    ));
    let challenge = v.backup_challenge("old").unwrap().unwrap();
    assert!(v.answer_backup_challenge("old", &answers(&words, &challenge.positions)).unwrap());
    assert!(v.seed("new").unwrap().backup_checked);
    assert_eq!(v.backup_challenge("old").unwrap(), None);
    let rows = v.plan_migration("old", &Selection::default()).unwrap();
    assert_eq!(rows.len(), 4 * 5);
    let again = v
        .plan_migration("old", &Selection { chains: vec![Chain::IotaStardust], accounts: 1, ..Selection::default() })
        .unwrap();
    assert_eq!(again.len(), 21);
    assert_eq!(again[20].state, RowState::Manual);
    // A Stellar sweep through the vault: receipt, log entry, broadcast commands.
    let m = v.migration("old").unwrap();
    let ri = m.row(Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let row = &m.rows[ri];
    let tx = build_stellar_merge(
        &row.old_address,
        &row.new_address,
        &StellarSweep { sequence: 41, fee: 200, trustlines: vec![], destination_exists: false },
    )
    .unwrap();
    let request = SignRequest::new(Chain::Stellar, Payload::Transaction(tx)).with_network(Network::Testnet);
    let receipt = v.sign_sweep("old", &request).unwrap();
    assert_eq!(receipt.row, ri);
    assert_eq!(receipt.tx_id.len(), 64);
    assert!(receipt.broadcast()[0].starts_with("stellar tx send --network testnet "));
    assert!(v.log()[0].summary.starts_with("migration sweep: stellar transaction"));
    // The signature verifies over the transaction hash with the old account's key.
    let env = decode_envelope(&B64.decode(&receipt.tx).unwrap()).unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key(&row.old_address)).unwrap();
    let sig = ed25519_dalek::Signature::from_slice(&env.signatures[0].signature).unwrap();
    key.verify(&hex::decode(&receipt.tx_id).unwrap(), &sig).unwrap();
    // The ordinary signing path still refuses the compromised seed.
    let d = sign::decode(&request).unwrap();
    assert!(matches!(
        v.sign("old", &d, AccountIndex::ZERO, AddressIndex::ZERO, sign::Blind::Refuse),
        Err(VaultError::Compromised { .. })
    ));
    v.note_manual_step(
        "old",
        Chain::Stellar,
        AccountIndex::new(1).unwrap(),
        AddressIndex::ZERO,
        "trustlines: USDC:G...",
    )
    .unwrap();
    let before = v.migration("old").unwrap();
    drop(v);
    // Round trip through the file.
    let mut v = Vault::open(&path, &pw).unwrap();
    let after = v.migration("old").unwrap();
    assert_eq!(after, before);
    assert_eq!(after.rows[ri].state, RowState::Signed);
    assert_eq!(v.migrations(), vec!["old".to_owned()]);
    // What the network said, recorded by the front end that broadcast it: sent, then confirmed; kept in the file
    // with the network, so that the explorer link is known after the front end is gone.
    assert_eq!(v.migration("old").unwrap().receipts[0].explorer(), None);
    assert_eq!(
        v.record_sent("old", &receipt.tx_id, "testnet", "https://horizon-testnet.stellar.org", false).unwrap(),
        RowState::Broadcast
    );
    assert_eq!(v.migration("old").unwrap().rows[ri].state, RowState::Broadcast);
    drop(v);
    // A crash after the broadcast: the file says so.
    let mut v = Vault::open(&path, &pw).unwrap();
    let m = v.migration("old").unwrap();
    assert_eq!(m.rows[ri].state, RowState::Broadcast);
    assert_eq!(m.receipts[0].sent.as_ref().map(|s| (s.confirmed, s.network.as_str())), Some((false, "testnet")));
    assert_eq!(v.record_sent("old", &receipt.tx_id, "testnet", "", true).unwrap(), RowState::Confirmed);
    // A late "sent" never takes a confirmation back.
    assert_eq!(v.record_sent("old", &receipt.tx_id, "testnet", "", false).unwrap(), RowState::Confirmed);
    assert!(matches!(
        v.record_sent("old", "not-a-receipt", "testnet", "", true),
        Err(VaultError::Migrate(MigrateError::UnknownReceipt { .. }))
    ));
    drop(v);
    let mut v = Vault::open(&path, &pw).unwrap();
    assert_eq!(v.migration("old").unwrap().rows[ri].state, RowState::Confirmed);
    assert_eq!(v.migration_report("old").unwrap().migration.rows[ri].state.name(), "confirmed");
    assert_eq!(
        v.migration("old").unwrap().receipts[0].explorer().unwrap(),
        format!("https://stellar.expert/explorer/testnet/tx/{}", receipt.tx_id)
    );
    let report = v.migration_report("old").unwrap();
    assert_eq!(report.to, "new");
    assert!(report.manual_steps.iter().any(|s| s.contains("trustlines")));
    // Unmarking needs the right password.
    assert!(matches!(
        v.unmark_compromised("old", &SecretString::from("nope".to_owned())),
        Err(VaultError::WrongPassword)
    ));
    v.unmark_compromised("old", &pw).unwrap();
    assert!(!v.seed("old").unwrap().compromised);
    // Removing the destination removes the migration.
    v.remove_seed("new").unwrap();
    assert!(v.migrations().is_empty());
}

#[test]
fn the_vault_signs_a_sweep_with_the_old_and_the_new_key() {
    let dir = TempDir::new("stellar-sweep");
    let path = dir.join("v.coffer");
    let pw = SecretString::from("pw".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(OLD_PHRASE).unwrap(), "").unwrap();
    let _ = v.mark_compromised("old").unwrap();
    let started =
        v.start_migration("old", &Destination::Fresh { label: "new".into(), words: WordCount::Words12 }).unwrap();
    let words = started.mnemonic.unwrap();
    let positions = started.challenge.unwrap().positions;
    let list: Vec<&str> = words.words().collect();
    let answers: Vec<SecretString> = positions.iter().map(|&p| SecretString::from(list[p - 1].to_owned())).collect();
    assert!(v.answer_backup_challenge("old", &answers).unwrap());
    v.plan_migration("old", &Selection { chains: vec![Chain::Stellar], accounts: 1, ..Selection::default() }).unwrap();
    let row = v.sweep_row("old", Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let plan = build_stellar_sweep(&holdings(&row.old_address), &fresh(&row.new_address), &params()).unwrap();
    let request = SignRequest::new(Chain::Stellar, Payload::Transaction(plan.transactions[0].clone()))
        .with_network(Network::Testnet);
    let receipt = v.sign_sweep("old", &request).unwrap();
    let env = decode_envelope(&B64.decode(&receipt.tx).unwrap()).unwrap();
    assert_eq!(env.signatures.len(), 2);
    let hash = hex::decode(&receipt.tx_id).unwrap();
    for (sig, signer) in env.signatures.iter().zip([&row.old_address, &row.new_address]) {
        let k = key(signer);
        assert_eq!(sig.hint, [k[28], k[29], k[30], k[31]]);
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&k).unwrap();
        vk.verify(&hash, &ed25519_dalek::Signature::from_slice(&sig.signature).unwrap()).unwrap();
    }
    // Both signatures are in the signing log.
    assert!(v.log().iter().any(|e| e.summary.starts_with("migration sweep (new account's signature)")));
    // A lone merge needs no second signature.
    let merge = build_stellar_merge(
        &row.old_address,
        &row.new_address,
        &StellarSweep { sequence: 50, fee: 100, trustlines: vec![], destination_exists: true },
    )
    .unwrap();
    let r = SignRequest::new(Chain::Stellar, Payload::Transaction(merge)).with_network(Network::Testnet);
    let env = decode_envelope(&B64.decode(&v.sign_sweep("old", &r).unwrap().tx).unwrap()).unwrap();
    assert_eq!(env.signatures.len(), 1);
    drop(v);
}

/// A gap scan past the default plan found Solana account 7 (and account 2, already planned): the planning logic
/// adds exactly one row, account 7, with the destination's address at the same path, as a plan of that account
/// would have; the scan of the extended plan then starts where it should.
#[test]
fn accounts_found_past_the_plan_are_added_with_their_destinations() {
    use crate::migrate::{first_unplanned, unplanned};
    let dir = TempDir::new("plan-found");
    let path = dir.join("v.coffer");
    let pw = SecretString::from("pw".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(OLD_PHRASE).unwrap(), "").unwrap();
    let _ = v.mark_compromised("old").unwrap();
    let started =
        v.start_migration("old", &Destination::Fresh { label: "new".into(), words: WordCount::Words12 }).unwrap();
    let words = started.mnemonic.unwrap();
    let positions = started.challenge.unwrap().positions;
    // Not before the backup check.
    assert!(matches!(
        v.plan_accounts("old", &[(Chain::Solana, 7)]),
        Err(VaultError::Migrate(MigrateError::BackupNotChecked { .. }))
    ));
    assert!(v.answer_backup_challenge("old", &answers(&words, &positions)).unwrap());
    let rows = v.plan_migration("old", &Selection::default()).unwrap();
    assert_eq!(rows.len(), 20);
    assert_eq!(first_unplanned(&rows, Chain::Solana), 5, "the scan starts past accounts 0-4");
    assert_eq!(first_unplanned(&rows, Chain::IotaStardust), 0, "a chain without rows is scanned from 0");
    let add = unplanned(&rows, Chain::Solana, &[7, 2, 7]);
    assert_eq!(add, vec![7], "accounts already planned are not added twice");
    let found: Vec<(Chain, u32)> = add.iter().map(|&n| (Chain::Solana, n)).collect();
    let rows = v.plan_accounts("old", &found).unwrap();
    assert_eq!(rows.len(), 21);
    let row = rows.iter().find(|r| r.chain == Chain::Solana && r.account == 7).unwrap().clone();
    assert_eq!(row.state, RowState::Pending);
    assert_eq!(row.index, 0);
    let at = AccountIndex::new(7).unwrap();
    let old_seed = Mnemonic::parse(OLD_PHRASE).unwrap().to_seed("");
    assert_eq!(row.old_address, Chain::Solana.account(&old_seed, at, AddressIndex::ZERO).unwrap().address);
    let new_seed = words.to_seed("");
    assert_eq!(row.new_address, Chain::Solana.account(&new_seed, at, AddressIndex::ZERO).unwrap().address);
    // The row is the plan's own: it can be swept, and it survives a reopen.
    assert_eq!(v.sweep_row("old", Chain::Solana, at, AddressIndex::ZERO).unwrap(), row);
    drop(v);
    let mut v = Vault::open(&path, &pw).unwrap();
    assert_eq!(v.migration("old").unwrap().rows.len(), 21);
    // Found again (a second scan): nothing is added; the scan of the extended plan still starts at 5.
    let rows = v.migration("old").unwrap().rows;
    assert!(unplanned(&rows, Chain::Solana, &[7]).is_empty());
    assert_eq!(first_unplanned(&rows, Chain::Solana), 5);
    assert_eq!(v.plan_accounts("old", &[(Chain::Solana, 7)]).unwrap().len(), 21);
    // Bad input is refused and changes nothing.
    for bad in [&[][..], &[(Chain::Raw, 1)][..], &[(Chain::Solana, 1 << 31)][..]] {
        assert!(matches!(v.plan_accounts("old", bad), Err(VaultError::Migrate(MigrateError::InvalidSelection { .. }))));
    }
    assert_eq!(v.migration("old").unwrap().rows.len(), 21);
}

/// A vault migrating "old" to a fresh seed with its Stellar account-0 row planned (backup checked); the row index.
#[allow(clippy::unwrap_used)]
fn migrating_stellar(dir: &TempDir) -> (Vault, usize) {
    let pw = SecretString::from("pw".to_owned());
    let mut v = Vault::create(dir.join("v.coffer"), &pw, KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(OLD_PHRASE).unwrap(), "").unwrap();
    let _ = v.mark_compromised("old").unwrap();
    let started =
        v.start_migration("old", &Destination::Fresh { label: "new".into(), words: WordCount::Words12 }).unwrap();
    let words = started.mnemonic.unwrap();
    assert!(v.answer_backup_challenge("old", &answers(&words, &started.challenge.unwrap().positions)).unwrap());
    let selection = Selection { chains: vec![Chain::Stellar], accounts: 1, ..Selection::default() };
    v.plan_migration("old", &selection).unwrap();
    let ri = v.migration("old").unwrap().row(Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    (v, ri)
}

/// A merge of the row's old account at `sequence` (each sequence a distinct transaction).
#[allow(clippy::unwrap_used)]
fn merge(v: &Vault, ri: usize, sequence: i64) -> SignRequest {
    let row = v.migration("old").unwrap().rows[ri].clone();
    let sweep = StellarSweep { sequence, fee: 200, trustlines: vec![], destination_exists: false };
    let tx = build_stellar_merge(&row.old_address, &row.new_address, &sweep).unwrap();
    SignRequest::new(Chain::Stellar, Payload::Transaction(tx)).with_network(Network::Testnet)
}

/// Each transition of a row from what the network said of its sweeps: sent → confirmed; sent → failed (with the
/// reason, bounded, kept in the file); failed, then a new sweep confirmed → confirmed; one of two transactions of one
/// sweep confirmed → still broadcast; an older sweep that never landed does not hold a newer confirmed one back.
#[test]
fn row_states_follow_the_newest_sent_sweep() {
    let dir = TempDir::new("migrate-states");
    let (mut v, ri) = migrating_stellar(&dir);
    let state = |v: &Vault| v.migration("old").unwrap().rows[ri].state;

    // sent → confirmed.
    let a = v.sign_sweep("old", &merge(&v, ri, 10)).unwrap();
    assert_eq!(a.sweep, 0);
    assert_eq!(v.record_sent("old", &a.tx_id, "testnet", "", false).unwrap(), RowState::Broadcast);
    assert_eq!(v.record_sent("old", &a.tx_id, "testnet", "", true).unwrap(), RowState::Confirmed);
    // A failure reported late never takes a confirmation back.
    assert_eq!(v.record_failed("old", &a.tx_id, "testnet", "", "tx_bad_seq").unwrap(), RowState::Confirmed);
    assert_eq!(v.migration("old").unwrap().receipts[0].sent.as_ref().unwrap().failed, None);

    // sent → failed: a new sweep (sweep 1), refused; the reason is kept, cut to its bound.
    let b = v.sign_sweep("old", &merge(&v, ri, 11)).unwrap();
    assert_eq!((b.sweep, state(&v)), (1, RowState::Signed));
    assert_eq!(v.record_sent("old", &b.tx_id, "testnet", "h", false).unwrap(), RowState::Broadcast);
    let long = format!("  tx_failed: {}  ", "é".repeat(400));
    assert_eq!(v.record_failed("old", &b.tx_id, "testnet", "h", &long).unwrap(), RowState::Failed);
    let reason = v.migration("old").unwrap().receipts[1].sent.clone().unwrap().failed.unwrap();
    assert!(reason.starts_with("tx_failed: é") && reason.len() <= crate::migrate::MAX_FAILURE_REASON, "{reason}");
    assert!(!v.migration("old").unwrap().receipts[1].sent.as_ref().unwrap().confirmed);

    // failed, then a new sweep confirmed → confirmed (the failed one stays failed, on its receipt).
    let c = v.sign_sweep("old", &merge(&v, ri, 12)).unwrap();
    assert_eq!(c.sweep, 2);
    assert_eq!(state(&v), RowState::Signed);
    assert_eq!(v.record_sent("old", &c.tx_id, "testnet", "h", false).unwrap(), RowState::Broadcast);
    assert_eq!(v.record_sent("old", &c.tx_id, "testnet", "h", true).unwrap(), RowState::Confirmed);

    // One sweep of two transactions (sweep 3): one confirmed, the other not (yet) → still broadcast; the other
    // failed → failed; the older sweep's stale transaction sent again and taken clears its failure.
    let mut signed = Vec::new();
    v.sign_sweeps("old", &[merge(&v, ri, 13), merge(&v, ri, 14)], &mut signed).unwrap();
    assert_eq!(signed.iter().map(|r| r.sweep).collect::<Vec<_>>(), [3, 3]);
    assert_eq!(v.record_sent("old", &signed[0].tx_id, "testnet", "h", true).unwrap(), RowState::Broadcast);
    assert_eq!(v.record_sent("old", &signed[1].tx_id, "testnet", "h", false).unwrap(), RowState::Broadcast);
    assert_eq!(v.record_failed("old", &signed[1].tx_id, "testnet", "h", "tx_bad_seq").unwrap(), RowState::Failed);
    assert_eq!(v.record_sent("old", &signed[1].tx_id, "testnet", "h", true).unwrap(), RowState::Confirmed);

    // An older sweep that never landed (sweep 4, sent, never confirmed) does not hold back a newer confirmed one
    // (sweep 5); and a newer sweep signed but never sent (sweep 6) leaves the row signed until it is sent.
    let d = v.sign_sweep("old", &merge(&v, ri, 15)).unwrap();
    let e = v.sign_sweep("old", &merge(&v, ri, 16)).unwrap();
    assert_eq!(v.record_sent("old", &d.tx_id, "testnet", "h", false).unwrap(), RowState::Broadcast);
    assert_eq!(v.record_sent("old", &e.tx_id, "testnet", "h", true).unwrap(), RowState::Confirmed);
    let f = v.sign_sweep("old", &merge(&v, ri, 17)).unwrap();
    assert_eq!((f.sweep, state(&v)), (6, RowState::Signed));

    // All of it is in the file.
    let before = v.migration("old").unwrap();
    drop(v);
    let v = Vault::open(dir.join("v.coffer"), &SecretString::from("pw".to_owned())).unwrap();
    assert_eq!(v.migration("old").unwrap(), before);
    assert_eq!(before.receipts[1].sent.as_ref().unwrap().failed.as_deref(), Some(reason.as_str()));
}
