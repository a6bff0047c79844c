// What a relay's answer means for one (event, relay) pair, and when to try again. Pure: the caller supplies
// randomness and counts attempts. Only `OK` and transport failures decide a state; NOTICE never does (NIP-01).

export type PublishState = 'published' | 'retrying' | 'failed';

export interface OutcomeClass {
  state: PublishState;
  /** Machine-readable prefix of the OK message without the colon (`rate-limited`), or the transport failure kind. */
  prefix: string | null;
  /** Shown to the administrator as is: the relay's own words where it gave any. */
  reason: string;
}

/** Prefixes of NIP-01 and NIP-42 whose meaning we act on. */
const RETRYABLE_PREFIXES = new Set(['rate-limited', 'error']);
const PERMANENT_PREFIXES = new Set(['blocked', 'invalid', 'restricted', 'mute', 'pow']);

/** `"rate-limited: slow down"` → `rate-limited`; null when there is no single-word prefix. */
export function okPrefix(message: string): string | null {
  const match = /^([a-z][a-z0-9-]*):/.exec(message);
  return match ? match[1]! : null;
}

export interface OkContext {
  /** A signer for NIP-42 AUTH was supplied and the relay sent a challenge. */
  canAuthenticate: boolean;
  /** This relay already took our AUTH on this connection (a second `auth-required:` will not be answered). */
  authenticated: boolean;
}

/**
 * Classifies an `["OK", id, accepted, message]`.
 * `auth-required:` is `retrying` with prefix `auth-required` only while AUTH can still help; the publisher then
 * authenticates and resends once.
 */
export function classifyOk(accepted: boolean, message: string, context: OkContext): OutcomeClass {
  const prefix = okPrefix(message);
  if (accepted) {
    // `duplicate:` and `pow:` on a true OK are information: the relay has the event.
    return { state: 'published', prefix, reason: message === '' ? 'accepted' : message };
  }
  const said = message === '' ? 'refused without a message' : message;
  if (prefix === 'auth-required') {
    if (context.authenticated) {
      return { state: 'failed', prefix, reason: `still refused after NIP-42 AUTH: ${said}` };
    }
    if (!context.canAuthenticate) {
      return { state: 'failed', prefix, reason: `relay requires NIP-42 AUTH and no challenge or signer is available: ${said}` };
    }
    return { state: 'retrying', prefix, reason: said };
  }
  if (prefix !== null && RETRYABLE_PREFIXES.has(prefix)) return { state: 'retrying', prefix, reason: said };
  if (prefix !== null && PERMANENT_PREFIXES.has(prefix)) return { state: 'failed', prefix, reason: said };
  const why = prefix === null ? 'refused with no machine-readable prefix' : `refused with unknown prefix "${prefix}:"`;
  return { state: 'failed', prefix, reason: `${why}: ${said}` };
}

export type TransportFailure =
  /** Connecting failed (refused, DNS, TLS, handshake). */
  | 'connect-failed'
  /** No connection within the connect deadline. */
  | 'connect-timeout'
  /** The socket closed or errored before the relay answered. */
  | 'connection-dropped'
  /** The relay did not answer within the deadline. */
  | 'timeout'
  /** The batch ended before this event could be sent. */
  | 'not-sent';

/** The prefix of an event held back because it breaks a relay's advertised NIP-11 limit: it never reached the relay. */
export const RELAY_LIMIT_PREFIX = 'relay-limit';

/**
 * What one publish answer says about the relay itself, for its "last error": why it refused the event or could not be
 * reached, null when it took the event (it works), undefined when the event never reached it (held back for a limit,
 * which says nothing about the relay's health).
 */
export function relayErrorAfter(outcome: Pick<OutcomeClass, 'state' | 'prefix' | 'reason'>): string | null | undefined {
  if (outcome.prefix === RELAY_LIMIT_PREFIX) return undefined;
  return outcome.state === 'published' ? null : `Publishing: ${outcome.reason}`;
}

/** Every transport failure is worth another try later; the attempt policy decides when to stop. */
export function classifyTransportFailure(kind: TransportFailure, detail: string): OutcomeClass {
  return { state: 'retrying', prefix: kind, reason: detail };
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many attempts a `retrying` outcome becomes `failed`. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 10 * 60_000, maxAttempts: 10 };

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt−1))).
 * `attempt` counts from 1 (the delay before the second try). `random` must return a value in [0, 1).
 */
export function nextRetryDelay(attempt: number, random: () => number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${r}`);
  // Cap the exponent before computing so large attempt counts cannot overflow to Infinity.
  const exponent = Math.min(attempt - 1, 52);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(r * ceiling);
}

export interface RetryDecision extends OutcomeClass {
  /** Present when state is `retrying`: wait this long before the next attempt. */
  retryInMs?: number;
}

/** Applies the attempt budget: a `retrying` outcome after `attemptsMade` attempts either waits or becomes `failed`. */
export function decideRetry(
  outcome: OutcomeClass,
  attemptsMade: number,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  if (outcome.state !== 'retrying') return outcome;
  if (attemptsMade >= policy.maxAttempts) {
    return { ...outcome, state: 'failed', reason: `gave up after ${attemptsMade} attempts; last: ${outcome.reason}` };
  }
  return { ...outcome, retryInMs: nextRetryDelay(attemptsMade, random, policy) };
}
