//! The CLI's side of the network process: `coffer` never opens an internet socket itself. For a command that
//! needs the network it starts `coffer-net` (beside its own executable, or `$COFFER_NET`) **before** it restricts
//! itself with Landlock (a child inherits the parent's domain, and the CLI's forbids TCP) and before it reads any
//! secret, then talks to it over a pipe with the typed protocol of coffer-net-proto (docs/net-protocol.md), through
//! the client shared with the desktop app (`coffer_net_proto::client`). Every answer is untrusted: the line is
//! bounded, parsed into typed fields that are checked, and paired with its request.

use std::sync::Mutex;

use coffer_net_proto::client::{self as shared, ClientError};
use coffer_net_proto::{Call, Chain, NetErrorKind, Network, ProtoError, Reply};

use crate::error::{CliError, code};

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

/// A running coffer-net.
#[derive(Debug)]
pub struct NetClient(shared::NetClient);

impl NetClient {
    fn spawn(chain: Chain, network: Network, endpoint: Option<&str>) -> Result<Self, CliError> {
        let path = shared::locate().map_err(cli_error)?;
        let specs: Vec<String> =
            endpoint.map(|url| format!("{}:{}={url}", chain.name(), network.name())).into_iter().collect();
        shared::NetClient::spawn(&path, &specs, concat!("coffer ", env!("CARGO_PKG_VERSION")))
            .map(Self)
            .map_err(cli_error)
    }

    /// Asks one question and returns the checked reply.
    ///
    /// # Errors
    /// A [`CliError`] with exit code [`code::NETWORK`] and a `network_*` or endpoint kind (docs/cli.md).
    pub fn call(&mut self, chain: Chain, network: Network, call: Call) -> Result<(Reply, Option<String>), CliError> {
        self.0.call(chain, network, call).map_err(cli_error)
    }

    /// Whether `address` was ever used, and the endpoint that said so ([`shared::ever_used`]).
    ///
    /// # Errors
    /// As [`NetClient::call`].
    pub fn ever_used(
        &mut self,
        chain: Chain,
        network: Network,
        address: &str,
    ) -> Result<(bool, Option<String>), CliError> {
        shared::ever_used(&mut self.0, chain, network, address).map_err(cli_error)
    }

    /// The shared client, for the holdings fetches of [`coffer_net_proto::holdings`].
    pub fn shared(&mut self) -> &mut shared::NetClient {
        &mut self.0
    }
}

/// The CLI error for a failed holdings fetch: the client's, or `malformed_answer` for an answer not believed.
pub fn fetch_error(e: coffer_net_proto::holdings::FetchError) -> CliError {
    match e {
        coffer_net_proto::holdings::FetchError::Client(e) => cli_error(e),
        other => CliError::new(code::NETWORK, "malformed_answer", other.to_string()),
    }
}

/// The CLI error for a failure of the shared client.
fn cli_error(e: ClientError) -> CliError {
    match e {
        ClientError::Unavailable(why) => unavailable(why),
        ClientError::Timeout => {
            CliError::new(code::NETWORK, "network_timeout", "the network process did not answer in time")
        }
        ClientError::Protocol(e) => broken(e),
        ClientError::Request(e) => CliError::invalid("invalid_address", e.to_string()),
        ClientError::Net { kind, message, endpoint } => from_net(kind, &message, endpoint.as_deref()),
        other => unavailable(other),
    }
}

fn broken(e: ProtoError) -> CliError {
    CliError::new(code::NETWORK, "network_protocol", format!("the network process broke the protocol: {e}"))
}

/// The CLI error for a network-side failure: exit code [`code::NETWORK`], the protocol's kind as the error kind;
/// except `unsupported` (the network process does not serve this use of the chain), which is the same refusal the
/// CLI gives itself before asking, so it has the same exit code, 3, as docs/cli.md says.
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
    let exit = if kind == NetErrorKind::Unsupported { code::INVALID_INPUT } else { code::NETWORK };
    CliError::new(exit, name, format!("{message}{from}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The network process's kinds keep their names; each is exit 8 except `unsupported`, which is exit 3 wherever
    /// it comes from (docs/cli.md's table has one exit code per kind).
    #[test]
    fn network_kinds_and_exit_codes() {
        let e = from_net(NetErrorKind::Unsupported, "history is not served for stellar", None);
        assert_eq!((e.code(), e.kind()), (code::INVALID_INPUT, "unsupported"));
        let e = from_net(NetErrorKind::Timeout, "slow", Some("https://x.example"));
        assert_eq!((e.code(), e.kind(), e.message()), (code::NETWORK, "endpoint_timeout", "slow (https://x.example)"));
    }
}
