//! Migrate: the wizard over the core's guarded migration of a compromised seed. Mark the seed compromised (with a
//! clear warning), pick a fresh seed (its words shown once) or an existing checked one, answer the backup check,
//! plan (old → new address per chain and account), then **sweep everything** an account holds: its holdings come
//! from coffer-net (network on) or a holdings file (offline), the core builds every transaction, one preview shows
//! what moves and what stays (and why), the guard checks each transaction, the user confirms, the worker signs, and
//! online each transaction is broadcast and followed to *confirmed* (offline it is handed out: copy, QR, file).
//! A single native sweep can still be built by hand. The report is exported as JSON.
//!
//! The screen's logic is [`MigrateScreen::update`]: the drawing returns a [`MigrateIntent`], `update` changes the
//! screen's own state and returns an [`Effect`] only for what needs the vault, the worker or the network thread.
//! Its stages are [`Stage`] (where the wizard is) and [`SweepStage`] (where *Sweep everything* is).

use std::path::PathBuf;

use coffer_core::migrate::{
    BackupChallenge, Destination, PlanRow, Receipt, Report, SolanaRecent, SolanaSweep, StellarSweep, Trustline,
    build_solana_sweep, build_stellar_merge, parse_blockhash, parse_sequence,
};
use coffer_core::secret::SecretString;
use coffer_core::sign::Summary;
use coffer_core::{Chain, Mnemonic, Payload, SignRequest, WordCount};
use egui::RichText;

use super::accounts::chain_title;
use super::seeds::{COMPROMISED_BADGE, MARK_WARNING};
use super::sign::{NetworkChoice, network_of};
use crate::sweep::{SweepPreview, TxState};
use crate::typed::TypedSecret;
use crate::worker::SeedSummary;

/// Under a plan row whose newest sweep failed: what to do.
const FAILED_ROW_STEP: &str = "The newest sweep of this row did not go through: what it would have moved is still at \
     the old address. Sweep this row again.";
/// Under a transaction that was refused or failed on chain.
const FAILED_TX_STEP: &str = "It did not go through: what it would have moved is still at the old address. Sweep \
     this row again.";

/// What the user did on the wizard (returned by [`MigrateScreen::ui`], given to [`MigrateScreen::update`]).
#[derive(Debug)]
pub enum MigrateIntent {
    /// Mark this seed compromised.
    Mark(String),
    /// Start migrating `from` to `to`.
    Start {
        /// The compromised seed.
        from: String,
        /// Where the funds go.
        to: Destination,
    },
    /// Show the migration from this seed (the app refreshes the data).
    Open(String),
    /// The fresh destination's words are written down: drop them.
    WroteWordsDown,
    /// Answer the backup challenge with these words, in order.
    Answer(Vec<SecretString>),
    /// Plan these chains and accounts.
    Plan(coffer_core::migrate::Selection),
    /// Add the accounts the scan past the plan found used (and not planned yet) to the plan.
    PlanFound,
    /// Scan past the plan again (every chain with the network on).
    ScanPastPlanAgain,
    /// Show seed `label`'s recovery words again (before its backup check: a miscopied word can be corrected).
    ShowWords(String),
    /// Decode a sweep built by hand and run the destination guard, without signing.
    Check(SignRequest),
    /// Sign a sweep built by hand (the guard runs again).
    Sign(SignRequest),
    /// Put a broadcast command or a signed transaction on the clipboard.
    Copy(String),
    /// Write the report as JSON to this file.
    Export(PathBuf),
    /// Ask the network for a Solana sweep's inputs (the old address's balance, a recent blockhash).
    FetchSolanaInputs(String),
    /// Sweep everything the row shown holds: fetch its holdings through coffer-net.
    SweepEverything,
    /// Sweep everything the row shown holds, from this holdings file.
    OpenHoldings(PathBuf),
    /// Sign the sweep previewed (online: then broadcast it).
    ConfirmSweep,
    /// Close the preview or the finished sweep.
    CloseSweep,
    /// Save a signed transaction (public data) to a file.
    SaveTx {
        /// Where.
        path: PathBuf,
        /// The signed transaction.
        text: String,
    },
}

/// What the app does for the wizard: only what touches the vault, the worker or the network thread (or the
/// clipboard and files).
#[derive(Debug)]
pub enum Effect {
    /// Mark this seed compromised (worker).
    Mark(String),
    /// Start the migration (worker).
    Start {
        /// The compromised seed.
        from: String,
        /// Where the funds go.
        to: Destination,
    },
    /// Read the vault's migration data again (another migration is shown).
    Refresh,
    /// Answer the backup challenge (worker).
    Answer(Vec<SecretString>),
    /// Plan (worker).
    Plan(coffer_core::migrate::Selection),
    /// Add rows for these accounts found past the plan (worker).
    PlanAccounts(Vec<(Chain, u32)>),
    /// Show a seed's words again (after the password).
    ShowWords(String),
    /// Run the guard on a sweep built by hand.
    Check(SignRequest),
    /// Sign a sweep built by hand (worker).
    Sign(SignRequest),
    /// Copy this text.
    Copy(String),
    /// Export the report.
    Export(PathBuf),
    /// Fill a hand-built Solana sweep's balance and blockhash (network thread).
    FetchSolanaInputs(String),
    /// Fetch everything `row`'s old address holds (network thread).
    FetchHoldings(PlanRow),
    /// Read `row`'s holdings from a file and build the sweep with `options`.
    ReadHoldings {
        /// The row.
        row: PlanRow,
        /// The file.
        path: PathBuf,
        /// Stellar network, Solana blockhash.
        options: crate::sweep::Options,
    },
    /// Sign every transaction of the previewed sweep (worker), recording what stays on the row.
    SignSweep(Box<SweepPreview>),
    /// Save a signed transaction to a file.
    Save {
        /// Where.
        path: PathBuf,
        /// What.
        text: String,
    },
}

/// Where the wizard is.
#[derive(Debug, Default)]
pub enum Stage {
    /// No migration is shown: mark a seed compromised, choose the destination, start.
    #[default]
    Choose,
    /// A fresh destination's words, shown once (wiped when this stage ends).
    Words(Mnemonic),
    /// The destination's backup check must be answered before anything is planned or signed.
    Challenge(BackupChallenge),
    /// Plan the rows and sweep them.
    Sweep,
}

/// Where *Sweep everything* is, for the row shown.
#[derive(Debug, Default)]
pub enum SweepStage {
    /// Nothing is being swept.
    #[default]
    Idle,
    /// The holdings of this row are being fetched through coffer-net.
    Fetching(PlanRow),
    /// Everything that moves and stays, checked by the guard: waiting for the user to confirm.
    Preview(Box<SweepPreview>),
    /// The worker signs.
    Signing(Box<SweepPreview>),
    /// Signed: each transaction's receipt and where it stands; why the rest was not signed, if it was not.
    Done {
        /// The sweep.
        preview: Box<SweepPreview>,
        /// Each signed transaction and its state.
        txs: Vec<(Receipt, TxState)>,
        /// Why signing stopped early.
        error: Option<String>,
    },
}

/// Where the gap scan past the plan stands for one chain (the network on for it): which old accounts beyond the
/// planned ones hold anything or were ever used, as a thief holding the words could see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanScanState {
    /// Handed to the network thread, from account `first` (the first the plan does not hold).
    Queued {
        /// The first account asked about.
        first: u32,
    },
    /// Running: `asked` accounts asked about so far, up to account `last`.
    Scanning {
        /// The first account asked about.
        first: u32,
        /// Accounts asked about so far.
        asked: u32,
        /// The last account asked about.
        last: u32,
    },
    /// Done: what the gap scan from `first` found, and the endpoint that answered.
    Done {
        /// The first account asked about.
        first: u32,
        /// What was found.
        discovery: coffer_core::discover::Discovery,
        /// Who answered.
        endpoint: String,
    },
    /// It stopped: why.
    Failed(String),
}

/// Whether the sweep previewed may be signed: there is something to sign, and every transaction has been through
/// the guard (a preview is only made of transactions the guard accepted, one request per transaction shown).
#[must_use]
pub fn can_sign(preview: &SweepPreview) -> bool {
    !preview.requests.is_empty() && preview.requests.len() == preview.transactions.len()
}

/// The vault's public migration data, refreshed by the app.
#[derive(Debug, Clone, Default)]
pub struct MigrateData {
    /// Every seed.
    pub seeds: Vec<SeedSummary>,
    /// The seeds a migration was started from.
    pub migrations: Vec<String>,
    /// The report of the migration shown.
    pub report: Option<Report>,
    /// Its pending backup challenge.
    pub challenge: Option<BackupChallenge>,
}

/// The guard's verdict on a sweep: its summary and plan row, or why it is refused.
pub type Verdict = Result<(Summary, usize), String>;

/// The sweep being prepared.
#[derive(Debug)]
struct SweepForm {
    row: usize,
    sequence: String,
    /// Empty: 100 stroops an operation.
    stellar_fee: String,
    /// Whether the new Stellar account exists on the network; `None` until the user says.
    destination_exists: Option<bool>,
    network: NetworkChoice,
    custom_network: String,
    trustlines: String,
    balance: String,
    /// Compute-unit price in micro-lamports; empty or 0: no priority fee.
    priority_fee: String,
    use_nonce: bool,
    blockhash: String,
    nonce_account: String,
    nonce_value: String,
    unsigned: String,
}

impl Default for SweepForm {
    fn default() -> Self {
        Self {
            row: 0,
            sequence: String::new(),
            stellar_fee: String::new(),
            destination_exists: None,
            network: NetworkChoice::None,
            custom_network: String::new(),
            trustlines: String::new(),
            balance: String::new(),
            priority_fee: String::new(),
            use_nonce: false,
            blockhash: String::new(),
            nonce_account: String::new(),
            nonce_value: String::new(),
            unsigned: String::new(),
        }
    }
}

