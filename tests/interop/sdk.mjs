#!/usr/bin/env node
// Coffer interop harness: each chain's own SDK builds unsigned transactions, and verifies and decodes what Coffer
// signed. Offline only: the network guard below makes any fetch, socket or DNS lookup throw before an SDK loads.
//
//   node sdk.mjs build  <iota|sui|solana|stellar> [--flag value …] [--json]
//   node sdk.mjs verify <chain> …     node sdk.mjs decode <chain> …     node sdk.mjs keys <chain> --mnemonic "…"
//   node sdk.mjs sign   <chain> --mnemonic "…" …   (reference signer for the self-test; Coffer never calls it)
//   node sdk.mjs offline-check        (proves the network guard is in place)
//
// Output is one JSON object on stdout (pretty; one line with --json). On failure: exit 1, a message on stderr and
// {"ok": false, "error": "…"} on stdout. `--in FILE` (or `--in -` for stdin) reads a JSON object whose keys are
// flag names (`tx_bytes` = `--tx-bytes`); flags on the command line win. See README.md for every flag.

import crypto from 'node:crypto';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';
import { blake2b } from '@noble/hashes/blake2b';

// ---------------------------------------------------------------------------------------------------------------
// Network guard (installed at import time, before any SDK module is loaded: they are imported lazily).
const NETWORK_BLOCKED = 'coffer interop harness: network access is forbidden (the SDKs must work offline)';
function installNetworkGuard() {
  const deny = () => {
    throw new Error(NETWORK_BLOCKED);
  };
  globalThis.fetch = async () => deny();
  globalThis.WebSocket = class {
    constructor() {
      deny();
    }
  };
  net.Socket.prototype.connect = deny;
  net.connect = net.createConnection = deny;
  tls.connect = deny;
  dns.lookup = dns.resolve = deny;
  dns.promises.lookup = dns.promises.resolve = async () => deny();
}
installNetworkGuard();

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.
class UsageError extends Error {}
const fail = (msg) => {
  throw new UsageError(msg);
};
const sha256 = (s) => crypto.createHash('sha256').update(s).digest();
const hex = (b) => Buffer.from(b).toString('hex');
const b64 = (b) => Buffer.from(b).toString('base64');
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
function fromB64Strict(s, what) {
  if (typeof s !== 'string' || s.length % 4 !== 0 || !B64_RE.test(s)) fail(`${what}: not base64`);
  return Buffer.from(s, 'base64');
}
function fromHexStrict(s, what) {
  const t = String(s).replace(/^0x/, '');
  if (t.length % 2 || !/^[0-9a-fA-F]*$/.test(t)) fail(`${what}: not hex`);
  return Buffer.from(t, 'hex');
}
function uint(v, what) {
  if (v === undefined || v === null || v === '') fail(`missing --${what}`);
  const s = String(v);
  if (!/^\d+$/.test(s)) fail(`--${what}: not an unsigned integer: ${s}`);
  return BigInt(s);
}
const u64 = (v, what) => {
  const n = uint(v, what);
  if (n >= 1n << 64n) fail(`--${what}: does not fit in u64`);
  return n;
};
const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const one = (v, what) => {
  if (Array.isArray(v)) {
    if (v.length !== 1) fail(`--${what} given ${v.length} times`);
    return v[0];
  }
  return v;
};
function need(o, key) {
  const v = one(o[key], key.replace(/_/g, '-'));
  if (v === undefined || v === '') fail(`missing --${key.replace(/_/g, '-')}`);
  return v;
}

// JSON-safe copy: bigint -> string, bytes -> hex, SDK objects with toString()/toBase58() -> strings.
function plain(v) {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    if (typeof v.toBase58 === 'function') return v.toBase58(); // Solana PublicKey
    if (v.constructor?.name === 'Asset' && typeof v.toString === 'function') return v.toString(); // Stellar
    if (v.constructor?.name === 'BigNumber' || v.constructor?.name === 'BN') return v.toString();
    if (typeof v.toXDR === 'function') return v.toXDR('base64');
    const out = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

// Argument parsing: `<cmd> <chain> --k v --k v2 --bool`. Repeated flags become arrays.
const BOOLEAN_FLAGS = new Set(['json', 'no-sender-check', 'create-ata', 'partial', 'help']);
function parseArgs(argv) {
  const pos = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      pos.push(a);
      continue;
    }
    let name = a.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (BOOLEAN_FLAGS.has(name)) {
      value = true;
    } else {
      if (i + 1 >= argv.length) fail(`--${name} needs a value`);
      value = argv[++i];
    }
    const key = name.replace(/-/g, '_');
    if (key in opts) opts[key] = list(opts[key]).concat([value]);
    else opts[key] = value;
  }
  return { pos, opts };
}
function readInput(spec, stdinText) {
  const text = spec === '-' ? (stdinText ?? fs.readFileSync(0, 'utf8')) : fs.readFileSync(spec, 'utf8');
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    fail(`--in ${spec}: not JSON: ${e.message}`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) fail(`--in ${spec}: expected a JSON object`);
  const out = {};
  for (const [k, v] of Object.entries(obj)) out[k.replace(/-/g, '_')] = v;
  return out;
}

// Deterministic, well-formed fabricated values (object ids, digests, blockhashes) from a label.
const fabricatedHex = (label) => '0x' + hex(sha256('coffer-interop:' + label));
async function fabricatedB58(label) {
  const { default: bs58 } = await import('bs58');
  return bs58.encode(sha256('coffer-interop:' + label));
}

// ---------------------------------------------------------------------------------------------------------------
// IOTA Rebased and Sui (the IOTA SDK is a fork of the Sui SDK: same API, different names and address rule).
async function moveChain(chain) {
  if (chain === 'sui') {
    const [tx, kp, ver, utils, crypt, bcs] = await Promise.all([
      import('@mysten/sui/transactions'),
      import('@mysten/sui/keypairs/ed25519'),
      import('@mysten/sui/verify'),
      import('@mysten/sui/utils'),
      import('@mysten/sui/cryptography'),
      import('@mysten/sui/bcs'),
    ]);
    return {
      chain,
      Transaction: tx.Transaction,
      TransactionDataBuilder: tx.TransactionDataBuilder,
      Ed25519Keypair: kp.Ed25519Keypair,
      verify: ver,
      utils,
      crypt,
      bcs: bcs.bcs,
      coinType: '0x2::sui::SUI',
      coinPath: (a, i) => `m/44'/784'/${a}'/0'/${i}'`,
      address: (pk) => pk.toSuiAddress(),
      normalize: utils.normalizeSuiAddress,
      isValidAddress: utils.isValidSuiAddress,
    };
  }
  const [tx, kp, ver, utils, crypt, bcs] = await Promise.all([
    import('@iota/iota-sdk/transactions'),
    import('@iota/iota-sdk/keypairs/ed25519'),
    import('@iota/iota-sdk/verify'),
    import('@iota/iota-sdk/utils'),
    import('@iota/iota-sdk/cryptography'),
    import('@iota/iota-sdk/bcs'),
  ]);
  return {
    chain,
    Transaction: tx.Transaction,
    TransactionDataBuilder: tx.TransactionDataBuilder,
    Ed25519Keypair: kp.Ed25519Keypair,
    verify: ver,
    utils,
    crypt,
    bcs: bcs.bcs,
    coinType: '0x2::iota::IOTA',
    coinPath: (a, i) => `m/44'/4218'/${a}'/0'/${i}'`,
    // IOTA Rebased: blake2b-256(pubkey) WITHOUT the flag byte for ed25519 (unlike Sui).
    address: (pk) => pk.toIotaAddress(),
    normalize: utils.normalizeIotaAddress,
    isValidAddress: utils.isValidIotaAddress,
  };
}

