// The `content` of each declaration type as the wizard's guided forms build it, and the live checks the raw JSON
// editor shows while typing. The vocabulary mirrors devdocs/authority.md (content schema version 1); the
// operations validate again on create and update, and their answer is the one that counts.

import type { DeclarationType } from '../../electron/core/declaration/types';

export const CONTENT_SCHEMA_VERSION = 1;
export const TRUST_LEVELS = ['master-admin', 'operating-admin', 'authorized-admin'] as const;
export const PERMISSIONS = ['grant-privileges', 'revoke', 'moderate', 'manage-metadata', 'control'] as const;
export const MODERATION_ACTIONS = ['suspend', 'reinstate', 'hide', 'unhide', 'warn'] as const;
export const CONTROL_MESSAGE_TYPES = ['announcement', 'maintenance', 'policy-change', 'key-rotation'] as const;
export const UPDATABLE_TYPES = ['trust-declaration', 'privilege-grant', 'metadata-delegation', 'moderation-action', 'admin-control-message'] as const;

export const PERMISSION_LABELS: Record<(typeof PERMISSIONS)[number], string> = {
  'grant-privileges': 'Grant privileges (issue trust declarations and grants)',
  revoke: 'Revoke or update declarations of those below',
  moderate: 'Moderate (issue moderation actions)',
  'manage-metadata': 'Manage and delegate metadata',
  control: 'Send admin control messages',
};

