#!/usr/bin/env node
// Self-test of the interop harness, before Coffer is plugged in. Keys come from tests/vectors (and from random
// mnemonics, where the SDKs derive and sign themselves through `sdk.mjs sign`); `verify` must accept the SDKs' own
// signatures and the vectors' signed transactions, and reject tampered ones.
//
//   node selftest.mjs [--filter SUBSTRING] [--jobs N] [--spawn] [--verbose]
//
// By default the checks call sdk.mjs's execute() in-process (same code path as the CLI minus process start-up);
// the "cli:" checks always spawn `node sdk.mjs` to prove the command-line contract (exit codes, JSON on stdout,
// message on stderr, --in - on stdin, the network guard in a fresh process). --spawn runs every check as a process.
//
// Prints one line per check and finally `N passed, 0 failed`; exits 1 on any failure.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMnemonic } from 'bip39';
import bs58 from 'bs58';

const here = path.dirname(fileURLToPath(import.meta.url));
const SDK = path.join(here, 'sdk.mjs');
const vec = (name) => JSON.parse(fs.readFileSync(path.join(here, '..', 'vectors', name), 'utf8'));

const args = process.argv.slice(2);
const argVal = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const FILTER = argVal('--filter', '');
const JOBS = Number(argVal('--jobs', Math.max(2, Math.min(4, os.cpus().length))));
const VERBOSE = args.includes('--verbose');

