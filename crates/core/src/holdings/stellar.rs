//! Stellar holdings: lumens, trustlines, offers, data entries and claimable balances of one account, as Horizon
//! reports them (`GET /accounts/{id}`, `/accounts/{id}/offers`, `/claimable_balances?claimant={id}`) or as a holdings
//! file gives them (schema: docs/cli.md, "Holdings file", "Stellar"). Amounts are stroops (10⁻⁷ of a unit), written
//! as decimal strings in the file. [`crate::migrate::build_stellar_sweep`] builds the sweep from them.
//!
//! Nothing here is trusted: [`StellarHoldings::validate`] checks formats and bounds, and the destination guard
//! decides what may be signed whatever the holdings say.

use crate::chain::stellar as strkey;

/// The most trustlines, offers, data entries or claimable balances a holdings record may list (Stellar caps an
/// account's subentries at 1000).
pub const MAX_ENTRIES: usize = 1000;

/// The deepest claim predicate accepted (the protocol allows 4 levels).
pub const MAX_PREDICATE_DEPTH: usize = 4;

/// What one Stellar account holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StellarHoldings {
    /// The account (`G…`).
    pub address: String,
    /// Whether the account exists on the ledger (Horizon answers 200 for it). An account that does not exist holds
    /// nothing that can be moved, and every other field is then ignored.
    pub exists: bool,
    /// The account's **current** sequence number (the transaction uses the next one).
    #[cfg_attr(feature = "serde", serde(with = "stroops", default))]
    pub sequence: i64,
    /// Its lumens, in stroops.
    #[cfg_attr(feature = "serde", serde(with = "stroops", default))]
    pub native: i64,
    /// Its trustlines.
    #[cfg_attr(feature = "serde", serde(default))]
    pub trustlines: Vec<StellarTrustline>,
    /// Its offers on the decentralised exchange.
    #[cfg_attr(feature = "serde", serde(default))]
    pub offers: Vec<StellarOffer>,
    /// The names of its data entries (values do not matter to a sweep: the entries are deleted).
    #[cfg_attr(feature = "serde", serde(default))]
    pub data: Vec<String>,
    /// The claimable balances it is a claimant of.
    #[cfg_attr(feature = "serde", serde(default))]
    pub claimable_balances: Vec<StellarClaimable>,
    /// Trustlines, offers, data entries and extra signers: each needs a base reserve, and a merge needs none left.
    #[cfg_attr(feature = "serde", serde(default))]
    pub subentry_count: u32,
    /// Entries of other accounts whose reserve this account pays: a merge fails while there are any
    /// (`ACCOUNT_MERGE_IS_SPONSOR`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub num_sponsoring: u32,
    /// Entries of this account whose reserve another account pays.
    #[cfg_attr(feature = "serde", serde(default))]
    pub num_sponsored: u32,
}

/// An asset that can be paid: lumens or a credit asset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub enum StellarAsset {
    /// Lumens (`native`).
    Native,
    /// A credit asset (`CODE:ISSUER`).
    Credit {
        /// 1 to 12 ASCII letters and digits.
        code: String,
        /// The issuer (`G…`).
        issuer: String,
    },
}

impl StellarAsset {
    /// Parses `native` or `CODE:ISSUER`.
    ///
    /// ```
    /// use coffer_core::holdings::stellar::StellarAsset;
    /// assert_eq!(StellarAsset::parse("native")?, StellarAsset::Native);
    /// assert!(StellarAsset::parse("USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN").is_ok());
    /// assert!(StellarAsset::parse("USD-C:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN").is_err());
    /// # Ok::<(), coffer_core::holdings::stellar::HoldingsError>(())
    /// ```
    ///
    /// # Errors
    /// [`HoldingsError::Invalid`].
    pub fn parse(text: &str) -> Result<Self, HoldingsError> {
        if text == "native" {
            return Ok(Self::Native);
        }
        let bad = || HoldingsError::Invalid { field: "asset", reason: "not native or CODE:ISSUER" };
        let (code, issuer) = text.split_once(':').ok_or_else(bad)?;
        check_code(code).map_err(|_| bad())?;
        strkey::parse_address(issuer).map_err(|_| bad())?;
        Ok(Self::Credit { code: code.to_owned(), issuer: issuer.to_owned() })
    }

    /// The issuer's raw key, for a credit asset whose issuer parses.
    #[must_use]
    pub fn issuer_key(&self) -> Option<[u8; 32]> {
        match self {
            Self::Native => None,
            Self::Credit { issuer, .. } => strkey::parse_address(issuer).ok(),
        }
    }
}

