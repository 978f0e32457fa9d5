//! Whole-app tests through AccessKit labels (egui_kittest, no display needed). Each test has its own vault in a
//! temporary directory, made with the policy's minimum Argon2 parameters (never weaker).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use coffer_core::{AccountIndex, AddressIndex};
use coffer_gui::{AppOptions, CofferApp};
use coffer_test_util::LiteSvm;
use egui::OutputCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const PASSWORD: &str = "orbit velvet harvest ridge catalog trial";

/// A vault path in a fresh, empty directory of its own; the caller removes the directory (its parent) when done.
fn temp_vault(name: &str) -> PathBuf {
    coffer_test_util::TempDir::new(&format!("gui-app-{name}")).keep().join("vault.coffer")
}

fn app(vault: PathBuf) -> Harness<'static, CofferApp> {
    app_with(AppOptions::for_tests(vault))
}

#[allow(clippy::unwrap_used)] // test helper
fn app_with(options: AppOptions) -> Harness<'static, CofferApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 4000.0))
        .build_eframe(move |cc| CofferApp::new(cc, options).unwrap());
    // The app first tries quick unlock on the worker thread (off in these vaults).
    let t0 = Instant::now();
    while h.state().is_busy() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run();
    h
}

/// An unsigned Solana sweep from `from` (base58), built by coffer-core's migration builder.
#[allow(clippy::unwrap_used)] // test helper
fn solana_tx(from: &str) -> String {
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let to = coffer_core::Chain::Solana.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let sweep = coffer_core::migrate::SolanaSweep {
        balance: 2_000_000,
        compute_unit_price: 0,
        recent: coffer_core::migrate::SolanaRecent::Blockhash([7; 32]),
    };
    coffer_core::migrate::build_solana_sweep(from, &to, &sweep).unwrap()
}

