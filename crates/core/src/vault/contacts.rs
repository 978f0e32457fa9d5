//! The address book: labelled recipients per chain, kept encrypted in the vault's payload (one section per entry,
//! docs/vault-format.md, "Section 5: address book").
//!
//! A label follows the label rules of seeds and accounts ([`validate_label`](super::validate_label): no invisible
//! or text-direction characters) and may not look like another entry's label on the same chain
//! ([`label_skeleton`](super::label_skeleton)); the same name on two chains is allowed (one person, two chains). An
//! address must be valid for its chain, checksum included ([`Chain::parse_address`]), and is stored in the chain's
//! canonical spelling, so one address cannot be added twice under two spellings. Adding or removing an entry is an
//! ordinary save (atomic, `<vault>.bak` kept): it removes no way into the vault, so the vault key stays.
//!
//! Entries are private (they say whom the user pays): [`Contact`]'s `Debug` shows neither label nor address, and
//! Coffer never logs them.
//!
//! ```
//! use coffer_core::{Chain, secret::SecretString, vault::{KdfParams, Vault, VaultError}};
//! # let dir = std::env::temp_dir().join(format!("coffer-doc-contacts-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let password = SecretString::from("pw".to_owned());
//! let mut vault = Vault::create(dir.join("vault.coffer"), &password, KdfParams::insecure_for_tests())?;
//! let g = "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6";
//! vault.add_contact(Chain::Stellar, "Alice", g)?;
//! assert_eq!(vault.contact_for(Chain::Stellar, g).map(|c| c.label.as_str()), Some("Alice"));
//! assert!(matches!(vault.add_contact(Chain::Stellar, "Bob", g), Err(VaultError::DuplicateContact { .. })));
//! assert!(matches!(vault.add_contact(Chain::Stellar, "Carol", "GAAA"), Err(VaultError::Chain(_))));
//! vault.remove_contact(Chain::Stellar, "Alice")?;
//! assert!(vault.contacts().is_empty());
//! # drop(vault); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use super::format::MAX_CONTACTS;
use super::label::check_new_label;
use super::{Vault, VaultError, now};
use crate::chain::Chain;
use crate::sign::Summary;

/// One entry of the address book: a recipient the user named.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Contact {
    /// The chain the address is on.
    pub chain: Chain,
    /// The user's name for it (the label rules; unique per chain, also by look).
    pub label: String,
    /// The address, in the chain's canonical spelling ([`Chain::parse_address`]).
    pub address: String,
    /// When it was added, in seconds since the Unix epoch.
    pub added: u64,
}

impl fmt::Debug for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Private data: whom the user pays stays out of debug output and logs.
        f.debug_struct("Contact").field("chain", &self.chain).finish_non_exhaustive()
    }
}

/// Checks a new address-book entry against the entries there are: the label rules ([`check_new_label`]) against
/// the labels of the same chain, the address for its chain, and that the address is not there already. Returns the
/// address in its canonical spelling. The vault applies exactly this; front ends call it to show the problem while
/// the entry is typed.
///
/// ```
/// use coffer_core::{Chain, vault::{VaultError, check_new_contact}};
/// let sol = "11111111111111111111111111111111";
/// assert_eq!(check_new_contact(&[], Chain::Solana, "System", sol).unwrap(), sol);
/// assert!(matches!(check_new_contact(&[], Chain::Solana, "x\u{202E}", sol), Err(VaultError::InvalidLabel { .. })));
/// assert!(matches!(check_new_contact(&[], Chain::Iota, "x", sol), Err(VaultError::Chain(_))));
/// ```
///
/// # Errors
/// [`VaultError::InvalidLabel`], [`VaultError::SimilarLabel`] (also for an equal label on the same chain),
/// [`VaultError::Chain`] ([`crate::chain::ChainError::BadAddress`]), [`VaultError::DuplicateContact`].
pub fn check_new_contact(existing: &[Contact], chain: Chain, label: &str, address: &str) -> Result<String, VaultError> {
    let same_chain = || existing.iter().filter(|c| c.chain == chain);
    check_new_label(label, same_chain().map(|c| c.label.as_str())).map_err(|e| match e {
        VaultError::DuplicateLabel { label } => VaultError::SimilarLabel { existing: label.clone(), label },
        other => other,
    })?;
    let address = chain.parse_address(address)?;
    if let Some(c) = same_chain().find(|c| c.address == address) {
        return Err(VaultError::DuplicateContact { chain, existing: c.label.clone() });
    }
    Ok(address)
}

