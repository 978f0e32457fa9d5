//! Watching an address for transactions this vault did not sign: the part that needs no network. A front end
//! fetches an address's recent transactions through the network process; each one is decoded here, its first
//! signature must be the id asked about, and the watched address's signature in it must verify (ed25519) before
//! it counts as *outgoing*. An outgoing transaction whose message digest is not in the vault's signing log was
//! signed by someone else holding the key: *someone else is signing for this address*.
//!
//! One function per chain whose history the network process serves, and [`inspect`] to pick it, so the CLI and the
//! app check the same way. What the log records, and so what a transaction is looked up by:
//!
//! - Solana: sha256 of the message bytes ([`crate::sign::solana::Transaction::log_digest`]); the transaction's
//!   first signature must be the id asked about; outgoing when the address's signature in it verifies.
//! - IOTA and Sui: the intent digest of the transaction data; the data must hash to the digest asked about
//!   (`blake2b-256("TransactionData::" ‖ BCS)`, so the endpoint cannot swap it); outgoing when the address is its
//!   sender or gas owner (the network executes it only with their signatures, and the digest binds these bytes).
//! - Stellar: the transaction hash under the network's passphrase; the envelope must hash to the id asked about;
//!   outgoing when the address is one of its signers and its signature verifies. A fee-bump envelope is not
//!   checked here (`Ok(None)`: shown as *not available*).

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

    /// The set of these digests (as a front end read them from the log itself).
    #[must_use]
    pub fn from_digests(digests: impl IntoIterator<Item = Vec<u8>>) -> Self {
        Self(digests.into_iter().collect())
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
    /// A chain whose transactions are not checked here (IOTA Stardust, raw keys).
    #[error("the transactions of this chain are not checked")]
    Unsupported,
    /// A Stellar transaction's hash needs the network's passphrase, and none was given (a network of the user's own).
    #[error("a Stellar transaction's hash needs its network passphrase (public or testnet)")]
    NoPassphrase,
}

/// One checked transaction: what the address did in it, and the digest the signing log would hold for it (so a
/// front end can look it up again in a log that grew since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// What the address did.
    pub seen: Seen,
    /// The digest the signing log records for it.
    pub digest: Vec<u8>,
}

impl Checked {
    /// Looks the digest up in `log` again (after the log grew).
    #[must_use]
    pub fn recheck(&self, log: &SignedHere) -> Seen {
        match self.seen {
            Seen::Outgoing { .. } => Seen::Outgoing { signed_here: log.contains(&self.digest) },
            other => other,
        }
    }
}

/// Checks one transaction an endpoint returned for the id `id` of an address of `chain` (public key `key`)
/// against the log: the per-chain rules are in the module documentation. `stellar` is the Stellar network the
/// transaction was fetched from (its passphrase is part of the hash); other chains ignore it. `Ok(None)` for a
/// Stellar fee-bump envelope, which is not checked here.
///
/// # Errors
/// [`WatchError`] when the endpoint's answer cannot be believed, the chain is not served
/// ([`WatchError::Unsupported`]) or a Stellar passphrase is missing ([`WatchError::NoPassphrase`]).
pub fn inspect(
    chain: crate::Chain,
    stellar: Option<&crate::sign::stellar::Network>,
    wire: &str,
    id: &str,
    key: &[u8; 32],
    log: &SignedHere,
) -> Result<Option<Checked>, WatchError> {
    match chain {
        crate::Chain::Solana => {
            let tx = crate::sign::solana_input(wire).map_err(|_| WatchError::NotATransaction)?;
            if tx.id().as_deref() != Some(id) {
                return Err(WatchError::OtherTransaction);
            }
            let digest = tx.log_digest().to_vec();
            let seen = match tx.signed_by(key) {
                None => Seen::Incoming,
                Some(true) => Seen::Outgoing { signed_here: log.contains(&digest) },
                Some(false) => return Err(WatchError::BadSignature),
            };
            Ok(Some(Checked { seen, digest }))
        }
        crate::Chain::Iota | crate::Chain::Sui => inspect_move(chain, wire, id, key, log).map(Some),
        crate::Chain::Stellar => inspect_stellar(stellar.ok_or(WatchError::NoPassphrase)?, wire, id, key, log),
        _ => Err(WatchError::Unsupported),
    }
}

/// [`inspect`] for IOTA and Sui: `wire` is the BCS `TransactionData` (standard base64) fetched for the digest `id`.
///
/// # Errors
/// As [`inspect`].
pub fn inspect_move(
    chain: crate::Chain,
    wire: &str,
    id: &str,
    key: &[u8; 32],
    log: &SignedHere,
) -> Result<Checked, WatchError> {
    inspect_move_at(chain, wire, id, &chain.address(&crate::PublicKey(*key)), log)
}

