//! A migration as the vault stores it (payload section 3, docs/vault-format.md) and the vault side of the flow (see
//! [`crate::migrate`]): the compromised mark, the destination seed and its backup check, the plan, and the guarded
//! signing path for sweeps. The state is kept without the `migrate` feature too (so a vault written by a full Coffer
//! loses nothing); the methods that act on it need the feature.

#[cfg(feature = "migrate")]
use unicode_normalization::UnicodeNormalization as _;

use super::SeedId;
#[cfg(feature = "migrate")]
use super::{Vault, VaultError, now};
use crate::chain::{AccountIndex, AddressIndex, Chain};
#[cfg(feature = "migrate")]
use crate::migrate::{self, BackupChallenge, Destination, GuardError, MigrateError, RowState, Selection, Started};
use crate::migrate::{PlanRow, Receipt};
#[cfg(feature = "migrate")]
use crate::secret::{SecretString, ct_eq};
#[cfg(feature = "migrate")]
use crate::sign::{self, Blind, Details, SignRequest, Signer};

#[cfg(all(test, feature = "migrate"))]
mod tests;

/// A migration: its seeds, the pending backup challenge, the plan and the receipts. Public data only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The compromised seed.
    pub from: SeedId,
    /// The destination seed.
    pub to: SeedId,
    /// When it was started (UNIX seconds).
    pub created: u64,
    /// The pending backup challenge's positions (1-based); empty when none is pending.
    pub challenge: Vec<u8>,
    /// The plan.
    pub rows: Vec<PlanRow>,
    /// Signed sweeps, oldest first.
    pub receipts: Vec<Receipt>,
}

impl Migration {
    /// The row of `chain` at `account`/`index`.
    #[must_use]
    #[cfg_attr(not(feature = "migrate"), allow(dead_code))]
    pub fn row(&self, chain: Chain, account: AccountIndex, index: AddressIndex) -> Option<usize> {
        self.rows.iter().position(|r| r.chain == chain && r.account == account.get() && r.index == index.get())
    }
}

/// Everything about one migration, for display and export.
#[cfg(feature = "migrate")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The compromised seed's label.
    pub from: String,
    /// The destination's label.
    pub to: String,
    /// Whether the destination's backup was checked.
    pub backup_checked: bool,
    /// The migration.
    pub migration: Migration,
    /// What Coffer cannot do, per chain or row: for people to do by hand.
    pub manual_steps: Vec<String>,
}

#[cfg(feature = "migrate")]
impl From<GuardError> for VaultError {
    fn from(e: GuardError) -> Self {
        Self::Migrate(MigrateError::Guard(e))
    }
}

#[cfg(feature = "migrate")]
impl Vault {
    fn migration_index(&self, from: &str) -> Result<usize, VaultError> {
        let id = self.record(from)?.id;
        self.payload
            .migrations
            .iter()
            .position(|m| m.from == id)
            .ok_or_else(|| MigrateError::NoMigration { label: from.to_owned() }.into())
    }

    fn label_of(&self, id: SeedId) -> String {
        self.payload.seeds.iter().find(|s| s.id == id).map(|s| s.label.clone()).unwrap_or_default()
    }

    fn seed_index(&self, id: SeedId) -> Result<usize, VaultError> {
        self.payload.seeds.iter().position(|s| s.id == id).ok_or(VaultError::Corrupted)
    }

    /// Marks a seed compromised and saves under a new vault key (also removes quick unlock, as
    /// [`Vault::set_compromised`]). From then on `Vault::sign*` refuses it; only [`Vault::sign_sweep`] signs for
    /// it, and only what the guard accepts.
    ///
    /// # Errors
    /// As [`Vault::set_compromised`].
    pub fn mark_compromised(&mut self, label: &str) -> Result<super::Rekeyed, VaultError> {
        self.set_compromised(label, true)
    }

