// Strict schemas for everything a declaration event carries. Untrusted content passes through here before any field is
// read; unknown fields are critical (a verifier that ignored them could be told one thing and show another) → rejected.

import { z } from 'zod';
import { hexToBytes, isLowerHex } from '../hex';
import { isValidPublicKey } from '../keys';
import { KEY_ALGORITHMS, type KeyAlgorithm } from '../keys/types';
import { isTimestamp } from './timestamp';
import {
  DECLARATION_TYPES,
  SCHEMA_VERSION,
  type DeclarationContent,
  type DetachedCountersignature,
  type JsonValue,
  type NostrCountersignaturePayload,
  type NostrEvent,
  type SignedData,
  type SignedDataWithSignature,
  type WrapperPayload,
} from './types';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Public key hex length (characters) per algorithm; RSA keys are DER SPKI of varying length (bounded). */
const PUBLIC_KEY_HEX_LENGTH: Record<string, number> = { nostr: 64, ed25519: 64, 'ml-dsa-65': 3904 };
const MAX_RSA_SPKI_BYTES = 2048;

/**
 * Lowercase hex of the right length for `algorithm`; with `parse`, also a key that parses (x-only point, Ed25519
 * point, RSA SPKI). Parsing costs ~0.15 ms, so verification binds bytes by shape only — a malformed signer key fails
 * its signature check anyway — while building and countersigning parse in full.
 */
export function isPublicKeyHexFor(algorithm: string, hex: unknown, options: { parse?: boolean } = {}): hex is string {
  if (!isLowerHex(hex) || hex.length === 0) return false;
  const lengthOk = algorithm === 'rsa' ? hex.length <= MAX_RSA_SPKI_BYTES * 2 : hex.length === PUBLIC_KEY_HEX_LENGTH[algorithm];
  if (!lengthOk) return false;
  return !options.parse || isValidPublicKey(algorithm as KeyAlgorithm, hexToBytes(hex));
}

const hex = (bytes?: number) =>
  z.string().refine((value) => isLowerHex(value, bytes) && value.length > 0, {
    message: bytes === undefined ? 'expected lowercase hex' : `expected ${bytes * 2} lowercase hex characters`,
  });
const boundedHex = z.string().max(32768).refine((value) => isLowerHex(value) && value.length > 0, { message: 'expected lowercase hex' });
const uuid = z.string().regex(UUID_PATTERN, 'expected a lowercase UUID (8-4-4-4-12 hex)');
const timestamp = z.string().refine(isTimestamp, { message: 'expected a YYYY-MM-DDTHH:MM:SSZ timestamp of a real date' });
const algorithm = z.enum(KEY_ALGORITHMS);
const declarationType = z.enum(DECLARATION_TYPES);
const nonEmpty = z.string().min(1).max(512);
const jsonObject = z.custom<{ [key: string]: JsonValue }>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'expected a JSON object' },
);

export const declarationContentSchema: z.ZodType<DeclarationContent> = z.strictObject({
  schema_version: z.literal(SCHEMA_VERSION),
  declaration_type: declarationType,
  content: jsonObject,
});

const signedDataShape = {
  schema_version: z.literal(SCHEMA_VERSION),
  declaration_uuid: uuid,
  declaration_type: declarationType,
  content: declarationContentSchema,
  content_hash_sha256: hex(32),
  content_version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  original_declaration_uuid: uuid.nullable(),
  signing_keypair_algorithm: algorithm,
  signing_keypair_canonical_name: nonEmpty,
  signing_keypair_fingerprint: hex(32),
  signing_keypair_public_key: boundedHex,
  target_keypair_uuid: uuid.nullable(),
  target_keypair_algorithm: algorithm,
  target_keypair_canonical_name: nonEmpty,
  target_keypair_fingerprint: hex(32),
  target_keypair_public_key: boundedHex,
  valid_from: timestamp,
  valid_until: timestamp.nullable(),
  signing_timestamp: timestamp,
};

export const signedDataSchema: z.ZodType<SignedData> = z.strictObject(signedDataShape);

