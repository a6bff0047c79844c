// The admindeclarations repository. Rows keep the column names of the original design (snake_case) so the table,
// the formats and the UI speak one vocabulary. JSON columns are returned as the exact text stored: signed data and
// events are compared and hashed byte for byte, so the store never re-serialises them.

import type { Database } from 'better-sqlite3';
import type { DeclarationStatus, DeclarationType } from '../core/declaration/types';
import type { Revocation } from '../core/declaration/verify';
import { timestampFromDate } from '../core/declaration/timestamp';
import { REVISION_TYPES } from '../core/authority/content';
import { DeclsignError } from '../core/errors';
import type { KeyAlgorithm } from '../core/keys/types';
import { normalizeStamp, prepared, rethrowConstraint, withTransaction } from './database';
import { insertDeclarationEvent, markEventsSuperseded, parseEventJson } from './declaration-events';
import { getKeypair } from './keypairs';

export type NostrPublishStatus = 'pending' | 'published' | 'failed' | 'retrying';
export type VerificationStatus = 'pending' | 'verified' | 'failed';

export interface DeclarationRow {
  // core
  declaration_uuid: string;
  declaration_type: DeclarationType;
  /** Format 1 JSON text. */
  content_json: string;
  content_hash_sha256: string | null;
  status: DeclarationStatus;
  // signing
  signing_keypair_uuid: string | null;
  signing_keypair_fingerprint: string | null;
  signing_keypair_canonical_name: string | null;
  digital_signature: string | null;
  /** Format 3 JSON text, exactly as signed. */
  signed_data: string | null;
  signed_data_sha256: string | null;
  signing_timestamp: string | null;
  /** JSON array text. */
  countersignatures: string;
  // nostr
  nostr_event_id: string | null;
  /** The current Nostr form (primary event, or the latest wrapper), exact JSON text. */
  nostr_event: string | null;
  nostr_kind: number;
  /** JSON array text. */
  nostr_tags: string | null;
  nostr_published_at: string | null;
  /** JSON array text of relay URLs. */
  nostr_published_to_relays: string;
  nostr_publish_status: NostrPublishStatus | null;
  // versioning
  schema_version: string;
  content_version: number;
  original_declaration_uuid: string | null;
  is_update: boolean;
  update_chain_uuid: string | null;
  is_revoked: boolean;
  revoked_at: string | null;
  revoked_by_declaration_uuid: string | null;
  // time
  valid_from: string | null;
  valid_until: string | null;
  issued_at: string | null;
  created_at: string;
  updated_at: string;
  // discovery
  discovered_from_relay: string | null;
  discovered_at: string | null;
  is_local: boolean;
  verification_status: VerificationStatus | null;
  // product
  issuer_keypair_uuid: string | null;
  target_keypair_uuid: string | null;
  target_algorithm: KeyAlgorithm | null;
  target_public_key: string | null;
  target_fingerprint: string | null;
  target_canonical_name: string | null;
  wrapper_keypair_uuid: string | null;
}

/** The fields a Draft may set and change. */
export interface DraftFields {
  declaration_type: DeclarationType;
  content_json: string;
  content_hash_sha256?: string | null;
  issuer_keypair_uuid?: string | null;
  target_keypair_uuid?: string | null;
  target_algorithm?: KeyAlgorithm | null;
  target_public_key?: string | null;
  target_fingerprint?: string | null;
  target_canonical_name?: string | null;
  valid_from?: string | null;
  valid_until?: string | null;
  content_version?: number;
  original_declaration_uuid?: string | null;
  is_update?: boolean;
  update_chain_uuid?: string | null;
}

export interface NewDraftDeclaration extends DraftFields {
  declaration_uuid: string;
}

export type DraftPatch = Partial<DraftFields>;

/** What signing produced; recorded in one step that moves Finalized → Signed. */
export interface SignatureRecord {
  signing_keypair_uuid: string | null;
  signing_keypair_fingerprint: string;
  signing_keypair_canonical_name: string;
  digital_signature: string;
  /** Format 3 JSON text, stored verbatim. */
  signed_data: string;
  signed_data_sha256: string;
  signing_timestamp: string;
  issued_at?: string | null;
  /** Nostr signers: the primary kind-31106 event, exact JSON text. */
  nostr_event_json?: string;
}

