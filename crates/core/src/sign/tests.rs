//! Known answers from `tests/vectors/` and hostile-input tests for every decoder. These live inside the crate so
//! that the Sui personal-message vector (given as a raw secret key) can be signed without a seed.

use base64::Engine as _;
use ed25519_dalek::Verifier as _;
use serde_json::Value;

use super::*;
use crate::mnemonic::Mnemonic;

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn seed(mnemonic: &str, passphrase: &str) -> Seed {
    Mnemonic::parse(mnemonic).unwrap().to_seed(passphrase)
}

fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

fn verify(public_key: &PublicKey, msg: &[u8], sig: &[u8]) {
    let vk = ed25519_dalek::VerifyingKey::from_bytes(&public_key.0).unwrap();
    vk.verify(msg, &ed25519_dalek::Signature::from_slice(sig).unwrap()).unwrap();
}

// ---------------------------------------------------------------- IOTA / Sui

/// The vectors sign TX_BYTES with keys that are not its sender: drop the signer check for the known answer only.
fn sign_ignoring_sender(seed: &Seed, chain: Chain, tx_b64: &str) -> Signed {
    let mut d = decode(&SignRequest::new(chain, Payload::Transaction(tx_b64.into()))).unwrap();
    assert!(d.summary.fully_decoded(), "{}", d.summary);
    d.signer_ids.clear();
    sign(seed, &chain.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &d, Blind::Refuse).unwrap()
}

#[test]
fn sui_tx_bytes_signatures() {
    let v = load("sui.json");
    let tx = s(&v["tx_bytes_b64"]);
    for c in v["cases"].as_array().unwrap() {
        let signed = sign_ignoring_sender(&seed(s(&c["mnemonic"]), ""), Chain::Sui, tx);
        assert_eq!(signed.signature, s(&c["serialized_signature_b64"]));
        assert_eq!(signed.address, s(&c["address"]));
        assert_eq!(hex::encode(&signed.digest), s(&v["tx_digest_hex"]));
        assert_eq!(signed.signed_tx, None);
    }
}

#[test]
fn iota_signatures_over_the_same_bytes() {
    let sui = load("sui.json");
    let v = load("iota_rebased.json");
    for c in v["cases"].as_array().unwrap() {
        let signed = sign_ignoring_sender(&seed(s(&c["mnemonic"]), ""), Chain::Iota, s(&sui["tx_bytes_b64"]));
        assert_eq!(signed.signature, s(&c["derived_tx_signature_over_sui_TX_BYTES_b64"]));
        assert_eq!(signed.address, s(&c["address"]));
    }
}

#[test]
fn sui_decodes_the_vector_transaction_completely() {
    let v = load("sui.json");
    let bytes = BASE64.decode(s(&v["tx_bytes_b64"])).unwrap();
    let iota_sui::TransactionData::Programmable(tx) = iota_sui::decode_transaction(Chain::Sui, &bytes).unwrap() else {
        panic!("not programmable")
    };
    let tx = *tx;
    assert_eq!(
        iota_sui::decode_transaction(Chain::Iota, &bytes).unwrap(),
        iota_sui::TransactionData::Programmable(Box::new(tx.clone()))
    );
    assert_eq!(tx.inputs.len(), 2);
    assert_eq!(tx.gas.payment.len(), 4);
    assert_eq!((tx.gas.price, tx.gas.budget), (1, 1066));
    let iota_sui::Command::TransferObjects { recipient, .. } = &tx.commands[0] else { panic!() };
    assert_eq!(
        iota_sui::hex_address(&tx.pure_address(*recipient).unwrap()),
        "0x0c567ffdf8162cb6d51af74be0199443b92e823d4ba6ced24de5c6c463797d46"
    );
}

#[test]
fn sui_wrong_signer_names_both_addresses() {
    let v = load("sui.json");
    let c = &v["cases"][0];
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Transaction(s(&v["tx_bytes_b64"]).into()))).unwrap();
    let err = sign(
        &seed(s(&c["mnemonic"]), ""),
        &Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(),
        &d,
        Blind::Allow,
    )
    .unwrap_err();
    let SignError::WrongSigner { key_address, expected, .. } = &err else { panic!("{err:?}") };
    assert_eq!(key_address, s(&c["address"]));
    assert_eq!(expected, &["0x75057dd9354e0f65e924cb06848125b6d4b9e8530d494b1fba7cd64a6a08ab1a".to_owned()]);
    let msg = err.to_string();
    assert!(msg.contains(s(&c["address"])) && msg.contains("0x75057dd9"), "{msg}");
}

fn personal_signer(secret_hex: &str) -> Signer {
    let secret: [u8; 32] = hex::decode(secret_hex).unwrap().try_into().unwrap();
    Signer::from_key(Chain::Sui, DerivationPath::default(), ed25519_dalek::SigningKey::from_bytes(&secret))
}

#[test]
fn sui_personal_messages() {
    let v = load("sui.json");
    for case in [&v["personal_message"], &v["personal_message_long_derived"]] {
        let signer = personal_signer(s(&case["secret_key_hex"]));
        let msg = hex::decode(s(&case["message_hex"])).unwrap();
        let d = decode(&SignRequest::new(Chain::Sui, Payload::Message(msg))).unwrap();
        let signed = signer.sign(&d, Blind::Refuse).unwrap();
        assert_eq!(hex::encode(&signed.digest), s(&case["digest_hex"]));
        assert_eq!(signed.signature, s(&case["serialized_signature_b64"]));
        // IOTA produces the same bytes (iota_rebased.json: "identical serialized signature").
        let iota = Signer::from_key(Chain::Iota, DerivationPath::default(), signer.key.clone());
        let d = decode(&SignRequest::new(Chain::Iota, Payload::Message(hex::decode(s(&case["message_hex"])).unwrap())))
            .unwrap();
        assert_eq!(iota.sign(&d, Blind::Refuse).unwrap().signature, s(&case["serialized_signature_b64"]));
    }
    // The transaction intent over the same bytes gives a different digest: the intent matters.
    let pm = &v["personal_message"]["tx_intent_on_same_bytes"];
    let raw = hex::decode(s(&v["personal_message"]["message_hex"])).unwrap();
    assert_eq!(hex::encode(iota_sui::intent_digest(iota_sui::INTENT_TRANSACTION, &raw)), s(&pm["digest_hex"]));
    let bcs = BASE64.decode(s(&v["personal_message"]["bcs_message_b64"])).unwrap();
    assert_eq!(&bcs[1..], &raw[..]);
}

