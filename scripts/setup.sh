#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Debian's Chromium (for the UI tests), libsecp256k1's headers
# (for the native BIP-340 verifier that bulk import uses; without them the WebAssembly build is used) and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -f /usr/include/secp256k1_schnorrsig.h ] || missing+=(libsecp256k1-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]} (chromium for the UI tests; libsecp256k1-dev for fast bulk import)" >&2
  fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
