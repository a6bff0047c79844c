// Every Nostr event that belongs to a declaration, kept as the exact JSON text produced or received.
// The store checks the event's shape (it must be indexable) but not its signature: verification is core's job.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import { isLowerHex } from '../core/hex';
import { normalizeStamp, prepared, rethrowConstraint } from './database';

export type DeclarationEventRole = 'primary' | 'wrapper' | 'countersignature';

export interface DeclarationEventRow {
  event_id: string;
  declaration_uuid: string;
  role: DeclarationEventRole;
  pubkey: string;
  /** The event's own created_at (Unix seconds). */
  created_at: number;
  /** Exact JSON text. */
  event_json: string;
  superseded_by: string | null;
  recorded_at: string;
}

export interface NewDeclarationEvent {
  declaration_uuid: string;
  role: DeclarationEventRole;
  event_json: string;
}

/** The fields the store indexes, read from an event's JSON text. */
export interface ParsedEventHeader {
  id: string;
  pubkey: string;
  created_at: number;
  kind: number;
  tags: string[][];
}

/** Parses the indexable header of an event; `invalid_json` / `invalid_input` if it is not a Nostr event shape. */
export function parseEventJson(eventJson: string): ParsedEventHeader {
  let value: unknown;
  try {
    value = JSON.parse(eventJson);
  } catch {
    throw new DeclsignError('invalid_json', 'The Nostr event is not valid JSON');
  }
  const event = value as Record<string, unknown> | null;
  const tags = event?.tags;
  const valid =
    typeof event === 'object' && event !== null && !Array.isArray(event)
    && isLowerHex(event.id, 32) && isLowerHex(event.pubkey, 32)
    && Number.isSafeInteger(event.created_at) && (event.created_at as number) >= 0
    && Number.isSafeInteger(event.kind)
    && Array.isArray(tags) && tags.every((tag) => Array.isArray(tag) && tag.every((item) => typeof item === 'string'));
  if (!valid) {
    throw new DeclsignError('invalid_input', 'Not a Nostr event: expected lowercase hex id and pubkey, integer created_at and kind, string tags');
  }
  return {
    id: event.id as string,
    pubkey: event.pubkey as string,
    created_at: event.created_at as number,
    kind: event.kind as number,
    tags: tags as string[][],
  };
}

/**
 * Stores an event for a declaration. Idempotent by event id: the same event again returns `inserted: false`.
 * The same id under another declaration or role is a contradiction and fails with `invalid_input`.
 */
export function insertDeclarationEvent(
  db: Database,
  event: NewDeclarationEvent,
  now: string,
): { inserted: boolean; row: DeclarationEventRow } {
  const stamp = normalizeStamp(now);
  const header = parseEventJson(event.event_json);
  let changes: number;
  try {
    changes = prepared(db, `INSERT INTO declaration_events (event_id, declaration_uuid, role, pubkey, created_at, event_json, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`).run(
      header.id,
      event.declaration_uuid,
      event.role,
      header.pubkey,
      header.created_at,
      event.event_json,
      stamp,
    ).changes;
  } catch (thrown) {
    rethrowConstraint(thrown, 'Declaration event');
  }
  const row = getDeclarationEvent(db, header.id) as DeclarationEventRow;
  if (changes === 0 && (row.declaration_uuid !== event.declaration_uuid || row.role !== event.role)) {
    throw new DeclsignError(
      'invalid_input',
      `Event ${header.id} is already stored as the ${row.role} event of declaration ${row.declaration_uuid}`,
      { event_id: header.id },
    );
  }
  return { inserted: changes === 1, row };
}

export function getDeclarationEvent(db: Database, eventId: string): DeclarationEventRow | undefined {
  return prepared<DeclarationEventRow>(db, 'SELECT * FROM declaration_events WHERE event_id = ?').get(eventId);
}

/** The events of a declaration, oldest first; superseded ones too unless `currentOnly`. */
export function listDeclarationEvents(
  db: Database,
  declarationUuid: string,
  options: { role?: DeclarationEventRole; currentOnly?: boolean } = {},
): DeclarationEventRow[] {
  return prepared<DeclarationEventRow>(
    db,
    `SELECT * FROM declaration_events
     WHERE declaration_uuid = @uuid AND (@role IS NULL OR role = @role) AND (@current = 0 OR superseded_by IS NULL)
     ORDER BY created_at, event_id`,
  ).all({ uuid: declarationUuid, role: options.role ?? null, current: options.currentOnly ? 1 : 0 });
}

/** Marks every current event of `role` for the declaration, other than `supersededBy`, as superseded by it. */
export function markEventsSuperseded(db: Database, declarationUuid: string, role: DeclarationEventRole, supersededBy: string): number {
  return prepared(db, `UPDATE declaration_events SET superseded_by = @by
                       WHERE declaration_uuid = @uuid AND role = @role AND event_id <> @by AND superseded_by IS NULL`).run({
    by: supersededBy,
    uuid: declarationUuid,
    role,
  }).changes;
}