/// A hand-built "pay" transaction: split `amount` off the gas coin and transfer it to `recipient`.
fn sui_pay_tx(sender: [u8; 32], recipient: [u8; 32], amount: u64, with_move_call: bool) -> Vec<u8> {
    let mut b = vec![0u8, 0]; // V1, ProgrammableTransaction
    b.push(2); // inputs
    b.extend([0, 8]);
    b.extend(amount.to_le_bytes());
    b.extend([0, 32]);
    b.extend(recipient);
    b.push(if with_move_call { 3 } else { 2 }); // commands
    b.extend([2, 0, 1, 1, 0, 0]); // SplitCoins(GasCoin, [Input(0)])
    b.extend([1, 1, 2, 0, 0, 1, 1, 0]); // TransferObjects([Result(0)], Input(1))
    if with_move_call {
        b.push(0);
        b.extend([0u8; 31]);
        b.push(2);
        b.extend([4]);
        b.extend(b"coin");
        b.extend([4]);
        b.extend(b"zero");
        b.extend([1, 7]); // one type argument: struct 0x2::iota::IOTA
        b.extend([0u8; 31]);
        b.push(2);
        b.extend([4]);
        b.extend(b"iota");
        b.extend([4]);
        b.extend(b"IOTA");
        b.push(0);
        b.push(0); // no arguments
    }
    test_tx::push_sender_gas_expiration(&mut b, &sender, &sender);
    b
}

#[test]
fn iota_pay_transaction_summary_and_signature() {
    let seed = seed(s(&load("iota_rebased.json")["cases"][0]["mnemonic"]), "");
    let signer = Signer::at(&seed, Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let sender = crate::chain::iota::parse_address(signer.address()).unwrap();
    let bytes = sui_pay_tx(sender, [0xab; 32], 1_234_567, false);
    let d = decode(&SignRequest::new(Chain::Iota, Payload::Transaction(b64(&bytes)))).unwrap();
    let text = d.summary().to_string();
    assert!(text.contains("split coin gas coin into amounts [1234567]"), "{text}");
    assert!(text.contains(&format!("transfer objects [result 0] to 0x{}", "ab".repeat(32))), "{text}");
    assert!(text.contains("gas budget: 5000000"), "{text}");
    assert_eq!(d.summary().signers, vec![signer.address().to_owned()]);
    let signed = signer.sign(&d, Blind::Refuse).unwrap();
    let raw = BASE64.decode(&signed.signature).unwrap();
    assert_eq!((raw.len(), raw[0]), (97, 0));
    assert_eq!(&raw[65..], signer.public_key().as_bytes());
    verify(&signer.public_key(), &iota_sui::intent_digest([0, 0, 0], &bytes), &raw[1..65]);
    let record = signed.log_record();
    assert_eq!(record.path, "m/44'/4218'/0'/0'/0'");
    assert!(record.summary.starts_with("iota transaction from 0x9f8e"), "{}", record.summary);

    // The same key on Sui has another address: the sender check catches it.
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Transaction(b64(&bytes)))).unwrap();
    let err =
        sign(&seed, &Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &d, Blind::Refuse).unwrap_err();
    assert!(matches!(err, SignError::WrongSigner { .. }), "{err}");
}

#[test]
fn undecoded_move_call_needs_blind_consent() {
    let seed = seed(s(&load("sui.json")["cases"][1]["mnemonic"]), "");
    let signer = Signer::at(&seed, Chain::Sui, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let sender = crate::chain::sui::parse_address(signer.address()).unwrap();
    let bytes = sui_pay_tx(sender, [1; 32], 5, true);
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Transaction(b64(&bytes)))).unwrap();
    let text = d.summary().to_string();
    assert!(text.contains("::coin::zero<0x2::iota::IOTA>()"), "{text}");
    assert!(!d.summary().fully_decoded());
    let err = signer.sign(&d, Blind::Refuse).unwrap_err();
    assert!(matches!(&err, SignError::BlindRefused { reasons } if reasons[0].contains("coin::zero")), "{err}");
    assert!(signer.sign(&d, Blind::Allow).unwrap().summary.one_line().ends_with("[blind]"));
}

#[test]
fn sui_system_transaction_kinds_are_blind() {
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Transaction(b64(&[0, 2, 9, 9])))).unwrap();
    assert!(matches!(d.summary().details, Details::IotaSui(iota_sui::TransactionData::OtherKind { tag: 2 })));
    let seed = seed(s(&load("sui.json")["cases"][0]["mnemonic"]), "");
    let path = Chain::Sui.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    assert!(matches!(sign(&seed, &path, &d, Blind::Refuse), Err(SignError::BlindRefused { .. })));
    assert!(sign(&seed, &path, &d, Blind::Allow).is_ok());
}

#[test]
fn type_tags_are_depth_bounded() {
    let mut b = sui_pay_tx([0; 32], [0; 32], 1, false);
    // Replace the commands with one MakeMoveVec(Some(vector<vector<...>>)) nested 1000 deep.
    let cmd_at = 2 + 1 + 10 + 34;
    b.truncate(cmd_at);
    b.extend([1, 5, 1]);
    b.extend(std::iter::repeat_n(6u8, 1000));
    b.push(1);
    let err = iota_sui::decode_transaction(Chain::Sui, &b).unwrap_err();
    assert!(matches!(err, DecodeError::TooDeep { max: 16, .. }), "{err}");
}

// ---------------------------------------------------------------- Stellar

#[test]
fn stellar_account_merge_envelopes() {
    let v = load("stellar_tx_account_merge.json");
    let seed = seed("illness spike retreat truth genius clock brain pass fit cave bargain toe", "");
    for case in [&v["precond_none"], &v["builder_timebounds_0_0"]] {
        let unsigned = [&[0, 0, 0, 2][..], &hex::decode(s(&case["tx_xdr_hex"])).unwrap(), &[0, 0, 0, 0]].concat();
        let request = SignRequest::new(Chain::Stellar, Payload::Transaction(b64(&unsigned)))
            .with_network(Network::from_name(s(&case["network"])).unwrap());
        let d = decode(&request).unwrap();
        let text = d.summary().to_string();
        assert!(text.contains(&format!("merge the account into {}", s(&case["destination"]))), "{text}");
        assert!(text.contains("sequence: 1234") && text.contains("0.0000100 XLM (100 stroops)"), "{text}");
        assert_eq!(d.summary().signers, vec![s(&case["source_public"]).to_owned()]);
        let signed =
            sign(&seed, &Chain::Stellar.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &d, Blind::Refuse)
                .unwrap();
        assert_eq!(signed.address, s(&case["source_public"]));
        assert_eq!(hex::encode(&signed.digest), s(&case["tx_hash_hex"]));
        assert_eq!(hex::encode(BASE64.decode(&signed.signature).unwrap()), s(&case["signature_hex"]));
        assert_eq!(signed.signed_tx.as_deref(), Some(s(&case["envelope_xdr_base64"])));

        // Signing the signed envelope again changes nothing (no duplicate signature).
        let again = SignRequest::new(Chain::Stellar, Payload::Transaction(s(&case["envelope_xdr_base64"]).into()))
            .with_network(Network::Testnet);
        let twice = sign_request(&seed, &again, AccountIndex::ZERO, AddressIndex::ZERO, Blind::Refuse).unwrap();
        assert_eq!(twice.signed_tx.as_deref(), Some(s(&case["envelope_xdr_base64"])));

        // Another network gives another hash; a wrong account is named.
        let public = sign_request(
            &seed,
            &request.clone().with_network(Network::Public),
            AccountIndex::ZERO,
            AddressIndex::ZERO,
            Blind::Refuse,
        )
        .unwrap();
        assert_ne!(public.digest, signed.digest);
        let err = sign_request(&seed, &request, AccountIndex::new(1).unwrap(), AddressIndex::ZERO, Blind::Refuse)
            .unwrap_err();
        assert!(err.to_string().contains(s(&case["source_public"])), "{err}");
        let mut no_network = request.clone();
        no_network.network = None;
        assert_eq!(decode(&no_network).unwrap_err(), SignError::NetworkRequired);
    }
    assert!(matches!(Network::from_name("tesnet"), Err(SignError::UnknownNetwork { .. })));
}

