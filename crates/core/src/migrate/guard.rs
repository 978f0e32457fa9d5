//! The destination guard: proves from the decoded transaction that a sweep only pays the fresh seed.
//!
//! Rules, per chain (a transaction that breaks any of them is refused whole, even if part of it is right):
//! - every chain: the sender is the old address of a planned row that is not a manual step; every recipient is
//!   that row's new address; at least one transfer; nothing is left undecoded; the most the transaction may spend
//!   on fees is at most the chain's cap ([`MAX_GAS_BUDGET`], [`MAX_SOLANA_PRIORITY_FEE`], [`MAX_STELLAR_FEE`]):
//!   far above what a sweep needs, far below "the whole balance burnt as fees".
//! - IOTA, Sui: a programmable transaction; gas owner = sender (no sponsor); inputs are pure values and owned
//!   objects only; commands are `TransferObjects` (recipient a pure address), `SplitCoins` (of the gas coin or an
//!   owned object, by pure u64 amounts) and `MergeCoins` (of owned coins), and Move calls only to the framework
//!   functions of [`iota_sui::FRAMEWORK_CALLS`] (IOTA's Stardust `extract_assets`, `timelock::unlock`,
//!   `coin::from_balance`), each of one owned object (or of a balance an earlier call returned); every value a
//!   command returns is used exactly once — transferred to the new address, or a balance made a coin that is — so
//!   nothing a call returns can go anywhere else; no other Move call, publish, upgrade or vector.
//! - Solana: one signer (the old account, fee payer); no address tables; an optional `AdvanceNonceAccount` first
//!   (authority: the old account), compute-budget instructions, and only these, every one naming the new address
//!   where anything goes: System transfers from the old account to the new; Associated Token Account
//!   `CreateIdempotent` paid by the old account for the new address's token account (the address re-derived, under
//!   SPL Token or Token-2022); `TransferChecked` signed by the old account into that token account;
//!   `CloseAccount` with the rent to the new address (before it, Token-2022's permissionless
//!   `HarvestWithheldTokensToMint` of exactly that account, to the mint its tokens move of, so that it can close);
//!   Stake `Authorize` (staker or withdrawer, no custodian) and
//!   System `AuthorizeNonceAccount` to the new address, signed by the old account.
//! - Stellar: source = the old account; no extra-signer precondition. Operations sourced from the old account:
//!   `PAYMENT`, `CREATE_ACCOUNT` (once) and `ACCOUNT_MERGE` (last) to the new account; removals only — `CHANGE_TRUST`
//!   limit 0, `MANAGE_SELL_OFFER`/`MANAGE_BUY_OFFER` amount 0 of an existing offer, `MANAGE_DATA` without a value —
//!   and `CLAIM_CLAIMABLE_BALANCE` (into the old account). Operations sourced from the new account (which then signs
//!   too): only `CHANGE_TRUST` adding a trustline for a credit asset that the transaction pays to it. No other
//!   source, no other operation.

/// The largest IOTA/Sui gas budget a sweep may carry, in nanos/MIST: 1 IOTA or 1 SUI. A pay-all sweep of many coins
/// costs a few millionths of that; the budget is the most the network may charge, and with a raised gas price a
/// larger one could turn the old account's balance into fees.
pub const MAX_GAS_BUDGET: u64 = 1_000_000_000;

/// The largest Solana priority fee a sweep may pay, in lamports (0.01 SOL): compute-unit price (micro-lamports)
/// times the compute-unit limit. The base fee (5000 lamports a signature) comes on top.
pub const MAX_SOLANA_PRIORITY_FEE: u64 = 10_000_000;

/// The largest Stellar fee a sweep may offer, in stroops (1 XLM; the base fee is 100 stroops an operation).
pub const MAX_STELLAR_FEE: u64 = 10_000_000;

use super::{PlanRow, RowState};
use crate::chain::Chain;
use crate::sign::iota_sui::{self, Argument, Command, Input, Returns, Takes, TransactionData};
use crate::sign::solana::{self, AccountRef, Action};
use crate::sign::stellar::{Asset, OperationBody, Preconditions};
use crate::sign::{Decoded, Details};

