//! `coffer sign`: decode, show, confirm, sign with a vault seed, log, print.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use coffer_core::sign::{self, Blind, Network, Payload, SignRequest, Signed, Summary};
use coffer_core::{AccountIndex, AddressIndex, Chain, DerivationPath};
use serde_json::{Value, json};

use super::init::needs_yes;
use super::vault::{one_stdin, open};
use crate::cli::{Global, SignArgs};
use crate::error::{CliError, code};
use crate::output::{print_json, print_line, safe};

/// Largest transaction or message file accepted (the core's own bound).
const MAX_INPUT: usize = sign::MAX_INPUT;

pub fn run(g: &Global, args: &SignArgs) -> Result<(), CliError> {
    let chain: Chain = args.chain.parse()?;
    let input = args.tx_file.as_deref().or(args.message_file.as_deref()).or(args.batch.as_deref());
    one_stdin(&[g.password_file.as_deref(), input])?;
    check_network(chain, args.network.as_deref())?;
    let network = args.network.as_deref().map(Network::parse).transpose()?;
    let path = key_path(chain, args)?;

    // Decode everything before asking for the password: malformed input costs nothing.
    let requests = read_requests(chain, args, network)?;
    let decoded = requests.iter().map(sign::decode).collect::<Result<Vec<_>, _>>()?;
    if decoded.is_empty() {
        return Err(CliError::invalid("empty_input", "the batch file holds no transactions"));
    }
    let shown: Vec<String> = decoded.iter().map(|d| render(d.summary())).collect();
    if !g.json {
        // For the person at the terminal (standard output stays machine-readable). With --json the summary is in
        // the result, and shown on the terminal when confirmation is asked.
        for s in &shown {
            eprintln!("{s}");
        }
    }
    // Raw bytes that are a transaction of the key's chain are refused before the password is asked.
    for d in &decoded {
        sign::check_raw(d, &path)?;
    }
    let blind = if args.allow_blind { Blind::Allow } else { Blind::Refuse };
    let undecoded = decoded.iter().any(|d| !d.summary().fully_decoded());
    if undecoded && blind == Blind::Refuse {
        // Let the core produce the precise refusal (it lists what was not decoded).
        let mut vault = open(g)?;
        return Err(vault.sign_batch_at(&args.seed, &path, &decoded[..1], blind).err().map_or_else(
            || CliError::new(code::REFUSED, "blind_refused", "refusing to sign undecoded content"),
            CliError::from,
        ));
    }
    if !args.yes {
        confirm(if g.json { &shown } else { &[] }, decoded.len(), undecoded)?;
    }
    let mut vault = open(g)?;
    let signed = vault.sign_batch_at(&args.seed, &path, &decoded, blind)?;
    drop(vault);
    report(g, args.batch.is_some(), &signed)
}

/// The key's path: explicit, or the chain's standard one.
fn key_path(chain: Chain, args: &SignArgs) -> Result<DerivationPath, CliError> {
    if let Some(p) = &args.path {
        if args.account.is_some() {
            return Err(CliError::invalid(
                "conflicting_arguments",
                "--path names one exact key: it cannot be combined with --account or --index",
            ));
        }
        return Ok(p.parse()?);
    }
    if !chain.uses_index() && args.index.is_some() {
        return Err(CliError::invalid(
            "invalid_index",
            format!("{chain} has no address index (one key per account): use --account"),
        ));
    }
    Ok(chain.path(AccountIndex::new(args.account.unwrap_or(0))?, AddressIndex::new(args.index.unwrap_or(0))?)?)
}

/// `--network` names a Stellar network: for any other chain it is refused rather than ignored.
pub(super) fn check_network(chain: Chain, network: Option<&str>) -> Result<(), CliError> {
    if network.is_some() && chain != Chain::Stellar {
        return Err(CliError::invalid(
            "conflicting_arguments",
            format!("--network names a Stellar network; {chain} transactions carry no network to choose"),
        ));
    }
    Ok(())
}

