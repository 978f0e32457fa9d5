//! The messages: [`Hello`], [`Request`] with its [`Call`], [`Answer`] with its [`Reply`].

use serde::{Deserialize, Serialize};

use crate::field::{check_address, check_hash32, check_len, check_signature, check_text, check_transaction};
use crate::iota::{Coin, CoinBalance, OwnedObject, check_balances, check_coins, check_move_type, check_objects};
use crate::stellar::{ClaimableBalance, MAX_CLAIMABLE_BALANCES, MAX_STELLAR_ENTRIES, Offer, StellarAccount};
use crate::{
    Amount, MAX_DEPTH, MAX_HISTORY, MAX_LINE, MAX_SIGNATURES, MAX_TEXT, MAX_TOKEN_ACCOUNTS, NetError, PROTOCOL_VERSION,
    ProtoError,
};

type Result<T> = std::result::Result<T, ProtoError>;

/// A chain the protocol knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Chain {
    /// IOTA (Rebased).
    Iota,
    /// Sui.
    Sui,
    /// Solana.
    Solana,
    /// Stellar.
    Stellar,
}

impl Chain {
    /// The wire name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Iota => "iota",
            Self::Sui => "sui",
            Self::Solana => "solana",
            Self::Stellar => "stellar",
        }
    }
}

/// Which network of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Network {
    /// The chain's main network: real value.
    Mainnet,
    /// The public test network.
    Testnet,
    /// The public development network (Solana, Sui, IOTA).
    Devnet,
    /// A network the user runs (a local validator or test server): no built-in endpoint and no genesis check;
    /// the endpoint must be configured.
    Localnet,
}

impl Network {
    /// The wire name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Mainnet => "mainnet",
            Self::Testnet => "testnet",
            Self::Devnet => "devnet",
            Self::Localnet => "localnet",
        }
    }

    /// Parses a wire name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "mainnet" => Some(Self::Mainnet),
            "testnet" => Some(Self::Testnet),
            "devnet" => Some(Self::Devnet),
            "localnet" => Some(Self::Localnet),
            _ => None,
        }
    }
}

/// Which side of the pipe sent a [`Hello`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// The process that asks (the CLI or the app).
    Client,
    /// The network process.
    Server,
}

/// The first line each side sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    /// The protocol version ([`PROTOCOL_VERSION`]).
    pub coffer_net: u32,
    /// Who is speaking.
    pub role: Role,
    /// The program and its version, for diagnostics (at most [`MAX_TEXT`] bytes).
    pub software: String,
}

impl Hello {
    /// This build's hello for `role`.
    #[must_use]
    pub fn new(role: Role, software: &str) -> Self {
        Self { coffer_net: PROTOCOL_VERSION, role, software: software.to_owned() }
    }

    /// The hello as one line, with its newline.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] when `software` is too long or has control characters.
    pub fn to_line(&self) -> Result<String> {
        check_text("software", &self.software, MAX_TEXT)?;
        to_line(self)
    }
}

/// Parses the other side's first line and checks its version and role.
///
/// # Errors
/// [`ProtoError::Malformed`] for a line that is not a hello, [`ProtoError::Version`] for another protocol version,
/// [`ProtoError::Mismatch`] when the peer claims the wrong role.
pub fn parse_hello(line: &[u8], expected: Role) -> Result<Hello> {
    // Version first, from a loose parse, so a future hello with new fields still reports the version mismatch.
    #[derive(Deserialize)]
    struct Version {
        coffer_net: u32,
    }
    let v: Version = parse_json(line)?;
    if v.coffer_net != PROTOCOL_VERSION {
        return Err(ProtoError::Version { theirs: v.coffer_net, ours: PROTOCOL_VERSION });
    }
    let hello: Hello = parse_json(line)?;
    check_text("software", &hello.software, MAX_TEXT)?;
    if hello.role != expected {
        return Err(ProtoError::Mismatch { field: "role" });
    }
    Ok(hello)
}

