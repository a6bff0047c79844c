import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureState, fixtureContextFactory, fixtureOperations, type FixtureState } from '../shell/fixtures/table';
import { startUiHarness, type UiHarness } from './harness';

let harness: UiHarness;
let state: FixtureState;

beforeAll(async () => {
  state = createFixtureState();
  harness = await startUiHarness({ table: fixtureOperations, makeContext: fixtureContextFactory(state) });
});

afterAll(async () => {
  await harness?.close();
});

describe('app shell in Chromium (browser mode)', () => {
  it('shows the create-store screen on first run, in light and dark, without console errors or CSP violations', async () => {
    const light = await openLightCreateScreen();
    await light.screenshot('lock-create-light');
    const dark = await harness.openApp({ colorScheme: 'dark' });
    await dark.page.getByRole('heading', { name: 'Create your key store' }).waitFor();
    const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 22, 26)');
    await dark.screenshot('lock-create-dark');
    expect(light.problems).toEqual([]);
    expect(dark.problems).toEqual([]);
  });

  async function openLightCreateScreen() {
    const app = await harness.openApp({ colorScheme: 'light' });
    await app.page.getByRole('heading', { name: 'Create your key store' }).waitFor();
    // The token moved from the address into sessionStorage.
    expect(app.page.url()).not.toContain('token=');
    expect(await app.page.evaluate(() => sessionStorage.getItem('declsign.token'))).toBe(harness.server.token);
    expect(await app.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(245, 246, 248)');
    return app;
  }

  it('creates the store, shows the shell, locks, shows an error code on a wrong passphrase, and unlocks', async () => {
    const { page, problems, screenshot } = await harness.openApp();
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Repeat passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create store' }).click();
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No keys yet' }).waitFor();
    expect(state.unlocked).toBe(true);
    await screenshot('shell-keys-empty-light');

    await page.getByRole('link', { name: 'Relays' }).click();
    await page.getByRole('heading', { name: 'No relays configured' }).waitFor();
    expect(page.url()).toMatch(/#\/relays$/);

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Declaration Signer' }).waitFor();
    expect(state.locks).toBe(1);

    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.getAttribute('data-error-code')).toBe('wrong_passphrase');
    expect(await banner.textContent()).toContain('wrong_passphrase');
    await screenshot('lock-unlock-error-light');

    await page.getByLabel('Passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Relays', level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it('returns to the lock screen when main reports a lock (idle lock) over the event stream', async () => {
    state.passphrase = 'correct horse battery';
    state.unlocked = true;
    const { page } = await harness.openApp({ colorScheme: 'dark' });
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();
    await page.screenshot({ path: 'test-results/screens/shell-keys-empty-dark.png' });
    // What electron/web/main.ts does when the idle timer fires.
    await expect.poll(() => harness.server.progress.listenerCount).toBeGreaterThan(0);
    await harness.server.call('store.lock', {});
    harness.server.progress.publish({ operation: 'store.lock', callId: 'idle', event: { reason: 'idle' } });
    await page.getByRole('heading', { name: 'Unlock Declaration Signer' }).waitFor();
  });

  it('is usable from the keyboard: the skip link is the first stop and moves focus to the content', async () => {
    state.unlocked = true;
    const { page } = await harness.openApp();
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('explains a missing token instead of failing silently', async () => {
    const context = await harness.browser.newContext();
    const page = await context.newPage();
    await page.goto(harness.server.origin + '/');
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.getAttribute('data-error-code')).toBe('unauthorized');
    await context.close();
  });
});
