//! Integration tests of the encrypted vault: the API, the golden files under tests/vaults/, and faults (killed
//! writers, read-only directories, a full disk, a second process).
//!
//! Vaults here use `KdfParams::insecure_for_tests()` (the `insecure-test-kdf` feature, enabled through the crate's
//! own dev-dependency), so each unlock takes microseconds.

// clippy.toml allows these inside #[test] functions; the shared helpers here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod faults;
mod golden;
mod log;

use coffer_core::secret::SecretString;

/// The password of every test vault, including the golden files.
pub const PASSWORD: &str = "coffer test password";

/// [`PASSWORD`] as a secret.
pub fn password() -> SecretString {
    SecretString::from(PASSWORD.to_owned())
}

pub use coffer_test_util::TempDir;

/// A fresh, empty directory, removed when the returned guard drops.
pub fn temp_dir(tag: &str) -> TempDir {
    TempDir::new(tag)
}

/// The BIP39 test mnemonic of all-zero entropy.
pub const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
/// A 24-word mnemonic (the one in the crate's front-page example).
pub const FILM: &str = "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol \
                        arm wife phrase warfare march wheat nephew ask sunny firm";
