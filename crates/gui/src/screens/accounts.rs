//! Accounts: per chain, the derived addresses with labels, "add more", a QR code per address and a copy button.

use std::collections::{HashMap, HashSet};

use coffer_core::{Account, Chain};
use egui::RichText;

use crate::worker::{CHAINS, SeedOrigin};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountsIntent {
    /// Put this address on the clipboard.
    Copy(String),
    /// Derive the next address of this chain.
    Add(Chain),
}

/// A derived address and the user's label for it (public data only).
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// The account.
    pub account: Account,
    /// Its position: the address index for IOTA, Sui and Stardust, the account number for Solana and Stellar.
    pub number: u32,
    /// The user's label.
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

/// The accounts screen.
pub struct AccountsScreen {
    origin: SeedOrigin,
    selected: Chain,
    rows: Vec<(Chain, Vec<AccountRow>)>,
    qr_open: HashSet<String>,
    qr_textures: HashMap<String, egui::TextureHandle>,
}

impl std::fmt::Debug for AccountsScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountsScreen")
            .field("origin", &self.origin)
            .field("selected", &self.selected)
            .field("rows", &self.rows)
            .field("qr_open", &self.qr_open)
            .finish_non_exhaustive()
    }
}

impl AccountsScreen {
    /// The screen for a freshly opened seed, with its first accounts.
    #[must_use]
    pub fn new(accounts: Vec<Account>, origin: SeedOrigin) -> Self {
        let mut s = Self {
            origin,
            selected: Chain::Iota,
            rows: CHAINS.iter().map(|c| (*c, Vec::new())).collect(),
            qr_open: HashSet::new(),
            qr_textures: HashMap::new(),
        };
        for a in accounts {
            s.push(a);
        }
        s
    }

    /// The position the next address of `chain` gets.
    #[must_use]
    pub fn next_number(&self, chain: Chain) -> u32 {
        self.rows_of(chain).map_or(0, |r| u32::try_from(r.len()).unwrap_or(u32::MAX))
    }

    fn rows_of(&self, chain: Chain) -> Option<&Vec<AccountRow>> {
        self.rows.iter().find(|(c, _)| *c == chain).map(|(_, r)| r)
    }

    /// The addresses shown for `chain`.
    #[must_use]
    pub fn addresses(&self, chain: Chain) -> Vec<&str> {
        self.rows_of(chain).map(|r| r.iter().map(|a| a.account.address.as_str()).collect()).unwrap_or_default()
    }

    /// Adds a derived account (the next of its chain).
    pub fn push(&mut self, account: Account) {
        let chain = account.chain;
        let number = self.next_number(chain);
        if let Some((_, rows)) = self.rows.iter_mut().find(|(c, _)| *c == chain) {
            let label = format!("{} {number}", chain_title(chain));
            rows.push(AccountRow { account, number, label });
        }
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<AccountsIntent> {
        let mut intent = None;
        ui.heading("Accounts");
        let origin = match self.origin {
            SeedOrigin::Created => "New seed, backup checked.",
            SeedOrigin::Imported => "Imported seed.",
        };
        ui.label(origin);
        ui.label(RichText::new(super::IN_MEMORY_NOTICE).color(super::warn_color(ui)));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for chain in CHAINS {
                ui.selectable_value(&mut self.selected, chain, chain_title(chain));
            }
        });
        ui.separator();
        let chain = self.selected;
        let title = chain_title(chain);
        let what = if chain.uses_index() { "address" } else { "account" };
        let rows = self.rows.iter_mut().find(|(c, _)| *c == chain).map(|(_, r)| r)?;
        for row in rows.iter_mut() {
            let name = format!("{title} {what} {}", row.number);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut row.label).desired_width(200.0))
                        .accessible_name(format!("Label of {name}"));
                    ui.label(RichText::new(row.account.path.to_string()).monospace().weak());
                });
                ui.label(RichText::new(&row.account.address).monospace());
                ui.horizontal(|ui| {
                    if ui.button("Copy address").accessible_name(format!("Copy {name}")).clicked() {
                        intent = Some(AccountsIntent::Copy(row.account.address.clone()));
                    }
                    let open = self.qr_open.contains(&row.account.address);
                    let text = if open { "Hide QR code" } else { "Show QR code" };
                    if ui.button(text).accessible_name(format!("{text} of {name}")).clicked() {
                        if open {
                            self.qr_open.remove(&row.account.address);
                        } else {
                            self.qr_open.insert(row.account.address.clone());
                        }
                    }
                });
                if self.qr_open.contains(&row.account.address) {
                    let address = &row.account.address;
                    if !self.qr_textures.contains_key(address)
                        && let Some(img) = crate::qr::qr_image(address)
                    {
                        let tex = ui.ctx().load_texture(format!("qr-{address}"), img, egui::TextureOptions::NEAREST);
                        self.qr_textures.insert(address.clone(), tex);
                    }
                    if let Some(tex) = self.qr_textures.get(address) {
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
        if ui.button(format!("Add {title} {what}")).clicked() {
            intent = Some(AccountsIntent::Add(chain));
        }
        intent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::Mnemonic;
    use egui_kittest::{Harness, kittest::Queryable};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn copy_add_and_qr() {
        let seed = Mnemonic::parse(ABOUT).unwrap().to_seed("");
        let accounts: Vec<Account> = CHAINS.iter().map(|c| crate::worker::nth_account(&seed, *c, 0).unwrap()).collect();
        let iota0 = accounts[0].address.clone();
        let stellar0 = accounts[4].address.clone();
        let mut screen = AccountsScreen::new(accounts, SeedOrigin::Imported);
        assert_eq!(screen.next_number(Chain::Iota), 1);
        screen.push(crate::worker::nth_account(&seed, Chain::Iota, 1).unwrap());
        assert_eq!(screen.addresses(Chain::Iota).len(), 2);
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Vec<AccountsIntent>| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
            },
            Vec::new(),
        );
        h.run();
        h.get_by_label(&iota0);
        h.get_by_label("Label of IOTA address 1");
        h.get_by_label("Copy IOTA address 0").click();
        h.run();
        h.get_by_label("Add IOTA address").click();
        h.run();
        h.get_by_label("Show QR code of IOTA address 0").click();
        h.run();
        h.get_by_label("Hide QR code of IOTA address 0");
        h.get_by_label("QR code of IOTA address 0");
        h.get_by_label("Stellar").click();
        h.run();
        h.get_by_label(&stellar0);
        h.get_by_label("Add Stellar account").click();
        h.run();
        assert_eq!(
            h.state(),
            &vec![AccountsIntent::Copy(iota0), AccountsIntent::Add(Chain::Iota), AccountsIntent::Add(Chain::Stellar)]
        );
    }
}
