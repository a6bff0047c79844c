import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeclsignError } from '../../electron/core/errors';
import { defineOperation } from '../../electron/ops/define';
import type { ProgressEnvelope } from '../../electron/ipc/contract';
import { registerIpcHandlers, type IpcInvokeEventLike, type IpcMainLike } from '../../electron/ipc/register';
import { isOwnRendererFrame, type FrameLike } from '../../electron/ipc/sender';
import { createFixtureState, fixtureContextFactory, fixtureOperations } from './fixtures/table';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Records handlers the way ipcMain does, refusing a second handler on one channel as Electron does. */
class RecordingIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frame: FrameLike | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame }, ...args);
  }
}

const ownFrame: FrameLike = { url: 'app://renderer/index.html#/keys', parent: null };

function setup(table: Record<string, unknown> = fixtureOperations) {
  const ipc = new RecordingIpcMain();
  const state = createFixtureState();
  const progress: ProgressEnvelope[] = [];
  const registration = registerIpcHandlers(ipc, table as typeof fixtureOperations, fixtureContextFactory(state), {
    isTrustedSender: isOwnRendererFrame,
    onProgress: (p) => progress.push(p),
  });
  return { ipc, state, progress, registration };
}

describe('registerIpcHandlers', () => {
  it('registers one op: channel per operation plus the legacy aliases verbatim', () => {
    const { ipc, registration } = setup();
    const expected = [...Object.keys(fixtureOperations).map((n) => `op:${n}`), 'online:store:unlock'].sort();
    expect([...ipc.handlers.keys()].sort()).toEqual(expected);
    expect([...registration.channels].sort()).toEqual(expected);
  });

  it('runs a valid call and returns its Result', async () => {
    const { ipc, state } = setup();
    const created = await ipc.invoke('op:store.init', ownFrame, { passphrase: 'correct horse battery' });
    expect(created).toEqual({ ok: true, value: { initialized: true, unlocked: true } });
    expect(state.unlocked).toBe(true);
    expect(await ipc.invoke('op:store.lock', ownFrame)).toEqual({ ok: true, value: { initialized: true, unlocked: false } });
  });

  it('routes a legacy alias to the same operation', async () => {
    const { ipc, state } = setup();
    state.passphrase = 'correct horse battery';
    const wrong = await ipc.invoke('online:store:unlock', ownFrame, { passphrase: 'wrong passphrase!' });
    expect(wrong).toEqual({ ok: false, error: { code: 'wrong_passphrase', message: 'Wrong passphrase' } });
    const right = await ipc.invoke('online:store:unlock', ownFrame, { passphrase: 'correct horse battery' });
    expect(right).toMatchObject({ ok: true });
    expect(state.unlocked).toBe(true);
  });

  it('answers invalid input with invalid_input and changes nothing', async () => {
    const { ipc, state } = setup();
    const result = (await ipc.invoke('op:store.init', ownFrame, { passphrase: 'short' })) as { ok: boolean; error: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toContain('passphrase');
    expect(state.passphrase).toBeNull();
    const extra = await ipc.invoke('op:store.lock', ownFrame, { force: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it.each<[string, FrameLike | null]>([
    ['no frame (navigated away or destroyed)', null],
    ['a subframe of our page', { url: 'app://renderer/index.html', parent: ownFrame }],
    ['a file:// page', { url: 'file:///work/main/dist/renderer/index.html', parent: null }],
    ['a remote page', { url: 'https://evil.example/index.html', parent: null }],
    ['a lookalike host', { url: 'app://renderer.evil/index.html', parent: null }],
    ['credentials in the URL', { url: 'app://x@renderer/index.html', parent: null }],
    ['an unparsable URL', { url: 'not a url', parent: null }],
  ])('refuses a call from %s without running it', async (_label, frame) => {
    const { ipc, state } = setup();
    const result = await ipc.invoke('op:store.init', frame, { passphrase: 'correct horse battery' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(state.passphrase).toBeNull();
  });

  it('treats a throwing sender check as untrusted', async () => {
    const ipc = new RecordingIpcMain();
    registerIpcHandlers(ipc, fixtureOperations, fixtureContextFactory(createFixtureState()), {
      isTrustedSender: () => {
        throw new Error('frame disposed');
      },
    });
    expect(await ipc.invoke('op:store.status', ownFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('forwards progress events tagged with the operation and one call id', async () => {
    const { ipc, state, progress } = setup();
    state.passphrase = 'correct horse battery';
    state.unlocked = true;
    const ids = ['6f1c1c52-7c1e-4d7a-9d8e-0d6b1f1f0a01', '6f1c1c52-7c1e-4d7a-9d8e-0d6b1f1f0a02'];
    expect(await ipc.invoke('op:publish.start', ownFrame, { declarationIds: ids })).toEqual({ ok: true, value: { queued: 2 } });
    expect(progress).toHaveLength(2);
    expect(progress.map((p) => p.operation)).toEqual(['publish.start', 'publish.start']);
    expect(progress[0]!.callId).toBe(progress[1]!.callId);
    expect(progress[1]!.event).toEqual({ step: 'sent', declarationId: ids[1], done: 2, total: 2 });
  });

  describe('never lets exceptions or private keys escape', () => {
    const op = defineOperation<unknown>();
    const leaky = {
      'keys.get': op({
        name: 'keys.get',
        summary: 'returns key material by mistake',
        input: z.object({}),
        handler: () => ({ fingerprint: 'ab'.repeat(32), material: { privateKey: 'cd'.repeat(32) } }),
      }),
      'keys.export': op({
        name: 'keys.export',
        summary: 'returns raw bytes by mistake',
        input: z.object({}),
        handler: () => ({ der: new Uint8Array([1, 2, 3]) }),
      }),
      'keys.delete': op({
        name: 'keys.delete',
        summary: 'throws a plain Error',
        input: z.object({}),
        handler: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      }),
      'keys.update': op({
        name: 'keys.update',
        summary: 'throws a DeclsignError with details',
        input: z.object({}),
        handler: async () => {
          throw new DeclsignError('unknown_key', 'No key with that fingerprint', { fingerprint: 'ef'.repeat(32) });
        },
      }),
    };

    it('withholds a result carrying a privateKey field', async () => {
      const { ipc } = setup(leaky);
      const result = (await ipc.invoke('op:keys.get', ownFrame)) as { ok: false; error: { code: string; message: string } };
      expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
      expect(JSON.stringify(result)).not.toContain('cd'.repeat(32));
      expect(result.error.message).toContain('privateKey');
    });

    it('withholds binary results instead of sending {"0":…}', async () => {
      const { ipc } = setup(leaky);
      expect(await ipc.invoke('op:keys.export', ownFrame)).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    });

    it('turns thrown errors into Results', async () => {
      const { ipc } = setup(leaky);
      expect(await ipc.invoke('op:keys.delete', ownFrame)).toEqual({
        ok: false,
        error: { code: 'internal_error', message: 'cannot read properties of undefined' },
      });
      expect(await ipc.invoke('op:keys.update', ownFrame)).toEqual({
        ok: false,
        error: { code: 'unknown_key', message: 'No key with that fingerprint', details: { fingerprint: 'ef'.repeat(32) } },
      });
    });

    it('turns a failing context factory into a Result', async () => {
      const ipc = new RecordingIpcMain();
      registerIpcHandlers(ipc, fixtureOperations, () => Promise.reject(new DeclsignError('store_locked', 'The store is locked')), {
        isTrustedSender: isOwnRendererFrame,
      });
      expect(await ipc.invoke('op:store.status', ownFrame)).toEqual({
        ok: false,
        error: { code: 'store_locked', message: 'The store is locked' },
      });
    });
  });

  it('refuses a table whose alias collides with another route', () => {
    const op = defineOperation<unknown>();
    const clash = {
      'store.lock': op({ name: 'store.lock', summary: '', input: z.object({}), handler: () => null }),
      'store.unlock': op({ name: 'store.unlock', summary: '', aliases: ['store.lock'], input: z.object({}), handler: () => null }),
    };
    expect(() => setup(clash)).toThrow(/defined twice/);
  });

  it('refuses a table whose key differs from the operation name', () => {
    const op = defineOperation<unknown>();
    const wrong = { 'store.lock': op({ name: 'store.unlock', summary: '', input: z.object({}), handler: () => null }) };
    expect(() => setup(wrong)).toThrow(/holds operation/);
  });

  it('dispose removes every handler it registered', () => {
    const { ipc, registration } = setup();
    registration.dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});
