//! What the vault stores about each seed: the secret record, its public summary and per-seed account settings.

use core::fmt;

use super::VaultError;
use super::format::{MAX_ACCOUNT_LABELS, MAX_SHOWN};
use super::label::check_stored_label;
use crate::chain::Chain;
use crate::derive::HARDENED;
use crate::mnemonic::{Language, Mnemonic, Seed};
use crate::secret::{SecretString, SecretVec};

/// A seed's random, permanent identifier (16 bytes). Public: it survives renames and can name the seed in logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeedId(pub [u8; 16]);

impl fmt::Display for SeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Public facts about a stored seed: never its entropy or passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedInfo {
    /// Permanent random identifier.
    pub id: SeedId,
    /// The unique, user-chosen label.
    pub label: String,
    /// When the seed was added, in seconds since the Unix epoch.
    pub created: u64,
    /// The word list of its mnemonic.
    pub language: Language,
    /// 12, 15, 18, 21 or 24.
    pub word_count: usize,
    /// Whether a BIP39 passphrase is stored with it.
    pub has_passphrase: bool,
    /// Marked compromised by the user (funds should be moved away).
    pub compromised: bool,
    /// The user proved once that their written backup matches ([`Vault::verify_seed`](super::Vault::verify_seed)).
    pub backup_checked: bool,
}

/// How many accounts and addresses to show for one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainView {
    /// The chain.
    pub chain: Chain,
    /// Accounts to show (1 to 10 000).
    pub accounts: u32,
    /// Address indices per account (1 to 10 000; ignored by chains without an index level).
    pub indices: u32,
}

/// A user's name for one derived account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountLabel {
    /// The chain.
    pub chain: Chain,
    /// Account number (below 2^31).
    pub account: u32,
    /// Address index (below 2^31; 0 for chains without an index level).
    pub index: u32,
    /// The name (same rules as seed labels; [`Vault::set_account_settings`](super::Vault::set_account_settings)
    /// also refuses a new one that looks the same as another label of the chain).
    pub label: String,
}

/// Per-seed display settings. Public data, stored encrypted with the seed.
///
/// ```
/// use coffer_core::{Chain, vault::{AccountSettings, ChainView}};
/// let mut s = AccountSettings::default();
/// s.views.push(ChainView { chain: Chain::Iota, accounts: 2, indices: 5 });
/// assert!(s.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountSettings {
    /// At most one view per chain.
    pub views: Vec<ChainView>,
    /// Names for accounts, unique per (chain, account, index); at most 1024.
    pub labels: Vec<AccountLabel>,
}

impl AccountSettings {
    /// Checks the bounds the format enforces (labels: the rules every stored label meets; a new or changed label
    /// must also pass [`validate_label`](super::validate_label), which
    /// [`Vault::set_account_settings`](super::Vault::set_account_settings) checks).
    ///
    /// # Errors
    /// [`VaultError::InvalidSettings`] or [`VaultError::InvalidLabel`].
    pub fn validate(&self) -> Result<(), VaultError> {
        for (i, v) in self.views.iter().enumerate() {
            if !(1..=MAX_SHOWN).contains(&v.accounts) || !(1..=MAX_SHOWN).contains(&v.indices) {
                return Err(VaultError::InvalidSettings { reason: "accounts and indices shown must be 1 to 10000" });
            }
            if self.views[..i].iter().any(|w| w.chain == v.chain) {
                return Err(VaultError::InvalidSettings { reason: "two views for the same chain" });
            }
        }
        if self.labels.len() > MAX_ACCOUNT_LABELS {
            return Err(VaultError::InvalidSettings { reason: "more than 1024 account labels" });
        }
        for (i, l) in self.labels.iter().enumerate() {
            if l.account >= HARDENED || l.index >= HARDENED {
                return Err(VaultError::InvalidSettings { reason: "account and index must be below 2147483648" });
            }
            check_stored_label(&l.label)?;
            if self.labels[..i].iter().any(|m| (m.chain, m.account, m.index) == (l.chain, l.account, l.index)) {
                return Err(VaultError::InvalidSettings { reason: "two labels for the same account" });
            }
        }
        Ok(())
    }
}

/// One seed as stored: secret parts in zeroizing types.
pub(crate) struct SeedRecord {
    pub(crate) id: SeedId,
    pub(crate) label: String,
    pub(crate) created: u64,
    pub(crate) language: Language,
    pub(crate) entropy: SecretVec,
    pub(crate) passphrase: Option<SecretString>,
    pub(crate) compromised: bool,
    pub(crate) backup_checked: bool,
    pub(crate) settings: AccountSettings,
}

impl fmt::Debug for SeedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeedRecord").field("id", &self.id).field("label", &self.label).finish_non_exhaustive()
    }
}

impl SeedRecord {
    pub(crate) fn info(&self) -> SeedInfo {
        SeedInfo {
            id: self.id,
            label: self.label.clone(),
            created: self.created,
            language: self.language,
            word_count: self.entropy.len() * 3 / 4,
            has_passphrase: self.passphrase.is_some(),
            compromised: self.compromised,
            backup_checked: self.backup_checked,
        }
    }

    pub(crate) fn mnemonic(&self) -> Result<Mnemonic, VaultError> {
        Ok(Mnemonic::from_entropy(self.language, self.entropy.expose())?)
    }

    pub(crate) fn bip39_seed(&self) -> Result<Seed, VaultError> {
        let passphrase = self.passphrase.as_ref().map_or("", SecretString::expose);
        Ok(self.mnemonic()?.to_seed(passphrase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_bounds() {
        let view = |chain, accounts, indices| ChainView { chain, accounts, indices };
        let ok = AccountSettings { views: vec![view(Chain::Iota, 1, 10_000)], labels: vec![] };
        assert!(ok.validate().is_ok());
        let s = AccountSettings { views: vec![view(Chain::Iota, 0, 1)], labels: vec![] };
        assert!(s.validate().is_err());
        let s = AccountSettings { views: vec![view(Chain::Iota, 1, 1), view(Chain::Iota, 2, 2)], labels: vec![] };
        assert!(s.validate().is_err());
        let label = |account, text: &str| AccountLabel { chain: Chain::Sui, account, index: 0, label: text.into() };
        let s = AccountSettings { views: vec![], labels: vec![label(0, "a"), label(0, "b")] };
        assert!(s.validate().is_err());
        let s = AccountSettings { views: vec![], labels: vec![label(HARDENED, "a")] };
        assert!(s.validate().is_err());
        let s = AccountSettings { views: vec![], labels: vec![label(1, "")] };
        assert!(s.validate().is_err());
    }
}
