//! The app's online side: the network process coffer-net, started by `main` **before** the app restricts itself
//! (a child inherits the parent's Landlock domain, and the app's forbids TCP) and before any secret is read, and
//! only when the saved settings turn the network on for some chain. The app's own process never opens a socket:
//! it talks to coffer-net over a pipe with the typed protocol of coffer-net-proto, on a thread of its own
//! ([`NetWorker`]), so no network wait ever happens in a frame.
//!
//! Turning the network on (or changing an endpoint) in Settings takes effect at the next start: a process that
//! could start coffer-net later would have to stay outside the sandbox for the whole session, and with the
//! network off there would still be a way for the app to reach it. See docs/threat-model.md, "The app's network
//! process".
//!
//! Every answer is untrusted input: figures are shown with the endpoint that reported them; a transaction fetched
//! for the activity page or a watch is decoded and checked by [`coffer_core::watch`] (its id or digest, the
//! address's signature or its place as sender) before it is compared with the signing log, as the CLI does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::SystemTime;

use coffer_core::watch::{Seen, SignedHere};
use coffer_core::{AccountIndex, AddressIndex};
use coffer_net_proto::client::{ClientError, NetClient};
use coffer_net_proto::{Call, IOTA_COIN_TYPE, Network, Reply, SUI_COIN_TYPE, TokenProgram};

use crate::settings::{NetChain, Settings};

/// How many transactions the activity page and a watch round look at per address.
pub const HISTORY_LIMIT: u32 = 25;

/// coffer-net as started by `main` (or by a test), with the endpoint overrides it got.
#[derive(Debug)]
pub struct NetStart {
    /// The running process, or why it could not be started.
    pub client: Result<NetClient, String>,
    /// The `CHAIN:NETWORK=URL` overrides it was started with (settings that differ take effect at next start).
    pub specs: Vec<String>,
}

/// Starts coffer-net if `settings` turn the network on for some chain; `None` otherwise (then no network process
/// exists in this session). Call it before the sandbox and before any secret is read.
#[must_use]
pub fn start_if_on(settings: &Settings) -> Option<NetStart> {
    if !settings.network_on() {
        return None;
    }
    let specs = settings.endpoint_specs();
    let client = coffer_net_proto::client::locate()
        .and_then(|path| NetClient::spawn(&path, &specs, concat!("coffer-gui ", env!("CARGO_PKG_VERSION"))))
        .map_err(|e| e.to_string());
    Some(NetStart { client, specs })
}

/// Which address on which network, as asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The chain.
    pub chain: NetChain,
    /// The network.
    pub network: Network,
    /// The address.
    pub address: String,
}

/// What the network process was asked to do.
#[derive(Debug, Clone)]
pub enum NetJob {
    /// Balances and holdings of each address.
    Balances(Vec<Target>),
    /// The recent transactions of an address (every chain with [`NetChain::has_activity`]), each marked
    /// against the signing log.
    Activity {
        /// The address.
        target: Target,
        /// What this vault signed on the target's chain.
        log: SignedHere,
    },
    /// Account discovery for one chain: `addresses[n]` is account n's address; a gap scan
    /// ([`coffer_core::discover::scan`]) asks whether each was ever used.
    Discover {
        /// The chain and network (the address is unused).
        chain: NetChain,
        /// The network.
        network: Network,
        /// Account n's address at index n (accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`]).
        addresses: Vec<String>,
        /// Stop after this many unused accounts in a row.
        gap: u32,
    },
    /// The migration wizard's gap scan past the plan, one chain after another: for each chain, which accounts from
    /// its first unplanned one were ever used ([`coffer_core::discover::scan_from`], as [`NetJob::Discover`]).
    PlanScan {
        /// The chains to scan, in order.
        chains: Vec<PlanScanChain>,
        /// Stop after this many unused accounts in a row.
        gap: u32,
    },
    /// A Solana sweep's inputs: the old address's balance and a recent blockhash.
    SolanaSweepInputs(Target),
    /// A Solana payment's inputs: the sender's balance, a recent blockhash, and for SOL the recipient's balance,
    /// for a token the sender's token accounts of the mint and whether the recipient's associated account exists.
    SolanaSendInputs {
        /// The sender.
        target: Target,
        /// The recipient.
        to: String,
        /// The token's mint (`None`: SOL).
        mint: Option<String>,
    },
    /// The token accounts of a Solana address, with their mints' decimals (what the Send page offers).
    SolanaTokens(Target),
    /// The assets a Stellar, IOTA or Sui address holds (what the Send page offers): lumens and its trustlines'
    /// credit assets; the coin types with their coin metadata.
    SendAssets(Target),
    /// An IOTA or Sui payment's inputs: the sender's native coins (and those of `coin_type`, with its decimals) and
    /// the network's reference gas price.
    MoveSendInputs {
        /// The sender.
        target: Target,
        /// The token's coin type (`None`: the native coin).
        coin_type: Option<String>,
    },
    /// A Stellar payment's inputs: the sender's account (sequence, lumens, subentries, trustlines) and the
    /// recipient's (whether it exists, its trustlines).
    StellarSendInputs {
        /// The sender.
        target: Target,
        /// The recipient.
        to: String,
    },
    /// Broadcast a signed transaction (Solana, Stellar: the signed transaction; IOTA, Sui: the transaction bytes in
    /// base64 and `signature`) whose id is `id`, then wait for its status.
    SendBroadcast {
        /// The sender.
        target: Target,
        /// The signed transaction (IOTA, Sui: the transaction bytes).
        signed_tx: String,
        /// IOTA, Sui: the signature.
        signature: Option<String>,
        /// Its id (the first signature).
        id: String,
    },
    /// Everything a migration row's old address holds (and what its sweep needs: the new Stellar account, a
    /// blockhash, the reference gas price), for *Sweep everything*.
    SweepHoldings {
        /// The chain (IOTA, Sui, Solana or Stellar).
        chain: coffer_net_proto::Chain,
        /// The network.
        network: Network,
        /// The old address.
        old: String,
        /// The new address.
        new: String,
    },
    /// Broadcasts a sweep's signed transactions in order, each after the one before is confirmed.
    Broadcast {
        /// The chain.
        chain: coffer_net_proto::Chain,
        /// The network.
        network: Network,
        /// Each transaction: its id, the signed transaction (Solana, Stellar) or transaction data (IOTA, Sui), and
        /// its signature (IOTA, Sui).
        txs: Vec<SignedTx>,
    },
    /// One watch round: the new transactions of each address, checked against the signing log of its chain.
    Watch {
        /// The addresses.
        targets: Vec<Target>,
        /// What this vault signed, per chain.
        logs: BTreeMap<NetChain, SignedHere>,
    },
}

