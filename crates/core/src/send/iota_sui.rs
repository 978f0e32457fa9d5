//! IOTA and Sui payments: one programmable transaction paid by the sender's native coins.
//!
//! ```text
//! native, an amount:   inputs [pure recipient, pure u64 amount]
//!                      SplitCoins(GasCoin, [input 1]); TransferObjects([result 0.0], input 0)
//! native, max:         inputs [pure recipient]; TransferObjects([GasCoin], input 0)   (pay-all: the gas coin, less
//!                      the gas charged, moves)
//! a token, an amount:  inputs [pure recipient, pure u64 amount, coin objects…]
//!                      MergeCoins(first coin, [the others]) when several; SplitCoins(first coin, [input 1]);
//!                      TransferObjects([result k.0], input 0)
//! a token, max:        inputs [pure recipient, coin objects…]; MergeCoins when several; TransferObjects([first], input 0)
//! ```
//!
//! The encoder is [`crate::sign::iota_sui::encode_transaction`], the gas estimate the sweep's
//! ([`crate::migrate::iota_sui_tx`]), within the protocol's limits (at most 256 gas coins, 500 arguments a command).

use super::{Amount, BuiltSend, SendError, decode, mismatch, parse_recipient};
use crate::chain::Chain;
use crate::holdings::iota_sui::{Holdings, IOTA_COIN_TYPE, SUI_COIN_TYPE, parse_digest, parse_object_id};
use crate::migrate::MAX_GAS_BUDGET;
use crate::migrate::MAX_GAS_COINS;
use crate::migrate::iota_sui_tx::{
    MAX_TX_BYTES, MIN_BUDGET_UNITS, PACK_ARGUMENTS, STORAGE_PER_OBJECT, UNITS_BASE, UNITS_PER_COMMAND, UNITS_PER_INPUT,
};
use crate::sign::iota_sui::{
    self, Argument, Command, Expiration, GasData, Input, ObjectRef, Transaction, TransactionData, canonical_type,
};
use crate::sign::{Details, Payload, SignRequest};

/// An IOTA or Sui payment to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveSend {
    /// IOTA or Sui.
    pub chain: Chain,
    /// The recipient (`0x` and 64 hex digits).
    pub to: String,
    /// The coin type; `None` sends the native coin (`0x2::iota::IOTA`, `0x2::sui::SUI`).
    pub coin_type: Option<String>,
    /// The coin's decimals (9 for the native coins; a token's from its `CoinMetadata`), for display.
    pub decimals: u8,
    /// How much, in base units.
    pub amount: Amount,
    /// The gas price (nanos or MIST per computation unit; at least the network's reference price).
    pub gas_price: u64,
}

type Coins = Vec<(ObjectRef, u64)>;

