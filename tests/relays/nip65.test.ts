// NIP-65 relay lists: which kind-10002 events count (verified, by a known author, the newest), our own list as an
// event, and the two operations against a real relay process: suggestions from the lists of known administrators,
// and publishing ours so that the next suggestion reads it back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools/pure';
import { npubEncode } from 'nostr-tools/nip19';
import { verifySchnorrNoble } from '../../electron/core/declaration';
import type { NostrEvent } from '../../electron/core/declaration/types';
import { DeclsignError } from '../../electron/core/errors';
import { RELAY_LIST_KIND, buildRelayListTemplate, currentRelayLists } from '../../electron/relays/nip65';
import { publishBatch } from '../../electron/relays/publisher';
import { makeSigner } from '../helpers/events';
import { startRealRelayProcess, unusedRelayUrl, type RelayProcess } from '../helpers/relay';
import { CliStore, ensureCliBuilt } from '../cli/helpers';
import { createStore, type TestStore } from '../publish/helpers';

const bob = makeSigner();
const carol = makeSigner();
const list = (signer = bob, createdAt = 1_800_000_000, tags: string[][] = [['r', 'wss://bob.example']]) =>
  signer.sign({ kind: RELAY_LIST_KIND, created_at: createdAt, tags, content: '' });
const texts = (...events: NostrEvent[]) => events.map((event) => JSON.stringify(event));

describe('which relay lists count', () => {
  const authors = new Set([bob.pubkey]);

  it('the newest valid list per known author; older versions, other kinds and strangers do not', () => {
    const old = list(bob, 1_800_000_000, [['r', 'wss://old.example']]);
    const newer = list(bob, 1_800_000_100, [['r', 'wss://w.example', 'write'], ['r', 'wss://r.example', 'read'], ['r', 'wss://both.example']]);
    const stranger = list(carol, 1_900_000_000);
    const otherKind = bob.sign({ kind: 3, created_at: 1_900_000_000, tags: [['r', 'wss://x.example']], content: '' });
    const { lists, refused } = currentRelayLists(texts(newer, old, stranger, otherKind), authors, verifySchnorrNoble);
    expect([...lists.keys()]).toEqual([bob.pubkey]);
    expect(lists.get(bob.pubkey)).toMatchObject({ event: { id: newer.id }, write: ['wss://w.example', 'wss://both.example'], read: ['wss://r.example', 'wss://both.example'] });
    expect(refused).toBe(2);
  });

  it('a list in someone else\'s name does not count, however new: altered tags, a bad signature, not JSON', () => {
    const genuine = list(bob, 1_800_000_000);
    const altered = { ...list(bob, 1_900_000_000), tags: [['r', 'wss://attacker.example']] };
    const badSig = list(bob, 1_900_000_001);
    badSig.sig = (badSig.sig[0] === '0' ? '1' : '0') + badSig.sig.slice(1);
    const { lists, refused } = currentRelayLists([...texts(genuine, altered, badSig), '{not json', '{"kind":10002}'], authors, verifySchnorrNoble);
    expect(lists.get(bob.pubkey)?.event.id).toBe(genuine.id);
    expect(refused).toBe(4);
  });

  it('on equal created_at the lowest id wins (NIP-01), whatever the order served', () => {
    const a = list(bob, 1_800_000_000, [['r', 'wss://a.example']]);
    const b = list(bob, 1_800_000_000, [['r', 'wss://b.example']]);
    const lowest = a.id < b.id ? a : b;
    expect(currentRelayLists(texts(a, b), authors, verifySchnorrNoble).lists.get(bob.pubkey)?.event.id).toBe(lowest.id);
    expect(currentRelayLists(texts(b, a), authors, verifySchnorrNoble).lists.get(bob.pubkey)?.event.id).toBe(lowest.id);
  });

  it('our own list marks a relay read or write only when it is not both, and is never empty', () => {
    const template = buildRelayListTemplate(
      [
        { url: 'wss://both.example', read: true, write: true },
        { url: 'wss://in.example', read: true, write: false },
        { url: 'wss://out.example', read: false, write: true },
        { url: 'wss://neither.example', read: false, write: false },
      ],
      1_800_000_000,
    );
    expect(template).toEqual({ kind: 10002, created_at: 1_800_000_000, content: '', tags: [['r', 'wss://both.example'], ['r', 'wss://in.example', 'read'], ['r', 'wss://out.example', 'write']] });
    expect(() => buildRelayListTemplate([{ url: 'wss://neither.example', read: false, write: false }], 1)).toThrow(DeclsignError);
  });
});

