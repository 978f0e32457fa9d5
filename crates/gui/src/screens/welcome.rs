//! First run: create a new seed or import one.

use egui::RichText;

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelcomeIntent {
    /// Generate a new seed.
    CreateNew,
    /// Type in an existing mnemonic.
    Import,
}

/// The first screen.
#[derive(Debug, Default)]
pub struct WelcomeScreen;

impl WelcomeScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<WelcomeIntent> {
        let mut intent = None;
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            ui.heading(RichText::new("Welcome to Coffer").size(28.0));
            ui.add_space(8.0);
            ui.label("A vault for your recovery words, on this computer only. Coffer has no network access.");
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
            ui.add_space(24.0);
            ui.label(RichText::new(super::IN_MEMORY_NOTICE).color(super::warn_color(ui)));
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
                if let Some(i) = WelcomeScreen.ui(ui) {
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
