// Wrapper events: how a declaration that carries non-Nostr signatures reaches relays. The wrapper's content is
// JCS({signed_data: Format 3, countersignatures}); the inner signatures are carried byte-for-byte, never re-made.

import { canonicalJson } from '../canonical';
import { DeclsignError } from '../errors';
import { defaultBackend, type VerifyBackend } from './backend';
import { assertValid, checkSignedDeclaration, detachedCountersignatureProblem } from './checks';
import { signedDataOf, signedDataSha256 } from './format3';
import { declarationAlt, declarationTags, nostrPublicKeyOf, signDeclarationEvent } from './nostr-event';
import { checkSchema, detachedCountersignatureSchema } from './schema';
import { toUnixSeconds } from './timestamp';
import type { DetachedCountersignature, NostrEvent, SignedDataWithSignature, WrapperPayload } from './types';

export function wrap(args: {
  format3: SignedDataWithSignature;
  countersignatures: readonly DetachedCountersignature[];
  wrapperPrivateKey: Uint8Array;
  /** Unix seconds: when the wrapper is made. Raised automatically where NIP-01 replacement needs a later time. */
  createdAt: number;
  /** created_at of this key's previous wrapper for the declaration: the new one must be strictly newer to replace it. */
  previousCreatedAt?: number;
  /** Pubkeys of the declaration's Nostr countersigners: none of them may also wrap (one slot per key). */
  nostrCountersignerPubkeys?: readonly string[];
  backend?: VerifyBackend;
}): NostrEvent {
  const { format3, countersignatures, backend = defaultBackend } = args;
  assertValid(checkSignedDeclaration(format3, backend), 'declaration to wrap');
  const primary = format3.nostr_event;
  if (primary !== undefined && countersignatures.length === 0) {
    throw new DeclsignError('invalid_input', 'a Nostr-signed declaration without detached countersignatures is published as its primary event');
  }
  const pubkey = nostrPublicKeyOf(args.wrapperPrivateKey);
  if ((args.nostrCountersignerPubkeys ?? []).includes(pubkey)) {
    throw new DeclsignError('nostr_slot_taken', 'this Nostr key countersigned the declaration; a wrapper would replace its countersignature on relays');
  }

  const signingTime = toUnixSeconds(format3.signing_timestamp);
  if (!Number.isSafeInteger(args.createdAt) || args.createdAt < signingTime) {
    throw new DeclsignError('invalid_validity', `wrapper time ${args.createdAt} is before the declaration was signed (${signingTime})`);
  }
  // NIP-01: of two events in one slot with equal created_at, relays keep the lower id — a re-wrap in the same second
  // can lose. So the new wrapper is always strictly newer than what it must replace.
  let createdAt = args.createdAt;
  if (args.previousCreatedAt !== undefined) createdAt = Math.max(createdAt, args.previousCreatedAt + 1);
  if (primary !== undefined && primary.pubkey === pubkey) createdAt = Math.max(createdAt, primary.created_at + 1);

  const context = { signedData: signedDataOf(format3), signedDataSha256: signedDataSha256(format3) };
  const seen = new Set<string>();
  for (const cs of countersignatures) {
    const shape = checkSchema(detachedCountersignatureSchema, cs, 'countersignature');
    if (!shape.ok) throw new DeclsignError('invalid_input', shape.message);
    const key = `${cs.algorithm}:${cs.fingerprint}`;
    if (seen.has(key) || key === `${format3.signing_keypair_algorithm}:${format3.signing_keypair_fingerprint}`) {
      throw new DeclsignError('duplicate_countersigner', `${cs.canonical_name} appears twice among the signatures`);
    }
    seen.add(key);
    const problem = detachedCountersignatureProblem(cs, context, createdAt, backend.verifyDigest);
    if (problem !== undefined) throw new DeclsignError('verification_failed', problem);
  }

  const payload: WrapperPayload = { signed_data: format3, countersignatures: [...countersignatures] };
  return signDeclarationEvent(args.wrapperPrivateKey, {
    created_at: createdAt,
    tags: declarationTags(format3.declaration_uuid, format3.declaration_type, declarationAlt(context.signedData)),
    content: canonicalJson(payload, 'wrapper payload'),
  });
}