/// Why the destination guard refused a sweep. Nothing was signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// Not a transaction of a chain Coffer sweeps (personal messages, raw bytes, Stardust, system transactions).
    #[error("not a sweep: {what}")]
    NotASweep {
        /// What it is.
        what: String,
    },
    /// Part of the transaction was not decoded, so its effect cannot be proven.
    #[error("the guard cannot prove this sweep safe: {}", reasons.join("; "))]
    NotDecoded {
        /// What was not decoded.
        reasons: Vec<String>,
    },
    /// The sender is not the old address of any planned row of this chain.
    #[error("the sender {sender} is not a planned {chain} address of the compromised seed")]
    SenderNotPlanned {
        /// The chain.
        chain: Chain,
        /// The transaction's sender.
        sender: String,
    },
    /// The row is a manual step.
    #[error("the {chain} row at {path} is a manual step: {note}")]
    RowIsManual {
        /// The chain.
        chain: Chain,
        /// Its path.
        path: String,
        /// Why.
        note: String,
    },
    /// Another account signs or pays: a sponsor, an extra signer, an operation with another source.
    #[error("another account takes part: {who} ({role}); a sweep is signed by the old account alone")]
    OtherSigner {
        /// The account.
        who: String,
        /// Its role ("gas owner", "signer", "operation source", ...).
        role: &'static str,
    },
    /// A recipient is an address of the compromised seed.
    #[error("refusing to send funds back to the compromised seed ({recipient}); the planned recipient is {expected}")]
    RecipientCompromised {
        /// The recipient.
        recipient: String,
        /// The planned new address.
        expected: String,
    },
    /// A recipient is not the planned new address.
    #[error("recipient {recipient} is not the planned new address {expected}")]
    RecipientNotPlanned {
        /// The recipient.
        recipient: String,
        /// The planned new address.
        expected: String,
    },
    /// An action a sweep has no business doing.
    #[error("a sweep may not contain {what}")]
    Forbidden {
        /// What was found (and where).
        what: String,
    },
    /// Nothing moves to the new address.
    #[error("the transaction moves nothing to the new address")]
    NoTransfer,
    /// The transaction may spend more on fees than any sweep needs.
    #[error(
        "the {chain} {what} is {fee} {unit}, above the guard's cap of {max} {unit}: a sweep needs far less, and the \
         excess could be taken as fees"
    )]
    FeeTooHigh {
        /// The chain.
        chain: Chain,
        /// Which fee ("gas budget", "priority fee", "fee").
        what: &'static str,
        /// The transaction's value.
        fee: u64,
        /// The cap.
        max: u64,
        /// Its unit.
        unit: &'static str,
    },
    /// A plan address does not parse (the plan was damaged).
    #[error("a plan address does not parse")]
    BadPlanAddress,
    /// The backup of the destination seed was not checked.
    #[error("the destination seed's backup has not been checked: nothing is signed before it is")]
    BackupNotChecked,
}

/// The 32-byte identity of an address as the decoders report it (IOTA/Sui address, Solana/Stellar public key).
fn id(chain: Chain, address: &str) -> Result<[u8; 32], GuardError> {
    let parsed = match chain {
        Chain::Iota => crate::chain::iota::parse_address(address),
        Chain::Sui => crate::chain::sui::parse_address(address),
        Chain::Solana => crate::chain::solana::parse_address(address),
        Chain::Stellar => crate::chain::stellar::parse_address(address),
        _ => return Err(GuardError::BadPlanAddress),
    };
    parsed.map_err(|_| GuardError::BadPlanAddress)
}

/// The row being swept and what a recipient may be.
struct Target<'a> {
    old: [u8; 32],
    new: [u8; 32],
    new_address: &'a str,
    /// Old addresses of every row of the chain (sending there goes back to the compromised seed).
    compromised: Vec<[u8; 32]>,
}

impl Target<'_> {
    fn recipient(&self, to: [u8; 32], show: impl Fn(&[u8; 32]) -> String) -> Result<(), GuardError> {
        if to == self.new {
            return Ok(());
        }
        let expected = self.new_address.to_owned();
        if to == self.old || self.compromised.contains(&to) {
            return Err(GuardError::RecipientCompromised { recipient: show(&to), expected });
        }
        Err(GuardError::RecipientNotPlanned { recipient: show(&to), expected })
    }
}

