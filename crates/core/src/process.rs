//! Process-wide protections that both binaries apply before they touch a secret.
//!
//! On Linux: no core dumps (`RLIMIT_CORE` = 0, so a crash never writes the heap to disk) and not dumpable
//! (`PR_SET_DUMPABLE` = 0, which also stops other processes of the same user from attaching a debugger or reading
//! `/proc/PID/mem`). Other platforms report what they could not do.
//!
//! ```
//! let report = coffer_core::process::disable_core_dumps();
//! # #[cfg(target_os = "linux")]
//! assert!(report.core_dumps_disabled && report.not_dumpable);
//! ```

/// What [`disable_core_dumps`] achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoreDumpReport {
    /// The core-file size limit is now zero.
    pub core_dumps_disabled: bool,
    /// The process is marked not dumpable (Linux `PR_SET_DUMPABLE` 0).
    pub not_dumpable: bool,
}

/// Disables core dumps and marks the process not dumpable. Call it first thing in `main`.
#[must_use = "report the result (coffer doctor shows it)"]
pub fn disable_core_dumps() -> CoreDumpReport {
    imp::disable_core_dumps()
}

/// Reads the current state without changing it.
#[must_use]
pub fn core_dump_status() -> CoreDumpReport {
    imp::status()
}

/// The most memory this process may lock (RLIMIT_MEMLOCK) in bytes; `None` when unlimited or unknown.
#[must_use]
pub fn memlock_limit() -> Option<u64> {
    imp::memlock_limit()
}

#[cfg(target_os = "linux")]
mod imp {
    use rustix::process::{
        DumpableBehavior, Resource, Rlimit, dumpable_behavior, getrlimit, set_dumpable_behavior, setrlimit,
    };

    use super::CoreDumpReport;

    pub fn disable_core_dumps() -> CoreDumpReport {
        let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
        status()
    }

    pub fn memlock_limit() -> Option<u64> {
        getrlimit(Resource::Memlock).current
    }

    pub fn status() -> CoreDumpReport {
        let lim = getrlimit(Resource::Core);
        CoreDumpReport {
            core_dumps_disabled: lim.current == Some(0),
            not_dumpable: matches!(dumpable_behavior(), Ok(DumpableBehavior::NotDumpable)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::CoreDumpReport;

    pub fn disable_core_dumps() -> CoreDumpReport {
        status()
    }

    pub fn status() -> CoreDumpReport {
        CoreDumpReport { core_dumps_disabled: false, not_dumpable: false }
    }

    pub fn memlock_limit() -> Option<u64> {
        None
    }
}
