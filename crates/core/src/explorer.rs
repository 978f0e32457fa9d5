//! Where people look a transaction up: the public explorer page of a transaction id, per chain and network. This
//! only formats a URL (no network access, nothing is fetched); front ends show it as text to copy.
//!
//! The URL forms are the explorers' own documented ones:
//! - Solana: the Solana Explorer (explorer.solana.com, github.com/solana-foundation/explorer), `/tx/{signature}`
//!   with `?cluster=devnet` or `?cluster=testnet` (none for mainnet-beta), and `?cluster=custom&customUrl={RPC URL}`
//!   for a cluster of your own, which the explorer page (in the user's browser) asks directly.
//! - Stellar: StellarExpert (stellar.expert), `/explorer/public/tx/{hash}` and `/explorer/testnet/tx/{hash}`.
//! - IOTA: the IOTA Explorer (explorer.iota.org), `/txblock/{digest}` with `?network=testnet` or
//!   `?network=devnet` (none for mainnet).
//! - Sui: Suiscan (suiscan.xyz; Mysten's own explorer closed in 2024 and points to it), `/{mainnet|testnet|devnet}/tx/{digest}`.

use crate::chain::Chain;

/// Longest transaction id a link is made for (a Solana signature is at most 88 base58 characters, a Stellar hash 64
/// hex digits, an IOTA/Sui digest 44 base58 characters).
const MAX_TX_ID: usize = 128;

/// The public explorer page of transaction `tx_id` on `chain`'s `network`, as coffer-net names networks (`mainnet`,
/// `testnet`, `devnet`, `localnet`; Stellar's `public` is its `mainnet`). `endpoint` is the endpoint the transaction
/// was sent to: it only matters on a Solana `localnet` served on this computer (the Solana Explorer asks a custom
/// cluster from the browser), and only there is it written into the link.
///
/// `None` when no public explorer knows the transaction: a network of your own (any chain's `localnet` but a local
/// Solana validator), a network the chain does not have (Stellar `devnet`), a chain without transactions here
/// (`iota-stardust`, `raw`), or a `tx_id` that is not a plain base58 or hex id (never a link with other characters
/// in it).
#[must_use]
pub fn transaction_url(chain: Chain, network: &str, endpoint: &str, tx_id: &str) -> Option<String> {
    if tx_id.is_empty() || tx_id.len() > MAX_TX_ID || !tx_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    match (chain, network) {
        (Chain::Solana, "mainnet") => Some(format!("https://explorer.solana.com/tx/{tx_id}")),
        (Chain::Solana, "testnet" | "devnet") => {
            Some(format!("https://explorer.solana.com/tx/{tx_id}?cluster={network}"))
        }
        (Chain::Solana, "localnet") => local_endpoint(endpoint).map(|url| {
            format!("https://explorer.solana.com/tx/{tx_id}?cluster=custom&customUrl={}", percent_encode(url))
        }),
        (Chain::Stellar, "mainnet" | "public") => Some(format!("https://stellar.expert/explorer/public/tx/{tx_id}")),
        (Chain::Stellar, "testnet") => Some(format!("https://stellar.expert/explorer/testnet/tx/{tx_id}")),
        (Chain::Iota, "mainnet") => Some(format!("https://explorer.iota.org/txblock/{tx_id}")),
        (Chain::Iota, "testnet" | "devnet") => {
            Some(format!("https://explorer.iota.org/txblock/{tx_id}?network={network}"))
        }
        (Chain::Sui, "mainnet" | "testnet" | "devnet") => Some(format!("https://suiscan.xyz/{network}/tx/{tx_id}")),
        _ => None,
    }
}