    /// Removes the compromised mark after checking `password` against the vault's password slot (a device-key
    /// unlock is not enough), and saves.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`], [`VaultError::WrongPassword`], [`VaultError::Kdf`]; errors of [`Vault::save`].
    pub fn unmark_compromised(&mut self, label: &str, password: &SecretString) -> Result<(), VaultError> {
        let i = self.position(label)?;
        self.verify_password(password)?;
        let before = self.payload.seeds[i].compromised;
        self.commit(|v| v.payload.seeds[i].compromised = false, |v| v.payload.seeds[i].compromised = before)
    }

    /// Starts migrating the compromised seed `from` to `to` and saves. A fresh destination's words are in the result
    /// (show them once); the result's challenge, if any, must be answered with
    /// [`Vault::answer_backup_challenge`] before anything is planned or signed.
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; [`VaultError::Migrate`] with [`MigrateError::NotCompromised`],
    /// [`MigrateError::AlreadyStarted`], [`MigrateError::DestinationCompromised`], [`MigrateError::SameSeed`];
    /// for a fresh seed the errors of [`Vault::add_generated_seed`]; errors of [`Vault::save`].
    pub fn start_migration(&mut self, from: &str, to: &Destination) -> Result<Started, VaultError> {
        let source = self.record(from)?;
        let from_id = source.id;
        if !source.compromised {
            return Err(MigrateError::NotCompromised { label: from.to_owned() }.into());
        }
        if self.payload.migrations.iter().any(|m| m.from == from_id) {
            return Err(MigrateError::AlreadyStarted { label: from.to_owned() }.into());
        }
        let (label, mnemonic) = match to {
            Destination::Fresh { label, words } => (label.clone(), Some(self.add_generated_seed(label, *words)?)),
            Destination::Existing { label } => {
                let d = self.record(label)?;
                if d.id == from_id {
                    return Err(MigrateError::SameSeed.into());
                }
                if d.compromised {
                    return Err(MigrateError::DestinationCompromised { label: label.clone() }.into());
                }
                (label.clone(), None)
            }
        };
        let dest = self.record(&label)?;
        let (to_id, checked, words) = (dest.id, dest.backup_checked, dest.entropy.len() * 3 / 4);
        let challenge = if checked { Vec::new() } else { migrate::random_positions(words)? };
        let migration =
            Migration { from: from_id, to: to_id, created: now(), challenge, rows: Vec::new(), receipts: Vec::new() };
        let positions = migration.challenge.iter().map(|&p| usize::from(p)).collect::<Vec<_>>();
        self.commit(|v| v.payload.migrations.push(migration), |v| drop(v.payload.migrations.pop()))?;
        let challenge = (!checked).then(|| BackupChallenge { label: label.clone(), positions });
        Ok(Started { destination: label, mnemonic, challenge })
    }

    /// The migration from seed `from` (public data: plan and receipts).
    ///
    /// # Errors
    /// [`VaultError::LabelNotFound`]; [`MigrateError::NoMigration`].
    pub fn migration(&self, from: &str) -> Result<Migration, VaultError> {
        Ok(self.payload.migrations[self.migration_index(from)?].clone())
    }

    /// The labels of the seeds being migrated from, in the order the migrations were started.
    #[must_use]
    pub fn migrations(&self) -> Vec<String> {
        self.payload.migrations.iter().map(|m| self.label_of(m.from)).collect()
    }

    /// The pending backup challenge of the migration from `from`; `None` once the destination's backup is checked.
    ///
    /// # Errors
    /// As [`Vault::migration`].
    pub fn backup_challenge(&self, from: &str) -> Result<Option<BackupChallenge>, VaultError> {
        let m = &self.payload.migrations[self.migration_index(from)?];
        let dest = &self.payload.seeds[self.seed_index(m.to)?];
        if dest.backup_checked {
            return Ok(None);
        }
        Ok(Some(BackupChallenge {
            label: dest.label.clone(),
            positions: m.challenge.iter().map(|&p| usize::from(p)).collect(),
        }))
    }

