//! What the coffer-net process tests share: a running coffer-net, asked over its pipe.

#![allow(dead_code)] // each test crate uses part of it

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use coffer_net_proto::{
    Call, Chain, Hello, LineReader, MAX_LINE, NetErrorKind, Network, Outcome, Reply, Request, Role, parse_answer,
    parse_hello,
};

/// A running coffer-net with the hello exchanged, pointed at one test endpoint for one chain and network.
pub struct Net {
    child: Child,
    stdin: Option<ChildStdin>,
    reader: LineReader<BufReader<ChildStdout>>,
    next: u64,
    chain: Chain,
    network: Network,
}

impl Net {
    /// Starts coffer-net with `url` as `chain`'s endpoint on `network` (2 s per attempt).
    pub fn start(chain: Chain, network: Network, url: &str) -> Self {
        let spec = format!("{}:{}={url}", chain.name(), network.name());
        let mut child = Command::new(env!("CARGO_BIN_EXE_coffer-net"))
            .args(["--timeout", "2", "--endpoint", &spec])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start coffer-net");
        let mut stdin = child.stdin.take();
        let mut reader = LineReader::new(BufReader::new(child.stdout.take().unwrap()), MAX_LINE);
        let hello = reader.next_line().unwrap().expect("hello").to_vec();
        parse_hello(&hello, Role::Server).unwrap();
        stdin.as_mut().unwrap().write_all(Hello::new(Role::Client, "test").to_line().unwrap().as_bytes()).unwrap();
        Self { child, stdin, reader, next: 1, chain, network }
    }

    /// Asks `call` on `network`; the answer must be paired with the request.
    pub fn ask_on(&mut self, network: Network, call: Call) -> Outcome {
        let request = Request { id: self.next, chain: self.chain, network, call };
        self.next += 1;
        self.stdin.as_mut().unwrap().write_all(request.to_line().unwrap().as_bytes()).unwrap();
        let line = self.reader.next_line().unwrap().expect("an answer").to_vec();
        let answer = parse_answer(&line).unwrap();
        answer.check_answers(&request).unwrap();
        answer.outcome
    }

    /// Asks `call` on the network it was started for.
    pub fn ask(&mut self, call: Call) -> Outcome {
        self.ask_on(self.network, call)
    }

    /// The reply to `call` (a test failure if it is an error).
    pub fn ok(&mut self, call: Call) -> Reply {
        match self.ask(call) {
            Outcome::Ok(r) => r,
            Outcome::Error(e) => panic!("{e}"),
        }
    }

    /// The error `call` gets on `network` (a test failure if it succeeds).
    pub fn err_on(&mut self, network: Network, call: Call) -> (NetErrorKind, String) {
        match self.ask_on(network, call) {
            Outcome::Ok(r) => panic!("expected an error, got {r:?}"),
            Outcome::Error(e) => (e.kind, e.message),
        }
    }

    /// The error `call` gets (a test failure if it succeeds).
    pub fn err(&mut self, call: Call) -> (NetErrorKind, String) {
        self.err_on(self.network, call)
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
