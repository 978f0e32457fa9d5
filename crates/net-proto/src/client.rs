//! The client side of the pipe, shared by the processes that may hold secrets (the CLI's crates/cli/src/net.rs and
//! the desktop app's crates/gui/src/net.rs): start `coffer-net` as a child, then ask it typed questions with a
//! deadline per answer. Only `std::process` and pipes: no socket, no HTTP, no TLS.
//!
//! Start it **before** the calling process restricts itself with Landlock (a child inherits its parent's domain,
//! and a secret-holding process forbids itself TCP) and before it reads any secret. Every answer is untrusted: the
//! line is bounded, parsed into typed fields that are checked ([`crate::parse_answer`]), and paired with its request
//! ([`crate::Answer::check_answers`]).

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::{
    Call, Chain, Hello, LineReader, MAX_LINE, NetErrorKind, Network, Outcome, ProtoError, Reply, Request, Role,
};

/// The per-attempt timeout given to coffer-net, in seconds.
pub const ATTEMPT_TIMEOUT_SECS: u64 = 20;

/// How long to wait for coffer-net's hello.
pub const HELLO_DEADLINE: Duration = Duration::from_secs(60);

/// How long to wait for one answer to `call`: each endpoint call coffer-net makes for it costs at most three
/// attempts and two pauses (0.25 s, 1 s); a request makes at most two calls (a network check and the call, or the
/// two token programs' holdings), except the paged lists: IOTA's and Sui's coins and owned objects, Sui's coin
/// types and history (1000 items, 50 a page: up to 20 pages and the network check), Sui's statuses (50 a request)
/// and Stellar's offers, claimable balances and history (200 a page: up to 5 pages and the check). Plus slack. A
/// network process that stays silent longer is treated as broken.
#[must_use]
pub fn answer_deadline(call: &Call) -> Duration {
    let endpoint_calls = match call {
        // Sui's history pages by 50 (1000 entries: 20 pages) and its coin types too.
        Call::Coins { .. } | Call::OwnedObjects { .. } | Call::History { .. } | Call::CoinBalances { .. } => 21,
        Call::Offers { .. } | Call::ClaimableBalances { .. } => 6,
        // Sui asks for 50 statuses at a time.
        Call::SignatureStatuses { .. } => 7,
        _ => 2,
    };
    Duration::from_secs(endpoint_calls * (3 * ATTEMPT_TIMEOUT_SECS + 2) + 10)
}

/// What went wrong asking the network process.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// It could not be started, exited, or closed its pipes.
    #[error("cannot use the network process coffer-net: {0}")]
    Unavailable(String),
    /// It did not answer within the deadline.
    #[error("the network process did not answer in time")]
    Timeout,
    /// It sent something that breaks the protocol (it cannot be trusted further).
    #[error("the network process broke the protocol: {0}")]
    Protocol(ProtoError),
    /// The request could not be sent (a field out of bounds, such as an address of another chain).
    #[error("the request is not valid: {0}")]
    Request(ProtoError),
    /// It answered with an error from the network side.
    #[error("{message}{}", endpoint.as_deref().filter(|e| !message.contains(e)).map_or_else(String::new, |e| format!(" ({e})")))]
    Net {
        /// What kind of failure.
        kind: NetErrorKind,
        /// Its message (bounded, control characters removed by the protocol).
        message: String,
        /// The endpoint that failed, if one was asked.
        endpoint: Option<String>,
    },
}

fn unavailable(why: impl std::fmt::Display) -> ClientError {
    ClientError::Unavailable(why.to_string())
}

/// Where coffer-net is: `$COFFER_NET`, else beside the running executable.
///
/// # Errors
/// [`ClientError::Unavailable`] when the running executable's path is unknown.
pub fn locate() -> Result<PathBuf, ClientError> {
    if let Some(p) = std::env::var_os("COFFER_NET") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(unavailable)?;
    let dir = exe.parent().ok_or_else(|| unavailable("this executable has no directory"))?;
    Ok(dir.join(format!("coffer-net{}", std::env::consts::EXE_SUFFIX)))
}

