//! IOTA (Rebased)'s object-level answers (its JSON-RPC API): the total of every coin type an address holds, the
//! coin objects of one coin type, the objects an address owns, and the reference gas price. Amounts are in the coin
//! type's smallest unit (for `0x2::iota::IOTA`, nanos: 10⁻⁹ IOTA).

use serde::{Deserialize, Serialize};

use crate::field::{check_address, check_hash32, check_len};
use crate::{Amount, Chain, ProtoError};

type Result<T> = std::result::Result<T, ProtoError>;

/// The most coin types a [`crate::Reply::CoinBalances`] may list.
pub const MAX_COIN_TYPES: usize = 1000;

/// The most objects (coins or owned objects) one answer may list; an address with more gets the first ones and
/// `complete: false`.
pub const MAX_IOTA_OBJECTS: usize = 1000;

/// The longest Move type (a coin type or an object's type) the protocol carries, in bytes.
pub const MAX_MOVE_TYPE: usize = 512;

/// The deepest nesting of type arguments (`<…>`) a Move type may have.
pub const MAX_TYPE_DEPTH: usize = 8;

/// IOTA's native coin type.
pub const IOTA_COIN_TYPE: &str = "0x2::iota::IOTA";

/// Sui's native coin type.
pub const SUI_COIN_TYPE: &str = "0x2::sui::SUI";

/// The most signatures one [`crate::Call::ExecuteTransaction`] may carry (the sender's and a sponsor's; a few more
/// for room).
pub const MAX_MOVE_SIGNATURES: usize = 8;

/// The longest coin symbol carried, in bytes.
pub const MAX_SYMBOL: usize = 64;

/// What a coin type's metadata says (`iotax_getCoinMetadata`, Sui's `coinMetadata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoinMetadata {
    /// How many decimals the coin's smallest unit has (0 to 38).
    pub decimals: u8,
    /// Its symbol (at most [`MAX_SYMBOL`] bytes, no control characters; untrusted: anyone can publish a coin called
    /// `SUI`).
    pub symbol: String,
}

/// Checks coin metadata: decimals at most 38 (a `u128` amount), a short symbol without control characters.
pub(crate) fn check_metadata(m: &CoinMetadata) -> Result<()> {
    if m.decimals > 38 {
        return Err(invalid("metadata.decimals", "more than 38"));
    }
    crate::field::check_text("metadata.symbol", &m.symbol, MAX_SYMBOL)
}

/// A checked Move type with every address written in full (`0x` and 64 lower-case hex digits), as Sui's GraphQL
/// API writes types: `0x2::sui::SUI` and
/// `0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI` are the same type.
///
/// # Errors
/// [`ProtoError::InvalidField`] when `text` is not a Move type ([`check_move_type`]).
pub fn canonical_move_type(text: &str) -> Result<String> {
    check_move_type("coin_type", text)?;
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !is_ident(&bytes[i - 1]);
        if boundary && bytes[i..].starts_with(b"0x") {
            let hex = bytes[i + 2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
            out.push_str("0x");
            out.extend(std::iter::repeat_n('0', 64 - hex));
            out.push_str(&text[i + 2..i + 2 + hex].to_ascii_lowercase());
            i += 2 + hex;
        } else {
            out.push(char::from(bytes[i]));
            i += 1;
        }
    }
    Ok(out)
}

const fn invalid(field: &'static str, reason: &'static str) -> ProtoError {
    ProtoError::InvalidField { field, reason }
}

/// The total an address holds of one coin type (`iotax_getAllBalances`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoinBalance {
    /// The coin type, a Move type such as `0x2::iota::IOTA`.
    pub coin_type: String,
    /// The sum of its coin objects, in the coin's smallest unit.
    pub total: Amount,
    /// How many coin objects of the type the address owns.
    pub object_count: u64,
}

