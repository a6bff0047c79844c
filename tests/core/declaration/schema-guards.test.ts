// The fast guards in schema.ts skip zod on the hot path of bulk verification. A guard that accepted what its schema
// refuses would let malformed input through, so every guard is held to its schema here: on valid payloads built by the
// real signing API, and on each of them broken field by field (wrong type, missing, extra, bad hex, bad timestamp,
// out-of-range numbers, holes, nested extras). They must agree exactly — the guard may never say yes where zod says no.

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  FAST_GUARDS,
  declarationContentSchema,
  detachedCountersignatureSchema,
  nostrCountersignaturePayloadSchema,
  nostrEventSchema,
  signedDataSchema,
  signedDataWithSignatureSchema,
  wrapperPayloadSchema,
} from '../../../electron/core/declaration/schema';
import { signedDataOf } from '../../../electron/core/declaration';
import { ed25519WrappedBundle, nostrSignedBundle } from './helpers';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value));

/** Replacement values that break a field of whatever type it holds. */
const BREAKERS: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  '',
  'x',
  'ABCDEF',
  'a'.repeat(513),
  '2025-02-30T00:00:00Z',
  '2025-01-01T00:00:00.000Z',
  'AbCd'.repeat(16),
  'ab'.repeat(31),
  [],
  [[]],
  [['d']],
  [[1]],
  {},
  { extra: 1 },
];

/** Every path to a field in `value` (objects and arrays, recursively). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Json)[key], [...prefix, key])]);
}

function withField(value: unknown, path: (string | number)[], replacement: unknown, remove = false): Json {
  const copy = clone(value);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** The valid value itself, and many broken variants of it. */
function variants(valid: unknown): unknown[] {
  const out: unknown[] = [valid, null, [], 'text', 7, { ...(valid as object), unexpected: true }];
  for (const path of paths(valid)) {
    out.push(withField(valid, path, undefined, true));
    for (const breaker of BREAKERS) out.push(withField(valid, path, breaker));
  }
  const sparse = clone(valid);
  if (Array.isArray(sparse.tags)) {
    sparse.tags = [sparse.tags[0], , sparse.tags[1]]; // eslint-disable-line no-sparse-arrays
    out.push(sparse);
  }
  return out;
}

function expectAgreement(schema: z.ZodType, valid: unknown) {
  const guard = FAST_GUARDS.get(schema)!;
  expect(guard).toBeTypeOf('function');
  expect(guard(valid)).toBe(true); // the fast path is taken for real payloads
  let checked = 0;
  for (const value of variants(valid)) {
    const zodSays = schema.safeParse(value).success;
    if (guard(value) !== zodSays) throw new Error(`guard says ${!zodSays}, zod says ${zodSays} for ${JSON.stringify(value)?.slice(0, 400)}`);
    checked += 1;
  }
  expect(checked).toBeGreaterThan(50);
}

describe('fast schema guards agree with their zod schemas', () => {
  const nostr = nostrSignedBundle();
  const wrapped = ed25519WrappedBundle();
  const wrapperEvent = wrapped.bundle.events.find((e) => e.content.startsWith('{"countersignatures"'))!;
  const wrapperPayload = JSON.parse(wrapperEvent.content);
  const nostrCountersignature = JSON.parse(nostr.countersignature.content);

  it('covers every schema the verifier runs', () => {
    expect([...FAST_GUARDS.keys()]).toEqual(
      expect.arrayContaining([
        declarationContentSchema,
        signedDataSchema,
        nostrEventSchema,
        signedDataWithSignatureSchema,
        detachedCountersignatureSchema,
        wrapperPayloadSchema,
        nostrCountersignaturePayloadSchema,
      ]),
    );
  });
  it('Format 1', () => expectAgreement(declarationContentSchema, nostr.signedData.content));
  it('Format 2', () => expectAgreement(signedDataSchema, nostr.signedData));
  it('Format 2 of an Ed25519 signer', () => expectAgreement(signedDataSchema, signedDataOf(wrapped.format3)));
  it('a Nostr event', () => expectAgreement(nostrEventSchema, nostr.format3.nostr_event));
  it('Format 3 with its primary event', () => expectAgreement(signedDataWithSignatureSchema, nostr.format3));
  it('Format 3 with an inner Ed25519 signature', () => expectAgreement(signedDataWithSignatureSchema, wrapped.format3));
  it('a detached countersignature', () => expectAgreement(detachedCountersignatureSchema, wrapperPayload.countersignatures[0]));
  it('a wrapper payload', () => expectAgreement(wrapperPayloadSchema, wrapperPayload));
  it('a Nostr countersignature payload', () => expectAgreement(nostrCountersignaturePayloadSchema, nostrCountersignature));
});
