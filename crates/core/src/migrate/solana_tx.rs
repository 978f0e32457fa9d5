//! The Solana sweep: a legacy message with one System Program transfer of balance − fee from the old account to the
//! new one, after a recent blockhash or, for a durable nonce, an `AdvanceNonceAccount` instruction first. With a
//! priority fee, `SetComputeUnitLimit` ([`SWEEP_COMPUTE_UNIT_LIMIT`]) and `SetComputeUnitPrice` come before the
//! transfer; the fee the runtime charges is then 5000 lamports × 1 signature + ⌈price × limit / 10⁶⌉, and the
//! transfer moves exactly the rest, so the old account ends at 0 lamports (allowed for a System account: it is
//! closed).
//!
//! ```text
//! message = header (1, 0, r) | compact-array<key> | blockhash | compact-array<instruction>
//! blockhash:  keys [old, new, System]               ix: System Transfer [0, 1]
//! nonce:      keys [old, nonce, new, System, RecentBlockhashes sysvar]
//!             ix0: System AdvanceNonceAccount [1, 4, 0]   ix1: System Transfer [0, 2]   blockhash = nonce value
//! priority:   ComputeBudget is the last key; SetComputeUnitLimit (02 u32) and SetComputeUnitPrice (03 u64, LE)
//!             come before the transfer (after AdvanceNonceAccount, which must stay first)
//! ```
//! Keys are ordered as `@solana/web3.js` compiles them (writable signers, writable non-signers, read-only
//! non-signers, each in first-use order). Checked against tests/vectors/solana_tx_transfer.json.

use super::MigrateError;

/// The network's fee per signature, in lamports (a sweep has one signature).
pub const DEFAULT_FEE_PER_SIGNATURE: u64 = 5000;
/// The compute-unit limit a sweep with a priority fee requests. A System transfer, an `AdvanceNonceAccount` and each
/// compute-budget instruction cost 150 units each (builtin programs), 600 at most here; 1000 leaves room, and makes
/// a price of 1000 micro-lamports per unit cost exactly 1 lamport.
pub const SWEEP_COMPUTE_UNIT_LIMIT: u32 = 1000;
/// `ComputeBudget111111111111111111111111111111`.
const COMPUTE_BUDGET_PROGRAM: [u8; 32] = [
    3, 6, 70, 111, 229, 33, 23, 50, 255, 236, 173, 186, 114, 195, 155, 231, 188, 140, 229, 187, 197, 247, 18, 107, 44,
    67, 155, 58, 64, 0, 0, 0,
];
/// `SysvarRecentB1ockHashes11111111111111111111`, read by `AdvanceNonceAccount`.
const RECENT_BLOCKHASHES_SYSVAR: [u8; 32] = [
    6, 167, 213, 23, 25, 44, 86, 142, 224, 138, 132, 95, 115, 210, 151, 136, 207, 3, 92, 49, 69, 178, 26, 179, 68, 216,
    6, 46, 169, 64, 0, 0,
];

/// What makes the transaction recent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SolanaRecent {
    /// A recent blockhash (`solana block` / `getLatestBlockhash`); the transaction expires after about a minute.
    Blockhash([u8; 32]),
    /// A durable nonce: the nonce account (whose authority must be the old account) and its current value.
    Nonce {
        /// The nonce account.
        account: [u8; 32],
        /// The stored nonce value (`solana nonce ACCOUNT`).
        value: [u8; 32],
    },
}

/// The old account's balance and the priority fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSweep {
    /// The balance in lamports (`solana balance --lamports ADDRESS`).
    pub balance: u64,
    /// The priority fee as a compute-unit price in micro-lamports (0: none, and no compute-budget instructions). It
    /// costs ⌈price × [`SWEEP_COMPUTE_UNIT_LIMIT`] / 10⁶⌉ lamports on top of the signature fee, at most
    /// [`MAX_SOLANA_PRIORITY_FEE`](super::MAX_SOLANA_PRIORITY_FEE) (the destination guard's cap).
    pub compute_unit_price: u64,
    /// Blockhash or durable nonce.
    pub recent: SolanaRecent,
}

