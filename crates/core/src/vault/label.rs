//! Seed and account labels: what a new label may hold, when two labels look the same, and how a label is shown.
//!
//! A label is shown to the user to pick the seed that signs, so it must not be able to pretend to be another one.
//! New labels may not hold characters that are invisible or that reorder the text around them (see
//! [`is_invisible`]), and may not look the same as another seed's label once those are removed and the text is
//! normalized (see [`label_skeleton`]). Labels stored by an earlier version that break these rules still load;
//! [`escape_label`] shows them with the hidden characters spelled out.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

pub use crate::text::{INVISIBLE, is_invisible};

use super::VaultError;
use super::format::MAX_LABEL_BYTES;
use super::seed::AccountSettings;

/// Checks a new seed or account label: 1 to 64 bytes of UTF-8, no leading or trailing white space, no control
/// characters, and no invisible or text-direction characters ([`is_invisible`]).
///
/// ```
/// use coffer_core::vault::validate_label;
/// assert!(validate_label("Savings 2026").is_ok());
/// assert!(validate_label(" padded").is_err());
/// assert!(validate_label("main\u{200B}").is_err());
/// ```
///
/// # Errors
/// [`VaultError::InvalidLabel`] saying which rule was broken.
pub fn validate_label(label: &str) -> Result<(), VaultError> {
    check_stored_label(label)?;
    if label.chars().any(is_invisible) {
        return Err(VaultError::InvalidLabel {
            reason: "it contains invisible or text-direction characters (such as a zero-width space or a \
                     right-to-left override), which could make it look like another label",
        });
    }
    Ok(())
}

/// The rules a label read from a vault file must meet: those of earlier versions (size, white space, control
/// characters). A stored label with invisible characters still loads; it is shown with [`escape_label`].
pub(crate) fn check_stored_label(label: &str) -> Result<(), VaultError> {
    if label.is_empty() {
        return Err(VaultError::InvalidLabel { reason: "it is empty" });
    }
    if label.len() > MAX_LABEL_BYTES {
        return Err(VaultError::InvalidLabel { reason: "it is longer than 64 bytes" });
    }
    if label.trim() != label {
        return Err(VaultError::InvalidLabel { reason: "it starts or ends with white space" });
    }
    if label.chars().any(char::is_control) {
        return Err(VaultError::InvalidLabel { reason: "it contains control characters" });
    }
    Ok(())
}

/// Checks a new label against the labels it must not look like (for a seed: every other seed's label): the rules of
/// [`validate_label`], then no equal label ([`VaultError::DuplicateLabel`]) and none with the same
/// [`label_skeleton`] ([`VaultError::SimilarLabel`]). The vault applies exactly this; front ends call it to show the
/// problem while the label is typed.
///
/// ```
/// use coffer_core::vault::{VaultError, check_new_label};
/// assert!(check_new_label("savings", ["main"]).is_ok());
/// assert!(matches!(check_new_label("Main", ["main"]), Err(VaultError::SimilarLabel { .. })));
/// assert!(matches!(check_new_label("main\u{200B}", ["x"]), Err(VaultError::InvalidLabel { .. })));
/// ```
///
/// # Errors
/// [`VaultError::InvalidLabel`], [`VaultError::DuplicateLabel`] or [`VaultError::SimilarLabel`].
pub fn check_new_label<'a>(label: &str, others: impl IntoIterator<Item = &'a str>) -> Result<(), VaultError> {
    validate_label(label)?;
    let skeleton = label_skeleton(label);
    for other in others {
        if other == label {
            return Err(VaultError::DuplicateLabel { label: label.into() });
        }
        if label_skeleton(other) == skeleton {
            return Err(VaultError::SimilarLabel { label: label.into(), existing: other.into() });
        }
    }
    Ok(())
}