export const nostrEventSchema: z.ZodType<NostrEvent> = z.strictObject({
  id: hex(32),
  pubkey: hex(32),
  // Seconds, never milliseconds: anything past 10^11 (year 5138) is a unit mistake, not a date.
  created_at: z.number().int().min(0).max(1e11),
  kind: z.number().int().min(0).max(65535),
  tags: z.array(z.array(z.string()).min(1)).max(2000),
  content: z.string(),
  sig: hex(64),
});

const signatureBlockSchema = z.strictObject({
  algorithm,
  canonical_name: nonEmpty,
  fingerprint: hex(32),
  signature_hash_algorithm: z.literal('SHA-256'),
  signature_hash_value: hex(32),
  digital_signature: boundedHex,
  signed_at: timestamp,
  nostr_event_id: hex(32).optional(),
});

export const signedDataWithSignatureSchema: z.ZodType<SignedDataWithSignature> = z.strictObject({
  ...signedDataShape,
  signature: signatureBlockSchema,
  nostr_event: nostrEventSchema.optional(),
});

export const detachedCountersignatureSchema: z.ZodType<DetachedCountersignature> = z.strictObject({
  algorithm: z.enum(['ed25519', 'rsa', 'ml-dsa-65']),
  canonical_name: nonEmpty,
  fingerprint: hex(32),
  public_key: boundedHex,
  signature_hash_algorithm: z.literal('SHA-256'),
  signature_hash_value: hex(32),
  digital_signature: boundedHex,
  signed_at: timestamp,
});

export const wrapperPayloadSchema: z.ZodType<WrapperPayload> = z.strictObject({
  signed_data: signedDataWithSignatureSchema,
  countersignatures: z.array(detachedCountersignatureSchema).max(256),
});

export const nostrCountersignaturePayloadSchema: z.ZodType<NostrCountersignaturePayload> = z.strictObject({
  schema_version: z.literal(SCHEMA_VERSION),
  countersignature: z.strictObject({
    declaration_uuid: uuid,
    declaration_type: declarationType,
    signed_data_sha256: hex(32),
    signing_keypair_fingerprint: hex(32),
  }),
});

// --- fast guards ---------------------------------------------------------------------------------------------------
// Hand-written equivalents of the schemas above for the hot path of bulk verification (zod costs several times more).
// A guard may only be stricter than its schema, never looser: `true` skips zod, `false` lets zod decide and explain.
// tests/core/declaration/schema-guards.test.ts holds each guard to its schema on a table of valid and invalid values.

type Guard = (value: unknown) => boolean;
type Fields = Record<string, Guard>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isHex = (bytes: number): Guard => (value) => isLowerHex(value, bytes);
const isBoundedHex: Guard = (value) => isString(value) && value.length > 0 && value.length <= 32768 && isLowerHex(value);
const isUuid: Guard = (value) => isString(value) && UUID_PATTERN.test(value);
const isTimestampText: Guard = (value) => isString(value) && isTimestamp(value);
const isOneOf = (options: readonly string[]): Guard => (value) => isString(value) && options.includes(value);
const isNonEmpty: Guard = (value) => isString(value) && value.length >= 1 && value.length <= 512;
const isIntegerIn = (min: number, max: number): Guard => (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
const nullable = (guard: Guard): Guard => (value) => value === null || guard(value);
const optional = (guard: Guard): Guard => (value) => value === undefined || guard(value);
const isAlgorithm = isOneOf(KEY_ALGORITHMS);
const isDeclarationType = isOneOf(DECLARATION_TYPES);
const isSchemaVersion: Guard = (value) => value === SCHEMA_VERSION;

/** A plain record with no field outside `fields` and every field passing its guard (absent reads as undefined). */
function strictRecord(fields: Fields): Guard {
  const names = Object.keys(fields);
  return (value) => {
    if (!isRecord(value)) return false;
    for (const key of Object.keys(value)) if (!Object.hasOwn(fields, key)) return false;
    for (const name of names) if (!fields[name]!(value[name])) return false;
    return true;
  };
}

function arrayOf(guard: Guard, min: number, max: number): Guard {
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return false;
    for (let i = 0; i < value.length; i++) if (!guard(value[i])) return false; // a hole reads as undefined: refused
    return true;
  };
}