/// One request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Chosen by the client; echoed in the answer.
    pub id: u64,
    /// The chain asked about.
    pub chain: Chain,
    /// The network asked about.
    pub network: Network,
    /// What to do.
    pub call: Call,
}

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Call {
    /// The native balance of an address.
    Balance {
        /// The address.
        address: String,
    },
    /// Every token account an address owns (Solana: SPL Token and Token-2022).
    Holdings {
        /// The owner's address.
        address: String,
    },
    /// A recent blockhash to build a transaction on (Solana).
    LatestBlockhash,
    /// Broadcast a signed transaction.
    SendTransaction {
        /// The signed transaction's wire bytes, standard base64.
        transaction: String,
    },
    /// The status of transactions by id.
    SignatureStatuses {
        /// Transaction ids (Solana: first signatures), at most [`MAX_SIGNATURES`].
        signatures: Vec<String>,
    },
    /// The most recent transactions that touched an address, newest first.
    History {
        /// The address.
        address: String,
        /// How many, 1 to [`MAX_HISTORY`].
        limit: u32,
    },
    /// Everything an account is and holds (Stellar: sequence number, lumens, trustlines, data entries, signers),
    /// or that it does not exist.
    Account {
        /// The account's address.
        address: String,
    },
    /// The account's open offers (Stellar).
    Offers {
        /// The account's address.
        address: String,
    },
    /// The claimable balances the account may claim (Stellar).
    ClaimableBalances {
        /// The account's address.
        address: String,
    },
    /// One executed transaction by id, as wire bytes (Solana), so the client can decode it, check its signatures
    /// itself and compare it with its signing log.
    Transaction {
        /// The transaction id (Solana: its first signature).
        signature: String,
    },
    /// The total of every coin type an address holds (IOTA: `iotax_getAllBalances`).
    CoinBalances {
        /// The owner's address.
        address: String,
    },
    /// The coin objects of one coin type an address owns (IOTA: `iotax_getCoins`), at most
    /// [`crate::MAX_IOTA_OBJECTS`].
    Coins {
        /// The owner's address.
        address: String,
        /// The coin type (a Move type such as `0x2::iota::IOTA`).
        coin_type: String,
    },
    /// The objects an address owns (IOTA: `iotax_getOwnedObjects` with `showType`, `showOwner` and `showContent`;
    /// Sui: GraphQL `address.objects`), with whether each may be transferred and when a time lock on it ends, at
    /// most [`crate::MAX_IOTA_OBJECTS`].
    OwnedObjects {
        /// The owner's address.
        address: String,
    },
    /// The network's reference gas price (IOTA: `iotax_getReferenceGasPrice`).
    ReferenceGasPrice,
    /// The stake accounts that name an address as staker or withdrawer (Solana: `getProgramAccounts` on the Stake
    /// program with a `memcmp` filter on each authority).
    StakeAccounts {
        /// The authority's address.
        address: String,
    },
    /// The durable-nonce accounts whose authority is an address (Solana: `getProgramAccounts` on the System
    /// program, `dataSize` 80, `memcmp` on the authority).
    NonceAccounts {
        /// The authority's address.
        address: String,
    },
    /// A token mint's supply and decimals (Solana: `getTokenSupply`).
    TokenSupply {
        /// The mint's address.
        mint: String,
    },
    /// Execute a signed IOTA or Sui transaction (IOTA: `iota_executeTransactionBlock`; Sui: GraphQL
    /// `executeTransaction`). Answered with [`Reply::Sent`] carrying the transaction digest, which the network
    /// process has checked against the digest of the bytes it sent.
    ExecuteTransaction {
        /// The BCS `TransactionData`, standard base64 (at most [`crate::MAX_TRANSACTION_BYTES`] bytes).
        transaction: String,
        /// The serialized signatures (`flag ‖ signature ‖ public key`), standard base64, 1 to
        /// [`crate::MAX_MOVE_SIGNATURES`].
        signatures: Vec<String>,
    },
    /// The decimals and symbol of a coin type (IOTA: `iotax_getCoinMetadata`; Sui: GraphQL `coinMetadata`).
    CoinMetadata {
        /// The coin type (a Move type such as `0x2::sui::SUI`).
        coin_type: String,
    },
    /// Runs a transaction without executing it (IOTA: `iota_dryRunTransactionBlock`; Sui: GraphQL
    /// `simulateTransaction` with the BCS bytes): its status and gas.
    DryRunTransactionBlock {
        /// The BCS `TransactionData`, standard base64.
        tx_bytes: String,
    },
    /// The native balance of several addresses in one call, asked in as few requests as the chain's API allows
    /// (Solana and IOTA: one JSON-RPC batch array per [`crate::MAX_BATCH`] addresses; Sui: one GraphQL query with
    /// an alias per address; Stellar: Horizon has no batch, one request per address). Answered with
    /// [`Reply::Balances`] in the order asked.
    Balances {
        /// The addresses, 1 to [`crate::MAX_BATCH`], none twice.
        addresses: Vec<String>,
    },
}

impl Call {
    /// The wire name of the method.
    #[must_use]
    pub fn method(&self) -> &'static str {
        match self {
            Self::Balance { .. } => "balance",
            Self::Holdings { .. } => "holdings",
            Self::LatestBlockhash => "latest_blockhash",
            Self::SendTransaction { .. } => "send_transaction",
            Self::SignatureStatuses { .. } => "signature_statuses",
            Self::History { .. } => "history",
            Self::Account { .. } => "account",
            Self::Offers { .. } => "offers",
            Self::ClaimableBalances { .. } => "claimable_balances",
            Self::Transaction { .. } => "transaction",
            Self::CoinBalances { .. } => "coin_balances",
            Self::Coins { .. } => "coins",
            Self::OwnedObjects { .. } => "owned_objects",
            Self::ReferenceGasPrice => "reference_gas_price",
            Self::StakeAccounts { .. } => "stake_accounts",
            Self::NonceAccounts { .. } => "nonce_accounts",
            Self::TokenSupply { .. } => "token_supply",
            Self::ExecuteTransaction { .. } => "execute_transaction",
            Self::CoinMetadata { .. } => "coin_metadata",
            Self::DryRunTransactionBlock { .. } => "dry_run_transaction_block",
            Self::Balances { .. } => "balances",
        }
    }
}