/// Checks the account labels of `after` that are new or changed from `before`: [`validate_label`], and no other
/// label of the same chain with the same [`label_skeleton`] (the same name on different chains is allowed: "main"
/// on IOTA and on Sui).
pub(crate) fn check_new_account_labels(before: &AccountSettings, after: &AccountSettings) -> Result<(), VaultError> {
    for (i, l) in after.labels.iter().enumerate() {
        let kept = before
            .labels
            .iter()
            .any(|b| (b.chain, b.account, b.index, &b.label) == (l.chain, l.account, l.index, &l.label));
        if kept {
            continue;
        }
        let others = after.labels.iter().enumerate().filter(|&(j, o)| j != i && o.chain == l.chain);
        check_new_label(&l.label, others.map(|(_, o)| o.label.as_str())).map_err(|e| match e {
            // Two accounts may share a name only if they are on different chains; the message names it "similar".
            VaultError::DuplicateLabel { label } => VaultError::SimilarLabel { existing: label.clone(), label },
            other => other,
        })?;
    }
    Ok(())
}

/// What a label looks like, for comparing labels: invisible characters ([`is_invisible`]) removed, NFKC
/// compatibility normalization (so full-width `ｍａｉｎ`, ligatures and no-break spaces count as their plain
/// forms), lower case (labels differing only in case count as the same, so `Main` and `main` cannot both exist),
/// and every run of white space as one space. Two labels with the same skeleton are refused in one vault
/// ([`VaultError::SimilarLabel`]). Letters of different scripts that look alike (Latin `a`, Cyrillic `а`) are not
/// folded: that needs the Unicode confusables table.
///
/// ```
/// use coffer_core::vault::label_skeleton;
/// assert_eq!(label_skeleton("Main\u{200B}"), label_skeleton("main"));
/// assert_eq!(label_skeleton("ｍａｉｎ"), "main");
/// assert_ne!(label_skeleton("main"), label_skeleton("mains"));
/// ```
#[must_use]
pub fn label_skeleton(label: &str) -> String {
    let visible: String = label.chars().filter(|&c| !is_invisible(c)).nfkc().collect();
    let folded: String = visible.chars().flat_map(char::to_lowercase).nfkc().filter(|&c| !is_invisible(c)).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A label as it may be shown on a terminal or screen: unchanged unless it holds control, invisible or
/// text-direction characters, which are written as `\u{XXXX}` (and `\` as `\\`), so a label stored by an earlier
/// version cannot pass itself off as another one. The rule of [`crate::text::escape`].
///
/// ```
/// use coffer_core::vault::escape_label;
/// assert_eq!(escape_label("main"), "main");
/// assert_eq!(escape_label("main\u{200B}"), "main\\u{200B}");
/// assert_eq!(escape_label("\u{202E}niam"), "\\u{202E}niam");
/// ```
#[must_use]
pub fn escape_label(label: &str) -> Cow<'_, str> {
    crate::text::escape(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_invisible_characters_are_refused() {
        for c in [
            '\u{202E}',
            '\u{202A}',
            '\u{2066}',
            '\u{2069}',
            '\u{200E}',
            '\u{061C}', // Bidi_Control
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{034F}', // zero width
            '\u{FE0F}',
            '\u{E0100}',
            '\u{180B}', // variation selectors
            '\u{3164}',
            '\u{115F}',
            '\u{FFA0}', // Hangul fillers
            '\u{E0041}',
            '\u{0600}',
            '\u{FFF9}',
            '\u{2028}',
            '\u{2029}', // tags, Cf, Zl, Zp
        ] {
            assert!(is_invisible(c), "U+{:04X}", u32::from(c));
            let label = format!("main{c}x");
            assert!(
                matches!(validate_label(&label), Err(VaultError::InvalidLabel { .. })),
                "U+{:04X} accepted",
                u32::from(c)
            );
            assert!(check_stored_label(&label).is_ok(), "U+{:04X} must still load", u32::from(c));
        }
        for ok in ["main", "Savings 2026", "é", "日本語", "Ünïcödé", "a-b_c.d", "emoji 🔐", "ｍａｉｎ"] {
            assert!(validate_label(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn old_rules_still_apply() {
        assert!(validate_label("a").is_ok());
        assert!(validate_label(&"é".repeat(32)).is_ok());
        assert!(validate_label(&"é".repeat(33)).is_err());
        assert!(validate_label("").is_err());
        assert!(validate_label("a\n").is_err());
        assert!(validate_label("a\u{7}b").is_err());
        assert!(validate_label("a ").is_err());
    }

    #[test]
    fn skeletons() {
        assert_eq!(label_skeleton("main\u{200B}"), "main");
        assert_eq!(label_skeleton("\u{202E}main"), "main");
        assert_eq!(label_skeleton("MAIN"), "main");
        assert_eq!(label_skeleton("ﬁle"), "file");
        assert_eq!(label_skeleton("cold\u{00A0}\u{3000} storage"), "cold storage");
        assert_eq!(label_skeleton("Ⅻ"), "xii");
        assert_eq!(label_skeleton("e\u{301}"), label_skeleton("é"));
        assert_ne!(label_skeleton("main"), label_skeleton("main2"));
    }

    /// A vault as an earlier version could write it: seed `main`, seed `main` + ZERO WIDTH SPACE, and on `main` the
    /// Sui account label RIGHT-TO-LEFT OVERRIDE + `tner` (shows as "rent"). Password `coffer test password`.
    fn write_legacy_vault(path: &std::path::Path) {
        use crate::chain::Chain;
        use crate::mnemonic::Mnemonic;
        use crate::secret::SecretString;
        use crate::vault::{AccountLabel, KdfParams, Vault};
        let password = SecretString::from("coffer test password".to_owned());
        let mut v = Vault::create(path, &password, KdfParams::insecure_for_tests()).unwrap();
        let about = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        let m = Mnemonic::parse(about).unwrap();
        v.add_seed("main", &m, "").unwrap();
        v.add_seed("spoof", &m, "").unwrap();
        // What the label rules let through before: written past the API.
        v.payload.seeds[1].label = "main\u{200B}".into();
        let label = AccountLabel { chain: Chain::Sui, account: 0, index: 0, label: "\u{202E}tner".into() };
        v.payload.seeds[0].settings.labels.push(label);
        v.save().unwrap();
    }

    #[test]
    fn a_vault_with_old_labels_still_opens() {
        use crate::secret::SecretString;
        use crate::vault::Vault;
        let dir = coffer_test_util::TempDir::new("legacy-labels");
        let path = dir.join("v.coffer");
        write_legacy_vault(&path);
        let password = SecretString::from("coffer test password".to_owned());
        let mut v = Vault::open(&path, &password).unwrap();
        let labels: Vec<String> = v.seeds().into_iter().map(|s| s.label).collect();
        assert_eq!(labels, ["main", "main\u{200B}"]);
        assert_eq!(escape_label(&labels[1]), "main\\u{200B}");
        // Its settings can be saved unchanged, and the odd label renamed away (not to something like "main").
        let settings = v.account_settings("main").unwrap();
        v.set_account_settings("main", settings).unwrap();
        assert!(matches!(v.rename_seed("main\u{200B}", "MAIN"), Err(VaultError::SimilarLabel { .. })));
        v.rename_seed("main\u{200B}", "spare").unwrap();
    }

    /// Writes tests/vaults/legacy-labels.coffer. Run:
    /// `cargo test -p coffer-core --lib -- --ignored regenerate_legacy_label_vault`.
    #[test]
    #[ignore = "writes into the repository"]
    fn regenerate_legacy_label_vault() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vaults/legacy-labels.coffer");
        let _ = std::fs::remove_file(&path);
        write_legacy_vault(&path);
        let _ = std::fs::remove_file(crate::vault::backup_path(&path));
        let _ = std::fs::remove_file(super::super::file::sibling(&path, ".lock"));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_label("plain \\ label"), "plain \\ label");
        assert_eq!(escape_label("a\\b\u{200B}"), "a\\\\b\\u{200B}");
        assert_eq!(escape_label("\u{1b}[31m"), "\\u{001B}[31m");
    }
}
