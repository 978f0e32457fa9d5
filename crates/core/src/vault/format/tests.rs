//! The vault format's unit tests (unchanged by the split into one module per section).

use crate::chain::Chain;
use crate::mnemonic::Language;
use crate::secret::{SecretString, SecretVec};
use crate::vault::kdf::KdfParams;
use crate::vault::migration::Migration;
use crate::vault::seal::TAG_LEN;
use crate::vault::seed::{AccountLabel, AccountSettings, ChainView, SeedId, SeedRecord};

use super::header::*;
use super::migration::*;
use super::payload::*;
use super::seed::*;
use super::*;

fn slot() -> PasswordSlot {
    PasswordSlot { params: KdfParams::insecure_for_tests(), salt: [1; 32], nonce: [2; 24], wrapped: [3; 48] }
}

fn header() -> Header {
    Header {
        slots: vec![Slot::Password(slot()), Slot::Device(DeviceSlot { id: [4; 16], nonce: [5; 24], wrapped: [6; 48] })],
        payload_nonce: [7; 24],
    }
}

fn file(h: &Header, ct: &[u8]) -> Vec<u8> {
    let mut f = h.encode(ct.len()).unwrap();
    f.extend_from_slice(ct);
    f
}

fn record(label: &str) -> SeedRecord {
    SeedRecord {
        id: SeedId([label.len() as u8; 16]),
        label: label.into(),
        created: 1_764_288_000,
        language: Language::Japanese,
        entropy: SecretVec::from(vec![9; 16]),
        passphrase: Some(SecretString::from("pass phrase".to_owned())),
        compromised: true,
        backup_checked: false,
        settings: AccountSettings {
            views: vec![ChainView { chain: Chain::Stellar, accounts: 3, indices: 1 }],
            labels: vec![AccountLabel { chain: Chain::Sui, account: 1, index: 2, label: "rent".into() }],
        },
    }
}

#[test]
fn header_round_trip() {
    let h = header();
    let f = file(&h, &[0xAA; 40]);
    assert_eq!(f.len(), 13 + 3 + PASSWORD_SLOT_LEN + 3 + DEVICE_SLOT_LEN + 24 + 4 + 40);
    let p = parse_file(&f).unwrap();
    assert_eq!(p.header, h);
    assert_eq!(p.ciphertext, &[0xAA; 40]);
    assert_eq!(p.aad, &f[..f.len() - 40]);
    assert_eq!(p.header.password_slot().unwrap(), &slot());
    assert_eq!(p.header.device_slots().count(), 1);
}

#[test]
fn every_truncation_is_truncated() {
    let f = file(&header(), &[0xAA; 40]);
    for n in 0..f.len() {
        assert!(matches!(parse_file(&f[..n]), Err(VaultError::Truncated)), "cut at {n}");
    }
}

#[test]
fn header_faults() {
    let f = file(&header(), &[0xAA; 40]);
    let with = |i: usize, b: &[u8]| {
        let mut g = f.clone();
        g[i..i + b.len()].copy_from_slice(b);
        parse_file(&g).map(|_| ())
    };
    assert!(matches!(with(0, b"X"), Err(VaultError::NotAVault)));
    assert!(matches!(parse_file(b"hello"), Err(VaultError::NotAVault)));
    assert!(matches!(with(8, &2u16.to_le_bytes()), Err(VaultError::UnsupportedVersion { version: 2 })));
    assert!(matches!(with(8, &0u16.to_le_bytes()), Err(VaultError::UnsupportedVersion { version: 0 })));
    assert!(matches!(with(10, &[1]), Err(VaultError::Corrupted)));
    assert!(matches!(with(12, &[0]), Err(VaultError::Corrupted)));
    assert!(matches!(with(12, &[9]), Err(VaultError::Corrupted)));
    assert!(matches!(with(13, &[9]), Err(VaultError::Unsupported { what: "key slot type", tag: 9 })));
    assert!(matches!(with(14, &[0]), Err(VaultError::Corrupted)));
    assert!(matches!(with(16, &[2]), Err(VaultError::Unsupported { .. })));
    // memory, passes, lanes at 17, 21, 25
    assert!(matches!(with(17, &u32::MAX.to_le_bytes()), Err(VaultError::ExcessiveWork { .. })));
    assert!(matches!(with(21, &65u32.to_le_bytes()), Err(VaultError::ExcessiveWork { .. })));
    assert!(matches!(with(25, &17u32.to_le_bytes()), Err(VaultError::ExcessiveWork { .. })));
    assert!(matches!(with(21, &0u32.to_le_bytes()), Err(VaultError::Corrupted)));
    assert!(matches!(with(25, &0u32.to_le_bytes()), Err(VaultError::Corrupted)));
    // Device slot turned into a second password slot.
    assert!(matches!(with(13 + 3 + PASSWORD_SLOT_LEN, &[SLOT_PASSWORD]), Err(VaultError::Corrupted)));
    let mut g = f.clone();
    g.push(0);
    assert!(matches!(parse_file(&g), Err(VaultError::Corrupted)));
    let ct_len_at = f.len() - 40 - 4;
    assert!(matches!(with(ct_len_at, &0u32.to_le_bytes()), Err(VaultError::Corrupted)));
    assert!(matches!(with(ct_len_at, &u32::MAX.to_le_bytes()), Err(VaultError::Corrupted)));
    assert!(matches!(with(ct_len_at, &41u32.to_le_bytes()), Err(VaultError::Truncated)));
}

