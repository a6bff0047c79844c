// Formats 1 and 2: building the content and the signed data from caller input, with every derived field
// (hashes, fingerprints, canonical names) computed here rather than trusted from the caller.

import { canonicalJson, sha256Hex, type CanonicalMemo } from '../canonical';
import { DeclsignError } from '../errors';
import { hexToBytes } from '../hex';
import { identityFromPublicKey } from '../keys/identity';
import type { KeyAlgorithm } from '../keys/types';
import { UUID_PATTERN, checkSchema, declarationContentSchema, isPublicKeyHexFor } from './schema';
import { parseTimestamp } from './timestamp';
import { SCHEMA_VERSION, type DeclarationContent, type DeclarationType, type JsonValue, type SignedData } from './types';

/** Canonical Format 1 bigger than this is refused: relays cap event size and a declaration is a statement, not a file. */
export const MAX_CONTENT_BYTES = 64 * 1024;

/** Format 1. Throws `invalid_input` for a bad type or non-I-JSON content, `content_too_large` past the limit. */
export function buildContent(declarationType: DeclarationType, content: { [key: string]: JsonValue }): DeclarationContent {
  const format1: DeclarationContent = { schema_version: SCHEMA_VERSION, declaration_type: declarationType, content };
  assertContent(format1);
  return format1;
}

/** `content_hash_sha256`: SHA-256 of JCS(Format 1). */
export function contentHash(format1: DeclarationContent, memo?: CanonicalMemo): string {
  return sha256Hex(canonicalJson(format1, 'content', memo));
}

/** SHA-256 of JCS(Format 2): `signature_hash_value`, and (as raw bytes) the message of non-Nostr signatures. */
export function signedDataHash(signedData: SignedData, memo?: CanonicalMemo): string {
  return sha256Hex(canonicalJson(signedData, 'signed data', memo));
}

export interface KeyReference {
  algorithm: KeyAlgorithm;
  /** Lowercase hex of the public key bytes (layouts in keys/types.ts). */
  publicKeyHex: string;
}

export interface SignedDataInput {
  declarationUuid: string;
  content: DeclarationContent;
  /** 1 for a first version; updates count up. */
  contentVersion?: number;
  originalDeclarationUuid?: string | null;
  signer: KeyReference;
  target: KeyReference & { keypairUuid?: string | null };
  validFrom: string;
  /** null = no end. */
  validUntil: string | null;
  signingTimestamp: string;
}

/** Format 2. Fingerprints and canonical names are recomputed from the public keys; nothing derived is taken on trust. */
export function buildSignedData(input: SignedDataInput): SignedData {
  const uuid = expectUuid(input.declarationUuid, 'declarationUuid');
  const original = input.originalDeclarationUuid == null ? null : expectUuid(input.originalDeclarationUuid, 'originalDeclarationUuid');
  const targetUuid = input.target.keypairUuid == null ? null : expectUuid(input.target.keypairUuid, 'target.keypairUuid');
  const contentVersion = input.contentVersion ?? 1;
  if (!Number.isSafeInteger(contentVersion) || contentVersion < 1) {
    throw new DeclsignError('invalid_input', `contentVersion must be a whole number ≥ 1, got ${contentVersion}`);
  }
  assertContent(input.content);
  const signer = identityOf(input.signer, 'signer');
  const target = identityOf(input.target, 'target');
  assertValidity(input.validFrom, input.validUntil, input.signingTimestamp);

  return {
    schema_version: SCHEMA_VERSION,
    declaration_uuid: uuid,
    declaration_type: input.content.declaration_type,
    content: input.content,
    content_hash_sha256: contentHash(input.content),
    content_version: contentVersion,
    original_declaration_uuid: original,
    signing_keypair_algorithm: signer.algorithm,
    signing_keypair_canonical_name: signer.canonicalName,
    signing_keypair_fingerprint: signer.fingerprint,
    signing_keypair_public_key: signer.publicKeyHex,
    target_keypair_uuid: targetUuid,
    target_keypair_algorithm: target.algorithm,
    target_keypair_canonical_name: target.canonicalName,
    target_keypair_fingerprint: target.fingerprint,
    target_keypair_public_key: target.publicKeyHex,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
    signing_timestamp: input.signingTimestamp,
  };
}

/**
 * The validity rules a verifier enforces (check `timestamps`), applied at build time so we never sign what would be
 * refused: strict timestamps, `valid_from < valid_until`, and `valid_from ≤ signing_timestamp ≤ valid_until`.
 */
export function validityProblem(validFrom: unknown, validUntil: unknown, signingTimestamp: unknown): string | undefined {
  const from = parseTimestamp(validFrom);
  const until = validUntil === null ? null : parseTimestamp(validUntil);
  const signedAt = parseTimestamp(signingTimestamp);
  if (from === undefined) return `valid_from is not a YYYY-MM-DDTHH:MM:SSZ timestamp: ${JSON.stringify(validFrom)}`;
  if (until === undefined) return `valid_until is neither null nor a YYYY-MM-DDTHH:MM:SSZ timestamp: ${JSON.stringify(validUntil)}`;
  if (signedAt === undefined) return `signing_timestamp is not a YYYY-MM-DDTHH:MM:SSZ timestamp: ${JSON.stringify(signingTimestamp)}`;
  if (until !== null && until <= from) return `valid_until (${validUntil}) must be later than valid_from (${validFrom})`;
  if (signedAt < from) return `signing_timestamp (${signingTimestamp}) is before valid_from (${validFrom})`;
  if (until !== null && signedAt > until) return `signing_timestamp (${signingTimestamp}) is after valid_until (${validUntil})`;
  return undefined;
}

function assertValidity(validFrom: string, validUntil: string | null, signingTimestamp: string): void {
  const problem = validityProblem(validFrom, validUntil, signingTimestamp);
  if (problem !== undefined) throw new DeclsignError('invalid_validity', problem);
}

function assertContent(format1: DeclarationContent): void {
  const shape = checkSchema(declarationContentSchema, format1, 'content (Format 1)');
  if (!shape.ok) throw new DeclsignError('invalid_input', shape.message);
  const bytes = Buffer.byteLength(canonicalJson(format1, 'content'), 'utf8');
  if (bytes > MAX_CONTENT_BYTES) {
    throw new DeclsignError('content_too_large', `canonical content is ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES}`);
  }
}

function identityOf(key: KeyReference, role: string) {
  if (!isPublicKeyHexFor(key.algorithm, key.publicKeyHex, { parse: true })) {
    throw new DeclsignError('invalid_key', `${role} public key is not a lowercase-hex ${key.algorithm} public key`);
  }
  return identityFromPublicKey(key.algorithm, hexToBytes(key.publicKeyHex));
}

function expectUuid(value: string, name: string): string {
  if (!UUID_PATTERN.test(value)) throw new DeclsignError('invalid_input', `${name} must be a lowercase UUID, got ${JSON.stringify(value)}`);
  return value;
}
