use super::*;
use crate::sign::Details;
use crate::sign::stellar::OperationBody;

#[test]
fn amounts() {
    assert_eq!(parse_amount("1", 9, "SOL"), Ok(Amount::Exact(1_000_000_000)));
    assert_eq!(parse_amount(" 0.000000001 ", 9, "SOL"), Ok(Amount::Exact(1)));
    assert_eq!(parse_amount("1.50", 2, "X"), Ok(Amount::Exact(150)));
    assert_eq!(parse_amount(".5", 1, "X"), Ok(Amount::Exact(5)));
    assert_eq!(parse_amount("MAX", 7, "XLM"), Ok(Amount::Max));
    assert_eq!(parse_amount("42", 0, "X"), Ok(Amount::Exact(42)));
    assert_eq!(parse_amount("1.2300", 2, "X"), Ok(Amount::Exact(123)), "trailing zeros are not decimals");
    assert!(matches!(
        parse_amount("0.0000000001", 9, "SOL"),
        Err(SendError::TooManyDecimals { given: 10, decimals: 9, .. })
    ));
    assert!(matches!(parse_amount("1.5", 0, "X"), Err(SendError::TooManyDecimals { .. })));
    for zero in ["0", "0.000", "00"] {
        assert_eq!(parse_amount(zero, 9, "SOL"), Err(SendError::ZeroAmount), "{zero}");
    }
    for bad in ["", ".", "1.", "-1", "1e9", "1,5", "0x10", "1.2.3", " 1 000", "+1", "one"] {
        assert!(matches!(parse_amount(bad, 9, "SOL"), Err(SendError::BadAmount { .. })), "{bad:?}");
    }
    assert_eq!(parse_amount("18446744073709551615", 0, "X"), Ok(Amount::Exact(u128::from(u64::MAX))));
    assert_eq!(parse_amount("18446744073709551616", 0, "X"), Err(SendError::AmountTooLarge));
    assert_eq!(parse_amount("18446744074", 9, "SOL"), Err(SendError::AmountTooLarge));
    assert_eq!(parse_amount(&"9".repeat(60), 9, "SOL"), Err(SendError::AmountTooLarge));
    assert_eq!(format_units(1_500_000_000, 9), "1.5");
    assert_eq!(format_units(1, 9), "0.000000001");
    assert_eq!(format_units(20, 0), "20");
    assert_eq!(format_units(10_000_000, 7), "1");
}

use crate::holdings::iota_sui::{Coin, CoinGroup, Holdings};
use crate::holdings::solana::{SolanaHoldings, TokenAccount, TokenProgram};
use crate::holdings::stellar::{StellarAsset, StellarHoldings, StellarTrustline};
use crate::migrate::SolanaRecent;
use crate::sign::stellar::{Memo, Network};

const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

fn address(chain: Chain, n: u32) -> String {
    let seed = crate::Mnemonic::parse(ABOUT).unwrap().to_seed("");
    chain.account(&seed, crate::AccountIndex::new(n).unwrap(), crate::AddressIndex::ZERO).unwrap().address
}

fn text(b: &BuiltSend) -> String {
    pasted_is_the_same(b);
    b.decoded.summary().to_string()
}

/// The summary of the built payment is the one its bytes get when pasted as base64 (what `coffer sign` decodes).
fn pasted_is_the_same(b: &BuiltSend) {
    use base64::Engine as _;
    let sign::Payload::TransactionBytes(bytes) = &b.request.payload else { panic!("bytes") };
    let mut request = SignRequest::new(
        b.request.chain,
        sign::Payload::Transaction(base64::engine::general_purpose::STANDARD.encode(bytes)),
    );
    if let Some(n) = &b.request.network {
        request = request.with_network(n.clone());
    }
    assert_eq!(sign::decode(&request).unwrap().summary(), b.decoded.summary());
}

