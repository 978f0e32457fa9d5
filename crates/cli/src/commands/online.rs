//! `coffer broadcast`, `coffer history` and `coffer watch`: through the network process coffer-net, never a
//! socket of this process.
//!
//! Nothing an endpoint says is taken on trust where Coffer can check it: a broadcast must come back with the
//! transaction's own id (its first signature); a transaction fetched for `history` and `watch` is decoded here, its
//! first signature must be the id asked about, and the watched address's signature in it must verify (ed25519)
//! before it counts as *outgoing*. It is then looked up in the vault's signing log by what the log records for a
//! Solana signature: sha256 of the message bytes ([`coffer_core::sign::solana::Transaction::log_digest`]).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use coffer_core::vault::VaultError;
use coffer_core::{AccountIndex, AddressIndex, Chain};
use coffer_net_proto::{Call, Confirmation, MAX_HISTORY, Network, Reply, SignatureInfo};
use serde_json::{Value, json};

use super::balance::{net_target, other_reply};
use crate::cli::{BroadcastArgs, Global, HistoryArgs, NetArgs, WatchArgs};
use crate::error::{CliError, code};
use crate::net::NetClient;
use crate::output::{json_line, print_json, print_line, warn};

type Target = (Chain, coffer_net_proto::Chain, Network);

/// Parses the network flags of `command` (for main, which starts coffer-net before anything else).
pub fn target(command: &str, net: &NetArgs) -> Result<Target, CliError> {
    let served: &[Chain] = match command {
        "broadcast" | "history" => &[Chain::Solana, Chain::Iota, Chain::Sui, Chain::Stellar],
        "watch" => &[Chain::Solana, Chain::Iota, Chain::Sui, Chain::Stellar],
        _ => &[Chain::Solana],
    };
    net_target(command, served, &net.chain, &net.network, net.endpoint.as_deref())
}

/// How often `broadcast --wait` asks for the status.
const POLL: Duration = Duration::from_millis(500);

/// The Stellar network whose passphrase a transaction's hash is computed with (public and testnet: a network of
/// your own has a passphrase coffer cannot know from `localnet`).
fn stellar_passphrase(network: Network) -> Result<coffer_core::sign::Network, CliError> {
    match network {
        Network::Mainnet => Ok(coffer_core::sign::Network::Public),
        Network::Testnet => Ok(coffer_core::sign::Network::Testnet),
        _ => Err(CliError::invalid(
            "unsupported",
            "a stellar transaction's hash needs its network passphrase: broadcast and history serve stellar public \
             and testnet",
        )),
    }
}

