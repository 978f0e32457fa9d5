//! The address book: labelled recipients per chain, kept encrypted in the vault (coffer-core's `Contact`). Add one
//! (chain picker, label, address; the core's own checks — label rules, look-alike labels, the address's format and
//! checksum, duplicates — are shown while typing), copy an address, remove one after a confirmation. The entries are
//! private data: they are shown here and in the sign screen's summary, and written nowhere else.

use coffer_core::Chain;
use coffer_core::vault::{Contact, check_new_contact, escape_label};
use egui::RichText;

use super::accounts::chain_title;
use crate::effect::Effect;
use crate::worker::{CHAINS, VaultTask};

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressBookIntent {
    /// Add this entry (it passed the core's checks as typed).
    Add {
        /// The chain.
        chain: Chain,
        /// The label.
        label: String,
        /// The address, as typed.
        address: String,
    },
    /// Remove the entry `label` of `chain` (confirmed).
    Remove {
        /// The chain.
        chain: Chain,
        /// The label.
        label: String,
    },
    /// Copy this address.
    Copy(String),
}

/// The address-book page.
#[derive(Debug)]
pub struct AddressBookScreen {
    contacts: Vec<Contact>,
    chain: Chain,
    label: String,
    address: String,
    /// The entry (chain, label) whose removal is being confirmed.
    confirm_remove: Option<(Chain, String)>,
}

impl AddressBookScreen {
    /// The page for these entries.
    #[must_use]
    pub fn new(contacts: Vec<Contact>) -> Self {
        Self { contacts, chain: Chain::Iota, label: String::new(), address: String::new(), confirm_remove: None }
    }

    /// Shows the entries now in the vault. Once the entry typed in the form is among them, the form is cleared.
    pub fn set_contacts(&mut self, contacts: Vec<Contact>) {
        if contacts.iter().any(|c| c.chain == self.chain && c.label == self.label) {
            self.label.clear();
            self.address.clear();
        }
        if let Some((chain, label)) = &self.confirm_remove
            && !contacts.iter().any(|c| c.chain == *chain && c.label == *label)
        {
            self.confirm_remove = None;
        }
        self.contacts = contacts;
    }

    /// The entries shown.
    #[must_use]
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// Applies the user's intent: saving an entry needs the vault (on the worker), copying the clipboard guard.
    #[must_use]
    pub fn update(&mut self, intent: AddressBookIntent) -> Option<Effect> {
        Some(match intent {
            AddressBookIntent::Add { chain, label, address } => Effect::Vault {
                label: String::new(),
                task: VaultTask::AddContact { chain, label, address },
                busy: "Saving…",
            },
            AddressBookIntent::Remove { chain, label } => {
                Effect::Vault {
                    label: String::new(), task: VaultTask::RemoveContact { chain, label }, busy: "Saving…"
                }
            }
            AddressBookIntent::Copy(address) => Effect::Copy(address),
        })
    }

    /// Draws the page.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<AddressBookIntent> {
        let mut intent = None;
        ui.heading("Address book");
        ui.label(
            "Recipients you name here are kept encrypted in the vault. When a transaction you sign pays one of them, \
             the summary shows its name.",
        );
        ui.add_space(8.0);
        if self.contacts.is_empty() {
            ui.label(RichText::new("No recipients yet.").weak());
        } else {
            // One entry per block: chain and name, then the address (long: it gets its own line) and its buttons.
            for c in &self.contacts {
                let label = escape_label(&c.label);
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        crate::theme::chain_icon(ui, c.chain, 16.0);
                        ui.label(chain_title(c.chain));
                        ui.label(RichText::new(label.as_ref()).strong());
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&c.address).monospace());
                        let copy = format!("Copy the address of {label} ({})", c.chain);
                        if crate::theme::secondary(ui, "Copy").accessible_name(&copy).clicked() {
                            intent = Some(AddressBookIntent::Copy(c.address.clone()));
                        }
                        let remove = format!("Remove {label} ({})", c.chain);
                        if crate::theme::secondary(ui, "Remove").accessible_name(&remove).clicked() {
                            self.confirm_remove = Some((c.chain, c.label.clone()));
                        }
                    });
                });
                ui.add_space(4.0);
            }
        }
        if let Some((chain, label)) = self.confirm_remove.clone() {
            ui.add_space(6.0);
            ui.group(|ui| {
                ui.label(format!("Remove {} ({chain}) from the address book?", escape_label(&label)));
                ui.horizontal(|ui| {
                    if crate::theme::secondary(ui, "Yes, remove it").clicked() {
                        intent = Some(AddressBookIntent::Remove { chain, label: label.clone() });
                    }
                    if crate::theme::secondary(ui, "Keep it").clicked() {
                        self.confirm_remove = None;
                    }
                });
            });
        }
        ui.add_space(12.0);
        ui.separator();
        ui.label(crate::theme::section("Add a recipient"));
        ui.horizontal(|ui| {
            ui.label("Chain:");
            for c in CHAINS {
                let title = chain_title(c);
                ui.selectable_value(&mut self.chain, c, title).accessible_name(format!("Chain: {title}"));
            }
        });
        egui::Grid::new("address-book-add").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            let l = ui.label("Name:");
            ui.add(egui::TextEdit::singleline(&mut self.label).desired_width(280.0)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Address:");
            ui.add(egui::TextEdit::singleline(&mut self.address).desired_width(520.0).font(egui::TextStyle::Monospace))
                .labelled_by(l.id);
            ui.end_row();
        });
        let typed = !self.label.is_empty() && !self.address.trim().is_empty();
        let checked = typed.then(|| check_new_contact(&self.contacts, self.chain, &self.label, &self.address));
        if let Some(Err(e)) = &checked {
            ui.label(RichText::new(problem(e)).color(super::warn_color(ui)));
        }
        let ready = matches!(checked, Some(Ok(_)));
        if crate::theme::primary_enabled(ui, ready, "Add to the address book").clicked() && ready {
            intent = Some(AddressBookIntent::Add {
                chain: self.chain,
                label: self.label.clone(),
                address: self.address.clone(),
            });
        }
        intent
    }
}