impl Request {
    /// Checks every field's bounds and format.
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        let chain = self.chain;
        match &self.call {
            Call::Balance { address }
            | Call::Holdings { address }
            | Call::Account { address }
            | Call::Offers { address }
            | Call::ClaimableBalances { address }
            | Call::CoinBalances { address }
            | Call::OwnedObjects { address }
            | Call::StakeAccounts { address }
            | Call::NonceAccounts { address } => check_address("address", chain, address),
            Call::TokenSupply { mint } => check_address("mint", chain, mint),
            Call::Coins { address, coin_type } => {
                check_address("address", chain, address)?;
                check_move_type("coin_type", coin_type)
            }
            Call::LatestBlockhash | Call::ReferenceGasPrice => Ok(()),
            Call::SendTransaction { transaction } => check_transaction("transaction", transaction),
            Call::SignatureStatuses { signatures } => {
                if signatures.is_empty() {
                    return Err(ProtoError::InvalidField { field: "signatures", reason: "empty" });
                }
                check_len("signatures", signatures.len(), MAX_SIGNATURES)?;
                signatures.iter().try_for_each(|s| check_signature("signatures", chain, s))
            }
            Call::History { address, limit } => {
                check_address("address", chain, address)?;
                if *limit == 0 || *limit as usize > MAX_HISTORY {
                    return Err(ProtoError::InvalidField { field: "limit", reason: "must be 1 to 1000" });
                }
                Ok(())
            }
            Call::Transaction { signature } => check_signature("signature", chain, signature),
            Call::ExecuteTransaction { transaction, signatures } => {
                check_transaction("transaction", transaction)?;
                if signatures.is_empty() {
                    return Err(ProtoError::InvalidField { field: "signatures", reason: "empty" });
                }
                check_len("signatures", signatures.len(), crate::MAX_MOVE_SIGNATURES)?;
                signatures.iter().try_for_each(|s| check_transaction("signatures", s))
            }
            Call::CoinMetadata { coin_type } => check_move_type("coin_type", coin_type),
            Call::DryRunTransactionBlock { tx_bytes } => check_transaction("tx_bytes", tx_bytes),
            Call::Balances { addresses } => {
                if addresses.is_empty() {
                    return Err(ProtoError::InvalidField { field: "addresses", reason: "empty" });
                }
                check_len("addresses", addresses.len(), crate::MAX_BATCH)?;
                addresses.iter().try_for_each(|a| check_address("addresses", chain, a))?;
                let mut seen = std::collections::BTreeSet::new();
                if !addresses.iter().all(|a| seen.insert(a)) {
                    return Err(ProtoError::InvalidField { field: "addresses", reason: "an address twice" });
                }
                Ok(())
            }
        }
    }

    /// The request as one line, with its newline, after [`Request::validate`].
    ///
    /// # Errors
    /// As [`Request::validate`]; [`ProtoError::LineTooLong`] if the line would exceed [`MAX_LINE`].
    pub fn to_line(&self) -> Result<String> {
        self.validate()?;
        to_line(self)
    }
}

/// Parses and validates one request line (without its newline).
///
/// # Errors
/// [`ProtoError::Malformed`] for a line that is not a request (or nests too deep), [`ProtoError::InvalidField`]
/// for a field out of bounds.
pub fn parse_request(line: &[u8]) -> Result<Request> {
    let req: Request = parse_json(line)?;
    req.validate()?;
    Ok(req)
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The request's id.
    pub id: u64,
    /// The request's chain.
    pub chain: Chain,
    /// The request's network.
    pub network: Network,
    /// The endpoint that answered (its URL without credentials), when one was asked.
    pub endpoint: Option<String>,
    /// The reply or the error.
    pub outcome: Outcome,
}

/// A reply or an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The call succeeded.
    Ok(Reply),
    /// The call failed.
    Error(NetError),
}

