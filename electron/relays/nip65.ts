// NIP-65 relay lists (kind 10002): where an admin writes (we publish there) and reads (we deliver to them there).

import { computeEventId, type SchnorrVerifier } from '../core/declaration/nostr-event';
import { checkSchema, nostrEventSchema } from '../core/declaration/schema';
import type { NostrEvent, UnsignedNostrEvent } from '../core/declaration/types';
import { DeclsignError } from '../core/errors';
import { isValidRelayUrl, normalizeRelayUrl } from './url';

export const RELAY_LIST_KIND = 10002;

export interface RelayList {
  read: string[];
  write: string[];
  /** `r` tags skipped: invalid URL or unknown marker. */
  ignoredTags: number;
}

/** Parses the `r` tags of a kind-10002 event (no marker = read and write). The event's signature is the caller's concern. */
export function parseRelayList(event: { kind: number; tags: unknown }): RelayList {
  if (event.kind !== RELAY_LIST_KIND) {
    throw new DeclsignError('invalid_input', `A relay list is kind ${RELAY_LIST_KIND}, got ${event.kind}`);
  }
  if (!Array.isArray(event.tags)) throw new DeclsignError('invalid_input', 'Relay list tags must be an array');
  const read = new Set<string>();
  const write = new Set<string>();
  let ignoredTags = 0;
  for (const tag of event.tags as unknown[]) {
    if (!Array.isArray(tag) || tag[0] !== 'r') continue;
    const [, url, marker] = tag as unknown[];
    if (!isValidRelayUrl(url) || (marker !== undefined && marker !== 'read' && marker !== 'write')) {
      ignoredTags += 1;
      continue;
    }
    const normalized = normalizeRelayUrl(url);
    if (marker !== 'write') read.add(normalized);
    if (marker !== 'read') write.add(normalized);
  }
  return { read: [...read], write: [...write], ignoredTags };
}

/**
 * Relays to publish a declaration to (NIP-65 outbox model): the author's write relays, then the read relays of
 * each admin the declaration names, without repeats, in that order.
 */
export function suggestPublishRelays(author: RelayList, recipients: readonly RelayList[] = []): string[] {
  return [...new Set([...author.write, ...recipients.flatMap((list) => list.read)])];
}

/** Relays to look for an author's declarations on: where the author writes. */
export function suggestQueryRelays(author: RelayList): string[] {
  return [...author.write];
}

export interface VerifiedRelayList extends RelayList {
  event: NostrEvent;
}

/**
 * The current relay list of each author among untrusted event texts (from relays): only events that are well formed,
 * of kind 10002, by one of `authors`, whose id is their hash and whose BIP-340 signature verifies — a relay could
 * otherwise steer our publishing anywhere by serving a list in someone else's name. Kind 10002 is replaceable, so per
 * author the newest wins (NIP-01: on equal created_at, the lowest id). Returns the lists and how many texts were refused.
 */
export function currentRelayLists(
  texts: readonly string[],
  authors: ReadonlySet<string>,
  verifySchnorr: SchnorrVerifier,
): { lists: Map<string, VerifiedRelayList>; refused: number } {
  const newest = new Map<string, NostrEvent>();
  let refused = 0;
  for (const text of texts) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      refused += 1;
      continue;
    }
    const shape = checkSchema(nostrEventSchema, raw, 'relay list');
    if (!shape.ok) {
      refused += 1;
      continue;
    }
    const event = shape.value;
    if (event.kind !== RELAY_LIST_KIND || !authors.has(event.pubkey) || computeEventId(event) !== event.id || !verifySchnorr(event.sig, event.id, event.pubkey)) {
      refused += 1;
      continue;
    }
    const held = newest.get(event.pubkey);
    if (held === undefined || event.created_at > held.created_at || (event.created_at === held.created_at && event.id < held.id)) newest.set(event.pubkey, event);
  }
  const lists = new Map<string, VerifiedRelayList>();
  for (const [pubkey, event] of newest) lists.set(pubkey, { ...parseRelayList(event), event });
  return { lists, refused };
}

/** Our own kind-10002 list: an `r` tag per relay, marked `read` or `write` unless it is both. */
export function buildRelayListTemplate(relays: ReadonlyArray<{ url: string; read: boolean; write: boolean }>, createdAt: number): UnsignedNostrEvent {
  const tags = relays
    .filter((relay) => relay.read || relay.write)
    .map((relay) => (relay.read && relay.write ? ['r', relay.url] : ['r', relay.url, relay.read ? 'read' : 'write']));
  if (tags.length === 0) throw new DeclsignError('invalid_input', 'No enabled relay is marked for reading or writing: the relay list would be empty.');
  return { kind: RELAY_LIST_KIND, created_at: createdAt, tags, content: '' };
}
