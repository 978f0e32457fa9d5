//! Slow work off the UI thread: a named worker thread (`coffer-worker`) runs one job at a time and wakes the UI
//! when a result is ready. The UI shows a spinner meanwhile and never blocks on it.
//!
//! The jobs are Argon2 work (creating, unlocking and upgrading the vault) and anything that saves the vault (an
//! atomic write with fsync). An open [`Vault`] moves into the job and comes back in its [`Outcome`]; if the UI
//! cancelled the job meanwhile (locking), the thread drops the outcome itself, so the vault's memory is wiped and
//! its file lock released at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use coffer_core::secret::SecretString;
use coffer_core::vault::{
    AccountSettings, KdfCost, KdfParams, OpenError, OpenOptions, Rekeyed, Vault, VaultError, escape_label,
};
use coffer_core::{Account, AccountIndex, AddressIndex, Blind, Chain, Mnemonic, SeedInfo, SignRequest, Signed};
use coffer_keyring::Keyring;

/// The chains the app shows, in order.
pub const CHAINS: [Chain; 5] = [Chain::Iota, Chain::Sui, Chain::IotaStardust, Chain::Solana, Chain::Stellar];

/// How the vault's Argon2 parameters are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfChoice {
    /// Measure this machine so that unlocking takes about one second (never below the policy).
    Calibrate,
    /// Measure this machine so that unlocking takes about three seconds (the "stronger" setting).
    CalibrateStronger,
    /// Use these (tests use the policy minimum to keep them short; never weaker than the policy).
    Fixed(KdfParams),
}

impl KdfChoice {
    /// The parameters (calibrating takes about a second).
    ///
    /// # Errors
    /// If calibration fails.
    pub fn params(self) -> Result<KdfParams, VaultError> {
        match self {
            Self::Calibrate => KdfParams::calibrate(Duration::from_secs(1)),
            Self::CalibrateStronger => KdfParams::calibrate(Duration::from_secs(3)),
            Self::Fixed(p) => Ok(p),
        }
    }
}

/// What to do with an open vault.
#[derive(Debug)]
pub enum VaultTask {
    /// Store a seed. With `backup_checked`, the user has just passed the backup check, so it is marked as such.
    AddSeed {
        /// The mnemonic.
        mnemonic: Mnemonic,
        /// The BIP39 passphrase (`""` for none).
        passphrase: SecretString,
        /// Whether the backup check was passed.
        backup_checked: bool,
    },
    /// The dry-run backup check: do these words (and passphrase) give exactly the stored seed? A match marks the
    /// seed's backup as checked.
    Verify {
        /// The words typed from the backup.
        mnemonic: Mnemonic,
        /// The BIP39 passphrase (`""` for none).
        passphrase: SecretString,
    },
    /// Replace the seed's account settings (addresses shown, labels).
    SetAccountSettings(AccountSettings),
    /// Only derive the seed's accounts.
    Show,
    /// Decode `request` again (the same bytes give the summary that was shown) and sign it with the key at the
    /// chain's standard path for `account`/`index`; the vault logs it and saves before the signature comes back.
    Sign {
        /// What to sign.
        request: SignRequest,
        /// The account number.
        account: u32,
        /// The address index.
        index: u32,
        /// Whether content Coffer could not decode may be signed (the user confirmed it explicitly).
        blind: Blind,
    },
    /// Give the seed another label (the view then shows the renamed seed).
    Rename(String),
    /// Read the seed's recovery words, to show them again, after checking the vault password (one key derivation):
    /// an open vault, perhaps opened by quick unlock, is not enough.
    RecoveryWords(SecretString),
    /// Remove the seed from the vault after checking the vault password (one key derivation): an open vault,
    /// perhaps opened by quick unlock, is not enough.
    Remove(SecretString),
    /// Mark the seed compromised. Quick unlock goes too: the device slot, then its entry in the keyring.
    MarkCompromised {
        /// The keyring whose entry is deleted (`None`: the OS keyring).
        keyring: Option<Keyring>,
    },
    /// Clear the seed's compromised mark after checking the vault password (one key derivation).
    Unmark(SecretString),
    /// Re-encrypt the vault under a new password with new KDF parameters, after checking the current password
    /// (one key derivation; a wrong one changes nothing). Quick unlock is turned off first: the new file has no
    /// device slot.
    ChangePassword {
        /// The current password.
        current: SecretString,
        /// The new password.
        password: SecretString,
        /// How to pick the parameters.
        kdf: KdfChoice,
        /// The keyring whose entry is deleted (`None`: the OS keyring).
        keyring: Option<Keyring>,
    },
    /// Start migrating the (compromised) seed to a destination.
    StartMigration(coffer_core::migrate::Destination),
    /// Answer the migration's backup challenge.
    AnswerChallenge(Vec<SecretString>),
    /// Add rows to the migration's plan.
    Plan(coffer_core::migrate::Selection),
    /// Add rows for accounts found used past the plan (chain, account; address index 0).
    PlanAccounts(Vec<(Chain, u32)>),
    /// Sign a sweep if the destination guard accepts it.
    SignSweep(SignRequest),
    /// Sign every transaction of a complete sweep in order (the guard runs on each), after recording on its row
    /// what stays (the report lists it).
    SignSweeps {
        /// The transactions, in order.
        requests: Vec<SignRequest>,
        /// The row's chain, account and index, and what stays (`None`: nothing).
        stays: Option<(Chain, u32, u32, String)>,
    },
    /// Record what the network said about signed sweeps: each transaction id with where it was sent and whether it
    /// is confirmed.
    RecordBroadcast(Vec<(String, coffer_core::migrate::Sent)>),
    /// Check the vault password (one key derivation) so that the vault can seal a new key for it, then do `task`:
    /// after a quick unlock, the tasks that remove a way in need this.
    WithPassword {
        /// The vault password.
        password: SecretString,
        /// What to do once it is confirmed.
        task: Box<VaultTask>,
    },
    /// Add an entry to the address book.
    AddContact {
        /// The chain.
        chain: Chain,
        /// Its label.
        label: String,
        /// The address as typed.
        address: String,
    },
    /// Remove an entry from the address book.
    RemoveContact {
        /// The chain.
        chain: Chain,
        /// Its label.
        label: String,
    },
    /// Move the vault (with its backup, log archive and lock) into this directory.
    MoveVault(PathBuf),
    /// Turn quick unlock on (`true`) or off, or only report its status (`None`).
    QuickUnlock {
        /// On, off, or status only.
        enable: Option<bool>,
        /// The keyring (`None`: the OS keyring).
        keyring: Option<Keyring>,
    },
}

