//! Settings: auto-lock minutes, "lock now", the vault's key-derivation strength (change the password with
//! calibrated or stronger parameters; the current password is asked and checked by the core first, so a window
//! left unlocked, or opened by quick unlock, cannot be used to lock the owner out) and quick unlock through the OS
//! keyring.
//!
//! The password fields are wiped after use and on drop (limitations as on the create-vault screen).

use coffer_core::secret::SecretString;
use egui::RichText;

use super::create_vault::problem;
use crate::effect::Effect;
use crate::settings::{MAX_AUTO_LOCK_MINUTES, MIN_AUTO_LOCK_MINUTES, Settings};
use crate::typed::TypedSecret;

/// What the user chose.
#[derive(Debug)]
pub enum SettingsIntent {
    /// Lock after this many idle minutes.
    SetAutoLock(u32),
    /// Lock now.
    LockNow,
    /// Publish the window to screen readers (`true`) or stop.
    SetScreenReader(bool),
    /// Re-encrypt the vault under this password once `current` is checked; `stronger`: parameters for about 3 s
    /// instead of 1 s.
    ChangePassword {
        /// The current password (the core checks it before anything changes).
        current: SecretString,
        /// The new password.
        password: SecretString,
        /// Slower (stronger) key derivation.
        stronger: bool,
    },
    /// Quick unlock on (`Some(true)`), off (`Some(false)`), or ask the keyring for its status (`None`).
    QuickUnlock(Option<bool>),
    /// Light, dark, or as the system says.
    SetTheme(crate::theme::ThemeChoice),
}

/// The trade-off of quick unlock, stated where it is turned on.
pub const QUICK_UNLOCK_TRADE_OFF: &str = "Quick unlock keeps a key in your operating system's keyring that opens \
    the vault without its password. Anyone (or any program) who can run code as you while you are logged in can \
    then open the vault too. Leave it off if that matters more to you than convenience.";

/// The trade-off of screen reader support, stated where it is turned on.
pub const SCREEN_READER_TRADE_OFF: &str = "Screen readers read the app through the desktop's accessibility bus. \
    While this is on, any program running as you can read everything the window shows there, including seed words \
    while they are on screen (password fields stay masked). Leave it off unless you use a screen reader.";

/// What the vault says about itself (public).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VaultFacts {
    /// Argon2id memory in MiB.
    pub memory_mib: u32,
    /// Argon2id passes.
    pub passes: u32,
    /// Quick unlock has a device slot in the vault.
    pub quick_unlock: bool,
}

/// The settings screen.
#[derive(Debug, Default)]
pub struct SettingsScreen {
    current: TypedSecret,
    password: TypedSecret,
    repeat: TypedSecret,
    stronger: bool,
    /// The last quick-unlock status from the keyring.
    pub quick_status: Option<String>,
}

