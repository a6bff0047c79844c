// Authority in the product: pinned anchors, the chain behind a stored declaration, the `authority` check of
// verification, and the revocation/supersession columns kept in step with every stored declaration.
// The evaluator (core/authority) decides everything; this module gathers its inputs from the store and writes back.

import { z } from 'zod';
import {
  anchorIdentity,
  anchorKeyFromText,
  buildAuthorityGraph,
  AuthorityEvaluator,
  chainSteps,
  computeRevocations,
  describeAuthority,
  findKeyChangeWarnings,
  keyNamer,
  parseAnchorList,
  REVISION_TYPES,
  withAuthority,
  type Anchor,
  type AnchorSource,
  type AuthorityDeclaration,
  type AuthorityResult,
  type ReportWithAuthority,
} from '../../core/authority';
import type { SignedData, SignedDataWithSignature, VerificationReport } from '../../core/declaration';
import { signedDataOf } from '../../core/declaration/format3';
import { deepFreeze } from '../../core/deep-freeze';
import { DeclsignError } from '../../core/errors';
import { hexToBytes, isLowerHex } from '../../core/hex';
import { KEY_ALGORITHMS, fingerprintOf, groupFingerprint, identityFromPublicKey, type KeyAlgorithm, type PublicKeyIdentity } from '../../core/keys';
import { appendAudit } from '../../store/audit';
import { evaluatorAnchors, findDeclaredPublicKey, getAnchor, listAnchors, pinAnchorRow, removeAnchor, type AnchorRow } from '../../store/anchors';
import { holdsRevisions, listChainStatuses, listStoredSignedDeclarations, storedSignedDataText, supersededBy, writeChainStatus, type ChainStatus } from '../../store/chain-status';
import { normalizeStamp, withTransaction, type Database } from '../../store/database';
import { getDeclaration, requireDeclaration, type DeclarationRow } from '../../store/declarations';
import { getKeypairByFingerprint, requireKeypair, type KeypairRow } from '../../store/keypairs';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';

const op = defineOperation<OperationContext>();

// ── stored declarations as the evaluator sees them ────────────────────────────────────────────────────────────

interface StoredDeclaration {
  declaration_uuid: string;
  declaration: AuthorityDeclaration;
}

/**
 * Parsed signed data per store, by declaration uuid, with the signed_data_sha256 it was parsed for. Every change that
 * can move a revocation rebuilds the authority graph from every stored declaration; reading and parsing kilobytes of
 * Format 3 per declaration each time made signing or importing cost ≈ 1 s per 10,000 stored. Signed data never changes
 * under its hash, so an entry is right as long as the hash matches; entries are deep-frozen, so sharing them between
 * graphs is safe (and lets the content checks remember their results). Rows no longer listed drop out.
 */
const parsedSignedData = new WeakMap<Database, Map<string, { sha256: string; signedData: SignedData | null }>>();

/**
 * Every signed declaration in the store as the evaluator sees it (see `listStoredSignedDeclarations` for why rows are
 * not re-verified). A row that did not verify on import, or whose Format 3 text cannot be read, is never a link.
 */
function storedDeclarations(db: Database): StoredDeclaration[] {
  const stored: StoredDeclaration[] = [];
  const previous = parsedSignedData.get(db);
  const current = new Map<string, { sha256: string; signedData: SignedData | null }>();
  for (const row of listStoredSignedDeclarations(db, (pubkey) => fingerprintOf(hexToBytes(pubkey)))) {
    let entry = previous?.get(row.declaration_uuid);
    if (entry === undefined || entry.sha256 !== row.signed_data_sha256) {
      entry = { sha256: row.signed_data_sha256, signedData: parseStoredSignedData(storedSignedDataText(db, row.declaration_uuid)) };
    }
    current.set(row.declaration_uuid, entry);
    const signedData = entry.signedData;
    if (signedData === null) continue;
    // The row's uuid is what the store is keyed by; signed data claiming another would be a damaged row.
    const cryptoValid = row.verified && signedData.declaration_uuid === row.declaration_uuid;
    stored.push({ declaration_uuid: row.declaration_uuid, declaration: { signedData, cryptoValid, countersignerFingerprints: row.countersigner_fingerprints } });
  }
  parsedSignedData.set(db, current);
  return stored;
}

function parseStoredSignedData(text: string | undefined): SignedData | null {
  if (text === undefined) return null;
  try {
    return deepFreeze(signedDataOf(JSON.parse(text) as SignedDataWithSignature));
  } catch {
    return null;
  }
}

