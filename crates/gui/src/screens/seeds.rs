//! Seed management: rename a seed, remove it (typed confirmation), mark it compromised (with a clear warning).
//! Compromised seeds carry a visible badge.

use egui::RichText;

use crate::worker::SeedSummary;

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

#[derive(Debug, Default, Clone)]
struct Row {
    info: Option<SeedSummary>,
    new_label: String,
    confirm_remove: String,
    understood: bool,
}

/// The badge shown next to a compromised seed.
pub const COMPROMISED_BADGE: &str = "COMPROMISED";

/// The warning before marking a seed compromised.
pub const MARK_WARNING: &str = "Mark a seed compromised when someone else may have seen its words. From then on it \
    signs nothing except the guarded sweeps of a migration to a fresh seed, and quick unlock is turned off. \
    Unmarking needs the vault password.";

/// The seeds screen.
#[derive(Debug, Default)]
pub struct SeedsScreen {
    rows: Vec<Row>,
}

impl SeedsScreen {
    /// The screen for the vault's seeds.
    #[must_use]
    pub fn new(seeds: Vec<SeedSummary>) -> Self {
        let rows =
            seeds.into_iter().map(|s| Row { new_label: s.label.clone(), info: Some(s), ..Row::default() }).collect();
        Self { rows }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SeedsIntent> {
        let mut intent = None;
        ui.heading("Manage seeds");
        if self.rows.is_empty() {
            ui.label("There is no seed in the vault yet.");
        }
        for row in &mut self.rows {
            let Some(info) = &row.info else { continue };
            let label = info.label.clone();
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&label).strong().size(16.0));
                    if info.compromised {
                        ui.label(RichText::new(COMPROMISED_BADGE).color(super::error_color(ui)).strong());
                    }
                    let backup = if info.backup_checked { "backup checked" } else { "backup not checked yet" };
                    ui.label(format!("{} words · {backup}", info.word_count));
                });
                ui.horizontal(|ui| {
                    let l = ui.label(format!("New name for {label}:"));
                    ui.add(egui::TextEdit::singleline(&mut row.new_label).desired_width(220.0)).labelled_by(l.id);
                    let new = row.new_label.trim();
                    let ok = !new.is_empty() && new != label;
                    if ui
                        .add_enabled(ok, egui::Button::new("Rename"))
                        .accessible_name(format!("Rename {label}"))
                        .clicked()
                    {
                        intent = Some(SeedsIntent::Rename { label: label.clone(), new: new.to_owned() });
                    }
                });
                ui.horizontal(|ui| {
                    let l = ui.label(format!("To remove {label}, type its name:"));
                    ui.add(egui::TextEdit::singleline(&mut row.confirm_remove).desired_width(220.0)).labelled_by(l.id);
                    let ok = row.confirm_remove == label;
                    if ui.add_enabled(ok, egui::Button::new(format!("Remove {label}"))).clicked() {
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
                    ui.checkbox(&mut row.understood, format!("{label}: {MARK_WARNING}"));
                    if ui.add_enabled(row.understood, egui::Button::new(format!("Mark {label} compromised"))).clicked()
                    {
                        intent = Some(SeedsIntent::MarkCompromised(label.clone()));
                    }
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

    #[test]
    fn rename_remove_mark() {
        let mut screen = SeedsScreen::new(vec![seed("Seed 1", false), seed("Old", true)]);
        let mut h = Harness::new_ui_state(move |ui, out: &mut Vec<SeedsIntent>| out.extend(screen.ui(ui)), Vec::new());
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
                SeedsIntent::Rename { label: "Seed 1".into(), new: "Seed 1 daily".into() },
                SeedsIntent::Remove("Old".into()),
                SeedsIntent::MarkCompromised("Seed 1".into()),
            ]
        );
    }
}
