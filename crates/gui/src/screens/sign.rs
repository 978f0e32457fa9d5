//! Sign: paste or open an unsigned transaction or message, pick the seed, chain and account, read core's decoded
//! summary in full (every line; what was not decoded is highlighted), confirm, and sign. Content Coffer could not
//! decode needs a second, explicit confirmation that names the risk. The result (signature or signed transaction,
//! never a secret) can be copied, shown as a QR code or saved to a file.

use std::path::PathBuf;

use coffer_core::sign::{Network, Summary};
use coffer_core::{AccountIndex, AddressIndex, Blind, Chain, Payload, SignRequest, Signed};
use egui::RichText;

use super::accounts::chain_title;
use super::handout::{HandOut, HandOutAction, HandOutTexts};
use crate::effect::Effect;
use crate::worker::VaultTask;

/// The chains that sign (IOTA Stardust does not).
pub const SIGN_CHAINS: [Chain; 4] = [Chain::Iota, Chain::Sui, Chain::Solana, Chain::Stellar];

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIntent {
    /// Read the file at this path into the input.
    Open(PathBuf),
    /// Decode this request and show its summary.
    Decode(SignRequest),
    /// Sign the request (decoded and confirmed) with seed `label`'s key at `account`/`index`.
    Sign {
        /// The seed.
        label: String,
        /// What to sign.
        request: SignRequest,
        /// The account number.
        account: u32,
        /// The address index.
        index: u32,
        /// Blind signing was explicitly confirmed.
        blind: Blind,
    },
    /// Put this (a signature or signed transaction) on the clipboard.
    Copy(String),
    /// Write `text` to the file at `path`.
    Save {
        /// Where.
        path: PathBuf,
        /// The signature or signed transaction.
        text: String,
    },
}

/// Transaction or message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An unsigned transaction in the chain's text form.
    Transaction,
    /// A personal message (IOTA, Sui).
    Message,
}

/// The Stellar network picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkChoice {
    /// Not chosen yet (a Stellar transaction needs one).
    None,
    /// The public network.
    Public,
    /// The test network.
    Testnet,
    /// The future network.
    Futurenet,
    /// A full passphrase typed in.
    Custom,
}

/// A seed offered for signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedChoice {
    /// The label.
    pub label: String,
    /// Marked compromised (it signs nothing but migration sweeps).
    pub compromised: bool,
}

/// What a signature gave, for showing (public data only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedView {
    /// The signer's address.
    pub address: String,
    /// The derivation path.
    pub path: String,
    /// The signature in the chain's usual form.
    pub signature: String,
    /// The signed transaction, where the chain has one (Solana, Stellar).
    pub signed_tx: Option<String>,
}

impl From<&Signed> for SignedView {
    fn from(s: &Signed) -> Self {
        Self {
            address: s.address.clone(),
            path: s.path.to_string(),
            signature: s.signature.clone(),
            signed_tx: s.signed_tx.clone(),
        }
    }
}

impl SignedView {
    /// What to hand on: the signed transaction where there is one, else the signature.
    #[must_use]
    pub fn output(&self) -> &str {
        self.signed_tx.as_deref().unwrap_or(&self.signature)
    }
}

/// The risk blind signing takes, in words.
pub const BLIND_RISK: &str = "I understand that Coffer could not decode part of this and cannot show what it does: \
    signing it may give away everything this account holds. Sign it anyway.";

/// The ticks under a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confirm {
    /// "I have read the summary above and want to sign it".
    pub read: bool,
    /// The blind-signing risk ([`BLIND_RISK`]), asked only when part of the request was not decoded.
    pub blind: bool,
}

/// Where the sign screen is.
#[derive(Debug)]
enum Stage {
    /// Nothing decoded yet for the input.
    Input,
    /// `request` was decoded: its summary (or why it did not decode) is read and confirmed.
    Review {
        /// What was decoded.
        request: SignRequest,
        /// Its summary, or why it did not decode.
        summary: Result<Summary, String>,
        /// The ticks.
        confirm: Confirm,
    },
    /// `request` was signed (or the vault refused): the result is shown under its summary. Signing again takes
    /// a new decode and confirmation.
    Signed {
        /// What was signed and its summary.
        decoded: Option<(SignRequest, Result<Summary, String>)>,
        /// The signature, or why there is none.
        result: Result<SignedView, String>,
    },
}

/// Whether "Sign now" may be pressed, and if not why: what must hold before a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Everything holds: sign, allowing blind signing only when part of the request was not decoded.
    Ready(Blind),
    /// The request did not decode: there is nothing to confirm.
    NotDecoded,
    /// The key picked is not one the transaction names as a signer.
    WrongKey,
    /// The summary was not confirmed as read.
    NotConfirmed,
    /// Part of the request was not decoded and the blind-signing risk was not confirmed.
    BlindNotConfirmed,
}