/** Canonical names for display: anchors pinned here, then whatever the declarations name. */
function anchorNames(rows: readonly AnchorRow[]): Map<string, string> {
  return new Map(rows.map((row) => [row.fingerprint, row.canonical_name]));
}

// ── revocations and updates, kept in step ─────────────────────────────────────────────────────────────────────

const NOT_REVOKED: ChainStatus = { is_revoked: false, revoked_at: null, revoked_by_declaration_uuid: null, superseded_by_declaration_uuid: null };

/**
 * Recomputes, from every stored declaration and the pinned anchors, which stored declarations are revoked (and since
 * when, by what) or superseded by an update, and writes the columns that changed — one transaction, one audit entry
 * per changed row. Only revocations and updates the evaluator authorizes count; with no anchors, that is a revocation
 * by the target's own issuer. Call after anything that adds declarations or changes anchors (signing, import, pins).
 */
export function applyRevocations(db: Database, now: Date | string): { changed: string[] } {
  // Nothing can be revoked or superseded yet: skip reading and parsing every stored declaration, which a fresh process
  // (each CLI import or signature) pays in full — ≈ 0.3 s per 10,000 stored.
  if (!holdsRevisions(db)) return { changed: [] };
  const stamp = normalizeStamp(typeof now === 'string' ? now : now.toISOString());
  const stored = storedDeclarations(db);
  const statuses = computeRevocations(buildAuthorityGraph(stored.map((s) => s.declaration)), { anchors: evaluatorAnchors(db) });
  const byDeclaration = new Map(statuses.map((s) => [`${s.declaration_uuid}/${s.issuer_fingerprint}`, s]));
  const signerOf = new Map(stored.map((s) => [s.declaration_uuid, s.declaration.signedData.signing_keypair_fingerprint]));
  const changed: string[] = [];
  withTransaction(db, () => {
    for (const current of listChainStatuses(db)) {
      const signer = signerOf.get(current.declaration_uuid);
      const computed = signer === undefined ? undefined : byDeclaration.get(`${current.declaration_uuid}/${signer}`);
      const wanted: ChainStatus = computed
        ? {
            is_revoked: computed.is_revoked,
            revoked_at: computed.revoked_at,
            revoked_by_declaration_uuid: computed.revoked_by_declaration_uuid,
            superseded_by_declaration_uuid: computed.superseded_by_declaration_uuid,
          }
        : NOT_REVOKED;
      const same =
        current.is_revoked === wanted.is_revoked &&
        current.revoked_at === wanted.revoked_at &&
        current.revoked_by_declaration_uuid === wanted.revoked_by_declaration_uuid &&
        current.superseded_by_declaration_uuid === wanted.superseded_by_declaration_uuid;
      if (same) continue;
      writeChainStatus(db, current.declaration_uuid, wanted, stamp);
      appendAudit(db, {
        at: stamp,
        actor: 'authority',
        action: 'declaration.chain_status',
        subject_type: 'declaration',
        subject_id: current.declaration_uuid,
        details: { ...wanted },
      });
      changed.push(current.declaration_uuid);
    }
  });
  return { changed };
}

const REVISION_TYPE_SET: ReadonlySet<string> = new Set(REVISION_TYPES);

/** The stored declaration a Draft update or revocation names, when this store holds it. */
export function revisionTarget(db: Database, type: string, content: Record<string, unknown>): DeclarationRow | undefined {
  if (!REVISION_TYPE_SET.has(type) || typeof content.target_declaration_uuid !== 'string') return undefined;
  return getDeclaration(db, content.target_declaration_uuid);
}

/** The type a declaration puts in force: an update's `updated_declaration_type`, any other its own. */
function effectiveType(row: DeclarationRow): string {
  if (row.declaration_type !== 'declaration-update') return row.declaration_type;
  const inner = (JSON.parse(row.content_json) as { content?: { updated_declaration_type?: unknown } }).content?.updated_declaration_type;
  return typeof inner === 'string' ? inner : row.declaration_type;
}

/**
 * Refuses, while drafting, the revision that authority evaluation would later find `invalid_target` (§2, structural
 * rules): it must name its target's subject, a revocation cannot itself be revoked or updated, a privilege-revoke
 * targets a grant or trust declaration, and an update keeps its target's (effective) type. Signing such a Draft would
 * only publish a statement every verifier ignores.
 */
