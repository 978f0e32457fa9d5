//! Solana holdings: SOL, SPL Token and Token-2022 accounts, stake and nonce accounts.
//!
//! What one address of the compromised seed holds, as the sweep builder
//! ([`build_solana_full_sweep`](crate::migrate::build_solana_full_sweep)) takes it. Addresses are base58 text as the
//! chain shows them; amounts are raw integers (lamports, token base units). With the `serde` feature these types
//! read and write the holdings file of docs/cli.md ("Holdings file", Solana): every amount is a decimal **string**
//! (a u64 does not fit a JSON number read as a double), unknown fields are refused.
//!
//! Nothing here is trusted: the builder checks every address, and the destination guard decides what is signed.

/// Everything one Solana address holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SolanaHoldings {
    /// The address (base58): the old account the sweep empties.
    pub address: String,
    /// Its SOL balance in lamports.
    #[cfg_attr(feature = "serde", serde(with = "dec"))]
    pub lamports: u64,
    /// Its SPL Token and Token-2022 accounts (owner: this address).
    #[cfg_attr(feature = "serde", serde(default))]
    pub token_accounts: Vec<TokenAccount>,
    /// Stake accounts whose staker or withdrawer is this address.
    #[cfg_attr(feature = "serde", serde(default))]
    pub stake_accounts: Vec<StakeAccount>,
    /// Durable-nonce accounts whose authority is this address.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nonce_accounts: Vec<NonceAccount>,
}

/// Which token program owns a token account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TokenProgram {
    /// SPL Token (`TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`).
    #[cfg_attr(feature = "serde", serde(rename = "spl-token"))]
    SplToken,
    /// SPL Token-2022 (`TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`).
    #[cfg_attr(feature = "serde", serde(rename = "token-2022"))]
    Token2022,
}

impl TokenProgram {
    /// The program id (base58).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::SplToken => crate::sign::solana::TOKEN_PROGRAM,
            Self::Token2022 => crate::sign::solana::TOKEN_2022_PROGRAM,
        }
    }

    /// `spl-token` or `token-2022` (as in the holdings file).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::SplToken => "spl-token",
            Self::Token2022 => "token-2022",
        }
    }

    /// The program whose id is `id` (base58), if it is one of the two.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        [Self::SplToken, Self::Token2022].into_iter().find(|p| p.id() == id)
    }
}

/// A token account owned by the address.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TokenAccount {
    /// The token account's address.
    pub address: String,
    /// The mint.
    pub mint: String,
    /// The token program that owns it.
    pub program: TokenProgram,
    /// The balance in base units.
    #[cfg_attr(feature = "serde", serde(with = "dec"))]
    pub amount: u64,
    /// The mint's decimals (`TransferChecked` names them; the program refuses a wrong value).
    pub decimals: u8,
    /// The account's own lamports (its rent deposit), paid to the new address when it is closed. Informational.
    #[cfg_attr(feature = "serde", serde(default, with = "dec"))]
    pub lamports: u64,
    /// What creating the new address's associated token account for this mint costs the old account, in lamports:
    /// `0` when it exists already. Absent: the rent of a plain token account of the program (165 bytes for SPL Token,
    /// 170 for Token-2022 with its `ImmutableOwner` extension).
    #[cfg_attr(feature = "serde", serde(default, with = "opt_dec", skip_serializing_if = "Option::is_none"))]
    pub destination_rent: Option<u64>,
    /// Frozen by the mint's freeze authority (the account's state): nothing moves or closes it; the sweep leaves it.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "std::ops::Not::not"))]
    pub frozen: bool,
    /// The new address's associated token account for this mint exists already and is frozen (its state): the
    /// token program refuses every transfer into it, so the sweep leaves this account's tokens (with the reason)
    /// rather than fail the whole transaction.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "std::ops::Not::not"))]
    pub destination_frozen: bool,
    /// Its close authority when one is set (only that address may close it); `None`: the owner.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub close_authority: Option<String>,
    /// What the Token-2022 extensions of the account and of its mint change in the sweep. Absent: none (an SPL
    /// Token account, or a Token-2022 account of a mint without such extensions).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub token_2022: Option<Token2022Extensions>,
}

/// The Token-2022 extensions that change a sweep, of a token account and of its mint, as read from their data
/// (the extension types and layouts of `interface/src/extension/` in
/// <https://github.com/solana-program/token-2022>). Every field is optional in the holdings file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
pub struct Token2022Extensions {
    /// Transfer fees withheld in the account (its `TransferFeeAmount`): the program refuses to close it until they
    /// are harvested to the mint.
    #[cfg_attr(feature = "serde", serde(with = "dec", skip_serializing_if = "is_zero"))]
    pub withheld: u64,
    /// The account holds a confidential (encrypted) balance, pending or available (its
    /// `ConfidentialTransferAccount` ciphertexts are not zero): the program refuses to close it.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub confidential_balance: bool,
    /// The mint's transfer fee (`TransferFeeConfig`): withheld from every transfer in the receiving account.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub transfer_fee: Option<TransferFee>,
    /// The mint is `NonTransferable`: its tokens cannot move to another owner.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub non_transferable: bool,
    /// The mint has the `TransferHook` extension (with or without a program).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub transfer_hook: bool,
    /// The transfer hook's program, when one is set: every transfer then calls it with extra accounts.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub transfer_hook_program: Option<String>,
    /// The mint's `DefaultAccountState` is frozen: a token account created for it starts frozen.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub default_frozen: bool,
    /// The mint has the `Pausable` extension.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub pausable: bool,
    /// The `Pausable` mint is paused: no transfer until its authority resumes it.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub paused: bool,
}

