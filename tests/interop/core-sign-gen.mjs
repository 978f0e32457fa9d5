// Builds unsigned transactions with each chain's SDK for the test vectors' accounts (run.sh drives it).
import fs from 'node:fs';
import { Transaction as SuiTx } from '@mysten/sui/transactions';
import { Ed25519Keypair as SuiKp } from '@mysten/sui/keypairs/ed25519';
import { Transaction as IotaTx } from '@iota/iota-sdk/transactions';
import { Ed25519Keypair as IotaKp } from '@iota/iota-sdk/keypairs/ed25519';
import * as web3 from '@solana/web3.js';
import * as sb from '@stellar/stellar-base';

const M = 'film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm wife phrase warfare march wheat nephew ask sunny firm';
const out = [];
const digest = 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k';

for (const [chain, Tx, Kp, addr] of [['sui', SuiTx, SuiKp, 'toSuiAddress'], ['iota', IotaTx, IotaKp, 'toIotaAddress']]) {
  const kp = Kp.deriveKeypair(M);
  const me = kp.getPublicKey()[addr]();
  const other = '0x' + 'ab'.repeat(32);
  const mk = (sponsor) => {
    const tx = new Tx();
    tx.setSender(me);
    tx.setGasPrice(1000);
    tx.setGasBudget(5000000);
    tx.setGasPayment([{ objectId: '0x' + '05'.repeat(32), version: '7', digest }]);
    if (sponsor) tx.setGasOwner(sponsor);
    const [a, b] = tx.splitCoins(tx.gas, [1234, 99]);
    tx.transferObjects([a], other);
    tx.transferObjects([b], me);
    tx.mergeCoins(tx.gas, [tx.objectRef({ objectId: '0x' + '09'.repeat(32), version: '3', digest })]);
    return tx;
  };
  for (const sponsor of [null, other]) {
    const tx = mk(sponsor);
    const bytes = await tx.build();
    const sig = (await kp.signTransaction(bytes)).signature;
    out.push({ chain, account: 0, index: 0, tx: Buffer.from(bytes).toString('base64'), sdk_signature: sig, signer: me, note: sponsor ? 'sponsored' : 'self-paid' });
  }
  const pm = new TextEncoder().encode('Hello from the SDK');
  out.push({ chain, account: 0, index: 0, message: Buffer.from(pm).toString('hex'), sdk_signature: (await kp.signPersonalMessage(pm)).signature, signer: me });
}

// Solana (account 0 of solana.json's mnemonic is 5vftMk...; the tests sign with it).
{
  const v = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/solana.json', import.meta.url)));
  const payer = new web3.PublicKey(v.keys[0].address_base58);
  const to = new web3.PublicKey('GcXbfQ5yY3uxCyBNDPBbR5FjumHf89E7YHXuULfGDBBv');
  const bh = 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k';
  const legacy = new web3.Transaction({ feePayer: payer, recentBlockhash: bh })
    .add(web3.ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 5 }))
    .add(web3.SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 123456789 }));
  out.push({ chain: 'solana', account: 0, index: 0, tx: legacy.serialize({ requireAllSignatures: false, verifySignatures: false }).toString('base64'), signer: payer.toBase58(), note: 'legacy' });
  const table = new web3.AddressLookupTableAccount({ key: new web3.PublicKey('AddressLookupTab1e1111111111111111111111111'), state: { deactivationSlot: BigInt('18446744073709551615'), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, authority: undefined, addresses: [to, web3.Keypair.generate().publicKey] } });
  const msg = new web3.TransactionMessage({ payerKey: payer, recentBlockhash: bh, instructions: [
    web3.SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 42 }),
    web3.SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: payer, lamports: 1, space: 0, programId: web3.SystemProgram.programId }),
  ] }).compileToV0Message([table]);
  const vtx = new web3.VersionedTransaction(msg);
  out.push({ chain: 'solana', account: 0, index: 0, tx: Buffer.from(vtx.serialize()).toString('base64'), signer: payer.toBase58(), note: 'v0 with lookup' });
  const nonceMsg = new web3.TransactionMessage({ payerKey: payer, recentBlockhash: bh, instructions: [
    web3.SystemProgram.nonceAdvance({ noncePubkey: to, authorizedPubkey: payer }),
    web3.SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 7 }),
  ] }).compileToV0Message();
  out.push({ chain: 'solana', account: 0, index: 0, tx: Buffer.from(new web3.VersionedTransaction(nonceMsg).serialize()).toString('base64'), signer: payer.toBase58(), note: 'v0 durable nonce' });
}

// Stellar: SEP-5 test 1 account 0.
{
  const src = 'GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6';
  const dest = 'GBAW5XGWORWVFE2XTJYDTLDHXTY2Q2MO73HYCGB3XMFMQ562Q2W2GJQX';
  const usdc = new sb.Asset('USDC', dest);
  const muxed = new sb.MuxedAccount(new sb.Account(dest, '1'), '42').accountId();
  const tx = new sb.TransactionBuilder(new sb.Account(src, '1233'), { fee: '250', networkPassphrase: sb.Networks.TESTNET, timebounds: { minTime: 100, maxTime: 2000000000 }, ledgerbounds: { minLedger: 5, maxLedger: 0 }, minAccountSequence: '1000', minAccountSequenceAge: 30, minAccountSequenceLedgerGap: 2 })
    .addOperation(sb.Operation.payment({ destination: muxed, asset: sb.Asset.native(), amount: '12.5' }))
    .addOperation(sb.Operation.payment({ destination: dest, asset: usdc, amount: '0.0000001' }))
    .addOperation(sb.Operation.changeTrust({ asset: usdc, limit: '1000' }))
    .addOperation(sb.Operation.createAccount({ destination: dest, startingBalance: '1' }))
    .addOperation(sb.Operation.manageData({ name: 'k\u001b', value: 'v' }))
    .addOperation(sb.Operation.bumpSequence({ bumpTo: '99999' }))
    .addOperation(sb.Operation.accountMerge({ destination: dest, source: src }))
    .addMemo(sb.Memo.text('coffer ✓'))
    .build();
  out.push({ chain: 'stellar', account: 0, index: 0, network: 'testnet', tx: tx.toEnvelope().toXDR('base64'), signer: src, sdk_hash: tx.hash().toString('hex'), note: 'many ops' });
  const tx2 = new sb.TransactionBuilder(new sb.Account(src, '5'), { fee: '100', networkPassphrase: sb.Networks.PUBLIC })
    .addOperation(sb.Operation.setOptions({ homeDomain: 'example.com' }))
    .addMemo(sb.Memo.id('77')).setTimeout(0).build();
  out.push({ chain: 'stellar', account: 0, index: 0, network: 'public', tx: tx2.toEnvelope().toXDR('base64'), signer: src, sdk_hash: tx2.hash().toString('hex'), note: 'set options (undecoded)' });
}
fs.writeFileSync(process.argv[2] ?? 'inputs.json', JSON.stringify(out, null, 1));
console.log(out.length, 'inputs');
