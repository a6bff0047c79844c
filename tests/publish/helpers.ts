// Shared setup for the publish tests: a real store file in a temp dir driven through the operation table (fast setup),
// signed declarations of each kind, and reading the outbox straight from SQLite.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { invokeOperation } from '../../electron/ops/define';
import { createOperationContext, type OperationContext, type ProgressEvent } from '../../electron/ops/context';
import { operations } from '../../electron/ops/table';
import type { OutboxRow } from '../../electron/store/outbox';
import { queryRelay } from '../../electron/relays/query';

export const PASSPHRASE = 'correct horse battery staple';
const CLI_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHEAP_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
import { FUTURE } from './seed';
export { FUTURE, seedSignedDeclarations } from './seed';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

export interface TestStore {
  dir: string;
  dbPath: string;
  ctx: OperationContext;
  progress: ProgressEvent[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(name: keyof typeof operations, input?: unknown): Promise<any>;
  /** Expects the operation to fail with `code`; returns the error. */
  fails(name: keyof typeof operations, input: unknown, code: string): Promise<{ code: string; message: string }>;
  outbox(): OutboxRow[];
  close(): Promise<void>;
}

export async function createStore(): Promise<TestStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-publish-'));
  const dbPath = path.join(dir, 'store.db');
  const progress: ProgressEvent[] = [];
  const ctx = createOperationContext({
    dbPath,
    scrypt: CHEAP_SCRYPT,
    askPassphrase: async () => PASSPHRASE,
    onProgress: (event) => progress.push(event),
  });
  const store: TestStore = {
    dir,
    dbPath,
    ctx,
    progress,
    async call(name, input = {}) {
      const result = await invokeOperation(operations[name], input, ctx);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    async fails(name, input, code) {
      const result = await invokeOperation(operations[name], input, ctx);
      if (result.ok) throw new Error(`${name} succeeded; expected ${code}`);
      if (result.error.code !== code) throw new Error(`${name} failed with ${result.error.code} (${result.error.message}); expected ${code}`);
      return result.error;
    },
    outbox() {
      return ctx.services.db().prepare('SELECT * FROM publish_outbox ORDER BY id').all() as OutboxRow[];
    },
    close: () => ctx.services.close(),
  };
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  onCleanup(() => store.close());
  await store.call('store.init', { passphrase: PASSPHRASE });
  return store;
}

export interface Key {
  id: string;
  public_key: string;
}

export async function generateKey(store: TestStore, type: string, label: string, role = 'none'): Promise<Key> {
  return store.call('keys.generate', { algorithm: type, label, role });
}

/** Create → finalize → sign. */
export async function signedDeclaration(
  store: TestStore,
  issuer: Key,
  subject: Key,
  options: { type?: string; content?: Record<string, unknown>; wrapWith?: Key } = {},
): Promise<string> {
  const draft = await store.call('declarations.create', {
    type: options.type ?? 'trust-declaration',
    issuer: issuer.id,
    subject: subject.id,
    content: options.content ?? { note: 'publish test', trust_level: 'authorized-admin' },
    valid_until: FUTURE,
  });
  await store.call('declarations.finalize', { uuid: draft.declaration_uuid });
  await store.call('declarations.sign', { uuid: draft.declaration_uuid, ...(options.wrapWith ? { wrap_with: options.wrapWith.id } : {}) });
  return draft.declaration_uuid;
}

/** Every current event of a declaration as the store holds it (exact JSON text). */
export function storedEvents(store: TestStore, uuid: string): string[] {
  return (
    store.ctx.services.db().prepare('SELECT event_json FROM declaration_events WHERE declaration_uuid = ? AND superseded_by IS NULL ORDER BY event_id').all(uuid) as Array<{
      event_json: string;
    }>
  ).map((row) => row.event_json);
}

/** Events on a relay, by id (raw text as the relay sent it). */
export async function relayEvents(url: string, filter: Record<string, unknown>): Promise<Map<string, string>> {
  // An explicit limit: relays cap a filter without one (the test relay at 100).
  const result = await queryRelay(url, [{ limit: 10_000, ...filter }], { deadlineMs: 10_000, maxEvents: 10_000 });
  if (result.end !== 'eose') throw new Error(`query to ${url} ended with ${result.end}: ${result.reason}`);
  return new Map(result.eventTexts.map((text) => [(JSON.parse(text) as { id: string }).id, text]));
}

/** Reads the outbox of a store file from outside (another process may be writing it). */
export function readOutbox(dbPath: string): OutboxRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare('SELECT * FROM publish_outbox ORDER BY id').all() as OutboxRow[];
  } catch (error) {
    if (String(error).includes('no such table')) return [];
    throw error;
  } finally {
    db.close();
  }
}

export interface AsyncCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * Runs `node bin/declsign.js ARGS` against a CLI test store without blocking this process: relays served from this
 * process (in-process real relay, faulty relays) must keep answering while the CLI talks to them.
 */
export function runCliAsync(store: { dir: string; dbPath: string }, args: readonly string[], env: Record<string, string>): Promise<AsyncCliResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DECLSIGN_'))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(CLI_ROOT, 'bin/declsign.js'), ...args], {
      cwd: store.dir,
      env: { ...inherited, DECLSIGN_DB: store.dbPath, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

