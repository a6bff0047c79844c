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

export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/** Runs a schema and turns the first issue into one plain sentence naming the field. */
export function checkSchema<T>(schema: z.ZodType<T>, value: unknown, what: string): SchemaCheck<T> {
  const result = schema.safeParse(value);
  // The checked input itself is returned (not zod's copy): later steps re-canonicalise exactly what arrived.
  if (result.success) return { ok: true, value: value as T };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, message: `${what} is malformed${path}: ${issue?.message ?? 'rejected'}` };
}
