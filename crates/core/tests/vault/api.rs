//! The vault's API: round trips, labels, backup checks, passwords, device slots, upgrades.

use coffer_core::secret::{SecretBytes, SecretString};
use coffer_core::vault::{
    AccountLabel, AccountSettings, ChainView, KdfParams, OpenError, Vault, VaultError, backup_path,
};
use coffer_core::{AccountIndex, AddressIndex, Chain, Language, Mnemonic, WordCount};

use super::{ABOUT, FILM, TempDir, password, temp_dir};

fn new_vault(tag: &str) -> (TempDir, std::path::PathBuf, Vault) {
    let dir = temp_dir(tag);
    let path = dir.join("sub/dir/vault.coffer");
    let vault = Vault::create(&path, &password(), KdfParams::insecure_for_tests()).unwrap();
    (dir, path, vault)
}

#[test]
fn create_add_reopen() {
    let (_dir, path, mut v) = new_vault("roundtrip");
    assert!(v.seeds().is_empty());
    let about = Mnemonic::parse(ABOUT).unwrap();
    let info = v.add_seed("main", &about, "").unwrap();
    assert_eq!((info.word_count, info.language, info.has_passphrase), (12, Language::English, false));
    let film = Mnemonic::parse(FILM).unwrap();
    v.add_seed("Savings ü", &film, "TREZOR").unwrap();
    let generated = v.add_generated_seed("fresh", WordCount::Words24).unwrap();
    drop(v);

    let v = Vault::open(&path, &password()).unwrap();
    let labels: Vec<_> = v.seeds().into_iter().map(|s| s.label).collect();
    assert_eq!(labels, ["main", "Savings ü", "fresh"]);
    assert!(v.seeds()[1].has_passphrase);
    assert_ne!(v.seeds()[0].id, v.seeds()[1].id);
    // Derivation goes through the stored entropy and passphrase.
    let direct =
        Chain::Sui.account(&film.to_seed("TREZOR"), AccountIndex::ZERO, AddressIndex::new(3).unwrap()).unwrap();
    assert_eq!(v.account("Savings ü", Chain::Sui, AccountIndex::ZERO, AddressIndex::new(3).unwrap()).unwrap(), direct);
    let direct =
        Chain::Iota.account(&generated.to_seed(""), AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap();
    assert_eq!(v.account("fresh", Chain::Iota, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap(), direct);
    assert_eq!(
        v.account("main", Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap(),
        Chain::Iota.account(&about.to_seed(""), AccountIndex::ZERO, AddressIndex::ZERO).unwrap()
    );
    assert!(v.needs_upgrade(), "test parameters are below the policy");
    let info = Vault::read_info(&path);
    drop(v);
    let info = info.unwrap();
    assert_eq!((info.version, info.memory_kib, info.passes, info.lanes), (1, 64, 1, 1));
    assert!(info.needs_upgrade && !info.device_slot);
}

#[test]
fn debug_output_has_no_secrets() {
    let (_dir, _, mut v) = new_vault("debug");
    v.add_seed("main", &Mnemonic::parse(ABOUT).unwrap(), "hunter2").unwrap();
    let d = format!("{v:?} {:?} {:?}", v.seeds(), v.bip39_seed("main").unwrap());
    assert!(!d.contains("abandon") && !d.contains("hunter2") && !d.contains(super::PASSWORD), "{d}");
}

#[test]
fn wrong_password_missing_file_existing_file() {
    let (_dir, path, v) = new_vault("wrongpw");
    drop(v);
    let wrong = SecretString::from("not it".to_owned());
    assert!(matches!(Vault::open(&path, &wrong), Err(OpenError::WrongPassword)));
    let missing = path.with_file_name("nope.coffer");
    match Vault::open(&missing, &password()) {
        Err(OpenError::NotFound { path: p }) => assert_eq!(p, missing),
        other => panic!("{other:?}"),
    }
    assert!(matches!(Vault::open(path.join("x"), &password()), Err(OpenError::NotFound { .. })));
    assert!(matches!(Vault::read_info(&missing), Err(VaultError::NotFound { .. })));
    assert!(matches!(
        Vault::create(&path, &password(), KdfParams::insecure_for_tests()),
        Err(VaultError::AlreadyExists { .. })
    ));
    assert!(matches!(
        Vault::create(path.with_file_name("e"), &SecretString::from(String::new()), KdfParams::insecure_for_tests()),
        Err(VaultError::EmptyPassword)
    ));
}

#[test]
fn label_rules() {
    let (_dir, path, mut v) = new_vault("labels");
    let m = Mnemonic::parse(ABOUT).unwrap();
    v.add_seed("main", &m, "").unwrap();
    assert!(matches!(v.add_seed("main", &m, ""), Err(VaultError::DuplicateLabel { label }) if label == "main"));
    assert!(matches!(v.add_seed("", &m, ""), Err(VaultError::InvalidLabel { .. })));
    assert!(matches!(v.add_seed(" x", &m, ""), Err(VaultError::InvalidLabel { .. })));
    assert!(matches!(v.add_seed(&"x".repeat(65), &m, ""), Err(VaultError::InvalidLabel { .. })));
    assert!(matches!(v.add_seed("big", &m, &"p".repeat(1025)), Err(VaultError::Mnemonic(_))));
    let err = v.seed("Main").unwrap_err();
    assert_eq!(err.to_string(), "no seed labelled \"Main\"");
    v.add_seed("other", &m, "").unwrap();
    assert!(matches!(v.rename_seed("main", "other"), Err(VaultError::DuplicateLabel { .. })));
    v.rename_seed("main", "renamed").unwrap();
    v.rename_seed("renamed", "renamed").unwrap();
    assert!(matches!(v.rename_seed("main", "x"), Err(VaultError::LabelNotFound { .. })));
    v.remove_seed("other").unwrap();
    assert!(matches!(v.remove_seed("other"), Err(VaultError::LabelNotFound { .. })));
    drop(v);
    let v = Vault::open(&path, &password()).unwrap();
    let labels: Vec<_> = v.seeds().into_iter().map(|s| s.label).collect();
    assert_eq!(labels, ["renamed"]);
    // The previous generation still has "other".
    drop(v);
    let bak = Vault::open(backup_path(&path), &password()).unwrap();
    assert_eq!(bak.seeds().len(), 2);
}

#[test]
fn a_directory_at_the_vault_path_is_not_a_vault() {
    let dir = temp_dir("isdir");
    let path = dir.join("vault.coffer");
    std::fs::create_dir(&path).unwrap();
    assert!(matches!(Vault::read_info(&path), Err(VaultError::IsADirectory { path: p }) if p == path));
    assert!(matches!(Vault::open(&path, &password()), Err(OpenError::IsADirectory { .. })));
    let err = Vault::read_info(&path).unwrap_err().to_string();
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn labels_that_hide_or_look_alike_are_refused() {
    let (_dir, _path, mut v) = new_vault("spoof");
    let m = Mnemonic::parse(ABOUT).unwrap();
    v.add_seed("main", &m, "").unwrap();
    // Invisible and text-direction characters: refused in any new label.
    for bad in ["main\u{200B}", "\u{202E}niam", "ma\u{200D}in", "main\u{FE0F}", "savings\u{2066}", "a\u{E0041}"] {
        assert!(matches!(v.add_seed(bad, &m, ""), Err(VaultError::InvalidLabel { .. })), "{bad:?}");
        assert!(matches!(v.rename_seed("main", bad), Err(VaultError::InvalidLabel { .. })), "{bad:?}");
    }
    // Looks the same once normalized: another case, full-width forms, a no-break space.
    for similar in ["Main", "MAIN", "ｍａｉｎ"] {
        match v.add_seed(similar, &m, "") {
            Err(VaultError::SimilarLabel { label, existing }) => {
                assert_eq!((label.as_str(), existing.as_str()), (similar, "main"))
            }
            other => panic!("{similar:?}: {other:?}"),
        }
    }
    v.add_seed("cold storage", &m, "").unwrap();
    assert!(matches!(v.add_seed("cold\u{00A0}storage", &m, ""), Err(VaultError::SimilarLabel { .. })));
    assert!(matches!(v.rename_seed("cold storage", "MAIN"), Err(VaultError::SimilarLabel { .. })));
    // A seed may change the case of its own label.
    v.rename_seed("main", "Main").unwrap();
    assert_eq!(v.seeds()[0].label, "Main");
    let err = v.add_seed("main", &m, "").unwrap_err();
    assert!(err.to_string().contains("looks the same"), "{err}");

    // Account labels: the same rules for a new or changed one; same-looking labels on one chain are refused, the
    // same name on two chains is fine.
    let label = |chain, account, text: &str| AccountLabel { chain, account, index: 0, label: text.into() };
    let mut s = AccountSettings::default();
    s.labels.push(label(Chain::Solana, 0, "savings"));
    s.labels.push(label(Chain::Stellar, 0, "savings"));
    v.set_account_settings("Main", s.clone()).unwrap();
    let mut bad = s.clone();
    bad.labels.push(label(Chain::Solana, 1, "Savings"));
    assert!(matches!(v.set_account_settings("Main", bad), Err(VaultError::SimilarLabel { .. })));
    let mut bad = s.clone();
    bad.labels.push(label(Chain::Solana, 1, "rent\u{200B}"));
    assert!(matches!(v.set_account_settings("Main", bad), Err(VaultError::InvalidLabel { .. })));
    s.labels.push(label(Chain::Solana, 1, "rent"));
    v.set_account_settings("Main", s).unwrap();
}

#[test]
fn verify_seed_marks_backup_checked() {
    let (_dir, path, mut v) = new_vault("verify");
    let film = Mnemonic::parse(FILM).unwrap();
    v.add_seed("s", &film, "pass").unwrap();
    assert!(!v.verify_seed("s", &film, "").unwrap(), "passphrase matters");
    assert!(!v.verify_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "pass").unwrap());
    assert!(!v.seed("s").unwrap().backup_checked);
    assert!(v.verify_seed("s", &film, "pass").unwrap());
    assert!(matches!(v.verify_seed("t", &film, "pass"), Err(VaultError::LabelNotFound { .. })));
    drop(v);
    let v = Vault::open(&path, &password()).unwrap();
    assert!(v.seed("s").unwrap().backup_checked);
}

#[test]
fn account_settings_persist() {
    let (_dir, path, mut v) = new_vault("settings");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let settings = AccountSettings {
        views: vec![ChainView { chain: Chain::Solana, accounts: 5, indices: 1 }],
        labels: vec![AccountLabel { chain: Chain::Iota, account: 0, index: 7, label: "rent".into() }],
    };
    v.set_account_settings("s", settings.clone()).unwrap();
    let bad = AccountSettings { views: vec![ChainView { chain: Chain::Sui, accounts: 0, indices: 1 }], labels: vec![] };
    assert!(matches!(v.set_account_settings("s", bad), Err(VaultError::InvalidSettings { .. })));
    drop(v);
    let v = Vault::open(&path, &password()).unwrap();
    assert_eq!(v.account_settings("s").unwrap(), settings);
}

#[test]
fn change_password_rotates_key_and_backup() {
    let (_dir, path, mut v) = new_vault("passwd");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    assert!(v.add_device_slot(&SecretBytes::from_fn(|k| k.fill(1))).unwrap().is_none());
    let new_pw = SecretString::from("a new password".to_owned());
    let rekeyed = v.change_password(&new_pw, KdfParams::insecure_for_tests()).unwrap();
    assert!(rekeyed.stale_backup.is_none());
    assert!(!v.has_device_slot(), "device slots are dropped with the old key");
    drop(v);
    assert!(matches!(Vault::open(&path, &password()), Err(OpenError::WrongPassword)));
    let v = Vault::open(&path, &new_pw).unwrap();
    assert_eq!(v.seeds().len(), 1);
    drop(v);
    // The backup is the new generation too: the old password opens nothing in the directory.
    assert!(matches!(Vault::open(backup_path(&path), &password()), Err(OpenError::WrongPassword)));
    assert!(Vault::open(backup_path(&path), &new_pw).is_ok());
}

#[test]
fn device_slot_lifecycle() {
    let (_dir, path, mut v) = new_vault("device");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let key = coffer_core::vault::new_device_key().unwrap();
    let other = coffer_core::vault::new_device_key().unwrap();
    drop(v);
    assert!(matches!(Vault::open_with_device_key(&path, &key), Err(OpenError::NoDeviceSlot)));
    let mut v = Vault::open(&path, &password()).unwrap();
    assert!(v.add_device_slot(&key).unwrap().is_none());
    assert!(v.info().device_slot);
    drop(v);
    assert!(Vault::read_info(&path).unwrap().device_slot);
    let v = Vault::open_with_device_key(&path, &key).unwrap();
    assert_eq!(v.seeds()[0].label, "s");
    drop(v);
    assert!(matches!(Vault::open_with_device_key(&path, &other), Err(OpenError::WrongDeviceKey)));
    // The password still works with a device slot present.
    let mut v = Vault::open(&path, &password()).unwrap();
    // Marking a seed compromised removes quick unlock.
    let _ = v.set_compromised("s", true).unwrap();
    assert!(!v.has_device_slot() && v.seed("s").unwrap().compromised);
    assert!(v.add_device_slot(&key).unwrap().is_none());
    assert!(v.remove_device_slots().unwrap().is_some());
    assert!(v.remove_device_slots().unwrap().is_none());
    drop(v);
    assert!(matches!(Vault::open_with_device_key(&path, &key), Err(OpenError::NoDeviceSlot)));
}

/// The one test that runs Argon2 at the policy's 256 MiB (about a second in a debug build).
#[test]
fn upgrade_to_policy() {
    let (_dir, path, mut v) = new_vault("upgrade");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    assert!(v.needs_upgrade());
    assert!(matches!(v.upgrade(&password(), KdfParams::insecure_for_tests()), Err(VaultError::InvalidParams { .. })));
    let policy = KdfParams::new(KdfParams::POLICY_MIN_MEMORY_KIB, 2, 2).unwrap();
    let wrong = SecretString::from("not the password".to_owned());
    assert!(matches!(v.upgrade(&wrong, policy), Err(VaultError::WrongPassword)));
    assert!(v.needs_upgrade());
    v.upgrade(&password(), policy).unwrap();
    assert!(!v.needs_upgrade());
    drop(v);
    let info = Vault::read_info(&path).unwrap();
    assert_eq!((info.memory_kib, info.passes, info.lanes, info.needs_upgrade), (256 * 1024, 2, 2, false));
    let v = Vault::open(&path, &password()).unwrap();
    assert_eq!(v.seeds().len(), 1);
    drop(v);
}

#[test]
fn second_open_is_in_use() {
    let (_dir, path, v) = new_vault("lock");
    assert!(matches!(Vault::open(&path, &password()), Err(OpenError::InUse { .. })));
    let key = coffer_core::vault::new_device_key().unwrap();
    assert!(matches!(Vault::open_with_device_key(&path, &key), Err(OpenError::InUse { .. })));
    // Reading the header needs no lock.
    assert!(Vault::read_info(&path).is_ok());
    drop(v);
    let _again = Vault::open(&path, &password()).unwrap();
}

/// Read-only openers share the lock; a writer excludes them and they exclude it; a read-only vault saves nothing.
#[test]
fn read_only_opens_share_the_lock() {
    let (_dir, path, mut v) = new_vault("shared");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    assert!(matches!(Vault::open_read_only(&path, &password()), Err(OpenError::InUse { .. })));
    drop(v);
    let before = std::fs::read(&path).unwrap();
    let mut r1 = Vault::open_read_only(&path, &password()).unwrap();
    let r2 = Vault::open_read_only(&path, &password()).unwrap();
    assert!(r1.is_read_only());
    assert_eq!((r1.seeds().len(), r2.seeds().len()), (1, 1));
    assert!(matches!(Vault::open(&path, &password()), Err(OpenError::InUse { .. })));
    assert!(matches!(r1.rename_seed("s", "t"), Err(VaultError::ReadOnly)));
    assert!(matches!(r1.save(), Err(VaultError::ReadOnly)));
    assert_eq!(r1.seeds()[0].label, "s");
    drop((r1, r2));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let w = Vault::open(&path, &password()).unwrap();
    assert!(!w.is_read_only());
}

/// A vault opened through a symbolic link is saved to the link's target: the link stays a link, the target gets the
/// new contents and its backup is a regular file beside the target.
#[cfg(unix)]
#[test]
fn symlinked_vault_path_saves_to_the_target() {
    let (dir, real, mut v) = new_vault("symlink");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    drop(v);
    let link = dir.join("link.coffer");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let mut v = Vault::open(&link, &password()).unwrap();
    assert_eq!(v.path(), std::fs::canonicalize(&real).unwrap());
    // A second opener through the other name is excluded: both lock the target's lock file.
    assert!(matches!(Vault::open(&real, &password()), Err(OpenError::InUse { .. })));
    v.rename_seed("s", "t").unwrap();
    drop(v);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), real);
    assert!(std::fs::symlink_metadata(backup_path(&real)).unwrap().is_file());
    assert!(!backup_path(&link).exists());
    assert_eq!(Vault::open(&real, &password()).unwrap().seeds()[0].label, "t");
}

/// A read-only (0444) vault file in a writable directory opens, but is not saved over (even by root): every change
/// fails with `PermissionDenied` and is undone in memory; the file and its mode stay.
#[cfg(unix)]
#[test]
fn read_only_vault_file_is_respected() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path, mut v) = new_vault("ro-file");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    drop(v);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut v = Vault::open(&path, &password()).unwrap();
    let err = v.rename_seed("s", "t").unwrap_err();
    assert!(matches!(err, VaultError::PermissionDenied { .. }), "{err:?}");
    assert_eq!(v.seeds()[0].label, "s");
    drop(v);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o444);
}

