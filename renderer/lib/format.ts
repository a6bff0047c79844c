// Words and dates as the screens show them. Pure presentation: the stored values stay what the operations return.

import type { KeyAlgorithm, KeyRole } from '../../electron/core/keys/types';
import type { DeclarationStatus, DeclarationType } from '../../electron/core/declaration/types';

export const ALGORITHM_LABELS: Record<KeyAlgorithm, string> = {
  nostr: 'Nostr (secp256k1)',
  ed25519: 'Ed25519',
  rsa: 'RSA',
  'ml-dsa-65': 'ML-DSA-65',
};

export const ROLE_LABELS: Record<KeyRole, string> = {
  'master-admin': 'Master Admin',
  'operating-admin': 'Operating Admin',
  'authorized-admin': 'Authorized Admin',
  none: 'No role',
};

export const TYPE_LABELS: Record<DeclarationType, string> = {
  'trust-declaration': 'Trust declaration',
  'privilege-grant': 'Privilege grant',
  'privilege-revoke': 'Privilege revocation',
  'moderation-action': 'Moderation action',
  'metadata-delegation': 'Metadata delegation',
  'admin-control-message': 'Admin control message',
  'declaration-update': 'Declaration update',
  'declaration-revoke': 'Declaration revocation',
};

export const STATUS_TONES: Record<DeclarationStatus, 'neutral' | 'info' | 'success' | 'accent'> = {
  Draft: 'neutral',
  Finalized: 'info',
  Signed: 'success',
  Published: 'accent',
};

/** In the order the labels are declared; the Record types make both lists complete. */
export const DECLARATION_TYPE_LIST = Object.keys(TYPE_LABELS) as DeclarationType[];
export const DECLARATION_STATUS_LIST = Object.keys(STATUS_TONES) as DeclarationStatus[];

/** A relay send's state (publish.status, a declaration's nostr_publish_status) as a word, capitalised like the statuses. */
export const PUBLISH_STATE_LABELS: Record<'pending' | 'published' | 'retrying' | 'failed', string> = {
  pending: 'Pending',
  published: 'Published',
  retrying: 'Retrying',
  failed: 'Failed',
};

/**
 * `2026-01-31 12:00 UTC`: administrators compare times across time zones, so the app always shows UTC. With seconds
 * where entries minutes apart would otherwise look simultaneous (the audit log, a relay's next try).
 */
export function formatUtc(value: string | null | undefined, { seconds = false }: { seconds?: boolean } = {}): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ')} UTC`;
}

/** A long identifier cut for a table cell; the full value goes in the title attribute. */
export function shorten(value: string | null | undefined, keep = 10): string {
  if (!value) return '—';
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-6)}`;
}

/** The first 8 hex digits of a UUID: enough to tell declarations apart on screen; links and titles carry the rest. */
export function shortUuid(uuid: string): string {
  return uuid.slice(0, 8);
}

/** `<input type="datetime-local">` value (read as UTC) ↔ the operations' `YYYY-MM-DDTHH:MM:SSZ`. */
export function toInputUtc(value: string | null | undefined): string {
  return value ? new Date(value).toISOString().slice(0, 16) : '';
}

export function fromInputUtc(value: string): string | null {
  if (!value) return null;
  const date = new Date(`${value}:00Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
