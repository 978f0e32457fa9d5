//! `coffer-gui`: the desktop app's entry point (window options, icon, run). Everything else is in the library.

use std::time::Instant;

use coffer_gui::{AppOptions, CofferApp};

/// The app icon, also shipped in `assets/` for the desktop file.
const ICON_PNG: &[u8] = include_bytes!("../../../assets/coffer.png");

fn main() -> eframe::Result {
    let started = Instant::now();
    // Before anything can hold a secret: no core dumps, no ptrace by other processes of this user.
    let dumps = coffer_core::process::disable_core_dumps();
    if !dumps.core_dumps_disabled {
        eprintln!("coffer-gui: could not disable core dumps on this system");
    }
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Coffer")
        .with_app_id("coffer")
        .with_inner_size([980.0, 720.0])
        .with_min_inner_size([640.0, 480.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("coffer-gui: the built-in icon does not decode: {e}"),
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native(
        "Coffer",
        options,
        Box::new(move |cc| {
            // The window, the display connection and the GL context are open now, and egui's fonts are built in:
            // restrict writing to Coffer's own directories and deny TCP before the worker thread (which will hold
            // the vault) starts. See docs/desktop-app.md, "Sandbox".
            let mut app_options = AppOptions::from_env(started);
            app_options.sandbox = Some(coffer_gui::sandbox::restrict_gui(&app_options));
            Ok(Box::new(CofferApp::new(cc, app_options)?))
        }),
    )
}