#[allow(clippy::panic)] // test helper
/// Steps (in real time: the worker thread runs meanwhile) until a label containing `text` shows up and the worker
/// is idle.
fn wait_for(h: &mut Harness<'_, CofferApp>, text: &str) {
    let t0 = Instant::now();
    while h.query_by_label_contains(text).is_none() || h.state().is_busy() {
        if t0.elapsed() > Duration::from_secs(60) {
            let shown: Vec<String> = h
                .query_all_by(|_| true)
                .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
                .collect();
            panic!("timed out waiting for {text:?}; on screen: {shown:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    // A network thread may still be answering (each answer repaints): settle as far as it goes, without failing.
    let _ = h.try_run();
}

/// Steps (in real time) until the worker is idle, then lets the window settle as far as it goes.
#[allow(clippy::panic)] // test helper
fn wait_idle(h: &mut Harness<'_, CofferApp>) {
    let t0 = Instant::now();
    while h.state().is_busy() {
        assert!(t0.elapsed() < Duration::from_secs(60), "the worker stayed busy");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
}

fn type_into(h: &mut Harness<'_, CofferApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Selects everything in the field `label` and types `text` over it.
fn replace_text(h: &mut Harness<'_, CofferApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn create_vault(h: &mut Harness<'_, CofferApp>) {
    h.get_by_label("Create your vault");
    type_into(h, "Password:", PASSWORD);
    type_into(h, "Password again:", PASSWORD);
    h.get_by_label_contains("Strength: good");
    h.get_by_label("Create vault").click();
    wait_for(h, "Welcome to Coffer");
}

/// The words of the new-seed grid, read as a screen reader would (" 1. word").
/// The 12-word test mnemonic (BIP39's "abandon … about").
const ABANDON_ABOUT: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/// Creates the vault, then imports [`ABANDON_ABOUT`] as "Seed 1" (backup not checked).
fn create_vault_with_imported_seed(h: &mut Harness<'_, CofferApp>) {
    create_vault(h);
    h.get_by_label("Import a seed").click();
    h.run();
    h.get_by_label("12 words").click();
    h.run();
    // Pasting the whole phrase into the first field spreads it over the fields.
    type_into(h, "Word 1", ABANDON_ABOUT);
    h.get_by_label_contains("Checksum OK");
    h.get_by_label("Import").click();
    wait_for(h, "backup not checked yet");
}

fn shown_words(h: &Harness<'_, CofferApp>) -> Vec<String> {
    let mut cells: Vec<(usize, String)> = h
        .query_all_by(|n| n.role() == egui::accesskit::Role::Label)
        .filter_map(|n| {
            let l = n.accesskit_node().value()?;
            let (num, word) = l.trim_start().split_once(". ")?;
            Some((num.parse().ok()?, word.to_owned()))
        })
        .collect();
    cells.sort();
    cells.into_iter().map(|(_, w)| w).collect()
}

fn copied(h: &Harness<'_, CofferApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| if let OutputCommand::CopyText(t) = c { Some(t.clone()) } else { None })
        .collect()
}

#[test]
fn create_vault_words_backup_check_accounts_lock_unlock() {
    let path = temp_vault("flow");
    let mut h = app(path.clone());
    create_vault(&mut h);
    assert!(path.exists());

    h.get_by_label("Create a new seed").click();
    h.run();
    let words = shown_words(&h);
    assert_eq!(words.len(), 24, "{words:?}");
    h.get_by_label_contains("Do not take a screenshot or a photo");
    h.get_by_label("I have written them down").click();
    h.run();
    h.get_by_label("Check your backup");
    let mut asked = 0;
    for (i, w) in words.iter().enumerate() {
        if let Some(node) = h.query_by_label(&format!("Word {}: {w}", i + 1)) {
            node.click();
            h.run();
            asked += 1;
        }
    }
    assert_eq!(asked, 3);
    h.get_by_label("Check my words").click();
    wait_for(&mut h, "backup checked");
    h.get_by_label("Seed 1");

    // Copy puts the address, and only it, on the clipboard, with a countdown.
    h.get_by_label("Copy IOTA account 0").click();
    h.step();
    let out = copied(&h);
    assert_eq!(out.len(), 1);
    assert!(out[0].starts_with("0x") && out[0].len() == 66, "{out:?}");
    assert!(h.query_all_by(|n| n.value().as_deref() == Some(out[0].as_str())).count() >= 1);
    let iota0 = out[0].clone();
    h.run();
    h.get_by_label_contains("Coffer clears the clipboard in 30 s");
    h.get_by_label("Add IOTA account").click();
    wait_for(&mut h, "Copy IOTA account 1");

    // About stays reachable; Lock wipes and returns to the unlock screen, clearing the clipboard.
    h.get_by_label("About").click();
    h.run();
    h.get_by_label_contains("Coffer has no network access");
    h.get_by_label("Lock").click();
    h.step();
    assert_eq!(copied(&h), vec![String::new()]);
    h.run();
    h.get_by_label("Unlock Coffer");
    h.get_by_label_contains("every secret was wiped");
    assert!(!h.state().holds_secrets());
    assert!(h.query_by_label_contains("clears the clipboard").is_none());

    // A wrong password says so; the right one brings back the seed and its two IOTA addresses.
    type_into(&mut h, "Password:", "not the password");
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Wrong password.");
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "backup checked");
    h.get_by_label("Copy IOTA account 1");
    h.get_by_label(&iota0);

    // Sign a Solana transaction from account 0: decode, read the summary, confirm, sign; the signing log has it.
    h.get_by_label("Solana").click();
    h.run();
    h.get_by_label("Copy Solana account 0").click();
    h.step();
    let sol0 = copied(&h).pop().unwrap_or_default();
    h.run();
    h.get_by_label("Sign").click();
    h.run();
    h.get_by_label("Sign a transaction or message");
    h.get_by_label("Solana").click();
    h.run();
    type_into(&mut h, "Unsigned transaction:", &solana_tx(&sol0));
    h.get_by_label("Decode").click();
    h.run();
    h.get_by_label_contains("Everything was decoded.");
    h.get_by_label(&format!("Signing key: {sol0}"));
    assert!(h.query_all_by_label_contains(&sol0).count() >= 2, "the fee payer and the signer are shown");
    h.get_by_label("I have read the summary above and want to sign it").click();
    h.run();
    h.get_by_label("Sign now").click();
    wait_for(&mut h, "Signed by");
    h.get_by_label("Copy signed transaction").click();
    h.step();
    let signed = copied(&h);
    assert_eq!(signed.len(), 1);
    assert!(signed[0].len() > 100 && !signed[0].contains(' '), "{signed:?}");
    h.run();
    h.get_by_label("Signing log").click();
    h.run();
    h.get_by_label_contains("Log intact: 1 entries");
    h.get_by_label("solana");

    // Migrate: mark the seed compromised, a fresh seed (words once, backup check), plan, sweep Solana, report.
    h.get_by_label("Migrate").click();
    h.run();
    h.get_by_label("Migrate a compromised seed");
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    h.run();
    h.get_by_label("Mark compromised").click();
    wait_for(&mut h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(&mut h, "The fresh seed's recovery words");
    // The old seed's Solana address stays watched after the migration (kept in the settings, not the vault).
    let watched = h.state().settings().watched.get(&coffer_gui::settings::NetChain::Solana).cloned();
    assert_eq!(watched.map(|w| w.len()), Some(1), "the old seed's one Solana account is watched");
    let fresh = shown_words(&h);
    assert_eq!(fresh.len(), 24);
    h.get_by_label("I have written them down").click();
    h.run();
    h.get_by_label("Check the backup of New seed");
    for (i, w) in fresh.iter().enumerate() {
        if h.query_by_label(&format!("Word {}:", i + 1)).is_some() {
            type_into(&mut h, &format!("Word {}:", i + 1), w);
        }
    }
    h.get_by_label("Check these words").click();
    wait_for(&mut h, "The words match");
    h.get_by_label("Add to the plan").click();
    wait_for(&mut h, "The plan has 20 rows.");
    h.get_by_label("Build a single native sweep by hand").click();
    h.run();
    // The first row is IOTA: pasted bytes that are not a pay-all to the new address are refused by the guard.
    type_into(&mut h, "Unsigned pay-all transaction (base64):", "AAAA");
    h.get_by_label("Check the sweep").click();
    h.run();
    h.get_by_label_contains("Refused: ");
    assert!(h.query_by_label("Sign the sweep").is_none());
    h.get_by_label("Row to sweep:").click();
    h.run();
    // Twenty rows: the popup scrolls.
    h.get_by_label_contains("Solana m/44'/501'/0'/0' (pending)").scroll_to_me();
    h.run();
    h.get_by_label_contains("Solana m/44'/501'/0'/0' (pending)").click();
    h.run();
    type_into(&mut h, "Balance (lamports):", "2000000");
    type_into(&mut h, "Recent blockhash:", "11111111111111111111111111111112");
    h.get_by_label("Check the sweep").click();
    h.run();
    h.get_by_label_contains("The guard accepts this sweep");
    h.get_by_label("Sign the sweep").click();
    wait_for(&mut h, "Sweep signed");
    h.get_by_label("Copy broadcast command 1 of receipt 1").click();
    h.step();
    assert!(copied(&h).pop().unwrap_or_default().contains("sendTransaction"));
    h.run();
    // Stellar: the wizard asks whether the new account exists (the fresh seed's does not): create it, then merge.
    h.get_by_label("Row to sweep:").click();
    h.run();
    // Twenty rows: the popup scrolls.
    h.get_by_label_contains("Stellar m/44'/148'/0' (pending)").scroll_to_me();
    h.run();
    h.get_by_label_contains("Stellar m/44'/148'/0' (pending)").click();
    h.run();
    type_into(&mut h, "Current sequence number:", "41");
    h.get_by_label("Testnet").click();
    h.run();
    h.get_by_label_contains("Say whether the new account already exists");
    assert!(h.query_by_label("Check the sweep").is_none());
    h.get_by_label("No: create it with 1 XLM, then merge").click();
    h.run();
    h.get_by_label("Check the sweep").click();
    h.run();
    h.get_by_label_contains("The guard accepts this sweep");
    h.get_by_label_contains("create account");
    h.get_by_label("Sign the sweep").click();
    wait_for(&mut h, "Sweep signed");
    h.get_by_label("Export report").click();
    h.run();
    h.get_by_label_contains("Report saved to");
    let report = std::fs::read_to_string(path.parent().unwrap().join("exports/migration-Seed-1.json")).unwrap();
    assert!(report.contains("\"signed_tx\"") && report.contains("\"to\": \"New seed\""), "{report}");
    h.get_by_label("Seeds").click();
    h.run();
    h.get_by_label("COMPROMISED");
    // The migration holds two receipts (the Solana and the Stellar sweep): removing either of its seeds says so and
    // offers the report first.
    let exported = path.parent().unwrap().join("exports/migration-Seed-1.json");
    std::fs::remove_file(&exported).unwrap();
    h.get_by_label_contains("Seed 1 is in the migration from Seed 1 to New seed, which holds 2 receipts");
    h.get_by_label_contains("New seed is in the migration from Seed 1 to New seed, which holds 2 receipts");
    h.query_all_by_label("Export the report of the migration from Seed 1").next().unwrap().click();
    h.run();
    h.get_by_label_contains("Report saved to");
    assert!(std::fs::read_to_string(&exported).unwrap().contains("\"signed_tx\""));
    type_into(&mut h, "To remove Seed 1, type its name:", "Seed 1");
    type_into(&mut h, "Vault password to remove Seed 1:", PASSWORD);
    assert!(h.get_by_label("Remove Seed 1").accesskit_node().is_disabled(), "the receipts need a tick");
    h.get_by_label("Delete the 2 receipts with Seed 1").click();
    h.run();
    h.get_by_label("Remove Seed 1").click();
    wait_for(&mut h, "Removed Seed 1.");
    assert!(h.query_by_label_contains("which holds 2 receipts").is_none());
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

#[test]
fn import_then_auto_lock() {
    let path = temp_vault("import");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);

    // The dry-run backup check: other words do not match; the right ones mark the backup as checked.
    h.get_by_label("Check backup").click();
    h.run();
    h.get_by_label("Check the backup of Seed 1");
    type_into(&mut h, "Word 1", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong");
    h.get_by_label("Check").click();
    wait_for(&mut h, "do not match this seed");
    h.get_by_label_contains("backup not checked yet");
    h.get_by_label("Check backup").click();
    h.run();
    type_into(&mut h, "Word 1", ABANDON_ABOUT);
    h.get_by_label("Check").click();
    wait_for(&mut h, "The words match this seed");
    h.get_by_label_contains("backup checked");
    h.get_by_label("Stellar").click();
    h.run();
    h.get_by_label("Copy Stellar account 0");
    type_into(&mut h, "Label of Stellar account 0", "Savings");
    h.get_by_label("Sui").click(); // the label field loses focus: the label is saved
    wait_for(&mut h, "Copy Sui account 0");
    h.get_by_label("Settings").click();
    h.run();
    assert_eq!(h.state().settings().auto_lock_minutes, 5);
    h.state_mut().pretend_idle(Duration::from_secs(5 * 60 + 1));
    h.run();
    h.get_by_label("Unlock Coffer");
    assert!(!h.state().holds_secrets());

    // The label was stored in the vault.
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "backup checked");
    h.get_by_label("Stellar").click();
    h.run();
    assert_eq!(h.get_by_label("Label of Stellar account 0").value().as_deref(), Some("Savings"));
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The restored test words show IOTA and Sui accounts 0-2 at the addresses the chains' SDKs derive for their wallets'
/// account paths (`tests/vectors/wallet_accounts.json`, re-derived by `Ed25519Keypair.deriveKeypair` of
/// @iota/iota-sdk and @mysten/sui in tests/interop's self-test).
#[test]
fn restored_words_show_the_wallets_accounts() {
    let file = format!("{}/../../tests/vectors/wallet_accounts.json", env!("CARGO_MANIFEST_DIR"));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(v["mnemonic"], ABANDON_ABOUT);
    let path = temp_vault("wallet-accounts");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    for (tab, chain) in [("IOTA", "iota"), ("Sui", "sui")] {
        h.get_by_label(tab).click();
        h.run();
        for n in 1..=2 {
            h.get_by_label(&format!("Add {tab} account")).click();
            wait_for(&mut h, &format!("Copy {tab} account {n}"));
        }
        let cases: Vec<&serde_json::Value> =
            v["cases"].as_array().unwrap().iter().filter(|c| c["chain"] == chain).collect();
        assert_eq!(cases.len(), 3);
        for c in cases {
            let n = c["account"].as_u64().unwrap();
            h.get_by_label(c["path"].as_str().unwrap());
            h.get_by_label(&format!("Copy {tab} account {n}")).click();
            h.step();
            assert_eq!(copied(&h), vec![c["address"].as_str().unwrap().to_owned()], "{tab} account {n}");
            h.run();
        }
    }
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

#[test]
fn cancel_discards_the_new_seed() {
    let path = temp_vault("cancel");
    let mut h = app(path.clone());
    create_vault(&mut h);
    h.get_by_label("Create a new seed").click();
    h.run();
    h.get_by_label("Cancel and discard this seed").click();
    h.run();
    h.get_by_label("Welcome to Coffer");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// A swapped vault file whose header asks for 4 GiB x 64 passes: the app shows the estimate and asks before any key
/// derivation; cancelling drops the password it kept.
#[test]
fn an_expensive_vault_is_asked_about_before_unlocking() {
    let path = temp_vault("expensive");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let golden = format!("{}/../../tests/vaults/expensive-kdf.coffer", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(golden, &path).unwrap();
    let mut h = app(path.clone());
    h.get_by_label("Unlock Coffer");
    type_into(&mut h, "Password:", "coffer test password");
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "This vault asks for an unusually expensive key derivation");
    h.get_by_label_contains(
        "Unlocking would take about 5 min and 4096 MiB of memory (64 passes, 1 lane): 512 times the work",
    );
    h.get_by_label("Unlock anyway");
    assert!(h.state().holds_secrets(), "the typed password is kept for the answer");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().holds_secrets());
    h.get_by_label("Password:");
    assert!(h.query_by_label("Unlock anyway").is_none());
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// After a quick unlock, what removes a way in (turning quick unlock off, marking a seed compromised) gives the
/// vault a new key that only the password can seal: the app asks for the password, then does it.
#[test]
fn quick_unlocked_vault_asks_for_the_password_to_remove_a_way_in() {
    let path = temp_vault("rekey");
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
    let keyring = coffer_keyring::Keyring::with_store(keyring_core::mock::Store::new().unwrap());
    let mut v = coffer_core::Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap();
    v.add_seed("main", &coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap(), "").unwrap();
    keyring.enable(&mut v).unwrap();
    drop(v);
    let options = AppOptions { keyring: Some(keyring), ..AppOptions::for_tests(path.clone()) };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 4000.0))
        .build_eframe(move |cc| CofferApp::new(cc, options).unwrap());
    wait_for(&mut h, "Opened with quick unlock");

    // Mark compromised: the password is asked for; a wrong one changes nothing.
    h.get_by_label("Seeds").click();
    h.run();
    h.get_by_label_contains("main: Mark a seed compromised").click();
    h.run();
    h.get_by_label("Mark main compromised").click();
    wait_for(&mut h, "Marking a seed compromised gives the vault a new key");
    assert!(h.query_by_label("COMPROMISED").is_none());
    type_into(&mut h, "Vault password:", "not the vault password");
    h.get_by_label("Confirm password").click();
    wait_for(&mut h, "Wrong password: nothing was changed.");
    assert!(coffer_core::Vault::read_info(&path).unwrap().device_slot);
    type_into(&mut h, "Vault password:", PASSWORD);
    h.get_by_label("Confirm password").click();
    wait_for(&mut h, "main is marked compromised.");
    h.get_by_label("COMPROMISED");
    assert!(h.query_by_label("Vault password:").is_none(), "the prompt is gone");
    // The new key went with the old device slot: quick unlock is off.
    assert!(!coffer_core::Vault::read_info(&path).unwrap().device_slot);
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

#[test]
fn a_vault_in_use_says_so() {
    let path = temp_vault("in-use");
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
    // Another Coffer process (here: this test) holds the vault open.
    let held = coffer_core::Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap();
    let mut h = app(path.clone());
    h.get_by_label("Unlock Coffer");
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "in use by another Coffer process");
    assert!(!h.state().holds_secrets());
    drop(held);
    // Once it is free, the same password opens it: the empty vault offers to add a seed.
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Welcome to Coffer");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

#[test]
fn seeds_rename_remove_and_change_password() {
    let path = temp_vault("seeds");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);

    // Rename on the seeds page.
    h.get_by_label("Seeds").click();
    h.run();
    h.get_by_label("Manage seeds");
    let field = "New name for Seed 1:";
    h.get_by_label(field).focus();
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label(field).type_text(" main");
    h.run();
    h.get_by_label("Rename Seed 1").click();
    wait_for(&mut h, "Renamed Seed 1 to Seed 1 main.");

    // Mark it compromised by mistake, then undo that: unmarking needs the vault password.
    h.get_by_label_contains("Seed 1 main: Mark a seed compromised").click();
    h.run();
    h.get_by_label("Mark Seed 1 main compromised").click();
    wait_for(&mut h, "Seed 1 main is marked compromised.");
    h.get_by_label("COMPROMISED");
    type_into(&mut h, "Vault password to unmark Seed 1 main:", "not the vault password");
    h.get_by_label("Unmark Seed 1 main").click();
    wait_for(&mut h, "wrong password");
    h.get_by_label("COMPROMISED");
    type_into(&mut h, "Vault password to unmark Seed 1 main:", PASSWORD);
    h.get_by_label("Unmark Seed 1 main").click();
    wait_for(&mut h, "Seed 1 main is no longer marked compromised.");
    assert!(h.query_by_label("COMPROMISED").is_none());
    h.get_by_label("Mark Seed 1 main compromised");

    // Change the password (quick unlock is off: nothing to turn off), lock, unlock with the new one.
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label_contains("The vault's key is derived with Argon2id");
    // Screen reader support is off until the user turns it on.
    assert!(!h.state().settings().screen_reader);
    h.get_by_label("Screen reader support").click();
    h.run();
    assert!(h.state().settings().screen_reader);
    h.get_by_label("Screen reader support").click();
    h.run();
    assert!(!h.state().settings().screen_reader);
    let new_password = "kettle orchard velvet summit lantern prism";
    // A wrong current password is refused by the core and changes nothing.
    let before = std::fs::read(&path).unwrap();
    type_into(&mut h, "Current password:", "not the vault password");
    type_into(&mut h, "New password:", new_password);
    type_into(&mut h, "New password again:", new_password);
    h.get_by_label("Change password").click();
    wait_for(&mut h, "The current password is wrong: the password was not changed.");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    type_into(&mut h, "Current password:", PASSWORD);
    type_into(&mut h, "New password:", new_password);
    type_into(&mut h, "New password again:", new_password);
    h.get_by_label("Change password").click();
    wait_for(&mut h, "The password was changed");
    h.get_by_label("Lock").click();
    h.run();
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Wrong password.");
    type_into(&mut h, "Password:", new_password);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "backup not checked yet");

    // Remove needs the seed's name typed and the vault password, which the core checks.
    h.get_by_label("Seeds").click();
    h.run();
    assert!(h.get_by_label("Remove Seed 1 main").accesskit_node().is_disabled());
    type_into(&mut h, "To remove Seed 1 main, type its name:", "Seed 1 main");
    assert!(h.get_by_label("Remove Seed 1 main").accesskit_node().is_disabled());
    type_into(&mut h, "Vault password to remove Seed 1 main:", PASSWORD);
    h.get_by_label("Remove Seed 1 main").click();
    wait_for(&mut h, "Wrong password: Seed 1 main was not removed.");
    h.get_by_label("Rename Seed 1 main");
    type_into(&mut h, "To remove Seed 1 main, type its name:", "Seed 1 main");
    type_into(&mut h, "Vault password to remove Seed 1 main:", new_password);
    h.get_by_label("Remove Seed 1 main").click();
    wait_for(&mut h, "Removed Seed 1 main.");
    h.get_by_label("There is no seed in the vault yet.");
    h.get_by_label("Home").click();
    h.run();
    h.get_by_label("Welcome to Coffer");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The real binary restricts itself first thing in `main`, while it has one thread (so every thread eframe, the GL
/// driver and the worker start later is restricted), creates the vault and settings directories private to the
/// user, and lets Mesa write only in Coffer's own shader cache. `COFFER_PRINT_SANDBOX=1` prints the report and exits
/// before any window is opened.
#[test]
#[cfg(target_os = "linux")]
#[allow(clippy::unwrap_used)]
fn the_binary_restricts_itself_while_it_has_one_thread() {
    use std::os::unix::fs::PermissionsExt;
    let root = temp_vault("binary-sandbox").parent().unwrap().to_path_buf();
    let run = |display: (&str, &str)| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_coffer-gui"))
            .env("COFFER_PRINT_SANDBOX", "1")
            .env("COFFER_VAULT", root.join("data/vault.coffer"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env_remove("MESA_SHADER_CACHE_DIR")
            .env_remove("MESA_GLSL_CACHE_DIR")
            .env_remove("MESA_SHADER_CACHE_DISABLE")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env(display.0, display.1)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        text
    };
    // On X11 the display needs abstract sockets (libxcb gives up when they are denied); on Wayland they are denied.
    let x11 = run(("DISPLAY", ":99"));
    if !x11.contains("not enforced") && !x11.contains("unsupported") {
        assert!(x11.contains("abstract Unix sockets stay reachable: the X11 display"), "{x11}");
    }
    let text = run(("WAYLAND_DISPLAY", "wayland-test"));
    if std::env::var_os("CI").is_some() {
        assert!(text.contains("abstract Unix sockets denied"), "{text}");
    }
    assert!(text.lines().any(|l| l == "threads at restriction: 1"), "{text}");
    for dir in [root.join("data"), root.join("config/coffer"), root.join("cache/coffer/mesa")] {
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{} is {mode:o}", dir.display());
        if !text.contains("not enforced") && !text.contains("unsupported") {
            assert!(text.lines().any(|l| l == format!("writable: {}", dir.display())), "{text}");
        }
    }
    if std::env::var_os("CI").is_some() {
        assert!(text.contains("TCP denied"), "{text}");
    }
    std::fs::remove_dir_all(&root).ok();
}

/// A window opened by quick unlock (no password typed) cannot change the password or remove a seed: the core
/// checks the current password first, and a wrong one changes nothing, quick unlock included.
#[test]
#[allow(clippy::unwrap_used)]
fn quick_unlock_is_not_enough_to_change_the_password_or_remove_a_seed() {
    let path = temp_vault("quick");
    let keyring = coffer_keyring::Keyring::with_store(keyring_core::mock::Store::new().unwrap());
    let options = || {
        let mut o = AppOptions::for_tests(path.clone());
        o.keyring = Some(keyring.clone());
        o
    };
    let mut h = app_with(options());
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Turn quick unlock on").click();
    wait_for(&mut h, "Quick unlock is on for this vault.");
    drop(h);

    // The next start opens the vault from the keyring: no password was typed in this window.
    let mut h = app_with(options());
    wait_for(&mut h, "Opened with quick unlock");
    h.get_by_label("Settings").click();
    h.run();
    let before = std::fs::read(&path).unwrap();
    let attacker = "kettle orchard velvet summit lantern prism";
    assert!(h.get_by_label("Change password").accesskit_node().is_disabled());
    type_into(&mut h, "New password:", attacker);
    type_into(&mut h, "New password again:", attacker);
    assert!(h.get_by_label("Change password").accesskit_node().is_disabled(), "the current password is needed");
    type_into(&mut h, "Current password:", "a guess");
    h.get_by_label("Change password").click();
    wait_for(&mut h, "The current password is wrong: the password was not changed.");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the vault file is unchanged");
    h.get_by_label("Quick unlock is on for this vault.");

    h.get_by_label("Seeds").click();
    h.run();
    type_into(&mut h, "To remove Seed 1, type its name:", "Seed 1");
    type_into(&mut h, "Vault password to remove Seed 1:", "a guess");
    h.get_by_label("Remove Seed 1").click();
    wait_for(&mut h, "Wrong password: Seed 1 was not removed.");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the vault file is unchanged");
    h.get_by_label("Rename Seed 1");

    // The right current password changes it (and turns quick unlock off).
    h.get_by_label("Settings").click();
    h.run();
    type_into(&mut h, "Current password:", PASSWORD);
    type_into(&mut h, "New password:", attacker);
    type_into(&mut h, "New password again:", attacker);
    h.get_by_label("Change password").click();
    wait_for(&mut h, "The password was changed");
    h.get_by_label_contains("Quick unlock was turned off");
    drop(h);
    assert!(
        coffer_core::vault::Vault::open(&path, &coffer_core::secret::SecretString::from(attacker.to_owned())).is_ok()
    );
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The app keeps the state last seen of the vault in its settings file: after `vault.coffer.bak` is restored over
/// the vault (dropping the last change), the next unlock shows a warning banner, which can be dismissed.
#[test]
fn a_rolled_back_vault_shows_a_warning() {
    let path = temp_vault("rollback");
    let settings = path.with_file_name("gui.conf");
    let start = |path: &PathBuf, settings: &PathBuf| {
        let mut options = AppOptions::for_tests(path.clone());
        options.settings_path = Some(settings.clone());
        let mut h = Harness::builder()
            .with_size(egui::vec2(1100.0, 4000.0))
            .build_eframe(move |cc| CofferApp::new(cc, options).expect("app"));
        h.run();
        h
    };
    let mut h = start(&path, &settings);
    create_vault_with_imported_seed(&mut h);
    drop(h);
    assert!(std::fs::read_to_string(&settings).expect("settings saved").contains("seen."));
    std::fs::copy(coffer_core::vault::backup_path(&path), &path).expect("restore the backup");

    let mut h = start(&path, &settings);
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Welcome to Coffer");
    h.get_by_label_contains("this vault looks older than the one last opened here");
    h.get_by_label("Dismiss rollback warning").click();
    h.run();
    assert!(h.query_by_label_contains("looks older").is_none());
    drop(h);

    // Recorded: the next unlock is quiet.
    let mut h = start(&path, &settings);
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Welcome to Coffer");
    assert!(h.query_by_label_contains("looks older").is_none());
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// A rolled-back vault that is also below the key-derivation policy: unlocking strengthens (and so saves) it, which
/// must not hide the rollback — the check compares the file as it was unlocked. The golden v1 vault (weak KDF) is
/// opened once (upgraded, generation 1 recorded), then the original file is put back.
#[test]
fn a_rolled_back_weak_vault_still_shows_the_warning() {
    let path = temp_vault("rollback-weak");
    std::fs::create_dir_all(path.parent().unwrap_or(&path)).expect("dir");
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vaults/valid-v1.coffer");
    std::fs::copy(&golden, &path).expect("copy");
    let settings = path.with_file_name("gui.conf");
    let unlock = |path: &PathBuf, settings: &PathBuf| {
        let mut options = AppOptions::for_tests(path.clone());
        options.settings_path = Some(settings.clone());
        let mut h = Harness::builder()
            .with_size(egui::vec2(1100.0, 4000.0))
            .build_eframe(move |cc| CofferApp::new(cc, options).expect("app"));
        h.run();
        type_into(&mut h, "Password:", "coffer test password");
        h.get_by_label("Unlock").click();
        wait_for(&mut h, "Copy ");
        h
    };
    let h = unlock(&path, &settings);
    assert!(h.query_by_label_contains("looks older").is_none());
    drop(h);
    std::fs::copy(&golden, &path).expect("put the older file back");
    let h = unlock(&path, &settings);
    h.get_by_label_contains("this vault looks older than the one last opened here");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The recovery words of a stored seed, shown again from the Seeds page: a warning, then the vault password (a
/// wrong one shows nothing); leaving the screen (Done, or another page) drops the words.
#[test]
fn recovery_words_again_after_the_password() {
    let path = temp_vault("words-again");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Seeds").click();
    h.run();
    h.get_by_label("Show the recovery words of Seed 1").click();
    h.run();
    h.get_by_label_contains("Anyone who sees these words");
    assert!(h.state().holds_secrets());
    h.get_by_label_contains("No one can see my screen").click();
    h.run();
    type_into(&mut h, "Vault password:", "not the password");
    h.get_by_label("Show the words").click();
    wait_for(&mut h, "Wrong password: the words are not shown.");
    assert!(shown_words(&h).is_empty(), "nothing is shown");
    assert!(!h.state().shows_recovery_words());
    type_into(&mut h, "Vault password:", PASSWORD);
    h.get_by_label("Show the words").click();
    wait_for(&mut h, "12. about");
    assert_eq!(shown_words(&h).join(" "), ABANDON_ABOUT);
    assert!(h.state().shows_recovery_words());
    assert!(copied(&h).is_empty(), "never on the clipboard");
    h.get_by_label("Done: hide the words").click();
    h.run();
    assert!(shown_words(&h).is_empty());
    assert!(!h.state().shows_recovery_words(), "the words were dropped (zeroized)");
    h.get_by_label("Show the recovery words of Seed 1").click();
    h.run();
    h.get_by_label_contains("No one can see my screen").click();
    h.run();
    type_into(&mut h, "Vault password:", PASSWORD);
    h.get_by_label("Show the words").click();
    wait_for(&mut h, "12. about");
    // Another page: the words go too.
    h.get_by_label("Signing log").click();
    h.run();
    assert!(shown_words(&h).is_empty());
    assert!(!h.state().shows_recovery_words());
    h.get_by_label("Seeds").click();
    h.run();
    assert!(shown_words(&h).is_empty());
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// One miscopied word no longer blocks a migration: before its backup check has passed, the wizard shows the
/// destination's words again (after the password), and the corrected answer passes.
#[test]
fn migration_backup_check_can_show_the_words_again() {
    let path = temp_vault("migrate-words");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Migrate").click();
    h.run();
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    h.run();
    h.get_by_label("Mark compromised").click();
    wait_for(&mut h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(&mut h, "The fresh seed's recovery words");
    let fresh = shown_words(&h);
    assert_eq!(fresh.len(), 24);
    h.get_by_label("I have written them down").click();
    h.run();
    // Miscopied: every word asked is answered wrong.
    for i in 1..=24 {
        if h.query_by_label(&format!("Word {i}:")).is_some() {
            type_into(&mut h, &format!("Word {i}:"), "zoo");
        }
    }
    h.get_by_label("Check these words").click();
    wait_for(&mut h, "Those words do not match");
    h.get_by_label("Show the recovery words of New seed").click();
    h.run();
    h.get_by_label("Recovery words of New seed");
    h.get_by_label_contains("No one can see my screen").click();
    h.run();
    type_into(&mut h, "Vault password:", PASSWORD);
    h.get_by_label("Show the words").click();
    wait_for(&mut h, "24. ");
    assert_eq!(shown_words(&h), fresh);
    h.get_by_label("Done: hide the words").click();
    h.run();
    assert!(!h.state().shows_recovery_words());
    h.get_by_label("Check the backup of New seed");
    for (i, w) in fresh.iter().enumerate() {
        if h.query_by_label(&format!("Word {}:", i + 1)).is_some() {
            type_into(&mut h, &format!("Word {}:", i + 1), w);
        }
    }
    h.get_by_label("Check these words").click();
    wait_for(&mut h, "The words match");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The seed is named on the first screen; the name is what the vault stores.
#[test]
fn the_first_screen_names_the_seed() {
    let path = temp_vault("name");
    let mut h = app(path.clone());
    create_vault(&mut h);
    assert_eq!(h.get_by_label("Name of the new seed:").value().as_deref(), Some("Seed 1"));
    h.get_by_label("Name of the new seed:").set_text_value_accesskit("Daily");
    h.run();
    h.get_by_label("Import a seed").click();
    h.run();
    h.get_by_label("12 words").click();
    h.run();
    type_into(&mut h, "Word 1", ABANDON_ABOUT);
    h.get_by_label("Import").click();
    wait_for(&mut h, "backup not checked yet");
    h.get_by_label("Daily");
    h.get_by_label("Seeds").click();
    h.run();
    h.get_by_label("Show the recovery words of Daily");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// A transaction file dropped onto the window (an egui drop event, as eframe delivers it) is read into the sign
/// screen, bounded like a typed path.
#[test]
fn a_transaction_file_dropped_on_the_window_opens() {
    #[derive(Debug)]
    struct Dropped(PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            Err("read by path".into())
        }
    }
    let path = temp_vault("drop");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let sol0 = coffer_core::Chain::Solana.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let tx = solana_tx(&sol0);
    let file = path.parent().unwrap().join("unsigned.txt");
    std::fs::write(&file, &tx).unwrap();
    let big = path.parent().unwrap().join("big.txt");
    std::fs::write(&big, "A".repeat(coffer_core::sign::MAX_INPUT + 1)).unwrap();
    h.get_by_label("Sign").click();
    h.run();
    h.get_by_label("Solana").click();
    h.run();
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(big.clone())));
    h.run();
    h.get_by_label_contains("is larger than");
    assert_eq!(h.get_by_label("Unsigned transaction:").value().as_deref(), Some(""));
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(file.clone())));
    h.run();
    h.get_by_label(&format!("Read {}.", file.display()));
    assert_eq!(h.get_by_label("Unsigned transaction:").value().as_deref(), Some(tx.as_str()));
    h.get_by_label("Decode").click();
    h.run();
    h.get_by_label_contains("Everything was decoded.");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// A vault whose account settings an older version saved (IOTA's address index stepped to 3, a label on account 0's
/// address 2): those addresses stay on the accounts screen beside the accounts, so no funded address disappears.
#[test]
fn addresses_an_older_version_showed_stay_on_screen() {
    use coffer_core::vault::{AccountLabel, AccountSettings, ChainView};
    let path = temp_vault("older");
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
    let mut v = coffer_core::Vault::create(&path, &password, coffer_core::KdfParams::policy_minimum()).unwrap();
    v.add_seed("main", &coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap(), "").unwrap();
    let old = AccountSettings {
        views: vec![ChainView { chain: coffer_core::Chain::Iota, accounts: 1, indices: 3 }],
        labels: vec![AccountLabel {
            chain: coffer_core::Chain::Iota,
            account: 0,
            index: 2,
            label: "Old savings".into(),
        }],
    };
    v.set_account_settings("main", old).unwrap();
    let seed = v.bip39_seed("main").unwrap();
    let at = |i| coffer_core::Chain::Iota.account(&seed, AccountIndex::ZERO, i).unwrap().address;
    let (a1, a2) = (at(AddressIndex::new(1).unwrap()), at(AddressIndex::new(2).unwrap()));
    drop(v);
    let mut h = app(path.clone());
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "backup not checked yet");
    h.get_by_label(&a1);
    h.get_by_label(&a2);
    h.get_by_label("m/44'/4218'/0'/0'/2'");
    assert_eq!(h.get_by_label("Label of IOTA account 0 · address 2").value().as_deref(), Some("Old savings"));
    // A new account comes at the account level; the older addresses stay.
    h.get_by_label("Add IOTA account").click();
    wait_for(&mut h, "Copy IOTA account 1");
    h.get_by_label("m/44'/4218'/1'/0'/0'");
    h.get_by_label("Copy IOTA account 0 · address 1");
    h.get_by_label(&a2);
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

// --- The online side ---

/// coffer-net beside the coffer-gui under test, built (once per test run) from this checkout.
#[allow(clippy::unwrap_used)] // test helper
fn coffer_net() -> PathBuf {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet", "--locked", "-p", "coffer-net"])
            .status()
            .unwrap();
        assert!(status.success(), "cargo build -p coffer-net failed");
    });
    let p = PathBuf::from(env!("CARGO_BIN_EXE_coffer-gui")).with_file_name("coffer-net");
    assert!(p.exists(), "{} is missing after cargo build -p coffer-net", p.display());
    p
}

/// Settings text with the network on for Solana at `url` (localnet), the first-start question answered.
fn solana_settings(url: &str) -> String {
    format!(
        "network_asked = yes\nnetwork.solana = on\nnetwork.solana.network = localnet\nnetwork.solana.endpoint = {url}\n"
    )
}

/// The app process never creates an internet socket: with the network on, `main` starts coffer-net (a child, before
/// the sandbox, still at one thread) and the app's own process makes no AF_INET/AF_INET6 socket; coffer-net is a
/// separate process (traced with `strace -f`). With the network off no network process is started at all.
#[test]
#[cfg(target_os = "linux")]
#[allow(clippy::unwrap_used, clippy::panic)]
fn the_app_process_creates_no_internet_socket_and_starts_coffer_net_only_when_on() {
    let net = coffer_net();
    let root = temp_vault("separation").parent().unwrap().to_path_buf();
    std::fs::create_dir_all(root.join("config/coffer")).unwrap();
    let run = |settings: &str| {
        std::fs::write(root.join("config/coffer/gui.conf"), settings).unwrap();
        let log = root.join("trace");
        let out = std::process::Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=socket,connect,execve", "-o"])
            .arg(&log)
            .arg(env!("CARGO_BIN_EXE_coffer-gui"))
            .env("COFFER_PRINT_SANDBOX", "1")
            .env("COFFER_VAULT", root.join("data/vault.coffer"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env_remove("DISPLAY")
            .env("WAYLAND_DISPLAY", "wayland-test")
            .output()
            .unwrap_or_else(|e| panic!("strace is required for this test (apt-get install strace): {e}"));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
        (text, std::fs::read_to_string(&log).unwrap())
    };
    let (text, trace) = run("network_asked = yes\n");
    assert!(text.lines().any(|l| l == "network process: off"), "{text}");
    assert!(!trace.contains("coffer-net"), "no network process while the network is off:\n{trace}");
    // The endpoint needs no server: coffer-net only connects when asked, and this run asks nothing.
    let (text, trace) = run(&solana_settings("http://127.0.0.1:9"));
    assert!(text.lines().any(|l| l.starts_with("network process: running")), "{text}");
    assert!(text.lines().any(|l| l == "threads at restriction: 1"), "spawning started no thread: {text}");
    let app_pid = trace.lines().next().and_then(|l| l.split_whitespace().next()).unwrap().to_owned();
    let net_pid = trace
        .lines()
        .find(|l| l.contains("execve(") && l.contains(&*net.to_string_lossy()))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("coffer-net was not started:\n{trace}"))
        .to_owned();
    assert_ne!(app_pid, net_pid, "coffer-net runs in a process of its own");
    let inet = |l: &&str| l.contains("socket(AF_INET") || (l.contains("connect(") && l.contains("AF_INET"));
    let app_inet: Vec<&str> = trace.lines().filter(|l| l.starts_with(&format!("{app_pid} "))).filter(inet).collect();
    assert!(app_inet.is_empty(), "the app's process created an internet socket: {app_inet:?}");
    std::fs::remove_dir_all(&root).ok();
}

/// Against LiteSVM: the accounts screen shows the real balance of the seed's Solana account 0 (funded in the
/// runtime), with the endpoint that reported it; a transfer signed with the same key outside the vault (what a
/// thief holding the leaked words does) raises the banner at the first watch round, and the Activity page marks
/// it *not signed by this vault*. Ignored unless scripts/chain-test runs it (it needs node and npm's litesvm).
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn online_balance_activity_and_alert_against_litesvm() {
    use base64::Engine as _;
    let chain = LiteSvm::start();
    let path = temp_vault("online");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let signer =
        coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let from = signer.address();
    chain.rpc("coffer_airdrop", serde_json::json!([from, 1_500_000_000u64]));
    // The thief's transfer, signed by coffer-core directly: no vault, no signing log.
    let blockhash = chain.rpc("getLatestBlockhash", serde_json::json!([]))["value"]["blockhash"].clone();
    let key = |a: &str| -> [u8; 32] { bs58::decode(a).into_vec().unwrap().try_into().unwrap() };
    let message = coffer_core::migrate::transfer_message(
        &key(from),
        &[5; 32],
        250_000_000,
        &coffer_core::migrate::SolanaRecent::Blockhash(key(blockhash.as_str().unwrap())),
    );
    let unsigned = base64::engine::general_purpose::STANDARD
        .encode(coffer_core::sign::solana::encode_transaction(&[[0; 64]], &message));
    let request =
        coffer_core::SignRequest::new(coffer_core::Chain::Solana, coffer_core::Payload::Transaction(unsigned));
    let signed = signer.sign(&coffer_core::sign::decode(&request).unwrap(), coffer_core::Blind::Refuse).unwrap();
    chain.rpc("sendTransaction", serde_json::json!([signed.signed_tx.unwrap(), {"encoding": "base64"}]));
    let left = chain.rpc("getBalance", serde_json::json!([from]))["value"].as_u64().unwrap();
    assert!(left < 1_250_000_000, "the runtime executed the transfer: {left}");

    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let settings = coffer_gui::settings::Settings::load(&settings_path);
    let specs = settings.endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    h.get_by_label("Network on");
    create_vault_with_imported_seed(&mut h);
    // The first watch round runs as soon as the vault is open.
    wait_for(&mut h, "Someone else is signing for this address");
    assert!(h.query_all_by_label_contains(&signed.signature).next().is_some());
    h.get_by_label("Solana").click();
    let _ = h.try_run();
    let balance = format!("Balance: {} SOL", coffer_gui::net::decimal(u128::from(left), 9));
    wait_for(&mut h, &balance);
    assert!(h.query_all_by_label_contains(&format!("reported by {}", chain.url)).next().is_some());
    h.get_by_label("Activity of Solana account 0").click();
    let _ = h.try_run();
    let t0 = Instant::now();
    while h.query_by_label("not signed by this vault").is_none() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    h.get_by_label("not signed by this vault");
    assert!(h.query_all_by_label_contains(&format!("Reported by {}", chain.url)).next().is_some());
    h.get_by_label("Back to accounts").click();
    let _ = h.try_run();
    h.get_by_label("I have seen this").click();
    let _ = h.try_run();
    assert!(h.query_by_label("Someone else is signing for this address").is_none());
    std::fs::remove_dir_all(&dir).ok();
}

/// The first-start question: the network stays off until the user turns it on, the choice is saved per chain, and
/// it takes effect at the next start (the top bar says so; no network process is started in this session).
#[test]
#[allow(clippy::unwrap_used)]
fn the_network_is_asked_once_and_off_until_turned_on() {
    let path = temp_vault("question");
    let dir = path.parent().unwrap().to_path_buf();
    let settings_path = dir.join("gui.conf");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path.clone());
    options.network_question = true;
    let mut h = app_with(options);
    h.get_by_label("Offline");
    h.get_by_label_contains("so that endpoint learns those addresses and your IP address");
    h.get_by_label("Balances and watching for Solana").click();
    h.run();
    h.get_by_label("Turn the network on").click();
    h.run();
    h.get_by_label("Network on at next start");
    h.get_by_label_contains("The network process starts the next time Coffer starts");
    assert!(h.query_by_label("Turn the network on").is_none(), "asked once");
    let saved = coffer_gui::settings::Settings::load(&settings_path);
    assert!(saved.network_asked);
    assert_eq!(saved.endpoint_specs(), vec!["solana:mainnet=https://api.mainnet-beta.solana.com".to_owned()]);
    std::fs::remove_dir_all(&dir).ok();
}

/// With a real coffer-net whose endpoint refuses connections, the accounts screen says under the address why the
/// balance is unavailable (naming the endpoint) and the app stays usable.
#[test]
#[allow(clippy::unwrap_used)]
fn an_endpoint_that_is_down_is_named_under_the_address() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let path = temp_vault("endpoint-down");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Solana").click();
    h.run();
    // While coffer-net retries (three attempts), the progress shows in the top bar.
    wait_for(&mut h, "Balance of Solana account 0 unavailable");
    assert!(h.query_all_by_label_contains(&url).next().is_some(), "the endpoint is named");
    h.get_by_label("Refresh balances");
    std::fs::remove_dir_all(&dir).ok();
}

/// Against LiteSVM: in the migration wizard, the Solana sweep's balance and recent blockhash are filled from the
/// network (the old account's real balance in the runtime), and the guard accepts the sweep built from them.
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn online_sweep_inputs_are_filled_from_litesvm() {
    let chain = LiteSvm::start();
    let path = temp_vault("online-sweep");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO)
        .unwrap()
        .address()
        .to_owned();
    chain.rpc("coffer_airdrop", serde_json::json!([from, 3_000_000_000u64]));
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    // Not while the worker is busy (a click on the top bar then does nothing).
    wait_for(&mut h, "Migrate");
    h.get_by_label("Migrate").click();
    wait_for(&mut h, "I understand: mark Seed 1 compromised");
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    let _ = h.try_run();
    h.get_by_label("Mark compromised").click();
    wait_for(&mut h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(&mut h, "The fresh seed's recovery words");
    let fresh = shown_words(&h);
    h.get_by_label("I have written them down").click();
    let _ = h.try_run();
    for (i, w) in fresh.iter().enumerate() {
        if h.query_by_label(&format!("Word {}:", i + 1)).is_some() {
            type_into(&mut h, &format!("Word {}:", i + 1), w);
        }
    }
    h.get_by_label("Check these words").click();
    wait_for(&mut h, "The words match");
    h.get_by_label("Add to the plan").click();
    wait_for(&mut h, "The plan has 20 rows.");
    h.get_by_label("Row to sweep:").click();
    let _ = h.try_run();
    // Twenty rows (accounts 0-4 of four chains): the popup scrolls.
    h.get_by_label_contains("Solana m/44'/501'/0'/0' (pending)").scroll_to_me();
    let _ = h.try_run();
    h.get_by_label_contains("Solana m/44'/501'/0'/0' (pending)").click();
    let _ = h.try_run();
    h.get_by_label("Build a single native sweep by hand").click();
    let _ = h.try_run();
    h.get_by_label("Fill balance and blockhash from the network").click();
    // The network thread's answers repaint the window while they come: step, do not wait for it to settle.
    h.step();
    wait_for(&mut h, "Balance and blockhash filled from");
    assert!(h.query_all_by_label_contains(&chain.url).next().is_some(), "the endpoint is named");
    let lamports = chain.rpc("getBalance", serde_json::json!([from]))["value"].as_u64().unwrap();
    let expected = lamports.to_string();
    assert_eq!(h.get_by_label("Balance (lamports):").value().as_deref(), Some(expected.as_str()));
    let blockhash = chain.rpc("getLatestBlockhash", serde_json::json!([]))["value"]["blockhash"].clone();
    assert_eq!(h.get_by_label("Recent blockhash:").value().as_deref(), blockhash.as_str());
    h.get_by_label("Check the sweep").click();
    let _ = h.try_run();
    h.get_by_label_contains("The guard accepts this sweep");
    std::fs::remove_dir_all(&dir).ok();
}

/// The Sui vector transaction (tests/vectors/sui.json) with its sender and gas owner replaced by `address`.
#[allow(clippy::unwrap_used)]
fn sui_tx_for(address: &str) -> Vec<u8> {
    use base64::Engine as _;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/sui.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut bytes = base64::engine::general_purpose::STANDARD.decode(v["tx_bytes_b64"].as_str().unwrap()).unwrap();
    let unhex = |s: &str| -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    };
    let old = unhex("75057dd9354e0f65e924cb06848125b6d4b9e8530d494b1fba7cd64a6a08ab1a");
    let new = unhex(address.trim_start_matches("0x"));
    let mut i = 0;
    while i + 32 <= bytes.len() {
        if bytes[i..i + 32] == old[..] {
            bytes[i..i + 32].copy_from_slice(&new);
            i += 32;
        } else {
            i += 1;
        }
    }
    bytes
}

/// A local Sui GraphQL service in the shapes of tests/fixtures/sui/ (the chain identifier, two pages of balances,
/// coin metadata) whose history holds `tx` and serves its data by digest.
#[allow(clippy::unwrap_used)]
fn sui_service(tx: Vec<u8>) -> String {
    use base64::Engine as _;
    use std::io::{Read as _, Write as _};
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("{}/../../tests/fixtures/sui/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.trim().parse().ok())
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let req: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let query = req["query"].as_str().unwrap_or_default().to_owned();
            let vars = req["variables"].clone();
            let digest = coffer_core::migrate::iota_sui_digest(&tx);
            let answer = if query.contains("chainIdentifier") {
                fixture("chain-identifier-mainnet.json")
            } else if query.contains("balances(") {
                fixture(if vars["after"].is_null() { "balances-page-1.json" } else { "balances-page-2.json" })
            } else if query.contains("coinMetadata") {
                fixture("coin-metadata.json")
            } else if query.contains("transactions(") {
                serde_json::json!({"data": {"address": {"transactions": {"pageInfo": {"hasPreviousPage": false,
                    "startCursor": "c"}, "nodes": [{"digest": digest, "effects": {"status": "SUCCESS",
                    "checkpoint": {"sequenceNumber": 100}, "timestamp": "2026-11-30T17:04:05Z"}}]}}}})
                .to_string()
            } else if query.contains("transaction(digest") {
                let found = vars["digest"].as_str() == Some(digest.as_str());
                let t = found.then(|| {
                    serde_json::json!({"digest": digest,
                        "transactionBcs": base64::engine::general_purpose::STANDARD.encode(&tx),
                        "effects": {"status": "SUCCESS", "checkpoint": {"sequenceNumber": 100}}})
                });
                serde_json::json!({"data": {"transaction": t}}).to_string()
            } else {
                fixture("graphql-error.json")
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    url
}

/// Sui in the app, against a local GraphQL service with the fixtures' shapes: the balance of SUI and of another
/// coin type in its units with the symbol from its metadata (and the coin type beside it), the Activity page marking
/// a transaction the address sent that this vault did not sign, and the watch's banner for it.
#[test]
#[allow(clippy::unwrap_used)]
fn sui_balances_activity_and_alert_against_the_fixture_service() {
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let address = coffer_core::Chain::Sui.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let tx = sui_tx_for(&address);
    let digest = coffer_core::migrate::iota_sui_digest(&tx);
    let url = sui_service(tx);
    let path = temp_vault("online-sui");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let text =
        format!("network_asked = yes\nnetwork.sui = on\nnetwork.sui.network = mainnet\nnetwork.sui.endpoint = {url}\n");
    std::fs::write(&settings_path, text).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path.clone());
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    wait_for(&mut h, "Someone else is signing for this address");
    assert!(h.query_all_by_label_contains(&digest).next().is_some());
    h.get_by_label("Sui").click();
    let _ = h.try_run();
    wait_for(&mut h, "Balance: 7.250000001 SUI");
    assert!(
        h.query_all_by_label_contains("Also holds 1.5 \"USDC\" (coin type 0xa1a1").next().is_some(),
        "the USDC balance in its units, with its symbol and type"
    );
    h.get_by_label("Activity of Sui account 0").click();
    let _ = h.try_run();
    let t0 = Instant::now();
    while h.query_by_label("not signed by this vault").is_none() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    h.get_by_label("not signed by this vault");
    std::fs::remove_dir_all(&dir).ok();
}

/// A local IOTA JSON-RPC node in the shapes of tests/fixtures/iota/ (the chain identifier, all-balances.json, coin
/// metadata) whose history holds `tx`, served by `iota_getTransactionBlock` as `SenderSignedData` (intent, the data,
/// one signature); batch arrays are answered element by element.
#[allow(clippy::unwrap_used)]
fn iota_history_node(tx: Vec<u8>) -> String {
    use base64::Engine as _;
    use std::io::{Read as _, Write as _};
    let fixture = |name: &str| -> serde_json::Value {
        let path = format!("{}/../../tests/fixtures/iota/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let Ok(req) = serde_json::from_slice::<serde_json::Value>(&body) else { continue };
            let digest = coffer_core::migrate::iota_sui_digest(&tx);
            let one = |r: &serde_json::Value| -> serde_json::Value {
                let params = &r["params"];
                let result = match r["method"].as_str().unwrap_or_default() {
                    "iota_getChainIdentifier" => fixture("chain-identifier-mainnet.json")["result"].clone(),
                    "iotax_getAllBalances" => fixture("all-balances.json")["result"].clone(),
                    "iotax_getCoinMetadata" => fixture("coin-metadata.json")["result"].clone(),
                    "iotax_queryTransactionBlocks" => {
                        let sent = params[0]["filter"].get("FromAddress").is_some();
                        let data = if sent {
                            serde_json::json!([{"digest": digest, "checkpoint": "100", "timestampMs": "1796058245000",
                                "effects": {"status": {"status": "success"}}}])
                        } else {
                            serde_json::json!([])
                        };
                        serde_json::json!({"data": data, "nextCursor": null, "hasNextPage": false})
                    }
                    "iota_getTransactionBlock" if params[0] == digest.as_str() => {
                        let mut raw = vec![1, 0, 0, 0];
                        raw.extend_from_slice(&tx);
                        raw.extend_from_slice(&[1, 97]);
                        raw.extend_from_slice(&[0u8; 97]);
                        serde_json::json!({"digest": digest, "checkpoint": "100",
                            "effects": {"messageVersion": "v1", "status": {"status": "success"}},
                            "rawTransaction": base64::engine::general_purpose::STANDARD.encode(raw)})
                    }
                    _ => {
                        return serde_json::json!({"jsonrpc": "2.0", "id": r["id"],
                            "error": {"code": -32602, "message": "Invalid params"}});
                    }
                };
                serde_json::json!({"jsonrpc": "2.0", "id": r["id"], "result": result})
            };
            let answer = match &req {
                serde_json::Value::Array(elements) => serde_json::Value::Array(elements.iter().map(one).collect()),
                single => one(single),
            }
            .to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    url
}

/// IOTA in the app (against a local node in the IOTA JSON-RPC API's documented shapes): the balance in IOTA with the
/// other coin type in its units, and a transaction of the address that this vault did not sign raises the banner
/// and is marked on the Activity page — coffer-net fetched its bytes and the digest was recomputed from them.
#[test]
#[allow(clippy::unwrap_used)]
fn iota_balances_activity_and_alert_against_the_fixture_node() {
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let address = coffer_core::Chain::Iota.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let tx = sui_tx_for(&address);
    let digest = coffer_core::migrate::iota_sui_digest(&tx);
    let url = iota_history_node(tx);
    let path = temp_vault("online-iota");
    let vault_path = path.clone();
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let text = format!(
        "network_asked = yes\nnetwork.iota = on\nnetwork.iota.network = mainnet\nnetwork.iota.endpoint = {url}\n"
    );
    std::fs::write(&settings_path, text).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path.clone());
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    wait_for(&mut h, "Someone else is signing for this address");
    assert!(h.query_all_by_label_contains(&digest).next().is_some());
    wait_for(&mut h, "Balance: 12.500000001 IOTA");
    assert!(
        h.query_all_by_label_contains("Also holds 250 \"USDT\" (coin type 0xa1a1").next().is_some(),
        "the USDT balance in its units, with its symbol and type"
    );
    h.get_by_label("Activity of IOTA account 0").click();
    let _ = h.try_run();
    let t0 = Instant::now();
    while h.query_by_label("not signed by this vault").is_none() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    h.get_by_label("not signed by this vault");
    // Seen once is enough: after "I have seen this" the same transaction raises no banner at the next start (the
    // Activity page still marks it), and the settings file remembers it.
    h.get_by_label("I have seen this").click();
    let _ = h.try_run();
    assert!(h.query_by_label("Someone else is signing for this address").is_none());
    drop(h);
    assert!(std::fs::read_to_string(&settings_path).unwrap().contains(&format!("acknowledged.iota = {digest}")));
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(vault_path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    let t0 = Instant::now();
    while !h.state().has_watched() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    assert!(h.state().has_watched(), "a watch round ran after the restart");
    assert!(h.query_by_label("Someone else is signing for this address").is_none(), "acknowledged: no banner again");
    std::fs::remove_dir_all(&dir).ok();
}

/// A local Horizon in the shapes of tests/fixtures/stellar/: `accounts` exist (account.json with the id replaced),
/// the first one's history holds the envelope `envelope` (base64) of hash `hash`, every other account is unknown.
#[allow(clippy::unwrap_used)]
fn horizon(accounts: Vec<String>, envelope: String, hash: String) -> String {
    use std::io::{Read as _, Write as _};
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("{}/../../tests/fixtures/stellar/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    const FIXTURE_ACCOUNT: &str = "GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let target = head.split_whitespace().nth(1).unwrap_or_default().to_owned();
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            let record = serde_json::json!({"id": hash, "paging_token": "236159180685381632", "successful": true,
                "hash": hash, "ledger": 54_987_655, "created_at": "2026-11-30T10:11:17Z",
                "source_account": accounts[0], "fee_charged": "100", "operation_count": 1, "memo_type": "none",
                "envelope_xdr": envelope});
            let (status, body) = match parts.as_slice() {
                [""] => (200, fixture("root-public.json")),
                ["accounts", id] if accounts.iter().any(|a| a == id) => {
                    (200, fixture("account.json").replace(FIXTURE_ACCOUNT, id))
                }
                ["accounts", id, "transactions"] if *id == accounts[0] => {
                    (200, serde_json::json!({"_embedded": {"records": [record]}}).to_string())
                }
                ["accounts", id, "transactions"] if accounts.iter().any(|a| a == id) => {
                    (200, serde_json::json!({"_embedded": {"records": []}}).to_string())
                }
                ["transactions", h] if *h == hash => (200, record.to_string()),
                _ => (404, fixture("not-found.json")),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: application/hal+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// Stellar in the app, against a local Horizon with the fixtures' shapes: an account merge signed with account 0's
/// key outside the vault raises the banner and is marked *not signed by this vault* on the Activity page; "Find used
/// accounts" finds accounts 0 and 2 (an unused account 1 between them; the gap of 5 asks up to account 7) and shows
/// them.
#[test]
#[allow(clippy::unwrap_used)]
fn stellar_activity_alert_and_found_accounts_against_horizon_fixtures() {
    use base64::Engine as _;
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let signer =
        coffer_core::Signer::at(&seed, coffer_core::Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let account = |n: u32| {
        let at = AccountIndex::new(n).unwrap();
        coffer_core::Chain::Stellar.account(&seed, at, AddressIndex::ZERO).unwrap().address
    };
    let unsigned = coffer_core::migrate::account_merge_envelope(&signer.public_key().0, &[5; 32], 100, 42);
    let b64 = base64::engine::general_purpose::STANDARD;
    let request = coffer_core::SignRequest::new(
        coffer_core::Chain::Stellar,
        coffer_core::Payload::Transaction(b64.encode(&unsigned)),
    )
    .with_network(coffer_core::sign::Network::Public);
    let signed = signer.sign(&coffer_core::sign::decode(&request).unwrap(), coffer_core::Blind::Refuse).unwrap();
    let envelope = signed.signed_tx.unwrap();
    let env = coffer_core::sign::stellar::decode_envelope(&b64.decode(&envelope).unwrap()).unwrap();
    let hash: String = env.hash(&coffer_core::sign::Network::Public).iter().map(|b| format!("{b:02x}")).collect();
    let url = horizon(vec![account(0), account(2)], envelope, hash.clone());

    let path = temp_vault("online-stellar");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let text = format!(
        "network_asked = yes\nnetwork.stellar = on\nnetwork.stellar.network = mainnet\nnetwork.stellar.endpoint = {url}\n"
    );
    std::fs::write(&settings_path, text).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    wait_for(&mut h, "Someone else is signing for this address");
    assert!(h.query_all_by_label_contains(&hash).next().is_some());
    h.get_by_label("Stellar").click();
    let _ = h.try_run();
    wait_for(&mut h, "Balance: ");
    h.get_by_label("Activity of Stellar account 0").click();
    let _ = h.try_run();
    let t0 = Instant::now();
    while h.query_by_label("not signed by this vault").is_none() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    h.get_by_label("not signed by this vault");
    h.get_by_label("Back to accounts").click();
    let _ = h.try_run();
    h.get_by_label("Find used accounts").click();
    // The scan's progress repaints the window at each answer: step, do not wait for it to settle.
    h.step();
    wait_for(&mut h, "Used Stellar accounts: 0, 2 (8 asked");
    h.get_by_label("Show accounts 0 to 2").click();
    // The vault saves the account settings on the worker (a spinner meanwhile): step until it is done.
    h.step();
    wait_for(&mut h, "Label of Stellar account 2");
    std::fs::remove_dir_all(&dir).ok();
}

/// From the unlocked app with [`ABANDON_ABOUT`] imported as "Seed 1": marks it compromised, starts a migration to a
/// fresh seed, answers the backup check and plans the default rows (accounts 0-4 of IOTA, Sui, Solana, Stellar).
fn migrate_and_plan(h: &mut Harness<'_, CofferApp>) {
    // Not while the worker is busy (a click on the top bar then does nothing).
    wait_for(h, "Migrate");
    h.get_by_label("Migrate").click();
    wait_for(h, "I understand: mark Seed 1 compromised");
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    let _ = h.try_run();
    h.get_by_label("Mark compromised").click();
    wait_for(h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(h, "The fresh seed's recovery words");
    let fresh = shown_words(h);
    h.get_by_label("I have written them down").click();
    h.run();
    for (i, w) in fresh.iter().enumerate() {
        if h.query_by_label(&format!("Word {}:", i + 1)).is_some() {
            type_into(h, &format!("Word {}:", i + 1), w);
        }
    }
    h.get_by_label("Check these words").click();
    wait_for(h, "The words match");
    h.get_by_label("Add to the plan").click();
    wait_for(h, "The plan has 20 rows.");
}

/// Picks the sweep row whose label starts with `row` (the popup of twenty rows scrolls) and returns its new
/// address, as the wizard shows it.
#[allow(clippy::unwrap_used, clippy::panic)] // test helper
fn choose_row(h: &mut Harness<'_, CofferApp>, row: &str) -> String {
    // With the network on, the wizard scans past the plan as soon as it has rows: the worker derives addresses (its
    // spinner repaints continuously) and the network thread answers. Wait for the worker, and never insist that the
    // window settles (`run` would panic while something still repaints).
    wait_idle(h);
    h.get_by_label("Row to sweep:").click();
    let _ = h.try_run();
    wait_for(h, row);
    h.get_by_label_contains(row).scroll_to_me();
    let _ = h.try_run();
    h.get_by_label_contains(row).click();
    wait_for(h, "To: ");
    let shown: Vec<String> =
        h.query_all_by(|_| true).filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value())).collect();
    shown
        .iter()
        .find_map(|l| l.strip_prefix("To: ").map(str::to_owned))
        .unwrap_or_else(|| panic!("no new address shown: {shown:?}"))
}

/// Offline, from a holdings file: *Sweep everything* of a Stellar account builds the whole sweep (the new account
/// created, a USDC trustline moved, an unauthorised trustline and the minimum balance left with the core's
/// reasons), shows one preview in XLM and asset units, signs after the user confirms, hands out the signed
/// transaction (copied: the old and the new account's signatures), and the report records what stays.
#[test]
#[allow(clippy::unwrap_used)]
fn sweep_everything_from_a_stellar_holdings_file_offline() {
    use base64::Engine as _;
    let path = temp_vault("sweep-stellar-file");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    migrate_and_plan(&mut h);
    let new = choose_row(&mut h, "Stellar m/44'/148'/0' (pending)");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let old = coffer_core::Chain::Stellar.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let issuer =
        coffer_core::Chain::Stellar.account(&seed, AccountIndex::new(7).unwrap(), AddressIndex::ZERO).unwrap().address;
    let holdings = serde_json::json!({
        "chain": "stellar",
        "accounts": [
            {"address": old, "exists": true, "sequence": "41", "native": "250000000",
             "trustlines": [
                {"type": "credit", "code": "USDC", "issuer": issuer, "balance": "15000000",
                 "limit": "9223372036854775807", "authorized": true, "auth_required": false},
                {"type": "credit", "code": "FROZEN", "issuer": issuer, "balance": "30000000",
                 "limit": "9223372036854775807", "authorized": false, "auth_required": false}],
             "subentry_count": 2},
            {"address": new, "exists": false}
        ]
    });
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("holdings.json");
    std::fs::write(&file, holdings.to_string()).unwrap();
    h.get_by_label_contains("Offline: open a holdings file of this Stellar account");
    h.get_by_label("Stellar testnet").click();
    h.run();
    type_into(&mut h, "Holdings file:", &file.display().to_string());
    h.get_by_label("Open holdings file").click();
    h.run();
    h.get_by_label("Everything that moves, in 1 transaction(s)");
    h.get_by_label_contains("moves: 1.5 USDC");
    let stays: Vec<String> = h
        .query_all_by(|_| true)
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .filter(|l| l.starts_with("stays: "))
        .collect();
    assert!(stays.iter().any(|s| s.starts_with("stays: 3 FROZEN (FROZEN:")), "{stays:?}");
    h.get_by_label_contains("the issuer has not authorised");
    h.get_by_label_contains("The guard accepts every transaction");
    h.get_by_label("Sign 1 transaction(s)").click();
    wait_for(&mut h, "1 transaction(s) signed. Broadcast them in this order");
    // The report in the wizard: what moves is pending (offline: nobody broadcast it yet), what stays is listed.
    h.get_by_label_contains("pending: 1.5 USDC");
    h.get_by_label_contains("left: 3 FROZEN (FROZEN:");
    h.get_by_label("Copy signed transaction 1").click();
    h.step();
    let signed = copied(&h).pop().unwrap();
    h.run();
    let bytes = base64::engine::general_purpose::STANDARD.decode(&signed).unwrap();
    let env = coffer_core::sign::stellar::decode_envelope(&bytes).unwrap();
    assert_eq!(env.signatures.len(), 2, "the old account signs, and the new one for its trustline");
    let testnet = coffer_core::sign::Network::Testnet;
    for who in [&old, &new] {
        let key = coffer_core::chain::stellar::parse_address(who).unwrap();
        assert_eq!(env.signed_by(&key, &testnet), Some(true), "{who} signed");
    }
    h.get_by_label("Export report").click();
    h.run();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("exports/migration-Seed-1.json")).unwrap()).unwrap();
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["chain"] == "stellar" && r["account"] == 0)
        .unwrap()
        .clone();
    assert_eq!(row["state"], "signed", "{row}");
    assert!(row["note"].as_str().unwrap().contains("left by the sweep: 3 FROZEN (FROZEN:"), "{row}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Against LiteSVM (the real runtime): *Sweep everything* of Solana account 0 with the network on fetches the
/// holdings through coffer-net (SOL, an SPL Token and a Token-2022 account, a stake and a nonce account), shows the
/// preview, signs after the user confirms, broadcasts every transaction and follows it to *confirmed*; the runtime
/// then says everything moved, and the report says the row is confirmed.
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn sweep_everything_on_solana_against_litesvm() {
    use serde_json::json;
    let chain = LiteSvm::start();
    let path = temp_vault("sweep-solana-litesvm");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let old = coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO)
        .unwrap()
        .address()
        .to_owned();
    chain.rpc("coffer_airdrop", json!([old, 1_000_000_000u64]));
    let mint_a = bs58::encode([0xa1; 32]).into_string();
    let mint_b = bs58::encode([0xb2; 32]).into_string();
    let text = |v: serde_json::Value| v.as_str().unwrap().to_owned();
    let token_a = text(chain.rpc("coffer_setTokenAccount", json!([old, mint_a, 1_500_000u64, "token"])));
    let token_b = text(chain.rpc("coffer_setTokenAccount", json!([old, mint_b, 42u64, "token-2022"])));
    let stake = text(chain.rpc("coffer_setStakeAccount", json!([old, old, 5_000_000u64])));
    let nonce = text(chain.rpc("coffer_setNonceAccount", json!([old, 1_447_680u64])));
    let account = |a: &str| chain.rpc("getAccountInfo", json!([a, {"encoding": "base64"}]))["value"].clone();
    let data = |v: &serde_json::Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.decode(v["data"][0].as_str().unwrap()).unwrap()
    };
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    migrate_and_plan(&mut h);
    let new = choose_row(&mut h, "Solana m/44'/501'/0'/0' (pending)");
    h.get_by_label("Sweep everything").click();
    // A spinner turns while the network thread asks: step, do not wait for the UI to settle.
    h.step();
    wait_for(&mut h, "Everything that moves, in");
    h.get_by_label_contains(&format!("Holdings reported by {}", chain.url));
    let moves: Vec<String> = h
        .query_all_by(|_| true)
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .filter(|l| l.starts_with("moves: "))
        .collect();
    assert!(moves.iter().any(|m| m.contains(&format!("1.500000 of mint {mint_a}"))), "{moves:?}");
    assert!(moves.iter().any(|m| m.contains(&format!("0.000042 of mint {mint_b}"))), "{moves:?}");
    h.get_by_label_contains("Nothing stays at the old address.");
    let sign = h.get_by_label_contains("Sign and broadcast");
    let label = sign.accesskit_node().label().unwrap_or_default().to_owned();
    sign.click();
    h.step();
    let n: usize = label.split_whitespace().nth(3).unwrap().parse().unwrap();
    wait_for(&mut h, &format!("Done: the network confirmed all {n} transaction(s)."));
    assert_eq!(h.query_all_by_label_contains("confirmed at ").count(), n, "every transaction is confirmed");
    // The runtime, not Coffer, says everything moved.
    let lamports = |a: &str| chain.rpc("getBalance", json!([a]))["value"].as_u64().unwrap();
    assert_eq!(lamports(&old), 0, "no lamport left on the old address");
    assert!(account(&token_a).is_null() && account(&token_b).is_null(), "the token accounts are closed");
    let key = |a: &str| -> [u8; 32] { bs58::decode(a).into_vec().unwrap().try_into().unwrap() };
    let new_key = key(&new);
    for (mint, program, amount) in [
        (&mint_a, coffer_core::holdings::solana::TokenProgram::SplToken, 1_500_000u64),
        (&mint_b, coffer_core::holdings::solana::TokenProgram::Token2022, 42),
    ] {
        let ata = coffer_core::migrate::associated_token_address(&new_key, &key(mint), program).unwrap();
        let d = data(&account(&bs58::encode(ata).into_string()));
        assert_eq!(d[32..64], new_key, "owned by the new address");
        assert_eq!(u64::from_le_bytes(d[64..72].try_into().unwrap()), amount);
    }
    let d = data(&account(&stake));
    assert_eq!((&d[12..44], &d[44..76]), (&new_key[..], &new_key[..]), "stake authorities");
    assert_eq!(&data(&account(&nonce))[8..40], &new_key[..], "nonce authority");
    assert!(lamports(&new) > 0);
    // The vault recorded it: the row is confirmed in the plan and in the report.
    wait_for(&mut h, "Solana m/44'/501'/0'/0' · confirmed");
    std::fs::remove_dir_all(&dir).ok();
}

/// The address book: add a recipient (checked as typed), copy it, see it named in a signing summary, remove it
/// after a confirmation; it is kept in the vault.
#[test]
fn the_address_book_names_a_recipient_in_the_signing_summary() {
    let path = temp_vault("address-book");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let sol0 = coffer_core::Chain::Solana.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;

    h.get_by_label("Address book").click();
    h.run();
    h.get_by_label("No recipients yet.");
    h.get_by_label("Chain: Solana").click();
    h.run();
    type_into(&mut h, "Name:", "Savings");
    type_into(&mut h, "Address:", "not an address");
    h.get_by_label_contains("Not a valid solana address");
    assert!(h.get_by_label("Add to the address book").accesskit_node().is_disabled());
    replace_text(&mut h, "Address:", &sol0);
    h.get_by_label("Add to the address book").click();
    wait_for(&mut h, "Added Savings (solana) to the address book.");
    h.get_by_label(&sol0);
    assert_eq!(h.get_by_label("Name:").value().as_deref(), Some(""), "the form is cleared once it is saved");
    h.get_by_label("Copy the address of Savings (solana)").click();
    h.step();
    assert_eq!(copied(&h).pop().as_deref(), Some(sol0.as_str()));
    h.run();

    h.get_by_label("Sign").click();
    h.run();
    h.get_by_label("Solana").click();
    h.run();
    type_into(&mut h, "Unsigned transaction:", &solana_tx(&sol0));
    h.get_by_label("Decode").click();
    h.run();
    h.get_by_label(&format!("In your address book: {sol0} is Savings."));

    h.get_by_label("Address book").click();
    h.run();
    h.get_by_label("Remove Savings (solana)").click();
    h.run();
    h.get_by_label("Yes, remove it").click();
    wait_for(&mut h, "Removed Savings (solana) from the address book.");
    h.get_by_label("No recipients yet.");
    h.get_by_label("Lock").click();
    h.run();
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
    let vault = coffer_core::vault::Vault::open(&path, &password).unwrap();
    assert!(vault.contacts().is_empty());
    let backup = coffer_core::vault::Vault::open_read_only(coffer_core::vault::backup_path(&path), &password);
    assert_eq!(backup.unwrap().contacts().len(), 1, "the previous generation held it");
    drop((h, vault));
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// Settings shows the vault file; "Move vault…" moves it (no sandbox in tests: at once) and the app goes on with it
/// at its new place; "Open another vault…" locks and shows that vault's unlock screen.
#[test]
fn the_vault_file_is_moved_and_another_one_opened_from_settings() {
    let path = temp_vault("move");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label(&path.display().to_string());
    let target = dir.join("moved/here");
    type_into(&mut h, "Move the vault into (directory):", &target.display().to_string());
    h.get_by_label("Move vault…").click();
    h.run();
    h.get_by_label("Yes, move the vault").click();
    let new = target.join("vault.coffer");
    wait_for(&mut h, &format!("The vault was moved to {}.", new.display()));
    assert!(new.exists() && !path.exists() && !coffer_core::vault::backup_path(&path).exists());
    assert_eq!(h.state().settings().vault.as_deref(), Some(new.as_path()));
    h.get_by_label(&new.display().to_string());
    // The seed is still there, and saves go to the new place.
    h.get_by_label("Accounts").click();
    wait_for(&mut h, "backup not checked yet");
    h.get_by_label("Add IOTA account").click();
    wait_for(&mut h, "Copy IOTA account 1");
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());

    // Another vault: made beside, opened by its typed path.
    let other = dir.join("other/vault.coffer");
    drop(coffer_core::vault::Vault::create(&other, &password, coffer_core::KdfParams::policy_minimum()).unwrap());
    h.get_by_label("Settings").click();
    h.run();
    type_into(&mut h, "Open another vault (path of its file):", &dir.join("missing").display().to_string());
    h.get_by_label_contains("This is not a vault Coffer can open");
    let field = "Open another vault (path of its file):";
    replace_text(&mut h, field, &other.display().to_string());
    h.get_by_label("Open another vault…").click();
    h.run();
    h.get_by_label("Unlock Coffer");
    h.get_by_label_contains(&format!("The vault {} is now the one in use.", other.display()));
    assert!(!h.state().holds_secrets());
    assert_eq!(h.state().settings().vault.as_deref(), Some(other.as_path()));
    // The moved vault (now closed) holds the account added after the move.
    let moved = coffer_core::vault::Vault::open(&new, &password).unwrap();
    let iota =
        moved.account_settings("Seed 1").unwrap().views.into_iter().find(|v| v.chain == coffer_core::Chain::Iota);
    assert_eq!(iota.map(|v| v.accounts), Some(2));
    drop(moved);
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Welcome to Coffer");
    drop(h);
    std::fs::remove_dir_all(&dir).ok();
}

/// After unlocking, the app opens on the overview (when asked to, as the real app is): it names what needs
/// attention, and each item's button leads to its screen — the unchecked backup to the backup check, the migration
/// in progress to the migration wizard — and each seed's button to its accounts.
#[test]
fn the_overview_leads_to_what_needs_attention() {
    let path = temp_vault("overview");
    let mut options = AppOptions::for_tests(path.clone());
    options.home_first = true;
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Lock").click();
    h.run();
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Needs your attention");
    h.get_by_label("Seed 1: backup not checked yet.");
    h.get_by_label_contains("Coffer is offline");
    h.get_by_label("Solana: 1 account");
    // The unchecked backup leads to the backup check of that seed.
    h.get_by_label("Check the backup of Seed 1").click();
    h.run();
    h.get_by_label_contains("Type the words from your written backup");
    assert!(h.query_by_label("Needs your attention").is_none());
    // The seed's button opens its accounts.
    h.get_by_label("Overview").click();
    h.run();
    h.get_by_label("Open Seed 1").click();
    wait_for(&mut h, "Copy IOTA account 0");
    // A migration in progress is named, and its button opens the wizard.
    h.get_by_label("Migrate").click();
    h.run();
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    h.run();
    h.get_by_label("Mark compromised").click();
    wait_for(&mut h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(&mut h, "The fresh seed's recovery words");
    h.get_by_label("Overview").click();
    h.run();
    h.get_by_label_contains("A migration from Seed 1 to");
    h.get_by_label("COMPROMISED");
    assert!(h.query_by_label("Seed 1: backup not checked yet.").is_none(), "a compromised seed needs no backup check");
    h.get_by_label("Continue the migration from Seed 1").click();
    h.run();
    h.get_by_label("Migrate a compromised seed");
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// The theme is a setting: light by default (no system theme is reported here), dark when chosen, saved in
/// gui.conf and used again at the next start.
#[test]
fn the_theme_setting_switches_and_is_saved() {
    let dir = temp_vault("theme");
    let conf = dir.parent().unwrap_or(&dir).join("gui.conf");
    let mut options = AppOptions::for_tests(dir.clone());
    options.settings_path = Some(conf.clone());
    let mut h = app_with(options);
    assert_eq!(h.ctx.options(|o| o.theme_preference), egui::ThemePreference::System, "follows the system");
    assert_eq!(h.ctx.options(|o| o.fallback_theme), egui::Theme::Light, "light when the system says nothing");
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Dark").click();
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    assert!(h.ctx.style_of(h.ctx.theme()).visuals.dark_mode);
    assert_eq!(h.state().settings().theme, coffer_gui::theme::ThemeChoice::Dark);
    assert!(std::fs::read_to_string(&conf).unwrap_or_default().contains("theme = dark"));
    drop(h);
    let mut options = AppOptions::for_tests(dir.clone());
    options.settings_path = Some(conf.clone());
    let mut h = app_with(options);
    assert_eq!(h.ctx.options(|o| o.theme_preference), egui::ThemePreference::Dark, "used at the next start");
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Light").click();
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    drop(h);
    std::fs::remove_dir_all(dir.parent().unwrap_or(&dir)).ok();
}

/// [`wait_for`] for a window whose network thread keeps answering (a watch round, the token list): it steps until
/// `text` shows and the worker is idle, then lets the frames settle without requiring that they stop.
fn wait_online(h: &mut Harness<'_, CofferApp>, text: &str) {
    let t0 = Instant::now();
    while h.query_by_label_contains(text).is_none() || h.state().is_busy() {
        assert!(t0.elapsed() < Duration::from_secs(60), "timed out waiting for {text:?}");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
}

/// [`type_into`] for a window whose network thread keeps answering.
fn type_online(h: &mut Harness<'_, CofferApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    let _ = h.try_run();
    h.get_by_label(label).type_text(text);
    let _ = h.try_run();
}

/// Offline Stellar payment from the Send page: the form (network, sequence, balance, memo typed in), core's
/// summary and the fee, signing on the worker after the tick, and the signed envelope handed out (shown, saved to
/// a file). The envelope is exactly the one core's signer gives for the same payment outside the vault (Ed25519
/// is deterministic), so it carries a valid signature of account 0 over that payment.
#[test]
#[allow(clippy::unwrap_used)]
fn an_offline_stellar_payment_is_signed_and_handed_out() {
    use coffer_core::Chain;
    let path = temp_vault("send-stellar");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = app(path);
    create_vault_with_imported_seed(&mut h);
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = Chain::Stellar.account(&seed, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap().address;
    let to = Chain::Stellar.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
    // From the account on the accounts screen.
    h.get_by_label("Stellar").click();
    h.run();
    h.get_by_label("Send from Stellar account 0").click();
    h.run();
    wait_for(&mut h, &format!("From: {from}"));
    type_into(&mut h, "Recipient:", &to);
    type_into(&mut h, "Amount (XLM):", "12.5");
    type_into(&mut h, "Memo (text, optional):", "invoice 7");
    h.get_by_label("Testnet").click();
    h.run();
    type_into(&mut h, "Sequence number:", "4242");
    type_into(&mut h, "Balance (XLM):", "100");
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label_contains(&format!("Send 12.5 XLM to {to}"));
    h.get_by_label("Fee: 0.00001 XLM (100 stroops)");
    h.get_by_label("Everything was decoded.");
    h.get_by_label("I have read the summary above and want to sign it").click();
    h.run();
    h.get_by_label("Sign now").click();
    wait_for(&mut h, "Signed transaction:");
    let envelope = h.get_by_label("Signed transaction:").value().unwrap();

    let holdings = coffer_core::holdings::stellar::StellarHoldings {
        address: from.clone(),
        exists: true,
        sequence: 4242,
        native: 1_000_000_000,
        ..Default::default()
    };
    let payment = coffer_core::send::StellarSend {
        to: to.clone(),
        recipient: coffer_core::send::StellarRecipient::Exists,
        asset: coffer_core::holdings::stellar::StellarAsset::Native,
        amount: coffer_core::send::Amount::Exact(125_000_000),
        memo: coffer_core::send::parse_memo("text", "invoice 7").unwrap(),
        fee: coffer_core::migrate::STELLAR_BASE_FEE,
        base_reserve: coffer_core::migrate::STELLAR_BASE_RESERVE,
        network: coffer_core::sign::Network::Testnet,
    };
    let built = coffer_core::send::build_stellar_send(&holdings, &payment).unwrap();
    let signer =
        coffer_core::Signer::at(&seed, Chain::Stellar, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap();
    let expected = signer.sign(&built.decoded, coffer_core::Blind::Refuse).unwrap();
    assert_eq!(Some(envelope.clone()), expected.signed_tx, "the envelope of that payment, signed by account 0");

    // Saved where the sandbox lets the app write: the exports folder beside the vault, suggested.
    let file = PathBuf::from(h.get_by_label("Save to file:").value().unwrap());
    assert!(file.starts_with(dir.join("exports")), "{}", file.display());
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label_contains("Saved to");
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), envelope);
    // The signing log records it.
    h.get_by_label("Signing log").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("stellar").next().is_some()
            || h.query_all_by_label_contains("Stellar").next().is_some()
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Against LiteSVM: a SOL payment from the Send page: the balance and blockhash are fetched from the network, the
/// fee is shown before signing, the payment is signed on the worker, broadcast through coffer-net and followed to
/// *confirmed*; the runtime's balance of the recipient (a new account) is then exactly the amount sent.
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn online_send_sol_and_a_token_against_litesvm() {
    use coffer_core::Chain;
    let chain = LiteSvm::start();
    let path = temp_vault("online-send");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = Chain::Solana.account(&seed, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap().address;
    let to = Chain::Solana.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
    chain.rpc("coffer_airdrop", serde_json::json!([from, 2_000_000_000u64]));
    // An SPL Token account of 1.5 tokens (6 decimals) of a mint.
    let mint = bs58::encode([0xa1; 32]).into_string();
    chain.rpc("coffer_setTokenAccount", serde_json::json!([from, mint, 1_500_000u64, "token"]));
    // And 7 units of a non-transferable Token-2022 mint, which the token program would refuse to move.
    let soulbound = bs58::encode([0xf2; 32]).into_string();
    chain.rpc("coffer_setToken2022Mint", serde_json::json!([soulbound, 0, {"nonTransferable": true}]));
    chain.rpc("coffer_setTokenAccount", serde_json::json!([from, soulbound, 7u64, "token-2022"]));
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Send").click();
    h.step();
    wait_online(&mut h, &format!("From: {from}"));
    // The account's tokens are asked for once the sending address is known: let the answer arrive.
    wait_online(&mut h, "Asset:");
    let t0 = Instant::now();
    while h.query_by_label("Asking the network for this account's tokens…").is_some() {
        assert!(t0.elapsed() < Duration::from_secs(60), "the tokens never came");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    h.get_by_label("The balance and a recent blockhash are fetched from the network.");
    type_online(&mut h, "Recipient:", &to);
    type_online(&mut h, "Amount (SOL):", "0.25");
    h.get_by_label("Fetch and review").click();
    // The network thread answers while the frames run: step, do not wait for the window to settle.
    h.step();
    wait_online(&mut h, "I have read the summary above and want to sign it");
    h.get_by_label_contains(&format!("reported by {}", chain.url));
    h.get_by_label("Fee: 0.000005 SOL (5000 lamports)");
    h.get_by_label("I have read the summary above and want to sign it").click();
    let _ = h.try_run();
    h.get_by_label("Sign and send").click();
    wait_online(&mut h, "Confirmed at slot");
    let node = h.get_by_label_contains("Transaction id: ");
    let id = node.accesskit_node().label().or(node.accesskit_node().value()).unwrap();
    let received = chain.rpc("getBalance", serde_json::json!([to]))["value"].as_u64().unwrap();
    assert_eq!(received, 250_000_000, "the runtime moved the amount ({id})");
    let left = chain.rpc("getBalance", serde_json::json!([from]))["value"].as_u64().unwrap();
    assert_eq!(left, 2_000_000_000 - 250_000_000 - 5000, "the fee shown is the fee charged");

    // A token the account holds (listed from the network): the recipient's associated token account is created
    // (its rent shown as a deposit) and receives the amount.
    h.get_by_label("New payment").click();
    let _ = h.try_run();
    h.get_by_label("Asset:").click();
    let _ = h.try_run();
    h.get_by_label(&format!("1.5 of {mint}")).click();
    let _ = h.try_run();
    let short = format!("{}…{}", &mint[..4], &mint[mint.len() - 4..]);
    assert_eq!(h.get_by_label(&format!("Amount ({short}):")).value().as_deref(), Some("0.25"));
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "I have read the summary above and want to sign it");
    h.get_by_label_contains(&format!("Send 0.25 {mint} to {to}"));
    h.get_by_label_contains("of rent deposit");
    h.get_by_label("I have read the summary above and want to sign it").click();
    let _ = h.try_run();
    h.get_by_label("Sign and send").click();
    wait_online(&mut h, "Confirmed at slot");
    let key = |a: &str| coffer_core::chain::solana::parse_address(a).unwrap();
    let program = coffer_core::holdings::solana::TokenProgram::SplToken;
    let theirs = coffer_core::migrate::associated_token_address(&key(&to), &key(&mint), program).unwrap();
    let account =
        chain.rpc("getAccountInfo", serde_json::json!([bs58::encode(theirs).into_string(), {"encoding": "base64"}]));
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.decode(account["value"]["data"][0].as_str().unwrap()).unwrap();
    assert_eq!(u64::from_le_bytes(data[64..72].try_into().unwrap()), 250_000, "the runtime's token balance");

    // The non-transferable token: the mint's extensions come with the inputs, and the core refuses the payment
    // before anything is signed (on chain it would fail and cost the fee).
    h.get_by_label("New payment").click();
    let _ = h.try_run();
    h.get_by_label("Asset:").click();
    let _ = h.try_run();
    h.get_by_label(&format!("7 of {soulbound}")).click();
    let _ = h.try_run();
    let short = format!("{}…{}", &soulbound[..4], &soulbound[soulbound.len() - 4..]);
    replace_online(&mut h, &format!("Amount ({short}):"), "7");
    let sent = chain.rpc("getSignaturesForAddress", serde_json::json!([from])).as_array().unwrap().len();
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "cannot be sent");
    h.get_by_label_contains("non-transferable");
    assert!(h.query_by_label("I have read the summary above and want to sign it").is_none(), "nothing to sign");
    let now = chain.rpc("getSignaturesForAddress", serde_json::json!([from])).as_array().unwrap().len();
    assert_eq!(now, sent, "nothing sent");
    std::fs::remove_dir_all(&dir).ok();
}

/// The vault's own compromised seed: once Seed 1 is marked compromised (a migration started), the Send page sends
/// from the fresh seed only, and a recipient that is an address of Seed 1 (account 2, found by the core's
/// `compromised_owner` over the vault) is named in a warning and needs its tick before the payment is reviewed.
#[test]
#[allow(clippy::unwrap_used)]
fn a_payment_to_a_compromised_seeds_address_needs_a_tick() {
    use coffer_core::Chain;
    let path = temp_vault("send-compromised");
    let mut h = app(path.clone());
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Migrate").click();
    h.run();
    h.get_by_label("I understand: mark Seed 1 compromised").click();
    h.run();
    h.get_by_label("Mark compromised").click();
    wait_for(&mut h, "Where should the funds go?");
    h.get_by_label("Start the migration").click();
    wait_for(&mut h, "The fresh seed's recovery words");
    h.get_by_label("Send").click();
    h.run();
    assert_eq!(h.get_by_label("From seed:").value().as_deref(), Some("New seed"), "not from the compromised seed");
    h.get_by_label("Stellar").click();
    h.run();
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    type_into(
        &mut h,
        "Recipient:",
        &Chain::Stellar.account(&seed, AccountIndex::new(2).unwrap(), AddressIndex::ZERO).unwrap().address,
    );
    type_into(&mut h, "Amount (XLM):", "1");
    type_into(&mut h, "Sequence number:", "7");
    type_into(&mut h, "Balance (XLM):", "100");
    h.get_by_label("Warning: this is account 2 of seed Seed 1, which is marked compromised");
    assert!(h.get_by_label("Review").accesskit_node().is_disabled());
    h.get_by_label("Send to this compromised address anyway (whoever took that seed can take what is sent there)")
        .click();
    h.run();
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("Fee: 0.00001 XLM (100 stroops)");
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

/// A local Horizon answering from the fixtures of tests/fixtures/stellar: account 0 of the test words is
/// `account.json`, every other account is unknown (404); a submitted transaction is recorded and answered with its
/// own hash, and `GET /transactions/{hash}` then shows it in a closed ledger (54987655).
#[allow(clippy::unwrap_used)] // test helper
fn send_horizon(known: Vec<String>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read as _, Write as _};
    const FIXTURE_HASH: &str = "3389e9f0f1a65f19736cacf544c2e825313e8447f569233bb8db39aa607c8889";
    let fixture = |name: &str| {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/stellar/").to_owned() + name)
            .unwrap()
    };
    let url_decode = |s: &str| {
        let b = s.as_bytes();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < b.len() {
            match b[i] {
                b'%' if i + 2 < b.len() + 1 => {
                    out.push(u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap());
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let posted = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = posted.clone();
    std::thread::spawn(move || {
        let mut hashes: Vec<String> = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let mut parts = head.split(' ');
            let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default().to_owned());
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; length];
            let _ = s.read_exact(&mut body);
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let (status, text) = match (method, path.as_str()) {
                ("POST", "/transactions") => {
                    use base64::Engine as _;
                    let form = String::from_utf8_lossy(&body).to_string();
                    let tx = url_decode(form.strip_prefix("tx=").unwrap_or_default());
                    let bytes = base64::engine::general_purpose::STANDARD.decode(&tx).unwrap();
                    let envelope = coffer_core::sign::stellar::decode_envelope(&bytes).unwrap();
                    let hash: String =
                        envelope.hash(&coffer_core::sign::Network::Public).iter().map(|b| format!("{b:02x}")).collect();
                    log.lock().unwrap().push(tx);
                    hashes.push(hash.clone());
                    (200, fixture("submit-ok.json").replace(FIXTURE_HASH, &hash))
                }
                ("GET", "/") => (200, fixture("root-public.json")),
                // The fixture's account, as each known account (the first is the fixture's own).
                ("GET", p) if known.iter().any(|k| p == format!("/accounts/{k}")) => (
                    200,
                    fixture("account.json")
                        .replace("GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX", &p["/accounts/".len()..]),
                ),
                ("GET", p) if p.starts_with("/transactions/") && hashes.iter().any(|h| p.ends_with(h.as_str())) => {
                    let hash = p.trim_start_matches("/transactions/");
                    (200, fixture("transaction.json").replace(FIXTURE_HASH, hash))
                }
                _ => (404, fixture("not-found.json")),
            };
            let reason = if status == 200 { "OK" } else { "Not Found" };
            let _ = write!(
                s,
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (url, posted)
}

/// Online Stellar through a local Horizon (fixtures): the sender's account (sequence, lumens, subentries) and the
/// recipient's absence are fetched, so the payment is CREATE_ACCOUNT on the account's next sequence number; it is
/// signed after the tick, submitted (the endpoint's hash checked against the transaction's own) and shown
/// confirmed in the ledger Horizon reports.
#[test]
#[allow(clippy::unwrap_used)]
fn online_stellar_payment_through_a_local_horizon() {
    use coffer_core::Chain;
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = Chain::Stellar.account(&seed, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap().address;
    let to = Chain::Stellar.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
    assert_eq!(from, "GB3JDWCQJCWMJ3IILWIGDTQJJC5567PGVEVXSCVPEQOTDN64VJBDQBYX", "the fixture's account");
    let (url, posted) = send_horizon(vec![from.clone()]);
    let path = temp_vault("online-stellar-send");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let settings = format!(
        "network_asked = yes\nnetwork.stellar = on\nnetwork.stellar.network = mainnet\nnetwork.stellar.endpoint = {url}\n"
    );
    std::fs::write(&settings_path, settings).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Send").click();
    h.step();
    wait_online(&mut h, "From seed:");
    h.get_by_label("Stellar").click();
    h.step();
    wait_online(&mut h, &format!("From: {from}"));
    h.get_by_label("The sequence number, the balance and whether the recipient exists are fetched from the network.");
    type_online(&mut h, "Recipient:", &to);
    type_online(&mut h, "Amount (XLM):", "2");
    type_online(&mut h, "Memo (text, optional):", "hello");
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "I have read the summary above and want to sign it");
    h.get_by_label_contains(&format!("Account reported by {url}"));
    h.get_by_label("Fee: 0.00001 XLM (100 stroops)");
    assert!(h.query_all_by_label_contains("create account").next().is_some(), "the recipient does not exist");
    h.get_by_label("I have read the summary above and want to sign it").click();
    let _ = h.try_run();
    h.get_by_label("Sign and send").click();
    wait_online(&mut h, "Confirmed at slot 54987655");
    use base64::Engine as _;
    let sent = posted.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let bytes = base64::engine::general_purpose::STANDARD.decode(&sent[0]).unwrap();
    let envelope = coffer_core::sign::stellar::decode_envelope(&bytes).unwrap();
    assert_eq!(envelope.seq_num, 120_192_344_791_990_276, "the account's sequence number (fixture) + 1");
    assert_eq!(envelope.memo, coffer_core::sign::stellar::Memo::Text(b"hello".to_vec()));
    std::fs::remove_dir_all(&dir).ok();
}

/// A local IOTA JSON-RPC node: the sender holds one 3 IOTA coin; the reference gas price is 1200 (above the
/// default); an executed transaction is recorded and answered with its own digest, and its status (a batch of
/// `iota_getTransactionBlock`) is success in checkpoint 777.
#[allow(clippy::unwrap_used)] // test helper
fn iota_node() -> (String, std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    use base64::Engine as _;
    use serde_json::{Value, json};
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let executed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let log = executed.clone();
    std::thread::spawn(move || {
        let mut digests: Vec<String> = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let gas = json!({"computationCost": "1000000", "storageCost": "2964000", "storageRebate": "1956240",
                             "nonRefundableStorageFee": "0"});
            let mut answer = |req: &Value| -> Value {
                let (method, params) = (req["method"].as_str().unwrap_or_default(), req["params"].clone());
                let result = match method {
                    "iota_getChainIdentifier" => json!("6364aad5"),
                    "iotax_getCoins" => json!({"data": [{"coinType": "0x2::iota::IOTA",
                        "coinObjectId": format!("0x{}", "01".repeat(32)), "version": "5",
                        "digest": bs58::encode([1u8; 32]).into_string(), "balance": "3000000000",
                        "previousTransaction": bs58::encode([9u8; 32]).into_string()}],
                        "nextCursor": null, "hasNextPage": false}),
                    "iotax_getReferenceGasPrice" => json!("1200"),
                    "iotax_getAllBalances" => json!([{"coinType": "0x2::iota::IOTA", "coinObjectCount": 1,
                        "totalBalance": "3000000000"}]),
                    "iota_dryRunTransactionBlock" => json!({"effects": {"status": {"status": "success"},
                        "gasUsed": gas}, "events": [], "objectChanges": [], "balanceChanges": []}),
                    "iota_executeTransactionBlock" => {
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(params[0].as_str().unwrap_or_default())
                            .unwrap();
                        let digest = coffer_core::migrate::iota_sui_digest(&bytes);
                        log.lock().unwrap().push(params.clone());
                        digests.push(digest.clone());
                        json!({"digest": digest, "effects": {"status": {"status": "success"}, "gasUsed": gas},
                               "confirmedLocalExecution": true})
                    }
                    "iota_getTransactionBlock" => {
                        let d = params[0].as_str().unwrap_or_default().to_owned();
                        if digests.contains(&d) {
                            json!({"digest": d, "effects": {"status": {"status": "success"}, "gasUsed": gas},
                                   "checkpoint": "777"})
                        } else {
                            Value::Null
                        }
                    }
                    _ => Value::Null,
                };
                json!({"jsonrpc": "2.0", "id": req["id"], "result": result})
            };
            let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let reply = match &req {
                Value::Array(batch) => Value::Array(batch.iter().map(&mut answer).collect()),
                one => answer(one),
            }
            .to_string();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, executed)
}

/// Online IOTA through a local JSON-RPC node: the coins and the reference gas price are fetched, the payment is
/// built at that price, signed after the tick, executed (the node's digest checked against the transaction's own)
/// and shown confirmed at its checkpoint; what the node executed is the reviewed transaction with the account's
/// signature.
#[test]
#[allow(clippy::unwrap_used)]
fn online_iota_payment_through_a_local_node() {
    use coffer_core::Chain;
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = Chain::Iota.account(&seed, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap().address;
    let to = Chain::Iota.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
    let (url, executed) = iota_node();
    let path = temp_vault("online-iota-send");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let settings = format!(
        "network_asked = yes\nnetwork.iota = on\nnetwork.iota.network = localnet\nnetwork.iota.endpoint = {url}\n"
    );
    std::fs::write(&settings_path, settings).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Send").click();
    h.step();
    wait_online(&mut h, "From seed:");
    h.get_by_label("IOTA").click();
    h.step();
    wait_online(&mut h, &format!("From: {from}"));
    h.get_by_label("The coins and the reference gas price are fetched from the network.");
    wait_assets(&mut h);
    assert_eq!(h.get_by_label("Asset:").value().as_deref(), Some("3 IOTA"), "the balance the node lists");
    type_online(&mut h, "Recipient:", &to);
    type_online(&mut h, "Amount (IOTA):", "1.25");
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "I have read the summary above and want to sign it");
    h.get_by_label_contains(&format!("Coins and gas price reported by {url}"));
    h.get_by_label_contains("at most (the gas budget)");
    h.get_by_label("I have read the summary above and want to sign it").click();
    let _ = h.try_run();
    h.get_by_label("Sign and send").click();
    wait_online(&mut h, "Confirmed at slot 777");
    let sent = executed.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(sent[0][0].as_str().unwrap()).unwrap();
    let tx = coffer_core::sign::iota_sui::decode_transaction(Chain::Iota, &bytes).unwrap();
    let coffer_core::sign::iota_sui::TransactionData::Programmable(tx) = tx else {
        panic!("a programmable transaction")
    };
    assert_eq!(tx.gas.price, 1200, "the network's reference price, above the default");
    let id = coffer_core::migrate::iota_sui_digest(&bytes);
    h.get_by_label(&format!("Transaction id: {id}"));
    let request = coffer_core::SignRequest::new(Chain::Iota, coffer_core::Payload::TransactionBytes(bytes));
    let signer =
        coffer_core::Signer::at(&seed, Chain::Iota, AccountIndex::new(0).unwrap(), AddressIndex::ZERO).unwrap();
    let expected = signer.sign(&coffer_core::sign::decode(&request).unwrap(), coffer_core::Blind::Refuse).unwrap();
    assert_eq!(sent[0][1][0].as_str(), Some(expected.signature.as_str()), "account 0's signature");
    std::fs::remove_dir_all(&dir).ok();
}

/// The top bar holds only the navigation and Lock, and nothing in it lies under anything else, even in a narrow
/// window (the navigation wraps). What comes and goes while the user works (the worker's spinner, the network's
/// progress, the network indicator) is in the status bar at the bottom: a click on the navigation never lands on a
/// label that has just appeared over it (CI once lost a click on *Migrate* under the network's progress text).
#[test]
fn the_navigation_stays_clickable_in_a_narrow_window() {
    let path = temp_vault("narrow");
    let options = AppOptions::for_tests(path.clone());
    let mut h = Harness::builder()
        .with_size(egui::vec2(640.0, 900.0))
        .build_eframe(move |cc| CofferApp::new(cc, options).unwrap());
    let t0 = Instant::now();
    while h.state().is_busy() && t0.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run();
    create_vault_with_imported_seed(&mut h);
    let names = [
        "Overview",
        "Accounts",
        "Send",
        "Sign",
        "Signing log",
        "Seeds",
        "Address book",
        "Migrate",
        "Settings",
        "About",
    ];
    // The top bar comes first in the tree (a page may repeat its name as a heading).
    let mut rects: Vec<(&str, egui::Rect)> =
        names.iter().map(|n| (*n, h.query_all_by_label(n).next().unwrap().rect())).collect();
    rects.push(("Lock", h.get_by_label("Lock").rect()));
    for (i, (a, ra)) in rects.iter().enumerate() {
        assert!(ra.max.x <= 640.0, "{a} is inside the window: {ra:?}");
        for (b, rb) in &rects[i + 1..] {
            assert!(!ra.intersects(*rb), "{a} {ra:?} and {b} {rb:?} overlap");
        }
    }
    let indicator = h.get_by_label("Offline").rect();
    assert!(indicator.min.y > 800.0, "the network indicator is in the status bar: {indicator:?}");
    h.get_by_label("Migrate").click();
    wait_for(&mut h, "I understand: mark Seed 1 compromised");
    h.get_by_label("About").click();
    h.run();
    assert!(h.query_by_label("I understand: mark Seed 1 compromised").is_none());
    drop(h);
    std::fs::remove_dir_all(path.parent().unwrap_or(&path)).ok();
}

/// Against LiteSVM: once *Sweep everything* has broadcast and the network confirmed it, the confirmed transaction
/// shows its explorer link (the Solana Explorer's custom cluster at the local validator) as text, *Copy explorer
/// link* copies exactly that link, and the vault recorded where the transaction went (the link is known after the
/// app is gone).
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn sweep_everything_on_solana_links_the_confirmed_transaction_to_its_explorer() {
    use serde_json::json;
    let chain = LiteSvm::start();
    let path = temp_vault("sweep-solana-explorer");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let old = coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO)
        .unwrap()
        .address()
        .to_owned();
    chain.rpc("coffer_airdrop", json!([old, 1_000_000_000u64]));
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path.clone());
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    migrate_and_plan(&mut h);
    choose_row(&mut h, "Solana m/44'/501'/0'/0' (pending)");
    h.get_by_label("Sweep everything").click();
    h.step();
    wait_for(&mut h, "Everything that moves, in");
    h.get_by_label_contains("Sign and broadcast").click();
    h.step();
    wait_for(&mut h, "Done: the network confirmed all 1 transaction(s).");
    let node = h.get_by_label_contains("Transaction id: ");
    let id = node.accesskit_node().label().or(node.accesskit_node().value()).unwrap().to_owned();
    let id = id.trim_start_matches("Transaction id: ").to_owned();
    let encoded: String = chain
        .url
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let link = format!("https://explorer.solana.com/tx/{id}?cluster=custom&customUrl={encoded}");
    // On the transaction's row (and, once the vault recorded it, in the receipts list too).
    assert!(h.query_all_by_label(&link).count() >= 1);
    h.get_by_label("Copy explorer link").click();
    h.step();
    assert_eq!(copied(&h).pop().as_deref(), Some(link.as_str()));
    let _ = h.try_run();
    // The vault holds it: the receipt says where it went and that it was confirmed, and the receipts list shows
    // its link from there (after the sweep is closed too).
    wait_for(&mut h, "Solana m/44'/501'/0'/0' · confirmed");
    h.get_by_label("Close this sweep").click();
    let _ = h.try_run();
    h.get_by_label("confirmed on localnet");
    h.get_by_label(&link);
    h.get_by_label("Copy explorer link of receipt 1").click();
    h.step();
    assert_eq!(copied(&h).pop().as_deref(), Some(link.as_str()));
    let _ = h.try_run();
    h.get_by_label("Lock").click();
    let _ = h.try_run();
    let password = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
    let vault = coffer_core::vault::Vault::open(&path, &password).unwrap();
    let from = vault.migrations().pop().unwrap();
    let receipts = vault.migration(&from).unwrap().receipts;
    let receipt = receipts.iter().find(|r| r.tx_id == id).unwrap();
    let sent = receipt.sent.as_ref().unwrap();
    assert_eq!((sent.confirmed, sent.network.as_str(), sent.endpoint.as_str()), (true, "localnet", chain.url.as_str()));
    assert_eq!(receipt.explorer().as_deref(), Some(link.as_str()));
    drop((h, vault));
    std::fs::remove_dir_all(&dir).ok();
}

/// A local Sui GraphQL service for a payment from `owner`, in the shapes of tests/fixtures/sui/ (the sources are
/// named in its README and each file's `_source`): the chain identifier (mainnet), two pages of balances (SUI and
/// `0xa1…::usdc::USDC`), the coin metadata (6 decimals), the coins of each type (coins.json, its owner made
/// `owner`; the USDC coins the same shape with their own ids and type), the reference gas price (750), and
/// `executeTransaction` answered with the transaction's own digest, whose effects (`multiGetTransactionEffects`)
/// are then a success at checkpoint 215000200. Every request's query and variables are recorded.
#[allow(clippy::unwrap_used)]
fn sui_send_service(owner: String) -> (String, std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    use serde_json::{Value, json};
    use std::io::{Read as _, Write as _};
    const OWNER: &str = "0x7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d";
    const SUI: &str = "0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI";
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("{}/../../tests/fixtures/sui/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        let mut executed: Vec<String> = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.trim().parse().ok())
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            if s.read_exact(&mut body).is_err() {
                continue;
            }
            let req: Value = serde_json::from_slice(&body).unwrap_or_default();
            log.lock().unwrap().push(req.clone());
            let query = req["query"].as_str().unwrap_or_default().to_owned();
            let vars = req["variables"].clone();
            let answer = if query.contains("chainIdentifier") {
                fixture("chain-identifier-mainnet.json")
            } else if query.contains("balances(") {
                fixture(if vars["after"].is_null() { "balances-page-1.json" } else { "balances-page-2.json" })
            } else if query.contains("coinMetadata") {
                fixture("coin-metadata.json")
            } else if query.contains("filter: {type: $type}") {
                let coins = fixture("coins.json").replace(OWNER, &owner);
                if vars["type"].as_str().unwrap_or_default().contains("::usdc::USDC") {
                    // The same shape: two USDC coins (1.0 and 0.5 USDC) with ids of their own.
                    let usdc = format!("0x{}::usdc::USDC", "a1".repeat(32));
                    coins
                        .replace(SUI, &usdc)
                        .replace(&"01".repeat(32), &"03".repeat(32))
                        .replace(&"02".repeat(32), &"04".repeat(32))
                        .replace("\"7000000000\"", "\"1000000\"")
                        .replace("\"250000001\"", "\"500000\"")
                } else {
                    coins
                }
            } else if query.contains("referenceGasPrice") {
                fixture("epoch.json")
            } else if query.contains("executeTransaction") {
                use base64::Engine as _;
                let bytes = base64::engine::general_purpose::STANDARD.decode(vars["tx"].as_str().unwrap()).unwrap();
                let digest = coffer_core::migrate::iota_sui_digest(&bytes);
                executed.push(digest.clone());
                json!({"data": {"executeTransaction": {"effects": {"digest": digest, "status": "SUCCESS"},
                    "errors": null}}})
                .to_string()
            } else if query.contains("multiGetTransactionEffects") {
                let keys = vars["keys"].as_array().cloned().unwrap_or_default();
                let effects: Vec<Value> = keys
                    .iter()
                    .map(|k| {
                        let d = k.as_str().unwrap_or_default();
                        if executed.iter().any(|e| e == d) {
                            json!({"digest": d, "status": "SUCCESS", "checkpoint": {"sequenceNumber": 215000200}})
                        } else {
                            Value::Null
                        }
                    })
                    .collect();
                json!({"data": {"multiGetTransactionEffects": effects}}).to_string()
            } else {
                fixture("graphql-error.json")
            };
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, asked)
}

/// The app with the network on for `chain` (`network`) at `url`, the test words imported, on the Send page.
#[allow(clippy::unwrap_used)]
fn send_page_online(name: &str, chain: &str, network: &str, url: &str) -> (Harness<'static, CofferApp>, PathBuf) {
    let path = temp_vault(name);
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    let text = format!(
        "network_asked = yes\nnetwork.{chain} = on\nnetwork.{chain}.network = {network}\nnetwork.{chain}.endpoint = {url}\n"
    );
    std::fs::write(&settings_path, text).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    h.get_by_label("Send").click();
    h.step();
    wait_online(&mut h, "From seed:");
    (h, dir)
}

/// [`replace_text`] for a window whose network thread keeps answering.
fn replace_online(h: &mut Harness<'_, CofferApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    let _ = h.try_run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    let _ = h.try_run();
    h.get_by_label(label).type_text(text);
    let _ = h.try_run();
}

/// Waits until the network has listed the sender's assets (and shows no error about them).
fn wait_assets(h: &mut Harness<'_, CofferApp>) {
    let t0 = Instant::now();
    while h.query_by_label("Asking the network for this account's tokens…").is_some() || h.state().is_busy() {
        assert!(t0.elapsed() < Duration::from_secs(60), "timed out waiting for the assets");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    let _ = h.try_run();
    assert!(h.query_by_label_contains("Tokens unavailable").is_none(), "the assets are listed");
}

/// Picks `entry` in the Send page's asset list.
fn pick_asset(h: &mut Harness<'_, CofferApp>, entry: &str) {
    h.get_by_label("Asset:").click();
    let _ = h.try_run();
    h.get_by_label(entry).click();
    let _ = h.try_run();
}

/// Online Sui through a local GraphQL service (fixture shapes): the account's coin types are listed with their
/// balances in their units (USDC's 6 decimals from its coin metadata); a SUI payment is built from the fetched coins
/// at the default gas price (above the reference 750), signed, executed (the service's digest checked against the
/// transaction's own) and followed to its checkpoint; then 0.75 USDC, split from a USDC coin while the gas is paid
/// in SUI. What the service executed is decoded and checked, with account 0's signature over it.
#[test]
fn online_sui_payment_and_a_coin_type_through_a_local_graphql_service() {
    let _ = sui_send_page_payments();
}

/// The SUI and the USDC payment of [`online_sui_payment_and_a_coin_type_through_a_local_graphql_service`], as the
/// service executed them, decoded by @mysten/sui (tests/interop/sdk.mjs): its digest is Coffer's, the sender and
/// gas owner are account 0, the commands are the split and the transfer asked, and the signature verifies.
#[test]
#[ignore = "needs node and the SDKs of tests/interop (scripts/interop-test installs them)"]
#[allow(clippy::unwrap_used)]
fn sdk_sui_send_page_payments_decode_and_verify() {
    use base64::Engine as _;
    let (from, to, sent) = sui_send_page_payments();
    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let sdk = |args: &[&str]| -> serde_json::Value {
        let out = std::process::Command::new("node")
            .arg(format!("{root}/tests/interop/sdk.mjs"))
            .args(args)
            .arg("--json")
            .output()
            .expect("node (run scripts/interop-test first)");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(out.status.success() && v["ok"] != false, "sdk {args:?}: {v} {}", String::from_utf8_lossy(&out.stderr));
        v
    };
    let commands = [
        serde_json::json!([
            {"kind": "SplitCoins", "coin": "GasCoin", "amounts": ["1250000000"]},
            {"kind": "TransferObjects", "objects": ["NestedResult(0,0)"], "recipient": to},
        ]),
        serde_json::json!([
            {"kind": "SplitCoins", "coin": "Input(2)", "amounts": ["750000"]},
            {"kind": "TransferObjects", "objects": ["NestedResult(0,0)"], "recipient": to},
        ]),
    ];
    for ((bytes, signature), commands) in sent.iter().zip(commands) {
        let tx = base64::engine::general_purpose::STANDARD.encode(bytes);
        let d = sdk(&["decode", "sui", "--tx-bytes", &tx]);
        assert_eq!(d["digest"], coffer_core::migrate::iota_sui_digest(bytes), "the SDK's digest is Coffer's");
        assert_eq!((d["sender"].as_str(), d["gas"]["owner"].as_str()), (Some(from.as_str()), Some(from.as_str())));
        assert_eq!(d["commands"], commands, "{d}");
        let checked = sdk(&["verify", "sui", "--tx-bytes", &tx, "--signature", signature, "--address", &from]);
        assert_eq!(checked["digest"], d["digest"]);
    }
}

/// Runs the Sui payments of the Send page against [`sui_send_service`], checking each with Coffer's decoder;
/// returns the sender, the recipient, and what the service executed (bytes and signature).
#[allow(clippy::unwrap_used, clippy::panic)]
fn sui_send_page_payments() -> (String, String, Vec<(Vec<u8>, String)>) {
    use coffer_core::Chain;
    use coffer_core::sign::iota_sui::{Argument, Command, TransactionData, decode_transaction};
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let from = Chain::Sui.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
    let to = Chain::Sui.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
    let (url, asked) = sui_send_service(from.clone());
    let (mut h, dir) = send_page_online("online-sui-send", "sui", "mainnet", &url);
    h.get_by_label("Sui").click();
    h.step();
    wait_online(&mut h, &format!("From: {from}"));
    let usdc = format!("0x{}::usdc::USDC", "a1".repeat(32));
    wait_assets(&mut h);
    h.get_by_label("The coins and the reference gas price are fetched from the network.");
    type_online(&mut h, "Recipient:", &to);
    type_online(&mut h, "Amount (SUI):", "1.25");
    let signer = coffer_core::Signer::at(&seed, Chain::Sui, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let mut sent = Vec::new();
    for round in 0..2 {
        if round == 1 {
            h.get_by_label("New payment").click();
            let _ = h.try_run();
            pick_asset(&mut h, &format!("1.5 USDC of {usdc}"));
            replace_online(&mut h, "Amount (USDC):", "0.75");
        }
        h.get_by_label("Fetch and review").click();
        h.step();
        wait_online(&mut h, "I have read the summary above and want to sign it");
        let n = h.get_by_label_contains("Coins and gas price reported by");
        let shown = n.accesskit_node().label().or(n.accesskit_node().value()).unwrap_or_default();
        assert!(shown.contains(url.trim_end_matches("/graphql")), "{shown}");
        h.get_by_label_contains("at most (the gas budget)");
        h.get_by_label("I have read the summary above and want to sign it").click();
        let _ = h.try_run();
        h.get_by_label("Sign and send").click();
        wait_online(&mut h, "Confirmed at slot 215000200");
        let requests = asked.lock().unwrap().clone();
        let execute = requests.iter().rev().find(|r| r["query"].as_str().unwrap().contains("executeTransaction"));
        let vars = execute.unwrap()["variables"].clone();
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD.decode(vars["tx"].as_str().unwrap()).unwrap();
        let id = coffer_core::migrate::iota_sui_digest(&bytes);
        h.get_by_label(&format!("Transaction id: {id}"));
        let request = coffer_core::SignRequest::new(Chain::Sui, coffer_core::Payload::TransactionBytes(bytes.clone()));
        let expected = signer.sign(&coffer_core::sign::decode(&request).unwrap(), coffer_core::Blind::Refuse).unwrap();
        assert_eq!(vars["signatures"][0].as_str(), Some(expected.signature.as_str()), "account 0's signature");
        let TransactionData::Programmable(tx) = decode_transaction(Chain::Sui, &bytes).unwrap() else {
            panic!("a programmable transaction")
        };
        assert_eq!(tx.gas.price, 1000, "the default price, above the network's reference 750");
        assert_eq!(tx.gas.payment.len(), 1, "the gas is paid by the largest SUI coin (7 SUI)");
        assert_eq!(tx.gas.payment[0].id, [1; 32]);
        assert_eq!(tx.pure_address(Argument::Input(0)), Some(<[u8; 32]>::try_from(hex_bytes(&to)).unwrap()));
        let Command::SplitCoins { coin, amounts } = &tx.commands[0] else { panic!("{:?}", tx.commands) };
        let amount = tx.pure_u64(amounts[0]);
        if round == 0 {
            assert_eq!((coin, amount), (&Argument::GasCoin, Some(1_250_000_000)));
        } else {
            assert_eq!((coin, amount), (&Argument::Input(2), Some(750_000)), "0.75 USDC of the 1 USDC coin");
            assert_eq!(tx.commands.len(), 2, "no merge: one coin covers it");
        }
        sent.push((bytes, vars["signatures"][0].as_str().unwrap().to_owned()));
    }
    // What was asked: the coins of SUI, then of SUI and USDC with USDC's metadata, the gas price, each execution.
    let requests = asked.lock().unwrap().clone();
    let types: Vec<&str> = requests.iter().filter_map(|r| r["variables"]["type"].as_str()).collect();
    assert!(
        types.iter().any(|t| t.contains("::sui::SUI>")) && types.iter().any(|t| t.contains("::usdc::USDC>")),
        "{types:?}"
    );
    assert!(requests.iter().any(|r| r["query"].as_str().unwrap().contains("referenceGasPrice")));
    assert!(requests.iter().all(|r| r["variables"]["owner"].as_str().is_none_or(|o| o == from)), "only the sender's");
    assert_eq!(requests.iter().filter(|r| r["query"].as_str().unwrap().contains("executeTransaction")).count(), 2);
    std::fs::remove_dir_all(&dir).ok();
    (from, to, sent)
}

/// `0x…` hex as bytes.
#[allow(clippy::unwrap_used)]
fn hex_bytes(text: &str) -> Vec<u8> {
    let s = text.trim_start_matches("0x");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Online Stellar, a credit asset: the account's trustlines (Horizon's fixture account: 25.5 USDC) are offered with
/// their balances; USDC to an account Horizon does not know is refused by the core (only lumens create an account);
/// to an account with a USDC trustline it is a `PAYMENT` of 10 USDC, submitted and confirmed.
#[test]
#[allow(clippy::unwrap_used)]
fn online_stellar_credit_asset_payment_through_a_local_horizon() {
    use coffer_core::Chain;
    use coffer_core::sign::stellar::{Asset, MuxedAccount, OperationBody};
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let at = |n: u32| Chain::Stellar.account(&seed, AccountIndex::new(n).unwrap(), AddressIndex::ZERO).unwrap().address;
    let (from, to, fresh) = (at(0), at(1), at(2));
    let (url, posted) = send_horizon(vec![from.clone(), to.clone()]);
    let (mut h, dir) = send_page_online("online-stellar-asset", "stellar", "mainnet", &url);
    h.get_by_label("Stellar").click();
    h.step();
    wait_online(&mut h, &format!("From: {from}"));
    let issuer = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN";
    wait_assets(&mut h);
    pick_asset(&mut h, &format!("25.5 of USDC:{issuer}"));
    type_online(&mut h, "Recipient:", &fresh);
    type_online(&mut h, "Amount (USDC):", "10");
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "Cannot send:");
    h.get_by_label_contains("the recipient account does not exist; only lumens can create it");
    // To an account with a USDC trustline: a payment of the asset.
    replace_online(&mut h, "Recipient:", &to);
    h.get_by_label("Fetch and review").click();
    h.step();
    wait_online(&mut h, "I have read the summary above and want to sign it");
    h.get_by_label_contains(&format!("Send 10 USDC:{issuer} to {to}"));
    h.get_by_label("Fee: 0.00001 XLM (100 stroops)");
    h.get_by_label("I have read the summary above and want to sign it").click();
    let _ = h.try_run();
    h.get_by_label("Sign and send").click();
    wait_online(&mut h, "Confirmed at slot 54987655");
    use base64::Engine as _;
    let sent = posted.lock().unwrap().clone();
    assert_eq!(sent.len(), 1, "the refused payment was not sent");
    let bytes = base64::engine::general_purpose::STANDARD.decode(&sent[0]).unwrap();
    let envelope = coffer_core::sign::stellar::decode_envelope(&bytes).unwrap();
    assert_eq!(envelope.seq_num, 120_192_344_791_990_276, "the account's sequence number (fixture) + 1");
    let [op] = envelope.operations.as_slice() else { panic!("one operation") };
    let to_key = coffer_core::chain::stellar::parse_address(&to).unwrap();
    let issuer_key = coffer_core::chain::stellar::parse_address(issuer).unwrap();
    assert_eq!(
        op.body,
        OperationBody::Payment {
            destination: MuxedAccount { key: to_key, id: None },
            asset: Asset::Credit { code: "USDC".into(), issuer: issuer_key },
            amount: 100_000_000,
        }
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Offline Solana, an SPL token from a holdings file (the shape `coffer send --holdings` reads): Fill from file
/// offers the file's token with its balance in its units; the payment picked from it is signed and handed out, and
/// the signed transaction is exactly the one core's builder and signer give for that token payment (its
/// `TransferChecked` from the file's token account, the recipient's associated account created idempotently).
#[test]
#[allow(clippy::unwrap_used)]
fn offline_spl_token_payment_from_a_holdings_file() {
    use coffer_core::Chain;
    use coffer_core::holdings::solana::{SolanaHoldings, TokenAccount, TokenProgram};
    let path = temp_vault("send-spl-offline");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = app(path);
    create_vault_with_imported_seed(&mut h);
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let at = |n: u32| Chain::Solana.account(&seed, AccountIndex::new(n).unwrap(), AddressIndex::ZERO).unwrap().address;
    let (from, to, mint, blockhash) = (at(0), at(1), at(7), at(8));
    let key = |a: &str| coffer_core::chain::solana::parse_address(a).unwrap();
    let ata = coffer_core::migrate::associated_token_address(&key(&from), &key(&mint), TokenProgram::SplToken).unwrap();
    let holdings = SolanaHoldings {
        address: from.clone(),
        lamports: 50_000_000,
        token_accounts: vec![TokenAccount {
            address: coffer_core::sign::solana::base58(&ata),
            mint: mint.clone(),
            program: TokenProgram::SplToken,
            amount: 2_500_000,
            decimals: 6,
            lamports: 2_039_280,
            destination_rent: None,
            frozen: false,
            close_authority: None,
            token_2022: None,
            destination_frozen: false,
        }],
        ..Default::default()
    };
    let mut file = serde_json::to_value(&holdings).unwrap();
    file["chain"] = "solana".into();
    let file_path = dir.join("holdings-solana.json");
    std::fs::write(&file_path, file.to_string()).unwrap();
    h.get_by_label("Send").click();
    h.run();
    wait_for(&mut h, &format!("From: {from}"));
    h.get_by_label("Tokens are offered from a holdings file (below).");
    type_into(&mut h, "Holdings file (optional):", &file_path.display().to_string());
    h.get_by_label("Fill from file").click();
    h.run();
    h.get_by_label_contains("Filled from");
    h.get_by_label("Asset:").click();
    h.run();
    h.get_by_label(&format!("2.5 of {mint}")).click();
    h.run();
    let short = format!("{}…{}", &mint[..4], &mint[mint.len() - 4..]);
    type_into(&mut h, "Recipient:", &to);
    type_into(&mut h, &format!("Amount ({short}):"), "1.2");
    type_into(&mut h, "Recent blockhash:", &blockhash);
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label_contains(&format!("Send 1.2 {mint} to {to}"));
    h.get_by_label_contains("of rent deposit");
    h.get_by_label("I have read the summary above and want to sign it").click();
    h.run();
    h.get_by_label("Sign now").click();
    wait_for(&mut h, "Signed transaction:");
    let signed = h.get_by_label("Signed transaction:").value().unwrap();
    let payment = coffer_core::send::SolanaSend {
        to: to.clone(),
        amount: coffer_core::send::Amount::Exact(1_200_000),
        mint: Some(mint.clone()),
        recipient_token_account_exists: false,
        recipient_token_account_frozen: false,
        recipient_lamports: None,
        compute_unit_price: 0,
        recent: coffer_core::migrate::SolanaRecent::Blockhash(key(&blockhash)),
    };
    let built = coffer_core::send::build_solana_send(&holdings, &payment).unwrap();
    let signer = coffer_core::Signer::at(&seed, Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let expected = signer.sign(&built.decoded, coffer_core::Blind::Refuse).unwrap();
    assert_eq!(Some(signed), expected.signed_tx, "that token payment, signed by account 0");
    std::fs::remove_dir_all(&dir).ok();
}

/// Against LiteSVM: the old seed's Solana account 7 holds SOL, past the plan's accounts 0-4 (a thief holding the
/// words sees it). With the network on for Solana, the wizard's gap scan past the plan finds account 7 through the
/// network thread, says the offline chains were not checked past account 4, offers the found account, and adds its
/// row with the fresh seed's address at the same path; the row is then the plan's own (the vault has it).
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn online_migration_scan_past_the_plan_finds_account_7_against_litesvm() {
    use serde_json::json;
    let chain = LiteSvm::start();
    let path = temp_vault("plan-scan-litesvm");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let seven = AccountIndex::new(7).unwrap();
    let old = coffer_core::Chain::Solana.account(&seed, seven, AddressIndex::ZERO).unwrap().address;
    chain.rpc("coffer_airdrop", json!([old, 250_000_000u64]));
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path.clone());
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    migrate_and_plan(&mut h);
    wait_for(&mut h, "Solana: used and not in the plan: account 7 (accounts 5 to 12 asked");
    h.get_by_label_contains(&format!("reported by {}", chain.url));
    for offline in ["IOTA", "Sui", "Stellar"] {
        h.get_by_label_contains(&format!("{offline}: offline, so accounts past 4 were not checked."));
    }
    assert!(h.query_by_label_contains("Solana m/44'/501'/7'/0'").is_none(), "not planned before the user says so");
    h.get_by_label("Add 1 found account(s) to the plan").click();
    h.step();
    wait_for(&mut h, "The plan: 21 rows");
    wait_for(&mut h, "Solana: every used account found is in the plan");
    assert!(h.query_by_label("Add 1 found account(s) to the plan").is_none());
    h.get_by_label_contains("Solana m/44'/501'/7'/0' · pending");
    let new = choose_row(&mut h, "Solana m/44'/501'/7'/0' (pending)");
    h.get_by_label(&format!("From: {old}"));
    drop(h);
    // The vault's own plan: the row maps account 7 of the old seed to account 7 of the fresh one.
    let v = coffer_core::Vault::open(&path, &coffer_core::secret::SecretString::from(PASSWORD.to_owned())).unwrap();
    let fresh = v.migration("Seed 1").unwrap().to;
    let label = v.seeds().into_iter().find(|s| s.id == fresh).unwrap().label;
    let want = coffer_core::Chain::Solana.account(&v.bip39_seed(&label).unwrap(), seven, AddressIndex::ZERO).unwrap();
    assert_eq!(new, want.address);
    let row = v.migration("Seed 1").unwrap().rows.into_iter().find(|r| r.old_address == old).unwrap();
    assert_eq!((row.account, row.new_address), (7, want.address));
    drop(v);
    std::fs::remove_dir_all(&dir).ok();
}

/// A local TCP proxy to `url` (http://host:port/path) that waits `delay_ms` before forwarding each connection, as a
/// nearby endpoint's round trip would; returns the proxy's URL (same path). For the frame-time benchmark.
#[allow(clippy::unwrap_used)]
fn delayed(url: &str, delay_ms: u64) -> String {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').map_or((rest, String::new()), |(h, p)| (h, format!("/{p}")));
    let upstream = host.to_owned();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}{path}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(client) = stream else { continue };
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(delay_ms));
                let Ok(server) = std::net::TcpStream::connect(&upstream) else { return };
                let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let up = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c_read, &mut s_write);
                    let _ = s_write.shutdown(std::net::Shutdown::Write);
                });
                let (mut s_read, mut c_write) = (server, client);
                let _ = std::io::copy(&mut s_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Both);
                let _ = up.join();
            });
        }
    });
    proxy
}

/// A benchmark, not a test (it asserts what was shown, never how fast): the app's frame time while its network
/// thread fetches the balances of 10 accounts on each chain coffer-net serves (IOTA, Sui, Solana, Stellar: the
/// accounts screen's *Refresh balances*) against the local servers (LiteSVM; IOTA, Sui and Horizon fixture servers),
/// compared with the frame time idle on the same screen, in the same process. Every request waits `LATENCY_MS`
/// (default 20) in a proxy, as a nearby public endpoint would, so that the scan spans many frames. Frames are stepped
/// at about 60 per second (kittest's `step`: the UI thread's whole frame, layout and AccessKit, without a GPU).
/// Prints a Markdown table for docs/performance.md; run by scripts/perf-scan.
#[test]
#[ignore = "a benchmark: scripts/perf-scan"]
#[allow(clippy::unwrap_used, clippy::print_stdout, clippy::cast_precision_loss)]
fn bench_frame_time_while_the_network_thread_scans() {
    const ACCOUNTS: u32 = 10;
    const ROUNDS: usize = 5;
    const IDLE_FRAMES: usize = 120;
    let latency: u64 = std::env::var("LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let chain = LiteSvm::start();
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let at =
        |c: coffer_core::Chain, n: u32| c.account(&seed, AccountIndex::new(n).unwrap(), AddressIndex::ZERO).unwrap();
    let sui = delayed(&sui_service(sui_tx_for(&at(coffer_core::Chain::Sui, 0).address)), latency);
    let iota = delayed(&iota_history_node(sui_tx_for(&at(coffer_core::Chain::Iota, 0).address)), latency);
    let solana = delayed(&chain.url, latency);
    let stellar: Vec<String> = (0..ACCOUNTS).map(|n| at(coffer_core::Chain::Stellar, n).address).collect();
    let horizon = delayed(&horizon(stellar, "AAAA".into(), "00".repeat(32)), latency);
    for n in 0..ACCOUNTS {
        chain.rpc("coffer_airdrop", serde_json::json!([at(coffer_core::Chain::Solana, n).address, 1_000_000u64]));
    }
    let path = temp_vault("bench-frames");
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    {
        let pw = coffer_core::secret::SecretString::from(PASSWORD.to_owned());
        let mut v = coffer_core::Vault::create(&path, &pw, coffer_core::KdfParams::policy_minimum()).unwrap();
        v.add_seed("Seed 1", &coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap(), "").unwrap();
        let views = [
            coffer_core::Chain::Iota,
            coffer_core::Chain::Sui,
            coffer_core::Chain::Solana,
            coffer_core::Chain::Stellar,
        ]
        .into_iter()
        .map(|chain| coffer_core::vault::ChainView { chain, accounts: ACCOUNTS, indices: 1 })
        .collect();
        v.set_account_settings("Seed 1", coffer_core::vault::AccountSettings { views, labels: Vec::new() }).unwrap();
    }
    let settings_path = dir.join("gui.conf");
    let text = format!(
        "{}network.sui = on\nnetwork.sui.network = mainnet\nnetwork.sui.endpoint = {sui}\nnetwork.iota = on\n\
         network.iota.network = mainnet\nnetwork.iota.endpoint = {iota}\nnetwork.stellar = on\n\
         network.stellar.network = mainnet\nnetwork.stellar.endpoint = {horizon}\n",
        solana_settings(&solana)
    );
    std::fs::write(&settings_path, text).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui bench");
    let mut options = AppOptions::for_tests(path);
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    type_into(&mut h, "Password:", PASSWORD);
    h.get_by_label("Unlock").click();
    wait_for(&mut h, "Refresh balances");
    let busy = |h: &Harness<'_, CofferApp>| h.query_all_by_label_contains("Asking the network:").next().is_some();
    // The first fetch and watch round (at unlock) end before anything is measured.
    let t0 = Instant::now();
    while busy(&h) && t0.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    // One frame at about 60 per second; returns its step time.
    let frame = |h: &mut Harness<'_, CofferApp>| {
        let start = Instant::now();
        h.step();
        let took = start.elapsed();
        std::thread::sleep(Duration::from_millis(16).saturating_sub(took));
        took
    };
    let (mut idle, mut scanning, mut scans) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let mut n = 0;
        while n < IDLE_FRAMES {
            // A watch round (every 60 s) is network work too: those frames are neither idle nor the scan's.
            if busy(&h) {
                h.step();
                continue;
            }
            idle.push(frame(&mut h));
            n += 1;
        }
        h.get_by_label("Refresh balances").click();
        let start = Instant::now();
        // The click's frame hands the job over; the progress shows from the next frame on.
        scanning.push(frame(&mut h));
        while !busy(&h) {
            assert!(start.elapsed() < Duration::from_secs(10), "the scan did not start");
            scanning.push(frame(&mut h));
        }
        while busy(&h) {
            assert!(start.elapsed() < Duration::from_secs(120), "the scan did not end");
            scanning.push(frame(&mut h));
        }
        scans.push(start.elapsed());
    }
    // What was shown: every account's balance, as the endpoints reported it.
    h.get_by_label("Stellar").click();
    let _ = h.try_run();
    assert!(h.query_all_by_label_contains("Balance: ").count() >= ACCOUNTS as usize, "the Stellar balances are shown");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pick = |v: &mut Vec<Duration>, q: f64| {
        v.sort();
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    let (i50, i95, imax) = (pick(&mut idle, 0.5), pick(&mut idle, 0.95), pick(&mut idle, 1.0));
    let (s50, s95, smax) = (pick(&mut scanning, 0.5), pick(&mut scanning, 0.95), pick(&mut scanning, 1.0));
    println!("| frames | count | median | 95th percentile | slowest |");
    println!("| --- | --- | --- | --- | --- |");
    println!("| idle | {} | {:.2} ms | {:.2} ms | {:.2} ms |", idle.len(), ms(i50), ms(i95), ms(imax));
    println!(
        "| while the network thread fetches 4 chains × {ACCOUNTS} balances | {} | {:.2} ms | {:.2} ms | {:.2} ms |",
        scanning.len(),
        ms(s50),
        ms(s95),
        ms(smax)
    );
    println!(
        "| **ratio** (while scanning / idle) | | {:.2}× | {:.2}× | {:.2}× |",
        ms(s50) / ms(i50),
        ms(s95) / ms(i95),
        ms(smax) / ms(imax)
    );
    println!("scan wall time (median of {ROUNDS}, {latency} ms per request): {:.1} ms", ms(pick(&mut scans, 0.5)));
    drop(h);
    std::fs::remove_dir_all(&dir).ok();
}

/// *Sweep everything* on Solana whose transaction the runtime refuses (another transfer emptied the old address
/// after the preview): the transaction, the plan row and the receipt say *failed*, with the runtime's reason and
/// that the funds are still at the old address (sweep again); the vault recorded it (`Vault::record_failed`).
#[test]
#[ignore = "needs the LiteSVM server of tests/chain-servers (scripts/chain-test)"]
#[allow(clippy::unwrap_used)]
fn sweep_everything_on_solana_refused_by_litesvm_is_recorded_failed() {
    use serde_json::json;
    let chain = LiteSvm::start();
    let path = temp_vault("sweep-solana-refused");
    let seed = coffer_core::Mnemonic::parse(ABANDON_ABOUT).unwrap().to_seed("");
    let signer = coffer_core::Signer::at(&seed, coffer_core::Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO);
    let signer = signer.unwrap();
    let old = signer.address().to_owned();
    chain.rpc("coffer_airdrop", json!([old, 1_000_000_000u64]));
    let dir = path.parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let settings_path = dir.join("gui.conf");
    std::fs::write(&settings_path, solana_settings(&chain.url)).unwrap();
    let specs = coffer_gui::settings::Settings::load(&settings_path).endpoint_specs();
    let client = coffer_net_proto::client::NetClient::spawn(&coffer_net(), &specs, "coffer-gui test");
    let mut options = AppOptions::for_tests(path.clone());
    options.settings_path = Some(settings_path);
    options.net = Some(coffer_gui::net::NetStart { client: client.map_err(|e| e.to_string()), specs });
    let mut h = app_with(options);
    create_vault_with_imported_seed(&mut h);
    migrate_and_plan(&mut h);
    choose_row(&mut h, "Solana m/44'/501'/0'/0' (pending)");
    h.get_by_label("Sweep everything").click();
    h.step();
    wait_for(&mut h, "Everything that moves, in 1 transaction(s)");

    // Another transfer (the old key, outside the vault) empties the old address before the sweep is sent.
    let elsewhere = coffer_core::Chain::Solana.account(&seed, AccountIndex::new(9).unwrap(), AddressIndex::ZERO);
    let blockhash = chain.rpc("getLatestBlockhash", json!([]))["value"]["blockhash"].as_str().unwrap().to_owned();
    let drain = coffer_core::migrate::SolanaSweep {
        balance: 1_000_000_000,
        compute_unit_price: 0,
        recent: coffer_core::migrate::SolanaRecent::Blockhash(
            coffer_core::migrate::parse_blockhash(&blockhash, "blockhash").unwrap(),
        ),
    };
    let tx = coffer_core::migrate::build_solana_sweep(&old, &elsewhere.unwrap().address, &drain).unwrap();
    let request = coffer_core::SignRequest::new(coffer_core::Chain::Solana, coffer_core::Payload::Transaction(tx));
    let signed = signer.sign(&coffer_core::sign::decode(&request).unwrap(), coffer_core::Blind::Refuse).unwrap();
    chain.rpc("sendTransaction", json!([signed.signed_tx.unwrap(), {"encoding": "base64"}]));
    assert_eq!(chain.rpc("getBalance", json!([old]))["value"], 0);

    h.get_by_label_contains("Sign and broadcast").click();
    h.step();
    // The vault recorded it: the row is failed in the plan, with the next step, and the receipt says why.
    wait_for(&mut h, "Solana m/44'/501'/0'/0' · failed");
    h.get_by_label_contains("The newest sweep of this row did not go through");
    h.get_by_label("failed on localnet");
    // The transaction and its receipt: the runtime's reason and what to do.
    let said = |h: &Harness<'_, CofferApp>, text: &str| h.query_all_by_label_contains(text).count();
    assert_eq!(said(&h, "It did not go through: what it would have moved is still at the old address."), 2);
    assert_eq!(said(&h, "refused by the endpoint: "), 2);
    h.get_by_label_contains("not moved: ");
    std::fs::remove_dir_all(&dir).ok();
}