// Runs sdk.mjs: as a child process (always for the CLI-contract checks, for every check with --spawn), or
// in-process through the same execute() the CLI's main uses (default: ~20x faster than spawning node each time).
const SPAWN_ALL = args.includes('--spawn');
const { execute } = await import(SDK);
function spawnSdk(argv, stdin) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [SDK, ...argv], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin.end(stdin === undefined ? '' : typeof stdin === 'string' ? stdin : JSON.stringify(stdin));
  });
}
async function sdk(argv, stdin, { spawn = SPAWN_ALL } = {}) {
  const full = [...argv, '--json'];
  const text = stdin === undefined ? undefined : typeof stdin === 'string' ? stdin : JSON.stringify(stdin);
  const r = spawn ? await spawnSdk(full, text) : await execute(full, text ?? '');
  let out = null;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    /* reported by the callers */
  }
  return { code: r.code, out, err: r.stderr, stdout: r.stdout };
}
class CheckError extends Error {}
const assert = (cond, msg) => {
  if (!cond) throw new CheckError(msg);
};
const eq = (a, b, what) => assert(a === b, `${what}: got ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
// Must succeed with ok JSON.
async function ok(argv, stdin, how) {
  const r = await sdk(argv, stdin, how);
  assert(r.code === 0 && r.out && r.out.ok !== false, `sdk.mjs ${argv.slice(0, 2).join(' ')} failed (exit ${r.code}): ${r.err.trim() || r.stdout}`);
  return r.out;
}
// Must fail: non-zero exit, {"ok": false, "error"} on stdout, a message on stderr, matching `re`.
async function refused(argv, re, stdin, how) {
  const r = await sdk(argv, stdin, how);
  assert(r.code !== 0, `sdk.mjs ${argv.slice(0, 2).join(' ')} should have failed but succeeded`);
  assert(r.out && r.out.ok === false && typeof r.out.error === 'string', `failure without {"ok":false,"error"} JSON: ${r.stdout}`);
  assert(r.err.includes(r.out.error), 'stderr does not carry the error message');
  assert(re.test(r.out.error), `error ${JSON.stringify(r.out.error)} does not match ${re}`);
  return r.out;
}
const flipB64 = (s, byte) => {
  const b = Buffer.from(s, 'base64');
  b[byte] ^= 0x01;
  return b.toString('base64');
};

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// ---------------------------------------------------------------------------------------------------------------
// The harness itself.
test('offline-check: fetch, sockets, DNS and the SDK clients are blocked', async () => {
  const o = await ok(['offline-check']);
  for (const [k, v] of Object.entries(o.blocked)) assert(v === true, `${k} not blocked`);
});
const CLI = { spawn: true };
test('cli: a fresh `node sdk.mjs` process has the network guard in place', async () => {
  const o = await ok(['offline-check'], undefined, CLI);
  for (const [k, v] of Object.entries(o.blocked)) assert(v === true, `${k} not blocked`);
});
test('cli: exit codes, JSON on stdout, message on stderr, --json compact, pretty otherwise', async () => {
  const m = 'film crazy soon outside stand loop subway crumble thrive popular green nuclear struggle pistol arm wife phrase warfare march wheat nephew ask sunny firm';
  const compact = await spawnSdk(['keys', 'iota', '--mnemonic', m, '--json']);
  eq(compact.code, 0, 'exit code');
  eq(compact.stdout.trim().split('\n').length, 1, 'one line with --json');
  eq(JSON.parse(compact.stdout).address, iota.cases[0].address, 'address');
  const pretty = await spawnSdk(['keys', 'iota', '--mnemonic', m]);
  assert(pretty.stdout.trim().split('\n').length > 3, 'pretty without --json');
  eq(JSON.parse(pretty.stdout).address, iota.cases[0].address, 'pretty address');
  await refused(['verify', 'sui', '--tx-bytes', 'AAAA'], /missing --signature/, undefined, CLI);
  await refused(['build', 'iota'], /missing --sender/, undefined, CLI);
  await refused([], /usage/, undefined, CLI);
  const bad = await spawnSdk(['verify', 'stellar', '--in', '-'], 'not json');
  assert(bad.code === 1 && /not JSON/.test(bad.stderr), 'bad --in - input');
});
for (const chain of ['iota', 'sui', 'solana', 'stellar'])
  test(`cli: ${chain} build | sign | verify through processes and stdin (--in -)`, async () => {
    const m = generateMnemonic();
    const me = await ok(['keys', chain, '--mnemonic', m], undefined, CLI);
    const to = await ok(['keys', chain, '--mnemonic', generateMnemonic()], undefined, CLI);
    const build = {
      iota: ['--sender', me.address, '--recipient', to.address],
      sui: ['--sender', me.address, '--recipient', to.address],
      solana: ['--from', me.address, '--to', to.address, '--lamports', '1000', '--version', '0'],
      stellar: ['--source', me.address, '--sequence', '41', '--network', 'testnet', '--destination', to.address],
    }[chain];
    const b = await ok(['build', chain, ...build], undefined, CLI);
    const s = await ok(['sign', chain, '--in', '-', '--mnemonic', m], b, CLI);
    const v = await ok(['verify', chain, '--in', '-'], merged(b, s), CLI);
    eq(v.ok, true, 'verified');
    const d = await ok(['decode', chain, '--in', '-'], b, CLI);
    assert(d.chain === chain, 'decoded');
  });

test('usage errors exit non-zero with a message', async () => {
  await refused(['build', 'dogecoin'], /unknown or missing chain/);
  await refused(['frobnicate', 'sui'], /unknown command/);
  await refused(['build', 'sui', '--sender', 'nope', '--recipient', '0x1'], /not a 0x… address/);
  await refused(['build', 'solana', '--from', 'xyz0OIl', '--to', 'x', '--lamports', '1'], /not a base58 Solana address/);
  await refused(['build', 'stellar', '--source', 'GABC', '--sequence', '1', '--network', 'testnet'], /not a G… account/);
  await refused(['build', 'stellar', '--source', 'GDRXE2BQUC3AZNPVFSCEZ76NJ3WWL25FYFK6RGZGIEKWE4SOOHSUJUJ6', '--sequence', '1', '--network', 'moon', '--destination', 'GBAW5XGWORWVFE2XTJYDTLDHXTY2Q2MO73HYCGB3XMFMQ562Q2W2GJQX'], /unknown --network/);
  await refused(['keys', 'sui', '--mnemonic', 'abandon abandon abandon'], /invalid BIP39 mnemonic/);
  await refused(['keys', 'solana', '--mnemonic', generateMnemonic(), '--index', '1'], /no index level/);
  await refused(['decode', 'sui', '--tx-bytes', 'AAAA'], /not sui TransactionData/);
  await refused(['decode', 'solana', '--tx', 'AAAA'], /not a Solana transaction/);
  await refused(['decode', 'stellar', '--tx', 'AAAA', '--network', 'testnet'], /not a TransactionEnvelope/);
});

// ---------------------------------------------------------------------------------------------------------------
// keys: the SDKs' derivations against tests/vectors.
const sui = vec('sui.json');
const iota = vec('iota_rebased.json');
const sol = vec('solana.json');
const sep5 = vec('stellar_sep5.json');
for (const [i, c] of sui.cases.entries())
  test(`keys sui: sui.json case ${i}`, async () => {
    const o = await ok(['keys', 'sui', '--mnemonic', c.mnemonic]);
    eq(o.path, "m/44'/784'/0'/0'/0'", 'path');
    eq(o.address, c.address, 'address');
    eq(o.public_key_hex, c.public_key_hex, 'public key');
  });
for (const [i, c] of iota.cases.entries())
  test(`keys iota: iota_rebased.json case ${i} (no flag byte)`, async () => {
    const o = await ok(['keys', 'iota', '--mnemonic', c.mnemonic]);
    eq(o.path, "m/44'/4218'/0'/0'/0'", 'path');
    eq(o.address, c.address, 'address');
    eq(o.public_key_hex, c.public_key_hex, 'public key');
  });
test('keys iota: Stardust mnemonic keeps its address on Rebased', async () => {
  const c = iota.stardust_mnemonic_rebased_address;
  eq((await ok(['keys', 'iota', '--mnemonic', c.mnemonic])).address, c.address, 'address');
});
for (const k of sol.keys)
  test(`keys solana: solana.json ${k.path}`, async () => {
    const account = k.path.split('/')[3].replace("'", '');
    const o = await ok(['keys', 'solana', '--mnemonic', sol.mnemonic, '--account', account, '--passphrase', sol.passphrase]);
    eq(o.path, k.path, 'path');
    eq(o.address, k.address_base58, 'address');
    eq(o.public_key_hex, k.public_key_hex, 'public key');
  });
// The wallets' accounts: IOTA's and Sui's Ed25519Keypair.deriveKeypair at m/44'/coin'/{account}'/0'/0', accounts
// 0-2 of the BIP39 test words (coffer-core's known_answers and the app's whole-app test read the same file).
const walletAccounts = vec('wallet_accounts.json');
for (const c of walletAccounts.cases)
  test(`keys ${c.chain}: wallet_accounts.json account ${c.account}`, async () => {
    const o = await ok(['keys', c.chain, '--mnemonic', walletAccounts.mnemonic, '--account', String(c.account)]);
    eq(o.path, c.path, 'path');
    eq(o.address, c.address, 'address');
    eq(o.public_key_hex, c.public_key_hex, 'public key');
  });
for (const t of sep5)
  for (const k of [t.keys[0], t.keys[1], t.keys[9]])
    test(`keys stellar: ${t.name} ${k.path}${t.passphrase ? ' (passphrase)' : ''}`, async () => {
      const account = k.path.split('/')[3].replace("'", '');
      const o = await ok(['keys', 'stellar', '--mnemonic', t.mnemonic, '--account', account, '--passphrase', t.passphrase]);
      eq(o.path, k.path, 'path');
      eq(o.address, k.public_key, 'address');
    });

// ---------------------------------------------------------------------------------------------------------------
// verify and decode on the vectors' signatures and signed transactions.
for (const [i, c] of sui.cases.entries())
  test(`verify sui: sui.json case ${i} signature over TX_BYTES`, async () => {
    const o = await ok(['verify', 'sui', '--tx-bytes', sui.tx_bytes_b64, '--signature', c.serialized_signature_b64, '--address', c.address, '--no-sender-check']);
    eq(o.address, c.address, 'address');
    eq(o.signing_digest_hex, sui.tx_digest_hex, 'signing digest');
  });
for (const [i, c] of iota.cases.entries())
  test(`verify iota: iota_rebased.json case ${i} signature over TX_BYTES`, async () => {
    const o = await ok(['verify', 'iota', '--tx-bytes', sui.tx_bytes_b64, '--signature', c.derived_tx_signature_over_sui_TX_BYTES_b64, '--address', c.address, '--no-sender-check']);
    eq(o.address, c.address, 'address');
  });
test('verify sui/iota: the signer must be the sender or gas owner; tampering and wrong addresses are refused', async () => {
  const c = sui.cases[0];
  await refused(['verify', 'sui', '--tx-bytes', sui.tx_bytes_b64, '--signature', c.serialized_signature_b64], /neither the sender .* nor the gas owner/);
  await refused(['verify', 'sui', '--tx-bytes', sui.tx_bytes_b64, '--signature', flipB64(c.serialized_signature_b64, 5), '--no-sender-check'], /does not verify/);
  await refused(['verify', 'sui', '--tx-bytes', flipB64(sui.tx_bytes_b64, 40), '--signature', c.serialized_signature_b64, '--no-sender-check'], /does not verify|not sui TransactionData/);
  await refused(['verify', 'sui', '--tx-bytes', sui.tx_bytes_b64, '--signature', c.serialized_signature_b64, '--address', sui.cases[1].address, '--no-sender-check'], /expected/);
  // The Sui key's signature checked against the IOTA rule gives the IOTA (no-flag) address, not the Sui one.
  const o = await ok(['verify', 'iota', '--tx-bytes', sui.tx_bytes_b64, '--signature', c.serialized_signature_b64, '--no-sender-check']);
  assert(o.address !== c.address, 'IOTA must not use the Sui address rule');
});
test('decode sui: TX_BYTES vector', async () => {
  const o = await ok(['decode', 'sui', '--tx-bytes', sui.tx_bytes_b64]);
  eq(o.signing_digest_hex, sui.tx_digest_hex, 'signing digest');
  assert(/^0x[0-9a-f]{64}$/.test(o.sender), 'sender');
  assert(o.commands.length > 0 && o.gas.payment.length > 0, 'commands and gas payment');
  await refused(['decode', 'sui', '--tx-bytes', sui.tx_bytes_b64 + 'AAAA'], /trailing/);
});
for (const chain of ['sui', 'iota'])
  test(`verify ${chain}: personal messages (short and 200 bytes)`, async () => {
    const pm = sui.personal_message;
    const addr = chain === 'sui' ? pm.address_computed : iota.k1_address.value;
    const o = await ok(['verify', chain, '--message-hex', pm.message_hex, '--signature', pm.serialized_signature_b64, '--address', addr]);
    eq(o.signing_digest_hex, pm.digest_hex, 'digest');
    eq(o.public_key_hex, pm.public_key_hex, 'public key');
    const long = sui.personal_message_long_derived;
    const l = await ok(['verify', chain, '--message-hex', long.message_hex, '--signature', long.serialized_signature_b64, '--address', addr]);
    eq(l.signing_digest_hex, long.digest_hex, 'long digest');
    // The same bytes under the transaction intent are a different signature.
    await refused(['verify', chain, '--message-hex', pm.message_hex, '--signature', pm.tx_intent_on_same_bytes.serialized_signature_b64], /does not verify/);
  });

const soltx = vec('solana_tx_transfer.json');
for (const which of ['zero_blockhash', 'nonzero_blockhash'])
  test(`solana: solana_tx_transfer.json ${which} builds, verifies and decodes`, async () => {
    const v = soltx[which];
    const b = await ok(['build', 'solana', '--from', v.from, '--to', v.to, '--lamports', String(v.lamports), '--blockhash', v.recent_blockhash]);
    eq(Buffer.from(b.message_b64, 'base64').toString('hex'), v.message_hex, 'built message');
    const o = await ok(['verify', 'solana', '--signed-tx', v.tx_base64, '--tx', b.tx, '--signer', v.from]);
    eq(o.txid, v.signature_base58, 'txid');
    eq(o.fee_payer, v.from, 'fee payer');
    eq(o.instructions.length, 1, 'one instruction');
    const ix = o.instructions[0];
    eq(`${ix.program}/${ix.type} ${ix.from} -> ${ix.to} ${ix.lamports}`, `system/Transfer ${v.from} -> ${v.to} ${v.lamports}`, 'instruction');
    // The base58 wire form is accepted as well.
    eq((await ok(['verify', 'solana', '--signed-tx', bs58.encode(Buffer.from(v.tx_wire_hex, 'hex'))])).txid, v.signature_base58, 'base58 input');
    const tampered = Buffer.from(v.tx_wire_hex, 'hex');
    tampered[tampered.length - 8] ^= 1; // lamports
    await refused(['verify', 'solana', '--signed-tx', tampered.toString('base64')], /does not verify/);
    await refused(['verify', 'solana', '--signed-tx', v.tx_base64, '--tx', b.tx, '--signer', v.to], /not a required signer/);
    await refused(['verify', 'solana', '--signed-tx', b.tx], /missing signatures/);
    await refused(['verify', 'solana', '--signed-tx', Buffer.concat([Buffer.from(v.tx_wire_hex, 'hex'), Buffer.from([0])]).toString('base64')], /trailing/);
  });

const stx = vec('stellar_tx_account_merge.json');
for (const [which, precond] of [['precond_none', 'none'], ['builder_timebounds_0_0', 'time']])
  test(`stellar: stellar_tx_account_merge.json ${which} builds, verifies and decodes`, async () => {
    const v = stx[which];
    const b = await ok(['build', 'stellar', '--source', v.source_public, '--sequence', String(BigInt(v.seq_num) - 1n), '--fee', String(v.fee), '--network', v.network, '--op', 'account-merge', '--destination', v.destination, '--precond', precond]);
    // The unsigned envelope is the signed one without its signature: type || tx || 0 signatures.
    eq(Buffer.from(b.tx, 'base64').toString('hex'), '00000002' + v.tx_xdr_hex + '00000000', 'built envelope');
    eq(b.hash, v.tx_hash_hex, 'hash');
    const o = await ok(['verify', 'stellar', '--signed-tx', v.envelope_xdr_base64, '--tx', b.tx, '--network', v.network]);
    eq(o.hash, v.tx_hash_hex, 'hash');
    eq(o.source, v.source_public, 'source');
    eq(o.seq_num, v.seq_num, 'sequence');
    eq(o.fee, String(v.fee), 'fee');
    eq(o.preconditions.type, precond === 'none' ? 'precondNone' : 'precondTime', 'preconditions');
    eq(JSON.stringify(o.operations), JSON.stringify([{ type: 'accountMerge', destination: v.destination }]), 'operations');
    eq(o.signatures[0].hint_hex, v.signature_hint_hex, 'hint');
    await refused(['verify', 'stellar', '--signed-tx', v.envelope_xdr_base64, '--network', 'public'], /does not verify under network/);
    await refused(['verify', 'stellar', '--signed-tx', v.envelope_xdr_base64, '--network', v.network, '--signer', v.destination], /no signature with/);
    await refused(['verify', 'stellar', '--signed-tx', b.tx, '--network', v.network], /no signature with/);
    await refused(['verify', 'stellar', '--signed-tx', flipB64(v.envelope_xdr_base64, 50), '--network', v.network], /does not verify/);
  });

// The reference signer (`sign`) reproduces the vectors byte for byte, so Coffer's output can be compared with it.
test('sign: the SDK signatures equal the vectors (Sui, IOTA, Solana, Stellar)', async () => {
  for (const c of sui.cases)
    eq((await ok(['sign', 'sui', '--tx-bytes', sui.tx_bytes_b64, '--mnemonic', c.mnemonic])).signature, c.serialized_signature_b64, 'sui signature');
  for (const c of iota.cases)
    eq((await ok(['sign', 'iota', '--tx-bytes', sui.tx_bytes_b64, '--mnemonic', c.mnemonic])).signature, c.derived_tx_signature_over_sui_TX_BYTES_b64, 'iota signature');
  for (const which of ['zero_blockhash', 'nonzero_blockhash']) {
    const v = soltx[which];
    const b = await ok(['build', 'solana', '--from', v.from, '--to', v.to, '--lamports', String(v.lamports), '--blockhash', v.recent_blockhash]);
    const s = await ok(['sign', 'solana', '--tx', b.tx, '--mnemonic', sol.mnemonic]);
    eq(s.signed_tx, v.tx_base64, 'solana signed tx');
    eq(s.signature, v.signature_base58, 'solana signature');
    const d = await ok(['decode', 'solana', '--tx', s.signed_tx]);
    eq(d.message_sha256_hex, crypto.createHash('sha256').update(Buffer.from(v.message_hex, 'hex')).digest('hex'), 'message sha256');
  }
  for (const [which, precond] of [['precond_none', 'none'], ['builder_timebounds_0_0', 'time']]) {
    const v = stx[which];
    const b = await ok(['build', 'stellar', '--source', v.source_public, '--sequence', String(BigInt(v.seq_num) - 1n), '--fee', String(v.fee), '--network', v.network, '--destination', v.destination, '--precond', precond]);
    const s = await ok(['sign', 'stellar', '--in', '-', '--mnemonic', sep5[0].mnemonic], b);
    eq(s.signed_tx, v.envelope_xdr_base64, 'stellar envelope');
    eq(Buffer.from(s.signature, 'base64').toString('hex'), v.signature_hex, 'stellar signature');
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Round trips on random mnemonics: keys -> build -> SDK sign -> verify (what Coffer's CLI will replace: sign).
const fresh = () => generateMnemonic(256);
const merged = (...objs) => Object.assign({}, ...objs);

for (const chain of ['iota', 'sui'])
  test(`round trip ${chain}: pay-all, split, move-call, sponsored gas, personal message (random mnemonics)`, async () => {
    const [mOld, mNew] = [fresh(), fresh()];
    const old = await ok(['keys', chain, '--mnemonic', mOld, '--account', '1', '--index', '2']);
    eq(old.path, chain === 'iota' ? "m/44'/4218'/1'/0'/2'" : "m/44'/784'/1'/0'/2'", 'path');
    const nu = await ok(['keys', chain, '--mnemonic', mNew]);
    const signOld = ['--mnemonic', mOld, '--account', '1', '--index', '2'];

    // pay-all-iota / pay-all-sui equivalent: the migration sweep.
    const b = await ok(['build', chain, '--sender', old.address, '--recipient', nu.address, '--gas-coins', '4', '--gas-price', '1000', '--gas-budget', '2000000']);
    const d = await ok(['decode', chain, '--tx-bytes', b.tx_bytes]);
    eq(d.sender, old.address, 'sender');
    eq(d.gas.payment.length, 4, 'gas coins');
    eq(`${d.gas.price}/${d.gas.budget}`, '1000/2000000', 'gas price/budget');
    eq(JSON.stringify(d.commands), JSON.stringify([{ kind: 'TransferObjects', objects: ['GasCoin'], recipient: nu.address }]), 'commands');
    eq(d.digest, b.digest, 'digest');
    const s = await ok(['sign', chain, '--in', '-', ...signOld], b);
    eq(s.address, old.address, 'SDK signer');
    const v = await ok(['verify', chain, '--in', '-', '--address', old.address], merged(b, s));
    eq(v.decoded.commands[0].recipient, nu.address, 'verified recipient');
    // Signed by the wrong key (the new seed) for the old sender: refused.
    const wrong = await ok(['sign', chain, '--in', '-', '--mnemonic', mNew], b);
    await refused(['verify', chain, '--in', '-'], /neither the sender/, merged(b, wrong));
    await refused(['verify', chain, '--in', '-', '--address', old.address, '--no-sender-check'], /expected/, merged(b, wrong));

    // Split to two recipients (one of them not in any plan) and a Move call: decoded faithfully.
    const other = '0x' + 'ab'.repeat(32);
    const sp = await ok(['build', chain, '--kind', 'split', '--sender', old.address, '--recipient', nu.address, '--amount', '5', '--recipient', other, '--amount', '18446744073709551615']);
    const sd = await ok(['decode', chain, '--tx-bytes', sp.tx_bytes]);
    eq(JSON.stringify(sd.commands.map((c) => c.amounts ?? c.recipient)), JSON.stringify([['5', '18446744073709551615'], nu.address, other]), 'split');
    await ok(['verify', chain, '--in', '-', '--address', old.address], merged(sp, await ok(['sign', chain, '--in', '-', ...signOld], sp)));
    const mc = await ok(['build', chain, '--kind', 'move-call', '--sender', old.address, '--recipient', nu.address, '--amount', '7']);
    const md = await ok(['decode', chain, '--tx-bytes', mc.tx_bytes]);
    eq(md.commands[0].target, `0x${'0'.repeat(63)}2::pay::split_and_transfer`, 'move call target');
    eq(md.commands[0].type_arguments[0], `0x${'0'.repeat(63)}2::${chain}::${chain.toUpperCase()}`, 'coin type');
    await ok(['verify', chain, '--in', '-', '--address', old.address], merged(mc, await ok(['sign', chain, '--in', '-', ...signOld], mc)));

    // Sponsored: the gas owner (new seed) signs; the verify accepts it as the gas owner.
    const sp2 = await ok(['build', chain, '--sender', old.address, '--recipient', nu.address, '--gas-owner', nu.address, '--gas-coins', '1']);
    const sd2 = await ok(['decode', chain, '--tx-bytes', sp2.tx_bytes]);
    eq(sd2.gas.owner, nu.address, 'gas owner');
    const gv = await ok(['verify', chain, '--in', '-'], merged(sp2, await ok(['sign', chain, '--in', '-', '--mnemonic', mNew], sp2)));
    assert(gv.checks.includes('signer is the gas owner'), 'gas owner check');

    // Explicit gas objects and an expiration epoch round-trip into the bytes.
    const gobj = `0x${'0c'.repeat(32)}:42:EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k`;
    const ge = await ok(['build', chain, '--sender', old.address, '--recipient', nu.address, '--gas-object', gobj, '--expiration-epoch', '9']);
    const gd = await ok(['decode', chain, '--tx-bytes', ge.tx_bytes]);
    eq(`${gd.gas.payment[0].objectId}:${gd.gas.payment[0].version}:${gd.gas.payment[0].digest}`, gobj, 'gas object');
    eq(String(gd.expiration.Epoch), '9', 'expiration epoch');

    // Personal message.
    const msg = Buffer.from('coffer interop ✓ ' + mOld.split(' ')[0]).toString('hex');
    const ps = await ok(['sign', chain, '--message-hex', msg, ...signOld]);
    await ok(['verify', chain, '--message-hex', msg, '--signature', ps.signature, '--address', old.address]);
    await refused(['verify', chain, '--message-hex', msg + '00', '--signature', ps.signature], /does not verify/);
  });

test('round trip solana: legacy, v0, v0 with lookup table, durable nonce, SPL transfers, second signer (random mnemonics)', async () => {
  const [mOld, mNew] = [fresh(), fresh()];
  const old = await ok(['keys', 'solana', '--mnemonic', mOld, '--account', '3']);
  eq(old.path, "m/44'/501'/3'/0'", 'path');
  const nu = await ok(['keys', 'solana', '--mnemonic', mNew]);
  const signOld = ['--mnemonic', mOld, '--account', '3'];
  const nonceAcct = (await ok(['keys', 'solana', '--mnemonic', fresh()])).address;
  const cases = [
    { args: [], n: 1 },
    { args: ['--version', '0'], n: 1 },
    { args: ['--version', '0', '--lookup-table', '1'], n: 1 },
    { args: ['--nonce-account', nonceAcct, '--nonce', 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k', '--compute-unit-price', '5000'], n: 3 },
    { args: ['--version', '0', '--nonce-account', nonceAcct, '--nonce', 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k'], n: 2 },
  ];
  for (const c of cases) {
    const what = c.args.join(' ') || 'legacy';
    const b = await ok(['build', 'solana', '--from', old.address, '--to', nu.address, '--lamports', '999999999999', ...c.args]);
    const s = await ok(['sign', 'solana', '--in', '-', ...signOld], b);
    const v = await ok(['verify', 'solana', '--in', '-', '--signer', old.address], merged(b, s));
    eq(v.instructions.length, c.n, `${what}: instruction count`);
    const t = v.instructions[v.instructions.length - 1];
    eq(`${t.type} ${t.from} ${t.to} ${t.lamports}`, `Transfer ${old.address} ${nu.address} 999999999999`, `${what}: transfer`);
    eq(v.fee_payer, old.address, `${what}: fee payer`);
    if (c.args.includes('--nonce-account')) eq(v.instructions[0].type, 'AdvanceNonceAccount', `${what}: nonce first`);
    if (c.args.includes('--lookup-table')) {
      eq(v.address_table_lookups.length, 1, 'lookup used');
      // Without the table, decode cannot name the recipient and says so.
      const d = await ok(['decode', 'solana', '--tx', b.tx]);
      eq(d.lookups_resolved, false, 'unresolved without the table');
    }
    // The signed transaction must carry the very message that was built.
    const other = await ok(['build', 'solana', '--from', old.address, '--to', nu.address, '--lamports', '1', ...c.args]);
    await refused(['verify', 'solana', '--signed-tx', s.signed_tx, '--tx', other.tx], /differs from the unsigned/);
  }
  // base58 input is accepted by verify and decode.
  const b = await ok(['build', 'solana', '--from', old.address, '--to', nu.address, '--lamports', '5']);
  const s = await ok(['sign', 'solana', '--in', '-', ...signOld], b);
  eq((await ok(['decode', 'solana', '--tx', b.tx_base58])).fee_payer, old.address, 'base58 decode');
  // A key that is not a signer cannot sign.
  await refused(['sign', 'solana', '--in', '-', '--mnemonic', mNew], /unknown signer|not.*signer/i, b);
  await ok(['verify', 'solana', '--signed-tx', s.signed_tx, '--tx', b.tx_base58]);

  // SPL Token: plain and checked transfers between associated token accounts (+ idempotent ATA creation).
  for (const extra of [[], ['--decimals', '6', '--create-ata', '--version', '0']]) {
    const sb = await ok(['build', 'solana', '--kind', 'spl-transfer', '--from', old.address, '--to', nu.address, '--amount', '123456', ...extra]);
    const sv = await ok(['verify', 'solana', '--in', '-', '--signer', old.address], merged(sb, await ok(['sign', 'solana', '--in', '-', ...signOld], sb)));
    const t = sv.instructions[sv.instructions.length - 1];
    eq(`${t.program} ${t.type} ${t.source} ${t.destination} ${t.owner} ${t.amount}`, `spl-token ${extra.length ? 'TransferChecked' : 'Transfer'} ${sb.source} ${sb.destination} ${old.address} 123456`, 'spl transfer');
    if (extra.length) eq(sv.instructions[0].type, 'CreateIdempotent', 'ata creation');
  }

  // A separate fee payer: two signers; one signature alone is only a partial signing.
  const fp = await ok(['build', 'solana', '--from', old.address, '--to', nu.address, '--lamports', '5', '--fee-payer', nu.address]);
  eq(fp.fee_payer, nu.address, 'fee payer is index 0');
  const half = await ok(['sign', 'solana', '--in', '-', ...signOld], fp);
  await refused(['verify', 'solana', '--in', '-', '--signer', old.address], /missing signatures/, merged(fp, half));
  await ok(['verify', 'solana', '--in', '-', '--signer', old.address, '--partial'], merged(fp, half));
  const full = await ok(['sign', 'solana', '--tx', half.signed_tx, '--mnemonic', mNew]);
  await ok(['verify', 'solana', '--signed-tx', full.signed_tx, '--tx', fp.tx]);
});

test('round trip stellar: account merge, payment, create account, change trust, memo, time bounds (random mnemonics)', async () => {
  const [mOld, mNew] = [fresh(), fresh()];
  const old = await ok(['keys', 'stellar', '--mnemonic', mOld, '--account', '2']);
  eq(old.path, "m/44'/148'/2'", 'path');
  const nu = await ok(['keys', 'stellar', '--mnemonic', mNew]);
  const signOld = ['--mnemonic', mOld, '--account', '2'];
  const issuer = (await ok(['keys', 'stellar', '--mnemonic', fresh()])).address;
  const cases = [
    { net: 'public', args: ['--op', 'account-merge', '--destination', nu.address], ops: [{ type: 'accountMerge', destination: nu.address }] },
    { net: 'testnet', args: ['--op', 'payment', '--destination', nu.address, '--amount', '12.5', '--memo-text', 'sweep ✓'], ops: [{ type: 'payment', destination: nu.address, asset: 'native', amount: '12.5000000' }] },
    { net: 'testnet', args: ['--op', 'create-account', '--destination', nu.address, '--starting-balance', '1.5', '--memo-id', '18446744073709551615'], ops: [{ type: 'createAccount', destination: nu.address, startingBalance: '1.5000000' }] },
    { net: 'public', args: ['--op', 'change-trust', '--asset', `USDC:${issuer}`, '--limit', '0', '--min-time', '10', '--max-time', '2000000000'], ops: [{ type: 'changeTrust', line: `USDC:${issuer}`, limit: '0.0000000' }] },
    {
      net: 'Custom Network ; 2026',
      args: ['--ops', JSON.stringify([{ type: 'payment', destination: nu.address, amount: '1', asset: `EURT:${issuer}` }, { type: 'account-merge', destination: nu.address }])],
      ops: [{ type: 'payment', destination: nu.address, asset: `EURT:${issuer}`, amount: '1.0000000' }, { type: 'accountMerge', destination: nu.address }],
    },
  ];
  for (const c of cases) {
    const what = c.args[1];
    const b = await ok(['build', 'stellar', '--source', old.address, '--sequence', '103582791429521407', '--fee', '250', '--network', c.net, ...c.args]);
    eq(b.seq_num, '103582791429521408', `${what}: seq = account seq + 1`);
    eq(b.fee, String(250 * c.ops.length), `${what}: fee = base fee x operations`);
    eq(b.network, c.net, `${what}: network round-trips`);
    const s = await ok(['sign', 'stellar', '--in', '-', ...signOld], b); // network taken from the build output
    const v = await ok(['verify', 'stellar', '--in', '-', '--network', c.net, '--signer', old.address], merged(b, s));
    eq(JSON.stringify(v.operations), JSON.stringify(c.ops), `${what}: operations`);
    eq(v.hash, b.hash, `${what}: hash`);
    if (c.args.includes('--memo-text')) eq(`${v.memo.type}:${v.memo.value}`, 'text:sweep ✓', 'memo text');
    if (c.args.includes('--memo-id')) eq(`${v.memo.type}:${v.memo.value}`, 'id:18446744073709551615', 'memo id');
    if (c.args.includes('--min-time')) eq(JSON.stringify(v.preconditions.time_bounds), '{"minTime":"10","maxTime":"2000000000"}', 'time bounds');
    const wrongNet = c.net === 'public' ? 'testnet' : 'public';
    await refused(['verify', 'stellar', '--signed-tx', s.signed_tx, '--network', wrongNet], /does not verify under network/);
    const byNew = await ok(['sign', 'stellar', '--tx', b.tx, '--network', c.net, '--mnemonic', mNew]);
    await refused(['verify', 'stellar', '--signed-tx', byNew.signed_tx, '--network', c.net], /no signature with/);
  }
  // A signed envelope whose transaction differs from the unsigned one (other destination) is refused.
  const b1 = await ok(['build', 'stellar', '--source', old.address, '--sequence', '7', '--network', 'testnet', '--destination', nu.address]);
  const b2 = await ok(['build', 'stellar', '--source', old.address, '--sequence', '7', '--network', 'testnet', '--destination', issuer]);
  const s2 = await ok(['sign', 'stellar', '--in', '-', '--network', 'testnet', ...signOld], b2);
  await refused(['verify', 'stellar', '--signed-tx', s2.signed_tx, '--tx', b1.tx, '--network', 'testnet'], /differs from the unsigned/);
});

// ---------------------------------------------------------------------------------------------------------------
const selected = tests.filter((t) => t.name.includes(FILTER));
let passed = 0;
let failed = 0;
const started = Date.now();
let next = 0;
async function worker() {
  while (next < selected.length) {
    const t = selected[next++];
    const t0 = Date.now();
    try {
      await t.fn();
      passed++;
      console.log(`ok   ${t.name}${VERBOSE ? ` (${Date.now() - t0} ms)` : ''}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${e instanceof CheckError ? e.message : e.stack}`);
    }
  }
}
await Promise.all(Array.from({ length: JOBS }, worker));
if (VERBOSE) console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s, ${JOBS} jobs)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !selected.length ? 1 : 0);
