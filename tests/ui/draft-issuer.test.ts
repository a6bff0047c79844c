// A Draft's issuer and subject are chosen again on its details screen, in Chromium against the real operation table.
// Deleting a key leaves the Drafts it issued without an issuer (ON DELETE SET NULL); before this, only the CLI could
// give them another. The screen says so plainly, Finalize says why it waits, and the issuer picker is the wizard's:
// only keys whose private key is in this store, never a watched one. A refusal from the store shows inside the editor.

import { npubEncode } from 'nostr-tools/nip19';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSigner } from '../helpers/events';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
const NO_ISSUER = 'No issuer: its key was deleted — choose one before finalizing.';

interface Key {
  id: string;
  canonical_name: string;
}

let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let deputy: Key;
let spareSubject: Key;
let draft: string;

async function openDetails(page: Page, uuid: string): Promise<void> {
  await page.evaluate((hash) => (window.location.hash = hash), `#/declarations/${uuid}`);
  await page.getByText(uuid, { exact: true }).first().waitFor();
}

function optionTexts(page: Page, selectLabel: string): Promise<string[]> {
  return page.getByLabel(selectLabel, { exact: true }).locator('option').allTextContents();
}

async function selectKey(page: Page, selectLabel: string, keyLabel: string): Promise<void> {
  const select = page.getByLabel(selectLabel, { exact: true });
  const value = await select.locator('option', { hasText: keyLabel }).first().getAttribute('value');
  expect(value).toBeTruthy();
  await select.selectOption(value!);
}

