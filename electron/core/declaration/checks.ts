// The named checks a verifier runs. Signing, countersigning and wrapping run the same checks on their inputs, so we
// never produce (or countersign) anything our own verifier would refuse. Each check yields one plain sentence.

import { canonicalJson, parseCanonicalJson, type CanonicalMemo } from '../canonical';
import { DeclsignError } from '../errors';
import { hexToBytes } from '../hex';
import { canonicalNameOf, fingerprintOf } from '../keys/identity';
import type { KeyAlgorithm } from '../keys/types';
import { MAX_CONTENT_BYTES, contentHash, signedDataHash, validityProblem } from './build';
import type { DigestVerifier, VerifyBackend } from './backend';
import { nostrFormat3, signedDataOf } from './format3';
import { computeEventId, tagValues, type SchnorrVerifier } from './nostr-event';
import {
  UUID_PATTERN,
  checkSchema,
  isPublicKeyHexFor,
  nostrCountersignaturePayloadSchema,
  nostrEventSchema,
  signedDataSchema,
  signedDataWithSignatureSchema,
  wrapperPayloadSchema,
} from './schema';
import { toUnixSeconds } from './timestamp';
import {
  DECLARATION_KIND,
  type DetachedCountersignature,
  type NostrCountersignaturePayload,
  type NostrEvent,
  type SignedData,
  type SignedDataWithSignature,
  type WrapperPayload,
} from './types';

