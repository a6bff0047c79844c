// The words authority is decided in: trust levels, permissions and scopes. devdocs/authority.md §Vocabulary is normative.
// Every comparison here is decidable from the values alone, so "same or narrower" never needs judgement.

export const TRUST_LEVELS = ['master-admin', 'operating-admin', 'authorized-admin'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

const RANK: Record<TrustLevel, number> = { 'master-admin': 3, 'operating-admin': 2, 'authorized-admin': 1 };

/** 3 for master, 2 for operating, 1 for authorized; 0 stands for "holds nothing". */
export function rankOf(level: TrustLevel): number {
  return RANK[level];
}

/**
 * What a holder may do (devdocs/authority.md §Permissions):
 *  - grant-privileges: issue trust-declarations and privilege-grants (never beyond what the holder has)
 *  - revoke:           revoke or update declarations issued by others below the holder
 *  - moderate:         issue moderation-actions
 *  - manage-metadata:  manage metadata, and delegate that with metadata-delegations
 *  - control:          issue admin-control-messages (operating-admin and above only)
 */
export const PERMISSIONS = ['grant-privileges', 'revoke', 'moderate', 'manage-metadata', 'control'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `'*'` is every namespace; otherwise a non-empty list of namespaces, each covering itself and everything below it. */
export type Scope = '*' | { namespaces: string[] };

export const GLOBAL_SCOPE: Scope = '*';

/** `games/chess`: 1–16 segments of lowercase letters, digits, `.`, `_`, `-`, each starting with a letter or digit. */
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}(?:\/[a-z0-9][a-z0-9._-]{0,63}){0,15}$/;

/** Whether namespace `outer` covers `inner`: equal, or `inner` lies below `outer` on a segment boundary. */
export function namespaceCovers(outer: string, inner: string): boolean {
  return inner === outer || (inner.length > outer.length && inner.startsWith(outer) && inner[outer.length] === '/');
}

/** Whether every namespace in `inner` lies within `outer` — "the same or a narrower scope". */
export function scopeWithin(inner: Scope, outer: Scope): boolean {
  if (outer === '*') return true;
  if (inner === '*') return false;
  return inner.namespaces.every((ns) => outer.namespaces.some((held) => namespaceCovers(held, ns)));
}

export function describeScope(scope: Scope): string {
  return scope === '*' ? 'every namespace (*)' : scope.namespaces.join(', ');
}

/** Permissions in `wanted` that `held` lacks, in vocabulary order. */
export function missingPermissions(wanted: readonly Permission[], held: ReadonlySet<Permission>): Permission[] {
  return PERMISSIONS.filter((p) => wanted.includes(p) && !held.has(p));
}