/// A signed Stellar envelope: its hash (hex) under `network`, after checking that the source account's signature
/// (and every other signature whose hint is one of its signers') verifies.
fn stellar_signed(text: &str, network: Network) -> Result<(String, Vec<u8>), CliError> {
    let passphrase = stellar_passphrase(network)?;
    let bad = |e: String| CliError::invalid("invalid_transaction", format!("not a Stellar transaction envelope: {e}"));
    let bytes = BASE64.decode(text.trim()).map_err(|e| bad(e.to_string()))?;
    let env = coffer_core::sign::stellar::decode_envelope(&bytes).map_err(|e| bad(e.to_string()))?;
    if env.signatures.is_empty() {
        return Err(CliError::invalid(
            "unsigned_transaction",
            "the transaction is not signed (sign it first: coffer sign)",
        ));
    }
    let hash = env.hash(&passphrase);
    let invalid = || {
        CliError::invalid(
            "invalid_signature",
            "the source account's signature is missing or does not verify: the transaction was changed after \
             signing, signed by another key, or for another network",
        )
    };
    for key in env.signers() {
        match env.signed_by(&key, &passphrase) {
            Some(false) => return Err(invalid()),
            None if key == env.source.key => return Err(invalid()),
            _ => {}
        }
    }
    Ok((hex_lower(&hash), bytes))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A signed Solana transaction: its id (first signature) and wire bytes, after checking the fee payer's signature.
fn solana_signed(text: &str) -> Result<(String, Vec<u8>), CliError> {
    let tx = coffer_core::sign::solana_input(text.trim())
        .map_err(|e| CliError::invalid("invalid_transaction", format!("not a Solana transaction: {e}")))?;
    // The id the network must report, and a check that the fee payer really signed (an unsigned or half-signed
    // transaction would only be refused by the endpoint, after it learnt of it).
    let id = tx.id().ok_or_else(|| {
        CliError::invalid("unsigned_transaction", "the transaction is not signed (sign it first: coffer sign)")
    })?;
    if tx.signed_by(&tx.message.fee_payer()) != Some(true) {
        return Err(CliError::invalid(
            "invalid_signature",
            "the fee payer's signature does not verify: the transaction was changed after signing, or signed by another key",
        ));
    }
    let wire = coffer_core::sign::solana::encode_transaction(&tx.signatures, &tx.message_bytes);
    Ok((id, wire))
}

pub fn broadcast(g: &Global, args: &BroadcastArgs) -> Result<(), CliError> {
    let (chain, proto, network) = target("broadcast", &args.net)?;
    if args.from.is_some() {
        // The vault's password and the transaction cannot both come from standard input.
        super::vault::one_stdin(&[g.password_file.as_deref(), Some(args.tx_file.as_path())])?;
    }
    if matches!(chain, Chain::Iota | Chain::Sui) {
        return broadcast_move(g, args, (chain, proto, network));
    }
    if !args.signature.is_empty() {
        return Err(CliError::invalid(
            "conflicting_arguments",
            "--signature is for iota and sui; a Solana or Stellar transaction carries its signatures",
        ));
    }
    let text = super::sign::read_text(&args.tx_file, "transaction")?;
    let (id, wire) = if chain == Chain::Stellar { stellar_signed(&text, network)? } else { solana_signed(&text)? };
    let mut net = crate::net::client()?;
    let call = Call::SendTransaction { transaction: BASE64.encode(wire) };
    send_and_wait(g, args, &mut net, (chain, proto, network), call, id)
}

/// With `--from OLD`: the vault, opened before anything is sent, and the migration's receipt of `id` (a
/// transaction that is not one of its signed sweeps is refused, `unknown_receipt`, and not sent).
fn sweep_receipt(
    g: &Global,
    args: &BroadcastArgs,
    chain: Chain,
    id: &str,
) -> Result<Option<(super::vault::OpenVault, coffer_core::migrate::Receipt)>, CliError> {
    let Some(from) = &args.from else { return Ok(None) };
    let vault = super::vault::open(g)?;
    let receipt = vault.migration(from)?.receipts.into_iter().rev().find(|r| r.tx_id == id && r.chain == chain);
    let Some(receipt) = receipt else {
        return Err(VaultError::Migrate(coffer_core::migrate::MigrateError::UnknownReceipt {
            tx_id: id.chars().take(100).collect(),
        })
        .into());
    };
    Ok(Some((vault, receipt)))
}

/// IOTA and Sui: the transaction data and its signatures, each checked here before anything is sent: the bytes
/// decode as a programmable transaction, every signature is an ed25519 signature of one of its signers (the sender
/// or the gas owner) over the transaction's intent digest, and the sender's is among them. The id is the
/// transaction digest, computed here.
fn broadcast_move(g: &Global, args: &BroadcastArgs, (chain, proto, network): Target) -> Result<(), CliError> {
    use coffer_core::sign::iota_sui::{self, TransactionData};
    let text = super::sign::read_text(&args.tx_file, "transaction")?;
    let invalid = |why: &str| CliError::invalid("invalid_transaction", format!("not a {chain} transaction: {why}"));
    let bytes = BASE64.decode(text.trim()).map_err(|_| invalid("not base64 TransactionData"))?;
    let tx = match iota_sui::decode_transaction(chain, &bytes).map_err(|e| invalid(&e.to_string()))? {
        TransactionData::Programmable(tx) => tx,
        _ => return Err(invalid("a system transaction")),
    };
    if args.signature.is_empty() {
        return Err(CliError::invalid(
            "unsigned_transaction",
            "give the transaction's signatures with --signature (sign it first: coffer sign)",
        ));
    }
    let digest = iota_sui::intent_digest(iota_sui::INTENT_TRANSACTION, &bytes);
    let signers: Vec<String> = tx.signers().iter().map(iota_sui::hex_address).collect();
    let mut signed = Vec::with_capacity(args.signature.len());
    for text in &args.signature {
        let bad = |why: &str| CliError::invalid("invalid_signature", format!("--signature {text}: {why}"));
        let raw = BASE64.decode(text.trim()).map_err(|_| bad("not base64"))?;
        let Ok(raw) = <[u8; 97]>::try_from(raw.as_slice()) else {
            return Err(bad("not an ed25519 signature (flag 0x00, 64 signature bytes, 32 public key bytes)"));
        };
        if raw[0] != 0 {
            return Err(bad("not an ed25519 signature (flag 0x00)"));
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(&raw[65..]);
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&raw[1..65]);
        let address = chain.address(&coffer_core::PublicKey(key));
        if !signers.contains(&address) {
            return Err(bad(&format!("its key ({address}) is neither the sender nor the gas owner")));
        }
        let verifies = ed25519_dalek::VerifyingKey::from_bytes(&key)
            .is_ok_and(|k| k.verify_strict(&digest, &ed25519_dalek::Signature::from_bytes(&sig)).is_ok());
        if !verifies {
            return Err(bad("does not verify: the transaction was changed after signing, or signed by another key"));
        }
        signed.push(address);
    }
    if !signed.contains(&signers[0]) {
        return Err(CliError::invalid(
            "unsigned_transaction",
            format!("the sender {} has not signed the transaction", signers[0]),
        ));
    }
    let id = coffer_core::migrate::iota_sui_digest(&bytes);
    let mut net = crate::net::client()?;
    let call = Call::ExecuteTransaction {
        transaction: BASE64.encode(&bytes),
        signatures: args.signature.iter().map(|s| s.trim().to_owned()).collect(),
    };
    send_and_wait(g, args, &mut net, (chain, proto, network), call, id)
}

/// Sends `call` (a broadcast), checks that the endpoint reports the transaction's own `id`, and with `--wait` asks
/// for its status until it is confirmed, failed, or the time is up.
fn send_and_wait(
    g: &Global,
    args: &BroadcastArgs,
    net: &mut NetClient,
    (chain, proto, network): Target,
    call: Call,
    id: String,
) -> Result<(), CliError> {
    let mut sweep = sweep_receipt(g, args, chain, &id)?;
    // A sweep that does not go through (refused, or failed on chain) is recorded failed.
    let failed = |sweep: &mut Option<(super::vault::OpenVault, coffer_core::migrate::Receipt)>,
                  at: (super::migrate::Phase, &str),
                  e| match (sweep.as_mut(), &args.from) {
        (Some((vault, receipt)), Some(from)) => super::migrate::record_failure(vault, from, receipt, network, at, e),
        _ => e,
    };
    // A transaction the network already has (broadcast again, e.g. after a crash while waiting) is refused by the
    // endpoint's check ("already processed"): that refusal is not a failure. Asked once: the network knows the id
    // and it did not fail → it was sent.
    let mut already = false;
    let (reply, endpoint) = match net.call(proto, network, call) {
        Ok(answer) => answer,
        Err(e) if e.kind() == "endpoint_rejected" => match known_and_not_failed(net, proto, network, &id) {
            Some(endpoint) => {
                already = true;
                (Reply::Sent { signature: id.clone() }, endpoint)
            }
            None => return Err(failed(&mut sweep, (super::migrate::Phase::Sending, ""), e)),
        },
        Err(e) => return Err(failed(&mut sweep, (super::migrate::Phase::Sending, ""), e)),
    };
    let Reply::Sent { signature } = reply else { return Err(other_reply()) };
    if signature != id {
        return Err(CliError::new(
            code::NETWORK,
            "signature_mismatch",
            format!("the endpoint reported the id {signature}, not the transaction's own {id}: it cannot be trusted"),
        ));
    }
    let endpoint = endpoint.unwrap_or_default();
    // A sweep: recorded in the vault at once (a crash while waiting loses nothing).
    if let (Some((vault, receipt)), Some(from)) = (sweep.as_mut(), &args.from) {
        super::migrate::record_sent(vault, from, receipt, network, &endpoint, false)?;
    }
    let explorer = coffer_core::explorer::transaction_url(chain, network.name(), &endpoint, &id);
    let mut out = json!({
        "chain": chain.name(),
        "network": network.name(),
        "signature": id,
        "endpoint": endpoint,
        "explorer": explorer,
    });
    if args.from.is_some() {
        out["recorded"] = json!("broadcast");
    }
    if already {
        out["already_sent"] = json!(true);
    }
    if !args.wait {
        return if g.json { print_json(&out) } else { print_line(&id) };
    }
    if !g.json {
        print_line(&id)?;
    }
    let status = await_status(net, proto, network, &id, args.timeout)
        .map_err(|e| failed(&mut sweep, (super::migrate::Phase::Waiting, &endpoint), e))?;
    if let (Some((vault, receipt)), Some(from)) = (sweep.as_mut(), &args.from) {
        super::migrate::record_sent(vault, from, receipt, network, &endpoint, true)?;
        out["recorded"] = json!("confirmed");
    }
    drop(sweep);
    let level = confirmation_name(status.confirmation);
    if g.json {
        out["confirmation"] = json!(level);
        out["slot"] = json!(status.slot);
        out["failed"] = json!(false);
        return print_json(&out);
    }
    let link = explorer.map(|e| format!(": {e}")).unwrap_or_default();
    print_line(&format!("{level} at slot {} (reported by {endpoint}){link}", status.slot))
}

/// Whether the network knows the transaction `id` and it did not fail (one status query; any error: `None`), with
/// the endpoint that said so.
fn known_and_not_failed(
    net: &mut NetClient,
    proto: coffer_net_proto::Chain,
    network: Network,
    id: &str,
) -> Option<Option<String>> {
    let (reply, endpoint) =
        net.call(proto, network, Call::SignatureStatuses { signatures: vec![id.to_owned()] }).ok()?;
    let Reply::SignatureStatuses { statuses } = reply else { return None };
    statuses.into_iter().next().flatten().filter(|s| !s.failed).map(|_| endpoint)
}

/// Asks for the status of the transaction `id` until it is confirmed or failed, or `timeout` seconds have passed:
/// a confirmed transaction's status, `confirmation_timeout` when time is up, `transaction_failed` when it was
/// included but failed. Shared by `broadcast --wait` and `send --broadcast --wait`.
pub(crate) fn await_status(
    net: &mut NetClient,
    proto: coffer_net_proto::Chain,
    network: Network,
    id: &str,
    timeout: u64,
) -> Result<coffer_net_proto::SignatureStatus, CliError> {
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let status = loop {
        let (reply, _) = net.call(proto, network, Call::SignatureStatuses { signatures: vec![id.to_owned()] })?;
        let Reply::SignatureStatuses { statuses } = reply else { return Err(other_reply()) };
        match statuses.into_iter().next().flatten() {
            Some(s) if s.failed || matches!(s.confirmation, Confirmation::Confirmed | Confirmation::Finalized) => {
                break s;
            }
            _ if Instant::now() >= deadline => {
                return Err(CliError::new(
                    code::NETWORK,
                    "confirmation_timeout",
                    format!(
                        "{id} was not confirmed within {timeout} s (it may still be; ask again with coffer history)"
                    ),
                ));
            }
            _ => std::thread::sleep(POLL),
        }
    };
    if status.failed {
        return Err(CliError::new(
            code::TX_FAILED,
            "transaction_failed",
            format!(
                "{id} was included at slot {} but failed on chain: fees were charged, nothing else changed",
                status.slot
            ),
        ));
    }
    Ok(status)
}

fn confirmation_name(c: Confirmation) -> &'static str {
    match c {
        Confirmation::Processed => "processed",
        Confirmation::Confirmed => "confirmed",
        _ => "finalized",
    }
}

