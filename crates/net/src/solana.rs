//! The Solana JSON-RPC client (<https://solana.com/docs/rpc/http>): every answer is parsed into a typed struct,
//! checked against the request, and turned into a protocol [`Reply`].

use std::cell::RefCell;
use std::collections::BTreeSet;

use base64::Engine as _;
use coffer_net_proto::{
    AddressBalance, Amount, Call, Confirmation, MAX_TOKEN_ACCOUNTS, NetError, NetErrorKind, Network, NonceAccount,
    Reply, SignatureInfo, SignatureStatus, StakeAccount, TokenAccount, TokenProgram,
};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Value, json};

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

/// SPL Token's program id.
pub const SPL_TOKEN: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
/// Token-2022's program id.
pub const TOKEN_2022: &str = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
/// The Stake program's id.
pub const STAKE: &str = "Stake11111111111111111111111111111111111111";
/// The System program's id (owner of durable-nonce accounts).
pub const SYSTEM: &str = "11111111111111111111111111111111";
/// Where the authorities sit in a stake account (`StakeStateV2`: u32 tag, then `Meta { rent_exempt_reserve: u64,
/// authorized: { staker, withdrawer }, .. }`, <https://github.com/solana-program/stake/blob/main/interface/src/state.rs>).
const STAKER_OFFSET: usize = 12;
const WITHDRAWER_OFFSET: usize = 44;
/// A stake account's size.
const STAKE_ACCOUNT_SIZE: usize = 200;
/// A durable-nonce account: u32 version, u32 state (1 = initialized), authority, nonce value, fee calculator
/// (<https://github.com/anza-xyz/solana-sdk/blob/master/nonce/src/state.rs>).
const NONCE_ACCOUNT_SIZE: usize = 80;
const NONCE_AUTHORITY_OFFSET: usize = 8;

/// The genesis hash of each public network: an endpoint that reports another one serves another chain.
fn expected_genesis(network: Network) -> Option<&'static str> {
    match network {
        Network::Mainnet => Some("5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"),
        Network::Devnet => Some("EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"),
        Network::Testnet => Some("4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY"),
        _ => None,
    }
}

/// A Solana client over one transport; remembers which endpoints passed the genesis check.
#[derive(Debug)]
pub struct Client<'a> {
    transport: &'a Transport,
    checked: RefCell<BTreeSet<String>>,
    next_id: RefCell<u64>,
}

type Result<T> = std::result::Result<T, NetError>;

fn malformed(what: impl Into<String>) -> NetError {
    NetError::new(NetErrorKind::MalformedAnswer, what)
}

#[derive(Deserialize)]
struct WithContext<T> {
    context: Context,
    value: T,
}

