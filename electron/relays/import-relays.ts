// Fetching kind-31106 events from relays for import: one REQ per relay, in parallel, raw texts kept as sent.
// Authors are given as npub or hex; everything else about the filter is checked before anything goes on the wire.

import { decode as nip19Decode } from 'nostr-tools/nip19';
import { DECLARATION_KIND } from '../core/declaration';
import { UUID_PATTERN } from '../core/declaration/schema';
import { DeclsignError } from '../core/errors';
import { isLowerHex } from '../core/hex';
import type { ImportItem } from './import';
import { RelayReader, type Filter, type QueryEnd, type ReadAuth } from './query';
import { normalizeRelayUrls } from './url';

export interface RelayImportQuery {
  relays: readonly string[];
  /** Hex or npub; none = any author. */
  authors?: readonly string[];
  /** One declaration UUID (`#d`). */
  d?: string;
  /** Unix seconds. */
  since?: number;
  /** Per relay; default 10,000. */
  limit?: number;
}

export interface RelayFetchOutcome {
  relay: string;
  end: QueryEnd;
  reason: string;
  events: number;
  /** Hex pubkey our NIP-42 AUTH was accepted for; present only when the relay asked and we authenticated. */
  authenticated_as?: string;
}

export interface FetchOptions {
  /** Per REQ (each page). Default 20 s. */
  deadlineMs?: number;
  /** How to answer a relay that asks for NIP-42 AUTH (the key chosen for it); none = its reason is reported. */
  authFor?: (relay: string) => ReadAuth | undefined;
}

export const DEFAULT_RELAY_IMPORT_LIMIT = 10_000;

/** A Nostr public key as 64 lowercase hex, from hex (any case) or an npub; `invalid_input` otherwise. */
export function authorHex(author: string): string {
  const text = author.trim();
  if (text.startsWith('npub1')) {
    try {
      const decoded = nip19Decode(text);
      if (decoded.type === 'npub') return decoded.data;
    } catch {
      // fall through to the precise error below
    }
    throw new DeclsignError('invalid_input', `not a valid npub: ${text.slice(0, 80)}`);
  }
  const lower = text.toLowerCase();
  if (!isLowerHex(lower, 32)) throw new DeclsignError('invalid_input', `an author is an npub or 64 hex characters, got ${JSON.stringify(text.slice(0, 80))}`);
  return lower;
}

/** The REQ filter for an import query. */
export function importFilter(query: Omit<RelayImportQuery, 'relays'>): Filter {
  const filter: Filter = { kinds: [DECLARATION_KIND] };
  if (query.authors !== undefined && query.authors.length > 0) filter.authors = [...new Set(query.authors.map(authorHex))];
  if (query.d !== undefined) {
    if (!UUID_PATTERN.test(query.d)) throw new DeclsignError('invalid_input', `d must be a lowercase UUID, got ${JSON.stringify(query.d.slice(0, 80))}`);
    filter['#d'] = [query.d];
  }
  if (query.since !== undefined) {
    if (!Number.isSafeInteger(query.since) || query.since < 0) throw new DeclsignError('invalid_input', `since must be unix seconds, got ${query.since}`);
    filter.since = query.since;
  }
  const limit = query.limit ?? DEFAULT_RELAY_IMPORT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new DeclsignError('invalid_input', `limit must be a positive integer, got ${limit}`);
  filter.limit = limit;
  return filter;
}

/** Requests per relay at most: a relay that keeps answering with new events is still stopped somewhere. */
const MAX_PAGES = 1000;

/**
 * Queries every relay at once; a relay that fails is reported, never fatal. Relays cap how many events one REQ
 * returns, so each relay is paged backwards with `until` (inclusive: the boundary second is asked again and repeats
 * are dropped) until a page brings nothing new, the limit is reached, or the relay stops answering with EOSE.
 */
export async function fetchFromRelays(query: RelayImportQuery, options: FetchOptions = {}): Promise<{ items: ImportItem[]; relays: RelayFetchOutcome[] }> {
  const relays = normalizeRelayUrls(query.relays);
  if (relays.length === 0) throw new DeclsignError('invalid_input', 'No relay to import from: name one, or enable a read relay.');
  const filter = importFilter(query);
  const limit = filter.limit as number;
  const perRelay = await Promise.all(relays.map((relay) => fetchAll(relay, filter, limit, options.deadlineMs ?? 20_000, options.authFor?.(relay))));
  return { items: perRelay.flatMap((r) => r.items), relays: perRelay.map((r) => r.outcome) };
}

async function fetchAll(
  relay: string,
  filter: Filter,
  limit: number,
  deadlineMs: number,
  auth: ReadAuth | undefined,
): Promise<{ items: ImportItem[]; outcome: RelayFetchOutcome }> {
  const seen = new Set<string>();
  const items: ImportItem[] = [];
  const outcome: RelayFetchOutcome = { relay, end: 'eose', reason: '', events: 0 };
  let until: number | undefined;
  // One connection for every page: one handshake, and at most one NIP-42 AUTH.
  const reader = new RelayReader(relay, auth ? { auth } : {});
  try {
    for (let page = 0; page < MAX_PAGES && items.length < limit; page++) {
      const pageFilter = until === undefined ? filter : { ...filter, until };
      const answer = await reader.query([pageFilter], { deadlineMs, maxEvents: limit - items.length });
      outcome.end = answer.end;
      outcome.reason = answer.reason;
      if (answer.authenticatedAs !== null) outcome.authenticated_as ??= answer.authenticatedAs;
      let fresh = 0;
      let oldest = Number.POSITIVE_INFINITY;
      for (const text of answer.eventTexts) {
        if (seen.has(text)) continue;
        seen.add(text);
        fresh += 1;
        items.push({ text, source: `relay:${relay}`, relay });
        const createdAt = createdAtOf(text);
        if (createdAt !== undefined) oldest = Math.min(oldest, createdAt);
      }
      if ((answer.end !== 'eose' && answer.end !== 'max-events') || fresh === 0 || !Number.isFinite(oldest)) break;
      until = oldest;
    }
  } finally {
    reader.close();
  }
  outcome.events = items.length;
  return { items, outcome };
}

/** The created_at an event text claims (untrusted: it only steers paging). */
function createdAtOf(text: string): number | undefined {
  try {
    const value = (JSON.parse(text) as { created_at?: unknown } | null)?.created_at;
    return Number.isSafeInteger(value) ? (value as number) : undefined;
  } catch {
    return undefined;
  }
}
