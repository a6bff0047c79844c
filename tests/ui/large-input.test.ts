// A large file on Import & verify, in Chromium against the real operation table: it is held as read and named (not
// poured into the text box), its verification shows the failing declarations first and the rest twenty at a time,
// and the import's result lists fifty declarations at a time with the quarantined ones first. Rendered whole, a
// 10,000-declaration file made over a million elements and kept the screen busy for a minute.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeclaration, mixedDeclarations, tampered } from '../import/fixtures';
import { type AppUnderTest, createStoreThroughUi, navigateTo, startAppUnderTest } from './harness';

const COUNT = 300;
let setup: AppUnderTest;
let file: string;
let forged: string[];

beforeAll(async () => {
  setup = await startAppUnderTest('large-input');
  const declarations = mixedDeclarations(COUNT - 2);
  // Two forgeries near the end of the file: their reports must still come first.
  const forgeries = [buildDeclaration('nostr', { later: COUNT }), buildDeclaration('rsa', { later: COUNT + 1 })].map((d) => ({ ...d, events: [tampered(d.events[0]!)] }));
  forged = forgeries.map((d) => d.uuid);
  const lines = [...declarations, ...forgeries].flatMap((d) => d.events.map((e) => JSON.stringify(e)));
  file = path.join(setup.dir, 'declarations.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await createStoreThroughUi(setup.ui.page, 'correct horse battery staple');
}, 120_000);

afterAll(async () => {
  await setup?.close();
});

describe('a large file on Import & verify (Chromium)', () => {
  it('is held as read and named, verified with the failures first, imported with the quarantined first, page by page', async () => {
    const { page, screenshot, problems } = setup.ui;
    await navigateTo(page, 'Import & verify');
    await page.locator('input[type=file]').setInputFiles(file);
    const loaded = page.getByTestId('loaded-file');
    await expect(loaded.textContent()).resolves.toMatch(/declarations\.jsonl · \d+ KB · \d+ lines, held as read/);
    expect(await page.locator('textarea').count()).toBe(0);

    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByTestId('verify-summary').textContent()).resolves.toBe(`2 of ${COUNT} declaration(s) did not verify.`);
    const reports = page.locator('article.report');
    expect(await reports.count()).toBe(20);
    expect(await reports.evaluateAll((all) => all.slice(0, 3).map((a) => a.getAttribute('data-valid')))).toEqual(['false', 'false', 'true']);
    // Numbered as in the file, so a failure can be found there.
    expect(await reports.first().getAttribute('aria-label')).toBe(`Declaration ${COUNT - 1}`);
    await expect(page.getByTestId('show-more').textContent()).resolves.toContain(`Showing 20 of ${COUNT} declarations, those that failed first.`);
    await screenshot('import-large-file-verified');
    await page.getByRole('button', { name: 'Show 20 more' }).click();
    expect(await reports.count()).toBe(40);

    await page.getByRole('button', { name: 'Import (what fails its checks is quarantined)' }).click();
    const result = page.getByTestId('import-result');
    await expect(result.locator('[data-count="verified"] dd').textContent()).resolves.toBe(String(COUNT - 2));
    await expect(result.locator('[data-count="quarantined"] dd').textContent()).resolves.toBe('2');
    const outcomes = result.locator('.import-declarations li');
    expect(await outcomes.count()).toBe(50);
    expect(await outcomes.evaluateAll((all) => all.slice(0, 3).map((li) => li.getAttribute('data-status')))).toEqual(['quarantined', 'quarantined', 'new']);
    expect(await outcomes.first().textContent()).toContain(forged[0]!);
    await expect(result.getByTestId('show-more').textContent()).resolves.toContain(`Showing 50 of ${COUNT} declarations, those with quarantined events first.`);
    await result.getByRole('button', { name: 'Show 50 more' }).click();
    expect(await outcomes.count()).toBe(100);
    await screenshot('import-large-file-imported');

    await page.getByRole('button', { name: 'Clear' }).click();
    expect(await page.locator('textarea').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 180_000);
});
