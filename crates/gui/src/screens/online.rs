//! The online parts of the app's screens, drawn from what the network thread reported (public data only): the
//! first-start question about the network, the figures under each address of the accounts screen, the Activity
//! page of an account, and the foreign-signature banner.

use std::collections::BTreeMap;
use std::time::SystemTime;

use coffer_core::watch::Seen;
use egui::RichText;

use crate::effect::{Effect, Go, Page};
use crate::net::{ActivityEntry, Alert, Holdings, Target, clock};
use crate::settings::{NetChain, Settings};

/// What the network thread has reported so far (kept until the app locks).
#[derive(Debug, Default)]
pub struct OnlineData {
    /// The figures of each address asked about, or why they could not be fetched.
    pub holdings: std::collections::HashMap<Target, Result<Holdings, String>>,
    /// Questions answered and asked in the running job.
    pub progress: Option<(usize, usize)>,
    /// Alerts not yet dismissed.
    pub alerts: Vec<Alert>,
    /// When the last watch round ended, and the addresses it could not check.
    pub last_watch: Option<(SystemTime, Vec<(Target, String)>)>,
    /// Account discovery per seed (its label) and chain.
    pub discovery: std::collections::HashMap<(String, NetChain), DiscoveryState>,
}

/// Where account discovery of one chain stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryState {
    /// Running: this many accounts asked about so far.
    Scanning(u32),
    /// Done: what was found, and the endpoint that answered.
    Done(coffer_core::discover::Discovery, String),
    /// It stopped on an error.
    Failed(String),
}

impl OnlineData {
    /// The progress line, when a job runs ("Asking the network: 2 of 5").
    #[must_use]
    pub fn progress_text(&self) -> Option<String> {
        self.progress.map(|(done, total)| format!("Asking the network: {done} of {total} answered"))
    }
}

/// The answer to the first-start question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionIntent {
    /// Turn the network on for these chains (possibly none: keep it off).
    Answer(Vec<NetChain>),
}

/// The first-start question, with a tick per chain (all unticked).
#[derive(Debug, Default)]
pub struct NetworkQuestion {
    ticked: BTreeMap<NetChain, bool>,
}

/// The one sentence that explains what turning the network on means.
pub const NETWORK_SENTENCE: &str = "With the network on for a chain, Coffer's separate network process (which never \
     holds a key) asks that chain's endpoint (by default the public servers of the Solana Foundation, the Stellar \
     Development Foundation, the IOTA Foundation and Mysten Labs for Sui, changeable in Settings) about the \
     addresses you view or watch, so that endpoint learns those addresses and your IP address.";

impl NetworkQuestion {
    /// Draws the question.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<QuestionIntent> {
        let mut intent = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("Use the network?").strong().size(16.0));
            ui.label(NETWORK_SENTENCE);
            ui.label("Coffer works fully offline; you can change this per chain in Settings at any time.");
            ui.horizontal(|ui| {
                for chain in NetChain::ALL {
                    let on = self.ticked.entry(chain).or_default();
                    ui.checkbox(on, format!("Balances and watching for {}", title(chain)));
                }
            });
            ui.horizontal(|ui| {
                let chosen: Vec<NetChain> = self.ticked.iter().filter(|(_, on)| **on).map(|(c, _)| *c).collect();
                if crate::theme::primary_enabled(ui, !chosen.is_empty(), "Turn the network on").clicked() {
                    intent = Some(QuestionIntent::Answer(chosen));
                }
                if crate::theme::secondary(ui, "Keep the network off").clicked() {
                    intent = Some(QuestionIntent::Answer(Vec::new()));
                }
            });
        });
        intent
    }
}

/// A chain's name for people.
#[must_use]
pub fn title(chain: NetChain) -> &'static str {
    super::accounts::chain_title(chain.core())
}

/// The figures under one address of the accounts screen: the native balance, every other holding, and which
/// endpoint reported them when; or that they were not fetched yet, or why they could not be.
pub fn holdings_ui(ui: &mut egui::Ui, name: &str, figures: Option<&Result<Holdings, String>>) {
    match figures {
        None => {
            ui.label(RichText::new("Balance not fetched yet").weak()).on_hover_text("Press Refresh balances");
        }
        Some(Err(e)) => {
            ui.label(RichText::new(format!("Balance of {name} unavailable: {e}")).color(super::warn_color(ui)));
        }
        Some(Ok(h)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("Balance: {}", h.native)).strong());
                ui.label(RichText::new(format!("reported by {} at {}", h.endpoint, clock(h.at))).weak());
            });
            for line in &h.other {
                ui.label(RichText::new(format!("Also holds {line}")).monospace());
            }
        }
    }
}

