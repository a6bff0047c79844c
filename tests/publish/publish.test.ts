// publish.start / publish.status / publish.retry through the operation table, against real and faulty relays on
// 127.0.0.1, with the outbox and the declaration rows read back from the real store file.

import { decode } from 'nostr-tools/nip19';
import { verifyEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { startFaultyRelay, startRealRelay, unusedRelayUrl, type FaultyMode, type FaultyRelayOptions } from '../helpers/relay';
import { createStore, generateKey, onCleanup, relayEvents, signedDeclaration, storedEvents, type TestStore } from './helpers';

async function realRelay() {
  const relay = await startRealRelay();
  onCleanup(() => relay.close());
  return relay;
}

async function faulty(mode: FaultyMode, options: FaultyRelayOptions = {}) {
  const relay = await startFaultyRelay(mode, options);
  onCleanup(() => relay.close());
  return relay;
}

/** A store with an admin Nostr key, an Ed25519 issuer and a second Nostr key for countersigning. */
async function adminStore() {
  const store = await createStore();
  const admin = await generateKey(store, 'nostr', 'admin', 'master-admin');
  const ed = await generateKey(store, 'ed25519', 'ed issuer', 'operating-admin');
  const counter = await generateKey(store, 'nostr', 'countersigner', 'operating-admin');
  const subject = await generateKey(store, 'nostr', 'subject');
  return { store, admin, ed, counter, subject };
}

function sendsOf(store: TestStore, uuid: string) {
  return store.outbox().filter((row) => row.declaration_uuid === uuid);
}

describe('publish.start to real relays', () => {
  it('publishes a Nostr-signed and an Ed25519-wrapped declaration with a Nostr countersignature; relays hold the exact events', async () => {
    const { store, admin, ed, counter, subject } = await adminStore();
    const [a, b] = [await realRelay(), await realRelay()];
    await store.call('relays.add', { url: a.url });
    await store.call('relays.add', { url: `${b.url}/` }); // normalised: trailing slash dropped

    const nostrSigned = await signedDeclaration(store, admin, subject);
    const wrapped = await signedDeclaration(store, ed, subject, { wrapWith: admin });
    await store.call('declarations.countersign', { uuid: wrapped, key: counter.id });
    const expected = [...storedEvents(store, nostrSigned), ...storedEvents(store, wrapped)];
    expect(expected).toHaveLength(3); // primary; wrapper + Nostr countersignature

    const result = await store.call('publish.start', { uuids: [nostrSigned, wrapped] });
    expect(result.ok).toBe(true);
    expect(result.attempted).toBe(6);
    expect(result.summary).toEqual({ published: 6, retrying: 0, failed: 0, pending: 0 });

    for (const relay of [a, b]) {
      const held = await relayEvents(relay.url, { kinds: [31106] });
      expect(held.size).toBe(3);
      for (const text of expected) {
        const event = JSON.parse(text);
        const back = JSON.parse(held.get(event.id)!);
        // Same fields, and the signed content string is the very same bytes.
        expect(back).toEqual(event);
        expect(Buffer.from(back.content, 'utf8').equals(Buffer.from(event.content, 'utf8'))).toBe(true);
        expect(verifyEvent(back)).toBe(true);
      }
    }

    // One outbox row per (event, relay), each published with the relay's answer.
    const rows = store.outbox();
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((row) => `${row.event_id} ${row.relay_url}`)).size).toBe(6);
    for (const row of rows) expect(row).toMatchObject({ state: 'published', attempts: 1, last_message: 'accepted' });
    expect(new Set(sendsOf(store, wrapped).map((row) => row.role))).toEqual(new Set(['wrapper', 'countersignature']));

    for (const uuid of [nostrSigned, wrapped]) {
      const view = await store.call('declarations.get', { uuid });
      expect(view.status).toBe('Published');
      expect(view.nostr_publish_status).toBe('published');
      expect([...view.nostr_published_to_relays].sort()).toEqual([a.url, b.url].sort());
      expect(view.nostr_published_at).not.toBeNull();
    }

    // Share links: naddr names the declaration (author + uuid), nevent pins the current event; both carry relay hints.
    const status = await store.call('publish.status', { uuid: wrapped });
    const naddr = decode(status.links.naddr);
    const nevent = decode(status.links.nevent);
    const wrapper = JSON.parse(storedEvents(store, wrapped).find((text) => JSON.parse(text).id === status.event_id)!);
    expect(naddr).toMatchObject({ type: 'naddr', data: { kind: 31106, pubkey: wrapper.pubkey, identifier: wrapped } });
    expect(nevent).toMatchObject({ type: 'nevent', data: { id: wrapper.id, author: wrapper.pubkey } });
    expect([...(naddr.data as { relays: string[] }).relays].sort()).toEqual([a.url, b.url].sort());

    // Publishing again sends nothing new: every pair is already published, and nothing is recorded twice.
    const again = await store.call('publish.start', { uuid: nostrSigned });
    expect(again.attempted).toBe(0);
    expect(store.outbox()).toHaveLength(6);
  });

  it('one relay down and one up: published, the down one retrying with its next attempt time', async () => {
    const { store, admin, subject } = await adminStore();
    const up = await realRelay();
    const down = await unusedRelayUrl();
    const uuid = await signedDeclaration(store, admin, subject);
    const before = Date.now();
    const result = await store.call('publish.start', { uuid, relays: [up.url, down] });
    expect(result.ok).toBe(true);
    const sends = result.declarations[0].sends;
    expect(sends.find((s: { relay: string }) => s.relay === up.url)).toMatchObject({ state: 'published', reason: 'accepted' });
    const failedSend = sends.find((s: { relay: string }) => s.relay === down);
    expect(failedSend).toMatchObject({ state: 'retrying', prefix: 'connect-failed', attempts: 1 });
    expect(failedSend.reason).toMatch(/could not connect: .*ECONNREFUSED/);
    expect(Date.parse(failedSend.next_attempt_at)).toBeGreaterThanOrEqual(before);
    expect(result.next_retry_at).toBe(failedSend.next_attempt_at);
    const view = await store.call('declarations.get', { uuid });
    expect(view).toMatchObject({ status: 'Published', nostr_publish_status: 'published', nostr_published_to_relays: [up.url] });
  });

  it('every relay down: not ok, the declaration retrying and still Signed', async () => {
    const { store, admin, subject } = await adminStore();
    const uuid = await signedDeclaration(store, admin, subject);
    const result = await store.call('publish.start', { uuid, relays: [await unusedRelayUrl(), await unusedRelayUrl()] });
    expect(result.ok).toBe(false);
    expect(result.summary).toEqual({ published: 0, retrying: 2, failed: 0, pending: 0 });
    const view = await store.call('declarations.get', { uuid });
    expect(view).toMatchObject({ status: 'Signed', nostr_publish_status: 'retrying', nostr_published_to_relays: [], nostr_published_at: null });
  });

  it("maps each OK prefix to its state and keeps the relay's words", async () => {
    const cases: Array<{ prefix: string; accepted?: boolean; state: string }> = [
      { prefix: 'rate-limited:', state: 'retrying' },
      { prefix: 'error:', state: 'retrying' },
      { prefix: 'blocked:', state: 'failed' },
      { prefix: 'invalid:', state: 'failed' },
      { prefix: 'restricted:', state: 'failed' },
      { prefix: 'mute:', state: 'failed' },
      { prefix: 'pow:', state: 'failed' },
      { prefix: 'duplicate:', accepted: true, state: 'published' },
    ];
    const { store, admin, subject } = await adminStore();
    for (const { prefix, accepted, state } of cases) {
      const relay = await faulty('ok-false', { prefix, ...(accepted !== undefined ? { accepted } : {}) });
      const uuid = await signedDeclaration(store, admin, subject);
      const result = await store.call('publish.start', { uuid, relays: [relay.url] });
      const [send] = result.declarations[0].sends;
      expect(send, prefix).toMatchObject({ state, prefix: prefix.slice(0, -1), reason: `${prefix} test relay refuses this` });
      expect(result.ok, prefix).toBe(state === 'published');
      const view = await store.call('declarations.get', { uuid });
      expect(view.nostr_publish_status, prefix).toBe(state);
      if (state === 'retrying') expect(send.next_attempt_at).not.toBeNull();
      else expect(send.next_attempt_at).toBeNull();
    }
  });

  it("answers NIP-42 AUTH with the event author's key and is then accepted", async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await faulty('auth-required', { allowedAuthPubkeys: [admin.public_key] });
    const uuid = await signedDeclaration(store, admin, subject);
    const result = await store.call('publish.start', { uuid, relays: [relay.url] });
    expect(result.ok).toBe(true);
    expect(result.declarations[0].sends[0]).toMatchObject({ state: 'published', attempts: 1 });
    expect(relay.authenticatedPubkeys).toEqual([admin.public_key]);
  });

  it('AUTH for an event whose author we do not hold uses the default Nostr key (the most senior admin)', async () => {
    const { store, ed, counter, subject, admin } = await adminStore();
    const relay = await faulty('auth-required', { allowedAuthPubkeys: [admin.public_key] });
    // Wrapped by `counter`, whose key is then deleted: the store keeps the event but can no longer sign as its author.
    const uuid = await signedDeclaration(store, ed, subject, { wrapWith: counter });
    await store.call('keys.delete', { id: counter.id });
    const result = await store.call('publish.start', { uuid, relays: [relay.url] });
    expect(result.ok).toBe(true);
    expect(relay.authenticatedPubkeys).toEqual([admin.public_key]);
  });

  it('returns by its deadline from a silent relay, the send retrying on timeout', async () => {
    const { store, admin, subject } = await adminStore();
    const silent = await faulty('silent');
    const up = await realRelay();
    const uuid = await signedDeclaration(store, admin, subject);
    // Long enough for the real relay's OK under a loaded CI box (the call lasts the whole deadline either way).
    const result = await store.call('publish.start', { uuid, relays: [silent.url, up.url], deadline_ms: 5_000 });
    expect(result.ok).toBe(true);
    const silentSend = result.declarations[0].sends.find((s: { relay: string }) => s.relay === silent.url);
    expect(silentSend).toMatchObject({ state: 'retrying', prefix: 'timeout' });
    expect(silentSend.reason).toMatch(/no OK from the relay/);
    expect(silent.receivedEventIds).toHaveLength(1); // it was sent; only the answer never came
  });

  it("does not send an event over the relay's NIP-11 max_content_length and records why", async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await faulty('accept', { nip11: { document: { name: 'tiny', limitation: { max_content_length: 50 } } } });
    await store.call('relays.add', { url: relay.url });
    const uuid = await signedDeclaration(store, admin, subject);
    const result = await store.call('publish.start', { uuid });
    expect(result.ok).toBe(false);
    const [send] = result.declarations[0].sends;
    expect(send).toMatchObject({ state: 'failed', prefix: 'relay-limit', attempts: 0 });
    expect(send.reason).toMatch(/^not sent: content is \d+ characters; relay max_content_length is 50$/);
    expect(relay.receivedEventIds).toEqual([]);
    // The document was cached on the relay row by the publish.
    const info = await store.call('relays.info', { url: relay.url });
    expect(info).toMatchObject({ cached: true, name: 'tiny', limitation: { max_content_length: 50 } });
  });

  it('publish.retry sends a retrying row once the relay is back: published, nothing recorded twice', async () => {
    const { store, admin, subject } = await adminStore();
    const down = await unusedRelayUrl();
    const uuid = await signedDeclaration(store, admin, subject);
    const first = await store.call('publish.start', { uuid, relays: [down] });
    expect(first.ok).toBe(false);
    const [row] = store.outbox();
    expect(row).toMatchObject({ state: 'retrying', attempts: 1 });

    // Without a uuid only due sends go: not yet due means nothing is attempted.
    const port = Number(new URL(down).port);
    const relay = await startRealRelay({ port });
    onCleanup(() => relay.close());
    if (Date.parse(row!.next_attempt_at!) > Date.now() + 200) {
      const early = await store.call('publish.retry', {});
      expect(early.attempted).toBe(0);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(row!.next_attempt_at!) - Date.now() + 10)));
    const resumed = await store.call('publish.retry', {});
    expect(resumed).toMatchObject({ ok: true, attempted: 1 });
    expect(store.outbox()).toEqual([expect.objectContaining({ id: row!.id, state: 'published', attempts: 2, last_message: 'accepted' })]);
    expect((await store.call('declarations.get', { uuid })).status).toBe('Published');
    expect((await relayEvents(relay.url, { kinds: [31106] })).size).toBe(1);
  });

  it('publish.retry with a uuid retries its unfinished sends now, whatever their backoff', async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await faulty('ok-false', { prefix: 'rate-limited:' });
    const uuid = await signedDeclaration(store, admin, subject);
    await store.call('publish.start', { uuid, relays: [relay.url] });
    const result = await store.call('publish.retry', { uuid });
    expect(result.attempted).toBe(1);
    expect(store.outbox()[0]).toMatchObject({ state: 'retrying', attempts: 2 });
    expect(relay.receivedEventIds).toHaveLength(2);
  });

  it('falls back to the enabled write relays, and says how to add one when there is none', async () => {
    const { store, admin, subject } = await adminStore();
    const uuid = await signedDeclaration(store, admin, subject);
    const error = await store.fails('publish.start', { uuid }, 'nothing_to_publish');
    expect(error.message).toMatch(/relays add/);
    const [writer, reader, disabled] = [await realRelay(), await realRelay(), await realRelay()];
    await store.call('relays.add', { url: writer.url, write: true });
    await store.call('relays.add', { url: reader.url, read: true });
    await store.call('relays.add', { url: disabled.url });
    await store.call('relays.update', { url: disabled.url, enabled: false });
    const result = await store.call('publish.start', { uuid });
    expect(result.declarations[0].sends.map((s: { relay: string }) => s.relay)).toEqual([writer.url]);
  });

  it('refuses what cannot be published, changing nothing', async () => {
    const { store, admin, subject } = await adminStore();
    const draft = await store.call('declarations.create', { type: 'trust-declaration', issuer: admin.id, subject: subject.id, content: { a: 1 } });
    const relay = await unusedRelayUrl();
    await store.fails('publish.start', { uuid: draft.declaration_uuid, relays: [relay] }, 'not_signed');
    await store.fails('publish.start', { uuid: '00000000-0000-4000-8000-000000000000', relays: [relay] }, 'not_found');
    const uuid = await signedDeclaration(store, admin, subject);
    await store.fails('publish.start', { uuid, relays: ['https://relay.example.com'] }, 'invalid_relay_url');
    await store.fails('publish.start', { relays: [relay] }, 'invalid_input');
    expect(store.outbox()).toEqual([]);
  });

  it('reports progress for every recorded answer', async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await realRelay();
    const uuid = await signedDeclaration(store, admin, subject);
    await store.call('publish.start', { uuid, relays: [relay.url] });
    const events = store.progress.filter((event) => event.operation === 'publish.start');
    expect(events.at(-1)).toMatchObject({ done: 1, total: 1, detail: { uuid, relay: relay.url, state: 'published' } });
  });
});

