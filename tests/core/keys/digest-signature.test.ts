// signDigest / verifyDigest / generatePrivateKey / keyMaterialFromPrivate against real node:crypto and
// @noble/post-quantum. verifyDigest must answer false — never throw — for anything hostile.

import { constants, createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../../electron/core/errors';
import {
  generatePrivateKey,
  isValidPublicKey,
  keyMaterialFromPrivate,
  publicKeyFromPrivate,
  signDigest,
  verifyDigest,
  type KeyAlgorithm,
} from '../../../electron/core/keys';

const digestOf = (text: string) => Uint8Array.from(createHash('sha256').update(text).digest());
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

// RSA keygen is the slow one: one default-size (3072) key for the whole file.
const rsaKey = generatePrivateKey('rsa', randomBytes);
const keys: Record<'ed25519' | 'rsa' | 'ml-dsa-65', Uint8Array> = {
  ed25519: generatePrivateKey('ed25519', randomBytes),
  rsa: rsaKey,
  'ml-dsa-65': generatePrivateKey('ml-dsa-65', randomBytes),
};
const publicOf = (algorithm: KeyAlgorithm, privateKey: Uint8Array) => publicKeyFromPrivate(algorithm, privateKey);

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeclsignError);
    expect((error as DeclsignError).code).toBe(code);
    return;
  }
  throw new Error(`expected DeclsignError ${code}`);
}

describe('generatePrivateKey', () => {
  it('gives the documented sizes and a 3072-bit RSA key by default', () => {
    expect(keys.ed25519.length).toBe(32);
    expect(keys['ml-dsa-65'].length).toBe(4032);
    expect(publicOf('ml-dsa-65', keys['ml-dsa-65']).length).toBe(1952);
    const spki = createPublicKey({ key: Buffer.from(publicOf('rsa', rsaKey)), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(spki.asymmetricKeyDetails?.publicExponent).toBe(65537n);
  });

  it('is a pure function of the random bytes for nostr, ed25519 and ml-dsa-65', () => {
    for (const algorithm of ['nostr', 'ed25519', 'ml-dsa-65'] as const) {
      const seed = randomBytes(32);
      const first = generatePrivateKey(algorithm, () => Uint8Array.from(seed));
      const second = generatePrivateKey(algorithm, () => Uint8Array.from(seed));
      expect(first).toEqual(second);
      expect(generatePrivateKey(algorithm, randomBytes)).not.toEqual(first);
    }
  });

  it('redraws nostr scalars that are zero or ≥ n, and gives up on a broken source', () => {
    const n = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
    const valid = fromHex('0000000000000000000000000000000000000000000000000000000000000003');
    const draws = [new Uint8Array(32), n, valid];
    let calls = 0;
    expect(generatePrivateKey('nostr', () => draws[calls++]!)).toEqual(valid);
    expect(calls).toBe(3);
    expectCode(() => generatePrivateKey('nostr', () => new Uint8Array(32)), 'internal_error');
    expectCode(() => generatePrivateKey('ed25519', () => new Uint8Array(31)), 'internal_error');
  });

  it('refuses RSA sizes under 2048 or over 16384 bits', () => {
    expectCode(() => generatePrivateKey('rsa', randomBytes, { rsaBits: 1024 }), 'invalid_input');
    expectCode(() => generatePrivateKey('rsa', randomBytes, { rsaBits: 32768 }), 'invalid_input');
    expectCode(() => generatePrivateKey('rsa', randomBytes, { rsaBits: 2048.5 }), 'invalid_input');
  });

  it('refuses unknown algorithms', () => {
    expectCode(() => generatePrivateKey('dsa' as KeyAlgorithm, randomBytes), 'unsupported_algorithm');
  });
});

describe('keyMaterialFromPrivate', () => {
  it('builds the identity from the derived public key and copies the private key', () => {
    const secret = generatePrivateKey('nostr', randomBytes);
    const material = keyMaterialFromPrivate('nostr', secret);
    expect(material.canonicalName.startsWith('npub1')).toBe(true);
    expect(material.fingerprint).toBe(createHash('sha256').update(fromHex(material.publicKeyHex)).digest('hex'));
    expect(material.privateKey).toEqual(secret);
    secret.fill(0);
    expect(material.privateKey).not.toEqual(secret);
    const rsa = keyMaterialFromPrivate('rsa', rsaKey);
    expect(rsa.canonicalName).toBe(`rsa:${rsa.fingerprint}`);
  });

  it('refuses private keys that are not usable', () => {
    expectCode(() => keyMaterialFromPrivate('nostr', new Uint8Array(32)), 'invalid_key');
    expectCode(() => keyMaterialFromPrivate('ed25519', new Uint8Array(31)), 'invalid_key');
    expectCode(() => keyMaterialFromPrivate('rsa', randomBytes(300)), 'invalid_key');
    const corrupt = Uint8Array.from(keys['ml-dsa-65']);
    corrupt[100] ^= 1; // inside tr = H(pk)
    expectCode(() => keyMaterialFromPrivate('ml-dsa-65', corrupt), 'invalid_key');
    const corruptS1 = Uint8Array.from(keys['ml-dsa-65']);
    corruptS1[200] ^= 0x11; // inside s1: the derived public key no longer matches tr
    expectCode(() => keyMaterialFromPrivate('ml-dsa-65', corruptS1), 'invalid_key');
  });

  it('refuses RSA private keys under 2048 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' });
    expectCode(() => keyMaterialFromPrivate('rsa', Uint8Array.from(small)), 'invalid_key');
  });
});

