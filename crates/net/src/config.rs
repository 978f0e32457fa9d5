//! Which endpoint serves which chain and network: built-in defaults, overridable per chain and network.

use std::collections::BTreeMap;

use coffer_net_proto::{Chain, Network};
use ureq::http::Uri;

/// One JSON-RPC (or REST) endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The full URL requests go to (may carry a provider's key in its path or query).
    pub url: String,
    /// `scheme://host:port`, what answers name as the source of a figure (never the path or query, which may
    /// carry a key).
    pub origin: String,
    /// The TCP port the sandbox lets the process connect to.
    pub port: u16,
}

impl Endpoint {
    /// Parses and checks a URL: `https://…` anywhere, `http://…` only to a loopback address (a local validator or
    /// test server), no user name or password in it.
    ///
    /// # Errors
    /// A message for people when the URL is not acceptable.
    pub fn parse(url: &str) -> Result<Self, String> {
        coffer_net_proto::check_endpoint(url).map_err(|e| e.to_string())?;
        let uri: Uri = url.parse().map_err(|_| format!("not a URL: {url:?}"))?;
        let scheme = uri.scheme_str().ok_or("the URL needs a scheme (https://)")?;
        let authority = uri.authority().ok_or("the URL needs a host")?;
        if authority.as_str().contains('@') {
            return Err("the URL must not carry a user name or password".to_owned());
        }
        let host = authority.host();
        let loopback = is_loopback(host);
        let default_port = match scheme {
            "https" => 443,
            "http" if loopback => 80,
            "http" => {
                return Err(format!(
                    "plain http is allowed only to this machine (127.0.0.1, ::1, localhost), not {host}"
                ));
            }
            other => return Err(format!("unsupported URL scheme {other:?} (use https)")),
        };
        let port = authority.port_u16().unwrap_or(default_port);
        let origin = format!("{scheme}://{host}:{port}");
        Ok(Self { url: url.to_owned(), origin, port })
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The endpoints this process serves.
#[derive(Debug, Clone)]
pub struct Endpoints(BTreeMap<(&'static str, &'static str), Endpoint>);

impl Endpoints {
    /// The built-in public endpoints: Solana Foundation's public RPC for mainnet, devnet and testnet; the Stellar
    /// Development Foundation's Horizon for the public network (`mainnet`) and the test network; the IOTA
    /// Foundation's JSON-RPC nodes for IOTA mainnet and testnet (the "JSON RPC URL"s of
    /// <https://docs.iota.org/developer/network-overview>); Mysten Labs' public GraphQL services for Sui mainnet,
    /// testnet and devnet (`https://graphql.<network>.sui.io/graphql`, <https://docs.sui.io/references/sui-graphql>).
    #[must_use]
    pub fn defaults() -> Self {
        let mut map = BTreeMap::new();
        for (network, url) in [
            (Network::Mainnet, "https://api.mainnet-beta.solana.com"),
            (Network::Devnet, "https://api.devnet.solana.com"),
            (Network::Testnet, "https://api.testnet.solana.com"),
        ] {
            if let Ok(e) = Endpoint::parse(url) {
                map.insert((Chain::Solana.name(), network.name()), e);
            }
        }
        for (network, url) in [
            (Network::Mainnet, "https://horizon.stellar.org"),
            (Network::Testnet, "https://horizon-testnet.stellar.org"),
        ] {
            if let Ok(e) = Endpoint::parse(url) {
                map.insert((Chain::Stellar.name(), network.name()), e);
            }
        }
        for (network, url) in
            [(Network::Mainnet, "https://api.mainnet.iota.cafe"), (Network::Testnet, "https://api.testnet.iota.cafe")]
        {
            if let Ok(e) = Endpoint::parse(url) {
                map.insert((Chain::Iota.name(), network.name()), e);
            }
        }
        for (network, url) in [
            (Network::Mainnet, "https://graphql.mainnet.sui.io/graphql"),
            (Network::Testnet, "https://graphql.testnet.sui.io/graphql"),
            (Network::Devnet, "https://graphql.devnet.sui.io/graphql"),
        ] {
            if let Ok(e) = Endpoint::parse(url) {
                map.insert((Chain::Sui.name(), network.name()), e);
            }
        }
        Self(map)
    }

    /// Applies an override `CHAIN:NETWORK=URL` (for example `solana:devnet=https://rpc.example`).
    ///
    /// # Errors
    /// A message for people when the text or the URL is not acceptable.
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (key, url) = spec.split_once('=').ok_or("an endpoint is CHAIN:NETWORK=URL")?;
        let (chain, network) = key.split_once(':').ok_or("an endpoint is CHAIN:NETWORK=URL")?;
        let chain = match chain {
            "solana" => Chain::Solana,
            "iota" => Chain::Iota,
            "sui" => Chain::Sui,
            "stellar" => Chain::Stellar,
            other => return Err(format!("unknown chain {other:?}")),
        };
        let network = Network::from_name(network).ok_or_else(|| format!("unknown network {network:?}"))?;
        self.0.insert((chain.name(), network.name()), Endpoint::parse(url)?);
        Ok(())
    }

    /// The endpoint for `chain` on `network`, if one is configured.
    #[must_use]
    pub fn get(&self, chain: Chain, network: Network) -> Option<&Endpoint> {
        self.0.get(&(chain.name(), network.name()))
    }

    /// Every port an endpoint listens on (for the sandbox).
    #[must_use]
    pub fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.0.values().map(|e| e.port).collect();
        ports.sort_unstable();
        ports.dedup();
        ports
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn urls_are_checked() {
        let e = Endpoint::parse("https://rpc.example/key/abc?x=1").unwrap();
        assert_eq!((e.origin.as_str(), e.port), ("https://rpc.example:443", 443));
        assert_eq!(Endpoint::parse("http://127.0.0.1:8899").unwrap().port, 8899);
        assert_eq!(Endpoint::parse("http://[::1]:9/").unwrap().origin, "http://[::1]:9");
        assert!(Endpoint::parse("http://localhost:1").is_ok());
        assert!(Endpoint::parse("http://rpc.example").is_err(), "plain http to another host");
        assert!(Endpoint::parse("https://user:pw@rpc.example").is_err());
        assert!(Endpoint::parse("ftp://rpc.example").is_err());
        assert!(Endpoint::parse("rpc.example").is_err());
    }

    #[test]
    fn overrides_replace_defaults() {
        let mut e = Endpoints::defaults();
        assert_eq!(e.get(Chain::Solana, Network::Mainnet).unwrap().origin, "https://api.mainnet-beta.solana.com:443");
        assert!(e.get(Chain::Solana, Network::Localnet).is_none());
        assert_eq!(e.get(Chain::Stellar, Network::Mainnet).unwrap().origin, "https://horizon.stellar.org:443");
        assert_eq!(e.get(Chain::Stellar, Network::Testnet).unwrap().origin, "https://horizon-testnet.stellar.org:443");
        assert_eq!(e.get(Chain::Iota, Network::Mainnet).unwrap().origin, "https://api.mainnet.iota.cafe:443");
        assert_eq!(e.get(Chain::Iota, Network::Testnet).unwrap().origin, "https://api.testnet.iota.cafe:443");
        assert_eq!(e.get(Chain::Sui, Network::Mainnet).unwrap().url, "https://graphql.mainnet.sui.io/graphql");
        assert_eq!(e.get(Chain::Sui, Network::Devnet).unwrap().origin, "https://graphql.devnet.sui.io:443");
        e.set("solana:localnet=http://127.0.0.1:8899").unwrap();
        assert_eq!(e.get(Chain::Solana, Network::Localnet).unwrap().port, 8899);
        assert_eq!(e.ports(), vec![443, 8899]);
        assert!(e.set("solana:moonnet=https://x").is_err());
        assert!(e.set("bitcoin:mainnet=https://x").is_err());
        assert!(e.set("solana=https://x").is_err());
    }
}
