// Published test vectors: BIP-340 (through the same @noble/curves schnorr that nostr-tools signs with),
// RFC 8032 §7.1 Ed25519, NIST ACVP ML-DSA-65 key generation, and the NIP-49 ncryptsec vector.

import { readFileSync } from 'node:fs';
import { createHash, sign } from 'node:crypto';
import { schnorr } from '@noble/curves/secp256k1.js';
import { npubEncode } from 'nostr-tools/nip19';
import { describe, expect, it } from 'vitest';
import { generatePrivateKey, importKey, keyMaterialFromPrivate, publicKeyFromPrivate } from '../../../electron/core/keys';
import { ed25519PrivateKeyObject } from '../../../electron/core/keys/ed25519';

const hex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const vectorPath = (name: string) => new URL(`./vectors/${name}`, import.meta.url);

describe('BIP-340 test vectors (bips/bip-0340/test-vectors.csv)', () => {
  const rows = readFileSync(vectorPath('bip340-test-vectors.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [index, secretKey, publicKey, auxRand, message, signature, result, ...comment] = line.split(',');
      return { index: Number(index), secretKey, publicKey, auxRand, message, signature, valid: result === 'TRUE', comment: comment.join(',') };
    });

  it('has all 15 vectors', () => {
    expect(rows.map((row) => row.index)).toEqual([...Array(15).keys()]);
  });

  for (const row of rows.filter((r) => r.secretKey !== '')) {
    it(`vector ${row.index}: derives the public key and reproduces the signature with its aux_rand`, () => {
      const secretKey = hex(row.secretKey!);
      expect(toHex(publicKeyFromPrivate('nostr', secretKey))).toBe(row.publicKey!.toLowerCase());
      const signature = schnorr.sign(hex(row.message!), secretKey, hex(row.auxRand!));
      expect(toHex(signature)).toBe(row.signature!.toLowerCase());
    });
  }

  for (const row of rows) {
    it(`vector ${row.index}: verification is ${row.valid}${row.comment ? ` (${row.comment})` : ''}`, () => {
      let verified: boolean;
      try {
        verified = schnorr.verify(hex(row.signature!), hex(row.message!), hex(row.publicKey!));
      } catch {
        verified = false;
      }
      expect(verified).toBe(row.valid);
    });
  }

  it('the off-curve public keys of vectors 5 and 14 are refused by our own npub import', () => {
    for (const index of [5, 14]) {
      const npub = npubEncode(rows[index]!.publicKey!.toLowerCase()); // nip19 encodes without checking the point
      expect(() => importKey({ data: npub })).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    }
    expect(importKey({ data: npubEncode(rows[1]!.publicKey!.toLowerCase()) }).sourceFormat).toBe('npub');
  });
});

describe('RFC 8032 §7.1 Ed25519 test vectors', () => {
  const vectors = [
    {
      name: 'TEST 1 (empty message)',
      secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2 (1 octet)',
      secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3 (2 octets)',
      secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
    {
      name: 'TEST SHA(abc) (message = SHA-512("abc"))',
      secretKey: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
      publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
      message: createHash('sha512').update('abc').digest('hex'),
      signature: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
    },
  ];

  for (const vector of vectors) {
    it(`${vector.name}: public key and signature match the RFC`, () => {
      const material = keyMaterialFromPrivate('ed25519', hex(vector.secretKey));
      expect(material.publicKeyHex).toBe(vector.publicKey);
      expect(material.fingerprint).toBe(createHash('sha256').update(hex(vector.publicKey)).digest('hex'));
      // Our KeyObject builder (RFC 8410 PKCS#8 wrapping of the seed) signs the raw message.
      const signature = sign(null, hex(vector.message), ed25519PrivateKeyObject(hex(vector.secretKey)));
      expect(signature.toString('hex')).toBe(vector.signature);
    });
  }

  it('the SHA(abc) message is the RFC one', () => {
    expect(vectors[3]!.message.startsWith('ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a')).toBe(true);
  });
});

describe('ML-DSA-65: NIST ACVP keyGen vector (FIPS 204)', () => {
  const vector = JSON.parse(readFileSync(vectorPath('ml-dsa-65-acvp-keygen-tc26.json'), 'utf8')) as { seed: string; pk: string; sk: string };

  it('generatePrivateKey with the ACVP seed as its randomness gives the published secret key, and it derives the published public key', () => {
    const seed = hex(vector.seed);
    const secretKey = generatePrivateKey('ml-dsa-65', (n) => {
      expect(n).toBe(32);
      return seed;
    });
    expect(secretKey.length).toBe(4032);
    expect(toHex(secretKey)).toBe(vector.sk.toLowerCase());
    const publicKey = publicKeyFromPrivate('ml-dsa-65', secretKey);
    expect(publicKey.length).toBe(1952);
    expect(toHex(publicKey)).toBe(vector.pk.toLowerCase());
  });

  it('imports the published keys from uppercase hex', () => {
    const secret = importKey({ data: vector.sk, algorithm: 'ml-dsa-65' });
    expect(secret.sourceFormat).toBe('ml-dsa-65-secret');
    expect(toHex(secret.publicKey)).toBe(vector.pk.toLowerCase());
    const pub = importKey({ data: vector.pk });
    expect(pub.privateKey).toBeUndefined();
    expect(toHex(pub.publicKey)).toBe(vector.pk.toLowerCase());
  });
});

describe('NIP-49 vector', () => {
  it('decrypts the ncryptsec published in NIP-49 (password "nostr", log_n 16)', () => {
    const imported = importKey({
      data: 'ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p',
      password: 'nostr',
    });
    expect(imported.algorithm).toBe('nostr');
    expect(imported.sourceFormat).toBe('ncryptsec');
    expect(toHex(imported.privateKey!)).toBe('3501454135014541350145413501453fefb02227e449e57cf4d3a3ce05378683');
    expect(imported.publicKey).toEqual(schnorr.getPublicKey(imported.privateKey!));
  });
});
