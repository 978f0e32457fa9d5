//! Errors: [`ProtoError`] for a line that breaks the protocol, [`NetError`] for what went wrong on the network
//! side (sent inside an answer).

use serde::{Deserialize, Serialize};

/// A line or message that breaks the protocol. The side that reads it cannot trust anything in it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtoError {
    /// A line is longer than the limit; it was skipped without being buffered.
    #[error("line longer than {limit} bytes")]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The input ended in the middle of a line.
    #[error("input ended inside a line")]
    Truncated,
    /// Reading the pipe failed.
    #[error("read failed: {0}")]
    Io(#[from] std::io::Error),
    /// The line is not the expected JSON shape (or nests deeper than allowed).
    #[error("malformed message: {reason}")]
    Malformed {
        /// What was wrong, without echoing the input.
        reason: String,
    },
    /// A field is outside its bounds or has the wrong format.
    #[error("invalid field {field}: {reason}")]
    InvalidField {
        /// The field's name.
        field: &'static str,
        /// What was wrong, without echoing the value.
        reason: &'static str,
    },
    /// The other side speaks another protocol version.
    #[error("protocol version {theirs} is not the supported version {ours}")]
    Version {
        /// Theirs.
        theirs: u32,
        /// Ours ([`crate::PROTOCOL_VERSION`]).
        ours: u32,
    },
    /// An answer does not match the request it claims to answer (id, chain, network or reply kind).
    #[error("answer does not match its request: {field}")]
    Mismatch {
        /// The field that differs.
        field: &'static str,
    },
}

impl ProtoError {
    pub(crate) fn malformed(e: &serde_json::Error) -> Self {
        // serde_json's message names the expected shape and a position, never the input's text beyond a short
        // unknown-variant or unknown-field name.
        let mut reason = e.to_string();
        crate::field::truncate(&mut reason, crate::MAX_TEXT);
        Self::Malformed { reason }
    }
}

/// What went wrong on the network side, sent inside an answer. Stable `kind`s for scripts; `message` is for
/// people (bounded, no control characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetError {
    /// The kind of failure.
    pub kind: NetErrorKind,
    /// A short description for people.
    pub message: String,
}

impl NetError {
    /// An error of `kind` with `message` (cut to [`crate::MAX_TEXT`] bytes, control characters replaced).
    #[must_use]
    pub fn new(kind: NetErrorKind, message: impl Into<String>) -> Self {
        let mut message = crate::field::clean_text(&message.into());
        crate::field::truncate(&mut message, crate::MAX_TEXT);
        Self { kind, message }
    }
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for NetError {}

/// The kinds of network-side failure. Never renamed (scripts and docs/cli.md rely on the names); new kinds may be
/// added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NetErrorKind {
    /// The endpoint could not be reached: the name did not resolve, the connection was refused or reset.
    EndpointDown,
    /// The endpoint did not answer within the time limit.
    Timeout,
    /// The endpoint's answer is not the documented shape, or a field in it is out of bounds.
    MalformedAnswer,
    /// The endpoint serves another chain or network (its genesis hash is not the expected one).
    WrongChain,
    /// The TLS handshake failed (for example a certificate for another name or from an unknown authority).
    Tls,
    /// The endpoint's answer is larger than the limit.
    AnswerTooLarge,
    /// The endpoint answered with an HTTP error status.
    HttpStatus,
    /// The endpoint refused the call with a JSON-RPC error (for example a transaction that fails to execute).
    Rejected,
    /// The request broke the protocol or a bound; the network process did not send it anywhere.
    BadRequest,
    /// This chain, network or call is not served by this version of coffer-net.
    Unsupported,
    /// No endpoint is configured for this chain and network.
    NoEndpoint,
}

impl NetErrorKind {
    /// The stable snake_case name (as on the wire).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::EndpointDown => "endpoint_down",
            Self::Timeout => "timeout",
            Self::MalformedAnswer => "malformed_answer",
            Self::WrongChain => "wrong_chain",
            Self::Tls => "tls",
            Self::AnswerTooLarge => "answer_too_large",
            Self::HttpStatus => "http_status",
            Self::Rejected => "rejected",
            Self::BadRequest => "bad_request",
            Self::Unsupported => "unsupported",
            Self::NoEndpoint => "no_endpoint",
        }
    }
}
