//! Seed management: rename a seed, remove it (its name typed to confirm, and the vault password, which the core
//! checks: an unlocked window, perhaps opened by quick unlock, is not enough), mark it compromised (with a clear
//! warning), and unmark it (a mistake undone: needs the vault password). Compromised seeds carry a visible badge.
//! A seed in a migration that holds receipts (signed sweeps) says that removing it deletes them and offers the
//! migration's report export first; removing it then needs one more tick.
//!
//! The password fields are wiped after use and on drop (limitations as on the create-vault screen).

use std::path::PathBuf;

use coffer_core::secret::SecretString;
use egui::RichText;

use crate::effect::Effect;
use crate::typed::TypedSecret;
use crate::worker::SeedSummary;
use crate::worker::VaultTask;

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
    /// Remove seed `label` (its name was typed to confirm); the core checks `password` (one key derivation) first.
    Remove {
        /// The seed.
        label: String,
        /// The vault password, typed again.
        password: SecretString,
    },
    /// Export the report of the migration from `from` (public data) to `path`.
    ExportReport {
        /// The migration's source seed.
        from: String,
        /// Where to save it.
        path: PathBuf,
    },
    /// Mark seed `label` compromised (the warning was acknowledged).
    MarkCompromised(String),
    /// Show seed `label`'s recovery words again (a warning and the vault password come first).
    ShowWords(String),
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
    /// The vault password typed to remove the seed.
    remove_password: TypedSecret,
    /// The user accepts that the receipts of the seed's migrations go with it.
    drop_receipts: bool,
    understood: bool,
    /// The vault password typed to unmark (compromised seeds only).
    unmark_password: TypedSecret,
}

