//! IOTA and Sui sweeps built by Coffer: programmable transactions that move every coin and every transferable object
//! of the old address to the new one.
//!
//! Each transaction pays its gas with its own native coins (IOTA `0x2::iota::IOTA`, Sui `0x2::sui::SUI`) and
//! transfers its gas coin to the new address: a transaction's whole gas-coin balance, less what it is charged, moves
//! ("pay-all": the gas coin is transferred after gas is taken from it). Transactions therefore never share an object
//! and can be executed in any order. In each:
//!
//! - other coin types: `MergeCoins` of a type's coins into its first, which is transferred;
//! - objects with `store` (public transfer): transferred as they are (stakes, `0x3::staking_pool::StakedIota` /
//!   `StakedSui`, included: they keep earning);
//! - on IOTA, Stardust outputs (`0x107a::{basic,nft,alias}_output`) and expired `0x2::timelock::TimeLock`s: the
//!   framework calls of [`crate::sign::iota_sui::FRAMEWORK_CALLS`], every returned value transferred (balances made
//!   coins with `0x2::coin::from_balance` first);
//! - all transfers in `TransferObjects` commands whose recipient is the one pure input, the new address.
//!
//! Limits (`iotaledger/iota` `crates/iota-protocol-config/src/lib.rs`, the same on Sui): a transaction of at most
//! 128 KiB, 2048 inputs, 1024 commands, 512 arguments per command and 256 gas coins. Coffer packs below those with a
//! margin, and below the gas budget cap [`super::MAX_GAS_BUDGET`]; what does not fit one transaction goes into the
//! next, each paid by another native coin. With fewer native coins than transactions, the rest is listed as left
//! behind: after the built ones are executed, the holdings are read again and the sweep is built again.

use crate::chain::Chain;
use crate::holdings::iota_sui::{Holdings, IOTA_COIN_TYPE, OwnedObject, SUI_COIN_TYPE, parse_digest, parse_object_id};
use crate::sign::iota_sui::{
    self, Argument, Command, Expiration, GasData, Input, ObjectRef, Transaction, canonical_type, framework_address,
};

use super::{GuardError, MAX_GAS_BUDGET, MigrateError};

/// The gas price used when none is given (nanos or MIST per computation unit): IOTA's reference gas price, and
/// above Sui's. A price below the network's reference price is refused by the validators (nothing is charged).
pub const DEFAULT_GAS_PRICE: u64 = 1000;
/// Most gas coins one transaction may name (`max_gas_payment_objects`).
pub const MAX_GAS_COINS: usize = 256;
/// Most inputs of one transaction (`max_input_objects`: 2048), less a margin.
const PACK_INPUTS: usize = 2000;
/// Most commands (`max_programmable_tx_commands`: 1024), less a margin.
const PACK_COMMANDS: usize = 1000;
/// Most arguments of one command (`max_arguments`: 512), less a margin.
pub(crate) const PACK_ARGUMENTS: usize = 500;
/// Largest transaction (`max_tx_size_bytes`: 128 KiB), less room for the signature and a margin.
const PACK_BYTES: usize = 120 * 1024;
/// The largest transaction accepted after encoding.
pub(crate) const MAX_TX_BYTES: usize = 128 * 1024;
/// Computation units charged at least (`base_tx_cost_fixed` 1000, bucketed up), and estimated per input and per
/// command (object reads and writes cost 15 and 40 units per byte; a Move call several thousand).
pub(crate) const UNITS_BASE: u64 = 5_000;
pub(crate) const UNITS_PER_INPUT: u64 = 500;
pub(crate) const UNITS_PER_COMMAND: u64 = 3_000;
/// Storage charged per object written, in nanos/MIST: 100 storage units a byte × storage price 76 × ~520 bytes. It
/// is charged against the budget before the rebate of the old object's storage (≈ 99 % back), so it must fit.
pub(crate) const STORAGE_PER_OBJECT: u64 = 4_000_000;
/// The smallest gas budget Coffer builds, in computation units (× the gas price): the protocol's fixed base cost.
pub(crate) const MIN_BUDGET_UNITS: u64 = 1_000;
/// Time locks are checked against the start of the current epoch (`tx_context::epoch_timestamp_ms`), not the
/// clock, and an epoch lasts a day: a lock counts as ended only a day after its end, so the call cannot abort.
pub const LOCK_MARGIN_MS: u64 = 24 * 60 * 60 * 1000;

