// importKey / exportPublic / exportPrivate: every accepted format in and out, against keys made by
// node:crypto, node-forge and (when present) the openssl CLI; wrong passwords, truncation, weak keys
// and garbage all end in precise DeclsignErrors.

import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bech32 } from '@scure/base';
import forge from 'node-forge';
import { nsecEncode } from 'nostr-tools/nip19';
import { afterAll, describe, expect, it } from 'vitest';
import { DeclsignError } from '../../../electron/core/errors';
import {
  exportPrivate,
  exportPublic,
  generatePrivateKey,
  importKey,
  keyMaterialFromPrivate,
  publicKeyFromPrivate,
  type ImportKeyInput,
} from '../../../electron/core/keys';

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function errorOf(fn: () => unknown): DeclsignError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeclsignError) return error;
    throw new Error(`expected a DeclsignError, got ${String(error)}`);
  }
  throw new Error('expected a DeclsignError, nothing was thrown');
}
const importError = (input: ImportKeyInput) => errorOf(() => importKey(input));

// One RSA key for the file (2048 keeps the file fast; 3072 is covered by digest-signature.test.ts).
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPkcs8 = Uint8Array.from(rsa.privateKey.export({ format: 'der', type: 'pkcs8' }));
const rsaSpki = publicKeyFromPrivate('rsa', rsaPkcs8);
const ed = generateKeyPairSync('ed25519');
const edSeed = Uint8Array.from(Buffer.from(ed.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
const edPublic = publicKeyFromPrivate('ed25519', edSeed);

const scratch = mkdtempSync(join(tmpdir(), 'declsign-keys-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Nostr formats', () => {
  const secret = generatePrivateKey('nostr', randomBytes);
  const publicKey = publicKeyFromPrivate('nostr', secret);

  it('imports hex (with algorithm nostr), nsec and npub', () => {
    const fromHex = importKey({ data: toHex(secret), algorithm: 'nostr' });
    expect(fromHex).toMatchObject({ algorithm: 'nostr', sourceFormat: 'nostr-secret-hex' });
    expect(fromHex.privateKey).toEqual(secret);
    expect(fromHex.publicKey).toEqual(publicKey);
    const fromNsec = importKey({ data: `  ${nsecEncode(secret)}\n` });
    expect(fromNsec.sourceFormat).toBe('nsec');
    expect(fromNsec.privateKey).toEqual(secret);
    const fromNpub = importKey({ data: exportPublic('nostr', publicKey, 'npub') });
    expect(fromNpub).toMatchObject({ algorithm: 'nostr', sourceFormat: 'npub' });
    expect(fromNpub.privateKey).toBeUndefined();
    expect(fromNpub.publicKey).toEqual(publicKey);
    expect(exportPublic('nostr', publicKey, 'hex')).toBe(toHex(publicKey));
  });

  it('says a bare 64-hex string is ambiguous without an algorithm', () => {
    const error = importError({ data: toHex(secret) });
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/ambiguous/);
  });

  it('refuses the zero scalar and a mismatched algorithm hint', () => {
    expect(importError({ data: '00'.repeat(32), algorithm: 'nostr' }).code).toBe('invalid_key');
    expect(importError({ data: nsecEncode(secret), algorithm: 'ed25519' }).message).toMatch(/Expected a ed25519 key/);
  });

  it('round-trips ncryptsec with the requested log_n and key-security byte', () => {
    const ncryptsec = exportPrivate('nostr', secret, 'ncryptsec', 'correct horse', { nip49KeySecurityByte: 0 });
    expect(ncryptsec.startsWith('ncryptsec1')).toBe(true);
    const bytes = bech32.fromWords(bech32.decode(ncryptsec as `${string}1${string}`, 5000).words);
    expect(bytes[1]).toBe(16);
    const imported = importKey({ data: ncryptsec, password: 'correct horse' });
    expect(imported.privateKey).toEqual(secret);
    expect(imported.nip49KeySecurityByte).toBe(0);
    expect(importError({ data: ncryptsec, password: 'wrong horse' }).code).toBe('wrong_key_password');
    expect(importError({ data: ncryptsec }).code).toBe('wrong_key_password');
  });

  it('refuses an ncryptsec demanding more than 1 GiB of scrypt memory before running scrypt', () => {
    const bytes = new Uint8Array(91);
    bytes[0] = 2;
    bytes[1] = 30;
    const hostile = bech32.encode('ncryptsec', bech32.toWords(bytes), 5000);
    const error = importError({ data: hostile, password: 'x' });
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/log_n 30/);
  });

  it('refuses a mistyped ncryptsec and bad export parameters', () => {
    const ncryptsec = exportPrivate('nostr', secret, 'ncryptsec', 'pw');
    const typo = ncryptsec.slice(0, 20) + (ncryptsec[20] === 'q' ? 'p' : 'q') + ncryptsec.slice(21);
    expect(importError({ data: typo, password: 'pw' }).code).toBe('invalid_key');
    expect(errorOf(() => exportPrivate('nostr', secret, 'ncryptsec', 'pw', { nip49LogN: 12 })).code).toBe('invalid_input');
    expect(errorOf(() => exportPrivate('nostr', secret, 'ncryptsec', '')).code).toBe('invalid_input');
    expect(errorOf(() => exportPrivate('nostr', secret, 'pem', 'pw')).code).toBe('unsupported_algorithm');
    expect(errorOf(() => exportPublic('nostr', publicKey, 'pem')).code).toBe('unsupported_algorithm');
  });
});

describe('Ed25519 formats', () => {
  const pkcs8Pem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

  it('imports PKCS#8 PEM, also with a leading label, indentation and CRLF, and as file bytes', () => {
    for (const data of [
      pkcs8Pem,
      `My admin key (ed25519)\r\n\r\n${pkcs8Pem.split('\n').map((line) => `   ${line}`).join('\r\n')}`,
      Uint8Array.from(Buffer.from('\uFEFF' + pkcs8Pem, 'utf8')),
    ]) {
      const imported = importKey({ data });
      expect(imported).toMatchObject({ algorithm: 'ed25519', sourceFormat: 'pkcs8-pem' });
      expect(imported.privateKey).toEqual(edSeed);
      expect(imported.publicKey).toEqual(edPublic);
    }
  });

  it('imports DER PKCS#8 bytes and the 64-hex public key with algorithm ed25519', () => {
    const der = Uint8Array.from(ed.privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(importKey({ data: der }).sourceFormat).toBe('pkcs8-der');
    const fromHex = importKey({ data: toHex(edPublic), algorithm: 'ed25519' });
    expect(fromHex).toMatchObject({ sourceFormat: 'ed25519-public-hex', publicKey: edPublic });
    expect(fromHex.privateKey).toBeUndefined();
  });

  it('round-trips SPKI PEM and encrypted PKCS#8 PEM', () => {
    const spkiPem = exportPublic('ed25519', edPublic, 'pem');
    expect(spkiPem).toBe(ed.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(importKey({ data: spkiPem })).toMatchObject({ sourceFormat: 'spki-pem', publicKey: edPublic });

    const encrypted = exportPrivate('ed25519', edSeed, 'pem', 'pässwörd');
    expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const imported = importKey({ data: encrypted, password: 'pässwörd' });
    expect(imported).toMatchObject({ algorithm: 'ed25519', sourceFormat: 'encrypted-pkcs8-pem' });
    expect(imported.privateKey).toEqual(edSeed);
    // node (OpenSSL) reads our encryption without our help
    expect(toHex(Uint8Array.from(createPublicKey(createPrivateKey({ key: encrypted, passphrase: 'pässwörd' })).export({ format: 'der', type: 'spki' }).subarray(12)))).toBe(toHex(edPublic));
    expect(importError({ data: encrypted, password: 'password' }).code).toBe('wrong_key_password');
    expect(importError({ data: encrypted }).code).toBe('wrong_key_password');
  });

  it('reads encrypted PKCS#8 written by OpenSSL itself, and reports every wrong password as such', () => {
    const byNode = ed.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect(importKey({ data: byNode, password: 'pw' }).privateKey).toEqual(edSeed);
    for (let i = 0; i < 40; i++) expect(importError({ data: byNode, password: `wrong-${i}` }).code).toBe('wrong_key_password');
  });

  it('refuses off-curve and small-order public keys', () => {
    expect(importError({ data: '01' + '00'.repeat(31), algorithm: 'ed25519' }).code).toBe('invalid_key');
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from('01' + '00'.repeat(31), 'hex')]);
    expect(importError({ data: `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n` }).code).toBe('invalid_key');
  });
});

describe('RSA formats', () => {
  const canonical = (data: ImportKeyInput['data'], password?: string) => importKey(password === undefined ? { data } : { data, password });

  it('every private format yields the same canonical PKCS#8 and SPKI bytes', () => {
    const inputs: Array<[string, string | undefined, string]> = [
      [rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string, undefined, 'pkcs1-pem'],
      [rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, undefined, 'pkcs8-pem'],
      [rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string, 'pw', 'encrypted-pkcs8-pem'],
      [rsa.privateKey.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string, 'pw', 'encrypted-pkcs1-pem'],
      [exportPrivate('rsa', rsaPkcs8, 'pem', 'pw'), 'pw', 'encrypted-pkcs8-pem'],
    ];
    for (const [data, password, sourceFormat] of inputs) {
      const imported = canonical(data, password);
      expect(imported.sourceFormat).toBe(sourceFormat);
      expect(imported.algorithm).toBe('rsa');
      expect(imported.privateKey).toEqual(rsaPkcs8);
      expect(imported.publicKey).toEqual(rsaSpki);
    }
    expect(importError({ data: inputs[3]![0], password: 'nope' }).code).toBe('wrong_key_password');
    expect(importError({ data: inputs[3]![0] }).code).toBe('wrong_key_password');
  });

  it('SPKI and PKCS#1 public PEMs give the same public key and fingerprint', () => {
    const spki = canonical(exportPublic('rsa', rsaSpki, 'pem'));
    const pkcs1 = canonical(rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }) as string);
    expect(spki.sourceFormat).toBe('spki-pem');
    expect(pkcs1.sourceFormat).toBe('pkcs1-public-pem');
    expect(spki.publicKey).toEqual(rsaSpki);
    expect(pkcs1.publicKey).toEqual(rsaSpki);
    expect(keyMaterialFromPrivate('rsa', rsaPkcs8).publicKeyHex).toBe(toHex(spki.publicKey));
  });

  it('says a PEM that lost lines or its END line is truncated', () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    const lines = pem.trim().split('\n');
    const withoutMiddle = [...lines.slice(0, 5), ...lines.slice(9)].join('\n');
    const withoutEnd = lines.slice(0, -3).join('\n');
    for (const data of [withoutMiddle, withoutEnd]) {
      const error = importError({ data });
      expect(error.code).toBe('invalid_key');
      expect(error.message).toMatch(/truncated/);
    }
    const encrypted = exportPrivate('rsa', rsaPkcs8, 'pem', 'pw').trim().split('\n');
    const truncatedEncrypted = [...encrypted.slice(0, 4), ...encrypted.slice(6)].join('\n');
    expect(importError({ data: truncatedEncrypted, password: 'pw' }).message).toMatch(/truncated/);
  });

  it('refuses RSA keys under 2048 bits, private and public', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const data of [
      small.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string,
      small.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    ]) {
      const error = importError({ data });
      expect(error.code).toBe('invalid_key');
      expect(error.message).toMatch(/2048/);
    }
  });

  describe('PKCS#12', () => {
    function forgePkcs12(privateKeyPem: string, password: string): Uint8Array {
      const key = forge.pki.privateKeyFromPem(privateKeyPem);
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
      cert.serialNumber = '01';
      cert.validity.notBefore = new Date(Date.UTC(2025, 0, 1));
      cert.validity.notAfter = new Date(Date.UTC(2035, 0, 1));
      cert.setSubject([{ name: 'commonName', value: 'Declaration Signer test' }]);
      cert.setIssuer([{ name: 'commonName', value: 'Declaration Signer test' }]);
      cert.sign(key, forge.md.sha256.create());
      const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
      return Uint8Array.from(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    }
    const p12 = forgePkcs12(rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string, 'p12 password');

    it('imports from bytes and from base64 with the right password', () => {
      for (const data of [p12, Buffer.from(p12).toString('base64')]) {
        const imported = importKey({ data, password: 'p12 password' });
        expect(imported).toMatchObject({ algorithm: 'rsa', sourceFormat: 'pkcs12' });
        expect(imported.privateKey).toEqual(rsaPkcs8);
        expect(imported.publicKey).toEqual(rsaSpki);
      }
    });

    it('says wrong_key_password for a wrong or missing password', () => {
      expect(importError({ data: p12, password: 'P12 password' }).code).toBe('wrong_key_password');
      expect(importError({ data: p12 }).code).toBe('wrong_key_password');
    });

    it('says invalid_key for a truncated file and refuses a 1024-bit key inside', () => {
      expect(importError({ data: p12.subarray(0, p12.length - 40), password: 'p12 password' }).code).toBe('invalid_key');
      const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
      const error = importError({ data: forgePkcs12(small, 'pw'), password: 'pw' });
      expect(error.code).toBe('invalid_key');
      expect(error.message).toMatch(/2048/);
    });

    const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((path) => existsSync(path));
    it.skipIf(openssl === undefined)('reads a .p12 written by the openssl CLI (PBES2/AES-256, SHA-256 MAC)', () => {
      const keyPath = join(scratch, 'rsa.pem');
      const certPath = join(scratch, 'rsa.crt');
      const p12Path = join(scratch, 'rsa.p12');
      writeFileSync(keyPath, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      execFileSync(openssl!, ['req', '-x509', '-new', '-key', keyPath, '-subj', '/CN=declsign', '-days', '1', '-out', certPath], { stdio: 'pipe' });
      execFileSync(openssl!, ['pkcs12', '-export', '-inkey', keyPath, '-in', certPath, '-passout', 'pass:cli pw', '-out', p12Path], { stdio: 'pipe' });
      const imported = importKey({ data: readFileSync(p12Path), password: 'cli pw' });
      expect(imported.privateKey).toEqual(rsaPkcs8);
      expect(importError({ data: readFileSync(p12Path), password: 'cli' }).code).toBe('wrong_key_password');
    });

    it.skipIf(openssl === undefined)('our encrypted PEM export is read by the openssl CLI', () => {
      const path = join(scratch, 'exported.pem');
      writeFileSync(path, exportPrivate('rsa', rsaPkcs8, 'pem', 'export pw'));
      const spkiPem = execFileSync(openssl!, ['pkey', '-in', path, '-passin', 'pass:export pw', '-pubout'], { stdio: 'pipe' }).toString();
      expect(importKey({ data: spkiPem }).publicKey).toEqual(rsaSpki);
      const parsed = execFileSync(openssl!, ['asn1parse', '-in', path], { stdio: 'pipe' }).toString();
      expect(parsed).toMatch(/PBES2/);
      expect(parsed).toMatch(/aes-256-cbc/);
      expect(parsed).toMatch(/hmacWithSHA256/);
      expect(parsed).toMatch(/INTEGER\s+:0927C0\b/); // 600 000 PBKDF2 iterations
    });
  });
});