/// One chain of a [`NetJob::PlanScan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanScanChain {
    /// The chain.
    pub chain: NetChain,
    /// The network.
    pub network: Network,
    /// The first account asked about (the first the plan does not hold, [`coffer_core::migrate::first_unplanned`]).
    pub first: u32,
    /// Account n's address at index n (accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`]; those below `first`
    /// are not asked about).
    pub addresses: Vec<String>,
}

/// A signed transaction to broadcast (public data: a receipt's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTx {
    /// The transaction id Coffer computed.
    pub tx_id: String,
    /// Base64: the signed transaction (Solana, Stellar) or the transaction data (IOTA, Sui).
    pub tx: String,
    /// The signature (IOTA, Sui).
    pub signature: String,
}

/// How long a broadcast transaction is followed before it counts as not confirmed.
pub const CONFIRM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

/// What an address holds, as one endpoint reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    /// The native balance, for people ("1.5 SOL"), or why there is none ("account not found").
    pub native: String,
    /// Every other holding, one line each.
    pub other: Vec<String>,
    /// The endpoint that reported it.
    pub endpoint: String,
    /// When it was reported.
    pub at: SystemTime,
}

/// One transaction of an address's activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEntry {
    /// The transaction id.
    pub signature: String,
    /// The slot.
    pub slot: u64,
    /// When, if the endpoint knows (seconds since the Unix epoch).
    pub block_time: Option<i64>,
    /// It failed on chain.
    pub failed: bool,
    /// Checked against the address's key and the log; `None` when the endpoint does not have the transaction.
    pub seen: Option<Seen>,
}

/// A transaction signed by a watched address's key outside this vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The watched address.
    pub target: Target,
    /// The transaction id.
    pub signature: String,
    /// The endpoint that reported it.
    pub endpoint: String,
}

/// A Solana payment's inputs as the network reported them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolanaSendInputs {
    /// The sender's balance, lamports.
    pub lamports: u64,
    /// A recent blockhash.
    pub blockhash: String,
    /// The recipient's balance, lamports (0: its account does not exist yet); `None` for a token payment.
    pub recipient_lamports: Option<u64>,
    /// For a token payment: the sender's token accounts of the mint, with the mint's decimals.
    pub token_accounts: Vec<coffer_core::holdings::solana::TokenAccount>,
    /// For a token payment: the recipient's associated token account for the mint exists.
    pub recipient_token_account_exists: bool,
    /// For a token payment: that account exists and is frozen (a payment into it would fail on chain).
    pub recipient_token_account_frozen: bool,
    /// The endpoint that reported them.
    pub endpoint: String,
}

/// A Stellar payment's inputs as the network reported them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StellarSendInputs {
    /// The sender's account.
    pub holdings: coffer_core::holdings::stellar::StellarHoldings,
    /// The recipient's account (`exists` false when the network does not know it), with its trustlines.
    pub recipient: coffer_core::holdings::stellar::StellarHoldings,
    /// The network whose passphrase the signature covers (public or testnet).
    pub network: coffer_core::sign::Network,
    /// The endpoint that reported them.
    pub endpoint: String,
}

/// An IOTA or Sui payment's inputs as the network reported them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveSendInputs {
    /// The sender's native coins, and those of the token sent.
    pub holdings: coffer_core::holdings::iota_sui::Holdings,
    /// The token's decimals from its coin metadata (`None`: the native coin, or none published).
    pub decimals: Option<u8>,
    /// The network's reference gas price.
    pub gas_price: u64,
    /// The endpoint that reported them.
    pub endpoint: String,
}

/// An asset a sender can pay with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SendAsset {
    /// The chain's native coin (SOL, XLM, IOTA, SUI).
    Native,
    /// A Solana token, by its mint.
    Mint(String),
    /// A Stellar credit asset.
    Stellar(coffer_core::holdings::stellar::StellarAsset),
    /// An IOTA or Sui coin type other than the native coin.
    Coin(String),
}

/// An asset a sender holds, with its balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetHolding {
    /// The asset.
    pub asset: SendAsset,
    /// Its name for people (a symbol, `CODE` of a credit asset, or a shortened mint or coin type).
    pub name: String,
    /// Its decimals (`None`: not known, e.g. a coin type without coin metadata).
    pub decimals: Option<u8>,
    /// The balance, in base units.
    pub balance: u128,
}

/// Where a broadcast transaction stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BroadcastStatus {
    /// Accepted by the endpoint, not confirmed yet.
    Sent {
        /// The endpoint.
        endpoint: String,
    },
    /// Confirmed (or finalized) at this slot.
    Confirmed {
        /// The slot.
        slot: u64,
    },
    /// Included at this slot but failed on chain (fees were charged, nothing else changed).
    Failed {
        /// The slot.
        slot: u64,
    },
}

