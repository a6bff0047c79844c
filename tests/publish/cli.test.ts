// The `declsign relays …` and `declsign publish …` commands through the real binary, and the restart test: a bulk
// publish killed with SIGKILL mid-way, then `publish --resume`, must end with every pair published exactly once.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeOperation } from '../../electron/ops/define';
import { createOperationContext } from '../../electron/ops/context';
import { operations } from '../../electron/ops/table';
import { CliStore, ensureCliBuilt, PASSPHRASE, ROOT, TEST_SCRYPT_LOG_N } from '../cli/helpers';
import { startFaultyRelay, startRealRelay, startRealRelayProcess, unusedRelayUrl, type RelayProcess } from '../helpers/relay';
import { onCleanup, seedSignedDeclarations, readOutbox, relayEvents, runCliAsync } from './helpers';

/** The CLI on this store, asynchronously: the relays these tests start live in this process and must keep answering. */
function cli(store: CliStore, args: readonly string[]) {
  return runCliAsync(store, args, { DECLSIGN_PASSPHRASE: PASSPHRASE, DECLSIGN_TEST_SCRYPT_LOG_N: TEST_SCRYPT_LOG_N });
}

beforeAll(() => ensureCliBuilt());

/** A CLI store with an admin Nostr key and `count` signed declarations, made in-process (fast) on the same file. */
async function cliStoreWithDeclarations(count: number): Promise<{ store: CliStore; uuids: string[]; admin: { id: string; public_key: string } }> {
  const store = new CliStore();
  onCleanup(() => store.remove());
  store.init();
  const ctx = createOperationContext({ dbPath: store.dbPath, askPassphrase: async () => PASSPHRASE });
  const call = async (name: keyof typeof operations, input: unknown) => {
    const result = await invokeOperation(operations[name], input, ctx);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  try {
    const admin = await call('keys.generate', { algorithm: 'nostr', label: 'admin', role: 'master-admin' });
    const subject = await call('keys.generate', { algorithm: 'nostr', label: 'subject' });
    const uuids = await seedSignedDeclarations(ctx, admin.id, subject.id, count);
    return { store, uuids, admin };
  } finally {
    await ctx.services.close();
  }
}

describe('declsign relays', () => {
  it('adds (normalised; neither flag = both), lists, shows NIP-11 info, removes; a bad URL changes nothing', async () => {
    const { store } = await cliStoreWithDeclarations(0);
    const relay = await startFaultyRelay('accept', {
      nip11: { document: { name: 'cli relay', supported_nips: [1, 11, 42], limitation: { auth_required: true, created_at_lower_limit: 94_608_000 } } },
    });
    onCleanup(() => relay.close());
    const added = store.ok(['relays', 'add', `${relay.url.toUpperCase().replace('WS://', 'ws://')}/`]);
    expect(added).toMatchObject({ added: true, relay: { url: relay.url, read: true, write: true, enabled: true } });
    expect(store.ok(['relays', 'add', 'wss://read.example.com', '--read']).relay).toMatchObject({ read: true, write: false });

    const human = store.run(['relays', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(relay.url);
    expect(human.stdout).toContain('wss://read.example.com');

    const before = store.snapshot();
    expect(store.fails(['relays', 'add', 'https://relay.example.com'], 'invalid_relay_url').message).toMatch(/ws:\/\/ or wss:\/\//);
    expect(store.snapshot()).toEqual(before);

    const info = await cli(store, ['relays', 'info', relay.url]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/auth_required\s+yes/);
    expect(info.stdout).toMatch(/created_at_lower_limit\s+94608000/);
    expect(store.ok(['relays', 'info', relay.url])).toMatchObject({ cached: true, name: 'cli relay', supported_nips: [1, 11, 42] });
    expect((await cli(store, ['relays', 'info', relay.url, '--refresh', '--json'])).json).toMatchObject({ cached: false, listed: true });

    expect(store.ok(['relays', 'remove', 'wss://read.example.com'])).toEqual({ url: 'wss://read.example.com', dropped_sends: 0 });
    store.fails(['relays', 'remove', 'wss://read.example.com'], 'unknown_relay');
    expect(store.ok(['relays', 'list']).relays.map((r: { url: string }) => r.url)).toEqual([relay.url]);
  });
});

describe('declsign publish', () => {
  it("one relay up, one down: exit 0 with each relay's state and reason; the down one waits in the outbox", async () => {
    const { store, uuids } = await cliStoreWithDeclarations(1);
    const up = await startRealRelay();
    onCleanup(() => up.close());
    const down = await unusedRelayUrl();
    const result = await cli(store, ['publish', uuids[0]!, '--relay', up.url, '--relay', down]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${uuids[0]}  published`);
    expect(result.stdout).toMatch(new RegExp(`${up.url}\\s+primary\\s+\\S+\\s+published\\s+1\\s+-\\s+accepted`));
    expect(result.stdout).toMatch(new RegExp(`${down}\\s+primary\\s+\\S+\\s+retrying\\s+1\\s+\\S+Z\\s+could not connect: .*ECONNREFUSED`));
    expect(result.stdout).toContain('declsign publish --resume');
    expect(result.stdout).toMatch(/^naddr\s+naddr1/m);

    const status = store.ok(['publish', 'status', uuids[0]!]);
    expect(status.sends.map((s: { state: string }) => s.state).sort()).toEqual(['published', 'retrying']);
  });

  it('every relay down: exit 1; --resume once a relay is back: exit 0, published', async () => {
    const { store, uuids } = await cliStoreWithDeclarations(1);
    const down = await unusedRelayUrl();
    store.ok(['relays', 'add', down]);
    const failed = store.run(['publish', uuids[0]!]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('retrying');
    expect(failed.stdout).toContain('Not every declaration is on a relay yet.');

    const relay = await startRealRelay({ port: Number(new URL(down).port) });
    onCleanup(() => relay.close());
    const [row] = readOutbox(store.dbPath);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(row!.next_attempt_at!) - Date.now() + 20)));
    const resumed = await cli(store, ['publish', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json).toMatchObject({ ok: true, attempted: 1, summary: { published: 1 } });
    expect(readOutbox(store.dbPath)).toEqual([expect.objectContaining({ state: 'published', attempts: 2 })]);
    expect(store.run(['publish', '--resume']).stdout).toContain('Nothing to send');
  });

  it('refuses --resume with a UUID, and a publish without UUID', async () => {
    const { store, uuids } = await cliStoreWithDeclarations(1);
    store.fails(['publish', '--resume', uuids[0]!], 'invalid_input');
    store.fails(['publish'], 'invalid_input');
  });
});

describe('restart: kill -9 mid-publish, then --resume', () => {
  const DECLARATIONS = 200;
  let relays: RelayProcess[];
  beforeAll(async () => {
    relays = await Promise.all([startRealRelayProcess(), startRealRelayProcess(), startRealRelayProcess()]);
  });
  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.close()));
  });

  it('ends with every declaration published on every relay exactly once, one outbox row per pair', async () => {
    const { store, uuids, admin } = await cliStoreWithDeclarations(DECLARATIONS);
    for (const relay of relays) store.ok(['relays', 'add', relay.url]);
    const pairs = DECLARATIONS * relays.length;

    const child = spawn(process.execPath, [path.join(ROOT, 'bin/declsign.js'), 'publish', ...uuids, '--json'], {
      cwd: store.dir,
      env: { ...process.env, DECLSIGN_DB: store.dbPath, DECLSIGN_PASSPHRASE: PASSPHRASE, DECLSIGN_TEST_SCRYPT_LOG_N: TEST_SCRYPT_LOG_N },
      stdio: 'ignore',
    });
    let exitedEarly: string | undefined;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (code, signal) => {
        exitedEarly = `exit code ${code}, signal ${signal}`;
        resolve(signal);
      }),
    );

    // Kill it as soon as some answers are recorded.
    let atKill: ReturnType<typeof readOutbox> = [];
    for (;;) {
      atKill = readOutbox(store.dbPath);
      if (atKill.some((row) => row.state === 'published')) break;
      if (exitedEarly) throw new Error(`the publish ended before it could be killed (${exitedEarly})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Every pair was queued before the first send; the kill came mid-way.
    expect(atKill).toHaveLength(pairs);
    const publishedAtKill = readOutbox(store.dbPath).filter((row) => row.state === 'published').length;
    expect(publishedAtKill).toBeGreaterThan(0);
    expect(publishedAtKill).toBeLessThan(pairs);

    const resumed = store.run(['publish', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json.attempted).toBe(pairs - publishedAtKill);

    const rows = readOutbox(store.dbPath);
    expect(rows).toHaveLength(pairs);
    expect(new Set(rows.map((row) => `${row.event_id} ${row.relay_url}`)).size).toBe(pairs);
    expect(rows.every((row) => row.state === 'published')).toBe(true);

    const expectedIds = new Set(rows.map((row) => row.event_id));
    expect(expectedIds.size).toBe(DECLARATIONS);
    for (const relay of relays) {
      const held = await relayEvents(relay.url, { kinds: [31106], authors: [admin.public_key] });
      expect(held.size).toBe(DECLARATIONS);
      expect(new Set(held.keys())).toEqual(expectedIds);
    }
    const statuses = store.ok(['decl', 'list', '--limit', '500']).items.map((item: { status: string }) => item.status);
    expect(statuses).toEqual(Array(DECLARATIONS).fill('Published'));
  }, 180_000);
});
