//! *Sweep everything* in the migration wizard, without egui: the holdings of one plan row (fetched through
//! coffer-net by [`coffer_net_proto::holdings`], or read from a holdings file in the schema of docs/cli.md,
//! "Holdings file"), the core's complete sweep built from them, and the preview shown before signing: every
//! transaction with what it moves (amounts in the chain's units) and its fee, and what stays with the core's reason.
//!
//! The holdings are untrusted (a lying endpoint or a wrong file): the core's builders check every address, and the
//! destination guard decides, for each transaction, what may be signed.

use base64::Engine as _;
use coffer_core::holdings::iota_sui::Holdings as MoveHoldings;
use coffer_core::holdings::solana::SolanaHoldings;
use coffer_core::holdings::stellar::StellarHoldings;
use coffer_core::holdings::{format_amount, format_units};
use coffer_core::migrate::{self, LeftBehind, PlanRow, SolanaRecent, StellarLeft};
use coffer_core::sign::Network as StellarNetwork;
use coffer_core::{Chain, Payload, SignRequest};

/// The largest holdings file read (1 MiB; a holdings file of 1000 accounts is far smaller).
pub const MAX_HOLDINGS_FILE: usize = 1 << 20;

/// What one plan row's old address holds, with what its sweep needs besides.
#[derive(Debug, Clone)]
pub enum RowHoldings {
    /// Solana: the holdings and a recent blockhash (from the network, or typed next to a holdings file).
    Solana {
        /// What the old address holds.
        holdings: SolanaHoldings,
        /// A recent blockhash (base58); empty when a holdings file was read (typed in the wizard then).
        blockhash: String,
    },
    /// Stellar: the old and the new account.
    Stellar {
        /// The old account.
        old: StellarHoldings,
        /// The new account.
        new: StellarHoldings,
        /// Claimable balances that are not claimed (their predicate is unknown), with why.
        unclaimed: Vec<StellarLeft>,
    },
    /// IOTA or Sui: coins and objects.
    Move {
        /// What the old address owns.
        holdings: MoveHoldings,
        /// What the network could not list completely.
        incomplete: Vec<LeftBehind>,
        /// The gas price to pay (at least the reference gas price when the network reported it).
        gas_price: u64,
    },
}

/// Where the holdings came from, for the preview ("reported by …", "read from …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// coffer-net's answer: the endpoint and the network asked.
    Network {
        /// The endpoint that answered.
        endpoint: String,
        /// The network.
        network: coffer_net_proto::Network,
    },
    /// A holdings file.
    File(String),
}

/// One transaction of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewTx {
    /// What it moves, one line each, amounts in the chain's units.
    pub moves: Vec<String>,
    /// Its fee (or gas budget), in the chain's units.
    pub fee: String,
}

/// Everything a *Sweep everything* of one row moves and leaves, before signing.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPreview {
    /// The row (its chain, old and new address).
    pub row: PlanRow,
    /// The transactions to sign, in order.
    pub requests: Vec<SignRequest>,
    /// What each moves.
    pub transactions: Vec<PreviewTx>,
    /// What stays at the old address, with why (the core's reason).
    pub stays: Vec<String>,
    /// The totals (fees, rent, what the last transaction moves).
    pub totals: Vec<String>,
    /// Where the holdings came from.
    pub source: Source,
}

impl SweepPreview {
    /// The note recorded on the row for what stays (the report lists it), if anything stays.
    #[must_use]
    pub fn stays_note(&self) -> Option<String> {
        (!self.stays.is_empty()).then(|| format!("left by the sweep: {}", self.stays.join("; ")))
    }

    /// Whether the holdings came from the network (then the signed transactions are broadcast through it).
    #[must_use]
    pub fn online(&self) -> Option<coffer_net_proto::Network> {
        match &self.source {
            Source::Network { network, .. } => Some(*network),
            Source::File(_) => None,
        }
    }
}

