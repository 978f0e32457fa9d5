//! `coffer balance`: what an address holds, asked through the network process (this process opens no socket).

use coffer_core::{AccountIndex, AddressIndex, Chain};
use coffer_net_proto::{
    Call, ClaimableBalance, CoinMetadata, IOTA_COIN_TYPE, Network, Offer, Reply, SUI_COIN_TYPE, StellarAccount,
    TokenAccount, Trustline, canonical_move_type,
};
use serde_json::json;

use crate::cli::{BalanceArgs, Global};
use crate::error::CliError;
use crate::output::print_json;

/// The chains `coffer balance` serves so far.
const SERVED: &[Chain] = &[Chain::Iota, Chain::Sui, Chain::Solana, Chain::Stellar];

/// The protocol's chain for a served core chain.
pub fn proto_chain(chain: Chain) -> Option<coffer_net_proto::Chain> {
    match chain {
        Chain::Solana => Some(coffer_net_proto::Chain::Solana),
        Chain::Stellar => Some(coffer_net_proto::Chain::Stellar),
        Chain::Iota => Some(coffer_net_proto::Chain::Iota),
        Chain::Sui => Some(coffer_net_proto::Chain::Sui),
        _ => None,
    }
}

/// Parses `--chain` and `--network` (for main, which starts coffer-net before anything else).
pub fn target(args: &BalanceArgs) -> Result<(Chain, coffer_net_proto::Chain, Network), CliError> {
    net_target("balance", SERVED, &args.chain, &args.network, args.endpoint.as_deref())
}

