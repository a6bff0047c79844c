// Migration 006_relay_auth_key: relays gain the key that answers their NIP-42 AUTH when reading — none for every relay
// already listed (a key is never guessed), a reference to a keypair that deleting the key clears.

import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrateTo, migrateToLatest } from '../../electron/store/migrate';
import { MIGRATIONS_DIR, NOW, samplePublicKeypair, tempDir } from './fixtures';
import { insertKeypair } from '../../electron/store/keypairs';
import { addRelay, getRelay, updateRelay } from '../../electron/store/relays';

const AUTH_KEY = listMigrations(MIGRATIONS_DIR).find((m) => m.file === '006_relay_auth_key.sql')!;

/** A key row as if it held an encrypted private key (the bytes are never decrypted here). */
const withPrivateKey = (algorithm: 'nostr' | 'ed25519') =>
  samplePublicKeypair(algorithm, { private_key: { ciphertext: new Uint8Array(32).fill(1), nonce: new Uint8Array(12).fill(2), tag: new Uint8Array(16).fill(3) } });

function open(): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(tempDir(), 'relays.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

describe('006_relay_auth_key', () => {
  it('is version 6; relays listed before it keep every field and have no AUTH key', () => {
    expect(AUTH_KEY.version).toBe(6);
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 5);
    const insert = db.prepare('INSERT INTO relays (url, enabled, read, write, subscribe, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('wss://a.example.com', 1, 1, 0, 1, NOW, NOW);
    insert.run('wss://b.example.com', 0, 1, 1, 0, NOW, NOW);
    const before = db.prepare('SELECT * FROM relays ORDER BY url').all() as Record<string, unknown>[];
    migrateTo(db, MIGRATIONS_DIR, 6);
    expect(db.prepare('SELECT * FROM relays ORDER BY url').all()).toEqual(before.map((row) => ({ ...row, auth_keypair_uuid: null })));
    migrateToLatest(db, MIGRATIONS_DIR);
    db.close();
  });

  it('references a keypair: an unknown one is refused, deleting the key clears the choice', () => {
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 6);
    db.prepare('INSERT INTO relays (url, added_at, updated_at) VALUES (?, ?, ?)').run('wss://a.example.com', NOW, NOW);
    expect(() => db.prepare('UPDATE relays SET auth_keypair_uuid = ?').run('00000000-0000-4000-8000-000000000000')).toThrow(/FOREIGN KEY constraint failed/);
    migrateToLatest(db, MIGRATIONS_DIR);
    const key = insertKeypair(db, samplePublicKeypair('nostr'), NOW);
    db.prepare('UPDATE relays SET auth_keypair_uuid = ?').run(key.keypair_uuid);
    db.prepare('DELETE FROM keypairs WHERE keypair_uuid = ?').run(key.keypair_uuid);
    expect(db.prepare('SELECT auth_keypair_uuid FROM relays').get()).toEqual({ auth_keypair_uuid: null });
    db.close();
  });
});

describe('relays repository: the AUTH key', () => {
  it('takes only a Nostr key with its private key, kept by a repeated add, cleared by null', () => {
    const db = open();
    migrateToLatest(db, MIGRATIONS_DIR);
    const nostr = insertKeypair(db, withPrivateKey('nostr'), NOW);
    const ed25519 = insertKeypair(db, withPrivateKey('ed25519'), NOW);
    const watch = insertKeypair(db, samplePublicKeypair('nostr'), NOW);
    expect(addRelay(db, { url: 'wss://a.example.com', read: true, write: true, auth_keypair_uuid: nostr.keypair_uuid }, NOW).relay.auth_keypair_uuid).toBe(nostr.keypair_uuid);
    expect(addRelay(db, { url: 'wss://a.example.com', read: true, write: false }, NOW).relay.auth_keypair_uuid).toBe(nostr.keypair_uuid);
    expect(() => updateRelay(db, 'wss://a.example.com', { auth_keypair_uuid: ed25519.keypair_uuid }, NOW)).toThrow(expect.objectContaining({ code: 'not_a_nostr_key' }));
    expect(() => updateRelay(db, 'wss://a.example.com', { auth_keypair_uuid: watch.keypair_uuid }, NOW)).toThrow(expect.objectContaining({ code: 'missing_signer_private_key' }));
    expect(() => addRelay(db, { url: 'wss://b.example.com', read: true, write: true, auth_keypair_uuid: '00000000-0000-4000-8000-000000000000' }, NOW)).toThrow(
      expect.objectContaining({ code: 'unknown_key' }),
    );
    expect(getRelay(db, 'wss://b.example.com')).toBeUndefined();
    expect(getRelay(db, 'wss://a.example.com')?.auth_keypair_uuid).toBe(nostr.keypair_uuid);
    expect(updateRelay(db, 'wss://a.example.com', { auth_keypair_uuid: null }, NOW).auth_keypair_uuid).toBeNull();
    db.close();
  });
});
