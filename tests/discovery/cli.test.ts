// `declsign relays add/update --subscribe` and `declsign watch` through the real binary against a real relay: a line
// per import batch (JSON Lines with --json), SIGINT/SIGTERM end it with exit 0 after the batch in progress.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { npubEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliStore, ensureCliBuilt, PASSPHRASE, ROOT, TEST_SCRYPT_LOG_N } from '../cli/helpers';
import { startRealRelay } from '../helpers/relay';
import { buildDeclaration, keys } from '../import/fixtures';
import { onCleanup } from '../import/helpers';
import { publish, until } from './helpers';

const stores: CliStore[] = [];
beforeAll(() => ensureCliBuilt(), 180_000);
afterAll(() => stores.forEach((s) => s.remove()));

function store(): CliStore {
  const s = new CliStore().init();
  stores.push(s);
  return s;
}

/** `declsign watch …` as a child process, its stdout and stderr collected line by line. */
function watch(cli: CliStore, args: string[]) {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('DECLSIGN_')) env[name] = value;
  Object.assign(env, { DECLSIGN_DB: cli.dbPath, DECLSIGN_PASSPHRASE: PASSPHRASE, DECLSIGN_TEST_SCRYPT_LOG_N: TEST_SCRYPT_LOG_N });
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/declsign.js'), 'watch', ...args], { cwd: cli.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout, stderr, exited };
}

async function relay() {
  const server = await startRealRelay();
  onCleanup(() => server.close());
  return server;
}

describe('declsign relays --subscribe', () => {
  it('add and update set the switch; contradictions and empty updates are usage errors that change nothing', async () => {
    const cli = store();
    expect(cli.ok(['relays', 'add', 'wss://live.example.com', '--read', '--subscribe']).relay).toMatchObject({ read: true, write: false, subscribe: true });
    expect(cli.run(['relays', 'add', 'wss://plain.example.com']).stdout).toBe('Added wss://plain.example.com (read + write).\n');
    expect(cli.run(['relays', 'update', 'wss://plain.example.com', '--subscribe']).stdout).toBe('Updated wss://plain.example.com (read + write + followed live).\n');
    expect(cli.ok(['relays', 'update', 'wss://live.example.com', '--no-subscribe', '--disable']).relay).toMatchObject({ enabled: false, subscribe: false });
    expect(cli.run(['relays', 'list']).stdout).toMatch(/^URL\s+ENABLED\s+READ\s+WRITE\s+SUBSCRIBE\s/);

    const before = cli.snapshot();
    cli.fails(['relays', 'update', 'wss://plain.example.com', '--subscribe', '--no-subscribe'], 'invalid_input');
    cli.fails(['relays', 'update', 'wss://plain.example.com'], 'invalid_input');
    cli.fails(['relays', 'update', 'wss://unknown.example.com', '--subscribe'], 'unknown_relay');
    cli.fails(['relays', 'add', 'wss://write-only.example.com', '--write', '--subscribe'], 'invalid_input');
    expect(cli.snapshot()).toEqual(before);
  });
});

describe('declsign watch', () => {
  it('follows the subscribed relays, prints a line per import, and exits 0 on SIGINT after the batch in progress', async () => {
    const server = await relay();
    const cli = store();
    cli.ok(['anchors', 'add', npubEncode(keys.nostrIssuer.publicKeyHex)]);
    cli.fails(['watch'], 'invalid_input'); // nothing subscribed yet
    cli.fails(['watch', '--relay', 'https://not-a-relay.example.com'], 'invalid_relay_url');
    cli.ok(['relays', 'add', server.url, '--read', '--subscribe']);

    const run = watch(cli, []);
    await until(() => run.stderr.some((line) => line === `${server.url}: live`), 'watch to go live');
    expect(run.stderr[0]).toBe(`Following ${server.url} for 1 author(s). Ctrl-C to stop.`);
    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publish(server.url, declaration.events);
    await until(() => run.stdout.length > 0, 'the import line');
    expect(run.stdout[0]).toMatch(new RegExp(`^\\S+Z  ${server.url.replace(/[.]/g, '\\.')}: 1 verified, 0 quarantined, 0 duplicate\\(s\\), 0 superseded  \\[${declaration.uuid} new\\]$`));

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout.slice(1)).toEqual(['Stopped.', `  ${server.url}: 1 import(s), 1 verified, 0 quarantined, 0 duplicate(s)`]);
    expect(cli.ok(['decl', 'show', declaration.uuid])).toMatchObject({ declaration_uuid: declaration.uuid, is_local: false });
  });

  it('--relay and --json: JSON Lines, one per batch, then the final status; SIGTERM ends it with exit 0', async () => {
    const server = await relay();
    const cli = store();
    cli.ok(['anchors', 'add', npubEncode(keys.nostrIssuer.publicKeyHex)]);
    // Stored on the relay before watch starts: the subscription's first answer brings it.
    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publish(server.url, declaration.events);

    const run = watch(cli, ['--relay', server.url, '--json']);
    await until(() => run.stdout.length > 0, 'the first JSON line');
    const batch = JSON.parse(run.stdout[0]!);
    expect(batch).toMatchObject({
      relay: server.url,
      counts: { verified: 1, quarantined: 0, duplicates: 0, superseded: 0 },
      declarations: [{ declaration_uuid: declaration.uuid, status: 'new' }],
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toHaveLength(2);
    const end = JSON.parse(run.stdout[1]!);
    expect(end).toMatchObject({ running: false, authors: [keys.nostrIssuer.publicKeyHex], relays: [{ relay: server.url, state: 'closed', cursor: declaration.events[0]!.created_at, counts: { batches: 1, verified: 1 } }] });
    expect(run.stderr).toEqual([]);
    // The relay given with --relay was followed, not added to the list.
    expect(cli.ok(['relays', 'list']).relays).toEqual([]);
  });
});
