//! `coffer balance`: what an address holds, asked through the network process (this process opens no socket).

use coffer_core::Chain;
use coffer_net_proto::{Call, Network, Reply, TokenAccount};
use serde_json::json;

use crate::cli::{BalanceArgs, Global};
use crate::error::CliError;
use crate::output::print_json;

/// The chains `coffer balance` serves so far.
const SERVED: &[Chain] = &[Chain::Solana];

/// The protocol's chain for a served core chain.
pub fn proto_chain(chain: Chain) -> Option<coffer_net_proto::Chain> {
    match chain {
        Chain::Solana => Some(coffer_net_proto::Chain::Solana),
        _ => None,
    }
}

/// Parses `--chain` and `--network` (for main, which starts coffer-net before anything else).
pub fn target(args: &BalanceArgs) -> Result<(Chain, coffer_net_proto::Chain, Network), CliError> {
    net_target("balance", &args.chain, &args.network, args.endpoint.as_deref())
}

/// Parses `--chain`, `--network` and `--endpoint` of the network command `command`.
pub fn net_target(
    command: &str,
    chain: &str,
    network: &str,
    endpoint: Option<&str>,
) -> Result<(Chain, coffer_net_proto::Chain, Network), CliError> {
    let chain: Chain = chain.parse()?;
    let proto = proto_chain(chain).filter(|_| SERVED.contains(&chain)).ok_or_else(|| {
        CliError::invalid("unsupported", format!("coffer {command} does not serve {chain} yet (solana only)"))
    })?;
    let network = Network::from_name(network).ok_or_else(|| {
        CliError::invalid(
            "unknown_network",
            format!("unknown network {network:?}: mainnet, testnet, devnet or localnet"),
        )
    })?;
    if let Some(url) = endpoint {
        coffer_net_proto::check_endpoint(url).map_err(|e| {
            let why = match e {
                coffer_net_proto::ProtoError::InvalidField { reason, .. } => reason,
                _ => "not acceptable",
            };
            CliError::invalid("invalid_endpoint", format!("--endpoint: {why}"))
        })?;
    }
    if network == Network::Localnet && endpoint.is_none() {
        return Err(CliError::invalid("endpoint_required", "--network localnet needs --endpoint URL"));
    }
    Ok((chain, proto, network))
}

pub fn run(g: &Global, args: &BalanceArgs) -> Result<(), CliError> {
    let (chain, proto, network) = target(args)?;
    let address = match (&args.address, &args.seed) {
        (Some(a), _) => {
            coffer_net_proto::check_address("address", proto, a)
                .map_err(|_| CliError::invalid("invalid_address", format!("not a {chain} address")))?;
            a.clone()
        }
        (None, Some(label)) => {
            let vault = super::vault::open(g)?;
            let seed = vault.bip39_seed(label)?;
            let account = chain.account(&seed, args.account, 0)?;
            drop(seed);
            account.address
        }
        (None, None) => {
            return Err(CliError::new(crate::error::code::USAGE, "usage", "give --address or --seed"));
        }
    };
    let mut net = crate::net::client()?;
    let (balance, endpoint) = net.call(proto, network, Call::Balance { address: address.clone() })?;
    let Reply::Balance { amount, slot, .. } = balance else { return Err(other_reply()) };
    let (holdings, _) = net.call(proto, network, Call::Holdings { address: address.clone() })?;
    let Reply::Holdings { accounts, .. } = holdings else { return Err(other_reply()) };
    drop(net);
    let endpoint = endpoint.unwrap_or_default();
    if g.json {
        let tokens: Vec<_> = accounts.iter().map(token_json).collect();
        return print_json(&json!({
            "chain": chain.name(),
            "network": network.name(),
            "address": address,
            "balance": amount.as_str(),
            "unit": "lamports",
            "decimals": 9,
            "tokens": tokens,
            "slot": slot,
            "endpoint": endpoint,
        }));
    }
    println!("{} {}  {address}", chain.name(), network.name());
    println!("balance  {} SOL ({} lamports)", decimal(amount.value(), 9), amount);
    if accounts.is_empty() {
        println!("tokens   none");
    }
    for t in &accounts {
        println!("token    {} of mint {} ({}, account {})", t.amount, t.mint, program_name(t), t.address);
    }
    println!("reported by {endpoint} at slot {slot}");
    Ok(())
}

/// The protocol pairs each answer with its request (kind included), so another reply kind cannot arrive here.
pub fn other_reply() -> CliError {
    CliError::new(crate::error::code::NETWORK, "network_protocol", "the network process answered another question")
}

fn program_name(t: &TokenAccount) -> String {
    serde_json::to_value(t.program).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn token_json(t: &TokenAccount) -> serde_json::Value {
    json!({ "account": t.address, "mint": t.mint, "program": program_name(t), "amount": t.amount.as_str() })
}

/// `value` in units of 10^-`decimals`, as a decimal string with all the digits.
fn decimal(value: u128, decimals: u32) -> String {
    let scale = 10u128.pow(decimals);
    format!("{}.{:0width$}", value / scale, value % scale, width = decimals as usize)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_keeps_every_digit() {
        assert_eq!(super::decimal(1_000_000_000, 9), "1.000000000");
        assert_eq!(super::decimal(5, 9), "0.000000005");
        assert_eq!(super::decimal(u128::from(u64::MAX), 9), "18446744073.709551615");
    }
}