#[test]
fn header_encode_bounds() {
    let mut h = header();
    assert!(h.encode(TAG_LEN - 1).is_err());
    assert!(h.encode(MAX_PAYLOAD_LEN + TAG_LEN + 1).is_err());
    h.slots.remove(0);
    assert!(h.encode(100).is_err());
}

#[test]
fn payload_round_trip() {
    let p = Payload { seeds: vec![record("a"), record("bb")], ..Payload::default() };
    let bytes = encode_payload(&p).unwrap();
    let q = parse_payload(bytes.expose()).unwrap();
    assert_eq!(q.seeds.len(), 2);
    let (a, b) = (&p.seeds[1], &q.seeds[1]);
    assert_eq!(a.info(), b.info());
    assert_eq!(a.entropy, b.entropy);
    assert_eq!(a.passphrase.as_ref().map(|s| s.expose()), b.passphrase.as_ref().map(|s| s.expose()));
    assert_eq!(a.settings, b.settings);
    assert_eq!(encode_payload(&q).unwrap(), bytes);
    assert_eq!(parse_payload(&1u16.to_le_bytes()).unwrap().seeds.len(), 0);
}

fn section(tag: u16, body: &[u8]) -> Vec<u8> {
    let mut v = 1u16.to_le_bytes().to_vec();
    v.extend_from_slice(&tag.to_le_bytes());
    v.extend_from_slice(&(body.len() as u32).to_le_bytes());
    v.extend_from_slice(body);
    v
}

fn seed_body(r: &SeedRecord) -> Vec<u8> {
    let mut s = SecretVec::with_capacity(4096);
    encode_seed(r, &mut s);
    s.expose().to_vec()
}

