//! The eframe app: saved [`Settings`] (never secrets) apart from runtime state, the screens, and
//! [`CofferApp::apply`], the one place where user intents are applied by calling `coffer-core`.
//!
//! Secrets in memory: the mnemonic of a seed being created (inside its screen), the words typed on the import
//! screen, and the open [`Seed`]. Locking, by hand or after the idle timeout, drops all of them (they zeroize on
//! drop), forgets egui's widget state (text-edit undo history) and returns to the first screen.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use coffer_core::{Mnemonic, Seed, WordCount};
use egui::RichText;

use crate::clipboard::{self, ClearDecision, ClipboardGuard};
use crate::screens::about::AboutScreen;
use crate::screens::accounts::{AccountsIntent, AccountsScreen};
use crate::screens::backup_check::{BackupCheckIntent, BackupCheckScreen};
use crate::screens::import::{ImportIntent, ImportScreen};
use crate::screens::new_seed::{NewSeedIntent, NewSeedScreen};
use crate::screens::settings::{SettingsIntent, SettingsScreen};
use crate::screens::welcome::{WelcomeIntent, WelcomeScreen};
use crate::settings::Settings;
use crate::worker::{self, Job, Outcome, SeedOrigin, Worker};

/// How the app is started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Where settings are loaded from and saved to (`None`: defaults, never saved).
    pub settings_path: Option<PathBuf>,
    /// Print the time since `started` and close after the first frame has been painted (for `scripts/perf`).
    pub exit_after_first_frame: bool,
    /// When the process started.
    pub started: Instant,
}

impl AppOptions {
    /// Options for the real app: settings in the user's config directory, `COFFER_EXIT_AFTER_FIRST_FRAME=1` read
    /// from the environment.
    #[must_use]
    pub fn from_env(started: Instant) -> Self {
        Self {
            settings_path: Settings::default_path(),
            exit_after_first_frame: std::env::var_os("COFFER_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1"),
            started,
        }
    }

    /// Options for tests: default settings, nothing written.
    #[must_use]
    pub fn ephemeral() -> Self {
        Self { settings_path: None, exit_after_first_frame: false, started: Instant::now() }
    }
}

/// Where the user is in the seed flow.
#[derive(Debug)]
enum Flow {
    Welcome(WelcomeScreen),
    NewSeed(NewSeedScreen),
    BackupCheck(BackupCheckScreen),
    Import(Box<ImportScreen>),
    /// The worker is opening a seed.
    Opening,
    Accounts(AccountsScreen),
}

/// The page picked in the top bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Main,
    Settings,
    About,
}

/// Everything the user can ask for, from any screen.
#[derive(Debug)]
enum Intent {
    Welcome(WelcomeIntent),
    NewSeed(NewSeedIntent),
    BackupCheck(BackupCheckIntent),
    Import(ImportIntent),
    Accounts(AccountsIntent),
    Settings(SettingsIntent),
    Navigate(Page),
    ClearClipboard,
    Lock,
}

/// The open seed.
#[derive(Debug)]
struct Session {
    seed: Seed,
}