function moveAddress(M, v, what) {
  const s = String(v ?? '');
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(s)) fail(`--${what}: not a 0x… address: ${s}`);
  return M.normalize(s);
}

async function parseObjectRef(M, spec, what) {
  const parts = String(spec).split(':');
  if (parts.length !== 3) fail(`--${what}: expected OBJECT_ID:VERSION:DIGEST, got ${spec}`);
  const [id, version, digest] = parts;
  const { default: bs58 } = await import('bs58');
  let d;
  try {
    d = bs58.decode(digest);
  } catch {
    fail(`--${what}: digest is not base58`);
  }
  if (d.length !== 32) fail(`--${what}: digest must be 32 bytes`);
  return { objectId: moveAddress(M, id, what), version: uint(version, what).toString(), digest };
}

async function fabricatedRefs(M, role, owner, n) {
  const refs = [];
  for (let i = 0; i < n; i++) {
    const label = `${M.chain}:${role}:${owner}:${i}`;
    refs.push({ objectId: fabricatedHex(label), version: String(1000 + i), digest: await fabricatedB58(label + ':digest') });
  }
  return refs;
}

async function moveBuild(M, o) {
  const sender = moveAddress(M, need(o, 'sender'), 'sender');
  const kind = one(o.kind, 'kind') ?? 'pay-all';
  const recipients = list(o.recipient).map((r) => moveAddress(M, r, 'recipient'));
  const amounts = list(o.amount).map((a) => u64(a, 'amount'));
  const gasOwner = o.gas_owner !== undefined ? moveAddress(M, one(o.gas_owner, 'gas-owner'), 'gas-owner') : sender;
  let payment;
  if (o.gas_object !== undefined) {
    payment = [];
    for (const g of list(o.gas_object)) payment.push(await parseObjectRef(M, g, 'gas-object'));
  } else {
    const n = Number(uint(one(o.gas_coins, 'gas-coins') ?? (kind === 'pay-all' ? 3 : 1), 'gas-coins'));
    if (n < 1 || n > 255) fail('--gas-coins must be 1..255');
    payment = await fabricatedRefs(M, 'gas', gasOwner, n);
  }
  const tx = new M.Transaction();
  tx.setSender(sender);
  if (gasOwner !== sender) tx.setGasOwner(gasOwner);
  tx.setGasPrice(u64(one(o.gas_price, 'gas-price') ?? 1000, 'gas-price'));
  tx.setGasBudget(u64(one(o.gas_budget, 'gas-budget') ?? 10_000_000, 'gas-budget'));
  tx.setGasPayment(payment);
  if (o.expiration_epoch !== undefined) tx.setExpiration({ Epoch: Number(uint(one(o.expiration_epoch), 'expiration-epoch')) });

  if (kind === 'pay-all') {
    // `iota client pay-all-iota` / `sui client pay-all-sui`: every input coin is a gas coin (merged into the gas
    // coin by the protocol), then TransferObjects([GasCoin], recipient).
    if (recipients.length !== 1) fail('pay-all takes exactly one --recipient');
    if (amounts.length) fail('pay-all takes no --amount (it sends everything)');
    tx.transferObjects([tx.gas], tx.pure.address(recipients[0]));
  } else if (kind === 'split') {
    // `pay-iota` / `pay-sui` style: SplitCoins(GasCoin, [a1, a2, …]) then TransferObjects([coin_i], recipient_i).
    if (!recipients.length) fail('split needs at least one --recipient');
    if (amounts.length !== recipients.length) fail('split needs one --amount per --recipient');
    const coins = tx.splitCoins(tx.gas, amounts.map((a) => tx.pure.u64(a)));
    recipients.forEach((r, i) => tx.transferObjects([coins[i]], tx.pure.address(r)));
  } else if (kind === 'move-call') {
    // 0x2::pay::split_and_transfer<COIN>(&mut Coin<COIN>, amount, recipient) on an owned coin object.
    if (recipients.length !== 1 || amounts.length !== 1) fail('move-call takes one --recipient and one --amount');
    const coin =
      o.coin_object !== undefined
        ? await parseObjectRef(M, one(o.coin_object, 'coin-object'), 'coin-object')
        : (await fabricatedRefs(M, 'coin', sender, 1))[0];
    tx.moveCall({
      target: '0x2::pay::split_and_transfer',
      typeArguments: [M.coinType],
      arguments: [tx.objectRef(coin), tx.pure.u64(amounts[0]), tx.pure.address(recipients[0])],
    });
  } else {
    fail(`unknown --kind ${kind} (pay-all, split, move-call)`);
  }
  const bytes = await tx.build(); // no client: every object ref, price and budget is given, nothing is fetched
  return {
    chain: M.chain,
    kind,
    tx: b64(bytes),
    tx_bytes: b64(bytes),
    digest: M.TransactionDataBuilder.getDigestFromBytes(bytes),
    sender,
    gas_owner: gasOwner,
    gas_payment: payment,
    recipients,
    amounts: amounts.map(String),
  };
}

// What ed25519 signs: blake2b-256(intent || message), intent 00 00 00 (transaction) or 03 00 00 (personal message,
// over the BCS vector<u8>), built with the SDK's own messageWithIntent.
function signingDigestHex(M, bytes, scope) {
  const msg = scope === 'PersonalMessage' ? M.bcs.vector(M.bcs.u8()).serialize(bytes).toBytes() : bytes;
  return hex(blake2b(M.crypt.messageWithIntent(scope, msg), { dkLen: 32 }));
}

function moveArg(a) {
  if (!a || typeof a !== 'object') return a;
  switch (a.$kind) {
    case 'GasCoin':
      return 'GasCoin';
    case 'Input':
      return `Input(${a.Input})`;
    case 'Result':
      return `Result(${a.Result})`;
    case 'NestedResult':
      return `NestedResult(${a.NestedResult[0]},${a.NestedResult[1]})`;
    default:
      return plain(a);
  }
}