fn target(rows: &[PlanRow], chain: Chain, sender: [u8; 32], show: String) -> Result<(usize, Target<'_>), GuardError> {
    let mut compromised = Vec::new();
    let mut found = None;
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.chain == chain) {
        let old = id(chain, &r.old_address)?;
        compromised.push(old);
        if old == sender {
            found = Some(i);
        }
    }
    let i = found.ok_or(GuardError::SenderNotPlanned { chain, sender: show })?;
    let row = &rows[i];
    if row.state == RowState::Manual {
        return Err(GuardError::RowIsManual {
            chain,
            path: row.path().map(|p| p.to_string()).unwrap_or_default(),
            note: row.note.clone(),
        });
    }
    let new = id(chain, &row.new_address)?;
    Ok((i, Target { old: sender, new, new_address: &row.new_address, compromised }))
}

/// Checks a decoded transaction against a plan's rows: returns the index in `rows` of the row it sweeps.
///
/// # Errors
/// A [`GuardError`] naming the first rule broken.
pub fn check_sweep(rows: &[PlanRow], decoded: &Decoded) -> Result<usize, GuardError> {
    let summary = decoded.summary();
    let row = match &summary.details {
        Details::IotaSui(data) => iota_sui(rows, summary.chain, data)?,
        Details::Solana(tx) => solana(rows, tx)?,
        Details::Stellar(env, _) => stellar(rows, env)?,
        Details::PersonalMessage(_) => return Err(GuardError::NotASweep { what: "a personal message".into() }),
        _ => return Err(GuardError::NotASweep { what: format!("{} {}", summary.chain, summary.kind) }),
    };
    // Belt and braces: the rules above accept only decoded content, and the decoder must agree.
    if !summary.undecoded.is_empty() {
        return Err(GuardError::NotDecoded { reasons: summary.undecoded.clone() });
    }
    Ok(row)
}

