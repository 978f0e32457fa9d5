// A local Solana JSON-RPC server backed by LiteSVM: the real Solana runtime (System, SPL Token, Token-2022,
// Associated Token Account and Stake programs), in process. Coffer's network tests talk to it over HTTP exactly
// as they would talk to https://api.devnet.solana.com; every transaction sent to it is really executed (signatures
// verified, fees charged, balances moved).
//
//   node tests/chain-servers/solana.mjs
//
// Listens on 127.0.0.1 on a random port and prints one JSON line on stdout: {"url":"http://127.0.0.1:PORT",
// "genesis_hash":"..."}. Exits when its standard input closes (the test that started it is gone).
//
// Methods follow https://solana.com/docs/rpc/http (the shapes of the answers are the documented ones):
// getGenesisHash, getBalance, getLatestBlockhash, getAccountInfo, getTokenAccountsByOwner, sendTransaction,
// getSignatureStatuses, getSignaturesForAddress, getTransaction (base64 encoding), getProgramAccounts (base64,
// memcmp and dataSize filters), getTokenSupply. Test-only methods (prefixed coffer_): coffer_airdrop
// [address, lamports], coffer_setTokenAccount [owner, mint, amount, "token" | "token-2022", state, close authority,
// {withheld, confidentialBalance, address}], coffer_setToken2022Mint [mint, decimals, extensions],
// coffer_setStakeAccount [staker, withdrawer, lamports], coffer_setNonceAccount [authority, lamports].
//
// LiteSVM keeps no per-address history, so the server records what it executed (sendTransaction, coffer_airdrop)
// and answers getSignaturesForAddress, getSignatureStatuses and getTransaction from that record (an airdrop's
// transaction is the runtime's own and is not kept: getTransaction answers null for it, as a node that pruned it).

import http from "node:http";
import crypto from "node:crypto";
import { LiteSVM } from "litesvm";
import {
  address,
  lamports,
  getBase58Decoder,
  getBase58Encoder,
  getBase64Encoder,
  getBase64Decoder,
  getTransactionDecoder,
  getCompiledTransactionMessageDecoder,
} from "@solana/kit";

const TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
const STAKE = "Stake11111111111111111111111111111111111111";
const SYSTEM = "11111111111111111111111111111111";
const b58 = getBase58Decoder(); // bytes -> text
const b58bytes = getBase58Encoder(); // text -> bytes
const b64 = getBase64Decoder(); // bytes -> text
const b64bytes = getBase64Encoder(); // text -> bytes

const svm = new LiteSVM();
const genesisHash = b58.decode(crypto.randomBytes(32));
/** Executed transactions, oldest first: { signature, slot, accounts: [address], err, blockTime, wire }. */
const history = [];

class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

const slot = () => Number(svm.getClock().slot);
const context = () => ({ slot: slot(), apiVersion: "2.2.0" });
const randomAddress = () => b58.decode(crypto.randomBytes(32));

function param(params, i, what) {
  if (!Array.isArray(params) || params.length <= i) throw new RpcError(-32602, `Invalid params: missing ${what}`);
  return params[i];
}

function addr(text) {
  try {
    if (typeof text !== "string" || b58bytes.encode(text).length !== 32) throw new Error("length");
    return address(text);
  } catch {
    throw new RpcError(-32602, `Invalid param: Invalid`);
  }
}

function record(signature, accounts, err, wire = null) {
  svm.warpToSlot(svm.getClock().slot + 1n);
  history.push({ signature, slot: slot(), accounts, err, blockTime: Math.floor(Date.now() / 1000), wire });
}

function encodeAccount(acc) {
  return {
    lamports: Number(acc.lamports),
    owner: acc.programAddress,
    data: [b64.decode(acc.data), "base64"],
    executable: acc.executable,
    rentEpoch: 18446744073709551615,
    space: Number(acc.space),
  };
}

