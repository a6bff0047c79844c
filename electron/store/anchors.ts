// The trust_anchors repository: Master Admin keys this installation pinned explicitly (devdocs/authority.md §3).
// Only rows here are anchors; a key's role or its having been generated here pins nothing.

import type { Database } from 'better-sqlite3';
import type { Anchor } from '../core/authority/types';
import { DeclsignError } from '../core/errors';
import type { KeyAlgorithm } from '../core/keys/types';
import { normalizeStamp, prepared, rethrowConstraint, withTransaction } from './database';

export interface AnchorRow {
  fingerprint: string;
  algorithm: KeyAlgorithm;
  public_key: string;
  canonical_name: string;
  label: string | null;
  pinned_at: string;
  note: string | null;
}

export type NewAnchor = Omit<AnchorRow, 'pinned_at'>;

export function getAnchor(db: Database, fingerprint: string): AnchorRow | undefined {
  return prepared<AnchorRow>(db, 'SELECT * FROM trust_anchors WHERE fingerprint = ?').get(fingerprint);
}

/** Oldest pin first, so a list reads in the order the administrator built trust. */
export function listAnchors(db: Database): AnchorRow[] {
  return prepared<AnchorRow>(db, 'SELECT * FROM trust_anchors ORDER BY pinned_at, fingerprint').all();
}

/**
 * Pins a key. Pinning a key that is already an anchor keeps its pin time and updates the label and note when given,
 * so repeating a pin is harmless; `created` says which happened.
 */
export function pinAnchorRow(db: Database, anchor: NewAnchor, now: string): { row: AnchorRow; created: boolean } {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const existing = getAnchor(db, anchor.fingerprint);
    try {
      if (existing) {
        prepared(db, 'UPDATE trust_anchors SET label = COALESCE(?, label), note = COALESCE(?, note) WHERE fingerprint = ?').run(anchor.label, anchor.note, anchor.fingerprint);
      } else {
        prepared(db, `INSERT INTO trust_anchors (fingerprint, algorithm, public_key, canonical_name, label, pinned_at, note)
                      VALUES (@fingerprint, @algorithm, @public_key, @canonical_name, @label, @pinned_at, @note)`).run({ ...anchor, pinned_at: stamp });
      }
    } catch (thrown) {
      rethrowConstraint(thrown, 'Anchor');
    }
    return { row: getAnchor(db, anchor.fingerprint)!, created: existing === undefined };
  });
}

/** Unpins a key; `unknown_anchor` if it was not pinned. */
export function removeAnchor(db: Database, fingerprint: string): AnchorRow {
  return withTransaction(db, () => {
    const row = getAnchor(db, fingerprint);
    if (!row) throw new DeclsignError('unknown_anchor', `No trust anchor with fingerprint ${fingerprint}`, { fingerprint });
    prepared(db, 'DELETE FROM trust_anchors WHERE fingerprint = ?').run(fingerprint);
    return row;
  });
}

/** The anchors as the evaluator takes them. */
export function evaluatorAnchors(db: Database): Anchor[] {
  return listAnchors(db).map((row) => (row.label === null ? { fingerprint: row.fingerprint } : { fingerprint: row.fingerprint, label: row.label }));
}

/**
 * A public key this store has seen under `fingerprint` outside its keypairs: as the signer or the subject of a stored
 * declaration. The caller recomputes the fingerprint from the key before trusting the match.
 */
export function findDeclaredPublicKey(db: Database, fingerprint: string): { algorithm: KeyAlgorithm; public_key: string } | undefined {
  return prepared<{ algorithm: KeyAlgorithm; public_key: string }>(
    db,
    `SELECT target_algorithm AS algorithm, target_public_key AS public_key FROM admindeclarations
      WHERE target_fingerprint = @fp AND target_algorithm IS NOT NULL AND target_public_key IS NOT NULL
     UNION ALL
     SELECT json_extract(signed_data, '$.signing_keypair_algorithm'), json_extract(signed_data, '$.signing_keypair_public_key')
       FROM admindeclarations WHERE signing_keypair_fingerprint = @fp AND signed_data IS NOT NULL
     LIMIT 1`,
  ).get({ fp: fingerprint });
}
