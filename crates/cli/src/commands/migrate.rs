//! `coffer migrate compromised|start|verify|plan|sweep|status|report`: move the funds of a compromised seed to a
//! fresh one. The core (`coffer_core::migrate`) does the work; this module reads arguments, asks, and prints.

use coffer_core::holdings::stellar::{StellarClaimable, StellarHoldings};
use coffer_core::migrate::{
    self, Destination, MigrateError, PlanRow, Receipt, Report, RowState, Selection, SolanaRecent, SolanaSweep,
    StellarSweep, StellarSweepParams, StellarSweepPlan, Trustline,
};
use coffer_core::secret::SecretString;
use coffer_core::sign::{Network, Payload, SignRequest};
use coffer_core::vault::Vault;
use coffer_core::{Chain, WordCount};
use coffer_keyring::Keyring;
use coffer_net_proto::{Call, Reply};
use serde_json::{Value, json};

use super::keyring::{entry_word, report_disabled};
use super::seed::utc;
use super::sign::{confirm, read_text, render, summary_json};
use super::vault::{confirm_password, one_stdin, open, report_stale_backup};
use crate::cli::{
    Global, MigrateCompromisedArgs, MigrateFromArgs, MigratePlanArgs, MigrateStartArgs, MigrateSweepArgs,
    MigrateVerifyArgs,
};
use crate::error::{CliError, code};
use crate::input::{prompt_password, read_password, read_secret_file};
use crate::output::{print_json, print_json_secret, print_line, print_table};

pub fn compromised(g: &Global, args: &MigrateCompromisedArgs) -> Result<(), CliError> {
    let mut vault = open(g)?;
    vault.seed(&args.label)?;
    let quick = if args.unmark {
        // The password once more: whoever left the terminal unlocked cannot quietly undo the mark.
        let again = match g.password_file.as_deref() {
            Some(p) if p.as_os_str() == "-" => {
                return Err(CliError::new(
                    code::USAGE,
                    "password_required",
                    "unmarking reads the password again: give --password-file FILE (not -) or run on a terminal",
                ));
            }
            Some(p) => read_password(Some(p), "")?,
            None => prompt_password("Vault password again, to remove the compromised mark: ")?,
        };
        vault.unmark_compromised(&args.label, &again)?;
        None
    } else if vault.has_device_slot() {
        // Quick unlock goes, slot and keyring entry: the mark removes the slot (under a new vault key, sealed for the
        // password: after a quick unlock the password is asked for), then the entry is deleted.
        confirm_password(g, &mut vault)?;
        let done = Keyring::os().mark_compromised(&mut vault, &args.label)?;
        report_disabled(g, &vault, &done);
        Some(done)
    } else {
        // A new vault key, sealed for the password: after a quick unlock the password is asked for.
        confirm_password(g, &mut vault)?;
        let rekeyed = vault.mark_compromised(&args.label)?;
        report_stale_backup(g, &vault, rekeyed.stale_backup.as_ref());
        None
    };
    let compromised = !args.unmark;
    if g.json {
        let mut out = json!({ "label": args.label, "compromised": compromised });
        if compromised {
            out["quick_unlock_removed"] = json!(quick.is_some());
        }
        if let Some(done) = &quick {
            out["keyring_entry"] = json!(entry_word(&done.entry));
        }
        return print_json(&out);
    }
    if compromised {
        print_line(&format!(
            "Seed \"{}\" is marked compromised: it signs only migration sweeps now. Next: coffer migrate start \
             --from {:?} --new-label NEW",
            args.label, args.label
        ))?;
        if quick.is_some() {
            print_line("Quick unlock is off (device slot and keyring entry removed): the vault needs its password.")?;
        }
        Ok(())
    } else {
        print_line(&format!("Seed \"{}\" is no longer marked compromised.", args.label))
    }
}

