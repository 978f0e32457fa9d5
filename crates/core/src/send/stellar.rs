//! Stellar payments: one `PAYMENT` of lumens or a credit asset, or `CREATE_ACCOUNT` when the recipient does not
//! exist (lumens only, at least the minimum balance of an account: two base reserves), with a memo. The envelope is
//! written by the sweep's encoder ([`crate::migrate::stellar_tx`], XDR sources named there).

use super::{Amount, BuiltSend, SendError, decode, mismatch, parse_recipient};
use crate::chain::Chain;
use crate::holdings::stellar::{StellarAsset, StellarHoldings, StellarTrustline};
use crate::migrate::stellar_tx::{Op, envelope_with_memo};
use crate::migrate::{MAX_STELLAR_FEE, STELLAR_BASE_FEE};
use crate::sign::stellar::{Asset, Memo, MuxedAccount, Network, OperationBody};
use crate::sign::{Details, Payload, SignRequest};

/// Whether the recipient's account exists on the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StellarRecipient {
    /// It exists (`GET /accounts/ID` answers 200): a `PAYMENT`.
    Exists,
    /// It does not: lumens create it (`CREATE_ACCOUNT`); a credit asset cannot be sent.
    Missing,
    /// It exists but holds no authorised trustline for the credit asset being sent (and is not its issuer): the
    /// network would refuse the payment (`op_no_trust`, `op_not_authorized`), charging the fee; lumens still go.
    Untrusting,
    /// It exists and its trustline for the credit asset has room for this many more stroops only (its limit less
    /// its balance): a larger payment would fail (`op_line_full`).
    Room(i64),
}

impl StellarRecipient {
    /// What the recipient's account (as Horizon reports it, or as a holdings file lists it) means for a payment of
    /// `asset`: [`Self::Missing`] when it does not exist; for a credit asset [`Self::Untrusting`] without an
    /// authorised trustline of that asset (its issuer needs none), else [`Self::Room`]; for lumens
    /// [`Self::Exists`].
    #[must_use]
    pub fn of(recipient: &StellarHoldings, asset: &StellarAsset) -> Self {
        if !recipient.exists {
            return Self::Missing;
        }
        let StellarAsset::Credit { code, issuer } = asset else { return Self::Exists };
        if *issuer == recipient.address {
            return Self::Exists;
        }
        recipient
            .trustlines
            .iter()
            .find_map(|t| match t {
                StellarTrustline::Credit { code: c, issuer: i, balance, limit, authorized: true, .. }
                    if c == code && i == issuer =>
                {
                    Some(Self::Room(limit.saturating_sub(*balance).max(0)))
                }
                _ => None,
            })
            .unwrap_or(Self::Untrusting)
    }
}

/// A Stellar payment to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarSend {
    /// The recipient (`G…`).
    pub to: String,
    /// Whether the recipient exists.
    pub recipient: StellarRecipient,
    /// What: lumens or `CODE:ISSUER`.
    pub asset: StellarAsset,
    /// How much, in stroops of the asset (7 decimals).
    pub amount: Amount,
    /// The memo (see [`parse_memo`]).
    pub memo: Memo,
    /// The fee in stroops (one operation: at least [`STELLAR_BASE_FEE`]).
    pub fee: u32,
    /// The base reserve in stroops ([`crate::migrate::STELLAR_BASE_RESERVE`] on every public network today).
    pub base_reserve: i64,
    /// The network whose passphrase the signature covers.
    pub network: Network,
}

