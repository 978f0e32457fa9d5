//! The eframe app: saved [`Settings`] (never secrets) apart from runtime state, the screens, and the one place
//! where what screens ask for ([`Effect`]s) is carried out: the vault, the worker, the network thread, the
//! clipboard, files and the saved settings. Each screen makes its own transitions in its `update` method.
//!
//! Secrets in memory: the open [`Vault`] (its key and decrypted seeds), the mnemonic of a seed being created
//! (inside its screen), and what is typed into password and word fields. Locking, by hand or after the idle
//! timeout, drops all of them (they zeroize on drop), cancels the worker's job (which then drops its vault too),
//! forgets egui's widget state (text-edit undo history) and returns to the unlock screen.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use coffer_core::vault::{self, Vault};
use coffer_core::{AccountIndex, AddressIndex, Mnemonic, WordCount};
use egui::RichText;

mod address_book;

use crate::clipboard::{self, ClearDecision, ClipboardGuard};
use crate::effect::{Effect, Go, Page};
use crate::net::{NetEvent, NetJob, NetStart, NetWorker, Target};
use crate::screens::about::AboutScreen;
use crate::screens::accounts::{AccountsIntent, AccountsScreen};
use crate::screens::address_book::{AddressBookIntent, AddressBookScreen};
use crate::screens::backup_check::{BackupCheckIntent, BackupCheckScreen};
use crate::screens::create_vault::{CreateVaultIntent, CreateVaultScreen};
use crate::screens::home::{Attention, HomeAccount, HomeIntent, HomeScreen, HomeSeed};
use crate::screens::import::{ImportIntent, ImportScreen};
use crate::screens::log::LogScreen;
use crate::screens::migrate::{Effect as MigrateEffect, MigrateData, MigrateIntent, MigrateScreen};
use crate::screens::network::{NetworkIntent, NetworkSettings};
use crate::screens::new_seed::{NewSeedIntent, NewSeedScreen};
use crate::screens::online::{ActivityIntent, ActivityScreen, NetworkQuestion, OnlineData, QuestionIntent};
use crate::screens::seeds::{MigrationStake, SeedsIntent, SeedsScreen};
use crate::screens::send::{SendIntent, SendScreen};
use crate::screens::settings::{SettingsIntent, SettingsScreen, VaultFacts};
use crate::screens::sign::{SeedChoice, SignIntent, SignScreen, SignedView};
use crate::screens::unlock::{UnlockIntent, UnlockScreen};
use crate::screens::vault_file::{VaultFileIntent, VaultFileSection};
use crate::screens::welcome::{WelcomeIntent, WelcomeScreen, next_seed_label};
use crate::screens::words::{WordsIntent, WordsScreen};
use crate::settings::{NetChain, Settings};
use crate::worker::{Done, Job, KdfChoice, Outcome, SeedSummary, VaultTask, Worker};

/// How the app is started.
#[derive(Debug)]
pub struct AppOptions {
    /// Where settings are loaded from and saved to (`None`: defaults, never saved).
    pub settings_path: Option<PathBuf>,
    /// The vault file (`None`: no place could be found; the app says so).
    pub vault_path: Option<PathBuf>,
    /// How Argon2 parameters are picked for a new or upgraded vault.
    pub kdf: KdfChoice,
    /// Print the time since `started` and close after the first frame has been painted (for `scripts/perf`).
    pub exit_after_first_frame: bool,
    /// When the process started.
    pub started: Instant,
    /// What the Landlock sandbox achieved (`None`: not applied, as in tests).
    pub sandbox: Option<coffer_core::sandbox::SandboxReport>,
    /// The keyring for quick unlock (`None`: the OS keyring, reached on the worker thread).
    pub keyring: Option<coffer_keyring::Keyring>,
    /// Publish the window to screen readers only when the settings say so (off in tests, which read the app
    /// through AccessKit).
    pub gate_accessibility: bool,
    /// The network process, started by `main` before the sandbox when the saved settings turn the network on
    /// (`None`: no network process in this session).
    pub net: Option<NetStart>,
    /// Ask the first-start question about the network when the settings have no answer yet (off in tests, which
    /// turn it on to test it).
    pub network_question: bool,
    /// What to tell the user first (a vault move done at this start, see `vault_file::startup`).
    pub startup_notice: Option<String>,
    /// Open on the overview after unlocking (off in tests, which start on the accounts screen, and turn it on to
    /// test the overview).
    pub home_first: bool,
}

impl AppOptions {
    /// Options for the real app: settings in the user's config directory, the vault at its default place
    /// (`$COFFER_VAULT` or the XDG data directory), KDF calibrated to about one second, and
    /// `COFFER_EXIT_AFTER_FIRST_FRAME=1` read from the environment.
    #[must_use]
    pub fn from_env(started: Instant) -> Self {
        let settings_path = Settings::default_path();
        let saved = settings_path.as_deref().map(Settings::load).unwrap_or_default();
        Self {
            vault_path: crate::vault_file::chosen_path(&saved),
            settings_path,
            kdf: KdfChoice::Calibrate,
            exit_after_first_frame: std::env::var_os("COFFER_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1"),
            started,
            sandbox: None,
            keyring: None,
            gate_accessibility: true,
            net: None,
            network_question: true,
            startup_notice: None,
            home_first: true,
        }
    }

    /// Options for tests: the vault at `vault_path`, the policy's minimum KDF (never weaker), default settings
    /// that are never written.
    #[must_use]
    pub fn for_tests(vault_path: PathBuf) -> Self {
        Self {
            settings_path: None,
            vault_path: Some(vault_path),
            kdf: KdfChoice::Fixed(coffer_core::KdfParams::policy_minimum()),
            exit_after_first_frame: false,
            started: Instant::now(),
            sandbox: None,
            keyring: Some(coffer_keyring::Keyring::unavailable("tests use no keyring")),
            gate_accessibility: false,
            net: None,
            network_question: false,
            startup_notice: None,
            home_first: false,
        }
    }
}

/// A task that removes a way in (and so gives the vault a new key), to be asked again with the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryTask {
    MarkCompromised,
    QuickUnlock(bool),
}

/// The password prompt shown when such a task met a vault opened with quick unlock.
#[derive(Debug)]
struct PasswordNeeded {
    label: String,
    task: RetryTask,
    password: crate::typed::TypedSecret,
    focus: bool,
}