// The account extensions a Token-2022 mint requires of its token accounts (`required_init_account_extensions` in
// interface/src/extension/mod.rs): TransferFeeConfig (1) -> TransferFeeAmount (2, withheld u64); NonTransferable (9)
// -> NonTransferableAccount (13) and ImmutableOwner (7); TransferHook (14) -> TransferHookAccount (15, u8);
// Pausable (26) -> PausableAccount (27). Returns their TLV bytes (empty for a mint without extensions).
function accountExtensions(mintData, opts) {
  const out = [];
  const entry = (type, value) => {
    const e = new Uint8Array(4 + value.length);
    const v = new DataView(e.buffer);
    v.setUint16(0, type, true);
    v.setUint16(2, value.length, true);
    e.set(value, 4);
    out.push(e);
  };
  if (mintData.length <= 165) return new Uint8Array(0);
  const view = new DataView(mintData.buffer, mintData.byteOffset, mintData.length);
  for (let at = 166; at + 4 <= mintData.length; ) {
    const type = view.getUint16(at, true);
    const len = view.getUint16(at + 2, true);
    if (type === 0) break;
    if (type === 1) {
      const w = new Uint8Array(8);
      new DataView(w.buffer).setBigUint64(0, BigInt(opts.withheld ?? 0), true);
      entry(2, w);
    }
    if (type === 9) {
      entry(13, new Uint8Array(0));
      entry(7, new Uint8Array(0));
    }
    if (type === 14) entry(15, new Uint8Array(1));
    if (type === 4 && opts.confidentialBalance) {
      // ConfidentialTransferAccount (5, 295 bytes): approved, ElGamal key, pending low/high and available
      // ciphertexts (64 bytes each), ... — a non-zero available balance (the program then refuses to close it).
      const v = new Uint8Array(295);
      v[0] = 1;
      v.set(crypto.randomBytes(64), 161);
      entry(5, v);
    }
    if (type === 26) entry(27, new Uint8Array(0));
    at += 4 + len;
  }
  return Buffer.concat(out);
}

