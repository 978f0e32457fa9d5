//! The complete Solana sweep, built from [`SolanaHoldings`]: every token account, stake account and nonce account,
//! then the SOL, in as many legacy transactions as the packet limit needs, each signed by the old account alone.
//!
//! Per holding, in this order (a holding's instructions always share one transaction, so each is atomic):
//!
//! - **Token account** (SPL Token or Token-2022) with a balance: Associated Token Account `CreateIdempotent` of the
//!   new address's token account for the mint (paid by the old account), `TransferChecked` of the whole balance to
//!   it, `CloseAccount` with the account's rent to the new address. An empty token account is only closed.
//!   Token-2022 extensions ([`Token2022Extensions`](crate::holdings::solana::Token2022Extensions)): the new
//!   account's rent is that of its size under the mint's extensions; a transfer fee is shown as withheld from what
//!   arrives; fees withheld in the old account are first harvested to the mint (`HarvestWithheldTokensToMint`, or
//!   the close would fail); the tokens of a non-transferable, hooked (with a program), paused or
//!   default-frozen (new account not there yet) mint stay, with the reason, and an account with a confidential
//!   balance stays open. Tokens whose new account exists already and is frozen stay too (the transfer into it would
//!   fail the whole transaction).
//! - **Stake account** whose withdrawer is the old address: Stake `Authorize` of the staker, then of the withdrawer,
//!   to the new address (the stake stays delegated; nothing is unstaked). Where the old address is only the staker,
//!   only the staker moves (the lamports stay with their withdrawer: listed as staying, with why).
//! - **Nonce account** whose authority is the old address: System `AuthorizeNonceAccount` to the new address.
//! - **SOL**, last: a System transfer of the balance minus every fee and every rent deposit the sweep pays, so the
//!   old account ends at exactly 0. Between transactions it keeps at least the rent-exempt minimum of an empty
//!   account ([`RENT_EXEMPT_SYSTEM_ACCOUNT`]), as the runtime requires of a fee payer that is not emptied.
//!
//! Each transaction starts with `AdvanceNonceAccount` when it uses a durable nonce (one nonce account per
//! transaction: advancing a nonce changes its value, so two transactions cannot be signed on one), then, with a
//! priority fee, `SetComputeUnitLimit` (the sum of [`compute_units`] of its instructions) and `SetComputeUnitPrice`.
//! Its fee is 5000 lamports (one signature) + ⌈price × limit / 10⁶⌉, computed from the message as the runtime does.
//!
//! Sources for the program ids and instruction layouts (checked against the decoder in [`crate::sign::solana`] and,
//! in the CLI's runtime test, against LiteSVM executing them):
//! - Associated Token Account: id `ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL`; `CreateIdempotent` is instruction
//!   1 (Borsh enum tag, no further data), accounts [funding (writable, signer), associated account (writable),
//!   wallet, mint, System program, token program]; address = PDA of seeds [wallet, token program, mint]
//!   (<https://github.com/solana-program/associated-token-account/blob/main/interface/src/instruction.rs>,
//!   `get_associated_token_address_and_bump_seed_internal` in `interface/src/address.rs`).
//! - SPL Token / Token-2022 (same layout for these): `TransferChecked` = 12, amount u64 LE, decimals u8; accounts
//!   [source (w), mint, destination (w), owner (s)]. `CloseAccount` = 9; accounts [account (w), destination (w),
//!   owner (s)] (<https://github.com/solana-program/token/blob/main/interface/src/instruction.rs>).
//! - Stake: id `Stake11111111111111111111111111111111111111`; `Authorize(Pubkey, StakeAuthorize)` = bincode u32 1,
//!   32-byte key, u32 (0 staker, 1 withdrawer); accounts [stake (w), Clock sysvar, authority (s)]
//!   (<https://github.com/solana-program/stake/blob/main/interface/src/instruction.rs>).
//! - System: `AuthorizeNonceAccount(Pubkey)` = u32 7 + key, accounts [nonce (w), authority (s)];
//!   `AdvanceNonceAccount` = u32 4, accounts [nonce (w), RecentBlockhashes sysvar, authority (s)]; `Transfer` = u32 2 +
//!   u64 (<https://github.com/anza-xyz/solana-sdk/blob/master/system-interface/src/instruction.rs>).
//! - PDAs: sha256(seeds ‖ bump ‖ program id ‖ "ProgramDerivedAddress"), the first bump from 255 down whose hash is
//!   not an ed25519 point (<https://github.com/anza-xyz/solana-sdk/blob/master/pubkey/src/lib.rs>,
//!   `create_program_address` / `find_program_address`).
//! - Rent: (128 + data length) × 3480 lamports × 2 years (<https://solana.com/docs/core/fees/rent>); the packet
//!   limit 1232 bytes (`PACKET_DATA_SIZE`, <https://solana.com/docs/core/transactions>).

