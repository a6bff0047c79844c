// Fingerprints and canonical names: the identity an administrator reads aloud and a verifier recomputes.

import { createHash } from 'node:crypto';
import { npubEncode } from 'nostr-tools/nip19';
import { bytesToHex } from '../hex';
import type { KeyAlgorithm, PublicKeyIdentity } from './types';

/** SHA-256 over the public key bytes (layouts in ./types.ts), lowercase hex. */
export function fingerprintOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

export function canonicalNameOf(algorithm: KeyAlgorithm, publicKey: Uint8Array, fingerprint = fingerprintOf(publicKey)): string {
  return algorithm === 'nostr' ? npubEncode(bytesToHex(publicKey)) : `${algorithm}:${fingerprint}`;
}

export function identityFromPublicKey(algorithm: KeyAlgorithm, publicKey: Uint8Array): PublicKeyIdentity {
  const fingerprint = fingerprintOf(publicKey);
  return {
    algorithm,
    publicKeyHex: bytesToHex(publicKey),
    fingerprint,
    canonicalName: canonicalNameOf(algorithm, publicKey, fingerprint),
  };
}

/** Groups a fingerprint for reading aloud: `ab12 cd34 …`. */
export function groupFingerprint(fingerprint: string, groupSize = 4): string {
  const groups: string[] = [];
  for (let i = 0; i < fingerprint.length; i += groupSize) groups.push(fingerprint.slice(i, i + groupSize));
  return groups.join(' ');
}
