//! The Solana sweep: a legacy message with one System Program transfer of balance − fee from the old account to the
//! new one, after a recent blockhash or, for a durable nonce, an `AdvanceNonceAccount` instruction first.
//!
//! ```text
//! message = header (1, 0, r) | compact-array<key> | blockhash | compact-array<instruction>
//! blockhash:  keys [old, new, System]               ix: System Transfer [0, 1]
//! nonce:      keys [old, nonce, new, System, RecentBlockhashes sysvar]
//!             ix0: System AdvanceNonceAccount [1, 4, 0]   ix1: System Transfer [0, 2]   blockhash = nonce value
//! ```
//! Keys are ordered as `@solana/web3.js` compiles them (writable signers, writable non-signers, read-only
//! non-signers, each in first-use order). Checked against tests/vectors/solana_tx_transfer.json.

use super::MigrateError;

/// The network's fee per signature, in lamports (a sweep has one signature).
pub const DEFAULT_FEE_PER_SIGNATURE: u64 = 5000;
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

/// The old account's balance and the fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSweep {
    /// The balance in lamports (`solana balance --lamports ADDRESS`).
    pub balance: u64,
    /// The fee in lamports ([`DEFAULT_FEE_PER_SIGNATURE`] unless a priority fee is wanted).
    pub fee: u64,
    /// Blockhash or durable nonce.
    pub recent: SolanaRecent,
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

/// The legacy message bytes of a transfer of `lamports` from `from` to `to` (raw keys).
#[must_use]
pub fn transfer_message(from: &[u8; 32], to: &[u8; 32], lamports: u64, recent: &SolanaRecent) -> Vec<u8> {
    let system = [0u8; 32];
    let mut transfer = 2u32.to_le_bytes().to_vec();
    transfer.extend_from_slice(&lamports.to_le_bytes());
    let (keys, blockhash, readonly_unsigned, instructions): (Vec<&[u8; 32]>, &[u8; 32], u8, Vec<Compiled>) =
        match recent {
            SolanaRecent::Blockhash(hash) => (vec![from, to, &system], hash, 1, vec![(2, vec![0, 1], transfer)]),
            SolanaRecent::Nonce { account, value } => (
                vec![from, account, to, &system, &RECENT_BLOCKHASHES_SYSVAR],
                value,
                2,
                vec![(3, vec![1, 4, 0], 4u32.to_le_bytes().to_vec()), (3, vec![0, 2], transfer)],
            ),
        };
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
/// addresses of a plan row).
///
/// # Errors
/// [`MigrateError::BadFee`] for a zero fee; [`MigrateError::BalanceBelowFee`] when nothing would be left to move;
/// [`MigrateError::Guard`] if an address does not parse.
pub fn build_solana_sweep(old: &str, new: &str, sweep: &SolanaSweep) -> Result<String, MigrateError> {
    use base64::Engine as _;
    if sweep.fee == 0 {
        return Err(MigrateError::BadFee { reason: "a Solana transaction pays at least 5000 lamports per signature" });
    }
    let lamports = sweep.balance.checked_sub(sweep.fee).filter(|&l| l > 0);
    let Some(lamports) = lamports else {
        return Err(MigrateError::BalanceBelowFee { balance: sweep.balance, fee: sweep.fee });
    };
    let bad = |_| super::GuardError::BadPlanAddress;
    let from = crate::chain::solana::parse_address(old).map_err(bad)?;
    let to = crate::chain::solana::parse_address(new).map_err(bad)?;
    let message = transfer_message(&from, &to, lamports, &sweep.recent);
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
    }
}