fn read_requests(chain: Chain, args: &SignArgs, network: Option<Network>) -> Result<Vec<SignRequest>, CliError> {
    let with_net = |r: SignRequest| match &network {
        Some(n) => r.with_network(n.clone()),
        None => r,
    };
    if let Some(file) = &args.tx_file {
        let text = read_text(file, "transaction")?;
        return Ok(vec![with_net(SignRequest::new(chain, Payload::Transaction(text.trim().to_owned())))]);
    }
    if let Some(file) = &args.message_file {
        let bytes = read_bytes(file, "message")?;
        return Ok(vec![SignRequest::new(chain, Payload::Message(bytes))]);
    }
    if let Some(file) = &args.batch {
        let text = read_text(file, "batch")?;
        return Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| with_net(SignRequest::new(chain, Payload::Transaction(l.to_owned()))))
            .collect());
    }
    Err(CliError::new(code::USAGE, "usage", "give --tx-file, --message-file or --batch"))
}

fn read_bytes(path: &Path, what: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let mut buf = Vec::new();
    let limit = (MAX_INPUT + 1) as u64;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut buf))
    };
    result.map_err(|e| CliError::new(code::FAILURE, "io_error", format!("cannot read the {what} file: {e}")))?;
    if buf.len() > MAX_INPUT {
        return Err(CliError::invalid("input_too_long", format!("the {what} file is larger than {MAX_INPUT} bytes")));
    }
    Ok(buf)
}

pub(super) fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    String::from_utf8(read_bytes(path, what)?)
        .map_err(|_| CliError::invalid("invalid_encoding", format!("the {what} file is not text")))
}

/// The summary for people, each line prefixed so it cannot be mistaken for Coffer's own output. The core has already
/// escaped the text a transaction carries (`coffer_core::text::quote`); [`safe`] is a second guard.
pub(super) fn render(summary: &Summary) -> String {
    let mut out = format!("── {} {} ──\n", summary.chain, summary.kind);
    for line in &summary.lines {
        out.push_str(&format!("  {}: {}\n", safe(&line.label), safe(&line.value)));
    }
    for w in &summary.warnings {
        out.push_str(&format!("  WARNING: {}\n", safe(w)));
    }
    for u in &summary.undecoded {
        out.push_str(&format!("  NOT DECODED: {}\n", safe(u)));
    }
    out.push_str("──");
    out
}

/// Asks on the terminal. The transaction may be on standard input, so the answer is read from /dev/tty.
pub(super) fn confirm(show: &[String], count: usize, blind: bool) -> Result<(), CliError> {
    let what = if count == 1 { "signing this".to_owned() } else { format!("signing these {count} transactions") };
    // No controlling terminal (a script, CI): refuse rather than sign unseen.
    let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty");
    let Ok(tty) = tty else { return Err(needs_yes(&what)) };
    if !tty.is_terminal() {
        return Err(needs_yes(&what));
    }
    let mut w = &tty;
    for s in show {
        w.write_all(format!("{s}\n").as_bytes()).map_err(|_| needs_yes(&what))?;
    }
    let prompt = if blind {
        format!("coffer: {what} includes content that was NOT decoded (blind signing). Type 'sign blind' to sign: ")
    } else {
        format!("coffer: confirm {what}? Type 'yes' to sign: ")
    };
    w.write_all(prompt.as_bytes()).and_then(|()| w.flush()).map_err(|_| needs_yes(&what))?;
    let mut answer = String::new();
    std::io::BufReader::new(&tty).read_line(&mut answer).map_err(|_| needs_yes(&what))?;
    let expected = if blind { "sign blind" } else { "yes" };
    if answer.trim() != expected {
        return Err(CliError::new(code::REFUSED, "not_confirmed", "not confirmed; nothing was signed"));
    }
    Ok(())
}

/// The `summary` object of docs/cli.md: coffer-core's serde form of [`Summary`].
pub(super) fn summary_json(s: &Summary) -> Value {
    json!(s)
}

/// A signature as docs/cli.md documents it: coffer-core's serde form of [`Signed`].
fn signed_json(s: &Signed) -> Value {
    json!(s)
}

fn report(g: &Global, batch: bool, signed: &[Signed]) -> Result<(), CliError> {
    if g.json {
        return if batch {
            print_json(&Value::Array(signed.iter().map(signed_json).collect()))
        } else {
            signed.first().map_or(Ok(()), |s| print_json(&signed_json(s)))
        };
    }
    for s in signed {
        match &s.signed_tx {
            Some(tx) if batch => print_line(tx)?,
            None if batch => print_line(&s.signature)?,
            Some(tx) => {
                print_line(&format!("signature: {}", s.signature))?;
                print_line(&format!("signed_tx: {tx}"))?;
            }
            None => print_line(&format!("signature: {}", s.signature))?,
        }
    }
    Ok(())
}
