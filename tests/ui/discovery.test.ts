// Live discovery in Chromium against the real operation table and a real relay: the Relays screen's "Follow live"
// switch and state badge, and a declaration published to the relay from outside appearing in the Declarations list
// (and a forged one in the quarantine) without a manual refresh.

import { npubEncode } from 'nostr-tools/nip19';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBatch } from '../../electron/relays/publisher';
import { startRealRelay, type RelayServer } from '../helpers/relay';
import { buildDeclaration, keys } from '../import/fixtures';
import { forgedWrapper } from '../discovery/helpers';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let relay: RelayServer;

beforeAll(async () => {
  relay = await startRealRelay();
  ({ harness, ui } = setup = await startAppUnderTest('discovery', { discovery: true }));
}, 60_000);

afterAll(async () => {
  await setup?.close();
  await relay?.close();
});

describe('live discovery (Chromium, real table, real relay)', () => {
  it('"Follow live" subscribes a relay and its badge shows the subscription going live', async () => {
    const { page, screenshot } = ui;
    await createStoreThroughUi(page, PASSPHRASE);
    // Whose declarations are followed: the issuer's and the wrapper's keys, pinned as anchors.
    for (const key of [keys.nostrIssuer, keys.nostrWrapper]) await callOk(harness, 'anchors.add', { npub: npubEncode(key.publicKeyHex) });

    await navigateTo(page, 'Relays');
    await page.getByLabel('Relay URL').fill(relay.url);
    await page.getByRole('button', { name: 'Add relay' }).click();
    const row = page.locator(`tr[data-relay="${relay.url}"]`);
    const toggle = row.getByRole('switch', { name: `Follow ${relay.url} live` });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    expect(await row.getByTestId('live-state').count()).toBe(0);

    await row.locator('label.switch').click();
    await row.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 20_000 });
    expect(await toggle.isChecked()).toBe(true);
    expect(await row.getByTestId('live-state').locator('.badge').textContent()).toBe('Live');
    const listed = (await callOk(harness, 'relays.list', {})) as { relays: { url: string; subscribe: boolean }[] };
    expect(listed.relays).toEqual([expect.objectContaining({ url: relay.url, subscribe: true })]);
    await screenshot('relays-follow-live');
  });

  it('a declaration published to the relay from outside appears in the list, a forged one in the quarantine, without a refresh', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Declarations');
    await page.getByRole('heading', { name: 'No declarations' }).waitFor();

    const declaration = buildDeclaration('nostr', { countersigned: false });
    const published = await publishBatch({ relays: [relay.url], events: declaration.events, deadlineMs: 10_000 });
    expect(published.outcomes.map((o) => o.state)).toEqual(['published']);
    const listItem = page.getByText(declaration.uuid);
    await listItem.waitFor({ timeout: 20_000 });
    const row = page.getByRole('row').filter({ hasText: declaration.uuid });
    expect(await row.getByText('Not local').count()).toBe(1);
    // An issuer this store does not know is named by its short npub, not a dash.
    expect((await row.locator('.col-issuer').textContent())!.trim()).toMatch(/^npub1[0-9a-z]{7}…[0-9a-z]{6}$/);
    await screenshot('declarations-discovered-live');

    await navigateTo(page, 'Import & verify');
    await page.getByRole('tab', { name: 'Quarantine' }).click();
    const forged = forgedWrapper(buildDeclaration('ed25519', { countersigned: false, later: 30 }).events[0]!);
    await publishBatch({ relays: [relay.url], events: [forged], deadlineMs: 10_000 });
    await page.getByRole('table', { name: 'Quarantine' }).getByText(`relay:${relay.url}`).waitFor({ timeout: 20_000 });

    // The counts on the Relays screen follow the imports.
    await navigateTo(page, 'Relays');
    const state = page.locator(`tr[data-relay="${relay.url}"]`).getByTestId('live-state');
    await state.getByText('1 verified · 1 quarantined').waitFor({ timeout: 20_000 });
    await screenshot('relays-after-imports');
  });

  it('a discovery import merges new rows in on top: the pages loaded further down and the row in view stay', async () => {
    const { page, screenshot } = ui;
    // More than two pages (the list loads 500 at a time, one page ahead of the view). An Ed25519 issuer leaves the
    // followed Nostr authors, and so the live subscription, as they are.
    const issuer = (await callOk(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Drafts issuer' })) as { id: string };
    for (let i = 0; i < 1_100; i++) {
      await callOk(harness, 'declarations.create', { type: 'privilege-grant', issuer: issuer.id, subject: issuer.id, content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' } });
    }
    await navigateTo(page, 'Keys');
    await navigateTo(page, 'Declarations');
    const count = page.getByTestId('declaration-count');
    await expect.poll(() => count.textContent()).toBe('1000 shown · more load as you scroll');

    // Scroll down (not so far that the third page is asked for) and note the first row in view.
    const viewport = page.getByTestId('vlist-viewport');
    await viewport.evaluate((element) => (element.scrollTop = 300 * 52));
    const rowAt = (index: number) => page.locator(`.vlist .vrow[aria-rowindex="${index + 2}"] .col-type .cell-sub`);
    await rowAt(300).waitFor();
    const inView = await rowAt(300).textContent();
    expect(await count.textContent()).toBe('1000 shown · more load as you scroll');
    await screenshot('declarations-deep-before-import');

    const declaration = buildDeclaration('nostr', { countersigned: false });
    const published = await publishBatch({ relays: [relay.url], events: declaration.events, deadlineMs: 10_000 });
    expect(published.outcomes.map((o) => o.state)).toEqual(['published']);
    // Merged, not reloaded: 1,000 loaded rows and the new one (a reload would show 1,000 again, from the top).
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toBe('1001 shown · more load as you scroll');
    // The row that was in view is still the first in view, one row further down the list.
    expect(await rowAt(301).textContent()).toBe(inView);
    expect(await viewport.evaluate((element) => element.scrollTop)).toBe(301 * 52);
    await screenshot('declarations-deep-after-import');

    // The new declaration is at the top.
    await viewport.evaluate((element) => (element.scrollTop = 0));
    await expect.poll(() => rowAt(0).textContent()).toBe(declaration.uuid);
    // And the list still pages on from where it was: scrolling to the end loads every row exactly once.
    await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toBe('1102 shown');
    const uuids = await page.evaluate(async () => {
      // Walk the whole list in the window and collect every row's uuid once.
      const element = document.querySelector('[data-testid="vlist-viewport"]') as HTMLElement;
      const seen = new Map<number, string>();
      for (let top = 0; top <= element.scrollHeight; top += element.clientHeight) {
        element.scrollTop = top;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        for (const row of document.querySelectorAll('.vlist .vrow[aria-rowindex]:not(.header)')) {
          seen.set(Number(row.getAttribute('aria-rowindex')), row.querySelector('.col-type .cell-sub')?.textContent ?? '');
        }
      }
      return [...seen.values()];
    });
    expect(uuids.length).toBe(1102);
    expect(new Set(uuids).size).toBe(1102);
    await navigateTo(page, 'Relays');
  });

  it('switching "Follow live" off stops following: the badge goes', async () => {
    const { page } = ui;
    const row = page.locator(`tr[data-relay="${relay.url}"]`);
    await row.locator('label.switch').click();
    await row.getByTestId('live-state').waitFor({ state: 'detached' });
    expect(await row.getByRole('switch').isChecked()).toBe(false);
    expect(((await callOk(harness, 'discovery.status', {})) as { relays: unknown[] }).relays).toEqual([]);
    expect(realProblems(ui.problems)).toEqual([]);
  });
});

function realProblems(problems: readonly string[]): string[] {
  return problems.filter((p) => !/status of 404/.test(p));
}