/// Where the user is.
#[derive(Debug)]
enum Flow {
    CreateVault(CreateVaultScreen),
    Unlock(UnlockScreen),
    /// The worker has the vault; the text says what it does.
    Busy(&'static str),
    Welcome(WelcomeScreen),
    NewSeed(NewSeedScreen),
    BackupCheck(BackupCheckScreen),
    Import(Box<ImportScreen>),
    Accounts(AccountsScreen),
}

/// Everything the user can ask for, from any screen.
#[derive(Debug)]
enum Intent {
    CreateVault(CreateVaultIntent),
    Unlock(UnlockIntent),
    Welcome(WelcomeIntent),
    NewSeed(NewSeedIntent),
    BackupCheck(BackupCheckIntent),
    Import(ImportIntent),
    Accounts(AccountsIntent),
    Sign(SignIntent),
    /// On the send screen.
    Send(SendIntent),
    Seeds(SeedsIntent),
    Migrate(MigrateIntent),
    Settings(SettingsIntent),
    Words(WordsIntent),
    Network(NetworkIntent),
    Question(QuestionIntent),
    Activity(ActivityIntent),
    AddressBook(AddressBookIntent),
    VaultFile(VaultFileIntent),
    Home(HomeIntent),
    Navigate(Page),
    /// Dismiss the foreign-signature banner.
    DismissAlerts,
    ClearClipboard,
    DismissRollback,
    Lock,
    /// The password typed into the "password needed" prompt: confirm it and do the task again.
    ConfirmPassword,
    /// Close the "password needed" prompt.
    CancelPassword,
}

/// Coffer's desktop app.
#[derive(Debug)]
pub struct CofferApp {
    // Saved.
    settings: Settings,
    settings_path: Option<PathBuf>,
    // Runtime only.
    vault_path: Option<PathBuf>,
    kdf: KdfChoice,
    flow: Flow,
    page: Page,
    /// The open vault, unless the worker has it.
    vault: Option<Vault>,
    worker: Worker,
    busy_text: &'static str,
    clipboard: ClipboardGuard,
    /// The pages that need an open vault (public data only; dropped on lock).
    sign: Option<SignScreen>,
    send: Option<SendScreen>,
    settings_screen: SettingsScreen,
    about: AboutScreen,
    log: Option<LogScreen>,
    seeds: Option<SeedsScreen>,
    migrate: Option<MigrateScreen>,
    /// The address book (its entries are private: dropped on lock).
    address_book: Option<AddressBookScreen>,
    /// Settings' section about the vault file.
    vault_file: VaultFileSection,
    /// The only clipboard text allowed out this frame.
    allowed_copy: Option<String>,
    last_input: Instant,
    notice: Option<String>,
    /// The vault opened looks older than the one last seen (a restored backup): shown until dismissed.
    rollback: Option<String>,
    started: Instant,
    exit_after_first_frame: bool,
    frames: u64,
    /// Keep AccessKit off unless the user turned screen reader support on (tests drive the app through it).
    gate_accessibility: bool,
    /// Startup memory to give back after the first frame (see `memory.rs`).
    startup_trim: Option<std::sync::Arc<crate::memory::StartupTrim>>,
    sandbox: Option<coffer_core::sandbox::SandboxReport>,
    keyring: Option<coffer_keyring::Keyring>,
    /// The last task submitted that removes a way in (to ask again with the password if the vault says so).
    last_rotation: Option<(String, RetryTask)>,
    /// The prompt for the password such a task needs after a quick unlock.
    password_needed: Option<PasswordNeeded>,
    /// A seed's recovery words shown again (over any page; dropped, so wiped, on leaving it or locking).
    words: Option<WordsScreen>,
    /// The name given on the first screen to the seed being created or imported.
    new_seed_label: Option<String>,
    // Online (public data only).
    /// The thread talking to the network process, when one runs.
    net: Option<NetWorker>,
    /// Why the network process could not be started.
    net_problem: Option<String>,
    /// The endpoint overrides the network process was started with.
    net_specs: Vec<String>,
    /// What it reported.
    online: OnlineData,
    /// The first-start question, while unanswered.
    question: Option<NetworkQuestion>,
    network_settings: NetworkSettings,
    activity: Option<ActivityScreen>,
    /// The overview (public data only; emptied on lock).
    home: HomeScreen,
    home_first: bool,
    /// The addresses watched (the vault's own Solana addresses and the user's list), and what the vault signed.
    watch: Option<crate::net::WatchList>,
    /// The seed whose accounts the running discovery scans.
    discovering: Option<String>,
    /// When the next watch round is due.
    next_watch: Option<Instant>,
    /// The addresses of the last balance fetch (to fetch once when a seed is first shown).
    fetched_for: Vec<Target>,
    /// What the network said about signed sweeps, to record in the vault when the worker is free: the migration,
    /// each transaction id and the ids confirmed so far.
    sweep_records: Vec<(String, String, coffer_core::migrate::Sent)>,
    /// The network the Send page's payment was last broadcast to (for its explorer link).
    payment_network: Option<coffer_net_proto::Network>,
}

/// How often the watched addresses are checked.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(60);

/// When the app locks itself after `minutes` without input since `last_input`.
#[must_use]
pub fn lock_deadline(last_input: Instant, minutes: u32) -> Instant {
    last_input + Duration::from_secs(u64::from(minutes) * 60)
}

impl CofferApp {
    /// Creates the app (starts the worker thread).
    ///
    /// # Errors
    /// If the worker thread cannot be started.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> std::io::Result<Self> {
        let ctx = cc.egui_ctx.clone();
        let worker = Worker::spawn(move || ctx.request_repaint())?;
        let settings = options.settings_path.as_deref().map(Settings::load).unwrap_or_default();
        let (mut net, mut net_problem, mut net_specs) = (None, None, Vec::new());
        if let Some(start) = options.net {
            net_specs = start.specs;
            match start.client {
                Ok(client) => {
                    let ctx = cc.egui_ctx.clone();
                    net = Some(NetWorker::spawn(client, move || ctx.request_repaint())?);
                }
                Err(e) => net_problem = Some(e),
            }
        }
        let question = (options.network_question && !settings.network_asked).then(NetworkQuestion::default);
        crate::theme::install(&cc.egui_ctx, settings.theme);
        let mut app = Self {
            settings,
            settings_path: options.settings_path,
            vault_path: options.vault_path,
            kdf: options.kdf,
            flow: Flow::Busy(""),
            page: Page::Main,
            vault: None,
            worker,
            busy_text: "",
            clipboard: ClipboardGuard::default(),
            sign: None,
            send: None,
            settings_screen: SettingsScreen::default(),
            about: AboutScreen::default(),
            log: None,
            seeds: None,
            migrate: None,
            address_book: None,
            vault_file: VaultFileSection::default(),
            allowed_copy: None,
            last_input: Instant::now(),
            notice: options.startup_notice,
            rollback: None,
            started: options.started,
            exit_after_first_frame: options.exit_after_first_frame,
            frames: 0,
            gate_accessibility: options.gate_accessibility,
            startup_trim: Some(std::sync::Arc::new(crate::memory::StartupTrim::new(
                cc.gl.as_deref(),
                cc.get_proc_address.as_deref().map(|f| f as &dyn Fn(&std::ffi::CStr) -> *const std::ffi::c_void),
            ))),
            sandbox: options.sandbox,
            keyring: options.keyring,
            last_rotation: None,
            password_needed: None,
            words: None,
            new_seed_label: None,
            net,
            net_problem,
            net_specs,
            online: OnlineData::default(),
            question,
            network_settings: NetworkSettings::default(),
            activity: None,
            home: HomeScreen::default(),
            home_first: options.home_first,
            watch: None,
            discovering: None,
            next_watch: None,
            fetched_for: Vec::new(),
            sweep_records: Vec::new(),
            payment_network: None,
        };
        app.flow = app.locked_flow();
        app.try_quick_unlock();
        Ok(app)
    }

    /// Whether any secret is in memory (an open vault, a job holding one, a seed being created or typed in).
    #[must_use]
    pub fn holds_secrets(&self) -> bool {
        self.vault.is_some()
            || self.worker.busy()
            || self.words.is_some()
            || matches!(self.flow, Flow::NewSeed(_) | Flow::BackupCheck(_) | Flow::Import(_))
            || matches!(&self.flow, Flow::Unlock(s) if s.holds_secret())
    }

