// Backing out of an unsigned declaration on its details screen, in Chromium against the real operation table:
// "Back to draft" (Finalized only) makes it editable again without asking, since nothing is lost; "Discard…" (Draft or
// Finalized) follows the wording rule of tests/ui/remove-delete.test.ts — it erases, so it is a danger button that
// confirms first, naming the declaration and saying it was never signed or published — then returns to the list with
// a toast. A declaration that another one names is refused inside the dialog, with links to those that name it.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let finalized: string;
let referenced: string;
let revocation: string;

async function openDetails(page: Page, uuid: string): Promise<void> {
  await page.evaluate((hash) => (window.location.hash = hash), `#/declarations/${uuid}`);
  await page.getByText(uuid, { exact: true }).first().waitFor();
}

function toolbarButtons(page: Page): Promise<string[]> {
  return page.getByRole('toolbar', { name: 'Declaration actions' }).locator('button').evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim() ?? ''));
}

beforeAll(async () => {
  ({ harness, ui } = setup = await startAppUnderTest('discard-reopen'));
  await createStoreThroughUi(ui.page, PASSPHRASE);
  const issuer = await callOk<{ id: string }>(harness, 'keys.generate', { algorithm: 'nostr', label: 'Head office key', role: 'master-admin' });
  const subject = await callOk<{ id: string }>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Moderator key' });
  const create = async () =>
    (await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
      type: 'privilege-grant',
      issuer: issuer.id,
      subject: subject.id,
      content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
    })).declaration_uuid;
  finalized = await create();
  await callOk(harness, 'declarations.finalize', { uuid: finalized });
  referenced = await create();
  revocation = (await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', { type: 'declaration-revoke', issuer: issuer.id, content: { target_declaration_uuid: referenced, reason: 'typo' } })).declaration_uuid;
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

describe('Back to draft and Discard… on the details screen (Chromium)', () => {
  it('a Finalized declaration offers Sign…, Back to draft and Discard…; at 1024 and 1440 px the toolbar holds them whole', async () => {
    const { page, screenshot } = ui;
    for (const viewport of [{ width: 1024, height: 768 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(viewport);
      await openDetails(page, finalized);
      expect(await toolbarButtons(page)).toEqual(['Sign…', 'Back to draft', 'Discard…']);
      expect(await page.locator('main .button.danger-text').evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim()))).toEqual(['Discard…']);
      // Each button on one line, inside the window.
      for (const name of ['Sign…', 'Back to draft', 'Discard…']) {
        const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
        expect(box.height, name).toBeLessThan(48);
        expect(box.x + box.width, name).toBeLessThanOrEqual(viewport.width);
      }
      await screenshot(`discard-reopen-finalized-${viewport.width}`);
    }
  });

  it('Back to draft: no question asked, a toast, and the Draft actions and edits are back', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Back to draft' }).click();
    await page.getByText('Back to draft: it can be edited again').waitFor();
    expect(await toolbarButtons(page)).toEqual(['Finalize', 'Discard…']);
    await page.getByRole('tab', { name: 'Content' }).click();
    await page.getByRole('button', { name: 'Edit content' }).waitFor();
    expect(await callOk<{ status: string }>(harness, 'declarations.get', { uuid: finalized })).toMatchObject({ status: 'Draft' });
  });

  it('Discard…: the dialog names the declaration and says it is erased and was never signed; Cancel keeps it, confirming returns to the list', async () => {
    const { page, screenshot } = ui;
    await page.getByRole('button', { name: 'Discard…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this Draft?' });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain(finalized);
    expect(text).toContain('Privilege grant');
    expect(text).toContain('It is erased from this store. It was never signed or published');
    await screenshot('discard-reopen-dialog-1440');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot('discard-reopen-dialog-1024');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await callOk<{ status: string }>(harness, 'declarations.get', { uuid: finalized })).toMatchObject({ status: 'Draft' });

    await page.getByRole('button', { name: 'Discard…' }).click();
    await dialog.getByRole('button', { name: 'Discard declaration' }).click();
    await page.getByText('Declaration discarded').waitFor();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/declarations');
    await screenshot('discard-reopen-after-1024');
    // Three were made; the list shows the two left.
    await expect.poll(() => page.getByTestId('declaration-count').textContent()).toMatch(/^2 shown/);
    const gone = await harness.server.call('declarations.get', { uuid: finalized });
    expect(gone.ok ? 'still there' : gone.error.code).toBe('not_found');
  });

  it('a Draft that a revocation names is refused inside the dialog, which links to the revocation; nothing is erased', async () => {
    const { page, screenshot } = ui;
    await page.setViewportSize({ width: 1440, height: 900 });
    await openDetails(page, referenced);
    await page.getByRole('button', { name: 'Discard…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this Draft?' });
    await dialog.getByRole('button', { name: 'Discard declaration' }).click();
    await dialog.locator('[data-error-code="referenced_by_declarations"]').waitFor();
    const link = dialog.getByRole('list', { name: 'Declarations that name it' }).getByRole('link', { name: revocation });
    expect(await link.getAttribute('href')).toBe(`#/declarations/${revocation}`);
    await screenshot('discard-reopen-refused-1440');
    await link.click();
    await page.getByRole('heading', { name: 'Declaration revocation' }).waitFor();
    expect(await callOk<{ status: string }>(harness, 'declarations.get', { uuid: referenced })).toMatchObject({ status: 'Draft' });
  });
});
