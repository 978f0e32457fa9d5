//! The Sui client over GraphQL (<https://docs.sui.io/references/sui-graphql>; the schema is
//! `crates/sui-indexer-alt-graphql/schema.graphql` in MystenLabs/sui). The Sui Foundation's full nodes stopped
//! serving JSON-RPC on mainnet in 2026; its GraphQL service answers the same questions. Every query is a fixed text
//! with variables (nothing from a request is spliced into a query), every answer is parsed into a typed struct,
//! checked against the request (the owner of every listed object, the coin type, the digest of every transaction)
//! and turned into a protocol [`Reply`]. A GraphQL `errors` array is a typed error (`rejected`), never ignored.

use std::cell::RefCell;
use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use coffer_net_proto::{
    AddressBalance, Call, Coin, CoinBalance, Confirmation, MAX_COIN_TYPES, MAX_IOTA_OBJECTS, NetError, NetErrorKind,
    Network, OwnedObject, Reply, SignatureStatus, canonical_move_type,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

/// Items asked for per page (the service's default `maxPageSize` is 50).
const PAGE: usize = 50;

/// Addresses per batched balance query (one alias each; keeps the query far under the service's default
/// `maxQueryNodes` of 300: four nodes an alias).
const BATCH: usize = 25;

/// One alias of [`query::balances_of`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AliasedBalance {
    address: String,
    balance: Option<BalanceNode>,
}

/// Keys per multi-get (well under the service's `maxMultiGetSize`).
const MULTI_GET: usize = 50;

mod parse;

use parse::{
    AddressData, BalanceData, BalanceNode, Balances, Connection, Effects, Epoch, FullTransaction, MAX_ERRORS_SHOWN,
    Metadata, ObjectNode, Objects, Result, Transactions, amount, failed, history_entry, malformed, metadata, move_type,
    next_cursor, owned_object, parse_answer,
};

/// The chain identifier (the first four bytes of the genesis checkpoint's digest, in hex) each public network's
/// service must report; `None` where none is checked (devnet, reset from time to time, and localnet).
fn expected_chain_identifier(network: Network) -> Option<&'static str> {
    match network {
        Network::Mainnet => Some("35834a8a"),
        Network::Testnet => Some("4c78adac"),
        _ => None,
    }
}

/// The IOTA/Sui transaction digest of BCS `TransactionData`: base58(blake2b-256("TransactionData::" ‖ bytes)).
pub(crate) fn transaction_digest(bytes: &[u8]) -> String {
    use blake2::Digest as _;
    let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    h.update(b"TransactionData::");
    h.update(bytes);
    let digest: [u8; 32] = h.finalize().into();
    bs58::encode(digest).into_string()
}

/// An error text without control characters, at most 500 bytes.
fn short(mut text: String) -> String {
    text.retain(|c| !c.is_control());
    if text.len() > 500 {
        let cut = (0..=500).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(cut);
    }
    text
}

