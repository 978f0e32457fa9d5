//! The transport: JSON over HTTP(S) (JSON-RPC POSTs, REST GETs and form POSTs) with a time limit, a size limit on the answer before anything parses
//! it, a depth limit on its JSON, and a bounded number of retries.

use std::time::Duration;

use coffer_net_proto::{NetError, NetErrorKind};

/// The largest answer body read from an endpoint (4 MiB); a larger one is an error, not truncated.
pub const MAX_BODY: u64 = 4 << 20;

/// The deepest JSON nesting accepted in an endpoint's answer (Solana's deepest documented answer nests 6).
pub const MAX_BODY_DEPTH: usize = 32;

/// Retries after the first attempt, for calls that are safe to repeat.
pub const RETRIES: u32 = 2;

/// Whether a call may be repeated after a failure that might have reached the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotent {
    /// A read: repeat after timeouts, connection failures, 429 and 5xx.
    Yes,
    /// A write (broadcast): repeat only when the connection was never made.
    No,
}

/// A blocking HTTP client with Coffer's limits.
#[derive(Debug)]
pub struct Transport {
    agent: ureq::Agent,
    backoff: Duration,
}

impl Transport {
    /// A client whose every call gives up after `timeout`.
    #[must_use]
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .http_status_as_error(false)
            // Never through a proxy from the environment: the sandbox lets this process reach the configured
            // endpoints' ports and nothing else.
            .proxy(None)
            .max_redirects(0)
            .max_response_header_size(64 * 1024)
            .user_agent(concat!("coffer-net/", env!("CARGO_PKG_VERSION")))
            .build();
        Self { agent: ureq::Agent::new_with_config(config), backoff: Duration::from_millis(250) }
    }

    /// POSTs `body` (JSON) to `url` and returns the answer's body, at most [`MAX_BODY`] bytes, checked to nest at
    /// most [`MAX_BODY_DEPTH`] deep.
    ///
    /// # Errors
    /// A [`NetError`] of kind `endpoint_down`, `timeout`, `tls`, `http_status`, `answer_too_large` or
    /// `malformed_answer`.
    pub fn post_json(&self, url: &str, body: &[u8], idempotent: Idempotent) -> Result<Vec<u8>, NetError> {
        self.send(url, Some(("application/json", body)), &[200], idempotent).map(|(_, b)| b)
    }

    /// GETs `url`; an answer whose status is in `accept` is returned with its body (bounded as for
    /// [`Transport::post_json`]), any other status is an `http_status` error.
    ///
    /// # Errors
    /// As [`Transport::post_json`].
    pub fn get(&self, url: &str, accept: &[u16]) -> Result<(u16, Vec<u8>), NetError> {
        self.send(url, None, accept, Idempotent::Yes)
    }

    /// POSTs an `application/x-www-form-urlencoded` body; statuses as for [`Transport::get`].
    ///
    /// # Errors
    /// As [`Transport::post_json`].
    pub fn post_form(
        &self,
        url: &str,
        form: &[u8],
        accept: &[u16],
        idempotent: Idempotent,
    ) -> Result<(u16, Vec<u8>), NetError> {
        self.send(url, Some(("application/x-www-form-urlencoded", form)), accept, idempotent)
    }

    fn send(
        &self,
        url: &str,
        body: Option<(&str, &[u8])>,
        accept: &[u16],
        idempotent: Idempotent,
    ) -> Result<(u16, Vec<u8>), NetError> {
        let mut attempt = 0;
        loop {
            match self.send_once(url, body, accept) {
                Ok(b) => return Ok(b),
                Err((e, retryable)) => {
                    let again = match idempotent {
                        Idempotent::Yes => retryable,
                        Idempotent::No => retryable && e.kind == NetErrorKind::EndpointDown,
                    };
                    if !again || attempt >= RETRIES {
                        return Err(e);
                    }
                }
            }
            attempt += 1;
            std::thread::sleep(self.backoff * 4u32.pow(attempt - 1));
        }
    }

    /// One attempt; the flag says whether a retry may help.
    fn send_once(
        &self,
        url: &str,
        body: Option<(&str, &[u8])>,
        accept: &[u16],
    ) -> Result<(u16, Vec<u8>), (NetError, bool)> {
        let sent = match body {
            Some((content_type, body)) => self
                .agent
                .post(url)
                .header("content-type", content_type)
                .header("accept", "application/json")
                .send(body),
            None => self.agent.get(url).header("accept", "application/json").call(),
        };
        let mut response = sent.map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        if !accept.contains(&status) {
            let retry = status == 429 || status >= 500;
            return Err((
                NetError::new(NetErrorKind::HttpStatus, format!("the endpoint answered HTTP {status}")),
                retry,
            ));
        }
        let declared = response.body().content_length();
        if declared.is_some_and(|n| n > MAX_BODY) {
            return Err((too_large(), false));
        }
        let bytes = response.body_mut().with_config().limit(MAX_BODY).read_to_vec().map_err(|e| classify(&e))?;
        if !coffer_net_proto::json_depth_within(&bytes, MAX_BODY_DEPTH) {
            return Err((NetError::new(NetErrorKind::MalformedAnswer, "the answer nests too deep"), false));
        }
        Ok((status, bytes))
    }
}

fn too_large() -> NetError {
    NetError::new(NetErrorKind::AnswerTooLarge, format!("the answer is larger than {} MiB", MAX_BODY >> 20))
}

/// Maps a transport error to a typed one, and whether a retry may help.
fn classify(e: &ureq::Error) -> (NetError, bool) {
    use NetErrorKind as K;
    use ureq::Error as E;
    let (kind, retry) = match e {
        E::Timeout(_) => (K::Timeout, true),
        E::HostNotFound | E::ConnectionFailed => (K::EndpointDown, true),
        E::Tls(_) | E::Rustls(_) | E::Pem(_) => (K::Tls, false),
        E::BodyExceedsLimit(_) => return (too_large(), false),
        E::Protocol(_) | E::Http(_) | E::BadUri(_) => (K::MalformedAnswer, false),
        E::Io(io) => {
            if io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
                (K::Tls, false)
            } else if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock {
                (K::Timeout, true)
            } else {
                (K::EndpointDown, true)
            }
        }
        _ => (K::EndpointDown, false),
    };
    let message = match kind {
        K::Timeout => "the endpoint did not answer in time".to_owned(),
        K::Tls => format!("TLS failed: {e}"),
        K::EndpointDown => format!("the endpoint cannot be reached: {e}"),
        _ => format!("the endpoint's answer is not valid HTTP: {e}"),
    };
    (NetError::new(kind, message), retry)
}
