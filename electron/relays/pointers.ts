// NIP-19 pointers for sharing declarations: `naddr` names the declaration (its latest version, kind 31106 +
// author + uuid), `nevent` pins one exact signed version. For display and input only; we store hex.

import { decode, naddrEncode, neventEncode } from 'nostr-tools/nip19';
import { DECLARATION_KIND } from '../core/declaration/types';
import { DeclsignError } from '../core/errors';
import { isLowerHex } from '../core/hex';
import { declarationAddress } from './nip09';
import { isValidRelayUrl, normalizeRelayUrl } from './url';

/** Relay hints make the string long; NIP-19 asks to stay under 5000 characters, and 3 hints are plenty. */
export const MAX_RELAY_HINTS = 3;

export type DeclarationPointer =
  | { type: 'address'; authorPubkey: string; declarationUuid: string; relays: string[] }
  | { type: 'event'; eventId: string; authorPubkey?: string; relays: string[] };

function hints(relays: readonly string[]): string[] {
  return [...new Set(relays.map(normalizeRelayUrl))].slice(0, MAX_RELAY_HINTS);
}

export function declarationNaddr(input: { authorPubkey: string; declarationUuid: string; relays?: readonly string[] }): string {
  declarationAddress(input.authorPubkey, input.declarationUuid); // validates both
  return naddrEncode({
    kind: DECLARATION_KIND,
    pubkey: input.authorPubkey,
    identifier: input.declarationUuid,
    relays: hints(input.relays ?? []),
  });
}

export function declarationNevent(input: { eventId: string; authorPubkey: string; relays?: readonly string[] }): string {
  if (!isLowerHex(input.eventId, 32)) throw new DeclsignError('invalid_input', 'eventId must be 64 lowercase hex characters');
  if (!isLowerHex(input.authorPubkey, 32)) throw new DeclsignError('invalid_input', 'authorPubkey must be 64 lowercase hex characters');
  return neventEncode({ id: input.eventId, author: input.authorPubkey, kind: DECLARATION_KIND, relays: hints(input.relays ?? []) });
}

/**
 * Decodes a pasted `naddr1…` / `nevent1…` (optionally `nostr:`-prefixed) that must point at a kind-31106 declaration.
 * Relay hints are untrusted: invalid ones are dropped, the rest normalised.
 */
export function decodeDeclarationPointer(code: string): DeclarationPointer {
  const text = code.trim().replace(/^nostr:/i, '');
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(text);
  } catch (error) {
    throw new DeclsignError('invalid_input', `Not a valid NIP-19 code: ${error instanceof Error ? error.message : String(error)}`);
  }
  const relays = (list: string[] | undefined) => [...new Set((list ?? []).filter(isValidRelayUrl).map(normalizeRelayUrl))];
  if (decoded.type === 'naddr') {
    const { kind, pubkey, identifier } = decoded.data;
    if (kind !== DECLARATION_KIND) throw new DeclsignError('invalid_input', `naddr points at kind ${kind}, not ${DECLARATION_KIND}`);
    if (!isLowerHex(pubkey, 32)) throw new DeclsignError('invalid_input', 'naddr author is not a 32-byte hex key');
    return { type: 'address', authorPubkey: pubkey, declarationUuid: identifier, relays: relays(decoded.data.relays) };
  }
  if (decoded.type === 'nevent') {
    const { id, author, kind } = decoded.data;
    if (kind !== undefined && kind !== DECLARATION_KIND) {
      throw new DeclsignError('invalid_input', `nevent points at kind ${kind}, not ${DECLARATION_KIND}`);
    }
    const pointer: DeclarationPointer = { type: 'event', eventId: id, relays: relays(decoded.data.relays) };
    if (author !== undefined) pointer.authorPubkey = author;
    return pointer;
  }
  throw new DeclsignError('invalid_input', `Expected an naddr or nevent, got ${decoded.type}`);
}