export interface PublishState {
  status: NostrPublishStatus;
  /** Relays that accepted the current event (replaces the stored list). */
  relays?: readonly string[];
  published_at?: string | null;
}

export interface DeclarationListQuery {
  status?: DeclarationStatus;
  type?: DeclarationType;
  /** Case-insensitive substring of the uuid, the type, or the issuer/signer/target canonical name or key label. */
  search?: string;
  /** Only these declarations (a list refreshing rows it shows after they changed elsewhere). */
  uuids?: readonly string[];
  /** 1..500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface DeclarationListItem {
  declaration_uuid: string;
  declaration_type: DeclarationType;
  status: DeclarationStatus;
  issuer_keypair_uuid: string | null;
  /** The signer's canonical name once signed, otherwise the chosen issuer key's. */
  issuer_canonical_name: string | null;
  issuer_label: string | null;
  target_canonical_name: string | null;
  valid_from: string | null;
  valid_until: string | null;
  signing_timestamp: string | null;
  nostr_publish_status: NostrPublishStatus | null;
  verification_status: VerificationStatus | null;
  is_revoked: boolean;
  /** The update that superseded this version (declaration_supersessions), or null while it is current. */
  superseded_by: string | null;
  is_local: boolean;
  created_at: string;
  updated_at: string;
}

export interface DeclarationPage {
  items: DeclarationListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const BOOLEAN_COLUMNS = ['is_update', 'is_revoked', 'is_local'] as const;

type Stored<Row> = { [K in keyof Row]: Row[K] extends boolean ? 0 | 1 : Row[K] };

function fromStored<Row>(stored: Stored<Row>): Row {
  const row = { ...stored } as Record<string, unknown>;
  for (const column of BOOLEAN_COLUMNS) if (column in row) row[column] = row[column] === 1;
  return row as Row;
}

export function getDeclaration(db: Database, declarationUuid: string): DeclarationRow | undefined {
  const stored = prepared<Stored<DeclarationRow>>(db, 'SELECT * FROM admindeclarations WHERE declaration_uuid = ?').get(declarationUuid);
  return stored && fromStored(stored);
}

/** As getDeclaration, but a missing row is `not_found`. */
export function requireDeclaration(db: Database, declarationUuid: string): DeclarationRow {
  const row = getDeclaration(db, declarationUuid);
  if (!row) throw notFound(declarationUuid);
  return row;
}

/** The declaration whose current Nostr form is `eventId`. */
export function getDeclarationByNostrEventId(db: Database, eventId: string): DeclarationRow | undefined {
  const stored = prepared<Stored<DeclarationRow>>(db, 'SELECT * FROM admindeclarations WHERE nostr_event_id = ?').get(eventId);
  return stored && fromStored(stored);
}

export function insertDraftDeclaration(db: Database, draft: NewDraftDeclaration, now: string): DeclarationRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    if (getDeclaration(db, draft.declaration_uuid)) {
      throw new DeclsignError('invalid_input', `Declaration ${draft.declaration_uuid} already exists`, {
        declaration_uuid: draft.declaration_uuid,
      });
    }
    assertIssuerExists(db, draft.issuer_keypair_uuid);
    try {
      prepared(db, `INSERT INTO admindeclarations (declaration_uuid, declaration_type, content_json, status, created_at, updated_at)
                    VALUES (?, ?, ?, 'Draft', ?, ?)`).run(draft.declaration_uuid, draft.declaration_type, draft.content_json, stamp, stamp);
      writeDraftFields(db, draft.declaration_uuid, draft, stamp);
    } catch (thrown) {
      rethrowConstraint(thrown, 'Draft declaration');
    }
    return requireDeclaration(db, draft.declaration_uuid);
  });
}