impl SettingsScreen {
    /// Draws the screen for the current `settings`; `unlocked` says whether any secret is in memory, `vault` what
    /// the open vault says about itself.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &Settings,
        unlocked: bool,
        vault: Option<&VaultFacts>,
    ) -> Option<SettingsIntent> {
        let mut intent = None;
        ui.heading("Settings");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = ui.label("Auto-lock after (minutes without input):");
            let mut minutes = settings.auto_lock_minutes;
            ui.add(egui::DragValue::new(&mut minutes).range(MIN_AUTO_LOCK_MINUTES..=MAX_AUTO_LOCK_MINUTES))
                .labelled_by(label.id);
            if crate::theme::secondary(ui, "−").accessible_name("One minute less").clicked() {
                minutes = minutes.saturating_sub(1).max(MIN_AUTO_LOCK_MINUTES);
            }
            if crate::theme::secondary(ui, "+").accessible_name("One minute more").clicked() {
                minutes = (minutes + 1).min(MAX_AUTO_LOCK_MINUTES);
            }
            if minutes != settings.auto_lock_minutes {
                intent = Some(SettingsIntent::SetAutoLock(minutes));
            }
        });
        ui.add_space(12.0);
        if crate::theme::secondary_enabled(ui, unlocked, "Lock now").clicked() {
            intent = Some(SettingsIntent::LockNow);
        }
        ui.label("Locking wipes every secret from memory and returns to the first screen.");
        ui.separator();
        ui.label(crate::theme::section("Screen reader"));
        let mut on = settings.screen_reader;
        if ui.checkbox(&mut on, "Screen reader support").changed() {
            intent = Some(SettingsIntent::SetScreenReader(on));
        }
        ui.label(RichText::new(SCREEN_READER_TRADE_OFF).weak());
        ui.separator();
        ui.label(crate::theme::section("Appearance"));
        ui.horizontal(|ui| {
            ui.label("Theme:");
            for choice in crate::theme::ThemeChoice::ALL {
                if ui.radio(settings.theme == choice, choice.title()).clicked() && settings.theme != choice {
                    intent = Some(SettingsIntent::SetTheme(choice));
                }
            }
        });
        if let Some(facts) = vault {
            ui.separator();
            if let Some(i) = self.password_ui(ui, facts) {
                intent = Some(i);
            }
            ui.separator();
            if let Some(i) = self.quick_ui(ui, facts) {
                intent = Some(i);
            }
        }
        intent
    }

    fn password_ui(&mut self, ui: &mut egui::Ui, facts: &VaultFacts) -> Option<SettingsIntent> {
        ui.label(crate::theme::section("Password and key derivation"));
        ui.label(format!(
            "The vault's key is derived with Argon2id using {} MiB of memory and {} passes.",
            facts.memory_mib, facts.passes
        ));
        ui.label(
            "The current password is asked even though the vault is open: a window left unlocked, or opened by \
             quick unlock, cannot change it.",
        );
        egui::Grid::new("change-password").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            super::password_field(ui, "Current password:", &mut self.current, 280.0, &mut false);
            ui.end_row();
            super::password_field(ui, "New password:", &mut self.password, 280.0, &mut false);
            ui.end_row();
            super::password_field(ui, "New password again:", &mut self.repeat, 280.0, &mut false);
            ui.end_row();
        });
        ui.checkbox(
            &mut self.stronger,
            "Stronger key derivation (unlocking takes about 3 seconds instead of 1; guessing is 3 times slower)",
        );
        let problem = problem(self.password.as_str(), self.repeat.as_str());
        if let (Some(p), false) = (problem, self.password.is_empty()) {
            ui.label(RichText::new(p).color(super::warn_color(ui)));
        }
        if facts.quick_unlock {
            ui.label("Changing the password turns quick unlock off.");
        }
        let ready = problem.is_none() && !self.current.is_empty();
        if crate::theme::primary_enabled(ui, ready, "Change password").clicked() && ready {
            let current = self.current.take_secret(false);
            let p = self.password.take_secret(false);
            self.repeat.wipe();
            return Some(SettingsIntent::ChangePassword { current, password: p, stronger: self.stronger });
        }
        None
    }

    fn quick_ui(&mut self, ui: &mut egui::Ui, facts: &VaultFacts) -> Option<SettingsIntent> {
        let mut intent = None;
        ui.label(crate::theme::section("Quick unlock"));
        ui.label(RichText::new(QUICK_UNLOCK_TRADE_OFF).color(super::warn_color(ui)));
        ui.label(if facts.quick_unlock { "Quick unlock is on for this vault." } else { "Quick unlock is off." });
        if let Some(s) = &self.quick_status {
            ui.label(s);
        }
        ui.horizontal(|ui| {
            if facts.quick_unlock {
                if crate::theme::secondary(ui, "Turn quick unlock off").clicked() {
                    intent = Some(SettingsIntent::QuickUnlock(Some(false)));
                }
            } else if crate::theme::secondary(ui, "Turn quick unlock on").clicked() {
                intent = Some(SettingsIntent::QuickUnlock(Some(true)));
            }
            if crate::theme::secondary(ui, "Ask the keyring").clicked() {
                intent = Some(SettingsIntent::QuickUnlock(None));
            }
        });
        intent
    }
}