export const CHECK_NAMES = [
  'carrier_present',
  'event_shape',
  'event_id',
  'event_signature',
  'event_kind',
  'payload_canonical',
  'payload_schema',
  'event_tags',
  'format3_consistent',
  'no_equivocation',
  'content_hash',
  'signer_binding',
  'target_binding',
  'signature_hash',
  'inner_signature',
  'timestamps',
  'countersignature',
  'in_force',
  'not_revoked',
  // added by the authority layer (core/authority/report.ts) when anchors are pinned or given
  'authority',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface Check {
  name: CheckName;
  ok: boolean;
  message: string;
  event_id?: string;
}

export function check(name: CheckName, problem: string | undefined, okMessage: string, eventId?: string): Check {
  const result: Check = { name, ok: problem === undefined, message: problem ?? okMessage };
  if (eventId !== undefined) result.event_id = eventId;
  return result;
}

/** Throws `verification_failed` naming the first failed check; used before we sign over someone else's bytes. */
export function assertValid(checks: Check[], what: string): void {
  const failed = checks.find((c) => !c.ok);
  if (failed) throw new DeclsignError('verification_failed', `${what}: ${failed.name}: ${failed.message}`, { check: failed.name });
}

/** Problem with a key's claimed fingerprint / canonical name, both recomputed from its public key bytes. */
export function keyBindingProblem(
  role: string,
  algorithm: KeyAlgorithm,
  publicKeyHex: string,
  fingerprint: string,
  canonicalName: string,
): string | undefined {
  if (!isPublicKeyHexFor(algorithm, publicKeyHex)) return `${role} public key is not a valid-length ${algorithm} public key`;
  const expected = publicKeyIdentity(algorithm, publicKeyHex);
  if (fingerprint !== expected.fingerprint) return `${role} fingerprint ${fingerprint} is not SHA-256 of its public key (${expected.fingerprint})`;
  if (canonicalName !== expected.canonicalName) return `${role} canonical name ${canonicalName} does not match its public key (${expected.canonicalName})`;
  return undefined;
}

// Recomputing a fingerprint and canonical name (SHA-256, and bech32 for npub) is most of a binding check, and bulk
// verification meets few keys many times. A pure function of its arguments, so memoised; bounded, oldest evicted first.
const IDENTITY_CACHE_LIMIT = 256;
const identityCache = new Map<string, { fingerprint: string; canonicalName: string }>();

/** Fingerprint and canonical name of a public key given as lowercase hex. */
export function publicKeyIdentity(algorithm: KeyAlgorithm, publicKeyHex: string): { fingerprint: string; canonicalName: string } {
  const cacheKey = `${algorithm}:${publicKeyHex}`;
  const hit = identityCache.get(cacheKey);
  if (hit !== undefined) return hit;
  const publicKey = hexToBytes(publicKeyHex);
  const fingerprint = fingerprintOf(publicKey);
  const identity = { fingerprint, canonicalName: canonicalNameOf(algorithm, publicKey, fingerprint) };
  if (identityCache.size >= IDENTITY_CACHE_LIMIT) identityCache.delete(identityCache.keys().next().value as string);
  identityCache.set(cacheKey, identity);
  return identity;
}

/** Format 2 on its own: schema, content hash, both key bindings, validity window. */
export function checkSignedData(value: unknown, eventId?: string): Check[] {
  const shape = checkSchema(signedDataSchema, value, 'signed data (Format 2)');
  if (!shape.ok) return [check('payload_schema', shape.message, '', eventId)];
  return signedDataChecks(shape.value, eventId);
}

function signedDataChecks(sd: SignedData, eventId?: string, memo?: CanonicalMemo): Check[] {
  return [
    check('content_hash', contentProblem(sd, memo), 'content_hash_sha256 matches the content', eventId),
    check(
      'signer_binding',
      keyBindingProblem('signer', sd.signing_keypair_algorithm, sd.signing_keypair_public_key, sd.signing_keypair_fingerprint, sd.signing_keypair_canonical_name),
      `signer ${sd.signing_keypair_canonical_name} matches its public key`,
      eventId,
    ),
    check(
      'target_binding',
      keyBindingProblem('target', sd.target_keypair_algorithm, sd.target_keypair_public_key, sd.target_keypair_fingerprint, sd.target_keypair_canonical_name),
      `target ${sd.target_keypair_canonical_name} matches its public key`,
      eventId,
    ),
    check('timestamps', validityProblem(sd.valid_from, sd.valid_until, sd.signing_timestamp), 'signed within the validity window', eventId),
  ];
}

function contentProblem(sd: SignedData, memo?: CanonicalMemo): string | undefined {
  if (sd.content.declaration_type !== sd.declaration_type) {
    return `content declares type ${sd.content.declaration_type} but the signed data says ${sd.declaration_type}`;
  }
  const bytes = Buffer.byteLength(canonicalJson(sd.content, 'content', memo), 'utf8');
  if (bytes > MAX_CONTENT_BYTES) return `canonical content is ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES}`;
  const actual = contentHash(sd.content, memo);
  return actual === sd.content_hash_sha256 ? undefined : `content_hash_sha256 ${sd.content_hash_sha256} ≠ SHA-256 of the content (${actual})`;
}

/**
 * Format 3 apart from the envelope of its embedded primary event (see checkEnvelope): everything in Format 2, the
 * signature block's binding to the signer, its hash, and the inner signature.
 */
export function checkFormat3(
  value: unknown,
  verifyDigest: DigestVerifier,
  eventId?: string,
  memo?: CanonicalMemo,
): Check[] {
  const shape = checkSchema(signedDataWithSignatureSchema, value, 'signed data with signature (Format 3)');
  if (!shape.ok) return [check('payload_schema', shape.message, '', eventId)];
  const f3 = shape.value;
  const { signature: block, nostr_event: primary } = f3;
  const sd = signedDataOf(f3);
  const checks = signedDataChecks(sd, eventId, memo);

  const bindingProblem =
    block.algorithm !== sd.signing_keypair_algorithm
      ? `signature algorithm ${block.algorithm} ≠ signing_keypair_algorithm ${sd.signing_keypair_algorithm}`
      : block.canonical_name !== sd.signing_keypair_canonical_name
        ? `signature canonical_name ${block.canonical_name} ≠ ${sd.signing_keypair_canonical_name}`
        : block.fingerprint !== sd.signing_keypair_fingerprint
          ? `signature fingerprint ${block.fingerprint} ≠ ${sd.signing_keypair_fingerprint}`
          : primary !== undefined && primary.pubkey !== sd.signing_keypair_public_key
            ? `the primary event is by ${primary.pubkey}, not the signer ${sd.signing_keypair_public_key}`
            : undefined;
  if (bindingProblem !== undefined) checks.push(check('signer_binding', bindingProblem, '', eventId));

  const expectedHash = signedDataHash(sd, memo);
  checks.push(
    check(
      'signature_hash',
      block.signature_hash_value !== expectedHash
        ? `signature_hash_value ${block.signature_hash_value} ≠ SHA-256 of JCS(Format 2) (${expectedHash})`
        : block.signed_at !== sd.signing_timestamp
          ? `signed_at ${block.signed_at} ≠ signing_timestamp ${sd.signing_timestamp}`
          : undefined,
      'signature_hash_value is SHA-256 of JCS(Format 2)',
      eventId,
    ),
  );
  checks.push(check('inner_signature', innerSignatureProblem(f3, sd, expectedHash, verifyDigest, memo), innerOkMessage(f3), eventId));
  if (primary !== undefined) {
    const signedAt = toUnixSeconds(sd.signing_timestamp);
    checks.push(
      check(
        'timestamps',
        primary.created_at === signedAt ? undefined : `primary event created_at ${primary.created_at} ≠ signing_timestamp (${signedAt})`,
        'primary event created_at equals signing_timestamp',
        eventId,
      ),
    );
  }
  return checks;
}

function innerOkMessage(f3: SignedDataWithSignature): string {
  return f3.signature.algorithm === 'nostr'
    ? 'the primary Nostr event carries exactly this signed data'
    : `${f3.signature.algorithm} signature over SHA-256(JCS(Format 2)) verifies`;
}

function innerSignatureProblem(
  f3: SignedDataWithSignature,
  sd: SignedData,
  expectedHash: string,
  verifyDigest: DigestVerifier,
  memo: CanonicalMemo | undefined,
): string | undefined {
  const { signature: block, nostr_event: primary } = f3;
  if (block.algorithm === 'nostr') {
    if (primary === undefined) return 'a Nostr signature needs its primary event (nostr_event)';
    if (block.nostr_event_id !== primary.id) return `nostr_event_id ${block.nostr_event_id} ≠ the primary event id ${primary.id}`;
    if (block.digital_signature !== primary.sig) return 'digital_signature differs from the primary event signature';
    if (primary.content !== canonicalJson(sd, 'signed data', memo)) return 'the primary event content is not JCS of this signed data';
    return undefined;
  }
  if (primary !== undefined || block.nostr_event_id !== undefined) return `a ${block.algorithm} signature carries no Nostr primary event`;
  const valid = verifyDigest(block.algorithm, hexToBytes(f3.signing_keypair_public_key), hexToBytes(expectedHash), hexToBytes(block.digital_signature));
  return valid ? undefined : `the ${block.algorithm} signature does not verify against the signer's public key`;
}

export type ParsedPayload =
  | { type: 'signed-data'; value: SignedData }
  | { type: 'wrapper'; value: WrapperPayload }
  | { type: 'countersignature'; value: NostrCountersignaturePayload };

export interface EnvelopeResult {
  checks: Check[];
  /** Set only when every envelope check passed. */
  event?: NostrEvent;
  payload?: ParsedPayload;
}

/**
 * A kind-31106 event taken apart from untrusted JSON: strict shape, recomputed id, BIP-340 signature, kind,
 * canonical content of a known payload type, and tags that agree with the payload. Stops at the first failure:
 * nothing later is meaningful once the envelope is broken.
 */
export function checkEnvelope(raw: unknown, expectedUuid: string | null, verifySchnorr: SchnorrVerifier, memo?: CanonicalMemo): EnvelopeResult {
  const label = rawEventLabel(raw);
  const checks: Check[] = [];
  const fail = (name: CheckName, message: string): EnvelopeResult => {
    checks.push(check(name, message, '', label));
    return { checks };
  };
  const pass = (name: CheckName, message: string) => checks.push(check(name, undefined, message, label));

  const shape = checkSchema(nostrEventSchema, raw, 'event');
  if (!shape.ok) return fail('event_shape', shape.message);
  const event = shape.value;
  pass('event_shape', 'well-formed Nostr event');

  const id = computeEventId(event);
  if (id !== event.id) return fail('event_id', `id ${event.id} is not the hash of the event (recomputed ${id})`);
  pass('event_id', 'id matches the event');

  if (!verifySchnorr(event.sig, event.id, event.pubkey)) return fail('event_signature', `BIP-340 signature by ${event.pubkey} does not verify`);
  pass('event_signature', `signed by ${event.pubkey}`);

  if (event.kind !== DECLARATION_KIND) return fail('event_kind', `kind ${event.kind} is not ${DECLARATION_KIND}`);
  pass('event_kind', `kind ${DECLARATION_KIND}`);

  let parsed: unknown;
  try {
    parsed = parseCanonicalJson(event.content, 'event content', memo);
  } catch (error) {
    return fail('payload_canonical', (error as Error).message);
  }
  pass('payload_canonical', 'content is canonical JSON');

  const payload = classifyPayload(parsed);
  if ('problem' in payload) return fail('payload_schema', payload.problem);
  pass('payload_schema', `content is a ${payload.type} payload`);

  const tagProblem = tagsProblem(event.tags, payloadIdentity(payload), expectedUuid);
  if (tagProblem !== undefined) return fail('event_tags', tagProblem);
  pass('event_tags', 'd and t tags match the payload');

  return { checks, event, payload };
}

function classifyPayload(value: unknown): ParsedPayload | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'content is not a JSON object' };
  // Disjoint discriminating keys; the strict schema then refuses any other field.
  if ('countersignature' in value) {
    const result = checkSchema(nostrCountersignaturePayloadSchema, value, 'countersignature payload');
    return result.ok ? { type: 'countersignature', value: result.value } : { problem: result.message };
  }
  if ('signed_data' in value) {
    const result = checkSchema(wrapperPayloadSchema, value, 'wrapper payload');
    return result.ok ? { type: 'wrapper', value: result.value } : { problem: result.message };
  }
  const result = checkSchema(signedDataSchema, value, 'signed data (Format 2)');
  return result.ok ? { type: 'signed-data', value: result.value } : { problem: result.message };
}

