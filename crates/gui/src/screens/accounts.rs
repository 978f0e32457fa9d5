//! Accounts: for the open seed and each chain, the derived accounts with labels, "add an account", a QR code per
//! address and a copy button. Accounts are numbered as the chains' own wallets number them (the account level of the
//! path, for IOTA and Sui too); addresses at other indices that an older version showed stay listed. Labels and the
//! number of accounts shown are stored (encrypted) in the vault.

use std::collections::{HashMap, HashSet};

use coffer_core::vault::{AccountSettings, escape_label};
use coffer_core::{Account, Chain};
use egui::RichText;

use crate::effect::{Effect, Go};
use crate::settings::NetChain;
use crate::worker::VaultTask;
use crate::worker::{CHAINS, SeedView, positions};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountsIntent {
    /// Put this address on the clipboard.
    Copy(String),
    /// Show one more account of this chain.
    Add(Chain),
    /// Name addresses: (chain, account, address index, new name; empty removes the name).
    SetLabels(Vec<(Chain, u32, u32, String)>),
    /// Show another seed of the vault.
    SwitchSeed(String),
    /// Create or import another seed.
    AddSeed,
    /// Check the written backup of the seed shown (the dry-run check).
    CheckBackup,
    /// Fetch the balances again (through the network process).
    Refresh,
    /// Open the Send page from this account.
    Send {
        /// The chain.
        chain: Chain,
        /// The account number.
        account: u32,
    },
    /// Open the Activity page of an account.
    Activity {
        /// Its name for people ("Solana account 0").
        name: String,
        /// Its address.
        address: String,
        /// Its chain.
        chain: NetChain,
    },
    /// Find which accounts of this chain were ever used (a gap scan through the network process).
    FindUsed(NetChain),
    /// Show accounts 0 to n - 1 of this chain (after a scan found account n - 1 used).
    ShowAccounts(Chain, u32),
}

/// What the network reported, for the accounts screen (public data only).
#[derive(Debug)]
pub struct OnlineView<'a> {
    /// The figures and progress.
    pub data: &'a crate::screens::online::OnlineData,
    /// The chains that are online (network on and a network process running).
    pub chains: &'a [NetChain],
    /// The network settings (which network each chain is asked about).
    pub networks: &'a std::collections::BTreeMap<NetChain, crate::settings::ChainNet>,
}

/// A derived address and the label being edited for it (public data only).
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// The account.
    pub account: Account,
    /// Its account number and address index (the index is 0 but at positions an older version showed).
    pub position: (u32, u32),
    /// The label as stored.
    pub stored: String,
    /// The label being edited.
    pub label: String,
}

/// A chain's name for people.
#[must_use]
pub fn chain_title(chain: Chain) -> &'static str {
    match chain {
        Chain::Iota => "IOTA",
        Chain::Sui => "Sui",
        Chain::IotaStardust => "IOTA Stardust (legacy)",
        Chain::Solana => "Solana",
        Chain::Stellar => "Stellar",
        _ => "Raw",
    }
}

/// The name of the address at `position` (account, index) of the chain titled `title`: "IOTA account 1", or
/// "IOTA account 0 · address 2" for an address index an older version showed.
#[must_use]
pub fn row_name(title: &str, (account, index): (u32, u32)) -> String {
    if index == 0 {
        format!("{title} account {account}")
    } else {
        format!("{title} account {account} · address {index}")
    }
}

/// The rows for a seed view, with stored labels.
#[must_use]
pub fn rows_of(view: &SeedView) -> Vec<(Chain, Vec<AccountRow>)> {
    view.accounts
        .iter()
        .map(|(chain, accounts)| {
            let rows = accounts
                .iter()
                .zip(positions(&view.settings, *chain))
                .map(|(account, (a, i))| {
                    let stored = view
                        .settings
                        .labels
                        .iter()
                        .find(|l| (l.chain, l.account, l.index) == (*chain, a, i))
                        .map(|l| l.label.clone())
                        .unwrap_or_default();
                    AccountRow { account: account.clone(), position: (a, i), label: stored.clone(), stored }
                })
                .collect();
            (*chain, rows)
        })
        .collect()
}

