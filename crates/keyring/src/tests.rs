//! Error paths against `keyring_core::mock::Store` (in memory; it can be told to fail the next call). The real
//! Secret Service is exercised by the CLI tests that scripts/keyring-test runs.

use std::path::PathBuf;
use std::sync::Arc;

use coffer_core::secret::SecretString;
use coffer_core::vault::{KdfParams, Vault, VaultError};
use keyring_core::api::CredentialStoreApi;
use keyring_core::{Error as KError, mock};

use super::*;

struct Fixture {
    dir: coffer_test_util::TempDir,
    path: PathBuf,
    store: Arc<mock::Store>,
    keyring: Keyring,
}

impl Fixture {
    fn new(tag: &str) -> Self {
        let dir = coffer_test_util::TempDir::new(&format!("keyring-{tag}"));
        let path = dir.join("vault.coffer");
        drop(Vault::create(&path, &password(), KdfParams::insecure_for_tests()).unwrap());
        let store = mock::Store::new().unwrap();
        let keyring = Keyring::with_store(store.clone());
        Self { dir, path, store, keyring }
    }

    fn open(&self) -> Vault {
        Vault::open(&self.path, &password()).unwrap()
    }

    /// The mock credential of a slot, to inspect it or make its next call fail.
    fn cred(&self, id: &DeviceSlotId) -> keyring_core::Entry {
        self.store.build(entry::SERVICE, &id.to_string(), None).unwrap()
    }

    fn fail_next(&self, id: &DeviceSlotId, err: KError) {
        self.cred(id).as_any().downcast_ref::<mock::Cred>().unwrap().set_error(err);
    }

    fn enable(&self) -> DeviceSlotId {
        let mut v = self.open();
        self.keyring.enable(&mut v).unwrap()
    }

    fn unlock_error(&self) -> KeyringError {
        match self.keyring.try_unlock(&self.path) {
            Err(UnlockError::Keyring(e)) => e,
            other => panic!("expected a keyring error, got {other:?}"),
        }
    }
}

fn password() -> SecretString {
    SecretString::from("keyring test password".to_owned())
}

fn platform(msg: &str) -> Box<dyn std::error::Error + Send + Sync> {
    msg.into()
}

#[test]
fn enable_unlock_disable() {
    let f = Fixture::new("cycle");
    assert!(f.keyring.try_unlock(&f.path).unwrap().is_none(), "off by default");
    let status = f.keyring.status(&f.path).unwrap();
    assert!(!status.enabled() && status.keyring_reachable() && status.entry.is_none());

    let id = f.enable();
    assert_eq!(Vault::read_info(&f.path).unwrap().device_slot_ids, vec![id]);
    // The entry is the key in hex, under the slot's id.
    assert_eq!(f.cred(&id).get_secret().unwrap().len(), 64);
    let status = f.keyring.status(&f.path).unwrap();
    assert!(status.ready(), "{status:?}");

    let mut v = f.keyring.try_unlock(&f.path).unwrap().expect("opened");
    // The slot id survives saves, so the entry stays found.
    v.rename_seed("nothing", "x").unwrap_err();
    v.save().unwrap();
    assert_eq!(v.info().device_slot_ids, vec![id]);
    // Turning it off gives the vault a new key, which only the password can seal: a quick unlock is not enough,
    // and nothing changes (slot and entry stay).
    assert!(matches!(f.keyring.disable(&mut v), Err(VaultError::PasswordRequired)));
    assert_eq!(v.info().device_slot_ids, vec![id]);
    assert!(f.cred(&id).get_secret().is_ok());
    v.confirm_password(&password()).unwrap();
    let done = f.keyring.disable(&mut v).unwrap();
    assert!(done.stale_backup.is_none());
    assert_eq!(done.removed_slots, vec![id]);
    assert!(matches!(done.entry, EntryRemoval::Deleted));
    drop(v);
    assert!(matches!(f.cred(&id).get_secret(), Err(KError::NoEntry)));
    assert!(f.keyring.try_unlock(&f.path).unwrap().is_none());
    // Disabling again is a no-op.
    let again = f.keyring.disable(&mut f.open()).unwrap();
    assert!(again.removed_slots.is_empty() && matches!(again.entry, EntryRemoval::Absent));
}

