// Dependency resolution for handlers: load what the pure core needs and decrypt keys through the vault.
// This is the only module that turns a stored ciphertext into private key bytes; callers zero them after use.

import { DeclsignError } from '../core/errors';
import type { KeyMaterial } from '../core/keys/types';
import { getPrivateKeyCiphertext, requireKeypair, type KeypairRow } from '../store/keypairs';
import { decryptPrivateKey } from '../store/vault';
import type { OperationContext } from './context';

/** A key we can sign with: its public identity plus the decrypted private key. */
export interface SigningKey extends KeyMaterial {
  row: KeypairRow;
  privateKey: Uint8Array;
}

/** `unknown_key` when the id names nothing, `missing_signer_private_key` for a watch key, `store_locked` without the passphrase. */
export async function resolveSigningKey(ctx: OperationContext, keypairUuid: string): Promise<SigningKey> {
  const db = ctx.services.db();
  const row = requireKeypair(db, keypairUuid);
  if (!row.has_private_key) {
    throw new DeclsignError('missing_signer_private_key', `Key ${row.label || row.keypair_uuid} (${row.canonical_name}) is a watch key: this store holds no private key for it.`, {
      keypair_uuid: row.keypair_uuid,
    });
  }
  const vault = await ctx.services.vaultKey();
  const { binding, encrypted } = getPrivateKeyCiphertext(db, keypairUuid);
  return {
    row,
    algorithm: row.algorithm,
    publicKeyHex: row.public_key,
    fingerprint: row.fingerprint,
    canonicalName: row.canonical_name,
    privateKey: decryptPrivateKey(vault, binding, encrypted),
  };
}

/** Runs `fn` with a decrypted key and zeroes the private key afterwards, whatever happens. */
export async function withSigningKey<T>(ctx: OperationContext, keypairUuid: string, fn: (key: SigningKey) => T | Promise<T>): Promise<T> {
  const key = await resolveSigningKey(ctx, keypairUuid);
  try {
    return await fn(key);
  } finally {
    key.privateKey.fill(0);
  }
}