impl SolanaSweep {
    /// The priority fee in lamports: ⌈price × limit / 10⁶⌉ (as the runtime rounds it).
    #[must_use]
    pub fn priority_fee(&self) -> u64 {
        let micro = u128::from(self.compute_unit_price) * u128::from(SWEEP_COMPUTE_UNIT_LIMIT);
        u64::try_from(micro.div_ceil(1_000_000)).unwrap_or(u64::MAX)
    }

    /// The whole fee the runtime charges, in lamports: [`DEFAULT_FEE_PER_SIGNATURE`] × 1 signature + the priority
    /// fee. The transfer moves the balance minus this.
    #[must_use]
    pub fn fee(&self) -> u64 {
        DEFAULT_FEE_PER_SIGNATURE.saturating_add(self.priority_fee())
    }
}

/// The compute-unit price (micro-lamports) whose sweep costs exactly `fee` lamports in all: the signature fee
/// (5000) and, for the excess, a priority fee (excess × 1000 micro-lamports per unit × [`SWEEP_COMPUTE_UNIT_LIMIT`]
/// units). This is what `coffer migrate sweep --chain solana --fee LAMPORTS` means.
///
/// # Errors
/// [`MigrateError::BadFee`] below 5000 lamports (the fee of the one signature) or when the excess is above the
/// destination guard's cap ([`MAX_SOLANA_PRIORITY_FEE`](super::MAX_SOLANA_PRIORITY_FEE)).
pub fn compute_unit_price_for_fee(fee: u64) -> Result<u64, MigrateError> {
    let excess = fee
        .checked_sub(DEFAULT_FEE_PER_SIGNATURE)
        .ok_or(MigrateError::BadFee { reason: "a Solana sweep pays at least 5000 lamports (one signature)" })?;
    check_priority_cap(excess)?;
    Ok(excess * (1_000_000 / u64::from(SWEEP_COMPUTE_UNIT_LIMIT)))
}

fn check_priority_cap(priority: u64) -> Result<(), MigrateError> {
    if priority > super::MAX_SOLANA_PRIORITY_FEE {
        return Err(MigrateError::BadFee {
            reason: "the priority fee is above the destination guard's cap of 10000000 lamports (0.01 SOL)",
        });
    }
    Ok(())
}

/// Parses a base58 blockhash, nonce value or nonce account (32 bytes).
///
/// # Errors
/// [`MigrateError::BadBlockhash`] naming `what`.
pub fn parse_blockhash(text: &str, what: &'static str) -> Result<[u8; 32], MigrateError> {
    let mut out = [0u8; 32];
    match bs58::decode(text.trim()).onto(&mut out[..]) {
        Ok(32) => Ok(out),
        _ => Err(MigrateError::BadBlockhash { what }),
    }
}

/// A compiled instruction: program index, account indices, data.
type Compiled = (u8, Vec<u8>, Vec<u8>);

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

/// The legacy message bytes of a transfer of `lamports` from `from` to `to` (raw keys), without a priority fee.
#[must_use]
pub fn transfer_message(from: &[u8; 32], to: &[u8; 32], lamports: u64, recent: &SolanaRecent) -> Vec<u8> {
    sweep_message(from, to, lamports, recent, 0)
}