/// The digests of this vault's signing log for `chain` (Solana: sha256 of the message; Stellar: the transaction
/// hash; IOTA/Sui: the intent digest), archived entries included, after checking its hash chain.
fn log_digests(g: &Global, vault: &coffer_core::vault::Vault, chain: Chain) -> Result<BTreeSet<Vec<u8>>, CliError> {
    if vault.verify_log().is_err() {
        return Err(CliError::new(
            code::VAULT_DAMAGED,
            "log_broken",
            "the signing log's hash chain is broken (see coffer log): it cannot tell who signed what",
        ));
    }
    let archived = match vault.log_archive() {
        Ok(entries) => entries,
        Err(e @ VaultError::LogArchiveMissing { .. }) => {
            warn(
                g.json,
                "log_archive_missing",
                &format!("{e}: transactions signed before the archived entries may be reported as not signed here"),
            );
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let name = chain.name();
    Ok(archived.iter().chain(vault.log()).filter(|e| e.chain == name).map(|e| e.digest.clone()).collect())
}

/// What the watched address did in one transaction, from its wire bytes (checked by [`coffer_core::watch`], the
/// same checks as the app's).
struct Inspected {
    /// The address signed it (its signature verifies): an outgoing transaction.
    outgoing: bool,
    /// The signing log holds its digest.
    signed_here: bool,
    /// That digest.
    digest: Vec<u8>,
}

impl Inspected {
    /// `signed_here` is the log's answer whichever way the transaction went (a transfer between two accounts of the
    /// vault is signed here on both sides).
    fn of(c: coffer_core::watch::Checked, digests: &BTreeSet<Vec<u8>>) -> Self {
        let outgoing = matches!(c.seen, coffer_core::watch::Seen::Outgoing { .. });
        Self { outgoing, signed_here: digests.contains(&c.digest), digest: c.digest }
    }
}

/// Fetches `signature` and checks it against the address's key and the log ([`coffer_core::watch::inspect`]).
/// `None` when the endpoint does not have the transaction (or, on Stellar, it is a fee bump, not checked here).
fn inspect(
    net: &mut NetClient,
    (proto, network): (coffer_net_proto::Chain, Network),
    signature: &str,
    key: &[u8; 32],
    digests: &BTreeSet<Vec<u8>>,
) -> Result<Option<Inspected>, CliError> {
    let chain = match proto {
        coffer_net_proto::Chain::Sui => Chain::Sui,
        coffer_net_proto::Chain::Iota => Chain::Iota,
        coffer_net_proto::Chain::Stellar => Chain::Stellar,
        _ => Chain::Solana,
    };
    let passphrase = if chain == Chain::Stellar { Some(stellar_passphrase(network)?) } else { None };
    let (reply, _) = net.call(proto, network, Call::Transaction { signature: signature.to_owned() })?;
    let Reply::Transaction { transaction, .. } = reply else { return Err(other_reply()) };
    let Some(text) = transaction else { return Ok(None) };
    let log = coffer_core::watch::SignedHere::from_digests(digests.iter().cloned());
    coffer_core::watch::inspect(chain, passphrase.as_ref(), &text, signature, key, &log)
        .map(|c| c.map(|c| Inspected::of(c, digests)))
        .map_err(|why| CliError::new(code::NETWORK, "malformed_answer", format!("transaction {signature}: {why}")))
}

fn check_limit(limit: u32) -> Result<(), CliError> {
    if limit == 0 || limit as usize > MAX_HISTORY {
        return Err(CliError::invalid("invalid_limit", format!("--limit must be 1 to {MAX_HISTORY}")));
    }
    Ok(())
}

fn entry_json(e: &SignatureInfo) -> Value {
    json!({ "signature": e.signature, "slot": e.slot, "block_time": e.block_time, "failed": e.failed })
}

pub fn history(g: &Global, args: &HistoryArgs) -> Result<(), CliError> {
    let (chain, proto, network) = target("history", &args.net)?;
    check_limit(args.limit)?;
    // With a seed: its address and key, and the log's digests; the vault is closed before the network is asked.
    let (address, mine) = match (&args.address, &args.seed) {
        (Some(a), _) => {
            coffer_net_proto::check_address("address", proto, a)
                .map_err(|_| CliError::invalid("invalid_address", format!("not a {chain} address")))?;
            (a.clone(), None)
        }
        (None, Some(label)) => {
            let vault = super::vault::open_read(g)?;
            let seed = vault.bip39_seed(label)?;
            let account = chain.account(&seed, AccountIndex::new(args.account)?, AddressIndex::ZERO)?;
            drop(seed);
            let digests = log_digests(g, &vault, chain)?;
            drop(vault);
            (account.address, Some((*account.public_key.as_bytes(), digests)))
        }
        (None, None) => return Err(CliError::new(code::USAGE, "usage", "give --address or --seed")),
    };
    let mut net = crate::net::client()?;
    let (reply, endpoint) = net.call(proto, network, Call::History { address: address.clone(), limit: args.limit })?;
    let Reply::History { entries, .. } = reply else { return Err(other_reply()) };
    let endpoint = endpoint.unwrap_or_default();
    let mut rows = Vec::with_capacity(entries.len());
    for e in &entries {
        let mut row = entry_json(e);
        if let Some((key, digests)) = &mine {
            let seen = inspect(&mut net, (proto, network), &e.signature, key, digests)?;
            row["outgoing"] = json!(seen.as_ref().map(|s| s.outgoing));
            row["signed_here"] = json!(seen.as_ref().map(|s| s.signed_here));
        }
        rows.push(row);
    }
    drop(net);
    if g.json {
        return print_json(&json!({
            "chain": chain.name(),
            "network": network.name(),
            "address": address,
            "endpoint": endpoint,
            "entries": rows,
        }));
    }
    print_line(&format!("{} {}  {address}", chain.name(), network.name()))?;
    if rows.is_empty() {
        print_line("no transactions")?;
    }
    for r in &rows {
        let when = r["block_time"]
            .as_i64()
            .and_then(|t| u64::try_from(t).ok())
            .map_or_else(|| format!("slot {}", r["slot"]), |t| format!("slot {} {}", r["slot"], super::seed::utc(t)));
        let failed = if r["failed"] == true { "  FAILED" } else { "" };
        let mark = match (r.get("outgoing").and_then(Value::as_bool), r.get("signed_here").and_then(Value::as_bool)) {
            (Some(true), Some(true)) => "  outgoing, signed here",
            (Some(true), Some(false)) => "  outgoing, NOT SIGNED HERE",
            (Some(false), _) => "  incoming",
            _ if mine.is_some() => "  (transaction not available)",
            _ => "",
        };
        print_line(&format!("{}  {when}{failed}{mark}", r["signature"].as_str().unwrap_or_default()))?;
    }
    print_line(&format!("reported by {endpoint}"))
}

/// One watched address.
struct Watched {
    account: u32,
    address: String,
    key: [u8; 32],
    /// Transactions already looked at.
    seen: BTreeSet<String>,
}

pub fn watch(g: &Global, args: &WatchArgs) -> Result<(), CliError> {
    let (chain, proto, network) = target("watch", &args.net)?;
    check_limit(args.limit)?;
    let vault = super::vault::open_read(g)?;
    let seed = vault.bip39_seed(&args.seed)?;
    let mut accounts: Vec<u32> = args.account.clone();
    accounts.sort_unstable();
    accounts.dedup();
    let mut watched = Vec::with_capacity(accounts.len());
    for n in accounts {
        let account = chain.account(&seed, AccountIndex::new(n)?, AddressIndex::ZERO)?;
        watched.push(Watched {
            account: n,
            address: account.address,
            key: *account.public_key.as_bytes(),
            seen: BTreeSet::new(),
        });
    }
    drop(seed);
    let mut digests = log_digests(g, &vault, chain)?;
    drop(vault);
    let mut net = crate::net::client()?;
    let emit = |v: Value| -> Result<(), CliError> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", json_line(&v))
            .and_then(|()| out.flush())
            .map_err(|e| CliError::new(code::FAILURE, "io_error", format!("cannot write the output: {e}")))
    };
    let base = |w: &Watched| {
        json!({
            "chain": chain.name(),
            "network": network.name(),
            "seed": args.seed,
            "account": w.account,
            "address": w.address,
        })
    };
    for w in &watched {
        let mut v = base(w);
        v["event"] = json!("watching");
        emit(v)?;
    }
    loop {
        let mut alerts = 0u64;
        let mut refreshed = false;
        let mut round = || -> Result<(), CliError> {
            for w in &mut watched {
                let (reply, endpoint) =
                    net.call(proto, network, Call::History { address: w.address.clone(), limit: args.limit })?;
                let Reply::History { entries, .. } = reply else { return Err(other_reply()) };
                // Oldest first, so events come in the order the transactions happened.
                for e in entries.iter().rev() {
                    if w.seen.contains(&e.signature) {
                        continue;
                    }
                    let seen = inspect(&mut net, (proto, network), &e.signature, &w.key, &digests)?;
                    w.seen.insert(e.signature.clone());
                    let Some(mut seen) = seen else {
                        // The endpoint does not have it: whether the address signed it cannot be checked.
                        let mut v = base(w);
                        v["event"] = json!("unavailable");
                        v["transaction"] = entry_json(e);
                        v["endpoint"] = json!(endpoint);
                        emit(v)?;
                        continue;
                    };
                    if !seen.outgoing {
                        continue;
                    }
                    // While watching, the log may have grown since the start (the user signed with Coffer): before
                    // an alert, read it again (once per check). If the vault cannot be opened now, the alert stands.
                    if !seen.signed_here && !args.once && !refreshed {
                        refreshed = true;
                        if let Ok(fresh) = super::vault::open_read(g).and_then(|v| log_digests(g, &v, chain)) {
                            digests = fresh;
                        }
                        seen.signed_here = digests.contains(seen.digest.as_slice());
                    }
                    let mut v = base(w);
                    v["transaction"] = entry_json(e);
                    v["endpoint"] = json!(endpoint);
                    if seen.signed_here {
                        v["event"] = json!("outgoing");
                        v["signed_here"] = json!(true);
                    } else {
                        alerts += 1;
                        v["event"] = json!("alert");
                        v["kind"] = json!("foreign_signature");
                        v["signed_here"] = json!(false);
                        v["message"] = json!(format!(
                            "someone else is signing for this address: {} was signed by its key but not by this vault",
                            e.signature
                        ));
                    }
                    emit(v)?;
                }
            }
            Ok(())
        };
        match round() {
            Ok(()) => {}
            // A failed check while watching is reported and retried at the next interval; with --once it is the result.
            Err(e) if !args.once && e.code() == code::NETWORK => {
                emit(json!({"event": "error", "kind": e.kind(), "message": e.message()}))?;
            }
            Err(e) => return Err(e),
        }
        if alerts > 0 {
            return Err(CliError::new(
                code::FOREIGN_SIGNATURE,
                "foreign_signature",
                format!(
                    "{alerts} transaction(s) signed for a watched address outside this vault: someone else holds the key"
                ),
            ));
        }
        if args.once {
            break;
        }
        std::thread::sleep(Duration::from_secs(args.interval));
    }
    Ok(())
}
