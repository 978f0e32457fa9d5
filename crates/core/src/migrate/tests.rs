//! Known answers for the sweep encoders (tests/vectors) and every refusal of the destination guard. The vault's
//! migration flow is tested beside it (`vault/migration/tests.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

use super::*;
use crate::sign::{self, Network, Payload, SignRequest};

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

fn stellar_key(g: &str) -> [u8; 32] {
    crate::chain::stellar::parse_address(g).unwrap()
}

#[test]
fn stellar_merge_matches_the_vector_byte_for_byte() {
    let v = &load("stellar_tx_account_merge.json")["precond_none"];
    let (src, dst) = (s(&v["source_public"]), s(&v["destination"]));
    let env = account_merge_envelope(&stellar_key(src), &stellar_key(dst), 100, 1234);
    assert_eq!(hex::encode(&env[4..env.len() - 4]), s(&v["tx_xdr_hex"]));
    // The current sequence is 1233: the transaction carries the next one.
    let merge_only = StellarSweep { sequence: 1233, fee: 100, trustlines: vec![], destination_exists: true };
    let built = build_stellar_merge(src, dst, &merge_only).unwrap();
    assert_eq!(B64.decode(&built).unwrap(), env);
    // Signed with the SEP-0005 key of the source: the vector's envelope and hash.
    let seed = Mnemonic::parse(s(&load("stellar_sep5.json")[0]["mnemonic"])).unwrap().to_seed("");
    let request = SignRequest::new(Chain::Stellar, Payload::Transaction(built)).with_network(Network::Testnet);
    let d = sign::decode(&request).unwrap();
    let signed = sign::sign(
        &seed,
        &Chain::Stellar.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(),
        &d,
        sign::Blind::Refuse,
    )
    .unwrap();
    assert_eq!(signed.signed_tx.as_deref(), Some(s(&v["envelope_xdr_base64"])));
    assert_eq!(hex::encode(&signed.digest), s(&v["tx_hash_hex"]));
}

#[test]
fn stellar_merge_bad_input() {
    let v = &load("stellar_tx_account_merge.json")["precond_none"];
    let (src, dst) = (s(&v["source_public"]), s(&v["destination"]));
    let sweep = |sequence, fee| StellarSweep { sequence, fee, trustlines: vec![], destination_exists: true };
    assert!(matches!(build_stellar_merge(src, dst, &sweep(-1, 100)), Err(MigrateError::BadSequence { .. })));
    assert!(matches!(build_stellar_merge(src, dst, &sweep(i64::MAX, 100)), Err(MigrateError::BadSequence { .. })));
    assert!(matches!(build_stellar_merge(src, dst, &sweep(1, 99)), Err(MigrateError::BadFee { .. })));
    assert!(matches!(build_stellar_merge(src, dst, &sweep(1, 10_000_001)), Err(MigrateError::BadFee { .. })));
    assert!(build_stellar_merge(src, dst, &sweep(1, 10_000_000)).is_ok());
    for bad in ["", "12a", "-5", "99999999999999999999", "1.5"] {
        assert!(matches!(parse_sequence(bad), Err(MigrateError::BadSequence { .. })), "{bad:?}");
    }
    assert_eq!(parse_sequence(" 1233\n").unwrap(), 1233);
    let line = Trustline::parse(&format!("USDC:{dst}")).unwrap();
    let blocked = StellarSweep { sequence: 1, fee: 100, trustlines: vec![line], destination_exists: true };
    let err = build_stellar_merge(src, dst, &blocked).unwrap_err();
    assert!(matches!(&err, MigrateError::TrustlinesBlockMerge { lines } if lines[0].starts_with("USDC:G")));
    assert!(err.to_string().contains("trustline"));
    for bad in ["USDC", "TOOLONGCODE123:G", &format!(":{dst}"), "USDC:GBAD", &format!("US-D:{dst}")] {
        assert!(matches!(Trustline::parse(bad), Err(MigrateError::BadTrustline { .. })), "{bad:?}");
    }
}

