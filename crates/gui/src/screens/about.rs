//! About: version, build hash, and what Coffer does not do.

use egui::RichText;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The short git commit this binary was built from, or "unknown".
pub const BUILD_HASH: &str = env!("COFFER_BUILD_HASH");
/// The plain statement about the network.
pub const NO_NETWORK: &str = "Coffer has no network access: it never connects to the internet and loads nothing \
    from it. Your words, keys and vault stay on this computer.";

/// The About screen.
#[derive(Debug, Default)]
pub struct AboutScreen;

impl AboutScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, sandbox: Option<&coffer_core::sandbox::SandboxReport>) {
        ui.heading("About Coffer");
        ui.add_space(8.0);
        ui.label(format!("Version {VERSION}"));
        ui.label(format!("Build {BUILD_HASH}"));
        ui.add_space(8.0);
        ui.label(RichText::new(NO_NETWORK).strong());
        ui.add_space(8.0);
        ui.label(sandbox_line(sandbox));
        if let Some(r) = sandbox
            && !r.writable.is_empty()
        {
            let dirs: Vec<String> = r.writable.iter().map(|d| d.display().to_string()).collect();
            ui.label(format!("Coffer may write only in: {}", dirs.join(", ")));
        }
        ui.add_space(8.0);
        ui.label("Chains: IOTA, Sui, IOTA Stardust (legacy), Solana, Stellar.");
        ui.label("Licensed under MIT or Apache-2.0.");
    }
}

/// The sandbox line of the About screen.
#[must_use]
pub fn sandbox_line(sandbox: Option<&coffer_core::sandbox::SandboxReport>) -> String {
    match sandbox {
        Some(r) => format!("Landlock {}", r.summary()),
        None => "Landlock sandbox: not applied in this run.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn shows_version_build_and_network_statement() {
        let h = Harness::new_ui(|ui| AboutScreen.ui(ui, None));
        h.get_by_label("Landlock sandbox: not applied in this run.");
        h.get_by_label(&format!("Version {VERSION}"));
        h.get_by_label(&format!("Build {BUILD_HASH}"));
        h.get_by_label(NO_NETWORK);
        assert!(!BUILD_HASH.is_empty());
    }
}
