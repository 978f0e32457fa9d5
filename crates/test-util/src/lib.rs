//! Helpers shared by Coffer's tests. Only ever a dev-dependency: nothing here is for production code.

use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A fresh, empty directory under the system temporary directory (`coffer-<tag>-<16 random hex digits>`), removed
/// with everything in it when dropped. It dereferences to its [`Path`].
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates the directory.
    ///
    /// # Panics
    /// If the OS random number generator fails or the directory cannot be created (a test cannot go on then).
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn new(tag: &str) -> Self {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).expect("the OS random number generator");
        let dir = std::env::temp_dir().join(format!("coffer-{tag}-{}", hex::encode(random)));
        std::fs::create_dir_all(&dir).expect("create the temporary directory");
        Self(dir)
    }

    /// The directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Gives the directory up: it is no longer removed on drop, and the caller removes it (for helpers whose callers
    /// take a plain path and clean up themselves).
    #[must_use]
    pub fn keep(self) -> PathBuf {
        let this = std::mem::ManuallyDrop::new(self);
        this.0.clone()
    }

    /// Writes `contents` to the file `name` in the directory and returns its path as a string (for command lines).
    ///
    /// # Panics
    /// If the file cannot be written or its path is not UTF-8.
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write the test file");
        path.to_str().expect("a UTF-8 temporary path").to_owned()
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The LiteSVM JSON-RPC server of tests/chain-servers (`node solana.mjs`: the real Solana runtime behind a local
/// JSON-RPC endpoint), stopped when dropped. Needs `tests/chain-servers/node_modules` (scripts/chain-test and
/// scripts/perf-scan install it with `npm ci`).
#[derive(Debug)]
pub struct LiteSvm {
    child: Child,
    /// The server's endpoint, `http://127.0.0.1:<port>`.
    pub url: String,
}

impl LiteSvm {
    /// Starts the server and waits for the first line it prints (`{"url": …}`).
    ///
    /// # Panics
    /// If tests/chain-servers is not installed, node is missing, or the server does not announce its URL.
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn start() -> Self {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/chain-servers");
        assert!(
            Path::new(dir).join("node_modules/litesvm").exists(),
            "run scripts/chain-test or scripts/perf-scan (they install tests/chain-servers with npm ci)"
        );
        let mut child = Command::new("node")
            .arg("solana.mjs")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node is required");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("the server's standard output");
        std::io::BufReader::new(stdout).read_line(&mut line).expect("the server's first line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("the server's first line is JSON");
        let url = v["url"].as_str().expect("the server's URL").to_owned();
        Self { child, url }
    }

    /// The server's `host:port` (its URL without `http://`).
    #[must_use]
    pub fn host(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// One JSON-RPC call (`coffer_airdrop`, `coffer_setTokenAccount`, `getBalance`, …): its `result`.
    ///
    /// # Panics
    /// If the server cannot be reached, its answer is not JSON, or the answer is a JSON-RPC error.
    #[allow(clippy::expect_used)]
    pub fn rpc(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let host = self.host();
        let mut s = std::net::TcpStream::connect(host).expect("connect to the LiteSVM server");
        write!(
            s,
            "POST / HTTP/1.0\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("send the request");
        let mut text = String::new();
        s.read_to_string(&mut text).expect("read the answer");
        let json = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        let v: serde_json::Value = serde_json::from_str(json).expect("a JSON answer");
        assert!(v["error"].is_null(), "{method}: {v}");
        v["result"].clone()
    }
}

impl Drop for LiteSvm {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_empty_distinct_and_removed_on_drop() {
        let a = TempDir::new("util");
        let b = TempDir::new("util");
        assert_ne!(a.path(), b.path());
        assert_eq!(std::fs::read_dir(&a).map(Iterator::count).ok(), Some(0));
        let f = a.file("x", b"hi");
        assert_eq!(std::fs::read(&f).ok().as_deref(), Some(&b"hi"[..]));
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
        let kept = TempDir::new("util").keep();
        assert!(kept.is_dir(), "a kept directory outlives its guard");
        std::fs::remove_dir(&kept).unwrap();
    }
}
