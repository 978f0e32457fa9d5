//! The Settings section about the vault file: where it is, "Open another vault…" (a typed path, checked to be a
//! vault this build reads; the app has no file dialog) and "Move vault…" (a typed directory; the core moves the file
//! with its backup, signing-log archive and lock, see `coffer_core::vault::Vault::move_to`).
//!
//! The app's sandbox lets a session write only in the directories it started with, so when the other vault or the
//! target directory is elsewhere the choice is recorded and takes effect at the next start (see
//! [`crate::vault_file`]); the section says so before the button is pressed.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::effect::Effect;
use crate::vault_file::{check_move_target, check_other_vault};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultFileIntent {
    /// Lock, and use the vault at this path from now on (checked to be a vault).
    OpenOther(PathBuf),
    /// Move the vault into this directory.
    Move(PathBuf),
}

/// What the section shows besides the fields.
#[derive(Clone, Copy)]
pub struct VaultFileView<'a> {
    /// The vault file in use.
    pub path: Option<&'a Path>,
    /// Whether a vault is open (a move needs it: the move is checked with the vault's key).
    pub open: bool,
    /// Whether this session may write in a directory (the sandbox allows only the directories it started with).
    pub writable: &'a dyn Fn(&Path) -> bool,
    /// A move recorded for the next start.
    pub pending_move: Option<&'a Path>,
}

impl std::fmt::Debug for VaultFileView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultFileView").field("path", &self.path).field("open", &self.open).finish_non_exhaustive()
    }
}

/// The section's fields.
#[derive(Debug, Default)]
pub struct VaultFileSection {
    other: String,
    target: String,
    /// The check of `other` as last typed (it reads the file's header: not every frame).
    other_checked: Option<(String, Result<PathBuf, String>)>,
    /// A move was asked once: ask for the confirmation.
    confirm_move: bool,
    /// The result of the last action.
    pub notice: Option<Result<String, String>>,
}

impl VaultFileSection {
    /// Applies the user's intent: both need the app (the lock, the saved settings, the worker).
    #[must_use]
    pub fn update(&mut self, intent: VaultFileIntent) -> Option<Effect> {
        Some(match intent {
            VaultFileIntent::OpenOther(path) => Effect::OpenOtherVault(path),
            VaultFileIntent::Move(dir) => Effect::MoveVault(dir),
        })
    }

