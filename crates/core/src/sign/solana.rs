//! Solana: legacy and v0 messages and transactions, and the instructions Coffer decodes.
//!
//! ```text
//! transaction = compact-u16 n, n × signature(64), message
//! message     = [0x80 | version] header(3 × u8) compact-array<pubkey(32)> blockhash(32)
//!               compact-array<instruction> [v0: compact-array<address-table-lookup>]
//! instruction = program-id-index u8, compact-array<u8> accounts, compact-array<u8> data
//! ```
//! (<https://solana.com/docs/core/transactions/transaction-structure>). compact-u16 values must be canonical.

use core::fmt::Write as _;

use super::reader::Reader;
use super::{DecodeError, Line};

/// The System Program (`11111111111111111111111111111111`).
pub const SYSTEM_PROGRAM: &str = "11111111111111111111111111111111";
/// The SPL Token program.
pub const TOKEN_PROGRAM: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
/// The SPL Token-2022 program (same layout for the instructions decoded here).
pub const TOKEN_2022_PROGRAM: &str = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
/// The Associated Token Account program.
pub const ASSOCIATED_TOKEN_PROGRAM: &str = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
/// The Stake program (`Stake11111111111111111111111111111111111111`,
/// <https://github.com/solana-program/stake/blob/main/interface/src/program.rs>).
pub const STAKE_PROGRAM: &str = "Stake11111111111111111111111111111111111111";
/// The Clock sysvar, passed to the Stake program's `Authorize`.
pub const CLOCK_SYSVAR: &str = "SysvarC1ock11111111111111111111111111111111";
/// The Compute Budget program.
pub const COMPUTE_BUDGET_PROGRAM: &str = "ComputeBudget111111111111111111111111111111";
/// The signature-verification precompiles (Ed25519, Secp256k1, Secp256r1): every signature they verify is charged
/// the base fee; the first byte of their instruction data is the number of signatures.
pub const PRECOMPILE_PROGRAMS: [&str; 3] = [
    "Ed25519SigVerify111111111111111111111111111",
    "KeccakSecp256k11111111111111111111111111111",
    "Secp256r1SigVerify1111111111111111111111111",
];
/// The base fee per signature, in lamports (`lamports_per_signature`,
/// <https://solana.com/docs/core/fees/fee-structure>).
pub const LAMPORTS_PER_SIGNATURE: u64 = 5_000;
/// The compute units an instruction is allotted when no `SetComputeUnitLimit` is given
/// (`DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT`, <https://solana.com/docs/core/fees/compute-budget>).
pub const DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT: u32 = 200_000;
/// The most compute units a transaction may request (`MAX_COMPUTE_UNIT_LIMIT`, same page).
pub const MAX_COMPUTE_UNIT_LIMIT: u32 = 1_400_000;
/// Micro-lamports in a lamport (the compute-unit price is in micro-lamports).
pub const MICRO_LAMPORTS_PER_LAMPORT: u128 = 1_000_000;
/// Above this maximum fee (0.01 SOL, 10 000 000 lamports) the summary warns. A plain transfer costs 5 000
/// lamports, and even a generous priority fee (1 000 000 micro-lamports per CU over 200 000 CU) adds 200 000: a
/// fee 50 times that is a mistake or a drain.
pub const FEE_WARNING_LAMPORTS: u64 = 10_000_000;
/// The SPL Memo program (v2 and v1).
pub const MEMO_PROGRAMS: [&str; 2] =
    ["MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr", "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"];

/// The message format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Legacy (no version prefix).
    Legacy,
    /// Version 0 (prefix 0x80), with address-table lookups.
    V0,
}

/// An instruction as compiled into the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Index of the program in the static account keys.
    pub program_id_index: u8,
    /// Indexes of the accounts passed to the program.
    pub accounts: Vec<u8>,
    /// Instruction data.
    pub data: Vec<u8>,
}

/// A v0 address-table lookup: accounts loaded from an on-chain table, which cannot be resolved offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressTableLookup {
    /// The lookup-table account.
    pub table: [u8; 32],
    /// Indexes of writable accounts in the table.
    pub writable: Vec<u8>,
    /// Indexes of read-only accounts in the table.
    pub readonly: Vec<u8>,
}

/// A decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Legacy or v0.
    pub version: Version,
    /// How many signatures the transaction needs (the first account keys sign).
    pub num_required_signatures: u8,
    /// How many of the signers are read-only.
    pub num_readonly_signed: u8,
    /// How many of the non-signers are read-only.
    pub num_readonly_unsigned: u8,
    /// Static account keys; key 0 is the fee payer.
    pub account_keys: Vec<[u8; 32]>,
    /// The recent blockhash (or the durable-nonce value).
    pub recent_blockhash: [u8; 32],
    /// Instructions.
    pub instructions: Vec<Instruction>,
    /// v0 address-table lookups.
    pub lookups: Vec<AddressTableLookup>,
}

