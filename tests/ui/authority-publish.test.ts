// The authority, publishing and import screens in Chromium against the real operation table: pin an anchor, build a
// Master → Operating → Authorized chain and see it drawn (and a refused one with its rule), revoke and update through
// Drafts, publish to a real local relay and a relay that is down, import a foreign bundle and quarantine a tampered
// one, and unlock with the OS keychain (an AES-GCM sealer stands in for Electron's safeStorage, which cannot run here).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppOperations } from '../../electron/ipc/app-operations';
import { createDispatcher } from '../../electron/ipc/dispatch';
import { ProgressHub } from '../../electron/ipc/progress';
import type { RootKeySealer } from '../../electron/store/vault';
import { startRealRelay, unusedRelayUrl, type RelayServer } from '../helpers/relay';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
let setup: AppUnderTest;
let dir: string;
let harness: UiHarness;
let ui: AppPage;
let relay: RelayServer;
let downRelay: string;

/** Stands in for the OS keychain: seals the root key with a key only this process holds. */
function testSealer(): RootKeySealer {
  const key = randomBytes(32);
  return {
    seal(rootKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(rootKey), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
    },
    open(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]));
    },
  };
}

function realProblems(problems: readonly string[]): string[] {
  return problems.filter((p) => !/status of 404/.test(p));
}

async function selectKey(page: Page, selectLabel: string, keyLabel: string): Promise<void> {
  const select = page.getByLabel(selectLabel, { exact: true });
  const value = await select.locator('option', { hasText: keyLabel }).first().getAttribute('value');
  expect(value).toBeTruthy();
  await select.selectOption(value!);
}

