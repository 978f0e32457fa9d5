//! `coffer-gui`: the desktop app's entry point (sandbox, window options, icon, run). Everything else is in the
//! library.

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
    // Before any thread exists (eframe, winit, the GL driver and the worker all start threads later, and inherit
    // it): write only in Coffer's own directories, no TCP, no abstract sockets. A thread started before this would
    // stay unrestricted; the report records how many there were (one). See docs/desktop-app.md, "Sandbox".
    let mut app_options = AppOptions::from_env(started);
    // A move of the vault asked for in an earlier session, where the sandbox did not allow writing at the target: done
    // now, before the sandbox (and before any secret is read); the settings then name the moved vault.
    let (vault_path, notice) =
        coffer_gui::vault_file::startup(app_options.settings_path.as_deref(), app_options.vault_path.take());
    app_options.vault_path = vault_path;
    app_options.startup_notice = notice;
    // The network process, only when the saved settings turn the network on: started now, before the sandbox
    // (a child inherits the app's Landlock domain, which forbids TCP) and before any secret is read. It gets its
    // own sandbox (TCP to its endpoints' ports only, no writes, no read of the vault's directory). Spawning starts
    // no thread in this process. See docs/threat-model.md, "The app's network process".
    let settings = app_options.settings_path.as_deref().map(coffer_gui::settings::Settings::load).unwrap_or_default();
    app_options.net = coffer_gui::net::start_if_on(&settings);
    let report = coffer_gui::sandbox::restrict_gui(&app_options);
    if std::env::var_os("COFFER_PRINT_SANDBOX").is_some_and(|v| v == "1") {
        // For tests and `scripts/gui-smoke`: what the sandbox achieved, without opening a window.
        println!("{}", report.summary());
        println!(
            "threads at restriction: {}",
            report.threads_at_restriction.map_or_else(|| "unknown".to_owned(), |n| n.to_string())
        );
        for dir in &report.writable {
            println!("writable: {}", dir.display());
        }
        match app_options.net.as_ref().map(|n| n.client.as_ref()) {
            None => println!("network process: off"),
            Some(Ok(c)) => println!("network process: running (pid {})", c.pid()),
            Some(Err(e)) => println!("network process: failed: {e}"),
        }
        return Ok(());
    }
    app_options.sandbox = Some(report);
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
    eframe::run_native("Coffer", options, Box::new(move |cc| Ok(Box::new(CofferApp::new(cc, app_options)?))))
}
