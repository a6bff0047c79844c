// One wording rule for destructive buttons, in Chromium against the real operation table: "Remove…" takes an entry
// off a list and leaves the thing itself alone (a relay, a trust anchor); "Delete…" erases something from this store
// (a key). Both open a confirmation first (hence the ellipsis) whose title uses the same verb and whose text says what
// happens: a removed relay's unfinished sends are dropped, an unpinned anchor's key stays on the Keys screen, a
// deleted key's unsigned declarations (Drafts, Finalized) lose their issuer, counted, and nothing is said of them
// for a key that issues none.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedRelayUrl } from '../helpers/relay';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let downRelay: string;
let branchDrafts: string[];
let branchFinalized: string;

/** The visible words of every danger button on the screen. */
function dangerButtonTexts(page: Page): Promise<string[]> {
  return page.locator('main .button.danger-text').evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim() ?? ''));
}

beforeAll(async () => {
  downRelay = await unusedRelayUrl();
  ({ harness, ui } = setup = await startAppUnderTest('remove-delete'));
  await createStoreThroughUi(ui.page, PASSPHRASE);
  const master = await callOk<{ id: string; fingerprint: string }>(harness, 'keys.generate', { algorithm: 'nostr', label: 'Head office key', role: 'master-admin' });
  await callOk(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Spare key' });
  // The issuer of two Drafts and one Finalized declaration: deleting it leaves all three without an issuer.
  const branch = await callOk<{ id: string }>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Branch key', role: 'operating-admin' });
  const unsigned: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
      type: 'privilege-grant',
      issuer: branch.id,
      subject: master.id,
      content: { content_schema_version: 1, permissions: ['moderate'], scope: `branch-${i}` },
    });
    unsigned.push(created.declaration_uuid);
  }
  [branchFinalized] = unsigned.slice(2) as [string];
  branchDrafts = unsigned.slice(0, 2);
  await callOk(harness, 'declarations.finalize', { uuid: branchFinalized });
  await callOk(harness, 'anchors.add', { fingerprint: master.fingerprint, label: 'Head office' });
  const draft = await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
    type: 'privilege-grant',
    issuer: master.id,
    subject: master.id,
    content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
  });
  await callOk(harness, 'declarations.finalize', { uuid: draft.declaration_uuid });
  await callOk(harness, 'declarations.sign', { uuid: draft.declaration_uuid });
  // A relay that is down: the publish leaves a send retrying there, which removing the relay drops.
  await callOk(harness, 'relays.add', { url: downRelay });
  await callOk(harness, 'publish.start', { uuid: draft.declaration_uuid });
  await ui.page.reload();
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

describe('"Remove…" takes off a list, "Delete…" erases, each confirmed (Chromium)', () => {
  it('Relays: Remove… asks first, says unfinished sends are dropped, and Cancel keeps the relay', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Relays');
    await page.locator(`tr[data-relay="${downRelay}"]`).waitFor();
    expect(await dangerButtonTexts(page)).toEqual(['Remove…']);

    await page.getByRole('button', { name: `Remove ${downRelay}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove relay “${downRelay}”?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Sends still waiting for it (pending or retrying) are dropped');
    await screenshot('relays-remove-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator(`tr[data-relay="${downRelay}"]`).count()).toBe(1);

    await page.getByRole('button', { name: `Remove ${downRelay}` }).click();
    await dialog.getByRole('button', { name: 'Remove relay' }).click();
    await page.getByText(`${downRelay} · 1 unfinished send dropped`).waitFor();
    await page.getByRole('heading', { name: 'No relays configured' }).waitFor();
  });

  it('Anchors: Remove… asks first and says the key stays on the Keys screen', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Anchors');
    await page.locator('.anchor-card').waitFor();
    expect(await dangerButtonTexts(page)).toEqual(['Remove…']);
    await page.getByRole('button', { name: 'Remove anchor Head office' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove anchor “Head office”?' });
    expect(await dialog.textContent()).toContain('Only the pin goes: the key “Head office key” stays on the Keys screen.');
    await screenshot('anchors-remove-confirm');
    await dialog.getByRole('button', { name: 'Remove anchor' }).click();
    await page.getByRole('heading', { name: 'No trust anchors' }).waitFor();
  });

  it('Keys: Delete… asks first, says the private key is erased for good, and nothing of declarations it issues none of', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Keys');
    await page.locator('table[aria-label="Keys"] tbody tr').nth(2).waitFor();
    expect(await dangerButtonTexts(page)).toEqual(['Delete…', 'Delete…', 'Delete…']);
    await page.getByRole('button', { name: 'Delete Spare key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Spare key”?' });
    expect(await dialog.textContent()).toContain('It is erased for good');
    await dialog.getByLabel(/Type Spare key to confirm/).fill('Spare key');
    // Delete waits for the count read when the dialog opens: once it can be pressed, the dialog says all it will.
    await expect.poll(() => dialog.getByRole('button', { name: 'Delete key' }).isEnabled()).toBe(true);
    expect(await dialog.textContent()).not.toMatch(/Draft|Finalized|issuer/);
    await screenshot('keys-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => page.locator('table[aria-label="Keys"] tbody tr').count()).toBe(2);
  });

  it('Keys: deleting the issuer of unsigned declarations says how many lose their issuer, and they do', async () => {
    const { page, screenshot } = ui;
    await page.getByRole('button', { name: 'Delete Branch key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Branch key”?' });
    const warning = dialog.locator('.callout.warning');
    await warning.waitFor();
    expect(await warning.textContent()).toBe(
      '2 Drafts name this key as their issuer and lose it: choose another issuer before finalizing them. ' +
        '1 Finalized declaration waiting for this key’s signature can then no longer be signed.',
    );
    await dialog.getByLabel(/Type Branch key to confirm/).fill('Branch key');
    await screenshot('keys-delete-confirm-issuer');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => page.locator('table[aria-label="Keys"] tbody tr').count()).toBe(1);
    for (const uuid of [...branchDrafts, branchFinalized]) {
      expect(await callOk<{ issuer_keypair_uuid: string | null }>(harness, 'declarations.get', { uuid })).toMatchObject({ issuer_keypair_uuid: null });
    }
  });
});
