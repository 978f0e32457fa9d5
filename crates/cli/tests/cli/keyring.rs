//! Quick unlock (`coffer keyring`, and every vault command opening through the keyring).
//!
//! The tests marked `#[ignore]` need a real Secret Service: scripts/keyring-test runs them inside `dbus-run-session`
//! with an unlocked gnome-keyring (`cargo test -p coffer-cli --test cli -- --ignored keyring::`). Plain
//! `cargo test` lists them as ignored. They drive the keyring from outside with `secret-tool` (libsecret-tools).
//! Each test has its own vault, so its own slot id and keyring entry: they run in parallel in one session.
//! `missing_keyring_falls_back_to_the_password` needs no keyring and always runs.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{ABOUT, FLOOR, Run, TempDir, TestVault, coffer};

const PASSWORD: &[u8] = b"correct horse battery staple\n";

struct Fixture {
    dir: TempDir,
    vault: String,
    pw: String,
    /// Extra environment for every run (to point coffer at a missing session bus).
    env: Vec<(&'static str, String)>,
}

impl Fixture {
    fn new(tag: &str) -> Self {
        let TestVault { dir, vault, pw } = TestVault::new(tag, PASSWORD);
        let f = Self { dir, vault, pw, env: Vec::new() };
        let mut args = vec!["init", "--import-mnemonic-file", "-"];
        args.extend_from_slice(&FLOOR);
        f.with_password(&args, format!("{ABOUT}\n").as_bytes()).ok();
        f
    }

    /// `coffer --vault V ARGS --json`, no password file, no terminal.
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--vault", &self.vault, "--json"];
        all.extend_from_slice(args);
        coffer_env(&all, b"", &self.env)
    }

    /// `coffer --vault V --password-file PW ARGS --json`.
    fn with_password(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut all = vec!["--vault", &self.vault, "--password-file", &self.pw, "--json"];
        all.extend_from_slice(args);
        coffer_env(&all, stdin, &self.env)
    }

    /// Runs `coffer --vault V ARGS` on a pseudo-terminal (util-linux `script`), typing the password when asked.
    /// Returns everything the terminal showed.
    fn on_terminal(&self, args: &str) -> (i32, String) {
        self.on_terminal_typing(args, PASSWORD)
    }

    /// As [`Fixture::on_terminal`], typing `typed` instead of the vault's password.
    fn on_terminal_typing(&self, args: &str, typed: &[u8]) -> (i32, String) {
        let cmd = format!("{} --vault {} {args}", env!("CARGO_BIN_EXE_coffer"), self.vault);
        let mut child = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux `script` runs coffer on a pseudo-terminal");
        {
            use std::io::Write;
            let _ = child.stdin.take().expect("stdin").write_all(typed);
        }
        let out = child.wait_with_output().expect("wait");
        let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
        (out.status.code().unwrap_or(-1), text)
    }

    fn status(&self) -> Value {
        self.run(&["keyring", "status"]).ok().json()
    }

    fn slot_id(&self) -> String {
        self.status()["slot_ids"][0].as_str().expect("a slot id").to_owned()
    }

    fn enable(&self) -> String {
        let out = self.with_password(&["keyring", "enable"], b"").ok().json();
        assert_eq!(out["enabled"], true);
        let id = out["slot_id"].as_str().expect("slot_id").to_owned();
        assert_eq!(id, self.slot_id());
        id
    }

    /// Where the device slot with this id starts (its id is the body's first field).
    fn slot_offset(&self, id: &str) -> usize {
        let bytes = std::fs::read(&self.vault).expect("read vault");
        bytes.windows(16).position(|w| w == hex(id)).expect("the slot id is in the header")
    }

    fn flip_byte(&self, at: usize) {
        let mut bytes = std::fs::read(&self.vault).expect("read vault");
        bytes[at] ^= 0x01;
        std::fs::write(&self.vault, bytes).expect("write vault");
    }
}

