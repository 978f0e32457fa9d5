//! IOTA Rebased and Sui: the BCS `TransactionData` decoder, intent digests and serialized signatures.
//!
//! Both chains share the format (IOTA Rebased is a fork of Sui). Variant orders were checked against
//! `MystenLabs/ts-sdks` `packages/sui/src/bcs/bcs.ts`, `MystenLabs/sui` `crates/sui-types/src/transaction.rs`,
//! `iotaledger/iota` `sdk/typescript/src/bcs/bcs.ts` and `iotaledger/iota-rust-sdk`
//! `crates/iota-sdk-types/src/transaction/mod.rs`. They agree on everything decoded here except two later
//! additions that exist only on Sui: the `ValidDuring` expiration (decoded) and the `FundsWithdrawal` input (whose
//! layout is still changing upstream: refused as an unknown input kind).
//!
//! ```text
//! TransactionData   = 0x00 (V1) TransactionKind sender:address GasData TransactionExpiration
//! TransactionKind   = 0x00 ProgrammableTransaction { inputs: vec<CallArg>, commands: vec<Command> } | other kinds
//! GasData           = payment: vec<ObjectRef> owner:address price:u64 budget:u64
//! ObjectRef         = id:address version:u64 digest:vec<u8> (32 bytes)
//! ```
//!
//! Signing: ed25519 over blake2b-256(intent || BCS bytes), intent `00 00 00` for transactions and `03 00 00` for
//! personal messages (the message itself BCS-encoded as `vector<u8>`); the serialized signature is
//! base64(0x00 || signature || public key).

use core::fmt::Write as _;

use super::DecodeError;
use super::reader::Reader;
use crate::chain::{Chain, blake2b256};

/// Intent prefix of `TransactionData` (scope 0, version 0, app 0).
pub const INTENT_TRANSACTION: [u8; 3] = [0, 0, 0];
/// Intent prefix of a personal message (scope 3, version 0, app 0).
pub const INTENT_PERSONAL_MESSAGE: [u8; 3] = [3, 0, 0];
/// Deepest type-tag nesting accepted (Sui's protocol limit for type-argument depth is 16).
pub const MAX_TYPE_DEPTH: usize = 16;

const ADDRESS_LEN: usize = 32;
/// Smallest encoding of an object reference: id, version, length byte, 32-byte digest.
const OBJECT_REF_LEN: usize = 32 + 8 + 1 + 32;

/// A reference to an owned or immutable object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectRef {
    /// The object ID.
    pub id: [u8; 32],
    /// The object version.
    pub version: u64,
    /// The object digest.
    pub digest: [u8; 32],
}

/// How a shared object is accessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SharedAccess {
    /// Read-only.
    Immutable,
    /// Read-write.
    Mutable,
    /// Sui's non-exclusive write (tag 2 of `SharedObjectMutability`).
    NonExclusiveWrite,
}

/// An input of a programmable transaction (`CallArg`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// A BCS-encoded Move value (an address, an amount, ...).
    Pure(Vec<u8>),
    /// An owned or immutable object.
    ImmOrOwned(ObjectRef),
    /// A shared object.
    Shared {
        /// The object ID.
        id: [u8; 32],
        /// The version at which it became shared.
        initial_shared_version: u64,
        /// Read-only or mutable.
        access: SharedAccess,
    },
    /// An object sent to an object, being received.
    Receiving(ObjectRef),
}

/// An argument of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// The gas coin.
    GasCoin,
    /// Input number `n`.
    Input(u16),
    /// The result of command `n`.
    Result(u16),
    /// Result `m` of command `n`.
    NestedResult(u16, u16),
}

/// A command of a programmable transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// A Move function call.
    MoveCall {
        /// The package ID.
        package: [u8; 32],
        /// The module name.
        module: String,
        /// The function name.
        function: String,
        /// Type arguments, rendered as Move types.
        type_arguments: Vec<String>,
        /// Arguments.
        arguments: Vec<Argument>,
    },
    /// Transfers objects to a recipient.
    TransferObjects {
        /// The objects.
        objects: Vec<Argument>,
        /// The recipient address argument.
        recipient: Argument,
    },
    /// Splits amounts off a coin.
    SplitCoins {
        /// The coin split.
        coin: Argument,
        /// The amounts.
        amounts: Vec<Argument>,
    },
    /// Merges coins into a destination coin.
    MergeCoins {
        /// The coin merged into.
        destination: Argument,
        /// The coins merged.
        sources: Vec<Argument>,
    },
    /// Publishes a Move package.
    Publish {
        /// Size in bytes of each module.
        module_sizes: Vec<usize>,
        /// Dependency package IDs.
        dependencies: Vec<[u8; 32]>,
    },
    /// Builds a Move vector.
    MakeMoveVec {
        /// The element type, if given.
        type_tag: Option<String>,
        /// The elements.
        elements: Vec<Argument>,
    },
    /// Upgrades a Move package.
    Upgrade {
        /// Size in bytes of each module.
        module_sizes: Vec<usize>,
        /// Dependency package IDs.
        dependencies: Vec<[u8; 32]>,
        /// The package upgraded.
        package: [u8; 32],
        /// The upgrade ticket.
        ticket: Argument,
    },
}

