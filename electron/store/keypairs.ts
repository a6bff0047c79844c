// The keypairs repository. Reads return public fields only; the private key ciphertext has its own accessor so that
// code listing keys cannot pick it up by accident.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import type { KeyAlgorithm, KeyRole } from '../core/keys/types';
import { normalizeStamp, prepared, rethrowConstraint, sqliteCode, withTransaction } from './database';
import type { EncryptedPrivateKey, PrivateKeyBinding } from './vault';

/** A keypair as the rest of the app sees it: no private key material, just whether we hold one. */
export interface KeypairRow {
  keypair_uuid: string;
  label: string;
  algorithm: KeyAlgorithm;
  role: KeyRole;
  /** Lowercase hex of the public key bytes (layouts in core/keys/types.ts). */
  public_key: string;
  fingerprint: string;
  canonical_name: string;
  has_private_key: boolean;
  nip49_key_security_byte: number | null;
  source_format: string;
  is_experimental: boolean;
  created_at: string;
  updated_at: string;
}

export interface NewKeypair {
  keypair_uuid: string;
  label: string;
  algorithm: KeyAlgorithm;
  role: KeyRole;
  public_key: string;
  fingerprint: string;
  canonical_name: string;
  /** From `encryptPrivateKey` with this row's binding; null for a watch (public-only) key. */
  private_key: EncryptedPrivateKey | null;
  nip49_key_security_byte?: number | null;
  /** How the key arrived: e.g. `generated`, `nsec`, `hex`, `ncryptsec`, `pem`, `npub`. */
  source_format: string;
  is_experimental?: boolean;
}

export interface KeypairFilter {
  algorithm?: KeyAlgorithm;
  role?: KeyRole;
  /** true: only keys we can sign with; false: only watch keys. */
  hasPrivateKey?: boolean;
}

export interface KeypairPatch {
  label?: string;
  role?: KeyRole;
}

interface StoredKeypair extends Omit<KeypairRow, 'has_private_key' | 'is_experimental'> {
  has_private_key: 0 | 1;
  is_experimental: 0 | 1;
}

const PUBLIC_COLUMNS = `keypair_uuid, label, algorithm, role, public_key, fingerprint, canonical_name,
  private_key_ciphertext IS NOT NULL AS has_private_key, nip49_key_security_byte, source_format, is_experimental,
  created_at, updated_at`;

function toRow(stored: StoredKeypair): KeypairRow {
  return { ...stored, has_private_key: stored.has_private_key === 1, is_experimental: stored.is_experimental === 1 };
}

/** Inserts a keypair. A key whose fingerprint is already stored fails with `duplicate_key` naming the existing row. */
export function insertKeypair(db: Database, keypair: NewKeypair, now: string): KeypairRow {
  const stamp = normalizeStamp(now);
  try {
    prepared(db, `INSERT INTO keypairs (keypair_uuid, label, algorithm, role, public_key, fingerprint, canonical_name,
                    private_key_ciphertext, private_key_nonce, private_key_tag, nip49_key_security_byte, source_format,
                    is_experimental, created_at, updated_at)
                  VALUES (@keypair_uuid, @label, @algorithm, @role, @public_key, @fingerprint, @canonical_name,
                    @ciphertext, @nonce, @tag, @nip49_key_security_byte, @source_format, @is_experimental, @now, @now)`).run({
      keypair_uuid: keypair.keypair_uuid,
      label: keypair.label,
      algorithm: keypair.algorithm,
      role: keypair.role,
      public_key: keypair.public_key,
      fingerprint: keypair.fingerprint,
      canonical_name: keypair.canonical_name,
      ...privateKeyParams(keypair.private_key),
      nip49_key_security_byte: keypair.nip49_key_security_byte ?? null,
      source_format: keypair.source_format,
      is_experimental: keypair.is_experimental ? 1 : 0,
      now: stamp,
    });
  } catch (thrown) {
    if (sqliteCode(thrown) === 'SQLITE_CONSTRAINT_UNIQUE' || sqliteCode(thrown) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const existing = getKeypairByFingerprint(db, keypair.fingerprint) ?? getKeypair(db, keypair.keypair_uuid);
      throw new DeclsignError('duplicate_key', `This key is already stored as ${existing?.keypair_uuid ?? keypair.keypair_uuid}`, {
        keypair_uuid: existing?.keypair_uuid ?? keypair.keypair_uuid,
      });
    }
    rethrowConstraint(thrown, 'Keypair');
  }
  return requireKeypair(db, keypair.keypair_uuid);
}

export function getKeypair(db: Database, keypairUuid: string): KeypairRow | undefined {
  const stored = prepared<StoredKeypair>(db, `SELECT ${PUBLIC_COLUMNS} FROM keypairs WHERE keypair_uuid = ?`).get(keypairUuid);
  return stored && toRow(stored);
}

/** As getKeypair, but a missing key is `unknown_key`. */
export function requireKeypair(db: Database, keypairUuid: string): KeypairRow {
  const row = getKeypair(db, keypairUuid);
  if (!row) throw new DeclsignError('unknown_key', `No keypair ${keypairUuid}`, { keypair_uuid: keypairUuid });
  return row;
}

