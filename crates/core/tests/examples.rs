//! Runs the integrator examples in `crates/core/examples/` as tests, so they cannot rot.

#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../examples/sign_transactions.rs"]
mod sign_transactions;

#[path = "../examples/derive_addresses.rs"]
mod derive_addresses;

#[path = "../examples/open_vault.rs"]
mod open_vault;

#[test]
fn sign_transactions_example_runs() {
    sign_transactions::main().unwrap();
}

#[test]
fn derive_addresses_example_runs() {
    derive_addresses::main().unwrap();
}

#[test]
fn open_vault_example_runs() {
    open_vault::main().unwrap();
}
