//! Derive the standard accounts of every chain from a mnemonic: what an integrator needs to show receive
//! addresses. Run: `cargo run -p coffer-core --example derive_addresses`.

use coffer_core::{AccountIndex, AddressIndex, Chain, Mnemonic};

/// Prints the first two accounts of each chain for a published test mnemonic (never use it for funds).
///
/// # Errors
/// A mnemonic or chain error (none for this input).
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mnemonic = Mnemonic::parse(
        "film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm wife \
         phrase warfare march wheat nephew ask sunny firm",
    )?;
    let seed = mnemonic.to_seed(""); // optional BIP39 passphrase here
    drop(mnemonic);
    for chain in [Chain::Iota, Chain::Sui, Chain::IotaStardust, Chain::Solana, Chain::Stellar] {
        for n in 0..2 {
            // Chains without an index level (Solana, Stellar) step the account; the others step the index.
            let (account, index) = if chain.uses_index() { (0, n) } else { (n, 0) };
            let acct = chain.account(&seed, AccountIndex::new(account)?, AddressIndex::new(index)?)?;
            println!("{:<14} {:<24} {}", chain.name(), acct.path.to_string(), acct.address);
        }
    }
    let iota = Chain::Iota.account(&seed, AccountIndex::ZERO, AddressIndex::ZERO)?;
    assert_eq!(iota.address, "0x9f8e5379678525edf768d7b507dc1ba9016fc4f0eac976ab7f74077d95fba312");
    Ok(())
}
