//! The IOTA (Rebased) JSON-RPC client (<https://docs.iota.org/iota-api-ref>): every answer is parsed into a typed
//! struct, checked against the request (the coin type asked for, the owner of every listed object) and turned into
//! a protocol [`Reply`]. Amounts, versions and the gas price arrive as decimal strings and stay integers.

use std::cell::RefCell;
use std::collections::BTreeSet;

use base64::Engine as _;
use coffer_net_proto::{
    Amount, Call, Chain, Coin, CoinBalance, MAX_COIN_TYPES, MAX_IOTA_OBJECTS, NetError, NetErrorKind, Network,
    OwnedObject, Reply, check_address, check_move_type,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

/// The most items one page may ask for (the IOTA node's `QUERY_MAX_RESULT_LIMIT`).
const PAGE: usize = 50;

type Result<T> = std::result::Result<T, NetError>;

fn malformed(what: impl Into<String>) -> NetError {
    NetError::new(NetErrorKind::MalformedAnswer, what)
}

/// The chain identifier (the first four bytes of the genesis checkpoint's digest, in hex) each public network's
/// node must report for `iota_getChainIdentifier`; `None` where none is checked (devnet, reset from time to time,
/// and localnet).
fn expected_chain_identifier(network: Network) -> Option<&'static str> {
    match network {
        Network::Mainnet => Some("6364aad5"),
        Network::Testnet => Some("2304aa97"),
        _ => None,
    }
}

