//! Reading secrets from files or standard input: bounded, UTF-8 checked, into zeroizing buffers.

use std::io::{IsTerminal, Read};
use std::path::Path;

use coffer_core::Mnemonic;
use coffer_core::secret::{SecretString, SecretVec};

use crate::error::{CliError, code};

/// The largest secret file accepted. A mnemonic and a passphrase fit many times over.
pub const MAX_SECRET_FILE: usize = 4096;

/// Reads a whole secret file (`-` = standard input) into a zeroizing buffer.
pub fn read_secret_file(path: &Path, what: &str) -> Result<SecretVec, CliError> {
    // Reserve up front so the buffer never reallocates (a reallocation would leave an unwiped copy behind).
    let mut buf = SecretVec::with_capacity(MAX_SECRET_FILE + 64);
    let limit = (MAX_SECRET_FILE + 1) as u64;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(limit).read_to_end(buf.expose_mut())
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(buf.expose_mut()))
    };
    result.map_err(|e| {
        let name = if path.as_os_str() == "-" { "standard input".to_owned() } else { path.display().to_string() };
        CliError::new(code::FAILURE, "io_error", format!("cannot read the {what} from {name}: {e}"))
    })?;
    if buf.len() > MAX_SECRET_FILE {
        return Err(CliError::invalid(
            "input_too_long",
            format!("the {what} file is too long (more than {MAX_SECRET_FILE} bytes)"),
        ));
    }
    Ok(buf)
}

/// A mnemonic file: the phrase on the first line, an optional BIP39 passphrase on the second.
pub struct MnemonicFile {
    pub phrase: SecretString,
    pub passphrase: SecretString,
}

impl MnemonicFile {
    /// Parses the phrase. A passphrase line that is itself a run of words of the mnemonic's word list (see
    /// [`coffer_core::mnemonic::passphrase_looks_like_words`]) is refused unless `passphrase_is_words`: it is
    /// almost always the second half of a mnemonic written on two lines, which would silently make another wallet.
    pub fn mnemonic(&self, passphrase_is_words: bool) -> Result<Mnemonic, CliError> {
        let mnemonic = Mnemonic::parse(self.phrase.expose())?;
        if !passphrase_is_words
            && coffer_core::mnemonic::passphrase_looks_like_words(mnemonic.language(), self.passphrase.expose())
        {
            return Err(CliError::invalid(
                "passphrase_looks_like_words",
                format!(
                    "the second line of the mnemonic file is a run of words from the {} word list. A mnemonic file \
                     holds all the words on its first line and an optional BIP39 passphrase on its second, so a \
                     mnemonic written on two lines would be read as a shorter mnemonic with the rest as a \
                     passphrase: a different wallet. Put every word on the first line; if the second line really \
                     is your passphrase, pass --passphrase-is-words",
                    mnemonic.language()
                ),
            ));
        }
        Ok(mnemonic)
    }
}

/// Reads and splits a mnemonic file. Only line endings are stripped from the passphrase: its spaces count. `-` on
/// a terminal asks for the mnemonic and the passphrase, without echo.
pub fn read_mnemonic_file(path: &Path) -> Result<MnemonicFile, CliError> {
    if path.as_os_str() == "-" && std::io::stdin().is_terminal() {
        let phrase = prompt_hidden("Mnemonic (all the words on one line; not shown): ", "mnemonic")?;
        let passphrase = prompt_hidden("BIP39 passphrase (Enter for none; not shown): ", "passphrase")?;
        coffer_core::mnemonic::check_passphrase(passphrase.expose())?;
        return Ok(MnemonicFile { phrase, passphrase });
    }
    let raw = read_secret_file(path, "mnemonic")?;
    let text = std::str::from_utf8(raw.expose())
        .map_err(|_| CliError::invalid("invalid_encoding", "the mnemonic file is not valid UTF-8 text"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let phrase = lines.next().unwrap_or_default();
    let passphrase = lines.next().unwrap_or_default();
    if lines.any(|l| !l.trim().is_empty()) {
        return Err(CliError::invalid(
            "invalid_mnemonic_file",
            "the mnemonic file has more than two lines: the mnemonic goes on the first line (all words), the \
             optional BIP39 passphrase on the second",
        ));
    }
    coffer_core::mnemonic::check_passphrase(passphrase)?;
    Ok(MnemonicFile { phrase: copy_secret(phrase), passphrase: copy_secret(passphrase) })
}

/// Reads one line from the terminal without echo.
fn prompt_hidden(prompt: &str, what: &str) -> Result<SecretString, CliError> {
    let typed = rpassword::prompt_password(prompt).map_err(|e| {
        CliError::new(code::FAILURE, "io_error", format!("cannot read the {what} from the terminal: {e}"))
    })?;
    Ok(SecretString::from(typed))
}

fn copy_secret(s: &str) -> SecretString {
    let mut out = SecretString::with_capacity(s.len());
    out.expose_mut().push_str(s);
    out
}

/// Reads a password: the first line of `file` (`-` = standard input), or a prompt on the terminal without echo.
/// With neither a file nor a terminal it fails rather than hang.
pub fn read_password(file: Option<&Path>, prompt: &str) -> Result<SecretString, CliError> {
    match file {
        // `-` on a terminal: ask, without echo, rather than read a visible line.
        Some(path) if path.as_os_str() == "-" && std::io::stdin().is_terminal() => {
            prompt_password(if prompt.is_empty() { "Password: " } else { prompt })
        }
        Some(path) => {
            let raw = read_secret_file(path, "password")?;
            let text = std::str::from_utf8(raw.expose())
                .map_err(|_| CliError::invalid("invalid_encoding", "the password file is not valid UTF-8 text"))?;
            let line = text.split('\n').next().unwrap_or_default();
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                return Err(CliError::invalid("empty_password", "the password file's first line is empty"));
            }
            Ok(copy_secret(line))
        }
        None => prompt_password(prompt),
    }
}

/// Asks for a password on the terminal, without echo.
pub fn prompt_password(prompt: &str) -> Result<SecretString, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            code::USAGE,
            "password_required",
            "a password is needed: give --password-file FILE (or - for standard input), or run on a terminal",
        ));
    }
    let typed = rpassword::prompt_password(prompt).map_err(|e| {
        CliError::new(code::FAILURE, "io_error", format!("cannot read the password from the terminal: {e}"))
    })?;
    let secret = SecretString::from(typed);
    if secret.is_empty() {
        return Err(CliError::invalid("empty_password", "the password is empty"));
    }
    Ok(secret)
}

/// A new password: the first line of `file`, or typed twice on the terminal (also for `-` on a terminal).
pub fn read_new_password(file: Option<&Path>) -> Result<SecretString, CliError> {
    match file {
        // `-` on a terminal: typed twice without echo, as without a file.
        Some(path) if path.as_os_str() == "-" && std::io::stdin().is_terminal() => {
            read_new_password_from("New vault password: ")
        }
        Some(_) => read_password(file, ""),
        None => read_new_password_from("New vault password: "),
    }
}

/// Asks twice on the terminal and insists the two match.
pub fn read_new_password_from(prompt: &str) -> Result<SecretString, CliError> {
    let first = prompt_password(prompt)?;
    let second = prompt_password("Repeat the password: ")?;
    if !coffer_core::secret::ct_eq(first.expose().as_bytes(), second.expose().as_bytes()) {
        return Err(CliError::invalid("password_mismatch", "the two passwords differ"));
    }
    Ok(first)
}
