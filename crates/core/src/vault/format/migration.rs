//! A migration section: its seeds, pending backup challenge, plan rows and receipts.

use crate::chain::{AccountIndex, AddressIndex};
use crate::vault::VaultError;
use crate::vault::migration::Migration;
use crate::vault::seed::SeedId;

use super::*;

pub(super) const MFIELD_FROM: u16 = 1;
pub(super) const MFIELD_TO: u16 = 2;
pub(super) const MFIELD_CREATED: u16 = 3;
pub(super) const MFIELD_CHALLENGE: u16 = 4;
pub(super) const MFIELD_ROW: u16 = 5;
pub(super) const MFIELD_RECEIPT: u16 = 6;
/// A receipt's transaction as sent by Coffer (payload version 4).
pub(super) const MFIELD_SENT: u16 = 7;
/// A receipt's sweep number when it is not 0 (payload version 4).
pub(super) const MFIELD_SWEEP: u16 = 8;
/// Longest network name stored with a sent receipt, in bytes.
pub(crate) const MAX_SENT_NETWORK: usize = 16;
/// Longest address, digest, signature or note stored in a migration, in bytes.
pub(crate) const MAX_MIGRATION_TEXT: usize = 1024;
/// Longest transaction stored in a receipt (base64), in bytes.
pub(super) const MAX_RECEIPT_TX: usize = 256 * 1024;

/// A u16-length-prefixed UTF-8 string.
pub(super) fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&u16::try_from(s.len()).unwrap_or(u16::MAX).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

pub(super) fn encode_migration(m: &Migration) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + m.rows.len() * 200 + m.receipts.len() * 600);
    let mut tlv = |tag: u16, value: &[u8]| {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&u32::try_from(value.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(value);
    };
    tlv(MFIELD_FROM, &m.from.0);
    tlv(MFIELD_TO, &m.to.0);
    tlv(MFIELD_CREATED, &m.created.to_le_bytes());
    if !m.challenge.is_empty() {
        tlv(MFIELD_CHALLENGE, &m.challenge);
    }
    for r in &m.rows {
        let mut v = vec![chain_code(r.chain)];
        v.extend_from_slice(&r.account.to_le_bytes());
        v.extend_from_slice(&r.index.to_le_bytes());
        v.push(r.state.code());
        put_str(&mut v, &r.old_address);
        put_str(&mut v, &r.new_address);
        v.extend_from_slice(r.note.as_bytes());
        tlv(MFIELD_ROW, &v);
    }
    for c in &m.receipts {
        let mut v = u32::try_from(c.row).unwrap_or(u32::MAX).to_le_bytes().to_vec();
        v.extend_from_slice(&c.time.to_le_bytes());
        put_str(&mut v, &c.tx_id);
        put_str(&mut v, &c.signature);
        put_str(&mut v, &c.network);
        v.extend_from_slice(c.tx.as_bytes());
        tlv(MFIELD_RECEIPT, &v);
    }
    for (i, c) in m.receipts.iter().enumerate() {
        let Some(sent) = &c.sent else { continue };
        let mut v = u32::try_from(i).unwrap_or(u32::MAX).to_le_bytes().to_vec();
        v.push(match (&sent.failed, sent.confirmed) {
            (_, true) => 1,
            (Some(_), false) => 2,
            (None, false) => 0,
        });
        v.extend_from_slice(&sent.time.to_le_bytes());
        put_str(&mut v, &sent.network);
        if let (Some(reason), false) = (&sent.failed, sent.confirmed) {
            put_str(&mut v, reason);
        }
        v.extend_from_slice(sent.endpoint.as_bytes());
        tlv(MFIELD_SENT, &v);
    }
    for (i, c) in m.receipts.iter().enumerate().filter(|(_, c)| c.sweep != 0) {
        let mut v = u32::try_from(i).unwrap_or(u32::MAX).to_le_bytes().to_vec();
        v.extend_from_slice(&c.sweep.to_le_bytes());
        tlv(MFIELD_SWEEP, &v);
    }
    out
}

pub(super) fn get_str(r: &mut Reader<'_>) -> Result<String, VaultError> {
    let n = usize::from(r.u16()?);
    if n > MAX_MIGRATION_TEXT {
        return Err(VaultError::Corrupted);
    }
    Ok(utf8(r.take(n)?)?.to_owned())
}

