//! The full Solana sweep: ATA derivation against @solana/kit, the built transactions decoded and accepted by the
//! destination guard, fees and rent adding up, packing, durable nonces, and every refused variant.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::*;
use crate::chain::{AccountIndex, AddressIndex, Chain};
use crate::holdings::solana::{NonceAccount, StakeAccount, TokenAccount};
use crate::migrate::{GuardError, PlanRow, RowState, check_sweep};
use crate::mnemonic::Mnemonic;
use crate::sign::solana::{Action, StakeRole};
use crate::sign::{self, Details, Payload, SignRequest};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";
const NEW: &str = "require decline left thought grid priority false tiny gasp angle royal system attack beef setup \
                   reward aunt skill wasp tray vital bounce inflict level";

/// Two Solana rows (accounts 0 and 1).
fn plan() -> Vec<PlanRow> {
    let (old, new) = (Mnemonic::parse(OLD).unwrap().to_seed(""), Mnemonic::parse(NEW).unwrap().to_seed(""));
    (0..2)
        .map(|account| PlanRow {
            chain: Chain::Solana,
            account,
            index: 0,
            old_address: Chain::Solana
                .account(&old, AccountIndex::new(account).unwrap(), AddressIndex::ZERO)
                .unwrap()
                .address,
            new_address: Chain::Solana
                .account(&new, AccountIndex::new(account).unwrap(), AddressIndex::ZERO)
                .unwrap()
                .address,
            state: RowState::Pending,
            note: String::new(),
        })
        .collect()
}

fn b58(k: &[u8; 32]) -> String {
    sol::base58(k)
}

/// A distinct test key (not on any row).
fn k(n: u8) -> [u8; 32] {
    let mut a = [n; 32];
    a[0] = 0xee;
    a
}

const MINT_A: u8 = 1;
const MINT_B: u8 = 2;

fn holdings(old: &str) -> SolanaHoldings {
    let token = |n: u8, mint: u8, program, amount, decimals| TokenAccount {
        address: b58(&k(n)),
        mint: b58(&k(mint)),
        program,
        amount,
        decimals,
        lamports: 2_039_280,
        destination_rent: None,
        frozen: false,
        destination_frozen: false,
        close_authority: None,
        token_2022: None,
    };
    SolanaHoldings {
        address: old.to_owned(),
        lamports: 100_000_000,
        token_accounts: vec![
            token(10, MINT_A, TokenProgram::SplToken, 1_500_000, 6),
            token(11, MINT_B, TokenProgram::Token2022, 42, 0),
            token(12, MINT_A, TokenProgram::SplToken, 0, 6),
        ],
        stake_accounts: vec![
            StakeAccount {
                address: b58(&k(20)),
                lamports: 5_000_000,
                staker: old.into(),
                withdrawer: old.into(),
                lockup: None,
            },
            StakeAccount {
                address: b58(&k(21)),
                lamports: 6_000_000,
                staker: old.into(),
                withdrawer: b58(&k(99)),
                lockup: None,
            },
            StakeAccount {
                address: b58(&k(22)),
                lamports: 7_000_000,
                staker: b58(&k(98)),
                withdrawer: b58(&k(99)),
                lockup: None,
            },
        ],
        nonce_accounts: vec![
            NonceAccount { address: b58(&k(30)), lamports: 1_447_680, authority: old.into(), nonce: b58(&k(31)) },
            NonceAccount { address: b58(&k(32)), lamports: 1_447_680, authority: b58(&k(99)), nonce: b58(&k(33)) },
        ],
    }
}

fn blockhash() -> SolanaSweepOptions {
    SolanaSweepOptions { compute_unit_price: 0, recent: vec![SolanaRecent::Blockhash([3; 32])] }
}

fn decode(tx: &str) -> sign::solana::Transaction {
    let d = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(tx.to_owned()))).unwrap();
    let Details::Solana(t) = &d.summary().details else { panic!("not solana") };
    assert!(d.summary().undecoded.is_empty(), "{:?}", d.summary().undecoded);
    t.clone()
}

fn guard(m: &[PlanRow], tx: &str) -> Result<usize, GuardError> {
    check_sweep(m, &sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(tx.to_owned()))).unwrap())
}

fn key_of(r: &sol::AccountRef) -> [u8; 32] {
    r.key().unwrap()
}

#[test]
fn associated_token_addresses_match_solana_kit() {
    // From @solana/kit 8.4 getProgramDerivedAddress (tests/chain-servers): seeds [wallet, token program, mint]
    // under the ATA program. The first needs bump 252: 255 to 253 hash onto the curve.
    let wallet = crate::chain::solana::parse_address("4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T").unwrap();
    let mint = crate::chain::solana::parse_address("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v").unwrap();
    let ata = associated_token_address(&wallet, &mint, TokenProgram::SplToken).unwrap();
    assert_eq!(b58(&ata), "F8biqkCRK2tHR6EncrcXDGgVTkGRrtojqyW39w41Qspn");
    let token = key(sol::TOKEN_PROGRAM);
    let (_, bump) = find_program_address(&[&wallet, &token, &mint], &key(sol::ASSOCIATED_TOKEN_PROGRAM)).unwrap();
    assert_eq!(bump, 252);
    let ata = associated_token_address(&wallet, &mint, TokenProgram::Token2022).unwrap();
    assert_eq!(b58(&ata), "8UQrn3SEPVqkggQ7Y7QEpGxutSyYQgJVFsgSxzwge858");
    assert_eq!(b58(&key(RECENT_BLOCKHASHES_SYSVAR)), RECENT_BLOCKHASHES_SYSVAR);
    assert_eq!(rent_exempt_minimum(165), 2_039_280);
    assert_eq!(RENT_EXEMPT_SYSTEM_ACCOUNT, 890_880);
}