pub fn start(g: &Global, args: &MigrateStartArgs) -> Result<(), CliError> {
    let to = match (&args.new_label, &args.to) {
        (Some(label), None) => {
            coffer_core::vault::validate_label(label)?;
            Destination::Fresh { label: label.clone(), words: WordCount::try_from(args.words)? }
        }
        (None, Some(label)) => Destination::Existing { label: label.clone() },
        _ => return Err(CliError::new(code::USAGE, "usage", "give either --new-label or --to")),
    };
    let mut vault = open(g)?;
    let started = vault.start_migration(&args.from, &to)?;
    let positions = started.challenge.as_ref().map(|c| c.positions.clone());
    if g.json {
        /// Keys in alphabetical order, as `print_json` writes them; the fresh mnemonic is borrowed from its
        /// zeroizing phrase and written through a zeroizing buffer.
        #[derive(serde::Serialize)]
        struct StartJson<'a> {
            backup_checked: bool,
            challenge: Value,
            fresh: bool,
            from: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            mnemonic: Option<&'a str>,
            to: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            words: Option<usize>,
        }
        let phrase = started.mnemonic.as_ref().map(coffer_core::Mnemonic::phrase);
        return print_json_secret(&StartJson {
            backup_checked: positions.is_none(),
            challenge: positions
                .as_ref()
                .map_or(Value::Null, |p| json!({ "label": started.destination, "positions": p })),
            fresh: started.mnemonic.is_some(),
            from: &args.from,
            mnemonic: phrase.as_ref().map(|p| p.expose()),
            to: &started.destination,
            words: started.mnemonic.as_ref().map(coffer_core::Mnemonic::word_count),
        });
    }
    if let Some(m) = &started.mnemonic {
        print_line(&format!(
            "Fresh seed \"{}\" stored. Its {} words, shown only this once:",
            started.destination,
            m.word_count()
        ))?;
        super::init::print_words(m)?;
        eprintln!(
            "coffer: write the words on paper, in order, and keep them offline. Nothing is signed until the backup check passes."
        );
    }
    match positions {
        Some(p) => print_line(&format!(
            "Backup check: re-enter words {} of \"{}\" with: coffer migrate verify --from {:?}",
            join(&p),
            started.destination,
            args.from
        )),
        None => print_line(&format!("Next: coffer migrate plan --from {:?}", args.from)),
    }
}

fn join(p: &[usize]) -> String {
    p.iter().map(|x| format!("#{x}")).collect::<Vec<_>>().join(", ")
}

pub fn verify(g: &Global, args: &MigrateVerifyArgs) -> Result<(), CliError> {
    one_stdin(&[g.password_file.as_deref(), args.answers_file.as_deref()])?;
    let from_file = match &args.answers_file {
        // `-` on a terminal: ask for each word without echo, as without the flag.
        Some(path) if path.as_os_str() == "-" && std::io::IsTerminal::is_terminal(&std::io::stdin()) => None,
        Some(path) => Some(read_answers(path)?),
        None => None,
    };
    let mut vault = open(g)?;
    let challenge = vault.backup_challenge(&args.from)?.ok_or(MigrateError::NoChallenge)?;
    let answers = match from_file {
        Some(a) => a,
        None => {
            let mut out = Vec::with_capacity(challenge.positions.len());
            for p in &challenge.positions {
                out.push(prompt_password(&format!("Word #{p} of \"{}\": ", challenge.label)).map_err(|e| {
                    if e.code() == code::USAGE {
                        CliError::new(
                            code::USAGE,
                            "answers_required",
                            "the backup check needs the words: give --answers-file FILE (one word per line, in the \
                             order asked) or run on a terminal",
                        )
                    } else {
                        e
                    }
                })?);
            }
            out
        }
    };
    if vault.answer_backup_challenge(&args.from, &answers)? {
        if g.json {
            return print_json(&json!({ "label": challenge.label, "backup_checked": true }));
        }
        return print_line(&format!(
            "The backup of \"{}\" is checked. Next: coffer migrate plan --from {:?}",
            challenge.label, args.from
        ));
    }
    let next = vault.backup_challenge(&args.from)?.map(|c| c.positions).unwrap_or_default();
    Err(CliError::invalid(
        "backup_mismatch",
        format!(
            "the words do not match seed \"{}\"; check your written copy. New positions asked: {}",
            challenge.label,
            join(&next)
        ),
    ))
}