/// The Activity page of one account.
#[derive(Debug)]
pub struct ActivityScreen {
    /// The account's name for people ("Solana account 0").
    pub name: String,
    /// Which address.
    pub target: Target,
    /// The transactions and the endpoint that listed them, or why not; `None` while fetching.
    pub entries: Option<Result<(Vec<ActivityEntry>, String), String>>,
}

/// What the user chose on the Activity page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivityIntent {
    /// Back to the accounts.
    Back,
    /// Ask again.
    Refresh,
}

/// The mark of one transaction.
#[must_use]
pub fn mark(seen: Option<Seen>) -> &'static str {
    match seen {
        Some(Seen::Outgoing { signed_here: true }) => "signed here",
        Some(Seen::Outgoing { signed_here: false }) => "not signed by this vault",
        Some(_) => "incoming (not signed by this address)",
        None => "transaction not available from the endpoint",
    }
}

impl ActivityScreen {
    /// Draws the page.
    pub fn ui(&self, ui: &mut egui::Ui) -> Option<ActivityIntent> {
        let mut intent = None;
        ui.horizontal(|ui| {
            if crate::theme::secondary(ui, "Back to accounts").clicked() {
                intent = Some(ActivityIntent::Back);
            }
            if crate::theme::secondary(ui, "Refresh activity").clicked() {
                intent = Some(ActivityIntent::Refresh);
            }
        });
        ui.heading(format!("Activity of {}", self.name));
        ui.label(RichText::new(&self.target.address).monospace());
        ui.label(format!(
            "The {} most recent transactions on {}. Each one this address signed is checked against the signing \
             log: signed here, or not signed by this vault.",
            crate::net::HISTORY_LIMIT,
            self.target.network.name()
        ));
        ui.separator();
        match &self.entries {
            None => {
                ui.label("Asking the network…");
            }
            Some(Err(e)) => {
                ui.label(RichText::new(format!("Activity unavailable: {e}")).color(super::error_color(ui)));
            }
            Some(Ok((entries, endpoint))) => {
                if entries.is_empty() {
                    ui.label("No transactions.");
                }
                egui::Grid::new("activity").striped(true).num_columns(3).show(ui, |ui| {
                    for e in entries {
                        let short = format!("{}…", e.signature.chars().take(20).collect::<String>());
                        ui.label(RichText::new(short).monospace()).on_hover_text(&e.signature);
                        let when = e.block_time.and_then(|t| u64::try_from(t).ok()).map_or_else(
                            || format!("slot {}", e.slot),
                            |t| format!("slot {}, {}", e.slot, coffer_core::time::utc_iso8601(t)),
                        );
                        ui.label(if e.failed { format!("{when} (failed)") } else { when });
                        let text = mark(e.seen);
                        let colour = match e.seen {
                            Some(Seen::Outgoing { signed_here: false }) => super::error_color(ui),
                            Some(Seen::Outgoing { signed_here: true }) => super::ok_color(ui),
                            _ => ui.visuals().weak_text_color(),
                        };
                        ui.label(RichText::new(text).color(colour).strong());
                        ui.end_row();
                    }
                });
                ui.label(RichText::new(format!("Reported by {endpoint}")).weak());
            }
        }
        intent
    }
}

/// The banner for transactions signed for a watched address outside this vault: red, above every page, until
/// the user dismisses it. Returns whether it was dismissed.
pub fn alert_banner(ui: &mut egui::Ui, alerts: &[Alert]) -> bool {
    let mut dismissed = false;
    if alerts.is_empty() {
        return false;
    }
    let red = egui::Color32::from_rgb(170, 20, 20);
    egui::Frame::new().fill(red).inner_margin(10.0).corner_radius(4.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            RichText::new("Someone else is signing for this address").strong().size(18.0).color(egui::Color32::WHITE),
        );
        for a in alerts {
            ui.label(
                RichText::new(format!(
                    "{} ({} {}): transaction {} was signed by its key but not by this vault (reported by {}).",
                    a.target.address,
                    title(a.target.chain),
                    a.target.network.name(),
                    a.signature,
                    a.endpoint
                ))
                .color(egui::Color32::WHITE),
            );
        }
        ui.label(
            RichText::new(
                "Whoever did this holds the key: move what is left to a fresh seed now (Migrate), and mark the seed \
                 compromised.",
            )
            .color(egui::Color32::WHITE),
        );
        if crate::theme::secondary(ui, "I have seen this").clicked() {
            dismissed = true;
        }
    });
    ui.add_space(6.0);
    dismissed
}