export function checkRevisionTarget(target: DeclarationRow, type: string, content: Record<string, unknown>, subjectFingerprint: string | null): void {
  const name = `${type} of ${target.declaration_uuid}`;
  if (REVISION_TYPE_SET.has(target.declaration_type) && target.declaration_type !== 'declaration-update') {
    throw new DeclsignError('invalid_input', `A ${name}: that declaration is a ${target.declaration_type}, which is final and cannot be revoked or updated.`);
  }
  if (subjectFingerprint !== target.target_fingerprint) {
    throw new DeclsignError(
      'invalid_input',
      `A ${name} must name the same subject as its target (${target.target_canonical_name ?? 'none'}); leave the subject out to use it.`,
    );
  }
  const targetType = effectiveType(target);
  if (type === 'privilege-revoke' && targetType !== 'privilege-grant' && targetType !== 'trust-declaration') {
    throw new DeclsignError('invalid_input', `A privilege-revoke targets a privilege-grant or trust-declaration; ${target.declaration_uuid} is a ${targetType}.`);
  }
  if (type === 'declaration-update' && content.updated_declaration_type !== targetType) {
    throw new DeclsignError('invalid_input', `An update keeps its target's type: updated_declaration_type must be ${targetType}, not ${String(content.updated_declaration_type)}.`);
  }
}

/**
 * An update or revocation can only name a signed declaration. A Draft or Finalized one was never stated: it is
 * changed by editing it (after Back to draft) or withdrawn by discarding it, and a signed revision of it would be a
 * statement about nothing. Checked when the revision is finalized and again when it is signed, because its target can
 * still move (a Finalized target can go back to Draft); a target this store does not hold is someone else's to judge.
 */
export function checkRevisionTargetSigned(db: Database, revision: DeclarationRow): void {
  const content = (JSON.parse(revision.content_json) as { content?: Record<string, unknown> }).content ?? {};
  const target = revisionTarget(db, revision.declaration_type, content);
  if (target === undefined || (target.status !== 'Draft' && target.status !== 'Finalized')) return;
  throw new DeclsignError(
    'invalid_input',
    `A ${revision.declaration_type} of ${target.declaration_uuid}: that declaration is ${target.status}, never signed, so there is nothing to ${revision.declaration_type === 'declaration-update' ? 'update' : 'revoke'}. Edit it (Back to draft first if it is Finalized) or discard it instead.`,
  );
}

/**
 * For a Draft update or revocation: the chain fields its signed data needs, from the content's target. An update
 * joins the target's chain (the target's own original, if the target is itself an update) with the next
 * content_version; a revocation records its target as original_declaration_uuid. An explicit original wins.
 */
export function draftLineage(
  db: Database,
  type: string,
  content: Record<string, unknown>,
  explicitOriginal: string | undefined,
): { original_declaration_uuid?: string; is_update?: boolean; content_version?: number } {
  const target = typeof content.target_declaration_uuid === 'string' ? content.target_declaration_uuid : undefined;
  if (type === 'declaration-update') {
    const row = target === undefined ? undefined : getDeclaration(db, target);
    const original = explicitOriginal ?? (row ? (row.is_update && row.original_declaration_uuid ? row.original_declaration_uuid : row.declaration_uuid) : target);
    return { ...(original ? { original_declaration_uuid: original } : {}), is_update: true, content_version: (row?.content_version ?? 1) + 1 };
  }
  if (type === 'declaration-revoke' || type === 'privilege-revoke') {
    const original = explicitOriginal ?? target;
    return original ? { original_declaration_uuid: original } : {};
  }
  return explicitOriginal ? { original_declaration_uuid: explicitOriginal } : {};
}

// ── verification ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Adds `report.authority` (and, with anchors, the `authority` check) to verification reports. `anchorsText` replaces
 * the store's anchors for this check; the graph is every verified input declaration plus the store's declarations.
 */
export function verificationAuthority(ctx: OperationContext, reports: readonly VerificationReport[], anchorsText: string | undefined, at: Date): ReportWithAuthority[] {
  const db = ctx.services.exists() ? ctx.services.db() : undefined;
  const rows = db ? listAnchors(db) : [];
  let anchors: Anchor[];
  let anchorSource: AnchorSource;
  if (anchorsText !== undefined) {
    anchors = parseAnchorList(anchorsText);
    anchorSource = 'given';
  } else {
    anchors = db ? evaluatorAnchors(db) : [];
    anchorSource = 'store';
  }
  const known = anchors.length > 0 && db ? storedDeclarations(db).map((s) => s.declaration).filter((d) => d.cryptoValid) : [];
  return withAuthority(reports, { anchors, anchorSource, known, names: anchorNames(rows), at: Math.floor(at.getTime() / 1000) });
}

