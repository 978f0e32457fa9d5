//! Fuzzes the Stellar `TransactionEnvelope` XDR decoder and the summary built from it. A fully decoded envelope
//! must re-encode to the same bytes.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run sign_stellar` (see fuzz/README.md).
#![no_main]

use base64::Engine as _;
use coffer_core::chain::Chain;
use coffer_core::sign::{self, Network, Payload, SignRequest, stellar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(env) = stellar::decode_envelope(data) {
        assert!(env.tx_xdr.len() + 8 <= data.len());
        if env.fully_decoded() {
            assert_eq!(env.encode_with(None), data, "stellar decoding is not canonical");
        }
    }
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let request = SignRequest::new(Chain::Stellar, Payload::Transaction(text)).with_network(Network::Testnet);
    if let Ok(d) = sign::decode(&request) {
        let _ = d.summary().to_string();
    }
});
