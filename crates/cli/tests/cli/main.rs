//! End-to-end tests of the `coffer` binary: the commands, flags, JSON fields and exit codes of docs/cli.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod address;
mod bad_input;
mod balance;
mod balance_iota;
mod balance_stellar;
mod balance_sui;
mod contact;
mod discover;
mod interop;
mod keyring;
mod migrate;
mod migrate_move;
mod migrate_solana;
mod migrate_stellar;
mod mnemonic;
mod network;
mod online;
mod online_iota;
mod online_sui;
mod send;
mod sign;
mod vault;
