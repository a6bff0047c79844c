// NIP-42 AUTH when reading: a real relay that serves REQs to authenticated readers only. The query layer answers
// `auth-required:` once (challenge sent on connect or only after the CLOSED), and reports the relay's reason with a
// hint when it cannot; the operations choose the key (per relay, or per import run), never a guessed one.

import { npubEncode } from 'nostr-tools/nip19';
import { finalizeEvent, verifyEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import type { NostrEvent, UnsignedNostrEvent } from '../../electron/core/declaration';
import type { ImportRunResult } from '../../electron/ops/handlers/import';
import { createOperationContext } from '../../electron/ops/context';
import { invokeOperation } from '../../electron/ops/define';
import { operations } from '../../electron/ops/table';
import { publishBatch } from '../../electron/relays/publisher';
import { queryRelay, subscribe, type SubscriptionStatus } from '../../electron/relays/query';
import { buildDeclaration, keys } from '../import/fixtures';
import { createStore, onCleanup, type TestStore } from '../import/helpers';
import { READ_AUTH_REASON, startAuthRelay, type AuthRelay } from './auth-relay.mjs';

const reader = keys.nostrTarget;
const signAs = (privateKey: Uint8Array) => (template: UnsignedNostrEvent) => finalizeEvent(template, privateKey) as unknown as NostrEvent;
const FILTER = { kinds: [31106] };

async function authRelay(options: Parameters<typeof startAuthRelay>[0], events: readonly NostrEvent[] = []): Promise<AuthRelay> {
  const relay = await startAuthRelay(options);
  onCleanup(() => relay.close());
  if (events.length > 0) {
    // Writing is open on this relay; only reading needs AUTH.
    const published = await publishBatch({ relays: [relay.url], events: [...events], deadlineMs: 10_000 });
    expect(published.outcomes.map((o) => o.state)).toEqual(events.map(() => 'published'));
  }
  return relay;
}

/** The relay saw `count` AUTHs (one per connection; an import reads every page over one), each accepted, for its
 *  own connection's challenge and the relay URL, signed by `pubkey`. */
function expectValidAuths(relay: AuthRelay, pubkey: string, count = 1): void {
  expect(relay.auths).toHaveLength(count);
  expect(new Set(relay.auths.map((auth) => auth.challenge)).size).toBe(count);
  for (const { event, challenge, accepted } of relay.auths) {
    expect(accepted).toBe(true);
    expect(verifyEvent({ ...event } as never)).toBe(true);
    expect(event.kind).toBe(22242);
    expect(event.pubkey).toBe(pubkey);
    expect(event.tags).toEqual([
      ['relay', relay.url],
      ['challenge', challenge],
    ]);
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('queryRelay on a relay that requires AUTH to read', () => {
  for (const challenge of ['on-connect', 'after-closed'] as const) {
    it(`authenticates (challenge ${challenge}), sends the REQ again and gets the events`, async () => {
      const declaration = buildDeclaration('nostr');
      const relay = await authRelay({ challenge }, declaration.events);
      const result = await queryRelay(relay.url, [FILTER], { deadlineMs: 10_000, maxEvents: 100, auth: { sign: signAs(reader.privateKey!) } });
      expect(result).toMatchObject({ end: 'eose', reason: '', authenticatedAs: reader.publicKeyHex });
      expect(result.eventTexts.map((text) => (JSON.parse(text) as NostrEvent).id).sort()).toEqual(declaration.events.map((e) => e.id).sort());
      expect(relay.refusedReqs()).toBe(1);
      expectValidAuths(relay, reader.publicKeyHex);
    });
  }

  it('without a signer ends closed with the relay reason and the hint, sending no AUTH', async () => {
    const relay = await authRelay({ challenge: 'on-connect' }, buildDeclaration('nostr').events);
    const result = await queryRelay(relay.url, [FILTER], { deadlineMs: 10_000, maxEvents: 100, auth: { missingHint: 'choose a key' } });
    expect(result).toMatchObject({ end: 'closed', reason: `${READ_AUTH_REASON} (choose a key)`, eventTexts: [], authenticatedAs: null });
    expect(relay.auths).toEqual([]);
  });

  it('a refused AUTH ends closed with both reasons, after one AUTH and one REQ (no loop)', async () => {
    const relay = await authRelay({ challenge: 'on-connect', allowedPubkeys: [keys.nostrIssuer.publicKeyHex] }, buildDeclaration('nostr').events);
    const result = await queryRelay(relay.url, [FILTER], { deadlineMs: 10_000, maxEvents: 100, auth: { sign: signAs(reader.privateKey!) } });
    expect(result.end).toBe('closed');
    expect(result.reason).toBe(`${READ_AUTH_REASON} (the relay refused our NIP-42 AUTH as ${npubEncode(reader.publicKeyHex)}: restricted: this key may not read here)`);
    expect(result.eventTexts).toEqual([]);
    expect(relay.auths).toHaveLength(1);
    expect(relay.refusedReqs()).toBe(1);
  });

  it('a signer that fails ends closed with its error, not a hang', async () => {
    const relay = await authRelay({ challenge: 'after-closed' });
    const result = await queryRelay(relay.url, [FILTER], {
      deadlineMs: 10_000,
      maxEvents: 100,
      auth: {
        sign: () => {
          throw new Error('no key today');
        },
      },
    });
    expect(result).toMatchObject({ end: 'closed', reason: `${READ_AUTH_REASON} (could not sign the NIP-42 AUTH event: no key today)` });
    expect(relay.auths).toEqual([]);
  });
});

describe('live subscription on a relay that requires AUTH to read', () => {
  it('authenticates, resubscribes, goes live and receives an event published afterwards', async () => {
    const relay = await authRelay({ challenge: 'after-closed' });
    const texts: string[] = [];
    const statuses: SubscriptionStatus[] = [];
    const live = subscribe(relay.url, [{ ...FILTER, limit: 0 }], (text) => texts.push(text), {
      auth: { sign: signAs(reader.privateKey!) },
      onStatus: (status) => statuses.push(status),
    });
    onCleanup(() => live.close());
    await until(() => statuses.some((s) => s.state === 'live'), 'the subscription to go live');
    expectValidAuths(relay, reader.publicKeyHex);
    const declaration = buildDeclaration('nostr');
    await publishBatch({ relays: [relay.url], events: declaration.events, deadlineMs: 10_000 });
    await until(() => texts.length === declaration.events.length, 'the new events');
    expect(statuses.filter((s) => s.state === 'disconnected')).toEqual([]);
  });

  it('without a signer reports the reason and the hint, and retries later instead of looping', async () => {
    const relay = await authRelay({ challenge: 'on-connect' });
    const statuses: SubscriptionStatus[] = [];
    const live = subscribe(relay.url, [FILTER], () => {}, { auth: { missingHint: 'choose a key' }, onStatus: (status) => statuses.push(status), retryPolicy: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, random: () => 0.5 });
    onCleanup(() => live.close());
    await until(() => statuses.some((s) => s.state === 'disconnected'), 'the subscription to end');
    expect(statuses.find((s) => s.state === 'disconnected')).toEqual({ state: 'disconnected', reason: `relay closed the subscription: ${READ_AUTH_REASON} (choose a key)`, retryInMs: 30_000 });
    expect(relay.refusedReqs()).toBe(1);
    expect(relay.auths).toEqual([]);
  });
});

// --- the operations: which key, and import.relays ---------------------------------------------------------------------

interface Keys {
  readerId: string;
  readerPubkey: string;
}

async function storeWithReader(store: TestStore): Promise<Keys> {
  const key = await store.call('keys.generate', { algorithm: 'nostr', label: 'Reader' });
  return { readerId: key.id, readerPubkey: key.public_key };
}

const declarationCount = (store: TestStore) => (store.ctx.services.db().prepare('SELECT count(*) AS n FROM admindeclarations').get() as { n: number }).n;

describe('relays: the AUTH key per relay', () => {
  it('is set by id, npub or fingerprint, shown by relays.list, cleared by null, and refused for keys that cannot sign', async () => {
    const store = await createStore();
    const { readerId, readerPubkey } = await storeWithReader(store);
    const reader = (await store.call('keys.get', { id: readerId })) as { fingerprint_grouped: string; canonical_name: string };
    const shown = { keypair_uuid: readerId, label: 'Reader', canonical_name: npubEncode(readerPubkey) };

    expect((await store.call('relays.add', { url: 'wss://a.example.com', auth_key: npubEncode(readerPubkey) })).relay.auth_key).toEqual(shown);
    expect((await store.call('relays.add', { url: 'wss://b.example.com', auth_key: reader.fingerprint_grouped })).relay.auth_key).toEqual(shown);
    expect((await store.call('relays.add', { url: 'wss://c.example.com' })).relay.auth_key).toBeNull();
    // Adding again without it keeps it.
    expect((await store.call('relays.add', { url: 'wss://a.example.com', read: true })).relay.auth_key).toEqual(shown);
    expect((await store.call('relays.update', { url: 'wss://c.example.com', auth_key: readerId })).relay.auth_key).toEqual(shown);
    expect((await store.call('relays.update', { url: 'wss://b.example.com', auth_key: null })).relay.auth_key).toBeNull();
    expect((await store.call('relays.list')).relays.map((r: { url: string; auth_key: unknown }) => [r.url, r.auth_key])).toEqual([
      ['wss://a.example.com', shown],
      ['wss://b.example.com', null],
      ['wss://c.example.com', shown],
    ]);

    const ed25519 = await store.call('keys.generate', { algorithm: 'ed25519', label: 'Ed' });
    const watch = await store.call('keys.import', { data_text: npubEncode(keys.nostrIssuer.publicKeyHex), label: 'Watched' });
    expect(watch.has_private_key).toBe(false);
    expect((await store.fails('relays.update', { url: 'wss://b.example.com', auth_key: ed25519.id })).code).toBe('not_a_nostr_key');
    expect((await store.fails('relays.update', { url: 'wss://b.example.com', auth_key: npubEncode(keys.nostrIssuer.publicKeyHex) })).code).toBe('missing_signer_private_key');
    expect((await store.fails('relays.add', { url: 'wss://d.example.com', auth_key: npubEncode(keys.nostrWrapper.publicKeyHex) })).code).toBe('unknown_key');
    expect((await store.fails('relays.add', { url: 'wss://d.example.com', auth_key: 'not a key' })).code).toBe('invalid_input');
    // Refused changes change nothing.
    expect((await store.call('relays.list')).relays.map((r: { url: string; auth_key: unknown }) => [r.url, r.auth_key])).toEqual([
      ['wss://a.example.com', shown],
      ['wss://b.example.com', null],
      ['wss://c.example.com', shown],
    ]);

    // Deleting the key clears the choice (ON DELETE SET NULL). (An administrator always keeps one Nostr key.)
    await store.call('keys.generate', { algorithm: 'nostr', label: 'Other' });
    await store.call('keys.delete', { id: readerId });
    expect((await store.call('relays.list')).relays.every((r: { auth_key: unknown }) => r.auth_key === null)).toBe(true);
  });
});

describe('import.relays from a relay that requires AUTH to read', () => {
  it("answers with the relay's configured key: imported, and the relay saw a valid AUTH by that key", async () => {
    const declaration = buildDeclaration('nostr');
    const relay = await authRelay({ challenge: 'on-connect' }, declaration.events);
    const store = await createStore();
    const { readerId, readerPubkey } = await storeWithReader(store);
    await store.call('relays.add', { url: relay.url, read: true, write: false, auth_key: readerId });

    const result: ImportRunResult = await store.call('import.relays', { authors: [keys.nostrIssuer.publicKeyHex] });
    expect(result.relays).toEqual([{ relay: relay.url, end: 'eose', reason: '', events: declaration.events.length, authenticated_as: readerPubkey }]);
    expect(result.counts.verified).toBe(1);
    expect(declarationCount(store)).toBe(1);
    // Two pages — the one with the events, and the one (until the oldest) that brings nothing new — over one
    // connection: one REQ refused, one AUTH, then both pages served.
    expectValidAuths(relay, readerPubkey, 1);
    expect(relay.refusedReqs()).toBe(1);
  });

  it('without a key: ends closed with the reason and how to choose a key; nothing stored, no AUTH sent', async () => {
    const relay = await authRelay({ challenge: 'after-closed' }, buildDeclaration('nostr').events);
    const store = await createStore();
    await store.call('relays.add', { url: relay.url, read: true, write: false });
    const result: ImportRunResult = await store.call('import.relays', { authors: [keys.nostrIssuer.publicKeyHex] });
    expect(result.relays).toEqual([
      {
        relay: relay.url,
        end: 'closed',
        reason: `${READ_AUTH_REASON} (no key is chosen to answer its NIP-42 AUTH: choose one with "declsign relays update ${relay.url} --auth-key KEY" or the Relays screen)`,
        events: 0,
      },
    ]);
    expect(result.counts).toMatchObject({ verified: 0, quarantined: 0 });
    expect(declarationCount(store)).toBe(0);
    expect(relay.auths).toEqual([]);

    // A relay named for this run only: the hint says how to give a key for it.
    const adHoc = await authRelay({ challenge: 'on-connect' });
    const once: ImportRunResult = await store.call('import.relays', { relays: [adHoc.url], authors: [keys.nostrIssuer.publicKeyHex] });
    expect(once.relays?.[0]?.reason).toBe(
      `${READ_AUTH_REASON} (no key is chosen to answer its NIP-42 AUTH: choose one with --auth-key KEY for this import, or "declsign relays add ${adHoc.url} --auth-key KEY")`,
    );
  });

  it('a refused AUTH: closed with the relay reasons, once; auth_key overrides the configured key for one run', async () => {
    const declaration = buildDeclaration('nostr');
    const store = await createStore();
    const { readerId } = await storeWithReader(store);
    const allowed = await store.call('keys.generate', { algorithm: 'nostr', label: 'Allowed' });
    const relay = await authRelay({ challenge: 'on-connect', allowedPubkeys: [allowed.public_key] }, declaration.events);
    await store.call('relays.add', { url: relay.url, read: true, write: false, auth_key: readerId });

    const refused: ImportRunResult = await store.call('import.relays', { authors: [keys.nostrIssuer.publicKeyHex] });
    expect(refused.relays?.[0]).toMatchObject({ end: 'closed', events: 0 });
    expect(refused.relays?.[0]?.reason).toMatch(/^auth-required: .* \(the relay refused our NIP-42 AUTH as npub1\w+: restricted: this key may not read here\)$/);
    expect(relay.auths).toHaveLength(1);
    expect(relay.refusedReqs()).toBe(1);
    expect(declarationCount(store)).toBe(0);

    const overridden: ImportRunResult = await store.call('import.relays', { authors: [keys.nostrIssuer.publicKeyHex], auth_key: allowed.fingerprint });
    expect(overridden.relays?.[0]).toMatchObject({ end: 'eose', authenticated_as: allowed.public_key });
    expect(declarationCount(store)).toBe(1);
    // The configured key is untouched by the override.
    expect((await store.call('relays.list')).relays[0].auth_key.keypair_uuid).toBe(readerId);
    expect((await store.fails('import.relays', { auth_key: 'ffff' })).code).toBe('invalid_input');
  });

  it('a locked store with a configured key: the relay reason names store_locked, nothing stored, no hang', async () => {
    const declaration = buildDeclaration('nostr');
    const relay = await authRelay({ challenge: 'on-connect' }, declaration.events);
    const store = await createStore();
    const { readerId } = await storeWithReader(store);
    await store.call('relays.add', { url: relay.url, read: true, write: false, auth_key: readerId });
    // A second session on the same file that cannot ask for the passphrase (as the app is before unlocking).
    const locked = createOperationContext({ dbPath: store.dbPath });
    onCleanup(() => locked.services.close());
    const result = await invokeOperation(operations['import.relays'], { authors: [keys.nostrIssuer.publicKeyHex] }, locked);
    expect(result.ok).toBe(true);
    const outcome = (result as { value: ImportRunResult }).value.relays?.[0];
    expect(outcome?.end).toBe('closed');
    expect(outcome?.reason).toMatch(/^auth-required: .* \(could not sign the NIP-42 AUTH event: store_locked: /);
    expect(relay.auths).toEqual([]);
    expect(declarationCount(store)).toBe(0);
  });
});
