//! `coffer send`: a payment of a coin or token from a seed's account, built by the core (`coffer_core::send`), shown
//! with the same summary `coffer sign` shows for the same bytes and the fee, confirmed, signed, and printed (offline)
//! or broadcast through coffer-net (`--online --broadcast`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::Chain;
use coffer_core::holdings::iota_sui::{IOTA_COIN_TYPE, SUI_COIN_TYPE};
use coffer_core::holdings::solana::SolanaHoldings;
use coffer_core::holdings::stellar::StellarAsset;
use coffer_core::migrate::{self, SolanaRecent};
use coffer_core::send::{
    self, Amount, BuiltSend, MoveSend, SendError, SolanaSend, StellarRecipient, StellarSend, parse_amount,
};
use coffer_core::sign::stellar::Memo;
use coffer_core::sign::{Blind, Network, Signed};
use coffer_core::{AccountIndex, AddressIndex};
use coffer_net_proto::{Call, Confirmation, Reply};
use serde_json::{Value, json};

use super::balance::other_reply;
use super::sign::{confirm, render, summary_json};
use super::vault::{one_stdin, open};
use crate::cli::{Global, SendArgs};
use crate::error::{CliError, code};
use crate::net::NetClient;
use crate::output::{print_json, print_line, warn};

const SERVED: &[Chain] = &[Chain::Solana, Chain::Stellar, Chain::Iota, Chain::Sui];

/// The chain and network of `send --online` for coffer-net (for main, which starts coffer-net before anything
/// else).
pub fn online_target(args: &SendArgs) -> Result<(Chain, coffer_net_proto::Chain, coffer_net_proto::Network), CliError> {
    super::balance::net_target(
        "send",
        SERVED,
        &args.chain,
        args.network.as_deref().unwrap_or("mainnet"),
        args.endpoint.as_deref(),
    )
}

type Online = (NetClient, coffer_net_proto::Chain, coffer_net_proto::Network, String);

pub fn run(g: &Global, args: &SendArgs) -> Result<(), CliError> {
    let chain: Chain = args.chain.parse()?;
    if !SERVED.contains(&chain) {
        return Err(CliError::invalid(
            "unsupported",
            format!("coffer send serves solana, stellar, iota and sui, not {chain}"),
        ));
    }
    check_flags(chain, args)?;
    one_stdin(&[g.password_file.as_deref(), args.holdings.as_deref()])?;
    // The recipient and the amount's form are checked before anything is read or asked.
    send::parse_recipient(chain, &args.to)?;
    // (Its decimals and size are checked once the asset's decimals are known.)
    if let Err(e @ (SendError::BadAmount { .. } | SendError::ZeroAmount)) = parse_amount(&args.amount, 38, "the amount")
    {
        return Err(e.into());
    }
    let mut online: Option<Online> = None;
    if args.online {
        let (_, proto, network) = online_target(args)?;
        online = Some((crate::net::client()?, proto, network, String::new()));
    }
    // The sender's address needs the seed: the vault is opened (and the password asked) once, here.
    let mut vault = open(g)?;
    let from = vault.account(&args.seed, chain, AccountIndex::new(args.account)?, AddressIndex::ZERO)?.address;
    let compromised = send::compromised_owner(&vault, chain, &args.to)?;
    if let Some(owner) = &compromised {
        let what = format!(
            "the recipient {} is account {} of seed {:?}, which is marked compromised: whoever took that seed can \
             take what is sent there",
            args.to.trim(),
            owner.account,
            owner.label
        );
        if !args.allow_compromised_recipient {
            return Err(CliError::new(
                code::REFUSED,
                "compromised_recipient",
                format!("{what}; nothing was signed (--allow-compromised-recipient sends anyway)"),
            ));
        }
        warn(g.json, "compromised_recipient", &what);
    }
    let built = match chain {
        Chain::Solana => solana(args, &from, online.as_mut())?,
        Chain::Stellar => stellar(args, &from, online.as_mut())?,
        _ => move_chain(chain, args, &from, online.as_mut())?,
    };
    let shown = render(built.decoded.summary());
    let fee_line = fee_text(chain, &built);
    if !g.json {
        eprintln!("{shown}");
        eprintln!("  send: {} {} to {}", built.amount_text(), built.asset, args.to.trim());
        if built.transfer_fee > 0 {
            eprintln!("  arrives: {} {} (the token's transfer fee is withheld)", arrives_text(&built), built.asset);
        }
        eprintln!("  fee: {fee_line}");
        for n in &built.notes {
            eprintln!("  note: {n}");
        }
    }
    if !args.yes {
        let mut show = Vec::new();
        if g.json {
            show.push(shown.clone());
            show.push(format!("  fee: {fee_line}"));
        }
        confirm(&show, 1, false)?;
    }
    let signed =
        vault.sign(&args.seed, &built.decoded, AccountIndex::new(args.account)?, AddressIndex::ZERO, Blind::Refuse)?;
    drop(vault);
    let mut out = result_json(chain, &from, args, &built, &signed, compromised.is_some());
    if let Some((mut net, proto, network, endpoint)) = online {
        out["endpoint"] = json!(endpoint);
        if args.broadcast {
            out["broadcast"] = broadcast(args, &mut net, chain, proto, network, &built, &signed, &out)?;
        }
    }
    if g.json {
        return print_json(&out);
    }
    print_line(&format!("signature: {}", signed.signature))?;
    if let Some(tx) = &signed.signed_tx {
        print_line(&format!("signed_tx: {tx}"))?;
    } else {
        print_line(&format!("tx: {}", out["tx"].as_str().unwrap_or_default()))?;
    }
    print_line(&format!("tx_id: {}", out["tx_id"].as_str().unwrap_or_default()))?;
    if let Some(b) = out.get("broadcast") {
        let status = b["confirmation"].as_str().unwrap_or("sent");
        print_line(&format!("broadcast: {status} ({})", b["endpoint"].as_str().unwrap_or_default()))?;
        if let Some(e) = b["explorer"].as_str() {
            print_line(&format!("explorer: {e}"))?;
        }
    }
    Ok(())
}

