// Declarations: draft, finalize (and back), sign (Nostr directly, other algorithms wrapped), countersign, discard an
// unsigned one, show, list, export.
// Each handler resolves its dependencies (row, keys), calls the pure core, and persists in one transaction.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../core/canonical';
import {
  DECLARATION_STATUSES,
  DECLARATION_TYPES,
  buildBundle,
  buildContent,
  buildSignedData,
  contentHash,
  countersignDetached,
  countersignWithNostr,
  defaultBackend,
  signDetached,
  signWithNostr,
  signedDataOf,
  signedDataSha256,
  timestampFromDate,
  toUnixSeconds,
  wrap,
  type DeclarationContent,
  type DeclarationType,
  type DeclarationExport,
  type DetachedCountersignature,
  type JsonValue,
  type NostrEvent,
  type SignedDataWithSignature,
} from '../../core/declaration';
import { DeclsignError } from '../../core/errors';
import { hexToBytes } from '../../core/hex';
import { KEY_ALGORITHMS, identityFromPublicKey, importKey, isValidPublicKey, type KeyAlgorithm } from '../../core/keys';
import { appendAudit } from '../../store/audit';
import { withTransaction, type Database } from '../../store/database';
import { insertDeclarationEvent, listDeclarationEvents, type DeclarationEventRow } from '../../store/declaration-events';
import {
  discardUnsignedDeclaration,
  insertDraftDeclaration,
  listDeclarations,
  recordSignature,
  recordWrapperEvent,
  requireDeclaration,
  setCountersignatures,
  setDeclarationStatus,
  updateDraftDeclaration,
  type DeclarationRow,
  type DraftPatch,
} from '../../store/declarations';
import { getKeypair, getKeypairByFingerprint, listKeypairs, requireKeypair, type KeypairRow } from '../../store/keypairs';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { defaultNostrKey } from '../nostr-keys';
import { withSigningKey, type SigningKey } from '../resolve';
import { applyRevocations, checkRevisionTarget, checkRevisionTargetSigned, draftLineage, revisionTarget } from './authority';
import { instant } from './verify';

const op = defineOperation<OperationContext>();

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID');
const keyId = z.string().uuid('expected a key id (a UUID)');
const contentObject = z.record(z.string(), z.unknown());

const draftInput = {
  type: z.enum(DECLARATION_TYPES),
  issuer: keyId,
  subject: keyId.optional(),
  subject_pubkey: z.string().min(1).max(20_000).optional(),
  subject_algorithm: z.enum(KEY_ALGORITHMS).optional(),
  content: contentObject,
  valid_from: instant.optional(),
  valid_until: instant.nullable().optional(),
  original_declaration_uuid: uuid.optional(),
};

/** Whole seconds, as in the signed data; a sub-second instant is refused rather than silently truncated. */
function toSignedTime(value: string, field: string): string {
  const date = new Date(value);
  if (date.getUTCMilliseconds() !== 0) throw new DeclsignError('invalid_validity', `${field} must be a whole second.`);
  return timestampFromDate(date);
}

function nowStamp(ctx: OperationContext): string {
  return ctx.now().toISOString();
}

interface Subject {
  keypairUuid: string | null;
  algorithm: KeyAlgorithm;
  publicKeyHex: string;
  fingerprint: string;
  canonicalName: string;
}

