// NIP-11 relay information document: fetched over HTTP(S) with `Accept: application/nostr+json`.
// The document is untrusted input. A field of the wrong type is dropped (and reported in `ignoredFields`) rather
// than coerced: a limit we misread would make us skip a relay or send it events it is bound to refuse.

import { DeclsignError } from '../core/errors';
import { relayInfoHttpUrl } from './url';

export interface RelayLimitation {
  /** Bytes of the whole `["EVENT", …]` frame, UTF-8. */
  max_message_length?: number;
  /** Unicode characters (code points) of `content`. */
  max_content_length?: number;
  max_event_tags?: number;
  max_subscriptions?: number;
  max_limit?: number;
  min_pow_difficulty?: number;
  auth_required?: boolean;
  payment_required?: boolean;
  restricted_writes?: boolean;
  /** Seconds: events older than now − this are refused. */
  created_at_lower_limit?: number;
  /** Seconds: events newer than now + this are refused. */
  created_at_upper_limit?: number;
}

export interface RelayInfo {
  name?: string;
  description?: string;
  pubkey?: string;
  contact?: string;
  software?: string;
  version?: string;
  supported_nips?: number[];
  limitation: RelayLimitation;
  /** Fields present with a type we do not accept, e.g. `limitation.max_message_length`. */
  ignoredFields: string[];
}

export const MAX_RELAY_INFO_BYTES = 256 * 1024;

const STRING_FIELDS = ['name', 'description', 'pubkey', 'contact', 'software', 'version'] as const;
const COUNT_LIMITS = [
  'max_message_length',
  'max_content_length',
  'max_event_tags',
  'max_subscriptions',
  'max_limit',
  'min_pow_difficulty',
  'created_at_lower_limit',
  'created_at_upper_limit',
] as const;
const FLAG_LIMITS = ['auth_required', 'payment_required', 'restricted_writes'] as const;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Type-guards a parsed NIP-11 document. Throws `relay_error` only when it is not a JSON object at all. */
export function parseRelayInfo(document: unknown): RelayInfo {
  if (!isPlainObject(document)) throw new DeclsignError('relay_error', 'The relay information document is not a JSON object');
  const info: RelayInfo = { limitation: {}, ignoredFields: [] };

  for (const field of STRING_FIELDS) {
    const value = document[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') info[field] = value;
    else info.ignoredFields.push(field);
  }

  const nips = document.supported_nips;
  if (nips !== undefined && nips !== null) {
    if (Array.isArray(nips) && nips.every(isCount)) info.supported_nips = [...nips];
    else info.ignoredFields.push('supported_nips');
  }

  const limitation = document.limitation;
  if (limitation === undefined || limitation === null) return info;
  if (!isPlainObject(limitation)) {
    info.ignoredFields.push('limitation');
    return info;
  }
  for (const field of COUNT_LIMITS) {
    const value = limitation[field];
    if (value === undefined || value === null) continue;
    if (isCount(value)) info.limitation[field] = value;
    else info.ignoredFields.push(`limitation.${field}`);
  }
  for (const field of FLAG_LIMITS) {
    const value = limitation[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') info.limitation[field] = value;
    else info.ignoredFields.push(`limitation.${field}`);
  }
  return info;
}

export interface FetchRelayInfoOptions {
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

/** Fetches and parses a relay's NIP-11 document; every failure (deadline included) is a `relay_error`. */
export async function fetchRelayInfo(relayUrl: string, options: FetchRelayInfoOptions): Promise<RelayInfo> {
  const httpUrl = relayInfoHttpUrl(relayUrl);
  const fetchImpl = options.fetchImpl ?? fetch;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const response = await fetchImpl(httpUrl, {
      headers: { accept: 'application/nostr+json' },
      signal: abort.signal,
      redirect: 'follow',
    });
    if (!response.ok) throw relayError(relayUrl, `HTTP ${response.status}`);
    const text = await readCapped(response, MAX_RELAY_INFO_BYTES);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw relayError(relayUrl, 'the information document is not valid JSON');
    }
    return parseRelayInfo(document);
  } catch (error) {
    if (error instanceof DeclsignError) throw error;
    if (abort.signal.aborted) throw relayError(relayUrl, `no information document within ${options.timeoutMs} ms`);
    throw relayError(relayUrl, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DeclsignError('relay_error', `The relay information document is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function relayError(relayUrl: string, why: string): DeclsignError {
  return new DeclsignError('relay_error', `Could not read relay information from ${relayUrl}: ${why}`, { relay: relayUrl });
}