/** Changes a Draft; any other status is `not_draft` (signed statements are never edited in place). */
export function updateDraftDeclaration(db: Database, declarationUuid: string, patch: DraftPatch, now: string): DeclarationRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireDeclaration(db, declarationUuid);
    if (current.status !== 'Draft') {
      throw new DeclsignError('not_draft', `Declaration ${declarationUuid} is ${current.status}; only a Draft can be edited`);
    }
    if (patch.issuer_keypair_uuid !== undefined) assertIssuerExists(db, patch.issuer_keypair_uuid);
    const merged: DraftFields = { ...draftFieldsOf(current), ...definedOnly(patch) };
    try {
      writeDraftFields(db, declarationUuid, merged, stamp);
    } catch (thrown) {
      rethrowConstraint(thrown, 'Draft update');
    }
    return requireDeclaration(db, declarationUuid);
  });
}

/**
 * How many not yet signed declarations name this key as their issuer, by status. Deleting the key clears their issuer
 * (`ON DELETE SET NULL`); a signed one keeps its signer's name and is not counted.
 */
export function countUnsignedIssuedBy(db: Database, keypairUuid: string): { drafts: number; finalized: number } {
  const rows = prepared<{ status: DeclarationStatus; count: number }>(
    db,
    `SELECT status, COUNT(*) AS count FROM admindeclarations
      WHERE status IN ('Draft', 'Finalized') AND issuer_keypair_uuid = ? GROUP BY status`,
  ).all(keypairUuid);
  const count = (status: DeclarationStatus) => rows.find((row) => row.status === status)?.count ?? 0;
  return { drafts: count('Draft'), finalized: count('Finalized') };
}

/** A declaration that names another as the target of its content or as its original. */
export interface DeclarationReference {
  declaration_uuid: string;
  declaration_type: DeclarationType;
  status: DeclarationStatus;
}

/**
 * The other declarations that point at `declarationUuid`: as `original_declaration_uuid` (an update's chain, a
 * revocation's target) or as the `target_declaration_uuid` of their content (an update of an update names its target
 * there while its original is the chain's first version). Only revision types carry a target, which keeps the JSON
 * read to the rows the type index picks.
 */
export function listDeclarationsReferring(db: Database, declarationUuid: string): DeclarationReference[] {
  return prepared<DeclarationReference>(
    db,
    `SELECT declaration_uuid, declaration_type, status FROM admindeclarations
      WHERE declaration_uuid <> @uuid
        AND (original_declaration_uuid = @uuid
             OR (declaration_type IN (${REVISION_TYPES.map((type) => `'${type}'`).join(', ')})
                 AND json_extract(content_json, '$.content.target_declaration_uuid') = @uuid))
      ORDER BY created_at, declaration_uuid`,
  ).all({ uuid: declarationUuid });
}

/**
 * Erases a declaration that was never signed (Draft or Finalized) and returns the row as it was. Nothing of it can
 * exist outside this store: its Nostr events, outbox rows and supersessions only come with a signature, so the
 * `ON DELETE CASCADE` children are empty. Refused: a signed or imported one (`already_signed`: copies may exist, and
 * only a signed declaration-revoke withdraws it), and one that other declarations point at
 * (`referenced_by_declarations`, with their uuids): they would be left naming a declaration this store no longer has.
 */
export function discardUnsignedDeclaration(db: Database, declarationUuid: string): DeclarationRow {
  return withTransaction(db, () => {
    const current = requireDeclaration(db, declarationUuid);
    if (current.status !== 'Draft' && current.status !== 'Finalized') {
      const origin = current.is_local
        ? 'it was signed here, and its signature may already have been exported or published'
        : `it was imported${current.discovered_from_relay ? ` from ${current.discovered_from_relay}` : ''}: it is its issuer's signed statement`;
      throw new DeclsignError(
        'already_signed',
        `Declaration ${declarationUuid} is ${current.status}: ${origin}. Erasing it from this store would withdraw nothing; ` +
          'its issuer withdraws it with a signed declaration-revoke.',
        { declaration_uuid: declarationUuid, status: current.status, is_local: current.is_local },
      );
    }
    const referring = listDeclarationsReferring(db, declarationUuid);
    if (referring.length > 0) {
      const named = referring.map((r) => `${r.declaration_uuid} (${r.status} ${r.declaration_type})`).join(', ');
      const remedy = referring.some((r) => r.status === 'Signed' || r.status === 'Published')
        ? 'A signed declaration names it, so it stays.'
        : 'Discard those first, or edit them (a Finalized one goes back to Draft first) to name another declaration.';
      throw new DeclsignError(
        'referenced_by_declarations',
        `Declaration ${declarationUuid} is the target or original of ${named}. ${remedy}`,
        { declaration_uuid: declarationUuid, referring },
      );
    }
    prepared(db, 'DELETE FROM admindeclarations WHERE declaration_uuid = ?').run(declarationUuid);
    return current;
  });
}

