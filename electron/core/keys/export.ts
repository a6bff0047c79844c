// Key export. Public keys: hex (every algorithm), npub (Nostr), SPKI PEM (Ed25519, RSA).
// Private keys leave only encrypted: ncryptsec (Nostr, NIP-49) or encrypted PKCS#8 PEM (Ed25519, RSA).
// ML-DSA-65 private keys are not exportable: there is no interoperable encrypted format for them yet
// (the PKCS#8 encoding for ML-DSA is not readable by our OpenSSL), and we will not write them in clear.

import { npubEncode } from 'nostr-tools/nip19';
import { DeclsignError } from '../errors';
import { bytesToHex } from '../hex';
import { isValidPublicKey, unsupported } from './derive';
import { ed25519Pkcs8Der, ed25519SpkiDer } from './ed25519';
import { NIP49_DEFAULT_LOG_N, encryptNcryptsec, type KeySecurityByte } from './nip49';
import { toPem } from './pem';
import { encryptPkcs8Pem } from './pkcs8-encryption';
import { rsaCanonicalFromPrivate, rsaPrivateKeyObject } from './rsa';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types';

export type PublicExportFormat = 'hex' | 'npub' | 'pem';
export type PrivateExportFormat = 'ncryptsec' | 'pem';

export interface PrivateExportOptions {
  /** NIP-49 scrypt cost, 16–20 (default 16). */
  nip49LogN?: number;
  /** NIP-49 key-security byte: 0 known insecure, 1 secure, 2 not tracked (default 2). */
  nip49KeySecurityByte?: KeySecurityByte;
}

export function exportPublic(algorithm: KeyAlgorithm, publicKey: Uint8Array, format: PublicExportFormat): string {
  assertValidPublicKey(algorithm, publicKey);
  switch (format) {
    case 'hex':
      return bytesToHex(publicKey);
    case 'npub':
      if (algorithm !== 'nostr') throw notAvailable(format, algorithm);
      return npubEncode(bytesToHex(publicKey));
    case 'pem':
      if (algorithm === 'ed25519') return toPem('PUBLIC KEY', ed25519SpkiDer(publicKey));
      if (algorithm === 'rsa') return toPem('PUBLIC KEY', publicKey);
      throw notAvailable(format, algorithm);
    default:
      throw new DeclsignError('invalid_input', `Unknown public key export format: ${String(format)}.`);
  }
}

export function exportPrivate(
  algorithm: KeyAlgorithm,
  privateKey: Uint8Array,
  format: PrivateExportFormat,
  password: string,
  options: PrivateExportOptions = {},
): string {
  if (!KEY_ALGORITHMS.includes(algorithm)) throw unsupported(algorithm);
  if (typeof password !== 'string' || password === '') {
    throw new DeclsignError('invalid_input', 'A private key is only exported encrypted: a non-empty password is required.');
  }
  if (algorithm === 'ml-dsa-65') {
    throw new DeclsignError('unsupported_algorithm', 'ML-DSA-65 private keys cannot be exported: there is no interoperable encrypted format for them yet.');
  }
  switch (format) {
    case 'ncryptsec':
      if (algorithm !== 'nostr') throw notAvailable(format, algorithm);
      return encryptNcryptsec(privateKey, password, options.nip49LogN ?? NIP49_DEFAULT_LOG_N, options.nip49KeySecurityByte ?? 2);
    case 'pem':
      if (algorithm === 'ed25519') return encryptPkcs8Pem(ed25519Pkcs8Der(privateKey), password);
      if (algorithm === 'rsa') return encryptPkcs8Pem(rsaCanonicalFromPrivate(rsaPrivateKeyObject(privateKey)).privateKey, password);
      throw notAvailable(format, algorithm);
    default:
      throw new DeclsignError('invalid_input', `Unknown private key export format: ${String(format)}.`);
  }
}

function assertValidPublicKey(algorithm: KeyAlgorithm, publicKey: Uint8Array): void {
  if (!KEY_ALGORITHMS.includes(algorithm)) throw unsupported(algorithm);
  if (!isValidPublicKey(algorithm, publicKey)) throw new DeclsignError('invalid_key', `These bytes are not a valid ${algorithm} public key.`);
}

function notAvailable(format: string, algorithm: KeyAlgorithm): DeclsignError {
  return new DeclsignError('unsupported_algorithm', `Export format "${format}" is not available for ${algorithm} keys.`);
}