use sha2::Digest as _;

use super::{MigrateError, SolanaRecent};
use crate::holdings::solana::TokenRefusal;
use crate::holdings::solana::{SolanaHoldings, TokenProgram};
use crate::sign::solana as sol;

/// The most bytes a serialized transaction may have (`PACKET_DATA_SIZE`).
pub const PACKET_DATA_SIZE: usize = 1232;
/// The rent-exempt minimum of an account without data (a plain wallet), in lamports.
pub const RENT_EXEMPT_SYSTEM_ACCOUNT: u64 = rent_exempt_minimum(0);
/// The most holdings of each kind one sweep takes (a bound on untrusted input, far above real wallets).
pub const MAX_SWEEP_HOLDINGS: usize = 1000;
/// The most compute units a transaction may request.
const MAX_TX_COMPUTE_UNITS: u32 = sol::MAX_COMPUTE_UNIT_LIMIT;
/// Why a token account with a confidential balance stays open.
const CONFIDENTIAL: &str = "it holds a confidential (encrypted) balance, which the Token-2022 program refuses to close \
                            with: its public balance moves, the account stays open until its owner empties the \
                            confidential balance with software holding its encryption key";

/// Rent-exempt minimum for an account of `data_len` bytes: (128 + len) × 3480 × 2 lamports.
#[must_use]
pub const fn rent_exempt_minimum(data_len: u64) -> u64 {
    (128 + data_len) * 3480 * 2
}

/// The rent-exempt deposit of a new associated token account for `t`'s mint: 165 bytes under SPL Token; under
/// Token-2022 the size the Associated Token Account program gives it from the mint's extensions
/// ([`crate::holdings::solana::Token2022Extensions::new_account_len`]). Shared by the sweep and send.
#[must_use]
pub(crate) fn new_token_account_rent(t: &crate::holdings::solana::TokenAccount) -> u64 {
    rent_exempt_minimum(match t.program {
        TokenProgram::SplToken => 165,
        TokenProgram::Token2022 => t.token_2022.clone().unwrap_or_default().new_account_len(),
    })
}

/// Why the token program would refuse moving `t`'s tokens into the owner's associated token account for its mint
/// (which exists: `destination_exists`; frozen: `destination_frozen`), or `None` when it would not (`process_transfer`
/// in program/src/processor.rs of <https://github.com/solana-program/token-2022>; a frozen destination refuses under
/// SPL Token too). One rule for the sweep (which leaves such tokens, with the reason) and send (which refuses).
#[must_use]
pub(crate) fn token_refusal(
    t: &crate::holdings::solana::TokenAccount,
    destination_exists: bool,
    destination_frozen: bool,
) -> Option<TokenRefusal> {
    let ext = t.token_2022.clone().unwrap_or_default();
    if destination_frozen {
        Some(TokenRefusal::RecipientFrozen)
    } else if ext.non_transferable {
        Some(TokenRefusal::NonTransferable)
    } else if let Some(program) = ext.transfer_hook_program {
        Some(TokenRefusal::TransferHook { program })
    } else if ext.paused {
        Some(TokenRefusal::Paused)
    } else if ext.default_frozen && !destination_exists {
        Some(TokenRefusal::NewAccountFrozen)
    } else {
        None
    }
}

/// Base58 program id / sysvar as bytes (constants of [`crate::sign::solana`], checked by a test).
pub(crate) fn key(b58: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    let _ = bs58::decode(b58).onto(&mut out[..]);
    out
}

pub(crate) const RECENT_BLOCKHASHES_SYSVAR: &str = "SysvarRecentB1ockHashes11111111111111111111";

/// Finds a program-derived address: the first bump from 255 down whose sha256(seeds ‖ bump ‖ program ‖
/// "ProgramDerivedAddress") is not a point of the ed25519 curve. `None` if no bump works (odds 2⁻²⁵⁶).
#[must_use]
pub fn find_program_address(seeds: &[&[u8]], program: &[u8; 32]) -> Option<([u8; 32], u8)> {
    (0..=255u8).rev().find_map(|bump| {
        let mut h = sha2::Sha256::new();
        for s in seeds {
            h.update(s);
        }
        h.update([bump]);
        h.update(program);
        h.update(b"ProgramDerivedAddress");
        let out: [u8; 32] = h.finalize().into();
        // On the curve (it decompresses) is a possible public key: not a PDA.
        ed25519_dalek::VerifyingKey::from_bytes(&out).is_err().then_some((out, bump))
    })
}

