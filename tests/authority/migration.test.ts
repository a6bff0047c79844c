// Migration 003_authority: trust_anchors and declaration_supersessions exist with their constraints, and migrating
// across 003 keeps what was there. Later migrations may exist: every assertion names versions relative to 003.

import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatorAnchors, getAnchor, listAnchors, pinAnchorRow, removeAnchor } from '../../electron/store/anchors';
import { listChainStatuses, writeChainStatus } from '../../electron/store/chain-status';
import { listMigrations, migrateTo, migrateToLatest, schemaVersion } from '../../electron/store/migrate';
import { DeclsignError } from '../../electron/core/errors';
import { MIGRATIONS_DIR, NOW, samplePublicKeypair, tempDir } from '../store/fixtures';

const AUTHORITY = listMigrations(MIGRATIONS_DIR).find((m) => m.file === '003_authority.sql')!;

function open(): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(tempDir(), 'authority.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

function columns(db: BetterSqlite3.Database, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);
}

function seed(db: BetterSqlite3.Database): string {
  const kp = samplePublicKeypair();
  db.prepare(`INSERT INTO keypairs (keypair_uuid, label, algorithm, role, public_key, fingerprint, canonical_name, source_format, created_at, updated_at)
              VALUES (?, ?, ?, 'master-admin', ?, ?, ?, ?, ?, ?)`).run(kp.keypair_uuid, kp.label, kp.algorithm, kp.public_key, kp.fingerprint, kp.canonical_name, kp.source_format, NOW, NOW);
  const uuid = randomUUID();
  db.prepare(`INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, issuer_keypair_uuid, created_at, updated_at)
              VALUES (?, 'privilege-grant', '{"a":1}', ?, ?, ?)`).run(uuid, kp.keypair_uuid, NOW, NOW);
  return uuid;
}

const anchor = { fingerprint: 'a1'.repeat(32), algorithm: 'nostr' as const, public_key: 'b2'.repeat(32), canonical_name: 'npub1example', label: 'Alice', note: null };

describe('003_authority', () => {
  it('is version 3 and creates trust_anchors and declaration_supersessions', () => {
    expect(AUTHORITY.version).toBe(3);
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 3);
    expect(columns(db, 'trust_anchors')).toEqual(['fingerprint', 'algorithm', 'public_key', 'canonical_name', 'label', 'pinned_at', 'note']);
    expect(columns(db, 'declaration_supersessions')).toEqual(['declaration_uuid', 'superseded_by_declaration_uuid']);
    db.close();
  });

  it('from version 2 to 3 (and on to the latest) keeps every row', () => {
    const db = open();
    migrateTo(db, MIGRATIONS_DIR, 2);
    const uuid = seed(db);
    const before = ['keypairs', 'admindeclarations', 'audit_log'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
    migrateTo(db, MIGRATIONS_DIR, 3);
    migrateToLatest(db, MIGRATIONS_DIR);
    expect(schemaVersion(db)).toBe(listMigrations(MIGRATIONS_DIR).length);
    const after = ['keypairs', 'admindeclarations', 'audit_log'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
    expect(after).toEqual(before);
    expect(listChainStatuses(db)).toEqual([{ declaration_uuid: uuid, is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: null }]);
    db.close();
  });

  it('trust_anchors refuses malformed rows; the repository pins, re-pins, lists and unpins', () => {
    const db = open();
    migrateToLatest(db, MIGRATIONS_DIR);
    const insert = db.prepare('INSERT INTO trust_anchors (fingerprint, algorithm, public_key, canonical_name, label, pinned_at) VALUES (?, ?, ?, ?, ?, ?)');
    expect(() => insert.run('A1'.repeat(32), 'nostr', 'b2'.repeat(32), 'x', null, NOW)).toThrow(/CHECK/);
    expect(() => insert.run('a1'.repeat(32), 'dsa', 'b2'.repeat(32), 'x', null, NOW)).toThrow(/CHECK/);
    expect(() => insert.run('a1'.repeat(32), 'nostr', 'b2'.repeat(32), 'x', '', NOW)).toThrow(/CHECK/);
    expect(() => insert.run('a1'.repeat(32), 'nostr', null, 'x', null, NOW)).toThrow(/NOT NULL/);

    expect(pinAnchorRow(db, anchor, NOW)).toMatchObject({ created: true, row: { ...anchor, pinned_at: NOW } });
    const again = pinAnchorRow(db, { ...anchor, label: 'Alice (root)', note: 'checked by phone' }, '2025-07-01T00:00:00.000Z');
    expect(again).toMatchObject({ created: false, row: { label: 'Alice (root)', note: 'checked by phone', pinned_at: NOW } });
    expect(evaluatorAnchors(db)).toEqual([{ fingerprint: anchor.fingerprint, label: 'Alice (root)' }]);
    expect(listAnchors(db)).toHaveLength(1);
    removeAnchor(db, anchor.fingerprint);
    expect(getAnchor(db, anchor.fingerprint)).toBeUndefined();
    expect(() => removeAnchor(db, anchor.fingerprint)).toThrow(DeclsignError);
    db.close();
  });

  it('writes chain status: revocation columns and supersession, and clears them again', () => {
    const db = open();
    migrateToLatest(db, MIGRATIONS_DIR);
    const uuid = seed(db);
    const by = randomUUID();
    writeChainStatus(db, uuid, { is_revoked: true, revoked_at: '2025-06-02T00:00:00Z', revoked_by_declaration_uuid: by, superseded_by_declaration_uuid: by }, NOW);
    expect(listChainStatuses(db)).toEqual([{ declaration_uuid: uuid, is_revoked: true, revoked_at: '2025-06-02T00:00:00Z', revoked_by_declaration_uuid: by, superseded_by_declaration_uuid: by }]);
    writeChainStatus(db, uuid, { is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: null }, NOW);
    expect(listChainStatuses(db)[0]).toMatchObject({ is_revoked: false, superseded_by_declaration_uuid: null });
    // A supersession row goes with its declaration.
    writeChainStatus(db, uuid, { is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: by }, NOW);
    db.prepare('DELETE FROM admindeclarations WHERE declaration_uuid = ?').run(uuid);
    expect(db.prepare('SELECT count(*) AS n FROM declaration_supersessions').get()).toEqual({ n: 0 });
    db.close();
  });
});