/// The migrate wizard.
pub struct MigrateScreen {
    data: MigrateData,
    /// The migration shown (its compromised seed).
    from: Option<String>,
    pick: usize,
    understood: bool,
    fresh: bool,
    fresh_label: String,
    existing: usize,
    /// Where the wizard is.
    stage: Stage,
    answers: Vec<TypedSecret>,
    chains: [bool; 4],
    accounts: u32,
    indices: u32,
    sweep: SweepForm,
    /// The guard's verdict on the sweep described by the form: the request, its summary and row, or the refusal.
    checked: Option<(SignRequest, Verdict)>,
    report_path: String,
    /// What the last action said.
    pub notice: Option<Result<String, String>>,
    /// The chains whose network is on while its process runs (set by the app): *Sweep everything* fetches their
    /// holdings, and the sweep's inputs can be filled.
    pub online: Vec<Chain>,
    /// The network thread's progress (answered, asked), set by the app while holdings are fetched.
    pub progress: Option<(usize, usize)>,
    /// Where the Solana inputs were filled from (or why they could not be), for the address they are about.
    fetched: Option<(String, Result<String, String>)>,
    /// Where *Sweep everything* is.
    sweep_stage: SweepStage,
    /// Why the last *Sweep everything* could not go on.
    sweep_notice: Option<String>,
    /// The holdings file typed or dropped.
    holdings_path: String,
    /// Where a signed transaction is saved.
    save_path: String,
    /// The QR code shown: the transaction's index, and its texture (`None` when too long for a QR code).
    qr: Option<(usize, Option<egui::TextureHandle>)>,
    /// Show the form that builds a single native sweep by hand.
    pub by_hand: bool,
    /// The gap scan past the plan, per chain with the network on (for the migration shown).
    plan_scan: Vec<(Chain, PlanScanState)>,
}

/// `n` empty answer fields.
fn fields(n: usize) -> Vec<TypedSecret> {
    (0..n).map(|_| TypedSecret::new()).collect()
}

impl std::fmt::Debug for MigrateScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrateScreen").field("from", &self.from).finish_non_exhaustive()
    }
}

const PLAN_CHAINS: [Chain; 4] = coffer_core::migrate::DEFAULT_CHAINS;

/// Builds the unsigned sweep of `chain` from `old` to `new` with the form's fields.
fn build(chain: Chain, old: &str, new: &str, f: &SweepForm) -> Result<SignRequest, String> {
    match chain {
        Chain::Stellar => {
            let network = network_of(f.network, &f.custom_network)?.ok_or("Choose the network.")?;
            let trustlines = f
                .trustlines
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| Trustline::parse(l.trim()).map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            let destination_exists = f
                .destination_exists
                .ok_or("Say whether the new account already exists on the network (it does not for a fresh seed).")?;
            let mut sweep = StellarSweep {
                sequence: parse_sequence(&f.sequence).map_err(|e| e.to_string())?,
                fee: 0,
                trustlines,
                destination_exists,
            };
            sweep.fee = match f.stellar_fee.trim() {
                "" => sweep.min_fee(),
                t => t.parse().map_err(|_| "The fee is a whole number of stroops.")?,
            };
            let tx = build_stellar_merge(old, new, &sweep).map_err(|e| e.to_string())?;
            Ok(SignRequest::new(chain, Payload::Transaction(tx)).with_network(network))
        }
        Chain::Solana => {
            let recent = if f.use_nonce {
                SolanaRecent::Nonce {
                    account: parse_blockhash(&f.nonce_account, "nonce account").map_err(|e| e.to_string())?,
                    value: parse_blockhash(&f.nonce_value, "nonce value").map_err(|e| e.to_string())?,
                }
            } else {
                SolanaRecent::Blockhash(parse_blockhash(&f.blockhash, "blockhash").map_err(|e| e.to_string())?)
            };
            let sweep = SolanaSweep {
                balance: f.balance.trim().parse().map_err(|_| "The balance is a whole number of lamports.")?,
                compute_unit_price: match f.priority_fee.trim() {
                    "" => 0,
                    t => t.parse().map_err(|_| "The priority fee is a whole number of micro-lamports per unit.")?,
                },
                recent,
            };
            let tx = build_solana_sweep(old, new, &sweep).map_err(|e| e.to_string())?;
            Ok(SignRequest::new(chain, Payload::Transaction(tx)))
        }
        _ => {
            if f.unsigned.trim().is_empty() {
                return Err("Paste the unsigned pay-all transaction (base64 TransactionData).".into());
            }
            Ok(SignRequest::new(chain, Payload::Transaction(f.unsigned.trim().to_owned())))
        }
    }
}

/// What the wizard says of a plan chain whose network is off: the accounts past the plan were not checked (how to
/// check them follows, once: [`OFFLINE_HOW`]).
fn offline_sentence(chain: Chain, first: u32) -> String {
    let title = chain_title(chain);
    if first == 0 {
        format!("{title}: offline, and no {title} account is planned: none was checked.")
    } else {
        format!("{title}: offline, so accounts past {} were not checked.", first - 1)
    }
}

/// How to check the accounts past the plan of a chain offline, and add them.
pub const OFFLINE_HOW: &str = "Whoever holds the old words can see those accounts too. Turn the network on for the \
     chain (Settings, Network; it takes effect at the next start), or find the used ones on a connected machine \
     (coffer discover --seed OLD --chain CHAIN --first-account 5), then raise Accounts to plan and press Add to the \
     plan.";

fn field(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(text).desired_width(width)).labelled_by(l.id);
    });
}

impl MigrateScreen {
    /// The wizard over `data`.
    #[must_use]
    pub fn new(data: MigrateData) -> Self {
        let from = data.migrations.first().cloned();
        let pick = data.seeds.iter().position(|s| s.compromised).unwrap_or(0);
        Self {
            data,
            from,
            pick,
            understood: false,
            fresh: true,
            fresh_label: "New seed".into(),
            existing: 0,
            stage: Stage::Choose,
            answers: Vec::new(),
            chains: [true; 4],
            accounts: coffer_core::migrate::DEFAULT_ACCOUNTS,
            indices: 1,
            sweep: SweepForm::default(),
            checked: None,
            report_path: String::new(),
            notice: None,
            online: Vec::new(),
            progress: None,
            fetched: None,
            sweep_stage: SweepStage::Idle,
            sweep_notice: None,
            holdings_path: String::new(),
            save_path: String::new(),
            qr: None,
            by_hand: false,
            plan_scan: Vec::new(),
        }
        .with_stage()
    }

    /// The stage the data says, unless the fresh words are being shown.
    fn with_stage(mut self) -> Self {
        self.refresh_stage();
        self
    }

    fn refresh_stage(&mut self) {
        if matches!(self.stage, Stage::Words(_)) {
            return;
        }
        let shown = self.from.as_ref().is_some_and(|f| self.data.migrations.contains(f));
        self.stage = match (&self.data.challenge, shown) {
            (_, false) => Stage::Choose,
            (Some(c), true) => Stage::Challenge(c.clone()),
            (None, true) => Stage::Sweep,
        };
    }

    /// Where the wizard is.
    #[must_use]
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// Where *Sweep everything* is.
    #[must_use]
    pub fn sweep_stage(&self) -> &SweepStage {
        &self.sweep_stage
    }

    /// The plan rows that can be swept (Stardust rows are manual steps).
    fn sweepable(&self) -> Vec<PlanRow> {
        self.data
            .report
            .as_ref()
            .map(|r| r.migration.rows.iter().filter(|r| r.chain != Chain::IotaStardust).cloned().collect())
            .unwrap_or_default()
    }

    /// The row shown in the sweep section.
    fn shown_row(&self) -> Option<PlanRow> {
        let rows = self.sweepable();
        rows.get(self.sweep.row.min(rows.len().saturating_sub(1))).cloned()
    }

    /// Applies what the user did: changes the screen's own state, and returns what the app must do (anything that
    /// touches the vault, the worker or the network thread).
    pub fn update(&mut self, intent: MigrateIntent) -> Option<Effect> {
        self.notice = None;
        match intent {
            MigrateIntent::Mark(label) => Some(Effect::Mark(label)),
            MigrateIntent::Start { from, to } => Some(Effect::Start { from, to }),
            MigrateIntent::Open(from) => {
                self.from = Some(from);
                self.sweep_stage = SweepStage::Idle;
                self.plan_scan.clear();
                self.refresh_stage();
                Some(Effect::Refresh)
            }
            MigrateIntent::WroteWordsDown => {
                // Dropping the stage drops (wipes) the words.
                self.stage = Stage::Choose;
                self.refresh_stage();
                Some(Effect::Refresh)
            }
            MigrateIntent::Answer(a) => Some(Effect::Answer(a)),
            MigrateIntent::Plan(s) => Some(Effect::Plan(s)),
            MigrateIntent::PlanFound => {
                let found = self.found_past_plan();
                (!found.is_empty()).then_some(Effect::PlanAccounts(found))
            }
            MigrateIntent::ScanPastPlanAgain => {
                // Running scans keep going; the others start again at the app's next look (`due_plan_scan`).
                self.plan_scan
                    .retain(|(_, s)| matches!(s, PlanScanState::Queued { .. } | PlanScanState::Scanning { .. }));
                None
            }
            MigrateIntent::ShowWords(l) => Some(Effect::ShowWords(l)),
            MigrateIntent::Check(r) => Some(Effect::Check(r)),
            MigrateIntent::Sign(r) => Some(Effect::Sign(r)),
            MigrateIntent::Copy(t) => Some(Effect::Copy(t)),
            MigrateIntent::Export(p) => Some(Effect::Export(p)),
            MigrateIntent::FetchSolanaInputs(a) => Some(Effect::FetchSolanaInputs(a)),
            MigrateIntent::SweepEverything => {
                let row = self.shown_row()?;
                self.sweep_notice = None;
                self.sweep_stage = SweepStage::Fetching(row.clone());
                Some(Effect::FetchHoldings(row))
            }
            MigrateIntent::OpenHoldings(path) => {
                let row = self.shown_row()?;
                self.sweep_notice = None;
                self.holdings_path = path.display().to_string();
                let options = crate::sweep::Options {
                    stellar_network: network_of(self.sweep.network, &self.sweep.custom_network).ok().flatten(),
                    blockhash: self.sweep.blockhash.trim().to_owned(),
                    now: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
                };
                Some(Effect::ReadHoldings { row, path, options })
            }
            MigrateIntent::ConfirmSweep => match std::mem::take(&mut self.sweep_stage) {
                SweepStage::Preview(p) if can_sign(&p) => {
                    self.sweep_stage = SweepStage::Signing(p.clone());
                    Some(Effect::SignSweep(p))
                }
                other => {
                    self.sweep_stage = other;
                    None
                }
            },
            MigrateIntent::CloseSweep => {
                self.sweep_stage = SweepStage::Idle;
                self.qr = None;
                None
            }
            MigrateIntent::SaveTx { path, text } => Some(Effect::Save { path, text }),
        }
    }

    /// Shows the sweep built from the holdings (the guard accepted every transaction), or why there is none.
    pub fn set_preview(&mut self, preview: Result<SweepPreview, String>) {
        match preview {
            Ok(p) => {
                self.sweep_stage = SweepStage::Preview(Box::new(p));
                self.sweep_notice = None;
            }
            Err(e) => {
                self.sweep_stage = SweepStage::Idle;
                self.sweep_notice = Some(e);
            }
        }
    }