function payloadIdentity(payload: ParsedPayload): { uuid: string; type: string } {
  switch (payload.type) {
    case 'signed-data':
      return { uuid: payload.value.declaration_uuid, type: payload.value.declaration_type };
    case 'wrapper':
      return { uuid: payload.value.signed_data.declaration_uuid, type: payload.value.signed_data.declaration_type };
    case 'countersignature':
      return { uuid: payload.value.countersignature.declaration_uuid, type: payload.value.countersignature.declaration_type };
  }
}

function tagsProblem(tags: string[][], identity: { uuid: string; type: string }, expectedUuid: string | null): string | undefined {
  const d = tagValues(tags, 'd');
  const t = tagValues(tags, 't');
  if (d.length !== 1) return `expected exactly one d tag, found ${d.length}`;
  if (!UUID_PATTERN.test(d[0]!)) return `d tag ${JSON.stringify(d[0])} is not a lowercase UUID`;
  if (expectedUuid !== null && d[0] !== expectedUuid) return `d tag ${d[0]} is not the declaration ${expectedUuid}`;
  if (d[0] !== identity.uuid) return `d tag ${d[0]} ≠ the payload's declaration_uuid ${identity.uuid}`;
  if (t.length !== 1) return `expected exactly one t tag, found ${t.length}`;
  if (t[0] !== identity.type) return `t tag ${t[0]} ≠ the payload's declaration_type ${identity.type}`;
  if (tagValues(tags, 'alt').length > 1) return 'more than one alt tag';
  return undefined;
}

