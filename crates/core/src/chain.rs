//! The chains Coffer derives accounts for: their standard derivation paths and address formats.
//!
//! ```
//! use coffer_core::{chain::{AccountIndex, AddressIndex, Chain}, mnemonic::Mnemonic};
//!
//! let m = Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe").unwrap();
//! let seed = m.to_seed("");
//! let acct = Chain::Stellar.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
//! assert_eq!(acct.path.to_string(), "m/44'/148'/0'");
//! assert_eq!(acct.address, "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6");
//! ```

pub mod iota;
pub mod solana;
pub mod stardust;
pub mod stellar;
pub mod sui;

use core::fmt;
use core::str::FromStr;

use crate::derive::{self, DerivationPath, HARDENED, PublicKey};
use crate::mnemonic::Seed;

macro_rules! position {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(u32);

        impl $name {
            #[doc = concat!("The first ", $what, " (0).")]
            pub const ZERO: Self = Self(0);
            #[doc = concat!("The largest ", $what, ": 2^31 - 1.")]
            pub const MAX: Self = Self(HARDENED - 1);

            #[doc = concat!("The ", $what, " `n`.")]
            ///
            /// # Errors
            /// [`ChainError::OutOfRange`] for 2^31 or more (the number becomes a hardened step of the path).
            pub const fn new(n: u32) -> Result<Self, ChainError> {
                if n < HARDENED { Ok(Self(n)) } else { Err(ChainError::OutOfRange) }
            }

            /// The number.
            #[must_use]
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl TryFrom<u32> for $name {
            type Error = ChainError;

            fn try_from(n: u32) -> Result<Self, ChainError> {
                Self::new(n)
            }
        }

        impl From<$name> for u32 {
            fn from(n: $name) -> u32 {
                n.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

position!(
    /// An account number: the `account'` level of a chain's standard path (BIP44), below 2^31. A distinct type from
    /// [`AddressIndex`], so the two cannot be swapped by mistake. With the `serde` feature it is a plain number.
    ///
    /// ```
    /// use coffer_core::chain::{AccountIndex, ChainError};
    ///
    /// let account = AccountIndex::new(3)?;
    /// assert_eq!(account.to_string(), "3");
    /// assert_eq!(u32::from(account), 3);
    /// assert_eq!(AccountIndex::try_from(1 << 31), Err(ChainError::OutOfRange));
    /// # Ok::<(), ChainError>(())
    /// ```
    AccountIndex,
    "account"
);

position!(
    /// An address index: the last level of the standard path of chains that have one (IOTA, Sui, legacy IOTA;
    /// [`Chain::uses_index`]), below 2^31. A distinct type from [`AccountIndex`]. With the `serde` feature it is a
    /// plain number.
    AddressIndex,
    "address index"
);

/// A chain (or the `raw` pseudo-chain) with its derivation convention and address format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Chain {
    /// IOTA Rebased (the Move-based IOTA network): `m/44'/4218'/{account}'/0'/{index}'`, address `0x` +
    /// hex(blake2b-256(public key)), with no scheme flag byte.
    Iota,
    /// Sui: `m/44'/784'/{account}'/0'/{index}'`, address `0x` + hex(blake2b-256(0x00 || public key)).
    Sui,
    /// Legacy IOTA Chrysalis/Stardust: `m/44'/4218'/{account}'/0'/{index}'`, bech32 (`iota1…`) over
    /// 0x00 || blake2b-256(public key).
    IotaStardust,
    /// Solana: `m/44'/501'/{account}'/0'` (Phantom, Solflare, `solana-keygen` with a bare `--derivation-path`);
    /// the address is the base58 public key. There is no index level.
    Solana,
    /// Stellar (SEP-0005): `m/44'/148'/{account}'`; the address is the StrKey `G…`. There is no index level.
    Stellar,
    /// Any hardened path given explicitly; the "address" is the hex public key.
    Raw,
}

/// Why a chain name or account position was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// The name is not one Coffer knows.
    #[error("unknown chain (choose from iota, sui, iota-stardust, solana, stellar, raw)")]
    UnknownChain,
    /// `raw` has no standard path.
    #[error("the raw chain has no standard path: give one with --path")]
    RawNeedsPath,
    /// An account or index of 2^31 or more.
    #[error("account and index must be below 2147483648")]
    OutOfRange,
    /// An address that does not parse for the chain.
    #[error("not a valid {chain} address: {reason}")]
    BadAddress {
        /// The chain whose format was expected.
        chain: Chain,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl Chain {
    /// Every chain, in the order Coffer lists them.
    pub const ALL: [Chain; 6] = [Self::Iota, Self::Sui, Self::IotaStardust, Self::Solana, Self::Stellar, Self::Raw];

    /// The stable name used by the CLI, the vault and JSON output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Iota => "iota",
            Self::Sui => "sui",
            Self::IotaStardust => "iota-stardust",
            Self::Solana => "solana",
            Self::Stellar => "stellar",
            Self::Raw => "raw",
        }
    }

    /// Whether the chain's standard path has an address-index level. Solana and Stellar wallets use one key per
    /// account, so "the next address" for them is the next account.
    #[must_use]
    pub fn uses_index(self) -> bool {
        matches!(self, Self::Iota | Self::Sui | Self::IotaStardust)
    }

    /// The chain's standard derivation path for an account and address index (the index is ignored where the
    /// chain has none).
    ///
    /// # Errors
    /// [`ChainError::RawNeedsPath`] for `raw`.
    pub fn path(self, account: AccountIndex, index: AddressIndex) -> Result<DerivationPath, ChainError> {
        let (account, index) = (account.get(), index.get());
        let steps: &[u32] = match self {
            Self::Iota | Self::IotaStardust => &[44, 4218, account, 0, index],
            Self::Sui => &[44, 784, account, 0, index],
            Self::Solana => &[44, 501, account, 0],
            Self::Stellar => &[44, 148, account],
            Self::Raw => return Err(ChainError::RawNeedsPath),
        };
        DerivationPath::hardened(steps).map_err(|_| ChainError::OutOfRange)
    }

    /// The address of a public key on this chain.
    #[must_use]
    pub fn address(self, public_key: &PublicKey) -> String {
        match self {
            Self::Iota => iota::address(public_key),
            Self::Sui => sui::address(public_key),
            Self::IotaStardust => stardust::address(public_key),
            Self::Solana => solana::address(public_key),
            Self::Stellar => stellar::address(public_key),
            Self::Raw => public_key.to_hex(),
        }
    }

    /// Checks that `s` is an address of this chain (format and, where the chain has one, checksum) and returns it
    /// in the chain's canonical spelling: IOTA and Sui `0x` + 64 lower-case hex digits, Stardust `iota1…` (bech32,
    /// ed25519, alias or NFT address), Solana base58 of 32 bytes, Stellar `G…` (StrKey with its CRC). White space
    /// around it is ignored. `raw` has no addresses.
    ///
    /// ```
    /// use coffer_core::chain::{Chain, ChainError};
    /// let a = Chain::Sui.parse_address(" 0xABCDEF0000000000000000000000000000000000000000000000000000000001 ")?;
    /// assert_eq!(a, "0xabcdef0000000000000000000000000000000000000000000000000000000001");
    /// assert!(Chain::Stellar.parse_address("GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHG").is_err());
    /// assert!(matches!(Chain::Raw.parse_address("00"), Err(ChainError::BadAddress { .. })));
    /// # Ok::<(), ChainError>(())
    /// ```
    ///
    /// # Errors
    /// [`ChainError::BadAddress`] saying what is wrong.
    pub fn parse_address(self, s: &str) -> Result<String, ChainError> {
        let s = s.trim();
        match self {
            Self::Iota => Ok(format!("0x{}", hex::encode(iota::parse_address(s)?))),
            Self::Sui => Ok(format!("0x{}", hex::encode(sui::parse_address(s)?))),
            Self::IotaStardust => stardust::parse_address(s),
            Self::Solana => Ok(solana::address(&PublicKey(solana::parse_address(s)?))),
            Self::Stellar => Ok(stellar::address(&PublicKey(stellar::parse_address(s)?))),
            Self::Raw => Err(ChainError::BadAddress { chain: self, reason: "the raw chain has no addresses" }),
        }
    }

    /// The account at the chain's standard path for `account` and `index`.
    ///
    /// # Errors
    /// As [`Chain::path`].
    pub fn account(self, seed: &Seed, account: AccountIndex, index: AddressIndex) -> Result<Account, ChainError> {
        Ok(self.account_at(seed, self.path(account, index)?))
    }

    /// The account at an explicit path (any hardened path, for any chain's address format).
    #[must_use]
    pub fn account_at(self, seed: &Seed, path: DerivationPath) -> Account {
        let public_key = derive::public_key(seed, &path);
        Account { chain: self, address: self.address(&public_key), public_key, path }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Chain {
    type Err = ChainError;

    fn from_str(s: &str) -> Result<Self, ChainError> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|c| c.name() == s).ok_or(ChainError::UnknownChain)
    }
}

/// A derived account: public data only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The chain whose address format was used.
    pub chain: Chain,
    /// The derivation path.
    pub path: DerivationPath,
    /// The ed25519 public key.
    pub public_key: PublicKey,
    /// The address in the chain's own format.
    pub address: String,
}

/// blake2b with a 32-byte output.
pub(crate) fn blake2b256(parts: &[&[u8]]) -> [u8; 32] {
    use blake2::Digest;
    let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// Parses `0x` + 64 hex digits (IOTA Rebased and Sui addresses).
pub(crate) fn parse_hex32(chain: Chain, s: &str) -> Result<[u8; 32], ChainError> {
    let hex = s.trim().strip_prefix("0x").ok_or(ChainError::BadAddress { chain, reason: "missing 0x prefix" })?;
    if hex.len() != 64 {
        return Err(ChainError::BadAddress { chain, reason: "expected 64 hex digits after 0x" });
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex, &mut out).map_err(|_| ChainError::BadAddress { chain, reason: "not hexadecimal" })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Chain::ALL {
            assert_eq!(c.name().parse::<Chain>().unwrap(), c);
        }
        assert_eq!("bitcoin".parse::<Chain>().unwrap_err(), ChainError::UnknownChain);
        assert_eq!(" SUI ".parse::<Chain>().unwrap(), Chain::Sui);
    }

    #[test]
    fn standard_paths() {
        assert_eq!(
            Chain::Iota.path(AccountIndex::new(1).unwrap(), AddressIndex::new(2).unwrap()).unwrap().to_string(),
            "m/44'/4218'/1'/0'/2'"
        );
        assert_eq!(
            Chain::Sui.path(AccountIndex::ZERO, AddressIndex::new(3).unwrap()).unwrap().to_string(),
            "m/44'/784'/0'/0'/3'"
        );
        assert_eq!(
            Chain::IotaStardust.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap().to_string(),
            "m/44'/4218'/0'/0'/0'"
        );
        assert_eq!(
            Chain::Solana.path(AccountIndex::new(4).unwrap(), AddressIndex::new(9).unwrap()).unwrap().to_string(),
            "m/44'/501'/4'/0'"
        );
        assert_eq!(
            Chain::Stellar.path(AccountIndex::new(7).unwrap(), AddressIndex::new(9).unwrap()).unwrap().to_string(),
            "m/44'/148'/7'"
        );
        assert_eq!(Chain::Raw.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap_err(), ChainError::RawNeedsPath);
        // Positions of 2^31 or more cannot be made, so no path can hold one.
        assert_eq!(AccountIndex::new(HARDENED), Err(ChainError::OutOfRange));
        assert_eq!(AddressIndex::try_from(u32::MAX), Err(ChainError::OutOfRange));
        assert_eq!(AddressIndex::new(HARDENED - 1), Ok(AddressIndex::MAX));
        assert_eq!(u32::from(AccountIndex::MAX), HARDENED - 1);
    }

    #[test]
    fn blake2b_known_answer() {
        // RFC 7693 does not give a 32-byte vector; this is blake2b-256("abc") from the reference implementation.
        assert_eq!(
            hex::encode(blake2b256(&[b"abc"])),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        );
    }
}