#[test]
fn payload_faults() {
    let corrupt = |b: &[u8]| matches!(parse_payload(b), Err(VaultError::Corrupted));
    assert!(matches!(parse_payload(&5u16.to_le_bytes()), Err(VaultError::UnsupportedVersion { version: 5 })));
    assert!(corrupt(&[]));
    assert!(matches!(
        parse_payload(&section(99, b"")),
        Err(VaultError::Unsupported { what: "payload section", tag: 99 })
    ));
    let good = seed_body(&record("a"));
    assert!(parse_payload(&section(SECTION_SEED, &good)).is_ok());
    // Every cut before the last required field (flags) ends is caught; later cuts inside a field are too.
    let flags_end = good.windows(6).position(|w| w == [7, 0, 4, 0, 0, 0]).unwrap() + 10;
    let view_end = flags_end + 6 + 9;
    for n in 0..good.len() {
        let ok = parse_payload(&section(SECTION_SEED, &good[..n])).is_ok();
        assert_eq!(ok, n == flags_end || n == view_end, "cut at {n}");
    }
    // Duplicate labels.
    let mut two = section(SECTION_SEED, &good);
    two.extend_from_slice(&section(SECTION_SEED, &good)[2..]);
    assert!(corrupt(&two));
    // Field faults.
    let field = |tag: u16, value: &[u8]| {
        let mut b = good.clone();
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&(value.len() as u32).to_le_bytes());
        b.extend_from_slice(value);
        parse_payload(&section(SECTION_SEED, &b))
    };
    assert!(matches!(field(FIELD_ID, &[0; 16]), Err(VaultError::Corrupted))); // duplicate field
    assert!(matches!(field(50, b""), Err(VaultError::Unsupported { what: "seed field", tag: 50 })));
    assert!(matches!(field(FIELD_CHAIN_VIEW, &[9, 1, 0, 0, 0, 1, 0, 0, 0]), Err(VaultError::Corrupted)));
    assert!(matches!(field(FIELD_CHAIN_VIEW, &[4, 1, 0, 0, 0, 1, 0, 0]), Err(VaultError::Corrupted)));
    assert!(matches!(field(FIELD_CHAIN_VIEW, &[4, 0, 0, 0, 0, 1, 0, 0, 0]), Err(VaultError::Corrupted)));
    assert!(field(FIELD_CHAIN_VIEW, &[4, 1, 0, 0, 0, 1, 0, 0, 0]).is_ok());
    // Bad values in a seed of its own.
    let mut r = record("a");
    r.label = " x".into();
    assert!(corrupt(&section(SECTION_SEED, &seed_body(&r))));
    // Labels stored before invisible and text-direction characters were refused still load (they are shown
    // escaped), seed and account labels alike.
    let mut r = record("a");
    r.label = "main\u{200B}".into();
    r.settings.labels[0].label = "\u{202E}tner".into();
    let parsed = parse_payload(&section(SECTION_SEED, &seed_body(&r))).unwrap();
    assert_eq!(parsed.seeds[0].label, "main\u{200B}");
    assert_eq!(parsed.seeds[0].settings.labels[0].label, "\u{202E}tner");
    let mut r = record("a");
    r.entropy = SecretVec::from(vec![1; 17]);
    assert!(corrupt(&section(SECTION_SEED, &seed_body(&r))));
    let mut r = record("a");
    r.passphrase = Some(SecretString::from(String::new()));
    assert!(corrupt(&section(SECTION_SEED, &seed_body(&r))));
    // Unknown flag bits, unknown language.
    let body = seed_body(&record("a"));
    let flags_at = body.windows(6).position(|w| w == [7, 0, 4, 0, 0, 0]).unwrap() + 6;
    let mut b = body.clone();
    b[flags_at] = 4;
    assert!(corrupt(&section(SECTION_SEED, &b)));
    let lang_at = body.windows(6).position(|w| w == [4, 0, 1, 0, 0, 0]).unwrap() + 6;
    let mut b = body.clone();
    b[lang_at] = 10;
    assert!(corrupt(&section(SECTION_SEED, &b)));
    // Missing required field: drop the trailing fields after flags? Simplest: an empty seed section.
    assert!(corrupt(&section(SECTION_SEED, b"")));
}