/**
 * Moves a declaration along Draft ⇄ Finalized and Signed → Published. Finalized → Signed happens only through
 * `recordSignature`, which brings the signature with it. Anything else is `invalid_status_transition`.
 */
export function setDeclarationStatus(db: Database, declarationUuid: string, to: DeclarationStatus, now: string): DeclarationRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireDeclaration(db, declarationUuid);
    if (!STATUS_TRANSITIONS[current.status].includes(to)) {
      throw new DeclsignError(
        'invalid_status_transition',
        `Declaration ${declarationUuid} cannot go from ${current.status} to ${to}`,
        { from: current.status, to },
      );
    }
    try {
      prepared(db, 'UPDATE admindeclarations SET status = ?, updated_at = ? WHERE declaration_uuid = ?').run(to, stamp, declarationUuid);
    } catch (thrown) {
      rethrowConstraint(thrown, `Status ${to}`);
    }
    return requireDeclaration(db, declarationUuid);
  });
}

const STATUS_TRANSITIONS: Record<DeclarationStatus, readonly DeclarationStatus[]> = {
  Draft: ['Finalized'],
  Finalized: ['Draft'],
  Signed: ['Published'],
  Published: [],
};

/**
 * Records the issuer's signature on a Finalized declaration and moves it to Signed. For a Nostr signer the primary
 * event becomes the row's `nostr_event` and a `primary` row of declaration_events, in the same transaction.
 */
export function recordSignature(db: Database, declarationUuid: string, signature: SignatureRecord, now: string): DeclarationRow {
  const stamp = normalizeStamp(now);
  const event = signature.nostr_event_json === undefined ? undefined : parseEventJson(signature.nostr_event_json);
  return withTransaction(db, () => {
    const current = requireDeclaration(db, declarationUuid);
    if (current.status !== 'Finalized') {
      throw new DeclsignError('not_finalized', `Declaration ${declarationUuid} is ${current.status}; only a Finalized declaration can be signed`);
    }
    try {
      prepared(db, `UPDATE admindeclarations SET
                      status = 'Signed', signing_keypair_uuid = @signing_keypair_uuid,
                      signing_keypair_fingerprint = @signing_keypair_fingerprint,
                      signing_keypair_canonical_name = @signing_keypair_canonical_name,
                      digital_signature = @digital_signature, signed_data = @signed_data,
                      signed_data_sha256 = @signed_data_sha256, signing_timestamp = @signing_timestamp,
                      issued_at = COALESCE(@issued_at, issued_at),
                      nostr_event_id = @nostr_event_id, nostr_event = @nostr_event, nostr_tags = @nostr_tags,
                      nostr_kind = COALESCE(@nostr_kind, nostr_kind), updated_at = @now
                    WHERE declaration_uuid = @declaration_uuid`).run({
        signing_keypair_uuid: signature.signing_keypair_uuid,
        signing_keypair_fingerprint: signature.signing_keypair_fingerprint,
        signing_keypair_canonical_name: signature.signing_keypair_canonical_name,
        digital_signature: signature.digital_signature,
        signed_data: signature.signed_data,
        signed_data_sha256: signature.signed_data_sha256,
        signing_timestamp: signature.signing_timestamp,
        issued_at: signature.issued_at ?? null,
        nostr_event_id: event?.id ?? null,
        nostr_event: signature.nostr_event_json ?? null,
        nostr_tags: event ? JSON.stringify(event.tags) : null,
        nostr_kind: event?.kind ?? null,
        now: stamp,
        declaration_uuid: declarationUuid,
      });
      if (signature.nostr_event_json !== undefined) {
        insertDeclarationEvent(db, { declaration_uuid: declarationUuid, role: 'primary', event_json: signature.nostr_event_json }, stamp);
      }
    } catch (thrown) {
      rethrowConstraint(thrown, 'Signature');
    }
    return requireDeclaration(db, declarationUuid);
  });
}

