//! HTTP and TLS code lives in coffer-net alone: the run-time dependency trees of every crate that can hold a
//! secret (coffer-core, coffer-cli, coffer-gui, coffer-keyring) and of the protocol crate they share with
//! coffer-net contain no HTTP client, HTTP parser, TLS stack or crypto provider for TLS, on any target. deny.toml
//! enforces the same with cargo-deny's `wrappers` (scripts/test runs `cargo deny check bans`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;
use std::process::Command;

/// Crates that speak HTTP or TLS, or exist to serve them.
const HTTP_TLS: &[&str] = &[
    "ureq",
    "ureq-proto",
    "http",
    "httparse",
    "hyper",
    "h2",
    "reqwest",
    "isahc",
    "curl",
    "attohttpc",
    "surf",
    "rustls",
    "rustls-webpki",
    "webpki-roots",
    "rustls-native-certs",
    "rustls-platform-verifier",
    "ring",
    "aws-lc-rs",
    "aws-lc-sys",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tokio-rustls",
];

/// The package names in `package`'s normal (run-time) dependency tree, on every target.
fn tree(package: &str) -> BTreeSet<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "-p", package, "-e", "normal", "--target", "all", "--prefix", "none", "--locked", "-f", "{p}"])
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn no_http_or_tls_outside_coffer_net() {
    for package in ["coffer-core", "coffer-cli", "coffer-gui", "coffer-keyring", "coffer-net-proto"] {
        let names = tree(package);
        assert!(names.contains(package), "cargo tree output not understood: {names:?}");
        let found: Vec<_> = HTTP_TLS.iter().filter(|c| names.contains(**c)).collect();
        assert!(found.is_empty(), "{package} depends on HTTP/TLS crates {found:?}; they belong in coffer-net only");
    }
}

#[test]
fn the_check_sees_coffer_nets_own_http_stack() {
    // Guard against a check that sees nothing: coffer-net's tree does have them.
    let names = tree("coffer-net");
    for c in ["ureq", "rustls", "ring", "webpki-roots"] {
        assert!(names.contains(c), "{c} missing from coffer-net's tree: {names:?}");
    }
    for c in ["aws-lc-rs", "aws-lc-sys", "tokio", "hyper", "openssl-sys"] {
        assert!(!names.contains(c), "coffer-net must not pull {c}");
    }
}
