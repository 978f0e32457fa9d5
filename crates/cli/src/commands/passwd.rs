//! `coffer passwd`: change the vault password (and key-derivation strength).

use serde_json::json;

use super::vault::{kdf_params, one_stdin, open};
use crate::cli::{Global, PasswdArgs};
use crate::error::CliError;
use crate::input::{read_new_password_from, read_password};
use crate::output::{print_json, print_line};

pub fn run(g: &Global, args: &PasswdArgs) -> Result<(), CliError> {
    one_stdin(&[g.password_file.as_deref(), args.new_password_file.as_deref()])?;
    let mut vault = open(g)?;
    let new = match &args.new_password_file {
        Some(file) => read_password(Some(file), "")?,
        None => read_new_password_from("New vault password: ")?,
    };
    let params = kdf_params(&args.kdf)?;
    vault.change_password(&new, params)?;
    if g.json {
        print_json(&json!({
            "changed": true,
            "kdf": { "memory_kib": params.memory_kib(), "passes": params.passes(), "lanes": params.lanes() },
        }))
    } else {
        print_line("Vault password changed.")
    }
}
