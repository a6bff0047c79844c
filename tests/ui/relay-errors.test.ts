// A relay's last error on the Relays screen follows what publishing showed, in Chromium against the real operation
// table: a real relay that refuses the event and a real relay process killed with SIGKILL (connection refused) get
// their reason; once the killed relay is back and takes the event, its error is cleared; the refusing one keeps its
// own. The error is a line under the relay's URL, read with it as "Last error: …"; at 1024 and 1440 px it wraps only
// between words, stays clear of the pinned actions, and the "Reads as" select beside it shows its whole label.

import type { Locator, Page } from 'playwright-core';
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

/** The relay's error line as a screen reader reads it in the relay's cell, or null when the relay shows none. */
async function lastError(page: Page, url: string): Promise<string | null> {
  const line = errorLine(page, url);
  return (await line.count()) === 0 ? null : line.textContent();
}

function errorLine(page: Page, url: string): Locator {
  return page.locator(`tr[data-relay="${url}"] td:first-child .relay-error`);
}

/**
 * Words of the element's text that are broken across lines: a word kept whole has all its boxes on one line.
 * (A visually hidden prefix is one unwrapped line, so it never counts.)
 */
function wordsBrokenAcrossLines(element: Locator): Promise<string[]> {
  return element.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lineTops = new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top)));
        if (lineTops.size > 1) broken.push(word[0]);
      }
    }
    return broken;
  });
}

/**
 * How many pixels of each element, at its right, are out of sight: under its row's pinned actions cell or past the
 * visible edge of the panel the table scrolls in.
 */
function hiddenAtRight(elements: Locator): Promise<number[]> {
  return elements.evaluateAll((found) =>
    found.map((element) => {
      const right = element.getBoundingClientRect().right;
      const actions = element.closest('tr')!.querySelector('td.row-actions')!.getBoundingClientRect();
      const panel = element.closest('.panel')!.getBoundingClientRect();
      return Math.max(0, Math.round(right - Math.min(actions.left, panel.right)));
    }),
  );
}

/**
 * The selected label of each "Reads as" select that its box is too narrow for: the select is compared with a copy of
 * itself that holds only that label at its natural width, which is exactly what showing the label whole takes.
 */
function cutAuthKeyLabels(selects: Locator): Promise<string[]> {
  return selects.evaluateAll((found) =>
    found.flatMap((element) => {
      const select = element as HTMLSelectElement;
      const label = select.selectedOptions[0]?.textContent ?? '';
      const natural = select.cloneNode(false) as HTMLSelectElement;
      natural.append(new Option(label));
      Object.assign(natural.style, { position: 'absolute', visibility: 'hidden', width: 'auto', minWidth: '0', maxWidth: 'none' });
      document.body.append(natural);
      const needed = natural.getBoundingClientRect().width;
      natural.remove();
      const width = select.getBoundingClientRect().width;
      return width + 0.5 < needed ? [`${label} (${Math.round(width)} < ${Math.round(needed)} px)`] : [];
    }),
  );
}

async function expectReadableRelayRows(page: Page): Promise<void> {
  const errors = page.locator('tr[data-relay] td:first-child .relay-error');
  const authKeys = page.locator('tr[data-relay] select[aria-label^="Key answering NIP-42 AUTH"]');
  expect(await errors.count()).toBe(2);
  for (const error of await errors.all()) {
    expect(await wordsBrokenAcrossLines(error)).toEqual([]);
    expect(await error.evaluate((line) => line.scrollWidth > line.clientWidth)).toBe(false);
  }
  expect(await hiddenAtRight(errors)).toEqual([0, 0]);
  expect(await cutAuthKeyLabels(authKeys)).toEqual([]);
  expect(await hiddenAtRight(authKeys)).toEqual([0, 0]);
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
  // A long label among the choices: a select showing a short one must not grow to it and crowd the row.
  await callOk(harness, 'keys.generate', { algorithm: 'nostr', label: 'Regional operations relay login key', role: 'authorized-admin' });
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
  // One relay reads as a key, the other as none: both labels must show whole beside the error.
  await callOk(harness, 'relays.update', { url: refusing.url, auth_key: issuer.id });
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
    expect(await lastError(page, refusing.url)).toBeNull();
    expect(await lastError(page, restartable.url)).toBeNull();

    await restartable.kill();
    await page.goto(`${harness.server.origin}/#/publish/${declarationUuid}`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await publishScreenAnswers(page);

    await navigateTo(page, 'Relays');
    await expect.poll(() => lastError(page, refusing.url)).toBe(`Last error: Publishing: ${REFUSAL}`);
    expect(await lastError(page, restartable.url)).toMatch(/^Last error: Publishing: could not connect: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    await screenshot('relays-publish-errors-1024');
  });

  it('keeps each error readable at 1024 and 1440 px: whole words, clear of the actions, the Reads as label whole', async () => {
    const { page, screenshot } = ui;
    expect(await page.locator('table[aria-label="Relays"] th').allTextContents()).not.toContain('Last error');
    await expectReadableRelayRows(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      await expectReadableRelayRows(page);
      await screenshot('relays-publish-errors-1440');
    } finally {
      await page.setViewportSize({ width: 1024, height: 768 });
    }
  });

  it('clears the error once the relay is back and takes the event; the refusing relay keeps its own', async () => {
    const { page, screenshot } = ui;
    await restartable.restart();
    await page.goto(`${harness.server.origin}/#/publish/${declarationUuid}`);
    await page.getByRole('button', { name: 'Retry now' }).click();
    const restored = page.getByRole('table', { name: 'Relay answers' }).locator(`tr[data-relay="${restartable.url}"]`).first();
    await expect.poll(() => restored.getAttribute('data-state'), { timeout: 30_000 }).toBe('published');

    await navigateTo(page, 'Relays');
    // The refusing relay's line first: it shows once the rows are in, before which every relay would read as clear.
    await expect.poll(() => lastError(page, refusing.url)).toBe(`Last error: Publishing: ${REFUSAL}`);
    await expect.poll(() => lastError(page, restartable.url)).toBeNull();
    await screenshot('relays-publish-error-cleared-1024');
  });
});
