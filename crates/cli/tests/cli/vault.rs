//! The vault commands: init, seed add/list/rename/remove/verify, passwd, info, address --seed, and every way a vault
//! can be wrong (exit codes 4, 5, 6).
//!
//! These use real key derivation (256 MiB Argon2id): the CLI has no weaker mode. `--kdf-memory-mib 256
//! --kdf-passes 2` (the policy floor) skips calibration to keep the tests short.

use std::path::Path;

use crate::common::{ABOUT, FLOOR, TempDir, TestVault, coffer, vectors};
use coffer_core::{AccountIndex, AddressIndex};

const PASSWORD: &[u8] = b"correct horse battery staple\n";

struct Fixture(TestVault);

impl std::ops::Deref for Fixture {
    type Target = TestVault;
    fn deref(&self) -> &TestVault {
        &self.0
    }
}

impl Fixture {
    fn new(tag: &str) -> Self {
        Self(TestVault::new(tag, PASSWORD))
    }

    fn init_import(&self, words: &str, passphrase: &str) {
        let out = self.import("main", words, passphrase).json();
        assert_eq!(out["label"], "main");
        assert!(out.get("mnemonic").is_none(), "an imported mnemonic is never printed back");
    }
}

#[test]
fn init_list_address_info_and_wrong_password() {
    let f = Fixture::new("init");
    let case = &vectors("iota_rebased.json")["cases"][0];
    f.init_import(case["mnemonic"].as_str().expect("m"), "");

    let list = f.run(&["seed", "list"], b"").ok().json();
    assert_eq!(list.as_array().expect("array").len(), 1);
    assert_eq!(list[0]["label"], "main");
    assert_eq!(list[0]["words"], 24);
    assert_eq!(list[0]["compromised"], false);
    assert_eq!(list[0]["backup_checked"], false);
    assert!(list[0]["created"].as_u64().expect("created") > 1_700_000_000);

    let addr = f.run(&["address", "--chain", "iota", "--seed", "main"], b"").ok().json();
    assert_eq!(addr[0]["address"], case["address"]);

    let info = coffer(&["info", "--vault", &f.vault, "--json"], b"").ok().json();
    assert_eq!(info["format_version"], 1);
    assert_eq!(info["kdf"]["memory_kib"], 262_144);
    assert_eq!(info["kdf"]["passes"], 2);
    assert_eq!((info["kdf"]["expensive"].clone(), info["kdf"]["relative_work"].clone()), (false.into(), 1.into()));
    assert_eq!(info["meets_policy"], true);

    let bad = f.dir.file("bad", b"not the password\n");
    let run = coffer(&["--vault", &f.vault, "--password-file", &bad, "seed", "list", "--json"], b"").fails_with(4);
    assert_eq!(run.error_json()["error"]["kind"], "wrong_password");
    // Without a terminal and without --password-file, Coffer refuses instead of hanging.
    let run = coffer(&["--vault", &f.vault, "seed", "list"], b"").fails_with(2);
    assert!(run.stderr.contains("--password-file"), "{}", run.stderr);
    // init refuses to overwrite.
    let mut args = vec!["init", "--import-mnemonic-file", "-"];
    args.extend_from_slice(&FLOOR);
    let run = f.run(&args, format!("{ABOUT}\n").as_bytes()).fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "vault_exists");
}