/** The event id to name in a report: the claimed id when it is at least a string, else nothing. */
export function rawEventLabel(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 128) : undefined;
}

/**
 * A Format 3 taken from untrusted input (a wrapper payload, or one about to be countersigned or wrapped): for a
 * Nostr signature, its embedded primary event is verified in full and must rebuild exactly this Format 3.
 */
export function checkSignedDeclaration(value: unknown, backend: VerifyBackend, eventId?: string, memo?: CanonicalMemo): Check[] {
  const shape = checkSchema(signedDataWithSignatureSchema, value, 'signed data with signature (Format 3)');
  if (!shape.ok) return [check('payload_schema', shape.message, '', eventId)];
  const f3 = shape.value;
  const checks: Check[] = [];
  if (f3.nostr_event !== undefined) {
    const envelope = checkEnvelope(f3.nostr_event, f3.declaration_uuid, backend.verifySchnorr, memo);
    checks.push(...envelope.checks);
    if (envelope.event === undefined || envelope.payload === undefined) return checks;
    if (envelope.payload.type !== 'signed-data') {
      checks.push(check('payload_schema', `the embedded primary event carries a ${envelope.payload.type} payload, not Format 2`, '', envelope.event.id));
      return checks;
    }
    const rebuilt = canonicalJson(nostrFormat3(envelope.payload.value, envelope.event, memo), 'Format 3', memo);
    checks.push(
      check(
        'format3_consistent',
        rebuilt === canonicalJson(f3, 'Format 3', memo) ? undefined : 'Format 3 differs from the one its primary event determines',
        'Format 3 is exactly the one its primary event determines',
        eventId,
      ),
    );
  }
  checks.push(...checkFormat3(f3, backend.verifyDigest, eventId, memo));
  return checks;
}

