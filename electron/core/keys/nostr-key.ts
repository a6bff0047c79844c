// Nostr (BIP-340) key checks and derivation. Events are signed elsewhere (nostr-tools finalizeEvent);
// this module only guarantees that the 32-byte secrets and x-only public keys we accept are real ones.

import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { DeclsignError } from '../errors';

export const NOSTR_KEY_BYTES = 32;

/** A secret key is usable only if it is a scalar in [1, n-1]; anything else cannot be signed with. */
export function isValidNostrSecretKey(secretKey: Uint8Array): boolean {
  return secretKey.length === NOSTR_KEY_BYTES && secp256k1.utils.isValidSecretKey(secretKey);
}

/** An x-only public key is valid only if it lifts to a curve point (BIP-340 lift_x). */
export function isValidNostrPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== NOSTR_KEY_BYTES) return false;
  try {
    schnorr.utils.lift_x(BigInt('0x' + Buffer.from(publicKey).toString('hex')));
    return true;
  } catch {
    return false;
  }
}

export function assertNostrSecretKey(secretKey: Uint8Array): void {
  if (!isValidNostrSecretKey(secretKey)) {
    throw new DeclsignError('invalid_key', 'A Nostr secret key must be 32 bytes encoding a scalar between 1 and n-1 of secp256k1.');
  }
}

export function nostrPublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  assertNostrSecretKey(secretKey);
  return schnorr.getPublicKey(secretKey);
}