/// The new account does not exist (a fresh seed's never does): CREATE_ACCOUNT(new, 1 XLM) then ACCOUNT_MERGE(new),
/// at 100 stroops per operation; the guard accepts it and the vault signs it.
#[test]
fn stellar_sweep_creates_a_missing_destination() {
    let v = &load("stellar_tx_account_merge.json")["precond_none"];
    let (src, dst) = (s(&v["source_public"]), s(&v["destination"]));
    let fresh = |fee| StellarSweep { sequence: 1233, fee, trustlines: vec![], destination_exists: false };
    assert_eq!(fresh(0).min_fee(), 200);
    let built = build_stellar_merge(src, dst, &fresh(200)).unwrap();
    assert_eq!(
        B64.decode(&built).unwrap(),
        create_and_merge_envelope(&stellar_key(src), &stellar_key(dst), STELLAR_STARTING_BALANCE, 200, 1234)
    );
    let request = SignRequest::new(Chain::Stellar, Payload::Transaction(built)).with_network(Network::Testnet);
    let d = sign::decode(&request).unwrap();
    assert!(d.summary().fully_decoded(), "{}", d.summary());
    let Details::Stellar(env, _) = &d.summary().details else { panic!("{}", d.summary()) };
    assert_eq!((env.source.key, env.fee, env.seq_num), (stellar_key(src), 200, 1234));
    let ops: Vec<_> = env.operations.iter().map(|o| (o.source, o.body.clone())).collect();
    assert_eq!(ops.len(), 2);
    assert_eq!(
        ops[0],
        (
            None,
            sign::stellar::OperationBody::CreateAccount { destination: stellar_key(dst), starting_balance: 10_000_000 }
        )
    );
    let (None, sign::stellar::OperationBody::AccountMerge { destination }) = &ops[1] else { panic!("{:?}", ops[1]) };
    assert_eq!(destination.key, stellar_key(dst));
    // 100 stroops an operation at least: 199 is refused, with a reason that names the two operations.
    let e = build_stellar_merge(src, dst, &fresh(199)).unwrap_err();
    assert!(matches!(e, MigrateError::BadFee { reason } if reason.contains("two operations")), "{e}");
    assert!(build_stellar_merge(src, dst, &fresh(10_000_000)).is_ok());
    assert!(matches!(build_stellar_merge(src, dst, &fresh(10_000_001)), Err(MigrateError::BadFee { .. })));
}

#[test]
fn solana_transfer_matches_the_vectors() {
    for case in ["zero_blockhash", "nonzero_blockhash"] {
        let v = &load("solana_tx_transfer.json")[case];
        let from = crate::chain::solana::parse_address(s(&v["from"])).unwrap();
        let to = crate::chain::solana::parse_address(s(&v["to"])).unwrap();
        let hash = parse_blockhash(s(&v["recent_blockhash"]), "blockhash").unwrap();
        let m = transfer_message(&from, &to, 1000, &SolanaRecent::Blockhash(hash));
        assert_eq!(hex::encode(&m), s(&v["message_hex"]), "{case}");
        // balance − fee = 1000.
        let sweep = SolanaSweep { balance: 6000, compute_unit_price: 0, recent: SolanaRecent::Blockhash(hash) };
        assert_eq!(sweep.fee(), DEFAULT_FEE_PER_SIGNATURE);
        let built = B64.decode(build_solana_sweep(s(&v["from"]), s(&v["to"]), &sweep).unwrap()).unwrap();
        assert_eq!(built[0], 1);
        assert_eq!(&built[1..65], &[0u8; 64]);
        assert_eq!(hex::encode(&built[65..]), s(&v["message_hex"]));
    }
}