/// `default_path` reads the environment, which tests cannot change safely in-process: the test re-runs itself as a
/// child with a prepared environment.
#[test]
fn default_path_from_environment() {
    if let Some(expected) = std::env::var_os("COFFER_TEST_EXPECT_PATH") {
        assert_eq!(coffer_core::vault::default_path().unwrap().as_os_str(), expected);
        return;
    }
    let run = |envs: &[(&str, &str)], expected: &str| {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", "api::default_path_from_environment", "--quiet"])
            .env_remove("COFFER_VAULT")
            .env_remove("XDG_DATA_HOME")
            .env("COFFER_TEST_EXPECT_PATH", expected);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{envs:?}: {}", String::from_utf8_lossy(&out.stdout));
    };
    run(&[("COFFER_VAULT", "/x/my.coffer"), ("HOME", "/home/u")], "/x/my.coffer");
    if cfg!(all(unix, not(target_os = "macos"))) {
        run(&[("HOME", "/home/u")], "/home/u/.local/share/coffer/vault.coffer");
        run(&[("HOME", "/home/u"), ("XDG_DATA_HOME", "/data")], "/data/coffer/vault.coffer");
        run(&[("HOME", "/home/u"), ("XDG_DATA_HOME", "relative")], "/home/u/.local/share/coffer/vault.coffer");
    }
}

