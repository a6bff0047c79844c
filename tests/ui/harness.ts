// UI test harness: the browser-mode server in-process with a given operation table, and Debian's Chromium driven
// by playwright-core. Builds nothing: run `npm run build` (or scripts/build.mjs) first so dist/renderer exists.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ContextFactory, OperationTable } from '../../electron/ipc/dispatch';
import { createAppOperations, type AppOperations, type AppOperationsOptions } from '../../electron/ipc/app-operations';
import { ProgressHub } from '../../electron/ipc/progress';
import { startWebServer, type WebServer } from '../../electron/web/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = path.join(root, 'dist', 'renderer');
export const SCREENS_DIR = path.join(root, 'test-results', 'screens');
export const CHROMIUM = process.env.DECLSIGN_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface AppPage {
  page: Page;
  /** Console errors, failed requests and uncaught exceptions seen by this page (CSP violations land here too). */
  problems: string[];
  /** Saves test-results/screens/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

export interface UiHarness {
  server: WebServer;
  browser: Browser;
  /** A fresh browser context (own storage) with the app loaded through the tokenised URL. */
  openApp(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<AppPage>;
  close(): Promise<void>;
}

export async function startUiHarness<Ctx>(options: { table: OperationTable<Ctx>; makeContext: ContextFactory<Ctx>; progress?: ProgressHub }): Promise<UiHarness> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer at ${RENDERER_DIR}; run \`npm run build\` first`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  mkdirSync(SCREENS_DIR, { recursive: true });

  const server = await startWebServer({
    table: options.table,
    makeContext: options.makeContext,
    rendererDir: RENDERER_DIR,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  // playwright's launch() always starts Chromium on a fresh temporary --user-data-dir and deletes it on close,
  // so no state leaks between runs and the user's own profile is never touched.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];

  return {
    server,
    browser,
    async openApp({ colorScheme = 'light', viewport = { width: 1280, height: 800 } } = {}) {
      const context = await browser.newContext({ colorScheme, viewport, reducedMotion: 'reduce', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
      await page.goto(server.url);
      return {
        page,
        problems,
        async screenshot(name) {
          const file = path.join(SCREENS_DIR, `${name}.png`);
          await page.screenshot({ path: file, fullPage: false });
          return file;
        },
      };
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await server.close();
    },
  };
}

export interface AppUnderTest {
  /** The temporary directory holding the store file, `store.db`. */
  dir: string;
  app: AppOperations;
  harness: UiHarness;
  /** One page, light, already loaded. */
  ui: AppPage;
  /** Closes the browser, the server and the app, then removes `dir`. */
  close(): Promise<void>;
}

/**
 * The app as the browser-mode shell runs it: the real operation table over a new store file (vault cost cut for
 * tests), the web server, Chromium and one light page. `discovery` starts live discovery as the shells do.
 */
export async function startAppUnderTest(
  name: string,
  options: { sealer?: AppOperationsOptions['sealer']; discovery?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<AppUnderTest> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `declsign-ui-${name}-`));
  const progress = new ProgressHub();
  const app = createAppOperations({ dbPath: path.join(dir, 'store.db'), progress, scrypt: { N: 1024, r: 8, p: 1 }, ...(options.sealer ? { sealer: options.sealer } : {}) });
  const harness = await startUiHarness({ table: app.table, makeContext: app.makeContext, progress });
  if (options.discovery) app.discovery.start();
  const ui = await harness.openApp({ colorScheme: 'light', viewport: options.viewport ?? { width: 1360, height: 900 } });
  return {
    dir,
    app,
    harness,
    ui,
    async close() {
      await harness.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** First run: creates the key store through the lock screen and waits for the empty Keys screen. */
export async function createStoreThroughUi(page: Page, passphrase: string): Promise<void> {
  await page.getByRole('heading', { name: 'Create your key store' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create store' }).click();
  await page.getByRole('heading', { name: 'No keys yet' }).waitFor();
}

/** A section link in the sidebar (screens link to each other too). */
export async function navigateTo(page: Page, section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
}

/** An operation called straight on the server's table (seeding what the screens then show); throws on an error result. */
export async function callOk<T = unknown>(harness: UiHarness, name: string, input: unknown): Promise<T> {
  const result = await harness.server.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

