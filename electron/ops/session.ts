// The services behind the operations: one store file, opened on first use, and the vault's unlocked root key.
// The root key lives only in this object's memory; `lock()` zeroes it.

import { existsSync } from 'node:fs';
import { DeclsignError } from '../core/errors';
import { type Database, openDatabase } from '../store/database';
import {
  addSealedWrapping,
  createVault,
  hasSealedWrapping,
  hasVault,
  removeSealedWrapping,
  unlockVault,
  unlockWithSealer,
  type RootKeySealer,
  type ScryptParams,
  type VaultKey,
} from '../store/vault';

export interface StoreSessionOptions {
  dbPath: string;
  askPassphrase?: () => Promise<string>;
  /** Cheaper scrypt parameters, for tests only. */
  scrypt?: ScryptParams;
  migrationsDir?: string;
  /** The OS keychain (Electron safeStorage), where one is available; absent in the CLI and the browser mode. */
  sealer?: RootKeySealer;
}

/** `unavailable`: no keychain here; `off`: available but not protecting this store; `on`: it unlocks this store. */
export type KeychainState = 'unavailable' | 'off' | 'on';

export class StoreSession {
  readonly dbPath: string;
  private readonly options: StoreSessionOptions;
  private database: Database | undefined;
  private key: VaultKey | undefined;

  constructor(options: StoreSessionOptions) {
    this.options = options;
    this.dbPath = options.dbPath;
  }

  /** Whether the store file exists at all (status must not create it). */
  exists(): boolean {
    return this.database !== undefined || existsSync(this.dbPath);
  }

  /** The open database; creates the file and applies migrations on first use. */
  db(): Database {
    this.database ??= openDatabase(this.dbPath, this.options.migrationsDir ? { migrationsDir: this.options.migrationsDir } : {});
    return this.database;
  }

  isInitialized(): boolean {
    return this.exists() && hasVault(this.db());
  }

  isUnlocked(): boolean {
    return this.key !== undefined;
  }

  /** Creates the vault; the session is unlocked afterwards. */
  async init(passphrase: string, now: string): Promise<void> {
    const key = await createVault(this.db(), passphrase, this.options.scrypt ? { now, scrypt: this.options.scrypt } : { now });
    this.lock();
    this.key = key;
  }

  async unlock(passphrase: string): Promise<void> {
    this.requireInitialized();
    const key = await unlockVault(this.db(), passphrase);
    this.lock();
    this.key = key;
  }

  lock(): void {
    this.key?.lock();
    this.key = undefined;
  }

  keychainState(): KeychainState {
    if (!this.options.sealer) return 'unavailable';
    return this.isInitialized() && hasSealedWrapping(this.db()) ? 'on' : 'off';
  }

  /** Lets the OS keychain unlock this store from now on (in addition to the passphrase). Needs an unlocked vault. */
  async enableKeychain(now: string): Promise<void> {
    const sealer = this.requireSealer();
    addSealedWrapping(this.db(), await this.vaultKey(), sealer, now);
  }

  disableKeychain(): void {
    this.requireInitialized();
    removeSealedWrapping(this.db());
  }

  /** Unlocks with the OS keychain; `store_locked` if the keychain does not protect this store. */
  unlockWithKeychain(): void {
    const sealer = this.requireSealer();
    this.requireInitialized();
    const key = unlockWithSealer(this.db(), sealer);
    this.lock();
    this.key = key;
  }

  private requireSealer(): RootKeySealer {
    if (!this.options.sealer) throw new DeclsignError('invalid_input', 'No OS keychain is available here (it exists only in the desktop app, with a real keychain backend).');
    return this.options.sealer;
  }

  /**
   * The unlocked root key. A locked session asks for the passphrase when it can (CLI), and otherwise
   * fails with `store_locked` (app, browser mode: the UI shows its unlock screen).
   */
  async vaultKey(): Promise<VaultKey> {
    if (this.key) return this.key;
    this.requireInitialized();
    if (!this.options.askPassphrase) throw new DeclsignError('store_locked', 'The store is locked. Unlock it with its passphrase.');
    await this.unlock(await this.options.askPassphrase());
    return this.key!;
  }

  requireInitialized(): void {
    if (!this.isInitialized()) {
      throw new DeclsignError('store_not_initialized', `No store at ${this.dbPath}. Create one with "declsign init".`);
    }
  }

  async close(): Promise<void> {
    this.lock();
    this.database?.close();
    this.database = undefined;
  }
}