/// Where one signed transaction of a sweep stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxState {
    /// Signed, not sent (offline: hand it out).
    Signed,
    /// Sent through coffer-net; waiting for the network to confirm it.
    Broadcast,
    /// Confirmed by the network (Solana: confirmed or finalized; Stellar: in a ledger; IOTA/Sui: executed), at
    /// this slot or ledger (0 when the chain reports none).
    Confirmed(u64),
    /// Not sent, or not known to have gone through (its status could not be asked, not confirmed in time: it may
    /// still land): why.
    Failed(String),
    /// It did not and will not go through: the endpoint refused it, or the network reported it failed on chain;
    /// why, in the network's words. Recorded as failed in the vault: what it would have moved is still at the old
    /// address.
    Rejected(String),
}

impl TxState {
    /// `signed`, `broadcast`, `confirmed` or `failed`, as the wizard shows it.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Signed => "signed",
            Self::Broadcast => "broadcast",
            Self::Confirmed(_) => "confirmed",
            Self::Failed(_) | Self::Rejected(_) => "failed",
        }
    }
}

/// The Stellar network a sweep is signed for, from the network coffer-net asks (public and testnet).
///
/// # Errors
/// For a network of one's own, whose passphrase the app cannot know.
pub fn stellar_network(network: coffer_net_proto::Network) -> Result<StellarNetwork, String> {
    match network {
        coffer_net_proto::Network::Mainnet => Ok(StellarNetwork::Public),
        coffer_net_proto::Network::Testnet => Ok(StellarNetwork::Testnet),
        _ => Err("a Stellar sweep is signed for the public network or testnet: choose one in Settings".into()),
    }
}

/// The options of a sweep that the holdings do not carry.
#[derive(Debug, Clone)]
pub struct Options {
    /// Stellar: the network the transactions are signed for.
    pub stellar_network: Option<StellarNetwork>,
    /// Solana: a recent blockhash when the holdings carry none (a holdings file).
    pub blockhash: String,
    /// Now, in UNIX seconds (time locks, claim predicates).
    pub now: u64,
}

