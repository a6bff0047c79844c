// The database file must never hold a private key in the clear, in any common encoding, in the main file or the WAL.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KeyAlgorithm } from '../../electron/core/keys/types';
import { deleteKeypair, insertKeypair } from '../../electron/store/keypairs';
import { createVault, encryptPrivateKey } from '../../electron/store/vault';
import { CHEAP_SCRYPT, NOW, samplePublicKeypair, tempDatabase } from './fixtures';

/** Every encoding of `secret` we could plausibly leak, plus every 16-byte window of the raw bytes. */
function needles(secret: Buffer): Buffer[] {
  const found: Buffer[] = [];
  for (const text of [secret.toString('hex'), secret.toString('hex').toUpperCase(), secret.toString('base64'), secret.toString('base64url')]) {
    found.push(Buffer.from(text, 'utf8'));
  }
  for (let i = 0; i + 16 <= secret.length; i += 1) found.push(secret.subarray(i, i + 16));
  return found;
}

function assertAbsent(fileBytes: Buffer, secrets: Buffer[], where: string): void {
  for (const secret of secrets) {
    for (const needle of needles(secret)) {
      expect(fileBytes.indexOf(needle), `${where} contains a private key fragment`).toBe(-1);
    }
  }
}

describe('no private key byte in the clear', () => {
  it('neither the .db nor the -wal file contains raw, hex or base64 private keys', async () => {
    const { db, file } = tempDatabase();
    const vault = await createVault(db, 'passphrase', { now: NOW, scrypt: CHEAP_SCRYPT });
    const keys: { algorithm: KeyAlgorithm; secret: Buffer }[] = [
      { algorithm: 'nostr', secret: randomBytes(32) },
      { algorithm: 'nostr', secret: randomBytes(32) },
      { algorithm: 'ed25519', secret: randomBytes(32) },
      { algorithm: 'rsa', secret: randomBytes(1217) }, // PKCS#8-sized
      { algorithm: 'ml-dsa-65', secret: randomBytes(4032) },
    ];
    const uuids: string[] = [];
    const publicKeys: string[] = [];
    for (const { algorithm, secret } of keys) {
      const kp = samplePublicKeypair(algorithm);
      uuids.push(kp.keypair_uuid);
      publicKeys.push(kp.public_key);
      const encrypted = encryptPrivateKey(vault, { keypairUuid: kp.keypair_uuid, algorithm, fingerprint: kp.fingerprint }, secret);
      insertKeypair(db, { ...kp, private_key: encrypted, source_format: 'generated' }, NOW);
    }
    const secrets = keys.map((k) => k.secret);

    // Before a checkpoint the pages sit in the WAL.
    expect(existsSync(`${file}-wal`)).toBe(true);
    assertAbsent(readFileSync(`${file}-wal`), secrets, 'the WAL');
    assertAbsent(readFileSync(file), secrets, 'the database file');

    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointed = readFileSync(file);
    assertAbsent(checkpointed, secrets, 'the checkpointed database file');
    // Control: the search does see what is stored in the clear (public keys), so an absence above means something.
    for (const publicKey of publicKeys) expect(checkpointed.indexOf(Buffer.from(publicKey))).toBeGreaterThan(0);

    // Deleting keys leaves neither plaintext nor (secure_delete) their old pages behind.
    deleteKeypair(db, uuids[3]!);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    assertAbsent(readFileSync(file), secrets, 'the closed database file');
    if (existsSync(`${file}-wal`)) assertAbsent(readFileSync(`${file}-wal`), secrets, 'the WAL after close');
  });
});