    /// The worker signed the sweep (all its transactions, or those before `error`).
    pub fn set_signed(&mut self, receipts: Vec<Receipt>, error: Option<String>) {
        let preview = match std::mem::take(&mut self.sweep_stage) {
            SweepStage::Signing(p) | SweepStage::Preview(p) => p,
            other => {
                self.sweep_stage = other;
                return;
            }
        };
        let txs = receipts.into_iter().map(|r| (r, TxState::Signed)).collect();
        self.sweep_stage = SweepStage::Done { preview, txs, error };
    }

    /// The network's word on transaction `tx_id` of the sweep shown, sent through `endpoint`. When it is one of
    /// the sweep's and was sent, confirmed or rejected (refused, failed on chain), returns what to record in the vault (as the receipt shown now holds
    /// it: its explorer link follows from it).
    pub fn set_tx_state(&mut self, tx_id: &str, state: TxState, endpoint: &str) -> Option<coffer_core::migrate::Sent> {
        let SweepStage::Done { preview, txs, .. } = &mut self.sweep_stage else { return None };
        let network = preview.online();
        let slot = txs.iter_mut().find(|(r, _)| r.tx_id == tx_id)?;
        let (confirmed, failed) = match &state {
            TxState::Broadcast => (false, None),
            TxState::Confirmed(_) => (true, None),
            TxState::Rejected(why) => (false, Some(why.clone())),
            _ => {
                slot.1 = state;
                return None;
            }
        };
        slot.1 = state;
        let time = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let sent = coffer_core::migrate::Sent {
            confirmed,
            failed,
            network: network.map(|n| n.name().to_owned()).unwrap_or_default(),
            endpoint: endpoint.to_owned(),
            time,
        };
        slot.0.sent = Some(sent.clone());
        Some(sent)
    }

    /// The signed transactions of the sweep shown, to broadcast (its preview says whether it is online).
    #[must_use]
    pub fn to_broadcast(&self) -> Option<(Chain, coffer_net_proto::Network, Vec<crate::net::SignedTx>)> {
        let SweepStage::Done { preview, txs, .. } = &self.sweep_stage else { return None };
        let network = preview.online()?;
        let list = txs
            .iter()
            .map(|(r, _)| crate::net::SignedTx {
                tx_id: r.tx_id.clone(),
                tx: r.tx.clone(),
                signature: r.signature.clone(),
            })
            .collect();
        Some((preview.row.chain, network, list))
    }

    /// The seed whose migration is shown.
    #[must_use]
    pub fn from(&self) -> Option<&str> {
        self.from.as_deref()
    }

    /// Fills the Solana sweep's balance and recent blockhash for `address` from the network's answer (`endpoint`
    /// says who reported them), or shows why they could not be fetched. Only when the row shown is still that
    /// address's; the fields stay editable, and the guard checks the transaction built from them before signing.
    pub fn set_solana_inputs(&mut self, address: &str, answer: Result<(u64, String, String), String>) {
        let shown = self.data.report.as_ref().and_then(|r| {
            r.migration.rows.iter().filter(|r| r.chain != Chain::IotaStardust).nth(self.sweep.row).cloned()
        });
        if shown.is_none_or(|r| r.old_address != address) {
            return;
        }
        let note = answer.map(|(balance, blockhash, endpoint)| {
            self.sweep.balance = balance.to_string();
            self.sweep.blockhash = blockhash;
            self.sweep.use_nonce = false;
            format!(
                "Balance and blockhash filled from {endpoint} at {}.",
                crate::net::clock(std::time::SystemTime::now())
            )
        });
        self.fetched =
            Some((address.to_owned(), note.map_err(|e| format!("Could not fill them from the network: {e}"))));
    }

    /// Replaces the data (after any change to the vault).
    pub fn set_data(&mut self, data: MigrateData) {
        if self.from.is_none() {
            self.from = data.migrations.first().cloned();
        }
        if data.challenge.as_ref().map(|c| c.positions.len()) != Some(self.answers.len()) {
            self.answers = fields(data.challenge.as_ref().map_or(0, |c| c.positions.len()));
        }
        self.data = data;
        self.refresh_stage();
    }

    /// A migration was started from `from`; `words` are a fresh destination's (shown once).
    pub fn started(&mut self, from: String, words: Option<Mnemonic>) {
        self.from = Some(from);
        self.plan_scan.clear();
        self.stage = words.map_or(Stage::Choose, Stage::Words);
        self.refresh_stage();
    }

    /// Shows the guard's verdict on `request`.
    pub fn set_checked(&mut self, request: SignRequest, verdict: Verdict) {
        self.checked = Some((request, verdict));
    }

    /// Suggests where to export the report (and to save signed transactions: the same folder).
    pub fn suggest_report_path(&mut self, dir: Option<PathBuf>) {
        if self.save_path.is_empty()
            && let Some(d) = &dir
        {
            self.save_path = d.display().to_string();
        }
        if self.report_path.is_empty()
            && let (Some(d), Some(from)) = (dir, &self.from)
        {
            self.report_path = default_report_path(Some(&d), from).display().to_string();
        }
    }

    /// The rows of the plan shown (empty before the first plan).
    fn plan_rows(&self) -> &[PlanRow] {
        self.data.report.as_ref().map_or(&[], |r| r.migration.rows.as_slice())
    }

    /// The gap scans the app should start now: for each plan chain with the network on ([`Self::online`]) and no
    /// scan yet, the first account the plan does not hold ([`coffer_core::migrate::first_unplanned`]); they are
    /// marked queued. Nothing before the plan has rows (the scan looks past it), and nothing for another stage.
    /// Returns the migration's old seed and the chains.
    pub fn due_plan_scan(&mut self) -> Option<(String, Vec<(Chain, u32)>)> {
        if !matches!(self.stage, Stage::Sweep) || self.plan_rows().is_empty() {
            return None;
        }
        let from = self.from.clone()?;
        // A plan that now reaches past where a finished scan started is scanned again from its new end.
        let rows = self.plan_rows().to_vec();
        self.plan_scan.retain(|(c, s)| match s {
            PlanScanState::Done { first, .. } => *first >= coffer_core::migrate::first_unplanned(&rows, *c),
            _ => true,
        });
        let due: Vec<(Chain, u32)> = PLAN_CHAINS
            .into_iter()
            .filter(|c| self.online.contains(c) && self.plan_scan(*c).is_none())
            .map(|c| (c, coffer_core::migrate::first_unplanned(self.plan_rows(), c)))
            .collect();
        for &(chain, first) in &due {
            self.plan_scan.push((chain, PlanScanState::Queued { first }));
        }
        (!due.is_empty()).then_some((from, due))
    }

    /// The network thread asked about one more account of `chain` (`asked` so far, up to account `last`).
    pub fn set_plan_scan_progress(&mut self, chain: Chain, asked: u32, last: u32) {
        if let Some((_, s)) = self.plan_scan.iter_mut().find(|(c, _)| *c == chain) {
            let first = match s {
                PlanScanState::Queued { first } | PlanScanState::Scanning { first, .. } => *first,
                _ => return,
            };
            *s = PlanScanState::Scanning { first, asked, last };
        }
    }

    /// The scan past the plan of `chain` ended: what it found and who answered, or why it stopped.
    pub fn set_plan_scanned(
        &mut self,
        chain: Chain,
        result: Result<(coffer_core::discover::Discovery, String), String>,
    ) {
        let Some((_, s)) = self.plan_scan.iter_mut().find(|(c, _)| *c == chain) else { return };
        let first = match s {
            PlanScanState::Queued { first } | PlanScanState::Scanning { first, .. } => *first,
            _ => return,
        };
        *s = match result {
            Ok((discovery, endpoint)) => PlanScanState::Done { first, discovery, endpoint },
            Err(e) => PlanScanState::Failed(e),
        };
    }

    /// Where the scan past the plan stands for `chain` (`None`: not scanned: offline, or not started yet).
    #[must_use]
    pub fn plan_scan(&self, chain: Chain) -> Option<&PlanScanState> {
        self.plan_scan.iter().find(|(c, _)| *c == chain).map(|(_, s)| s)
    }

    /// The accounts the scans found used that the plan does not hold yet, per chain ([`coffer_core::migrate::unplanned`]).
    #[must_use]
    pub fn found_past_plan(&self) -> Vec<(Chain, u32)> {
        self.plan_scan
            .iter()
            .filter_map(|(c, s)| match s {
                PlanScanState::Done { discovery, .. } => Some((*c, discovery)),
                _ => None,
            })
            .flat_map(|(c, d)| {
                coffer_core::migrate::unplanned(self.plan_rows(), c, &d.used).into_iter().map(move |n| (c, n))
            })
            .collect()
    }

    /// The status bar's line while a scan past the plan runs.
    #[must_use]
    pub fn plan_scan_text(&self) -> Option<String> {
        self.plan_scan.iter().find_map(|(c, s)| match s {
            PlanScanState::Scanning { asked, last, .. } => Some(format!(
                "Looking for used {} accounts past the plan: {asked} asked, up to account {last}",
                chain_title(*c)
            )),
            _ => None,
        })
    }