fn coffer_env(args: &[&str], stdin: &[u8], env: &[(&str, String)]) -> Run {
    use std::io::Write;
    if env.is_empty() {
        return coffer(args, stdin);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn coffer");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// The JSON lines of standard error: warnings first, then the error.
fn stderr_lines(run: &Run) -> Vec<Value> {
    run.stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// Asserts: one quick-unlock warning of `kind`, then the `password_required` error (there is no terminal).
#[track_caller]
fn falls_back(run: Run, kind: &str) {
    let run = run.fails_with(2);
    let lines = stderr_lines(&run);
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert_eq!(lines[0]["warning"]["kind"], kind, "{}", run.stderr);
    let message = lines[0]["warning"]["message"].as_str().expect("message");
    assert!(message.starts_with("quick unlock did not work: ") && message.contains("password is needed"), "{message}");
    assert_eq!(lines[1]["error"]["kind"], "password_required");
}

/// `secret-tool ARGS` with `stdin`; panics with a pointer to scripts/keyring-test when it is not there.
fn secret_tool(args: &[&str], stdin: &[u8]) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("secret-tool (libsecret-tools) is needed: run scripts/keyring-test");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let out = child.wait_with_output().expect("wait");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Fails loudly (never passes silently) when run without the session scripts/keyring-test sets up.
fn require_secret_service() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no session bus: these tests need a Secret Service; run scripts/keyring-test"
    );
}

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn enable_unlock_without_password_then_disable() {
    require_secret_service();
    let f = Fixture::new("kr-cycle");
    let s = f.status();
    assert_eq!(
        (s["enabled"].clone(), s["keyring_reachable"].clone(), s["ready"].clone()),
        (false.into(), true.into(), false.into())
    );

    let id = f.enable();
    let s = f.status();
    assert_eq!((s["enabled"].clone(), s["entry"].clone(), s["ready"].clone()), (true.into(), true.into(), true.into()));
    let (found, stored) = secret_tool(&["lookup", "service", "coffer", "username", &id], b"");
    assert!(
        found && stored.len() == 64 && stored.bytes().all(|b| b.is_ascii_hexdigit()),
        "the entry holds the key in hex"
    );

    // No --password-file and no terminal: the keyring opens the vault, silently.
    let run = f.run(&["seed", "list"]).ok();
    assert_eq!(run.json()[0]["label"], "main");
    assert_eq!(run.stderr, "");
    let run = f.run(&["address", "--chain", "sui", "--seed", "main"]).ok();
    assert!(run.json()[0]["address"].as_str().expect("address").starts_with("0x"));
    // A text-mode command too.
    let run = coffer(&["--vault", &f.vault, "seed", "list"], b"").ok();
    assert!(run.stdout.contains("main"), "{}", run.stdout);
    // --password-file still works and wins (the keyring is not consulted).
    f.with_password(&["seed", "list"], b"").ok();

    // Enabling again needs the password and renews slot and entry.
    let run = f.run(&["keyring", "enable"]).fails_with(2);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    let id2 = f.enable();
    assert_ne!(id, id2);
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id], b"").0, "the old entry is deleted");

    // Disable opens through the keyring, but removing the slot gives the vault a new key, which only the password
    // can seal: without a terminal to ask on it is refused, and nothing changes.
    let run = f.run(&["keyring", "disable"]).fails_with(2);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    assert_eq!(f.status()["ready"], true);
    // On a terminal the password is asked for after the quick unlock.
    let (code, screen) = f.on_terminal("keyring disable");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("quick unlock cannot seal it") && screen.contains("Quick unlock is off"), "{screen}");
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id2], b"").0);
    // And with --password-file no question is asked.
    let id3 = f.enable();
    let out = f.with_password(&["keyring", "disable"], b"").ok().json();
    assert_eq!(out["was_enabled"], true);
    assert_eq!(out["keyring_entry"], "deleted");
    assert_eq!(out["removed_slot_ids"][0], id3.as_str());
    let id2 = id3;
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id2], b"").0);
    let s = f.status();
    assert_eq!((s["enabled"].clone(), s["ready"].clone()), (false.into(), false.into()));
    // The password is required again, and without any quick-unlock warning.
    let run = f.run(&["seed", "list"]).fails_with(2);
    assert_eq!(stderr_lines(&run).len(), 1, "{}", run.stderr);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    let out = f.with_password(&["keyring", "disable"], b"").ok().json();
    assert_eq!((out["was_enabled"].clone(), out["keyring_entry"].clone()), (false.into(), "absent".into()));
}

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn deleted_entry_falls_back_to_the_password() {
    require_secret_service();
    let f = Fixture::new("kr-deleted");
    let id = f.enable();
    assert!(secret_tool(&["clear", "service", "coffer", "username", &id], b"").0);

    falls_back(f.run(&["seed", "list"]), "keyring_no_entry");
    let s = f.status();
    assert_eq!(
        (s["enabled"].clone(), s["entry"].clone(), s["ready"].clone()),
        (true.into(), false.into(), false.into())
    );
    // On a terminal: the reason (with the way out of a stale slot), then the prompt, and the password works.
    let (code, screen) = f.on_terminal("seed list");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("quick unlock did not work: the OS keyring has no entry"), "{screen}");
    assert!(screen.contains("coffer keyring disable` removes the stale slot"), "{screen}");
    assert!(screen.contains("Vault password:") && screen.contains("main"), "{screen}");
    // The stale slot stays until the user decides; disabling with the password removes it.
    assert_eq!(f.status()["enabled"], true);
    let out = f.with_password(&["keyring", "disable"], b"").ok().json();
    assert_eq!((out["was_enabled"].clone(), out["keyring_entry"].clone()), (true.into(), "absent".into()));
    assert_eq!(f.status()["enabled"], false);
}

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn altered_entry_or_slot_falls_back_to_the_password() {
    require_secret_service();
    let f = Fixture::new("kr-altered");
    let id = f.enable();
    let store = |secret: &[u8]| {
        assert!(secret_tool(&["store", "--label=altered", "service", "coffer", "username", &id], secret).0);
    };

    // Another key in the entry.
    store(&[b'0'; 64]);
    falls_back(f.run(&["seed", "list"]), "keyring_wrong_key");
    let (code, screen) = f.on_terminal("seed list");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("does not open this vault") && screen.contains("main"), "{screen}");
    // Not a key at all.
    store(b"hello");
    falls_back(f.run(&["seed", "list"]), "keyring_bad_entry");
    // The password still works all along.
    f.with_password(&["seed", "list"], b"").ok();

    // A tampered slot in the vault file: the keyring's key no longer opens it. The header is authenticated as a
    // whole, so the password then finds the file tampered with (exit 5) until the byte is put back.
    let id = f.enable();
    f.run(&["seed", "list"]).ok();
    let slot = f.slot_offset(&id);
    // Body: id (16), wrap nonce (24), wrapped vault key (48).
    f.flip_byte(slot + 16 + 24 + 5);
    falls_back(f.run(&["seed", "list"]), "keyring_wrong_key");
    let run = f.with_password(&["seed", "list"], b"").fails_with(5);
    assert_eq!(run.error_json()["error"]["kind"], "vault_corrupted");
    f.flip_byte(slot + 16 + 24 + 5);
    f.run(&["seed", "list"]).ok();
    // A tampered slot id names no entry.
    f.flip_byte(slot);
    falls_back(f.run(&["seed", "list"]), "keyring_no_entry");
    f.flip_byte(slot);
    f.run(&["seed", "list"]).ok();
}

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn passwd_turns_quick_unlock_off() {
    require_secret_service();
    let f = Fixture::new("kr-passwd");
    let id = f.enable();
    f.run(&["seed", "list"]).ok();
    // passwd wants the current password even with quick unlock on.
    let new_pw = f.dir.file("new", b"a new password for the vault\n");
    let run = f.run(&["passwd", "--new-password-file", &new_pw]).fails_with(2);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");

    let mut args = vec!["passwd", "--new-password-file", &new_pw];
    args.extend_from_slice(&FLOOR);
    let out = f.with_password(&args, b"").ok().json();
    assert_eq!(out["changed"], true);
    assert_eq!(out["quick_unlock_removed"], true);
    assert_eq!(out["keyring_entry"], "deleted");
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id], b"").0, "the entry is gone");
    assert_eq!(f.status()["enabled"], false);
    let run = f.run(&["seed", "list"]).fails_with(2);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    let run = coffer(&["--vault", &f.vault, "--password-file", &new_pw, "seed", "list", "--json"], b"").ok();
    assert_eq!(run.json()[0]["label"], "main");
}

