// Live subscription against the real relay running as a child process: kill -9, restart on the same port and
// file, and the subscription reconnects by itself.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishBatch } from '../../electron/relays/publisher';
import { subscribe, type SubscriptionStatus } from '../../electron/relays/query';
import { makeDeclarationEvents, makeSigner } from '../helpers/events';
import { startRealRelayProcess } from '../helpers/relay';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('subscribe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'declsign-relay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers stored and live events, survives kill -9 and restart of the relay, and stops on close()', async () => {
    const relay = await startRealRelayProcess({ file: join(dir, 'relay.sqlite') });
    try {
      const signer = makeSigner();
      const [first, second] = makeDeclarationEvents(2, signer);
      const received: string[] = [];
      const statuses: SubscriptionStatus[] = [];
      const live = subscribe(relay.url, [{ kinds: [31106], authors: [signer.pubkey] }], (text) => received.push(text), {
        onStatus: (status) => statuses.push(status),
        retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
      });
      const count = (state: SubscriptionStatus['state']) => statuses.filter((s) => s.state === state).length;

      await until(() => count('live') === 1);
      await publishBatch({ relays: [relay.url], events: [first!], deadlineMs: 10_000 });
      await until(() => received.length === 1);
      expect(JSON.parse(received[0]!).id).toBe(first!.id);

      await relay.kill('SIGKILL');
      await until(() => count('disconnected') >= 1);
      const down = await publishBatch({ relays: [relay.url], events: [second!], deadlineMs: 5_000 });
      expect(down.outcomes[0]).toMatchObject({ state: 'retrying', prefix: 'connect-failed' });

      await relay.restart();
      await until(() => count('live') === 2);
      // The file-backed relay kept the first event across kill -9; the re-subscription gets it again.
      await until(() => received.length === 2);
      expect(JSON.parse(received[1]!).id).toBe(first!.id);

      const up = await publishBatch({ relays: [relay.url], events: [second!], deadlineMs: 10_000 });
      expect(up.outcomes[0]!.state).toBe('published');
      await until(() => received.length === 3);
      expect(JSON.parse(received[2]!).id).toBe(second!.id);

      live.close();
      await until(() => count('stopped') === 1);
      const disconnected = statuses.filter((s) => s.state === 'disconnected');
      for (const status of disconnected) expect(status.retryInMs).toBeLessThan(200);
    } finally {
      await relay.close();
    }
  });

  it('a subscription to a relay that is down keeps retrying until closed', async () => {
    const relay = await startRealRelayProcess();
    const url = relay.url;
    await relay.kill();
    const statuses: SubscriptionStatus[] = [];
    const live = subscribe(url, [{ kinds: [31106] }], () => {}, {
      onStatus: (status) => statuses.push(status),
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 40 },
    });
    await until(() => statuses.filter((s) => s.state === 'disconnected').length >= 3);
    live.close();
    await until(() => statuses.some((s) => s.state === 'stopped'));
    expect(statuses.some((s) => s.state === 'connected')).toBe(false);
    expect(statuses.filter((s) => s.state === 'disconnected').every((s) => s.reason.includes('ECONNREFUSED'))).toBe(true);
  });
});
