//! A stored seed's recovery words, shown again: a warning first, then the vault password (the core checks it, one
//! key derivation: an open vault, perhaps opened by quick unlock, is not enough), then the words in the same
//! numbered grid as a new seed's, with no copy button. Leaving the screen drops the words (the mnemonic zeroizes on
//! drop), as the new-seed screen does. Reached from the seeds page and from the migration wizard, whose backup check
//! otherwise blocks for good on one miscopied word.

use coffer_core::Mnemonic;
use coffer_core::secret::SecretString;
use egui::RichText;

use crate::effect::Effect;
use crate::typed::TypedSecret;
use crate::worker::VaultTask;

/// What the user chose.
#[derive(Debug)]
pub enum WordsIntent {
    /// Check `password` and show seed `label`'s words.
    Reveal {
        /// The seed.
        label: String,
        /// The vault password.
        password: SecretString,
    },
    /// Leave (the words, if shown, are wiped).
    Close,
}

/// The warning shown before the words.
pub const REVEAL_WARNING: &str = "Anyone who sees these words can take everything this seed holds, from any device, \
    at any time. Look at them only where no one (and no camera) can see your screen. Do not take a screenshot or a \
    photo, and do not type them into any other device or website. Coffer never puts them on the clipboard.";

/// Where the screen is.
enum Stage {
    /// The warning, the acknowledgement and the password field.
    Warning { understood: bool, password: TypedSecret, focus: bool },
    /// The words (zeroized on drop).
    Shown(Mnemonic),
}

/// The "recovery words again" screen.
pub struct WordsScreen {
    label: String,
    has_passphrase: bool,
    stage: Stage,
}

impl std::fmt::Debug for WordsScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordsScreen")
            .field("label", &self.label)
            .field("shown", &self.shows_words())
            .finish_non_exhaustive()
    }
}

impl WordsScreen {
    /// The warning for seed `label` (`has_passphrase`: it also has a BIP39 passphrase, which is not shown).
    #[must_use]
    pub fn new(label: String, has_passphrase: bool) -> Self {
        let stage = Stage::Warning { understood: false, password: TypedSecret::new(), focus: false };
        Self { label, has_passphrase, stage }
    }

    /// The seed.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether the words are on screen.
    #[must_use]
    pub fn shows_words(&self) -> bool {
        matches!(self.stage, Stage::Shown(_))
    }

    /// Shows `words` (the password was right).
    pub fn show(&mut self, words: Mnemonic) {
        self.stage = Stage::Shown(words);
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<WordsIntent> {
        let mut intent = None;
        let shown = coffer_core::vault::escape_label(&self.label).into_owned();
        ui.heading(format!("Recovery words of {shown}"));
        ui.add_space(4.0);
        ui.label(RichText::new(REVEAL_WARNING).color(super::warn_color(ui)));
        if self.has_passphrase {
            ui.label(
                "This seed also has a BIP39 passphrase, which is not shown here: restoring the seed needs the words \
                 and that passphrase.",
            );
        }
        ui.add_space(8.0);
        match &mut self.stage {
            Stage::Warning { understood, password, focus } => {
                ui.checkbox(understood, "No one can see my screen, and I will not photograph or copy the words.");
                let mut go = false;
                ui.horizontal(|ui| {
                    go |= super::password_field(ui, "Vault password:", password, 240.0, focus);
                });
                let ready = *understood && !password.is_empty();
                ui.horizontal(|ui| {
                    go |= crate::theme::primary_enabled(ui, ready, "Show the words").clicked();
                    if crate::theme::secondary(ui, "Cancel").clicked() {
                        intent = Some(WordsIntent::Close);
                    }
                });
                if go && ready {
                    intent =
                        Some(WordsIntent::Reveal { label: self.label.clone(), password: password.take_secret(false) });
                }
            }
            Stage::Shown(words) => {
                super::new_seed::word_grid(ui, words);
                ui.add_space(12.0);
                if crate::theme::secondary(ui, "Done: hide the words").clicked() {
                    intent = Some(WordsIntent::Close);
                }
            }
        }
        intent
    }
}

impl WordsScreen {
    /// Applies the user's intent: the words come from the vault; closing drops (so wipes) them.
    #[must_use]
    pub fn update(&mut self, intent: WordsIntent) -> Option<Effect> {
        Some(match intent {
            WordsIntent::Reveal { label, password } => {
                Effect::Vault { label, task: VaultTask::RecoveryWords(password), busy: "Checking the password…" }
            }
            WordsIntent::Close => Effect::CloseWords,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    /// The intents, comparable (the password as plain text: test data only).
    #[derive(Debug, PartialEq, Eq)]
    enum Seen {
        Reveal(String, String),
        Close,
    }

    #[test]
    fn warning_password_words_close() {
        let mut screen = WordsScreen::new("Seed 1".into(), true);
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<Seen>| {
                match screen.ui(ui) {
                    Some(WordsIntent::Reveal { label, password }) => {
                        out.push(Seen::Reveal(label, password.expose().to_owned()));
                        screen.show(Mnemonic::parse(ABOUT).unwrap());
                    }
                    Some(WordsIntent::Close) => out.push(Seen::Close),
                    None => {}
                }
                assert_eq!(screen.shows_words(), !out.is_empty(), "words only after the password");
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label_contains("Anyone who sees these words");
        h.get_by_label_contains("also has a BIP39 passphrase");
        assert!(h.query_by_label_contains("12. ").is_none());
        let f = h.get_by_label("Vault password:");
        f.focus();
        f.type_text("pw");
        h.run();
        assert!(h.get_by_label("Show the words").accesskit_node().is_disabled(), "the warning needs a tick");
        h.get_by_label_contains("No one can see my screen").click();
        h.run();
        h.get_by_label("Show the words").click();
        h.run();
        h.get_by_label(" 1. abandon");
        h.get_by_label("12. about");
        assert!(h.query_by_label_contains("Copy").is_none(), "no copy button");
        h.get_by_label("Done: hide the words").click();
        h.run();
        assert_eq!(h.state(), &vec![Seen::Reveal("Seed 1".into(), "pw".into()), Seen::Close]);
    }
}
