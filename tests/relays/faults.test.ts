// One test per relay fault, each against a real socket on 127.0.0.1. No wall-time assertions: a hang would be
// caught by vitest's timeout, and "bounded" is shown by the call returning with the right states.

import { afterEach, describe, expect, it } from 'vitest';
import { publishBatch, summarizeOutcomes, type PublishOutcome } from '../../electron/relays/publisher';
import { queryRelay } from '../../electron/relays/query';
import { makeDeclarationEvents, makeSigner } from '../helpers/events';
import { startFaultyRelay, unusedRelayUrl, type FaultyRelay, type FaultyRelayOptions } from '../helpers/relay';

const started: FaultyRelay[] = [];
async function faulty(mode: Parameters<typeof startFaultyRelay>[0], options?: FaultyRelayOptions) {
  const relay = await startFaultyRelay(mode, options);
  started.push(relay);
  return relay;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((relay) => relay.close()));
});

const states = (outcomes: PublishOutcome[]) => outcomes.map((o) => o.state);

describe('relay down', () => {
  it('records every event as retrying with the connection error, nothing sent', async () => {
    const url = await unusedRelayUrl();
    const result = await publishBatch({ relays: [url], events: makeDeclarationEvents(3), deadlineMs: 5_000 });
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({ state: 'retrying', prefix: 'connect-failed', attempts: 0, firstSentAt: null });
      expect(outcome.reason).toMatch(/ECONNREFUSED/);
    }
    expect(result.relays[0]).toMatchObject({ connected: false });
    expect(result.relays[0]!.connectError).toMatch(/ECONNREFUSED/);
  });
});

describe('silent relay', () => {
  it('returns by the deadline with every sent event retrying on timeout', async () => {
    const relay = await faulty('silent');
    const events = makeDeclarationEvents(4);
    const result = await publishBatch({ relays: [relay.url], events, deadlineMs: 800 });
    expect(states(result.outcomes)).toEqual(['retrying', 'retrying', 'retrying', 'retrying']);
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({ prefix: 'timeout', attempts: 1 });
      expect(outcome.reason).toMatch(/no OK/);
    }
    // Pipelined: all four were on the wire although none was ever answered.
    expect(relay.receivedEventIds).toEqual(events.map((e) => e.id));
  });

  it('a query against a silent relay ends at its deadline', async () => {
    const relay = await faulty('silent');
    const result = await queryRelay(relay.url, [{ kinds: [31106] }], { deadlineMs: 500, maxEvents: 10 });
    expect(result).toMatchObject({ end: 'deadline', eventTexts: [] });
  });
});

describe('frozen relay (no pongs)', () => {
  it('keep-alive notices the dead socket and settles the pending send as dropped', async () => {
    const relay = await faulty('frozen');
    const result = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(2),
      deadlineMs: 30_000,
      pingIntervalMs: 100,
    });
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({ state: 'retrying', prefix: 'connection-dropped' });
      expect(outcome.reason).toMatch(/no pong/);
    }
  });
});

describe('OK false prefixes', () => {
  const cases: Array<{ prefix: string; accepted?: boolean; state: string }> = [
    { prefix: 'rate-limited:', state: 'retrying' },
    { prefix: 'error:', state: 'retrying' },
    { prefix: 'blocked:', state: 'failed' },
    { prefix: 'invalid:', state: 'failed' },
    { prefix: 'restricted:', state: 'failed' },
    { prefix: 'mute:', state: 'failed' },
    { prefix: 'pow:', state: 'failed' },
    { prefix: 'pow:', accepted: true, state: 'published' },
    { prefix: 'duplicate:', accepted: true, state: 'published' },
    { prefix: 'strange-new-thing:', state: 'failed' },
    { prefix: 'no prefix at all', state: 'failed' },
  ];
  for (const { prefix, accepted, state } of cases) {
    it(`OK ${accepted ?? false} "${prefix} …" → ${state}, relay's words kept`, async () => {
      const relay = await faulty('ok-false', { prefix, accepted });
      const result = await publishBatch({ relays: [relay.url], events: makeDeclarationEvents(2), deadlineMs: 5_000 });
      for (const outcome of result.outcomes) {
        expect(outcome.state).toBe(state);
        expect(outcome.attempts).toBe(1);
        expect(outcome.reason).toContain(`${prefix} test relay refuses this`);
      }
      if (prefix === 'strange-new-thing:') expect(result.outcomes[0]!.reason).toMatch(/unknown prefix "strange-new-thing:"/);
      if (prefix === 'no prefix at all') expect(result.outcomes[0]!.reason).toMatch(/no machine-readable prefix/);
    });
  }
});

