//! Migrate: the wizard over the core's guarded migration of a compromised seed. Mark the seed compromised (with a
//! clear warning), pick a fresh seed (its words shown once) or an existing checked one, answer the backup check,
//! plan (old → new address per chain and account), build and sign each sweep (the destination guard's refusals
//! are shown), copy the broadcast commands of the receipts, and export the report as JSON.

use std::path::PathBuf;

use coffer_core::migrate::{
    BackupChallenge, Destination, Report, SolanaRecent, SolanaSweep, StellarSweep, Trustline, build_solana_sweep,
    build_stellar_merge, parse_blockhash, parse_sequence,
};
use coffer_core::secret::SecretString;
use coffer_core::sign::Summary;
use coffer_core::{Chain, Mnemonic, Payload, SignRequest, WordCount};
use egui::RichText;

use super::accounts::chain_title;
use super::seeds::{COMPROMISED_BADGE, MARK_WARNING};
use super::sign::{NetworkChoice, network_of};
use crate::typed::TypedSecret;
use crate::worker::SeedSummary;

/// What the user chose.
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
    /// Answer the backup challenge with these words, in order.
    Answer(Vec<SecretString>),
    /// Plan these chains and accounts.
    Plan(coffer_core::migrate::Selection),
    /// Show seed `label`'s recovery words again (before its backup check: a miscopied word can be corrected).
    ShowWords(String),
    /// Decode a sweep and run the destination guard, without signing.
    Check(SignRequest),
    /// Sign a sweep (the guard runs again).
    Sign(SignRequest),
    /// Put a broadcast command on the clipboard.
    Copy(String),
    /// Write the report as JSON to this file.
    Export(PathBuf),
    /// Ask the network for a Solana sweep's inputs (the old address's balance, a recent blockhash).
    FetchSolanaInputs(String),
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
    /// A fresh destination's words, shown once.
    words: Option<Mnemonic>,
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
    /// The network is on for Solana and its process runs (set by the app): offer to fill the sweep's inputs.
    pub solana_online: bool,
    /// Where the Solana inputs were filled from (or why they could not be), for the address they are about.
    fetched: Option<(String, Result<String, String>)>,
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
            words: None,
            answers: Vec::new(),
            chains: [true; 4],
            accounts: coffer_core::migrate::DEFAULT_ACCOUNTS,
            indices: 1,
            sweep: SweepForm::default(),
            checked: None,
            report_path: String::new(),
            notice: None,
            solana_online: false,
            fetched: None,
        }
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
    }

    /// A migration was started from `from`; `words` are a fresh destination's (shown once).
    pub fn started(&mut self, from: String, words: Option<Mnemonic>) {
        self.from = Some(from);
        self.words = words;
    }

    /// Shows the guard's verdict on `request`.
    pub fn set_checked(&mut self, request: SignRequest, verdict: Verdict) {
        self.checked = Some((request, verdict));
    }

    /// Suggests where to export the report.
    pub fn suggest_report_path(&mut self, dir: Option<PathBuf>) {
        if self.report_path.is_empty()
            && let (Some(d), Some(from)) = (dir, &self.from)
        {
            self.report_path = default_report_path(Some(&d), from).display().to_string();
        }
    }

    /// Draws the wizard.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        ui.heading("Migrate a compromised seed");
        ui.label(
            "If someone may have seen a seed's words, move everything it holds to a seed only you know. Coffer \
             prepares and signs the sweeps; you broadcast them with the chain's own tools.",
        );
        if let Some(n) = &self.notice {
            match n {
                Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
            };
        }
        ui.add_space(6.0);
        if self.words.is_some() {
            return self.words_ui(ui);
        }
        let Some(from) = self.from.clone().filter(|f| self.data.migrations.contains(f)) else {
            return self.choose_ui(ui);
        };
        let mut intent = None;
        ui.horizontal(|ui| {
            let to = self.data.report.as_ref().map(|r| r.to.clone()).unwrap_or_default();
            ui.label(RichText::new(format!("Migration from {from} to {to}")).strong());
            ui.label(RichText::new(COMPROMISED_BADGE).color(super::error_color(ui)).strong());
            if self.data.migrations.len() > 1 {
                for m in self.data.migrations.clone() {
                    if m != from && ui.button(format!("Show the migration from {m}")).clicked() {
                        self.from = Some(m.clone());
                        intent = Some(MigrateIntent::Open(m));
                    }
                }
            }
        });
        if let Some(c) = self.data.challenge.clone() {
            return self.challenge_ui(ui, &c).or(intent);
        }
        ui.separator();
        if let Some(i) = self.plan_ui(ui) {
            intent = Some(i);
        }
        if let Some(i) = self.sweep_ui(ui) {
            intent = Some(i);
        }
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
        if let Some(m) = &self.words {
            super::new_seed::word_grid(ui, m);
        }
        ui.add_space(10.0);
        if ui.button("I have written them down").clicked() {
            self.words = None; // Wiped on drop.
            return self.from.clone().map(MigrateIntent::Open);
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
        let Some(report) = &self.data.report else { return intent };
        if report.migration.rows.is_empty() {
            ui.label("Nothing is planned yet.");
            return intent;
        }
        for r in &report.migration.rows {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let path = r.path().map(|p| p.to_string()).unwrap_or_default();
                let mut head = format!("{} {path} · {}", chain_title(r.chain), r.state.name());
                if !r.note.is_empty() {
                    head.push_str(&format!(" · {}", r.note));
                }
                ui.add(egui::Label::new(RichText::new(head).strong()).wrap());
                ui.add(egui::Label::new(RichText::new(format!("old {}", r.old_address)).monospace()).wrap());
                ui.add(egui::Label::new(RichText::new(format!("new {}", r.new_address)).monospace()).wrap());
            });
        }
        intent
    }

    fn sweep_ui(&mut self, ui: &mut egui::Ui) -> Option<MigrateIntent> {
        let mut intent = None;
        let rows: Vec<_> = self
            .data
            .report
            .as_ref()
            .map(|r| r.migration.rows.iter().filter(|r| r.chain != Chain::IotaStardust).cloned().collect())
            .unwrap_or_default();
        if rows.is_empty() {
            return None;
        }
        ui.separator();
        ui.label(RichText::new("Sweep").strong());
        self.sweep.row = self.sweep.row.min(rows.len() - 1);
        let label_of = |r: &coffer_core::migrate::PlanRow| {
            format!(
                "{} {} ({})",
                chain_title(r.chain),
                r.path().map(|p| p.to_string()).unwrap_or_default(),
                r.state.name()
            )
        };
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
        let row = rows[self.sweep.row].clone();
        ui.label(format!("From {} to {}", row.old_address, row.new_address));
        let online = self.solana_online;
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
}
