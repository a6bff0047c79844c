// Content schemas (the `content` object of Format 1) for every declaration type, version 1.
// devdocs/authority.md §Content schemas is normative. Schemas are strict: an unknown top-level field is rejected,
// because a verifier that ignored it could be told one thing and show another. Forward-compatible additions go in
// `extensions`; those named in `critical` must be understood or the declaration is rejected.

import { z } from 'zod';
import { deepFreeze } from '../deep-freeze';
import { UUID_PATTERN, checkSchema } from '../declaration/schema';
import type { DeclarationType, JsonValue } from '../declaration/types';
import { NAMESPACE_PATTERN, PERMISSIONS, TRUST_LEVELS, type Permission, type Scope, type TrustLevel } from './vocabulary';

export const CONTENT_SCHEMA_VERSION = 1;

/** Extensions this version understands. None yet: any critical extension is refused. */
export const UNDERSTOOD_EXTENSIONS: readonly string[] = [];

export const MODERATION_ACTIONS = ['suspend', 'reinstate', 'hide', 'unhide', 'warn'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export const CONTROL_MESSAGE_TYPES = ['announcement', 'maintenance', 'policy-change', 'key-rotation'] as const;
export type ControlMessageType = (typeof CONTROL_MESSAGE_TYPES)[number];

/** Types an update may carry new content for. Revocations and updates are final statements, never edited. */
export const UPDATABLE_TYPES = ['trust-declaration', 'privilege-grant', 'metadata-delegation', 'moderation-action', 'admin-control-message'] as const;
export type UpdatableType = (typeof UPDATABLE_TYPES)[number];

/** Types whose content names another declaration (`target_declaration_uuid`) they update or revoke. */
export const REVISION_TYPES = ['declaration-update', 'declaration-revoke', 'privilege-revoke'] as const;

/** Types that hand authority to their subject: the edges of the authority graph. */
export const DELEGATION_TYPES = ['trust-declaration', 'privilege-grant', 'metadata-delegation'] as const;
export type DelegationType = (typeof DELEGATION_TYPES)[number];

const uuid = z.string().regex(UUID_PATTERN, 'expected a lowercase UUID (8-4-4-4-12 hex)');
const text = (max: number) => z.string().min(1).max(max);
const namespace = z.string().max(1100).regex(NAMESPACE_PATTERN, 'expected a namespace like "games/chess" (lowercase segments joined by /)');
const scope: z.ZodType<Scope> = z.union([
  z.literal('*'),
  z.strictObject({ namespaces: z.array(namespace).min(1).max(64) }),
]);
const permissions = z
  .array(z.enum(PERMISSIONS))
  .min(1)
  .refine((list) => new Set(list).size === list.length, { message: 'permissions must not repeat' });
const reason = text(1024);

const common = {
  // Absent means 1: the version names the schema of this content, and requiring it for version 1 would only add a
  // field every hand-written declaration forgets. A later version must be stated.
  content_schema_version: z.literal(CONTENT_SCHEMA_VERSION).optional(),
  /** The administrator name the issuer claims; compared against pinned anchor labels to spot key changes. */
  issuer_label: text(128).optional(),
  critical: z.array(text(128)).max(64).optional(),
  extensions: z.record(z.string().max(128), z.unknown()).optional(),
};

const trustDeclaration = z
  .strictObject({ ...common, trust_level: z.enum(TRUST_LEVELS), permissions, scope })
  .refine((c) => c.trust_level !== 'master-admin' || (c.scope === '*' && c.permissions.length === PERMISSIONS.length), {
    message: 'a master-admin grant carries every permission and scope "*"',
  });
const privilegeGrant = z.strictObject({ ...common, permissions, scope });
const metadataDelegation = z.strictObject({ ...common, scope });
const moderationAction = z.strictObject({
  ...common,
  action: z.enum(MODERATION_ACTIONS),
  scope,
  reason,
  object_id: text(256).optional(),
});
const adminControlMessage = z.strictObject({ ...common, message_type: z.enum(CONTROL_MESSAGE_TYPES), scope, body: text(4096) });
const privilegeRevoke = z.strictObject({ ...common, target_declaration_uuid: uuid, permissions, reason });
const declarationRevoke = z.strictObject({ ...common, target_declaration_uuid: uuid, reason });
const declarationUpdate = z.strictObject({
  ...common,
  target_declaration_uuid: uuid,
  reason,
  updated_declaration_type: z.enum(UPDATABLE_TYPES),
  updated_content: z.record(z.string(), z.unknown()),
});

interface Common {
  issuer_label?: string;
}
export type TrustDeclarationContent = Common & { trust_level: TrustLevel; permissions: Permission[]; scope: Scope };
export type PrivilegeGrantContent = Common & { permissions: Permission[]; scope: Scope };
export type MetadataDelegationContent = Common & { scope: Scope };
export type ModerationActionContent = Common & { action: ModerationAction; scope: Scope; reason: string; object_id?: string };
export type AdminControlMessageContent = Common & { message_type: ControlMessageType; scope: Scope; body: string };
export type PrivilegeRevokeContent = Common & { target_declaration_uuid: string; permissions: Permission[]; reason: string };
export type DeclarationRevokeContent = Common & { target_declaration_uuid: string; reason: string };

/** What a declaration says, typed by its declaration type. An update carries its new content already parsed. */
export type ParsedContent =
  | { type: 'trust-declaration'; content: TrustDeclarationContent }
  | { type: 'privilege-grant'; content: PrivilegeGrantContent }
  | { type: 'metadata-delegation'; content: MetadataDelegationContent }
  | { type: 'moderation-action'; content: ModerationActionContent }
  | { type: 'admin-control-message'; content: AdminControlMessageContent }
  | { type: 'privilege-revoke'; content: PrivilegeRevokeContent }
  | { type: 'declaration-revoke'; content: DeclarationRevokeContent }
  | {
      type: 'declaration-update';
      content: Common & { target_declaration_uuid: string; reason: string; updated_declaration_type: UpdatableType };
      updated: Extract<ParsedContent, { type: UpdatableType }>;
    };

export type ContentCheck = { ok: true; parsed: ParsedContent } | { ok: false; rule: 'invalid_content' | 'unknown_critical_field'; message: string };

const SCHEMAS: Record<Exclude<DeclarationType, 'declaration-update'>, z.ZodType> = {
  'trust-declaration': trustDeclaration,
  'privilege-grant': privilegeGrant,
  'metadata-delegation': metadataDelegation,
  'moderation-action': moderationAction,
  'admin-control-message': adminControlMessage,
  'privilege-revoke': privilegeRevoke,
  'declaration-revoke': declarationRevoke,
};

/** Parses the Format 1 `content` object of a declaration of `type`. Never throws. */
/**
 * Results for frozen contents, by object: a frozen content cannot change, so neither can its result. The store's
 * declarations are parsed once and deep-frozen (ops/handlers/authority.ts), and the authority graph is rebuilt from
 * them after every change, so each content is checked once instead of once per rebuild. Contents that are not frozen
 * (fresh from a verification) are checked every time.
 */
const CHECKED_FROZEN = new WeakMap<object, { type: DeclarationType; result: ContentCheck }>();

export function parseAuthorityContent(type: DeclarationType, content: { [key: string]: JsonValue }): ContentCheck {
  if (typeof content !== 'object' || content === null || !Object.isFrozen(content)) return checkContent(type, content);
  const known = CHECKED_FROZEN.get(content);
  if (known !== undefined && known.type === type) return known.result;
  const result = deepFreeze(checkContent(type, content));
  CHECKED_FROZEN.set(content, { type, result });
  return result;
}

function checkContent(type: DeclarationType, content: { [key: string]: JsonValue }): ContentCheck {
  if (type === 'declaration-update') {
    const shape = checkSchema(declarationUpdate, content, 'declaration-update content');
    if (!shape.ok) return { ok: false, rule: 'invalid_content', message: shape.message };
    const critical = criticalProblem(shape.value);
    if (critical) return critical;
    const { updated_content, ...rest } = shape.value;
    const inner = parseAuthorityContent(rest.updated_declaration_type, updated_content as { [key: string]: JsonValue });
    if (!inner.ok) return { ok: false, rule: inner.rule, message: `updated_content: ${inner.message}` };
    return { ok: true, parsed: { type, content: rest, updated: inner.parsed as Extract<ParsedContent, { type: UpdatableType }> } };
  }
  const shape = checkSchema(SCHEMAS[type], content, `${type} content`);
  if (!shape.ok) return { ok: false, rule: 'invalid_content', message: shape.message };
  const critical = criticalProblem(shape.value as { critical?: string[]; extensions?: Record<string, unknown> });
  if (critical) return critical;
  return { ok: true, parsed: { type, content: shape.value } as ParsedContent };
}

/**
 * `critical` names extensions a reader must understand to act on the declaration. A name that is not in `extensions`
 * is malformed (the issuer marked something it did not send); a name we do not understand rejects the declaration.
 */
function criticalProblem(content: { critical?: string[]; extensions?: Record<string, unknown> }): ContentCheck | undefined {
  for (const name of content.critical ?? []) {
    if (content.extensions === undefined || !(name in content.extensions)) {
      return { ok: false, rule: 'invalid_content', message: `critical names "${name}", which is not among the extensions` };
    }
    if (!UNDERSTOOD_EXTENSIONS.includes(name)) {
      return { ok: false, rule: 'unknown_critical_field', message: `critical extension "${name}" is not understood by this version` };
    }
  }
  return undefined;
}

export function isDelegationType(type: string): type is DelegationType {
  return (DELEGATION_TYPES as readonly string[]).includes(type);
}