const isDeclarationContent = strictRecord({ schema_version: isSchemaVersion, declaration_type: isDeclarationType, content: isRecord });
const signedDataFields: Fields = {
  schema_version: isSchemaVersion,
  declaration_uuid: isUuid,
  declaration_type: isDeclarationType,
  content: isDeclarationContent,
  content_hash_sha256: isHex(32),
  content_version: isIntegerIn(1, Number.MAX_SAFE_INTEGER),
  original_declaration_uuid: nullable(isUuid),
  signing_keypair_algorithm: isAlgorithm,
  signing_keypair_canonical_name: isNonEmpty,
  signing_keypair_fingerprint: isHex(32),
  signing_keypair_public_key: isBoundedHex,
  target_keypair_uuid: nullable(isUuid),
  target_keypair_algorithm: isAlgorithm,
  target_keypair_canonical_name: isNonEmpty,
  target_keypair_fingerprint: isHex(32),
  target_keypair_public_key: isBoundedHex,
  valid_from: isTimestampText,
  valid_until: nullable(isTimestampText),
  signing_timestamp: isTimestampText,
};
const isNostrEvent = strictRecord({
  id: isHex(32),
  pubkey: isHex(32),
  created_at: isIntegerIn(0, 1e11),
  kind: isIntegerIn(0, 65535),
  tags: arrayOf(arrayOf(isString, 1, Number.MAX_SAFE_INTEGER), 0, 2000),
  content: isString,
  sig: isHex(64),
});
const isSignedDataWithSignature = strictRecord({
  ...signedDataFields,
  signature: strictRecord({
    algorithm: isAlgorithm,
    canonical_name: isNonEmpty,
    fingerprint: isHex(32),
    signature_hash_algorithm: (value) => value === 'SHA-256',
    signature_hash_value: isHex(32),
    digital_signature: isBoundedHex,
    signed_at: isTimestampText,
    nostr_event_id: optional(isHex(32)),
  }),
  nostr_event: optional(isNostrEvent),
});
const isDetachedCountersignature = strictRecord({
  algorithm: isOneOf(['ed25519', 'rsa', 'ml-dsa-65']),
  canonical_name: isNonEmpty,
  fingerprint: isHex(32),
  public_key: isBoundedHex,
  signature_hash_algorithm: (value) => value === 'SHA-256',
  signature_hash_value: isHex(32),
  digital_signature: isBoundedHex,
  signed_at: isTimestampText,
});

/** Each schema's fast guard (exported for the agreement test). */
export const FAST_GUARDS = new Map<z.ZodType, Guard>([
  [declarationContentSchema, isDeclarationContent],
  [signedDataSchema, strictRecord(signedDataFields)],
  [nostrEventSchema, isNostrEvent],
  [signedDataWithSignatureSchema, isSignedDataWithSignature],
  [detachedCountersignatureSchema, isDetachedCountersignature],
  [wrapperPayloadSchema, strictRecord({ signed_data: isSignedDataWithSignature, countersignatures: arrayOf(isDetachedCountersignature, 0, 256) })],
  [
    nostrCountersignaturePayloadSchema,
    strictRecord({
      schema_version: isSchemaVersion,
      countersignature: strictRecord({
        declaration_uuid: isUuid,
        declaration_type: isDeclarationType,
        signed_data_sha256: isHex(32),
        signing_keypair_fingerprint: isHex(32),
      }),
    }),
  ],
]);

export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/** Runs a schema (its fast guard first) and turns the first issue into one plain sentence naming the field. */
export function checkSchema<T>(schema: z.ZodType<T>, value: unknown, what: string): SchemaCheck<T> {
  if (FAST_GUARDS.get(schema)?.(value) === true) return { ok: true, value: value as T };
  const result = schema.safeParse(value);
  // The checked input itself is returned (not zod's copy): later steps re-canonicalise exactly what arrived.
  if (result.success) return { ok: true, value: value as T };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, message: `${what} is malformed${path}: ${issue?.message ?? 'rejected'}` };
}
