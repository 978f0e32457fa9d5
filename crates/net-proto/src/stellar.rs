//! Stellar's account-level answers (Horizon): the account with its trustlines, data entries and signers, its offers
//! and the claimable balances it may claim. Amounts are in stroops (10⁻⁷ XLM, or 10⁻⁷ of a credit asset's unit).

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::field::{check_address, check_len, check_text};
use crate::{Amount, Chain, ProtoError};

type Result<T> = std::result::Result<T, ProtoError>;

/// The most trustlines, data entries or offers an answer may list (Stellar caps an account's subentries at 1000).
pub const MAX_STELLAR_ENTRIES: usize = 1000;

/// The most signers an account answer may list (Stellar allows 20 besides the master key).
pub const MAX_STELLAR_SIGNERS: usize = 21;

/// The most claimable balances a [`crate::Reply::ClaimableBalances`] may list.
pub const MAX_CLAIMABLE_BALANCES: usize = 1000;

/// The largest amount Stellar represents, in stroops (`i64::MAX`).
pub const MAX_STROOPS: u128 = i64::MAX as u128;

const fn invalid(field: &'static str, reason: &'static str) -> ProtoError {
    ProtoError::InvalidField { field, reason }
}

/// A Stellar account as Horizon reports it (`GET /accounts/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StellarAccount {
    /// The account's current sequence number (a transaction from it uses the next one).
    pub sequence: Amount,
    /// Its lumens, in stroops.
    pub balance: Amount,
    /// Every trustline (credit assets and liquidity-pool shares), at most [`MAX_STELLAR_ENTRIES`].
    pub trustlines: Vec<Trustline>,
    /// Trustlines, offers, data entries and extra signers: each raises the minimum balance, and a merge needs 0.
    pub subentry_count: u32,
    /// Entries this account pays the reserve for on behalf of others.
    pub num_sponsoring: u32,
    /// Entries of this account whose reserve another account pays.
    pub num_sponsored: u32,
    /// Its data entries (name and base64 value), at most [`MAX_STELLAR_ENTRIES`].
    pub data: Vec<DataEntry>,
    /// Its signers (the master key included), at most [`MAX_STELLAR_SIGNERS`].
    pub signers: Vec<StellarSigner>,
    /// Its operation thresholds.
    pub thresholds: Thresholds,
    /// The ledger that last changed the account.
    pub last_modified_ledger: u64,
}

/// One trustline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Trustline {
    /// A credit asset (`credit_alphanum4` or `credit_alphanum12`).
    Credit {
        /// The asset code (1 to 12 letters and digits).
        code: String,
        /// The issuing account.
        issuer: String,
        /// The balance in stroops of the asset.
        balance: Amount,
        /// The trustline's limit in stroops.
        limit: Amount,
    },
    /// Shares of a liquidity pool.
    PoolShares {
        /// The pool's id (64 hex digits).
        pool_id: String,
        /// The shares held, in stroops.
        balance: Amount,
        /// The limit in stroops.
        limit: Amount,
    },
}

/// One data entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataEntry {
    /// Its name (1 to 64 bytes).
    pub name: String,
    /// Its value, standard base64 of at most 64 bytes.
    pub value: String,
}

/// One signer of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StellarSigner {
    /// The signer's key as a StrKey (`G…` ed25519 key, `T…` pre-authorised transaction, `X…` hash, `P…` signed
    /// payload).
    pub key: String,
    /// Its weight (0 to 255).
    pub weight: u8,
}

/// An account's thresholds (0 to 255 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// For low-threshold operations.
    pub low: u8,
    /// For medium-threshold operations (payments, most others).
    pub med: u8,
    /// For high-threshold operations (account merge, set options on signers).
    pub high: u8,
}

/// One offer of an account on the decentralised exchange (`GET /accounts/{id}/offers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// The offer id.
    pub id: u64,
    /// What is sold: `native` or `CODE:ISSUER`.
    pub selling: String,
    /// What is bought: `native` or `CODE:ISSUER`.
    pub buying: String,
    /// How much is for sale, in stroops of the selling asset.
    pub amount: Amount,
    /// The price's numerator (buying units per selling unit = n / d).
    pub price_n: u32,
    /// The price's denominator.
    pub price_d: u32,
}

