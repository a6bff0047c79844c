// NIP-09 deletion request for a declaration. Best-effort by nature (relays may ignore it), so a signed
// `declaration-revoke` stays the source of truth; this only asks relays to drop the copies they hold.

import { DECLARATION_KIND, type UnsignedNostrEvent } from '../core/declaration/types';
import { DeclsignError } from '../core/errors';
import { isLowerHex } from '../core/hex';

export const DELETION_KIND = 5;

export interface DeclarationDeletionInput {
  /** Hex pubkey of the admin who signed the declaration: only the author's deletion counts. */
  authorPubkey: string;
  /** The declaration's `d` tag. */
  declarationUuid: string;
  /** Seconds. With an `a` tag, relays delete every version up to this time. */
  createdAt: number;
  /** Specific versions to name with `e` tags as well (for relays that only honour `e`). */
  eventIds?: readonly string[];
  reason?: string;
}

/** `31106:<pubkey>:<uuid>` — the NIP-01 address of a declaration. */
export function declarationAddress(authorPubkey: string, declarationUuid: string): string {
  if (!isLowerHex(authorPubkey, 32)) throw new DeclsignError('invalid_input', 'authorPubkey must be 64 lowercase hex characters');
  if (typeof declarationUuid !== 'string' || declarationUuid.length === 0) {
    throw new DeclsignError('invalid_input', 'declarationUuid must be a non-empty string');
  }
  return `${DECLARATION_KIND}:${authorPubkey}:${declarationUuid}`;
}

/** The unsigned kind-5 template; the author's key signs it. */
export function buildDeclarationDeletion(input: DeclarationDeletionInput): UnsignedNostrEvent {
  const address = declarationAddress(input.authorPubkey, input.declarationUuid);
  if (!Number.isSafeInteger(input.createdAt) || input.createdAt < 0) {
    throw new DeclsignError('invalid_input', `createdAt must be unix seconds, got ${input.createdAt}`);
  }
  const eventTags = (input.eventIds ?? []).map((id) => {
    if (!isLowerHex(id, 32)) throw new DeclsignError('invalid_input', `event id ${JSON.stringify(id)} is not 64 lowercase hex characters`);
    return ['e', id];
  });
  return {
    kind: DELETION_KIND,
    created_at: input.createdAt,
    tags: [['a', address], ...eventTags, ['k', String(DECLARATION_KIND)]],
    content: input.reason ?? '',
  };
}