pub(super) fn parse_migration(body: &[u8]) -> Result<Migration, VaultError> {
    use crate::migrate::{MAX_RECEIPTS, MAX_ROWS, PlanRow, Receipt, RowState, Sent};
    let mut r = Reader::new(body, || VaultError::Corrupted);
    let (mut from, mut to, mut created, mut challenge) = (None, None, None, None);
    let (mut rows, mut receipts): (Vec<PlanRow>, Vec<Receipt>) = (Vec::new(), Vec::new());
    while !r.is_empty() {
        let (tag, value) = r.tlv()?;
        let mut v = Reader::new(value, || VaultError::Corrupted);
        match tag {
            MFIELD_FROM => once(&mut from, SeedId(v.array()?))?,
            MFIELD_TO => once(&mut to, SeedId(v.array()?))?,
            MFIELD_CREATED => once(&mut created, v.u64()?)?,
            MFIELD_CHALLENGE => {
                let p = v.take(value.len())?;
                let ascending = p.windows(2).all(|w| w[0] < w[1]);
                if p.is_empty()
                    || p.len() > crate::migrate::CHALLENGE_WORDS
                    || !ascending
                    || p.iter().any(|&x| !(1..=24).contains(&x))
                {
                    return Err(VaultError::Corrupted);
                }
                once(&mut challenge, p.to_vec())?;
            }
            MFIELD_ROW => {
                if rows.len() == MAX_ROWS {
                    return Err(VaultError::Corrupted);
                }
                let chain = chain_from_code(v.u8()?)?;
                let (account, index) = (v.u32()?, v.u32()?);
                let state = RowState::from_code(v.u8()?).ok_or(VaultError::Corrupted)?;
                let old_address = get_str(&mut v)?;
                let new_address = get_str(&mut v)?;
                let note = v.take(v.remaining())?;
                let at = AccountIndex::new(account).and_then(|a| chain.path(a, AddressIndex::new(index)?));
                if note.len() > MAX_MIGRATION_TEXT || at.is_err() {
                    return Err(VaultError::Corrupted);
                }
                if rows.iter().any(|o| (o.chain, o.account, o.index) == (chain, account, index)) {
                    return Err(VaultError::Corrupted);
                }
                let note = utf8(note)?.to_owned();
                rows.push(PlanRow { chain, account, index, old_address, new_address, state, note });
            }
            MFIELD_RECEIPT => {
                if receipts.len() == MAX_RECEIPTS {
                    return Err(VaultError::Corrupted);
                }
                let row = usize::try_from(v.u32()?).map_err(|_| VaultError::Corrupted)?;
                let time = v.u64()?;
                let tx_id = get_str(&mut v)?;
                let signature = get_str(&mut v)?;
                let network = get_str(&mut v)?;
                let tx = v.take(v.remaining())?;
                if tx.len() > MAX_RECEIPT_TX {
                    return Err(VaultError::Corrupted);
                }
                let chain = rows.get(row).map(|r| r.chain).ok_or(VaultError::Corrupted)?;
                receipts.push(Receipt {
                    row,
                    chain,
                    time,
                    tx_id,
                    signature,
                    tx: utf8(tx)?.to_owned(),
                    network,
                    sent: None,
                    sweep: 0,
                });
            }
            MFIELD_SENT => {
                // At most once per receipt, after the receipts.
                let i = usize::try_from(v.u32()?).map_err(|_| VaultError::Corrupted)?;
                // 0 sent, 1 confirmed, 2 failed (then its reason follows the network).
                let state = v.u8()?;
                if state > 2 {
                    return Err(VaultError::Corrupted);
                }
                let time = v.u64()?;
                let network = get_str(&mut v)?;
                let failed = if state == 2 {
                    let reason = get_str(&mut v)?;
                    if reason.len() > crate::migrate::MAX_FAILURE_REASON {
                        return Err(VaultError::Corrupted);
                    }
                    Some(reason)
                } else {
                    None
                };
                let endpoint = v.take(v.remaining())?;
                if network.len() > MAX_SENT_NETWORK || endpoint.len() > MAX_MIGRATION_TEXT {
                    return Err(VaultError::Corrupted);
                }
                let endpoint = utf8(endpoint)?.to_owned();
                let receipt = receipts.get_mut(i).ok_or(VaultError::Corrupted)?;
                if receipt.sent.is_some() {
                    return Err(VaultError::Corrupted);
                }
                receipt.sent = Some(Sent { confirmed: state == 1, failed, network, endpoint, time });
            }
            MFIELD_SWEEP => {
                // At most once per receipt, after the receipts; never 0 (the default, not written).
                let i = usize::try_from(v.u32()?).map_err(|_| VaultError::Corrupted)?;
                let sweep = v.u32()?;
                let receipt = receipts.get_mut(i).ok_or(VaultError::Corrupted)?;
                if sweep == 0 || receipt.sweep != 0 || usize::try_from(sweep).is_ok_and(|s| s > MAX_RECEIPTS) {
                    return Err(VaultError::Corrupted);
                }
                receipt.sweep = sweep;
            }
            other => return Err(VaultError::Unsupported { what: "migration field", tag: other }),
        }
        if !v.is_empty() {
            return Err(VaultError::Corrupted);
        }
    }
    let (from, to) = (from.ok_or(VaultError::Corrupted)?, to.ok_or(VaultError::Corrupted)?);
    if from == to {
        return Err(VaultError::Corrupted);
    }
    Ok(Migration {
        from,
        to,
        created: created.ok_or(VaultError::Corrupted)?,
        challenge: challenge.unwrap_or_default(),
        rows,
        receipts,
    })
}
