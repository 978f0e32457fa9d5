//! First run: create a new seed or import one.

use egui::RichText;

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
#[derive(Debug, Default)]
pub struct WelcomeScreen {
    /// Whether the vault already holds a seed (then "Back" is offered).
    pub has_seeds: bool,
}

impl WelcomeScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<WelcomeIntent> {
        let mut intent = None;
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            let title = if self.has_seeds { "Add a seed" } else { "Welcome to Coffer" };
            ui.heading(RichText::new(title).size(28.0));
            ui.add_space(8.0);
            ui.label("Your vault is ready. Coffer keeps your seeds encrypted in it, on this computer only.");
            ui.add_space(24.0);
            let size = egui::vec2(280.0, 44.0);
            if ui.add(egui::Button::new(RichText::new("Create a new seed").size(17.0)).min_size(size)).clicked() {
                intent = Some(WelcomeIntent::CreateNew);
            }
            ui.label("Coffer makes 24 new recovery words from this computer's randomness.");
            ui.add_space(16.0);
            if ui.add(egui::Button::new(RichText::new("Import a seed").size(17.0)).min_size(size)).clicked() {
                intent = Some(WelcomeIntent::Import);
            }
            ui.label("Type in the recovery words you already have.");
            if self.has_seeds {
                ui.add_space(16.0);
                if ui.button("Back to the accounts").clicked() {
                    intent = Some(WelcomeIntent::Back);
                }
            }
        });
        intent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn buttons_give_intents() {
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Option<WelcomeIntent>| {
                if let Some(i) = WelcomeScreen::default().ui(ui) {
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
}