    /// Draws the wizard.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        ui.heading("Migrate a compromised seed");
        ui.label(
            "If someone may have seen a seed's words, move everything it holds to a seed only you know. Coffer \
             builds every sweep itself, checks that everything goes to your new addresses, signs, and with the \
             network on broadcasts them; offline you hand the signed transactions to a connected machine.",
        );
        if let Some(n) = &self.notice {
            match n {
                Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
            };
        }
        ui.add_space(6.0);
        match &self.stage {
            Stage::Words(_) => return self.words_ui(ui),
            Stage::Choose => return self.choose_ui(ui),
            Stage::Challenge(_) | Stage::Sweep => {}
        }
        let from = self.from.clone().unwrap_or_default();
        let mut intent = None;
        ui.horizontal(|ui| {
            let to = self.data.report.as_ref().map(|r| r.to.clone()).unwrap_or_default();
            ui.label(RichText::new(format!("Migration from {from} to {to}")).strong());
            ui.label(RichText::new(COMPROMISED_BADGE).color(super::error_color(ui)).strong());
            if self.data.migrations.len() > 1 {
                for m in self.data.migrations.clone() {
                    if m != from && ui.button(format!("Show the migration from {m}")).clicked() {
                        intent = Some(MigrateIntent::Open(m));
                    }
                }
            }
        });
        if let Stage::Challenge(c) = &self.stage {
            let c = c.clone();
            return self.challenge_ui(ui, &c).or(intent);
        }
        ui.separator();
        if let Some(i) = self.plan_ui(ui) {
            intent = Some(i);
        }
        if let Some(i) = self.plan_scan_ui(ui) {
            intent = Some(i);
        }
        if let Some(i) = self.everything_ui(ui) {
            intent = Some(i);
        }
        self.rows_ui(ui);
        if let Some(i) = self.receipts_ui(ui) {
            intent = Some(i);
        }
        intent
    }

    fn choose_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let mut intent = None;
        if self.data.seeds.is_empty() {
            ui.label("There is no seed in the vault yet.");
            return None;
        }
        for m in &self.data.migrations {
            if ui.button(format!("Show the migration from {m}")).clicked() {
                intent = Some(MigrateIntent::Open(m.clone()));
            }
        }
        ui.horizontal(|ui| {
            let l = ui.label("Seed to migrate from:");
            let text = |s: &SeedSummary| {
                if s.compromised { format!("{} ({COMPROMISED_BADGE})", s.label) } else { s.label.clone() }
            };
            let selected = self.data.seeds.get(self.pick).map(text).unwrap_or_default();
            egui::ComboBox::from_id_salt("migrate-from")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    for (i, s) in self.data.seeds.iter().enumerate() {
                        ui.selectable_value(&mut self.pick, i, text(s));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let Some(seed) = self.data.seeds.get(self.pick).cloned() else { return intent };
        if !seed.compromised {
            ui.label(RichText::new(MARK_WARNING).color(super::warn_color(ui)));
            ui.checkbox(&mut self.understood, format!("I understand: mark {} compromised", seed.label));
            if ui.add_enabled(self.understood, egui::Button::new("Mark compromised")).clicked() {
                self.understood = false;
                intent = Some(MigrateIntent::Mark(seed.label));
            }
            return intent;
        }
        ui.label(RichText::new("Where should the funds go?").strong());
        ui.radio_value(&mut self.fresh, true, "A fresh seed (new words, shown once)");
        let others: Vec<&SeedSummary> = self.data.seeds.iter().filter(|s| !s.compromised).collect();
        let mut problem = None;
        if self.fresh || others.is_empty() {
            field(ui, "Name of the fresh seed:", &mut self.fresh_label, 220.0);
            // The vault's own rule, shown while typing.
            let labels = self.data.seeds.iter().map(|s| s.label.as_str());
            problem = coffer_core::vault::check_new_label(self.fresh_label.trim(), labels).err();
            if let Some(p) = &problem {
                ui.label(RichText::new(format!("Choose another name: {p}.")).color(super::error_color(ui)));
            }
        }
        if !others.is_empty() {
            ui.radio_value(&mut self.fresh, false, "A seed already in this vault");
            if !self.fresh {
                self.existing = self.existing.min(others.len() - 1);
                ui.horizontal(|ui| {
                    let l = ui.label("Destination seed:");
                    egui::ComboBox::from_id_salt("migrate-to")
                        .selected_text(others[self.existing].label.as_str())
                        .show_ui(ui, |ui| {
                            for (i, s) in others.iter().enumerate() {
                                ui.selectable_value(&mut self.existing, i, s.label.as_str());
                            }
                        })
                        .response
                        .labelled_by(l.id);
                });
            }
        }
        if ui.add_enabled(problem.is_none(), egui::Button::new("Start the migration")).clicked() {
            let to = if self.fresh || others.is_empty() {
                Destination::Fresh { label: self.fresh_label.trim().to_owned(), words: WordCount::Words24 }
            } else {
                Destination::Existing { label: others[self.existing].label.clone() }
            };
            intent = Some(MigrateIntent::Start { from: seed.label, to });
        }
        intent
    }

    fn words_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        ui.label(RichText::new("The fresh seed's recovery words").strong().size(18.0));
        ui.label(RichText::new(super::new_seed::WORDS_WARNING).color(super::warn_color(ui)));
        if let Stage::Words(m) = &self.stage {
            super::new_seed::word_grid(ui, m);
        }
        ui.add_space(10.0);
        if ui.button("I have written them down").clicked() {
            return Some(MigrateIntent::WroteWordsDown);
        }
        None
    }

    fn challenge_ui(&mut self, ui: &mut egui::Ui, c: &BackupChallenge) -> Option<MigrateIntent> {
        ui.label(RichText::new(format!("Check the backup of {}", c.label)).strong());
        ui.label("Type the words at these positions from your written backup. Nothing is planned or signed before.");
        if self.answers.len() != c.positions.len() {
            self.answers = fields(c.positions.len());
        }
        for (pos, answer) in c.positions.iter().zip(self.answers.iter_mut()) {
            ui.horizontal(|ui| {
                let l = ui.label(format!("Word {pos}:"));
                ui.add(egui::TextEdit::singleline(answer).desired_width(160.0)).labelled_by(l.id);
            });
        }
        let ready = self.answers.iter().all(|a| !a.as_str().trim().is_empty());
        if ui.add_enabled(ready, egui::Button::new("Check these words")).clicked() {
            let answers = self.answers.iter_mut().map(|a| a.take_secret(true)).collect();
            return Some(MigrateIntent::Answer(answers));
        }
        ui.add_space(8.0);
        ui.label(format!(
            "Not sure your written copy is right? Look at {}'s words again (after the vault password) and correct it.",
            c.label
        ));
        if ui
            .button("Show the words again")
            .accessible_name(format!("Show the recovery words of {}", c.label))
            .clicked()
        {
            return Some(MigrateIntent::ShowWords(c.label.clone()));
        }
        None
    }

    fn plan_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let mut intent = None;
        ui.label(RichText::new("Plan").strong());
        ui.horizontal(|ui| {
            for (on, chain) in self.chains.iter_mut().zip(PLAN_CHAINS) {
                ui.checkbox(on, format!("Plan {}", chain_title(chain)));
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label("Accounts to plan:");
            ui.add(egui::DragValue::new(&mut self.accounts).range(1..=100)).labelled_by(l.id);
            let l = ui.label("Addresses per account (IOTA, Sui):");
            ui.add(egui::DragValue::new(&mut self.indices).range(1..=100)).labelled_by(l.id);
            if ui.button("Add to the plan").clicked() {
                let chains = PLAN_CHAINS.iter().zip(self.chains).filter(|(_, on)| *on).map(|(c, _)| *c).collect();
                intent = Some(MigrateIntent::Plan(coffer_core::migrate::Selection {
                    chains,
                    first_account: 0,
                    accounts: self.accounts,
                    indices: self.indices,
                }));
            }
        });
        if self.data.report.as_ref().is_some_and(|r| r.migration.rows.is_empty()) {
            ui.label("Nothing is planned yet.");
        }
        intent
    }

    /// The scan past the plan, per plan chain: its progress, what it found (and a button that adds the found
    /// accounts to the plan), or for a chain offline that the accounts past the plan were not checked and how to.
    fn plan_scan_ui(&self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let rows = self.plan_rows();
        if rows.is_empty() {
            return None;
        }
        let mut intent = None;
        ui.add_space(4.0);
        ui.label(RichText::new("Accounts past the plan").strong());
        ui.label(
            "Whoever holds the old words sees every account of the seed, not only the planned ones. With the network \
             on, Coffer asks about the accounts after the plan's until it finds five unused in a row.",
        );
        let found = self.found_past_plan();
        for chain in PLAN_CHAINS {
            let title = chain_title(chain);
            let first = coffer_core::migrate::first_unplanned(rows, chain);
            let text = match self.plan_scan(chain) {
                None if self.online.contains(&chain) => format!("{title}: waiting to ask the network…"),
                None => offline_sentence(chain, first),
                Some(PlanScanState::Queued { first }) => {
                    format!("{title}: waiting to ask the network about accounts from {first}…")
                }
                Some(PlanScanState::Scanning { first, asked, last }) => {
                    format!("{title}: asking the network… {asked} account(s) asked (accounts {first} to {last})")
                }
                Some(PlanScanState::Failed(e)) => format!("{title}: the scan past the plan stopped: {e}"),
                Some(PlanScanState::Done { first, discovery, endpoint }) => {
                    let mine: Vec<u32> = found.iter().filter(|(c, _)| *c == chain).map(|(_, n)| *n).collect();
                    let asked = if discovery.scanned > *first {
                        format!("accounts {first} to {} asked", discovery.scanned - 1)
                    } else {
                        "no account asked".to_owned()
                    };
                    let capped = if discovery.capped { ", stopped at the scan's limit" } else { "" };
                    let seen = if endpoint.is_empty() { String::new() } else { format!("; reported by {endpoint}") };
                    if mine.is_empty() && discovery.used.is_empty() {
                        format!("{title}: no used account past the plan ({asked}{capped}{seen}).")
                    } else if mine.is_empty() {
                        format!("{title}: every used account found is in the plan ({asked}{capped}{seen}).")
                    } else {
                        let list = mine.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                        format!("{title}: used and not in the plan: account {list} ({asked}{capped}{seen}).")
                    }
                }
            };
            let colour = match self.plan_scan(chain) {
                Some(PlanScanState::Failed(_)) => super::error_color(ui),
                Some(PlanScanState::Done { .. }) if found.iter().any(|(c, _)| *c == chain) => super::warn_color(ui),
                None if !self.online.contains(&chain) => super::warn_color(ui),
                _ => ui.visuals().text_color(),
            };
            ui.add(egui::Label::new(RichText::new(text).color(colour)).wrap());
        }
        if PLAN_CHAINS.iter().any(|c| !self.online.contains(c) && self.plan_scan(*c).is_none()) {
            ui.add(egui::Label::new(OFFLINE_HOW).wrap());
        }
        ui.horizontal(|ui| {
            if !found.is_empty()
                && crate::theme::primary(ui, format!("Add {} found account(s) to the plan", found.len())).clicked()
            {
                intent = Some(MigrateIntent::PlanFound);
            }
            let running = self
                .plan_scan
                .iter()
                .map(|(_, s)| s)
                .any(|s| matches!(s, PlanScanState::Queued { .. } | PlanScanState::Scanning { .. }));
            let finished = self
                .plan_scan
                .iter()
                .map(|(_, s)| s)
                .any(|s| matches!(s, PlanScanState::Done { .. } | PlanScanState::Failed(_)));
            if finished && !running && crate::theme::secondary(ui, "Scan past the plan again").clicked() {
                intent = Some(MigrateIntent::ScanPastPlanAgain);
            }
        });
        intent
    }

    /// The plan's rows, one line each (state, then old → new address; the full addresses on hover), with what stays
    /// or must be done by hand under the row.
    fn rows_ui(&self, ui: &mut egui::Ui) {
        let Some(report) = &self.data.report else { return };
        if report.migration.rows.is_empty() {
            return;
        }
        ui.separator();
        ui.label(RichText::new(format!("The plan: {} rows", report.migration.rows.len())).strong());
        let short = |a: &str| {
            if a.chars().count() <= 16 {
                return a.to_owned();
            }
            let head: String = a.chars().take(8).collect();
            let tail: String = a.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
            format!("{head}…{tail}")
        };
        for r in &report.migration.rows {
            let path = r.path().map(|p| p.to_string()).unwrap_or_default();
            let colour = match r.state {
                coffer_core::migrate::RowState::Confirmed => super::ok_color(ui),
                coffer_core::migrate::RowState::Failed => super::error_color(ui),
                coffer_core::migrate::RowState::Manual => super::warn_color(ui),
                _ => ui.visuals().text_color(),
            };
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{} {path} · {}", chain_title(r.chain), r.state.name())).color(colour))
                    .on_hover_text(format!("old {}\nnew {}", r.old_address, r.new_address));
                ui.label(
                    RichText::new(format!("{} → {}", short(&r.old_address), short(&r.new_address))).monospace().weak(),
                );
            });
            if r.state == coffer_core::migrate::RowState::Failed {
                ui.add(egui::Label::new(RichText::new(format!("    {FAILED_ROW_STEP}")).color(colour)).wrap());
            }
            if !r.note.is_empty() {
                ui.add(egui::Label::new(RichText::new(format!("    {}", r.note)).color(super::warn_color(ui))).wrap());
            }
        }
    }

    /// The sweep section: the row, *Sweep everything* (network or holdings file), its preview, progress and
    /// result, and the single sweep built by hand.
    fn everything_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let rows = self.sweepable();
        if rows.is_empty() {
            return None;
        }
        ui.separator();
        ui.label(crate::theme::section("Sweep everything an account holds"));
        self.sweep.row = self.sweep.row.min(rows.len() - 1);
        let label_of = |r: &PlanRow| {
            format!(
                "{} {} ({})",
                chain_title(r.chain),
                r.path().map(|p| p.to_string()).unwrap_or_default(),
                r.state.name()
            )
        };
        let idle = matches!(self.sweep_stage, SweepStage::Idle);
        ui.add_enabled_ui(idle, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Row to sweep:");
                egui::ComboBox::from_id_salt("migrate-row")
                    .selected_text(label_of(&rows[self.sweep.row]))
                    .show_ui(ui, |ui| {
                        for (i, r) in rows.iter().enumerate() {
                            ui.selectable_value(&mut self.sweep.row, i, label_of(r));
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
        });
        let row = rows[self.sweep.row].clone();
        ui.add(egui::Label::new(RichText::new(format!("From: {}", row.old_address)).monospace()).wrap());
        ui.add(egui::Label::new(RichText::new(format!("To: {}", row.new_address)).monospace()).wrap());
        ui.add_space(4.0);
        let mut intent = match &self.sweep_stage {
            SweepStage::Idle => self.start_ui(ui, &row),
            SweepStage::Fetching(r) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    let p = self.progress.map(|(d, t)| format!(" ({d} of {t} answers)")).unwrap_or_default();
                    ui.label(format!("Asking the network what {} holds…{p}", r.old_address));
                });
                None
            }
            SweepStage::Preview(p) => preview_ui(ui, p),
            SweepStage::Signing(p) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Signing {} transaction(s) and saving their receipts…", p.requests.len()));
                });
                None
            }
            SweepStage::Done { .. } => self.done_ui(ui),
        };
        ui.add_space(6.0);
        ui.checkbox(&mut self.by_hand, "Build a single native sweep by hand");
        if self.by_hand
            && let Some(i) = self.hand_ui(ui, &row)
        {
            intent = Some(i);
        }
        intent
    }

    /// *Sweep everything*: from the network when it is on for the row's chain, else from a holdings file.
    fn start_ui(&mut self, ui: &mut egui::Ui, row: &PlanRow) -> Option<MigrateIntent> {
        let mut intent = None;
        if let Some(n) = &self.sweep_notice {
            ui.add(egui::Label::new(RichText::new(n).color(super::error_color(ui))).wrap());
        }
        let chain = chain_title(row.chain);
        if self.online.contains(&row.chain) {
            ui.label(format!(
                "Coffer asks the network process what this {chain} account holds, builds every transaction, and shows \
                 you everything that moves before anything is signed."
            ));
            if crate::theme::primary(ui, "Sweep everything").clicked() {
                intent = Some(MigrateIntent::SweepEverything);
            }
            ui.add_space(4.0);
            ui.label(RichText::new("Or, offline, from a holdings file:").weak());
        } else {
            ui.label(format!(
                "Offline: open a holdings file of this {chain} account (what it holds, written on a connected machine; \
                 its format is in docs/cli.md, \"Holdings file\"). Coffer builds every transaction from it."
            ));
        }
        ui.horizontal(|ui| {
            let l = ui.label("Holdings file:");
            ui.add(egui::TextEdit::singleline(&mut self.holdings_path).desired_width(380.0)).labelled_by(l.id);
            if ui.add_enabled(!self.holdings_path.trim().is_empty(), egui::Button::new("Open holdings file")).clicked()
            {
                intent = Some(MigrateIntent::OpenHoldings(PathBuf::from(self.holdings_path.trim())));
            }
        });
        ui.label(RichText::new("You can also drop the holdings file onto this window.").weak());
        match row.chain {
            Chain::Solana => {
                field(ui, "Recent blockhash for the sweep:", &mut self.sweep.blockhash, 420.0);
            }
            Chain::Stellar => {
                ui.horizontal(|ui| {
                    ui.label("Sign for:");
                    ui.radio_value(&mut self.sweep.network, NetworkChoice::Public, "Stellar public network");
                    ui.radio_value(&mut self.sweep.network, NetworkChoice::Testnet, "Stellar testnet");
                });
            }
            _ => {}
        }
        // A file dropped onto the window is read by path, bounded like the path input.
        let dropped = ui.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            intent = Some(MigrateIntent::OpenHoldings(path));
        }
        intent
    }

    /// The signed sweep: each transaction's state, and offline the signed transactions to hand out.
    fn done_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let SweepStage::Done { preview, txs, error } = &self.sweep_stage else { return None };
        let mut intent = None;
        let n = txs.len();
        let online = preview.online().is_some();
        let all_confirmed = txs.iter().all(|(_, s)| matches!(s, TxState::Confirmed(_)));
        let head = if !online {
            format!("{n} transaction(s) signed. Broadcast them in this order from a connected machine.")
        } else if all_confirmed && error.is_none() {
            format!("Done: the network confirmed all {n} transaction(s).")
        } else {
            format!("{n} transaction(s) signed; broadcasting through the network process…")
        };
        ui.label(RichText::new(head).strong());
        if let Some(e) = error {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("Not everything was signed: {e}")).color(super::error_color(ui)),
                )
                .wrap(),
            );
        }
        let mut qr_wanted = None;
        for (i, (receipt, state)) in txs.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let colour = match state {
                    TxState::Confirmed(_) => super::ok_color(ui),
                    TxState::Failed(_) | TxState::Rejected(_) => super::error_color(ui),
                    _ => super::warn_color(ui),
                };
                let at = match state {
                    TxState::Confirmed(slot) if *slot > 0 => format!(" at {slot}"),
                    _ => String::new(),
                };
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("Transaction {} of {n}", i + 1)).strong());
                    ui.label(RichText::new(format!("{}{at}", state.name())).color(colour).strong());
                });
                if let TxState::Failed(why) | TxState::Rejected(why) = state {
                    ui.add(egui::Label::new(RichText::new(why).color(super::error_color(ui))).wrap());
                }
                if matches!(state, TxState::Rejected(_)) {
                    ui.add(egui::Label::new(RichText::new(FAILED_TX_STEP).color(super::error_color(ui))).wrap());
                }
                ui.add(
                    egui::Label::new(RichText::new(format!("Transaction id: {}", receipt.tx_id)).monospace()).wrap(),
                );
                // Sent: where to look it up (selectable text and a copy button; the app opens no browser).
                if matches!(state, TxState::Broadcast | TxState::Confirmed(_))
                    && let Some(link) = receipt.explorer()
                {
                    let button =
                        if n == 1 { "Copy explorer link".to_owned() } else { format!("Copy explorer link {}", i + 1) };
                    if super::explorer_link_ui(ui, &link, &button) {
                        intent = Some(MigrateIntent::Copy(link));
                    }
                }
                let mark = match state {
                    TxState::Confirmed(_) => "moved",
                    TxState::Rejected(_) => "not moved",
                    _ => "pending",
                };
                for m in preview.transactions.get(i).map(|t| t.moves.as_slice()).unwrap_or_default() {
                    ui.add(egui::Label::new(format!("{mark}: {m}")).wrap());
                }
                if !online {
                    ui.horizontal(|ui| {
                        if ui.button(format!("Copy signed transaction {}", i + 1)).clicked() {
                            intent = Some(MigrateIntent::Copy(receipt.tx.clone()));
                        }
                        if ui.button(format!("QR code of transaction {}", i + 1)).clicked() {
                            qr_wanted = Some(i);
                        }
                        if ui
                            .add_enabled(
                                !self.save_path.trim().is_empty(),
                                egui::Button::new(format!("Save transaction {}", i + 1)),
                            )
                            .clicked()
                        {
                            let name = format!(
                                "sweep-{}-{}.txt",
                                receipt.chain.name(),
                                receipt.tx_id.chars().take(16).collect::<String>()
                            );
                            intent = Some(MigrateIntent::SaveTx {
                                path: PathBuf::from(self.save_path.trim()).join(name),
                                text: receipt.tx.clone(),
                            });
                        }
                    });
                    if receipt.chain.uses_index() {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("signature {}", receipt.signature)).monospace().small(),
                            )
                            .wrap(),
                        );
                    }
                }
            });
        }
        for s in &preview.stays {
            ui.add(egui::Label::new(RichText::new(format!("left: {s}")).color(super::warn_color(ui))).wrap());
        }
        if preview.stays.is_empty() {
            ui.label("left: nothing: everything listed moves to the new address.");
        }
        if !online {
            ui.horizontal(|ui| {
                let l = ui.label("Save signed transactions into the folder:");
                ui.add(egui::TextEdit::singleline(&mut self.save_path).desired_width(380.0)).labelled_by(l.id);
            });
        }
        if let Some(i) = qr_wanted {
            self.qr = if self.qr.as_ref().is_some_and(|(q, _)| *q == i) { None } else { Some((i, None)) };
        }
        if let Some((i, tex)) = &mut self.qr
            && let Some((receipt, _)) = txs.get(*i)
        {
            if tex.is_none()
                && let Some(img) = crate::qr::qr_image(&receipt.tx)
            {
                *tex = Some(ui.ctx().load_texture("migrate-qr", img, egui::TextureOptions::NEAREST));
            }
            match tex {
                Some(t) => {
                    ui.label(RichText::new(format!("Transaction {} as a QR code:", *i + 1)).strong());
                    // A signed sweep is long: a large code, so that each module stays a few pixels wide.
                    let side = (t.size()[0] as f32 * 3.0).clamp(260.0, 520.0);
                    ui.add(
                        egui::Image::from_texture(&*t)
                            .fit_to_exact_size(egui::vec2(side, side))
                            .alt_text(format!("QR code of transaction {}", *i + 1)),
                    );
                }
                None => {
                    ui.label("Too long for a QR code: copy it or save it to a file.");
                }
            }
        }
        let busy = online
            && !txs.iter().all(|(_, s)| matches!(s, TxState::Confirmed(_) | TxState::Failed(_) | TxState::Rejected(_)));
        if ui.add_enabled(!busy, egui::Button::new("Close this sweep")).clicked() {
            intent = Some(MigrateIntent::CloseSweep);
        }
        intent
    }

    /// The single native sweep built by hand (the wizard before *Sweep everything*): its inputs typed or, for
    /// Solana, filled from the network.
    fn hand_ui(&mut self, ui: &mut egui::Ui, row: &PlanRow) -> Option<MigrateIntent> {
        let mut intent = None;
        let row = row.clone();
        let online = self.online.contains(&Chain::Solana);
        let fetched = self.fetched.as_ref().filter(|(a, _)| *a == row.old_address).map(|(_, r)| r.clone());
        let f = &mut self.sweep;
        match row.chain {
            Chain::Stellar => {
                field(ui, "Current sequence number:", &mut f.sequence, 200.0);
                // Offline, only the user knows: Stellar refuses a merge into an account that does not exist.
                ui.horizontal(|ui| {
                    ui.label("Does the new account already exist on the network?");
                    ui.radio_value(&mut f.destination_exists, Some(false), "No: create it with 1 XLM, then merge");
                    ui.radio_value(&mut f.destination_exists, Some(true), "Yes: merge into it");
                });
                field(ui, "Fee (stroops; empty: 100 per operation):", &mut f.stellar_fee, 120.0);
                ui.horizontal(|ui| {
                    ui.label("Network:");
                    ui.radio_value(&mut f.network, NetworkChoice::Public, "Public");
                    ui.radio_value(&mut f.network, NetworkChoice::Testnet, "Testnet");
                    ui.radio_value(&mut f.network, NetworkChoice::Futurenet, "Futurenet");
                    ui.radio_value(&mut f.network, NetworkChoice::Custom, "Other");
                });
                if f.network == NetworkChoice::Custom {
                    field(ui, "Network passphrase:", &mut f.custom_network, 400.0);
                }
                let l = ui.label("Trustlines the account still has (CODE:ISSUER, one a line):");
                ui.add(egui::TextEdit::multiline(&mut f.trustlines).desired_rows(2).desired_width(500.0))
                    .labelled_by(l.id);
            }
            Chain::Solana => {
                if online
                    && ui
                        .button("Fill balance and blockhash from the network")
                        .on_hover_text("Asked through the network process; the guard still checks what is signed")
                        .clicked()
                {
                    intent = Some(MigrateIntent::FetchSolanaInputs(row.old_address.clone()));
                    f.use_nonce = false;
                }
                match fetched {
                    Some(Ok(from)) => {
                        ui.label(RichText::new(from).weak());
                    }
                    Some(Err(e)) => {
                        ui.label(RichText::new(e).color(super::error_color(ui)));
                    }
                    None => {}
                }
                field(ui, "Balance (lamports):", &mut f.balance, 200.0);
                field(ui, "Priority fee (micro-lamports per compute unit; empty: none):", &mut f.priority_fee, 160.0);
                ui.checkbox(&mut f.use_nonce, "Use a durable nonce instead of a recent blockhash");
                if f.use_nonce {
                    field(ui, "Nonce account:", &mut f.nonce_account, 420.0);
                    field(ui, "Nonce value:", &mut f.nonce_value, 420.0);
                } else {
                    field(ui, "Recent blockhash:", &mut f.blockhash, 420.0);
                }
            }
            _ => {
                let l = ui.label("Unsigned pay-all transaction (base64):");
                ui.add(egui::TextEdit::multiline(&mut f.unsigned).desired_rows(3).desired_width(f32::INFINITY))
                    .labelled_by(l.id);
            }
        }
        let request = build(row.chain, &row.old_address, &row.new_address, &self.sweep);
        match &request {
            Err(e) => {
                ui.label(RichText::new(e).color(super::warn_color(ui)));
            }
            Ok(r) => {
                if ui.button("Check the sweep").clicked() {
                    intent = Some(MigrateIntent::Check(r.clone()));
                }
            }
        }
        if let (Some((req, verdict)), Ok(current)) = (&self.checked, &request)
            && req == current
        {
            match verdict {
                Err(e) => {
                    ui.label(RichText::new(format!("Refused: {e}")).color(super::error_color(ui)).strong());
                }
                Ok((summary, _)) => {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        for line in &summary.lines {
                            ui.label(format!("{}: {}", line.label, line.value));
                        }
                    });
                    ui.label(
                        RichText::new("The guard accepts this sweep: everything goes to the new address.")
                            .color(super::ok_color(ui)),
                    );
                    if ui.button("Sign the sweep").clicked() {
                        intent = Some(MigrateIntent::Sign(current.clone()));
                    }
                }
            }
        }
        intent
    }

    fn receipts_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let mut intent = None;
        let report = self.data.report.as_ref()?;
        ui.separator();
        ui.label(RichText::new("Receipts").strong());
        if report.migration.receipts.is_empty() {
            ui.label("No sweep has been signed yet.");
        }
        for (n, c) in report.migration.receipts.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(format!("{} sweep, transaction id {}", chain_title(c.chain), c.tx_id));
                // Sent by Coffer (the vault's record): how far it got and where to look it up.
                if let Some(sent) = &c.sent {
                    let (state, colour) = if sent.confirmed {
                        ("confirmed", super::ok_color(ui))
                    } else if sent.failed.is_some() {
                        ("failed", super::error_color(ui))
                    } else {
                        ("broadcast", super::warn_color(ui))
                    };
                    ui.label(RichText::new(format!("{state} on {}", sent.network)).color(colour));
                    if let Some(why) = &sent.failed {
                        ui.add(
                            egui::Label::new(RichText::new(format!("{why}. {FAILED_TX_STEP}")).color(colour)).wrap(),
                        );
                    }
                    if let Some(link) = c.explorer()
                        && super::explorer_link_ui(ui, &link, &format!("Copy explorer link of receipt {}", n + 1))
                    {
                        intent = Some(MigrateIntent::Copy(link));
                    }
                    return;
                }
                for (k, cmd) in c.broadcast().into_iter().enumerate() {
                    ui.label(RichText::new(&cmd).monospace().small());
                    if ui.button(format!("Copy broadcast command {} of receipt {}", k + 1, n + 1)).clicked() {
                        intent = Some(MigrateIntent::Copy(cmd));
                    }
                }
            });
        }
        for step in &report.manual_steps {
            ui.label(RichText::new(format!("By hand: {step}")).color(super::warn_color(ui)));
        }
        ui.horizontal(|ui| {
            let l = ui.label("Export the report (JSON) to:");
            ui.add(egui::TextEdit::singleline(&mut self.report_path).desired_width(380.0)).labelled_by(l.id);
            if ui.add_enabled(!self.report_path.trim().is_empty(), egui::Button::new("Export report")).clicked() {
                intent = Some(MigrateIntent::Export(PathBuf::from(self.report_path.trim())));
            }
        });
        intent
    }
}

