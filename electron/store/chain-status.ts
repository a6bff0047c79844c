// What the authority layer derives from the stored declarations and writes back: revocation and supersession of each
// declaration's update chain (admindeclarations.is_revoked, revoked_at, revoked_by_declaration_uuid, and
// declaration_supersessions). The evaluator decides; this module only reads the inputs and writes the answers.

import type { Database } from 'better-sqlite3';
import { REVISION_TYPES } from '../core/authority/content';
import { prepared } from './database';

export interface StoredSignedDeclaration {
  declaration_uuid: string;
  /** SHA-256 of the declaration's signed data (Format 2): its identity, and the key of a cache of its parse. */
  signed_data_sha256: string;
  /** Whether the signature was checked when the row entered the store: signed here, or verified on import. */
  verified: boolean;
  /** Fingerprints of countersigners: detached countersignatures and the pubkeys of current Nostr countersignature events. */
  countersigner_fingerprints: string[];
}

/**
 * Every signed declaration in the store, in uuid order. Rows are taken as verified when they entered the store — this
 * store signed them, or import verified them (verification_status 'verified') — and are not re-verified here: the
 * store is trusted local state, as its anchors are, and re-checking every signature on every change would make
 * signing cost grow with the store.
 */
export function listStoredSignedDeclarations(db: Database, nostrFingerprint: (pubkeyHex: string) => string): StoredSignedDeclaration[] {
  // The Format 3 texts (kilobytes each) are not read here: storedSignedDataText gives one when a caller lacks its parse.
  const rows = prepared<{ declaration_uuid: string; signed_data_sha256: string; countersignatures: string; is_local: 0 | 1; verification_status: string | null }>(
    db,
    `SELECT declaration_uuid, signed_data_sha256, countersignatures, is_local, verification_status FROM admindeclarations
      WHERE status IN ('Signed', 'Published') AND signed_data IS NOT NULL AND signed_data_sha256 IS NOT NULL ORDER BY declaration_uuid`,
  ).all();
  const nostrCountersigners = new Map<string, string[]>();
  for (const event of prepared<{ declaration_uuid: string; pubkey: string }>(
    db,
    "SELECT declaration_uuid, pubkey FROM declaration_events WHERE role = 'countersignature' AND superseded_by IS NULL",
  ).all()) {
    const list = nostrCountersigners.get(event.declaration_uuid) ?? [];
    list.push(nostrFingerprint(event.pubkey));
    nostrCountersigners.set(event.declaration_uuid, list);
  }
  return rows.map((row) => {
    let detached: string[] = [];
    try {
      detached = (JSON.parse(row.countersignatures) as Array<{ fingerprint?: unknown }>).map((c) => c.fingerprint).filter((f): f is string => typeof f === 'string');
    } catch {
      detached = [];
    }
    return {
      declaration_uuid: row.declaration_uuid,
      signed_data_sha256: row.signed_data_sha256,
      verified: row.is_local === 1 || row.verification_status === 'verified',
      countersigner_fingerprints: [...detached, ...(nostrCountersigners.get(row.declaration_uuid) ?? [])],
    };
  });
}

/** The Format 3 JSON text of a signed declaration, exactly as stored. */
export function storedSignedDataText(db: Database, declarationUuid: string): string | undefined {
  return prepared<{ signed_data: string | null }>(db, 'SELECT signed_data FROM admindeclarations WHERE declaration_uuid = ?').get(declarationUuid)?.signed_data ?? undefined;
}

export interface ChainStatus {
  is_revoked: boolean;
  revoked_at: string | null;
  revoked_by_declaration_uuid: string | null;
  superseded_by_declaration_uuid: string | null;
}

export interface ChainStatusRow extends ChainStatus {
  declaration_uuid: string;
}

export function listChainStatuses(db: Database): ChainStatusRow[] {
  return prepared<Omit<ChainStatusRow, 'is_revoked'> & { is_revoked: 0 | 1 }>(
    db,
    `SELECT d.declaration_uuid, d.is_revoked, d.revoked_at, d.revoked_by_declaration_uuid, s.superseded_by_declaration_uuid
       FROM admindeclarations d LEFT JOIN declaration_supersessions s ON s.declaration_uuid = d.declaration_uuid`,
  )
    .all()
    .map((row) => ({ ...row, is_revoked: row.is_revoked === 1 }));
}

/** The update that superseded a stored version, if one did. */
export function supersededBy(db: Database, declarationUuid: string): string | null {
  const row = prepared<{ superseded_by_declaration_uuid: string }>(db, 'SELECT superseded_by_declaration_uuid FROM declaration_supersessions WHERE declaration_uuid = ?').get(declarationUuid);
  return row?.superseded_by_declaration_uuid ?? null;
}

/**
 * Whether anything in the store can revoke or supersede: a declaration of a revision type (in any status), or a
 * supersession on record. Without either, every chain status is the default: only the authority layer writes them,
 * from signed revisions, and a signed declaration is never deleted. Answered from the type index, without reading rows.
 */
export function holdsRevisions(db: Database): boolean {
  const row = prepared<{ held: 0 | 1 }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM admindeclarations WHERE declaration_type IN (${REVISION_TYPES.map(() => '?').join(', ')}))
         OR EXISTS (SELECT 1 FROM declaration_supersessions) AS held`,
  ).get(...REVISION_TYPES);
  return row?.held === 1;
}

/** Writes one row's chain status; the caller holds the transaction. */
export function writeChainStatus(db: Database, declarationUuid: string, status: ChainStatus, now: string): void {
  prepared(
    db,
    `UPDATE admindeclarations SET is_revoked = @is_revoked, revoked_at = @revoked_at,
        revoked_by_declaration_uuid = @revoked_by_declaration_uuid, updated_at = @now
      WHERE declaration_uuid = @declaration_uuid`,
  ).run({ is_revoked: status.is_revoked ? 1 : 0, revoked_at: status.revoked_at, revoked_by_declaration_uuid: status.revoked_by_declaration_uuid, now, declaration_uuid: declarationUuid });
  if (status.superseded_by_declaration_uuid === null) prepared(db, 'DELETE FROM declaration_supersessions WHERE declaration_uuid = ?').run(declarationUuid);
  else {
    prepared(
      db,
      `INSERT INTO declaration_supersessions (declaration_uuid, superseded_by_declaration_uuid) VALUES (?, ?)
       ON CONFLICT (declaration_uuid) DO UPDATE SET superseded_by_declaration_uuid = excluded.superseded_by_declaration_uuid`,
    ).run(declarationUuid, status.superseded_by_declaration_uuid);
  }
}