/// A decoded transaction (or a bare message, then with no signatures yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The signatures present (all zero where not yet signed); empty for a bare message.
    pub signatures: Vec<[u8; 64]>,
    /// The message.
    pub message: Message,
    /// The exact message bytes (what is signed).
    pub message_bytes: Vec<u8>,
}

impl Transaction {
    /// The transaction's id: the base58 of its first signature. `None` for a bare message or an empty first slot
    /// (not signed by its fee payer yet).
    #[must_use]
    pub fn id(&self) -> Option<String> {
        self.signatures.first().filter(|s| s.iter().any(|b| *b != 0)).map(|s| base58(s))
    }

    /// Whether `key` signed this transaction: `None` when `key` is not one of its signers, else whether its
    /// signature slot holds a valid ed25519 signature of `key` over the message.
    #[must_use]
    pub fn signed_by(&self, key: &[u8; 32]) -> Option<bool> {
        let slot = self.message.signers().iter().position(|k| k == key)?;
        let Some(signature) = self.signatures.get(slot) else { return Some(false) };
        let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(key) else { return Some(false) };
        Some(vk.verify_strict(&self.message_bytes, &ed25519_dalek::Signature::from_bytes(signature)).is_ok())
    }

    /// What the signing log records for a signature of this transaction (its `digest`): sha256 of the message
    /// bytes. Every signature over the same message has the same digest, so an executed transaction found on chain
    /// can be looked up in the log.
    #[must_use]
    pub fn log_digest(&self) -> [u8; 32] {
        use sha2::Digest as _;
        sha2::Sha256::digest(&self.message_bytes).into()
    }
}

/// An account an instruction refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRef {
    /// A static account key.
    Key([u8; 32]),
    /// An account loaded from an address table (unknown offline).
    Lookup {
        /// The lookup table.
        table: [u8; 32],
        /// The index in the table.
        index: u8,
    },
}

impl AccountRef {
    /// The key, if static.
    #[must_use]
    pub fn key(&self) -> Option<[u8; 32]> {
        match self {
            Self::Key(k) => Some(*k),
            Self::Lookup { .. } => None,
        }
    }
}

impl core::fmt::Display for AccountRef {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Key(k) => f.write_str(&base58(k)),
            Self::Lookup { table, index } => write!(f, "entry {index} of lookup table {}", base58(table)),
        }
    }
}

/// What an instruction does, as far as Coffer decodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// System Program transfer of lamports.
    SystemTransfer {
        /// Payer.
        from: AccountRef,
        /// Recipient.
        to: AccountRef,
        /// Amount in lamports.
        lamports: u64,
    },
    /// System Program account creation.
    SystemCreateAccount {
        /// Funding account.
        from: AccountRef,
        /// The new account.
        new_account: AccountRef,
        /// Lamports moved into it.
        lamports: u64,
        /// Space allocated.
        space: u64,
        /// Owner program.
        owner: [u8; 32],
    },
    /// System Program: advance a durable nonce (first instruction of a durable-nonce transaction).
    SystemAdvanceNonce {
        /// The nonce account.
        nonce_account: AccountRef,
        /// The nonce authority.
        authority: AccountRef,
    },
    /// SPL Token `Transfer` (3).
    TokenTransfer {
        /// Source token account.
        source: AccountRef,
        /// Destination token account.
        destination: AccountRef,
        /// Owner or delegate of the source.
        authority: AccountRef,
        /// Amount in base units.
        amount: u64,
    },
    /// SPL Token `TransferChecked` (12).
    TokenTransferChecked {
        /// Source token account.
        source: AccountRef,
        /// Token mint.
        mint: AccountRef,
        /// Destination token account.
        destination: AccountRef,
        /// Owner or delegate of the source.
        authority: AccountRef,
        /// Amount in base units.
        amount: u64,
        /// Decimals of the mint.
        decimals: u8,
    },
    /// Associated Token Account creation.
    CreateAssociatedTokenAccount {
        /// Who pays.
        payer: AccountRef,
        /// The new token account.
        account: AccountRef,
        /// Its owner (wallet).
        wallet: AccountRef,
        /// The mint.
        mint: AccountRef,
        /// `CreateIdempotent` rather than `Create`.
        idempotent: bool,
    },
    /// SPL Token `CloseAccount` (9): the token account's lamports (its rent) go to `destination`.
    TokenCloseAccount {
        /// The token account closed.
        account: AccountRef,
        /// Who receives its lamports.
        destination: AccountRef,
        /// Its owner (or close authority).
        owner: AccountRef,
    },
    /// Token-2022 `HarvestWithheldTokensToMint` (26, transfer-fee sub-instruction 4) from one token account:
    /// permissionless, it moves the transfer fees withheld in `source` to the mint (accounts [mint (writable), source
    /// (writable)], `interface/src/extension/transfer_fee/instruction.rs` of
    /// <https://github.com/solana-program/token-2022>).
    TokenHarvestWithheldToMint {
        /// The mint.
        mint: AccountRef,
        /// The token account whose withheld fees move.
        source: AccountRef,
    },
    /// System Program `AuthorizeNonceAccount` (7): a new authority for a durable-nonce account.
    SystemAuthorizeNonce {
        /// The nonce account.
        nonce_account: AccountRef,
        /// Its current authority (signs).
        authority: AccountRef,
        /// The new authority.
        new_authority: [u8; 32],
    },
    /// Stake program `Authorize` (1): a new staker or withdrawer for a stake account.
    StakeAuthorize {
        /// The stake account.
        stake_account: AccountRef,
        /// The current authority (signs).
        authority: AccountRef,
        /// The new authority.
        new_authority: [u8; 32],
        /// Which authority changes.
        role: StakeRole,
        /// The lockup custodian, when one signs.
        custodian: Option<AccountRef>,
    },
    /// Compute Budget: compute-unit limit.
    ComputeUnitLimit(u32),
    /// Compute Budget: priority fee in micro-lamports per compute unit.
    ComputeUnitPrice(u64),
    /// A memo (UTF-8 text).
    Memo(String),
    /// Anything else: shown by program ID and not decoded.
    Undecoded {
        /// The program ID.
        program: [u8; 32],
        /// Why: an unknown program, or a known program's instruction that is not decoded.
        reason: String,
    },
}