/// When a transaction expires.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expiration {
    /// Never.
    None,
    /// After this epoch.
    Epoch(u64),
    /// Sui only: valid within bounds.
    ValidDuring {
        /// Earliest epoch.
        min_epoch: Option<u64>,
        /// Latest epoch.
        max_epoch: Option<u64>,
        /// Earliest time (ms).
        min_timestamp: Option<u64>,
        /// Latest time (ms).
        max_timestamp: Option<u64>,
        /// Chain identifier.
        chain: [u8; 32],
        /// Nonce.
        nonce: u32,
    },
}

/// Gas payment of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GasData {
    /// Gas coins.
    pub payment: Vec<ObjectRef>,
    /// Who pays for gas: the sender, or a sponsor.
    pub owner: [u8; 32],
    /// Gas price.
    pub price: u64,
    /// Gas budget (the most the transaction may spend on gas).
    pub budget: u64,
}

/// A decoded `TransactionData`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransactionData {
    /// A user (programmable) transaction, fully decoded.
    Programmable(Box<Transaction>),
    /// Another transaction kind (system transactions): not decoded, so its sender is unknown.
    OtherKind {
        /// The `TransactionKind` tag.
        tag: u32,
    },
}

/// A decoded programmable transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Inputs.
    pub inputs: Vec<Input>,
    /// Commands.
    pub commands: Vec<Command>,
    /// The sender address.
    pub sender: [u8; 32],
    /// Gas payment.
    pub gas: GasData,
    /// Expiration.
    pub expiration: Expiration,
}

impl Transaction {
    /// The pure input an argument names, if it is one.
    #[must_use]
    pub fn pure_input(&self, arg: Argument) -> Option<&[u8]> {
        match arg {
            Argument::Input(i) => match self.inputs.get(usize::from(i)) {
                Some(Input::Pure(bytes)) => Some(bytes),
                _ => None,
            },
            _ => None,
        }
    }

    /// The address an argument names, if it is a 32-byte pure input.
    #[must_use]
    pub fn pure_address(&self, arg: Argument) -> Option<[u8; 32]> {
        self.pure_input(arg).and_then(|b| <[u8; 32]>::try_from(b).ok())
    }

    /// The amount an argument names, if it is an 8-byte pure input (BCS u64).
    #[must_use]
    pub fn pure_u64(&self, arg: Argument) -> Option<u64> {
        self.pure_input(arg).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_le_bytes)
    }

    /// The addresses that may sign: the sender and, if different, the gas owner (sponsor).
    #[must_use]
    pub fn signers(&self) -> Vec<[u8; 32]> {
        let mut out = vec![self.sender];
        if self.gas.owner != self.sender {
            out.push(self.gas.owner);
        }
        out
    }
}

/// `0x` + hex of a 32-byte address or ID.
#[must_use]
pub fn hex_address(a: &[u8; 32]) -> String {
    format!("0x{}", hex::encode(a))
}

/// Decodes BCS `TransactionData` bytes for `chain` (`Chain::Iota` or `Chain::Sui`), rejecting trailing bytes.
///
/// # Errors
/// [`DecodeError`] for malformed, truncated or over-long input, or an unknown tag.
pub fn decode_transaction(chain: Chain, bytes: &[u8]) -> Result<TransactionData, DecodeError> {
    let mut r = Reader::new(bytes);
    let offset = r.pos();
    let version = r.bcs_tag()?;
    if version != 0 {
        return Err(DecodeError::UnknownTag { offset, what: "TransactionData version", tag: version.into() });
    }
    let kind = r.bcs_tag()?;
    if kind != 0 {
        // Genesis, epoch changes, consensus prologues...: system transactions, never built for a user key.
        return Ok(TransactionData::OtherKind { tag: kind });
    }
    let n = r.bcs_len(1)?;
    let mut inputs = Vec::with_capacity(n);
    for _ in 0..n {
        inputs.push(input(chain, &mut r)?);
    }
    let n = r.bcs_len(1)?;
    let mut commands = Vec::with_capacity(n);
    for _ in 0..n {
        commands.push(command(&mut r)?);
    }
    let sender = r.array::<ADDRESS_LEN>()?;
    let n = r.bcs_len(OBJECT_REF_LEN)?;
    let mut payment = Vec::with_capacity(n);
    for _ in 0..n {
        payment.push(object_ref(&mut r)?);
    }
    let owner = r.array::<ADDRESS_LEN>()?;
    let price = r.u64_le()?;
    let budget = r.u64_le()?;
    let expiration = expiration(chain, &mut r)?;
    r.finish()?;
    Ok(TransactionData::Programmable(Box::new(Transaction {
        inputs,
        commands,
        sender,
        gas: GasData { payment, owner, price, budget },
        expiration,
    })))
}