/// Flags of another chain are refused rather than ignored.
fn check_flags(chain: Chain, args: &SendArgs) -> Result<(), CliError> {
    let conflict = |flag: &str, chains: &str| {
        Err(CliError::invalid("conflicting_arguments", format!("{flag} is for {chains}, not {chain}")))
    };
    let stellar_only =
        args.asset.is_some() || args.memo.is_some() || args.memo_id.is_some() || args.memo_hash.is_some();
    if chain != Chain::Stellar && stellar_only {
        return conflict("--asset/--memo", "stellar");
    }
    if chain != Chain::Solana
        && (args.mint.is_some() || args.blockhash.is_some() || args.nonce_account.is_some() || args.priority_fee > 0)
    {
        return conflict("--mint/--blockhash/--nonce-account/--priority-fee", "solana");
    }
    if !matches!(chain, Chain::Iota | Chain::Sui) && (args.coin_type.is_some() || args.gas_price.is_some()) {
        return conflict("--coin-type/--gas-price", "iota and sui");
    }
    Ok(())
}

fn fee_text(chain: Chain, b: &BuiltSend) -> String {
    let (unit, symbol) = match chain {
        Chain::Solana => ("lamports", "SOL"),
        Chain::Stellar => ("stroops", "XLM"),
        Chain::Iota => ("nanos", "IOTA"),
        _ => ("MIST", "SUI"),
    };
    let decimals = if chain == Chain::Stellar { 7 } else { 9 };
    let mut s = format!("{} {symbol} ({} {unit})", send::format_units(b.fee, decimals), b.fee);
    if matches!(chain, Chain::Iota | Chain::Sui) {
        s.push_str(" at most (the gas budget)");
    }
    if b.deposit > 0 {
        s.push_str(&format!(", and up to {} {symbol} of rent deposit", send::format_units(b.deposit, decimals)));
    }
    if b.transfer_fee > 0 {
        s.push_str(&format!(
            "; the token's transfer fee withholds {} of the amount: {} arrive",
            send::format_units(b.transfer_fee, b.decimals),
            arrives_text(b)
        ));
    }
    s
}

fn arrives_text(b: &BuiltSend) -> String {
    send::format_units(b.arrives(), b.decimals)
}

fn io_holdings(chain: Chain, args: &SendArgs) -> Result<&std::path::Path, CliError> {
    args.holdings.as_deref().ok_or_else(|| {
        CliError::new(code::USAGE, "usage", format!("{chain}: give --holdings FILE (offline) or --online"))
    })
}

fn mismatch_holdings(from: &str, listed: &str) -> CliError {
    CliError::invalid("invalid_holdings", format!("the holdings are of {listed}, not of the sending account {from}"))
}

