// Canonical JSON (RFC 8785, JCS) and SHA-256: the only way any byte that is hashed or signed is produced.
// We insist the value is I-JSON (RFC 7493) so that what we sign re-parses, in any conforming implementation, to exactly
// the value we meant — and re-canonicalises to the same bytes.
//
// The serialiser is our own (tests/core/canonical.test.ts holds it to the `canonicalize` package and the RFC's
// examples): for I-JSON, JCS is ECMAScript's JSON.stringify of every string and number with object keys sorted by
// UTF-16 code units, so one walk can check and serialise at once. Owning it lets a verifier reuse the text of a
// sub-object it has already serialised (CanonicalMemo): one verification otherwise serialises the same content,
// Format 2 and Format 3 eight to ten times.

import { createHash } from 'node:crypto';
import { DeclsignError } from './errors';
import type { JsonValue } from './declaration/types';

/** Nesting deeper than this is refused: no declaration needs it and deep recursion is a denial-of-service lever. */
export const MAX_JSON_DEPTH = 64;
/** Upper bound on any canonical document we produce or accept (a wrapper with many ML-DSA countersignatures stays far below). */
export const MAX_CANONICAL_BYTES = 1024 * 1024;

/** Throws `invalid_input` unless `value` is I-JSON within our bounds; `where` names the value in the message. */
export function assertIJson(value: unknown, where = 'value'): asserts value is JsonValue {
  let budget = MAX_CANONICAL_BYTES;
  const spend = (n: number, path: string) => {
    budget -= n;
    if (budget < 0) throw new DeclsignError('content_too_large', `${where} exceeds ${MAX_CANONICAL_BYTES} bytes (at ${path})`);
  };
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > MAX_JSON_DEPTH) throw invalid(`${where} nests deeper than ${MAX_JSON_DEPTH} levels at ${path}`);
    if (node === null || typeof node === 'boolean') return spend(5, path);
    if (typeof node === 'string') {
      if (hasLoneSurrogate(node)) throw invalid(`${where} holds a string with a lone surrogate at ${path}`);
      return spend(node.length + 2, path);
    }
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw invalid(`${where} holds a non-finite number at ${path}`);
      if (Number.isInteger(node) && !Number.isSafeInteger(node)) {
        throw invalid(`${where} holds an integer beyond ±2^53 at ${path} (not exactly representable in I-JSON)`);
      }
      return spend(24, path);
    }
    if (Array.isArray(node)) {
      spend(2, path);
      for (let i = 0; i < node.length; i++) {
        if (!(i in node)) throw invalid(`${where} holds a sparse array at ${path}`);
        walk(node[i], `${path}[${i}]`, depth + 1);
      }
      return;
    }
    if (typeof node === 'object') {
      const proto = Object.getPrototypeOf(node);
      if (proto !== Object.prototype && proto !== null) throw invalid(`${where} holds a non-plain object at ${path}`);
      spend(2, path);
      for (const key of Object.keys(node)) {
        if (hasLoneSurrogate(key)) throw invalid(`${where} holds a key with a lone surrogate at ${path}`);
        spend(key.length + 3, path);
        walk((node as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
      }
      if (Object.getOwnPropertySymbols(node).length > 0) throw invalid(`${where} holds symbol-keyed properties at ${path}`);
      return;
    }
    throw invalid(`${where} holds a ${typeof node} at ${path}, which JSON cannot represent`);
  };
  walk(value, '$', 0);
}

/** RFC 8785 canonical JSON of an I-JSON value. Throws `invalid_input` / `content_too_large` otherwise. */
export function canonicalJson(value: unknown, where = 'value', memo?: CanonicalMemo): string {
  const state: WalkState = { cost: 0, memo };
  const text = serialize(value, 0, state);
  if (text !== undefined && state.cost <= MAX_CANONICAL_BYTES) return text;
  // Not I-JSON (or too large): the path-tracking walk names the first problem, exactly as it always has.
  assertIJson(value, where);
  throw new DeclsignError('internal_error', `${where}: the canonical serialiser refused a value the I-JSON check accepts`);
}

/**
 * Canonical texts of objects and arrays already serialised during one verification, by identity — so the content
 * inside Format 2 inside Format 3 inside a wrapper is serialised once, and Format 2 / Format 3 rebuilt around it
 * only cost their own top-level fields. Sound only while those objects are not mutated: make one per verification,
 * over objects fresh from JSON.parse, and drop it afterwards.
 */
export class CanonicalMemo {
  readonly #entries = new WeakMap<object, MemoEntry>();

  get(node: object): MemoEntry | undefined {
    return this.#entries.get(node);
  }

