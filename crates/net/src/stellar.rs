//! The Stellar client, over Horizon's REST API (<https://developers.stellar.org/docs/data/apis/horizon/api-reference>):
//! every answer is parsed into a typed struct, checked against the request (the account id, the seller, the
//! claimant, the hash asked for), and turned into a protocol [`Reply`]. Amounts arrive as decimal strings with 7
//! decimals and leave as whole stroops; no float is involved.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use coffer_net_proto::{
    AddressBalance, Amount, Call, ClaimPredicate, ClaimableBalance, Confirmation, DataEntry, MAX_CLAIMABLE_BALANCES,
    MAX_STELLAR_ENTRIES, MAX_STELLAR_SIGNERS, NetError, NetErrorKind, Network, Offer, Reply, SignatureInfo,
    SignatureStatus, StellarAccount, StellarSigner, Thresholds, Trustline,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

/// The passphrase of Stellar's public network.
pub const PUBLIC_PASSPHRASE: &str = "Public Global Stellar Network ; September 2015";
/// The passphrase of the SDF test network.
pub const TESTNET_PASSPHRASE: &str = "Test SDF Network ; September 2015";

/// Horizon's largest page.
const PAGE: usize = 200;

type Result<T> = std::result::Result<T, NetError>;

fn malformed(what: impl Into<String>) -> NetError {
    NetError::new(NetErrorKind::MalformedAnswer, what)
}

/// The network passphrase each network's Horizon must report; `None` where none is checked (localnet).
fn expected_passphrase(network: Network) -> Result<Option<&'static str>> {
    match network {
        Network::Mainnet => Ok(Some(PUBLIC_PASSPHRASE)),
        Network::Testnet => Ok(Some(TESTNET_PASSPHRASE)),
        Network::Localnet => Ok(None),
        other => Err(NetError::new(
            NetErrorKind::Unsupported,
            format!("stellar has no {} network (mainnet is the public network)", other.name()),
        )),
    }
}

/// A Horizon client over one transport; remembers which endpoints passed the passphrase check.
#[derive(Debug)]
pub struct Client<'a> {
    transport: &'a Transport,
    checked: RefCell<BTreeSet<String>>,
}

#[derive(Deserialize)]
struct Root {
    network_passphrase: String,
}