/// Builds the complete sweep of `row` from `holdings` with the core's builders, and its preview.
///
/// # Errors
/// The core's reason when the sweep cannot be built (holdings of another address, nothing to sweep, funds short),
/// or a missing option.
pub fn build(row: &PlanRow, holdings: RowHoldings, options: &Options, source: Source) -> Result<SweepPreview, String> {
    let (old, new) = (&row.old_address, &row.new_address);
    let mut preview = SweepPreview {
        row: row.clone(),
        requests: Vec::new(),
        transactions: Vec::new(),
        stays: Vec::new(),
        totals: Vec::new(),
        source,
    };
    match (row.chain, holdings) {
        (Chain::Solana, RowHoldings::Solana { holdings, blockhash }) => {
            let text = if blockhash.trim().is_empty() { options.blockhash.trim() } else { blockhash.trim() };
            if text.is_empty() {
                return Err("Type a recent blockhash (the holdings file has none).".into());
            }
            let hash = migrate::parse_blockhash(text, "blockhash").map_err(|e| e.to_string())?;
            let sweep =
                migrate::SolanaSweepOptions { compute_unit_price: 0, recent: vec![SolanaRecent::Blockhash(hash)] };
            let plan = migrate::build_solana_full_sweep(old, new, &holdings, &sweep).map_err(|e| e.to_string())?;
            let sol = |l: u64| format_amount(u128::from(l), 9, "SOL");
            for t in &plan.transactions {
                preview.requests.push(SignRequest::new(Chain::Solana, Payload::Transaction(t.tx.clone())));
                preview.transactions.push(PreviewTx { moves: t.moves.clone(), fee: sol(t.fee) });
            }
            preview.stays = plan.left.iter().map(|l| format!("{}: {}", l.what, l.why)).collect();
            preview.totals = vec![
                format!("Fees: {}", sol(plan.fees)),
                format!("Rent for the new address's token accounts: {}", sol(plan.rent)),
                format!("SOL moved last: {}; the old address ends at 0", sol(plan.sol)),
            ];
        }
        (Chain::Stellar, RowHoldings::Stellar { old: o, new: n, unclaimed }) => {
            let network = options.stellar_network.clone().ok_or("Choose the Stellar network.")?;
            let params = migrate::StellarSweepParams {
                now: i64::try_from(options.now).unwrap_or(i64::MAX),
                ..migrate::StellarSweepParams::default()
            };
            let mut plan = migrate::build_stellar_sweep(&o, &n, &params).map_err(|e| e.to_string())?;
            plan.left.extend(unclaimed);
            for tx in &plan.transactions {
                preview.requests.push(
                    SignRequest::new(Chain::Stellar, Payload::Transaction(tx.clone())).with_network(network.clone()),
                );
            }
            let moves: Vec<String> =
                plan.moves.iter().map(|m| format!("{} ({})", stellar_amount(m.amount, &m.asset), m.how)).collect();
            // The core's moves are the whole sweep's; with several transactions they are listed with the first.
            let fee = |f: i64| format_amount(u128::try_from(f).unwrap_or(0), 7, "XLM");
            for (i, _) in plan.transactions.iter().enumerate() {
                let moves = if i == 0 { moves.clone() } else { vec!["(continues the sweep above)".to_owned()] };
                preview.transactions.push(PreviewTx { moves, fee: String::new() });
            }
            if let Some(first) = preview.transactions.first_mut() {
                first.fee = fee(plan.fee);
            }
            preview.stays = plan
                .left
                .iter()
                .map(|l| match l.amount {
                    // `native` and `CODE:ISSUER` name an asset: its amount in its units.
                    Some(a) if l.what == "native" || (l.what.contains(':') && !l.what.contains(' ')) => {
                        format!("{}: {}", stellar_amount(a, &l.what), l.reason)
                    }
                    Some(a) => {
                        format!("{} ({}): {}", l.what, format_units(u128::try_from(a).unwrap_or(0), 7), l.reason)
                    }
                    None => format!("{}: {}", l.what, l.reason),
                })
                .collect();
            preview.totals = vec![
                format!("Fees: {}", fee(plan.fee)),
                if plan.merges {
                    "The old account is merged into the new one: it ends closed.".to_owned()
                } else {
                    "The old account stays open (something it holds cannot move yet).".to_owned()
                },
            ];
        }
        (chain @ (Chain::Iota | Chain::Sui), RowHoldings::Move { holdings, incomplete, gas_price }) => {
            let now_ms = options.now.saturating_mul(1000);
            let mut built =
                migrate::build_move_sweep(chain, old, new, &holdings, gas_price, now_ms).map_err(|e| e.to_string())?;
            built.left.extend(incomplete);
            let unit = if chain == Chain::Iota { "IOTA" } else { "SUI" };
            for t in &built.transactions {
                let text = base64::engine::general_purpose::STANDARD.encode(&t.bytes);
                preview.requests.push(SignRequest::new(chain, Payload::Transaction(text)));
                preview.transactions.push(PreviewTx {
                    moves: t.moves.clone(),
                    fee: format!("at most {}", format_amount(u128::from(t.gas_budget), 9, unit)),
                });
            }
            preview.stays = built.left.iter().map(|l| format!("{}: {}", l.what, l.reason)).collect();
            preview.totals = vec![format!("Gas price: {gas_price} (base units of {unit} per unit of gas)")];
        }
        (chain, _) => return Err(format!("These holdings are not of a {} account.", chain.name())),
    }
    Ok(preview)
}

/// A Stellar amount (stroops) of `asset` (`native` or `CODE:ISSUER`) in the asset's units.
fn stellar_amount(stroops: i64, asset: &str) -> String {
    let units = u128::try_from(stroops).unwrap_or(0);
    if asset == "native" {
        return format_amount(units, 7, "XLM");
    }
    let code = asset.split(':').next().unwrap_or(asset);
    format!("{} {code} ({asset})", format_units(units, 7))
}