/// One coin object (`iotax_getCoins`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coin {
    /// The object id (`0x` and 64 lower-case hex digits).
    pub object_id: String,
    /// The object's version.
    pub version: u64,
    /// The object's digest (base58 of 32 bytes).
    pub digest: String,
    /// Its balance, in the coin's smallest unit.
    pub balance: Amount,
}

/// One object an address owns (`iotax_getOwnedObjects`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnedObject {
    /// The object id (`0x` and 64 lower-case hex digits).
    pub object_id: String,
    /// The object's version.
    pub version: u64,
    /// The object's digest (base58 of 32 bytes).
    pub digest: String,
    /// Its Move type (`package` for a package).
    pub object_type: String,
    /// Whether its type has `key` and `store`, so a `TransferObjects` command may move it (IOTA: the content's
    /// `hasPublicTransfer`; Sui: `MoveObject.hasPublicTransfer`); absent when the endpoint did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_transfer: Option<bool>,
    /// When a `0x2::timelock::TimeLock` on it ends (its `expiration_timestamp_ms`, UNIX milliseconds; IOTA only);
    /// absent for every other object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until_ms: Option<u64>,
}

/// Checks a Move type as IOTA writes one: `0xADDRESS::module::Name`, optionally with type arguments
/// (`<T1, T2>`, each a Move type or a primitive), at most [`MAX_MOVE_TYPE`] bytes and [`MAX_TYPE_DEPTH`] levels of
/// `<…>`.
///
/// # Errors
/// [`ProtoError::InvalidField`] when it is not one.
pub fn check_move_type(field: &'static str, text: &str) -> Result<()> {
    if text.is_empty() || text.len() > MAX_MOVE_TYPE {
        return Err(invalid(field, "not a Move type of at most 512 bytes"));
    }
    if parse_type(text.as_bytes(), 0).is_some_and(|rest| rest.is_empty()) {
        Ok(())
    } else {
        Err(invalid(field, "not a Move type (0xADDRESS::module::Name<…>)"))
    }
}

const PRIMITIVES: &[&[u8]] = &[b"bool", b"u8", b"u16", b"u32", b"u64", b"u128", b"u256", b"address", b"signer"];

/// Parses one type at the start of `s`; returns what follows it.
fn parse_type(s: &[u8], depth: usize) -> Option<&[u8]> {
    if depth > MAX_TYPE_DEPTH {
        return None;
    }
    if let Some(rest) = s.strip_prefix(b"vector<") {
        return parse_type(rest, depth + 1)?.strip_prefix(b">");
    }
    if let Some(p) = PRIMITIVES.iter().find(|p| s.starts_with(p) && !s.get(p.len()).is_some_and(is_ident)) {
        return Some(&s[p.len()..]);
    }
    let rest = s.strip_prefix(b"0x")?;
    let hex = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if hex == 0 || hex > 64 {
        return None;
    }
    let mut rest = &rest[hex..];
    for _ in 0..2 {
        rest = rest.strip_prefix(b"::")?;
        let n = rest.iter().take_while(|b| is_ident(b)).count();
        if n == 0 || !rest[0].is_ascii_alphabetic() && rest[0] != b'_' {
            return None;
        }
        rest = &rest[n..];
    }
    if let Some(mut args) = rest.strip_prefix(b"<") {
        loop {
            args = parse_type(args, depth + 1)?;
            if let Some(after) = args.strip_prefix(b", ").or_else(|| args.strip_prefix(b",")) {
                args = after;
            } else {
                return args.strip_prefix(b">");
            }
        }
    }
    Some(rest)
}

fn is_ident(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || *b == b'_'
}

fn check_object(field: &'static str, id: &str, digest: &str) -> Result<()> {
    check_address(field, Chain::Iota, id)?;
    check_hash32(field, digest)
}

