// Publishes a batch of signed events to several relays and reports an outcome for every (event, relay) pair.
// All relays in parallel, one connection each, events pipelined on it (up to `maxInFlight` awaiting OK).
// The whole call ends by `deadlineMs` whatever the relays do. Pure of storage: the outbox persists the result.

import { DeclsignError, isDeclsignError } from '../core/errors';
import type { NostrEvent, UnsignedNostrEvent } from '../core/declaration/types';
import { RelayConnectError, RelayConnection, type SendResult } from './connection';
import { eventFrame, relayLimitViolation } from './limits';
import type { RelayInfo } from './nip11';
import { classifyOk, classifyTransportFailure, RELAY_LIMIT_PREFIX, type OutcomeClass, type PublishState } from './outcome';
import { normalizeRelayUrl, normalizeRelayUrls } from './url';

export type SignAuth = (template: UnsignedNostrEvent) => NostrEvent | Promise<NostrEvent>;

export interface PublishBatchOptions {
  relays: readonly string[];
  events: readonly NostrEvent[];
  /** Signs the NIP-42 AUTH event (the publishing admin's key); without it `auth-required:` is final. */
  signAuth?: SignAuth;
  /** NIP-11 documents by relay URL: events breaking an advertised limit are not sent. */
  relayInfo?: ReadonlyMap<string, RelayInfo>;
  /** Bound on the whole call, connections and AUTH included. */
  deadlineMs: number;
  connectTimeoutMs?: number;
  /** Events sent but not yet answered, per relay. */
  maxInFlight?: number;
  maxPayloadBytes?: number;
  pingIntervalMs?: number;
  /** Called once per (event, relay) as soon as its outcome is known; must not throw. */
  onProgress?: (outcome: PublishOutcome) => void;
  /** Clock in ms since the epoch (default Date.now); also the basis of `created_at` limits and AUTH. */
  now?: () => number;
}

export interface PublishOutcome extends OutcomeClass {
  eventId: string;
  relay: string;
  /** EVENT frames sent for this pair during this call: 0 (not sent), 1, or 2 (resent after AUTH). */
  attempts: number;
  firstSentAt: number | null;
  settledAt: number;
}

export interface RelayReport {
  relay: string;
  connected: boolean;
  connectError?: string;
  /** Did the relay accept our NIP-42 AUTH on this connection? */
  authenticated: boolean;
  notices: string[];
  ignoredFrames: number;
}

export interface PublishBatchResult {
  /** In event order, then relay order. */
  outcomes: PublishOutcome[];
  relays: RelayReport[];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_IN_FLIGHT = 500;
/** How long to wait for a challenge that the relay has not sent with its `auth-required:`. */
const CHALLENGE_WAIT_MS = 2_000;

export async function publishBatch(options: PublishBatchOptions): Promise<PublishBatchResult> {
  const { events, deadlineMs } = options;
  if (events.length === 0) throw new DeclsignError('nothing_to_publish', 'No events to publish');
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    throw new DeclsignError('invalid_input', `deadlineMs must be a positive number, got ${deadlineMs}`);
  }
  const relays = normalizeRelayUrls(options.relays);
  if (relays.length === 0) throw new DeclsignError('invalid_input', 'No relays to publish to');
  const ids = new Set(events.map((event) => event.id));
  if (ids.size !== events.length) throw new DeclsignError('invalid_input', 'The batch contains the same event twice');

  const infoByRelay = new Map<string, RelayInfo>();
  for (const [url, info] of options.relayInfo ?? []) infoByRelay.set(normalizeRelayUrl(url), info);

  const now = options.now ?? Date.now;
  const deadlineAt = now() + deadlineMs;
  const perRelay = await Promise.all(
    relays.map((relay) => publishToRelay(relay, options, infoByRelay.get(relay), now, deadlineAt)),
  );

  const outcomes: PublishOutcome[] = [];
  for (const event of events) {
    for (const { byEventId } of perRelay) outcomes.push(byEventId.get(event.id)!);
  }
  return { outcomes, relays: perRelay.map(({ report }) => report) };
}

type AuthResult = { ok: true } | { ok: false; outcome: OutcomeClass };

