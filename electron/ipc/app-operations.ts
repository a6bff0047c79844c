// THE place both shells (Electron and browser mode) get their operations from. One function, so the services are
// wired once: store file location, vault, progress → hub.

import os from 'node:os';
import path from 'node:path';
import type { ContextFactory, OperationTable } from './dispatch';
import type { ProgressHub } from './progress';
import type { RootKeyProtector } from './safe-storage';

export const PRODUCT_NAME = 'Declaration Signer';

/**
 * Where the app keeps its data: what Electron's `app.getPath('userData')` gives for our product name, computed
 * here too so browser mode opens the same store. DECLSIGN_HOME overrides it (tests, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DECLSIGN_HOME) return path.resolve(env.DECLSIGN_HOME);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

export interface AppOperationsOptions {
  dataDir: string;
  /** Progress events of every call go here; the shell forwards them to the window or SSE streams. */
  progress: ProgressHub;
  /** Present in Electron when the OS keychain can protect the vault's root key. */
  rootKeyProtector?: RootKeyProtector;
}

export interface AppOperations<Ctx = unknown> {
  table: OperationTable<Ctx>;
  makeContext: ContextFactory<Ctx>;
  /** Closes the store; called once when the shell quits. */
  close(): void;
}

/**
 * Builds the real operation table and its context for the app's data directory.
 * Phase H7 fills this in with `operations` (electron/ops/table.ts) and `createOperationContext` (electron/ops/context.ts),
 * publishing each ProgressEvent to `options.progress` as `{ operation, callId: event.run, event }`.
 * Until then the table is empty and every call answers `not_found`.
 */
export function createAppOperations(_options: AppOperationsOptions): AppOperations {
  return { table: {}, makeContext: () => ({}), close: () => undefined };
}
