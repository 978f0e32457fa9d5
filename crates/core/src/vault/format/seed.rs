//! A seed section: the seed's id, label, entropy, passphrase, flags and account settings.

use crate::chain::Chain;
use crate::mnemonic::{Language, MAX_PASSPHRASE_BYTES};
use crate::secret::{SecretString, SecretVec};
use crate::vault::VaultError;
use crate::vault::label::check_stored_label;
use crate::vault::seed::{AccountLabel, AccountSettings, ChainView, SeedId, SeedRecord};

use super::*;

pub(super) const FIELD_ID: u16 = 1;
pub(super) const FIELD_LABEL: u16 = 2;
pub(super) const FIELD_CREATED: u16 = 3;
pub(super) const FIELD_LANGUAGE: u16 = 4;
pub(super) const FIELD_ENTROPY: u16 = 5;
pub(super) const FIELD_PASSPHRASE: u16 = 6;
pub(super) const FIELD_FLAGS: u16 = 7;
pub(super) const FIELD_CHAIN_VIEW: u16 = 8;
pub(super) const FIELD_ACCOUNT_LABEL: u16 = 9;
pub(super) const FLAG_COMPROMISED: u32 = 1;
pub(super) const FLAG_BACKUP_CHECKED: u32 = 2;

pub(super) fn encode_seed(s: &SeedRecord, out: &mut impl Sink) {
    put_tlv(out, FIELD_ID, &[&s.id.0]);
    put_tlv(out, FIELD_LABEL, &[s.label.as_bytes()]);
    put_tlv(out, FIELD_CREATED, &[&s.created.to_le_bytes()]);
    put_tlv(out, FIELD_LANGUAGE, &[&[language_code(s.language)]]);
    put_tlv(out, FIELD_ENTROPY, &[s.entropy.expose()]);
    if let Some(p) = &s.passphrase {
        put_tlv(out, FIELD_PASSPHRASE, &[p.expose().as_bytes()]);
    }
    let flags =
        if s.compromised { FLAG_COMPROMISED } else { 0 } | if s.backup_checked { FLAG_BACKUP_CHECKED } else { 0 };
    put_tlv(out, FIELD_FLAGS, &[&flags.to_le_bytes()]);
    for v in &s.settings.views {
        put_tlv(out, FIELD_CHAIN_VIEW, &[&[chain_code(v.chain)], &v.accounts.to_le_bytes(), &v.indices.to_le_bytes()]);
    }
    for l in &s.settings.labels {
        let head = [&[chain_code(l.chain)][..], &l.account.to_le_bytes(), &l.index.to_le_bytes()].concat();
        put_tlv(out, FIELD_ACCOUNT_LABEL, &[&head, l.label.as_bytes()]);
    }
}

pub(super) fn parse_seed(body: &[u8]) -> Result<SeedRecord, VaultError> {
    let mut r = Reader::new(body, || VaultError::Corrupted);
    let (mut id, mut label, mut created, mut language, mut entropy, mut passphrase, mut flags) =
        (None, None, None, None, None, None, None);
    let mut settings = AccountSettings::default();
    while !r.is_empty() {
        let (tag, value) = r.tlv()?;
        let mut v = Reader::new(value, || VaultError::Corrupted);
        match tag {
            FIELD_ID => once(&mut id, SeedId(v.array()?))?,
            FIELD_LABEL => {
                let l = utf8(value)?;
                check_stored_label(l).map_err(|_| VaultError::Corrupted)?;
                once(&mut label, l.to_owned())?;
                v.take(value.len())?;
            }
            FIELD_CREATED => once(&mut created, v.u64()?)?,
            FIELD_LANGUAGE => once(&mut language, language_from_code(v.u8()?)?)?,
            FIELD_ENTROPY => {
                if ![16, 20, 24, 28, 32].contains(&value.len()) {
                    return Err(VaultError::Corrupted);
                }
                let mut e = SecretVec::with_capacity(value.len());
                e.expose_mut().extend_from_slice(v.take(value.len())?);
                once(&mut entropy, e)?;
            }
            FIELD_PASSPHRASE => {
                let p = utf8(v.take(value.len())?)?;
                if p.is_empty() || p.len() > MAX_PASSPHRASE_BYTES {
                    return Err(VaultError::Corrupted);
                }
                let mut s = SecretString::with_capacity(p.len());
                s.expose_mut().push_str(p);
                once(&mut passphrase, s)?;
            }
            FIELD_FLAGS => {
                let f = v.u32()?;
                if f & !(FLAG_COMPROMISED | FLAG_BACKUP_CHECKED) != 0 {
                    return Err(VaultError::Corrupted);
                }
                once(&mut flags, f)?;
            }
            FIELD_CHAIN_VIEW => {
                if settings.views.len() == Chain::ALL.len() {
                    return Err(VaultError::Corrupted);
                }
                settings.views.push(ChainView {
                    chain: chain_from_code(v.u8()?)?,
                    accounts: v.u32()?,
                    indices: v.u32()?,
                });
            }
            FIELD_ACCOUNT_LABEL => {
                if settings.labels.len() == MAX_ACCOUNT_LABELS {
                    return Err(VaultError::Corrupted);
                }
                let (chain, account, index) = (chain_from_code(v.u8()?)?, v.u32()?, v.u32()?);
                let label = utf8(v.take(v.remaining())?)?.to_owned();
                settings.labels.push(AccountLabel { chain, account, index, label });
            }
            other => return Err(VaultError::Unsupported { what: "seed field", tag: other }),
        }
        if !v.is_empty() {
            return Err(VaultError::Corrupted);
        }
    }
    settings.validate().map_err(|_| VaultError::Corrupted)?;
    let flags = flags.ok_or(VaultError::Corrupted)?;
    Ok(SeedRecord {
        id: id.ok_or(VaultError::Corrupted)?,
        label: label.ok_or(VaultError::Corrupted)?,
        created: created.ok_or(VaultError::Corrupted)?,
        language: language.ok_or(VaultError::Corrupted)?,
        entropy: entropy.ok_or(VaultError::Corrupted)?,
        passphrase,
        compromised: flags & FLAG_COMPROMISED != 0,
        backup_checked: flags & FLAG_BACKUP_CHECKED != 0,
        settings,
    })
}

/// Word-list codes. Fixed by the format: never renumber.
pub(super) const LANGUAGES: [(u8, Language); 10] = [
    (0, Language::English),
    (1, Language::ChineseSimplified),
    (2, Language::ChineseTraditional),
    (3, Language::Czech),
    (4, Language::French),
    (5, Language::Italian),
    (6, Language::Japanese),
    (7, Language::Korean),
    (8, Language::Portuguese),
    (9, Language::Spanish),
];

pub(super) fn language_code(l: Language) -> u8 {
    LANGUAGES.iter().find(|(_, x)| *x == l).map_or(0, |(c, _)| *c)
}

pub(super) fn language_from_code(c: u8) -> Result<Language, VaultError> {
    LANGUAGES.iter().find(|(x, _)| *x == c).map(|(_, l)| *l).ok_or(VaultError::Corrupted)
}
