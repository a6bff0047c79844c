// Publishing to, and reading back from, the real @nostr-relay relay over loopback sockets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools/pure';
import { publishBatch, summarizeOutcomes } from '../../electron/relays/publisher';
import { queryRelay } from '../../electron/relays/query';
import { makeDeclarationEvents, makeSigner } from '../helpers/events';
import { startRealRelay, type RelayServer } from '../helpers/relay';

describe('publish to a real relay', () => {
  let relay: RelayServer;
  beforeAll(async () => {
    relay = await startRealRelay();
  });
  afterAll(() => relay.close());

  it('publishes a batch and reads every event back intact and verifiable', async () => {
    const signer = makeSigner();
    const events = makeDeclarationEvents(25, signer);
    const progress: string[] = [];
    const result = await publishBatch({
      relays: [relay.url],
      events,
      deadlineMs: 20_000,
      onProgress: (outcome) => progress.push(outcome.eventId),
    });
    expect(summarizeOutcomes(result.outcomes)).toEqual({ published: 25, retrying: 0, failed: 0 });
    expect(new Set(progress)).toEqual(new Set(events.map((e) => e.id)));
    for (const outcome of result.outcomes) {
      expect(outcome.attempts).toBe(1);
      expect(outcome.relay).toBe(relay.url);
      expect(outcome.firstSentAt).not.toBeNull();
      expect(outcome.settledAt).toBeGreaterThanOrEqual(outcome.firstSentAt!);
    }
    expect(result.relays[0]).toMatchObject({ relay: relay.url, connected: true, ignoredFrames: 0 });

    const back = await queryRelay(relay.url, [{ kinds: [31106], authors: [signer.pubkey], limit: 100 }], {
      deadlineMs: 10_000,
      maxEvents: 1000,
    });
    expect(back.end).toBe('eose');
    expect(back.eventTexts).toHaveLength(25);
    const parsed = back.eventTexts.map((text) => JSON.parse(text));
    for (const event of parsed) expect(verifyEvent(event)).toBe(true);
    expect(new Set(parsed.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
    // The raw text is the relay's serialisation of the same event (field order may differ, values may not).
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const event of parsed) expect(event).toEqual(byId.get(event.id));
  });

  it('reports a second publish of the same events as published (duplicate is success)', async () => {
    const events = makeDeclarationEvents(3);
    await publishBatch({ relays: [relay.url], events, deadlineMs: 10_000 });
    const again = await publishBatch({ relays: [relay.url], events, deadlineMs: 10_000 });
    expect(again.outcomes.map((o) => o.state)).toEqual(['published', 'published', 'published']);
  });

  it('reports a bad signature as failed with the relay reason', async () => {
    const [event] = makeDeclarationEvents(1);
    const tampered = { ...event!, sig: event!.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    const result = await publishBatch({ relays: [relay.url], events: [tampered], deadlineMs: 10_000 });
    expect(result.outcomes[0]).toMatchObject({ state: 'failed', prefix: 'invalid' });
    expect(result.outcomes[0]!.reason).toMatch(/^invalid:/);
  });

  it('ends a query at maxEvents and on a filter that matches nothing', async () => {
    const signer = makeSigner();
    await publishBatch({ relays: [relay.url], events: makeDeclarationEvents(5, signer), deadlineMs: 10_000 });
    const capped = await queryRelay(relay.url, [{ authors: [signer.pubkey] }], { deadlineMs: 10_000, maxEvents: 2 });
    expect(capped.end).toBe('max-events');
    expect(capped.eventTexts).toHaveLength(2);
    const none = await queryRelay(relay.url, [{ authors: [makeSigner().pubkey] }], { deadlineMs: 10_000, maxEvents: 10 });
    expect(none).toMatchObject({ end: 'eose', eventTexts: [] });
  });
});