impl SettingsScreen {
    /// Applies the user's intent to the saved `settings` where it changes them.
    #[must_use]
    pub fn update(&mut self, intent: SettingsIntent, settings: &mut Settings) -> Option<Effect> {
        Some(match intent {
            SettingsIntent::SetAutoLock(minutes) => {
                settings.auto_lock_minutes = minutes;
                Effect::SaveSettings { refresh: false }
            }
            SettingsIntent::LockNow => Effect::Lock,
            SettingsIntent::SetScreenReader(on) => {
                settings.screen_reader = on;
                Effect::ScreenReader(on)
            }
            SettingsIntent::ChangePassword { current, password, stronger } => {
                Effect::ChangePassword { current, password, stronger }
            }
            SettingsIntent::QuickUnlock(enable) => Effect::SetQuickUnlock(enable),
            SettingsIntent::SetTheme(choice) => {
                settings.theme = choice;
                Effect::Theme(choice)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    #[test]
    fn minutes_and_lock() {
        let settings = Settings::default();
        let mut screen = SettingsScreen::default();
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<String>| {
                if let Some(i) = screen.ui(ui, &settings, true, None) {
                    out.push(format!("{i:?}"));
                }
            },
            Vec::new(),
        );
        h.run();
        assert_eq!(h.get_by_label("Auto-lock after (minutes without input):").value().as_deref(), Some("5"));
        assert!(h.query_by_label("Change password").is_none(), "no vault, no password change");
        h.get_by_label("One minute more").click();
        h.run();
        h.get_by_label("Lock now").click();
        h.run();
        h.get_by_label(SCREEN_READER_TRADE_OFF);
        h.get_by_label("Screen reader support").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec!["SetAutoLock(6)".to_owned(), "LockNow".to_owned(), "SetScreenReader(true)".to_owned()]
        );
    }

    #[test]
    fn change_password_and_quick_unlock() {
        let settings = Settings::default();
        let facts = VaultFacts { memory_mib: 64, passes: 3, quick_unlock: false };
        let mut screen = SettingsScreen::default();
        let mut h = Harness::builder().with_size(egui::vec2(900.0, 900.0)).build_ui_state(
            move |ui, out: &mut Vec<(String, Option<bool>)>| match screen.ui(ui, &settings, true, Some(&facts)) {
                Some(SettingsIntent::ChangePassword { current, password, stronger }) => {
                    out.push((format!("{} -> {}", current.expose(), password.expose()), Some(stronger)));
                }
                Some(SettingsIntent::QuickUnlock(on)) => out.push(("quick".into(), on)),
                _ => {}
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label_contains("64 MiB of memory and 3 passes");
        h.get_by_label(QUICK_UNLOCK_TRADE_OFF);
        for f in ["New password:", "New password again:"] {
            h.get_by_label(f).focus();
            h.get_by_label(f).type_text("orbit velvet harvest ridge");
            h.run();
        }
        h.get_by_label_contains("Stronger key derivation").click();
        h.run();
        // The new password twice is not enough: the current one is asked too.
        assert!(h.get_by_label("Change password").accesskit_node().is_disabled());
        h.get_by_label("Current password:").focus();
        h.get_by_label("Current password:").type_text("the old one, typed again");
        h.run();
        h.get_by_label("Change password").click();
        h.run();
        h.get_by_label("Turn quick unlock on").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                ("the old one, typed again -> orbit velvet harvest ridge".to_owned(), Some(true)),
                ("quick".to_owned(), Some(true))
            ]
        );
    }
}
