//! Seed management: rename a seed, remove it (typed confirmation), mark it compromised (with a clear warning), and
//! unmark it (a mistake undone: needs the vault password). Compromised seeds carry a visible badge.
//!
//! The unmark password field is wiped after use and on drop (limitations as on the create-vault screen).

use coffer_core::secret::SecretString;
use egui::RichText;

use crate::typed::TypedSecret;
use crate::worker::SeedSummary;

/// What the user chose.
#[derive(Debug)]
pub enum SeedsIntent {
    /// Give seed `label` the name `new`.
    Rename {
        /// The seed.
        label: String,
        /// Its new label.
        new: String,
    },
    /// Remove seed `label` (its name was typed to confirm).
    Remove(String),
    /// Mark seed `label` compromised (the warning was acknowledged).
    MarkCompromised(String),
    /// Clear seed `label`'s compromised mark; the core checks `password` (one key derivation) before it does.
    Unmark {
        /// The seed.
        label: String,
        /// The vault password, typed again.
        password: SecretString,
    },
}

#[derive(Debug)]
struct Row {
    info: Option<SeedSummary>,
    new_label: String,
    confirm_remove: String,
    understood: bool,
    /// The vault password typed to unmark (compromised seeds only).
    unmark_password: TypedSecret,
}

/// The badge shown next to a compromised seed.
pub const COMPROMISED_BADGE: &str = "COMPROMISED";

/// The warning before marking a seed compromised.
pub const MARK_WARNING: &str = "Mark a seed compromised when someone else may have seen its words. From then on it \
    signs nothing except the guarded sweeps of a migration to a fresh seed, and quick unlock is turned off. \
    Unmarking needs the vault password.";

/// The warning before unmarking a compromised seed.
pub const UNMARK_WARNING: &str = "Unmark only if the seed was marked by mistake. If anyone may have seen its words, \
    keep it marked and move its funds to a fresh seed (Migrate): whoever saw the words can spend from it at any time.";

/// The seeds screen.
#[derive(Debug, Default)]
pub struct SeedsScreen {
    rows: Vec<Row>,
}

