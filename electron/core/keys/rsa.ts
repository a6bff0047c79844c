// RSA through node:crypto (≈80× faster than node-forge here). Private keys are stored as DER PKCS#8,
// public keys as DER SubjectPublicKeyInfo; both are re-exported by OpenSSL so the bytes (and thus the
// fingerprint) do not depend on which PEM flavour the key arrived in.

import { createPrivateKey, createPublicKey, sign, verify, constants, type KeyObject } from 'node:crypto';
import { DeclsignError } from '../errors';

export const RSA_MIN_BITS = 2048;
// OpenSSL's own ceiling for RSA public operations; also bounds the cost a hostile key can impose.
export const RSA_MAX_BITS = 16384;
export const RSA_DEFAULT_BITS = 3072;
export const RSA_PSS_SALT_BYTES = 32;

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT_BYTES } as const;

/** Why an RSA KeyObject is not acceptable, or null. Small moduli and degenerate exponents are refused. */
export function rsaKeyProblem(key: KeyObject): string | null {
  if (key.asymmetricKeyType !== 'rsa') {
    return key.asymmetricKeyType === 'rsa-pss'
      ? 'RSA-PSS-restricted keys (id-RSASSA-PSS) are not supported; use a plain rsaEncryption key.'
      : `expected an RSA key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MIN_BITS) return `RSA keys under ${RSA_MIN_BITS} bits are refused (this one has ${bits})`;
  if (bits > RSA_MAX_BITS) return `RSA keys over ${RSA_MAX_BITS} bits are refused (this one has ${bits})`;
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < 3n || exponent % 2n === 0n) return `the RSA public exponent ${exponent} is not an odd number ≥ 3`;
  return null;
}

function assertAcceptable(key: KeyObject): void {
  const problem = rsaKeyProblem(key);
  if (problem !== null) throw new DeclsignError('invalid_key', problem[0]!.toUpperCase() + problem.slice(1) + '.');
}

export function rsaPrivateKeyObject(pkcs8Der: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  } catch {
    throw new DeclsignError('invalid_key', 'The RSA private key is not valid DER PKCS#8.');
  }
  assertAcceptable(key);
  return key;
}

/** Returns null instead of throwing: used on the verification path, where bad input means "not valid". */
export function tryRsaPublicKeyObject(spkiDer: Uint8Array): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    return rsaKeyProblem(key) === null ? key : null;
  } catch {
    return null;
  }
}

/** Canonical stored forms of an RSA private KeyObject, after checking that it really signs. */
export function rsaCanonicalFromPrivate(key: KeyObject): { privateKey: Uint8Array; publicKey: Uint8Array } {
  assertAcceptable(key);
  const privateKey = Uint8Array.from(key.export({ format: 'der', type: 'pkcs8' }));
  const publicObject = createPublicKey(key);
  // OpenSSL loads RSA private keys without checking that n, e, d, p, q agree; one PSS round trip does.
  const probe = Buffer.alloc(32, 0x5a);
  if (!verify('sha256', probe, { key: publicObject, ...PSS }, sign('sha256', probe, { key, ...PSS }))) {
    throw new DeclsignError('invalid_key', 'The RSA private key is inconsistent: a test signature does not verify.');
  }
  return { privateKey, publicKey: Uint8Array.from(publicObject.export({ format: 'der', type: 'spki' })) };
}

export function rsaCanonicalPublic(key: KeyObject): Uint8Array {
  assertAcceptable(key);
  return Uint8Array.from(key.export({ format: 'der', type: 'spki' }));
}

export function rsaPssSign(key: KeyObject, digest: Uint8Array): Uint8Array {
  return Uint8Array.from(sign('sha256', digest, { key, ...PSS }));
}

export function rsaPssVerify(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  return verify('sha256', digest, { key, ...PSS }, signature);
}