/// One built transaction and what it moves.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MoveSweepTx {
    /// The unsigned BCS `TransactionData`.
    pub bytes: Vec<u8>,
    /// Its gas budget (the most it may be charged).
    pub gas_budget: u64,
    /// The native amount its gas coins hold (moved, less the gas charged).
    pub native: u128,
    /// What it moves, one line each.
    pub moves: Vec<String>,
}

/// Something the sweep leaves at the old address, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftBehind {
    /// The object (id and type, or coin type and count).
    pub what: String,
    /// Why.
    pub reason: String,
}

/// A built IOTA/Sui sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MoveSweep {
    /// The transactions, independent of each other.
    pub transactions: Vec<MoveSweepTx>,
    /// What stays, with the reason.
    pub left: Vec<LeftBehind>,
}

/// How one item is moved.
#[derive(Debug, Clone)]
enum How {
    /// Coins of one type: merged into the first, which is transferred.
    Coins { coin_type: String, total: u128 },
    /// Transferred as it is.
    Object { object_type: String },
    /// A framework call (`extract_assets` of a Stardust output, `timelock::unlock`): the module and function, the
    /// type argument, and the coin type of the balance it returns (made a coin), if any.
    Call { module: &'static str, function: &'static str, package: u16, type_arg: String, balance_of: Option<String> },
}

#[derive(Debug, Clone)]
struct Item {
    refs: Vec<ObjectRef>,
    how: How,
    /// Values returned by a call, transferred (the balance is made a coin first).
    objects_out: usize,
}

impl Item {
    fn inputs(&self) -> usize {
        self.refs.len()
    }
    fn commands(&self) -> usize {
        match &self.how {
            How::Coins { .. } => usize::from(self.refs.len() > 1),
            How::Object { .. } => 0,
            How::Call { balance_of, .. } => 1 + usize::from(balance_of.is_some()),
        }
    }
    fn transfers(&self) -> usize {
        match &self.how {
            How::Call { .. } => self.objects_out,
            _ => 1,
        }
    }
    fn bytes(&self) -> usize {
        // An object input is 75 bytes; a merge source 3; a Move call about 150 bytes plus its type arguments.
        let calls = match &self.how {
            How::Call { type_arg, .. } => self.commands() * (150 + type_arg.len()),
            _ => 0,
        };
        80 * self.refs.len() + 4 * self.refs.len() + calls + 4 * self.transfers()
    }
    fn describe(&self) -> String {
        let id = iota_sui::hex_address(&self.refs[0].id);
        match &self.how {
            How::Coins { coin_type, total } => {
                format!("{total} of {coin_type} ({} coin object(s), merged into {id})", self.refs.len())
            }
            How::Object { object_type } => format!("object {id} ({object_type})"),
            How::Call { module, function, type_arg, balance_of, .. } => {
                let coin = balance_of.as_ref().map(|t| format!(", its {t} made a coin")).unwrap_or_default();
                format!("{module}::{function}<{type_arg}> of {id}: every returned object{coin}")
            }
        }
    }
}

/// Counts of one transaction being packed.
#[derive(Debug, Clone, Copy, Default)]
struct Load {
    inputs: usize,
    commands: usize,
    transfers: usize,
    bytes: usize,
    written: usize,
}

impl Load {
    fn with(self, item: &Item) -> Self {
        Self {
            inputs: self.inputs + item.inputs(),
            commands: self.commands + item.commands(),
            transfers: self.transfers + item.transfers(),
            bytes: self.bytes + item.bytes(),
            written: self.written + item.transfers(),
        }
    }