    /// Answers the backup challenge with the words at its positions, in order (case, white space and Unicode
    /// composition are forgiven). On success the destination is marked `backup_checked`; on failure new positions
    /// are drawn. Saves either way and returns whether the answers were right.
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`MigrateError::NoChallenge`]; [`MigrateError::AnswerCount`]; errors of
    /// [`Vault::save`].
    pub fn answer_backup_challenge(&mut self, from: &str, answers: &[SecretString]) -> Result<bool, VaultError> {
        let mi = self.migration_index(from)?;
        let di = self.seed_index(self.payload.migrations[mi].to)?;
        if self.payload.seeds[di].backup_checked {
            return Err(MigrateError::NoChallenge.into());
        }
        let positions = self.payload.migrations[mi].challenge.clone();
        if positions.is_empty() {
            return Err(MigrateError::NoChallenge.into());
        }
        if answers.len() != positions.len() {
            return Err(MigrateError::AnswerCount { expected: positions.len(), got: answers.len() }.into());
        }
        let mnemonic = self.payload.seeds[di].mnemonic()?;
        let words: Vec<&str> = mnemonic.words().collect();
        let mut all = true;
        for (&p, answer) in positions.iter().zip(answers) {
            let expected = words.get(usize::from(p) - 1).copied().unwrap_or_default();
            let mut given = SecretString::with_capacity(answer.expose().len() * 4 + 8);
            given.expose_mut().extend(answer.expose().trim().nfkd().flat_map(char::to_lowercase));
            let mut want = SecretString::with_capacity(expected.len() * 4 + 8);
            want.expose_mut().extend(expected.nfkd());
            all &= ct_eq(given.expose().as_bytes(), want.expose().as_bytes());
        }
        drop(words);
        drop(mnemonic);
        if all {
            self.commit(
                |v| {
                    v.payload.seeds[di].backup_checked = true;
                    v.payload.migrations[mi].challenge.clear();
                },
                |v| {
                    v.payload.seeds[di].backup_checked = false;
                    v.payload.migrations[mi].challenge = positions;
                },
            )?;
        } else {
            let words = self.payload.seeds[di].entropy.len() * 3 / 4;
            let fresh = migrate::random_positions(words)?;
            let old = positions;
            self.commit(|v| v.payload.migrations[mi].challenge = fresh, |v| v.payload.migrations[mi].challenge = old)?;
        }
        Ok(all)
    }

    fn require_backup(&self, mi: usize) -> Result<usize, VaultError> {
        let di = self.seed_index(self.payload.migrations[mi].to)?;
        if !self.payload.seeds[di].backup_checked {
            return Err(MigrateError::BackupNotChecked { label: self.payload.seeds[di].label.clone() }.into());
        }
        if self.payload.seeds[di].compromised {
            return Err(MigrateError::DestinationCompromised { label: self.payload.seeds[di].label.clone() }.into());
        }
        Ok(di)
    }

    /// Adds plan rows for `selection` (rows already planned are kept as they are) and saves; returns every row.
    /// Each row maps the old seed's address to the destination's at the same path. Stardust rows are manual steps.
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`MigrateError::BackupNotChecked`]; [`MigrateError::InvalidSelection`] (no chain,
    /// `raw`, no account or index, positions of 2^31 or more); [`MigrateError::Full`]; errors of [`Vault::save`].
    pub fn plan_migration(&mut self, from: &str, selection: &Selection) -> Result<Vec<PlanRow>, VaultError> {
        let mi = self.migration_index(from)?;
        let di = self.require_backup(mi)?;
        let invalid = |reason| -> VaultError { MigrateError::InvalidSelection { reason }.into() };
        if selection.chains.is_empty() {
            return Err(invalid("no chain selected"));
        }
        if selection.chains.contains(&Chain::Raw) {
            return Err(invalid("raw has no standard path"));
        }
        if selection.accounts == 0 || selection.indices == 0 {
            return Err(invalid("at least one account and one index"));
        }
        let last = selection.first_account.checked_add(selection.accounts - 1);
        if last.is_none_or(|l| l >= crate::derive::HARDENED) || selection.indices > 1000 {
            return Err(invalid("accounts and indices must be below 2147483648 (and at most 1000 indices)"));
        }
        let want = u64::from(selection.accounts) * u64::from(selection.indices) * selection.chains.len() as u64;
        if want > migrate::MAX_ROWS as u64 {
            return Err(MigrateError::Full.into());
        }
        let mut positions = Vec::new();
        for &chain in &selection.chains {
            let indices = if chain.uses_index() { selection.indices } else { 1 };
            for account in selection.first_account..=last.unwrap_or(0) {
                positions.extend((0..indices).map(|index| (chain, account, index)));
            }
        }
        self.add_rows(mi, di, &positions)
    }

    /// Adds a row at address index 0 for each of `accounts` (chain and account: the accounts a gap scan found used
    /// past the plan, [`migrate::unplanned`]) and saves once; rows already planned are kept as they are. Each new
    /// row maps the old seed's address to the destination's at the same path, as [`Vault::plan_migration`] does.
    /// Returns every row.
    ///
    /// # Errors
    /// As [`Vault::plan_migration`]: [`MigrateError::InvalidSelection`] for no account, `raw`, or an account of
    /// 2^31 or more.
    pub fn plan_accounts(&mut self, from: &str, accounts: &[(Chain, u32)]) -> Result<Vec<PlanRow>, VaultError> {
        let mi = self.migration_index(from)?;
        let di = self.require_backup(mi)?;
        let invalid = |reason| -> VaultError { MigrateError::InvalidSelection { reason }.into() };
        if accounts.is_empty() {
            return Err(invalid("no account selected"));
        }
        if accounts.iter().any(|(c, _)| *c == Chain::Raw) {
            return Err(invalid("raw has no standard path"));
        }
        if accounts.iter().any(|(_, a)| *a >= crate::derive::HARDENED) {
            return Err(invalid("accounts must be below 2147483648"));
        }
        if accounts.len() > migrate::MAX_ROWS {
            return Err(MigrateError::Full.into());
        }
        let positions: Vec<(Chain, u32, u32)> = accounts.iter().map(|&(c, a)| (c, a, 0)).collect();
        self.add_rows(mi, di, &positions)
    }

    /// Adds a row for each position (chain, account, index) not planned yet, derived from both seeds, and saves;
    /// returns every row. Nothing changes on an error.
    fn add_rows(&mut self, mi: usize, di: usize, positions: &[(Chain, u32, u32)]) -> Result<Vec<PlanRow>, VaultError> {
        let si = self.seed_index(self.payload.migrations[mi].from)?;
        let (old_seed, new_seed) = (self.payload.seeds[si].bip39_seed()?, self.payload.seeds[di].bip39_seed()?);
        let mut rows = self.payload.migrations[mi].rows.clone();
        for &(chain, account, index) in positions {
            if rows.iter().any(|r| (r.chain, r.account, r.index) == (chain, account, index)) {
                continue;
            }
            if rows.len() == migrate::MAX_ROWS {
                return Err(MigrateError::Full.into());
            }
            let at = (AccountIndex::new(account)?, AddressIndex::new(index)?);
            let old = chain.account(&old_seed, at.0, at.1)?;
            let new = chain.account(&new_seed, at.0, at.1)?;
            let (state, note) = if chain == Chain::IotaStardust {
                (RowState::Manual, migrate::STARDUST_REASON.to_owned())
            } else {
                (RowState::Pending, String::new())
            };
            rows.push(PlanRow {
                chain,
                account,
                index,
                old_address: old.address,
                new_address: new.address,
                state,
                note,
            });
        }
        drop((old_seed, new_seed));
        let before = std::mem::replace(&mut self.payload.migrations[mi].rows, rows);
        if let Err(e) = self.save() {
            self.payload.migrations[mi].rows = before;
            return Err(e);
        }
        Ok(self.payload.migrations[mi].rows.clone())
    }

    /// The planned row of `chain` at `account`/`index`, ready to build a sweep for (the destination's backup must
    /// be checked).
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`MigrateError::BackupNotChecked`]; [`MigrateError::RowNotPlanned`].
    pub fn sweep_row(
        &self,
        from: &str,
        chain: Chain,
        account: AccountIndex,
        index: AddressIndex,
    ) -> Result<PlanRow, VaultError> {
        let mi = self.migration_index(from)?;
        self.require_backup(mi)?;
        let m = &self.payload.migrations[mi];
        let i = m.row(chain, account, index).ok_or_else(|| MigrateError::RowNotPlanned {
            chain,
            path: chain.path(account, index).map(|p| p.to_string()).unwrap_or_default(),
        })?;
        Ok(m.rows[i].clone())
    }

    /// Records a manual step (for example Stellar trustlines that block a merge) on the row of `chain` at
    /// `account`/`index`, and saves. The row stays sweepable.
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`MigrateError::RowNotPlanned`]; errors of [`Vault::save`].
    pub fn note_manual_step(
        &mut self,
        from: &str,
        chain: Chain,
        account: AccountIndex,
        index: AddressIndex,
        note: &str,
    ) -> Result<(), VaultError> {
        let mi = self.migration_index(from)?;
        let ri = self.payload.migrations[mi].row(chain, account, index).ok_or_else(|| MigrateError::RowNotPlanned {
            chain,
            path: chain.path(account, index).map(|p| p.to_string()).unwrap_or_default(),
        })?;
        let mut note = note.to_owned();
        super::truncate_at_char(&mut note, 1000);
        let before = std::mem::replace(&mut self.payload.migrations[mi].rows[ri].note, note.clone());
        self.commit(
            |v| v.payload.migrations[mi].rows[ri].note = note,
            |v| v.payload.migrations[mi].rows[ri].note = before,
        )
    }

    /// Decodes a sweep and runs the destination guard without signing (for showing it before asking to sign).
    /// Returns the decoded request and the index of the row it sweeps.
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`VaultError::Sign`] if it does not decode; [`MigrateError::BackupNotChecked`];
    /// [`MigrateError::Guard`].
    pub fn check_sweep(&self, from: &str, request: &SignRequest) -> Result<(sign::Decoded, usize), VaultError> {
        let mi = self.migration_index(from)?;
        self.require_backup(mi)?;
        let decoded = sign::decode(request)?;
        let row = migrate::check_sweep(&self.payload.migrations[mi].rows, &decoded)?;
        Ok((decoded, row))
    }

    /// Signs a sweep of the compromised seed `from` if the destination guard accepts it, stores the receipt, logs
    /// the signature and saves — all before the receipt is returned. This is the only path that signs for a
    /// compromised seed (with [`Vault::sign_sweeps`], for a sweep of several transactions; this one is a sweep of
    /// one).
    ///
    /// # Errors
    /// As [`Vault::check_sweep`]; [`VaultError::Sign`] (blind content is never signed here);
    /// [`MigrateError::Full`]; errors of [`Vault::save`] or of writing a log archive segment (nothing is returned then).
    /// A full signing log never blocks a sweep: its oldest entries are archived first.
    pub fn sign_sweep(&mut self, from: &str, request: &SignRequest) -> Result<Receipt, VaultError> {
        let mut signed = Vec::with_capacity(1);
        self.sign_sweeps(from, std::slice::from_ref(request), &mut signed)?;
        signed.pop().ok_or(VaultError::Corrupted)
    }

    /// Signs the transactions of one sweep, in order, as [`Vault::sign_sweep`] signs each, and pushes each receipt
    /// onto `signed` as soon as it is stored: they form one new sweep of their row ([`Receipt::sweep`]), whose
    /// transactions are judged together once sent (the row is confirmed only when all of them are). A sweep built
    /// again (an expired blockhash, holdings that changed) is signed with another call, and then supersedes this one.
    ///
    /// # Errors
    /// As [`Vault::sign_sweep`], for the first transaction that cannot be signed; those before it stay signed and
    /// stored (they are in `signed`).
    pub fn sign_sweeps(
        &mut self,
        from: &str,
        requests: &[SignRequest],
        signed: &mut Vec<Receipt>,
    ) -> Result<(), VaultError> {
        // The sweep number of each row this call touches: one more than the row's newest so far.
        let mut sweeps: Vec<(usize, u32)> = Vec::new();
        for request in requests {
            let mi = self.migration_index(from)?;
            let ri = self.check_sweep(from, request)?.1;
            let sweep = if let Some(&(_, n)) = sweeps.iter().find(|(r, _)| *r == ri) {
                n
            } else {
                let m = &self.payload.migrations[mi];
                let n = m.receipts.iter().filter(|c| c.row == ri).map(|c| c.sweep.saturating_add(1)).max();
                sweeps.push((ri, n.unwrap_or(0)));
                n.unwrap_or(0)
            };
            signed.push(self.sign_one(from, request, sweep)?);
        }
        Ok(())
    }

    fn sign_one(&mut self, from: &str, request: &SignRequest, sweep: u32) -> Result<Receipt, VaultError> {
        use base64::Engine as _;
        let (decoded, ri) = self.check_sweep(from, request)?;
        let mi = self.migration_index(from)?;
        if self.payload.migrations[mi].receipts.len() >= migrate::MAX_RECEIPTS {
            return Err(MigrateError::Full.into());
        }
        let row = self.payload.migrations[mi].rows[ri].clone();
        let si = self.seed_index(self.payload.migrations[mi].from)?;
        let seed = self.payload.seeds[si].bip39_seed()?;
        let signer = Signer::new(&seed, row.chain, row.path()?)?;
        drop(seed);
        if signer.address() != row.old_address {
            // The plan does not match the seed: never sign with a key the plan did not name.
            return Err(GuardError::BadPlanAddress.into());
        }
        let mut signed = signer.sign(&decoded, Blind::Refuse)?;
        drop(signer);
        // A Stellar sweep whose operations add trustlines on the new account (the guard allows nothing else from
        // it) needs the new account's signature too: the key at the same path of the destination seed.
        let mut records = Vec::new();
        if let Details::Stellar(env, network) = &decoded.summary().details {
            let new_key =
                crate::chain::stellar::parse_address(&row.new_address).map_err(|_| GuardError::BadPlanAddress)?;
            if env.signers().contains(&new_key) {
                let di = self.seed_index(self.payload.migrations[mi].to)?;
                let seed = self.payload.seeds[di].bip39_seed()?;
                let new_signer = Signer::new(&seed, row.chain, row.path()?)?;
                drop(seed);
                if new_signer.address() != row.new_address {
                    return Err(GuardError::BadPlanAddress.into());
                }
                let once = signed.signed_tx.clone().unwrap_or_default();
                let again = sign::decode(
                    &SignRequest::new(row.chain, sign::Payload::Transaction(once)).with_network(network.clone()),
                )?;
                let second = new_signer.sign(&again, Blind::Refuse)?;
                records.push(second.log_record());
                signed.signed_tx = second.signed_tx;
            }
        }
        let (tx_id, tx, network) = match (&signed.summary.details, &request.payload) {
            (Details::IotaSui(_), payload @ (sign::Payload::Transaction(_) | sign::Payload::TransactionBytes(_))) => {
                let bytes =
                    match payload {
                        sign::Payload::TransactionBytes(bytes) => bytes.clone(),
                        sign::Payload::Transaction(text) => base64::engine::general_purpose::STANDARD
                            .decode(text.trim())
                            .map_err(|_| GuardError::NotASweep { what: "input that is not base64".into() })?,
                        _ => return Err(GuardError::NotASweep { what: "this input".into() }.into()),
                    };
                (
                    migrate::iota_sui_digest(&bytes),
                    base64::engine::general_purpose::STANDARD.encode(&bytes),
                    String::new(),
                )
            }
            (Details::Solana(_), _) => {
                (signed.signature.clone(), signed.signed_tx.clone().unwrap_or_default(), String::new())
            }
            (Details::Stellar(_, network), _) => (
                hex::encode(&signed.digest),
                signed.signed_tx.clone().unwrap_or_default(),
                network.passphrase().to_owned(),
            ),
            _ => return Err(GuardError::NotASweep { what: "this input".into() }.into()),
        };
        let receipt = Receipt {
            row: ri,
            chain: row.chain,
            time: now(),
            tx_id,
            signature: signed.signature.clone(),
            tx,
            network,
            sent: None,
            sweep,
        };
        let mut record = signed.log_record();
        record.summary = format!("migration sweep: {}", record.summary);
        for r in &mut records {
            r.summary = format!("migration sweep (new account's signature): {}", r.summary);
        }
        records.insert(0, record);
        let before_state = row.state;
        {
            let m = &mut self.payload.migrations[mi];
            m.receipts.push(receipt.clone());
            m.rows[ri].state = RowState::Signed;
        }
        if let Err(e) = self.log_records(records) {
            let m = &mut self.payload.migrations[mi];
            m.receipts.pop();
            m.rows[ri].state = before_state;
            return Err(e);
        }
        Ok(receipt)
    }

    /// Records that Coffer sent the signed sweep `tx_id` of the migration from `from` to `network` (coffer-net's
    /// name: `mainnet`, `testnet`, `devnet`, `localnet`; cut to 16 bytes) through `endpoint` (cut to 1024 bytes),
    /// and whether the network confirmed it, on its receipt (a confirmation is never taken back by a later "sent";
    /// a "sent" after a failure clears it: the transaction was sent again and taken); then its row's state follows
    /// (its newest sent sweep decides, see [`Receipt::sweep`]) and the vault is saved (atomically, as every save). Front ends call it as soon as
    /// the network took the transaction and again once it is confirmed, so that a crash in between loses nothing:
    /// the vault is the record of how far each row got (`coffer migrate status`/`report`, the app's wizard).
    ///
    /// # Errors
    /// As [`Vault::migration`]; [`MigrateError::UnknownReceipt`] when no receipt has that id; errors of
    /// [`Vault::save`] (nothing changes then).
    pub fn record_sent(
        &mut self,
        from: &str,
        tx_id: &str,
        network: &str,
        endpoint: &str,
        confirmed: bool,
    ) -> Result<RowState, VaultError> {
        self.record_outcome(from, tx_id, network, endpoint, if confirmed { Outcome::Confirmed } else { Outcome::Sent })
    }

    /// Records that the signed sweep `tx_id` did not and will not go through: the network reported it failed on
    /// chain, or the endpoint refused it when Coffer sent it (a failed simulation, an expired blockhash, funds no
    /// longer there); `reason` is what the network said (cut to [`migrate::MAX_FAILURE_REASON`] bytes). Its row
    /// becomes [`RowState::Failed`] when the transaction is of the row's newest sent sweep: what it would have moved
    /// is still at the old address, and sweeping the row again (a new sweep) is the way on; once that sweep is
    /// confirmed, the row is. A confirmed transaction is never marked failed (the row is unchanged then). Saves as
    /// [`Vault::record_sent`].
    ///
    /// # Errors
    /// As [`Vault::record_sent`].
    pub fn record_failed(
        &mut self,
        from: &str,
        tx_id: &str,
        network: &str,
        endpoint: &str,
        reason: &str,
    ) -> Result<RowState, VaultError> {
        self.record_outcome(from, tx_id, network, endpoint, Outcome::Failed(reason))
    }

    fn record_outcome(
        &mut self,
        from: &str,
        tx_id: &str,
        network: &str,
        endpoint: &str,
        outcome: Outcome<'_>,
    ) -> Result<RowState, VaultError> {
        let mi = self.migration_index(from)?;
        let m = &self.payload.migrations[mi];
        let ci = m
            .receipts
            .iter()
            .rposition(|r| r.tx_id == tx_id)
            .ok_or_else(|| MigrateError::UnknownReceipt { tx_id: tx_id.chars().take(100).collect() })?;
        let ri = m.receipts[ci].row;
        let (mut network, mut endpoint) = (network.to_owned(), endpoint.to_owned());
        super::truncate_at_char(&mut network, super::format::MAX_SENT_NETWORK);
        super::truncate_at_char(&mut endpoint, super::format::MAX_MIGRATION_TEXT);
        let before_sent = m.receipts[ci].sent.clone();
        let was_confirmed = before_sent.as_ref().is_some_and(|s| s.confirmed);
        let (confirmed, failed) = match outcome {
            _ if was_confirmed => (true, None),
            Outcome::Sent => (false, None),
            Outcome::Confirmed => (true, None),
            Outcome::Failed(reason) => {
                let mut reason = reason.trim().to_owned();
                super::truncate_at_char(&mut reason, migrate::MAX_FAILURE_REASON);
                (false, Some(reason))
            }
        };
        let sent = Some(migrate::Sent { confirmed, failed, network, endpoint, time: now() });
        let before_state = m.rows[ri].state;
        self.commit(
            |v| {
                let m = &mut v.payload.migrations[mi];
                m.receipts[ci].sent = sent;
                m.rows[ri].state = row_state(&m.receipts, ri).unwrap_or(before_state);
            },
            |v| {
                let m = &mut v.payload.migrations[mi];
                m.receipts[ci].sent = before_sent;
                m.rows[ri].state = before_state;
            },
        )?;
        Ok(self.payload.migrations[mi].rows[ri].state)
    }

    /// The migration from `from` whose receipts hold `tx_id`, if any (for `coffer broadcast --from`).
    ///
    /// # Errors
    /// As [`Vault::migration`].
    pub fn has_receipt(&self, from: &str, tx_id: &str) -> Result<bool, VaultError> {
        let mi = self.migration_index(from)?;
        Ok(self.payload.migrations[mi].receipts.iter().any(|r| r.tx_id == tx_id))
    }

    /// Everything about the migration from `from`, with the manual steps people must do themselves.
    ///
    /// # Errors
    /// As [`Vault::migration`].
    pub fn migration_report(&self, from: &str) -> Result<Report, VaultError> {
        let m = self.migration(from)?;
        let di = self.seed_index(m.to)?;
        let mut manual_steps = Vec::new();
        for r in m.rows.iter().filter(|r| !r.note.is_empty()) {
            let path = r.path().map(|p| p.to_string()).unwrap_or_default();
            manual_steps.push(format!("{} {path} ({}): {}", r.chain, r.old_address, r.note));
        }
        if !m.rows.iter().any(|r| r.chain == Chain::IotaStardust) {
            manual_steps.push(format!("iota-stardust: not planned; {}", migrate::STARDUST_REASON));
        }
        manual_steps.push(
            "a sweep built from holdings (`migrate sweep --holdings` or `--online`) moves every token, trustline asset \
             and object Coffer can move and lists what stays; a lone transfer or merge (the sweep's manual flags or a \
             given transaction) moves only what it names: check that every old address holds nothing more"
                .to_owned(),
        );
        Ok(Report {
            from: from.to_owned(),
            to: self.payload.seeds[di].label.clone(),
            backup_checked: self.payload.seeds[di].backup_checked,
            migration: m,
            manual_steps,
        })
    }
}