fn iota_sui(rows: &[PlanRow], chain: Chain, data: &TransactionData) -> Result<usize, GuardError> {
    let tx = match data {
        TransactionData::Programmable(tx) => tx,
        TransactionData::OtherKind { tag } => {
            return Err(GuardError::NotASweep { what: format!("a system transaction (kind {tag})") });
        }
    };
    let hex = iota_sui::hex_address;
    let (row, t) = target(rows, chain, tx.sender, hex(&tx.sender))?;
    if tx.gas.owner != tx.sender {
        return Err(GuardError::OtherSigner { who: hex(&tx.gas.owner), role: "gas owner (sponsor)" });
    }
    if tx.gas.budget > MAX_GAS_BUDGET {
        let unit = if chain == Chain::Sui { "MIST" } else { "nanos" };
        return Err(GuardError::FeeTooHigh {
            chain,
            what: "gas budget",
            fee: tx.gas.budget,
            max: MAX_GAS_BUDGET,
            unit,
        });
    }
    for (i, input) in tx.inputs.iter().enumerate() {
        match input {
            Input::Pure(_) | Input::ImmOrOwned(_) => {}
            Input::Shared { .. } => return Err(GuardError::Forbidden { what: format!("a shared object (input {i})") }),
            _ => return Err(GuardError::Forbidden { what: format!("a receiving or unknown object (input {i})") }),
        }
    }
    // A coin argument: the gas coin or an owned object input (never a pure value).
    let coin = |a: Argument, at: usize| match a {
        Argument::GasCoin => Ok(()),
        Argument::Input(n) if matches!(tx.inputs.get(usize::from(n)), Some(Input::ImmOrOwned(_))) => Ok(()),
        _ => Err(GuardError::Forbidden { what: format!("a coin argument that is not an owned coin (command {at})") }),
    };
    let mut transfers = 0;
    // The values commands returned (by command index): what each is, and whether it was used up (transferred to
    // the new address, or handed to a framework call that takes it). Every one must be used up by the end.
    let mut results: Vec<(usize, Vec<(Value, bool)>)> = Vec::new();
    let use_result = |a: Argument, at: usize, want: Value, results: &mut Vec<(usize, Vec<(Value, bool)>)>| {
        let (j, k) = match a {
            Argument::Result(j) => (usize::from(j), None),
            Argument::NestedResult(j, k) => (usize::from(j), Some(usize::from(k))),
            _ => return Ok(false),
        };
        let Some((_, values)) = results.iter_mut().find(|(c, _)| *c == j) else {
            return Err(GuardError::Forbidden {
                what: format!("a result of command {j}, which returns nothing a sweep may use (command {at})"),
            });
        };
        // `Result(j)` of a split is all its coins; of a call, its single value.
        let slots: Vec<usize> = match k {
            Some(k) if k < values.len() => vec![k],
            None if values.len() == 1 || values.iter().all(|(v, _)| *v == Value::SplitCoin) => {
                (0..values.len()).collect()
            }
            _ => {
                return Err(GuardError::Forbidden {
                    what: format!("a result index that does not exist (command {at})"),
                });
            }
        };
        for k in slots {
            let (v, used) = &mut values[k];
            let fits = match want {
                Value::Balance => *v == Value::Balance,
                _ => *v != Value::Balance,
            };
            if !fits {
                return Err(GuardError::Forbidden {
                    what: format!("result {j}.{k} used as {} (command {at})", want.name()),
                });
            }
            if *used {
                return Err(GuardError::Forbidden { what: format!("result {j}.{k} used twice (command {at})") });
            }
            *used = true;
        }
        Ok(true)
    };
    for (i, cmd) in tx.commands.iter().enumerate() {
        match cmd {
            Command::TransferObjects { objects, recipient } => {
                let to = tx.pure_address(*recipient).ok_or_else(|| GuardError::Forbidden {
                    what: format!("a recipient that is not a pure address (command {i})"),
                })?;
                t.recipient(to, hex)?;
                for &o in objects {
                    if !use_result(o, i, Value::Object, &mut results)? {
                        coin(o, i)?;
                    }
                }
                transfers += 1;
            }
            Command::SplitCoins { coin: c, amounts } => {
                coin(*c, i)?;
                if amounts.iter().any(|&a| tx.pure_u64(a).is_none()) {
                    return Err(GuardError::Forbidden {
                        what: format!("a split amount that is not a pure u64 (command {i})"),
                    });
                }
                results.push((i, vec![(Value::SplitCoin, false); amounts.len()]));
            }
            Command::MergeCoins { destination, sources } => {
                coin(*destination, i)?;
                for &s in sources {
                    coin(s, i)?;
                }
            }
            Command::MoveCall { package, module, function, type_arguments, arguments } => {
                let Some(call) = iota_sui::framework_call(chain, package, module, function) else {
                    return Err(GuardError::Forbidden {
                        what: format!(
                            "a Move call to {}::{module}::{function} (command {i}): only the framework calls of a \
                             sweep are allowed",
                            hex(package)
                        ),
                    });
                };
                let [arg] = arguments.as_slice() else {
                    return Err(GuardError::Forbidden {
                        what: format!("{module}::{function} with other arguments (command {i})"),
                    });
                };
                let [type_arg] = type_arguments.as_slice() else {
                    return Err(GuardError::Forbidden {
                        what: format!("{module}::{function} with other type arguments (command {i})"),
                    });
                };
                match call.takes {
                    Takes::OwnedObject => {
                        if !matches!(arg, Argument::Input(n) if matches!(tx.inputs.get(usize::from(*n)), Some(Input::ImmOrOwned(_))))
                        {
                            return Err(GuardError::Forbidden {
                                what: format!(
                                    "{module}::{function} of something other than an owned object (command {i})"
                                ),
                            });
                        }
                    }
                    _ => {
                        if !use_result(*arg, i, Value::Balance, &mut results)? {
                            return Err(GuardError::Forbidden {
                                what: format!(
                                    "{module}::{function} of something other than a returned balance (command {i})"
                                ),
                            });
                        }
                    }
                }
                let values = call
                    .returns
                    .iter()
                    .map(|r| match r {
                        Returns::Balance => Value::Balance,
                        Returns::Unlocked if type_arg.starts_with("0x2::balance::Balance<") => Value::Balance,
                        _ => Value::Object,
                    })
                    .map(|v| (v, false))
                    .collect();
                results.push((i, values));
            }
            Command::Publish { .. } => return Err(GuardError::Forbidden { what: format!("a publish (command {i})") }),
            Command::Upgrade { .. } => return Err(GuardError::Forbidden { what: format!("an upgrade (command {i})") }),
            _ => {
                return Err(GuardError::Forbidden { what: format!("command {i} (only transfers, splits and merges)") });
            }
        }
    }
    for (j, values) in &results {
        if let Some(k) = values.iter().position(|(_, used)| !used) {
            let what = match values[k].0 {
                Value::SplitCoin => format!("a split coin that is not transferred (command {j})"),
                _ => format!("result {j}.{k} of a Move call that is not transferred to the new address"),
            };
            return Err(GuardError::Forbidden { what });
        }
    }
    if transfers == 0 {
        return Err(GuardError::NoTransfer);
    }
    Ok(row)
}

