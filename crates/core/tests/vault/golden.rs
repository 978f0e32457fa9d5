//! Golden vault files under tests/vaults/ (repository root): one valid v1 vault and one file per fault, each with
//! its own expected error. The committed bytes pin the format; `regenerate_golden_vaults` (ignored) rewrites them.

use std::fs;
use std::path::PathBuf;

use coffer_core::secret::{SecretBytes, SecretString};
use coffer_core::signing_log::GENESIS;
use coffer_core::vault::{AccountLabel, AccountSettings, ChainView, KdfParams, SeenState, Vault, VaultError, format};
use coffer_core::{AccountIndex, AddressIndex, Chain, Language, Mnemonic};

use super::{ABOUT, FILM, password, temp_dir};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vaults")
}

/// The device key sealed into the valid vault's device slot.
fn device_key() -> SecretBytes<32> {
    SecretBytes::from_fn(|k| k.fill(0x42))
}

/// Opens a copy of a golden file (opening takes a lock file next to the vault: keep the repository clean).
fn open_copy(name: &str, password: &SecretString) -> Result<Vault, VaultError> {
    let d = temp_dir("golden");
    let p = d.join(name);
    fs::copy(dir().join(name), &p).unwrap();
    Ok(Vault::open(&p, password)?)
}

#[test]
fn valid_v1_opens_with_expected_contents() {
    let v = open_copy("valid-v1.coffer", &password()).unwrap();
    let seeds = v.seeds();
    assert_eq!(seeds.len(), 2);
    assert_eq!((seeds[0].label.as_str(), seeds[0].word_count, seeds[0].language), ("main", 12, Language::English));
    assert!(!seeds[0].has_passphrase && !seeds[0].compromised && !seeds[0].backup_checked);
    assert_eq!(seeds[1].label, "savings");
    assert!(seeds[1].has_passphrase && seeds[1].compromised && seeds[1].backup_checked);
    // The stored entropy and passphrase give the published addresses.
    let about = Mnemonic::parse(ABOUT).unwrap();
    assert_eq!(
        v.account("main", Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap(),
        Chain::Iota.account(&about.to_seed(""), AccountIndex::ZERO, AddressIndex::ZERO).unwrap()
    );
    let film = Mnemonic::parse(FILM).unwrap();
    assert_eq!(
        v.account("savings", Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address,
        Chain::Iota.account(&film.to_seed("TREZOR"), AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address
    );
    assert_eq!(v.account_settings("savings").unwrap(), settings());
    let info = v.info();
    assert_eq!((info.version, info.memory_kib, info.passes, info.lanes), (1, 64, 1, 1));
    assert!(info.device_slot && info.needs_upgrade);
}

#[test]
fn valid_v1_opens_with_device_key() {
    let d = temp_dir("golden-device");
    let p = d.join("v.coffer");
    fs::copy(dir().join("valid-v1.coffer"), &p).unwrap();
    let v = Vault::open_with_device_key(&p, &device_key()).unwrap();
    assert_eq!(v.seeds().len(), 2);
}

#[test]
fn valid_v1_read_info() {
    let info = Vault::read_info(dir().join("valid-v1.coffer")).unwrap();
    assert_eq!((info.version, info.memory_kib, info.passes, info.lanes, info.device_slot), (1, 64, 1, 1, true));
}

/// Each faulty file and the error it must give, checked by variant.
#[test]
fn each_fault_has_its_own_error() {
    let wrong = SecretString::from("wrong password".to_owned());
    type Case<'a> = (&'a str, &'a SecretString, fn(&VaultError) -> bool);
    let cases: [Case<'_>; 10] = [
        ("valid-v1.coffer", &wrong, |e| matches!(e, VaultError::WrongPassword)),
        ("flipped-header.coffer", &password(), |e| matches!(e, VaultError::Corrupted)),
        ("flipped-salt.coffer", &password(), |e| matches!(e, VaultError::WrongPassword)),
        ("flipped-ciphertext.coffer", &password(), |e| matches!(e, VaultError::Corrupted)),
        ("truncated.coffer", &password(), |e| matches!(e, VaultError::Truncated)),
        ("bad-magic.coffer", &password(), |e| matches!(e, VaultError::NotAVault)),
        ("future-version.coffer", &password(), |e| matches!(e, VaultError::UnsupportedVersion { version: 2 })),
        ("excessive-kdf.coffer", &password(), |e| {
            matches!(e, VaultError::ExcessiveWork { memory_kib: u32::MAX, passes: 1, lanes: 1 })
        }),
        ("expensive-kdf.coffer", &password(), |e| {
            matches!(e, VaultError::ExpensiveKdf { cost }
                if (cost.memory_kib, cost.passes, cost.relative_work) == (4 * 1024 * 1024, 64, 512))
        }),
        ("unknown-slot.coffer", &password(), |e| {
            matches!(e, VaultError::Unsupported { what: "key slot type", tag: 9 })
        }),
    ];
    for (name, pw, expected) in cases {
        let bytes = fs::read(dir().join(name)).unwrap();
        let err = open_copy(name, pw).unwrap_err();
        assert!(expected(&err), "{name}: got {err:?}");
        // The message names no byte position.
        assert!(!err.to_string().contains("byte"), "{name}: {err}");
        // Opening never modifies the file.
        assert_eq!(fs::read(dir().join(name)).unwrap(), bytes, "{name}");
    }
}

fn settings() -> AccountSettings {
    AccountSettings {
        views: vec![ChainView { chain: Chain::Iota, accounts: 2, indices: 5 }],
        labels: vec![AccountLabel { chain: Chain::Iota, account: 0, index: 1, label: "rent".into() }],
    }
}

/// A version-1 file (payload version 1, from before the state section) opens with generation 0 and an empty
/// log; its first save writes payload version 2 with generation 1, and it still opens.
#[test]
fn valid_v1_is_upgraded_to_payload_v2_on_save() {
    let d = temp_dir("golden-v1-save");
    let p = d.join("v.coffer");
    fs::copy(dir().join("valid-v1.coffer"), &p).unwrap();
    let mut v = Vault::open(&p, &password()).unwrap();
    assert_eq!(v.seen_state(), SeenState { generation: 0, log_entries: 0, log_head: GENESIS });
    v.rename_seed("main", "renamed").unwrap();
    assert_eq!(v.generation(), 1);
    drop(v);
    let v = Vault::open(&p, &password()).unwrap();
    assert_eq!((v.generation(), v.seeds()[0].label.as_str()), (1, "renamed"));
}

/// The golden payload-v2 vault: seed `main` and one signature in the log, saved [`V2_GENERATION`] times.
#[test]
fn valid_v2_opens_with_generation_and_log() {
    let v = open_copy("valid-v2.coffer", &password()).unwrap();
    assert_eq!(v.seeds().len(), 1);
    assert_eq!(v.generation(), V2_GENERATION);
    assert_eq!(v.log().len(), 1);
    assert_eq!((v.log()[0].chain.as_str(), v.log()[0].prev_hash), ("sui", GENESIS));
    assert_eq!(v.verify_log(), Ok(()));
    assert_eq!(v.log_checkpoint(), coffer_core::signing_log::Checkpoint::START);
    let state = v.seen_state();
    assert_eq!((state.generation, state.log_entries, state.log_head), (V2_GENERATION, 1, v.log()[0].hash()));
}

/// Saves of the golden payload-v2 vault: create, add a seed, sign once.
const V2_GENERATION: u64 = 3;

/// Rewrites tests/vaults/valid-v2.coffer. Run:
/// `cargo test -p coffer-core --test vault -- --ignored regenerate_golden_v2`.
#[test]
#[ignore = "writes into the repository"]
fn regenerate_golden_v2() {
    use coffer_core::sign::{self, Blind, Payload, SignRequest};
    let tmp = temp_dir("regen-v2");
    let path = tmp.join("valid-v2.coffer");
    let mut v = Vault::create(&path, &password(), KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("main", &Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let request = SignRequest::new(Chain::Sui, Payload::Message(b"golden".to_vec()));
    v.sign("main", &sign::decode(&request).unwrap(), AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
    assert_eq!(v.generation(), V2_GENERATION);
    drop(v);
    fs::copy(&path, dir().join("valid-v2.coffer")).unwrap();
}

/// Rewrites the faulty files of tests/vaults/ from the committed `valid-v1.coffer`, each by the edit named in
/// tests/vaults/README.md. Run: `cargo test -p coffer-core --test vault -- --ignored regenerate_golden_vaults`.
/// `valid-v1.coffer` itself is frozen: this build writes payload version 2, so it can no longer make a v1 file.
/// (It was made by: create; add `main` and `savings`; verify, mark compromised and set the settings of `savings`;
/// add a device slot sealed by [`device_key`].)
#[test]
#[ignore = "writes into the repository"]
fn regenerate_golden_vaults() {
    let valid = fs::read(dir().join("valid-v1.coffer")).unwrap();
    let parsed = format::parse_file(&valid).unwrap();
    let aad_len = parsed.aad.len();
    let ct_len = parsed.ciphertext.len();
    let edit = |at: usize, bytes: &[u8]| {
        let mut f = valid.clone();
        f[at..at + bytes.len()].copy_from_slice(bytes);
        f
    };
    let xor = |at: usize| {
        let mut f = valid.clone();
        f[at] ^= 0x01;
        f
    };
    let payload_nonce_at = aad_len - 4 - 24;
    let out = dir();
    fs::create_dir_all(&out).unwrap();
    let files: [(&str, Vec<u8>); 10] = [
        ("valid-v1.coffer", valid.clone()),
        ("flipped-header.coffer", xor(payload_nonce_at)),
        ("flipped-salt.coffer", xor(29)),
        ("flipped-ciphertext.coffer", xor(aad_len + ct_len / 2)),
        ("truncated.coffer", valid[..aad_len + ct_len / 2].to_vec()),
        ("bad-magic.coffer", edit(0, b"K")),
        ("future-version.coffer", edit(8, &2u16.to_le_bytes())),
        ("excessive-kdf.coffer", edit(17, &u32::MAX.to_le_bytes())),
        ("expensive-kdf.coffer", edit(17, &[(4u32 * 1024 * 1024).to_le_bytes(), 64u32.to_le_bytes()].concat())),
        ("unknown-slot.coffer", edit(13, &[9])),
    ];
    for (name, bytes) in files {
        fs::write(out.join(name), bytes).unwrap();
    }
}
