// Every screen at 1024 × 768, filled with realistic data (keys of every algorithm with long labels, a signed
// declaration, a relay with an error, an anchor, a verification report): the page itself never scrolls sideways.
// A wide table may scroll inside its own panel; the window and the main column must not.

import { npubEncode } from 'nostr-tools/nip19';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSigner } from '../helpers/events';
import { unusedRelayUrl } from '../helpers/relay';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let declarationUuid: string;
let bundleText: string;

/**
 * What scrolls sideways at page level: the document, or the main column (the app's page scroller). Each entry names
 * the scroller with its widths and the elements sticking out furthest past the window, so a failure says where to look.
 */
function pageLevelOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const scrollers = [document.scrollingElement, document.querySelector('main.main')].filter((el): el is Element => el !== null);
    const found: string[] = [];
    for (const scroller of scrollers) {
      if (scroller.scrollWidth <= scroller.clientWidth) continue;
      const right = scroller.getBoundingClientRect().left + scroller.clientWidth;
      const culprits = [...scroller.querySelectorAll('*')]
        .map((el) => ({ el, over: el.getBoundingClientRect().right - right }))
        .filter(({ over }) => over > 1)
        .sort((a, b) => b.over - a.over)
        .slice(0, 3)
        .map(({ el, over }) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} +${Math.round(over)}px`);
      found.push(`${scroller.tagName.toLowerCase()}: ${scroller.scrollWidth} > ${scroller.clientWidth} (${culprits.join(', ')})`);
    }
    return found;
  });
}

beforeAll(async () => {
  ({ harness, ui } = setup = await startAppUnderTest('layout-1024', { viewport: { width: 1024, height: 768 } }));
  await createStoreThroughUi(ui.page, PASSPHRASE);
  const issuer = await callOk<{ id: string; fingerprint: string }>(harness, 'keys.generate', {
    algorithm: 'nostr',
    label: 'Regional operations signing key (primary)',
    role: 'master-admin',
  });
  const subject = await callOk<{ id: string }>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Moderation team Ed25519 key', role: 'authorized-admin' });
  await callOk(harness, 'keys.generate', { algorithm: 'ml-dsa-65', label: 'Post-quantum archive signing key', role: 'operating-admin' });
  await callOk(harness, 'keys.generate', { algorithm: 'rsa', label: 'Legacy RSA key for the old portal', rsa_bits: 2048 });
  await callOk(harness, 'keys.generate', { algorithm: 'nostr', label: 'Relay login key', role: 'authorized-admin' });
  // Another administrator's key, watched: with six keys the page also scrolls down, and its scrollbar takes width.
  await callOk(harness, 'keys.import', { data_text: npubEncode(makeSigner().pubkey), label: 'Branch office administrator (watched)', role: 'operating-admin' });
  await callOk(harness, 'anchors.add', { fingerprint: issuer.fingerprint, label: 'Head office master key' });
  const draft = await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
    type: 'trust-declaration',
    issuer: issuer.id,
    subject: subject.id,
    content: { content_schema_version: 1, trust_level: 'authorized-admin', permissions: ['moderate'], scope: '*' },
  });
  declarationUuid = draft.declaration_uuid;
  await callOk(harness, 'declarations.finalize', { uuid: declarationUuid });
  await callOk(harness, 'declarations.sign', { uuid: declarationUuid });
  bundleText = JSON.stringify(await callOk(harness, 'declarations.export', { uuid: declarationUuid }));
  // A relay that is down: its Info lookup fails and leaves a last error on the Relays screen.
  const down = await unusedRelayUrl();
  await callOk(harness, 'relays.add', { url: down });
  await harness.server.call('relays.info', { url: down, refresh: true });
  // The Keys screen was open (empty) while the store was filled behind its back.
  await ui.page.reload();
}, 120_000);

afterAll(async () => {
  await setup?.close();
});

describe('no page-level sideways scrolling at 1024 × 768 (Chromium)', () => {
  const screens: Array<{ name: string; hash: () => string; ready: (page: Page) => Promise<unknown> }> = [
    { name: 'keys', hash: () => '#/keys', ready: (page) => page.locator('table[aria-label="Keys"] tbody tr').nth(5).waitFor() },
    { name: 'declarations', hash: () => '#/declarations', ready: (page) => page.getByRole('grid', { name: 'Declarations' }).locator('.vrow').nth(1).waitFor() },
    { name: 'declaration-new', hash: () => '#/declarations/new', ready: (page) => page.getByLabel('Issuer key', { exact: true }).waitFor() },
    { name: 'declaration-details', hash: () => `#/declarations/${declarationUuid}`, ready: (page) => page.getByRole('tablist', { name: 'Declaration details' }).waitFor() },
    { name: 'publish', hash: () => `#/publish/${declarationUuid}`, ready: (page) => page.getByRole('region', { name: 'Relays to publish to' }).waitFor() },
    { name: 'import', hash: () => '#/import', ready: (page) => page.getByLabel(/Bundle, event, JSON array or JSON Lines/).waitFor() },
    { name: 'relays', hash: () => '#/relays', ready: (page) => page.locator('tr[data-relay] .relay-error').waitFor() },
    { name: 'anchors', hash: () => '#/anchors', ready: (page) => page.locator('.anchor-card').waitFor() },
    { name: 'audit', hash: () => '#/audit', ready: (page) => page.getByRole('table', { name: 'Audit log' }).waitFor() },
  ];

  for (const screen of screens) {
    it(`${screen.name}`, async () => {
      const { page, screenshot } = ui;
      await page.goto(`${harness.server.origin}/${screen.hash()}`);
      await screen.ready(page);
      await screenshot(`layout-1024-${screen.name}`);
      expect(await pageLevelOverflow(page)).toEqual([]);
    });
  }

  it('import with a verification report', async () => {
    const { page, screenshot } = ui;
    await page.goto(`${harness.server.origin}/#/import`);
    const input = page.getByLabel(/Bundle, event, JSON array or JSON Lines/);
    await input.fill(bundleText);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('verify-summary').waitFor();
    expect(await pageLevelOverflow(page)).toEqual([]);
    await screenshot('layout-1024-verify-report');
  });
});
