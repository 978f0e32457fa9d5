//! The complete Stellar sweep (issue #14): what the builder makes from holdings, every form the guard accepts and a
//! refused variant of each, and the vault signing with both keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::tests::plan_for_tests;
use super::*;
use crate::holdings::stellar::{
    ClaimPredicate, StellarAsset, StellarClaimable, StellarHoldings, StellarOffer, StellarTrustline,
};
use crate::sign::stellar::{Asset, OperationBody, decode_envelope};
use crate::sign::{self, Network, Payload, SignRequest};

const ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";
const NOW: i64 = 1_800_000_000;

pub(crate) fn key(g: &str) -> [u8; 32] {
    crate::chain::stellar::parse_address(g).unwrap()
}

fn usdc() -> StellarAsset {
    StellarAsset::Credit { code: "USDC".into(), issuer: ISSUER.into() }
}

fn long() -> StellarAsset {
    StellarAsset::Credit { code: "LONGCODE1234".into(), issuer: ISSUER.into() }
}

fn credit(asset: &StellarAsset, balance: i64) -> StellarTrustline {
    let StellarAsset::Credit { code, issuer } = asset else { panic!() };
    StellarTrustline::Credit {
        code: code.clone(),
        issuer: issuer.clone(),
        balance,
        limit: i64::MAX,
        authorized: true,
        auth_required: false,
    }
}

fn claimable(n: u8, asset: StellarAsset, amount: i64, predicate: ClaimPredicate) -> StellarClaimable {
    StellarClaimable { id: format!("00000000{}", hex::encode([n; 32])), asset, amount, predicate }
}

/// An old account with 100 XLM, two credit assets, an offer, a data entry and three claimable balances (one native
/// and one USDC claimable now, one expired).
pub(crate) fn holdings(old: &str) -> StellarHoldings {
    StellarHoldings {
        address: old.into(),
        exists: true,
        sequence: 41,
        native: 1_000_000_000,
        trustlines: vec![credit(&usdc(), 25_000_000), credit(&long(), 7)],
        offers: vec![StellarOffer {
            id: 99,
            selling: StellarAsset::Native,
            buying: usdc(),
            amount: 50_000_000,
            price_n: 1,
            price_d: 3,
        }],
        data: vec!["config.memo".into()],
        claimable_balances: vec![
            claimable(1, StellarAsset::Native, 30_000_000, ClaimPredicate::Unconditional),
            claimable(2, usdc(), 5, ClaimPredicate::Not(Box::new(ClaimPredicate::AbsBeforeEpoch(NOW - 1)))),
            claimable(3, usdc(), 9, ClaimPredicate::AbsBeforeEpoch(NOW)),
        ],
        subentry_count: 4,
        num_sponsoring: 0,
        num_sponsored: 0,
    }
}

pub(crate) fn fresh(new: &str) -> StellarHoldings {
    StellarHoldings { address: new.into(), ..StellarHoldings::default() }
}

pub(crate) fn params() -> StellarSweepParams {
    StellarSweepParams { now: NOW, ..StellarSweepParams::default() }
}

fn stellar_row(m: &[PlanRow]) -> (&str, &str) {
    let r = &m[7];
    (&r.old_address, &r.new_address)
}

fn check(m: &[PlanRow], tx: &str) -> Result<usize, GuardError> {
    let r = SignRequest::new(Chain::Stellar, Payload::Transaction(tx.to_owned())).with_network(Network::Testnet);
    check_sweep(m, &sign::decode(&r).unwrap())
}

fn credit_asset(a: &StellarAsset) -> Asset {
    let StellarAsset::Credit { code, issuer } = a else { panic!() };
    Asset::Credit { code: code.clone(), issuer: key(issuer) }
}