#[test]
fn solana_bad_input_and_nonce() {
    let v = &load("solana_tx_transfer.json")["zero_blockhash"];
    let (from, to) = (s(&v["from"]), s(&v["to"]));
    let r = SolanaRecent::Blockhash([0; 32]);
    let sweep = |balance, price| SolanaSweep { balance, compute_unit_price: price, recent: r.clone() };
    for (balance, price) in [(5000, 0), (4999, 0), (0, 0), (6000, 1_000_000), (5001, 1)] {
        assert!(matches!(
            build_solana_sweep(from, to, &sweep(balance, price)),
            Err(MigrateError::BalanceBelowFee { .. })
        ));
    }
    // A priority fee above the guard's cap (10^7 lamports = 10^10 micro-lamports a unit × 1000 units).
    assert!(build_solana_sweep(from, to, &sweep(u64::MAX, 10_000_000_000)).is_ok());
    assert!(matches!(build_solana_sweep(from, to, &sweep(u64::MAX, 10_000_000_001)), Err(MigrateError::BadFee { .. })));
    assert!(matches!(build_solana_sweep(from, to, &sweep(u64::MAX, u64::MAX)), Err(MigrateError::BadFee { .. })));
    for bad in ["", "0OIl", "1111", "EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1kEETub"] {
        assert!(matches!(parse_blockhash(bad, "blockhash"), Err(MigrateError::BadBlockhash { .. })), "{bad:?}");
    }
    // A durable nonce: AdvanceNonceAccount first, authority the old account, then the transfer.
    let recent = SolanaRecent::Nonce { account: [9; 32], value: [8; 32] };
    let built =
        build_solana_sweep(from, to, &SolanaSweep { balance: 1_000_000, compute_unit_price: 0, recent }).unwrap();
    let d = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(built))).unwrap();
    assert!(d.summary().fully_decoded(), "{}", d.summary());
    let Details::Solana(tx) = &d.summary().details else { panic!() };
    let actions = tx.message.actions();
    assert!(matches!(actions[0], sign::solana::Action::SystemAdvanceNonce { .. }));
    assert!(matches!(actions[1], sign::solana::Action::SystemTransfer { lamports: 995_000, .. }));
    assert_eq!(tx.message.recent_blockhash, [8; 32]);
}

/// `--fee` and `--priority-fee`: the price becomes SetComputeUnitLimit + SetComputeUnitPrice, and the transfer is
/// balance − 5000 × 1 signature − ⌈price × limit / 10⁶⌉, so the old account ends at exactly 0 lamports.
#[test]
fn solana_priority_fee_is_a_compute_unit_price() {
    let v = &load("solana_tx_transfer.json")["zero_blockhash"];
    let (from, to) = (s(&v["from"]), s(&v["to"]));
    let (from_key, to_key) =
        (crate::chain::solana::parse_address(from).unwrap(), crate::chain::solana::parse_address(to).unwrap());
    use sign::solana::{AccountRef, Action};
    for (recent, nonce) in
        [(SolanaRecent::Blockhash([5; 32]), false), (SolanaRecent::Nonce { account: [9; 32], value: [8; 32] }, true)]
    {
        // 1234567 micro-lamports a unit × 1000 units = 1234.567 lamports, charged as 1235.
        let sweep = SolanaSweep { balance: 2_000_000, compute_unit_price: 1_234_567, recent };
        assert_eq!((sweep.priority_fee(), sweep.fee()), (1235, 6235));
        let built = build_solana_sweep(from, to, &sweep).unwrap();
        let d = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(built))).unwrap();
        assert!(d.summary().fully_decoded(), "{}", d.summary());
        let Details::Solana(tx) = &d.summary().details else { panic!() };
        let mut actions = tx.message.actions();
        if nonce {
            assert!(matches!(actions.remove(0), Action::SystemAdvanceNonce { .. }), "the nonce advance stays first");
        }
        assert_eq!(
            actions,
            vec![
                Action::ComputeUnitLimit(SWEEP_COMPUTE_UNIT_LIMIT),
                Action::ComputeUnitPrice(1_234_567),
                Action::SystemTransfer {
                    from: AccountRef::Key(from_key),
                    to: AccountRef::Key(to_key),
                    lamports: 2_000_000 - 5000 - 1235,
                },
            ]
        );
        assert_eq!(tx.message.signers(), &[from_key]);
    }
    // --fee LAMPORTS: the signature fee, the rest as a priority fee, exactly.
    assert_eq!(compute_unit_price_for_fee(5000), Ok(0));
    let price = compute_unit_price_for_fee(25_000).unwrap();
    assert_eq!(price, 20_000_000);
    let sweep = SolanaSweep { balance: 1_000_000, compute_unit_price: price, recent: SolanaRecent::Blockhash([5; 32]) };
    assert_eq!(sweep.fee(), 25_000);
    assert!(compute_unit_price_for_fee(5000 + MAX_SOLANA_PRIORITY_FEE).is_ok());
    for bad in [0, 4999, 5001 + MAX_SOLANA_PRIORITY_FEE, u64::MAX] {
        assert!(matches!(compute_unit_price_for_fee(bad), Err(MigrateError::BadFee { .. })), "{bad}");
    }
}

use crate::sign::Details;

// ---------------------------------------------------------------- the guard