/// One claimable balance the account may claim (`GET /claimable_balances?claimant={id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimableBalance {
    /// The balance id (72 hex digits: its type and hash).
    pub id: String,
    /// `native` or `CODE:ISSUER`.
    pub asset: String,
    /// In stroops of the asset.
    pub amount: Amount,
    /// The account that pays its reserve, if Horizon names one.
    pub sponsor: Option<String>,
    /// When the account asked about may claim it (its claimant entry's predicate); absent when not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<ClaimPredicate>,
}

/// The deepest claim predicate an answer may carry (the protocol allows 4 levels).
pub const MAX_PREDICATE_DEPTH: usize = 4;

/// A claim predicate (`ClaimPredicate` of `Stellar-ledger-entries.x`), as Horizon reports a claimant's: relative time
/// bounds are made absolute when the balance is created, so only absolute ones are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClaimPredicate {
    /// Always.
    Unconditional,
    /// Both (exactly two).
    And(Vec<ClaimPredicate>),
    /// Either (exactly two).
    Or(Vec<ClaimPredicate>),
    /// Not.
    Not(Box<ClaimPredicate>),
    /// Before this UNIX time in seconds (Horizon's `abs_before_epoch`).
    AbsBeforeEpoch(i64),
}

impl ClaimPredicate {
    fn depth(&self) -> usize {
        match self {
            Self::Unconditional | Self::AbsBeforeEpoch(_) => 1,
            Self::And(v) | Self::Or(v) => 1 + v.iter().map(Self::depth).max().unwrap_or(0),
            Self::Not(p) => 1 + p.depth(),
        }
    }

    fn well_formed(&self) -> bool {
        match self {
            Self::Unconditional | Self::AbsBeforeEpoch(_) => true,
            Self::And(v) | Self::Or(v) => v.len() == 2 && v.iter().all(Self::well_formed),
            Self::Not(p) => p.well_formed(),
        }
    }

    /// Checks its depth (at most [`MAX_PREDICATE_DEPTH`]) and that every `and`/`or` has two parts.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`].
    pub fn validate(&self) -> Result<()> {
        if self.depth() > MAX_PREDICATE_DEPTH || !self.well_formed() {
            return Err(invalid("balances.predicate", "deeper than 4 levels, or and/or without two parts"));
        }
        Ok(())
    }
}

/// Checks a Stellar asset as the protocol writes it: `native` or `CODE:ISSUER`.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it is neither.
pub fn check_asset(field: &'static str, asset: &str) -> Result<()> {
    if asset == "native" {
        return Ok(());
    }
    let (code, issuer) = asset.split_once(':').ok_or(invalid(field, "not native or CODE:ISSUER"))?;
    check_asset_code(field, code)?;
    check_address(field, Chain::Stellar, issuer)
}

/// Checks an asset code: 1 to 12 ASCII letters and digits.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it is not one.
pub fn check_asset_code(field: &'static str, code: &str) -> Result<()> {
    if (1..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(invalid(field, "not an asset code"))
    }
}

fn check_stroops(field: &'static str, amount: &Amount) -> Result<()> {
    if amount.value() > MAX_STROOPS { Err(invalid(field, "above Stellar's largest amount")) } else { Ok(()) }
}

fn check_hex(field: &'static str, text: &str, len: usize) -> Result<()> {
    if text.len() == len && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(invalid(field, "not lower-case hex of the right length"))
    }
}

/// Checks a signer key: a StrKey (upper-case base32) of a known kind, at most 165 characters.
fn check_signer_key(field: &'static str, key: &str) -> Result<()> {
    let ok = (56..=165).contains(&key.len())
        && matches!(key.as_bytes().first(), Some(b'G' | b'T' | b'X' | b'P'))
        && key.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
    if ok { Ok(()) } else { Err(invalid(field, "not a signer key")) }
}

