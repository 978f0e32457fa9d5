//! `coffer discover`: which accounts of a seed have ever been used, per chain. The rule (a gap scan from account 0)
//! is coffer-core's ([`coffer_core::discover`]); "was it used" is asked through coffer-net
//! ([`coffer_net_proto::client::ever_used`]: any history, or any balance). The addresses are derived and the vault
//! closed before anything is asked.

use coffer_core::discover::{DiscoverError, Discovery, MAX_ACCOUNT};
use coffer_core::{AccountIndex, AddressIndex, Chain};
use coffer_net_proto::Network;
use serde_json::{Value, json};

use super::balance::net_target;
use crate::cli::{DiscoverArgs, Global};
use crate::error::CliError;
use crate::output::{print_json, print_line};

/// The chains scanned without --chain, in this order.
const SERVED: &[Chain] = &[Chain::Solana, Chain::Sui, Chain::Iota, Chain::Stellar];

type Target = (Chain, coffer_net_proto::Chain, Network);

/// The chains and network to scan (for main, which starts coffer-net first). Without --chain: every served chain
/// that has the network (Stellar has no devnet).
pub fn targets(args: &DiscoverArgs) -> Result<Vec<Target>, CliError> {
    match &args.chain {
        Some(c) => Ok(vec![net_target("discover", SERVED, c, &args.network, args.endpoint.as_deref())?]),
        None => {
            let all: Vec<Target> = SERVED
                .iter()
                .filter_map(|c| net_target("discover", SERVED, c.name(), &args.network, None).ok())
                .collect();
            if all.is_empty() {
                return Err(CliError::invalid("unknown_network", format!("unknown network {:?}", args.network)));
            }
            Ok(all)
        }
    }
}

pub fn run(g: &Global, args: &DiscoverArgs) -> Result<(), CliError> {
    let targets = targets(args)?;
    if args.gap == 0 || args.gap > coffer_core::discover::MAX_GAP {
        return Err(CliError::invalid("invalid_gap", format!("--gap must be 1 to {}", coffer_core::discover::MAX_GAP)));
    }
    // Every address the scan may ask about, derived now; the seed and the vault are closed before the network.
    let mut addresses: Vec<Vec<String>> = Vec::with_capacity(targets.len());
    {
        let vault = super::vault::open_read(g)?;
        let seed = vault.bip39_seed(&args.seed)?;
        for (chain, _, _) in &targets {
            let list = (0..=MAX_ACCOUNT)
                .map(|n| chain.account(&seed, AccountIndex::new(n)?, AddressIndex::ZERO).map(|a| a.address))
                .collect::<Result<_, _>>()?;
            addresses.push(list);
        }
    }
    let mut net = crate::net::client()?;
    let mut results = Vec::with_capacity(targets.len());
    for ((chain, proto, network), list) in targets.iter().zip(&addresses) {
        let mut endpoint = None;
        let found = coffer_core::discover::scan_from(args.first_account, args.gap, |n| {
            let address = &list[n as usize];
            let used = net.ever_used(*proto, *network, address)?;
            endpoint = used.1.or(endpoint.take());
            Ok::<bool, CliError>(used.0)
        });
        let found: Discovery = match found {
            Ok(f) => f,
            Err(DiscoverError::Ask { error, .. }) => return Err(error),
            Err(_) => return Err(CliError::invalid("invalid_gap", "--gap out of range")),
        };
        results.push((*chain, *network, list, found, endpoint));
    }
    drop(net);
    if g.json {
        let chains: Vec<Value> = results
            .iter()
            .map(|(chain, network, list, found, endpoint)| {
                json!({
                    "chain": chain.name(),
                    "network": network.name(),
                    "endpoint": endpoint,
                    "used": found.used.iter().map(|n| json!({"account": n, "address": list[*n as usize]})).collect::<Vec<_>>(),
                    "scanned": found.scanned.saturating_sub(args.first_account),
                    "capped": found.capped,
                })
            })
            .collect();
        return print_json(
            &json!({"seed": args.seed, "gap": args.gap, "first_account": args.first_account, "chains": chains}),
        );
    }
    for (chain, network, list, found, endpoint) in &results {
        let from =
            if args.first_account == 0 { String::new() } else { format!(" from account {}", args.first_account) };
        print_line(&format!(
            "{} {}: {} used account(s) of {} scanned{from}{}",
            chain.name(),
            network.name(),
            found.used.len(),
            found.scanned.saturating_sub(args.first_account),
            if found.capped { " (stopped at the scan's limit)" } else { "" }
        ))?;
        for n in &found.used {
            print_line(&format!("  account {n}  {}", list[*n as usize]))?;
        }
        if let Some(e) = endpoint {
            print_line(&format!("  reported by {e}"))?;
        }
    }
    Ok(())
}
