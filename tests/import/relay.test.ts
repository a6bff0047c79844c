// Import from a real relay (the @nostr-relay relay on 127.0.0.1), and live discovery of an event published after
// the subscription started.

import { describe, expect, it } from 'vitest';
import { npubEncode } from 'nostr-tools/nip19';
import { publishBatch } from '../../electron/relays/publisher';
import { CATCH_UP_MARGIN_S, DiscoveryService } from '../../electron/relays/import-discovery';
import type { ImportResult } from '../../electron/relays/import';
import type { ImportRunResult } from '../../electron/ops/handlers/import';
import { discoveryCursor } from '../../electron/store/imports';
import { startRealRelay } from '../helpers/relay';
import { buildDeclaration, keys, mixedDeclarations } from './fixtures';
import { createStore, onCleanup } from './helpers';

async function relayWith(events: object[]) {
  const relay = await startRealRelay();
  onCleanup(() => relay.close());
  if (events.length > 0) {
    const published = await publishBatch({ relays: [relay.url], events: events as never, deadlineMs: 10_000 });
    expect(published.outcomes.every((o) => o.state === 'published')).toBe(true);
  }
  return relay;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('import.relays', () => {
  it('imports what a real relay holds, filtered by author (npub or hex) and d', async () => {
    const declarations = mixedDeclarations(6);
    const relay = await relayWith(declarations.flatMap((d) => d.events));
    const store = await createStore();

    const byWrapper: ImportRunResult = await store.call('import.relays', { relays: [relay.url], authors: [npubEncode(keys.nostrWrapper.publicKeyHex)] });
    const wrapped = declarations.filter((d) => d.kind !== 'nostr');
    expect(byWrapper.counts).toEqual({ verified: wrapped.length, quarantined: 0, duplicates: 0, superseded: 0 });
    expect(byWrapper.relays).toEqual([{ relay: relay.url, end: 'eose', reason: '', events: wrapped.length }]);
    const rows = store.ctx.services.db().prepare('SELECT discovered_from_relay, is_local FROM admindeclarations').all();
    expect(rows).toEqual(wrapped.map(() => ({ discovered_from_relay: relay.url, is_local: 0 })));

    const one = declarations.find((d) => d.kind === 'nostr' && d.countersigned)!;
    const single: ImportRunResult = await store.call('import.relays', { relays: [relay.url], d: one.uuid });
    expect(single.counts).toMatchObject({ verified: 1, quarantined: 0 });
    expect(single.declarations[0]).toMatchObject({ declaration_uuid: one.uuid, status: 'new', countersigners: 1 });

    // Everything again, by hex authors: what is stored is a duplicate now.
    const all: ImportRunResult = await store.call('import.relays', {
      relays: [relay.url],
      authors: [keys.nostrIssuer.publicKeyHex, keys.nostrWrapper.publicKeyHex, keys.nostrCountersigner.publicKeyHex],
    });
    expect(all.counts.verified).toBe(declarations.length);
    expect(all.counts.duplicates).toBe(wrapped.length + one.events.length);
    expect(store.ctx.services.db().prepare('SELECT count(*) AS n FROM admindeclarations').get()).toEqual({ n: declarations.length });
  });

  it('uses the enabled read relays and reports a relay that is down without failing the import', async () => {
    const declaration = buildDeclaration('ed25519');
    const relay = await relayWith(declaration.events);
    const store = await createStore();
    await store.call('relays.add', { url: relay.url, read: true, write: false });
    const result: ImportRunResult = await store.call('import.relays', { authors: [keys.nostrWrapper.publicKeyHex] });
    expect(result.counts.verified).toBe(1);

    const down = await store.call('import.relays', { relays: ['ws://127.0.0.1:1'], authors: [keys.nostrWrapper.publicKeyHex] });
    expect(down.relays[0]).toMatchObject({ end: 'connect-failed', events: 0 });
    expect((await store.fails('import.relays', { relays: [relay.url], authors: ['npub1nope'] })).code).toBe('invalid_input');
  });
});

describe('DiscoveryService', () => {
  it('picks up an event published after subscribing, and a restarted service resumes from its cursor', async () => {
    const relay = await relayWith([]);
    const store = await createStore();
    const db = store.ctx.services.db();
    const imported: ImportResult[] = [];
    const statuses: string[] = [];
    const discovery = new DiscoveryService({
      db,
      relays: [relay.url],
      authors: [keys.nostrIssuer.publicKeyHex],
      batchMs: 20,
      onImported: (result) => imported.push(result),
      onStatus: (_relay, status) => statuses.push(status.state),
    });
    onCleanup(() => discovery.stop());
    discovery.start();
    await until(() => statuses.includes('live'), 'the subscription to reach EOSE');

    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publishBatch({ relays: [relay.url], events: declaration.events, deadlineMs: 10_000 });
    await until(() => imported.some((r) => r.counts.verified === 1), 'the live event to be imported');
    const row = db.prepare('SELECT is_local, discovered_from_relay, verification_status FROM admindeclarations WHERE declaration_uuid = ?').get(declaration.uuid);
    expect(row).toEqual({ is_local: 0, discovered_from_relay: relay.url, verification_status: 'verified' });
    expect(discoveryCursor(db, relay.url)).toBe(declaration.events[0]!.created_at);

    await discovery.stop();
    expect(discovery.isRunning).toBe(false);

    // A second service starts from the cursor: the stored event is not imported again (or is a duplicate at worst).
    const again: ImportResult[] = [];
    const later = new DiscoveryService({ db, relays: [relay.url], authors: [keys.nostrIssuer.publicKeyHex], batchMs: 20, onImported: (r) => again.push(r) });
    onCleanup(() => later.stop());
    later.start();
    const second = buildDeclaration('nostr', { later: 40 * 24 * 3600 });
    await publishBatch({ relays: [relay.url], events: second.events, deadlineMs: 10_000 });
    await until(() => again.some((r) => r.declarations.some((d) => d.declaration_uuid === second.uuid)), 'the second live event');
    await later.idle();
    const totals = again.reduce((sum, r) => ({ verified: sum.verified + r.counts.verified, quarantined: sum.quarantined + r.counts.quarantined }), { verified: 0, quarantined: 0 });
    expect(totals).toEqual({ verified: 2, quarantined: 0 }); // the first (same second as the cursor) and the new one
    expect(again.flatMap((r) => r.declarations).find((d) => d.declaration_uuid === declaration.uuid)?.status ?? 'unchanged').toBe('unchanged');
    expect(db.prepare('SELECT count(*) AS n FROM admindeclarations').get()).toEqual({ n: 2 });

    // Signed long ago, published only now: over a month older than the cursor a third service starts from, still
    // picked up live (the live filter has no `since`, which relays would apply to new events too).
    await later.stop();
    const third: ImportResult[] = [];
    const statuses3: string[] = [];
    const following = new DiscoveryService({ db, relays: [relay.url], authors: [keys.nostrIssuer.publicKeyHex], batchMs: 20, onImported: (r) => third.push(r), onStatus: (_r, st) => statuses3.push(st.state) });
    onCleanup(() => following.stop());
    following.start();
    await until(() => statuses3.includes('live'), 'the third subscription to reach EOSE');
    await following.idle();
    const late = buildDeclaration('nostr', { later: 1800 });
    expect(late.events[0]!.created_at).toBeLessThan(discoveryCursor(db, relay.url)! - CATCH_UP_MARGIN_S);
    await publishBatch({ relays: [relay.url], events: late.events, deadlineMs: 10_000 });
    await until(() => third.some((r) => r.declarations.some((d) => d.declaration_uuid === late.uuid && d.status === 'new')), 'the late-published event');
  });

  it('catches up on what the relay stored while it was not followed, from the cursor less the margin', async () => {
    const relay = await relayWith([]);
    const store = await createStore();
    const db = store.ctx.services.db();
    const first = buildDeclaration('nostr', { later: 7200 });
    await publishBatch({ relays: [relay.url], events: first.events, deadlineMs: 10_000 });
    const imported: ImportResult[] = [];
    const once = new DiscoveryService({ db, relays: [relay.url], authors: [keys.nostrIssuer.publicKeyHex], batchMs: 20, onImported: (r) => imported.push(r) });
    once.start();
    await until(() => imported.some((r) => r.counts.verified === 1), 'the stored event (no cursor yet: everything)');
    await once.stop();
    // While nobody follows: one newer and one a day older than the cursor (within the margin) reach the relay.
    const newer = buildDeclaration('nostr', { later: 9000 });
    const older = buildDeclaration('nostr', { later: 7200 - 86_400 });
    await publishBatch({ relays: [relay.url], events: [...newer.events, ...older.events], deadlineMs: 10_000 });
    const resumed: ImportResult[] = [];
    const again = new DiscoveryService({ db, relays: [relay.url], authors: [keys.nostrIssuer.publicKeyHex], batchMs: 20, onImported: (r) => resumed.push(r) });
    onCleanup(() => again.stop());
    again.start();
    await until(() => new Set(resumed.flatMap((r) => r.declarations.filter((d) => d.status === 'new').map((d) => d.declaration_uuid))).size === 2, 'both missed events');
    const news = resumed.flatMap((r) => r.declarations.filter((d) => d.status === 'new').map((d) => d.declaration_uuid));
    expect(news.sort()).toEqual([newer.uuid, older.uuid].sort());
    expect(db.prepare('SELECT count(*) AS n FROM admindeclarations').get()).toEqual({ n: 3 });
  });
});
