//! Home: what needs attention (a backup not checked, a migration in progress, a signature this vault did not make),
//! each with a button that goes there; then per seed what it holds on each chain, when the network is on for that
//! chain (public data only: the app builds this from the open vault's public facts and the network's answers).

use coffer_core::Chain;
use egui::RichText;

use super::accounts::chain_title;
use super::online::OnlineData;
use crate::effect::{Effect, Go, Page};
use crate::net::{Alert, Target};
use crate::theme;

/// One account of a seed on the home screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeAccount {
    /// "Solana account 0".
    pub name: String,
    /// What to ask the network about (`None`: the network is off for this chain).
    pub target: Option<Target>,
}

/// A seed on the home screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeSeed {
    /// The label.
    pub label: String,
    /// Marked compromised.
    pub compromised: bool,
    /// Its accounts per chain, in the accounts screen's order.
    pub chains: Vec<(Chain, Vec<HomeAccount>)>,
}

/// Something the user should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attention {
    /// The written backup of this seed was never checked.
    Backup {
        /// The seed.
        label: String,
        /// Its number of words.
        words: usize,
    },
    /// A migration away from this compromised seed is under way.
    Migration {
        /// The compromised seed.
        from: String,
        /// The fresh seed.
        to: String,
    },
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeIntent {
    /// Check the backup of this seed.
    CheckBackup {
        /// The seed.
        label: String,
        /// Its number of words.
        words: usize,
    },
    /// Open the migration wizard.
    OpenMigration,
    /// Open the activity of this watched address of this chain (an alert names it).
    OpenActivity(crate::settings::NetChain, String),
    /// Open this seed's accounts.
    OpenSeed(String),
    /// Ask the network again.
    Refresh,
}

/// The home screen.
#[derive(Debug, Default)]
pub struct HomeScreen {
    /// The vault's seeds.
    pub seeds: Vec<HomeSeed>,
    /// What needs attention in the vault (alerts come live from the network).
    pub attention: Vec<Attention>,
}

impl HomeScreen {
    /// Every address to ask the network about.
    #[must_use]
    pub fn targets(&self) -> Vec<Target> {
        self.seeds.iter().flat_map(|s| &s.chains).flat_map(|(_, a)| a).filter_map(|a| a.target.clone()).collect()
    }

    /// Draws the screen. `online`: what the network reported (`None`: no network process runs).
    pub fn ui(&self, ui: &mut egui::Ui, online: Option<&OnlineData>) -> Option<HomeIntent> {
        let mut intent = None;
        ui.heading("Overview");
        ui.add_space(4.0);
        let alerts: &[Alert] = online.map_or(&[], |o| o.alerts.as_slice());
        let mut alerted: Vec<&Target> = Vec::new();
        for a in alerts {
            if !alerted.contains(&&a.target) {
                alerted.push(&a.target);
            }
        }
        if self.attention.is_empty() && alerted.is_empty() {
            ui.label(RichText::new("Nothing needs your attention.").color(super::ok_color(ui)));
        } else {
            ui.label(theme::section("Needs your attention"));
            for item in &self.attention {
                card(ui, |ui| match item {
                    Attention::Backup { label, words } => {
                        ui.label(format!("{label}: backup not checked yet."));
                        ui.label(
                            RichText::new(
                                "Type your written words once to make sure they restore this seed: a miscopied word \
                                 is found now rather than when you need it.",
                            )
                            .weak(),
                        );
                        if theme::secondary(ui, format!("Check the backup of {label}")).clicked() {
                            intent = Some(HomeIntent::CheckBackup { label: label.clone(), words: *words });
                        }
                    }
                    Attention::Migration { from, to } => {
                        ui.label(format!("A migration from {from} to {to} is in progress."));
                        if theme::secondary(ui, format!("Continue the migration from {from}")).clicked() {
                            intent = Some(HomeIntent::OpenMigration);
                        }
                    }
                });
            }
            for t in alerted {
                card(ui, |ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} ({}): a transaction was signed by its key but not by this vault.",
                            t.address,
                            super::online::title(t.chain)
                        ))
                        .color(super::error_color(ui))
                        .strong(),
                    );
                    if theme::secondary(ui, format!("Open the activity of {}", short(&t.address))).clicked() {
                        intent = Some(HomeIntent::OpenActivity(t.chain, t.address.clone()));
                    }
                });
            }
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            ui.label(theme::section("Your seeds"));
            if online.is_some() && !self.targets().is_empty() && theme::secondary(ui, "Refresh balances").clicked() {
                intent = Some(HomeIntent::Refresh);
            }
        });
        if self.seeds.is_empty() {
            ui.label("There is no seed in the vault yet.");
        }
        if online.is_none() {
            ui.label(
                RichText::new("Coffer is offline: turn the network on in Settings to see what each seed holds.").weak(),
            );
        }
        for seed in &self.seeds {
            card(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&seed.label).strong().size(17.0));
                    if seed.compromised {
                        ui.label(RichText::new("COMPROMISED").color(super::error_color(ui)).strong());
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if theme::secondary(ui, format!("Open {}", seed.label)).clicked() {
                            intent = Some(HomeIntent::OpenSeed(seed.label.clone()));
                        }
                    });
                });
                for (chain, accounts) in &seed.chains {
                    ui.horizontal_top(|ui| {
                        theme::chain_icon(ui, *chain, 22.0).on_hover_text(chain_title(*chain));
                        ui.vertical(|ui| {
                            let count = accounts.len();
                            let s = if count == 1 { "" } else { "s" };
                            ui.label(format!("{}: {count} account{s}", chain_title(*chain)));
                            for a in accounts {
                                let Some(t) = &a.target else { continue };
                                let text = match online.and_then(|o| o.holdings.get(t)) {
                                    None => format!("{}: not fetched yet", a.name),
                                    Some(Err(e)) => format!("{}: unavailable ({e})", a.name),
                                    Some(Ok(h)) if h.other.is_empty() => format!("{}: {}", a.name, h.native),
                                    Some(Ok(h)) => format!("{}: {} and {}", a.name, h.native, h.other.join(", ")),
                                };
                                ui.label(RichText::new(text).weak());
                            }
                        });
                    });
                }
            });
        }
        intent
    }

    /// Applies the user's intent: every one leads to another screen or to the network.
    #[must_use]
    pub fn update(&mut self, intent: HomeIntent) -> Option<Effect> {
        Some(match intent {
            HomeIntent::CheckBackup { label, words } => Effect::Go(Go::CheckBackup { label, words }),
            HomeIntent::OpenMigration => Effect::Go(Go::Page(Page::Migrate)),
            HomeIntent::OpenActivity(chain, address) => Effect::OpenActivity { name: short(&address), address, chain },
            HomeIntent::OpenSeed(label) => Effect::Go(Go::Seed(label)),
            HomeIntent::Refresh => Effect::FetchBalances,
        })
    }
}