/// Reads the holdings of `row` from a holdings file's text (docs/cli.md, "Holdings file"): for Solana, IOTA and
/// Sui the holdings object (an optional `"chain"` must name the row's chain); for Stellar `{"chain": "stellar",
/// "accounts": [...]}` with a record of the old and of the new account.
///
/// # Errors
/// Why the text is not a holdings file of that row.
pub fn parse_file(row: &PlanRow, text: &str, gas_price: u64) -> Result<RowHoldings, String> {
    let chain = row.chain;
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("The holdings file does not parse: {e}"))?;
    let named = value.as_object_mut().and_then(|o| o.remove("chain"));
    if let Some(named) = &named
        && named.as_str() != Some(chain.name())
    {
        return Err(format!("The holdings file is for {named}, not {}.", chain.name()));
    }
    let bad = |e: serde_json::Error| format!("The holdings file does not parse: {e}");
    match chain {
        Chain::Solana => {
            let holdings: SolanaHoldings = serde_json::from_value(value).map_err(bad)?;
            Ok(RowHoldings::Solana { holdings, blockhash: String::new() })
        }
        Chain::Iota | Chain::Sui => {
            let holdings: MoveHoldings = serde_json::from_value(value).map_err(bad)?;
            Ok(RowHoldings::Move { holdings, incomplete: Vec::new(), gas_price })
        }
        Chain::Stellar => {
            if named.is_none() {
                return Err("A Stellar holdings file names its chain: \"chain\": \"stellar\".".into());
            }
            let mut object = match value {
                serde_json::Value::Object(o) => o,
                _ => return Err("The holdings file is not a JSON object.".into()),
            };
            let accounts = object.remove("accounts").ok_or("The holdings file has no \"accounts\".")?;
            if let Some(key) = object.keys().next() {
                return Err(format!("The holdings file has an unknown field {key:?}."));
            }
            let accounts: Vec<StellarHoldings> = serde_json::from_value(accounts).map_err(bad)?;
            if accounts.len() > 1000 {
                return Err("The holdings file lists more than 1000 accounts.".into());
            }
            let find = |address: &str, which: &str| {
                accounts.iter().find(|h| h.address == address).cloned().ok_or_else(|| {
                    format!(
                        "The holdings file has no record of the {which} account {address} (give {{\"address\": \
                         \"{address}\", \"exists\": false}} if it does not exist)."
                    )
                })
            };
            Ok(RowHoldings::Stellar {
                old: find(&row.old_address, "old")?,
                new: find(&row.new_address, "new")?,
                unclaimed: Vec::new(),
            })
        }
        other => Err(format!("{} cannot be swept by Coffer.", other.name())),
    }
}

