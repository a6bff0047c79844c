import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { appendAudit } from '../../electron/store/audit';
import { findPackageRoot, NEW_STORE_PAGE_SIZE, openDatabase } from '../../electron/store/database';
import { insertKeypair } from '../../electron/store/keypairs';
import { listMigrations, migrateTo, migrateToLatest, schemaVersion } from '../../electron/store/migrate';
import { MIGRATIONS_DIR, NOW, samplePublicKeypair, tempDir } from './fixtures';

function rawDatabase(file: string) {
  const db = new BetterSqlite3(file);
  db.pragma('foreign_keys = ON');
  return db;
}

function names(db: BetterSqlite3.Database, type: 'table' | 'index' | 'trigger'): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).all(type) as { name: string }[]).map((r) => r.name);
}

function columns(db: BetterSqlite3.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

/** Every row of every table, to prove a migration step keeps what was there. */
function snapshot(db: BetterSqlite3.Database): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const table of names(db, 'table')) result[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
  return result;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (thrown) {
    return thrown instanceof DeclsignError ? thrown.code : `not a DeclsignError: ${String(thrown)}`;
  }
  return undefined;
}

describe('the migration set', () => {
  it('is numbered 001.. without gaps and starts with 001_initial.sql', () => {
    const migrations = listMigrations(MIGRATIONS_DIR);
    expect(migrations.length).toBeGreaterThanOrEqual(1);
    expect(migrations[0]!.file).toBe('001_initial.sql');
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('rejects gaps, duplicates and badly named files before applying anything', () => {
    const cases: Record<string, string[]> = {
      gap: ['001_a.sql', '003_c.sql'],
      duplicate: ['001_a.sql', '001_b.sql'],
      'bad name': ['001_a.sql', '2_b.sql'],
      'upper case': ['001_A.sql'],
      'not from one': ['002_b.sql'],
    };
    for (const [label, files] of Object.entries(cases)) {
      const dir = tempDir();
      for (const file of files) writeFileSync(path.join(dir, file), 'CREATE TABLE t_' + file.slice(0, 3) + ' (x INTEGER);');
      const db = rawDatabase(path.join(dir, 'x.db'));
      expect(codeOf(() => migrateToLatest(db, dir)), label).toBe('migration_failed');
      expect(schemaVersion(db), label).toBe(0);
      expect(names(db, 'table'), label).toEqual([]);
      db.close();
    }
  });

  it('ignores files that are not .sql (a README may sit next to the migrations)', () => {
    const dir = tempDir();
    copyFileSync(path.join(MIGRATIONS_DIR, '001_initial.sql'), path.join(dir, '001_initial.sql'));
    writeFileSync(path.join(dir, 'README.md'), 'notes');
    expect(listMigrations(dir).map((m) => m.file)).toEqual(['001_initial.sql']);
  });
});

describe('each migration step', () => {
  const migrations = listMigrations(MIGRATIONS_DIR);
  for (const migration of migrations) {
    it(`${migration.file}: applies from version ${migration.version - 1} in one step and keeps existing rows`, () => {
      const db = rawDatabase(path.join(tempDir(), 'step.db'));
      migrateTo(db, MIGRATIONS_DIR, migration.version - 1);
      if (migration.version - 1 >= 1) seedVersion1Rows(db);
      const before = snapshot(db);
      const report = migrateTo(db, MIGRATIONS_DIR, migration.version);
      expect(report).toEqual({ from: migration.version - 1, to: migration.version, applied: [migration.file] });
      expect(schemaVersion(db)).toBe(migration.version);
      const after = snapshot(db);
      for (const [table, rows] of Object.entries(before)) {
        if (table in after) expect(after[table], `rows of ${table}`).toEqual(expect.arrayContaining(rows as unknown[]));
      }
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    });
  }

  it('migrateToLatest from version 1 keeps the rows written at version 1', () => {
    const db = rawDatabase(path.join(tempDir(), 'v1.db'));
    migrateTo(db, MIGRATIONS_DIR, 1);
    seedVersion1Rows(db);
    const before = snapshot(db);
    migrateToLatest(db, MIGRATIONS_DIR);
    expect(schemaVersion(db)).toBe(migrations.length);
    const after = snapshot(db);
    for (const table of ['keypairs', 'admindeclarations', 'audit_log']) {
      expect(after[table]).toEqual(before[table]);
    }
    db.close();
  });

  it('is a no-op at the latest version, and refuses to go down', () => {
    const db = rawDatabase(path.join(tempDir(), 'latest.db'));
    migrateToLatest(db, MIGRATIONS_DIR);
    expect(migrateToLatest(db, MIGRATIONS_DIR).applied).toEqual([]);
    expect(codeOf(() => migrateTo(db, MIGRATIONS_DIR, 0))).toBe('invalid_input');
    db.close();
  });
});

describe('001_initial.sql', () => {
  const db = () => {
    const handle = rawDatabase(path.join(tempDir(), 'v1.db'));
    migrateTo(handle, MIGRATIONS_DIR, 1);
    return handle;
  };

  it('creates the tables, indexes and triggers', () => {
    const handle = db();
    expect(names(handle, 'table')).toEqual(
      expect.arrayContaining(['store_meta', 'root_key_wrappings', 'keypairs', 'admindeclarations', 'declaration_events', 'audit_log']),
    );
    expect(names(handle, 'index')).toEqual(
      expect.arrayContaining([
        'idx_admindeclarations_list',
        'idx_admindeclarations_status_list',
        'idx_admindeclarations_type_list',
        'idx_admindeclarations_nostr_event_id',
        'idx_declaration_events_declaration',
        'idx_audit_log_subject',
      ]),
    );
    expect(names(handle, 'trigger')).toEqual(['audit_log_no_delete', 'audit_log_no_update']);
    handle.close();
  });

  it('gives admindeclarations every field of the reference design plus the product fields', () => {
    const handle = db();
    const reference = [
      'declaration_uuid', 'declaration_type', 'content_json', 'content_hash_sha256', 'status',
      'signing_keypair_uuid', 'signing_keypair_fingerprint', 'signing_keypair_canonical_name', 'digital_signature',
      'signed_data', 'signed_data_sha256', 'signing_timestamp', 'countersignatures',
      'nostr_event_id', 'nostr_event', 'nostr_kind', 'nostr_tags', 'nostr_published_at', 'nostr_published_to_relays',
      'nostr_publish_status',
      'schema_version', 'content_version', 'original_declaration_uuid', 'is_update', 'update_chain_uuid', 'is_revoked',
      'revoked_at', 'revoked_by_declaration_uuid',
      'valid_from', 'valid_until', 'issued_at', 'created_at', 'updated_at',
      'discovered_from_relay', 'discovered_at', 'is_local', 'verification_status',
    ];
    const product = ['issuer_keypair_uuid', 'target_keypair_uuid', 'target_algorithm', 'target_public_key', 'target_fingerprint',
      'target_canonical_name', 'wrapper_keypair_uuid'];
    expect(columns(handle, 'admindeclarations')).toEqual(expect.arrayContaining([...reference, ...product]));
    expect(columns(handle, 'declaration_events')).toEqual(
      ['event_id', 'declaration_uuid', 'role', 'pubkey', 'created_at', 'event_json', 'superseded_by', 'recorded_at'],
    );
    expect(columns(handle, 'keypairs')).toEqual(expect.arrayContaining([
      'keypair_uuid', 'label', 'algorithm', 'role', 'public_key', 'fingerprint', 'canonical_name', 'private_key_ciphertext',
      'private_key_nonce', 'private_key_tag', 'nip49_key_security_byte', 'source_format', 'is_experimental', 'created_at', 'updated_at',
    ]));
    expect(columns(handle, 'root_key_wrappings')).toEqual(expect.arrayContaining(['method', 'kdf', 'kdf_params', 'salt', 'nonce', 'ciphertext', 'tag']));
    handle.close();
  });

  it('applies the defaults of the design to a minimal row', () => {
    const handle = db();
    handle.prepare(`INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, created_at, updated_at)
                    VALUES (?, 'trust-declaration', '{}', ?, ?)`).run(randomUUID(), NOW, NOW);
    const row = handle.prepare('SELECT * FROM admindeclarations').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      status: 'Draft', countersignatures: '[]', nostr_kind: 31106, schema_version: '1.0', content_version: 1,
      is_update: 0, is_revoked: 0, is_local: 1, valid_until: null, nostr_publish_status: null, nostr_published_to_relays: '[]',
    });
    handle.close();
  });

  it('enforces its CHECKs: status, type, publish and verification states, role, algorithm, hex', () => {
    const handle = db();
    const insertDecl = (column: string, value: unknown) => () =>
      handle.prepare(`INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, created_at, updated_at, ${column})
                      VALUES (?, 'trust-declaration', '{}', ?, ?, ?)`).run(randomUUID(), NOW, NOW, value);
    expect(insertDecl('status', 'Archived')).toThrow(/CHECK/);
    expect(insertDecl('nostr_publish_status', 'sent')).toThrow(/CHECK/);
    expect(insertDecl('verification_status', 'ok')).toThrow(/CHECK/);
    expect(insertDecl('countersignatures', '{}')).toThrow(/CHECK/);
    expect(insertDecl('content_version', 'two')).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => handle.prepare(`INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, created_at, updated_at)
                                 VALUES (?, 'friend-request', '{}', ?, ?)`).run(randomUUID(), NOW, NOW)).toThrow(/CHECK/);
    // Past Draft a content hash is required.
    expect(insertDecl('status', 'Finalized')).toThrow(/CHECK/);
    const kp = samplePublicKeypair();
    const insertKey = (over: Record<string, unknown>) => () => {
      const row = { ...kp, keypair_uuid: randomUUID(), fingerprint: randomUUID().replace(/-/g, '').padEnd(64, 'a'), ...over };
      handle.prepare(`INSERT INTO keypairs (keypair_uuid, label, algorithm, role, public_key, fingerprint, canonical_name, source_format, created_at, updated_at)
                      VALUES (@keypair_uuid, @label, @algorithm, @role, @public_key, @fingerprint, @canonical_name, @source_format, '${NOW}', '${NOW}')`).run(row);
    };
    expect(insertKey({})).not.toThrow();
    expect(insertKey({ algorithm: 'secp256r1' })).toThrow(/CHECK/);
    expect(insertKey({ role: 'root' })).toThrow(/CHECK/);
    expect(insertKey({ public_key: 'ABCD' })).toThrow(/CHECK/);
    expect(insertKey({ fingerprint: 'abc' })).toThrow(/CHECK/);
    handle.close();
  });

  it('makes audit_log append-only in the schema itself', () => {
    const handle = db();
    handle.prepare(`INSERT INTO audit_log (at, actor, action) VALUES (?, 'local', 'test')`).run(NOW);
    expect(() => handle.prepare(`UPDATE audit_log SET action = 'forged'`).run()).toThrow(/append-only: UPDATE refused/);
    expect(() => handle.prepare('DELETE FROM audit_log').run()).toThrow(/append-only: DELETE refused/);
    expect(handle.prepare('SELECT action FROM audit_log').all()).toEqual([{ action: 'test' }]);
    handle.close();
  });
});

