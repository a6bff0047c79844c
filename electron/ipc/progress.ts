// Fan-out of progress events from running operations to whoever shows them (Electron windows, SSE streams).
// Events are encoded once, through the same secret/bytes guard as results, so every listener receives the same JSON.

import type { ProgressEnvelope } from './contract';
import { encodeWireValue } from './wire';

export type EncodedProgressListener = (json: string, progress: ProgressEnvelope) => void;

export class ProgressHub {
  readonly #listeners = new Set<EncodedProgressListener>();

  subscribe(listener: EncodedProgressListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  publish(progress: ProgressEnvelope): void {
    const encoded = encodeWireValue(progress);
    // An event that fails the guard is replaced by a marker: listeners learn something was withheld, never what.
    const safe: ProgressEnvelope = encoded.ok
      ? (JSON.parse(encoded.text) as ProgressEnvelope)
      : { operation: progress.operation, callId: progress.callId, event: { withheld: encoded.reason } };
    const json = encoded.ok ? encoded.text : JSON.stringify(safe);
    for (const listener of [...this.#listeners]) {
      try {
        listener(json, safe);
      } catch {
        // One failing listener (a closed stream, a destroyed window) must not starve the others.
      }
    }
  }
}
