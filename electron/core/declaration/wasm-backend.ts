// A BIP-340 verifier on libsecp256k1 compiled to WebAssembly (the binary the `nostr-wasm` package ships), for bulk
// imports: about five times the pure-JS verifier. It plugs into `VerifyOptions.backend.verifySchnorr`.
//
// nostr-wasm's own API only verifies whole events (it re-hashes the id itself); the verifier interface here takes
// (signature, id, pubkey) because the id is already recomputed by the caller. So we bind the module's exports
// directly: libsecp256k1's `context_create`, `xonly_pubkey_parse` and `schnorrsig_verify`, under the export names
// of the pinned nostr-wasm 0.1.0 build. A different build would bind the wrong functions, so creation runs a self-test
// on BIP-340 vectors (valid, altered message, altered signature, invalid key) and refuses to return a verifier that
// does not answer all of them exactly.
//
// Pure: the binary (or its compiled module) is an argument; reading it from disk is the caller's business.

import type { SchnorrVerifier } from './nostr-event';
import { passesBip340SelfTest } from './schnorr-self-test';

/** libsecp256k1 `SECP256K1_CONTEXT_VERIFY` (flags type context | verify bit). */
const CONTEXT_VERIFY = 0x0101;
/** Parsed public keys kept in WebAssembly memory (64 bytes each). */
const PARSED_KEY_SLOTS = 64;

interface Secp256k1Exports {
  memory: WebAssembly.Memory;
  init: () => void;
  malloc: (size: number) => number;
  contextCreate: (flags: number) => number;
  xonlyPubkeyParse: (ctx: number, pubkeyOut: number, input32: number) => number;
  schnorrsigVerify: (ctx: number, sig64: number, msg: number, msgLen: number, pubkey: number) => number;
}

/** Export names of the nostr-wasm 0.1.0 libsecp256k1 build (its `public/out/secp256k1.js` lists them). */
function bindExports(exports: WebAssembly.Exports): Secp256k1Exports {
  const fn = (name: string) => {
    const value = exports[name];
    if (typeof value !== 'function') throw new Error(`secp256k1 wasm: export ${name} is not a function`);
    return value as (...args: number[]) => number;
  };
  const memory = exports.g;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('secp256k1 wasm: export g is not its memory');
  return {
    memory,
    init: fn('h') as () => void,
    malloc: fn('i'),
    contextCreate: fn('o'),
    xonlyPubkeyParse: fn('p'),
    schnorrsigVerify: fn('u'),
  };
}

class WasmTrap extends Error {}

/** The environment the emscripten build imports: no files, no growth; any abort is a trap we turn into `false`. */
function importObject(heap: () => Uint8Array): WebAssembly.Imports {
  return {
    a: {
      a: () => {
        throw new WasmTrap('secp256k1 wasm aborted');
      },
      b: (_fd: number, _iov: number, _iovCount: number, writtenPtr: number) => {
        // fd_write: libsecp256k1 only writes when an illegal-argument callback fires; report nothing written.
        new DataView(heap().buffer).setUint32(writtenPtr, 0, true);
        return 0;
      },
      c: () => 70, // fd_seek: ESPIPE
      d: () => {
        throw new WasmTrap('secp256k1 wasm asked to grow its memory');
      },
      e: () => 52, // fd_close: ENOSYS
      f: (dest: number, src: number, count: number) => heap().copyWithin(dest, src, src + count),
    },
  };
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[97 + i] = 10 + i;

/** Writes lowercase hex of exactly `bytes` bytes into `heap` at `at`; false (nothing trusted) on anything else. */
function writeHex(heap: Uint8Array, at: number, hex: string, bytes: number): boolean {
  if (typeof hex !== 'string' || hex.length !== bytes * 2) return false;
  for (let i = 0; i < bytes; i++) {
    const hi = hex.charCodeAt(2 * i);
    const lo = hex.charCodeAt(2 * i + 1);
    const h = hi < 128 ? HEX_VALUE[hi]! : -1;
    const l = lo < 128 ? HEX_VALUE[lo]! : -1;
    if (h < 0 || l < 0) return false;
    heap[at + i] = (h << 4) | l;
  }
  return true;
}

/**
 * Instantiates the libsecp256k1 module and returns a Schnorr verifier that never throws (malformed input, an invalid
 * key or a trap all answer `false`). Throws if the module is not the expected build (self-test failed).
 */
export async function createWasmSchnorrVerifier(binary: Uint8Array | WebAssembly.Module): Promise<SchnorrVerifier> {
  let memoryView: Uint8Array | undefined;
  let wasm: Secp256k1Exports | undefined;
  const heap = () => {
    if (memoryView === undefined || memoryView.byteLength === 0) memoryView = new Uint8Array(wasm!.memory.buffer);
    return memoryView;
  };
  const imports = importObject(heap);
  const module = binary instanceof WebAssembly.Module ? binary : await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, imports);
  wasm = bindExports(instance.exports);
  wasm.init();
  const ctx = wasm.contextCreate(CONTEXT_VERIFY);
  const sigPtr = wasm.malloc(64);
  const msgPtr = wasm.malloc(32);
  const pubkeyBytesPtr = wasm.malloc(32);
  // Parsed keys (secp256k1_xonly_pubkey, opaque, 64 bytes each): parsing lifts x to the curve (a square root, about a
  // tenth of a verification) and bulk imports see few authors many times. Slots are reused oldest first; a key that
  // fails to parse never takes one.
  const slots = Array.from({ length: PARSED_KEY_SLOTS }, () => wasm!.malloc(64));
  if (!ctx || !sigPtr || !msgPtr || !pubkeyBytesPtr || slots.some((slot) => !slot)) throw new Error('secp256k1 wasm: could not allocate');
  const exports = wasm;
  const parsedKeys = new Map<string, number>(); // pubkey hex → slot
  let nextSlot = 0;
  const parsedKey = (memory: Uint8Array, pubkeyHex: string): number | undefined => {
    const known = parsedKeys.get(pubkeyHex);
    if (known !== undefined) return known;
    if (!writeHex(memory, pubkeyBytesPtr, pubkeyHex, 32)) return undefined;
    const slot = slots[nextSlot]!;
    for (const [key, used] of parsedKeys) {
      if (used === slot) parsedKeys.delete(key);
    }
    if (exports.xonlyPubkeyParse(ctx, slot, pubkeyBytesPtr) !== 1) return undefined;
    parsedKeys.set(pubkeyHex, slot);
    nextSlot = (nextSlot + 1) % slots.length;
    return slot;
  };

  const verify: SchnorrVerifier = (signatureHex, eventIdHex, pubkeyHex) => {
    try {
      const memory = heap();
      if (!writeHex(memory, sigPtr, signatureHex, 64) || !writeHex(memory, msgPtr, eventIdHex, 32)) return false;
      const pubkeyPtr = parsedKey(memory, pubkeyHex);
      if (pubkeyPtr === undefined) return false;
      return exports.schnorrsigVerify(ctx, sigPtr, msgPtr, 32, pubkeyPtr) === 1;
    } catch {
      return false;
    }
  };
  if (!passesBip340SelfTest(verify)) throw new Error('secp256k1 wasm failed its BIP-340 self-test: not the expected libsecp256k1 build');
  return verify;
}