/// Checks a list of coin balances: at most [`MAX_COIN_TYPES`], each coin type a Move type, no type twice.
pub(crate) fn check_balances(balances: &[CoinBalance]) -> Result<()> {
    check_len("balances", balances.len(), MAX_COIN_TYPES)?;
    let mut seen = std::collections::BTreeSet::new();
    for b in balances {
        check_move_type("balances.coin_type", &b.coin_type)?;
        if !seen.insert(b.coin_type.as_str()) {
            return Err(invalid("balances.coin_type", "listed twice"));
        }
    }
    Ok(())
}

/// Checks a list of coins: at most [`MAX_IOTA_OBJECTS`], ids and digests well formed.
pub(crate) fn check_coins(coins: &[Coin]) -> Result<()> {
    check_len("coins", coins.len(), MAX_IOTA_OBJECTS)?;
    coins.iter().try_for_each(|c| check_object("coins.object_id", &c.object_id, &c.digest))
}

/// Checks a list of owned objects: at most [`MAX_IOTA_OBJECTS`], ids, digests and types well formed.
pub(crate) fn check_objects(objects: &[OwnedObject]) -> Result<()> {
    check_len("objects", objects.len(), MAX_IOTA_OBJECTS)?;
    objects.iter().try_for_each(|o| {
        check_object("objects.object_id", &o.object_id, &o.digest)?;
        if o.object_type == "package" { Ok(()) } else { check_move_type("objects.object_type", &o.object_type) }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn canonical_types_spell_addresses_in_full() {
        let two = format!("0x{}2", "0".repeat(63));
        assert_eq!(canonical_move_type(SUI_COIN_TYPE).unwrap(), format!("{two}::sui::SUI"));
        assert_eq!(canonical_move_type(&format!("{two}::sui::SUI")).unwrap(), format!("{two}::sui::SUI"));
        assert_eq!(
            canonical_move_type("0x2::coin::Coin<0xAB::m::T, vector<u8>>").unwrap(),
            format!("{two}::coin::Coin<0x{}ab::m::T, vector<u8>>", "0".repeat(62))
        );
        assert!(canonical_move_type("0x2::sui").is_err());
        let m = CoinMetadata { decimals: 9, symbol: "SUI".into() };
        check_metadata(&m).unwrap();
        assert!(check_metadata(&CoinMetadata { decimals: 39, ..m.clone() }).is_err());
        assert!(check_metadata(&CoinMetadata { symbol: "S\u{1b}[2J".into(), ..m }).is_err());
    }

    #[test]
    fn move_types() {
        for good in [
            IOTA_COIN_TYPE,
            "0x0000000000000000000000000000000000000000000000000000000000000002::iota::IOTA",
            "0x2::coin::Coin<0x2::iota::IOTA>",
            "0x3::staking_pool::StakedIota",
            "0xab::pool::Pool<0x2::iota::IOTA, 0xcd::usdt::USDT>",
            "0xab::m::T<vector<u8>, u64>",
        ] {
            check_move_type("t", good).unwrap();
        }
        let deep = format!("{}u8{}", "vector<".repeat(10), ">".repeat(10));
        for bad in [
            "",
            "iota",
            "0x2::iota",
            "0x2::iota::IOTA::X",
            "0x::iota::IOTA",
            "0xzz::iota::IOTA",
            "0x2::iota::IOTA<",
            "0x2::coin::Coin<>",
            "0x2::iota::IOTA ",
            "0x2::9a::B",
            &format!("0x{}::m::T", "1".repeat(65)),
            &format!("0x2::m::{}", "A".repeat(MAX_MOVE_TYPE)),
            &deep,
        ] {
            assert!(check_move_type("t", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iota_calls_and_answers_round_trip_and_pair_with_their_request() {
        use crate::{Answer, Call, Network, Outcome, Reply, Request, parse_answer, parse_request};
        let owner = format!("0x{}", "ab".repeat(32));
        let object = format!("0x{}", "cd".repeat(32));
        let digest = bs58::encode([7u8; 32]).into_string();
        let coins = Call::Coins { address: owner.clone(), coin_type: IOTA_COIN_TYPE.into() };
        for call in [
            Call::CoinBalances { address: owner.clone() },
            coins.clone(),
            Call::OwnedObjects { address: owner.clone() },
            Call::ReferenceGasPrice,
            Call::ExecuteTransaction { transaction: "AAEC".into(), signatures: vec!["AAEC".into()] },
            Call::CoinMetadata { coin_type: SUI_COIN_TYPE.into() },
        ] {
            let r = Request { id: 4, chain: Chain::Iota, network: Network::Testnet, call };
            let line = r.to_line().unwrap();
            assert_eq!(parse_request(line.trim_end().as_bytes()).unwrap(), r);
        }
        for bad in [
            r#"{"method":"execute_transaction","transaction":"AAEC","signatures":[]}"#.to_owned(),
            r#"{"method":"execute_transaction","transaction":"","signatures":["AAEC"]}"#.to_owned(),
            r#"{"method":"execute_transaction","transaction":"AAEC","signatures":["%%"]}"#.to_owned(),
            format!(
                r#"{{"method":"execute_transaction","transaction":"AAEC","signatures":[{}]}}"#,
                ["\"AAEC\""; MAX_MOVE_SIGNATURES + 1].join(",")
            ),
            r#"{"method":"coin_metadata","coin_type":"SUI"}"#.to_owned(),
        ] {
            let line = format!(r#"{{"id":4,"chain":"sui","network":"mainnet","call":{bad}}}"#);
            assert!(parse_request(line.as_bytes()).is_err(), "{bad}");
        }
        let meta = Request {
            id: 5,
            chain: Chain::Sui,
            network: Network::Mainnet,
            call: Call::CoinMetadata { coin_type: SUI_COIN_TYPE.into() },
        };
        let reply = |coin_type: &str, metadata| Answer {
            id: 5,
            chain: Chain::Sui,
            network: Network::Mainnet,
            endpoint: None,
            outcome: Outcome::Ok(Reply::CoinMetadata { coin_type: coin_type.into(), metadata }),
        };
        let m = CoinMetadata { decimals: 9, symbol: "SUI".into() };
        let ok = reply(SUI_COIN_TYPE, Some(m.clone()));
        parse_answer(ok.to_line().unwrap().trim_end().as_bytes()).unwrap().check_answers(&meta).unwrap();
        assert!(reply("0x2::sui::NOT", None).check_answers(&meta).is_err());
        assert!(reply(SUI_COIN_TYPE, Some(CoinMetadata { decimals: 77, ..m })).validate().is_err());
        let bad = r#"{"id":4,"chain":"iota","network":"mainnet","call":{"method":"coins","address":"0xAB","coin_type":"0x2::iota::IOTA"}}"#;
        assert!(parse_request(bad.as_bytes()).is_err(), "a short address");
        let line = format!(
            r#"{{"id":4,"chain":"iota","network":"mainnet","call":{{"method":"coins","address":"{owner}","coin_type":"iota"}}}}"#
        );
        assert!(parse_request(line.as_bytes()).is_err(), "not a coin type");

        let request = Request { id: 4, chain: Chain::Iota, network: Network::Mainnet, call: coins };
        let answer = |reply| Answer {
            id: 4,
            chain: Chain::Iota,
            network: Network::Mainnet,
            endpoint: Some("https://api.mainnet.iota.cafe:443".into()),
            outcome: Outcome::Ok(reply),
        };
        let coin =
            Coin { object_id: object.clone(), version: 5, digest: digest.clone(), balance: Amount::from_u128(9) };
        let a = answer(Reply::Coins {
            address: owner.clone(),
            coin_type: IOTA_COIN_TYPE.into(),
            coins: vec![coin.clone()],
            complete: true,
        });
        let back = parse_answer(a.to_line().unwrap().trim_end().as_bytes()).unwrap();
        assert_eq!(back, a);
        back.check_answers(&request).unwrap();
        let other_type = answer(Reply::Coins {
            address: owner.clone(),
            coin_type: "0x3::x::Y".into(),
            coins: vec![],
            complete: true,
        });
        assert!(other_type.check_answers(&request).is_err());
        let too_many = answer(Reply::Coins {
            address: owner.clone(),
            coin_type: IOTA_COIN_TYPE.into(),
            coins: vec![coin.clone(); MAX_IOTA_OBJECTS + 1],
            complete: false,
        });
        assert!(too_many.validate().is_err());
        let bad_digest = Coin { digest: "0x00".into(), ..coin };
        let bad = answer(Reply::Coins {
            address: owner.clone(),
            coin_type: IOTA_COIN_TYPE.into(),
            coins: vec![bad_digest],
            complete: true,
        });
        assert!(parse_answer(serde_json::to_string(&bad).unwrap().as_bytes()).is_err());
        let twice = CoinBalance { coin_type: IOTA_COIN_TYPE.into(), total: Amount::from_u128(1), object_count: 1 };
        let dup = answer(Reply::CoinBalances { address: owner.clone(), balances: vec![twice.clone(), twice] });
        assert!(dup.validate().is_err());
        let obj = OwnedObject {
            object_id: object,
            version: 1,
            digest,
            object_type: "0x2::m::T<u8>".into(),
            public_transfer: Some(true),
            locked_until_ms: None,
        };
        let objs = answer(Reply::OwnedObjects { address: owner, objects: vec![obj.clone()], complete: true });
        objs.validate().unwrap();
        // The two optional fields are left out when unknown; a line without them still parses.
        let line = serde_json::to_string(&obj).unwrap();
        assert!(line.contains("\"public_transfer\":true") && !line.contains("locked_until_ms"), "{line}");
        let without: OwnedObject = serde_json::from_str(&line.replace(",\"public_transfer\":true", "")).unwrap();
        assert_eq!((without.public_transfer, without.locked_until_ms), (None, None));
        let bad_type = OwnedObject { object_type: "nope".into(), ..obj };
        assert!(check_objects(&[bad_type]).is_err());
    }

    #[test]
    fn dry_run_round_trips_and_pairs() {
        use base64::Engine as _;

        use crate::{Answer, Call, Network, Outcome, Reply, Request, parse_answer, parse_request};
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let dry = Call::DryRunTransactionBlock { tx_bytes: b64(&[1; 50]) };
        let request = Request { id: 9, chain: Chain::Iota, network: Network::Mainnet, call: dry };
        assert_eq!(parse_request(request.to_line().unwrap().trim_end().as_bytes()).unwrap(), request);
        for bad in ["%%", ""] {
            let r = Request { call: Call::DryRunTransactionBlock { tx_bytes: bad.into() }, ..request.clone() };
            assert!(r.validate().is_err(), "{bad:?}");
        }
        let answer = |reply| Answer {
            id: 9,
            chain: Chain::Iota,
            network: Network::Mainnet,
            endpoint: None,
            outcome: Outcome::Ok(reply),
        };
        let dry_run = |error: Option<&str>| {
            answer(Reply::DryRun {
                success: error.is_none(),
                error: error.map(str::to_owned),
                computation_cost: Amount::from_u128(1),
                storage_cost: Amount::from_u128(2),
                storage_rebate: Amount::from_u128(1),
            })
        };
        let ok = dry_run(Some("InsufficientGas"));
        let back = parse_answer(ok.to_line().unwrap().trim_end().as_bytes()).unwrap();
        back.check_answers(&request).unwrap();
        assert!(dry_run(Some("\u{1b}[31m")).validate().is_err(), "control characters");
        let sent = answer(Reply::Sent { signature: bs58::encode([3u8; 32]).into_string() });
        assert!(sent.check_answers(&request).is_err(), "a broadcast does not answer a dry run");
    }
}
