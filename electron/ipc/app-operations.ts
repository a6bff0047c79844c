// THE place both shells (Electron and browser mode) get their operations from. One function, so the services are
// wired once: store file location, one store session per process, progress → hub.

import os from 'node:os';
import path from 'node:path';
import { createOperationContext, type OperationContext, type ProgressEvent } from '../ops/context';
import { createDiscoverySupervisor, DISCOVERY_INPUT_OPERATIONS, type DiscoverySupervisor } from '../ops/discovery-supervisor';
import { operations } from '../ops/table';
import type { ScryptParams } from '../store/vault';
import type { ContextFactory, OperationTable } from './dispatch';
import type { ProgressHub } from './progress';
import type { RootKeySealer } from '../store/vault';

export const PRODUCT_NAME = 'Declaration Signer';

/**
 * Where Electron keeps its own per-user data (window state, caches): what `app.getPath('userData')` gives for our
 * product name. DECLSIGN_HOME overrides it (tests, portable installs). The key store lives elsewhere: see defaultStorePath.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DECLSIGN_HOME) return path.resolve(env.DECLSIGN_HOME);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/**
 * The store file the app opens: DECLSIGN_DB when set, else `~/.declsign/store.db` — the same rule as the CLI
 * (electron/cli/main.ts), so `declsign` and the app work on one store.
 */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  return env.DECLSIGN_DB ? path.resolve(env.DECLSIGN_DB) : path.join(home, '.declsign', 'store.db');
}

export interface AppOperationsOptions {
  dbPath: string;
  /** Progress events of every call go here; the shell forwards them to the window or SSE streams. */
  progress: ProgressHub;
  /** Cheaper vault key derivation, for tests only. */
  scrypt?: ScryptParams;
  /** Pins the clock, for tests only. */
  now?: () => Date;
  /** The OS keychain (Electron safeStorage) that may also protect the vault's root key. */
  sealer?: RootKeySealer;
}

export interface AppOperations {
  table: OperationTable<OperationContext>;
  makeContext: ContextFactory<OperationContext>;
  /** Live discovery over this context; the shell starts it next to the outbox resumer. */
  discovery: DiscoverySupervisor;
  /** Stops discovery (the batch in progress is imported), locks the vault and closes the store; once, when the shell quits. */
  close(): Promise<void>;
}

/** A handler's progress event as the renderer receives it: grouped by the run it belongs to. */
export function progressEnvelope(event: ProgressEvent) {
  return { operation: event.operation, callId: event.run, event };
}

/**
 * The real operation table over ONE context: one store session (one open database, one unlocked root key) for the
 * whole process, so unlocking in the window unlocks every later call and locking forgets the key everywhere.
 */
export function createAppOperations(options: AppOperationsOptions): AppOperations {
  const context = createOperationContext({
    dbPath: options.dbPath,
    onProgress: (event) => options.progress.publish(progressEnvelope(event)),
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.sealer ? { sealer: options.sealer } : {}),
  });
  const discovery = createDiscoverySupervisor(context);
  return {
    table: syncingDiscoveryAfter(operations as OperationTable<OperationContext>, discovery),
    makeContext: () => context,
    discovery,
    close: async () => {
      await discovery.stop();
      await context.services.close();
    },
  };
}

/**
 * The table with discovery kept in step: after a successful operation that may change the followed relays or the
 * author set (DISCOVERY_INPUT_OPERATIONS), the supervisor syncs. One place, so no handler needs to know about it.
 */
function syncingDiscoveryAfter(table: OperationTable<OperationContext>, discovery: DiscoverySupervisor): OperationTable<OperationContext> {
  return Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [
      name,
      DISCOVERY_INPUT_OPERATIONS.has(name)
        ? {
            ...spec,
            handler: async (input: unknown, ctx: OperationContext) => {
              const value: unknown = await spec.handler(input, ctx);
              discovery.sync();
              return value;
            },
          }
        : spec,
    ]),
  );
}
