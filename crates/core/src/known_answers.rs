//! Known-answer tests against the published vectors in `tests/vectors/` (sources are recorded in each file).
//! They live inside the crate because they compare private keys, which the public API never returns.

use serde_json::Value;

use crate::chain::{AccountIndex, AddressIndex, Chain, stardust};
use crate::derive::{DerivationPath, ExtendedKey};
use crate::mnemonic::{Language, Mnemonic, Seed};

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn seed_hex(seed: &Seed) -> String {
    hex::encode(seed.expose())
}

fn derive(seed: &Seed, path: &str) -> ExtendedKey {
    ExtendedKey::derive(seed, &path.parse::<DerivationPath>().unwrap())
}

fn pk_hex(k: &ExtendedKey) -> String {
    k.public_key().to_hex()
}

#[test]
fn bip39_trezor_english_all_24() {
    let v = load("bip39.json");
    let pass = s(&v["passphrase"]);
    let vectors = v["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 24);
    for case in vectors {
        let words = s(&case["mnemonic"]);
        let m = Mnemonic::parse(words).unwrap();
        assert_eq!(m.language(), Language::English);
        assert_eq!(hex::encode(m.entropy().expose()), s(&case["entropy"]), "{words}");
        assert_eq!(seed_hex(&m.to_seed(pass)), s(&case["seed"]), "{words}");
        let from_entropy =
            Mnemonic::from_entropy(Language::English, &hex::decode(s(&case["entropy"])).unwrap()).unwrap();
        assert_eq!(from_entropy.phrase().expose(), words);
    }
}

#[test]
fn bip39_other_languages() {
    let v = load("bip39.json");
    for case in v["other_languages"].as_array().unwrap() {
        let lang: Language = s(&case["language"]).parse().unwrap();
        let m = Mnemonic::parse(s(&case["mnemonic"])).unwrap();
        assert_eq!(m.language(), lang);
        assert_eq!(hex::encode(m.entropy().expose()), s(&case["entropy"]));
        assert_eq!(seed_hex(&m.to_seed("TREZOR")), s(&case["seed"]));
    }
}

#[test]
fn slip10_ed25519_vectors_1_and_2() {
    let v = load("slip10_ed25519.json");
    let mut checked = 0;
    for vector in v.as_array().unwrap() {
        let seed = Seed::from_bytes(&hex::decode(s(&vector["seed"])).unwrap()).unwrap();
        for c in vector["chains"].as_array().unwrap() {
            let k = derive(&seed, s(&c["path"]));
            assert_eq!(hex::encode(k.chain_code.expose()), s(&c["chain_code"]), "{}", c["path"]);
            assert_eq!(hex::encode(k.key.expose()), s(&c["private"]), "{}", c["path"]);
            assert_eq!(format!("00{}", pk_hex(&k)), s(&c["public"]), "{}", c["path"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
}

/// StrKey of an ed25519 secret seed (`S…`), to compare SEP-0005 private keys. Test-only: Coffer never shows one.
fn stellar_secret_strkey(key: &[u8; 32]) -> String {
    // Same StrKey construction as a G... account ID, with version byte 18 << 3.
    let mut data = vec![18u8 << 3];
    data.extend_from_slice(key);
    let mut crc: u16 = 0;
    for &b in &data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    data.extend_from_slice(&crc.to_le_bytes());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buf, mut bits) = (String::new(), 0u32, 0u32);
    for b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(alphabet[((buf >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(alphabet[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

#[test]
fn stellar_sep5_all_five() {
    let v = load("stellar_sep5.json");
    let mut checked = 0;
    for t in v.as_array().unwrap() {
        let m = Mnemonic::parse(s(&t["mnemonic"])).unwrap();
        let seed = m.to_seed(s(&t["passphrase"]));
        assert_eq!(seed_hex(&seed), s(&t["bip39_seed"]), "{}", t["name"]);
        assert_eq!(hex::encode(derive(&seed, "m/44'/148'").key.expose()), s(&t["m_44h_148h_key"]));
        for (i, k) in t["keys"].as_array().unwrap().iter().enumerate() {
            let acct = Chain::Stellar
                .account(&seed, AccountIndex::new(u32::try_from(i).unwrap()).unwrap(), AddressIndex::ZERO)
                .unwrap();
            assert_eq!(acct.path.to_string(), s(&k["path"]));
            assert_eq!(acct.address, s(&k["public_key"]), "{} {}", t["name"], k["path"]);
            let ek = derive(&seed, s(&k["path"]));
            assert_eq!(stellar_secret_strkey(ek.key.expose()), s(&k["secret_seed"]));
            checked += 1;
        }
    }
    assert_eq!(checked, 50);
}

#[test]
fn solana_phantom_paths() {
    let v = load("solana.json");
    let seed = Mnemonic::parse(s(&v["mnemonic"])).unwrap().to_seed(s(&v["passphrase"]));
    assert_eq!(seed_hex(&seed), s(&v["bip39_seed"]));
    for (i, k) in v["keys"].as_array().unwrap().iter().enumerate() {
        let acct = Chain::Solana
            .account(&seed, AccountIndex::new(u32::try_from(i).unwrap()).unwrap(), AddressIndex::ZERO)
            .unwrap();
        assert_eq!(acct.path.to_string(), s(&k["path"]));
        assert_eq!(acct.public_key.to_hex(), s(&k["public_key_hex"]));
        assert_eq!(acct.address, s(&k["address_base58"]));
        assert_eq!(hex::encode(derive(&seed, s(&k["path"])).key.expose()), s(&k["private_key_seed_hex"]));
    }
    // Other conventions that differ from ours, to show the path matters.
    for other in v["other_conventions_derived"].as_array().unwrap() {
        if let Some(path) = other["path"].as_str() {
            let acct = Chain::Solana.account_at(&seed, path.parse().unwrap());
            assert_eq!(acct.address, s(&other["address_base58"]), "{path}");
        }
    }
}

#[test]
fn sui_keytool_cases() {
    let v = load("sui.json");
    let cases = v["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for c in cases {
        let seed = Mnemonic::parse(s(&c["mnemonic"])).unwrap().to_seed("");
        let acct = Chain::Sui.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        assert_eq!(acct.path.to_string(), "m/44'/784'/0'/0'/0'");
        assert_eq!(acct.public_key.to_hex(), s(&c["public_key_hex"]));
        assert_eq!(acct.address, s(&c["address"]));
        assert_eq!(hex::encode(derive(&seed, "m/44'/784'/0'/0'/0'").key.expose()), s(&c["private_key_hex"]));
    }
}

#[test]
fn iota_rebased_keytool_cases() {
    let v = load("iota_rebased.json");
    let cases = v["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for c in cases {
        let seed = Mnemonic::parse(s(&c["mnemonic"])).unwrap().to_seed("");
        let acct = Chain::Iota.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        assert_eq!(acct.path.to_string(), "m/44'/4218'/0'/0'/0'");
        assert_eq!(acct.public_key.to_hex(), s(&c["public_key_hex"]));
        assert_eq!(acct.address, s(&c["address"]), "no flag byte for IOTA ed25519 addresses");
        assert_ne!(acct.address, Chain::Sui.address(&acct.public_key));
        assert_eq!(hex::encode(derive(&seed, "m/44'/4218'/0'/0'/0'").key.expose()), s(&c["private_key_hex"]));
    }
    // The same mnemonic keeps its address from Stardust to Rebased.
    let cont = &v["stardust_mnemonic_rebased_address"];
    let seed = Mnemonic::parse(s(&cont["mnemonic"])).unwrap().to_seed("");
    assert_eq!(
        Chain::Iota.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address,
        s(&cont["address"])
    );
}

#[test]
fn iota_stardust_bech32() {
    let v = load("iota_stardust.json");
    let vectors = v["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 4);
    for c in vectors {
        let seed = Mnemonic::parse(s(&c["mnemonic"])).unwrap().to_seed("");
        let k = derive(&seed, s(&c["path"]));
        assert_eq!(pk_hex(&k), s(&c["public_key_hex"]));
        assert_eq!(hex::encode(k.key.expose()), s(&c["private_key_hex"]));
        let pk = k.public_key();
        assert_eq!(format!("0x{}", hex::encode(crate::chain::iota::address_bytes(&pk))), s(&c["ed25519_address"]));
        assert_eq!(stardust::address_with_hrp(&pk, s(&c["bech32_hrp"])).unwrap(), s(&c["bech32_address"]));
        if s(&c["bech32_hrp"]) == "iota" {
            let acct = Chain::IotaStardust.account_at(&seed, s(&c["path"]).parse().unwrap());
            assert_eq!(acct.address, s(&c["bech32_address"]));
        }
    }
}

/// Accounts 0-2 of IOTA and Sui at the wallets' account paths (`m/44'/coin'/{account}'/0'/0'`), as the SDKs'
/// `Ed25519Keypair.deriveKeypair` gives them (tests/interop's self-test re-derives the file with both SDKs).
#[test]
fn wallet_accounts_match_the_sdks() {
    let v = load("wallet_accounts.json");
    let seed = Mnemonic::parse(s(&v["mnemonic"])).unwrap().to_seed(s(&v["passphrase"]));
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for c in cases {
        let chain = match s(&c["chain"]) {
            "iota" => Chain::Iota,
            "sui" => Chain::Sui,
            other => panic!("unexpected chain {other}"),
        };
        let account = u32::try_from(c["account"].as_u64().unwrap()).unwrap();
        let a = chain.account(&seed, AccountIndex::new(account).unwrap(), AddressIndex::ZERO).unwrap();
        assert_eq!(a.path.to_string(), s(&c["path"]), "{chain:?} {account}");
        assert_eq!(a.address, s(&c["address"]), "{chain:?} {account}");
        assert_eq!(a.public_key.to_hex(), s(&c["public_key_hex"]), "{chain:?} {account}");
    }
}