pub(crate) const OLD_PHRASE: &str = OLD;
const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";
const NEW: &str = "require decline left thought grid priority false tiny gasp angle royal system attack beef setup \
                   reward aunt skill wasp tray vital bounce inflict level";

fn plan() -> Vec<PlanRow> {
    plan_for_tests()
}

/// Two rows per chain (old and new seeds [`OLD`], [`NEW`]); the Stellar account 0 row is row 6, account 1 row 7.
pub(super) fn plan_for_tests() -> Vec<PlanRow> {
    let (old, new) = (Mnemonic::parse(OLD).unwrap().to_seed(""), Mnemonic::parse(NEW).unwrap().to_seed(""));
    let mut rows = Vec::new();
    for chain in [Chain::Iota, Chain::Sui, Chain::Solana, Chain::Stellar] {
        for account in 0..2 {
            rows.push(PlanRow {
                chain,
                account,
                index: 0,
                old_address: chain
                    .account(&old, AccountIndex::new(account).unwrap(), AddressIndex::ZERO)
                    .unwrap()
                    .address,
                new_address: chain
                    .account(&new, AccountIndex::new(account).unwrap(), AddressIndex::ZERO)
                    .unwrap()
                    .address,
                state: RowState::Pending,
                note: String::new(),
            });
        }
    }
    rows
}

fn addr32(a: &str) -> [u8; 32] {
    crate::chain::parse_hex32(Chain::Iota, a).unwrap()
}

/// An IOTA `TransactionData`: inputs (pure recipients), commands given raw, sender and gas owner.
fn iota_tx(pures: &[Vec<u8>], commands: &[Vec<u8>], sender: [u8; 32], owner: [u8; 32]) -> String {
    let mut b = vec![0u8, 0];
    b.push(pures.len() as u8);
    for p in pures {
        b.push(0);
        b.push(p.len() as u8);
        b.extend(p);
    }
    b.push(commands.len() as u8);
    for c in commands {
        b.extend(c);
    }
    sign::test_tx::push_sender_gas_expiration(&mut b, &sender, &owner);
    B64.encode(b)
}

const PAY_ALL: [u8; 6] = [1, 1, 0, 1, 0, 0]; // TransferObjects([GasCoin], Input(0))

fn check(m: &[PlanRow], chain: Chain, tx: String) -> Result<usize, GuardError> {
    let mut r = SignRequest::new(chain, Payload::Transaction(tx));
    if chain == Chain::Stellar {
        r = r.with_network(Network::Testnet);
    }
    check_sweep(m, &sign::decode(&r).unwrap())
}

