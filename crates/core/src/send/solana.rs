//! Solana payments: a System transfer of SOL, or an SPL Token / Token-2022 `TransferChecked` to the recipient's
//! associated token account (created first with `CreateIdempotent` unless it is known to exist). Instruction layouts
//! and the message compiler are the sweep's ([`crate::migrate::solana_sweep`], sources named there).

use super::{Amount, BuiltSend, SendError, decode, mismatch, parse_recipient};
use crate::chain::Chain;
use crate::holdings::solana::{SolanaHoldings, TokenProgram};
use crate::migrate::solana_sweep::{
    Ix, PACKET_DATA_SIZE, RECENT_BLOCKHASHES_SYSVAR, RENT_EXEMPT_SYSTEM_ACCOUNT, SweepInstruction,
    associated_token_address, compile, compute_units, key, new_token_account_rent, priority_fee, r, s, system_ix,
    token_refusal, w,
};
use crate::migrate::{MAX_SOLANA_PRIORITY_FEE, SolanaRecent};
use crate::sign::solana::{self as sol, AccountRef, Action};
use crate::sign::{Details, solana::LAMPORTS_PER_SIGNATURE};

/// A Solana payment to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSend {
    /// The recipient's wallet address (for a token: its owner; the token account is derived).
    pub to: String,
    /// How much, in lamports or the token's base units.
    pub amount: Amount,
    /// The token's mint; `None` sends SOL.
    pub mint: Option<String>,
    /// Whether the recipient's associated token account for the mint is known to exist (then it is not created,
    /// and no rent is paid). When not known, `CreateIdempotent` creates it if needed, paid by the sender.
    pub recipient_token_account_exists: bool,
    /// The recipient's associated token account for the mint exists and is frozen (known online): the token program
    /// refuses every transfer into it, so the payment is refused ([`super::TokenRefusal::RecipientFrozen`]).
    pub recipient_token_account_frozen: bool,
    /// The recipient's SOL balance when known (online): 0 means its account does not exist yet, and SOL below the
    /// rent-exempt minimum could not create it. `None`: not known (offline).
    pub recipient_lamports: Option<u64>,
    /// The priority fee as a compute-unit price in micro-lamports (0: none, and no compute-budget instructions).
    pub compute_unit_price: u64,
    /// Blockhash or durable nonce (whose authority must be the sender).
    pub recent: SolanaRecent,
}

fn program_of(program: TokenProgram) -> [u8; 32] {
    key(program.id())
}

