//! Fuzzes the network protocol's parsers (coffer-net-proto): request, answer and hello lines and the bounded line
//! reader. No input may panic, loop or allocate without bound; whatever parses must validate, re-encode within the
//! line limit and parse back to the same value.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run net_proto` (see fuzz/README.md).
#![no_main]

use coffer_net_proto::{LineReader, Role, parse_answer, parse_hello, parse_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = parse_request(data) {
        req.validate().expect("a parsed request is valid");
        let line = req.to_line().expect("a valid request encodes");
        assert_eq!(parse_request(line.trim_end().as_bytes()).expect("re-parses"), req);
    }
    if let Ok(answer) = parse_answer(data) {
        answer.validate().expect("a parsed answer is valid");
        let line = answer.to_line().expect("a valid answer encodes");
        assert_eq!(parse_answer(line.trim_end().as_bytes()).expect("re-parses"), answer);
    }
    let _ = parse_hello(data, Role::Server);
    // Move types: the canonical form (addresses in full) is itself a Move type, and canonical again unchanged.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(c) = coffer_net_proto::canonical_move_type(text) {
            if c.len() <= coffer_net_proto::MAX_MOVE_TYPE {
                assert_eq!(coffer_net_proto::canonical_move_type(&c).expect("canonical is a Move type"), c);
            }
        }
    }
    // The line reader over the same bytes, with a small limit: every line it returns fits the limit.
    let mut reader = LineReader::new(data, 64);
    for _ in 0..data.len() + 1 {
        match reader.next_line() {
            Ok(Some(line)) => assert!(line.len() < 64),
            Ok(None) => break,
            Err(coffer_net_proto::ProtoError::LineTooLong { .. }) => {}
            Err(_) => break,
        }
    }
});