/// A migration that holds receipts (public data): removing its source or destination seed deletes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStake {
    /// The compromised seed migrated from.
    pub from: String,
    /// The destination seed.
    pub to: String,
    /// How many receipts (signed sweeps) it holds.
    pub receipts: usize,
    /// Where "Export the report" saves it.
    pub report_path: PathBuf,
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
    stakes: Vec<MigrationStake>,
    /// The result of the last report export.
    pub notice: Option<Result<String, String>>,
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
                remove_password: TypedSecret::new(),
                drop_receipts: false,
                understood: false,
                unmark_password: TypedSecret::new(),
            })
            .collect();
        Self { rows, stakes: Vec::new(), notice: None }
    }

    /// The migrations that hold receipts, so removing one of their seeds warns and offers the report first.
    #[must_use]
    pub fn with_stakes(mut self, stakes: Vec<MigrationStake>) -> Self {
        self.stakes = stakes;
        self
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SeedsIntent> {
        let mut intent = None;
        ui.heading("Manage seeds");
        if self.rows.is_empty() {
            ui.label("There is no seed in the vault yet.");
        }
        match &self.notice {
            Some(Ok(n)) => {
                ui.label(RichText::new(n).color(super::ok_color(ui)));
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(super::error_color(ui)));
            }
            None => {}
        }
        let all: Vec<String> = self.rows.iter().filter_map(|r| r.info.as_ref().map(|i| i.label.clone())).collect();
        let stakes = &self.stakes;
        for row in &mut self.rows {
            let Some(info) = &row.info else { continue };
            let label = info.label.clone();
            // What the user sees: a label stored before invisible characters were refused is shown escaped.
            let shown = coffer_core::vault::escape_label(&label).into_owned();
            egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(crate::theme::section(&shown));
                    if info.compromised {
                        ui.label(RichText::new(COMPROMISED_BADGE).color(super::error_color(ui)).strong());
                    }
                    let backup = if info.backup_checked { "backup checked" } else { "backup not checked yet" };
                    ui.label(format!("{} words · {backup}", info.word_count));
                });
                if ui
                    .button("Show the recovery words")
                    .accessible_name(format!("Show the recovery words of {shown}"))
                    .clicked()
                {
                    intent = Some(SeedsIntent::ShowWords(label.clone()));
                }
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
                    if crate::theme::secondary_enabled(ui, ok, "Rename")
                        .accessible_name(format!("Rename {shown}"))
                        .clicked()
                    {
                        intent = Some(SeedsIntent::Rename { label: label.clone(), new: new.clone() });
                    }
                });
                if let Some(p) = &problem {
                    ui.label(RichText::new(format!("Cannot rename: {p}.")).color(super::error_color(ui)));
                }
                let mine: Vec<&MigrationStake> = stakes.iter().filter(|m| m.from == label || m.to == label).collect();
                let receipts: usize = mine.iter().map(|m| m.receipts).sum();
                for m in &mine {
                    ui.label(RichText::new(receipts_warning(&label, m)).color(super::warn_color(ui)));
                    if crate::theme::secondary(ui, format!("Export the report of the migration from {}", m.from))
                        .clicked()
                    {
                        intent = Some(SeedsIntent::ExportReport { from: m.from.clone(), path: m.report_path.clone() });
                    }
                }
                ui.separator();
                ui.label(
                    RichText::new(
                        "Removing deletes the seed from this vault. Without its written words, its funds are lost.",
                    )
                    .color(super::warn_color(ui)),
                );
                ui.horizontal(|ui| {
                    let l = ui.label(format!("To remove {shown}, type its name:"));
                    ui.add(egui::TextEdit::singleline(&mut row.confirm_remove).desired_width(220.0)).labelled_by(l.id);
                });
                ui.horizontal(|ui| {
                    let field = format!("Vault password to remove {shown}:");
                    super::password_field(ui, &field, &mut row.remove_password, 220.0, &mut false);
                });
                if receipts > 0 {
                    ui.checkbox(&mut row.drop_receipts, format!("Delete the {receipts} receipts with {shown}"));
                }
                let ok = row.confirm_remove == label
                    && !row.remove_password.is_empty()
                    && (receipts == 0 || row.drop_receipts);
                if crate::theme::secondary_enabled(ui, ok, format!("Remove {shown}")).clicked() && ok {
                    let password = row.remove_password.take_secret(false);
                    intent = Some(SeedsIntent::Remove { label: label.clone(), password });
                }
                if !info.compromised {
                    ui.checkbox(&mut row.understood, format!("{shown}: {MARK_WARNING}"));
                    if crate::theme::secondary_enabled(ui, row.understood, format!("Mark {shown} compromised"))
                        .clicked()
                    {
                        intent = Some(SeedsIntent::MarkCompromised(label.clone()));
                    }
                } else {
                    ui.label(RichText::new(UNMARK_WARNING).color(super::warn_color(ui)));
                    ui.horizontal(|ui| {
                        let field = format!("Vault password to unmark {shown}:");
                        super::password_field(ui, &field, &mut row.unmark_password, 220.0, &mut false);
                        let ok = !row.unmark_password.is_empty();
                        if crate::theme::secondary_enabled(ui, ok, format!("Unmark {shown}")).clicked() && ok {
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

/// What removing `label` does to migration `m`, which holds receipts.
#[must_use]
pub fn receipts_warning(label: &str, m: &MigrationStake) -> String {
    format!(
        "{label} is in the migration from {} to {}, which holds {} receipts (signed sweeps and their transaction ids). \
         Removing {label} deletes that migration and its receipts: export its report first.",
        m.from, m.to, m.receipts
    )
}

impl SeedsScreen {
    /// Applies the user's intent: every one is the vault's job.
    #[must_use]
    pub fn update(&mut self, intent: SeedsIntent) -> Option<Effect> {
        Some(match intent {
            SeedsIntent::Rename { label, new } => {
                Effect::Vault { label, task: VaultTask::Rename(new), busy: "Renaming…" }
            }
            SeedsIntent::Remove { label, password } => Effect::Vault {
                label,
                task: VaultTask::Remove(password),
                busy: "Checking the password and removing the seed…",
            },
            SeedsIntent::ExportReport { from, path } => Effect::ExportReport { from, path },
            SeedsIntent::MarkCompromised(label) => Effect::MarkCompromised(label),
            SeedsIntent::ShowWords(label) => Effect::ShowWords(label),
            SeedsIntent::Unmark { label, password } => {
                Effect::Vault { label, task: VaultTask::Unmark(password), busy: "Checking the password…" }
            }
        })
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
        Remove(String, String),
        Export(String, PathBuf),
        Mark(String),
        Unmark(String, String),
        Words(String),
    }

    fn seen(i: SeedsIntent) -> Seen {
        match i {
            SeedsIntent::Rename { label, new } => Seen::Rename(label, new),
            SeedsIntent::Remove { label, password } => Seen::Remove(label, password.expose().to_owned()),
            SeedsIntent::ExportReport { from, path } => Seen::Export(from, path),
            SeedsIntent::MarkCompromised(label) => Seen::Mark(label),
            SeedsIntent::Unmark { label, password } => Seen::Unmark(label, password.expose().to_owned()),
            SeedsIntent::ShowWords(label) => Seen::Words(label),
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
        // The name alone is not enough: the vault password too (the core checks it).
        assert!(h.get_by_label("Remove Old").accesskit_node().is_disabled());
        let f = h.get_by_label("Vault password to remove Old:");
        f.focus();
        f.type_text("hunter2 hunter2");
        h.run();
        h.get_by_label("Remove Old").click();
        h.run();
        assert!(h.get_by_label("Mark Seed 1 compromised").accesskit_node().is_disabled());
        h.get_by_label(&format!("Seed 1: {MARK_WARNING}")).click();
        h.run();
        h.get_by_label("Mark Seed 1 compromised").click();
        h.run();
        h.get_by_label("Show the recovery words of Old").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                Seen::Rename("Seed 1".into(), "Seed 1 daily".into()),
                Seen::Remove("Old".into(), "hunter2 hunter2".into()),
                Seen::Mark("Seed 1".into()),
                Seen::Words("Old".into()),
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

    #[test]
    fn removing_a_seed_with_receipts_warns_and_offers_the_report() {
        let stake = MigrationStake {
            from: "Old".into(),
            to: "New".into(),
            receipts: 2,
            report_path: PathBuf::from("/v/exports/migration-Old.json"),
        };
        let warning_new = receipts_warning("New", &stake);
        let mut screen = SeedsScreen::new(vec![seed("Old", true), seed("New", false), seed("Other", false)])
            .with_stakes(vec![stake]);
        let mut h =
            Harness::new_ui_state(move |ui, out: &mut Vec<Seen>| out.extend(screen.ui(ui).map(seen)), Vec::new());
        h.run();
        h.get_by_label_contains("Old is in the migration from Old to New, which holds 2 receipts");
        h.get_by_label(&warning_new);
        assert_eq!(h.query_all_by_label("Export the report of the migration from Old").count(), 2);
        assert!(h.query_by_label_contains("Other is in the migration").is_none());
        assert!(h.query_by_label("Delete the 2 receipts with Other").is_none());
        h.query_all_by_label("Export the report of the migration from Old").next().unwrap().click();
        h.run();
        for (field, text) in [("To remove New, type its name:", "New"), ("Vault password to remove New:", "pw pw pw")] {
            let f = h.get_by_label(field);
            f.focus();
            f.type_text(text);
            h.run();
        }
        // Name and password are there; the receipts still need an explicit tick.
        assert!(h.get_by_label("Remove New").accesskit_node().is_disabled());
        h.get_by_label("Delete the 2 receipts with New").click();
        h.run();
        h.get_by_label("Remove New").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                Seen::Export("Old".into(), PathBuf::from("/v/exports/migration-Old.json")),
                Seen::Remove("New".into(), "pw pw pw".into()),
            ]
        );
    }
}