/// Marking a seed compromised turns quick unlock off: the slot leaves the vault and the key leaves the keyring
/// (docs/cli.md `migrate compromised`, docs/threat-model.md).
#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn marking_compromised_deletes_the_keyring_entry() {
    require_secret_service();
    let f = Fixture::new("kr-compromised");
    let id = f.enable();
    assert!(secret_tool(&["lookup", "service", "coffer", "username", &id], b"").0);
    // With the password (a new vault key is sealed for it): the mark, then slot and entry gone.
    let out = f.with_password(&["migrate", "compromised", "main"], b"").ok().json();
    assert_eq!(out["compromised"], true);
    assert_eq!(out["quick_unlock_removed"], true);
    assert_eq!(out["keyring_entry"], "deleted");
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id], b"").0, "the entry is gone");
    assert_eq!(f.status()["enabled"], false);
    let run = f.run(&["seed", "list"]).fails_with(2);
    assert_eq!(stderr_lines(&run).len(), 1, "no quick-unlock warning: it is simply off; {}", run.stderr);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    let list = f.with_password(&["seed", "list"], b"").ok().json();
    assert_eq!(list[0]["compromised"], true);
    // Marking again with quick unlock off does not touch the keyring.
    let out = f.with_password(&["migrate", "compromised", "main"], b"").ok().json();
    assert_eq!(out["quick_unlock_removed"], false);
    assert!(out.get("keyring_entry").is_none(), "{out}");
}

