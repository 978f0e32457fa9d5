//! Import: word-by-word entry with completion from the BIP39 list, per-word validity and checksum feedback, and an
//! optional BIP39 passphrase.
//!
//! The word fields are egui `TextEdit`s over `String`s reserved up front (the completion and paste logic works on
//! them), wiped after use and when the screen is dropped; the passphrase field is a [`TypedSecret`]. `Debug` shows
//! no typed text. Limitation: egui's text layout cache and undo history hold copies that are freed without wiping,
//! and a paste longer than a word field's reserved capacity reallocates and leaves the old buffer unwiped.

use coffer_core::secret::SecretString;
use coffer_core::{Language, Mnemonic, MnemonicError, WordCount};
use egui::{Key, RichText};
use zeroize::{Zeroize, Zeroizing};

use crate::effect::{Effect, Go};
use crate::typed::TypedSecret;
use crate::worker::VaultTask;

/// Room reserved in each word field (a pasted phrase fits in the first).
const WORD_CAPACITY: usize = 320;
/// Most completions offered at once.
pub const MAX_COMPLETIONS: usize = 8;
/// Columns of the word grid.
const COLUMNS: usize = 4;

/// What the user chose.
#[derive(Debug)]
pub enum ImportIntent {
    /// Import these words (checksum already verified).
    Import {
        /// The mnemonic.
        mnemonic: Mnemonic,
        /// The BIP39 passphrase (`""` for none).
        passphrase: SecretString,
    },
    /// Check these words against the stored seed the screen was opened for (the dry-run backup check).
    Check {
        /// The mnemonic typed from the backup.
        mnemonic: Mnemonic,
        /// The BIP39 passphrase (`""` for none).
        passphrase: SecretString,
    },
    /// Leave without importing.
    Cancel,
}

/// The state of one typed word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordStatus {
    /// Nothing typed.
    Empty,
    /// A word of the list.
    Valid,
    /// The start of one or more words of the list.
    Partial,
    /// Not a word of the list nor the start of one.
    Unknown,
}

/// The state of the whole phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhraseStatus {
    /// Some words are missing or unfinished.
    Incomplete {
        /// Words that are valid so far.
        valid: usize,
        /// Words expected.
        total: usize,
    },
    /// These 1-based positions hold words that are not in the list.
    UnknownWords(Vec<usize>),
    /// Every word is valid and the checksum matches.
    ChecksumOk,
    /// Every word is valid but the checksum does not match.
    ChecksumWrong,
    /// Any other error from the core (its message holds no word).
    Other(String),
}

/// Lower-cased, trimmed copy of a typed word, wiped on drop.
fn normalized(typed: &str) -> Zeroizing<String> {
    Zeroizing::new(typed.trim().to_lowercase())
}

/// Classifies a typed word against `language`'s list.
#[must_use]
pub fn word_status(language: Language, typed: &str) -> WordStatus {
    let w = normalized(typed);
    if w.is_empty() {
        WordStatus::Empty
    } else if language.contains(&w) {
        WordStatus::Valid
    } else if language.words_by_prefix(&w).is_empty() {
        WordStatus::Unknown
    } else {
        WordStatus::Partial
    }
}

/// Up to `max` words of the list that start with what was typed (none for an empty field).
#[must_use]
pub fn completions(language: Language, typed: &str, max: usize) -> Vec<&'static str> {
    let w = normalized(typed);
    if w.is_empty() {
        return Vec::new();
    }
    let mut c = language.words_by_prefix(&w);
    c.truncate(max);
    c
}

/// Checks the first `count` words.
#[must_use]
pub fn phrase_status(language: Language, words: &[String], count: usize) -> PhraseStatus {
    let words = &words[..count.min(words.len())];
    let statuses: Vec<WordStatus> = words.iter().map(|w| word_status(language, w)).collect();
    let unknown: Vec<usize> =
        statuses.iter().enumerate().filter(|(_, s)| **s == WordStatus::Unknown).map(|(i, _)| i + 1).collect();
    if !unknown.is_empty() {
        return PhraseStatus::UnknownWords(unknown);
    }
    let valid = statuses.iter().filter(|s| **s == WordStatus::Valid).count();
    if valid < count {
        return PhraseStatus::Incomplete { valid, total: count };
    }
    match parse(language, words) {
        Ok(_) => PhraseStatus::ChecksumOk,
        Err(MnemonicError::InvalidChecksum) => PhraseStatus::ChecksumWrong,
        Err(e) => PhraseStatus::Other(e.to_string()),
    }
}