#[derive(Deserialize)]
struct Context {
    slot: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Blockhash {
    blockhash: String,
    last_valid_block_height: u64,
}

#[derive(Deserialize)]
struct KeyedAccount {
    pubkey: String,
    account: EncodedAccount,
}

#[derive(Deserialize)]
struct EncodedAccount {
    data: (String, String),
    owner: String,
    #[serde(default)]
    lamports: u64,
}

#[derive(Deserialize)]
struct Supply {
    amount: String,
    decimals: u8,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    slot: u64,
    err: Option<IgnoredAny>,
    confirmation_status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryEntry {
    signature: String,
    slot: u64,
    err: Option<IgnoredAny>,
    block_time: Option<i64>,
}

#[derive(Deserialize)]
struct ExecutedTransaction {
    slot: u64,
    /// `[base64 wire bytes, "base64"]`.
    transaction: (String, String),
    meta: Option<TransactionMeta>,
}

#[derive(Deserialize)]
struct TransactionMeta {
    err: Option<IgnoredAny>,
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
    /// A typed [`NetError`]; `wrong_chain` when the endpoint's genesis hash is not `network`'s.
    pub fn call(&self, endpoint: &Endpoint, network: Network, call: &Call) -> Result<Reply> {
        self.check_genesis(endpoint, network)?;
        match call {
            Call::Balance { address } => {
                let v: WithContext<u64> =
                    self.rpc(endpoint, "getBalance", json!([address, {"commitment": "confirmed"}]), Idempotent::Yes)?;
                Ok(Reply::Balance {
                    address: address.clone(),
                    amount: Amount::from_u128(u128::from(v.value)),
                    slot: v.context.slot,
                })
            }
            Call::Balances { addresses } => {
                let params = addresses.iter().map(|a| json!([a, {"commitment": "confirmed"}])).collect();
                let (answers, requests) = crate::jsonrpc::batch::<WithContext<u64>>(
                    self.transport,
                    &self.next_id,
                    endpoint,
                    "getBalance",
                    params,
                )?;
                let balances = addresses
                    .iter()
                    .zip(answers)
                    .map(|(address, answer)| {
                        let v = answer.map_err(|f| f.into_error("getBalance"))?;
                        Ok(AddressBalance { address: address.clone(), amount: Amount::from_u128(u128::from(v.value)) })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Reply::Balances { balances, requests })
            }
            Call::Holdings { address } => {
                let mut accounts = Vec::new();
                let mut slot = 0;
                for (program, id) in [(TokenProgram::SplToken, SPL_TOKEN), (TokenProgram::Token2022, TOKEN_2022)] {
                    let params = json!([address, {"programId": id}, {"encoding": "base64", "commitment": "confirmed"}]);
                    let v: WithContext<Vec<KeyedAccount>> =
                        self.rpc(endpoint, "getTokenAccountsByOwner", params, Idempotent::Yes)?;
                    slot = slot.max(v.context.slot);
                    for keyed in v.value {
                        accounts.push(token_account(keyed, address, program, id)?);
                        if accounts.len() > MAX_TOKEN_ACCOUNTS {
                            return Err(malformed(format!("more than {MAX_TOKEN_ACCOUNTS} token accounts")));
                        }
                    }
                }
                Ok(Reply::Holdings { address: address.clone(), accounts, slot })
            }
            Call::LatestBlockhash => {
                let v: WithContext<Blockhash> =
                    self.rpc(endpoint, "getLatestBlockhash", json!([{"commitment": "confirmed"}]), Idempotent::Yes)?;
                Ok(Reply::LatestBlockhash {
                    blockhash: v.value.blockhash,
                    last_valid_block_height: v.value.last_valid_block_height,
                    slot: v.context.slot,
                })
            }
            Call::SendTransaction { transaction } => {
                let expected = first_signature(transaction)?;
                let params = json!([transaction, {"encoding": "base64", "preflightCommitment": "confirmed"}]);
                let signature: String = self.rpc(endpoint, "sendTransaction", params, Idempotent::No)?;
                // The id of a Solana transaction is its first signature: an endpoint that reports another one is
                // lying or broken.
                if signature != expected {
                    return Err(malformed("the endpoint reported another signature than the transaction's"));
                }
                Ok(Reply::Sent { signature })
            }
            Call::SignatureStatuses { signatures } => {
                let params = json!([signatures, {"searchTransactionHistory": true}]);
                let v: WithContext<Vec<Option<Status>>> =
                    self.rpc(endpoint, "getSignatureStatuses", params, Idempotent::Yes)?;
                if v.value.len() != signatures.len() {
                    return Err(malformed("the endpoint answered for another number of signatures"));
                }
                let statuses = v.value.into_iter().map(|s| s.map(status).transpose()).collect::<Result<Vec<_>>>()?;
                Ok(Reply::SignatureStatuses { statuses })
            }
            Call::History { address, limit } => {
                let params = json!([address, {"limit": limit, "commitment": "confirmed"}]);
                let entries: Vec<HistoryEntry> =
                    self.rpc(endpoint, "getSignaturesForAddress", params, Idempotent::Yes)?;
                if entries.len() > *limit as usize {
                    return Err(malformed("the endpoint returned more entries than asked for"));
                }
                let entries = entries
                    .into_iter()
                    .map(|e| SignatureInfo {
                        signature: e.signature,
                        slot: e.slot,
                        block_time: e.block_time,
                        failed: e.err.is_some(),
                    })
                    .collect();
                Ok(Reply::History { address: address.clone(), entries })
            }
            Call::Transaction { signature } => {
                let params = json!([signature, {
                    "encoding": "base64",
                    "commitment": "confirmed",
                    "maxSupportedTransactionVersion": 0,
                }]);
                let found: Option<ExecutedTransaction> =
                    self.rpc_result(endpoint, "getTransaction", params, Idempotent::Yes)?;
                let Some(found) = found else {
                    return Ok(Reply::Transaction {
                        signature: signature.clone(),
                        transaction: None,
                        slot: None,
                        failed: false,
                    });
                };
                if found.transaction.1 != "base64" {
                    return Err(malformed("getTransaction: the transaction is not base64"));
                }
                coffer_net_proto::check_transaction("transaction", &found.transaction.0)
                    .map_err(|_| malformed("getTransaction: the transaction is not base64 or too large"))?;
                // The endpoint must answer with the transaction asked about (the client re-checks every signature).
                if first_signature(&found.transaction.0).ok().as_ref() != Some(signature) {
                    return Err(malformed("getTransaction: the endpoint returned another transaction"));
                }
                Ok(Reply::Transaction {
                    signature: signature.clone(),
                    transaction: Some(found.transaction.0),
                    slot: Some(found.slot),
                    failed: found.meta.is_some_and(|m| m.err.is_some()),
                })
            }
            Call::StakeAccounts { address } => {
                let mut accounts: Vec<StakeAccount> = Vec::new();
                for offset in [STAKER_OFFSET, WITHDRAWER_OFFSET] {
                    for keyed in self.program_accounts(endpoint, STAKE, STAKE_ACCOUNT_SIZE, offset, address)? {
                        let data = account_data(&keyed, STAKE, STAKE_ACCOUNT_SIZE)?;
                        // Initialized (1) or delegated (2); the endpoint's filter is re-checked.
                        let key = |at: usize| bs58::encode(&data[at..at + 32]).into_string();
                        let (staker, withdrawer) = (key(STAKER_OFFSET), key(WITHDRAWER_OFFSET));
                        if !matches!(data[0..4], [1 | 2, 0, 0, 0]) || (staker != *address && withdrawer != *address) {
                            return Err(malformed(
                                "the endpoint listed a stake account that does not name the address",
                            ));
                        }
                        if accounts.iter().any(|a| a.address == keyed.pubkey) {
                            continue;
                        }
                        accounts.push(StakeAccount {
                            address: keyed.pubkey,
                            lamports: Amount::from_u128(u128::from(keyed.account.lamports)),
                            staker,
                            withdrawer,
                            lockup: lockup(&data),
                        });
                        if accounts.len() > MAX_TOKEN_ACCOUNTS {
                            return Err(malformed(format!("more than {MAX_TOKEN_ACCOUNTS} stake accounts")));
                        }
                    }
                }
                Ok(Reply::StakeAccounts { address: address.clone(), accounts, slot: 0 })
            }
            Call::NonceAccounts { address } => {
                let mut accounts = Vec::new();
                for keyed in
                    self.program_accounts(endpoint, SYSTEM, NONCE_ACCOUNT_SIZE, NONCE_AUTHORITY_OFFSET, address)?
                {
                    let data = account_data(&keyed, SYSTEM, NONCE_ACCOUNT_SIZE)?;
                    let authority = bs58::encode(&data[8..40]).into_string();
                    if data[4..8] != [1, 0, 0, 0] || authority != *address {
                        return Err(malformed("the endpoint listed a nonce account of another authority"));
                    }
                    accounts.push(NonceAccount {
                        address: keyed.pubkey,
                        lamports: Amount::from_u128(u128::from(keyed.account.lamports)),
                        authority,
                        nonce: bs58::encode(&data[40..72]).into_string(),
                    });
                    if accounts.len() > MAX_TOKEN_ACCOUNTS {
                        return Err(malformed(format!("more than {MAX_TOKEN_ACCOUNTS} nonce accounts")));
                    }
                }
                Ok(Reply::NonceAccounts { address: address.clone(), accounts, slot: 0 })
            }
            Call::TokenSupply { mint } => {
                let v: WithContext<Supply> =
                    self.rpc(endpoint, "getTokenSupply", json!([mint, {"commitment": "confirmed"}]), Idempotent::Yes)?;
                let amount =
                    v.value.amount.parse::<u64>().map_err(|_| malformed("getTokenSupply: amount is not a u64"))?;
                // A Token-2022 mint's extensions come from its account data.
                let params = json!([mint, {"encoding": "base64", "commitment": "confirmed"}]);
                let info: WithContext<Option<EncodedAccount>> =
                    self.rpc(endpoint, "getAccountInfo", params, Idempotent::Yes)?;
                let extensions = match info.value {
                    Some(acc) if acc.owner == TOKEN_2022 => mint_extensions(&decode_data(&acc, "mint")?)?,
                    Some(acc) if acc.owner == SPL_TOKEN => None,
                    _ => return Err(malformed("getAccountInfo: the mint is not a token program's account")),
                };
                Ok(Reply::TokenSupply {
                    mint: mint.clone(),
                    amount: Amount::from_u128(u128::from(amount)),
                    decimals: v.value.decimals,
                    extensions,
                })
            }
            _ => Err(NetError::new(NetErrorKind::Unsupported, format!("{} is not served for solana", call.method()))),
        }
    }

    /// Asks an endpoint for its genesis hash once per process and refuses one that serves another network.
    fn check_genesis(&self, endpoint: &Endpoint, network: Network) -> Result<()> {
        let Some(expected) = expected_genesis(network) else { return Ok(()) };
        if self.checked.borrow().contains(&endpoint.url) {
            return Ok(());
        }
        let hash: String = self.rpc(endpoint, "getGenesisHash", json!([]), Idempotent::Yes)?;
        if hash != expected {
            return Err(NetError::new(
                NetErrorKind::WrongChain,
                format!(
                    "{} serves another network than solana {} (genesis hash differs)",
                    endpoint.origin,
                    network.name()
                ),
            ));
        }
        self.checked.borrow_mut().insert(endpoint.url.clone());
        Ok(())
    }

    /// `getProgramAccounts` of `program` with accounts of `size` bytes whose 32 bytes at `offset` are `address`
    /// (<https://solana.com/docs/rpc/http/getprogramaccounts>).
    fn program_accounts(
        &self,
        endpoint: &Endpoint,
        program: &str,
        size: usize,
        offset: usize,
        address: &str,
    ) -> Result<Vec<KeyedAccount>> {
        let params = json!([program, {
            "encoding": "base64",
            "commitment": "confirmed",
            "filters": [{"dataSize": size}, {"memcmp": {"offset": offset, "bytes": address}}],
        }]);
        let found: Vec<KeyedAccount> = self.rpc(endpoint, "getProgramAccounts", params, Idempotent::Yes)?;
        if found.len() > MAX_TOKEN_ACCOUNTS {
            return Err(malformed(format!("getProgramAccounts: more than {MAX_TOKEN_ACCOUNTS} accounts")));
        }
        Ok(found)
    }

    /// One JSON-RPC call, its answer parsed as `T`.
    fn rpc<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        method: &str,
        params: Value,
        idem: Idempotent,
    ) -> Result<T> {
        self.rpc_result(endpoint, method, params, idem)?
            .ok_or_else(|| malformed(format!("{method}: the answer has neither a result nor an error")))
    }