#[test]
fn state_section_round_trip_and_faults() {
    use crate::signing_log::Checkpoint;
    let p = Payload { seeds: vec![record("a")], ..Payload::default() };
    p.generation.store(41, std::sync::atomic::Ordering::Relaxed);
    let bytes = encode_payload(&p).unwrap();
    assert_eq!(&bytes.expose()[..2], &PAYLOAD_VERSION_BASE.to_le_bytes());
    let q = parse_payload(bytes.expose()).unwrap();
    assert_eq!(q.generation.into_inner(), 41);
    assert!(q.log_checkpoint.is_none());
    let mut p = p;
    let head = [7; 32];
    p.log_checkpoint = Some(LogCheckpoint {
        at: Checkpoint { archived: 10_000, head },
        key: crate::secret::SecretBytes::from_fn(|k| k.fill(9)),
    });
    let bytes = encode_payload(&p).unwrap();
    let q = parse_payload(bytes.expose()).unwrap();
    let c = q.log_checkpoint.as_ref().unwrap();
    assert_eq!((c.at, c.key.expose()), (Checkpoint { archived: 10_000, head }, &[9; 32]));
    assert_eq!(encode_payload(&q).unwrap(), bytes);

    // A version-1 payload has no state section (a v1 payload parses with generation 0).
    let state = |fields: &[(u16, &[u8])]| {
        let mut body = Vec::new();
        for (tag, value) in fields {
            body.extend_from_slice(&tag.to_le_bytes());
            body.extend_from_slice(&(value.len() as u32).to_le_bytes());
            body.extend_from_slice(value);
        }
        body
    };
    let generation = 5u64.to_le_bytes();
    let good = state(&[(SFIELD_GENERATION, &generation)]);
    let v2 = |sections: &[&[u8]]| {
        let mut v = PAYLOAD_VERSION.to_le_bytes().to_vec();
        for b in sections {
            v.extend_from_slice(&SECTION_STATE.to_le_bytes());
            v.extend_from_slice(&(b.len() as u32).to_le_bytes());
            v.extend_from_slice(b);
        }
        parse_payload(&v)
    };
    assert_eq!(v2(&[&good]).unwrap().generation.into_inner(), 5);
    assert_eq!(parse_payload(&1u16.to_le_bytes()).unwrap().generation.into_inner(), 0);
    assert!(matches!(
        parse_payload(&section(SECTION_STATE, &good)),
        Err(VaultError::Unsupported { what: "payload section", tag: SECTION_STATE })
    ));
    assert!(matches!(v2(&[&good, &good]), Err(VaultError::Corrupted)), "two state sections");
    assert!(matches!(v2(&[b""]), Err(VaultError::Corrupted)), "no generation");
    assert!(matches!(v2(&[&state(&[(SFIELD_GENERATION, &[1; 7])])]), Err(VaultError::Corrupted)));
    let mut checkpoint = 0u64.to_le_bytes().to_vec();
    checkpoint.extend_from_slice(&[1; 64]);
    let zero = state(&[(SFIELD_GENERATION, &generation), (SFIELD_LOG_CHECKPOINT, &checkpoint)]);
    assert!(matches!(v2(&[&zero]), Err(VaultError::Corrupted)), "a checkpoint of no entries");
    checkpoint[0] = 1;
    let one = state(&[(SFIELD_GENERATION, &generation), (SFIELD_LOG_CHECKPOINT, &checkpoint)]);
    assert!(v2(&[&one]).is_ok());
    let short = state(&[(SFIELD_GENERATION, &generation), (SFIELD_LOG_CHECKPOINT, &checkpoint[..71])]);
    assert!(matches!(v2(&[&short]), Err(VaultError::Corrupted)));
    assert!(matches!(
        v2(&[&state(&[(SFIELD_GENERATION, &generation), (9, b"")])]),
        Err(VaultError::Unsupported { what: "state field", tag: 9 })
    ));
}

fn migration() -> Migration {
    use crate::migrate::{PlanRow, Receipt, RowState};
    let row = |chain: Chain, account: u32, state| PlanRow {
        chain,
        account,
        index: 0,
        old_address: format!("old-{account}"),
        new_address: format!("new-{account}"),
        state,
        note: if state == RowState::Manual { "by hand".into() } else { String::new() },
    };
    Migration {
        from: SeedId([1; 16]),
        to: SeedId([2; 16]),
        created: 7,
        challenge: vec![3, 9, 11, 24],
        rows: vec![row(Chain::Stellar, 0, RowState::Signed), row(Chain::IotaStardust, 1, RowState::Manual)],
        receipts: vec![Receipt {
            row: 0,
            chain: Chain::Stellar,
            time: 9,
            tx_id: "ab".repeat(32),
            signature: "sig".into(),
            tx: "AAAA".into(),
            network: "Test SDF Network ; September 2015".into(),
            sent: None,
            sweep: 0,
        }],
    }
}

fn seeds_with_ids() -> Vec<SeedRecord> {
    let mut a = record("a");
    a.id = SeedId([1; 16]);
    let mut b = record("bb");
    b.id = SeedId([2; 16]);
    vec![a, b]
}

/// Rows broadcast or confirmed (states an older build does not know) make the payload version 3, so that such a
/// build says "made by a newer version" instead of "corrupted"; every other payload stays version 2.
#[test]
fn newer_row_states_raise_the_payload_version() {
    use crate::migrate::RowState;
    let mut p = Payload { seeds: seeds_with_ids(), migrations: vec![migration()], ..Payload::default() };
    assert_eq!(&encode_payload(&p).unwrap().expose()[..2], &PAYLOAD_VERSION_BASE.to_le_bytes());
    for state in [RowState::Broadcast, RowState::Confirmed] {
        p.migrations[0].rows[0].state = state;
        let bytes = encode_payload(&p).unwrap();
        assert_eq!(&bytes.expose()[..2], &3u16.to_le_bytes());
        assert_eq!(parse_payload(bytes.expose()).unwrap().migrations, p.migrations);
        // What a build that reads at most version 2 checks first.
        let version = u16::from_le_bytes([bytes.expose()[0], bytes.expose()[1]]);
        assert!(!(1..=PAYLOAD_VERSION_BASE).contains(&version));
    }
}

