//! IOTA and Sui holdings: coins of every type and the other objects an address owns.
