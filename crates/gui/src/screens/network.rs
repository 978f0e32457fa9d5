//! The Network section of Settings: per chain, on or off, which network, which endpoint (empty: the built-in one,
//! as the CLI's), and the addresses watched besides the open seed's own. Saved at once; they take effect when
//! Coffer starts again (the network process is started before the app restricts itself: see `net.rs`).

use std::collections::BTreeMap;

use coffer_net_proto::Network;
use egui::RichText;

use super::online::{NETWORK_SENTENCE, title};
use crate::effect::Effect;
use crate::settings::{ChainNet, MAX_WATCHED, NetChain, Settings};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkIntent {
    /// Save these network settings and watched addresses.
    Save(BTreeMap<NetChain, ChainNet>, BTreeMap<NetChain, Vec<String>>),
}

/// The section's edit state.
#[derive(Debug, Default)]
pub struct NetworkSettings {
    edit: Option<(BTreeMap<NetChain, ChainNet>, BTreeMap<NetChain, String>)>,
    problem: Option<String>,
    saved: bool,
}

/// Why the edited settings cannot be saved, if they cannot.
fn problem(nets: &BTreeMap<NetChain, ChainNet>, watched: &BTreeMap<NetChain, String>) -> Option<String> {
    for (chain, n) in nets {
        if !n.endpoint.is_empty()
            && let Err(e) = coffer_net_proto::check_endpoint(&n.endpoint)
        {
            let why = match e {
                coffer_net_proto::ProtoError::InvalidField { reason, .. } => reason.to_owned(),
                other => other.to_string(),
            };
            return Some(format!("The {} endpoint is not acceptable: {why}.", title(*chain)));
        }
        if n.on && n.endpoint_for(*chain).is_none() {
            return Some(format!("{} on {} has no built-in endpoint: give one.", title(*chain), n.network.name()));
        }
    }
    for (chain, text) in watched {
        let list: Vec<&str> = text.split_whitespace().collect();
        if list.len() > MAX_WATCHED {
            return Some(format!("At most {MAX_WATCHED} watched {} addresses.", title(*chain)));
        }
        if let Some(bad) = list.iter().find(|a| coffer_net_proto::check_address("watch", chain.proto(), a).is_err()) {
            return Some(format!("{bad} is not a {} address.", title(*chain)));
        }
    }
    None
}

