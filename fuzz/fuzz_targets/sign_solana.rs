//! Fuzzes the Solana transaction/message decoder and the summary built from it. A decoded transaction must
//! re-encode to the same bytes.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run sign_solana` (see fuzz/README.md).
#![no_main]

use base64::Engine as _;
use coffer_core::chain::Chain;
use coffer_core::sign::{self, Payload, SignRequest, solana};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(tx) = solana::decode(data) {
        let again = if tx.signatures.is_empty() {
            tx.message_bytes.clone()
        } else {
            solana::encode_transaction(&tx.signatures, &tx.message_bytes)
        };
        assert_eq!(again, data, "solana decoding is not canonical");
        let _ = tx.message.actions();
        let fee = tx.message.max_fee();
        assert!(fee.total() >= fee.base, "the fee never wraps");
    }
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    if let Ok(d) = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(text))) {
        let _ = d.summary().to_string();
    }
    // The base58 path, on the raw bytes read as text.
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = sign::decode(&SignRequest::new(Chain::Solana, Payload::Transaction(text.to_owned())));
    }
});