describe('relays.suggest and relays.publishList against a real relay', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRealRelayProcess();
    const now = Math.floor(Date.now() / 1000);
    const published = await publishBatch({
      relays: [relay.url],
      events: [
        list(bob, now - 100, [['r', 'wss://bob-old.example']]),
        list(bob, now - 10, [['r', 'wss://bob-out.example', 'write'], ['r', 'wss://bob-in.example', 'read'], ['r', relay.url]]),
      ],
      deadlineMs: 10_000,
    });
    expect(published.outcomes.map((o) => o.state)).toEqual(['published', 'published']);
  });
  afterAll(async () => relay?.close());

  /** A store with its own Nostr key, Bob's npub watched, and the relay listed for reading and writing. */
  async function storeKnowingBob(): Promise<{ store: TestStore; ours: string }> {
    const store = await createStore();
    const ours = (await store.call('keys.generate', { algorithm: 'nostr', label: 'ours' })).id;
    await store.call('keys.import', { data_text: npubEncode(bob.pubkey), label: 'Bob' });
    await store.call('relays.add', { url: relay.url });
    return { store, ours };
  }

  it("suggests reading where Bob writes and publishing where he reads, from his newest list; then publishes ours, which the next suggestion reads back", async () => {
    const { store, ours } = await storeKnowingBob();
    const view = await store.call('relays.suggest', {});
    const bobView = view.authors.find((a: { pubkey: string }) => a.pubkey === bob.pubkey);
    expect(bobView).toMatchObject({ name: 'Bob', own: false, write: ['wss://bob-out.example', relay.url], read: ['wss://bob-in.example', relay.url] });
    expect(view.authors.find((a: { own: boolean }) => a.own)).toMatchObject({ name: 'ours', event_id: null, read: [], write: [] });
    expect(view.read).toEqual([
      { url: 'wss://bob-out.example', reasons: ['Bob writes there'], listed: false },
      { url: relay.url, reasons: ['Bob writes there'], listed: true },
    ]);
    expect(view.publish.map((s: { url: string }) => s.url)).toEqual(['wss://bob-in.example', relay.url]);
    expect(view.relays).toEqual([expect.objectContaining({ relay: relay.url, end: 'eose' })]);
    // Suggestions only: nothing was added.
    expect((await store.call('relays.list')).relays).toHaveLength(1);

    const result = await store.call('relays.publishList', {});
    expect(result.relays).toEqual([{ relay: relay.url, state: 'published', reason: expect.any(String) }]);
    expect(verifyEvent({ ...result.event })).toBe(true);
    expect(result.event).toMatchObject({ kind: 10002, tags: [['r', relay.url]], content: '' });
    expect(result.event.pubkey).toBe((await store.call('keys.get', { id: ours })).public_key);

    const again = await store.call('relays.suggest', {});
    expect(again.authors.find((a: { own: boolean }) => a.own)).toMatchObject({ event_id: result.event.id, write: [relay.url], read: [relay.url] });
    expect(again.publish.find((s: { url: string }) => s.url === relay.url).reasons).toEqual(['ours (ours) writes there', 'Bob reads there']);
  });

  it('refuses precisely: no relay to ask, an empty list, no key to sign with', async () => {
    const { store } = await storeKnowingBob();
    await store.call('relays.update', { url: relay.url, enabled: false });
    expect((await store.fails('relays.suggest', {}, 'invalid_input')).message).toContain('No relay to ask');
    expect((await store.fails('relays.publishList', {}, 'invalid_input')).message).toContain('relay list would be empty');
    await store.fails('relays.publishList', { key: '00000000-0000-4000-8000-000000000000' }, 'missing_signer_private_key');
  });
});

describe('declsign relays suggest / publish-list', () => {
  it('prints the suggestions with their reasons, publishes our list, and exits 1 when no relay accepted it', async () => {
    ensureCliBuilt();
    const relay = await startRealRelayProcess();
    const store = new CliStore().init();
    try {
      const now = Math.floor(Date.now() / 1000);
      await publishBatch({ relays: [relay.url], events: [list(carol, now, [['r', 'wss://carol-in.example', 'read'], ['r', 'wss://carol-out.example', 'write']])], deadlineMs: 10_000 });
      store.ok(['keys', 'generate', '--type', 'nostr', '--label', 'Alice']);
      store.ok(['relays', 'add', relay.url]);
      const human = store.run(['relays', 'suggest', '--author', npubEncode(carol.pubkey)]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain('Publish to (relays add URL --write):\n  wss://carol-in.example  — ');
      expect(human.stdout).toContain('Read from (relays add URL --read):\n  wss://carol-out.example  — ');

      const published = store.ok(['relays', 'publish-list']);
      expect(published.relays).toEqual([{ relay: relay.url, state: 'published', reason: expect.any(String) }]);
      const unreachable = store.run(['relays', 'publish-list', '--relay', await unusedRelayUrl()]);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stdout).toMatch(/retrying|failed/);
    } finally {
      store.remove();
      await relay.close();
    }
  });
});