/// What the network said of a sent sweep transaction.
#[cfg(feature = "migrate")]
#[derive(Debug, Clone, Copy)]
enum Outcome<'a> {
    Sent,
    Confirmed,
    Failed(&'a str),
}

/// The state of row `ri` from what was recorded of its receipts' sending: its newest sweep ([`Receipt::sweep`])
/// of which Coffer sent a transaction decides. [`RowState::Failed`] when one of that sweep's transactions failed,
/// [`RowState::Confirmed`] when every one of them is confirmed (one never sent counts as not confirmed), else
/// [`RowState::Broadcast`]. `None` when Coffer sent none of the row's transactions (the state signing left stands).
/// An older sweep that never landed no longer counts once a newer one was sent; a newer one signed but not sent
/// does not count yet.
#[cfg(feature = "migrate")]
pub(crate) fn row_state(receipts: &[Receipt], ri: usize) -> Option<RowState> {
    let of_row = || receipts.iter().filter(move |c| c.row == ri);
    let decisive = of_row().filter(|c| c.sent.is_some()).map(|c| c.sweep).max()?;
    let sweep = || of_row().filter(move |c| c.sweep == decisive);
    if sweep().any(|c| c.sent.as_ref().is_some_and(|s| s.failed.is_some())) {
        Some(RowState::Failed)
    } else if sweep().all(|c| c.sent.as_ref().is_some_and(|s| s.confirmed)) {
        Some(RowState::Confirmed)
    } else {
        Some(RowState::Broadcast)
    }
}
