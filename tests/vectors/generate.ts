// Builds the golden vectors. Deterministic bytes are recomputed every time; the randomised signatures (BIP-340 with
// fresh aux randomness, hedged ML-DSA) are taken from `pinned` when given, so a stored file can be rebuilt exactly.

import { canonicalJson } from '../../electron/core/canonical';
import {
  buildBundle,
  contentHash,
  countersignDetached,
  countersignWithNostr,
  nostrFormat3,
  signDetached,
  signWithNostr,
  signedDataHash,
  signedDataOf,
  signedDataSha256,
  wrap,
  type NostrEvent,
  type SignedDataWithSignature,
} from '../../electron/core/declaration';
import { bytesToHex } from '../../electron/core/hex';
import type { KeyMaterial } from '../../electron/core/keys/types';
import {
  VECTOR_CONTENT,
  VECTOR_TIMES,
  VECTOR_UUID_ED25519,
  VECTOR_UUID_ML_DSA,
  VECTOR_UUID_NOSTR,
  labelledBytes,
  vectorKeys,
  vectorSignedData,
} from './scenario';

/** name → signature hex, for every randomised signature in the file. */
export type PinnedSignatures = Record<string, string>;

export function generateVectors(pinned: PinnedSignatures = {}) {
  const keys = vectorKeys();
  const signatures: PinnedSignatures = {};
  const pinEvent = (name: string, event: NostrEvent): NostrEvent => {
    const sig = pinned[name] ?? event.sig;
    signatures[name] = sig;
    return { ...event, sig };
  };

  // 1. Nostr-signed declaration, with a Nostr countersignature and (carried in the issuer's own wrapper) a detached one.
  const nostrData = vectorSignedData(VECTOR_UUID_NOSTR, keys.nostrIssuer, keys.nostrTarget);
  const fresh = signWithNostr({ signedData: nostrData, nostrPrivateKey: keys.nostrIssuer.privateKey! });
  const primary = pinEvent('nostr-signed.primary_event', fresh.nostr_event!);
  const nostrF3 = nostrFormat3(nostrData, primary);
  const nostrCountersignature = pinEvent(
    'nostr-countersignature.event',
    countersignWithNostr({ format3: nostrF3, nostrPrivateKey: keys.nostrCountersigner.privateKey!, createdAt: VECTOR_TIMES.nostrCountersignCreatedAt }),
  );

  // 2. Ed25519-signed declaration (deterministic signature), a detached Ed25519 countersignature, a wrapper.
  const edData = vectorSignedData(VECTOR_UUID_ED25519, keys.ed25519Issuer, keys.nostrTarget);
  const edF3 = signDetached({ signedData: edData, algorithm: 'ed25519', privateKey: keys.ed25519Issuer.privateKey! });
  const edCountersignature = countersignDetached({
    format3: edF3,
    algorithm: 'ed25519',
    privateKey: keys.ed25519Countersigner.privateKey!,
    publicKeyHex: keys.ed25519Countersigner.publicKeyHex,
    signedAt: VECTOR_TIMES.countersignedAt,
  });
  const edWrapper = pinEvent(
    'ed25519-signed-wrapped.wrapper_event',
    wrap({ format3: edF3, countersignatures: [edCountersignature], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt }),
  );

  // 3. ML-DSA-65-signed declaration (hedged signature: pinned), wrapped without countersignatures.
  const mlData = vectorSignedData(VECTOR_UUID_ML_DSA, keys.mlDsaIssuer, keys.nostrTarget);
  const mlFresh = signDetached({ signedData: mlData, algorithm: 'ml-dsa-65', privateKey: keys.mlDsaIssuer.privateKey! });
  const mlSignature = pinned['ml-dsa-65-signed-wrapped.digital_signature'] ?? mlFresh.signature.digital_signature;
  signatures['ml-dsa-65-signed-wrapped.digital_signature'] = mlSignature;
  const mlF3: SignedDataWithSignature = { ...mlFresh, signature: { ...mlFresh.signature, digital_signature: mlSignature } };
  const mlWrapper = pinEvent(
    'ml-dsa-65-signed-wrapped.wrapper_event',
    wrap({ format3: mlF3, countersignatures: [], wrapperPrivateKey: keys.nostrWrapper.privateKey!, createdAt: VECTOR_TIMES.wrapCreatedAt }),
  );

  const declarationBytes = (f3: SignedDataWithSignature) => ({
    format1_jcs: canonicalJson(f3.content),
    content_hash_sha256: contentHash(f3.content),
    format2_jcs: canonicalJson(signedDataOf(f3)),
    signed_data_hash: signedDataHash(signedDataOf(f3)),
    format3_jcs: canonicalJson(f3),
    signed_data_sha256: signedDataSha256(f3),
  });

  return {
    description:
      'Golden vectors for devdocs/declaration-format.md. Test keys only. Every value is exact; BIP-340 and ML-DSA-65 ' +
      'signatures are randomised, so the stored ones are one valid choice (event ids and every other byte are fixed).',
    keys: Object.fromEntries(
      Object.entries(keys).map(([name, key]) => [name, describeKey(key, name === 'mlDsaIssuer' ? 'ml-dsa-65-issuer' : undefined)]),
    ),
    times: VECTOR_TIMES,
    content: VECTOR_CONTENT,
    vectors: {
      'nostr-signed': {
        declaration_uuid: VECTOR_UUID_NOSTR,
        ...declarationBytes(nostrF3),
        primary_event_id: primary.id,
        primary_event: primary,
        bundle: buildBundle({ declarationUuid: VECTOR_UUID_NOSTR, events: [primary, nostrCountersignature] }),
      },
      'nostr-countersignature': {
        of: 'nostr-signed',
        payload_jcs: nostrCountersignature.content,
        event_id: nostrCountersignature.id,
        event: nostrCountersignature,
      },
      'ed25519-signed-wrapped': {
        declaration_uuid: VECTOR_UUID_ED25519,
        ...declarationBytes(edF3),
        digital_signature: edF3.signature.digital_signature,
        detached_countersignature: edCountersignature,
        wrapper_content_jcs: edWrapper.content,
        wrapper_event_id: edWrapper.id,
        wrapper_event: edWrapper,
      },
      'ml-dsa-65-signed-wrapped': {
        declaration_uuid: VECTOR_UUID_ML_DSA,
        ...declarationBytes(mlF3),
        wrapper_event_id: mlWrapper.id,
        wrapper_event: mlWrapper,
      },
    },
    pinned_signatures: signatures,
  };
}

function describeKey(key: KeyMaterial, mlDsaSeedLabel?: string) {
  return {
    algorithm: key.algorithm,
    // ML-DSA-65 secret keys are 4032 bytes; the 32-byte FIPS 204 seed they come from is stored instead.
    ...(mlDsaSeedLabel === undefined ? { private_key: bytesToHex(key.privateKey!) } : { seed: bytesToHex(labelledBytes(mlDsaSeedLabel)(32)) }),
    public_key: key.algorithm === 'ml-dsa-65' ? `${key.publicKeyHex.slice(0, 64)}…(1952 bytes)` : key.publicKeyHex,
    fingerprint: key.fingerprint,
    canonical_name: key.canonicalName,
  };
}