/// The associated token account of `wallet` for `mint` under `program`.
#[must_use]
pub fn associated_token_address(wallet: &[u8; 32], mint: &[u8; 32], program: TokenProgram) -> Option<[u8; 32]> {
    let token = key(program.id());
    find_program_address(&[wallet, &token, mint], &key(sol::ASSOCIATED_TOKEN_PROGRAM)).map(|(a, _)| a)
}

/// The compute units a sweep reserves per instruction kind when it sets a priority fee (the limit is what is
/// charged, so these are generous upper bounds of what the programs use).
#[must_use]
pub fn compute_units(what: SweepInstruction) -> u32 {
    match what {
        // CreateIdempotent makes up to four CPIs (Token-2022: data size, create account, immutable owner, init).
        SweepInstruction::CreateTokenAccount => 80_000,
        SweepInstruction::TransferChecked | SweepInstruction::CloseAccount | SweepInstruction::HarvestWithheld => {
            15_000
        }
        SweepInstruction::StakeAuthorize => 30_000,
        SweepInstruction::System => 3_000,
        SweepInstruction::ComputeBudget => 1_000,
    }
}

/// The instruction kinds of a sweep (for [`compute_units`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SweepInstruction {
    /// Associated Token Account `CreateIdempotent`.
    CreateTokenAccount,
    /// Token `TransferChecked`.
    TransferChecked,
    /// Token `CloseAccount`.
    CloseAccount,
    /// Token-2022 `HarvestWithheldTokensToMint`.
    HarvestWithheld,
    /// Stake `Authorize`.
    StakeAuthorize,
    /// A System Program instruction (transfer, nonce advance or authorize).
    System,
    /// A Compute Budget instruction.
    ComputeBudget,
}

/// How the full sweep is paid and made recent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSweepOptions {
    /// The priority fee as a compute-unit price in micro-lamports (0: none, and no compute-budget instructions).
    pub compute_unit_price: u64,
    /// One recent blockhash for every transaction, or one entry per transaction (durable nonces: each transaction
    /// advances its own nonce account, so a sweep of N transactions needs N of them).
    pub recent: Vec<SolanaRecent>,
}

/// A token account's rent deposit for a preview line: ` (0.002039280 SOL)`, or nothing when the holdings did not
/// say (the network's token-account answers carry no lamports; the field is informational).
fn rent_shown(lamports: u64) -> String {
    if lamports == 0 { String::new() } else { format!(" ({})", sol::format_sol(lamports)) }
}

/// One transaction of the sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepTransaction {
    /// The unsigned transaction (base64, one empty signature slot), as `SignRequest` takes it.
    pub tx: String,
    /// Its fee in lamports (signature + priority fee).
    pub fee: u64,
    /// Rent deposits it pays for the new address's token accounts, in lamports.
    pub rent: u64,
    /// What it moves, one line per holding.
    pub moves: Vec<String>,
}

/// Something the sweep leaves behind, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// What (an account and its content).
    pub what: String,
    /// Why it stays.
    pub why: String,
}

/// The complete sweep of one address: its transactions (sign and broadcast them in order) and what stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSweepPlan {
    /// The transactions, in the order they must be executed (the SOL transfer is in the last).
    pub transactions: Vec<SweepTransaction>,
    /// What stays behind, with the reason.
    pub left: Vec<Left>,
    /// All fees, in lamports.
    pub fees: u64,
    /// All rent deposits paid for the new address's token accounts, in lamports.
    pub rent: u64,
    /// The SOL moved by the last transfer, in lamports.
    pub sol: u64,
}

#[derive(Clone)]
pub(crate) struct Meta {
    key: [u8; 32],
    signer: bool,
    writable: bool,
}

#[derive(Clone)]
pub(crate) struct Ix {
    pub(crate) program: [u8; 32],
    pub(crate) accounts: Vec<Meta>,
    pub(crate) data: Vec<u8>,
    pub(crate) units: u32,
}

pub(crate) const fn w(key: [u8; 32]) -> Meta {
    Meta { key, signer: false, writable: true }
}
pub(crate) const fn r(key: [u8; 32]) -> Meta {
    Meta { key, signer: false, writable: false }
}
pub(crate) const fn s(key: [u8; 32]) -> Meta {
    Meta { key, signer: true, writable: true }
}

