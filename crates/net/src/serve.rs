//! The request loop: hello, then one answer per request line, in order.

use std::io::{BufRead, Write};

use coffer_net_proto::{
    Answer, Chain, Hello, LineReader, MAX_LINE, NetError, NetErrorKind, Outcome, ProtoError, Request, Role,
};

use crate::config::Endpoints;
use crate::http::Transport;
use crate::{iota, solana, stellar, sui};

/// Why serving stopped (other than the input ending).
#[derive(Debug)]
pub enum Stop {
    /// The client broke the protocol; nothing more it sends can be trusted to be framed right.
    Protocol(ProtoError),
    /// Writing an answer failed (the client is gone).
    Write,
}

/// Serves requests from `input` until it ends, writing answers to `output`.
///
/// # Errors
/// [`Stop`] when the client breaks the protocol or goes away.
pub fn serve(
    input: impl BufRead,
    mut output: impl Write,
    endpoints: &Endpoints,
    transport: &Transport,
    software: &str,
) -> Result<(), Stop> {
    let hello = Hello::new(Role::Server, software).to_line().map_err(Stop::Protocol)?;
    output.write_all(hello.as_bytes()).and_then(|()| output.flush()).map_err(|_| Stop::Write)?;
    let mut reader = LineReader::new(input, MAX_LINE);
    let Some(first) = reader.next_line().map_err(Stop::Protocol)? else { return Ok(()) };
    coffer_net_proto::parse_hello(first, Role::Client).map_err(Stop::Protocol)?;
    let sol = solana::Client::new(transport);
    let xlm = stellar::Client::new(transport);
    let iota = iota::Client::new(transport);
    let sui = sui::Client::new(transport);
    let clients = Clients { sol: &sol, xlm: &xlm, iota: &iota, sui: &sui };
    while let Some(line) = reader.next_line().map_err(Stop::Protocol)? {
        let answer = match coffer_net_proto::parse_request(line) {
            Ok(request) => answer(&request, endpoints, &clients),
            Err(e @ ProtoError::InvalidField { .. }) => {
                // Well-framed but out of bounds: answer it (the id, chain and network parse), send nothing out.
                let request: Request = serde_json::from_slice(line)
                    .map_err(|_| Stop::Protocol(ProtoError::Malformed { reason: e.to_string() }))?;
                Answer {
                    id: request.id,
                    chain: request.chain,
                    network: request.network,
                    endpoint: None,
                    outcome: Outcome::Error(NetError::new(NetErrorKind::BadRequest, e.to_string())),
                }
            }
            Err(e) => return Err(Stop::Protocol(e)),
        };
        let line = answer.to_line().or_else(|e| {
            // Only an answer this process built could fail here (a bug, or a reply over the line limit).
            Answer {
                endpoint: None,
                outcome: Outcome::Error(NetError::new(NetErrorKind::MalformedAnswer, e.to_string())),
                ..answer
            }
            .to_line()
            .map_err(Stop::Protocol)
        })?;
        output.write_all(line.as_bytes()).and_then(|()| output.flush()).map_err(|_| Stop::Write)?;
    }
    Ok(())
}

/// One client per chain served.
struct Clients<'c, 'a> {
    sol: &'c solana::Client<'a>,
    xlm: &'c stellar::Client<'a>,
    iota: &'c iota::Client<'a>,
    sui: &'c sui::Client<'a>,
}

fn answer(request: &Request, endpoints: &Endpoints, clients: &Clients<'_, '_>) -> Answer {
    let reply = |endpoint: Option<String>, outcome| Answer {
        id: request.id,
        chain: request.chain,
        network: request.network,
        endpoint,
        outcome,
    };
    let Some(endpoint) = endpoints.get(request.chain, request.network) else {
        let msg = format!("no endpoint is configured for {} {}", request.chain.name(), request.network.name());
        return reply(None, Outcome::Error(NetError::new(NetErrorKind::NoEndpoint, msg)));
    };
    let outcome = match request.chain {
        Chain::Solana => match clients.sol.call(endpoint, request.network, &request.call) {
            Ok(r) => Outcome::Ok(r),
            Err(e) => Outcome::Error(e),
        },
        Chain::Stellar => match clients.xlm.call(endpoint, request.network, &request.call) {
            Ok(r) => Outcome::Ok(r),
            Err(e) => Outcome::Error(e),
        },
        Chain::Iota => match clients.iota.call(endpoint, request.network, &request.call) {
            Ok(r) => Outcome::Ok(r),
            Err(e) => Outcome::Error(e),
        },
        Chain::Sui => match clients.sui.call(endpoint, request.network, &request.call) {
            Ok(r) => Outcome::Ok(r),
            Err(e) => Outcome::Error(e),
        },
        other => Outcome::Error(NetError::new(
            NetErrorKind::Unsupported,
            format!("{} is not served by this version of coffer-net", other.name()),
        )),
    };
    reply(Some(endpoint.origin.clone()), outcome)
}
