// Format 3 helpers shared by signer and verifier: the deterministic Nostr Format 3, Format 2 inside a Format 3,
// and `signed_data_sha256`.

import { canonicalJson, sha256Hex, type CanonicalMemo } from '../canonical';
import { signedDataHash } from './build';
import { plainEvent } from './nostr-event';
import type { NostrEvent, SignedData, SignedDataWithSignature } from './types';

/**
 * Format 3 of a Nostr-signed declaration, fully determined by Format 2 and its primary event. Signer and verifier
 * both build it with this function, so `signed_data_sha256` is reproducible from the primary event alone.
 */
export function nostrFormat3(signedData: SignedData, primaryEvent: NostrEvent, memo?: CanonicalMemo): SignedDataWithSignature {
  return {
    ...signedData,
    signature: {
      algorithm: 'nostr',
      canonical_name: signedData.signing_keypair_canonical_name,
      fingerprint: signedData.signing_keypair_fingerprint,
      signature_hash_algorithm: 'SHA-256',
      signature_hash_value: signedDataHash(signedData, memo),
      digital_signature: primaryEvent.sig,
      signed_at: signedData.signing_timestamp,
      nostr_event_id: primaryEvent.id,
    },
    nostr_event: plainEvent(primaryEvent),
  };
}

/** Format 2 inside a Format 3 (everything but `signature` and `nostr_event`). */
export function signedDataOf(format3: SignedDataWithSignature): SignedData {
  const { signature: _signature, nostr_event: _event, ...signedData } = format3;
  return signedData;
}

/** `signed_data_sha256`: SHA-256 of JCS(Format 3) — what every countersignature signs or references. */
export function signedDataSha256(format3: SignedDataWithSignature, memo?: CanonicalMemo): string {
  return sha256Hex(canonicalJson(format3, 'signed data with signature', memo));
}