/// What the network thread reports.
#[derive(Debug)]
pub enum NetEvent {
    /// `done` of `total` questions answered in the running job.
    Progress {
        /// Answered.
        done: usize,
        /// Asked.
        total: usize,
    },
    /// An address's holdings, or why they could not be fetched.
    Holdings(Target, Result<Holdings, String>),
    /// A Solana sweep's inputs for an address: balance (lamports), recent blockhash, endpoint; or why not.
    SolanaSweepInputs(Target, Result<(u64, String, String), String>),
    /// A Solana payment's inputs (the sender's address), or why not.
    SolanaSendInputs(Target, Result<SolanaSendInputs, String>),
    /// An IOTA or Sui payment's inputs (the sender's address), or why not.
    MoveSendInputs(Target, Result<MoveSendInputs, String>),
    /// The assets a Stellar, IOTA or Sui address holds, or why not.
    SendAssets(Target, Result<Vec<AssetHolding>, String>),
    /// A Stellar payment's inputs (the sender's address), or why not.
    StellarSendInputs(Target, Result<Box<StellarSendInputs>, String>),
    /// A Solana address's token accounts, or why not.
    SolanaTokens(Target, Result<Vec<coffer_core::holdings::solana::TokenAccount>, String>),
    /// Where the broadcast transaction `id` stands, or why it could not be sent or followed.
    SendStatus(String, Result<BroadcastStatus, String>),
    /// A sweep's holdings for the old address, with the endpoint that reported them, or why not.
    SweepHoldings(String, Result<Box<(crate::sweep::RowHoldings, String)>, String>),
    /// Where a broadcast transaction of a sweep stands (sent, confirmed or failed).
    SweepTx(String, crate::sweep::TxState, String),
    /// An address's activity, or why it could not be fetched.
    Activity(Target, Result<(Vec<ActivityEntry>, String), String>),
    /// Account discovery asked about one more account (`scanned` so far) of `chain`.
    DiscoverProgress {
        /// The chain.
        chain: NetChain,
        /// Accounts asked about so far.
        scanned: u32,
    },
    /// Account discovery of `chain` ended: the accounts found used (with the endpoint), or why it stopped.
    Discovered(NetChain, Result<(coffer_core::discover::Discovery, String), String>),
    /// The wizard's scan past the plan asked about one more account of `chain`: `asked` accounts so far, up to
    /// account `last`.
    PlanScanProgress {
        /// The chain.
        chain: NetChain,
        /// Accounts asked about so far in this chain.
        asked: u32,
        /// The last account asked about.
        last: u32,
    },
    /// The wizard's scan past the plan of `chain` ended: the accounts found used (with the endpoint), or why it
    /// stopped.
    PlanScanned(NetChain, Result<(coffer_core::discover::Discovery, String), String>),
    /// A watch round found these alerts (possibly none) and these errors.
    Watched {
        /// New foreign signatures.
        alerts: Vec<Alert>,
        /// Addresses that could not be checked, with why.
        errors: Vec<(Target, String)>,
        /// When the round ended.
        at: SystemTime,
    },
    /// The job is over.
    Finished,
}

/// The thread that owns the pipe to coffer-net.
#[derive(Debug)]
pub struct NetWorker {
    jobs: Sender<NetJob>,
    events: Receiver<NetEvent>,
    busy: bool,
    pid: u32,
}

impl NetWorker {
    /// Starts the thread around `client`; `wake` is called after every event (to repaint).
    ///
    /// # Errors
    /// If the thread cannot be started.
    pub fn spawn(client: NetClient, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (jobs, job_rx) = std::sync::mpsc::channel::<NetJob>();
        let (event_tx, events) = std::sync::mpsc::channel();
        let pid = client.pid();
        std::thread::Builder::new().name("coffer-net-client".into()).spawn(move || {
            let mut state = State { client, seen: HashMap::new() };
            for job in job_rx {
                let send = |e: NetEvent| {
                    let _ = event_tx.send(e);
                    wake();
                };
                state.run(job, &send);
                send(NetEvent::Finished);
            }
        })?;
        Ok(Self { jobs, events, busy: false, pid })
    }

    /// Hands a job to the thread (jobs run one after another).
    pub fn submit(&mut self, job: NetJob) {
        if self.jobs.send(job).is_ok() {
            self.busy = true;
        }
    }