describe('openDatabase', () => {
  it('sets WAL, NORMAL sync, foreign keys, busy timeout, 16 KB pages; creates the file owner-only; migrates to the latest', () => {
    const dir = tempDir();
    const file = path.join(dir, 'nested', 'store.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    expect(db.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
    expect(schemaVersion(db)).toBe(listMigrations(MIGRATIONS_DIR).length);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    db.close();
    // A second process (the CLI next to the app) opens the same file without re-applying anything.
    const again = openDatabase(file);
    const other = openDatabase(file);
    expect(schemaVersion(other)).toBe(schemaVersion(again));
    again.close();
    other.close();
  });

  it('refuses a database from a newer build with db_from_future and leaves the file byte for byte as it was', () => {
    const file = path.join(tempDir(), 'future.db');
    const db = openDatabase(file);
    appendAudit(db, { at: NOW, actor: 'local', action: 'written-by-future' });
    db.pragma('user_version = 999');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    const error = (() => {
      try {
        openDatabase(file);
      } catch (thrown) {
        return thrown as DeclsignError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('db_from_future');
    expect(error?.message).toMatch(/999/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // The runner refuses too, whoever calls it.
    const raw = rawDatabase(file);
    expect(codeOf(() => migrateToLatest(raw, MIGRATIONS_DIR))).toBe('db_from_future');
    raw.close();
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('rolls a failing migration back completely: user_version, tables and rows stay as they were', () => {
    const dir = tempDir();
    const migrations = path.join(dir, 'migrations');
    mkdirSync(migrations);
    for (const m of listMigrations(MIGRATIONS_DIR)) copyFileSync(path.join(MIGRATIONS_DIR, m.file), path.join(migrations, m.file));
    const file = path.join(dir, 'store.db');
    const db = openDatabase(file, { migrationsDir: migrations });
    const version = schemaVersion(db);
    insertKeypair(db, samplePublicKeypair(), NOW);
    db.close();

    const broken = `${String(version + 1).padStart(3, '0')}_broken.sql`;
    writeFileSync(path.join(migrations, broken), [
      'CREATE TABLE half_done (x INTEGER);',
      "UPDATE keypairs SET label = 'changed';",
      'INSERT INTO no_such_table VALUES (1);',
    ].join('\n'));
    let error: DeclsignError | undefined;
    try {
      openDatabase(file, { migrationsDir: migrations });
    } catch (thrown) {
      error = thrown as DeclsignError;
    }
    expect(error?.code).toBe('migration_failed');
    expect(error?.message).toContain(broken);
    expect(error?.message).toMatch(/no such table/);

    const raw = rawDatabase(file);
    expect(schemaVersion(raw)).toBe(version);
    expect(names(raw, 'table')).not.toContain('half_done');
    expect(raw.prepare('SELECT label FROM keypairs').all()).toEqual([{ label: 'nostr key' }]);
    raw.close();
  });

  it('finds the package root from the source tree and from a bundle directory', () => {
    const root = findPackageRoot(path.dirname(MIGRATIONS_DIR));
    expect(path.join(root, 'migrations')).toBe(MIGRATIONS_DIR);
    expect(findPackageRoot(path.join(root, 'electron', 'store'))).toBe(root);
    expect(findPackageRoot(path.join(root, 'dist'))).toBe(root);
  });
});

/** Rows in every version-1 table (through raw SQL, so the test does not depend on later repository code). */
function seedVersion1Rows(db: BetterSqlite3.Database): void {
  const kp = samplePublicKeypair();
  db.prepare(`INSERT INTO keypairs (keypair_uuid, label, algorithm, role, public_key, fingerprint, canonical_name, source_format, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(kp.keypair_uuid, kp.label, kp.algorithm, 'master-admin', kp.public_key, kp.fingerprint, kp.canonical_name, kp.source_format, NOW, NOW);
  const uuid = randomUUID();
  db.prepare(`INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, issuer_keypair_uuid, created_at, updated_at)
              VALUES (?, 'privilege-grant', '{"a":1}', ?, ?, ?)`).run(uuid, kp.keypair_uuid, NOW, NOW);
  db.prepare(`INSERT INTO audit_log (at, actor, action, subject_type, subject_id) VALUES (?, 'local', 'seed', 'declaration', ?)`).run(NOW, uuid);
}
