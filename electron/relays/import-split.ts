// Import input → the exact text of every event in it. The store keeps events as the bytes received, never as a
// re-serialisation, so a bundle, an array or JSON Lines is cut into substrings rather than parsed and re-written.
// The verifier's reader (forEachInputValue + addTopLevel) validates each top-level value and yields its events in
// order as plain objects, which only serve to route each text to its declaration; the texts are what gets verified.

import { groupKeyOf } from '../core/import-verify';
import { addTopLevel, forEachInputValue, type VerifiableInput } from '../core/declaration/bundle';
import { DeclsignError } from '../core/errors';

export interface SplitEvent {
  /** Exact JSON text of the event as it appears in the input. */
  text: string;
  /** Its d tag (first `d` among string tags), untrusted: only which declaration to verify it with. */
  groupKey: string | null;
  /** The id it claims (untrusted): only to recognise an event already stored byte for byte. */
  claimedId: string | null;
}

/**
 * Every event of a bundle, an event, an array of events or JSON Lines of those; `invalid_bundle` as `verify` would.
 * Reads one top-level value (one line of JSON Lines) at a time: only the event texts outlive it, never its parse tree.
 */
export function splitImportText(text: string): SplitEvent[] {
  const out: SplitEvent[] = [];
  forEachInputValue(text, (value, valueText, where) => {
    const input: VerifiableInput = { events: [], declarations: [], bundleUuids: [] };
    addTopLevel(input, value, where); // validates the value exactly as the verifier's reader does
    const texts = topLevelEventTexts(value, valueText);
    if (texts.length !== input.events.length) {
      throw new DeclsignError('internal_error', `import: found ${texts.length} event texts but ${input.events.length} events in ${where}`);
    }
    texts.forEach((eventText, i) => out.push({ text: eventText, ...claimsOf(input.events[i]) }));
  });
  return out;
}

/** Routing claims of one event text (relay input); nulls when it is not JSON or lacks them. */
export function claimsOfText(eventText: string): { groupKey: string | null; claimedId: string | null } {
  try {
    return claimsOf(JSON.parse(eventText));
  } catch {
    return { groupKey: null, claimedId: null };
  }
}

function claimsOf(raw: unknown): { groupKey: string | null; claimedId: string | null } {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return { groupKey: groupKeyOf(raw), claimedId: typeof id === 'string' ? id.slice(0, 128) : null };
}

/**
 * One top-level value (already parsed and accepted by addTopLevel): an array of events, a bundle, or an event. Only an
 * array or a bundle is scanned for its elements; an event is the whole text (most of a JSON Lines file).
 */
function topLevelEventTexts(value: unknown, valueText: string): string[] {
  if (Array.isArray(value)) return elementTexts(valueText, 0);
  if (!('declsign_bundle' in (value as object))) return [valueText];
  const eventsAt = bundleEventsStart(valueText);
  if (eventsAt === undefined) throw new DeclsignError('internal_error', 'import: a bundle without an events member');
  return elementTexts(valueText, eventsAt);
}

/** Where the value of a bundle's `events` member starts (last member wins, as in JSON.parse). */
function bundleEventsStart(objectText: string): number | undefined {
  let eventsAt: number | undefined;
  let i = skipWhitespace(objectText, 1);
  while (i < objectText.length && objectText[i] !== '}') {
    const keyEnd = skipValue(objectText, i);
    const key = JSON.parse(objectText.slice(i, keyEnd)) as string;
    i = skipWhitespace(objectText, keyEnd);
    i = skipWhitespace(objectText, i + 1); // the colon
    if (key === 'events') eventsAt = i;
    i = skipWhitespace(objectText, skipValue(objectText, i));
    if (objectText[i] === ',') i = skipWhitespace(objectText, i + 1);
  }
  return eventsAt;
}

/** The texts of the elements of the array starting at `start`. */
function elementTexts(text: string, start: number): string[] {
  const out: string[] = [];
  let i = skipWhitespace(text, start + 1);
  while (i < text.length && text[i] !== ']') {
    const end = skipValue(text, i);
    out.push(text.slice(i, end));
    i = skipWhitespace(text, end);
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return out;
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i += 1;
  }
  return i;
}

/** Index just past the JSON value at `i` (valid JSON assumed: strings, nesting and scalars are skipped, not checked). */
function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (; i < text.length; i += 1) {
      const c = text[i];
      if (c === '"') i = skipString(text, i) - 1;
      else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
    }
    throw new DeclsignError('invalid_bundle', 'unbalanced JSON');
  }
  while (i < text.length && !',]}\n\r\t '.includes(text[i]!)) i += 1;
  return i;
}

function skipString(text: string, i: number): number {
  for (i += 1; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '"') return i + 1;
  }
  throw new DeclsignError('invalid_bundle', 'unterminated JSON string');
}