#[test]
fn fresh_seed_is_shown_once_then_verified_renamed_removed() {
    let f = Fixture::new("seeds");
    f.init_import(ABOUT, "TREZOR");
    let added = f.run(&["seed", "add", "--label", "fresh", "--words", "12"], b"").ok().json();
    let words = added["mnemonic"].as_str().expect("fresh words are shown once").to_owned();
    assert_eq!(words.split(' ').count(), 12);

    // Wrong words: exit 3, not marked.
    let run =
        f.run(&["seed", "verify", "fresh", "--mnemonic-file", "-"], format!("{ABOUT}\n").as_bytes()).fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "mnemonic_mismatch");
    // The passphrase is part of the seed.
    f.run(&["seed", "verify", "main", "--mnemonic-file", "-"], format!("{ABOUT}\n").as_bytes()).fails_with(3);
    let ok = f.run(&["seed", "verify", "main", "--mnemonic-file", "-"], format!("{ABOUT}\nTREZOR\n").as_bytes()).ok();
    assert_eq!(ok.json()["matches"], true);
    let ok = f.run(&["seed", "verify", "fresh", "--mnemonic-file", "-"], format!("{words}\n").as_bytes()).ok();
    assert_eq!(ok.json()["matches"], true);
    let list = f.run(&["seed", "list"], b"").ok().json();
    assert_eq!(list[0]["backup_checked"], true);
    assert_eq!(list[0]["has_passphrase"], true);
    assert_eq!(list[1]["backup_checked"], true);
    assert!(!f.run(&["seed", "list"], b"").stdout.contains(&words), "list never shows words");

    f.run(&["seed", "rename", "fresh", "spending"], b"").ok();
    let run = f.run(&["seed", "rename", "spending", "main"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "duplicate_label");
    let run = f.run(&["seed", "add", "--label", "", "--words", "12"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "invalid_label");

    // Removal needs confirmation: no terminal here, so --yes.
    let run = f.run(&["seed", "remove", "spending"], b"").fails_with(7);
    assert_eq!(run.error_json()["error"]["kind"], "confirmation_required");
    f.run(&["seed", "remove", "spending", "--yes"], b"").ok();
    let run = f.run(&["seed", "remove", "spending", "--yes"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "seed_not_found");
    let list = f.run(&["seed", "list"], b"").ok().json();
    assert_eq!(list.as_array().expect("array").len(), 1);
}

#[test]
fn passwd_changes_the_password() {
    let f = Fixture::new("passwd");
    f.init_import(ABOUT, "");
    let new_pw = f.dir.file("new", b"a much longer new password\n");
    let mut args = vec!["passwd", "--new-password-file", &new_pw];
    args.extend_from_slice(&FLOOR);
    let out = f.run(&args, b"").ok();
    assert_eq!(out.json()["backup_refreshed"], true);
    assert_eq!(out.stderr, "", "no warning");
    f.run(&["seed", "list"], b"").fails_with(4);
    let list = coffer(&["--vault", &f.vault, "--password-file", &new_pw, "seed", "list", "--json"], b"").ok().json();
    assert_eq!(list[0]["label"], "main");
    // Both secrets on standard input is refused.
    let run = coffer(&["--vault", &f.vault, "--password-file", "-", "passwd", "--new-password-file", "-"], b"x\ny\n");
    run.fails_with(2);
}

#[test]
fn weak_kdf_is_refused_on_create() {
    let f = Fixture::new("weak");
    let run = f
        .run(
            &["init", "--import-mnemonic-file", "-", "--kdf-memory-mib", "64", "--kdf-passes", "2"],
            format!("{ABOUT}\n").as_bytes(),
        )
        .fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "invalid_kdf_params");
    assert!(!Path::new(&f.vault).exists());
}

/// A header far above the policy (a swapped file) is refused at once with the estimate, before any key
/// derivation; `--allow-expensive-kdf` runs it.
#[test]
fn expensive_kdf_needs_the_flag() {
    let dir = TempDir::new("expensive");
    let pw = dir.file("pw", b"coffer test password\n");
    let path = dir.file("vault.coffer", &golden("expensive-kdf.coffer"));
    // `info` reads the header only and says so beforehand.
    let info = coffer(&["--vault", &path, "info", "--json"], b"").ok().json();
    assert_eq!((info["kdf"]["expensive"].clone(), info["kdf"]["relative_work"].clone()), (true.into(), 512.into()));
    assert!(info["kdf"]["estimated_seconds"].as_f64().expect("seconds") > 120.0);
    let start = std::time::Instant::now();
    let run = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list", "--json"], b"").fails_with(5);
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "refused before deriving");
    let error = &run.error_json()["error"];
    assert_eq!(error["kind"], "vault_expensive_kdf");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains("about 5 min") && message.contains("4096 MiB"), "{message}");
    assert!(message.contains("512x") && message.contains("--allow-expensive-kdf"), "{message}");
    // With the flag the key derivation starts (the file is tampered with, so it would end in `wrong_password`
    // after minutes): the process is still at work a moment later.
    let mut bytes = golden("valid-v1.coffer");
    bytes[17..25].copy_from_slice(&[(512u32 * 1024).to_le_bytes(), 33u32.to_le_bytes()].concat());
    let path = dir.file("work.coffer", &bytes);
    let refused = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list", "--json"], b"").fails_with(5);
    assert_eq!(refused.error_json()["error"]["kind"], "vault_expensive_kdf");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_coffer"))
        .args(["--vault", &path, "--password-file", &pw, "--allow-expensive-kdf", "seed", "list", "--json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn coffer");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let still_running = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "with --allow-expensive-kdf the key derivation runs instead of being refused");
}

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/vaults/{name}", env!("CARGO_MANIFEST_DIR"))).expect("golden vault")
}

