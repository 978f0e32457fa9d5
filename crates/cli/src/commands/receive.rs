//! `coffer receive`: a seed's receive address and, where the chain has one, the payment-request URI for an amount
//! (Solana Pay, Stellar SEP-7; built and checked by [`coffer_core::receive`]). Offline.

use coffer_core::{AccountIndex, AddressIndex, Chain};
use serde_json::json;

use crate::cli::{Global, ReceiveArgs};
use crate::error::CliError;
use crate::output::{print_json, print_line};

pub fn run(g: &Global, args: &ReceiveArgs) -> Result<(), CliError> {
    let chain: Chain = args.chain.parse()?;
    let testnet = match args.network.as_str() {
        "public" | "mainnet" => false,
        "testnet" => true,
        other => {
            return Err(CliError::invalid(
                "unknown_network",
                format!("unknown network {other:?}: public (or mainnet) or testnet"),
            ));
        }
    };
    let account = {
        let vault = super::vault::open_read(g)?;
        let seed = vault.bip39_seed(&args.seed)?;
        chain.account(&seed, AccountIndex::new(args.account)?, AddressIndex::ZERO)?
    };
    let amount = args.amount.as_deref();
    let uri = coffer_core::receive::payment_uri(chain, &account.address, amount, testnet && chain == Chain::Stellar)
        .map_err(|e| CliError::invalid("invalid_amount", e.to_string()))?;
    // A chain without a URI form still checks the amount, so a typo is not silently dropped.
    if uri.is_none()
        && let Some(a) = amount
    {
        let decimals = coffer_core::receive::native_decimals(chain);
        coffer_core::receive::parse_amount(a.trim(), decimals, u128::from(u64::MAX))
            .map_err(|e| CliError::invalid("invalid_amount", e.to_string()))?;
    }
    if g.json {
        return print_json(&json!({
            "chain": chain.name(),
            "seed": args.seed,
            "account": args.account,
            "path": account.path.to_string(),
            "address": account.address,
            "amount": amount,
            "uri": uri,
        }));
    }
    print_line(&format!("{}  account {}  {}", chain.name(), args.account, account.path))?;
    print_line(&account.address)?;
    match uri {
        Some(u) => print_line(&u),
        None if amount.is_some() => print_line(&format!(
            "{} has no payment-request URI: give the payer the address and the amount",
            chain.name()
        )),
        None => Ok(()),
    }
}
