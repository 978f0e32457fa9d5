//! The CLI's errors and exit codes (docs/cli.md, "Exit codes", is the contract).

use coffer_core::{ChainError, MnemonicError, PathError};

/// Exit codes. Scripts rely on them: never renumber.
pub mod code {
    /// Something failed that is not the input's fault (I/O, the OS).
    pub const FAILURE: u8 = 1;
    /// Bad input: a mnemonic, path, chain, number or file content.
    pub const INVALID_INPUT: u8 = 3;
}

/// A CLI error: an exit code, a stable machine-readable kind and a message for people.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    kind: &'static str,
    message: String,
}

impl CliError {
    pub fn new(code: u8, kind: &'static str, message: impl Into<String>) -> Self {
        Self { code, kind, message: message.into() }
    }

    pub fn invalid(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(code::INVALID_INPUT, kind, message)
    }

    pub fn code(&self) -> u8 {
        self.code
    }

    /// Prints the error on standard error: `coffer: message`, or a JSON object when `json` is set.
    pub fn report(&self, json: bool) {
        if json {
            let v = serde_json::json!({ "error": { "code": self.code, "kind": self.kind, "message": self.message } });
            eprintln!("{v}");
        } else {
            eprintln!("coffer: {}", self.message);
        }
    }
}

impl From<MnemonicError> for CliError {
    fn from(e: MnemonicError) -> Self {
        let kind = match e {
            MnemonicError::UnknownWord { .. } => "unknown_word",
            MnemonicError::InvalidChecksum => "invalid_checksum",
            MnemonicError::BadWordCount { .. } => "bad_word_count",
            MnemonicError::UnknownLanguage => "unknown_language",
            MnemonicError::Random => "random_failure",
            _ => "invalid_mnemonic",
        };
        let code = if matches!(e, MnemonicError::Random) { code::FAILURE } else { code::INVALID_INPUT };
        Self::new(code, kind, e.to_string())
    }
}

impl From<PathError> for CliError {
    fn from(e: PathError) -> Self {
        Self::invalid("invalid_path", e.to_string())
    }
}

impl From<ChainError> for CliError {
    fn from(e: ChainError) -> Self {
        let kind = match e {
            ChainError::UnknownChain => "unknown_chain",
            ChainError::OutOfRange => "invalid_account",
            ChainError::BadAddress { .. } => "invalid_address",
            _ => "invalid_chain_argument",
        };
        Self::invalid(kind, e.to_string())
    }
}