/// The queries. Fixed texts; every value travels in `variables`.
pub mod query {
    /// The network's chain identifier.
    pub const CHAIN_IDENTIFIER: &str = "query { chainIdentifier }";
    /// SUI's total for an address, with the checkpoint the service answers at.
    pub const BALANCE: &str = "query($owner: SuiAddress!) { checkpoint { sequenceNumber } \
        address(address: $owner) { balance(coinType: \"0x2::sui::SUI\") { coinType { repr } totalBalance } } }";
    /// One page of an address's totals per coin type.
    pub const BALANCES: &str = "query($owner: SuiAddress!, $after: String) { address(address: $owner) { \
        balances(first: 50, after: $after) { pageInfo { hasNextPage endCursor } \
        nodes { coinType { repr } totalBalance } } } }";
    /// One page of an address's objects of one type (`0x2::coin::Coin<T>` for coins).
    pub const OBJECTS_OF_TYPE: &str = "query($owner: SuiAddress!, $type: String!, $after: String) { \
        address(address: $owner) { objects(first: 50, after: $after, filter: {type: $type}) { \
        pageInfo { hasNextPage endCursor } nodes { address version digest \
        owner { __typename ... on AddressOwner { address { address } } } contents { type { repr } json } } } } }";
    /// One page of the objects an address owns, with whether each may be transferred (`hasPublicTransfer`:
    /// `key` and `store`).
    pub const OBJECTS: &str = "query($owner: SuiAddress!, $after: String) { address(address: $owner) { \
        objects(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { address version digest \
        hasPublicTransfer owner { __typename ... on AddressOwner { address { address } } } \
        contents { type { repr } } } } } }";
    /// A dry run of BCS `TransactionData` (`simulateTransaction` with `{"bcs": {"value": …}}`): its status, the
    /// error and the gas it would cost.
    pub const SIMULATE: &str = "query($tx: JSON!) { simulateTransaction(transaction: $tx) { error \
        effects { status executionError { message } \
        gasEffects { gasSummary { computationCost storageCost storageRebate } } } } }";
    /// The current epoch's reference gas price.
    pub const REFERENCE_GAS_PRICE: &str = "query { epoch { referenceGasPrice } }";
    /// Execute a signed transaction.
    pub const EXECUTE: &str = "mutation($tx: Base64!, $signatures: [Base64!]!) { \
        executeTransaction(transactionDataBcs: $tx, signatures: $signatures) { effects { digest status } errors } }";
    /// The effects of up to 50 transactions, by digest.
    pub const EFFECTS: &str = "query($keys: [String!]!) { multiGetTransactionEffects(keys: $keys) { \
        digest status checkpoint { sequenceNumber } } }";
    /// One page (backwards from `before`) of the transactions that affected an address.
    pub const HISTORY: &str = "query($owner: SuiAddress!, $last: Int!, $before: String) { \
        address(address: $owner) { transactions(last: $last, before: $before, relation: AFFECTED) { \
        pageInfo { hasPreviousPage startCursor } nodes { digest \
        effects { status checkpoint { sequenceNumber } timestamp } } } } }";
    /// One transaction's BCS bytes and status.
    pub const TRANSACTION: &str = "query($digest: String!) { transaction(digest: $digest) { digest transactionBcs \
        effects { status checkpoint { sequenceNumber } } } }";
    /// SUI's total for `n` addresses in one query: `a0: address(address: $a0) { … }` and so on. The text depends
    /// only on `n`; the addresses travel as the variables `$a0` … (nothing from a request is spliced in).
    #[must_use]
    pub fn balances_of(n: usize) -> String {
        let vars: Vec<String> = (0..n).map(|i| format!("$a{i}: SuiAddress!")).collect();
        let fields: Vec<String> = (0..n)
            .map(|i| format!("a{i}: address(address: $a{i}) {{ address balance(coinType: \"0x2::sui::SUI\") {{ totalBalance }} }}"))
            .collect();
        format!("query({}) {{ {} }}", vars.join(", "), fields.join(" "))
    }
    /// A coin type's decimals and symbol.
    pub const COIN_METADATA: &str = "query($type: String!) { coinMetadata(coinType: $type) { decimals symbol } }";
}