fn sol_holdings(lamports: u64) -> SolanaHoldings {
    SolanaHoldings {
        address: address(Chain::Solana, 0),
        lamports,
        token_accounts: vec![TokenAccount {
            address: bs58::encode([0x77; 32]).into_string(),
            mint: bs58::encode([0xa1; 32]).into_string(),
            program: TokenProgram::Token2022,
            amount: 1_500_000,
            decimals: 6,
            lamports: 2_074_080,
            destination_rent: None,
            frozen: false,
            destination_frozen: false,
            close_authority: None,
            token_2022: None,
        }],
        stake_accounts: vec![],
        nonce_accounts: vec![],
    }
}

fn sol(to: &str, amount: Amount, mint: Option<String>, price: u64) -> SolanaSend {
    SolanaSend {
        to: to.into(),
        amount,
        mint,
        recipient_token_account_exists: false,
        recipient_token_account_frozen: false,
        recipient_lamports: None,
        compute_unit_price: price,
        recent: SolanaRecent::Blockhash([9; 32]),
    }
}

#[test]
fn solana_sol_payment_decodes_to_what_was_asked() {
    let to = address(Chain::Solana, 1);
    let b = build_solana_send(&sol_holdings(1_000_000_000), &sol(&to, Amount::Exact(250_000_000), None, 0)).unwrap();
    assert_eq!((b.amount, b.fee, b.deposit, b.asset.as_str()), (250_000_000, 5000, 0, "SOL"));
    let s = b.decoded.summary();
    assert_eq!(s.signers, [address(Chain::Solana, 0)]);
    let t = text(&b);
    assert!(t.contains(&to) && t.contains("0.25"), "{t}");
    // The summary is the one the same bytes get when pasted.
    let sign::Payload::TransactionBytes(bytes) = &b.request.payload else { panic!() };
    use base64::Engine as _;
    let pasted = sign::decode(&SignRequest::new(
        Chain::Solana,
        sign::Payload::Transaction(base64::engine::general_purpose::STANDARD.encode(bytes)),
    ))
    .unwrap();
    assert_eq!(pasted.summary(), s);

    // A priority fee: compute budget first, fee = 5000 + ceil(price × limit / 10^6).
    let b = build_solana_send(&sol_holdings(1_000_000_000), &sol(&to, Amount::Exact(1), None, 1_000_000)).unwrap();
    assert_eq!(b.fee, 5000 + 5000, "limit 5000 units (3000 transfer + 2 × 1000 budget) at 1 lamport each");
    assert_eq!(b.decoded.summary().max_fee.as_ref().unwrap().base_units, b.fee);

    // Max: the account ends at 0 (allowed), everything but the fee moves.
    let b = build_solana_send(&sol_holdings(1_000_000_000), &sol(&to, Amount::Max, None, 0)).unwrap();
    assert_eq!(b.amount, 1_000_000_000 - 5000);
    // Over the balance, and leaving less than the rent-exempt minimum, are refused.
    let e = build_solana_send(&sol_holdings(1_000_000_000), &sol(&to, Amount::Exact(999_999_000), None, 0));
    assert!(matches!(e, Err(SendError::OverBalance { needed: 1_000_004_000, balance: 1_000_000_000, .. })), "{e:?}");
    let e = build_solana_send(&sol_holdings(1_000_000_000), &sol(&to, Amount::Exact(999_200_000), None, 0));
    assert!(matches!(e, Err(SendError::BelowMinimumLeft { left: 795_000, minimum: 890_880 })), "{e:?}");
    // To an address without SOL: at least the rent-exempt minimum (unknown offline: not checked).
    let mut new = sol(&to, Amount::Exact(890_879), None, 0);
    new.recipient_lamports = Some(0);
    assert_eq!(
        build_solana_send(&sol_holdings(1_000_000_000), &new).unwrap_err(),
        SendError::NewAccountBelowRent { minimum: 890_880 }
    );
    new.amount = Amount::Exact(890_880);
    assert!(build_solana_send(&sol_holdings(1_000_000_000), &new).is_ok());
    new.amount = Amount::Exact(1);
    new.recipient_lamports = Some(1);
    assert!(build_solana_send(&sol_holdings(1_000_000_000), &new).is_ok());
    // A durable nonce: AdvanceNonceAccount first.
    let mut n = sol(&to, Amount::Exact(10), None, 0);
    n.recent = SolanaRecent::Nonce { account: [5; 32], value: [6; 32] };
    let b = build_solana_send(&sol_holdings(1_000_000_000), &n).unwrap();
    assert!(text(&b).contains("advance"), "{}", text(&b));
}

