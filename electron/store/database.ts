// Opening the store: connection settings, migrations, and the small helpers every repository shares.

import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeclsignError } from '../core/errors';
import { applyMigrations, assertNotFromFuture, listMigrations, schemaVersion } from './migrate';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** Defaults to `<package root>/migrations`. */
  migrationsDir?: string;
}

/** Long enough for the CLI and the app to take turns on one file; short enough that a stuck writer surfaces as an error. */
const BUSY_TIMEOUT_MS = 5000;

/** Page size of a store created from now on (an existing store keeps its own). */
export const NEW_STORE_PAGE_SIZE = 16384;

/**
 * Opens (creating if needed) the store at `file` and brings its schema to the latest migration.
 * A database from a newer build is refused with `db_from_future` before anything is written to it.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const migrations = listMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const inMemory = file === ':memory:' || file === '';
  const isNew = !inMemory && !existsSync(file);
  // Private key ciphertexts live here: keep the directory and the file to the owner.
  if (isNew) mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });

  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (thrown) {
    throw notAStore(file, thrown);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Checked before journal_mode, which would rewrite the header of a file we must leave alone.
    assertNotFromFuture(schemaVersion(db), migrations.length);
    if (isNew) {
      chmodSync(file, 0o600);
      // A declaration's row and events are ≈ 12 KB of JSON text: on 4 KB pages each spills into overflow chains. 16 KB
      // pages cut the CPU of storing an import by about a quarter (bench/import `store`: ≈ 100 → 75 µs per
      // declaration; 8 KB ≈ 83, 32 KB no better). Only a new file can take it (it is set before its first page).
      db.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Freed pages are zeroed, so a deleted key's ciphertext does not linger in the file.
    db.pragma('secure_delete = ON');
    applyMigrations(db, migrations, migrations.length);
    return db;
  } catch (thrown) {
    db.close();
    throw notAStore(file, thrown);
  }
}

/** A path that is not a SQLite file (or cannot be opened as one) is the user's input error, said precisely. */
function notAStore(file: string, thrown: unknown): unknown {
  const code = sqliteCode(thrown);
  if (code === 'SQLITE_NOTADB') return new DeclsignError('invalid_input', `${file} is not a Declaration Signer store (not a SQLite database).`);
  if (code === 'SQLITE_CANTOPEN') return new DeclsignError('invalid_input', `Cannot open ${file} as a store (is it a directory, or not readable?).`);
  return thrown;
}

/** The `migrations/` directory of this package, found from this module whether it runs from source or a bundle. */
export function defaultMigrationsDir(): string {
  return path.join(findPackageRoot(path.dirname(fileURLToPath(import.meta.url))), 'migrations');
}

/**
 * Walks up from `startDir` to the first directory holding both `package.json` and `migrations/`.
 * Sources run from `electron/store/`, bundles from `dist/`; both reach the package root this way.
 */
export function findPackageRoot(startDir: string): string {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new DeclsignError('internal_error', `No package root with a migrations/ directory above ${startDir}`);
    }
  }
}

/**
 * Runs `fn` in one IMMEDIATE transaction: it writes everything or nothing, and takes the write lock up front so a
 * concurrent writer makes us wait (busy_timeout) instead of failing half-way. Nested calls become savepoints.
 */
export function withTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate();
}

const statementCache = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement for `sql`, compiled once per connection. */
export function prepared<Row = unknown>(db: Database, sql: string): Statement<unknown[], Row> {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as Statement<unknown[], Row>;
}

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{3})?Z$/;

/**
 * Validates a caller-supplied stamp and returns it in the one form the store keeps, `YYYY-MM-DDTHH:MM:SS.sssZ`,
 * so lexical order is time order. Seconds-precision input gains `.000`.
 */
export function normalizeStamp(value: string, field = 'now'): string {
  const match = RFC3339_UTC.exec(value);
  const normalized = match ? `${match[1]}${match[2] ?? '.000'}Z` : '';
  // The round trip rejects dates Date.parse would roll over, such as February 30.
  if (!match || Number.isNaN(Date.parse(normalized)) || new Date(normalized).toISOString() !== normalized) {
    throw new DeclsignError('invalid_input', `${field} must be an RFC 3339 UTC timestamp like 2025-01-31T12:00:00.000Z, got ${JSON.stringify(value)}`);
  }
  return normalized;
}

/** better-sqlite3 raises SqliteError with an extended result code such as `SQLITE_CONSTRAINT_CHECK`. */
export function sqliteCode(thrown: unknown): string | undefined {
  const code = (thrown as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns a schema constraint violation into `invalid_input` (bad input changes nothing and says why);
 * anything else is rethrown as is.
 */
export function rethrowConstraint(thrown: unknown, what: string): never {
  const code = sqliteCode(thrown);
  if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_NOTNULL' || code === 'SQLITE_CONSTRAINT_DATATYPE'
    || code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'SQLITE_CONSTRAINT_TRIGGER') {
    throw new DeclsignError('invalid_input', `${what} rejected by the store: ${(thrown as Error).message}`, { sqlite: code });
  }
  throw thrown;
}