fn amount_of(args: &SendArgs, decimals: u8, asset: &str) -> Result<Amount, CliError> {
    Ok(parse_amount(&args.amount, decimals, asset)?)
}

// ---------------------------------------------------------------- Solana

fn solana(args: &SendArgs, from: &str, online: Option<&mut Online>) -> Result<BuiltSend, CliError> {
    let (holdings, recent, (exists, recipient_frozen), recipient_lamports) = match online {
        None => {
            let text = super::sign::read_text(io_holdings(Chain::Solana, args)?, "holdings")?;
            let holdings = super::migrate::parse_solana_holdings(&text)?;
            let recent = match (&args.blockhash, &args.nonce_account, &args.nonce) {
                (Some(h), None, None) => SolanaRecent::Blockhash(migrate::parse_blockhash(h, "blockhash")?),
                (None, Some(a), Some(v)) => SolanaRecent::Nonce {
                    account: migrate::parse_blockhash(a, "nonce account")?,
                    value: migrate::parse_blockhash(v, "nonce value")?,
                },
                _ => {
                    return Err(CliError::new(
                        code::USAGE,
                        "usage",
                        "solana offline: give --blockhash HASH, or --nonce-account and --nonce",
                    ));
                }
            };
            (holdings, recent, (false, false), None)
        }
        Some((net, proto, network, endpoint)) => {
            let amount = |a: coffer_net_proto::Amount| u64::try_from(a.value()).map_err(|_| other_reply());
            let (reply, at) = net.call(*proto, *network, Call::Balance { address: from.to_owned() })?;
            *endpoint = at.unwrap_or_default();
            let Reply::Balance { amount: lamports, .. } = reply else { return Err(other_reply()) };
            let mut holdings =
                SolanaHoldings { address: from.to_owned(), lamports: amount(lamports)?, ..Default::default() };
            let (mut exists, mut frozen) = (false, false);
            if let Some(mint) = &args.mint {
                // The sender's accounts of the mint (with its decimals and Token-2022 extensions: the core refuses
                // what the program would, sizes the new account) and the recipient's associated account.
                holdings.token_accounts = coffer_net_proto::holdings::solana_token_accounts(
                    net.shared(),
                    *network,
                    from,
                    Some(args.to.trim()),
                    Some(mint.trim()),
                    &mut |_| {},
                )
                .map_err(crate::net::fetch_error)?;
                if let Some(t) = holdings.token_accounts.first() {
                    (exists, frozen) = (t.destination_rent == Some(0), t.destination_frozen);
                }
            }
            let Reply::LatestBlockhash { blockhash, .. } = net.call(*proto, *network, Call::LatestBlockhash)?.0 else {
                return Err(other_reply());
            };
            let recipient = match &args.mint {
                Some(_) => None,
                None => {
                    let call = Call::Balance { address: args.to.trim().to_owned() };
                    let Reply::Balance { amount: theirs, .. } = net.call(*proto, *network, call)?.0 else {
                        return Err(other_reply());
                    };
                    Some(amount(theirs)?)
                }
            };
            let recent = SolanaRecent::Blockhash(migrate::parse_blockhash(&blockhash, "blockhash")?);
            (holdings, recent, (exists, frozen), recipient)
        }
    };
    if holdings.address != from {
        return Err(mismatch_holdings(from, &holdings.address));
    }
    let decimals = match &args.mint {
        None => 9,
        Some(m) => {
            holdings.token_accounts.iter().find(|t| t.mint == m.trim()).map(|t| t.decimals).ok_or_else(|| {
                CliError::from(SendError::AssetNotHeld { asset: format!("token of mint {}", m.trim()) })
            })?
        }
    };
    let asset = args.mint.as_deref().map_or("SOL", str::trim);
    let send = SolanaSend {
        to: args.to.trim().to_owned(),
        amount: amount_of(args, decimals, asset)?,
        mint: args.mint.as_ref().map(|m| m.trim().to_owned()),
        recipient_token_account_exists: exists,
        recipient_token_account_frozen: recipient_frozen,
        recipient_lamports,
        compute_unit_price: args.priority_fee,
        recent,
    };
    Ok(send::build_solana_send(&holdings, &send)?)
}

// ---------------------------------------------------------------- Stellar