/// Reads a holdings file (at most [`MAX_HOLDINGS_FILE`] bytes of UTF-8 text).
///
/// # Errors
/// When it cannot be opened or read, or is larger.
pub fn read_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| format!("Cannot open {}: {e}", path.display()))?;
    let mut text = String::new();
    let limit = u64::try_from(MAX_HOLDINGS_FILE).unwrap_or(u64::MAX) + 1;
    file.take(limit).read_to_string(&mut text).map_err(|e| format!("Cannot read {} as text: {e}", path.display()))?;
    if text.len() > MAX_HOLDINGS_FILE {
        return Err(format!("{} is larger than {MAX_HOLDINGS_FILE} bytes.", path.display()));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::migrate::RowState;

    fn row(chain: Chain, account_new: u32) -> PlanRow {
        let seed = coffer_core::Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap()
        .to_seed("");
        PlanRow {
            chain,
            account: 0,
            index: 0,
            old_address: chain
                .account(&seed, coffer_core::AccountIndex::ZERO, coffer_core::AddressIndex::ZERO)
                .unwrap()
                .address,
            new_address: chain
                .account(&seed, coffer_core::AccountIndex::new(account_new).unwrap(), coffer_core::AddressIndex::ZERO)
                .unwrap()
                .address,
            state: RowState::Pending,
            note: String::new(),
        }
    }

    fn options() -> Options {
        Options {
            stellar_network: Some(StellarNetwork::Testnet),
            blockhash: "11111111111111111111111111111112".into(),
            now: 1_760_000_000,
        }
    }

    #[test]
    fn a_stellar_file_previews_every_asset_in_lumens_and_asset_units() {
        let r = row(Chain::Stellar, 1);
        let issuer = row(Chain::Stellar, 2).old_address;
        let text = serde_json::json!({
            "chain": "stellar",
            "accounts": [
                {"address": r.old_address, "exists": true, "sequence": "41", "native": "250000000",
                 "trustlines": [{"type": "credit", "code": "USDC", "issuer": issuer, "balance": "15000000",
                                 "limit": "9223372036854775807"}],
                 "subentry_count": 1},
                {"address": r.new_address, "exists": false}
            ]
        })
        .to_string();
        let holdings = parse_file(&r, &text, 1000).unwrap();
        let p = build(&r, holdings, &options(), Source::File("h.json".into())).unwrap();
        assert_eq!(p.requests.len(), 1);
        let moves = p.transactions[0].moves.join("\n");
        assert!(moves.contains("1.5 USDC"), "{moves}");
        assert!(moves.contains(" XLM ("), "{moves}");
        assert!(p.transactions[0].fee.ends_with(" XLM"), "{:?}", p.transactions[0].fee);
        assert!(p.online().is_none());
        // Every transaction decodes and shows as fully decoded (what the guard then checks).
        for req in &p.requests {
            assert!(coffer_core::sign::decode(req).unwrap().summary().fully_decoded());
        }
    }

    #[test]
    fn files_of_another_chain_or_account_are_refused_with_why() {
        let r = row(Chain::Stellar, 1);
        let e = parse_file(&r, r#"{"chain": "solana", "address": "x", "lamports": "1"}"#, 1000).unwrap_err();
        assert!(e.contains("is for \"solana\""), "{e}");
        let e = parse_file(&r, r#"{"chain": "stellar", "accounts": []}"#, 1000).unwrap_err();
        assert!(e.contains("no record of the old account"), "{e}");
        let e = parse_file(&r, "not json", 1000).unwrap_err();
        assert!(e.contains("does not parse"), "{e}");
        let s = row(Chain::Solana, 1);
        let text = serde_json::json!({"address": s.new_address, "lamports": "5000000"}).to_string();
        let h = parse_file(&s, &text, 1000).unwrap();
        let e = build(&s, h, &options(), Source::File("f".into())).unwrap_err();
        assert!(e.contains("not for the planned old address"), "{e}");
    }

    #[test]
    fn a_solana_file_previews_sol_and_needs_a_blockhash() {
        let r = row(Chain::Solana, 1);
        let text =
            serde_json::json!({"chain": "solana", "address": r.old_address, "lamports": "2000000000"}).to_string();
        let h = parse_file(&r, &text, 1000).unwrap();
        let mut o = options();
        o.blockhash = String::new();
        assert!(build(&r, h.clone(), &o, Source::File("f".into())).unwrap_err().contains("blockhash"));
        let p = build(&r, h, &options(), Source::File("f".into())).unwrap();
        assert_eq!(p.requests.len(), 1);
        assert!(p.transactions[0].moves.join(" ").contains("SOL"), "{:?}", p.transactions);
        assert_eq!(p.transactions[0].fee, "0.000005 SOL");
        assert!(p.stays_note().is_none());
    }

    #[test]
    fn stellar_needs_public_or_testnet() {
        assert_eq!(stellar_network(coffer_net_proto::Network::Mainnet).unwrap(), StellarNetwork::Public);
        assert!(stellar_network(coffer_net_proto::Network::Localnet).is_err());
    }
}
