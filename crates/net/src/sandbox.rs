//! coffer-net's own Landlock domain (Linux): TCP connect only to the configured endpoints' ports (and 53, for DNS
//! over TCP), no TCP bind, no writes anywhere, no execution, and reads only of what name resolution needs
//! (`/etc/resolv.conf`, `/etc/hosts`, `/etc/nsswitch.conf`, …) and of shared libraries (the resolver loads NSS
//! modules on first use). Everything else, the user's home and the vault's directory included, is unreadable.
//! TLS reads no file: the trusted roots are compiled in (webpki-roots).
//!
//! On kernels with Landlock ABI 10 or newer UDP is restricted too: datagrams only to port 53 (DNS). On a kernel
//! without Landlock the process runs unsandboxed and says so in its hello's `software` field and in `--check`.

use serde::Serialize;

/// Files and directories the process may read after it restricts itself.
pub const READABLE: &[&str] = &[
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/host.conf",
    "/etc/gai.conf",
    "/etc/ld.so.cache",
    "/run/systemd/resolve",
    "/lib",
    "/lib64",
    "/usr/lib",
    "/usr/lib64",
    "/dev/urandom",
];

/// The DNS port, for resolvers that fall back to TCP.
pub const DNS_PORT: u16 = 53;

/// What the sandbox achieved.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `enforced`, `partial`, `not_enforced` or `unsupported`.
    pub status: &'static str,
    /// The kernel's Landlock ABI, if it has one.
    pub abi: Option<i32>,
    /// The TCP ports connect is allowed to.
    pub tcp_ports: Vec<u16>,
    /// Why it is weaker than asked, if it is.
    pub note: Option<String>,
}

/// Restricts this process (and threads started later) as described in the module documentation, allowing TCP
/// connect to `ports`. Never fails: without Landlock it reports `not_enforced` or `unsupported`.
#[must_use]
pub fn restrict(ports: &[u16]) -> Report {
    let mut tcp_ports = ports.to_vec();
    tcp_ports.push(DNS_PORT);
    tcp_ports.sort_unstable();
    tcp_ports.dedup();
    imp::restrict(tcp_ports)
}

#[cfg(target_os = "linux")]
mod imp {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, LandlockStatus, NetPort, PathBeneath, PathFd,
        Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope,
    };

    use super::{READABLE, Report};

    const FS_ABI: ABI = ABI::V8;
    const NET_ABI: ABI = ABI::V10;

    pub fn restrict(tcp_ports: Vec<u16>) -> Report {
        let result = (|| -> Result<_, landlock::RulesetError> {
            let mut created = Ruleset::default()
                .set_compatibility(CompatLevel::BestEffort)
                .handle_access(AccessFs::from_all(FS_ABI))?
                .handle_access(AccessNet::from_all(NET_ABI))?
                .scope(Scope::from_all(ABI::V6))?
                .create()?;
            for path in READABLE {
                if let Ok(fd) = PathFd::new(path) {
                    // Read only, never Execute: the resolver's NSS modules are mapped with open + mmap, which
                    // Landlock's Execute right (checked on execve) does not cover.
                    let read = if std::path::Path::new(path).is_dir() {
                        AccessFs::ReadFile | AccessFs::ReadDir
                    } else {
                        AccessFs::ReadFile.into()
                    };
                    created = created.add_rule(PathBeneath::new(fd, read))?;
                }
            }
            for &port in &tcp_ports {
                created = created.add_rule(NetPort::new(port, AccessNet::ConnectTcp))?;
            }
            // UDP (ABI 10): DNS queries only, from an ephemeral port.
            created = created.add_rule(NetPort::new(super::DNS_PORT, AccessNet::ConnectSendUdp))?;
            created = created.add_rule(NetPort::new(0, AccessNet::BindUdp))?;
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
                    RulesetStatus::FullyEnforced => ("enforced", None),
                    RulesetStatus::PartiallyEnforced => (
                        "partial",
                        Some(match abi {
                            Some(a) if (4..10).contains(&a) => {
                                format!(
                                    "files and TCP are restricted; UDP rules need Landlock ABI 10 (this kernel: {a})"
                                )
                            }
                            _ => "the kernel's Landlock is older than coffer-net asks for".to_owned(),
                        }),
                    ),
                    RulesetStatus::NotEnforced => {
                        ("not_enforced", Some("this kernel does not enforce Landlock".to_owned()))
                    }
                };
                Report { status: st, abi, tcp_ports, note }
            }
            Err(e) => {
                Report { status: "not_enforced", abi: None, tcp_ports, note: Some(format!("landlock failed: {e}")) }
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::Report;

    pub fn restrict(tcp_ports: Vec<u16>) -> Report {
        Report { status: "unsupported", abi: None, tcp_ports, note: Some("Landlock exists only on Linux".to_owned()) }
    }
}