/** A subject is a local key, or an external public key: npub, 64-hex (Nostr unless told), or a public PEM. */
function resolveSubject(ctx: OperationContext, subject: string | undefined, pubkey: string | undefined, algorithm: KeyAlgorithm | undefined): Subject {
  if (subject !== undefined && pubkey !== undefined) throw new DeclsignError('invalid_input', 'Give either subject or subject_pubkey, not both.');
  if (subject !== undefined) {
    const row = requireKeypair(ctx.services.db(), subject);
    return { keypairUuid: row.keypair_uuid, algorithm: row.algorithm, publicKeyHex: row.public_key, fingerprint: row.fingerprint, canonicalName: row.canonical_name };
  }
  if (pubkey === undefined) throw new DeclsignError('invalid_input', 'A declaration needs a subject: a local key (subject) or a public key (subject_pubkey).');
  const text = pubkey.trim();
  let alg: KeyAlgorithm;
  let bytes: Uint8Array;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 && text.length <= 4096) {
    alg = algorithm ?? 'nostr';
    bytes = new Uint8Array(Buffer.from(text.toLowerCase(), 'hex'));
  } else {
    const imported = importKey({ data: text, ...(algorithm ? { algorithm } : {}) });
    if (imported.privateKey) {
      imported.privateKey.fill(0);
      throw new DeclsignError('invalid_input', 'subject_pubkey is a private key. Give the public key (npub, hex or public PEM) — and treat that private key as exposed.');
    }
    alg = imported.algorithm;
    bytes = imported.publicKey;
  }
  if (!isValidPublicKey(alg, bytes)) throw new DeclsignError('invalid_key', `subject_pubkey is not a valid ${alg} public key.`);
  const identity = identityFromPublicKey(alg, bytes);
  // A subject we hold locally is recognised as that key, whichever way it was named.
  const local = listKeypairs(ctx.services.db(), { algorithm: alg }).find((k) => k.fingerprint === identity.fingerprint);
  return { keypairUuid: local?.keypair_uuid ?? null, ...identity };
}

/** The subject a stored declaration names (a revision of it names the same one). */
function subjectOfRow(row: DeclarationRow): Subject {
  if (row.target_algorithm === null || row.target_public_key === null || row.target_fingerprint === null || row.target_canonical_name === null) {
    throw new DeclsignError('invalid_input', `Declaration ${row.declaration_uuid} names no subject; give one.`);
  }
  return { keypairUuid: row.target_keypair_uuid, algorithm: row.target_algorithm, publicKeyHex: row.target_public_key, fingerprint: row.target_fingerprint, canonicalName: row.target_canonical_name };
}

function subjectPatch(subject: Subject): DraftPatch {
  return {
    target_keypair_uuid: subject.keypairUuid,
    target_algorithm: subject.algorithm,
    target_public_key: subject.publicKeyHex,
    target_fingerprint: subject.fingerprint,
    target_canonical_name: subject.canonicalName,
  };
}

function requireIssuer(ctx: OperationContext, issuer: string): KeypairRow {
  const row = requireKeypair(ctx.services.db(), issuer);
  if (!row.has_private_key) {
    throw new DeclsignError('missing_signer_private_key', `The issuer key "${row.label}" is a watch key: this store cannot sign with it.`, { keypair_uuid: issuer });
  }
  return row;
}

function contentFields(type: (typeof DECLARATION_TYPES)[number], content: Record<string, unknown>): { content_json: string; content_hash_sha256: string } {
  const format1 = buildContent(type, content as { [key: string]: JsonValue });
  return { content_json: canonicalJson(format1, 'content'), content_hash_sha256: contentHash(format1) };
}

/**
 * An ordered window that, when `now` is given, has not already ended: a Draft that expired before it was made could
 * never be finalized. Edits that leave the window alone pass `undefined` (finalize checks expiry again anyway).
 */
function checkWindow(validFrom: string | null, validUntil: string | null, now: Date | undefined): void {
  if (validFrom !== null && validUntil !== null && Date.parse(validUntil) <= Date.parse(validFrom)) {
    throw new DeclsignError('invalid_validity', `valid_until (${validUntil}) must be after valid_from (${validFrom}).`);
  }
  if (now !== undefined && validUntil !== null && Date.parse(validUntil) <= now.getTime()) {
    throw new DeclsignError('invalid_validity', `valid_until (${validUntil}) is already past; a declaration must be valid for some time after now.`);
  }
}

/** Types whose chain fields follow from the target their content names (draftLineage). */
const CHAIN_TYPES: ReadonlySet<string> = new Set(['declaration-update', 'declaration-revoke', 'privilege-revoke']);

/**
 * The chain fields of an edited draft, derived again exactly as at creation: an update that now names another target
 * joins that target's chain with its next content_version; a draft that stops being an update is version 1 again; an
 * original that came from the old target does not outlive it. An original given explicitly (now or, for a type
 * outside the chain types, at creation) is kept.
 */