    /// Draws the section.
    pub fn ui(&mut self, ui: &mut egui::Ui, view: &VaultFileView<'_>) -> Option<VaultFileIntent> {
        let mut intent = None;
        ui.label(crate::theme::section("Vault file"));
        let shown = view.path.map_or_else(|| "(none)".to_owned(), |p| p.display().to_string());
        ui.horizontal(|ui| {
            ui.label("The vault in use:");
            ui.label(RichText::new(shown).monospace());
        });
        if let Some(dir) = view.pending_move {
            ui.label(
                RichText::new(format!("Coffer will move the vault to {} when it next starts.", dir.display()))
                    .color(super::warn_color(ui)),
            );
        }
        if let Some(n) = &self.notice {
            match n {
                Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
            };
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let l = ui.label("Open another vault (path of its file):");
            ui.add(egui::TextEdit::singleline(&mut self.other).desired_width(380.0)).labelled_by(l.id);
        });
        if self.other_checked.as_ref().is_none_or(|(typed, _)| *typed != self.other) {
            let checked = check_other_vault(&self.other);
            self.other_checked = Some((self.other.clone(), checked));
        }
        let other = self.other_checked.as_ref().filter(|_| !self.other.trim().is_empty()).map(|(_, c)| c.clone());
        let other_later = match &other {
            Some(Ok(p)) => p.parent().is_some_and(|d| !(view.writable)(d)),
            _ => false,
        };
        match &other {
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(super::warn_color(ui)));
            }
            Some(Ok(_)) if other_later => {
                ui.label(
                    "Coffer's sandbox lets this session write only where it started: the other vault opens when \
                     Coffer next starts.",
                );
            }
            Some(Ok(_)) => {
                ui.label("Opening it locks this vault: every secret is wiped from memory first.");
            }
            None => {}
        }
        let ready = matches!(other, Some(Ok(_)));
        if crate::theme::secondary_enabled(ui, ready, "Open another vault…").clicked()
            && let Some(Ok(p)) = other
        {
            self.other.clear();
            intent = Some(VaultFileIntent::OpenOther(p));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let l = ui.label("Move the vault into (directory):");
            if ui.add(egui::TextEdit::singleline(&mut self.target).desired_width(380.0)).labelled_by(l.id).changed() {
                self.confirm_move = false;
            }
        });
        ui.label(
            RichText::new(
                "The vault file moves with its backup, its signing-log archive and its lock. The new copy is checked \
                 to open before the old one is removed.",
            )
            .weak(),
        );
        let target = (!self.target.trim().is_empty()).then(|| check_move_target(&self.target, view.path));
        let later = match &target {
            Some(Ok(d)) => !(view.writable)(d.ancestors().find(|a| a.exists()).unwrap_or(d)),
            _ => false,
        };
        match &target {
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(super::warn_color(ui)));
            }
            Some(Ok(_)) if later => {
                ui.label(
                    "Coffer's sandbox lets this session write only where it started: the vault is moved when Coffer \
                     next starts, before anything else.",
                );
            }
            Some(Ok(_)) if !view.open => {
                ui.label(RichText::new("Unlock the vault first: the move is checked with its key.").weak());
            }
            _ => {}
        }
        let ready = matches!(target, Some(Ok(_))) && (view.open || later);
        if self.confirm_move {
            ui.horizontal(|ui| {
                ui.label(if later { "Move it when Coffer next starts?" } else { "Move it now?" });
                if crate::theme::primary_enabled(ui, ready, "Yes, move the vault").clicked()
                    && let Some(Ok(d)) = &target
                {
                    self.confirm_move = false;
                    self.target.clear();
                    intent = Some(VaultFileIntent::Move(d.clone()));
                }
                if crate::theme::secondary(ui, "Cancel the move").clicked() {
                    self.confirm_move = false;
                }
            });
        } else if crate::theme::secondary_enabled(ui, ready, "Move vault…").clicked() {
            self.confirm_move = true;
        }
        intent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    type State = (VaultFileSection, Vec<VaultFileIntent>, PathBuf, bool);

    fn harness(vault: PathBuf, sandboxed: bool) -> Harness<'static, State> {
        Harness::builder().with_size(egui::vec2(1000.0, 600.0)).build_ui_state(
            |ui, (section, out, path, sandboxed): &mut State| {
                let home = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let sandboxed = *sandboxed;
                let writable = move |d: &Path| !sandboxed || d.starts_with(&home);
                let view = VaultFileView { path: Some(path), open: true, writable: &writable, pending_move: None };
                if let Some(i) = section.ui(ui, &view) {
                    out.push(i);
                }
            },
            (VaultFileSection::default(), Vec::new(), vault, sandboxed),
        )
    }

    fn type_into(h: &mut Harness<'_, State>, field: &str, text: &str) {
        h.get_by_label(field).focus();
        h.get_by_label(field).type_text(text);
        h.run();
    }

    /// Selects everything in the field `label` and types `text` over it.
    fn replace_text(h: &mut Harness<'_, State>, label: &str, text: &str) {
        h.get_by_label(label).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    }

    fn vault_in(dir: &Path) -> PathBuf {
        let path = dir.join("v.coffer");
        let password = coffer_core::secret::SecretString::from("pw".to_owned());
        drop(coffer_core::vault::Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap());
        path
    }

    #[test]
    fn open_another_vault_checks_the_path() {
        let dir = coffer_test_util::TempDir::new("gui-vault-file-open");
        let other = vault_in(&dir);
        let mut h = harness(dir.join("current/vault.coffer"), false);
        h.run();
        h.get_by_label(&dir.join("current/vault.coffer").display().to_string());
        assert!(h.get_by_label("Open another vault…").accesskit_node().is_disabled());
        type_into(&mut h, "Open another vault (path of its file):", &dir.join("nothing").display().to_string());
        h.get_by_label_contains("This is not a vault Coffer can open");
        assert!(h.get_by_label("Open another vault…").accesskit_node().is_disabled());
        replace_text(&mut h, "Open another vault (path of its file):", &other.display().to_string());
        h.get_by_label_contains("Opening it locks this vault");
        h.get_by_label("Open another vault…").click();
        h.run();
        assert_eq!(h.state().1, vec![VaultFileIntent::OpenOther(other)]);
    }

    #[test]
    fn a_move_is_confirmed_and_the_sandbox_is_explained() {
        let dir = coffer_test_util::TempDir::new("gui-vault-file-move");
        std::fs::create_dir(dir.join("data")).unwrap();
        let mut h = harness(dir.join("data/v.coffer"), true);
        h.run();
        type_into(&mut h, "Move the vault into (directory):", &dir.join("data").display().to_string());
        h.get_by_label("The vault is already in this directory.");
        assert!(h.get_by_label("Move vault…").accesskit_node().is_disabled());
        // Inside the sandbox's directories: moved now, after a confirmation.
        let field = "Move the vault into (directory):";
        replace_text(&mut h, field, &dir.join("data/sub").display().to_string());
        assert!(h.query_by_label_contains("next starts").is_none());
        h.get_by_label("Move vault…").click();
        h.run();
        h.get_by_label("Cancel the move").click();
        h.run();
        assert!(h.state().1.is_empty());
        h.get_by_label("Move vault…").click();
        h.run();
        h.get_by_label("Yes, move the vault").click();
        h.run();
        assert_eq!(h.state().1, vec![VaultFileIntent::Move(dir.join("data/sub"))]);
        // Outside them: the section says the move waits for the next start.
        replace_text(&mut h, field, "/media/usb-stick/coffer");
        h.get_by_label_contains("the vault is moved when Coffer next starts");
    }
}
