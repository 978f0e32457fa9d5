//! The IOTA (Rebased) JSON-RPC client (<https://docs.iota.org/iota-api-ref>): every answer is parsed into a typed
//! struct, checked against the request (the coin type asked for, the owner of every listed object) and turned into
//! a protocol [`Reply`]. Amounts, versions and the gas price arrive as decimal strings and stay integers.

use std::cell::RefCell;
use std::collections::BTreeSet;

use base64::Engine as _;
use coffer_net_proto::{
    AddressBalance, Amount, Call, Chain, Coin, CoinBalance, Confirmation, IOTA_COIN_TYPE, MAX_COIN_TYPES,
    MAX_IOTA_OBJECTS, NetError, NetErrorKind, Network, OwnedObject, Reply, SignatureInfo, SignatureStatus,
    check_address, check_move_type,
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

/// One entry of `iotax_queryTransactionBlocks` (with `showEffects`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Block {
    digest: String,
    checkpoint: Option<String>,
    timestamp_ms: Option<String>,
    effects: Option<StatusOnly>,
}

#[derive(Deserialize)]
struct StatusOnly {
    status: ExecutionStatus,
}

impl Block {
    fn entry(self) -> Result<SignatureInfo> {
        if !is_digest(&self.digest) {
            return Err(malformed("a transaction digest is not base58 of 32 bytes"));
        }
        let failed = match self.effects {
            Some(e) => !e.status.outcome()?.0,
            None => false,
        };
        let slot = self.checkpoint.as_deref().map(version).transpose()?.unwrap_or(0);
        let block_time = self
            .timestamp_ms
            .as_deref()
            .map(version)
            .transpose()?
            .map(|ms| i64::try_from(ms / 1000).unwrap_or(i64::MAX));
        Ok(SignatureInfo { signature: self.digest, slot, block_time, failed })
    }
}

/// `IotaTransactionBlockResponse` (`iota_getTransactionBlock`), the fields asked for.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionBlock {
    digest: String,
    raw_transaction: Option<String>,
    effects: Option<StatusOnly>,
    checkpoint: Option<String>,
}

/// Why the transaction bytes an endpoint returned are not the transaction asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransactionError {
    /// The endpoint answered with another digest, or no `TransactionData` in `rawTransaction` hashes to the digest
    /// asked about (recomputed here: blake2b-256 of `"TransactionData::"` and the bytes, base58).
    Digest,
    /// `rawTransaction` is not the BCS of `SenderSignedData` with one transaction signed for IOTA
    /// (intent `[0, 0, 0]`).
    Shape,
}

impl From<TransactionError> for NetError {
    fn from(e: TransactionError) -> Self {
        NetError::new(
            NetErrorKind::MalformedAnswer,
            match e {
                TransactionError::Digest => {
                    "iota_getTransactionBlock: the digest of the returned transaction is not the one asked about"
                }
                TransactionError::Shape => "iota_getTransactionBlock: rawTransaction is not SenderSignedData",
            },
        )
    }
}

/// The `TransactionData` inside the BCS `SenderSignedData` `raw` (a vector of one `SenderSignedTransaction`: the
/// intent `[0, 0, 0]`, the `TransactionData`, then its signatures as a vector of byte vectors) whose digest is
/// `digest`. The data's end is where the signatures vector starts; of the places where the rest of `raw` reads as
/// such a vector, the one whose prefix hashes to `digest` is taken, so the digest, not the parse, decides.
///
/// # Errors
/// [`TransactionError::Shape`] when `raw` does not start as one IOTA-signed transaction, [`TransactionError::Digest`]
/// when no prefix hashes to `digest`.
pub fn transaction_data<'r>(raw: &'r [u8], digest: &str) -> std::result::Result<&'r [u8], TransactionError> {
    if raw.get(..4) != Some(&[1, 0, 0, 0][..]) {
        return Err(TransactionError::Shape);
    }
    (5..raw.len())
        .filter(|&end| is_signatures(&raw[end..]))
        .map(|end| &raw[4..end])
        .find(|data| crate::sui::transaction_digest(data) == digest)
        .ok_or(TransactionError::Digest)
}

/// Whether `rest` is exactly a BCS vector of 1 to [`coffer_net_proto::MAX_MOVE_SIGNATURES`] non-empty byte vectors.
fn is_signatures(rest: &[u8]) -> bool {
    let mut at = 0;
    let Some(count) = uleb(rest, &mut at) else { return false };
    if count == 0 || count > coffer_net_proto::MAX_MOVE_SIGNATURES as u64 {
        return false;
    }
    for _ in 0..count {
        let Some(len) = uleb(rest, &mut at).and_then(|n| usize::try_from(n).ok()) else { return false };
        if len == 0 || rest.len() - at < len {
            return false;
        }
        at += len;
    }
    at == rest.len()
}