#[test]
fn full_sweep_moves_everything_and_the_guard_accepts_it() {
    let m = plan();
    let row = &m[0];
    let (old, new) = (
        crate::chain::solana::parse_address(&row.old_address).unwrap(),
        crate::chain::solana::parse_address(&row.new_address).unwrap(),
    );
    for price in [0, 5_000] {
        let h = holdings(&row.old_address);
        let plan = build_solana_full_sweep(
            &row.old_address,
            &row.new_address,
            &h,
            &SolanaSweepOptions { compute_unit_price: price, ..blockhash() },
        )
        .unwrap();
        assert_eq!(plan.transactions.len(), 1, "fits one packet");
        let tx = &plan.transactions[0];
        assert!(B64.decode(&tx.tx).unwrap().len() <= PACKET_DATA_SIZE);
        assert_eq!(guard(&m, &tx.tx), Ok(0));
        let t = decode(&tx.tx);
        assert_eq!(u128::from(tx.fee), t.message.max_fee().total(), "the fee the runtime charges");
        // Rent: one SPL Token account (165 bytes) and one Token-2022 account (170 bytes) for the new address.
        assert_eq!(plan.rent, 2_039_280 + 2_074_080);
        assert_eq!(plan.fees + plan.rent + plan.sol, h.lamports, "the old account ends at 0");
        let actions = t.message.actions();
        let body: Vec<&Action> = actions
            .iter()
            .filter(|a| !matches!(a, Action::ComputeUnitLimit(_) | Action::ComputeUnitPrice(_)))
            .collect();
        let ata_a = associated_token_address(&new, &k(MINT_A), TokenProgram::SplToken).unwrap();
        let ata_b = associated_token_address(&new, &k(MINT_B), TokenProgram::Token2022).unwrap();
        assert!(matches!(body[0], Action::CreateAssociatedTokenAccount { account, wallet, idempotent: true, .. }
            if key_of(account) == ata_a && key_of(wallet) == new));
        assert!(
            matches!(body[1], Action::TokenTransferChecked { destination, amount: 1_500_000, decimals: 6, authority, .. }
            if key_of(destination) == ata_a && key_of(authority) == old)
        );
        assert!(matches!(body[2], Action::TokenCloseAccount { account, destination, .. }
            if key_of(account) == k(10) && key_of(destination) == new));
        assert!(matches!(body[3], Action::CreateAssociatedTokenAccount { account, .. } if key_of(account) == ata_b));
        assert!(matches!(body[4], Action::TokenTransferChecked { amount: 42, decimals: 0, .. }));
        assert!(matches!(body[5], Action::TokenCloseAccount { account, .. } if key_of(account) == k(11)));
        // The empty token account is only closed.
        assert!(matches!(body[6], Action::TokenCloseAccount { account, .. } if key_of(account) == k(12)));
        assert!(
            matches!(body[7], Action::StakeAuthorize { role: StakeRole::Staker, new_authority, .. } if *new_authority == new)
        );
        assert!(
            matches!(body[8], Action::StakeAuthorize { role: StakeRole::Withdrawer, stake_account, .. } if key_of(stake_account) == k(20))
        );
        assert!(
            matches!(body[9], Action::StakeAuthorize { role: StakeRole::Staker, stake_account, .. } if key_of(stake_account) == k(21))
        );
        assert!(
            matches!(body[10], Action::SystemAuthorizeNonce { nonce_account, new_authority, .. } if key_of(nonce_account) == k(30) && *new_authority == new)
        );
        assert!(
            matches!(body[11], Action::SystemTransfer { to, lamports, .. } if key_of(to) == new && *lamports == plan.sol)
        );
        assert_eq!(body.len(), 12);
        // Stays: the withdrawer-held stake account, the foreign one, the foreign nonce account.
        assert_eq!(plan.left.len(), 3, "{:?}", plan.left);
        assert!(plan.left[0].why.contains("withdrawer is"));
        // Clear signing shows every instruction decoded.
        let d = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(tx.tx.clone()))).unwrap();
        let text: Vec<String> = d.summary().lines.iter().map(|l| format!("{l:?}")).collect();
        let text = text.join("\n");
        for want in [
            "SPL Token close account",
            "Stake authorize",
            "new withdrawer",
            "System authorize nonce account",
            "create token account",
            "SPL Token transfer 1.500000",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }
    // Holdings that say the new owner's token accounts exist: no rent is paid for them.
    let mut h = holdings(&row.old_address);
    h.token_accounts.iter_mut().for_each(|t| t.destination_rent = Some(0));
    let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    assert_eq!((plan.rent, plan.fees, plan.sol), (0, 5000, h.lamports - 5000));
}