/// The one preview of a complete sweep: every transaction with what it moves and its fee, what stays and why, the
/// totals, and the button that signs (online: and broadcasts).
fn preview_ui(ui: &mut egui::Ui, p: &SweepPreview) -> Option<MigrateIntent> {
    let mut intent = None;
    let n = p.transactions.len();
    ui.label(RichText::new(format!("Everything that moves, in {n} transaction(s)")).strong());
    let source = match &p.source {
        crate::sweep::Source::Network { endpoint, network } => {
            format!(
                "Holdings reported by {endpoint} ({}) at {}.",
                network.name(),
                crate::net::clock(std::time::SystemTime::now())
            )
        }
        crate::sweep::Source::File(path) => format!("Holdings read from {path}."),
    };
    ui.label(RichText::new(source).weak());
    for (i, t) in p.transactions.iter().enumerate() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let fee = if t.fee.is_empty() { String::new() } else { format!(" · fee {}", t.fee) };
            ui.label(RichText::new(format!("Transaction {} of {n}{fee}", i + 1)).strong());
            for m in &t.moves {
                ui.add(egui::Label::new(format!("moves: {m}")).wrap());
            }
        });
    }
    if p.stays.is_empty() {
        ui.label("Nothing stays at the old address.");
    } else {
        ui.label(RichText::new("Stays at the old address:").strong());
        for s in &p.stays {
            ui.add(egui::Label::new(RichText::new(format!("stays: {s}")).color(super::warn_color(ui))).wrap());
        }
    }
    for t in &p.totals {
        ui.label(t);
    }
    ui.label(
        RichText::new("The guard accepts every transaction: everything goes to the new address.")
            .color(super::ok_color(ui)),
    );
    ui.horizontal(|ui| {
        let what = if p.online().is_some() {
            format!("Sign and broadcast {n} transaction(s)")
        } else {
            format!("Sign {n} transaction(s)")
        };
        if crate::theme::primary_enabled(ui, can_sign(p), what).clicked() {
            intent = Some(MigrateIntent::ConfirmSweep);
        }
        if ui.button("Cancel").clicked() {
            intent = Some(MigrateIntent::CloseSweep);
        }
    });
    intent
}