impl StellarAccount {
    /// Checks every field's bounds and format.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        check_stroops("sequence", &self.sequence)?;
        check_stroops("balance", &self.balance)?;
        check_len("trustlines", self.trustlines.len(), MAX_STELLAR_ENTRIES)?;
        for t in &self.trustlines {
            match t {
                Trustline::Credit { code, issuer, balance, limit } => {
                    check_asset_code("trustlines.code", code)?;
                    check_address("trustlines.issuer", Chain::Stellar, issuer)?;
                    check_stroops("trustlines.balance", balance)?;
                    check_stroops("trustlines.limit", limit)?;
                }
                Trustline::PoolShares { pool_id, balance, limit } => {
                    check_hex("trustlines.pool_id", pool_id, 64)?;
                    check_stroops("trustlines.balance", balance)?;
                    check_stroops("trustlines.limit", limit)?;
                }
            }
        }
        check_len("data", self.data.len(), MAX_STELLAR_ENTRIES)?;
        for d in &self.data {
            if d.name.is_empty() {
                return Err(invalid("data.name", "empty"));
            }
            check_text("data.name", &d.name, 64)?;
            if d.value.len() > 88 {
                return Err(invalid("data.value", "too long"));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&d.value)
                .map_err(|_| invalid("data.value", "not base64"))?;
            if bytes.len() > 64 {
                return Err(invalid("data.value", "too long"));
            }
        }
        check_len("signers", self.signers.len(), MAX_STELLAR_SIGNERS)?;
        self.signers.iter().try_for_each(|s| check_signer_key("signers.key", &s.key))
    }
}

impl Offer {
    /// Checks every field's bounds and format.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        check_asset("offers.selling", &self.selling)?;
        check_asset("offers.buying", &self.buying)?;
        check_stroops("offers.amount", &self.amount)?;
        if self.price_n == 0 || self.price_d == 0 || self.price_n > i32::MAX as u32 || self.price_d > i32::MAX as u32 {
            return Err(invalid("offers.price", "not a positive 32-bit fraction"));
        }
        Ok(())
    }
}

impl ClaimableBalance {
    /// Checks every field's bounds and format.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        check_hex("balances.id", &self.id, 72)?;
        check_asset("balances.asset", &self.asset)?;
        check_stroops("balances.amount", &self.amount)?;
        if let Some(s) = &self.sponsor {
            check_address("balances.sponsor", Chain::Stellar, s)?;
        }
        self.predicate.as_ref().map_or(Ok(()), ClaimPredicate::validate)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    pub(crate) const ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";

    pub(crate) fn account() -> StellarAccount {
        StellarAccount {
            sequence: Amount::from_u128(120_192_344_791_990_275),
            balance: Amount::from_u128(99_999_999_900),
            trustlines: vec![
                Trustline::Credit {
                    code: "USDC".into(),
                    issuer: ISSUER.into(),
                    balance: Amount::from_u128(25_000_000),
                    limit: Amount::from_u128(MAX_STROOPS),
                },
                Trustline::PoolShares {
                    pool_id: "ab".repeat(32),
                    balance: Amount::from_u128(1),
                    limit: Amount::from_u128(MAX_STROOPS),
                },
            ],
            subentry_count: 3,
            num_sponsoring: 0,
            num_sponsored: 1,
            data: vec![DataEntry { name: "config.memo".into(), value: "aGVsbG8=".into() }],
            signers: vec![StellarSigner { key: ISSUER.into(), weight: 1 }],
            thresholds: Thresholds { low: 0, med: 1, high: 2 },
            last_modified_ledger: 7,
        }
    }

    #[test]
    fn accounts_in_bounds_validate_and_out_of_bounds_do_not() {
        account().validate().unwrap();
        let bad = |f: &dyn Fn(&mut StellarAccount)| {
            let mut a = account();
            f(&mut a);
            a.validate().is_err()
        };
        assert!(bad(&|a| a.balance = Amount::from_u128(MAX_STROOPS + 1)));
        assert!(bad(&|a| a.trustlines = vec![a.trustlines[0].clone(); MAX_STELLAR_ENTRIES + 1]));
        assert!(bad(&|a| a.trustlines[0] = Trustline::Credit {
            code: "US-D".into(),
            issuer: ISSUER.into(),
            balance: Amount::from_u128(0),
            limit: Amount::from_u128(0)
        }));
        assert!(bad(&|a| a.data[0].value = "%%".into()));
        assert!(bad(&|a| a.data[0].value = base64::engine::general_purpose::STANDARD.encode([0u8; 65])));
        assert!(bad(&|a| a.data[0].name = "x".repeat(65)));
        assert!(bad(&|a| a.data[0].name = String::new()));
        assert!(bad(&|a| a.signers = vec![a.signers[0].clone(); MAX_STELLAR_SIGNERS + 1]));
        assert!(bad(&|a| a.signers[0].key = "gabc".into()));
    }