fn many_tokens(old: &str, n: u8) -> SolanaHoldings {
    let mut h = holdings(old);
    h.token_accounts = (0..n)
        .map(|i| TokenAccount {
            address: b58(&k(100 + i)),
            mint: b58(&k(200 - i)),
            program: if i % 2 == 0 { TokenProgram::SplToken } else { TokenProgram::Token2022 },
            amount: u64::from(i) + 1,
            decimals: 9,
            lamports: 2_039_280,
            destination_rent: None,
            frozen: false,
            destination_frozen: false,
            close_authority: None,
            token_2022: None,
        })
        .collect();
    h.lamports = 1_000_000_000;
    h
}

#[test]
fn a_large_sweep_is_split_within_the_packet_limit_and_still_ends_at_zero() {
    let m = plan();
    let row = &m[1];
    let h = many_tokens(&row.old_address, 30);
    for price in [0, 100_000] {
        let options = SolanaSweepOptions { compute_unit_price: price, ..blockhash() };
        let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &options).unwrap();
        assert!(plan.transactions.len() >= 4, "{}", plan.transactions.len());
        let mut fees = 0;
        for (i, tx) in plan.transactions.iter().enumerate() {
            assert!(B64.decode(&tx.tx).unwrap().len() <= PACKET_DATA_SIZE);
            assert_eq!(guard(&m, &tx.tx), Ok(1));
            let t = decode(&tx.tx);
            assert_eq!(u128::from(tx.fee), t.message.max_fee().total());
            fees += tx.fee;
            let last = i == plan.transactions.len() - 1;
            let transfers = t.message.actions().iter().filter(|a| matches!(a, Action::SystemTransfer { .. })).count();
            assert_eq!(transfers, usize::from(last), "the SOL moves in the last transaction only");
        }
        assert_eq!(plan.fees, fees);
        assert_eq!(plan.fees + plan.rent + plan.sol, h.lamports);
        let moved: usize = plan.transactions.iter().map(|t| t.moves.len()).sum();
        assert_eq!(moved, 30 + 2 + 1 + 1, "30 tokens, 2 stake groups, 1 nonce, the SOL");
    }
}

#[test]
fn durable_nonces_one_per_transaction() {
    let m = plan();
    let row = &m[0];
    let h = holdings(&row.old_address);
    let nonce = |n: u8| SolanaRecent::Nonce { account: k(n), value: k(n + 1) };
    // One transaction: the nonce of the swept nonce account itself may be used (advanced first, then authorized).
    let options = SolanaSweepOptions { compute_unit_price: 7, recent: vec![nonce(30)] };
    let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &options).unwrap();
    let t = decode(&plan.transactions[0].tx);
    assert!(
        matches!(&t.message.actions()[0], Action::SystemAdvanceNonce { nonce_account, .. } if key_of(nonce_account) == k(30))
    );
    assert_eq!(t.message.recent_blockhash, k(31));
    assert_eq!(guard(&m, &plan.transactions[0].tx), Ok(0));
    // Several transactions need as many nonces.
    let big = many_tokens(&row.old_address, 30);
    let recent: Vec<SolanaRecent> = (0..10).map(|i| nonce(50 + 2 * i)).collect();
    let plan = build_solana_full_sweep(
        &row.old_address,
        &row.new_address,
        &big,
        &SolanaSweepOptions { compute_unit_price: 0, recent },
    )
    .unwrap();
    // Too few: the error says how many the sweep needs (one per transaction), whatever number was given.
    let needed = plan.transactions.len();
    assert!(needed >= 3, "{needed}");
    for given in [1, needed - 1] {
        let short =
            SolanaSweepOptions { compute_unit_price: 0, recent: (0..given).map(|i| nonce(50 + 2 * i as u8)).collect() };
        let e = build_solana_full_sweep(&row.old_address, &row.new_address, &big, &short);
        assert_eq!(e, Err(MigrateError::TooFewNonces { given, needed }));
        assert!(e.unwrap_err().to_string().contains(&format!("needs {needed} ({given} given)")));
    }
    for (i, tx) in plan.transactions.iter().enumerate() {
        let t = decode(&tx.tx);
        assert!(
            matches!(&t.message.actions()[0], Action::SystemAdvanceNonce { nonce_account, .. } if key_of(nonce_account) == k(50 + 2 * i as u8))
        );
        assert!(B64.decode(&tx.tx).unwrap().len() <= PACKET_DATA_SIZE);
        assert_eq!(guard(&m, &tx.tx), Ok(0));
    }
    // The swept nonce account may make the last transaction recent: it is advanced before it is re-authorized.
    let mut recent: Vec<SolanaRecent> = (0..10).map(|i| nonce(50 + 2 * i)).collect();
    recent.truncate(plan.transactions.len());
    *recent.last_mut().unwrap() = nonce(30);
    let r = build_solana_full_sweep(
        &row.old_address,
        &row.new_address,
        &big,
        &SolanaSweepOptions { compute_unit_price: 0, recent },
    );
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn bad_holdings_and_short_funds() {
    let m = plan();
    let row = &m[0];
    let (o, n) = (row.old_address.as_str(), row.new_address.as_str());
    let build = |h: &SolanaHoldings| build_solana_full_sweep(o, n, h, &blockhash());
    let mut h = holdings(&m[1].old_address);
    assert!(matches!(build(&h), Err(MigrateError::BadHoldings { .. })), "another address's holdings");
    h = holdings(o);
    h.token_accounts[1].address = h.token_accounts[0].address.clone();
    assert!(matches!(build(&h), Err(MigrateError::BadHoldings { .. })), "a duplicate");
    h = holdings(o);
    h.stake_accounts[0].withdrawer = "not-base58-0OIl".into();
    assert!(matches!(build(&h), Err(MigrateError::BadHoldings { .. })), "a bad address");
    h = holdings(o);
    h.token_accounts[0].address = n.into();
    assert!(matches!(build(&h), Err(MigrateError::BadHoldings { .. })), "the new address as a token account");
    // Not enough SOL for the rent of the new token accounts.
    h = holdings(o);
    h.lamports = 4_000_000;
    assert!(matches!(build(&h), Err(MigrateError::SolanaFundsShort { balance: 4_000_000, .. })));
    // Enough for everything, but the old account would fall below rent exemption between transactions.
    let mut big = many_tokens(o, 30);
    big.token_accounts.iter_mut().for_each(|t| t.destination_rent = Some(0));
    let probe = build_solana_full_sweep(o, n, &big, &blockhash()).unwrap();
    big.lamports = probe.fees + probe.rent + 1;
    assert!(matches!(build_solana_full_sweep(o, n, &big, &blockhash()), Err(MigrateError::SolanaFundsShort { .. })));
    // A priority fee above the guard's cap.
    let r = build_solana_full_sweep(
        o,
        n,
        &holdings(o),
        &SolanaSweepOptions { compute_unit_price: u64::MAX / 2, ..blockhash() },
    );
    assert!(matches!(r, Err(MigrateError::BadFee { .. })), "{r:?}");
    assert!(matches!(
        build_solana_full_sweep(o, n, &holdings(o), &SolanaSweepOptions { compute_unit_price: 0, recent: vec![] }),
        Err(MigrateError::BadBlockhash { .. })
    ));
}