/// The core's refusal, for people.
fn problem(e: &coffer_core::vault::VaultError) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect::<String>() + ".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::NodeT, kittest::Queryable};

    const G: &str = "GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6";

    fn harness(screen: AddressBookScreen) -> Harness<'static, (AddressBookScreen, Vec<AddressBookIntent>)> {
        Harness::builder().with_size(egui::vec2(1000.0, 700.0)).build_ui_state(
            |ui, (screen, out): &mut (AddressBookScreen, Vec<AddressBookIntent>)| {
                if let Some(i) = screen.ui(ui) {
                    out.push(i);
                }
            },
            (screen, Vec::new()),
        )
    }

    fn type_into(h: &mut Harness<'_, (AddressBookScreen, Vec<AddressBookIntent>)>, field: &str, text: &str) {
        h.get_by_label(field).focus();
        h.get_by_label(field).type_text(text);
        h.run();
    }

    #[test]
    fn adding_checks_as_you_type() {
        let mut h = harness(AddressBookScreen::new(Vec::new()));
        h.run();
        h.get_by_label("No recipients yet.");
        assert!(h.get_by_label("Add to the address book").accesskit_node().is_disabled());
        h.get_by_label("Chain: Stellar").click();
        h.run();
        type_into(&mut h, "Name:", "Alice");
        type_into(&mut h, "Address:", &G[..50]);
        h.get_by_label_contains("Not a valid stellar address");
        assert!(h.get_by_label("Add to the address book").accesskit_node().is_disabled());
        type_into(&mut h, "Address:", &G[50..]);
        h.get_by_label("Add to the address book").click();
        h.run();
        let added = AddressBookIntent::Add { chain: Chain::Stellar, label: "Alice".into(), address: G.into() };
        assert_eq!(h.state().1, vec![added]);
        // A text-direction character in the name is refused with the core's reason.
        type_into(&mut h, "Name:", "\u{202E}");
        h.get_by_label_contains("Invalid label");
        assert!(h.get_by_label("Add to the address book").accesskit_node().is_disabled());
    }

    /// A `Contact` comes from the vault only: one made through a real vault.
    fn alice() -> Contact {
        let dir = coffer_test_util::TempDir::new("gui-address-book");
        let password = coffer_core::secret::SecretString::from("pw".to_owned());
        let params = coffer_core::KdfParams::policy_minimum();
        let mut vault = coffer_core::vault::Vault::create(dir.join("v.coffer"), &password, params).unwrap();
        vault.add_contact(Chain::Stellar, "Alice", G).unwrap()
    }

    #[test]
    fn listing_copying_and_removing_with_confirmation() {
        let alice = alice();
        let mut h = harness(AddressBookScreen::new(vec![alice.clone()]));
        h.run();
        h.get_by_label(G);
        // The same address again is refused before the vault is asked.
        h.get_by_label("Chain: Stellar").click();
        h.run();
        type_into(&mut h, "Name:", "Bob");
        type_into(&mut h, "Address:", G);
        h.get_by_label_contains("already in the address book as \"Alice\"");
        h.get_by_label("Copy the address of Alice (stellar)").click();
        h.run();
        h.get_by_label("Remove Alice (stellar)").click();
        h.run();
        h.get_by_label("Remove Alice (stellar) from the address book?");
        h.get_by_label("Keep it").click();
        h.run();
        assert!(h.query_by_label("Yes, remove it").is_none());
        h.get_by_label("Remove Alice (stellar)").click();
        h.run();
        h.get_by_label("Yes, remove it").click();
        h.run();
        assert_eq!(
            h.state().1,
            vec![
                AddressBookIntent::Copy(G.into()),
                AddressBookIntent::Remove { chain: Chain::Stellar, label: "Alice".into() }
            ]
        );
        // Once the vault no longer holds it, the confirmation goes and the list is empty.
        h.state_mut().0.set_contacts(Vec::new());
        h.run();
        assert!(h.query_by_label("Yes, remove it").is_none());
        h.get_by_label("No recipients yet.");
    }
}