/// An IOTA client over one transport; remembers which endpoints passed the chain identifier check.
#[derive(Debug)]
pub struct Client<'a> {
    transport: &'a Transport,
    checked: RefCell<BTreeSet<String>>,
    next_id: RefCell<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Balance {
    coin_type: String,
    coin_object_count: u64,
    total_balance: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    data: Vec<T>,
    next_cursor: Option<Value>,
    has_next_page: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RpcCoin {
    coin_type: String,
    coin_object_id: String,
    version: String,
    digest: String,
    balance: String,
}

#[derive(Deserialize)]
struct ObjectResponse {
    data: Option<ObjectData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObjectData {
    object_id: String,
    version: String,
    digest: String,
    #[serde(rename = "type")]
    object_type: Option<String>,
    owner: Option<Value>,
    /// `showContent`: `{"dataType": "moveObject", "type", "hasPublicTransfer", "fields"}` (`IotaParsedData`), or
    /// `{"dataType": "package", …}`.
    content: Option<Content>,
}

/// An object's parsed content (`IotaParsedMoveObject`; a package's has neither field).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Content {
    has_public_transfer: Option<bool>,
    fields: Option<Value>,
}

/// A u64 as the JSON-RPC writes Move integers: u64 and wider as decimal strings, narrower ones as numbers.
fn move_u64(value: &Value) -> Option<u64> {
    match value {
        Value::String(text) => version(text).ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// When a lock on an object ends (UNIX milliseconds): a `0x2::timelock::TimeLock<T>`'s `expiration_timestamp_ms`
/// (iotaledger/iota `crates/iota-framework/packages/iota-framework/sources/timelock.move`), or a Stardust output's
/// `timelock: Option<TimelockUnlockCondition>` (`crates/iota-framework/packages/stardust/sources/unlock_condition/
/// timelock_unlock_condition.move`: `unix_time: u32`, seconds; `null` when the output has none; the nested struct
/// as `{"type", "fields": {"unix_time"}}`). `None` for any other type.
fn timelock_end(object_type: &str, content: Option<&Content>) -> Result<Option<u64>> {
    let canonical = coffer_net_proto::canonical_move_type(object_type).unwrap_or_default();
    let full = |t: &str| coffer_net_proto::canonical_move_type(t).unwrap_or_default() + "<";
    let fields = content.and_then(|c| c.fields.as_ref());
    let stardust = ["0x107a::basic_output::BasicOutput", "0x107a::nft_output::NftOutput"];
    if stardust.iter().any(|t| canonical.starts_with(&full(t))) {
        return match fields.and_then(|f| f.get("timelock")) {
            None | Some(Value::Null) => Ok(None),
            Some(condition) => {
                let inner = condition.get("fields").unwrap_or(condition);
                let secs = inner
                    .get("unix_time")
                    .and_then(move_u64)
                    .ok_or_else(|| malformed("a Stardust output's timelock without its unix_time"))?;
                Ok(Some(secs.saturating_mul(1000)))
            }
        };
    }
    if !canonical.starts_with(&full("0x2::timelock::TimeLock")) {
        return Ok(None);
    }
    let field = fields
        .and_then(|f| f.get("expiration_timestamp_ms"))
        .ok_or_else(|| malformed("a TimeLock without its expiration_timestamp_ms (asked with showContent)"))?;
    move_u64(field).map(Some).ok_or_else(|| malformed("a TimeLock's expiration is not a u64"))
}

/// `DryRunTransactionBlockResponse`: the effects the transaction would have.
#[derive(Deserialize)]
struct DryRunResponse {
    effects: Effects,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Effects {
    status: ExecutionStatus,
    gas_used: GasUsed,
}

/// `{"status": "success"}` or `{"status": "failure", "error": "…"}`.
#[derive(Deserialize)]
struct ExecutionStatus {
    status: String,
    error: Option<String>,
}

impl ExecutionStatus {
    fn outcome(self) -> Result<(bool, Option<String>)> {
        match self.status.as_str() {
            "success" => Ok((true, None)),
            "failure" => {
                let mut e = self.error.unwrap_or_default();
                e.retain(|c| !c.is_control());
                if e.len() > 500 {
                    let cut = (0..=500).rev().find(|&i| e.is_char_boundary(i)).unwrap_or(0);
                    e.truncate(cut);
                }
                Ok((false, Some(e)))
            }
            _ => Err(malformed("an execution status that is neither success nor failure")),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GasUsed {
    computation_cost: String,
    storage_cost: String,
    storage_rebate: String,
}

impl<'a> Client<'a> {
    /// A client over `transport`.
    #[must_use]
    pub fn new(transport: &'a Transport) -> Self {
        Self { transport, checked: RefCell::new(BTreeSet::new()), next_id: RefCell::new(1) }
    }

    /// Performs `call` on `endpoint`, which serves `network`.
    ///
    /// # Errors
    /// A typed [`NetError`]; `wrong_chain` when the endpoint's chain identifier is not `network`'s.
    pub fn call(&self, endpoint: &Endpoint, network: Network, call: &Call) -> Result<Reply> {
        self.check_chain(endpoint, network)?;
        match call {
            Call::CoinBalances { address } => {
                let list: Vec<Balance> = self.rpc(endpoint, "iotax_getAllBalances", json!([address]))?;
                if list.len() > MAX_COIN_TYPES {
                    return Err(malformed(format!("more than {MAX_COIN_TYPES} coin types")));
                }
                let mut seen = BTreeSet::new();
                let mut balances = Vec::with_capacity(list.len());
                for b in list {
                    check_move_type("coinType", &b.coin_type)
                        .map_err(|_| malformed("a coin type is not a Move type"))?;
                    if !seen.insert(b.coin_type.clone()) {
                        return Err(malformed("a coin type is listed twice"));
                    }
                    balances.push(CoinBalance {
                        total: amount(&b.total_balance)?,
                        coin_type: b.coin_type,
                        object_count: b.coin_object_count,
                    });
                }
                Ok(Reply::CoinBalances { address: address.clone(), balances })
            }
            Call::Coins { address, coin_type } => {
                let (coins, complete) = self.pages(
                    endpoint,
                    "iotax_getCoins",
                    |cursor| json!([address, coin_type, cursor, PAGE]),
                    |c: RpcCoin| {
                        if &c.coin_type != coin_type {
                            return Err(malformed("the endpoint listed a coin of another type than asked"));
                        }
                        let coin = Coin {
                            object_id: object_id(c.coin_object_id)?,
                            version: version(&c.version)?,
                            digest: digest(c.digest)?,
                            balance: amount(&c.balance)?,
                        };
                        Ok(coin)
                    },
                )?;
                Ok(Reply::Coins { address: address.clone(), coin_type: coin_type.clone(), coins, complete })
            }
            Call::OwnedObjects { address } => {
                let options = json!({"options": {"showType": true, "showOwner": true, "showContent": true}});
                let (objects, complete) = self.pages(
                    endpoint,
                    "iotax_getOwnedObjects",
                    |cursor| json!([address, options, cursor, PAGE]),
                    |o: ObjectResponse| {
                        let Some(d) = o.data else { return Err(malformed("an owned object without data")) };
                        let owner = d.owner.as_ref().and_then(|v| v.get("AddressOwner")).and_then(Value::as_str);
                        if owner != Some(address.as_str()) {
                            return Err(malformed("the endpoint listed an object another address owns"));
                        }
                        let object_type = d.object_type.ok_or_else(|| malformed("an owned object without a type"))?;
                        if object_type != "package" {
                            check_move_type("type", &object_type)
                                .map_err(|_| malformed("an object's type is not a Move type"))?;
                        }
                        let locked_until_ms = timelock_end(&object_type, d.content.as_ref())?;
                        Ok(OwnedObject {
                            object_id: object_id(d.object_id)?,
                            version: version(&d.version)?,
                            digest: digest(d.digest)?,
                            public_transfer: d.content.as_ref().and_then(|c| c.has_public_transfer),
                            locked_until_ms,
                            object_type,
                        })
                    },
                )?;
                Ok(Reply::OwnedObjects { address: address.clone(), objects, complete })
            }
            Call::ReferenceGasPrice => {
                let price: String = self.rpc(endpoint, "iotax_getReferenceGasPrice", json!([]))?;
                Ok(Reply::ReferenceGasPrice { price: amount(&price)? })
            }
            Call::ExecuteTransaction { transaction, signatures } => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(transaction)
                    .map_err(|_| NetError::new(NetErrorKind::BadRequest, "the transaction is not base64"))?;
                let expected = crate::sui::transaction_digest(&bytes);
                #[derive(Deserialize)]
                struct Executed {
                    digest: String,
                }
                let params = json!([transaction, signatures, {"showEffects": true}]);
                let done: Executed =
                    self.rpc_with(endpoint, "iota_executeTransactionBlock", params, Idempotent::No)?.ok_or_else(
                        || malformed("iota_executeTransactionBlock: the answer has neither a result nor an error"),
                    )?;
                // The digest is the hash of the bytes sent: an endpoint that reports another one is lying or broken.
                if done.digest != expected {
                    return Err(malformed(
                        "iota_executeTransactionBlock: the endpoint reported another digest than the transaction's",
                    ));
                }
                Ok(Reply::Sent { signature: done.digest })
            }
            Call::History { address, limit } => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Block {
                    digest: String,
                    checkpoint: Option<String>,
                    timestamp_ms: Option<String>,
                    effects: Option<BlockEffects>,
                }
                #[derive(Deserialize)]
                struct BlockEffects {
                    status: BlockStatus,
                }
                #[derive(Deserialize)]
                struct BlockStatus {
                    status: String,
                }
                let limit = *limit as usize;
                let query = json!({"filter": {"FromOrToAddress": {"addr": address}}, "options": {"showEffects": true}});
                let (entries, _) = self.pages_up_to(
                    endpoint,
                    "iotax_queryTransactionBlocks",
                    limit,
                    |cursor, n| json!([query, cursor, n, true]),
                    |b: Block| {
                        if !is_digest(&b.digest) {
                            return Err(malformed("a transaction digest is not base58 of 32 bytes"));
                        }
                        let failed = match b.effects.as_ref().map(|e| e.status.status.as_str()) {
                            Some("success") | None => false,
                            Some("failure") => true,
                            Some(_) => return Err(malformed("a transaction status is neither success nor failure")),
                        };
                        let slot = b.checkpoint.as_deref().map(version).transpose()?.unwrap_or(0);
                        let block_time = b
                            .timestamp_ms
                            .as_deref()
                            .map(version)
                            .transpose()?
                            .map(|ms| i64::try_from(ms / 1000).unwrap_or(i64::MAX));
                        Ok(coffer_net_proto::SignatureInfo { signature: b.digest, slot, block_time, failed })
                    },
                )?;
                Ok(Reply::History { address: address.clone(), entries })
            }
            Call::CoinMetadata { coin_type } => {
                #[derive(Deserialize)]
                struct Metadata {
                    decimals: i64,
                    symbol: String,
                }
                let found: Option<Metadata> =
                    self.rpc_with(endpoint, "iotax_getCoinMetadata", json!([coin_type]), Idempotent::Yes)?;
                let metadata = match found {
                    None => None,
                    Some(m) => {
                        let decimals = u8::try_from(m.decimals)
                            .ok()
                            .filter(|d| *d <= 38)
                            .ok_or_else(|| malformed("iotax_getCoinMetadata: decimals out of range"))?;
                        if m.symbol.len() > coffer_net_proto::MAX_SYMBOL || m.symbol.chars().any(char::is_control) {
                            return Err(malformed(
                                "iotax_getCoinMetadata: the symbol is too long or has control characters",
                            ));
                        }
                        Some(coffer_net_proto::CoinMetadata { decimals, symbol: m.symbol })
                    }
                };
                Ok(Reply::CoinMetadata { coin_type: coin_type.clone(), metadata })
            }
            Call::DryRunTransactionBlock { tx_bytes } => {
                let r: DryRunResponse = self.rpc(endpoint, "iota_dryRunTransactionBlock", json!([tx_bytes]))?;
                let (success, error) = r.effects.status.outcome()?;
                let gas = r.effects.gas_used;
                Ok(Reply::DryRun {
                    success,
                    error,
                    computation_cost: amount(&gas.computation_cost)?,
                    storage_cost: amount(&gas.storage_cost)?,
                    storage_rebate: amount(&gas.storage_rebate)?,
                })
            }
            _ => Err(NetError::new(NetErrorKind::Unsupported, format!("{} is not served for iota", call.method()))),
        }
    }

    /// Follows `nextCursor` until the last page or [`MAX_IOTA_OBJECTS`] items; the flag says whether every item
    /// was read.
    fn pages<R: DeserializeOwned, T>(
        &self,
        endpoint: &Endpoint,
        method: &str,
        params: impl Fn(&Value) -> Value,
        convert: impl FnMut(R) -> Result<T>,
    ) -> Result<(Vec<T>, bool)> {
        self.pages_up_to(endpoint, method, MAX_IOTA_OBJECTS, |cursor, _| params(cursor), convert)
    }

    /// Follows `nextCursor` until the last page or `cap` items, asking for at most [`PAGE`] (and no more than are
    /// still wanted) a page; the flag says whether every item was read.
    fn pages_up_to<R: DeserializeOwned, T>(
        &self,
        endpoint: &Endpoint,
        method: &str,
        cap: usize,
        params: impl Fn(&Value, usize) -> Value,
        mut convert: impl FnMut(R) -> Result<T>,
    ) -> Result<(Vec<T>, bool)> {
        let mut items = Vec::new();
        let mut cursor = Value::Null;
        let mut cursors = BTreeSet::new();
        loop {
            let page: Page<R> = self.rpc(endpoint, method, params(&cursor, PAGE.min(cap - items.len())))?;
            if page.data.len() > PAGE {
                return Err(malformed(format!("{method}: a page holds more items than asked for")));
            }
            for raw in page.data {
                if items.len() == cap {
                    return Ok((items, false));
                }
                items.push(convert(raw)?);
            }
            if !page.has_next_page {
                return Ok((items, true));
            }
            let next = page.next_cursor.ok_or_else(|| malformed(format!("{method}: a next page without a cursor")))?;
            if next.is_null() || !cursors.insert(next.to_string()) || next.to_string().len() > 512 {
                return Err(malformed(format!("{method}: the endpoint repeated or broke the cursor")));
            }
            if items.len() == cap {
                return Ok((items, false));
            }
            cursor = next;
        }
    }

    /// Asks an endpoint for its chain identifier once per process and refuses one that serves another network.
    fn check_chain(&self, endpoint: &Endpoint, network: Network) -> Result<()> {
        let Some(expected) = expected_chain_identifier(network) else { return Ok(()) };
        if self.checked.borrow().contains(&endpoint.url) {
            return Ok(());
        }
        let id: String = self.rpc(endpoint, "iota_getChainIdentifier", json!([]))?;
        if id != expected {
            return Err(NetError::new(
                NetErrorKind::WrongChain,
                format!(
                    "{} serves another network than iota {} (chain identifier differs)",
                    endpoint.origin,
                    network.name()
                ),
            ));
        }
        self.checked.borrow_mut().insert(endpoint.url.clone());
        Ok(())
    }

    /// One JSON-RPC call (a read), its result parsed as `T`.
    fn rpc<T: DeserializeOwned>(&self, endpoint: &Endpoint, method: &str, params: Value) -> Result<T> {
        self.rpc_with(endpoint, method, params, Idempotent::Yes)?
            .ok_or_else(|| malformed(format!("{method}: the answer has neither a result nor an error")))
    }

    /// One JSON-RPC call: its result parsed as `T`, `None` for a missing or `null` result.
    fn rpc_with<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        method: &str,
        params: Value,
        idem: Idempotent,
    ) -> Result<Option<T>> {
        crate::jsonrpc::call(self.transport, &self.next_id, endpoint, method, params, idem)
    }
}

fn amount(text: &str) -> Result<Amount> {
    Amount::parse(text).map_err(|_| malformed("an amount is not a decimal number"))
}

fn version(text: &str) -> Result<u64> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("an object version is not a decimal number"));
    }
    text.parse().map_err(|_| malformed("an object version is above 2⁶⁴"))
}

fn object_id(id: String) -> Result<String> {
    check_address("objectId", Chain::Iota, &id).map_err(|_| malformed("an object id is not 0x and 64 hex digits"))?;
    Ok(id)
}

fn digest(text: String) -> Result<String> {
    if is_digest(&text) { Ok(text) } else { Err(malformed("an object digest is not base58 of 32 bytes")) }
}

fn is_digest(text: &str) -> bool {
    !text.is_empty() && text.len() <= 44 && bs58::decode(text).into_vec().is_ok_and(|v| v.len() == 32)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn fields_are_checked() {
        assert_eq!(version("18446744073709551615").unwrap(), u64::MAX);
        for bad in ["", "-1", "18446744073709551616", "1.5", "0x1"] {
            assert!(version(bad).is_err(), "{bad}");
        }
        assert!(digest(bs58::encode([1u8; 32]).into_string()).is_ok());
        assert!(digest(bs58::encode([1u8; 31]).into_string()).is_err());
        assert!(object_id(format!("0x{}", "a".repeat(64))).is_ok());
        assert!(object_id(format!("0x{}", "A".repeat(64))).is_err());
        assert!(amount("12").is_ok() && amount("1e3").is_err() && amount("-1").is_err());
    }
}
