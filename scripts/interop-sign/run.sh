#!/bin/sh
# Interop check of the signing core against the chains' own SDKs (needs Node 20 and the npm registry):
# the SDKs build unsigned transactions (IOTA, Sui incl. sponsored and personal messages; Solana legacy, v0 with an
# address table, durable nonce; Stellar with preconditions v2, muxed payment, trust, data, merge, set options),
# coffer-core decodes and signs them (an ignored test in crates/core/src/sign/tests.rs), and the SDKs verify the
# signatures, hashes and signed envelopes (IOTA/Sui signatures must equal the SDKs' own, byte for byte).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cd "$here"
[ -d node_modules ] || npm install --no-audit --no-fund --silent
node gen.mjs "$work/inputs.json"
COFFER_INTEROP_IN="$work/inputs.json" COFFER_INTEROP_OUT="$work/outputs.json" \
  cargo test -q -p coffer-core --lib interop_sign_sdk_inputs -- --ignored
node verify.mjs "$work/inputs.json" "$work/outputs.json"