/// Where the report of the migration from `from` is saved by default: `<dir>/migration-<from>.json`, with every
/// character of the label other than ASCII letters and digits replaced by `-` (relative without `dir`).
#[must_use]
pub fn default_report_path(dir: Option<&std::path::Path>, from: &str) -> PathBuf {
    let name: String = from.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let file = format!("migration-{name}.json");
    dir.map_or_else(|| PathBuf::from(&file), |d| d.join(&file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::{AccountIndex, AddressIndex};
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    fn seed(label: &str, compromised: bool) -> SeedSummary {
        SeedSummary { label: label.into(), word_count: 24, has_passphrase: false, compromised, backup_checked: true }
    }

    #[test]
    fn mark_then_start_with_an_existing_seed() {
        let data = MigrateData { seeds: vec![seed("Old", false), seed("Safe", false)], ..MigrateData::default() };
        let mut screen = MigrateScreen::new(data);
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 900.0)).build_ui_state(
            move |ui, out: &mut Vec<String>| out.extend(screen.ui(ui).map(|i| format!("{i:?}"))),
            Vec::new(),
        );
        h.run();
        h.get_by_label(MARK_WARNING);
        h.get_by_label("I understand: mark Old compromised").click();
        h.run();
        h.get_by_label("Mark compromised").click();
        h.run();
        assert_eq!(h.state(), &vec!["Mark(\"Old\")".to_owned()]);

        let data = MigrateData { seeds: vec![seed("Old", true), seed("Safe", false)], ..MigrateData::default() };
        let mut screen = MigrateScreen::new(data);
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 900.0)).build_ui_state(
            move |ui, out: &mut Vec<String>| out.extend(screen.ui(ui).map(|i| format!("{i:?}"))),
            Vec::new(),
        );
        h.run();
        h.get_by_label("Where should the funds go?");
        h.get_by_label("A seed already in this vault").click();
        h.run();
        h.get_by_label("Start the migration").click();
        h.run();
        assert!(h.state()[0].contains("Existing { label: \"Safe\" }"), "{:?}", h.state());
    }

    #[test]
    fn a_fresh_seed_name_the_vault_would_refuse_shows_why() {
        let data = MigrateData { seeds: vec![seed("Old", true), seed("new seed", false)], ..MigrateData::default() };
        let mut screen = MigrateScreen::new(data);
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 900.0)).build_ui_state(
            move |ui, out: &mut Vec<String>| out.extend(screen.ui(ui).map(|i| format!("{i:?}"))),
            Vec::new(),
        );
        h.run();
        // The default name, "New seed", looks like the existing "new seed".
        h.get_by_label_contains("looks the same as the existing label");
        assert!(h.get_by_label("Start the migration").accesskit_node().is_disabled());
        let f = h.get_by_label("Name of the fresh seed:");
        f.focus();
        f.type_text(" 2");
        h.run();
        assert!(h.query_by_label_contains("looks the same").is_none());
        h.get_by_label("Start the migration").click();
        h.run();
        assert!(h.state()[0].contains("Fresh { label: \"New seed 2\""), "{:?}", h.state());
    }

    /// A vault with "Old" (compromised, the BIP39 test words) migrating to "Safe" (backup checked), planned on
    /// accounts 0-4: the wizard's data, as the app reads it.
    fn planned_data(name: &str) -> (MigrateData, coffer_test_util::TempDir) {
        use coffer_core::vault::{KdfParams, Vault};
        let dir = coffer_test_util::TempDir::new(&format!("gui-migrate-{name}"));
        let pw = SecretString::from("pw".to_owned());
        let mut v = Vault::create(dir.join("v.coffer"), &pw, KdfParams::policy_minimum()).unwrap();
        let old = Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap();
        let safe = Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe").unwrap();
        v.add_seed("Old", &old, "").unwrap();
        v.add_seed("Safe", &safe, "").unwrap();
        v.verify_seed("Safe", &safe, "").unwrap();
        let _ = v.mark_compromised("Old").unwrap();
        v.start_migration("Old", &Destination::Existing { label: "Safe".into() }).unwrap();
        v.plan_migration("Old", &coffer_core::migrate::Selection::default()).unwrap();
        let data = MigrateData {
            seeds: v.seeds().into_iter().map(SeedSummary::from).collect(),
            migrations: v.migrations(),
            report: Some(v.migration_report("Old").unwrap()),
            challenge: None,
        };
        (data, dir)
    }

    #[test]
    fn stages_follow_the_vault_and_the_words_are_dropped() {
        let data = MigrateData { seeds: vec![seed("Old", true)], ..MigrateData::default() };
        let mut screen = MigrateScreen::new(data);
        assert!(matches!(screen.stage(), Stage::Choose));
        let words =
            Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe").unwrap();
        screen.started("Old".into(), Some(words));
        assert!(matches!(screen.stage(), Stage::Words(_)));
        // New data does not end the words stage: only the user does.
        let challenge = BackupChallenge { label: "New".into(), positions: vec![1, 5, 9, 12] };
        screen.set_data(MigrateData {
            seeds: vec![seed("Old", true)],
            migrations: vec!["Old".into()],
            challenge: Some(challenge.clone()),
            report: None,
        });
        assert!(matches!(screen.stage(), Stage::Words(_)));
        assert!(matches!(screen.update(MigrateIntent::WroteWordsDown), Some(Effect::Refresh)));
        assert!(matches!(screen.stage(), Stage::Challenge(c) if *c == challenge));
        screen.set_data(MigrateData {
            seeds: vec![seed("Old", true)],
            migrations: vec!["Old".into()],
            ..MigrateData::default()
        });
        assert!(matches!(screen.stage(), Stage::Sweep));
        // No plan row yet: nothing to sweep, nothing asked of the app.
        assert!(screen.update(MigrateIntent::SweepEverything).is_none());
        assert!(matches!(screen.sweep_stage(), SweepStage::Idle));
    }

    /// Sweep everything, offline: the holdings file is asked of the app, the preview shows every transaction with
    /// what moves (in SOL) and its fee, signing waits for the confirmation, and the signed transactions are handed
    /// out (copy) with each asset marked pending; online the same sweep says it will broadcast.
    #[test]
    fn sweep_everything_previews_and_signs_only_after_confirmation() {
        let (data, _dir) = planned_data("preview");
        let report = data.report.clone().unwrap();
        let row = report.migration.rows.iter().find(|r| r.chain == Chain::Solana && r.account == 0).unwrap().clone();
        let position = report.migration.rows.iter().filter(|r| r.chain != Chain::IotaStardust).position(|r| *r == row);
        let mut screen = MigrateScreen::new(data);
        screen.sweep.row = position.unwrap();
        screen.sweep.blockhash = "11111111111111111111111111111112".into();
        let Some(Effect::ReadHoldings { row: asked, path, options }) =
            screen.update(MigrateIntent::OpenHoldings("/tmp/h.json".into()))
        else {
            panic!("the app reads the file")
        };
        assert_eq!((asked.clone(), path), (row.clone(), PathBuf::from("/tmp/h.json")));
        let text = format!(r#"{{"chain": "solana", "address": "{}", "lamports": "1500000000"}}"#, row.old_address);
        let holdings = crate::sweep::parse_file(&row, &text, 1000).unwrap();
        let preview =
            crate::sweep::build(&row, holdings, &options, crate::sweep::Source::File("h.json".into())).unwrap();
        assert!(can_sign(&preview));
        screen.set_preview(Ok(preview));
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 2400.0)).build_ui_state(
            move |ui, out: &mut Vec<String>| {
                if let Some(i) = screen.ui(ui) {
                    let effect = screen.update(i);
                    out.push(format!("{effect:?}"));
                    if let Some(Effect::SignSweep(p)) = effect {
                        // What the worker does: sign. Here: receipts made up of the requests' bytes.
                        let receipts = p
                            .requests
                            .iter()
                            .enumerate()
                            .map(|(n, _)| Receipt {
                                row: 0,
                                chain: Chain::Solana,
                                time: 0,
                                tx_id: format!("tx{n}"),
                                signature: format!("sig{n}"),
                                tx: format!("signed{n}"),
                                network: String::new(),
                                sent: None,
                                sweep: 0,
                            })
                            .collect();
                        screen.set_signed(receipts, None);
                    }
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("Everything that moves, in 1 transaction(s)");
        h.get_by_label("Transaction 1 of 1 · fee 0.000005 SOL");
        h.get_by_label_contains("moves: 1.499995000 SOL");
        h.get_by_label("Nothing stays at the old address.");
        h.get_by_label("Holdings read from h.json.");
        assert!(h.get_by_label("Row to sweep:").accesskit_node().is_disabled(), "the row is fixed while previewing");
        h.get_by_label("Sign 1 transaction(s)").click();
        h.run();
        assert!(h.state().last().unwrap().starts_with("Some(SignSweep("), "{:?}", h.state());
        h.get_by_label("1 transaction(s) signed. Broadcast them in this order from a connected machine.");
        h.get_by_label_contains("pending: 1.499995000 SOL");
        h.get_by_label("left: nothing: everything listed moves to the new address.");
        h.get_by_label("Copy signed transaction 1").click();
        h.run();
        assert_eq!(h.state().last().unwrap(), "Some(Copy(\"signed0\"))");
        h.get_by_label("Close this sweep").click();
        h.run();
        h.get_by_label_contains("Offline: open a holdings file of this Solana account");
    }

    #[test]
    fn the_network_reports_each_transaction_until_confirmed() {
        let (data, _dir) = planned_data("network");
        let row =
            data.report.as_ref().unwrap().migration.rows.iter().find(|r| r.chain == Chain::Solana).unwrap().clone();
        let mut screen = MigrateScreen::new(data);
        let text = format!(r#"{{"address": "{}", "lamports": "1500000000"}}"#, row.old_address);
        let holdings = crate::sweep::parse_file(&row, &text, 1000).unwrap();
        let options = crate::sweep::Options {
            stellar_network: None,
            blockhash: "11111111111111111111111111111112".into(),
            now: 0,
        };
        let source = crate::sweep::Source::Network {
            endpoint: "http://127.0.0.1:1".into(),
            network: coffer_net_proto::Network::Devnet,
        };
        screen.set_preview(crate::sweep::build(&row, holdings, &options, source));
        assert!(matches!(screen.update(MigrateIntent::ConfirmSweep), Some(Effect::SignSweep(_))));
        assert!(matches!(screen.sweep_stage(), SweepStage::Signing(_)));
        // A second confirmation signs nothing twice.
        assert!(screen.update(MigrateIntent::ConfirmSweep).is_none());
        let receipt = |id: &str| Receipt {
            row: 0,
            chain: Chain::Solana,
            time: 0,
            tx_id: id.into(),
            signature: id.into(),
            tx: "AA==".into(),
            network: String::new(),
            sent: None,
            sweep: 0,
        };
        screen.set_signed(vec![receipt("a"), receipt("b")], None);
        let (chain, network, txs) = screen.to_broadcast().unwrap();
        assert_eq!((chain, network, txs.len()), (Chain::Solana, coffer_net_proto::Network::Devnet, 2));
        let at = "https://api.devnet.solana.com";
        let sent = |s: Option<coffer_core::migrate::Sent>| s.map(|s| (s.confirmed, s.network, s.endpoint));
        assert_eq!(sent(screen.set_tx_state("a", TxState::Broadcast, at)), Some((false, "devnet".into(), at.into())));
        assert_eq!(sent(screen.set_tx_state("a", TxState::Confirmed(7), at)), Some((true, "devnet".into(), at.into())));
        // Not known to have gone through (a timeout): nothing recorded. Refused or failed on chain: recorded failed.
        assert_eq!(sent(screen.set_tx_state("b", TxState::Failed("no".into()), at)), None);
        let refused = screen.set_tx_state("b", TxState::Rejected("refused by the endpoint: expired".into()), at);
        let refused = refused.unwrap();
        assert_eq!((refused.confirmed, refused.failed.as_deref()), (false, Some("refused by the endpoint: expired")));
        assert_eq!(screen.set_tx_state("unknown", TxState::Confirmed(9), at), None);
        // The receipt shown now knows where it went: its explorer link.
        let SweepStage::Done { txs, .. } = screen.sweep_stage() else { panic!("done") };
        assert_eq!(txs[0].0.explorer().as_deref(), Some("https://explorer.solana.com/tx/a?cluster=devnet"));
        assert_eq!(txs[1].1, TxState::Rejected("refused by the endpoint: expired".into()));
        assert!(txs[1].0.sent.as_ref().is_some_and(|s| s.failed.is_some()));
    }

    #[test]
    fn sweep_forms_build_or_say_why_not() {
        let seed = Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe").unwrap();
        let seed = seed.to_seed("");
        let old = Chain::Stellar.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
        let new = Chain::Stellar.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
        let mut f = SweepForm::default();
        assert!(build(Chain::Stellar, &old, &new, &f).unwrap_err().contains("network"));
        f.network = NetworkChoice::Testnet;
        f.sequence = "41".into();
        assert!(build(Chain::Stellar, &old, &new, &f).unwrap_err().contains("already exists"));
        // A new account that does not exist: created, then merged into (two operations, 200 stroops).
        f.destination_exists = Some(false);
        let req = build(Chain::Stellar, &old, &new, &f).unwrap();
        let d = coffer_core::sign::decode(&req).unwrap();
        assert!(d.summary().fully_decoded());
        let coffer_core::sign::Details::Stellar(env, _) = &d.summary().details else { panic!() };
        assert_eq!((env.operations.len(), env.fee), (2, 200));
        f.destination_exists = Some(true);
        let req = build(Chain::Stellar, &old, &new, &f).unwrap();
        assert!(coffer_core::sign::decode(&req).unwrap().summary().fully_decoded());
        f.trustlines = format!("USDC:{new}");
        assert!(build(Chain::Stellar, &old, &new, &f).unwrap_err().to_lowercase().contains("trustline"));

        let old = Chain::Solana.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
        let new = Chain::Solana.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
        f.balance = "4000".into();
        f.blockhash = "11111111111111111111111111111112".into();
        assert!(build(Chain::Solana, &old, &new, &f).is_err(), "balance below the fee");
        f.balance = "1000000".into();
        assert!(build(Chain::Solana, &old, &new, &f).is_ok());
        // A priority fee: SetComputeUnitLimit and SetComputeUnitPrice before the transfer of the rest.
        f.priority_fee = "2000".into();
        let req = build(Chain::Solana, &old, &new, &f).unwrap();
        let d = coffer_core::sign::decode(&req).unwrap();
        let coffer_core::sign::Details::Solana(tx) = &d.summary().details else { panic!() };
        let actions = tx.message.actions();
        assert_eq!(actions[1], coffer_core::sign::solana::Action::ComputeUnitPrice(2000));
        assert!(matches!(actions[2], coffer_core::sign::solana::Action::SystemTransfer { lamports: 994_998, .. }));
        f.priority_fee = "x".into();
        assert!(build(Chain::Solana, &old, &new, &f).unwrap_err().contains("priority fee"));
        assert!(build(Chain::Sui, "0x1", "0x2", &f).unwrap_err().contains("Paste"));
    }

    /// The scan past the plan: with the network on for Solana only, the screen asks the app to scan Solana from
    /// account 5 (the plan holds 0-4) once; its progress and result are shown; a found account not in the plan is
    /// offered and asked of the app as a plan of that account; the chains offline say that accounts past 4 were
    /// not checked and how to check them.
    #[test]
    fn the_scan_past_the_plan_finds_offers_and_plans_accounts() {
        let (data, _dir) = planned_data("scan");
        let mut screen = MigrateScreen::new(data.clone());
        assert!(matches!(screen.stage(), Stage::Sweep));
        // Offline: nothing to scan.
        assert!(screen.due_plan_scan().is_none());
        screen.online = vec![Chain::Solana];
        assert_eq!(screen.due_plan_scan(), Some(("Old".to_owned(), vec![(Chain::Solana, 5)])));
        assert!(screen.due_plan_scan().is_none(), "asked once");
        screen.set_plan_scan_progress(Chain::Solana, 3, 7);
        assert_eq!(screen.plan_scan(Chain::Solana), Some(&PlanScanState::Scanning { first: 5, asked: 3, last: 7 }));
        assert_eq!(
            screen.plan_scan_text().as_deref(),
            Some("Looking for used Solana accounts past the plan: 3 asked, up to account 7")
        );
        let discovery = coffer_core::discover::Discovery { used: vec![7], scanned: 13, capped: false };
        screen.set_plan_scanned(Chain::Solana, Ok((discovery, "http://127.0.0.1:8899".into())));
        assert!(screen.plan_scan_text().is_none());
        assert_eq!(screen.found_past_plan(), vec![(Chain::Solana, 7)]);
        let mut h = Harness::builder()
            .with_size(egui::vec2(1000.0, 2400.0))
            .build_ui_state(move |ui, out: &mut Vec<MigrateIntent>| out.extend(screen.ui(ui)), Vec::new());
        h.run();
        h.get_by_label_contains("Solana: used and not in the plan: account 7 (accounts 5 to 12 asked");
        h.get_by_label_contains("reported by http://127.0.0.1:8899");
        for chain in ["IOTA", "Sui", "Stellar"] {
            h.get_by_label_contains(&format!("{chain}: offline, so accounts past 4 were not checked."));
        }
        h.get_by_label(OFFLINE_HOW);
        h.get_by_label("Add 1 found account(s) to the plan").click();
        h.run();
        let mut intents = std::mem::take(h.state_mut());
        assert!(matches!(intents.as_slice(), [MigrateIntent::PlanFound]), "{intents:?}");
        drop(h);
        let mut screen = MigrateScreen::new(data);
        screen.online = vec![Chain::Solana];
        let _ = screen.due_plan_scan();
        let discovery = coffer_core::discover::Discovery { used: vec![7], scanned: 13, capped: false };
        screen.set_plan_scanned(Chain::Solana, Ok((discovery, String::new())));
        let Some(Effect::PlanAccounts(found)) = screen.update(intents.remove(0)) else { panic!("the app plans") };
        assert_eq!(found, vec![(Chain::Solana, 7)]);
        // A plan that now holds accounts 5 to 9 is scanned again from account 10.
        let mut wider = screen.data.clone();
        let rows = &mut wider.report.as_mut().unwrap().migration.rows;
        let template = rows.iter().find(|r| r.chain == Chain::Solana).unwrap().clone();
        rows.extend((5..10).map(|account| PlanRow { account, ..template.clone() }));
        screen.set_data(wider);
        assert_eq!(screen.due_plan_scan(), Some(("Old".to_owned(), vec![(Chain::Solana, 10)])));
        let discovery = coffer_core::discover::Discovery { used: vec![], scanned: 15, capped: false };
        screen.set_plan_scanned(Chain::Solana, Ok((discovery, String::new())));
        assert!(screen.due_plan_scan().is_none());
        // Scanning again: the finished scan is forgotten, so the app is asked again.
        assert!(screen.update(MigrateIntent::ScanPastPlanAgain).is_none());
        assert_eq!(screen.due_plan_scan(), Some(("Old".to_owned(), vec![(Chain::Solana, 10)])));
        // A failure is shown as such.
        screen.set_plan_scanned(Chain::Solana, Err("endpoint down".into()));
        assert_eq!(screen.plan_scan(Chain::Solana), Some(&PlanScanState::Failed("endpoint down".into())));
    }

    /// A row whose newest sweep failed (as the vault records it, Vault::record_failed) says so, in the plan and on
    /// its receipt, with the network's reason and the next step: the funds are still at the old address, sweep
    /// again.
    #[test]
    fn a_failed_sweep_says_the_funds_stayed_and_to_sweep_again() {
        let (mut data, _dir) = planned_data("failed");
        let report = data.report.as_mut().unwrap();
        let ri = report.migration.rows.iter().position(|r| r.chain == Chain::Solana && r.account == 0).unwrap();
        report.migration.rows[ri].state = coffer_core::migrate::RowState::Failed;
        report.migration.receipts.push(Receipt {
            row: ri,
            chain: Chain::Solana,
            time: 0,
            tx_id: "failedtx".into(),
            signature: "sig".into(),
            tx: "AA==".into(),
            network: String::new(),
            sent: Some(coffer_core::migrate::Sent {
                confirmed: false,
                failed: Some("refused by the endpoint: Transaction simulation failed: insufficient funds".into()),
                network: "devnet".into(),
                endpoint: "https://api.devnet.solana.com".into(),
                time: 0,
            }),
            sweep: 1,
        });
        let path = report.migration.rows[ri].path().unwrap().to_string();
        let mut screen = MigrateScreen::new(data);
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 4000.0)).build_ui(move |ui| {
            let _ = screen.ui(ui);
        });
        h.run();
        h.get_by_label(&format!("Solana {path} · failed"));
        h.get_by_label_contains("The newest sweep of this row did not go through: what it would have moved is still");
        h.get_by_label("failed on devnet");
        h.get_by_label(
            "refused by the endpoint: Transaction simulation failed: insufficient funds. It did not go through: what \
             it would have moved is still at the old address. Sweep this row again.",
        );
    }
}
