//! Parsing the Sui GraphQL service's answers: the response envelope (`data`, `errors`), the typed shapes of the
//! answers coffer-net asks for, and the checks on each item. No I/O here (fuzz/fuzz_targets/sui_graphql.rs runs
//! these functions on arbitrary bytes).

use std::collections::BTreeSet;

use coffer_net_proto::{
    Amount, Chain, CoinMetadata, NetError, NetErrorKind, SignatureInfo, check_address, check_move_type,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The longest cursor accepted from the service.
pub(crate) const MAX_CURSOR: usize = 512;

/// How many GraphQL error messages an error names.
pub(crate) const MAX_ERRORS_SHOWN: usize = 3;

pub(crate) type Result<T> = std::result::Result<T, NetError>;

pub(crate) fn malformed(what: impl Into<String>) -> NetError {
    NetError::new(NetErrorKind::MalformedAnswer, what)
}

#[derive(Deserialize)]
pub(crate) struct GqlAnswer<T> {
    pub(crate) data: Option<T>,
    pub(crate) errors: Option<Vec<GqlError>>,
}

#[derive(Deserialize)]
pub(crate) struct GqlError {
    pub(crate) message: String,
    pub(crate) extensions: Option<GqlExtensions>,
}

#[derive(Deserialize)]
pub(crate) struct GqlExtensions {
    pub(crate) code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PageInfo {
    pub(crate) has_next_page: bool,
    pub(crate) end_cursor: Option<String>,
    pub(crate) has_previous_page: bool,
    pub(crate) start_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Connection<T> {
    pub(crate) page_info: PageInfo,
    pub(crate) nodes: Vec<T>,
}

/// `{ address(…) { <field>: … } }`: the one field asked for under `address`.
#[derive(Deserialize)]
pub(crate) struct AddressData<T> {
    pub(crate) address: Option<T>,
}

#[derive(Deserialize)]
pub(crate) struct Balances {
    pub(crate) balances: Option<Connection<BalanceNode>>,
}

#[derive(Deserialize)]
pub(crate) struct Objects {
    pub(crate) objects: Option<Connection<ObjectNode>>,
}

#[derive(Deserialize)]
pub(crate) struct Transactions {
    pub(crate) transactions: Option<Connection<TransactionNode>>,
}

#[derive(Deserialize)]
pub(crate) struct OneBalance {
    pub(crate) balance: Option<BalanceNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BalanceData {
    pub(crate) checkpoint: Option<CheckpointRef>,
    pub(crate) address: Option<OneBalance>,
}

#[derive(Deserialize)]
pub(crate) struct TypeRepr {
    pub(crate) repr: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BalanceNode {
    pub(crate) coin_type: Option<TypeRepr>,
    pub(crate) total_balance: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct AddressRef {
    pub(crate) address: String,
}

#[derive(Deserialize)]
pub(crate) struct OwnerNode {
    #[serde(rename = "__typename")]
    pub(crate) typename: String,
    pub(crate) address: Option<AddressRef>,
}

#[derive(Deserialize)]
pub(crate) struct Contents {
    #[serde(rename = "type")]
    pub(crate) ty: Option<TypeRepr>,
    pub(crate) json: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ObjectNode {
    pub(crate) address: String,
    pub(crate) version: Option<u64>,
    pub(crate) digest: Option<String>,
    pub(crate) owner: Option<OwnerNode>,
    pub(crate) contents: Option<Contents>,
    /// `MoveObject.hasPublicTransfer` (asked for by the objects query only).
    #[serde(default)]
    pub(crate) has_public_transfer: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CheckpointRef {
    pub(crate) sequence_number: u64,
}

#[derive(Deserialize)]
pub(crate) struct Effects {
    pub(crate) digest: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) checkpoint: Option<CheckpointRef>,
    pub(crate) timestamp: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct TransactionNode {
    pub(crate) digest: String,
    pub(crate) effects: Option<Effects>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FullTransaction {
    pub(crate) digest: String,
    pub(crate) transaction_bcs: Option<String>,
    pub(crate) effects: Option<Effects>,
}

#[derive(Deserialize)]
pub(crate) struct Epoch {
    #[serde(rename = "referenceGasPrice")]
    pub(crate) reference_gas_price: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Metadata {
    pub(crate) decimals: Option<i64>,
    pub(crate) symbol: Option<String>,
}

/// Parses a GraphQL answer: its `errors` (any) as a `rejected` error naming the first few messages, else its
/// `data` as `T`.
///
/// # Errors
/// `rejected` for GraphQL errors, `malformed_answer` for anything that is not the documented shape.
pub(crate) fn parse_answer<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    let answer: GqlAnswer<Value> = serde_json::from_slice(bytes)
        .map_err(|e| malformed(format!("{what}: the answer is not a GraphQL response ({e})")))?;
    if let Some(errors) = answer.errors.filter(|e| !e.is_empty()) {
        let shown: Vec<String> = errors
            .iter()
            .take(MAX_ERRORS_SHOWN)
            .map(|e| {
                let mut m: String = e.message.chars().take(160).collect();
                if let Some(code) = e.extensions.as_ref().and_then(|x| x.code.as_deref()) {
                    m.push_str(&format!(" ({})", code.chars().take(40).collect::<String>()));
                }
                m
            })
            .collect();
        let more = errors.len().saturating_sub(MAX_ERRORS_SHOWN);
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        return Err(NetError::new(NetErrorKind::Rejected, format!("{what}: {}{tail}", shown.join("; "))));
    }
    let data =
        answer.data.filter(|d| !d.is_null()).ok_or_else(|| malformed(format!("{what}: no data and no errors")))?;
    serde_json::from_value(data).map_err(|e| malformed(format!("{what}: the answer is not the documented shape ({e})")))
}

/// Checks a page cursor: present, not too long, never seen before in this listing.
pub(crate) fn next_cursor(what: &str, cursor: Option<String>, seen: &mut BTreeSet<String>) -> Result<String> {
    let cursor = cursor.ok_or_else(|| malformed(format!("{what}: a next page without a cursor")))?;
    if cursor.is_empty() || cursor.len() > MAX_CURSOR || !seen.insert(cursor.clone()) {
        return Err(malformed(format!("{what}: the service repeated or broke the cursor")));
    }
    Ok(cursor)
}

/// An object the address owns: its id, version, digest, type and contents, after checking that the address owns
/// it.
pub(crate) fn owned_object(o: ObjectNode, owner: &str) -> Result<(String, u64, String, String, Option<Value>)> {
    let owned_by = o.owner.as_ref().filter(|w| w.typename == "AddressOwner").and_then(|w| w.address.as_ref());
    if owned_by.map(|a| a.address.as_str()) != Some(owner) {
        return Err(malformed("objects: the service listed an object another address owns"));
    }
    check_address("address", Chain::Sui, &o.address)
        .map_err(|_| malformed("objects: an object id is not 0x and 64 hex digits"))?;
    let version = o.version.ok_or_else(|| malformed("objects: an object without a version"))?;
    let digest = o.digest.ok_or_else(|| malformed("objects: an object without a digest"))?;
    if !is_digest(&digest) {
        return Err(malformed("objects: an object digest is not base58 of 32 bytes"));
    }
    let contents = o.contents.ok_or_else(|| malformed("objects: an object without contents"))?;
    let ty = contents.ty.ok_or_else(|| malformed("objects: an object without a type"))?.repr;
    move_type(&ty)?;
    Ok((o.address, version, digest, ty, contents.json))
}

pub(crate) fn history_entry(node: TransactionNode) -> Result<SignatureInfo> {
    if !is_digest(&node.digest) {
        return Err(malformed("transactions: a digest is not base58 of 32 bytes"));
    }
    let (slot, block_time, failed) = match node.effects {
        Some(e) => (
            e.checkpoint.map_or(0, |c| c.sequence_number),
            e.timestamp.as_deref().map(unix_seconds).transpose()?,
            failed(e.status.as_deref())?,
        ),
        None => (0, None, false),
    };
    Ok(SignatureInfo { signature: node.digest, slot, block_time, failed })
}

pub(crate) fn metadata(m: Metadata) -> Result<CoinMetadata> {
    let decimals = m
        .decimals
        .and_then(|d| u8::try_from(d).ok())
        .filter(|d| *d <= 38)
        .ok_or_else(|| malformed("coinMetadata: decimals missing or out of range"))?;
    let symbol = m.symbol.unwrap_or_default();
    if symbol.len() > coffer_net_proto::MAX_SYMBOL || symbol.chars().any(char::is_control) {
        return Err(malformed("coinMetadata: the symbol is too long or has control characters"));
    }
    Ok(CoinMetadata { decimals, symbol })
}

pub(crate) fn failed(status: Option<&str>) -> Result<bool> {
    match status {
        Some("SUCCESS") => Ok(false),
        Some("FAILURE") => Ok(true),
        _ => Err(malformed("a transaction status is neither SUCCESS nor FAILURE")),
    }
}

pub(crate) fn move_type(text: &str) -> Result<()> {
    check_move_type("type", text).map_err(|_| malformed("a type is not a Move type"))
}

pub(crate) fn amount(text: &str) -> Result<Amount> {
    Amount::parse(text).map_err(|_| malformed("an amount is not a decimal number"))
}

pub(crate) fn is_digest(text: &str) -> bool {
    !text.is_empty() && text.len() <= 44 && bs58::decode(text).into_vec().is_ok_and(|v| v.len() == 32)
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time as the service writes it (`2026-11-30T17:04:05.123Z`).
pub(crate) fn unix_seconds(text: &str) -> Result<i64> {
    let bad = || malformed("a timestamp is not an RFC 3339 UTC time");
    let b = text.as_bytes();
    if b.len() < 20 || b.len() > 40 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64> {
        let s = &text[r];
        if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().map_err(|_| bad()) } else { Err(bad()) }
    };
    let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &text[19..];
    let rest = rest.strip_prefix('.').map_or(rest, |f| f.trim_start_matches(|c: char| c.is_ascii_digit()));
    if rest != "Z" && rest != "+00:00" {
        return Err(bad());
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(bad());
    }
    // Days from civil (proleptic Gregorian), after H. Hinnant.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(unix_seconds("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(unix_seconds("2026-11-30T17:04:05.123Z").unwrap(), 1_796_058_245);
        assert_eq!(unix_seconds("2000-02-29T00:00:00+00:00").unwrap(), 951_782_400);
        for bad in
            ["", "2026-11-30 17:04:05Z", "2026-13-30T17:04:05Z", "2026-11-30T17:04:05", "2026-11-30T17:04:05+01:00"]
        {
            assert!(unix_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn graphql_errors_are_typed() {
        let e = parse_answer::<Value>(
            "q",
            br#"{"data":null,"errors":[{"message":"bad input","extensions":{"code":"BAD_USER_INPUT"}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, NetErrorKind::Rejected);
        assert!(e.message.contains("bad input (BAD_USER_INPUT)"), "{}", e.message);
        let many = format!(r#"{{"errors":[{}]}}"#, [r#"{"message":"x"}"#; 10].join(","));
        assert!(parse_answer::<Value>("q", many.as_bytes()).unwrap_err().message.ends_with("and 7 more"));
        assert_eq!(parse_answer::<Value>("q", br#"{"data":null}"#).unwrap_err().kind, NetErrorKind::MalformedAnswer);
        assert_eq!(parse_answer::<Value>("q", b"[1]").unwrap_err().kind, NetErrorKind::MalformedAnswer);
        assert_eq!(parse_answer::<Value>("q", br#"{"data":{"a":1}}"#).unwrap(), serde_json::json!({"a": 1}));
    }
}