/// What a successful call returns; one variant per [`Call`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Reply {
    /// Answer to [`Call::Balance`].
    Balance {
        /// The address asked about.
        address: String,
        /// In the chain's smallest unit (Solana: lamports).
        amount: Amount,
        /// The slot (or ledger, checkpoint) the endpoint answered at.
        slot: u64,
    },
    /// Answer to [`Call::Holdings`].
    Holdings {
        /// The owner asked about.
        address: String,
        /// Its token accounts, at most [`MAX_TOKEN_ACCOUNTS`].
        accounts: Vec<TokenAccount>,
        /// The slot the endpoint answered at.
        slot: u64,
    },
    /// Answer to [`Call::LatestBlockhash`].
    LatestBlockhash {
        /// The blockhash (base58).
        blockhash: String,
        /// The last block height at which a transaction built on it is valid.
        last_valid_block_height: u64,
        /// The slot the endpoint answered at.
        slot: u64,
    },
    /// Answer to [`Call::SendTransaction`]: the endpoint accepted it.
    Sent {
        /// The transaction id.
        signature: String,
    },
    /// Answer to [`Call::SignatureStatuses`], in the order asked; `None` for a transaction the endpoint does not
    /// know.
    SignatureStatuses {
        /// One entry per asked id.
        statuses: Vec<Option<SignatureStatus>>,
    },
    /// Answer to [`Call::History`], newest first.
    History {
        /// The address asked about.
        address: String,
        /// At most the asked limit.
        entries: Vec<SignatureInfo>,
    },
    /// Answer to [`Call::Account`].
    Account {
        /// The address asked about.
        address: String,
        /// The account, or `None` when it does not exist on the network (never funded, or merged away).
        account: Option<StellarAccount>,
    },
    /// Answer to [`Call::Offers`].
    Offers {
        /// The address asked about.
        address: String,
        /// Its offers, at most [`MAX_STELLAR_ENTRIES`].
        offers: Vec<Offer>,
    },
    /// Answer to [`Call::ClaimableBalances`].
    ClaimableBalances {
        /// The address asked about.
        address: String,
        /// The balances it is a claimant of, at most [`MAX_CLAIMABLE_BALANCES`] (anyone can create them, so a list
        /// may be long).
        balances: Vec<ClaimableBalance>,
        /// False when the endpoint has more than the listed ones.
        complete: bool,
    },
    /// Answer to [`Call::Transaction`].
    Transaction {
        /// The id asked about.
        signature: String,
        /// The signed wire bytes, standard base64; `None` when the endpoint does not know the transaction. Untrusted:
        /// the client decodes them and checks that the signatures are valid and the first is the id asked about.
        transaction: Option<String>,
        /// The slot it was executed in, when known.
        slot: Option<u64>,
        /// Whether it failed (it was included, fees were charged, its effects were not applied).
        failed: bool,
    },
    /// The total of every coin type an address holds.
    CoinBalances {
        /// The address asked about.
        address: String,
        /// One entry per coin type, at most [`crate::MAX_COIN_TYPES`], no type twice.
        balances: Vec<CoinBalance>,
    },
    /// The coin objects of one coin type an address owns.
    Coins {
        /// The address asked about.
        address: String,
        /// The coin type asked about.
        coin_type: String,
        /// The coins, at most [`crate::MAX_IOTA_OBJECTS`].
        coins: Vec<Coin>,
        /// False when the address owns more coins than the answer lists.
        complete: bool,
    },
    /// The objects an address owns.
    OwnedObjects {
        /// The address asked about.
        address: String,
        /// The objects, at most [`crate::MAX_IOTA_OBJECTS`].
        objects: Vec<OwnedObject>,
        /// False when the address owns more objects than the answer lists.
        complete: bool,
    },
    /// The reference gas price, in the native coin's smallest unit per gas unit.
    ReferenceGasPrice {
        /// The price.
        price: Amount,
    },
    /// Answer to [`Call::StakeAccounts`].
    StakeAccounts {
        /// The authority asked about.
        address: String,
        /// The stake accounts naming it, at most [`MAX_TOKEN_ACCOUNTS`].
        accounts: Vec<StakeAccount>,
        /// The slot the endpoint answered at.
        slot: u64,
    },
    /// Answer to [`Call::NonceAccounts`].
    NonceAccounts {
        /// The authority asked about.
        address: String,
        /// The nonce accounts it is the authority of, at most [`MAX_TOKEN_ACCOUNTS`].
        accounts: Vec<NonceAccount>,
        /// The slot the endpoint answered at.
        slot: u64,
    },
    /// Answer to [`Call::TokenSupply`].
    TokenSupply {
        /// The mint asked about.
        mint: String,
        /// The supply in raw units.
        amount: Amount,
        /// The mint's decimals.
        decimals: u8,
        /// A Token-2022 mint's extensions that change a sweep (Solana: read from the mint account's data). Absent:
        /// none, or an SPL Token mint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extensions: Option<MintExtensions>,
    },
    /// Answer to [`Call::CoinMetadata`].
    CoinMetadata {
        /// The coin type asked about.
        coin_type: String,
        /// The metadata, or `None` when the coin type has none on this network.
        metadata: Option<crate::CoinMetadata>,
    },
    /// Answer to [`Call::DryRunTransactionBlock`].
    DryRun {
        /// Whether it would succeed.
        success: bool,
        /// The chain's error when it would fail (at most [`MAX_TEXT`] bytes).
        error: Option<String>,
        /// Computation cost, in the native coin's smallest unit.
        computation_cost: Amount,
        /// Storage cost.
        storage_cost: Amount,
        /// Storage rebate.
        storage_rebate: Amount,
    },
    /// Answer to [`Call::Balances`]: one entry per asked address, in the order asked.
    Balances {
        /// The balances.
        balances: Vec<AddressBalance>,
        /// How many requests the network process made to the endpoint for them (a figure for the user and the
        /// benchmarks; not trusted for anything).
        requests: u32,
    },
}

/// The native balance of one address, in [`Reply::Balances`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressBalance {
    /// The address.
    pub address: String,
    /// In the chain's smallest unit (lamports, nanos, MIST, stroops); 0 for an address the chain does not know.
    pub amount: Amount,
}

/// A stake account (Solana) and its authorities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeAccount {
    /// The stake account's address.
    pub address: String,
    /// Its lamports.
    pub lamports: Amount,
    /// The staker authority.
    pub staker: String,
    /// The withdrawer authority.
    pub withdrawer: String,
    /// The lockup, when one is set (a nonzero time or epoch). Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockup: Option<StakeLockup>,
}

/// A stake account's lockup: until the time and the epoch have passed, only the custodian may change the withdrawer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeLockup {
    /// Unix time (seconds).
    pub unix_timestamp: i64,
    /// Epoch.
    pub epoch: u64,
    /// The custodian.
    pub custodian: String,
}

/// A durable-nonce account (Solana).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonceAccount {
    /// The nonce account's address.
    pub address: String,
    /// Its lamports.
    pub lamports: Amount,
    /// Its authority.
    pub authority: String,
    /// Its current nonce value (base58 of 32 bytes).
    pub nonce: String,
}

/// Which token program a token account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TokenProgram {
    /// SPL Token (`TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`).
    SplToken,
    /// Token-2022 (`TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`).
    #[serde(rename = "token-2022")]
    Token2022,
}

/// One token account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenAccount {
    /// The token account's address.
    pub address: String,
    /// The mint.
    pub mint: String,
    /// The program that owns it.
    pub program: TokenProgram,
    /// The balance in the token's raw units (the mint's decimals are not applied).
    pub amount: Amount,
    /// Frozen by the mint's freeze authority (nothing moves or closes it). Absent: not frozen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub frozen: bool,
    /// The account's close authority, when one is set (else the owner closes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_authority: Option<String>,
    /// Token-2022: transfer fees withheld in the account (`TransferFeeAmount`), when not zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Amount>,
    /// Token-2022: the account holds a confidential balance (its `ConfidentialTransferAccount` ciphertexts are not
    /// zero), which keeps it from closing. Absent: none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidential_balance: bool,
}

