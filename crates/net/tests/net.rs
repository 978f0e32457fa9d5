//! coffer-net as a process: the protocol on its pipes, the transport's faults against real local servers (refused,
//! hanging, garbage, 100 MB, too deep, HTTP errors, a TLS certificate nobody vouches for), its sandbox, and (ignored
//! unless scripts/chain-test runs them, as they need tests/chain-servers/node_modules) the Solana client against
//! LiteSVM, the real Solana runtime, including a transfer it really executes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use coffer_net_proto::{
    Answer, Call, Chain, Hello, LineReader, MAX_LINE, NetErrorKind, Network, Outcome, Reply, Request, Role,
    parse_answer, parse_hello,
};
use coffer_test_util::LiteSvm;
use serde_json::{Value, json};

const ADDR: &str = "D1wVoDgnrxazyxjLJ8uYNwytuaeNQz5hk1TyiY3xCYzK";

/// A running coffer-net with the hello exchanged.
struct Net {
    child: Child,
    stdin: Option<ChildStdin>,
    reader: LineReader<BufReader<ChildStdout>>,
    next: u64,
}

impl Net {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coffer-net"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start coffer-net");
        let mut stdin = child.stdin.take();
        let mut reader = LineReader::new(BufReader::new(child.stdout.take().unwrap()), MAX_LINE);
        let hello = reader.next_line().unwrap().expect("hello").to_vec();
        let hello = parse_hello(&hello, Role::Server).unwrap();
        assert!(hello.software.starts_with("coffer-net "), "{hello:?}");
        let ours = Hello::new(Role::Client, "net test").to_line().unwrap();
        stdin.as_mut().unwrap().write_all(ours.as_bytes()).unwrap();
        Self { child, stdin, reader, next: 1 }
    }

    fn with_endpoint(network: Network, url: &str) -> Self {
        let spec = format!("solana:{}={url}", network.name());
        Self::start(&["--timeout", "1", "--endpoint", &spec])
    }

    fn ask(&mut self, network: Network, call: Call) -> Answer {
        let request = Request { id: self.next, chain: Chain::Solana, network, call };
        self.next += 1;
        self.stdin.as_mut().unwrap().write_all(request.to_line().unwrap().as_bytes()).unwrap();
        let line = self.reader.next_line().unwrap().expect("an answer").to_vec();
        let answer = parse_answer(&line).unwrap();
        answer.check_answers(&request).unwrap();
        answer
    }

    fn ok(&mut self, network: Network, call: Call) -> Reply {
        match self.ask(network, call).outcome {
            Outcome::Ok(r) => r,
            Outcome::Error(e) => panic!("{e}"),
        }
    }

    fn err(&mut self, network: Network, call: Call) -> (NetErrorKind, String) {
        match self.ask(network, call).outcome {
            Outcome::Ok(r) => panic!("expected an error, got {r:?}"),
            Outcome::Error(e) => (e.kind, e.message),
        }
    }

    fn finish(mut self) -> i32 {
        drop(self.stdin.take());
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

fn balance() -> Call {
    Call::Balance { address: ADDR.into() }
}

/// A local HTTP server that answers each connection with `respond`, on a thread.
fn http_server(respond: impl Fn(&mut TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            // Read the request head and body (small) before answering.
            let mut buf = [0u8; 8192];
            let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = s.read(&mut buf);
            respond(&mut s);
        }
    });
    url
}

fn answer_with(body: &'static str) -> String {
    http_server(move |s| {
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
    })
}

#[test]
fn hello_then_answers_in_order() {
    let mut net = Net::start(&[]);
    // No endpoint for a localnet unless one is given: a typed error, no network traffic.
    let (kind, _) = net.err(Network::Localnet, balance());
    assert_eq!(kind, NetErrorKind::NoEndpoint);
    // Out-of-bounds fields are answered with bad_request, echoing id, chain and network.
    net.stdin.as_mut().unwrap().write_all(
        br#"{"id":77,"chain":"solana","network":"mainnet","call":{"method":"history","address":"D1wVoDgnrxazyxjLJ8uYNwytuaeNQz5hk1TyiY3xCYzK","limit":100000}}
"#,
    ).unwrap();
    let line = net.reader.next_line().unwrap().unwrap().to_vec();
    let a = parse_answer(&line).unwrap();
    assert_eq!((a.id, a.chain, a.network), (77, Chain::Solana, Network::Mainnet));
    assert!(matches!(a.outcome, Outcome::Error(ref e) if e.kind == NetErrorKind::BadRequest), "{a:?}");
    assert_eq!(net.finish(), 0);
}