/// A BCS ULEB128 length (at most 32 bits) at `*at`.
fn uleb(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return (value <= u64::from(u32::MAX)).then_some(value);
        }
    }
    None
}

/// Whether a JSON-RPC error is the node's documented answer for an unknown digest (`IotaError::TransactionNotFound`:
/// code -32602, "Could not find the referenced transaction [...]", iotaledger/iota `crates/iota-types/src/error.rs`
/// and `crates/iota-json-rpc/src/error.rs`).
fn not_found(fault: &crate::jsonrpc::RpcFault) -> bool {
    fault.code == -32602 && fault.message.starts_with("Could not find the referenced transaction")
}

/// Whether a coin type is IOTA's native one, however its address is written.
fn is_iota(coin_type: &str) -> bool {
    let native = coffer_net_proto::canonical_move_type(IOTA_COIN_TYPE).unwrap_or_default();
    coffer_net_proto::canonical_move_type(coin_type).is_ok_and(|c| c == native)
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
            Call::History { address, limit } => self.history(endpoint, address, *limit as usize),
            Call::Transaction { signature } => self.transaction(endpoint, signature),
            Call::SignatureStatuses { signatures } => self.statuses(endpoint, signatures),
            Call::Balances { addresses } => {
                let params = addresses.iter().map(|a| json!([a, IOTA_COIN_TYPE])).collect();
                let (answers, requests) = crate::jsonrpc::batch::<Balance>(
                    self.transport,
                    &self.next_id,
                    endpoint,
                    "iotax_getBalance",
                    params,
                )?;
                let mut balances = Vec::with_capacity(addresses.len());
                for (address, answer) in addresses.iter().zip(answers) {
                    let b = answer.map_err(|f| f.into_error("iotax_getBalance"))?;
                    if !is_iota(&b.coin_type) {
                        return Err(malformed("iotax_getBalance: the endpoint answered for another coin type"));
                    }
                    balances.push(AddressBalance { address: address.clone(), amount: amount(&b.total_balance)? });
                }
                Ok(Reply::Balances { balances, requests })
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

    /// An address's history: the transactions it sent (`FromAddress`) and those it received (`ToAddress`), each
    /// newest first and at most `limit`, merged newest first (by checkpoint) without duplicates, the first `limit`
    /// kept. (`FromOrToAddress` is in the API, but full nodes refuse it: it needs an indexer.)
    fn history(&self, endpoint: &Endpoint, address: &str, limit: usize) -> Result<Reply> {
        let mut merged: Vec<SignatureInfo> = Vec::new();
        for filter in ["FromAddress", "ToAddress"] {
            let query = json!({"filter": {filter: address}, "options": {"showEffects": true}});
            let (entries, _) = self.pages_up_to(
                endpoint,
                "iotax_queryTransactionBlocks",
                limit,
                |cursor, n| json!([query, cursor, n, true]),
                |b: Block| b.entry(),
            )?;
            for e in entries {
                if !merged.iter().any(|m| m.signature == e.signature) {
                    merged.push(e);
                }
            }
        }
        // Stable: within a checkpoint, the endpoint's order (sent before received) stays.
        merged.sort_by_key(|e| std::cmp::Reverse(e.slot));
        merged.truncate(limit);
        Ok(Reply::History { address: address.to_owned(), entries: merged })
    }

    /// One transaction (`iota_getTransactionBlock` with `showRawInput` and `showEffects`): its `rawTransaction` is
    /// the BCS `SenderSignedData`; the `TransactionData` in it is found by its digest, recomputed here
    /// ([`transaction_data`]), so the endpoint cannot answer with another transaction than the one asked about.
    /// The answer carries the `TransactionData` (as Sui's GraphQL `transactionBcs` does), standard base64. The
    /// node's own decoding (`showInput`) and `showBalanceChanges` are not asked for: they would be the endpoint's
    /// word, and the client decodes the bytes itself.
    fn transaction(&self, endpoint: &Endpoint, digest: &str) -> Result<Reply> {
        let method = "iota_getTransactionBlock";
        let params = json!([digest, {"showRawInput": true, "showEffects": true}]);
        let none = || Reply::Transaction { signature: digest.to_owned(), transaction: None, slot: None, failed: false };
        let found: Option<TransactionBlock> = match crate::jsonrpc::call_or_fault(
            self.transport,
            &self.next_id,
            endpoint,
            method,
            params,
            Idempotent::Yes,
        )? {
            Ok(found) => found,
            Err(fault) if not_found(&fault) => return Ok(none()),
            Err(fault) => return Err(fault.into_error(method)),
        };
        let Some(block) = found else { return Ok(none()) };
        if block.digest != digest {
            return Err(TransactionError::Digest.into());
        }
        let raw = block.raw_transaction.ok_or_else(|| malformed(format!("{method}: no rawTransaction")))?;
        if raw.len() > 2 * coffer_net_proto::MAX_TRANSACTION_BYTES {
            return Err(malformed(format!("{method}: the transaction is too large")));
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(raw)
            .map_err(|_| malformed(format!("{method}: rawTransaction is not base64")))?;
        let data = transaction_data(&raw, digest).map_err(NetError::from)?;
        let data = base64::engine::general_purpose::STANDARD.encode(data);
        coffer_net_proto::check_transaction("transaction", &data)
            .map_err(|_| malformed(format!("{method}: the transaction is too large")))?;
        let failed = match block.effects {
            Some(e) => !e.status.outcome()?.0,
            None => false,
        };
        let slot = block.checkpoint.as_deref().map(version).transpose()?;
        Ok(Reply::Transaction { signature: digest.to_owned(), transaction: Some(data), slot, failed })
    }

    /// The status of each digest: one JSON-RPC batch of `iota_getTransactionBlock` with `showEffects`
    /// (`iota_multiGetTransactionBlocks` fails as a whole when one digest is unknown). A transaction in a
    /// checkpoint is finalized; one the node executed but not yet checkpointed is confirmed (its effects are
    /// certified); an unknown one is `None`.
    fn statuses(&self, endpoint: &Endpoint, digests: &[String]) -> Result<Reply> {
        let method = "iota_getTransactionBlock";
        let params = digests.iter().map(|d| json!([d, {"showEffects": true}])).collect();
        let (answers, _) =
            crate::jsonrpc::batch::<TransactionBlock>(self.transport, &self.next_id, endpoint, method, params)?;
        let mut statuses = Vec::with_capacity(digests.len());
        for (digest, answer) in digests.iter().zip(answers) {
            let block = match answer {
                Ok(b) => b,
                Err(fault) if not_found(&fault) => {
                    statuses.push(None);
                    continue;
                }
                Err(fault) => return Err(fault.into_error(method)),
            };
            if block.digest != *digest {
                return Err(TransactionError::Digest.into());
            }
            let Some(effects) = block.effects else {
                return Err(malformed(format!("{method}: a transaction without the effects asked for")));
            };
            let failed = !effects.status.outcome()?.0;
            let status = match block.checkpoint.as_deref().map(version).transpose()? {
                Some(slot) => SignatureStatus { slot, confirmation: Confirmation::Finalized, failed },
                None => SignatureStatus { slot: 0, confirmation: Confirmation::Confirmed, failed },
            };
            statuses.push(Some(status));
        }
        Ok(Reply::SignatureStatuses { statuses })
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
    fn transaction_data_is_found_by_its_digest() {
        // Data whose tail ([2, 1]) with the real signatures ([1, 2, 0xaa, 0xbb]) also reads as a signature vector
        // (two signatures: [1] and [0xaa, 0xbb]): two places could end the data, the digest picks the one.
        let data = [0u8, 5, 2, 1];
        let digest = crate::sui::transaction_digest(&data);
        let mut raw = vec![1, 0, 0, 0];
        raw.extend(data);
        raw.extend([1, 2, 0xaa, 0xbb]);
        assert!(is_signatures(&raw[6..]) && is_signatures(&raw[8..]));
        assert_eq!(transaction_data(&raw, &digest), Ok(&data[..]));
        assert_eq!(transaction_data(&raw, &crate::sui::transaction_digest(&data[..2])), Ok(&data[..2]));
        let other = crate::sui::transaction_digest(b"another");
        assert_eq!(transaction_data(&raw, &other), Err(TransactionError::Digest));
        // Not one transaction signed for IOTA: two transactions, another intent, too short.
        for bad in [[2u8, 0, 0, 0], [1, 1, 0, 0]] {
            let mut r = raw.clone();
            r[..4].copy_from_slice(&bad);
            assert_eq!(transaction_data(&r, &digest), Err(TransactionError::Shape));
        }
        assert_eq!(transaction_data(&[1, 0], &digest), Err(TransactionError::Shape));
        // A signature vector cut short: no place where the rest is whole.
        assert_eq!(transaction_data(&raw[..raw.len() - 1], &digest), Err(TransactionError::Digest));
        assert!(!is_signatures(&[0]) && !is_signatures(&[9, 1, 1]) && is_signatures(&[2, 1, 0xaa, 2, 0xbb, 0xcc]));
        assert_eq!(uleb(&[0x80, 0x01], &mut 0), Some(128));
        assert_eq!(uleb(&[0xff, 0xff, 0xff, 0xff, 0x7f], &mut 0), None, "above 2^32");
    }

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
