//! The complete Stellar sweep of `coffer migrate sweep --chain stellar`: from a holdings file (`--holdings`) or
//! from coffer-net (`--online`). The core builds and guards; this module reads, asks, prints and broadcasts.

use coffer_core::holdings::stellar::StellarHoldings;
use coffer_core::migrate::{self, PlanRow, Receipt, StellarSweepParams, StellarSweepPlan};
use coffer_core::sign::{Network, Payload, SignRequest};
use coffer_core::{AccountIndex, AddressIndex, Chain};
use coffer_net_proto::{Call, Reply};
use serde_json::{Value, json};

use super::{planned, receipt_json, row_json};
use crate::cli::{Global, MigrateSweepArgs};
use crate::commands::sign::{confirm, read_text, render, summary_json};
use crate::commands::vault::open;
use crate::error::{CliError, code};
use crate::output::{print_json, print_line};

/// The chain and network of `migrate sweep --online` for coffer-net (for main, which starts coffer-net before
/// anything else), and the Stellar network the transactions are signed for: `public` (or `mainnet`), `testnet`, or
/// a full passphrase (a network of your own: needs --endpoint, and its passphrase is not checked against Horizon).
pub fn online_target(
    args: &MigrateSweepArgs,
) -> Result<(Chain, coffer_net_proto::Chain, coffer_net_proto::Network), CliError> {
    let (_, net) = online_networks(args)?;
    let (chain, proto, net) = crate::commands::balance::net_target(
        "migrate sweep",
        &[Chain::Stellar],
        "stellar",
        net,
        args.endpoint.as_deref(),
    )?;
    Ok((chain, proto, net))
}

/// The Stellar part of a holdings file (docs/cli.md, "Holdings file").
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StellarHoldingsFile {
    chain: String,
    accounts: Vec<StellarHoldings>,
}

/// Most accounts a Stellar holdings file may list.
const MAX_HOLDINGS_ACCOUNTS: usize = 1000;

fn invalid_holdings(message: String) -> CliError {
    CliError::invalid("invalid_holdings", message)
}

/// The accounts a Stellar holdings file lists (also read by `coffer send`).
pub(in crate::commands) fn read_stellar_accounts(path: &std::path::Path) -> Result<Vec<StellarHoldings>, CliError> {
    let text = read_text(path, "holdings")?;
    let file: StellarHoldingsFile =
        serde_json::from_str(&text).map_err(|e| invalid_holdings(format!("the holdings file does not parse: {e}")))?;
    if file.chain != "stellar" {
        return Err(invalid_holdings(format!("the holdings file is for {:?}, not stellar", file.chain)));
    }
    if file.accounts.len() > MAX_HOLDINGS_ACCOUNTS {
        return Err(invalid_holdings(format!("the holdings file lists more than {MAX_HOLDINGS_ACCOUNTS} accounts")));
    }
    Ok(file.accounts)
}

/// The holdings of the old and the new account of `row` from a holdings file.
fn read_stellar_holdings(
    path: &std::path::Path,
    row: &PlanRow,
) -> Result<(StellarHoldings, StellarHoldings), CliError> {
    let accounts = read_stellar_accounts(path)?;
    let find = |address: &str, which: &str| {
        accounts.iter().find(|h| h.address == address).cloned().ok_or_else(|| {
            invalid_holdings(format!(
                "the holdings file has no record of the {which} account {address} (give {{\"address\": \"{address}\", \
                 \"exists\": false}} if it does not exist)"
            ))
        })
    };
    Ok((find(&row.old_address, "old")?, find(&row.new_address, "new")?))
}

/// `migrate sweep --chain stellar --holdings FILE`: the complete sweep, built by the core from the holdings, each
/// transaction checked by the guard, shown, confirmed once, and signed (with the new key too where the new account
/// adds trustlines).
pub(super) fn stellar_holdings_sweep(
    g: &Global,
    args: &MigrateSweepArgs,
    path: &std::path::Path,
) -> Result<(), CliError> {
    let network = Network::parse(
        args.network
            .as_deref()
            .ok_or_else(|| CliError::new(code::USAGE, "usage", "a stellar sweep needs --network"))?,
    )?;
    let vault = open(g)?;
    let row = planned(&vault, &args.from, Chain::Stellar, args.account)?;
    let (old, new) = read_stellar_holdings(path, &row)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let params = StellarSweepParams {
        base_fee: args.base_fee.unwrap_or(migrate::STELLAR_BASE_FEE),
        now: i64::try_from(now).unwrap_or(i64::MAX),
        ..StellarSweepParams::default()
    };
    let plan = migrate::build_stellar_sweep(&old, &new, &params)?;
    sign_stellar_plan(g, args, vault, &row, &plan, &network)
}

