// Fresh private keys. Randomness is an argument so callers (and tests) decide where it comes from —
// except for RSA, where OpenSSL's prime search draws from its own CSPRNG and cannot be fed.

import { generateKeyPairSync } from 'node:crypto';
import { DeclsignError } from '../errors';
import { unsupported } from './derive';
import { ED25519_KEY_BYTES } from './ed25519';
import { ML_DSA_65_SEED_BYTES, mlDsa65KeygenFromSeed } from './ml-dsa';
import { NOSTR_KEY_BYTES, isValidNostrSecretKey } from './nostr-key';
import { RSA_DEFAULT_BITS, RSA_MAX_BITS, RSA_MIN_BITS } from './rsa';
import type { KeyAlgorithm } from './types';

export type RandomBytes = (n: number) => Uint8Array;

// A uniformly random 32-byte string is an invalid secp256k1 scalar with probability < 2^-127, so a
// handful of redraws that all fail means the random source is broken, not unlucky.
const MAX_SCALAR_DRAWS = 8;

export function generatePrivateKey(algorithm: KeyAlgorithm, randomBytes: RandomBytes, options: { rsaBits?: number } = {}): Uint8Array {
  switch (algorithm) {
    case 'nostr': {
      for (let draw = 0; draw < MAX_SCALAR_DRAWS; draw++) {
        const candidate = drawBytes(randomBytes, NOSTR_KEY_BYTES);
        if (isValidNostrSecretKey(candidate)) return candidate;
      }
      throw new DeclsignError('internal_error', 'The random source keeps returning invalid secp256k1 scalars.');
    }
    case 'ed25519':
      return drawBytes(randomBytes, ED25519_KEY_BYTES);
    case 'ml-dsa-65':
      return mlDsa65KeygenFromSeed(drawBytes(randomBytes, ML_DSA_65_SEED_BYTES)).secretKey;
    case 'rsa': {
      const bits = options.rsaBits ?? RSA_DEFAULT_BITS;
      if (!Number.isInteger(bits) || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
        throw new DeclsignError('invalid_input', `RSA key size must be an integer from ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits; got ${bits}.`);
      }
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: bits,
        publicExponent: 0x10001,
        privateKeyEncoding: { format: 'der', type: 'pkcs8' },
        publicKeyEncoding: { format: 'der', type: 'spki' },
      });
      return Uint8Array.from(privateKey);
    }
    default:
      throw unsupported(algorithm);
  }
}

function drawBytes(randomBytes: RandomBytes, n: number): Uint8Array {
  const bytes = randomBytes(n);
  if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
    throw new DeclsignError('internal_error', `The random source returned ${bytes?.length} bytes instead of ${n}.`);
  }
  return Uint8Array.from(bytes);
}
