// Ed25519 through node:crypto (≈10× faster than the JS libraries here). Keys are stored as the raw
// 32-byte RFC 8032 seed and public key; these helpers wrap them in the fixed RFC 8410 DER envelopes
// that OpenSSL understands, so no ASN.1 parser is involved.

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { DeclsignError } from '../errors';

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

// RFC 8410 §7 / §10.3: PrivateKeyInfo{v1, id-Ed25519, OCTET STRING{OCTET STRING(32)}} and
// SubjectPublicKeyInfo{id-Ed25519, BIT STRING(32)}; everything before the key bytes is constant.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519Pkcs8Der(seed: Uint8Array): Buffer {
  if (seed.length !== ED25519_KEY_BYTES) {
    throw new DeclsignError('invalid_key', `An Ed25519 private key is a 32-byte seed; got ${seed.length} bytes.`);
  }
  return Buffer.concat([PKCS8_PREFIX, seed]);
}

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: ed25519Pkcs8Der(seed), format: 'der', type: 'pkcs8' });
}

/** Throws for a wrong length only; point validity is `isValidEd25519PublicKey`'s job. */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== ED25519_KEY_BYTES) {
    throw new DeclsignError('invalid_key', `An Ed25519 public key is 32 bytes; got ${publicKey.length} bytes.`);
  }
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function ed25519SpkiDer(publicKey: Uint8Array): Buffer {
  return Buffer.concat([SPKI_PREFIX, publicKey]);
}

export function ed25519PublicKeyFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(SPKI_PREFIX.length));
}

/** Raw seed and public key of an Ed25519 KeyObject (e.g. one OpenSSL parsed from PEM). */
export function ed25519RawFromKeyObject(key: KeyObject): { seed?: Uint8Array; publicKey: Uint8Array } {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new DeclsignError('invalid_key', 'The Ed25519 key has no public part.');
  const publicKey = Uint8Array.from(Buffer.from(jwk.x, 'base64url'));
  return typeof jwk.d === 'string' ? { seed: Uint8Array.from(Buffer.from(jwk.d, 'base64url')), publicKey } : { publicKey };
}

/**
 * A public key we accept must decode to a curve point that is not of small order: small-order keys
 * (e.g. the identity) make signatures that "verify" for many messages, so they identify nobody.
 */
export function isValidEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_BYTES) return false;
  try {
    return !ed25519.Point.fromBytes(publicKey).isSmallOrder();
  } catch {
    return false;
  }
}
