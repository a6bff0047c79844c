// RelayConnection guarantees that the publisher relies on, checked against real sockets.

import { afterEach, describe, expect, it } from 'vitest';
import { RelayConnection } from '../../electron/relays/connection';
import { makeDeclarationEvents } from '../helpers/events';
import { startFaultyRelay, type FaultyRelay } from '../helpers/relay';

const started: FaultyRelay[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((relay) => relay.close()));
});

describe('RelayConnection', () => {
  it('closing settles every pending send, and later sends settle at once', async () => {
    const relay = await startFaultyRelay('silent');
    started.push(relay);
    const connection = await RelayConnection.open(relay.url, { connectTimeoutMs: 5_000 });
    const events = makeDeclarationEvents(3);
    const pending = events.map((event) => connection.sendEvent(event, 60_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.close();
    for (const result of await Promise.all(pending)) {
      expect(result).toMatchObject({ kind: 'transport', failure: 'connection-dropped' });
    }
    expect(connection.isOpen).toBe(false);
    expect(await connection.sendEvent(events[0]!, 60_000)).toMatchObject({ kind: 'transport', failure: 'connection-dropped' });
  });

  it('a server-side drop settles pending sends and tells onClose listeners once', async () => {
    const relay = await startFaultyRelay('drop-after', { dropAfter: 0 });
    started.push(relay);
    const connection = await RelayConnection.open(relay.url, { connectTimeoutMs: 5_000 });
    const closes: string[] = [];
    connection.onClose((detail) => closes.push(detail));
    const [event] = makeDeclarationEvents(1);
    expect(await connection.sendEvent(event!, 60_000)).toMatchObject({ kind: 'transport', failure: 'connection-dropped' });
    expect(closes).toHaveLength(1);
    connection.onClose((detail) => closes.push(`late: ${detail}`)); // a late listener still hears about it
    expect(closes).toHaveLength(2);
  });

  it('remembers the NIP-42 challenge', async () => {
    const relay = await startFaultyRelay('auth-required');
    started.push(relay);
    const connection = await RelayConnection.open(relay.url, { connectTimeoutMs: 5_000 });
    const challenge = await connection.waitForChallenge(5_000);
    expect(challenge).toMatch(/^challenge-/);
    expect(connection.challenge).toBe(challenge);
    connection.close();
  });

  it('a relay that sends no challenge: waitForChallenge resolves undefined', async () => {
    const relay = await startFaultyRelay('accept');
    started.push(relay);
    const connection = await RelayConnection.open(relay.url, { connectTimeoutMs: 5_000 });
    expect(await connection.waitForChallenge(100)).toBeUndefined();
    connection.close();
  });
});
