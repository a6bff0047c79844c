// One round of the publish outbox: send the given rows (already written `pending`/`retrying`), each relay on its own
// connection, the whole round bounded by one deadline, and record every answer as it arrives in small transactions.
// A crash at any point leaves each pair either recorded or still due; nothing is held only in memory.

import type { Database } from 'better-sqlite3';
import type { NostrEvent } from '../core/declaration/types';
import { DeclsignError } from '../core/errors';
import { withTransaction } from '../store/database';
import { setRelayPublishErrors } from '../store/relays';
import { outboxEventJson, recordSendResult, syncPublishState, type OutboxRow, type SendResult } from '../store/outbox';
import type { RelayInfo } from './nip11';
import { decideRetry, DEFAULT_RETRY_POLICY, RELAY_LIMIT_PREFIX, relayErrorAfter, type RetryPolicy } from './outcome';
import { publishBatch, type PublishOutcome, type SignAuth } from './publisher';

/** Who answers a relay's NIP-42 AUTH when sending events by `authorPubkey`. `key` groups sends onto one connection. */
export interface AuthSigner {
  key: string;
  sign: SignAuth;
}

export interface OutboxRoundOptions {
  db: Database;
  sends: readonly OutboxRow[];
  /** Bound on the whole round, connections and AUTH included. */
  deadlineMs: number;
  connectTimeoutMs?: number;
  now: () => Date;
  /** Uniform in [0, 1): the retry jitter. */
  random: () => number;
  authSignerFor(authorPubkey: string): AuthSigner | undefined;
  /** NIP-11 documents by relay URL: events over a relay's limits are not sent and the limit is recorded. */
  relayInfo?: ReadonlyMap<string, RelayInfo>;
  retryPolicy?: RetryPolicy;
  /** After each answer is stored; must not throw. */
  onRecorded?(row: OutboxRow, result: SendResult, done: number, total: number): void;
}

export interface OutboxRoundReport {
  attempted: number;
  published: number;
  retrying: number;
  failed: number;
  /** Declarations whose rows changed in this round. */
  declarationUuids: string[];
}

const FLUSH_INTERVAL_MS = 20;
const FLUSH_MAX_BATCH = 500;

interface Group {
  relay: string;
  signer: AuthSigner | undefined;
  rows: OutboxRow[];
  events: NostrEvent[];
}

/** Runs one round; never rejects for network reasons (every pair gets an answer, a timeout at worst). */
export async function runOutboxRound(options: OutboxRoundOptions): Promise<OutboxRoundReport> {
  const { db, sends } = options;
  const report: OutboxRoundReport = { attempted: sends.length, published: 0, retrying: 0, failed: 0, declarationUuids: [] };
  if (sends.length === 0) return report;
  const touched = new Set<string>();
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const groups = groupSends(db, sends, options.authSignerFor);
  // Each relay's last error as this round shows it: its latest refusal or transport failure, or null while everything
  // it answered was accepted. An acceptance later in the round does not hide a failure earlier in it.
  const relayErrors = new Map<string, string | null>();

  // Answers are queued and written together at most FLUSH_INTERVAL_MS after the first of them arrives (sooner when
  // FLUSH_MAX_BATCH are waiting): a burst of OKs from several relays costs one small transaction, and a crash can lose
  // only answers that a resume then gets again (as `duplicate:`).
  let queue: Array<{ row: OutboxRow; outcome: PublishOutcome }> = [];
  let timer: NodeJS.Timeout | undefined;
  let flushError: unknown;
  let done = 0;
  const flush = () => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const stamp = options.now().toISOString();
    const recorded: Array<{ row: OutboxRow; result: SendResult }> = [];
    withTransaction(db, () => {
      const declarations = new Set<string>();
      const relaysAnswered = new Map<string, string | null>();
      for (const { row, outcome } of batch) {
        const result = sendResultOf(row, outcome, options.now(), options.random, policy);
        recordSendResult(db, row.id, result, stamp);
        declarations.add(row.declaration_uuid);
        recorded.push({ row, result });
        const relayError = relayErrorAfter({ state: result.state, prefix: result.prefix, reason: result.message });
        if (relayError === undefined) continue;
        const roundError = relayError ?? relayErrors.get(row.relay_url) ?? null;
        relayErrors.set(row.relay_url, roundError);
        relaysAnswered.set(row.relay_url, roundError);
      }
      for (const uuid of declarations) {
        syncPublishState(db, uuid, stamp);
        touched.add(uuid);
      }
      setRelayPublishErrors(db, relaysAnswered, stamp);
    });
    for (const { row, result } of recorded) {
      report[result.state] += 1;
      done += 1;
      try {
        options.onRecorded?.(row, result, done, sends.length);
      } catch {
        // A progress display must not be able to lose a result.
      }
    }
  };
  const flushNow = () => {
    clearTimeout(timer);
    timer = undefined;
    try {
      flush();
    } catch (error) {
      // Not swallowed: the round rethrows it once every connection has settled.
      flushError ??= error;
    }
  };
  const enqueue = (row: OutboxRow, outcome: PublishOutcome) => {
    queue.push({ row, outcome });
    if (queue.length >= FLUSH_MAX_BATCH) flushNow();
    else timer ??= setTimeout(flushNow, FLUSH_INTERVAL_MS);
  };

  const deadlineAt = Date.now() + options.deadlineMs;
  await Promise.all(
    groups.map(async (group) => {
      const rowByEvent = new Map(group.rows.map((row) => [row.event_id, row]));
      await publishBatch({
        relays: [group.relay],
        events: group.events,
        ...(group.signer ? { signAuth: group.signer.sign } : {}),
        ...(options.relayInfo ? { relayInfo: options.relayInfo } : {}),
        deadlineMs: Math.max(1, deadlineAt - Date.now()),
        ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        onProgress: (outcome) => enqueue(rowByEvent.get(outcome.eventId)!, outcome),
      });
    }),
  );
  flushNow();
  if (flushError !== undefined) throw flushError;
  report.declarationUuids = [...touched];
  return report;
}