fn object_ref(r: &mut Reader<'_>) -> Result<ObjectRef, DecodeError> {
    let id = r.array::<32>()?;
    let version = r.u64_le()?;
    let offset = r.pos();
    let digest = r.bcs_bytes()?;
    let digest = <[u8; 32]>::try_from(digest)
        .map_err(|_| DecodeError::Invalid { offset, what: "an object digest must be 32 bytes" })?;
    Ok(ObjectRef { id, version, digest })
}

fn input(chain: Chain, r: &mut Reader<'_>) -> Result<Input, DecodeError> {
    let offset = r.pos();
    match r.bcs_tag()? {
        0 => Ok(Input::Pure(r.bcs_bytes()?.to_vec())),
        1 => {
            let offset = r.pos();
            match r.bcs_tag()? {
                0 => Ok(Input::ImmOrOwned(object_ref(r)?)),
                1 => {
                    let id = r.array::<32>()?;
                    let initial_shared_version = r.u64_le()?;
                    let offset = r.pos();
                    let access = match r.u8()? {
                        0 => SharedAccess::Immutable,
                        1 => SharedAccess::Mutable,
                        2 if chain == Chain::Sui => SharedAccess::NonExclusiveWrite,
                        tag => {
                            return Err(DecodeError::UnknownTag {
                                offset,
                                what: "shared object access",
                                tag: tag.into(),
                            });
                        }
                    };
                    Ok(Input::Shared { id, initial_shared_version, access })
                }
                2 => Ok(Input::Receiving(object_ref(r)?)),
                tag => Err(DecodeError::UnknownTag { offset, what: "ObjectArg", tag: tag.into() }),
            }
        }
        tag => Err(DecodeError::UnknownTag { offset, what: "CallArg", tag: tag.into() }),
    }
}

fn argument(r: &mut Reader<'_>) -> Result<Argument, DecodeError> {
    let offset = r.pos();
    match r.bcs_tag()? {
        0 => Ok(Argument::GasCoin),
        1 => Ok(Argument::Input(r.u16_le()?)),
        2 => Ok(Argument::Result(r.u16_le()?)),
        3 => Ok(Argument::NestedResult(r.u16_le()?, r.u16_le()?)),
        tag => Err(DecodeError::UnknownTag { offset, what: "Argument", tag: tag.into() }),
    }
}

fn arguments(r: &mut Reader<'_>) -> Result<Vec<Argument>, DecodeError> {
    let n = r.bcs_len(1)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(argument(r)?);
    }
    Ok(out)
}

fn modules(r: &mut Reader<'_>) -> Result<(Vec<usize>, Vec<[u8; 32]>), DecodeError> {
    let n = r.bcs_len(1)?;
    let mut sizes = Vec::with_capacity(n);
    for _ in 0..n {
        sizes.push(r.bcs_bytes()?.len());
    }
    let n = r.bcs_len(ADDRESS_LEN)?;
    let mut deps = Vec::with_capacity(n);
    for _ in 0..n {
        deps.push(r.array::<32>()?);
    }
    Ok((sizes, deps))
}

fn command(r: &mut Reader<'_>) -> Result<Command, DecodeError> {
    let offset = r.pos();
    Ok(match r.bcs_tag()? {
        0 => {
            let package = r.array::<32>()?;
            let module = r.move_identifier()?;
            let function = r.move_identifier()?;
            let n = r.bcs_len(1)?;
            let mut type_arguments = Vec::with_capacity(n);
            for _ in 0..n {
                type_arguments.push(type_tag(r, 0)?);
            }
            let arguments = arguments(r)?;
            Command::MoveCall { package, module, function, type_arguments, arguments }
        }
        1 => {
            let objects = arguments(r)?;
            Command::TransferObjects { objects, recipient: argument(r)? }
        }
        2 => {
            let coin = argument(r)?;
            Command::SplitCoins { coin, amounts: arguments(r)? }
        }
        3 => {
            let destination = argument(r)?;
            Command::MergeCoins { destination, sources: arguments(r)? }
        }
        4 => {
            let (module_sizes, dependencies) = modules(r)?;
            Command::Publish { module_sizes, dependencies }
        }
        5 => {
            let offset = r.pos();
            let type_tag = match r.bcs_tag()? {
                0 => None,
                1 => Some(type_tag(r, 0)?),
                tag => return Err(DecodeError::UnknownTag { offset, what: "Option", tag: tag.into() }),
            };
            Command::MakeMoveVec { type_tag, elements: arguments(r)? }
        }
        6 => {
            let (module_sizes, dependencies) = modules(r)?;
            let package = r.array::<32>()?;
            Command::Upgrade { module_sizes, dependencies, package, ticket: argument(r)? }
        }
        tag => return Err(DecodeError::UnknownTag { offset, what: "Command", tag: tag.into() }),
    })
}