#[test]
fn guard_iota_and_sui() {
    let m = plan();
    for (chain, base) in [(Chain::Iota, 0), (Chain::Sui, 2)] {
        let row = &m[base + 1];
        let (old, new) = (addr32(&row.old_address), addr32(&row.new_address));
        let other = [0xab; 32];
        let compromised = addr32(&m[base].old_address);
        // Accepted: pay-all (the gas coin to the new address), and split + transfer + merge.
        assert_eq!(check(&m, chain, iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], old, old)), Ok(base + 1));
        let split = vec![2, 0, 1, 1, 1, 0]; // SplitCoins(GasCoin, [Input(1)])
        let send_split = vec![1, 1, 3, 0, 0, 0, 0, 1, 0, 0]; // TransferObjects([Result(0).0], Input(0))
        let amount = 5u64.to_le_bytes().to_vec();
        assert_eq!(
            check(&m, chain, iota_tx(&[new.to_vec(), amount.clone()], &[split.clone(), send_split.clone()], old, old)),
            Ok(base + 1)
        );
        // Refused: another recipient, back to the compromised seed, partly right, the wrong sender, a sponsor.
        let e = check(&m, chain, iota_tx(&[other.to_vec()], &[PAY_ALL.to_vec()], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[compromised.to_vec()], &[PAY_ALL.to_vec()], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::RecipientCompromised { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[old.to_vec()], &[PAY_ALL.to_vec()], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::RecipientCompromised { .. }), "{e}");
        let partly = vec![1, 1, 3, 0, 0, 0, 0, 1, 2, 0]; // TransferObjects([Result(0).0], Input(2))
        let e = check(
            &m,
            chain,
            iota_tx(
                &[new.to_vec(), amount.clone(), other.to_vec()],
                &[split.clone(), partly, PAY_ALL.to_vec()],
                old,
                old,
            ),
        )
        .unwrap_err();
        assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], other, other)).unwrap_err();
        assert!(matches!(e, GuardError::SenderNotPlanned { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], new, new)).unwrap_err();
        assert!(matches!(e, GuardError::SenderNotPlanned { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], old, other)).unwrap_err();
        assert!(matches!(e, GuardError::OtherSigner { .. }), "{e}");
        // A split that is not transferred, nothing transferred, a pure value as a coin, a Move call.
        let e =
            check(&m, chain, iota_tx(&[new.to_vec(), amount.clone()], &[split.clone(), PAY_ALL.to_vec()], old, old))
                .unwrap_err();
        assert!(matches!(e, GuardError::Forbidden { .. }), "{e}");
        let e = check(&m, chain, iota_tx(&[new.to_vec(), amount.clone()], &[vec![3, 0, 0]], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::NoTransfer), "{e}");
        let e = check(&m, chain, iota_tx(&[new.to_vec()], &[vec![1, 1, 1, 0, 0, 1, 0, 0]], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::Forbidden { .. }), "{e}");
        let mut call = vec![0u8];
        call.extend([0u8; 31]);
        call.push(2);
        call.extend([4]);
        call.extend(b"coin");
        call.extend([4]);
        call.extend(b"send");
        call.extend([0, 0]);
        let e = check(&m, chain, iota_tx(&[new.to_vec()], &[call, PAY_ALL.to_vec()], old, old)).unwrap_err();
        assert!(matches!(e, GuardError::Forbidden { ref what } if what.contains("Move call")), "{e}");
    }
    // The gas budget is capped: at the cap accepted, above it refused.
    let row = &m[1];
    let (old, new) = (addr32(&row.old_address), addr32(&row.new_address));
    let with_budget = |budget: u64| {
        let mut b = B64.decode(iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], old, old)).unwrap();
        let at = b.len() - 9; // the budget, then the expiration byte
        b[at..at + 8].copy_from_slice(&budget.to_le_bytes());
        B64.encode(b)
    };
    assert_eq!(check(&m, Chain::Iota, with_budget(MAX_GAS_BUDGET)), Ok(1));
    let e = check(&m, Chain::Iota, with_budget(MAX_GAS_BUDGET + 1)).unwrap_err();
    assert!(matches!(e, GuardError::FeeTooHigh { fee, .. } if fee == MAX_GAS_BUDGET + 1), "{e}");
    assert!(e.to_string().contains("gas budget is 1000000001 nanos"), "{e}");
    // A Manual row is never swept.
    let mut manual = plan();
    manual[1].state = RowState::Manual;
    let (old, new) = (addr32(&manual[1].old_address), addr32(&manual[1].new_address));
    let e = check(&manual, Chain::Iota, iota_tx(&[new.to_vec()], &[PAY_ALL.to_vec()], old, old)).unwrap_err();
    assert!(matches!(e, GuardError::RowIsManual { .. }), "{e}");
}

fn sol(a: &str) -> [u8; 32] {
    crate::chain::solana::parse_address(a).unwrap()
}

fn solana_tx(message: &[u8]) -> String {
    B64.encode(sign::solana::encode_transaction(&[[0; 64]], message))
}

