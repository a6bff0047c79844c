// What every handler receives: the services (store, vault session), the clock, randomness, and a progress sink.
// Shells build one context per process (app, browser mode) or per command (CLI); tests build one per store file.

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { RootKeySealer, ScryptParams } from '../store/vault';
import { StoreSession } from './session';

export interface ProgressEvent {
  /** The operation that reports, e.g. `publish.start`. */
  operation: string;
  /** Identifies one run of that operation (e.g. a batch id). */
  run: string;
  done: number;
  total: number;
  message?: string;
  detail?: Record<string, unknown>;
}

export interface OperationContext {
  readonly services: StoreSession;
  now(): Date;
  randomBytes(length: number): Uint8Array;
  emitProgress(event: ProgressEvent): void;
}

export interface CreateContextOptions {
  dbPath: string;
  /** How a locked vault gets its passphrase (CLI: env or prompt). Without it a locked vault is `store_locked`. */
  askPassphrase?: () => Promise<string>;
  onProgress?: (event: ProgressEvent) => void;
  /** For tests and tools that pin time; defaults to the system clock. */
  now?: () => Date;
  /** Cheaper scrypt parameters, for tests only. */
  scrypt?: ScryptParams;
  migrationsDir?: string;
  /** The OS keychain (Electron safeStorage) when the shell has one. */
  sealer?: RootKeySealer;
}

export function createOperationContext(options: CreateContextOptions): OperationContext {
  const services = new StoreSession({
    dbPath: options.dbPath,
    ...(options.askPassphrase ? { askPassphrase: options.askPassphrase } : {}),
    ...(options.scrypt !== undefined ? { scrypt: options.scrypt } : {}),
    ...(options.migrationsDir !== undefined ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.sealer !== undefined ? { sealer: options.sealer } : {}),
  });
  const onProgress = options.onProgress;
  return {
    services,
    now: options.now ?? (() => new Date()),
    randomBytes: (length) => new Uint8Array(nodeRandomBytes(length)),
    emitProgress: (event) => onProgress?.(event),
  };
}
