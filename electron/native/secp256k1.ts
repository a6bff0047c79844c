// The native BIP-340 verifier (native/secp256k1/schnorr_verify.c on the system libsecp256k1), found and loaded for
// bulk verification. It is optional: when the addon was not built here, or the library is missing at run time, or it
// fails the BIP-340 self-test, callers get the reason and use the WebAssembly build of the same library instead.
// Node-only (it loads a file); the verifier it returns is a plain `SchnorrVerifier` for the pure core.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchnorrVerifier } from '../core/declaration/nostr-event';
import { passesBip340SelfTest } from '../core/declaration/schnorr-self-test';
import { findPackageRoot } from '../store/database';

export const NATIVE_ADDON_NAME = 'secp256k1.node';

export type NativeSchnorrLoad = { ok: true; file: string; verify: SchnorrVerifier } | { ok: false; reason: string };

/** dist/secp256k1.node: next to the running bundle, else under the package root (sources run by the tests). */
export function nativeAddonCandidates(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, NATIVE_ADDON_NAME)];
  try {
    candidates.push(path.join(findPackageRoot(here), 'dist', NATIVE_ADDON_NAME));
  } catch {
    // a bundle copied outside the package: only the file next to it counts
  }
  return candidates;
}

function isNativeModule(value: unknown): value is { verify: SchnorrVerifier } {
  return typeof value === 'object' && value !== null && typeof (value as { verify?: unknown }).verify === 'function';
}

/**
 * Loads the addon from `file` (default: the first candidate that exists) and self-tests it. DECLSIGN_SCHNORR=wasm
 * turns it off (to compare backends, or to rule the native one out when something looks wrong).
 */
export function loadNativeSchnorr(file?: string, env: NodeJS.ProcessEnv = process.env): NativeSchnorrLoad {
  if (env.DECLSIGN_SCHNORR === 'wasm') return { ok: false, reason: 'DECLSIGN_SCHNORR=wasm' };
  const chosen = file ?? nativeAddonCandidates().find((candidate) => existsSync(candidate));
  if (chosen === undefined) return { ok: false, reason: 'not built (needs libsecp256k1-dev and a C compiler at build time)' };
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(chosen);
  } catch (error) {
    // Typically libsecp256k1.so.1 missing at run time.
    return { ok: false, reason: `could not load ${chosen}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if (!isNativeModule(loaded)) return { ok: false, reason: `${chosen} has no verify function` };
  const verify = loaded.verify;
  if (!passesBip340SelfTest(verify)) return { ok: false, reason: `${chosen} failed the BIP-340 self-test` };
  return { ok: true, file: chosen, verify };
}