#[test]
fn a_client_that_breaks_the_protocol_is_dropped() {
    // A line over the limit.
    let mut net = Net::start(&[]);
    let long = vec![b'x'; MAX_LINE + 10];
    let _ = net.stdin.as_mut().unwrap().write_all(&long);
    let _ = net.stdin.as_mut().unwrap().write_all(b"\n");
    assert_eq!(net.finish(), 3);
    // Not JSON.
    let mut net = Net::start(&[]);
    net.stdin.as_mut().unwrap().write_all(b"balance please\n").unwrap();
    assert_eq!(net.finish(), 3);
    // Another protocol version in the client's hello.
    let mut child = Command::new(env!("CARGO_BIN_EXE_coffer-net"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{\"coffer_net\":99,\"role\":\"client\",\"software\":\"x\"}\n").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(3));
}

#[test]
fn bad_endpoints_are_refused_at_start() {
    for spec in ["solana:mainnet=http://rpc.example", "solana:nowhere=https://x", "solana:mainnet=https://u:p@x"] {
        let status = Command::new(env!("CARGO_BIN_EXE_coffer-net"))
            .args(["--endpoint", spec])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{spec}");
    }
}

#[test]
fn endpoint_refusing_connections() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut net = Net::with_endpoint(Network::Localnet, &format!("http://127.0.0.1:{port}"));
    let (kind, msg) = net.err(Network::Localnet, balance());
    assert_eq!(kind, NetErrorKind::EndpointDown, "{msg}");
}

#[test]
fn endpoint_hanging_times_out() {
    let url = http_server(|_s| std::thread::sleep(Duration::from_secs(30)));
    let mut net = Net::with_endpoint(Network::Localnet, &url);
    let start = Instant::now();
    let (kind, msg) = net.err(Network::Localnet, balance());
    assert_eq!(kind, NetErrorKind::Timeout, "{msg}");
    // Three attempts of one second and two pauses: bounded, not 30 s.
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}

#[test]
fn garbage_and_wrong_shapes_are_malformed() {
    for body in [
        "this is not json",
        r#"{"jsonrpc":"2.0","id":2,"result":{"context":{"slot":1},"value":-5}}"#,
        r#"{"jsonrpc":"2.0","id":2,"result":{"context":{"slot":1},"value":"5"}}"#,
        r#"{"jsonrpc":"2.0","id":2}"#,
        // Another request's id.
        r#"{"jsonrpc":"2.0","id":999,"result":{"context":{"slot":1},"value":5}}"#,
    ] {
        let mut net = Net::with_endpoint(Network::Localnet, &answer_with(body));
        let (kind, msg) = net.err(Network::Localnet, balance());
        assert_eq!(kind, NetErrorKind::MalformedAnswer, "{body}: {msg}");
    }
    let deep: &'static str = Box::leak(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_boxed_str());
    let mut net = Net::with_endpoint(Network::Localnet, &answer_with(deep));
    assert_eq!(net.err(Network::Localnet, balance()).0, NetErrorKind::MalformedAnswer);
}

