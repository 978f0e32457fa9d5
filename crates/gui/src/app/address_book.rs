//! The app's side of the address book and of the vault-file section of Settings: carrying out their effects (the
//! vault work runs on the worker) and following a moved vault (its path in the settings, its rollback state).

use std::path::{Path, PathBuf};

use super::{CofferApp, Flow};
use crate::screens::address_book::AddressBookScreen;
use crate::screens::vault_file::{VaultFileIntent, VaultFileView};
use crate::vault_file::{canonical_gone, writable_now};
use crate::worker::VaultTask;

impl CofferApp {
    /// Rebuilds the address-book page from the open vault.
    pub(super) fn refresh_address_book(&mut self) {
        let Some(vault) = &self.vault else { return };
        let contacts = vault.contacts().to_vec();
        if let Some(s) = &mut self.sign {
            s.set_address_book(contacts.clone());
        }
        match &mut self.address_book {
            Some(s) => s.set_contacts(contacts),
            None => self.address_book = Some(AddressBookScreen::new(contacts)),
        }
    }

    /// The seed shown on the accounts screen, else the first one (for tasks that are about no seed).
    pub(super) fn shown_label(&self) -> String {
        match &self.flow {
            Flow::Accounts(s) => s.seed_label().to_owned(),
            _ => self.any_label(),
        }
    }

    /// Whether this session may write in `dir` (the sandbox allows only the directories it started with).
    fn may_write(&self, dir: &Path) -> bool {
        writable_now(self.sandbox.as_ref(), dir)
    }

    /// The vault-file section of Settings.
    pub(super) fn vault_file_ui(&mut self, ui: &mut egui::Ui) -> Option<VaultFileIntent> {
        let sandbox = self.sandbox.clone();
        let writable = move |d: &Path| writable_now(sandbox.as_ref(), d);
        let view = VaultFileView {
            path: self.vault_path.as_deref(),
            open: self.vault.is_some(),
            writable: &writable,
            pending_move: self.settings.move_vault_to.as_deref(),
        };
        self.vault_file.ui(ui, &view)
    }

    /// Settings, "Open another vault…": lock and show its unlock screen, or (the sandbox) at the next start.
    pub(super) fn open_other_vault(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.settings.vault = Some(path.clone());
        self.save_settings();
        if path.parent().is_some_and(|d| self.may_write(d)) {
            // Every secret goes first; then the other vault's unlock screen.
            self.lock(ctx);
            self.vault_path = Some(path.clone());
            self.flow = self.locked_flow();
            self.notice = Some(format!("Locked. The vault {} is now the one in use.", path.display()));
            self.try_quick_unlock();
        } else {
            self.vault_file.notice = Some(Ok(format!(
                "Coffer opens {} when it next starts (its sandbox lets this session write only where it started). \
                 Close Coffer and start it again.",
                path.display()
            )));
        }
    }

    /// Settings, "Move vault…": on the worker, or (the sandbox) at the next start.
    pub(super) fn move_vault(&mut self, dir: PathBuf) {
        // The directory, or the nearest one above it that exists (where it would be created), must be writable.
        let existing = dir.ancestors().find(|a| a.exists()).unwrap_or(&dir);
        if self.may_write(existing) && self.vault.is_some() {
            let label = self.shown_label();
            self.vault_job(label, VaultTask::MoveVault(dir), "Moving the vault…");
        } else {
            self.settings.move_vault_to = Some(dir.clone());
            self.save_settings();
            self.vault_file.notice =
                Some(Ok("Close Coffer and start it again: the move is done first thing at the next start.".into()));
        }
    }

    /// After a move: the settings point at the new file and the rollback state follows it.
    pub(super) fn vault_moved(&mut self, moved: &coffer_core::vault::Moved) {
        let new = std::fs::canonicalize(&moved.path).unwrap_or_else(|_| moved.path.clone());
        self.settings.vault_moved(&canonical_gone(&moved.from), &new);
        self.settings.vault = Some(moved.path.clone());
        self.settings.move_vault_to = None;
        self.vault_path = Some(moved.path.clone());
        self.save_settings();
        let mut text = format!("The vault was moved to {}.", moved.path.display());
        if !moved.left_behind.is_empty() {
            let left: Vec<String> = moved.left_behind.iter().map(|p| p.display().to_string()).collect();
            text.push_str(&format!(" These old files could not be removed: delete them: {}.", left.join(", ")));
        }
        self.vault_file.notice = Some(Ok(text));
        if let Flow::Unlock(_) = self.flow {
            self.flow = self.locked_flow();
        }
    }
}
