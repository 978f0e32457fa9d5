//! Runs the integrator examples in `crates/core/examples/` as tests, so they cannot rot.

#[path = "../examples/sign_transactions.rs"]
mod sign_transactions;

#[test]
fn sign_transactions_example_runs() {
    sign_transactions::main().unwrap();
}
