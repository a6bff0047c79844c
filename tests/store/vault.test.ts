import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { getPrivateKeyCiphertext, insertKeypair } from '../../electron/store/keypairs';
import {
  changePassphrase,
  createVault,
  decryptPrivateKey,
  encryptPrivateKey,
  hasVault,
  storeId,
  unlockVault,
  type PrivateKeyBinding,
} from '../../electron/store/vault';
import { CHEAP_SCRYPT, NOW, samplePublicKeypair, tempDatabase } from './fixtures';

const options = { now: NOW, scrypt: CHEAP_SCRYPT };

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (thrown) {
    return thrown instanceof DeclsignError ? thrown.code : `not a DeclsignError: ${String(thrown)}`;
  }
  return undefined;
}

function binding(overrides: Partial<PrivateKeyBinding> = {}): PrivateKeyBinding {
  return { keypairUuid: randomUUID(), algorithm: 'nostr', fingerprint: randomBytes(32).toString('hex'), ...overrides };
}

describe('vault', () => {
  it('creates, locks and unlocks; the unlocked key decrypts what the creating key encrypted', async () => {
    const { db } = tempDatabase();
    expect(hasVault(db)).toBe(false);
    const created = await createVault(db, 'correct horse battery staple', options);
    expect(hasVault(db)).toBe(true);
    expect(created.storeId).toBe(storeId(db));
    const secret = randomBytes(32);
    const where = binding();
    const encrypted = encryptPrivateKey(created, where, secret);
    created.lock();
    expect(created.isLocked).toBe(true);
    expect(await codeOf(() => encryptPrivateKey(created, where, secret))).toBe('store_locked');

    const unlocked = await unlockVault(db, 'correct horse battery staple');
    expect(Buffer.from(decryptPrivateKey(unlocked, where, encrypted)).equals(secret)).toBe(true);
  });

  it('uses a fresh nonce every time: the same key encrypts to different ciphertexts', async () => {
    const { db } = tempDatabase();
    const key = await createVault(db, 'pass', options);
    const secret = randomBytes(32);
    const where = binding();
    const a = encryptPrivateKey(key, where, secret);
    const b = encryptPrivateKey(key, where, secret);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(a.nonce).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
  });

  it('refuses a second vault with store_exists and keeps the first', async () => {
    const { db } = tempDatabase();
    await createVault(db, 'first', options);
    const before = db.prepare('SELECT * FROM root_key_wrappings').all();
    expect(await codeOf(createVault(db, 'second', options))).toBe('store_exists');
    expect(db.prepare('SELECT * FROM root_key_wrappings').all()).toEqual(before);
    await expect(unlockVault(db, 'first')).resolves.toBeDefined();
  });

  it('wrong passphrase → wrong_passphrase, and nothing in the store changes', async () => {
    const { db } = tempDatabase();
    await createVault(db, 'right', options);
    const before = [db.prepare('SELECT * FROM store_meta').all(), db.prepare('SELECT * FROM root_key_wrappings').all()];
    expect(await codeOf(unlockVault(db, 'wrong'))).toBe('wrong_passphrase');
    expect(await codeOf(unlockVault(db, 'Right'))).toBe('wrong_passphrase');
    expect([db.prepare('SELECT * FROM store_meta').all(), db.prepare('SELECT * FROM root_key_wrappings').all()]).toEqual(before);
  });

  it('refuses an empty passphrase, and unlocking before a vault exists', async () => {
    const { db } = tempDatabase();
    expect(await codeOf(createVault(db, '', options))).toBe('invalid_input');
    expect(hasVault(db)).toBe(false);
    expect(await codeOf(unlockVault(db, 'anything'))).toBe('store_not_initialized');
  });

  it('treats canonically equivalent passphrases as one (NFKC)', async () => {
    const { db } = tempDatabase();
    await createVault(db, 'caf\u00e9', options); // precomposed é
    await expect(unlockVault(db, 'cafe\u0301')).resolves.toBeDefined(); // e + combining acute
  });

  it('refuses scrypt parameters out of bounds on create, and tampered ones on unlock', async () => {
    const { db } = tempDatabase();
    expect(await codeOf(createVault(db, 'p', { now: NOW, scrypt: { N: 1000, r: 8, p: 1 } }))).toBe('invalid_input');
    expect(await codeOf(createVault(db, 'p', { now: NOW, scrypt: { N: 2 ** 4, r: 8, p: 1 } }))).toBe('invalid_input');
    await createVault(db, 'p', options);
    db.prepare(`UPDATE root_key_wrappings SET kdf_params = '{"N":1073741824,"r":8,"p":1}'`).run();
    expect(await codeOf(unlockVault(db, 'p'))).toBe('vault_integrity_failed');
  });

  it('stores the default parameters N=2^17, r=8, p=1 with a 16-byte salt when none are given', async () => {
    const { db } = tempDatabase();
    await createVault(db, 'default cost', { now: NOW });
    const row = db.prepare('SELECT method, kdf, kdf_params, salt FROM root_key_wrappings').get() as Record<string, unknown>;
    expect(row.method).toBe('passphrase-scrypt');
    expect(row.kdf).toBe('scrypt');
    expect(JSON.parse(row.kdf_params as string)).toEqual({ N: 131072, r: 8, p: 1 });
    expect(row.salt).toHaveLength(16);
  });

  it('binds a ciphertext to its row: another uuid, algorithm or fingerprint does not decrypt it', async () => {
    const { db } = tempDatabase();
    const key = await createVault(db, 'pass', options);
    const where = binding();
    const encrypted = encryptPrivateKey(key, where, randomBytes(32));
    for (const other of [
      { ...where, keypairUuid: randomUUID() },
      { ...where, algorithm: 'ed25519' as const },
      { ...where, fingerprint: randomBytes(32).toString('hex') },
    ]) {
      expect(await codeOf(() => decryptPrivateKey(key, other, encrypted))).toBe('vault_integrity_failed');
    }
    const flipped = Buffer.from(encrypted.ciphertext);
    flipped[0]! ^= 1;
    expect(await codeOf(() => decryptPrivateKey(key, where, { ...encrypted, ciphertext: flipped }))).toBe('vault_integrity_failed');
  });

  it('a ciphertext copied into another keypairs row fails to decrypt there', async () => {
    const { db } = tempDatabase();
    const key = await createVault(db, 'pass', options);
    const [a, b] = [samplePublicKeypair('nostr'), samplePublicKeypair('nostr')];
    insertKeypair(db, { ...a, private_key: encryptPrivateKey(key, { keypairUuid: a.keypair_uuid, algorithm: a.algorithm, fingerprint: a.fingerprint }, randomBytes(32)) }, NOW);
    insertKeypair(db, b, NOW);
    db.prepare(`UPDATE keypairs SET (private_key_ciphertext, private_key_nonce, private_key_tag) =
                (SELECT private_key_ciphertext, private_key_nonce, private_key_tag FROM keypairs WHERE keypair_uuid = ?)
                WHERE keypair_uuid = ?`).run(a.keypair_uuid, b.keypair_uuid);
    const moved = getPrivateKeyCiphertext(db, b.keypair_uuid);
    expect(await codeOf(() => decryptPrivateKey(key, moved.binding, moved.encrypted))).toBe('vault_integrity_failed');
    const original = getPrivateKeyCiphertext(db, a.keypair_uuid);
    expect(decryptPrivateKey(key, original.binding, original.encrypted)).toHaveLength(32);
  });

  it('a key from another store does not decrypt this store’s ciphertexts', async () => {
    const one = tempDatabase();
    const two = tempDatabase();
    const keyOne = await createVault(one.db, 'same passphrase', options);
    const keyTwo = await createVault(two.db, 'same passphrase', options);
    const where = binding();
    const encrypted = encryptPrivateKey(keyOne, where, randomBytes(32));
    expect(await codeOf(() => decryptPrivateKey(keyTwo, where, encrypted))).toBe('vault_integrity_failed');
    // Nor does another store's wrapping unwrap here, even under the same passphrase.
    const wrapping = two.db.prepare('SELECT * FROM root_key_wrappings').get() as Record<string, unknown>;
    one.db.prepare(`UPDATE root_key_wrappings SET salt = @salt, nonce = @nonce, ciphertext = @ciphertext, tag = @tag, kdf_params = @kdf_params`).run(wrapping);
    expect(await codeOf(unlockVault(one.db, 'same passphrase'))).toBe('wrong_passphrase');
  });

  it('changes the passphrase: the old one stops working, the new one unlocks, stored keys still decrypt', async () => {
    const { db } = tempDatabase();
    const key = await createVault(db, 'old passphrase', options);
    const secret = randomBytes(32);
    const kp = samplePublicKeypair('ed25519');
    const where = { keypairUuid: kp.keypair_uuid, algorithm: kp.algorithm, fingerprint: kp.fingerprint };
    insertKeypair(db, { ...kp, private_key: encryptPrivateKey(key, where, secret) }, NOW);
    const keypairsBefore = db.prepare('SELECT * FROM keypairs').all();
    const saltBefore = (db.prepare('SELECT salt FROM root_key_wrappings').get() as { salt: Buffer }).salt;

    expect(await codeOf(changePassphrase(db, 'not the old one', 'new passphrase', options))).toBe('wrong_passphrase');
    expect(await codeOf(changePassphrase(db, 'old passphrase', '', options))).toBe('invalid_input');
    await changePassphrase(db, 'old passphrase', 'new passphrase', { now: '2025-06-02T00:00:00Z', scrypt: { ...CHEAP_SCRYPT, N: 2 ** 11 } });

    expect(await codeOf(unlockVault(db, 'old passphrase'))).toBe('wrong_passphrase');
    const unlocked = await unlockVault(db, 'new passphrase');
    const stored = getPrivateKeyCiphertext(db, kp.keypair_uuid);
    expect(Buffer.from(decryptPrivateKey(unlocked, stored.binding, stored.encrypted)).equals(secret)).toBe(true);
    expect(db.prepare('SELECT * FROM keypairs').all()).toEqual(keypairsBefore);
    const after = db.prepare('SELECT salt, kdf_params, created_at, updated_at FROM root_key_wrappings').get() as Record<string, unknown>;
    expect((after.salt as Buffer).equals(saltBefore)).toBe(false);
    expect(JSON.parse(after.kdf_params as string).N).toBe(2048);
    expect(after.created_at).toBe(NOW);
    expect(after.updated_at).toBe('2025-06-02T00:00:00.000Z');
  });

  it('refuses to encrypt an empty private key', async () => {
    const { db } = tempDatabase();
    const key = await createVault(db, 'pass', options);
    expect(await codeOf(() => encryptPrivateKey(key, binding(), new Uint8Array(0)))).toBe('invalid_key');
  });
});
