//! `coffer address`: derive addresses and public keys.

use coffer_core::{Account, AccountIndex, AddressIndex, Chain, DerivationPath, Seed};
use serde_json::json;

use crate::cli::{AddressArgs, Global};
use crate::error::CliError;
use crate::input::read_mnemonic_file;
use crate::output::{print_json, print_table};

/// The most addresses one call lists.
pub const MAX_COUNT: u32 = 1000;

pub fn run(g: &Global, args: &AddressArgs) -> Result<(), CliError> {
    let chain: Chain = args.chain.parse()?;
    let positions = positions(chain, args)?;
    let seed = match (&args.seed, &args.mnemonic_file) {
        (Some(label), _) => {
            let vault = super::vault::open_read(g)?;
            vault.bip39_seed(label)?
        }
        (None, Some(path)) => {
            let file = read_mnemonic_file(path)?;
            file.mnemonic(args.passphrase_is_words)?.to_seed(file.passphrase.expose())
        }
        (None, None) => {
            return Err(CliError::new(crate::error::code::USAGE, "usage", "give --mnemonic-file or --seed"));
        }
    };
    let accounts = derive(&seed, chain, &positions)?;
    drop(seed);
    print_accounts(chain, &accounts, g.json)
}

/// What to derive: an explicit path, or a run of (account, index) positions.
pub enum Positions {
    Path(DerivationPath),
    Standard(Vec<(u32, u32)>),
}

pub fn positions(chain: Chain, args: &AddressArgs) -> Result<Positions, CliError> {
    let count = args.count.unwrap_or(1);
    if count == 0 || count > MAX_COUNT {
        return Err(CliError::invalid("invalid_count", format!("--count must be between 1 and {MAX_COUNT}")));
    }
    if let Some(text) = &args.path {
        // Any value of these flags, even the default one, contradicts an exact path.
        if args.count.is_some() || args.index.is_some() || args.account.is_some() {
            return Err(CliError::invalid(
                "conflicting_arguments",
                "--path names one exact key: it cannot be combined with --account, --index or --count",
            ));
        }
        return Ok(Positions::Path(text.parse()?));
    }
    if chain == Chain::Raw {
        return Err(coffer_core::ChainError::RawNeedsPath.into());
    }
    if !chain.uses_index() && args.index.is_some() {
        return Err(CliError::invalid(
            "invalid_index",
            format!("{chain} has no address index (one key per account): use --account and --count instead"),
        ));
    }
    let (account, index) = (args.account.unwrap_or(0), args.index.unwrap_or(0));
    let out_of_range =
        || CliError::invalid("invalid_account", "account and index must be below 2147483648, including --count");
    let mut list = Vec::new();
    for i in 0..count {
        let pos = if chain.uses_index() {
            (account, index.checked_add(i).ok_or_else(out_of_range)?)
        } else {
            (account.checked_add(i).ok_or_else(out_of_range)?, 0)
        };
        list.push(pos);
    }
    Ok(Positions::Standard(list))
}

/// A derived account and, for standard paths, its (account, index) position.
pub type Derived = (Account, Option<(u32, u32)>);

pub fn derive(seed: &Seed, chain: Chain, positions: &Positions) -> Result<Vec<Derived>, CliError> {
    match positions {
        Positions::Path(path) => Ok(vec![(chain.account_at(seed, path.clone()), None)]),
        Positions::Standard(list) => list
            .iter()
            .map(|&(a, i)| Ok((chain.account(seed, AccountIndex::new(a)?, AddressIndex::new(i)?)?, Some((a, i)))))
            .collect(),
    }
}

pub fn print_accounts(chain: Chain, accounts: &[Derived], json: bool) -> Result<(), CliError> {
    if json {
        let items: Vec<_> = accounts
            .iter()
            .map(|(acct, pos)| {
                json!({
                    "chain": acct.chain.name(),
                    "path": acct.path.to_string(),
                    "address": acct.address,
                    "public_key": acct.public_key.to_hex(),
                    "account": pos.map(|p| p.0),
                    "index": pos.filter(|_| chain.uses_index()).map(|p| p.1),
                })
            })
            .collect();
        return print_json(&serde_json::Value::Array(items));
    }
    let header: &[&str] = if chain == Chain::Raw { &["PATH", "PUBLIC KEY"] } else { &["PATH", "ADDRESS"] };
    let rows: Vec<Vec<String>> = accounts.iter().map(|(a, _)| vec![a.path.to_string(), a.address.clone()]).collect();
    print_table(header, &rows)
}