#[test]
fn damaged_vaults_have_their_own_errors_and_are_left_alone() {
    let dir = TempDir::new("damaged");
    let pw = dir.file("pw", b"coffer test password\n");
    for (file, code, kind) in [
        ("flipped-header.coffer", 5, "vault_corrupted"),
        ("flipped-ciphertext.coffer", 5, "vault_corrupted"),
        ("truncated.coffer", 5, "vault_truncated"),
        ("bad-magic.coffer", 5, "not_a_vault"),
        ("future-version.coffer", 5, "vault_unsupported"),
        ("excessive-kdf.coffer", 5, "vault_excessive_kdf"),
        ("expensive-kdf.coffer", 5, "vault_expensive_kdf"),
        ("flipped-salt.coffer", 4, "wrong_password"),
    ] {
        let bytes = golden(file);
        let path = dir.file(file, &bytes);
        let run = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list", "--json"], b"").fails_with(code);
        assert_eq!(run.error_json()["error"]["kind"], kind, "{file}");
        assert_eq!(std::fs::read(&path).expect("still there"), bytes, "{file} must not be modified");
    }
    let missing = dir.path().join("nope.coffer");
    let run = coffer(&["--vault", missing.to_str().expect("utf-8"), "info", "--json"], b"").fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "vault_not_found");
}

#[test]
fn golden_vault_opens_and_is_upgraded_to_the_policy() {
    let dir = TempDir::new("golden");
    let pw = dir.file("pw", b"coffer test password\n");
    let path = dir.file("valid.coffer", &golden("valid-v1.coffer"));
    let info = coffer(&["--vault", &path, "info", "--json"], b"").ok().json();
    assert_eq!(info["meets_policy"], false);
    let list = coffer(&["--vault", &path, "--password-file", &pw, "seed", "list", "--json"], b"").ok();
    assert!(list.stderr.contains("strengthened"), "{}", list.stderr);
    let list = list.json();
    assert_eq!(list[0]["label"], "main");
    assert_eq!(list[1]["label"], "savings");
    assert_eq!(list[1]["compromised"], true);
    let info = coffer(&["--vault", &path, "info", "--json"], b"").ok().json();
    assert_eq!(info["meets_policy"], true);
    assert!(info["kdf"]["memory_kib"].as_u64().expect("memory") >= 262_144);
    // The seed still derives the same accounts after the upgrade.
    let addr = coffer(
        &["--vault", &path, "--password-file", &pw, "address", "--chain", "sui", "--seed", "main", "--json"],
        b"",
    )
    .ok()
    .json();
    let plain =
        coffer(&["address", "--chain", "sui", "--mnemonic-file", "-", "--json"], format!("{ABOUT}\n").as_bytes())
            .ok()
            .json();
    assert_eq!(addr, plain);
}

#[test]
fn a_second_process_gets_vault_in_use() {
    let f = Fixture::new("inuse");
    f.init_import(ABOUT, "");
    let password = coffer_core::secret::SecretString::from("correct horse battery staple".to_owned());
    let held = coffer_core::vault::Vault::open(&f.vault, &password).expect("open in-process");
    let run = f.run(&["seed", "list"], b"").fails_with(6);
    assert_eq!(run.error_json()["error"]["kind"], "vault_in_use");
    drop(held);
    f.run(&["seed", "list"], b"").ok();
}

/// Read-only commands take a shared lock: with another reader holding the vault (a shared `flock` on its lock file,
/// as a concurrent `coffer seed list` takes), `seed list`, `address --seed` and `log` still run; a command that
/// writes gets `vault_in_use`.
#[test]
fn readers_share_the_vault_and_exclude_writers() {
    let f = Fixture::new("shared");
    f.init_import(ABOUT, "");
    let lock = std::fs::File::open(format!("{}.lock", f.vault)).expect("lock file");
    lock.lock_shared().expect("shared lock");
    f.run(&["seed", "list"], b"").ok();
    f.run(&["address", "--seed", "main", "--chain", "sui"], b"").ok();
    f.run(&["log"], b"").ok();
    let run = f.run(&["seed", "rename", "main", "other"], b"").fails_with(6);
    assert_eq!(run.error_json()["error"]["kind"], "vault_in_use");
    drop(lock);
    f.run(&["seed", "rename", "main", "other"], b"").ok();
}

