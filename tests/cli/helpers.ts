// Drives the real `declsign` CLI: `node bin/declsign.js` in a child process, against a store file in a temp dir.
// The bundle is rebuilt only when a source it was built from is newer (npm test builds first anyway).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_BUNDLE = path.join(ROOT, 'dist/cli.js');
const BUILD_LOCK = path.join(ROOT, 'dist/.cli-test-build.lock');
/** A lock older than this belongs to a build that died. */
const STALE_LOCK_MS = 120_000;

export const PASSPHRASE = 'correct horse battery staple';
/** The CLI's test-only cheaper scrypt cost (2^10 instead of 2^17). */
export const TEST_SCRYPT_LOG_N = '10';

function bundleIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(CLI_BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  let sources: string[];
  try {
    sources = (JSON.parse(readFileSync(`${CLI_BUNDLE}.map`, 'utf8')) as { sources: string[] }).sources;
  } catch {
    return false;
  }
  return sources.every((source) => {
    try {
      return statSync(path.resolve(path.dirname(CLI_BUNDLE), source)).mtimeMs <= built;
    } catch {
      return false; // a source that vanished: rebuild
    }
  });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/cli.js when it is missing or older than its sources; one builder at a time across test workers. */
export function ensureCliBuilt(): void {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    if (bundleIsFresh()) return;
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > STALE_LOCK_MS) rmdirSync(BUILD_LOCK);
      } catch {
        // the other builder just finished
      }
      sleep(200);
      continue;
    }
    try {
      const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--no-renderer'], { cwd: ROOT, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}${build.stdout}`);
      return;
    } finally {
      rmdirSync(BUILD_LOCK);
    }
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RunOptions {
  /** Added to (or, with `undefined`, removed from) the child's environment. */
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  cwd?: string;
}

/** Runs `node bin/declsign.js ARGS` with no DECLSIGN_* variables inherited except those in `options.env`. */
export function runCli(args: readonly string[], options: RunOptions = {}): CliResult {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('DECLSIGN_')) env[name] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const child = spawnSync(process.execPath, [path.join(ROOT, 'bin/declsign.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.stdin ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  let json: unknown;
  try {
    json = JSON.parse(child.stdout);
  } catch {
    json = undefined;
  }
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr, json };
}

/** One temp store file, and the CLI bound to it (DECLSIGN_DB, passphrase, cheap scrypt). */
export class CliStore {
  readonly dir: string;
  readonly dbPath: string;
  /** stdout and stderr of every command run against this store, for "no secret in any output" checks. */
  readonly transcript: string[] = [];

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-cli-'));
    this.dbPath = path.join(this.dir, 'store.db');
  }

  run(args: readonly string[], options: RunOptions = {}): CliResult {
    const result = runCli(args, {
      ...options,
      cwd: options.cwd ?? this.dir,
      env: { DECLSIGN_DB: this.dbPath, DECLSIGN_PASSPHRASE: PASSPHRASE, DECLSIGN_TEST_SCRYPT_LOG_N: TEST_SCRYPT_LOG_N, ...options.env },
    });
    this.transcript.push(result.stdout, result.stderr);
    return result;
  }

  /** Runs with `--json`, expects exit 0, returns the value. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(args: readonly string[], options: RunOptions = {}): any {
    const result = this.run([...args, '--json'], options);
    expect(result.code, `declsign ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
    expect(result.json, `stdout of declsign ${args.join(' ')} is one JSON object`).toBeTypeOf('object');
    return result.json;
  }

  /** Runs with `--json`, expects exit 2 and the error code; returns the error. */
  fails(args: readonly string[], code: string, options: RunOptions = {}): { code: string; message: string } {
    const result = this.run([...args, '--json'], options);
    expect(result.code, `declsign ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(2);
    expect(result.json?.ok, 'error output is {ok:false, error}').toBe(false);
    expect(result.json.error.code, result.json.error.message).toBe(code);
    return result.json.error;
  }

  /** Writes a file in the store's temp dir and returns its path. */
  file(name: string, content: string | Uint8Array): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }

  init(): this {
    this.ok(['init']);
    return this;
  }

  /** Every row of every table of this store (see `snapshotStore`). */
  snapshot(): Record<string, string[]> {
    return snapshotStore(this.dbPath);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Every row of every table of the store file, in a stable order, read straight from SQLite. Comparing two snapshots
 * tells whether a command or an operation changed anything (the file's bytes are no guide: WAL checkpoints move them).
 */
export function snapshotStore(dbPath: string): Record<string, string[]> {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    const dump: Record<string, string[]> = {};
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all();
      dump[name] = rows.map((row) => JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v))).sort();
    }
    return dump;
  } finally {
    db.close();
  }
}

/** Keys generated for a test, by their role in it. */
export function generateKey(store: CliStore, type: string, label: string, extra: string[] = []): { id: string; type: string; public_key: string; fingerprint: string; canonical_name: string } {
  return store.ok(['keys', 'generate', '--type', type, '--label', label, ...extra]);
}
