import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../electron/ipc/app-operations';
import { createIdleLock, idleLockLimitSeconds } from '../../electron/ipc/idle-lock';
import { createRootKeyProtector, describeSafeStorage, type SafeStorageLike } from '../../electron/ipc/safe-storage';
import { isAllowedExternalUrl, isAllowedRendererRequest } from '../../electron/ipc/window-policy';

describe('idle lock', () => {
  function harness(limitSeconds = 600) {
    let idle = 0;
    let locks = 0;
    let failNext = false;
    const errors: unknown[] = [];
    const lock = createIdleLock({
      idleSeconds: () => idle,
      limitSeconds,
      lock: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('store busy');
        }
        locks += 1;
      },
      onError: (e) => errors.push(e),
    });
    return {
      lock,
      setIdle: (s: number) => (idle = s),
      failOnce: () => (failNext = true),
      get locks() {
        return locks;
      },
      errors,
    };
  }

  it('locks once the idle time reaches the limit, and only once per idle period', async () => {
    const h = harness();
    h.setIdle(599);
    expect(await h.lock.check()).toBe(false);
    h.setIdle(600);
    expect(await h.lock.check()).toBe(true);
    h.setIdle(900);
    expect(await h.lock.check()).toBe(false);
    expect(h.locks).toBe(1);
    h.setIdle(3); // the user came back
    expect(await h.lock.check()).toBe(false);
    h.setIdle(601);
    expect(await h.lock.check()).toBe(true);
    expect(h.locks).toBe(2);
  });

  it('retries on the next check when locking failed, reporting the failure', async () => {
    const h = harness();
    h.setIdle(700);
    h.failOnce();
    expect(await h.lock.check()).toBe(false);
    expect(h.errors).toHaveLength(1);
    expect(await h.lock.check()).toBe(true);
  });

  it('reads its limit from DECLSIGN_IDLE_LOCK_MINUTES and cannot be switched off', () => {
    expect(idleLockLimitSeconds({})).toBe(600);
    expect(idleLockLimitSeconds({ DECLSIGN_IDLE_LOCK_MINUTES: '2' })).toBe(120);
    expect(idleLockLimitSeconds({ DECLSIGN_IDLE_LOCK_MINUTES: '0' })).toBe(600);
    expect(idleLockLimitSeconds({ DECLSIGN_IDLE_LOCK_MINUTES: 'never' })).toBe(600);
    expect(() => createIdleLock({ idleSeconds: () => 0, limitSeconds: 0, lock: async () => undefined })).toThrow(RangeError);
  });
});

describe('safeStorage helper', () => {
  /** Reversible stand-in for the OS keychain, enough to check the byte round trip. */
  const fake = (available: boolean, backend?: string): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(s, 'utf8').reverse(),
    decryptString: (b) => Buffer.from(b).reverse().toString('utf8'),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  });

  it('reports Linux basic_text as unavailable, since it protects nothing', () => {
    expect(describeSafeStorage(fake(true, 'basic_text'), 'linux')).toMatchObject({ available: false, backend: 'basic_text' });
    expect(createRootKeyProtector(fake(true, 'basic_text'), 'linux')).toBeUndefined();
  });

  it('reports a missing keychain as unavailable', () => {
    expect(describeSafeStorage(fake(false), 'darwin')).toMatchObject({ available: false });
  });

  it('seals and opens a root key byte for byte with a real backend', () => {
    const protector = createRootKeyProtector(fake(true, 'gnome_libsecret'), 'linux')!;
    expect(protector.status).toEqual({ available: true, backend: 'gnome_libsecret' });
    const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 255) & 0xff);
    const sealed = protector.seal(key);
    expect(Buffer.from(sealed).includes(Buffer.from(key))).toBe(false);
    expect(protector.open(sealed)).toEqual(key);
  });
});

describe('window policy', () => {
  it.each([
    ['https://github.com/nostr-protocol/nips/blob/master/01.md', true],
    ['https://njump.me/nevent1xyz', true],
    ['http://github.com/', false],
    ['https://github.com.evil.example/', false],
    ['https://user@github.com/', false],
    ['https://github.com:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['not a url', false],
  ])('external link %s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('lets the renderer load only its own files', () => {
    expect(isAllowedRendererRequest('app://renderer/assets/index.js')).toBe(true);
    expect(isAllowedRendererRequest('https://relay.example/')).toBe(false);
    expect(isAllowedRendererRequest('wss://relay.example/')).toBe(false);
    expect(isAllowedRendererRequest('file:///etc/passwd')).toBe(false);
    expect(isAllowedRendererRequest('app://rendererx/')).toBe(false);
  });
});

describe('data directory', () => {
  it('matches Electron userData for our product name, overridable by DECLSIGN_HOME', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/config' }, 'linux')).toBe('/x/config/Declaration Signer');
    expect(defaultDataDir({ DECLSIGN_HOME: '/tmp/ds' }, 'linux')).toBe('/tmp/ds');
    expect(defaultDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toMatch(/Roaming.Declaration Signer$/);
  });
});