/// What a task produced besides the vault and the view.
#[derive(Debug, Default)]
pub enum Done {
    /// Nothing more.
    #[default]
    Nothing,
    /// A signing attempt: the signature (public data) or why it failed.
    Signed(Result<Signed, String>),
    /// Quick unlock's status, in words.
    QuickUnlock(String),
    /// The receipts of a complete sweep's transactions signed (all of them, or those before the failure) and why
    /// the rest were not.
    SweepSigned(Vec<coffer_core::migrate::Receipt>, Option<String>),
    /// A migration started: a fresh destination's words (show them once), or why it did not start.
    Started(Result<Option<Mnemonic>, String>),
    /// The recovery words asked for with [`VaultTask::RecoveryWords`] (the password was right).
    Words(Mnemonic),
    /// Opened with the password: the vault's state as read, before a key-derivation upgrade saved it (the rollback
    /// check must compare the file as it was).
    Unlocked(coffer_core::vault::SeenState),
    /// The vault was moved (asked with [`VaultTask::MoveVault`]).
    Moved(coffer_core::vault::Moved),
    /// The task gives the vault a new key, which only the password can seal, and the vault was opened with quick
    /// unlock: nothing changed. Ask for the password and submit the task again in [`VaultTask::WithPassword`].
    PasswordNeeded,
}

/// Work for the worker thread. Secrets move in and are dropped (wiped) there.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one job per submit, moved once: boxing would buy nothing
pub enum Job {
    /// Create an empty vault.
    Create {
        /// Where.
        path: PathBuf,
        /// The new password.
        password: SecretString,
        /// How to pick the KDF parameters.
        kdf: KdfChoice,
    },
    /// Open the vault with its password (and upgrade a vault weaker than the policy).
    Unlock {
        /// Where.
        path: PathBuf,
        /// The password.
        password: SecretString,
        /// How to pick parameters for an upgrade.
        kdf: KdfChoice,
        /// Run the key derivation even if the header asks for far more than the policy (the person agreed).
        allow_expensive_kdf: bool,
    },
    /// Open the vault with the device key from the OS keyring, if quick unlock is on for it.
    QuickUnlock {
        /// Where.
        path: PathBuf,
        /// The keyring (`None`: the OS keyring).
        keyring: Option<Keyring>,
    },
    /// Derive the addresses of accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`] of each chain of the old seed
    /// `from` (public data; the seed is dropped, so wiped, here), for the migration wizard's gap scan past the plan.
    DiscoveryAddresses {
        /// The old seed's BIP39 seed.
        seed: coffer_core::Seed,
        /// The migration's old seed.
        from: String,
        /// The chains, each with the first account the scan asks about.
        chains: Vec<(Chain, u32)>,
    },
    /// Do `task` on the seed labelled `label` of an open vault, then derive its accounts.
    Vault {
        /// The open vault (comes back in the outcome).
        vault: Vault,
        /// The seed.
        label: String,
        /// What to do.
        task: VaultTask,
    },
}

/// What the app shows about a seed (from [`SeedInfo`]; public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    /// The label.
    pub label: String,
    /// 12 to 24.
    pub word_count: usize,
    /// Whether a BIP39 passphrase is stored with it.
    pub has_passphrase: bool,
    /// Marked compromised.
    pub compromised: bool,
    /// The backup check was passed.
    pub backup_checked: bool,
}

impl From<SeedInfo> for SeedSummary {
    fn from(i: SeedInfo) -> Self {
        Self {
            label: i.label,
            word_count: i.word_count,
            has_passphrase: i.has_passphrase,
            compromised: i.compromised,
            backup_checked: i.backup_checked,
        }
    }
}

/// A seed's accounts as shown: public data only.
#[derive(Debug, Clone)]
pub struct SeedView {
    /// The seed's public facts.
    pub info: SeedSummary,
    /// The labels of every seed of the vault (for switching).
    pub all: Vec<String>,
    /// The account settings (views and labels).
    pub settings: AccountSettings,
    /// The accounts shown, per chain in [`CHAINS`] order, at the [`positions`] of `settings`.
    pub accounts: Vec<(Chain, Vec<Account>)>,
}

/// A finished job.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one outcome per job, moved once: boxing would buy nothing
pub enum Outcome {
    /// The vault is open (again), with the view of a seed if there is one to show.
    Vault {
        /// The open vault.
        vault: Vault,
        /// The seed to show: the one the job was about, else the first.
        view: Option<SeedView>,
        /// What to tell the user: the result of a check, or what went wrong if the task failed (the vault is still
        /// open and unchanged then).
        notice: Option<String>,
        /// What the task produced for the screen that asked (a signature).
        done: Done,
    },
    /// The password does not open the vault.
    WrongPassword,
    /// The vault's key derivation is far above the policy and was not run: ask, showing `cost`. The password comes
    /// back so the person need not type it again.
    ExpensiveKdf {
        /// What the header asks for, and the estimate.
        cost: KdfCost,
        /// The password that was typed.
        password: SecretString,
    },
    /// Quick unlock did not open the vault: `None` when it is off, else why it failed (ask for the password).
    QuickUnlock(Option<String>),
    /// The addresses asked for with [`Job::DiscoveryAddresses`]: per chain, the first account to ask about and the
    /// addresses of accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`].
    DiscoveryAddresses {
        /// The migration's old seed.
        from: String,
        /// Each chain, its first account and its addresses.
        chains: Vec<(Chain, u32, Vec<String>)>,
    },
    /// The job failed before a vault was open; the message holds no secret.
    Failed(String),
}

