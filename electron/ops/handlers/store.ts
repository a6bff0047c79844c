// Store lifecycle: create, unlock, lock, status. The passphrase never leaves these handlers.

import { z } from 'zod';
import { DeclsignError } from '../../core/errors';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import type { KeychainState } from '../session';

const op = defineOperation<OperationContext>();

/** NIST SP 800-63B's floor for memorised secrets; the vault's scrypt cost does the rest. */
const MIN_PASSPHRASE_LENGTH = 8;
const passphrase = z.string().min(1, 'The passphrase is empty.').max(1024);

export interface StoreStatus {
  path: string;
  exists: boolean;
  initialized: boolean;
  unlocked: boolean;
  schema_version: number | null;
  keys: number;
  declarations: number;
  /** Whether the OS keychain can unlock this store (desktop app only). */
  keychain: KeychainState;
}

function status(ctx: OperationContext): StoreStatus {
  const services = ctx.services;
  if (!services.exists()) {
    return { path: services.dbPath, exists: false, initialized: false, unlocked: false, schema_version: null, keys: 0, declarations: 0, keychain: services.keychainState() };
  }
  const db = services.db();
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    path: services.dbPath,
    exists: true,
    initialized: services.isInitialized(),
    unlocked: services.isUnlocked(),
    schema_version: db.pragma('user_version', { simple: true }) as number,
    keys: count('keypairs'),
    declarations: count('admindeclarations'),
    keychain: services.keychainState(),
  };
}

export const storeOperations = {
  'store.status': op({
    name: 'store.status',
    summary: 'Where the store is, whether it is created and unlocked, and what it holds.',
    input: z.strictObject({}),
    handler: (_input, ctx) => status(ctx),
  }),
  'store.init': op({
    name: 'store.init',
    summary: 'Create the store and its vault, protected by a passphrase.',
    input: z.strictObject({ passphrase }),
    handler: async (input, ctx) => {
      if (input.passphrase.length < MIN_PASSPHRASE_LENGTH) {
        throw new DeclsignError('invalid_input', `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
      }
      if (ctx.services.isInitialized()) throw new DeclsignError('store_exists', `A store already exists at ${ctx.services.dbPath}.`);
      await ctx.services.init(input.passphrase, ctx.now().toISOString());
      return status(ctx);
    },
  }),
  'store.unlock': op({
    name: 'store.unlock',
    summary: 'Unlock the vault with its passphrase.',
    input: z.strictObject({ passphrase }),
    handler: async (input, ctx) => {
      await ctx.services.unlock(input.passphrase);
      return status(ctx);
    },
  }),
  'store.keychain': op({
    name: 'store.keychain',
    summary: 'Let the OS keychain unlock this store (enable), stop it (disable), or unlock with it now (unlock).',
    input: z.strictObject({ action: z.enum(['enable', 'disable', 'unlock']) }),
    handler: async (input, ctx) => {
      const services = ctx.services;
      if (input.action === 'enable') await services.enableKeychain(ctx.now().toISOString());
      else if (input.action === 'disable') services.disableKeychain();
      else services.unlockWithKeychain();
      return status(ctx);
    },
  }),
  'store.lock': op({
    name: 'store.lock',
    summary: 'Forget the unlocked root key.',
    input: z.strictObject({}),
    handler: (_input, ctx) => {
      ctx.services.lock();
      return status(ctx);
    },
  }),
};