/// One word per non-empty line, into zeroizing strings.
fn read_answers(path: &std::path::Path) -> Result<Vec<SecretString>, CliError> {
    let raw = read_secret_file(path, "answers")?;
    let text = std::str::from_utf8(raw.expose())
        .map_err(|_| CliError::invalid("invalid_encoding", "the answers file is not valid UTF-8 text"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut s = SecretString::with_capacity(l.len());
            s.expose_mut().push_str(l);
            s
        })
        .collect())
}

fn row_json(r: &PlanRow) -> Value {
    json!({
        "chain": r.chain.name(),
        "path": r.path().map(|p| p.to_string()).unwrap_or_default(),
        "account": r.account,
        "index": if r.chain.uses_index() { json!(r.index) } else { Value::Null },
        "old_address": r.old_address,
        "new_address": r.new_address,
        "state": r.state.name(),
        "note": r.note,
    })
}

fn print_rows(g: &Global, rows: &[PlanRow]) -> Result<(), CliError> {
    if g.json {
        return print_json(&Value::Array(rows.iter().map(row_json).collect()));
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.chain.name().to_owned(),
                r.path().map(|p| p.to_string()).unwrap_or_default(),
                r.state.name().to_owned(),
                r.old_address.clone(),
                r.new_address.clone(),
            ]
        })
        .collect();
    print_table(&["CHAIN", "PATH", "STATE", "OLD ADDRESS", "NEW ADDRESS"], &table)?;
    for r in rows.iter().filter(|r| !r.note.is_empty()) {
        print_line(&format!(
            "manual step, {} {}: {}",
            r.chain,
            r.path().map(|p| p.to_string()).unwrap_or_default(),
            r.note
        ))?;
    }
    Ok(())
}

pub fn plan(g: &Global, args: &MigratePlanArgs) -> Result<(), CliError> {
    let chains = args.chains.iter().map(|c| c.parse::<Chain>()).collect::<Result<Vec<_>, _>>()?;
    let explicit =
        !chains.is_empty() || args.first_account.is_some() || args.accounts.is_some() || args.indices.is_some();
    let defaults = Selection::default();
    let selection = Selection {
        chains: if chains.is_empty() { defaults.chains } else { chains },
        first_account: args.first_account.unwrap_or(defaults.first_account),
        accounts: args.accounts.unwrap_or(defaults.accounts),
        indices: args.indices.unwrap_or(defaults.indices),
    };
    let mut vault = open(g)?;
    let existing = vault.migration(&args.from)?.rows;
    let rows = if explicit || existing.is_empty() { vault.plan_migration(&args.from, &selection)? } else { existing };
    print_rows(g, &rows)
}

/// What to sweep, read and checked before the vault is opened.
enum SweepInput {
    Stellar(StellarSweep, Network),
    Solana(SolanaSweep),
    Tx(String),
}