#[test]
fn solana_token_payment_creates_the_recipient_account_and_checks_decimals() {
    let to = address(Chain::Solana, 1);
    let mint = bs58::encode([0xa1; 32]).into_string();
    let h = sol_holdings(10_000_000);
    let b = build_solana_send(&h, &sol(&to, Amount::Exact(250_000), Some(mint.clone()), 0)).unwrap();
    assert_eq!((b.amount, b.decimals, b.amount_text()), (250_000, 6, "0.25".to_owned()));
    assert_eq!(b.deposit, 2_074_080, "a Token-2022 account's rent (170 bytes)");
    let ata = crate::migrate::associated_token_address(
        &crate::chain::solana::parse_address(&to).unwrap(),
        &[0xa1; 32],
        TokenProgram::Token2022,
    )
    .unwrap();
    let t = text(&b);
    assert!(t.contains(&bs58::encode(ata).into_string()) && t.contains(&mint), "{t}");
    let Details::Solana(tx) = &b.decoded.summary().details else { panic!() };
    assert!(matches!(
        tx.message.actions()[..],
        [
            sign::solana::Action::CreateAssociatedTokenAccount { idempotent: true, .. },
            sign::solana::Action::TokenTransferChecked { amount: 250_000, decimals: 6, .. }
        ]
    ));
    // Known to exist: no creation, no deposit.
    let mut known = sol(&to, Amount::Max, Some(mint.clone()), 0);
    known.recipient_token_account_exists = true;
    let b = build_solana_send(&h, &known).unwrap();
    assert_eq!((b.amount, b.deposit), (1_500_000, 0));
    let e = build_solana_send(&h, &sol(&to, Amount::Exact(1_500_001), Some(mint.clone()), 0));
    assert!(matches!(e, Err(SendError::OverBalance { needed: 1_500_001, balance: 1_500_000, .. })), "{e:?}");
    let other = bs58::encode([0xb2; 32]).into_string();
    assert!(matches!(
        build_solana_send(&h, &sol(&to, Amount::Exact(1), Some(other), 0)),
        Err(SendError::AssetNotHeld { .. })
    ));
    // A frozen account refuses every transfer: it is never the source, and holding only frozen ones is saying so.
    let mut frozen = h.clone();
    frozen.token_accounts[0].frozen = true;
    let e = build_solana_send(&frozen, &sol(&to, Amount::Exact(1), Some(mint.clone()), 0));
    assert!(matches!(&e, Err(SendError::AssetNotHeld { asset }) if asset.contains("not frozen")), "{e:?}");
    // SOL for the fee and the rent deposit must be there.
    let e = build_solana_send(&sol_holdings(2_000_000), &sol(&to, Amount::Exact(1), Some(mint), 0));
    assert!(matches!(e, Err(SendError::FeeOverBalance { needed: 2_079_080, .. })), "{e:?}");
}

