//! First run: create the vault with a password typed twice, with strength feedback.
//!
//! The password fields are egui `TextEdit`s over [`TypedSecret`]s (redacted `Debug`, wiped on every edit, after use
//! and on drop). Limitation: egui's own text-edit state may hold copies of what is typed and drawn (password fields
//! draw only bullets) that it frees without wiping.

use coffer_core::secret::SecretString;
use egui::RichText;

use crate::effect::Effect;
use crate::strength::{self, Verdict};
use crate::typed::TypedSecret;

/// Shortest password accepted, in characters.
pub const MIN_CHARS: usize = 8;

/// What the user chose.
#[derive(Debug)]
pub enum CreateVaultIntent {
    /// Create the vault under this password.
    Create(SecretString),
}

/// Why the password cannot be used yet, if it cannot.
#[must_use]
pub fn problem(password: &str, repeat: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_CHARS {
        Some("Use at least 8 characters.")
    } else if strength::estimate(password).verdict == Verdict::TooWeak {
        Some("This password is too easy to guess: make it longer or less predictable.")
    } else if password != repeat {
        Some("The two passwords differ.")
    } else {
        None
    }
}

/// The create-vault screen.
#[derive(Debug)]
pub struct CreateVaultScreen {
    location: String,
    password: TypedSecret,
    repeat: TypedSecret,
    /// An error from a previous attempt (no secret).
    pub error: Option<String>,
    /// Put the keyboard focus in the first password field on the next frame.
    focus: bool,
}

impl CreateVaultScreen {
    /// The screen for a vault to be created at `location` (shown to the user).
    #[must_use]
    pub fn new(location: String) -> Self {
        Self { location, password: TypedSecret::new(), repeat: TypedSecret::new(), error: None, focus: true }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<CreateVaultIntent> {
        ui.heading("Create your vault");
        ui.label(
            "Coffer keeps your seeds in one encrypted file on this computer. Choose a password to protect it: anyone \
             with the file and the password can read your seeds, and without the password nobody can, not even you.",
        );
        ui.label(RichText::new(format!("Vault file: {}", self.location)).weak());
        ui.add_space(10.0);
        let mut submit = false;
        egui::Grid::new("create-vault").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            submit |= super::password_field(ui, "Password:", &mut self.password, 280.0, &mut self.focus);
            ui.end_row();
            submit |= super::password_field(ui, "Password again:", &mut self.repeat, 280.0, &mut false);
            ui.end_row();
        });
        ui.add_space(6.0);
        if !self.password.is_empty() {
            let s = strength::estimate(self.password.as_str());
            let color = match s.verdict {
                Verdict::TooWeak => super::error_color(ui),
                Verdict::Fair => super::warn_color(ui),
                Verdict::Good | Verdict::Strong => super::ok_color(ui),
            };
            ui.label(RichText::new(format!("Strength: {} (about {:.0} bits)", s.verdict.text(), s.bits)).color(color));
        }
        let problem = problem(self.password.as_str(), self.repeat.as_str());
        if let (Some(p), false) = (problem, self.password.is_empty()) {
            ui.label(RichText::new(p).color(super::warn_color(ui)));
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(super::error_color(ui)));
        }
        ui.label(
            RichText::new(
                "Tip: several random words (for example six from a word list, picked with dice) make a strong \
                 password you can remember. Coffer cannot recover a forgotten password.",
            )
            .weak(),
        );
        ui.add_space(8.0);
        submit |= crate::theme::primary_enabled(ui, problem.is_none(), "Create vault").clicked();
        if submit && problem.is_none() {
            let p = self.password.take_secret(false);
            self.repeat.wipe();
            self.error = None;
            return Some(CreateVaultIntent::Create(p));
        }
        None
    }
}

impl CreateVaultScreen {
    /// Applies the user's intent: creating the vault is the worker's job.
    #[must_use]
    pub fn update(&mut self, intent: CreateVaultIntent) -> Option<Effect> {
        match intent {
            CreateVaultIntent::Create(password) => Some(Effect::CreateVault(password)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    #[test]
    fn problems() {
        assert!(problem("short", "short").is_some());
        assert!(problem("password123", "password123").is_some());
        assert_eq!(problem("xK9#mQ2$vL7!", "xK9#mQ2$vL7?"), Some("The two passwords differ."));
        assert_eq!(problem("xK9#mQ2$vL7!", "xK9#mQ2$vL7!"), None);
    }

    #[test]
    fn typed_twice_with_feedback() {
        let mut screen = CreateVaultScreen::new("/tmp/vault.coffer".into());
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Option<String>| {
                if let Some(CreateVaultIntent::Create(p)) = screen.ui(ui) {
                    *out = Some(p.expose().to_owned());
                }
            },
            None,
        );
        h.run();
        assert!(h.get_by_label("Password:").is_focused(), "the first field has the keyboard focus when shown");
        h.get_by_label("Password:").type_text("password");
        h.run();
        h.get_by_label_contains("Strength: too weak");
        assert!(h.get_by_label("Create vault").accesskit_node().is_disabled());
        for _ in 0..8 {
            h.key_press(egui::Key::Backspace);
        }
        h.get_by_label("Password:").type_text("orbit velvet harvest ridge catalog trial");
        h.get_by_label("Password again:").focus();
        h.get_by_label("Password again:").type_text("orbit velvet harvest ridge catalog");
        h.run();
        h.get_by_label_contains("Strength: good");
        h.get_by_label("The two passwords differ.");
        h.get_by_label("Password again:").type_text(" trial");
        h.run();
        h.get_by_label("Create vault").click();
        h.run();
        assert_eq!(h.state().as_deref(), Some("orbit velvet harvest ridge catalog trial"));
    }
}