/// The address-book entries whose address appears in a clear-signing summary (its lines or its signers), in the
/// order they first appear there, each once, so a front end can show "to Alice" beside the recipient. Only entries
/// of the summary's chain are looked up; the summary itself is not changed (so no label reaches the signing log).
///
#[must_use]
pub fn contacts_in_summary<'a>(summary: &Summary, contacts: &'a [Contact]) -> Vec<&'a Contact> {
    let mut found: Vec<&'a Contact> = Vec::new();
    let texts = summary.lines.iter().map(|l| l.value.as_str()).chain(summary.signers.iter().map(String::as_str));
    for text in texts {
        for token in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| t.len() >= 32) {
            let Ok(address) = summary.chain.parse_address(token) else { continue };
            let hit = contacts.iter().find(|c| c.chain == summary.chain && c.address == address);
            if let Some(c) = hit
                && !found.iter().any(|f| std::ptr::eq(*f, c))
            {
                found.push(c);
            }
        }
    }
    found
}

impl Vault {
    /// The address book, in the order the entries were added.
    #[must_use]
    pub fn contacts(&self) -> &[Contact] {
        &self.payload.contacts
    }

    /// The address-book entry for `address` on `chain` (any spelling of the address), if there is one.
    #[must_use]
    pub fn contact_for(&self, chain: Chain, address: &str) -> Option<&Contact> {
        let address = chain.parse_address(address).ok()?;
        self.payload.contacts.iter().find(|c| c.chain == chain && c.address == address)
    }

    /// Adds a labelled recipient to the address book and saves (atomically; the vault key stays).
    ///
    /// # Errors
    /// As [`check_new_contact`]; [`VaultError::TooManyContacts`]; errors of [`Vault::save`] (nothing is added then).
    pub fn add_contact(&mut self, chain: Chain, label: &str, address: &str) -> Result<Contact, VaultError> {
        let address = check_new_contact(&self.payload.contacts, chain, label, address)?;
        if self.payload.contacts.len() >= MAX_CONTACTS {
            return Err(VaultError::TooManyContacts);
        }
        let contact = Contact { chain, label: label.to_owned(), address, added: now() };
        let added = contact.clone();
        self.commit(|v| v.payload.contacts.push(contact), |v| drop(v.payload.contacts.pop()))?;
        Ok(added)
    }