/// A Token-2022 mint's extensions that change a sweep (the extension layouts of `interface/src/extension/` in
/// <https://github.com/solana-program/token-2022>).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MintExtensions {
    /// `TransferFeeConfig`: the fee in force (while a change is pending, the larger basis points and the larger maximum
    /// of the older and the newer fee, which bound either).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_fee: Option<TransferFee>,
    /// `NonTransferable`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub non_transferable: bool,
    /// `TransferHook` is present.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub transfer_hook: bool,
    /// The transfer hook's program, when one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_hook_program: Option<String>,
    /// `DefaultAccountState` is frozen.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub default_frozen: bool,
    /// `Pausable` is present.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pausable: bool,
    /// The `Pausable` mint is paused.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
}

/// A Token-2022 transfer fee: basis points of the amount, at most `maximum_fee` raw units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFee {
    /// Hundredths of a percent.
    pub basis_points: u16,
    /// The most one transfer pays, in raw units.
    pub maximum_fee: Amount,
}

/// How far a transaction has been confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Confirmation {
    /// Processed by the endpoint's node.
    Processed,
    /// Voted on by a supermajority.
    Confirmed,
    /// Rooted.
    Finalized,
}

/// The status of one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureStatus {
    /// The slot it was processed in.
    pub slot: u64,
    /// How far it is confirmed.
    pub confirmation: Confirmation,
    /// Whether it failed (it was included, fees were charged, its effects were not applied).
    pub failed: bool,
}

/// One entry of an address's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureInfo {
    /// The transaction id.
    pub signature: String,
    /// The slot it was processed in.
    pub slot: u64,
    /// When, in seconds since the Unix epoch, if the endpoint knows.
    pub block_time: Option<i64>,
    /// Whether it failed.
    pub failed: bool,
}

