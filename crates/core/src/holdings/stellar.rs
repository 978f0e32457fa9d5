//! Stellar holdings: lumens, trustlines, offers, data entries and claimable balances.
