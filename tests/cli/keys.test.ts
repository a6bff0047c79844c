// Key import/export round trips through the real CLI, checked with independent tools (nostr-tools, node:crypto,
// node-forge), and the guarantee that no private key byte sits in the clear in the store's files.

import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { bech32 } from '@scure/base';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import forge from 'node-forge';
import { decrypt as nip49Decrypt, encrypt as nip49Encrypt } from 'nostr-tools/nip49';
import { npubEncode, nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, generateKey } from './helpers';

const KEY_PASSWORD = 'key file password ✓';
const withPassword = { env: { DECLSIGN_KEY_PASSWORD: KEY_PASSWORD } };

/** NIP-49's key-security byte: the associated-data byte of the ncryptsec payload. */
function ncryptsecSecurityByte(ncryptsec: string): number {
  const payload = bech32.fromWords(bech32.decode(ncryptsec as `${string}1${string}`, 1000).words);
  return payload[1 + 1 + 16 + 24]!;
}

const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' });

describe('declsign keys: import and export round trips', () => {
  let store: CliStore;
  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore().init();
    // An administrator's Nostr key, so that deleting test keys is never the last one.
    generateKey(store, 'nostr', 'admin', ['--role', 'master-admin']);
  });
  afterAll(() => store.remove());

  it('nsec in, npub and ncryptsec out', () => {
    const secret = generateSecretKey();
    const key = store.ok(['keys', 'import', '-', '--label', 'from nsec'], { stdin: `${nsecEncode(secret)}\n` });
    expect(key).toMatchObject({ type: 'nostr', has_private_key: true, public_key: getPublicKey(secret), canonical_name: npubEncode(getPublicKey(secret)), source_format: 'nsec' });
    expect(store.ok(['keys', 'export', key.id, '--format', 'npub']).data).toBe(npubEncode(getPublicKey(secret)));
    expect(store.ok(['keys', 'export', key.id]).data).toBe(npubEncode(getPublicKey(secret)));
    expect(store.ok(['keys', 'export', key.id, '--format', 'hex']).data).toBe(getPublicKey(secret));
    const exported = store.ok(['keys', 'export', key.id, '--format', 'ncryptsec'], withPassword);
    expect(exported.data).toMatch(/^ncryptsec1/);
    expect(Buffer.from(nip49Decrypt(exported.data, KEY_PASSWORD))).toEqual(Buffer.from(secret));
    // It arrived in the clear, and NIP-49 says so.
    expect(ncryptsecSecurityByte(exported.data)).toBe(0x00);
    // A key generated here and only ever stored encrypted is 0x01.
    const generated = generateKey(store, 'nostr', 'born here');
    expect(ncryptsecSecurityByte(store.ok(['keys', 'export', generated.id, '--format', 'ncryptsec'], withPassword).data)).toBe(0x01);
  });

  it('ncryptsec in (password from DECLSIGN_KEY_PASSWORD) keeps its key-security byte', () => {
    const secret = generateSecretKey();
    const ncryptsec = nip49Encrypt(secret, KEY_PASSWORD, 16, 0x02);
    const key = store.ok(['keys', 'import', '-', '--label', 'from ncryptsec'], { ...withPassword, stdin: ncryptsec });
    expect(key).toMatchObject({ public_key: getPublicKey(secret), has_private_key: true, nip49_key_security_byte: 2, source_format: 'ncryptsec' });
    const exported = store.ok(['keys', 'export', key.id, '--format', 'ncryptsec'], withPassword).data;
    expect(ncryptsecSecurityByte(exported)).toBe(0x02);
    expect(Buffer.from(nip49Decrypt(exported, KEY_PASSWORD))).toEqual(Buffer.from(secret));
  });

  it('npub makes a watch key; importing its nsec later attaches the private key to the same row', () => {
    const secret = generateSecretKey();
    const watch = store.ok(['keys', 'import', '-', '--label', 'watched'], { stdin: npubEncode(getPublicKey(secret)) });
    expect(watch).toMatchObject({ has_private_key: false, source_format: 'npub' });
    store.fails(['keys', 'export', watch.id, '--format', 'ncryptsec'], 'missing_signer_private_key', withPassword);
    const attached = store.ok(['keys', 'import', '-', '--label', 'ignored'], { stdin: nsecEncode(secret) });
    expect(attached).toMatchObject({ id: watch.id, label: 'watched', has_private_key: true });
    expect(store.ok(['keys', 'list']).keys.filter((k: { public_key: string }) => k.public_key === getPublicKey(secret))).toHaveLength(1);
    store.fails(['keys', 'import', '-', '--label', 'again'], 'duplicate_key', { stdin: nsecEncode(secret) });
    store.fails(['keys', 'import', '-', '--label', 'again'], 'duplicate_key', { stdin: npubEncode(getPublicKey(secret)) });
  });

  it('Ed25519: PKCS#8 PEM, encrypted PEM and public SPKI in; public and encrypted private PEM out', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const rawPublic = Buffer.from(jwkOf(publicKey).x!, 'base64url').toString('hex');
    const plain = store.ok(['keys', 'import', store.file('ed.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), '--label', 'ed pem']);
    expect(plain).toMatchObject({ type: 'ed25519', public_key: rawPublic, has_private_key: true });

    const exportedPublic = store.ok(['keys', 'export', plain.id, '--format', 'pem']).data;
    expect(jwkOf(createPublicKey(exportedPublic))).toEqual(jwkOf(publicKey));
    const exportedPrivate = store.ok(['keys', 'export', plain.id, '--format', 'pem-private'], withPassword).data;
    expect(exportedPrivate).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(jwkOf(createPrivateKey({ key: exportedPrivate, passphrase: KEY_PASSWORD }))).toEqual(jwkOf(privateKey));
    store.ok(['keys', 'delete', plain.id]);

    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: KEY_PASSWORD }) as string;
    const fromEncrypted = store.ok(['keys', 'import', store.file('ed-enc.pem', encrypted), '--label', 'ed enc'], withPassword);
    expect(fromEncrypted).toMatchObject({ public_key: rawPublic, has_private_key: true });
    store.ok(['keys', 'delete', fromEncrypted.id]);

    const spki = store.ok(['keys', 'import', store.file('ed-pub.pem', publicKey.export({ type: 'spki', format: 'pem' }) as string), '--label', 'ed public']);
    expect(spki).toMatchObject({ type: 'ed25519', public_key: rawPublic, has_private_key: false });
  });

  it('RSA: PKCS#1 PEM and encrypted PKCS#8 in; public and encrypted private PEM out', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const key = store.ok(['keys', 'import', store.file('rsa.pem', pkcs1), '--label', 'rsa pem']);
    expect(key).toMatchObject({ type: 'rsa', has_private_key: true });
    expect(jwkOf(createPublicKey(store.ok(['keys', 'export', key.id, '--format', 'pem']).data))).toEqual(jwkOf(publicKey));
    const exportedPrivate = store.ok(['keys', 'export', key.id, '--format', 'pem-private'], withPassword).data;
    expect(jwkOf(createPrivateKey({ key: exportedPrivate, passphrase: KEY_PASSWORD }))).toEqual(jwkOf(privateKey));
    store.ok(['keys', 'delete', key.id]);

    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: KEY_PASSWORD }) as string;
    const again = store.ok(['keys', 'import', store.file('rsa-enc.pem', encrypted), '--label', 'rsa enc'], withPassword);
    expect(again.fingerprint).toBe(key.fingerprint);
    store.fails(['keys', 'import', store.file('rsa-enc2.pem', encrypted), '--label', 'rsa enc'], 'wrong_key_password', { env: { DECLSIGN_KEY_PASSWORD: 'nope' } });
  });

  it('PKCS#12 (made with node-forge) in, with its password', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
    cert.serialNumber = '02';
    cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
    cert.setSubject([{ name: 'commonName', value: 'declsign p12' }]);
    cert.setIssuer([{ name: 'commonName', value: 'declsign p12' }]);
    cert.sign(forgeKey, forge.md.sha256.create());
    const p12 = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, cert, KEY_PASSWORD, { algorithm: 'aes256' })).getBytes(), 'binary');
    const file = store.file('key.p12', p12);
    // A binary .p12 does not announce its encryption: without a password it is refused and nothing is stored...
    store.fails(['keys', 'import', file, '--label', 'from p12'], 'wrong_key_password');
    // ...and DECLSIGN_KEY_PASSWORD is used even without --password.
    const key = store.ok(['keys', 'import', file, '--label', 'from p12'], withPassword);
    expect(key).toMatchObject({ type: 'rsa', has_private_key: true });
    expect(jwkOf(createPublicKey(store.ok(['keys', 'export', key.id, '--format', 'pem']).data))).toEqual(jwkOf(publicKey));
  });

  it('ML-DSA-65: secret key hex in, public hex out; no private export format', () => {
    const { secretKey, publicKey } = ml_dsa65.keygen(randomBytes(32));
    const key = store.ok(['keys', 'import', '-', '--label', 'pq', '--type', 'ml-dsa-65'], { stdin: Buffer.from(secretKey).toString('hex') });
    expect(key).toMatchObject({ type: 'ml-dsa-65', has_private_key: true, experimental: true, public_key: Buffer.from(publicKey).toString('hex') });
    expect(store.ok(['keys', 'export', key.id]).data).toBe(Buffer.from(publicKey).toString('hex'));
    store.fails(['keys', 'export', key.id, '--format', 'pem-private'], 'unsupported_algorithm', withPassword);
  });

  it('human output of a key shows the grouped fingerprint and never a private key', () => {
    const key = generateKey(store, 'ed25519', 'shown');
    const out = store.run(['keys', 'show', key.id]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(key.fingerprint.match(/.{4}/g)!.join(' '));
    expect(out.stdout).toMatch(/Private key\s+held/);
  });
});

