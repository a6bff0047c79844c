// Kind-31106 events: templates, signing, id recomputation and the summary tags. Ids are recomputed here (never read
// from nostr-tools' cached verification) so that a verifier's answer depends only on the bytes it was given.

import { schnorr } from '@noble/curves/secp256k1.js';
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure';
import { sha256Hex } from '../canonical';
import { DeclsignError } from '../errors';
import { hexToBytes } from '../hex';
import { DECLARATION_KIND, type DeclarationType, type NostrEvent, type SignedData } from './types';

/** `(signatureHex, eventIdHex, pubkeyHex) => valid`; BIP-340 over the 32-byte id. Injectable for faster backends. */
export type SchnorrVerifier = (signatureHex: string, eventIdHex: string, pubkeyHex: string) => boolean;

export const verifySchnorrNoble: SchnorrVerifier = (signatureHex, eventIdHex, pubkeyHex) => {
  try {
    return schnorr.verify(hexToBytes(signatureHex), hexToBytes(eventIdHex), hexToBytes(pubkeyHex));
  } catch {
    return false;
  }
};

/** NIP-01 id: SHA-256 of `JSON.stringify([0, pubkey, created_at, kind, tags, content])`. */
export function computeEventId(event: Pick<NostrEvent, 'pubkey' | 'created_at' | 'kind' | 'tags' | 'content'>): string {
  return sha256Hex(JSON.stringify([0, event.pubkey, event.created_at, event.kind, event.tags, event.content]));
}

/** The 32-byte x-only public key (hex) of a Nostr secret key; `invalid_key` if the bytes are not a valid secret. */
export function nostrPublicKeyOf(secretKey: Uint8Array): string {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new DeclsignError('invalid_key', 'a Nostr private key is exactly 32 bytes');
  }
  try {
    return getPublicKey(secretKey);
  } catch (error) {
    throw new DeclsignError('invalid_key', `not a valid secp256k1 secret key: ${(error as Error).message}`);
  }
}

/** Signs a kind-31106 event and returns a plain object (no cached-verification symbol travels with it). */
export function signDeclarationEvent(
  secretKey: Uint8Array,
  template: { created_at: number; tags: string[][]; content: string },
): NostrEvent {
  if (!Number.isSafeInteger(template.created_at) || template.created_at < 0) {
    throw new DeclsignError('invalid_input', `created_at must be whole unix seconds, got ${template.created_at}`);
  }
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) throw new DeclsignError('invalid_key', 'a Nostr private key is exactly 32 bytes');
  try {
    return plainEvent(finalizeEvent({ kind: DECLARATION_KIND, ...template }, secretKey));
  } catch (error) {
    throw new DeclsignError('invalid_key', `cannot sign with this Nostr key: ${(error as Error).message}`);
  }
}

/** The seven NIP-01 fields, copied: drops anything else an object carries (such as nostr-tools' verification cache). */
export function plainEvent(event: NostrEvent): NostrEvent {
  const { id, pubkey, created_at, kind, tags, content, sig } = event;
  return { id, pubkey, created_at, kind, tags: tags.map((tag) => [...tag]), content, sig };
}

export function declarationTags(uuid: string, type: DeclarationType, alt: string): string[][] {
  return [
    ['d', uuid],
    ['t', type],
    ['alt', alt],
  ];
}

/** Every value of tag `name` (its second element), in order. */
export function tagValues(tags: string[][], name: string): string[] {
  return tags.filter((tag) => tag[0] === name).map((tag) => tag[1] ?? '');
}

/** `npub1…abcd`, `ed25519:…abcd`: enough to recognise a key in a feed, never enough to trust one. */
export function shortCanonicalName(canonicalName: string): string {
  const prefixEnd = canonicalName.startsWith('npub1') ? 5 : canonicalName.indexOf(':') + 1;
  return `${canonicalName.slice(0, prefixEnd)}…${canonicalName.slice(-4)}`;
}

/** The NIP-31 `alt` text of a primary or wrapper event; informational only (verifiers never rely on it). */
export function declarationAlt(signedData: SignedData): string {
  return (
    `Admin declaration (${signedData.declaration_type}) by ${shortCanonicalName(signedData.signing_keypair_canonical_name)}` +
    ` for ${shortCanonicalName(signedData.target_keypair_canonical_name)}`
  );
}

export function countersignatureAlt(signedData: SignedData): string {
  return `Countersignature of ${declarationAlt(signedData).replace(/^A/, 'a')}`;
}