impl core::fmt::Display for StellarAsset {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Native => f.write_str("native"),
            Self::Credit { code, issuer } => write!(f, "{code}:{issuer}"),
        }
    }
}

impl TryFrom<String> for StellarAsset {
    type Error = HoldingsError;
    fn try_from(s: String) -> Result<Self, HoldingsError> {
        Self::parse(&s)
    }
}

impl From<StellarAsset> for String {
    fn from(a: StellarAsset) -> Self {
        a.to_string()
    }
}

/// One trustline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case", deny_unknown_fields))]
#[non_exhaustive]
pub enum StellarTrustline {
    /// A credit asset.
    Credit {
        /// The asset code.
        code: String,
        /// The issuer (`G…`).
        issuer: String,
        /// The balance, in stroops of the asset.
        #[cfg_attr(feature = "serde", serde(with = "stroops"))]
        balance: i64,
        /// The trustline's limit, in stroops.
        #[cfg_attr(feature = "serde", serde(with = "stroops"))]
        limit: i64,
        /// Whether the issuer authorised this trustline (Horizon's `is_authorized`; a trustline that is not
        /// authorised cannot send).
        #[cfg_attr(feature = "serde", serde(default = "yes"))]
        authorized: bool,
        /// Whether the issuer requires authorisation (`AUTH_REQUIRED`, Horizon's `flags.auth_required` of the asset
        /// or of the issuer's account): a fresh trustline on the new account could not receive the asset until the
        /// issuer authorises it, so the asset stays. Unknown is taken as not required (a wrong guess makes the
        /// transaction fail whole, costing only its fee).
        #[cfg_attr(feature = "serde", serde(default))]
        auth_required: bool,
    },
    /// Shares of a liquidity pool: not movable by payment (withdraw from the pool first).
    PoolShares {
        /// The pool's id (64 hex digits).
        pool_id: String,
        /// The shares held, in stroops.
        #[cfg_attr(feature = "serde", serde(with = "stroops"))]
        balance: i64,
    },
}

#[cfg(feature = "serde")]
const fn yes() -> bool {
    true
}

impl StellarTrustline {
    /// The credit asset of the trustline (`None` for pool shares).
    #[must_use]
    pub fn asset(&self) -> Option<StellarAsset> {
        match self {
            Self::Credit { code, issuer, .. } => {
                Some(StellarAsset::Credit { code: code.clone(), issuer: issuer.clone() })
            }
            Self::PoolShares { .. } => None,
        }
    }
}

/// One offer on the decentralised exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StellarOffer {
    /// The offer id (never 0).
    #[cfg_attr(feature = "serde", serde(with = "decimal_u64"))]
    pub id: u64,
    /// What it sells.
    pub selling: StellarAsset,
    /// What it buys.
    pub buying: StellarAsset,
    /// How much is for sale, in stroops of the selling asset.
    #[cfg_attr(feature = "serde", serde(with = "stroops"))]
    pub amount: i64,
    /// The price's numerator (buying units per selling unit = n / d).
    pub price_n: i32,
    /// The price's denominator.
    pub price_d: i32,
}

/// One claimable balance the account is a claimant of.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StellarClaimable {
    /// The balance id as Horizon writes it: 72 lower-case hex digits (type `00000000` and the 32-byte hash).
    pub id: String,
    /// Its asset.
    pub asset: StellarAsset,
    /// Its amount, in stroops of the asset.
    #[cfg_attr(feature = "serde", serde(with = "stroops"))]
    pub amount: i64,
    /// When this account may claim it (its claimant entry's predicate).
    pub predicate: ClaimPredicate,
}

impl StellarClaimable {
    /// The 32-byte hash of the id.
    ///
    /// # Errors
    /// [`HoldingsError::Invalid`] when the id is not `00000000` and 64 hex digits.
    pub fn hash(&self) -> Result<[u8; 32], HoldingsError> {
        let bad = HoldingsError::Invalid { field: "claimable_balances.id", reason: "not 00000000 and 64 hex digits" };
        let hash = self.id.strip_prefix("00000000").ok_or(bad.clone())?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(bad);
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(hash, &mut out).map_err(|_| bad)?;
        Ok(out)
    }
}

