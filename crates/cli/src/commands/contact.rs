//! `coffer contact list|add|remove`: the address book, kept encrypted in the vault. Entries are private (whom the
//! user pays): they are printed on standard output when asked for, never in warnings or errors beyond the label the
//! user typed.

use coffer_core::Chain;
use coffer_core::vault::Contact;
use serde_json::json;

use super::seed::utc;
use super::vault::{open, open_read};
use crate::cli::{ContactAddArgs, ContactListArgs, ContactRemoveArgs, Global};
use crate::error::CliError;
use crate::output::{print_json, print_line, print_table};

fn chain(name: &str) -> Result<Chain, CliError> {
    Ok(name.parse::<Chain>()?)
}

fn to_json(c: &Contact) -> serde_json::Value {
    json!({
        "chain": c.chain.name(),
        "label": c.label,
        "address": c.address,
        "added": c.added,
        "added_utc": utc(c.added),
    })
}

pub fn list(g: &Global, args: &ContactListArgs) -> Result<(), CliError> {
    let only = args.chain.as_deref().map(chain).transpose()?;
    let vault = open_read(g)?;
    let entries: Vec<&Contact> = vault.contacts().iter().filter(|c| only.is_none_or(|o| c.chain == o)).collect();
    if g.json {
        return print_json(&serde_json::Value::Array(entries.iter().map(|c| to_json(c)).collect()));
    }
    let rows: Vec<Vec<String>> =
        entries.iter().map(|c| vec![c.chain.name().to_owned(), c.label.clone(), c.address.clone()]).collect();
    print_table(&["CHAIN", "LABEL", "ADDRESS"], &rows)
}

pub fn add(g: &Global, args: &ContactAddArgs) -> Result<(), CliError> {
    let chain = chain(&args.chain)?;
    // Checked before the password is asked: a bad label or address fails at once.
    coffer_core::vault::check_new_contact(&[], chain, &args.label, &args.address)?;
    let mut vault = open(g)?;
    let c = vault.add_contact(chain, &args.label, &args.address)?;
    if g.json {
        print_json(&json!({ "added": to_json(&c) }))
    } else {
        print_line(&format!("Added \"{}\" ({}): {}", c.label, c.chain, c.address))
    }
}

pub fn remove(g: &Global, args: &ContactRemoveArgs) -> Result<(), CliError> {
    let chain = chain(&args.chain)?;
    let mut vault = open(g)?;
    let c = vault.remove_contact(chain, &args.label)?;
    if g.json {
        print_json(&json!({ "removed": to_json(&c) }))
    } else {
        print_line(&format!("Removed \"{}\" ({}) from the address book.", c.label, c.chain))
    }
}