function lineageAfterEdit(ctx: OperationContext, current: DeclarationRow, type: DeclarationType, content: Record<string, unknown>, explicitOriginal: string | undefined) {
  const derived = draftLineage(ctx.services.db(), type, content, explicitOriginal);
  const keptOriginal = CHAIN_TYPES.has(current.declaration_type) ? null : current.original_declaration_uuid;
  return {
    is_update: derived.is_update ?? false,
    content_version: derived.content_version ?? 1,
    original_declaration_uuid: derived.original_declaration_uuid ?? (CHAIN_TYPES.has(type) ? null : keptOriginal),
  };
}

/** Moves an unsigned declaration between Draft and Finalized with an audit entry naming its content; the caller holds the transaction. */
function moveStatus(db: Database, current: DeclarationRow, to: 'Draft' | 'Finalized', action: string, stamp: string): DeclarationRow {
  const updated = setDeclarationStatus(db, current.declaration_uuid, to, stamp);
  appendAudit(db, { at: stamp, actor: 'local', action, subject_type: 'declaration', subject_id: current.declaration_uuid, details: { content_hash_sha256: current.content_hash_sha256 } });
  return updated;
}

/** What `declarations.discard` erased, as its audit entry records it (plus `discarded: true`). */
export interface DiscardedDeclaration {
  declaration_uuid: string;
  declaration_type: DeclarationType;
  status: DeclarationRow['status'];
  content_hash_sha256: string | null;
  discarded: true;
}

/** The row as the UI and `decl show` present it: JSON columns parsed, events listed. Public data only. */
export function declarationView(ctx: OperationContext, row: DeclarationRow) {
  const db = ctx.services.db();
  const issuer = row.issuer_keypair_uuid ? getKeypair(db, row.issuer_keypair_uuid) : undefined;
  const events = listDeclarationEvents(db, row.declaration_uuid).map((e: DeclarationEventRow) => {
    // Who signed the event, as the rest of the app names keys: the canonical name (npub), plus the label of a key this
    // store holds or watches — the renderer cannot compute either (it runs no crypto).
    const author = identityFromPublicKey('nostr', hexToBytes(e.pubkey));
    return {
      event_id: e.event_id,
      role: e.role,
      pubkey: e.pubkey,
      author_canonical_name: author.canonicalName,
      author_label: getKeypairByFingerprint(db, author.fingerprint)?.label ?? null,
      created_at: e.created_at,
      superseded: e.superseded_by !== null,
    };
  });
  return {
    ...row,
    content: JSON.parse(row.content_json) as DeclarationContent,
    countersignatures: JSON.parse(row.countersignatures) as DetachedCountersignature[],
    nostr_tags: row.nostr_tags === null ? null : (JSON.parse(row.nostr_tags) as string[][]),
    nostr_published_to_relays: JSON.parse(row.nostr_published_to_relays) as string[],
    signed_data: row.signed_data === null ? null : (JSON.parse(row.signed_data) as SignedDataWithSignature),
    nostr_event: row.nostr_event === null ? null : (JSON.parse(row.nostr_event) as NostrEvent),
    issuer_label: issuer?.label ?? null,
    issuer_canonical_name: issuer?.canonical_name ?? row.signing_keypair_canonical_name,
    signer: row.signing_keypair_canonical_name,
    events,
  };
}

/** Format 4: every field that is not itself signed, for backup and import. Informational: verifiers ignore it. */
function format4(row: DeclarationRow): DeclarationExport {
  const { content_json, countersignatures, nostr_tags, nostr_published_to_relays, signed_data, nostr_event, digital_signature, ...rest } = row;
  void signed_data;
  void nostr_event;
  void digital_signature;
  return {
    ...(rest as unknown as Record<string, JsonValue>),
    content: JSON.parse(content_json) as JsonValue,
    countersignatures: JSON.parse(countersignatures) as JsonValue,
    nostr_tags: nostr_tags === null ? null : (JSON.parse(nostr_tags) as JsonValue),
    nostr_published_to_relays: JSON.parse(nostr_published_to_relays) as JsonValue,
    declaration_uuid: row.declaration_uuid,
    status: row.status,
  };
}

