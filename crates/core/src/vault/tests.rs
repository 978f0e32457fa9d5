//! Key rotation: every change that removes a way in gives the vault a new key, checked at the byte level (the
//! old vault key, as a device key opens it from an old copy, must not open anything saved afterwards).

use super::file::{FAIL_REFRESH, backup_path};
use super::format::{self, Slot};
use super::seal;
use super::{KdfParams, OpenError, OpenOptions, Vault, VaultError};
use crate::mnemonic::Mnemonic;
use crate::secret::{SecretBytes, SecretString};

const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

fn pw() -> SecretString {
    SecretString::from("rotation test password".to_owned())
}

fn dir(tag: &str) -> (coffer_test_util::TempDir, std::path::PathBuf) {
    let d = coffer_test_util::TempDir::new(&format!("rekey-{tag}"));
    let path = d.join("vault.coffer");
    (d, path)
}

/// The vault key a device key unwraps from a file's bytes.
fn unwrap_device(bytes: &[u8], device: &SecretBytes<32>) -> Option<SecretBytes<32>> {
    let parsed = format::parse_file(bytes).unwrap();
    parsed.header.device_slots().find_map(|d| {
        let aad = Slot::Device(d.clone()).wrap_aad();
        seal::unwrap_key(device, &d.nonce, &aad, &d.wrapped)
    })
}

/// Whether `key` decrypts the payload of a file's bytes.
fn opens(bytes: &[u8], key: &SecretBytes<32>) -> bool {
    let parsed = format::parse_file(bytes).unwrap();
    seal::open(key, &parsed.header.payload_nonce, parsed.aad, parsed.ciphertext).is_some()
}