/// A framed block the width of the column.
fn card(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        add(ui);
    });
    ui.add_space(4.0);
}

/// An address shortened for a button ("GABC…WXYZ").
fn short(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    if chars.len() <= 12 {
        return address.to_owned();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    fn screen() -> HomeScreen {
        let target = Target {
            chain: crate::settings::NetChain::Solana,
            network: coffer_net_proto::Network::Mainnet,
            address: "So1anaAddress0000000000000000000000000000001".into(),
        };
        HomeScreen {
            seeds: vec![HomeSeed {
                label: "Savings".into(),
                compromised: false,
                chains: vec![
                    (Chain::Solana, vec![HomeAccount { name: "Solana account 0".into(), target: Some(target) }]),
                    (Chain::Iota, vec![HomeAccount { name: "IOTA account 0".into(), target: None }]),
                ],
            }],
            attention: vec![
                Attention::Backup { label: "Savings".into(), words: 24 },
                Attention::Migration { from: "Old".into(), to: "Savings".into() },
            ],
        }
    }

    /// Each attention item has a button that leads to its screen, and each seed one that opens it.
    #[test]
    fn attention_items_lead_to_their_screens() {
        let mut s = screen();
        let mut data = OnlineData::default();
        let t = s.seeds[0].chains[0].1[0].target.clone().unwrap();
        data.holdings.insert(
            t.clone(),
            Ok(crate::net::Holdings {
                native: "1.5 SOL".into(),
                other: Vec::new(),
                endpoint: "e".into(),
                at: std::time::SystemTime::UNIX_EPOCH,
            }),
        );
        data.alerts.push(Alert { target: t, signature: "sig".into(), endpoint: "e".into() });
        let shown = HomeScreen { seeds: s.seeds.clone(), attention: s.attention.clone() };
        let mut h = Harness::builder()
            .with_size(egui::vec2(900.0, 900.0))
            .build_ui_state(move |ui, out: &mut Vec<HomeIntent>| out.extend(shown.ui(ui, Some(&data))), Vec::new());
        h.run();
        h.get_by_label("Savings: backup not checked yet.");
        h.get_by_label("Solana account 0: 1.5 SOL");
        h.get_by_label("IOTA: 1 account");
        for button in [
            "Check the backup of Savings",
            "Continue the migration from Old",
            "Open the activity of So1ana…0001",
            "Open Savings",
            "Refresh balances",
        ] {
            h.get_by_label(button).click();
            h.run();
        }
        let effects: Vec<String> = h.state().iter().map(|i| format!("{:?}", s.update(i.clone()))).collect();
        assert_eq!(
            effects,
            [
                format!("{:?}", Some(Effect::Go(Go::CheckBackup { label: "Savings".into(), words: 24 }))),
                format!("{:?}", Some(Effect::Go(Go::Page(Page::Migrate)))),
                format!(
                    "{:?}",
                    Some(Effect::OpenActivity {
                        name: "So1ana…0001".into(),
                        address: "So1anaAddress0000000000000000000000000000001".into(),
                        chain: crate::settings::NetChain::Solana,
                    })
                ),
                format!("{:?}", Some(Effect::Go(Go::Seed("Savings".into())))),
                format!("{:?}", Some(Effect::FetchBalances)),
            ]
        );
    }

    /// Offline, the screen says how to see balances and asks nothing of the network.
    #[test]
    fn offline_says_how_to_see_balances() {
        let s = HomeScreen { seeds: screen().seeds, attention: Vec::new() };
        let mut h = Harness::new_ui_state(move |ui, out: &mut Vec<HomeIntent>| out.extend(s.ui(ui, None)), Vec::new());
        h.run();
        h.get_by_label("Nothing needs your attention.");
        h.get_by_label_contains("Coffer is offline");
        assert!(h.query_by_label("Refresh balances").is_none());
    }
}