// ── operations ────────────────────────────────────────────────────────────────────────────────────────────────

const fingerprintInput = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => isLowerHex(s, 32), { message: 'expected a fingerprint: 64 hex characters' });

export interface AnchorView {
  fingerprint: string;
  /** Groups of four, for reading aloud and comparing by eye. */
  fingerprint_grouped: string;
  algorithm: KeyAlgorithm;
  public_key: string;
  canonical_name: string;
  label: string | null;
  note: string | null;
  pinned_at: string;
  /** The local key with this fingerprint, if the store holds one. */
  local_key: { id: string; label: string; role: string; has_private_key: boolean } | null;
}

function anchorView(db: Database, row: AnchorRow): AnchorView {
  const local: KeypairRow | undefined = getKeypairByFingerprint(db, row.fingerprint);
  return {
    fingerprint: row.fingerprint,
    fingerprint_grouped: groupFingerprint(row.fingerprint),
    algorithm: row.algorithm,
    public_key: row.public_key,
    canonical_name: row.canonical_name,
    label: row.label,
    note: row.note,
    pinned_at: row.pinned_at,
    local_key: local ? { id: local.keypair_uuid, label: local.label, role: local.role, has_private_key: local.has_private_key } : null,
  };
}

/** The key an `anchors.add` names, with its public key: from the npub or hex given, or a key the store knows. */
function keyToPin(db: Database, named: PinInput): PublicKeyIdentity {
  const given = [named.key, named.npub, named.public_key, named.fingerprint].filter((v) => v !== undefined).length;
  if (given !== 1) throw new DeclsignError('invalid_input', 'Name the key to pin exactly once: key, npub, public_key with algorithm, or fingerprint.');
  let input = named;
  if (named.key !== undefined && KEY_ID.test(named.key.trim())) {
    input = { fingerprint: requireKeypair(db, named.key.trim()).fingerprint };
  } else if (named.key !== undefined) {
    const parsed = anchorKeyFromText(named.key, named.algorithm);
    input = 'npub' in parsed ? { npub: parsed.npub } : 'fingerprint' in parsed ? { fingerprint: parsed.fingerprint } : { public_key: parsed.publicKeyHex, algorithm: parsed.algorithm };
  }
  if (input.npub !== undefined) return anchorIdentity({ npub: input.npub.trim() });
  if (input.public_key !== undefined) {
    if (input.algorithm === undefined) throw new DeclsignError('invalid_input', 'A hex public key needs its algorithm (nostr, ed25519, rsa, ml-dsa-65).');
    return anchorIdentity({ algorithm: input.algorithm, publicKeyHex: input.public_key.trim().toLowerCase() });
  }
  const fingerprint = input.fingerprint!;
  const local = getKeypairByFingerprint(db, fingerprint);
  const known = local ? { algorithm: local.algorithm, public_key: local.public_key } : findDeclaredPublicKey(db, fingerprint);
  if (!known) {
    throw new DeclsignError(
      'unknown_key',
      `No key with fingerprint ${groupFingerprint(fingerprint)} is known to this store. A fingerprint alone pins only a known key; give the npub or the public key with --type.`,
      { fingerprint },
    );
  }
  const identity = identityFromPublicKey(known.algorithm, hexToBytes(known.public_key));
  if (identity.fingerprint !== fingerprint) throw new DeclsignError('internal_error', `The stored key for ${fingerprint} has fingerprint ${identity.fingerprint}.`);
  return identity;
}

/** A local key's id: pinning by id pins that key's fingerprint. */
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PinInput {
  key?: string | undefined;
  npub?: string | undefined;
  public_key?: string | undefined;
  algorithm?: KeyAlgorithm | undefined;
  fingerprint?: string | undefined;
}

export interface ChainView {
  declaration_uuid: string;
  anchor_count: number;
  result: AuthorityResult;
  /** When authorized: `anchor …`, each delegation `uuid (level)`, `signer …`. */
  steps: string[];
  /** One line: the steps joined by arrows, or the rule that failed and why. */
  message: string;
  /** Whether an authorized revocation ended this declaration's chain, or an authorized update superseded it. */
  revoked: { at: string; by: string } | null;
  superseded_by: string | null;
}

