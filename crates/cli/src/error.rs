//! The CLI's errors and exit codes (docs/cli.md, "Exit codes", is the contract).

use coffer_core::{ChainError, MnemonicError, PathError};

/// Exit codes. Scripts rely on them: never renumber.
pub mod code {
    /// Something failed that is not the input's fault (I/O, the OS).
    pub const FAILURE: u8 = 1;
    /// A usage error: the argument parser's, or a required input that cannot be asked for (no terminal).
    pub const USAGE: u8 = 2;
    /// Bad input: a mnemonic, path, chain, number or file content.
    pub const INVALID_INPUT: u8 = 3;
    /// The password (or device key) does not open the vault.
    pub const AUTH: u8 = 4;
    /// The vault file is damaged, truncated, not a vault, from a newer Coffer, or asks for excessive work.
    pub const VAULT_DAMAGED: u8 = 5;
    /// Another Coffer process has the vault open.
    pub const IN_USE: u8 = 6;
    /// Coffer refused: confirmation or consent missing.
    pub const REFUSED: u8 = 7;
    /// The network side failed: coffer-net missing or broken, the endpoint down, slow, lying or refusing.
    pub const NETWORK: u8 = 8;
    /// `coffer watch` saw an outgoing transaction of a watched address that this vault's signing log does not
    /// hold: someone else is signing for the address.
    pub const FOREIGN_SIGNATURE: u8 = 9;
    /// `coffer broadcast --wait`: the transaction was included but failed on chain (fees charged, no effect).
    pub const TX_FAILED: u8 = 10;
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

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prints the error on standard error: `coffer: message`, or a JSON object when `json` is set.
    pub fn report(&self, json: bool) {
        if json {
            let v = serde_json::json!({ "error": { "code": self.code, "kind": self.kind, "message": self.message } });
            eprintln!("{}", crate::output::json_line(&v));
        } else {
            eprintln!("coffer: {}", crate::output::safe(&self.message));
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

impl From<coffer_core::vault::VaultError> for CliError {
    fn from(e: coffer_core::vault::VaultError) -> Self {
        use coffer_core::vault::VaultError as V;
        // The exit code follows the core's class of the error; the kind names the variant (docs/cli.md).
        let e = match e {
            V::Sign(inner) => return Self::from(inner),
            V::Migrate(inner) => return Self::from(inner),
            other => other,
        };
        let kind = match &e {
            V::WrongPassword | V::WrongDeviceKey | V::NoDeviceSlot => "wrong_password",
            V::NotAVault | V::IsADirectory { .. } => "not_a_vault",
            V::Truncated => "vault_truncated",
            V::Corrupted => "vault_corrupted",
            V::UnsupportedVersion { .. } | V::Unsupported { .. } => "vault_unsupported",
            V::ExcessiveWork { .. } => "vault_excessive_kdf",
            V::ExpensiveKdf { .. } => "vault_expensive_kdf",
            V::PasswordRequired => "password_required",
            V::InUse { .. } => "vault_in_use",
            V::NotFound { .. } => "vault_not_found",
            V::AlreadyExists { .. } => "vault_exists",
            V::PermissionDenied { .. } => "permission_denied",
            V::LockIsLink { .. } => "vault_lock_is_link",
            V::DiskFull { .. } => "disk_full",
            V::LabelNotFound { .. } => "seed_not_found",
            V::DuplicateLabel { .. } => "duplicate_label",
            V::SimilarLabel { .. } => "similar_label",
            V::InvalidLabel { .. } => "invalid_label",
            V::EmptyPassword => "empty_password",
            V::InvalidParams { .. } => "invalid_kdf_params",
            V::TooManySeeds => "vault_full",
            V::DuplicateContact { .. } => "duplicate_contact",
            V::ContactNotFound { .. } => "contact_not_found",
            V::TooManyContacts => "address_book_full",
            V::Compromised { .. } => "seed_compromised",
            V::LogFull => "log_full",
            V::LogArchiveMissing { .. } => "log_archive_missing",
            V::LogArchiveDamaged { .. } => "log_archive_damaged",
            V::Mnemonic(m) => return Self::from(m.clone()),
            V::Chain(c) => return Self::from(c.clone()),
            V::NoDefaultLocation => "no_vault_location",
            V::Random => "random_failure",
            V::Kdf => "kdf_failed",
            V::InvalidSettings { .. } => "invalid_settings",
            V::ReadOnly => "vault_read_only",
            // `Io`, and variants a later core adds: the exit code still follows their class.
            _ => "vault_error",
        };
        Self::new(exit_code(e.class()), kind, e.to_string())
    }
}

impl From<coffer_core::vault::OpenError> for CliError {
    /// The same kind and exit code as the vault error of the same name.
    fn from(e: coffer_core::vault::OpenError) -> Self {
        Self::from(coffer_core::vault::VaultError::from(e))
    }
}

impl From<coffer_core::vault::KdfParamsError> for CliError {
    fn from(e: coffer_core::vault::KdfParamsError) -> Self {
        Self::from(coffer_core::vault::VaultError::from(e))
    }
}

/// The exit code of a core error class (docs/cli.md, "Exit codes").
fn exit_code(class: coffer_core::vault::ErrorClass) -> u8 {
    use coffer_core::vault::ErrorClass as C;
    match class {
        C::Usage => code::USAGE,
        C::InvalidInput => code::INVALID_INPUT,
        C::Auth => code::AUTH,
        C::Damaged => code::VAULT_DAMAGED,
        C::InUse => code::IN_USE,
        C::Refused => code::REFUSED,
        // `System`, and classes a later core adds.
        _ => code::FAILURE,
    }
}

impl From<coffer_core::sign::SignError> for CliError {
    fn from(e: coffer_core::sign::SignError) -> Self {
        use coffer_core::sign::SignError as S;
        let (code, kind) = match &e {
            S::Decode { .. } => (code::INVALID_INPUT, "malformed_transaction"),
            S::TooLarge => (code::INVALID_INPUT, "input_too_long"),
            S::NetworkRequired => (code::INVALID_INPUT, "network_required"),
            S::UnknownNetwork { .. } => (code::INVALID_INPUT, "unknown_network"),
            S::WrongSigner { .. } => (code::INVALID_INPUT, "wrong_signer"),
            S::BlindRefused { .. } => (code::REFUSED, "blind_refused"),
            S::UnsupportedChain { .. } | S::UnsupportedPayload { .. } | S::ChainMismatch { .. } => {
                (code::INVALID_INPUT, "unsupported")
            }
            S::TooManySignatures => (code::INVALID_INPUT, "too_many_signatures"),
            S::RawIsChainTransaction { .. } => (code::REFUSED, "raw_is_transaction"),
            S::Chain(c) => return Self::from(c.clone()),
            _ => (code::FAILURE, "sign_error"),
        };
        Self::new(code, kind, e.to_string())
    }
}

impl From<coffer_keyring::KeyringError> for CliError {
    fn from(e: coffer_keyring::KeyringError) -> Self {
        Self::new(code::FAILURE, e.kind(), e.to_string())
    }
}

impl From<coffer_keyring::EnableError> for CliError {
    fn from(e: coffer_keyring::EnableError) -> Self {
        use coffer_keyring::EnableError as E;
        match e {
            E::Keyring(ref k) => Self::new(code::FAILURE, k.kind(), e.to_string()),
            E::Vault(v) => Self::from(v),
            E::RollbackFailed { ref keyring, .. } => Self::new(code::FAILURE, keyring.kind(), e.to_string()),
            _ => Self::new(code::FAILURE, "keyring_error", e.to_string()),
        }
    }
}

impl From<coffer_core::migrate::MigrateError> for CliError {
    fn from(e: coffer_core::migrate::MigrateError) -> Self {
        use coffer_core::migrate::MigrateError as M;
        let (code, kind) = match &e {
            M::Guard(_) => (code::REFUSED, "guard_refused"),
            M::BackupNotChecked { .. } => (code::REFUSED, "backup_not_checked"),
            M::TrustlinesBlockMerge { .. } => (code::REFUSED, "trustlines_block_merge"),
            M::PasswordRequired => (code::REFUSED, "password_required"),
            M::NotCompromised { .. } => (code::INVALID_INPUT, "not_compromised"),
            M::DestinationCompromised { .. } => (code::INVALID_INPUT, "destination_compromised"),
            M::SameSeed => (code::INVALID_INPUT, "same_seed"),
            M::NoMigration { .. } => (code::INVALID_INPUT, "no_migration"),
            M::AlreadyStarted { .. } => (code::INVALID_INPUT, "migration_exists"),
            M::NoChallenge => (code::INVALID_INPUT, "no_challenge"),
            M::AnswerCount { .. } => (code::INVALID_INPUT, "backup_answer_count"),
            M::InvalidSelection { .. } => (code::INVALID_INPUT, "invalid_selection"),
            M::RowNotPlanned { .. } => (code::INVALID_INPUT, "row_not_planned"),
            M::BalanceBelowFee { .. } => (code::INVALID_INPUT, "balance_below_fee"),
            M::BadSequence { .. } => (code::INVALID_INPUT, "invalid_sequence"),
            M::BadBlockhash { .. } => (code::INVALID_INPUT, "invalid_blockhash"),
            M::BadFee { .. } => (code::INVALID_INPUT, "invalid_fee"),
            M::BadTrustline { .. } => (code::INVALID_INPUT, "invalid_trustline"),
            M::BadHoldings { .. } => (code::INVALID_INPUT, "invalid_holdings"),
            M::NothingToSweep { .. } => (code::INVALID_INPUT, "nothing_to_sweep"),
            M::Full => (code::FAILURE, "migration_full"),
            M::TooFewNonces { .. } => (code::INVALID_INPUT, "too_few_nonces"),
            M::SolanaFundsShort { .. } => (code::INVALID_INPUT, "balance_below_fee"),
            M::UnknownReceipt { .. } => (code::INVALID_INPUT, "unknown_receipt"),
            _ => (code::FAILURE, "migration_error"),
        };
        Self::new(code, kind, e.to_string())
    }
}

impl From<coffer_core::send::SendError> for CliError {
    fn from(e: coffer_core::send::SendError) -> Self {
        use coffer_core::send::SendError as S;
        let kind = match &e {
            S::Sign(inner) => return Self::from(inner.clone()),
            S::BadRecipient { .. } => "invalid_address",
            S::SelfPayment => "self_payment",
            S::BadAmount { .. } => "invalid_amount",
            S::TooManyDecimals { .. } => "too_many_decimals",
            S::ZeroAmount => "zero_amount",
            S::AmountTooLarge => "amount_too_large",
            S::OverBalance { .. } => "over_balance",
            S::FeeOverBalance { .. } => "balance_below_fee",
            S::AssetNotHeld { .. } => "asset_not_held",
            S::BelowMinimumLeft { .. } => "below_minimum_left",
            S::BelowReserve { .. } => "below_reserve",
            S::NewAccountBelowRent { .. } => "new_account_below_rent",
            S::RecipientMissing => "recipient_missing",
            S::RecipientUntrusting { .. } => "recipient_untrusting",
            S::BadMemo { .. } => "invalid_memo",
            S::BadFee { .. } => "invalid_fee",
            S::BadSequence { .. } => "invalid_sequence",
            S::BadHoldings { .. } => "invalid_holdings",
            S::TooManyCoins { .. } => "too_many_coins",
            S::TokenNotSendable { .. } => "token_not_sendable",
            S::Mismatch { .. } => return Self::new(code::FAILURE, "send_mismatch", e.to_string()),
            _ => "send_error",
        };
        Self::invalid(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use coffer_core::vault::VaultError;

    use super::*;

    /// Every vault error has a documented kind (docs/cli.md), and its exit code follows the core's class.
    #[test]
    fn vault_errors_map_to_documented_kinds() {
        let cases = [
            (VaultError::Random, code::FAILURE, "random_failure"),
            (VaultError::Kdf, code::FAILURE, "kdf_failed"),
            (VaultError::ReadOnly, code::FAILURE, "vault_read_only"),
            (VaultError::InvalidSettings { reason: "too many" }, code::INVALID_INPUT, "invalid_settings"),
            (VaultError::WrongPassword, code::AUTH, "wrong_password"),
            (VaultError::Truncated, code::VAULT_DAMAGED, "vault_truncated"),
            (VaultError::NoDefaultLocation, code::USAGE, "no_vault_location"),
            (VaultError::Compromised { label: "a".into() }, code::REFUSED, "seed_compromised"),
            (VaultError::TooManyContacts, code::INVALID_INPUT, "address_book_full"),
        ];
        for (e, code, kind) in cases {
            let c = CliError::from(e);
            assert_eq!((c.code(), c.kind()), (code, kind));
        }
        let docs = include_str!("../../../docs/cli.md");
        for kind in [
            "random_failure",
            "kdf_failed",
            "vault_read_only",
            "invalid_settings",
            "duplicate_contact",
            "contact_not_found",
            "address_book_full",
        ] {
            assert!(docs.contains(&format!("| `{kind}` |")), "{kind} is not in docs/cli.md");
        }
    }

    /// Every error of `coffer send` has a documented kind and exit code.
    #[test]
    fn send_errors_map_to_documented_kinds() {
        use coffer_core::send::SendError as S;
        let docs = include_str!("../../../docs/cli.md");
        let cases = [
            S::BadRecipient { chain: coffer_core::Chain::Solana, reason: String::new() },
            S::SelfPayment,
            S::BadAmount { text: String::new() },
            S::TooManyDecimals { given: 3, decimals: 2, asset: String::new() },
            S::ZeroAmount,
            S::AmountTooLarge,
            S::OverBalance { asset: String::new(), needed: 2, balance: 1 },
            S::FeeOverBalance { needed: 2, balance: 1 },
            S::AssetNotHeld { asset: String::new() },
            S::BelowMinimumLeft { left: 1, minimum: 2 },
            S::BelowReserve { minimum: 1 },
            S::NewAccountBelowRent { minimum: 1 },
            S::RecipientMissing,
            S::RecipientUntrusting { asset: String::new(), room: None },
            S::BadMemo { reason: "" },
            S::BadFee { reason: "" },
            S::BadSequence { reason: "" },
            S::BadHoldings { reason: String::new() },
            S::TooManyCoins { count: 2, max: 1 },
            S::TokenNotSendable { mint: String::new(), reason: coffer_core::send::TokenRefusal::Paused },
            S::Mismatch { reason: String::new() },
        ];
        for e in cases {
            let c = CliError::from(e);
            let row = format!("| `{}` | {} |", c.kind(), c.code());
            assert!(docs.contains(&row), "{row} is not in docs/cli.md");
        }
    }

    /// Opening errors keep the kinds and exit codes of the vault errors of the same name.
    #[test]
    fn open_errors_map_like_vault_errors() {
        use coffer_core::vault::OpenError;
        let cases = [
            (OpenError::WrongPassword, code::AUTH, "wrong_password"),
            (OpenError::NoDeviceSlot, code::AUTH, "wrong_password"),
            (OpenError::Truncated, code::VAULT_DAMAGED, "vault_truncated"),
            (OpenError::NotAVault, code::VAULT_DAMAGED, "not_a_vault"),
            (OpenError::InUse { path: "v".into() }, code::IN_USE, "vault_in_use"),
            (OpenError::NotFound { path: "v".into() }, code::FAILURE, "vault_not_found"),
            (OpenError::Kdf, code::FAILURE, "kdf_failed"),
        ];
        for (e, code, kind) in cases {
            let class = e.class();
            let c = CliError::from(e);
            assert_eq!((c.code(), c.kind()), (code, kind));
            assert_eq!(exit_code(class), code);
        }
    }

    /// Every error kind the CLI's sources name (as `CliError::new(code, "kind", …)`, `CliError::invalid("kind", …)`,
    /// or an arm of the error mappings in error.rs and net.rs) is in docs/cli.md's error-kind table: kinds are a
    /// contract, and a kind a script cannot look up is not one.
    #[test]
    fn every_kind_the_cli_names_is_documented() {
        let docs = include_str!("../../../docs/cli.md");
        let table: Vec<&str> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once("` | ").map(|(k, _)| k))
            .collect();
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 10);
        let mut missing = Vec::new();
        for f in files {
            // Code lines before the tests, joined without their indentation (comments left out), so that a call
            // split over lines reads as one; ", " and "=> " lose their space.
            let whole = std::fs::read_to_string(&f).unwrap();
            let source = whole.split("#[cfg(test)]").next().unwrap_or_default();
            let code: Vec<&str> = source.lines().map(str::trim).filter(|l| !l.starts_with("//")).collect();
            let text = code.concat().replace(", ", ",").replace("=> ", "=>");
            let mappings = f.ends_with("error.rs") || f.ends_with("net.rs");
            let mut kinds: Vec<String> = Vec::new();
            for start in ["CliError::invalid(\"", "Self::invalid(\""] {
                kinds.extend(text.split(start).skip(1).filter_map(|t| t.split('"').next()).map(str::to_owned));
            }
            for start in ["CliError::new(code::", "Self::new(code::"] {
                // The second argument, when it is a literal.
                let second = |t: &str| -> Option<String> {
                    Some(t.split_once(',')?.1.strip_prefix('"')?.split('"').next()?.to_owned())
                };
                kinds.extend(text.split(start).skip(1).filter_map(second));
            }
            if mappings {
                kinds.extend(text.split("=>\"").skip(1).filter_map(|t| t.split('"').next()).map(str::to_owned));
                let arm = |t: &str| t.split_once("\")").map(|(k, _)| k.to_owned());
                kinds.extend(text.split(",\"").skip(1).filter_map(arm));
            }
            for k in kinds {
                let is_kind = !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                let entry = format!("{k} ({})", f.display());
                if is_kind && !table.contains(&k.as_str()) && !missing.contains(&entry) {
                    missing.push(entry);
                }
            }
        }
        assert!(missing.is_empty(), "error kinds missing from docs/cli.md's table: {missing:?}");
    }
}