/// A value a command returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// A coin split off by `SplitCoins`.
    SplitCoin,
    /// A `Balance<T>` (only a framework call taking a balance may use it).
    Balance,
    /// An object with `store` (transferable).
    Object,
}

impl Value {
    fn name(self) -> &'static str {
        match self {
            Self::SplitCoin => "a coin",
            Self::Balance => "a balance",
            Self::Object => "an object",
        }
    }
}

fn solana(rows: &[PlanRow], tx: &solana::Transaction) -> Result<usize, GuardError> {
    let m = &tx.message;
    let b58 = |k: &[u8; 32]| solana::base58(k);
    let payer = m.fee_payer();
    let (row, t) = target(rows, Chain::Solana, payer, b58(&payer))?;
    if let Some(other) = m.signers().iter().find(|k| **k != payer) {
        return Err(GuardError::OtherSigner { who: b58(other), role: "signer" });
    }
    if !m.lookups.is_empty() {
        return Err(GuardError::Forbidden { what: "an address lookup table (accounts unknown offline)".into() });
    }
    let key =
        |r: &AccountRef| r.key().ok_or_else(|| GuardError::Forbidden { what: "an account from a lookup table".into() });
    let actions = m.actions();
    let priority = solana_priority_fee(&actions);
    if priority > MAX_SOLANA_PRIORITY_FEE {
        return Err(GuardError::FeeTooHigh {
            chain: Chain::Solana,
            what: "priority fee",
            fee: priority,
            max: MAX_SOLANA_PRIORITY_FEE,
            unit: "lamports",
        });
    }
    let mut transfers = 0;
    let token_program = |i: usize| {
        let program = m.account_keys[usize::from(m.instructions[i].program_id_index)];
        crate::holdings::solana::TokenProgram::from_id(&b58(&program))
    };
    // The new address's token account for `mint` under `program` (what every token transfer must pay).
    let new_ata = |mint: [u8; 32], program| {
        super::associated_token_address(&t.new, &mint, program)
            .ok_or_else(|| GuardError::Forbidden { what: "a mint without an associated token account".into() })
    };
    let signed_by_old = |who: &AccountRef, role: &'static str| -> Result<(), GuardError> {
        let k = key(who)?;
        if k == t.old { Ok(()) } else { Err(GuardError::OtherSigner { who: b58(&k), role }) }
    };
    for (i, action) in actions.iter().enumerate() {
        match action {
            Action::SystemAdvanceNonce { authority, .. } if i == 0 => {
                let a = key(authority)?;
                if a != t.old {
                    return Err(GuardError::OtherSigner { who: b58(&a), role: "nonce authority" });
                }
            }
            Action::SystemTransfer { from, to, .. } => {
                let f = key(from)?;
                if f != t.old {
                    return Err(GuardError::Forbidden {
                        what: format!("a transfer from another account, {} (instruction {i})", b58(&f)),
                    });
                }
                t.recipient(key(to)?, b58)?;
                transfers += 1;
            }
            // The new address's associated token account, paid by the old account, under a token program.
            Action::CreateAssociatedTokenAccount { payer, account, wallet, mint, idempotent: true } => {
                signed_by_old(payer, "token account payer")?;
                t.recipient(key(wallet)?, b58)?;
                let ix = &m.instructions[i];
                let at = |n: usize| ix.accounts.get(n).and_then(|&a| m.account(a)).and_then(|r| r.key());
                let program = at(5).and_then(|p| crate::holdings::solana::TokenProgram::from_id(&b58(&p)));
                let (Some(program), Some(system)) = (program, at(4)) else {
                    return Err(GuardError::Forbidden {
                        what: format!("a token account creation under another program (instruction {i})"),
                    });
                };
                if system != [0; 32] || ix.accounts.len() != 6 {
                    return Err(GuardError::Forbidden {
                        what: format!("a token account creation with unexpected accounts (instruction {i})"),
                    });
                }
                let ata = key(account)?;
                if ata != new_ata(key(mint)?, program)? {
                    return Err(GuardError::RecipientNotPlanned {
                        recipient: b58(&ata),
                        expected: format!("the associated token account of {}", t.new_address),
                    });
                }
            }
            // The whole balance of a token account to the new address's token account for the same mint.
            Action::TokenTransferChecked { mint, destination, authority, .. } => {
                signed_by_old(authority, "token owner")?;
                let Some(program) = token_program(i) else {
                    return Err(GuardError::Forbidden { what: format!("a token instruction (instruction {i})") });
                };
                let to = key(destination)?;
                if to != new_ata(key(mint)?, program)? {
                    return Err(GuardError::RecipientNotPlanned {
                        recipient: b58(&to),
                        expected: format!("the associated token account of {}", t.new_address),
                    });
                }
                transfers += 1;
            }
            // Token-2022's permissionless harvest of the fees withheld in a token account that this transaction then
            // closes (signed by the old address, so the account is the old address's), to the mint this transaction
            // transfers that account's tokens of (when it transfers any): what makes the close possible.
            Action::TokenHarvestWithheldToMint { mint, source } => {
                let (mint, source) = (key(mint)?, key(source)?);
                let closed_later = actions[i + 1..].iter().any(|a| {
                    matches!(a, Action::TokenCloseAccount { account, owner, .. }
                        if account.key() == Some(source) && owner.key() == Some(t.old))
                });
                let other_mint = actions.iter().any(|a| {
                    matches!(a, Action::TokenTransferChecked { source: s, mint: m, .. }
                        if s.key() == Some(source) && m.key() != Some(mint))
                });
                if !closed_later || other_mint {
                    return Err(GuardError::Forbidden {
                        what: format!(
                            "a fee harvest from {} that is not of a token account this transaction closes, or of \
                             another mint than it moves (instruction {i})",
                            b58(&source)
                        ),
                    });
                }
            }
            // A token account of the old address closed, its rent to the new address.
            Action::TokenCloseAccount { destination, owner, .. } => {
                signed_by_old(owner, "token account owner")?;
                t.recipient(key(destination)?, b58)?;
                transfers += 1;
            }
            Action::StakeAuthorize { authority, new_authority, custodian: None, .. } => {
                signed_by_old(authority, "stake authority")?;
                t.recipient(*new_authority, b58)?;
                transfers += 1;
            }
            Action::SystemAuthorizeNonce { authority, new_authority, .. } => {
                signed_by_old(authority, "nonce authority")?;
                t.recipient(*new_authority, b58)?;
                transfers += 1;
            }
            Action::ComputeUnitLimit(_) | Action::ComputeUnitPrice(_) => {}
            other => {
                let what = match other {
                    Action::SystemAdvanceNonce { .. } => "a nonce advance that is not the first instruction".to_owned(),
                    Action::Undecoded { program, .. } => format!("an instruction of program {}", b58(program)),
                    Action::CreateAssociatedTokenAccount { .. } => "a non-idempotent token account creation".to_owned(),
                    Action::StakeAuthorize { .. } => "a stake authorization with a lockup custodian".to_owned(),
                    _ => "an instruction other than those of a sweep".to_owned(),
                };
                return Err(GuardError::Forbidden { what: format!("{what} (instruction {i})") });
            }
        }
    }
    if transfers == 0 {
        return Err(GuardError::NoTransfer);
    }
    Ok(row)
}