/** One connection per (relay, AUTH key): a relay that checks the AUTH key against the author sees the right key. */
function groupSends(db: Database, sends: readonly OutboxRow[], authSignerFor: (pubkey: string) => AuthSigner | undefined): Group[] {
  const groups = new Map<string, Group>();
  const seen = new Set<string>();
  const eventsById = new Map<string, NostrEvent>();
  for (const row of sends) {
    const pair = `${row.event_id} ${row.relay_url}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    let event = eventsById.get(row.event_id);
    if (!event) {
      const json = outboxEventJson(db, row.event_id);
      if (json === undefined) throw new DeclsignError('internal_error', `Outbox row ${row.id} names event ${row.event_id}, which is not stored`);
      eventsById.set(row.event_id, (event = JSON.parse(json) as NostrEvent));
    }
    const signer = authSignerFor(event.pubkey);
    const key = `${row.relay_url} ${signer?.key ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { relay: row.relay_url, signer, rows: [], events: [] }));
    group.rows.push(row);
    group.events.push(event);
  }
  return [...groups.values()];
}

/** The row update for one answer: the attempt budget turns a transient failure into `failed` at the end. */
export function sendResultOf(row: OutboxRow, outcome: PublishOutcome, now: Date, random: () => number, policy: RetryPolicy): SendResult {
  // An event held back for a NIP-11 limit never reached the relay: that is not a delivery attempt.
  const attemptsAdded = outcome.prefix === RELAY_LIMIT_PREFIX && outcome.attempts === 0 ? 0 : 1;
  const decision = decideRetry(outcome, row.attempts + attemptsAdded, random, policy);
  return {
    state: decision.state,
    prefix: decision.prefix,
    message: decision.reason,
    attemptsAdded,
    firstSentAt: outcome.firstSentAt === null ? null : new Date(outcome.firstSentAt).toISOString(),
    settledAt: new Date(outcome.settledAt).toISOString(),
    nextAttemptAt: decision.state === 'retrying' ? new Date(now.getTime() + (decision.retryInMs ?? 0)).toISOString() : null,
  };
}

/** A uniform [0, 1) number from 4 random bytes (the context's randomness, so tests can pin it). */
export function randomUnit(randomBytes: (length: number) => Uint8Array): () => number {
  return () => {
    const bytes = randomBytes(4);
    return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) / 2 ** 32;
  };
}