/** The Nostr key that wraps for `issuer` when none is named (electron/ops/nostr-keys.ts has the rule). */
function defaultWrapKey(ctx: OperationContext, issuer: KeypairRow | undefined): KeypairRow {
  const key = defaultNostrKey(ctx, issuer?.role);
  if (!key) {
    throw new DeclsignError('missing_signer_private_key', 'No Nostr key with a private key to wrap this signature: an administrator must hold one. Generate or import a Nostr key.');
  }
  return key;
}

function requireNostrKey(ctx: OperationContext, id: string): KeypairRow {
  const row = requireKeypair(ctx.services.db(), id);
  if (row.algorithm !== 'nostr') throw new DeclsignError('not_a_nostr_key', `Key "${row.label}" is ${row.algorithm}; only a Nostr key can wrap.`);
  return row;
}

function parseEvents(rows: readonly DeclarationEventRow[]): NostrEvent[] {
  return rows.map((r) => JSON.parse(r.event_json) as NostrEvent);
}

interface Wrapping {
  format3: SignedDataWithSignature;
  countersignatures: readonly DetachedCountersignature[];
  wrapKeyId: string;
}

/** Makes the wrapper event that carries Format 3 and the detached countersignatures, newer than this key's last one. */
async function makeWrapper(ctx: OperationContext, row: DeclarationRow, wrapping: Wrapping): Promise<{ event: NostrEvent; wrapKeyId: string }> {
  const db = ctx.services.db();
  const events = listDeclarationEvents(db, row.declaration_uuid);
  const wrapKey = requireNostrKey(ctx, wrapping.wrapKeyId);
  const previous = events.filter((e) => e.pubkey === wrapKey.public_key).map((e) => e.created_at);
  const countersigners = events.filter((e) => e.role === 'countersignature').map((e) => e.pubkey);
  const event = await withSigningKey(ctx, wrapKey.keypair_uuid, (key: SigningKey) =>
    wrap({
      format3: wrapping.format3,
      countersignatures: wrapping.countersignatures,
      wrapperPrivateKey: key.privateKey,
      createdAt: toUnixSeconds(timestampFromDate(ctx.now())),
      ...(previous.length ? { previousCreatedAt: Math.max(...previous) } : {}),
      nostrCountersignerPubkeys: countersigners,
    }),
  );
  return { event, wrapKeyId: wrapKey.keypair_uuid };
}