/// Decodes a Move `TypeTag` into its text form, bounding the nesting depth.
fn type_tag(r: &mut Reader<'_>, depth: usize) -> Result<String, DecodeError> {
    let offset = r.pos();
    if depth >= MAX_TYPE_DEPTH {
        return Err(DecodeError::TooDeep { offset, max: MAX_TYPE_DEPTH });
    }
    Ok(match r.bcs_tag()? {
        0 => "bool".into(),
        1 => "u8".into(),
        2 => "u64".into(),
        3 => "u128".into(),
        4 => "address".into(),
        5 => "signer".into(),
        6 => format!("vector<{}>", type_tag(r, depth + 1)?),
        7 => {
            let address = r.array::<32>()?;
            let module = r.move_identifier()?;
            let name = r.move_identifier()?;
            let n = r.bcs_len(1)?;
            let mut s = format!("{}::{module}::{name}", short_address(&address));
            for i in 0..n {
                s.push_str(if i == 0 { "<" } else { ", " });
                s.push_str(&type_tag(r, depth + 1)?);
            }
            if n > 0 {
                s.push('>');
            }
            s
        }
        8 => "u16".into(),
        9 => "u32".into(),
        10 => "u256".into(),
        tag => return Err(DecodeError::UnknownTag { offset, what: "TypeTag", tag: tag.into() }),
    })
}

/// Framework addresses (0x1, 0x2, 0x3) print short, as Move does; others in full.
fn short_address(a: &[u8; 32]) -> String {
    if a[..31].iter().all(|&b| b == 0) && a[31] < 16 { format!("0x{:x}", a[31]) } else { hex_address(a) }
}

fn option_u64(r: &mut Reader<'_>) -> Result<Option<u64>, DecodeError> {
    let offset = r.pos();
    match r.bcs_tag()? {
        0 => Ok(None),
        1 => Ok(Some(r.u64_le()?)),
        tag => Err(DecodeError::UnknownTag { offset, what: "Option", tag: tag.into() }),
    }
}

fn expiration(chain: Chain, r: &mut Reader<'_>) -> Result<Expiration, DecodeError> {
    let offset = r.pos();
    match r.bcs_tag()? {
        0 => Ok(Expiration::None),
        1 => Ok(Expiration::Epoch(r.u64_le()?)),
        2 if chain == Chain::Sui => {
            let min_epoch = option_u64(r)?;
            let max_epoch = option_u64(r)?;
            let min_timestamp = option_u64(r)?;
            let max_timestamp = option_u64(r)?;
            let offset = r.pos();
            let chain = <[u8; 32]>::try_from(r.bcs_bytes()?)
                .map_err(|_| DecodeError::Invalid { offset, what: "a chain identifier must be 32 bytes" })?;
            let nonce = r.u32_le()?;
            Ok(Expiration::ValidDuring { min_epoch, max_epoch, min_timestamp, max_timestamp, chain, nonce })
        }
        tag => Err(DecodeError::UnknownTag { offset, what: "TransactionExpiration", tag: tag.into() }),
    }
}

/// The digest signed for `intent` over `bcs_bytes`: blake2b-256(intent || bytes).
#[must_use]
pub fn intent_digest(intent: [u8; 3], bcs_bytes: &[u8]) -> [u8; 32] {
    blake2b256(&[&intent, bcs_bytes])
}

/// The digest signed for a personal message: blake2b-256(03 00 00 || ULEB128(len) || message).
#[must_use]
pub fn personal_message_digest(message: &[u8]) -> [u8; 32] {
    let mut len = [0u8; 10];
    let n = uleb128(message.len() as u64, &mut len);
    blake2b256(&[&INTENT_PERSONAL_MESSAGE, &len[..n], message])
}

fn uleb128(mut v: u64, out: &mut [u8; 10]) -> usize {
    let mut i = 0;
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out[i] = byte;
            return i + 1;
        }
        out[i] = byte | 0x80;
        i += 1;
    }
}

/// The serialized signature: 0x00 (ed25519 flag) || signature || public key.
#[must_use]
pub fn serialized_signature(signature: &[u8; 64], public_key: &[u8; 32]) -> [u8; 97] {
    let mut out = [0u8; 97];
    out[0] = crate::chain::sui::ED25519_FLAG;
    out[1..65].copy_from_slice(signature);
    out[65..].copy_from_slice(public_key);
    out
}