/// The legacy message bytes of a sweep: with a `compute_unit_price` above 0, `SetComputeUnitLimit`
/// ([`SWEEP_COMPUTE_UNIT_LIMIT`]) and `SetComputeUnitPrice` before the transfer of `lamports`.
#[must_use]
pub fn sweep_message(
    from: &[u8; 32],
    to: &[u8; 32],
    lamports: u64,
    recent: &SolanaRecent,
    compute_unit_price: u64,
) -> Vec<u8> {
    let system = [0u8; 32];
    let mut transfer = 2u32.to_le_bytes().to_vec();
    transfer.extend_from_slice(&lamports.to_le_bytes());
    let (mut keys, blockhash, mut readonly_unsigned, mut instructions): (Vec<&[u8; 32]>, &[u8; 32], u8, Vec<Compiled>) =
        match recent {
            SolanaRecent::Blockhash(hash) => (vec![from, to, &system], hash, 1, vec![(2, vec![0, 1], transfer)]),
            SolanaRecent::Nonce { account, value } => (
                vec![from, account, to, &system, &RECENT_BLOCKHASHES_SYSVAR],
                value,
                2,
                vec![(3, vec![1, 4, 0], 4u32.to_le_bytes().to_vec()), (3, vec![0, 2], transfer)],
            ),
        };
    if compute_unit_price > 0 {
        let program = u8::try_from(keys.len()).unwrap_or(u8::MAX);
        keys.push(&COMPUTE_BUDGET_PROGRAM);
        readonly_unsigned += 1;
        let mut limit = vec![2u8];
        limit.extend_from_slice(&SWEEP_COMPUTE_UNIT_LIMIT.to_le_bytes());
        let mut price = vec![3u8];
        price.extend_from_slice(&compute_unit_price.to_le_bytes());
        // Before the transfer; after AdvanceNonceAccount, which a durable-nonce transaction must have first.
        let at = instructions.len() - 1;
        instructions.splice(at..at, [(program, vec![], limit), (program, vec![], price)]);
    }
    let mut out = vec![1, 0, readonly_unsigned];
    push_compact(&mut out, keys.len());
    for k in keys {
        out.extend_from_slice(k);
    }
    out.extend_from_slice(blockhash);
    push_compact(&mut out, instructions.len());
    for (program, accounts, data) in instructions {
        out.push(program);
        push_compact(&mut out, accounts.len());
        out.extend_from_slice(&accounts);
        push_compact(&mut out, data.len());
        out.extend_from_slice(&data);
    }
    out
}

/// Builds the unsigned sweep (base64 transaction with one empty signature slot) from `old` to `new` (base58
/// addresses of a plan row): balance − [`SolanaSweep::fee`] moves, so the old account ends at 0 lamports.
///
/// # Errors
/// [`MigrateError::BadFee`] for a priority fee above the destination guard's cap;
/// [`MigrateError::BalanceBelowFee`] when nothing would be left to move; [`MigrateError::Guard`] if an address does
/// not parse.
pub fn build_solana_sweep(old: &str, new: &str, sweep: &SolanaSweep) -> Result<String, MigrateError> {
    use base64::Engine as _;
    check_priority_cap(sweep.priority_fee())?;
    let fee = sweep.fee();
    let lamports = sweep.balance.checked_sub(fee).filter(|&l| l > 0);
    let Some(lamports) = lamports else {
        return Err(MigrateError::BalanceBelowFee { balance: sweep.balance, fee });
    };
    let bad = |_| super::GuardError::BadPlanAddress;
    let from = crate::chain::solana::parse_address(old).map_err(bad)?;
    let to = crate::chain::solana::parse_address(new).map_err(bad)?;
    let message = sweep_message(&from, &to, lamports, &sweep.recent, sweep.compute_unit_price);
    let wire = crate::sign::solana::encode_transaction(&[[0u8; 64]], &message);
    Ok(base64::engine::general_purpose::STANDARD.encode(wire))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sysvar_constant() {
        assert_eq!(
            bs58::encode(super::RECENT_BLOCKHASHES_SYSVAR).into_string(),
            "SysvarRecentB1ockHashes11111111111111111111"
        );
        assert_eq!(
            bs58::encode(super::COMPUTE_BUDGET_PROGRAM).into_string(),
            crate::sign::solana::COMPUTE_BUDGET_PROGRAM
        );
    }
}
