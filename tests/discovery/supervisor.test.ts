// The discovery supervisor as the shells run it (createAppOperations + the real dispatcher) against a real relay:
// following a subscribed relay, the sync after relays/anchors operations, quarantine of a forged event, stopping on
// unsubscribe, resuming from the cursor after a restart, and a relay that is down.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { npubEncode } from 'nostr-tools/nip19';
import { describe, expect, it } from 'vitest';
import { startRealRelay, unusedRelayUrl } from '../helpers/relay';
import { buildContent } from '../../electron/core/declaration';
import { buildDeclaration, keys } from '../import/fixtures';
import { onCleanup, tempDir } from '../import/helpers';
import { forgedWrapper, openApp, publish, storePath, until } from './helpers';

async function relay(port?: number) {
  const server = await startRealRelay(port !== undefined ? { port } : {});
  onCleanup(() => server.close());
  return server;
}

const stored = (app: Awaited<ReturnType<typeof openApp>>, uuid: string) =>
  app.rows<{ verification_status: string; discovered_from_relay: string; is_local: number }>(
    'SELECT verification_status, discovered_from_relay, is_local FROM admindeclarations WHERE declaration_uuid = ?',
    uuid,
  )[0];

describe('discovery supervisor', () => {
  it('follows a subscribed relay, restarts when the authors change, quarantines a forged event, stops on unsubscribe', async () => {
    const server = await relay();
    const app = await openApp(storePath(tempDir()));
    await app.ok('anchors.add', { npub: npubEncode(keys.nostrIssuer.publicKeyHex) });
    app.ops.discovery.start();
    // Listed for reading but not subscribed: not followed.
    await app.ok('relays.add', { url: server.url, read: true, write: false });
    expect(await app.status()).toEqual({ running: true, authors: [keys.nostrIssuer.publicKeyHex], problem: null, relays: [] });

    // relays.update goes through the sync hook: followed at once, live after EOSE.
    expect((await app.ok('relays.update', { url: server.url, subscribe: true })).relay).toMatchObject({ subscribe: true });
    expect((await app.ok('relays.list')).relays[0]).toMatchObject({ url: server.url, subscribe: true });
    expect((await app.relayStatus(server.url))?.state).toMatch(/^(connecting|open|live)$/);
    await until(async () => (await app.relayStatus(server.url))?.state === 'live', 'the subscription to go live');

    // Published after the subscription started: imported, verified, announced.
    const first = buildDeclaration('nostr', { countersigned: false });
    await publish(server.url, first.events);
    await until(() => stored(app, first.uuid) !== undefined, 'the live declaration to be stored');
    expect(stored(app, first.uuid)).toEqual({ verification_status: 'verified', discovered_from_relay: server.url, is_local: 0 });
    await until(async () => (await app.relayStatus(server.url))!.counts.verified === 1, 'the counts to show it');
    expect(await app.relayStatus(server.url)).toMatchObject({
      state: 'live',
      last_error: null,
      cursor: first.events[0]!.created_at,
      counts: { batches: 1, verified: 1, quarantined: 0, duplicates: 0 },
    });
    const announced = app.progress.filter((p) => p.operation === 'discovery.import');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.event).toMatchObject({ operation: 'discovery.import', done: 1, total: 1, detail: { relay: server.url, verified: 1, changed: 1 } });
    expect(app.rows('SELECT action, subject_id FROM audit_log WHERE action = ?', 'discovery.import')).toEqual([{ action: 'discovery.import', subject_id: server.url }]);

    // Declarations carried by the wrapper's key are not followed until that key is pinned; pinning restarts the
    // subscription with the new author set, from the cursor, so what the relay stored meanwhile arrives.
    const wrapped = buildDeclaration('ed25519', { countersigned: false, later: 5 });
    const forged = buildDeclaration('ed25519', { countersigned: false, later: 6 });
    const forgedEvent = forgedWrapper(forged.events[0]!);
    await publish(server.url, [...wrapped.events, forgedEvent]);
    expect(stored(app, wrapped.uuid)).toBeUndefined();
    await app.ok('anchors.add', { npub: npubEncode(keys.nostrWrapper.publicKeyHex) });
    expect((await app.status()).authors).toEqual([keys.nostrIssuer.publicKeyHex, keys.nostrWrapper.publicKeyHex].sort());
    await until(() => stored(app, wrapped.uuid) !== undefined, 'the wrapped declaration after the restart');
    expect(stored(app, wrapped.uuid)).toMatchObject({ verification_status: 'verified', discovered_from_relay: server.url });
    await until(async () => (await app.relayStatus(server.url))!.counts.quarantined === 1, 'the forged event to be quarantined');
    const quarantine = (await app.ok('import.quarantine')).items;
    expect(quarantine).toEqual([expect.objectContaining({ claimed_event_id: forgedEvent.id, source: `relay:${server.url}`, reason: 'verification' })]);
    expect(stored(app, forged.uuid)).toBeUndefined();

    // Unsubscribed: no longer followed. Published meanwhile, it is not stored; subscribing again picks it up from the cursor.
    await app.ok('relays.update', { url: server.url, subscribe: false });
    expect((await app.status()).relays).toEqual([]);
    // Newer than the cursor (the wrapper events carry +120 s): `since` only reaches what is newer than what was seen.
    const missed = buildDeclaration('nostr', { countersigned: false, later: 600 });
    await publish(server.url, missed.events);
    expect(stored(app, missed.uuid)).toBeUndefined();
    await app.ok('relays.update', { url: server.url, subscribe: true });
    await until(() => stored(app, missed.uuid) !== undefined, 'the declaration published while unsubscribed');

    // A disabled relay is not followed either, whatever its switch says.
    await app.ok('relays.update', { url: server.url, enabled: false });
    expect((await app.status()).relays).toEqual([]);
  });

  it('a discovered revocation names the declaration it revoked, so a list can refresh that row where it stands', async () => {
    const server = await relay();
    const app = await openApp(storePath(tempDir()));
    await app.ok('anchors.add', { npub: npubEncode(keys.nostrIssuer.publicKeyHex) });
    app.ops.discovery.start();
    await app.ok('relays.add', { url: server.url, read: true, write: false, subscribe: true });
    await until(async () => (await app.relayStatus(server.url))?.state === 'live', 'the subscription to go live');
    const target = buildDeclaration('nostr', { countersigned: false });
    await publish(server.url, target.events);
    await until(() => stored(app, target.uuid) !== undefined, 'the target to be stored');
    // Its issuer revokes it.
    const revocation = buildDeclaration('nostr', {
      later: 600,
      content: buildContent('declaration-revoke', { content_schema_version: 1, target_declaration_uuid: target.uuid, reason: 'withdrawn' }),
    });
    await publish(server.url, revocation.events);
    await until(() => stored(app, revocation.uuid) !== undefined, 'the revocation to be stored');
    expect((await app.ok('declarations.get', { uuid: target.uuid })).is_revoked).toBe(true);
    const announced = app.progress.filter((p) => p.operation === 'discovery.import').map((p) => (p.event as { detail: { refresh_uuids: string[] } }).detail);
    expect(announced.map((d) => d.refresh_uuids)).toEqual([[], [target.uuid]]);
    // The list serves exactly those rows.
    expect((await app.ok('declarations.list', { uuids: [target.uuid] })).items).toEqual([expect.objectContaining({ declaration_uuid: target.uuid, is_revoked: true })]);
  });

  it('a restarted app resumes from the cursor: what it already holds adds no rows, a new declaration does', async () => {
    const server = await relay();
    const dbPath = storePath(tempDir());
    const first = await openApp(dbPath);
    await first.ok('anchors.add', { npub: npubEncode(keys.nostrIssuer.publicKeyHex) });
    await first.ok('relays.add', { url: server.url, subscribe: true });
    first.ops.discovery.start();
    await until(async () => (await first.relayStatus(server.url))?.state === 'live', 'the first subscription');
    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publish(server.url, declaration.events);
    await until(() => stored(first, declaration.uuid) !== undefined, 'the first import');
    await first.close(); // stops discovery, finishing its batch, then closes the store

    const second = await openApp(dbPath, { init: false });
    const count = (table: string) => second.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
    const before = { events: count('declaration_events'), declarations: count('admindeclarations'), audit: count('audit_log') };
    second.ops.discovery.start();
    expect((await second.relayStatus(server.url))?.cursor).toBe(declaration.events[0]!.created_at);
    await until(async () => (await second.relayStatus(server.url))?.state === 'live', 'the resumed subscription');
    // `since` includes the cursor's second: the relay sends that event again; it is a duplicate and changes nothing.
    await second.ops.discovery.idle();
    await until(async () => (await second.relayStatus(server.url))!.counts.batches === 1, 'the replayed batch');
    expect((await second.relayStatus(server.url))!.counts).toEqual({ batches: 1, verified: 1, quarantined: 0, duplicates: 1 });
    expect({ events: count('declaration_events'), declarations: count('admindeclarations'), audit: count('audit_log') }).toEqual(before);

    const next = buildDeclaration('nostr', { countersigned: false, later: 60 });
    await publish(server.url, next.events);
    await until(() => stored(second, next.uuid) !== undefined, 'the next declaration');
    expect(count('admindeclarations')).toBe(before.declarations + 1);
    expect((await second.relayStatus(server.url))!.cursor).toBe(next.events[0]!.created_at);
  });

  it('a relay that is down shows error and keeps retrying without failing anything; it goes live once the relay is up', async () => {
    const url = await unusedRelayUrl();
    const app = await openApp(storePath(tempDir()));
    app.ops.discovery.start();
    await app.ok('relays.add', { url, read: true, write: false, subscribe: true });
    await until(async () => (await app.relayStatus(url))?.state === 'error', 'the error state');
    const down = (await app.relayStatus(url))!;
    expect(down.last_error).toMatch(/ECONNREFUSED|refused|connect/i);
    expect(down.retry_in_ms).toBeGreaterThanOrEqual(0);
    // Other operations are unaffected.
    expect((await app.ok('relays.list')).relays).toHaveLength(1);

    const server = await relay(Number(new URL(url).port));
    await until(async () => (await app.relayStatus(url))?.state === 'live', 'the retry to reach the relay', 30_000);
    expect((await app.relayStatus(url))!.last_error).toBe(down.last_error); // kept, to read what happened
    expect(server.url).toBe(url);

    // No keys and no anchors: any author, as import.relays. A new Nostr key narrows it and restarts the subscription.
    expect((await app.status()).authors).toEqual([]);
    const started = (await app.relayStatus(url))!.started_at;
    const key = await app.ok('keys.generate', { algorithm: 'nostr', label: 'Mine' });
    const after = await app.status();
    expect(after.authors).toEqual([key.public_key]);
    expect(after.relays).toEqual([expect.objectContaining({ relay: url, state: 'connecting', last_error: null })]);
    expect(after.relays[0]!.started_at >= started).toBe(true);
    await until(async () => (await app.relayStatus(url))?.state === 'live', 'the restarted subscription');
  });

  it('an uninitialised store has nothing to follow and is not created; stop is clean and final', async () => {
    const dbPath = path.join(tempDir(), 'never.db');
    const app = await openApp(dbPath, { init: false });
    app.ops.discovery.start();
    app.ops.discovery.sync();
    expect(app.ops.discovery.status()).toEqual({ running: true, authors: [], problem: null, relays: [] });
    expect(existsSync(dbPath)).toBe(false);
    await app.ops.discovery.stop();
    expect(app.ops.discovery.status().running).toBe(false);
    expect(existsSync(dbPath)).toBe(false);
  });
});
