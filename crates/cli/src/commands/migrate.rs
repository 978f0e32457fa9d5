//! `coffer migrate compromised|start|verify|plan|sweep|status|report`: move the funds of a compromised seed to a
//! fresh one. The core (`coffer_core::migrate`) does the work; this module reads arguments, asks, and prints.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use coffer_core::holdings::iota_sui::Holdings;
use coffer_core::migrate::{
    self, Destination, MigrateError, PlanRow, Receipt, ReceiptWithRow, Report, RowState, Selection, SolanaRecent,
    SolanaSweep, StellarSweep, Trustline,
};
use coffer_core::secret::SecretString;
use coffer_core::sign::{Network, Payload, SignRequest};
use coffer_core::vault::Vault;
use coffer_core::{AccountIndex, AddressIndex, Chain, WordCount};
use coffer_keyring::Keyring;
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

mod stellar;
pub(super) use stellar::read_stellar_accounts;

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

/// A plan row as docs/cli.md documents it: coffer-core's serde form of [`PlanRow`].
fn row_json(r: &PlanRow) -> Value {
    json!(r)
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

/// How a Solana sweep is made recent: `--blockhash`, or one `--nonce-account` per transaction with its `--nonce`
/// (offline, paired in order) or its value read from the network (`fetched`: each nonce account's address and
/// current value).
fn solana_recent(args: &MigrateSweepArgs, fetched: Option<&[(String, String)]>) -> Result<Vec<SolanaRecent>, CliError> {
    let usage = |m: &str| CliError::new(code::USAGE, "usage", format!("a solana sweep needs {m}"));
    match (&args.blockhash, args.nonce_account.is_empty()) {
        (Some(h), true) => return Ok(vec![SolanaRecent::Blockhash(migrate::parse_blockhash(h, "blockhash")?)]),
        (None, false) => {}
        _ => return Err(usage("--blockhash, or --nonce-account and --nonce")),
    }
    let values: Vec<&str> = match fetched {
        None if args.nonce.len() == args.nonce_account.len() => args.nonce.iter().map(String::as_str).collect(),
        None => return Err(usage("one --nonce for each --nonce-account, in the same order")),
        Some(found) => args
            .nonce_account
            .iter()
            .map(|a| {
                found.iter().find(|(address, _)| address == a).map(|(_, v)| v.as_str()).ok_or_else(|| {
                    CliError::invalid(
                        "unknown_nonce_account",
                        format!(
                            "nonce account {a} is not among the nonce accounts whose authority is the old address \
                             (read from the network): only those can make the sweep recent"
                        ),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
    };
    args.nonce_account
        .iter()
        .zip(values)
        .map(|(a, v)| {
            Ok(SolanaRecent::Nonce {
                account: migrate::parse_blockhash(a, "nonce account")?,
                value: migrate::parse_blockhash(v, "nonce value")?,
            })
        })
        .collect()
}

/// What to sweep, read and checked before the vault is opened.
enum SweepInput {
    Stellar(StellarSweep, Network),
    Solana(SolanaSweep),
    SolanaHoldings(Box<coffer_core::holdings::solana::SolanaHoldings>, migrate::SolanaSweepOptions),
    Tx(String),
    MoveHoldings(Box<Holdings>, u64),
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
        Chain::Solana if args.holdings.is_some() => {
            let path = args.holdings.as_deref().unwrap_or(std::path::Path::new("-"));
            let text = read_text(path, "holdings")?;
            let holdings = parse_solana_holdings(&text)?;
            let options = migrate::SolanaSweepOptions {
                compute_unit_price: args.priority_fee.unwrap_or(0),
                recent: solana_recent(args, None)?,
            };
            Ok(SweepInput::SolanaHoldings(Box::new(holdings), options))
        }
        Chain::Solana => {
            let text =
                args.balance.as_deref().ok_or_else(|| missing("--balance LAMPORTS (or --holdings FILE)"))?.trim();
            let balance = text
                .parse::<u64>()
                .map_err(|_| CliError::invalid("invalid_balance", "--balance must be a whole number of lamports"))?;
            let recent = match solana_recent(args, None)?.as_slice() {
                [one] => one.clone(),
                _ => {
                    return Err(CliError::new(
                        code::USAGE,
                        "usage",
                        "a sweep by --balance is one transaction: give one --nonce-account (more are for --holdings \
                         or --online sweeps)",
                    ));
                }
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
        Chain::Iota | Chain::Sui if let Some(file) = args.holdings.as_deref() => {
            let holdings = read_holdings(chain, file)?;
            Ok(SweepInput::MoveHoldings(Box::new(holdings), args.gas_price.unwrap_or(migrate::DEFAULT_GAS_PRICE)))
        }
        Chain::Iota | Chain::Sui => {
            let file = args
                .tx_file
                .as_deref()
                .ok_or_else(|| missing("--holdings FILE or --tx-file FILE (the unsigned TransactionData)"))?;
            Ok(SweepInput::Tx(read_text(file, "transaction")?.trim().to_owned()))
        }
        other => Err(CliError::invalid(
            "unsupported",
            format!("{other} cannot be swept by Coffer (see the manual steps in coffer migrate report)"),
        )),
    }
}

pub fn sweep(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    if args.online {
        return match args.chain.parse::<Chain>() {
            Ok(Chain::Stellar) => stellar::stellar_online_sweep(g, args),
            Ok(Chain::Iota | Chain::Sui) => move_online_sweep(g, args),
            _ => sweep_online(g, args),
        };
    }
    let chain: Chain = args.chain.parse()?;
    one_stdin(&[g.password_file.as_deref(), args.tx_file.as_deref(), args.holdings.as_deref()])?;
    super::sign::check_network(chain, args.network.as_deref())?;
    match (&args.holdings, chain) {
        (Some(path), Chain::Stellar) => return stellar::stellar_holdings_sweep(g, args, path),
        (Some(_), Chain::Solana | Chain::Iota | Chain::Sui) | (None, _) => {}
        (Some(_), _) => {
            return Err(CliError::new(
                code::USAGE,
                "usage",
                format!("--holdings is for solana, stellar, iota and sui sweeps, not {chain}"),
            ));
        }
    }
    let input = sweep_input(chain, args)?;
    let mut vault = open(g)?;
    let request = match input {
        // The complete sweeps build, show and sign several transactions themselves.
        SweepInput::SolanaHoldings(holdings, options) => {
            return sweep_solana_holdings(g, args, vault, &holdings, &options);
        }
        SweepInput::MoveHoldings(holdings, gas_price) => {
            return sweep_holdings(g, args, &mut vault, chain, &holdings, gas_price, None);
        }
        SweepInput::Tx(text) => SignRequest::new(chain, Payload::Transaction(text)),
        SweepInput::Stellar(sweep, network) => {
            let row = planned(&vault, &args.from, chain, args.account)?;
            if !sweep.trustlines.is_empty() {
                let lines: Vec<String> = sweep.trustlines.iter().map(ToString::to_string).collect();
                vault.note_manual_step(
                    &args.from,
                    chain,
                    AccountIndex::new(args.account)?,
                    AddressIndex::ZERO,
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

/// A complete Solana sweep, built, guarded, shown once and signed in order.
struct SignedSweep {
    plan: migrate::SolanaSweepPlan,
    receipts: Vec<Receipt>,
    summaries: Vec<Value>,
    row: PlanRow,
}

/// The complete Solana sweep of one row from its holdings: every transaction is built, checked by the guard and
/// shown (one preview: what moves, in which transaction, what stays and why, fees and rent), confirmed once, then
/// signed in order. Broadcast them in that order: the SOL moves in the last.
fn sign_solana_holdings(
    g: &Global,
    args: &MigrateSweepArgs,
    vault: &mut Vault,
    holdings: &coffer_core::holdings::solana::SolanaHoldings,
    options: &migrate::SolanaSweepOptions,
) -> Result<SignedSweep, CliError> {
    use coffer_core::sign::solana::format_sol;
    let row = planned(vault, &args.from, Chain::Solana, args.account)?;
    let plan = migrate::build_solana_full_sweep(&row.old_address, &row.new_address, holdings, options)?;
    let requests: Vec<SignRequest> =
        plan.transactions.iter().map(|t| SignRequest::new(Chain::Solana, Payload::Transaction(t.tx.clone()))).collect();
    // The guard runs on every transaction before anything is shown or asked.
    let mut shown = Vec::with_capacity(requests.len() + 1);
    let mut summaries = Vec::with_capacity(requests.len());
    let n = requests.len();
    let mut preview =
        format!("Sweep of {} to {} in {n} transaction(s), in this order:\n", row.old_address, row.new_address);
    for (i, (t, r)) in plan.transactions.iter().zip(&requests).enumerate() {
        let (decoded, _) = vault.check_sweep(&args.from, r)?;
        preview.push_str(&format!("  transaction {} (fee {}):\n", i + 1, format_sol(t.fee)));
        for m in &t.moves {
            preview.push_str(&format!("    moves: {m}\n"));
        }
        shown.push(format!("transaction {} of {n}:\n{}", i + 1, render(decoded.summary())));
        summaries.push(summary_json(decoded.summary()));
    }
    for l in &plan.left {
        preview.push_str(&format!("  stays: {}: {}\n", l.what, l.why));
    }
    preview.push_str(&format!(
        "  fees {}, rent for the new address's token accounts {}, SOL moved last {}: the old address ends at 0",
        format_sol(plan.fees),
        format_sol(plan.rent),
        format_sol(plan.sol)
    ));
    shown.insert(0, preview);
    if !g.json {
        for s in &shown {
            eprintln!("{s}");
        }
    }
    if !args.yes {
        confirm(if g.json { &shown } else { &[] }, n, false)?;
    }
    // One sweep: its transactions are judged together once sent (the row is confirmed when all of them are).
    let mut receipts = Vec::with_capacity(n);
    vault.sign_sweeps(&args.from, &requests, &mut receipts)?;
    let m = vault.migration(&args.from)?;
    let row = m.rows[receipts[0].row].clone();
    Ok(SignedSweep { plan, receipts, summaries, row })
}

fn sweep_solana_holdings(
    g: &Global,
    args: &MigrateSweepArgs,
    mut vault: super::vault::OpenVault,
    holdings: &coffer_core::holdings::solana::SolanaHoldings,
    options: &migrate::SolanaSweepOptions,
) -> Result<(), CliError> {
    let SignedSweep { plan, receipts, summaries, row } = sign_solana_holdings(g, args, &mut vault, holdings, options)?;
    drop(vault);
    let n = receipts.len();
    if g.json {
        let transactions: Vec<Value> = receipts
            .iter()
            .zip(summaries)
            .zip(&plan.transactions)
            .map(|((r, summary), t)| {
                let mut v = receipt_json(r, &row);
                v["summary"] = summary;
                v["fee"] = json!(t.fee.to_string());
                v["rent"] = json!(t.rent.to_string());
                v["moves"] = json!(t.moves);
                v
            })
            .collect();
        return print_json(&json!({
            "chain": "solana",
            "row": row_json(&row),
            "transactions": transactions,
            "left": left_json(&plan),
            "fees": plan.fees.to_string(),
            "rent": plan.rent.to_string(),
            "sol": plan.sol.to_string(),
        }));
    }
    for (i, r) in receipts.iter().enumerate() {
        print_line(&format!("transaction {} of {n}", i + 1))?;
        print_line(&format!("tx_id: {}", r.tx_id))?;
        print_line(&format!("signed_tx: {}", r.tx))?;
    }
    print_line("Broadcast them in this order, each after the one before is confirmed (Coffer never does):")?;
    for r in &receipts {
        for c in r.broadcast() {
            print_line(&format!("  {c}"))?;
        }
    }
    Ok(())
}

fn left_json(plan: &migrate::SolanaSweepPlan) -> Vec<Value> {
    plan.left.iter().map(|l| json!({ "what": l.what, "why": l.why })).collect()
}

/// The chain and network of `migrate sweep --online` (for main, which starts coffer-net first).
pub fn online_target(
    args: &MigrateSweepArgs,
) -> Result<(Chain, coffer_net_proto::Chain, coffer_net_proto::Network), CliError> {
    if args.chain == "stellar" {
        return stellar::online_target(args);
    }
    super::balance::net_target(
        "migrate sweep --online",
        &[Chain::Solana, Chain::Stellar, Chain::Iota, Chain::Sui],
        &args.chain,
        args.network.as_deref().unwrap_or("mainnet"),
        args.endpoint.as_deref(),
    )
}

/// `migrate sweep --chain solana --online`: the holdings, mint decimals and a blockhash from coffer-net, the
/// complete sweep built, guarded, confirmed and signed here, then each transaction broadcast and confirmed in order.
/// Progress goes to standard output: JSON lines with --json (`event`: `holdings`, `signed`, `sent`, `confirmed`,
/// `done`), else one line per step.
fn sweep_online(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    use coffer_net_proto::{Call, Reply};
    let (chain, proto, network) = online_target(args)?;
    let mut vault = open(g)?;
    let row = planned(&vault, &args.from, chain, args.account)?;
    let mut net = crate::net::client()?;
    let other = super::balance::other_reply;
    let progress = |v: Value, text: String| -> Result<(), CliError> {
        if g.json { print_line(&crate::output::json_line(&v)) } else { print_line(&text) }
    };
    let (old, new) = (row.old_address.clone(), row.new_address.clone());
    // The shared conversion of the app and the CLI (coffer_net_proto::holdings).
    let fetched = coffer_net_proto::holdings::solana(net.shared(), network, &old, &new, &mut |_, _| {})
        .map_err(crate::net::fetch_error)?;
    let (holdings, endpoint) = (fetched.holdings, fetched.endpoint);
    let lamports = holdings.lamports;
    progress(
        json!({
            "event": "holdings",
            "address": old,
            "lamports": lamports.to_string(),
            "token_accounts": holdings.token_accounts.len(),
            "stake_accounts": holdings.stake_accounts.len(),
            "nonce_accounts": holdings.nonce_accounts.len(),
            "endpoint": endpoint,
        }),
        format!(
            "{old} holds {}, {} token account(s), {} stake and {} nonce account(s) (reported by {endpoint})",
            coffer_core::sign::solana::format_sol(lamports),
            holdings.token_accounts.len(),
            holdings.stake_accounts.len(),
            holdings.nonce_accounts.len()
        ),
    )?;
    // Durable nonces: each --nonce-account's current value, as the network reported it above; else the blockhash.
    let recent = if args.nonce_account.is_empty() {
        vec![SolanaRecent::Blockhash(migrate::parse_blockhash(&fetched.blockhash, "blockhash")?)]
    } else {
        let nonces: Vec<(String, String)> =
            holdings.nonce_accounts.iter().map(|n| (n.address.clone(), n.nonce.clone())).collect();
        solana_recent(args, Some(&nonces))?
    };
    let options = migrate::SolanaSweepOptions { compute_unit_price: args.priority_fee.unwrap_or(0), recent };
    // The vault stays open (and locked) until the end: each step is recorded in it as soon as it happens.
    let SignedSweep { plan, receipts, row, .. } = sign_solana_holdings(g, args, &mut vault, &holdings, &options)?;
    let n = receipts.len();
    for (i, (r, t)) in receipts.iter().zip(&plan.transactions).enumerate() {
        let mut v = receipt_json(r, &row);
        v["event"] = json!("signed");
        v["index"] = json!(i);
        v["moves"] = json!(t.moves);
        progress(v, format!("signed {} of {n}: {}", i + 1, r.tx_id))?;
    }
    for (i, r) in receipts.iter().enumerate() {
        let (reply, sent_to) = net
            .call(proto, network, Call::SendTransaction { transaction: r.tx.clone() })
            .map_err(|e| record_failure(&mut vault, &args.from, r, network, (Phase::Sending, ""), e))?;
        let Reply::Sent { signature } = reply else { return Err(other()) };
        if signature != r.tx_id {
            return Err(CliError::new(
                code::NETWORK,
                "signature_mismatch",
                format!("the endpoint reported the id {signature}, not the transaction's own {}", r.tx_id),
            ));
        }
        let sent_to = sent_to.unwrap_or_default();
        let explorer = record_sent(&mut vault, &args.from, r, network, &sent_to, false)?;
        progress(
            json!({"event": "sent", "index": i, "signature": signature, "explorer": explorer}),
            format!("sent {} of {n}{}", i + 1, explorer.as_deref().map(|e| format!(": {e}")).unwrap_or_default()),
        )?;
        // As `coffer broadcast --wait`; a timeout or a failure stops the sweep: the later transactions are not sent.
        let status = super::online::await_status(&mut net, proto, network, &r.tx_id, args.timeout).map_err(|e| {
            let e = record_failure(&mut vault, &args.from, r, network, (Phase::Waiting, &sent_to), e);
            CliError::new(
                e.code(),
                e.kind(),
                format!("{} ({} of {n}); the later ones were not sent", e.message(), i + 1),
            )
        })?;
        let explorer = record_sent(&mut vault, &args.from, r, network, &sent_to, true)?;
        progress(
            json!({"event": "confirmed", "index": i, "signature": r.tx_id, "slot": status.slot, "explorer": explorer}),
            format!("confirmed {} of {n} at slot {}", i + 1, status.slot),
        )?;
    }
    drop(vault);
    progress(
        json!({
            "event": "done",
            "transactions": n,
            "left": left_json(&plan),
            "fees": plan.fees.to_string(),
            "rent": plan.rent.to_string(),
            "sol": plan.sol.to_string(),
        }),
        format!("done: {n} transaction(s) confirmed; everything listed moved to {new}"),
    )
}

/// Reads an IOTA/Sui holdings file: the holdings object, with an optional `"chain"` that must match `--chain`.
pub(super) fn read_holdings(chain: Chain, file: &std::path::Path) -> Result<Holdings, CliError> {
    let text = read_text(file, "holdings")?;
    let bad = |why: String| CliError::invalid("invalid_holdings", format!("the holdings file: {why}"));
    let mut value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if let Some(map) = value.as_object_mut()
        && let Some(named) = map.remove("chain")
        && named.as_str() != Some(chain.name())
    {
        return Err(bad(format!("it is for chain {named}, not {chain}")));
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// `--holdings`: Coffer builds every transaction of the sweep, shows what moves and what stays, runs the guard on
/// each, asks once, and signs them all.
fn sweep_holdings(
    g: &Global,
    args: &MigrateSweepArgs,
    vault: &mut Vault,
    chain: Chain,
    holdings: &Holdings,
    gas_price: u64,
    mut online: Option<MoveOnline<'_>>,
) -> Result<(), CliError> {
    let owner = coffer_core::holdings::iota_sui::parse_object_id(&holdings.address);
    let m = vault.migration(&args.from)?;
    let found = m
        .rows
        .iter()
        .find(|r| {
            r.chain == chain
                && owner.is_some()
                && coffer_core::holdings::iota_sui::parse_object_id(&r.old_address) == owner
        })
        .ok_or_else(|| {
            CliError::invalid(
                "row_not_planned",
                format!(
                    "the holdings are of {}, which is not a planned {chain} address of \"{}\"",
                    holdings.address, args.from
                ),
            )
        })?;
    let row = vault.sweep_row(&args.from, chain, AccountIndex::new(found.account)?, AddressIndex::new(found.index)?)?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut built = migrate::build_move_sweep(chain, &row.old_address, &row.new_address, holdings, gas_price, now_ms)?;
    if let Some(o) = &online {
        built.left.extend(o.incomplete.iter().cloned());
    }
    let requests: Vec<SignRequest> = built
        .transactions
        .iter()
        .map(|t| SignRequest::new(chain, Payload::Transaction(B64.encode(&t.bytes))))
        .collect();
    // The guard runs on every transaction before anything is shown or asked.
    let mut decoded = Vec::with_capacity(requests.len());
    for r in &requests {
        decoded.push(vault.check_sweep(&args.from, r)?.0);
    }
    let unit = if chain == Chain::Sui { "MIST" } else { "nanos" };
    let mut preview = format!(
        "Sweep of {} to {} in {} transaction(s), gas price {gas_price} {unit}:\n",
        row.old_address,
        row.new_address,
        built.transactions.len()
    );
    for (i, t) in built.transactions.iter().enumerate() {
        preview.push_str(&format!("transaction {} (gas budget at most {} {unit}) moves:\n", i + 1, t.gas_budget));
        if let Some(o) = online.as_mut() {
            // The network runs it first: a transaction that would fail is not signed.
            let tx_bytes = B64.encode(&t.bytes);
            let (reply, _) =
                o.net.call(o.proto, o.network, coffer_net_proto::Call::DryRunTransactionBlock { tx_bytes })?;
            let coffer_net_proto::Reply::DryRun { success, error, computation_cost, storage_cost, storage_rebate } =
                reply
            else {
                return Err(super::balance::other_reply());
            };
            if !success {
                return Err(CliError::new(
                    code::TX_FAILED,
                    "dry_run_failed",
                    format!(
                        "transaction {} of the sweep would fail on chain ({}); nothing was signed",
                        i + 1,
                        error.unwrap_or_default()
                    ),
                ));
            }
            preview.push_str(&format!(
                "  (dry run: succeeds; computation {} + storage {} - rebate {} {unit})\n",
                computation_cost.value(),
                storage_cost.value(),
                storage_rebate.value()
            ));
        }
        for line in &t.moves {
            preview.push_str(&format!("  - {line}\n"));
        }
    }
    if built.left.is_empty() {
        preview.push_str("Nothing stays at the old address.");
    } else {
        preview.push_str("Stays at the old address:");
        for l in &built.left {
            preview.push_str(&format!("\n  - {}: {}", l.what, l.reason));
        }
    }
    let shown: Vec<String> = decoded.iter().map(|d| render(d.summary())).collect();
    if !g.json {
        eprintln!("{preview}");
        for s in &shown {
            eprintln!("{s}");
        }
    }
    if !args.yes {
        let mut all = vec![preview.clone()];
        all.extend(shown.iter().cloned());
        confirm(if g.json { &all } else { &[] }, requests.len(), false)?;
    }
    if !built.left.is_empty() {
        let lines: Vec<String> = built.left.iter().map(|l| format!("{}: {}", l.what, l.reason)).collect();
        vault.note_manual_step(
            &args.from,
            chain,
            AccountIndex::new(row.account)?,
            AddressIndex::new(row.index)?,
            &format!("left by the sweep: {}", lines.join("; ")),
        )?;
    }
    let mut receipts = Vec::with_capacity(requests.len());
    vault.sign_sweeps(&args.from, &requests, &mut receipts)?;
    let m = vault.migration(&args.from)?;
    // Online: execute each, and believe the endpoint's digest only if it is the transaction's own.
    let mut executed = Vec::new();
    if let Some(o) = online.as_mut() {
        for receipt in &receipts {
            let call = coffer_net_proto::Call::ExecuteTransaction {
                transaction: receipt.tx.clone(),
                signatures: vec![receipt.signature.clone()],
            };
            // coffer-net checks the digest against the bytes; checked here again, against the receipt.
            let (reply, sent_to) = o
                .net
                .call(o.proto, o.network, call)
                .map_err(|e| record_failure(vault, &args.from, receipt, o.network, (Phase::Sending, ""), e))?;
            let coffer_net_proto::Reply::Sent { signature: digest } = reply else {
                return Err(super::balance::other_reply());
            };
            if digest != receipt.tx_id {
                return Err(CliError::new(
                    code::NETWORK,
                    "signature_mismatch",
                    format!("the endpoint reports digest {digest} for transaction {}", receipt.tx_id),
                ));
            }
            // Executed: recorded at once; then its effects are asked for as `coffer broadcast --wait` does (an
            // executed transaction may have failed) and, once the network reports them, it is recorded confirmed.
            let sent_to = sent_to.unwrap_or_default();
            record_sent(vault, &args.from, receipt, o.network, &sent_to, false)?;
            executed.push(receipt.tx_id.clone());
            super::online::await_status(o.net, o.proto, o.network, &receipt.tx_id, args.timeout)
                .map_err(|e| record_failure(vault, &args.from, receipt, o.network, (Phase::Waiting, &sent_to), e))?;
            record_sent(vault, &args.from, receipt, o.network, &sent_to, true)?;
        }
        receipts = refreshed(vault, &args.from, &receipts)?;
    }
    if g.json {
        let transactions: Vec<Value> = receipts
            .iter()
            .zip(&decoded)
            .zip(&built.transactions)
            .map(|((receipt, d), t)| {
                let mut v = receipt_json(receipt, &m.rows[receipt.row]);
                v["summary"] = summary_json(d.summary());
                v["gas_budget"] = json!(t.gas_budget);
                v["moves"] = json!(t.moves);
                v
            })
            .collect();
        let left: Vec<Value> = built.left.iter().map(|l| json!({ "what": l.what, "reason": l.reason })).collect();
        let mut out = json!({ "chain": chain.name(), "transactions": transactions, "left": left });
        if let Some(o) = &online {
            out["executed"] = json!(executed);
            out["network"] = json!(o.network.name());
            out["endpoint"] = json!(o.endpoint);
        }
        return print_json(&out);
    }
    for id in &executed {
        let explorer = receipts.iter().find(|r| &r.tx_id == id).and_then(Receipt::explorer);
        print_line(&format!("executed: {id}{}", explorer.map(|e| format!(" {e}")).unwrap_or_default()))?;
    }
    for (i, receipt) in receipts.iter().enumerate() {
        print_line(&format!("transaction {} of {}", i + 1, receipts.len()))?;
        print_line(&format!("tx_id: {}", receipt.tx_id))?;
        print_line(&format!("signature: {}", receipt.signature))?;
        print_line(&format!("tx_bytes: {}", receipt.tx))?;
        print_line("Broadcast it with (Coffer never does):")?;
        for c in receipt.broadcast() {
            print_line(&format!("  {c}"))?;
        }
    }
    for l in &built.left {
        print_line(&format!("left: {}: {}", l.what, l.reason))?;
    }
    Ok(())
}

/// The network side of an online sweep.
struct MoveOnline<'a> {
    net: &'a mut crate::net::NetClient,
    proto: coffer_net_proto::Chain,
    network: coffer_net_proto::Network,
    endpoint: Option<String>,
    /// What the network could not list completely (more than its 1000 items a list).
    incomplete: Vec<migrate::LeftBehind>,
}

/// `migrate sweep --chain iota|sui --online`: the holdings (every coin, every other object with whether it may be
/// transferred and, on IOTA, when a `TimeLock` ends) and the reference gas price from coffer-net, then as
/// `--holdings`, with a dry run of each transaction before asking and its execution after.
fn move_online_sweep(g: &Global, args: &MigrateSweepArgs) -> Result<(), CliError> {
    let (chain, proto, network) = online_target(args)?;
    let mut net = crate::net::client()?;
    let mut vault = open(g)?;
    let row = planned(&vault, &args.from, chain, args.account)?;
    // The shared conversion of the app and the CLI (coffer_net_proto::holdings).
    let fetched =
        coffer_net_proto::holdings::move_chain(net.shared(), proto, network, &row.old_address, &mut |_, _| {})
            .map_err(crate::net::fetch_error)?;
    let gas_price = args.gas_price.unwrap_or(migrate::DEFAULT_GAS_PRICE).max(fetched.reference_gas_price);
    let endpoint = Some(fetched.endpoint).filter(|e| !e.is_empty());
    let online = MoveOnline { net: &mut net, proto, network, endpoint, incomplete: fetched.incomplete };
    sweep_holdings(g, args, &mut vault, chain, &fetched.holdings, gas_price, Some(online))
}

/// A Solana holdings file (docs/cli.md, "Holdings file"): its optional `chain` must say `solana`, as the other
/// chains' files name theirs.
pub(super) fn parse_solana_holdings(text: &str) -> Result<coffer_core::holdings::solana::SolanaHoldings, CliError> {
    let bad = |why: String| CliError::invalid("invalid_holdings", why);
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| bad(format!("the holdings file does not parse: {e}")))?;
    if let Some(chain) = value.as_object_mut().and_then(|o| o.remove("chain"))
        && chain != "solana"
    {
        return Err(bad(format!("the holdings file is for {chain}, not solana")));
    }
    serde_json::from_value(value).map_err(|e| bad(format!("the holdings file does not parse: {e}")))
}

/// Records in the vault, at once, that the signed sweep `receipt` was sent to `network` through `endpoint` (and
/// whether the network confirmed it): the vault is the record `migrate status`/`report` and the app read. Returns the
/// transaction's explorer link, if a public explorer knows the network.
pub(in crate::commands) fn record_sent(
    vault: &mut Vault,
    from: &str,
    receipt: &Receipt,
    network: coffer_net_proto::Network,
    endpoint: &str,
    confirmed: bool,
) -> Result<Option<String>, CliError> {
    let explorer = coffer_core::explorer::transaction_url(receipt.chain, network.name(), endpoint, &receipt.tx_id);
    if let Err(e) = vault.record_sent(from, &receipt.tx_id, network.name(), endpoint, confirmed) {
        // The transaction went out: the error must not read as "not sent". Its kind and exit code stay the vault's.
        let e = CliError::from(e);
        let link = explorer.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
        let what = if confirmed { "was confirmed" } else { "was sent" };
        return Err(CliError::new(
            e.code(),
            e.kind(),
            format!("transaction {}{link} {what}, but the vault could not record it: {}", receipt.tx_id, e.message()),
        ));
    }
    Ok(explorer)
}

/// Where a sweep transaction was when an error came: being sent, or sent (the endpoint took it) and followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::commands) enum Phase {
    /// The broadcast itself: `endpoint_rejected` means the endpoint refused the transaction.
    Sending,
    /// Asking for its status: only `transaction_failed` (included, and failed) says it will not go through; an
    /// endpoint refusing the status query says nothing about the transaction, which may have landed.
    Waiting,
}

/// When `e` says that `receipt` did not and will not go through (the endpoint refused it while `Sending`,
/// `endpoint_rejected`, or it failed on chain, `transaction_failed`), records it failed in the vault with the
/// network's words (`migrate status` then shows it, and its row, failed) and says what to do in the message; other
/// errors (a timeout, a status query refused: it may still land) are returned as they are.
pub(in crate::commands) fn record_failure(
    vault: &mut Vault,
    from: &str,
    receipt: &Receipt,
    network: coffer_net_proto::Network,
    (phase, endpoint): (Phase, &str),
    e: CliError,
) -> CliError {
    let Some(reason) = failure_reason(phase, &e) else { return e };
    let said = match vault.record_failed(from, &receipt.tx_id, network.name(), endpoint, &reason) {
        Ok(_) => format!(
            "recorded as failed: what it would have moved is still at the old address {}; sweep it again",
            receipt_row_address(vault, from, receipt)
        ),
        Err(r) => format!("it could not be recorded as failed in the vault: {r}"),
    };
    CliError::new(e.code(), e.kind(), format!("{} ({said})", e.message()))
}

/// What to record as the reason a transaction will not go through, or `None` when `e` does not say so.
fn failure_reason(phase: Phase, e: &CliError) -> Option<String> {
    match (phase, e.kind()) {
        (Phase::Sending, "endpoint_rejected") => Some(format!("refused by the endpoint: {}", e.message())),
        (_, "transaction_failed") => Some(e.message().to_owned()),
        _ => None,
    }
}

fn receipt_row_address(vault: &Vault, from: &str, receipt: &Receipt) -> String {
    vault.migration(from).ok().and_then(|m| m.rows.get(receipt.row).map(|r| r.old_address.clone())).unwrap_or_default()
}

/// `receipts` as the vault now holds them (with what was recorded of their sending).
fn refreshed(vault: &Vault, from: &str, receipts: &[Receipt]) -> Result<Vec<Receipt>, CliError> {
    let m = vault.migration(from)?;
    Ok(receipts.iter().map(|r| m.receipts.iter().rev().find(|c| c.tx_id == r.tx_id).unwrap_or(r).clone()).collect())
}

fn planned(vault: &Vault, from: &str, chain: Chain, account: u32) -> Result<PlanRow, CliError> {
    Ok(vault.sweep_row(from, chain, AccountIndex::new(account)?, AddressIndex::ZERO)?)
}

/// A receipt with its row as docs/cli.md documents it (coffer-core's serde form of [`ReceiptWithRow`]).
fn receipt_json(r: &Receipt, row: &PlanRow) -> Value {
    json!(ReceiptWithRow::new(r, Some(row)))
}

pub fn status(g: &Global, args: &MigrateFromArgs) -> Result<(), CliError> {
    let vault = open(g)?;
    let report = vault.migration_report(&args.from)?;
    let challenge = vault.backup_challenge(&args.from)?.map(|c| c.positions);
    let count = |s: RowState| report.migration.rows.iter().filter(|r| r.state == s).count();
    let (pending, signed, manual) = (count(RowState::Pending), count(RowState::Signed), count(RowState::Manual));
    let (broadcast, confirmed) = (count(RowState::Broadcast), count(RowState::Confirmed));
    let failed = count(RowState::Failed);
    if g.json {
        return print_json(&json!({
            "from": report.from,
            "to": report.to,
            "backup_checked": report.backup_checked,
            "challenge": challenge,
            "rows": {
                "total": report.migration.rows.len(),
                "pending": pending,
                "signed": signed,
                "manual": manual,
                "broadcast": broadcast,
                "confirmed": confirmed,
                "failed": failed,
            },
            "receipts": report.migration.receipts.len(),
            "transactions": transactions_json(&report.migration),
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
                format!(
                    "{} ({pending} pending, {signed} signed, {broadcast} broadcast, {confirmed} confirmed, {failed} \
                     failed, {manual} manual)",
                    report.migration.rows.len()
                ),
            ],
            vec!["receipts".into(), report.migration.receipts.len().to_string()],
        ],
    )?;
    for line in transaction_lines(&report.migration) {
        print_line(&line)?;
    }
    for r in report.migration.rows.iter().filter(|r| r.state == RowState::Failed) {
        print_line(&format!("{}: {}", r.chain, failed_row_step(&report.from, r)))?;
    }
    Ok(())
}

/// What to do about a failed row: its funds are still at the old address.
fn failed_row_step(from: &str, r: &PlanRow) -> String {
    format!(
        "the newest sweep of {} failed: what it would have moved is still there; sweep it again (coffer migrate \
         sweep --from {from:?} --chain {} --account {})",
        r.old_address, r.chain, r.account
    )
}

/// How far a signed sweep got, from the vault: `confirmed`, `failed` (the network said it did not go through) or
/// `broadcast` once Coffer sent it (the app, `migrate sweep --online`, `broadcast --from`), else `signed`.
fn sent_state(r: &Receipt) -> &'static str {
    match &r.sent {
        Some(s) if s.confirmed => "confirmed",
        Some(s) if s.failed.is_some() => "failed",
        Some(_) => "broadcast",
        None => "signed",
    }
}

/// Every signed sweep of `m`, oldest first, for `migrate status --json`: its row, how far it got, its id, where it
/// was sent and its explorer link.
fn transactions_json(m: &migrate::Migration) -> Vec<Value> {
    m.receipts
        .iter()
        .map(|r| {
            let row = m.rows.get(r.row);
            json!({
                "chain": r.chain,
                "path": row.and_then(|row| row.path().ok()).map(|p| p.to_string()),
                "old_address": row.map(|row| row.old_address.as_str()),
                "new_address": row.map(|row| row.new_address.as_str()),
                "row_state": row.map(|row| row.state),
                "state": sent_state(r),
                "tx_id": r.tx_id,
                "sweep": r.sweep,
                "time_utc": coffer_core::time::utc_iso8601(r.time),
                "sent": r.sent,
                "explorer": r.explorer(),
            })
        })
        .collect()
}

/// One line per signed sweep: chain, path, how far it got, id and explorer link.
fn transaction_lines(m: &migrate::Migration) -> Vec<String> {
    m.receipts
        .iter()
        .map(|r| {
            let path = m.rows.get(r.row).and_then(|row| row.path().ok()).map(|p| p.to_string()).unwrap_or_default();
            let at = r.sent.as_ref().map(|s| format!(" on {}", s.network)).unwrap_or_default();
            let link = r.explorer().map(|e| format!("  {e}")).unwrap_or_default();
            let why = r.sent.as_ref().and_then(|s| s.failed.as_deref()).map(|w| format!(" ({w})")).unwrap_or_default();
            format!("{} {path} {}{at}: {}{link}{why}", r.chain, sent_state(r), r.tx_id)
        })
        .collect()
}

/// The report as docs/cli.md documents it: coffer-core's serde form of [`Report`].
fn report_json(r: &Report) -> Value {
    json!(r)
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
    for r in report.migration.rows.iter().filter(|r| r.state == RowState::Failed) {
        print_line(&format!("{}: {}", r.chain, failed_row_step(&report.from, r)))?;
    }
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
        if let Some(sent) = &c.sent {
            let state = if sent.confirmed { "confirmed" } else { "sent" };
            let link = c.explorer().map(|e| format!(": {e}")).unwrap_or_default();
            if let Some(why) = &sent.failed {
                print_line(&format!("  failed on {} {}: {why}", sent.network, utc(sent.time)))?;
                continue;
            }
            print_line(&format!("  {state} on {} {}{link}", sent.network, utc(sent.time)))?;
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a refused broadcast or a transaction that failed on chain is recorded failed: an endpoint refusing the
    /// *status query* after it took the transaction says nothing about the transaction (it may have landed), and
    /// neither does a timeout.
    #[test]
    fn only_a_refused_send_or_a_failure_on_chain_is_a_failure() {
        let refused = CliError::new(code::NETWORK, "endpoint_rejected", "blockhash not found");
        let failed = CliError::new(code::NETWORK, "transaction_failed", "failed on chain at slot 9");
        let timeout = CliError::new(code::NETWORK, "confirmation_timeout", "not confirmed in 60 s");
        assert_eq!(
            failure_reason(Phase::Sending, &refused).as_deref(),
            Some("refused by the endpoint: blockhash not found")
        );
        assert_eq!(failure_reason(Phase::Waiting, &refused), None, "a refused status query");
        assert_eq!(failure_reason(Phase::Waiting, &failed).as_deref(), Some("failed on chain at slot 9"));
        assert_eq!(failure_reason(Phase::Sending, &timeout), None);
        assert_eq!(failure_reason(Phase::Waiting, &timeout), None);
    }
}
