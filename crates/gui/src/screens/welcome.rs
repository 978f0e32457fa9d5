//! First run: name the seed, then create a new one or import one. The name is checked with the vault's own label
//! rules as it is typed ([`coffer_core::vault::check_new_label`]: no invisible characters, nothing that looks like
//! another seed's label).

use egui::RichText;

use crate::effect::{Effect, Go};

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelcomeIntent {
    /// Generate a new seed.
    CreateNew,
    /// Type in an existing mnemonic.
    Import,
    /// Back to the accounts (when the vault already holds a seed).
    Back,
}

/// The choice between creating and importing a seed.
#[derive(Debug)]
pub struct WelcomeScreen {
    /// Whether the vault already holds a seed (then "Back" is offered).
    pub has_seeds: bool,
    /// The labels of the vault's seeds.
    taken: Vec<String>,
    /// The new seed's name, as typed.
    name: String,
}

/// "Seed N" for the first N not taken (the suggested name).
#[must_use]
pub fn next_seed_label(taken: &[String]) -> String {
    // Free by the vault's rule: not even another case of a taken label.
    (1..)
        .map(|n| format!("Seed {n}"))
        .find(|l| coffer_core::vault::check_new_label(l, taken.iter().map(String::as_str)).is_ok())
        .unwrap_or_default()
}

impl WelcomeScreen {
    /// The screen for a vault whose seeds are labelled `taken`; the name field suggests the next free "Seed N".
    #[must_use]
    pub fn new(taken: Vec<String>) -> Self {
        Self { has_seeds: !taken.is_empty(), name: next_seed_label(&taken), taken }
    }

    /// The new seed's name (trimmed).
    #[must_use]
    pub fn name(&self) -> &str {
        self.name.trim()
    }

    /// Why the vault would refuse the name typed, if it would.
    #[must_use]
    pub fn name_problem(&self) -> Option<String> {
        coffer_core::vault::check_new_label(self.name(), self.taken.iter().map(String::as_str))
            .err()
            .map(|e| e.to_string())
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<WelcomeIntent> {
        let mut intent = None;
        let problem = self.name_problem();
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            let title = if self.has_seeds { "Add a seed" } else { "Welcome to Coffer" };
            ui.heading(RichText::new(title).size(28.0));
            ui.add_space(8.0);
            ui.label("Your vault is ready. Coffer keeps your seeds encrypted in it, on this computer only.");
            ui.add_space(16.0);
            let l = ui.label("Name of the new seed:");
            ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(280.0)).labelled_by(l.id);
            match &problem {
                Some(p) => ui.label(RichText::new(format!("Choose another name: {p}.")).color(super::error_color(ui))),
                None => ui.label(RichText::new("You can rename it later on the Seeds page.").weak()),
            };
            ui.add_space(16.0);
            let ok = problem.is_none();
            if crate::theme::primary_enabled(ui, ok, "Create a new seed").clicked() && ok {
                intent = Some(WelcomeIntent::CreateNew);
            }
            ui.label("Coffer makes 24 new recovery words from this computer's randomness.");
            ui.add_space(16.0);
            if crate::theme::secondary_enabled(ui, ok, "Import a seed").clicked() && ok {
                intent = Some(WelcomeIntent::Import);
            }
            ui.label("Type in the recovery words you already have.");
            if self.has_seeds {
                ui.add_space(16.0);
                if crate::theme::secondary(ui, "Back to the accounts").clicked() {
                    intent = Some(WelcomeIntent::Back);
                }
            }
        });
        intent
    }
}

impl WelcomeScreen {
    /// Applies the user's intent: the seed flows are the app's (the name typed goes with them).
    #[must_use]
    pub fn update(&mut self, intent: WelcomeIntent) -> Option<Effect> {
        let name = Some(self.name().to_owned());
        Some(Effect::Go(match intent {
            WelcomeIntent::CreateNew => Go::NewSeed(name),
            WelcomeIntent::Import => Go::Import(name),
            WelcomeIntent::Back => Go::BackToSeeds,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    #[test]
    fn buttons_give_intents() {
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Option<WelcomeIntent>| {
                if let Some(i) = WelcomeScreen::new(Vec::new()).ui(ui) {
                    *out = Some(i);
                }
            },
            None,
        );
        h.get_by_label("Create a new seed").click();
        h.run();
        assert_eq!(*h.state(), Some(WelcomeIntent::CreateNew));
        h.get_by_label("Import a seed").click();
        h.run();
        assert_eq!(*h.state(), Some(WelcomeIntent::Import));
    }

    #[test]
    fn seed_labels_count_up() {
        assert_eq!(next_seed_label(&[]), "Seed 1");
        assert_eq!(next_seed_label(&["Seed 1".into(), "Seed 3".into()]), "Seed 2");
        // The vault would refuse a label that only differs in case or invisible characters.
        assert_eq!(next_seed_label(&["seed 1".into(), "SEED 2\u{200B}".into()]), "Seed 3");
    }

    /// The seed is named on the first screen, with the vault's label rules shown as it is typed.
    #[test]
    fn the_seed_is_named_here() {
        let mut screen = WelcomeScreen::new(vec!["Savings".into()]);
        assert!(screen.has_seeds);
        assert_eq!(screen.name(), "Seed 1");
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<(WelcomeIntent, String)>| {
                if let Some(i) = screen.ui(ui) {
                    out.push((i, screen.name().to_owned()));
                }
            },
            Vec::new(),
        );
        h.run();
        assert_eq!(h.get_by_label("Name of the new seed:").value().as_deref(), Some("Seed 1"));
        h.get_by_label("Name of the new seed:").set_text_value_accesskit("SAVINGS");
        h.run();
        h.get_by_label_contains("Choose another name");
        assert!(h.get_by_label("Create a new seed").accesskit_node().is_disabled());
        assert!(h.get_by_label("Import a seed").accesskit_node().is_disabled());
        h.get_by_label("Name of the new seed:").set_text_value_accesskit("Daily ");
        h.run();
        h.get_by_label("Import a seed").click();
        h.run();
        assert_eq!(h.state(), &vec![(WelcomeIntent::Import, "Daily".to_owned())]);
    }
}