/// Parses a memo: `kind` `text` (at most 28 bytes), `id` (a 64-bit number) or `hash` (64 hex digits).
///
/// # Errors
/// [`SendError::BadMemo`].
pub fn parse_memo(kind: &str, value: &str) -> Result<Memo, SendError> {
    match kind {
        "text" if value.len() > 28 => Err(SendError::BadMemo { reason: "a text memo holds at most 28 bytes" }),
        "text" => Ok(Memo::Text(value.as_bytes().to_vec())),
        "id" => value
            .trim()
            .parse::<u64>()
            .map(Memo::Id)
            .map_err(|_| SendError::BadMemo { reason: "an id memo is a number from 0 to 18446744073709551615" }),
        "hash" => {
            let bytes = hex::decode(value.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
            bytes.map(Memo::Hash).ok_or(SendError::BadMemo { reason: "a hash memo is 64 hex digits (32 bytes)" })
        }
        _ => Err(SendError::BadMemo { reason: "the memo kind is text, id or hash" }),
    }
}

/// Builds a Stellar payment from the account whose holdings are `holdings` (it must exist: its sequence number,
/// lumens, subentries and trustlines).
///
/// # Errors
/// [`SendError::BadRecipient`], [`SendError::SelfPayment`], [`SendError::BadHoldings`] (also when the sender does
/// not exist), [`SendError::BadFee`], [`SendError::BadSequence`], [`SendError::AssetNotHeld`] (no authorised
/// trustline), [`SendError::RecipientMissing`] (a credit asset to an account that does not exist),
/// [`SendError::RecipientUntrusting`] (a credit asset to an account without an authorised trustline for it, or more
/// than its trustline's room),
/// [`SendError::BelowReserve`], [`SendError::OverBalance`] (lumens beyond what is above the sender's minimum
/// balance and the fee), [`SendError::FeeOverBalance`], [`SendError::ZeroAmount`], [`SendError::Mismatch`].
pub fn build_stellar_send(holdings: &StellarHoldings, send: &StellarSend) -> Result<BuiltSend, SendError> {
    let bad = |reason: String| SendError::BadHoldings { reason };
    holdings.validate().map_err(|e| bad(e.to_string()))?;
    let from = crate::chain::stellar::parse_address(&holdings.address)
        .map_err(|_| bad(format!("the holdings' address {:?} is not a Stellar address", holdings.address)))?;
    let to = parse_recipient(Chain::Stellar, &send.to)?;
    if to == from {
        return Err(SendError::SelfPayment);
    }
    if !holdings.exists {
        return Err(bad(format!("the sending account {} does not exist", holdings.address)));
    }
    if send.fee < STELLAR_BASE_FEE || u64::from(send.fee) > MAX_STELLAR_FEE {
        return Err(SendError::BadFee { reason: "a Stellar fee is 100 to 10000000 stroops" });
    }
    if send.base_reserve <= 0 {
        return Err(SendError::BadFee { reason: "the base reserve must be positive" });
    }
    if let Memo::Text(t) = &send.memo
        && t.len() > 28
    {
        return Err(SendError::BadMemo { reason: "a text memo holds at most 28 bytes" });
    }
    let seq = holdings
        .sequence
        .checked_add(1)
        .filter(|_| holdings.sequence >= 0)
        .ok_or(SendError::BadSequence { reason: "it is negative or the largest there is" })?;
    let fee = i128::from(send.fee);
    // Lumens above the sender's minimum balance (2 base reserves, one per subentry and sponsored entry).
    let entries = 2 + i128::from(holdings.subentry_count) + i128::from(holdings.num_sponsoring)
        - i128::from(holdings.num_sponsored);
    let minimum = entries.max(0) * i128::from(send.base_reserve);
    let spendable = i128::from(holdings.native) - minimum - fee;
    let as_u = |v: i128| u128::try_from(v.max(0)).unwrap_or(0);
    let (op, amount, notes) = match &send.asset {
        StellarAsset::Native => {
            let amount = match send.amount {
                Amount::Max => spendable,
                Amount::Exact(a) => i128::try_from(a).map_err(|_| SendError::AmountTooLarge)?,
            };
            if amount > spendable {
                return Err(SendError::OverBalance {
                    asset: "XLM".into(),
                    needed: as_u(amount + minimum + fee),
                    balance: as_u(i128::from(holdings.native)),
                });
            }
            if amount <= 0 {
                return Err(if spendable <= 0 {
                    SendError::FeeOverBalance {
                        needed: as_u(minimum + fee),
                        balance: as_u(i128::from(holdings.native)),
                    }
                } else {
                    SendError::ZeroAmount
                });
            }
            let amount = i64::try_from(amount).map_err(|_| SendError::AmountTooLarge)?;
            match send.recipient {
                StellarRecipient::Exists | StellarRecipient::Untrusting | StellarRecipient::Room(_) => {
                    (Op::Payment { asset: StellarAsset::Native, amount }, amount, Vec::new())
                }
                StellarRecipient::Missing => {
                    let least = 2 * send.base_reserve;
                    if amount < least {
                        return Err(SendError::BelowReserve { minimum: least });
                    }
                    let note = "the recipient account does not exist: this payment creates it (CREATE_ACCOUNT)";
                    (Op::CreateAccount { starting_balance: amount }, amount, vec![note.to_owned()])
                }
            }
        }
        StellarAsset::Credit { code, issuer } => {
            match send.recipient {
                StellarRecipient::Missing => return Err(SendError::RecipientMissing),
                StellarRecipient::Untrusting => {
                    return Err(SendError::RecipientUntrusting { asset: format!("{code}:{issuer}"), room: None });
                }
                _ => {}
            }
            let line = holdings.trustlines.iter().find_map(|t| match t {
                StellarTrustline::Credit { code: c, issuer: i, balance, authorized, .. }
                    if c == code && i == issuer =>
                {
                    Some((*balance, *authorized))
                }
                _ => None,
            });
            let Some((balance, true)) = line else {
                return Err(SendError::AssetNotHeld {
                    asset: format!(
                        "{code}:{issuer}{}",
                        if line.is_some() { " (its trustline is not authorised by the issuer)" } else { "" }
                    ),
                });
            };
            let amount = match send.amount {
                Amount::Max => i128::from(balance),
                Amount::Exact(a) => i128::try_from(a).map_err(|_| SendError::AmountTooLarge)?,
            };
            if amount > i128::from(balance) {
                return Err(SendError::OverBalance {
                    asset: format!("{code}:{issuer}"),
                    needed: as_u(amount),
                    balance: as_u(i128::from(balance)),
                });
            }
            if amount <= 0 {
                return Err(SendError::ZeroAmount);
            }
            if let StellarRecipient::Room(room) = send.recipient
                && amount > i128::from(room)
            {
                return Err(SendError::RecipientUntrusting { asset: format!("{code}:{issuer}"), room: Some(room) });
            }
            if spendable < 0 {
                return Err(SendError::FeeOverBalance {
                    needed: as_u(minimum + fee),
                    balance: as_u(i128::from(holdings.native)),
                });
            }
            let amount = i64::try_from(amount).map_err(|_| SendError::AmountTooLarge)?;
            (Op::Payment { asset: send.asset.clone(), amount }, amount, Vec::new())
        }
    };
    let bytes = envelope_with_memo(&from, &to, send.fee, seq, &send.memo, core::slice::from_ref(&op));
    let request = SignRequest::new(Chain::Stellar, Payload::TransactionBytes(bytes)).with_network(send.network.clone());
    let decoded = decode(&request)?;
    check(&decoded, from, to, seq, send, &op)?;
    Ok(BuiltSend {
        request,
        decoded,
        asset: match &send.asset {
            StellarAsset::Native => "XLM".into(),
            a => a.to_string(),
        },
        amount: u128::try_from(amount).unwrap_or(0),
        decimals: 7,
        fee: u128::from(send.fee),
        deposit: 0,
        transfer_fee: 0,
        notes,
    })
}

/// The decoded envelope is from `from`, with the sequence number, fee and memo asked, and its one operation is the
/// payment (or account creation) asked.
fn check(
    decoded: &crate::sign::Decoded,
    from: [u8; 32],
    to: [u8; 32],
    seq: i64,
    send: &StellarSend,
    op: &Op,
) -> Result<(), SendError> {
    let summary = decoded.summary();
    let Details::Stellar(env, _) = &summary.details else { return Err(mismatch("not a Stellar envelope")) };
    if !summary.fully_decoded() {
        return Err(mismatch(format!("not fully decoded: {:?}", summary.undecoded)));
    }
    if env.source != (MuxedAccount { key: from, id: None }) || env.seq_num != seq || env.fee != send.fee {
        return Err(mismatch("the source, sequence number or fee differs"));
    }
    if env.memo != send.memo {
        return Err(mismatch("the memo differs"));
    }
    let [one] = env.operations.as_slice() else { return Err(mismatch("not exactly one operation")) };
    if one.source.is_some() {
        return Err(mismatch("the operation has its own source"));
    }
    let ok = match (&one.body, op) {
        (OperationBody::CreateAccount { destination, starting_balance }, Op::CreateAccount { starting_balance: b }) => {
            *destination == to && starting_balance == b
        }
        (OperationBody::Payment { destination, asset, amount }, Op::Payment { asset: want, amount: a }) => {
            let same_asset = match (asset, want) {
                (Asset::Native, StellarAsset::Native) => true,
                (Asset::Credit { code, issuer }, StellarAsset::Credit { code: c, issuer: i }) => {
                    code == c && crate::chain::stellar::parse_address(i).ok() == Some(*issuer)
                }
                _ => false,
            };
            *destination == MuxedAccount { key: to, id: None } && same_asset && amount == a
        }
        _ => false,
    };
    if ok { Ok(()) } else { Err(mismatch(format!("the operation is {:?}", one.body))) }
}
