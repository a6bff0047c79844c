// NIP-11 over real HTTP on the relay's own port, the type guard, and limits enforced before sending.

import { afterEach, describe, expect, it } from 'vitest';
import { DeclsignError } from '../../electron/core/errors';
import { eventFrame, relayLimitViolation } from '../../electron/relays/limits';
import { fetchRelayInfo, parseRelayInfo } from '../../electron/relays/nip11';
import { publishBatch } from '../../electron/relays/publisher';
import { makeDeclarationEvents, makeSigner } from '../helpers/events';
import { startFaultyRelay, unusedRelayUrl, type FaultyRelay, type FaultyRelayOptions } from '../helpers/relay';

const started: FaultyRelay[] = [];
async function relayWith(nip11: FaultyRelayOptions['nip11']) {
  const relay = await startFaultyRelay('accept', { nip11 });
  started.push(relay);
  return relay;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((relay) => relay.close()));
});

async function relayErrorOf(promise: Promise<unknown>): Promise<DeclsignError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeclsignError);
  expect((error as DeclsignError).code).toBe('relay_error');
  return error as DeclsignError;
}

describe('fetchRelayInfo', () => {
  it('reads the document from the relay port with Accept: application/nostr+json', async () => {
    const relay = await relayWith({
      document: {
        name: 'test relay',
        software: 'git+https://example.invalid/relay',
        version: '1.2.3',
        supported_nips: [1, 9, 11, 42],
        limitation: { max_message_length: 65536, max_content_length: 8196, auth_required: false, payment_required: true },
        extra_unknown_field: { anything: true },
      },
    });
    const info = await fetchRelayInfo(relay.url, { timeoutMs: 5_000 });
    expect(info).toEqual({
      name: 'test relay',
      software: 'git+https://example.invalid/relay',
      version: '1.2.3',
      supported_nips: [1, 9, 11, 42],
      limitation: { max_message_length: 65536, max_content_length: 8196, auth_required: false, payment_required: true },
      ignoredFields: [],
    });
  });

  it('drops fields of the wrong type instead of coercing them, and names them', async () => {
    const relay = await relayWith({
      document: {
        name: 42,
        supported_nips: [1, '11'],
        limitation: { max_message_length: '65536', max_content_length: -1, auth_required: 'yes', created_at_lower_limit: 94608000 },
      },
    });
    const info = await fetchRelayInfo(relay.url, { timeoutMs: 5_000 });
    expect(info.limitation).toEqual({ created_at_lower_limit: 94608000 });
    expect(info.name).toBeUndefined();
    expect(info.ignoredFields.sort()).toEqual(
      ['limitation.auth_required', 'limitation.max_content_length', 'limitation.max_message_length', 'name', 'supported_nips'].sort(),
    );
  });

  it('tolerates a minimal document', async () => {
    const relay = await relayWith({ document: {} });
    expect(await fetchRelayInfo(relay.url, { timeoutMs: 5_000 })).toEqual({ limitation: {}, ignoredFields: [] });
  });

  it('malformed JSON, a non-object, HTTP 404, a dead port and a slow responder are relay_error', async () => {
    const bad = await relayWith({ raw: '{"name": "unterminated' });
    expect((await relayErrorOf(fetchRelayInfo(bad.url, { timeoutMs: 5_000 }))).message).toMatch(/not valid JSON/);

    const array = await relayWith({ raw: '[1,2]' });
    expect((await relayErrorOf(fetchRelayInfo(array.url, { timeoutMs: 5_000 }))).message).toMatch(/not a JSON object/);

    const none = await relayWith(undefined);
    expect((await relayErrorOf(fetchRelayInfo(none.url, { timeoutMs: 5_000 }))).message).toMatch(/HTTP 404/);

    await relayErrorOf(fetchRelayInfo(await unusedRelayUrl(), { timeoutMs: 5_000 }));

    const slow = await relayWith({ document: {}, delayMs: 5_000 });
    expect((await relayErrorOf(fetchRelayInfo(slow.url, { timeoutMs: 200 }))).message).toMatch(/within 200 ms/);
  });

  it('uses an injected fetch with the http(s) form of the URL', async () => {
    const seen: string[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(`${String(input)} ${new Headers(init?.headers).get('accept')}`);
      return new Response(JSON.stringify({ name: 'x' }));
    }) as typeof fetch;
    const info = await fetchRelayInfo('wss://Relay.Example.com:443/', { timeoutMs: 1_000, fetchImpl });
    expect(info.name).toBe('x');
    expect(seen).toEqual(['https://relay.example.com application/nostr+json']);
  });
});

