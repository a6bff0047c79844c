// The audit log: append and read. There is no update or delete here, and the schema's triggers refuse both anyway.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import { normalizeStamp, prepared } from './database';

export interface AuditEntry {
  id: number;
  at: string;
  /** A keypair uuid or fingerprint when a key acted, otherwise `local`. */
  actor: string;
  /** Dotted operation name, e.g. `declarations.sign`. */
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
}

export interface NewAuditEntry {
  /** The caller's clock (RFC 3339 UTC); the store never reads the time itself. */
  at: string;
  actor: string;
  action: string;
  subject_type?: string | null;
  subject_id?: string | null;
  /** JSON-serialisable; never put secrets here. */
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  subject_type?: string;
  subject_id?: string;
  /** Entries with a smaller id than this (the previous page's last id). */
  beforeId?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

/** Appends one entry and returns its id. Call it inside the handler's transaction so the record and the change land together. */
export function appendAudit(db: Database, entry: NewAuditEntry): number {
  const at = normalizeStamp(entry.at, 'at');
  if (!entry.actor || !entry.action) throw new DeclsignError('invalid_input', 'An audit entry needs an actor and an action');
  const result = prepared(db, `INSERT INTO audit_log (at, actor, action, subject_type, subject_id, details)
                               VALUES (?, ?, ?, ?, ?, ?)`).run(
    at,
    entry.actor,
    entry.action,
    entry.subject_type ?? null,
    entry.subject_id ?? null,
    JSON.stringify(entry.details ?? {}),
  );
  return Number(result.lastInsertRowid);
}

/** Newest first. */
export function listAudit(db: Database, query: AuditQuery = {}): AuditEntry[] {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new DeclsignError('invalid_input', `limit must be an integer in 1..1000, got ${limit}`);
  }
  const rows = prepared<Omit<AuditEntry, 'details'> & { details: string }>(
    db,
    `SELECT id, at, actor, action, subject_type, subject_id, details FROM audit_log
     WHERE (@subject_type IS NULL OR subject_type = @subject_type)
       AND (@subject_id IS NULL OR subject_id = @subject_id)
       AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  ).all({
    subject_type: query.subject_type ?? null,
    subject_id: query.subject_id ?? null,
    before: query.beforeId ?? null,
    limit,
  });
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}