/// A claim predicate (`ClaimPredicate` in `Stellar-ledger-entries.x`). A relative time bound is made absolute when
/// the balance is created, so the ledger (and Horizon's `abs_before_epoch`) only holds absolute ones.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ClaimPredicate {
    /// Always.
    Unconditional,
    /// Both.
    And(Vec<ClaimPredicate>),
    /// Either.
    Or(Vec<ClaimPredicate>),
    /// Not.
    Not(Box<ClaimPredicate>),
    /// Before this UNIX time (seconds; the ledger's close time must be strictly earlier).
    AbsBeforeEpoch(#[cfg_attr(feature = "serde", serde(with = "stroops"))] i64),
}

impl ClaimPredicate {
    /// Whether a claim in a ledger closing at `now` (UNIX seconds) satisfies it.
    #[must_use]
    pub fn holds_at(&self, now: i64) -> bool {
        match self {
            Self::Unconditional => true,
            Self::And(v) => v.iter().all(|p| p.holds_at(now)),
            Self::Or(v) => v.iter().any(|p| p.holds_at(now)),
            Self::Not(p) => !p.holds_at(now),
            Self::AbsBeforeEpoch(t) => now < *t,
        }
    }

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
}

/// Why holdings were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HoldingsError {
    /// A field out of bounds or of the wrong format.
    #[error("invalid Stellar holdings: {field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
}

fn check_code(code: &str) -> Result<(), HoldingsError> {
    if (1..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(HoldingsError::Invalid { field: "code", reason: "not 1 to 12 ASCII letters and digits" })
    }
}

impl StellarHoldings {
    /// Checks every field's format and bounds.
    ///
    /// # Errors
    /// [`HoldingsError::Invalid`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<(), HoldingsError> {
        let bad = |field, reason| Err(HoldingsError::Invalid { field, reason });
        if strkey::parse_address(&self.address).is_err() {
            return bad("address", "not a G... address");
        }
        if !self.exists {
            return Ok(());
        }
        if self.sequence < 0 {
            return bad("sequence", "negative");
        }
        if self.native < 0 {
            return bad("native", "negative");
        }
        for (len, field) in [
            (self.trustlines.len(), "trustlines"),
            (self.offers.len(), "offers"),
            (self.data.len(), "data"),
            (self.claimable_balances.len(), "claimable_balances"),
        ] {
            if len > MAX_ENTRIES {
                return bad(field, "more than 1000 entries");
            }
        }
        for t in &self.trustlines {
            match t {
                StellarTrustline::Credit { code, issuer, balance, limit, .. } => {
                    check_code(code)?;
                    if strkey::parse_address(issuer).is_err() {
                        return bad("trustlines.issuer", "not a G... address");
                    }
                    if *balance < 0 || *limit < 0 {
                        return bad("trustlines.balance", "negative");
                    }
                }
                StellarTrustline::PoolShares { pool_id, balance } => {
                    if pool_id.len() != 64 || !pool_id.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return bad("trustlines.pool_id", "not 64 hex digits");
                    }
                    if *balance < 0 {
                        return bad("trustlines.balance", "negative");
                    }
                }
            }
        }
        for o in &self.offers {
            if o.id == 0 || o.id > i64::MAX as u64 {
                return bad("offers.id", "not a positive 63-bit number");
            }
            if o.price_n <= 0 || o.price_d <= 0 {
                return bad("offers.price", "not a positive fraction");
            }
            if o.amount < 0 {
                return bad("offers.amount", "negative");
            }
            if o.selling == o.buying {
                return bad("offers", "sells and buys the same asset");
            }
        }
        for d in &self.data {
            if d.is_empty() || d.len() > 64 {
                return bad("data", "a name is 1 to 64 bytes");
            }
        }
        for c in &self.claimable_balances {
            c.hash()?;
            if c.amount <= 0 {
                return bad("claimable_balances.amount", "not positive");
            }
            if c.predicate.depth() > MAX_PREDICATE_DEPTH || !c.predicate.well_formed() {
                return bad("claimable_balances.predicate", "deeper than 4 levels, or and/or without two parts");
            }
        }
        Ok(())
    }
}

/// Serde for stroops and other 64-bit integers as decimal strings (JSON numbers lose precision past 2^53 in many
/// readers; the network protocol writes amounts the same way). A JSON number is read too.
#[cfg(feature = "serde")]
mod stroops {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(i64),
    }

    pub(super) fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        match Either::deserialize(d)? {
            Either::Number(n) => Ok(n),
            Either::Text(t) if !t.is_empty() && t.len() <= 20 && t.bytes().all(|b| b.is_ascii_digit()) => {
                t.parse().map_err(|_| D::Error::custom("a decimal integer out of range"))
            }
            Either::Text(_) => Err(D::Error::custom("expected a decimal integer as a string")),
        }
    }
}