/// A vault whose signing log is at its cap (made in-process: 20 000 signatures through the CLI would take long).
fn full_log_vault(f: &Fixture) {
    use coffer_core::sign::{self, Blind, Payload, SignRequest};
    use coffer_core::vault::{KdfParams, Vault, format::MAX_LOG_ENTRIES};
    let password = coffer_core::secret::SecretString::from("correct horse battery staple".to_owned());
    let mut v = Vault::create(&f.vault, &password, KdfParams::policy_minimum()).expect("create");
    v.add_seed("main", &coffer_core::Mnemonic::parse(ABOUT).expect("mnemonic"), "").expect("add");
    let batch: Vec<_> = (0..MAX_LOG_ENTRIES)
        .map(|i| {
            let request = SignRequest::new(coffer_core::Chain::Sui, Payload::Message(format!("m{i}").into_bytes()));
            sign::decode(&request).expect("decode")
        })
        .collect();
    v.sign_batch("main", &batch, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).expect("sign");
}

/// `coffer sign` with a full signing log signs (it used to fail with `log_full`); `coffer log` then lists the kept
/// entries under their absolute indices and verifies the archive; `--export` writes the whole chain (archive and
/// kept entries) as JSON; without the archive, `log` warns and `--export` refuses.
#[test]
fn a_full_log_is_archived_listed_and_exported() {
    use coffer_core::vault::{format::MAX_LOG_ENTRIES, log_archive::BATCH};
    let f = Fixture::new("log-archive");
    full_log_vault(&f);
    let msg = f.dir.file("msg", b"one more");
    let signed = f.run(&["sign", "--chain", "sui", "--seed", "main", "--message-file", &msg, "--yes"], b"").ok();
    assert!(signed.json()["signature"].is_string(), "{}", signed.stdout);

    let export = f.dir.path().join("log.json");
    let export = export.to_str().expect("utf-8");
    let log = f.run(&["log", "--export", export], b"").ok().json();
    assert_eq!(log["archived"], BATCH as u64);
    assert_eq!(log["archive"], "verified");
    assert_eq!(log["archive_entries"], BATCH as u64);
    assert_eq!(log["chain_ok"], true);
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), MAX_LOG_ENTRIES + 1 - BATCH);
    assert_eq!(entries[0]["index"], BATCH as u64);
    assert_eq!(entries.last().expect("last")["summary"].as_str().map(|s| s.contains("one more")), Some(true));

    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(export).expect("export")).expect("json");
    assert_eq!((doc["format"].as_str(), doc["chain_ok"].as_bool()), (Some("coffer-signing-log"), Some(true)));
    let all = doc["entries"].as_array().expect("entries");
    assert_eq!(all.len(), MAX_LOG_ENTRIES + 1);
    assert_eq!(all[0]["prev_hash"], "0".repeat(64));
    assert_eq!(all[BATCH]["prev_hash"], all[BATCH - 1]["hash"]);
    assert_eq!(all[BATCH]["hash"], entries[0]["hash"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(export).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let again = f.run(&["log", "--export", export], b"").fails_with(3);
    assert_eq!(again.error_json()["error"]["kind"], "output_exists");

    // The archive segment gone: `log` still checks the kept entries and warns; an export refuses.
    for entry in std::fs::read_dir(f.dir.path()).expect("dir") {
        let p = entry.expect("entry").path();
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("vault.coffer.log-")) {
            std::fs::remove_file(p).expect("remove segment");
        }
    }
    let run = f.run(&["log"], b"").ok();
    assert_eq!(run.json()["archive"], "missing");
    let warning: serde_json::Value = serde_json::from_str(run.stderr.lines().next().expect("warning")).expect("json");
    assert_eq!(warning["warning"]["kind"], "log_archive_missing");
    let other = f.dir.path().join("other.json");
    let run = f.run(&["log", "--export", other.to_str().expect("utf-8")], b"").fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "log_archive_missing");
}

