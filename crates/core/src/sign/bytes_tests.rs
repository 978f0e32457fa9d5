//! Transactions given as bytes ([`Payload::TransactionBytes`]) decode and sign exactly as their text form.

use base64::Engine as _;
use serde_json::Value;

use super::*;
use crate::mnemonic::Mnemonic;

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn hex_field(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

/// Decodes `bytes` given as text and as bytes, signs both (the signer check dropped: the vectors' keys are not
/// their senders), and checks the two agree on everything.
fn same_as_text(chain: Chain, network: Option<Network>, bytes: &[u8]) -> Signed {
    let seed = Mnemonic::parse("illness spike retreat truth genius clock brain pass fit cave bargain toe")
        .unwrap()
        .to_seed("");
    let request = |payload| {
        let r = SignRequest::new(chain, payload);
        match &network {
            Some(n) => r.with_network(n.clone()),
            None => r,
        }
    };
    let sign_it = |payload| {
        let mut d = decode(&request(payload)).unwrap();
        d.signer_ids.clear();
        (
            d.summary().to_string(),
            sign(&seed, &chain.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &d, Blind::Refuse).unwrap(),
        )
    };
    let (text_summary, from_text) = sign_it(Payload::Transaction(BASE64.encode(bytes)));
    let (bytes_summary, from_bytes) = sign_it(Payload::TransactionBytes(bytes.to_vec()));
    assert_eq!(bytes_summary, text_summary);
    assert_eq!(from_bytes.signature, from_text.signature);
    assert_eq!(from_bytes.digest, from_text.digest);
    assert_eq!(from_bytes.signed_tx, from_text.signed_tx);
    from_bytes
}

#[test]
fn every_chain_takes_bytes() {
    let sui = BASE64.decode(load("sui.json")["tx_bytes_b64"].as_str().unwrap()).unwrap();
    same_as_text(Chain::Sui, None, &sui);
    same_as_text(Chain::Iota, None, &sui);
    let message = hex_field(&load("solana_tx_transfer.json")["zero_blockhash"]["message_hex"]);
    let signed = same_as_text(Chain::Solana, None, &[&[1u8][..], &[0u8; 64], &message].concat());
    assert!(signed.signed_tx.is_some());
    let case = &load("stellar_tx_account_merge.json")["precond_none"];
    let unsigned = [&[0, 0, 0, 2][..], &hex_field(&case["tx_xdr_hex"]), &[0, 0, 0, 0]].concat();
    let network = Network::from_name(case["network"].as_str().unwrap()).unwrap();
    same_as_text(Chain::Stellar, Some(network), &unsigned);
}

#[test]
fn bytes_are_bounded_and_checked() {
    let err = decode(&SignRequest::new(Chain::Sui, Payload::TransactionBytes(vec![0; MAX_INPUT + 1]))).unwrap_err();
    assert!(matches!(err, SignError::TooLarge), "{err:?}");
    let err = decode(&SignRequest::new(Chain::Solana, Payload::TransactionBytes(vec![1, 2, 3]))).unwrap_err();
    assert!(matches!(err, SignError::Decode { .. }), "{err:?}");
    let err = decode(&SignRequest::new(Chain::Raw, Payload::TransactionBytes(vec![1]))).unwrap_err();
    assert!(matches!(err, SignError::UnsupportedPayload { .. }), "{err:?}");
}