/// Quick unlock for reading: a shared lock (two readers at once; a writer excluded), and nothing can be saved.
#[test]
fn read_only_quick_unlock_shares_the_lock() {
    let f = Fixture::new("shared");
    assert!(f.keyring.try_unlock_read_only(&f.path).unwrap().is_none(), "off by default");
    f.enable();
    let r1 = f.keyring.try_unlock_read_only(&f.path).unwrap().expect("opened");
    let r2 = f.keyring.try_unlock_read_only(&f.path).unwrap().expect("opened twice");
    assert!(r1.is_read_only() && r2.is_read_only());
    assert!(matches!(r2.save(), Err(VaultError::ReadOnly)));
    assert!(matches!(f.keyring.try_unlock(&f.path), Err(UnlockError::Vault(VaultError::InUse { .. }))));
    drop((r1, r2));
    let w = f.keyring.try_unlock(&f.path).unwrap().expect("opened for writing");
    assert!(!w.is_read_only());
    assert!(matches!(f.keyring.try_unlock_read_only(&f.path), Err(UnlockError::Vault(VaultError::InUse { .. }))));
}

#[test]
fn enabling_again_replaces_slot_and_entry() {
    let f = Fixture::new("again");
    let first = f.enable();
    let second = f.enable();
    assert_ne!(first, second);
    assert_eq!(Vault::read_info(&f.path).unwrap().device_slot_ids, vec![second]);
    assert!(matches!(f.cred(&first).get_secret(), Err(KError::NoEntry)), "the old entry is deleted");
    assert!(f.keyring.try_unlock(&f.path).unwrap().is_some());
}

#[test]
fn failed_store_leaves_no_slot() {
    let f = Fixture::new("store-fails");
    let mut v = f.open();
    let err = Keyring::unavailable("test").enable(&mut v).unwrap_err();
    assert!(matches!(err, EnableError::Keyring(KeyringError::Unavailable { .. })), "{err:?}");
    assert!(!v.has_device_slot(), "nothing was touched");

    // A keyring that loses what it stores (set works, reading back finds nothing): the new slot is removed again.
    let lossy = Keyring::with_store(Arc::new(Forgetful(f.store.clone())));
    let err = lossy.enable(&mut v).unwrap_err();
    assert!(matches!(err, EnableError::Keyring(KeyringError::NoEntry)), "{err:?}");
    assert!(!v.has_device_slot());
    drop(v);
    assert!(!Vault::read_info(&f.path).unwrap().device_slot);

    // A failed re-enable turns the old slot off too, and deletes its entry: never a key without a slot.
    let old = f.enable();
    let err = lossy.enable(&mut f.open()).unwrap_err();
    assert!(matches!(err, EnableError::Keyring(_)));
    assert!(!Vault::read_info(&f.path).unwrap().device_slot);
    assert!(matches!(f.cred(&old).get_secret(), Err(KError::NoEntry)));
    assert!(f.keyring.try_unlock(&f.path).unwrap().is_none());
}

