// Schema migrations: `migrations/NNN_name.sql`, applied in order, one transaction each, version in PRAGMA user_version.
// A migration file holds plain DDL/DML without BEGIN/COMMIT; the runner supplies the transaction so a failure leaves
// the database exactly at the previous version.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';

export interface Migration {
  /** The NNN prefix as a number: 1, 2, … */
  version: number;
  /** The file name, e.g. `001_initial.sql`. */
  file: string;
  sql: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

const MIGRATION_FILE = /^(\d{3})_[a-z0-9][a-z0-9_]*\.sql$/;

/**
 * Reads and validates the migration set: every `.sql` file must be named `NNN_name.sql`, and the numbers must run
 * 1, 2, 3 … without gaps or duplicates. A malformed set is a packaging bug, so it fails before anything is applied.
 */
export function listMigrations(dir: string): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (thrown) {
    throw new DeclsignError('migration_failed', `Cannot read the migrations directory ${dir}: ${(thrown as Error).message}`);
  }
  const migrations: Migration[] = [];
  for (const file of names) {
    if (!file.endsWith('.sql')) continue;
    const match = MIGRATION_FILE.exec(file);
    if (!match) {
      throw new DeclsignError('migration_failed', `Migration file ${file} is not named NNN_name.sql (lowercase, three digits)`, { file });
    }
    migrations.push({ version: Number(match[1]), file, sql: readFileSync(path.join(dir, file), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      const previous = migrations[index - 1];
      const problem =
        previous && previous.version === migration.version
          ? `duplicates version ${migration.version} of ${previous.file}`
          : `breaks the sequence: expected ${String(index + 1).padStart(3, '0')}`;
      throw new DeclsignError('migration_failed', `Migration ${migration.file} ${problem}`, { file: migration.file });
    }
  });
  return migrations;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer build: we cannot know what its schema means. Touches nothing. */
export function assertNotFromFuture(current: number, latestKnown: number): void {
  if (current > latestKnown) {
    throw new DeclsignError(
      'db_from_future',
      `The database is at schema version ${current}, but this build knows only up to ${latestKnown}; use a newer build`,
      { version: current, latestKnown },
    );
  }
}

/**
 * Applies the pending migrations up to `target`. Each runs in its own IMMEDIATE transaction that also re-reads and
 * sets user_version, so two processes opening the same file at once cannot both apply a step.
 */
export function migrateTo(db: Database, dir: string, target: number): MigrationReport {
  return applyMigrations(db, listMigrations(dir), target);
}

export function migrateToLatest(db: Database, dir: string): MigrationReport {
  const migrations = listMigrations(dir);
  return applyMigrations(db, migrations, migrations.length);
}

/** As {@link migrateTo}, for a set already read with {@link listMigrations}. */
export function applyMigrations(db: Database, migrations: readonly Migration[], target: number): MigrationReport {
  const latest = migrations.length;
  const from = schemaVersion(db);
  assertNotFromFuture(from, latest);
  if (!Number.isInteger(target) || target < 0 || target > latest) {
    throw new DeclsignError('invalid_input', `Cannot migrate to version ${target}: known versions are 0..${latest}`);
  }
  if (target < from) {
    throw new DeclsignError('invalid_input', `Cannot migrate down from version ${from} to ${target}: migrations only go forward`);
  }

  const applied: string[] = [];
  for (const migration of migrations.slice(from, target)) {
    const step = db.transaction(() => {
      // Another process may have applied it between our read and our lock.
      if (schemaVersion(db) >= migration.version) return false;
      db.exec(migration.sql);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) {
        throw new Error(`leaves ${violations.length} foreign key violation(s)`);
      }
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    try {
      if (step.immediate()) applied.push(migration.file);
    } catch (thrown) {
      throw new DeclsignError('migration_failed', `Migration ${migration.file} failed and was rolled back: ${(thrown as Error).message}`, {
        file: migration.file,
        version: migration.version,
      });
    }
  }
  return { from, to: schemaVersion(db), applied };
}
