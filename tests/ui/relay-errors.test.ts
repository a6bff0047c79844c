// The Relays screen's "Last error" follows what publishing showed, in Chromium against the real operation table: a
// real relay that refuses the event and a real relay process killed with SIGKILL (connection refused) get their
// reason; once the killed relay is back and takes the event, its error is cleared; the refusing one keeps its own.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRelay, startRealRelayProcess, type RelayProcess, type RelayServer } from '../helpers/relay';
import { type AppPage, type AppUnderTest, callOk, createStoreThroughUi, navigateTo, startAppUnderTest, type UiHarness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
const REFUSAL = 'blocked: this relay takes no admin declarations';
let setup: AppUnderTest;
let harness: UiHarness;
let ui: AppPage;
let refusing: RelayServer;
let restartable: RelayProcess;
let declarationUuid: string;

function lastError(page: Page, url: string): Promise<string | null> {
  return page.locator(`tr[data-relay="${url}"] td.cell-error`).textContent();
}

async function publishScreenAnswers(page: Page): Promise<void> {
  const table = page.getByRole('table', { name: 'Relay answers' });
  for (const url of [refusing.url, restartable.url]) {
    await expect.poll(() => table.locator(`tr[data-relay="${url}"]`).first().getAttribute('data-state'), { timeout: 30_000 }).not.toBe('pending');
  }
}

beforeAll(async () => {
  refusing = await startRealRelay({ plugins: [{ beforeHandleEvent: () => ({ canHandle: false, message: REFUSAL }) }] });
  restartable = await startRealRelayProcess();
  ({ harness, ui } = setup = await startAppUnderTest('relay-errors', { viewport: { width: 1024, height: 768 } }));
  await createStoreThroughUi(ui.page, PASSPHRASE);
  const issuer = await callOk<{ id: string }>(harness, 'keys.generate', { algorithm: 'nostr', label: 'Alice', role: 'master-admin' });
  const draft = await callOk<{ declaration_uuid: string }>(harness, 'declarations.create', {
    type: 'privilege-grant',
    issuer: issuer.id,
    subject: issuer.id,
    content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
  });
  declarationUuid = draft.declaration_uuid;
  await callOk(harness, 'declarations.finalize', { uuid: declarationUuid });
  await callOk(harness, 'declarations.sign', { uuid: declarationUuid });
  await callOk(harness, 'relays.add', { url: refusing.url });
  await callOk(harness, 'relays.add', { url: restartable.url });
}, 60_000);

afterAll(async () => {
  await setup?.close();
  await refusing?.close();
  await restartable?.close();
});

describe("a relay's last error on the Relays screen follows publish outcomes (Chromium, real relays)", () => {
  it('shows the refusal and the refused connection after a publish', async () => {
    const { page, screenshot } = ui;
    await navigateTo(page, 'Relays');
    await page.locator(`tr[data-relay="${restartable.url}"]`).waitFor();
    expect(await lastError(page, refusing.url)).toBe('—');
    expect(await lastError(page, restartable.url)).toBe('—');

    await restartable.kill();
    await page.goto(`${harness.server.origin}/#/publish/${declarationUuid}`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await publishScreenAnswers(page);

    await navigateTo(page, 'Relays');
    await expect.poll(() => lastError(page, refusing.url)).toContain(REFUSAL);
    expect(await lastError(page, restartable.url)).toMatch(/^Publishing: could not connect: .*ECONNREFUSED/);
    await screenshot('relays-publish-errors-1024');
  });

  it('clears the error once the relay is back and takes the event; the refusing relay keeps its own', async () => {
    const { page, screenshot } = ui;
    await restartable.restart();
    await page.goto(`${harness.server.origin}/#/publish/${declarationUuid}`);
    await page.getByRole('button', { name: 'Retry now' }).click();
    const restored = page.getByRole('table', { name: 'Relay answers' }).locator(`tr[data-relay="${restartable.url}"]`).first();
    await expect.poll(() => restored.getAttribute('data-state'), { timeout: 30_000 }).toBe('published');

    await navigateTo(page, 'Relays');
    await expect.poll(() => lastError(page, restartable.url)).toBe('—');
    expect(await lastError(page, refusing.url)).toContain(REFUSAL);
    await screenshot('relays-publish-error-cleared-1024');
  });
});
