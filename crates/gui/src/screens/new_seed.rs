//! A new seed's words, shown once in a numbered grid. No copy button; a warning about screenshots and photos.

use coffer_core::Mnemonic;
use egui::RichText;

use crate::effect::{Effect, Go};

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSeedIntent {
    /// The words are written down: go on to the backup check.
    WroteThemDown,
    /// Throw this seed away.
    Cancel,
}

/// The warning shown with a fresh seed's words (here and in the migration wizard).
pub const WORDS_WARNING: &str = "Write these words on paper, in this order, and keep the paper somewhere safe. Do not \
    take a screenshot or a photo, and do not type them into any other device or website: anyone who sees them can \
    take everything this seed holds. Coffer shows them again only after the vault password is typed (Seeds page).";

/// Shows the words of a freshly generated mnemonic.
#[derive(Debug)]
pub struct NewSeedScreen {
    mnemonic: Mnemonic,
}

/// Columns of the word grid.
pub const COLUMNS: usize = 4;

/// The words of `mnemonic` in a numbered grid (not selectable), as on the new-seed screen.
pub fn word_grid(ui: &mut egui::Ui, mnemonic: &Mnemonic) {
    // The words are read from the zeroizing mnemonic each frame. Limitation: egui copies label text into its
    // layout cache and frees it without wiping; the labels are not selectable, so nothing reaches the clipboard.
    let phrase = mnemonic.phrase();
    egui::Grid::new("new-seed-words").num_columns(COLUMNS).spacing([28.0, 10.0]).show(ui, |ui| {
        for (i, word) in phrase.expose().split(' ').enumerate() {
            ui.add(
                egui::Label::new(RichText::new(format!("{:>2}. {word}", i + 1)).monospace().size(18.0))
                    .selectable(false),
            );
            if (i + 1) % COLUMNS == 0 {
                ui.end_row();
            }
        }
    });
    drop(phrase);
}

impl NewSeedScreen {
    /// Shows `mnemonic`'s words.
    #[must_use]
    pub fn new(mnemonic: Mnemonic) -> Self {
        Self { mnemonic }
    }

    /// Gives the mnemonic back (to the backup check).
    #[must_use]
    pub fn into_mnemonic(self) -> Mnemonic {
        self.mnemonic
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<NewSeedIntent> {
        let mut intent = None;
        ui.heading("Your new recovery words");
        ui.add_space(4.0);
        ui.label(RichText::new(WORDS_WARNING).color(super::warn_color(ui)));
        ui.add_space(12.0);
        word_grid(ui, &self.mnemonic);
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            if crate::theme::primary(ui, "I have written them down").clicked() {
                intent = Some(NewSeedIntent::WroteThemDown);
            }
            if crate::theme::secondary(ui, "Cancel and discard this seed").clicked() {
                intent = Some(NewSeedIntent::Cancel);
            }
        });
        intent
    }
}

impl NewSeedScreen {
    /// Applies the user's intent: both leave this screen.
    #[must_use]
    pub fn update(&mut self, intent: NewSeedIntent) -> Option<Effect> {
        Some(Effect::Go(match intent {
            NewSeedIntent::WroteThemDown => Go::CheckWords,
            NewSeedIntent::Cancel => Go::BackToSeeds,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::WordCount;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn shows_numbered_words_and_warning() {
        let m = Mnemonic::generate(WordCount::Words24).unwrap();
        let first = m.phrase().expose().split(' ').next().unwrap().to_owned();
        let mut screen = NewSeedScreen::new(m);
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Option<NewSeedIntent>| {
                if let Some(i) = screen.ui(ui) {
                    *out = Some(i);
                }
            },
            None,
        );
        h.run();
        h.get_by_label(&format!(" 1. {first}"));
        h.get_by_label_contains("24. ");
        h.get_by_label_contains("Do not take a screenshot or a photo");
        assert!(h.query_by_label_contains("Copy").is_none(), "no copy button");
        h.get_by_label("I have written them down").click();
        h.run();
        assert_eq!(*h.state(), Some(NewSeedIntent::WroteThemDown));
    }
}