    /// Commands including the transfers (one per [`PACK_ARGUMENTS`] objects, the gas coin among them).
    fn all_commands(self) -> usize {
        self.commands + (self.transfers + 1).div_ceil(PACK_ARGUMENTS)
    }

    fn budget(self, price: u64) -> u128 {
        let units = UNITS_BASE + UNITS_PER_INPUT * self.inputs as u64 + UNITS_PER_COMMAND * self.all_commands() as u64;
        u128::from(price) * u128::from(units) + u128::from(STORAGE_PER_OBJECT) * (self.written as u128 + 1)
    }

    fn fits(self, price: u64) -> bool {
        // One input for the recipient; the gas coins are not inputs.
        self.inputs < PACK_INPUTS
            && self.all_commands() <= PACK_COMMANDS
            && self.bytes + 1024 <= PACK_BYTES
            && self.budget(price) <= u128::from(MAX_GAS_BUDGET)
    }
}

fn bad(reason: impl Into<String>) -> MigrateError {
    MigrateError::BadHoldings { reason: reason.into() }
}

fn object_ref(id: &str, version: u64, digest: &str) -> Result<ObjectRef, MigrateError> {
    let id_bytes = parse_object_id(id).ok_or_else(|| bad(format!("object id {id:?} is not 0x and 64 hex digits")))?;
    let digest = parse_digest(digest).ok_or_else(|| bad(format!("the digest of {id} is not base58 of 32 bytes")))?;
    Ok(ObjectRef { id: id_bytes, version, digest })
}

/// The `T` of `prefix<T>` (`prefix` a canonical type name such as `0x2::balance::Balance`).
fn type_argument<'a>(canonical: &'a str, prefix: &str) -> Option<&'a str> {
    canonical.strip_prefix(prefix)?.strip_prefix('<')?.strip_suffix('>')
}

/// The Stardust package (0x107a) as the decoder prints it (in full: only 0x0-0xf print short).
fn stardust() -> String {
    iota_sui::hex_address(&framework_address(0x107a))
}

/// Types known to have `key` and `store` when the source does not say.
fn known_public(chain: Chain, canonical: &str) -> bool {
    match chain {
        Chain::Iota => {
            canonical == "0x3::staking_pool::StakedIota"
                || canonical.starts_with("0x2::coin::Coin<")
                || canonical == format!("{}::nft::Nft", stardust())
                || canonical == format!("{}::alias::Alias", stardust())
        }
        _ => canonical == "0x3::staking_pool::StakedSui" || canonical.starts_with("0x2::coin::Coin<"),
    }
}

/// Decides how an owned object moves, or why it stays.
fn classify(chain: Chain, o: &OwnedObject, now_ms: u64) -> Result<Result<Item, String>, MigrateError> {
    let r = object_ref(&o.object_id, o.version, &o.digest)?;
    if o.object_type == "package" {
        return Ok(Err("a package: packages are immutable and have no owner to change".into()));
    }
    let Some(t) = canonical_type(&o.object_type) else {
        return Err(bad(format!("the type of {} is not a Move type", o.object_id)));
    };
    let locked = |until: u64| {
        format!(
            "time-locked until {} ({until} ms since the Unix epoch; the chain checks the epoch's start): sweep it \
             again a day after that",
            crate::time::utc_iso8601(until / 1000)
        )
    };
    let ended = now_ms.saturating_sub(LOCK_MARGIN_MS);
    if chain == Chain::Iota {
        for (module, name, outputs) in
            [("basic_output", "BasicOutput", 2), ("nft_output", "NftOutput", 3), ("alias_output", "AliasOutput", 3)]
        {
            if let Some(coin) = type_argument(&t, &format!("{}::{module}::{name}", stardust())) {
                if let Some(until) = o.locked_until_ms.filter(|&u| u > ended) {
                    return Ok(Err(locked(until)));
                }
                return Ok(Ok(Item {
                    refs: vec![r],
                    how: How::Call {
                        module,
                        function: "extract_assets",
                        package: 0x107a,
                        type_arg: coin.to_owned(),
                        balance_of: Some(coin.to_owned()),
                    },
                    objects_out: outputs,
                }));
            }
        }
        if let Some(inner) = type_argument(&t, "0x2::timelock::TimeLock") {
            return Ok(match o.locked_until_ms {
                None => Err("a time lock whose end is not known (give locked_until_ms in the holdings)".into()),
                Some(until) if until > ended => Err(locked(until)),
                Some(_) => {
                    let balance_of = type_argument(inner, "0x2::balance::Balance").map(str::to_owned);
                    Ok(Item {
                        refs: vec![r],
                        how: How::Call {
                            module: "timelock",
                            function: "unlock",
                            package: 0x2,
                            type_arg: inner.to_owned(),
                            balance_of,
                        },
                        objects_out: 1,
                    })
                }
            });
        }
    }
    match o.public_transfer {
        Some(true) => {}
        Some(false) => {
            return Ok(Err(
                "its type has no `store` ability: only its own module can move it (no public transfer)".into()
            ));
        }
        None if known_public(chain, &t) => {}
        None => {
            return Ok(Err(
                "not known whether its type has `store` (public transfer): a transfer of an object without it would \
                 fail the whole transaction (give public_transfer in the holdings)"
                    .into(),
            ));
        }
    }
    Ok(Ok(Item { refs: vec![r], how: How::Object { object_type: t }, objects_out: 1 }))
}