const NAMESPACE = /^[a-z0-9][a-z0-9._-]{0,63}(?:\/[a-z0-9][a-z0-9._-]{0,63}){0,15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Which fields each type's form shows. */
export const FIELDS_BY_TYPE: Record<DeclarationType, readonly string[]> = {
  'trust-declaration': ['trust_level', 'permissions', 'scope'],
  'privilege-grant': ['permissions', 'scope'],
  'metadata-delegation': ['scope'],
  'moderation-action': ['action', 'scope', 'reason', 'object_id'],
  'admin-control-message': ['message_type', 'scope', 'body'],
  'privilege-revoke': ['target_declaration_uuid', 'permissions', 'reason'],
  'declaration-revoke': ['target_declaration_uuid', 'reason'],
  'declaration-update': ['target_declaration_uuid', 'reason', 'updated_declaration_type', 'updated_content'],
};

/** Everything the guided form can hold; each type uses its own fields of it. */
export interface ContentForm {
  issuer_label: string;
  trust_level: (typeof TRUST_LEVELS)[number];
  permissions: string[];
  scopeAll: boolean;
  namespaces: string;
  action: (typeof MODERATION_ACTIONS)[number];
  reason: string;
  object_id: string;
  message_type: (typeof CONTROL_MESSAGE_TYPES)[number];
  body: string;
  target_declaration_uuid: string;
  updated_declaration_type: (typeof UPDATABLE_TYPES)[number];
  updated_content: string;
}

export function emptyContentForm(): ContentForm {
  return {
    issuer_label: '',
    trust_level: 'authorized-admin',
    permissions: ['moderate'],
    scopeAll: true,
    namespaces: '',
    action: 'warn',
    reason: '',
    object_id: '',
    message_type: 'announcement',
    body: '',
    target_declaration_uuid: '',
    updated_declaration_type: 'privilege-grant',
    updated_content: '{\n  "content_schema_version": 1,\n  "permissions": ["moderate"],\n  "scope": "*"\n}',
  };
}

function namespacesOf(form: ContentForm): string[] {
  return form.namespaces
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The content object the form describes (it may still be invalid: checkContent says why). */
export function contentFromForm(type: DeclarationType, form: ContentForm): Record<string, unknown> {
  const fields = FIELDS_BY_TYPE[type];
  const content: Record<string, unknown> = { content_schema_version: CONTENT_SCHEMA_VERSION };
  if (form.issuer_label.trim()) content.issuer_label = form.issuer_label.trim();
  for (const field of fields) {
    switch (field) {
      case 'scope':
        content.scope = form.scopeAll ? '*' : { namespaces: namespacesOf(form) };
        break;
      case 'permissions':
        content.permissions = PERMISSIONS.filter((p) => form.permissions.includes(p));
        break;
      case 'object_id':
        if (form.object_id.trim()) content.object_id = form.object_id.trim();
        break;
      case 'updated_content': {
        try {
          content.updated_content = JSON.parse(form.updated_content) as unknown;
        } catch {
          content.updated_content = form.updated_content;
        }
        break;
      }
      default:
        content[field] = typeof form[field as keyof ContentForm] === 'string' ? (form[field as keyof ContentForm] as string).trim() : form[field as keyof ContentForm];
    }
  }
  return content;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkScope(value: unknown, problems: string[]): void {
  if (value === '*') return;
  if (!isObject(value) || !Array.isArray(value.namespaces) || value.namespaces.length === 0) {
    problems.push('scope: "*" for every namespace, or { "namespaces": ["games/chess", …] } with at least one');
    return;
  }
  for (const ns of value.namespaces) if (typeof ns !== 'string' || !NAMESPACE.test(ns)) problems.push(`scope: "${String(ns)}" is not a namespace like "games/chess"`);
}

function checkText(content: Record<string, unknown>, field: string, problems: string[], max: number): void {
  const value = content[field];
  if (typeof value !== 'string' || value.trim() === '') problems.push(`${field}: required`);
  else if (value.length > max) problems.push(`${field}: at most ${max} characters`);
}

function checkEnum(content: Record<string, unknown>, field: string, allowed: readonly string[], problems: string[]): void {
  if (!allowed.includes(content[field] as string)) problems.push(`${field}: one of ${allowed.join(', ')}`);
}

/** Problems a reader would point out in `content` for `type`; empty when it looks right. */
export function checkContent(type: DeclarationType, content: unknown): string[] {
  if (!isObject(content)) return ['The content must be a JSON object { … }.'];
  const problems: string[] = [];
  if (content.content_schema_version !== CONTENT_SCHEMA_VERSION) problems.push(`content_schema_version: must be ${CONTENT_SCHEMA_VERSION}`);
  const allowed = new Set(['content_schema_version', 'issuer_label', 'critical', 'extensions', ...FIELDS_BY_TYPE[type]]);
  for (const key of Object.keys(content)) if (!allowed.has(key)) problems.push(`${key}: not a field of a ${type}`);
  for (const field of FIELDS_BY_TYPE[type]) {
    switch (field) {
      case 'scope':
        checkScope(content.scope, problems);
        break;
      case 'permissions': {
        const list = content.permissions;
        if (!Array.isArray(list) || list.length === 0) problems.push('permissions: choose at least one');
        else {
          for (const p of list) if (!(PERMISSIONS as readonly string[]).includes(p as string)) problems.push(`permissions: "${String(p)}" is unknown`);
          if (new Set(list).size !== list.length) problems.push('permissions: must not repeat');
        }
        break;
      }
      case 'trust_level':
        checkEnum(content, field, TRUST_LEVELS, problems);
        if (content.trust_level === 'master-admin' && (content.scope !== '*' || !Array.isArray(content.permissions) || content.permissions.length !== PERMISSIONS.length)) {
          problems.push('A master-admin grant carries every permission and scope "*".');
        }
        break;
      case 'action':
        checkEnum(content, field, MODERATION_ACTIONS, problems);
        break;
      case 'message_type':
        checkEnum(content, field, CONTROL_MESSAGE_TYPES, problems);
        break;
      case 'updated_declaration_type':
        checkEnum(content, field, UPDATABLE_TYPES, problems);
        break;
      case 'reason':
        checkText(content, field, problems, 1024);
        break;
      case 'body':
        checkText(content, field, problems, 4096);
        break;
      case 'object_id':
        if (content.object_id !== undefined) checkText(content, field, problems, 256);
        break;
      case 'target_declaration_uuid':
        if (typeof content.target_declaration_uuid !== 'string' || !UUID.test(content.target_declaration_uuid)) problems.push('target_declaration_uuid: the UUID of the declaration this refers to (lowercase)');
        break;
      case 'updated_content': {
        const inner = content.updated_content;
        const innerType = content.updated_declaration_type;
        if (!isObject(inner)) problems.push('updated_content: the new content, as a JSON object');
        else if ((UPDATABLE_TYPES as readonly string[]).includes(innerType as string)) {
          for (const p of checkContent(innerType as DeclarationType, inner)) problems.push(`updated_content → ${p}`);
        }
        break;
      }
    }
  }
  return problems;
}