/// [`inspect_move`] by the watched address itself (`0x` and 64 hex digits, as [`crate::Chain::address`] writes it):
/// an IOTA or Sui address is a hash of its key, and a watched address may come without one.
///
/// # Errors
/// As [`inspect`].
pub fn inspect_move_at(
    chain: crate::Chain,
    wire: &str,
    id: &str,
    address: &str,
    log: &SignedHere,
) -> Result<Checked, WatchError> {
    use crate::sign::iota_sui::{self, TransactionData};
    use base64::Engine as _;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(wire.trim()).map_err(|_| WatchError::NotATransaction)?;
    let own = bs58::encode(crate::chain::blake2b256(&[b"TransactionData::", &bytes])).into_string();
    if own != id {
        return Err(WatchError::OtherTransaction);
    }
    let address = address.to_ascii_lowercase();
    let outgoing = match iota_sui::decode_transaction(chain, &bytes).map_err(|_| WatchError::NotATransaction)? {
        TransactionData::Programmable(tx) => tx.signers().iter().any(|s| iota_sui::hex_address(s) == address),
        _ => false,
    };
    let digest = iota_sui::intent_digest(iota_sui::INTENT_TRANSACTION, &bytes).to_vec();
    let seen = if outgoing { Seen::Outgoing { signed_here: log.contains(&digest) } } else { Seen::Incoming };
    Ok(Checked { seen, digest })
}

/// [`inspect`] for Stellar: `wire` is the signed envelope (standard base64) Horizon has for the hash `id` (hex),
/// on the network of `passphrase`. `Ok(None)` for a fee-bump envelope (not checked here).
///
/// # Errors
/// As [`inspect`].
pub fn inspect_stellar(
    passphrase: &crate::sign::stellar::Network,
    wire: &str,
    id: &str,
    key: &[u8; 32],
    log: &SignedHere,
) -> Result<Option<Checked>, WatchError> {
    use crate::sign::stellar;
    use base64::Engine as _;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(wire.trim()).map_err(|_| WatchError::NotATransaction)?;
    if bytes.get(..4) != Some(&stellar::ENVELOPE_TYPE_TX.to_be_bytes()[..]) {
        return Ok(None);
    }
    let env = stellar::decode_envelope(&bytes).map_err(|_| WatchError::NotATransaction)?;
    let digest = env.hash(passphrase);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if !hex.eq_ignore_ascii_case(id) {
        return Err(WatchError::OtherTransaction);
    }
    let outgoing = env.signers().contains(key)
        && match env.signed_by(key, passphrase) {
            None => false,
            Some(true) => true,
            Some(false) => return Err(WatchError::BadSignature),
        };
    let digest = digest.to_vec();
    let seen = if outgoing { Seen::Outgoing { signed_here: log.contains(&digest) } } else { Seen::Incoming };
    Ok(Some(Checked { seen, digest }))
}

