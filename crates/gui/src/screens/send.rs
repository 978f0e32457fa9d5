//! Send: a payment of a chain's native coin or of a token (an SPL Token/Token-2022 mint, a Stellar credit asset, an
//! IOTA or Sui coin type) from an account of a seed, built by the core (`coffer_core::send`), reviewed with the same
//! decoded summary the sign screen shows for pasted transactions (and the fee), signed on the worker after the user
//! confirms, then broadcast through the network process (when the network is on for the chain) or handed out
//! (copy, QR code, file) to be broadcast elsewhere.
//!
//! The recipient is checked as the core checks it (format and checksum) while it is typed; a recipient that is an
//! address of one of the vault's compromised seeds needs an explicit tick. The *Asset* choice lists what the sender
//! holds (online as the network reports it, offline from the holdings file). Offline, the user gives what the chain
//! needs: Solana the balance and a recent blockhash; Stellar the network, sequence number, balance and whether the
//! recipient exists (its trustlines from the file, for a credit asset); IOTA and Sui the gas price and the coin
//! objects (a token's coins from the file, its decimals typed in).

use std::path::PathBuf;

use coffer_core::holdings::iota_sui::{Coin, CoinGroup, Holdings, IOTA_COIN_TYPE, SUI_COIN_TYPE};
use coffer_core::holdings::solana::{SolanaHoldings, TokenAccount};
use coffer_core::holdings::stellar::{StellarAsset, StellarHoldings};
use coffer_core::migrate::{self, SolanaRecent};
use coffer_core::send::{self, BuiltSend, MoveSend, SolanaSend, StellarRecipient, StellarSend};
use coffer_core::sign::Network;
use coffer_core::sign::stellar::Memo;
use coffer_core::{Chain, SignRequest};
use egui::RichText;

use super::accounts::chain_title;
use super::handout::{HandOut, HandOutAction, HandOutTexts};
use super::sign::{Confirm, Gate, SeedChoice, SignScreen, SignedView, signing_gate};
use crate::effect::Effect;
use crate::net::{AssetHolding, BroadcastStatus, MoveSendInputs, SendAsset, SolanaSendInputs, StellarSendInputs};
use crate::worker::VaultTask;

/// A holdings file read for an offline payment (the CLI's `coffer send --holdings` shapes).
#[derive(Debug, Clone)]
enum FileHoldings {
    Solana(SolanaHoldings),
    Stellar(Vec<StellarHoldings>),
    Move(Chain, Holdings),
}

/// The chains the app sends on.
pub const SEND_CHAINS: [Chain; 4] = [Chain::Solana, Chain::Stellar, Chain::Iota, Chain::Sui];

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendIntent {
    /// Derive the sending address of `label`'s `account` on `chain`, and tell whether `to` is an address of a
    /// compromised seed of the vault.
    Check {
        /// The seed.
        label: String,
        /// The chain.
        chain: Chain,
        /// The account number.
        account: u32,
        /// The recipient as typed.
        to: String,
    },
    /// Build the payment from the inputs typed in (offline).
    Build,
    /// Fetch the payment's inputs from the network, then build it.
    Fetch {
        /// The chain.
        chain: Chain,
        /// The sender.
        from: String,
        /// The recipient.
        to: String,
        /// The token: a Solana mint or an IOTA/Sui coin type (`None`: the native coin or a Stellar asset, whose
        /// trustlines come with the account).
        token: Option<String>,
    },
    /// Fetch what the sender holds (online), to offer its assets.
    Tokens {
        /// The chain.
        chain: Chain,
        /// The sender.
        from: String,
    },
    /// Sign the built payment with `label`'s key of `account` (index 0).
    Sign {
        /// The seed.
        label: String,
        /// What to sign.
        request: SignRequest,
        /// The account number.
        account: u32,
    },
    /// Fill the offline inputs from the holdings file at this path (the CLI's `coffer send --holdings` file).
    LoadHoldings(PathBuf),
    /// Edit the payment again.
    Back,
    /// Put this public text on the clipboard.
    Copy(String),
    /// Write `text` to the file at `path`.
    Save {
        /// Where.
        path: PathBuf,
        /// The signed transaction.
        text: String,
    },
}

/// The Stellar network of an offline payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StellarNet {
    /// The public network.
    Public,
    /// The test network.
    Testnet,
}

/// Where the send screen is.
#[derive(Debug)]
pub enum Stage {
    /// The form is being filled in.
    Form,
    /// The inputs are being fetched from the network.
    Fetching,
    /// The payment was built: its summary and fee are read and confirmed.
    Review {
        /// The payment.
        built: Box<BuiltSend>,
        /// The ticks.
        confirm: Confirm,
        /// It is broadcast once signed.
        online: bool,
    },
    /// The worker is signing it.
    Signing {
        /// The payment.
        built: Box<BuiltSend>,
        /// It is broadcast once signed.
        online: bool,
    },
    /// Signed (offline: handed out), or why not.
    Signed {
        /// The payment.
        built: Box<BuiltSend>,
        /// The signature and signed transaction, or why there is none.
        result: Result<SignedView, String>,
    },
    /// Broadcast through the network process.
    Broadcast {
        /// The transaction id.
        id: String,
        /// Where it stands (`None`: being sent).
        status: Option<Result<BroadcastStatus, String>>,
    },
}

/// The stage's name (for tests and the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageName {
    /// [`Stage::Form`].
    Form,
    /// [`Stage::Fetching`].
    Fetching,
    /// [`Stage::Review`].
    Review,
    /// [`Stage::Signing`].
    Signing,
    /// [`Stage::Signed`].
    Signed,
    /// [`Stage::Broadcast`].
    Broadcast,
}

/// The send screen.
pub struct SendScreen {
    seeds: Vec<SeedChoice>,
    seed: usize,
    chain: Chain,
    account: u32,
    to: String,
    amount: String,
    memo: String,
    // Offline inputs.
    balance: String,
    blockhash: String,
    stellar_net: StellarNet,
    sequence: String,
    recipient_exists: bool,
    gas_price: String,
    coins: String,
    holdings_path: String,
    holdings_notice: Option<Result<String, String>>,
    /// The key and recipient last checked, the sending address and the compromised seed the recipient belongs to.
    checked: Option<(String, Chain, u32, String)>,
    from: Option<String>,
    compromised: Option<String>,
    compromised_ok: bool,
    /// The network is on for Solana: its inputs are fetched and the payment broadcast.
    pub online: bool,
    /// The network is on for Stellar (public or testnet): likewise.
    pub online_stellar: bool,
    /// The network is on for IOTA: likewise.
    pub online_iota: bool,
    /// The network is on for Sui: likewise.
    pub online_sui: bool,
    /// The holdings file read (offline), as parsed: its tokens and trustlines are offered.
    file: Option<FileHoldings>,
    /// The decimals of an IOTA or Sui coin type sent offline (from its coin metadata).
    decimals: String,
    /// Solana's priority fee: the compute unit price in micro-lamports (empty: none).
    priority_fee: String,
    /// What the network reported for an IOTA or Sui payment: the coins and the token's decimals.
    move_fetched: Option<(Holdings, Option<u8>)>,
    /// The Stellar recipient's account as the network reported it (online).
    stellar_recipient: Option<StellarHoldings>,
    /// The sender's assets on Stellar, IOTA or Sui as the network reported them (with the sender).
    assets: Option<(String, Result<Vec<AssetHolding>, String>)>,
    /// The Stellar sender's account as the network reported it, with the network.
    stellar_fetched: Option<(StellarHoldings, Network)>,
    /// The sender whose token accounts were asked for, and what the network answered.
    tokens_asked: Option<String>,
    tokens: Option<(String, Result<Vec<TokenAccount>, String>)>,
    /// The asset picked (the native coin unless a token the sender holds is picked).
    asset: SendAsset,
    stage: Stage,
    error: Option<String>,
    handout: HandOut,
    /// A message about saving the result.
    pub save_notice: Option<Result<String, String>>,
    export_dir: Option<PathBuf>,
    /// The public explorer page of the broadcast payment, once sent (none for a network of your own).
    explorer: Option<String>,
}

impl std::fmt::Debug for SendScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendScreen").field("chain", &self.chain).field("stage", &self.stage).finish_non_exhaustive()
    }
}

/// `text` with its first letter capitalised.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The id a broadcast transaction is known by: Solana its first signature, Stellar its hash (hex) on the network
/// signed for.
fn tx_id(chain: Chain, built: &BuiltSend, v: &SignedView) -> Option<String> {
    match (chain, &built.request.payload, &built.request.network) {
        (Chain::Stellar, coffer_core::Payload::TransactionBytes(bytes), Some(network)) => {
            let hash = coffer_core::sign::stellar::decode_envelope(bytes).ok()?.hash(network);
            Some(hash.iter().map(|b| format!("{b:02x}")).collect())
        }
        (Chain::Iota | Chain::Sui, coffer_core::Payload::TransactionBytes(bytes), _) => {
            Some(migrate::iota_sui_digest(bytes))
        }
        (Chain::Solana, ..) => Some(v.signature.clone()),
        _ => None,
    }
}

/// A mint shortened for labels (`EPjF…Dt1v`).
fn short(mint: &str) -> String {
    if mint.len() <= 12 {
        return mint.to_owned();
    }
    format!("{}…{}", &mint[..4], &mint[mint.len() - 4..])
}

fn native(chain: Chain) -> (&'static str, u8) {
    match chain {
        Chain::Stellar => ("XLM", 7),
        Chain::Iota => ("IOTA", 9),
        Chain::Sui => ("SUI", 9),
        _ => ("SOL", 9),
    }
}

/// The fee of a built payment, for people.
#[must_use]
pub fn fee_text(chain: Chain, b: &BuiltSend) -> String {
    let (symbol, decimals) = native(chain);
    let unit = match chain {
        Chain::Solana => "lamports",
        Chain::Stellar => "stroops",
        Chain::Iota => "nanos",
        _ => "MIST",
    };
    let mut s = format!("{} {symbol} ({} {unit})", send::format_units(b.fee, decimals), b.fee);
    if matches!(chain, Chain::Iota | Chain::Sui) {
        s.push_str(" at most (the gas budget)");
    }
    if b.deposit > 0 {
        s.push_str(&format!(", and up to {} {symbol} of rent deposit", send::format_units(b.deposit, decimals)));
    }
    s
}

