//! An address-book section: one labelled recipient (chain, label, address, when it was added).

use crate::vault::VaultError;
use crate::vault::contacts::Contact;
use crate::vault::label::check_stored_label;

use super::*;

pub(super) const CFIELD_CHAIN: u16 = 1;
pub(super) const CFIELD_LABEL: u16 = 2;
pub(super) const CFIELD_ADDRESS: u16 = 3;
pub(super) const CFIELD_ADDED: u16 = 4;

pub(super) fn encode_contact(c: &Contact, out: &mut impl Sink) {
    put_tlv(out, CFIELD_CHAIN, &[&[chain_code(c.chain)]]);
    put_tlv(out, CFIELD_LABEL, &[c.label.as_bytes()]);
    put_tlv(out, CFIELD_ADDRESS, &[c.address.as_bytes()]);
    put_tlv(out, CFIELD_ADDED, &[&c.added.to_le_bytes()]);
}

/// The encoded length of a contact section's body.
pub(super) fn contact_len(c: &Contact) -> usize {
    let mut n = Counter(0);
    encode_contact(c, &mut n);
    n.0
}

/// Parses one contact. Every field is required and appears once; the label must meet the stored-label rules and
/// the address must be the canonical spelling of a valid address of its chain (the API writes nothing else).
pub(super) fn parse_contact(body: &[u8]) -> Result<Contact, VaultError> {
    let mut r = Reader::new(body, || VaultError::Corrupted);
    let (mut chain, mut label, mut address, mut added) = (None, None, None, None);
    while !r.is_empty() {
        let (tag, value) = r.tlv()?;
        let mut v = Reader::new(value, || VaultError::Corrupted);
        match tag {
            CFIELD_CHAIN => once(&mut chain, chain_from_code(v.u8()?)?)?,
            CFIELD_LABEL => {
                let l = utf8(v.take(value.len())?)?;
                check_stored_label(l).map_err(|_| VaultError::Corrupted)?;
                once(&mut label, l.to_owned())?;
            }
            CFIELD_ADDRESS => {
                if value.is_empty() || value.len() > MAX_ADDRESS_BYTES {
                    return Err(VaultError::Corrupted);
                }
                once(&mut address, utf8(v.take(value.len())?)?.to_owned())?;
            }
            CFIELD_ADDED => once(&mut added, v.u64()?)?,
            other => return Err(VaultError::Unsupported { what: "address-book field", tag: other }),
        }
        if !v.is_empty() {
            return Err(VaultError::Corrupted);
        }
    }
    let chain: Chain = chain.ok_or(VaultError::Corrupted)?;
    let address = address.ok_or(VaultError::Corrupted)?;
    if chain.parse_address(&address).ok().as_deref() != Some(address.as_str()) {
        return Err(VaultError::Corrupted);
    }
    Ok(Contact {
        chain,
        label: label.ok_or(VaultError::Corrupted)?,
        address,
        added: added.ok_or(VaultError::Corrupted)?,
    })
}
