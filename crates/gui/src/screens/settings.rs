//! Settings: auto-lock minutes and "lock now".

use crate::settings::{MAX_AUTO_LOCK_MINUTES, MIN_AUTO_LOCK_MINUTES, Settings};

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsIntent {
    /// Lock after this many idle minutes.
    SetAutoLock(u32),
    /// Lock now.
    LockNow,
}

/// The settings screen.
#[derive(Debug, Default)]
pub struct SettingsScreen;

impl SettingsScreen {
    /// Draws the screen for the current `settings`; `unlocked` says whether any secret is in memory.
    pub fn ui(&mut self, ui: &mut egui::Ui, settings: &Settings, unlocked: bool) -> Option<SettingsIntent> {
        let mut intent = None;
        ui.heading("Settings");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = ui.label("Auto-lock after (minutes without input):");
            let mut minutes = settings.auto_lock_minutes;
            ui.add(egui::DragValue::new(&mut minutes).range(MIN_AUTO_LOCK_MINUTES..=MAX_AUTO_LOCK_MINUTES))
                .labelled_by(label.id);
            if ui.button("−").accessible_name("One minute less").clicked() {
                minutes = minutes.saturating_sub(1).max(MIN_AUTO_LOCK_MINUTES);
            }
            if ui.button("+").accessible_name("One minute more").clicked() {
                minutes = (minutes + 1).min(MAX_AUTO_LOCK_MINUTES);
            }
            if minutes != settings.auto_lock_minutes {
                intent = Some(SettingsIntent::SetAutoLock(minutes));
            }
        });
        ui.add_space(12.0);
        if ui.add_enabled(unlocked, egui::Button::new("Lock now")).clicked() {
            intent = Some(SettingsIntent::LockNow);
        }
        ui.label("Locking wipes every secret from memory and returns to the first screen.");
        intent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn minutes_and_lock() {
        let settings = Settings::default();
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<SettingsIntent>| {
                if let Some(i) = SettingsScreen.ui(ui, &settings, true) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        assert_eq!(h.get_by_label("Auto-lock after (minutes without input):").value().as_deref(), Some("5"));
        h.get_by_label("One minute more").click();
        h.run();
        h.get_by_label("Lock now").click();
        h.run();
        assert_eq!(h.state(), &vec![SettingsIntent::SetAutoLock(6), SettingsIntent::LockNow]);
    }
}