/// Human-readable lines for a decoded transaction, and what was not decoded.
pub(crate) fn describe(chain: Chain, tx: &Transaction, lines: &mut Vec<super::Line>, undecoded: &mut Vec<String>) {
    use super::Line;
    lines.push(Line::new("sender", hex_address(&tx.sender)));
    let sponsor = if tx.gas.owner == tx.sender { " (the sender)" } else { " (sponsor)" };
    lines.push(Line::new("gas owner", format!("{}{sponsor}", hex_address(&tx.gas.owner))));
    lines.push(Line::new("gas budget", tx.gas.budget.to_string()));
    lines.push(Line::new("gas price", tx.gas.price.to_string()));
    lines.push(Line::new("gas coins", tx.gas.payment.len().to_string()));
    lines.push(Line::new(
        "expiration",
        match &tx.expiration {
            Expiration::None => "none".into(),
            Expiration::Epoch(e) => format!("after epoch {e}"),
            Expiration::ValidDuring { min_epoch, max_epoch, min_timestamp, max_timestamp, nonce, .. } => format!(
                "epochs {min_epoch:?}..{max_epoch:?}, time (ms) {min_timestamp:?}..{max_timestamp:?}, nonce {nonce}"
            ),
        },
    ));
    for (i, input) in tx.inputs.iter().enumerate() {
        let value = match input {
            Input::Pure(b) => {
                let mut s = format!("pure 0x{}", hex::encode(b));
                if let Ok(a) = <[u8; 32]>::try_from(b.as_slice()) {
                    let _ = write!(s, " (address {})", hex_address(&a));
                } else if let Ok(v) = <[u8; 8]>::try_from(b.as_slice()) {
                    let _ = write!(s, " (u64 {})", u64::from_le_bytes(v));
                }
                s
            }
            Input::ImmOrOwned(o) => format!("object {} v{}", hex_address(&o.id), o.version),
            Input::Shared { id, initial_shared_version, access } => {
                format!("shared object {} (initial version {initial_shared_version}, {access:?})", hex_address(id))
            }
            Input::Receiving(o) => format!("receiving object {} v{}", hex_address(&o.id), o.version),
        };
        lines.push(Line::new(format!("input {i}"), value));
    }
    for (i, cmd) in tx.commands.iter().enumerate() {
        let label = format!("command {i}");
        let value = match cmd {
            Command::TransferObjects { objects, recipient } => {
                let to = match tx.pure_address(*recipient) {
                    Some(a) => hex_address(&a),
                    None => {
                        undecoded.push(format!("{label}: the recipient {} is not a pure address", arg(*recipient)));
                        format!("{} (not decoded)", arg(*recipient))
                    }
                };
                format!("transfer objects [{}] to {to}", args(objects))
            }
            Command::SplitCoins { coin, amounts } => {
                let amounts: Vec<String> = amounts
                    .iter()
                    .map(|a| match tx.pure_u64(*a) {
                        Some(v) => v.to_string(),
                        None => {
                            undecoded.push(format!("{label}: the amount {} is not a pure u64", arg(*a)));
                            format!("{} (not decoded)", arg(*a))
                        }
                    })
                    .collect();
                format!("split coin {} into amounts [{}]", arg(*coin), amounts.join(", "))
            }
            Command::MergeCoins { destination, sources } => {
                format!("merge coins [{}] into {}", args(sources), arg(*destination))
            }
            Command::MoveCall { package, module, function, type_arguments, arguments } => {
                let known = framework_call(chain, package, module, function);
                if known.is_none() {
                    undecoded.push(format!("{label}: the effect of Move call {module}::{function} is not decoded"));
                }
                let targs =
                    if type_arguments.is_empty() { String::new() } else { format!("<{}>", type_arguments.join(", ")) };
                let mut text =
                    format!("move call {}::{module}::{function}{targs}({})", hex_address(package), args(arguments));
                if let Some(k) = known {
                    let _ = write!(text, ": {}", k.what);
                }
                text
            }
            Command::Publish { module_sizes, dependencies } => {
                undecoded.push(format!("{label}: publishing a package is not decoded"));
                format!("publish {} modules, {} dependencies", module_sizes.len(), dependencies.len())
            }
            Command::MakeMoveVec { type_tag, elements } => {
                format!("make vector<{}> of [{}]", type_tag.as_deref().unwrap_or("_"), args(elements))
            }
            Command::Upgrade { module_sizes, package, .. } => {
                undecoded.push(format!("{label}: upgrading a package is not decoded"));
                format!("upgrade package {} with {} modules", hex_address(package), module_sizes.len())
            }
        };
        lines.push(Line::new(label, value));
    }
}

fn arg(a: Argument) -> String {
    match a {
        Argument::GasCoin => "gas coin".into(),
        Argument::Input(i) => format!("input {i}"),
        Argument::Result(i) => format!("result {i}"),
        Argument::NestedResult(i, j) => format!("result {i}.{j}"),
    }
}

fn args(a: &[Argument]) -> String {
    a.iter().map(|&x| arg(x)).collect::<Vec<_>>().join(", ")
}

/// What a framework call takes as its one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Takes {
    /// An owned object input (by value).
    OwnedObject,
    /// A `Balance<T>` returned by an earlier command of the same transaction.
    Balance,
}

/// What a framework call returns, value by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Returns {
    /// A `Balance<T>`: no `key`, so it cannot be transferred; only [`FrameworkCall`]s taking a balance consume it.
    Balance,
    /// An object with `key` and `store` (a `Bag`, an `Nft`, an `Alias`, a `Coin`): transferable.
    Object,
    /// The `T` of a `TimeLock<T>`: a balance when the type argument is `0x2::balance::Balance<…>`, else an object
    /// (`TimeLock<T: store>`, so `T` has `store`; an object if it has `key`).
    Unlocked,
}

/// A framework function a sweep may call (IOTA only, except `coin::from_balance`): each takes one argument and one
/// type argument, and every value it returns must end up transferred to the new address in the same transaction
/// (the destination guard checks that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameworkCall {
    /// The package's short address (0x2 or 0x107a).
    pub package: u16,
    /// The module.
    pub module: &'static str,
    /// The function.
    pub function: &'static str,
    /// Its argument.
    pub takes: Takes,
    /// Its results, in order.
    pub returns: &'static [Returns],
    /// Whether it exists on Sui too (only `0x2::coin::from_balance`: the Stardust package and `0x2::timelock` are
    /// IOTA's).
    pub on_sui: bool,
    /// What it does, for the summary.
    pub what: &'static str,
}