export const authorityOperations = {
  'anchors.add': op({
    name: 'anchors.add',
    summary: 'Pin a Master Admin key as a trust anchor: by npub, hex public key with its algorithm, or the fingerprint of a key the store knows.',
    input: z.strictObject({
      /** As typed or pasted: npub, canonical name ALG:FINGERPRINT, 64-hex fingerprint, or a local key id; with `algorithm`, a hex public key. */
      key: z.string().min(1).max(20_000).optional(),
      npub: z.string().min(1).max(200).optional(),
      public_key: z.string().min(1).max(20_000).optional(),
      algorithm: z.enum(KEY_ALGORITHMS).optional(),
      fingerprint: fingerprintInput.optional(),
      label: z.string().min(1).max(128).optional(),
      note: z.string().min(1).max(1024).optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const identity = keyToPin(db, input);
      const stamp = ctx.now().toISOString();
      const { row, created } = withTransaction(db, () => {
        const pinned = pinAnchorRow(
          db,
          {
            fingerprint: identity.fingerprint,
            algorithm: identity.algorithm,
            public_key: identity.publicKeyHex,
            canonical_name: identity.canonicalName,
            label: input.label ?? null,
            note: input.note ?? null,
          },
          stamp,
        );
        appendAudit(db, { at: stamp, actor: 'local', action: pinned.created ? 'anchor.pin' : 'anchor.update', subject_type: 'anchor', subject_id: identity.fingerprint, details: { label: input.label ?? null } });
        return pinned;
      });
      // An anchor changes which revocations and updates are authorized.
      applyRevocations(db, stamp);
      return { ...anchorView(db, row), created };
    },
  }),

  'anchors.list': op({
    name: 'anchors.list',
    summary: "List the pinned trust anchors, with fingerprints grouped for reading aloud, and every stored declaration whose issuer calls itself by an anchor's label with another key (key-change warnings).",
    input: z.strictObject({
      /** False skips the warnings (they read every signed declaration: ≈ 0.7 s at 10,000), for callers after names only. */
      include_warnings: z.boolean().optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const rows = listAnchors(db);
      const anchors = evaluatorAnchors(db);
      // A warning needs a labelled anchor: without one, the stored declarations need not be read at all.
      const key_change_warnings = input.include_warnings !== false && anchors.some((a) => a.label !== undefined)
        ? findKeyChangeWarnings(buildAuthorityGraph(storedDeclarations(db).map((s) => s.declaration)), anchors)
        : [];
      return { anchors: rows.map((row) => anchorView(db, row)), key_change_warnings };
    },
  }),

  'anchors.remove': op({
    name: 'anchors.remove',
    summary: 'Unpin a trust anchor (the key itself is not touched).',
    input: z.strictObject({ fingerprint: fingerprintInput }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const stamp = ctx.now().toISOString();
      const view = getAnchor(db, input.fingerprint);
      const removed = withTransaction(db, () => {
        const row = removeAnchor(db, input.fingerprint);
        appendAudit(db, { at: stamp, actor: 'local', action: 'anchor.unpin', subject_type: 'anchor', subject_id: input.fingerprint, details: { label: row.label } });
        return row;
      });
      applyRevocations(db, stamp);
      return { removed: anchorView(db, view ?? removed) };
    },
  }),

  'authority.chain': op({
    name: 'authority.chain',
    summary: "The chain of delegations from a pinned anchor to a stored declaration's signer, or the rule that refuses it.",
    input: z.strictObject({ uuid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID') }),
    handler: (input, ctx): ChainView => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const row = requireDeclaration(db, input.uuid);
      if (row.signed_data === null) throw new DeclsignError('not_signed', `Declaration ${input.uuid} is ${row.status}: authority is judged once it is signed.`);
      const stored = storedDeclarations(db);
      const target = stored.find((s) => s.declaration_uuid === input.uuid)?.declaration;
      if (target === undefined) throw new DeclsignError('invalid_input', `The stored signed data of ${input.uuid} cannot be read.`);
      const anchorRows = listAnchors(db);
      const anchors = evaluatorAnchors(db);
      const declarations = stored.map((s) => s.declaration);
      const result = new AuthorityEvaluator(buildAuthorityGraph(declarations), { anchors }).evaluate(target);
      const nameOf = keyNamer(declarations.map((d) => d.signedData), anchorNames(anchorRows));
      const labels = new Map(anchors.filter((a) => a.label !== undefined).map((a) => [a.fingerprint, a.label!]));
      return {
        declaration_uuid: input.uuid,
        anchor_count: anchors.length,
        result,
        steps: result.ok ? chainSteps(result, nameOf, labels) : [],
        message: describeAuthority(result, nameOf, labels),
        revoked: row.is_revoked ? { at: row.revoked_at ?? '', by: row.revoked_by_declaration_uuid ?? '' } : null,
        superseded_by: supersededBy(db, input.uuid),
      };
    },
  }),
};