#[derive(Deserialize)]
struct HAccount {
    account_id: String,
    sequence: String,
    subentry_count: u32,
    #[serde(default)]
    num_sponsoring: u32,
    #[serde(default)]
    num_sponsored: u32,
    last_modified_ledger: u64,
    thresholds: HThresholds,
    balances: Vec<HBalance>,
    signers: Vec<HSigner>,
    #[serde(default)]
    data: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct HThresholds {
    low_threshold: u8,
    med_threshold: u8,
    high_threshold: u8,
}

#[derive(Deserialize)]
struct HBalance {
    asset_type: String,
    balance: String,
    limit: Option<String>,
    asset_code: Option<String>,
    asset_issuer: Option<String>,
    liquidity_pool_id: Option<String>,
}

#[derive(Deserialize)]
struct HSigner {
    key: String,
    weight: u8,
}

#[derive(Deserialize)]
struct Page<T> {
    #[serde(rename = "_embedded")]
    embedded: Records<T>,
}

#[derive(Deserialize)]
struct Records<T> {
    records: Vec<T>,
}

#[derive(Deserialize)]
struct HAsset {
    asset_type: String,
    asset_code: Option<String>,
    asset_issuer: Option<String>,
}

#[derive(Deserialize)]
struct HPrice {
    n: i64,
    d: i64,
}

#[derive(Deserialize)]
struct HOffer {
    id: String,
    paging_token: String,
    seller: String,
    selling: HAsset,
    buying: HAsset,
    amount: String,
    price_r: HPrice,
}

#[derive(Deserialize)]
struct HClaimable {
    id: String,
    paging_token: String,
    asset: String,
    amount: String,
    sponsor: Option<String>,
    claimants: Vec<HClaimant>,
}

#[derive(Deserialize)]
struct HClaimant {
    destination: String,
    #[serde(default)]
    predicate: Option<HPredicate>,
}

/// Horizon's claim predicate: exactly one of its keys (`abs_before` comes with `abs_before_epoch`).
#[derive(Deserialize)]
struct HPredicate {
    #[serde(default)]
    unconditional: Option<bool>,
    #[serde(default)]
    and: Option<Vec<HPredicate>>,
    #[serde(default)]
    or: Option<Vec<HPredicate>>,
    #[serde(default)]
    not: Option<Box<HPredicate>>,
    #[serde(default)]
    abs_before_epoch: Option<String>,
}

/// Converts a Horizon predicate, at most [`coffer_net_proto::MAX_PREDICATE_DEPTH`] deep.
fn predicate(p: &HPredicate, depth: usize) -> Result<ClaimPredicate> {
    let bad = || malformed("a claimable balance's predicate is not one Stellar has");
    if depth > coffer_net_proto::MAX_PREDICATE_DEPTH {
        return Err(bad());
    }
    let pair = |v: &[HPredicate]| -> Result<Vec<ClaimPredicate>> {
        if v.len() != 2 {
            return Err(bad());
        }
        v.iter().map(|q| predicate(q, depth + 1)).collect()
    };
    match (p.unconditional, &p.and, &p.or, &p.not, &p.abs_before_epoch) {
        (Some(true), None, None, None, None) => Ok(ClaimPredicate::Unconditional),
        (None, Some(v), None, None, None) => Ok(ClaimPredicate::And(pair(v)?)),
        (None, None, Some(v), None, None) => Ok(ClaimPredicate::Or(pair(v)?)),
        (None, None, None, Some(q), None) => Ok(ClaimPredicate::Not(Box::new(predicate(q, depth + 1)?))),
        (None, None, None, None, Some(t)) => t.parse::<i64>().map(ClaimPredicate::AbsBeforeEpoch).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

#[derive(Deserialize)]
struct HTransaction {
    hash: String,
    ledger: u64,
    successful: bool,
    created_at: String,
    paging_token: String,
    /// The signed envelope, base64 XDR (`GET /transactions/{hash}`).
    #[serde(default)]
    envelope_xdr: Option<String>,
}

#[derive(Deserialize)]
struct Submitted {
    hash: String,
}

/// Horizon's error shape (RFC 7807 problem details, with `extras.result_codes` for a failed transaction).
#[derive(Deserialize)]
struct Problem {
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    extras: Option<ProblemExtras>,
}

#[derive(Deserialize)]
struct ProblemExtras {
    result_codes: Option<ResultCodes>,
}

#[derive(Deserialize)]
struct ResultCodes {
    transaction: Option<String>,
    #[serde(default)]
    operations: Vec<String>,
}

impl<'a> Client<'a> {
    /// A client over `transport`.
    #[must_use]
    pub fn new(transport: &'a Transport) -> Self {
        Self { transport, checked: RefCell::new(BTreeSet::new()) }
    }

    /// Performs `call` on `endpoint`, which serves `network`.
    ///
    /// # Errors
    /// A typed [`NetError`]; `wrong_chain` when the endpoint's network passphrase is not `network`'s.
    pub fn call(&self, endpoint: &Endpoint, network: Network, call: &Call) -> Result<Reply> {
        self.check_network(endpoint, network)?;
        match call {
            Call::Account { address } => {
                let account = self.account(endpoint, address)?;
                Ok(Reply::Account { address: address.clone(), account })
            }
            Call::Offers { address } => {
                Ok(Reply::Offers { address: address.clone(), offers: self.offers(endpoint, address)? })
            }
            Call::ClaimableBalances { address } => {
                let (balances, complete) = self.claimable(endpoint, address)?;
                Ok(Reply::ClaimableBalances { address: address.clone(), balances, complete })
            }
            Call::SendTransaction { transaction } => self.submit(endpoint, transaction),
            Call::SignatureStatuses { signatures } => {
                let statuses = signatures.iter().map(|h| self.status(endpoint, h)).collect::<Result<Vec<_>>>()?;
                Ok(Reply::SignatureStatuses { statuses })
            }
            Call::History { address, limit } => {
                let entries = self.history(endpoint, address, *limit as usize)?;
                Ok(Reply::History { address: address.clone(), entries })
            }
            Call::Transaction { signature } => self.transaction(endpoint, signature),
            Call::Balances { addresses } => {
                // Horizon has no batch request: one `GET /accounts/{id}` per address (0 for one that does not
                // exist).
                let mut balances = Vec::with_capacity(addresses.len());
                for address in addresses {
                    let amount = self.account(endpoint, address)?.map_or_else(|| Amount::from_u128(0), |a| a.balance);
                    balances.push(AddressBalance { address: address.clone(), amount });
                }
                let requests = u32::try_from(addresses.len()).unwrap_or(u32::MAX);
                Ok(Reply::Balances { balances, requests })
            }
            _ => Err(NetError::new(
                NetErrorKind::Unsupported,
                format!("{} is not served for stellar (ask for account)", call.method()),
            )),
        }
    }

    /// Asks an endpoint for its network passphrase (`GET /`) once per process and refuses one that serves another
    /// network.
    fn check_network(&self, endpoint: &Endpoint, network: Network) -> Result<()> {
        let Some(expected) = expected_passphrase(network)? else { return Ok(()) };
        if self.checked.borrow().contains(&endpoint.url) {
            return Ok(());
        }
        let root: Root = self.get_json(endpoint, "/", &[], "the root")?;
        if root.network_passphrase != expected {
            return Err(NetError::new(
                NetErrorKind::WrongChain,
                format!(
                    "{} serves another network than stellar {} (its network passphrase differs)",
                    endpoint.origin,
                    network.name()
                ),
            ));
        }
        self.checked.borrow_mut().insert(endpoint.url.clone());
        Ok(())
    }

    /// `GET /accounts/{id}`: the account, or `None` for a 404 (it does not exist).
    fn account(&self, endpoint: &Endpoint, address: &str) -> Result<Option<StellarAccount>> {
        let url = url(endpoint, &format!("/accounts/{address}"), &[]);
        let (status, body) = self.transport.get(&url, &[200, 404])?;
        if status == 404 {
            // Only Horizon's own "not found" problem means the account does not exist; a 404 from something else
            // (a wrong path on a proxy) must not pass for an empty account.
            let problem: Problem = parse(&body, "the account's 404")?;
            if problem.kind.as_deref().is_some_and(|k| k.ends_with("/not_found")) {
                return Ok(None);
            }
            return Err(malformed("the endpoint answered 404 without Horizon's not_found problem"));
        }
        let h: HAccount = parse(&body, "the account")?;
        if h.account_id != address {
            return Err(malformed("the endpoint answered with another account"));
        }
        if h.balances.len() > MAX_STELLAR_ENTRIES + 1 || h.data.len() > MAX_STELLAR_ENTRIES {
            return Err(malformed("the account lists more entries than Stellar allows"));
        }
        if h.signers.len() > MAX_STELLAR_SIGNERS {
            return Err(malformed("the account lists more signers than Stellar allows"));
        }
        let mut native = None;
        let mut trustlines = Vec::new();
        for b in h.balances {
            let balance = stroops(&b.balance)?;
            let limit = || b.limit.as_deref().ok_or_else(|| malformed("a trustline without a limit")).and_then(stroops);
            match b.asset_type.as_str() {
                "native" => {
                    if native.replace(balance).is_some() {
                        return Err(malformed("two native balances"));
                    }
                }
                "credit_alphanum4" | "credit_alphanum12" => trustlines.push(Trustline::Credit {
                    code: b.asset_code.clone().ok_or_else(|| malformed("a trustline without a code"))?,
                    issuer: b.asset_issuer.clone().ok_or_else(|| malformed("a trustline without an issuer"))?,
                    balance,
                    limit: limit()?,
                }),
                "liquidity_pool_shares" => trustlines.push(Trustline::PoolShares {
                    pool_id: b.liquidity_pool_id.clone().ok_or_else(|| malformed("pool shares without a pool id"))?,
                    balance,
                    limit: limit()?,
                }),
                _ => return Err(malformed("a balance of an unknown asset type")),
            }
        }
        let sequence = Amount::parse(&h.sequence).map_err(|_| malformed("the sequence number is not a number"))?;
        let account = StellarAccount {
            sequence,
            balance: native.ok_or_else(|| malformed("the account has no native balance"))?,
            trustlines,
            subentry_count: h.subentry_count,
            num_sponsoring: h.num_sponsoring,
            num_sponsored: h.num_sponsored,
            data: h.data.into_iter().map(|(name, value)| DataEntry { name, value }).collect(),
            signers: h.signers.into_iter().map(|s| StellarSigner { key: s.key, weight: s.weight }).collect(),
            thresholds: Thresholds {
                low: h.thresholds.low_threshold,
                med: h.thresholds.med_threshold,
                high: h.thresholds.high_threshold,
            },
            last_modified_ledger: h.last_modified_ledger,
        };
        account.validate().map_err(|e| malformed(format!("the account breaks a bound: {e}")))?;
        Ok(Some(account))
    }

    /// `GET /accounts/{id}/offers`, every page (an account has at most 1000 subentries).
    fn offers(&self, endpoint: &Endpoint, address: &str) -> Result<Vec<Offer>> {
        let path = format!("/accounts/{address}/offers");
        let mut offers = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page: Page<HOffer> = self.page(endpoint, &path, &[("order", "asc")], cursor.as_deref())?;
            let full = page.embedded.records.len() >= PAGE;
            for o in page.embedded.records {
                if o.seller != address {
                    return Err(malformed("the endpoint listed an offer of another account"));
                }
                cursor = Some(o.paging_token);
                let price = |v: i64| u32::try_from(v).ok().filter(|&v| v > 0 && v <= i32::MAX as u32);
                let offer = Offer {
                    id: o.id.parse().map_err(|_| malformed("an offer id is not a number"))?,
                    selling: asset(&o.selling)?,
                    buying: asset(&o.buying)?,
                    amount: stroops(&o.amount)?,
                    price_n: price(o.price_r.n).ok_or_else(|| malformed("an offer's price is not positive"))?,
                    price_d: price(o.price_r.d).ok_or_else(|| malformed("an offer's price is not positive"))?,
                };
                offer.validate().map_err(|e| malformed(format!("an offer breaks a bound: {e}")))?;
                offers.push(offer);
                if offers.len() > MAX_STELLAR_ENTRIES {
                    return Err(malformed("more offers than an account may have"));
                }
            }
            if !full {
                return Ok(offers);
            }
        }
    }

    /// `GET /claimable_balances?claimant={id}`, up to [`MAX_CLAIMABLE_BALANCES`]; the flag says whether that was
    /// all.
    fn claimable(&self, endpoint: &Endpoint, address: &str) -> Result<(Vec<ClaimableBalance>, bool)> {
        let mut balances = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let query = [("claimant", address), ("order", "asc")];
            let page: Page<HClaimable> = self.page(endpoint, "/claimable_balances", &query, cursor.as_deref())?;
            let full = page.embedded.records.len() >= PAGE;
            for c in page.embedded.records {
                let Some(mine) = c.claimants.iter().find(|cl| cl.destination == address) else {
                    return Err(malformed("the endpoint listed a claimable balance the account cannot claim"));
                };
                let predicate = mine.predicate.as_ref().map(|p| predicate(p, 1)).transpose()?;
                cursor = Some(c.paging_token);
                let balance = ClaimableBalance {
                    id: c.id,
                    asset: c.asset,
                    amount: stroops(&c.amount)?,
                    sponsor: c.sponsor,
                    predicate,
                };
                balance.validate().map_err(|e| malformed(format!("a claimable balance breaks a bound: {e}")))?;
                if balances.len() == MAX_CLAIMABLE_BALANCES {
                    return Ok((balances, false));
                }
                balances.push(balance);
            }
            if !full {
                return Ok((balances, true));
            }
        }
    }

    /// `POST /transactions` with the form field `tx`: the hash, or Horizon's result codes as a rejection.
    fn submit(&self, endpoint: &Endpoint, transaction: &str) -> Result<Reply> {
        let form = format!("tx={}", form_encode(transaction));
        let url = url(endpoint, "/transactions", &[]);
        let (status, body) = self.transport.post_form(&url, form.as_bytes(), &[200, 400, 504], Idempotent::No)?;
        match status {
            200 => {
                let s: Submitted = parse(&body, "the submission")?;
                if s.hash.len() != 64 || !s.hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(malformed("the submission's hash is not 64 hex digits"));
                }
                Ok(Reply::Sent { signature: s.hash.to_ascii_lowercase() })
            }
            504 => Err(NetError::new(
                NetErrorKind::Timeout,
                "Horizon timed out waiting for the transaction to be included; it may still be: check its status",
            )),
            _ => {
                let p: Problem = parse(&body, "the rejection")?;
                let codes = p.extras.and_then(|e| e.result_codes);
                let title = p.title.unwrap_or_else(|| "rejected".to_owned());
                let message = match codes {
                    Some(c) => {
                        let tx = c.transaction.unwrap_or_default();
                        if c.operations.is_empty() {
                            format!("{title}: {tx}")
                        } else {
                            format!("{title}: {tx} ({})", c.operations.join(", "))
                        }
                    }
                    None => title,
                };
                Err(NetError::new(NetErrorKind::Rejected, message))
            }
        }
    }