/// A Token-2022 mint with a transfer fee: the recipient's new account is paid at its size under the mint's
/// extensions (182 bytes: ImmutableOwner and TransferFeeAmount), and the fee withheld from what arrives is stated.
#[test]
fn solana_token_2022_transfer_fee_and_new_account_rent_come_from_the_mint() {
    use crate::holdings::solana::{Token2022Extensions, TransferFee};
    let to = address(Chain::Solana, 1);
    let mint = bs58::encode([0xa1; 32]).into_string();
    let mut h = sol_holdings(10_000_000);
    h.token_accounts[0].token_2022 = Some(Token2022Extensions {
        transfer_fee: Some(TransferFee { basis_points: 100, maximum_fee: 5_000 }),
        ..Default::default()
    });
    let b = build_solana_send(&h, &sol(&to, Amount::Exact(250_000), Some(mint.clone()), 0)).unwrap();
    assert_eq!(b.deposit, (128 + 182) * 6960, "the rent of a 182-byte account, not of 170 bytes");
    assert_eq!((b.amount, b.transfer_fee, b.arrives()), (250_000, 2_500, 247_500), "1% of 250000");
    assert!(b.notes.iter().any(|n| n.contains("withholds 0.0025") && n.contains("0.2475 arrive")), "{:?}", b.notes);
    // Capped at the maximum fee; max sends the whole balance and less arrives.
    let b = build_solana_send(&h, &sol(&to, Amount::Max, Some(mint.clone()), 0)).unwrap();
    assert_eq!((b.amount, b.transfer_fee, b.arrives()), (1_500_000, 5_000, 1_495_000));
    // The SOL check counts the larger rent: enough for a 170-byte account, not for this one.
    let short = (128 + 170) * 6960 + 5000;
    let mut poor = h.clone();
    poor.lamports = short;
    let e = build_solana_send(&poor, &sol(&to, Amount::Exact(1), Some(mint.clone()), 0));
    assert!(matches!(e, Err(SendError::FeeOverBalance { needed: 2_162_600, .. })), "{e:?}");
    // The recipient's account exists: no rent; the fee is still withheld.
    let mut known = sol(&to, Amount::Exact(100), Some(mint), 0);
    known.recipient_token_account_exists = true;
    let b = build_solana_send(&h, &known).unwrap();
    assert_eq!((b.deposit, b.transfer_fee), (0, 1));
    // Other extensions size the account too: a hook without a program (175), a pausable mint (174).
    for (ext, len) in [
        (Token2022Extensions { transfer_hook: true, ..Default::default() }, 175),
        (Token2022Extensions { pausable: true, ..Default::default() }, 174),
        (Token2022Extensions::default(), 170),
    ] {
        let mut h = h.clone();
        h.token_accounts[0].token_2022 = Some(ext);
        let b = build_solana_send(&h, &sol(&to, Amount::Exact(1), h.token_accounts[0].mint.clone().into(), 0)).unwrap();
        assert_eq!((b.deposit, b.transfer_fee), ((128 + len) * 6960, 0), "{len}");
    }
    // An SPL Token account stating Token-2022 extensions is not believed.
    let mut spl = h.clone();
    spl.token_accounts[0].program = TokenProgram::SplToken;
    let e = build_solana_send(&spl, &sol(&to, Amount::Exact(1), spl.token_accounts[0].mint.clone().into(), 0));
    assert!(matches!(e, Err(SendError::BadHoldings { .. })), "{e:?}");
}