export function getKeypairByFingerprint(db: Database, fingerprint: string): KeypairRow | undefined {
  const stored = prepared<StoredKeypair>(db, `SELECT ${PUBLIC_COLUMNS} FROM keypairs WHERE fingerprint = ?`).get(fingerprint);
  return stored && toRow(stored);
}

/** Oldest first, then by uuid: a stable order for pickers and the keys screen. */
export function listKeypairs(db: Database, filter: KeypairFilter = {}): KeypairRow[] {
  const has = filter.hasPrivateKey === undefined ? null : filter.hasPrivateKey ? 1 : 0;
  const rows = prepared<StoredKeypair>(
    db,
    `SELECT ${PUBLIC_COLUMNS} FROM keypairs
     WHERE (@algorithm IS NULL OR algorithm = @algorithm)
       AND (@role IS NULL OR role = @role)
       AND (@has IS NULL OR (private_key_ciphertext IS NOT NULL) = @has)
     ORDER BY created_at, keypair_uuid`,
  ).all({ algorithm: filter.algorithm ?? null, role: filter.role ?? null, has });
  return rows.map(toRow);
}

export function updateKeypair(db: Database, keypairUuid: string, patch: KeypairPatch, now: string): KeypairRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireKeypair(db, keypairUuid);
    try {
      prepared(db, 'UPDATE keypairs SET label = ?, role = ?, updated_at = ? WHERE keypair_uuid = ?').run(
        patch.label ?? current.label,
        patch.role ?? current.role,
        stamp,
        keypairUuid,
      );
    } catch (thrown) {
      rethrowConstraint(thrown, 'Keypair update');
    }
    return requireKeypair(db, keypairUuid);
  });
}

/**
 * Attaches a private key to a watch key (e.g. the owner imports the nsec later) or, with null, removes it.
 * The ciphertext must have been made with this row's binding.
 */
export function setKeypairPrivateKey(
  db: Database,
  keypairUuid: string,
  privateKey: EncryptedPrivateKey | null,
  now: string,
  nip49KeySecurityByte: number | null = null,
): KeypairRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    requireKeypair(db, keypairUuid);
    try {
      prepared(db, `UPDATE keypairs SET private_key_ciphertext = @ciphertext, private_key_nonce = @nonce,
                      private_key_tag = @tag, nip49_key_security_byte = @nip49, updated_at = @now
                    WHERE keypair_uuid = @uuid`).run({
        ...privateKeyParams(privateKey),
        nip49: nip49KeySecurityByte,
        now: stamp,
        uuid: keypairUuid,
      });
    } catch (thrown) {
      rethrowConstraint(thrown, 'Private key');
    }
    return requireKeypair(db, keypairUuid);
  });
}

export function deleteKeypair(db: Database, keypairUuid: string): void {
  const { changes } = prepared(db, 'DELETE FROM keypairs WHERE keypair_uuid = ?').run(keypairUuid);
  if (changes === 0) throw new DeclsignError('unknown_key', `No keypair ${keypairUuid}`, { keypair_uuid: keypairUuid });
}

/**
 * The stored private key of one keypair with the binding to decrypt it (`decryptPrivateKey`).
 * `unknown_key` if the row is missing, `missing_signer_private_key` if it is a watch key.
 */
export function getPrivateKeyCiphertext(
  db: Database,
  keypairUuid: string,
): { binding: PrivateKeyBinding; encrypted: EncryptedPrivateKey } {
  const row = prepared<{
    algorithm: KeyAlgorithm;
    fingerprint: string;
    private_key_ciphertext: Buffer | null;
    private_key_nonce: Buffer | null;
    private_key_tag: Buffer | null;
  }>(db, `SELECT algorithm, fingerprint, private_key_ciphertext, private_key_nonce, private_key_tag
          FROM keypairs WHERE keypair_uuid = ?`).get(keypairUuid);
  if (!row) throw new DeclsignError('unknown_key', `No keypair ${keypairUuid}`, { keypair_uuid: keypairUuid });
  if (!row.private_key_ciphertext || !row.private_key_nonce || !row.private_key_tag) {
    throw new DeclsignError('missing_signer_private_key', `Keypair ${keypairUuid} is a watch key: we hold no private key for it`, {
      keypair_uuid: keypairUuid,
    });
  }
  return {
    binding: { keypairUuid, algorithm: row.algorithm, fingerprint: row.fingerprint },
    encrypted: { ciphertext: row.private_key_ciphertext, nonce: row.private_key_nonce, tag: row.private_key_tag },
  };
}

function privateKeyParams(privateKey: EncryptedPrivateKey | null) {
  return privateKey
    ? { ciphertext: Buffer.from(privateKey.ciphertext), nonce: Buffer.from(privateKey.nonce), tag: Buffer.from(privateKey.tag) }
    : { ciphertext: null, nonce: null, tag: null };
}