/// Parses the words through the core.
fn parse(language: Language, words: &[String]) -> Result<Mnemonic, MnemonicError> {
    let mut joined = SecretString::with_capacity(words.iter().map(|w| w.len() + 1).sum::<usize>() + 1);
    for w in words {
        joined.expose_mut().push_str(w.trim());
        joined.expose_mut().push(' ');
    }
    Mnemonic::parse_in(language, joined.expose())
}

/// If field `at` holds white space (a word ended with a space, or a paste of several words), keeps its first word
/// there and spreads the others over the following fields. Returns the number of words placed when it did.
pub fn spread_paste(words: &mut [String], at: usize) -> Option<usize> {
    if !words.get(at)?.contains(char::is_whitespace) {
        return None;
    }
    let mut pasted = std::mem::take(&mut words[at]);
    let mut n = 0;
    for (slot, token) in words[at..].iter_mut().zip(pasted.split_whitespace()) {
        slot.zeroize();
        slot.push_str(token);
        n += 1;
    }
    pasted.zeroize();
    words[at].reserve(WORD_CAPACITY);
    Some(n)
}

/// The import screen (`Debug` shows no typed word).
pub struct ImportScreen {
    count: WordCount,
    language: Language,
    words: Vec<String>,
    use_passphrase: bool,
    passphrase: TypedSecret,
    focused: usize,
    error: Option<String>,
    /// Checking the backup of this stored seed instead of importing.
    check: Option<String>,
}

impl Default for ImportScreen {
    fn default() -> Self {
        Self {
            count: WordCount::Words24,
            language: Language::English,
            words: (0..24).map(|_| String::with_capacity(WORD_CAPACITY)).collect(),
            use_passphrase: false,
            passphrase: TypedSecret::new(),
            focused: 0,
            error: None,
            check: None,
        }
    }
}

impl std::fmt::Debug for ImportScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportScreen")
            .field("count", &self.count)
            .field("language", &self.language)
            .field("check", &self.check)
            .finish_non_exhaustive()
    }
}

impl Drop for ImportScreen {
    fn drop(&mut self) {
        for w in &mut self.words {
            w.zeroize();
        }
    }
}

fn field_id(i: usize) -> egui::Id {
    egui::Id::unique(("coffer-import-word", i))
}