/// Parses coin objects, one per line: object id, version, digest, balance (separated by spaces or commas).
///
/// # Errors
/// A line that does not have four parts, or a version or balance that is not a number.
pub fn parse_coins(text: &str) -> Result<Vec<Coin>, String> {
    let mut coins = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == ',').filter(|p| !p.is_empty()).collect();
        let [id, version, digest, balance] = parts.as_slice() else {
            return Err(format!("coin line {}: expected object id, version, digest and balance", n + 1));
        };
        let number = |t: &str, what: &str| t.parse::<u64>().map_err(|_| format!("coin line {}: bad {what}", n + 1));
        coins.push(Coin {
            object_id: (*id).to_owned(),
            version: number(version, "version")?,
            digest: (*digest).to_owned(),
            balance: number(balance, "balance")?,
        });
    }
    if coins.is_empty() {
        return Err("give the account's coin objects (one per line)".into());
    }
    Ok(coins)
}

impl SendScreen {
    /// The screen for the vault's seeds.
    #[must_use]
    pub fn new(seeds: Vec<SeedChoice>) -> Self {
        let seed = seeds.iter().position(|s| !s.compromised).unwrap_or(0);
        Self {
            seeds,
            seed,
            chain: Chain::Solana,
            account: 0,
            to: String::new(),
            amount: String::new(),
            memo: String::new(),
            balance: String::new(),
            blockhash: String::new(),
            stellar_net: StellarNet::Public,
            sequence: String::new(),
            recipient_exists: true,
            gas_price: migrate::DEFAULT_GAS_PRICE.to_string(),
            coins: String::new(),
            holdings_path: String::new(),
            holdings_notice: None,
            checked: None,
            from: None,
            compromised: None,
            compromised_ok: false,
            online: false,
            online_stellar: false,
            online_iota: false,
            online_sui: false,
            file: None,
            decimals: String::new(),
            priority_fee: String::new(),
            move_fetched: None,
            stellar_recipient: None,
            assets: None,
            stellar_fetched: None,
            tokens_asked: None,
            tokens: None,
            asset: SendAsset::Native,
            stage: Stage::Form,
            error: None,
            handout: HandOut::default(),
            save_notice: None,
            export_dir: None,
            explorer: None,
        }
    }