fn coins_of(holdings: &Holdings, coin_type: &str) -> Result<Coins, SendError> {
    let bad = |reason: String| SendError::BadHoldings { reason };
    let mut out = Vec::new();
    for g in &holdings.coins {
        if canonical_type(&g.coin_type).as_deref() != Some(coin_type) {
            continue;
        }
        for c in &g.coins {
            let id = parse_object_id(&c.object_id)
                .ok_or_else(|| bad(format!("object id {:?} is not 0x and 64 hex digits", c.object_id)))?;
            let digest = parse_digest(&c.digest)
                .ok_or_else(|| bad(format!("the digest of {} is not base58 of 32 bytes", c.object_id)))?;
            if out.iter().any(|(r, _): &(ObjectRef, u64)| r.id == id) {
                return Err(bad(format!("coin {} is listed twice", c.object_id)));
            }
            out.push((ObjectRef { id, version: c.version, digest }, c.balance));
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    Ok(out)
}

fn total(coins: &[(ObjectRef, u64)]) -> u128 {
    coins.iter().map(|(_, b)| u128::from(*b)).sum()
}

/// The fewest of `coins` (largest first) holding at least `need`, or `None`.
fn covering(coins: &[(ObjectRef, u64)], need: u128) -> Option<usize> {
    let mut sum = 0u128;
    for (i, (_, b)) in coins.iter().enumerate() {
        sum += u128::from(*b);
        if sum >= need {
            return Some(i + 1);
        }
    }
    None
}

/// Builds an IOTA or Sui payment from the address whose coins are listed in `holdings`.
///
/// # Errors
/// [`SendError::BadRecipient`], [`SendError::SelfPayment`], [`SendError::BadHoldings`] (another address, ids or
/// digests that do not parse), [`SendError::AssetNotHeld`], [`SendError::OverBalance`] (for the native coin the
/// amount and the gas budget), [`SendError::FeeOverBalance`] (no native coins for gas), [`SendError::TooManyCoins`],
/// [`SendError::BadFee`] (a gas price of 0, or one whose budget exceeds the cap), [`SendError::ZeroAmount`],
/// [`SendError::Mismatch`].
#[allow(clippy::too_many_lines)]
pub fn build_move_send(holdings: &Holdings, send: &MoveSend) -> Result<BuiltSend, SendError> {
    let chain = send.chain;
    let native_type = match chain {
        Chain::Iota => IOTA_COIN_TYPE,
        Chain::Sui => SUI_COIN_TYPE,
        _ => return Err(SendError::BadRecipient { chain, reason: "not IOTA or Sui".into() }),
    };
    let to = parse_recipient(chain, &send.to)?;
    let sender = parse_object_id(&holdings.address).ok_or_else(|| SendError::BadHoldings {
        reason: format!("the holdings' address {:?} is not 0x and 64 hex digits", holdings.address),
    })?;
    if to == sender {
        return Err(SendError::SelfPayment);
    }
    let price = send.gas_price;
    if price == 0 {
        return Err(SendError::BadFee { reason: "the gas price must be at least 1" });
    }
    let coin_type = match &send.coin_type {
        None => native_type.to_owned(),
        Some(t) => canonical_type(t.trim()).ok_or_else(|| SendError::AssetNotHeld { asset: t.trim().to_owned() })?,
    };
    let native_send = coin_type == native_type;
    let mut native = coins_of(holdings, native_type)?;
    native.truncate(MAX_GAS_COINS);
    let native_total = total(&native);
    // The gas budget: the sweep's estimate for this transaction's inputs, commands and written objects.
    let budget_for = |inputs: u64, commands: u64, written: u64| -> Result<u64, SendError> {
        let units = UNITS_BASE + UNITS_PER_INPUT * inputs + UNITS_PER_COMMAND * commands;
        let b = u128::from(price) * u128::from(units) + u128::from(STORAGE_PER_OBJECT) * u128::from(written + 1);
        let b = b.max(u128::from(price) * u128::from(MIN_BUDGET_UNITS));
        u64::try_from(b).ok().filter(|b| *b <= MAX_GAS_BUDGET).ok_or(SendError::BadFee {
            reason: "at this gas price the transaction's budget is above the cap (50 IOTA/SUI)",
        })
    };
    let recipient = Input::Pure(to.to_vec());
    let (inputs, commands, gas, budget, amount, asset) = if native_send {
        if native.is_empty() {
            return Err(SendError::AssetNotHeld { asset: native_type.to_owned() });
        }
        match send.amount {
            Amount::Max => {
                let budget = budget_for(1, 1, 1)?;
                let amount = native_total
                    .checked_sub(u128::from(budget))
                    .filter(|a| *a > 0)
                    .ok_or(SendError::FeeOverBalance { needed: u128::from(budget), balance: native_total })?;
                let commands =
                    vec![Command::TransferObjects { objects: vec![Argument::GasCoin], recipient: Argument::Input(0) }];
                (vec![recipient], commands, native, budget, amount, native_type)
            }
            Amount::Exact(a) => {
                let a64 = u64::try_from(a).map_err(|_| SendError::AmountTooLarge)?;
                let budget = budget_for(2, 2, 2)?;
                let need = a + u128::from(budget);
                let n = covering(&native, need).ok_or(SendError::OverBalance {
                    asset: native_type.to_owned(),
                    needed: need,
                    balance: native_total,
                })?;
                native.truncate(n);
                let commands = vec![
                    Command::SplitCoins { coin: Argument::GasCoin, amounts: vec![Argument::Input(1)] },
                    Command::TransferObjects {
                        objects: vec![Argument::NestedResult(0, 0)],
                        recipient: Argument::Input(0),
                    },
                ];
                (vec![recipient, Input::Pure(a64.to_le_bytes().to_vec())], commands, native, budget, a, native_type)
            }
        }
    } else {
        let mut coins = coins_of(holdings, &coin_type)?;
        let held = total(&coins);
        if coins.is_empty() {
            return Err(SendError::AssetNotHeld { asset: coin_type });
        }
        let (amount, exact) = match send.amount {
            Amount::Max => (held, None),
            Amount::Exact(a) => {
                let n = covering(&coins, a).ok_or(SendError::OverBalance {
                    asset: coin_type.clone(),
                    needed: a,
                    balance: held,
                })?;
                coins.truncate(n);
                (a, Some(u64::try_from(a).map_err(|_| SendError::AmountTooLarge)?))
            }
        };
        if amount == 0 {
            return Err(SendError::ZeroAmount);
        }
        if coins.len() > PACK_ARGUMENTS {
            return Err(SendError::TooManyCoins { count: coins.len(), max: PACK_ARGUMENTS });
        }
        let mut inputs = vec![recipient];
        if let Some(a) = exact {
            inputs.push(Input::Pure(a.to_le_bytes().to_vec()));
        }
        let first = inputs.len();
        inputs.extend(coins.iter().map(|(r, _)| Input::ImmOrOwned(*r)));
        let arg = |i: usize| {
            u16::try_from(i)
                .map(Argument::Input)
                .map_err(|_| SendError::TooManyCoins { count: coins.len(), max: PACK_ARGUMENTS })
        };
        let head = arg(first)?;
        let mut commands = Vec::new();
        if coins.len() > 1 {
            let sources = (first + 1..inputs.len()).map(arg).collect::<Result<Vec<_>, _>>()?;
            commands.push(Command::MergeCoins { destination: head, sources });
        }
        let object = match exact {
            Some(_) => {
                let k = u16::try_from(commands.len()).unwrap_or(0);
                commands.push(Command::SplitCoins { coin: head, amounts: vec![Argument::Input(1)] });
                Argument::NestedResult(k, 0)
            }
            None => head,
        };
        commands.push(Command::TransferObjects { objects: vec![object], recipient: Argument::Input(0) });
        let budget = budget_for(inputs.len() as u64, commands.len() as u64, 3)?;
        let n = covering(&native, u128::from(budget))
            .ok_or(SendError::FeeOverBalance { needed: u128::from(budget), balance: native_total })?;
        native.truncate(n);
        (inputs, commands, native, budget, amount, coin_type.as_str())
    };
    let asset = asset.to_owned();
    if amount == 0 {
        return Err(SendError::ZeroAmount);
    }
    let tx = Transaction {
        inputs,
        commands,
        sender,
        gas: GasData { payment: gas.iter().map(|(r, _)| *r).collect(), owner: sender, price, budget },
        expiration: Expiration::None,
    };
    let bytes = iota_sui::encode_transaction(&tx).map_err(|e| mismatch(e.to_string()))?;
    if bytes.len() > MAX_TX_BYTES {
        return Err(SendError::TooManyCoins { count: tx.inputs.len(), max: PACK_ARGUMENTS });
    }
    let request = SignRequest::new(chain, Payload::TransactionBytes(bytes));
    let decoded = decode(&request)?;
    check(&decoded, &tx, to, send.amount, amount)?;
    let notes = if native_send && send.amount == Amount::Max {
        vec![format!(
            "every {asset} coin moves (pay-all): the recipient gets the balance less the gas charged, at least {amount}"
        )]
    } else {
        Vec::new()
    };
    Ok(BuiltSend {
        request,
        decoded,
        asset,
        amount,
        decimals: if native_send { 9 } else { send.decimals },
        fee: u128::from(budget),
        deposit: 0,
        transfer_fee: 0,
        notes,
    })
}

/// The decoded transaction is the one built, from and paid by the sender, transferring to `to` alone, and an exact
/// amount is the one split.
fn check(
    decoded: &crate::sign::Decoded,
    built: &Transaction,
    to: [u8; 32],
    asked: Amount,
    amount: u128,
) -> Result<(), SendError> {
    let summary = decoded.summary();
    let Details::IotaSui(TransactionData::Programmable(tx)) = &summary.details else {
        return Err(mismatch("not a programmable transaction"));
    };
    if !summary.fully_decoded() || **tx != *built {
        return Err(mismatch("the decoded transaction differs from the one built"));
    }
    if tx.signers() != [tx.sender] {
        return Err(mismatch("the gas is not paid by the sender"));
    }
    let mut transfers = 0;
    for c in &tx.commands {
        match c {
            Command::TransferObjects { objects, recipient } => {
                if tx.pure_address(*recipient) != Some(to) || objects.len() != 1 {
                    return Err(mismatch("a transfer goes elsewhere"));
                }
                transfers += 1;
            }
            Command::SplitCoins { amounts, .. } => {
                let [a] = amounts.as_slice() else { return Err(mismatch("a split into several amounts")) };
                if asked != Amount::Exact(amount) || tx.pure_u64(*a).map(u128::from) != Some(amount) {
                    return Err(mismatch("the split amount differs"));
                }
            }
            Command::MergeCoins { .. } => {}
            other => return Err(mismatch(format!("unexpected command {other:?}"))),
        }
    }
    if transfers == 1 { Ok(()) } else { Err(mismatch("not exactly one transfer")) }
}
