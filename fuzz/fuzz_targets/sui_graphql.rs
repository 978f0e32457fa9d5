//! Fuzzes coffer-net's parser of Sui GraphQL answers (crates/net/src/sui/parse.rs, compiled in here as it is
//! compiled into coffer-net): the response envelope (`data`, `errors`) and every typed answer with its checks. No
//! input may panic, loop or allocate without bound; whatever an item check accepts must be well formed.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run sui_graphql` (see fuzz/README.md).
#![no_main]

#[allow(dead_code, unreachable_pub)]
#[path = "../../crates/net/src/sui/parse.rs"]
mod parse;

use coffer_net_proto::{Chain, check_address, check_move_type, check_signature};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let owner = format!("0x{}", "7d".repeat(32));
    if let Ok(d) = parse::parse_answer::<parse::AddressData<parse::Objects>>("objects", data) {
        for o in d.address.and_then(|a| a.objects).map(|c| c.nodes).unwrap_or_default() {
            if let Ok((id, _, _, ty, _)) = parse::owned_object(o, &owner) {
                check_address("id", Chain::Sui, &id).expect("an accepted object id is an address");
                check_move_type("type", &ty).expect("an accepted type is a Move type");
            }
        }
    }
    if let Ok(d) = parse::parse_answer::<parse::AddressData<parse::Transactions>>("transactions", data) {
        for n in d.address.and_then(|a| a.transactions).map(|c| c.nodes).unwrap_or_default() {
            if let Ok(e) = parse::history_entry(n) {
                check_signature("digest", Chain::Sui, &e.signature).expect("an accepted digest is a digest");
            }
        }
    }
    if let Ok(d) = parse::parse_answer::<parse::AddressData<parse::Balances>>("balances", data) {
        for b in d.address.and_then(|a| a.balances).map(|c| c.nodes).unwrap_or_default() {
            if let Some(t) = b.coin_type {
                let _ = parse::move_type(&t.repr);
            }
            if let Some(total) = b.total_balance {
                let _ = parse::amount(&total);
            }
        }
    }
    if let Ok(m) = parse::parse_answer::<parse::Metadata>("coinMetadata", data) {
        if let Ok(m) = parse::metadata(m) {
            assert!(m.decimals <= 38 && m.symbol.len() <= coffer_net_proto::MAX_SYMBOL);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse::unix_seconds(text);
        let _ = parse::failed(Some(text));
    }
});