#[test]
fn guard_solana() {
    let m = plan();
    let row = &m[5];
    let (old, new) = (sol(&row.old_address), sol(&row.new_address));
    let hash = SolanaRecent::Blockhash([3; 32]);
    assert_eq!(check(&m, Chain::Solana, solana_tx(&transfer_message(&old, &new, 10, &hash))), Ok(5));
    let nonce = SolanaRecent::Nonce { account: [9; 32], value: [8; 32] };
    assert_eq!(check(&m, Chain::Solana, solana_tx(&transfer_message(&old, &new, 10, &nonce))), Ok(5));
    // With a priority fee (compute-budget instructions), up to the cap: 10^10 micro-lamports a unit × 1000 units.
    for recent in [&hash, &nonce] {
        assert_eq!(check(&m, Chain::Solana, solana_tx(&sweep_message(&old, &new, 10, recent, 10_000_000_000))), Ok(5));
        let e =
            check(&m, Chain::Solana, solana_tx(&sweep_message(&old, &new, 10, recent, 10_000_000_001))).unwrap_err();
        assert!(matches!(e, GuardError::FeeTooHigh { fee: 10_000_001, .. }), "{e}");
    }
    let e = check(&m, Chain::Solana, solana_tx(&transfer_message(&old, &[7; 32], 10, &hash))).unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    let back = sol(&m[4].old_address);
    let e = check(&m, Chain::Solana, solana_tx(&transfer_message(&old, &back, 10, &hash))).unwrap_err();
    assert!(matches!(e, GuardError::RecipientCompromised { .. }), "{e}");
    let e = check(&m, Chain::Solana, solana_tx(&transfer_message(&new, &new, 10, &hash))).unwrap_err();
    assert!(matches!(e, GuardError::SenderNotPlanned { .. }), "{e}");
    // Partly right: a second transfer to someone else in the same message.
    let mut msg = transfer_message(&old, &new, 10, &hash);
    let other = [7u8; 32];
    // Rebuild with four keys: old, new, other, System; two transfers.
    msg.clear();
    msg.extend([1, 0, 1, 4]);
    for k in [old, new, other, [0; 32]] {
        msg.extend(k);
    }
    msg.extend([3; 32]);
    msg.push(2);
    for to in [1u8, 2] {
        msg.extend([3, 2, 0, to, 12, 2, 0, 0, 0]);
        msg.extend(10u64.to_le_bytes());
    }
    let e = check(&m, Chain::Solana, solana_tx(&msg)).unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    // A memo (any other instruction) is refused.
    let memo = sol(sign::solana::MEMO_PROGRAMS[0]);
    let mut msg = vec![1, 0, 2, 4];
    for k in [old, new, [0; 32], memo] {
        msg.extend(k);
    }
    msg.extend([3; 32]);
    msg.push(2);
    msg.extend([2, 2, 0, 1, 12, 2, 0, 0, 0]);
    msg.extend(10u64.to_le_bytes());
    msg.extend([3, 0, 2, b'h', b'i']);
    let e = check(&m, Chain::Solana, solana_tx(&msg)).unwrap_err();
    assert!(matches!(e, GuardError::Forbidden { .. }), "{e}");

    // Compute-budget instructions are allowed, but the priority fee they set is capped.
    let budget = sol(sign::solana::COMPUTE_BUDGET_PROGRAM);
    let with_fee = |limit: Option<u32>, price: u64| {
        let mut msg = vec![1, 0, 2, 4];
        for k in [old, new, [0; 32], budget] {
            msg.extend(k);
        }
        msg.extend([3; 32]);
        msg.push(if limit.is_some() { 3 } else { 2 });
        if let Some(l) = limit {
            msg.extend([3, 0, 5, 2]);
            msg.extend(l.to_le_bytes());
        }
        msg.extend([3, 0, 9, 3]);
        msg.extend(price.to_le_bytes());
        msg.extend([2, 2, 0, 1, 12, 2, 0, 0, 0]);
        msg.extend(10u64.to_le_bytes());
        solana_tx(&msg)
    };
    // 1 000 000 micro-lamports a unit × 10 000 units = 10 000 lamports.
    assert_eq!(check(&m, Chain::Solana, with_fee(Some(10_000), 1_000_000)), Ok(5));
    // Exactly the cap: 10 000 000 lamports = 50 000 000 micro-lamports × 200 000 units (the default limit for
    // the one other instruction).
    assert_eq!(check(&m, Chain::Solana, with_fee(None, 50_000_000)), Ok(5));
    let e = check(&m, Chain::Solana, with_fee(None, 50_000_001)).unwrap_err();
    assert!(matches!(e, GuardError::FeeTooHigh { fee: 10_000_001, .. }), "{e}");
    let e = check(&m, Chain::Solana, with_fee(Some(1_400_000), u64::MAX)).unwrap_err();
    assert!(matches!(e, GuardError::FeeTooHigh { .. }), "{e}");
}

