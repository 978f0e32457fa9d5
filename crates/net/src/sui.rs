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
    Amount, Call, Chain, Coin, CoinBalance, CoinMetadata, Confirmation, MAX_COIN_TYPES, MAX_IOTA_OBJECTS, NetError,
    NetErrorKind, Network, OwnedObject, Reply, SignatureInfo, SignatureStatus, canonical_move_type, check_address,
    check_move_type,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

/// Items asked for per page (the service's default `maxPageSize` is 50).
const PAGE: usize = 50;

/// Keys per multi-get (well under the service's `maxMultiGetSize`).
const MULTI_GET: usize = 50;

/// The longest cursor accepted from the service.
const MAX_CURSOR: usize = 512;

/// How many GraphQL error messages an error names.
const MAX_ERRORS_SHOWN: usize = 3;

type Result<T> = std::result::Result<T, NetError>;

fn malformed(what: impl Into<String>) -> NetError {
    NetError::new(NetErrorKind::MalformedAnswer, what)
}

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
    /// One page of the objects an address owns.
    pub const OBJECTS: &str = "query($owner: SuiAddress!, $after: String) { address(address: $owner) { \
        objects(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { address version digest \
        owner { __typename ... on AddressOwner { address { address } } } contents { type { repr } } } } } }";
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
    /// A coin type's decimals and symbol.
    pub const COIN_METADATA: &str = "query($type: String!) { coinMetadata(coinType: $type) { decimals symbol } }";
}

/// A Sui client over one transport; remembers which endpoints passed the chain identifier check.
#[derive(Debug)]
pub struct Client<'a> {
    transport: &'a Transport,
    checked: RefCell<BTreeSet<String>>,
}

#[derive(Deserialize)]
struct GqlAnswer<T> {
    data: Option<T>,
    errors: Option<Vec<GqlError>>,
}

#[derive(Deserialize)]
struct GqlError {
    message: String,
    extensions: Option<GqlExtensions>,
}

