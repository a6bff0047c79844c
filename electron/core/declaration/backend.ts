// The signature primitives the declaration core depends on, injectable so it can run against any backend
// (and so bulk verification can plug in a faster Schnorr verifier).

import { signDigest, verifyDigest } from '../keys';
import type { KeyAlgorithm } from '../keys/types';
import { verifySchnorrNoble, type SchnorrVerifier } from './nostr-event';

export type DigestSigner = (algorithm: KeyAlgorithm, privateKey: Uint8Array, digest32: Uint8Array) => Uint8Array;
/** Must return false (never throw) for malformed keys or signatures. */
export type DigestVerifier = (algorithm: KeyAlgorithm, publicKey: Uint8Array, digest32: Uint8Array, signature: Uint8Array) => boolean;

export interface DigestBackend {
  signDigest: DigestSigner;
  verifyDigest: DigestVerifier;
}

export interface VerifyBackend {
  verifyDigest: DigestVerifier;
  verifySchnorr: SchnorrVerifier;
}

/** The production backend: node:crypto Ed25519 / RSA-PSS, @noble ML-DSA-65 (electron/core/keys), @noble BIP-340. */
export const defaultBackend: DigestBackend & VerifyBackend = { signDigest, verifyDigest, verifySchnorr: verifySchnorrNoble };

export { verifySchnorrNoble };
export type { SchnorrVerifier };
