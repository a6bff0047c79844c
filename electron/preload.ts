// The renderer's only door to the main process: one method per operation, each bound to its own channel, and a
// progress subscription. No generic invoke/send/on, no ipcRenderer, no Node objects cross into the page.
// Sandboxed preloads cannot require our files, so scripts/build.mjs bundles this with the names list inlined.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from './core/errors';
import { OPERATION_NAMES } from './ops/names';
import { operationChannel, PROGRESS_CHANNEL, type DeclsignBridge, type ProgressEnvelope, type ProgressListener } from './ipc/contract';

function operationMethod(name: string) {
  const channel = operationChannel(name);
  // Only the input is forwarded: the page cannot smuggle extra arguments or choose the channel.
  return (input?: unknown): Promise<Result<unknown>> => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>;
}

function onProgress(listener: ProgressListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onProgress expects a function');
  // The IpcRendererEvent (with its `sender`) stays here; the page receives the envelope only.
  const wrapped = (_event: IpcRendererEvent, progress: ProgressEnvelope) => listener(progress);
  ipcRenderer.on(PROGRESS_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(PROGRESS_CHANNEL, wrapped);
  };
}

export function buildBridge(): DeclsignBridge {
  const methods = Object.fromEntries(OPERATION_NAMES.map((name) => [name, operationMethod(name)]));
  return { ...methods, onProgress } as DeclsignBridge;
}

contextBridge.exposeInMainWorld('declsign', buildBridge());
