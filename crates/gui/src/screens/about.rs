//! About: version, build hash, the SHA-256 of the running executable, and what Coffer does not do.

use std::io::Read as _;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};

use egui::RichText;
use sha2::{Digest as _, Sha256};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The short git commit this binary was built from, or "unknown".
pub const BUILD_HASH: &str = env!("COFFER_BUILD_HASH");
/// The plain statement about the network.
pub const NO_NETWORK: &str = "Coffer has no network access: it never connects to the internet and loads nothing \
    from it. Your words, keys and vault stay on this computer.";

/// The label before the executable's hash.
pub const EXECUTABLE_SHA256: &str = "Executable SHA-256";

/// The About screen. It hashes the running executable once, on its own thread (a debug build is hundreds of
/// megabytes: never in the frame), the first time it is shown.
#[derive(Debug, Default)]
pub struct AboutScreen {
    executable: Executable,
}

/// The hash of the running executable: not started, being computed, or done.
#[derive(Debug, Default)]
enum Executable {
    #[default]
    NotStarted,
    Hashing(Receiver<Result<String, String>>),
    Done(Result<String, String>),
}

impl AboutScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, sandbox: Option<&coffer_core::sandbox::SandboxReport>) {
        ui.heading("About Coffer");
        ui.add_space(8.0);
        ui.label(format!("Version {VERSION}"));
        ui.label(format!("Build {BUILD_HASH}"));
        ui.label(self.executable_line(ui.ctx()));
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

impl AboutScreen {
    /// "Executable SHA-256 <hex>" once known (the same hash `coffer doctor` prints for its binary and `sha256sum`
    /// prints for the file; docs/building.md), starting the hashing thread on the first call.
    fn executable_line(&mut self, ctx: &egui::Context) -> String {
        if matches!(self.executable, Executable::NotStarted) {
            let (tx, rx) = mpsc::channel();
            let wake = ctx.clone();
            let spawned = std::thread::Builder::new().name("coffer-hash-exe".into()).spawn(move || {
                let _ = tx.send(executable_sha256().map_err(|e| e.to_string()));
                wake.request_repaint();
            });
            self.executable = match spawned {
                Ok(_) => Executable::Hashing(rx),
                Err(e) => Executable::Done(Err(e.to_string())),
            };
        }
        if let Executable::Hashing(rx) = &self.executable {
            match rx.try_recv() {
                Ok(result) => self.executable = Executable::Done(result),
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.executable = Executable::Done(Err("the hashing thread stopped".into()));
                }
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
        match &self.executable {
            Executable::Done(Ok(hex)) => format!("{EXECUTABLE_SHA256} {hex}"),
            Executable::Done(Err(e)) => format!("{EXECUTABLE_SHA256}: could not read the executable ({e})"),
            Executable::NotStarted | Executable::Hashing(_) => format!("{EXECUTABLE_SHA256}: computing…"),
        }
    }
}

/// The SHA-256 of the running executable in lowercase hex: `/proc/self/exe` on Linux (the file this process runs,
/// even if it was replaced on disk since; the sandbox allows reading it), `current_exe()` elsewhere.
///
/// # Errors
/// If the file cannot be read.
pub fn executable_sha256() -> std::io::Result<String> {
    if cfg!(target_os = "linux") {
        sha256_file(Path::new("/proc/self/exe"))
    } else {
        sha256_file(&std::env::current_exe()?)
    }
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0_u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
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
        let mut screen = AboutScreen::default();
        let h = Harness::new_ui(move |ui| screen.ui(ui, None));
        h.get_by_label("Landlock sandbox: not applied in this run.");
        h.get_by_label(&format!("Version {VERSION}"));
        h.get_by_label(&format!("Build {BUILD_HASH}"));
        h.get_by_label(NO_NETWORK);
        assert!(!BUILD_HASH.is_empty());
    }

    #[test]
    fn shows_the_sha256_of_the_running_executable() {
        // Computed here independently of the screen: the bytes of this test binary.
        let exe = std::env::current_exe().expect("current_exe");
        let expected: String =
            Sha256::digest(std::fs::read(exe).expect("read")).iter().map(|b| format!("{b:02x}")).collect();
        let mut screen = AboutScreen::default();
        let mut h = Harness::new_ui(move |ui| screen.ui(ui, None));
        let want = format!("{EXECUTABLE_SHA256} {expected}");
        // Hashed off the frame: the first frames say so, then the thread wakes the UI with the result.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while h.query_by_label(&want).is_none() {
            assert!(std::time::Instant::now() < deadline, "no hash after 60 s");
            std::thread::sleep(std::time::Duration::from_millis(20));
            h.step();
        }
        assert!(h.query_by_label_contains("could not read").is_none());
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
        let mut screen = AboutScreen::default();
        let h = Harness::new_ui(move |ui| screen.ui(ui, Some(&report)));
        h.get_by_label_contains("1 thread at restriction");
        h.get_by_label(
            "Denied: TCP connections and listening; abstract Unix sockets of other programs; writing outside the \
             directories below.",
        );
        h.get_by_label("Coffer may write only in: /home/me/.local/share/coffer, /dev");
        h.get_by_label("Threads when the sandbox was applied: 1 (every thread of Coffer is restricted).");
    }
}
