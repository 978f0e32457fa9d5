//! `coffer mnemonic new|check` and `coffer chains`.

use crate::common::coffer;

#[test]
fn new_mnemonic_every_size_is_valid_and_fresh() {
    let mut seen = std::collections::HashSet::new();
    for words in [12, 15, 18, 21, 24] {
        let out = coffer(&["mnemonic", "new", "--words", &words.to_string(), "--json"], b"").ok();
        let v = out.json();
        assert_eq!(v["words"], words);
        assert_eq!(v["language"], "english");
        let phrase = v["mnemonic"].as_str().expect("mnemonic").to_owned();
        assert_eq!(phrase.split(' ').count(), words);
        assert!(seen.insert(phrase.clone()));
        let check =
            coffer(&["mnemonic", "check", "--mnemonic-file", "-", "--json"], format!("{phrase}\n").as_bytes()).ok();
        assert_eq!(check.json()["valid"], true);
        assert!(!check.stdout.contains(&phrase), "check never prints the words");
    }
    let plain = coffer(&["mnemonic", "new"], b"").ok();
    assert_eq!(plain.stdout.trim().split(' ').count(), 24);
    assert!(plain.stderr.contains("write these 24 words"));
}

#[test]
fn new_mnemonic_in_other_languages() {
    let out = coffer(&["mnemonic", "new", "--words", "12", "--language", "japanese", "--json"], b"").ok().json();
    assert_eq!(out["language"], "japanese");
    let check = coffer(
        &["mnemonic", "check", "--mnemonic-file", "-", "--json"],
        format!("{}\n", out["mnemonic"].as_str().expect("m")).as_bytes(),
    )
    .ok()
    .json();
    assert_eq!(check["language"], "japanese");
}

#[test]
fn bad_sizes_and_languages() {
    let run = coffer(&["mnemonic", "new", "--words", "13", "--json"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "bad_word_count");
    let run = coffer(&["mnemonic", "new", "--language", "klingon", "--json"], b"").fails_with(3);
    assert_eq!(run.error_json()["error"]["kind"], "unknown_language");
}

#[test]
fn chains_lists_every_chain() {
    let v = coffer(&["chains", "--json"], b"").ok().json();
    let names: Vec<&str> = v.as_array().expect("array").iter().map(|c| c["chain"].as_str().expect("name")).collect();
    assert_eq!(names, ["iota", "sui", "iota-stardust", "solana", "stellar", "raw"]);
}