impl NetworkSettings {
    /// Draws the section. `running` is the set of endpoint overrides the running network process got (`None`: no
    /// network process runs).
    pub fn ui(&mut self, ui: &mut egui::Ui, settings: &Settings, running: Option<&[String]>) -> Option<NetworkIntent> {
        let (nets, watched) = self.edit.get_or_insert_with(|| {
            let watched = NetChain::ALL
                .into_iter()
                .map(|c| (c, settings.watched.get(&c).map(|l| l.join(" ")).unwrap_or_default()))
                .collect();
            (settings.network.clone(), watched)
        });
        let mut intent = None;
        ui.heading("Network");
        ui.label(NETWORK_SENTENCE);
        egui::Grid::new("network-chains").num_columns(5).spacing([8.0, 6.0]).show(ui, |ui| {
            for chain in NetChain::ALL {
                let n = nets.entry(chain).or_default();
                let name = title(chain);
                ui.checkbox(&mut n.on, format!("Use the network for {name}"));
                let l = ui.label("Network:");
                egui::ComboBox::from_id_salt(("network", chain.name()))
                    .selected_text(n.network.name())
                    .show_ui(ui, |ui| {
                        for net in chain.networks() {
                            ui.selectable_value(&mut n.network, *net, net.name());
                        }
                    })
                    .response
                    .labelled_by(l.id)
                    .on_hover_text(format!("{name} network"));
                let l = ui.label("Endpoint:");
                let hint = chain.default_endpoint(n.network).unwrap_or("give a URL (no built-in endpoint)");
                ui.add(egui::TextEdit::singleline(&mut n.endpoint).hint_text(hint).desired_width(300.0))
                    .labelled_by(l.id)
                    .on_hover_text(format!("{name} endpoint (empty: the built-in one)"));
                ui.end_row();
            }
        });
        ui.add_space(4.0);
        for chain in NetChain::ALL.into_iter().filter(|c| c.has_activity()) {
            let l = ui.label(format!(
                "Also watch these {} addresses (separated by spaces; the open seed's are always watched):",
                title(chain)
            ));
            let w = watched.entry(chain).or_default();
            ui.add(egui::TextEdit::multiline(w).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(l.id);
        }
        let problem_now = problem(nets, watched);
        if let Some(p) = problem_now.as_ref().or(self.problem.as_ref()) {
            ui.label(RichText::new(p).color(super::error_color(ui)));
        }
        if crate::theme::primary_enabled(ui, problem_now.is_none(), "Save network settings").clicked() {
            let lists = watched
                .iter()
                .map(|(c, t)| (*c, t.split_whitespace().map(str::to_owned).collect::<Vec<_>>()))
                .filter(|(_, l)| !l.is_empty())
                .collect();
            intent = Some(NetworkIntent::Save(nets.clone(), lists));
            self.saved = true;
        }
        let wanted: Vec<String> = {
            let mut s = settings.clone();
            s.network.clone_from(nets);
            s.endpoint_specs()
        };
        let status = match running {
            Some(specs) if specs == wanted.as_slice() => "The network process runs with these settings.".to_owned(),
            Some(_) => "The network process runs with the settings Coffer started with; these take effect when \
                        Coffer starts again."
                .to_owned(),
            None if wanted.is_empty() => "The network is off: no network process runs.".to_owned(),
            None => "The network process starts when Coffer starts again (it is started before Coffer locks \
                     itself in its sandbox, which forbids the app any network access)."
                .to_owned(),
        };
        ui.label(RichText::new(status).weak());
        if self.saved {
            ui.label(RichText::new("Network settings saved.").color(super::ok_color(ui)));
        }
        intent
    }

    /// Forgets the edits (after a save or when the settings changed elsewhere).
    pub fn reset(&mut self) {
        self.edit = None;
        self.problem = None;
    }
}

/// The network of a chain in settings, or mainnet.
#[must_use]
pub fn network_of(settings: &Settings, chain: NetChain) -> Network {
    settings.network.get(&chain).map_or(Network::Mainnet, |n| n.network)
}

impl NetworkSettings {
    /// Applies the user's intent to the saved `settings`.
    #[must_use]
    pub fn update(&mut self, intent: NetworkIntent, settings: &mut Settings) -> Option<Effect> {
        match intent {
            NetworkIntent::Save(nets, watched) => {
                settings.network = nets;
                settings.watched = watched;
                settings.network_asked = true;
                Some(Effect::SaveSettings { refresh: true })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn bad_endpoints_and_addresses_are_named() {
        let mut nets: BTreeMap<NetChain, ChainNet> = BTreeMap::new();
        let watched = BTreeMap::new();
        nets.insert(
            NetChain::Solana,
            ChainNet { endpoint: "https://user:pw@rpc.example".into(), ..ChainNet::default() },
        );
        assert!(problem(&nets, &watched).is_some_and(|p| p.contains("The Solana endpoint is not acceptable")));
        nets.insert(NetChain::Solana, ChainNet { on: true, network: Network::Localnet, endpoint: String::new() });
        assert!(problem(&nets, &watched).is_some_and(|p| p.contains("no built-in endpoint")));
        nets.insert(NetChain::Solana, ChainNet::default());
        let watched = BTreeMap::from([(NetChain::Solana, "nope".to_owned())]);
        assert_eq!(problem(&nets, &watched).as_deref(), Some("nope is not a Solana address."));
    }

    #[test]
    fn endpoints_are_checked_and_saved_per_chain() {
        let settings = Settings::default();
        let mut screen = NetworkSettings::default();
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<NetworkIntent>| {
                if let Some(i) = screen.ui(ui, &settings, None) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label("The network is off: no network process runs.");
        h.get_by_label("Use the network for Solana").click();
        h.run();
        h.get_by_label_contains("starts when Coffer starts again");
        let endpoint = h.get_all_by_label("Endpoint:").nth(1).unwrap();
        endpoint.focus();
        endpoint.type_text("http://127.0.0.1:8899");
        h.run();
        let watch = h.get_by_label_contains("Also watch these Solana addresses");
        watch.focus();
        watch.type_text("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk");
        h.run();
        // Sui: its own row (with Mysten Labs' GraphQL service as the built-in endpoint) and watch list.
        h.get_by_label("Use the network for Sui").click();
        h.run();
        let sui = "0x7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d";
        let watch = h.get_by_label_contains("Also watch these Sui addresses");
        watch.focus();
        watch.type_text(sui);
        h.run();
        h.get_by_label("Save network settings").click();
        h.run();
        let [NetworkIntent::Save(nets, watched)] = h.state().as_slice() else { panic!("{:?}", h.state()) };
        assert!(nets[&NetChain::Solana].on && !nets[&NetChain::Iota].on);
        assert_eq!(nets[&NetChain::Solana].endpoint, "http://127.0.0.1:8899");
        assert_eq!(watched[&NetChain::Solana], vec!["HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk".to_owned()]);
        assert!(nets[&NetChain::Sui].on);
        assert_eq!(
            nets[&NetChain::Sui].endpoint_for(NetChain::Sui).as_deref(),
            Some("https://graphql.mainnet.sui.io/graphql")
        );
        assert_eq!(watched[&NetChain::Sui], vec![sui.to_owned()]);
    }
}