describe('parseRelayInfo', () => {
  it('rejects non-objects and a limitation that is not an object is ignored', () => {
    expect(() => parseRelayInfo(null)).toThrow(DeclsignError);
    expect(() => parseRelayInfo('relay')).toThrow(DeclsignError);
    expect(parseRelayInfo({ limitation: [1] })).toEqual({ limitation: {}, ignoredFields: ['limitation'] });
  });
});

describe('limits before sending', () => {
  const now = 1_800_000_000;
  const signer = makeSigner();
  const [event] = makeDeclarationEvents(1, signer, { createdAt: now, content: () => 'é'.repeat(100) });

  it('max_message_length counts UTF-8 bytes of the whole EVENT frame', () => {
    const bytes = Buffer.byteLength(eventFrame(event!), 'utf8');
    expect(bytes).toBeGreaterThan(eventFrame(event!).length); // é is 2 bytes: bytes, not UTF-16 units
    expect(relayLimitViolation(event!, { max_message_length: bytes }, now)).toBeNull();
    expect(relayLimitViolation(event!, { max_message_length: bytes - 1 }, now)).toBe(
      `message is ${bytes} bytes; relay max_message_length is ${bytes - 1}`,
    );
  });

  it('max_content_length counts code points', () => {
    const [astral] = makeDeclarationEvents(1, signer, { createdAt: now, content: () => '🔏'.repeat(10) });
    expect(astral!.content.length).toBe(20);
    expect(relayLimitViolation(astral!, { max_content_length: 10 }, now)).toBeNull();
    expect(relayLimitViolation(astral!, { max_content_length: 9 }, now)).toMatch(/content is 10 characters/);
  });

  it('created_at limits are relative to now; max_event_tags', () => {
    expect(relayLimitViolation(event!, { created_at_lower_limit: 100 }, now + 100)).toBeNull();
    expect(relayLimitViolation(event!, { created_at_lower_limit: 100 }, now + 101)).toMatch(/older than the relay accepts/);
    expect(relayLimitViolation(event!, { created_at_upper_limit: 60 }, now - 61)).toMatch(/further in the future/);
    expect(relayLimitViolation(event!, { max_event_tags: 1 }, now)).toMatch(/event has 2 tags/);
  });

  it('publishBatch records limit violations as failed and never sends those events', async () => {
    const relay = await relayWith(undefined);
    const fresh = makeDeclarationEvents(1, signer)[0]!;
    const bigContent = makeDeclarationEvents(1, signer, { content: () => 'x'.repeat(600) })[0]!;
    const multibyte = makeDeclarationEvents(1, signer, { content: () => 'é'.repeat(400) })[0]!;
    const ancient = makeDeclarationEvents(1, signer, { createdAt: Math.floor(Date.now() / 1000) - 10 * 365 * 86400 })[0]!;
    const info = parseRelayInfo({
      limitation: { max_content_length: 500, max_message_length: 1200, created_at_lower_limit: 94608000 },
    });
    const result = await publishBatch({
      relays: [relay.url],
      events: [fresh, bigContent, multibyte, ancient],
      deadlineMs: 5_000,
      relayInfo: new Map([[`${relay.url}/`, info]]), // keys are normalised like the relay list
    });
    const [ok, big, wide, old] = result.outcomes;
    expect(ok).toMatchObject({ state: 'published', attempts: 1 });
    expect(big).toMatchObject({ state: 'failed', prefix: 'relay-limit', attempts: 0 });
    expect(big!.reason).toMatch(/max_content_length is 500/);
    expect(wide).toMatchObject({ state: 'failed', prefix: 'relay-limit', attempts: 0 });
    expect(wide!.reason).toMatch(/max_message_length is 1200/); // 400 characters, but 800 bytes of them
    expect(old).toMatchObject({ state: 'failed', prefix: 'relay-limit', attempts: 0 });
    expect(old!.reason).toMatch(/created_at_lower_limit 94608000/);
    expect(relay.receivedEventIds).toEqual([fresh.id]);
  });
});
