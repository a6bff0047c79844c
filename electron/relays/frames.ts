// Parsing of relay → client frames. Everything a relay sends is untrusted: a frame that is not exactly one of the
// NIP-01/NIP-42 shapes is reported as `ignored` so the connection can count it and carry on.

export type RelayFrame =
  | { type: 'OK'; eventId: string; accepted: boolean; message: string }
  | { type: 'EVENT'; subscriptionId: string; eventText: string }
  | { type: 'EOSE'; subscriptionId: string }
  | { type: 'CLOSED'; subscriptionId: string; message: string }
  | { type: 'NOTICE'; message: string }
  | { type: 'AUTH'; challenge: string }
  | { type: 'ignored'; why: string };

export function parseRelayFrame(text: string): RelayFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { type: 'ignored', why: 'not JSON' };
  }
  if (!Array.isArray(frame) || typeof frame[0] !== 'string') return { type: 'ignored', why: 'not a [verb, …] array' };
  const [verb, a, b, c] = frame as unknown[];
  switch (verb) {
    case 'OK':
      // NIP-01 says the message MUST be present; some relays omit it on success, which costs nothing to accept.
      if (typeof a === 'string' && typeof b === 'boolean' && (typeof c === 'string' || (c === undefined && frame.length === 3))) {
        return { type: 'OK', eventId: a, accepted: b, message: c ?? '' };
      }
      return { type: 'ignored', why: 'malformed OK' };
    case 'EVENT': {
      if (frame.length !== 3 || typeof a !== 'string' || typeof b !== 'object' || b === null || Array.isArray(b)) {
        return { type: 'ignored', why: 'malformed EVENT' };
      }
      const eventText = thirdElementText(text);
      return eventText === null ? { type: 'ignored', why: 'malformed EVENT' } : { type: 'EVENT', subscriptionId: a, eventText };
    }
    case 'EOSE':
      return typeof a === 'string' ? { type: 'EOSE', subscriptionId: a } : { type: 'ignored', why: 'malformed EOSE' };
    case 'CLOSED':
      return typeof a === 'string' && (typeof b === 'string' || b === undefined)
        ? { type: 'CLOSED', subscriptionId: a, message: b ?? '' }
        : { type: 'ignored', why: 'malformed CLOSED' };
    case 'NOTICE':
      return typeof a === 'string' ? { type: 'NOTICE', message: a } : { type: 'ignored', why: 'malformed NOTICE' };
    case 'AUTH':
      return typeof a === 'string' ? { type: 'AUTH', challenge: a } : { type: 'ignored', why: 'malformed AUTH' };
    default:
      return { type: 'ignored', why: `unknown verb ${JSON.stringify(verb).slice(0, 40)}` };
  }
}

/**
 * The exact text of the third element of a frame already known to be a valid 3-element JSON array whose first two
 * elements are strings. The importer hashes and verifies what the relay sent, so we hand it the relay's own bytes
 * rather than a re-serialisation.
 */
function thirdElementText(text: string): string | null {
  let i = skipWhitespace(text, 0);
  if (text[i] !== '[') return null;
  for (let element = 0; element < 2; element += 1) {
    i = skipString(text, skipWhitespace(text, i + 1));
    if (i < 0) return null;
    i = skipWhitespace(text, i);
    if (text[i] !== ',') return null;
  }
  const end = text.lastIndexOf(']');
  return end > i ? text.slice(i + 1, end).trim() : null;
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  return i;
}

/** Index just past the JSON string starting at `i`, or -1. */
function skipString(text: string, i: number): number {
  if (text[i] !== '"') return -1;
  for (i += 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}
