// Signatures over a 32-byte SHA-256 digest for the non-Nostr algorithms (Format 2/3 signatures).
// The signed message is the 32 raw digest bytes:
//  - ed25519:   pure Ed25519 (RFC 8032) over the digest, via node:crypto
//  - rsa:       RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt, via node:crypto
//               (node hashes the 32 digest bytes once more as part of EMSA-PSS)
//  - ml-dsa-65: FIPS 204 ML-DSA.Sign with an empty context, via @noble/post-quantum
// Nostr keys sign events, never digests.

import { sign, verify, type KeyObject } from 'node:crypto';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { DeclsignError } from '../errors';
import { bytesToHex } from '../hex';
import { unsupported } from './derive';
import { ED25519_SIGNATURE_BYTES, ed25519PrivateKeyObject, ed25519PublicKeyObject, isValidEd25519PublicKey } from './ed25519';
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SECRET_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from './ml-dsa';
import { rsaPrivateKeyObject, rsaPssSign, rsaPssVerify, tryRsaPublicKeyObject } from './rsa';
import type { KeyAlgorithm } from './types';

export const DIGEST_BYTES = 32;

export function signDigest(algorithm: KeyAlgorithm, privateKey: Uint8Array, digest: Uint8Array): Uint8Array {
  if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) {
    throw new DeclsignError('invalid_input', `A digest to sign is ${DIGEST_BYTES} bytes; got ${digest?.length}.`);
  }
  switch (algorithm) {
    case 'nostr':
      throw new DeclsignError('unsupported_algorithm', 'Nostr keys sign events, not digests: use the Nostr event signer.');
    case 'ed25519':
      return Uint8Array.from(sign(null, digest, ed25519PrivateKeyObject(privateKey)));
    case 'rsa':
      return rsaPssSign(rsaPrivateKeyObject(privateKey), digest);
    case 'ml-dsa-65':
      if (privateKey.length !== ML_DSA_65_SECRET_KEY_BYTES) {
        throw new DeclsignError('invalid_key', `An ML-DSA-65 secret key is ${ML_DSA_65_SECRET_KEY_BYTES} bytes; got ${privateKey.length}.`);
      }
      // Hedged signing (FIPS 204 default): the library mixes 32 fresh random bytes into the nonce,
      // which protects against fault and side-channel attacks; any valid signature is acceptable.
      return ml_dsa65.sign(digest, privateKey);
    default:
      throw unsupported(algorithm);
  }
}

/**
 * True only for a valid signature. Never throws: hostile public keys, signatures and digests of any
 * shape (and Nostr, which has no digest signatures) simply give false.
 */
export function verifyDigest(algorithm: KeyAlgorithm, publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(publicKey instanceof Uint8Array && digest instanceof Uint8Array && signature instanceof Uint8Array)) return false;
    if (digest.length !== DIGEST_BYTES) return false;
    switch (algorithm) {
      case 'ed25519': {
        if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
        const key = cachedPublicKey('ed25519', publicKey, () => (isValidEd25519PublicKey(publicKey) ? ed25519PublicKeyObject(publicKey) : null));
        return key !== null && verify(null, digest, key, signature);
      }
      case 'rsa': {
        const key = cachedPublicKey('rsa', publicKey, () => tryRsaPublicKeyObject(publicKey));
        return key !== null && rsaPssVerify(key, digest, signature);
      }
      case 'ml-dsa-65':
        return (
          publicKey.length === ML_DSA_65_PUBLIC_KEY_BYTES &&
          signature.length === ML_DSA_65_SIGNATURE_BYTES &&
          ml_dsa65.verify(signature, digest, publicKey)
        );
      default:
        return false;
    }
  } catch {
    return false;
  }
}

// Parsing an SPKI costs about as much as an RSA-2048 verification, and bulk verification checks
// many signatures by few keys, so parsed public keys are memoised. Bounded, oldest evicted first;
// keys that fail to parse are not remembered (they are cheap to reject again and would evict good ones).
const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, KeyObject>();

function cachedPublicKey(algorithm: 'ed25519' | 'rsa', publicKey: Uint8Array, parse: () => KeyObject | null): KeyObject | null {
  const cacheKey = `${algorithm}:${bytesToHex(publicKey)}`;
  const hit = keyCache.get(cacheKey);
  if (hit !== undefined) return hit;
  const parsed = parse();
  if (parsed === null) return null;
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(cacheKey, parsed);
  return parsed;
}