/** Replaces the countersignature list of a Signed or Published declaration (`not_signed` otherwise). */
export function setCountersignatures(
  db: Database,
  declarationUuid: string,
  countersignatures: readonly unknown[],
  now: string,
): DeclarationRow {
  const stamp = normalizeStamp(now);
  if (!Array.isArray(countersignatures)) throw new DeclsignError('invalid_input', 'countersignatures must be an array');
  return withTransaction(db, () => {
    assertSigned(requireDeclaration(db, declarationUuid));
    prepared(db, 'UPDATE admindeclarations SET countersignatures = ?, updated_at = ? WHERE declaration_uuid = ?').run(
      JSON.stringify(countersignatures),
      stamp,
      declarationUuid,
    );
    return requireDeclaration(db, declarationUuid);
  });
}

/**
 * Makes a wrapper event (a Nostr key's event carrying a non-Nostr signature and countersignatures) the current Nostr
 * form of a Signed or Published declaration. Earlier wrappers stay in declaration_events, marked superseded.
 * The publish state resets: the new event has not been published yet.
 */
export function recordWrapperEvent(
  db: Database,
  declarationUuid: string,
  wrapper: { wrapper_keypair_uuid: string | null; event_json: string },
  now: string,
): DeclarationRow {
  const stamp = normalizeStamp(now);
  const event = parseEventJson(wrapper.event_json);
  return withTransaction(db, () => {
    assertSigned(requireDeclaration(db, declarationUuid));
    try {
      insertDeclarationEvent(db, { declaration_uuid: declarationUuid, role: 'wrapper', event_json: wrapper.event_json }, stamp);
      markEventsSuperseded(db, declarationUuid, 'wrapper', event.id);
      prepared(db, `UPDATE admindeclarations SET nostr_event_id = @id, nostr_event = @json, nostr_tags = @tags,
                      nostr_kind = @kind, wrapper_keypair_uuid = @wrapper, nostr_publish_status = NULL,
                      nostr_published_at = NULL, nostr_published_to_relays = '[]', updated_at = @now
                    WHERE declaration_uuid = @uuid`).run({
        id: event.id,
        json: wrapper.event_json,
        tags: JSON.stringify(event.tags),
        kind: event.kind,
        wrapper: wrapper.wrapper_keypair_uuid,
        now: stamp,
        uuid: declarationUuid,
      });
    } catch (thrown) {
      rethrowConstraint(thrown, 'Wrapper event');
    }
    return requireDeclaration(db, declarationUuid);
  });
}

/**
 * Records the publication state of the current Nostr event. `published` also moves a Signed declaration to
 * Published; `nothing_to_publish` if the declaration has no Nostr event yet.
 */
export function setPublishState(db: Database, declarationUuid: string, state: PublishState, now: string): void {
  const stamp = normalizeStamp(now);
  const publishedAt = state.published_at == null ? null : normalizeStamp(state.published_at, 'published_at');
  withTransaction(db, () => {
    // The preconditions need three columns; the whole row (signed data, events: kilobytes) is not read. The outbox
    // calls this for every declaration in every batch of relay answers.
    const current = prepared<Pick<DeclarationRow, 'declaration_uuid' | 'status'> & { has_event: 0 | 1 }>(
      db,
      'SELECT declaration_uuid, status, nostr_event IS NOT NULL AS has_event FROM admindeclarations WHERE declaration_uuid = ?',
    ).get(declarationUuid);
    if (current === undefined) throw notFound(declarationUuid);
    assertSigned(current);
    if (!current.has_event) {
      throw new DeclsignError('nothing_to_publish', `Declaration ${declarationUuid} has no Nostr event yet (wrap it first)`);
    }
    try {
      prepared(db, `UPDATE admindeclarations SET nostr_publish_status = @status,
                      nostr_published_to_relays = COALESCE(@relays, nostr_published_to_relays),
                      nostr_published_at = COALESCE(@published_at, nostr_published_at),
                      status = CASE WHEN @status = 'published' THEN 'Published' ELSE status END,
                      updated_at = @now
                    WHERE declaration_uuid = @uuid`).run({
        status: state.status,
        relays: state.relays === undefined ? null : JSON.stringify(state.relays),
        published_at: publishedAt,
        now: stamp,
        uuid: declarationUuid,
      });
    } catch (thrown) {
      rethrowConstraint(thrown, 'Publish state');
    }
  });
}