/// A running coffer-net.
#[derive(Debug)]
pub struct NetClient {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Option<ChildStdout>,
    lines: Option<Receiver<Result<Vec<u8>, ProtoError>>>,
    next_id: u64,
    software: String,
}

impl NetClient {
    /// Starts `path` (coffer-net) with the endpoint overrides `endpoints` (`CHAIN:NETWORK=URL`) and sends our hello
    /// as `software` (for example `coffer-gui 0.1.0`). Nothing of this process's environment reaches it (no proxy
    /// settings, no variables a user may have put a secret in); its error messages come back in answers.
    ///
    /// # Errors
    /// [`ClientError::Unavailable`] if it cannot be started or exits at once.
    pub fn spawn(path: &Path, endpoints: &[String], software: &str) -> Result<Self, ClientError> {
        let mut cmd = Command::new(path);
        cmd.arg("--timeout").arg(ATTEMPT_TIMEOUT_SECS.to_string());
        for spec in endpoints {
            cmd.arg("--endpoint").arg(spec);
        }
        let mut child = cmd
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| unavailable(format!("{}: {e}", path.display())))?;
        let mut stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let hello = Hello::new(Role::Client, software).to_line().map_err(|e| unavailable(e.to_string()))?;
        if let Some(s) = stdin.as_mut() {
            s.write_all(hello.as_bytes()).map_err(|e| unavailable(format!("it exited at once ({e})")))?;
        }
        Ok(Self { child, stdin, stdout, lines: None, next_id: 1, software: software.to_owned() })
    }

    /// The software name this client introduced itself with.
    #[must_use]
    pub fn software(&self) -> &str {
        &self.software
    }

    /// The network process's id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The next line from coffer-net, within the deadline. The reader thread starts on first use (after the
    /// caller's sandbox, so it runs under it).
    fn next_line(&mut self, deadline: Duration) -> Result<Vec<u8>, ClientError> {
        if self.lines.is_none() {
            let stdout = self.stdout.take().ok_or_else(|| unavailable("its output is gone"))?;
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            std::thread::Builder::new()
                .name("coffer-net-reader".into())
                .spawn(move || {
                    let mut reader = LineReader::new(BufReader::new(stdout), MAX_LINE);
                    loop {
                        let item = match reader.next_line() {
                            Ok(Some(line)) => Ok(line.to_vec()),
                            Ok(None) => Err(ProtoError::Truncated),
                            Err(e) => Err(e),
                        };
                        let stop = item.is_err();
                        if tx.send(item).is_err() || stop {
                            return;
                        }
                    }
                })
                .map_err(unavailable)?;
            self.lines = Some(rx);
            // Its hello comes first.
            let hello = self.recv(HELLO_DEADLINE)?;
            crate::parse_hello(&hello, Role::Server).map_err(ClientError::Protocol)?;
        }
        self.recv(deadline)
    }

    fn recv(&mut self, deadline: Duration) -> Result<Vec<u8>, ClientError> {
        let rx = self.lines.as_ref().ok_or_else(|| unavailable("no reader"))?;
        match rx.recv_timeout(deadline) {
            Ok(Ok(line)) => Ok(line),
            Ok(Err(ProtoError::Truncated)) | Err(RecvTimeoutError::Disconnected) => {
                Err(unavailable("it exited without answering"))
            }
            Ok(Err(e)) => Err(ClientError::Protocol(e)),
            Err(RecvTimeoutError::Timeout) => Err(ClientError::Timeout),
        }
    }

    /// Asks one question and returns the checked reply and the endpoint that answered.
    ///
    /// # Errors
    /// [`ClientError`]: the request is invalid, the process is gone or silent past [`answer_deadline`], it broke the
    /// protocol, or the network side failed.
    pub fn call(&mut self, chain: Chain, network: Network, call: Call) -> Result<(Reply, Option<String>), ClientError> {
        let deadline = answer_deadline(&call);
        let request = Request { id: self.next_id, chain, network, call };
        self.next_id += 1;
        let line = request.to_line().map_err(ClientError::Request)?;
        let stdin = self.stdin.as_mut().ok_or_else(|| unavailable("its input is closed"))?;
        stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(|e| unavailable(format!("it went away ({e})")))?;
        let answer = self.next_line(deadline)?;
        let answer = crate::parse_answer(&answer).map_err(ClientError::Protocol)?;
        answer.check_answers(&request).map_err(ClientError::Protocol)?;
        match answer.outcome {
            Outcome::Ok(reply) => Ok((reply, answer.endpoint)),
            Outcome::Error(e) => Err(ClientError::Net { kind: e.kind, message: e.message, endpoint: answer.endpoint }),
        }
    }
}

