//! Self-sandboxing with Landlock (Linux): the process gives up the right to make TCP (and, on newer kernels, UDP)
//! connections or listen, and to write anywhere but the directories it names.
//!
//! Both binaries call [`restrict`] early, before any worker thread starts (threads inherit the restriction; a
//! thread started earlier would not). What stays allowed:
//! - reading files (the sandbox limits writes, not reads);
//! - writing beneath the given directories (the vault's directory, the config directory, files the user named)
//!   and `/dev` (the terminal for password prompts, the GPU for the GUI);
//! - Unix-domain sockets by path: the OS keyring is reached over D-Bus. The fs right that would restrict them
//!   (`ResolveUnix`, Landlock ABI 9) is deliberately not handled.
//!
//! On a kernel without Landlock the program runs unsandboxed and reports it ([`SandboxReport::status`]).
//!
//! ```no_run
//! use coffer_core::sandbox;
//! let report = sandbox::restrict(&[std::path::PathBuf::from("/home/me/.local/share/coffer")]);
//! println!("{}", report.summary());
//! ```

use std::path::{Path, PathBuf};

/// How much of the sandbox the kernel enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SandboxStatus {
    /// Every requested restriction is enforced.
    Enforced,
    /// Some restrictions are enforced; the kernel's Landlock is older than what Coffer asks for (for example no
    /// network rules before ABI 4).
    Partial,
    /// Nothing is enforced: no Landlock in this kernel, or it is disabled.
    NotEnforced,
    /// Not Linux: there is no Landlock.
    Unsupported,
}

impl SandboxStatus {
    /// A stable lower-case name (`enforced`, `partial`, `not_enforced`, `unsupported`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Enforced => "enforced",
            Self::Partial => "partial",
            Self::NotEnforced => "not_enforced",
            Self::Unsupported => "unsupported",
        }
    }
}

/// What [`restrict`] achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxReport {
    /// Enforcement level.
    pub status: SandboxStatus,
    /// The Landlock ABI version of the running kernel, when it has one.
    pub abi: Option<i32>,
    /// TCP connect and bind are denied.
    pub tcp_denied: bool,
    /// Directories where writing stays allowed.
    pub writable: Vec<PathBuf>,
    /// Why the sandbox is weaker than asked, if it is.
    pub note: Option<String>,
}

impl SandboxReport {
    /// One line for people.
    #[must_use]
    pub fn summary(&self) -> String {
        let abi = self.abi.map_or_else(String::new, |a| format!(" (Landlock ABI {a})"));
        let mut s = format!("sandbox {}{abi}", self.status.name().replace('_', " "));
        if self.tcp_denied {
            s.push_str("; TCP denied");
        }
        if let Some(n) = &self.note {
            s.push_str("; ");
            s.push_str(n);
        }
        s
    }
}

/// Restricts the calling thread (and threads it starts later) to writing beneath `writable` (plus `/dev`) and to
/// no TCP/UDP networking. Paths that do not exist are skipped. Never fails: on systems without Landlock it reports
/// [`SandboxStatus::NotEnforced`] or [`SandboxStatus::Unsupported`].
#[must_use]
pub fn restrict(writable: &[PathBuf]) -> SandboxReport {
    imp::restrict(writable)
}

/// The directories of the given files (for rules that must name directories), deduplicated.
#[must_use]
pub fn parent_dirs(files: &[&Path]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        let dir = match f.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

#[cfg(target_os = "linux")]
mod imp {
    use std::path::PathBuf;

    use landlock::{
        ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, LandlockStatus, PathBeneath, PathFd, Ruleset,
        RulesetAttr, RulesetCreatedAttr, RulesetStatus,
    };

    use super::{SandboxReport, SandboxStatus};

    /// File-system rights are taken at ABI 8: ABI 9 adds `ResolveUnix`, which would cut the D-Bus connection the
    /// keyring needs. Network rights are taken at the newest ABI the crate knows, best effort.
    const FS_ABI: ABI = ABI::V8;
    const NET_ABI: ABI = ABI::V10;

    pub fn restrict(writable: &[PathBuf]) -> SandboxReport {
        let mut allowed: Vec<PathBuf> = writable.iter().filter(|p| p.exists()).cloned().collect();
        allowed.push(PathBuf::from("/dev"));
        let result = (|| -> Result<_, landlock::RulesetError> {
            let write = AccessFs::from_write(FS_ABI);
            let mut created = Ruleset::default()
                .set_compatibility(CompatLevel::BestEffort)
                .handle_access(write)?
                .handle_access(AccessNet::from_all(NET_ABI))?
                .create()?;
            for dir in &allowed {
                if let Ok(fd) = PathFd::new(dir) {
                    created = created.add_rule(PathBeneath::new(fd, write))?;
                }
            }
            created.restrict_self()
        })();
        match result {
            Ok(status) => {
                let abi = match status.landlock {
                    LandlockStatus::Available { effective_abi, kernel_abi } => {
                        Some(kernel_abi.unwrap_or(effective_abi as i32))
                    }
                    _ => None,
                };
                let (st, note) = match status.ruleset {
                    RulesetStatus::FullyEnforced => (SandboxStatus::Enforced, None),
                    RulesetStatus::PartiallyEnforced => {
                        let note = match abi {
                            Some(a) if (5..10).contains(&a) => format!(
                                "file writes and TCP are restricted; UDP rules need Landlock ABI 10 (this kernel: {a})"
                            ),
                            _ => "the kernel's Landlock is older than Coffer asks for".to_owned(),
                        };
                        (SandboxStatus::Partial, Some(note))
                    }
                    RulesetStatus::NotEnforced => {
                        (SandboxStatus::NotEnforced, Some("this kernel does not enforce Landlock".to_owned()))
                    }
                };
                let tcp_denied = st != SandboxStatus::NotEnforced && abi.is_some_and(|a| a >= 4);
                SandboxReport { status: st, abi, tcp_denied, writable: allowed, note }
            }
            Err(e) => SandboxReport {
                status: SandboxStatus::NotEnforced,
                abi: None,
                tcp_denied: false,
                writable: allowed,
                note: Some(format!("landlock failed: {e}")),
            },
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::path::PathBuf;

    use super::{SandboxReport, SandboxStatus};

    pub fn restrict(writable: &[PathBuf]) -> SandboxReport {
        SandboxReport {
            status: SandboxStatus::Unsupported,
            abi: None,
            tcp_denied: false,
            writable: writable.to_vec(),
            note: Some("Landlock exists only on Linux".to_owned()),
        }
    }
}
