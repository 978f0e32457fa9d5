//! One file per screen. Each screen is a small state type with a `ui` method that draws it and returns the user's
//! intent (a plain enum) for the app to apply; logic that needs no rendering is in plain functions tested beside it.

pub mod about;
pub mod accounts;
pub mod backup_check;
pub mod create_vault;
pub mod import;
pub mod log;
pub mod migrate;
pub mod new_seed;
pub mod seeds;
pub mod settings;
pub mod sign;
pub mod unlock;
pub mod welcome;

/// The colour of warnings.
pub(crate) fn warn_color(ui: &egui::Ui) -> egui::Color32 {
    ui.visuals().warn_fg_color
}

/// The colour of errors.
pub(crate) fn error_color(ui: &egui::Ui) -> egui::Color32 {
    ui.visuals().error_fg_color
}

/// The colour of success messages.
pub(crate) fn ok_color(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode { egui::Color32::from_rgb(110, 200, 120) } else { egui::Color32::from_rgb(20, 120, 40) }
}