fn xdr_u32(b: &mut Vec<u8>, v: u32) {
    b.extend(v.to_be_bytes());
}

/// A v1 envelope with PRECOND_V2, a text memo, a muxed payment, a change trust with an operation source and an
/// undecoded path payment.
fn stellar_mixed_envelope(source: [u8; 32], op_source: [u8; 32], signatures: u32) -> (Vec<u8>, Vec<u8>) {
    let mut t = Vec::new();
    xdr_u32(&mut t, 0);
    t.extend(source);
    xdr_u32(&mut t, 400);
    t.extend(77i64.to_be_bytes());
    xdr_u32(&mut t, 2); // PRECOND_V2
    xdr_u32(&mut t, 1);
    t.extend(10u64.to_be_bytes());
    t.extend(20u64.to_be_bytes());
    xdr_u32(&mut t, 0);
    xdr_u32(&mut t, 0);
    t.extend(0u64.to_be_bytes());
    xdr_u32(&mut t, 0);
    xdr_u32(&mut t, 0);
    xdr_u32(&mut t, 1); // MEMO_TEXT "hello"
    xdr_u32(&mut t, 5);
    t.extend(b"hello\0\0\0");
    xdr_u32(&mut t, 3);
    // payment to a muxed account
    xdr_u32(&mut t, 0);
    xdr_u32(&mut t, 1);
    xdr_u32(&mut t, 0x100);
    t.extend(42u64.to_be_bytes());
    t.extend([3u8; 32]);
    xdr_u32(&mut t, 1);
    t.extend(b"USDC");
    xdr_u32(&mut t, 0);
    t.extend([4u8; 32]);
    t.extend(25_000_000i64.to_be_bytes());
    // change trust with an operation source
    xdr_u32(&mut t, 1);
    xdr_u32(&mut t, 0);
    t.extend(op_source);
    xdr_u32(&mut t, 6);
    xdr_u32(&mut t, 2);
    t.extend(b"LONGASSET\0\0\0");
    xdr_u32(&mut t, 0);
    t.extend([4u8; 32]);
    t.extend(i64::MAX.to_be_bytes());
    // path payment (not decoded): its body is opaque to Coffer
    xdr_u32(&mut t, 0);
    xdr_u32(&mut t, 2);
    t.extend([0x11u8; 40]);
    xdr_u32(&mut t, 0); // ext
    let mut e = vec![0, 0, 0, 2];
    e.extend(&t);
    xdr_u32(&mut e, signatures);
    for i in 0..signatures {
        e.extend([i as u8; 4]);
        xdr_u32(&mut e, 64);
        e.extend([0x55u8; 64]);
    }
    (e, t)
}

