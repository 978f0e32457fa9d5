//! Helpers shared by the CLI tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Result of one run of `coffer`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// The JSON error object: the last line of standard error (notes may come before it).
    pub fn error_json(&self) -> Value {
        serde_json::from_str(self.stderr.trim().lines().last().unwrap_or_default())
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {}", self.stderr))
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn fails_with(self, code: i32) -> Self {
        assert_eq!(self.code, code, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"), "{}", self.stderr);
        assert!(!self.stderr.contains("internal error"), "{}", self.stderr);
        self
    }
}

/// Runs `coffer ARGS` with `stdin` on standard input.
pub fn coffer(args: &[&str], stdin: &[u8]) -> Run {
    coffer_in(None, args, stdin)
}

/// [`coffer`] with `$XDG_CONFIG_HOME` set to `config` (where the CLI keeps the state last seen of each vault), by
/// default a directory of this test process under the temp dir, never the user's own.
pub fn coffer_in(config: Option<&Path>, args: &[&str], stdin: &[u8]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffer"));
    let default = std::env::temp_dir().join(format!("coffer-test-config-{}", std::process::id()));
    command.env("XDG_CONFIG_HOME", config.unwrap_or(&default));
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn coffer");
    {
        let mut input = child.stdin.take().expect("stdin");
        // The child may exit before reading everything; that is not this helper's business.
        let _ = input.write_all(stdin);
    }
    let Output { status, stdout, stderr } = child.wait_with_output().expect("wait");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The policy floor's Argon2id parameters: real key derivation (the CLI has no weaker mode) without calibration.
pub const FLOOR: [&str; 4] = ["--kdf-memory-mib", "256", "--kdf-passes", "2"];

/// BIP39's 12-word test mnemonic ("abandon" × 11, "about"), no trailing newline.
pub const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/// A scratch directory with a password file and the path of a vault in it (not created until
/// [`TestVault::import`] or an `init` run).
pub struct TestVault {
    pub dir: TempDir,
    pub vault: String,
    pub pw: String,
}

impl TestVault {
    /// A fresh directory tagged `tag`; the password file holds `password` (with its newline).
    pub fn new(tag: &str, password: &[u8]) -> Self {
        let dir = TempDir::new(tag);
        let vault = dir.path().join("vault.coffer").to_str().expect("utf-8 path").to_owned();
        let pw = dir.file("pw", password);
        Self { dir, vault, pw }
    }

    /// `coffer --vault V --password-file PW --json ARGS`, with `stdin`.
    pub fn run(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut all = vec!["--vault", &self.vault, "--password-file", &self.pw, "--json"];
        all.extend_from_slice(args);
        coffer_in(Some(&self.dir.path().join("config")), &all, stdin)
    }

    /// Creates the vault (policy-floor key derivation) with `mnemonic` (and `passphrase`) imported as `label`.
    pub fn import(&self, label: &str, mnemonic: &str, passphrase: &str) -> Run {
        let mut args = vec!["init", "--label", label, "--import-mnemonic-file", "-"];
        args.extend_from_slice(&FLOOR);
        self.run(&args, format!("{mnemonic}\n{passphrase}\n").as_bytes()).ok()
    }
}

/// A scratch directory removed on drop (shared with the other crates' tests).
pub use coffer_test_util::TempDir;

/// Loads a vector file from the repository's tests/vectors.
pub fn vectors(name: &str) -> Value {
    let p = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&p).expect("read vectors")).expect("parse vectors")
}

/// Runs the SDK harness (tests/interop/sdk.mjs, installed by scripts/interop-test) and returns its JSON.
pub fn sdk(args: &[&str]) -> Value {
    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(format!("{root}/tests/interop/sdk.mjs"))
        .args(args)
        .arg("--json")
        .output()
        .expect("node (run scripts/interop-test first)");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("sdk output ({e}): {out:?}"));
    assert!(
        out.status.success() && v["ok"] != false,
        "sdk {args:?} failed: {v}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    v
}