#[test]
fn guard_stellar() {
    let m = plan();
    let row = &m[7];
    let (old, new) = (stellar_key(&row.old_address), stellar_key(&row.new_address));
    let env = |src: &[u8; 32], dst: &[u8; 32]| B64.encode(account_merge_envelope(src, dst, 100, 5));
    assert_eq!(check(&m, Chain::Stellar, env(&old, &new)), Ok(7));
    let e = check(&m, Chain::Stellar, env(&old, &[4; 32])).unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    let back = stellar_key(&m[6].old_address);
    let e = check(&m, Chain::Stellar, env(&old, &back)).unwrap_err();
    assert!(matches!(e, GuardError::RecipientCompromised { .. }), "{e}");
    let e = check(&m, Chain::Stellar, env(&new, &new)).unwrap_err();
    assert!(matches!(e, GuardError::SenderNotPlanned { .. }), "{e}");
    // The fee is capped.
    let fee = |f: u32| B64.encode(account_merge_envelope(&old, &new, f, 5));
    assert_eq!(check(&m, Chain::Stellar, fee(10_000_000)), Ok(7));
    let e = check(&m, Chain::Stellar, fee(10_000_001)).unwrap_err();
    assert!(matches!(e, GuardError::FeeTooHigh { fee: 10_000_001, max: MAX_STELLAR_FEE, .. }), "{e}");
    // Into a new account that does not exist yet: exactly CREATE_ACCOUNT(new) then ACCOUNT_MERGE(new).
    let create = B64.encode(create_and_merge_envelope(&old, &new, STELLAR_STARTING_BALANCE, 200, 5));
    assert_eq!(check(&m, Chain::Stellar, create), Ok(7));
    let ops = |list: &[(u32, [u8; 32])]| B64.encode(stellar_ops(&old, list));
    let (create_op, merge_op, pay_op) = (0, 8, 1);
    assert_eq!(check(&m, Chain::Stellar, ops(&[(create_op, new), (merge_op, new)])), Ok(7));
    // The complete sweep (issue #14) may create the account and pay before the merge, or create and pay without a
    // merge (a sweep split over several transactions, or one whose merge is blocked).
    assert_eq!(check(&m, Chain::Stellar, ops(&[(create_op, new)])), Ok(7));
    assert_eq!(check(&m, Chain::Stellar, ops(&[(create_op, new), (pay_op, new), (merge_op, new)])), Ok(7));
    // Refused: CREATE_ACCOUNT to another address or back to the compromised seed (even with the merge into the new
    // account), twice, a merge that is not last, a merge elsewhere.
    let e = check(&m, Chain::Stellar, ops(&[(create_op, [4; 32]), (merge_op, new)])).unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    let e = check(&m, Chain::Stellar, ops(&[(create_op, back), (merge_op, new)])).unwrap_err();
    assert!(matches!(e, GuardError::RecipientCompromised { .. }), "{e}");
    for bad in [vec![(create_op, new), (create_op, new)], vec![(create_op, new), (create_op, new), (merge_op, new)]] {
        let e = check(&m, Chain::Stellar, ops(&bad)).unwrap_err();
        assert!(matches!(e, GuardError::Forbidden { ref what } if what.contains("CREATE_ACCOUNT")), "{bad:?}: {e}");
    }
    let e = check(&m, Chain::Stellar, ops(&[(merge_op, new), (create_op, new)])).unwrap_err();
    assert!(matches!(e, GuardError::Forbidden { ref what } if what.contains("ACCOUNT_MERGE")), "{e}");
    let e = check(&m, Chain::Stellar, ops(&[(create_op, new), (merge_op, [4; 32])])).unwrap_err();
    assert!(matches!(e, GuardError::Forbidden { .. } | GuardError::RecipientNotPlanned { .. }), "{e}");
    // Not transactions at all.
    let d = sign::decode(&SignRequest::new(Chain::Sui, Payload::Message(b"hi".to_vec()))).unwrap();
    assert!(matches!(check_sweep(&m, &d), Err(GuardError::NotASweep { .. })));
}

