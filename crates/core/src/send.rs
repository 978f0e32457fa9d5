//! Sending: a payment of a native coin or a token from an account of the vault, built by Coffer.
//!
//! One builder per chain, each reusing the transaction encoders of [`crate::migrate`]:
//!
//! - [`build_solana_send`]: a System transfer of SOL, or for a token (SPL Token or Token-2022) the Associated Token
//!   Account `CreateIdempotent` of the recipient's token account for the mint, then `TransferChecked` (with the
//!   mint's decimals) from the sender's token account; after a recent blockhash or `AdvanceNonceAccount`, with the
//!   compute-budget instructions of a priority fee. A Token-2022 mint's extensions (the holdings' `token_2022`) are
//!   read: the new token account's rent is that of its size, a transfer fee shows what arrives, and a
//!   non-transferable, hooked or paused mint — or a default-frozen one without a recipient account — is refused
//!   ([`SendError::TokenNotSendable`]).
//! - [`build_stellar_send`]: one `PAYMENT` of lumens or a credit asset, or `CREATE_ACCOUNT` when the recipient does
//!   not exist (lumens only, at least its minimum balance), with a memo.
//! - [`build_move_send`] (IOTA, Sui): a programmable transaction `SplitCoins` of the amount from the gas coin (the
//!   native coin) or from the merged coins of a token type, then `TransferObjects` to the recipient; *max* of the
//!   native coin transfers the gas coin itself (pay-all), *max* of a token transfers all its coins merged.
//!
//! Every builder decodes what it built with [`crate::sign::decode`] — the summary a pasted transaction gets — and
//! checks that the decoded transaction does exactly what was asked (sender, recipient, asset, amount, memo), so the
//! summary shown before signing is the one the person would see for the same bytes from anywhere else.
//!
//! [`parse_amount`] reads decimal text in the chain's or token's units; [`compromised_owner`] tells whether a
//! recipient is an address (accounts 0-4) of a seed the user marked compromised, which the front ends show as a
//! warning needing explicit consent.

mod iota_sui;
mod solana;
mod stellar;

use crate::chain::Chain;
use crate::sign::{self, Decoded, SignRequest};

pub use iota_sui::{MoveSend, build_move_send};
pub use solana::{SolanaSend, build_solana_send};
pub use stellar::{StellarRecipient, StellarSend, build_stellar_send, parse_memo};

/// Accounts of a compromised seed [`compromised_owner`] looks at (0 to 4, as a default migration plan).
pub const COMPROMISED_ACCOUNTS: u32 = 5;

