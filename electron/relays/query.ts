// Reading from relays for import and discovery. Events are handed on as the exact JSON text the relay sent:
// nothing here parses them into trusted objects — the importer re-parses, verifies id and signature, and decides.

import { DeclsignError } from '../core/errors';
import { RelayConnectError, RelayConnection } from './connection';
import { nextRetryDelay, type RetryPolicy } from './outcome';
import { normalizeRelayUrl } from './url';

export type Filter = Record<string, unknown>;

export interface QueryOptions {
  deadlineMs: number;
  /** Stop (and CLOSE the subscription) once this many events arrived. */
  maxEvents: number;
  connectTimeoutMs?: number;
  maxPayloadBytes?: number;
}

export type QueryEnd = 'eose' | 'closed' | 'deadline' | 'max-events' | 'connection-dropped' | 'connect-failed';

export interface QueryResult {
  relay: string;
  /** Raw event JSON, in arrival order, untrusted. */
  eventTexts: string[];
  end: QueryEnd;
  /** The relay's CLOSED message, or what went wrong; empty after a plain EOSE. */
  reason: string;
  notices: string[];
  ignoredFrames: number;
}

function checkFilters(filters: readonly Filter[]): void {
  if (filters.length === 0) throw new DeclsignError('invalid_input', 'A query needs at least one filter');
  for (const filter of filters) {
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      throw new DeclsignError('invalid_input', 'Each filter must be a JSON object');
    }
  }
}

/** One REQ; resolves on EOSE, CLOSED, `maxEvents`, a dropped connection or the deadline — never rejects for network reasons. */
export async function queryRelay(url: string, filters: readonly Filter[], options: QueryOptions): Promise<QueryResult> {
  const relay = normalizeRelayUrl(url);
  checkFilters(filters);
  if (!Number.isSafeInteger(options.maxEvents) || options.maxEvents < 1) {
    throw new DeclsignError('invalid_input', `maxEvents must be a positive integer, got ${options.maxEvents}`);
  }
  const startedAt = Date.now();
  const remaining = () => Math.max(0, startedAt + options.deadlineMs - Date.now());
  const result: QueryResult = { relay, eventTexts: [], end: 'deadline', reason: '', notices: [], ignoredFrames: 0 };

  let connection: RelayConnection;
  try {
    connection = await RelayConnection.open(relay, {
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 10_000, remaining()),
      maxPayloadBytes: options.maxPayloadBytes,
    });
  } catch (error) {
    result.end = 'connect-failed';
    result.reason = error instanceof RelayConnectError ? `${error.failure}: ${error.message}` : String(error);
    return result;
  }

  await new Promise<void>((resolve) => {
    let finished = false;
    let stopListening = () => {};
    const finish = (end: QueryEnd, reason = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stopListening();
      result.end = end;
      result.reason = reason;
      resolve();
    };
    const timer = setTimeout(() => finish('deadline', `no EOSE within ${options.deadlineMs} ms`), remaining());
    stopListening = connection.onClose((detail) => finish('connection-dropped', detail));
    const subscription = connection.subscribe(filters, {
      onEventText(text) {
        if (result.eventTexts.length >= options.maxEvents) return;
        result.eventTexts.push(text);
        if (result.eventTexts.length === options.maxEvents) {
          subscription.close();
          finish('max-events');
        }
      },
      onEose() {
        subscription.close();
        finish('eose');
      },
      onClosed(message) {
        finish('closed', message);
      },
    });
  });
  result.notices = [...connection.notices];
  result.ignoredFrames = connection.ignoredFrames;
  connection.close();
  return result;
}

export type SubscriptionStatus =
  | { state: 'connected' }
  | { state: 'live' }
  | { state: 'disconnected'; reason: string; retryInMs: number }
  | { state: 'stopped' };

export interface SubscribeOptions {
  onStatus?: (status: SubscriptionStatus) => void;
  /** Randomness for the reconnect jitter (default Math.random). */
  random?: () => number;
  retryPolicy?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  connectTimeoutMs?: number;
  maxPayloadBytes?: number;
}

export interface LiveSubscription {
  /** Stops for good: closes the connection and cancels any pending reconnect. */
  close(): void;
}

const LIVE_RETRY_POLICY = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * A long-lived subscription for discovery: events (stored and new) go to `onEventText` as raw text; a dropped
 * connection or a relay CLOSED is retried with full-jitter backoff until `close()`. Events may repeat after a
 * reconnect; the importer deduplicates by id.
 */
export function subscribe(
  url: string,
  filters: readonly Filter[],
  onEventText: (eventText: string) => void,
  options: SubscribeOptions = {},
): LiveSubscription {
  const relay = normalizeRelayUrl(url);
  checkFilters(filters);
  const random = options.random ?? Math.random;
  const policy = { ...LIVE_RETRY_POLICY, ...options.retryPolicy, maxAttempts: Number.POSITIVE_INFINITY };
  let stopped = false;
  let connection: RelayConnection | undefined;
  let wakeUp: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let failures = 0;
    while (!stopped) {
      let reason: string;
      try {
        connection = await RelayConnection.open(relay, {
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          maxPayloadBytes: options.maxPayloadBytes,
        });
        if (stopped) break;
        options.onStatus?.({ state: 'connected' });
        const live = connection;
        reason = await new Promise<string>((resolve) => {
          live.onClose(resolve);
          live.subscribe(filters, {
            onEventText,
            onEose() {
              failures = 0; // a subscription that reached EOSE was healthy: start the backoff afresh next time
              options.onStatus?.({ state: 'live' });
            },
            onClosed(message) {
              live.close();
              resolve(`relay closed the subscription: ${message}`);
            },
          });
        });
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (stopped) break;
      failures += 1;
      const retryInMs = nextRetryDelay(failures, random, policy);
      options.onStatus?.({ state: 'disconnected', reason, retryInMs });
      await pause(retryInMs);
    }
    connection?.close();
    options.onStatus?.({ state: 'stopped' });
  };
  void run();

  return {
    close() {
      if (stopped) return;
      stopped = true;
      connection?.close();
      wakeUp?.();
    },
  };
}
