//! Coffer's desktop app: a native eframe window, no web view, nothing loaded from the network.

use eframe::egui;

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("Coffer").with_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native("Coffer", options, Box::new(|_cc| Ok(Box::new(CofferApp))))
}

/// The first window: what Coffer is, until the vault screens arrive.
#[derive(Debug)]
struct CofferApp;

impl eframe::App for CofferApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Coffer");
            ui.label("A native seed vault for IOTA, Sui, Solana and Stellar.");
            ui.label("No web view, no remote code, no network access.");
        });
    }
}