/// The framework functions a sweep may call, from `iotaledger/iota` `crates/iota-framework/packages/`:
/// - `stardust/sources/basic/basic_output.move`: `public fun extract_assets<T>(output: BasicOutput<T>, ctx: &mut
///   TxContext): (Balance<T>, Bag)` (checks the timelock and expiration conditions, pays any storage deposit return
///   to its return address, deletes the output);
/// - `stardust/sources/nft/nft_output.move`: `extract_assets<T>(output: NftOutput<T>, ctx): (Balance<T>, Bag, Nft)`;
/// - `stardust/sources/alias/alias_output.move`: `extract_assets<T>(output: AliasOutput<T>): (Balance<T>, Bag,
///   Alias)`;
/// - `iota-framework/sources/timelock.move`: `unlock<T: store>(self: TimeLock<T>, ctx: &TxContext): T` (aborts
///   before the lock's end);
/// - `iota-framework/sources/coin.move`: `from_balance<T>(balance: Balance<T>, ctx: &mut TxContext): Coin<T>`.
///
/// `Bag` (`bag.move`), `Nft` (`nft/nft.move`) and `Alias` (`alias/alias.move`) have `key, store`; stakes
/// (`0x3::staking_pool::StakedIota`, `has key, store`) need no call: they are transferred as they are.
pub const FRAMEWORK_CALLS: [FrameworkCall; 5] = [
    FrameworkCall {
        package: 0x107a,
        module: "basic_output",
        function: "extract_assets",
        takes: Takes::OwnedObject,
        returns: &[Returns::Balance, Returns::Object],
        on_sui: false,
        what: "Stardust basic output: take out its coins and native-token bag (a storage deposit it must return goes back to its return address, as the output's condition says)",
    },
    FrameworkCall {
        package: 0x107a,
        module: "nft_output",
        function: "extract_assets",
        takes: Takes::OwnedObject,
        returns: &[Returns::Balance, Returns::Object, Returns::Object],
        on_sui: false,
        what: "Stardust NFT output: take out its coins, native-token bag and NFT (a storage deposit it must return goes back to its return address)",
    },
    FrameworkCall {
        package: 0x107a,
        module: "alias_output",
        function: "extract_assets",
        takes: Takes::OwnedObject,
        returns: &[Returns::Balance, Returns::Object, Returns::Object],
        on_sui: false,
        what: "Stardust alias output: take out its coins, native-token bag and alias",
    },
    FrameworkCall {
        package: 0x2,
        module: "timelock",
        function: "unlock",
        takes: Takes::OwnedObject,
        returns: &[Returns::Unlocked],
        on_sui: false,
        what: "unlock an expired time lock",
    },
    FrameworkCall {
        package: 0x2,
        module: "coin",
        function: "from_balance",
        takes: Takes::Balance,
        returns: &[Returns::Object],
        on_sui: true,
        what: "make a coin of a balance",
    },
];

/// The 32-byte address of a short framework address.
#[must_use]
pub fn framework_address(short: u16) -> [u8; 32] {
    let mut a = [0u8; 32];
    a[30..].copy_from_slice(&short.to_be_bytes());
    a
}

/// The allowed framework call `package::module::function` on `chain`, if it is one.
#[must_use]
pub fn framework_call(
    chain: Chain,
    package: &[u8; 32],
    module: &str,
    function: &str,
) -> Option<&'static FrameworkCall> {
    FRAMEWORK_CALLS.iter().find(|c| {
        framework_address(c.package) == *package
            && c.module == module
            && c.function == function
            && (chain == Chain::Iota || c.on_sui)
    })
}

/// A Move type in the form the decoder prints it (framework addresses short, others in full), or `None` when the
/// text is not a Move type.
#[must_use]
pub fn canonical_type(text: &str) -> Option<String> {
    let mut out = Vec::new();
    put_type(&mut out, text.as_bytes(), 0).filter(|rest| rest.is_empty())?;
    let mut r = Reader::new(&out);
    type_tag(&mut r, 0).ok()
}

/// Why a transaction could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A type argument that is not a Move type (`0xADDRESS::module::Name<…>`, a primitive or a vector).
    #[error("not a Move type: {text:?}")]
    BadType {
        /// The text (cut to 100 characters).
        text: String,
    },
    /// A command Coffer never builds (publish, upgrade: their module bytes are not kept by the decoder).
    #[error("cannot encode {what}")]
    Unsupported {
        /// What.
        what: &'static str,
    },
    /// A vector longer than the format allows.
    #[error("too many {what}")]
    TooMany {
        /// What.
        what: &'static str,
    },
}