/// Which authority of a stake account (`StakeAuthorize` in the Stake program's interface).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StakeRole {
    /// May delegate and deactivate (0).
    Staker,
    /// May withdraw and change both authorities (1).
    Withdrawer,
}

impl StakeRole {
    /// `staker` or `withdrawer`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Staker => "staker",
            Self::Withdrawer => "withdrawer",
        }
    }
}

/// Base58 (Bitcoin alphabet) of a key or signature.
///
/// Same output as `bs58`, computed on 32-bit words in base 58^5 limbs: the signature of every signed transaction is
/// shown in base58, and the byte-at-a-time algorithm cost more than a tenth of an ed25519 signature.
#[must_use]
pub fn base58(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const BASE: u64 = 58 * 58 * 58 * 58 * 58;
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let rest = &bytes[zeros..];
    // Little-endian limbs in base 58^5; each step multiplies by 2^32 and adds the next big-endian word. A limb is
    // below 2^30 and the carry stays below 2^33, so `limb * 2^32 + carry` fits in a u64.
    let mut limbs: Vec<u64> = Vec::with_capacity(rest.len() / 3 + 1);
    let head = rest.len() % 4;
    let words = (head > 0).then(|| &rest[..head]).into_iter().chain(rest[head..].chunks(4));
    for word in words {
        let mut carry = word.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        for limb in &mut limbs {
            let x = *limb * (1 << 32) + carry;
            *limb = x % BASE;
            carry = x / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    let mut digits: Vec<u8> = Vec::with_capacity(limbs.len() * 5);
    for &limb in &limbs {
        let mut l = limb;
        for _ in 0..5 {
            digits.push((l % 58) as u8);
            l /= 58;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(core::iter::repeat_n('1', zeros));
    out.extend(digits.iter().rev().map(|&d| char::from(ALPHABET[usize::from(d)])));
    out
}

/// Decodes a serialized transaction, or a bare message (then `signatures` is empty), rejecting trailing bytes.
///
/// # Errors
/// [`DecodeError`] when the bytes are neither a well-formed transaction nor a well-formed message.
pub fn decode(bytes: &[u8]) -> Result<Transaction, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    match decode_transaction(bytes) {
        Ok(tx) => Ok(tx),
        Err(tx_err) => match decode_message(bytes) {
            Ok(message) => Ok(Transaction { signatures: Vec::new(), message, message_bytes: bytes.to_vec() }),
            // Report the reading that got further: it is the one the input was meant as.
            Err(msg_err) => Err(if msg_err.offset() >= tx_err.offset() { msg_err } else { tx_err }),
        },
    }
}

fn decode_transaction(bytes: &[u8]) -> Result<Transaction, DecodeError> {
    let mut r = Reader::new(bytes);
    let n = r.compact_len(64)?;
    if n == 0 {
        return Err(r.err("a transaction has at least one signature"));
    }
    let mut signatures = Vec::with_capacity(n);
    for _ in 0..n {
        signatures.push(r.array::<64>()?);
    }
    let start = r.pos();
    let message = message(&mut r)?;
    r.finish()?;
    if usize::from(message.num_required_signatures) != n {
        return Err(DecodeError::Invalid {
            offset: start,
            what: "the number of signatures differs from the message's required signatures",
        });
    }
    Ok(Transaction { signatures, message, message_bytes: r.since(start).to_vec() })
}

/// Decodes a bare message, rejecting trailing bytes.
///
/// # Errors
/// [`DecodeError`].
pub fn decode_message(bytes: &[u8]) -> Result<Message, DecodeError> {
    let mut r = Reader::new(bytes);
    let m = message(&mut r)?;
    r.finish()?;
    Ok(m)
}

fn message(r: &mut Reader<'_>) -> Result<Message, DecodeError> {
    let first = r.u8()?;
    let (version, num_required_signatures) = if first & 0x80 != 0 {
        if first != 0x80 {
            return Err(DecodeError::UnknownTag {
                offset: r.pos() - 1,
                what: "message version",
                tag: u64::from(first & 0x7f),
            });
        }
        (Version::V0, r.u8()?)
    } else {
        (Version::Legacy, first)
    };
    let header_at = r.pos();
    let num_readonly_signed = r.u8()?;
    let num_readonly_unsigned = r.u8()?;
    let n = r.compact_len(32)?;
    let mut account_keys = Vec::with_capacity(n);
    for _ in 0..n {
        account_keys.push(r.array::<32>()?);
    }
    let required = usize::from(num_required_signatures);
    if required == 0 || required > n {
        return Err(DecodeError::Invalid { offset: header_at, what: "required signatures must be 1..=account count" });
    }
    if num_readonly_signed >= num_required_signatures {
        return Err(DecodeError::Invalid { offset: header_at, what: "the fee payer must be writable" });
    }
    if usize::from(num_readonly_unsigned) > n - required {
        return Err(DecodeError::Invalid { offset: header_at, what: "more read-only accounts than non-signers" });
    }
    let recent_blockhash = r.array::<32>()?;
    let count = r.compact_len(3)?;
    let mut instructions = Vec::with_capacity(count);
    for _ in 0..count {
        let at = r.pos();
        let program_id_index = r.u8()?;
        if usize::from(program_id_index) >= n {
            return Err(DecodeError::Invalid { offset: at, what: "program index outside the static account keys" });
        }
        let k = r.compact_len(1)?;
        let accounts = r.take(k)?.to_vec();
        let k = r.compact_len(1)?;
        let data = r.take(k)?.to_vec();
        instructions.push(Instruction { program_id_index, accounts, data });
    }
    let mut lookups = Vec::new();
    if version == Version::V0 {
        let count = r.compact_len(34)?;
        lookups.reserve(count);
        for _ in 0..count {
            let table = r.array::<32>()?;
            let k = r.compact_len(1)?;
            let writable = r.take(k)?.to_vec();
            let k = r.compact_len(1)?;
            let readonly = r.take(k)?.to_vec();
            lookups.push(AddressTableLookup { table, writable, readonly });
        }
    }
    let total = n + lookups.iter().map(|l| l.writable.len() + l.readonly.len()).sum::<usize>();
    if total > 256 {
        return Err(DecodeError::Invalid { offset: r.pos(), what: "more than 256 accounts" });
    }
    if instructions.iter().any(|ix| ix.accounts.iter().any(|&a| usize::from(a) >= total)) {
        return Err(DecodeError::Invalid {
            offset: r.pos(),
            what: "an instruction names an account that does not exist",
        });
    }
    Ok(Message {
        version,
        num_required_signatures,
        num_readonly_signed,
        num_readonly_unsigned,
        account_keys,
        recent_blockhash,
        instructions,
        lookups,
    })
}

impl Message {
    /// The fee payer (account 0).
    #[must_use]
    pub fn fee_payer(&self) -> [u8; 32] {
        self.account_keys[0]
    }

    /// The keys that must sign, in signature-slot order.
    #[must_use]
    pub fn signers(&self) -> &[[u8; 32]] {
        &self.account_keys[..usize::from(self.num_required_signatures)]
    }

    /// The account at a message-wide index: static keys first, then lookup writables, then lookup read-onlys.
    #[must_use]
    pub fn account(&self, index: u8) -> Option<AccountRef> {
        let mut i = usize::from(index);
        if let Some(k) = self.account_keys.get(i) {
            return Some(AccountRef::Key(*k));
        }
        i -= self.account_keys.len();
        for l in &self.lookups {
            if let Some(&index) = l.writable.get(i) {
                return Some(AccountRef::Lookup { table: l.table, index });
            }
            i -= l.writable.len();
        }
        for l in &self.lookups {
            if let Some(&index) = l.readonly.get(i) {
                return Some(AccountRef::Lookup { table: l.table, index });
            }
            i -= l.readonly.len();
        }
        None
    }

    /// The most this transaction can cost in fees (see [`MaxFee`]). Where a Compute Budget instruction is
    /// repeated (the runtime then rejects the transaction) the largest value is taken.
    #[must_use]
    pub fn max_fee(&self) -> MaxFee {
        let mut signatures = u64::from(self.num_required_signatures);
        let (mut limit, mut price, mut others) = (None::<u32>, 0u64, 0u32);
        for ix in &self.instructions {
            let program = base58(&self.account_keys[usize::from(ix.program_id_index)]);
            if program == COMPUTE_BUDGET_PROGRAM {
                match self.action(ix) {
                    Action::ComputeUnitLimit(n) => limit = Some(limit.map_or(n, |l| l.max(n))),
                    Action::ComputeUnitPrice(p) => price = price.max(p),
                    _ => {}
                }
                continue;
            }
            others = others.saturating_add(1);
            if PRECOMPILE_PROGRAMS.contains(&program.as_str()) {
                signatures += ix.data.first().map_or(0, |&n| u64::from(n));
            }
        }
        let default_limit = limit.is_none();
        let compute_unit_limit = limit
            .unwrap_or_else(|| others.saturating_mul(DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT))
            .min(MAX_COMPUTE_UNIT_LIMIT);
        let micro = u128::from(price) * u128::from(compute_unit_limit);
        MaxFee {
            signatures,
            compute_unit_limit,
            default_limit,
            compute_unit_price: price,
            base: u128::from(signatures) * u128::from(LAMPORTS_PER_SIGNATURE),
            priority: micro.div_ceil(MICRO_LAMPORTS_PER_LAMPORT),
        }
    }

    /// What each instruction does.
    #[must_use]
    pub fn actions(&self) -> Vec<Action> {
        self.instructions.iter().map(|ix| self.action(ix)).collect()
    }

    fn action(&self, ix: &Instruction) -> Action {
        let program = self.account_keys[usize::from(ix.program_id_index)];
        let undecoded = |reason: &str| Action::Undecoded { program, reason: reason.to_owned() };
        let acc = |i: usize| ix.accounts.get(i).and_then(|&a| self.account(a));
        let d = ix.data.as_slice();
        let name = base58(&program);
        match name.as_str() {
            SYSTEM_PROGRAM => {
                let Some(tag) = d.get(..4).map(|t| u32::from_le_bytes([t[0], t[1], t[2], t[3]])) else {
                    return undecoded("System Program instruction without a tag");
                };
                match (tag, d.len(), acc(0), acc(1)) {
                    (0, 52, Some(from), Some(new_account)) => Action::SystemCreateAccount {
                        from,
                        new_account,
                        lamports: le_u64(&d[4..12]),
                        space: le_u64(&d[12..20]),
                        owner: d[20..52].try_into().unwrap_or([0; 32]),
                    },
                    (2, 12, Some(from), Some(to)) => Action::SystemTransfer { from, to, lamports: le_u64(&d[4..12]) },
                    (4, 4, Some(nonce_account), _) => match acc(2) {
                        Some(authority) => Action::SystemAdvanceNonce { nonce_account, authority },
                        None => undecoded("System AdvanceNonceAccount with missing accounts"),
                    },
                    // AuthorizeNonceAccount(Pubkey): accounts [nonce (writable), authority (signer)].
                    (7, 36, Some(nonce_account), Some(authority)) => Action::SystemAuthorizeNonce {
                        nonce_account,
                        authority,
                        new_authority: d[4..36].try_into().unwrap_or([0; 32]),
                    },
                    _ => undecoded(&format!("System Program instruction {} is not decoded", system_name(tag))),
                }
            }
            TOKEN_PROGRAM | TOKEN_2022_PROGRAM => match (d.first(), d.len()) {
                (Some(3), 9) => match (acc(0), acc(1), acc(2)) {
                    (Some(source), Some(destination), Some(authority)) => {
                        Action::TokenTransfer { source, destination, authority, amount: le_u64(&d[1..9]) }
                    }
                    _ => undecoded("SPL Token Transfer with missing accounts"),
                },
                (Some(12), 10) => match (acc(0), acc(1), acc(2), acc(3)) {
                    (Some(source), Some(mint), Some(destination), Some(authority)) => Action::TokenTransferChecked {
                        source,
                        mint,
                        destination,
                        authority,
                        amount: le_u64(&d[1..9]),
                        decimals: d[9],
                    },
                    _ => undecoded("SPL Token TransferChecked with missing accounts"),
                },
                // CloseAccount: accounts [account (writable), destination (writable), owner (signer)].
                (Some(9), 1) => match (acc(0), acc(1), acc(2)) {
                    (Some(account), Some(destination), Some(owner)) => {
                        Action::TokenCloseAccount { account, destination, owner }
                    }
                    _ => undecoded("SPL Token CloseAccount with missing accounts"),
                },
                (Some(26), 2) if d[1] == 4 && name == TOKEN_2022_PROGRAM && ix.accounts.len() == 2 => {
                    match (acc(0), acc(1)) {
                        (Some(mint), Some(source)) => Action::TokenHarvestWithheldToMint { mint, source },
                        _ => undecoded("Token-2022 HarvestWithheldTokensToMint with missing accounts"),
                    }
                }
                (Some(t), _) => undecoded(&format!("SPL Token instruction {t} is not decoded")),
                (None, _) => undecoded("SPL Token instruction without a tag"),
            },
            ASSOCIATED_TOKEN_PROGRAM => match (d, acc(0), acc(1), acc(2), acc(3)) {
                ([] | [0] | [1], Some(payer), Some(account), Some(wallet), Some(mint)) => {
                    Action::CreateAssociatedTokenAccount { payer, account, wallet, mint, idempotent: d == [1] }
                }
                _ => undecoded("Associated Token Account instruction is not decoded"),
            },
            // StakeInstruction::Authorize(Pubkey, StakeAuthorize), bincode: u32 tag 1, 32-byte key, u32 role;
            // accounts [stake (writable), Clock sysvar, authority (signer), optional lockup custodian (signer)]
            // (<https://github.com/solana-program/stake/blob/main/interface/src/instruction.rs>).
            STAKE_PROGRAM => match (d.get(..4), d.len(), acc(0), acc(2)) {
                (Some([1, 0, 0, 0]), 40, Some(stake_account), Some(authority)) => {
                    let role = match u32::from_le_bytes([d[36], d[37], d[38], d[39]]) {
                        0 => StakeRole::Staker,
                        1 => StakeRole::Withdrawer,
                        _ => return undecoded("Stake Authorize with an unknown authority type"),
                    };
                    Action::StakeAuthorize {
                        stake_account,
                        authority,
                        new_authority: d[4..36].try_into().unwrap_or([0; 32]),
                        role,
                        custodian: acc(3),
                    }
                }
                _ => undecoded("Stake program instruction is not decoded (only Authorize is)"),
            },
            COMPUTE_BUDGET_PROGRAM => match d {
                [2, a, b, c, e] => Action::ComputeUnitLimit(u32::from_le_bytes([*a, *b, *c, *e])),
                [3, rest @ ..] if rest.len() == 8 => Action::ComputeUnitPrice(le_u64(rest)),
                _ => undecoded("Compute Budget instruction is not decoded"),
            },
            m if MEMO_PROGRAMS.contains(&m) => match core::str::from_utf8(d) {
                Ok(text) => Action::Memo(text.to_owned()),
                Err(_) => undecoded("memo is not UTF-8"),
            },
            _ => undecoded("unknown program"),
        }
    }
}

fn le_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

fn system_name(tag: u32) -> String {
    const NAMES: [&str; 13] = [
        "CreateAccount",
        "Assign",
        "Transfer",
        "CreateAccountWithSeed",
        "AdvanceNonceAccount",
        "WithdrawNonceAccount",
        "InitializeNonceAccount",
        "AuthorizeNonceAccount",
        "Allocate",
        "AllocateWithSeed",
        "AssignWithSeed",
        "TransferWithSeed",
        "UpgradeNonceAccount",
    ];
    NAMES.get(tag as usize).map_or_else(|| format!("#{tag}"), |n| (*n).to_owned())
}

/// Formats lamports as SOL.
#[must_use]
pub fn format_sol(lamports: u64) -> String {
    format_sol_wide(u128::from(lamports))
}

fn format_sol_wide(lamports: u128) -> String {
    format!("{}.{:09} SOL", lamports / 1_000_000_000, lamports % 1_000_000_000)
}

/// The most a transaction can cost its fee payer, from its message alone
/// (<https://solana.com/docs/core/fees/fee-structure>, <https://solana.com/docs/core/fees/compute-budget>):
/// `signatures × 5000 + ceil(compute-unit price × compute-unit limit / 1 000 000)` lamports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxFee {
    /// Signatures charged: the transaction's own plus those the precompiles verify.
    pub signatures: u64,
    /// The compute-unit limit the fee is charged for.
    pub compute_unit_limit: u32,
    /// Whether the limit is the default (no `SetComputeUnitLimit`): 200 000 per instruction other than Compute
    /// Budget ones, at most 1 400 000. This is an upper bound: builtin programs (System, Vote) are allotted only
    /// 3 000 each (SIMD-0170).
    pub default_limit: bool,
    /// The compute-unit price in micro-lamports (0 without `SetComputeUnitPrice`).
    pub compute_unit_price: u64,
    /// The base fee in lamports.
    pub base: u128,
    /// The prioritization fee in lamports.
    pub priority: u128,
}

impl MaxFee {
    /// The total in lamports.
    #[must_use]
    pub fn total(&self) -> u128 {
        self.base + self.priority
    }

    /// The total in SOL, e.g. `0.000105000 SOL`.
    #[must_use]
    pub fn sol(&self) -> String {
        format_sol_wide(self.total())
    }

    /// Whether it is above [`FEE_WARNING_LAMPORTS`].
    #[must_use]
    pub fn is_high(&self) -> bool {
        self.total() > u128::from(FEE_WARNING_LAMPORTS)
    }
}

impl core::fmt::Display for MaxFee {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = if self.signatures == 1 { "" } else { "s" };
        write!(
            f,
            "{} ({} lamports: {} signature{s} × {LAMPORTS_PER_SIGNATURE} + priority {} = {} CU{} × {} micro-lamports)",
            self.sol(),
            self.total(),
            self.signatures,
            self.priority,
            self.compute_unit_limit,
            if self.default_limit { " (default limit)" } else { "" },
            self.compute_unit_price,
        )
    }
}

/// Serializes a transaction: compact-u16 count, signatures, message.
#[must_use]
pub fn encode_transaction(signatures: &[[u8; 64]], message_bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 + 64 * signatures.len() + message_bytes.len());
    let mut n = signatures.len();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    for s in signatures {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(message_bytes);
    out
}

/// Describes `tx` into `lines`, listing what was not decoded in `undecoded` and anything to beware of in
/// `warnings`; returns its maximum fee.
pub(crate) fn describe(
    tx: &Transaction,
    lines: &mut Vec<Line>,
    undecoded: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> MaxFee {
    let m = &tx.message;
    lines.push(Line::new("format", if m.version == Version::V0 { "v0 message" } else { "legacy message" }));
    lines.push(Line::new("fee payer", base58(&m.fee_payer())));
    let fee = m.max_fee();
    lines.push(Line::new("max fee", fee.to_string()));
    if fee.is_high() {
        warnings.push(format!(
            "the fee payer pays up to {}, more than {}: check the compute-unit price and limit",
            fee.sol(),
            format_sol(FEE_WARNING_LAMPORTS)
        ));
    }
    let signers: Vec<String> = m.signers().iter().map(|k| base58(k)).collect();
    lines.push(Line::new("signers", signers.join(", ")));
    let actions = m.actions();
    let nonce = matches!(actions.first(), Some(Action::SystemAdvanceNonce { .. }));
    lines.push(Line::new(if nonce { "durable nonce" } else { "recent blockhash" }, base58(&m.recent_blockhash)));
    for l in &m.lookups {
        lines.push(Line::new(
            "address table",
            format!("{} ({} writable, {} read-only entries)", base58(&l.table), l.writable.len(), l.readonly.len()),
        ));
    }
    for (i, (ix, action)) in m.instructions.iter().zip(&actions).enumerate() {
        let label = format!("instruction {i}");
        let program = base58(&m.account_keys[usize::from(ix.program_id_index)]);
        let mut refs = Vec::new();
        let text = match action {
            Action::SystemTransfer { from, to, lamports } => {
                refs.extend([from, to]);
                format!("System transfer {} ({lamports} lamports) from {from} to {to}", format_sol(*lamports))
            }
            Action::SystemCreateAccount { from, new_account, lamports, space, owner } => {
                refs.extend([from, new_account]);
                format!(
                    "System create account {new_account} funded by {from} with {} ({space} bytes, owner {})",
                    format_sol(*lamports),
                    base58(owner)
                )
            }
            Action::SystemAdvanceNonce { nonce_account, authority } => {
                refs.extend([nonce_account, authority]);
                format!("System advance nonce of {nonce_account} (authority {authority})")
            }
            Action::TokenTransfer { source, destination, authority, amount } => {
                refs.extend([source, destination, authority]);
                undecoded.push(format!(
                    "{label}: SPL Token Transfer names no mint: which token moves, and what {amount} base units are \
                     in token units, cannot be shown (TransferChecked names the mint and its decimals)"
                ));
                format!(
                    "SPL Token transfer {amount} base units of an unnamed token (no mint, decimals unknown) from \
                     {source} to {destination} (authority {authority})"
                )
            }
            Action::TokenTransferChecked { source, mint, destination, authority, amount, decimals } => {
                refs.extend([source, mint, destination, authority]);
                format!(
                    "SPL Token transfer {} of mint {mint} ({decimals} decimals, {amount} base units) from {source} to \
                     {destination} (authority {authority})",
                    decimal(*amount, *decimals)
                )
            }
            Action::CreateAssociatedTokenAccount { payer, account, wallet, mint, idempotent } => {
                refs.extend([payer, account, wallet, mint]);
                let idem = if *idempotent { " (idempotent)" } else { "" };
                format!("create token account {account} for {wallet}, mint {mint}, paid by {payer}{idem}")
            }
            Action::TokenCloseAccount { account, destination, owner } => {
                refs.extend([account, destination, owner]);
                format!("SPL Token close account {account}: its lamports (rent) to {destination} (owner {owner})")
            }
            Action::TokenHarvestWithheldToMint { mint, source } => {
                refs.extend([mint, source]);
                format!("Token-2022 harvest the transfer fees withheld in {source} to its mint {mint}")
            }
            Action::SystemAuthorizeNonce { nonce_account, authority, new_authority } => {
                refs.extend([nonce_account, authority]);
                format!(
                    "System authorize nonce account {nonce_account}: new authority {} (was {authority})",
                    base58(new_authority)
                )
            }
            Action::StakeAuthorize { stake_account, authority, new_authority, role, custodian } => {
                refs.extend([stake_account, authority]);
                let custodian = custodian.map(|c| format!(", lockup custodian {c}")).unwrap_or_default();
                format!(
                    "Stake authorize {stake_account}: new {} {} (signed by {authority}{custodian})",
                    role.name(),
                    base58(new_authority)
                )
            }
            Action::ComputeUnitLimit(n) => format!("compute unit limit {n}"),
            Action::ComputeUnitPrice(p) => format!("compute unit price {p} micro-lamports"),
            Action::Memo(t) => format!("memo {}", super::untrusted(&format!("{label} (memo)"), t, warnings)),
            Action::Undecoded { reason, .. } => {
                undecoded.push(format!("{label}: {reason} (program {program})"));
                let mut s = format!("program {program}: not decoded, {} bytes of data, accounts", ix.data.len());
                for &a in &ix.accounts {
                    if let Some(r) = m.account(a) {
                        let _ = write!(s, " {r}");
                    }
                }
                s
            }
        };
        if refs.iter().any(|r| matches!(r, AccountRef::Lookup { .. })) {
            undecoded.push(format!("{label}: an account comes from an address table and cannot be shown offline"));
        }
        lines.push(Line::new(label, text));
    }
    fee
}

/// `amount` base units in token units: the decimal point `decimals` digits from the right (any number of decimals).
#[must_use]
pub fn decimal(amount: u64, decimals: u8) -> String {
    let d = usize::from(decimals);
    if d == 0 {
        return amount.to_string();
    }
    let digits = format!("{amount:0>width$}", width = d + 1);
    let (int, frac) = digits.split_at(digits.len() - d);
    format!("{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_signers_and_log_digest_of_an_executed_transaction() {
        use ed25519_dalek::Signer as _;
        let payer = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let other = ed25519_dalek::SigningKey::from_bytes(&[8u8; 32]);
        let (pk, to) = (payer.verifying_key().to_bytes(), other.verifying_key().to_bytes());
        let message = crate::migrate::transfer_message(&pk, &to, 5, &crate::migrate::SolanaRecent::Blockhash([3; 32]));
        let sig = payer.sign(&message).to_bytes();
        let tx = decode(&encode_transaction(&[sig], &message)).unwrap();
        assert_eq!(tx.id(), Some(base58(&sig)));
        assert_eq!(tx.signed_by(&pk), Some(true));
        assert_eq!(tx.signed_by(&to), None, "not a signer");
        use sha2::Digest as _;
        assert_eq!(tx.log_digest().to_vec(), sha2::Sha256::digest(&message).to_vec());
        // A signature by another key in the payer's slot, or none: not signed by the payer.
        let forged = decode(&encode_transaction(&[other.sign(&message).to_bytes()], &message)).unwrap();
        assert_eq!(forged.signed_by(&pk), Some(false));
        let unsigned = decode(&encode_transaction(&[[0; 64]], &message)).unwrap();
        assert_eq!((unsigned.id(), unsigned.signed_by(&pk)), (None, Some(false)));
        assert_eq!(decode(&message).unwrap().id(), None, "a bare message has no id");
    }

    #[test]
    fn program_constants_are_32_bytes() {
        for p in [SYSTEM_PROGRAM, TOKEN_PROGRAM, TOKEN_2022_PROGRAM, ASSOCIATED_TOKEN_PROGRAM, COMPUTE_BUDGET_PROGRAM]
            .into_iter()
            .chain(MEMO_PROGRAMS)
            .chain(PRECOMPILE_PROGRAMS)
            .chain([STAKE_PROGRAM, CLOCK_SYSVAR])
        {
            assert_eq!(bs58::decode(p).into_vec().unwrap().len(), 32, "{p}");
        }
        assert_eq!(decimal(1_500_000, 6), "1.500000");
        assert_eq!(decimal(5, 0), "5");
        assert_eq!(decimal(5, 3), "0.005");
        assert_eq!(decimal(u64::MAX, 19), "1.8446744073709551615");
        assert_eq!(decimal(1, 25), "0.0000000000000000000000001");
    }

    #[test]
    fn base58_matches_bs58() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..100 {
            for zeros in [0, 1, 3] {
                let mut v: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u8
                    })
                    .collect();
                for b in v.iter_mut().take(zeros) {
                    *b = 0;
                }
                assert_eq!(base58(&v), bs58::encode(&v).into_string(), "{v:?}");
            }
        }
        assert_eq!(base58(&[0xff; 64]), bs58::encode([0xff; 64]).into_string());
        assert_eq!(format_sol(1000), "0.000001000 SOL");
    }
}
