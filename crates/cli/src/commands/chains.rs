//! `coffer chains`: what each chain name means.

use coffer_core::Chain;
use serde_json::json;

use crate::cli::Global;
use crate::error::CliError;
use crate::output::{print_json, print_table};

fn describe(chain: Chain) -> (&'static str, &'static str) {
    match chain {
        Chain::Iota => ("m/44'/4218'/{account}'/0'/{index}'", "0x + hex(blake2b-256(public key))"),
        Chain::Sui => ("m/44'/784'/{account}'/0'/{index}'", "0x + hex(blake2b-256(0x00 || public key))"),
        Chain::IotaStardust => {
            ("m/44'/4218'/{account}'/0'/{index}'", "bech32 iota1... of 0x00 || blake2b-256(public key)")
        }
        Chain::Solana => ("m/44'/501'/{account}'/0'", "base58(public key)"),
        Chain::Stellar => ("m/44'/148'/{account}'", "StrKey G... (SEP-0005)"),
        _ => ("--path required", "hex(public key)"),
    }
}

pub fn run(g: &Global) -> Result<(), CliError> {
    if g.json {
        let items: Vec<_> = Chain::ALL
            .iter()
            .map(|&c| {
                let (path, address) = describe(c);
                json!({ "chain": c.name(), "path": path, "address": address, "uses_index": c.uses_index() })
            })
            .collect();
        return print_json(&serde_json::Value::Array(items));
    }
    let rows: Vec<Vec<String>> = Chain::ALL
        .iter()
        .map(|&c| {
            let (path, address) = describe(c);
            vec![c.name().to_owned(), path.to_owned(), address.to_owned()]
        })
        .collect();
    print_table(&["CHAIN", "PATH", "ADDRESS FORMAT"], &rows)
}