#[test]
fn unlock_reports_each_keyring_problem() {
    let f = Fixture::new("problems");
    let id = f.enable();

    f.fail_next(&id, KError::NoStorageAccess(platform("collection is locked")));
    let e = f.unlock_error();
    assert!(matches!(e, KeyringError::Locked { .. }) && !e.slot_is_stale(), "{e:?}");
    assert_eq!(e.kind(), "keyring_locked");
    assert!(e.to_string().contains("locked"));

    f.fail_next(&id, KError::PlatformFailure(platform("dbus went away")));
    let e = f.unlock_error();
    assert!(matches!(e, KeyringError::Failed { .. }) && e.to_string().contains("dbus went away"), "{e:?}");

    f.fail_next(&id, KError::BadEncoding(b"secret bytes".to_vec()));
    let e = f.unlock_error();
    assert!(matches!(e, KeyringError::Malformed) && e.slot_is_stale());
    assert!(!format!("{e:?}{e}").contains("secret bytes"), "never shows what the entry held");

    f.fail_next(&id, KError::Ambiguous(vec![f.cred(&id), f.cred(&id)]));
    assert!(matches!(f.unlock_error(), KeyringError::Ambiguous { count: 2 }));

    // Altered entries: not hex, and another key.
    f.cred(&id).set_secret(b"not a key").unwrap();
    assert!(matches!(f.unlock_error(), KeyringError::Malformed));
    f.cred(&id).set_secret(&entry::encode(&vault::new_device_key().unwrap())[..]).unwrap();
    let e = f.unlock_error();
    assert!(matches!(e, KeyringError::WrongKey) && e.slot_is_stale());
    assert_eq!(e.kind(), "keyring_wrong_key");

    // A deleted entry.
    f.cred(&id).delete_credential().unwrap();
    let e = f.unlock_error();
    assert!(matches!(e, KeyringError::NoEntry) && e.slot_is_stale());
    let status = f.keyring.status(&f.path).unwrap();
    assert!(status.enabled() && status.entry == Some(false) && !status.ready());

    // No keyring at all.
    let away = Keyring::unavailable("no session bus");
    assert!(matches!(away.check(), Err(KeyringError::Unavailable { .. })) && f.keyring.check().is_ok());
    match away.try_unlock(&f.path) {
        Err(UnlockError::Keyring(e @ KeyringError::Unavailable { .. })) => assert!(!e.slot_is_stale()),
        other => panic!("{other:?}"),
    }
    let status = away.status(&f.path).unwrap();
    assert!(status.enabled() && !status.keyring_reachable() && status.entry.is_none());

    // Through all of it the password still opens the vault.
    drop(f.open());
}

#[test]
fn vault_errors_are_not_keyring_errors() {
    let f = Fixture::new("vault-errors");
    let id = f.enable();
    let held = f.open();
    assert!(matches!(f.keyring.try_unlock(&f.path), Err(UnlockError::Vault(VaultError::InUse { .. }))));
    drop(held);
    assert!(matches!(
        f.keyring.try_unlock(f.dir.join("missing")),
        Err(UnlockError::Vault(VaultError::NotFound { .. }))
    ));
    // A locked keyring during status is a problem to report, not an error.
    f.fail_next(&id, KError::NoStorageAccess(platform("locked")));
    let status = f.keyring.status(&f.path).unwrap();
    assert!(matches!(status.problem, Some(KeyringError::Locked { .. })) && status.entry.is_none());
}

#[test]
fn disable_survives_a_keyring_that_cannot_delete() {
    let f = Fixture::new("disable-fails");
    let id = f.enable();
    let mut v = f.open();
    f.fail_next(&id, KError::NoStorageAccess(platform("locked")));
    let done = f.keyring.disable(&mut v).unwrap();
    assert_eq!(done.removed_slots, vec![id]);
    assert!(matches!(done.entry, EntryRemoval::Failed(KeyringError::Locked { .. })), "{done:?}");
    assert!(!v.has_device_slot(), "the slot is gone: the vault no longer accepts the key");

    // With the keyring away entirely, too.
    drop(v);
    f.enable();
    let done = Keyring::unavailable("away").disable(&mut f.open()).unwrap();
    assert!(matches!(done.entry, EntryRemoval::Failed(KeyringError::Unavailable { .. })));
    assert!(!Vault::read_info(&f.path).unwrap().device_slot);
}

