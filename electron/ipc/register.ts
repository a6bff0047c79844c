// Electron IPC: one `ipcMain.handle` per operation channel (and per legacy alias), each guarded by a sender check.
// Takes an ipcMain-like object so it runs and is tested without Electron.

import type { AppError, Result } from '../core/errors';
import { operationChannel, type ProgressEnvelope } from './contract';
import { createDispatcher, type ContextFactory, type OperationTable } from './dispatch';
import type { FrameLike } from './sender';

export interface IpcInvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  isTrustedSender(frame: FrameLike | null): boolean;
  /** Receives every progress event of every call (main forwards them to the window). */
  onProgress?(progress: ProgressEnvelope): void;
}

export interface IpcRegistration {
  /** Channels registered, in table order: `op:<name>` for each operation, then its aliases verbatim. */
  readonly channels: readonly string[];
  /** Runs an operation from main itself (idle lock, menu actions): no sender check, same validation and shaping. */
  call(route: string, input: unknown): Promise<Result<unknown>>;
  dispose(): void;
}

const UNTRUSTED: AppError = {
  code: 'unauthorized',
  message: 'Operation refused: the request did not come from the application window',
};

export function registerIpcHandlers<Ctx>(
  ipcMain: IpcMainLike,
  table: OperationTable<Ctx>,
  makeContext: ContextFactory<Ctx>,
  options: RegisterOptions,
): IpcRegistration {
  const dispatcher = createDispatcher(table, makeContext, (progress) => options.onProgress?.(progress));
  const channels: string[] = [];
  for (const [route, name] of dispatcher.routes) {
    // Aliases are the original design's channel names and are registered as such; operations get the op: prefix.
    const channel = route === name ? operationChannel(name) : route;
    ipcMain.handle(channel, async (event, input): Promise<Result<unknown>> => {
      let trusted = false;
      try {
        trusted = options.isTrustedSender(event?.senderFrame ?? null);
      } catch {
        trusted = false;
      }
      if (!trusted) return { ok: false, error: UNTRUSTED };
      return dispatcher.call(route, input);
    });
    channels.push(channel);
  }
  return {
    channels,
    call: dispatcher.call,
    dispose() {
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}
