//! The IOTA/Sui sweep builder and the destination guard's rules for programmable transactions: every form the
//! builder makes is accepted, and a hostile variant of each is refused.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::*;
use crate::holdings::iota_sui::{Coin, CoinGroup, Holdings, OwnedObject};
use crate::sign::iota_sui::{Argument, Command, Input, Transaction, TransactionData, decode_transaction};
use crate::sign::{self, Payload, SignRequest};

const OLD: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm \
                   wife phrase warfare march wheat nephew ask sunny firm";
const NEW: &str = "require decline left thought grid priority false tiny gasp angle royal system attack beef setup \
                   reward aunt skill wasp tray vital bounce inflict level";
const NOW: u64 = 1_750_000_000_000;
const OTHER: [u8; 32] = [0xab; 32];
const DAY: u64 = LOCK_MARGIN_MS;

fn plan() -> Vec<PlanRow> {
    let (old, new) = (Mnemonic::parse(OLD).unwrap().to_seed(""), Mnemonic::parse(NEW).unwrap().to_seed(""));
    [Chain::Iota, Chain::Sui]
        .into_iter()
        .map(|chain| PlanRow {
            chain,
            account: 0,
            index: 0,
            old_address: chain.account(&old, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address,
            new_address: chain.account(&new, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address,
            state: RowState::Pending,
            note: String::new(),
        })
        .collect()
}

fn id(n: u32) -> String {
    format!("0x{:064x}", n)
}

fn digest(n: u32) -> String {
    let mut d = [0u8; 32];
    d[..4].copy_from_slice(&n.to_le_bytes());
    d[31] = 1;
    bs58::encode(d).into_string()
}

fn coin(n: u32, balance: u64) -> Coin {
    Coin { object_id: id(n), version: u64::from(n), digest: digest(n), balance }
}

fn object(n: u32, object_type: &str, public_transfer: Option<bool>, locked_until_ms: Option<u64>) -> OwnedObject {
    OwnedObject {
        object_id: id(n),
        version: u64::from(n),
        digest: digest(n),
        object_type: object_type.into(),
        public_transfer,
        locked_until_ms,
    }
}

fn decode(chain: Chain, bytes: &[u8]) -> Transaction {
    match decode_transaction(chain, bytes).unwrap() {
        TransactionData::Programmable(tx) => *tx,
        TransactionData::OtherKind { .. } => panic!("not programmable"),
    }
}

fn check(m: &[PlanRow], chain: Chain, tx: &Transaction) -> Result<usize, GuardError> {
    let text = B64.encode(sign::iota_sui::encode_transaction(tx).unwrap());
    let decoded = sign::decode(&SignRequest::new(chain, Payload::Transaction(text))).unwrap();
    check_sweep(m, &decoded)
}

fn forbidden(e: &GuardError, part: &str) -> bool {
    matches!(e, GuardError::Forbidden { what } if what.contains(part))
}

const X: &str = "0x00000000000000000000000000000000000000000000000000000000000000aa::token::TOKEN";

/// Everything an IOTA address may hold after the Stardust migration.
fn iota_holdings(address: &str) -> Holdings {
    Holdings {
        address: address.into(),
        coins: vec![
            CoinGroup { coin_type: "0x2::iota::IOTA".into(), coins: vec![coin(1, 5_000_000_000), coin(2, 7)] },
            CoinGroup { coin_type: X.into(), coins: vec![coin(3, 10), coin(4, 20), coin(5, 30)] },
            CoinGroup {
                // The long form of a framework type is the same type.
                coin_type: "0x0000000000000000000000000000000000000000000000000000000000000002::coin::Coin<u8>".into(),
                coins: vec![coin(6, 1)],
            },
        ],
        objects: vec![
            object(10, "0x3::staking_pool::StakedIota", None, None),
            object(11, "0x107a::basic_output::BasicOutput<0x2::iota::IOTA>", None, Some(NOW - DAY)),
            object(12, "0x107a::nft_output::NftOutput<0x2::iota::IOTA>", None, None),
            object(13, "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::iota::IOTA>>", None, Some(NOW - DAY - 1000)),
            object(14, "0xcc::game::Sword", Some(true), None),
            // Left: locked, lock end unknown, no store, unknown, a package.
            // Ended an hour ago, but the epoch may have started before: left.
            object(20, "0x107a::basic_output::BasicOutput<0x2::iota::IOTA>", None, Some(NOW - 3_600_000)),
            object(21, "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::iota::IOTA>>", None, None),
            object(22, "0x3::timelocked_staking::TimelockedStakedIota", Some(false), None),
            object(23, "0xcc::game::Shield", None, None),
            object(24, "package", None, None),
        ],
    }
}

#[test]
fn iota_sweep_moves_everything_movable_and_the_guard_accepts_exactly_it() {
    let m = plan();
    let row = &m[0];
    let (old, new) = (
        crate::chain::iota::parse_address(&row.old_address).unwrap(),
        crate::chain::iota::parse_address(&row.new_address).unwrap(),
    );
    let sweep =
        build_move_sweep(Chain::Iota, &row.old_address, &row.new_address, &iota_holdings(&row.old_address), 1000, NOW)
            .unwrap();
    assert_eq!(sweep.transactions.len(), 1);
    let left: Vec<&str> = sweep.left.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(left.len(), 5, "{left:?}");
    for n in 20..25 {
        assert!(left.iter().any(|w| w.contains(&id(n))), "{n} left");
    }
    // A lock not yet ended (for the chain) says until when, as a date.
    let locked = sweep.left.iter().find(|l| l.what.contains(&id(20))).unwrap();
    let until = crate::time::utc_iso8601((NOW - 3_600_000) / 1000);
    assert!(locked.reason.starts_with(&format!("time-locked until {until} (")), "{}", locked.reason);
    let built = &sweep.transactions[0];
    assert_eq!(built.native, 5_000_000_007);
    let tx = decode(Chain::Iota, &built.bytes);
    assert_eq!(tx.sender, old);
    assert_eq!(tx.gas.owner, old);
    assert_eq!(tx.gas.price, 1000);
    assert_eq!(tx.gas.budget, built.gas_budget);
    assert!(tx.gas.budget <= MAX_GAS_BUDGET && tx.gas.budget >= 1_000_000);
    // The largest native coin first; both pay gas.
    let gas: Vec<[u8; 32]> = tx.gas.payment.iter().map(|r| r.id).collect();
    assert_eq!(gas, vec![parse(&id(1)), parse(&id(2))]);
    assert_eq!(tx.inputs[0], Input::Pure(new.to_vec()));
    let framework = |short: u16| sign::iota_sui::framework_address(short);
    let call = |package: u16, module: &str, function: &str, t: &str, a: Argument| Command::MoveCall {
        package: framework(package),
        module: module.into(),
        function: function.into(),
        type_arguments: vec![t.into()],
        arguments: vec![a],
    };
    let expected = vec![
        Command::MergeCoins { destination: Argument::Input(1), sources: vec![Argument::Input(2), Argument::Input(3)] },
        call(0x107a, "basic_output", "extract_assets", "0x2::iota::IOTA", Argument::Input(6)),
        call(0x2, "coin", "from_balance", "0x2::iota::IOTA", Argument::NestedResult(1, 0)),
        call(0x107a, "nft_output", "extract_assets", "0x2::iota::IOTA", Argument::Input(7)),
        call(0x2, "coin", "from_balance", "0x2::iota::IOTA", Argument::NestedResult(3, 0)),
        call(0x2, "timelock", "unlock", "0x2::balance::Balance<0x2::iota::IOTA>", Argument::Input(8)),
        call(0x2, "coin", "from_balance", "0x2::iota::IOTA", Argument::Result(5)),
        Command::TransferObjects {
            objects: vec![
                Argument::GasCoin,
                Argument::Input(1),
                Argument::Input(4),
                Argument::Input(5),
                Argument::Result(2),
                Argument::NestedResult(1, 1),
                Argument::Result(4),
                Argument::NestedResult(3, 1),
                Argument::NestedResult(3, 2),
                Argument::Result(6),
                Argument::Input(9),
            ],
            recipient: Argument::Input(0),
        },
    ];
    assert_eq!(tx.commands, expected);
    let ids: Vec<[u8; 32]> = tx
        .inputs
        .iter()
        .skip(1)
        .map(|i| match i {
            Input::ImmOrOwned(r) => r.id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, [3, 4, 5, 6, 10, 11, 12, 13, 14].map(|n| parse(&id(n))).to_vec());
    // Decoded whole (the framework calls are known), and the guard accepts it.
    let text = B64.encode(&built.bytes);
    let decoded = sign::decode(&SignRequest::new(Chain::Iota, Payload::Transaction(text))).unwrap();
    assert!(decoded.summary().undecoded.is_empty(), "{:?}", decoded.summary().undecoded);
    assert_eq!(check_sweep(&m, &decoded), Ok(0));

    // Refused variants of each form.
    let mutate = |f: &dyn Fn(&mut Transaction)| {
        let mut t = tx.clone();
        f(&mut t);
        check(&m, Chain::Iota, &t)
    };
    let last = expected.len() - 1;
    let objects = |t: &mut Transaction| -> Vec<Argument> {
        match &mut t.commands[last] {
            Command::TransferObjects { objects, .. } => objects.clone(),
            _ => unreachable!(),
        }
    };
    let set_objects = |t: &mut Transaction, o: Vec<Argument>| {
        if let Command::TransferObjects { objects, .. } = &mut t.commands[last] {
            *objects = o;
        }
    };
    // The recipient swapped.
    let e = mutate(&|t| t.inputs[0] = Input::Pure(OTHER.to_vec())).unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    // An extra TransferObjects of a plain object to a third address.
    let e = mutate(&|t| {
        let mut o = objects(t);
        let sword = o.pop().unwrap();
        set_objects(t, o);
        t.inputs.push(Input::Pure(OTHER.to_vec()));
        let to = Argument::Input(u16::try_from(t.inputs.len() - 1).unwrap());
        t.commands.push(Command::TransferObjects { objects: vec![sword], recipient: to });
    })
    .unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    // A Move call's result (the NFT) going elsewhere.
    let e = mutate(&|t| {
        let o: Vec<Argument> = objects(t).into_iter().filter(|a| *a != Argument::NestedResult(3, 2)).collect();
        set_objects(t, o);
        t.inputs.push(Input::Pure(OTHER.to_vec()));
        let to = Argument::Input(u16::try_from(t.inputs.len() - 1).unwrap());
        t.commands.push(Command::TransferObjects { objects: vec![Argument::NestedResult(3, 2)], recipient: to });
    })
    .unwrap_err();
    assert!(matches!(e, GuardError::RecipientNotPlanned { .. }), "{e}");
    // A Move call's result (the native-token bag) not transferred at all.
    let e = mutate(&|t| {
        let o = objects(t).into_iter().filter(|a| *a != Argument::NestedResult(1, 1)).collect();
        set_objects(t, o);
    })
    .unwrap_err();
    assert!(forbidden(&e, "result 1.1 of a Move call that is not transferred"), "{e}");
    // The coin made of a balance not transferred.
    let e = mutate(&|t| {
        let o = objects(t).into_iter().filter(|a| *a != Argument::Result(6)).collect();
        set_objects(t, o);
    })
    .unwrap_err();
    assert!(forbidden(&e, "not transferred"), "{e}");
    // A balance transferred as it is (it has no key: the chain would refuse; the guard refuses first).
    let e = mutate(&|t| {
        let mut o = objects(t);
        o.push(Argument::NestedResult(1, 0));
        set_objects(t, o);
    })
    .unwrap_err();
    assert!(forbidden(&e, "used as an object") || forbidden(&e, "used twice"), "{e}");
    // A result transferred twice.
    let e = mutate(&|t| {
        let mut o = objects(t);
        o.push(Argument::NestedResult(3, 2));
        set_objects(t, o);
    })
    .unwrap_err();
    assert!(forbidden(&e, "used twice"), "{e}");
    // A framework call outside the list: withdrawing a stake (its balance is not tracked), into_balance.
    for (package, module, function) in [
        (0x3, "iota_system", "request_withdraw_stake_non_entry"),
        (0x2, "coin", "into_balance"),
        (0x2, "transfer", "public_transfer"),
    ] {
        let e = mutate(&|t| {
            t.commands[1] = call(package, module, function, "0x2::iota::IOTA", Argument::Input(7));
        })
        .unwrap_err();
        assert!(forbidden(&e, "Move call to"), "{module}::{function}: {e}");
    }
    // The right module and function in another package.
    let e = mutate(&|t| {
        if let Command::MoveCall { package, .. } = &mut t.commands[1] {
            package[0] = 1;
        }
    })
    .unwrap_err();
    assert!(forbidden(&e, "Move call to"), "{e}");
    // extract_assets of the gas coin, of a pure value; from_balance of an input; two type arguments.
    for bad in [Argument::GasCoin, Argument::Input(0)] {
        let e = mutate(&|t| t.commands[1] = call(0x107a, "basic_output", "extract_assets", "0x2::iota::IOTA", bad))
            .unwrap_err();
        assert!(forbidden(&e, "other than an owned object"), "{e}");
    }
    let e = mutate(&|t| t.commands[2] = call(0x2, "coin", "from_balance", "0x2::iota::IOTA", Argument::Input(7)))
        .unwrap_err();
    assert!(forbidden(&e, "other than a returned balance"), "{e}");
    let e = mutate(&|t| {
        if let Command::MoveCall { type_arguments, .. } = &mut t.commands[1] {
            type_arguments.push("u8".into());
        }
    })
    .unwrap_err();
    assert!(forbidden(&e, "other type arguments"), "{e}");
    // A merge of a coin into one that is not the sender's input (a pure value).
    let e = mutate(&|t| {
        t.commands[0] = Command::MergeCoins { destination: Argument::Input(0), sources: vec![Argument::Input(2)] };
    })
    .unwrap_err();
    assert!(forbidden(&e, "not an owned coin"), "{e}");
    // A split coin that is not transferred.
    let e = mutate(&|t| {
        t.inputs.push(Input::Pure(5u64.to_le_bytes().to_vec()));
        let amount = Argument::Input(u16::try_from(t.inputs.len() - 1).unwrap());
        t.commands.insert(0, Command::SplitCoins { coin: Argument::GasCoin, amounts: vec![amount] });
        // Shift every result reference by one command.
        for c in &mut t.commands[1..] {
            let shift = |a: &mut Argument| match a {
                Argument::Result(j) | Argument::NestedResult(j, _) => *j += 1,
                _ => {}
            };
            match c {
                Command::MoveCall { arguments, .. } => arguments.iter_mut().for_each(shift),
                Command::TransferObjects { objects, .. } => objects.iter_mut().for_each(shift),
                _ => {}
            }
        }
    })
    .unwrap_err();
    assert!(forbidden(&e, "split coin that is not transferred"), "{e}");
}

fn parse(text: &str) -> [u8; 32] {
    crate::holdings::iota_sui::parse_object_id(text).unwrap()
}

#[test]
fn sui_has_no_stardust_or_timelock_calls() {
    let m = plan();
    let row = &m[1];
    let holdings = Holdings {
        address: row.old_address.clone(),
        coins: vec![CoinGroup { coin_type: "0x2::sui::SUI".into(), coins: vec![coin(1, 9_000_000_000)] }],
        objects: vec![
            object(10, "0x3::staking_pool::StakedSui", None, None),
            object(11, "0x107a::basic_output::BasicOutput<0x2::sui::SUI>", None, None),
            object(12, "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::sui::SUI>>", None, Some(0)),
        ],
    };
    let sweep = build_move_sweep(Chain::Sui, &row.old_address, &row.new_address, &holdings, 750, NOW).unwrap();
    assert_eq!(sweep.left.len(), 2, "{:?}", sweep.left);
    let tx = decode(Chain::Sui, &sweep.transactions[0].bytes);
    assert_eq!(
        tx.commands,
        vec![Command::TransferObjects {
            objects: vec![Argument::GasCoin, Argument::Input(1)],
            recipient: Argument::Input(0)
        }]
    );
    assert_eq!(check(&m, Chain::Sui, &tx), Ok(1));
    // The IOTA-only calls are refused on Sui; coin::from_balance is a framework call there too but needs a balance.
    let mut bad = tx.clone();
    bad.inputs.push(Input::ImmOrOwned(sign::iota_sui::ObjectRef { id: [7; 32], version: 1, digest: [1; 32] }));
    bad.commands.insert(
        0,
        Command::MoveCall {
            package: sign::iota_sui::framework_address(0x107a),
            module: "basic_output".into(),
            function: "extract_assets".into(),
            type_arguments: vec!["0x2::sui::SUI".into()],
            arguments: vec![Argument::Input(2)],
        },
    );
    if let Command::TransferObjects { objects, .. } = &mut bad.commands[1] {
        objects.extend([Argument::NestedResult(0, 0), Argument::NestedResult(0, 1)]);
    }
    let e = check(&m, Chain::Sui, &bad).unwrap_err();
    assert!(forbidden(&e, "Move call to"), "{e}");
}

#[test]
fn many_objects_split_into_transactions_each_paid_by_its_own_coin() {
    let m = plan();
    let row = &m[0];
    let objects: Vec<OwnedObject> = (100..800).map(|n| object(n, "0xcc::game::Sword", Some(true), None)).collect();
    let holdings = |natives: u32| Holdings {
        address: row.old_address.clone(),
        coins: vec![CoinGroup {
            coin_type: "0x2::iota::IOTA".into(),
            coins: (1..=natives).map(|n| coin(n, 2_000_000_000 + u64::from(n))).collect(),
        }],
        objects: objects.clone(),
    };
    let all = build_move_sweep(Chain::Iota, &row.old_address, &row.new_address, &holdings(9), 1000, NOW).unwrap();
    assert!(all.transactions.len() >= 3, "{}", all.transactions.len());
    assert!(all.left.is_empty(), "{:?}", all.left);
    let mut seen = std::collections::BTreeSet::new();
    let mut gas_seen = std::collections::BTreeSet::new();
    for (i, built) in all.transactions.iter().enumerate() {
        let tx = decode(Chain::Iota, &built.bytes);
        assert_eq!(check(&m, Chain::Iota, &tx), Ok(0));
        assert!(tx.gas.budget <= MAX_GAS_BUDGET);
        for r in &tx.gas.payment {
            assert!(gas_seen.insert(r.id), "a gas coin in two transactions");
        }
        // Each pays with one coin; the last with all the others.
        let last = i + 1 == all.transactions.len();
        assert_eq!(tx.gas.payment.len(), if last { 9 - i } else { 1 });
        for input in &tx.inputs[1..] {
            let Input::ImmOrOwned(r) = input else { panic!() };
            assert!(seen.insert(r.id), "an object in two transactions");
        }
        assert!(
            matches!(tx.commands.last(), Some(Command::TransferObjects { objects, .. }) if objects[0] == Argument::GasCoin || !last)
        );
    }
    assert_eq!(seen.len(), 700);
    // With one native coin: one transaction now, the rest listed to sweep again.
    let one = build_move_sweep(Chain::Iota, &row.old_address, &row.new_address, &holdings(1), 1000, NOW).unwrap();
    assert_eq!(one.transactions.len(), 1);
    let moved = decode(Chain::Iota, &one.transactions[0].bytes).inputs.len() - 1;
    assert_eq!(one.left.len(), 700 - moved);
    assert!(one.left.iter().all(|l| l.reason.contains("sweep again")));
    // Dust coins cannot pay a transaction of their own: they join the last one's gas instead.
    let mut dusty = holdings(2);
    dusty.coins[0].coins.extend((900..903).map(|n| coin(n, 5)));
    let two = build_move_sweep(Chain::Iota, &row.old_address, &row.new_address, &dusty, 1000, NOW).unwrap();
    assert_eq!(two.transactions.len(), 2);
    let last = decode(Chain::Iota, &two.transactions[1].bytes);
    assert_eq!(last.gas.payment.len(), 4, "the second large coin and the three dust coins");
    assert_eq!(check(&m, Chain::Iota, &last), Ok(0));
}

#[test]
fn more_than_256_native_coins_are_merged_into_the_gas_coin() {
    let m = plan();
    let row = &m[0];
    let holdings = Holdings {
        address: row.old_address.clone(),
        coins: vec![CoinGroup {
            coin_type: "0x2::iota::IOTA".into(),
            coins: (1..=300).map(|n| coin(n, 1_000_000 * u64::from(n))).collect(),
        }],
        objects: vec![],
    };
    let sweep = build_move_sweep(Chain::Iota, &row.old_address, &row.new_address, &holdings, 1000, NOW).unwrap();
    assert_eq!(sweep.transactions.len(), 1);
    let tx = decode(Chain::Iota, &sweep.transactions[0].bytes);
    assert_eq!(tx.gas.payment.len(), MAX_GAS_COINS);
    assert_eq!(tx.inputs.len(), 1 + 300 - MAX_GAS_COINS);
    assert!(
        matches!(&tx.commands[0], Command::MergeCoins { destination: Argument::GasCoin, sources } if sources.len() == 44)
    );
    assert_eq!(sweep.transactions[0].native, (1..=300u128).map(|n| 1_000_000 * n).sum::<u128>());
    assert_eq!(check(&m, Chain::Iota, &tx), Ok(0));
}

#[test]
fn bad_holdings_are_refused() {
    let m = plan();
    let row = &m[0];
    let (old, new) = (row.old_address.as_str(), row.new_address.as_str());
    let good = iota_holdings(old);
    let e = build_move_sweep(Chain::Iota, old, new, &iota_holdings(new), 1000, NOW).unwrap_err();
    assert!(matches!(e, MigrateError::BadHoldings { .. }), "{e}");
    let mut twice = good.clone();
    twice.objects.push(object(3, "0xcc::game::Sword", Some(true), None));
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &twice, 1000, NOW),
        Err(MigrateError::BadHoldings { .. })
    ));
    let mut bad_digest = good.clone();
    bad_digest.coins[0].coins[0].digest = "0x00".into();
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &bad_digest, 1000, NOW),
        Err(MigrateError::BadHoldings { .. })
    ));
    let mut bad_type = good.clone();
    bad_type.objects[0].object_type = "Sword".into();
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &bad_type, 1000, NOW),
        Err(MigrateError::BadHoldings { .. })
    ));
    let mut no_gas = good.clone();
    no_gas.coins.remove(0);
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &no_gas, 1000, NOW),
        Err(MigrateError::BalanceBelowFee { .. })
    ));
    assert!(matches!(build_move_sweep(Chain::Iota, old, new, &good, 0, NOW), Err(MigrateError::BadFee { .. })));
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &good, u64::MAX / 2, NOW),
        Err(MigrateError::BadFee { .. })
    ));
    let mut dust = good;
    dust.coins[0].coins = vec![coin(1, 5)];
    assert!(matches!(
        build_move_sweep(Chain::Iota, old, new, &dust, 1000, NOW),
        Err(MigrateError::BalanceBelowFee { .. })
    ));
}
