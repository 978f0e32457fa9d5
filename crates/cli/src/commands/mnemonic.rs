//! `coffer mnemonic new|check`.

use coffer_core::{Language, Mnemonic, WordCount};
use serde_json::json;

use crate::cli::{Global, MnemonicCheckArgs, MnemonicNewArgs};
use crate::error::CliError;
use crate::input::read_mnemonic_file;
use crate::output::{print_json, print_json_secret, print_line};

pub fn new(g: &Global, args: &MnemonicNewArgs) -> Result<(), CliError> {
    let words = WordCount::try_from(args.words)?;
    let language: Language = args.language.parse()?;
    let mnemonic = Mnemonic::generate_in(language, words)?;
    let phrase = mnemonic.phrase();
    if g.json {
        /// Borrowed from the zeroizing phrase, written through a zeroizing buffer.
        #[derive(serde::Serialize)]
        struct NewJson<'a> {
            language: &'static str,
            mnemonic: &'a str,
            words: usize,
        }
        print_json_secret(&NewJson {
            language: language.name(),
            mnemonic: phrase.expose(),
            words: mnemonic.word_count(),
        })?;
    } else {
        print_line(phrase.expose())?;
    }
    eprintln!(
        "coffer: write these {} words on paper and keep them offline; anyone who sees them owns the funds.",
        mnemonic.word_count()
    );
    Ok(())
}

pub fn check(g: &Global, args: &MnemonicCheckArgs) -> Result<(), CliError> {
    let file = read_mnemonic_file(&args.mnemonic_file)?;
    let mnemonic = file.mnemonic(args.passphrase_is_words)?;
    if g.json {
        print_json(&json!({
            "valid": true,
            "words": mnemonic.word_count(),
            "language": mnemonic.language().name(),
        }))
    } else {
        print_line(&format!(
            "valid: {} words, {} word list, checksum correct",
            mnemonic.word_count(),
            mnemonic.language()
        ))
    }
}