/// Encodes a programmable transaction as BCS `TransactionData` V1, the exact inverse of [`decode_transaction`]
/// (layout: `TransactionData`, `TransactionKind`, `CallArg`, `ObjectArg`, `Command`, `Argument`, `GasData`,
/// `TransactionExpiration` in `iotaledger/iota` `crates/iota-types/src/transaction.rs` and `MystenLabs/sui`
/// `crates/sui-types/src/transaction.rs`; `TypeTag` in `move-core-types` `language_storage.rs`).
///
/// # Errors
/// [`EncodeError`] for a type argument that does not parse, a publish or upgrade command, or a vector too long.
pub fn encode_transaction(tx: &Transaction) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    out.push(0); // TransactionData::V1
    out.push(0); // TransactionKind::ProgrammableTransaction
    put_len(&mut out, tx.inputs.len(), "inputs")?;
    for input in &tx.inputs {
        match input {
            Input::Pure(bytes) => {
                out.push(0);
                put_bytes(&mut out, bytes, "pure bytes")?;
            }
            Input::ImmOrOwned(o) => {
                out.extend_from_slice(&[1, 0]);
                put_object_ref(&mut out, o);
            }
            Input::Shared { id, initial_shared_version, access } => {
                out.extend_from_slice(&[1, 1]);
                out.extend_from_slice(id);
                out.extend_from_slice(&initial_shared_version.to_le_bytes());
                out.push(match access {
                    SharedAccess::Immutable => 0,
                    SharedAccess::Mutable => 1,
                    SharedAccess::NonExclusiveWrite => 2,
                });
            }
            Input::Receiving(o) => {
                out.extend_from_slice(&[1, 2]);
                put_object_ref(&mut out, o);
            }
        }
    }
    put_len(&mut out, tx.commands.len(), "commands")?;
    for cmd in &tx.commands {
        match cmd {
            Command::MoveCall { package, module, function, type_arguments, arguments } => {
                out.push(0);
                out.extend_from_slice(package);
                put_bytes(&mut out, module.as_bytes(), "identifier bytes")?;
                put_bytes(&mut out, function.as_bytes(), "identifier bytes")?;
                put_len(&mut out, type_arguments.len(), "type arguments")?;
                for t in type_arguments {
                    put_type(&mut out, t.as_bytes(), 0)
                        .filter(|rest| rest.is_empty())
                        .ok_or_else(|| EncodeError::BadType { text: t.chars().take(100).collect() })?;
                }
                put_arguments(&mut out, arguments)?;
            }
            Command::TransferObjects { objects, recipient } => {
                out.push(1);
                put_arguments(&mut out, objects)?;
                put_argument(&mut out, *recipient);
            }
            Command::SplitCoins { coin, amounts } => {
                out.push(2);
                put_argument(&mut out, *coin);
                put_arguments(&mut out, amounts)?;
            }
            Command::MergeCoins { destination, sources } => {
                out.push(3);
                put_argument(&mut out, *destination);
                put_arguments(&mut out, sources)?;
            }
            Command::MakeMoveVec { type_tag, elements } => {
                out.push(5);
                match type_tag {
                    None => out.push(0),
                    Some(t) => {
                        out.push(1);
                        put_type(&mut out, t.as_bytes(), 0)
                            .filter(|rest| rest.is_empty())
                            .ok_or_else(|| EncodeError::BadType { text: t.chars().take(100).collect() })?;
                    }
                }
                put_arguments(&mut out, elements)?;
            }
            Command::Publish { .. } => return Err(EncodeError::Unsupported { what: "a publish command" }),
            Command::Upgrade { .. } => return Err(EncodeError::Unsupported { what: "an upgrade command" }),
        }
    }
    out.extend_from_slice(&tx.sender);
    put_len(&mut out, tx.gas.payment.len(), "gas coins")?;
    for o in &tx.gas.payment {
        put_object_ref(&mut out, o);
    }
    out.extend_from_slice(&tx.gas.owner);
    out.extend_from_slice(&tx.gas.price.to_le_bytes());
    out.extend_from_slice(&tx.gas.budget.to_le_bytes());
    match &tx.expiration {
        Expiration::None => out.push(0),
        Expiration::Epoch(e) => {
            out.push(1);
            out.extend_from_slice(&e.to_le_bytes());
        }
        Expiration::ValidDuring { min_epoch, max_epoch, min_timestamp, max_timestamp, chain, nonce } => {
            out.push(2);
            for v in [min_epoch, max_epoch, min_timestamp, max_timestamp] {
                match v {
                    None => out.push(0),
                    Some(v) => {
                        out.push(1);
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
            put_bytes(&mut out, chain, "chain identifier")?;
            out.extend_from_slice(&nonce.to_le_bytes());
        }
    }
    Ok(out)
}

fn put_uleb(out: &mut Vec<u8>, v: u64) {
    let mut b = [0u8; 10];
    let n = uleb128(v, &mut b);
    out.extend_from_slice(&b[..n]);
}

fn put_len(out: &mut Vec<u8>, n: usize, what: &'static str) -> Result<(), EncodeError> {
    // BCS lengths are at most 2^31 - 1.
    let n = u32::try_from(n).ok().filter(|&n| n < (1 << 31)).ok_or(EncodeError::TooMany { what })?;
    put_uleb(out, u64::from(n));
    Ok(())
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8], what: &'static str) -> Result<(), EncodeError> {
    put_len(out, bytes.len(), what)?;
    out.extend_from_slice(bytes);
    Ok(())
}

fn put_object_ref(out: &mut Vec<u8>, o: &ObjectRef) {
    out.extend_from_slice(&o.id);
    out.extend_from_slice(&o.version.to_le_bytes());
    out.push(32);
    out.extend_from_slice(&o.digest);
}

fn put_argument(out: &mut Vec<u8>, a: Argument) {
    match a {
        Argument::GasCoin => out.push(0),
        Argument::Input(i) => {
            out.push(1);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Argument::Result(i) => {
            out.push(2);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Argument::NestedResult(i, j) => {
            out.push(3);
            out.extend_from_slice(&i.to_le_bytes());
            out.extend_from_slice(&j.to_le_bytes());
        }
    }
}

fn put_arguments(out: &mut Vec<u8>, args: &[Argument]) -> Result<(), EncodeError> {
    put_len(out, args.len(), "arguments")?;
    for &a in args {
        put_argument(out, a);
    }
    Ok(())
}

/// Encodes the Move type at the start of `s` as a BCS `TypeTag`; returns what follows it, or `None` when it is not
/// a type (or nests deeper than [`MAX_TYPE_DEPTH`]).
fn put_type<'a>(out: &mut Vec<u8>, s: &'a [u8], depth: usize) -> Option<&'a [u8]> {
    if depth >= MAX_TYPE_DEPTH {
        return None;
    }
    let word = |p: &[u8]| s.starts_with(p) && !s.get(p.len()).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    if let Some(rest) = s.strip_prefix(b"vector<") {
        out.push(6);
        return put_type(out, rest, depth + 1)?.strip_prefix(b">");
    }
    for (name, tag) in [
        (&b"bool"[..], 0u8),
        (b"u8", 1),
        (b"u64", 2),
        (b"u128", 3),
        (b"address", 4),
        (b"signer", 5),
        (b"u16", 8),
        (b"u32", 9),
        (b"u256", 10),
    ] {
        if word(name) {
            out.push(tag);
            return Some(&s[name.len()..]);
        }
    }
    let rest = s.strip_prefix(b"0x")?;
    let n = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let address = crate::holdings::iota_sui::parse_object_id(core::str::from_utf8(&s[..n + 2]).ok()?)?;
    out.push(7);
    out.extend_from_slice(&address);
    let mut rest = &rest[n..];
    for _ in 0..2 {
        rest = rest.strip_prefix(b"::")?;
        let len = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        if len == 0 || len > 128 || rest[0].is_ascii_digit() || &rest[..len] == b"_" {
            return None;
        }
        put_uleb(out, len as u64);
        out.extend_from_slice(&rest[..len]);
        rest = &rest[len..];
    }
    let Some(mut args) = rest.strip_prefix(b"<") else {
        out.push(0);
        return Some(rest);
    };
    // The count comes first: encode the arguments aside, then append.
    let mut inner = Vec::new();
    let mut count = 0u64;
    loop {
        args = put_type(&mut inner, args, depth + 1)?;
        count += 1;
        if let Some(after) = args.strip_prefix(b", ").or_else(|| args.strip_prefix(b",")) {
            args = after;
        } else {
            put_uleb(out, count);
            out.extend_from_slice(&inner);
            return args.strip_prefix(b">");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_tags_round_trip_through_the_decoder() {
        for t in [
            "u8",
            "vector<u64>",
            "0x2::iota::IOTA",
            "0x2::balance::Balance<0x2::iota::IOTA>",
            "0x2::timelock::TimeLock<0x2::balance::Balance<0x2::iota::IOTA>>",
            "0xab00000000000000000000000000000000000000000000000000000000000000::pool::Pool<u8, vector<address>>",
        ] {
            let mut out = Vec::new();
            assert_eq!(put_type(&mut out, t.as_bytes(), 0), Some(&b""[..]), "{t}");
            let mut r = Reader::new(&out);
            assert_eq!(type_tag(&mut r, 0).unwrap_or_default(), t);
        }
        let mut out = Vec::new();
        for bad in ["", "0x2::iota", "0x2::9::X", "vector<u8", "0xzz::a::B", "0x2::a::B<>"] {
            assert!(put_type(&mut out, bad.as_bytes(), 0).is_none_or(|rest| !rest.is_empty()), "{bad}");
        }
        let deep = format!("{}u8{}", "vector<".repeat(MAX_TYPE_DEPTH), ">".repeat(MAX_TYPE_DEPTH));
        assert!(put_type(&mut out, deep.as_bytes(), 0).is_none());
    }

    #[test]
    fn uleb_encodes() {
        let mut b = [0u8; 10];
        let n = uleb128(9, &mut b);
        assert_eq!(&b[..n], &[9]);
        let n = uleb128(200, &mut b);
        assert_eq!(&b[..n], &[0xc8, 0x01]);
    }
}
