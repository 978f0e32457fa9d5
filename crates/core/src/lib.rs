//! # coffer-core
//!
//! The headless core of Coffer, a native seed vault: BIP39 mnemonics, SLIP-0010 ed25519 derivation and the address
//! formats of IOTA Rebased, Sui, legacy IOTA (Stardust), Solana and Stellar, and the encrypted [`vault`] that keeps
//! seeds at rest.
//!
//! It also decodes and signs transactions for IOTA, Sui, Solana and Stellar with a readable summary first ([`sign`]),
//! and keeps the hash chain of the signing log ([`signing_log`]). [`migrate`] moves the funds of a compromised seed to a
//! fresh one, signing only sweeps that its destination guard proves pay the fresh seed. [`send`] builds payments (native
//! coins and tokens) whose decoded summary is checked against what was asked.
//!
//! This crate has no UI, no CLI and no network code. Secrets live in zeroizing types with redacted `Debug`
//! ([`secret`]); the public API hands out public keys, addresses and (later) signatures, never private keys.
//!
//! ```
//! use coffer_core::{AccountIndex, AddressIndex, chain::Chain, mnemonic::Mnemonic};
//!
//! let mnemonic = Mnemonic::parse(
//!     "film crazy soon outside stand loop subway crumble thrive popular green nuclear \
//!      struggle pistol arm wife phrase warfare march wheat nephew ask sunny firm",
//! )?;
//! let seed = mnemonic.to_seed("");
//! let account = Chain::Iota.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO)?;
//! assert_eq!(account.path.to_string(), "m/44'/4218'/0'/0'/0'");
//! assert_eq!(account.address, "0x9f8e5379678525edf768d7b507dc1ba9016fc4f0eac976ab7f74077d95fba312");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod chain;
pub mod derive;
pub mod discover;
pub mod explorer;
pub mod holdings;
#[cfg(feature = "migrate")]
pub mod migrate;
// Without `migrate` the vault still reads, keeps and writes the migration state a full Coffer stored (payload section
// 3), so no data is lost; only the API to act on it is left out.
#[cfg(all(feature = "vault", not(feature = "migrate")))]
#[allow(dead_code, unused_imports)]
mod migrate;
pub mod mnemonic;
pub mod process;
pub mod receive;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod secret;
#[cfg(feature = "migrate")]
pub mod send;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sign;
pub mod signing_log;
pub mod text;
pub mod time;
#[cfg(feature = "vault")]
pub mod vault;
pub mod watch;

#[cfg(test)]
mod known_answers;

pub use chain::{Account, AccountIndex, AddressIndex, Chain, ChainError};
pub use derive::{DerivationPath, PathError, PublicKey};
pub use mnemonic::{Language, Mnemonic, MnemonicError, Seed, WordCount};
pub use sign::{Blind, Decoded, Payload, SignError, SignRequest, Signed, Signer};
#[cfg(feature = "vault")]
pub use vault::{KdfParams, SeedInfo, Vault, VaultError, VaultInfo};

/// docs/integrators.md, included so that `cargo test --doc` compiles and runs every snippet in it.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/integrators.md")]
pub struct IntegratorsGuide;

/// This crate's README, included so that its snippet is compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct Readme;