/// The Token-2022 program refuses a transfer of a non-transferable mint, of a mint with a transfer hook program, of
/// a paused mint, and into a new account of a default-frozen mint: each is refused before anything is built.
#[test]
fn solana_token_2022_mints_that_refuse_the_transfer_are_refused() {
    use crate::holdings::solana::Token2022Extensions;
    let to = address(Chain::Solana, 1);
    let mint = bs58::encode([0xa1; 32]).into_string();
    let hook = bs58::encode([0x4b; 32]).into_string();
    let cases = [
        (Token2022Extensions { non_transferable: true, ..Default::default() }, TokenRefusal::NonTransferable),
        (
            Token2022Extensions {
                transfer_hook: true,
                transfer_hook_program: Some(hook.clone()),
                ..Default::default()
            },
            TokenRefusal::TransferHook { program: hook.clone() },
        ),
        (Token2022Extensions { pausable: true, paused: true, ..Default::default() }, TokenRefusal::Paused),
        (Token2022Extensions { default_frozen: true, ..Default::default() }, TokenRefusal::NewAccountFrozen),
    ];
    for (ext, reason) in cases {
        let mut h = sol_holdings(10_000_000);
        h.token_accounts[0].token_2022 = Some(ext.clone());
        let e = build_solana_send(&h, &sol(&to, Amount::Exact(1), Some(mint.clone()), 0)).unwrap_err();
        assert_eq!(e, SendError::TokenNotSendable { mint: mint.clone(), reason: reason.clone() }, "{ext:?}");
        assert!(e.to_string().contains(&mint), "{e}");
    }
    // A default-frozen mint whose recipient account exists already: sent (that account may have been thawed).
    let mut h = sol_holdings(10_000_000);
    h.token_accounts[0].token_2022 = Some(Token2022Extensions { default_frozen: true, ..Default::default() });
    let mut known = sol(&to, Amount::Exact(1), Some(mint.clone()), 0);
    known.recipient_token_account_exists = true;
    assert!(build_solana_send(&h, &known).is_ok());
    // A hook extension without a program calls nothing: sent. A pausable mint that is not paused: sent.
    for ext in [
        Token2022Extensions { transfer_hook: true, ..Default::default() },
        Token2022Extensions { pausable: true, ..Default::default() },
    ] {
        h.token_accounts[0].token_2022 = Some(ext);
        assert!(build_solana_send(&h, &sol(&to, Amount::Exact(1), Some(mint.clone()), 0)).is_ok());
    }
    // The recipient's account exists and is frozen (any token program): refused.
    let mut frozen = sol(&to, Amount::Exact(1), Some(mint.clone()), 0);
    frozen.recipient_token_account_exists = true;
    frozen.recipient_token_account_frozen = true;
    assert!(matches!(
        build_solana_send(&sol_holdings(10_000_000), &frozen),
        Err(SendError::TokenNotSendable { reason: TokenRefusal::RecipientFrozen, .. })
    ));
    // A hook program that is not an address: the holdings are refused.
    h.token_accounts[0].token_2022 =
        Some(Token2022Extensions { transfer_hook_program: Some("not an address".into()), ..Default::default() });
    let e = build_solana_send(&h, &sol(&to, Amount::Exact(1), Some(mint), 0));
    assert!(matches!(e, Err(SendError::BadHoldings { .. })), "{e:?}");
}

#[test]
fn recipients_are_validated_with_their_checksums() {
    let sol = address(Chain::Solana, 1);
    let xlm = address(Chain::Stellar, 1);
    let iota = address(Chain::Iota, 1);
    assert!(parse_recipient(Chain::Solana, &sol).is_ok());
    assert!(parse_recipient(Chain::Stellar, &xlm).is_ok());
    assert!(parse_recipient(Chain::Iota, &iota).is_ok());
    // One character changed: Stellar's CRC16 catches it.
    let mut broken = xlm.clone().into_bytes();
    broken[10] = if broken[10] == b'A' { b'B' } else { b'A' };
    let broken = String::from_utf8(broken).unwrap();
    for (chain, bad) in [
        (Chain::Stellar, broken.as_str()),
        (Chain::Stellar, &xlm[..55]),
        (Chain::Solana, &sol[..20]),
        (Chain::Solana, "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl"),
        (Chain::Iota, &iota[2..]),
        (Chain::Sui, &iota[..65]),
        (Chain::Sui, "0xZZ"),
        (Chain::Raw, "x"),
    ] {
        assert!(matches!(parse_recipient(chain, bad), Err(SendError::BadRecipient { .. })), "{chain} {bad}");
    }
    let h = sol_holdings(1_000_000_000);
    assert_eq!(
        build_solana_send(&h, &self::sol(&address(Chain::Solana, 0), Amount::Exact(1), None, 0)).unwrap_err(),
        SendError::SelfPayment
    );
}

fn xlm_holdings() -> StellarHoldings {
    StellarHoldings {
        address: address(Chain::Stellar, 0),
        exists: true,
        sequence: 41,
        native: 100_000_000,
        trustlines: vec![StellarTrustline::Credit {
            code: "USDC".into(),
            issuer: address(Chain::Stellar, 4),
            balance: 5_000_000,
            limit: i64::MAX,
            authorized: true,
            auth_required: false,
        }],
        offers: vec![],
        data: vec![],
        claimable_balances: vec![],
        subentry_count: 1,
        num_sponsoring: 0,
        num_sponsored: 0,
    }
}

