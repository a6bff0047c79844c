// Imported declarations and the quarantine. A verified import becomes an admindeclarations row (is_local = 0) plus its
// events, kept as the exact texts received; a refused event goes to import_quarantine verbatim with the check that
// failed. Verification itself happens before (core/import-verify): this module only stores verdicts.

import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Check } from '../core/declaration/checks';
import type { AcceptedDeclaration } from '../core/import-verify';
import { DeclsignError } from '../core/errors';
import { normalizeStamp, prepared, rethrowConstraint } from './database';
import { getKeypairByFingerprint } from './keypairs';

export interface HeldDeclaration {
  is_local: 0 | 1;
  signed_data_sha256: string | null;
}

/** What the store already holds under a UUID (to merge into, or to refuse a conflicting import against). */
export function heldDeclaration(db: Database, declarationUuid: string): HeldDeclaration | undefined {
  return prepared<HeldDeclaration>(db, 'SELECT is_local, signed_data_sha256 FROM admindeclarations WHERE declaration_uuid = ?').get(declarationUuid);
}

/** Exact texts of a declaration's current (not superseded) events, to verify new events together with them. */
export function currentEventTexts(db: Database, declarationUuid: string): string[] {
  return prepared<{ event_json: string }>(db, 'SELECT event_json FROM declaration_events WHERE declaration_uuid = ? AND superseded_by IS NULL ORDER BY created_at, event_id')
    .all(declarationUuid)
    .map((row) => row.event_json);
}

export interface StoredImport {
  outcome: 'new' | 'updated' | 'unchanged';
  insertedEvents: number;
  /** Events whose id was already stored. */
  duplicateEvents: number;
  /** Events that are history now: arrived older than their slot's current event, or replaced by a newer one. */
  supersededEvents: number;
}

export interface StoreImportArgs {
  accepted: AcceptedDeclaration;
  /** Exact texts, indexed as in `accepted.events`. */
  texts: readonly string[];
  /** Indexes of texts that are already stored (they were verified along with the new ones). */
  storedIndexes: ReadonlySet<number>;
  /** Normalised relay URL it was discovered on, or null (file / pasted text). */
  relay: string | null;
  now: string;
}

/**
 * Stores one verified declaration. New UUID: a Published, non-local, verified row. A UUID already held with the same
 * signed data: its new events are merged (an imported row also takes the newest carrier and countersignatures; a
 * local row keeps every field of its own). Other signed data under a held UUID is the caller's to quarantine — this
 * throws `verification_failed` rather than overwrite. Run inside the caller's transaction.
 */
export function storeImportedDeclaration(db: Database, args: StoreImportArgs): StoredImport {
  const stamp = normalizeStamp(args.now);
  const { accepted } = args;
  const held = heldDeclaration(db, accepted.uuid);
  if (held !== undefined && held.signed_data_sha256 !== accepted.signedDataSha256) {
    throw new DeclsignError('verification_failed', `declaration ${accepted.uuid} is held with other signed data`, { check: 'no_equivocation' });
  }
  const carrierText = args.texts[accepted.events.find((e) => e.id === accepted.carrierEventId)!.index]!;
  try {
    if (held === undefined) insertRow(db, accepted, carrierText, args.relay, stamp);

    let insertedEvents = 0;
    let duplicateEvents = 0;
    const insert = prepared(db, `INSERT INTO declaration_events (event_id, declaration_uuid, role, pubkey, created_at, event_json, recorded_at)
                                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`);
    for (const event of accepted.events) {
      if (args.storedIndexes.has(event.index)) continue;
      const changes = insert.run(event.id, accepted.uuid, event.role, event.pubkey, event.created_at, args.texts[event.index], stamp).changes;
      if (changes === 1) insertedEvents += 1;
      else {
        duplicateEvents += 1;
        assertSameDeclaration(db, event.id, accepted.uuid);
      }
    }
    // Slots: point every event that lost its slot at the one holding it now (after all inserts: it is a foreign key).
    let supersededEvents = 0;
    const supersede = prepared(db, 'UPDATE declaration_events SET superseded_by = ? WHERE event_id = ? AND superseded_by IS NOT ?');
    for (const event of accepted.events) {
      if (event.superseded_by !== null) supersededEvents += supersede.run(event.superseded_by, event.id, event.superseded_by).changes;
    }

    const outcome: StoredImport['outcome'] = held === undefined ? 'new' : insertedEvents > 0 || supersededEvents > 0 ? 'updated' : 'unchanged';
    if (held !== undefined && held.is_local === 0 && outcome === 'updated') {
      prepared(db, `UPDATE admindeclarations SET nostr_event_id = ?, nostr_event = ?, nostr_tags = ?, countersignatures = ?, updated_at = ?
                    WHERE declaration_uuid = ? AND nostr_event_id IS NOT ?`).run(
        accepted.carrierEventId, carrierText, JSON.stringify(accepted.carrierTags), JSON.stringify(accepted.countersignatures), stamp, accepted.uuid, accepted.carrierEventId,
      );
    }
    return { outcome, insertedEvents, duplicateEvents, supersededEvents };
  } catch (thrown) {
    if (thrown instanceof DeclsignError) throw thrown;
    rethrowConstraint(thrown, `Imported declaration ${accepted.uuid}`);
  }
}