/// Builds a Solana payment from the account whose holdings are `holdings` (its address, lamports and token
/// accounts with their mints' decimals).
///
/// # Errors
/// [`SendError::BadRecipient`], [`SendError::SelfPayment`], [`SendError::BadHoldings`] for holdings that do not
/// parse, [`SendError::AssetNotHeld`] without a token account of the mint, [`SendError::OverBalance`],
/// [`SendError::FeeOverBalance`], [`SendError::BelowMinimumLeft`] (a System account left between 0 and its
/// rent-exempt minimum is refused by the runtime), [`SendError::NewAccountBelowRent`], [`SendError::ZeroAmount`], [`SendError::BadFee`] for a priority
/// fee above 0.01 SOL, [`SendError::TokenNotSendable`] for a Token-2022 mint that is non-transferable, has a transfer
/// hook program, is paused, or is default-frozen while the recipient has no token account for it (the holdings'
/// `token_2022`), or whose recipient token account is frozen, [`SendError::Mismatch`] if the decoded transaction differs from the request (a bug).
///
/// A Token-2022 recipient account that does not exist yet is paid at the size the mint's extensions give it
/// ([`Token2022Extensions::new_account_len`](crate::holdings::solana::Token2022Extensions::new_account_len)), and a
/// transfer fee is stated in [`BuiltSend::transfer_fee`] and the notes.
pub fn build_solana_send(holdings: &SolanaHoldings, send: &SolanaSend) -> Result<BuiltSend, SendError> {
    let bad = |reason: String| SendError::BadHoldings { reason };
    let from = crate::chain::solana::parse_address(&holdings.address)
        .map_err(|_| bad(format!("the holdings' address {:?} is not a Solana address", holdings.address)))?;
    let to = parse_recipient(Chain::Solana, &send.to)?;
    if to == from {
        return Err(SendError::SelfPayment);
    }
    let price = send.compute_unit_price;
    let system = [0u8; 32];
    // The payment's own instructions, and what they move.
    let (body, asset, decimals, deposit, notes, token) = match &send.mint {
        None => (Vec::new(), "SOL".to_owned(), 9u8, 0u64, Vec::new(), None),
        Some(mint_text) => {
            let mint = crate::chain::solana::parse_address(mint_text.trim()).map_err(|_| SendError::BadRecipient {
                chain: Chain::Solana,
                reason: format!("mint {mint_text:?} is not a Solana address"),
            })?;
            // The sender's associated account for the mint when it holds one, else its largest account of the mint.
            let mut accounts: Vec<_> = holdings
                .token_accounts
                .iter()
                .filter(|t| crate::chain::solana::parse_address(&t.mint).ok() == Some(mint))
                .collect();
            // A frozen account refuses every transfer: paying from one would fail on chain.
            let frozen = accounts.iter().any(|t| t.frozen);
            accounts.retain(|t| !t.frozen);
            let own_ata = |t: &&crate::holdings::solana::TokenAccount| {
                associated_token_address(&from, &mint, t.program).map(|a| sol::base58(&a)) == Some(t.address.clone())
            };
            accounts.sort_by_key(|t| (!own_ata(t), core::cmp::Reverse(t.amount)));
            let Some(t) = accounts.first() else {
                let asset = if frozen {
                    format!("token of mint {} in an account that is not frozen (its mint froze them)", mint_text.trim())
                } else {
                    format!("token of mint {}", mint_text.trim())
                };
                return Err(SendError::AssetNotHeld { asset });
            };
            let source = crate::chain::solana::parse_address(&t.address)
                .map_err(|_| bad(format!("token account {:?} is not a Solana address", t.address)))?;
            let ata = associated_token_address(&to, &mint, t.program)
                .ok_or_else(|| bad(format!("no associated token account for mint {mint_text}")))?;
            let program = program_of(t.program);
            // The mint's Token-2022 extensions (as the holdings state them): those under which the Token-2022
            // program refuses the transfer are refused here, before anything is signed.
            if t.token_2022.is_some() && t.program != TokenProgram::Token2022 {
                return Err(bad(format!(
                    "token account {} states Token-2022 extensions but is SPL Token's",
                    t.address
                )));
            }
            if let Some(hook) = t.token_2022.as_ref().and_then(|e| e.transfer_hook_program.as_deref()) {
                crate::chain::solana::parse_address(hook)
                    .map_err(|_| bad(format!("the transfer hook program {hook:?} is not a Solana address")))?;
            }
            let (exists, frozen) = (send.recipient_token_account_exists, send.recipient_token_account_frozen);
            if let Some(reason) = token_refusal(t, exists, frozen) {
                return Err(SendError::TokenNotSendable { mint: sol::base58(&mint), reason });
            }
            let mut ixs = Vec::new();
            let mut notes = Vec::new();
            let mut deposit = 0;
            if !send.recipient_token_account_exists {
                // The Associated Token Account program sizes a Token-2022 account from the mint's extensions.
                deposit = new_token_account_rent(t);
                ixs.push(Ix {
                    program: key(sol::ASSOCIATED_TOKEN_PROGRAM),
                    accounts: vec![s(from), w(ata), r(to), r(mint), r(system), r(program)],
                    data: vec![1],
                    units: compute_units(SweepInstruction::CreateTokenAccount),
                });
                notes.push(format!(
                    "creates the recipient's token account {} if it does not exist yet (rent up to {}, paid by the \
                     sender)",
                    sol::base58(&ata),
                    sol::format_sol(deposit)
                ));
            }
            let asset = format!("token of mint {}", sol::base58(&mint));
            (ixs, asset, t.decimals, deposit, notes, Some(((*t).clone(), source, mint, ata, program)))
        }
    };
    // The amount.
    let balance = match &token {
        Some((t, ..)) => u128::from(t.amount),
        None => u128::from(holdings.lamports),
    };
    let with_payment = |amount: u64| -> Vec<Ix> {
        let mut all = body.clone();
        match &token {
            None => all.push(system_ix(2, &amount.to_le_bytes(), vec![s(from), w(to)])),
            Some((t, source, mint, ata, program)) => {
                let mut data = vec![12];
                data.extend_from_slice(&amount.to_le_bytes());
                data.push(t.decimals);
                all.push(Ix {
                    program: *program,
                    accounts: vec![w(*source), r(*mint), w(*ata), s(from)],
                    data,
                    units: compute_units(SweepInstruction::TransferChecked),
                });
            }
        }
        all
    };
    // Prefix: AdvanceNonceAccount first for a durable nonce, then the compute budget with a priority fee.
    let units_of = |ixs: &[Ix]| ixs.iter().map(|i| i.units).sum::<u32>();
    let prefix = |body_units: u32| -> Vec<Ix> {
        let mut out = Vec::new();
        if let SolanaRecent::Nonce { account, .. } = &send.recent {
            out.push(system_ix(4, &[], vec![w(*account), r(key(RECENT_BLOCKHASHES_SYSVAR)), s(from)]));
        }
        if price > 0 {
            let cb = key(sol::COMPUTE_BUDGET_PROGRAM);
            let u = compute_units(SweepInstruction::ComputeBudget);
            let pre: u32 = out.iter().map(|i| i.units).sum::<u32>() + 2 * u;
            let mut limit = vec![2u8];
            limit.extend_from_slice(&(pre + body_units).to_le_bytes());
            let mut p = vec![3u8];
            p.extend_from_slice(&price.to_le_bytes());
            out.push(Ix { program: cb, accounts: vec![], data: limit, units: u });
            out.push(Ix { program: cb, accounts: vec![], data: p, units: u });
        }
        out
    };
    let body_units = units_of(&with_payment(0));
    let pre = prefix(body_units);
    let limit = units_of(&pre) + body_units;
    let priority = if price > 0 { priority_fee(price, limit) } else { 0 };
    if priority > MAX_SOLANA_PRIORITY_FEE {
        return Err(SendError::BadFee { reason: "the priority fee is above 0.01 SOL (10000000 lamports)" });
    }
    let fee = LAMPORTS_PER_SIGNATURE + priority;
    let lamports = u128::from(holdings.lamports);
    let costs = u128::from(fee) + u128::from(deposit);
    let amount: u128 = match (send.amount, &token) {
        (Amount::Max, None) => lamports
            .checked_sub(costs)
            .filter(|a| *a > 0)
            .ok_or(SendError::FeeOverBalance { needed: costs, balance: lamports })?,
        (Amount::Max, Some(_)) => balance,
        (Amount::Exact(a), _) => a,
    };
    if amount == 0 {
        return Err(SendError::ZeroAmount);
    }
    let sol_needed = if token.is_none() { amount + costs } else { costs };
    if token.is_none() && sol_needed > lamports {
        return Err(SendError::OverBalance { asset, needed: sol_needed, balance: lamports });
    }
    if token.is_some() {
        if amount > balance {
            return Err(SendError::OverBalance { asset, needed: amount, balance });
        }
        if costs > lamports {
            return Err(SendError::FeeOverBalance { needed: costs, balance: lamports });
        }
    }
    let left = lamports - sol_needed;
    if left > 0 && left < u128::from(RENT_EXEMPT_SYSTEM_ACCOUNT) {
        return Err(SendError::BelowMinimumLeft { left, minimum: u128::from(RENT_EXEMPT_SYSTEM_ACCOUNT) });
    }
    if token.is_none() && send.recipient_lamports == Some(0) && amount < u128::from(RENT_EXEMPT_SYSTEM_ACCOUNT) {
        return Err(SendError::NewAccountBelowRent { minimum: u128::from(RENT_EXEMPT_SYSTEM_ACCOUNT) });
    }
    let amount64 = u64::try_from(amount).map_err(|_| SendError::AmountTooLarge)?;
    // A Token-2022 transfer fee is withheld in the recipient's account: less arrives than is sent.
    let transfer_fee = match &token {
        Some((t, ..)) => t.token_2022.as_ref().and_then(|e| e.transfer_fee).map_or(0, |f| f.fee(amount64)),
        None => 0,
    };
    let mut notes = notes;
    if transfer_fee > 0 {
        notes.push(format!(
            "the mint's transfer fee withholds {} of the amount in the recipient's token account: {} arrive",
            super::format_units(u128::from(transfer_fee), decimals),
            super::format_units(u128::from(amount64 - transfer_fee), decimals)
        ));
    }
    let mut all = pre;
    all.extend(with_payment(amount64));
    let blockhash = match &send.recent {
        SolanaRecent::Blockhash(h) => *h,
        SolanaRecent::Nonce { value, .. } => *value,
    };
    let message = compile(&from, &all, &blockhash);
    let wire = sol::encode_transaction(&[[0u8; 64]], &message);
    if wire.len() > PACKET_DATA_SIZE {
        return Err(mismatch("the transaction is larger than a packet"));
    }
    let request = crate::sign::SignRequest::new(Chain::Solana, crate::sign::Payload::TransactionBytes(wire));
    let decoded = decode(&request)?;
    let ata = token.as_ref().map(|(_, source, mint, ata, _)| (*source, *mint, *ata));
    check(&decoded, from, to, amount64, ata, decimals, fee)?;
    let asset = match &send.mint {
        None => "SOL".to_owned(),
        Some(m) => m.trim().to_owned(),
    };
    Ok(BuiltSend {
        request,
        decoded,
        asset,
        amount,
        decimals,
        fee: u128::from(fee),
        deposit: u128::from(deposit),
        transfer_fee: u128::from(transfer_fee),
        notes,
    })
}

