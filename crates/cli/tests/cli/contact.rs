//! `coffer contact list|add|remove` (the address book) and `coffer vault move --to DIR`.

use crate::common::{ABOUT, TestVault, coffer_in};

const G: &str = "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6";
const SOL: &str = "So11111111111111111111111111111111111111112";

#[test]
fn contacts_are_added_listed_refused_and_removed() {
    let t = TestVault::new("contacts", b"contact test password\n");
    t.import("main", ABOUT, "");
    let added = t.run(&["contact", "add", "Alice", "--chain", "stellar", "--address", &format!(" {G} ")], b"").ok();
    let a = &added.json()["added"];
    assert_eq!(
        (a["chain"].as_str(), a["label"].as_str(), a["address"].as_str()),
        (Some("stellar"), Some("Alice"), Some(G))
    );
    t.run(&["contact", "add", "Wrapped SOL", "--chain", "solana", "--address", SOL], b"").ok();
    let list = t.run(&["contact", "list"], b"").ok().json();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[1]["address"], SOL);
    assert!(list[0]["added_utc"].as_str().is_some_and(|d| d.ends_with('Z')));
    let stellar = t.run(&["contact", "list", "--chain", "stellar"], b"").ok().json();
    assert_eq!(stellar.as_array().map(Vec::len), Some(1));

    // Refusals: each a typed error kind, exit 3, nothing saved.
    let bad_checksum = format!("{}A", &G[..55]);
    let cases: [(&[&str], &str); 6] = [
        (&["contact", "add", "Bob", "--chain", "stellar", "--address", G], "duplicate_contact"),
        (
            &[
                "contact",
                "add",
                "ALICE",
                "--chain",
                "stellar",
                "--address",
                "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF",
            ],
            "similar_label",
        ),
        (
            &[
                "contact",
                "add",
                "Bo\u{202E}b",
                "--chain",
                "stellar",
                "--address",
                "GAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWHF",
            ],
            "invalid_label",
        ),
        (&["contact", "add", "Carol", "--chain", "stellar", "--address", &bad_checksum], "invalid_address"),
        (&["contact", "add", "Carol", "--chain", "bitcoin", "--address", G], "unknown_chain"),
        (&["contact", "remove", "Alice", "--chain", "solana"], "contact_not_found"),
    ];
    for (args, kind) in cases {
        let run = t.run(args, b"").fails_with(3);
        assert_eq!(run.error_json()["error"]["kind"], kind, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    assert_eq!(t.run(&["contact", "list"], b"").ok().json().as_array().map(Vec::len), Some(2));

    let removed = t.run(&["contact", "remove", "Alice", "--chain", "stellar"], b"").ok();
    assert_eq!(removed.json()["removed"]["address"], G);
    let list = t.run(&["contact", "list"], b"").ok().json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    // The table for people.
    let table = coffer_in(
        Some(&t.dir.path().join("config")),
        &["--vault", &t.vault, "--password-file", &t.pw, "contact", "list"],
        b"",
    )
    .ok();
    assert!(table.stdout.starts_with("CHAIN") && table.stdout.contains("Wrapped SOL"), "{}", table.stdout);
}

#[test]
fn the_vault_moves_with_its_files_and_rollback_state() {
    let t = TestVault::new("vault-move", b"move test password\n");
    t.import("main", ABOUT, "");
    t.run(&["contact", "add", "Alice", "--chain", "stellar", "--address", G], b"").ok();
    let seen_dir = t.dir.path().join("config/coffer/seen");
    let seen_files = || std::fs::read_dir(&seen_dir).map(Iterator::count).unwrap_or(0);
    assert_eq!(seen_files(), 1);
    let target = t.dir.path().join("elsewhere/deeper");
    let target_str = target.to_str().expect("utf-8");
    let run = t.run(&["vault", "move", "--to", target_str], b"").ok();
    let moved = run.json();
    let new_path = target.join("vault.coffer");
    assert_eq!(moved["path"], new_path.to_str().expect("utf-8"));
    assert_eq!(moved["copied"], false);
    assert!(!std::path::Path::new(&t.vault).exists());
    assert!(!std::path::Path::new(&format!("{}.bak", t.vault)).exists());
    assert!(!std::path::Path::new(&format!("{}.lock", t.vault)).exists());
    assert!(target.join("vault.coffer.bak").exists() && target.join("vault.coffer.lock").exists());
    assert_eq!(seen_files(), 1, "the rollback state followed the vault (no state left for the old path)");

    // The vault works at its new place.
    let at_new = |args: &[&str]| {
        let mut all = vec!["--vault", new_path.to_str().expect("utf-8"), "--password-file", &t.pw, "--json"];
        all.extend_from_slice(args);
        coffer_in(Some(&t.dir.path().join("config")), &all, b"")
    };
    let list = at_new(&["contact", "list"]).ok().json();
    assert_eq!(list[0]["label"], "Alice");
    assert!(!at_new(&["seed", "list"]).ok().stderr.contains("vault_rollback"));

    // A vault already at the target: refused, nothing changes.
    let back = t.dir.path().to_str().expect("utf-8");
    std::fs::write(&t.vault, b"someone else's file").expect("plant a file");
    let run = at_new(&["vault", "move", "--to", back]).fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "vault_exists", "{}", run.stderr);
    assert_eq!(std::fs::read(&t.vault).expect("still there"), b"someone else's file");
    assert!(new_path.exists());
    // No vault left at the old path.
    std::fs::remove_file(&t.vault).expect("remove the planted file");
    let run = t.run(&["vault", "move", "--to", target_str], b"").fails_with(1);
    assert_eq!(run.error_json()["error"]["kind"], "vault_not_found", "{}", run.stderr);
}