fn sweep_input(chain: Chain, args: &MigrateSweepArgs) -> Result<SweepInput, CliError> {
    let missing = |what: &str| CliError::new(code::USAGE, "usage", format!("a {chain} sweep needs {what}"));
    match chain {
        Chain::Stellar => {
            let sequence = migrate::parse_sequence(args.sequence.as_deref().ok_or_else(|| missing("--sequence"))?)?;
            let network = Network::parse(args.network.as_deref().ok_or_else(|| missing("--network"))?)?;
            // Offline, only the user knows: a fresh seed's account does not exist until something pays it.
            let destination_exists =
                args.destination_exists.as_deref().ok_or_else(|| missing("--destination-exists yes|no"))? == "yes";
            let trustlines = args.trustlines.iter().map(|t| Trustline::parse(t)).collect::<Result<Vec<_>, _>>()?;
            let mut sweep = StellarSweep { sequence, fee: 0, trustlines, destination_exists };
            sweep.fee = match args.fee {
                None => sweep.min_fee(),
                Some(f) => {
                    u32::try_from(f).map_err(|_| MigrateError::BadFee { reason: "a Stellar fee fits in 32 bits" })?
                }
            };
            Ok(SweepInput::Stellar(sweep, network))
        }
        Chain::Solana => {
            let text = args.balance.as_deref().ok_or_else(|| missing("--balance LAMPORTS"))?.trim();
            let balance = text
                .parse::<u64>()
                .map_err(|_| CliError::invalid("invalid_balance", "--balance must be a whole number of lamports"))?;
            let recent = match (&args.blockhash, &args.nonce_account, &args.nonce) {
                (Some(h), None, None) => SolanaRecent::Blockhash(migrate::parse_blockhash(h, "blockhash")?),
                (None, Some(a), Some(v)) => SolanaRecent::Nonce {
                    account: migrate::parse_blockhash(a, "nonce account")?,
                    value: migrate::parse_blockhash(v, "nonce value")?,
                },
                _ => return Err(missing("--blockhash, or --nonce-account and --nonce")),
            };
            // --fee is everything paid (the signature fee, and the excess as a priority fee); --priority-fee is the
            // compute-unit price itself.
            let compute_unit_price = match (args.fee, args.priority_fee) {
                (_, Some(price)) => price,
                (Some(fee), None) => migrate::compute_unit_price_for_fee(fee)?,
                (None, None) => 0,
            };
            Ok(SweepInput::Solana(SolanaSweep { balance, compute_unit_price, recent }))
        }
        Chain::Iota | Chain::Sui => {
            let file = args.tx_file.as_deref().ok_or_else(|| missing("--tx-file (the unsigned TransactionData)"))?;
            Ok(SweepInput::Tx(read_text(file, "transaction")?.trim().to_owned()))
        }
        other => Err(CliError::invalid(
            "unsupported",
            format!("{other} cannot be swept by Coffer (see the manual steps in coffer migrate report)"),
        )),
    }
}