/// The decoded transaction pays exactly `amount` from `from` to `to` (SOL, or the token through its associated
/// account), signed by `from` alone, costs `fee`, and does nothing else (compute budget and the nonce advance aside).
fn check(
    decoded: &crate::sign::Decoded,
    from: [u8; 32],
    to: [u8; 32],
    amount: u64,
    token: Option<([u8; 32], [u8; 32], [u8; 32])>,
    decimals: u8,
    fee: u64,
) -> Result<(), SendError> {
    let summary = decoded.summary();
    let Details::Solana(tx) = &summary.details else { return Err(mismatch("not a Solana transaction")) };
    if !summary.fully_decoded() {
        return Err(mismatch(format!("not fully decoded: {:?}", summary.undecoded)));
    }
    if tx.message.signers() != [from] {
        return Err(mismatch("the sender is not the only signer"));
    }
    if summary.max_fee.as_ref().map(|f| f.base_units) != Some(u128::from(fee)) {
        return Err(mismatch("the fee differs"));
    }
    let k = |a: &AccountRef| a.key();
    let mut paid = 0;
    for action in tx.message.actions() {
        match (action, token) {
            (Action::ComputeUnitLimit(_) | Action::ComputeUnitPrice(_), _) => {}
            (Action::SystemAdvanceNonce { authority, .. }, _) if k(&authority) == Some(from) => {}
            (Action::SystemTransfer { from: f, to: t, lamports }, None)
                if k(&f) == Some(from) && k(&t) == Some(to) && lamports == amount =>
            {
                paid += 1;
            }
            (
                Action::CreateAssociatedTokenAccount { payer, account, wallet, mint, idempotent: true },
                Some((_, m, ata)),
            ) if k(&payer) == Some(from)
                && k(&account) == Some(ata)
                && k(&wallet) == Some(to)
                && k(&mint) == Some(m) => {}
            (
                Action::TokenTransferChecked { source, mint, destination, authority, amount: a, decimals: d },
                Some((src, m, ata)),
            ) if k(&source) == Some(src)
                && k(&mint) == Some(m)
                && k(&destination) == Some(ata)
                && k(&authority) == Some(from)
                && a == amount
                && d == decimals =>
            {
                paid += 1;
            }
            (other, _) => return Err(mismatch(format!("unexpected instruction {other:?}"))),
        }
    }
    if paid != 1 { Err(mismatch("the payment is not in it exactly once")) } else { Ok(()) }
}
