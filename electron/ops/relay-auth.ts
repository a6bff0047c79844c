// Which key answers a relay's NIP-42 AUTH when we read from it (import, live discovery): only the one the
// administrator chose for that relay (relays.add/update auth_key) or for one import run — never a guess, because
// authenticating tells the relay which key is reading. The key is decrypted here, in the main process, only when a
// relay actually asks; the relay layer receives nothing but a signing callback.

import { DeclsignError } from '../core/errors';
import type { Database } from '../store/database';
import { getKeypairByFingerprint, listKeypairs, requireKeypair } from '../store/keypairs';
import { getRelay, requireAuthKey } from '../store/relays';
import { authorHex } from '../relays/import-relays';
import type { ReadAuth } from '../relays/query';
import type { OperationContext } from './context';
import { signWithStoredKey } from './handlers/publish';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The keypair uuid a reference names — a key id, an npub, a 64-hex fingerprint (grouped or not) or a Nostr public key —
 * checked to be a Nostr key this store can sign with (`unknown_key`, `not_a_nostr_key`, `missing_signer_private_key`).
 */
export function resolveAuthKey(db: Database, reference: string): string {
  const text = reference.trim();
  let uuid: string | undefined;
  if (KEY_ID.test(text)) {
    uuid = requireKeypair(db, text.toLowerCase()).keypair_uuid;
  } else if (text.startsWith('npub1')) {
    const publicKey = authorHex(text);
    uuid = listKeypairs(db, { algorithm: 'nostr' }).find((key) => key.public_key === publicKey)?.keypair_uuid;
  } else {
    const hex = text.replace(/\s+/g, '').toLowerCase();
    if (/^[0-9a-f]{64}$/.test(hex)) {
      uuid = getKeypairByFingerprint(db, hex)?.keypair_uuid ?? listKeypairs(db, { algorithm: 'nostr' }).find((key) => key.public_key === hex)?.keypair_uuid;
    } else {
      throw new DeclsignError('invalid_input', `An AUTH key is a key id, an npub or a fingerprint, got ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
  if (uuid === undefined) throw new DeclsignError('unknown_key', `No key ${text.slice(0, 80)} in this store.`, { key: text.slice(0, 80) });
  requireAuthKey(db, uuid);
  return uuid;
}

/**
 * What to do when `relay` asks a read to authenticate: sign with `overrideKeypairUuid` (one import run) or else the key
 * configured for the relay, or say how to choose one.
 */
export function readAuthFor(ctx: OperationContext, relay: string, overrideKeypairUuid?: string): ReadAuth {
  const row = getRelay(ctx.services.db(), relay);
  const keypairUuid = overrideKeypairUuid ?? row?.auth_keypair_uuid ?? null;
  if (keypairUuid !== null) return { sign: (template) => signWithStoredKey(ctx, keypairUuid, template) };
  const how = row ? `"declsign relays update ${row.url} --auth-key KEY" or the Relays screen` : `--auth-key KEY for this import, or "declsign relays add ${relay} --auth-key KEY"`;
  return { missingHint: `no key is chosen to answer its NIP-42 AUTH: choose one with ${how}` };
}