/// A Stellar envelope (fee 100 an operation, sequence 5, no preconditions) from `source` with `ops`: (type,
/// destination) of CREATE_ACCOUNT (0, 1 XLM), PAYMENT (1, 1 XLM native) or ACCOUNT_MERGE (8).
fn stellar_ops(source: &[u8; 32], ops: &[(u32, [u8; 32])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(2u32.to_be_bytes());
    out.extend(0u32.to_be_bytes());
    out.extend(source);
    out.extend((100 * ops.len() as u32).to_be_bytes());
    out.extend(5i64.to_be_bytes());
    out.extend([0u8; 8]); // PRECOND_NONE, MEMO_NONE
    out.extend((ops.len() as u32).to_be_bytes());
    for (kind, dst) in ops {
        out.extend(0u32.to_be_bytes()); // no source
        out.extend(kind.to_be_bytes());
        out.extend(0u32.to_be_bytes()); // ed25519 account id / muxed account
        out.extend(dst);
        match kind {
            0 => out.extend(10_000_000i64.to_be_bytes()),
            1 => {
                out.extend(0u32.to_be_bytes()); // ASSET_TYPE_NATIVE
                out.extend(10_000_000i64.to_be_bytes());
            }
            _ => {}
        }
    }
    out.extend([0u8; 8]); // ext, no signatures
    out
}

// ---------------------------------------------------------------- the vault flow

#[test]
fn iota_digest_rule() {
    // blake2b-256("TransactionData::" || bytes), base58.
    let d = iota_sui_digest(b"");
    assert_eq!(bs58::decode(&d).into_vec().unwrap(), blake2b256(&[b"TransactionData::"]).to_vec());
}

/// The code of every file under `src/migrate*`, without comments, string and character literals.
fn migrate_sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("migrate.rs")];
    walk(&src.join("migrate"), &mut files);
    files.into_iter().map(|p| (p.clone(), code_only(&std::fs::read_to_string(&p).unwrap()))).collect()
}

/// `text` with comments and the contents of string and character literals blanked out (line breaks kept, so line
/// numbers still match).
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let (mut out, mut i) = (String::new(), 0);
    let find = |from: usize, close: &[char]| {
        let mut j = from;
        while j < c.len() && !c[j..].starts_with(close) {
            j += if c[j] == '\\' && close != ['*', '/'] { 2 } else { 1 };
        }
        (j + close.len()).min(c.len())
    };
    while i < c.len() {
        let next = |n: usize| c.get(i + n).copied();
        let (end, keep) = if c[i] == '/' && next(1) == Some('/') {
            (c[i..].iter().position(|&ch| ch == '\n').map_or(c.len(), |n| i + n), "")
        } else if c[i] == '/' && next(1) == Some('*') {
            (find(i + 2, &['*', '/']), "")
        } else if c[i] == 'r'
            && matches!(next(1), Some('"' | '#'))
            && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
        {
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let start = i + 2 + hashes;
            let mut j = start;
            while j < c.len() && !c[j..].starts_with(&close) {
                j += 1;
            }
            ((j + close.len()).min(c.len()), "\"\"")
        } else if c[i] == '"' {
            (find(i + 1, &['"']), "\"\"")
        } else if c[i] == '\'' && (next(1) == Some('\\') || next(2) == Some('\'')) {
            (find(i + 1, &['\'']), "' '")
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        out.push_str(keep);
        out.extend(c[i..end].iter().filter(|&&ch| ch == '\n'));
        i = end;
    }
    out
}

#[test]
fn code_only_drops_comments_and_literals() {
    let code = code_only(
        "use a; // vault\n/* Vault */ let s = \"vault \\\" x\"; let r = r#\"vault\"#; let q = '\"'; x::vault",
    );
    assert_eq!(code, "use a; \n let s = \"\"; let r = \"\"; let q = ' '; x::vault");
}

/// The guard and the sweep builders need only plan rows: nothing under `src/migrate*` names the vault (which stores
/// migrations and depends on this module), apart from the one re-export that keeps `migrate::Migration` working.
#[test]
fn migrate_does_not_depend_on_the_vault() {
    const ALLOWED: &str = "pub use crate::vault::{Migration, Report};";
    const VAULT_NAMES: [&str; 8] =
        ["vault", "Vault", "VaultError", "VaultInfo", "KdfParams", "SeedId", "SeedInfo", "ErrorClass"];
    let sources = migrate_sources();
    assert!(sources.len() > 5, "the migrate sources were not found");
    let mut found = Vec::new();
    for (path, code) in sources {
        for (n, line) in code.lines().enumerate() {
            if line.trim() == ALLOWED {
                continue;
            }
            let words = line.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'));
            if let Some(w) = words.clone().find(|w| VAULT_NAMES.contains(w)) {
                found.push(format!("{}:{}: {w}", path.display(), n + 1));
            }
            if line.contains("crate::*") || line.contains("crate :: *") {
                found.push(format!("{}:{}: a glob import of the crate root", path.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "src/migrate* must not depend on the vault:\n{}", found.join("\n"));
}