function moveDecodeBytes(M, bytes) {
  let data;
  try {
    data = M.Transaction.from(bytes).getData();
  } catch (e) {
    fail(`--tx-bytes: not ${M.chain} TransactionData: ${e.message}`);
  }
  // BCS parsing ignores trailing bytes; the chain does not. Re-encoding must give the input back.
  if (!Buffer.from(M.TransactionDataBuilder.fromBytes(bytes).build()).equals(Buffer.from(bytes)))
    fail('--tx-bytes: trailing or non-canonical bytes after the TransactionData');
  const inputs = data.inputs.map((inp, i) => {
    if (inp.$kind === 'Pure') return { index: i, kind: 'Pure', bytes_hex: hex(Buffer.from(inp.Pure.bytes, 'base64')) };
    if (inp.$kind === 'Object') {
      const k = inp.Object.$kind;
      return { index: i, kind: 'Object', object_kind: k, ...plain(inp.Object[k]) };
    }
    return { index: i, kind: inp.$kind, value: plain(inp) };
  });
  const pureAs = (arg, type) => {
    if (arg?.$kind !== 'Input') return undefined;
    const inp = data.inputs[arg.Input];
    if (inp?.$kind !== 'Pure') return undefined;
    const raw = Buffer.from(inp.Pure.bytes, 'base64');
    try {
      if (type === 'address') {
        if (raw.length !== 32) return undefined;
        return M.bcs.Address.parse(raw);
      }
      if (raw.length !== 8) return undefined;
      return M.bcs.u64().parse(raw);
    } catch {
      return undefined;
    }
  };
  const commands = data.commands.map((c) => {
    const k = c.$kind;
    const v = c[k];
    switch (k) {
      case 'TransferObjects':
        return { kind: k, objects: v.objects.map(moveArg), recipient: pureAs(v.address, 'address') ?? moveArg(v.address) };
      case 'SplitCoins':
        return { kind: k, coin: moveArg(v.coin), amounts: v.amounts.map((a) => pureAs(a, 'u64') ?? moveArg(a)) };
      case 'MergeCoins':
        return { kind: k, destination: moveArg(v.destination), sources: v.sources.map(moveArg) };
      case 'MoveCall':
        return {
          kind: k,
          target: `${v.package}::${v.module}::${v.function}`,
          type_arguments: v.typeArguments,
          arguments: v.arguments.map(moveArg),
        };
      default:
        return { kind: k, value: plain(v) };
    }
  });
  return {
    chain: M.chain,
    digest: M.TransactionDataBuilder.getDigestFromBytes(bytes),
    signing_digest_hex: signingDigestHex(M, bytes, 'TransactionData'),
    sender: data.sender,
    expiration: plain(data.expiration),
    gas: {
      owner: data.gasData.owner ?? data.sender,
      price: String(data.gasData.price),
      budget: String(data.gasData.budget),
      payment: plain(data.gasData.payment),
    },
    inputs,
    commands,
  };
}

function moveTxBytes(o) {
  const s = one(o.tx_bytes ?? o.tx, 'tx-bytes');
  if (s === undefined) fail('missing --tx-bytes (base64 TransactionData)');
  return fromB64Strict(s, '--tx-bytes');
}
function moveMessage(o) {
  if (o.message_hex !== undefined) return fromHexStrict(one(o.message_hex), '--message-hex');
  if (o.message_b64 !== undefined) return fromB64Strict(one(o.message_b64), '--message-b64');
  if (o.message !== undefined) return Buffer.from(String(one(o.message)), 'utf8');
  return undefined;
}

async function moveVerify(M, o) {
  const sig = String(need(o, 'signature'));
  const raw = fromB64Strict(sig, '--signature');
  const checks = [];
  if (raw.length !== 97 || raw[0] !== 0x00) fail(`--signature: expected base64(0x00 || 64-byte sig || 32-byte ed25519 key), got ${raw.length} bytes, flag ${raw[0]}`);
  const parsed = M.crypt.parseSerializedSignature(sig);
  if (parsed.signatureScheme !== 'ED25519') fail(`signature scheme ${parsed.signatureScheme}, expected ED25519`);
  checks.push('serialized signature parses as ED25519 (97 bytes)');
  const expected = o.address !== undefined ? moveAddress(M, one(o.address), 'address') : undefined;
  const message = moveMessage(o);
  let pk;
  let decoded;
  let signedAs;
  if (message !== undefined) {
    signedAs = 'personal_message';
    try {
      pk = await M.verify.verifyPersonalMessageSignature(message, sig);
    } catch (e) {
      fail(`personal message signature does not verify: ${e.message}`);
    }
    checks.push('verifyPersonalMessageSignature');
    if (!(await pk.verifyPersonalMessage(message, sig))) fail('PublicKey.verifyPersonalMessage returned false');
    checks.push('PublicKey.verifyPersonalMessage');
    decoded = { signing_digest_hex: signingDigestHex(M, message, 'PersonalMessage') };
  } else {
    signedAs = 'transaction';
    const bytes = moveTxBytes(o);
    decoded = moveDecodeBytes(M, bytes);
    try {
      pk = await M.verify.verifyTransactionSignature(bytes, sig);
    } catch (e) {
      fail(`transaction signature does not verify: ${e.message}`);
    }
    checks.push('verifyTransactionSignature');
    if (!(await pk.verifyTransaction(bytes, sig))) fail('PublicKey.verifyTransaction returned false');
    checks.push('Ed25519PublicKey.verifyTransaction');
  }
  const address = M.address(pk);
  if (expected !== undefined) {
    if (address !== expected) fail(`signed by ${address}, expected ${expected}`);
    checks.push('signer address equals --address');
  }
  if (signedAs === 'transaction' && !o.no_sender_check) {
    if (address !== decoded.sender && address !== decoded.gas.owner)
      fail(`signer ${address} is neither the sender ${decoded.sender} nor the gas owner ${decoded.gas.owner}`);
    checks.push(address === decoded.sender ? 'signer is the sender' : 'signer is the gas owner');
  }
  return {
    ok: true,
    chain: M.chain,
    signed: signedAs,
    address,
    public_key_b64: pk.toBase64(),
    public_key_hex: hex(pk.toRawBytes()),
    signing_digest_hex: decoded.signing_digest_hex,
    ...(signedAs === 'transaction' ? { digest: decoded.digest, decoded } : {}),
    checks,
  };
}

async function moveKeypair(M, o) {
  const { path } = derivationPath(M.chain, o);
  const mnemonic = String(need(o, 'mnemonic')).trim();
  const pass = String(one(o.passphrase) ?? '');
  if (!pass) return { kp: M.Ed25519Keypair.deriveKeypair(mnemonic, path), path };
  const { mnemonicToSeedSync } = await import('bip39');
  return { kp: M.Ed25519Keypair.deriveKeypairFromSeed(hex(mnemonicToSeedSync(mnemonic, pass)), path), path };
}

async function moveSign(M, o) {
  const { kp } = await moveKeypair(M, o);
  const address = M.address(kp.getPublicKey());
  const message = moveMessage(o);
  if (message !== undefined) {
    const { signature } = await kp.signPersonalMessage(message);
    return { chain: M.chain, address, signature };
  }
  const { signature } = await kp.signTransaction(moveTxBytes(o));
  return { chain: M.chain, address, signature };
}