export interface CountersignatureContext {
  signedData: SignedData;
  /** Recomputed `signed_data_sha256` of the declaration being countersigned. */
  signedDataSha256: string;
}

/** A detached countersignature from a wrapper created at `wrapperCreatedAt` (unix seconds). */
export function detachedCountersignatureProblem(
  cs: DetachedCountersignature,
  context: CountersignatureContext,
  wrapperCreatedAt: number,
  verifyDigest: DigestVerifier,
): string | undefined {
  const who = cs.canonical_name;
  const binding = keyBindingProblem(`countersigner ${who}`, cs.algorithm, cs.public_key, cs.fingerprint, cs.canonical_name);
  if (binding !== undefined) return binding;
  if (cs.signature_hash_value !== context.signedDataSha256) {
    return `countersignature by ${who} is over ${cs.signature_hash_value}, not this declaration's signed_data_sha256 ${context.signedDataSha256}`;
  }
  const signedAt = toUnixSeconds(cs.signed_at);
  if (signedAt < toUnixSeconds(context.signedData.signing_timestamp)) return `countersignature by ${who} is dated before the declaration was signed`;
  if (signedAt > wrapperCreatedAt) return `countersignature by ${who} is dated after the wrapper that carries it`;
  const valid = verifyDigest(cs.algorithm, hexToBytes(cs.public_key), hexToBytes(context.signedDataSha256), hexToBytes(cs.digital_signature));
  return valid ? undefined : `${cs.algorithm} countersignature by ${who} does not verify`;
}

/** A Nostr countersignature event whose envelope already passed checkEnvelope. */
export function nostrCountersignatureProblem(
  event: NostrEvent,
  payload: NostrCountersignaturePayload,
  context: CountersignatureContext,
): string | undefined {
  const cs = payload.countersignature;
  const sd = context.signedData;
  if (cs.declaration_uuid !== sd.declaration_uuid) return `countersignature is for declaration ${cs.declaration_uuid}`;
  if (cs.declaration_type !== sd.declaration_type) return `countersignature names type ${cs.declaration_type}, not ${sd.declaration_type}`;
  if (cs.signing_keypair_fingerprint !== sd.signing_keypair_fingerprint) {
    return `countersignature names signer ${cs.signing_keypair_fingerprint}, not ${sd.signing_keypair_fingerprint}`;
  }
  if (cs.signed_data_sha256 !== context.signedDataSha256) {
    return `countersignature references ${cs.signed_data_sha256}, not this declaration's signed_data_sha256 ${context.signedDataSha256}`;
  }
  if (event.created_at < toUnixSeconds(sd.signing_timestamp)) return 'countersignature event is dated before the declaration was signed';
  return undefined;
}