describe('signDigest / verifyDigest', () => {
  const digest = digestOf('declaration body');
  const otherDigest = digestOf('another declaration body');

  for (const algorithm of ['ed25519', 'rsa', 'ml-dsa-65'] as const) {
    describe(algorithm, () => {
      const privateKey = keys[algorithm];
      const publicKey = publicOf(algorithm, privateKey);
      const signature = signDigest(algorithm, privateKey, digest);
      const otherKey = algorithm === 'rsa' ? generatePrivateKey('rsa', randomBytes, { rsaBits: 2048 }) : generatePrivateKey(algorithm, randomBytes);

      it('verifies its own signature', () => {
        expect(verifyDigest(algorithm, publicKey, digest, signature)).toBe(true);
      });

      it('rejects a tampered digest, a tampered signature and another key', () => {
        expect(verifyDigest(algorithm, publicKey, otherDigest, signature)).toBe(false);
        const flipped = Uint8Array.from(signature);
        flipped[flipped.length >> 1] ^= 0x01;
        expect(verifyDigest(algorithm, publicKey, digest, flipped)).toBe(false);
        expect(verifyDigest(algorithm, publicOf(algorithm, otherKey), digest, signature)).toBe(false);
      });

      it('returns false for wrong-length signatures and digests', () => {
        expect(verifyDigest(algorithm, publicKey, digest, signature.subarray(0, signature.length - 1))).toBe(false);
        expect(verifyDigest(algorithm, publicKey, digest, new Uint8Array([...signature, 0]))).toBe(false);
        expect(verifyDigest(algorithm, publicKey, digest, new Uint8Array(0))).toBe(false);
        expect(verifyDigest(algorithm, publicKey, digest.subarray(0, 31), signature)).toBe(false);
      });

      it('returns false (never throws) for garbage public keys', () => {
        for (const garbage of [new Uint8Array(0), randomBytes(7), randomBytes(32), randomBytes(294), randomBytes(1952), new Uint8Array(1952)]) {
          expect(verifyDigest(algorithm, Uint8Array.from(garbage), digest, signature)).toBe(false);
        }
        expect(verifyDigest(algorithm, 'not bytes' as unknown as Uint8Array, digest, signature)).toBe(false);
        expect(verifyDigest(algorithm, publicKey, null as unknown as Uint8Array, signature)).toBe(false);
      });

      it('refuses digests that are not 32 bytes when signing', () => {
        expectCode(() => signDigest(algorithm, privateKey, new Uint8Array(31)), 'invalid_input');
        expectCode(() => signDigest(algorithm, privateKey, new Uint8Array(64)), 'invalid_input');
      });
    });
  }

  it('signature sizes: ed25519 64, rsa-3072 384, ml-dsa-65 3309', () => {
    expect(signDigest('ed25519', keys.ed25519, digest).length).toBe(64);
    expect(signDigest('rsa', rsaKey, digest).length).toBe(384);
    expect(signDigest('ml-dsa-65', keys['ml-dsa-65'], digest).length).toBe(3309);
  });

  it('ed25519 is deterministic; rsa-pss and hedged ml-dsa are not, yet all verify', () => {
    expect(signDigest('ed25519', keys.ed25519, digest)).toEqual(signDigest('ed25519', keys.ed25519, digest));
    for (const algorithm of ['rsa', 'ml-dsa-65'] as const) {
      const a = signDigest(algorithm, keys[algorithm], digest);
      const b = signDigest(algorithm, keys[algorithm], digest);
      expect(a).not.toEqual(b);
      expect(verifyDigest(algorithm, publicOf(algorithm, keys[algorithm]), digest, b)).toBe(true);
    }
  });

  it('rsa is RSASSA-PSS / SHA-256 / MGF1-SHA-256 / salt 32 over the digest bytes, as node verifies it independently', () => {
    const signature = signDigest('rsa', rsaKey, digest);
    const key = createPublicKey({ key: Buffer.from(publicOf('rsa', rsaKey)), format: 'der', type: 'spki' });
    expect(verify('sha256', digest, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)).toBe(true);
    // A different salt length is a different scheme: it must not verify.
    expect(verify('sha256', digest, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 }, signature)).toBe(false);
  });

  it('rejects signatures by RSA keys under 2048 bits even when mathematically valid', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const spki = Uint8Array.from(small.publicKey.export({ format: 'der', type: 'spki' }));
    const signature = Uint8Array.from(
      sign('sha256', digest, { key: small.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    expect(verifyDigest('rsa', spki, digest, signature)).toBe(false);
    expect(isValidPublicKey('rsa', spki)).toBe(false);
  });

  it('rejects small-order Ed25519 public keys', () => {
    const identityPoint = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
    expect(isValidPublicKey('ed25519', identityPoint)).toBe(false);
    expect(verifyDigest('ed25519', identityPoint, digest, new Uint8Array(64))).toBe(false);
  });

  it('nostr keys do not sign digests, and verifyDigest says false for them', () => {
    const secret = generatePrivateKey('nostr', randomBytes);
    expectCode(() => signDigest('nostr', secret, digest), 'unsupported_algorithm');
    expect(verifyDigest('nostr', publicOf('nostr', secret), digest, new Uint8Array(64))).toBe(false);
    expect(verifyDigest('bogus' as KeyAlgorithm, new Uint8Array(32), digest, new Uint8Array(64))).toBe(false);
  });

  it('verifies correctly when many keys pass through the key cache', () => {
    const signers = Array.from({ length: 300 }, () => generatePrivateKey('ed25519', randomBytes));
    const signatures = signers.map((key) => signDigest('ed25519', key, digest));
    for (let round = 0; round < 2; round++) {
      signers.forEach((key, i) => {
        const publicKey = publicOf('ed25519', key);
        expect(verifyDigest('ed25519', publicKey, digest, signatures[i]!)).toBe(true);
        expect(verifyDigest('ed25519', publicKey, digest, signatures[(i + 1) % signers.length]!)).toBe(false);
      });
    }
  });
});
