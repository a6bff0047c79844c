// Relay URLs are identities: the outbox keys a publish status by URL and NIP-42 AUTH names the relay by URL,
// so `wss://Relay.Example.com:443/` and `wss://relay.example.com` must become one string.

import { DeclsignError } from '../core/errors';

/** Generous for any real relay URL, small enough to keep a pasted blob out of the store. */
export const MAX_RELAY_URL_LENGTH = 2048;

/**
 * Returns the canonical form of a relay URL or throws `invalid_relay_url`.
 * Rules: `ws://` or `wss://` only; a host is required; no user or password; scheme and host lowercase;
 * the scheme's default port dropped; fragment dropped (never sent); trailing slashes removed from the path,
 * so the root is written without one (`wss://relay.example.com`); the query is kept as given.
 */
export function normalizeRelayUrl(input: unknown): string {
  if (typeof input !== 'string') throw invalid('a relay URL must be a string', input);
  const text = input.trim();
  if (text.length === 0) throw invalid('the relay URL is empty', input);
  if (text.length > MAX_RELAY_URL_LENGTH) throw invalid(`the relay URL is longer than ${MAX_RELAY_URL_LENGTH} characters`, input);
  if (/\s/.test(text)) throw invalid('the relay URL contains whitespace', input);

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('not a URL', input);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw invalid(`scheme must be ws:// or wss://, got ${url.protocol}//`, input);
  }
  // WHATWG parsing accepts `ws:relay.example.com` and `ws:/relay`; insist on the written `//` authority form.
  if (!/^wss?:\/\//i.test(text)) throw invalid('expected ws://host or wss://host', input);
  if (url.hostname === '') throw invalid('the relay URL has no host', input);
  if (url.username !== '' || url.password !== '') throw invalid('credentials in a relay URL are not allowed', input);

  // URL already lowercases scheme and host, punycodes IDNs and drops ports 80 (ws) / 443 (wss).
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

export function isValidRelayUrl(input: unknown): boolean {
  try {
    normalizeRelayUrl(input);
    return true;
  } catch {
    return false;
  }
}

/** Normalises, keeps the first occurrence of each relay, and rejects the list on the first invalid URL. */
export function normalizeRelayUrls(inputs: readonly unknown[]): string[] {
  return [...new Set(inputs.map(normalizeRelayUrl))];
}

/** The NIP-11 document lives at the same address over HTTP(S). */
export function relayInfoHttpUrl(relayUrl: string): string {
  const normalized = normalizeRelayUrl(relayUrl);
  return normalized.replace(/^ws/, 'http');
}

function invalid(why: string, input: unknown): DeclsignError {
  const shown = typeof input === 'string' ? input.slice(0, 200) : typeof input;
  return new DeclsignError('invalid_relay_url', `Invalid relay URL ${JSON.stringify(shown)}: ${why}`, { url: shown });
}
