//! What a screen asks the app to do.
//!
//! Each screen has an `update(intent) -> Option<Effect>` method: it makes its own transitions (stages, fields,
//! pure core calls such as decoding) and returns an [`Effect`] only for what it cannot do itself, because it touches
//! the vault, the worker thread, the network thread, the clipboard, the file system, the saved settings or another
//! screen. `CofferApp` carries out effects (`app.rs`); screens stay pure and are tested without the app.

use std::path::PathBuf;

use coffer_core::Mnemonic;
use coffer_core::secret::SecretString;

use crate::worker::VaultTask;

/// The page picked in the top bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The first page: unlock, the seed flows or a seed's accounts.
    Main,
    /// The overview of the open vault: what needs attention, what each seed holds.
    Home,
    /// Sign a transaction or message.
    Sign,
    /// Send a payment.
    Send,
    /// The signing log.
    Log,
    /// The vault's seeds.
    Seeds,
    /// The migration wizard.
    Migrate,
    /// Settings.
    Settings,
    /// About Coffer.
    About,
    /// The Activity page of one account (opened from the accounts screen).
    Activity,
    /// The address book.
    AddressBook,
}

/// Where to go among the seed flows of the main page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Go {
    /// Generate a new seed, to be named `name`.
    NewSeed(Option<String>),
    /// Type in an existing seed, to be named `name`.
    Import(Option<String>),
    /// After a seed flow ends without a new seed: the accounts if there are seeds, else the welcome screen.
    BackToSeeds,
    /// From the new words to the backup check.
    CheckWords,
    /// From the backup check back to the new words.
    ShowWordsAgain,
    /// Check the written backup of stored seed `label` (of `words` words).
    CheckBackup {
        /// The seed.
        label: String,
        /// Its number of words.
        words: usize,
    },
    /// Add another seed (the welcome screen).
    AddSeed,
    /// Open seed `label`'s accounts on the main page.
    Seed(String),
    /// A page of the top bar.
    Page(Page),
}

/// What the app must do for a screen.
#[derive(Debug)]
pub enum Effect {
    /// Create the vault with this password (on the worker).
    CreateVault(SecretString),
    /// Unlock the vault with this password (on the worker); `expensive`: the user allowed a costly key derivation.
    Unlock {
        /// The password.
        password: SecretString,
        /// An expensive key derivation was allowed.
        expensive: bool,
    },
    /// Try quick unlock through the OS keyring (on the worker).
    QuickUnlock,
    /// Hand the open vault to the worker for `task` on seed `label`, saying `busy` meanwhile.
    Vault {
        /// The seed.
        label: String,
        /// The task.
        task: VaultTask,
        /// What the app shows meanwhile.
        busy: &'static str,
    },
    /// Save a new seed in the vault under the name given on the first screen (or the next free "Seed N").
    AddSeed {
        /// The words.
        mnemonic: Mnemonic,
        /// The BIP39 passphrase (empty for none).
        passphrase: SecretString,
        /// The user passed the backup check.
        backup_checked: bool,
    },
    /// The new seed passed its backup check: save it (its words are in the backup-check screen).
    SaveCheckedSeed,
    /// Mark seed `label` compromised (removes its quick unlock way in: needs the keyring).
    MarkCompromised(String),
    /// Change the vault password.
    ChangePassword {
        /// The current password.
        current: SecretString,
        /// The new password.
        password: SecretString,
        /// Measure a stronger key derivation.
        stronger: bool,
    },
    /// Turn quick unlock on or off (`None`: ask the keyring how it stands).
    SetQuickUnlock(Option<bool>),
    /// Put this public text (an address, a signature) on the clipboard, cleared after a while.
    Copy(String),
    /// Read the sign screen's input from this file.
    OpenSignInput(PathBuf),
    /// Save a signature or signed transaction to a file.
    SaveSigned {
        /// Where.
        path: PathBuf,
        /// The public text.
        text: String,
    },
    /// Derive the address of the sign screen's picked key (seed, chain, account, index): public, needs the vault.
    KeyAddress((String, coffer_core::Chain, u32, u32)),
    /// Save the report of the migration from `from` to `path` (from the seeds page).
    ExportReport {
        /// The old seed.
        from: String,
        /// Where.
        path: PathBuf,
    },
    /// Open the warning before seed `label`'s recovery words.
    ShowWords(String),
    /// Close the recovery words (dropping them wipes them).
    CloseWords,
    /// Go somewhere else.
    Go(Go),
    /// Lock: wipe every secret.
    Lock,
    /// The screen changed the saved settings: save them (`refresh`: and rebuild the vault pages, whose watch list
    /// follows the settings).
    SaveSettings {
        /// Rebuild the vault pages.
        refresh: bool,
    },
    /// The first-start question about the network was answered (the settings hold the answer): save it.
    NetworkAnswered {
        /// The network was turned on for some chain.
        any_on: bool,
    },
    /// Turn screen reader support on or off (saved; AccessKit follows from the next frame).
    ScreenReader(bool),
    /// Switch to this theme (saved in the settings).
    Theme(crate::theme::ThemeChoice),
    /// Fetch the balances of the seed shown (network thread).
    FetchBalances,
    /// Open the Activity page of this account and fetch it.
    OpenActivity {
        /// The account's name.
        name: String,
        /// Its address.
        address: String,
        /// Its chain.
        chain: crate::settings::NetChain,
    },
    /// Fetch the Activity page's entries again.
    FetchActivity,
    /// The send screen's sending address (seed, chain, account; public, needs the vault) and whether `to` is an
    /// address of a compromised seed of the vault.
    SendCheck {
        /// The seed.
        label: String,
        /// The chain.
        chain: coffer_core::Chain,
        /// The account number.
        account: u32,
        /// The recipient as typed.
        to: String,
    },
    /// Open the Send page from seed `label`'s `account` on `chain`.
    OpenSend {
        /// The seed.
        label: String,
        /// The chain.
        chain: coffer_core::Chain,
        /// The account number.
        account: u32,
    },
    /// Fetch a payment's inputs (network thread).
    SendInputs {
        /// The chain.
        chain: coffer_core::Chain,
        /// The sender.
        from: String,
        /// The recipient.
        to: String,
        /// The token: a Solana mint, an IOTA or Sui coin type (`None`: the native coin; Stellar: its account's
        /// trustlines are fetched whatever the asset).
        token: Option<String>,
    },
    /// Read the Send page's holdings file (bounded like the sign screen's input).
    SendHoldings(PathBuf),
    /// Fetch what an address can pay with, for the Send page's asset choice (network thread): Solana its token
    /// accounts, Stellar its trustlines, IOTA and Sui its coin types.
    SendTokens {
        /// The chain.
        chain: coffer_core::Chain,
        /// The sender.
        from: String,
    },
    /// Broadcast the signed Solana, Stellar, IOTA or Sui payment `id` and follow it (network thread).
    SendBroadcast {
        /// The chain.
        chain: coffer_core::Chain,
        /// The signed transaction (IOTA, Sui: the transaction bytes in base64).
        signed_tx: String,
        /// IOTA, Sui: the signature.
        signature: Option<String>,
        /// Its id.
        id: String,
    },
    /// Find which accounts of the seed shown were ever used on this chain (a gap scan on the network thread).
    FindUsed(crate::settings::NetChain),
    /// Lock, and use the vault at this path from now on (Settings, "Open another vault…"); at the next start if
    /// the sandbox does not let this session write beside it.
    OpenOtherVault(PathBuf),
    /// Move the vault into this directory (Settings, "Move vault…"); at the next start if the sandbox does not let
    /// this session write there.
    MoveVault(PathBuf),
}
