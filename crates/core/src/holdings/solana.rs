//! Solana holdings: SOL, SPL Token and Token-2022 accounts, stake and nonce accounts.