/** Toasts from earlier steps would cover the corner of a screenshot. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await close.count()) > 0) await close.first().click();
}

beforeAll(async () => {
  ({ harness, ui } = setup = await startAppUnderTest('draft-issuer'));
  await createStoreThroughUi(ui.page, PASSPHRASE);
  await callOk(harness, 'keys.generate', { algorithm: 'nostr', label: 'Head office key', role: 'master-admin' });
  const retired = await callOk<Key>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Retired key', role: 'operating-admin' });
  deputy = await callOk<Key>(harness, 'keys.generate', { algorithm: 'nostr', label: 'Deputy key', role: 'operating-admin' });
  const moderator = await callOk<Key>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Moderator key' });
  spareSubject = await callOk<Key>(harness, 'keys.generate', { algorithm: 'ed25519', label: 'Second moderator key' });
  // Another administrator's key, watched: it can be a subject but never an issuer, since this store cannot sign with it.
  await callOk(harness, 'keys.import', { data_text: npubEncode(makeSigner().pubkey), label: 'Branch office (watched)', role: 'operating-admin' });
  draft = (await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
    type: 'privilege-grant',
    issuer: retired.id,
    subject: moderator.id,
    content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
  })).declaration_uuid;
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

describe('Choosing a Draft’s issuer and subject on its details screen (Chromium)', () => {
  it('deleting the issuer key through the Keys screen leaves the Draft without an issuer', async () => {
    const { page } = ui;
    // The Keys screen read the list when the store was made, before the keys above: going back to it reads it again.
    await navigateTo(page, 'Declarations');
    await navigateTo(page, 'Keys');
    await page.getByRole('button', { name: 'Delete Retired key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Retired key”?' });
    await dialog.locator('.callout.warning').waitFor();
    await dialog.getByLabel(/Type Retired key to confirm/).fill('Retired key');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await callOk<{ issuer_keypair_uuid: string | null }>(harness, 'declarations.get', { uuid: draft })).toMatchObject({ issuer_keypair_uuid: null });
  });

  it('the Draft says plainly it has no issuer, and Finalize is held back with that reason rather than failing', async () => {
    const { page } = ui;
    await openDetails(page, draft);
    const banner = page.getByTestId('missing-issuer');
    expect((await banner.textContent())?.startsWith(NO_ISSUER)).toBe(true);
    const finalize = page.getByRole('button', { name: 'Finalize' });
    expect(await finalize.isDisabled()).toBe(true);
    const reason = await finalize.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${reason}"]`).textContent()).toBe(NO_ISSUER);
    expect(await page.getByRole('toolbar', { name: 'Declaration actions' }).textContent()).toContain('Finalize needs an issuer first.');
    expect(await page.locator('.summary-list dd').nth(2).textContent()).toBe('No issuer: its key was deleted');
  });

  it('Choose issuer opens the wizard’s picker: keys holding a private key, never the watched one; at 1024 and 1440 px it fits', async () => {
    const { page } = ui;
    await page.getByTestId('missing-issuer').getByRole('button', { name: 'Choose issuer' }).click();
    const editor = page.getByTestId('issuer-editor');
    await editor.waitFor();
    const offered = await optionTexts(page, 'Issuer key');
    expect(offered[0]).toBe('Choose a key');
    expect(offered.slice(1).map((text) => text.split(' — ')[0]).sort()).toEqual(['Deputy key', 'Head office key', 'Moderator key', 'Second moderator key']);
    expect(offered.join('\n')).not.toContain('Branch office (watched)');
    expect(await editor.getByRole('button', { name: 'Save issuer' }).isDisabled()).toBe(true);
    // Nothing to go back to: a Draft without an issuer must get one.
    expect(await editor.getByRole('button', { name: 'Cancel' }).count()).toBe(0);

    await selectKey(page, 'Issuer key', 'Deputy key');
    await dismissToasts(page);
    for (const viewport of [{ width: 1024, height: 768 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(viewport);
      const select = (await page.getByLabel('Issuer key', { exact: true }).boundingBox())!;
      const save = (await editor.getByRole('button', { name: 'Save issuer' }).boundingBox())!;
      expect(select.x + select.width).toBeLessThanOrEqual(viewport.width);
      expect(save.height).toBeLessThan(48);
      await page.screenshot({ path: `/tmp/draft-issuer-editor-${viewport.width}.png` });
    }
  });

  it('Save issuer stores the new key; the banner goes and Finalize can proceed', async () => {
    const { page } = ui;
    await page.getByTestId('issuer-editor').getByRole('button', { name: 'Save issuer' }).click();
    await page.getByText('Issuer chosen').waitFor();
    expect(await page.getByTestId('missing-issuer').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Finalize' }).isEnabled()).toBe(true);
    expect(await callOk<{ issuer_keypair_uuid: string | null }>(harness, 'declarations.get', { uuid: draft })).toMatchObject({ issuer_keypair_uuid: deputy.id });
    // The Issuer tab now shows the key, with the way to change it again.
    await page.getByRole('button', { name: 'Change issuer' }).waitFor();
    expect(await page.locator('.summary-list dd').first().textContent()).toBe('Deputy key');
  });

  it('the subject can be changed too; a public key the store refuses is reported inside the subject editor', async () => {
    const { page } = ui;
    await page.getByRole('tab', { name: 'Subject' }).click();
    await page.getByRole('button', { name: 'Change subject' }).click();
    const editor = page.getByTestId('subject-editor');
    await editor.getByRole('radio', { name: 'Paste a public key' }).click();
    await editor.getByLabel('Subject public key').fill('npub1notarealkey');
    await editor.getByRole('button', { name: 'Save subject' }).click();
    const refusal = editor.getByRole('alert');
    await refusal.waitFor();
    await dismissToasts(page);
    expect(await refusal.getAttribute('data-error-code')).toBeTruthy();
    await page.screenshot({ path: '/tmp/draft-subject-refused-1440.png' });

    await editor.getByRole('radio', { name: 'A key in this store' }).click();
    await selectKey(page, 'Subject key', 'Second moderator key');
    await editor.getByRole('button', { name: 'Save subject' }).click();
    await page.getByText('Subject changed').waitFor();
    expect(await callOk<{ target_keypair_uuid: string | null }>(harness, 'declarations.get', { uuid: draft })).toMatchObject({ target_keypair_uuid: spareSubject.id });
  });

  it('finalized and signed, the declaration’s signer is the newly chosen key', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Declaration finalized').waitFor();
    await page.getByRole('button', { name: 'Sign…' }).click();
    await page.getByRole('dialog', { name: 'Sign declaration' }).getByRole('button', { name: 'Sign' }).click();
    await page.getByText('Declaration signed').waitFor();
    const signed = await callOk<{ status: string; signing_keypair_uuid: string | null; signer: string | null }>(harness, 'declarations.get', { uuid: draft });
    expect(signed).toMatchObject({ status: 'Signed', signing_keypair_uuid: deputy.id, signer: deputy.canonical_name });
    await page.getByRole('tab', { name: 'Signatures & status' }).click();
    await page.getByText(deputy.canonical_name, { exact: true }).first().waitFor();
  });

  it('a revocation Draft explains that its subject follows its target instead of offering to change it', async () => {
    const { page } = ui;
    const revocation = (await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
      type: 'declaration-revoke',
      issuer: deputy.id,
      content: { content_schema_version: 1, target_declaration_uuid: draft, reason: 'moderator left' },
    })).declaration_uuid;
    await openDetails(page, revocation);
    await page.getByRole('tab', { name: 'Subject' }).click();
    await page.getByText('its subject follows that target').waitFor();
    expect(await page.getByRole('button', { name: 'Change subject' }).count()).toBe(0);
    expect(ui.problems).toEqual([]);
  });
});