fn xlm(to: &str, asset: StellarAsset, amount: Amount, recipient: StellarRecipient, memo: Memo) -> StellarSend {
    StellarSend {
        to: to.into(),
        recipient,
        asset,
        amount,
        memo,
        fee: 100,
        base_reserve: crate::migrate::STELLAR_BASE_RESERVE,
        network: Network::Testnet,
    }
}

#[test]
fn stellar_payment_with_memo_and_account_creation() {
    let to = address(Chain::Stellar, 1);
    let memo = parse_memo("text", "invoice 42").unwrap();
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, StellarAsset::Native, Amount::Exact(25_000_000), StellarRecipient::Exists, memo),
    )
    .unwrap();
    let Details::Stellar(env, _) = &b.decoded.summary().details else { panic!() };
    assert_eq!((env.seq_num, env.fee, &env.memo), (42, 100, &Memo::Text(b"invoice 42".to_vec())));
    let t = text(&b);
    assert!(t.contains(&to) && t.contains("2.5000000") && t.contains("invoice 42"), "{t}");
    // Max: everything above the minimum balance (2 + 1 subentry) × 0.5 XLM and the fee.
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, StellarAsset::Native, Amount::Max, StellarRecipient::Exists, Memo::Id(7)),
    )
    .unwrap();
    assert_eq!(b.amount, 100_000_000 - 15_000_000 - 100);
    let e = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, StellarAsset::Native, Amount::Exact(84_999_901), StellarRecipient::Exists, Memo::None),
    );
    assert!(matches!(e, Err(SendError::OverBalance { .. })), "{e:?}");
    // A new account: CREATE_ACCOUNT, with at least 1 XLM.
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, StellarAsset::Native, Amount::Exact(10_000_000), StellarRecipient::Missing, Memo::None),
    )
    .unwrap();
    assert!(text(&b).contains("create account"), "{}", text(&b));
    let Details::Stellar(env, _) = &b.decoded.summary().details else { panic!() };
    assert!(matches!(env.operations[0].body, OperationBody::CreateAccount { starting_balance: 10_000_000, .. }));
    assert_eq!(
        build_stellar_send(
            &xlm_holdings(),
            &xlm(&to, StellarAsset::Native, Amount::Exact(9_999_999), StellarRecipient::Missing, Memo::None),
        )
        .unwrap_err(),
        SendError::BelowReserve { minimum: 10_000_000 }
    );
    // A credit asset.
    let usdc = StellarAsset::Credit { code: "USDC".into(), issuer: address(Chain::Stellar, 4) };
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, usdc.clone(), Amount::Max, StellarRecipient::Exists, Memo::Hash([3; 32])),
    )
    .unwrap();
    assert_eq!(b.amount, 5_000_000);
    assert!(text(&b).contains("USDC"), "{}", text(&b));
    assert_eq!(
        build_stellar_send(
            &xlm_holdings(),
            &xlm(&to, usdc.clone(), Amount::Exact(1), StellarRecipient::Missing, Memo::None)
        )
        .unwrap_err(),
        SendError::RecipientMissing
    );
    // The recipient's trustline decides: none (or not authorised) refuses; more than its room refuses; its issuer
    // needs none; lumens go regardless.
    let mut theirs = xlm_holdings();
    theirs.address.clone_from(&to);
    let line = |balance: i64, limit: i64, authorized: bool| StellarTrustline::Credit {
        code: "USDC".into(),
        issuer: address(Chain::Stellar, 4),
        balance,
        limit,
        authorized,
        auth_required: false,
    };
    theirs.trustlines = vec![];
    assert_eq!(StellarRecipient::of(&theirs, &usdc), StellarRecipient::Untrusting);
    assert_eq!(StellarRecipient::of(&theirs, &StellarAsset::Native), StellarRecipient::Exists);
    theirs.trustlines = vec![line(0, 100, false)];
    assert_eq!(StellarRecipient::of(&theirs, &usdc), StellarRecipient::Untrusting);
    theirs.trustlines = vec![line(40, 100, true)];
    assert_eq!(StellarRecipient::of(&theirs, &usdc), StellarRecipient::Room(60));
    let issuer = StellarHoldings { address: address(Chain::Stellar, 4), ..theirs.clone() };
    assert_eq!(
        StellarRecipient::of(&StellarHoldings { trustlines: vec![], ..issuer }, &usdc),
        StellarRecipient::Exists
    );
    assert_eq!(
        StellarRecipient::of(&StellarHoldings { exists: false, ..theirs.clone() }, &usdc),
        StellarRecipient::Missing
    );
    let untrusting = StellarRecipient::of(&StellarHoldings { trustlines: vec![], ..theirs.clone() }, &usdc);
    let e = build_stellar_send(&xlm_holdings(), &xlm(&to, usdc.clone(), Amount::Exact(1), untrusting, Memo::None));
    assert!(matches!(&e, Err(SendError::RecipientUntrusting { room: None, .. })), "{e:?}");
    assert!(e.unwrap_err().to_string().contains("no authorised trustline"));
    let e = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, usdc.clone(), Amount::Exact(61), StellarRecipient::Room(60), Memo::None),
    );
    assert_eq!(e.unwrap_err(), SendError::RecipientUntrusting { asset: usdc.to_string(), room: Some(60) });
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, usdc.clone(), Amount::Exact(60), StellarRecipient::Room(60), Memo::None),
    );
    assert_eq!(b.unwrap().amount, 60);
    let b = build_stellar_send(
        &xlm_holdings(),
        &xlm(&to, StellarAsset::Native, Amount::Exact(1), StellarRecipient::Untrusting, Memo::None),
    );
    assert_eq!(b.unwrap().amount, 1);
    let eur = StellarAsset::Credit { code: "EUR".into(), issuer: address(Chain::Stellar, 4) };
    assert!(matches!(
        build_stellar_send(&xlm_holdings(), &xlm(&to, eur, Amount::Exact(1), StellarRecipient::Exists, Memo::None)),
        Err(SendError::AssetNotHeld { .. })
    ));
    // Memos.
    assert!(matches!(parse_memo("text", &"x".repeat(29)), Err(SendError::BadMemo { .. })));
    assert_eq!(parse_memo("text", &"é".repeat(14)), Ok(Memo::Text("é".repeat(14).into_bytes())));
    assert!(matches!(parse_memo("id", "-1"), Err(SendError::BadMemo { .. })));
    assert_eq!(parse_memo("id", "18446744073709551615"), Ok(Memo::Id(u64::MAX)));
    assert!(matches!(parse_memo("hash", "abcd"), Err(SendError::BadMemo { .. })));
    assert_eq!(parse_memo("hash", &"0a".repeat(32)), Ok(Memo::Hash([10; 32])));
}

