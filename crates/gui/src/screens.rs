//! One file per screen. Each screen is a small state type with a `ui` method that draws it and returns the user's
//! intent (a plain enum) for the app to apply; logic that needs no rendering is in plain functions tested beside it.

pub mod about;
pub mod accounts;
pub mod address_book;
pub mod backup_check;
pub mod create_vault;
pub mod handout;
pub mod home;
pub mod import;
pub mod log;
pub mod migrate;
pub mod network;
pub mod new_seed;
pub mod online;
pub mod seeds;
pub mod send;
pub mod settings;
pub mod sign;
pub mod unlock;
pub mod vault_file;
pub mod welcome;
pub mod words;

/// A secret text field (shown as dots) after its label, tied to it for screen readers and tests, `width` points
/// wide. Takes the keyboard focus when `focus` is set, and clears it. Returns whether Enter was pressed in it.
pub(crate) fn password_field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut crate::typed::TypedSecret,
    width: f32,
    focus: &mut bool,
) -> bool {
    let l = ui.label(label);
    let r = ui.add(egui::TextEdit::singleline(text).password(true).desired_width(width)).labelled_by(l.id);
    if std::mem::take(focus) {
        r.request_focus();
    }
    r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

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

/// A transaction's public explorer page ([`coffer_core::explorer::transaction_url`]): the link as selectable text
/// and a button labelled `button` that asks for it to be copied. Returns whether it was clicked. The app does not
/// open a browser itself: its sandbox (Landlock) is not widened to start other programs, and a copied link goes
/// wherever the user chooses.
pub(crate) fn explorer_link_ui(ui: &mut egui::Ui, link: &str, button: &str) -> bool {
    let mut clicked = false;
    ui.horizontal_wrapped(|ui| {
        ui.label("Explorer:");
        ui.add(egui::Label::new(egui::RichText::new(link).monospace()).selectable(true).wrap());
        clicked = ui.button(button).clicked();
    });
    clicked
}