    /// Whether the worker is running a job (a spinner is shown).
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.worker.busy()
    }

    /// The current settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether a watch round has finished since the vault was opened (for tests).
    #[doc(hidden)]
    #[must_use]
    pub fn has_watched(&self) -> bool {
        self.online.last_watch.is_some()
    }

    /// Moves the last input back by `idle`, as if the user had been away that long (for auto-lock tests).
    #[doc(hidden)]
    pub fn pretend_idle(&mut self, idle: Duration) {
        self.last_input = self.last_input.checked_sub(idle).unwrap_or(self.last_input);
    }

    /// Opens the vault with quick unlock if it is on (on the worker: the keyring is reached over D-Bus).
    fn try_quick_unlock(&mut self) {
        if let (Flow::Unlock(_), Some(path)) = (&self.flow, self.vault_path.clone()) {
            self.busy_text = "Trying quick unlock…";
            self.worker.submit(Job::QuickUnlock { path, keyring: self.keyring.clone() });
        }
    }

    /// What the open vault says about itself, for the settings screen.
    fn vault_facts(&self) -> Option<VaultFacts> {
        let info = self.vault.as_ref()?.info();
        Some(VaultFacts { memory_mib: info.memory_kib / 1024, passes: info.passes, quick_unlock: info.device_slot })
    }

    /// The label of some seed (for vault-wide tasks; may be empty).
    fn any_label(&self) -> String {
        self.seed_labels().into_iter().next().unwrap_or_default()
    }

    /// The screen shown while locked: unlock if the vault exists, else create it.
    fn locked_flow(&self) -> Flow {
        match &self.vault_path {
            Some(p) if p.exists() => Flow::Unlock(UnlockScreen::new(p.display().to_string())),
            Some(p) => Flow::CreateVault(CreateVaultScreen::new(p.display().to_string())),
            None => {
                let mut s = CreateVaultScreen::new("(none)".into());
                s.error = Some(vault::VaultError::NoDefaultLocation.to_string());
                Flow::CreateVault(s)
            }
        }
    }

    fn seed_labels(&self) -> Vec<String> {
        self.vault.as_ref().map(|v| v.seeds().into_iter().map(|s| s.label).collect()).unwrap_or_default()
    }

    /// Hands the open vault to the worker for `task` on seed `label`.
    fn vault_job(&mut self, label: String, task: VaultTask, busy: &'static str) {
        self.last_rotation = match &task {
            VaultTask::MarkCompromised { .. } => Some((label.clone(), RetryTask::MarkCompromised)),
            VaultTask::QuickUnlock { enable: Some(on), .. } => Some((label.clone(), RetryTask::QuickUnlock(*on))),
            _ => None,
        };
        if let Some(vault) = self.vault.take() {
            self.busy_text = busy;
            self.worker.submit(Job::Vault { vault, label, task });
        }
    }

    /// After a seed flow ends without a new seed: the accounts if there are seeds, else the choice screen.
    fn back_to_seeds(&mut self) {
        match self.seed_labels().into_iter().next() {
            Some(label) => {
                self.flow = Flow::Busy("Opening the seed…");
                self.vault_job(label, VaultTask::Show, "Opening the seed…");
            }
            None => self.flow = Flow::Welcome(WelcomeScreen::new(Vec::new())),
        }
    }

    /// Applies one user intent: the screen it came from makes its own transitions and says what else to do (an
    /// [`Effect`]), which [`Self::run`] carries out.
    fn apply(&mut self, ctx: &egui::Context, intent: Intent) {
        self.notice = None;
        if matches!(
            intent,
            Intent::CreateVault(_)
                | Intent::Unlock(_)
                | Intent::Import(ImportIntent::Import { .. } | ImportIntent::Check { .. })
                | Intent::Migrate(MigrateIntent::Answer(_))
                | Intent::Seeds(SeedsIntent::Remove { .. })
                | Intent::Settings(SettingsIntent::ChangePassword { .. })
                | Intent::Words(_)
                | Intent::ConfirmPassword
        ) {
            // A password or the words were just taken from their fields (or the words closed): drop egui's copies
            // of them (text-edit state and undo history) now rather than at the next lock. (Dropped, not wiped:
            // egui's limitation.)
            ctx.memory_mut(|m| m.data.clear());
        }
        let effect = match intent {
            Intent::CreateVault(i) => match &mut self.flow {
                Flow::CreateVault(s) => s.update(i),
                _ => None,
            },
            Intent::Unlock(i) => match &mut self.flow {
                Flow::Unlock(s) => s.update(i),
                _ => None,
            },
            Intent::Welcome(i) => match &mut self.flow {
                Flow::Welcome(s) => s.update(i),
                _ => None,
            },
            Intent::NewSeed(i) => match &mut self.flow {
                Flow::NewSeed(s) => s.update(i),
                _ => None,
            },
            Intent::BackupCheck(i) => match &mut self.flow {
                Flow::BackupCheck(s) => s.update(i),
                _ => None,
            },
            Intent::Import(i) => match &mut self.flow {
                Flow::Import(s) => s.update(i),
                _ => None,
            },
            Intent::Accounts(i) => match &mut self.flow {
                Flow::Accounts(s) => s.update(i),
                _ => None,
            },
            Intent::Sign(i) => self.sign.as_mut().and_then(|s| s.update(i)),
            Intent::Send(i) => self.send.as_mut().and_then(|s| s.update(i)),
            Intent::Seeds(i) => self.seeds.as_mut().and_then(|s| s.update(i)),
            Intent::Settings(i) => self.settings_screen.update(i, &mut self.settings),
            Intent::Words(i) => self.words.as_mut().and_then(|w| w.update(i)),
            Intent::Network(i) => self.network_settings.update(i, &mut self.settings),
            Intent::Question(i) => self.question.as_mut().and_then(|q| q.update(i, &mut self.settings)),
            Intent::Activity(i) => self.activity.as_mut().and_then(|a| a.update(i)),
            Intent::AddressBook(i) => self.address_book.as_mut().and_then(|s| s.update(i)),
            Intent::VaultFile(i) => self.vault_file.update(i),
            Intent::Home(i) => self.home.update(i),
            Intent::Migrate(i) => {
                // The wizard makes its own transitions; what touches the vault, the worker or the network thread
                // comes back as its own effect (screens::migrate::Effect), carried out by `apply_migrate`.
                if let Some(effect) = self.migrate.as_mut().and_then(|m| m.update(i)) {
                    self.apply_migrate(ctx, effect);
                }
                None
            }
            Intent::Navigate(page) => Some(Effect::Go(Go::Page(page))),
            Intent::DismissAlerts => {
                // Seen once is enough: the same transactions do not come back at the next start.
                let mut changed = false;
                for a in std::mem::take(&mut self.online.alerts) {
                    changed |= self.settings.acknowledge(a.target.chain, &a.signature);
                }
                if changed {
                    self.save_settings();
                }
                None
            }
            Intent::DismissRollback => {
                self.rollback = None;
                None
            }
            Intent::ClearClipboard => {
                if let Some(address) = self.clipboard.take() {
                    self.clear_clipboard(ctx, &address);
                }
                None
            }
            Intent::Lock => Some(Effect::Lock),
            Intent::ConfirmPassword => {
                if let Some(mut p) = self.password_needed.take() {
                    let password = p.password.take_secret(false);
                    let task = match p.task {
                        RetryTask::MarkCompromised => VaultTask::MarkCompromised { keyring: self.keyring.clone() },
                        RetryTask::QuickUnlock(on) => {
                            VaultTask::QuickUnlock { enable: Some(on), keyring: self.keyring.clone() }
                        }
                    };
                    let task = VaultTask::WithPassword { password, task: Box::new(task) };
                    self.vault_job(p.label.clone(), task, "Checking the password…");
                    self.last_rotation = Some((p.label, p.task));
                }
                None
            }
            Intent::CancelPassword => {
                self.password_needed = None;
                None
            }
        };
        if let Some(effect) = effect {
            self.run(ctx, effect);
        }
    }

    /// Carries out what a screen asked for: the vault, the worker, the network thread, the clipboard, files, the
    /// saved settings, and moves between screens.
    fn run(&mut self, ctx: &egui::Context, effect: Effect) {
        match effect {
            Effect::CreateVault(password) => {
                if let Some(path) = self.vault_path.clone() {
                    self.busy_text = "Creating the vault: measuring this computer for the key derivation…";
                    self.flow = Flow::Busy(self.busy_text);
                    self.worker.submit(Job::Create { path, password, kdf: self.kdf });
                }
            }
            Effect::Unlock { password, expensive } => {
                if let Some(path) = self.vault_path.clone() {
                    self.busy_text = if expensive {
                        "Unlocking (the expensive key derivation you allowed)…"
                    } else {
                        "Unlocking…"
                    };
                    self.worker.submit(Job::Unlock { path, password, kdf: self.kdf, allow_expensive_kdf: expensive });
                }
            }
            Effect::QuickUnlock => self.try_quick_unlock(),
            Effect::Vault { label, task, busy } => {
                if matches!(self.flow, Flow::Import(_)) {
                    // The words typed leave with the screen (wiped on drop).
                    self.flow = Flow::Busy(busy);
                }
                // A vault-wide task (the address book) names no seed: the seed shown stays shown.
                let label = if label.is_empty() { self.shown_label() } else { label };
                self.vault_job(label, task, busy);
            }
            Effect::AddSeed { mnemonic, passphrase, backup_checked } => {
                let saving = "Saving the seed in the vault…";
                self.flow = Flow::Busy(saving);
                let label = self.take_new_seed_label();
                self.vault_job(label, VaultTask::AddSeed { mnemonic, passphrase, backup_checked }, saving);
            }
            Effect::SaveCheckedSeed => {
                let saving = "Saving the seed in the vault…";
                if let Flow::BackupCheck(s) = std::mem::replace(&mut self.flow, Flow::Busy(saving)) {
                    let passphrase = coffer_core::secret::SecretString::with_capacity(0);
                    self.run(ctx, Effect::AddSeed { mnemonic: s.into_mnemonic(), passphrase, backup_checked: true });
                }
            }
            Effect::MarkCompromised(label) => {
                let task = VaultTask::MarkCompromised { keyring: self.keyring.clone() };
                self.vault_job(label, task, "Marking the seed compromised…");
            }
            Effect::ChangePassword { current, password, stronger } => {
                let kdf = match (self.kdf, stronger) {
                    (KdfChoice::Calibrate, true) => KdfChoice::CalibrateStronger,
                    (k, _) => k,
                };
                let task = VaultTask::ChangePassword { current, password, kdf, keyring: self.keyring.clone() };
                let label = self.any_label();
                self.vault_job(label, task, "Changing the password: measuring this computer for the key derivation…");
            }
            Effect::SetQuickUnlock(enable) => {
                let task = VaultTask::QuickUnlock { enable, keyring: self.keyring.clone() };
                let label = self.any_label();
                self.vault_job(label, task, "Asking the OS keyring…");
            }
            Effect::Copy(address) => {
                ctx.copy_text(address.clone());
                self.allowed_copy = Some(address.clone());
                self.clipboard.copied(address, Instant::now());
            }
            Effect::OpenSignInput(path) => {
                let read = read_input(&path);
                if let Some(s) = &mut self.sign {
                    s.opened(&path, read);
                }
            }
            Effect::SaveSigned { path, text } => {
                let saved = save_output(&path, &text);
                match (&mut self.send, &mut self.sign) {
                    (Some(s), _) if self.page == Page::Send => s.saved(&path, saved),
                    (_, Some(s)) => s.saved(&path, saved),
                    _ => {}
                }
            }
            Effect::KeyAddress(key) => {
                // A short derivation in the frame; the seed is wiped when it goes out of scope.
                if let (Some(s), Some(vault)) = (&mut self.sign, &self.vault) {
                    let (label, chain, a, i) = key.clone();
                    let at = |seed| AccountIndex::new(a).and_then(|a| chain.account(&seed, a, AddressIndex::new(i)?));
                    if let Ok(Ok(account)) = vault.bip39_seed(&label).map(at) {
                        s.set_key_address(key, account.address);
                    }
                }
            }
            Effect::ExportReport { from, path } => {
                let saved = self.export_report(&from, &path);
                if let Some(s) = &mut self.seeds {
                    s.notice = Some(saved);
                }
            }
            Effect::ShowWords(label) => self.open_words(label),
            // Dropping the screen wipes the words.
            Effect::CloseWords => self.words = None,
            Effect::Go(go) => self.go(go),
            Effect::Lock => self.lock(ctx),
            Effect::SaveSettings { refresh } => {
                if self.settings.network_asked {
                    self.question = None;
                }
                self.save_settings();
                if refresh {
                    self.refresh_pages();
                }
            }
            Effect::NetworkAnswered { any_on } => {
                self.question = None;
                self.network_settings.reset();
                self.save_settings();
                if any_on && self.net.is_none() {
                    self.notice = Some(
                        "The network is on. The network process starts the next time Coffer starts: close Coffer \
                         and open it again."
                            .into(),
                    );
                }
            }
            Effect::ScreenReader(on) => {
                self.save_settings();
                if self.gate_accessibility {
                    // A screen reader may have asked for the window before; it gets it from the next frame on.
                    if on {
                        ctx.enable_accesskit();
                        ctx.request_repaint();
                    } else {
                        ctx.disable_accesskit();
                    }
                }
            }
            Effect::Theme(choice) => {
                crate::theme::set(ctx, choice);
                self.save_settings();
            }
            Effect::FetchBalances => self.fetch_balances(),
            Effect::OpenActivity { name, address, chain } => {
                let network = crate::screens::network::network_of(&self.settings, chain);
                let target = Target { chain, network, address };
                self.activity = Some(ActivityScreen { name, target, entries: None });
                self.page = Page::Activity;
                self.fetch_activity();
            }
            Effect::FetchActivity => self.fetch_activity(),
            Effect::SendCheck { label, chain, account, to } => {
                // Short derivations in the frame (the sender's key, accounts 0-4 of compromised seeds), once per
                // change of the fields; the seeds are wiped when they go out of scope.
                if let (Some(s), Some(vault)) = (&mut self.send, &self.vault) {
                    let from = AccountIndex::new(account)
                        .ok()
                        .and_then(|a| vault.account(&label, chain, a, AddressIndex::ZERO).ok())
                        .map(|a| a.address);
                    let compromised = coffer_core::send::compromised_owner(vault, chain, &to).ok().flatten().map(|o| {
                        format!("this is account {} of seed {}, which is marked compromised", o.account, o.label)
                    });
                    s.set_check((label, chain, account, to), from, compromised);
                }
            }
            Effect::OpenSend { label, chain, account } => {
                if let Some(s) = &mut self.send {
                    s.open(&label, chain, account);
                    self.page = Page::Send;
                }
            }
            Effect::SendHoldings(path) => {
                let read = read_input(&path);
                if let Some(s) = &mut self.send {
                    s.holdings_read(&path, read);
                }
            }
            Effect::SendTokens { chain, from } => {
                let net_chain = NetChain::of(chain).unwrap_or(NetChain::Solana);
                let network = crate::screens::network::network_of(&self.settings, net_chain);
                if let Some(net) = &mut self.net {
                    let target = Target { chain: net_chain, network, address: from };
                    net.submit(if net_chain == NetChain::Solana {
                        NetJob::SolanaTokens(target)
                    } else {
                        NetJob::SendAssets(target)
                    });
                }
            }
            Effect::SendInputs { chain, from, to, token } => {
                let net_chain = NetChain::of(chain).unwrap_or(NetChain::Solana);
                let network = crate::screens::network::network_of(&self.settings, net_chain);
                match &mut self.net {
                    Some(net) if matches!(net_chain, NetChain::Iota | NetChain::Sui) => {
                        let target = Target { chain: net_chain, network, address: from };
                        net.submit(NetJob::MoveSendInputs { target, coin_type: token });
                    }
                    Some(net) if net_chain == NetChain::Stellar => {
                        let target = Target { chain: net_chain, network, address: from };
                        net.submit(NetJob::StellarSendInputs { target, to });
                    }
                    Some(net) => {
                        net.submit(NetJob::SolanaSendInputs {
                            target: Target { chain: NetChain::Solana, network, address: from },
                            to,
                            mint: token,
                        });
                    }
                    None => {
                        if let Some(s) = &mut self.send {
                            s.set_inputs(&from, Err("the network process is not running".into()));
                        }
                    }
                }
            }
            Effect::SendBroadcast { chain, signed_tx, signature, id } => {
                self.broadcast(chain, signed_tx, signature, id)
            }
            Effect::FindUsed(chain) => self.find_used(chain),
            Effect::OpenOtherVault(path) => self.open_other_vault(ctx, path),
            Effect::MoveVault(dir) => self.move_vault(dir),
        }
    }

    /// Moves between the seed flows and pages.
    fn go(&mut self, go: Go) {
        match go {
            Go::NewSeed(name) => {
                self.new_seed_label = name;
                match Mnemonic::generate(WordCount::Words24) {
                    Ok(m) => self.flow = Flow::NewSeed(NewSeedScreen::new(m)),
                    Err(e) => self.notice = Some(format!("Could not create a seed: {e}")),
                }
            }
            Go::Import(name) => {
                self.new_seed_label = name;
                self.flow = Flow::Import(Box::default());
            }
            Go::BackToSeeds => self.back_to_seeds(),
            Go::CheckWords => {
                if let Flow::NewSeed(s) = std::mem::replace(&mut self.flow, Flow::Busy("")) {
                    self.flow = Flow::BackupCheck(BackupCheckScreen::new(s.into_mnemonic()));
                }
            }
            Go::ShowWordsAgain => {
                if let Flow::BackupCheck(s) = std::mem::replace(&mut self.flow, Flow::Busy("")) {
                    self.flow = Flow::NewSeed(NewSeedScreen::new(s.into_mnemonic()));
                }
            }
            Go::CheckBackup { label, words } => {
                self.page = Page::Main;
                self.flow = Flow::Import(Box::new(ImportScreen::for_check(label, words)));
            }
            Go::AddSeed => self.flow = Flow::Welcome(WelcomeScreen::new(self.seed_labels())),
            Go::Seed(label) => {
                self.page = Page::Main;
                self.vault_job(label, VaultTask::Show, "Opening the seed…");
            }
            Go::Page(page) => {
                self.words = None;
                self.page = page;
                self.refresh_pages();
            }
        }
    }

    /// The name for the seed being added: the one given on the first screen if the vault still takes it, else the
    /// next free "Seed N".
    fn take_new_seed_label(&mut self) -> String {
        let taken = self.seed_labels();
        self.new_seed_label
            .take()
            .filter(|l| vault::check_new_label(l, taken.iter().map(String::as_str)).is_ok())
            .unwrap_or_else(|| next_seed_label(&taken))
    }

    /// Opens the warning before seed `label`'s recovery words (shown over the current page).
    fn open_words(&mut self, label: String) {
        let info = self.vault.as_ref().and_then(|v| v.seed(&label).ok());
        self.words = Some(WordsScreen::new(label, info.is_some_and(|i| i.has_passphrase)));
    }

    /// Whether a seed's recovery words are on screen (for tests: leaving the screen wipes them).
    #[doc(hidden)]
    #[must_use]
    pub fn shows_recovery_words(&self) -> bool {
        self.words.as_ref().is_some_and(WordsScreen::shows_words)
    }

    /// Whether the network is on for `chain` and a network process runs.
    fn online_for(&self, chain: NetChain) -> bool {
        self.net.is_some() && self.settings.network.get(&chain).is_some_and(|n| n.on)
    }

    /// The addresses of the seed shown, for the chains that are online.
    fn balance_targets(&self) -> Vec<Target> {
        if self.page == Page::Home {
            return self.home.targets();
        }
        let Flow::Accounts(s) = &self.flow else { return Vec::new() };
        NetChain::ALL
            .into_iter()
            .filter(|c| self.online_for(*c))
            .flat_map(|c| {
                let network = crate::screens::network::network_of(&self.settings, c);
                s.addresses(c.core()).into_iter().map(move |a| Target { chain: c, network, address: a.to_owned() })
            })
            .collect()
    }

    /// Asks the network thread for the balances of the seed shown.
    fn fetch_balances(&mut self) {
        let targets = self.balance_targets();
        if let Some(net) = &mut self.net
            && !targets.is_empty()
        {
            self.fetched_for.clone_from(&targets);
            net.submit(NetJob::Balances(targets));
        }
    }

    /// Fetches once when a seed's addresses are first shown (or change), not every frame.
    fn fetch_balances_if_new(&mut self) {
        let targets = self.balance_targets();
        if !targets.is_empty() && targets != self.fetched_for && !self.net.as_ref().is_some_and(NetWorker::busy) {
            self.fetch_balances();
        }
    }

    /// Hands a signed Solana or Stellar payment to the network thread, which broadcasts and follows it.
    fn broadcast(&mut self, chain: coffer_core::Chain, signed_tx: String, signature: Option<String>, id: String) {
        let net_chain = NetChain::of(chain).unwrap_or(NetChain::Solana);
        let network = crate::screens::network::network_of(&self.settings, net_chain);
        self.payment_network = Some(network);
        match &mut self.net {
            Some(net) => {
                let target = Target { chain: net_chain, network, address: String::new() };
                net.submit(NetJob::SendBroadcast { target, signed_tx, signature, id });
            }
            None => {
                if let Some(s) = &mut self.send {
                    s.set_broadcast(&id, Err("the network process is not running".into()));
                }
            }
        }
    }

    /// Asks for the activity of the account on the Activity page.
    fn fetch_activity(&mut self) {
        let Some(a) = &mut self.activity else { return };
        let chain = a.target.chain;
        let log = self.watch.as_ref().and_then(|w| w.logs.get(&chain).cloned()).unwrap_or_default();
        match &mut self.net {
            Some(net) if self.settings.network.get(&chain).is_some_and(|n| n.on) => {
                a.entries = None;
                net.submit(NetJob::Activity { target: a.target.clone(), log });
            }
            _ => {
                let title = crate::screens::online::title(chain);
                a.entries = Some(Err(format!("the network is off for {title} (Settings, Network)")));
            }
        }
    }

    /// Starts account discovery of `chain` for the seed shown: the addresses of accounts 0 to 255 are derived here
    /// (public data; the seed is dropped at once) and the network thread asks about them.
    fn find_used(&mut self, chain: NetChain) {
        let (Flow::Accounts(s), Some(vault)) = (&self.flow, &self.vault) else { return };
        if !self.online_for(chain) {
            return;
        }
        let label = s.seed_label().to_owned();
        let addresses = crate::net::discovery_addresses(vault, &label, chain.core());
        let network = crate::screens::network::network_of(&self.settings, chain);
        if let Some(net) = &mut self.net {
            self.online.discovery.insert((label.clone(), chain), crate::screens::online::DiscoveryState::Scanning(0));
            self.discovering = Some(label);
            let gap = coffer_core::discover::DEFAULT_GAP;
            net.submit(NetJob::Discover { chain, network, addresses, gap });
        }
    }

    /// Starts the migration wizard's gap scan past the plan for the chains it asks for (those with the network on
    /// and no scan yet): the worker derives the addresses of the old seed's accounts 0 to 255 (public data; a few
    /// tens of milliseconds per chain, kept out of the frame; the seed is dropped there), then
    /// [`Self::plan_scan_addresses`] hands them to the network thread.
    fn plan_scan_if_due(&mut self) {
        if self.worker.busy() || self.net.is_none() {
            return;
        }
        let (Some(vault), Some(m)) = (&self.vault, &mut self.migrate) else { return };
        let Some((from, chains)) = m.due_plan_scan() else { return };
        match vault.bip39_seed(&from) {
            Ok(seed) => {
                self.busy_text = "Deriving the old seed's addresses for the scan past the plan…";
                self.worker.submit(Job::DiscoveryAddresses { seed, from, chains });
            }
            Err(e) => {
                for (chain, _) in chains {
                    m.set_plan_scanned(chain, Err(e.to_string()));
                }
            }
        }
    }

    /// The network thread asks about the addresses the worker derived, from each chain's first unplanned account.
    fn plan_scan_addresses(&mut self, chains: Vec<(coffer_core::Chain, u32, Vec<String>)>) {
        let chains = chains
            .into_iter()
            .filter_map(|(chain, first, addresses)| {
                let net_chain = NetChain::of(chain)?;
                let network = crate::screens::network::network_of(&self.settings, net_chain);
                Some(crate::net::PlanScanChain { chain: net_chain, network, first, addresses })
            })
            .collect();
        if let Some(net) = &mut self.net {
            net.submit(NetJob::PlanScan { chains, gap: coffer_core::discover::DEFAULT_GAP });
        }
    }

    /// Starts a watch round when one is due.
    fn watch_if_due(&mut self, ctx: &egui::Context, now: Instant) {
        let Some(list) = &self.watch else { return };
        let targets: Vec<Target> = list
            .addresses
            .iter()
            .filter(|(c, _)| self.online_for(*c))
            .map(|(chain, a)| Target {
                chain: *chain,
                network: crate::screens::network::network_of(&self.settings, *chain),
                address: a.clone(),
            })
            .collect();
        if targets.is_empty() {
            return;
        }
        let logs = list.logs.clone();
        let due = self.next_watch.is_none_or(|t| now >= t);
        if due && let Some(net) = &mut self.net {
            net.submit(NetJob::Watch { targets, logs });
            self.next_watch = Some(now + WATCH_INTERVAL);
        }
        if let Some(t) = self.next_watch {
            ctx.request_repaint_after(t.saturating_duration_since(now));
        }
    }

    fn on_net_event(&mut self, event: NetEvent) {
        match event {
            NetEvent::Progress { done, total } => self.online.progress = Some((done, total)),
            NetEvent::Finished => self.online.progress = None,
            NetEvent::Holdings(t, r) => {
                self.online.holdings.insert(t, r);
            }
            NetEvent::SolanaSweepInputs(t, r) => {
                if let Some(m) = &mut self.migrate {
                    m.set_solana_inputs(&t.address, r);
                }
            }
            NetEvent::SolanaSendInputs(t, r) => {
                if let Some(s) = &mut self.send {
                    s.set_inputs(&t.address, r);
                }
            }
            NetEvent::MoveSendInputs(t, r) => {
                if let Some(s) = &mut self.send {
                    s.set_move_inputs(&t.address, r);
                }
            }
            NetEvent::SendAssets(t, r) => {
                if let Some(s) = &mut self.send {
                    s.set_assets(&t.address, r);
                }
            }
            NetEvent::StellarSendInputs(t, r) => {
                if let Some(s) = &mut self.send {
                    s.set_stellar_inputs(&t.address, r);
                }
            }
            NetEvent::SolanaTokens(t, r) => {
                if let Some(s) = &mut self.send {
                    s.set_tokens(&t.address, r);
                }
            }
            NetEvent::SendStatus(id, r) => {
                if let Some(s) = &mut self.send {
                    if let Ok(crate::net::BroadcastStatus::Sent { endpoint }) = &r
                        && let Some(network) = self.payment_network
                    {
                        s.set_sent_to(&id, network.name(), endpoint);
                    }
                    s.set_broadcast(&id, r);
                }
            }
            NetEvent::SweepHoldings(old, result) => self.on_sweep_holdings(&old, result),
            NetEvent::SweepTx(tx_id, state, endpoint) => {
                let from = self.migrate.as_ref().and_then(|m| m.from().map(str::to_owned)).unwrap_or_default();
                // Sent or confirmed: recorded in the vault (with the network and endpoint, for the explorer link).
                if let Some(sent) = self.migrate.as_mut().and_then(|m| m.set_tx_state(&tx_id, state, &endpoint)) {
                    self.sweep_records.push((from, tx_id, sent));
                }
            }
            NetEvent::Activity(t, r) => {
                if let Some(a) = self.activity.as_mut().filter(|a| a.target == t) {
                    a.entries = Some(r);
                }
            }
            NetEvent::DiscoverProgress { chain, scanned } => {
                if let Some(label) = &self.discovering {
                    let state = crate::screens::online::DiscoveryState::Scanning(scanned);
                    self.online.discovery.insert((label.clone(), chain), state);
                }
            }
            NetEvent::Discovered(chain, r) => {
                let state = match r {
                    Ok((d, endpoint)) => crate::screens::online::DiscoveryState::Done(d, endpoint),
                    Err(e) => crate::screens::online::DiscoveryState::Failed(e),
                };
                if let Some(label) = self.discovering.take() {
                    self.online.discovery.insert((label, chain), state);
                }
            }
            NetEvent::PlanScanProgress { chain, asked, last } => {
                if let Some(m) = &mut self.migrate {
                    m.set_plan_scan_progress(chain.core(), asked, last);
                }
            }
            NetEvent::PlanScanned(chain, r) => {
                if let Some(m) = &mut self.migrate {
                    m.set_plan_scanned(chain.core(), r);
                }
            }
            NetEvent::Watched { alerts, errors, at } => {
                for a in alerts {
                    if !self.online.alerts.contains(&a) && !self.settings.is_acknowledged(a.target.chain, &a.signature)
                    {
                        self.online.alerts.push(a);
                    }
                }
                self.online.last_watch = Some((at, errors));
            }
        }
    }

    /// The top bar's network indicator: whether the network process runs.
    fn net_indicator(&self, ui: &mut egui::Ui) {
        let (text, colour, hover) = match (&self.net, &self.net_problem) {
            (Some(net), _) => (
                "Network on",
                crate::screens::ok_color(ui),
                format!(
                    "The network process coffer-net (process {}) is running; it holds no key. Endpoints: {}",
                    net.pid(),
                    if self.net_specs.is_empty() { "built-in".to_owned() } else { self.net_specs.join(", ") }
                ),
            ),
            (None, Some(e)) => (
                "Network process failed",
                crate::screens::error_color(ui),
                format!("The network process could not be started: {e}"),
            ),
            (None, None) if self.settings.network_on() => (
                "Network on at next start",
                crate::screens::warn_color(ui),
                "The network is turned on in Settings; its process starts when Coffer starts again.".to_owned(),
            ),
            (None, None) => {
                ("Offline", ui.visuals().weak_text_color(), "No network process runs: Coffer is offline.".to_owned())
            }
        };
        // Right to left: the text, then a dot of its colour before it.
        ui.label(RichText::new(text).color(colour)).on_hover_text(hover);
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        if self.net.is_some() {
            ui.painter().circle_filled(rect.center(), 5.0, colour);
        } else {
            ui.painter().circle_stroke(rect.center(), 4.5, egui::Stroke::new(1.5, colour));
        }
    }

    fn save_settings(&mut self) {
        if let Some(path) = &self.settings_path
            && let Err(e) = self.settings.save(path)
        {
            self.notice = Some(format!("Could not save the settings to {}: {e}", path.display()));
        }
    }

    /// Does what the migration wizard asked for ([`MigrateScreen::update`] decided the rest).
    fn apply_migrate(&mut self, ctx: &egui::Context, effect: MigrateEffect) {
        let from = self.migrate.as_ref().and_then(|m| m.from().map(str::to_owned)).unwrap_or_default();
        match effect {
            MigrateEffect::FetchSolanaInputs(address) => {
                let network = crate::screens::network::network_of(&self.settings, NetChain::Solana);
                let online = self.online_for(NetChain::Solana);
                if let Some(net) = self.net.as_mut().filter(|_| online) {
                    net.submit(NetJob::SolanaSweepInputs(Target { chain: NetChain::Solana, network, address }));
                }
            }
            MigrateEffect::FetchHoldings(row) => {
                let served = NetChain::of(row.chain).filter(|c| self.online_for(*c));
                match (served, self.net.as_mut()) {
                    (Some(chain), Some(net)) => {
                        let network = crate::screens::network::network_of(&self.settings, chain);
                        net.submit(NetJob::SweepHoldings {
                            chain: chain.proto(),
                            network,
                            old: row.old_address,
                            new: row.new_address,
                        });
                    }
                    _ => {
                        if let Some(m) = &mut self.migrate {
                            m.set_preview(Err("The network is off for this chain: open a holdings file.".into()));
                        }
                    }
                }
            }
            MigrateEffect::ReadHoldings { row, path, options } => {
                let preview = crate::sweep::read_file(&path)
                    .and_then(|text| crate::sweep::parse_file(&row, &text, coffer_core::migrate::DEFAULT_GAS_PRICE))
                    .and_then(|h| {
                        crate::sweep::build(&row, h, &options, crate::sweep::Source::File(path.display().to_string()))
                    })
                    .and_then(|p| self.guard_preview(&from, p));
                if let Some(m) = &mut self.migrate {
                    m.set_preview(preview);
                }
            }
            MigrateEffect::SignSweep(preview) => {
                let row = &preview.row;
                let stays = preview.stays_note().map(|n| (row.chain, row.account, row.index, n));
                let task = VaultTask::SignSweeps { requests: preview.requests.clone(), stays };
                self.vault_job(from, task, "Signing the sweep and saving its receipts…");
            }
            MigrateEffect::Mark(label) => {
                self.vault_job(
                    label,
                    VaultTask::MarkCompromised { keyring: self.keyring.clone() },
                    "Marking the seed compromised…",
                );
            }
            MigrateEffect::Start { from, to } => {
                self.vault_job(from, VaultTask::StartMigration(to), "Starting the migration…");
            }
            MigrateEffect::Refresh => self.refresh_pages(),
            MigrateEffect::Answer(answers) => {
                self.vault_job(from, VaultTask::AnswerChallenge(answers), "Checking the words…");
            }
            MigrateEffect::Plan(selection) => self.vault_job(from, VaultTask::Plan(selection), "Planning…"),
            MigrateEffect::PlanAccounts(found) => {
                self.vault_job(from, VaultTask::PlanAccounts(found), "Adding the found accounts to the plan…");
            }
            MigrateEffect::Check(request) => {
                let verdict = self.vault.as_ref().map(|v| {
                    v.check_sweep(&from, &request).map(|(d, row)| (d.summary().clone(), row)).map_err(|e| e.to_string())
                });
                if let (Some(m), Some(v)) = (&mut self.migrate, verdict) {
                    m.set_checked(request, v);
                }
            }
            MigrateEffect::Sign(request) => {
                self.vault_job(from, VaultTask::SignSweep(request), "Signing the sweep and saving its receipt…");
            }
            MigrateEffect::Copy(text) => {
                ctx.copy_text(text.clone());
                self.allowed_copy = Some(text.clone());
                self.clipboard.copied(text, Instant::now());
            }
            MigrateEffect::ShowWords(label) => self.open_words(label),
            MigrateEffect::Export(path) => {
                let saved = self.export_report(&from, &path);
                if let Some(m) = &mut self.migrate {
                    m.notice = Some(saved);
                }
            }
            MigrateEffect::Save { path, text } => {
                let saved = save_output(&path, &text).map(|()| format!("Saved to {}.", path.display()));
                if let Some(m) = &mut self.migrate {
                    m.notice = Some(saved);
                }
            }
        }
    }

    /// Runs the destination guard on every transaction of a sweep before it is shown: a sweep any of whose
    /// transactions the guard refuses is never previewed (nor signed).
    fn guard_preview(
        &self,
        from: &str,
        preview: crate::sweep::SweepPreview,
    ) -> Result<crate::sweep::SweepPreview, String> {
        let vault = self.vault.as_ref().ok_or("The vault is busy: try again.")?;
        for (i, r) in preview.requests.iter().enumerate() {
            vault.check_sweep(from, r).map_err(|e| format!("The guard refuses transaction {}: {e}", i + 1))?;
        }
        Ok(preview)
    }

    /// The network's answer for *Sweep everything*: the sweep built from it and checked by the guard, or why not.
    fn on_sweep_holdings(&mut self, old: &str, result: Result<Box<(crate::sweep::RowHoldings, String)>, String>) {
        let Some(row) = self.migrate.as_ref().and_then(|m| match m.sweep_stage() {
            crate::screens::migrate::SweepStage::Fetching(r) if r.old_address == old => Some(r.clone()),
            _ => None,
        }) else {
            return;
        };
        let from = self.migrate.as_ref().and_then(|m| m.from().map(str::to_owned)).unwrap_or_default();
        let network = NetChain::of(row.chain).map(|c| crate::screens::network::network_of(&self.settings, c));
        let preview = result
            .map_err(|e| format!("Could not fetch what {old} holds: {e}"))
            .and_then(|fetched| {
                let (holdings, endpoint) = *fetched;
                let network = network.ok_or("This chain is not served by the network process.")?;
                let options = crate::sweep::Options {
                    stellar_network: crate::sweep::stellar_network(network).ok(),
                    blockhash: String::new(),
                    now: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
                };
                crate::sweep::build(&row, holdings, &options, crate::sweep::Source::Network { endpoint, network })
            })
            .and_then(|p| self.guard_preview(&from, p));
        if let Some(m) = &mut self.migrate {
            m.set_preview(preview);
        }
    }

    /// Online, hands the signed sweep to the network thread: each transaction is sent after the one before is
    /// confirmed.
    fn broadcast_sweep(&mut self) {
        let Some((chain, network, txs)) = self.migrate.as_ref().and_then(MigrateScreen::to_broadcast) else { return };
        let served = NetChain::of(chain).is_some_and(|c| self.online_for(c));
        if let (Some(net), true, Some(proto)) = (self.net.as_mut(), served, NetChain::of(chain)) {
            net.submit(NetJob::Broadcast { chain: proto.proto(), network, txs });
        }
    }

    /// Records in the vault what the network said about signed sweeps (the rows become broadcast, then
    /// confirmed).
    fn record_sweeps(&mut self) {
        let Some(from) = self.sweep_records.first().map(|(f, _, _)| f.clone()) else { return };
        let (mine, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.sweep_records).into_iter().partition(|(f, _, _)| *f == from);
        self.sweep_records = rest;
        let records = mine.into_iter().map(|(_, id, sent)| (id, sent)).collect();
        self.vault_job(from, VaultTask::RecordBroadcast(records), "Recording the sweep's progress…");
    }

    /// Saves the report of the migration from `from` (public data) as JSON, in the shape of
    /// `coffer migrate report --json`.
    fn export_report(&self, from: &str, path: &std::path::Path) -> Result<String, String> {
        match self.vault.as_ref().map(|v| v.migration_report(from)) {
            Some(Ok(r)) => {
                // coffer-core's `serde` shape is the documented one (docs/cli.md, `migrate report`). Through a
                // `Value` so the keys come out sorted, as before.
                let text = serde_json::to_value(&r)
                    .and_then(|v| serde_json::to_string_pretty(&v))
                    .map_err(|e| format!("Cannot write the report: {e}"))?;
                save_output(path, &text).map(|()| format!("Report saved to {}.", path.display()))
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err("The vault is busy: try again.".to_owned()),
        }
    }

    /// Rebuilds the overview from the open vault: its seeds' accounts (their addresses derived only for the chains
    /// whose network is on: a short derivation per seed, its seed wiped at once) and what needs attention.
    fn refresh_home(&mut self) {
        let Some(vault) = &self.vault else { return };
        let online: Vec<NetChain> = NetChain::ALL.into_iter().filter(|c| self.online_for(*c)).collect();
        let mut seeds = Vec::new();
        let mut attention = Vec::new();
        for info in vault.seeds() {
            let settings = vault.account_settings(&info.label).unwrap_or_default();
            let bip39 = if online.is_empty() { None } else { vault.bip39_seed(&info.label).ok() };
            let chains = crate::worker::CHAINS
                .into_iter()
                .map(|chain| {
                    let net = NetChain::of(chain).filter(|c| online.contains(c));
                    let accounts = crate::worker::positions(&settings, chain)
                        .into_iter()
                        .map(|(a, i)| {
                            let name = crate::screens::accounts::row_name(
                                crate::screens::accounts::chain_title(chain),
                                (a, i),
                            );
                            let target = net.zip(bip39.as_ref()).and_then(|(c, seed)| {
                                let at = (AccountIndex::new(a).ok()?, AddressIndex::new(i).ok()?);
                                let address = chain.account(seed, at.0, at.1).ok()?.address;
                                Some(Target {
                                    chain: c,
                                    network: crate::screens::network::network_of(&self.settings, c),
                                    address,
                                })
                            });
                            HomeAccount { name, target }
                        })
                        .collect();
                    (chain, accounts)
                })
                .collect();
            if !info.backup_checked && !info.compromised {
                attention.push(Attention::Backup { label: info.label.clone(), words: info.word_count });
            }
            seeds.push(HomeSeed { label: info.label, compromised: info.compromised, chains });
        }
        for from in vault.migrations() {
            if let Ok(r) = vault.migration_report(&from) {
                attention.push(Attention::Migration { from: r.from, to: r.to });
            }
        }
        self.home = HomeScreen { seeds, attention };
    }

    /// Rebuilds the vault pages from the open vault (public data only).
    fn refresh_pages(&mut self) {
        let Some(vault) = &self.vault else { return };
        let seeds = vault.seeds();
        let choices: Vec<SeedChoice> =
            seeds.iter().map(|s| SeedChoice { label: s.label.clone(), compromised: s.compromised }).collect();
        match &mut self.sign {
            Some(s) => s.set_seeds(choices.clone()),
            None => {
                let dir = self.vault_path.as_deref().and_then(std::path::Path::parent).map(|d| d.join("exports"));
                self.sign = Some(SignScreen::new(choices.clone()).with_export_dir(dir));
            }
        }
        match &mut self.send {
            Some(s) => s.set_seeds(choices),
            None => {
                let dir = self.vault_path.as_deref().and_then(std::path::Path::parent).map(|d| d.join("exports"));
                self.send = Some(SendScreen::new(choices).with_export_dir(dir));
            }
        }
        self.log = Some(LogScreen::new(vault.log(), vault.log_checkpoint()));
        self.watch = Some(crate::net::watch_list(vault, &self.settings));
        let from = self.migrate.as_ref().and_then(|m| m.from().map(str::to_owned));
        let migrations = vault.migrations();
        let from = from.filter(|f| migrations.contains(f)).or_else(|| migrations.first().cloned());
        let dir = self.vault_path.as_deref().and_then(std::path::Path::parent).map(|d| d.join("exports"));
        // Migrations with receipts: removing one of their seeds deletes them, so the seeds page warns and offers
        // the report first.
        let stakes = migrations
            .iter()
            .filter_map(|f| vault.migration_report(f).ok())
            .filter(|r| !r.migration.receipts.is_empty())
            .map(|r| MigrationStake {
                report_path: crate::screens::migrate::default_report_path(dir.as_deref(), &r.from),
                receipts: r.migration.receipts.len(),
                from: r.from,
                to: r.to,
            })
            .collect();
        let data = MigrateData {
            seeds: seeds.iter().cloned().map(SeedSummary::from).collect(),
            report: from.as_ref().and_then(|f| vault.migration_report(f).ok()),
            challenge: from.as_ref().and_then(|f| vault.backup_challenge(f).ok().flatten()),
            migrations,
        };
        match &mut self.migrate {
            Some(m) => m.set_data(data),
            None => self.migrate = Some(MigrateScreen::new(data)),
        }
        if let Some(m) = &mut self.migrate {
            m.suggest_report_path(dir);
        }
        self.seeds = Some(SeedsScreen::new(seeds.into_iter().map(SeedSummary::from).collect()).with_stakes(stakes));
        self.refresh_address_book();
        self.refresh_home();
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Vault { vault, view, notice, done } => {
                self.vault = Some(vault);
                self.notice = notice;
                if let Done::Moved(moved) = &done {
                    // Before the rollback check: the state seen of the vault follows it to its new path.
                    self.vault_moved(moved);
                }
                self.observe_vault(if let Done::Unlocked(opened) = &done { Some(*opened) } else { None });
                if self.home_first && matches!(done, Done::Unlocked(_)) {
                    self.page = Page::Home;
                }
                self.password_needed = match (&done, self.last_rotation.take()) {
                    (Done::PasswordNeeded, Some((label, task))) => {
                        Some(PasswordNeeded { label, task, password: crate::typed::TypedSecret::new(), focus: true })
                    }
                    _ => None,
                };
                let mut then = None;
                match (done, &mut self.sign) {
                    (Done::Signed(result), _) if self.send.as_ref().is_some_and(SendScreen::is_signing) => {
                        if let Some(s) = &mut self.send {
                            then = s.set_signed(result.as_ref().map(SignedView::from).map_err(Clone::clone));
                        }
                    }
                    (Done::Signed(result), Some(s)) => {
                        s.set_signed(result.as_ref().map(SignedView::from).map_err(Clone::clone));
                    }
                    (Done::QuickUnlock(status), _) => self.settings_screen.quick_status = Some(status),
                    (Done::SweepSigned(receipts, error), _) => {
                        if let Some(m) = &mut self.migrate {
                            m.set_signed(receipts, error);
                        }
                        self.broadcast_sweep();
                    }
                    (Done::Words(words), _) => {
                        if let Some(w) = &mut self.words {
                            w.show(words);
                        }
                    }
                    (Done::Started(started), _) => {
                        if started.is_ok()
                            && let (Some(v), Some(vault)) = (view.as_ref(), self.vault.as_ref())
                        {
                            // The old seed's addresses stay watched after the migration, even once the seed is
                            // removed from the vault.
                            let old = crate::net::solana_addresses(vault, &v.info.label);
                            if self.settings.watch(NetChain::Solana, old) {
                                self.save_settings();
                            }
                        }
                        if let Some(m) = &mut self.migrate {
                            match started {
                                Ok(words) => {
                                    let from = view.as_ref().map(|v| v.info.label.clone()).unwrap_or_default();
                                    m.started(from, words);
                                    m.notice = Some(Ok("The migration has started.".to_owned()));
                                }
                                Err(e) => m.notice = Some(Err(e)),
                            }
                        }
                    }
                    _ => {}
                }
                self.refresh_pages();
                if let Some(Effect::SendBroadcast { chain, signed_tx, signature, id }) = then {
                    self.broadcast(chain, signed_tx, signature, id);
                }
                match view {
                    Some(view) => match &mut self.flow {
                        Flow::Accounts(s) => s.replace_view(view),
                        _ => self.flow = Flow::Accounts(AccountsScreen::new(view)),
                    },
                    None => self.flow = Flow::Welcome(WelcomeScreen::new(Vec::new())),
                }
            }
            Outcome::QuickUnlock(why) => {
                if let Flow::Unlock(s) = &mut self.flow {
                    s.quick_failed = why;
                }
            }
            Outcome::WrongPassword => {
                if let Flow::Unlock(s) = &mut self.flow {
                    s.wrong_password(Instant::now());
                }
            }
            Outcome::ExpensiveKdf { cost, password } => {
                if let Flow::Unlock(s) = &mut self.flow {
                    s.expensive(cost, password);
                }
            }
            Outcome::DiscoveryAddresses { from, chains } => {
                if self.migrate.as_ref().and_then(MigrateScreen::from) == Some(from.as_str()) {
                    self.plan_scan_addresses(chains);
                }
            }
            Outcome::Failed(e) => {
                self.flow = self.locked_flow();
                match &mut self.flow {
                    Flow::Unlock(s) => s.error = Some(e),
                    Flow::CreateVault(s) => s.error = Some(e),
                    _ => self.notice = Some(e),
                }
            }
        }
    }

    /// Compares the open vault with the state last seen of it (kept in the settings file): a vault that went back (an
    /// older copy restored over it) gets a warning banner. Then records its state. Called whenever the worker hands
    /// the vault back, so the state recorded follows every save. `opened` is the state as unlocked, before a
    /// key-derivation upgrade saved it.
    fn observe_vault(&mut self, opened: Option<vault::SeenState>) {
        let Some(vault) = &self.vault else { return };
        let path = std::fs::canonicalize(vault.path()).unwrap_or_else(|_| vault.path().to_path_buf());
        let (mut regression, mut changed) = (None, false);
        if let Some(opened) = opened.filter(|o| *o != vault.seen_state()) {
            (regression, changed) = self.settings.observe_vault(&path, opened);
        }
        let (now_regression, now_changed) = self.settings.observe_vault(&path, vault.seen_state());
        let (regression, changed) = (regression.or(now_regression), changed || now_changed);
        if let Some(r) = regression {
            self.rollback = Some(format!(
                "Warning: this vault looks older than the one last opened here: {r}. It may have been replaced by a \
                 backup or an older copy, which drops the signatures logged (and every other change) since. If you \
                 restored it on purpose, dismiss this."
            ));
        }
        if changed {
            self.save_settings();
        }
    }

    /// Wipes every secret and returns to the unlock screen.
    fn lock(&mut self, ctx: &egui::Context) {
        self.worker.cancel();
        self.vault = None;
        self.password_needed = None;
        self.words = None;
        self.last_rotation = None;
        self.sign = None;
        self.send = None;
        self.settings_screen = SettingsScreen::default();
        self.log = None;
        self.seeds = None;
        self.migrate = None;
        self.sweep_records.clear();
        self.address_book = None;
        self.vault_file = VaultFileSection::default();
        self.activity = None;
        self.home = HomeScreen::default();
        self.watch = None;
        self.online.holdings.clear();
        self.online.discovery.clear();
        self.fetched_for.clear();
        self.flow = self.locked_flow();
        self.page = Page::Main;
        // Text-edit state (with its undo history of typed words) lives in egui's memory: forget it.
        ctx.memory_mut(|m| m.data.clear());
        if let Some(address) = self.clipboard.take() {
            self.clear_clipboard(ctx, &address);
        }
        self.notice = Some("Locked: every secret was wiped from memory.".into());
    }

    fn clear_clipboard(&mut self, ctx: &egui::Context, address: &str) {
        if clipboard::decide(address, clipboard::read_system_clipboard()) == ClearDecision::Clear {
            ctx.copy_text(String::new());
            self.allowed_copy = Some(String::new());
        }
    }

    /// The navigation, with Lock at the right. Nothing in it changes width while the user works: what comes and goes
    /// (the worker's spinner, the network's progress) is in the status bar, so a click never lands on text that has
    /// just moved under the pointer. In a narrow window the navigation wraps instead of running under Lock.
    fn top_bar(&self, ui: &mut egui::Ui) -> Option<Intent> {
        let home = if matches!(self.flow, Flow::Accounts(_)) { "Accounts" } else { "Home" };
        let mut pages = vec![(Page::Main, home)];
        if self.vault.is_some() || self.sign.is_some() {
            pages.insert(0, (Page::Home, "Overview"));
            pages.extend([
                (Page::Send, "Send"),
                (Page::Sign, "Sign"),
                (Page::Log, "Signing log"),
                (Page::Seeds, "Seeds"),
                (Page::AddressBook, "Address book"),
                (Page::Migrate, "Migrate"),
            ]);
        }
        pages.extend([(Page::Settings, "Settings"), (Page::About, "About")]);
        let (nav, lock) = egui::Sides::new().shrink_left().show(
            ui,
            |ui| {
                let mut intent = None;
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new("Coffer").strong().size(19.0).color(crate::theme::accent(ui.visuals().dark_mode)),
                    );
                    ui.separator();
                    for (page, text) in pages {
                        let here = self.page == page || (page == Page::Main && self.page == Page::Activity);
                        if ui.selectable_label(here, text).clicked() {
                            intent = Some(Intent::Navigate(page));
                        }
                    }
                });
                intent
            },
            |ui| {
                (self.holds_secrets()
                    && crate::theme::secondary(ui, "Lock").on_hover_text("Wipe every secret from memory").clicked())
                .then_some(Intent::Lock)
            },
        );
        lock.or(nav)
    }

    /// The status bar: what the worker is doing, the network's progress, and whether the network process runs.
    fn status_bar(&self, ui: &mut egui::Ui) {
        egui::Sides::new().shrink_left().show(
            ui,
            |ui| {
                if self.worker.busy() {
                    ui.spinner();
                    ui.label(self.busy_text);
                }
                // No spinner: it would repaint continuously; the network thread wakes the UI at each answer.
                if let Some(p) = self.online.progress_text() {
                    if self.worker.busy() {
                        ui.separator();
                    }
                    ui.label(p);
                }
                if let Some(p) = self.migrate.as_ref().and_then(MigrateScreen::plan_scan_text) {
                    ui.separator();
                    ui.label(p);
                }
            },
            |ui| self.net_indicator(ui),
        );
    }

    fn main_page(&mut self, ui: &mut egui::Ui) -> Option<Intent> {
        match &mut self.flow {
            Flow::CreateVault(s) => s.ui(ui).map(Intent::CreateVault),
            Flow::Unlock(s) => s.ui(ui).map(Intent::Unlock),
            Flow::Busy(text) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(*text);
                });
                None
            }
            Flow::Welcome(s) => s.ui(ui).map(Intent::Welcome),
            Flow::NewSeed(s) => s.ui(ui).map(Intent::NewSeed),
            Flow::BackupCheck(s) => s.ui(ui).map(Intent::BackupCheck),
            Flow::Import(s) => s.ui(ui).map(Intent::Import),
            Flow::Accounts(s) => {
                let online: Vec<NetChain> = NetChain::ALL
                    .into_iter()
                    .filter(|c| self.net.is_some() && self.settings.network.get(c).is_some_and(|n| n.on))
                    .collect();
                let view = crate::screens::accounts::OnlineView {
                    data: &self.online,
                    chains: &online,
                    networks: &self.settings.network,
                };
                s.ui_online(ui, Some(&view)).map(Intent::Accounts)
            }
        }
    }
}