describe('declsign keys: no private key byte in the clear in the store files', () => {
  let store: CliStore;
  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore().init();
  });
  afterAll(() => store.remove());

  it('neither the .db nor the -wal holds any private key as raw bytes, hex or base64', () => {
    const secrets: Array<{ what: string; bytes: Buffer }> = [];

    // Generated here: learn the private key by exporting it encrypted and decrypting it ourselves.
    const nostr = generateKey(store, 'nostr', 'nostr', ['--role', 'master-admin']);
    const nostrRaw = Buffer.from(nip49Decrypt(store.ok(['keys', 'export', nostr.id, '--format', 'ncryptsec'], withPassword).data, KEY_PASSWORD));
    expect(getPublicKey(nostrRaw)).toBe(nostr.public_key);
    secrets.push({ what: 'generated nostr', bytes: nostrRaw });
    for (const type of ['ed25519', 'rsa'] as const) {
      const key = generateKey(store, type, type, type === 'rsa' ? ['--bits', '2048'] : []);
      const jwk = jwkOf(createPrivateKey({ key: store.ok(['keys', 'export', key.id, '--format', 'pem-private'], withPassword).data, passphrase: KEY_PASSWORD }));
      for (const part of ['d', 'p', 'q'] as const) if (jwk[part]) secrets.push({ what: `generated ${type} ${part}`, bytes: Buffer.from(jwk[part]!, 'base64url') });
    }
    generateKey(store, 'ml-dsa-65', 'pq generated');

    // Imported: we know the bytes from the start.
    const nsec = generateSecretKey();
    store.ok(['keys', 'import', '-', '--label', 'imported nsec'], { stdin: nsecEncode(nsec) });
    secrets.push({ what: 'imported nostr', bytes: Buffer.from(nsec) });
    const ed = generateKeyPairSync('ed25519').privateKey;
    store.ok(['keys', 'import', store.file('ed.pem', ed.export({ type: 'pkcs8', format: 'pem' }) as string), '--label', 'imported ed']);
    secrets.push({ what: 'imported ed25519 seed', bytes: Buffer.from(jwkOf(ed).d!, 'base64url') });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    store.ok(['keys', 'import', store.file('rsa.pem', rsa.export({ type: 'pkcs1', format: 'pem' }) as string), '--label', 'imported rsa']);
    secrets.push({ what: 'imported rsa d', bytes: Buffer.from(jwkOf(rsa).d!, 'base64url') });
    const pq = ml_dsa65.keygen(randomBytes(32)).secretKey;
    store.ok(['keys', 'import', '-', '--label', 'imported pq', '--type', 'ml-dsa-65'], { stdin: Buffer.from(pq).toString('hex') });
    // rho (bytes 0..32) and tr (64..128) are derived from the public key; K and s1 are secret.
    secrets.push({ what: 'imported ml-dsa K', bytes: Buffer.from(pq.subarray(32, 64)) }, { what: 'imported ml-dsa s1', bytes: Buffer.from(pq.subarray(128, 256)) });

    // Every command has exited, so SQLite has checkpointed and closed; read whatever files are there.
    const files = [store.dbPath, `${store.dbPath}-wal`].filter(existsSync).map((file) => ({ file, bytes: readFileSync(file) }));
    expect(files[0]!.bytes.length).toBeGreaterThan(4096);
    for (const { file, bytes } of files) {
      const latin1 = bytes.toString('latin1');
      for (const secret of secrets) {
        for (const [form, needle] of [
          ['raw', secret.bytes.toString('latin1')],
          ['hex', secret.bytes.toString('hex')],
          ['HEX', secret.bytes.toString('hex').toUpperCase()],
          ['base64', secret.bytes.toString('base64')],
          ['base64url', secret.bytes.toString('base64url')],
        ] as const) {
          expect(latin1.includes(needle), `${secret.what} as ${form} in ${file}`).toBe(false);
        }
      }
    }
    // The search itself works: a public key is findable.
    expect(files[0]!.bytes.toString('latin1')).toContain(nostr.public_key);
  });
});