/// As [`stroops`], for unsigned ids.
#[cfg(feature = "serde")]
mod decimal_u64 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(u64),
    }

    pub(super) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        match Either::deserialize(d)? {
            Either::Number(n) => Ok(n),
            Either::Text(t) if !t.is_empty() && t.len() <= 20 && t.bytes().all(|b| b.is_ascii_digit()) => {
                t.parse().map_err(|_| D::Error::custom("a decimal integer out of range"))
            }
            Either::Text(_) => Err(D::Error::custom("expected a decimal integer as a string")),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ISSUER: &str = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";

    #[test]
    fn predicates_evaluate_at_a_time() {
        use ClaimPredicate as P;
        assert!(P::Unconditional.holds_at(0));
        assert!(P::AbsBeforeEpoch(100).holds_at(99));
        assert!(!P::AbsBeforeEpoch(100).holds_at(100));
        let after = P::Not(Box::new(P::AbsBeforeEpoch(100)));
        assert!(after.holds_at(100) && !after.holds_at(50));
        let window = P::And(vec![after.clone(), P::AbsBeforeEpoch(200)]);
        assert!(window.holds_at(150) && !window.holds_at(250) && !window.holds_at(50));
        assert!(P::Or(vec![window, P::Unconditional]).holds_at(1000));
    }

    #[test]
    fn validation_refuses_what_the_ledger_cannot_hold() {
        let good = StellarHoldings {
            address: ISSUER.into(),
            exists: true,
            native: 10,
            claimable_balances: vec![StellarClaimable {
                id: format!("00000000{}", "ab".repeat(32)),
                asset: StellarAsset::Native,
                amount: 5,
                predicate: ClaimPredicate::Unconditional,
            }],
            ..StellarHoldings::default()
        };
        good.validate().unwrap();
        let bad = |f: &dyn Fn(&mut StellarHoldings)| {
            let mut h = good.clone();
            f(&mut h);
            h.validate().is_err()
        };
        assert!(bad(&|h| h.address = "GABC".into()));
        assert!(bad(&|h| h.native = -1));
        assert!(bad(&|h| h.claimable_balances[0].id = "ab".repeat(36)));
        assert!(bad(&|h| h.claimable_balances[0].predicate = ClaimPredicate::And(vec![ClaimPredicate::Unconditional])));
        assert!(bad(&|h| {
            let mut p = ClaimPredicate::Unconditional;
            for _ in 0..4 {
                p = ClaimPredicate::Not(Box::new(p));
            }
            h.claimable_balances[0].predicate = p;
        }));
        assert!(bad(&|h| h.data = vec![String::new()]));
        assert!(bad(&|h| h.offers = vec![StellarOffer {
            id: 0,
            selling: StellarAsset::Native,
            buying: StellarAsset::parse(&format!("USDC:{ISSUER}")).unwrap(),
            amount: 1,
            price_n: 1,
            price_d: 1,
        }]));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn the_documented_json_reads() {
        let text = format!(
            r#"{{"address":"{ISSUER}","exists":true,"sequence":"120192344791990275","native":"99999999900",
            "trustlines":[{{"type":"credit","code":"USDC","issuer":"{ISSUER}","balance":"25000000",
              "limit":"9223372036854775807","authorized":true,"auth_required":false}},
              {{"type":"pool_shares","pool_id":"{pool}","balance":"1"}}],
            "offers":[{{"id":"5","selling":"native","buying":"USDC:{ISSUER}","amount":"10","price_n":1,"price_d":2}}],
            "data":["config.memo"],
            "claimable_balances":[{{"id":"00000000{cb}","asset":"native","amount":"5",
              "predicate":{{"and":[{{"not":{{"abs_before_epoch":"1600000000"}}}},"unconditional"]}}}}],
            "subentry_count":4,"num_sponsoring":0,"num_sponsored":0}}"#,
            pool = "ab".repeat(32),
            cb = "cd".repeat(32)
        );
        let h: StellarHoldings = serde_json::from_str(&text).unwrap();
        h.validate().unwrap();
        assert_eq!(h.sequence, 120_192_344_791_990_275);
        assert_eq!(h.offers[0].id, 5);
        assert!(h.claimable_balances[0].predicate.holds_at(1_700_000_000));
        let back: StellarHoldings = serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        assert_eq!(back, h);
        assert!(serde_json::from_str::<StellarHoldings>(&text.replace("\"exists\"", "\"exist\"")).is_err());
    }
}
