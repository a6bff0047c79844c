// Keys: generate, import, list, export, update, delete. Private keys are encrypted before they touch the store and
// never appear in a result; exports of private keys are always encrypted with a password the user chooses.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DeclsignError } from '../../core/errors';
import {
  KEY_ALGORITHMS,
  KEY_ROLES,
  RSA_MAX_BITS,
  RSA_MIN_BITS,
  exportPrivate,
  exportPublic,
  generatePrivateKey,
  groupFingerprint,
  identityFromPublicKey,
  importKey,
  keyMaterialFromPrivate,
  type KeyAlgorithm,
  type KeyRole,
  type ImportedKey,
  type KeySecurityByte,
} from '../../core/keys';
import { appendAudit } from '../../store/audit';
import { withTransaction } from '../../store/database';
import { countUnsignedIssuedBy } from '../../store/declarations';
import {
  deleteKeypair,
  getKeypairByFingerprint,
  insertKeypair,
  listKeypairs,
  requireKeypair,
  setKeypairPrivateKey,
  updateKeypair,
  type KeypairRow,
} from '../../store/keypairs';
import { encryptPrivateKey } from '../../store/vault';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { withSigningKey } from '../resolve';

const op = defineOperation<OperationContext>();

const keyId = z.string().uuid('expected a key id (a UUID)');
const label = z.string().trim().min(1, 'A key needs a label.').max(200);
const role = z.enum(KEY_ROLES);
const algorithm = z.enum(KEY_ALGORITHMS);

/** What every key operation returns: public information only. */
export interface KeyView {
  id: string;
  label: string;
  type: KeyAlgorithm;
  role: KeyRole;
  fingerprint: string;
  fingerprint_grouped: string;
  canonical_name: string;
  public_key: string;
  has_private_key: boolean;
  experimental: boolean;
  source_format: string;
  nip49_key_security_byte: number | null;
  created_at: string;
  updated_at: string;
}