/// How many accounts `settings` shows for `chain` (at least one).
#[must_use]
pub fn shown(settings: &AccountSettings, chain: Chain) -> u32 {
    settings.views.iter().find(|v| v.chain == chain).map_or(1, |v| v.accounts).max(1)
}

/// The (account, index) of every address `settings` shows for `chain`, in order.
///
/// The app steps the *account* level, as the chains' own wallets number accounts (the IOTA wallet derives account
/// `n` at `m/44'/4218'/n'/0'/0'`, the Sui wallet at `m/44'/784'/n'/0'/0'`): accounts `0..accounts` at index 0.
/// Older versions of the app stepped the address index of IOTA, Sui and Stardust instead (a view with
/// `accounts: 1, indices: n`, labels at `(0, i)`): account 0's indices `1..indices` and every labelled position
/// stay shown, so no address a user already used disappears.
#[must_use]
pub fn positions(settings: &AccountSettings, chain: Chain) -> Vec<(u32, u32)> {
    let mut out = std::collections::BTreeSet::new();
    out.extend((0..shown(settings, chain)).map(|a| (a, 0)));
    if chain.uses_index() {
        let indices = settings.views.iter().find(|v| v.chain == chain).map_or(1, |v| v.indices);
        out.extend((1..indices).map(|i| (0, i)));
        out.extend(settings.labels.iter().filter(|l| l.chain == chain).map(|l| (l.account, l.index)));
    } else {
        out.extend(settings.labels.iter().filter(|l| l.chain == chain).map(|l| (l.account, 0)));
    }
    out.into_iter().collect()
}

/// `settings` with one more account shown for `chain` (the address indices an older version showed stay).
#[must_use]
pub fn with_one_more(settings: &AccountSettings, chain: Chain) -> AccountSettings {
    let mut s = settings.clone();
    let accounts = shown(settings, chain) + 1;
    match s.views.iter_mut().find(|v| v.chain == chain) {
        Some(v) => v.accounts = accounts,
        None => s.views.push(coffer_core::vault::ChainView { chain, accounts, indices: 1 }),
    }
    s
}

/// `settings` with the label of `chain`'s address at (`account`, `index`) set (or removed when `label` is empty).
#[must_use]
pub fn with_label(settings: &AccountSettings, chain: Chain, account: u32, index: u32, label: &str) -> AccountSettings {
    let mut s = settings.clone();
    let index = if chain.uses_index() { index } else { 0 };
    s.labels.retain(|l| (l.chain, l.account, l.index) != (chain, account, index));
    let label = label.trim();
    if !label.is_empty() {
        s.labels.push(coffer_core::vault::AccountLabel { chain, account, index, label: label.to_owned() });
    }
    s
}

/// Derives the accounts `label`'s settings show.
fn view(vault: &Vault, label: &str) -> Result<SeedView, VaultError> {
    let info = vault.seed(label)?.into();
    let settings = vault.account_settings(label)?;
    let seed = vault.bip39_seed(label)?;
    let mut accounts = Vec::new();
    for chain in CHAINS {
        let list = positions(&settings, chain)
            .into_iter()
            .map(|(a, i)| chain.account(&seed, AccountIndex::new(a)?, AddressIndex::new(i)?))
            .collect::<Result<Vec<_>, _>>()?;
        accounts.push((chain, list));
    }
    Ok(SeedView { info, all: vault.seeds().into_iter().map(|s| s.label).collect(), settings, accounts })
}

fn first_view(vault: &Vault) -> Option<SeedView> {
    let first = vault.seeds().into_iter().next()?;
    view(vault, &first.label).ok()
}

/// Quick unlock's status for an open vault, in words.
fn quick_status(keyring: &Keyring, vault: &Vault) -> String {
    match keyring.status(vault.path()) {
        Ok(s) if !s.enabled() => "Quick unlock is off.".to_owned(),
        Ok(s) if s.ready() => "Quick unlock is on: the OS keyring holds the key.".to_owned(),
        Ok(s) => match s.problem {
            Some(p) => format!("Quick unlock is on, but the keyring cannot be asked: {p}"),
            None => "Quick unlock is on, but the keyring has no key for it: turn it off and on again.".to_owned(),
        },
        Err(e) => format!("The quick unlock status cannot be read: {e}"),
    }
}

/// Why a change that gives the vault a new key did not happen after a quick unlock.
fn password_needed(what: &str) -> String {
    format!(
        "{what} gives the vault a new key, which only the password can seal, and this session was opened with quick \
         unlock. Nothing was changed: type the vault password to go on."
    )
}

/// The warning for a `<vault>.bak` that still holds the previous generation.
fn stale_backup_text(vault: &Vault, e: &VaultError) -> String {
    format!(
        "Warning: the change is saved, but the backup file {} could not be replaced ({e}); it still opens with the \
         previous password or quick-unlock key: delete it.",
        coffer_core::vault::backup_path(vault.path()).display()
    )
}

/// `text`, followed by the stale-backup warning if `r` has one.
fn with_stale_backup(vault: &Vault, text: String, r: &Rekeyed) -> String {
    with_stale(vault, text, r.stale_backup.as_ref())
}

fn with_stale(vault: &Vault, text: String, stale: Option<&VaultError>) -> String {
    match stale {
        Some(e) => format!("{text} {}", stale_backup_text(vault, e)),
        None => text,
    }
}