/** A lookup for core verification (`VerifyOptions.revoked`): the revocations this store knows. */
export function revocationLookup(db: Database): (declarationUuid: string) => Revocation | undefined {
  const statement = prepared<{ revoked_at: string; revoked_by_declaration_uuid: string | null }>(
    db,
    'SELECT revoked_at, revoked_by_declaration_uuid FROM admindeclarations WHERE declaration_uuid = ? AND is_revoked = 1',
  );
  return (declarationUuid) => {
    const row = statement.get(declarationUuid);
    // Rows keep millisecond stamps; the verifier speaks whole seconds (floor: a revocation never starts later than recorded).
    // A revoked row without a time fails closed: the verifier treats an unreadable time as "since forever".
    const revokedAt = row?.revoked_at ? timestampFromDate(new Date(row.revoked_at)) : '';
    return row && { revoked_at: revokedAt, by: row.revoked_by_declaration_uuid ?? 'unknown' };
  };
}

/** One page of the list screen, newest first; stable under equal `created_at` thanks to the uuid tiebreak. */
export function listDeclarations(db: Database, query: DeclarationListQuery = {}): DeclarationPage {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new DeclsignError('invalid_input', `limit must be an integer in 1..500, got ${limit}`);
  }
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: limit + 1 };
  if (query.status !== undefined) {
    where.push('d.status = @status');
    params.status = query.status;
  }
  if (query.type !== undefined) {
    where.push('d.declaration_type = @type');
    params.type = query.type;
  }
  if (query.uuids !== undefined) {
    where.push('d.declaration_uuid IN (SELECT value FROM json_each(@uuids))');
    params.uuids = JSON.stringify(query.uuids);
  }
  const search = query.search?.trim();
  if (search) {
    where.push(`(d.declaration_uuid LIKE @search ESCAPE '\\' OR d.declaration_type LIKE @search ESCAPE '\\'
      OR d.signing_keypair_canonical_name LIKE @search ESCAPE '\\' OR d.target_canonical_name LIKE @search ESCAPE '\\'
      OR k.canonical_name LIKE @search ESCAPE '\\' OR k.label LIKE @search ESCAPE '\\')`);
    params.search = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (query.cursor) {
    const [createdAt, uuid] = decodeCursor(query.cursor);
    where.push('(d.created_at, d.declaration_uuid) < (@cursor_created_at, @cursor_uuid)');
    params.cursor_created_at = createdAt;
    params.cursor_uuid = uuid;
  }
  const sql = `SELECT d.declaration_uuid, d.declaration_type, d.status, d.issuer_keypair_uuid,
      COALESCE(d.signing_keypair_canonical_name, k.canonical_name) AS issuer_canonical_name, k.label AS issuer_label,
      d.target_canonical_name, d.valid_from, d.valid_until, d.signing_timestamp, d.nostr_publish_status,
      d.verification_status, d.is_revoked, s.superseded_by_declaration_uuid AS superseded_by, d.is_local, d.created_at, d.updated_at
    FROM admindeclarations d LEFT JOIN keypairs k ON k.keypair_uuid = d.issuer_keypair_uuid
      LEFT JOIN declaration_supersessions s ON s.declaration_uuid = d.declaration_uuid
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY d.created_at DESC, d.declaration_uuid DESC
    LIMIT @limit`;
  const rows = prepared<Stored<DeclarationListItem>>(db, sql).all(params).map((row) => fromStored<DeclarationListItem>(row));
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(last.created_at, last.declaration_uuid) : null };
}