fn memo(args: &SendArgs) -> Result<Memo, CliError> {
    Ok(match (&args.memo, &args.memo_id, &args.memo_hash) {
        (Some(t), _, _) => send::parse_memo("text", t)?,
        (_, Some(i), _) => send::parse_memo("id", i)?,
        (_, _, Some(h)) => send::parse_memo("hash", h)?,
        _ => Memo::None,
    })
}

fn stellar(args: &SendArgs, from: &str, online: Option<&mut Online>) -> Result<BuiltSend, CliError> {
    let to = args.to.trim();
    let asset = match &args.asset {
        None => StellarAsset::Native,
        Some(a) => StellarAsset::parse(a.trim())
            .map_err(|_| CliError::invalid("invalid_asset", format!("--asset {a:?}: expected CODE:ISSUER")))?,
    };
    let (holdings, recipient, network) = match online {
        None => {
            let name = args.network.as_deref().ok_or_else(|| {
                CliError::new(code::USAGE, "usage", "stellar offline: give --network (public, testnet or a passphrase)")
            })?;
            let network = Network::parse(name)?;
            let accounts = super::migrate::read_stellar_accounts(io_holdings(Chain::Stellar, args)?)?;
            let find = |a: &str| accounts.iter().find(|h| h.address == a);
            let holdings = find(from).cloned().ok_or_else(|| {
                CliError::invalid("invalid_holdings", format!("the holdings file has no record of the sender {from}"))
            })?;
            let recipient = find(to).map(|h| StellarRecipient::of(h, &asset)).ok_or_else(|| {
                CliError::invalid(
                    "invalid_holdings",
                    format!(
                        "the holdings file has no record of the recipient {to}: list {{\"address\": \"{to}\", \
                         \"exists\": true}} or false, as Horizon answers (with its \"trustlines\" for --asset)"
                    ),
                )
            })?;
            (holdings, recipient, network)
        }
        Some((net, proto, network, endpoint)) => {
            let signing = match network {
                coffer_net_proto::Network::Mainnet => Network::Public,
                coffer_net_proto::Network::Testnet => Network::Testnet,
                _ => {
                    return Err(CliError::invalid(
                        "unsupported",
                        "coffer send --online serves stellar public and testnet (a network of your own: offline)",
                    ));
                }
            };
            let (reply, at) = net.call(*proto, *network, Call::Account { address: from.to_owned() })?;
            *endpoint = at.unwrap_or_default();
            let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
            let holdings = coffer_net_proto::holdings::stellar_account(from, account.as_ref(), &[])
                .map_err(crate::net::fetch_error)?;
            let Reply::Account { account: theirs, .. } =
                net.call(*proto, *network, Call::Account { address: to.to_owned() })?.0
            else {
                return Err(other_reply());
            };
            let theirs = coffer_net_proto::holdings::stellar_account(to, theirs.as_ref(), &[])
                .map_err(crate::net::fetch_error)?;
            (holdings, StellarRecipient::of(&theirs, &asset), signing)
        }
    };
    let label = match &asset {
        StellarAsset::Native => "XLM".to_owned(),
        a => a.to_string(),
    };
    let send = StellarSend {
        to: to.to_owned(),
        recipient,
        asset,
        amount: amount_of(args, 7, &label)?,
        memo: memo(args)?,
        fee: args.fee,
        base_reserve: migrate::STELLAR_BASE_RESERVE,
        network,
    };
    Ok(send::build_stellar_send(&holdings, &send)?)
}

// ---------------------------------------------------------------- IOTA, Sui