    /// Removes the entry labelled `label` on `chain` from the address book and saves. The previous generation,
    /// `<path>.bak`, still holds it until the next save.
    ///
    /// # Errors
    /// [`VaultError::ContactNotFound`]; errors of [`Vault::save`] (the entry stays then).
    pub fn remove_contact(&mut self, chain: Chain, label: &str) -> Result<Contact, VaultError> {
        let i = self
            .payload
            .contacts
            .iter()
            .position(|c| c.chain == chain && c.label == label)
            .ok_or_else(|| VaultError::ContactNotFound { chain, label: label.to_owned() })?;
        let removed = self.payload.contacts.remove(i);
        let back = removed.clone();
        self.commit(|_| {}, |v| v.payload.contacts.insert(i, back))?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;
    use crate::vault::KdfParams;
    use crate::vault::format::{self, MAX_ADDRESS_BYTES, SECTION_CONTACT};

    const IOTA: &str = "0x4f1f7dc6c5e9d6c7f8e5a2c4b3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4";
    const G: &str = "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6";

    fn vault(name: &str) -> (coffer_test_util::TempDir, Vault, SecretString) {
        let dir = coffer_test_util::TempDir::new(name);
        let password = SecretString::from("contacts test".to_owned());
        let v = Vault::create(dir.join("v.coffer"), &password, KdfParams::insecure_for_tests()).unwrap();
        (dir, v, password)
    }

    #[test]
    fn entries_survive_a_reopen_and_are_encrypted() {
        let (dir, mut v, password) = vault("contacts-reopen");
        v.add_contact(Chain::Iota, "Alice", &IOTA.to_uppercase().replace("0X", "0x")).unwrap();
        v.add_contact(Chain::Stellar, "Alice", G).unwrap();
        let sol = "So11111111111111111111111111111111111111112";
        v.add_contact(Chain::Solana, "Wrapped SOL", sol).unwrap();
        let path = v.path().to_owned();
        drop(v);
        let raw = std::fs::read(&path).unwrap();
        for needle in [b"Alice".as_slice(), G.as_bytes(), &IOTA.as_bytes()[2..]] {
            assert!(!raw.windows(needle.len()).any(|w| w == needle), "stored in the clear");
        }
        let v = Vault::open(&path, &password).unwrap();
        let list: Vec<(Chain, &str, &str)> =
            v.contacts().iter().map(|c| (c.chain, c.label.as_str(), c.address.as_str())).collect();
        assert_eq!(
            list,
            [(Chain::Iota, "Alice", IOTA), (Chain::Stellar, "Alice", G), (Chain::Solana, "Wrapped SOL", sol)]
        );
        assert_eq!(v.contact_for(Chain::Iota, &IOTA.to_uppercase().replace("0X", "0x")).unwrap().label, "Alice");
        assert!(v.contact_for(Chain::Sui, IOTA).is_none(), "per chain");
        assert_eq!(format!("{:?}", v.contacts()[0]), "Contact { chain: Iota, .. }");
        drop(v);
        drop(dir);
    }

    #[test]
    fn bad_entries_are_refused_with_typed_errors_and_change_nothing() {
        let (_dir, mut v, _) = vault("contacts-refused");
        v.add_contact(Chain::Stellar, "Alice", G).unwrap();
        let generation = v.generation();
        type Case<'a> = (Chain, &'a str, String, fn(&VaultError) -> bool);
        let cases: Vec<Case<'_>> = vec![
            (
                Chain::Stellar,
                "Bob",
                G.to_owned(),
                |e| matches!(e, VaultError::DuplicateContact { existing, .. } if existing == "Alice"),
            ),
            (Chain::Stellar, "ALICE", "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF".into(), |e| {
                matches!(e, VaultError::SimilarLabel { .. })
            }),
            (Chain::Stellar, "Alice", "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF".into(), |e| {
                matches!(e, VaultError::SimilarLabel { .. })
            }),
            (Chain::Stellar, "Ali\u{200B}ce", "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF".into(), |e| {
                matches!(e, VaultError::InvalidLabel { .. })
            }),
            (Chain::Stellar, "\u{202E}boB", "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF".into(), |e| {
                matches!(e, VaultError::InvalidLabel { .. })
            }),
            // A checksum error in the last character.
            (Chain::Stellar, "Carol", "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHG".into(), |e| {
                matches!(e, VaultError::Chain(_))
            }),
            (Chain::Iota, "Carol", G.to_owned(), |e| matches!(e, VaultError::Chain(_))),
            (Chain::Sui, "Carol", "0x12".into(), |e| matches!(e, VaultError::Chain(_))),
            (Chain::Solana, "Carol", "0OIl".repeat(11), |e| matches!(e, VaultError::Chain(_))),
            (
                Chain::IotaStardust,
                "Carol",
                "iota1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq".into(),
                |e| matches!(e, VaultError::Chain(_)),
            ),
            (Chain::Raw, "Carol", "00".repeat(32), |e| matches!(e, VaultError::Chain(_))),
        ];
        for (chain, label, address, expected) in cases {
            let e = v.add_contact(chain, label, &address).unwrap_err();
            assert!(expected(&e), "{chain} {label:?} {address}: {e:?}");
            assert_eq!(e.class(), crate::vault::ErrorClass::InvalidInput, "{e:?}");
        }
        assert_eq!((v.contacts().len(), v.generation()), (1, generation), "nothing was saved");
        let e = v.remove_contact(Chain::Iota, "Alice").unwrap_err();
        assert!(matches!(e, VaultError::ContactNotFound { chain: Chain::Iota, .. }), "{e:?}");
        // The same name on another chain is fine.
        v.add_contact(Chain::Iota, "Alice", IOTA).unwrap();
    }

    #[test]
    fn stardust_addresses_are_checked_and_canonical() {
        let pk = crate::derive::PublicKey([7; 32]);
        let a = crate::chain::stardust::address(&pk);
        assert_eq!(Chain::IotaStardust.parse_address(&a.to_uppercase()).unwrap(), a);
        let mut broken = a.clone();
        broken.pop();
        broken.push(if a.ends_with('q') { 'p' } else { 'q' });
        assert!(Chain::IotaStardust.parse_address(&broken).is_err(), "checksum");
    }

    #[test]
    fn a_failed_save_undoes_the_change() {
        let (dir, mut v, _) = vault("contacts-failed-save");
        v.add_contact(Chain::Stellar, "Alice", G).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = v.path().to_owned();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
            let sol = "11111111111111111111111111111111";
            assert!(matches!(v.add_contact(Chain::Solana, "System", sol), Err(VaultError::PermissionDenied { .. })));
            assert!(matches!(v.remove_contact(Chain::Stellar, "Alice"), Err(VaultError::PermissionDenied { .. })));
            assert_eq!(v.contacts().len(), 1);
            assert_eq!(v.contacts()[0].label, "Alice");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        v.remove_contact(Chain::Stellar, "Alice").unwrap();
        assert!(v.contacts().is_empty());
        drop(v);
        drop(dir);
    }

    #[test]
    fn adding_and_removing_keep_the_vault_key_and_slots() {
        let (_dir, mut v, _) = vault("contacts-key");
        // The key is compared without printing it on failure, and its copy is wiped.
        let (key, slots) = (zeroize::Zeroizing::new(v.key.expose().to_vec()), v.slots.clone());
        v.add_contact(Chain::Stellar, "Alice", G).unwrap();
        v.remove_contact(Chain::Stellar, "Alice").unwrap();
        assert!(v.key.expose() == key.as_slice(), "the vault key is unchanged");
        assert_eq!(v.slots, slots);
    }

    fn section(fields: &[(u16, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (tag, value) in fields {
            body.extend_from_slice(&tag.to_le_bytes());
            body.extend_from_slice(&u32::try_from(value.len()).unwrap().to_le_bytes());
            body.extend_from_slice(value);
        }
        let mut out = SECTION_CONTACT.to_le_bytes().to_vec();
        out.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn payload(sections: &[Vec<u8>]) -> Vec<u8> {
        let mut p = format::PAYLOAD_VERSION.to_le_bytes().to_vec();
        // The state section (generation 1).
        p.extend_from_slice(&format::SECTION_STATE.to_le_bytes());
        p.extend_from_slice(&14u32.to_le_bytes());
        p.extend_from_slice(&1u16.to_le_bytes());
        p.extend_from_slice(&8u32.to_le_bytes());
        p.extend_from_slice(&1u64.to_le_bytes());
        for s in sections {
            p.extend_from_slice(s);
        }
        p
    }

    fn good(label: &str, address: &str) -> Vec<u8> {
        section(&[(1, &[5]), (2, label.as_bytes()), (3, address.as_bytes()), (4, &7u64.to_le_bytes())])
    }

    #[test]
    fn the_parser_bounds_and_checks_every_field() {
        assert_eq!(format::check_payload(&payload(&[good("Alice", G)])).unwrap(), 0);
        let alice = format::parse_payload(&payload(&[good("Alice", G)])).unwrap();
        assert_eq!((alice.contacts[0].label.as_str(), alice.contacts[0].added), ("Alice", 7));
        let long = "G".repeat(MAX_ADDRESS_BYTES + 1);
        let corrupted: Vec<Vec<u8>> = vec![
            section(&[(1, &[5]), (2, b"Alice"), (3, G.as_bytes())]), // no time
            section(&[(1, &[5]), (1, &[5]), (2, b"A"), (3, G.as_bytes()), (4, &[0; 8])]), // a field twice
            section(&[(1, &[9]), (2, b"A"), (3, G.as_bytes()), (4, &[0; 8])]), // unknown chain
            section(&[(1, &[5, 0]), (2, b"A"), (3, G.as_bytes()), (4, &[0; 8])]), // trailing byte
            section(&[(1, &[5]), (2, b" A"), (3, G.as_bytes()), (4, &[0; 8])]), // label rule
            section(&[(1, &[5]), (2, b""), (3, G.as_bytes()), (4, &[0; 8])]), // empty label
            section(&[(1, &[5]), (2, b"A"), (3, long.as_bytes()), (4, &[0; 8])]), // too long
            section(&[(1, &[5]), (2, b"A"), (3, &G.as_bytes()[1..]), (4, &[0; 8])]), // not an address
            section(&[(1, &[1]), (2, b"A"), (3, IOTA.to_uppercase().as_bytes()), (4, &[0; 8])]), // not canonical
            section(&[(1, &[6]), (2, b"A"), (3, b"00"), (4, &[0; 8])]), // raw
            section(&[(1, &[5]), (2, &[0xff]), (3, G.as_bytes()), (4, &[0; 8])]), // not UTF-8
        ];
        for (i, s) in corrupted.iter().enumerate() {
            assert!(
                matches!(format::parse_payload(&payload(std::slice::from_ref(s))), Err(VaultError::Corrupted)),
                "case {i}"
            );
        }
        let unknown = section(&[(1, &[5]), (2, b"A"), (3, G.as_bytes()), (4, &[0; 8]), (9, b"")]);
        assert!(matches!(
            format::parse_payload(&payload(&[unknown])),
            Err(VaultError::Unsupported { what: "address-book field", tag: 9 })
        ));
        // Duplicates: the same address, or the same label, on one chain.
        let other = "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF";
        for pair in [[good("A", G), good("B", G)], [good("A", G), good("A", other)]] {
            assert!(matches!(format::parse_payload(&payload(&pair)), Err(VaultError::Corrupted)));
        }
        assert!(format::parse_payload(&payload(&[good("A", G), good("B", other)])).is_ok());
        // At most MAX_CONTACTS entries.
        let many: Vec<Vec<u8>> = (0..=MAX_CONTACTS)
            .map(|i| {
                let key = crate::derive::PublicKey([0; 32]);
                let mut bytes = *key.as_bytes();
                bytes[..8].copy_from_slice(&(i as u64).to_le_bytes());
                good(&format!("c{i}"), &crate::chain::stellar::address(&crate::derive::PublicKey(bytes)))
            })
            .collect();
        assert!(format::parse_payload(&payload(&many[..many.len() - 1])).is_ok());
        assert!(matches!(format::parse_payload(&payload(&many)), Err(VaultError::Corrupted)));
    }

    #[test]
    fn a_summary_names_the_recipients_in_the_address_book() {
        use crate::sign::{Details, Line, Summary};
        let sol = "So11111111111111111111111111111111111111112";
        let contacts = vec![
            Contact { chain: Chain::Solana, label: "Wrapped".into(), address: sol.into(), added: 0 },
            Contact { chain: Chain::Stellar, label: "Elsewhere".into(), address: G.into(), added: 0 },
        ];
        let summary = Summary {
            chain: Chain::Solana,
            kind: "transaction",
            lines: vec![
                Line::new("instruction 1", format!("transfer 1 SOL to {sol}, again to {sol}")),
                Line::new("note", format!("{G} is on another chain")),
            ],
            undecoded: Vec::new(),
            signers: Vec::new(),
            max_fee: None,
            warnings: Vec::new(),
            details: Details::Raw(Vec::new()),
        };
        let found: Vec<&str> = contacts_in_summary(&summary, &contacts).iter().map(|c| c.label.as_str()).collect();
        assert_eq!(found, ["Wrapped"]);
        assert!(contacts_in_summary(&summary, &contacts[1..]).is_empty());
    }
}