/// A one-signer message from raw instructions (the builder's compiler), as an unsigned transaction.
fn tx(payer: &[u8; 32], ixs: &[Ix]) -> String {
    let message = compile(payer, ixs, &[3; 32]);
    B64.encode(sol::encode_transaction(&vec![[0; 64]; usize::from(message[0])], &message))
}

fn ix(program: &str, accounts: Vec<Meta>, data: Vec<u8>) -> Ix {
    Ix { program: key(program), accounts, data, units: 0 }
}

#[test]
fn guard_allows_each_sweep_form_and_refuses_each_variant() {
    let m = plan();
    let (old, new) = (
        crate::chain::solana::parse_address(&m[0].old_address).unwrap(),
        crate::chain::solana::parse_address(&m[0].new_address).unwrap(),
    );
    let back = crate::chain::solana::parse_address(&m[1].old_address).unwrap();
    let third = k(77);
    let mint = k(MINT_A);
    let ata = |wallet: &[u8; 32], p| associated_token_address(wallet, &mint, p).unwrap();
    let create = |wallet: [u8; 32], account: [u8; 32], program: &str, data: Vec<u8>| {
        ix(
            sol::ASSOCIATED_TOKEN_PROGRAM,
            vec![s(old), w(account), r(wallet), r(mint), r([0; 32]), r(key(program))],
            data,
        )
    };
    let transfer_checked = |program: &str, to: [u8; 32], authority: [u8; 32]| {
        let mut data = vec![12];
        data.extend(5u64.to_le_bytes());
        data.push(6);
        ix(program, vec![w(k(10)), r(mint), w(to), s(authority)], data)
    };
    let close = |to: [u8; 32], owner: [u8; 32]| ix(sol::TOKEN_PROGRAM, vec![w(k(10)), w(to), s(owner)], vec![9]);
    let authorize = |to: [u8; 32], role: u32, extra: Option<[u8; 32]>| {
        let mut data = 1u32.to_le_bytes().to_vec();
        data.extend(to);
        data.extend(role.to_le_bytes());
        let mut accounts = vec![w(k(20)), r(key(sol::CLOCK_SYSVAR)), s(old)];
        accounts.extend(extra.map(s));
        ix(sol::STAKE_PROGRAM, accounts, data)
    };
    let nonce_auth = |to: [u8; 32], authority: [u8; 32]| {
        let mut data = 7u32.to_le_bytes().to_vec();
        data.extend(to);
        ix(sol::SYSTEM_PROGRAM, vec![w(k(30)), s(authority)], data)
    };

    // Each allowed form on its own.
    for (name, ixs) in [
        (
            "token sweep",
            vec![
                create(new, ata(&new, TokenProgram::SplToken), sol::TOKEN_PROGRAM, vec![1]),
                transfer_checked(sol::TOKEN_PROGRAM, ata(&new, TokenProgram::SplToken), old),
                close(new, old),
            ],
        ),
        (
            "token-2022 sweep",
            vec![
                create(new, ata(&new, TokenProgram::Token2022), sol::TOKEN_2022_PROGRAM, vec![1]),
                transfer_checked(sol::TOKEN_2022_PROGRAM, ata(&new, TokenProgram::Token2022), old),
            ],
        ),
        ("close", vec![close(new, old)]),
        ("stake staker", vec![authorize(new, 0, None)]),
        ("stake withdrawer", vec![authorize(new, 1, None)]),
        ("nonce", vec![nonce_auth(new, old)]),
    ] {
        assert_eq!(guard(&m, &tx(&old, &ixs)), Ok(0), "{name}");
    }

    let refused = |name: &str, ixs: Vec<Ix>, ok: &dyn Fn(&GuardError) -> bool| {
        let e = guard(&m, &tx(&old, &ixs)).unwrap_err();
        assert!(ok(&e), "{name}: {e:?}");
    };
    let not_planned = |e: &GuardError| matches!(e, GuardError::RecipientNotPlanned { .. });
    let forbidden = |e: &GuardError| matches!(e, GuardError::Forbidden { .. });
    let other_signer = |e: &GuardError| matches!(e, GuardError::OtherSigner { .. });
    // Token: the transfer into a third party's token account, or into the new address's account of another
    // program; the close's rent to a third key or back to the compromised seed.
    refused(
        "transfer to a third ATA",
        vec![transfer_checked(sol::TOKEN_PROGRAM, ata(&third, TokenProgram::SplToken), old)],
        &not_planned,
    );
    refused("transfer to the new wallet itself", vec![transfer_checked(sol::TOKEN_PROGRAM, new, old)], &not_planned);
    refused(
        "transfer to the ATA of the other program",
        vec![transfer_checked(sol::TOKEN_PROGRAM, ata(&new, TokenProgram::Token2022), old)],
        &not_planned,
    );
    refused("close to a third key", vec![close(third, old)], &not_planned);
    refused("close back to the compromised seed", vec![close(back, old)], &|e| {
        matches!(e, GuardError::RecipientCompromised { .. })
    });
    // ATA: for another owner; an address that is not the derivation; not idempotent; another token program.
    refused(
        "ATA for another owner",
        vec![create(third, ata(&third, TokenProgram::SplToken), sol::TOKEN_PROGRAM, vec![1])],
        &not_planned,
    );
    refused("ATA address not derived", vec![create(new, third, sol::TOKEN_PROGRAM, vec![1])], &not_planned);
    refused(
        "ATA create (not idempotent)",
        vec![create(new, ata(&new, TokenProgram::SplToken), sol::TOKEN_PROGRAM, vec![0])],
        &forbidden,
    );
    refused(
        "ATA under another program",
        vec![create(new, ata(&new, TokenProgram::SplToken), sol::MEMO_PROGRAMS[0], vec![1])],
        &forbidden,
    );
    // Stake: a new authority that is a third key or the compromised seed; a lockup custodian (a second signer).
    refused("stake to a third key", vec![authorize(third, 1, None)], &not_planned);
    refused("stake back to the compromised seed", vec![authorize(back, 0, None)], &|e| {
        matches!(e, GuardError::RecipientCompromised { .. })
    });
    refused("stake with a custodian", vec![authorize(new, 1, Some(third))], &other_signer);
    // Nonce: authority to a third key; the current authority another key (a second signer).
    refused("nonce to a third key", vec![nonce_auth(third, old)], &not_planned);
    refused("nonce signed by another", vec![nonce_auth(new, third)], &other_signer);
    // An extra instruction beside a valid one: Token SetAuthority (6), a plain Transfer (3), an Approve (4).
    for (tag, len) in [(6u8, 35usize), (3, 9), (4, 9)] {
        let mut data = vec![tag];
        data.resize(len, 0);
        refused(
            &format!("extra token instruction {tag}"),
            vec![close(new, old), ix(sol::TOKEN_PROGRAM, vec![w(k(10)), w(third), s(old)], data)],
            &forbidden,
        );
    }
    // Stake instructions other than Authorize (Withdraw, 4) are refused.
    let mut withdraw = 4u32.to_le_bytes().to_vec();
    withdraw.extend(1u64.to_le_bytes());
    refused(
        "stake withdraw",
        vec![ix(sol::STAKE_PROGRAM, vec![w(k(20)), w(third), r(key(sol::CLOCK_SYSVAR)), r(k(5)), s(old)], withdraw)],
        &forbidden,
    );
}