/// `endpoint` when it is an `http`/`https` URL of this computer (`localhost`, `127.x.x.x`, `[::1]`) without user
/// information: a local validator, whose address says nothing about the user and which the explorer page can reach
/// from the browser. Any other endpoint is not written into a link (it may carry an API key).
fn local_endpoint(endpoint: &str) -> Option<&str> {
    let rest = endpoint.strip_prefix("http://").or_else(|| endpoint.strip_prefix("https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || endpoint.len() > 256 {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().map(|h| format!("[{h}]"))?
    } else {
        authority.split(':').next().unwrap_or_default().to_ascii_lowercase()
    };
    let ipv4_loopback = host
        .strip_prefix("127.")
        .is_some_and(|r| r.split('.').count() == 3 && r.split('.').all(|p| p.parse::<u8>().is_ok()));
    (host == "localhost" || host == "[::1]" || ipv4_loopback).then_some(endpoint)
}

/// Percent-encodes everything but RFC 3986's unreserved characters (for a URL inside a query parameter).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";
    const HASH: &str = "3389e9f0f1a65f19736cacf544c2e825313e8447f569233bb8db39aa607c8889";
    const DIGEST: &str = "GgUkY1ugrbHgG1mUAAeCcCd9LNVYMBimhetLUcdQSEHP";

    #[test]
    fn solana_clusters() {
        assert_eq!(
            transaction_url(Chain::Solana, "mainnet", "https://api.mainnet-beta.solana.com", SIG).unwrap(),
            format!("https://explorer.solana.com/tx/{SIG}")
        );
        assert_eq!(
            transaction_url(Chain::Solana, "devnet", "", SIG).unwrap(),
            format!("https://explorer.solana.com/tx/{SIG}?cluster=devnet")
        );
        assert_eq!(
            transaction_url(Chain::Solana, "testnet", "", SIG).unwrap(),
            format!("https://explorer.solana.com/tx/{SIG}?cluster=testnet")
        );
    }

    #[test]
    fn a_local_solana_validator_is_a_custom_cluster_and_nothing_else_is() {
        assert_eq!(
            transaction_url(Chain::Solana, "localnet", "http://127.0.0.1:8899", SIG).unwrap(),
            format!("https://explorer.solana.com/tx/{SIG}?cluster=custom&customUrl=http%3A%2F%2F127.0.0.1%3A8899")
        );
        assert!(transaction_url(Chain::Solana, "localnet", "http://localhost:8899/", SIG).is_some());
        assert!(transaction_url(Chain::Solana, "localnet", "http://[::1]:8899", SIG).is_some());
        // A remote endpoint of your own (perhaps with a key in it), user information, or none: no link.
        for endpoint in [
            "https://rpc.example.com/?api-key=secret",
            "http://user:pw@127.0.0.1:8899",
            "http://127.0.0.1.example.com:8899",
            "http://127.0.0.999:8899",
            "",
            "127.0.0.1:8899",
        ] {
            assert_eq!(transaction_url(Chain::Solana, "localnet", endpoint, SIG), None, "{endpoint}");
        }
    }

    #[test]
    fn stellar_public_and_testnet() {
        assert_eq!(
            transaction_url(Chain::Stellar, "mainnet", "https://horizon.stellar.org", HASH).unwrap(),
            format!("https://stellar.expert/explorer/public/tx/{HASH}")
        );
        assert_eq!(
            transaction_url(Chain::Stellar, "public", "", HASH).unwrap(),
            format!("https://stellar.expert/explorer/public/tx/{HASH}")
        );
        assert_eq!(
            transaction_url(Chain::Stellar, "testnet", "", HASH).unwrap(),
            format!("https://stellar.expert/explorer/testnet/tx/{HASH}")
        );
        assert_eq!(transaction_url(Chain::Stellar, "devnet", "", HASH), None);
        assert_eq!(transaction_url(Chain::Stellar, "localnet", "http://127.0.0.1:8000", HASH), None);
    }

    #[test]
    fn iota_and_sui() {
        assert_eq!(
            transaction_url(Chain::Iota, "mainnet", "", DIGEST).unwrap(),
            format!("https://explorer.iota.org/txblock/{DIGEST}")
        );
        assert_eq!(
            transaction_url(Chain::Iota, "testnet", "", DIGEST).unwrap(),
            format!("https://explorer.iota.org/txblock/{DIGEST}?network=testnet")
        );
        assert_eq!(
            transaction_url(Chain::Sui, "mainnet", "", DIGEST).unwrap(),
            format!("https://suiscan.xyz/mainnet/tx/{DIGEST}")
        );
        assert_eq!(
            transaction_url(Chain::Sui, "testnet", "", DIGEST).unwrap(),
            format!("https://suiscan.xyz/testnet/tx/{DIGEST}")
        );
        for chain in [Chain::Iota, Chain::Sui] {
            assert_eq!(transaction_url(chain, "localnet", "http://127.0.0.1:9000", DIGEST), None);
        }
    }

    #[test]
    fn odd_ids_networks_and_chains_get_no_link() {
        for id in ["", "abc/../x", "abc?cluster=x", "a b", &"a".repeat(129)] {
            assert_eq!(transaction_url(Chain::Solana, "mainnet", "", id), None, "{id}");
        }
        assert_eq!(transaction_url(Chain::Solana, "mainnet-beta", "", SIG), None);
        assert_eq!(transaction_url(Chain::IotaStardust, "mainnet", "", DIGEST), None);
        assert_eq!(transaction_url(Chain::Raw, "mainnet", "", DIGEST), None);
    }
}
