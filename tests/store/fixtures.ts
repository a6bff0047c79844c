// Shared setup for the store tests: a real SQLite file in a fresh temp dir, cheap scrypt, and sample rows.

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { identityFromPublicKey } from '../../electron/core/keys/identity';
import type { KeyAlgorithm } from '../../electron/core/keys/types';
import { type Database, defaultMigrationsDir, openDatabase } from '../../electron/store/database';
import type { NewKeypair } from '../../electron/store/keypairs';
import type { ScryptParams } from '../../electron/store/vault';

export const MIGRATIONS_DIR = defaultMigrationsDir();
/** 2^10: the lowest the vault accepts, so tests stay fast while exercising the real KDF path. */
export const CHEAP_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const NOW = '2025-06-01T12:00:00.000Z';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'declsign-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A migrated store file in a temp dir, closed after the test. */
export function tempDatabase(): { db: Database; file: string; dir: string } {
  const dir = tempDir();
  const file = path.join(dir, 'store.db');
  const db = openDatabase(file);
  cleanups.unshift(() => db.open && db.close());
  return { db, file, dir };
}

/** Public fields of a random key (the bytes need not be a valid curve point for the store). */
export function samplePublicKeypair(algorithm: KeyAlgorithm = 'nostr', overrides: Partial<NewKeypair> = {}): NewKeypair {
  const identity = identityFromPublicKey(algorithm, randomBytes(32));
  return {
    keypair_uuid: randomUUID(),
    label: `${algorithm} key`,
    algorithm,
    role: 'none',
    public_key: identity.publicKeyHex,
    fingerprint: identity.fingerprint,
    canonical_name: identity.canonicalName,
    private_key: null,
    source_format: 'npub',
    ...overrides,
  };
}

/** Millisecond stamps from a base instant, for ordered rows. */
export function stampAt(offsetMs: number): string {
  return new Date(Date.parse(NOW) + offsetMs).toISOString();
}