/// A receipt that records its sending (network, endpoint, confirmed) round-trips and makes the payload version 4, so
/// that a build that reads at most version 3 says "made by a newer version"; faults in the field are `Corrupted`.
#[test]
fn a_sent_receipt_round_trips_in_payload_version_4() {
    use crate::migrate::{RowState, Sent};
    let mut p = Payload { seeds: seeds_with_ids(), migrations: vec![migration()], ..Payload::default() };
    p.migrations[0].rows[0].state = RowState::Confirmed;
    p.migrations[0].receipts[0].sent = Some(Sent {
        confirmed: true,
        failed: None,
        network: "testnet".into(),
        endpoint: "https://horizon-testnet.stellar.org".into(),
        time: 1_700_000_000,
    });
    let bytes = encode_payload(&p).unwrap();
    assert_eq!(&bytes.expose()[..2], &4u16.to_le_bytes());
    assert_eq!(PAYLOAD_VERSION, 4);
    assert_eq!(parse_payload(bytes.expose()).unwrap().migrations, p.migrations);
    // Not recorded as sent: back to version 3.
    p.migrations[0].receipts[0].sent = None;
    assert_eq!(&encode_payload(&p).unwrap().expose()[..2], &PAYLOAD_VERSION_BROADCAST.to_le_bytes());
    // The field, faulty: a receipt that does not exist, a state byte other than 0/1, a second record.
    let field = |receipt: u32, state: u8| {
        let mut v = receipt.to_le_bytes().to_vec();
        v.push(state);
        v.extend_from_slice(&5u64.to_le_bytes());
        v.extend_from_slice(&7u16.to_le_bytes());
        v.extend_from_slice(b"mainnet");
        v
    };
    let with = |fields: &[Vec<u8>]| {
        let mut body = encode_migration(&migration());
        for f in fields {
            body.extend_from_slice(&MFIELD_SENT.to_le_bytes());
            body.extend_from_slice(&(f.len() as u32).to_le_bytes());
            body.extend_from_slice(f);
        }
        parse_migration(&body)
    };
    let ok = with(&[field(0, 0)]).unwrap();
    let sent = ok.receipts[0].sent.as_ref().unwrap();
    assert_eq!((sent.confirmed, sent.network.as_str(), sent.time, sent.endpoint.as_str()), (false, "mainnet", 5, ""));
    // A failed one (2) needs its reason after the network; 3 is no state.
    for bad in [vec![field(1, 0)], vec![field(0, 2)], vec![field(0, 3)], vec![field(0, 1), field(0, 1)]] {
        assert!(matches!(with(&bad), Err(VaultError::Corrupted)));
    }
}