describe('NIP-42 auth-required relay', () => {
  it('authenticates with the supplied signer, resends once and is published', async () => {
    const admin = makeSigner();
    const relay = await faulty('auth-required', { allowedAuthPubkeys: [admin.pubkey] });
    const events = makeDeclarationEvents(3, admin);
    const templates: unknown[] = [];
    const result = await publishBatch({
      relays: [relay.url],
      events,
      deadlineMs: 10_000,
      signAuth: (template) => {
        templates.push(template);
        return admin.sign(template);
      },
    });
    expect(states(result.outcomes)).toEqual(['published', 'published', 'published']);
    for (const outcome of result.outcomes) expect(outcome.attempts).toBe(2);
    expect(templates).toHaveLength(1); // one AUTH per connection, shared by the pipelined events
    expect(templates[0]).toMatchObject({ kind: 22242, tags: [['relay', relay.url], ['challenge', expect.any(String)]] });
    expect(relay.authenticatedPubkeys).toEqual([admin.pubkey]);
    expect(result.relays[0]!.authenticated).toBe(true);
    // Each event went out twice: refused before AUTH, accepted after.
    expect(relay.receivedEventIds).toHaveLength(6);
  });

  it('without a signer the refusal is final and says why', async () => {
    const relay = await faulty('auth-required');
    const result = await publishBatch({ relays: [relay.url], events: makeDeclarationEvents(1), deadlineMs: 5_000 });
    expect(result.outcomes[0]).toMatchObject({ state: 'failed', prefix: 'auth-required', attempts: 1 });
    expect(result.outcomes[0]!.reason).toMatch(/requires NIP-42 AUTH/);
  });

  it('a signer the relay does not accept → failed with the relay reason, not resent', async () => {
    const admin = makeSigner();
    const stranger = makeSigner();
    const relay = await faulty('auth-required', { allowedAuthPubkeys: [admin.pubkey] });
    const result = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(2, admin),
      deadlineMs: 5_000,
      signAuth: (template) => stranger.sign(template),
    });
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({ state: 'failed', prefix: 'auth-required', attempts: 1 });
      expect(outcome.reason).toMatch(/refused our NIP-42 AUTH: restricted:/);
    }
    expect(relay.authenticatedPubkeys).toEqual([]);
  });

  it('an AUTH event for the wrong relay or challenge is refused → failed', async () => {
    const admin = makeSigner();
    const relay = await faulty('auth-required');
    const result = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(1, admin),
      deadlineMs: 5_000,
      signAuth: (template) => admin.sign({ ...template, tags: [['relay', 'wss://elsewhere.example'], template.tags[1]!] }),
    });
    expect(result.outcomes[0]).toMatchObject({ state: 'failed', prefix: 'auth-required' });
    expect(result.outcomes[0]!.reason).toMatch(/invalid: AUTH relay tag does not match/);
  });

  it('a signer that throws → failed with its message; one that never answers → retrying by the deadline', async () => {
    const relay = await faulty('auth-required');
    const thrown = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(1),
      deadlineMs: 5_000,
      signAuth: () => {
        throw new Error('user declined');
      },
    });
    expect(thrown.outcomes[0]).toMatchObject({ state: 'failed' });
    expect(thrown.outcomes[0]!.reason).toMatch(/user declined/);

    const hung = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(1),
      deadlineMs: 800,
      signAuth: () => new Promise(() => {}),
    });
    expect(hung.outcomes[0]).toMatchObject({ state: 'retrying', prefix: 'timeout' });
  });
});

describe('garbage and oversized frames', () => {
  it('garbage frames and NOTICEs are ignored; only the real OK decides', async () => {
    const relay = await faulty('garbage');
    const result = await publishBatch({ relays: [relay.url], events: makeDeclarationEvents(3), deadlineMs: 5_000 });
    expect(states(result.outcomes)).toEqual(['published', 'published', 'published']);
    const report = result.relays[0]!;
    expect(report.ignoredFrames).toBeGreaterThan(10);
    expect(report.notices).toContain('garbage relay says hello');
    expect(report.notices.some((n) => n.includes('not a publish result'))).toBe(true);
  });

  it('a query survives garbage and ends on EOSE with no events', async () => {
    const relay = await faulty('garbage');
    const result = await queryRelay(relay.url, [{ kinds: [31106] }], { deadlineMs: 5_000, maxEvents: 10 });
    expect(result).toMatchObject({ end: 'eose', eventTexts: [] });
    expect(result.ignoredFrames).toBeGreaterThan(10);
  });

  it('an oversized inbound frame closes the connection (capped), sends become retrying', async () => {
    const relay = await faulty('oversized', { oversizedBytes: 256 * 1024 });
    const result = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(2),
      deadlineMs: 10_000,
      maxPayloadBytes: 64 * 1024,
    });
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({ state: 'retrying', prefix: 'connection-dropped' });
      expect(outcome.reason).toMatch(/max payload/i);
    }
  });
});