    /// The next event, if any.
    pub fn poll(&mut self) -> Option<NetEvent> {
        match self.events.try_recv() {
            Ok(NetEvent::Finished) => {
                self.busy = false;
                Some(NetEvent::Finished)
            }
            Ok(e) => Some(e),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// Whether a job is running or queued.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.busy
    }

    /// The network process's id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

/// The thread's state: the client and, per watched address, the transactions already looked at.
struct State {
    client: NetClient,
    seen: HashMap<Target, BTreeSet<String>>,
}

impl State {
    fn run(&mut self, job: NetJob, send: &dyn Fn(NetEvent)) {
        match job {
            NetJob::Balances(targets) => {
                let total = targets.len();
                send(NetEvent::Progress { done: 0, total });
                for (n, t) in targets.into_iter().enumerate() {
                    let result = holdings(&mut self.client, &t).map_err(|e| e.to_string());
                    send(NetEvent::Holdings(t, result));
                    send(NetEvent::Progress { done: n + 1, total });
                }
            }
            NetJob::SolanaSweepInputs(target) => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = sweep_inputs(&mut self.client, &target).map_err(|e| e.to_string());
                send(NetEvent::SolanaSweepInputs(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::MoveSendInputs { target, coin_type } => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = move_inputs(&mut self.client, &target, coin_type.as_deref()).map_err(|e| e.to_string());
                send(NetEvent::MoveSendInputs(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::SendAssets(target) => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = send_assets(&mut self.client, &target).map_err(|e| e.to_string());
                send(NetEvent::SendAssets(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::StellarSendInputs { target, to } => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = stellar_inputs(&mut self.client, &target, &to).map_err(|e| e.to_string());
                send(NetEvent::StellarSendInputs(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::SolanaTokens(target) => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = token_accounts(&mut self.client, &target, None, None).map_err(|e| e.to_string());
                send(NetEvent::SolanaTokens(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::SolanaSendInputs { target, to, mint } => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = send_inputs(&mut self.client, &target, &to, mint.as_deref()).map_err(|e| e.to_string());
                send(NetEvent::SolanaSendInputs(target, result));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::SendBroadcast { target, signed_tx, signature, id } => {
                let status = |s| send(NetEvent::SendStatus(id.clone(), s));
                match send_broadcast(&mut self.client, &target, &signed_tx, signature, &id) {
                    Err(e) => status(Err(e.to_string())),
                    Ok(endpoint) => {
                        status(Ok(BroadcastStatus::Sent { endpoint }));
                        status(await_send_status(&mut self.client, &target, &id).map_err(|e| e.to_string()));
                    }
                }
            }
            NetJob::SweepHoldings { chain, network, old, new } => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = sweep_holdings(&mut self.client, chain, network, &old, &new, &mut |done, total| {
                    send(NetEvent::Progress { done, total });
                });
                send(NetEvent::SweepHoldings(old, result.map(Box::new)));
            }
            NetJob::Broadcast { chain, network, txs } => {
                let total = txs.len();
                send(NetEvent::Progress { done: 0, total });
                let mut failed = false;
                for (n, tx) in txs.into_iter().enumerate() {
                    if failed {
                        let why = "not sent: an earlier transaction of the sweep did not go through".to_owned();
                        send(NetEvent::SweepTx(tx.tx_id, crate::sweep::TxState::Failed(why), String::new()));
                        continue;
                    }
                    let mut endpoint = String::new();
                    let state = broadcast(&mut self.client, chain, network, &tx, &mut |state, at| {
                        endpoint = at.to_owned();
                        send(NetEvent::SweepTx(tx.tx_id.clone(), state, endpoint.clone()));
                    });
                    failed = !matches!(state, crate::sweep::TxState::Confirmed(_));
                    send(NetEvent::SweepTx(tx.tx_id, state, endpoint));
                    send(NetEvent::Progress { done: n + 1, total });
                }
            }
            NetJob::Activity { target, log } => {
                send(NetEvent::Progress { done: 0, total: 1 });
                let result = activity(&mut self.client, &target, &log, None);
                send(NetEvent::Activity(target, result.map_err(|e| e.to_string())));
                send(NetEvent::Progress { done: 1, total: 1 });
            }
            NetJob::Discover { chain, network, addresses, gap } => {
                let result = discover(&mut self.client, chain, network, &addresses, 0, gap, &mut |n| {
                    send(NetEvent::DiscoverProgress { chain, scanned: n + 1 });
                });
                send(NetEvent::Discovered(chain, result));
            }
            NetJob::PlanScan { chains, gap } => {
                for c in chains {
                    let mut asked = 0;
                    let result = discover(&mut self.client, c.chain, c.network, &c.addresses, c.first, gap, &mut |n| {
                        asked += 1;
                        send(NetEvent::PlanScanProgress { chain: c.chain, asked, last: n });
                    });
                    send(NetEvent::PlanScanned(c.chain, result));
                }
            }
            NetJob::Watch { targets, logs } => {
                let (mut alerts, mut errors) = (Vec::new(), Vec::new());
                let total = targets.len();
                for (n, t) in targets.into_iter().enumerate() {
                    send(NetEvent::Progress { done: n, total });
                    let mut seen = self.seen.remove(&t).unwrap_or_default();
                    let log = logs.get(&t.chain).cloned().unwrap_or_default();
                    match activity(&mut self.client, &t, &log, Some(&mut seen)) {
                        Ok((entries, endpoint)) => {
                            for e in entries {
                                if e.seen.is_some_and(Seen::is_foreign) {
                                    alerts.push(Alert {
                                        target: t.clone(),
                                        signature: e.signature,
                                        endpoint: endpoint.clone(),
                                    });
                                }
                            }
                        }
                        Err(e) => errors.push((t.clone(), e.to_string())),
                    }
                    self.seen.insert(t, seen);
                }
                send(NetEvent::Watched { alerts, errors, at: SystemTime::now() });
            }
        }
    }
}

/// The gap scan of `chain` from account `first` ([`coffer_core::discover::scan_from`]), asking coffer-net whether
/// each account was ever used ([`coffer_net_proto::client::ever_used`]: any history, or any balance); `asked(n)`
/// after account n was answered. Returns what was found and the endpoint that answered, or why it stopped.
fn discover(
    client: &mut NetClient,
    chain: NetChain,
    network: Network,
    addresses: &[String],
    first: u32,
    gap: u32,
    asked: &mut dyn FnMut(u32),
) -> Result<(coffer_core::discover::Discovery, String), String> {
    let mut endpoint = String::new();
    let found = coffer_core::discover::scan_from(first, gap, |n| {
        let address = addresses.get(n as usize).ok_or("no address derived for this account")?;
        let (used, e) =
            coffer_net_proto::client::ever_used(client, chain.proto(), network, address).map_err(|e| e.to_string())?;
        if let Some(e) = e {
            endpoint = e;
        }
        asked(n);
        Ok::<bool, String>(used)
    });
    match found {
        Ok(d) => Ok((d, endpoint)),
        Err(coffer_core::discover::DiscoverError::Ask { account, error, .. }) => {
            Err(format!("account {account}: {error}"))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Why a question failed.
#[derive(Debug)]
enum Failure {
    Client(ClientError),
    /// The endpoint answered something that cannot be believed.
    Lie(String),
    /// Not served for this chain yet.
    Unsupported(&'static str),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Client(e) => write!(f, "{e}"),
            Self::Lie(why) => write!(f, "the endpoint's answer is not believed: {why}"),
            Self::Unsupported(what) => write!(f, "{what}"),
        }
    }
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Self {
        Self::Client(e)
    }
}

fn other_reply() -> Failure {
    Failure::Lie("an answer of another kind".into())
}

/// `value` in units of 10^-`decimals`, as a decimal ("1.5", "0.000000001"), trailing zeros dropped.
#[must_use]
pub fn decimal(value: u128, decimals: u32) -> String {
    let scale = 10u128.pow(decimals);
    let (whole, frac) = (value / scale, value % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = decimals as usize);
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

fn holdings(client: &mut NetClient, t: &Target) -> Result<Holdings, Failure> {
    let (chain, network, address) = (t.chain.proto(), t.network, t.address.clone());
    let (native, other, endpoint) = match t.chain {
        NetChain::Solana => {
            let (reply, endpoint) = client.call(chain, network, Call::Balance { address: address.clone() })?;
            let Reply::Balance { amount, .. } = reply else { return Err(other_reply()) };
            let (reply, _) = client.call(chain, network, Call::Holdings { address })?;
            let Reply::Holdings { accounts, .. } = reply else { return Err(other_reply()) };
            let other = accounts
                .iter()
                .map(|a| {
                    let program = if a.program == TokenProgram::Token2022 { "Token-2022" } else { "SPL Token" };
                    format!("{} (raw units) of mint {} ({program})", a.amount, a.mint)
                })
                .collect();
            (format!("{} SOL", decimal(amount.value(), 9)), other, endpoint)
        }
        NetChain::Stellar => {
            let (reply, endpoint) = client.call(chain, network, Call::Account { address })?;
            let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
            match account {
                None => ("account not found (never funded, or merged)".to_owned(), Vec::new(), endpoint),
                Some(a) => {
                    let mut other = Vec::new();
                    if !a.trustlines.is_empty() {
                        other.push(format!("{} trustline(s)", a.trustlines.len()));
                    }
                    if !a.data.is_empty() {
                        other.push(format!(
                            "{} data entr{}",
                            a.data.len(),
                            if a.data.len() == 1 { "y" } else { "ies" }
                        ));
                    }
                    if a.subentry_count > 0 {
                        other.push(format!("{} subentries in all (offers included)", a.subentry_count));
                    }
                    (format!("{} XLM", decimal(a.balance.value(), 7)), other, endpoint)
                }
            }
        }
        NetChain::Iota => coin_holdings(client, t, IOTA_COIN_TYPE, "IOTA")?,
        NetChain::Sui => coin_holdings(client, t, SUI_COIN_TYPE, "SUI")?,
    };
    Ok(Holdings { native, other, endpoint: endpoint.unwrap_or_default(), at: SystemTime::now() })
}

/// The most coin types whose metadata (decimals, symbol) the accounts screen asks for; the rest show raw units.
pub const MAX_METADATA_ASKED: usize = 20;

/// IOTA and Sui: the native coin's total and one line per other coin type, in its units with its symbol from the
/// coin's metadata (untrusted: anyone can publish a coin called SUI, so the coin type is always shown beside it).
fn coin_holdings(
    client: &mut NetClient,
    t: &Target,
    native_type: &str,
    symbol: &str,
) -> Result<(String, Vec<String>, Option<String>), Failure> {
    let (chain, network) = (t.chain.proto(), t.network);
    let (reply, endpoint) = client.call(chain, network, Call::CoinBalances { address: t.address.clone() })?;
    let Reply::CoinBalances { balances, .. } = reply else { return Err(other_reply()) };
    let is_native = |coin_type: &str| {
        coffer_net_proto::canonical_move_type(coin_type).ok() == coffer_net_proto::canonical_move_type(native_type).ok()
    };
    let native = balances
        .iter()
        .find(|b| is_native(&b.coin_type))
        .map_or_else(|| format!("0 {symbol}"), |b| format!("{} {symbol}", decimal(b.total.value(), 9)));
    let mut other = Vec::new();
    for (n, b) in balances.iter().filter(|b| !is_native(&b.coin_type)).enumerate() {
        let metadata = if n < MAX_METADATA_ASKED {
            let (reply, _) = client.call(chain, network, Call::CoinMetadata { coin_type: b.coin_type.clone() })?;
            let Reply::CoinMetadata { metadata, .. } = reply else { return Err(other_reply()) };
            metadata
        } else {
            None
        };
        other.push(match metadata {
            Some(m) => format!(
                "{} {} (coin type {})",
                decimal(b.total.value(), u32::from(m.decimals)),
                coffer_core::text::quote(&m.symbol),
                b.coin_type
            ),
            None => format!("{} (raw units) of {}", b.total, b.coin_type),
        });
    }
    Ok((native, other, endpoint))
}

/// The holdings of a sweep's old address through the shared conversion ([`coffer_net_proto::holdings`]).
fn sweep_holdings(
    client: &mut NetClient,
    chain: coffer_net_proto::Chain,
    network: Network,
    old: &str,
    new: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(crate::sweep::RowHoldings, String), String> {
    use crate::sweep::RowHoldings;
    use coffer_net_proto::holdings as h;
    let e = |e: h::FetchError| e.to_string();
    match chain {
        coffer_net_proto::Chain::Solana => {
            let f = h::solana(client, network, old, new, progress).map_err(e)?;
            Ok((RowHoldings::Solana { holdings: f.holdings, blockhash: f.blockhash }, f.endpoint))
        }
        coffer_net_proto::Chain::Stellar => {
            let f = h::stellar(client, network, old, new, progress).map_err(e)?;
            Ok((RowHoldings::Stellar { old: f.old, new: f.new, unclaimed: f.unclaimed }, f.endpoint))
        }
        _ => {
            let f = h::move_chain(client, chain, network, old, progress).map_err(e)?;
            let gas_price = f.reference_gas_price.max(coffer_core::migrate::DEFAULT_GAS_PRICE);
            Ok((RowHoldings::Move { holdings: f.holdings, incomplete: f.incomplete, gas_price }, f.endpoint))
        }
    }
}

/// Sends one signed transaction of a sweep (the endpoint must report the transaction's own id) and follows it
/// until the network confirms it, it fails, or [`CONFIRM_TIMEOUT`] passes; `sent` is told once it is sent (with the endpoint that took it). IOTA and
/// Sui execute a transaction before answering, but an executed transaction may have failed: its status is asked too.
fn broadcast(
    client: &mut NetClient,
    chain: coffer_net_proto::Chain,
    network: Network,
    tx: &SignedTx,
    sent: &mut dyn FnMut(crate::sweep::TxState, &str),
) -> crate::sweep::TxState {
    use crate::sweep::TxState;
    let moves = matches!(chain, coffer_net_proto::Chain::Iota | coffer_net_proto::Chain::Sui);
    let call = if moves {
        Call::ExecuteTransaction { transaction: tx.tx.clone(), signatures: vec![tx.signature.clone()] }
    } else {
        Call::SendTransaction { transaction: tx.tx.clone() }
    };
    let (id, endpoint) = match client.call(chain, network, call) {
        Ok((Reply::Sent { signature }, endpoint)) => (signature, endpoint.unwrap_or_default()),
        Ok(_) => return TxState::Failed("the network process answered another question".into()),
        // The endpoint refused it (a failed simulation, an expired blockhash): it will not go through.
        Err(ClientError::Net { kind: coffer_net_proto::NetErrorKind::Rejected, message, .. }) => {
            return TxState::Rejected(format!("refused by the endpoint: {message}"));
        }
        Err(e) => return TxState::Failed(format!("not sent: {e}")),
    };
    if !id.eq_ignore_ascii_case(&tx.tx_id) {
        return TxState::Failed(format!(
            "the endpoint reported the id {id}, not the transaction's own {}: it cannot be trusted",
            tx.tx_id
        ));
    }
    sent(TxState::Broadcast, &endpoint);
    let deadline = std::time::Instant::now() + CONFIRM_TIMEOUT;
    loop {
        let call = Call::SignatureStatuses { signatures: vec![tx.tx_id.clone()] };
        match client.call(chain, network, call) {
            Ok((Reply::SignatureStatuses { statuses }, _)) => match statuses.into_iter().next().flatten() {
                Some(s) if s.failed => {
                    return TxState::Rejected(format!(
                        "failed on chain at {}: fees were charged, nothing moved",
                        s.slot
                    ));
                }
                // Stellar: in a ledger is final. Solana: confirmed or finalized.
                Some(s)
                    if chain == coffer_net_proto::Chain::Stellar
                        || matches!(
                            s.confirmation,
                            coffer_net_proto::Confirmation::Confirmed | coffer_net_proto::Confirmation::Finalized
                        ) =>
                {
                    return TxState::Confirmed(s.slot);
                }
                _ => {}
            },
            Ok(_) => return TxState::Failed("the network process answered another question".into()),
            Err(e) => return TxState::Failed(format!("its status could not be asked: {e}")),
        }
        if std::time::Instant::now() >= deadline {
            return TxState::Failed(format!(
                "not confirmed within {} s (it may still be: look it up in an explorer)",
                CONFIRM_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// The balance of a Solana address (lamports) and a recent blockhash, with the endpoint that gave the blockhash.
fn sweep_inputs(client: &mut NetClient, t: &Target) -> Result<(u64, String, String), Failure> {
    let chain = t.chain.proto();
    let (reply, _) = client.call(chain, t.network, Call::Balance { address: t.address.clone() })?;
    let Reply::Balance { amount, .. } = reply else { return Err(other_reply()) };
    let lamports = u64::try_from(amount.value()).map_err(|_| Failure::Lie("a balance above the SOL supply".into()))?;
    let (reply, endpoint) = client.call(chain, t.network, Call::LatestBlockhash)?;
    let Reply::LatestBlockhash { blockhash, .. } = reply else { return Err(other_reply()) };
    Ok((lamports, blockhash, endpoint.unwrap_or_default()))
}

/// The token accounts of a Solana address (of `mint` only, when given), with their mints' decimals and Token-2022
/// extensions; with `recipient`, whether its associated token account for each mint exists and is frozen
/// ([`coffer_net_proto::holdings::solana_token_accounts`], shared with the CLI and the sweep).
fn token_accounts(
    client: &mut NetClient,
    t: &Target,
    recipient: Option<&str>,
    mint: Option<&str>,
) -> Result<Vec<coffer_core::holdings::solana::TokenAccount>, Failure> {
    if t.chain != NetChain::Solana {
        return Err(Failure::Unsupported("the app lists tokens for Solana only so far"));
    }
    coffer_net_proto::holdings::solana_token_accounts(client, t.network, &t.address, recipient, mint, &mut |_| {})
        .map_err(fetched)
}

/// The sender's balance and a recent blockhash; for SOL the recipient's balance, for a token the sender's token
/// accounts of the mint and whether the recipient's associated token account exists (Solana).
fn send_inputs(client: &mut NetClient, t: &Target, to: &str, mint: Option<&str>) -> Result<SolanaSendInputs, Failure> {
    if t.chain != NetChain::Solana {
        return Err(Failure::Unsupported("the app fetches a payment's inputs for Solana only so far"));
    }
    let (lamports, blockhash, endpoint) = sweep_inputs(client, t)?;
    let mut inputs = SolanaSendInputs {
        lamports,
        blockhash,
        recipient_lamports: None,
        token_accounts: Vec::new(),
        recipient_token_account_exists: false,
        recipient_token_account_frozen: false,
        endpoint,
    };
    match mint {
        None => {
            let (reply, _) = client.call(t.chain.proto(), t.network, Call::Balance { address: to.to_owned() })?;
            let Reply::Balance { amount, .. } = reply else { return Err(other_reply()) };
            inputs.recipient_lamports =
                Some(u64::try_from(amount.value()).map_err(|_| Failure::Lie("a balance above the SOL supply".into()))?);
        }
        Some(m) => {
            inputs.token_accounts = token_accounts(client, t, Some(to), Some(m))?;
            if let Some(first) = inputs.token_accounts.first() {
                inputs.recipient_token_account_exists = first.destination_rent == Some(0);
                inputs.recipient_token_account_frozen = first.destination_frozen;
            }
        }
    }
    Ok(inputs)
}

/// The sender's Stellar account (what a payment needs: sequence, lumens, what raises its minimum balance) and
/// whether the recipient exists, on the public or test network.
fn stellar_inputs(client: &mut NetClient, t: &Target, to: &str) -> Result<Box<StellarSendInputs>, Failure> {
    if t.chain != NetChain::Stellar {
        return Err(Failure::Unsupported("not a Stellar address"));
    }
    let network = match t.network {
        Network::Mainnet => coffer_core::sign::Network::Public,
        Network::Testnet => coffer_core::sign::Network::Testnet,
        _ => return Err(Failure::Unsupported("Stellar payments are fetched for public and testnet (else: offline)")),
    };
    let (reply, endpoint) = client.call(t.chain.proto(), t.network, Call::Account { address: t.address.clone() })?;
    let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
    if account.is_none() {
        return Err(Failure::Unsupported("the sending account does not exist on this network"));
    }
    let holdings = coffer_net_proto::holdings::stellar_account(&t.address, account.as_ref(), &[]).map_err(fetched)?;
    let (reply, _) = client.call(t.chain.proto(), t.network, Call::Account { address: to.to_owned() })?;
    let Reply::Account { account: theirs, .. } = reply else { return Err(other_reply()) };
    let recipient = coffer_net_proto::holdings::stellar_account(to, theirs.as_ref(), &[]).map_err(fetched)?;
    Ok(Box::new(StellarSendInputs { holdings, recipient, network, endpoint: endpoint.unwrap_or_default() }))
}

/// A fetch of the shared conversion ([`coffer_net_proto::holdings`]) as a failure of the app's net thread.
fn fetched(e: coffer_net_proto::holdings::FetchError) -> Failure {
    match e {
        coffer_net_proto::holdings::FetchError::Client(c) => Failure::Client(c),
        other => Failure::Lie(other.to_string()),
    }
}

/// The sender's native coins (and those of `coin_type`, with its decimals) and the network's reference gas price
/// (IOTA, Sui).
fn move_inputs(client: &mut NetClient, t: &Target, coin_type: Option<&str>) -> Result<MoveSendInputs, Failure> {
    if !matches!(t.chain, NetChain::Iota | NetChain::Sui) {
        return Err(Failure::Unsupported("not an IOTA or Sui address"));
    }
    let f = coffer_net_proto::holdings::move_send(client, t.chain.proto(), t.network, &t.address, coin_type)
        .map_err(fetched)?;
    Ok(MoveSendInputs {
        holdings: f.holdings,
        decimals: f.decimals,
        gas_price: f.reference_gas_price,
        endpoint: f.endpoint,
    })
}

/// A coin type or mint shortened for names (`0x5d4b…::coin::COIN` → `COIN`).
fn short_type(coin_type: &str) -> String {
    coin_type.rsplit("::").next().unwrap_or(coin_type).chars().take(32).collect()
}

/// What a Stellar, IOTA or Sui address can pay with: the native coin and its tokens, with balances.
fn send_assets(client: &mut NetClient, t: &Target) -> Result<Vec<AssetHolding>, Failure> {
    use coffer_core::holdings::stellar::StellarTrustline;
    match t.chain {
        NetChain::Stellar => {
            let (reply, _) = client.call(t.chain.proto(), t.network, Call::Account { address: t.address.clone() })?;
            let Reply::Account { account, .. } = reply else { return Err(other_reply()) };
            let h = coffer_net_proto::holdings::stellar_account(&t.address, account.as_ref(), &[]).map_err(fetched)?;
            let mut out = vec![AssetHolding {
                asset: SendAsset::Native,
                name: "XLM".into(),
                decimals: Some(7),
                balance: u128::try_from(h.native).unwrap_or(0),
            }];
            for line in &h.trustlines {
                if let (StellarTrustline::Credit { code, balance, .. }, Some(asset)) = (line, line.asset()) {
                    out.push(AssetHolding {
                        asset: SendAsset::Stellar(asset),
                        name: code.clone(),
                        decimals: Some(7),
                        balance: u128::try_from(*balance).unwrap_or(0),
                    });
                }
            }
            Ok(out)
        }
        NetChain::Iota | NetChain::Sui => {
            let symbol = if t.chain == NetChain::Iota { "IOTA" } else { "SUI" };
            let assets = coffer_net_proto::holdings::move_assets(client, t.chain.proto(), t.network, &t.address)
                .map_err(fetched)?;
            let mut out = Vec::with_capacity(assets.len() + 1);
            for a in assets {
                out.push(if a.native {
                    AssetHolding { asset: SendAsset::Native, name: symbol.into(), decimals: Some(9), balance: a.total }
                } else {
                    let name = a.metadata.as_ref().map_or_else(|| short_type(&a.coin_type), |(_, s)| s.clone());
                    AssetHolding {
                        name,
                        decimals: a.metadata.map(|(d, _)| d),
                        balance: a.total,
                        asset: SendAsset::Coin(a.coin_type),
                    }
                });
            }
            if out.first().is_none_or(|a| a.asset != SendAsset::Native) {
                out.insert(
                    0,
                    AssetHolding { asset: SendAsset::Native, name: symbol.into(), decimals: Some(9), balance: 0 },
                );
            }
            Ok(out)
        }
        _ => Err(Failure::Unsupported("Solana's tokens are listed by their token accounts")),
    }
}

/// Sends a signed transaction (Solana, Stellar; IOTA, Sui: executes the bytes with the signature); the endpoint must
/// report the transaction's own id. Returns the endpoint.
fn send_broadcast(
    client: &mut NetClient,
    t: &Target,
    signed_tx: &str,
    signature: Option<String>,
    id: &str,
) -> Result<String, Failure> {
    let call = match (t.chain, signature) {
        (NetChain::Solana | NetChain::Stellar, _) => Call::SendTransaction { transaction: signed_tx.to_owned() },
        (NetChain::Iota | NetChain::Sui, Some(s)) => {
            Call::ExecuteTransaction { transaction: signed_tx.to_owned(), signatures: vec![s] }
        }
        _ => return Err(Failure::Unsupported("the app broadcasts Solana, Stellar, IOTA and Sui payments only")),
    };
    let (reply, endpoint) = client.call(t.chain.proto(), t.network, call)?;
    let Reply::Sent { signature } = reply else { return Err(other_reply()) };
    if signature != id {
        return Err(Failure::Lie(format!("it reported the id {signature}, not the transaction's own {id}")));
    }
    Ok(endpoint.unwrap_or_default())
}

/// Asks for the status of `id` until it is confirmed or failed ([`CONFIRM_TIMEOUT`] at most).
fn await_send_status(client: &mut NetClient, t: &Target, id: &str) -> Result<BroadcastStatus, Failure> {
    let deadline = std::time::Instant::now() + CONFIRM_TIMEOUT;
    loop {
        let call = Call::SignatureStatuses { signatures: vec![id.to_owned()] };
        let (reply, _) = client.call(t.chain.proto(), t.network, call)?;
        let Reply::SignatureStatuses { statuses } = reply else { return Err(other_reply()) };
        match statuses.into_iter().next().flatten() {
            Some(s) if s.failed => return Ok(BroadcastStatus::Failed { slot: s.slot }),
            Some(s)
                if matches!(
                    s.confirmation,
                    coffer_net_proto::Confirmation::Confirmed | coffer_net_proto::Confirmation::Finalized
                ) =>
            {
                return Ok(BroadcastStatus::Confirmed { slot: s.slot });
            }
            _ if std::time::Instant::now() >= deadline => {
                return Err(Failure::Unsupported(
                    "not confirmed in time (it may still be: look at the account's activity)",
                ));
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(400)),
        }
    }
}

/// How the transactions of a target are checked: the chain's rule in [`coffer_core::watch`] and what it needs.
enum Check {
    /// Solana: by the address's key.
    Solana([u8; 32]),
    /// Stellar: by the address's key, under the network's passphrase.
    Stellar([u8; 32], coffer_core::sign::stellar::Network),
    /// IOTA and Sui: by the address (sender or gas owner).
    Move(coffer_core::Chain),
}

fn check_for(t: &Target) -> Result<Check, Failure> {
    if !t.chain.has_activity() {
        return Err(Failure::Unsupported("the activity of this chain is not shown (it has no network side)"));
    }
    match t.chain {
        NetChain::Solana => bs58::decode(&t.address)
            .into_vec()
            .ok()
            .and_then(|k| k.try_into().ok())
            .map(Check::Solana)
            .ok_or(Failure::Unsupported("not a Solana address")),
        NetChain::Stellar => {
            let key = coffer_core::chain::stellar::parse_address(&t.address)
                .map_err(|_| Failure::Unsupported("not a Stellar address"))?;
            let passphrase = match t.network {
                Network::Mainnet => coffer_core::sign::stellar::Network::Public,
                Network::Testnet => coffer_core::sign::stellar::Network::Testnet,
                _ => {
                    return Err(Failure::Unsupported(
                        "a Stellar transaction's hash needs its network passphrase: activity is shown for the public \
                         network and testnet",
                    ));
                }
            };
            Ok(Check::Stellar(key, passphrase))
        }
        other => Ok(Check::Move(other.core())),
    }
}

/// The recent transactions of an address, each fetched and checked against the address and the log.
/// With `seen`, only those not in it are fetched (and added to it).
fn activity(
    client: &mut NetClient,
    t: &Target,
    log: &SignedHere,
    mut seen: Option<&mut BTreeSet<String>>,
) -> Result<(Vec<ActivityEntry>, String), Failure> {
    let check = check_for(t)?;
    let chain = t.chain.proto();
    let (reply, endpoint) =
        client.call(chain, t.network, Call::History { address: t.address.clone(), limit: HISTORY_LIMIT })?;
    let Reply::History { entries, .. } = reply else { return Err(other_reply()) };
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if seen.as_ref().is_some_and(|s| s.contains(&e.signature)) {
            continue;
        }
        let (reply, _) = client.call(chain, t.network, Call::Transaction { signature: e.signature.clone() })?;
        let Reply::Transaction { transaction, .. } = reply else { return Err(other_reply()) };
        let checked = match transaction {
            None => None,
            Some(wire) => {
                let result = match &check {
                    Check::Solana(key) => {
                        coffer_core::watch::inspect(coffer_core::Chain::Solana, None, &wire, &e.signature, key, log)
                    }
                    Check::Stellar(key, passphrase) => {
                        coffer_core::watch::inspect_stellar(passphrase, &wire, &e.signature, key, log)
                    }
                    Check::Move(c) => {
                        coffer_core::watch::inspect_move_at(*c, &wire, &e.signature, &t.address, log).map(Some)
                    }
                };
                result.map_err(|why| Failure::Lie(format!("transaction {}: {why}", e.signature)))?.map(|c| c.seen)
            }
        };
        if let Some(s) = seen.as_deref_mut() {
            s.insert(e.signature.clone());
        }
        out.push(ActivityEntry {
            signature: e.signature,
            slot: e.slot,
            block_time: e.block_time,
            failed: e.failed,
            seen: checked,
        });
    }
    Ok((out, endpoint.unwrap_or_default()))
}

/// What is watched: per chain with activity ([`NetChain::has_activity`]), the addresses shown of every seed in the
/// vault (its own, the old seed's of a migration included while it is in the vault) and the user's list
/// (Settings); with what the vault signed on each chain (the log and its archive). Public data only; the seeds are
/// derived and dropped at once.
#[derive(Debug, Clone, Default)]
pub struct WatchList {
    /// The watched addresses, by chain.
    pub addresses: Vec<(NetChain, String)>,
    /// What this vault signed, per chain.
    pub logs: BTreeMap<NetChain, SignedHere>,
}

/// The [`WatchList`] of a vault and the settings.
#[must_use]
pub fn watch_list(vault: &coffer_core::Vault, settings: &Settings) -> WatchList {
    // Archived entries count too; a missing archive only makes older transactions look foreign.
    let archived = vault.log_archive().unwrap_or_default();
    let mut list = WatchList::default();
    let mut seen = BTreeSet::new();
    for chain in NetChain::ALL.into_iter().filter(|c| c.has_activity()) {
        let mut addresses: Vec<String> =
            vault.seeds().iter().flat_map(|s| addresses_of(vault, &s.label, chain.core())).collect();
        addresses.extend(settings.watched.get(&chain).into_iter().flatten().cloned());
        for a in addresses {
            if seen.insert((chain, a.clone())) {
                list.addresses.push((chain, a));
            }
        }
        list.logs.insert(chain, SignedHere::of(chain.core(), archived.iter().chain(vault.log())));
    }
    list
}

/// The Solana addresses the seed `label` shows (its account settings), derived and the seed dropped at once.
#[must_use]
pub fn solana_addresses(vault: &coffer_core::Vault, label: &str) -> Vec<String> {
    addresses_of(vault, label, coffer_core::Chain::Solana)
}

/// The addresses of `chain` the seed `label` shows (its account settings), derived and the seed dropped at once.
#[must_use]
pub fn addresses_of(vault: &coffer_core::Vault, label: &str, chain: coffer_core::Chain) -> Vec<String> {
    let (Ok(accounts), Ok(seed)) = (vault.account_settings(label), vault.bip39_seed(label)) else {
        return Vec::new();
    };
    crate::worker::positions(&accounts, chain)
        .into_iter()
        .filter_map(|(a, i)| AccountIndex::new(a).and_then(|a| chain.account(&seed, a, AddressIndex::new(i)?)).ok())
        .map(|account| account.address)
        .collect()
}

/// The addresses of accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`] of `chain` for the seed `label` (index 0),
/// for account discovery; derived and the seed dropped at once. Empty if the seed cannot be read.
#[must_use]
pub fn discovery_addresses(vault: &coffer_core::Vault, label: &str, chain: coffer_core::Chain) -> Vec<String> {
    let Ok(seed) = vault.bip39_seed(label) else { return Vec::new() };
    seed_discovery_addresses(&seed, chain)
}

/// The addresses of accounts 0 to [`coffer_core::discover::MAX_ACCOUNT`] of `chain` for `seed` (index 0).
#[must_use]
pub fn seed_discovery_addresses(seed: &coffer_core::Seed, chain: coffer_core::Chain) -> Vec<String> {
    (0..=coffer_core::discover::MAX_ACCOUNT)
        .map_while(|n| chain.account(seed, AccountIndex::new(n).ok()?, AddressIndex::ZERO).ok().map(|a| a.address))
        .collect()
}

/// "HH:MM:SS UTC" of a time (for "reported at").
#[must_use]
pub fn clock(at: SystemTime) -> String {
    let secs = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02} UTC", day / 3600, day % 3600 / 60, day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(1_500_000_000, 9), "1.5");
        assert_eq!(decimal(1, 9), "0.000000001");
        assert_eq!(decimal(0, 7), "0");
        assert_eq!(decimal(120_000_000, 7), "12");
        assert_eq!(decimal(u128::from(u64::MAX), 9), "18446744073.709551615");
    }

    #[test]
    fn no_process_is_started_while_the_network_is_off() {
        assert!(start_if_on(&Settings::default()).is_none());
    }

    #[test]
    fn clock_reads_utc() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 3 + 3600 * 13 + 60 * 5 + 9);
        assert_eq!(clock(t), "13:05:09 UTC");
    }
}
