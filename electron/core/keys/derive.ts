// Private key bytes → public key bytes and identity, per algorithm (layouts in ./types.ts).

import { DeclsignError } from '../errors';
import { createPublicKey } from 'node:crypto';
import { ed25519PublicKeyFromSeed, isValidEd25519PublicKey } from './ed25519';
import { identityFromPublicKey } from './identity';
import { ML_DSA_65_PUBLIC_KEY_BYTES, mlDsa65PublicKeyFromSecret } from './ml-dsa';
import { isValidNostrPublicKey, nostrPublicKeyFromSecret } from './nostr-key';
import { rsaCanonicalPublic, rsaPrivateKeyObject, tryRsaPublicKeyObject } from './rsa';
import type { KeyAlgorithm, KeyMaterial } from './types';

/** Throws `invalid_key` when the bytes are not a usable private key of that algorithm. */
export function publicKeyFromPrivate(algorithm: KeyAlgorithm, privateKey: Uint8Array): Uint8Array {
  switch (algorithm) {
    case 'nostr':
      return nostrPublicKeyFromSecret(privateKey);
    case 'ed25519':
      return ed25519PublicKeyFromSeed(privateKey);
    case 'rsa':
      return rsaCanonicalPublic(createPublicKey(rsaPrivateKeyObject(privateKey)));
    case 'ml-dsa-65':
      return mlDsa65PublicKeyFromSecret(privateKey);
    default:
      throw unsupported(algorithm);
  }
}

/** Identity plus a private copy of the key (callers may wipe their own buffer afterwards). */
export function keyMaterialFromPrivate(algorithm: KeyAlgorithm, privateKey: Uint8Array): KeyMaterial {
  const publicKey = publicKeyFromPrivate(algorithm, privateKey);
  return { ...identityFromPublicKey(algorithm, publicKey), privateKey: Uint8Array.from(privateKey) };
}

/**
 * Whether untrusted bytes are a public key we would accept for `algorithm`: a secp256k1 x-only point,
 * a non-small-order Ed25519 point, an RSA SPKI of 2048–16384 bits, or 1952 ML-DSA-65 bytes. Never throws.
 */
export function isValidPublicKey(algorithm: KeyAlgorithm, publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array)) return false;
  switch (algorithm) {
    case 'nostr':
      return isValidNostrPublicKey(publicKey);
    case 'ed25519':
      return isValidEd25519PublicKey(publicKey);
    case 'rsa':
      return tryRsaPublicKeyObject(publicKey) !== null;
    case 'ml-dsa-65':
      return publicKey.length === ML_DSA_65_PUBLIC_KEY_BYTES;
    default:
      return false;
  }
}

export function unsupported(algorithm: unknown): DeclsignError {
  return new DeclsignError('unsupported_algorithm', `Unknown key algorithm: ${String(algorithm)}.`);
}
