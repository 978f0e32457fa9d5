//! `coffer-net`: Coffer's network process. It reads requests from standard input and writes answers to standard
//! output, one JSON line each, after a hello line each way (docs/net-protocol.md). It holds no secret: it is given
//! addresses and signed transactions, never keys. It restricts itself with Landlock before it reads its first
//! request (see [`sandbox`]).
//!
//! ```text
//! coffer-net [--endpoint CHAIN:NETWORK=URL]... [--timeout SECONDS]
//! coffer-net --check [--try-read PATH]... [--try-connect IP:PORT]...   (sandbox self-test, prints JSON)
//! ```
//!
//! Exit codes: 0 when the input ended, 2 for bad arguments, 3 when the client broke the protocol, 1 when the
//! client went away mid-answer.

mod config;
mod http;
mod iota;
mod jsonrpc;
mod sandbox;
mod serve;
mod solana;
mod stellar;
mod sui;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(name = "coffer-net", version, about = "Coffer's network process (holds no secret; started by coffer)")]
struct Args {
    /// Use URL for CHAIN on NETWORK (for example `solana:devnet=https://rpc.example`). https, or http to this
    /// machine only. Repeatable.
    #[arg(long, value_name = "CHAIN:NETWORK=URL")]
    endpoint: Vec<String>,
    /// Give up on an endpoint after this many seconds per attempt (1 to 120).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=120))]
    timeout: u64,
    /// Apply the sandbox, try the --try-read and --try-connect probes, print a JSON report and exit.
    #[arg(long)]
    check: bool,
    /// With --check: try to read this file.
    #[arg(long, value_name = "PATH", requires = "check")]
    try_read: Vec<std::path::PathBuf>,
    /// With --check: try to open a TCP connection to this address.
    #[arg(long, value_name = "IP:PORT", requires = "check")]
    try_connect: Vec<std::net::SocketAddr>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut endpoints = config::Endpoints::defaults();
    for spec in &args.endpoint {
        if let Err(e) = endpoints.set(spec) {
            eprintln!("coffer-net: --endpoint {spec}: {e}");
            return ExitCode::from(2);
        }
    }
    // Before the first request is read: from here on the process can reach the endpoints' ports and read what
    // name resolution needs, nothing else.
    let report = sandbox::restrict(&endpoints.ports());
    if args.check {
        return check(&args, &report);
    }
    let software = format!("coffer-net {} (sandbox {})", env!("CARGO_PKG_VERSION"), report.status);
    let transport = http::Transport::new(Duration::from_secs(args.timeout));
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match serve::serve(stdin, stdout, &endpoints, &transport, &software) {
        Ok(()) => ExitCode::SUCCESS,
        Err(serve::Stop::Protocol(e)) => {
            eprintln!("coffer-net: the client broke the protocol: {e}");
            ExitCode::from(3)
        }
        Err(serve::Stop::Write) => ExitCode::FAILURE,
    }
}

/// `--check`: what the sandbox allows, as JSON on standard output.
fn check(args: &Args, report: &sandbox::Report) -> ExitCode {
    let reads: Vec<_> = args
        .try_read
        .iter()
        .map(|p| {
            let result = match std::fs::read(p) {
                Ok(_) => "allowed".to_owned(),
                Err(e) => format!("denied: {}", e.kind()),
            };
            serde_json::json!({ "path": p, "result": result })
        })
        .collect();
    let connects: Vec<_> = args
        .try_connect
        .iter()
        .map(|a| {
            let result = match std::net::TcpStream::connect_timeout(a, Duration::from_secs(5)) {
                Ok(_) => "allowed".to_owned(),
                Err(e) => format!("denied: {}", e.kind()),
            };
            serde_json::json!({ "address": a.to_string(), "result": result })
        })
        .collect();
    let out = serde_json::json!({ "sandbox": report, "read": reads, "connect": connects });
    println!("{out}");
    ExitCode::SUCCESS
}