/// Why a payment could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The recipient is not an address of the chain (format or checksum).
    #[error("invalid {chain} recipient: {reason}")]
    BadRecipient {
        /// The chain.
        chain: Chain,
        /// Why.
        reason: String,
    },
    /// The recipient is the sender.
    #[error("the recipient is the sending address itself")]
    SelfPayment,
    /// The amount text is not a decimal number (or `max`).
    #[error("invalid amount {text:?}: expected a decimal number such as 1.25, or max")]
    BadAmount {
        /// What was given (cut to 50 characters).
        text: String,
    },
    /// The amount has more decimals than the coin or token has.
    #[error("the amount has {given} decimal places, but {asset} has {decimals}")]
    TooManyDecimals {
        /// Decimal places given.
        given: usize,
        /// The asset's decimals.
        decimals: u8,
        /// The asset.
        asset: String,
    },
    /// The amount is zero (or *max* of nothing).
    #[error("the amount is zero: nothing would be sent")]
    ZeroAmount,
    /// The amount is larger than what a transaction can carry.
    #[error("the amount is larger than a payment can carry (2^64 - 1 base units)")]
    AmountTooLarge,
    /// The amount (with the fee, where the fee is paid in the same coin) exceeds the balance.
    #[error("{asset}: the payment needs {needed} but the balance is {balance} (amounts in base units, fees included)")]
    OverBalance {
        /// The asset.
        asset: String,
        /// What the payment needs, in the asset's base units.
        needed: u128,
        /// The balance, in the asset's base units.
        balance: u128,
    },
    /// The fee (in the native coin) exceeds the native balance.
    #[error("the native balance ({balance}) does not cover the fee and deposits ({needed}), in base units")]
    FeeOverBalance {
        /// Needed, in the native coin's base units.
        needed: u128,
        /// The native balance.
        balance: u128,
    },
    /// The sender holds none of the asset.
    #[error("the sender holds no {asset}")]
    AssetNotHeld {
        /// The asset.
        asset: String,
    },
    /// What would be left on the sender is below what the chain requires to keep (Solana's rent-exempt minimum,
    /// Stellar's minimum balance), yet not zero.
    #[error(
        "{left} base units would be left, below the minimum of {minimum} the chain requires to keep: send less, or everything (max)"
    )]
    BelowMinimumLeft {
        /// Left after the payment and fee.
        left: u128,
        /// The minimum.
        minimum: u128,
    },
    /// SOL to an address that holds none yet: the runtime refuses to leave a new account below the rent-exempt
    /// minimum.
    #[error(
        "the recipient holds no SOL yet: a new account needs at least {minimum} lamports (its rent-exempt minimum)"
    )]
    NewAccountBelowRent {
        /// The least amount, in lamports.
        minimum: u128,
    },
    /// A new Stellar account must be created with lumens of at least its minimum balance.
    #[error(
        "the recipient account does not exist: it can only be created by a payment of at least {minimum} stroops of XLM"
    )]
    BelowReserve {
        /// The least starting balance, in stroops.
        minimum: i64,
    },
    /// A credit asset cannot be paid to a Stellar account that does not exist.
    #[error("the recipient account does not exist; only lumens can create it (send XLM first)")]
    RecipientMissing,
    /// A credit asset to a Stellar account that holds no authorised trustline for it (`room: None`), or more than
    /// its trustline's room (its limit less its balance): the network would refuse the payment and charge the fee.
    #[error(
        "the recipient cannot receive {asset}: {}",
        match room {
            None => "it has no authorised trustline for it (it must add one, a change-trust, before it can receive it)".to_owned(),
            Some(r) => format!("its trustline has room for {r} stroops only (its limit less its balance)"),
        }
    )]
    RecipientUntrusting {
        /// The asset (`CODE:ISSUER`).
        asset: String,
        /// The room left on its trustline, in stroops, when it has one.
        room: Option<i64>,
    },
    /// A Token-2022 token whose mint's extensions make the token program refuse this payment: nothing is signed
    /// (on chain it would fail and cost the fee).
    #[error("the token of mint {mint} cannot be sent: {reason}")]
    TokenNotSendable {
        /// The mint.
        mint: String,
        /// Which extension refuses it.
        reason: TokenRefusal,
    },
    /// A memo that does not fit the chain's memo.
    #[error("invalid memo: {reason}")]
    BadMemo {
        /// Why.
        reason: &'static str,
    },
    /// A fee, gas price or priority fee out of range.
    #[error("invalid fee: {reason}")]
    BadFee {
        /// Why.
        reason: &'static str,
    },
    /// A sequence number that cannot be used.
    #[error("invalid sequence number: {reason}")]
    BadSequence {
        /// Why.
        reason: &'static str,
    },
    /// The holdings (a file or the network's answers) are not the sender's, or do not parse.
    #[error("invalid holdings: {reason}")]
    BadHoldings {
        /// Why.
        reason: String,
    },
    /// The payment needs more coin objects than one transaction takes.
    #[error("the payment needs {count} coin objects; at most {max} fit one transaction: merge coins first")]
    TooManyCoins {
        /// Coins needed.
        count: usize,
        /// The most that fit.
        max: usize,
    },
    /// The built transaction, decoded, does not say what was asked (a bug in Coffer: nothing is signed).
    #[error("the built transaction does not decode to the payment asked for: {reason}")]
    Mismatch {
        /// What differs.
        reason: String,
    },
    /// The built transaction did not decode.
    #[error(transparent)]
    Sign(#[from] sign::SignError),
}

/// Why the token program would refuse a transfer (moved to [`crate::holdings::solana`], where the sweep's rule needs
/// it too; kept here under its first name).
pub use crate::holdings::solana::TokenRefusal;

/// How much to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Amount {
    /// Exactly this many base units (lamports, stroops, nanos, MIST, or the token's).
    Exact(u128),
    /// Everything of the asset the sender can send (for the native coin: less the fee).
    Max,
}

/// Parses an amount as a person writes it in the asset's units (`1.5`, `0.000001`, `max`), with `decimals`
/// decimal places. `asset` names the asset in errors.
///
/// ```
/// use coffer_core::send::{Amount, parse_amount};
/// assert_eq!(parse_amount("1.5", 9, "SOL")?, Amount::Exact(1_500_000_000));
/// assert_eq!(parse_amount("max", 9, "SOL")?, Amount::Max);
/// # Ok::<(), coffer_core::send::SendError>(())
/// ```
///
/// # Errors
/// [`SendError::BadAmount`] for text that is not a plain decimal number, [`SendError::TooManyDecimals`],
/// [`SendError::ZeroAmount`], [`SendError::AmountTooLarge`] beyond 2^64 base units.
pub fn parse_amount(text: &str, decimals: u8, asset: &str) -> Result<Amount, SendError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("max") {
        return Ok(Amount::Max);
    }
    let bad = || SendError::BadAmount { text: t.chars().take(50).collect() };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    let frac_trimmed = frac.trim_end_matches('0');
    if frac_trimmed.len() > usize::from(decimals) {
        return Err(SendError::TooManyDecimals { given: frac.len(), decimals, asset: asset.to_owned() });
    }
    let too_large = || SendError::AmountTooLarge;
    let int = int.trim_start_matches('0');
    if int.len() > 39 {
        return Err(too_large());
    }
    let mut value: u128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| too_large())? };
    for _ in 0..decimals {
        value = value.checked_mul(10).ok_or_else(too_large)?;
    }
    let mut f: u128 = 0;
    for (i, b) in frac_trimmed.bytes().enumerate() {
        let place = usize::from(decimals) - 1 - i;
        f += u128::from(b - b'0') * 10u128.pow(u32::try_from(place).unwrap_or(0));
    }
    let value = value.checked_add(f).ok_or_else(too_large)?;
    if value == 0 {
        return Err(SendError::ZeroAmount);
    }
    if value > u128::from(u64::MAX) {
        return Err(too_large());
    }
    Ok(Amount::Exact(value))
}

