//! `Keyring::os()` against the real OS keyring. Ignored by plain `cargo test`: scripts/keyring-test runs it inside a
//! private session with gnome-keyring (`cargo test -p coffer-keyring -- --include-ignored`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use coffer_core::secret::SecretString;
use coffer_core::vault::{KdfParams, Vault};
use coffer_keyring::{EntryRemoval, Keyring};

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn os_keyring_round_trip() {
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(), "no session bus: run scripts/keyring-test");
    let dir = coffer_test_util::TempDir::new("keyring-os");
    let path = dir.join("vault.coffer");
    let password = SecretString::from("os keyring test".to_owned());
    drop(Vault::create(&path, &password, KdfParams::insecure_for_tests()).unwrap());

    let keyring = Keyring::os();
    keyring.check().unwrap();
    let mut vault = Vault::open(&path, &password).unwrap();
    let id = keyring.enable(&mut vault).unwrap();
    drop(vault);
    assert!(keyring.status(&path).unwrap().ready());
    let mut vault = keyring.try_unlock(&path).unwrap().expect("opened from the keyring");
    // Turning it off gives the vault a new key: after a quick unlock, only with the password.
    assert!(matches!(keyring.disable(&mut vault), Err(coffer_core::vault::VaultError::PasswordRequired)));
    vault.confirm_password(&password).unwrap();
    let done = keyring.disable(&mut vault).unwrap();
    assert_eq!(done.removed_slots, vec![id]);
    assert!(matches!(done.entry, EntryRemoval::Deleted), "{done:?}");
    drop(vault);
    assert!(keyring.try_unlock(&path).unwrap().is_none());
}