/// A Token-2022 mint's transfer fee: `basis_points` of the amount, rounded up, at most `maximum_fee` base units
/// (`TransferFee::calculate_fee` in `interface/src/extension/transfer_fee/mod.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TransferFee {
    /// Hundredths of a percent of the amount.
    pub basis_points: u16,
    /// The most one transfer pays, in base units.
    #[cfg_attr(feature = "serde", serde(with = "dec"))]
    pub maximum_fee: u64,
}

impl TransferFee {
    /// The fee withheld from a transfer of `amount`: ⌈amount × basis points / 10 000⌉, at most the maximum.
    #[must_use]
    pub fn fee(&self, amount: u64) -> u64 {
        let raw = (u128::from(amount) * u128::from(self.basis_points)).div_ceil(10_000);
        u64::try_from(raw).unwrap_or(u64::MAX).min(self.maximum_fee)
    }
}

impl Token2022Extensions {
    /// The size of the new owner's associated token account for this mint: the 165-byte account, its account-type
    /// byte, and a 4-byte type-and-length header plus the data of each distinct account extension — `ImmutableOwner`
    /// (0 bytes, which the Associated Token Account program always asks for), and those the mint's extensions
    /// require: `TransferFeeAmount` (8), `NonTransferableAccount` (0), `TransferHookAccount` (1), `PausableAccount`
    /// (0) (`required_init_account_extensions` in `interface/src/extension/mod.rs`, `TlvLenAccumulator` in
    /// `interface/src/extension/account_len.rs`).
    #[must_use]
    pub fn new_account_len(&self) -> u64 {
        let mut len = 165 + 1 + 4;
        if self.transfer_fee.is_some() {
            len += 4 + 8;
        }
        if self.non_transferable {
            len += 4;
        }
        if self.transfer_hook || self.transfer_hook_program.is_some() {
            len += 4 + 1;
        }
        if self.pausable || self.paused {
            len += 4;
        }
        len
    }
}

#[cfg(feature = "serde")]
#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's `skip_serializing_if` passes a reference")]
fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// A stake account that names the address as an authority.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StakeAccount {
    /// The stake account's address.
    pub address: String,
    /// Its lamports (they stay in it; the authorities move).
    #[cfg_attr(feature = "serde", serde(with = "dec"))]
    pub lamports: u64,
    /// The staker authority.
    pub staker: String,
    /// The withdrawer authority.
    pub withdrawer: String,
    /// Its lockup, when one is set (a nonzero time or epoch): while it is in force only its custodian may change
    /// the withdrawer, so the sweep then moves the staker alone and says why. Absent: no lockup.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub lockup: Option<StakeLockup>,
}

/// A stake account's lockup (the stake program's `Lockup`): in force until the cluster passes both the time and the
/// epoch, unless the custodian signs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StakeLockup {
    /// Unix time (seconds) the lockup lasts until.
    pub unix_timestamp: i64,
    /// Epoch the lockup lasts until.
    pub epoch: u64,
    /// The custodian, who may change the withdrawer while the lockup is in force.
    pub custodian: String,
}

/// A durable-nonce account whose authority is the address.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct NonceAccount {
    /// The nonce account's address.
    pub address: String,
    /// Its lamports (they stay in it; the authority moves).
    #[cfg_attr(feature = "serde", serde(with = "dec"))]
    pub lamports: u64,
    /// Its authority.
    pub authority: String,
    /// Its current nonce value (base58 of 32 bytes).
    pub nonce: String,
}

/// u64 as a decimal string (a JSON number is also read, when it is a whole number).
#[cfg(feature = "serde")]
mod dec {
    use serde::{Deserialize as _, Deserializer, Serializer};

    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    pub(super) enum Text {
        S(String),
        N(u64),
    }

    pub(super) fn parse<E: serde::de::Error>(t: Text) -> Result<u64, E> {
        match t {
            Text::N(n) => Ok(n),
            Text::S(s) if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().map_err(|_| E::custom("an amount above 18446744073709551615"))
            }
            Text::S(_) => Err(E::custom("an amount must be a decimal string of digits")),
        }
    }

    #[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's `with` passes a reference")]
    pub(super) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        parse(Text::deserialize(d)?)
    }
}

/// `Option<u64>` as a decimal string.
#[cfg(feature = "serde")]
mod opt_dec {
    use serde::{Deserialize as _, Deserializer, Serializer};