/// The signing gate: whether a request whose decode gave `summary` may be signed with the key whose address is
/// `key_address` (when known) after the ticks `confirm`. A key the transaction does not name is refused; the
/// summary must be confirmed as read; content that was not decoded needs its own confirmation of the risk.
#[must_use]
pub fn signing_gate(summary: &Result<Summary, String>, key_address: Option<&str>, confirm: Confirm) -> Gate {
    let Ok(summary) = summary else { return Gate::NotDecoded };
    let blind = !summary.fully_decoded();
    if key_address.is_some_and(|a| !summary.signers.is_empty() && !summary.signers.iter().any(|s| s == a)) {
        Gate::WrongKey
    } else if !confirm.read {
        Gate::NotConfirmed
    } else if blind && !confirm.blind {
        Gate::BlindNotConfirmed
    } else {
        Gate::Ready(if blind { Blind::Allow } else { Blind::Refuse })
    }
}

/// The sign screen.
pub struct SignScreen {
    seeds: Vec<SeedChoice>,
    seed: usize,
    chain: Chain,
    kind: Kind,
    /// The account number (the account level of the path, as the chains' own wallets number accounts).
    account: u32,
    /// The address index (advanced; IOTA and Sui only, 0 is the wallets' address of the account).
    index: u32,
    input: String,
    file: String,
    network: NetworkChoice,
    custom_network: String,
    /// Decoded, reviewed, signed.
    stage: Stage,
    handout: HandOut,
    /// A message about opening a file.
    pub file_notice: Option<Result<String, String>>,
    /// A message about saving the result.
    pub save_notice: Option<Result<String, String>>,
    /// The address of the key picked (seed, chain, account, index) when the request was decoded.
    key_address: Option<((String, Chain, u32, u32), String)>,
    /// Where results are saved by default (a directory the sandbox lets Coffer write to).
    export_dir: Option<PathBuf>,
    /// The address-book entries (label, address) the decoded request names, shown beside its summary.
    known_recipients: Vec<(String, String)>,
    /// The vault's address book (public data, dropped with the screen on lock).
    address_book: Vec<coffer_core::vault::Contact>,
}

impl std::fmt::Debug for SignScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignScreen")
            .field("chain", &self.chain)
            .field("kind", &self.kind)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

/// The Stellar network for `choice` (`custom` holds a typed passphrase).
///
/// # Errors
/// When no network was picked, or the passphrase is not one.
pub fn network_of(choice: NetworkChoice, custom: &str) -> Result<Option<Network>, String> {
    match choice {
        NetworkChoice::None => Err("Choose the Stellar network this transaction is for.".into()),
        NetworkChoice::Public => Ok(Some(Network::Public)),
        NetworkChoice::Testnet => Ok(Some(Network::Testnet)),
        NetworkChoice::Futurenet => Ok(Some(Network::Futurenet)),
        NetworkChoice::Custom => Network::parse(custom).map(Some).map_err(|e| e.to_string()),
    }
}

impl SignScreen {
    /// The screen for the vault's seeds.
    #[must_use]
    pub fn new(seeds: Vec<SeedChoice>) -> Self {
        let seed = seeds.iter().position(|s| !s.compromised).unwrap_or(0);
        Self {
            seeds,
            seed,
            chain: Chain::Solana,
            kind: Kind::Transaction,
            account: 0,
            index: 0,
            input: String::new(),
            file: String::new(),
            network: NetworkChoice::None,
            custom_network: String::new(),
            stage: Stage::Input,
            handout: HandOut::default(),
            file_notice: None,
            save_notice: None,
            key_address: None,
            known_recipients: Vec::new(),
            address_book: Vec::new(),
            export_dir: None,
        }
    }