// --- internals ---------------------------------------------------------------------------------------------------

function writeDraftFields(db: Database, declarationUuid: string, fields: DraftFields, stamp: string): void {
  prepared(db, `UPDATE admindeclarations SET
                  declaration_type = @declaration_type, content_json = @content_json,
                  content_hash_sha256 = @content_hash_sha256, issuer_keypair_uuid = @issuer_keypair_uuid,
                  target_keypair_uuid = @target_keypair_uuid, target_algorithm = @target_algorithm,
                  target_public_key = @target_public_key, target_fingerprint = @target_fingerprint,
                  target_canonical_name = @target_canonical_name, valid_from = @valid_from, valid_until = @valid_until,
                  content_version = @content_version, original_declaration_uuid = @original_declaration_uuid,
                  is_update = @is_update, update_chain_uuid = @update_chain_uuid, updated_at = @now
                WHERE declaration_uuid = @declaration_uuid`).run({
    declaration_type: fields.declaration_type,
    content_json: fields.content_json,
    content_hash_sha256: fields.content_hash_sha256 ?? null,
    issuer_keypair_uuid: fields.issuer_keypair_uuid ?? null,
    target_keypair_uuid: fields.target_keypair_uuid ?? null,
    target_algorithm: fields.target_algorithm ?? null,
    target_public_key: fields.target_public_key ?? null,
    target_fingerprint: fields.target_fingerprint ?? null,
    target_canonical_name: fields.target_canonical_name ?? null,
    valid_from: fields.valid_from ?? null,
    valid_until: fields.valid_until ?? null,
    content_version: fields.content_version ?? 1,
    original_declaration_uuid: fields.original_declaration_uuid ?? null,
    is_update: fields.is_update ? 1 : 0,
    update_chain_uuid: fields.update_chain_uuid ?? null,
    now: stamp,
    declaration_uuid: declarationUuid,
  });
}

function draftFieldsOf(row: DeclarationRow): DraftFields {
  return {
    declaration_type: row.declaration_type,
    content_json: row.content_json,
    content_hash_sha256: row.content_hash_sha256,
    issuer_keypair_uuid: row.issuer_keypair_uuid,
    target_keypair_uuid: row.target_keypair_uuid,
    target_algorithm: row.target_algorithm,
    target_public_key: row.target_public_key,
    target_fingerprint: row.target_fingerprint,
    target_canonical_name: row.target_canonical_name,
    valid_from: row.valid_from,
    valid_until: row.valid_until,
    content_version: row.content_version,
    original_declaration_uuid: row.original_declaration_uuid,
    is_update: row.is_update,
    update_chain_uuid: row.update_chain_uuid,
  };
}

/** A patch key set to `undefined` means "leave as is"; `null` clears. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function assertIssuerExists(db: Database, issuerUuid: string | null | undefined): void {
  if (issuerUuid != null && !getKeypair(db, issuerUuid)) {
    throw new DeclsignError('unknown_key', `No keypair ${issuerUuid} to issue with`, { keypair_uuid: issuerUuid });
  }
}

function assertSigned(row: Pick<DeclarationRow, 'declaration_uuid' | 'status'>): void {
  if (row.status !== 'Signed' && row.status !== 'Published') {
    throw new DeclsignError('not_signed', `Declaration ${row.declaration_uuid} is ${row.status}; it must be signed first`);
  }
}

function notFound(declarationUuid: string): DeclsignError {
  return new DeclsignError('not_found', `No declaration ${declarationUuid}`, { declaration_uuid: declarationUuid });
}

function encodeCursor(createdAt: string, declarationUuid: string): string {
  return Buffer.from(JSON.stringify([createdAt, declarationUuid]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') {
    throw new DeclsignError('invalid_input', 'The list cursor is not one this store issued');
  }
  return [value[0], value[1]];
}
