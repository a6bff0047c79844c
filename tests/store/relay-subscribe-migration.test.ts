// Migration 005_relay_subscribe: relays gain the live-discovery switch, off for every relay that was already listed,
// and the repository reads and writes it. Later migrations may exist: assertions name versions relative to 005.

import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRelay, getRelay, listFollowedRelays, updateRelay } from '../../electron/store/relays';
import { listMigrations, migrateTo, migrateToLatest } from '../../electron/store/migrate';
import { MIGRATIONS_DIR, NOW, tempDatabase, tempDir } from './fixtures';

const SUBSCRIBE = listMigrations(MIGRATIONS_DIR).find((m) => m.file === '005_relay_subscribe.sql')!;

function open(): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(tempDir(), 'relays.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

function insertRelay(db: BetterSqlite3.Database, url: string, flags: { enabled: number; read: number; write: number }) {
  db.prepare('INSERT INTO relays (url, enabled, read, write, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(url, flags.enabled, flags.read, flags.write, NOW, NOW);
}

describe('005_relay_subscribe', () => {
  it('is version 5; relays listed before it keep every field and are not followed', () => {
    expect(SUBSCRIBE.version).toBe(5);
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 4);
    insertRelay(db, 'wss://a.example.com', { enabled: 1, read: 1, write: 0 });
    insertRelay(db, 'wss://b.example.com', { enabled: 0, read: 1, write: 1 });
    const before = db.prepare('SELECT * FROM relays ORDER BY url').all() as Record<string, unknown>[];
    migrateTo(db, MIGRATIONS_DIR, 5);
    const after = db.prepare('SELECT * FROM relays ORDER BY url').all() as Record<string, unknown>[];
    expect(after).toEqual(before.map((row) => ({ ...row, subscribe: 0 })));
    // Later migrations only add to the row (006: auth_keypair_uuid).
    migrateToLatest(db, MIGRATIONS_DIR);
    expect(db.prepare('SELECT * FROM relays ORDER BY url').all()).toEqual(after.map((row) => expect.objectContaining(row)));
    db.close();
  });

  it('refuses anything but 0 or 1, and a NULL', () => {
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 5);
    insertRelay(db, 'wss://a.example.com', { enabled: 1, read: 1, write: 1 });
    expect(() => db.prepare('UPDATE relays SET subscribe = 2').run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare('UPDATE relays SET subscribe = NULL').run()).toThrow(/NOT NULL constraint failed/);
    expect(() => db.prepare("UPDATE relays SET subscribe = 'yes'").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });
});

describe('relays repository: the subscribe switch', () => {
  it('is off by default, set by add or update, kept by a repeated add without it, and only enabled read relays are followed', () => {
    const { db } = tempDatabase();
    expect(addRelay(db, { url: 'wss://plain.example.com', read: true, write: true }, NOW).relay.subscribe).toBe(false);
    expect(addRelay(db, { url: 'wss://live.example.com', read: true, write: false, subscribe: true }, NOW).relay.subscribe).toBe(true);
    // Adding again without the switch keeps it; with it, sets it.
    expect(addRelay(db, { url: 'wss://live.example.com', read: true, write: true }, NOW).relay).toMatchObject({ subscribe: true, write: true });
    expect(listFollowedRelays(db).map((r) => r.url)).toEqual(['wss://live.example.com']);

    expect(updateRelay(db, 'wss://plain.example.com', { subscribe: true }, NOW)).toMatchObject({ subscribe: true, read: true });
    updateRelay(db, 'wss://live.example.com', { enabled: false }, NOW);
    expect(listFollowedRelays(db).map((r) => r.url)).toEqual(['wss://plain.example.com']);
    // Subscribed but write-only: nothing to read, so not followed; the switch itself is kept.
    updateRelay(db, 'wss://plain.example.com', { read: false }, NOW);
    expect(getRelay(db, 'wss://plain.example.com')?.subscribe).toBe(true);
    expect(listFollowedRelays(db)).toEqual([]);
    expect(addRelay(db, { url: 'wss://live.example.com', read: true, write: true, subscribe: false }, NOW).relay).toMatchObject({ enabled: true, subscribe: false });
    // Following a relay that is not read from would follow nothing: refused when asked for in one go, and nothing changes.
    expect(() => addRelay(db, { url: 'wss://w.example.com', read: false, write: true, subscribe: true }, NOW)).toThrow(/must be read from/);
    expect(getRelay(db, 'wss://w.example.com')).toBeUndefined();
    expect(() => updateRelay(db, 'wss://plain.example.com', { subscribe: true }, NOW)).toThrow(/must be read from/);
    expect(() => updateRelay(db, 'wss://live.example.com', { read: false, subscribe: true }, NOW)).toThrow(/must be read from/);
    expect(getRelay(db, 'wss://live.example.com')).toMatchObject({ read: true, subscribe: false });
  });
});