/// Builds the sweep of `holdings` (of `old`, on `chain`) to `new`, at `gas_price`; `now_ms` (UNIX milliseconds)
/// decides which time locks have ended.
///
/// # Errors
/// [`MigrateError::BadHoldings`] when the holdings are not of `old` or do not parse (ids, digests, types, an object
/// twice), [`MigrateError::BadFee`] for a gas price of 0 or one at which not even one object fits the gas budget
/// cap, [`MigrateError::BalanceBelowFee`] when there is no native coin to pay gas with.
pub fn build_move_sweep(
    chain: Chain,
    old: &str,
    new: &str,
    holdings: &Holdings,
    gas_price: u64,
    now_ms: u64,
) -> Result<MoveSweep, MigrateError> {
    let parse = |a: &str| match chain {
        Chain::Iota => crate::chain::iota::parse_address(a).ok(),
        Chain::Sui => crate::chain::sui::parse_address(a).ok(),
        _ => None,
    };
    let (Some(sender), Some(recipient)) = (parse(old), parse(new)) else {
        return Err(MigrateError::Guard(GuardError::BadPlanAddress));
    };
    if parse_object_id(&holdings.address) != Some(sender) {
        return Err(bad(format!("the holdings are of {}, not of the address swept, {old}", holdings.address)));
    }
    if gas_price == 0 {
        return Err(MigrateError::BadFee { reason: "the gas price must be at least 1" });
    }
    let native_type = if chain == Chain::Iota { IOTA_COIN_TYPE } else { SUI_COIN_TYPE };
    let mut seen = std::collections::BTreeSet::new();
    let mut once = |r: &ObjectRef| {
        if seen.insert(r.id) {
            Ok(())
        } else {
            Err(bad(format!("object {} is listed twice", iota_sui::hex_address(&r.id))))
        }
    };
    let mut native: Vec<(ObjectRef, u64)> = Vec::new();
    let mut items = Vec::new();
    let mut left = Vec::new();
    for group in &holdings.coins {
        let coin_type = canonical_type(&group.coin_type)
            .ok_or_else(|| bad(format!("coin type {:?} is not a Move type", group.coin_type)))?;
        let mut refs = Vec::with_capacity(group.coins.len());
        for c in &group.coins {
            let r = object_ref(&c.object_id, c.version, &c.digest)?;
            once(&r)?;
            refs.push((r, c.balance));
        }
        if coin_type == native_type {
            native.extend(refs);
            continue;
        }
        for part in refs.chunks(PACK_ARGUMENTS) {
            let total = part.iter().map(|(_, b)| u128::from(*b)).sum();
            items.push(Item {
                refs: part.iter().map(|(r, _)| *r).collect(),
                how: How::Coins { coin_type: coin_type.clone(), total },
                objects_out: 1,
            });
        }
    }
    for o in &holdings.objects {
        match classify(chain, o, now_ms)? {
            Ok(item) => {
                once(&item.refs[0])?;
                items.push(item);
            }
            Err(reason) => {
                left.push(LeftBehind { what: format!("object {} ({})", o.object_id, o.object_type), reason })
            }
        }
    }
    if native.is_empty() {
        return Err(MigrateError::BalanceBelowFee {
            balance: 0,
            fee: u64::try_from(Load::default().budget(gas_price)).unwrap_or(u64::MAX),
        });
    }
    if !Load::default().fits(gas_price) {
        return Err(MigrateError::BadFee {
            reason: "at this gas price not even a lone transfer fits the gas budget cap",
        });
    }
    // Pack the items into chunks.
    let mut chunks: Vec<(Load, Vec<Item>)> = vec![(Load::default(), Vec::new())];
    for item in items {
        let (load, list) = chunks.last_mut().unwrap_or_else(|| unreachable!("never empty"));
        let next = load.with(&item);
        if next.fits(gas_price) || list.is_empty() {
            *load = next;
            list.push(item);
        } else {
            chunks.push((Load::default().with(&item), vec![item]));
        }
    }
    // The largest coins pay the first transactions; the last takes every remaining coin (beyond 256 gas coins,
    // merged into the gas coin as inputs).
    native.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    // A transaction paid by one coin needs a coin of at least the smallest budget; the last one pools the rest.
    let usable = native.iter().filter(|(_, b)| *b >= gas_price.saturating_mul(MIN_BUDGET_UNITS)).count().max(1);
    if chunks.len() > usable {
        for (_, list) in chunks.drain(usable..) {
            for item in list {
                left.push(LeftBehind {
                    what: item.describe(),
                    reason: "more transactions are needed than there are native coins to pay their gas: execute the \
                             built ones, then read the holdings again and sweep again"
                        .into(),
                });
            }
        }
    }
    let count = chunks.len();
    let mut transactions = Vec::with_capacity(count);
    let mut rest = native.split_off(count);
    for (i, ((load, list), coin)) in chunks.into_iter().zip(native).enumerate() {
        let mut gas = vec![coin];
        let mut merged = Vec::new();
        if i + 1 == count {
            // Fit the remaining coins: gas coins first, then merge inputs while the transaction has room.
            let room = MAX_GAS_COINS - 1;
            let take = rest.len().min(room);
            gas.extend(rest.drain(..take));
            let spare_inputs = PACK_INPUTS.saturating_sub(load.inputs + 1);
            let spare_bytes = PACK_BYTES.saturating_sub(load.bytes + 1024) / 84;
            let take = rest.len().min(spare_inputs).min(spare_bytes);
            merged.extend(rest.drain(..take));
            for (r, b) in rest.drain(..) {
                left.push(LeftBehind {
                    what: format!("{b} of {native_type} in coin {}", iota_sui::hex_address(&r.id)),
                    reason: "more native coins than one transaction can take: sweep again after this one".into(),
                });
            }
        }
        let unit = if chain == Chain::Iota { "IOTA" } else { "SUI" };
        let tx = assemble(sender, recipient, (&gas, &merged, unit), &list, load, gas_price)?;
        transactions.push(tx);
    }
    Ok(MoveSweep { transactions, left })
}