fn move_chain(chain: Chain, args: &SendArgs, from: &str, online: Option<&mut Online>) -> Result<BuiltSend, CliError> {
    let native = if chain == Chain::Iota { IOTA_COIN_TYPE } else { SUI_COIN_TYPE };
    let (holdings, gas_price, decimals) = match online {
        None => {
            let holdings = super::migrate::read_holdings(chain, io_holdings(chain, args)?)?;
            let decimals = match &args.coin_type {
                None => 9,
                Some(_) => args.decimals.ok_or_else(|| {
                    CliError::new(code::USAGE, "usage", "a token offline: give its --decimals (from its coin metadata)")
                })?,
            };
            (holdings, args.gas_price.unwrap_or(migrate::DEFAULT_GAS_PRICE), decimals)
        }
        Some((net, proto, network, endpoint)) => {
            let coin_type = args.coin_type.as_deref().map(str::trim);
            let f = coffer_net_proto::holdings::move_send(net.shared(), *proto, *network, from, coin_type)
                .map_err(crate::net::fetch_error)?;
            *endpoint = f.endpoint;
            let decimals = match (coin_type, f.decimals, args.decimals) {
                (None, ..) => 9,
                (Some(_), Some(d), _) | (Some(_), None, Some(d)) => d,
                (Some(t), None, None) => {
                    return Err(CliError::invalid(
                        "unknown_decimals",
                        format!("{t} has no coin metadata on this network: give its --decimals"),
                    ));
                }
            };
            (f.holdings, args.gas_price.unwrap_or(migrate::DEFAULT_GAS_PRICE).max(f.reference_gas_price), decimals)
        }
    };
    if coffer_core::holdings::iota_sui::parse_object_id(&holdings.address)
        != coffer_core::holdings::iota_sui::parse_object_id(from)
    {
        return Err(mismatch_holdings(from, &holdings.address));
    }
    let label = args.coin_type.as_deref().map_or(native, str::trim);
    let send = MoveSend {
        chain,
        to: args.to.trim().to_owned(),
        coin_type: args.coin_type.as_ref().map(|t| t.trim().to_owned()),
        decimals,
        amount: amount_of(args, decimals, label)?,
        gas_price,
    };
    Ok(send::build_move_send(&holdings, &send)?)
}

// ---------------------------------------------------------------- output and broadcast

fn tx_bytes(built: &BuiltSend) -> &[u8] {
    match &built.request.payload {
        coffer_core::sign::Payload::TransactionBytes(b) => b,
        _ => &[],
    }
}

fn result_json(chain: Chain, from: &str, args: &SendArgs, b: &BuiltSend, s: &Signed, compromised: bool) -> Value {
    let tx_id = match chain {
        Chain::Solana => s.signature.clone(),
        Chain::Stellar => s.digest.iter().map(|x| format!("{x:02x}")).collect(),
        _ => migrate::iota_sui_digest(tx_bytes(b)),
    };
    let mut v = json!({
        "chain": chain.name(),
        "seed": args.seed,
        "account": args.account,
        "from": from,
        "to": args.to.trim(),
        "asset": b.asset,
        "amount": b.amount_text(),
        "amount_base_units": b.amount.to_string(),
        "decimals": b.decimals,
        "fee": b.fee.to_string(),
        "deposit": b.deposit.to_string(),
        "transfer_fee": b.transfer_fee.to_string(),
        "arrives": arrives_text(b),
        "arrives_base_units": b.arrives().to_string(),
        "notes": b.notes,
        "compromised_recipient": compromised,
        "summary": summary_json(b.decoded.summary()),
        "signature": s.signature,
        "tx": B64.encode(tx_bytes(b)),
        "tx_id": tx_id,
    });
    if let Some(t) = &s.signed_tx {
        v["signed_tx"] = json!(t);
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn broadcast(
    args: &SendArgs,
    net: &mut NetClient,
    chain: Chain,
    proto: coffer_net_proto::Chain,
    network: coffer_net_proto::Network,
    built: &BuiltSend,
    signed: &Signed,
    out: &Value,
) -> Result<Value, CliError> {
    let id = out["tx_id"].as_str().unwrap_or_default().to_owned();
    let call = match chain {
        Chain::Iota | Chain::Sui => Call::ExecuteTransaction {
            transaction: B64.encode(tx_bytes(built)),
            signatures: vec![signed.signature.clone()],
        },
        _ => Call::SendTransaction { transaction: signed.signed_tx.clone().unwrap_or_default() },
    };
    let (reply, endpoint) = net.call(proto, network, call)?;
    let Reply::Sent { signature } = reply else { return Err(other_reply()) };
    if signature != id {
        return Err(CliError::new(
            code::NETWORK,
            "signature_mismatch",
            format!("the endpoint reported the id {signature}, not the transaction's own {id}: it cannot be trusted"),
        ));
    }
    let endpoint = endpoint.unwrap_or_default();
    let explorer = coffer_core::explorer::transaction_url(chain, network.name(), &endpoint, &id);
    let mut b = json!({ "signature": id, "endpoint": endpoint, "explorer": explorer });
    if !args.wait {
        return Ok(b);
    }
    let status = super::online::await_status(net, proto, network, &id, args.timeout)?;
    b["confirmation"] = json!(match status.confirmation {
        Confirmation::Finalized => "finalized",
        Confirmation::Confirmed => "confirmed",
        _ => "processed",
    });
    b["slot"] = json!(status.slot);
    Ok(b)
}