/// Whether an address was ever used, for account discovery (`coffer_core::discover`): it has any history (one
/// entry is enough), or holds anything now; with the endpoint that gave the last answer. Per chain: Solana —
/// `history` then `balance`; Stellar — `account` (it exists) then `history` (a merged account keeps its
/// history); IOTA and Sui — `history` then `coin_balances` (any coin type with a balance). The cheapest question
/// goes first and a `true` ends it.
///
/// # Errors
/// As [`NetClient::call`]; a reply of another kind is [`ClientError::Protocol`].
pub fn ever_used(
    client: &mut NetClient,
    chain: Chain,
    network: Network,
    address: &str,
) -> Result<(bool, Option<String>), ClientError> {
    let other = || ClientError::Protocol(ProtoError::Mismatch { field: "kind" });
    let address = address.to_owned();
    let history = |client: &mut NetClient| -> Result<(bool, Option<String>), ClientError> {
        match client.call(chain, network, Call::History { address: address.clone(), limit: 1 })? {
            (Reply::History { entries, .. }, e) => Ok((!entries.is_empty(), e)),
            _ => Err(other()),
        }
    };
    match chain {
        Chain::Stellar => {
            match client.call(chain, network, Call::Account { address: address.clone() })? {
                (Reply::Account { account: Some(_), .. }, e) => return Ok((true, e)),
                (Reply::Account { account: None, .. }, _) => {}
                _ => return Err(other()),
            }
            history(client)
        }
        Chain::Solana => {
            let h = history(client)?;
            if h.0 {
                return Ok(h);
            }
            match client.call(chain, network, Call::Balance { address: address.clone() })? {
                (Reply::Balance { amount, .. }, e) => Ok((amount.value() > 0, e)),
                _ => Err(other()),
            }
        }
        _ => {
            let h = history(client)?;
            if h.0 {
                return Ok(h);
            }
            match client.call(chain, network, Call::CoinBalances { address: address.clone() })? {
                (Reply::CoinBalances { balances, .. }, e) => Ok((balances.iter().any(|b| b.total.value() > 0), e)),
                _ => Err(other()),
            }
        }
    }
}

impl Drop for NetClient {
    fn drop(&mut self) {
        // Closing its input ends it; it has nothing to save.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_missing_program_is_unavailable() {
        let e = NetClient::spawn(Path::new("/nonexistent/coffer-net"), &[], "test").unwrap_err();
        assert!(matches!(e, ClientError::Unavailable(ref m) if m.contains("/nonexistent/coffer-net")), "{e}");
    }

    /// A program that is not coffer-net (it says something that is not a hello) breaks the protocol.
    #[cfg(unix)]
    #[test]
    fn a_process_that_does_not_speak_the_protocol_is_not_believed() {
        // echo may exit before our hello is written (a broken pipe at spawn) or after (no hello back): either way
        // it is not believed.
        let e = match NetClient::spawn(Path::new("/bin/echo"), &[], "test") {
            Err(e) => e,
            Ok(mut c) => c.call(Chain::Solana, Network::Devnet, Call::LatestBlockhash).unwrap_err(),
        };
        assert!(matches!(e, ClientError::Protocol(_) | ClientError::Unavailable(_)), "{e}");
    }

    #[test]
    fn network_errors_name_their_endpoint_once() {
        let e = ClientError::Net {
            kind: NetErrorKind::EndpointDown,
            message: "connection refused".into(),
            endpoint: Some("http://127.0.0.1:1".into()),
        };
        assert_eq!(e.to_string(), "connection refused (http://127.0.0.1:1)");
    }
}
