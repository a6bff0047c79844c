// Live discovery on a relay that serves REQs to authenticated readers only (NIP-42), through the app's operations:
// without a key the relay's reason and how to choose a key show in discovery.status; choosing one restarts the
// follower, which authenticates, goes live and imports a declaration published afterwards.

import { npubEncode } from 'nostr-tools/nip19';
import { describe, expect, it } from 'vitest';
import { buildDeclaration, keys } from '../import/fixtures';
import { onCleanup, tempDir } from '../import/helpers';
import { READ_AUTH_REASON, startAuthRelay } from '../relays/auth-relay.mjs';
import { openApp, publish, storePath, until } from './helpers';

describe('discovery on a relay that requires AUTH to read', () => {
  it('reports the missing key, then authenticates with the chosen one, goes live and imports a new declaration', async () => {
    const relay = await startAuthRelay({ challenge: 'after-closed' });
    onCleanup(() => relay.close());
    const app = await openApp(storePath(tempDir()));
    const reader = await app.ok('keys.generate', { algorithm: 'nostr', label: 'Reader' });
    await app.ok('anchors.add', { npub: npubEncode(keys.nostrIssuer.publicKeyHex) });
    app.ops.discovery.start();

    await app.ok('relays.add', { url: relay.url, read: true, write: false, subscribe: true });
    await until(async () => (await app.relayStatus(relay.url))?.state === 'error', 'the subscription to fail');
    expect(await app.relayStatus(relay.url)).toMatchObject({
      state: 'error',
      last_error: `relay closed the subscription: ${READ_AUTH_REASON} (no key is chosen to answer its NIP-42 AUTH: choose one with "declsign relays update ${relay.url} --auth-key KEY" or the Relays screen)`,
    });
    expect(relay.auths).toEqual([]);

    // Choosing the key goes through the sync hook: the follower restarts at once with it.
    await app.ok('relays.update', { url: relay.url, auth_key: reader.id });
    await until(async () => (await app.relayStatus(relay.url))?.state === 'live', 'the subscription to go live');
    expect(relay.auths.length).toBeGreaterThanOrEqual(1);
    for (const { event, challenge, accepted } of relay.auths) {
      expect({ accepted, pubkey: event.pubkey, tags: event.tags }).toEqual({ accepted: true, pubkey: reader.public_key, tags: [['relay', relay.url], ['challenge', challenge]] });
    }

    const declaration = buildDeclaration('nostr', { countersigned: false });
    await publish(relay.url, declaration.events);
    await until(
      () => app.rows('SELECT 1 FROM admindeclarations WHERE declaration_uuid = ?', declaration.uuid).length === 1,
      'the new declaration to be imported',
    );
    expect(await app.relayStatus(relay.url)).toMatchObject({ state: 'live', counts: { verified: 1, quarantined: 0 } });
  });

  it('a refused AUTH shows both reasons and is not retried in a loop', async () => {
    const relay = await startAuthRelay({ challenge: 'on-connect', allowedPubkeys: [keys.nostrIssuer.publicKeyHex] });
    onCleanup(() => relay.close());
    const app = await openApp(storePath(tempDir()));
    const reader = await app.ok('keys.generate', { algorithm: 'nostr', label: 'Reader' });
    app.ops.discovery.start();
    await app.ok('relays.add', { url: relay.url, read: true, write: false, subscribe: true, auth_key: reader.id });
    await until(async () => (await app.relayStatus(relay.url))?.state === 'error', 'the subscription to fail');
    const status = await app.relayStatus(relay.url);
    expect(status?.last_error).toBe(
      `relay closed the subscription: ${READ_AUTH_REASON} (the relay refused our NIP-42 AUTH as ${npubEncode(reader.public_key)}: restricted: this key may not read here)`,
    );
    // One AUTH per connection, and the next connection waits for the reconnect backoff.
    expect(status?.retry_in_ms).not.toBeNull();
    expect(relay.auths.every((auth) => auth.event.pubkey === reader.public_key && !auth.accepted)).toBe(true);
  });
});
