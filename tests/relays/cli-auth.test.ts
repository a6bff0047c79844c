// `declsign relays add/update --auth-key` and `declsign import --relay URL --auth-key` through the real binary, against
// a relay (in its own process: the CLI runs synchronously) that serves REQs to authenticated readers only.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { npubEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBatch } from '../../electron/relays/publisher';
import { CliStore, ensureCliBuilt, generateKey } from '../cli/helpers';
import { buildDeclaration, keys } from '../import/fixtures';
import { READ_AUTH_REASON } from './auth-relay.mjs';

const cleanups: Array<() => unknown> = [];
beforeAll(() => ensureCliBuilt(), 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** auth-relay-process.mjs in a child process; stopped after the tests. */
function authRelayProcess(args: string[] = []): Promise<{ url: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./auth-relay-process.mjs', import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string }));
    child.once('exit', (code) => reject(new Error(`auth relay exited before listening (code ${code})`)));
  });
}

function store(): CliStore {
  const cli = new CliStore().init();
  cleanups.push(() => cli.remove());
  return cli;
}

describe('declsign and a relay that requires AUTH to read', () => {
  it('relays add/update --auth-key, --no-auth-key; import --relay [--auth-key] answers the AUTH or says how to', async () => {
    const relay = await authRelayProcess(['--challenge', 'after-closed']);
    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publishBatch({ relays: [relay.url], events: declaration.events, deadlineMs: 10_000 });
    const cli = store();
    const reader = generateKey(cli, 'nostr', 'Reader');
    const author = ['--author', keys.nostrIssuer.publicKeyHex];

    // Not listed, no key for this run: closed, with the relay's reason and how to give a key; nothing stored.
    const before = cli.snapshot();
    const refused = cli.run(['import', '--relay', relay.url, ...author]);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain('Imported: 0 verified, 0 quarantined');
    expect(refused.stdout).toContain(`${relay.url}: 0 event(s), closed (${READ_AUTH_REASON} (no key is chosen to answer its NIP-42 AUTH: choose one with --auth-key KEY for this import`);
    expect(cli.snapshot().admindeclarations).toEqual(before.admindeclarations);

    // A key for this run only, by npub.
    const once = cli.ok(['import', '--relay', relay.url, ...author, '--auth-key', npubEncode(reader.public_key)]);
    expect(once.counts.verified).toBe(1);
    expect(once.relays[0]).toMatchObject({ relay: relay.url, end: 'eose', authenticated_as: reader.public_key });

    // Configured on the relay (by id): the human output names the key and the authentication.
    expect(cli.run(['relays', 'add', relay.url, '--read', '--auth-key', reader.id]).stdout).toContain(`Added ${relay.url} (read; AUTH as Reader).`);
    expect(cli.ok(['relays', 'list']).relays[0].auth_key).toEqual({ keypair_uuid: reader.id, label: 'Reader', canonical_name: reader.canonical_name });
    expect(cli.run(['relays', 'list']).stdout.split('\n').find((line) => line.startsWith(relay.url))).toMatch(/ Reader /);
    const configured = cli.run(['import', '--relay', relay.url, ...author]);
    expect(configured.stdout).toContain(`${relay.url}: ${declaration.events.length} event(s), eose, authenticated as ${npubEncode(reader.public_key)}`);

    // Cleared: the hint now points at relays update.
    expect(cli.ok(['relays', 'update', relay.url, '--no-auth-key']).relay.auth_key).toBeNull();
    const cleared = cli.ok(['import', '--relay', relay.url, ...author]);
    expect(cleared.relays[0].reason).toBe(
      `${READ_AUTH_REASON} (no key is chosen to answer its NIP-42 AUTH: choose one with "declsign relays update ${relay.url} --auth-key KEY" or the Relays screen)`,
    );

    // Bad choices are refused with their code and change nothing.
    const ed25519 = generateKey(cli, 'ed25519', 'Ed');
    const unchanged = cli.snapshot();
    cli.fails(['relays', 'update', relay.url, '--auth-key', ed25519.id], 'not_a_nostr_key');
    cli.fails(['relays', 'update', relay.url, '--auth-key', reader.id, '--no-auth-key'], 'invalid_input');
    cli.fails(['relays', 'add', 'wss://other.example.com', '--auth-key', npubEncode(keys.nostrWrapper.publicKeyHex)], 'unknown_key');
    cli.fails(['import', cli.file('x.json', '{}'), '--auth-key', reader.id], 'invalid_input');
    expect(cli.snapshot()).toEqual(unchanged);
  });
});
