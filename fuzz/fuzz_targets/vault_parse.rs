//! Fuzzes the vault parsers: the file/header parser on raw bytes, and the payload parser as if the bytes had
//! decrypted. Neither may panic, loop or allocate without bound; a parsed header must re-encode to the same bytes.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run vault_parse` (see docs/vault-format.md).
#![no_main]

use coffer_core::vault::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = format::parse_file(data) {
        let again = parsed.header.encode(parsed.ciphertext.len()).expect("a parsed header re-encodes");
        assert_eq!(again, parsed.aad, "header encoding is not canonical");
    }
    let _ = format::check_payload(data);
});
