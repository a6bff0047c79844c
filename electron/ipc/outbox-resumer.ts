// Keeps the publish outbox moving while the app runs: at start (after a crash, pending and retrying sends resume)
// and then every minute for sends whose backoff has passed. One round at a time; a failing round is logged, never thrown.

import type { Result } from '../core/errors';

export const OUTBOX_POLL_MS = 60_000;

export interface OutboxResumer {
  /** Runs a round now unless one is running. */
  kick(): Promise<void>;
  stop(): void;
}

export function startOutboxResumer(
  call: (operation: 'publish.retry', input: Record<string, never>) => Promise<Result<unknown>>,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): OutboxResumer {
  let running: Promise<void> | undefined;
  const kick = () =>
    (running ??= (async () => {
      try {
        const result = await call('publish.retry', {});
        // A store that is not created yet has nothing to resume; anything else is worth a log line.
        if (!result.ok && result.error.code !== 'store_not_initialized') options.onError?.(`${result.error.code}: ${result.error.message}`);
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void kick(), options.intervalMs ?? OUTBOX_POLL_MS);
  timer.unref?.();
  void kick();
  return { kick, stop: () => clearInterval(timer) };
}