/// Coffer's desktop app.
#[derive(Debug)]
pub struct CofferApp {
    // Saved.
    settings: Settings,
    settings_path: Option<PathBuf>,
    // Runtime only.
    flow: Flow,
    page: Page,
    session: Option<Session>,
    worker: Worker,
    clipboard: ClipboardGuard,
    /// The only clipboard text allowed out this frame.
    allowed_copy: Option<String>,
    last_input: Instant,
    notice: Option<String>,
    started: Instant,
    exit_after_first_frame: bool,
    frames: u64,
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
        Ok(Self {
            settings,
            settings_path: options.settings_path,
            flow: Flow::Welcome(WelcomeScreen),
            page: Page::Main,
            session: None,
            worker,
            clipboard: ClipboardGuard::default(),
            allowed_copy: None,
            last_input: Instant::now(),
            notice: None,
            started: options.started,
            exit_after_first_frame: options.exit_after_first_frame,
            frames: 0,
        })
    }

    /// Whether any secret is in memory.
    #[must_use]
    pub fn holds_secrets(&self) -> bool {
        self.session.is_some() || !matches!(self.flow, Flow::Welcome(_))
    }

    /// The current settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Moves the last input back by `idle`, as if the user had been away that long (for auto-lock tests).
    #[doc(hidden)]
    pub fn pretend_idle(&mut self, idle: Duration) {
        self.last_input = self.last_input.checked_sub(idle).unwrap_or(self.last_input);
    }

    /// Applies one user intent: the only place that calls the core on the user's behalf.
    fn apply(&mut self, ctx: &egui::Context, intent: Intent) {
        self.notice = None;
        match intent {
            Intent::Welcome(WelcomeIntent::CreateNew) => match Mnemonic::generate(WordCount::Words24) {
                Ok(m) => self.flow = Flow::NewSeed(NewSeedScreen::new(m)),
                Err(e) => self.notice = Some(format!("Could not create a seed: {e}")),
            },
            Intent::Welcome(WelcomeIntent::Import) => self.flow = Flow::Import(Box::default()),
            Intent::NewSeed(NewSeedIntent::WroteThemDown) => {
                if let Flow::NewSeed(s) = std::mem::replace(&mut self.flow, Flow::Opening) {
                    self.flow = Flow::BackupCheck(BackupCheckScreen::new(s.into_mnemonic()));
                }
            }
            Intent::BackupCheck(BackupCheckIntent::ShowWordsAgain) => {
                if let Flow::BackupCheck(s) = std::mem::replace(&mut self.flow, Flow::Opening) {
                    self.flow = Flow::NewSeed(NewSeedScreen::new(s.into_mnemonic()));
                }
            }
            Intent::BackupCheck(BackupCheckIntent::Passed) => {
                if let Flow::BackupCheck(s) = std::mem::replace(&mut self.flow, Flow::Opening) {
                    let passphrase = coffer_core::secret::SecretString::with_capacity(0);
                    let job = Job::OpenSeed { mnemonic: s.into_mnemonic(), passphrase, origin: SeedOrigin::Created };
                    self.worker.submit(job);
                }
            }
            Intent::Import(ImportIntent::Import { mnemonic, passphrase }) => {
                self.flow = Flow::Opening;
                self.worker.submit(Job::OpenSeed { mnemonic, passphrase, origin: SeedOrigin::Imported });
            }
            Intent::NewSeed(NewSeedIntent::Cancel)
            | Intent::BackupCheck(BackupCheckIntent::Cancel)
            | Intent::Import(ImportIntent::Cancel) => self.flow = Flow::Welcome(WelcomeScreen),
            Intent::Accounts(AccountsIntent::Copy(address)) => {
                ctx.copy_text(address.clone());
                self.allowed_copy = Some(address.clone());
                self.clipboard.copied(address, Instant::now());
            }
            Intent::Accounts(AccountsIntent::Add(chain)) => {
                if let (Some(session), Flow::Accounts(screen)) = (&self.session, &mut self.flow) {
                    match worker::nth_account(&session.seed, chain, screen.next_number(chain)) {
                        Ok(a) => screen.push(a),
                        Err(e) => self.notice = Some(e.to_string()),
                    }
                }
            }
            Intent::ClearClipboard => {
                if let Some(address) = self.clipboard.take() {
                    self.clear_clipboard(ctx, &address);
                }
            }
            Intent::Settings(SettingsIntent::SetAutoLock(minutes)) => {
                self.settings.auto_lock_minutes = minutes;
                if let Some(path) = &self.settings_path
                    && let Err(e) = self.settings.save(path)
                {
                    self.notice = Some(format!("Could not save the settings to {}: {e}", path.display()));
                }
            }
            Intent::Settings(SettingsIntent::LockNow) | Intent::Lock => self.lock(ctx),
            Intent::Navigate(page) => self.page = page,
        }
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::SeedOpened { seed, accounts, origin } => {
                self.session = Some(Session { seed });
                self.flow = Flow::Accounts(AccountsScreen::new(accounts, origin));
            }
            Outcome::Failed(e) => {
                self.flow = Flow::Welcome(WelcomeScreen);
                self.notice = Some(format!("Could not open the seed: {e}"));
            }
        }
    }

    /// Wipes every secret and returns to the first screen.
    fn lock(&mut self, ctx: &egui::Context) {
        self.worker.cancel();
        self.session = None;
        self.flow = Flow::Welcome(WelcomeScreen);
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

    fn top_bar(&self, ui: &mut egui::Ui) -> Option<Intent> {
        let mut intent = None;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Coffer").strong().size(18.0));
            ui.separator();
            let home = if self.session.is_some() { "Accounts" } else { "Home" };
            for (page, text) in [(Page::Main, home), (Page::Settings, "Settings"), (Page::About, "About")] {
                if ui.selectable_label(self.page == page, text).clicked() {
                    intent = Some(Intent::Navigate(page));
                }
            }
            if self.holds_secrets() {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Lock").on_hover_text("Wipe every secret from memory").clicked() {
                        intent = Some(Intent::Lock);
                    }
                });
            }
        });
        intent
    }

    fn main_page(&mut self, ui: &mut egui::Ui) -> Option<Intent> {
        match &mut self.flow {
            Flow::Welcome(s) => s.ui(ui).map(Intent::Welcome),
            Flow::NewSeed(s) => s.ui(ui).map(Intent::NewSeed),
            Flow::BackupCheck(s) => s.ui(ui).map(Intent::BackupCheck),
            Flow::Import(s) => s.ui(ui).map(Intent::Import),
            Flow::Opening => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Opening the seed and deriving your accounts…");
                });
                None
            }
            Flow::Accounts(s) => s.ui(ui).map(Intent::Accounts),
        }
    }
}