/// Shows `base` units with `decimals` decimal places (`1500000000`, 9 → `1.5`): trailing zeros dropped.
#[must_use]
pub fn format_units(base: u128, decimals: u8) -> String {
    let d = usize::from(decimals);
    if d == 0 {
        return base.to_string();
    }
    let digits = format!("{base:0>width$}", width = d + 1);
    let (int, frac) = digits.split_at(digits.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { int.to_owned() } else { format!("{int}.{frac}") }
}

/// Checks a recipient address of `chain` (Stellar: `G…` StrKey with its CRC16; Solana: base58 of 32 bytes; IOTA,
/// Sui: `0x` and 64 hex digits) and returns its 32 bytes.
///
/// # Errors
/// [`SendError::BadRecipient`] (also for chains Coffer does not send on).
pub fn parse_recipient(chain: Chain, address: &str) -> Result<[u8; 32], SendError> {
    let a = address.trim();
    let parsed = match chain {
        Chain::Solana => crate::chain::solana::parse_address(a),
        Chain::Stellar => crate::chain::stellar::parse_address(a),
        Chain::Iota => crate::chain::iota::parse_address(a),
        Chain::Sui => crate::chain::sui::parse_address(a),
        _ => return Err(SendError::BadRecipient { chain, reason: "Coffer does not send on this chain".into() }),
    };
    parsed.map_err(|e| SendError::BadRecipient { chain, reason: e.to_string() })
}

/// A payment built and decoded: show [`BuiltSend::decoded`]'s summary and the fee, then sign the decoded request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuiltSend {
    /// The request (chain, unsigned transaction bytes, Stellar network).
    pub request: SignRequest,
    /// The decoded transaction: its summary is what a pasted copy of the same bytes shows.
    pub decoded: Decoded,
    /// The asset sent, as the person named it (`SOL`, a mint, `XLM`, `CODE:ISSUER`, a coin type).
    pub asset: String,
    /// The amount sent, in the asset's base units (for the native coin's *max* on IOTA/Sui: the least that arrives,
    /// the balance less the whole gas budget; unused gas comes back to the recipient).
    pub amount: u128,
    /// The asset's decimals.
    pub decimals: u8,
    /// The most the transaction can cost, in the native coin's base units (Solana: signature and priority fee;
    /// Stellar: the fee; IOTA/Sui: the gas budget).
    pub fee: u128,
    /// Rent or reserve deposits paid besides the fee (Solana: a new token account's rent, at most), base units.
    pub deposit: u128,
    /// What the token's own transfer fee withholds from the amount in the recipient's account, in the asset's base
    /// units (a Token-2022 mint's `TransferFeeConfig`): [`BuiltSend::arrives`] is the amount less this. 0 for every
    /// other asset.
    pub transfer_fee: u128,
    /// What else happens, for people (creating the recipient's token account or account).
    pub notes: Vec<String>,
}

impl BuiltSend {
    /// The amount in the asset's units (`1.5`).
    #[must_use]
    pub fn amount_text(&self) -> String {
        format_units(self.amount, self.decimals)
    }

    /// What the recipient receives, in the asset's base units: the amount less the token's transfer fee.
    #[must_use]
    pub fn arrives(&self) -> u128 {
        self.amount.saturating_sub(self.transfer_fee)
    }
}

fn decode(request: &SignRequest) -> Result<Decoded, SendError> {
    Ok(sign::decode(request)?)
}

fn mismatch(reason: impl Into<String>) -> SendError {
    SendError::Mismatch { reason: reason.into() }
}

/// A seed marked compromised that owns an address.
#[cfg(feature = "vault")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompromisedOwner {
    /// The seed's label.
    pub label: String,
    /// The account number whose address it is.
    pub account: u32,
}

/// Whether `address` (of `chain`) is the address of account 0 to 4 (index 0) of a seed in `vault` that is marked
/// compromised: a payment there goes to keys someone else may hold. The front ends warn and send only with the
/// person's explicit consent.
///
/// # Errors
/// [`crate::VaultError`] from deriving the seeds' accounts (none for valid vaults).
#[cfg(feature = "vault")]
pub fn compromised_owner(
    vault: &crate::Vault,
    chain: Chain,
    address: &str,
) -> Result<Option<CompromisedOwner>, crate::VaultError> {
    let Ok(wanted) = parse_recipient(chain, address) else { return Ok(None) };
    for info in vault.seeds().into_iter().filter(|s| s.compromised) {
        for account in 0..COMPROMISED_ACCOUNTS {
            let at = crate::AccountIndex::new(account).map_err(crate::VaultError::from)?;
            let a = vault.account(&info.label, chain, at, crate::AddressIndex::ZERO)?;
            if parse_recipient(chain, &a.address).ok() == Some(wanted) {
                return Ok(Some(CompromisedOwner { label: info.label, account }));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
