// RSA through node:crypto (≈80× faster than node-forge here). Private keys are stored as DER PKCS#8,
// public keys as DER SubjectPublicKeyInfo; both are re-exported by OpenSSL so the bytes (and thus the
// fingerprint) do not depend on which PEM flavour the key arrived in.

import { constants, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
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

/** Canonical stored forms of an RSA private KeyObject, after checking that its parts agree. */
export function rsaCanonicalFromPrivate(key: KeyObject): { privateKey: Uint8Array; publicKey: Uint8Array } {
  assertAcceptable(key);
  const jwk = key.export({ format: 'jwk' });
  if (!rsaComponentsAgree(jwk)) {
    throw new DeclsignError('invalid_key', 'The RSA private key is corrupt: its components (n, e, d, p, q, CRT values) do not agree.');
  }
  // Re-encoding from the eight numbers alone drops whatever else the file carried (odd version
  // numbers, attributes), so one key has exactly one stored form.
  const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
  const canonical = createPrivateKey({ key: { kty, n, e, d, p, q, dp, dq, qi }, format: 'jwk' });
  return {
    privateKey: Uint8Array.from(canonical.export({ format: 'der', type: 'pkcs8' })),
    publicKey: Uint8Array.from(createPublicKey(canonical).export({ format: 'der', type: 'spki' })),
  };
}

/**
 * OpenSSL loads RSA private keys without checking them, and when a CRT value is wrong it silently
 * falls back to signing with d, so a test signature cannot reveal a corrupted file. The arithmetic can:
 * n = p·q, e·d ≡ 1 (mod p−1) and (mod q−1), dP = d mod (p−1), dQ = d mod (q−1), qInv·q ≡ 1 (mod p).
 */
function rsaComponentsAgree(jwk: JsonWebKey): boolean {
  const parts = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi];
  if (parts.some((part) => typeof part !== 'string')) return false;
  const [n, e, d, p, q, dp, dq, qi] = parts.map((part) => BigInt('0x' + (Buffer.from(part!, 'base64url').toString('hex') || '0')));
  const p1 = p! - 1n;
  const q1 = q! - 1n;
  return (
    p! > 1n &&
    q! > 1n &&
    p! * q! === n &&
    (e! * d!) % p1 === 1n &&
    (e! * d!) % q1 === 1n &&
    d! % p1 === dp &&
    d! % q1 === dq &&
    (qi! * q!) % p! === 1n
  );
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
