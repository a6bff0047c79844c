// The publish outbox: one row per (declaration, event, relay). A row is written `pending` before the event goes on the
// wire and updated as the relay answers, so a crash loses nothing: every row not yet `published` or `failed` is sent
// again by the next resume. UNIQUE(event_id, relay_url) and "a published row never changes" make every write
// idempotent, so a resend that the relay answers with `duplicate:` simply confirms what we have.
// The declaration's nostr_publish_status / _published_at / _published_to_relays are derived from these rows.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import { normalizeStamp, prepared, withTransaction } from './database';
import { getDeclarationEvent, parseEventJson } from './declaration-events';
import { setPublishState, type NostrPublishStatus } from './declarations';

export type SendState = 'pending' | 'published' | 'failed' | 'retrying';
export type SendRole = 'primary' | 'wrapper' | 'countersignature' | 'deletion';

export interface OutboxRow {
  id: number;
  declaration_uuid: string;
  event_id: string;
  role: SendRole;
  relay_url: string;
  state: SendState;
  /** Delivery attempts over every round (a connection that failed counts; an event not sent for a NIP-11 limit does not). */
  attempts: number;
  next_attempt_at: string | null;
  /** The relay's own words, or what went wrong on the way. */
  last_message: string | null;
  last_prefix: string | null;
  first_sent_at: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewSend {
  declaration_uuid: string;
  event_id: string;
  role: SendRole;
  relay_url: string;
}

export interface EnqueueReport {
  /** New rows. */
  queued: number;
  /** Retrying or failed rows made due now (an explicit publish is a request to try again). */
  requeued: number;
  /** Pairs already published: nothing to send. */
  alreadyPublished: number;
}

/**
 * Writes `pending` rows for every pair, in one transaction, before anything is sent. An existing pair keeps its row:
 * published stays published; retrying becomes due now; failed becomes pending with a fresh attempt budget.
 */
export function enqueueSends(db: Database, sends: readonly NewSend[], now: string): EnqueueReport {
  const stamp = normalizeStamp(now);
  const report: EnqueueReport = { queued: 0, requeued: 0, alreadyPublished: 0 };
  withTransaction(db, () => {
    const insert = prepared(db, `INSERT INTO publish_outbox (declaration_uuid, event_id, role, relay_url, state, created_at, updated_at)
                                 VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (event_id, relay_url) DO NOTHING`);
    const existing = prepared<Pick<OutboxRow, 'id' | 'state' | 'declaration_uuid'>>(
      db,
      'SELECT id, state, declaration_uuid FROM publish_outbox WHERE event_id = ? AND relay_url = ?',
    );
    const requeue = prepared(db, `UPDATE publish_outbox SET state = 'pending', next_attempt_at = NULL,
                                    attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, updated_at = ?
                                  WHERE id = ? AND state IN ('retrying', 'failed')`);
    for (const send of sends) {
      if (insert.run(send.declaration_uuid, send.event_id, send.role, send.relay_url, stamp, stamp).changes === 1) {
        report.queued += 1;
        continue;
      }
      const row = existing.get(send.event_id, send.relay_url)!;
      if (row.declaration_uuid !== send.declaration_uuid) {
        throw new DeclsignError('invalid_input', `Event ${send.event_id} is queued for declaration ${row.declaration_uuid}, not ${send.declaration_uuid}`);
      }
      if (row.state === 'published') report.alreadyPublished += 1;
      else if (requeue.run(stamp, row.id).changes === 1) report.requeued += 1;
    }
  });
  return report;
}

export interface DueQuery {
  /** Rows whose retry time is at or before this instant are due (pending rows always are). */
  now: string;
  declarationUuids?: readonly string[];
  relays?: readonly string[];
  /** Also take retrying rows whose time has not come (an explicit "retry this now"). */
  ignoreBackoff?: boolean;
}

/** Rows to send in the next round: pending ones, and retrying ones that are due; oldest first. */
export function listDueSends(db: Database, query: DueQuery): OutboxRow[] {
  const stamp = normalizeStamp(query.now);
  const rows = prepared<OutboxRow>(
    db,
    `SELECT * FROM publish_outbox
     WHERE state = 'pending' OR (state = 'retrying' AND (@ignore = 1 OR next_attempt_at <= @now))
     ORDER BY id`,
  ).all({ now: stamp, ignore: query.ignoreBackoff ? 1 : 0 });
  const uuids = query.declarationUuids && new Set(query.declarationUuids);
  const relays = query.relays && new Set(query.relays);
  return rows.filter((row) => (!uuids || uuids.has(row.declaration_uuid)) && (!relays || relays.has(row.relay_url)));
}

/** Every row of a declaration (its own events and the deletions it caused), in the order queued. */
export function listSends(db: Database, declarationUuid: string): OutboxRow[] {
  return prepared<OutboxRow>(db, 'SELECT * FROM publish_outbox WHERE declaration_uuid = ? ORDER BY id').all(declarationUuid);
}

/** The earliest retry still waiting, to tell the administrator when the outbox will try again. */
export function nextRetryAt(db: Database): string | null {
  return prepared<{ at: string | null }>(db, `SELECT min(next_attempt_at) AS at FROM publish_outbox WHERE state = 'retrying'`).get()!.at;
}

export interface SendResult {
  state: Exclude<SendState, 'pending'>;
  prefix: string | null;
  message: string;
  /** Added to `attempts`: 1 for a delivery attempt, 0 for an event not sent (NIP-11 limit). */
  attemptsAdded: number;
  firstSentAt: string | null;
  /** When it was settled; becomes `published_at` for a published pair. */
  settledAt: string;
  /** Required for `retrying`. */
  nextAttemptAt: string | null;
}

/**
 * Records one relay's answer. Idempotent: a published row never changes again (a later answer for the same pair —
 * a resend after a crash, a duplicate round — cannot undo or double-count it). Returns whether the row changed.
 */
export function recordSendResult(db: Database, id: number, result: SendResult, now: string): boolean {
  const stamp = normalizeStamp(now);
  if (result.state === 'retrying' && result.nextAttemptAt === null) {
    throw new DeclsignError('internal_error', 'A retrying send needs its next attempt time');
  }
  return (
    prepared(db, `UPDATE publish_outbox SET state = @state, attempts = attempts + @added,
                    next_attempt_at = @next, last_message = @message, last_prefix = @prefix,
                    first_sent_at = COALESCE(first_sent_at, @first), published_at = CASE WHEN @state = 'published' THEN @settled ELSE NULL END,
                    updated_at = @now
                  WHERE id = @id AND state <> 'published'`).run({
      id,
      state: result.state,
      added: result.attemptsAdded,
      next: result.state === 'retrying' ? normalizeStamp(result.nextAttemptAt!, 'next_attempt_at') : null,
      message: result.message.slice(0, 2_000),
      prefix: result.prefix,
      first: result.firstSentAt === null ? null : normalizeStamp(result.firstSentAt, 'first_sent_at'),
      settled: normalizeStamp(result.settledAt, 'settledAt'),
      now: stamp,
    }).changes === 1
  );
}

// --- events that are not a declaration's own (NIP-09 deletion requests) --------------------------------------------

export interface ExtraEventRow {
  event_id: string;
  declaration_uuid: string;
  role: 'deletion';
  target_uuid: string;
  pubkey: string;
  event_json: string;
  recorded_at: string;
}

/** The deletion request already made by `pubkey` when publishing revocation `declarationUuid` of `targetUuid`. */
export function getDeletionRequest(db: Database, declarationUuid: string, targetUuid: string, pubkey: string): ExtraEventRow | undefined {
  return prepared<ExtraEventRow>(db, 'SELECT * FROM publish_extra_events WHERE declaration_uuid = ? AND target_uuid = ? AND pubkey = ?').get(
    declarationUuid,
    targetUuid,
    pubkey,
  );
}

/** Stores a signed NIP-09 deletion request, exact text; idempotent per (revocation, target, pubkey). */
export function insertDeletionRequest(
  db: Database,
  input: { declaration_uuid: string; target_uuid: string; event_json: string },
  now: string,
): ExtraEventRow {
  const stamp = normalizeStamp(now);
  const header = parseEventJson(input.event_json);
  if (header.kind !== 5) throw new DeclsignError('invalid_input', `A deletion request is kind 5, got ${header.kind}`);
  prepared(db, `INSERT INTO publish_extra_events (event_id, declaration_uuid, role, target_uuid, pubkey, event_json, recorded_at)
                VALUES (?, ?, 'deletion', ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(
    header.id,
    input.declaration_uuid,
    input.target_uuid,
    header.pubkey,
    input.event_json,
    stamp,
  );
  return getDeletionRequest(db, input.declaration_uuid, input.target_uuid, header.pubkey)!;
}

/** The exact JSON text of an event in the outbox: a declaration's own event or a deletion request. */
export function outboxEventJson(db: Database, eventId: string): string | undefined {
  return (
    getDeclarationEvent(db, eventId)?.event_json ??
    prepared<{ event_json: string }>(db, 'SELECT event_json FROM publish_extra_events WHERE event_id = ?').get(eventId)?.event_json
  );
}

// --- the declaration's publish state, derived ------------------------------------------------------------------------

export interface DerivedPublishState {
  status: NostrPublishStatus;
  /** Relays holding the current event. */
  relays: string[];
  /** When the current event was first accepted by a relay. */
  publishedAt: string | null;
}

/**
 * What the outbox says about the declaration's current Nostr event (its primary or latest wrapper): published once
 * one relay accepted it; retrying while some relay may still take it; failed when every relay refused for good;
 * pending otherwise. Undefined when that event was never queued.
 */
export function derivePublishState(db: Database, declarationUuid: string): DerivedPublishState | undefined {
  return deriveFrom(db, declarationUuid, currentPublication(db, declarationUuid));
}

function deriveFrom(db: Database, declarationUuid: string, current: CurrentPublication): DerivedPublishState | undefined {
  const carrier = current.nostr_event_id;
  if (carrier === null) return undefined;
  const rows = prepared<Pick<OutboxRow, 'state' | 'relay_url' | 'published_at'>>(
    db,
    'SELECT state, relay_url, published_at FROM publish_outbox WHERE declaration_uuid = ? AND event_id = ? ORDER BY id',
  ).all(declarationUuid, carrier);
  if (rows.length === 0) return undefined;
  const published = rows.filter((row) => row.state === 'published');
  if (published.length > 0) {
    const publishedAt = published.map((row) => row.published_at!).sort()[0]!;
    return { status: 'published', relays: published.map((row) => row.relay_url), publishedAt };
  }
  const status: NostrPublishStatus = rows.some((row) => row.state === 'retrying')
    ? 'retrying'
    : rows.every((row) => row.state === 'failed')
      ? 'failed'
      : 'pending';
  return { status, relays: [], publishedAt: null };
}

interface CurrentPublication {
  nostr_event_id: string | null;
  nostr_publish_status: NostrPublishStatus | null;
  nostr_published_to_relays: string;
  nostr_published_at: string | null;
}

/** The publication columns only: the whole row (signed data, events) is far larger and not needed here. */
function currentPublication(db: Database, declarationUuid: string): CurrentPublication {
  const row = prepared<CurrentPublication>(
    db,
    `SELECT nostr_event_id, nostr_publish_status, nostr_published_to_relays, nostr_published_at
     FROM admindeclarations WHERE declaration_uuid = ?`,
  ).get(declarationUuid);
  if (!row) throw new DeclsignError('not_found', `No declaration ${declarationUuid}`, { declaration_uuid: declarationUuid });
  return row;
}

/** Writes the derived state onto the declaration (in the caller's transaction when there is one). */
export function syncPublishState(db: Database, declarationUuid: string, now: string): DerivedPublishState | undefined {
  const current = currentPublication(db, declarationUuid);
  const derived = deriveFrom(db, declarationUuid, current);
  const unchanged =
    derived !== undefined &&
    current.nostr_publish_status === derived.status &&
    current.nostr_published_to_relays === JSON.stringify(derived.relays) &&
    (derived.publishedAt === null || current.nostr_published_at === derived.publishedAt);
  if (derived && !unchanged) {
    setPublishState(db, declarationUuid, { status: derived.status, relays: derived.relays, published_at: derived.publishedAt }, now);
  }
  return derived;
}