// ---------------------------------------------------------------------------------------------------------------
// Derivation paths and `keys`.
function derivationPath(chain, o) {
  const account = Number(uint(one(o.account) ?? 0, 'account'));
  const index = Number(uint(one(o.index) ?? 0, 'index'));
  if (account >= 2 ** 31 || index >= 2 ** 31) fail('--account/--index must be < 2^31');
  switch (chain) {
    case 'iota':
      return { path: `m/44'/4218'/${account}'/0'/${index}'`, account, index };
    case 'sui':
      return { path: `m/44'/784'/${account}'/0'/${index}'`, account, index };
    case 'solana':
      if (index) fail("solana has no index level (m/44'/501'/account'/0'); use --account");
      return { path: `m/44'/501'/${account}'/0'`, account, index };
    case 'stellar':
      if (index) fail("stellar has no index level (SEP-0005 m/44'/148'/account'); use --account");
      return { path: `m/44'/148'/${account}'`, account, index };
    default:
      return fail(`unknown chain ${chain}`);
  }
}

async function solanaKeypair(o) {
  const { path } = derivationPath('solana', o);
  const mnemonic = String(need(o, 'mnemonic')).trim();
  const [{ mnemonicToSeedSync, validateMnemonic }, { derivePath }, { Keypair }] = await Promise.all([
    import('bip39'),
    import('ed25519-hd-key'),
    import('@solana/web3.js'),
  ]);
  if (!validateMnemonic(mnemonic)) fail('invalid BIP39 mnemonic');
  const seed = mnemonicToSeedSync(mnemonic, String(one(o.passphrase) ?? ''));
  return { kp: Keypair.fromSeed(derivePath(path, hex(seed)).key), path };
}

async function stellarKeypair(o) {
  const { path, account } = derivationPath('stellar', o);
  const mnemonic = String(need(o, 'mnemonic')).trim();
  const { default: StellarHDWallet } = await import('stellar-hd-wallet');
  if (!StellarHDWallet.validateMnemonic(mnemonic)) fail('invalid BIP39 mnemonic');
  const w = StellarHDWallet.fromMnemonic(mnemonic, String(one(o.passphrase) ?? ''));
  return { kp: w.getKeypair(account), path };
}