impl ImportScreen {
    /// The same entry, to check the written backup of the stored seed `label` (the dry-run check).
    #[must_use]
    pub fn for_check(label: String, words: usize) -> Self {
        let mut s = Self::default();
        s.check = Some(label);
        s.count = WordCount::try_from(words).unwrap_or_default();
        s
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<ImportIntent> {
        let mut intent = None;
        match &self.check {
            Some(label) => {
                ui.heading(format!("Check the backup of {label}"));
                ui.label(
                    "Type the words from your written backup, in order. Coffer tells you whether they match the \
                     stored seed, without showing it.",
                );
            }
            None => {
                ui.heading("Import a seed");
                ui.label("Type your recovery words in order. Coffer completes each word from the BIP39 list.");
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label("Number of words:");
            for wc in WordCount::ALL {
                ui.selectable_value(&mut self.count, wc, format!("{} words", wc.words()));
            }
            ui.add_space(16.0);
            let label = ui.label("Word list:");
            egui::ComboBox::from_id_salt("import-language")
                .selected_text(self.language.name())
                .show_ui(ui, |ui| {
                    for l in Language::ALL {
                        ui.selectable_value(&mut self.language, l, l.name());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.add_space(8.0);
        let n = self.count.words();
        let mut move_focus = None;
        egui::Grid::new("import-words").num_columns(COLUMNS * 2).spacing([8.0, 8.0]).show(ui, |ui| {
            for i in 0..n {
                let status = word_status(self.language, &self.words[i]);
                ui.add(egui::Label::new(RichText::new(format!("{:>2}.", i + 1)).monospace()).selectable(false));
                let mut edit = egui::TextEdit::singleline(&mut self.words[i]).id(field_id(i));
                if status == WordStatus::Unknown {
                    edit = edit.text_color(super::error_color(ui));
                }
                let r = ui.add_sized([120.0, 22.0], edit).accessible_name(format!("Word {}", i + 1));
                if r.has_focus() || r.gained_focus() {
                    self.focused = i;
                }
                let ends_in_space = self.words[i].ends_with(char::is_whitespace);
                if r.changed()
                    && let Some(placed) = spread_paste(&mut self.words, i)
                {
                    if i == 0
                        && let Ok(wc) = WordCount::try_from(placed)
                    {
                        self.count = wc;
                    }
                    // Continue after the last word placed, or in it if it may still be being typed (keys typed
                    // faster than frames arrive together: "abandon ab").
                    let next = if ends_in_space { i + placed } else { i + placed.saturating_sub(1) };
                    if placed > 0 && next != i {
                        move_focus = Some(next.min(self.count.words() - 1));
                    }
                }
                if r.lost_focus() {
                    // A unique completion fills itself in.
                    let c = completions(self.language, &self.words[i], 2);
                    if c.len() == 1 && word_status(self.language, &self.words[i]) == WordStatus::Partial {
                        self.set_word(i, c[0]);
                    }
                    if ui.input(|inp| inp.key_pressed(Key::Enter)) && i + 1 < n {
                        move_focus = Some(i + 1);
                    }
                }
                if (i + 1) % COLUMNS == 0 {
                    ui.end_row();
                }
            }
        });
        if let Some(next) = move_focus {
            ui.memory_mut(|m| m.request_focus(field_id(next)));
        }

        // Completions for the field being typed in.
        let f = self.focused.min(n - 1);
        let options = completions(self.language, &self.words[f], MAX_COMPLETIONS);
        let complete = word_status(self.language, &self.words[f]) == WordStatus::Valid && options.len() <= 1;
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if options.is_empty() || complete {
                ui.label(RichText::new(" ").weak());
            } else {
                ui.label(format!("Complete word {}:", f + 1));
                for w in options {
                    if crate::theme::secondary(ui, w)
                        .accessible_name(format!("Complete word {} with {w}", f + 1))
                        .clicked()
                    {
                        self.set_word(f, w);
                        if f + 1 < n {
                            ui.memory_mut(|m| m.request_focus(field_id(f + 1)));
                        }
                    }
                }
            }
        });

        ui.add_space(6.0);
        let status = phrase_status(self.language, &self.words, n);
        let (text, color) = match &status {
            PhraseStatus::Incomplete { valid, total } => {
                (format!("{valid} of {total} words entered."), ui.visuals().text_color())
            }
            PhraseStatus::UnknownWords(p) => {
                let p: Vec<String> = p.iter().map(ToString::to_string).collect();
                (
                    format!("Word {} is not in the {} word list.", p.join(", "), self.language.name()),
                    super::error_color(ui),
                )
            }
            PhraseStatus::ChecksumOk => {
                ("Checksum OK: these words form a valid recovery phrase.".into(), super::ok_color(ui))
            }
            PhraseStatus::ChecksumWrong => (
                "Every word is valid but the checksum does not match: a word is wrong or out of order.".into(),
                super::error_color(ui),
            ),
            PhraseStatus::Other(e) => (e.clone(), super::error_color(ui)),
        };
        ui.label(RichText::new(text).color(color));

        ui.add_space(10.0);
        ui.checkbox(&mut self.use_passphrase, "Use a BIP39 passphrase (advanced)");
        if self.use_passphrase {
            ui.horizontal(|ui| {
                super::password_field(ui, "BIP39 passphrase:", &mut self.passphrase, 260.0, &mut false);
            });
            ui.label(
                RichText::new(
                    "The passphrase is part of the seed: the same words with another passphrase give other accounts. \
                     Coffer cannot tell a typo here; check that the addresses are the ones you expect.",
                )
                .color(super::warn_color(ui)),
            );
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(super::error_color(ui)));
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            let action = if self.check.is_some() { "Check" } else { "Import" };
            if crate::theme::primary_enabled(ui, status == PhraseStatus::ChecksumOk, action).clicked() {
                intent = self.take_intent();
            }
            if crate::theme::secondary(ui, "Cancel").clicked() {
                intent = Some(ImportIntent::Cancel);
            }
        });
        intent
    }

    fn set_word(&mut self, i: usize, word: &str) {
        self.words[i].zeroize();
        self.words[i].push_str(word);
    }

    /// Parses the words and takes the passphrase, wiping the fields.
    fn take_intent(&mut self) -> Option<ImportIntent> {
        let n = self.count.words();
        if !self.use_passphrase {
            self.passphrase.wipe();
        }
        if let Err(e) = coffer_core::mnemonic::check_passphrase(self.passphrase.as_str()) {
            self.error = Some(e.to_string());
            return None;
        }
        match parse(self.language, &self.words[..n]) {
            Ok(mnemonic) => {
                let p = self.passphrase.take_secret(false);
                for w in &mut self.words {
                    w.zeroize();
                }
                Some(if self.check.is_some() {
                    ImportIntent::Check { mnemonic, passphrase: p }
                } else {
                    ImportIntent::Import { mnemonic, passphrase: p }
                })
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }
}

/// What the app shows while the words typed are checked against the stored seed.
pub const CHECKING: &str = "Checking the words against the stored seed…";

impl ImportScreen {
    /// Applies the user's intent: saving or checking the words is the vault's job.
    #[must_use]
    pub fn update(&mut self, intent: ImportIntent) -> Option<Effect> {
        match intent {
            ImportIntent::Import { mnemonic, passphrase } => {
                Some(Effect::AddSeed { mnemonic, passphrase, backup_checked: false })
            }
            ImportIntent::Check { mnemonic, passphrase } => self.check.clone().map(|label| Effect::Vault {
                label,
                task: VaultTask::Verify { mnemonic, passphrase },
                busy: CHECKING,
            }),
            ImportIntent::Cancel => Some(Effect::Go(Go::BackToSeeds)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    fn words(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s.split(' ').map(str::to_owned).collect();
        v.resize(24, String::new());
        v
    }

    #[test]
    fn word_statuses() {
        let en = Language::English;
        assert_eq!(word_status(en, ""), WordStatus::Empty);
        assert_eq!(word_status(en, "  "), WordStatus::Empty);
        assert_eq!(word_status(en, "aban"), WordStatus::Partial);
        assert_eq!(word_status(en, " Abandon "), WordStatus::Valid);
        assert_eq!(word_status(en, "qqq"), WordStatus::Unknown);
    }

    #[test]
    fn completion_from_the_list() {
        let en = Language::English;
        assert_eq!(completions(en, "aban", 8), vec!["abandon"]);
        assert_eq!(completions(en, "zo", 8), vec!["zone", "zoo"]);
        assert_eq!(completions(en, "a", 3).len(), 3);
        assert!(completions(en, "", 8).is_empty());
        assert!(completions(en, "qq", 8).is_empty());
    }

    #[test]
    fn phrase_statuses() {
        let en = Language::English;
        assert_eq!(phrase_status(en, &words(ABOUT), 12), PhraseStatus::ChecksumOk);
        assert_eq!(phrase_status(en, &words("abandon ".repeat(12).trim_end()), 12), PhraseStatus::ChecksumWrong);
        assert_eq!(phrase_status(en, &words("abandon abandon qqq"), 12), PhraseStatus::UnknownWords(vec![3]));
        assert_eq!(phrase_status(en, &words("abandon aban"), 12), PhraseStatus::Incomplete { valid: 1, total: 12 });
    }

    #[test]
    fn paste_spreads_over_fields() {
        let mut w = vec![String::new(); 24];
        w[0] = ABOUT.to_owned();
        assert_eq!(spread_paste(&mut w, 0), Some(12));
        assert_eq!(w[0], "abandon");
        assert_eq!(w[11], "about");
        assert_eq!(w[12], "");
        assert_eq!(spread_paste(&mut w, 1), None);
        // A word ended with a space stays alone in its field.
        w[12] = "zoo ".to_owned();
        assert_eq!(spread_paste(&mut w, 12), Some(1));
        assert_eq!(w[12], "zoo");
        assert_eq!(w[13], "");
    }

    #[test]
    fn typing_completing_and_importing() {
        let mut screen = ImportScreen::default();
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Option<String>| match screen.ui(ui) {
                Some(ImportIntent::Import { mnemonic, passphrase }) => {
                    *out = Some(format!("{} {}", mnemonic.word_count(), passphrase.expose()));
                }
                Some(ImportIntent::Cancel) => *out = Some("cancel".into()),
                Some(ImportIntent::Check { .. }) => *out = Some("check".into()),
                None => {}
            },
            None,
        );
        h.get_by_label("12 words").click();
        h.run();
        for i in 1..=11 {
            let label = format!("Word {i}");
            let f = h.get_by_label(&label);
            f.focus();
            f.type_text("aban");
            h.run();
        }
        // A prefix with one completion offers it; the earlier fields completed themselves when they lost focus.
        h.get_by_label("Complete word 11 with abandon").click();
        h.run();
        let f = h.get_by_label("Word 12");
        f.focus();
        f.type_text("qqq");
        h.run();
        h.get_by_label_contains("Word 12 is not in the english word list");
        for _ in 0..3 {
            h.key_press(Key::Backspace);
            h.run();
        }
        h.get_by_label("Word 12").type_text("abandon");
        h.run();
        h.get_by_label_contains("checksum does not match");
        assert!(h.get_by_label("Import").accesskit_node().is_disabled());
        for _ in 0..7 {
            h.key_press(Key::Backspace);
            h.run();
        }
        h.get_by_label("Word 12").type_text("about");
        h.run();
        h.get_by_label_contains("Checksum OK");
        h.get_by_label("Use a BIP39 passphrase (advanced)").click();
        h.run();
        h.get_by_label("BIP39 passphrase:").focus();
        h.get_by_label("BIP39 passphrase:").type_text("TREZOR");
        h.run();
        h.get_by_label("Import").click();
        h.run();
        assert_eq!(h.state().as_deref(), Some("12 TREZOR"));
    }
}