/// The chain names of `served`, for messages ("solana and stellar").
fn names(served: &[Chain]) -> String {
    let names: Vec<String> = served.iter().map(ToString::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Parses `--chain`, `--network` and `--endpoint` of the network command `command`, which serves the chains in
/// `served`.
pub fn net_target(
    command: &str,
    served: &[Chain],
    chain: &str,
    network: &str,
    endpoint: Option<&str>,
) -> Result<(Chain, coffer_net_proto::Chain, Network), CliError> {
    let chain: Chain = chain.parse()?;
    let proto = proto_chain(chain).filter(|_| served.contains(&chain)).ok_or_else(|| {
        CliError::invalid("unsupported", format!("coffer {command} does not serve {chain} yet ({})", names(served)))
    })?;
    let network = if chain == Chain::Stellar {
        // Stellar names its main network "public"; it has no devnet.
        match network {
            "public" | "mainnet" => Some(Network::Mainnet),
            "devnet" => None,
            other => Network::from_name(other),
        }
        .ok_or_else(|| {
            CliError::invalid(
                "unknown_network",
                format!("unknown stellar network {:?}: public (or mainnet), testnet or localnet", network),
            )
        })?
    } else {
        Network::from_name(network).ok_or_else(|| {
            CliError::invalid(
                "unknown_network",
                format!("unknown network {:?}: mainnet, testnet, devnet or localnet", network),
            )
        })?
    };
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
    if let (Some(count), Some(label)) = (args.accounts, &args.seed) {
        return scan(g, (chain, proto, network), label, count);
    }
    let address = match (&args.address, &args.seed) {
        (Some(a), _) => {
            coffer_net_proto::check_address("address", proto, a)
                .map_err(|_| CliError::invalid("invalid_address", format!("not a {chain} address")))?;
            a.clone()
        }
        (None, Some(label)) => {
            let vault = super::vault::open(g)?;
            let seed = vault.bip39_seed(label)?;
            let account = chain.account(&seed, AccountIndex::new(args.account)?, AddressIndex::ZERO)?;
            drop(seed);
            account.address
        }
        (None, None) => {
            return Err(CliError::new(crate::error::code::USAGE, "usage", "give --address or --seed"));
        }
    };
    let mut net = crate::net::client()?;
    if chain == Chain::Stellar {
        return stellar(g, &mut net, network, &address);
    }
    if chain == Chain::Iota || chain == Chain::Sui {
        return move_chain(g, &mut net, chain, network, &address);
    }
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

/// `--accounts COUNT`: the native balance of the seed's accounts 0 to COUNT-1, in one [`Call::Balances`] (the
/// network process batches it where the chain's API allows). The vault is closed before the network is asked.
fn scan(
    g: &Global,
    (chain, proto, network): (Chain, coffer_net_proto::Chain, Network),
    label: &str,
    count: u32,
) -> Result<(), CliError> {
    let addresses = {
        let vault = super::vault::open(g)?;
        let seed = vault.bip39_seed(label)?;
        (0..count)
            .map(|n| chain.account(&seed, AccountIndex::new(n)?, AddressIndex::ZERO).map(|a| a.address))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut net = crate::net::client()?;
    let (reply, endpoint) = net.call(proto, network, Call::Balances { addresses })?;
    let Reply::Balances { balances, requests } = reply else { return Err(other_reply()) };
    drop(net);
    let endpoint = endpoint.unwrap_or_default();
    let (unit, decimals, symbol) = match chain {
        Chain::Solana => ("lamports", 9, "SOL"),
        Chain::Stellar => ("stroops", 7, "XLM"),
        Chain::Sui => ("MIST", 9, "SUI"),
        _ => ("nanos", 9, "IOTA"),
    };
    let network_name = if chain == Chain::Stellar && network == Network::Mainnet { "public" } else { network.name() };
    if g.json {
        let accounts: Vec<_> = balances
            .iter()
            .zip(0u32..)
            .map(|(b, n)| json!({"account": n, "address": b.address, "balance": b.amount.as_str()}))
            .collect();
        return print_json(&json!({
            "chain": chain.name(),
            "network": network_name,
            "seed": label,
            "unit": unit,
            "decimals": decimals,
            "accounts": accounts,
            "requests": requests,
            "endpoint": endpoint,
        }));
    }
    println!("{} {network_name}  seed {label}, accounts 0 to {}", chain.name(), count - 1);
    for (b, n) in balances.iter().zip(0u32..) {
        println!("account {n:>3}  {}  {} {symbol}", b.address, decimal(b.amount.value(), decimals));
    }
    println!("reported by {endpoint} ({requests} requests)");
    Ok(())
}

/// Stellar: the account (or that it does not exist), its offers and the claimable balances it may claim.
fn stellar(g: &Global, net: &mut crate::net::NetClient, network: Network, address: &str) -> Result<(), CliError> {
    let proto = coffer_net_proto::Chain::Stellar;
    let (reply, endpoint) = net.call(proto, network, Call::Account { address: address.to_owned() })?;
    let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
    let offers = if account.is_some() {
        let (reply, _) = net.call(proto, network, Call::Offers { address: address.to_owned() })?;
        let Reply::Offers { offers, .. } = reply else { return Err(other_reply()) };
        offers
    } else {
        Vec::new()
    };
    // An account that does not exist yet may still be a claimant.
    let (reply, _) = net.call(proto, network, Call::ClaimableBalances { address: address.to_owned() })?;
    let Reply::ClaimableBalances { balances, complete, .. } = reply else { return Err(other_reply()) };
    let endpoint = endpoint.unwrap_or_default();
    let network_name = if network == Network::Mainnet { "public" } else { network.name() };
    if g.json {
        let mut out = json!({
            "chain": "stellar",
            "network": network_name,
            "address": address,
            "exists": account.is_some(),
            "balance": account.as_ref().map_or("0", |a| a.balance.as_str()),
            "unit": "stroops",
            "decimals": 7,
            "offers": offers.iter().map(offer_json).collect::<Vec<_>>(),
            "claimable_balances": balances.iter().map(claimable_json).collect::<Vec<_>>(),
            "claimable_balances_complete": complete,
            "endpoint": endpoint,
        });
        if let (Some(a), Some(map)) = (&account, out.as_object_mut()) {
            map.extend(account_json(a).as_object().cloned().unwrap_or_default());
        }
        return print_json(&out);
    }
    println!("stellar {network_name}  {address}");
    match &account {
        None => {
            println!("account  does not exist on this network (unfunded): balance 0 XLM");
        }
        Some(a) => {
            println!("balance  {} XLM ({} stroops)", decimal(a.balance.value(), 7), a.balance);
            println!(
                "account  sequence {}, {} subentries, sponsoring {}, sponsored {}",
                a.sequence, a.subentry_count, a.num_sponsoring, a.num_sponsored
            );
            if a.trustlines.is_empty() {
                println!("trustlines none");
            }
            for t in &a.trustlines {
                match t {
                    Trustline::Credit { code, issuer, balance, limit } => println!(
                        "trustline {} {code} issued by {issuer} (limit {})",
                        decimal(balance.value(), 7),
                        decimal(limit.value(), 7)
                    ),
                    Trustline::PoolShares { pool_id, balance, .. } => {
                        println!("trustline {} shares of liquidity pool {pool_id}", decimal(balance.value(), 7));
                    }
                    _ => println!("trustline of a kind this version does not show"),
                }
            }
            for d in &a.data {
                println!("data     {} = {} (base64)", d.name, d.value);
            }
            for s in &a.signers {
                println!("signer   {} weight {}", s.key, s.weight);
            }
            let t = a.thresholds;
            println!("thresholds low {} medium {} high {}", t.low, t.med, t.high);
        }
    }
    for o in &offers {
        println!(
            "offer    {}: sells {} {} for {} at {}/{}",
            o.id,
            decimal(o.amount.value(), 7),
            o.selling,
            o.buying,
            o.price_n,
            o.price_d
        );
    }
    for c in &balances {
        println!("claimable {} {} (balance {})", decimal(c.amount.value(), 7), c.asset, c.id);
    }
    if !complete {
        println!("claimable (more than {} claimable balances; the rest are not shown)", balances.len());
    }
    match &account {
        Some(a) => println!("reported by {endpoint} (account last changed in ledger {})", a.last_modified_ledger),
        None => println!("reported by {endpoint}"),
    }
    Ok(())
}

/// The most coin types whose metadata (decimals, symbol) `coffer balance` asks for; the rest show raw units (anyone
/// can send an address coins of many types, and each lookup is a request).
const MAX_METADATA_LOOKUPS: usize = 100;

/// IOTA and Sui: the total of every coin type the address holds (with its decimals and symbol from the coin's
/// metadata), and how many objects it owns.
fn move_chain(
    g: &Global,
    net: &mut crate::net::NetClient,
    chain: Chain,
    network: Network,
    address: &str,
) -> Result<(), CliError> {
    let (proto, native, symbol) = if chain == Chain::Sui {
        (coffer_net_proto::Chain::Sui, SUI_COIN_TYPE, "SUI")
    } else {
        (coffer_net_proto::Chain::Iota, IOTA_COIN_TYPE, "IOTA")
    };
    let native_canonical = canonical_move_type(native).unwrap_or_default();
    let is_native = |t: &str| canonical_move_type(t).is_ok_and(|c| c == native_canonical);
    let (reply, endpoint) = net.call(proto, network, Call::CoinBalances { address: address.to_owned() })?;
    let Reply::CoinBalances { balances, .. } = reply else { return Err(other_reply()) };
    let (reply, _) = net.call(proto, network, Call::OwnedObjects { address: address.to_owned() })?;
    let Reply::OwnedObjects { objects, complete, .. } = reply else { return Err(other_reply()) };
    // Each other coin type's decimals and symbol, from its metadata (untrusted: anyone can publish a coin called
    // SUI; the type is always shown beside it).
    let mut metadata = Vec::with_capacity(balances.len());
    for b in &balances {
        let m = if is_native(&b.coin_type) {
            Some(CoinMetadata { decimals: 9, symbol: symbol.to_owned() })
        } else if metadata.len() < MAX_METADATA_LOOKUPS {
            let (reply, _) = net.call(proto, network, Call::CoinMetadata { coin_type: b.coin_type.clone() })?;
            let Reply::CoinMetadata { metadata, .. } = reply else { return Err(other_reply()) };
            metadata
        } else {
            None
        };
        metadata.push(m);
    }
    let endpoint = endpoint.unwrap_or_default();
    // The GraphQL API of Sui does not count coin objects.
    let counted = chain != Chain::Sui;
    if g.json {
        let coins: Vec<_> = balances
            .iter()
            .zip(&metadata)
            .map(|(b, m)| {
                json!({
                    "coin_type": b.coin_type,
                    "total": b.total.as_str(),
                    "object_count": counted.then_some(b.object_count),
                    "decimals": m.as_ref().map(|m| m.decimals),
                    "symbol": m.as_ref().map(|m| m.symbol.as_str()),
                })
            })
            .collect();
        return print_json(&json!({
            "chain": chain.name(),
            "network": network.name(),
            "address": address,
            "coins": coins,
            "owned_objects": objects.len(),
            "owned_objects_complete": complete,
            "endpoint": endpoint,
        }));
    }
    println!("{} {}  {address}", chain.name(), network.name());
    if !balances.iter().any(|b| is_native(&b.coin_type)) {
        println!("balance  0.000000000 {symbol}");
    }
    let unit = if chain == Chain::Sui { "MIST" } else { "nanos" };
    for (b, m) in balances.iter().zip(&metadata) {
        let objects = if counted { format!(" in {} coin objects", b.object_count) } else { String::new() };
        if is_native(&b.coin_type) {
            println!("balance  {} {symbol} ({} {unit}{objects})", decimal(b.total.value(), 9), b.total);
        } else if let Some(m) = m {
            println!(
                "coin     {} {} of {} ({} raw{objects})",
                decimal(b.total.value(), u32::from(m.decimals)),
                coffer_core::text::quote(&m.symbol),
                b.coin_type,
                b.total
            );
        } else {
            println!("coin     {} of {} (raw units, no metadata{objects})", b.total, b.coin_type);
        }
    }
    let more = if complete { "" } else { " or more" };
    println!("objects  {}{more} owned", objects.len());
    println!("reported by {endpoint}");
    Ok(())
}

fn account_json(a: &StellarAccount) -> serde_json::Value {
    let trustlines: Vec<_> = a
        .trustlines
        .iter()
        .map(|t| match t {
            Trustline::Credit { code, issuer, balance, limit } => json!({
                "type": "credit", "code": code, "issuer": issuer, "balance": balance.as_str(), "limit": limit.as_str()
            }),
            Trustline::PoolShares { pool_id, balance, limit } => json!({
                "type": "pool_shares", "pool_id": pool_id, "balance": balance.as_str(), "limit": limit.as_str()
            }),
            _ => json!({ "type": "unknown" }),
        })
        .collect();
    json!({
        "sequence": a.sequence.as_str(),
        "trustlines": trustlines,
        "subentry_count": a.subentry_count,
        "num_sponsoring": a.num_sponsoring,
        "num_sponsored": a.num_sponsored,
        "data": a.data.iter().map(|d| json!({ "name": d.name, "value": d.value })).collect::<Vec<_>>(),
        "signers": a.signers.iter().map(|s| json!({ "key": s.key, "weight": s.weight })).collect::<Vec<_>>(),
        "thresholds": { "low": a.thresholds.low, "med": a.thresholds.med, "high": a.thresholds.high },
        "ledger": a.last_modified_ledger,
    })
}

fn offer_json(o: &Offer) -> serde_json::Value {
    json!({
        "id": o.id.to_string(), "selling": o.selling, "buying": o.buying, "amount": o.amount.as_str(),
        "price_n": o.price_n, "price_d": o.price_d
    })
}

fn claimable_json(c: &ClaimableBalance) -> serde_json::Value {
    json!({ "id": c.id, "asset": c.asset, "amount": c.amount.as_str(), "sponsor": c.sponsor })
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
    if decimals == 0 {
        return value.to_string();
    }
    let scale = 10u128.pow(decimals);
    format!("{}.{:0width$}", value / scale, value % scale, width = decimals as usize)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_keeps_every_digit() {
        assert_eq!(super::decimal(1_000_000_000, 9), "1.000000000");
        assert_eq!(super::decimal(5, 9), "0.000000005");
        assert_eq!(super::decimal(5, 0), "5");
        assert_eq!(super::decimal(u128::MAX, 38), "3.40282366920938463463374607431768211455");
        assert_eq!(super::decimal(u128::from(u64::MAX), 9), "18446744073.709551615");
    }
}
