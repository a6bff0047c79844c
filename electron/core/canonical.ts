// Canonical JSON (RFC 8785, JCS) and SHA-256: the only way any byte that is hashed or signed is produced.
// `canonicalize` implements the serialisation; we first insist the value is I-JSON (RFC 7493) so that what we sign
// re-parses, in any conforming implementation, to exactly the value we meant — and re-canonicalises to the same bytes.

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
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
export function canonicalJson(value: unknown, where = 'value'): string {
  assertIJson(value, where);
  const text = canonicalize(value);
  if (text === undefined) throw invalid(`${where} has no JSON representation`);
  return text;
}

/**
 * Parses text that must already be canonical JSON, and proves it: the parsed value re-canonicalises to exactly `text`.
 * JCS is idempotent on its own output, so any other text (whitespace, key order, duplicate keys, escapes, number
 * spelling) is refused — this is what lets a verifier check signatures over bytes it never re-serialises itself.
 */
export function parseCanonicalJson(text: string, where = 'document'): JsonValue {
  if (text.length > MAX_CANONICAL_BYTES) throw new DeclsignError('content_too_large', `${where} exceeds ${MAX_CANONICAL_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DeclsignError('invalid_json', `${where} is not JSON: ${(error as Error).message}`);
  }
  if (canonicalJson(parsed, where) !== text) throw new DeclsignError('invalid_json', `${where} is not in RFC 8785 canonical form`);
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