/// The preview names a token account's rent deposit when the holdings give it, and says nothing of it when they do
/// not (the network's answers carry none): never "0.000000000 SOL" for a deposit that is not zero.
#[test]
fn a_rent_deposit_is_shown_only_when_known() {
    let m = plan();
    let row = &m[0];
    let mut h = holdings(&row.old_address);
    let shown = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    let text = shown.transactions.iter().flat_map(|t| t.moves.clone()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("the account's rent (0.002039280 SOL) to the new address"), "{text}");
    for t in &mut h.token_accounts {
        t.lamports = 0;
    }
    let unknown = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    let text = unknown.transactions.iter().flat_map(|t| t.moves.clone()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("the account's rent to the new address") && !text.contains("0.000000000 SOL"), "{text}");
}

/// A frozen token account would make its whole transaction fail on chain (the token program refuses every transfer
/// and close of it): it is left, with the reason, and nothing touches it. An account whose close authority is another
/// address has its tokens moved but is not closed (only that authority may close it); an empty one is left. The
/// rest of the sweep is unchanged and the guard accepts it.
#[test]
fn frozen_accounts_are_left_and_foreign_close_authorities_are_not_closed() {
    let m = plan();
    let row = &m[0];
    let mut h = holdings(&row.old_address);
    h.token_accounts[0].frozen = true;
    h.token_accounts[1].close_authority = Some(b58(&k(97)));
    h.token_accounts[2].close_authority = Some(b58(&k(97)));
    let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    assert_eq!(plan.transactions.len(), 1);
    let tx = &plan.transactions[0];
    assert_eq!(guard(&m, &tx.tx), Ok(0));
    let t = decode(&tx.tx);
    let keys = &t.message.account_keys;
    assert!(!keys.contains(&k(10)), "the frozen account is in no instruction");
    assert!(!keys.contains(&k(12)), "the empty account another address closes is in no instruction");
    let at = |n: u8| keys.iter().position(|x| *x == k(n)).map(|i| u8::try_from(i).unwrap());
    let eleven = at(11).expect("the tokens of account 11 move");
    let on_eleven: Vec<u8> =
        t.message.instructions.iter().filter(|i| i.accounts.first() == Some(&eleven)).map(|i| i.data[0]).collect();
    assert_eq!(on_eleven, vec![12], "TransferChecked only: no CloseAccount (9) of an account another address closes");
    let why: Vec<&str> = plan.left.iter().map(|l| l.why.as_str()).collect();
    assert!(why.iter().any(|w| w.contains("frozen")), "{why:?}");
    assert_eq!(why.iter().filter(|w| w.contains("close authority")).count(), 2, "{why:?}");
    assert_eq!(plan.fees + plan.rent + plan.sol, h.lamports, "the old address still ends at 0");
    // Stated in the holdings file as the network reports them.
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&h.token_accounts[0]).unwrap();
        assert_eq!(json["frozen"], true);
        assert!(serde_json::to_value(&h.token_accounts[2]).unwrap()["close_authority"].is_string());
    }
}

