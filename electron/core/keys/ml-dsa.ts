// ML-DSA-65 (FIPS 204) through @noble/post-quantum; node 20 has no native ML-DSA.

import { createHash } from 'node:crypto';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { DeclsignError } from '../errors';

export const ML_DSA_65_PUBLIC_KEY_BYTES = 1952;
export const ML_DSA_65_SECRET_KEY_BYTES = 4032;
export const ML_DSA_65_SIGNATURE_BYTES = 3309;
export const ML_DSA_65_SEED_BYTES = 32;

// FIPS 204 skEncode: ρ (32) ‖ K (32) ‖ tr (64) ‖ s1 ‖ s2 ‖ t0, where tr = H(pk, 64) and H = SHAKE256.
const TR_OFFSET = 64;
const TR_BYTES = 64;

/**
 * Derives the public key and checks it against the tr = H(pk) the secret key carries, so a corrupted
 * or foreign 4032-byte blob is refused instead of producing signatures nobody can verify.
 */
export function mlDsa65PublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== ML_DSA_65_SECRET_KEY_BYTES) {
    throw new DeclsignError('invalid_key', `An ML-DSA-65 secret key is ${ML_DSA_65_SECRET_KEY_BYTES} bytes; got ${secretKey.length}.`);
  }
  let publicKey: Uint8Array;
  try {
    publicKey = ml_dsa65.getPublicKey(secretKey);
  } catch {
    throw new DeclsignError('invalid_key', 'The ML-DSA-65 secret key does not decode.');
  }
  const tr = createHash('shake256', { outputLength: TR_BYTES }).update(publicKey).digest();
  if (!tr.equals(secretKey.subarray(TR_OFFSET, TR_OFFSET + TR_BYTES))) {
    throw new DeclsignError('invalid_key', 'The ML-DSA-65 secret key is corrupt: its embedded public-key hash does not match.');
  }
  return publicKey;
}

export function mlDsa65KeygenFromSeed(seed: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  if (seed.length !== ML_DSA_65_SEED_BYTES) {
    throw new DeclsignError('internal_error', `ML-DSA-65 key generation needs a ${ML_DSA_65_SEED_BYTES}-byte seed.`);
  }
  return ml_dsa65.keygen(seed);
}
