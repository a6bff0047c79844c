// The bridge contract between the main process (or the browser-mode server) and the renderer.
// Runtime-light on purpose: the sandboxed preload bundles this file, and the renderer imports its types only.

import type { Result } from '../core/errors';
import type { OperationName } from '../ops/names';

/** IPC channel of an operation. The prefix keeps operation channels apart from Electron's and from legacy aliases. */
export function operationChannel(name: string): string {
  return `op:${name}`;
}

/** Main → renderer channel carrying ProgressEnvelope messages. */
export const PROGRESS_CHANNEL = 'declsign:progress';

/** A progress event emitted by a running operation, tagged with which call produced it. */
export interface ProgressEnvelope {
  operation: string;
  /** Unique per call, so a listener can group the events of one long-running operation. */
  callId: string;
  event: unknown;
}

export type ProgressListener = (progress: ProgressEnvelope) => void;

export type OperationMethods = {
  readonly [N in OperationName]: (input?: unknown) => Promise<Result<unknown>>;
};

/** What `window.declsign` looks like: one method per operation, plus a progress subscription. Nothing generic. */
export interface DeclsignBridge extends OperationMethods {
  /** Returns the function that removes this listener. */
  onProgress(listener: ProgressListener): () => void;
}
