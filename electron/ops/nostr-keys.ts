// Which Nostr key acts for the administrator when none is named (wrapping a signature, NIP-42 AUTH, …).
// One rule, so the same store always picks the same key: the preferred role first, then the most senior admin role,
// then the oldest key.

import type { KeyRole } from '../core/keys/types';
import { listKeypairs, type KeypairRow } from '../store/keypairs';
import type { OperationContext } from './context';

const ROLE_SENIORITY: Record<KeyRole, number> = { 'master-admin': 0, 'operating-admin': 1, 'authorized-admin': 2, none: 3 };

/** Nostr keys this store can sign with, in the order the rule above prefers them. */
export function signingNostrKeys(ctx: OperationContext, preferRole?: KeyRole): KeypairRow[] {
  const rank = (key: KeypairRow) => (key.role === preferRole ? -1 : ROLE_SENIORITY[key.role]);
  // listKeypairs is oldest first and the sort is stable, so ties keep that order.
  return listKeypairs(ctx.services.db(), { algorithm: 'nostr', hasPrivateKey: true }).sort((a, b) => rank(a) - rank(b));
}

export function defaultNostrKey(ctx: OperationContext, preferRole?: KeyRole): KeypairRow | undefined {
  return signingNostrKeys(ctx, preferRole)[0];
}