/// When the app locks itself after `minutes` without input since `last_input`.
#[must_use]
pub fn lock_deadline(last_input: Instant, minutes: u32) -> Instant {
    last_input + Duration::from_secs(u64::from(minutes) * 60)
}

impl eframe::App for CofferApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let now = Instant::now();
        self.frames += 1;

        if ui.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down()) {
            self.last_input = now;
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
        if let Some(outcome) = self.worker.poll() {
            self.on_outcome(outcome);
        }
        if let Some(address) = self.clipboard.take_due(now) {
            self.clear_clipboard(&ctx, &address);
        }

        let mut intent = egui::Panel::top("coffer-top").show(ui, |ui| self.top_bar(ui)).inner;
        if let Some(left) = self.clipboard.seconds_left(now) {
            if let Some(tick) = self.clipboard.next_tick(now) {
                ctx.request_repaint_after(tick);
            }
            egui::Panel::bottom("coffer-clipboard").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(format!("Address copied. Coffer clears the clipboard in {left} s."));
                    if ui.button("Clear clipboard now").clicked() {
                        intent = Some(Intent::ClearClipboard);
                    }
                });
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
                if let Some(n) = &self.notice {
                    ui.label(RichText::new(n).color(ui.visuals().warn_fg_color));
                    ui.add_space(6.0);
                }
                let unlocked = self.holds_secrets();
                let page_intent = match self.page {
                    Page::Main => self.main_page(ui),
                    Page::Settings => SettingsScreen.ui(ui, &self.settings, unlocked).map(Intent::Settings),
                    Page::About => {
                        AboutScreen.ui(ui);
                        None
                    }
                };
                intent = intent.take().or(page_intent);
            });
        });
        if let Some(i) = intent {
            self.apply(&ctx, i);
        }

        // Only an address the user asked to copy (or the clearing of one) may reach the clipboard.
        let allowed = self.allowed_copy.take();
        ctx.output_mut(|o| o.commands.retain(|c| clipboard::allow_output(c, allowed.as_deref())));

        if self.exit_after_first_frame {
            if self.frames == 1 {
                // The second frame starts only after the first was painted and swapped.
                ctx.request_repaint();
            } else {
                println!("coffer-gui first frame after {} ms", self.started.elapsed().as_millis());
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
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