function insertRow(db: Database, accepted: AcceptedDeclaration, carrierText: string, relay: string | null, stamp: string): void {
  const sd = accepted.signedData;
  prepared(db, `INSERT INTO admindeclarations (
      declaration_uuid, declaration_type, content_json, content_hash_sha256, status,
      signing_keypair_uuid, signing_keypair_fingerprint, signing_keypair_canonical_name, digital_signature,
      signed_data, signed_data_sha256, signing_timestamp, countersignatures,
      nostr_event_id, nostr_event, nostr_kind, nostr_tags,
      schema_version, content_version, original_declaration_uuid, is_update,
      valid_from, valid_until, created_at, updated_at,
      discovered_from_relay, discovered_at, is_local, verification_status,
      target_keypair_uuid, target_algorithm, target_public_key, target_fingerprint, target_canonical_name)
    VALUES (
      @uuid, @type, @content_json, @content_hash, 'Published',
      @signing_keypair_uuid, @signing_fingerprint, @signing_name, @digital_signature,
      @signed_data, @signed_data_sha256, @signing_timestamp, @countersignatures,
      @nostr_event_id, @nostr_event, 31106, @nostr_tags,
      @schema_version, @content_version, @original_uuid, @is_update,
      @valid_from, @valid_until, @now, @now,
      @relay, @now, 0, 'verified',
      @target_keypair_uuid, @target_algorithm, @target_public_key, @target_fingerprint, @target_name)`).run({
    uuid: accepted.uuid,
    type: sd.declaration_type,
    content_json: accepted.contentText,
    content_hash: sd.content_hash_sha256,
    // A key this store knows (owned or watched) is linked; anyone else's stays a fingerprint.
    signing_keypair_uuid: getKeypairByFingerprint(db, sd.signing_keypair_fingerprint)?.keypair_uuid ?? null,
    signing_fingerprint: sd.signing_keypair_fingerprint,
    signing_name: sd.signing_keypair_canonical_name,
    digital_signature: accepted.digitalSignature,
    signed_data: accepted.format3Text,
    signed_data_sha256: accepted.signedDataSha256,
    signing_timestamp: sd.signing_timestamp,
    countersignatures: JSON.stringify(accepted.countersignatures),
    nostr_event_id: accepted.carrierEventId,
    nostr_event: carrierText,
    nostr_tags: JSON.stringify(accepted.carrierTags),
    schema_version: sd.schema_version,
    content_version: sd.content_version,
    original_uuid: sd.original_declaration_uuid,
    is_update: sd.declaration_type === 'declaration-update' ? 1 : 0,
    valid_from: sd.valid_from,
    valid_until: sd.valid_until,
    now: stamp,
    relay,
    target_keypair_uuid: sd.target_keypair_uuid,
    target_algorithm: sd.target_keypair_algorithm,
    target_public_key: sd.target_keypair_public_key,
    target_fingerprint: sd.target_keypair_fingerprint,
    target_name: sd.target_keypair_canonical_name,
  });
}

function assertSameDeclaration(db: Database, eventId: string, declarationUuid: string): void {
  const row = prepared<{ declaration_uuid: string }>(db, 'SELECT declaration_uuid FROM declaration_events WHERE event_id = ?').get(eventId);
  if (row !== undefined && row.declaration_uuid !== declarationUuid) {
    throw new DeclsignError('verification_failed', `event ${eventId} is already stored under declaration ${row.declaration_uuid}`, { check: 'event_tags' });
  }
}

// --- quarantine ----------------------------------------------------------------------------------------------------

export type QuarantineReason = 'verification' | 'equivocation';

export interface NewQuarantineItem {
  raw_text: string;
  source: string;
  reason: QuarantineReason;
  check: Pick<Check, 'name' | 'message'>;
  checks: readonly Check[];
}