    /// Suggests saving results in `dir`.
    #[must_use]
    pub fn with_export_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.export_dir = dir;
        self
    }

    /// Replaces the list of seeds, keeping the choice when it still exists and is not marked compromised (a
    /// compromised seed's funds leave through Migrate).
    pub fn set_seeds(&mut self, seeds: Vec<SeedChoice>) {
        let current = self.seeds.get(self.seed).map(|s| s.label.clone());
        self.seed = current
            .and_then(|l| seeds.iter().position(|s| s.label == l && !s.compromised))
            .or_else(|| seeds.iter().position(|s| !s.compromised))
            .unwrap_or(0);
        self.seeds = seeds;
    }

    /// A new payment from seed `label`'s `account` on `chain` (from the accounts screen). A compromised seed is not
    /// offered: its funds leave through Migrate.
    pub fn open(&mut self, label: &str, chain: Chain, account: u32) {
        if let Some(i) = self.seeds.iter().position(|s| s.label == label && !s.compromised) {
            self.seed = i;
        }
        self.chain = chain;
        self.account = account;
        self.stage = Stage::Form;
        self.error = None;
        self.save_notice = None;
    }

    /// The stage's name.
    #[must_use]
    pub fn stage(&self) -> StageName {
        match self.stage {
            Stage::Form => StageName::Form,
            Stage::Fetching => StageName::Fetching,
            Stage::Review { .. } => StageName::Review,
            Stage::Signing { .. } => StageName::Signing,
            Stage::Signed { .. } => StageName::Signed,
            Stage::Broadcast { .. } => StageName::Broadcast,
        }
    }

    /// Whether the worker is signing for this screen.
    #[must_use]
    pub fn is_signing(&self) -> bool {
        matches!(self.stage, Stage::Signing { .. })
    }

    /// The sending address of the key checked, and whether the recipient checked belongs to a compromised seed
    /// (its description).
    pub fn set_check(&mut self, key: (String, Chain, u32, String), from: Option<String>, compromised: Option<String>) {
        if self.checked.as_ref() == Some(&key) {
            self.from = from;
            if compromised != self.compromised {
                self.compromised_ok = false;
            }
            self.compromised = compromised;
        }
    }

    fn key(&self) -> Option<(String, Chain, u32, String)> {
        let seed = self.seeds.get(self.seed)?;
        Some((seed.label.clone(), self.chain, self.account, self.to.trim().to_owned()))
    }

    /// Whether the inputs of the chain picked are fetched and the payment broadcast.
    fn is_online(&self) -> bool {
        match self.chain {
            Chain::Solana => self.online,
            Chain::Stellar => self.online_stellar,
            Chain::Iota => self.online_iota,
            Chain::Sui => self.online_sui,
            _ => false,
        }
    }

    /// The sender's token accounts as the network reported them (for the sender shown).
    fn token_list(&self) -> &[TokenAccount] {
        match (&self.tokens, &self.from) {
            (Some((f, Ok(t))), Some(from)) if f == from => t,
            _ => &[],
        }
    }

    /// The holdings file read, when it is the sender's on the chain picked.
    fn file(&self) -> Option<&FileHoldings> {
        let from = self.from.as_deref()?;
        let id = coffer_core::holdings::iota_sui::parse_object_id;
        match (&self.file, self.chain) {
            (Some(f @ FileHoldings::Solana(h)), Chain::Solana) if h.address == from => Some(f),
            (Some(f @ FileHoldings::Stellar(a)), Chain::Stellar) if a.iter().any(|h| h.address == from) => Some(f),
            (Some(f @ FileHoldings::Move(c, h)), chain) if *c == chain && id(&h.address) == id(from) => Some(f),
            _ => None,
        }
    }

    /// What the sender can pay with: the native coin first, then its tokens with their balances — online as the
    /// network reported them, offline from the holdings file.
    #[must_use]
    pub fn assets(&self) -> Vec<AssetHolding> {
        let (symbol, native_decimals) = native(self.chain);
        let native = |balance: u128| AssetHolding {
            asset: SendAsset::Native,
            name: symbol.to_owned(),
            decimals: Some(native_decimals),
            balance,
        };
        let mut out = Vec::new();
        let tokens = |accounts: &[TokenAccount], out: &mut Vec<AssetHolding>| {
            for t in accounts {
                match out.iter_mut().find(|a| a.asset == SendAsset::Mint(t.mint.clone())) {
                    Some(a) => a.balance += u128::from(t.amount),
                    None => out.push(AssetHolding {
                        asset: SendAsset::Mint(t.mint.clone()),
                        name: short(&t.mint),
                        decimals: Some(t.decimals),
                        balance: u128::from(t.amount),
                    }),
                }
            }
        };
        if self.is_online() {
            if self.chain == Chain::Solana {
                out.push(native(0));
                tokens(self.token_list(), &mut out);
            } else {
                match (&self.assets, &self.from) {
                    (Some((f, Ok(list))), Some(from)) if f == from => out.clone_from(list),
                    _ => out.push(native(0)),
                }
            }
            return out;
        }
        match self.file() {
            Some(FileHoldings::Solana(h)) => {
                out.push(native(u128::from(h.lamports)));
                tokens(&h.token_accounts, &mut out);
            }
            Some(FileHoldings::Stellar(accounts)) => {
                let from = self.from.as_deref().unwrap_or_default();
                let Some(h) = accounts.iter().find(|h| h.address == from) else { return vec![native(0)] };
                out.push(native(u128::try_from(h.native).unwrap_or(0)));
                for line in &h.trustlines {
                    if let (coffer_core::holdings::stellar::StellarTrustline::Credit { code, balance, .. }, Some(a)) =
                        (line, line.asset())
                    {
                        out.push(AssetHolding {
                            asset: SendAsset::Stellar(a),
                            name: code.clone(),
                            decimals: Some(7),
                            balance: u128::try_from(*balance).unwrap_or(0),
                        });
                    }
                }
            }
            Some(FileHoldings::Move(chain, h)) => {
                let native_type = if *chain == Chain::Iota { IOTA_COIN_TYPE } else { SUI_COIN_TYPE };
                out.push(native(0));
                for g in &h.coins {
                    let total: u128 = g.coins.iter().map(|c| u128::from(c.balance)).sum();
                    let canonical = coffer_core::sign::iota_sui::canonical_type(&g.coin_type);
                    if canonical.as_deref() == Some(native_type) {
                        out[0].balance += total;
                    } else {
                        out.push(AssetHolding {
                            asset: SendAsset::Coin(g.coin_type.clone()),
                            name: g.coin_type.rsplit("::").next().unwrap_or(&g.coin_type).to_owned(),
                            decimals: None,
                            balance: total,
                        });
                    }
                }
            }
            None => out.push(native(0)),
        }
        out
    }

    /// The asset picked, when the sender still holds it (else the native coin).
    fn chosen(&self) -> SendAsset {
        if self.asset != SendAsset::Native && self.assets().iter().any(|a| a.asset == self.asset) {
            self.asset.clone()
        } else {
            SendAsset::Native
        }
    }

    /// The Solana mint picked.
    fn mint(&self) -> Option<String> {
        match self.chosen() {
            SendAsset::Mint(m) => Some(m),
            _ => None,
        }
    }

    /// The asset's name and decimals: the native coin, or the token picked (an IOTA or Sui coin type without coin
    /// metadata takes the decimals typed in).
    fn asset(&self) -> (String, u8) {
        let chosen = self.chosen();
        if chosen == SendAsset::Native {
            let (symbol, decimals) = native(self.chain);
            return (symbol.to_owned(), decimals);
        }
        let found = self.assets().into_iter().find(|a| a.asset == chosen);
        let fetched = self.move_fetched.as_ref().and_then(|(_, d)| *d);
        let decimals =
            found.as_ref().and_then(|a| a.decimals).or(fetched).or_else(|| self.decimals.trim().parse().ok());
        (found.map(|a| a.name).unwrap_or_default(), decimals.unwrap_or(0))
    }

    /// Whether the decimals of the token picked are unknown (an IOTA or Sui coin type without metadata): typed in.
    fn needs_decimals(&self) -> bool {
        matches!(self.chosen(), SendAsset::Coin(_))
            && !self.assets().iter().any(|a| a.asset == self.chosen() && a.decimals.is_some())
    }

    /// The sender's assets on Stellar, IOTA or Sui (or why they are unknown).
    pub fn set_assets(&mut self, from: &str, result: Result<Vec<AssetHolding>, String>) {
        if self.tokens_asked.as_deref() == Some(from) {
            self.assets = Some((from.to_owned(), result));
        }
    }

    /// The sender's token accounts (or why they are unknown).
    pub fn set_tokens(&mut self, from: &str, result: Result<Vec<TokenAccount>, String>) {
        if self.tokens_asked.as_deref() == Some(from) {
            self.tokens = Some((from.to_owned(), result));
        }
    }

    /// Why the recipient is not acceptable, if it is not (empty: no message).
    fn recipient_problem(&self) -> Option<String> {
        let to = self.to.trim();
        if to.is_empty() {
            return None;
        }
        if let Err(e) = send::parse_recipient(self.chain, to) {
            return Some(e.to_string());
        }
        if self
            .from
            .as_deref()
            .is_some_and(|f| send::parse_recipient(self.chain, f).ok() == send::parse_recipient(self.chain, to).ok())
        {
            return Some(send::SendError::SelfPayment.to_string());
        }
        None
    }

    fn amount_problem(&self) -> Option<String> {
        let t = self.amount.trim();
        if t.is_empty() {
            return None;
        }
        if self.needs_decimals() && self.decimals.trim().parse::<u8>().is_err() {
            return Some("give the coin type's decimals (from its coin metadata)".to_owned());
        }
        let (name, decimals) = self.asset();
        send::parse_amount(t, decimals, &name).err().map(|e| e.to_string())
    }

    /// Whether the form may be built or fetched: a sending address, a valid recipient and amount, the memo, and
    /// the compromised recipient accepted.
    fn ready(&self) -> bool {
        self.from.is_some()
            && !self.to.trim().is_empty()
            && self.recipient_problem().is_none()
            && !self.amount.trim().is_empty()
            && self.amount_problem().is_none()
            && self.memo().is_ok()
            && self.compute_unit_price().is_ok()
            && (self.compromised.is_none() || self.compromised_ok)
    }

    /// Solana's compute unit price (micro-lamports), 0 when none is given.
    fn compute_unit_price(&self) -> Result<u64, String> {
        let t = self.priority_fee.trim();
        if t.is_empty() || self.chain != Chain::Solana {
            return Ok(0);
        }
        t.parse().map_err(|_| "the priority fee: a whole number of micro-lamports per compute unit".to_owned())
    }

    fn memo(&self) -> Result<Memo, String> {
        if self.chain != Chain::Stellar || self.memo.is_empty() {
            return Ok(Memo::None);
        }
        send::parse_memo("text", &self.memo).map_err(|e| e.to_string())
    }

    /// Builds the payment from the inputs typed in (offline), or from `fetched` (Solana, online).
    fn build(&self, fetched: Option<&SolanaSendInputs>) -> Result<BuiltSend, String> {
        let from = self.from.clone().ok_or("the sending address is not known yet")?;
        let to = self.to.trim().to_owned();
        let (symbol, decimals) = native(self.chain);
        let (name, asset_decimals) = self.asset();
        let amount = send::parse_amount(&self.amount, asset_decimals, &name).map_err(|e| e.to_string())?;
        let balance = || -> Result<u64, String> {
            match send::parse_amount(&self.balance, decimals, symbol) {
                Ok(send::Amount::Exact(v)) => u64::try_from(v).map_err(|_| "the balance is too large".to_owned()),
                Err(send::SendError::ZeroAmount) => Ok(0),
                _ => Err(format!("the balance: a number of {symbol}")),
            }
        };
        let built = match self.chain {
            Chain::Solana => {
                let (lamports, blockhash, recipient_lamports) = match fetched {
                    Some(f) => (f.lamports, f.blockhash.clone(), f.recipient_lamports),
                    None => (balance()?, self.blockhash.trim().to_owned(), None),
                };
                let recent = SolanaRecent::Blockhash(
                    migrate::parse_blockhash(&blockhash, "recent blockhash").map_err(|e| e.to_string())?,
                );
                let token_accounts = match (fetched, self.file()) {
                    (Some(f), _) => f.token_accounts.clone(),
                    (None, Some(FileHoldings::Solana(h))) => h.token_accounts.clone(),
                    _ => Vec::new(),
                };
                let holdings = SolanaHoldings { address: from, lamports, token_accounts, ..Default::default() };
                let s = SolanaSend {
                    to,
                    amount,
                    mint: self.mint(),
                    recipient_token_account_exists: fetched.is_some_and(|f| f.recipient_token_account_exists),
                    recipient_token_account_frozen: fetched.is_some_and(|f| f.recipient_token_account_frozen),
                    recipient_lamports,
                    compute_unit_price: self.compute_unit_price()?,
                    recent,
                };
                send::build_solana_send(&holdings, &s)
            }
            Chain::Stellar => {
                let asset = match self.chosen() {
                    SendAsset::Stellar(a) => a,
                    _ => StellarAsset::Native,
                };
                let listed =
                    |accounts: &[StellarHoldings], who: &str| accounts.iter().find(|h| h.address == who).cloned();
                let file = match self.file() {
                    Some(FileHoldings::Stellar(accounts)) => accounts.clone(),
                    _ => Vec::new(),
                };
                let online = self.stellar_fetched.clone().filter(|_| self.is_online());
                let (holdings, network) = match online {
                    Some(fetched) => fetched,
                    None => {
                        let sequence: i64 = self
                            .sequence
                            .trim()
                            .parse()
                            .map_err(|_| "the sequence number: a whole number".to_owned())?;
                        let native = i64::try_from(balance()?).map_err(|_| "the balance is too large".to_owned())?;
                        let network = match self.stellar_net {
                            StellarNet::Public => Network::Public,
                            StellarNet::Testnet => Network::Testnet,
                        };
                        // The file's trustlines and what raises the minimum balance; the fields' figures.
                        let base = listed(&file, &from).unwrap_or_default();
                        (StellarHoldings { address: from, exists: true, sequence, native, ..base }, network)
                    }
                };
                let online = self.is_online();
                let theirs = if online { self.stellar_recipient.clone() } else { listed(&file, &to) };
                let recipient = match theirs {
                    Some(theirs) => StellarRecipient::of(&theirs, &asset),
                    None if !online && asset != StellarAsset::Native => {
                        return Err("a credit asset goes only to an account with a trustline for it: list the \
                                    recipient's account (its trustlines) in the holdings file"
                            .into());
                    }
                    _ if self.recipient_exists => StellarRecipient::Exists,
                    _ => StellarRecipient::Missing,
                };
                let s = StellarSend {
                    to,
                    recipient,
                    asset,
                    amount,
                    memo: self.memo()?,
                    fee: migrate::STELLAR_BASE_FEE,
                    base_reserve: migrate::STELLAR_BASE_RESERVE,
                    network,
                };
                send::build_stellar_send(&holdings, &s)
            }
            chain => {
                let gas_price: u64 =
                    self.gas_price.trim().parse().map_err(|_| "the gas price: a whole number".to_owned())?;
                let native_type = if chain == Chain::Iota { IOTA_COIN_TYPE } else { SUI_COIN_TYPE };
                let coin_type = match self.chosen() {
                    SendAsset::Coin(t) => Some(t),
                    _ => None,
                };
                let holdings = match self.move_fetched.clone().filter(|_| self.is_online()) {
                    Some((h, _)) => h,
                    None => {
                        let coins = parse_coins(&self.coins)?;
                        let mut groups = vec![CoinGroup { coin_type: native_type.to_owned(), coins }];
                        // The token's coins come from the holdings file.
                        if let (Some(t), Some(FileHoldings::Move(_, h))) = (&coin_type, self.file()) {
                            groups.extend(h.coins.iter().filter(|g| g.coin_type == *t).cloned());
                        }
                        Holdings { address: from, coins: groups, objects: Vec::new() }
                    }
                };
                let s = MoveSend { chain, to, coin_type, decimals: asset_decimals, amount, gas_price };
                send::build_move_send(&holdings, &s)
            }
        };
        built.map_err(|e| e.to_string())
    }

    /// The inputs fetched from the network (or why not): the payment is built from them.
    pub fn set_inputs(&mut self, from: &str, result: Result<SolanaSendInputs, String>) {
        if !matches!(self.stage, Stage::Fetching) || self.from.as_deref() != Some(from) {
            return;
        }
        self.stage = Stage::Form;
        match result.and_then(|f| self.build(Some(&f)).map(|b| (b, f.endpoint))) {
            Ok((built, endpoint)) => {
                self.error = None;
                self.balance_note(&endpoint);
                self.stage = Stage::Review { built: Box::new(built), confirm: Confirm::default(), online: true };
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// The Stellar inputs fetched from the network (or why not): the payment is built from them.
    pub fn set_stellar_inputs(&mut self, from: &str, result: Result<Box<StellarSendInputs>, String>) {
        if !matches!(self.stage, Stage::Fetching) || self.from.as_deref() != Some(from) {
            return;
        }
        self.stage = Stage::Form;
        let built = result.and_then(|f| {
            let f = *f;
            self.recipient_exists = f.recipient.exists;
            self.stellar_recipient = Some(f.recipient);
            self.stellar_fetched = Some((f.holdings, f.network));
            self.build(None).map(|b| (b, f.endpoint))
        });
        match built {
            Ok((built, endpoint)) => {
                self.error = None;
                self.save_notice = Some(Ok(format!("Account reported by {endpoint}.")));
                self.stage = Stage::Review { built: Box::new(built), confirm: Confirm::default(), online: true };
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// The IOTA or Sui inputs fetched from the network (or why not): the coins, the token's decimals and the gas
    /// price (the reference price, or the default when higher), and the payment is built from them.
    pub fn set_move_inputs(&mut self, from: &str, result: Result<MoveSendInputs, String>) {
        if !matches!(self.stage, Stage::Fetching) || self.from.as_deref() != Some(from) {
            return;
        }
        self.stage = Stage::Form;
        let built = result.and_then(|f| {
            self.gas_price = f.gas_price.max(migrate::DEFAULT_GAS_PRICE).to_string();
            self.move_fetched = Some((f.holdings, f.decimals));
            self.build(None).map(|b| (b, f.endpoint))
        });
        match built {
            Ok((built, endpoint)) => {
                self.error = None;
                self.save_notice = Some(Ok(format!("Coins and gas price reported by {endpoint}.")));
                self.stage = Stage::Review { built: Box::new(built), confirm: Confirm::default(), online: true };
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn balance_note(&mut self, endpoint: &str) {
        self.save_notice = Some(Ok(format!("Balance and blockhash reported by {endpoint}.")));
    }

    /// Applies the user's intent: building is core's pure work, done here; the rest needs the app.
    #[must_use]
    pub fn update(&mut self, intent: SendIntent) -> Option<Effect> {
        match intent {
            SendIntent::Check { label, chain, account, to } => {
                if self.checked.as_ref().is_none_or(|(l, c, a, _)| (l, c, a) != (&label, &chain, &account)) {
                    self.from = None;
                }
                self.checked = Some((label.clone(), chain, account, to.clone()));
                Some(Effect::SendCheck { label, chain, account, to })
            }
            SendIntent::Build => {
                self.save_notice = None;
                match self.build(None) {
                    Ok(built) => {
                        self.error = None;
                        self.stage =
                            Stage::Review { built: Box::new(built), confirm: Confirm::default(), online: false };
                    }
                    Err(e) => self.error = Some(e),
                }
                None
            }
            SendIntent::Fetch { chain, from, to, token } => {
                self.error = None;
                self.save_notice = None;
                self.stellar_fetched = None;
                self.stellar_recipient = None;
                self.move_fetched = None;
                self.stage = Stage::Fetching;
                Some(Effect::SendInputs { chain, from, to, token })
            }
            SendIntent::Tokens { chain, from } => {
                self.tokens_asked = Some(from.clone());
                Some(Effect::SendTokens { chain, from })
            }
            SendIntent::Sign { label, request, account } => {
                match std::mem::replace(&mut self.stage, Stage::Form) {
                    Stage::Review { built, online, .. } => self.stage = Stage::Signing { built, online },
                    other => {
                        self.stage = other;
                        return None;
                    }
                }
                Some(Effect::Vault {
                    label,
                    task: VaultTask::Sign { request, account, index: 0, blind: coffer_core::Blind::Refuse },
                    busy: "Signing the payment and recording it in the signing log…",
                })
            }
            SendIntent::LoadHoldings(path) => Some(Effect::SendHoldings(path)),
            SendIntent::Back => {
                self.stage = Stage::Form;
                self.save_notice = None;
                None
            }
            SendIntent::Copy(text) => Some(Effect::Copy(text)),
            SendIntent::Save { path, text } => Some(Effect::SaveSigned { path, text }),
        }
    }

    /// The outcome of signing: offline it is handed out; online (Solana) it is broadcast (the effect returned).
    #[must_use]
    pub fn set_signed(&mut self, result: Result<SignedView, String>) -> Option<Effect> {
        let Stage::Signing { built, online } = std::mem::replace(&mut self.stage, Stage::Form) else {
            return None;
        };
        self.handout.reset();
        self.save_notice = None;
        if online
            && let Ok(v) = &result
            && let Some(id) = tx_id(self.chain, &built, v)
        {
            let (signed_tx, signature) = match (&v.signed_tx, &built.request.payload) {
                (Some(tx), _) => (tx.clone(), None),
                (None, coffer_core::Payload::TransactionBytes(bytes)) => {
                    use base64::Engine as _;
                    (base64::engine::general_purpose::STANDARD.encode(bytes), Some(v.signature.clone()))
                }
                _ => (String::new(), None),
            };
            self.stage = Stage::Broadcast { id: id.clone(), status: None };
            self.explorer = None;
            return Some(Effect::SendBroadcast { chain: self.chain, signed_tx, signature, id });
        }
        if let (Ok(v), Some(dir)) = (&result, &self.export_dir) {
            let n = v.signature.chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>();
            self.handout.save_path = dir.join(format!("{}-payment-{n}.txt", self.chain)).display().to_string();
        }
        self.stage = Stage::Signed { built, result };
        None
    }

    /// The broadcast transaction `id` was sent to `network` (coffer-net's name) through `endpoint`: its explorer
    /// link ([`coffer_core::explorer::transaction_url`]) is shown from now on.
    pub fn set_sent_to(&mut self, id: &str, network: &str, endpoint: &str) {
        if let Stage::Broadcast { id: ours, .. } = &self.stage
            && ours == id
        {
            self.explorer = coffer_core::explorer::transaction_url(self.chain, network, endpoint, id);
        }
    }

    /// Where the broadcast transaction `id` stands.
    pub fn set_broadcast(&mut self, id: &str, result: Result<BroadcastStatus, String>) {
        if let Stage::Broadcast { id: ours, status } = &mut self.stage
            && ours == id
        {
            *status = Some(result);
        }
    }

    /// The holdings file at `path` was read (or could not be): its figures fill the offline fields.
    pub fn holdings_read(&mut self, path: &std::path::Path, read: Result<String, String>) {
        let filled = read.and_then(|text| self.fill_from_holdings(&text));
        self.holdings_notice = Some(filled.map(|()| format!("Filled from {}.", path.display())));
    }

    /// Fills the offline fields from a holdings file's text: Solana the balance; Stellar the sender's sequence
    /// number and balance, and whether the recipient exists when the file lists it; IOTA and Sui the native coins.
    ///
    /// # Errors
    /// A file that does not parse, is for another chain, or is not the sending account's.
    pub fn fill_from_holdings(&mut self, text: &str) -> Result<(), String> {
        let from = self.from.clone().ok_or("the sending address is not known yet")?;
        let mut value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("the holdings file does not parse: {e}"))?;
        let named = value.as_object_mut().and_then(|o| o.remove("chain"));
        if let Some(named) = &named
            && named.as_str() != Some(self.chain.name())
        {
            return Err(format!("the holdings file is for {named}, not {}", self.chain.name()));
        }
        let bad = |e: serde_json::Error| format!("the holdings file does not parse: {e}");
        let not_ours = |listed: &str| format!("the holdings are of {listed}, not of the sending account {from}");
        match self.chain {
            Chain::Solana => {
                let h: SolanaHoldings = serde_json::from_value(value).map_err(bad)?;
                if h.address != from {
                    return Err(not_ours(&h.address));
                }
                self.balance = send::format_units(u128::from(h.lamports), 9);
                self.file = Some(FileHoldings::Solana(h));
            }
            Chain::Stellar => {
                let accounts = value.get("accounts").cloned().ok_or("the holdings file has no \"accounts\"")?;
                let accounts: Vec<StellarHoldings> = serde_json::from_value(accounts).map_err(bad)?;
                let ours = accounts
                    .iter()
                    .find(|a| a.address == from)
                    .ok_or_else(|| format!("the holdings file has no record of the sender {from}"))?;
                self.sequence = ours.sequence.to_string();
                self.balance = send::format_units(u128::try_from(ours.native).unwrap_or(0), 7);
                if let Some(theirs) = accounts.iter().find(|a| a.address == self.to.trim()) {
                    self.recipient_exists = theirs.exists;
                }
                self.file = Some(FileHoldings::Stellar(accounts));
            }
            chain => {
                let h: Holdings = serde_json::from_value(value).map_err(bad)?;
                let id = coffer_core::holdings::iota_sui::parse_object_id;
                if id(&h.address) != id(&from) {
                    return Err(not_ours(&h.address));
                }
                let native = if chain == Chain::Iota { "::iota::IOTA" } else { "::sui::SUI" };
                let coins: Vec<String> = h
                    .coins
                    .iter()
                    .filter(|g| g.coin_type.ends_with(native))
                    .flat_map(|g| &g.coins)
                    .map(|c| format!("{} {} {} {}", c.object_id, c.version, c.digest, c.balance))
                    .collect();
                self.coins = coins.join("\n");
                self.file = Some(FileHoldings::Move(chain, h));
            }
        }
        Ok(())
    }

    /// The result was saved to `path` (or could not be).
    pub fn saved(&mut self, path: &std::path::Path, saved: Result<(), String>) {
        self.save_notice = Some(saved.map(|()| format!("Saved to {}.", path.display())));
    }

    /// What is handed out: Solana and Stellar the signed transaction; IOTA and Sui the transaction (base64) and
    /// the signature, one a line (what `iota`/`sui client execute-signed-tx` take).
    fn handout(chain: Chain, built: &BuiltSend, v: &SignedView) -> String {
        match (&v.signed_tx, &built.request.payload) {
            (Some(tx), _) => tx.clone(),
            (None, coffer_core::Payload::TransactionBytes(bytes)) if matches!(chain, Chain::Iota | Chain::Sui) => {
                use base64::Engine as _;
                format!("{}\n{}", base64::engine::general_purpose::STANDARD.encode(bytes), v.signature)
            }
            _ => v.signature.clone(),
        }
    }

    fn form(&mut self, ui: &mut egui::Ui) -> Option<SendIntent> {
        let mut intent = None;
        ui.horizontal(|ui| {
            let label = ui.label("From seed:");
            let selected = self.seeds.get(self.seed).map(|s| s.label.clone()).unwrap_or_default();
            egui::ComboBox::from_id_salt("send-seed")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    for (i, s) in self.seeds.iter().enumerate().filter(|(_, s)| !s.compromised) {
                        ui.selectable_value(&mut self.seed, i, &s.label);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            ui.label("Chain:");
            for chain in SEND_CHAINS {
                ui.selectable_value(&mut self.chain, chain, chain_title(chain))
                    .on_hover_text(format!("Send on {}", chain_title(chain)));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Account number:");
            ui.add(egui::DragValue::new(&mut self.account).range(0..=9999)).labelled_by(label.id);
        });
        match &self.from {
            Some(f) => ui.label(RichText::new(format!("From: {f}")).monospace()),
            None => ui.label(RichText::new("From: …").weak()),
        };
        ui.add_space(4.0);
        let label = ui.label("Recipient:");
        ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(f32::INFINITY).font(egui::TextStyle::Monospace))
            .labelled_by(label.id);
        if let Some(p) = self.recipient_problem() {
            ui.label(RichText::new(p).color(super::error_color(ui)));
        }
        if let Some(c) = &self.compromised {
            ui.label(RichText::new(format!("Warning: {c}")).color(super::error_color(ui)).strong());
            ui.checkbox(
                &mut self.compromised_ok,
                "Send to this compromised address anyway (whoever took that seed can take what is sent there)",
            );
        }
        self.asset_picker(ui);
        if self.needs_decimals() {
            ui.horizontal(|ui| {
                let label = ui.label("Decimals of the coin type:");
                ui.add(egui::TextEdit::singleline(&mut self.decimals).desired_width(60.0).hint_text("6"))
                    .labelled_by(label.id);
            });
        }
        let (symbol, _) = self.asset();
        ui.horizontal(|ui| {
            let label = ui.label(format!("Amount ({symbol}):"));
            ui.add(egui::TextEdit::singleline(&mut self.amount).desired_width(200.0).hint_text("1.5"))
                .labelled_by(label.id);
            let hover = if self.chosen() == SendAsset::Native {
                "Everything the account can send, less the fee"
            } else {
                "Everything of this asset the account holds (the fee is paid in the native coin)"
            };
            if crate::theme::secondary(ui, "Max").on_hover_text(hover).clicked() {
                self.amount = "max".into();
            }
        });
        if let Some(p) = self.amount_problem() {
            ui.label(RichText::new(p).color(super::error_color(ui)));
        }
        if self.chain == Chain::Stellar {
            ui.horizontal(|ui| {
                let label = ui.label("Memo (text, optional):");
                ui.add(egui::TextEdit::singleline(&mut self.memo).desired_width(280.0)).labelled_by(label.id);
            });
            if let Err(e) = self.memo() {
                ui.label(RichText::new(e).color(super::error_color(ui)));
            }
        }
        if self.chain == Chain::Solana {
            egui::CollapsingHeader::new("Advanced").id_salt("send-advanced").show(ui, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Priority fee (micro-lamports per compute unit):");
                    ui.add(egui::TextEdit::singleline(&mut self.priority_fee).desired_width(120.0).hint_text("0"))
                        .labelled_by(label.id);
                });
                ui.label(
                    RichText::new(
                        "Adds SetComputeUnitLimit (what the instructions need) and SetComputeUnitPrice; the fee shown \
                         includes it.",
                    )
                    .weak(),
                );
                if let Err(e) = self.compute_unit_price() {
                    ui.label(RichText::new(e).color(super::error_color(ui)));
                }
            });
        }
        let online = self.is_online();
        let fetched = match self.chain {
            Chain::Stellar => "the sequence number, the balance and whether the recipient exists",
            Chain::Solana => "the balance and a recent blockhash",
            _ if self.chosen() != SendAsset::Native => {
                "the coins, the coin type's decimals and the reference gas price"
            }
            _ => "the coins and the reference gas price",
        };
        ui.add_space(6.0);
        if online {
            ui.label(RichText::new(format!("{} are fetched from the network.", capitalised(fetched))).weak());
        } else {
            intent = self.offline_inputs(ui);
        }
        ui.add_space(6.0);
        let ready = self.ready();
        if online {
            if matches!(self.stage, Stage::Fetching) {
                ui.label(format!("Fetching {fetched}…"));
            } else if crate::theme::primary_enabled(ui, ready, "Fetch and review").clicked()
                && let Some(from) = self.from.clone()
            {
                let token = match self.chosen() {
                    SendAsset::Mint(t) | SendAsset::Coin(t) => Some(t),
                    _ => None,
                };
                intent = Some(SendIntent::Fetch { chain: self.chain, from, to: self.to.trim().to_owned(), token });
            }
        } else if crate::theme::primary_enabled(ui, ready, "Review").clicked() {
            intent = Some(SendIntent::Build);
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(format!("Cannot send: {e}")).color(super::error_color(ui)));
        }
        intent
    }

    /// The native coin or one of the tokens the sender holds (online as the network reported them, offline from
    /// the holdings file), each with its balance in its units.
    fn asset_picker(&mut self, ui: &mut egui::Ui) {
        let online = self.is_online();
        let (symbol, _) = native(self.chain);
        let entries: Vec<(SendAsset, String)> = self
            .assets()
            .into_iter()
            .map(|a| {
                let amount = a
                    .decimals
                    .map_or_else(|| format!("{} base units", a.balance), |d| send::format_units(a.balance, d));
                let text = match &a.asset {
                    // Online Solana does not list the SOL balance (it is fetched with the payment's inputs).
                    SendAsset::Native if online && self.chain == Chain::Solana => symbol.to_owned(),
                    SendAsset::Native if !online && self.file().is_none() => symbol.to_owned(),
                    SendAsset::Native => format!("{amount} {symbol}"),
                    SendAsset::Mint(m) => format!("{amount} of {m}"),
                    SendAsset::Stellar(s) => format!("{amount} of {s}"),
                    SendAsset::Coin(t) => format!("{amount} {} of {t}", a.name),
                };
                (a.asset, text)
            })
            .collect();
        let chosen = self.chosen();
        ui.horizontal(|ui| {
            let label = ui.label("Asset:");
            let selected =
                entries.iter().find(|(a, _)| *a == chosen).map_or_else(|| symbol.to_owned(), |(_, t)| t.clone());
            // A long mint or coin type is cut in the box (the list shows it whole): the form keeps its column.
            egui::ComboBox::from_id_salt("send-asset")
                .selected_text(selected)
                .width(420.0)
                .truncate()
                .show_ui(ui, |ui| {
                    for (a, text) in &entries {
                        ui.selectable_value(&mut self.asset, a.clone(), text);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let failed = match self.chain {
            Chain::Solana => self.tokens.as_ref().and_then(|(_, r)| r.as_ref().err()),
            _ => self.assets.as_ref().and_then(|(_, r)| r.as_ref().err()),
        };
        let asked = match self.chain {
            Chain::Solana => self.tokens.is_some(),
            _ => self.assets.as_ref().is_some_and(|(f, _)| Some(f) == self.from.as_ref()),
        };
        if online {
            match failed {
                Some(e) => {
                    ui.label(RichText::new(format!("Tokens unavailable: {e}")).color(super::warn_color(ui)));
                }
                None if !asked && self.from.is_some() => {
                    ui.label(RichText::new("Asking the network for this account's tokens…").weak());
                }
                _ => {}
            }
        } else if entries.len() == 1 {
            ui.label(RichText::new("Tokens are offered from a holdings file (below).").weak());
        }
    }

    fn offline_inputs(&mut self, ui: &mut egui::Ui) -> Option<SendIntent> {
        let (symbol, _) = native(self.chain);
        ui.label(
            RichText::new("Offline: give what the chain needs (from a block explorer or an online device).").weak(),
        );
        let field = |ui: &mut egui::Ui, text: &str, value: &mut String, width: f32| {
            ui.horizontal(|ui| {
                let label = ui.label(text);
                ui.add(egui::TextEdit::singleline(value).desired_width(width)).labelled_by(label.id);
            });
        };
        let mut load = None;
        ui.horizontal(|ui| {
            let label = ui.label("Holdings file (optional):");
            ui.add(
                egui::TextEdit::singleline(&mut self.holdings_path)
                    .desired_width(320.0)
                    .hint_text("as for coffer send --holdings"),
            )
            .labelled_by(label.id);
            if crate::theme::secondary_enabled(ui, !self.holdings_path.trim().is_empty(), "Fill from file").clicked() {
                load = Some(SendIntent::LoadHoldings(PathBuf::from(self.holdings_path.trim())));
            }
        });
        match &self.holdings_notice {
            Some(Ok(t)) if self.file().is_some() => {
                ui.label(RichText::new(t).color(super::ok_color(ui)));
            }
            Some(Err(t)) => {
                ui.label(RichText::new(t).color(super::error_color(ui)));
            }
            _ => {}
        }
        match self.chain {
            Chain::Solana => {
                field(ui, "Balance (SOL):", &mut self.balance, 200.0);
                field(ui, "Recent blockhash:", &mut self.blockhash, 420.0);
            }
            Chain::Stellar => {
                ui.horizontal(|ui| {
                    ui.label("Stellar network:");
                    ui.radio_value(&mut self.stellar_net, StellarNet::Public, "Public");
                    ui.radio_value(&mut self.stellar_net, StellarNet::Testnet, "Testnet");
                });
                field(ui, "Sequence number:", &mut self.sequence, 200.0);
                field(ui, &format!("Balance ({symbol}):"), &mut self.balance, 200.0);
                ui.checkbox(&mut self.recipient_exists, "The recipient account exists (otherwise it is created)");
            }
            _ => {
                field(ui, "Gas price:", &mut self.gas_price, 120.0);
                let label = ui.label("Coin objects (one a line: object id, version, digest, balance):");
                ui.add(
                    egui::TextEdit::multiline(&mut self.coins)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY)
                        .font(egui::TextStyle::Monospace),
                )
                .labelled_by(label.id);
            }
        }
        load
    }

    fn review(&mut self, ui: &mut egui::Ui) -> Option<SendIntent> {
        let mut intent = None;
        let chain = self.chain;
        let label = self.seeds.get(self.seed).map(|s| s.label.clone());
        let (account, from) = (self.account, self.from.clone());
        let token = self.chosen() != SendAsset::Native;
        let Stage::Review { built, confirm, online } = &mut self.stage else { return None };
        // Native coins are named by their symbol (IOTA, not 0x2::iota::IOTA); a token by its mint.
        let name = if token { built.asset.clone() } else { native(chain).0.to_owned() };
        ui.label(RichText::new(format!("Send {} {name} to {}", built.amount_text(), self.to.trim())).strong());
        ui.label(format!("Fee: {}", fee_text(chain, built)));
        for n in &built.notes {
            ui.label(format!("Note: {n}"));
        }
        SignScreen::summary_view(ui, built.decoded.summary());
        let summary = Ok(built.decoded.summary().clone());
        ui.checkbox(&mut confirm.read, "I have read the summary above and want to sign it");
        let gate = signing_gate(&summary, from.as_deref(), *confirm);
        if gate == Gate::WrongKey {
            ui.label(RichText::new("The sending key is not the transaction's signer.").color(super::error_color(ui)));
        }
        let what = if *online { "Sign and send" } else { "Sign now" };
        ui.horizontal(|ui| {
            if crate::theme::primary_enabled(ui, gate == Gate::Ready(coffer_core::Blind::Refuse), what).clicked()
                && let Some(label) = label
            {
                intent = Some(SendIntent::Sign { label, request: built.request.clone(), account });
            }
            if crate::theme::secondary(ui, "Edit the payment").clicked() {
                intent = Some(SendIntent::Back);
            }
        });
        intent
    }

    fn signed(&mut self, ui: &mut egui::Ui) -> Option<SendIntent> {
        let mut intent = None;
        let chain = self.chain;
        let Stage::Signed { built, result } = &self.stage else { return None };
        match result {
            Err(e) => {
                ui.label(RichText::new(format!("Not signed: {e}")).color(super::error_color(ui)));
            }
            Ok(v) => {
                let output = Self::handout(chain, built, v);
                ui.label(RichText::new(format!("Signed by {} ({})", v.address, v.path)).color(super::ok_color(ui)));
                ui.label(format!("Transaction id / signature: {}", v.signature));
                let what = if v.signed_tx.is_some() { "Signed transaction" } else { "Transaction and signature" };
                let texts = HandOutTexts {
                    what,
                    copy: "Copy signed payment",
                    qr_of: "signed payment",
                    hint: Some("Broadcast it from a device that is online."),
                };
                intent = self.handout.ui(ui, &output, &texts).map(|a| match a {
                    HandOutAction::Copy(text) => SendIntent::Copy(text),
                    HandOutAction::Save { path, text } => SendIntent::Save { path, text },
                });
            }
        }
        if crate::theme::secondary(ui, "New payment").clicked() {
            intent = Some(SendIntent::Back);
        }
        intent
    }

    fn broadcast(&self, ui: &mut egui::Ui) -> Option<SendIntent> {
        let Stage::Broadcast { id, status } = &self.stage else { return None };
        ui.label(format!("Transaction id: {id}"));
        let sent = matches!(status, Some(Ok(BroadcastStatus::Sent { .. } | BroadcastStatus::Confirmed { .. })));
        if let (true, Some(link)) = (sent, &self.explorer)
            && super::explorer_link_ui(ui, link, "Copy explorer link")
        {
            return Some(SendIntent::Copy(link.clone()));
        }
        match status {
            None => {
                ui.label("Sending…");
            }
            Some(Ok(BroadcastStatus::Sent { endpoint })) => {
                ui.label(format!("Sent to {endpoint}; waiting for confirmation…"));
            }
            Some(Ok(BroadcastStatus::Confirmed { slot })) => {
                ui.label(RichText::new(format!("Confirmed at slot {slot}.")).color(super::ok_color(ui)).strong());
            }
            Some(Ok(BroadcastStatus::Failed { slot })) => {
                ui.label(
                    RichText::new(format!(
                        "Failed on chain at slot {slot}: the fee was charged, nothing else changed."
                    ))
                    .color(super::error_color(ui)),
                );
            }
            Some(Err(e)) => {
                ui.label(RichText::new(format!("Not sent: {e}")).color(super::error_color(ui)));
            }
        }
        if status.as_ref().is_some_and(|s| !matches!(s, Ok(BroadcastStatus::Sent { .. })))
            && crate::theme::secondary(ui, "New payment").clicked()
        {
            return Some(SendIntent::Back);
        }
        None
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SendIntent> {
        ui.heading("Send");
        if !self.seeds.iter().any(|s| !s.compromised) {
            ui.label("There is no seed to send from (compromised seeds only send through Migrate).");
            return None;
        }
        let intent = match self.stage {
            Stage::Form | Stage::Fetching => self.form(ui),
            Stage::Review { .. } => self.review(ui),
            Stage::Signing { .. } => {
                ui.label("Signing…");
                None
            }
            Stage::Signed { .. } => self.signed(ui),
            Stage::Broadcast { .. } => self.broadcast(ui),
        };
        if let Some(n) = &self.save_notice {
            match n {
                Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
            };
        }
        if intent.is_some() {
            return intent;
        }
        // The sending address and the compromised check follow the fields (asked once per change).
        let key = self.key()?;
        if self.checked.as_ref() != Some(&key) {
            let (label, chain, account, to) = key;
            return Some(SendIntent::Check { label, chain, account, to });
        }
        // Online: the sender's tokens, asked once per sender.
        match &self.from {
            Some(from) if self.is_online() && self.tokens_asked.as_ref() != Some(from) => {
                Some(SendIntent::Tokens { chain: self.chain, from: from.clone() })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::Blind;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    const WORDS: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    fn address(chain: Chain, account: u32) -> String {
        let seed = coffer_core::Mnemonic::parse(WORDS).unwrap().to_seed("");
        chain
            .account(&seed, coffer_core::AccountIndex::new(account).unwrap(), coffer_core::AddressIndex::ZERO)
            .unwrap()
            .address
    }

    /// Account 3 of the test words stands for an address of a compromised seed.
    fn compromised(chain: Chain) -> String {
        address(chain, 3)
    }

    struct State {
        screen: SendScreen,
        intents: Vec<SendIntent>,
        effects: Vec<Effect>,
    }

    /// The screen with the app's part played by the test: the sending address and the compromised check from the
    /// test words, signing with core's signer of the same key (what the worker does with the vault's).
    fn harness() -> Harness<'static, State> {
        let screen = SendScreen::new(vec![
            SeedChoice { label: "Old".into(), compromised: true },
            SeedChoice { label: "Seed 1".into(), compromised: false },
        ])
        .with_export_dir(Some(PathBuf::from("/exports")));
        Harness::builder().with_size(egui::vec2(1000.0, 1400.0)).build_ui_state(
            |ui, s: &mut State| {
                let Some(i) = s.screen.ui(ui) else { return };
                s.intents.push(i.clone());
                let effect = s.screen.update(i.clone());
                match (&i, effect) {
                    (SendIntent::Check { label, chain, account, to }, _) => {
                        let c = (to.trim() == compromised(*chain)).then(|| "account 3 of seed Old".to_owned());
                        let key = (label.clone(), *chain, *account, to.clone());
                        s.screen.set_check(key, Some(address(*chain, *account)), c);
                    }
                    (SendIntent::Sign { request, account, .. }, _) => {
                        let seed = coffer_core::Mnemonic::parse(WORDS).unwrap().to_seed("");
                        let signer = coffer_core::Signer::at(
                            &seed,
                            request.chain,
                            coffer_core::AccountIndex::new(*account).unwrap(),
                            coffer_core::AddressIndex::ZERO,
                        )
                        .unwrap();
                        let decoded = coffer_core::sign::decode(request).unwrap();
                        let signed = signer.sign(&decoded, Blind::Refuse).unwrap();
                        if let Some(e) = s.screen.set_signed(Ok(SignedView::from(&signed))) {
                            s.effects.push(e);
                        }
                    }
                    (_, Some(e)) => s.effects.push(e),
                    _ => {}
                }
            },
            State { screen, intents: Vec::new(), effects: Vec::new() },
        )
    }

    fn type_into(h: &mut Harness<'_, State>, label: &str, text: &str) {
        h.get_by_label(label).focus();
        h.get_by_label(label).type_text(text);
        h.run();
    }

    #[test]
    fn the_recipient_is_checked_as_typed() {
        let mut h = harness();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Form);
        h.get_by_label_contains(&format!("From: {}", address(Chain::Solana, 0)));
        type_into(&mut h, "Recipient:", "not-an-address");
        assert!(h.query_all_by_label_contains("invalid solana recipient").next().is_some(), "a message under it");
        h.state_mut().screen.to = address(Chain::Solana, 1);
        h.run();
        assert!(h.query_all_by_label_contains("invalid solana recipient").next().is_none());
        // The sender itself.
        h.state_mut().screen.to = address(Chain::Solana, 0);
        h.run();
        h.get_by_label("the recipient is the sending address itself");
        // A Stellar address is not a Solana one, and its checksum is checked.
        h.get_by_label("Stellar").click();
        let mut bad = address(Chain::Stellar, 1);
        bad.replace_range(10..11, if &bad[10..11] == "A" { "B" } else { "A" });
        h.state_mut().screen.to = bad;
        h.run();
        assert!(h.query_all_by_label_contains("invalid stellar recipient").next().is_some());
        assert!(h.get_by_label("Review").accesskit_node().is_disabled());
    }

    #[test]
    fn max_sends_everything_and_an_amount_is_checked() {
        let mut h = harness();
        h.run();
        type_into(&mut h, "Amount (SOL):", "1.0000000001");
        h.get_by_label("the amount has 10 decimal places, but SOL has 9");
        h.get_by_label("Max").click();
        h.run();
        assert_eq!(h.get_by_label("Amount (SOL):").value().as_deref(), Some("max"));
        assert!(h.query_all_by_label_contains("decimal places").next().is_none());
        // Max of 1 SOL: everything less the fee goes.
        type_into(&mut h, "Recipient:", &address(Chain::Solana, 1));
        type_into(&mut h, "Balance (SOL):", "1");
        type_into(&mut h, "Recent blockhash:", &address(Chain::Solana, 2));
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review);
        h.get_by_label_contains("Send 0.999995 SOL to");
        h.get_by_label("Fee: 0.000005 SOL (5000 lamports)");
    }

    #[test]
    fn a_compromised_recipient_needs_a_tick() {
        let mut h = harness();
        h.run();
        type_into(&mut h, "Recipient:", &compromised(Chain::Solana));
        type_into(&mut h, "Amount (SOL):", "0.5");
        type_into(&mut h, "Balance (SOL):", "1");
        type_into(&mut h, "Recent blockhash:", &address(Chain::Solana, 2));
        h.get_by_label("Warning: account 3 of seed Old");
        assert!(h.get_by_label("Review").accesskit_node().is_disabled(), "not without the tick");
        let tick = "Send to this compromised address anyway (whoever took that seed can take what is sent there)";
        h.get_by_label(tick).click();
        h.run();
        assert!(!h.get_by_label("Review").accesskit_node().is_disabled());
        // Another recipient: no warning, and the tick is asked again for the next compromised one.
        h.state_mut().screen.to = address(Chain::Solana, 1);
        h.run();
        h.run();
        assert!(h.query_by_label(tick).is_none());
        h.state_mut().screen.to = compromised(Chain::Solana);
        h.run();
        h.run();
        assert!(h.get_by_label("Review").accesskit_node().is_disabled());
    }

    /// Offline Stellar: form → review (core's summary, the fee) → signing → signed, handed out (copy, QR, file);
    /// the envelope handed out carries a valid signature of the sender over the payment.
    #[test]
    fn stages_of_an_offline_stellar_payment() {
        let mut h = harness();
        h.run();
        h.get_by_label("Stellar").click();
        h.run();
        type_into(&mut h, "Recipient:", &address(Chain::Stellar, 1));
        type_into(&mut h, "Amount (XLM):", "12.5");
        type_into(&mut h, "Memo (text, optional):", "invoice 7");
        type_into(&mut h, "Sequence number:", "4242");
        type_into(&mut h, "Balance (XLM):", "100");
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review);
        h.get_by_label("Fee: 0.00001 XLM (100 stroops)");
        h.get_by_label("Everything was decoded.");
        assert!(h.get_by_label("Sign now").accesskit_node().is_disabled(), "the summary is confirmed first");
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        h.get_by_label("Sign now").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Signed);
        let tx = h.get_by_label("Signed transaction:").value().unwrap();
        let intent = h.state().intents.iter().find(|i| matches!(i, SendIntent::Sign { .. })).cloned().unwrap();
        let SendIntent::Sign { label, request, account: 0 } = intent else { panic!() };
        assert_eq!(label, "Seed 1");
        assert_eq!(request.network, Some(Network::Public));
        let summary = coffer_core::sign::decode(&request).unwrap().summary().clone();
        let text = format!("{summary:?}");
        assert!(text.contains("invoice 7") && text.contains(&address(Chain::Stellar, 1)), "{text}");
        assert!(!tx.is_empty());
        h.get_by_label("Copy signed payment").click();
        h.run();
        h.get_by_label("Show QR code").click();
        h.run();
        h.get_by_label("QR code of the signed payment");
        h.get_by_label("Save").click();
        h.run();
        let effects = &h.state().effects;
        assert!(effects.iter().any(|e| matches!(e, Effect::Copy(t) if *t == tx)));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::SaveSigned { text, path } if *text == tx && path.starts_with("/exports")))
        );
        h.get_by_label("New payment").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Form);
    }

    /// Online Solana: the inputs are fetched (the stage says so), the payment is built from them, signed, and
    /// broadcast; the status goes from sent to confirmed.
    #[test]
    fn online_stages_fetch_sign_broadcast_confirm() {
        let mut h = harness();
        h.state_mut().screen.online = true;
        h.run();
        type_into(&mut h, "Recipient:", &address(Chain::Solana, 1));
        type_into(&mut h, "Amount (SOL):", "0.25");
        assert!(h.query_by_label("Balance (SOL):").is_none(), "fetched, not typed");
        // The sender's tokens are asked for once; none are held, so SOL is the only asset.
        let from = address(Chain::Solana, 0);
        assert!(h.state().effects.iter().any(|e| matches!(e, Effect::SendTokens { from: f, .. } if *f == from)));
        h.state_mut().screen.set_tokens(&from, Ok(Vec::new()));
        h.run();
        assert!(h.query_by_label("Asking the network for this account's tokens…").is_none());
        h.get_by_label("Fetch and review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Fetching);
        h.get_by_label("Fetching the balance and a recent blockhash…");
        assert!(h.state().effects.iter().any(|e| matches!(e, Effect::SendInputs { from: f, .. } if *f == from)));
        let inputs = SolanaSendInputs {
            lamports: 1_000_000_000,
            blockhash: address(Chain::Solana, 2),
            recipient_lamports: Some(0),
            token_accounts: Vec::new(),
            recipient_token_account_exists: false,
            recipient_token_account_frozen: false,
            endpoint: "http://127.0.0.1:1".into(),
        };
        h.state_mut().screen.set_inputs(&from, Ok(inputs));
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review);
        h.get_by_label("Fee: 0.000005 SOL (5000 lamports)");
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        h.get_by_label("Sign and send").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Broadcast);
        let Some(Effect::SendBroadcast { id, .. }) = h.state().effects.last() else { panic!("broadcast") };
        let id = id.clone();
        h.get_by_label("Sending…");
        h.state_mut().screen.set_broadcast(&id, Ok(BroadcastStatus::Sent { endpoint: "http://127.0.0.1:1".into() }));
        h.run();
        h.get_by_label("Sent to http://127.0.0.1:1; waiting for confirmation…");
        // Where the app's network thread sent it (devnet here): its explorer link, as text and to copy.
        h.state_mut().screen.set_sent_to(&id, "devnet", "http://127.0.0.1:1");
        h.run();
        let link = format!("https://explorer.solana.com/tx/{id}?cluster=devnet");
        h.get_by_label(&link);
        h.state_mut().screen.set_broadcast(&id, Ok(BroadcastStatus::Confirmed { slot: 9 }));
        h.run();
        h.get_by_label("Confirmed at slot 9.");
        h.get_by_label(&format!("Transaction id: {id}"));
        h.get_by_label("Copy explorer link").click();
        h.run();
        assert!(matches!(h.state().effects.last(), Some(Effect::Copy(t)) if *t == link), "{:?}", h.state().effects);
    }

    /// Offline IOTA and Sui: the gas price and the coin objects typed in (one a line) build a payment of the native
    /// coin, reviewed with the gas budget as the fee and signed with the account's key; the hand-out is the
    /// transaction bytes and the signature, one a line. A coin line that does not parse is refused with its line.
    #[test]
    fn offline_iota_and_sui_payments_from_typed_coins() {
        use base64::Engine as _;
        for (chain, symbol) in [(Chain::Iota, "IOTA"), (Chain::Sui, "SUI")] {
            let mut h = harness();
            h.run();
            h.get_by_label(chain_title(chain)).click();
            h.run();
            let coin = |n: u8, balance: u64| {
                let id: String = std::iter::repeat_n(format!("{n:02x}"), 32).collect();
                format!("0x{id} {n} {} {balance}", bs58::encode([n; 32]).into_string())
            };
            type_into(&mut h, "Recipient:", &address(chain, 1));
            type_into(&mut h, &format!("Amount ({symbol}):"), "1.5");
            assert_eq!(h.get_by_label("Gas price:").value().as_deref(), Some("1000"));
            let label = "Coin objects (one a line: object id, version, digest, balance):";
            type_into(&mut h, label, "0x01 2");
            h.get_by_label("Review").click();
            h.run();
            h.get_by_label("Cannot send: coin line 1: expected object id, version, digest and balance");
            h.state_mut().screen.coins = format!("{}\n{}", coin(1, 1_000_000_000), coin(2, 2_000_000_000));
            h.run();
            h.get_by_label("Review").click();
            h.run();
            assert_eq!(h.state().screen.stage(), StageName::Review, "{chain}");
            h.get_by_label_contains(&format!("Send 1.5 {symbol} to {}", address(chain, 1)));
            h.get_by_label_contains("at most (the gas budget)");
            h.get_by_label("I have read the summary above and want to sign it").click();
            h.run();
            h.get_by_label("Sign now").click();
            h.run();
            assert_eq!(h.state().screen.stage(), StageName::Signed);
            let out = h.get_by_label("Transaction and signature:").value().unwrap();
            let (tx, signature) = out.split_once('\n').unwrap();
            let Some(SendIntent::Sign { request, .. }) =
                h.state().intents.iter().find(|i| matches!(i, SendIntent::Sign { .. })).cloned()
            else {
                panic!()
            };
            let coffer_core::Payload::TransactionBytes(bytes) = &request.payload else { panic!() };
            assert_eq!(base64::engine::general_purpose::STANDARD.decode(tx).unwrap(), *bytes);
            let seed = coffer_core::Mnemonic::parse(WORDS).unwrap().to_seed("");
            let signer = coffer_core::Signer::at(
                &seed,
                chain,
                coffer_core::AccountIndex::new(0).unwrap(),
                coffer_core::AddressIndex::ZERO,
            )
            .unwrap();
            let expected = signer.sign(&coffer_core::sign::decode(&request).unwrap(), Blind::Refuse).unwrap();
            assert_eq!(signature, expected.signature);
        }
    }

    /// A holdings file (the CLI's `--holdings` shapes) fills the offline fields of each chain; a file of another
    /// account or chain is refused with the reason and fills nothing.
    #[test]
    fn a_holdings_file_fills_the_offline_fields() {
        let mut h = harness();
        h.run();
        type_into(&mut h, "Holdings file (optional):", "/tmp/holdings.json");
        h.get_by_label("Fill from file").click();
        h.run();
        assert!(h.state().effects.iter().any(|e| matches!(e, Effect::SendHoldings(p) if p.ends_with("holdings.json"))));
        let path = std::path::Path::new("/tmp/holdings.json");
        let sol = SolanaHoldings { address: address(Chain::Solana, 0), lamports: 1_500_000_000, ..Default::default() };
        let mut file = serde_json::to_value(&sol).unwrap();
        file["chain"] = "solana".into();
        h.state_mut().screen.holdings_read(path, Ok(file.to_string()));
        h.run();
        h.get_by_label("Filled from /tmp/holdings.json.");
        assert_eq!(h.get_by_label("Balance (SOL):").value().as_deref(), Some("1.5"));
        // Another account's file.
        let other = SolanaHoldings { address: address(Chain::Solana, 1), ..sol };
        h.state_mut().screen.holdings_read(path, Ok(serde_json::to_value(&other).unwrap().to_string()));
        h.run();
        h.get_by_label_contains("the holdings are of");
        // Stellar: the sender's record and the recipient's (it does not exist: the payment creates it).
        h.get_by_label("Stellar").click();
        h.run();
        h.state_mut().screen.to = address(Chain::Stellar, 1);
        h.run();
        let ours = StellarHoldings {
            address: address(Chain::Stellar, 0),
            exists: true,
            sequence: 99,
            native: 250_000_000,
            ..Default::default()
        };
        let theirs = StellarHoldings { address: address(Chain::Stellar, 1), ..Default::default() };
        let file = serde_json::json!({"chain": "stellar", "accounts": [ours, theirs]});
        h.state_mut().screen.holdings_read(path, Ok(file.to_string()));
        h.run();
        assert_eq!(h.get_by_label("Sequence number:").value().as_deref(), Some("99"));
        assert_eq!(h.get_by_label("Balance (XLM):").value().as_deref(), Some("25"));
        assert!(!h.state().screen.recipient_exists);
        // A Solana file is not for Stellar.
        h.state_mut().screen.holdings_read(path, Ok(serde_json::json!({"chain": "solana"}).to_string()));
        h.run();
        h.get_by_label("the holdings file is for \"solana\", not stellar");
        // Sui: the native coins become the coin lines.
        h.get_by_label("Sui").click();
        h.run();
        let coin = Coin {
            object_id: format!("0x{}", "07".repeat(32)),
            version: 7,
            digest: bs58::encode([7u8; 32]).into_string(),
            balance: 3_000_000_000,
        };
        let holdings = Holdings {
            address: address(Chain::Sui, 0),
            coins: vec![CoinGroup { coin_type: SUI_COIN_TYPE.to_owned(), coins: vec![coin.clone()] }],
            objects: Vec::new(),
        };
        h.state_mut().screen.holdings_read(path, Ok(serde_json::to_value(&holdings).unwrap().to_string()));
        h.run();
        let lines = h.get_by_label("Coin objects (one a line: object id, version, digest, balance):").value();
        assert_eq!(lines, Some(format!("{} 7 {} 3000000000", coin.object_id, coin.digest)));
    }

    fn review_and_sign(h: &mut Harness<'_, State>, what: &str) -> SignRequest {
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        h.get_by_label(what).click();
        h.run();
        let Some(SendIntent::Sign { request, .. }) =
            h.state().intents.iter().rev().find(|i| matches!(i, SendIntent::Sign { .. })).cloned()
        else {
            panic!("signed")
        };
        request
    }

    fn pick(h: &mut Harness<'_, State>, entry: &str) {
        h.get_by_label("Asset:").click();
        h.run();
        h.get_by_label(entry).click();
        h.run();
    }

    /// Offline Solana: the holdings file's token accounts are offered with their balances in their units; the token
    /// picked is paid with `TransferChecked` from the file's token account (creating the recipient's associated
    /// account, whose rent is shown), and *max* is all of it.
    #[test]
    fn an_spl_token_offline_from_a_holdings_file() {
        let mut h = harness();
        h.run();
        h.get_by_label("Tokens are offered from a holdings file (below).");
        let mint = address(Chain::Solana, 5);
        let owner = address(Chain::Solana, 0);
        let ata = migrate::associated_token_address(
            &coffer_core::chain::solana::parse_address(&owner).unwrap(),
            &coffer_core::chain::solana::parse_address(&mint).unwrap(),
            coffer_core::holdings::solana::TokenProgram::SplToken,
        )
        .unwrap();
        let account = TokenAccount {
            address: bs58::encode(ata).into_string(),
            mint: mint.clone(),
            program: coffer_core::holdings::solana::TokenProgram::SplToken,
            amount: 2_500_000,
            decimals: 6,
            lamports: 2_039_280,
            destination_rent: None,
            frozen: false,
            close_authority: None,
            token_2022: None,
            destination_frozen: false,
        };
        let sol = SolanaHoldings {
            address: owner,
            lamports: 1_000_000_000,
            token_accounts: vec![account],
            ..Default::default()
        };
        h.state_mut()
            .screen
            .holdings_read(std::path::Path::new("/tmp/h.json"), Ok(serde_json::to_value(&sol).unwrap().to_string()));
        h.run();
        pick(&mut h, &format!("2.5 of {mint}"));
        type_into(&mut h, "Recipient:", &address(Chain::Solana, 1));
        type_into(&mut h, &format!("Amount ({}):", short(&mint)), "2.5000001");
        h.get_by_label_contains("decimal places");
        h.get_by_label("Max").click();
        h.run();
        type_into(&mut h, "Recent blockhash:", &address(Chain::Solana, 2));
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review, "{:?}", h.state().screen.error);
        h.get_by_label_contains(&format!("Send 2.5 {mint} to {}", address(Chain::Solana, 1)));
        h.get_by_label_contains("of rent deposit");
        let request = review_and_sign(&mut h, "Sign now");
        let text = format!("{:?}", coffer_core::sign::decode(&request).unwrap().summary());
        assert!(text.contains(&format!("SPL Token transfer 2.500000 of mint {mint}")), "{text}");
        assert_eq!(h.state().screen.stage(), StageName::Signed);
        // On another chain the Solana file fills nothing: it is not said to have.
        h.get_by_label("New payment").click();
        h.run();
        h.get_by_label("Filled from /tmp/h.json.");
        h.get_by_label("Sui").click();
        h.run();
        assert!(h.query_by_label("Filled from /tmp/h.json.").is_none());
        assert_eq!(h.get_by_label("Asset:").value().as_deref(), Some("SUI"));
    }

    /// Offline Stellar: the sender's trustlines from the holdings file are offered; a credit asset goes only to a
    /// recipient listed with an authorised trustline for it (the core's refusal is shown), then is a `PAYMENT` of
    /// the asset.
    #[test]
    fn a_stellar_credit_asset_offline_needs_the_recipients_trustline() {
        use coffer_core::holdings::stellar::StellarTrustline;
        let mut h = harness();
        h.run();
        h.get_by_label("Stellar").click();
        h.run();
        let to = address(Chain::Stellar, 1);
        let issuer = address(Chain::Stellar, 4);
        h.state_mut().screen.to.clone_from(&to);
        h.run();
        let line = |balance: i64| StellarTrustline::Credit {
            code: "USDC".into(),
            issuer: issuer.clone(),
            balance,
            limit: i64::MAX,
            authorized: true,
            auth_required: false,
        };
        let ours = StellarHoldings {
            address: address(Chain::Stellar, 0),
            exists: true,
            sequence: 99,
            native: 250_000_000,
            trustlines: vec![line(42_000_000)],
            subentry_count: 1,
            ..Default::default()
        };
        let theirs = StellarHoldings { address: to.clone(), exists: true, ..Default::default() };
        let file =
            |theirs: &StellarHoldings| serde_json::json!({"chain": "stellar", "accounts": [ours, theirs]}).to_string();
        let path = std::path::Path::new("/tmp/h.json");
        h.state_mut().screen.holdings_read(path, Ok(file(&theirs)));
        h.run();
        pick(&mut h, &format!("4.2 of USDC:{issuer}"));
        type_into(&mut h, "Amount (USDC):", "1.5");
        h.get_by_label("Review").click();
        h.run();
        h.get_by_label_contains("Cannot send: the recipient cannot receive USDC");
        let theirs = StellarHoldings { trustlines: vec![line(0)], ..theirs };
        h.state_mut().screen.holdings_read(path, Ok(file(&theirs)));
        h.run();
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review, "{:?}", h.state().screen.error);
        h.get_by_label_contains(&format!("Send 1.5 USDC:{issuer} to {to}"));
        let request = review_and_sign(&mut h, "Sign now");
        let text = format!("{:?}", coffer_core::sign::decode(&request).unwrap().summary());
        assert!(text.contains("USDC") && text.contains("15000000"), "{text}");
    }

    /// Online Sui: the coin types the network lists are offered with their balances in their units (decimals from
    /// their metadata); a token's coins and the gas price are fetched, its coins split and transferred while gas is
    /// paid in SUI; signed, it is broadcast as bytes and signature.
    #[test]
    fn a_sui_coin_type_online() {
        let mut h = harness();
        h.state_mut().screen.online_sui = true;
        h.run();
        h.get_by_label("Sui").click();
        h.run();
        let from = address(Chain::Sui, 0);
        assert!(
            h.state()
                .effects
                .iter()
                .any(|e| matches!(e, Effect::SendTokens { chain: Chain::Sui, from: f } if *f == from))
        );
        h.get_by_label("Asking the network for this account's tokens…");
        let usdc = format!("0x{}::usdc::USDC", "ab".repeat(32));
        let assets = vec![
            AssetHolding { asset: SendAsset::Native, name: "SUI".into(), decimals: Some(9), balance: 3_000_000_000 },
            AssetHolding {
                asset: SendAsset::Coin(usdc.clone()),
                name: "USDC".into(),
                decimals: Some(6),
                balance: 7_250_000,
            },
        ];
        h.state_mut().screen.set_assets(&from, Ok(assets));
        h.run();
        pick(&mut h, &format!("7.25 USDC of {usdc}"));
        type_into(&mut h, "Recipient:", &address(Chain::Sui, 1));
        type_into(&mut h, "Amount (USDC):", "1.5");
        h.get_by_label("Fetch and review").click();
        h.run();
        assert!(
            h.state()
                .effects
                .iter()
                .any(|e| matches!(e, Effect::SendInputs { chain: Chain::Sui, token: Some(t), .. } if *t == usdc))
        );
        let coin = |n: u8, balance: u64| Coin {
            object_id: format!("0x{}", format!("{n:02x}").repeat(32)),
            version: u64::from(n),
            digest: bs58::encode([n; 32]).into_string(),
            balance,
        };
        let holdings = Holdings {
            address: from.clone(),
            coins: vec![
                CoinGroup { coin_type: SUI_COIN_TYPE.into(), coins: vec![coin(1, 3_000_000_000)] },
                CoinGroup { coin_type: usdc.clone(), coins: vec![coin(2, 5_000_000), coin(3, 2_250_000)] },
            ],
            objects: Vec::new(),
        };
        let inputs =
            MoveSendInputs { holdings, decimals: Some(6), gas_price: 750, endpoint: "http://127.0.0.1:1".into() };
        h.state_mut().screen.set_move_inputs(&from, Ok(inputs));
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review, "{:?}", h.state().screen.error);
        h.get_by_label_contains(&format!("Send 1.5 {usdc} to"));
        let request = review_and_sign(&mut h, "Sign and send");
        let coffer_core::Payload::TransactionBytes(bytes) = &request.payload else { panic!() };
        let tx = coffer_core::sign::iota_sui::decode_transaction(Chain::Sui, bytes).unwrap();
        let coffer_core::sign::iota_sui::TransactionData::Programmable(tx) = tx else { panic!() };
        assert_eq!(tx.gas.price, 1000, "the default, above the reference price");
        assert_eq!(tx.gas.payment.len(), 1, "gas is paid in SUI");
        assert_eq!(h.state().screen.stage(), StageName::Broadcast);
        let Some(Effect::SendBroadcast { chain: Chain::Sui, signature: Some(_), id, .. }) = h.state().effects.last()
        else {
            panic!("broadcast")
        };
        assert_eq!(*id, migrate::iota_sui_digest(bytes));
    }

    /// Offline IOTA: a coin type of the holdings file is offered; without coin metadata offline its decimals are
    /// typed in; the token's coins come from the file and the gas from the native coin lines.
    #[test]
    fn an_iota_coin_type_offline_with_typed_decimals() {
        let mut h = harness();
        h.run();
        h.get_by_label("IOTA").click();
        h.run();
        let token = format!("0x{}::gold::GOLD", "cd".repeat(32));
        let coin = |n: u8, balance: u64| Coin {
            object_id: format!("0x{}", format!("{n:02x}").repeat(32)),
            version: u64::from(n),
            digest: bs58::encode([n; 32]).into_string(),
            balance,
        };
        let holdings = Holdings {
            address: address(Chain::Iota, 0),
            coins: vec![
                CoinGroup { coin_type: IOTA_COIN_TYPE.into(), coins: vec![coin(1, 2_000_000_000)] },
                CoinGroup { coin_type: token.clone(), coins: vec![coin(4, 900)] },
            ],
            objects: Vec::new(),
        };
        let path = std::path::Path::new("/tmp/h.json");
        h.state_mut().screen.holdings_read(path, Ok(serde_json::to_value(&holdings).unwrap().to_string()));
        h.run();
        pick(&mut h, &format!("900 base units GOLD of {token}"));
        type_into(&mut h, "Recipient:", &address(Chain::Iota, 1));
        type_into(&mut h, "Amount (GOLD):", "max");
        h.get_by_label("give the coin type's decimals (from its coin metadata)");
        type_into(&mut h, "Decimals of the coin type:", "2");
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review, "{:?}", h.state().screen.error);
        h.get_by_label_contains(&format!("Send 9 {token} to"));
        review_and_sign(&mut h, "Sign now");
        assert_eq!(h.state().screen.stage(), StageName::Signed);
    }

    /// Solana's priority fee under *Advanced*: the compute unit price typed in is the payment's
    /// `SetComputeUnitPrice`, and the fee shown (before signing) includes it; text that is not a number is refused.
    #[test]
    fn a_solana_priority_fee_under_advanced() {
        let mut h = harness();
        h.run();
        type_into(&mut h, "Recipient:", &address(Chain::Solana, 1));
        type_into(&mut h, "Amount (SOL):", "0.5");
        type_into(&mut h, "Balance (SOL):", "1");
        type_into(&mut h, "Recent blockhash:", &address(Chain::Solana, 2));
        h.get_by_label("Advanced").click();
        h.run();
        type_into(&mut h, "Priority fee (micro-lamports per compute unit):", "x");
        h.get_by_label("the priority fee: a whole number of micro-lamports per compute unit");
        assert!(h.get_by_label("Review").accesskit_node().is_disabled());
        h.state_mut().screen.priority_fee = "100000".into();
        h.run();
        h.get_by_label("Review").click();
        h.run();
        assert_eq!(h.state().screen.stage(), StageName::Review, "{:?}", h.state().screen.error);
        let Stage::Review { built, .. } = &h.state().screen.stage else { panic!() };
        assert!(built.fee > 5000, "the priority fee is in the fee: {}", built.fee);
        h.get_by_label(&format!("Fee: {}", fee_text(Chain::Solana, built)));
        let text = format!("{:?}", built.decoded.summary());
        assert!(text.contains("100000 micro-lamports"), "{text}");
    }
}