#[derive(Deserialize)]
struct GqlExtensions {
    code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
    has_previous_page: bool,
    start_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<T> {
    page_info: PageInfo,
    nodes: Vec<T>,
}

/// `{ address(…) { <field>: … } }`: the one field asked for under `address`.
#[derive(Deserialize)]
struct AddressData<T> {
    address: Option<T>,
}

#[derive(Deserialize)]
struct Balances {
    balances: Option<Connection<BalanceNode>>,
}

#[derive(Deserialize)]
struct Objects {
    objects: Option<Connection<ObjectNode>>,
}

#[derive(Deserialize)]
struct Transactions {
    transactions: Option<Connection<TransactionNode>>,
}

#[derive(Deserialize)]
struct OneBalance {
    balance: Option<BalanceNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BalanceData {
    checkpoint: Option<CheckpointRef>,
    address: Option<OneBalance>,
}

#[derive(Deserialize)]
struct TypeRepr {
    repr: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BalanceNode {
    coin_type: Option<TypeRepr>,
    total_balance: Option<String>,
}

#[derive(Deserialize)]
struct AddressRef {
    address: String,
}

#[derive(Deserialize)]
struct OwnerNode {
    #[serde(rename = "__typename")]
    typename: String,
    address: Option<AddressRef>,
}

#[derive(Deserialize)]
struct Contents {
    #[serde(rename = "type")]
    ty: Option<TypeRepr>,
    json: Option<Value>,
}

#[derive(Deserialize)]
struct ObjectNode {
    address: String,
    version: Option<u64>,
    digest: Option<String>,
    owner: Option<OwnerNode>,
    contents: Option<Contents>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckpointRef {
    sequence_number: u64,
}

#[derive(Deserialize)]
struct Effects {
    digest: Option<String>,
    status: Option<String>,
    checkpoint: Option<CheckpointRef>,
    timestamp: Option<String>,
}

#[derive(Deserialize)]
struct TransactionNode {
    digest: String,
    effects: Option<Effects>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FullTransaction {
    digest: String,
    transaction_bcs: Option<String>,
    effects: Option<Effects>,
}

#[derive(Deserialize)]
struct Epoch {
    #[serde(rename = "referenceGasPrice")]
    reference_gas_price: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    decimals: Option<i64>,
    symbol: Option<String>,
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
                let wanted = canonical_move_type(&format!("0x2::coin::Coin<{coin_type}>"))
                    .map_err(|_| NetError::new(NetErrorKind::BadRequest, "the coin type is too long"))?;
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
                        let (object_id, version, digest, object_type, _) = owned_object(o, address)?;
                        Ok(OwnedObject { object_id, version, digest, object_type })
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

/// Parses a GraphQL answer: its `errors` (any) as a `rejected` error naming the first few messages, else its
/// `data` as `T`.
///
/// # Errors
/// `rejected` for GraphQL errors, `malformed_answer` for anything that is not the documented shape.
pub fn parse_answer<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    let answer: GqlAnswer<Value> = serde_json::from_slice(bytes)
        .map_err(|e| malformed(format!("{what}: the answer is not a GraphQL response ({e})")))?;
    if let Some(errors) = answer.errors.filter(|e| !e.is_empty()) {
        let shown: Vec<String> = errors
            .iter()
            .take(MAX_ERRORS_SHOWN)
            .map(|e| {
                let mut m: String = e.message.chars().take(160).collect();
                if let Some(code) = e.extensions.as_ref().and_then(|x| x.code.as_deref()) {
                    m.push_str(&format!(" ({})", code.chars().take(40).collect::<String>()));
                }
                m
            })
            .collect();
        let more = errors.len().saturating_sub(MAX_ERRORS_SHOWN);
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        return Err(NetError::new(NetErrorKind::Rejected, format!("{what}: {}{tail}", shown.join("; "))));
    }
    let data =
        answer.data.filter(|d| !d.is_null()).ok_or_else(|| malformed(format!("{what}: no data and no errors")))?;
    serde_json::from_value(data).map_err(|e| malformed(format!("{what}: the answer is not the documented shape ({e})")))
}

/// Checks a page cursor: present, not too long, never seen before in this listing.
fn next_cursor(what: &str, cursor: Option<String>, seen: &mut BTreeSet<String>) -> Result<String> {
    let cursor = cursor.ok_or_else(|| malformed(format!("{what}: a next page without a cursor")))?;
    if cursor.is_empty() || cursor.len() > MAX_CURSOR || !seen.insert(cursor.clone()) {
        return Err(malformed(format!("{what}: the service repeated or broke the cursor")));
    }
    Ok(cursor)
}

/// An object the address owns: its id, version, digest, type and contents, after checking that the address owns
/// it.
fn owned_object(o: ObjectNode, owner: &str) -> Result<(String, u64, String, String, Option<Value>)> {
    let owned_by = o.owner.as_ref().filter(|w| w.typename == "AddressOwner").and_then(|w| w.address.as_ref());
    if owned_by.map(|a| a.address.as_str()) != Some(owner) {
        return Err(malformed("objects: the service listed an object another address owns"));
    }
    check_address("address", Chain::Sui, &o.address)
        .map_err(|_| malformed("objects: an object id is not 0x and 64 hex digits"))?;
    let version = o.version.ok_or_else(|| malformed("objects: an object without a version"))?;
    let digest = o.digest.ok_or_else(|| malformed("objects: an object without a digest"))?;
    if !is_digest(&digest) {
        return Err(malformed("objects: an object digest is not base58 of 32 bytes"));
    }
    let contents = o.contents.ok_or_else(|| malformed("objects: an object without contents"))?;
    let ty = contents.ty.ok_or_else(|| malformed("objects: an object without a type"))?.repr;
    move_type(&ty)?;
    Ok((o.address, version, digest, ty, contents.json))
}

fn history_entry(node: TransactionNode) -> Result<SignatureInfo> {
    if !is_digest(&node.digest) {
        return Err(malformed("transactions: a digest is not base58 of 32 bytes"));
    }
    let (slot, block_time, failed) = match node.effects {
        Some(e) => (
            e.checkpoint.map_or(0, |c| c.sequence_number),
            e.timestamp.as_deref().map(unix_seconds).transpose()?,
            failed(e.status.as_deref())?,
        ),
        None => (0, None, false),
    };
    Ok(SignatureInfo { signature: node.digest, slot, block_time, failed })
}

fn metadata(m: Metadata) -> Result<CoinMetadata> {
    let decimals = m
        .decimals
        .and_then(|d| u8::try_from(d).ok())
        .filter(|d| *d <= 38)
        .ok_or_else(|| malformed("coinMetadata: decimals missing or out of range"))?;
    let symbol = m.symbol.unwrap_or_default();
    if symbol.len() > coffer_net_proto::MAX_SYMBOL || symbol.chars().any(char::is_control) {
        return Err(malformed("coinMetadata: the symbol is too long or has control characters"));
    }
    Ok(CoinMetadata { decimals, symbol })
}

fn failed(status: Option<&str>) -> Result<bool> {
    match status {
        Some("SUCCESS") => Ok(false),
        Some("FAILURE") => Ok(true),
        _ => Err(malformed("a transaction status is neither SUCCESS nor FAILURE")),
    }
}

fn move_type(text: &str) -> Result<()> {
    check_move_type("type", text).map_err(|_| malformed("a type is not a Move type"))
}

fn amount(text: &str) -> Result<Amount> {
    Amount::parse(text).map_err(|_| malformed("an amount is not a decimal number"))
}

fn is_digest(text: &str) -> bool {
    !text.is_empty() && text.len() <= 44 && bs58::decode(text).into_vec().is_ok_and(|v| v.len() == 32)
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time as the service writes it (`2026-11-30T17:04:05.123Z`).
fn unix_seconds(text: &str) -> Result<i64> {
    let bad = || malformed("a timestamp is not an RFC 3339 UTC time");
    let b = text.as_bytes();
    if b.len() < 20 || b.len() > 40 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64> {
        let s = &text[r];
        if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().map_err(|_| bad()) } else { Err(bad()) }
    };
    let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &text[19..];
    let rest = rest.strip_prefix('.').map_or(rest, |f| f.trim_start_matches(|c: char| c.is_ascii_digit()));
    if rest != "Z" && rest != "+00:00" {
        return Err(bad());
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(bad());
    }
    // Days from civil (proleptic Gregorian), after H. Hinnant.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(unix_seconds("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(unix_seconds("2026-11-30T17:04:05.123Z").unwrap(), 1_796_058_245);
        assert_eq!(unix_seconds("2000-02-29T00:00:00+00:00").unwrap(), 951_782_400);
        for bad in
            ["", "2026-11-30 17:04:05Z", "2026-13-30T17:04:05Z", "2026-11-30T17:04:05", "2026-11-30T17:04:05+01:00"]
        {
            assert!(unix_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn graphql_errors_are_typed() {
        let e = parse_answer::<Value>(
            "q",
            br#"{"data":null,"errors":[{"message":"bad input","extensions":{"code":"BAD_USER_INPUT"}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, NetErrorKind::Rejected);
        assert!(e.message.contains("bad input (BAD_USER_INPUT)"), "{}", e.message);
        let many = format!(r#"{{"errors":[{}]}}"#, [r#"{"message":"x"}"#; 10].join(","));
        assert!(parse_answer::<Value>("q", many.as_bytes()).unwrap_err().message.ends_with("and 7 more"));
        assert_eq!(parse_answer::<Value>("q", br#"{"data":null}"#).unwrap_err().kind, NetErrorKind::MalformedAnswer);
        assert_eq!(parse_answer::<Value>("q", b"[1]").unwrap_err().kind, NetErrorKind::MalformedAnswer);
        assert_eq!(parse_answer::<Value>("q", br#"{"data":{"a":1}}"#).unwrap(), json!({"a": 1}));
    }

    #[test]
    fn digest_is_blake2b_of_the_intent_domain() {
        // blake2b-256("TransactionData::"), base58 (Python: hashlib.blake2b(b"TransactionData::", digest_size=32)).
        assert_eq!(transaction_digest(b""), "AfHk4GXL4UEUwEYpWY66XL2EAWpDUQ3C5LcNz3fh87Zx");
        assert_ne!(transaction_digest(b"a"), transaction_digest(b"b"));
    }
}