impl SeedsScreen {
    /// The screen for the vault's seeds.
    #[must_use]
    pub fn new(seeds: Vec<SeedSummary>) -> Self {
        let rows = seeds
            .into_iter()
            .map(|s| Row {
                new_label: s.label.clone(),
                info: Some(s),
                confirm_remove: String::new(),
                understood: false,
                unmark_password: TypedSecret::new(),
            })
            .collect();
        Self { rows }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SeedsIntent> {
        let mut intent = None;
        ui.heading("Manage seeds");
        if self.rows.is_empty() {
            ui.label("There is no seed in the vault yet.");
        }
        let all: Vec<String> = self.rows.iter().filter_map(|r| r.info.as_ref().map(|i| i.label.clone())).collect();
        for row in &mut self.rows {
            let Some(info) = &row.info else { continue };
            let label = info.label.clone();
            // What the user sees: a label stored before invisible characters were refused is shown escaped.
            let shown = coffer_core::vault::escape_label(&label).into_owned();
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&shown).strong().size(16.0));
                    if info.compromised {
                        ui.label(RichText::new(COMPROMISED_BADGE).color(super::error_color(ui)).strong());
                    }
                    let backup = if info.backup_checked { "backup checked" } else { "backup not checked yet" };
                    ui.label(format!("{} words · {backup}", info.word_count));
                });
                let new = row.new_label.trim().to_owned();
                // The vault's own rule, shown while typing (a seed may change the case of its own label).
                let others = all.iter().filter(|l| **l != label).map(String::as_str);
                let problem = (!new.is_empty() && new != label)
                    .then(|| coffer_core::vault::check_new_label(&new, others).err())
                    .flatten();
                ui.horizontal(|ui| {
                    let l = ui.label(format!("New name for {shown}:"));
                    ui.add(egui::TextEdit::singleline(&mut row.new_label).desired_width(220.0)).labelled_by(l.id);
                    let ok = !new.is_empty() && new != label && problem.is_none();
                    if ui
                        .add_enabled(ok, egui::Button::new("Rename"))
                        .accessible_name(format!("Rename {shown}"))
                        .clicked()
                    {
                        intent = Some(SeedsIntent::Rename { label: label.clone(), new: new.clone() });
                    }
                });
                if let Some(p) = &problem {
                    ui.label(RichText::new(format!("Cannot rename: {p}.")).color(super::error_color(ui)));
                }
                ui.horizontal(|ui| {
                    let l = ui.label(format!("To remove {shown}, type its name:"));
                    ui.add(egui::TextEdit::singleline(&mut row.confirm_remove).desired_width(220.0)).labelled_by(l.id);
                    let ok = row.confirm_remove == label;
                    if ui.add_enabled(ok, egui::Button::new(format!("Remove {shown}"))).clicked() {
                        intent = Some(SeedsIntent::Remove(label.clone()));
                    }
                });
                ui.label(
                    RichText::new(
                        "Removing deletes the seed from this vault. Without its written words, its funds are lost.",
                    )
                    .color(super::warn_color(ui)),
                );
                if !info.compromised {
                    ui.checkbox(&mut row.understood, format!("{shown}: {MARK_WARNING}"));
                    if ui.add_enabled(row.understood, egui::Button::new(format!("Mark {shown} compromised"))).clicked()
                    {
                        intent = Some(SeedsIntent::MarkCompromised(label.clone()));
                    }
                } else {
                    ui.label(RichText::new(UNMARK_WARNING).color(super::warn_color(ui)));
                    ui.horizontal(|ui| {
                        let field = format!("Vault password to unmark {shown}:");
                        super::password_field(ui, &field, &mut row.unmark_password, 220.0, &mut false);
                        let ok = !row.unmark_password.is_empty();
                        if ui.add_enabled(ok, egui::Button::new(format!("Unmark {shown}"))).clicked() && ok {
                            let password = row.unmark_password.take_secret(false);
                            intent = Some(SeedsIntent::Unmark { label: label.clone(), password });
                        }
                    });
                }
            });
        }
        intent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    fn seed(label: &str, compromised: bool) -> SeedSummary {
        SeedSummary { label: label.into(), word_count: 24, has_passphrase: false, compromised, backup_checked: true }
    }

    /// The intents, comparable (the unmark password as plain text: test data only).
    #[derive(Debug, PartialEq, Eq)]
    enum Seen {
        Rename(String, String),
        Remove(String),
        Mark(String),
        Unmark(String, String),
    }

    fn seen(i: SeedsIntent) -> Seen {
        match i {
            SeedsIntent::Rename { label, new } => Seen::Rename(label, new),
            SeedsIntent::Remove(label) => Seen::Remove(label),
            SeedsIntent::MarkCompromised(label) => Seen::Mark(label),
            SeedsIntent::Unmark { label, password } => Seen::Unmark(label, password.expose().to_owned()),
        }
    }

    #[test]
    fn rename_remove_mark() {
        let mut screen = SeedsScreen::new(vec![seed("Seed 1", false), seed("Old", true)]);
        let mut h =
            Harness::new_ui_state(move |ui, out: &mut Vec<Seen>| out.extend(screen.ui(ui).map(seen)), Vec::new());
        h.run();
        h.get_by_label(COMPROMISED_BADGE);
        assert!(h.query_by_label("Mark Old compromised").is_none());
        let f = h.get_by_label("New name for Seed 1:");
        f.focus();
        f.type_text(" daily");
        h.run();
        h.get_by_label("Rename Seed 1").click();
        h.run();
        assert!(h.get_by_label("Remove Old").accesskit_node().is_disabled());
        let f = h.get_by_label("To remove Old, type its name:");
        f.focus();
        f.type_text("Old");
        h.run();
        h.get_by_label("Remove Old").click();
        h.run();
        assert!(h.get_by_label("Mark Seed 1 compromised").accesskit_node().is_disabled());
        h.get_by_label(&format!("Seed 1: {MARK_WARNING}")).click();
        h.run();
        h.get_by_label("Mark Seed 1 compromised").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                Seen::Rename("Seed 1".into(), "Seed 1 daily".into()),
                Seen::Remove("Old".into()),
                Seen::Mark("Seed 1".into()),
            ]
        );
    }

    #[test]
    fn rename_shows_the_vault_label_rule() {
        let mut screen = SeedsScreen::new(vec![seed("Seed", false), seed("seed 1", true)]);
        let mut h =
            Harness::new_ui_state(move |ui, out: &mut Vec<Seen>| out.extend(screen.ui(ui).map(seen)), Vec::new());
        h.run();
        let f = h.get_by_label("New name for seed 1:");
        f.focus();
        f.type_text("\u{200B}");
        h.run();
        h.get_by_label_contains("invisible or text-direction characters");
        assert!(h.get_by_label("Rename seed 1").accesskit_node().is_disabled());
        let f = h.get_by_label("New name for Seed:");
        f.focus();
        f.type_text(" 1");
        h.run();
        h.get_by_label_contains("looks the same as the existing label");
        assert!(h.get_by_label("Rename Seed").accesskit_node().is_disabled());
        assert!(h.state().is_empty());
    }

    #[test]
    fn an_old_label_with_invisible_characters_is_shown_escaped() {
        let mut screen = SeedsScreen::new(vec![seed("main\u{200B}", false)]);
        let mut h = Harness::new_ui(move |ui| drop(screen.ui(ui)));
        h.run();
        h.get_by_label("main\\u{200B}");
        assert!(h.query_by_label_contains("main\u{200B}").is_none());
    }

    #[test]
    fn unmark_needs_the_password() {
        let mut screen = SeedsScreen::new(vec![seed("Seed 1", false), seed("Old", true)]);
        let mut h =
            Harness::new_ui_state(move |ui, out: &mut Vec<Seen>| out.extend(screen.ui(ui).map(seen)), Vec::new());
        h.run();
        assert!(h.query_by_label("Unmark Seed 1").is_none(), "only a compromised seed can be unmarked");
        h.get_by_label(UNMARK_WARNING);
        assert!(h.get_by_label("Unmark Old").accesskit_node().is_disabled());
        let f = h.get_by_label("Vault password to unmark Old:");
        f.focus();
        f.type_text("hunter2 hunter2");
        h.run();
        h.get_by_label("Unmark Old").click();
        h.run();
        assert_eq!(h.state(), &vec![Seen::Unmark("Old".into(), "hunter2 hunter2".into())]);
        // The field was wiped when the intent left the screen.
        assert!(h.get_by_label("Unmark Old").accesskit_node().is_disabled());
    }
}