export const declarationOperations = {
  'declarations.create': op({
    name: 'declarations.create',
    summary: 'Create a Draft declaration.',
    aliases: ['online:admin-declaration:save'],
    input: z.strictObject(draftInput),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const issuer = requireIssuer(ctx, input.issuer);
      const target = revisionTarget(db, input.type, input.content);
      const subject =
        target !== undefined && input.subject === undefined && input.subject_pubkey === undefined
          ? subjectOfRow(target)
          : resolveSubject(ctx, input.subject, input.subject_pubkey, input.subject_algorithm);
      if (target !== undefined) checkRevisionTarget(target, input.type, input.content, subject.fingerprint);
      const now = ctx.now();
      const validFrom = input.valid_from ? toSignedTime(input.valid_from, 'valid_from') : timestampFromDate(now);
      const validUntil = input.valid_until ? toSignedTime(input.valid_until, 'valid_until') : null;
      checkWindow(validFrom, validUntil, now);
      const id = randomUUID();
      const stamp = nowStamp(ctx);
      const row = withTransaction(db, () => {
        const inserted = insertDraftDeclaration(db, {
          declaration_uuid: id,
          declaration_type: input.type,
          ...contentFields(input.type, input.content),
          issuer_keypair_uuid: issuer.keypair_uuid,
          ...subjectPatch(subject),
          valid_from: validFrom,
          valid_until: validUntil,
          ...draftLineage(db, input.type, input.content, input.original_declaration_uuid),
        }, stamp);
        appendAudit(db, { at: stamp, actor: issuer.fingerprint, action: 'declaration.create', subject_type: 'declaration', subject_id: id, details: { type: input.type } });
        return inserted;
      });
      return declarationView(ctx, row);
    },
  }),

  'declarations.update': op({
    name: 'declarations.update',
    summary: 'Edit a Draft declaration; any other status is refused (not_draft).',
    input: z.strictObject({ uuid, ...Object.fromEntries(Object.entries(draftInput).map(([k, v]) => [k, v.optional()])) } as {
      uuid: typeof uuid;
    } & { [K in keyof typeof draftInput]: z.ZodOptional<(typeof draftInput)[K]> }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const current = requireDeclaration(db, input.uuid);
      if (current.status !== 'Draft') throw new DeclsignError('not_draft', `Declaration ${input.uuid} is ${current.status}; only a Draft can be edited.`);
      const patch: DraftPatch = {};
      if (input.issuer !== undefined) patch.issuer_keypair_uuid = requireIssuer(ctx, input.issuer).keypair_uuid;
      if (input.subject !== undefined || input.subject_pubkey !== undefined) {
        Object.assign(patch, subjectPatch(resolveSubject(ctx, input.subject, input.subject_pubkey, input.subject_algorithm)));
      }
      const type = input.type ?? current.declaration_type;
      const content = input.content ?? (JSON.parse(current.content_json) as DeclarationContent).content;
      if (input.type !== undefined || input.content !== undefined || input.original_declaration_uuid !== undefined) {
        Object.assign(patch, { declaration_type: type, ...contentFields(type, content), ...lineageAfterEdit(ctx, current, type, content, input.original_declaration_uuid) });
      }
      const target = revisionTarget(db, type, content);
      if (target !== undefined && input.subject === undefined && input.subject_pubkey === undefined) Object.assign(patch, subjectPatch(subjectOfRow(target)));
      if (target !== undefined) checkRevisionTarget(target, type, content, patch.target_fingerprint !== undefined ? patch.target_fingerprint : current.target_fingerprint);
      if (input.valid_from !== undefined) patch.valid_from = toSignedTime(input.valid_from, 'valid_from');
      if (input.valid_until !== undefined) patch.valid_until = input.valid_until === null ? null : toSignedTime(input.valid_until, 'valid_until');
      checkWindow(
        patch.valid_from ?? current.valid_from,
        patch.valid_until !== undefined ? patch.valid_until : current.valid_until,
        input.valid_from !== undefined || input.valid_until !== undefined ? ctx.now() : undefined,
      );
      const stamp = nowStamp(ctx);
      const row = withTransaction(db, () => {
        const updated = updateDraftDeclaration(db, input.uuid, patch, stamp);
        appendAudit(db, { at: stamp, actor: 'local', action: 'declaration.edit', subject_type: 'declaration', subject_id: input.uuid, details: { fields: Object.keys(patch) } });
        return updated;
      });
      return declarationView(ctx, row);
    },
  }),

  'declarations.finalize': op({
    name: 'declarations.finalize',
    summary: 'Freeze a Draft so it can be signed.',
    aliases: ['online:admin-declaration:update-status'],
    input: z.strictObject({ uuid }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const current = requireDeclaration(db, input.uuid);
      if (current.status !== 'Draft') throw new DeclsignError('not_draft', `Declaration ${input.uuid} is ${current.status}; only a Draft can be finalized.`);
      if (!current.issuer_keypair_uuid) throw new DeclsignError('invalid_input', 'The declaration has no issuer key.');
      if (!current.target_public_key) throw new DeclsignError('invalid_input', 'The declaration has no subject.');
      if (current.valid_until !== null && Date.parse(current.valid_until) <= ctx.now().getTime()) {
        throw new DeclsignError('invalid_validity', `The declaration expired at ${current.valid_until}; change valid_until before finalizing.`);
      }
      checkRevisionTargetSigned(db, current);
      const stamp = nowStamp(ctx);
      const row = withTransaction(db, () => moveStatus(db, current, 'Finalized', 'declaration.finalize', stamp));
      return declarationView(ctx, row);
    },
  }),

  'declarations.reopen': op({
    name: 'declarations.reopen',
    summary: 'Take a Finalized declaration back to Draft: nothing was signed, so its content stays and is editable again.',
    input: z.strictObject({ uuid }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const stamp = nowStamp(ctx);
      // Read and write in one transaction: the CLI and the app share the file, and a signature landing in between
      // must not be undone.
      const row = withTransaction(db, () => {
        const current = requireDeclaration(db, input.uuid);
        if (current.status === 'Draft') throw new DeclsignError('not_finalized', `Declaration ${input.uuid} is a Draft already; only a Finalized declaration goes back to Draft.`);
        if (current.status !== 'Finalized') {
          throw new DeclsignError(
            'invalid_status_transition',
            `Declaration ${input.uuid} is ${current.status}: a signed declaration never goes back to Draft. Change it with a declaration-update, withdraw it with a declaration-revoke.`,
            { from: current.status, to: 'Draft' },
          );
        }
        return moveStatus(db, current, 'Draft', 'declaration.reopen', stamp);
      });
      return declarationView(ctx, row);
    },
  }),

  'declarations.discard': op({
    name: 'declarations.discard',
    summary: 'Erase a Draft or Finalized declaration from this store (it was never signed); a signed one is withdrawn with a declaration-revoke.',
    input: z.strictObject({ uuid }),
    handler: (input, ctx): DiscardedDeclaration => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const stamp = nowStamp(ctx);
      return withTransaction(db, () => {
        const discarded = discardUnsignedDeclaration(db, input.uuid);
        // The row is gone; the audit log keeps what identifies it (the hash proves which content, should a copy turn
        // up) but not the content itself, which was never signed and is meant to be erased.
        const record = {
          declaration_uuid: discarded.declaration_uuid,
          declaration_type: discarded.declaration_type,
          status: discarded.status,
          content_hash_sha256: discarded.content_hash_sha256,
        };
        appendAudit(db, { at: stamp, actor: 'local', action: 'declaration.discard', subject_type: 'declaration', subject_id: input.uuid, details: record });
        return { ...record, discarded: true };
      });
    },
  }),

  'declarations.sign': op({
    name: 'declarations.sign',
    summary: "Sign a Finalized declaration with its issuer key; a non-Nostr signature is wrapped in an admin's Nostr event.",
    aliases: ['online:admin-declaration:sign'],
    input: z.strictObject({ uuid, key: keyId.optional(), wrap_with: keyId.optional() }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const row = requireDeclaration(db, input.uuid);
      if (row.status !== 'Finalized') {
        throw new DeclsignError(row.status === 'Draft' ? 'not_finalized' : 'invalid_status_transition', `Declaration ${input.uuid} is ${row.status}; only a Finalized declaration can be signed.`);
      }
      const issuerId = row.issuer_keypair_uuid;
      if (!issuerId) throw new DeclsignError('invalid_input', 'The declaration has no issuer key.');
      checkRevisionTargetSigned(db, row);
      if (input.key !== undefined && input.key !== issuerId) {
        throw new DeclsignError('signer_mismatch', `Key ${input.key} is not this declaration's issuer (${issuerId}). Edit the Draft to change the issuer.`);
      }
      const issuer = requireKeypair(db, issuerId);
      if (input.wrap_with !== undefined && issuer.algorithm === 'nostr') {
        throw new DeclsignError('invalid_input', 'A Nostr-signed declaration is its own event: wrap_with applies only to Ed25519, RSA and ML-DSA signers.');
      }
      const wrapKeyId = issuer.algorithm === 'nostr' ? undefined : (input.wrap_with !== undefined ? requireNostrKey(ctx, input.wrap_with) : defaultWrapKey(ctx, issuer)).keypair_uuid;
      const signingTimestamp = timestampFromDate(ctx.now());
      const signedData = buildSignedData({
        declarationUuid: row.declaration_uuid,
        content: JSON.parse(row.content_json) as DeclarationContent,
        contentVersion: row.content_version,
        originalDeclarationUuid: row.original_declaration_uuid,
        signer: { algorithm: issuer.algorithm, publicKeyHex: issuer.public_key },
        target: { algorithm: row.target_algorithm!, publicKeyHex: row.target_public_key!, keypairUuid: row.target_keypair_uuid },
        validFrom: row.valid_from!,
        validUntil: row.valid_until,
        signingTimestamp,
      });
      const format3 = await withSigningKey(ctx, issuerId, (key) =>
        key.algorithm === 'nostr'
          ? signWithNostr({ signedData, nostrPrivateKey: key.privateKey })
          : signDetached({ signedData, algorithm: key.algorithm, privateKey: key.privateKey, backend: defaultBackend }),
      );
      const wrapper = wrapKeyId ? await makeWrapper(ctx, row, { format3, countersignatures: [], wrapKeyId }) : undefined;
      const stamp = nowStamp(ctx);
      const signed = withTransaction(db, () => {
        let updated = recordSignature(db, row.declaration_uuid, {
          signing_keypair_uuid: issuer.keypair_uuid,
          signing_keypair_fingerprint: issuer.fingerprint,
          signing_keypair_canonical_name: issuer.canonical_name,
          digital_signature: format3.signature.digital_signature,
          signed_data: canonicalJson(format3, 'signed data'),
          signed_data_sha256: signedDataSha256(format3),
          signing_timestamp: signingTimestamp,
          issued_at: stamp,
          ...(format3.nostr_event ? { nostr_event_json: JSON.stringify(format3.nostr_event) } : {}),
        }, stamp);
        if (wrapper) updated = recordWrapperEvent(db, row.declaration_uuid, { wrapper_keypair_uuid: wrapper.wrapKeyId, event_json: JSON.stringify(wrapper.event) }, stamp);
        appendAudit(db, {
          at: stamp,
          actor: issuer.fingerprint,
          action: 'declaration.sign',
          subject_type: 'declaration',
          subject_id: row.declaration_uuid,
          details: { algorithm: issuer.algorithm, signed_data_sha256: signedDataSha256(format3), nostr_event_id: (wrapper?.event ?? format3.nostr_event)?.id ?? null },
        });
        return updated;
      });
      // A signed revocation or update may change what is revoked or superseded.
      applyRevocations(db, stamp);
      return declarationView(ctx, requireDeclaration(db, signed.declaration_uuid));
    },
  }),

  'declarations.countersign': op({
    name: 'declarations.countersign',
    summary: 'Add a countersignature: a Nostr key makes its own event; other keys sign signed_data_sha256 and the declaration is re-wrapped.',
    input: z.strictObject({ uuid, key: keyId, wrap_with: keyId.optional() }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const row = requireDeclaration(db, input.uuid);
      if (row.status !== 'Signed' && row.status !== 'Published') throw new DeclsignError('not_signed', `Declaration ${input.uuid} is ${row.status}; only a signed declaration can be countersigned.`);
      const format3 = JSON.parse(row.signed_data!) as SignedDataWithSignature;
      const events = listDeclarationEvents(db, row.declaration_uuid);
      const detached = JSON.parse(row.countersignatures) as DetachedCountersignature[];
      const existing = {
        countersignatures: detached,
        nostrCountersignatures: parseEvents(events.filter((e) => e.role === 'countersignature')),
        wrapperPubkeys: events.filter((e) => e.role === 'wrapper').map((e) => e.pubkey),
      };
      const counterKey = requireKeypair(db, input.key);
      const stamp = nowStamp(ctx);
      const signedAt = timestampFromDate(ctx.now());
      const audit = (details: Record<string, JsonValue>) =>
        appendAudit(db, { at: stamp, actor: counterKey.fingerprint, action: 'declaration.countersign', subject_type: 'declaration', subject_id: row.declaration_uuid, details });

      if (counterKey.algorithm === 'nostr') {
        if (input.wrap_with !== undefined) throw new DeclsignError('invalid_input', 'A Nostr countersignature is its own event: wrap_with does not apply.');
        const event = await withSigningKey(ctx, counterKey.keypair_uuid, (key) =>
          countersignWithNostr({ format3, nostrPrivateKey: key.privateKey, createdAt: toUnixSeconds(signedAt), existing, backend: defaultBackend }),
        );
        withTransaction(db, () => {
          insertDeclarationEvent(db, { declaration_uuid: row.declaration_uuid, role: 'countersignature', event_json: JSON.stringify(event) }, stamp);
          audit({ algorithm: 'nostr', nostr_event_id: event.id });
        });
        return declarationView(ctx, requireDeclaration(db, row.declaration_uuid));
      }

      const countersignature = await withSigningKey(ctx, counterKey.keypair_uuid, (key) =>
        countersignDetached({
          format3,
          algorithm: key.algorithm as Exclude<KeyAlgorithm, 'nostr'>,
          privateKey: key.privateKey,
          publicKeyHex: key.publicKeyHex,
          signedAt,
          existing,
          backend: defaultBackend,
        }),
      );
      const countersignatures = [...detached, countersignature];
      // Re-wrap so the newest published version carries every countersignature. Default wrap key: the one that
      // wrapped before, else the Nostr signer itself (its wrapper replaces and carries the primary), else the default.
      const wrapKeyId =
        input.wrap_with ??
        row.wrapper_keypair_uuid ??
        (format3.signing_keypair_algorithm === 'nostr' && row.signing_keypair_uuid && getKeypair(db, row.signing_keypair_uuid)?.has_private_key
          ? row.signing_keypair_uuid
          : defaultWrapKey(ctx, row.signing_keypair_uuid ? getKeypair(db, row.signing_keypair_uuid) : undefined).keypair_uuid);
      const wrapper = await makeWrapper(ctx, row, { format3, countersignatures, wrapKeyId });
      const updated = withTransaction(db, () => {
        setCountersignatures(db, row.declaration_uuid, countersignatures, stamp);
        const result = recordWrapperEvent(db, row.declaration_uuid, { wrapper_keypair_uuid: wrapper.wrapKeyId, event_json: JSON.stringify(wrapper.event) }, stamp);
        audit({ algorithm: counterKey.algorithm, wrapper_event_id: wrapper.event.id });
        return result;
      });
      return declarationView(ctx, updated);
    },
  }),

  'declarations.get': op({
    name: 'declarations.get',
    summary: 'One declaration, or one of its formats: 1 content, 2 signed data, 3 with signature, 4 complete export.',
    aliases: ['online:admin-declaration:get'],
    input: z.strictObject({ uuid, format: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional() }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const row = requireDeclaration(ctx.services.db(), input.uuid);
      switch (input.format) {
        case undefined:
          return declarationView(ctx, row);
        case 1:
          return JSON.parse(row.content_json) as DeclarationContent;
        case 4:
          return format4(row);
        default: {
          if (row.signed_data === null) throw new DeclsignError('not_signed', `Declaration ${input.uuid} is ${row.status}: Formats 2 and 3 exist once it is signed.`);
          const format3 = JSON.parse(row.signed_data) as SignedDataWithSignature;
          return input.format === 2 ? signedDataOf(format3) : format3;
        }
      }
    },
  }),

  'declarations.list': op({
    name: 'declarations.list',
    summary: 'List declarations newest first, with filters and keyset pages.',
    aliases: ['online:trust-declarations:list'],
    input: z.strictObject({
      status: z.enum(DECLARATION_STATUSES).optional(),
      type: z.enum(DECLARATION_TYPES).optional(),
      search: z.string().max(200).optional(),
      /** Only these declarations: a list refreshing the rows a change elsewhere (a live import) touched. */
      uuids: z.array(uuid).max(500).optional(),
      cursor: z.string().max(500).nullable().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const page = listDeclarations(ctx.services.db(), input);
      return { items: page.items.map((i) => ({ ...i, signer: i.issuer_canonical_name })), next_cursor: page.nextCursor };
    },
  }),

  'declarations.export': op({
    name: 'declarations.export',
    summary: 'The bundle: every Nostr event of the declaration plus Format 4.',
    input: z.strictObject({ uuid }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const row = requireDeclaration(db, input.uuid);
      if (row.signed_data === null) throw new DeclsignError('not_signed', `Declaration ${input.uuid} is ${row.status}; only a signed declaration can be exported as a bundle.`);
      const events = parseEvents(listDeclarationEvents(db, row.declaration_uuid, { currentOnly: true }));
      const bundle = buildBundle({ declarationUuid: row.declaration_uuid, events, declaration: format4(row) });
      const stamp = nowStamp(ctx);
      appendAudit(db, { at: stamp, actor: 'local', action: 'declaration.export', subject_type: 'declaration', subject_id: row.declaration_uuid, details: { events: bundle.events.length } });
      return bundle;
    },
  }),
};
