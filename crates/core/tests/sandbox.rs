//! The Landlock sandbox really denies TCP and writes outside the allowed directories.
//! (An integration test: coffer-core's own sources must not touch sockets, see supply_chain.rs.)

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
use std::io::ErrorKind;
use std::net::{TcpListener, TcpStream};

use coffer_core::sandbox::{SandboxStatus, restrict};
use coffer_test_util::TempDir;

fn temp(tag: &str) -> TempDir {
    TempDir::new(&format!("sandbox-{tag}"))
}

/// Landlock restricts the calling thread and its children, so the test runs in a thread of its own.
#[test]
fn denies_tcp_and_writes_outside_the_allowed_directories() {
    let allowed = temp("allowed");
    let outside = temp("outside");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Before the sandbox, the connection works: the test can tell a denial from a network problem.
    drop(TcpStream::connect(addr).unwrap());
    let (a, o) = (allowed.to_path_buf(), outside.to_path_buf());
    let report = std::thread::spawn(move || {
        let report = restrict(std::slice::from_ref(&a));
        if report.status == SandboxStatus::NotEnforced {
            return report;
        }
        std::fs::write(a.join("ok.txt"), b"allowed").unwrap();
        let denied = std::fs::write(o.join("no.txt"), b"denied").unwrap_err();
        assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
        if report.tcp_denied {
            let err = TcpStream::connect(addr).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
            let err = TcpListener::bind("127.0.0.1:0").unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
        }
        report
    })
    .join()
    .unwrap();
    // The machines this project runs on have Landlock with network rules (ABI >= 4): insist on it in CI.
    if std::env::var_os("CI").is_some() {
        assert!(matches!(report.status, SandboxStatus::Enforced | SandboxStatus::Partial), "{report:?}");
        assert!(report.tcp_denied, "{report:?}");
    }
    assert!(allowed.join("ok.txt").exists() || report.status == SandboxStatus::NotEnforced);
    assert!(!outside.join("no.txt").exists());
    // Other threads are unaffected.
    drop(TcpStream::connect(addr).unwrap());
}

/// Abstract Unix sockets made outside the sandbox are out of reach once it is on (Landlock ABI 6 scoping), unless
/// the session bus needs them; and the report counts the threads that existed when it restricted.
#[test]
fn scopes_abstract_unix_sockets_and_counts_threads() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};

    let mut r = [0u8; 8];
    getrandom::fill(&mut r).unwrap();
    let name = format!("coffer-sandbox-test-{}", hex::encode(r));
    let addr = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let listener = UnixListener::bind_addr(&addr).unwrap();
    drop(UnixStream::connect_addr(&addr).unwrap());
    let a = addr.clone();
    let (report, connected) = std::thread::spawn(move || {
        let report = restrict(&[]);
        let connected = UnixStream::connect_addr(&a);
        (report, connected)
    })
    .join()
    .unwrap();
    if report.abstract_unix_denied {
        let err = connected.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    } else {
        assert!(connected.is_ok() || report.status == SandboxStatus::NotEnforced, "{report:?}");
    }
    if std::env::var_os("CI").is_some() && coffer_core::sandbox::abstract_sockets_needed().is_none() {
        assert!(report.abstract_unix_denied, "{report:?}");
    }
    // The test harness runs tests on threads of its own: more than one thread existed, and the report says so.
    assert!(report.threads_at_restriction.is_some_and(|n| n >= 2), "{report:?}");
    // Other threads are unaffected.
    drop(UnixStream::connect_addr(&addr).unwrap());
    drop(listener);
}