/// The new address's token account for a mint exists and is frozen: the token program refuses the transfer into it
/// (AccountFrozen) and would fail the whole transaction, so those tokens stay with the reason (the old account is
/// not touched: closing it would need it empty); the rest of the sweep is unchanged and the guard accepts it. An
/// empty old account of that mint is still closed (nothing moves into the frozen account).
#[test]
fn tokens_whose_new_account_is_frozen_are_left() {
    let m = plan();
    let row = &m[0];
    let mut h = holdings(&row.old_address);
    h.token_accounts[0].destination_rent = Some(0);
    h.token_accounts[0].destination_frozen = true;
    h.token_accounts[2].destination_rent = Some(0);
    h.token_accounts[2].destination_frozen = true;
    let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    assert_eq!(plan.transactions.len(), 1);
    let tx = &plan.transactions[0];
    assert_eq!(guard(&m, &tx.tx), Ok(0));
    let t = decode(&tx.tx);
    assert!(!t.message.account_keys.contains(&k(10)), "the account whose tokens cannot move is in no instruction");
    assert!(t.message.account_keys.contains(&k(12)), "the empty one of the same mint is still closed");
    let left: Vec<&Left> = plan.left.iter().filter(|l| l.what.contains(&b58(&k(10)))).collect();
    assert_eq!(left.len(), 1, "{:?}", plan.left);
    assert!(left[0].why.contains("new address's token account for this mint exists and is frozen"), "{left:?}");
    assert!(t.message.account_keys.contains(&k(11)), "the other mint's tokens move");
    assert_eq!(plan.fees + plan.rent + plan.sol, h.lamports, "the old address still ends at 0");
    // Stated in the holdings file.
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&h.token_accounts[0]).unwrap();
        assert_eq!(json["destination_frozen"], true);
        assert!(serde_json::to_value(&h.token_accounts[1]).unwrap().get("destination_frozen").is_none());
        let back: TokenAccount = serde_json::from_value(json).unwrap();
        assert_eq!(back, h.token_accounts[0]);
    }
}