/// A Sui client over one transport; remembers which endpoints passed the chain identifier check.
#[derive(Debug)]
pub struct Client<'a> {
    transport: &'a Transport,
    checked: RefCell<BTreeSet<String>>,
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
    /// A typed [`NetError`]; `wrong_chain` when the endpoint's chain identifier is not `network`'s, `rejected` for
    /// a GraphQL `errors` array.
    pub fn call(&self, endpoint: &Endpoint, network: Network, call: &Call) -> Result<Reply> {
        self.check_chain(endpoint, network)?;
        match call {
            Call::Balance { address } => {
                let data: BalanceData = self.query(endpoint, "balance", query::BALANCE, json!({"owner": address}))?;
                let node = data.address.and_then(|a| a.balance);
                let amount = match node.and_then(|b| b.total_balance) {
                    Some(total) => amount(&total)?,
                    None => return Err(malformed("balance: the service gave no SUI balance")),
                };
                let slot = data.checkpoint.map_or(0, |c| c.sequence_number);
                Ok(Reply::Balance { address: address.clone(), amount, slot })
            }
            Call::Balances { addresses } => {
                let mut balances = Vec::with_capacity(addresses.len());
                let mut requests = 0u32;
                for chunk in addresses.chunks(BATCH) {
                    let text = query::balances_of(chunk.len());
                    let vars: serde_json::Map<String, Value> =
                        chunk.iter().enumerate().map(|(i, a)| (format!("a{i}"), json!(a))).collect();
                    let data: std::collections::BTreeMap<String, Option<AliasedBalance>> =
                        self.query(endpoint, "balances of addresses", &text, Value::Object(vars))?;
                    requests += 1;
                    // Exactly the aliases asked for, each answering for its own address.
                    if data.len() != chunk.len() {
                        return Err(malformed("balances of addresses: another number of answers than addresses"));
                    }
                    for (i, asked) in chunk.iter().enumerate() {
                        let node = data
                            .get(&format!("a{i}"))
                            .ok_or_else(|| malformed("balances of addresses: an address is missing from the answer"))?;
                        let total = match node {
                            // The service knows nothing of the address: it holds nothing.
                            None => "0",
                            Some(n) => {
                                if !n.address.eq_ignore_ascii_case(asked) {
                                    return Err(malformed("balances of addresses: an answer for another address"));
                                }
                                n.balance.as_ref().and_then(|b| b.total_balance.as_deref()).unwrap_or("0")
                            }
                        };
                        balances.push(AddressBalance { address: asked.clone(), amount: amount(total)? });
                    }
                }
                Ok(Reply::Balances { balances, requests })
            }
            Call::CoinBalances { address } => {
                let (list, complete) = self.pages(
                    "balances",
                    MAX_COIN_TYPES,
                    |after| {
                        let vars = json!({"owner": address, "after": after});
                        let d: AddressData<Balances> = self.query(endpoint, "balances", query::BALANCES, vars)?;
                        Ok(d.address.and_then(|a| a.balances))
                    },
                    |b: BalanceNode| {
                        let coin_type = b.coin_type.ok_or_else(|| malformed("balances: a balance without a type"))?;
                        move_type(&coin_type.repr)?;
                        let total = b.total_balance.ok_or_else(|| malformed("balances: a balance without a total"))?;
                        // The GraphQL API does not count coin objects (and on Sui a balance need not be held in
                        // coin objects at all).
                        Ok(CoinBalance { coin_type: coin_type.repr, total: amount(&total)?, object_count: 0 })
                    },
                )?;
                if !complete {
                    return Err(malformed(format!("balances: more than {MAX_COIN_TYPES} coin types")));
                }
                let mut seen = BTreeSet::new();
                if !list.iter().all(|b| seen.insert(canonical_move_type(&b.coin_type).unwrap_or_default())) {
                    return Err(malformed("balances: a coin type is listed twice"));
                }
                Ok(Reply::CoinBalances { address: address.clone(), balances: list })
            }
            Call::Coins { address, coin_type } => {
                let wanted = canonical_move_type(&format!("0x2::coin::Coin<{coin_type}>")).map_err(|_| {
                    NetError::new(NetErrorKind::BadRequest, "the coin type is too long or nests too deep")
                })?;
                let (coins, complete) = self.pages(
                    "coins",
                    MAX_IOTA_OBJECTS,
                    |after| {
                        let vars = json!({"owner": address, "type": wanted, "after": after});
                        let d: AddressData<Objects> = self.query(endpoint, "coins", query::OBJECTS_OF_TYPE, vars)?;
                        Ok(d.address.and_then(|a| a.objects))
                    },
                    |o: ObjectNode| {
                        let (object_id, version, digest, ty, json) = owned_object(o, address)?;
                        if canonical_move_type(&ty).ok().as_deref() != Some(wanted.as_str()) {
                            return Err(malformed("coins: the service listed an object of another type than asked"));
                        }
                        let balance = json
                            .as_ref()
                            .and_then(|j| j.get("balance"))
                            .and_then(Value::as_str)
                            .ok_or_else(|| malformed("coins: a coin without a balance"))?;
                        Ok(Coin { object_id, version, digest, balance: amount(balance)? })
                    },
                )?;
                Ok(Reply::Coins { address: address.clone(), coin_type: coin_type.clone(), coins, complete })
            }
            Call::OwnedObjects { address } => {
                let (objects, complete) = self.pages(
                    "objects",
                    MAX_IOTA_OBJECTS,
                    |after| {
                        let vars = json!({"owner": address, "after": after});
                        let d: AddressData<Objects> = self.query(endpoint, "objects", query::OBJECTS, vars)?;
                        Ok(d.address.and_then(|a| a.objects))
                    },
                    |o: ObjectNode| {
                        let public_transfer = o.has_public_transfer;
                        let (object_id, version, digest, object_type, _) = owned_object(o, address)?;
                        // Sui has no `0x2::timelock`: no object here has a lock end.
                        Ok(OwnedObject {
                            object_id,
                            version,
                            digest,
                            object_type,
                            public_transfer,
                            locked_until_ms: None,
                        })
                    },
                )?;
                Ok(Reply::OwnedObjects { address: address.clone(), objects, complete })
            }
            Call::ReferenceGasPrice => {
                #[derive(Deserialize)]
                struct Data {
                    epoch: Option<Epoch>,
                }
                let data: Data = self.query(endpoint, "epoch", query::REFERENCE_GAS_PRICE, json!({}))?;
                let price = data
                    .epoch
                    .and_then(|e| e.reference_gas_price)
                    .ok_or_else(|| malformed("epoch: no reference gas price"))?;
                Ok(Reply::ReferenceGasPrice { price: amount(&price)? })
            }
            Call::ExecuteTransaction { transaction, signatures } => {
                let bytes = BASE64
                    .decode(transaction)
                    .map_err(|_| NetError::new(NetErrorKind::BadRequest, "the transaction is not base64"))?;
                let expected = transaction_digest(&bytes);
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Data {
                    execute_transaction: Option<Execution>,
                }
                #[derive(Deserialize)]
                struct Execution {
                    effects: Option<Effects>,
                    errors: Option<Vec<String>>,
                }
                let vars = json!({"tx": transaction, "signatures": signatures});
                let data: Data =
                    self.query_with(endpoint, "executeTransaction", query::EXECUTE, vars, Idempotent::No)?;
                let result = data.execute_transaction.ok_or_else(|| malformed("executeTransaction: no result"))?;
                if let Some(errors) = result.errors.filter(|e| !e.is_empty()) {
                    let shown: Vec<&str> = errors.iter().take(MAX_ERRORS_SHOWN).map(String::as_str).collect();
                    return Err(NetError::new(
                        NetErrorKind::Rejected,
                        format!("executeTransaction: {}", shown.join("; ")),
                    ));
                }
                let digest = result
                    .effects
                    .and_then(|e| e.digest)
                    .ok_or_else(|| malformed("executeTransaction: neither effects nor errors"))?;
                // The digest is the hash of the bytes sent: an endpoint that reports another one is lying or broken.
                if digest != expected {
                    return Err(malformed(
                        "executeTransaction: the service reported another digest than the transaction's",
                    ));
                }
                Ok(Reply::Sent { signature: digest })
            }
            Call::SignatureStatuses { signatures } => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Data {
                    multi_get_transaction_effects: Vec<Option<Effects>>,
                }
                let mut statuses = Vec::with_capacity(signatures.len());
                for chunk in signatures.chunks(MULTI_GET) {
                    let data: Data =
                        self.query(endpoint, "multiGetTransactionEffects", query::EFFECTS, json!({"keys": chunk}))?;
                    if data.multi_get_transaction_effects.len() != chunk.len() {
                        return Err(malformed("multiGetTransactionEffects: another number of answers than keys"));
                    }
                    for (asked, effects) in chunk.iter().zip(data.multi_get_transaction_effects) {
                        let Some(e) = effects else {
                            statuses.push(None);
                            continue;
                        };
                        if e.digest.as_deref() != Some(asked.as_str()) {
                            return Err(malformed("multiGetTransactionEffects: effects of another transaction"));
                        }
                        let failed = failed(e.status.as_deref())?;
                        // Effects the service holds are final; in a checkpoint they are also ordered.
                        let (slot, confirmation) = match e.checkpoint {
                            Some(c) => (c.sequence_number, Confirmation::Finalized),
                            None => (0, Confirmation::Confirmed),
                        };
                        statuses.push(Some(SignatureStatus { slot, confirmation, failed }));
                    }
                }
                Ok(Reply::SignatureStatuses { statuses })
            }
            Call::History { address, limit } => {
                let limit = *limit as usize;
                let mut entries = Vec::new();
                let mut before: Option<String> = None;
                let mut cursors = BTreeSet::new();
                loop {
                    let want = PAGE.min(limit - entries.len());
                    let vars = json!({"owner": address, "last": want, "before": before});
                    let d: AddressData<Transactions> = self.query(endpoint, "transactions", query::HISTORY, vars)?;
                    let page = d
                        .address
                        .and_then(|a| a.transactions)
                        .ok_or_else(|| malformed("transactions: the service gave no list"))?;
                    if page.nodes.len() > want {
                        return Err(malformed("transactions: a page holds more items than asked for"));
                    }
                    // A page is oldest first; the answer is newest first.
                    for node in page.nodes.into_iter().rev() {
                        entries.push(history_entry(node)?);
                    }
                    if entries.len() >= limit || !page.page_info.has_previous_page {
                        break;
                    }
                    before = Some(next_cursor("transactions", page.page_info.start_cursor, &mut cursors)?);
                }
                Ok(Reply::History { address: address.clone(), entries })
            }
            Call::Transaction { signature } => {
                #[derive(Deserialize)]
                struct Data {
                    transaction: Option<FullTransaction>,
                }
                let data: Data =
                    self.query(endpoint, "transaction", query::TRANSACTION, json!({"digest": signature}))?;
                let Some(tx) = data.transaction else {
                    return Ok(Reply::Transaction {
                        signature: signature.clone(),
                        transaction: None,
                        slot: None,
                        failed: false,
                    });
                };
                let bcs = tx.transaction_bcs.ok_or_else(|| malformed("transaction: no transactionBcs"))?;
                coffer_net_proto::check_transaction("transaction", &bcs)
                    .map_err(|_| malformed("transaction: transactionBcs is not base64 or too large"))?;
                let bytes = BASE64.decode(&bcs).map_err(|_| malformed("transaction: transactionBcs is not base64"))?;
                // The endpoint must answer with the transaction asked about: its digest is the hash of its bytes.
                if tx.digest != *signature || transaction_digest(&bytes) != *signature {
                    return Err(malformed("transaction: the service returned another transaction"));
                }
                let (slot, failed) = match tx.effects {
                    Some(e) => (e.checkpoint.map(|c| c.sequence_number), failed(e.status.as_deref())?),
                    None => (None, false),
                };
                Ok(Reply::Transaction { signature: signature.clone(), transaction: Some(bcs), slot, failed })
            }
            Call::CoinMetadata { coin_type } => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Data {
                    coin_metadata: Option<Metadata>,
                }
                let data: Data =
                    self.query(endpoint, "coinMetadata", query::COIN_METADATA, json!({"type": coin_type}))?;
                let metadata = data.coin_metadata.map(metadata).transpose()?;
                Ok(Reply::CoinMetadata { coin_type: coin_type.clone(), metadata })
            }
            Call::DryRunTransactionBlock { tx_bytes } => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Data {
                    simulate_transaction: Option<Simulation>,
                }
                #[derive(Deserialize)]
                struct Simulation {
                    error: Option<String>,
                    effects: Option<SimulatedEffects>,
                }
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct SimulatedEffects {
                    status: Option<String>,
                    execution_error: Option<Message>,
                    gas_effects: Option<GasEffects>,
                }
                #[derive(Deserialize)]
                struct Message {
                    message: Option<String>,
                }
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct GasEffects {
                    gas_summary: Option<GasSummary>,
                }
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct GasSummary {
                    computation_cost: Option<u64>,
                    storage_cost: Option<u64>,
                    storage_rebate: Option<u64>,
                }
                let vars = json!({"tx": {"bcs": {"value": tx_bytes}}});
                let data: Data = self.query(endpoint, "simulateTransaction", query::SIMULATE, vars)?;
                let sim = data.simulate_transaction.ok_or_else(|| malformed("simulateTransaction: no result"))?;
                let zero = coffer_net_proto::Amount::from_u128(0);
                if let Some(error) = sim.error {
                    // The service could not run it at all (an input object at another version, a bad signature
                    // scheme, …): as a failed dry run, nothing is signed.
                    return Ok(Reply::DryRun {
                        success: false,
                        error: Some(short(error)),
                        computation_cost: zero.clone(),
                        storage_cost: zero.clone(),
                        storage_rebate: zero,
                    });
                }
                let effects = sim.effects.ok_or_else(|| malformed("simulateTransaction: neither effects nor error"))?;
                let success = !failed(effects.status.as_deref())?;
                let error = if success {
                    None
                } else {
                    Some(short(effects.execution_error.and_then(|e| e.message).unwrap_or_default()))
                };
                let gas = effects
                    .gas_effects
                    .and_then(|g| g.gas_summary)
                    .ok_or_else(|| malformed("simulateTransaction: no gas summary"))?;
                let cost = |v: Option<u64>| {
                    v.map(|n| coffer_net_proto::Amount::from_u128(u128::from(n)))
                        .ok_or_else(|| malformed("simulateTransaction: a gas cost is missing"))
                };
                Ok(Reply::DryRun {
                    success,
                    error,
                    computation_cost: cost(gas.computation_cost)?,
                    storage_cost: cost(gas.storage_cost)?,
                    storage_rebate: cost(gas.storage_rebate)?,
                })
            }
            _ => Err(NetError::new(NetErrorKind::Unsupported, format!("{} is not served for sui", call.method()))),
        }
    }

    /// Follows `endCursor` while `hasNextPage`, up to `cap` items; the flag says whether every item was read.
    fn pages<R, T>(
        &self,
        what: &str,
        cap: usize,
        mut fetch: impl FnMut(Option<&str>) -> Result<Option<Connection<R>>>,
        mut convert: impl FnMut(R) -> Result<T>,
    ) -> Result<(Vec<T>, bool)> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        let mut cursors = BTreeSet::new();
        loop {
            let page =
                fetch(after.as_deref())?.ok_or_else(|| malformed(format!("{what}: the service gave no list")))?;
            if page.nodes.len() > PAGE {
                return Err(malformed(format!("{what}: a page holds more items than asked for")));
            }
            for raw in page.nodes {
                if items.len() == cap {
                    return Ok((items, false));
                }
                items.push(convert(raw)?);
            }
            if !page.page_info.has_next_page {
                return Ok((items, true));
            }
            if items.len() == cap {
                return Ok((items, false));
            }
            after = Some(next_cursor(what, page.page_info.end_cursor, &mut cursors)?);
        }
    }

    /// Asks an endpoint for its chain identifier once per process and refuses one that serves another network.
    fn check_chain(&self, endpoint: &Endpoint, network: Network) -> Result<()> {
        let Some(expected) = expected_chain_identifier(network) else { return Ok(()) };
        if self.checked.borrow().contains(&endpoint.url) {
            return Ok(());
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Data {
            chain_identifier: String,
        }
        let data: Data = self.query(endpoint, "chainIdentifier", query::CHAIN_IDENTIFIER, json!({}))?;
        if data.chain_identifier != expected {
            return Err(NetError::new(
                NetErrorKind::WrongChain,
                format!(
                    "{} serves another network than sui {} (chain identifier differs)",
                    endpoint.origin,
                    network.name()
                ),
            ));
        }
        self.checked.borrow_mut().insert(endpoint.url.clone());
        Ok(())
    }

    /// One GraphQL read, its `data` parsed as `T`.
    fn query<T: DeserializeOwned>(&self, endpoint: &Endpoint, what: &str, text: &str, variables: Value) -> Result<T> {
        self.query_with(endpoint, what, text, variables, Idempotent::Yes)
    }

    /// One GraphQL request: `{"query", "variables"}` POSTed as JSON; an `errors` array is `rejected`.
    fn query_with<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        what: &str,
        text: &str,
        variables: Value,
        idem: Idempotent,
    ) -> Result<T> {
        let body = json!({"query": text, "variables": variables}).to_string();
        let bytes = self.transport.post_json(&endpoint.url, body.as_bytes(), idem)?;
        parse_answer(what, &bytes)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn digest_is_blake2b_of_the_intent_domain() {
        // blake2b-256("TransactionData::"), base58 (Python: hashlib.blake2b(b"TransactionData::", digest_size=32)).
        assert_eq!(transaction_digest(b""), "AfHk4GXL4UEUwEYpWY66XL2EAWpDUQ3C5LcNz3fh87Zx");
        assert_ne!(transaction_digest(b"a"), transaction_digest(b"b"));
    }
}