  set(node: object, entry: MemoEntry): void {
    this.#entries.set(node, entry);
  }
}

/**
 * Only nodes this close to the root of a serialisation are remembered: enough for the nesting verification reuses
 * (wrapper → Format 3 → content) while the memo holds at most MEMO_DEPTH + 1 copies of any input — remembering every
 * level of a deeply nested document would hold one copy per level.
 */
const MEMO_DEPTH = 2;

interface MemoEntry {
  text: string;
  /** What assertIJson's budget charges for this subtree. */
  cost: number;
  /** Levels below this node (0 for an empty container), for the depth limit wherever the subtree is reused. */
  height: number;
}

interface WalkState {
  cost: number;
  memo: CanonicalMemo | undefined;
  /** Height of the node serialize() returned last. */
  height?: number;
}

/**
 * One walk: the same conditions (and the same budget charges) as assertIJson, and the JCS text; undefined on any
 * problem, which canonicalJson then lets assertIJson explain.
 */
function serialize(node: unknown, depth: number, state: WalkState): string | undefined {
  state.height = 0;
  if (depth > MAX_JSON_DEPTH) return undefined;
  if (node === null) {
    state.cost += 5;
    return 'null';
  }
  switch (typeof node) {
    case 'boolean':
      state.cost += 5;
      return node ? 'true' : 'false';
    case 'string':
      if (hasLoneSurrogate(node)) return undefined;
      state.cost += node.length + 2;
      return JSON.stringify(node);
    case 'number':
      if (!Number.isFinite(node) || (Number.isInteger(node) && !Number.isSafeInteger(node))) return undefined;
      state.cost += 24;
      return JSON.stringify(node); // ECMAScript number serialisation is exactly RFC 8785's
    case 'object':
      break;
    default:
      return undefined;
  }
  const known = state.memo?.get(node);
  if (known !== undefined) {
    if (depth + known.height > MAX_JSON_DEPTH) return undefined;
    state.cost += known.cost;
    state.height = known.height;
    return known.text;
  }
  const costBefore = state.cost;
  let height = 0;
  let text: string;
  if (Array.isArray(node)) {
    state.cost += 2;
    const parts: string[] = new Array(node.length);
    for (let i = 0; i < node.length; i++) {
      if (!(i in node)) return undefined;
      const part = serialize(node[i], depth + 1, state);
      if (part === undefined) return undefined;
      parts[i] = part;
      if (state.height! + 1 > height) height = state.height! + 1;
    }
    text = `[${parts.join(',')}]`;
  } else {
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) return undefined;
    if (Object.getOwnPropertySymbols(node).length > 0) return undefined;
    state.cost += 2;
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    for (const key of keys) {
      if (hasLoneSurrogate(key)) return undefined;
      state.cost += key.length + 3;
    }
    keys.sort(); // UTF-16 code unit order, as RFC 8785 requires
    const parts: string[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const part = serialize(record[key], depth + 1, state);
      if (part === undefined) return undefined;
      parts[i] = `${JSON.stringify(key)}:${part}`;
      if (state.height! + 1 > height) height = state.height! + 1;
    }
    text = `{${parts.join(',')}}`;
  }
  state.height = height;
  if (depth <= MEMO_DEPTH) state.memo?.set(node, { text, cost: state.cost - costBefore, height });
  return text;
}

/**
 * Parses text that must already be canonical JSON, and proves it: the parsed value re-canonicalises to exactly `text`.
 * JCS is idempotent on its own output, so any other text (whitespace, key order, duplicate keys, escapes, number
 * spelling) is refused — this is what lets a verifier check signatures over bytes it never re-serialises itself.
 */
export function parseCanonicalJson(text: string, where = 'document', memo?: CanonicalMemo): JsonValue {
  if (text.length > MAX_CANONICAL_BYTES) throw new DeclsignError('content_too_large', `${where} exceeds ${MAX_CANONICAL_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DeclsignError('invalid_json', `${where} is not JSON: ${(error as Error).message}`);
  }
  if (canonicalJson(parsed, where, memo) !== text) throw new DeclsignError('invalid_json', `${where} is not in RFC 8785 canonical form`);
  return parsed as JsonValue;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sha256Bytes(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function canonicalSha256Hex(value: unknown, where?: string): string {
  return sha256Hex(canonicalJson(value, where));
}

function hasLoneSurrogate(text: string): boolean {
  // String.prototype.isWellFormed (ES2024) is in Node 20 but not in our ES2023 TypeScript lib.
  return !(text as string & { isWellFormed(): boolean }).isWellFormed();
}

function invalid(message: string): DeclsignError {
  return new DeclsignError('invalid_input', message);
}