/// Marking a seed compromised gives the vault a new key: after a quick unlock the password is asked for first.
#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn marking_compromised_after_quick_unlock_asks_for_the_password() {
    require_secret_service();
    let f = Fixture::new("kr-compromised");
    let id = f.enable();
    let before = std::fs::read(&f.vault).expect("read vault");
    let run = f.run(&["migrate", "compromised", "main"]).fails_with(2);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    assert_eq!(std::fs::read(&f.vault).expect("read vault"), before, "nothing changed");
    let (code, screen) = f.on_terminal("migrate compromised main");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("quick unlock cannot seal it") && screen.contains("is marked compromised"), "{screen}");
    assert_eq!(f.status()["enabled"], false, "quick unlock is off");
    assert!(!secret_tool(&["lookup", "service", "coffer", "username", &id], b"").0, "the entry is gone");
    let list = f.with_password(&["seed", "list"], b"").ok().json();
    assert_eq!(list[0]["compromised"], true);
}

/// A locked keyring, in a private session (locking the shared one would disturb the other tests, and gnome-keyring
/// cannot be unlocked again without its prompt).
#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn locked_keyring_falls_back_to_the_password() {
    require_secret_service();
    let f = Fixture::new("kr-locked");
    let home = f.dir.path().join("home");
    let run_dir = f.dir.path().join("run");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&run_dir).expect("runtime dir");
    let script = r#"
        printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        wait_for_secrets
        "$COFFER" --vault "$VAULT" --password-file "$PW" --json keyring enable >/dev/null || exit 90
        dbus-send --session --dest=org.freedesktop.secrets --type=method_call /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login || exit 91
        "$COFFER" --vault "$VAULT" --json keyring status >"$OUT/status" 2>/dev/null
        "$COFFER" --vault "$VAULT" --json seed list </dev/null >/dev/null 2>"$OUT/stderr"
        echo $? >"$OUT/code"
        "$COFFER" --vault "$VAULT" --password-file "$PW" --json seed list >/dev/null 2>&1 || exit 92
    "#;
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &format!("{WAIT_FOR_SECRETS}\n{script}")])
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &run_dir)
        .env_remove("GNOME_KEYRING_CONTROL")
        .env("COFFER", env!("CARGO_BIN_EXE_coffer"))
        .env("VAULT", &f.vault)
        .env("PW", &f.pw)
        .env("OUT", f.dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("dbus-run-session");
    assert!(out.status.success(), "{:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(f.dir.path().join(name)).expect(name);
    assert_eq!(read("code").trim(), "2");
    let run = Run { code: 2, stdout: String::new(), stderr: read("stderr") };
    falls_back(run, "keyring_locked");
    let status: Value = serde_json::from_str(&read("status")).expect("status JSON");
    assert_eq!(status["enabled"], true);
    assert_eq!(status["keyring_reachable"], false);
    assert_eq!(status["keyring_problem"]["kind"], "keyring_locked");
}

/// Waits until the Secret Service owns its bus name (gnome-keyring-daemon forks before it does).
const WAIT_FOR_SECRETS: &str = r#"
wait_for_secrets() {
    for _ in $(seq 100); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && return 0
        sleep 0.1
    done
    echo "the Secret Service did not start" >&2; exit 93
}
"#;

/// No keyring at all (the session bus address points nowhere): quick unlock says so and the password is asked
/// for; `keyring enable` fails before asking for the password; `keyring status` reports it. Runs everywhere.
#[cfg(target_os = "linux")]
#[test]
fn missing_keyring_falls_back_to_the_password() {
    let mut f = Fixture::new("kr-missing");
    let nowhere = f.dir.path().join("no-bus");
    f.env.push(("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", nowhere.display())));
    // Give the vault a device slot whose key went nowhere, as if enabled on a desktop session.
    let password = coffer_core::secret::SecretString::from("correct horse battery staple".to_owned());
    let mut v = coffer_core::Vault::open(&f.vault, &password).expect("open");
    v.add_device_slot(&coffer_core::vault::new_device_key().expect("key")).expect("slot");
    drop(v);

    falls_back(f.run(&["seed", "list"]), "keyring_unavailable");
    let s = f.status();
    assert_eq!(s["enabled"], true);
    assert_eq!(s["keyring_reachable"], false);
    assert_eq!(s["keyring_problem"]["kind"], "keyring_unavailable");
    assert_eq!(s["ready"], false);
    let text = coffer_env(&["--vault", &f.vault, "keyring", "status"], b"", &f.env).ok();
    assert!(text.stdout.contains("not available"), "{}", text.stdout);

    // Enabling fails before any password is read (none is given here).
    let run = f.run(&["keyring", "enable"]).fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "keyring_unavailable");
    // Disabling works with the password: the slot goes, the entry cannot be reached (a warning says so).
    let run = f.with_password(&["keyring", "disable"], b"").ok();
    let out = run.json();
    assert_eq!((out["was_enabled"].clone(), out["keyring_entry"].clone()), (true.into(), "not_deleted".into()));
    let lines = stderr_lines(&run);
    assert!(lines.iter().any(|l| l["warning"]["kind"] == "keyring_unavailable"), "{}", run.stderr);
    assert_eq!(f.status()["enabled"], false);
    assert!(Path::new(&f.vault).exists());
}