fn move_holdings(chain: Chain) -> Holdings {
    let coin = |n: u8, balance: u64| Coin {
        object_id: format!("0x{}", hex::encode([n; 32])),
        version: u64::from(n),
        digest: bs58::encode([n; 32]).into_string(),
        balance,
    };
    let native = if chain == Chain::Iota { "0x2::iota::IOTA" } else { "0x2::sui::SUI" };
    Holdings {
        address: address(chain, 0),
        coins: vec![
            CoinGroup { coin_type: native.into(), coins: vec![coin(1, 3_000_000_000), coin(2, 2_000_000_000)] },
            CoinGroup { coin_type: "0xabc::usd::USD".into(), coins: vec![coin(3, 10), coin(4, 20), coin(5, 30)] },
        ],
        objects: vec![],
    }
}

#[test]
fn iota_and_sui_payments_split_and_transfer() {
    for chain in [Chain::Iota, Chain::Sui] {
        let to = address(chain, 1);
        let send = |coin_type: Option<&str>, amount| MoveSend {
            chain,
            to: to.clone(),
            coin_type: coin_type.map(str::to_owned),
            decimals: 6,
            amount,
            gas_price: 1000,
        };
        let h = move_holdings(chain);
        let b = build_move_send(&h, &send(None, Amount::Exact(1_000_000_000))).unwrap();
        let t = text(&b);
        assert!(t.contains("split coin gas coin into amounts [1000000000]") && t.contains(&to), "{t}");
        let Details::IotaSui(sign::iota_sui::TransactionData::Programmable(tx)) = &b.decoded.summary().details else {
            panic!()
        };
        assert_eq!(tx.gas.payment.len(), 1, "one gas coin covers amount and budget");
        assert_eq!(b.fee, u128::from(tx.gas.budget));
        // Max: pay-all, the gas coin itself.
        let b = build_move_send(&h, &send(None, Amount::Max)).unwrap();
        assert!(text(&b).contains("transfer objects [gas coin]"), "{}", text(&b));
        assert_eq!(b.amount, 5_000_000_000 - b.fee);
        let e = build_move_send(&h, &send(None, Amount::Exact(5_000_000_000)));
        assert!(matches!(e, Err(SendError::OverBalance { .. })), "{e:?}");
        // A token: the coins needed merged, the amount split off.
        let b = build_move_send(&h, &send(Some("0xabc::usd::USD"), Amount::Exact(45))).unwrap();
        let t = text(&b);
        assert!(t.contains("merge coins [input 3] into input 2") && t.contains("amounts [45]"), "{t}");
        assert_eq!((b.amount, b.decimals), (45, 6));
        let b = build_move_send(&h, &send(Some("0xabc::usd::USD"), Amount::Max)).unwrap();
        assert_eq!(b.amount, 60);
        assert!(text(&b).contains("transfer objects [input 1]"), "{}", text(&b));
        let e = build_move_send(&h, &send(Some("0xabc::usd::USD"), Amount::Exact(61)));
        assert!(matches!(e, Err(SendError::OverBalance { needed: 61, balance: 60, .. })), "{e:?}");
        assert!(matches!(
            build_move_send(&h, &send(Some("0xabc::eur::EUR"), Amount::Exact(1))),
            Err(SendError::AssetNotHeld { .. })
        ));
        let mut zero_gas = send(None, Amount::Exact(1));
        zero_gas.gas_price = 0;
        assert!(matches!(build_move_send(&h, &zero_gas), Err(SendError::BadFee { .. })));
    }
}