#[test]
fn stellar_mixed_operations_and_undecoded_tail() {
    let seed = seed("illness spike retreat truth genius clock brain pass fit cave bargain toe", "");
    let a0 = Signer::at(&seed, Chain::Stellar, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let a1 = Signer::at(&seed, Chain::Stellar, AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap();
    let a2 = Signer::at(&seed, Chain::Stellar, AccountIndex::new(2).unwrap(), AddressIndex::ZERO).unwrap();
    for sigs in [0, 1, 3] {
        let (env, tx) = stellar_mixed_envelope(a0.public_key().0, a1.public_key().0, sigs);
        let request = SignRequest::new(Chain::Stellar, Payload::Transaction(b64(&env))).with_network(Network::Testnet);
        let d = decode(&request).unwrap();
        let text = d.summary().to_string();
        for want in [
            "pay 2.5000000 USDC issued by G",
            "(muxed id 42)",
            "trust LONGASSET issued by G",
            &format!("[source {}]", a1.address()),
            "PATH_PAYMENT_STRICT_RECEIVE: not decoded",
            "memo: text \"hello\"",
            "valid from 10 to 20",
        ] {
            assert!(text.contains(want), "{want} missing in {text}");
        }
        let Details::Stellar(e, _) = &d.summary().details else { panic!() };
        assert_eq!(e.tx_xdr, tx, "the transaction ends where the signatures begin");
        assert_eq!(e.signatures.len(), sigs as usize);
        assert!(matches!(a0.sign(&d, Blind::Refuse), Err(SignError::BlindRefused { .. })));
        let signed = a0.sign(&d, Blind::Allow).unwrap();
        verify(&a0.public_key(), &signed.digest, &BASE64.decode(&signed.signature).unwrap());
        // The operation source may sign too, and its signature is appended; an unrelated account may not sign.
        let both = a1.sign(&d, Blind::Allow).unwrap();
        let env2 = stellar::decode_envelope(&BASE64.decode(both.signed_tx.unwrap()).unwrap()).unwrap();
        assert_eq!(env2.signatures.len(), sigs as usize + 1);
        assert_eq!(env2.signatures.last().unwrap().hint, a1.public_key().0[28..]);
        let err = a2.sign(&d, Blind::Allow).unwrap_err();
        assert!(err.to_string().contains(a0.address()) && err.to_string().contains(a2.address()), "{err}");
    }
}

#[test]
fn stellar_rejects_other_envelope_types_and_full_envelopes() {
    let v = load("stellar_tx_account_merge.json");
    let mut bytes = hex::decode(s(&v["precond_none"]["envelope_xdr_hex"])).unwrap();
    bytes[3] = 5; // fee bump
    assert!(matches!(stellar::decode_envelope(&bytes), Err(DecodeError::UnknownTag { offset: 0, .. })));
    let (env, _) = stellar_mixed_envelope([1; 32], [2; 32], 21);
    assert!(stellar::decode_envelope(&env).is_err());
}

// ---------------------------------------------------------------- Solana

#[test]
fn solana_transfer_envelopes() {
    let v = load("solana_tx_transfer.json");
    let keys = load("solana.json");
    let seed = seed(s(&keys["mnemonic"]), s(&keys["passphrase"]));
    for case in [&v["zero_blockhash"], &v["nonzero_blockhash"]] {
        let message = hex::decode(s(&case["message_hex"])).unwrap();
        let unsigned = [&[1u8][..], &[0u8; 64], &message].concat();
        for input in
            [b64(&message), bs58::encode(&message).into_string(), b64(&unsigned), bs58::encode(&unsigned).into_string()]
        {
            let d = decode(&SignRequest::new(Chain::Solana, Payload::Transaction(input))).unwrap();
            let text = d.summary().to_string();
            assert!(
                text.contains(&format!(
                    "System transfer 0.000001000 SOL (1000 lamports) from {} to {}",
                    s(&case["from"]),
                    s(&case["to"])
                )),
                "{text}"
            );
            assert!(text.contains(&format!("recent blockhash: {}", s(&case["recent_blockhash"]))), "{text}");
            let signed =
                sign(&seed, &Chain::Solana.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &d, Blind::Refuse)
                    .unwrap();
            assert_eq!(signed.signature, s(&case["signature_base58"]));
            assert_eq!(signed.signed_tx.as_deref(), Some(s(&case["tx_base64"])));
            let Details::Solana(tx) = &d.summary().details else { panic!() };
            let Some(solana::Action::SystemTransfer { to, lamports, .. }) = tx.message.actions().first().cloned()
            else {
                panic!()
            };
            assert_eq!((solana::base58(&to.key().unwrap()), lamports), (s(&case["to"]).to_owned(), 1000));
        }
        let d = decode(&SignRequest::new(Chain::Solana, Payload::Transaction(b64(&message)))).unwrap();
        let err = sign(
            &seed,
            &Chain::Solana.path(AccountIndex::new(1).unwrap(), AddressIndex::ZERO).unwrap(),
            &d,
            Blind::Refuse,
        )
        .unwrap_err();
        assert!(err.to_string().contains(s(&case["from"])), "{err}");
    }
}

/// A v0 message: compute limit, then TransferChecked whose mint and destination come from an address table.
fn solana_v0_message(payer: [u8; 32], destination_static: bool) -> Vec<u8> {
    let cb = bs58::decode(solana::COMPUTE_BUDGET_PROGRAM).into_vec().unwrap();
    let token = bs58::decode(solana::TOKEN_PROGRAM).into_vec().unwrap();
    let mut m = vec![0x80, 1, 0, 2];
    m.push(if destination_static { 6 } else { 4 });
    m.extend(payer);
    m.extend([0x21; 32]); // source token account
    if destination_static {
        m.extend([0x22; 32]); // destination token account
        m.extend([0x23; 32]); // mint (writable here only to keep the header simple)
    }
    m.extend(&cb);
    m.extend(&token);
    m.extend([7u8; 32]);
    m.push(2);
    let (cb_i, tok_i) = if destination_static { (4, 5) } else { (2, 3) };
    m.extend([cb_i, 1, 0, 5, 2]);
    m.extend(200_000u32.to_le_bytes());
    let (mint, dest) = if destination_static { (3, 2) } else { (5, 4) };
    m.extend([tok_i, 4, 1, mint, dest, 0, 10, 12]);
    m.extend(2_500_000u64.to_le_bytes());
    m.push(6); // decimals
    m.push(1); // one address-table lookup: writable [3], read-only [8]
    m.extend([0x31; 32]);
    m.extend([1, 3, 1, 8]);
    m
}

#[test]
fn solana_v0_token_transfer_and_lookup_tables() {
    let keys = load("solana.json");
    let seed = seed(s(&keys["mnemonic"]), s(&keys["passphrase"]));
    let signer = Signer::at(&seed, Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    for static_dest in [true, false] {
        let m = solana_v0_message(signer.public_key().0, static_dest);
        let d = decode(&SignRequest::new(Chain::Solana, Payload::Transaction(b64(&m)))).unwrap();
        let text = d.summary().to_string();
        assert!(text.contains("format: v0 message") && text.contains("compute unit limit 200000"), "{text}");
        assert!(text.contains("SPL Token transfer 2.500000 of mint"), "{text}");
        assert_eq!(d.summary().fully_decoded(), static_dest, "{text}");
        if !static_dest {
            assert!(text.contains("lookup table"), "{text}");
            assert!(signer.sign(&d, Blind::Refuse).is_err());
        }
        let signed = signer.sign(&d, Blind::Allow).unwrap();
        let wire = BASE64.decode(signed.signed_tx.unwrap()).unwrap();
        assert_eq!(&wire[65..], &m[..]);
        verify(&signer.public_key(), &m, &wire[1..65]);
        // The signed transaction decodes again, with the signature in slot 0.
        assert_eq!(solana::decode(&wire).unwrap().signatures[0].as_slice(), &wire[1..65]);
    }
}

#[test]
fn solana_unknown_program_is_blind() {
    let v = load("solana_tx_transfer.json");
    let mut m = hex::decode(s(&v["zero_blockhash"]["message_hex"])).unwrap();
    m[68] = 9; // the System Program key becomes an unknown program
    let d = decode(&SignRequest::new(Chain::Solana, Payload::Transaction(b64(&m)))).unwrap();
    assert!(d.summary().undecoded[0].contains("unknown program"), "{:?}", d.summary().undecoded);
}

// ---------------------------------------------------------------- raw, chains, consent

#[test]
fn raw_needs_blind_consent() {
    let seed = seed(s(&load("sui.json")["cases"][0]["mnemonic"]), "");
    let path: DerivationPath = "m/44'/1'/2'".parse().unwrap();
    let d = decode(&SignRequest::new(Chain::Raw, Payload::Message(b"any bytes".to_vec()))).unwrap();
    assert!(matches!(sign(&seed, &path, &d, Blind::Refuse), Err(SignError::BlindRefused { .. })));
    let signed = sign(&seed, &path, &d, Blind::Allow).unwrap();
    verify(&signed.public_key, b"any bytes", &hex::decode(&signed.signature).unwrap());
    assert_eq!(signed.address, signed.public_key.to_hex());
    assert_eq!(
        decode(&SignRequest::new(Chain::Raw, Payload::Transaction("AA==".into()))).unwrap_err(),
        SignError::UnsupportedPayload { chain: Chain::Raw, what: "transactions" }
    );
}

#[test]
fn unsupported_combinations() {
    let req = |c, p| decode(&SignRequest::new(c, p)).unwrap_err();
    assert_eq!(
        req(Chain::IotaStardust, Payload::Transaction("AA==".into())),
        SignError::UnsupportedChain { chain: Chain::IotaStardust }
    );
    assert!(matches!(req(Chain::Solana, Payload::Message(vec![1])), SignError::UnsupportedPayload { .. }));
    assert!(matches!(req(Chain::Stellar, Payload::Message(vec![1])), SignError::UnsupportedPayload { .. }));
    let seed = seed(s(&load("sui.json")["cases"][0]["mnemonic"]), "");
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Message(vec![1]))).unwrap();
    let iota = Signer::at(&seed, Chain::Iota, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    assert!(matches!(iota.sign(&d, Blind::Refuse), Err(SignError::ChainMismatch { .. })));
    let debug = format!("{iota:?}");
    assert!(debug.contains(iota.address()) && !debug.contains("SigningKey"), "{debug}");
}

// ---------------------------------------------------------------- hostile input

/// Every strict prefix and the input plus a trailing byte must fail with an error; every single-byte change must
/// not panic.
fn hostile(name: &str, valid: &[u8], decoder: impl Fn(&[u8]) -> Result<(), DecodeError>) {
    decoder(valid).unwrap_or_else(|e| panic!("{name}: the valid input fails: {e}"));
    for n in 0..valid.len() {
        assert!(decoder(&valid[..n]).is_err(), "{name}: prefix of {n} bytes accepted");
    }
    let mut long = valid.to_vec();
    long.push(0);
    let err = decoder(&long).unwrap_err();
    assert!(matches!(err, DecodeError::TrailingBytes { count: 1, .. }), "{name}: {err}");
    for i in 0..valid.len() {
        for x in [0x01, 0x80, 0xff] {
            let mut m = valid.to_vec();
            m[i] ^= x;
            let _ = decoder(&m);
        }
    }
}

/// Solana decoding is canonical: a decoded transaction re-encodes to the input.
fn solana_canonical(b: &[u8]) -> Result<(), DecodeError> {
    let tx = solana::decode(b)?;
    let again = if tx.signatures.is_empty() {
        tx.message_bytes.clone()
    } else {
        solana::encode_transaction(&tx.signatures, &tx.message_bytes)
    };
    assert_eq!(again, b);
    let _ = tx.message.actions();
    Ok(())
}

/// Stellar decoding is canonical: a fully decoded envelope re-encodes to the input.
fn stellar_canonical(b: &[u8]) -> Result<(), DecodeError> {
    let env = stellar::decode_envelope(b)?;
    if env.fully_decoded() {
        assert_eq!(env.encode_with(None), b);
    }
    Ok(())
}

/// Through the public API, summary included.
fn via_api(chain: Chain, b: &[u8]) -> Result<(), DecodeError> {
    let request = SignRequest::new(chain, Payload::Transaction(b64(b))).with_network(Network::Testnet);
    match decode(&request) {
        Ok(d) => {
            let _ = (d.summary().to_string(), d.summary().one_line());
            Ok(())
        }
        Err(SignError::Decode { source, .. }) => Err(source),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn decoders_reject_truncation_trailing_bytes_and_survive_flips() {
    let sui = BASE64.decode(s(&load("sui.json")["tx_bytes_b64"])).unwrap();
    for chain in [Chain::Sui, Chain::Iota] {
        hostile("sui vector", &sui, |b| via_api(chain, b));
        hostile("pay", &sui_pay_tx([1; 32], [2; 32], 3, true), |b| via_api(chain, b));
    }
    let sol = load("solana_tx_transfer.json");
    for case in [&sol["zero_blockhash"], &sol["nonzero_blockhash"]] {
        hostile("solana tx", &hex::decode(s(&case["tx_wire_hex"])).unwrap(), solana_canonical);
        hostile("solana message", &hex::decode(s(&case["message_hex"])).unwrap(), solana_canonical);
    }
    for dest in [true, false] {
        hostile("solana v0", &solana_v0_message([1; 32], dest), solana_canonical);
        hostile("solana v0 api", &solana_v0_message([1; 32], dest), |b| via_api(Chain::Solana, b));
    }
    let st = load("stellar_tx_account_merge.json");
    for case in [&st["precond_none"], &st["builder_timebounds_0_0"]] {
        let env = hex::decode(s(&case["envelope_xdr_hex"])).unwrap();
        hostile("stellar", &env, stellar_canonical);
        hostile("stellar api", &env, |b| via_api(Chain::Stellar, b));
    }
}

#[test]
fn malformed_text_is_a_clear_error() {
    let cases = [
        (Chain::Sui, "not base64!"),
        (Chain::Iota, ""),
        (Chain::Iota, "   "),
        (Chain::Sui, "AAAA"),
        (Chain::Solana, "0OIl"),
        (Chain::Solana, "AAAA"),
        (Chain::Stellar, "AAAAAg=="),
    ];
    for (chain, text) in cases {
        let req = SignRequest::new(chain, Payload::Transaction(text.into())).with_network(Network::Testnet);
        let err = decode(&req).unwrap_err();
        assert!(matches!(err, SignError::Decode { .. }), "{chain} {text:?}: {err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("cannot decode the {chain}")), "{msg}");
    }
    let huge = "A".repeat(MAX_INPUT + 4);
    assert_eq!(decode(&SignRequest::new(Chain::Sui, Payload::Transaction(huge))).unwrap_err(), SignError::TooLarge);
}

#[test]
fn hostile_lengths_do_not_allocate() {
    // A Sui transaction claiming 2^32-1 inputs, a Solana message claiming 65535 keys, a Stellar memo of 2^32-1 bytes.
    let sui = [0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f];
    assert!(matches!(iota_sui::decode_transaction(Chain::Sui, &sui), Err(DecodeError::LengthTooLarge { .. })));
    let sol = [1, 0, 0, 0xff, 0xff, 0x03];
    assert!(matches!(solana::decode_message(&sol), Err(DecodeError::LengthTooLarge { .. })));
    let mut st = vec![0, 0, 0, 2, 0, 0, 0, 0];
    st.extend([0u8; 32 + 4 + 8 + 4]);
    st.extend([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]);
    assert!(matches!(stellar::decode_envelope(&st), Err(DecodeError::LengthTooLarge { .. })));
}

#[test]
fn untrusted_text_cannot_carry_terminal_controls() {
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Message("hi\u{1b}]0;x\u{7}".into()))).unwrap();
    let text = d.summary().to_string();
    assert!(!text.contains('\u{1b}') && text.contains(r"\u{001B}]0;x\u{0007}"), "{text}");
    assert_eq!(d.summary().warnings.len(), 1, "{text}");
    assert!(
        d.summary().warnings[0].starts_with("message: the text contains hidden or control characters (U+001B, U+0007)")
    );
    // A Move call whose function name is not an identifier is refused rather than shown.
    let mut b = sui_pay_tx([1; 32], [2; 32], 3, true);
    let at = b.windows(4).position(|w| w == b"zero").unwrap();
    b[at] = 0x1b;
    let err = iota_sui::decode_transaction(Chain::Sui, &b).unwrap_err();
    assert!(matches!(err, DecodeError::Invalid { what: "not a Move identifier", .. }), "{err}");
}

/// Interop harness: signs inputs built by the chains' own SDKs (see `COFFER_INTEROP_IN`, a JSON array of
/// `{chain, account, index, tx | message(hex), network?}`) and writes the results to `COFFER_INTEROP_OUT`, for the
/// SDKs to verify. Keys: sui.json's first mnemonic (IOTA, Sui), solana.json's (Solana), SEP-0005 test 1 (Stellar).
#[test]
#[ignore = "needs inputs built by the chain SDKs"]
fn interop_sign_sdk_inputs() {
    let input: Value =
        serde_json::from_str(&std::fs::read_to_string(std::env::var("COFFER_INTEROP_IN").unwrap()).unwrap()).unwrap();
    let sol = load("solana.json");
    let mut out = Vec::new();
    for case in input.as_array().unwrap() {
        let chain: Chain = s(&case["chain"]).parse().unwrap();
        let seed = match chain {
            Chain::Solana => seed(s(&sol["mnemonic"]), s(&sol["passphrase"])),
            Chain::Stellar => seed("illness spike retreat truth genius clock brain pass fit cave bargain toe", ""),
            _ => seed(s(&load("sui.json")["cases"][0]["mnemonic"]), ""),
        };
        let payload = match case.get("message") {
            Some(m) => Payload::Message(hex::decode(s(m)).unwrap()),
            None => Payload::Transaction(s(&case["tx"]).into()),
        };
        let mut request = SignRequest::new(chain, payload);
        if let Some(n) = case.get("network") {
            request = request.with_network(Network::from_name(s(n)).unwrap());
        }
        let decoded = decode(&request).unwrap_or_else(|e| panic!("{case}: {e}"));
        let signed = sign(&seed, &chain.path(AccountIndex::ZERO, AddressIndex::ZERO).unwrap(), &decoded, Blind::Allow)
            .unwrap_or_else(|e| panic!("{e}"));
        out.push(serde_json::json!({
            "chain": chain.name(),
            "note": case.get("note"),
            "address": signed.address,
            "signature": signed.signature,
            "signed_tx": signed.signed_tx,
            "digest_hex": hex::encode(&signed.digest),
            "undecoded": decoded.summary().undecoded,
            "summary": decoded.summary().to_string(),
            "log": signed.log_record().summary,
        }));
    }
    std::fs::write(std::env::var("COFFER_INTEROP_OUT").unwrap(), serde_json::to_string_pretty(&out).unwrap()).unwrap();
}

// ---------------------------------------------------------------- Solana fees and token transfers

/// A legacy message from `payer` (the only signer) with static keys `payer, [0x42; 32], programs...` and
/// `instructions` as (program key index, account indexes, data).
fn solana_legacy(payer: [u8; 32], programs: &[&str], instructions: &[(u8, Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut m = vec![1, 0, programs.len() as u8, 2 + programs.len() as u8];
    m.extend(payer);
    m.extend([0x42; 32]);
    for p in programs {
        m.extend(bs58::decode(p).into_vec().unwrap());
    }
    m.extend([9u8; 32]);
    m.push(instructions.len() as u8);
    for (program, accounts, data) in instructions {
        m.push(*program);
        m.push(accounts.len() as u8);
        m.extend(accounts);
        m.push(data.len() as u8);
        m.extend(data);
    }
    m
}

fn cu_limit(n: u32) -> Vec<u8> {
    [&[2u8][..], &n.to_le_bytes()].concat()
}

fn cu_price(p: u64) -> Vec<u8> {
    [&[3u8][..], &p.to_le_bytes()].concat()
}

fn system_transfer(lamports: u64) -> Vec<u8> {
    [&2u32.to_le_bytes()[..], &lamports.to_le_bytes()].concat()
}

fn solana_summary(m: &[u8]) -> Summary {
    decode(&SignRequest::new(Chain::Solana, Payload::Transaction(b64(m)))).unwrap().summary().clone()
}

#[test]
fn solana_summary_shows_the_maximum_fee() {
    // The vector transfer: one signature, no compute budget: 5000 lamports.
    let v = load("solana_tx_transfer.json");
    let s0 = solana_summary(&hex::decode(s(&v["zero_blockhash"]["message_hex"])).unwrap());
    let text = s0.to_string();
    assert!(text.contains("max fee: 0.000005000 SOL (5000 lamports: 1 signature × 5000 + priority 0"), "{text}");
    let fee = s0.max_fee.clone().unwrap();
    assert_eq!(
        (fee.base_units, fee.base_unit, fee.amount.as_str(), fee.symbol),
        (5000, "lamports", "0.000005000", "SOL")
    );
    assert!(s0.warnings.is_empty() && s0.fully_decoded());

    let programs = [solana::SYSTEM_PROGRAM, solana::COMPUTE_BUDGET_PROGRAM];
    let transfer = (2u8, vec![0, 1], system_transfer(1));
    // A price without a limit: the default is 200 000 CU per instruction other than Compute Budget ones (two
    // transfers: 400 000), and the priority fee is rounded up: ceil(3 × 400 000 / 10^6) = 2 lamports.
    let m = solana_legacy([1; 32], &programs, &[(3, vec![], cu_price(3)), transfer.clone(), transfer.clone()]);
    let fee = solana::decode(&m).unwrap().message.max_fee();
    assert_eq!((fee.compute_unit_limit, fee.default_limit, fee.priority, fee.total()), (400_000, true, 2, 5002));
    let text = solana_summary(&m).to_string();
    assert!(text.contains("max fee: 0.000005002 SOL (5002 lamports: 1 signature × 5000 + priority 2 = 400000 CU (default limit) × 3 micro-lamports)"), "{text}");
    // Eight instructions by default would be 1 600 000 CU: capped at 1 400 000. So is an explicit limit.
    let many = vec![transfer.clone(); 8];
    assert_eq!(
        solana::decode(&solana_legacy([1; 32], &programs, &many)).unwrap().message.max_fee().compute_unit_limit,
        1_400_000
    );
    let m = solana_legacy(
        [1; 32],
        &programs,
        &[(3, vec![], cu_limit(5_000_000)), (3, vec![], cu_price(1_000_000)), transfer.clone()],
    );
    let fee = solana::decode(&m).unwrap().message.max_fee();
    assert_eq!((fee.compute_unit_limit, fee.default_limit, fee.total()), (1_400_000, false, 1_405_000));
    assert!(solana_summary(&m).warnings.is_empty(), "0.001405 SOL is below the warning threshold");

    // 50 lamports per CU over 1 000 000 CU: 0.05 SOL in priority fees. Decoded, but the summary warns.
    let m = solana_legacy(
        [1; 32],
        &programs,
        &[(3, vec![], cu_limit(1_000_000)), (3, vec![], cu_price(50_000_000)), transfer],
    );
    let summary = solana_summary(&m);
    assert_eq!(summary.max_fee.as_ref().unwrap().base_units, 50_005_000);
    assert!(summary.fully_decoded());
    assert_eq!(summary.warnings.len(), 1, "{summary}");
    assert!(
        summary.warnings[0].contains("0.050005000 SOL") && summary.warnings[0].contains("0.010000000 SOL"),
        "{summary}"
    );
    assert!(summary.to_string().contains("WARNING: the fee payer pays up to 0.050005000 SOL"), "{summary}");

    // Precompile signatures are charged too: an Ed25519 verification of 2 signatures makes 3 in all.
    let m = solana_legacy([1; 32], &[solana::PRECOMPILE_PROGRAMS[0]], &[(2, vec![], vec![2, 0])]);
    assert_eq!(solana::decode(&m).unwrap().message.max_fee().base, 15_000);
    // The largest fee the fields allow does not overflow.
    let m = solana_legacy([1; 32], &programs, &[(3, vec![], cu_limit(u32::MAX)), (3, vec![], cu_price(u64::MAX))]);
    let fee = solana::decode(&m).unwrap().message.max_fee();
    assert_eq!(fee.priority, (u128::from(u64::MAX) * 1_400_000).div_ceil(1_000_000));
}

#[test]
fn spl_transfer_without_a_mint_is_not_fully_decoded() {
    let keys = load("solana.json");
    let seed = seed(s(&keys["mnemonic"]), s(&keys["passphrase"]));
    let signer = Signer::at(&seed, Chain::Solana, AccountIndex::ZERO, AddressIndex::ZERO).unwrap();
    let data = [&[3u8][..], &2_500_000u64.to_le_bytes()].concat();
    // Source [0x42; 32], destination: the token program key itself would do, but use the payer (any key works).
    let m = solana_legacy(signer.public_key().0, &[solana::TOKEN_PROGRAM], &[(2, vec![1, 0, 0], data)]);
    let d = decode(&SignRequest::new(Chain::Solana, Payload::Transaction(b64(&m)))).unwrap();
    let text = d.summary().to_string();
    assert!(!d.summary().fully_decoded(), "{text}");
    assert!(d.summary().undecoded[0].contains("SPL Token Transfer names no mint"), "{text}");
    assert!(text.contains("2500000 base units of an unnamed token"), "{text}");
    let err = signer.sign(&d, Blind::Refuse).unwrap_err();
    assert!(matches!(err, SignError::BlindRefused { .. }), "{err}");
    assert!(signer.sign(&d, Blind::Allow).is_ok());
    // TransferChecked names the mint and the decimals: the amount is shown in token units.
    let d = decode(&SignRequest::new(
        Chain::Solana,
        Payload::Transaction(b64(&solana_v0_message(signer.public_key().0, true))),
    ))
    .unwrap();
    let text = d.summary().to_string();
    assert!(d.summary().fully_decoded(), "{text}");
    assert!(
        text.contains(&format!(
            "SPL Token transfer 2.500000 of mint {} (6 decimals, 2500000 base units)",
            solana::base58(&[0x23; 32])
        )),
        "{text}"
    );
}

// ---------------------------------------------------------------- raw bytes at a chain's path

fn raw_refusal(seed: &Seed, path: &str, bytes: &[u8]) -> Option<SignError> {
    let path: DerivationPath = path.parse().unwrap();
    let d = decode(&SignRequest::new(Chain::Raw, Payload::Message(bytes.to_vec()))).unwrap();
    let before = check_raw(&d, &path).err();
    let signed = sign(seed, &path, &d, Blind::Allow);
    assert_eq!(before, signed.as_ref().err().cloned(), "check_raw and sign agree");
    signed.err()
}

#[test]
fn raw_signing_refuses_a_transaction_of_the_paths_chain() {
    let seed = seed(s(&load("sui.json")["cases"][0]["mnemonic"]), "");
    let sol = load("solana_tx_transfer.json");
    let message = hex::decode(s(&sol["zero_blockhash"]["message_hex"])).unwrap();
    let wire = hex::decode(s(&sol["zero_blockhash"]["tx_wire_hex"])).unwrap();
    for bytes in [&message, &wire] {
        let err = raw_refusal(&seed, "m/44'/501'/0'/0'", bytes).expect("refused");
        let SignError::RawIsChainTransaction { chain, path, .. } = &err else { panic!("{err:?}") };
        assert_eq!((*chain, path.as_str()), (Chain::Solana, "m/44'/501'/0'/0'"));
        assert!(err.to_string().contains("`coffer sign --chain solana …`"), "{err}");
        // Elsewhere the same bytes are just bytes.
        assert_eq!(raw_refusal(&seed, "m/44'/1'/0'", bytes), None);
        assert_eq!(raw_refusal(&seed, "m/44'/148'/0'", bytes), None);
    }
    assert_eq!(raw_refusal(&seed, "m/44'/501'/0'/0'", b"hello solana"), None);

    // Stellar: a signature base (any network id when the transaction decodes; a known network's id with a
    // fee-bump type), and 32 bytes, which may be a transaction hash.
    let st = load("stellar_tx_account_merge.json");
    let tx = hex::decode(s(&st["precond_none"]["tx_xdr_hex"])).unwrap();
    let base = |id: [u8; 32], kind: u32, tx: &[u8]| [&id[..], &kind.to_be_bytes(), tx].concat();
    for bytes in [
        base(Network::Testnet.id(), 2, &tx),
        base(Network::Custom("Standalone Network ; February 2017".into()).id(), 2, &tx),
        base(Network::Public.id(), 5, &[7; 40]),
        vec![0xab; 32],
    ] {
        let err = raw_refusal(&seed, "m/44'/148'/3'", &bytes).expect("refused");
        assert!(matches!(err, SignError::RawIsChainTransaction { chain: Chain::Stellar, .. }), "{err:?}");
        assert!(err.to_string().contains("coffer sign --chain stellar"), "{err}");
    }
    assert_eq!(raw_refusal(&seed, "m/44'/148'/0'", &base([1; 32], 5, &[7; 40])), None);
    assert_eq!(raw_refusal(&seed, "m/44'/148'/0'", &[0xab; 31]), None);

    // IOTA and Sui: an intent message (transaction or personal message) and 32 bytes, which may be a digest.
    let sui = BASE64.decode(s(&load("sui.json")["tx_bytes_b64"])).unwrap();
    for (path, chain) in [("m/44'/784'/0'/0'/0'", Chain::Sui), ("m/44'/4218'/0'/0'/0'", Chain::Iota)] {
        for bytes in [[&[0u8, 0, 0][..], &sui].concat(), vec![3, 0, 0, 2, b'h', b'i'], vec![0x11; 32]] {
            let err = raw_refusal(&seed, path, &bytes).expect("refused");
            assert!(matches!(err, SignError::RawIsChainTransaction { chain: c, .. } if c == chain), "{err:?}");
        }
        assert_eq!(raw_refusal(&seed, path, &[3, 0, 0, 3, b'h', b'i']), None, "not a BCS vector");
        assert_eq!(raw_refusal(&seed, path, b"\x01\x02\x03"), None);
    }
}

// ---------------------------------------------------------------- Stellar text that is not UTF-8

/// An unsigned envelope with a text memo of `memo` and one MANAGE_DATA operation named `name`.
fn stellar_memo_envelope(memo: &[u8], name: &[u8]) -> String {
    let pad = |b: &mut Vec<u8>, bytes: &[u8]| {
        xdr_u32(b, bytes.len() as u32);
        b.extend(bytes);
        b.resize(b.len() + (4 - bytes.len() % 4) % 4, 0);
    };
    let mut e = vec![0, 0, 0, 2, 0, 0, 0, 0];
    e.extend([1u8; 32]);
    xdr_u32(&mut e, 100);
    e.extend(5i64.to_be_bytes());
    xdr_u32(&mut e, 0); // no preconditions
    xdr_u32(&mut e, 1); // MEMO_TEXT
    pad(&mut e, memo);
    xdr_u32(&mut e, 1);
    xdr_u32(&mut e, 0); // no operation source
    xdr_u32(&mut e, 10); // MANAGE_DATA
    pad(&mut e, name);
    xdr_u32(&mut e, 1);
    pad(&mut e, b"v");
    xdr_u32(&mut e, 0); // ext
    xdr_u32(&mut e, 0); // no signatures
    b64(&e)
}

#[test]
fn stellar_text_that_is_not_utf8_is_shown_as_hex() {
    let summary = |memo: &[u8], name: &[u8]| {
        let req = SignRequest::new(Chain::Stellar, Payload::Transaction(stellar_memo_envelope(memo, name)))
            .with_network(Network::Testnet);
        decode(&req).unwrap().summary().to_string()
    };
    // Two memos that differ only in invalid bytes must not look the same (exchanges route deposits by memo).
    let a = summary(b"id\xff42", b"key\xfe");
    let b = summary(b"id\xfe42", b"key\xff");
    assert_ne!(a, b);
    assert!(a.contains("memo: text hex:6964ff3432 (not valid UTF-8, shown as hex)"), "{a}");
    assert!(a.contains("set data hex:6b6579fe (not valid UTF-8, shown as hex) = 0x76"), "{a}");
    assert!(!a.contains('\u{fffd}') && !a.contains("fffd"), "{a}");
    // Valid UTF-8 is still quoted text (escaped where not printable ASCII).
    let c = summary("café".as_bytes(), b"config");
    assert!(c.contains("memo: text \"caf\\u{00E9}\"") && c.contains("set data \"config\" = 0x76"), "{c}");
    // The structure keeps the bytes.
    let req = SignRequest::new(Chain::Stellar, Payload::Transaction(stellar_memo_envelope(b"id\xff42", b"k")))
        .with_network(Network::Testnet);
    let d = decode(&req).unwrap();
    let Details::Stellar(env, _) = &d.summary().details else { panic!() };
    assert_eq!(env.memo, stellar::Memo::Text(b"id\xff42".to_vec()));
}

// ---------------------------------------------------------------- Hidden characters in transaction text

/// Text with a terminal escape that clears the line, a right-to-left override and a zero-width space.
const HOSTILE: &str = "\u{1b}[2K12345\u{202E}6789\u{200B}";
const HOSTILE_SHOWN: &str =
    r#""\u{001B}[2K12345\u{202E}6789\u{200B}" (contains hidden or control characters, shown as \u{XXXX})"#;

#[track_caller]
fn assert_no_raw_hidden(summary: &Summary) {
    let text = summary.to_string();
    assert!(!text.chars().any(|c| c != '\n' && crate::text::is_hidden(c)), "raw hidden character in: {text:?}");
    let one = summary.one_line();
    assert!(!one.chars().any(crate::text::is_hidden), "raw hidden character in the log line: {one:?}");
}

#[test]
fn stellar_memo_and_data_name_with_hidden_characters_are_escaped_and_warned() {
    let envelope = stellar_memo_envelope(HOSTILE.as_bytes(), "k\u{202E}ey".as_bytes());
    let req = SignRequest::new(Chain::Stellar, Payload::Transaction(envelope)).with_network(Network::Testnet);
    let d = decode(&req).unwrap();
    let summary = d.summary();
    assert_no_raw_hidden(summary);
    let memo = summary.lines.iter().find(|l| l.label == "memo").unwrap();
    assert_eq!(memo.value, format!("text {HOSTILE_SHOWN}"));
    let op = summary.lines.iter().find(|l| l.label == "operation 0").unwrap();
    assert!(op.value.starts_with(r#"set data "k\u{202E}ey" (contains hidden"#), "{}", op.value);
    assert_eq!(summary.warnings.len(), 2, "{:?}", summary.warnings);
    assert!(
        summary.warnings[0]
            .starts_with("memo: the text contains hidden or control characters (U+001B, U+202E, U+200B)")
    );
    assert!(
        summary.warnings[1]
            .starts_with("operation 0 (data name): the text contains hidden or control characters (U+202E)")
    );
    assert!(summary.to_string().contains("WARNING: memo: the text contains hidden"));
    // Memos that would look the same raw (with and without a zero-width space) are told apart; plain text gets no
    // note and no warning.
    let plain = stellar_memo_envelope(b"123456789", b"key");
    let req = SignRequest::new(Chain::Stellar, Payload::Transaction(plain)).with_network(Network::Testnet);
    let d = decode(&req).unwrap();
    assert!(d.summary().warnings.is_empty(), "{:?}", d.summary().warnings);
    assert!(d.summary().to_string().contains("memo: text \"123456789\"\n"));
    let zw = stellar_memo_envelope("12345\u{200B}6789".as_bytes(), b"key");
    let req = SignRequest::new(Chain::Stellar, Payload::Transaction(zw)).with_network(Network::Testnet);
    assert!(decode(&req).unwrap().summary().to_string().contains(r#"memo: text "12345\u{200B}6789" (contains"#));
}

#[test]
fn solana_memo_with_hidden_characters_is_escaped_and_warned() {
    let memo = |text: &str| {
        let m = solana_legacy([1; 32], &[solana::MEMO_PROGRAMS[0]], &[(2, vec![], text.as_bytes().to_vec())]);
        solana_summary(&m)
    };
    let summary = memo(HOSTILE);
    assert_no_raw_hidden(&summary);
    let line = summary.lines.iter().find(|l| l.label == "instruction 0").unwrap();
    assert_eq!(line.value, format!("memo {HOSTILE_SHOWN}"));
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(
        summary.warnings[0].starts_with(
            "instruction 0 (memo): the text contains hidden or control characters (U+001B, U+202E, U+200B)"
        ),
        "{:?}",
        summary.warnings
    );
    assert!(summary.fully_decoded());
    let plain = memo("order 42");
    assert!(plain.warnings.is_empty(), "{:?}", plain.warnings);
    assert!(plain.lines.iter().any(|l| l.value == r#"memo "order 42""#));
}

#[test]
fn personal_message_with_hidden_characters_is_escaped_and_warned() {
    let d = decode(&SignRequest::new(Chain::Iota, Payload::Message(HOSTILE.into()))).unwrap();
    assert_no_raw_hidden(d.summary());
    assert_eq!(d.summary().lines[0].value, HOSTILE_SHOWN);
    assert_eq!(d.summary().warnings.len(), 1);
    // A multi-line sign-in message is shown on one line and is not flagged.
    let d = decode(&SignRequest::new(Chain::Sui, Payload::Message(b"Sign in\n\tnonce 7".to_vec()))).unwrap();
    assert_eq!(d.summary().lines[0].value, r#""Sign in\n\tnonce 7""#);
    assert!(d.summary().warnings.is_empty());
}