    #[test]
    fn assets_offers_and_claimable_balances() {
        assert!(check_asset("a", "native").is_ok());
        assert!(check_asset("a", &format!("USDC:{ISSUER}")).is_ok());
        for bad in ["", "USDC", "USDC:", &format!("TOOLONGCODE123:{ISSUER}"), &format!(":{ISSUER}")] {
            assert!(check_asset("a", bad).is_err(), "{bad}");
        }
        let offer = Offer {
            id: 5,
            selling: "native".into(),
            buying: format!("USDC:{ISSUER}"),
            amount: Amount::from_u128(10),
            price_n: 1,
            price_d: 2,
        };
        offer.validate().unwrap();
        assert!(Offer { price_d: 0, ..offer.clone() }.validate().is_err());
        let cb = ClaimableBalance {
            id: format!("00000000{}", "cd".repeat(32)),
            asset: "native".into(),
            amount: Amount::from_u128(1),
            sponsor: Some(ISSUER.into()),
            predicate: Some(ClaimPredicate::Not(Box::new(ClaimPredicate::AbsBeforeEpoch(5)))),
        };
        cb.validate().unwrap();
        let deep = (0..4).fold(ClaimPredicate::Unconditional, |p, _| ClaimPredicate::Not(Box::new(p)));
        assert!(ClaimableBalance { predicate: Some(deep), ..cb.clone() }.validate().is_err());
        let half = ClaimPredicate::And(vec![ClaimPredicate::Unconditional]);
        assert!(ClaimableBalance { predicate: Some(half), ..cb.clone() }.validate().is_err());
        let text = serde_json::to_string(&cb).unwrap();
        assert!(text.contains(r#""predicate":{"not":{"abs_before_epoch":5}}"#), "{text}");
        assert_eq!(serde_json::from_str::<ClaimableBalance>(&text).unwrap(), cb);
        assert!(ClaimableBalance { id: "00".into(), ..cb.clone() }.validate().is_err());
        assert!(ClaimableBalance { sponsor: Some("x".into()), ..cb }.validate().is_err());
    }

    #[test]
    fn account_answers_round_trip_and_pair_with_their_request() {
        use crate::{Answer, Call, Network, Outcome, Reply, Request, parse_answer, parse_request};
        let address = ISSUER.to_owned();
        for call in [
            Call::Account { address: address.clone() },
            Call::Offers { address: address.clone() },
            Call::ClaimableBalances { address: address.clone() },
        ] {
            let r = Request { id: 3, chain: Chain::Stellar, network: Network::Testnet, call };
            let line = r.to_line().unwrap();
            assert_eq!(parse_request(line.trim_end().as_bytes()).unwrap(), r);
        }
        let line = r#"{"id":3,"chain":"stellar","network":"mainnet","call":{"method":"account","address":"GABC"}}"#;
        assert!(parse_request(line.as_bytes()).is_err(), "a short address");
        let request =
            Request { id: 3, chain: Chain::Stellar, network: Network::Mainnet, call: Call::Account { address } };
        let answer = |reply| Answer {
            id: 3,
            chain: Chain::Stellar,
            network: Network::Mainnet,
            endpoint: Some("https://horizon.stellar.org:443".into()),
            outcome: Outcome::Ok(reply),
        };
        for account in [Some(account()), None] {
            let a = answer(Reply::Account { address: ISSUER.into(), account });
            let line = a.to_line().unwrap();
            let back = parse_answer(line.trim_end().as_bytes()).unwrap();
            assert_eq!(back, a);
            back.check_answers(&request).unwrap();
        }
        let none = answer(Reply::Account { address: ISSUER.into(), account: None }).to_line().unwrap();
        assert!(none.contains(r#""ok":{"kind":"account","address":"GA5Z"#) && none.contains(r#""account":null"#));
        // Another reply kind, another address, a bad field inside the account: refused.
        let other = answer(Reply::Offers { address: ISSUER.into(), offers: vec![] });
        assert!(other.check_answers(&request).is_err());
        let elsewhere = format!("G{}", "A".repeat(55));
        assert!(answer(Reply::Account { address: elsewhere, account: None }).check_answers(&request).is_err());
        let mut bad = account();
        bad.signers[0].key = "nope".into();
        let text = serde_json::to_string(&answer(Reply::Account { address: ISSUER.into(), account: Some(bad) }));
        assert!(parse_answer(text.unwrap().as_bytes()).is_err());
    }
}