impl Answer {
    /// Checks every field's bounds and format (addresses of the answer's chain, list lengths, text).
    ///
    /// # Errors
    /// [`ProtoError::InvalidField`] naming the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        let chain = self.chain;
        if let Some(e) = &self.endpoint {
            check_text("endpoint", e, MAX_TEXT)?;
        }
        let reply = match &self.outcome {
            Outcome::Error(e) => return check_text("message", &e.message, MAX_TEXT),
            Outcome::Ok(r) => r,
        };
        match reply {
            Reply::Balance { address, .. } => check_address("address", chain, address),
            Reply::Holdings { address, accounts, .. } => {
                check_address("address", chain, address)?;
                check_len("accounts", accounts.len(), MAX_TOKEN_ACCOUNTS)?;
                accounts.iter().try_for_each(|a| {
                    check_address("accounts.address", chain, &a.address)?;
                    check_address("accounts.mint", chain, &a.mint)?;
                    a.close_authority.as_ref().map_or(Ok(()), |c| check_address("accounts.close_authority", chain, c))
                })
            }
            Reply::LatestBlockhash { blockhash, .. } => check_hash32("blockhash", blockhash),
            Reply::Sent { signature } => check_signature("signature", chain, signature),
            Reply::SignatureStatuses { statuses } => check_len("statuses", statuses.len(), MAX_SIGNATURES),
            Reply::History { address, entries } => {
                check_address("address", chain, address)?;
                check_len("entries", entries.len(), MAX_HISTORY)?;
                entries.iter().try_for_each(|e| check_signature("entries.signature", chain, &e.signature))
            }
            Reply::Account { address, account } => {
                check_address("address", chain, address)?;
                account.as_ref().map_or(Ok(()), StellarAccount::validate)
            }
            Reply::Offers { address, offers } => {
                check_address("address", chain, address)?;
                check_len("offers", offers.len(), MAX_STELLAR_ENTRIES)?;
                offers.iter().try_for_each(Offer::validate)
            }
            Reply::ClaimableBalances { address, balances, .. } => {
                check_address("address", chain, address)?;
                check_len("balances", balances.len(), MAX_CLAIMABLE_BALANCES)?;
                balances.iter().try_for_each(ClaimableBalance::validate)
            }
            Reply::Transaction { signature, transaction, .. } => {
                check_signature("signature", chain, signature)?;
                transaction.as_ref().map_or(Ok(()), |t| check_transaction("transaction", t))
            }
            Reply::CoinBalances { address, balances } => {
                check_address("address", chain, address)?;
                check_balances(balances)
            }
            Reply::Coins { address, coin_type, coins, .. } => {
                check_address("address", chain, address)?;
                check_move_type("coin_type", coin_type)?;
                check_coins(coins)
            }
            Reply::OwnedObjects { address, objects, .. } => {
                check_address("address", chain, address)?;
                check_objects(objects)
            }
            Reply::ReferenceGasPrice { .. } => Ok(()),
            Reply::StakeAccounts { address, accounts, .. } => {
                check_address("address", chain, address)?;
                check_len("accounts", accounts.len(), MAX_TOKEN_ACCOUNTS)?;
                accounts.iter().try_for_each(|a| {
                    check_address("accounts.address", chain, &a.address)?;
                    check_address("accounts.staker", chain, &a.staker)?;
                    check_address("accounts.withdrawer", chain, &a.withdrawer)?;
                    a.lockup
                        .as_ref()
                        .map_or(Ok(()), |l| check_address("accounts.lockup.custodian", chain, &l.custodian))
                })
            }
            Reply::NonceAccounts { address, accounts, .. } => {
                check_address("address", chain, address)?;
                check_len("accounts", accounts.len(), MAX_TOKEN_ACCOUNTS)?;
                accounts.iter().try_for_each(|a| {
                    check_address("accounts.address", chain, &a.address)?;
                    check_address("accounts.authority", chain, &a.authority)?;
                    check_hash32("accounts.nonce", &a.nonce)
                })
            }
            Reply::TokenSupply { mint, extensions, .. } => {
                check_address("mint", chain, mint)?;
                extensions
                    .as_ref()
                    .and_then(|e| e.transfer_hook_program.as_ref())
                    .map_or(Ok(()), |p| check_address("extensions.transfer_hook_program", chain, p))
            }
            Reply::CoinMetadata { coin_type, metadata } => {
                check_move_type("coin_type", coin_type)?;
                metadata.as_ref().map_or(Ok(()), crate::iota::check_metadata)
            }
            Reply::DryRun { error, .. } => error.as_deref().map_or(Ok(()), |e| check_text("error", e, MAX_TEXT)),
            Reply::Balances { balances, .. } => {
                check_len("balances", balances.len(), crate::MAX_BATCH)?;
                balances.iter().try_for_each(|b| check_address("balances.address", chain, &b.address))
            }
        }
    }

    /// Checks that this answer answers `request`: the same id, chain and network, the reply kind of its call, the
    /// address it asked about, no more entries than it asked for. Run it on every answer: the network process is
    /// not trusted to pair them.
    ///
    /// # Errors
    /// [`ProtoError::Mismatch`] naming the field that differs.
    pub fn check_answers(&self, request: &Request) -> Result<()> {
        let mismatch = |field| Err(ProtoError::Mismatch { field });
        if self.id != request.id {
            return mismatch("id");
        }
        if self.chain != request.chain {
            return mismatch("chain");
        }
        if self.network != request.network {
            return mismatch("network");
        }
        let Outcome::Ok(reply) = &self.outcome else { return Ok(()) };
        match (&request.call, reply) {
            (Call::Balance { address: a }, Reply::Balance { address: b, .. })
            | (Call::Holdings { address: a }, Reply::Holdings { address: b, .. })
            | (Call::Account { address: a }, Reply::Account { address: b, .. })
            | (Call::Offers { address: a }, Reply::Offers { address: b, .. })
            | (Call::ClaimableBalances { address: a }, Reply::ClaimableBalances { address: b, .. })
            | (Call::CoinBalances { address: a }, Reply::CoinBalances { address: b, .. })
            | (Call::OwnedObjects { address: a }, Reply::OwnedObjects { address: b, .. })
            | (Call::StakeAccounts { address: a }, Reply::StakeAccounts { address: b, .. })
            | (Call::NonceAccounts { address: a }, Reply::NonceAccounts { address: b, .. }) => {
                if a != b {
                    return mismatch("address");
                }
            }
            (Call::TokenSupply { mint: a }, Reply::TokenSupply { mint: b, .. }) => {
                if a != b {
                    return mismatch("mint");
                }
            }
            (Call::History { address: a, limit }, Reply::History { address: b, entries }) => {
                if a != b {
                    return mismatch("address");
                }
                if entries.len() > *limit as usize {
                    return mismatch("entries");
                }
            }
            (Call::SignatureStatuses { signatures }, Reply::SignatureStatuses { statuses }) => {
                if signatures.len() != statuses.len() {
                    return mismatch("statuses");
                }
            }
            (Call::Transaction { signature: a }, Reply::Transaction { signature: b, .. }) => {
                if a != b {
                    return mismatch("signature");
                }
            }
            (Call::Coins { address: a, coin_type: t }, Reply::Coins { address: b, coin_type: u, .. }) => {
                if a != b {
                    return mismatch("address");
                }
                if t != u {
                    return mismatch("coin_type");
                }
            }
            (Call::CoinMetadata { coin_type: t }, Reply::CoinMetadata { coin_type: u, .. }) => {
                if t != u {
                    return mismatch("coin_type");
                }
            }
            (Call::Balances { addresses }, Reply::Balances { balances, .. }) => {
                // Every element is the asked address at its place: none missing, none added, none swapped.
                if addresses.len() != balances.len() || addresses.iter().zip(balances).any(|(a, b)| *a != b.address) {
                    return mismatch("balances");
                }
            }
            (Call::ReferenceGasPrice, Reply::ReferenceGasPrice { .. })
            | (Call::LatestBlockhash, Reply::LatestBlockhash { .. })
            | (Call::SendTransaction { .. } | Call::ExecuteTransaction { .. }, Reply::Sent { .. })
            | (Call::DryRunTransactionBlock { .. }, Reply::DryRun { .. }) => {}
            _ => return mismatch("kind"),
        }
        Ok(())
    }

    /// The answer as one line, with its newline, after [`Answer::validate`].
    ///
    /// # Errors
    /// As [`Answer::validate`]; [`ProtoError::LineTooLong`] if the line would exceed [`MAX_LINE`].
    pub fn to_line(&self) -> Result<String> {
        self.validate()?;
        to_line(self)
    }
}

/// Parses and validates one answer line (without its newline).
///
/// # Errors
/// [`ProtoError::Malformed`] for a line that is not an answer (or nests too deep), [`ProtoError::InvalidField`]
/// for a field out of bounds.
pub fn parse_answer(line: &[u8]) -> Result<Answer> {
    let answer: Answer = parse_json(line)?;
    answer.validate()?;
    Ok(answer)
}

fn parse_json<'a, T: Deserialize<'a>>(line: &'a [u8]) -> Result<T> {
    if line.len() >= MAX_LINE {
        return Err(ProtoError::LineTooLong { limit: MAX_LINE });
    }
    if !crate::json_depth_within(line, MAX_DEPTH) {
        return Err(ProtoError::Malformed { reason: "nested too deep".to_owned() });
    }
    serde_json::from_slice(line).map_err(|e| ProtoError::malformed(&e))
}