    /// Suggests saving results in `dir` (the sandbox allows writing there).
    #[must_use]
    pub fn with_export_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.export_dir = dir;
        self
    }

    /// Replaces the list of seeds (after a rename, removal or new mark), keeping the choice when it still exists.
    pub fn set_seeds(&mut self, seeds: Vec<SeedChoice>) {
        let current = self.seeds.get(self.seed).map(|s| s.label.clone());
        self.seed = current.and_then(|l| seeds.iter().position(|s| s.label == l)).unwrap_or(0);
        self.seeds = seeds;
    }

    /// The address index picked: the advanced field for chains with an index level, else 0.
    fn index(&self) -> u32 {
        if self.chain.uses_index() { self.index } else { 0 }
    }

    /// The key picked now: seed label, chain, account, index.
    #[must_use]
    pub fn selected_key(&self) -> Option<(String, Chain, u32, u32)> {
        let seed = self.seeds.get(self.seed)?;
        Some((seed.label.clone(), self.chain, self.account, self.index()))
    }

    /// Records the address of `key` (public), to compare it with the transaction's signers.
    pub fn set_key_address(&mut self, key: (String, Chain, u32, u32), address: String) {
        self.key_address = Some((key, address));
    }

    /// Puts text read from a file into the input.
    pub fn set_input(&mut self, text: String) {
        self.input = text;
        self.stage = Stage::Input;
    }

    /// The input was read from the file at `path` (or could not be).
    pub fn opened(&mut self, path: &std::path::Path, read: Result<String, String>) {
        self.file_notice = Some(match read {
            Ok(text) => {
                self.set_input(text);
                Ok(format!("Read {}.", path.display()))
            }
            Err(e) => Err(e),
        });
    }

    /// The result was saved to `path` (or could not be).
    pub fn saved(&mut self, path: &std::path::Path, saved: Result<(), String>) {
        self.save_notice = Some(saved.map(|()| format!("Saved to {}.", path.display())));
    }

    /// Shows the summary of `request` (or why it did not decode), to be confirmed.
    pub fn set_decoded(&mut self, request: SignRequest, summary: Result<Summary, String>) {
        self.known_recipients = match &summary {
            Ok(summary) => coffer_core::vault::contacts_in_summary(summary, &self.address_book)
                .into_iter()
                .map(|c| (c.label.clone(), c.address.clone()))
                .collect(),
            Err(_) => Vec::new(),
        };
        self.stage = Stage::Review { request, summary, confirm: Confirm::default() };
    }

    /// Applies the user's intent: decoding is core's pure work, done here; the rest needs the app.
    #[must_use]
    pub fn update(&mut self, intent: SignIntent) -> Option<Effect> {
        match intent {
            SignIntent::Open(path) => Some(Effect::OpenSignInput(path)),
            SignIntent::Decode(request) => {
                let decoded =
                    coffer_core::sign::decode(&request).map(|d| d.summary().clone()).map_err(|e| e.to_string());
                self.set_decoded(request, decoded);
                // The picked key's address (public), to warn before signing with a key the transaction does not
                // name: the vault derives it.
                self.selected_key().map(Effect::KeyAddress)
            }
            SignIntent::Sign { label, request, account, index, blind } => Some(Effect::Vault {
                label,
                task: VaultTask::Sign { request, account, index, blind },
                busy: "Signing and recording it in the signing log…",
            }),
            SignIntent::Copy(text) => Some(Effect::Copy(text)),
            SignIntent::Save { path, text } => Some(Effect::SaveSigned { path, text }),
        }
    }

    /// The address book's entries (public data from the vault), to name the recipients of a decoded request that
    /// are in it (`coffer_core::vault::contacts_in_summary`; the summary itself is not changed).
    pub fn set_address_book(&mut self, contacts: Vec<coffer_core::vault::Contact>) {
        self.address_book = contacts;
    }

    /// Shows the outcome of signing.
    pub fn set_signed(&mut self, result: Result<SignedView, String>) {
        if let (Ok(v), Some(dir)) = (&result, &self.export_dir) {
            let name = if v.signed_tx.is_some() { "signed-transaction" } else { "signature" };
            let n = v.signature.chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>();
            self.handout.save_path = dir.join(format!("{}-{name}-{n}.txt", self.chain)).display().to_string();
        }
        let decoded = match std::mem::replace(&mut self.stage, Stage::Input) {
            Stage::Review { request, summary, .. } => Some((request, summary)),
            Stage::Signed { decoded, .. } => decoded,
            Stage::Input => None,
        };
        self.stage = Stage::Signed { decoded, result };
        self.save_notice = None;
        self.handout.reset();
    }

    /// The result shown, if any.
    #[must_use]
    pub fn result(&self) -> Option<&Result<SignedView, String>> {
        match &self.stage {
            Stage::Signed { result, .. } => Some(result),
            _ => None,
        }
    }

    /// The request the fields describe now.
    ///
    /// # Errors
    /// When the input is empty or a Stellar network is missing or wrong.
    pub fn request(&self) -> Result<SignRequest, String> {
        if self.input.trim().is_empty() {
            return Err("Paste the transaction or message, or open a file.".into());
        }
        let payload = match self.kind {
            Kind::Transaction => Payload::Transaction(self.input.trim().to_owned()),
            Kind::Message => Payload::Message(self.input.as_bytes().to_vec()),
        };
        let mut request = SignRequest::new(self.chain, payload);
        if self.chain == Chain::Stellar
            && self.kind == Kind::Transaction
            && let Some(n) = network_of(self.network, &self.custom_network)?
        {
            request = request.with_network(n);
        }
        Ok(request)
    }

    /// The summary shown, when it is for the request the fields describe now.
    /// (`request` is what [`Self::request`] gives this frame: built once, the input may be large.)
    fn current_summary(
        &self,
        request: &Result<SignRequest, String>,
    ) -> Option<(&SignRequest, &Result<Summary, String>)> {
        let (req, summary) = match &self.stage {
            Stage::Input | Stage::Signed { decoded: None, .. } => return None,
            Stage::Review { request, summary, .. } | Stage::Signed { decoded: Some((request, summary)), .. } => {
                (request, summary)
            }
        };
        (request.as_ref().ok() == Some(req)).then_some((req, summary))
    }

    fn choices(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Seed:");
            let selected = self.seeds.get(self.seed).map(seed_text).unwrap_or_default();
            egui::ComboBox::from_id_salt("sign-seed")
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    for (i, s) in self.seeds.iter().enumerate() {
                        ui.selectable_value(&mut self.seed, i, seed_text(s));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            ui.label("Chain:");
            for chain in SIGN_CHAINS {
                ui.selectable_value(&mut self.chain, chain, chain_title(chain))
                    .on_hover_text(format!("Sign for {}", chain_title(chain)));
            }
        });
        if matches!(self.chain, Chain::Iota | Chain::Sui) {
            ui.horizontal(|ui| {
                ui.label("What:");
                ui.radio_value(&mut self.kind, Kind::Transaction, "Transaction");
                ui.radio_value(&mut self.kind, Kind::Message, "Personal message");
            });
        } else {
            self.kind = Kind::Transaction;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Account number:");
            ui.add(egui::DragValue::new(&mut self.account).range(0..=9999)).labelled_by(label.id);
            let index = AddressIndex::new(self.index());
            if let Ok(path) = AccountIndex::new(self.account).and_then(|a| self.chain.path(a, index?)) {
                ui.label(RichText::new(path.to_string()).monospace().weak());
            }
        });
        if self.chain.uses_index() {
            egui::CollapsingHeader::new("Advanced").id_salt("sign-advanced").show(ui, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Address index:");
                    ui.add(egui::DragValue::new(&mut self.index).range(0..=9999)).labelled_by(label.id);
                });
                ui.label(
                    RichText::new(
                        "The IOTA and Sui wallets use index 0 of each account; other indices are for addresses \
                         made by other tools or by older versions of Coffer.",
                    )
                    .weak(),
                );
            });
        }
        if self.chain == Chain::Stellar {
            ui.horizontal(|ui| {
                ui.label("Stellar network:");
                ui.radio_value(&mut self.network, NetworkChoice::Public, "Public");
                ui.radio_value(&mut self.network, NetworkChoice::Testnet, "Testnet");
                ui.radio_value(&mut self.network, NetworkChoice::Futurenet, "Futurenet");
                ui.radio_value(&mut self.network, NetworkChoice::Custom, "Other");
            });
            if self.network == NetworkChoice::Custom {
                ui.horizontal(|ui| {
                    let label = ui.label("Network passphrase:");
                    ui.add(egui::TextEdit::singleline(&mut self.custom_network).desired_width(420.0))
                        .labelled_by(label.id);
                });
            }
        }
    }

    /// A file dropped onto the window opens as if its path had been typed: the app reads it by path, bounded like
    /// the path input (never through the integration's unbounded `bytes()`). One file at a time.
    fn dropped(&mut self, ui: &egui::Ui) -> Option<SignIntent> {
        let (first, count) =
            ui.input(|i| (i.raw.dropped_files.first().map(|f| f.path().to_path_buf()), i.raw.dropped_files.len()));
        let path = first?;
        self.file = path.display().to_string();
        if count > 1 {
            self.file_notice = Some(Err(format!("{count} files were dropped: open one at a time.")));
            return None;
        }
        Some(SignIntent::Open(path))
    }

    fn input(&mut self, ui: &mut egui::Ui) -> Option<SignIntent> {
        let mut intent = None;
        let what = if self.kind == Kind::Message { "Message:" } else { "Unsigned transaction:" };
        let label = ui.label(what);
        ui.add(
            egui::TextEdit::multiline(&mut self.input)
                .desired_rows(4)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace)
                .hint_text("base64 (Solana also base58)"),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            let label = ui.label("Or open a file:");
            ui.add(egui::TextEdit::singleline(&mut self.file).desired_width(360.0).hint_text("/path/to/unsigned.txt"))
                .labelled_by(label.id);
            if crate::theme::secondary_enabled(ui, !self.file.trim().is_empty(), "Open file").clicked() {
                intent = Some(SignIntent::Open(PathBuf::from(self.file.trim())));
            }
        });
        if ui.input(|i| !i.raw.hovered_files.is_empty()) {
            ui.label(RichText::new("Drop the file to open it.").strong());
        } else {
            ui.label(RichText::new("You can also drop a file onto this window.").weak());
        }
        if let Some(open) = self.dropped(ui) {
            intent = Some(open);
        }
        if let Some(n) = &self.file_notice {
            match n {
                Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
            };
        }
        intent
    }

    /// Core's decoded summary of a transaction, every line (also the send screen's review).
    pub(crate) fn summary_view(ui: &mut egui::Ui, summary: &Summary) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("{} {}", summary.chain, summary.kind)).strong());
            for line in &summary.lines {
                // Long values (addresses, commands) wrap inside the window.
                ui.horizontal_top(|ui| {
                    ui.allocate_ui_with_layout(
                        egui::vec2(120.0, 0.0),
                        egui::Layout::left_to_right(egui::Align::TOP),
                        |ui| {
                            ui.set_min_width(120.0);
                            ui.label(RichText::new(&line.label).weak());
                        },
                    );
                    ui.add(egui::Label::new(RichText::new(&line.value).monospace()).wrap());
                });
            }
            if !summary.signers.is_empty() {
                ui.label(format!("To be signed by: {}", summary.signers.join(" or ")));
            }
            for w in &summary.warnings {
                ui.label(RichText::new(format!("Warning: {w}")).color(super::warn_color(ui)).strong());
            }
            for u in &summary.undecoded {
                ui.label(
                    RichText::new(format!("Not decoded: {u}"))
                        .color(super::error_color(ui))
                        .background_color(ui.visuals().extreme_bg_color)
                        .strong(),
                );
            }
            if summary.fully_decoded() {
                ui.label(RichText::new("Everything was decoded.").color(super::ok_color(ui)));
            }
        });
    }

    fn result_ui(&mut self, ui: &mut egui::Ui) -> Option<SignIntent> {
        let mut intent = None;
        let Stage::Signed { result, .. } = &self.stage else { return None };
        match result {
            Err(e) => {
                ui.label(RichText::new(format!("Not signed: {e}")).color(super::error_color(ui)));
            }
            Ok(view) => {
                let output = view.output().to_owned();
                let what = if view.signed_tx.is_some() { "Signed transaction" } else { "Signature" };
                ui.label(
                    RichText::new(format!("Signed by {} ({})", view.address, view.path)).color(super::ok_color(ui)),
                );
                if view.signed_tx.is_some() {
                    ui.label(format!("Signature: {}", view.signature));
                }
                let copy = format!("Copy {}", what.to_lowercase());
                let qr_of = what.to_lowercase();
                let texts = HandOutTexts { what, copy: &copy, qr_of: &qr_of, hint: None };
                intent = self.handout.ui(ui, &output, &texts).map(|a| match a {
                    HandOutAction::Copy(text) => SignIntent::Copy(text),
                    HandOutAction::Save { path, text } => SignIntent::Save { path, text },
                });
                if let Some(n) = &self.save_notice {
                    match n {
                        Ok(t) => ui.label(RichText::new(t).color(super::ok_color(ui))),
                        Err(t) => ui.label(RichText::new(t).color(super::error_color(ui))),
                    };
                }
            }
        }
        intent
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SignIntent> {
        ui.heading("Sign a transaction or message");
        if self.seeds.is_empty() {
            ui.label("There is no seed in the vault yet.");
            return None;
        }
        self.choices(ui);
        ui.add_space(6.0);
        let mut intent = self.input(ui);
        ui.add_space(6.0);
        let request = self.request();
        if crate::theme::primary_enabled(ui, request.is_ok(), "Decode").clicked()
            && let Ok(r) = &request
        {
            intent = Some(SignIntent::Decode(r.clone()));
        }
        if let Err(e) = &request
            && !self.input.trim().is_empty()
        {
            ui.label(RichText::new(e).color(super::warn_color(ui)));
        }
        let seed = self.seeds.get(self.seed).cloned();
        if let Some((req, summary)) = self.current_summary(&request).map(|(r, s)| (r.clone(), s.clone())) {
            match &summary {
                Err(e) => {
                    ui.label(RichText::new(format!("Cannot decode this: {e}")).color(super::error_color(ui)));
                }
                Ok(decoded) => {
                    Self::summary_view(ui, decoded);
                    for (label, address) in &self.known_recipients {
                        let label = coffer_core::vault::escape_label(label);
                        ui.label(RichText::new(format!("In your address book: {address} is {label}.")).strong());
                    }
                    if let Some(s) = &seed
                        && s.compromised
                    {
                        ui.label(
                            RichText::new(format!(
                                "{} is marked compromised: it signs nothing but migration sweeps (use Migrate).",
                                s.label
                            ))
                            .color(super::error_color(ui)),
                        );
                    }
                    let key = self.selected_key();
                    // The address of the key picked now, when the vault derived it.
                    let address = self.key_address.as_ref().filter(|(k, _)| Some(k) == key.as_ref()).map(|(_, a)| a);
                    if let Some(a) = address {
                        ui.label(format!("Signing key: {a}"));
                    }
                    let confirm = match &self.stage {
                        Stage::Review { confirm, .. } => Some(*confirm),
                        _ => None,
                    };
                    let gate = signing_gate(&summary, address.map(String::as_str), confirm.unwrap_or_default());
                    if gate == Gate::WrongKey {
                        ui.label(
                            RichText::new(
                                "This account is not a signer of this transaction: pick the seed and account it \
                                 names above.",
                            )
                            .color(super::error_color(ui))
                            .strong(),
                        );
                    }
                    if let Stage::Review { confirm, .. } = &mut self.stage {
                        ui.checkbox(&mut confirm.read, "I have read the summary above and want to sign it");
                        if !decoded.fully_decoded() {
                            ui.checkbox(&mut confirm.blind, RichText::new(BLIND_RISK).color(super::error_color(ui)));
                        }
                        // Again with this frame's ticks.
                        let gate = signing_gate(&summary, address.map(String::as_str), *confirm);
                        let ready = match gate {
                            Gate::Ready(blind) => Some(blind),
                            _ => None,
                        };
                        if crate::theme::primary_enabled(ui, ready.is_some(), "Sign now").clicked()
                            && let (Some(s), Some(blind)) = (seed, ready)
                        {
                            let (account, index) = (self.account, self.index());
                            intent = Some(SignIntent::Sign { label: s.label, request: req, account, index, blind });
                        }
                    }
                }
            }
        }
        ui.add_space(6.0);
        if let Some(i) = self.result_ui(ui) {
            intent = Some(i);
        }
        intent
    }
}

