//! Watching an address for transactions this vault did not sign: the part that needs no network. A front end
//! fetches an address's recent transactions through the network process; each one is decoded here, its first
//! signature must be the id asked about, and the watched address's signature in it must verify (ed25519) before
//! it counts as *outgoing*. An outgoing transaction whose message digest is not in the vault's signing log was
//! signed by someone else holding the key: *someone else is signing for this address*.
//!
//! Solana only for now (the chain whose history the network process serves); the log records sha256 of the
//! message bytes for a Solana signature ([`crate::sign::solana::Transaction::log_digest`]).

use std::collections::BTreeSet;

use crate::signing_log::LogEntry;

/// The digests of the signing log's entries for one chain: what this vault signed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedHere(BTreeSet<Vec<u8>>);

impl SignedHere {
    /// The digests of `entries` (the log, and its archive when there is one) signed for `chain`.
    #[must_use]
    pub fn of<'a>(chain: crate::Chain, entries: impl IntoIterator<Item = &'a LogEntry>) -> Self {
        let name = chain.name();
        Self(entries.into_iter().filter(|e| e.chain == name).map(|e| e.digest.clone()).collect())
    }

    /// Whether the log holds `digest`.
    #[must_use]
    pub fn contains(&self, digest: &[u8]) -> bool {
        self.0.contains(digest)
    }

    /// How many digests it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a watched address did in one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// The address did not sign it (it received something, or was only mentioned).
    Incoming,
    /// The address signed it (its signature verifies).
    Outgoing {
        /// The signing log holds its message's digest: this vault signed it.
        signed_here: bool,
    },
}

impl Seen {
    /// Whether this is the alert: signed by the address's key, but not by this vault.
    #[must_use]
    pub fn is_foreign(self) -> bool {
        self == Self::Outgoing { signed_here: false }
    }
}

/// Why a transaction an endpoint returned is not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WatchError {
    /// The bytes are not a Solana transaction.
    #[error("not a Solana transaction")]
    NotATransaction,
    /// Its first signature is not the id asked about: the endpoint returned another transaction.
    #[error("the endpoint returned another transaction")]
    OtherTransaction,
    /// The address is one of its signers but its signature does not verify.
    #[error("the address's signature in it does not verify")]
    BadSignature,
}

/// Checks the Solana transaction `wire` (base64 or base58, as fetched for the id `id`) against the watched key and
/// the log.
///
/// # Errors
/// [`WatchError`] when the endpoint's answer cannot be believed.
pub fn inspect_solana(wire: &str, id: &str, key: &[u8; 32], log: &SignedHere) -> Result<Seen, WatchError> {
    let tx = crate::sign::solana_input(wire).map_err(|_| WatchError::NotATransaction)?;
    if tx.id().as_deref() != Some(id) {
        return Err(WatchError::OtherTransaction);
    }
    match tx.signed_by(key) {
        None => Ok(Seen::Incoming),
        Some(true) => Ok(Seen::Outgoing { signed_here: log.contains(&tx.log_digest()) }),
        Some(false) => Err(WatchError::BadSignature),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chain::{AccountIndex, AddressIndex};
    use crate::migrate::{SolanaRecent, transfer_message};
    use crate::sign::solana::encode_transaction;

    /// A transfer of `lamports` signed with `mnemonic`'s Solana account 0 by coffer-core directly (no vault, no
    /// log): the signed transaction, its id, the signer's key and the message's digest.
    fn signed(mnemonic: &str, lamports: u64) -> (String, String, [u8; 32], [u8; 32]) {
        let seed = crate::Mnemonic::parse(mnemonic).unwrap().to_seed("");
        let signer = crate::Signer::at(&seed, crate::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        let key: [u8; 32] = bs58::decode(signer.address()).into_vec().unwrap().try_into().unwrap();
        let message = transfer_message(&key, &[9; 32], lamports, &SolanaRecent::Blockhash([7; 32]));
        let unsigned = base64_engine(&encode_transaction(&[[0; 64]], &message));
        let request = crate::SignRequest::new(crate::Chain::Solana, crate::Payload::Transaction(unsigned));
        let decoded = crate::sign::decode(&request).unwrap();
        let signed = signer.sign(&decoded, crate::Blind::Refuse).unwrap();
        let wire = signed.signed_tx.unwrap();
        let digest = crate::sign::solana_input(&wire).unwrap().log_digest();
        (wire, signed.signature, key, digest)
    }

    fn base64_engine(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn a_transaction_signed_outside_the_log_is_foreign() {
        let (wire, id, key, digest) = signed(ABOUT, 5);
        let empty = SignedHere::default();
        assert!(inspect_solana(&wire, &id, &key, &empty).unwrap().is_foreign());
        let entry = LogEntry {
            prev_hash: [0; 32],
            time: 0,
            chain: "solana".into(),
            path: "m/44'/501'/0'/0'".into(),
            digest: digest.to_vec(),
            summary: String::new(),
        };
        let log = SignedHere::of(crate::Chain::Solana, [&entry]);
        assert_eq!(inspect_solana(&wire, &id, &key, &log).unwrap(), Seen::Outgoing { signed_here: true });
        // The same digest logged for another chain does not count.
        assert!(SignedHere::of(crate::Chain::Sui, [&entry]).is_empty());
        // Another key is not a signer: incoming.
        assert_eq!(inspect_solana(&wire, &id, &[3; 32], &empty).unwrap(), Seen::Incoming);
    }

    #[test]
    fn an_endpoint_that_lies_is_not_believed() {
        let (wire, _, key, _) = signed(ABOUT, 5);
        let (_, other_id, _, _) = signed(ABOUT, 6);
        let empty = SignedHere::default();
        assert_eq!(inspect_solana(&wire, &other_id, &key, &empty), Err(WatchError::OtherTransaction));
        assert_eq!(inspect_solana("not base64 !", &other_id, &key, &empty), Err(WatchError::NotATransaction));
    }
}
