// Trust anchors: Master Admin keys pinned locally. Pinning is explicit — holding or generating a master-admin key
// does not make it an anchor — and a pin always names one key by its fingerprint.

import { decode } from 'nostr-tools/nip19';
import { DeclsignError } from '../errors';
import { hexToBytes, isLowerHex } from '../hex';
import { identityFromPublicKey } from '../keys/identity';
import { KEY_ALGORITHMS, type KeyAlgorithm, type PublicKeyIdentity } from '../keys/types';
import { isPublicKeyHexFor } from '../declaration/schema';
import type { Anchor } from './types';

/** How an administrator names the key to pin. A bare 64-hex string is ambiguous (pubkey or fingerprint), so it must say which. */
export type AnchorKey =
  | { fingerprint: string }
  | { npub: string }
  | { algorithm: KeyAlgorithm; publicKeyHex: string };

/** Builds an anchor from any of the three spellings; throws `invalid_input` / `invalid_key` for anything else. */
export function pinAnchor(key: AnchorKey, label?: string): Anchor {
  const anchor: Anchor = { fingerprint: 'fingerprint' in key ? checkedFingerprint(key.fingerprint) : anchorIdentity(key).fingerprint };
  if (label !== undefined) {
    if (typeof label !== 'string' || label.length === 0 || label.length > 128) {
      throw new DeclsignError('invalid_input', 'an anchor label is 1–128 characters');
    }
    anchor.label = label;
  }
  return anchor;
}

/** The full identity of a key named by npub or by algorithm and public key (a fingerprint alone has none). */
export function anchorIdentity(key: Exclude<AnchorKey, { fingerprint: string }>): PublicKeyIdentity {
  if ('npub' in key) {
    let decoded: ReturnType<typeof decode>;
    try {
      decoded = decode(key.npub);
    } catch (error) {
      throw new DeclsignError('invalid_key', `not an npub: ${(error as Error).message}`);
    }
    if (decoded.type !== 'npub') throw new DeclsignError('invalid_key', `expected an npub, got ${decoded.type}`);
    return identityFromPublicKey('nostr', hexToBytes(decoded.data));
  }
  if (!isPublicKeyHexFor(key.algorithm, key.publicKeyHex, { parse: true })) {
    throw new DeclsignError('invalid_key', `not a lowercase-hex ${key.algorithm} public key`);
  }
  return identityFromPublicKey(key.algorithm, hexToBytes(key.publicKeyHex));
}

function checkedFingerprint(fingerprint: string): string {
  if (!isLowerHex(fingerprint, 32)) throw new DeclsignError('invalid_input', 'an anchor fingerprint is 64 lowercase hex characters');
  return fingerprint;
}

/**
 * Reads the spelling of one key an administrator typed or pasted: `npub1…`, a canonical name `ALG:FINGERPRINT`, or a
 * bare 64-hex fingerprint — unless `algorithm` is given, which makes hex a public key of that algorithm.
 */
export function anchorKeyFromText(text: string, algorithm?: KeyAlgorithm): AnchorKey {
  const value = text.trim();
  if (algorithm !== undefined) return { algorithm, publicKeyHex: value.toLowerCase() };
  if (value.startsWith('npub1')) return { npub: value };
  const canonical = /^(?:ed25519|rsa|ml-dsa-65):([0-9a-fA-F]{64})$/.exec(value);
  if (canonical) return { fingerprint: canonical[1]!.toLowerCase() };
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { fingerprint: value.toLowerCase() };
  throw new DeclsignError('invalid_input', `"${value.slice(0, 80)}" is not an npub, a canonical name (ALG:FINGERPRINT) or a 64-hex fingerprint; a hex public key needs its algorithm`);
}

/**
 * Parses a list of anchors for an offline check: JSON `[{npub | fingerprint | algorithm+public_key, label?}]`, or one key
 * per line (`anchorKeyFromText`, optionally followed by a label), with blank lines and `#` comments ignored.
 */
export function parseAnchorList(text: string): Anchor[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return parseAnchorJson(trimmed);
  const anchors: Anchor[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [key, ...rest] = line.split(/\s+/);
    try {
      anchors.push(pinAnchor(anchorKeyFromText(key!), rest.length > 0 ? rest.join(' ') : undefined));
    } catch (error) {
      if (error instanceof DeclsignError) throw new DeclsignError(error.code, `anchors line ${index + 1}: ${error.message}`);
      throw error;
    }
  });
  if (anchors.length === 0) throw new DeclsignError('invalid_input', 'the anchors list names no key');
  return anchors;
}

function parseAnchorJson(text: string): Anchor[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DeclsignError('invalid_json', `the anchors list is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || value.length === 0) throw new DeclsignError('invalid_input', 'the anchors list must be a non-empty JSON array');
  return value.map((entry: unknown, index) => {
    const where = `anchors[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new DeclsignError('invalid_input', `${where} must be an object`);
    const { npub, fingerprint, algorithm, public_key, label, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new DeclsignError('invalid_input', `${where} has unknown field(s): ${Object.keys(rest).join(', ')}`);
    const given = [npub !== undefined, fingerprint !== undefined, public_key !== undefined].filter(Boolean).length;
    if (given !== 1) throw new DeclsignError('invalid_input', `${where} names its key exactly once: npub, fingerprint, or algorithm with public_key`);
    if (label !== undefined && typeof label !== 'string') throw new DeclsignError('invalid_input', `${where}.label must be a string`);
    let key: AnchorKey;
    if (typeof npub === 'string') key = { npub };
    else if (typeof fingerprint === 'string') key = { fingerprint: fingerprint.toLowerCase() };
    else if (typeof public_key === 'string' && typeof algorithm === 'string' && (KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
      key = { algorithm: algorithm as KeyAlgorithm, publicKeyHex: public_key.toLowerCase() };
    } else throw new DeclsignError('invalid_input', `${where}: npub and fingerprint are strings; public_key needs algorithm (${KEY_ALGORITHMS.join(', ')})`);
    try {
      return pinAnchor(key, label);
    } catch (error) {
      if (error instanceof DeclsignError) throw new DeclsignError(error.code, `${where}: ${error.message}`);
      throw error;
    }
  });
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