/// Marking a seed compromised turns quick unlock off: the slot leaves the vault and the entry leaves the keyring
/// (docs/cli.md, docs/threat-model.md).
#[test]
fn marking_a_seed_compromised_deletes_the_entry() {
    let f = Fixture::new("compromised");
    let words =
        coffer_core::Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe")
            .unwrap();
    f.open().add_seed("main", &words, "").unwrap();
    let id = f.enable();
    assert!(f.cred(&id).get_secret().is_ok());

    let mut v = f.open();
    let done = f.keyring.mark_compromised(&mut v, "main").unwrap();
    assert!(v.seed("main").unwrap().compromised);
    assert_eq!(done.removed_slots, vec![id]);
    assert!(matches!(done.entry, EntryRemoval::Deleted), "{done:?}");
    assert!(!v.has_device_slot() && !Vault::read_info(&f.path).unwrap().device_slot);
    assert!(matches!(f.cred(&id).get_secret(), Err(KError::NoEntry)), "the keyring entry is gone");
    assert!(f.keyring.try_unlock(&f.path).unwrap().is_none(), "quick unlock is off");
    // Again, with quick unlock already off: nothing to delete.
    let done = f.keyring.mark_compromised(&mut v, "main").unwrap();
    assert!(done.removed_slots.is_empty() && matches!(done.entry, EntryRemoval::Absent), "{done:?}");
    drop(v);

    // A keyring that cannot delete: the mark and the slot removal still hold; the entry is reported.
    let mut v = f.open();
    let id = f.keyring.enable(&mut v).unwrap();
    f.fail_next(&id, KError::NoStorageAccess(platform("locked")));
    let done = f.keyring.mark_compromised(&mut v, "main").unwrap();
    assert!(matches!(done.entry, EntryRemoval::Failed(KeyringError::Locked { .. })), "{done:?}");
    assert!(!v.has_device_slot());
    // An unknown label changes nothing: the slot and its entry stay.
    let id = f.keyring.enable(&mut v).unwrap();
    assert!(matches!(f.keyring.mark_compromised(&mut v, "nope"), Err(VaultError::LabelNotFound { .. })));
    assert!(v.has_device_slot() && f.cred(&id).get_secret().is_ok());
}

#[test]
fn debug_shows_no_secret() {
    let f = Fixture::new("debug");
    let id = f.enable();
    let stored = f.cred(&id).get_secret().unwrap();
    let dbg = format!("{:?} {:?}", f.keyring, f.keyring.status(&f.path).unwrap());
    assert!(!dbg.contains(std::str::from_utf8(&stored).unwrap()), "{dbg}");
    assert!(format!("{:?}", Keyring::unavailable("why")).contains("why"));
}

/// A store whose credentials accept a secret and then forget it: enabling must not leave a slot behind.
struct Forgetful(Arc<mock::Store>);

impl CredentialStoreApi for Forgetful {
    fn vendor(&self) -> String {
        "forgetful test store".into()
    }

    fn id(&self) -> String {
        "forgetful".into()
    }

    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&std::collections::HashMap<&str, &str>>,
    ) -> keyring_core::Result<keyring_core::Entry> {
        let inner = self.0.build(service, user, modifiers)?;
        Ok(keyring_core::Entry::new_with_credential(Arc::new(ForgetfulCred(inner))))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

struct ForgetfulCred(keyring_core::Entry);

impl keyring_core::api::CredentialApi for ForgetfulCred {
    fn set_secret(&self, _secret: &[u8]) -> keyring_core::Result<()> {
        Ok(())
    }

    fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
        self.0.get_secret()
    }

    fn delete_credential(&self) -> keyring_core::Result<()> {
        self.0.delete_credential()
    }

    fn get_credential(&self) -> keyring_core::Result<Option<Arc<keyring_core::Credential>>> {
        Ok(None)
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        self.0.get_specifiers()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn debug_fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForgetfulCred")
    }
}