async function keys(chain, o) {
  if (chain === 'iota' || chain === 'sui') {
    const M = await moveChain(chain);
    const { validateMnemonic } = await import('bip39');
    if (!validateMnemonic(String(need(o, 'mnemonic')).trim())) fail('invalid BIP39 mnemonic');
    const { kp, path } = await moveKeypair(M, o);
    const pk = kp.getPublicKey();
    return { chain, path, address: M.address(pk), public_key_hex: hex(pk.toRawBytes()), public_key_b64: pk.toBase64() };
  }
  if (chain === 'solana') {
    const { kp, path } = await solanaKeypair(o);
    const pk = kp.publicKey.toBytes();
    return { chain, path, address: kp.publicKey.toBase58(), public_key_hex: hex(pk), public_key_b64: b64(pk) };
  }
  if (chain === 'stellar') {
    const { kp, path } = await stellarKeypair(o);
    const pk = kp.rawPublicKey();
    return { chain, path, address: kp.publicKey(), public_key_hex: hex(pk), public_key_b64: b64(pk) };
  }
  return fail(`unknown chain ${chain}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Solana (@solana/web3.js 1.x, @solana/spl-token).
const SOL = () => import('@solana/web3.js');
// spl-token pulls in bigint-buffer, which warns on stderr that its native binding is not built (npm ci runs no
// install scripts); the pure-JS fallback is what we want, so that one warning is dropped.
let splModule;
async function SPL() {
  if (!splModule) {
    const warn = console.warn;
    console.warn = (...a) => (String(a[0]).startsWith('bigint: Failed to load bindings') ? undefined : warn(...a));
    try {
      splModule = await import('@solana/spl-token');
    } finally {
      console.warn = warn;
    }
  }
  return splModule;
}

async function solPubkey(v, what) {
  const { PublicKey } = await SOL();
  try {
    return new PublicKey(String(one(v, what)));
  } catch {
    return fail(`--${what}: not a base58 Solana address: ${v}`);
  }
}

// Lookup tables travel as [{ key, addresses: [...] }] (build prints them; verify/decode accept --lookup-tables JSON).
async function solLookupTables(o) {
  if (o.lookup_tables === undefined) return [];
  const { AddressLookupTableAccount, PublicKey } = await SOL();
  // Either the list itself (from --in JSON) or one or more --lookup-tables JSON strings.
  let t = [];
  for (const x of Array.isArray(o.lookup_tables) && (o.lookup_tables.length === 0 || typeof o.lookup_tables[0] === 'object') ? [o.lookup_tables] : list(o.lookup_tables)) {
    let v = x;
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        fail('--lookup-tables: not JSON');
      }
    }
    t = t.concat(list(v));
  }
  for (const x of t) if (!x || typeof x.key !== 'string' || !Array.isArray(x.addresses)) fail('--lookup-tables: expected [{"key": …, "addresses": […]}]');
  return list(t).map(
    (x) =>
      new AddressLookupTableAccount({
        key: new PublicKey(x.key),
        state: {
          deactivationSlot: BigInt('18446744073709551615'),
          lastExtendedSlot: 0,
          lastExtendedSlotStartIndex: 0,
          authority: undefined,
          addresses: x.addresses.map((a) => new PublicKey(a)),
        },
      }),
  );
}

async function solanaBuild(o) {
  const w3 = await SOL();
  const from = await solPubkey(need(o, 'from'), 'from');
  const to = await solPubkey(need(o, 'to'), 'to');
  const feePayer = o.fee_payer !== undefined ? await solPubkey(o.fee_payer, 'fee-payer') : from;
  const version = String(one(o.version, 'version') ?? 'legacy');
  if (version !== 'legacy' && version !== '0') fail('--version must be legacy or 0');
  const kind = one(o.kind, 'kind') ?? 'transfer';
  const ixs = [];
  let blockhash = one(o.blockhash, 'blockhash');
  let nonce;
  if (o.nonce_account !== undefined) {
    // Durable nonce: AdvanceNonceAccount first, the nonce value stands in for the blockhash.
    const nonceAccount = await solPubkey(o.nonce_account, 'nonce-account');
    const authority = o.nonce_authority !== undefined ? await solPubkey(o.nonce_authority, 'nonce-authority') : from;
    blockhash = String(need(o, 'nonce'));
    ixs.push(w3.SystemProgram.nonceAdvance({ noncePubkey: nonceAccount, authorizedPubkey: authority }));
    nonce = { account: nonceAccount.toBase58(), authority: authority.toBase58(), value: blockhash };
  }
  if (blockhash === undefined) blockhash = await fabricatedB58(`solana:blockhash:${from.toBase58()}`);
  await solPubkey(blockhash, 'blockhash'); // 32 bytes of base58
  if (o.compute_unit_price !== undefined)
    ixs.push(w3.ComputeBudgetProgram.setComputeUnitPrice({ microLamports: u64(one(o.compute_unit_price), 'compute-unit-price') }));
  let lookupTables = [];
  let details;
  if (kind === 'transfer') {
    const lamports = u64(need(o, 'lamports'), 'lamports');
    ixs.push(w3.SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports }));
    details = { from: from.toBase58(), to: to.toBase58(), lamports: lamports.toString() };
  } else if (kind === 'spl-transfer') {
    // SPL Token transfer between the associated token accounts of --from and --to (owners) for --mint.
    const spl = await SPL();
    const mint = o.mint !== undefined ? await solPubkey(o.mint, 'mint') : new w3.PublicKey(sha256('coffer-interop:mint'));
    const amount = u64(need(o, 'amount'), 'amount');
    const src = spl.getAssociatedTokenAddressSync(mint, from, true);
    const dst = spl.getAssociatedTokenAddressSync(mint, to, true);
    if (o.create_ata) ixs.push(spl.createAssociatedTokenAccountIdempotentInstruction(feePayer, dst, to, mint));
    if (o.decimals !== undefined) {
      const decimals = Number(uint(one(o.decimals), 'decimals'));
      ixs.push(spl.createTransferCheckedInstruction(src, mint, dst, from, amount, decimals));
    } else {
      ixs.push(spl.createTransferInstruction(src, dst, from, amount));
    }
    details = { owner: from.toBase58(), to_owner: to.toBase58(), mint: mint.toBase58(), source: src.toBase58(), destination: dst.toBase58(), amount: amount.toString() };
  } else {
    fail(`unknown --kind ${kind} (transfer, spl-transfer)`);
  }
  let wire;
  let message;
  if (version === 'legacy') {
    if (o.lookup_table !== undefined) fail('--lookup-table needs --version 0');
    const tx = new w3.Transaction({ feePayer, recentBlockhash: blockhash }).add(...ixs);
    wire = tx.serialize({ requireAllSignatures: false, verifySignatures: false }); // zeroed signature slots
    message = tx.serializeMessage();
  } else {
    if (o.lookup_table !== undefined) {
      // A fabricated address lookup table holding --to (and a filler), so the recipient is a table entry.
      const key = new w3.PublicKey(sha256(`coffer-interop:alt:${from.toBase58()}`));
      lookupTables = [{ key: key.toBase58(), addresses: [to.toBase58(), new w3.PublicKey(sha256('coffer-interop:alt-filler')).toBase58()] }];
    }
    const msg = new w3.TransactionMessage({ payerKey: feePayer, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message(
      await solLookupTables({ lookup_tables: lookupTables }),
    );
    const vtx = new w3.VersionedTransaction(msg); // signatures default to 64 zero bytes each
    wire = Buffer.from(vtx.serialize());
    message = Buffer.from(msg.serialize());
  }
  const { default: bs58 } = await import('bs58');
  return {
    chain: 'solana',
    kind,
    version,
    tx: b64(wire),
    tx_base58: bs58.encode(wire),
    message_b64: b64(message),
    fee_payer: feePayer.toBase58(),
    blockhash,
    ...(nonce ? { nonce } : {}),
    ...(lookupTables.length ? { lookup_tables: lookupTables } : {}),
    ...details,
  };
}

async function solParseWire(s, what) {
  const { default: bs58 } = await import('bs58');
  const str = String(s).trim();
  let wire;
  if (str.length % 4 === 0 && B64_RE.test(str)) wire = Buffer.from(str, 'base64');
  else {
    try {
      wire = Buffer.from(bs58.decode(str));
    } catch {
      fail(`${what}: neither base64 nor base58`);
    }
  }
  const { VersionedTransaction } = await SOL();
  let vtx;
  try {
    vtx = VersionedTransaction.deserialize(wire);
  } catch (e) {
    fail(`${what}: not a Solana transaction: ${e.message}`);
  }
  // deserialize() ignores trailing bytes; the chain does not.
  if (Buffer.from(vtx.serialize()).length !== wire.length) fail(`${what}: trailing bytes after the transaction`);
  return { wire, vtx };
}

async function solDecodeInstruction(ix) {
  const w3 = await SOL();
  const spl = await SPL();
  const pid = ix.programId;
  const base = { program_id: pid.toBase58() };
  try {
    if (pid.equals(w3.SystemProgram.programId)) {
      const type = w3.SystemInstruction.decodeInstructionType(ix);
      const dec = {
        Transfer: 'decodeTransfer',
        TransferWithSeed: 'decodeTransferWithSeed',
        Create: 'decodeCreateAccount',
        AdvanceNonceAccount: 'decodeNonceAdvance',
        WithdrawNonceAccount: 'decodeNonceWithdraw',
        Assign: 'decodeAssign',
        Allocate: 'decodeAllocate',
      }[type];
      const fields = dec ? plain(w3.SystemInstruction[dec](ix)) : {};
      if (type === 'Transfer') Object.assign(fields, { from: fields.fromPubkey, to: fields.toPubkey });
      return { ...base, program: 'system', type, decoded: true, ...fields };
    }
    if (pid.equals(w3.ComputeBudgetProgram.programId)) {
      const type = w3.ComputeBudgetInstruction.decodeInstructionType(ix);
      const dec = { SetComputeUnitPrice: 'decodeSetComputeUnitPrice', SetComputeUnitLimit: 'decodeSetComputeUnitLimit', RequestHeapFrame: 'decodeRequestHeapFrame' }[type];
      return { ...base, program: 'compute-budget', type, decoded: true, ...(dec ? plain(w3.ComputeBudgetInstruction[dec](ix)) : {}) };
    }
    if (pid.equals(spl.TOKEN_PROGRAM_ID) || pid.equals(spl.TOKEN_2022_PROGRAM_ID)) {
      const d = spl.decodeInstruction(ix, pid);
      const names = Object.fromEntries(Object.entries(spl.TokenInstruction).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k]));
      const keys = Object.fromEntries(Object.entries(d.keys).filter(([, v]) => v && v.pubkey).map(([k, v]) => [k, v.pubkey.toBase58()]));
      const data = plain(d.data);
      delete data.instruction;
      return { ...base, program: pid.equals(spl.TOKEN_PROGRAM_ID) ? 'spl-token' : 'spl-token-2022', type: names[d.data.instruction], decoded: true, ...keys, ...data };
    }
    if (pid.equals(spl.ASSOCIATED_TOKEN_PROGRAM_ID)) {
      const k = ix.keys.map((x) => x.pubkey.toBase58());
      const type = ix.data.length === 0 ? 'Create' : ix.data[0] === 1 ? 'CreateIdempotent' : ix.data[0] === 0 ? 'Create' : `instruction ${ix.data[0]}`;
      return { ...base, program: 'associated-token', type, decoded: true, payer: k[0], associated_account: k[1], owner: k[2], mint: k[3] };
    }
  } catch (e) {
    return { ...base, decoded: false, error: e.message, accounts: ix.keys.map((k) => k.pubkey.toBase58()), data_hex: hex(ix.data) };
  }
  return { ...base, decoded: false, accounts: ix.keys.map((k) => k.pubkey.toBase58()), data_hex: hex(ix.data) };
}

async function solDecodeVtx(vtx, o) {
  const w3 = await SOL();
  const msg = vtx.message;
  const version = vtx.version === 'legacy' ? 'legacy' : String(vtx.version);
  const tables = await solLookupTables(o);
  const lookups = msg.addressTableLookups ?? [];
  let instructions;
  let unresolved = false;
  if (lookups.length && lookups.some((l) => !tables.find((t) => t.key.equals(l.accountKey)))) {
    // Without the tables the accounts behind table indices are unknown: give the compiled form.
    unresolved = true;
    const statics = msg.staticAccountKeys.map((k) => k.toBase58());
    instructions = msg.compiledInstructions.map((ci) => ({
      program_id: statics[ci.programIdIndex] ?? `lookup index ${ci.programIdIndex}`,
      decoded: false,
      account_indexes: ci.accountKeyIndexes,
      data_hex: hex(ci.data),
    }));
  } else {
    const tm = w3.TransactionMessage.decompile(msg, { addressLookupTableAccounts: tables });
    instructions = await Promise.all(tm.instructions.map(solDecodeInstruction));
  }
  const { default: bs58 } = await import('bs58');
  const h = msg.header;
  const signers = msg.staticAccountKeys.slice(0, h.numRequiredSignatures).map((k) => k.toBase58());
  return {
    chain: 'solana',
    version,
    fee_payer: msg.staticAccountKeys[0].toBase58(),
    recent_blockhash: msg.recentBlockhash,
    message_sha256_hex: hex(sha256(Buffer.from(msg.serialize()))),
    header: { num_required_signatures: h.numRequiredSignatures, num_readonly_signed: h.numReadonlySignedAccounts, num_readonly_unsigned: h.numReadonlyUnsignedAccounts },
    signers,
    static_account_keys: msg.staticAccountKeys.map((k) => k.toBase58()),
    address_table_lookups: lookups.map((l) => ({ account_key: l.accountKey.toBase58(), writable_indexes: l.writableIndexes, readonly_indexes: l.readonlyIndexes })),
    lookups_resolved: !unresolved,
    signatures: vtx.signatures.map((s, i) => ({
      signer: signers[i],
      signature: s.every((b) => b === 0) ? null : bs58.encode(s),
    })),
    instructions,
  };
}

function ed25519Verify(pubkey32, message, sig) {
  // Node's own ed25519 (OpenSSL), independent of the SDKs' JS implementations.
  const key = crypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pubkey32)]), format: 'der', type: 'spki' });
  return crypto.verify(null, Buffer.from(message), key, Buffer.from(sig));
}

async function solanaVerify(o) {
  const w3 = await SOL();
  const signedIn = o.signed_tx ?? o.signed;
  if (signedIn === undefined) fail('missing --signed-tx (the signed transaction, base64 or base58)');
  const { wire, vtx } = await solParseWire(one(signedIn, 'signed-tx'), '--signed-tx');
  const checks = ['signed transaction deserializes (VersionedTransaction)'];
  const message = Buffer.from(vtx.message.serialize());
  if (o.tx !== undefined) {
    const { vtx: orig } = await solParseWire(one(o.tx, 'tx'), '--tx');
    if (!Buffer.from(orig.message.serialize()).equals(message)) fail('the signed message differs from the unsigned --tx');
    checks.push('message is byte-identical to the unsigned --tx');
  }
  const decoded = await solDecodeVtx(vtx, o);
  const keys = vtx.message.staticAccountKeys;
  const n = vtx.message.header.numRequiredSignatures;
  if (vtx.signatures.length !== n) fail(`${vtx.signatures.length} signature slots for ${n} required signers`);
  const sigs = [];
  for (let i = 0; i < n; i++) {
    const s = vtx.signatures[i];
    const present = !s.every((b) => b === 0);
    const valid = present && ed25519Verify(keys[i].toBytes(), message, s);
    if (present && !valid) fail(`signature ${i} (${keys[i].toBase58()}) does not verify`);
    sigs.push({ signer: keys[i].toBase58(), present, valid });
  }
  if (o.signer !== undefined) {
    const signer = await solPubkey(o.signer, 'signer');
    const i = keys.slice(0, n).findIndex((k) => k.equals(signer));
    if (i < 0) fail(`${signer.toBase58()} is not a required signer (signers: ${decoded.signers.join(', ')})`);
    if (!sigs[i].valid) fail(`no signature from ${signer.toBase58()} in slot ${i}`);
    checks.push(`signature of --signer in slot ${i} verifies (node:crypto ed25519)`);
  }
  const missing = sigs.filter((s) => !s.present).map((s) => s.signer);
  if (o.partial) {
    // Partly signed (other signers sign later): every present signature must still be valid.
    if (o.signer === undefined) fail('--partial needs --signer');
    checks.push(`every present signature valid (node:crypto ed25519); ${missing.length} still missing`);
  } else {
    if (missing.length) fail(`missing signatures from ${missing.join(', ')}`);
    checks.push('every required signature present and valid (node:crypto ed25519)');
  }
  if (vtx.version === 'legacy') {
    const legacy = w3.Transaction.from(wire);
    if (!legacy.verifySignatures(!o.partial)) fail('web3.js Transaction.verifySignatures() returned false');
    checks.push(`web3.js Transaction.verifySignatures(${!o.partial})`);
  }
  return { ok: true, chain: 'solana', txid: decoded.signatures[0].signature, signatures: sigs, ...decoded, checks };
}

async function solanaSign(o) {
  const { kp } = await solanaKeypair(o);
  const { vtx } = await solParseWire(need(o, 'tx'), '--tx');
  vtx.sign([kp]); // throws when the key is not a required signer
  const { default: bs58 } = await import('bs58');
  const i = vtx.message.staticAccountKeys.findIndex((k) => k.equals(kp.publicKey));
  return { chain: 'solana', address: kp.publicKey.toBase58(), signature: bs58.encode(vtx.signatures[i]), signed_tx: b64(vtx.serialize()) };
}

// ---------------------------------------------------------------------------------------------------------------
// Stellar (@stellar/stellar-base).
const SB = () => import('@stellar/stellar-base');

async function stellarNetwork(o) {
  const sb = await SB();
  const n = String(one(o.network, 'network') ?? '');
  if (!n) fail('missing --network (public, testnet, futurenet or a passphrase)');
  const named = { public: sb.Networks.PUBLIC, mainnet: sb.Networks.PUBLIC, testnet: sb.Networks.TESTNET, futurenet: sb.Networks.FUTURENET };
  if (named[n.toLowerCase()]) return { name: n.toLowerCase() === 'mainnet' ? 'public' : n.toLowerCase(), passphrase: named[n.toLowerCase()] };
  if (!n.includes(' ')) fail(`unknown --network ${n} (public, testnet, futurenet, or a full passphrase)`);
  return { name: n, passphrase: n }; // a custom network is named by its passphrase, so outputs feed back as input
}

async function stellarAsset(spec, what) {
  const sb = await SB();
  const s = String(spec ?? 'native');
  if (s === 'native' || s === 'XLM') return sb.Asset.native();
  const [code, issuer, extra] = s.split(':');
  if (!code || !issuer || extra !== undefined) fail(`--${what}: expected native or CODE:ISSUER, got ${s}`);
  try {
    return new sb.Asset(code, issuer);
  } catch (e) {
    return fail(`--${what}: ${e.message}`);
  }
}

async function stellarOperation(op) {
  const sb = await SB();
  const type = op.type ?? op.op;
  const src = op.source ?? op.op_source;
  const common = src ? { source: String(src) } : {};
  const req = (k) => {
    if (op[k] === undefined || op[k] === '') fail(`operation ${type}: missing ${k.replace(/_/g, '-')}`);
    return String(op[k]);
  };
  switch (type) {
    case 'payment':
      return sb.Operation.payment({ destination: req('destination'), asset: await stellarAsset(op.asset, 'asset'), amount: req('amount'), ...common });
    case 'create-account':
    case 'create_account':
    case 'createAccount':
      return sb.Operation.createAccount({ destination: req('destination'), startingBalance: String(op.starting_balance ?? op.startingBalance ?? req('amount')), ...common });
    case 'account-merge':
    case 'account_merge':
    case 'accountMerge':
      return sb.Operation.accountMerge({ destination: req('destination'), ...common });
    case 'change-trust':
    case 'change_trust':
    case 'changeTrust': {
      if (!op.asset || op.asset === 'native') fail('change-trust needs --asset CODE:ISSUER');
      return sb.Operation.changeTrust({ asset: await stellarAsset(op.asset, 'asset'), ...(op.limit !== undefined ? { limit: String(op.limit) } : {}), ...common });
    }
    default:
      return fail(`unknown stellar operation ${type} (payment, create-account, account-merge, change-trust)`);
  }
}

async function stellarBuild(o) {
  const sb = await SB();
  const source = String(need(o, 'source'));
  if (!sb.StrKey.isValidEd25519PublicKey(source)) fail(`--source: not a G… account: ${source}`);
  const seq = uint(need(o, 'sequence'), 'sequence'); // the account's current sequence number; the tx uses seq + 1
  const fee = uint(one(o.fee, 'fee') ?? 100, 'fee'); // base fee per operation (TransactionBuilder semantics)
  const net = await stellarNetwork(o);
  let opSpecs;
  if (o.ops !== undefined) {
    opSpecs = one(o.ops, 'ops');
    if (typeof opSpecs === 'string') {
      try {
        opSpecs = JSON.parse(opSpecs);
      } catch {
        fail('--ops: not JSON');
      }
    }
    if (!Array.isArray(opSpecs) || !opSpecs.length) fail('--ops: expected a non-empty JSON array of operations');
  } else {
    const type = one(o.op, 'op') ?? 'account-merge';
    opSpecs = [{ type, destination: one(o.destination), amount: one(o.amount), asset: one(o.asset), starting_balance: one(o.starting_balance), limit: one(o.limit), source: one(o.op_source) }];
  }
  const opts = { fee: fee.toString(), networkPassphrase: net.passphrase };
  if (o.min_time !== undefined || o.max_time !== undefined)
    opts.timebounds = { minTime: Number(uint(one(o.min_time) ?? 0, 'min-time')), maxTime: Number(uint(one(o.max_time) ?? 0, 'max-time')) };
  const builder = new sb.TransactionBuilder(new sb.Account(source, seq.toString()), opts);
  for (const spec of opSpecs) builder.addOperation(await stellarOperation(spec));
  if (o.memo_text !== undefined) builder.addMemo(sb.Memo.text(String(one(o.memo_text))));
  else if (o.memo_id !== undefined) builder.addMemo(sb.Memo.id(uint(one(o.memo_id), 'memo-id').toString()));
  if (!opts.timebounds) builder.setTimeout(sb.TimeoutInfinite); // PRECOND_TIME with TimeBounds{0,0}
  let tx = builder.build();
  const precond = String(one(o.precond) ?? 'time');
  if (precond === 'none') {
    // TransactionBuilder never emits PRECOND_NONE; rewrite the XDR to get the other valid encoding.
    const env = tx.toEnvelope();
    env.v1().tx().cond(sb.xdr.Preconditions.precondNone());
    tx = new sb.Transaction(env, net.passphrase);
  } else if (precond !== 'time') fail('--precond must be time or none');
  return {
    chain: 'stellar',
    network: net.name,
    network_passphrase: net.passphrase,
    tx: tx.toEnvelope().toXDR('base64'),
    hash: tx.hash().toString('hex'),
    source,
    seq_num: tx.sequence,
    fee: tx.fee,
    operations: tx.operations.map(plain),
  };
}

async function stellarParse(s, passphrase, what) {
  const sb = await SB();
  const str = String(s).trim();
  const raw = fromB64Strict(str, what);
  let tx;
  try {
    tx = sb.TransactionBuilder.fromXDR(str, passphrase);
  } catch (e) {
    fail(`${what}: not a TransactionEnvelope: ${e.message}`);
  }
  if (!tx.toEnvelope().toXDR().equals(raw)) fail(`${what}: trailing or non-canonical bytes in the envelope`);
  return tx;
}

function stellarMemo(memo) {
  const v = memo.value;
  if (v === null || v === undefined) return { type: memo.type, value: null };
  if (memo.type === 'text') {
    const raw = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
    return { type: 'text', value: raw.toString('utf8'), value_hex: hex(raw) };
  }
  return { type: memo.type, value: Buffer.isBuffer(v) ? hex(v) : String(v) };
}

function stellarDecodeTx(sb, tx, net) {
  const fb = tx instanceof sb.FeeBumpTransaction;
  const inner = fb ? tx.innerTransaction : tx;
  const cond = inner.tx.cond ? inner.tx.cond().switch().name : 'precondTime';
  const memo = inner.memo;
  return {
    chain: 'stellar',
    network: net.name,
    network_passphrase: net.passphrase,
    envelope_type: fb ? 'fee_bump' : 'tx_v1',
    ...(fb ? { fee_source: tx.feeSource, fee_bump_fee: tx.fee } : {}),
    hash: tx.hash().toString('hex'),
    source: inner.source,
    fee: inner.fee,
    seq_num: inner.sequence,
    preconditions: {
      type: cond,
      time_bounds: inner.timeBounds ?? null,
      ledger_bounds: inner.ledgerBounds ?? null,
      min_account_sequence: inner.minAccountSequence ?? null,
      min_account_sequence_age: inner.minAccountSequenceAge != null ? String(inner.minAccountSequenceAge) : null,
      min_account_sequence_ledger_gap: inner.minAccountSequenceLedgerGap ?? null,
      extra_signers: plain(inner.extraSigners ?? []),
    },
    memo: stellarMemo(memo),
    operations: inner.operations.map(plain),
    signatures: tx.signatures.map((d) => ({ hint_hex: hex(d.hint()), signature_b64: b64(d.signature()) })),
  };
}

async function stellarVerify(o) {
  const sb = await SB();
  const net = await stellarNetwork(o);
  const signedIn = o.signed_tx ?? o.signed;
  if (signedIn === undefined) fail('missing --signed-tx (the signed envelope, base64 XDR)');
  const tx = await stellarParse(one(signedIn, 'signed-tx'), net.passphrase, '--signed-tx');
  const checks = ['signed envelope parses (TransactionBuilder.fromXDR)'];
  if (o.tx !== undefined) {
    const orig = await stellarParse(one(o.tx, 'tx'), net.passphrase, '--tx');
    if (!orig.hash().equals(tx.hash())) fail('the signed transaction differs from the unsigned --tx (hash mismatch)');
    checks.push('transaction is identical to the unsigned --tx (same hash)');
  }
  const decoded = stellarDecodeTx(sb, tx, net);
  const signer = String(one(o.signer) ?? (tx instanceof sb.FeeBumpTransaction ? tx.feeSource : tx.source));
  let kp;
  try {
    kp = sb.Keypair.fromPublicKey(signer);
  } catch {
    fail(`--signer: not a G… account: ${signer}`);
  }
  const hash = tx.hash();
  const mine = tx.signatures.filter((d) => d.hint().equals(kp.signatureHint()));
  if (!mine.length) fail(`no signature with ${signer}'s hint ${hex(kp.signatureHint())} (${tx.signatures.length} signatures)`);
  if (!mine.some((d) => kp.verify(hash, d.signature())))
    fail(`the signature with ${signer}'s hint does not verify under network "${net.passphrase}"`);
  checks.push(`Keypair.verify(tx.hash(), sig) for ${signer} under "${net.passphrase}"`);
  if (!mine.some((d) => ed25519Verify(kp.rawPublicKey(), hash, d.signature()))) fail('node:crypto ed25519 disagrees');
  checks.push('node:crypto ed25519 agrees');
  return { ok: true, signer, ...decoded, checks };
}

async function stellarSign(o) {
  const { kp } = await stellarKeypair(o);
  const net = await stellarNetwork(o);
  const tx = await stellarParse(need(o, 'tx'), net.passphrase, '--tx');
  tx.sign(kp);
  const sig = tx.signatures[tx.signatures.length - 1].signature();
  return { chain: 'stellar', address: kp.publicKey(), signature: b64(sig), signed_tx: tx.toEnvelope().toXDR('base64') };
}

// ---------------------------------------------------------------------------------------------------------------
// Dispatch.
const CHAINS = ['iota', 'sui', 'solana', 'stellar'];
const USAGE = `usage: node sdk.mjs <build|verify|decode|keys|sign> <${CHAINS.join('|')}> [--flag value …] [--json] [--in FILE|-]
       node sdk.mjs offline-check
See tests/interop/README.md for every flag and the JSON printed.`;

async function offlineCheck() {
  const blocked = {};
  try {
    await fetch('https://example.com/');
    blocked.fetch = false;
  } catch (e) {
    blocked.fetch = e.message === NETWORK_BLOCKED;
  }
  try {
    new net.Socket().connect(443, '93.184.215.14');
    blocked.socket = false;
  } catch (e) {
    blocked.socket = e.message === NETWORK_BLOCKED;
  }
  try {
    await dns.promises.lookup('example.com');
    blocked.dns = false;
  } catch (e) {
    blocked.dns = e.message === NETWORK_BLOCKED;
  }
  // The SDKs' HTTP clients end up in the same guard.
  try {
    const { SuiClient } = await import('@mysten/sui/client');
    await new SuiClient({ url: 'https://fullnode.mainnet.sui.io' }).getChainIdentifier();
    blocked.sui_client = false;
  } catch (e) {
    blocked.sui_client = String(e.message).includes(NETWORK_BLOCKED) || String(e.cause?.message).includes(NETWORK_BLOCKED);
  }
  const ok = Object.values(blocked).every(Boolean);
  if (!ok) fail(`network guard incomplete: ${JSON.stringify(blocked)}`);
  return { ok, blocked };
}

export async function run(argv, stdinText) {
  const { pos, opts: cli } = parseArgs(argv);
  const [cmd, chain, ...rest] = pos;
  if (!cmd || cli.help) fail(USAGE);
  if (rest.length) fail(`unexpected argument ${rest[0]}\n${USAGE}`);
  if (cmd === 'offline-check') return offlineCheck();
  if (!CHAINS.includes(chain)) fail(`unknown or missing chain ${chain ?? ''} (${CHAINS.join(', ')})\n${USAGE}`);
  const o = cli.in !== undefined ? { ...readInput(one(cli.in, 'in'), stdinText), ...cli } : cli;
  const move = chain === 'iota' || chain === 'sui';
  switch (cmd) {
    case 'build':
      if (move) return moveBuild(await moveChain(chain), o);
      return chain === 'solana' ? solanaBuild(o) : stellarBuild(o);
    case 'verify':
      if (move) return moveVerify(await moveChain(chain), o);
      return chain === 'solana' ? solanaVerify(o) : stellarVerify(o);
    case 'decode':
      if (move) return moveDecodeBytes(await moveChain(chain), moveTxBytes(o));
      if (chain === 'solana') return solDecodeVtx((await solParseWire(need(o, o.signed_tx !== undefined ? 'signed_tx' : 'tx'), '--tx')).vtx, o);
      {
        const sb = await SB();
        const net = await stellarNetwork(o);
        return stellarDecodeTx(sb, await stellarParse(need(o, o.signed_tx !== undefined ? 'signed_tx' : 'tx'), net.passphrase, '--tx'), net);
      }
    case 'keys':
      return keys(chain, o);
    case 'sign':
      if (move) return moveSign(await moveChain(chain), o);
      return chain === 'solana' ? solanaSign(o) : stellarSign(o);
    default:
      return fail(`unknown command ${cmd}\n${USAGE}`);
  }
}

// One invocation as the CLI would do it, without touching the process: { code, stdout, stderr }. The self-test uses
// it to run checks in-process; main() is a thin wrapper.
export async function execute(argv, stdinText) {
  const compact = argv.includes('--json');
  try {
    const out = await run(argv, stdinText);
    return { code: 0, stdout: JSON.stringify(plain(out), null, compact ? 0 : 2) + '\n', stderr: '' };
  } catch (e) {
    const msg = e instanceof UsageError ? e.message : `${e.name}: ${e.message}`;
    return { code: 1, stdout: JSON.stringify({ ok: false, error: msg }) + '\n', stderr: `sdk.mjs: ${msg}\n` };
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await execute(process.argv.slice(2));
  process.stderr.write(r.stderr);
  process.stdout.write(r.stdout);
  process.exitCode = r.code;
}