/// Restoring `vault.coffer.bak` over the vault drops the last change; the next command warns (`vault_rollback`, a
/// JSON warning line on standard error) and still runs; the state is then recorded, so the warning is given once.
#[test]
fn a_rolled_back_vault_is_reported() {
    let f = Fixture::new("rollback");
    f.init_import(ABOUT, "");
    f.run(&["seed", "rename", "main", "renamed"], b"").ok();
    let seen_dir = f.dir.path().join("config/coffer/seen");
    assert_eq!(std::fs::read_dir(&seen_dir).expect("seen dir").count(), 1, "one state file for the one vault");
    let quiet = f.run(&["seed", "list"], b"").ok();
    assert!(!quiet.stderr.contains("vault_rollback"), "{}", quiet.stderr);

    std::fs::copy(format!("{}.bak", f.vault), &f.vault).expect("restore the backup");
    let run = f.run(&["seed", "list"], b"").ok();
    assert_eq!(run.json()[0]["label"], "main", "the restored file is used");
    let warning: serde_json::Value =
        serde_json::from_str(run.stderr.lines().next().expect("a warning")).expect("JSON warning");
    assert_eq!(warning["warning"]["kind"], "vault_rollback", "{}", run.stderr);
    assert!(warning["warning"]["message"].as_str().is_some_and(|m| m.contains("older")));
    let again = f.run(&["seed", "list"], b"").ok();
    assert!(!again.stderr.contains("vault_rollback"), "warned once: {}", again.stderr);
}

/// A vault reached through a symbolic link (in another directory) is saved to the link's target: the link stays a
/// link, the backup is a regular file beside the target (the sandbox allows the target's directory).
#[cfg(unix)]
#[test]
fn a_symlinked_vault_is_saved_to_its_target() {
    let f = Fixture::new("symlink");
    f.init_import(ABOUT, "");
    let other = TempDir::new("symlink-link");
    let link = other.path().join("link.coffer");
    std::os::unix::fs::symlink(&f.vault, &link).expect("symlink");
    let link_str = link.to_str().expect("utf-8");
    let run =
        coffer(&["--vault", link_str, "--password-file", &f.pw, "--json", "seed", "rename", "main", "renamed"], b"");
    let _ = run.ok();
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(), "the link stays a link");
    assert!(std::fs::symlink_metadata(format!("{}.bak", f.vault)).expect("bak").is_file());
    assert!(!other.path().join("link.coffer.bak").exists());
    let list = f.run(&["seed", "list"], b"").ok().json();
    assert_eq!(list[0]["label"], "renamed", "the target holds the change");
}

/// A read-only (0444) vault file is not saved over: `permission_denied`, the file and its mode unchanged; reading
/// still works.
#[cfg(unix)]
#[test]
fn a_read_only_vault_file_is_respected() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new("ro-file");
    f.init_import(ABOUT, "");
    std::fs::set_permissions(&f.vault, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&f.vault).expect("read");
    let run = f.run(&["seed", "rename", "main", "renamed"], b"").fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "permission_denied");
    assert_eq!(std::fs::read(&f.vault).expect("read"), before);
    assert_eq!(std::fs::metadata(&f.vault).expect("meta").permissions().mode() & 0o777, 0o444);
    assert_eq!(f.run(&["seed", "list"], b"").ok().json()[0]["label"], "main");
}

/// A symbolic link planted at `<vault>.lock` is neither followed nor removed: the command fails with its own kind and
/// the link's target is untouched (docs/cli.md, docs/vault-format.md).
#[cfg(unix)]
#[test]
fn a_planted_lock_link_is_refused() {
    let f = Fixture::new("lock-link");
    f.init_import(ABOUT, "");
    let lock = format!("{}.lock", f.vault);
    let victim = Path::new(&f.vault).with_file_name("victim.txt");
    std::fs::write(&victim, b"untouched").expect("write victim");
    std::fs::remove_file(&lock).expect("remove the lock file");
    std::os::unix::fs::symlink(&victim, &lock).expect("plant the link");
    let run = f.run(&["seed", "list"], b"").fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "vault_lock_is_link");
    assert_eq!(std::fs::read(&victim).expect("read victim"), b"untouched");
    assert!(std::fs::symlink_metadata(&lock).expect("link").file_type().is_symlink(), "the link stays");
}
