// The fixed keys, times and declarations behind tests/vectors/declarations.json. Shared by the vector test
// (which rebuilds every deterministic byte and compares) and scripts/make-vectors.ts (which writes the file).

import { createHash } from 'node:crypto';
import { generatePrivateKey, keyMaterialFromPrivate } from '../../electron/core/keys';
import type { KeyAlgorithm, KeyMaterial } from '../../electron/core/keys/types';
import { buildContent, buildSignedData } from '../../electron/core/declaration/build';

export const VECTOR_UUID_NOSTR = '6f1c2a7e-3b4d-4c5e-8f90-a1b2c3d4e5f6';
export const VECTOR_UUID_ED25519 = '0b7e8c2d-5a61-4f3e-9d2c-7e8f9a0b1c2d';
export const VECTOR_UUID_RSA = '3c9d1e2f-4a5b-4c6d-8e7f-8091a2b3c4d5';
export const VECTOR_UUID_ML_DSA = 'a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c7d';

export const VECTOR_TIMES = {
  validFrom: '2025-01-01T00:00:00Z',
  validUntil: '2026-01-01T00:00:00Z',
  signingTimestamp: '2025-01-15T12:00:00Z',
  /** Detached countersignatures. */
  countersignedAt: '2025-01-16T09:30:00Z',
  /** Unix seconds of the Nostr countersignature event (2025-01-16T10:00:00Z). */
  nostrCountersignCreatedAt: 1737021600,
  /** Unix seconds of wrapper events (2025-01-17T08:00:00Z). */
  wrapCreatedAt: 1737100800,
} as const;

/** Deterministic bytes for a label: SHA-256 counter stream. Test keys only. */
export function labelledBytes(label: string): (n: number) => Uint8Array {
  return (n) => {
    const out = new Uint8Array(n);
    for (let offset = 0, counter = 0; offset < n; counter++) {
      const block = createHash('sha256').update(`declsign-vector:${label}:${counter}`).digest();
      out.set(block.subarray(0, Math.min(32, n - offset)), offset);
      offset += 32;
    }
    return out;
  };
}

export function vectorKey(algorithm: Exclude<KeyAlgorithm, 'rsa'>, label: string): KeyMaterial {
  return keyMaterialFromPrivate(algorithm, generatePrivateKey(algorithm, labelledBytes(label)));
}

export function vectorKeys() {
  return {
    nostrIssuer: vectorKey('nostr', 'nostr-issuer'),
    nostrTarget: vectorKey('nostr', 'nostr-target'),
    nostrWrapper: vectorKey('nostr', 'nostr-wrapper'),
    nostrCountersigner: vectorKey('nostr', 'nostr-countersigner'),
    ed25519Issuer: vectorKey('ed25519', 'ed25519-issuer'),
    ed25519Countersigner: vectorKey('ed25519', 'ed25519-countersigner'),
    mlDsaIssuer: vectorKey('ml-dsa-65', 'ml-dsa-65-issuer'),
  };
}

export const VECTOR_CONTENT = buildContent('trust-declaration', {
  role: 'operating-admin',
  privileges: ['moderation-action', 'metadata-delegation'],
  scope: { community: 'example', max_depth: 1 },
  note: 'Unicode survives: é ✓ 𝄞 and "quotes" \\ backslash',
  weight: 0.5,
});

export function vectorSignedData(uuid: string, signer: KeyMaterial, target: KeyMaterial) {
  return buildSignedData({
    declarationUuid: uuid,
    content: VECTOR_CONTENT,
    signer: { algorithm: signer.algorithm, publicKeyHex: signer.publicKeyHex },
    target: { algorithm: target.algorithm, publicKeyHex: target.publicKeyHex, keypairUuid: null },
    validFrom: VECTOR_TIMES.validFrom,
    validUntil: VECTOR_TIMES.validUntil,
    signingTimestamp: VECTOR_TIMES.signingTimestamp,
  });
}
