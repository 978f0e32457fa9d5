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
        if let Some(r) = sandbox {
            for line in sandbox_details(r) {
                ui.label(line);
            }
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

/// What the sandbox denies and how many threads it covers, one line each (as `coffer doctor` says it).
#[must_use]
pub fn sandbox_details(r: &coffer_core::sandbox::SandboxReport) -> Vec<String> {
    let mut out = Vec::new();
    let mut denied = Vec::new();
    if r.tcp_denied {
        denied.push("TCP connections and listening");
    }
    if r.udp_denied {
        denied.push("UDP");
    }
    if r.abstract_unix_denied {
        denied.push("abstract Unix sockets of other programs");
    }
    if !r.writable.is_empty() && r.status != coffer_core::sandbox::SandboxStatus::NotEnforced {
        denied.push("writing outside the directories below");
    }
    if !denied.is_empty() {
        out.push(format!("Denied: {}.", denied.join("; ")));
    }
    if !r.writable.is_empty() {
        let dirs: Vec<String> = r.writable.iter().map(|d| d.display().to_string()).collect();
        out.push(format!("Coffer may write only in: {}", dirs.join(", ")));
    }
    match r.threads_at_restriction {
        Some(1) => out.push("Threads when the sandbox was applied: 1 (every thread of Coffer is restricted).".into()),
        Some(n) => out.push(format!(
            "Threads when the sandbox was applied: {n} (only the thread that applied it and its later threads are \
             restricted)."
        )),
        None => {}
    }
    out
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

    #[test]
    fn shows_what_the_sandbox_denies_and_the_thread_count() {
        use coffer_core::sandbox::{SandboxReport, SandboxStatus};
        let report = SandboxReport {
            status: SandboxStatus::Partial,
            abi: Some(7),
            tcp_denied: true,
            udp_denied: false,
            abstract_unix_denied: true,
            threads_at_restriction: Some(1),
            writable: vec!["/home/me/.local/share/coffer".into(), "/dev".into()],
            note: None,
        };
        let h = Harness::new_ui(move |ui| AboutScreen.ui(ui, Some(&report)));
        h.get_by_label_contains("1 thread at restriction");
        h.get_by_label(
            "Denied: TCP connections and listening; abstract Unix sockets of other programs; writing outside the \
             directories below.",
        );
        h.get_by_label("Coffer may write only in: /home/me/.local/share/coffer, /dev");
        h.get_by_label("Threads when the sandbox was applied: 1 (every thread of Coffer is restricted).");
    }
}
