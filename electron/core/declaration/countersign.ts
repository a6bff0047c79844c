// Countersignatures over a signed declaration (Format 3). Non-Nostr keys sign the 32 raw bytes of
// `signed_data_sha256` and ride in a wrapper; Nostr keys publish their own kind-31106 event that references it.
// One Nostr key holds at most one (31106, pubkey, d) slot per declaration: relays keep only the newest event per slot.

import { canonicalJson } from '../canonical';
import { DeclsignError } from '../errors';
import { bytesToHex, hexToBytes } from '../hex';
import { identityFromPublicKey } from '../keys/identity';
import type { KeyAlgorithm } from '../keys/types';
import { defaultBackend, type DigestBackend, type VerifyBackend } from './backend';
import { assertValid, checkSignedDeclaration } from './checks';
import { signedDataOf, signedDataSha256 } from './format3';
import { countersignatureAlt, declarationTags, nostrPublicKeyOf, signDeclarationEvent } from './nostr-event';
import { isPublicKeyHexFor } from './schema';
import { toUnixSeconds } from './timestamp';
import {
  SCHEMA_VERSION,
  type DetachedCountersignature,
  type NostrCountersignaturePayload,
  type NostrEvent,
  type SignedDataWithSignature,
} from './types';

/** What a declaration already carries; the slot and duplicate rules are judged against it. */
export interface ExistingSignatures {
  countersignatures?: readonly DetachedCountersignature[];
  nostrCountersignatures?: readonly NostrEvent[];
  /** Pubkeys (hex) of wrapper events made for this declaration. */
  wrapperPubkeys?: readonly string[];
}

export function countersignDetached(args: {
  format3: SignedDataWithSignature;
  algorithm: Exclude<KeyAlgorithm, 'nostr'>;
  privateKey: Uint8Array;
  publicKeyHex: string;
  /** When the countersigner signs, `YYYY-MM-DDTHH:MM:SSZ`; attested by the wrapper that will carry it. */
  signedAt: string;
  existing?: ExistingSignatures;
  backend?: DigestBackend & VerifyBackend;
}): DetachedCountersignature {
  const { format3, algorithm, backend = defaultBackend } = args;
  const hash = countersignable(format3, backend);
  if (!isPublicKeyHexFor(algorithm, args.publicKeyHex, { parse: true })) throw new DeclsignError('invalid_key', `not a ${algorithm} public key`);
  const identity = identityFromPublicKey(algorithm, hexToBytes(args.publicKeyHex));
  const key = `${algorithm}:${identity.fingerprint}`;
  if (key === `${format3.signing_keypair_algorithm}:${format3.signing_keypair_fingerprint}`) {
    throw new DeclsignError('duplicate_countersigner', 'the signer cannot countersign its own declaration');
  }
  if ((args.existing?.countersignatures ?? []).some((cs) => `${cs.algorithm}:${cs.fingerprint}` === key)) {
    throw new DeclsignError('duplicate_countersigner', `${identity.canonicalName} has already countersigned this declaration`);
  }
  if (toUnixSeconds(args.signedAt) < toUnixSeconds(format3.signing_timestamp)) {
    throw new DeclsignError('invalid_validity', `signedAt ${args.signedAt} is before the declaration's signing_timestamp`);
  }
  const digest = hexToBytes(hash);
  const signature = backend.signDigest(algorithm, args.privateKey, digest);
  if (!backend.verifyDigest(algorithm, hexToBytes(args.publicKeyHex), digest, signature)) {
    throw new DeclsignError('signer_mismatch', 'the private key does not belong to the given public key');
  }
  return {
    algorithm,
    canonical_name: identity.canonicalName,
    fingerprint: identity.fingerprint,
    public_key: identity.publicKeyHex,
    signature_hash_algorithm: 'SHA-256',
    signature_hash_value: hash,
    digital_signature: bytesToHex(signature),
    signed_at: args.signedAt,
  };
}

/** A Nostr countersignature: its own kind-31106 event in the countersigner's slot. */
export function countersignWithNostr(args: {
  format3: SignedDataWithSignature;
  nostrPrivateKey: Uint8Array;
  /** Unix seconds. */
  createdAt: number;
  existing?: ExistingSignatures;
  backend?: VerifyBackend;
}): NostrEvent {
  const { format3, backend = defaultBackend } = args;
  const hash = countersignable(format3, backend);
  const pubkey = nostrPublicKeyOf(args.nostrPrivateKey);
  if (format3.signing_keypair_algorithm === 'nostr' && format3.signing_keypair_public_key === pubkey) {
    throw new DeclsignError('duplicate_countersigner', 'the signer cannot countersign its own declaration');
  }
  if ((args.existing?.nostrCountersignatures ?? []).some((event) => event.pubkey === pubkey)) {
    throw new DeclsignError('duplicate_countersigner', 'this Nostr key has already countersigned this declaration');
  }
  if ((args.existing?.wrapperPubkeys ?? []).includes(pubkey)) {
    throw new DeclsignError('nostr_slot_taken', 'this Nostr key wraps this declaration; its countersignature event would replace the wrapper on relays');
  }
  if (args.createdAt < toUnixSeconds(format3.signing_timestamp)) {
    throw new DeclsignError('invalid_validity', 'a countersignature cannot be dated before the declaration was signed');
  }
  const signedData = signedDataOf(format3);
  const payload: NostrCountersignaturePayload = {
    schema_version: SCHEMA_VERSION,
    countersignature: {
      declaration_uuid: signedData.declaration_uuid,
      declaration_type: signedData.declaration_type,
      signed_data_sha256: hash,
      signing_keypair_fingerprint: signedData.signing_keypair_fingerprint,
    },
  };
  return signDeclarationEvent(args.nostrPrivateKey, {
    created_at: args.createdAt,
    tags: declarationTags(signedData.declaration_uuid, signedData.declaration_type, countersignatureAlt(signedData)),
    content: canonicalJson(payload, 'countersignature payload'),
  });
}

/** Refuses to countersign anything our verifier would reject; returns its `signed_data_sha256`. */
function countersignable(format3: SignedDataWithSignature, backend: VerifyBackend): string {
  assertValid(checkSignedDeclaration(format3, backend), 'declaration to countersign');
  return signedDataSha256(format3);
}