    #[allow(clippy::ref_option, reason = "serde's `with` passes a reference")]
    pub(super) fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Option::<super::dec::Text>::deserialize(d)?.map(super::dec::parse).transpose()
    }
}

/// Why the token program would refuse a payment of a token (a Token-2022 mint's extensions, or the recipient's
/// frozen account; `process_transfer` in
/// program/src/processor.rs of <https://github.com/solana-program/token-2022>).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRefusal {
    /// The mint is `NonTransferable`: its tokens never move to another owner.
    #[error("its mint is non-transferable (Token-2022 NonTransferable): the tokens cannot move to another owner")]
    NonTransferable,
    /// The mint has a transfer hook program, which every transfer calls with extra accounts Coffer does not
    /// resolve.
    #[error(
        "its mint has a transfer hook (program {program}): every transfer calls that program with extra accounts \
         that Coffer does not resolve; send them with software that does"
    )]
    TransferHook {
        /// The hook's program (base58).
        program: String,
    },
    /// The `Pausable` mint is paused.
    #[error("its mint is paused (Token-2022 Pausable): no transfer until its pause authority resumes it")]
    Paused,
    /// The mint's default account state is frozen and the recipient has no token account for it yet: the one
    /// Coffer would create starts frozen, and the transfer into it fails.
    #[error(
        "its mint's default account state is frozen and the recipient has no token account for it yet: the one \
         created would be frozen and could not receive them until the mint's freeze authority thaws it"
    )]
    NewAccountFrozen,
    /// The recipient's token account for the mint is frozen (by the mint's freeze authority): the token program
    /// refuses every transfer into it (SPL Token and Token-2022 alike).
    #[error(
        "the recipient's token account for it is frozen: nothing can be paid into it until the mint's freeze \
         authority thaws it"
    )]
    RecipientFrozen,
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn holdings_file_round_trips_with_string_amounts() {
        let text = r#"{
            "address": "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T",
            "lamports": "18446744073709551615",
            "token_accounts": [{"address": "A", "mint": "M", "program": "token-2022", "amount": "5",
                                "decimals": 6, "destination_rent": "0"}],
            "stake_accounts": [{"address": "S", "lamports": "3", "staker": "X", "withdrawer": "Y"}],
            "nonce_accounts": [{"address": "N", "lamports": 4, "authority": "Z", "nonce": "H"}]
        }"#;
        let h: SolanaHoldings = serde_json::from_str(text).unwrap();
        assert_eq!(h.lamports, u64::MAX);
        assert_eq!(h.token_accounts[0].program, TokenProgram::Token2022);
        assert_eq!(h.token_accounts[0].destination_rent, Some(0));
        assert_eq!(h.token_accounts[0].lamports, 0, "optional");
        assert_eq!(h.nonce_accounts[0].lamports, 4, "a JSON number is read too");
        let back: SolanaHoldings = serde_json::from_str(&serde_json::to_string(&h).unwrap()).unwrap();
        assert_eq!(back, h);
        assert!(serde_json::to_string(&h).unwrap().contains(r#""lamports":"18446744073709551615""#));
        // Token-2022 extensions: stated in `token_2022`, every field optional, unknown ones refused.
        let text = r#"{"address": "A", "lamports": "1", "token_accounts": [{"address": "A", "mint": "M",
            "program": "token-2022", "amount": "5", "decimals": 6, "token_2022": {"withheld": "7",
            "transfer_fee": {"basis_points": 50, "maximum_fee": "1000"}, "transfer_hook": true, "paused": true}}]}"#;
        let h: SolanaHoldings = serde_json::from_str(text).unwrap();
        let ext = h.token_accounts[0].token_2022.clone().unwrap();
        assert_eq!(ext.withheld, 7);
        assert_eq!(ext.transfer_fee, Some(TransferFee { basis_points: 50, maximum_fee: 1000 }));
        assert!(ext.transfer_hook && ext.paused && !ext.pausable && !ext.non_transferable);
        assert_eq!(serde_json::from_str::<SolanaHoldings>(&serde_json::to_string(&h).unwrap()).unwrap(), h);
        let unknown = text.replace(r#""paused": true"#, r#""frozen_mint": true"#);
        assert!(serde_json::from_str::<SolanaHoldings>(&unknown).is_err());
        // Refused: an amount that is not digits, one that overflows, an unknown field, an unknown program.
        for bad in [
            r#"{"address": "A", "lamports": "-1"}"#,
            r#"{"address": "A", "lamports": "1.5"}"#,
            r#"{"address": "A", "lamports": "18446744073709551616"}"#,
            r#"{"address": "A", "lamports": "1", "extra": 1}"#,
            r#"{"address": "A", "lamports": "1", "token_accounts": [{"address": "A", "mint": "M",
               "program": "token-2023", "amount": "5", "decimals": 6}]}"#,
        ] {
            assert!(serde_json::from_str::<SolanaHoldings>(bad).is_err(), "{bad}");
        }
    }
}