describe('publishing a revocation', () => {
  it('also publishes a NIP-09 deletion request signed by the author of the revoked declaration', async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await realRelay();
    await store.call('relays.add', { url: relay.url });
    const target = await signedDeclaration(store, admin, subject);
    await store.call('publish.start', { uuid: target });
    const targetEvent = JSON.parse(storedEvents(store, target)[0]!);

    const revoke = await signedDeclaration(store, admin, subject, {
      type: 'declaration-revoke',
      content: { target_declaration_uuid: target, reason: 'key compromised' },
    });
    const result = await store.call('publish.start', { uuid: revoke });
    expect(result.ok).toBe(true);
    const roles = result.declarations[0].sends.map((s: { role: string; state: string }) => [s.role, s.state]);
    expect(roles).toEqual([
      ['primary', 'published'],
      ['deletion', 'published'],
    ]);

    // The test relay honours NIP-09 by deleting the target's events (it does not keep the kind-5 request itself).
    const held = await relayEvents(relay.url, { kinds: [31106] });
    expect(held.has(targetEvent.id)).toBe(false);
    expect(held.has(JSON.parse(storedEvents(store, revoke)[0]!).id)).toBe(true);

    const stored = store.ctx.services.db().prepare('SELECT * FROM publish_extra_events').all() as Array<{ event_json: string; target_uuid: string }>;
    expect(stored).toHaveLength(1);
    const deletion = JSON.parse(stored[0]!.event_json);
    expect(stored[0]!.target_uuid).toBe(target);
    expect(verifyEvent(deletion)).toBe(true);
    expect(deletion).toMatchObject({ kind: 5, pubkey: admin.public_key, content: 'key compromised' });
    expect(deletion.tags).toEqual([
      ['a', `31106:${admin.public_key}:${target}`],
      ['e', targetEvent.id],
      ['k', '31106'],
    ]);
    expect(deletion.created_at).toBeGreaterThanOrEqual(targetEvent.created_at);

    // Publishing the revocation again reuses the same deletion request.
    await store.call('publish.start', { uuid: revoke });
    expect(store.ctx.services.db().prepare('SELECT count(*) AS n FROM publish_extra_events').get()).toEqual({ n: 1 });
  });

  it('makes no deletion request when the revoked declaration was signed by a key this store does not hold', async () => {
    const { store, admin, subject } = await adminStore();
    const relay = await realRelay();
    const revoke = await signedDeclaration(store, admin, subject, {
      type: 'declaration-revoke',
      content: { target_declaration_uuid: '11111111-1111-4111-8111-111111111111', reason: 'not ours' },
    });
    const result = await store.call('publish.start', { uuid: revoke, relays: [relay.url] });
    expect(result.declarations[0].sends.map((s: { role: string }) => s.role)).toEqual(['primary']);
    expect(result.deletion_notes[revoke]).toMatch(/not in this store/);
  });
});