#[test]
fn a_100_mb_answer_is_refused_without_reading_it() {
    // Declared: refused from its content-length.
    let declared = http_server(|s| {
        let _ = write!(s, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n");
        let _ = s.write_all(&vec![b' '; 1 << 20]);
    });
    let mut net = Net::with_endpoint(Network::Localnet, &declared);
    assert_eq!(net.err(Network::Localnet, balance()).0, NetErrorKind::AnswerTooLarge);
    // Undeclared (chunked, endless): reading stops at the limit.
    let streamed = http_server(|s| {
        let _ = write!(s, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
        let chunk = vec![b' '; 1 << 16];
        for _ in 0..1600 {
            if write!(s, "{:x}\r\n", chunk.len())
                .and_then(|()| s.write_all(&chunk))
                .and_then(|()| s.write_all(b"\r\n"))
                .is_err()
            {
                return;
            }
        }
    });
    let mut net = Net::with_endpoint(Network::Localnet, &streamed);
    assert_eq!(net.err(Network::Localnet, balance()).0, NetErrorKind::AnswerTooLarge);
}

#[test]
fn http_errors_and_rpc_errors_are_typed() {
    let url = http_server(|s| {
        let _ = write!(s, "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");
    });
    let mut net = Net::with_endpoint(Network::Localnet, &url);
    assert_eq!(net.err(Network::Localnet, balance()).0, NetErrorKind::HttpStatus);
    let url = answer_with(r#"{"jsonrpc":"2.0","id":2,"error":{"code":-32005,"message":"Node is unhealthy"}}"#);
    let mut net = Net::with_endpoint(Network::Localnet, &url);
    let (kind, msg) = net.err(Network::Localnet, balance());
    assert_eq!(kind, NetErrorKind::Rejected);
    assert!(msg.contains("Node is unhealthy"), "{msg}");
}

#[test]
fn an_endpoint_of_another_network_is_refused() {
    // A local server claiming to be mainnet, with another genesis hash.
    let url = answer_with(r#"{"jsonrpc":"2.0","id":2,"result":"EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"}"#);
    let mut net = Net::with_endpoint(Network::Mainnet, &url);
    assert_eq!(net.err(Network::Mainnet, balance()).0, NetErrorKind::WrongChain);
}

#[test]
fn a_tls_certificate_nobody_vouches_for_is_refused() {
    let dir = coffer_test_util::TempDir::new("net-tls");
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    let ok = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=other.example", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl is required for this test");
    assert!(ok.success());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept", &format!("127.0.0.1:{port}"), "-cert"])
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(10), "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut net = Net::start(&["--timeout", "5", "--endpoint", &format!("solana:localnet=https://127.0.0.1:{port}")]);
    let (kind, msg) = net.err(Network::Localnet, balance());
    let _ = server.kill();
    let _ = server.wait();
    drop(dir);
    assert_eq!(kind, NetErrorKind::Tls, "{msg}");
}

#[test]
fn the_sandbox_denies_reads_outside_its_list_and_connects_to_other_ports() {
    let dir = coffer_test_util::TempDir::new("net-vault");
    let vault = dir.join("vault.coffer");
    std::fs::write(&vault, b"not really a vault").unwrap();
    let allowed = TcpListener::bind("127.0.0.1:0").unwrap();
    let other = TcpListener::bind("127.0.0.1:0").unwrap();
    let (allowed, other) = (allowed.local_addr().unwrap(), other.local_addr().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_coffer-net"))
        .args(["--endpoint", &format!("solana:localnet=http://{allowed}"), "--check", "--try-read"])
        .arg(&vault)
        .args(["--try-read", "/etc/hosts", "--try-connect", &allowed.to_string(), "--try-connect", &other.to_string()])
        .output()
        .unwrap();
    drop(dir);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = report["sandbox"]["status"].as_str().unwrap();
    if status != "enforced" && status != "partial" {
        // A kernel without Landlock: nothing to check here, but CI machines have it and must enforce it.
        assert!(std::env::var_os("CI").is_none(), "CI machines enforce Landlock: {report}");
        eprintln!("skipped: this kernel does not enforce Landlock ({report})");
        return;
    }
    assert_eq!(report["read"][0]["result"], "denied: permission denied", "{report}");
    assert_eq!(report["read"][1]["result"], "allowed", "{report}");
    assert_eq!(report["connect"][0]["result"], "allowed", "{report}");
    assert_eq!(report["connect"][1]["result"], "denied: permission denied", "{report}");
}

// --- Against LiteSVM (the real Solana runtime): scripts/chain-test runs these. ---

/// A legacy Solana transfer of `lamports` from `from` to `to`, signed: the wire bytes.
fn transfer(from: &ed25519_dalek::SigningKey, to: &[u8; 32], lamports: u64, blockhash: &str) -> Vec<u8> {
    use ed25519_dalek::Signer;
    let mut msg = vec![1u8, 0, 1, 3];
    msg.extend(from.verifying_key().as_bytes());
    msg.extend(to);
    msg.extend([0u8; 32]); // the System program
    msg.extend(bs58::decode(blockhash).into_vec().unwrap());
    msg.extend([1u8, 2, 2, 0, 1, 12]);
    msg.extend(2u32.to_le_bytes());
    msg.extend(lamports.to_le_bytes());
    let sig = from.sign(&msg);
    let mut tx = vec![1u8];
    tx.extend(sig.to_bytes());
    tx.extend(msg);
    tx
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn batched_balances_against_litesvm() {
    let chain = LiteSvm::start();
    let addresses: Vec<String> = (1..=10u8).map(|i| bs58::encode([i; 32]).into_string()).collect();
    for (i, a) in addresses.iter().enumerate().step_by(2) {
        chain.rpc("coffer_airdrop", json!([a, 1_000_000u64 * (i as u64 + 1)]));
    }
    let mut net = Net::with_endpoint(Network::Localnet, &chain.url);
    let Reply::Balances { balances, requests } =
        net.ok(Network::Localnet, Call::Balances { addresses: addresses.clone() })
    else {
        panic!("not balances")
    };
    // One JSON-RPC batch array of ten getBalance, answered by the runtime; every element paired by its id.
    assert_eq!(requests, 1);
    for (i, (b, a)) in balances.iter().zip(&addresses).enumerate() {
        assert_eq!(&b.address, a);
        let want = if i % 2 == 0 { 1_000_000 * (i as u128 + 1) } else { 0 };
        assert_eq!(b.amount.value(), want, "account {i}");
    }
}

#[test]
#[ignore = "needs tests/chain-servers/node_modules: scripts/chain-test"]
fn solana_against_litesvm() {
    use base64::Engine as _;
    let chain = LiteSvm::start();
    let key = ed25519_dalek::SigningKey::from_bytes(&[42u8; 32]);
    let from = bs58::encode(key.verifying_key().as_bytes()).into_string();
    let to_key = [7u8; 32];
    let to = bs58::encode(to_key).into_string();
    chain.rpc("coffer_airdrop", json!([from, 2_000_000_000u64]));
    let mint = bs58::encode([9u8; 32]).into_string();
    let token = chain.rpc("coffer_setTokenAccount", json!([from, mint, 5_000_000u64, "token"]));
    chain.rpc("coffer_setTokenAccount", json!([from, mint, 7u64, "token-2022"]));

    let mut net = Net::with_endpoint(Network::Localnet, &chain.url);
    let Reply::Balance { amount, .. } = net.ok(Network::Localnet, Call::Balance { address: from.clone() }) else {
        panic!()
    };
    assert_eq!(amount.value(), 2_000_000_000);
    let Reply::Holdings { accounts, .. } = net.ok(Network::Localnet, Call::Holdings { address: from.clone() }) else {
        panic!()
    };
    assert_eq!(accounts.len(), 2, "{accounts:?}");
    assert_eq!(accounts[0].address, token.as_str().unwrap());
    assert_eq!((accounts[0].mint.as_str(), accounts[0].amount.value()), (mint.as_str(), 5_000_000));
    assert_eq!(accounts[1].amount.value(), 7);
    assert_eq!(serde_json::to_value(accounts[1].program).unwrap(), "token-2022");

    // A real transfer: built here, broadcast through coffer-net, executed by the runtime.
    let Reply::LatestBlockhash { blockhash, .. } = net.ok(Network::Localnet, Call::LatestBlockhash) else { panic!() };
    let tx = transfer(&key, &to_key, 1_000_000, &blockhash);
    let text = base64::engine::general_purpose::STANDARD.encode(&tx);
    let Reply::Sent { signature } = net.ok(Network::Localnet, Call::SendTransaction { transaction: text.clone() })
    else {
        panic!()
    };
    assert_eq!(signature, bs58::encode(&tx[1..65]).into_string());
    let Reply::SignatureStatuses { statuses } =
        net.ok(Network::Localnet, Call::SignatureStatuses { signatures: vec![signature.clone()] })
    else {
        panic!()
    };
    assert!(matches!(&statuses[0], Some(s) if !s.failed), "{statuses:?}");
    // The runtime moved the funds (and charged the 5000-lamport fee).
    assert_eq!(chain.rpc("getBalance", json!([to]))["value"], 1_000_000);
    let Reply::Balance { amount, .. } = net.ok(Network::Localnet, Call::Balance { address: from.clone() }) else {
        panic!()
    };
    assert_eq!(amount.value(), 2_000_000_000 - 1_000_000 - 5000);
    let Reply::History { entries, .. } = net.ok(Network::Localnet, Call::History { address: from.clone(), limit: 10 })
    else {
        panic!()
    };
    assert_eq!(entries[0].signature, signature, "newest first");
    assert_eq!(entries.len(), 2, "the airdrop and the transfer");
    // The executed transaction's wire bytes, exactly what was sent; an unknown id is `None`, not an error.
    let Reply::Transaction { transaction, slot, failed, .. } =
        net.ok(Network::Localnet, Call::Transaction { signature: signature.clone() })
    else {
        panic!()
    };
    assert_eq!(transaction.as_deref(), Some(text.as_str()));
    assert_eq!((slot, failed), (Some(entries[0].slot), false));
    let unknown = bs58::encode([4u8; 64]).into_string();
    let Reply::Transaction { transaction, .. } = net.ok(Network::Localnet, Call::Transaction { signature: unknown })
    else {
        panic!()
    };
    assert_eq!(transaction, None);

    // The same transfer again is refused by the runtime (already processed): a typed rejection, nothing moves.
    let (kind, msg) = net.err(Network::Localnet, Call::SendTransaction { transaction: text });
    assert_eq!(kind, NetErrorKind::Rejected, "{msg}");
    // A transfer of more than the balance fails in the runtime, not in Coffer.
    let tx = transfer(&key, &to_key, 50_000_000_000, &blockhash);
    let (kind, _) = net.err(
        Network::Localnet,
        Call::SendTransaction { transaction: base64::engine::general_purpose::STANDARD.encode(&tx) },
    );
    assert_eq!(kind, NetErrorKind::Rejected);
    assert_eq!(chain.rpc("getBalance", json!([to]))["value"], 1_000_000);

    // The LiteSVM server is not devnet: its genesis hash says so.
    let mut devnet = Net::with_endpoint(Network::Devnet, &chain.url);
    assert_eq!(devnet.err(Network::Devnet, Call::LatestBlockhash).0, NetErrorKind::WrongChain);
}
