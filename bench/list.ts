// Prints how the declarations list scales: 100,000 Drafts in a store, time to the first page and to walk every
// keyset page through the `declarations.list` operation, then the same through the UI in Chromium (first rows on
// screen, scrolling to the end). Figures, not assertions. Run: npm run bench -- list

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createAppOperations } from '../electron/ipc/app-operations';
import { ProgressHub } from '../electron/ipc/progress';
import { invokeOperation } from '../electron/ops/define';
import { insertDraftDeclaration } from '../electron/store/declarations';
import { withTransaction } from '../electron/store/database';
import { startWebServer } from '../electron/web/server';

const COUNT = Number(process.env.BENCH_LIST_COUNT ?? 100_000);
const PAGE = 500;
const PASSPHRASE = 'bench passphrase 123';
const CHROMIUM = process.env.DECLSIGN_CHROMIUM ?? '/usr/bin/chromium';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const dir = mkdtempSync(path.join(os.tmpdir(), 'declsign-bench-list-'));
const progress = new ProgressHub();
const app = createAppOperations({ dbPath: path.join(dir, 'store.db'), progress, scrypt: { N: 1024, r: 8, p: 1 } });
const ctx = await app.makeContext({ operation: 'bench', callId: 'bench', emitProgress: () => undefined });
async function run<T>(name: string, input: unknown): Promise<T> {
  const result = await invokeOperation(app.table[name]!, input, ctx);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

try {
  await run('store.init', { passphrase: PASSPHRASE });
  const issuer = await run<{ id: string; public_key: string; fingerprint: string; canonical_name: string }>('keys.generate', { algorithm: 'nostr', label: 'Bench issuer' });
  const template = await run<Record<string, unknown>>('declarations.create', {
    type: 'privilege-grant',
    issuer: issuer.id,
    subject: issuer.id,
    content: { content_schema_version: 1, permissions: ['moderate'], scope: '*' },
  });

  let start = process.hrtime.bigint();
  const db = ctx.services.db();
  withTransaction(db, () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < COUNT; i++) {
      insertDraftDeclaration(db, {
        declaration_uuid: randomUUID(),
        declaration_type: 'privilege-grant',
        content_json: template.content_json as string,
        content_hash_sha256: template.content_hash_sha256 as string,
        issuer_keypair_uuid: issuer.id,
        target_keypair_uuid: issuer.id,
        target_algorithm: 'nostr',
        target_public_key: issuer.public_key,
        target_fingerprint: issuer.fingerprint,
        target_canonical_name: issuer.canonical_name,
        valid_from: '2026-01-01T00:00:00Z',
      }, new Date(base + i * 1000).toISOString());
    }
  });
  console.log(`insert ${COUNT.toLocaleString('en')} drafts (one transaction): ${ms(start).toFixed(0)} ms`);

  start = process.hrtime.bigint();
  const first = await run<{ items: unknown[]; next_cursor: string | null }>('declarations.list', { limit: 50 });
  console.log(`declarations.list first page (50): ${ms(start).toFixed(2)} ms`);

  start = process.hrtime.bigint();
  let pages = 0;
  let rows = 0;
  let cursor: string | null = null;
  do {
    const page: { items: unknown[]; next_cursor: string | null } = await run('declarations.list', { limit: PAGE, ...(cursor ? { cursor } : {}) });
    pages++;
    rows += page.items.length;
    cursor = page.next_cursor;
  } while (cursor);
  const walk = ms(start);
  console.log(`declarations.list walk all pages (${PAGE}/page): ${rows.toLocaleString('en')} rows in ${pages} pages, ${walk.toFixed(0)} ms (${(walk / pages).toFixed(2)} ms/page)`);
  void first;

  start = process.hrtime.bigint();
  const searched = await run<{ items: unknown[] }>('declarations.list', { limit: 50, search: 'no such text anywhere' });
  console.log(`declarations.list search with no match (full scan): ${ms(start).toFixed(0)} ms, ${searched.items.length} rows`);

  if (!existsSync(CHROMIUM) || !existsSync('dist/renderer/index.html')) {
    console.log('UI figures skipped: needs /usr/bin/chromium and a build (npm run build).');
  } else {
    const server = await startWebServer({ table: app.table, makeContext: app.makeContext, rendererDir: path.resolve('dist/renderer'), progress });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => document.querySelector('.vrow, h1') !== null);
      start = process.hrtime.bigint();
      await page.evaluate(() => (window.location.hash = '#/declarations'));
      await page.waitForSelector('.vlist .vrow[role="row"]:not(.header)');
      console.log(`UI: first rows on screen: ${ms(start).toFixed(0)} ms`);

      start = process.hrtime.bigint();
      const frames = await page.evaluate(async () => {
        performance.setResourceTimingBufferSize(100_000);
        performance.clearResourceTimings();
        const viewport = document.querySelector('[data-testid="vlist-viewport"]') as HTMLElement;
        const done = () => !document.querySelector('.vrow.loading-row');
        let steps = 0;
        const longest: number[] = [];
        while (!done() || viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight - 2) {
          const t = performance.now();
          viewport.scrollTop = viewport.scrollHeight;
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          longest.push(performance.now() - t);
          if (++steps > 100_000) break;
        }
        // Time the page requests were in flight (request to last byte), to tell waiting for pages from rendering them.
        const fetches = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/op/declarations.list'));
        const fetchMs = fetches.reduce((sum, e) => sum + e.duration, 0);
        return { steps, rows: document.querySelectorAll('.vlist .vrow[role="row"]:not(.header)').length, worstFrameMs: Math.max(...longest), fetches: fetches.length, fetchMs };
      });
      const total = await page.getByTestId('declaration-count').textContent();
      console.log(`UI: scroll to the end: ${ms(start).toFixed(0)} ms, ${frames.steps} jumps, worst frame pair ${frames.worstFrameMs.toFixed(0)} ms, rows in DOM ${frames.rows}, "${total}"`);
      console.log(`UI: of which page requests in flight: ${frames.fetchMs.toFixed(0)} ms over ${frames.fetches} requests (${(frames.fetchMs / Math.max(1, frames.fetches)).toFixed(1)} ms each)`);
    } finally {
      await browser.close();
      await server.close();
    }
  }
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
