// The Relays screen in Chromium (real operation table, real relay that requires NIP-42 AUTH to read): a followed relay
// without a key shows the relay's reason and how to choose one; choosing this store's Nostr key in "Reads as" sets it
// (relays.list) and the subscription goes live; "No key" clears it. Needs a built renderer (scripts/build.mjs).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthRelay, type AuthRelay } from '../relays/auth-relay.mjs';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from '../ui/harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let relay: AuthRelay;

beforeAll(async () => {
  relay = await startAuthRelay({ challenge: 'on-connect' });
  ({ harness, ui } = setup = await startAppUnderTest('relay-auth', { discovery: true }));
}, 60_000);

afterAll(async () => {
  await setup?.close();
  await relay?.close();
});

describe('Relays screen: the key that answers NIP-42 AUTH when reading', () => {
  it('shows the missing key, sets one from the select (the relay goes live), clears it with "No key"', async () => {
    const { page, screenshot } = ui;
    await createStoreThroughUi(page, PASSPHRASE);
    const reader = await callOk<{ id: string; public_key: string }>(harness, 'keys.generate', { algorithm: 'nostr', label: 'Reader' });
    await callOk(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Not for AUTH' });
    await callOk(harness, 'relays.add', { url: relay.url, read: true, write: false, subscribe: true });

    await navigateTo(page, 'Relays');
    const row = page.locator(`tr[data-relay="${relay.url}"]`);
    await row.locator('[data-testid="live-state"][data-state="error"]').waitFor({ timeout: 20_000 });
    await row.getByText('no key is chosen to answer its NIP-42 AUTH', { exact: false }).waitFor();
    const select = row.getByLabel(`Key answering NIP-42 AUTH for ${relay.url}`);
    expect(await select.inputValue()).toBe('');
    // Only the store's Nostr keys that can sign are offered.
    expect(await select.locator('option').allTextContents()).toEqual(['No key (AUTH not answered)', 'Reader']);

    await select.selectOption({ label: 'Reader' });
    await row.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 20_000 });
    expect(await select.inputValue()).toBe(reader.id);
    const listed = await callOk<{ relays: { auth_key: { keypair_uuid: string } | null }[] }>(harness, 'relays.list', {});
    expect(listed.relays[0]?.auth_key?.keypair_uuid).toBe(reader.id);
    expect(relay.auths.some((auth) => auth.accepted && auth.event.pubkey === reader.public_key)).toBe(true);
    await screenshot('relays-reads-as');

    await select.selectOption({ label: 'No key (AUTH not answered)' });
    await row.locator('[data-testid="live-state"][data-state="error"]').waitFor({ timeout: 20_000 });
    expect(((await callOk<{ relays: { auth_key: unknown }[] }>(harness, 'relays.list', {})).relays[0])?.auth_key).toBeNull();
  });
});
