// Bundles (export) and the reader for everything `verify` accepts: a bundle, one event, an array of events, or
// JSON Lines of either. Everything read here is fresh from JSON.parse — never an object a library has marked verified.

import { assertIJson } from '../canonical';
import { DeclsignError } from '../errors';
import { computeEventId, plainEvent, tagValues } from './nostr-event';
import { UUID_PATTERN, checkSchema, nostrEventSchema } from './schema';
import { DECLARATION_KIND, type DeclarationBundle, type DeclarationExport, type JsonValue, type NostrEvent } from './types';

export const BUNDLE_VERSION = 1;
/** Bigger inputs are refused before parsing. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Collects a declaration's events into a bundle: each must be a well-formed kind-31106 event for this UUID with a
 * correct id; duplicates collapse, and of several events in one (pubkey) slot only the one relays keep survives.
 */
export function buildBundle(args: { declarationUuid: string; events: readonly NostrEvent[]; declaration?: DeclarationExport }): DeclarationBundle {
  const uuid = args.declarationUuid;
  if (!UUID_PATTERN.test(uuid)) throw new DeclsignError('invalid_input', `not a lowercase UUID: ${JSON.stringify(uuid)}`);
  const newestBySlot = new Map<string, NostrEvent>();
  for (const candidate of args.events) {
    const event = plainEvent(candidate);
    const shape = checkSchema(nostrEventSchema, event, 'event');
    if (!shape.ok) throw new DeclsignError('invalid_input', shape.message);
    if (computeEventId(event) !== event.id) throw new DeclsignError('invalid_input', `event ${event.id} has a wrong id`);
    const d = tagValues(event.tags, 'd');
    if (event.kind !== DECLARATION_KIND || d.length !== 1 || d[0] !== uuid) {
      throw new DeclsignError('invalid_input', `event ${event.id} is not a kind-${DECLARATION_KIND} event of declaration ${uuid}`);
    }
    const held = newestBySlot.get(event.pubkey);
    if (held === undefined || replaces(event, held)) newestBySlot.set(event.pubkey, event);
  }
  const events = [...newestBySlot.values()].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  const bundle: DeclarationBundle = { declsign_bundle: BUNDLE_VERSION, declaration_uuid: uuid, events };
  if (args.declaration !== undefined) {
    assertIJson(args.declaration, 'declaration export');
    if (args.declaration.declaration_uuid !== uuid) throw new DeclsignError('invalid_input', 'the declaration export is for another UUID');
    bundle.declaration = args.declaration;
  }
  return bundle;
}

/** NIP-01 replacement within one addressable slot: newer created_at wins; on a tie the lower id is kept. */
export function replaces(candidate: NostrEvent, held: NostrEvent): boolean {
  return candidate.created_at > held.created_at || (candidate.created_at === held.created_at && candidate.id < held.id);
}

export interface VerifiableInput {
  /** Raw events, unchecked: verification judges each one. */
  events: unknown[];
  /** Format 4 objects from bundles: informational, never trusted. */
  declarations: JsonValue[];
  /** UUIDs named by bundles (unsigned hints: which declaration the input is about). */
  bundleUuids: string[];
}

/** Reads verify input; throws `invalid_bundle` with a precise message (line number for JSON Lines). */
export function parseVerifiableInput(text: string): VerifiableInput {
  const input: VerifiableInput = { events: [], declarations: [], bundleUuids: [] };
  forEachInputValue(text, (value, _valueText, where) => addTopLevel(input, value, where));
  return input;
}

/**
 * The top-level values of verify input, in order: the whole (trimmed) text if it is one JSON value, else each
 * non-blank line of JSON Lines — each handed over with its exact text and dropped before the next is parsed, so a
 * caller need never hold the parse tree of a whole file. Throws `invalid_bundle` as parseVerifiableInput does.
 */
export function forEachInputValue(text: string, onValue: (value: unknown, valueText: string, where: string) => void): void {
  if (typeof text !== 'string') throw new DeclsignError('invalid_bundle', 'input must be text');
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) throw new DeclsignError('invalid_bundle', `input exceeds ${MAX_INPUT_BYTES} bytes`);
  const trimmed = text.trim();
  if (trimmed === '') throw new DeclsignError('invalid_bundle', 'input is empty');
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (error) {
    wholeError = error as Error;
  }
  if (wholeError === undefined) {
    onValue(whole, trimmed, 'input');
    return;
  }
  const lines = trimmed.split('\n');
  if (lines.length < 2) throw new DeclsignError('invalid_bundle', `input is not JSON: ${wholeError.message}`);
  lines.forEach((line, index) => {
    const valueText = line.trim();
    if (valueText === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DeclsignError('invalid_bundle', `line ${index + 1} is not JSON: ${(error as Error).message}`, { line: index + 1 });
    }
    onValue(value, valueText, `line ${index + 1}`);
  });
}

/** Adds one top-level value (a bundle, an event or an array of events) to `input`; `where` names it in errors. */
export function addTopLevel(input: VerifiableInput, value: unknown, where: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new DeclsignError('invalid_bundle', `${where} is an empty array`);
    input.events.push(...value);
    return;
  }
  if (typeof value !== 'object' || value === null) throw new DeclsignError('invalid_bundle', `${where} is neither an event, an array of events nor a bundle`);
  if (!('declsign_bundle' in value)) {
    input.events.push(value);
    return;
  }
  const bundle = value as Record<string, unknown>;
  const unknownKeys = Object.keys(bundle).filter((key) => !['declsign_bundle', 'declaration_uuid', 'events', 'declaration'].includes(key));
  if (unknownKeys.length > 0) throw new DeclsignError('invalid_bundle', `${where}: unknown bundle field ${JSON.stringify(unknownKeys[0])}`);
  if (bundle.declsign_bundle !== BUNDLE_VERSION) {
    throw new DeclsignError('invalid_bundle', `${where}: unsupported bundle version ${JSON.stringify(bundle.declsign_bundle)} (expected ${BUNDLE_VERSION})`);
  }
  if (typeof bundle.declaration_uuid !== 'string' || !UUID_PATTERN.test(bundle.declaration_uuid)) {
    throw new DeclsignError('invalid_bundle', `${where}: declaration_uuid is not a lowercase UUID`);
  }
  if (!Array.isArray(bundle.events) || bundle.events.length === 0) throw new DeclsignError('invalid_bundle', `${where}: events must be a non-empty array`);
  input.bundleUuids.push(bundle.declaration_uuid);
  input.events.push(...bundle.events);
  if (bundle.declaration !== undefined) input.declarations.push(bundle.declaration as JsonValue);
}
