//! # coffer-gui
//!
//! Coffer's desktop app: a native [eframe] window over `coffer-core`. It has no web view and no network code: when
//! the user turns the network on, [`net`] talks over a pipe to the separate network process coffer-net, which holds
//! no secret. It loads nothing from the network.
//!
//! Layout (see `STYLE.md`): [`app`] holds the eframe app, its saved [`settings`] (never secrets) apart from runtime
//! state, and the one place where what screens ask for ([`effect::Effect`]) is carried out by calling the core;
//! `screens/<name>.rs` each hold one screen's state, a `ui` method that returns that screen's intents and an
//! `update` method that applies them and returns an effect; slow work runs on the [`worker`] thread.

pub mod app;
pub mod clipboard;
pub mod effect;
pub mod memory;
pub mod net;
pub mod qr;
pub mod sandbox;
pub mod screens;
pub mod settings;
pub mod strength;
pub mod sweep;
pub mod theme;
pub mod typed;
pub mod vault_file;
pub mod worker;

pub use app::{AppOptions, CofferApp};