#[test]
fn a_recipient_of_a_compromised_seed_is_flagged() {
    use crate::secret::SecretString;
    use crate::vault::{KdfParams, Vault};
    let d = coffer_test_util::TempDir::new("send-compromised");
    let path = d.path().join("v.coffer");
    let pw = SecretString::from("send test password".to_owned());
    let mut v = Vault::create(&path, &pw, KdfParams::insecure_for_tests()).unwrap();
    v.add_seed("old", &crate::Mnemonic::parse(ABOUT).unwrap(), "").unwrap();
    let other =
        crate::Mnemonic::parse("legal winner thank year wave sausage worth useful legal winner thank yellow").unwrap();
    v.add_seed("fresh", &other, "").unwrap();
    for chain in [Chain::Solana, Chain::Stellar, Chain::Iota, Chain::Sui] {
        assert_eq!(compromised_owner(&v, chain, &address(chain, 3)).unwrap(), None, "not marked yet");
    }
    let _rekeyed = v.mark_compromised("old").unwrap();
    for chain in [Chain::Solana, Chain::Stellar, Chain::Iota, Chain::Sui] {
        let hit = compromised_owner(&v, chain, &address(chain, 3)).unwrap();
        assert_eq!(hit, Some(CompromisedOwner { label: "old".into(), account: 3 }), "{chain}");
        assert_eq!(compromised_owner(&v, chain, &address(chain, 5)).unwrap(), None, "accounts 0-4 only");
        let fresh =
            chain.account(&other.to_seed(""), crate::AccountIndex::ZERO, crate::AddressIndex::ZERO).unwrap().address;
        assert_eq!(compromised_owner(&v, chain, &fresh).unwrap(), None, "the fresh seed is not compromised");
    }
    // IOTA addresses written in upper case are the same address.
    let upper = format!("0x{}", address(Chain::Iota, 2)[2..].to_uppercase());
    assert_eq!(compromised_owner(&v, Chain::Iota, &upper).unwrap().map(|o| o.account), Some(2));
}