    /// One JSON-RPC call: its result parsed as `T`, `None` for a missing or `null` result (getTransaction's
    /// documented answer for an unknown transaction).
    fn rpc_result<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        method: &str,
        params: Value,
        idem: Idempotent,
    ) -> Result<Option<T>> {
        crate::jsonrpc::call(self.transport, &self.next_id, endpoint, method, params, idem)
    }
}

/// Decodes one token account from its raw data (SPL Token layout; Token-2022 extends it after byte 165) and checks
/// that it is the asked owner's and the asked program's.
fn token_account(keyed: KeyedAccount, owner: &str, program: TokenProgram, id: &str) -> Result<TokenAccount> {
    if keyed.account.owner != id {
        return Err(malformed("a token account belongs to another program than asked"));
    }
    let data = decode_data(&keyed.account, "token account")?;
    if data.len() < 165 {
        return Err(malformed("token account data is shorter than a token account"));
    }
    let (mint, rest) = data.split_at(32);
    let (account_owner, rest) = rest.split_at(32);
    let mut amount = [0u8; 8];
    amount.copy_from_slice(&rest[..8]);
    if bs58::encode(account_owner).into_string() != owner {
        return Err(malformed("the endpoint listed a token account of another owner"));
    }
    coffer_net_proto::check_address("token account", coffer_net_proto::Chain::Solana, &keyed.pubkey)
        .map_err(|_| malformed("a token account address is not a Solana address"))?;
    // The rest of the SPL Token `Account` layout (165 bytes, shared by Token-2022's base account): delegate
    // (COption<Pubkey>, 36 bytes) at 72, state (u8: 1 initialized, 2 frozen) at 108, is_native (COption<u64>, 12) at
    // 109, delegated amount (8) at 121, close authority (COption<Pubkey>, 36) at 129.
    let frozen = match data[108] {
        1 => false,
        2 => true,
        _ => return Err(malformed("a token account that is not initialized")),
    };
    let close_authority = match data[129..133] {
        [0, 0, 0, 0] => None,
        [1, 0, 0, 0] => Some(bs58::encode(&data[133..165]).into_string()),
        _ => return Err(malformed("a token account's close authority is not an option")),
    };
    // Token-2022 account extensions: fees withheld (`TransferFeeAmount`, type 2: u64) and a confidential balance
    // (`ConfidentialTransferAccount`, type 5: approved u8, ElGamal key 32, then the pending low, pending high and
    // available ciphertexts, 64 bytes each; closable only when all three are zero, `closable()` in
    // interface/src/extension/confidential_transfer/mod.rs).
    let mut withheld = None;
    let mut confidential_balance = false;
    if program == TokenProgram::Token2022 {
        for (kind, value) in extensions(&data, ACCOUNT_TYPE_ACCOUNT)? {
            match kind {
                2 => {
                    let w = u64::from_le_bytes(fixed(value, "TransferFeeAmount")?);
                    withheld = (w > 0).then(|| Amount::from_u128(u128::from(w)));
                }
                5 => {
                    let balances =
                        value.get(33..225).ok_or_else(|| malformed("a short ConfidentialTransferAccount"))?;
                    confidential_balance = balances.iter().any(|&b| b != 0);
                }
                _ => {}
            }
        }
    }
    Ok(TokenAccount {
        address: keyed.pubkey,
        mint: bs58::encode(mint).into_string(),
        program,
        amount: Amount::from_u128(u128::from(u64::from_le_bytes(amount))),
        frozen,
        close_authority,
        withheld,
        confidential_balance,
    })
}

/// The account-type byte of Token-2022 data with extensions (`AccountType` in interface/src/extension/mod.rs).
const ACCOUNT_TYPE_MINT: u8 = 1;
const ACCOUNT_TYPE_ACCOUNT: u8 = 2;
/// Token-2022 data with extensions: the base state padded to 165 bytes, the account-type byte, then TLV entries
/// (u16 type, u16 length, value) (<https://github.com/solana-program/token-2022>, interface/src/extension/mod.rs).
const TLV_START: usize = 166;

/// The extension entries of Token-2022 account or mint data, `(type, value)`; none when the data has no extension
/// area. Bounded by the data (every entry advances by at least 4 bytes); an entry past the end, or an account type
/// other than `want`, is malformed.
fn extensions(data: &[u8], want: u8) -> Result<Vec<(u16, &[u8])>> {
    if data.len() <= 165 {
        return Ok(Vec::new());
    }
    if data.get(165) != Some(&want) {
        return Err(malformed("Token-2022 data of another account type"));
    }
    let mut out = Vec::new();
    let mut at = TLV_START;
    while let Some(head) = data.get(at..at + 4) {
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        if kind == 0 {
            break; // Uninitialized: the rest is padding.
        }
        let value = data.get(at + 4..at + 4 + len).ok_or_else(|| malformed("a Token-2022 extension past the end"))?;
        out.push((kind, value));
        at += 4 + len;
    }
    Ok(out)
}

fn fixed<const N: usize>(value: &[u8], what: &str) -> Result<[u8; N]> {
    value.get(..N).and_then(|v| v.try_into().ok()).ok_or_else(|| malformed(format!("a short {what} extension")))
}

/// A Token-2022 mint's extensions that change a sweep, from its data (`None`: a mint without extensions). Layouts:
/// `TransferFeeConfig` (type 1: two authorities, withheld u64, then the older and the newer `TransferFee`, each
/// epoch u64, maximum fee u64, basis points u16), `DefaultAccountState` (6: state u8, 2 = frozen), `NonTransferable`
/// (9), `TransferHook` (14: authority, program id; all zero = none), `Pausable` (26: authority, paused u8).
fn mint_extensions(data: &[u8]) -> Result<Option<coffer_net_proto::MintExtensions>> {
    if data.len() < 82 {
        return Err(malformed("mint data is shorter than a mint"));
    }
    let entries = extensions(data, ACCOUNT_TYPE_MINT)?;
    let mut m = coffer_net_proto::MintExtensions::default();
    for (kind, value) in &entries {
        match kind {
            1 => {
                let v: [u8; 108] = fixed(value, "TransferFeeConfig")?;
                let fee = |at: usize| {
                    let max = u64::from_le_bytes(v[at + 8..at + 16].try_into().unwrap_or_default());
                    let bps = u16::from_le_bytes([v[at + 16], v[at + 17]]);
                    (bps, max)
                };
                // The fee in force depends on the epoch (the newer one from its epoch on): while a change is pending,
                // the larger basis points and the larger maximum, which bound either fee (what arrives is then at
                // least what the preview says).
                let (older, newer) = (fee(72), fee(90));
                m.transfer_fee = Some(coffer_net_proto::TransferFee {
                    basis_points: older.0.max(newer.0),
                    maximum_fee: Amount::from_u128(u128::from(older.1.max(newer.1))),
                });
            }
            6 => m.default_frozen = fixed::<1>(value, "DefaultAccountState")? == [2],
            9 => m.non_transferable = true,
            14 => {
                let v: [u8; 64] = fixed(value, "TransferHook")?;
                m.transfer_hook = true;
                m.transfer_hook_program = v[32..].iter().any(|&b| b != 0).then(|| bs58::encode(&v[32..]).into_string());
            }
            26 => {
                let v: [u8; 33] = fixed(value, "Pausable")?;
                m.pausable = true;
                m.paused = v[32] != 0;
            }
            _ => {}
        }
    }
    Ok((m != coffer_net_proto::MintExtensions::default()).then_some(m))
}

/// The raw data of an account, bounded (64 KiB of base64).
fn decode_data(account: &EncodedAccount, what: &str) -> Result<Vec<u8>> {
    if account.data.1 != "base64" || account.data.0.len() > 64 * 1024 {
        return Err(malformed(format!("{what} data is not base64 or too large")));
    }
    base64::engine::general_purpose::STANDARD
        .decode(&account.data.0)
        .map_err(|_| malformed(format!("{what} data is not base64")))
}

/// A stake account's lockup (the stake program's `Meta.lockup`, after the authorities: unix timestamp i64 at 76,
/// epoch u64 at 84, custodian at 92), when one is set (a nonzero time or epoch).
fn lockup(data: &[u8]) -> Option<coffer_net_proto::StakeLockup> {
    let unix_timestamp = i64::from_le_bytes(data.get(76..84)?.try_into().ok()?);
    let epoch = u64::from_le_bytes(data.get(84..92)?.try_into().ok()?);
    (unix_timestamp != 0 || epoch != 0).then(|| coffer_net_proto::StakeLockup {
        unix_timestamp,
        epoch,
        custodian: bs58::encode(data.get(92..124).unwrap_or_default()).into_string(),
    })
}

/// The raw data of an account of `program` of exactly `size` bytes, its address checked.
fn account_data(keyed: &KeyedAccount, program: &str, size: usize) -> Result<Vec<u8>> {
    if keyed.account.owner != program {
        return Err(malformed("getProgramAccounts: an account of another program than asked"));
    }
    if keyed.account.data.1 != "base64" || keyed.account.data.0.len() > 4 * size {
        return Err(malformed("getProgramAccounts: account data is not base64 or too large"));
    }
    let data = base64::engine::general_purpose::STANDARD
        .decode(&keyed.account.data.0)
        .map_err(|_| malformed("getProgramAccounts: account data is not base64"))?;
    if data.len() != size {
        return Err(malformed("getProgramAccounts: account data of another size than asked"));
    }
    coffer_net_proto::check_address("account", coffer_net_proto::Chain::Solana, &keyed.pubkey)
        .map_err(|_| malformed("getProgramAccounts: an address is not a Solana address"))?;
    Ok(data)
}

fn status(s: Status) -> Result<SignatureStatus> {
    let confirmation = match s.confirmation_status.as_deref() {
        Some("processed") | None => Confirmation::Processed,
        Some("confirmed") => Confirmation::Confirmed,
        Some("finalized") => Confirmation::Finalized,
        Some(_) => return Err(malformed("unknown confirmation status")),
    };
    Ok(SignatureStatus { slot: s.slot, confirmation, failed: s.err.is_some() })
}

/// The first signature of a wire transaction (base58), which Solana uses as the transaction's id.
fn first_signature(transaction: &str) -> Result<String> {
    let bad = |why: &str| NetError::new(NetErrorKind::BadRequest, format!("not a signed Solana transaction: {why}"));
    let bytes = base64::engine::general_purpose::STANDARD.decode(transaction).map_err(|_| bad("not base64"))?;
    // compact-u16 signature count; one byte for counts below 128, which every transaction that fits has.
    let count = *bytes.first().ok_or_else(|| bad("empty"))?;
    if count == 0 || count >= 0x80 {
        return Err(bad("no signature"));
    }
    let sig = bytes.get(1..65).ok_or_else(|| bad("truncated"))?;
    if sig.iter().all(|&b| b == 0) {
        return Err(bad("the first signature is empty"));
    }
    Ok(bs58::encode(sig).into_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_first_signature_is_the_id() {
        let mut tx = vec![1u8];
        tx.extend([7u8; 64]);
        tx.extend([0u8; 10]);
        let text = base64::engine::general_purpose::STANDARD.encode(&tx);
        assert_eq!(first_signature(&text).unwrap(), bs58::encode([7u8; 64]).into_string());
        for bad in [vec![0u8; 70], vec![1u8; 30], vec![1u8].into_iter().chain([0u8; 64]).collect()] {
            let text = base64::engine::general_purpose::STANDARD.encode(&bad);
            assert_eq!(first_signature(&text).unwrap_err().kind, NetErrorKind::BadRequest);
        }
    }

    #[test]
    fn program_accounts_are_checked_for_program_and_size() {
        let keyed = |data: &[u8], program: &str| KeyedAccount {
            pubkey: bs58::encode([5u8; 32]).into_string(),
            account: EncodedAccount {
                data: (base64::engine::general_purpose::STANDARD.encode(data), "base64".into()),
                owner: program.into(),
                lamports: 1,
            },
        };
        assert_eq!(account_data(&keyed(&[1; 80], SYSTEM), SYSTEM, 80).unwrap(), vec![1; 80]);
        assert!(account_data(&keyed(&[1; 80], STAKE), SYSTEM, 80).is_err(), "another program");
        assert!(account_data(&keyed(&[1; 81], SYSTEM), SYSTEM, 80).is_err(), "another size");
    }

    #[test]
    fn token_accounts_are_checked_against_the_request() {
        let owner = [3u8; 32];
        let mut data = vec![0u8; 165];
        data[..32].copy_from_slice(&[9u8; 32]);
        data[32..64].copy_from_slice(&owner);
        data[64..72].copy_from_slice(&123_456u64.to_le_bytes());
        data[108] = 1; // initialized
        let keyed = |data: &[u8], program: &str| KeyedAccount {
            pubkey: bs58::encode([5u8; 32]).into_string(),
            account: EncodedAccount {
                data: (base64::engine::general_purpose::STANDARD.encode(data), "base64".into()),
                owner: program.into(),
                lamports: 2_039_280,
            },
        };
        let owner58 = bs58::encode(owner).into_string();
        let t = token_account(keyed(&data, SPL_TOKEN), &owner58, TokenProgram::SplToken, SPL_TOKEN).unwrap();
        assert_eq!(t.amount.value(), 123_456);
        assert_eq!(t.mint, bs58::encode([9u8; 32]).into_string());
        let other = bs58::encode([4u8; 32]).into_string();
        assert!(token_account(keyed(&data, SPL_TOKEN), &other, TokenProgram::SplToken, SPL_TOKEN).is_err());
        assert!(token_account(keyed(&data, TOKEN_2022), &owner58, TokenProgram::SplToken, SPL_TOKEN).is_err());
        assert!(token_account(keyed(&data[..100], SPL_TOKEN), &owner58, TokenProgram::SplToken, SPL_TOKEN).is_err());
        assert!(!t.frozen && t.close_authority.is_none());
        // State 2 is frozen; a close authority is a COption<Pubkey> at 129 (SPL Token's `Account` layout).
        let mut frozen = data.clone();
        frozen[108] = 2;
        frozen[129] = 1;
        frozen[133..165].copy_from_slice(&[7u8; 32]);
        let f = token_account(keyed(&frozen, SPL_TOKEN), &owner58, TokenProgram::SplToken, SPL_TOKEN).unwrap();
        assert!(f.frozen);
        // A stake account's lockup (Meta.lockup after the authorities) is read only when set.
        let mut stake = vec![0u8; 200];
        assert_eq!(lockup(&stake), None);
        stake[76..84].copy_from_slice(&4_102_444_800i64.to_le_bytes());
        stake[92..124].copy_from_slice(&[6u8; 32]);
        let l = lockup(&stake).unwrap();
        assert_eq!((l.unix_timestamp, l.epoch, l.custodian), (4_102_444_800, 0, bs58::encode([6u8; 32]).into_string()));
        assert_eq!(f.close_authority, Some(bs58::encode([7u8; 32]).into_string()));
        // Token-2022 account extensions (TLV after byte 166, account type 2): withheld fees and a confidential
        // balance are read; a TLV entry past the end or another account type is refused.
        let tlv = |entries: &[(u16, Vec<u8>)], account_type: u8| {
            let mut d = data.clone();
            d.push(account_type);
            for (kind, value) in entries {
                d.extend(kind.to_le_bytes());
                d.extend(u16::try_from(value.len()).unwrap().to_le_bytes());
                d.extend(value);
            }
            d
        };
        let mut confidential = vec![0u8; 295];
        confidential[161] = 1; // the available balance's ciphertext is not zero
        let ext = tlv(&[(7, vec![]), (2, 500u64.to_le_bytes().to_vec()), (5, confidential)], 2);
        let t = token_account(keyed(&ext, TOKEN_2022), &owner58, TokenProgram::Token2022, TOKEN_2022).unwrap();
        assert_eq!((t.withheld.map(|w| w.value()), t.confidential_balance), (Some(500), true));
        let zero = tlv(&[(2, vec![0; 8]), (5, vec![0; 295])], 2);
        let t = token_account(keyed(&zero, TOKEN_2022), &owner58, TokenProgram::Token2022, TOKEN_2022).unwrap();
        assert_eq!((t.withheld, t.confidential_balance), (None, false));
        let mut past = tlv(&[(2, 500u64.to_le_bytes().to_vec())], 2);
        past.truncate(past.len() - 1);
        assert!(token_account(keyed(&past, TOKEN_2022), &owner58, TokenProgram::Token2022, TOKEN_2022).is_err());
        let mint_type = tlv(&[(2, vec![0; 8])], 1);
        assert!(token_account(keyed(&mint_type, TOKEN_2022), &owner58, TokenProgram::Token2022, TOKEN_2022).is_err());
        // A mint's extensions: transfer fee (the larger of the older and newer fee), default state, non-transferable,
        // hook program, pausable; none for a mint without extensions.
        let mut mint = vec![0u8; 165];
        mint[45] = 1;
        assert_eq!(mint_extensions(&mint[..82]).unwrap(), None);
        mint.push(1);
        let mut fee = vec![0u8; 108];
        fee[80..88].copy_from_slice(&9u64.to_le_bytes());
        fee[88..90].copy_from_slice(&30u16.to_le_bytes());
        fee[98..106].copy_from_slice(&4u64.to_le_bytes());
        fee[106..108].copy_from_slice(&70u16.to_le_bytes());
        let mut hook = vec![0u8; 64];
        hook[32..].copy_from_slice(&[8u8; 32]);
        let mut pause = vec![0u8; 33];
        pause[32] = 1;
        for (kind, value) in [(1u16, fee), (6, vec![2]), (9, vec![]), (14, hook), (26, pause)] {
            mint.extend(kind.to_le_bytes());
            mint.extend(u16::try_from(value.len()).unwrap().to_le_bytes());
            mint.extend(value);
        }
        let m = mint_extensions(&mint).unwrap().unwrap();
        let f = m.transfer_fee.clone().unwrap();
        assert_eq!((f.basis_points, f.maximum_fee.value()), (70, 9));
        assert!(m.default_frozen && m.non_transferable && m.transfer_hook && m.pausable && m.paused);
        assert_eq!(m.transfer_hook_program, Some(bs58::encode([8u8; 32]).into_string()));
        assert!(mint_extensions(&mint[..mint.len() - 3]).is_err(), "an entry past the end");
        // Uninitialized, or an option tag that is neither 0 nor 1: not a token account this client believes.
        for (at, byte) in [(108, 0), (108, 3), (129, 2)] {
            let mut bad = data.clone();
            bad[at] = byte;
            assert!(token_account(keyed(&bad, SPL_TOKEN), &owner58, TokenProgram::SplToken, SPL_TOKEN).is_err());
        }
    }
}