#[test]
fn builds_every_operation_in_order_in_one_transaction() {
    let m = plan_for_tests();
    let (old, new) = stellar_row(&m);
    let plan = build_stellar_sweep(&holdings(old), &fresh(new), &params()).unwrap();
    assert_eq!(plan.transactions.len(), 1);
    assert!(plan.merges);
    let env = decode_envelope(&B64.decode(&plan.transactions[0]).unwrap()).unwrap();
    assert_eq!((env.source.key, env.seq_num, env.fee), (key(old), 42, 100 * 12));
    let (o, n) = (key(old), key(new));
    let ops: Vec<(Option<[u8; 32]>, OperationBody)> =
        env.operations.iter().map(|op| (op.source.map(|s| s.key), op.body.clone())).collect();
    let pay = |asset, amount| OperationBody::Payment {
        destination: sign::stellar::MuxedAccount { key: n, id: None },
        asset,
        amount,
    };
    let expected = vec![
        (
            None,
            OperationBody::ManageOffer {
                buy: false,
                selling: Asset::Native,
                buying: credit_asset(&usdc()),
                amount: 0,
                price: (1, 3),
                offer_id: 99,
            },
        ),
        (None, OperationBody::ManageData { name: b"config.memo".to_vec(), value: None }),
        (None, OperationBody::ClaimClaimableBalance { balance_id: [1; 32] }),
        (None, OperationBody::ClaimClaimableBalance { balance_id: [2; 32] }),
        // The new account's reserve and one for each of its two trustlines: 2 XLM.
        (None, OperationBody::CreateAccount { destination: n, starting_balance: 20_000_000 }),
        (Some(n), OperationBody::ChangeTrust { line: credit_asset(&usdc()), limit: i64::MAX }),
        (None, pay(credit_asset(&usdc()), 25_000_005)),
        (None, OperationBody::ChangeTrust { line: credit_asset(&usdc()), limit: 0 }),
        (Some(n), OperationBody::ChangeTrust { line: credit_asset(&long()), limit: i64::MAX }),
        (None, pay(credit_asset(&long()), 7)),
        (None, OperationBody::ChangeTrust { line: credit_asset(&long()), limit: 0 }),
        (None, OperationBody::AccountMerge { destination: sign::stellar::MuxedAccount { key: n, id: None } }),
    ];
    assert_eq!(ops, expected);
    assert_ne!(o, n);
    // The expired claimable balance stays, with the reason.
    assert_eq!(plan.left.len(), 1, "{:?}", plan.left);
    assert!(plan.left[0].what.contains(&"03".repeat(32)) && plan.left[0].reason.contains("predicate"));
    assert!(plan.moves.iter().any(|mv| mv.asset == usdc().to_string() && mv.amount == 25_000_005));
    // The guard accepts it, and the summary shows every operation.
    assert_eq!(check(&m, &plan.transactions[0]), Ok(7));
    let r = SignRequest::new(Chain::Stellar, Payload::Transaction(plan.transactions[0].clone()))
        .with_network(Network::Testnet);
    let text = sign::decode(&r).unwrap().summary().to_string();
    for want in ["remove sell offer 99", "delete data", "claim claimable balance", "create account", "merge"] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn an_existing_new_account_gets_its_reserves_paid_and_keeps_what_it_has() {
    let m = plan_for_tests();
    let (old, new) = stellar_row(&m);
    let mut h = holdings(old);
    h.offers.clear();
    h.data.clear();
    h.claimable_balances.clear();
    h.subentry_count = 2;
    let existing = StellarHoldings { exists: true, trustlines: vec![credit(&usdc(), 0)], ..fresh(new) };
    let plan = build_stellar_sweep(&h, &existing, &params()).unwrap();
    let env = decode_envelope(&B64.decode(&plan.transactions[0]).unwrap()).unwrap();
    // One reserve (0.5 XLM) for the one trustline the new account lacks, paid in lumens; no CREATE_ACCOUNT.
    assert!(matches!(&env.operations[0].body, OperationBody::Payment { asset: Asset::Native, amount: 5_000_000, .. }));
    assert!(!env.operations.iter().any(|o| matches!(o.body, OperationBody::CreateAccount { .. })));
    assert_eq!(check(&m, &plan.transactions[0]), Ok(7));
}

#[test]
fn what_cannot_move_stays_with_its_reason_and_blocks_the_merge() {
    let m = plan_for_tests();
    let (old, new) = stellar_row(&m);
    let mut h = holdings(old);
    h.claimable_balances.clear();
    h.trustlines[1] = StellarTrustline::Credit {
        code: "LONGCODE1234".into(),
        issuer: ISSUER.into(),
        balance: 7,
        limit: i64::MAX,
        authorized: true,
        auth_required: true,
    };
    let plan = build_stellar_sweep(&h, &fresh(new), &params()).unwrap();
    assert!(!plan.merges);
    assert!(plan.left.iter().any(|l| l.what == long().to_string() && l.reason.contains("AUTH_REQUIRED")));
    assert!(plan.left.iter().any(|l| l.what == "native" && l.reason.contains("cannot be merged")));
    let env = decode_envelope(&B64.decode(&plan.transactions[0]).unwrap()).unwrap();
    assert!(!env.operations.iter().any(|o| matches!(o.body, OperationBody::AccountMerge { .. })));
    // The lumens above the remaining minimum balance (2 + 1 subentry = 1.5 XLM) move by payment.
    let last = env.operations.last().unwrap();
    let fee = 100 * env.operations.len() as i64;
    let expected = 1_000_000_000 - fee - 15_000_000 - 15_000_000;
    assert!(
        matches!(last.body, OperationBody::Payment { asset: Asset::Native, amount, .. } if amount == expected),
        "{last:?}"
    );
    assert_eq!(check(&m, &plan.transactions[0]), Ok(7));
    // Pool shares stay, and keep every credit trustline (the pool needs them) while their balances move.
    let mut p = holdings(old);
    p.trustlines.push(StellarTrustline::PoolShares { pool_id: "ab".repeat(32), balance: 3 });
    p.subentry_count = 5;
    let plan = build_stellar_sweep(&p, &fresh(new), &params()).unwrap();
    assert!(!plan.merges && plan.left.iter().any(|l| l.what.starts_with("pool shares")));
    let env = decode_envelope(&B64.decode(&plan.transactions[0]).unwrap()).unwrap();
    assert!(!env.operations.iter().any(|o| matches!(o.body, OperationBody::ChangeTrust { limit: 0, .. })));
    assert_eq!(check(&m, &plan.transactions[0]), Ok(7));
    // A sponsoring account cannot be merged either; a missing account has nothing to sweep; too few lumens.
    let s = StellarHoldings { num_sponsoring: 1, ..holdings(old) };
    assert!(!build_stellar_sweep(&s, &fresh(new), &params()).unwrap().merges);
    let gone = StellarHoldings { exists: false, ..holdings(old) };
    assert!(matches!(build_stellar_sweep(&gone, &fresh(new), &params()), Err(MigrateError::NothingToSweep { .. })));
    let poor = StellarHoldings { native: 10_000_000, ..holdings(old) };
    assert!(matches!(build_stellar_sweep(&poor, &fresh(new), &params()), Err(MigrateError::BalanceBelowFee { .. })));
    let other = StellarHoldings { address: ISSUER.into(), ..fresh(new) };
    assert!(matches!(build_stellar_sweep(&holdings(old), &other, &params()), Err(MigrateError::Guard(_)) | Ok(_)));
}

#[test]
fn more_than_100_operations_split_with_the_merge_last() {
    let m = plan_for_tests();
    let (old, new) = stellar_row(&m);
    let mut h = holdings(old);
    h.claimable_balances.clear();
    h.data = (0..150).map(|i| format!("entry{i}")).collect();
    h.subentry_count = 2 + 1 + 150;
    let plan = build_stellar_sweep(&h, &fresh(new), &params()).unwrap();
    assert_eq!(plan.transactions.len(), 2);
    let envs: Vec<_> = plan.transactions.iter().map(|t| decode_envelope(&B64.decode(t).unwrap()).unwrap()).collect();
    assert_eq!(envs[0].operations.len(), 100);
    assert_eq!((envs[0].seq_num, envs[1].seq_num), (42, 43));
    assert_eq!(envs.iter().map(|e| e.operations.len()).sum::<usize>(), 1 + 150 + 1 + 6 + 1);
    assert!(matches!(envs[1].operations.last().unwrap().body, OperationBody::AccountMerge { .. }));
    // A trustline's three operations stay together.
    for e in &envs {
        let trusts = e.operations.iter().filter(|o| o.source.is_some()).count();
        let untrusts =
            e.operations.iter().filter(|o| matches!(o.body, OperationBody::ChangeTrust { limit: 0, .. })).count();
        assert_eq!(trusts, untrusts);
        assert_eq!(e.fee, 100 * e.operations.len() as u32);
    }
    for t in &plan.transactions {
        assert_eq!(check(&m, t), Ok(7));
    }
}

// ---------------------------------------------------------------- the guard: allowed forms and hostile variants

/// Raw operation XDR for hostile variants: (source, type, body).
#[derive(Clone)]
struct Raw(Vec<u8>);

fn acct(k: &[u8; 32]) -> Vec<u8> {
    let mut v = 0u32.to_be_bytes().to_vec();
    v.extend(k);
    v
}

fn asset4(code: &str, issuer: &[u8; 32]) -> Vec<u8> {
    let mut v = 1u32.to_be_bytes().to_vec();
    let mut c = code.as_bytes().to_vec();
    c.resize(4, 0);
    v.extend(c);
    v.extend(acct(issuer));
    v
}

fn op(source: Option<&[u8; 32]>, kind: u32, body: &[Vec<u8>]) -> Raw {
    let mut v = Vec::new();
    match source {
        Some(k) => {
            v.extend(1u32.to_be_bytes());
            v.extend(acct(k));
        }
        None => v.extend(0u32.to_be_bytes()),
    }
    v.extend(kind.to_be_bytes());
    for b in body {
        v.extend(b);
    }
    Raw(v)
}

fn tx(source: &[u8; 32], ops: &[Raw]) -> String {
    let mut out = 2u32.to_be_bytes().to_vec();
    out.extend(acct(source));
    out.extend((100 * ops.len() as u32).to_be_bytes());
    out.extend(5i64.to_be_bytes());
    out.extend([0u8; 8]);
    out.extend((ops.len() as u32).to_be_bytes());
    for o in ops {
        out.extend(&o.0);
    }
    out.extend([0u8; 8]);
    B64.encode(out)
}

fn i64b(n: i64) -> Vec<u8> {
    n.to_be_bytes().to_vec()
}

#[test]
fn guard_accepts_exactly_the_sweep_forms() {
    let m = plan_for_tests();
    let (old, new) = stellar_row(&m);
    let (o, n, third) = (key(old), key(new), [4u8; 32]);
    let issuer = key(ISSUER);
    let usd = asset4("USDC", &issuer);
    let eur = asset4("EUR", &issuer);
    let native = 0u32.to_be_bytes().to_vec();
    let pay = |to: &[u8; 32], a: &Vec<u8>| op(None, 1, &[acct(to), a.clone(), i64b(10)]);
    let trust_new = |a: &Vec<u8>, limit| op(Some(&n), 6, &[a.clone(), i64b(limit)]);
    let untrust = |a: &Vec<u8>| op(None, 6, &[a.clone(), i64b(0)]);
    let offer =
        |kind, amount, id| op(None, kind, &[native.clone(), usd.clone(), i64b(amount), i64b(1 << 32 | 3), i64b(id)]);
    let data = |value: bool| {
        let mut v = 4u32.to_be_bytes().to_vec();
        v.extend(b"name");
        if value {
            v.extend(1u32.to_be_bytes());
            v.extend(2u32.to_be_bytes());
            v.extend([1, 2, 0, 0]);
        } else {
            v.extend(0u32.to_be_bytes());
        }
        op(None, 10, &[v])
    };
    let claim = op(None, 15, &[0u32.to_be_bytes().to_vec(), vec![7; 32]]);
    let merge = |to: &[u8; 32]| op(None, 8, &[acct(to)]);
    let create = |to: &[u8; 32]| op(None, 0, &[acct(to), i64b(20_000_000)]);
    let ok = |ops: Vec<Raw>| assert_eq!(check(&m, &tx(&o, &ops)), Ok(7));
    let refused = |ops: Vec<Raw>, want: &str| {
        let e = check(&m, &tx(&o, &ops)).unwrap_err();
        assert!(e.to_string().contains(want), "{want}: {e}");
    };
    // Every allowed form, alone and together.
    ok(vec![create(&n), trust_new(&usd, i64::MAX), pay(&n, &usd), untrust(&usd), merge(&n)]);
    ok(vec![offer(3, 0, 99), offer(12, 0, 98), data(false), claim.clone(), pay(&n, &native), merge(&n)]);
    ok(vec![untrust(&eur), claim.clone()]);
    // A payment to a third account, back to the compromised seed, a merge elsewhere, a create elsewhere.
    refused(vec![pay(&third, &usd)], "not the planned new address");
    refused(vec![trust_new(&usd, i64::MAX), pay(&third, &usd)], "does not pay");
    refused(vec![pay(&o, &usd)], "compromised seed");
    refused(vec![pay(&n, &usd), merge(&third)], "not the planned new address");
    refused(vec![create(&third)], "not the planned new address");
    // An extra trustline on the new account (an asset not paid to it), one for a pool, one removing.
    refused(vec![trust_new(&usd, i64::MAX), trust_new(&eur, i64::MAX), pay(&n, &usd)], "does not pay");
    refused(vec![trust_new(&usd, 0), pay(&n, &usd)], "sourced from the new account");
    // Anything else sourced from the new account: a payment, a merge, a data entry, an offer.
    refused(vec![op(Some(&n), 1, &[acct(&n), usd.clone(), i64b(1)])], "sourced from the new account");
    refused(vec![op(Some(&n), 1, &[acct(&o), native.clone(), i64b(1)])], "sourced from the new account");
    refused(vec![op(Some(&n), 8, &[acct(&n)])], "sourced from the new account");
    refused(
        vec![op(Some(&n), 10, &[4u32.to_be_bytes().to_vec(), b"name".to_vec(), 0u32.to_be_bytes().to_vec()])],
        "sourced from the new account",
    );
    // An operation sourced from a third account.
    refused(vec![op(Some(&third), 6, &[usd.clone(), i64b(0)])], "operation source");
    // An offer that creates or changes instead of removing; a trustline raised on the old account; data set.
    refused(vec![offer(3, 5, 99)], "MANAGE_SELL_OFFER that creates");
    refused(vec![offer(3, 0, 0)], "MANAGE_SELL_OFFER that creates");
    refused(vec![offer(12, 5, 98)], "MANAGE_BUY_OFFER that creates");
    refused(vec![op(None, 6, &[usd.clone(), i64b(5)])], "other than removing a trustline");
    refused(vec![data(true)], "MANAGE_DATA that sets a value");
    // The merge not last; BUMP_SEQUENCE; SET_OPTIONS (not decoded).
    refused(vec![merge(&n), pay(&n, &native)], "ACCOUNT_MERGE");
    refused(vec![op(None, 11, &[i64b(9)])], "BUMP_SEQUENCE");
}