impl NetworkQuestion {
    /// Applies the answer to the saved `settings`.
    #[must_use]
    pub fn update(&mut self, intent: QuestionIntent, settings: &mut Settings) -> Option<Effect> {
        match intent {
            QuestionIntent::Answer(chains) => {
                settings.network_asked = true;
                for chain in &chains {
                    settings.network.entry(*chain).or_default().on = true;
                }
                Some(Effect::NetworkAnswered { any_on: !chains.is_empty() })
            }
        }
    }
}

impl ActivityScreen {
    /// Applies the user's intent.
    #[must_use]
    pub fn update(&mut self, intent: ActivityIntent) -> Option<Effect> {
        Some(match intent {
            ActivityIntent::Back => Effect::Go(Go::Page(Page::Main)),
            ActivityIntent::Refresh => Effect::FetchActivity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_net_proto::Network;
    use egui_kittest::{Harness, kittest::Queryable};

    fn target() -> Target {
        Target {
            chain: NetChain::Solana,
            network: Network::Devnet,
            address: "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk".into(),
        }
    }

    #[test]
    fn the_question_turns_on_only_what_was_ticked() {
        let mut q = NetworkQuestion::default();
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<QuestionIntent>| {
                if let Some(i) = q.ui(ui) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label_contains("learns those addresses");
        h.get_by_label("Keep the network off").click();
        h.run();
        h.get_by_label("Balances and watching for Solana").click();
        h.run();
        h.get_by_label("Balances and watching for Sui").click();
        h.run();
        h.get_by_label("Turn the network on").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![QuestionIntent::Answer(vec![]), QuestionIntent::Answer(vec![NetChain::Solana, NetChain::Sui])]
        );
    }

    #[test]
    fn figures_name_their_endpoint_and_activity_marks_each_entry() {
        let h = Holdings {
            native: "1.5 SOL".into(),
            other: vec!["7 (raw units) of mint M (SPL Token)".into()],
            endpoint: "http://127.0.0.1:8899".into(),
            at: SystemTime::UNIX_EPOCH,
        };
        let entry = |n: u8, seen| ActivityEntry {
            signature: format!("{n}{}", "1".repeat(40)),
            slot: u64::from(n),
            block_time: None,
            failed: false,
            seen,
        };
        let screen = ActivityScreen {
            name: "Solana account 0".into(),
            target: target(),
            entries: Some(Ok((
                vec![
                    entry(1, Some(Seen::Outgoing { signed_here: true })),
                    entry(2, Some(Seen::Outgoing { signed_here: false })),
                    entry(3, Some(Seen::Incoming)),
                ],
                "http://127.0.0.1:8899".into(),
            ))),
        };
        let alerts = vec![Alert { target: target(), signature: "SIG".into(), endpoint: "E".into() }];
        let mut harness = Harness::new_ui_state(
            move |ui, dismissed: &mut bool| {
                *dismissed |= alert_banner(ui, &alerts);
                holdings_ui(ui, "Solana account 0", Some(&Ok(h.clone())));
                holdings_ui(ui, "Solana account 1", None);
                let _ = screen.ui(ui);
            },
            false,
        );
        harness.run();
        harness.get_by_label("Balance: 1.5 SOL");
        harness.get_by_label("reported by http://127.0.0.1:8899 at 00:00:00 UTC");
        harness.get_by_label("Also holds 7 (raw units) of mint M (SPL Token)");
        harness.get_by_label("Balance not fetched yet");
        harness.get_by_label("signed here");
        harness.get_by_label("not signed by this vault");
        harness.get_by_label("incoming (not signed by this address)");
        harness.get_by_label("Someone else is signing for this address");
        harness.get_by_label("I have seen this").click();
        harness.run();
        assert!(*harness.state());
    }
}