pub fn sweep(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    let chain: Chain = args.chain.parse()?;
    one_stdin(&[g.password_file.as_deref(), args.tx_file.as_deref(), args.holdings.as_deref()])?;
    super::sign::check_network(chain, args.network.as_deref())?;
    if args.online {
        if chain != Chain::Stellar {
            return Err(CliError::new(
                code::USAGE,
                "usage",
                format!("--online builds and broadcasts complete sweeps for stellar only so far, not {chain}"),
            ));
        }
        return stellar_online_sweep(g, args);
    }
    if let Some(path) = &args.holdings {
        if chain != Chain::Stellar {
            return Err(CliError::new(
                code::USAGE,
                "usage",
                format!("--holdings builds complete sweeps for stellar only so far, not {chain}"),
            ));
        }
        return stellar_holdings_sweep(g, args, path);
    }
    let input = sweep_input(chain, args)?;
    let mut vault = open(g)?;
    let request = match input {
        SweepInput::Tx(text) => SignRequest::new(chain, Payload::Transaction(text)),
        SweepInput::Stellar(sweep, network) => {
            let row = planned(&vault, &args.from, chain, args.account)?;
            if !sweep.trustlines.is_empty() {
                let lines: Vec<String> = sweep.trustlines.iter().map(ToString::to_string).collect();
                vault.note_manual_step(
                    &args.from,
                    chain,
                    args.account,
                    0,
                    &format!(
                        "trustlines block the account merge ({}): send those assets to {} (the new account must \
                         exist and trust them first: fund it, then sweep with --destination-exists yes) or sell \
                         them, remove each trustline (change trust, limit 0), then sweep again",
                        lines.join(", "),
                        row.new_address
                    ),
                )?;
            }
            let tx = migrate::build_stellar_merge(&row.old_address, &row.new_address, &sweep)?;
            SignRequest::new(chain, Payload::Transaction(tx)).with_network(network)
        }
        SweepInput::Solana(sweep) => {
            let row = planned(&vault, &args.from, chain, args.account)?;
            let tx = migrate::build_solana_sweep(&row.old_address, &row.new_address, &sweep)?;
            SignRequest::new(chain, Payload::Transaction(tx))
        }
    };
    // The guard runs before anything is shown or asked.
    let (decoded, _) = vault.check_sweep(&args.from, &request)?;
    let shown = render(decoded.summary());
    if !g.json {
        eprintln!("{shown}");
    }
    if !args.yes {
        confirm(if g.json { std::slice::from_ref(&shown) } else { &[] }, 1, false)?;
    }
    let receipt = vault.sign_sweep(&args.from, &request)?;
    let m = vault.migration(&args.from)?;
    drop(vault);
    let row = &m.rows[receipt.row];
    if g.json {
        let mut v = receipt_json(&receipt, row);
        v["summary"] = summary_json(decoded.summary());
        return print_json(&v);
    }
    print_line(&format!("tx_id: {}", receipt.tx_id))?;
    print_line(&format!("signature: {}", receipt.signature))?;
    print_line(&format!("{}: {}", if row.chain.uses_index() { "tx_bytes" } else { "signed_tx" }, receipt.tx))?;
    print_line("Broadcast it with (Coffer never does):")?;
    for c in receipt.broadcast() {
        print_line(&format!("  {c}"))?;
    }
    Ok(())
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

/// The holdings of the old and the new account of `row` from a holdings file.
fn read_stellar_holdings(
    path: &std::path::Path,
    row: &PlanRow,
) -> Result<(StellarHoldings, StellarHoldings), CliError> {
    let text = read_text(path, "holdings")?;
    let file: StellarHoldingsFile =
        serde_json::from_str(&text).map_err(|e| invalid_holdings(format!("the holdings file does not parse: {e}")))?;
    if file.chain != "stellar" {
        return Err(invalid_holdings(format!("the holdings file is for {:?}, not stellar", file.chain)));
    }
    if file.accounts.len() > MAX_HOLDINGS_ACCOUNTS {
        return Err(invalid_holdings(format!("the holdings file lists more than {MAX_HOLDINGS_ACCOUNTS} accounts")));
    }
    let find = |address: &str, which: &str| {
        file.accounts.iter().find(|h| h.address == address).cloned().ok_or_else(|| {
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
fn stellar_holdings_sweep(g: &Global, args: &MigrateSweepArgs, path: &std::path::Path) -> Result<(), CliError> {
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
    vault: super::vault::OpenVault,
    row: &PlanRow,
    plan: &StellarSweepPlan,
    network: &Network,
) -> Result<(), CliError> {
    let (receipts, summaries, row) = sign_stellar_transactions(g, args, vault, row, plan, network)?;
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
    mut vault: super::vault::OpenVault,
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
        vault.note_manual_step(&args.from, Chain::Stellar, args.account, 0, &note.join("; "))?;
    }
    let mut receipts = Vec::with_capacity(requests.len());
    for r in &requests {
        receipts.push(vault.sign_sweep(&args.from, r)?);
    }
    let m = vault.migration(&args.from)?;
    drop(vault);
    let row = m.rows.iter().find(|r| r.old_address == row.old_address).unwrap_or(row).clone();
    Ok((receipts, summaries, row))
}

/// The chain and network of `migrate sweep --online` for coffer-net (for main, which starts coffer-net before
/// anything else), and the Stellar network the transactions are signed for: `public` (or `mainnet`), `testnet`, or
/// a full passphrase (a network of your own: needs --endpoint, and its passphrase is not checked against Horizon).
pub fn online_target(
    args: &MigrateSweepArgs,
) -> Result<(Chain, coffer_net_proto::Chain, coffer_net_proto::Network), CliError> {
    let (_, net) = online_networks(args)?;
    let (chain, proto, net) =
        super::balance::net_target("migrate sweep", &[Chain::Stellar], "stellar", net, args.endpoint.as_deref())?;
    Ok((chain, proto, net))
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

/// Converts an account answer of coffer-net into holdings (the claimable balances separately: see below).
fn holdings_from_net(
    address: &str,
    account: Option<&coffer_net_proto::StellarAccount>,
    offers: &[coffer_net_proto::Offer],
) -> Result<StellarHoldings, CliError> {
    use coffer_core::holdings::stellar::{StellarAsset, StellarOffer, StellarTrustline};
    let bad = |what: &str| {
        CliError::new(code::NETWORK, "malformed_answer", format!("the endpoint's {what} is out of Stellar's range"))
    };
    let stroops = |a: &coffer_net_proto::Amount, what: &str| i64::try_from(a.value()).map_err(|_| bad(what));
    let Some(a) = account else {
        return Ok(StellarHoldings { address: address.to_owned(), ..StellarHoldings::default() });
    };
    let mut trustlines = Vec::with_capacity(a.trustlines.len());
    for t in &a.trustlines {
        trustlines.push(match t {
            coffer_net_proto::Trustline::Credit { code, issuer, balance, limit } => StellarTrustline::Credit {
                code: code.clone(),
                issuer: issuer.clone(),
                balance: stroops(balance, "trustline balance")?,
                limit: stroops(limit, "trustline limit")?,
                authorized: true,
                auth_required: false,
            },
            coffer_net_proto::Trustline::PoolShares { pool_id, balance, .. } => {
                StellarTrustline::PoolShares { pool_id: pool_id.clone(), balance: stroops(balance, "pool shares")? }
            }
            _ => return Err(bad("trustline")),
        });
    }
    let asset = |t: &str| StellarAsset::parse(t).map_err(|_| bad("asset"));
    let mut out_offers = Vec::with_capacity(offers.len());
    for o in offers {
        out_offers.push(StellarOffer {
            id: o.id,
            selling: asset(&o.selling)?,
            buying: asset(&o.buying)?,
            amount: stroops(&o.amount, "offer amount")?,
            price_n: i32::try_from(o.price_n).map_err(|_| bad("price"))?,
            price_d: i32::try_from(o.price_d).map_err(|_| bad("price"))?,
        });
    }
    Ok(StellarHoldings {
        address: address.to_owned(),
        exists: true,
        sequence: stroops(&a.sequence, "sequence")?,
        native: stroops(&a.balance, "balance")?,
        trustlines,
        offers: out_offers,
        data: a.data.iter().map(|d| d.name.clone()).collect(),
        claimable_balances: Vec::new(),
        subentry_count: a.subentry_count,
        num_sponsoring: a.num_sponsoring,
        num_sponsored: a.num_sponsored,
    })
}

/// A claim predicate of coffer-net as the core's.
fn claim_predicate(p: &coffer_net_proto::ClaimPredicate) -> coffer_core::holdings::stellar::ClaimPredicate {
    use coffer_core::holdings::stellar::ClaimPredicate as C;
    use coffer_net_proto::ClaimPredicate as N;
    match p {
        N::Unconditional => C::Unconditional,
        N::And(v) => C::And(v.iter().map(claim_predicate).collect()),
        N::Or(v) => C::Or(v.iter().map(claim_predicate).collect()),
        N::Not(q) => C::Not(Box::new(claim_predicate(q))),
        N::AbsBeforeEpoch(t) => C::AbsBeforeEpoch(*t),
        // A predicate this build does not know: one that never holds, so the balance is not claimed.
        _ => C::Not(Box::new(C::Unconditional)),
    }
}

/// `migrate sweep --chain stellar --online`: the holdings of the old and the new account from coffer-net, the
/// complete sweep built, guarded, confirmed and signed as with a holdings file, then each transaction broadcast
/// (Horizon `POST /transactions`; the hash Horizon reports must be the one computed here) and followed to its ledger
/// before the next one is sent.
fn stellar_online_sweep(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    let (network, _) = online_networks(args)?;
    let (_, proto, net_network) = online_target(args)?;
    let mut net = crate::net::client()?;
    let vault = open(g)?;
    let row = planned(&vault, &args.from, Chain::Stellar, args.account)?;
    let mut fetch = |address: &str, with_offers: bool| -> Result<StellarHoldings, CliError> {
        let (reply, _) = net.call(proto, net_network, Call::Account { address: address.to_owned() })?;
        let Reply::Account { account, .. } = reply else { return Err(super::balance::other_reply()) };
        let offers = if with_offers && account.is_some() {
            let (reply, _) = net.call(proto, net_network, Call::Offers { address: address.to_owned() })?;
            let Reply::Offers { offers, .. } = reply else { return Err(super::balance::other_reply()) };
            offers
        } else {
            Vec::new()
        };
        holdings_from_net(address, account.as_ref(), &offers)
    };
    let mut old = fetch(&row.old_address, true)?;
    let new = fetch(&row.new_address, false)?;
    let (reply, _) = net.call(proto, net_network, Call::ClaimableBalances { address: row.old_address.clone() })?;
    let Reply::ClaimableBalances { balances, .. } = reply else { return Err(super::balance::other_reply()) };
    // A claimable balance whose predicate the endpoint did not report is never claimed blind (a claim not allowed
    // yet would make the whole transaction fail): it is listed as staying.
    let mut unknown = Vec::new();
    for b in &balances {
        match (b.predicate.as_ref().map(claim_predicate), coffer_core::holdings::stellar::StellarAsset::parse(&b.asset))
        {
            (Some(predicate), Ok(asset)) => old.claimable_balances.push(StellarClaimable {
                id: b.id.clone(),
                asset,
                amount: i64::try_from(b.amount.value()).unwrap_or(i64::MAX),
                predicate,
            }),
            _ => unknown.push(b),
        }
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let params = StellarSweepParams {
        base_fee: args.base_fee.unwrap_or(migrate::STELLAR_BASE_FEE),
        now: i64::try_from(now).unwrap_or(i64::MAX),
        ..StellarSweepParams::default()
    };
    let mut plan = migrate::build_stellar_sweep(&old, &new, &params)?;
    for b in unknown {
        plan.left.push(migrate::StellarLeft {
            what: format!("claimable balance {} ({})", b.id, b.asset),
            amount: i64::try_from(b.amount.value()).ok(),
            reason: "the endpoint did not report when the old account may claim it (its predicate): claim it with a \
                     holdings-file sweep (--holdings), then sweep again"
                .to_owned(),
        });
    }
    let (receipts, summaries, row) = sign_stellar_transactions(g, args, vault, &row, &plan, &network)?;
    let mut results = Vec::with_capacity(receipts.len());
    for (i, receipt) in receipts.iter().enumerate() {
        let (reply, endpoint) =
            net.call(proto, net_network, Call::SendTransaction { transaction: receipt.tx.clone() })?;
        let Reply::Sent { signature } = reply else { return Err(super::balance::other_reply()) };
        if !signature.eq_ignore_ascii_case(&receipt.tx_id) {
            return Err(CliError::new(
                code::NETWORK,
                "signature_mismatch",
                format!("the endpoint reported transaction {signature}, but the transaction sent is {}", receipt.tx_id),
            ));
        }
        let status = wait_ledger(&mut net, proto, net_network, &receipt.tx_id, args.timeout)?;
        if status.failed {
            return Err(CliError::new(
                code::TX_FAILED,
                "transaction_failed",
                format!(
                    "transaction {} of {} ({}) failed in ledger {}: nothing of it applied",
                    i + 1,
                    receipts.len(),
                    receipt.tx_id,
                    status.slot
                ),
            ));
        }
        if !g.json {
            print_line(&format!(
                "transaction {} of {}: {} in ledger {} (reported by {})",
                i + 1,
                receipts.len(),
                receipt.tx_id,
                status.slot,
                endpoint.as_deref().unwrap_or("coffer-net")
            ))?;
        }
        results.push(json!({"ledger": status.slot, "failed": false, "endpoint": endpoint}));
    }
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
        let Reply::SignatureStatuses { statuses } = reply else { return Err(super::balance::other_reply()) };
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

fn planned(vault: &Vault, from: &str, chain: Chain, account: u32) -> Result<PlanRow, CliError> {
    Ok(vault.sweep_row(from, chain, account, 0)?)
}

fn receipt_json(r: &Receipt, row: &PlanRow) -> Value {
    let mut v = json!({
        "chain": r.chain.name(),
        "row": row_json(row),
        "time": r.time,
        "time_utc": utc(r.time),
        "tx_id": r.tx_id,
        "signature": r.signature,
        "broadcast": r.broadcast(),
    });
    if r.chain.uses_index() {
        v["tx_bytes"] = json!(r.tx);
    } else {
        v["signed_tx"] = json!(r.tx);
    }
    if !r.network.is_empty() {
        v["network"] = json!(r.network);
    }
    v
}

pub fn status(g: &Global, args: &MigrateFromArgs) -> Result<(), CliError> {
    let vault = open(g)?;
    let report = vault.migration_report(&args.from)?;
    let challenge = vault.backup_challenge(&args.from)?.map(|c| c.positions);
    let count = |s: RowState| report.migration.rows.iter().filter(|r| r.state == s).count();
    let (pending, signed, manual) = (count(RowState::Pending), count(RowState::Signed), count(RowState::Manual));
    if g.json {
        return print_json(&json!({
            "from": report.from,
            "to": report.to,
            "backup_checked": report.backup_checked,
            "challenge": challenge,
            "rows": { "total": report.migration.rows.len(), "pending": pending, "signed": signed, "manual": manual },
            "receipts": report.migration.receipts.len(),
        }));
    }
    print_table(
        &["FIELD", "VALUE"],
        &[
            vec!["from".into(), report.from.clone()],
            vec!["to".into(), report.to.clone()],
            vec![
                "backup checked".into(),
                match &challenge {
                    Some(p) => format!("no: answer words {} (coffer migrate verify)", join(p)),
                    None => "yes".into(),
                },
            ],
            vec![
                "rows".into(),
                format!("{} ({pending} pending, {signed} signed, {manual} manual)", report.migration.rows.len()),
            ],
            vec!["receipts".into(), report.migration.receipts.len().to_string()],
        ],
    )
}

fn report_json(r: &Report) -> Value {
    let m = &r.migration;
    json!({
        "from": r.from,
        "to": r.to,
        "backup_checked": r.backup_checked,
        "created": m.created,
        "created_utc": utc(m.created),
        "rows": m.rows.iter().map(row_json).collect::<Vec<_>>(),
        "receipts": m.receipts.iter().map(|c| receipt_json(c, &m.rows[c.row])).collect::<Vec<_>>(),
        "manual_steps": r.manual_steps,
    })
}

pub fn report(g: &Global, args: &MigrateFromArgs) -> Result<(), CliError> {
    let vault = open(g)?;
    let report = vault.migration_report(&args.from)?;
    drop(vault);
    if g.json {
        return print_json(&report_json(&report));
    }
    print_line(&format!(
        "Migration from \"{}\" to \"{}\" (backup checked: {})",
        report.from, report.to, report.backup_checked
    ))?;
    print_line("")?;
    print_rows(g, &report.migration.rows)?;
    for c in &report.migration.receipts {
        let row = &report.migration.rows[c.row];
        print_line("")?;
        print_line(&format!(
            "{} {} signed {}: tx {}",
            c.chain,
            row.path().map(|p| p.to_string()).unwrap_or_default(),
            utc(c.time),
            c.tx_id
        ))?;
        for b in c.broadcast() {
            print_line(&format!("  {b}"))?;
        }
    }
    print_line("")?;
    print_line("Manual steps:")?;
    for s in &report.manual_steps {
        print_line(&format!("  - {s}"))?;
    }
    Ok(())
}
