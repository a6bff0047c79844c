// Migration 002 and the relays/outbox repositories on a real SQLite file: schema, upgrade from 001 keeping rows,
// constraints, idempotent outcome recording, and the publish state derived onto the declaration.

import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { appendAudit } from '../../electron/store/audit';
import { openDatabase } from '../../electron/store/database';
import { requireDeclaration } from '../../electron/store/declarations';
import { migrateTo, schemaVersion } from '../../electron/store/migrate';
import { derivePublishState, enqueueSends, listDueSends, recordSendResult, syncPublishState, type SendResult } from '../../electron/store/outbox';
import { addRelay, listRelays, listWriteRelays, removeRelay, requireRelay, setRelayInfo, updateRelay } from '../../electron/store/relays';
import { MIGRATIONS_DIR, NOW, tempDir } from '../store/fixtures';
import { createStore, generateKey, signedDeclaration } from './helpers';

const columns = (db: BetterSqlite3.Database, table: string) =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((row) => row.name);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (thrown) {
    return thrown instanceof DeclsignError ? thrown.code : `not a DeclsignError: ${String(thrown)}`;
  }
  return undefined;
}

describe('migration 002', () => {
  it('creates relays, publish_outbox and publish_extra_events with their columns', () => {
    const db = openDatabase(path.join(tempDir(), 'store.db'));
    try {
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(2);
      // 002's columns, in order; later migrations append (005: subscribe).
      expect(columns(db, 'relays').slice(0, 9)).toEqual(['url', 'enabled', 'read', 'write', 'nip11_json', 'nip11_fetched_at', 'added_at', 'updated_at', 'last_error']);
      expect(columns(db, 'publish_outbox')).toEqual([
        'id', 'declaration_uuid', 'event_id', 'role', 'relay_url', 'state', 'attempts', 'next_attempt_at', 'last_message', 'last_prefix',
        'first_sent_at', 'published_at', 'created_at', 'updated_at',
      ]);
      expect(columns(db, 'publish_extra_events')).toEqual(['event_id', 'declaration_uuid', 'role', 'target_uuid', 'pubkey', 'event_json', 'recorded_at']);
    } finally {
      db.close();
    }
  });

  it('upgrading a version-1 store keeps its rows', () => {
    const file = path.join(tempDir(), 'store.db');
    const db = new BetterSqlite3(file);
    db.pragma('foreign_keys = ON');
    migrateTo(db, MIGRATIONS_DIR, 1);
    appendAudit(db, { at: NOW, actor: 'test', action: 'before.upgrade', details: { n: 1 } });
    const before = db.prepare('SELECT * FROM audit_log').all();
    const report = migrateTo(db, MIGRATIONS_DIR, 2);
    expect(report).toMatchObject({ from: 1, to: 2, applied: ['002_relays_outbox.sql'] });
    expect(db.prepare('SELECT * FROM audit_log').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM relays').get()).toEqual({ n: 0 });
    db.close();
  });

  it('its CHECKs refuse a non-websocket relay URL and an unknown outbox state', async () => {
    const store = await createStore();
    const db = store.ctx.services.db();
    expect(() => db.prepare(`INSERT INTO relays (url, added_at, updated_at) VALUES ('https://x', ?, ?)`).run(NOW, NOW)).toThrow(/CHECK/);
    const admin = await generateKey(store, 'nostr', 'admin');
    const uuid = await signedDeclaration(store, admin, admin);
    const insert = (state: string) =>
      db.prepare(`INSERT INTO publish_outbox (declaration_uuid, event_id, role, relay_url, state, created_at, updated_at)
                  VALUES (?, ?, 'primary', 'ws://a', ?, ?, ?)`).run(uuid, 'a'.repeat(64), state, NOW, NOW);
    expect(() => insert('sent')).toThrow(/CHECK/);
    expect(() => insert('retrying')).toThrow(/CHECK/); // retrying needs its next attempt time
  });
});

describe('relays repository', () => {
  it('normalises URLs, repeats safely, keeps flags and refuses a relay used for nothing', async () => {
    const store = await createStore();
    const db = store.ctx.services.db();
    expect(addRelay(db, { url: 'WSS://Relay.Example.com:443/', read: true, write: true }, NOW)).toMatchObject({ added: true, relay: { url: 'wss://relay.example.com' } });
    expect(addRelay(db, { url: 'wss://relay.example.com', read: true, write: false }, NOW)).toMatchObject({ added: false, relay: { write: false } });
    expect(codeOf(() => addRelay(db, { url: 'wss://b.example.com', read: false, write: false }, NOW))).toBe('invalid_input');
    expect(codeOf(() => addRelay(db, { url: 'ftp://b.example.com', read: true, write: true }, NOW))).toBe('invalid_relay_url');
    expect(codeOf(() => updateRelay(db, 'wss://relay.example.com', { read: false }, NOW))).toBe('invalid_input');
    expect(codeOf(() => requireRelay(db, 'wss://nowhere.example.com'))).toBe('unknown_relay');
    addRelay(db, { url: 'wss://w.example.com', read: false, write: true }, NOW);
    expect(listWriteRelays(db).map((r) => r.url)).toEqual(['wss://w.example.com']);
    updateRelay(db, 'wss://w.example.com', { enabled: false }, NOW);
    expect(listWriteRelays(db)).toEqual([]);
    expect(setRelayInfo(db, 'wss://w.example.com', '{"limitation":{},"ignoredFields":[]}', NOW)).toMatchObject({ nip11_fetched_at: NOW });
    expect(listRelays(db).map((r) => r.url)).toEqual(['wss://relay.example.com', 'wss://w.example.com']);
  });
});

describe('outbox repository', () => {
  async function queued() {
    const store = await createStore();
    const db = store.ctx.services.db();
    const admin = await generateKey(store, 'nostr', 'admin');
    const uuid = await signedDeclaration(store, admin, admin);
    const eventId = requireDeclaration(db, uuid).nostr_event_id!;
    const sends = ['ws://a', 'ws://b'].map((relay_url) => ({ declaration_uuid: uuid, event_id: eventId, role: 'primary' as const, relay_url }));
    return { store, db, uuid, eventId, sends };
  }
  const result = (state: SendResult['state'], extra: Partial<SendResult> = {}): SendResult => ({
    state,
    prefix: null,
    message: state,
    attemptsAdded: 1,
    firstSentAt: NOW,
    settledAt: NOW,
    nextAttemptAt: state === 'retrying' ? '2025-06-01T12:00:05.000Z' : null,
    ...extra,
  });

  it('queues one row per (event, relay); queuing again adds nothing', async () => {
    const { store, db, sends } = await queued();
    expect(enqueueSends(db, sends, NOW)).toEqual({ queued: 2, requeued: 0, alreadyPublished: 0 });
    expect(enqueueSends(db, sends, NOW)).toEqual({ queued: 0, requeued: 0, alreadyPublished: 0 });
    expect(store.outbox().map((row) => [row.relay_url, row.state, row.attempts])).toEqual([
      ['ws://a', 'pending', 0],
      ['ws://b', 'pending', 0],
    ]);
  });

  it('never changes a published row, and derives the declaration state from the current event', async () => {
    const { store, db, uuid, sends } = await queued();
    enqueueSends(db, sends, NOW);
    syncPublishState(db, uuid, NOW);
    expect(requireDeclaration(db, uuid).nostr_publish_status).toBe('pending');
    const [a, b] = store.outbox();
    recordSendResult(db, b!.id, result('retrying'), NOW);
    expect(derivePublishState(db, uuid)).toEqual({ status: 'retrying', relays: [], publishedAt: null });
    expect(recordSendResult(db, a!.id, result('published'), NOW)).toBe(true);
    // A later answer for the same pair (a resend after a crash) cannot undo or double-count it.
    expect(recordSendResult(db, a!.id, result('failed'), NOW)).toBe(false);
    expect(recordSendResult(db, a!.id, result('published'), NOW)).toBe(false);
    expect(store.outbox()[0]).toMatchObject({ state: 'published', attempts: 1, published_at: NOW });
    syncPublishState(db, uuid, NOW);
    expect(requireDeclaration(db, uuid)).toMatchObject({ status: 'Published', nostr_publish_status: 'published', nostr_published_to_relays: '["ws://a"]', nostr_published_at: NOW });
  });

  it('every relay failed for good: failed; an explicit publish re-queues failed and retrying rows', async () => {
    const { store, db, uuid, sends } = await queued();
    enqueueSends(db, sends, NOW);
    const [a, b] = store.outbox();
    recordSendResult(db, a!.id, result('failed'), NOW);
    recordSendResult(db, b!.id, result('retrying'), NOW);
    expect(derivePublishState(db, uuid)?.status).toBe('retrying');
    recordSendResult(db, b!.id, result('failed'), NOW);
    expect(derivePublishState(db, uuid)?.status).toBe('failed');
    expect(enqueueSends(db, sends, NOW)).toEqual({ queued: 0, requeued: 2, alreadyPublished: 0 });
    expect(store.outbox().map((row) => [row.state, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
  });

  it('lists what is due: pending always, retrying once its time has come (or when told to ignore backoff)', async () => {
    const { store, db, sends } = await queued();
    enqueueSends(db, sends, NOW);
    const [, b] = store.outbox();
    recordSendResult(db, b!.id, result('retrying', { nextAttemptAt: '2025-06-01T12:01:00.000Z' }), NOW);
    expect(listDueSends(db, { now: NOW }).map((row) => row.relay_url)).toEqual(['ws://a']);
    expect(listDueSends(db, { now: '2025-06-01T12:01:00.000Z' }).map((row) => row.relay_url)).toEqual(['ws://a', 'ws://b']);
    expect(listDueSends(db, { now: NOW, ignoreBackoff: true, relays: ['ws://b'] }).map((row) => row.relay_url)).toEqual(['ws://b']);
  });

  it('removing a relay drops its unfinished sends and keeps finished ones', async () => {
    const { store, db, sends } = await queued();
    addRelay(db, { url: 'ws://a', read: true, write: true }, NOW);
    addRelay(db, { url: 'ws://b', read: true, write: true }, NOW);
    enqueueSends(db, sends, NOW);
    recordSendResult(db, store.outbox()[0]!.id, result('published'), NOW);
    expect(removeRelay(db, 'ws://a')).toEqual({ url: 'ws://a', droppedSends: 0 });
    expect(removeRelay(db, 'ws://b')).toEqual({ url: 'ws://b', droppedSends: 1 });
    expect(store.outbox().map((row) => row.relay_url)).toEqual(['ws://a']);
  });
});