    /// `GET /transactions/{hash}`: `None` for a 404 (Horizon does not know it, or not yet).
    fn status(&self, endpoint: &Endpoint, hash: &str) -> Result<Option<SignatureStatus>> {
        let hash = hash.to_ascii_lowercase();
        let (status, body) = self.transport.get(&url(endpoint, &format!("/transactions/{hash}"), &[]), &[200, 404])?;
        if status == 404 {
            return Ok(None);
        }
        let t: HTransaction = parse(&body, "the transaction")?;
        if !t.hash.eq_ignore_ascii_case(&hash) {
            return Err(malformed("the endpoint answered with another transaction"));
        }
        // A transaction Horizon shows is in a closed ledger, and a closed ledger is final.
        Ok(Some(SignatureStatus { slot: t.ledger, confirmation: Confirmation::Finalized, failed: !t.successful }))
    }

    /// `GET /transactions/{hash}`: the signed envelope (`envelope_xdr`), its ledger and whether it failed; no
    /// envelope for a 404. The client decodes the envelope and checks that its hash is the one asked about.
    fn transaction(&self, endpoint: &Endpoint, hash: &str) -> Result<Reply> {
        let lower = hash.to_ascii_lowercase();
        let (status, body) = self.transport.get(&url(endpoint, &format!("/transactions/{lower}"), &[]), &[200, 404])?;
        if status == 404 {
            return Ok(Reply::Transaction { signature: hash.to_owned(), transaction: None, slot: None, failed: false });
        }
        let t: HTransaction = parse(&body, "the transaction")?;
        if !t.hash.eq_ignore_ascii_case(&lower) {
            return Err(malformed("the endpoint answered with another transaction"));
        }
        let envelope = t.envelope_xdr.ok_or_else(|| malformed("the transaction has no envelope_xdr"))?;
        coffer_net_proto::check_transaction("transaction", &envelope)
            .map_err(|_| malformed("the transaction's envelope is not base64 or too large"))?;
        Ok(Reply::Transaction {
            signature: hash.to_owned(),
            transaction: Some(envelope),
            slot: Some(t.ledger),
            failed: !t.successful,
        })
    }