pub(crate) fn system_ix(tag: u32, rest: &[u8], accounts: Vec<Meta>) -> Ix {
    let mut data = tag.to_le_bytes().to_vec();
    data.extend_from_slice(rest);
    Ix { program: [0; 32], accounts, data, units: compute_units(SweepInstruction::System) }
}

/// Compiles a legacy message: the payer first, then writable signers, read-only signers, writable and read-only
/// non-signers, each group in first-use order (accounts of an instruction, then its program).
pub(crate) fn compile(payer: &[u8; 32], ixs: &[Ix], blockhash: &[u8; 32]) -> Vec<u8> {
    let mut keys: Vec<Meta> = vec![s(*payer)];
    let mut add = |m: &Meta| match keys.iter_mut().find(|k| k.key == m.key) {
        Some(k) => {
            k.signer |= m.signer;
            k.writable |= m.writable;
        }
        None => keys.push(m.clone()),
    };
    for ix in ixs {
        ix.accounts.iter().for_each(&mut add);
        add(&r(ix.program));
    }
    let rank = |m: &Meta| match (m.signer, m.writable) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    };
    // Stable: first use is kept within each group, and the payer (a writable signer) stays first.
    keys.sort_by_key(rank);
    let count = |f: &dyn Fn(&Meta) -> bool| u8::try_from(keys.iter().filter(|k| f(k)).count()).unwrap_or(u8::MAX);
    let mut out = vec![count(&|k| k.signer), count(&|k| k.signer && !k.writable), count(&|k| !k.signer && !k.writable)];
    push_compact(&mut out, keys.len());
    for k in &keys {
        out.extend_from_slice(&k.key);
    }
    out.extend_from_slice(blockhash);
    push_compact(&mut out, ixs.len());
    let index = |k: &[u8; 32]| u8::try_from(keys.iter().position(|m| m.key == *k).unwrap_or(0)).unwrap_or(u8::MAX);
    for ix in ixs {
        out.push(index(&ix.program));
        push_compact(&mut out, ix.accounts.len());
        out.extend(ix.accounts.iter().map(|m| index(&m.key)));
        push_compact(&mut out, ix.data.len());
        out.extend_from_slice(&ix.data);
    }
    out
}