fn to_line<T: Serialize>(value: &T) -> Result<String> {
    let mut line = serde_json::to_string(value).map_err(|e| ProtoError::malformed(&e))?;
    line.push('\n');
    if line.len() > MAX_LINE {
        return Err(ProtoError::LineTooLong { limit: MAX_LINE });
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::NetErrorKind;

    const SOL: &str = "11111111111111111111111111111111";

    fn req(call: Call) -> Request {
        Request { id: 9, chain: Chain::Solana, network: Network::Devnet, call }
    }

    fn answer(reply: Reply) -> Answer {
        Answer {
            id: 9,
            chain: Chain::Solana,
            network: Network::Devnet,
            endpoint: Some("http://127.0.0.1:8899".into()),
            outcome: Outcome::Ok(reply),
        }
    }

    #[test]
    fn wire_shapes_are_the_documented_ones() {
        let line = req(Call::Balance { address: SOL.into() }).to_line().unwrap();
        assert_eq!(
            line,
            format!(
                "{{\"id\":9,\"chain\":\"solana\",\"network\":\"devnet\",\"call\":{{\"method\":\"balance\",\"address\":\"{SOL}\"}}}}\n"
            )
        );
        let a = answer(Reply::Balance { address: SOL.into(), amount: Amount::from_u128(5), slot: 3 });
        assert_eq!(
            a.to_line().unwrap(),
            format!(
                "{{\"id\":9,\"chain\":\"solana\",\"network\":\"devnet\",\"endpoint\":\"http://127.0.0.1:8899\",\
                 \"outcome\":{{\"ok\":{{\"kind\":\"balance\",\"address\":\"{SOL}\",\"amount\":\"5\",\"slot\":3}}}}}}\n"
            )
        );
        let e = Answer { outcome: Outcome::Error(NetError::new(NetErrorKind::Timeout, "slow")), ..a };
        assert!(e.to_line().unwrap().contains(r#""outcome":{"error":{"kind":"timeout","message":"slow"}}"#));
        let unit = req(Call::LatestBlockhash).to_line().unwrap();
        assert!(unit.contains(r#""call":{"method":"latest_blockhash"}"#), "{unit}");
    }

    #[test]
    fn every_call_round_trips() {
        let sig = bs58::encode([1u8; 64]).into_string();
        for call in [
            Call::Balance { address: SOL.into() },
            Call::Holdings { address: SOL.into() },
            Call::LatestBlockhash,
            Call::SendTransaction { transaction: "AQID".into() },
            Call::SignatureStatuses { signatures: vec![sig.clone(), sig] },
            Call::History { address: SOL.into(), limit: 10 },
            Call::Transaction { signature: bs58::encode([3u8; 64]).into_string() },
        ] {
            let r = req(call);
            let line = r.to_line().unwrap();
            assert_eq!(parse_request(line.trim_end().as_bytes()).unwrap(), r);
        }
    }

    #[test]
    fn requests_out_of_bounds_are_refused() {
        let parse = |s: &str| parse_request(s.as_bytes());
        let base = |call: &str| format!(r#"{{"id":1,"chain":"solana","network":"mainnet","call":{call}}}"#);
        assert!(parse(&base(&format!(r#"{{"method":"balance","address":"{SOL}"}}"#))).is_ok());
        for bad in [
            r#"{"method":"balance","address":"0x00"}"#.to_owned(),
            format!(r#"{{"method":"balance","address":"{SOL}","extra":1}}"#),
            format!(r#"{{"method":"history","address":"{SOL}","limit":0}}"#),
            format!(r#"{{"method":"history","address":"{SOL}","limit":1001}}"#),
            r#"{"method":"signature_statuses","signatures":[]}"#.to_owned(),
            format!(
                r#"{{"method":"signature_statuses","signatures":[{}]}}"#,
                vec![format!("\"{}\"", bs58::encode([1u8; 64]).into_string()); 257].join(",")
            ),
            r#"{"method":"send_transaction","transaction":"%%%"}"#.to_owned(),
            r#"{"method":"launch_missiles"}"#.to_owned(),
            r#"{"method":"balance","address":5}"#.to_owned(),
        ] {
            assert!(parse(&base(&bad)).is_err(), "accepted {bad}");
        }
        assert!(
            parse(r#"{"id":-1,"chain":"solana","network":"mainnet","call":{"method":"latest_blockhash"}}"#).is_err()
        );
        assert!(
            parse(r#"{"id":1,"chain":"bitcoin","network":"mainnet","call":{"method":"latest_blockhash"}}"#).is_err()
        );
        assert!(
            parse(r#"{"id":1,"chain":"solana","network":"mainnet","call":{"method":"latest_blockhash"},"x":1}"#)
                .is_err()
        );
        let deep = format!("{}{}", "[".repeat(20), "]".repeat(20));
        assert!(matches!(parse(&deep), Err(ProtoError::Malformed { .. })));
        assert!(parse("").is_err());
    }

    #[test]
    fn answers_out_of_bounds_are_refused() {
        let ok = answer(Reply::Holdings { address: SOL.into(), accounts: vec![], slot: 1 });
        assert!(parse_answer(ok.to_line().unwrap().trim_end().as_bytes()).is_ok());
        let account = TokenAccount {
            address: SOL.into(),
            mint: SOL.into(),
            program: TokenProgram::Token2022,
            amount: Amount::from_u128(1),
            frozen: false,
            close_authority: None,
            withheld: None,
            confidential_balance: false,
        };
        let too_many = answer(Reply::Holdings { address: SOL.into(), accounts: vec![account; 1001], slot: 1 });
        assert!(too_many.validate().is_err());
        let line = serde_json::to_string(&too_many).unwrap();
        assert!(parse_answer(line.as_bytes()).is_err());
        let bad_hash = answer(Reply::LatestBlockhash { blockhash: "xyz".into(), last_valid_block_height: 1, slot: 1 });
        assert!(bad_hash.validate().is_err());
        // An amount as a JSON number, a negative amount, a float: refused.
        let text = ok.to_line().unwrap().replace(r#""kind":"holdings""#, r#""kind":"balance","amount":5"#);
        assert!(parse_answer(text.trim_end().as_bytes()).is_err());
        let msg =
            Answer { outcome: Outcome::Error(NetError { kind: NetErrorKind::Tls, message: "a\u{7}".into() }), ..ok };
        assert!(msg.validate().is_err(), "control characters in a message");
    }

    #[test]
    fn answers_must_match_their_request() {
        let r = req(Call::Balance { address: SOL.into() });
        let a = answer(Reply::Balance { address: SOL.into(), amount: Amount::from_u128(5), slot: 3 });
        a.check_answers(&r).unwrap();
        let other = bs58::encode([2u8; 32]).into_string();
        for (field, wrong) in [
            ("id", Answer { id: 10, ..a.clone() }),
            ("chain", Answer { chain: Chain::Sui, ..a.clone() }),
            ("network", Answer { network: Network::Mainnet, ..a.clone() }),
            ("address", answer(Reply::Balance { address: other, amount: Amount::from_u128(5), slot: 3 })),
            ("kind", answer(Reply::Sent { signature: bs58::encode([1u8; 64]).into_string() })),
        ] {
            assert!(matches!(wrong.check_answers(&r), Err(ProtoError::Mismatch { field: f }) if f == field), "{field}");
        }
        let sig = bs58::encode([1u8; 64]).into_string();
        let statuses = req(Call::SignatureStatuses { signatures: vec![sig] });
        let two = answer(Reply::SignatureStatuses { statuses: vec![None, None] });
        assert!(two.check_answers(&statuses).is_err());
        let hist = req(Call::History { address: SOL.into(), limit: 1 });
        let entry = SignatureInfo {
            signature: bs58::encode([1u8; 64]).into_string(),
            slot: 1,
            block_time: None,
            failed: false,
        };
        let long = answer(Reply::History { address: SOL.into(), entries: vec![entry.clone(), entry] });
        assert!(long.check_answers(&hist).is_err());
        let tx = req(Call::Transaction { signature: bs58::encode([1u8; 64]).into_string() });
        let reply = |sig: [u8; 64]| {
            answer(Reply::Transaction {
                signature: bs58::encode(sig).into_string(),
                transaction: Some("AQID".into()),
                slot: Some(4),
                failed: false,
            })
        };
        reply([1u8; 64]).check_answers(&tx).unwrap();
        assert!(matches!(reply([2u8; 64]).check_answers(&tx), Err(ProtoError::Mismatch { field: "signature" })));
        let garbage = answer(Reply::Transaction {
            signature: bs58::encode([1u8; 64]).into_string(),
            transaction: Some("%%%".into()),
            slot: None,
            failed: false,
        });
        assert!(garbage.validate().is_err());
    }

    #[test]
    fn batched_balances_are_bounded_and_paired_element_by_element() {
        let a = SOL.to_owned();
        let b = bs58::encode([2u8; 32]).into_string();
        let r = req(Call::Balances { addresses: vec![a.clone(), b.clone()] });
        let line = r.to_line().unwrap();
        assert!(line.contains(r#""call":{"method":"balances","addresses":["#), "{line}");
        assert_eq!(parse_request(line.trim_end().as_bytes()).unwrap(), r);
        for bad in [vec![], vec![a.clone(), a.clone()], vec![a.clone(); crate::MAX_BATCH + 1], vec!["0x01".to_owned()]]
        {
            assert!(req(Call::Balances { addresses: bad }).validate().is_err());
        }
        let entry = |address: &str, n| AddressBalance { address: address.to_owned(), amount: Amount::from_u128(n) };
        let ok = answer(Reply::Balances { balances: vec![entry(&a, 1), entry(&b, 2)], requests: 1 });
        ok.check_answers(&r).unwrap();
        assert_eq!(parse_answer(ok.to_line().unwrap().trim_end().as_bytes()).unwrap(), ok);
        for wrong in [
            vec![entry(&b, 2), entry(&a, 1)],
            vec![entry(&a, 1)],
            vec![entry(&a, 1), entry(&b, 2), entry(&b, 2)],
            vec![entry(&a, 1), entry(&a, 2)],
        ] {
            let lie = answer(Reply::Balances { balances: wrong, requests: 1 });
            assert!(matches!(lie.check_answers(&r), Err(ProtoError::Mismatch { field: "balances" })));
        }
        let too_many = answer(Reply::Balances { balances: vec![entry(&a, 1); crate::MAX_BATCH + 1], requests: 1 });
        assert!(too_many.validate().is_err());
    }

    #[test]
    fn hello_checks_version_and_role() {
        let line = Hello::new(Role::Server, "coffer-net 0.1.0").to_line().unwrap();
        assert_eq!(line, "{\"coffer_net\":1,\"role\":\"server\",\"software\":\"coffer-net 0.1.0\"}\n");
        assert!(parse_hello(line.trim_end().as_bytes(), Role::Server).is_ok());
        assert!(matches!(parse_hello(line.trim_end().as_bytes(), Role::Client), Err(ProtoError::Mismatch { .. })));
        let future = br#"{"coffer_net":2,"role":"server","software":"x","features":[]}"#;
        assert!(matches!(parse_hello(future, Role::Server), Err(ProtoError::Version { theirs: 2, ours: 1 })));
        assert!(parse_hello(b"hello", Role::Server).is_err());
    }
}