describe('ML-DSA-65 formats', () => {
  const secret = generatePrivateKey('ml-dsa-65', randomBytes);
  const publicKey = publicKeyFromPrivate('ml-dsa-65', secret);

  it('imports the secret and public key as hex, base64 and raw bytes', () => {
    for (const data of [toHex(secret), Buffer.from(secret).toString('base64'), secret]) {
      const imported = importKey({ data, algorithm: 'ml-dsa-65' });
      expect(imported).toMatchObject({ algorithm: 'ml-dsa-65', sourceFormat: 'ml-dsa-65-secret' });
      expect(imported.privateKey).toEqual(secret);
      expect(imported.publicKey).toEqual(publicKey);
    }
    for (const data of [toHex(publicKey), Buffer.from(publicKey).toString('base64'), publicKey]) {
      const imported = importKey({ data });
      expect(imported).toMatchObject({ algorithm: 'ml-dsa-65', sourceFormat: 'ml-dsa-65-public' });
      expect(imported.publicKey).toEqual(publicKey);
      expect(imported.privateKey).toBeUndefined();
    }
    expect(exportPublic('ml-dsa-65', publicKey, 'hex')).toBe(toHex(publicKey));
  });

  it('refuses a corrupted secret key, private export and PEM export', () => {
    const corrupt = Uint8Array.from(secret);
    corrupt[64] ^= 0xff;
    expect(importError({ data: corrupt }).message).toMatch(/corrupt/);
    expect(errorOf(() => exportPrivate('ml-dsa-65', secret, 'pem', 'pw')).code).toBe('unsupported_algorithm');
    expect(errorOf(() => exportPublic('ml-dsa-65', publicKey, 'pem')).code).toBe('unsupported_algorithm');
    expect(errorOf(() => exportPublic('ml-dsa-65', publicKey.subarray(1), 'hex')).code).toBe('invalid_key');
  });
});

