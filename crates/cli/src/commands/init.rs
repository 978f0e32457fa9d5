//! `coffer init`: create a vault with a first seed.

use coffer_core::vault::{SeedInfo, Vault};
use coffer_core::{Mnemonic, WordCount};

use super::vault::{check_kdf_args, kdf_params, one_stdin, path};
use crate::cli::{Global, InitArgs, NewSeedArgs};
use crate::error::{CliError, code};
use crate::input::{read_mnemonic_file, read_new_password};
use crate::output::{print_json_secret, print_line};

/// Runs before the sandbox (see `main`): everything is read and checked first, so bad input leaves nothing behind
/// (not even the vault's directory); then the directory is made, the sandbox applied, and the vault created.
pub fn run(g: &Global, args: &InitArgs) -> Result<(), CliError> {
    let path = path(g)?;
    one_stdin(&[g.password_file.as_deref(), args.seed.import_mnemonic_file.as_deref()])?;
    if path.exists() {
        return Err(coffer_core::vault::VaultError::AlreadyExists { path }.into());
    }
    coffer_core::vault::validate_label(&args.label)?;
    // Read and check everything before the slow part, so a typo costs nothing.
    let source = SeedSource::read(&args.seed)?;
    let password = read_new_password(g.password_file.as_deref())?;
    check_kdf_args(&args.kdf)?;
    // Only now: the vault's directory, then the sandbox (before calibration starts Argon2's threads).
    crate::sandbox_for_init(&path);
    let params = kdf_params(&args.kdf)?;
    let mut vault = Vault::create(&path, &password, params)?;
    let info = source.store(&mut vault, &args.label)?;
    super::seen::record(&vault);
    report(g, &path.display().to_string(), &info, source.fresh())
}

/// A new seed: fresh words, or an imported mnemonic with its passphrase.
pub enum SeedSource {
    Fresh(Mnemonic),
    Imported(Mnemonic, coffer_core::secret::SecretString),
}

impl SeedSource {
    pub fn read(args: &NewSeedArgs) -> Result<Self, CliError> {
        match &args.import_mnemonic_file {
            Some(file) => {
                let f = read_mnemonic_file(file)?;
                Ok(Self::Imported(f.mnemonic(args.passphrase_is_words)?, f.passphrase))
            }
            None => Ok(Self::Fresh(Mnemonic::generate(WordCount::try_from(args.words)?)?)),
        }
    }

    pub fn store(&self, vault: &mut Vault, label: &str) -> Result<SeedInfo, CliError> {
        Ok(match self {
            Self::Fresh(m) => vault.add_seed(label, m, "")?,
            Self::Imported(m, pass) => vault.add_seed(label, m, pass.expose())?,
        })
    }

    pub fn fresh(&self) -> Option<&Mnemonic> {
        match self {
            Self::Fresh(m) => Some(m),
            Self::Imported(..) => None,
        }
    }
}

/// Prints what was stored; a fresh mnemonic is shown this once.
pub fn report(g: &Global, vault: &str, info: &SeedInfo, fresh: Option<&Mnemonic>) -> Result<(), CliError> {
    if g.json {
        let phrase = fresh.map(Mnemonic::phrase);
        return print_json_secret(&StoredJson {
            created: info.created,
            id: info.id.to_string(),
            label: &info.label,
            language: info.language.name(),
            mnemonic: phrase.as_ref().map(|p| p.expose()),
            vault,
            words: info.word_count,
        });
    }
    match fresh {
        Some(m) => {
            print_line(&format!(
                "Seed \"{}\" stored in {vault}. Its {} words, shown only this once:",
                info.label, info.word_count
            ))?;
            print_words(m)?;
            eprintln!(
                "coffer: write the words on paper, in order, and keep them offline; never photograph or type them \
                 anywhere else. Then prove the copy with: coffer seed verify {:?} --mnemonic-file -",
                info.label
            );
        }
        None => print_line(&format!("Seed \"{}\" imported into {vault}.", info.label))?,
    }
    Ok(())
}

/// The JSON result of `init` and `seed add`. The fresh mnemonic is borrowed from its zeroizing phrase and written
/// straight into a zeroizing buffer ([`print_json_secret`]); keys in alphabetical order, as `print_json` writes them.
#[derive(serde::Serialize)]
struct StoredJson<'a> {
    created: u64,
    id: String,
    label: &'a str,
    language: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mnemonic: Option<&'a str>,
    vault: &'a str,
    words: usize,
}

/// Prints a mnemonic's words once, numbered, four to a line, between blank lines.
pub fn print_words(m: &Mnemonic) -> Result<(), CliError> {
    print_line("")?;
    let words: Vec<&str> = m.words().collect();
    for (row, chunk) in words.chunks(4).enumerate() {
        let line: Vec<String> =
            chunk.iter().enumerate().map(|(i, w)| format!("{:>2}. {w:<12}", row * 4 + i + 1)).collect();
        print_line(line.join("  ").trim_end())?;
    }
    print_line("")
}

/// The refusal used when a confirmation is needed but there is no terminal to ask on.
pub fn needs_yes(what: &str) -> CliError {
    CliError::new(code::REFUSED, "confirmation_required", format!("{what}: confirm on a terminal or pass --yes"))
}