#[test]
#[ignore = "needs a Secret Service session: run scripts/keyring-test"]
fn seed_remove_needs_the_password_with_quick_unlock() {
    require_secret_service();
    let f = Fixture::new("kr-remove");
    f.enable();
    let labels = || -> Vec<Value> {
        let seeds = f.run(&["seed", "list"]).ok().json();
        seeds.as_array().expect("a list").iter().map(|s| s["label"].clone()).collect()
    };
    assert_eq!(labels(), ["main"]);

    // Quick unlock opens the vault for other commands, but not for removing a seed: without a password file or a
    // terminal it fails as any command needing the password does (no keyring warning: the keyring is not asked).
    let run = f.run(&["seed", "remove", "main", "--yes"]).fails_with(2);
    assert_eq!(stderr_lines(&run).len(), 1, "{}", run.stderr);
    assert_eq!(run.error_json()["error"]["kind"], "password_required");
    assert_eq!(labels(), ["main"], "nothing was removed");

    // A wrong password typed on the terminal: wrong_password (exit 4), nothing removed.
    let (code, screen) = f.on_terminal_typing("seed remove main --yes", b"not the password\n");
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("Vault password") && screen.contains("wrong"), "{screen}");
    assert_eq!(labels(), ["main"], "nothing was removed");
    let run = f.with_password(&["seed", "remove", "main", "--yes"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The right password removes it; quick unlock stays on.
    let f = Fixture::new("kr-remove-tty");
    f.enable();
    let (code, screen) = f.on_terminal("seed remove main --yes");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Removed \"main\""), "{screen}");
    assert_eq!(f.run(&["seed", "list"]).ok().json(), serde_json::json!([]));
    assert_eq!(f.status()["enabled"], true);
}