/// The accounts screen.
pub struct AccountsScreen {
    view: SeedView,
    selected: Chain,
    rows: Vec<(Chain, Vec<AccountRow>)>,
    qr_open: HashSet<String>,
    qr_textures: HashMap<String, egui::TextureHandle>,
    /// The request amount typed under each open QR code, by address.
    amounts: HashMap<String, String>,
}

impl std::fmt::Debug for AccountsScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountsScreen")
            .field("seed", &self.view.info.label)
            .field("selected", &self.selected)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl AccountsScreen {
    /// The screen for a seed.
    #[must_use]
    pub fn new(view: SeedView) -> Self {
        let rows = rows_of(&view);
        Self {
            view,
            selected: Chain::Iota,
            rows,
            qr_open: HashSet::new(),
            qr_textures: HashMap::new(),
            amounts: HashMap::new(),
        }
    }

    /// Shows a new view of the same or another seed, keeping the chain tab and open QR codes.
    pub fn replace_view(&mut self, view: SeedView) {
        self.rows = rows_of(&view);
        self.view = view;
    }

    /// The label of the seed shown.
    #[must_use]
    pub fn seed_label(&self) -> &str {
        &self.view.info.label
    }

    /// The number of words of the seed shown.
    #[must_use]
    pub fn word_count(&self) -> usize {
        self.view.info.word_count
    }

    /// The seed's account settings as stored.
    #[must_use]
    pub fn settings(&self) -> &AccountSettings {
        &self.view.settings
    }

    /// The addresses shown for `chain`.
    #[must_use]
    pub fn addresses(&self, chain: Chain) -> Vec<&str> {
        self.rows
            .iter()
            .find(|(c, _)| *c == chain)
            .map(|(_, r)| r.iter().map(|a| a.account.address.as_str()).collect())
            .unwrap_or_default()
    }

    fn seed_header(&self, ui: &mut egui::Ui) -> Option<AccountsIntent> {
        let mut intent = None;
        let info = &self.view.info;
        ui.horizontal(|ui| {
            let label = ui.label("Seed:");
            if self.view.all.len() > 1 {
                egui::ComboBox::from_id_salt("accounts-seed")
                    .selected_text(escape_label(&info.label))
                    .show_ui(ui, |ui| {
                        for s in &self.view.all {
                            if ui.selectable_label(*s == info.label, escape_label(s)).clicked() && *s != info.label {
                                intent = Some(AccountsIntent::SwitchSeed(s.clone()));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            } else {
                ui.label(RichText::new(escape_label(&info.label)).strong());
            }
            if info.compromised {
                ui.label(RichText::new(super::seeds::COMPROMISED_BADGE).color(super::error_color(ui)).strong());
            }
            if crate::theme::secondary(ui, "Add a seed").clicked() {
                intent = Some(AccountsIntent::AddSeed);
            }
        });
        let mut facts = vec![format!("{} words", info.word_count)];
        if info.has_passphrase {
            facts.push("with a BIP39 passphrase".into());
        }
        facts.push(if info.backup_checked { "backup checked".into() } else { "backup not checked yet".into() });
        ui.horizontal(|ui| {
            ui.label(facts.join(" · "));
            if crate::theme::secondary(ui, "Check backup").clicked() {
                intent = Some(AccountsIntent::CheckBackup);
            }
        });
        if info.compromised {
            ui.label(
                RichText::new("This seed is marked compromised: move its funds to a fresh seed.")
                    .color(super::error_color(ui)),
            );
        }
        intent
    }

    /// Draws the screen (offline).
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<AccountsIntent> {
        self.ui_online(ui, None)
    }

    /// Draws the screen with what the network reported, if the network is on for some chain.
    pub fn ui_online(&mut self, ui: &mut egui::Ui, online: Option<&OnlineView<'_>>) -> Option<AccountsIntent> {
        ui.heading("Accounts");
        let mut intent = self.seed_header(ui);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for chain in CHAINS {
                crate::theme::chain_icon(ui, chain, 18.0);
                ui.selectable_value(&mut self.selected, chain, chain_title(chain));
                ui.add_space(6.0);
            }
        });
        ui.separator();
        let chain = self.selected;
        let title = chain_title(chain);
        let served = NetChain::of(chain);
        let live = online.filter(|o| served.is_some_and(|c| o.chains.contains(&c)));
        if let Some(o) = online {
            ui.horizontal(|ui| match (served, live) {
                (Some(c), Some(_)) => {
                    let network = o.networks.get(&c).map_or("mainnet", |n| n.network.name());
                    ui.label(format!("Balances on {title} {network}, asked through the network process."));
                    let busy = o.data.progress.is_some();
                    if crate::theme::secondary_enabled(ui, !busy, "Refresh balances").clicked() {
                        intent = Some(AccountsIntent::Refresh);
                    }
                    if let Some(p) = o.data.progress_text() {
                        ui.label(p);
                    }
                    let r = crate::theme::secondary_enabled(ui, !busy, "Find used accounts").on_hover_text(
                        "Ask the network which accounts of this seed were ever used (any history or balance), \
                         from account 0 until several unused ones in a row",
                    );
                    if r.clicked() {
                        intent = Some(AccountsIntent::FindUsed(c));
                    }
                }
                (Some(_), None) => {
                    ui.label(
                        RichText::new(format!("Balances: the network is off for {title} (Settings, Network).")).weak(),
                    );
                }
                (None, _) => {
                    ui.label(RichText::new(format!("Coffer cannot ask the network about {title} yet.")).weak());
                }
            });
        }
        if let (Some(o), Some(c)) = (live, served)
            && let Some(found) = o.data.discovery.get(&(self.view.info.label.clone(), c))
            && let Some(i) = discovery_ui(ui, chain, found, crate::worker::shown(&self.view.settings, chain))
        {
            intent = Some(i);
        }
        let stellar_testnet = online
            .and_then(|o| o.networks.get(&NetChain::Stellar))
            .is_some_and(|n| n.on && n.network == coffer_net_proto::Network::Testnet);
        let mut editing = None;
        let rows = self.rows.iter_mut().find(|(c, _)| *c == chain).map(|(_, r)| r)?;
        let problems: Vec<Option<String>> = (0..rows.len()).map(|i| label_problem(rows, i)).collect();
        for (row, problem) in rows.iter_mut().zip(problems) {
            let name = row_name(title, row.position);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let r = ui
                        .add(egui::TextEdit::singleline(&mut row.label).hint_text(name.as_str()).desired_width(220.0))
                        .accessible_name(format!("Label of {name}"));
                    if r.has_focus() {
                        editing = Some((chain, row.position));
                    }
                    ui.label(RichText::new(row.account.path.to_string()).monospace().weak());
                });
                if let Some(p) = &problem {
                    ui.label(RichText::new(format!("This label is not saved: {p}.")).color(super::error_color(ui)));
                }
                ui.label(RichText::new(&row.account.address).monospace());
                if let (Some(o), Some(c)) = (live, served) {
                    let network = o.networks.get(&c).map_or(coffer_net_proto::Network::Mainnet, |n| n.network);
                    let target = crate::net::Target { chain: c, network, address: row.account.address.clone() };
                    super::online::holdings_ui(ui, &name, o.data.holdings.get(&target));
                }
                ui.horizontal(|ui| {
                    if crate::theme::secondary(ui, "Copy address").accessible_name(format!("Copy {name}")).clicked() {
                        intent = Some(AccountsIntent::Copy(row.account.address.clone()));
                    }
                    if row.position.1 == 0
                        && crate::screens::send::SEND_CHAINS.contains(&chain)
                        && crate::theme::secondary(ui, "Send…").accessible_name(format!("Send from {name}")).clicked()
                    {
                        intent = Some(AccountsIntent::Send { chain, account: row.position.0 });
                    }
                    if let (Some(_), Some(c)) = (live, served.filter(|c| c.has_activity())) {
                        let button =
                            crate::theme::secondary(ui, "Activity").accessible_name(format!("Activity of {name}"));
                        if button.clicked() {
                            intent = Some(AccountsIntent::Activity {
                                name: name.clone(),
                                address: row.account.address.clone(),
                                chain: c,
                            });
                        }
                    }
                    let open = self.qr_open.contains(&row.account.address);
                    let text = if open { "Hide QR code" } else { "Show QR code" };
                    if crate::theme::secondary(ui, text).accessible_name(format!("{text} of {name}")).clicked() {
                        if open {
                            self.qr_open.remove(&row.account.address);
                        } else {
                            self.qr_open.insert(row.account.address.clone());
                        }
                    }
                });
                if self.qr_open.contains(&row.account.address) {
                    let address = &row.account.address;
                    let amount = self.amounts.entry(address.clone()).or_default();
                    let shown = receive_ui(ui, chain, &name, address, amount, stellar_testnet);
                    if !self.qr_textures.contains_key(&shown)
                        && let Some(img) = crate::qr::qr_image(&shown)
                    {
                        let tex = ui.ctx().load_texture(format!("qr-{shown}"), img, egui::TextureOptions::NEAREST);
                        self.qr_textures.insert(shown.clone(), tex);
                    }
                    if let Some(tex) = self.qr_textures.get(&shown) {
                        ui.add(
                            egui::Image::from_texture(tex)
                                .fit_to_exact_size(egui::vec2(200.0, 200.0))
                                .alt_text(format!("QR code of {name}")),
                        );
                    }
                }
            });
        }
        ui.add_space(6.0);
        if crate::theme::secondary(ui, format!("Add {title} account")).clicked() {
            intent = Some(AccountsIntent::Add(chain));
        }
        if intent.is_none() {
            intent = self.edited_labels(editing).map(AccountsIntent::SetLabels);
        }
        intent
    }

    /// Labels changed and no longer being edited (the field lost focus, or its tab was left). They are shown as
    /// saved at once; the vault's answer replaces the view (or reports an error).
    fn edited_labels(&mut self, editing: Option<(Chain, (u32, u32))>) -> Option<Vec<(Chain, u32, u32, String)>> {
        let mut out = Vec::new();
        for (chain, rows) in &mut self.rows {
            let problems: Vec<bool> = (0..rows.len()).map(|i| label_problem(rows, i).is_some()).collect();
            for (row, problem) in rows.iter_mut().zip(problems) {
                // A label the vault would refuse stays in its field, with the reason shown, and is not sent.
                if row.label.trim() != row.stored && editing != Some((*chain, row.position)) && !problem {
                    row.stored = row.label.trim().to_owned();
                    let (account, index) = row.position;
                    out.push((*chain, account, index, row.stored.clone()));
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// The receive view under an open QR code: a request-amount field and, where the chain has a payment-request URI
/// (Solana Pay, SEP-7: [`coffer_core::receive`]) and an amount is typed, the URI; returns the text the QR code
/// encodes (the URI, or the address when no amount is typed, the chain has no URI form or the amount is not valid).
fn receive_ui(
    ui: &mut egui::Ui,
    chain: Chain,
    name: &str,
    address: &str,
    amount: &mut String,
    testnet: bool,
) -> String {
    ui.horizontal(|ui| {
        let l = ui.label("Request amount:");
        ui.add(egui::TextEdit::singleline(amount).hint_text("any").desired_width(120.0))
            .labelled_by(l.id)
            .on_hover_text(format!("Amount to request on {name}, in {}", chain_title(chain)));
    });
    let typed = amount.trim();
    if typed.is_empty() {
        // Without an amount the QR code holds the bare address, as every wallet and exchange reads it.
        ui.label(RichText::new("The QR code holds the address; type an amount for a payment request.").weak());
        return address.to_owned();
    }
    match coffer_core::receive::payment_uri(chain, address, Some(typed), testnet) {
        Ok(Some(uri)) => {
            let kind = if chain == Chain::Solana { "Solana Pay request" } else { "SEP-7 payment request" };
            ui.label(RichText::new(format!("QR code of a {kind}:")).weak());
            ui.label(RichText::new(&uri).monospace()).on_hover_text("The payment-request URI the QR code holds");
            uri
        }
        Ok(None) => {
            let decimals = coffer_core::receive::native_decimals(chain);
            let valid =
                typed.is_empty() || coffer_core::receive::parse_amount(typed, decimals, u128::from(u64::MAX)).is_ok();
            let text = if valid {
                format!(
                    "{} has no payment-request URI: the QR code holds the address only; tell the payer the amount.",
                    chain_title(chain)
                )
            } else {
                format!("Not an amount in {}: a number such as 1.5.", chain_title(chain))
            };
            ui.label(RichText::new(text).weak());
            address.to_owned()
        }
        Err(e) => {
            ui.label(RichText::new(format!("Amount not usable: {e}.")).color(super::error_color(ui)));
            address.to_owned()
        }
    }
}

/// The state of a discovery scan of `chain`; offers to show the found accounts when some are not shown yet
/// (`shown` accounts are).
fn discovery_ui(
    ui: &mut egui::Ui,
    chain: Chain,
    found: &crate::screens::online::DiscoveryState,
    shown: u32,
) -> Option<AccountsIntent> {
    use crate::screens::online::DiscoveryState;
    let mut intent = None;
    match found {
        DiscoveryState::Scanning(n) => {
            ui.label(format!("Finding used accounts: {n} asked so far…"));
        }
        DiscoveryState::Failed(e) => {
            ui.label(RichText::new(format!("Finding used accounts failed: {e}")).color(super::error_color(ui)));
        }
        DiscoveryState::Done(d, endpoint) => {
            let list: Vec<String> = d.used.iter().map(ToString::to_string).collect();
            let text = if list.is_empty() {
                format!("No used {} account found ({} asked; reported by {endpoint}).", chain_title(chain), d.scanned)
            } else {
                format!(
                    "Used {} accounts: {} ({} asked; reported by {endpoint}).",
                    chain_title(chain),
                    list.join(", "),
                    d.scanned
                )
            };
            ui.label(text);
            if let Some(last) = d.used.last()
                && last + 1 > shown
                && crate::theme::secondary(ui, format!("Show accounts 0 to {last}")).clicked()
            {
                intent = Some(AccountsIntent::ShowAccounts(chain, last + 1));
            }
        }
    }
    intent
}

/// Why the vault would refuse the label being typed in `rows[i]` ([`coffer_core::vault::check_new_label`] against
/// the other labels of the chain), if it changed.
fn label_problem(rows: &[AccountRow], i: usize) -> Option<String> {
    let text = rows[i].label.trim();
    if text.is_empty() || text == rows[i].stored {
        return None;
    }
    let others =
        rows.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, r)| r.label.trim()).filter(|l| !l.is_empty());
    coffer_core::vault::check_new_label(text, others).err().map(|e| match e {
        coffer_core::vault::VaultError::DuplicateLabel { label } => format!("another address is labelled {label:?}"),
        other => other.to_string(),
    })
}

impl AccountsScreen {
    /// Applies the user's intent.
    #[must_use]
    pub fn update(&mut self, intent: AccountsIntent) -> Option<Effect> {
        let label = self.seed_label().to_owned();
        Some(match intent {
            AccountsIntent::Copy(address) => Effect::Copy(address),
            AccountsIntent::Add(chain) => Effect::Vault {
                label,
                task: VaultTask::SetAccountSettings(crate::worker::with_one_more(self.settings(), chain)),
                busy: "Saving…",
            },
            AccountsIntent::SetLabels(names) => {
                let mut settings = self.settings().clone();
                for (chain, account, index, name) in &names {
                    settings = crate::worker::with_label(&settings, *chain, *account, *index, name);
                }
                Effect::Vault { label, task: VaultTask::SetAccountSettings(settings), busy: "Saving…" }
            }
            AccountsIntent::SwitchSeed(label) => {
                Effect::Vault { label, task: VaultTask::Show, busy: "Opening the seed…" }
            }
            AccountsIntent::AddSeed => Effect::Go(Go::AddSeed),
            AccountsIntent::CheckBackup => Effect::Go(Go::CheckBackup { label, words: self.word_count() }),
            AccountsIntent::Refresh => Effect::FetchBalances,
            AccountsIntent::Send { chain, account } => Effect::OpenSend { label, chain, account },
            AccountsIntent::Activity { name, address, chain } => Effect::OpenActivity { name, address, chain },
            AccountsIntent::FindUsed(chain) => Effect::FindUsed(chain),
            AccountsIntent::ShowAccounts(chain, n) => {
                let mut settings = self.settings().clone();
                while crate::worker::shown(&settings, chain) < n.min(coffer_core::discover::MAX_ACCOUNT + 1) {
                    settings = crate::worker::with_one_more(&settings, chain);
                }
                Effect::Vault { label, task: VaultTask::SetAccountSettings(settings), busy: "Saving…" }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::SeedSummary;
    use coffer_core::{AccountIndex, AddressIndex, Mnemonic};
    use egui_kittest::{Harness, kittest::Queryable};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    fn view(labels: bool) -> SeedView {
        let mut settings = AccountSettings::default();
        settings = crate::worker::with_one_more(&settings, Chain::Iota);
        if labels {
            settings = crate::worker::with_label(&settings, Chain::Iota, 1, 0, "Savings");
        }
        view_of(settings)
    }

    fn view_of(settings: AccountSettings) -> SeedView {
        let seed = Mnemonic::parse(ABOUT).unwrap().to_seed("");
        let accounts = CHAINS
            .iter()
            .map(|&c| {
                let list = positions(&settings, c)
                    .into_iter()
                    .map(|(a, i)| {
                        c.account(&seed, AccountIndex::new(a).unwrap(), AddressIndex::new(i).unwrap()).unwrap()
                    })
                    .collect();
                (c, list)
            })
            .collect();
        let info = SeedSummary {
            label: "Seed 1".into(),
            word_count: 12,
            has_passphrase: false,
            compromised: false,
            backup_checked: true,
        };
        SeedView { info, all: vec!["Seed 1".into()], settings, accounts }
    }

    #[test]
    fn copy_add_label_and_qr() {
        let v = view(true);
        let iota0 = v.accounts[0].1[0].address.clone();
        let stellar0 = v.accounts[4].1[0].address.clone();
        let mut screen = AccountsScreen::new(v);
        assert_eq!(screen.addresses(Chain::Iota).len(), 2);
        assert_eq!(screen.seed_label(), "Seed 1");
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label_contains("backup checked");
        h.get_by_label(&iota0);
        assert_eq!(h.get_by_label("Label of IOTA account 1").value().as_deref(), Some("Savings"));
        h.get_by_label("Copy IOTA account 0").click();
        h.run();
        h.get_by_label("Add IOTA account").click();
        h.run();
        let f = h.get_by_label("Label of IOTA account 0");
        f.focus();
        f.type_text("Daily");
        h.run();
        h.get_by_label("Show QR code of IOTA account 0").click();
        h.run();
        h.get_by_label("Hide QR code of IOTA account 0");
        h.get_by_label("QR code of IOTA account 0");
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label(&stellar0);
        h.get_by_label("Add Stellar account").click();
        h.run();
        h.get_by_label("Add a seed").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                AccountsIntent::Copy(iota0),
                AccountsIntent::Add(Chain::Iota),
                AccountsIntent::SetLabels(vec![(Chain::Iota, 0, 0, "Daily".into())]),
                AccountsIntent::Add(Chain::Stellar),
                AccountsIntent::AddSeed,
            ]
        );
    }

    /// With the network on for Solana: the figures under the address with their endpoint, Refresh and Activity;
    /// a chain that is off says so, and IOTA Stardust (not served) says Coffer cannot ask about it.
    #[test]
    fn online_figures_refresh_and_activity() {
        let v = view(false);
        let sol0 = v.accounts[3].1[0].address.clone();
        let mut screen = AccountsScreen::new(v);
        let mut data = crate::screens::online::OnlineData::default();
        let network = coffer_net_proto::Network::Devnet;
        data.holdings.insert(
            crate::net::Target { chain: NetChain::Solana, network, address: sol0.clone() },
            Ok(crate::net::Holdings {
                native: "2.5 SOL".into(),
                other: Vec::new(),
                endpoint: "https://api.devnet.solana.com".into(),
                at: std::time::SystemTime::UNIX_EPOCH,
            }),
        );
        let mut networks = std::collections::BTreeMap::new();
        networks.insert(NetChain::Solana, crate::settings::ChainNet { on: true, network, endpoint: String::new() });
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                let online = OnlineView { data: &data, chains: &[NetChain::Solana], networks: &networks };
                if let Some(i) = screen.ui_online(ui, Some(&online)) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("Balances: the network is off for IOTA (Settings, Network).");
        h.get_by_label("Sui").click();
        h.run();
        h.get_by_label("Balances: the network is off for Sui (Settings, Network).");
        h.get_by_label("IOTA Stardust (legacy)").click();
        h.run();
        h.get_by_label("Coffer cannot ask the network about IOTA Stardust (legacy) yet.");
        h.get_by_label("Solana").click();
        h.run();
        h.get_by_label("Balances on Solana devnet, asked through the network process.");
        h.get_by_label("Balance: 2.5 SOL");
        h.get_by_label("reported by https://api.devnet.solana.com at 00:00:00 UTC");
        h.get_by_label("Refresh balances").click();
        h.run();
        h.get_by_label("Activity of Solana account 0").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![
                AccountsIntent::Refresh,
                AccountsIntent::Activity { name: "Solana account 0".into(), address: sol0, chain: NetChain::Solana },
            ]
        );
    }

    /// "Find used accounts" asks for a scan; its progress and result are shown, with a button to show the found
    /// accounts when some are not shown yet.
    #[test]
    fn find_used_accounts_shows_progress_and_what_was_found() {
        use crate::screens::online::DiscoveryState;
        let mut screen = AccountsScreen::new(view(false));
        let mut data = crate::screens::online::OnlineData::default();
        let network = coffer_net_proto::Network::Devnet;
        let found = coffer_core::discover::Discovery { used: vec![0, 2], scanned: 7, capped: false };
        data.discovery
            .insert(("Seed 1".into(), NetChain::Solana), DiscoveryState::Done(found, "http://127.0.0.1:8899".into()));
        data.discovery.insert(("Seed 1".into(), NetChain::Stellar), DiscoveryState::Scanning(3));
        let mut networks = std::collections::BTreeMap::new();
        for c in [NetChain::Solana, NetChain::Stellar] {
            networks.insert(c, crate::settings::ChainNet { on: true, network, endpoint: String::new() });
        }
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                let chains = [NetChain::Solana, NetChain::Stellar];
                let online = OnlineView { data: &data, chains: &chains, networks: &networks };
                if let Some(i) = screen.ui_online(ui, Some(&online)) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label("Finding used accounts: 3 asked so far…");
        h.get_by_label("Solana").click();
        h.run();
        h.get_by_label("Used Solana accounts: 0, 2 (7 asked; reported by http://127.0.0.1:8899).");
        h.get_by_label("Find used accounts").click();
        h.run();
        h.get_by_label("Show accounts 0 to 2").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![AccountsIntent::FindUsed(NetChain::Solana), AccountsIntent::ShowAccounts(Chain::Solana, 3)]
        );
    }

    /// The receive view: an amount makes the QR code a Solana Pay or SEP-7 request (the URI is shown); a bad amount
    /// says why and the QR code keeps the address; Sui has no URI form and says so.
    #[test]
    fn receive_with_a_request_amount() {
        let v = view(false);
        let sol0 = v.accounts[3].1[0].address.clone();
        let xlm0 = v.accounts[4].1[0].address.clone();
        let mut screen = AccountsScreen::new(v);
        let mut h = Harness::new_ui_state(
            move |ui, _: &mut ()| {
                let _ = screen.ui(ui);
            },
            (),
        );
        h.run();
        h.get_by_label("Solana").click();
        h.run();
        h.get_by_label("Show QR code of Solana account 0").click();
        h.run();
        h.get_by_label("The QR code holds the address; type an amount for a payment request.");
        h.get_by_label("QR code of Solana account 0");
        let amount = h.get_by_label("Request amount:");
        amount.focus();
        amount.type_text("1.25");
        h.run();
        h.get_by_label("QR code of a Solana Pay request:");
        h.get_by_label(&format!("solana:{sol0}?amount=1.25"));
        let amount = h.get_by_label("Request amount:");
        amount.focus();
        amount.type_text("0000000001");
        h.run();
        h.get_by_label("Amount not usable: the amount has more than 9 decimal places.");
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label("Show QR code of Stellar account 0").click();
        h.run();
        let amount = h.get_by_label("Request amount:");
        amount.focus();
        amount.type_text("12.5");
        h.run();
        h.get_by_label("QR code of a SEP-7 payment request:");
        h.get_by_label(&format!("web+stellar:pay?destination={xlm0}&amount=12.5"));
        h.get_by_label("Sui").click();
        h.run();
        h.get_by_label("Show QR code of Sui account 0").click();
        h.run();
        let amount = h.get_by_label("Request amount:");
        amount.focus();
        amount.type_text("2");
        h.run();
        h.get_by_label(
            "Sui has no payment-request URI: the QR code holds the address only; tell the payer the amount.",
        );
    }

    #[test]
    fn a_label_the_vault_would_refuse_shows_why_and_is_not_sent() {
        let mut screen = AccountsScreen::new(view(true));
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        let f = h.get_by_label("Label of IOTA account 0");
        f.focus();
        f.type_text("SAVINGS");
        h.run();
        h.get_by_label_contains("looks the same as the existing label");
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label("IOTA").click();
        h.run();
        let f = h.get_by_label("Label of IOTA account 0");
        assert_eq!(f.value().as_deref(), Some("SAVINGS"), "kept in its field");
        f.focus();
        f.type_text("\u{202E}");
        h.run();
        h.get_by_label_contains("invisible or text-direction characters");
        h.get_by_label("Stellar").click();
        h.run();
        assert!(h.state().is_empty(), "nothing is sent: {:?}", h.state());
    }

    /// Settings as an older version saved them (IOTA's address index stepped to 3, a label on account 0's address
    /// 2): every one of those addresses is still listed, with its label and its path, beside the accounts.
    #[test]
    fn addresses_an_older_version_showed_are_listed() {
        use coffer_core::vault::{AccountLabel, ChainView};
        let settings = AccountSettings {
            views: vec![ChainView { chain: Chain::Iota, accounts: 2, indices: 3 }],
            labels: vec![AccountLabel { chain: Chain::Iota, account: 0, index: 2, label: "Old savings".into() }],
        };
        let seed = Mnemonic::parse(ABOUT).unwrap().to_seed("");
        let at = |a, i| {
            Chain::Iota.account(&seed, AccountIndex::new(a).unwrap(), AddressIndex::new(i).unwrap()).unwrap().address
        };
        let mut screen = AccountsScreen::new(view_of(settings));
        assert_eq!(screen.addresses(Chain::Iota), [at(0, 0), at(0, 1), at(0, 2), at(1, 0)]);
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label(&at(0, 1));
        h.get_by_label("m/44'/4218'/0'/0'/1'");
        assert_eq!(h.get_by_label("Label of IOTA account 0 · address 2").value().as_deref(), Some("Old savings"));
        h.get_by_label("Copy IOTA account 1");
        let f = h.get_by_label("Label of IOTA account 0 · address 1");
        f.focus();
        f.type_text("Daily");
        h.run();
        h.get_by_label("Sui").click();
        h.run();
        assert_eq!(h.state(), &vec![AccountsIntent::SetLabels(vec![(Chain::Iota, 0, 1, "Daily".into())])]);
    }
}