export function keyView(row: KeypairRow): KeyView {
  return {
    id: row.keypair_uuid,
    label: row.label,
    type: row.algorithm,
    role: row.role,
    fingerprint: row.fingerprint,
    fingerprint_grouped: groupFingerprint(row.fingerprint),
    canonical_name: row.canonical_name,
    public_key: row.public_key,
    has_private_key: row.has_private_key,
    experimental: row.is_experimental,
    source_format: row.source_format,
    nip49_key_security_byte: row.nip49_key_security_byte,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const isAdminRole = (r: KeyRole) => r !== 'none';

/**
 * An administrator must always hold a Nostr key it can sign with: it signs, wraps and authenticates to relays.
 * Refuses a change that would leave no Nostr key with a private key (or, for a role change, none with an admin role).
 */
function assertKeepsANostrKey(ctx: OperationContext, target: KeypairRow, change: 'delete' | { role: KeyRole }): void {
  if (target.algorithm !== 'nostr' || !target.has_private_key) return;
  const others = listKeypairs(ctx.services.db(), { algorithm: 'nostr', hasPrivateKey: true }).filter(
    (k) => k.keypair_uuid !== target.keypair_uuid,
  );
  if (change === 'delete' && others.length === 0) {
    throw new DeclsignError('last_nostr_key', `${target.label} is your last Nostr key with a private key. An administrator must always hold one: generate or import another Nostr key first.`);
  }
  if (change !== 'delete' && isAdminRole(target.role) && !isAdminRole(change.role) && !others.some((k) => isAdminRole(k.role))) {
    throw new DeclsignError('last_nostr_key', `${target.label} is your last Nostr admin key. Give another Nostr key an admin role before demoting this one.`);
  }
}

function nowStamp(ctx: OperationContext): string {
  return ctx.now().toISOString();
}

export const keyOperations = {
  'keys.generate': op({
    name: 'keys.generate',
    summary: 'Generate a keypair; the private key is encrypted in the store.',
    input: z.strictObject({
      algorithm,
      label,
      role: role.default('none'),
      rsa_bits: z.number().int().min(RSA_MIN_BITS).max(RSA_MAX_BITS).multipleOf(1024).optional(),
    }),
    handler: async (input, ctx): Promise<KeyView> => {
      const vault = await ctx.services.vaultKey();
      const privateKey = generatePrivateKey(input.algorithm, ctx.randomBytes, input.rsa_bits ? { rsaBits: input.rsa_bits } : {});
      try {
        const material = keyMaterialFromPrivate(input.algorithm, privateKey);
        const id = randomUUID();
        const encrypted = encryptPrivateKey(vault, { keypairUuid: id, algorithm: input.algorithm, fingerprint: material.fingerprint }, privateKey);
        material.privateKey?.fill(0);
        const db = ctx.services.db();
        const now = nowStamp(ctx);
        const row = withTransaction(db, () => {
          const inserted = insertKeypair(db, {
            keypair_uuid: id,
            label: input.label,
            algorithm: input.algorithm,
            role: input.role,
            public_key: material.publicKeyHex,
            fingerprint: material.fingerprint,
            canonical_name: material.canonicalName,
            private_key: encrypted,
            source_format: 'generated',
            is_experimental: input.algorithm === 'ml-dsa-65',
          }, now);
          appendAudit(db, { at: now, actor: 'local', action: 'key.generate', subject_type: 'keypair', subject_id: id, details: { algorithm: input.algorithm, fingerprint: material.fingerprint } });
          return inserted;
        });
        return keyView(row);
      } finally {
        privateKey.fill(0);
      }
    },
  }),

  'keys.import': op({
    name: 'keys.import',
    summary: 'Import a private or public key (nsec, ncryptsec, npub, hex, PEM, PKCS#12, ML-DSA raw).',
    input: z
      .strictObject({
        data_text: z.string().min(1).max(1_000_000).optional(),
        data_base64: z.string().min(1).max(1_400_000).optional(),
        password: z.string().optional(),
        algorithm: algorithm.optional(),
        label,
        role: role.default('none'),
      })
      .refine((i) => (i.data_text === undefined) !== (i.data_base64 === undefined), { message: 'Give the key as data_text or data_base64 (exactly one).' }),
    handler: async (input, ctx): Promise<KeyView> => {
      ctx.services.requireInitialized();
      const data = input.data_text ?? new Uint8Array(Buffer.from(input.data_base64!, 'base64'));
      const imported = importKey({
        data,
        ...(input.password !== undefined ? { password: input.password } : {}),
        ...(input.algorithm !== undefined ? { algorithm: input.algorithm } : {}),
      });
      try {
        return keyView(await storeImported(ctx, input.label, input.role, imported));
      } finally {
        imported.privateKey?.fill(0);
      }
    },
  }),

  'keys.list': op({
    name: 'keys.list',
    summary: 'List keys (public information only).',
    input: z.strictObject({ algorithm: algorithm.optional(), role: role.optional() }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const filter = { ...(input.algorithm ? { algorithm: input.algorithm } : {}), ...(input.role ? { role: input.role } : {}) };
      return { keys: listKeypairs(ctx.services.db(), filter).map(keyView) };
    },
  }),

  'keys.get': op({
    name: 'keys.get',
    summary: 'One key (public information only).',
    input: z.strictObject({ id: keyId }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      return keyView(requireKeypair(ctx.services.db(), input.id));
    },
  }),

  'keys.export': op({
    name: 'keys.export',
    summary: 'Export a public key, or a private key encrypted with a password (ncryptsec, encrypted PKCS#8 PEM).',
    input: z.strictObject({
      id: keyId,
      format: z.enum(['public', 'hex', 'npub', 'pem', 'ncryptsec', 'pem-private']).default('public'),
      password: z.string().optional(),
    }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const row = requireKeypair(db, input.id);
      const publicKey = new Uint8Array(Buffer.from(row.public_key, 'hex'));
      if (input.format !== 'ncryptsec' && input.format !== 'pem-private') {
        const format = input.format === 'public' ? defaultPublicFormat(row.algorithm) : input.format;
        return { id: row.keypair_uuid, format, data: exportPublic(row.algorithm, publicKey, format) };
      }
      if (!input.password) throw new DeclsignError('invalid_input', 'A private key is only exported encrypted: give a password.');
      const password = input.password;
      const format = input.format === 'ncryptsec' ? 'ncryptsec' : 'pem';
      const data = await withSigningKey(ctx, row.keypair_uuid, (key) =>
        exportPrivate(row.algorithm, key.privateKey, format, password, { nip49KeySecurityByte: keySecurityByte(row) }),
      );
      const now = nowStamp(ctx);
      appendAudit(db, { at: now, actor: 'local', action: 'key.export-private', subject_type: 'keypair', subject_id: row.keypair_uuid, details: { format: input.format } });
      return { id: row.keypair_uuid, format: input.format, data };
    },
  }),

  'keys.update': op({
    name: 'keys.update',
    summary: 'Rename a key or change its role.',
    input: z.strictObject({ id: keyId, label: label.optional(), role: role.optional() }),
    handler: (input, ctx): KeyView => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const now = nowStamp(ctx);
      return keyView(
        withTransaction(db, () => {
          const current = requireKeypair(db, input.id);
          if (input.role !== undefined) assertKeepsANostrKey(ctx, current, { role: input.role });
          const patch = { ...(input.label !== undefined ? { label: input.label } : {}), ...(input.role !== undefined ? { role: input.role } : {}) };
          const updated = updateKeypair(db, input.id, patch, now);
          appendAudit(db, { at: now, actor: 'local', action: 'key.update', subject_type: 'keypair', subject_id: input.id, details: patch });
          return updated;
        }),
      );
    },
  }),

  'keys.deletePreview': op({
    name: 'keys.deletePreview',
    summary: 'What deleting a key would change besides the key: the unsigned declarations (Drafts, Finalized) that lose it as their issuer.',
    input: z.strictObject({ id: keyId }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      requireKeypair(db, input.id);
      const issued = countUnsignedIssuedBy(db, input.id);
      return { id: input.id, drafts_losing_issuer: issued.drafts, finalized_losing_issuer: issued.finalized };
    },
  }),

  'keys.delete': op({
    name: 'keys.delete',
    summary: 'Delete a key. The last Nostr key with a private key cannot be deleted.',
    input: z.strictObject({ id: keyId }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const now = nowStamp(ctx);
      return withTransaction(db, () => {
        const current = requireKeypair(db, input.id);
        assertKeepsANostrKey(ctx, current, 'delete');
        deleteKeypair(db, input.id);
        appendAudit(db, { at: now, actor: 'local', action: 'key.delete', subject_type: 'keypair', subject_id: input.id, details: { fingerprint: current.fingerprint, had_private_key: current.has_private_key } });
        return { id: input.id, deleted: true };
      });
    },
  }),
};

function defaultPublicFormat(alg: KeyAlgorithm): 'npub' | 'pem' | 'hex' {
  if (alg === 'nostr') return 'npub';
  return alg === 'ml-dsa-65' ? 'hex' : 'pem';
}

/**
 * NIP-49's key-security byte, said honestly: a key generated here and only ever stored encrypted is 0x01; a key that
 * arrived in the clear (nsec, hex, PEM) has been handled insecurely, 0x00; an ncryptsec keeps the byte it came with.
 */
function keySecurityByte(row: KeypairRow): KeySecurityByte {
  if (row.nip49_key_security_byte === 0 || row.nip49_key_security_byte === 1 || row.nip49_key_security_byte === 2) return row.nip49_key_security_byte;
  return row.source_format === 'generated' ? 1 : 0;
}

/**
 * Stores an imported key. The private key of a key we already watch is attached to that row (the owner brought the
 * secret later); any other duplicate is `duplicate_key`.
 */
async function storeImported(ctx: OperationContext, keyLabel: string, keyRole: KeyRole, imported: ImportedKey): Promise<KeypairRow> {
  const db = ctx.services.db();
  const identity = identityFromPublicKey(imported.algorithm, imported.publicKey);
  const vault = imported.privateKey ? await ctx.services.vaultKey() : undefined;
  const now = nowStamp(ctx);
  const existing = getKeypairByFingerprint(db, identity.fingerprint);
  const id = existing?.keypair_uuid ?? randomUUID();
  const encrypted = vault && imported.privateKey
    ? encryptPrivateKey(vault, { keypairUuid: id, algorithm: imported.algorithm, fingerprint: identity.fingerprint }, imported.privateKey)
    : null;
  const details = { algorithm: imported.algorithm, fingerprint: identity.fingerprint, source_format: imported.sourceFormat, private: encrypted !== null };
  return withTransaction(db, () => {
    if (existing) {
      if (existing.has_private_key || !encrypted) {
        throw new DeclsignError('duplicate_key', `This key is already stored as "${existing.label}" (${existing.keypair_uuid}).`, { keypair_uuid: existing.keypair_uuid });
      }
      const row = setKeypairPrivateKey(db, existing.keypair_uuid, encrypted, now, imported.nip49KeySecurityByte ?? null);
      appendAudit(db, { at: now, actor: 'local', action: 'key.import-private', subject_type: 'keypair', subject_id: id, details });
      return row;
    }
    const row = insertKeypair(db, {
      keypair_uuid: id,
      label: keyLabel,
      algorithm: imported.algorithm,
      role: keyRole,
      public_key: identity.publicKeyHex,
      fingerprint: identity.fingerprint,
      canonical_name: identity.canonicalName,
      private_key: encrypted,
      nip49_key_security_byte: imported.nip49KeySecurityByte ?? null,
      source_format: imported.sourceFormat,
      is_experimental: imported.algorithm === 'ml-dsa-65',
    }, now);
    appendAudit(db, { at: now, actor: 'local', action: 'key.import', subject_type: 'keypair', subject_id: id, details });
    return row;
  });
}