describe('connection dropped mid-batch', () => {
  it('answered events stay published; sent-but-unanswered ones are retrying', async () => {
    const relay = await faulty('drop-after', { dropAfter: 3 });
    const events = makeDeclarationEvents(10);
    const result = await publishBatch({ relays: [relay.url], events, deadlineMs: 10_000 });
    expect(states(result.outcomes)).toEqual([...Array(3).fill('published'), ...Array(7).fill('retrying')]);
    for (const outcome of result.outcomes.slice(3)) expect(outcome.reason).toMatch(/connection dropped/);
  });

  it('with a small in-flight window the events never sent are retrying with attempts 0', async () => {
    const relay = await faulty('drop-after', { dropAfter: 2 });
    const result = await publishBatch({
      relays: [relay.url],
      events: makeDeclarationEvents(8),
      deadlineMs: 10_000,
      maxInFlight: 1,
    });
    expect(states(result.outcomes)).toEqual([...Array(2).fill('published'), ...Array(6).fill('retrying')]);
    const third = result.outcomes[2]!;
    expect(third).toMatchObject({ prefix: 'connection-dropped', attempts: 1 });
    for (const outcome of result.outcomes.slice(3)) {
      expect(outcome).toMatchObject({ prefix: 'not-sent', attempts: 0, firstSentAt: null });
    }
  });
});

describe('several relays at once', () => {
  it('gives every (event, relay) pair its own outcome and returns by the deadline', async () => {
    const admin = makeSigner();
    const good = await faulty('accept');
    const limited = await faulty('ok-false', { prefix: 'rate-limited:' });
    const blocked = await faulty('ok-false', { prefix: 'blocked:' });
    const silent = await faulty('silent');
    const auth = await faulty('auth-required', { allowedAuthPubkeys: [admin.pubkey] });
    const down = await unusedRelayUrl();
    const relays = [good.url, limited.url, blocked.url, silent.url, auth.url, down];
    const events = makeDeclarationEvents(4, admin);

    // The deadline is what ends the silent relay's wait, and what the others must finish well within (connect, AUTH,
    // four OKs): ≈250 ms here at worst under load, so 5 s leaves room for a CI box shared with Chromium and workers.
    const result = await publishBatch({ relays, events, deadlineMs: 5_000, signAuth: admin.sign });
    expect(result.outcomes).toHaveLength(events.length * relays.length);
    const stateAt = (relay: string) => [...new Set(result.outcomes.filter((o) => o.relay === relay).map((o) => o.state))];
    expect(stateAt(good.url)).toEqual(['published']);
    expect(stateAt(limited.url)).toEqual(['retrying']);
    expect(stateAt(blocked.url)).toEqual(['failed']);
    expect(stateAt(silent.url)).toEqual(['retrying']);
    expect(stateAt(auth.url)).toEqual(['published']);
    expect(stateAt(down)).toEqual(['retrying']);
    expect(summarizeOutcomes(result.outcomes)).toEqual({ published: 8, retrying: 12, failed: 4 });
    // Event-major order, relays in the order given.
    expect(result.outcomes.slice(0, relays.length).map((o) => o.relay)).toEqual(relays);
    expect(new Set(result.outcomes.slice(0, relays.length).map((o) => o.eventId))).toEqual(new Set([events[0]!.id]));
  });
});

describe('publishBatch input', () => {
  it('rejects bad input with a precise code before touching the network', async () => {
    const events = makeDeclarationEvents(2);
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);
    const url = await unusedRelayUrl();
    expect(await codeOf(publishBatch({ relays: [url], events: [], deadlineMs: 1_000 }))).toBe('nothing_to_publish');
    expect(await codeOf(publishBatch({ relays: [], events, deadlineMs: 1_000 }))).toBe('invalid_input');
    expect(await codeOf(publishBatch({ relays: ['https://x.example'], events, deadlineMs: 1_000 }))).toBe('invalid_relay_url');
    expect(await codeOf(publishBatch({ relays: [url], events: [events[0]!, events[0]!], deadlineMs: 1_000 }))).toBe('invalid_input');
    expect(await codeOf(publishBatch({ relays: [url], events, deadlineMs: 0 }))).toBe('invalid_input');
  });

  it('the same relay written two ways is one relay', async () => {
    const relay = await faulty('accept');
    const result = await publishBatch({
      relays: [relay.url, `${relay.url}/`, relay.url.toUpperCase().replace('WS://', 'ws://')],
      events: makeDeclarationEvents(2),
      deadlineMs: 5_000,
    });
    expect(result.relays.map((r) => r.relay)).toEqual([relay.url]);
    expect(result.outcomes).toHaveLength(2);
    expect(relay.connectionCount()).toBe(1);
  });
});