async function publishToRelay(
  relay: string,
  options: PublishBatchOptions,
  info: RelayInfo | undefined,
  now: () => number,
  deadlineAt: number,
): Promise<{ byEventId: Map<string, PublishOutcome>; report: RelayReport }> {
  const remaining = () => Math.max(0, deadlineAt - now());
  const byEventId = new Map<string, PublishOutcome>();
  const report: RelayReport = { relay, connected: false, authenticated: false, notices: [], ignoredFrames: 0 };

  const record = (event: NostrEvent, outcome: OutcomeClass, attempts: number, firstSentAt: number | null) => {
    const settled: PublishOutcome = { ...outcome, eventId: event.id, relay, attempts, firstSentAt, settledAt: now() };
    byEventId.set(event.id, settled);
    try {
      options.onProgress?.(settled);
    } catch {
      // A progress display must not be able to lose a publish result.
    }
  };

  // Frames are built once: the size check measures exactly what is sent.
  const toSend: Array<{ event: NostrEvent; frame: string }> = [];
  const nowSeconds = Math.floor(now() / 1000);
  for (const event of options.events) {
    const frame = eventFrame(event);
    const violation = info ? relayLimitViolation(event, info.limitation, nowSeconds, frame) : null;
    if (violation) record(event, { state: 'failed', prefix: RELAY_LIMIT_PREFIX, reason: `not sent: ${violation}` }, 0, null);
    else toSend.push({ event, frame });
  }
  if (toSend.length === 0) return { byEventId, report };

  let connection: RelayConnection;
  try {
    connection = await RelayConnection.open(relay, {
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, remaining()),
      maxPayloadBytes: options.maxPayloadBytes,
      pingIntervalMs: options.pingIntervalMs,
    });
  } catch (error) {
    const failure = error instanceof RelayConnectError ? error.failure : 'connect-failed';
    const detail = error instanceof Error ? error.message : String(error);
    report.connectError = detail;
    for (const { event } of toSend) record(event, classifyTransportFailure(failure, `could not connect: ${detail}`), 0, null);
    return { byEventId, report };
  }
  report.connected = true;

  let auth: Promise<AuthResult> | undefined;
  const authenticateOnce = () => (auth ??= authenticate(connection, options.signAuth!, now, remaining));

  const sendOne = async ({ event, frame }: { event: NostrEvent; frame: string }) => {
    if (!connection.isOpen || remaining() === 0) {
      const why = connection.isOpen ? 'the batch deadline passed first' : 'the connection dropped first';
      record(event, classifyTransportFailure('not-sent', `not sent: ${why}`), 0, null);
      return;
    }
    const firstSentAt = now();
    const first = await connection.sendEvent(event, remaining(), frame);
    const firstOutcome = outcomeOf(first, { canAuthenticate: options.signAuth !== undefined, authenticated: false });
    if (firstOutcome.prefix !== 'auth-required' || firstOutcome.state !== 'retrying') {
      record(event, firstOutcome, 1, firstSentAt);
      return;
    }
    const authResult = await authenticateOnce();
    if (!authResult.ok) {
      record(event, authResult.outcome, 1, firstSentAt);
      return;
    }
    const second = await connection.sendEvent(event, remaining(), frame);
    record(event, outcomeOf(second, { canAuthenticate: true, authenticated: true }), 2, firstSentAt);
  };

  // Pipelining: up to maxInFlight workers each keep one event awaiting its OK.
  let next = 0;
  const worker = async () => {
    while (next < toSend.length) await sendOne(toSend[next++]!);
  };
  const workers = Math.min(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, toSend.length);
  await Promise.all(Array.from({ length: workers }, worker));

  report.authenticated = (await auth)?.ok ?? false;
  report.notices = [...connection.notices];
  report.ignoredFrames = connection.ignoredFrames;
  connection.close();
  return { byEventId, report };
}

function outcomeOf(result: SendResult, context: { canAuthenticate: boolean; authenticated: boolean }): OutcomeClass {
  return result.kind === 'ok'
    ? classifyOk(result.accepted, result.message, context)
    : classifyTransportFailure(result.failure, result.detail);
}

/** NIP-42 for a publish: the connection's answer, as the outcome the events waiting on it get when it fails. */
async function authenticate(connection: RelayConnection, signAuth: SignAuth, now: () => number, remaining: () => number): Promise<AuthResult> {
  const failed = (reason: string): AuthResult => ({ ok: false, outcome: { state: 'failed', prefix: 'auth-required', reason } });
  const attempt = await connection.authenticate(signAuth, remaining(), now, CHALLENGE_WAIT_MS);
  switch (attempt.kind) {
    case 'accepted':
      return { ok: true };
    case 'no-challenge':
      return connection.isOpen
        ? failed('relay requires NIP-42 AUTH but sent no challenge')
        : { ok: false, outcome: classifyTransportFailure('connection-dropped', 'connection dropped while waiting for the AUTH challenge') };
    case 'sign-timeout':
      // A signer that is merely slow (a remote signer awaiting approval) may well answer next time.
      return { ok: false, outcome: classifyTransportFailure('timeout', 'signing the AUTH event did not finish within the batch deadline') };
    case 'sign-failed': {
      const { error } = attempt;
      // A locked store will sign once the administrator unlocks it: that is a later attempt, not a refusal.
      if (isDeclsignError(error) && error.code === 'store_locked') {
        return { ok: false, outcome: { state: 'retrying', prefix: 'auth-required', reason: 'relay requires NIP-42 AUTH and the store is locked; retried after unlock' } };
      }
      return failed(`could not sign the NIP-42 AUTH event: ${error instanceof Error ? error.message : String(error)}`);
    }
    case 'transport':
      return { ok: false, outcome: classifyTransportFailure(attempt.failure, `AUTH: ${attempt.detail}`) };
    case 'refused':
      return failed(`relay refused our NIP-42 AUTH: ${attempt.message || 'no reason given'}`);
  }
}

/** Counts of each state, for a summary line. */
export function summarizeOutcomes(outcomes: readonly PublishOutcome[]): Record<PublishState, number> {
  const counts: Record<PublishState, number> = { published: 0, retrying: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.state] += 1;
  return counts;
}