export interface QuarantineRow {
  id: number;
  raw_sha256: string;
  raw_text: string;
  claimed_event_id: string | null;
  claimed_uuid: string | null;
  claimed_pubkey: string | null;
  source: string;
  reason: QuarantineReason;
  failed_check: string;
  failed_message: string;
  checks_json: string;
  received_at: string;
  last_seen_at: string;
  times_seen: number;
}

/** Records a refused event; the same text again only bumps `last_seen_at` / `times_seen` (and keeps the first verdict). */
export function quarantineEvent(db: Database, item: NewQuarantineItem, now: string): { id: number; firstSeen: boolean } {
  const stamp = normalizeStamp(now);
  const sha = createHash('sha256').update(item.raw_text, 'utf8').digest('hex');
  const claims = claimsOf(item.raw_text);
  const existing = prepared<{ id: number }>(db, 'SELECT id FROM import_quarantine WHERE raw_sha256 = ?').get(sha);
  if (existing !== undefined) {
    prepared(db, 'UPDATE import_quarantine SET last_seen_at = ?, times_seen = times_seen + 1 WHERE id = ?').run(stamp, existing.id);
    return { id: existing.id, firstSeen: false };
  }
  try {
    const result = prepared(db, `INSERT INTO import_quarantine (raw_sha256, raw_text, claimed_event_id, claimed_uuid, claimed_pubkey, source, reason,
                                   failed_check, failed_message, checks_json, received_at, last_seen_at)
                                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      sha, item.raw_text, claims.id, claims.uuid, claims.pubkey, item.source.slice(0, 4096), item.reason,
      item.check.name, item.check.message, JSON.stringify(item.checks), stamp, stamp,
    );
    return { id: Number(result.lastInsertRowid), firstSeen: true };
  } catch (thrown) {
    rethrowConstraint(thrown, 'Quarantine item');
  }
}

/** The untrusted claims of a raw event, for display and search only (cut short so a hostile text cannot bloat them). */
function claimsOf(rawText: string): { id: string | null; uuid: string | null; pubkey: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(rawText);
  } catch {
    return { id: null, uuid: null, pubkey: null };
  }
  const event = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 128) : null);
  const tags = Array.isArray(event.tags) ? event.tags : [];
  const d = tags.find((tag): tag is unknown[] => Array.isArray(tag) && tag[0] === 'd');
  return { id: text(event.id), uuid: d ? text(d[1]) : null, pubkey: text(event.pubkey) };
}

export interface QuarantinePage {
  items: QuarantineRow[];
  nextCursor: string | null;
}

/** Newest first; `cursor` is the previous page's `nextCursor`. */
export function listQuarantine(db: Database, query: { limit?: number; cursor?: string | null; uuid?: string } = {}): QuarantinePage {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new DeclsignError('invalid_input', `limit must be an integer in 1..500, got ${limit}`);
  const params: Record<string, unknown> = { limit: limit + 1, uuid: query.uuid ?? null, at: null, id: null };
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    params.at = at;
    params.id = id;
  }
  const rows = prepared<QuarantineRow>(db, `SELECT * FROM import_quarantine
      WHERE (@uuid IS NULL OR claimed_uuid = @uuid) AND (@at IS NULL OR (received_at, id) < (@at, @id))
      ORDER BY received_at DESC, id DESC LIMIT @limit`).all(params);
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? Buffer.from(JSON.stringify([last.received_at, last.id])).toString('base64url') : null };
}

/** Every quarantined item, oldest first. */
export function allQuarantine(db: Database): QuarantineRow[] {
  return prepared<QuarantineRow>(db, 'SELECT * FROM import_quarantine ORDER BY received_at, id').all();
}

function decodeCursor(cursor: string): [string, number] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !Number.isSafeInteger(value[1])) {
    throw new DeclsignError('invalid_input', 'The quarantine cursor is not one this store issued');
  }
  return [value[0], value[1] as number];
}

// --- discovery cursors -----------------------------------------------------------------------------------------------

export function discoveryCursor(db: Database, relayUrl: string): number | undefined {
  return prepared<{ last_created_at: number }>(db, 'SELECT last_created_at FROM discovery_cursors WHERE relay_url = ?').get(relayUrl)?.last_created_at;
}

/** Moves a relay's cursor forward (never back). */
export function advanceDiscoveryCursor(db: Database, relayUrl: string, createdAt: number, now: string): void {
  const stamp = normalizeStamp(now);
  prepared(db, `INSERT INTO discovery_cursors (relay_url, last_created_at, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (relay_url) DO UPDATE SET last_created_at = excluded.last_created_at, updated_at = excluded.updated_at
                WHERE excluded.last_created_at > discovery_cursors.last_created_at`).run(relayUrl, createdAt, stamp);
}
