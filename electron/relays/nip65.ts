// NIP-65 relay lists (kind 10002): where an admin writes (we publish there) and reads (we deliver to them there).

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
