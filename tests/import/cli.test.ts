// `declsign import` and `declsign quarantine` through the real binary: counts, per-item failing checks, exit codes
// (0 nothing quarantined, 1 something quarantined, 2 usage), JSON output, and a real relay.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBatch } from '../../electron/relays/publisher';
import { CliStore, ensureCliBuilt } from '../cli/helpers';
import { startRealRelayProcess } from '../helpers/relay';
import { buildDeclaration, keys, tampered } from './fixtures';

const stores: CliStore[] = [];
const store = () => {
  const s = new CliStore().init();
  stores.push(s);
  return s;
};
beforeAll(() => ensureCliBuilt(), 180_000);
afterAll(() => stores.forEach((s) => s.remove()));

describe('declsign import', () => {
  it('imports a file: exit 0 when everything verified, 1 when something was quarantined, with the failing check', () => {
    const cli = store();
    const good = buildDeclaration('ed25519', { countersigned: true });
    const bad = tampered(buildDeclaration('nostr').events[0]!);
    const clean = cli.file('good.jsonl', good.events.map((e) => JSON.stringify(e)).join('\n'));
    const ok = cli.ok(['import', clean]);
    expect(ok.counts).toEqual({ verified: 1, quarantined: 0, duplicates: 0, superseded: 0 });

    const mixed = cli.file('mixed.json', JSON.stringify([...good.events, bad]));
    const human = cli.run(['import', mixed]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Imported: 1 verified, 1 quarantined, 1 duplicate(s), 0 superseded.');
    expect(human.stdout).toContain(`${bad.id.slice(0, 16)}…`);
    expect(human.stdout).toMatch(/event_id: id [0-9a-f]{64} is not the hash of the event/);

    const json = cli.run(['import', '-', '--json'], { stdin: JSON.stringify(bad) });
    expect(json.code).toBe(1);
    expect(json.json.counts.quarantined).toBe(1);
    expect(json.json.declarations[0].quarantined[0]).toMatchObject({ check: 'event_id', reason: 'verification' });

    const list = cli.ok(['quarantine']);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ failed_check: 'event_id', times_seen: 2, raw_text: JSON.stringify(bad) });
    const exported = cli.run(['quarantine', 'export']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout.trim()).raw_text).toBe(JSON.stringify(bad));
  });

  it('exits 2 on usage errors and changes nothing', () => {
    const cli = store();
    const before = cli.snapshot();
    cli.fails(['import'], 'invalid_input');
    cli.fails(['import', cli.file('x.json', '{}'), '--relay', 'ws://127.0.0.1:1'], 'invalid_input');
    cli.fails(['import', '--relay', 'ws://127.0.0.1:1', '--since', 'yesterday'], 'invalid_input');
    cli.fails(['import', '--relay', 'http://example.com'], 'invalid_relay_url');
    cli.fails(['import', cli.file('broken.jsonl', '{"a":1}\n{')], 'invalid_bundle');
    expect(cli.snapshot()).toEqual(before);
  });

  it('refuses a large file broken on its last line at once: the worker threads started for it are closed, nothing stored', () => {
    // Large enough that import.text starts its workers before splitting; a worker left running would keep the
    // process alive until the helper's 60 s timeout.
    const cli = store();
    const before = cli.snapshot();
    const line = JSON.stringify(buildDeclaration('nostr').events[0]);
    const big = cli.file('big-broken.jsonl', `${Array.from({ length: Math.ceil(200_000 / line.length) }, () => line).join('\n')}\n{"truncated":`);
    const started = Date.now();
    cli.fails(['import', big], 'invalid_bundle');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(cli.snapshot()).toEqual(before);
  });

  it('imports from a real relay by author and d', async () => {
    // A relay in its own process: the CLI runs synchronously and would block an in-process one.
    const relay = await startRealRelayProcess();
    try {
      const wrapped = buildDeclaration('rsa', { countersigned: true });
      const signed = buildDeclaration('nostr', { countersigned: true });
      await publishBatch({ relays: [relay.url], events: [...wrapped.events, ...signed.events], deadlineMs: 10_000 });
      const cli = store();
      const result = cli.ok(['import', '--relay', relay.url, '--author', keys.nostrWrapper.publicKeyHex, '--author', keys.nostrIssuer.publicKeyHex, '--author', keys.nostrCountersigner.publicKeyHex]);
      expect(result.counts).toEqual({ verified: 2, quarantined: 0, duplicates: 0, superseded: 0 });
      expect(result.relays).toEqual([{ relay: relay.url, end: 'eose', reason: '', events: 3 }]);
      const one = cli.run(['import', '--relay', relay.url, '--d', signed.uuid]);
      expect(one.code).toBe(0);
      expect(one.stdout).toContain('Imported: 1 verified, 0 quarantined, 2 duplicate(s), 0 superseded.');
    } finally {
      await relay.close();
    }
  });
});