/// A vault with a seed and a device slot for `device`, and a copy of its file taken then.
fn vault_with_device(
    tag: &str,
    device: &SecretBytes<32>,
) -> (coffer_test_util::TempDir, std::path::PathBuf, Vault, Vec<u8>) {
    let (d, path) = dir(tag);
    let mut v = Vault::create(&path, &pw(), KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    assert!(v.add_device_slot(device).unwrap().is_none(), "a first slot needs no new key");
    let copy = std::fs::read(&path).unwrap();
    (d, path, v, copy)
}

/// The copy's device slot gives the old vault key; after `op` and one more save, that key opens neither the file
/// nor its backup, and the password still opens the vault.
fn check_rotation(tag: &str, op: impl FnOnce(&mut Vault) -> Option<super::Rekeyed>, password: &SecretString) {
    let device = super::new_device_key().unwrap();
    let (_d, path, mut v, copy) = vault_with_device(tag, &device);
    let old_key = unwrap_device(&copy, &device).expect("the old device key unwraps the copy's slot");
    assert!(opens(&copy, &old_key));
    let rekeyed = op(&mut v).expect("the operation gives a new key");
    assert!(rekeyed.stale_backup.is_none());
    // A later save, like the fresh seed `migrate start` writes.
    v.add_generated_seed("fresh", crate::mnemonic::WordCount::Words24).unwrap();
    drop(v);
    let now = std::fs::read(&path).unwrap();
    assert!(!opens(&now, &old_key), "{tag}: the old vault key opens the new file");
    assert!(unwrap_device(&now, &device).is_none(), "{tag}: the old device key still opens a slot");
    let bak = std::fs::read(backup_path(&path)).unwrap();
    assert!(!opens(&bak, &old_key), "{tag}: the backup is still under the old key");
    let v = Vault::open(&path, password).unwrap();
    assert_eq!(v.seeds().len(), 2);
}

#[test]
fn removing_device_slots_rotates_the_key() {
    check_rotation("remove", |v| v.remove_device_slots().unwrap(), &pw());
}

#[test]
fn marking_compromised_rotates_the_key() {
    check_rotation(
        "compromised",
        |v| {
            let r = v.set_compromised("old", true).unwrap();
            assert!(!v.has_device_slot() && v.seed("old").unwrap().compromised);
            Some(r)
        },
        &pw(),
    );
}

#[test]
fn replacing_a_device_slot_rotates_the_key() {
    let other = super::new_device_key().unwrap();
    check_rotation("replace", |v| v.add_device_slot(&other).unwrap(), &pw());
}

#[test]
fn changing_the_password_rotates_the_key() {
    let new = SecretString::from("another password".to_owned());
    check_rotation("passwd", |v| Some(v.change_password(&new, KdfParams::insecure_for_tests()).unwrap()), &new);
}

/// Marking a seed compromised rotates even without quick unlock: a vault key read from memory opens nothing
/// saved afterwards.
#[test]
fn marking_compromised_without_quick_unlock_rotates_too() {
    let (_d, path) = dir("mark-plain");
    let mut v = Vault::create(&path, &pw(), KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let before = SecretBytes::<32>::from_fn(|k| k.copy_from_slice(v.key.expose()));
    let _ = v.mark_compromised("old").unwrap();
    v.add_generated_seed("fresh", crate::mnemonic::WordCount::Words12).unwrap();
    assert!(!opens(&std::fs::read(&path).unwrap(), &before));
}

/// After a quick unlock nothing can seal a new key for the password: the operations refuse and change nothing,
/// until the password is confirmed.
#[test]
fn quick_unlock_needs_the_password_to_remove_a_way_in() {
    let device = super::new_device_key().unwrap();
    let (_d, path, v, copy) = vault_with_device("quick", &device);
    drop(v);
    let mut v = Vault::open_with_device_key(&path, &device).unwrap();
    assert!(!v.password_confirmed());
    assert!(matches!(v.remove_device_slots(), Err(VaultError::PasswordRequired)));
    assert!(matches!(v.set_compromised("old", true), Err(VaultError::PasswordRequired)));
    assert!(matches!(v.add_device_slot(&device), Err(VaultError::PasswordRequired)));
    assert!(v.has_device_slot() && !v.seed("old").unwrap().compromised);
    assert_eq!(std::fs::read(&path).unwrap(), copy, "the file is unchanged");
    let wrong = SecretString::from("not it".to_owned());
    assert!(matches!(v.confirm_password(&wrong), Err(VaultError::WrongPassword)));
    assert!(!v.password_confirmed());
    v.confirm_password(&pw()).unwrap();
    assert!(v.password_confirmed());
    let old_key = unwrap_device(&copy, &device).unwrap();
    let _ = v.set_compromised("old", true).unwrap();
    assert!(!opens(&std::fs::read(&path).unwrap(), &old_key));
    drop(v);
    assert!(Vault::open(&path, &pw()).unwrap().seed("old").unwrap().compromised);
}

/// A backup that cannot be refreshed after the new key is on disk is a warning, not an error: the change (here
/// the new password) is in effect.
#[test]
fn a_stale_backup_is_reported_not_failed() {
    let (_d, path) = dir("stale");
    let mut v = Vault::create(&path, &pw(), KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let new = SecretString::from("the new password".to_owned());
    FAIL_REFRESH.with(|f| f.set(true));
    let changed = v.change_password(&new, KdfParams::insecure_for_tests());
    let device = super::new_device_key().unwrap();
    FAIL_REFRESH.with(|f| f.set(false));
    let rekeyed = changed.expect("the password change succeeded");
    assert!(matches!(rekeyed.stale_backup, Some(VaultError::Io { action: "back up", .. })));
    assert!(v.add_device_slot(&device).unwrap().is_none());
    FAIL_REFRESH.with(|f| f.set(true));
    let removed = v.remove_device_slots();
    FAIL_REFRESH.with(|f| f.set(false));
    assert!(removed.unwrap().unwrap().stale_backup.is_some());
    drop(v);
    assert!(Vault::open(&path, &new).is_ok());
    assert!(matches!(Vault::open(&path, &pw()), Err(OpenError::WrongPassword)));
}

/// A header far above the policy is refused before Argon2 runs, with the estimate; consent runs it.
#[test]
fn expensive_headers_need_consent() {
    // The gate first (so that, were it missing, this test fails here instead of running 4 GiB x 64 passes).
    let at_bounds = KdfParams::from_file(4 * 1024 * 1024, 64, 1).unwrap();
    assert!(matches!(super::kdf_gate(&at_bounds, OpenOptions::default()), Err(VaultError::ExpensiveKdf { .. })));
    assert!(super::kdf_gate(&at_bounds, OpenOptions::default().allow_expensive_kdf(true)).is_ok());
    assert!(super::kdf_gate(&KdfParams::new(256 * 1024, 64, 4).unwrap(), OpenOptions::default()).is_ok());

    let (_d, path) = dir("expensive");
    let v = Vault::create(&path, &pw(), KdfParams::insecure_for_tests()).unwrap();
    drop(v);
    // Rewrite the password slot's parameters to 4 GiB x 64 passes (the read bounds). The header is authenticated,
    // so this file is also tampered with; the point is that nothing is derived.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = 8 + 2 + 2 + 1 + 1 + 2 + 1; // magic, version, reserved, slot count, slot type, slot length, kdf id
    bytes[at..at + 4].copy_from_slice(&(4u32 * 1024 * 1024).to_le_bytes());
    bytes[at + 4..at + 8].copy_from_slice(&64u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let start = std::time::Instant::now();
    let err = Vault::open(&path, &pw()).unwrap_err();
    assert!(start.elapsed() < std::time::Duration::from_secs(1), "refused before deriving");
    let OpenError::ExpensiveKdf { cost } = err else { panic!("expected ExpensiveKdf, got {err:?}") };
    assert_eq!((cost.memory_kib, cost.passes, cost.lanes, cost.relative_work), (4 * 1024 * 1024, 64, 1, 512));
    let text = VaultError::ExpensiveKdf { cost }.to_string();
    assert!(text.contains("about 5 min") && text.contains("4096 MiB") && text.contains("512x"), "{text}");
}

/// The recovery words of a stored seed come back only with the vault password, also after a quick unlock; an
/// unknown label is refused before any key derivation.
#[test]
fn recovery_words_need_the_password() {
    let device = crate::vault::new_device_key().unwrap();
    let (_d, path, v, _) = vault_with_device("words", &device);
    drop(v);
    let v = Vault::open_with_device_key(&path, &device).unwrap();
    let wrong = SecretString::from("not the password".to_owned());
    assert!(matches!(v.recovery_words("old", &wrong), Err(VaultError::WrongPassword)));
    assert!(matches!(v.recovery_words("nope", &pw()), Err(VaultError::LabelNotFound { .. })));
    assert_eq!(v.recovery_words("old", &pw()).unwrap().phrase().expose(), ABOUT);
}
