// Trust anchors: Master Admin keys pinned locally. Pinning is explicit — holding or generating a master-admin key
// does not make it an anchor — and a pin always names one key by its fingerprint.

import { decode } from 'nostr-tools/nip19';
import { DeclsignError } from '../errors';
import { hexToBytes, isLowerHex } from '../hex';
import { fingerprintOf } from '../keys/identity';
import type { KeyAlgorithm } from '../keys/types';
import { isPublicKeyHexFor } from '../declaration/schema';
import type { Anchor } from './types';

/** How an administrator names the key to pin. A bare 64-hex string is ambiguous (pubkey or fingerprint), so it must say which. */
export type AnchorKey =
  | { fingerprint: string }
  | { npub: string }
  | { algorithm: KeyAlgorithm; publicKeyHex: string };

/** Builds an anchor from any of the three spellings; throws `invalid_input` / `invalid_key` for anything else. */
export function pinAnchor(key: AnchorKey, label?: string): Anchor {
  const anchor: Anchor = { fingerprint: fingerprintFor(key) };
  if (label !== undefined) {
    if (typeof label !== 'string' || label.length === 0 || label.length > 128) {
      throw new DeclsignError('invalid_input', 'an anchor label is 1–128 characters');
    }
    anchor.label = label;
  }
  return anchor;
}

function fingerprintFor(key: AnchorKey): string {
  if ('fingerprint' in key) {
    if (!isLowerHex(key.fingerprint, 32)) throw new DeclsignError('invalid_input', 'an anchor fingerprint is 64 lowercase hex characters');
    return key.fingerprint;
  }
  if ('npub' in key) {
    let decoded: ReturnType<typeof decode>;
    try {
      decoded = decode(key.npub);
    } catch (error) {
      throw new DeclsignError('invalid_key', `not an npub: ${(error as Error).message}`);
    }
    if (decoded.type !== 'npub') throw new DeclsignError('invalid_key', `expected an npub, got ${decoded.type}`);
    return fingerprintOf(hexToBytes(decoded.data));
  }
  if (!isPublicKeyHexFor(key.algorithm, key.publicKeyHex)) {
    throw new DeclsignError('invalid_key', `not a lowercase-hex ${key.algorithm} public key`);
  }
  return fingerprintOf(hexToBytes(key.publicKeyHex));
}

/** Checks anchors handed to the evaluator (they may come from storage or a CLI flag) and indexes them. */
export function indexAnchors(anchors: readonly Anchor[]): { byFingerprint: Map<string, Anchor>; byLabel: Map<string, string[]> } {
  const byFingerprint = new Map<string, Anchor>();
  const byLabel = new Map<string, string[]>();
  for (const anchor of anchors) {
    if (!isLowerHex(anchor.fingerprint, 32)) {
      throw new DeclsignError('invalid_input', `anchor fingerprint ${JSON.stringify(anchor.fingerprint)} is not 64 lowercase hex characters`);
    }
    byFingerprint.set(anchor.fingerprint, anchor);
    if (anchor.label !== undefined) {
      const pinned = byLabel.get(anchor.label) ?? [];
      if (!pinned.includes(anchor.fingerprint)) pinned.push(anchor.fingerprint);
      byLabel.set(anchor.label, pinned.sort());
    }
  }
  return { byFingerprint, byLabel };
}
