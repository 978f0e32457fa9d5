//! Self-sandboxing with Landlock (Linux): the process gives up the right to make TCP (and, on newer kernels, UDP)
//! connections or listen, to write anywhere but the directories it names, and (Landlock ABI 6) to connect to
//! abstract Unix sockets created outside its sandbox.
//!
//! Both binaries call [`restrict`] first thing in `main`, while the process has a single thread. Landlock restricts
//! the calling thread and the threads it starts later; a thread started earlier (by a windowing or GL library, say)
//! would stay unrestricted, and since all threads share one address space, code that took over a restricted thread
//! could take over that one too. [`restrict`] counts the process's threads at the moment it restricts
//! ([`SandboxReport::threads_at_restriction`]) so the front ends can show it. What stays allowed:
//! - reading files (the sandbox limits writes, not reads);
//! - writing beneath the given directories (the vault's directory, the config directory, files the user named)
//!   and `/dev` (the terminal for password prompts, the GPU for the GUI);
//! - Unix-domain sockets by path: the OS keyring is reached over D-Bus. The fs right that would restrict them
//!   (`ResolveUnix`, Landlock ABI 9) is deliberately not handled.
//! - abstract Unix sockets only when the session bus is reached through one ([`abstract_sockets_needed`]): D-Bus
//!   session buses started by `dbus-launch` or `dbus-run-session` may listen on an abstract address, and scoping
//!   would cut the keyring off; or when the caller says it needs them ([`restrict_keeping_abstract`]): an X11
//!   client built on libxcb (Xlib, winit) tries the display's abstract socket `@/tmp/.X11-unix/X<n>` first and
//!   falls back to the path socket only when that fails with `ENOENT` or `ECONNREFUSED`, not with the `EPERM` the
//!   scope gives, so scoping would cut the desktop app off its X11 display (x11rb, used for the clipboard, does
//!   fall back).
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
    /// UDP (bind, connect, send) is denied (Landlock ABI 10).
    pub udp_denied: bool,
    /// Connecting to abstract Unix sockets made outside the sandbox is denied (Landlock ABI 6 scoping).
    pub abstract_unix_denied: bool,
    /// How many threads the process had when it restricted itself (`None`: unknown, e.g. not Linux). One means
    /// every thread of the process is restricted.
    pub threads_at_restriction: Option<u32>,
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
        if self.udp_denied {
            s.push_str("; UDP denied");
        }
        if self.abstract_unix_denied {
            s.push_str("; abstract Unix sockets denied");
        }
        match self.threads_at_restriction {
            Some(1) => s.push_str("; 1 thread at restriction (all restricted)"),
            Some(n) => s.push_str(&format!(
                "; {n} threads at restriction (only the calling thread and its children are restricted)"
            )),
            None => {}
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
    imp::restrict(writable, None)
}

/// As [`restrict`], but abstract Unix sockets stay reachable when `abstract_needed` says why the program needs
/// them (the desktop app on X11: libxcb gives up when the display's abstract socket is denied, see
/// [`abstract_sockets_needed`]); the reason goes into the report's note.
#[must_use]
pub fn restrict_keeping_abstract(writable: &[PathBuf], abstract_needed: Option<String>) -> SandboxReport {
    imp::restrict(writable, abstract_needed)
}

/// Why abstract Unix sockets must stay reachable, if they must: the session bus address
/// (`DBUS_SESSION_BUS_ADDRESS`, where the OS keyring is reached) names an abstract socket. [`restrict`] scopes
/// abstract sockets only when this is `None`.
#[must_use]
pub fn abstract_sockets_needed() -> Option<String> {
    let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok()?;
    bus_uses_abstract(&address).then(|| "the session bus (OS keyring) is on an abstract socket".to_owned())
}

/// Whether a D-Bus address list names an abstract Unix socket (`unix:abstract=…`).
fn bus_uses_abstract(address: &str) -> bool {
    address.split(';').any(|a| {
        a.trim().strip_prefix("unix:").is_some_and(|keys| keys.split(',').any(|kv| kv.starts_with("abstract=")))
    })
}

/// The number of threads of this process, from `/proc/self/status` (`None` where there is no such file).
#[must_use]
pub fn thread_count() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_threads(&status)
}

