//! What an account holds, per chain: the input from which [`crate::migrate`] builds complete sweeps.
//!
//! Holdings come from the network side (the answers of `coffer-net`, converted by the CLI and the app) or, on an
//! air-gapped machine, from a holdings file (schema in docs/cli.md, "Holdings file"; with the `serde` feature these
//! types read and write it). Either way they are **untrusted**: a lying source can make a sweep fail or leave
//! something behind, never pay anyone else — the destination guard re-checks every byte that is signed.

pub mod iota_sui;
pub mod solana;
pub mod stellar;
