//! One JSON-RPC 2.0 call over the bounded transport: the shape the Solana and IOTA clients share.

use std::cell::RefCell;

use coffer_net_proto::{NetError, NetErrorKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::config::Endpoint;
use crate::http::{Idempotent, Transport};

#[derive(Deserialize)]
struct RpcAnswer<T> {
    result: Option<T>,
    error: Option<RpcError>,
    id: Option<Value>,
}

#[derive(Deserialize)]
struct RpcError {
    code: i64,
    message: String,
}

/// Calls `method` with `params` at `endpoint` and parses its result as `T`: `None` for a missing or `null` result
/// (some methods' documented answer for "unknown"). The answer must carry the request's id (`next_id` numbers the
/// requests of one client); a JSON-RPC error becomes [`NetErrorKind::Rejected`] with its message and code, anything
/// not in the documented shape [`NetErrorKind::MalformedAnswer`].
pub(crate) fn call<T: DeserializeOwned>(
    transport: &Transport,
    next_id: &RefCell<u64>,
    endpoint: &Endpoint,
    method: &str,
    params: Value,
    idem: Idempotent,
) -> Result<Option<T>, NetError> {
    let malformed = |what: String| NetError::new(NetErrorKind::MalformedAnswer, what);
    let id = {
        let mut n = next_id.borrow_mut();
        *n += 1;
        *n
    };
    let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
    let bytes = transport.post_json(&endpoint.url, body.as_bytes(), idem)?;
    let answer: RpcAnswer<T> = serde_json::from_slice(&bytes)
        .map_err(|e| malformed(format!("{method}: the answer is not the documented shape ({e})")))?;
    if answer.id.as_ref().and_then(Value::as_u64) != Some(id) && answer.error.is_none() {
        return Err(malformed(format!("{method}: the answer carries another request id")));
    }
    match (answer.result, answer.error) {
        (_, Some(e)) => {
            Err(NetError::new(NetErrorKind::Rejected, format!("{method}: {} (code {})", e.message, e.code)))
        }
        (r, None) => Ok(r),
    }
}