async function generateKey(page: Page, label: string, role: string): Promise<void> {
  await page.getByRole('button', { name: 'Generate key' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Generate a key' });
  await dialog.getByLabel('Label').fill(label);
  await dialog.getByRole('radio', { name: /^Nostr/ }).check();
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('row', { name: new RegExp(label) }).waitFor();
}

async function statusOf(page: Page): Promise<string> {
  return (await page.locator('.details-header .badge').first().textContent()) ?? '';
}

/** Finalizes and signs the declaration on screen. */
async function finalizeAndSign(page: Page): Promise<void> {
  if ((await statusOf(page)) === 'Draft') {
    await page.getByRole('button', { name: 'Finalize' }).click();
    await expect.poll(() => statusOf(page)).toBe('Finalized');
  }
  await page.getByRole('button', { name: 'Sign…' }).click();
  await page.getByRole('dialog', { name: 'Sign declaration' }).getByRole('button', { name: 'Sign' }).click();
  await expect.poll(() => statusOf(page)).toBe('Signed');
}

/** A trust declaration through the wizard (content as raw JSON), finalized and signed; returns its uuid. */
async function createSigned(page: Page, issuer: string, subject: string, content: object): Promise<string> {
  await page.goto(`${harness.server.origin}/#/declarations/new`);
  await selectKey(page, 'Issuer key', issuer);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Valid from (UTC)').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await selectKey(page, 'Subject key', subject);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Declaration type').selectOption('trust-declaration');
  await page.getByRole('radio', { name: 'Raw JSON' }).click();
  await page.getByLabel('Content (JSON object)').fill(JSON.stringify({ content_schema_version: 1, ...content }));
  await page.getByTestId('content-problems').getByText(/looks complete/).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Create and finalize' }).click();
  await page.waitForURL(/#\/declarations\/[0-9a-f-]{36}$/);
  await page.getByRole('tablist', { name: 'Declaration details' }).waitFor();
  const uuid = decodeURIComponent(page.url().split('/').pop()!);
  await finalizeAndSign(page);
  return uuid;
}

async function openAuthority(page: Page, uuid: string): Promise<void> {
  await page.goto(`${harness.server.origin}/#/declarations/${uuid}`);
  await page.getByRole('tab', { name: 'Authority' }).click();
  await page.getByTestId('authority-verdict').or(page.locator('[data-state="authority-not-evaluated"]')).first().waitFor();
}

/** A signed declaration exported from another administrator's store (its own keys, its own database). */
async function foreignBundle(): Promise<string> {
  const progress = new ProgressHub();
  const other = createAppOperations({ dbPath: path.join(dir, 'other.db'), progress, scrypt: { N: 1024, r: 8, p: 1 } });
  const dispatcher = createDispatcher(other.table, other.makeContext, () => {});
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const result = await dispatcher.call(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  try {
    await call('store.init', { passphrase: PASSPHRASE });
    const carol = await call<{ id: string }>('keys.generate', { algorithm: 'nostr', label: 'Carol root', role: 'master-admin' });
    const dave = await call<{ id: string }>('keys.generate', { algorithm: 'nostr', label: 'Dave', role: 'authorized-admin' });
    const draft = await call<{ declaration_uuid: string }>('declarations.create', {
      type: 'trust-declaration',
      issuer: carol.id,
      subject: dave.id,
      content: { content_schema_version: 1, trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['forum'] } },
    });
    await call('declarations.finalize', { uuid: draft.declaration_uuid });
    await call('declarations.sign', { uuid: draft.declaration_uuid });
    return JSON.stringify(await call('declarations.export', { uuid: draft.declaration_uuid }), null, 2);
  } finally {
    await other.close();
  }
}

beforeAll(async () => {
  relay = await startRealRelay();
  downRelay = await unusedRelayUrl();
  ({ harness, ui, dir } = setup = await startAppUnderTest('authority', { sealer: testSealer() }));
}, 60_000);

afterAll(async () => {
  await setup?.close();
  await relay?.close();
});

describe('authority, publishing and import screens (Chromium, real table, real relay)', () => {
  let operating: string;
  let authorized: string;
  let exceeding: string;

  it('creates the store and three Nostr keys, and says authority is not evaluated before an anchor is pinned', async () => {
    const { page, screenshot } = ui;
    await createStoreThroughUi(page, PASSPHRASE);
    await generateKey(page, 'Master key', 'master-admin');
    await generateKey(page, 'Operating key', 'operating-admin');
    await generateKey(page, 'Authorized key', 'authorized-admin');

    operating = await createSigned(page, 'Master key', 'Operating key', { trust_level: 'operating-admin', permissions: ['grant-privileges', 'revoke', 'moderate'], scope: { namespaces: ['games'] } });
    await openAuthority(page, operating);
    const notice = page.locator('[data-state="authority-not-evaluated"]');
    expect(await notice.textContent()).toContain('no trust anchors pinned');
    expect(await notice.getByRole('link').getAttribute('href')).toBe('#/anchors');
    await screenshot('authority-not-evaluated');
  });

  it('pins the Master key as an anchor by the fingerprint of a known key, with its fingerprint in groups of four', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Anchors');
    await page.getByRole('heading', { name: 'No trust anchors' }).waitFor();
    expect(await page.getByText('does not pin it').count()).toBe(1);
    await page.getByRole('radio', { name: 'Fingerprint of a known key' }).click();
    await page.getByRole('button', { name: 'Master key', exact: true }).click();
    await page.getByLabel('Name').fill('Org root');
    await screenshot('anchors-pin-form');
    await page.getByRole('button', { name: 'Pin anchor' }).click();
    const card = page.locator('.anchor-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('Org root');
    expect(await card.textContent()).toContain('In this store: Master key');
    expect(await card.locator('.fingerprint span').count()).toBe(16);
    await screenshot('anchors-list');

    // Pinning by npub of an unknown key, then removing it with confirmation.
    await page.getByRole('radio', { name: 'npub' }).click();
    await page.getByLabel('npub', { exact: true }).fill('npub1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq');
    await page.getByRole('button', { name: 'Pin anchor' }).click();
    await page.locator('.banner').first().waitFor();
    expect(await card.count()).toBe(1);
  });

  it('draws the chain anchor → delegation → signer, and marks the refused link with its rule', async () => {
    const { page, screenshot } = ui;
    authorized = await createSigned(page, 'Operating key', 'Authorized key', { trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games'] } });
    await openAuthority(page, authorized);
    const verdict = page.getByTestId('authority-verdict');
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    const chain = page.getByRole('list', { name: 'Authority chain' });
    const nodes = chain.locator('.chain-node');
    // Anchor (Master) → Signer (Operating) → this declaration.
    expect(await nodes.count()).toBe(3);
    expect(await nodes.nth(0).textContent()).toContain('Master key');
    expect(await nodes.nth(0).textContent()).toContain('Pinned anchor');
    expect(await nodes.nth(1).textContent()).toContain('Operating key');
    expect(await nodes.nth(1).textContent()).toContain('Operating Admin');
    expect(await chain.locator('.chain-edge').first().textContent()).toContain(operating);
    await screenshot('authority-chain-ok');

    exceeding = await createSigned(page, 'Operating key', 'Authorized key', { trust_level: 'authorized-admin', permissions: ['moderate'], scope: '*' });
    await openAuthority(page, exceeding);
    expect(await page.getByTestId('authority-verdict').getAttribute('data-ok')).toBe('false');
    const failure = page.locator('.chain-edge.failed .chain-failure');
    expect(await failure.count()).toBe(1);
    expect(await failure.getAttribute('data-rule')).toBe('exceeds_delegated_scope');
    expect((await failure.textContent())!.length).toBeGreaterThan('exceeds_delegated_scope'.length + 10);
    await screenshot('authority-chain-refused');
  });

  it('revokes through a declaration-revoke Draft and marks the target revoked in details and list', async () => {
    const { page, screenshot } = ui;
    await page.goto(`${harness.server.origin}/#/declarations/${exceeding}`);
    await page.getByRole('button', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke declaration' });
    // The issuer, held here, is proposed.
    expect(await dialog.getByLabel('Revoke as').locator('option:checked').textContent()).toContain('Operating key');
    await dialog.getByLabel('Reason').fill('granted beyond its scope');
    await screenshot('revoke-dialog');
    await dialog.getByRole('button', { name: 'Create revocation Draft' }).click();
    await page.waitForURL((url) => !url.hash.endsWith(exceeding));
    await page.getByRole('tablist', { name: 'Declaration details' }).waitFor();
    expect(await page.locator('.details-header h2').textContent()).toBe('Declaration revocation');
    await page.getByRole('tab', { name: 'Content' }).click();
    expect(JSON.parse((await page.getByTestId('content-json').textContent())!)).toEqual({ content_schema_version: 1, target_declaration_uuid: exceeding, reason: 'granted beyond its scope' });
    const revocation = decodeURIComponent(page.url().split('/').pop()!);
    await finalizeAndSign(page);

    await page.goto(`${harness.server.origin}/#/declarations/${exceeding}`);
    const banner = page.getByTestId('revoked-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(revocation);
    expect(await page.getByRole('button', { name: 'Revoke…' }).count()).toBe(0);
    await screenshot('details-revoked');
    await page.goto(`${harness.server.origin}/#/declarations`);
    const row = page.locator('.vrow', { hasText: exceeding });
    await row.waitFor();
    expect(await row.locator('.badge', { hasText: 'Revoked' }).count()).toBe(1);
    // The Subject column names the local key.
    expect(await row.locator('.col-subject').textContent()).toContain('Authorized key');
    await screenshot('declarations-list-revoked');
  });

  it('updates through a declaration-update Draft prefilled from the original, and marks the original superseded', async () => {
    const { page, screenshot } = ui;
    await page.goto(`${harness.server.origin}/#/declarations/${authorized}`);
    await page.getByRole('button', { name: 'Update…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Update declaration' });
    const json = dialog.getByLabel('Content (JSON object)');
    expect(JSON.parse(await json.inputValue())).toMatchObject({ trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games'] } });
    await json.fill(JSON.stringify({ content_schema_version: 1, trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games/chess'] } }));
    await dialog.getByLabel('Reason').fill('narrowed to chess');
    await screenshot('update-dialog');
    await dialog.getByRole('button', { name: 'Create update Draft' }).click();
    await page.waitForURL((url) => !url.hash.endsWith(authorized));
    await page.getByRole('tablist', { name: 'Declaration details' }).waitFor();
    expect(await page.locator('.details-header h2').textContent()).toBe('Declaration update');
    const update = decodeURIComponent(page.url().split('/').pop()!);
    await finalizeAndSign(page);

    await page.goto(`${harness.server.origin}/#/declarations/${authorized}`);
    const banner = page.getByTestId('superseded-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(update);
    // The header says it too, next to the status, as the list does.
    expect(await page.locator('.details-header a.link-badge', { hasText: 'Superseded' }).getAttribute('data-superseded-by')).toBe(update);
    // The old version is not the one to change: the update is.
    expect(await page.getByRole('button', { name: 'Update…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke…' }).count()).toBe(0);
    await page.goto(`${harness.server.origin}/#/declarations/${update}`);
    await page.getByRole('button', { name: 'Revoke…' }).waitFor();
    await page.goto(`${harness.server.origin}/#/declarations/${authorized}`);
    await banner.waitFor();
    await screenshot('details-superseded');

    // The list marks the old version, names the update in the badge's title, and the badge opens the update
    // (not the row's own declaration).
    await page.goto(`${harness.server.origin}/#/declarations`);
    const row = page.locator('.vrow', { hasText: authorized });
    await row.waitFor();
    const badge = row.locator('a.link-badge', { hasText: 'Superseded' });
    expect(await badge.getAttribute('data-superseded-by')).toBe(update);
    expect(await badge.getAttribute('title')).toContain(update.slice(0, 8));
    expect(await badge.getAttribute('class')).toContain('neutral');
    // The update itself is current, and the other declarations are not marked.
    expect(await page.locator('.vrow', { hasText: update }).locator('a.link-badge').count()).toBe(0);
    expect(await page.locator('.vrow a.link-badge').count()).toBe(1);
    await screenshot('declarations-list-superseded');
    await screenshot('declarations-list-superseded');
    await badge.click();
    await page.waitForURL((url) => url.hash === `#/declarations/${update}`);
    expect(await page.locator('.details-header h2').textContent()).toBe('Declaration update');
  });

  it('names event authors by label (a key of this store) with the full npub to copy, never as hex', async () => {
    const { page, screenshot } = ui;
    const { keys } = await callOk<{ keys: { label: string; canonical_name: string; public_key: string }[] }>(harness, 'keys.list', {});
    const operatingKey = keys.find((k) => k.label === 'Operating key')!;
    await page.goto(`${harness.server.origin}/#/declarations/${authorized}`);
    await page.getByRole('tab', { name: 'Signatures & status' }).click();
    const events = page.getByRole('table', { name: 'Nostr events' });
    const author = events.locator('tbody tr').first().locator('.nostr-author');
    await author.waitFor();
    expect(await author.locator('.cell-title').textContent()).toBe('Operating key');
    expect(await author.getAttribute('data-npub')).toBe(operatingKey.canonical_name);
    expect(await author.getAttribute('title')).toBe(operatingKey.canonical_name);
    expect(await author.locator('.cell-sub').textContent()).toMatch(/^npub1[0-9a-z]{7}…[0-9a-z]{6}$/);
    expect(await events.textContent()).not.toContain(operatingKey.public_key);
    // The event id whole, as a relay is asked for it.
    expect((await events.locator('tbody tr').first().locator('td.event-id').textContent())!).toMatch(/^[0-9a-f]{64}$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.server.origin });
    await author.getByRole('button', { name: 'Copy the npub of Operating key' }).click();
    await author.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(operatingKey.canonical_name);
    await screenshot('details-event-authors');
    await screenshot('details-event-authors');
  });

  it('warns on the Anchors screen when another key signs under a pinned anchor’s name', async () => {
    const { page, screenshot } = ui;
    const keyList = await callOk<{ keys: { id: string; label: string; fingerprint: string }[] }>(harness, 'keys.list', {});
    const byLabel = (label: string) => keyList.keys.find((k) => k.label === label)!;
    // The Operating key calls itself "Org root", the label of the pinned Master key.
    const draft = await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
      type: 'trust-declaration',
      issuer: byLabel('Operating key').id,
      subject: byLabel('Authorized key').id,
      content: { content_schema_version: 1, trust_level: 'authorized-admin', permissions: ['moderate'], scope: { namespaces: ['games'] }, issuer_label: 'Org root' },
    });
    const impostor = draft.declaration_uuid;
    await callOk(harness, 'declarations.finalize', { uuid: impostor });
    await callOk(harness, 'declarations.sign', { uuid: impostor });

    await navigateTo(page, 'Anchors');
    const warnings = page.getByTestId('key-change-warnings');
    await warnings.waitFor();
    expect(await warnings.getByRole('heading', { level: 2 }).textContent()).toContain('A key signs under the name of a pinned anchor');
    const change = warnings.locator('.key-change');
    expect(await change.count()).toBe(1);
    expect(await change.getAttribute('data-label')).toBe('Org root');
    expect(await change.getAttribute('data-presented')).toBe(byLabel('Operating key').fingerprint);
    expect(await change.locator('.fingerprint').nth(0).getAttribute('data-fingerprint')).toBe(byLabel('Master key').fingerprint);
    expect(await change.locator('.fingerprint').nth(1).getAttribute('data-fingerprint')).toBe(byLabel('Operating key').fingerprint);
    expect(await change.textContent()).toContain('Presented by Operating key (in this store)');
    // The warning comes before the pin form, and the anchor card points at it.
    const order = await page.locator('[data-testid="key-change-warnings"], form[aria-label="Pin a trust anchor"]').evaluateAll((nodes) => nodes.map((n) => n.tagName));
    expect(order).toEqual(['SECTION', 'FORM']);
    expect(await page.locator('.anchor-card .badge', { hasText: 'Name used by another key' }).count()).toBe(1);
    await screenshot('anchors-key-change');
    await screenshot('anchors-key-change');

    await change.getByRole('link', { name: `${impostor.slice(0, 8)}…` }).click();
    await page.waitForURL((url) => url.hash === `#/declarations/${impostor}`);
    await page.getByRole('tablist', { name: 'Declaration details' }).waitFor();
  });

  it('publishes to a real relay and a relay that is down: published and retrying, each with the relay’s words', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Relays');
    for (const url of [relay.url, downRelay]) {
      await page.getByLabel('Relay URL').fill(url);
      await page.getByRole('button', { name: 'Add relay' }).click();
      await page.getByRole('cell', { name: url.replace(/\/$/, '') }).first().waitFor();
    }
    await page.goto(`${harness.server.origin}/#/publish/${operating}`);
    const relays = page.getByRole('region', { name: 'Relays to publish to' });
    await relays.getByRole('checkbox').first().waitFor();
    // Enabled write relays are preselected.
    expect(await relays.getByRole('checkbox', { checked: true }).count()).toBe(2);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const table = page.getByRole('table', { name: 'Relay answers' });
    const good = table.locator(`tr[data-relay^="${relay.url.replace(/\/$/, '')}"]`);
    const down = table.locator(`tr[data-relay^="${downRelay}"]`);
    await expect.poll(() => good.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('published');
    await expect.poll(() => down.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('retrying');
    expect((await down.first().locator('.send-reason').textContent())!.trim().length).toBeGreaterThan(3);
    expect(await down.first().locator('td').nth(4).textContent()).toMatch(/UTC/);
    await page.getByRole('button', { name: 'Publish', exact: true }).waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isEnabled()).toBe(true);

    const share = page.getByRole('region', { name: 'Share links' });
    const naddr = share.getByLabel('naddr (newest version)', { exact: true });
    expect(await naddr.inputValue()).toMatch(/^nostr:naddr1/);
    expect(await share.getByLabel('nevent (this event)', { exact: true }).inputValue()).toMatch(/^nostr:nevent1/);
    await share.getByRole('button', { name: 'Copy naddr (newest version)' }).click();
    // Copied to the clipboard, or (clipboard refused) selected for Ctrl+C.
    await share.getByText('Copied').or(share.getByText(/link is selected/)).first().waitFor();
    await screenshot('publish-live');

    await page.getByRole('button', { name: 'Retry now' }).click();
    // The retry is a second attempt on the down relay, which stays retrying.
    await expect.poll(async () => Number(await down.first().locator('td').nth(3).textContent()), { timeout: 30_000 }).toBe(2);
    expect(await down.first().getAttribute('data-state')).toBe('retrying');
    // The progress corner empties a moment after the rounds finish.
    await expect.poll(() => page.getByRole('region', { name: 'Running operations' }).count(), { timeout: 15_000 }).toBe(0);
  });

  it('verifies and imports a foreign bundle (not local in the list), and quarantines a tampered copy with its failing check', async () => {
    const { page, screenshot } = ui;
    const bundleText = await foreignBundle();
    const foreignUuid = (JSON.parse(bundleText) as { declaration_uuid: string }).declaration_uuid;
    await navigateTo(page, 'Import & verify');
    const input = page.getByLabel(/Bundle, event, JSON array or JSON Lines/);
    await input.fill(bundleText);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('verify-summary').waitFor();
    // Its signer is not delegated from our anchor: the picture says so with the rule.
    const report = page.locator('article.report').first();
    expect(await report.getByTestId('authority-verdict').getAttribute('data-ok')).toBe('false');
    expect(await report.locator('.chain-failure').getAttribute('data-rule')).toBeTruthy();
    await report.getByRole('region', { name: 'Authority' }).evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await screenshot('verify-authority-refused');

    await page.getByRole('button', { name: /^Import/ }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.locator('[data-count="verified"] dd').textContent()).toBe('1');
    expect(await result.locator('[data-count="quarantined"] dd').textContent()).toBe('0');
    await screenshot('import-result');

    await page.goto(`${harness.server.origin}/#/declarations`);
    const row = page.locator('.vrow', { hasText: foreignUuid });
    await row.waitFor();
    expect(await row.locator('.badge', { hasText: 'Not local' }).count()).toBe(1);
    // Its author is no key of this store and no anchor: a shortened npub, the whole one in the title.
    await row.click();
    await page.getByRole('tab', { name: 'Signatures & status' }).click();
    const author = page.getByRole('table', { name: 'Nostr events' }).locator('.nostr-author').first();
    const npub = (await author.getAttribute('data-npub'))!;
    expect(npub).toMatch(/^npub1[0-9a-z]{58}$/);
    expect(await author.locator('.cell-title').textContent()).toBe(`${npub.slice(0, 12)}…${npub.slice(-6)}`);
    // Published (it came from outside) but never sent from here: the publication line says where it came from.
    expect(await page.getByTestId('publication').textContent()).toMatch(/^Imported from a bundle or pasted events on .* UTC; not sent to relays from this store$/);

    const tampered = JSON.parse(bundleText) as { declaration_uuid: string; events: { content: string }[] };
    tampered.events[0]!.content = tampered.events[0]!.content.replace('"forum"', '"forum2"');
    await navigateTo(page, 'Import & verify');
    await page.getByLabel(/Bundle, event, JSON array or JSON Lines/).fill(JSON.stringify(tampered));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByTestId('verify-summary').getAttribute('data-valid')).toBe('false');
    await page.getByRole('button', { name: /^Import/ }).click();
    await page.getByTestId('import-result').waitFor();
    expect(await page.getByTestId('import-result').locator('[data-count="quarantined"] dd').textContent()).toBe('1');

    await page.getByRole('tab', { name: 'Quarantine' }).click();
    const quarantine = page.getByRole('table', { name: 'Quarantine' });
    await quarantine.waitFor();
    const rows = quarantine.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-check')).toMatch(/event_id|signature|content/);
    expect(await rows.first().textContent()).toContain(foreignUuid);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (JSON Lines)' }).click()]);
    expect(download.suggestedFilename()).toBe('quarantine.jsonl');
    await screenshot('import-quarantine');

    await page.getByRole('tab', { name: 'Fetch from relays' }).click();
    await page.getByRole('button', { name: 'Fetch from relays' }).click();
    const fetched = page.getByTestId('import-result');
    await fetched.waitFor();
    expect(await fetched.locator(`tr[data-relay^="${relay.url.replace(/\/$/, '')}"]`).count()).toBe(1);
    await screenshot('import-relays');
  });

  it('enables the OS keychain in the sidebar and unlocks with it from the lock screen', async () => {
    const { page, screenshot } = ui;
    const toggle = page.getByRole('checkbox', { name: 'Unlock with OS keychain' });
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Declaration Signer' }).waitFor();
    await screenshot('lock-keychain');
    await page.getByRole('button', { name: 'Unlock with OS keychain' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('checkbox', { name: 'Unlock with OS keychain' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Unlock with OS keychain' }).isChecked()).toBe(false);
    expect(realProblems(ui.problems)).toEqual([]);
  });

  it('renders the new screens in the dark theme', async () => {
    const dark = await harness.openApp({ colorScheme: 'dark', viewport: { width: 1360, height: 900 } });
    await dark.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await dark.page.goto(`${harness.server.origin}/#/declarations/${exceeding}`);
    await dark.page.getByRole('tab', { name: 'Authority' }).click();
    await dark.page.getByRole('list', { name: 'Authority chain' }).waitFor();
    await dark.screenshot('authority-chain-dark');
    await dark.page.goto(`${harness.server.origin}/#/publish/${operating}`);
    await dark.page.getByRole('table', { name: 'Relay answers' }).waitFor();
    await dark.screenshot('publish-dark');
    await dark.page.goto(`${harness.server.origin}/#/anchors`);
    await dark.page.locator('.anchor-card').waitFor();
    await dark.screenshot('anchors-dark');
    await dark.page.goto(`${harness.server.origin}/#/import`);
    await dark.page.getByRole('tab', { name: 'Quarantine' }).click();
    await dark.page.getByRole('table', { name: 'Quarantine' }).waitFor();
    await dark.screenshot('import-quarantine-dark');
    expect(realProblems(dark.problems)).toEqual([]);
  });
});
