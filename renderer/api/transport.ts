// How the renderer reaches the operations: Electron's preload bridge when it is there, else the browser-mode
// HTTP bridge on our own origin with the per-launch token. Screens never see which one is in use.

import type { AppError, Result } from '../../electron/core/errors';
import type { DeclsignBridge, ProgressEnvelope, ProgressListener } from '../../electron/ipc/contract';

export interface Transport {
  readonly kind: 'electron' | 'browser';
  call(name: string, input: unknown): Promise<Result<unknown>>;
  onProgress(listener: ProgressListener): () => void;
}

declare global {
  interface Window {
    declsign?: DeclsignBridge;
  }
}

const TOKEN_KEY = 'declsign.token';

/**
 * Moves `#token=…` from the address into sessionStorage and out of the URL bar (and out of history and
 * screenshots). sessionStorage is per tab and dies with it, like the token dies with the server process.
 */
export function adoptTokenFromLocation(): void {
  const match = /^#token=([A-Za-z0-9_-]{43})$/.exec(window.location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, match[1]!);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

function failure(code: AppError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (candidate.ok === true) return 'value' in candidate;
  return candidate.ok === false && typeof candidate.error?.code === 'string' && typeof candidate.error.message === 'string';
}

function electronTransport(bridge: DeclsignBridge): Transport {
  return {
    kind: 'electron',
    async call(name, input) {
      const method = (bridge as unknown as Record<string, ((input: unknown) => Promise<unknown>) | undefined>)[name];
      if (typeof method !== 'function') return failure('not_found', `Unknown operation "${name}"`);
      try {
        const result = await method(input);
        return isResult(result) ? result : failure('internal_error', `Malformed answer from ${name}`);
      } catch (thrown) {
        return failure('bridge_unavailable', `The application core did not answer ${name}: ${String(thrown)}`);
      }
    },
    onProgress: (listener) => bridge.onProgress(listener),
  };
}

const NO_TOKEN_MESSAGE = 'This page has no session token. Open the address printed by `npm run web` (it ends in #token=…).';

/** Parses Server-Sent Events frames from a fetch body; EventSource cannot send the Authorization header. */
async function readEventStream(body: ReadableStream<Uint8Array>, onEvent: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data) onEvent(data);
    }
  }
}

function browserTransport(): Transport {
  const listeners = new Set<ProgressListener>();
  let streaming = false;

  async function stream(): Promise<void> {
    // One stream for all listeners, reopened with backoff while anyone listens (the server may restart).
    let delay = 1000;
    while (listeners.size > 0) {
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (!token) break;
      try {
        const response = await fetch('api/events', { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
        if (response.status === 401) break;
        if (response.ok && response.body) {
          delay = 1000;
          await readEventStream(response.body, (data) => {
            let envelope: ProgressEnvelope;
            try {
              envelope = JSON.parse(data) as ProgressEnvelope;
            } catch {
              return;
            }
            for (const listener of [...listeners]) listener(envelope);
          });
        }
      } catch {
        // The server went away; retry below.
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
    streaming = false;
  }

  return {
    kind: 'browser',
    async call(name, input) {
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (!token) return failure('unauthorized', NO_TOKEN_MESSAGE);
      let response: Response;
      try {
        response = await fetch(`api/op/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
      } catch {
        return failure('bridge_unavailable', 'The Declaration Signer server is not reachable. Is `npm run web` still running?');
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return failure('bridge_unavailable', `The server answered ${name} with HTTP ${response.status} and no result`);
      }
      if (!isResult(body)) return failure('internal_error', `Malformed answer from ${name}`);
      if (response.status === 401) {
        return failure('unauthorized', 'The server did not accept this session token; it changes each time the server starts. Open the newly printed address.');
      }
      return body;
    },
    onProgress(listener) {
      listeners.add(listener);
      if (!streaming) {
        streaming = true;
        void stream();
      }
      return () => listeners.delete(listener);
    },
  };
}

let current: Transport | undefined;

export function getTransport(): Transport {
  current ??= window.declsign ? electronTransport(window.declsign) : browserTransport();
  return current;
}