/// Under a lockup that may be in force the stake program refuses a withdrawer change without the custodian's
/// signature (and fails the whole transaction): the staker moves alone and the withdrawer is listed with the reason.
#[test]
fn a_stake_lockup_moves_the_staker_only() {
    let m = plan();
    let row = &m[0];
    let mut h = holdings(&row.old_address);
    h.stake_accounts.truncate(1);
    h.stake_accounts[0].lockup =
        Some(crate::holdings::solana::StakeLockup { unix_timestamp: 4_102_444_800, epoch: 0, custodian: b58(&k(96)) });
    let plan = build_solana_full_sweep(&row.old_address, &row.new_address, &h, &blockhash()).unwrap();
    let tx = &plan.transactions[0];
    assert_eq!(guard(&m, &tx.tx), Ok(0));
    let t = decode(&tx.tx);
    let stake_program = crate::chain::solana::parse_address(sol::STAKE_PROGRAM).unwrap();
    let authorizes: Vec<u32> = t
        .message
        .instructions
        .iter()
        .filter(|i| t.message.account_keys[usize::from(i.program_id_index)] == stake_program)
        .map(|i| u32::from_le_bytes(i.data[36..40].try_into().unwrap()))
        .collect();
    assert_eq!(authorizes, vec![0], "Authorize(Staker) only: no withdrawer change under the lockup");
    assert!(plan.left.iter().any(|l| l.why.contains("lockup") && l.why.contains(&b58(&k(96)))), "{:?}", plan.left);
}

/// Token-2022 extensions: what the Token-2022 program would refuse is not built (the tokens stay, with the reason),
/// withheld fees are harvested right before the close, the new account's rent follows the mint's extensions, and a
/// transfer fee is shown as withheld from what arrives.
#[test]
fn token_2022_extensions_change_the_sweep() {
    use crate::holdings::solana::{Token2022Extensions, TransferFee};
    let m = plan();
    let row = &m[0];
    let base = holdings(&row.old_address);
    let with = |ext: Token2022Extensions| {
        let mut h = base.clone();
        h.token_accounts[1].token_2022 = Some(ext);
        h
    };
    let build = |h: &SolanaHoldings| build_solana_full_sweep(&row.old_address, &row.new_address, h, &blockhash());
    let plain = build(&base).unwrap();
    // Rent of the new account: 170 bytes (ImmutableOwner) plain; +12 for TransferFeeAmount, +4 for
    // NonTransferableAccount (ImmutableOwner once), +5 for TransferHookAccount, +4 for PausableAccount.
    let fee = TransferFee { basis_points: 100, maximum_fee: 5000 };
    for (ext, len) in [
        (Token2022Extensions { transfer_fee: Some(fee), ..Default::default() }, 182),
        (Token2022Extensions { transfer_hook: true, ..Default::default() }, 175),
        (Token2022Extensions { pausable: true, ..Default::default() }, 174),
        (
            Token2022Extensions { transfer_fee: Some(fee), transfer_hook: true, pausable: true, ..Default::default() },
            191,
        ),
    ] {
        assert_eq!(ext.new_account_len(), len);
        let p = build(&with(ext)).unwrap();
        assert_eq!(p.rent - plain.rent, rent_exempt_minimum(len) - rent_exempt_minimum(170));
        assert_eq!(p.fees + p.rent + p.sol, base.lamports, "the old address still ends at 0");
        assert_eq!(guard(&m, &p.transactions[0].tx), Ok(0));
    }
    assert_eq!(Token2022Extensions { non_transferable: true, ..Default::default() }.new_account_len(), 174);
    // The fee: ⌈42 × 1%⌉ = 1 withheld, 41 arrive; the maximum caps it.
    let p = build(&with(Token2022Extensions { transfer_fee: Some(fee), ..Default::default() })).unwrap();
    assert!(p.transactions[0].moves.iter().any(|l| l.contains("(41 arrive: the mint's transfer fee withholds 1 ")));
    assert_eq!(TransferFee { basis_points: 10_000, maximum_fee: 7 }.fee(1000), 7);
    assert_eq!(TransferFee { basis_points: 1, maximum_fee: 7 }.fee(u64::MAX), 7);
    // Withheld fees: HarvestWithheldTokensToMint [mint, account] between the transfer and the close.
    let p = build(&with(Token2022Extensions { withheld: 3, transfer_fee: Some(fee), ..Default::default() })).unwrap();
    let t = decode(&p.transactions[0].tx);
    assert_eq!(guard(&m, &p.transactions[0].tx), Ok(0));
    let actions = t.message.actions();
    let at = actions.iter().position(|a| matches!(a, Action::TokenHarvestWithheldToMint { .. })).unwrap();
    assert!(matches!(actions[at], Action::TokenHarvestWithheldToMint { mint, source }
        if key_of(&mint) == k(MINT_B) && key_of(&source) == k(11)));
    assert!(matches!(actions[at - 1], Action::TokenTransferChecked { source, .. } if key_of(&source) == k(11)));
    assert!(matches!(actions[at + 1], Action::TokenCloseAccount { account, .. } if key_of(&account) == k(11)));
    // Tokens that cannot move stay whole, with the reason; the rest of the sweep is built as before.
    for (ext, why) in [
        (Token2022Extensions { non_transferable: true, ..Default::default() }, "non-transferable"),
        (
            Token2022Extensions { transfer_hook: true, transfer_hook_program: Some(b58(&k(95))), ..Default::default() },
            "transfer hook",
        ),
        (Token2022Extensions { pausable: true, paused: true, ..Default::default() }, "paused"),
        (Token2022Extensions { default_frozen: true, ..Default::default() }, "created frozen"),
    ] {
        let p = build(&with(ext)).unwrap();
        assert!(p.left.iter().any(|l| l.what.contains(&b58(&k(11))) && l.why.contains(why)), "{why}: {:?}", p.left);
        assert!(!decode(&p.transactions[0].tx).message.account_keys.contains(&k(11)), "{why}: not touched");
        assert_eq!(p.fees + p.rent + p.sol, base.lamports);
        assert_eq!(guard(&m, &p.transactions[0].tx), Ok(0));
    }
    // Default-frozen with the new account there already: it moves (the account may have been thawed).
    let mut h = with(Token2022Extensions { default_frozen: true, ..Default::default() });
    h.token_accounts[1].destination_rent = Some(0);
    assert!(build(&h).unwrap().left.iter().all(|l| !l.what.contains(&b58(&k(11)))));
    // An empty non-transferable account is still closed.
    let mut h = with(Token2022Extensions { non_transferable: true, ..Default::default() });
    h.token_accounts[1].amount = 0;
    let p = build(&h).unwrap();
    assert!(p.transactions[0].moves.iter().any(|l| l.contains(&format!("empty token account {}", b58(&k(11))))));
    // A confidential balance: the public balance moves, the account stays open (no CloseAccount of it).
    let p = build(&with(Token2022Extensions { confidential_balance: true, ..Default::default() })).unwrap();
    let t = decode(&p.transactions[0].tx);
    let eleven = t.message.account_keys.iter().position(|x| *x == k(11)).unwrap();
    let on: Vec<u8> = t
        .message
        .instructions
        .iter()
        .filter(|i| i.accounts.first() == Some(&u8::try_from(eleven).unwrap()))
        .map(|i| i.data[0])
        .collect();
    assert_eq!(on, vec![12]);
    assert!(p.left.iter().any(|l| l.why.contains("confidential")));
    // A hook program that is not an address is refused.
    let ext = Token2022Extensions { transfer_hook_program: Some("x".repeat(5000)), ..Default::default() };
    assert!(matches!(build(&with(ext)), Err(MigrateError::BadHoldings { .. })));
    // Token-2022 facts on an SPL Token account are refused.
    let mut h = base.clone();
    h.token_accounts[0].token_2022 = Some(Token2022Extensions { withheld: 1, ..Default::default() });
    assert!(matches!(build(&h), Err(MigrateError::BadHoldings { .. })));
}

