//! Fuzzes the IOTA/Sui BCS `TransactionData` decoder and the summary built from it: no input may panic, loop or
//! allocate without bound.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run sign_iota_sui` (see fuzz/README.md).
#![no_main]

use base64::Engine as _;
use coffer_core::chain::Chain;
use coffer_core::sign::{self, Payload, SignRequest, iota_sui};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for chain in [Chain::Iota, Chain::Sui] {
        let direct = iota_sui::decode_transaction(chain, data);
        let text = base64::engine::general_purpose::STANDARD.encode(data);
        let decoded = sign::decode(&SignRequest::new(chain, Payload::Transaction(text)));
        if !data.is_empty() {
            assert_eq!(direct.is_ok(), decoded.is_ok());
        }
        if let Ok(d) = decoded {
            let _ = d.summary().to_string();
            let _ = d.summary().one_line();
        }
    }
});
