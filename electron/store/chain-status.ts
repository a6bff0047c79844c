// What the authority layer derives from the stored declarations and writes back: revocation and supersession of each
// declaration's update chain (admindeclarations.is_revoked, revoked_at, revoked_by_declaration_uuid, and
// declaration_supersessions). The evaluator decides; this module only reads the inputs and writes the answers.

import type { Database } from 'better-sqlite3';
import { prepared } from './database';

export interface StoredEvents {
  declaration_uuid: string;
  /** The signer recorded on the row; the verifier recomputes it from the signed bytes. */
  signing_keypair_fingerprint: string | null;
  /** JSON texts of the row's current events (primary or wrapper, countersignatures), exactly as stored. */
  events: string[];
}

/** Current events of every signed declaration, grouped by declaration, in uuid order. */
export function listSignedDeclarationEvents(db: Database): StoredEvents[] {
  const rows = prepared<{ declaration_uuid: string; signing_keypair_fingerprint: string | null; event_json: string }>(
    db,
    `SELECT d.declaration_uuid, d.signing_keypair_fingerprint, e.event_json
       FROM admindeclarations d JOIN declaration_events e ON e.declaration_uuid = d.declaration_uuid
      WHERE d.status IN ('Signed', 'Published') AND e.superseded_by IS NULL
      ORDER BY d.declaration_uuid, e.created_at, e.event_id`,
  ).all();
  const grouped: StoredEvents[] = [];
  for (const row of rows) {
    const last = grouped.at(-1);
    if (last?.declaration_uuid === row.declaration_uuid) last.events.push(row.event_json);
    else grouped.push({ declaration_uuid: row.declaration_uuid, signing_keypair_fingerprint: row.signing_keypair_fingerprint, events: [row.event_json] });
  }
  return grouped;
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
