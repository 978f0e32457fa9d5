// Verifies, with each chain's SDK, what coffer-core signed for gen.mjs's inputs (run.sh drives it).
import fs from 'node:fs';
import * as web3 from '@solana/web3.js';
import * as sb from '@stellar/stellar-base';
import { ed25519 } from '@noble/curves/ed25519';
const ins = JSON.parse(fs.readFileSync(process.argv[2] ?? 'inputs.json'));
const outs = JSON.parse(fs.readFileSync(process.argv[3] ?? 'outputs.json'));
let ok = 0, bad = 0;
const check = (c, what) => { if (c) ok++; else { bad++; console.log('FAIL', what); } };
ins.forEach((i, k) => {
  const o = outs[k];
  const what = `${i.chain} ${i.note ?? 'message'}`;
  check(o.address === i.signer, what + ' address');
  if (i.chain === 'sui' || i.chain === 'iota') {
    check(o.signature === i.sdk_signature, what + ' signature equals the SDK\'s');
  } else if (i.chain === 'solana') {
    const wire = Buffer.from(o.signed_tx, 'base64');
    const vtx = web3.VersionedTransaction.deserialize(wire);
    const msg = vtx.message.serialize();
    const pk = new web3.PublicKey(i.signer).toBytes();
    check(ed25519.verify(vtx.signatures[0], msg, pk), what + ' signature verifies');
    const orig = web3.VersionedTransaction.deserialize(Buffer.from(i.tx, 'base64'));
    check(Buffer.from(orig.message.serialize()).equals(Buffer.from(msg)), what + ' message unchanged');
    if (i.note === 'legacy') check(web3.Transaction.from(wire).verifySignatures(), what + ' web3 verifySignatures');
  } else if (i.chain === 'stellar') {
    const pass = i.network === 'public' ? sb.Networks.PUBLIC : sb.Networks.TESTNET;
    const tx = sb.TransactionBuilder.fromXDR(o.signed_tx, pass);
    check(tx.hash().toString('hex') === i.sdk_hash && o.digest_hex === i.sdk_hash, what + ' hash');
    const kp = sb.Keypair.fromPublicKey(i.signer);
    check(tx.signatures.length === 1, what + ' one signature');
    check(tx.signatures[0].hint().equals(kp.signatureHint()), what + ' hint');
    check(kp.verify(tx.hash(), tx.signatures[0].signature()), what + ' signature verifies');
    check(Buffer.from(o.signature, 'base64').equals(tx.signatures[0].signature()), what + ' signature field');
  }
});
console.log(`interop: ${ok} checks passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
