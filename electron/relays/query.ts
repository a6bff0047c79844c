// Reading from relays for import and discovery. Events are handed on as the exact JSON text the relay sent:
// nothing here parses them into trusted objects — the importer re-parses, verifies id and signature, and decides.
// A relay that ends a REQ with `CLOSED "auth-required: …"` (NIP-42) is answered once per connection when the caller
// gave a signer, and the REQ is sent again; without one, or when the AUTH fails, the relay's reason is reported.

import { npubEncode } from 'nostr-tools/nip19';
import { DeclsignError, isDeclsignError } from '../core/errors';
import { RelayConnectError, RelayConnection, type AuthAttempt } from './connection';
import { nextRetryDelay, type RetryPolicy } from './outcome';
import type { SignAuth } from './publisher';
import { normalizeRelayUrl } from './url';

export type Filter = Record<string, unknown>;

/** How a read answers a relay's NIP-42 AUTH. */
export interface ReadAuth {
  /** Signs the kind-22242 event with the key chosen for this relay; absent = nobody answers. */
  sign?: SignAuth;
  /** Without `sign`: added to the relay's `auth-required:` reason (how to choose a key). */
  missingHint?: string;
}

export interface QueryOptions {
  deadlineMs: number;
  /** Stop (and CLOSE the subscription) once this many events arrived. */
  maxEvents: number;
  connectTimeoutMs?: number;
  maxPayloadBytes?: number;
  auth?: ReadAuth;
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
  /** The pubkey our NIP-42 AUTH was accepted for on this query's connection; null if we did not authenticate. */
  authenticatedAs: string | null;
}

const AUTH_REQUIRED = 'auth-required:';

/** Does a CLOSED reason ask us to authenticate (NIP-01 machine-readable prefix)? */
export const isAuthRequired = (reason: string) => reason.startsWith(AUTH_REQUIRED);

/** The relay's reason plus why nobody answered its AUTH, in the words an administrator acts on. */
function authFailureReason(reason: string, attempt: Exclude<AuthAttempt, { kind: 'accepted' }>): string {
  switch (attempt.kind) {
    case 'no-challenge':
      return `${reason} (the relay sent no NIP-42 AUTH challenge: ${attempt.detail})`;
    case 'sign-timeout':
      return `${reason} (${attempt.detail})`;
    case 'sign-failed': {
      const error = attempt.error;
      const why = isDeclsignError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
      return `${reason} (could not sign the NIP-42 AUTH event: ${why})`;
    }
    case 'refused':
      return `${reason} (the relay refused our NIP-42 AUTH as ${npubEncode(attempt.pubkey)}: ${attempt.message || 'no reason given'})`;
    case 'transport':
      return `${reason} (NIP-42 AUTH: ${attempt.detail})`;
  }
}

type AuthAnswer = { ok: true; pubkey: string } | { ok: false; reason: string };

/** Answers an `auth-required:` CLOSED on `connection`: authenticated, or the reason to report (hint included). */
async function answerAuthRequired(connection: RelayConnection, reason: string, auth: ReadAuth | undefined, timeoutMs: number): Promise<AuthAnswer> {
  if (auth?.sign === undefined) return { ok: false, reason: auth?.missingHint ? `${reason} (${auth.missingHint})` : reason };
  const attempt = await connection.authenticate(auth.sign, timeoutMs);
  return attempt.kind === 'accepted' ? { ok: true, pubkey: attempt.pubkey } : { ok: false, reason: authFailureReason(reason, attempt) };
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
  const reader = new RelayReader(url, options);
  try {
    return await reader.query(filters, options);
  } finally {
    reader.close();
  }
}

/**
 * REQ after REQ on one connection (the pages of an import): connects on the first query, answers the relay's NIP-42
 * AUTH at most once per connection, and reconnects only if the connection dropped. `close()` when done.
 */
export class RelayReader {
  readonly relay: string;
  readonly #options: Omit<QueryOptions, 'deadlineMs' | 'maxEvents'>;
  #connection: RelayConnection | undefined;
  #authTried = false;
  #authenticatedAs: string | null = null;

  constructor(url: string, options: Omit<QueryOptions, 'deadlineMs' | 'maxEvents'> = {}) {
    this.relay = normalizeRelayUrl(url);
    this.#options = options;
  }

