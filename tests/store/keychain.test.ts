// The OS-keychain wrapping of the root key. Electron's safeStorage cannot run here, so the sealer is an in-memory
// AES-256-GCM "keychain" — real encryption, only the OS backend is swapped — and the tests drive the real store.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeOperation } from '../../electron/ops/define';
import { createOperationContext } from '../../electron/ops/context';
import { operations } from '../../electron/ops/table';
import type { RootKeySealer } from '../../electron/store/vault';
import { CHEAP_SCRYPT, tempDir } from './fixtures';

function memoryKeychain(): RootKeySealer & { corrupt(): void } {
  let key = randomBytes(32);
  return {
    seal(rootKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, cipher.update(rootKey), cipher.final(), cipher.getAuthTag()]);
    },
    open(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    },
    corrupt() {
      key = randomBytes(32);
    },
  };
}

function appContext(dbPath: string, sealer?: RootKeySealer) {
  return createOperationContext({ dbPath, scrypt: CHEAP_SCRYPT, ...(sealer ? { sealer } : {}) });
}

async function call(ctx: ReturnType<typeof appContext>, name: keyof typeof operations, input: unknown) {
  return invokeOperation(operations[name], input, ctx);
}

describe('OS keychain protection of the root key', () => {
  it('unlocks a new session without the passphrase once enabled, and the passphrase keeps working', async () => {
    const dbPath = path.join(tempDir(), 'store.db');
    const keychain = memoryKeychain();
    const first = appContext(dbPath, keychain);
    expect((await call(first, 'store.init', { passphrase: 'long enough passphrase' })).ok).toBe(true);
    const generated = await call(first, 'keys.generate', { algorithm: 'nostr', label: 'admin', role: 'master-admin' });
    expect(generated.ok).toBe(true);
    const enabled = await call(first, 'store.keychain', { action: 'enable' });
    expect(enabled).toMatchObject({ ok: true, value: { keychain: 'on' } });
    await first.services.close();

    const second = appContext(dbPath, keychain);
    expect(await call(second, 'store.status', {})).toMatchObject({ ok: true, value: { unlocked: false, keychain: 'on' } });
    expect((await call(second, 'store.keychain', { action: 'unlock' })).ok).toBe(true);
    // Unlocked for real: a private key decrypts (export needs it).
    const id = (generated as { value: { id: string } }).value.id;
    expect(await call(second, 'keys.export', { id, format: 'ncryptsec', password: 'export password' })).toMatchObject({ ok: true });
    await second.services.close();

    const third = appContext(dbPath, keychain);
    expect((await call(third, 'store.unlock', { passphrase: 'long enough passphrase' })).ok).toBe(true);
    await third.services.close();
  });

  it('refuses a keychain that opens to anything but this store’s root key, and stays locked', async () => {
    const dbPath = path.join(tempDir(), 'store.db');
    const keychain = memoryKeychain();
    const ctx = appContext(dbPath, keychain);
    await call(ctx, 'store.init', { passphrase: 'long enough passphrase' });
    await call(ctx, 'store.keychain', { action: 'enable' });
    await call(ctx, 'store.lock', {});
    keychain.corrupt();
    const result = await call(ctx, 'store.keychain', { action: 'unlock' });
    expect(result).toMatchObject({ ok: false, error: { code: 'vault_integrity_failed' } });
    expect(await call(ctx, 'store.status', {})).toMatchObject({ ok: true, value: { unlocked: false } });
    await ctx.services.close();
  });

  it('after disable, the keychain no longer unlocks; without a keychain the state is unavailable', async () => {
    const dbPath = path.join(tempDir(), 'store.db');
    const keychain = memoryKeychain();
    const ctx = appContext(dbPath, keychain);
    await call(ctx, 'store.init', { passphrase: 'long enough passphrase' });
    await call(ctx, 'store.keychain', { action: 'enable' });
    expect(await call(ctx, 'store.keychain', { action: 'disable' })).toMatchObject({ ok: true, value: { keychain: 'off' } });
    await call(ctx, 'store.lock', {});
    expect(await call(ctx, 'store.keychain', { action: 'unlock' })).toMatchObject({ ok: false, error: { code: 'store_locked' } });
    await ctx.services.close();

    const cli = appContext(dbPath);
    expect(await call(cli, 'store.status', {})).toMatchObject({ ok: true, value: { keychain: 'unavailable' } });
    expect(await call(cli, 'store.keychain', { action: 'enable' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await cli.services.close();
  });

  it('enabling needs an unlocked store', async () => {
    const dbPath = path.join(tempDir(), 'store.db');
    const ctx = appContext(dbPath, memoryKeychain());
    await call(ctx, 'store.init', { passphrase: 'long enough passphrase' });
    await call(ctx, 'store.lock', {});
    expect(await call(ctx, 'store.keychain', { action: 'enable' })).toMatchObject({ ok: false, error: { code: 'store_locked' } });
    await ctx.services.close();
  });
});
