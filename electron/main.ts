// Electron entry (dist/main.js). One sandboxed window showing the built renderer from app://renderer; every
// operation reaches main through the typed preload bridge and registerIpcHandlers. Nothing else is allowed:
// no navigation, no new windows, no permissions, no network from the renderer.

import { app, BrowserWindow, ipcMain, nativeTheme, powerMonitor, protocol, safeStorage, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppOperations, defaultDataDir, defaultStorePath, PRODUCT_NAME } from './ipc/app-operations';
import { PROGRESS_CHANNEL } from './ipc/contract';
import { createIdleLock, IDLE_POLL_MS, idleLockLimitSeconds } from './ipc/idle-lock';
import { startOutboxResumer } from './ipc/outbox-resumer';
import { ProgressHub } from './ipc/progress';
import { registerIpcHandlers } from './ipc/register';
import { createRootKeyProtector, describeSafeStorage } from './ipc/safe-storage';
import { APP_HOST, APP_SCHEME, isOwnRendererFrame, RENDERER_ENTRY_URL } from './ipc/sender';
import { isAllowedExternalUrl, isAllowedRendererRequest } from './ipc/window-policy';
import { contentTypeFor, CONTENT_SECURITY_POLICY, resolveStaticFile, SECURITY_HEADERS } from './web/static';

const distDir = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload.cjs');

// Must happen before `ready`: a standard, secure scheme gives the renderer a real origin (unlike file://).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.setName(PRODUCT_NAME);
app.setPath('userData', defaultDataDir());

if (!app.requestSingleInstanceLock()) {
  // Two instances would open the same store file; the first one keeps it.
  app.quit();
} else {
  void main();
}

let mainWindow: BrowserWindow | null = null;

/** Serves dist/renderer under app://renderer/ with the same security headers as browser mode. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStaticFile(rendererDir, url.pathname) : undefined;
    if (file === undefined) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(await readFile(file), { headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file)! } });
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRendererRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
}

/** Applies to every WebContents, including any we did not create ourselves. */
function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1240,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(RENDERER_ENTRY_URL);
  return window;
}

async function main(): Promise<void> {
  hardenWebContents();
  await app.whenReady();
  hardenSession();
  serveRenderer();

  const progress = new ProgressHub();
  progress.subscribe((_json, envelope) => mainWindow?.webContents.send(PROGRESS_CHANNEL, envelope));

  // The OS keychain may also wrap the vault's root key (the passphrase wrapping always stays); Linux's basic_text
  // backend protects nothing, so it counts as unavailable.
  const safeStorageStatus = describeSafeStorage(safeStorage);
  if (!safeStorageStatus.available) console.warn(`Declaration Signer: OS keychain unavailable (${safeStorageStatus.reason})`);
  const sealer = createRootKeyProtector(safeStorage);

  // The same store as the CLI: DECLSIGN_DB, else ~/.declsign/store.db.
  const operations = createAppOperations({ dbPath: defaultStorePath(), progress, ...(sealer ? { sealer } : {}) });
  const ipc = registerIpcHandlers(ipcMain, operations.table, operations.makeContext, { isTrustedSender: isOwnRendererFrame });
  // Where the administrator chose the keychain, the store opens unlocked; otherwise the UI asks for the passphrase.
  const status = await ipc.call('store.status', {});
  if (status.ok && (status.value as { keychain?: string }).keychain === 'on') {
    const unlocked = await ipc.call('store.keychain', { action: 'unlock' });
    if (!unlocked.ok) console.warn(`Declaration Signer: keychain unlock failed (${unlocked.error.code}); the passphrase is needed`);
  }

  const lockNow = async (reason: string) => {
    const result = await ipc.call('store.lock', {});
    if (result.ok) progress.publish({ operation: 'store.lock', callId: reason, event: { reason } });
    return result;
  };
  const idleLock = createIdleLock({
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    limitSeconds: idleLockLimitSeconds(),
    lock: () => lockNow('idle'),
    onError: (error) => console.error('Declaration Signer: idle lock failed:', error),
  });
  const idleTimer = setInterval(() => void idleLock.check(), IDLE_POLL_MS);
  // Sends that were pending or retrying when the app last stopped go out again, then every minute when due.
  const outbox = startOutboxResumer((name, input) => ipc.call(name, input), {
    onError: (message) => console.warn(`Declaration Signer: outbox round failed (${message})`),
  });
  // Relays switched to "Follow live" are subscribed to while the app runs; imports announce themselves as progress.
  operations.discovery.start();
  powerMonitor.on('lock-screen', () => void lockNow('screen-locked'));
  powerMonitor.on('suspend', () => void lockNow('suspend'));

  mainWindow = createWindow();

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Quitting waits once for discovery to import the batch in progress and for the store to close, then exits.
    event.preventDefault();
    closed = true;
    clearInterval(idleTimer);
    outbox.stop();
    ipc.dispose();
    void operations
      .close()
      .catch((error: unknown) => console.error('Declaration Signer: closing the store failed:', error))
      .finally(() => app.exit(0));
  });
}