/// A failed receipt keeps its reason, and a receipt of a row's second sweep its sweep number (migration field 8):
/// both round-trip in payload version 4 (a sweep number alone raises it too); field 7 as main first wrote it (0 sent,
/// 1 confirmed, no reason) still reads; faults are `Corrupted`.
#[test]
fn a_failed_receipt_and_a_later_sweep_round_trip() {
    use crate::migrate::{Receipt, RowState, Sent};
    let mut p = Payload { seeds: seeds_with_ids(), migrations: vec![migration()], ..Payload::default() };
    let first = p.migrations[0].receipts[0].clone();
    p.migrations[0].receipts.push(Receipt { tx_id: "cd".repeat(32), sweep: 1, ..first });
    let bytes = encode_payload(&p).unwrap();
    assert_eq!(&bytes.expose()[..2], &4u16.to_le_bytes(), "a second sweep is version 4");
    assert_eq!(parse_payload(bytes.expose()).unwrap().migrations, p.migrations);
    p.migrations[0].rows[0].state = RowState::Failed;
    p.migrations[0].receipts[1].sent = Some(Sent {
        confirmed: false,
        failed: Some("Transaction simulation failed: insufficient funds".into()),
        network: "mainnet".into(),
        endpoint: "https://api.mainnet-beta.solana.com".into(),
        time: 1_700_000_000,
    });
    let bytes = encode_payload(&p).unwrap();
    assert_eq!(&bytes.expose()[..2], &4u16.to_le_bytes());
    let q = parse_payload(bytes.expose()).unwrap();
    assert_eq!(q.migrations, p.migrations);
    assert_eq!(encode_payload(&q).unwrap(), bytes);

    // Field 7 with state 2: the reason (str16) between the network and the endpoint.
    let failed = |reason: &[u8]| {
        let mut v = 0u32.to_le_bytes().to_vec();
        v.push(2);
        v.extend_from_slice(&5u64.to_le_bytes());
        v.extend_from_slice(&7u16.to_le_bytes());
        v.extend_from_slice(b"testnet");
        v.extend_from_slice(&(reason.len() as u16).to_le_bytes());
        v.extend_from_slice(reason);
        v.extend_from_slice(b"https://x.example");
        v
    };
    let sweep = |receipt: u32, n: u32| [receipt.to_le_bytes(), n.to_le_bytes()].concat();
    let with = |fields: &[(u16, Vec<u8>)]| {
        let mut body = encode_migration(&migration());
        for (tag, f) in fields {
            body.extend_from_slice(&tag.to_le_bytes());
            body.extend_from_slice(&(f.len() as u32).to_le_bytes());
            body.extend_from_slice(f);
        }
        parse_migration(&body)
    };
    let ok = with(&[(MFIELD_SENT, failed(b"tx_bad_seq")), (MFIELD_SWEEP, sweep(0, 3))]).unwrap();
    let sent = ok.receipts[0].sent.as_ref().unwrap();
    assert_eq!(
        (sent.confirmed, sent.failed.as_deref(), sent.endpoint.as_str(), ok.receipts[0].sweep),
        (false, Some("tx_bad_seq"), "https://x.example", 3)
    );
    let long = vec![b'x'; crate::migrate::MAX_FAILURE_REASON + 1];
    for bad in [
        vec![(MFIELD_SENT, failed(&long))],
        vec![(MFIELD_SENT, failed(b"\xff"))],
        vec![(MFIELD_SWEEP, sweep(1, 1))],
        vec![(MFIELD_SWEEP, sweep(0, 0))],
        vec![(MFIELD_SWEEP, sweep(0, 1)), (MFIELD_SWEEP, sweep(0, 2))],
        vec![(MFIELD_SWEEP, sweep(0, 10_001))],
        vec![(MFIELD_SWEEP, 0u32.to_le_bytes().to_vec())],
    ] {
        assert!(matches!(with(&bad), Err(VaultError::Corrupted)), "{bad:?}");
    }
}