fn seed_text(s: &SeedChoice) -> String {
    if s.compromised { format!("{} (COMPROMISED)", s.label) } else { s.label.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    const STELLAR_SEED: &str = "illness spike retreat truth genius clock brain pass fit cave bargain toe";

    fn seeds() -> Vec<SeedChoice> {
        vec![
            SeedChoice { label: "Old".into(), compromised: true },
            SeedChoice { label: "Seed 1".into(), compromised: false },
        ]
    }

    /// A Stellar account merge built by core's migration builder, from account 0 of `STELLAR_SEED`.
    fn merge() -> String {
        let seed = coffer_core::Mnemonic::parse(STELLAR_SEED).unwrap().to_seed("");
        let old = Chain::Stellar.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO).unwrap().address;
        let new = Chain::Stellar.account(&seed, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap().address;
        let sweep = coffer_core::migrate::StellarSweep {
            sequence: 1,
            fee: 100,
            trustlines: Vec::new(),
            destination_exists: true,
        };
        coffer_core::migrate::build_stellar_merge(&old, &new, &sweep).unwrap()
    }

    /// A file dropped onto the window (a real egui drop event) is opened by its path, like a typed one; several at
    /// once are refused.
    #[test]
    fn a_dropped_file_opens_by_path() {
        #[derive(Debug)]
        struct Dropped(PathBuf);
        impl egui::DroppedFile for Dropped {
            fn path(&self) -> &std::path::Path {
                &self.0
            }
            fn bytes(&self) -> Result<Vec<u8>, String> {
                Err("the sign screen reads dropped files by path".into())
            }
        }
        let mut screen = SignScreen::new(seeds());
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<SignIntent>| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
                if let Some(Err(e)) = screen.file_notice.take() {
                    out.push(SignIntent::Copy(e));
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("You can also drop a file onto this window.");
        h.input_mut().hovered_files.push(egui::HoveredFile::default());
        h.step();
        h.get_by_label("Drop the file to open it.");
        h.input_mut().hovered_files.clear();
        h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped("/tmp/unsigned.txt".into())));
        h.run();
        assert_eq!(h.state(), &vec![SignIntent::Open("/tmp/unsigned.txt".into())]);
        assert_eq!(h.get_by_label("Or open a file:").value().as_deref(), Some("/tmp/unsigned.txt"));
        h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped("/tmp/a".into())));
        h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped("/tmp/b".into())));
        h.run();
        assert_eq!(h.state().len(), 2, "{:?}", h.state());
        assert_eq!(h.state()[1], SignIntent::Copy("2 files were dropped: open one at a time.".into()));
    }

    /// IOTA and Sui accounts are numbered at the account level, as their wallets number them; the address index is
    /// an advanced field.
    #[test]
    fn account_level_for_iota_and_sui_with_the_index_under_advanced() {
        let mut s = SignScreen::new(seeds());
        s.chain = Chain::Sui;
        s.account = 2;
        assert_eq!(s.selected_key(), Some(("Seed 1".into(), Chain::Sui, 2, 0)));
        type Key = Option<(String, Chain, u32, u32)>;
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 1000.0)).build_ui_state(
            move |ui, (set_index, key): &mut (Option<u32>, Key)| {
                if let Some(i) = set_index.take() {
                    s.index = i; // what typing into "Address index" does
                }
                s.ui(ui);
                *key = s.selected_key();
            },
            (None, None),
        );
        h.run();
        h.get_by_label("Account number:");
        h.get_by_label("m/44'/784'/2'/0'/0'");
        assert!(h.query_by_label("Address index:").is_none(), "the index is under Advanced");
        h.get_by_label("Advanced").click();
        h.run();
        h.get_by_label("Address index:");
        h.state_mut().0 = Some(3);
        h.run();
        h.get_by_label("m/44'/784'/2'/0'/3'");
        assert_eq!(h.state().1, Some(("Seed 1".into(), Chain::Sui, 2, 3)));
        // Solana has no index level: the index is 0 whatever the advanced field held.
        h.get_by_label("Solana").click();
        h.run();
        assert!(h.query_by_label("Address index:").is_none());
        h.get_by_label("m/44'/501'/2'/0'");
        assert_eq!(h.state().1, Some(("Seed 1".into(), Chain::Solana, 2, 0)));
    }

    /// A summary of `chain` signed by `signers`, fully decoded unless `undecoded`.
    fn summary(signers: &[&str], undecoded: bool) -> Result<Summary, String> {
        let mut m = coffer_core::migrate::transfer_message(
            &[1; 32],
            &[2; 32],
            1000,
            &coffer_core::migrate::SolanaRecent::Blockhash([7; 32]),
        );
        if undecoded {
            m[68] = 9;
        }
        let req = SignRequest::new(Chain::Solana, Payload::Transaction(b64(&m)));
        let mut s = coffer_core::sign::decode(&req).unwrap().summary().clone();
        assert_eq!(s.fully_decoded(), !undecoded);
        s.signers = signers.iter().map(|s| (*s).to_owned()).collect();
        Ok(s)
    }

    /// The signing gate, without egui: what must hold before "Sign now" is enabled.
    #[test]
    fn the_signing_gate() {
        let read = Confirm { read: true, blind: false };
        let both = Confirm { read: true, blind: true };
        let decoded = summary(&["A"], false);
        // Nothing to sign when the request did not decode, whatever is ticked.
        assert_eq!(signing_gate(&Err("bad".into()), Some("A"), both), Gate::NotDecoded);
        // The summary must be confirmed as read.
        assert_eq!(signing_gate(&decoded, Some("A"), Confirm::default()), Gate::NotConfirmed);
        assert_eq!(signing_gate(&decoded, Some("A"), read), Gate::Ready(Blind::Refuse));
        // The address is not derived yet: the transaction's own signer check (in the vault) still holds.
        assert_eq!(signing_gate(&decoded, None, read), Gate::Ready(Blind::Refuse));
        // A key the transaction does not name is refused, even confirmed; a request naming no signer names none.
        assert_eq!(signing_gate(&decoded, Some("B"), both), Gate::WrongKey);
        assert_eq!(signing_gate(&summary(&[], false), Some("B"), read), Gate::Ready(Blind::Refuse));
        // Content not decoded needs its own confirmation, and then allows blind signing.
        let blind = summary(&["A"], true);
        assert_eq!(signing_gate(&blind, Some("A"), read), Gate::BlindNotConfirmed);
        assert_eq!(signing_gate(&blind, Some("A"), Confirm { read: false, blind: true }), Gate::NotConfirmed);
        assert_eq!(signing_gate(&blind, Some("A"), both), Gate::Ready(Blind::Allow));
    }

    /// After signing, the result shows under the summary and signing again takes a new decode; new input drops
    /// both.
    #[test]
    fn stages_decode_sign_and_new_input() {
        let mut s = SignScreen::new(seeds());
        s.input = b64(&coffer_core::migrate::transfer_message(
            &[1; 32],
            &[2; 32],
            1000,
            &coffer_core::migrate::SolanaRecent::Blockhash([7; 32]),
        ));
        let request = s.request().unwrap();
        assert!(
            matches!(s.update(SignIntent::Decode(request.clone())), Some(Effect::KeyAddress(k)) if k.0 == "Seed 1")
        );
        assert!(matches!(s.stage, Stage::Review { confirm: Confirm { read: false, blind: false }, .. }));
        let view = SignedView { address: "A".into(), path: "m".into(), signature: "s".into(), signed_tx: None };
        s.set_signed(Ok(view.clone()));
        assert_eq!(s.result(), Some(&Ok(view)));
        assert!(s.current_summary(&Ok(request.clone())).is_some(), "the summary stays above the result");
        assert!(s.update(SignIntent::Decode(request)).is_some());
        assert!(s.result().is_none() && matches!(s.stage, Stage::Review { .. }));
        s.opened(std::path::Path::new("/tmp/x"), Ok("other".into()));
        assert!(matches!(s.stage, Stage::Input));
        assert_eq!(s.file_notice, Some(Ok("Read /tmp/x.".into())));
    }

    #[test]
    fn stellar_needs_a_network() {
        let mut s = SignScreen::new(seeds());
        assert_eq!(s.seeds[s.seed].label, "Seed 1", "a compromised seed is not the default");
        s.chain = Chain::Stellar;
        s.input = merge();
        assert!(s.request().unwrap_err().contains("network"));
        s.network = NetworkChoice::Custom;
        s.custom_network = "nonsense".into();
        assert!(s.request().is_err());
        s.network = NetworkChoice::Testnet;
        assert_eq!(s.request().unwrap().network, Some(Network::Testnet));
    }

    #[test]
    fn decode_confirm_sign_copy() {
        let mut screen = SignScreen::new(seeds()).with_export_dir(Some(PathBuf::from("/exports")));
        let mut h = Harness::builder().with_size(egui::vec2(1000.0, 1400.0)).build_ui_state(
            move |ui, out: &mut Vec<SignIntent>| {
                if let Some(i) = screen.ui(ui) {
                    if let SignIntent::Decode(r) = &i {
                        let d = coffer_core::sign::decode(r).map(|d| d.summary().clone()).map_err(|e| e.to_string());
                        screen.set_decoded(r.clone(), d);
                    }
                    if let SignIntent::Sign { .. } = &i {
                        screen.set_signed(Ok(SignedView {
                            address: "G...".into(),
                            path: "m/44'/148'/0'".into(),
                            signature: "c2ln".into(),
                            signed_tx: Some("AAAA".into()),
                        }));
                    }
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label("Unsigned transaction:").focus();
        h.get_by_label("Unsigned transaction:").type_text(&merge());
        h.run();
        h.get_by_label_contains("Choose the Stellar network");
        h.get_by_label("Testnet").click();
        h.run();
        h.get_by_label("Decode").click();
        h.run();
        h.get_by_label_contains("merge the account into");
        h.get_by_label("Everything was decoded.");
        assert!(h.query_by_label(BLIND_RISK).is_none(), "no blind confirmation for a decoded transaction");
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        h.get_by_label("Sign now").click();
        h.run();
        h.get_by_label("Copy signed transaction").click();
        h.run();
        h.get_by_label("Show QR code").click();
        h.run();
        h.get_by_label("QR code of the signed transaction");
        h.get_by_label("Save").click();
        h.run();
        let out = h.state();
        assert!(
            matches!(&out[1], SignIntent::Sign { label, blind: Blind::Refuse, account: 0, .. } if label == "Seed 1")
        );
        assert_eq!(out[2], SignIntent::Copy("AAAA".into()));
        assert!(
            matches!(&out[3], SignIntent::Save { text, path } if text == "AAAA" && path.starts_with("/exports")),
            "{out:?}"
        );
    }

    /// Standard base64 (the test needs no extra crate).
    fn b64(bytes: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(char::from(T[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn blind_signing_needs_its_own_confirmation() {
        // A Solana transfer whose program is not the System Program: Coffer cannot decode the instruction.
        let recent = coffer_core::migrate::SolanaRecent::Blockhash([7; 32]);
        let mut m = coffer_core::migrate::transfer_message(&[1; 32], &[2; 32], 1000, &recent);
        m[68] = 9;
        let mut screen = SignScreen::new(seeds());
        screen.input = b64(&m);
        let req = screen.request().unwrap();
        let summary = coffer_core::sign::decode(&req).unwrap().summary().clone();
        assert!(!summary.fully_decoded());
        screen.set_decoded(req, Ok(summary));
        let mut h = Harness::builder()
            .with_size(egui::vec2(1000.0, 1200.0))
            .build_ui_state(move |ui, out: &mut Vec<SignIntent>| out.extend(screen.ui(ui)), Vec::new());
        h.run();
        h.get_by_label_contains("Not decoded: ");
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        assert!(h.get_by_label("Sign now").accesskit_node().is_disabled(), "one confirmation is not enough");
        h.get_by_label(BLIND_RISK).click();
        h.run();
        h.get_by_label("Sign now").click();
        h.run();
        assert!(matches!(h.state()[..], [SignIntent::Sign { blind: Blind::Allow, .. }]));
    }

    /// The Compute Budget program's key (`ComputeBudget111111111111111111111111111111`).
    const COMPUTE_BUDGET: [u8; 32] = [
        3, 6, 70, 111, 229, 33, 23, 50, 255, 236, 173, 186, 114, 195, 155, 231, 188, 140, 229, 187, 197, 247, 18, 107,
        44, 67, 155, 58, 64, 0, 0, 0,
    ];

    #[test]
    fn the_maximum_fee_and_its_warning_are_shown() {
        // A Solana message that asks for 1 000 000 CU at 50 000 000 micro-lamports each: up to 0.05 SOL in fees.
        let mut m = vec![1, 0, 1, 2];
        m.extend([1u8; 32]);
        m.extend(COMPUTE_BUDGET);
        m.extend([7u8; 32]);
        m.extend([2, 1, 0, 5, 2]);
        m.extend(1_000_000u32.to_le_bytes());
        m.extend([1, 0, 9, 3]);
        m.extend(50_000_000u64.to_le_bytes());
        let mut screen = SignScreen::new(seeds());
        screen.input = b64(&m);
        let req = screen.request().unwrap();
        let summary = coffer_core::sign::decode(&req).unwrap().summary().clone();
        assert!(summary.to_string().contains("compute unit price 50000000"), "{summary}");
        screen.set_decoded(req, Ok(summary));
        let mut h = Harness::builder()
            .with_size(egui::vec2(1000.0, 1200.0))
            .build_ui_state(move |ui, out: &mut Vec<SignIntent>| out.extend(screen.ui(ui)), Vec::new());
        h.run();
        h.get_by_label_contains("0.050005000 SOL (50005000 lamports");
        h.get_by_label_contains("Warning: the fee payer pays up to 0.050005000 SOL");
        // A warning does not block signing once the summary is confirmed.
        h.get_by_label("I have read the summary above and want to sign it").click();
        h.run();
        h.get_by_label("Sign now").click();
        h.run();
        assert!(matches!(h.state()[..], [SignIntent::Sign { blind: Blind::Refuse, .. }]));
    }

    #[test]
    fn a_key_the_transaction_does_not_name_is_flagged() {
        let mut screen = SignScreen::new(seeds());
        screen.chain = Chain::Stellar;
        screen.network = NetworkChoice::Testnet;
        screen.input = merge();
        let req = screen.request().unwrap();
        let summary = coffer_core::sign::decode(&req).unwrap().summary().clone();
        let source = summary.signers[0].clone();
        screen.set_decoded(req, Ok(summary));
        screen.set_key_address(screen.selected_key().unwrap(), "GSOMEONEELSE".into());
        if let Stage::Review { confirm, .. } = &mut screen.stage {
            confirm.read = true;
        }
        let mut h = Harness::builder()
            .with_size(egui::vec2(1000.0, 1200.0))
            .build_ui_state(move |ui, out: &mut Vec<SignIntent>| out.extend(screen.ui(ui)), Vec::new());
        h.run();
        h.get_by_label("Signing key: GSOMEONEELSE");
        h.get_by_label_contains("This account is not a signer of this transaction");
        assert!(h.get_by_label("Sign now").accesskit_node().is_disabled());
        assert!(!source.is_empty());
    }

    #[test]
    fn raw_garbage_is_an_error_and_blind_needs_its_own_confirmation() {
        let mut screen = SignScreen::new(seeds());
        screen.chain = Chain::Sui;
        screen.input = "AAAA".into();
        let req = screen.request().unwrap();
        screen.set_decoded(req.clone(), Err("cannot decode".into()));
        let mut h = Harness::new_ui_state(move |ui, out: &mut Vec<SignIntent>| out.extend(screen.ui(ui)), Vec::new());
        h.run();
        h.get_by_label("Cannot decode this: cannot decode");
        assert!(h.query_by_label("Sign now").is_none());
    }
}
