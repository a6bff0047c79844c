// NIP-65 on the Relays screen, in Chromium against the real operation table and a real relay: looking up the relay
// list of a watched administrator, adding a suggested relay with one click, and publishing our own list.

import { npubEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_LIST_KIND } from '../../electron/relays/nip65';
import { publishBatch } from '../../electron/relays/publisher';
import { makeSigner } from '../helpers/events';
import { startRealRelay, unusedRelayUrl, type RelayServer } from '../helpers/relay';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let relay: RelayServer;

beforeAll(async () => {
  relay = await startRealRelay();
  ({ harness, ui } = setup = await startAppUnderTest('relay-lists'));
}, 60_000);

afterAll(async () => {
  await setup?.close();
  await relay?.close();
});

describe('relay lists on the Relays screen (Chromium, real table, real relay)', () => {
  it("shows where a watched administrator writes and reads, adds a suggested relay for reading, and publishes our list", async () => {
    const { page, screenshot } = ui;
    const bob = makeSigner();
    // Bob writes to a relay that is not running here (so publishing to it cannot succeed) and reads on ours.
    const bobOutbox = await unusedRelayUrl();
    const published = await publishBatch({
      relays: [relay.url],
      events: [bob.sign({ kind: RELAY_LIST_KIND, created_at: Math.floor(Date.now() / 1000), tags: [['r', bobOutbox, 'write'], ['r', relay.url, 'read']], content: '' })],
      deadlineMs: 10_000,
    });
    expect(published.outcomes.map((o) => o.state)).toEqual(['published']);

    await createStoreThroughUi(page, PASSPHRASE);
    await callOk(harness, 'keys.generate', { algorithm: 'nostr', label: 'Alice' });
    await callOk(harness, 'keys.import', { data_text: npubEncode(bob.pubkey), label: 'Bob' });
    await callOk(harness, 'relays.add', { url: relay.url });
    await navigateTo(page, 'Relays');

    await page.getByRole('button', { name: 'Look up relay lists' }).click();
    const readFrom = page.getByTestId('suggest-read');
    const suggested = readFrom.locator(`tr[data-suggested="${bobOutbox}"]`);
    await suggested.waitFor();
    expect(await suggested.textContent()).toContain('Bob writes there');
    // Our relay is where Bob reads: suggested for publishing, and already listed.
    expect(await page.getByTestId('suggest-write').locator(`tr[data-suggested="${relay.url}"]`).getByText('Listed').count()).toBe(1);
    expect(await page.locator('.relay-list-authors li').filter({ hasText: 'Bob' }).textContent()).toContain('writes to 1, reads from 1 relay');
    expect(await page.locator('.relay-list-authors li').filter({ hasText: 'Alice' }).textContent()).toContain('(yours) no relay list found');
    await screenshot('relays-nip65-suggestions');

    await suggested.getByRole('button', { name: `Add ${bobOutbox} for reading` }).click();
    await page.locator(`tr[data-relay="${bobOutbox}"]`).waitFor();
    await suggested.getByText('Listed').waitFor();
    const listed = (await callOk(harness, 'relays.list', {})) as { relays: Array<{ url: string; read: boolean; write: boolean }> };
    expect(listed.relays.find((r) => r.url === bobOutbox)).toMatchObject({ read: true, write: false });

    await page.getByRole('button', { name: 'Publish my relay list' }).click();
    const result = page.getByTestId('relay-list-published');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.locator('.relay-list-outcome').filter({ hasText: relay.url }).locator('.badge').textContent()).toBe('published');
    expect(await result.locator('.relay-list-outcome').filter({ hasText: bobOutbox }).locator('.badge').textContent()).not.toBe('published');
    // What publishing showed is each relay's last error on the list: the refused connection, and nothing for ours.
    await expect
      .poll(() => page.locator(`tr[data-relay="${bobOutbox}"] .relay-error`).textContent())
      .toMatch(/^Last error: Publishing: could not connect: .*ECONNREFUSED/);
    expect(await page.locator(`tr[data-relay="${relay.url}"] .relay-error`).count()).toBe(0);
    await screenshot('relays-nip65-published');
  });
});
