//! Whole-app tests through AccessKit labels (egui_kittest, no display needed).

use std::time::{Duration, Instant};

use coffer_gui::{AppOptions, CofferApp};
use egui::OutputCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

#[allow(clippy::unwrap_used)] // test helper
fn app() -> Harness<'static, CofferApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 900.0))
        .build_eframe(|cc| CofferApp::new(cc, AppOptions::ephemeral()).unwrap());
    h.run();
    h
}

/// Steps (in real time, the worker thread runs meanwhile) until a label containing `text` shows up.
fn wait_for(h: &mut Harness<'_, CofferApp>, text: &str) {
    let t0 = Instant::now();
    while h.query_by_label_contains(text).is_none() {
        assert!(t0.elapsed() < Duration::from_secs(20), "timed out waiting for {text:?}");
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.run();
}

/// The words of the new-seed grid, read as a screen reader would (" 1. word").
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
fn create_words_backup_check_accounts_copy_lock() {
    let mut h = app();
    h.get_by_label("Create a new seed").click();
    h.run();
    let words = shown_words(&h);
    assert_eq!(words.len(), 24, "{words:?}");
    h.get_by_label_contains("Do not take a screenshot or a photo");
    assert!(h.state().holds_secrets());

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
    wait_for(&mut h, "New seed, backup checked.");
    h.get_by_label_contains("lives only in memory");

    // Copy puts the address, and only it, on the clipboard, with a countdown.
    h.get_by_label("Copy IOTA address 0").click();
    h.step();
    let out = copied(&h);
    assert_eq!(out.len(), 1);
    assert!(out[0].starts_with("0x") && out[0].len() == 66, "{out:?}");
    // It is the address shown on screen.
    assert!(h.query_all_by(|n| n.value().as_deref() == Some(out[0].as_str())).count() >= 1);
    h.run();
    h.get_by_label_contains("Coffer clears the clipboard in 30 s");
    h.get_by_label("Add IOTA address").click();
    h.run();
    h.get_by_label("Copy IOTA address 1");

    // Settings and About stay reachable; Lock wipes and returns to the first screen.
    h.get_by_label("About").click();
    h.run();
    h.get_by_label_contains("Coffer has no network access");
    h.get_by_label("Lock").click();
    h.step();
    // Locking clears the clipboard (nothing else was copied, and it cannot be read back here).
    assert_eq!(copied(&h), vec![String::new()]);
    h.run();
    h.get_by_label("Welcome to Coffer");
    h.get_by_label_contains("every secret was wiped");
    assert!(!h.state().holds_secrets());
    assert!(h.query_by_label_contains("clears the clipboard").is_none());
}

#[test]
fn import_then_auto_lock() {
    let mut h = app();
    h.get_by_label("Import a seed").click();
    h.run();
    h.get_by_label("12 words").click();
    h.run();
    // Pasting the whole phrase into the first field spreads it over the fields.
    let f = h.get_by_label("Word 1");
    f.focus();
    f.type_text("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
    h.run();
    h.get_by_label_contains("Checksum OK");
    h.get_by_label("Import").click();
    wait_for(&mut h, "Imported seed.");
    h.get_by_label("Stellar").click();
    h.run();
    h.get_by_label("Copy Stellar account 0");
    h.get_by_label("Settings").click();
    h.run();
    assert_eq!(h.state().settings().auto_lock_minutes, 5);
    h.state_mut().pretend_idle(Duration::from_secs(5 * 60 + 1));
    h.run();
    h.get_by_label("Welcome to Coffer");
    assert!(!h.state().holds_secrets());
}

#[test]
fn cancel_discards_the_new_seed() {
    let mut h = app();
    h.get_by_label("Create a new seed").click();
    h.run();
    h.get_by_label("Cancel and discard this seed").click();
    h.run();
    h.get_by_label("Welcome to Coffer");
    assert!(!h.state().holds_secrets());
}
