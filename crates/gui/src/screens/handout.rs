//! Handing out a signed result offline: the text (selectable), a copy button, a QR code on demand and saving to a
//! file. The sign screen and the Send page both use it, so the two look and behave the same.

use std::path::PathBuf;

use egui::RichText;

/// What the user asked of the text handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandOutAction {
    /// Put the text on the clipboard (it is public: a signed transaction or a signature, never a secret).
    Copy(String),
    /// Write the text to the file at `path`.
    Save {
        /// Where.
        path: PathBuf,
        /// What.
        text: String,
    },
}

/// The words of a hand-out block.
#[derive(Debug, Clone, Copy)]
pub struct HandOutTexts<'a> {
    /// The text's label ("Signed transaction", …).
    pub what: &'a str,
    /// The copy button ("Copy signed payment", …).
    pub copy: &'a str,
    /// What the QR code is of, for its description ("signed payment", …).
    pub qr_of: &'a str,
    /// A line under the text, if any.
    pub hint: Option<&'a str>,
}

/// The state of the hand-out block: the file path typed and the QR code (made once, when first shown).
#[derive(Default)]
pub struct HandOut {
    /// The file to save to (prefilled by the screen with a name in a directory the sandbox allows).
    pub save_path: String,
    qr_open: bool,
    qr: Option<egui::TextureHandle>,
}

impl std::fmt::Debug for HandOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandOut")
            .field("save_path", &self.save_path)
            .field("qr_open", &self.qr_open)
            .field("qr", &self.qr.is_some())
            .finish()
    }
}

impl HandOut {
    /// Forgets the QR code (a new result is shown); the save path stays.
    pub fn reset(&mut self) {
        self.qr_open = false;
        self.qr = None;
    }

    /// Draws `output` under the label `texts.what` with its copy button, *Show QR code* and *Save*.
    pub fn ui(&mut self, ui: &mut egui::Ui, output: &str, texts: &HandOutTexts<'_>) -> Option<HandOutAction> {
        let HandOutTexts { what, copy, qr_of, hint } = *texts;
        let mut action = None;
        let label = ui.label(format!("{what}:"));
        let mut shown = output;
        ui.add(
            egui::TextEdit::multiline(&mut shown)
                .desired_width(f32::INFINITY)
                .desired_rows(3)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id);
        if let Some(h) = hint {
            ui.label(RichText::new(h).weak());
        }
        ui.horizontal(|ui| {
            if crate::theme::secondary(ui, copy).clicked() {
                action = Some(HandOutAction::Copy(output.to_owned()));
            }
            let text = if self.qr_open { "Hide QR code" } else { "Show QR code" };
            if crate::theme::secondary(ui, text).clicked() {
                self.qr_open = !self.qr_open;
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Save to file:");
            ui.add(egui::TextEdit::singleline(&mut self.save_path).desired_width(360.0)).labelled_by(label.id);
            if crate::theme::secondary_enabled(ui, !self.save_path.trim().is_empty(), "Save").clicked() {
                action =
                    Some(HandOutAction::Save { path: PathBuf::from(self.save_path.trim()), text: output.to_owned() });
            }
        });
        if self.qr_open {
            if self.qr.is_none()
                && let Some(img) = crate::qr::qr_image(output)
            {
                self.qr = Some(ui.ctx().load_texture("handout-qr", img, egui::TextureOptions::NEAREST));
            }
            match &self.qr {
                Some(tex) => {
                    ui.add(
                        egui::Image::from_texture(tex)
                            .fit_to_exact_size(egui::vec2(260.0, 260.0))
                            .alt_text(format!("QR code of the {qr_of}")),
                    );
                }
                None => {
                    ui.label("Too long for a QR code: copy it or save it to a file.");
                }
            }
        }
        action
    }
}
