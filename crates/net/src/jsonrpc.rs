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

/// A JSON-RPC error answer: its code and message, for callers that tell a documented "not found" from a failure.
#[derive(Debug)]
pub(crate) struct RpcFault {
    /// The JSON-RPC error code.
    pub code: i64,
    /// The error message.
    pub message: String,
}

impl RpcFault {
    /// The typed error for this fault: [`NetErrorKind::Rejected`] with the message and code.
    pub fn into_error(self, method: &str) -> NetError {
        NetError::new(NetErrorKind::Rejected, format!("{method}: {} (code {})", self.message, self.code))
    }
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
    call_or_fault(transport, next_id, endpoint, method, params, idem)?.map_err(|f| f.into_error(method))
}

/// As [`call`], with a JSON-RPC error answer returned as the inner [`RpcFault`].
pub(crate) fn call_or_fault<T: DeserializeOwned>(
    transport: &Transport,
    next_id: &RefCell<u64>,
    endpoint: &Endpoint,
    method: &str,
    params: Value,
    idem: Idempotent,
) -> Result<Result<Option<T>, RpcFault>, NetError> {
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
        (_, Some(e)) => Ok(Err(RpcFault { code: e.code, message: e.message })),
        (r, None) => Ok(Ok(r)),
    }
}

/// The most elements coffer-net puts in one JSON-RPC batch array (public nodes limit batch sizes; 50 stays under
/// the limits they document, and keeps one answer far below the transport's size limit).
pub(crate) const BATCH: usize = 50;

/// Calls `method` once per element of `params` in JSON-RPC 2.0 batch arrays (one HTTP request per [`BATCH`]
/// elements) and returns each element's result (or its JSON-RPC error) in the order
/// of `params`, with the number of HTTP requests made. Every element of an answer must carry the id of one element
/// of its request, each id exactly once (the specification lets a server answer a batch in any order), and a result
/// or an error; an answer with another number of elements, an unknown or repeated id, or an element with neither is
/// [`NetErrorKind::MalformedAnswer`]. A server that answers the array with one error object (it
/// does not take batches) gives that error.
pub(crate) fn batch<T: DeserializeOwned>(
    transport: &Transport,
    next_id: &RefCell<u64>,
    endpoint: &Endpoint,
    method: &str,
    params: Vec<Value>,
) -> Result<(Vec<Result<T, RpcFault>>, u32), NetError> {
    let malformed = |what: String| NetError::new(NetErrorKind::MalformedAnswer, what);
    let mut results = Vec::with_capacity(params.len());
    let mut requests = 0u32;
    let mut params = params.into_iter().peekable();
    while params.peek().is_some() {
        let chunk: Vec<Value> = params.by_ref().take(BATCH).collect();
        let first = {
            let mut n = next_id.borrow_mut();
            let first = *n + 1;
            *n += chunk.len() as u64;
            first
        };
        let body: Vec<Value> = chunk
            .into_iter()
            .zip(first..)
            .map(|(p, id)| json!({"jsonrpc": "2.0", "id": id, "method": method, "params": p}))
            .collect();
        let asked = body.len();
        let bytes = transport.post_json(&endpoint.url, Value::Array(body).to_string().as_bytes(), Idempotent::Yes)?;
        requests += 1;
        let answers: Vec<RpcAnswer<T>> = match serde_json::from_slice(&bytes) {
            Ok(a) => a,
            Err(e) => {
                // One error object for the whole array: the server does not take batches (or refused this one).
                if let Ok(RpcAnswer::<Value> { error: Some(err), .. }) = serde_json::from_slice(&bytes) {
                    return Err(NetError::new(
                        NetErrorKind::Rejected,
                        format!("{method} (batch): {} (code {})", err.message, err.code),
                    ));
                }
                return Err(malformed(format!("{method} (batch): the answer is not the documented shape ({e})")));
            }
        };
        if answers.len() != asked {
            return Err(malformed(format!("{method} (batch): {} answers to {asked} requests", answers.len())));
        }
        let mut slots: Vec<Option<Result<T, RpcFault>>> = std::iter::repeat_with(|| None).take(asked).collect();
        for a in answers {
            let index = a
                .id
                .as_ref()
                .and_then(Value::as_u64)
                .and_then(|id| id.checked_sub(first))
                .and_then(|i| usize::try_from(i).ok())
                .filter(|&i| i < asked)
                .ok_or_else(|| malformed(format!("{method} (batch): an answer carries an id that was not asked")))?;
            let result = match (a.result, a.error) {
                (_, Some(e)) => Err(RpcFault { code: e.code, message: e.message }),
                (Some(r), None) => Ok(r),
                (None, None) => {
                    return Err(malformed(format!("{method} (batch): an answer has neither result nor error")));
                }
            };
            if slots[index].replace(result).is_some() {
                return Err(malformed(format!("{method} (batch): two answers carry the same id")));
            }
        }
        // asked answers, each id in range and none twice: every slot is filled.
        results.extend(slots.into_iter().flatten());
    }
    Ok((results, requests))
}