    /// `GET /accounts/{id}/transactions?order=desc&include_failed=true`, newest first, `limit` at most.
    fn history(&self, endpoint: &Endpoint, address: &str, limit: usize) -> Result<Vec<SignatureInfo>> {
        let path = format!("/accounts/{address}/transactions");
        let mut entries = Vec::new();
        let mut cursor: Option<String> = None;
        while entries.len() < limit {
            let want = (limit - entries.len()).min(PAGE);
            let n = want.to_string();
            let query = [("order", "desc"), ("limit", n.as_str()), ("include_failed", "true")];
            let mut q: Vec<(&str, &str)> = query.to_vec();
            if let Some(c) = cursor.as_deref() {
                q.push(("cursor", c));
            }
            let (status, body) = self.transport.get(&url(endpoint, &path, &q), &[200, 404])?;
            if status == 404 {
                // An account that does not exist has no history.
                return Ok(entries);
            }
            let page: Page<HTransaction> = parse(&body, "the history")?;
            let got = page.embedded.records.len();
            if got > want {
                return Err(malformed("the endpoint returned more entries than asked for"));
            }
            for t in page.embedded.records {
                if t.hash.len() != 64 || !t.hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(malformed("a transaction hash is not 64 hex digits"));
                }
                cursor = Some(t.paging_token);
                entries.push(SignatureInfo {
                    signature: t.hash.to_ascii_lowercase(),
                    slot: t.ledger,
                    block_time: Some(unix_time(&t.created_at)?),
                    failed: !t.successful,
                });
            }
            if got < want {
                break;
            }
        }
        Ok(entries)
    }

    /// One page of a collection: `limit=200`, after `cursor`.
    fn page<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, &str)],
        cursor: Option<&str>,
    ) -> Result<Page<T>> {
        let limit = PAGE.to_string();
        let mut q = query.to_vec();
        q.push(("limit", &limit));
        if let Some(c) = cursor {
            q.push(("cursor", c));
        }
        let page: Page<T> = self.get_json(endpoint, path, &q, "a page")?;
        if page.embedded.records.len() > PAGE {
            return Err(malformed("a page holds more records than asked for"));
        }
        Ok(page)
    }

    fn get_json<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        path: &str,
        query: &[(&str, &str)],
        what: &str,
    ) -> Result<T> {
        let (_, body) = self.transport.get(&url(endpoint, path, query), &[200])?;
        parse(&body, what)
    }
}

fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body)
        .map_err(|e| malformed(format!("{what}: the answer is not Horizon's documented shape ({e})")))
}

/// The endpoint's URL with `path` appended and `query` added (to a query the configured URL may carry, such as a
/// provider's key).
fn url(endpoint: &Endpoint, path: &str, query: &[(&str, &str)]) -> String {
    let (base, theirs) = match endpoint.url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (endpoint.url.as_str(), None),
    };
    let mut out = format!("{}{path}", base.trim_end_matches('/'));
    let mut pairs: Vec<String> = theirs.into_iter().filter(|q| !q.is_empty()).map(str::to_owned).collect();
    pairs.extend(query.iter().map(|(k, v)| format!("{k}={}", form_encode(v))));
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for a query value or a form field.
fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Horizon's amount (`"123.4567890"`: digits, a point, exactly 7 decimals) in stroops, at most `i64::MAX`.
fn stroops(text: &str) -> Result<Amount> {
    let bad = || malformed("an amount is not a decimal with 7 decimals");
    let (whole, frac) = text.split_once('.').ok_or_else(bad)?;
    if whole.is_empty() || whole.len() > 12 || frac.len() != 7 {
        return Err(bad());
    }
    if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let value = format!("{whole}{frac}").parse::<u128>().map_err(|_| bad())?;
    if value > coffer_net_proto::MAX_STROOPS {
        return Err(malformed("an amount is above Stellar's largest"));
    }
    Ok(Amount::from_u128(value))
}