/// Reads a transaction or message from a file (at most [`coffer_core::sign::MAX_INPUT`] bytes of UTF-8 text).
fn read_input(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| format!("Cannot open {}: {e}", path.display()))?;
    let mut text = String::new();
    let limit = u64::try_from(coffer_core::sign::MAX_INPUT).unwrap_or(u64::MAX) + 1;
    file.take(limit).read_to_string(&mut text).map_err(|e| format!("Cannot read {} as text: {e}", path.display()))?;
    if text.len() > coffer_core::sign::MAX_INPUT {
        return Err(format!("{} is larger than {} bytes.", path.display(), coffer_core::sign::MAX_INPUT));
    }
    Ok(text)
}

/// Saves a signature or signed transaction (public data) to `path`, creating its directory.
fn save_output(path: &std::path::Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::sandbox::create_private_dir(dir).map_err(|e| format!("Cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, format!("{text}\n")).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::PermissionDenied {
            " (the sandbox lets Coffer write only in its own directories: save into the suggested exports folder)"
        } else {
            ""
        };
        format!("Cannot save to {}: {e}{hint}", path.display())
    })
}

/// Largest texture side the app asks egui for. egui's glyph atlas is as wide as the GPU allows (16 384 pixels with
/// Mesa's software renderer), and it and the renderer's copy grow to megabytes; Coffer's text and QR codes fit
/// easily in 2048.
pub const MAX_TEXTURE_SIDE: usize = 2048;