#[test]
fn migration_section_round_trip_and_faults() {
    let p = Payload { seeds: seeds_with_ids(), migrations: vec![migration()], ..Payload::default() };
    let bytes = encode_payload(&p).unwrap();
    let q = parse_payload(bytes.expose()).unwrap();
    assert_eq!(q.migrations, p.migrations);
    assert_eq!(encode_payload(&q).unwrap(), bytes);

    // The payload with a migration section of the given body.
    let with = |body: &[u8]| {
        let mut v = VERSION.to_le_bytes().to_vec();
        for s in &p.seeds {
            let b = seed_body(s);
            v.extend_from_slice(&SECTION_SEED.to_le_bytes());
            v.extend_from_slice(&(b.len() as u32).to_le_bytes());
            v.extend_from_slice(&b);
        }
        v.extend_from_slice(&SECTION_MIGRATIONS.to_le_bytes());
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        parse_payload(&v).map(|p| p.migrations)
    };
    let body = encode_migration(&migration());
    assert_eq!(with(&body).unwrap(), vec![migration()]);
    // Every truncation is refused, except at a field boundary after the required fields (a plan with fewer
    // rows or receipts is still a plan); a receipt needs its row, so no cut before the rows end parses with it.
    let created_end = 3 * 6 + 16 + 16 + 8;
    let mut ends = Vec::new();
    let mut r = Reader::new(&body, || VaultError::Corrupted);
    while !r.is_empty() {
        r.tlv().unwrap();
        ends.push(r.pos());
    }
    for n in 0..body.len() {
        let ok = with(&body[..n]).is_ok();
        assert_eq!(ok, n >= created_end && ends.contains(&n), "cut at {n}");
    }
    // Faults: a section naming an unknown seed, the same seed twice, a duplicate row, bad challenge, state,
    // chain, an unknown field, a receipt for a row that does not exist, trailing bytes in a field.
    let mut m = migration();
    m.to = SeedId([9; 16]);
    assert!(matches!(with(&encode_migration(&m)), Err(VaultError::Corrupted)));
    let mut m = migration();
    m.to = m.from;
    assert!(matches!(with(&encode_migration(&m)), Err(VaultError::Corrupted)));
    let mut m = migration();
    m.rows[1] = m.rows[0].clone();
    assert!(matches!(with(&encode_migration(&m)), Err(VaultError::Corrupted)));
    for challenge in [vec![0u8], vec![25], vec![5, 5], vec![9, 3], vec![1, 2, 3, 4, 5]] {
        let mut m = migration();
        m.challenge = challenge.clone();
        assert!(matches!(with(&encode_migration(&m)), Err(VaultError::Corrupted)), "{challenge:?}");
    }
    let mut m = migration();
    m.receipts[0].row = 5;
    assert!(matches!(with(&encode_migration(&m)), Err(VaultError::Corrupted)));
    let field = |tag: u16, value: &[u8]| {
        let mut b = body.clone();
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&(value.len() as u32).to_le_bytes());
        b.extend_from_slice(value);
        with(&b)
    };
    assert!(matches!(field(MFIELD_FROM, &[1; 16]), Err(VaultError::Corrupted)));
    assert!(matches!(field(MFIELD_CREATED, &[1; 9]), Err(VaultError::Corrupted)));
    assert!(matches!(field(77, b""), Err(VaultError::Unsupported { what: "migration field", tag: 77 })));
    let mut row = vec![chain_code(Chain::Sui), 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0];
    assert!(matches!(field(MFIELD_ROW, &row), Err(VaultError::Corrupted)), "unknown state");
    row[9] = 0;
    assert!(field(MFIELD_ROW, &row).is_ok());
    row[0] = 99;
    assert!(matches!(field(MFIELD_ROW, &row), Err(VaultError::Corrupted)), "unknown chain");
    row[0] = chain_code(Chain::Raw);
    assert!(matches!(field(MFIELD_ROW, &row), Err(VaultError::Corrupted)), "raw has no path");
    row[0] = chain_code(Chain::Sui);
    row[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(field(MFIELD_ROW, &row), Err(VaultError::Corrupted)), "account out of range");
    let long =
        [&[chain_code(Chain::Sui), 0, 0, 0, 0, 0, 0, 0, 0, 0][..], &2000u16.to_le_bytes(), &[b'a'; 2000]].concat();
    assert!(matches!(field(MFIELD_ROW, &long), Err(VaultError::Corrupted)), "address too long");
    // Two migrations from the same seed.
    let two = Payload { seeds: seeds_with_ids(), migrations: vec![migration(), migration()], ..Payload::default() };
    assert!(matches!(parse_payload(encode_payload(&two).unwrap().expose()), Err(VaultError::Corrupted)));
}

/// A cheap stand-in for the fuzzer that runs with every `cargo test`: thousands of random edits of a valid file
/// and payload must give errors or canonical parses, never a panic.
#[test]
fn random_mutations_never_panic() {
    let file_bytes = file(&header(), &[0xAA; 40]);
    let payload = encode_payload(&Payload {
        seeds: vec![record("a"), record("bb")],
        log: Vec::new(),
        migrations: vec![migration()],
        ..Payload::default()
    })
    .unwrap();
    let mut rng = [0u8; 4 * 4096];
    getrandom::fill(&mut rng).unwrap();
    for (i, r) in rng.chunks(4).enumerate() {
        for base in [&file_bytes[..], payload.expose()] {
            let mut m = base.to_vec();
            let at = usize::from(u16::from_le_bytes([r[0], r[1]])) % m.len();
            match r[2] % 4 {
                0 => m[at] ^= r[3] | 1,
                1 => m.truncate(at),
                2 => m.insert(at, r[3]),
                _ => m[at..].iter_mut().take(4).for_each(|b| *b = r[3]),
            }
            if let Ok(p) = parse_file(&m) {
                assert_eq!(p.header.encode(p.ciphertext.len()).unwrap(), p.aad, "case {i}");
            }
            let _ = parse_payload(&m);
        }
    }
}

#[test]
fn codes_are_total_and_stable() {
    for l in Language::ALL {
        assert_eq!(language_from_code(language_code(l)).unwrap(), l);
    }
    for c in Chain::ALL {
        assert_eq!(chain_from_code(chain_code(c)).unwrap(), c);
    }
    assert_eq!(language_code(Language::English), 0);
    assert_eq!(chain_code(Chain::Iota), 1);
}
