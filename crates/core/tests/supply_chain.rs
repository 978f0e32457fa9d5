//! coffer-core's dependency tree contains nothing that can open a socket.
//!
//! The signer's promise is "no network": this test makes it checkable. It asks cargo for the normal (run-time)
//! dependencies of coffer-core with the features this package enables, then
//! 1. rejects any crate known to do networking or to be a web view, script engine or TLS stack;
//! 2. rejects networking features of multi-purpose crates (rustix `net`, nix `net`/`socket`, ...);
//! 3. scans each dependency's library source for socket APIs (`std::net` sockets, Unix sockets, `socket(2)` calls)
//!    outside comments and tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const NETWORK_CRATES: &[&str] = &[
    "tokio",
    "mio",
    "socket2",
    "async-std",
    "async-io",
    "smol",
    "hyper",
    "h2",
    "h3",
    "reqwest",
    "ureq",
    "isahc",
    "curl",
    "curl-sys",
    "attohttpc",
    "surf",
    "zbus",
    "dbus",
    "openssl",
    "openssl-sys",
    "native-tls",
    "rustls",
    "quinn",
    "tungstenite",
    "tokio-tungstenite",
    "trust-dns-resolver",
    "hickory-resolver",
    "wry",
    "webkit2gtk",
    "webview2-com",
    "tauri",
    "v8",
    "deno_core",
    "boa_engine",
    "quickjs",
    "rquickjs",
    "mlua",
    "rlua",
    "wasmtime",
    "wasmer",
    "keyring",
    "secret-service",
    "ssh2",
    "libssh2-sys",
];

/// Features that pull socket code into otherwise harmless crates.
const NETWORK_FEATURES: &[(&str, &str)] =
    &[("rustix", "net"), ("nix", "net"), ("nix", "socket"), ("libc", "extra_traits_net")];

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// (name, version) -> enabled features, for coffer-core's normal dependency tree on this platform.
fn tree() -> BTreeMap<(String, String), BTreeSet<String>> {
    let out = cargo()
        .args(["tree", "-p", "coffer-core", "-e", "normal", "--prefix", "none", "--locked", "-f", "{p}|{f}"])
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut map = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let (pkg, features) = line.split_once('|').unwrap_or((line, ""));
        let mut parts = pkg.split_whitespace();
        let (Some(name), Some(version)) = (parts.next(), parts.next()) else { continue };
        let version = version.trim_start_matches('v').to_owned();
        let f: BTreeSet<String> = features.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        map.entry((name.to_owned(), version)).or_insert_with(BTreeSet::new).extend(f);
    }
    map
}

/// (name, version) -> source directory.
fn sources() -> BTreeMap<(String, String), PathBuf> {
    let out = cargo().args(["metadata", "--format-version", "1", "--locked"]).output().expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap());
            (
                (p["name"].as_str().unwrap().to_owned(), p["version"].as_str().unwrap().to_owned()),
                manifest.parent().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            // Library code only: tests, examples and benches are not linked into Coffer.
            if !matches!(name.as_str(), "tests" | "examples" | "benches" | "target") {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

/// Lines of library source that use a socket API.
fn socket_uses(dir: &Path) -> Vec<String> {
    const NEEDLES: &[&str] =
        &["TcpStream", "TcpListener", "UdpSocket", "UnixStream", "UnixListener", "UnixDatagram", "socket(", "connect("];
    let mut files = Vec::new();
    rust_files(&dir.join("src"), &mut files);
    let mut hits = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("").trim();
            if code.is_empty() || code.starts_with('*') {
                continue;
            }
            if NEEDLES.iter().any(|n| contains_word(code, n)) {
                hits.push(format!("{}:{}: {}", f.display(), i + 1, code));
            }
        }
    }
    hits
}

/// Whether `needle` occurs in `code` as a use: not preceded by an identifier character (`socket(` but not
/// `closesocket(`) and not declared or defined (`fn socket(`: libc declares every C function, socket(2) included).
fn contains_word(code: &str, needle: &str) -> bool {
    code.match_indices(needle).any(|(i, _)| {
        let before = &code[..i];
        !before.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') && !before.ends_with("fn ")
    })
}

#[test]
fn core_dependency_tree_cannot_open_sockets() {
    let tree = tree();
    assert!(tree.keys().any(|(n, _)| n == "coffer-core"), "cargo tree did not list coffer-core: {tree:?}");
    assert!(tree.len() > 10, "suspiciously small tree: {tree:?}");
    let sources = sources();
    let mut problems = Vec::new();
    for ((name, version), features) in &tree {
        if NETWORK_CRATES.contains(&name.as_str()) {
            problems.push(format!("{name} {version} is a networking (or web/script) crate"));
        }
        for (krate, feature) in NETWORK_FEATURES {
            if name == krate && features.contains(*feature) {
                problems.push(format!("{name} {version} has its '{feature}' feature enabled"));
            }
        }
        if name == "coffer-core" {
            continue;
        }
        let dir =
            sources.get(&(name.clone(), version.clone())).unwrap_or_else(|| panic!("no source for {name} {version}"));
        // rustix's socket code lives in its `net` modules, compiled only with the `net` feature checked above.
        let hits: Vec<String> =
            socket_uses(dir).into_iter().filter(|h| !(name == "rustix" && h.contains("/net/"))).collect();
        if !hits.is_empty() {
            problems.push(format!("{name} {version} uses socket APIs:\n  {}", hits.join("\n  ")));
        }
    }
    // Coffer's own core, too.
    let own = socket_uses(Path::new(env!("CARGO_MANIFEST_DIR")));
    if !own.is_empty() {
        problems.push(format!("coffer-core uses socket APIs:\n  {}", own.join("\n  ")));
    }
    assert!(problems.is_empty(), "coffer-core must not be able to open sockets:\n{}", problems.join("\n"));
}

#[test]
fn the_scanner_finds_socket_code() {
    // The test above is only as good as its scanner: make sure it flags real socket code.
    let dir = coffer_test_util::TempDir::new("scan");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "// TcpStream in a comment is fine\nextern \"C\" { pub fn socket(d: i32) -> i32; }\n\
         pub fn f() { let _ = std::net::TcpStream::connect(\"127.0.0.1:1\"); }\n",
    )
    .unwrap();
    let hits = socket_uses(&dir);
    drop(dir);
    assert_eq!(hits.len(), 1, "{hits:?}");
}