/// The priority fee in lamports: compute-unit price (micro-lamports) × compute-unit limit, rounded up. Without an
/// explicit limit the runtime allows 200 000 units per other instruction, at most 1 400 000. (The last compute-budget
/// instruction of each kind counts, as the runtime refuses duplicates anyway.)
fn solana_priority_fee(actions: &[Action]) -> u64 {
    let mut limit = None;
    let mut price = 0u64;
    let mut others = 0u64;
    for a in actions {
        match a {
            Action::ComputeUnitLimit(n) => limit = Some(u64::from(*n)),
            Action::ComputeUnitPrice(p) => price = *p,
            _ => others += 1,
        }
    }
    let limit = limit.unwrap_or_else(|| (others * 200_000).min(1_400_000));
    let micro = u128::from(price) * u128::from(limit);
    u64::try_from(micro.div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

fn stellar(rows: &[PlanRow], env: &crate::sign::stellar::Envelope) -> Result<usize, GuardError> {
    let g = |k: &[u8; 32]| crate::chain::stellar::address(&crate::derive::PublicKey(*k));
    let (row, t) = target(rows, Chain::Stellar, env.source.key, g(&env.source.key))?;
    if !env.fully_decoded() {
        return Err(GuardError::Forbidden { what: "an operation or Soroban data that is not decoded".into() });
    }
    if u64::from(env.fee) > MAX_STELLAR_FEE {
        return Err(GuardError::FeeTooHigh {
            chain: Chain::Stellar,
            what: "fee",
            fee: u64::from(env.fee),
            max: MAX_STELLAR_FEE,
            unit: "stroops",
        });
    }
    if let Preconditions::V2 { extra_signers, .. } = env.preconditions
        && extra_signers > 0
    {
        return Err(GuardError::OtherSigner { who: format!("{extra_signers} extra signer(s)"), role: "precondition" });
    }
    let ops = &env.operations;
    let is_old = |src: Option<crate::sign::stellar::MuxedAccount>| src.is_none_or(|s| s.key == t.old);
    // Credit assets paid old → new in this transaction: the only trustlines the new account may add.
    let paid: Vec<&Asset> = ops
        .iter()
        .filter(|o| is_old(o.source))
        .filter_map(|o| match &o.body {
            OperationBody::Payment { destination, asset: a @ Asset::Credit { .. }, .. } if destination.key == t.new => {
                Some(a)
            }
            _ => None,
        })
        .collect();
    let mut created = false;
    for (i, op) in ops.iter().enumerate() {
        let from_new = op.source.is_some_and(|s| s.key == t.new && s.id.is_none());
        if let Some(s) = op.source
            && s.key != t.old
            && !from_new
        {
            return Err(GuardError::OtherSigner { who: g(&s.key), role: "operation source" });
        }
        if from_new {
            // The new account may only add a trustline for an asset paid to it in this same transaction.
            match &op.body {
                OperationBody::ChangeTrust { line: line @ Asset::Credit { .. }, limit } if *limit > 0 => {
                    if !paid.contains(&line) {
                        return Err(GuardError::Forbidden {
                            what: format!(
                                "a trustline on the new account for {line}, an asset this transaction does not pay to it (operation {i})"
                            ),
                        });
                    }
                }
                _ => {
                    return Err(GuardError::Forbidden {
                        what: format!(
                            "an operation sourced from the new account other than adding a trustline for an asset paid to it (operation {i})"
                        ),
                    });
                }
            }
            continue;
        }
        match &op.body {
            OperationBody::AccountMerge { destination } => {
                t.recipient(destination.key, g)?;
                if i + 1 != ops.len() {
                    return Err(GuardError::Forbidden {
                        what: format!("ACCOUNT_MERGE (operation {i}) other than as the last operation"),
                    });
                }
            }
            OperationBody::Payment { destination, .. } => t.recipient(destination.key, g)?,
            OperationBody::CreateAccount { destination, .. } => {
                t.recipient(*destination, g)?;
                if created {
                    return Err(GuardError::Forbidden {
                        what: format!("CREATE_ACCOUNT a second time (operation {i})"),
                    });
                }
                created = true;
            }
            // On the old account, only removals: a trustline (limit 0), an offer (amount 0 of an existing offer),
            // a data entry (no value); and claims into the old account (the merge or a payment moves them on).
            OperationBody::ChangeTrust { limit: 0, .. }
            | OperationBody::ManageData { value: None, .. }
            | OperationBody::ClaimClaimableBalance { .. } => {}
            OperationBody::ManageOffer { amount: 0, offer_id, .. } if *offer_id != 0 => {}
            other => {
                let name = match other {
                    OperationBody::ChangeTrust { .. } => "CHANGE_TRUST other than removing a trustline (limit 0)",
                    OperationBody::ManageData { .. } => "MANAGE_DATA that sets a value",
                    OperationBody::ManageOffer { buy: false, .. } => {
                        "MANAGE_SELL_OFFER that creates or changes an offer"
                    }
                    OperationBody::ManageOffer { .. } => "MANAGE_BUY_OFFER that creates or changes an offer",
                    OperationBody::BumpSequence { .. } => "BUMP_SEQUENCE",
                    OperationBody::Inflation => "INFLATION",
                    OperationBody::Undecoded { name, .. } => name,
                    _ => "an unknown operation",
                };
                return Err(GuardError::Forbidden { what: format!("{name} (operation {i})") });
            }
        }
    }
    if env.operations.is_empty() {
        return Err(GuardError::NoTransfer);
    }
    Ok(row)
}