/// Guards, shows, confirms and signs every transaction of a complete Stellar sweep, records what stays as the row's
/// manual step, and prints the receipts.
fn sign_stellar_plan(
    g: &Global,
    args: &MigrateSweepArgs,
    vault: crate::commands::vault::OpenVault,
    row: &PlanRow,
    plan: &StellarSweepPlan,
    network: &Network,
) -> Result<(), CliError> {
    let mut vault = vault;
    let (receipts, summaries, row) = sign_stellar_transactions(g, args, &mut vault, row, plan, network)?;
    drop(vault);
    if g.json {
        return print_json(&stellar_plan_json(&row, plan, &receipts, summaries, None));
    }
    for (i, receipt) in receipts.iter().enumerate() {
        if receipts.len() > 1 {
            print_line(&format!("transaction {} of {}:", i + 1, receipts.len()))?;
        }
        print_line(&format!("tx_id: {}", receipt.tx_id))?;
        print_line(&format!("signed_tx: {}", receipt.tx))?;
        print_line("Broadcast it with (in this order; Coffer never does):")?;
        for c in receipt.broadcast() {
            print_line(&format!("  {c}"))?;
        }
    }
    Ok(())
}

/// The JSON of a complete Stellar sweep: the receipts (with their summaries and, online, their ledger results),
/// what moves and what stays.
fn stellar_plan_json(
    row: &PlanRow,
    plan: &StellarSweepPlan,
    receipts: &[Receipt],
    summaries: Vec<Value>,
    results: Option<&[Value]>,
) -> Value {
    let transactions: Vec<Value> = receipts
        .iter()
        .zip(summaries)
        .enumerate()
        .map(|(i, (receipt, summary))| {
            let mut v = receipt_json(receipt, row);
            v["summary"] = summary;
            if let Some(r) = results.and_then(|r| r.get(i)) {
                v["result"] = r.clone();
            }
            v
        })
        .collect();
    json!({
        "chain": "stellar",
        "row": row_json(row),
        "transactions": transactions,
        "moves": plan.moves.iter().map(|m| json!({"asset": m.asset, "amount": m.amount.to_string(), "how": m.how})).collect::<Vec<_>>(),
        "left": plan.left.iter().map(|l| json!({"what": l.what, "amount": l.amount.map(|n| n.to_string()), "reason": l.reason})).collect::<Vec<_>>(),
        "merges": plan.merges,
        "fee": plan.fee.to_string(),
    })
}

/// Guards, shows, confirms and signs; returns the receipts, the summaries (JSON) and the row as saved.
fn sign_stellar_transactions(
    g: &Global,
    args: &MigrateSweepArgs,
    vault: &mut crate::commands::vault::OpenVault,
    row: &PlanRow,
    plan: &StellarSweepPlan,
    network: &Network,
) -> Result<(Vec<Receipt>, Vec<Value>, PlanRow), CliError> {
    let requests: Vec<SignRequest> = plan
        .transactions
        .iter()
        .map(|tx| SignRequest::new(Chain::Stellar, Payload::Transaction(tx.clone())).with_network(network.clone()))
        .collect();
    // The guard runs on every transaction before anything is shown or asked.
    let mut shown = Vec::with_capacity(requests.len());
    let mut summaries = Vec::with_capacity(requests.len());
    for r in &requests {
        let (decoded, _) = vault.check_sweep(&args.from, r)?;
        shown.push(render(decoded.summary()));
        summaries.push(summary_json(decoded.summary()));
    }
    let amount = |n: i64| coffer_core::sign::stellar::format_amount(n);
    let mut preview = Vec::new();
    for m in &plan.moves {
        preview.push(format!("moves: {} {} ({})", amount(m.amount), m.asset, m.how));
    }
    for l in &plan.left {
        let a = l.amount.map(|n| format!(" {}", amount(n))).unwrap_or_default();
        preview.push(format!("stays: {}{a}: {}", l.what, l.reason));
    }
    if !g.json {
        for s in &shown {
            eprintln!("{s}");
        }
        for p in &preview {
            eprintln!("coffer: {}", crate::output::safe(p));
        }
    }
    if !args.yes {
        let mut show = if g.json { shown.clone() } else { Vec::new() };
        if g.json {
            show.extend(preview.iter().cloned());
        }
        confirm(&show, requests.len(), false)?;
    }
    if !plan.left.is_empty() {
        let note: Vec<String> = plan.left.iter().map(|l| format!("{} stays: {}", l.what, l.reason)).collect();
        let account = AccountIndex::new(args.account)?;
        vault.note_manual_step(&args.from, Chain::Stellar, account, AddressIndex::ZERO, &note.join("; "))?;
    }
    let mut receipts = Vec::with_capacity(requests.len());
    vault.sign_sweeps(&args.from, &requests, &mut receipts)?;
    let m = vault.migration(&args.from)?;
    let row = m.rows.iter().find(|r| r.old_address == row.old_address).unwrap_or(row).clone();
    Ok((receipts, summaries, row))
}

/// The signing network and the name of coffer-net's network for `--online`.
fn online_networks(args: &MigrateSweepArgs) -> Result<(Network, &'static str), CliError> {
    let name =
        args.network.as_deref().ok_or_else(|| CliError::new(code::USAGE, "usage", "--online needs --network"))?;
    let network = Network::parse(name)?;
    let net = match &network {
        Network::Public => "public",
        Network::Testnet => "testnet",
        Network::Futurenet => {
            return Err(CliError::invalid("unknown_network", "coffer-net serves stellar public and testnet only"));
        }
        _ => "localnet",
    };
    Ok((network, net))
}