fn parse_threads(status: &str) -> Option<u32> {
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok())
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
        RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope,
    };

    use super::{SandboxReport, SandboxStatus};

    /// File-system rights are taken at ABI 8: ABI 9 adds `ResolveUnix`, which would cut the D-Bus connection the
    /// keyring needs. Network rights are taken at the newest ABI the crate knows, best effort.
    const FS_ABI: ABI = ABI::V8;
    const NET_ABI: ABI = ABI::V10;

    pub fn restrict(writable: &[PathBuf], abstract_needed: Option<String>) -> SandboxReport {
        let mut allowed: Vec<PathBuf> = writable.iter().filter(|p| p.exists()).cloned().collect();
        allowed.push(PathBuf::from("/dev"));
        let keep_abstract = abstract_needed.or_else(super::abstract_sockets_needed);
        let mut threads = None;
        let result = (|| -> Result<_, landlock::RulesetError> {
            let write = AccessFs::from_write(FS_ABI);
            let mut ruleset = Ruleset::default()
                .set_compatibility(CompatLevel::BestEffort)
                .handle_access(write)?
                .handle_access(AccessNet::from_all(NET_ABI))?;
            if keep_abstract.is_none() {
                ruleset = ruleset.scope(Scope::AbstractUnixSocket)?;
            }
            let mut created = ruleset.create()?;
            for dir in &allowed {
                if let Ok(fd) = PathFd::new(dir) {
                    created = created.add_rule(PathBeneath::new(fd, write))?;
                }
            }
            threads = super::thread_count();
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
                let enforced = st != SandboxStatus::NotEnforced;
                let tcp_denied = enforced && abi.is_some_and(|a| a >= 4);
                let udp_denied = enforced && abi.is_some_and(|a| a >= 10);
                let abstract_unix_denied = enforced && keep_abstract.is_none() && abi.is_some_and(|a| a >= 6);
                let note = match (note, keep_abstract.filter(|_| enforced)) {
                    (Some(n), Some(k)) => Some(format!("{n}; abstract Unix sockets stay reachable: {k}")),
                    (None, Some(k)) => Some(format!("abstract Unix sockets stay reachable: {k}")),
                    (n, None) => n,
                };
                SandboxReport {
                    status: st,
                    abi,
                    tcp_denied,
                    udp_denied,
                    abstract_unix_denied,
                    threads_at_restriction: threads,
                    writable: allowed,
                    note,
                }
            }
            Err(e) => SandboxReport {
                status: SandboxStatus::NotEnforced,
                abi: None,
                tcp_denied: false,
                udp_denied: false,
                abstract_unix_denied: false,
                threads_at_restriction: threads,
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

    pub fn restrict(writable: &[PathBuf], _abstract_needed: Option<String>) -> SandboxReport {
        SandboxReport {
            status: SandboxStatus::Unsupported,
            abi: None,
            tcp_denied: false,
            udp_denied: false,
            abstract_unix_denied: false,
            threads_at_restriction: super::thread_count(),
            writable: writable.to_vec(),
            note: Some("Landlock exists only on Linux".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_read_from_the_status_file() {
        assert_eq!(parse_threads("Name:\tcoffer\nThreads:\t1\nSigQ:\t0/1\n"), Some(1));
        assert_eq!(parse_threads("Threads:\t12\n"), Some(12));
        assert_eq!(parse_threads("Name:\tcoffer\n"), None);
        #[cfg(target_os = "linux")]
        assert!(thread_count().is_some_and(|n| n >= 1));
    }

    #[test]
    fn abstract_bus_addresses_are_recognised() {
        assert!(bus_uses_abstract("unix:abstract=/tmp/dbus-AbC,guid=0123"));
        assert!(bus_uses_abstract("unix:path=/run/user/1000/bus;unix:abstract=/tmp/dbus-x"));
        assert!(bus_uses_abstract("unix:guid=1,abstract=/tmp/dbus-x"));
        assert!(!bus_uses_abstract("unix:path=/run/user/1000/bus"));
        assert!(!bus_uses_abstract("unix:path=/tmp/abstract=odd"));
        assert!(!bus_uses_abstract("tcp:host=localhost,port=1"));
    }

    #[test]
    fn the_summary_names_each_denial_and_the_thread_count() {
        let mut r = SandboxReport {
            status: SandboxStatus::Partial,
            abi: Some(7),
            tcp_denied: true,
            udp_denied: false,
            abstract_unix_denied: true,
            threads_at_restriction: Some(1),
            writable: Vec::new(),
            note: None,
        };
        assert_eq!(
            r.summary(),
            "sandbox partial (Landlock ABI 7); TCP denied; abstract Unix sockets denied; 1 thread at restriction \
             (all restricted)"
        );
        r.threads_at_restriction = Some(4);
        assert!(r.summary().contains("4 threads at restriction"), "{}", r.summary());
    }
}
