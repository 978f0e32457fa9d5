//! The CLI's side of the network process: `coffer` never opens an internet socket itself. For a command that
//! needs the network it starts `coffer-net` (beside its own executable, or `$COFFER_NET`) **before** it restricts
//! itself with Landlock (a child inherits the parent's domain, and the CLI's forbids TCP) and before it reads any
//! secret, then talks to it over a pipe with the typed protocol of coffer-net-proto (docs/net-protocol.md). Every
//! answer is untrusted: the line is bounded, parsed into typed fields that are checked, and paired with its
//! request.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use coffer_net_proto::{
    Call, Chain, Hello, LineReader, MAX_LINE, NetErrorKind, Network, Outcome, ProtoError, Reply, Request, Role,
};

use crate::error::{CliError, code};

/// The per-attempt timeout given to coffer-net, in seconds.
const ATTEMPT_TIMEOUT_SECS: u64 = 20;

/// How long the CLI waits for one answer to `call`: each endpoint call coffer-net makes for it costs at most three
/// attempts and two pauses (0.25 s, 1 s); a request makes at most two calls (a network check and the call, or the
/// two token programs' holdings), except the paged lists: IOTA's and Sui's coins and owned objects, Sui's coin
/// types and history (1000 items, 50 a page: up to 20 pages and the network check), Sui's statuses (50 a request)
/// and Stellar's offers and claimable balances (200 a page: up to 5 pages and the check). Plus slack. A network process that stays silent longer is treated as broken.
fn answer_deadline(call: &Call) -> Duration {
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

/// How long the CLI waits for coffer-net's hello.
const HELLO_DEADLINE: Duration = Duration::from_secs(60);

/// The network process started for this command, if the command needs one.
static NET: Mutex<Option<Result<NetClient, CliError>>> = Mutex::new(None);

/// Starts coffer-net for a command that needs it, overriding the endpoint of (`chain`, `network`) with
/// `endpoint`. Call it before the sandbox and before any secret is read. A failure is kept and reported when the
/// command asks for the client.
pub fn start(chain: Chain, network: Network, endpoint: Option<&str>) {
    let client = NetClient::spawn(chain, network, endpoint);
    if let Ok(mut slot) = NET.lock() {
        *slot = Some(client);
    }
}

/// The network process started by [`start`].
///
/// # Errors
/// The error of starting it, or `network_unavailable` if none was started.
pub fn client() -> Result<NetClient, CliError> {
    NET.lock().ok().and_then(|mut s| s.take()).unwrap_or_else(|| Err(unavailable("no network process was started")))
}

fn unavailable(why: impl std::fmt::Display) -> CliError {
    CliError::new(code::NETWORK, "network_unavailable", format!("cannot use the network process coffer-net: {why}"))
}

/// Where coffer-net is: `$COFFER_NET`, else beside this executable.
fn locate() -> Result<PathBuf, CliError> {
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
}

impl NetClient {
    fn spawn(chain: Chain, network: Network, endpoint: Option<&str>) -> Result<Self, CliError> {
        let path = locate()?;
        let mut cmd = Command::new(&path);
        cmd.arg("--timeout").arg(ATTEMPT_TIMEOUT_SECS.to_string());
        if let Some(url) = endpoint {
            cmd.arg("--endpoint").arg(format!("{}:{}={url}", chain.name(), network.name()));
        }
        // Nothing of this process's environment reaches the network process (no proxy settings, no variables a
        // user may have put a secret in); its error messages come back in answers, not on our terminal.
        let mut child = cmd
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| unavailable(format!("{}: {e}", path.display())))?;
        let mut stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let hello = Hello::new(Role::Client, concat!("coffer ", env!("CARGO_PKG_VERSION")))
            .to_line()
            .map_err(|e| unavailable(e.to_string()))?;
        if let Some(s) = stdin.as_mut() {
            s.write_all(hello.as_bytes()).map_err(|e| unavailable(format!("it exited at once ({e})")))?;
        }
        Ok(Self { child, stdin, stdout, lines: None, next_id: 1 })
    }

    /// The next line from coffer-net, within the deadline. The reader thread starts on first use, after the
    /// sandbox, so it runs under it.
    fn next_line(&mut self, deadline: Duration) -> Result<Vec<u8>, CliError> {
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
            coffer_net_proto::parse_hello(&hello, Role::Server).map_err(broken)?;
        }
        self.recv(deadline)
    }

    fn recv(&mut self, deadline: Duration) -> Result<Vec<u8>, CliError> {
        let rx = self.lines.as_ref().ok_or_else(|| unavailable("no reader"))?;
        match rx.recv_timeout(deadline) {
            Ok(Ok(line)) => Ok(line),
            Ok(Err(ProtoError::Truncated)) | Err(RecvTimeoutError::Disconnected) => {
                Err(unavailable("it exited without answering"))
            }
            Ok(Err(e)) => Err(broken(e)),
            Err(RecvTimeoutError::Timeout) => {
                Err(CliError::new(code::NETWORK, "network_timeout", "the network process did not answer in time"))
            }
        }
    }

    /// Asks one question and returns the checked reply.
    ///
    /// # Errors
    /// A [`CliError`] with exit code [`code::NETWORK`] and a `network_*` or endpoint kind (docs/cli.md).
    pub fn call(&mut self, chain: Chain, network: Network, call: Call) -> Result<(Reply, Option<String>), CliError> {
        let deadline = answer_deadline(&call);
        let request = Request { id: self.next_id, chain, network, call };
        self.next_id += 1;
        let line = request.to_line().map_err(|e| CliError::invalid("invalid_address", e.to_string()))?;
        let stdin = self.stdin.as_mut().ok_or_else(|| unavailable("its input is closed"))?;
        stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(|e| unavailable(format!("it went away ({e})")))?;
        let answer = self.next_line(deadline)?;
        let answer = coffer_net_proto::parse_answer(&answer).map_err(broken)?;
        answer.check_answers(&request).map_err(broken)?;
        match answer.outcome {
            Outcome::Ok(reply) => Ok((reply, answer.endpoint)),
            Outcome::Error(e) => Err(from_net(e.kind, &e.message, answer.endpoint.as_deref())),
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

fn broken(e: ProtoError) -> CliError {
    CliError::new(code::NETWORK, "network_protocol", format!("the network process broke the protocol: {e}"))
}

/// The CLI error for a network-side failure: exit code [`code::NETWORK`], the protocol's kind as the error kind.
fn from_net(kind: NetErrorKind, message: &str, endpoint: Option<&str>) -> CliError {
    let name = match kind {
        NetErrorKind::EndpointDown => "endpoint_down",
        NetErrorKind::Timeout => "endpoint_timeout",
        NetErrorKind::MalformedAnswer => "malformed_answer",
        NetErrorKind::WrongChain => "wrong_chain",
        NetErrorKind::Tls => "tls_failure",
        NetErrorKind::AnswerTooLarge => "answer_too_large",
        NetErrorKind::HttpStatus => "endpoint_http_error",
        NetErrorKind::Rejected => "endpoint_rejected",
        NetErrorKind::NoEndpoint => "no_endpoint",
        NetErrorKind::Unsupported => "unsupported",
        _ => "network_error",
    };
    let from = endpoint.filter(|e| !message.contains(e)).map_or_else(String::new, |e| format!(" ({e})"));
    CliError::new(code::NETWORK, name, format!("{message}{from}"))
}