describe('unsupported and unrecognised input', () => {
  it('names EC keys unsupported and certificates not keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(importError({ data: ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string }).code).toBe('unsupported_algorithm');
    expect(importError({ data: ec.publicKey.export({ format: 'pem', type: 'spki' }) as string }).code).toBe('unsupported_algorithm');
    expect(importError({ data: '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----' }).message).toMatch(/certificate/);
  });

  it('lists the accepted formats for something unrecognised', () => {
    const error = importError({ data: 'hello, this is not a key' });
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/Accepted: Nostr/);
    expect(importError({ data: '' }).code).toBe('invalid_key');
    expect(importError({ data: new Uint8Array(0) }).code).toBe('invalid_key');
  });

  it('checks the shape of the input itself', () => {
    expect(errorOf(() => importKey({ data: 42 as unknown as string })).code).toBe('invalid_input');
    expect(errorOf(() => importKey({ data: 'x', algorithm: 'dsa' as never })).code).toBe('unsupported_algorithm');
    expect(errorOf(() => importKey({ data: 'a'.repeat((1 << 20) + 1) })).code).toBe('content_too_large');
  });

  it('never accepts random bytes or base64, and throws nothing but a DeclsignError', () => {
    const samples: Array<string | Uint8Array> = [
      '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----',
      'nsec1',
      'npub1qqqq',
      'ncryptsec1qqqq',
      '0'.repeat(8064),
      'Z'.repeat(3904),
    ];
    for (let i = 0; i < 200; i++) {
      samples.push(Uint8Array.from(randomBytes(1 + (i % 97) * 13)));
      samples.push(randomBytes(1 + (i % 50)).toString('base64'));
    }
    for (const data of samples) {
      const error = importError({ data, password: 'pw' });
      expect(['invalid_key', 'wrong_key_password', 'unsupported_algorithm']).toContain(error.code);
    }
  });

  it('a bit flip anywhere in a private key file is refused or provably harmless', () => {
    const edPem = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    let refused = 0;
    for (let i = 0; i < rsaPkcs8.length * 8; i += 7) {
      const der = Buffer.from(rsaPkcs8);
      der[i >> 3] ^= 1 << (i & 7);
      const mutatedPem = i % 2 === 0 ? der : `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
      let accepted: Uint8Array | undefined;
      try {
        accepted = importKey({ data: mutatedPem }).privateKey;
      } catch (error) {
        expect(error).toBeInstanceOf(DeclsignError);
        refused++;
        continue;
      }
      // Accepted only when OpenSSL ignores the flipped bit: the canonical key must be the original.
      expect({ bit: i, key: toHex(accepted!) }).toEqual({ bit: i, key: toHex(rsaPkcs8) });
    }
    expect(refused).toBeGreaterThan(0);
    for (let at = 30; at < edPem.length - 30; at++) {
      const mutated = edPem.slice(0, at) + (edPem[at] === 'A' ? 'B' : 'A') + edPem.slice(at + 1);
      try {
        importKey({ data: mutated });
      } catch (error) {
        expect(error).toBeInstanceOf(DeclsignError);
      }
    }
  });

  it('refuses an RSA key whose CRT values were corrupted (OpenSSL would still sign with it)', () => {
    const jwk = rsa.privateKey.export({ format: 'jwk' });
    const dp = Buffer.from(jwk.dp!, 'base64url');
    dp[dp.length - 1]! ^= 0x02;
    const corrupt = createPrivateKey({ key: { ...jwk, dp: dp.toString('base64url') }, format: 'jwk' });
    const error = importError({ data: corrupt.export({ format: 'pem', type: 'pkcs8' }) as string });
    expect(error.code).toBe('invalid_key');
    expect(error.message).toMatch(/corrupt/);
  });
});