impl eframe::App for CofferApp {
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        // eframe turns AccessKit on when a screen reader (any AT-SPI client) asks for the window; unless the user
        // chose screen reader support, this pass then publishes nothing.
        if self.gate_accessibility && !self.settings.screen_reader {
            ctx.disable_accesskit();
        }
        raw_input.max_texture_side =
            Some(raw_input.max_texture_side.map_or(MAX_TEXTURE_SIDE, |m| m.min(MAX_TEXTURE_SIDE)));
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let now = Instant::now();
        self.frames += 1;
        // The saved theme holds whatever else set the context's preference (a test harness does, after start).
        crate::theme::set(&ctx, self.settings.theme);

        if ui.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down()) {
            self.last_input = now;
        }
        if let Some(outcome) = self.worker.poll() {
            self.on_outcome(outcome);
        }
        while let Some(event) = self.net.as_mut().and_then(NetWorker::poll) {
            self.on_net_event(event);
        }
        if self.vault.is_some() && !self.worker.busy() && !self.sweep_records.is_empty() {
            self.record_sweeps();
        }
        if self.vault.is_some() {
            self.fetch_balances_if_new();
            self.watch_if_due(&ctx, now);
            self.plan_scan_if_due();
        }
        if self.holds_secrets() {
            let deadline = lock_deadline(self.last_input, self.settings.auto_lock_minutes);
            if now >= deadline {
                self.lock(&ctx);
            } else {
                // One wake-up at the deadline, not a periodic repaint.
                ctx.request_repaint_after(deadline - now);
            }
        }
        if let Some(address) = self.clipboard.take_due(now) {
            self.clear_clipboard(&ctx, &address);
        }

        let mut intent = egui::Panel::top("coffer-top").show(ui, |ui| self.top_bar(ui)).inner;
        egui::Panel::bottom("coffer-status").show(ui, |ui| self.status_bar(ui));
        // The foreign-signature banner sits under the top bar, outside the scrolled page: it cannot be scrolled away.
        if !self.online.alerts.is_empty() {
            let dismissed = egui::Panel::top("coffer-alert")
                .show(ui, |ui| crate::screens::online::alert_banner(ui, &self.online.alerts))
                .inner;
            if dismissed {
                intent = Some(Intent::DismissAlerts);
            }
        }
        if let Some(left) = self.clipboard.seconds_left(now) {
            if let Some(tick) = self.clipboard.next_tick(now) {
                ctx.request_repaint_after(tick);
            }
            egui::Panel::bottom("coffer-clipboard").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!("Copied. Coffer clears the clipboard in {left} s."));
                    if crate::theme::secondary(ui, "Clear clipboard now").clicked() {
                        intent = Some(Intent::ClearClipboard);
                    }
                });
            });
        }
        let busy = self.worker.busy();
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
                ui.add_space(8.0);
                crate::theme::column(ui, |ui| {
                    if let Some(q) = &mut self.question
                        && let Some(i) = q.ui(ui)
                    {
                        intent = Some(Intent::Question(i));
                    }
                    if let Some(w) = &self.rollback {
                        ui.group(|ui| {
                            ui.label(RichText::new(w).strong().color(ui.visuals().error_fg_color));
                            if crate::theme::secondary(ui, "Dismiss rollback warning").clicked() {
                                intent = Some(Intent::DismissRollback);
                            }
                        });
                        ui.add_space(6.0);
                    }
                    if let Some(n) = &self.notice {
                        ui.label(RichText::new(n).color(ui.visuals().warn_fg_color));
                        ui.add_space(6.0);
                    }
                    if let Some(p) = &mut self.password_needed {
                        let mut go = false;
                        ui.add_enabled_ui(!busy, |ui| {
                            ui.horizontal(|ui| {
                                go |= crate::screens::password_field(
                                    ui,
                                    "Vault password:",
                                    &mut p.password,
                                    240.0,
                                    &mut p.focus,
                                );
                                go |= crate::theme::primary_enabled(ui, !p.password.is_empty(), "Confirm password")
                                    .clicked();
                                if crate::theme::secondary(ui, "Not now").clicked() {
                                    intent = Some(Intent::CancelPassword);
                                }
                            });
                        });
                        if go && !p.password.is_empty() {
                            intent = Some(Intent::ConfirmPassword);
                        }
                        ui.add_space(6.0);
                    }
                    let unlocked = self.holds_secrets();
                    let page_intent = ui
                        .add_enabled_ui(!busy, |ui| match self.page {
                            _ if self.words.is_some() => self.words.as_mut().and_then(|w| w.ui(ui)).map(Intent::Words),
                            Page::Main => self.main_page(ui),
                            Page::Sign => self.sign.as_mut().and_then(|s| s.ui(ui)).map(Intent::Sign),
                            Page::Send => {
                                let online = self.online_for(NetChain::Solana);
                                let stellar = self.online_for(NetChain::Stellar);
                                let iota = self.online_for(NetChain::Iota);
                                let sui = self.online_for(NetChain::Sui);
                                self.send.as_mut().and_then(|s| {
                                    s.online = online;
                                    s.online_stellar = stellar;
                                    s.online_iota = iota;
                                    s.online_sui = sui;
                                    s.ui(ui)
                                })
                            }
                            .map(Intent::Send),
                            Page::Log => {
                                if let Some(l) = &self.log {
                                    l.ui(ui);
                                }
                                None
                            }
                            Page::Seeds => self.seeds.as_mut().and_then(|s| s.ui(ui)).map(Intent::Seeds),
                            Page::Migrate => {
                                let online: Vec<coffer_core::Chain> = coffer_core::Chain::ALL
                                    .into_iter()
                                    .filter(|c| NetChain::of(*c).is_some_and(|n| self.online_for(n)))
                                    .collect();
                                let progress = self.online.progress;
                                self.migrate.as_mut().and_then(|s| {
                                    s.online = online;
                                    s.progress = progress;
                                    s.ui(ui)
                                })
                            }
                            .map(Intent::Migrate),
                            Page::Settings => {
                                let facts = self.vault_facts();
                                let i = self
                                    .settings_screen
                                    .ui(ui, &self.settings, unlocked, facts.as_ref())
                                    .map(Intent::Settings);
                                ui.add_space(12.0);
                                ui.separator();
                                // Drawn every frame (not only when the sections above asked nothing).
                                let file = self.vault_file_ui(ui).map(Intent::VaultFile);
                                let i = i.or(file);
                                ui.add_space(12.0);
                                ui.separator();
                                let running = self.net.as_ref().map(|_| self.net_specs.as_slice());
                                i.or_else(|| self.network_settings.ui(ui, &self.settings, running).map(Intent::Network))
                            }
                            Page::Activity => self.activity.as_ref().and_then(|a| a.ui(ui)).map(Intent::Activity),
                            Page::AddressBook => {
                                self.address_book.as_mut().and_then(|s| s.ui(ui)).map(Intent::AddressBook)
                            }
                            Page::Home => {
                                let online = self.net.as_ref().map(|_| &self.online);
                                self.home.ui(ui, online).map(Intent::Home)
                            }
                            Page::About => {
                                self.about.ui(ui, self.sandbox.as_ref());
                                None
                            }
                        })
                        .inner;
                    intent = intent.take().or(page_intent);
                });
                ui.add_space(16.0);
            });
        });
        if let Some(i) = intent {
            self.apply(&ctx, i);
        }

        // Only an address the user asked to copy (or the clearing of one) may reach the clipboard.
        let allowed = self.allowed_copy.take();
        ctx.output_mut(|o| o.commands.retain(|c| clipboard::allow_output(c, allowed.as_deref())));

        if self.frames == 1 {
            // The second frame starts only after the first was painted and swapped: it gives the startup memory
            // back (and, for `scripts/perf`, marks the first frame as painted).
            ctx.request_repaint();
        } else if let Some(trim) = self.startup_trim.take() {
            trim.paint_once(&ctx);
        }
        if self.exit_after_first_frame && self.frames > 1 {
            println!("coffer-gui first frame after {} ms", self.started.elapsed().as_millis());
            // Measurement mode only (no secret exists yet): leave at once, so the time measured from outside is
            // launch to first frame, not the renderer's teardown.
            std::process::exit(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_is_minutes_after_last_input() {
        let t = Instant::now();
        assert_eq!(lock_deadline(t, 5), t + Duration::from_secs(300));
        assert_eq!(lock_deadline(t, 1) - t, Duration::from_secs(60));
    }
}
