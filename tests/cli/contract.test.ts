// The CLI contract scripts rely on: global options anywhere, one JSON object with --json, help, exit codes,
// the package's own `bin` through npx, and the test-only scrypt switch doing exactly what it says.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, PASSPHRASE, ROOT, runCli, TEST_SCRYPT_LOG_N } from './helpers';

function scryptN(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare("SELECT kdf_params FROM root_key_wrappings WHERE method = 'passphrase-scrypt'").get() as { kdf_params: string };
    return (JSON.parse(row.kdf_params) as { N: number }).N;
  } finally {
    db.close();
  }
}

describe('declsign: the CLI contract', () => {
  let store: CliStore;
  beforeAll(() => {
    ensureCliBuilt();
    store = new CliStore().init();
  });
  afterAll(() => store.remove());

  it('--db and --json work before or after the command, and --db wins over DECLSIGN_DB', () => {
    const env = { DECLSIGN_DB: '/nonexistent/elsewhere.db', DECLSIGN_PASSPHRASE: PASSPHRASE };
    for (const args of [
      ['--db', store.dbPath, 'status', '--json'],
      ['--json', '--db', store.dbPath, 'status'],
      [`--db=${store.dbPath}`, '--json', 'status'],
      ['status', '--db', store.dbPath, '--json'],
    ]) {
      const result = runCli(args, { env });
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
      expect(result.json).toMatchObject({ path: store.dbPath, initialized: true });
    }
    const keys = runCli(['--db', store.dbPath, 'keys', 'list', '--json'], { env });
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.json).toEqual({ keys: [] });
  });

  it('an empty store path is a usage error, not the current directory', () => {
    const result = runCli(['status', '--json'], { env: { DECLSIGN_DB: '' } });
    expect(result.code).toBe(2);
    expect(result.json.error.code).toBe('invalid_input');
  });

  it('--json prints exactly one JSON object on one line, success or failure', () => {
    for (const [args, code] of [
      [['status'], 0],
      [['keys', 'show', '00000000-0000-4000-8000-000000000000'], 2],
      [['keys', 'list', '--bogus'], 2],
      [['nonsense'], 2],
    ] as const) {
      const result = store.run([...args, '--json']);
      expect(result.code).toBe(code);
      expect(result.stdout.endsWith('\n')).toBe(true);
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(result.json).toBeTypeOf('object');
      if (code !== 0) expect(result.json).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('help: declsign --help exits 0, a bare declsign exits 2, a command shows its own options', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: declsign \[--db PATH\] \[--json\] COMMAND/m);
    for (const command of ['init', 'keys generate', 'decl sign', 'decl countersign', 'verify', 'audit list']) expect(help.stdout).toContain(`  ${command} `);
    expect(runCli([]).code).toBe(2);
    const sign = runCli(['decl', 'sign', '--help']);
    expect(sign.code).toBe(0);
    expect(sign.stdout).toContain('--wrap-with VALUE');
  });

  it('npx declsign --help runs the package’s own bin from the repository root', () => {
    // --offline: resolve locally or fail; never fetch a same-named package from the registry.
    const npx = spawnSync('npx', ['--offline', 'declsign', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, input: '' });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stdout).toContain('Usage: declsign');
  });

  it('DECLSIGN_TEST_SCRYPT_LOG_N sets the cost of a new vault; without it init uses the real cost', () => {
    expect(scryptN(store.dbPath)).toBe(2 ** 10);
    const real = new CliStore();
    try {
      real.ok(['init'], { env: { DECLSIGN_TEST_SCRYPT_LOG_N: undefined } });
      expect(scryptN(real.dbPath)).toBe(2 ** 17);
      // Unlock follows the stored parameters whatever the variable says.
      expect(real.ok(['keys', 'generate', '--type', 'nostr', '--label', 'k'], { env: { DECLSIGN_TEST_SCRYPT_LOG_N: '12' } })).toMatchObject({ type: 'nostr' });
    } finally {
      real.remove();
    }
    for (const bad of ['9', '17', '10.5', 'ten', '']) {
      const result = store.run(['status', '--json'], { env: { DECLSIGN_TEST_SCRYPT_LOG_N: bad } });
      expect(result.code, bad).toBe(2);
      expect(result.json.error.message).toContain('DECLSIGN_TEST_SCRYPT_LOG_N');
    }
  });

  it('a reader that closes the pipe early (| head, | true) ends the CLI quietly, exit 0', () => {
    // `true` exits without reading, so the CLI's first write meets a closed pipe (EPIPE).
    const piped = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" keys list | true', process.execPath, path.join(ROOT, 'bin/declsign.js')], {
      env: { ...process.env, DECLSIGN_DB: store.dbPath, DECLSIGN_PASSPHRASE: PASSPHRASE, DECLSIGN_TEST_SCRYPT_LOG_N: TEST_SCRYPT_LOG_N },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    // The exit code still tells a failed verification apart.
    const failed = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" verify - | true', process.execPath, path.join(ROOT, 'bin/declsign.js')], {
      env: { ...process.env, DECLSIGN_DB: store.dbPath },
      input: '{"kind":31106}',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(failed.stderr).toBe('');
    expect(failed.status).toBe(1);
  });

  it('audit list shows what happened, newest first', () => {
    const fresh = new CliStore().init();
    try {
      const key = fresh.ok(['keys', 'generate', '--type', 'nostr', '--label', 'audited']);
      fresh.ok(['keys', 'update', key.id, '--label', 'renamed']);
      const entries = fresh.ok(['audit', 'list']).entries;
      expect(entries.map((e: { action: string }) => e.action)).toEqual(['key.update', 'key.generate']);
      expect(fresh.ok(['audit', 'list', '--subject', key.id, '--limit', '1']).entries).toHaveLength(1);
      const human = fresh.run(['audit', 'list']);
      expect(human.stdout).toMatch(/key\.update\s+keypair [0-9a-f-]{36}/);
    } finally {
      fresh.remove();
    }
  });
});