/// An asset object as `native` or `CODE:ISSUER`.
fn asset(a: &HAsset) -> Result<String> {
    match (a.asset_type.as_str(), &a.asset_code, &a.asset_issuer) {
        ("native", _, _) => Ok("native".to_owned()),
        ("credit_alphanum4" | "credit_alphanum12", Some(code), Some(issuer)) => Ok(format!("{code}:{issuer}")),
        _ => Err(malformed("an asset of an unknown type")),
    }
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time as Horizon writes it (`2024-05-01T12:34:56Z`).
fn unix_time(text: &str) -> Result<i64> {
    let bad = || malformed("a time is not YYYY-MM-DDTHH:MM:SSZ");
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64> {
        let s = text.get(r).ok_or_else(bad)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return Err(bad());
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amounts_have_exactly_seven_decimals() {
        assert_eq!(stroops("10000.0000000").unwrap().value(), 100_000_000_000);
        assert_eq!(stroops("0.0000001").unwrap().value(), 1);
        assert_eq!(stroops("922337203685.4775807").unwrap().value(), i64::MAX as u128);
        for bad in ["922337203685.4775808", "1", "1.5", "-1.0000000", "1.00000000", ".0000000", "1e3.0000000", ""] {
            assert!(stroops(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_and_urls() {
        assert_eq!(unix_time("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(unix_time("2015-09-30T16:46:54Z").unwrap(), 1_443_631_614);
        assert_eq!(unix_time("2024-02-29T23:59:59Z").unwrap(), 1_709_251_199);
        assert!(unix_time("2024-13-01T00:00:00Z").is_err());
        assert!(unix_time("2024-01-01 00:00:00").is_err());
        let e = Endpoint::parse("https://h.example/base/?key=a").unwrap();
        assert_eq!(
            url(&e, "/accounts/G", &[("cursor", "1+2")]),
            "https://h.example/base/accounts/G?key=a&cursor=1%2B2"
        );
        let e = Endpoint::parse("https://horizon.stellar.org").unwrap();
        assert_eq!(url(&e, "/", &[]), "https://horizon.stellar.org/");
        assert_eq!(form_encode("AB+/="), "AB%2B%2F%3D");
    }
}