fn push_compact(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// One holding's instructions (they always share a transaction).
struct Group {
    ixs: Vec<Ix>,
    /// Rent the old account pays in it.
    rent: u64,
    moves: String,
    /// The nonce account it re-authorizes, if any (a later transaction must not advance it).
    authorizes_nonce: Option<[u8; 32]>,
}

fn bad(reason: String) -> MigrateError {
    MigrateError::BadHoldings { reason }
}

fn parse(text: &str, what: &str) -> Result<[u8; 32], MigrateError> {
    crate::chain::solana::parse_address(text).map_err(|_| bad(format!("{what} {text:?} is not a Solana address")))
}

/// Builds the complete sweep of `holdings` (the old address of a plan row) to `new`.
///
/// # Errors
/// [`MigrateError::BadHoldings`] for holdings of another address, an address that does not parse, a duplicate or
/// too many holdings; [`MigrateError::BadFee`] for a priority fee above the guard's cap; [`MigrateError::BadBlockhash`]
/// without a recent blockhash; [`MigrateError::TooFewNonces`] when durable nonces are used and there are fewer than
/// transactions (or a nonce account is re-authorized before the transaction that advances it);
/// [`MigrateError::SolanaFundsShort`] when the SOL does not cover the fees and rent deposits, or would fall below the
/// rent-exempt minimum between transactions.
pub fn build_solana_full_sweep(
    old: &str,
    new: &str,
    holdings: &SolanaHoldings,
    options: &SolanaSweepOptions,
) -> Result<SolanaSweepPlan, MigrateError> {
    match build(old, new, holdings, options) {
        Err(MigrateError::TooFewNonces { given, .. }) => {
            // How many it needs: the same sweep with a made-up nonce account for each holding beyond those given
            // (a transaction holds at least one holding, so these never run out).
            let mut padded = options.clone();
            let groups = holdings.token_accounts.len() + holdings.stake_accounts.len() + holdings.nonce_accounts.len();
            for i in 0..=groups {
                let mut account = [0xfe; 32];
                account[..8].copy_from_slice(&(i as u64).to_le_bytes());
                padded.recent.push(SolanaRecent::Nonce { account, value: [0xfd; 32] });
            }
            let needed = build(old, new, holdings, &padded).map_or(given + 1, |p| p.transactions.len().max(given + 1));
            Err(MigrateError::TooFewNonces { given, needed })
        }
        other => other,
    }
}

/// [`build_solana_full_sweep`] without counting the nonce accounts it would need.
fn build(
    old: &str,
    new: &str,
    holdings: &SolanaHoldings,
    options: &SolanaSweepOptions,
) -> Result<SolanaSweepPlan, MigrateError> {
    let old_key = parse(old, "the old address")?;
    let new_key = parse(new, "the new address")?;
    if parse(&holdings.address, "the holdings' address")? != old_key {
        return Err(bad(format!("the holdings are for {}, not for the planned old address {old}", holdings.address)));
    }
    if holdings.token_accounts.len() > MAX_SWEEP_HOLDINGS
        || holdings.stake_accounts.len() > MAX_SWEEP_HOLDINGS
        || holdings.nonce_accounts.len() > MAX_SWEEP_HOLDINGS
    {
        return Err(bad(format!("more than {MAX_SWEEP_HOLDINGS} accounts of one kind")));
    }
    if options.recent.is_empty() {
        return Err(MigrateError::BadBlockhash { what: "blockhash" });
    }
    let mut seen: Vec<[u8; 32]> = vec![old_key, new_key];
    let mut unique = |k: [u8; 32], text: &str| {
        if seen.contains(&k) {
            return Err(bad(format!("account {text} is listed twice (or is the old or new address)")));
        }
        seen.push(k);
        Ok(())
    };
    let mut groups = Vec::new();
    let mut left = Vec::new();
    let system = [0u8; 32];
    for t in &holdings.token_accounts {
        let account = parse(&t.address, "token account")?;
        unique(account, &t.address)?;
        let mint = parse(&t.mint, "mint")?;
        let program = key(t.program.id());
        let mut ixs = Vec::new();
        let mut rent = 0;
        let units = |k| compute_units(k);
        let shown = sol::decimal(t.amount, t.decimals);
        // A frozen account refuses every transfer and close: in a transaction it would make the whole transaction
        // fail (and with it everything else in it), so it is left, with the reason.
        if t.frozen {
            left.push(Left {
                what: format!("{shown} of mint {} in token account {} ({})", t.mint, t.address, t.program.name()),
                why: "the account is frozen by its mint's freeze authority: nothing can move or close it until it is \
                      thawed"
                    .into(),
            });
            continue;
        }
        if t.token_2022.is_some() && t.program != TokenProgram::Token2022 {
            return Err(bad(format!("token account {} states Token-2022 extensions but is SPL Token's", t.address)));
        }
        let ext = t.token_2022.clone().unwrap_or_default();
        if let Some(hook) = &ext.transfer_hook_program {
            parse(hook, "transfer hook program")?;
        }
        // Token-2022 mints whose tokens cannot move in this transaction: the Token-2022 program would refuse the
        // transfer, and with it the whole transaction (`process_transfer` in program/src/processor.rs of
        // <https://github.com/solana-program/token-2022>). The account is left whole, with the reason; an empty one
        // is still closed (closing does not check these).
        let destination_exists = t.destination_rent == Some(0);
        let stuck = token_refusal(t, destination_exists, t.destination_frozen).map(|refusal| match refusal {
            TokenRefusal::RecipientFrozen => format!(
                "the new address's token account for this mint exists and is frozen: nothing can be moved into it \
                 until the mint's freeze authority thaws it{}",
                if ext.default_frozen { " (the mint's default account state is frozen)" } else { "" }
            ),
            TokenRefusal::TransferHook { program } => format!(
                "its mint has a transfer hook (program {program}): every transfer calls that program with extra \
                 accounts that Coffer does not resolve; move them with software that does"
            ),
            TokenRefusal::NewAccountFrozen => "its mint's default account state is frozen: the new address's token \
                 account would be created frozen and could not receive them until the mint's freeze authority thaws it"
                .into(),
            other => other.to_string(),
        });
        if let (Some(why), true) = (stuck, t.amount > 0) {
            left.push(Left {
                what: format!("{shown} of mint {} in token account {} ({})", t.mint, t.address, t.program.name()),
                why,
            });
            continue;
        }
        // Only the close authority (the owner when none is set) may close the account, and Token-2022 refuses to
        // close one holding a confidential balance (`ConfidentialTransferAccount::closable`).
        let closable = t.close_authority.as_deref().is_none_or(|a| parse(a, "close authority").ok() == Some(old_key));
        if closable && ext.confidential_balance && t.amount == 0 {
            left.push(Left {
                what: format!("token account {} (mint {}, {})", t.address, t.mint, t.program.name()),
                why: CONFIDENTIAL.into(),
            });
            continue;
        }
        if !closable && t.amount == 0 {
            left.push(Left {
                what: format!("empty token account {} (mint {}, {})", t.address, t.mint, t.program.name()),
                why: format!(
                    "its close authority is {}, not this address: its rent stays",
                    t.close_authority.as_deref().unwrap_or_default()
                ),
            });
            continue;
        }
        let moves = if t.amount > 0 {
            let ata = associated_token_address(&new_key, &mint, t.program)
                .ok_or_else(|| bad(format!("no associated token account for mint {}", t.mint)))?;
            // The Associated Token Account program sizes a Token-2022 account from the mint's extensions.
            rent = t.destination_rent.unwrap_or_else(|| new_token_account_rent(t));
            ixs.push(Ix {
                program: key(sol::ASSOCIATED_TOKEN_PROGRAM),
                accounts: vec![s(old_key), w(ata), r(new_key), r(mint), r(system), r(program)],
                data: vec![1],
                units: units(SweepInstruction::CreateTokenAccount),
            });
            let mut data = vec![12];
            data.extend_from_slice(&t.amount.to_le_bytes());
            data.push(t.decimals);
            ixs.push(Ix {
                program,
                accounts: vec![w(account), r(mint), w(ata), s(old_key)],
                data,
                units: units(SweepInstruction::TransferChecked),
            });
            // A transfer fee is withheld in the receiving account: the new address receives less.
            let arrives = ext.transfer_fee.map_or(String::new(), |f| {
                let fee = f.fee(t.amount);
                format!(
                    " ({} arrive: the mint's transfer fee withholds {} in the new token account)",
                    sol::decimal(t.amount - fee, t.decimals),
                    sol::decimal(fee, t.decimals)
                )
            });
            format!(
                "{shown} of mint {} ({}, {} base units) from token account {} to the new address's token account \
                 {}{arrives}; the account's rent{} to the new address",
                t.mint,
                t.program.name(),
                t.amount,
                t.address,
                sol::base58(&ata),
                rent_shown(t.lamports)
            )
        } else {
            format!(
                "empty token account {} (mint {}, {}) closed: its rent{} to the new address",
                t.address,
                t.mint,
                t.program.name(),
                rent_shown(t.lamports)
            )
        };
        if closable && ext.confidential_balance {
            left.push(Left {
                what: format!("the rent of token account {} (mint {})", t.address, t.mint),
                why: CONFIDENTIAL.into(),
            });
        } else if closable {
            // Withheld transfer fees block the close: the permissionless `HarvestWithheldTokensToMint` (Token-2022
            // instruction 26, transfer-fee sub-instruction 4; accounts [mint (w), source (w)];
            // interface/src/extension/transfer_fee/instruction.rs) first moves them to the mint, where they belong
            // to the mint's withdraw authority anyway (never to the owner).
            if ext.withheld > 0 {
                ixs.push(Ix {
                    program,
                    accounts: vec![w(mint), w(account)],
                    data: vec![26, 4],
                    units: units(SweepInstruction::HarvestWithheld),
                });
            }
            ixs.push(Ix {
                program,
                accounts: vec![w(account), w(new_key), s(old_key)],
                data: vec![9],
                units: units(SweepInstruction::CloseAccount),
            });
        } else {
            left.push(Left {
                what: format!("the rent of token account {} (mint {})", t.address, t.mint),
                why: format!(
                    "its close authority is {}, not this address: the tokens move, the account stays open",
                    t.close_authority.as_deref().unwrap_or_default()
                ),
            });
        }
        groups.push(Group { ixs, rent, moves, authorizes_nonce: None });
    }
    let authorize = |stake: [u8; 32], role: u32| {
        let mut data = 1u32.to_le_bytes().to_vec();
        data.extend_from_slice(&new_key);
        data.extend_from_slice(&role.to_le_bytes());
        Ix {
            program: key(sol::STAKE_PROGRAM),
            accounts: vec![w(stake), r(key(sol::CLOCK_SYSVAR)), s(old_key)],
            data,
            units: compute_units(SweepInstruction::StakeAuthorize),
        }
    };
    for st in &holdings.stake_accounts {
        let account = parse(&st.address, "stake account")?;
        unique(account, &st.address)?;
        let staker = parse(&st.staker, "staker")?;
        let withdrawer = parse(&st.withdrawer, "withdrawer")?;
        let what = format!("stake account {} ({})", st.address, sol::format_sol(st.lamports));
        // Under a lockup that may be in force (the builder knows neither the cluster's time nor its epoch) the stake
        // program refuses a withdrawer change not signed by the custodian, and with it the whole transaction: the
        // staker moves alone (the lockup does not restrict it) and the withdrawer is listed, with the reason.
        if let (Some(l), true) = (&st.lockup, withdrawer == old_key) {
            groups.push(Group {
                ixs: vec![authorize(account, 0)],
                rent: 0,
                moves: format!("{what}: staker to the new address (the stake stays delegated)"),
                authorizes_nonce: None,
            });
            left.push(Left {
                what: format!("the withdrawer of {what}"),
                why: format!(
                    "a lockup until unix time {} and epoch {} (custodian {}): only the custodian can change the \
                     withdrawer before it ends; sweep again after it",
                    l.unix_timestamp, l.epoch, l.custodian
                ),
            });
            continue;
        }
        if withdrawer == old_key {
            // The withdrawer may change the staker too; the staker first, while the old address still signs for it.
            groups.push(Group {
                ixs: vec![authorize(account, 0), authorize(account, 1)],
                rent: 0,
                moves: format!("{what}: staker and withdrawer to the new address (the stake stays delegated)"),
                authorizes_nonce: None,
            });
        } else if staker == old_key {
            groups.push(Group {
                ixs: vec![authorize(account, 0)],
                rent: 0,
                moves: format!("{what}: staker to the new address"),
                authorizes_nonce: None,
            });
            left.push(Left {
                what,
                why: format!(
                    "its withdrawer is {}, not this address: the lamports stay withdrawable by it (only the staker \
                     moves)",
                    st.withdrawer
                ),
            });
        } else {
            left.push(Left { what, why: "this address is neither its staker nor its withdrawer".into() });
        }
    }
    for n in &holdings.nonce_accounts {
        let account = parse(&n.address, "nonce account")?;
        unique(account, &n.address)?;
        let what = format!("nonce account {} ({})", n.address, sol::format_sol(n.lamports));
        if parse(&n.authority, "nonce authority")? == old_key {
            groups.push(Group {
                ixs: vec![system_ix(7, &new_key, vec![w(account), s(old_key)])],
                rent: 0,
                moves: format!("{what}: authority to the new address"),
                authorizes_nonce: Some(account),
            });
        } else {
            left.push(Left { what, why: format!("its authority is {}, not this address", n.authority) });
        }
    }
    // The SOL transfer last; its amount is set once every fee is known (the message size does not depend on it).
    let transfer = |lamports: u64| system_ix(2, &lamports.to_le_bytes(), vec![s(old_key), w(new_key)]);
    groups.push(Group { ixs: vec![transfer(0)], rent: 0, moves: String::new(), authorizes_nonce: None });

    let price = options.compute_unit_price;
    let recent_for = |i: usize| -> Result<&SolanaRecent, MigrateError> {
        match options.recent.as_slice() {
            [one @ SolanaRecent::Blockhash(_)] => Ok(one),
            all => all.get(i).ok_or(MigrateError::TooFewNonces { given: all.len(), needed: 0 }),
        }
    };
    let prefix = |recent: &SolanaRecent, units: u32| -> Vec<Ix> {
        let mut out = Vec::new();
        if let SolanaRecent::Nonce { account, .. } = recent {
            out.push(system_ix(4, &[], vec![w(*account), r(key(RECENT_BLOCKHASHES_SYSVAR)), s(old_key)]));
        }
        if price > 0 {
            let cb = key(sol::COMPUTE_BUDGET_PROGRAM);
            let mut limit = vec![2u8];
            limit.extend_from_slice(&units.to_le_bytes());
            let mut p = vec![3u8];
            p.extend_from_slice(&price.to_le_bytes());
            let u = compute_units(SweepInstruction::ComputeBudget);
            out.push(Ix { program: cb, accounts: vec![], data: limit, units: u });
            out.push(Ix { program: cb, accounts: vec![], data: p, units: u });
        }
        out
    };
    let blockhash = |recent: &SolanaRecent| match recent {
        SolanaRecent::Blockhash(h) => *h,
        SolanaRecent::Nonce { value, .. } => *value,
    };
    // The limit a transaction requests: its instructions (the compute-budget ones included).
    let limit_of = |recent: &SolanaRecent, body: &[Ix]| -> u32 {
        let pre: u32 = prefix(recent, 0).iter().map(|i| i.units).sum();
        pre.saturating_add(body.iter().map(|i| i.units).sum())
    };
    let message = |recent: &SolanaRecent, body: &[Ix]| {
        let mut all = prefix(recent, limit_of(recent, body));
        all.extend_from_slice(body);
        compile(&old_key, &all, &blockhash(recent))
    };
    let fits = |recent: &SolanaRecent, body: &[Ix]| {
        1 + 64 + message(recent, body).len() <= PACKET_DATA_SIZE
            && (price == 0 || limit_of(recent, body) <= MAX_TX_COMPUTE_UNITS)
            && body.len() + 3 <= 64
    };
    // Greedy packing, holdings in order.
    let mut packed: Vec<Vec<usize>> = vec![Vec::new()];
    for (gi, g) in groups.iter().enumerate() {
        let t = packed.len() - 1;
        let recent = recent_for(t)?;
        let mut body: Vec<Ix> = packed[t].iter().flat_map(|&j| groups[j].ixs.clone()).collect();
        body.extend(g.ixs.iter().cloned());
        if fits(recent, &body) {
            packed[t].push(gi);
            continue;
        }
        if packed[t].is_empty() {
            return Err(bad("one holding's instructions do not fit a transaction".into()));
        }
        let next = recent_for(t + 1)?;
        if !fits(next, &g.ixs) {
            return Err(bad("one holding's instructions do not fit a transaction".into()));
        }
        packed.push(vec![gi]);
    }
    // A nonce account re-authorized must not be advanced by a later transaction (its authority would be new).
    for (t, members) in packed.iter().enumerate() {
        for &gi in members {
            if let Some(n) = groups[gi].authorizes_nonce {
                for later in t + 1..packed.len() {
                    if matches!(recent_for(later)?, SolanaRecent::Nonce { account, .. } if *account == n) {
                        return Err(MigrateError::TooFewNonces { given: options.recent.len(), needed: 0 });
                    }
                }
            }
        }
    }
    // Fees and rent per transaction, then the SOL left for the last transfer.
    let mut costs = Vec::with_capacity(packed.len());
    for (t, members) in packed.iter().enumerate() {
        let body: Vec<Ix> = members.iter().flat_map(|&j| groups[j].ixs.clone()).collect();
        let priority = if price > 0 { priority_fee(price, limit_of(recent_for(t)?, &body)) } else { 0 };
        if priority > super::MAX_SOLANA_PRIORITY_FEE {
            return Err(MigrateError::BadFee {
                reason: "a transaction's priority fee is above the destination guard's cap of 10000000 lamports",
            });
        }
        let fee = sol::LAMPORTS_PER_SIGNATURE + priority;
        let rent: u64 = members.iter().map(|&j| groups[j].rent).sum();
        costs.push((fee, rent));
    }
    let total = costs.iter().fold(0u64, |a, (f, r)| a.saturating_add(*f).saturating_add(*r));
    let sol_left = holdings
        .lamports
        .checked_sub(total)
        .ok_or(MigrateError::SolanaFundsShort { needed: total, balance: holdings.lamports })?;
    let mut balance = holdings.lamports;
    for (fee, rent) in &costs[..costs.len() - 1] {
        balance -= fee + rent;
        if balance < RENT_EXEMPT_SYSTEM_ACCOUNT {
            return Err(MigrateError::SolanaFundsShort {
                needed: total.saturating_add(RENT_EXEMPT_SYSTEM_ACCOUNT),
                balance: holdings.lamports,
            });
        }
    }
    let last = groups.len() - 1;
    groups[last].ixs = vec![transfer(sol_left)];
    groups[last].moves =
        format!("{} ({sol_left} lamports) to the new address: the old address ends at 0", sol::format_sol(sol_left));
    let mut transactions = Vec::with_capacity(packed.len());
    for (t, members) in packed.iter().enumerate() {
        use base64::Engine as _;
        let body: Vec<Ix> = members.iter().flat_map(|&j| groups[j].ixs.clone()).collect();
        let msg = message(recent_for(t)?, &body);
        let wire = sol::encode_transaction(&[[0u8; 64]], &msg);
        transactions.push(SweepTransaction {
            tx: base64::engine::general_purpose::STANDARD.encode(wire),
            fee: costs[t].0,
            rent: costs[t].1,
            moves: members.iter().map(|&j| groups[j].moves.clone()).collect(),
        });
    }
    Ok(SolanaSweepPlan {
        fees: costs.iter().map(|c| c.0).sum(),
        rent: costs.iter().map(|c| c.1).sum(),
        sol: sol_left,
        transactions,
        left,
    })
}

pub(crate) fn priority_fee(price: u64, limit: u32) -> u64 {
    let micro = u128::from(price) * u128::from(limit);
    u64::try_from(micro.div_ceil(sol::MICRO_LAMPORTS_PER_LAMPORT)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