  async query(filters: readonly Filter[], limits: Pick<QueryOptions, 'deadlineMs' | 'maxEvents'>): Promise<QueryResult> {
    checkFilters(filters);
    if (!Number.isSafeInteger(limits.maxEvents) || limits.maxEvents < 1) {
      throw new DeclsignError('invalid_input', `maxEvents must be a positive integer, got ${limits.maxEvents}`);
    }
    const startedAt = Date.now();
    const remaining = () => Math.max(0, startedAt + limits.deadlineMs - Date.now());
    const result: QueryResult = { relay: this.relay, eventTexts: [], end: 'deadline', reason: '', notices: [], ignoredFrames: 0, authenticatedAs: null };

    let connection = this.#connection;
    if (connection === undefined || !connection.isOpen) {
      try {
        connection = await RelayConnection.open(this.relay, {
          connectTimeoutMs: Math.min(this.#options.connectTimeoutMs ?? 10_000, remaining()),
          maxPayloadBytes: this.#options.maxPayloadBytes,
        });
      } catch (error) {
        result.end = 'connect-failed';
        result.reason = error instanceof RelayConnectError ? `${error.failure}: ${error.message}` : String(error);
        return result;
      }
      this.#connection = connection;
      this.#authTried = false;
      this.#authenticatedAs = null;
    }
    const open = connection;

    const request = () =>
      new Promise<{ end: QueryEnd; reason: string }>((resolve) => {
        let finished = false;
        let stopListening = () => {};
        const finish = (end: QueryEnd, reason = '') => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          stopListening();
          // The connection may serve the next page: no subscription of ours stays open on it.
          if (end === 'deadline' || end === 'max-events' || end === 'eose') subscription.close();
          resolve({ end, reason });
        };
        const timer = setTimeout(() => finish('deadline', `no EOSE within ${limits.deadlineMs} ms`), remaining());
        stopListening = open.onClose((detail) => finish('connection-dropped', detail));
        const subscription = open.subscribe(filters, {
          onEventText(text) {
            if (result.eventTexts.length >= limits.maxEvents) return;
            result.eventTexts.push(text);
            if (result.eventTexts.length === limits.maxEvents) finish('max-events');
          },
          onEose() {
            finish('eose');
          },
          onClosed(message) {
            finish('closed', message);
          },
        });
      });

    let answer = await request();
    if (answer.end === 'closed' && isAuthRequired(answer.reason)) {
      if (this.#authenticatedAs !== null) {
        answer.reason = `${answer.reason} (after NIP-42 AUTH as ${npubEncode(this.#authenticatedAs)})`;
      } else if (!this.#authTried) {
        // Once per connection: a relay that refuses the REQ again after a good AUTH (this key may not read there) is
        // reported, not retried.
        this.#authTried = true;
        const auth = await answerAuthRequired(open, answer.reason, this.#options.auth, remaining());
        if (auth.ok) {
          this.#authenticatedAs = auth.pubkey;
          answer = await request();
          if (answer.end === 'closed') answer.reason = `${answer.reason} (after NIP-42 AUTH as ${npubEncode(auth.pubkey)})`;
        } else {
          answer = { end: open.isOpen ? 'closed' : 'connection-dropped', reason: auth.reason };
        }
      }
    }
    result.end = answer.end;
    result.reason = answer.reason;
    result.authenticatedAs = this.#authenticatedAs;
    result.notices = [...open.notices];
    result.ignoredFrames = open.ignoredFrames;
    return result;
  }

  close(): void {
    this.#connection?.close();
    this.#connection = undefined;
  }
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
  auth?: ReadAuth;
}

export interface LiveSubscription {
  /** Stops for good: closes the connection and cancels any pending reconnect. */
  close(): void;
}

const LIVE_RETRY_POLICY = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * A long-lived subscription for discovery: events (stored and new) go to `onEventText` as raw text; a dropped
 * connection or a relay CLOSED is retried with full-jitter backoff until `close()`. Events may repeat after a
 * reconnect; the importer deduplicates by id. A CLOSED `auth-required:` is answered (with `options.auth`) once per
 * connection and the subscription sent again; if it cannot be, the connection ends with the reason and is retried later.
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
          let authTried = false;
          const fail = (why: string) => {
            // Resolved before closing: closing reports "closed by us" to the same promise.
            resolve(`relay closed the subscription: ${why}`);
            live.close();
          };
          const open = () =>
            live.subscribe(filters, {
              onEventText,
              onEose() {
                failures = 0; // a subscription that reached EOSE was healthy: start the backoff afresh next time
                options.onStatus?.({ state: 'live' });
              },
              onClosed(message) {
                if (authTried || !isAuthRequired(message)) return fail(authTried ? `${message} (after NIP-42 AUTH)` : message);
                authTried = true; // one AUTH per connection, whatever comes of it
                void answerAuthRequired(live, message, options.auth, options.connectTimeoutMs ?? 10_000).then((answer) => {
                  if (stopped || !live.isOpen) return;
                  if (answer.ok) open();
                  else fail(answer.reason);
                });
              },
            });
          open();
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