/// The guard accepts Token-2022's harvest only of a token account the same transaction then closes (signed by the
/// old address), to the mint that account's tokens move of; every variant is refused.
#[test]
fn guard_allows_the_fee_harvest_only_before_the_close() {
    let m = plan();
    let (old, new) = (
        crate::chain::solana::parse_address(&m[0].old_address).unwrap(),
        crate::chain::solana::parse_address(&m[0].new_address).unwrap(),
    );
    let (mint, account) = (k(MINT_B), k(11));
    let ata = associated_token_address(&new, &mint, TokenProgram::Token2022).unwrap();
    let t22 = sol::TOKEN_2022_PROGRAM;
    let transfer = |mint: [u8; 32]| {
        let mut data = vec![12];
        data.extend(5u64.to_le_bytes());
        data.push(0);
        ix(t22, vec![w(account), r(mint), w(ata), s(old)], data)
    };
    let harvest = |mint: [u8; 32], source: [u8; 32]| ix(t22, vec![w(mint), w(source)], vec![26, 4]);
    let close = |acc: [u8; 32]| ix(t22, vec![w(acc), w(new), s(old)], vec![9]);
    let ok = [transfer(mint), harvest(mint, account), close(account)];
    assert_eq!(guard(&m, &tx(&old, &ok)), Ok(0));
    assert_eq!(guard(&m, &tx(&old, &[harvest(mint, account), close(account)])), Ok(0), "an empty account");
    let forbidden = |ixs: &[Ix]| matches!(guard(&m, &tx(&old, ixs)), Err(GuardError::Forbidden { .. }));
    // Not closed afterwards, closed before, another account closed, another mint than moved.
    assert!(forbidden(&[transfer(mint), harvest(mint, account)]));
    assert!(forbidden(&[close(account), harvest(mint, account)]));
    assert!(forbidden(&[harvest(mint, k(12)), close(account)]));
    assert!(forbidden(&[transfer(mint), harvest(k(MINT_A), account), close(account)]));
    // Under SPL Token (no such instruction), with another sub-instruction or extra source accounts: not decoded.
    for bad in [
        ix(sol::TOKEN_PROGRAM, vec![w(mint), w(account)], vec![26, 4]),
        ix(t22, vec![w(mint), w(account)], vec![26, 3]),
        ix(t22, vec![w(mint), w(account), w(k(12))], vec![26, 4]),
        ix(t22, vec![w(mint), w(account)], vec![26, 4, 0]),
    ] {
        assert!(forbidden(&[transfer(mint), bad, close(account)]));
    }
}