fn run(job: Job) -> Outcome {
    match job {
        Job::DiscoveryAddresses { seed, from, chains } => {
            let chains = chains
                .into_iter()
                .map(|(c, first)| (c, first, crate::net::seed_discovery_addresses(&seed, c)))
                .collect();
            drop(seed);
            Outcome::DiscoveryAddresses { from, chains }
        }
        Job::QuickUnlock { path, keyring } => match keyring.unwrap_or_else(Keyring::os).try_unlock(&path) {
            Ok(Some(vault)) => {
                let view = first_view(&vault);
                let notice = Some("Opened with quick unlock (the key in the OS keyring).".to_owned());
                Outcome::Vault { vault, view, notice, done: Done::Nothing }
            }
            Ok(None) => Outcome::QuickUnlock(None),
            Err(e) => Outcome::QuickUnlock(Some(e.to_string())),
        },
        Job::Create { path, password, kdf } => {
            match kdf.params().and_then(|params| Vault::create(&path, &password, params)) {
                Ok(vault) => Outcome::Vault { vault, view: None, notice: None, done: Done::Nothing },
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
        Job::Unlock { path, password, kdf, allow_expensive_kdf } => match Vault::open_with_options(
            &path,
            &password,
            OpenOptions::default().allow_expensive_kdf(allow_expensive_kdf),
        ) {
            Ok(mut vault) => {
                let opened = vault.seen_state();
                let mut notice = None;
                if vault.needs_upgrade() {
                    // A vault weaker than the policy is strengthened on a successful unlock.
                    if let Err(e) = kdf.params().and_then(|p| vault.upgrade(&password, p)) {
                        notice = Some(format!("The vault opened, but strengthening its key derivation failed: {e}"));
                    }
                }
                let view = first_view(&vault);
                Outcome::Vault { vault, view, notice, done: Done::Unlocked(opened) }
            }
            Err(OpenError::WrongPassword) => Outcome::WrongPassword,
            Err(OpenError::ExpensiveKdf { cost }) => Outcome::ExpensiveKdf { cost, password },
            Err(e) => Outcome::Failed(e.to_string()),
        },
        Job::Vault { mut vault, label, task } => {
            let done: Result<Option<String>, VaultError> = match task {
                VaultTask::AddSeed { mnemonic, passphrase, backup_checked } => {
                    vault.add_seed(&label, &mnemonic, passphrase.expose()).and_then(|_| {
                        if backup_checked {
                            vault.verify_seed(&label, &mnemonic, passphrase.expose()).map(|_| None)
                        } else {
                            Ok(None)
                        }
                    })
                }
                VaultTask::Verify { mnemonic, passphrase } => {
                    vault.verify_seed(&label, &mnemonic, passphrase.expose()).map(|matched| {
                        Some(if matched {
                            "The words match this seed: its backup is checked.".to_owned()
                        } else {
                            "These words (with this passphrase) do not match this seed. Nothing was changed.".to_owned()
                        })
                    })
                }
                VaultTask::SetAccountSettings(s) => vault.set_account_settings(&label, s).map(|()| None),
                VaultTask::Show => Ok(None),
                VaultTask::Sign { request, account, index, blind } => {
                    let result = coffer_core::sign::decode(&request).map_err(|e| e.to_string()).and_then(|d| {
                        let at = AccountIndex::new(account).and_then(|a| Ok((a, AddressIndex::new(index)?)));
                        let (account, index) = at.map_err(|e| e.to_string())?;
                        vault.sign(&label, &d, account, index, blind).map_err(|e| e.to_string())
                    });
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice: None, done: Done::Signed(result) };
                }
                VaultTask::Rename(new) => {
                    let r = vault.rename_seed(&label, &new).map(|()| Some(format!("Renamed {label} to {new}.")));
                    let shown = if r.is_ok() { new } else { label.clone() };
                    let notice = r.unwrap_or_else(|e| Some(e.to_string()));
                    let view = view(&vault, &shown).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice, done: Done::Nothing };
                }
                VaultTask::RecoveryWords(password) => {
                    let (notice, done) = match vault.recovery_words(&label, &password) {
                        Ok(words) => (None, Done::Words(words)),
                        Err(VaultError::WrongPassword) => {
                            (Some("Wrong password: the words are not shown.".to_owned()), Done::Nothing)
                        }
                        Err(e) => (Some(e.to_string()), Done::Nothing),
                    };
                    drop(password);
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice, done };
                }
                VaultTask::Remove(password) => match vault.verify_password(&password) {
                    Err(VaultError::WrongPassword) => {
                        Ok(Some(format!("Wrong password: {label} was not removed. Nothing was changed.")))
                    }
                    checked => {
                        checked.and_then(|()| vault.remove_seed(&label)).map(|()| Some(format!("Removed {label}.")))
                    }
                },
                VaultTask::MarkCompromised { keyring } => {
                    // Only a vault with quick unlock on talks to the keyring: the mark removes the slot (under a new
                    // vault key), then the entry is deleted.
                    let marked = if vault.has_device_slot() {
                        keyring
                            .unwrap_or_else(Keyring::os)
                            .mark_compromised(&mut vault, &label)
                            .map(|d| (d.stale_backup, Some(d.entry)))
                    } else {
                        vault.mark_compromised(&label).map(|r| (r.stale_backup, None))
                    };
                    match marked {
                        Ok((stale, entry)) => {
                            let mut t = format!("{label} is marked compromised.");
                            match entry {
                                Some(coffer_keyring::EntryRemoval::Failed(e)) => t.push_str(&format!(
                                    " Quick unlock is off, but the key could not be deleted from the keyring ({e}); \
                                     delete it there by hand."
                                )),
                                Some(_) => t.push_str(" Quick unlock is off: the vault needs its password again."),
                                None => {}
                            }
                            Ok(Some(with_stale(&vault, t, stale.as_ref())))
                        }
                        Err(VaultError::PasswordRequired) => {
                            let notice = Some(password_needed("Marking a seed compromised"));
                            let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                            return Outcome::Vault { vault, view, notice, done: Done::PasswordNeeded };
                        }
                        Err(e) => Err(e),
                    }
                }
                VaultTask::WithPassword { password, task } => match vault.confirm_password(&password) {
                    Ok(()) => {
                        drop(password);
                        return run(Job::Vault { vault, label, task: *task });
                    }
                    Err(VaultError::WrongPassword) => {
                        let notice = Some("Wrong password: nothing was changed.".to_owned());
                        let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                        return Outcome::Vault { vault, view, notice, done: Done::PasswordNeeded };
                    }
                    Err(e) => Err(e),
                },
                VaultTask::Unmark(password) => vault
                    .unmark_compromised(&label, &password)
                    .map(|()| Some(format!("{label} is no longer marked compromised."))),
                VaultTask::ChangePassword { current, password, kdf, keyring } => {
                    match vault.verify_password(&current) {
                        // Checked first: nothing changes (quick unlock included) unless it is the vault's password.
                        Err(VaultError::WrongPassword) => {
                            Ok(Some("The current password is wrong: the password was not changed.".to_owned()))
                        }
                        Err(e) => Err(e),
                        Ok(()) => {
                            // The new password slot needs no old key, so this works after a quick unlock too: the
                            // device slots go with the old key, then their keyring entries are deleted.
                            let ids = vault.info().device_slot_ids;
                            kdf.params().and_then(|p| vault.change_password(&password, p)).map(|r| {
                                let p = vault.info();
                                let mut t = format!(
                                    "The password was changed; the key derivation now uses {} MiB and {} passes.",
                                    p.memory_kib / 1024,
                                    p.passes
                                );
                                if !ids.is_empty() {
                                    t.push_str(" Quick unlock was turned off: turn it on again if you want it.");
                                    let entry = keyring.unwrap_or_else(Keyring::os).delete_entries(&ids);
                                    if let coffer_keyring::EntryRemoval::Failed(e) = entry {
                                        t.push_str(&format!(
                                            " Its key could not be deleted from the keyring ({e}); delete it there by \
                                             hand."
                                        ));
                                    }
                                }
                                Some(with_stale_backup(&vault, t, &r))
                            })
                        }
                    }
                }
                VaultTask::AddContact { chain, label: name, address } => vault
                    .add_contact(chain, &name, &address)
                    .map(|c| Some(format!("Added {} ({chain}) to the address book.", escape_label(&c.label)))),
                VaultTask::RemoveContact { chain, label: name } => vault
                    .remove_contact(chain, &name)
                    .map(|c| Some(format!("Removed {} ({chain}) from the address book.", escape_label(&c.label)))),
                VaultTask::MoveVault(dir) => {
                    let (notice, done) = match vault.move_to(&dir) {
                        Ok(moved) => (None, Done::Moved(moved)),
                        Err(e) => (Some(format!("The vault was not moved: {e}. It is where it was.")), Done::Nothing),
                    };
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice, done };
                }
                VaultTask::StartMigration(to) => {
                    let started = vault.start_migration(&label, &to).map(|s| s.mnemonic).map_err(|e| e.to_string());
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice: None, done: Done::Started(started) };
                }
                VaultTask::AnswerChallenge(answers) => vault.answer_backup_challenge(&label, &answers).map(|ok| {
                    Some(if ok {
                        "The words match: the destination's backup is checked.".to_owned()
                    } else {
                        "Those words do not match. Look at your written backup again: new positions are asked."
                            .to_owned()
                    })
                }),
                VaultTask::Plan(selection) => vault
                    .plan_migration(&label, &selection)
                    .map(|rows| Some(format!("The plan has {} rows.", rows.len()))),
                VaultTask::PlanAccounts(accounts) => vault
                    .plan_accounts(&label, &accounts)
                    .map(|rows| Some(format!("Added the found accounts: the plan has {} rows.", rows.len()))),
                VaultTask::SignSweeps { requests, stays } => {
                    let mut receipts = Vec::with_capacity(requests.len());
                    let mut error = None;
                    if let Some((chain, account, index, note)) = stays
                        && let Err(e) = AccountIndex::new(account)
                            .and_then(|a| Ok((a, AddressIndex::new(index)?)))
                            .map_err(VaultError::from)
                            .and_then(|(a, i)| vault.note_manual_step(&label, chain, a, i, &note))
                    {
                        error = Some(e.to_string());
                    }
                    // One sweep: its transactions are judged together once sent (Vault::sign_sweeps).
                    if error.is_none()
                        && let Err(e) = vault.sign_sweeps(&label, &requests, &mut receipts)
                    {
                        error = Some(e.to_string());
                    }
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    return Outcome::Vault { vault, view, notice: None, done: Done::SweepSigned(receipts, error) };
                }
                VaultTask::RecordBroadcast(records) => {
                    let mut result = Ok(None);
                    for (tx_id, sent) in &records {
                        let recorded = match &sent.failed {
                            Some(why) => vault.record_failed(&label, tx_id, &sent.network, &sent.endpoint, why),
                            None => vault.record_sent(&label, tx_id, &sent.network, &sent.endpoint, sent.confirmed),
                        };
                        if let Err(e) = recorded {
                            result = Err(e);
                            break;
                        }
                    }
                    result
                }
                VaultTask::SignSweep(request) => vault.sign_sweep(&label, &request).map(|r| {
                    Some(format!("Sweep signed (transaction id {}). Broadcast it with the command below.", r.tx_id))
                }),
                VaultTask::QuickUnlock { enable, keyring } => {
                    let keyring = keyring.unwrap_or_else(Keyring::os);
                    let mut needed = false;
                    let notice = match enable {
                        Some(true) => match keyring.enable(&mut vault) {
                            Ok(_) => Some("Quick unlock is on.".to_owned()),
                            Err(coffer_keyring::EnableError::Vault(VaultError::PasswordRequired)) => {
                                needed = true;
                                Some(password_needed("Renewing quick unlock"))
                            }
                            Err(e) => Some(format!("Quick unlock could not be turned on: {e}")),
                        },
                        Some(false) => match keyring.disable(&mut vault) {
                            Ok(d) => {
                                let text = match d.entry {
                                    coffer_keyring::EntryRemoval::Failed(e) => format!(
                                        "Quick unlock is off, but the key could not be deleted from the keyring \
                                         ({e}); delete it there by hand."
                                    ),
                                    _ => "Quick unlock is off.".to_owned(),
                                };
                                Some(match &d.stale_backup {
                                    Some(e) => format!("{text} {}", stale_backup_text(&vault, e)),
                                    None => text,
                                })
                            }
                            Err(VaultError::PasswordRequired) => {
                                needed = true;
                                Some(password_needed("Turning quick unlock off"))
                            }
                            Err(e) => Some(format!("Quick unlock could not be turned off: {e}")),
                        },
                        None => None,
                    };
                    let status = quick_status(&keyring, &vault);
                    let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
                    let done = if needed { Done::PasswordNeeded } else { Done::QuickUnlock(status) };
                    return Outcome::Vault { vault, view, notice, done };
                }
            };
            let notice = done.unwrap_or_else(|e| Some(e.to_string()));
            let view = view(&vault, &label).ok().or_else(|| first_view(&vault));
            Outcome::Vault { vault, view, notice, done: Done::Nothing }
        }
    }
}