/// Restoring `<vault>.bak` (or any older copy) is authentic, so only a state kept outside the file shows it: every
/// save raises the generation, and the older file's state compares as a regression — fewer saves, fewer log entries.
#[test]
fn rollback_to_the_backup_is_a_regression() {
    use coffer_core::sign::{self, Blind, Payload, SignRequest};
    use coffer_core::vault::Regression;
    let (_dir, path, mut v) = new_vault("rollback");
    v.add_seed("s", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let first = v.seen_state();
    assert_eq!((first.generation, first.log_entries), (2, 0));
    let request = SignRequest::new(Chain::Sui, Payload::Message(b"pay the rent".to_vec()));
    v.sign("s", &sign::decode(&request).unwrap(), AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
    let seen = v.seen_state();
    assert_eq!((seen.generation, seen.log_entries, seen.log_head), (3, 1, v.log()[0].hash()));
    assert_eq!(seen.compare(&first), None);
    drop(v);
    std::fs::copy(backup_path(&path), &path).unwrap();
    let v = Vault::open(&path, &password()).unwrap();
    assert!(v.log().is_empty(), "the restored file lost the signature");
    assert_eq!(v.seen_state(), first);
    assert_eq!(v.seen_state().compare(&seen), Some(Regression::Generation { seen: 3, now: 2 }));
    // Reading without saving leaves the generation alone.
    drop(v);
    let r = Vault::open_read_only(&path, &password()).unwrap();
    assert_eq!(r.seen_state(), first);
}