/// Checks the Solana transaction `wire` (base64 or base58, as fetched for the id `id`) against the watched key and
/// the log.
///
/// # Errors
/// [`WatchError`] when the endpoint's answer cannot be believed.
pub fn inspect_solana(wire: &str, id: &str, key: &[u8; 32], log: &SignedHere) -> Result<Seen, WatchError> {
    inspect(crate::Chain::Solana, None, wire, id, key, log)?.map(|c| c.seen).ok_or(WatchError::NotATransaction)
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

    fn log_of(chain: crate::Chain, digest: &[u8]) -> SignedHere {
        let entry = LogEntry {
            prev_hash: [0; 32],
            time: 0,
            chain: chain.name().into(),
            path: String::new(),
            digest: digest.to_vec(),
            summary: String::new(),
        };
        SignedHere::of(chain, [&entry])
    }

    /// The Sui vector transaction (tests/vectors/sui.json) with its sender and gas owner replaced by `address`.
    fn sui_tx_for(address: &[u8; 32]) -> Vec<u8> {
        use base64::Engine as _;
        let path = format!("{}/../../tests/vectors/sui.json", env!("CARGO_MANIFEST_DIR"));
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let b64 = v["tx_bytes_b64"].as_str().unwrap();
        let mut bytes = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        let old = crate::sign::iota_sui::decode_transaction(crate::Chain::Sui, &bytes).unwrap();
        let crate::sign::iota_sui::TransactionData::Programmable(tx) = old else { panic!("not programmable") };
        let sender = tx.signers()[0];
        let mut i = 0;
        while i + 32 <= bytes.len() {
            if bytes[i..i + 32] == sender {
                bytes[i..i + 32].copy_from_slice(address);
                i += 32;
            } else {
                i += 1;
            }
        }
        bytes
    }

    #[test]
    fn a_sui_transaction_is_checked_by_its_digest_sender_and_the_log() {
        let seed = crate::Mnemonic::parse(ABOUT).unwrap().to_seed("");
        let account = crate::Chain::Sui.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        let key = account.public_key.0;
        let hex = account.address.trim_start_matches("0x");
        let address: [u8; 32] = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        let bytes = sui_tx_for(&address);
        let wire = base64_engine(&bytes);
        let id = crate::migrate::iota_sui_digest(&bytes);
        let digest = crate::sign::iota_sui::intent_digest(crate::sign::iota_sui::INTENT_TRANSACTION, &bytes);
        let empty = SignedHere::default();
        let c = inspect(crate::Chain::Sui, None, &wire, &id, &key, &empty).unwrap().unwrap();
        assert!(c.seen.is_foreign());
        assert_eq!(c.digest, digest.to_vec());
        let log = log_of(crate::Chain::Sui, &digest);
        assert_eq!(c.recheck(&log), Seen::Outgoing { signed_here: true });
        let c = inspect(crate::Chain::Sui, None, &wire, &id, &key, &log).unwrap().unwrap();
        assert_eq!(c.seen, Seen::Outgoing { signed_here: true });
        // Another address is neither sender nor gas owner: incoming.
        let other =
            crate::Chain::Sui.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().public_key.0;
        assert_eq!(inspect(crate::Chain::Sui, None, &wire, &id, &other, &log).unwrap().unwrap().seen, Seen::Incoming);
        // The endpoint swapped the bytes for the id of other ones: not believed.
        let mut swapped = bytes.clone();
        let n = swapped.len();
        swapped[n - 3] ^= 1;
        let e = inspect(crate::Chain::Sui, None, &base64_engine(&swapped), &id, &key, &log);
        assert_eq!(e, Err(WatchError::OtherTransaction));
        assert_eq!(inspect(crate::Chain::Sui, None, "%%", &id, &key, &log), Err(WatchError::NotATransaction));
    }

    #[test]
    fn a_stellar_envelope_is_checked_by_its_hash_signature_and_the_log() {
        use crate::sign::stellar::Network;
        let seed = crate::Mnemonic::parse(ABOUT).unwrap().to_seed("");
        let signer = crate::Signer::at(&seed, crate::Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
        let key = signer.public_key().0;
        let unsigned = crate::migrate::account_merge_envelope(&key, &[5; 32], 100, 42);
        let request =
            crate::SignRequest::new(crate::Chain::Stellar, crate::Payload::Transaction(base64_engine(&unsigned)))
                .with_network(Network::Public);
        let decoded = crate::sign::decode(&request).unwrap();
        let signed = signer.sign(&decoded, crate::Blind::Refuse).unwrap();
        let wire = signed.signed_tx.unwrap();
        let env = crate::sign::stellar::decode_envelope(
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &wire).unwrap(),
        )
        .unwrap();
        let hash = env.hash(&Network::Public);
        let id: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let empty = SignedHere::default();
        let c = inspect(crate::Chain::Stellar, Some(&Network::Public), &wire, &id, &key, &empty).unwrap().unwrap();
        assert!(c.seen.is_foreign());
        let log = log_of(crate::Chain::Stellar, &hash);
        let c = inspect(crate::Chain::Stellar, Some(&Network::Public), &wire, &id.to_uppercase(), &key, &log);
        assert_eq!(c.unwrap().unwrap().seen, Seen::Outgoing { signed_here: true });
        // The same envelope on another network hashes differently: the endpoint's answer is another transaction.
        let e = inspect(crate::Chain::Stellar, Some(&Network::Testnet), &wire, &id, &key, &log);
        assert_eq!(e, Err(WatchError::OtherTransaction));
        assert_eq!(inspect(crate::Chain::Stellar, None, &wire, &id, &key, &log), Err(WatchError::NoPassphrase));
        // The destination did not sign: incoming. An unsigned envelope of the address: not outgoing either.
        let c = inspect(crate::Chain::Stellar, Some(&Network::Public), &wire, &id, &[5; 32], &log).unwrap().unwrap();
        assert_eq!(c.seen, Seen::Incoming);
        let bare = base64_engine(&unsigned);
        let c = inspect(crate::Chain::Stellar, Some(&Network::Public), &bare, &id, &key, &empty).unwrap().unwrap();
        assert_eq!(c.seen, Seen::Incoming);
        // A fee bump is not checked here.
        let mut bump = unsigned.clone();
        bump[3] = 5;
        let none = inspect(crate::Chain::Stellar, Some(&Network::Public), &base64_engine(&bump), &id, &key, &log);
        assert_eq!(none, Ok(None));
    }
}