/// The handle the UI keeps: submit a job, poll for its outcome.
#[derive(Debug)]
pub struct Worker {
    jobs: Sender<(u64, Job)>,
    outcomes: Receiver<(u64, Outcome)>,
    /// The id of the job whose outcome the UI waits for (0: none); shared so the thread can drop stale outcomes.
    wanted: Arc<AtomicU64>,
    next_id: u64,
}

impl Worker {
    /// Starts the `coffer-worker` thread. `wake` is called after each job (the app passes
    /// `egui::Context::request_repaint`).
    ///
    /// # Errors
    /// If the operating system cannot start a thread.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (jobs, job_rx) = mpsc::channel::<(u64, Job)>();
        let (out_tx, outcomes) = mpsc::channel();
        let wanted = Arc::new(AtomicU64::new(0));
        let still_wanted = Arc::clone(&wanted);
        thread::Builder::new().name("coffer-worker".into()).spawn(move || {
            for (id, job) in job_rx {
                let outcome = run(job);
                if still_wanted.load(Ordering::SeqCst) != id {
                    // Cancelled: drop the outcome here (wipes any vault and releases its lock).
                    continue;
                }
                if out_tx.send((id, outcome)).is_err() {
                    break;
                }
                wake();
            }
        })?;
        Ok(Self { jobs, outcomes, wanted, next_id: 0 })
    }

    /// Hands a job to the thread; its outcome replaces any outstanding one.
    pub fn submit(&mut self, job: Job) {
        self.drain_stale();
        self.next_id += 1;
        self.wanted.store(self.next_id, Ordering::SeqCst);
        if self.jobs.send((self.next_id, job)).is_err() {
            self.wanted.store(0, Ordering::SeqCst);
        }
    }

    /// Whether a job is running.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.wanted.load(Ordering::SeqCst) != 0
    }

    /// Forgets the outstanding job: its outcome (and any secret in it) is dropped.
    pub fn cancel(&mut self) {
        self.wanted.store(0, Ordering::SeqCst);
        self.drain_stale();
    }

    /// Drops every outcome already delivered but not polled (they belong to superseded or cancelled jobs).
    fn drain_stale(&mut self) {
        while self.outcomes.try_recv().is_ok() {}
    }

    /// The outcome of the outstanding job, if it has finished.
    pub fn poll(&mut self) -> Option<Outcome> {
        let wanted = self.wanted.load(Ordering::SeqCst);
        while let Ok((id, outcome)) = self.outcomes.try_recv() {
            if id == wanted && wanted != 0 {
                self.wanted.store(0, Ordering::SeqCst);
                return Some(outcome);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn wait(w: &mut Worker) -> Outcome {
        let t0 = Instant::now();
        loop {
            if let Some(o) = w.poll() {
                return o;
            }
            assert!(t0.elapsed() < Duration::from_secs(60), "worker timed out");
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// A vault path in a fresh directory that the returned guard removes.
    fn temp_vault_path(name: &str) -> (coffer_test_util::TempDir, PathBuf) {
        let dir = coffer_test_util::TempDir::new(&format!("gui-worker-{name}"));
        let path = dir.join("vault.coffer");
        (dir, path)
    }

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    /// The policy's floor: the weakest parameters the app accepts, quick enough for tests.
    fn kdf() -> KdfChoice {
        KdfChoice::Fixed(KdfParams::policy_minimum())
    }

    #[test]
    fn create_add_unlock_on_the_named_thread() {
        let (_dir, path) = temp_vault_path("flow");
        let (tx, rx) = mpsc::channel();
        let mut w = Worker::spawn(move || {
            let _ = tx.send(thread::current().name().map(str::to_owned));
        })
        .unwrap();
        w.submit(Job::Create { path: path.clone(), password: pw("correct horse"), kdf: kdf() });
        assert!(w.busy());
        let Outcome::Vault { vault, view: None, notice: None, .. } = wait(&mut w) else { panic!("create failed") };
        assert_eq!(rx.recv().unwrap().as_deref(), Some("coffer-worker"));
        let mnemonic = Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap();
        let task = VaultTask::AddSeed { mnemonic, passphrase: pw(""), backup_checked: true };
        w.submit(Job::Vault { vault, label: "Seed 1".into(), task });
        let Outcome::Vault { vault, view: Some(view), notice: None, .. } = wait(&mut w) else { panic!("add failed") };
        assert!(view.info.backup_checked);
        assert_eq!(view.accounts.len(), CHAINS.len());
        let iota0 = view.accounts[0].1[0].address.clone();
        let more = with_one_more(&view.settings, Chain::Iota);
        w.submit(Job::Vault { vault, label: "Seed 1".into(), task: VaultTask::SetAccountSettings(more) });
        let Outcome::Vault { vault, view: Some(view), .. } = wait(&mut w) else { panic!("settings failed") };
        assert_eq!(view.accounts[0].1.len(), 2);
        drop(vault);

        w.submit(Job::Unlock { path: path.clone(), password: pw("wrong"), kdf: kdf(), allow_expensive_kdf: false });
        assert!(matches!(wait(&mut w), Outcome::WrongPassword));
        w.submit(Job::Unlock {
            path: path.clone(),
            password: pw("correct horse"),
            kdf: kdf(),
            allow_expensive_kdf: false,
        });
        let Outcome::Vault { view: Some(view), .. } = wait(&mut w) else { panic!("unlock failed") };
        assert_eq!(view.accounts[0].1[0].address, iota0);
        assert_eq!(view.accounts[0].1.len(), 2);
    }

    #[test]
    fn cancelled_outcomes_release_the_vault() {
        let (_dir, path) = temp_vault_path("cancel");
        let mut w = Worker::spawn(|| {}).unwrap();
        w.submit(Job::Create { path: path.clone(), password: pw("pw"), kdf: kdf() });
        w.cancel();
        assert!(!w.busy());
        // The cancelled job's vault is dropped by the thread, so its lock is free for the next job.
        w.submit(Job::Unlock { path: path.clone(), password: pw("pw"), kdf: kdf(), allow_expensive_kdf: false });
        assert!(matches!(wait(&mut w), Outcome::Vault { .. }));
    }

    #[test]
    fn quick_unlock_on_the_worker() {
        let (_dir, path) = temp_vault_path("quick");
        let mut w = Worker::spawn(|| {}).unwrap();
        let keyring = Keyring::with_store(keyring_core::mock::Store::new().unwrap());
        w.submit(Job::Create { path: path.clone(), password: pw("pw"), kdf: kdf() });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("create failed") };
        // Off: try_unlock says nothing, the password prompt stays.
        drop(vault);
        w.submit(Job::QuickUnlock { path: path.clone(), keyring: Some(keyring.clone()) });
        assert!(matches!(wait(&mut w), Outcome::QuickUnlock(None)));
        w.submit(Job::Unlock { path: path.clone(), password: pw("pw"), kdf: kdf(), allow_expensive_kdf: false });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("unlock failed") };
        let task = VaultTask::QuickUnlock { enable: Some(true), keyring: Some(keyring.clone()) };
        w.submit(Job::Vault { vault, label: String::new(), task });
        let Outcome::Vault { vault, notice, done: Done::QuickUnlock(status), .. } = wait(&mut w) else {
            panic!("enable failed")
        };
        assert_eq!(notice.as_deref(), Some("Quick unlock is on."));
        assert!(status.contains("the OS keyring holds the key"), "{status}");
        drop(vault);
        // On: the vault opens without its password.
        w.submit(Job::QuickUnlock { path: path.clone(), keyring: Some(keyring.clone()) });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("quick unlock failed") };
        // What removes a way in gives the vault a new key, which a quick unlock cannot seal for the password:
        // nothing changes, and the notice says how to do it.
        let mnemonic = Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap();
        let task = VaultTask::AddSeed { mnemonic, passphrase: pw(""), backup_checked: false };
        w.submit(Job::Vault { vault, label: "s".into(), task });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("add failed") };
        let task = VaultTask::QuickUnlock { enable: Some(false), keyring: Some(keyring.clone()) };
        w.submit(Job::Vault { vault, label: "s".into(), task });
        let Outcome::Vault { vault, notice: Some(n), done: Done::PasswordNeeded, .. } = wait(&mut w) else {
            panic!("disable")
        };
        assert!(n.starts_with("Turning quick unlock off gives the vault a new key"), "{n}");
        assert!(vault.has_device_slot());
        w.submit(Job::Vault {
            vault,
            label: "s".into(),
            task: VaultTask::MarkCompromised { keyring: Some(keyring.clone()) },
        });
        let Outcome::Vault { vault, notice: Some(n), view: Some(view), done: Done::PasswordNeeded } = wait(&mut w)
        else {
            panic!("mark")
        };
        assert!(n.contains("type the vault password") && !view.info.compromised, "{n}");
        // With the password the same task goes through, under a new vault key (quick unlock goes with the old one).
        let task = VaultTask::WithPassword {
            password: pw("wrong"),
            task: Box::new(VaultTask::MarkCompromised { keyring: Some(keyring.clone()) }),
        };
        w.submit(Job::Vault { vault, label: "s".into(), task });
        let Outcome::Vault { vault, notice: Some(n), done: Done::PasswordNeeded, .. } = wait(&mut w) else {
            panic!("wrong password")
        };
        assert_eq!(n, "Wrong password: nothing was changed.");
        let task = VaultTask::WithPassword {
            password: pw("pw"),
            task: Box::new(VaultTask::MarkCompromised { keyring: Some(keyring.clone()) }),
        };
        w.submit(Job::Vault { vault, label: "s".into(), task });
        let Outcome::Vault { vault, notice: Some(n), view: Some(view), done: Done::Nothing } = wait(&mut w) else {
            panic!("mark with the password")
        };
        // Quick unlock was on: the slot goes with the old key, then the keyring entry is deleted.
        assert!(
            n == "s is marked compromised. Quick unlock is off: the vault needs its password again."
                && view.info.compromised,
            "{n}"
        );
        assert!(!vault.has_device_slot() && vault.password_confirmed());
        // Quick unlock on again, for what follows.
        let task = VaultTask::QuickUnlock { enable: Some(true), keyring: Some(keyring.clone()) };
        w.submit(Job::Vault { vault, label: "s".into(), task });
        let Outcome::Vault { vault, notice: Some(n), .. } = wait(&mut w) else { panic!("enable") };
        assert_eq!(n, "Quick unlock is on.");
        drop(vault);
        // A keyring that does not answer: say why (the password still works).
        w.submit(Job::QuickUnlock { path: path.clone(), keyring: Some(Keyring::unavailable("no session bus")) });
        let Outcome::QuickUnlock(Some(why)) = wait(&mut w) else { panic!("expected a reason") };
        assert!(why.contains("no session bus"), "{why}");
        // Opened by quick unlock (no password typed), the vault's password cannot be changed without the current
        // one: a wrong one changes nothing, quick unlock included.
        w.submit(Job::QuickUnlock { path: path.clone(), keyring: Some(keyring.clone()) });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("quick unlock failed") };
        let before = std::fs::read(&path).unwrap();
        let task = VaultTask::ChangePassword {
            current: pw("not pw"),
            password: pw("attacker's pw"),
            kdf: kdf(),
            keyring: Some(keyring.clone()),
        };
        w.submit(Job::Vault { vault, label: String::new(), task });
        let Outcome::Vault { vault, notice: Some(n), .. } = wait(&mut w) else { panic!("change failed") };
        assert_eq!(n, "The current password is wrong: the password was not changed.");
        assert!(vault.has_device_slot(), "quick unlock stays on");
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file is unchanged");
        // The right one: changing the password turns quick unlock off, also after a quick unlock (the new password
        // slot needs no old key), and deletes the keyring entry.
        let ids = vault.info().device_slot_ids;
        let task = VaultTask::ChangePassword {
            current: pw("pw"),
            password: pw("new pw"),
            kdf: kdf(),
            keyring: Some(keyring.clone()),
        };
        w.submit(Job::Vault { vault, label: String::new(), task });
        let Outcome::Vault { vault, notice: Some(n), .. } = wait(&mut w) else { panic!("change failed") };
        assert!(n.contains("Quick unlock was turned off") && !n.contains("could not"), "{n}");
        assert!(!vault.has_device_slot());
        assert!(matches!(keyring.delete_entries(&ids), coffer_keyring::EntryRemoval::Absent), "the entry is gone");
        // Opened with the (new) password, the same tasks go through, under a new vault key.
        drop(vault);
        w.submit(Job::Unlock { path: path.clone(), password: pw("new pw"), kdf: kdf(), allow_expensive_kdf: false });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("unlock failed") };
        w.submit(Job::Vault { vault, label: "s".into(), task: VaultTask::Show });
        let Outcome::Vault { vault, view: Some(view), .. } = wait(&mut w) else { panic!("show") };
        assert!(view.info.compromised);
        drop(vault);
        w.submit(Job::Unlock { path: path.clone(), password: pw("new pw"), kdf: kdf(), allow_expensive_kdf: false });
        assert!(matches!(wait(&mut w), Outcome::Vault { .. }));
    }

    /// Marking a seed compromised turns quick unlock off: the slot leaves the vault and the key leaves the keyring.
    #[test]
    fn marking_compromised_deletes_the_keyring_entry() {
        let (_dir, path) = temp_vault_path("compromised");
        let mut w = Worker::spawn(|| {}).unwrap();
        let store = keyring_core::mock::Store::new().unwrap();
        let keyring = Keyring::with_store(store.clone());
        w.submit(Job::Create { path: path.clone(), password: pw("pw"), kdf: kdf() });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("create failed") };
        let mnemonic = Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap();
        let task = VaultTask::AddSeed { mnemonic, passphrase: pw(""), backup_checked: true };
        w.submit(Job::Vault { vault, label: "Old".into(), task });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("add failed") };
        let task = VaultTask::QuickUnlock { enable: Some(true), keyring: Some(keyring.clone()) };
        w.submit(Job::Vault { vault, label: "Old".into(), task });
        let Outcome::Vault { vault, .. } = wait(&mut w) else { panic!("enable failed") };
        let id = vault.info().device_slot_ids[0];
        let entry = || {
            use keyring_core::api::CredentialStoreApi as _;
            store.build(coffer_keyring::entry::SERVICE, &id.to_string(), None).unwrap().get_secret()
        };
        assert!(entry().is_ok(), "the keyring holds the key");

        w.submit(Job::Vault {
            vault,
            label: "Old".into(),
            task: VaultTask::MarkCompromised { keyring: Some(keyring.clone()) },
        });
        let Outcome::Vault { vault, notice: Some(n), .. } = wait(&mut w) else { panic!("mark failed") };
        assert!(n.contains("marked compromised") && n.contains("Quick unlock is off"), "{n}");
        assert!(vault.seed("Old").unwrap().compromised);
        assert!(!vault.has_device_slot());
        assert!(matches!(entry(), Err(keyring_core::Error::NoEntry)), "the keyring entry is deleted");
        drop(vault);
        w.submit(Job::QuickUnlock { path: path.clone(), keyring: Some(keyring) });
        assert!(matches!(wait(&mut w), Outcome::QuickUnlock(None)), "quick unlock is off");
    }

    #[test]
    fn settings_helpers() {
        let s = AccountSettings::default();
        assert_eq!(shown(&s, Chain::Iota), 1);
        let s = with_one_more(&with_one_more(&s, Chain::Iota), Chain::Stellar);
        assert_eq!(shown(&s, Chain::Iota), 2);
        assert_eq!(shown(&s, Chain::Stellar), 2);
        // Every chain steps the account level, as its own wallets do.
        let s = with_one_more(&s, Chain::Iota);
        assert_eq!(positions(&s, Chain::Iota), [(0, 0), (1, 0), (2, 0)]);
        assert_eq!(positions(&s, Chain::Stellar), [(0, 0), (1, 0)]);
        assert_eq!(positions(&s, Chain::Sui), [(0, 0)]);
        let s = with_label(&s, Chain::Solana, 1, 0, " Savings ");
        assert_eq!(s.labels[0].label, "Savings");
        assert_eq!((s.labels[0].account, s.labels[0].index), (1, 0));
        assert_eq!(positions(&s, Chain::Solana), [(0, 0), (1, 0)], "a labelled account is shown");
        assert!(with_label(&s, Chain::Solana, 1, 0, "").labels.is_empty());
        let s = with_label(&s, Chain::Sui, 2, 3, "Deep");
        assert_eq!(positions(&s, Chain::Sui), [(0, 0), (2, 3)]);
    }

    /// A settings value as the app before accounts were stepped saved it: IOTA's view stepped the address index
    /// (`accounts: 1, indices: 3`) and a label named account 0's address 4 (set with the CLI or an older build).
    /// Every one of those addresses stays shown, and adding an account keeps them.
    #[test]
    fn addresses_an_older_version_showed_stay() {
        use coffer_core::vault::{AccountLabel, ChainView};
        let old = AccountSettings {
            views: vec![ChainView { chain: Chain::Iota, accounts: 1, indices: 3 }],
            labels: vec![AccountLabel { chain: Chain::Iota, account: 0, index: 4, label: "Old savings".into() }],
        };
        assert!(old.validate().is_ok());
        assert_eq!(positions(&old, Chain::Iota), [(0, 0), (0, 1), (0, 2), (0, 4)]);
        let more = with_one_more(&old, Chain::Iota);
        assert_eq!(more.views, [ChainView { chain: Chain::Iota, accounts: 2, indices: 3 }]);
        assert_eq!(positions(&more, Chain::Iota), [(0, 0), (0, 1), (0, 2), (0, 4), (1, 0)]);
    }
}