/// Coins with their balances.
type CoinRefs<'a> = &'a [(ObjectRef, u64)];

fn assemble(
    sender: [u8; 32],
    recipient: [u8; 32],
    (gas, merged, unit): (CoinRefs<'_>, CoinRefs<'_>, &str),
    items: &[Item],
    load: Load,
    price: u64,
) -> Result<MoveSweepTx, MigrateError> {
    let mut inputs = vec![Input::Pure(recipient.to_vec())];
    let mut commands = Vec::new();
    let mut transfers = vec![Argument::GasCoin];
    let mut moves = Vec::new();
    let index = |n: usize| u16::try_from(n).map_err(|_| bad("too many inputs or commands"));
    let add_input = |inputs: &mut Vec<Input>, r: ObjectRef| -> Result<Argument, MigrateError> {
        inputs.push(Input::ImmOrOwned(r));
        Ok(Argument::Input(index(inputs.len() - 1)?))
    };
    for part in merged.chunks(PACK_ARGUMENTS) {
        let mut sources = Vec::with_capacity(part.len());
        for (r, _) in part {
            sources.push(add_input(&mut inputs, *r)?);
        }
        commands.push(Command::MergeCoins { destination: Argument::GasCoin, sources });
    }
    for item in items {
        moves.push(item.describe());
        match &item.how {
            How::Coins { .. } => {
                let mut args = Vec::with_capacity(item.refs.len());
                for r in &item.refs {
                    args.push(add_input(&mut inputs, *r)?);
                }
                let head = args.remove(0);
                if !args.is_empty() {
                    commands.push(Command::MergeCoins { destination: head, sources: args });
                }
                transfers.push(head);
            }
            How::Object { .. } => transfers.push(add_input(&mut inputs, item.refs[0])?),
            How::Call { module, function, package, type_arg, balance_of } => {
                let object = add_input(&mut inputs, item.refs[0])?;
                let call = index(commands.len())?;
                commands.push(Command::MoveCall {
                    package: framework_address(*package),
                    module: (*module).to_owned(),
                    function: (*function).to_owned(),
                    type_arguments: vec![type_arg.clone()],
                    arguments: vec![object],
                });
                let results = if *function == "unlock" { 1 } else { item.objects_out };
                let value = |k: usize| -> Result<Argument, MigrateError> {
                    Ok(if *function == "unlock" {
                        Argument::Result(call)
                    } else {
                        Argument::NestedResult(call, index(k)?)
                    })
                };
                // The balance (the first value) becomes a coin; the others are objects.
                let first = if let Some(coin_type) = balance_of {
                    let made = index(commands.len())?;
                    commands.push(Command::MoveCall {
                        package: framework_address(0x2),
                        module: "coin".into(),
                        function: "from_balance".into(),
                        type_arguments: vec![coin_type.clone()],
                        arguments: vec![value(0)?],
                    });
                    transfers.push(Argument::Result(made));
                    1
                } else {
                    0
                };
                for k in first..results {
                    transfers.push(value(k)?);
                }
            }
        }
    }
    for part in transfers.chunks(PACK_ARGUMENTS) {
        commands.push(Command::TransferObjects { objects: part.to_vec(), recipient: Argument::Input(0) });
    }
    let native: u128 = gas.iter().chain(merged).map(|(_, b)| u128::from(*b)).sum();
    let paying: u128 = gas.iter().map(|(_, b)| u128::from(*b)).sum();
    let load = Load { inputs: inputs.len(), ..load };
    // The budget may not exceed what the gas coins hold (the network checks that before running).
    let budget = load.budget(price).min(paying).min(u128::from(MAX_GAS_BUDGET));
    let budget = u64::try_from(budget).unwrap_or(MAX_GAS_BUDGET);
    let minimum = price.saturating_mul(MIN_BUDGET_UNITS);
    if budget < minimum {
        return Err(MigrateError::BalanceBelowFee { balance: u64::try_from(paying).unwrap_or(u64::MAX), fee: minimum });
    }
    moves.insert(
        0,
        format!(
            "{} ({native} base units) of the native coin ({} coin object(s)), less the gas charged",
            crate::holdings::format_amount(native, 9, unit),
            gas.len() + merged.len()
        ),
    );
    let tx = Transaction {
        inputs,
        commands,
        sender,
        gas: GasData { payment: gas.iter().map(|(r, _)| *r).collect(), owner: sender, price, budget },
        expiration: Expiration::None,
    };
    let bytes = iota_sui::encode_transaction(&tx).map_err(|e| bad(e.to_string()))?;
    if bytes.len() > MAX_TX_BYTES {
        return Err(bad("a built transaction is larger than 128 KiB"));
    }
    Ok(MoveSweepTx { bytes, gas_budget: budget, native, moves })
}