const methods = {
  getGenesisHash: () => genesisHash,
  getHealth: () => "ok",
  getSlot: () => slot(),
  getBalance: (p) => ({ context: context(), value: Number(svm.getBalance(addr(param(p, 0, "address"))) ?? 0n) }),
  getLatestBlockhash: () => ({
    context: context(),
    value: { blockhash: svm.latestBlockhash(), lastValidBlockHeight: slot() + 150 },
  }),
  getAccountInfo: (p) => {
    const acc = svm.getAccount(addr(param(p, 0, "address")));
    return { context: context(), value: acc.exists ? encodeAccount(acc) : null };
  },
  getTokenAccountsByOwner: (p) => {
    const owner = b58bytes.encode(addr(param(p, 0, "owner")));
    const filter = param(p, 1, "filter");
    const program = filter?.programId;
    if (program !== TOKEN && program !== TOKEN_2022) throw new RpcError(-32602, "Invalid param: unrecognized Token program id");
    const value = svm
      .getProgramAccounts(address(program))
      .filter((a) => a.data.length >= 165 && Buffer.from(a.data.slice(32, 64)).equals(Buffer.from(owner)))
      .map((a) => ({ pubkey: a.address, account: encodeAccount(a) }));
    return { context: context(), value };
  },
  // https://solana.com/docs/rpc/http/getprogramaccounts: [{pubkey, account}] (base64), filters memcmp
  // {offset, bytes (base58)} and dataSize, all of which must match.
  getProgramAccounts: (p) => {
    const program = addr(param(p, 0, "program id"));
    const opts = (Array.isArray(p) && p[1]) || {};
    if (opts.encoding !== undefined && opts.encoding !== "base64") throw new RpcError(-32602, "this test server answers base64 only");
    const filters = opts.filters ?? [];
    const match = (data) =>
      filters.every((f) => {
        if (f.dataSize !== undefined) return data.length === f.dataSize;
        if (f.memcmp) {
          const want = Buffer.from(b58bytes.encode(f.memcmp.bytes));
          return Buffer.from(data.slice(f.memcmp.offset, f.memcmp.offset + want.length)).equals(want);
        }
        throw new RpcError(-32602, "Invalid param: unknown filter");
      });
    return svm
      .getProgramAccounts(program)
      .filter((a) => match(a.data))
      .map((a) => ({ pubkey: a.address, account: encodeAccount(a) }));
  },
  // https://solana.com/docs/rpc/http/gettokensupply
  getTokenSupply: (p) => {
    const acc = svm.getAccount(addr(param(p, 0, "mint")));
    if (!acc.exists || acc.data.length < 82) throw new RpcError(-32602, "Invalid param: not a Token mint");
    const view = new DataView(acc.data.buffer, acc.data.byteOffset);
    const amount = view.getBigUint64(36, true);
    const decimals = acc.data[44];
    const ui = Number(amount) / 10 ** decimals;
    return { context: context(), value: { amount: amount.toString(), decimals, uiAmount: ui, uiAmountString: String(ui) } };
  },
  sendTransaction: (p) => {
    const text = param(p, 0, "transaction");
    const opts = (Array.isArray(p) && p[1]) || {};
    if (opts.encoding !== "base64") throw new RpcError(-32602, "this test server takes base64 transactions only");
    let tx, message;
    try {
      tx = getTransactionDecoder().decode(b64bytes.encode(text));
      message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
    } catch (e) {
      throw new RpcError(-32602, `invalid transaction: failed to deserialize: ${e.message}`);
    }
    const sigBytes = Object.values(tx.signatures)[0];
    if (!sigBytes) throw new RpcError(-32602, "invalid transaction: not signed");
    const signature = b58.decode(sigBytes);
    const result = svm.sendTransaction(tx);
    if (typeof result.err === "function") {
      throw new RpcError(-32002, `Transaction simulation failed: ${String(result.err())}`, {
        logs: result.meta().logs(),
      });
    }
    record(signature, message.staticAccounts.map(String), null, text);
    return signature;
  },
  getSignatureStatuses: (p) => {
    const sigs = param(p, 0, "signatures");
    if (!Array.isArray(sigs) || sigs.length > 256) throw new RpcError(-32602, "Invalid params: too many signatures");
    const value = sigs.map((s) => {
      const h = history.find((e) => e.signature === s);
      return h ? { slot: h.slot, confirmations: null, err: h.err, status: { Ok: null }, confirmationStatus: "finalized" } : null;
    });
    return { context: context(), value };
  },
  getSignaturesForAddress: (p) => {
    const who = addr(param(p, 0, "address"));
    const limit = Math.min(Number((Array.isArray(p) && p[1]?.limit) || 1000), 1000);
    return history
      .filter((e) => e.accounts.includes(who))
      .reverse()
      .slice(0, limit)
      .map((e) => ({ signature: e.signature, slot: e.slot, err: e.err, memo: null, blockTime: e.blockTime, confirmationStatus: "finalized" }));
  },

  getTransaction: (p) => {
    const sig = param(p, 0, "signature");
    const opts = (Array.isArray(p) && p[1]) || {};
    if (opts.encoding !== "base64") throw new RpcError(-32602, "this test server answers base64 transactions only");
    const h = history.find((e) => e.signature === sig);
    if (!h || h.wire === null) return null;
    return {
      slot: h.slot,
      blockTime: h.blockTime,
      transaction: [h.wire, "base64"],
      meta: { err: h.err, status: h.err === null ? { Ok: null } : { Err: h.err }, fee: 5000 },
      version: "legacy",
    };
  },

  // Test-only: fund an address with lamports through the runtime's airdrop (a real transfer from the faucet).
  coffer_airdrop: (p) => {
    const who = addr(param(p, 0, "address"));
    const amount = BigInt(param(p, 1, "lamports"));
    const r = svm.airdrop(who, lamports(amount));
    if (!r || typeof r.err === "function") throw new RpcError(-32000, `airdrop failed: ${r ? String(r.err()) : "no result"}`);
    const signature = b58.decode(r.signature());
    record(signature, [who], null);
    return signature;
  },
  // Test-only: give OWNER a token account of MINT holding AMOUNT (raw units) under the chosen token program, frozen
  // when the fifth parameter is "frozen", with the sixth (if given) as its close authority; the seventh's "address"
  // (if given) is where it is placed, else a random address. The mint (decimals 6) is created if it does not exist.
  // Returns the token account's address.
  coffer_setTokenAccount: (p) => {
    const owner = addr(param(p, 0, "owner"));
    const mint = addr(param(p, 1, "mint"));
    const amount = BigInt(param(p, 2, "amount"));
    const program = param(p, 3, "program") === "token-2022" ? TOKEN_2022 : TOKEN;
    const rent = (n) => svm.minimumBalanceForRentExemption(BigInt(n));
    if (!svm.getAccount(mint).exists) {
      const data = new Uint8Array(82);
      const view = new DataView(data.buffer);
      view.setBigUint64(36, amount, true); // supply
      data[44] = 6; // decimals
      data[45] = 1; // is_initialized
      svm.setAccount({ address: mint, lamports: rent(82), programAddress: address(program), executable: false, data, space: 82n });
    }
    // A Token-2022 mint with extensions: the account carries the extensions its mint requires (TLV after the
    // 165-byte base and the account-type byte 2), as InitializeAccount would create them; "withheld" in the seventh
    // parameter sets TransferFeeAmount's withheld fees.
    const tlv = program === TOKEN_2022 ? accountExtensions(svm.getAccount(mint).data, p[6] ?? {}) : [];
    const size = tlv.length === 0 ? 165 : 166 + tlv.length;
    const data = new Uint8Array(size);
    if (tlv.length > 0) {
      data[165] = 2;
      data.set(tlv, 166);
    }
    data.set(b58bytes.encode(mint), 0);
    data.set(b58bytes.encode(owner), 32);
    new DataView(data.buffer).setBigUint64(64, amount, true);
    data[108] = p[4] === "frozen" ? 2 : 1; // state: initialized, or frozen when asked
    if (p[5] !== undefined && p[5] !== null) {
      // close_authority: COption<Pubkey> at 129 (tag u32 1, then the key).
      new DataView(data.buffer).setUint32(129, 1, true);
      data.set(b58bytes.encode(addr(p[5])), 133);
    }
    // "address" in the seventh parameter places the account there (e.g. the owner's associated token account).
    const account = p[6]?.address ? addr(p[6].address) : address(randomAddress());
    svm.setAccount({ address: account, lamports: rent(size), programAddress: address(program), executable: false, data, space: BigInt(size) });
    return account;
  },
  // Test-only: a Token-2022 mint with extensions, its data laid out as the program's own (base Mint of 82 bytes
  // padded to 165, account-type byte 1, then TLV entries u16 type, u16 length, value; interface/src/extension/mod.rs
  // of https://github.com/solana-program/token-2022): [mint, decimals, {transferFee: {basisPoints, maximumFee},
  // nonTransferable, transferHookProgram (an address, or null for the extension without a program), defaultFrozen,
// confidential (ConfidentialTransferMint; an account then takes {confidentialBalance: true}),
  // paused (true/false: the Pausable extension)}]. Supply u64::MAX / 2 (never checked by transfers). Returns the mint.
  coffer_setToken2022Mint: (p) => {
    const mint = addr(param(p, 0, "mint"));
    const decimals = Number(param(p, 1, "decimals"));
    const ext = param(p, 2, "extensions") ?? {};
    const entries = [];
    const entry = (type, value) => {
      const e = new Uint8Array(4 + value.length);
      const v = new DataView(e.buffer);
      v.setUint16(0, type, true);
      v.setUint16(2, value.length, true);
      e.set(value, 4);
      entries.push(e);
    };
    if (ext.transferFee) {
      // TransferFeeConfig (1): config authority, withdraw authority, withheld u64, older and newer TransferFee
      // { epoch u64, maximum_fee u64, basis_points u16 }, both from epoch 0.
      const v = new Uint8Array(108);
      const view = new DataView(v.buffer);
      for (const at of [72, 90]) {
        view.setBigUint64(at + 8, BigInt(ext.transferFee.maximumFee), true);
        view.setUint16(at + 16, ext.transferFee.basisPoints, true);
      }
      v.set(crypto.randomBytes(32), 32); // withdraw_withheld_authority
      entry(1, v);
    }
    // ConfidentialTransferMint (4): authority, auto-approve u8, auditor ElGamal key (65 bytes).
    if (ext.confidential) entry(4, new Uint8Array(65));
    if (ext.defaultFrozen) entry(6, new Uint8Array([2])); // DefaultAccountState: Frozen
    if (ext.nonTransferable) entry(9, new Uint8Array(0)); // NonTransferable
    if (ext.transferHookProgram !== undefined) {
      // TransferHook (14): authority, program id (zero: none).
      const v = new Uint8Array(64);
      if (ext.transferHookProgram !== null) v.set(b58bytes.encode(addr(ext.transferHookProgram)), 32);
      entry(14, v);
    }
    if (ext.paused !== undefined) {
      const v = new Uint8Array(33); // PausableConfig (26): authority, paused
      v[32] = ext.paused ? 1 : 0;
      entry(26, v);
    }
    const tlv = Buffer.concat(entries);
    const size = 166 + tlv.length;
    const data = new Uint8Array(size);
    const view = new DataView(data.buffer);
    view.setBigUint64(36, (1n << 63n) - 1n, true); // supply
    data[44] = decimals;
    data[45] = 1; // is_initialized
    // freeze_authority: COption<Pubkey> at 46 (a default-frozen mint must have one).
    view.setUint32(46, 1, true);
    data.set(crypto.randomBytes(32), 50);
    data[165] = 1; // AccountType::Mint
    data.set(tlv, 166);
    const rent = svm.minimumBalanceForRentExemption(BigInt(size));
    svm.setAccount({ address: mint, lamports: rent, programAddress: address(TOKEN_2022), executable: false, data, space: BigInt(size) });
    return mint;
  },
  // Test-only: an initialized stake account (StakeStateV2::Initialized, 200 bytes: u32 1, Meta { rent_exempt_reserve,
  // Authorized { staker, withdrawer }, Lockup }) with STAKER and WITHDRAWER; the lockup is { 0, 0, default } unless
  // a unix time, an epoch and a custodian follow. Returns its address.
  coffer_setStakeAccount: (p) => {
    const staker = addr(param(p, 0, "staker"));
    const withdrawer = addr(param(p, 1, "withdrawer"));
    const amount = BigInt(param(p, 2, "lamports"));
    const data = new Uint8Array(200);
    const view = new DataView(data.buffer);
    view.setUint32(0, 1, true);
    view.setBigUint64(4, svm.minimumBalanceForRentExemption(200n), true);
    data.set(b58bytes.encode(staker), 12);
    data.set(b58bytes.encode(withdrawer), 44);
    if (p[3] !== undefined && p[3] !== null) {
      // Lockup { unix_timestamp: P[3], epoch: P[4], custodian: P[5] } after the authorities.
      view.setBigInt64(76, BigInt(p[3]), true);
      view.setBigUint64(84, BigInt(p[4] ?? 0), true);
      data.set(b58bytes.encode(addr(p[5])), 92);
    }
    const account = address(randomAddress());
    svm.setAccount({ address: account, lamports: amount, programAddress: address(STAKE), executable: false, data, space: 200n });
    return account;
  },
  // Test-only: an initialized durable-nonce account (nonce::Versions::Current(State::Initialized(Data)), 80 bytes:
  // u32 1, u32 1, authority, durable nonce, lamports_per_signature u64) with AUTHORITY. Returns its address.
  coffer_setNonceAccount: (p) => {
    const authority = addr(param(p, 0, "authority"));
    const amount = BigInt(param(p, 1, "lamports"));
    const data = new Uint8Array(80);
    const view = new DataView(data.buffer);
    view.setUint32(0, 1, true);
    view.setUint32(4, 1, true);
    data.set(b58bytes.encode(authority), 8);
    data.set(crypto.randomBytes(32), 40);
    view.setBigUint64(72, 5000n, true);
    const account = address(randomAddress());
    svm.setAccount({ address: account, lamports: amount, programAddress: address(SYSTEM), executable: false, data, space: 80n });
    return account;
  },
};

function handle(req) {
  const id = req?.id ?? null;
  try {
    if (req?.jsonrpc !== "2.0" || typeof req.method !== "string") throw new RpcError(-32600, "Invalid request");
    const fn = methods[req.method];
    if (!fn) throw new RpcError(-32601, "Method not found");
    return { jsonrpc: "2.0", result: fn(req.params ?? []), id };
  } catch (e) {
    if (e instanceof RpcError) return { jsonrpc: "2.0", error: { code: e.code, message: e.message, data: e.data }, id };
    return { jsonrpc: "2.0", error: { code: -32603, message: `Internal error: ${e.message}` }, id };
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on("data", (c) => {
    size += c.length;
    if (size > 1 << 20) req.destroy();
    else chunks.push(c);
  });
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = null;
    }
    const answer = body === null
      ? { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null }
      : Array.isArray(body) ? body.map(handle) : handle(body);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}`, genesis_hash: genesisHash }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