/// `migrate sweep --chain stellar --online`: the holdings of the old and the new account from coffer-net, the
/// complete sweep built, guarded, confirmed and signed as with a holdings file, then each transaction broadcast
/// (Horizon `POST /transactions`; the hash Horizon reports must be the one computed here) and followed to its ledger
/// before the next one is sent.
pub(super) fn stellar_online_sweep(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    let (network, _) = online_networks(args)?;
    let (_, proto, net_network) = online_target(args)?;
    let mut net = crate::net::client()?;
    let mut vault = open(g)?;
    let row = planned(&vault, &args.from, Chain::Stellar, args.account)?;
    // The shared conversion of the app and the CLI (coffer_net_proto::holdings).
    let fetched = coffer_net_proto::holdings::stellar(
        net.shared(),
        net_network,
        &row.old_address,
        &row.new_address,
        &mut |_, _| {},
    )
    .map_err(crate::net::fetch_error)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let params = StellarSweepParams {
        base_fee: args.base_fee.unwrap_or(migrate::STELLAR_BASE_FEE),
        now: i64::try_from(now).unwrap_or(i64::MAX),
        ..StellarSweepParams::default()
    };
    let mut plan = migrate::build_stellar_sweep(&fetched.old, &fetched.new, &params)?;
    plan.left.extend(fetched.unclaimed);
    // The vault stays open (and locked) until the end: each step is recorded in it as soon as it happens.
    let (receipts, summaries, row) = sign_stellar_transactions(g, args, &mut vault, &row, &plan, &network)?;
    let mut results = Vec::with_capacity(receipts.len());
    for (i, receipt) in receipts.iter().enumerate() {
        let (reply, endpoint) =
            net.call(proto, net_network, Call::SendTransaction { transaction: receipt.tx.clone() }).map_err(|e| {
                super::record_failure(&mut vault, &args.from, receipt, net_network, (super::Phase::Sending, ""), e)
            })?;
        let Reply::Sent { signature } = reply else { return Err(crate::commands::balance::other_reply()) };
        if !signature.eq_ignore_ascii_case(&receipt.tx_id) {
            return Err(CliError::new(
                code::NETWORK,
                "signature_mismatch",
                format!("the endpoint reported transaction {signature}, but the transaction sent is {}", receipt.tx_id),
            ));
        }
        let sent_to = endpoint.clone().unwrap_or_default();
        super::record_sent(&mut vault, &args.from, receipt, net_network, &sent_to, false)?;
        let status = wait_ledger(&mut net, proto, net_network, &receipt.tx_id, args.timeout)?;
        if status.failed {
            let e = CliError::new(
                code::TX_FAILED,
                "transaction_failed",
                format!(
                    "transaction {} of {} ({}) failed in ledger {}: nothing of it applied",
                    i + 1,
                    receipts.len(),
                    receipt.tx_id,
                    status.slot
                ),
            );
            return Err(super::record_failure(
                &mut vault,
                &args.from,
                receipt,
                net_network,
                (super::Phase::Waiting, &sent_to),
                e,
            ));
        }
        // In a closed ledger: final.
        let explorer = super::record_sent(&mut vault, &args.from, receipt, net_network, &sent_to, true)?;
        if !g.json {
            print_line(&format!(
                "transaction {} of {}: {} in ledger {} (reported by {}){}",
                i + 1,
                receipts.len(),
                receipt.tx_id,
                status.slot,
                endpoint.as_deref().unwrap_or("coffer-net"),
                explorer.map(|e| format!(" {e}")).unwrap_or_default()
            ))?;
        }
        results.push(json!({"ledger": status.slot, "failed": false, "endpoint": endpoint}));
    }
    let receipts = super::refreshed(&vault, &args.from, &receipts)?;
    let row = vault.migration(&args.from)?.rows.into_iter().find(|r| r.old_address == row.old_address).unwrap_or(row);
    drop(vault);
    if g.json {
        return print_json(&stellar_plan_json(&row, &plan, &receipts, summaries, Some(&results)));
    }
    Ok(())
}

/// Asks for the transaction's status every half second until Horizon has it in a ledger, for at most `timeout`
/// seconds.
fn wait_ledger(
    net: &mut crate::net::NetClient,
    proto: coffer_net_proto::Chain,
    network: coffer_net_proto::Network,
    id: &str,
    timeout: u64,
) -> Result<coffer_net_proto::SignatureStatus, CliError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(timeout);
    loop {
        let (reply, _) = net.call(proto, network, Call::SignatureStatuses { signatures: vec![id.to_owned()] })?;
        let Reply::SignatureStatuses { statuses } = reply else { return Err(crate::commands::balance::other_reply()) };
        if let Some(Some(status)) = statuses.into_iter().next() {
            return Ok(status);
        }
        if std::time::Instant::now() >= deadline {
            return Err(CliError::new(
                code::NETWORK,
                "confirmation_timeout",
                format!("transaction {id} was not in a ledger after {timeout} s; it may still be: check its status"),
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}
