// The relays repository: the administrator's relays, their read/write/subscribe flags, the key that answers their NIP-42
// AUTH when reading, and their cached NIP-11 documents.
// URLs are stored normalised (electron/relays/url.ts): one relay is one row, however it was typed.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import { normalizeRelayUrl } from '../relays/url';
import { normalizeStamp, prepared, withTransaction } from './database';
import { requireKeypair } from './keypairs';

export interface RelayRow {
  url: string;
  enabled: boolean;
  read: boolean;
  write: boolean;
  /** Followed live (discovery) while the app runs — when also enabled and read. */
  subscribe: boolean;
  /** The Nostr key that answers the relay's NIP-42 AUTH when we read from it; null = none (never guessed). */
  auth_keypair_uuid: string | null;
  /** The NIP-11 document as parsed and type-guarded (`RelayInfo`), JSON text; null until fetched. */
  nip11_json: string | null;
  nip11_fetched_at: string | null;
  added_at: string;
  updated_at: string;
  /** The last thing that went wrong talking to the relay (fetching its NIP-11 document, publishing); null once it works again. */
  last_error: string | null;
}

export interface RelayFlags {
  enabled?: boolean;
  read?: boolean;
  write?: boolean;
  subscribe?: boolean;
  /** A key uuid to set, null to clear, absent to keep. */
  auth_keypair_uuid?: string | null;
}

type StoredRelay = Omit<RelayRow, 'enabled' | 'read' | 'write' | 'subscribe'> & { enabled: 0 | 1; read: 0 | 1; write: 0 | 1; subscribe: 0 | 1 };

function toRow(stored: StoredRelay): RelayRow {
  return { ...stored, enabled: stored.enabled === 1, read: stored.read === 1, write: stored.write === 1, subscribe: stored.subscribe === 1 };
}

const bit = (value: boolean) => (value ? 1 : 0);

/** A relay's error text is kept to this many characters: it is shown in a table cell, and a relay chooses its words. */
const MAX_ERROR_LENGTH = 2_000;

/** Asked for in one go, a followed relay that is not read from would silently follow nothing. */
const NOT_READ_NOT_FOLLOWED = 'A relay followed live (subscribe) must be read from: give read too.';

/**
 * The key a relay's AUTH may be answered with: one of this store's Nostr keys with its private key. Checked when the
 * choice is made, so a relay is never configured with a key that could only fail later.
 */
export function requireAuthKey(db: Database, keypairUuid: string): void {
  const key = requireKeypair(db, keypairUuid);
  const name = key.label || key.canonical_name;
  if (key.algorithm !== 'nostr') {
    throw new DeclsignError('not_a_nostr_key', `Key ${name} is ${key.algorithm}: only a Nostr key can answer a relay's NIP-42 AUTH.`, { keypair_uuid: key.keypair_uuid });
  }
  if (!key.has_private_key) {
    throw new DeclsignError('missing_signer_private_key', `Key ${name} is a watch key: this store holds no private key to answer a relay's NIP-42 AUTH with.`, {
      keypair_uuid: key.keypair_uuid,
    });
  }
}

export function getRelay(db: Database, url: string): RelayRow | undefined {
  const stored = prepared<StoredRelay>(db, 'SELECT * FROM relays WHERE url = ?').get(normalizeRelayUrl(url));
  return stored && toRow(stored);
}

/** As getRelay; a relay that is not in the list is `unknown_relay`. */
export function requireRelay(db: Database, url: string): RelayRow {
  const normalized = normalizeRelayUrl(url);
  const row = getRelay(db, normalized);
  if (!row) throw new DeclsignError('unknown_relay', `${normalized} is not in the relay list. Add it first.`, { url: normalized });
  return row;
}

/** Every relay, in the order added (then by URL). */
export function listRelays(db: Database): RelayRow[] {
  return prepared<StoredRelay>(db, 'SELECT * FROM relays ORDER BY added_at, url').all().map(toRow);
}

/** Where publishing goes by default: enabled relays marked for writing. */
export function listWriteRelays(db: Database): RelayRow[] {
  return listRelays(db).filter((relay) => relay.enabled && relay.write);
}

/** Where live discovery listens: enabled relays marked for reading and subscribed. */
export function listFollowedRelays(db: Database): RelayRow[] {
  return listRelays(db).filter((relay) => relay.enabled && relay.read && relay.subscribe);
}

/**
 * Adds a relay, enabled. Adding one that is already listed sets its read/write flags and enables it again, so the
 * command is safe to repeat; `added` tells which happened. A relay must be for reading, writing or both.
 * `subscribe` and `auth_keypair_uuid` are set when given; when absent, a new relay is not followed and has no AUTH key,
 * and a listed one keeps both.
 */
export function addRelay(
  db: Database,
  input: { url: string; read: boolean; write: boolean; subscribe?: boolean; auth_keypair_uuid?: string | null },
  now: string,
): { added: boolean; relay: RelayRow } {
  const url = normalizeRelayUrl(input.url);
  const stamp = normalizeStamp(now);
  if (!input.read && !input.write) throw new DeclsignError('invalid_input', 'A relay must be used for reading, writing or both.');
  if (input.subscribe && !input.read) throw new DeclsignError('invalid_input', NOT_READ_NOT_FOLLOWED);
  return withTransaction(db, () => {
    if (input.auth_keypair_uuid != null) requireAuthKey(db, input.auth_keypair_uuid);
    const existing = getRelay(db, url);
    const subscribe = input.subscribe ?? existing?.subscribe ?? false;
    const authKey = input.auth_keypair_uuid === undefined ? (existing?.auth_keypair_uuid ?? null) : input.auth_keypair_uuid;
    if (existing) {
      prepared(db, 'UPDATE relays SET enabled = 1, read = ?, write = ?, subscribe = ?, auth_keypair_uuid = ?, updated_at = ? WHERE url = ?').run(
        bit(input.read),
        bit(input.write),
        bit(subscribe),
        authKey,
        stamp,
        url,
      );
    } else {
      prepared(db, 'INSERT INTO relays (url, enabled, read, write, subscribe, auth_keypair_uuid, added_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?)').run(
        url,
        bit(input.read),
        bit(input.write),
        bit(subscribe),
        authKey,
        stamp,
        stamp,
      );
    }
    return { added: !existing, relay: requireRelay(db, url) };
  });
}

/** Changes what is given; a relay left with neither read nor write is refused (disable it instead). */
export function updateRelay(db: Database, url: string, flags: RelayFlags, now: string): RelayRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireRelay(db, url);
    const next = {
      enabled: flags.enabled ?? current.enabled,
      read: flags.read ?? current.read,
      write: flags.write ?? current.write,
      subscribe: flags.subscribe ?? current.subscribe,
      authKey: flags.auth_keypair_uuid === undefined ? current.auth_keypair_uuid : flags.auth_keypair_uuid,
    };
    if (!next.read && !next.write) {
      throw new DeclsignError('invalid_input', 'A relay must be used for reading, writing or both; disable it with enabled=false instead.');
    }
    if (flags.subscribe && !next.read) throw new DeclsignError('invalid_input', NOT_READ_NOT_FOLLOWED);
    if (flags.auth_keypair_uuid != null) requireAuthKey(db, flags.auth_keypair_uuid);
    prepared(db, 'UPDATE relays SET enabled = ?, read = ?, write = ?, subscribe = ?, auth_keypair_uuid = ?, updated_at = ? WHERE url = ?').run(
      bit(next.enabled),
      bit(next.read),
      bit(next.write),
      bit(next.subscribe),
      next.authKey,
      stamp,
      current.url,
    );
    return requireRelay(db, current.url);
  });
}

/**
 * Removes a relay from the list. Its unfinished sends (pending, retrying) are dropped with it — the administrator no
 * longer wants to publish there — while finished ones stay as the record of where each declaration went.
 */
export function removeRelay(db: Database, url: string): { url: string; droppedSends: number } {
  return withTransaction(db, () => {
    const current = requireRelay(db, url);
    const dropped = prepared(db, `DELETE FROM publish_outbox WHERE relay_url = ? AND state IN ('pending', 'retrying')`).run(current.url).changes;
    prepared(db, 'DELETE FROM relays WHERE url = ?').run(current.url);
    return { url: current.url, droppedSends: dropped };
  });
}

/** Caches a freshly fetched NIP-11 document and clears the last error. */
export function setRelayInfo(db: Database, url: string, infoJson: string, now: string): RelayRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireRelay(db, url);
    prepared(db, 'UPDATE relays SET nip11_json = ?, nip11_fetched_at = ?, last_error = NULL, updated_at = ? WHERE url = ?').run(
      infoJson,
      stamp,
      stamp,
      current.url,
    );
    return requireRelay(db, current.url);
  });
}

/** Records what went wrong talking to the relay; the cached document (if any) is kept. */
export function setRelayError(db: Database, url: string, message: string, now: string): RelayRow {
  const stamp = normalizeStamp(now);
  return withTransaction(db, () => {
    const current = requireRelay(db, url);
    prepared(db, 'UPDATE relays SET last_error = ?, updated_at = ? WHERE url = ?').run(message.slice(0, MAX_ERROR_LENGTH), stamp, current.url);
    return requireRelay(db, current.url);
  });
}

/**
 * Records what publishing showed about listed relays: an error message, or null when the relay took what was sent
 * (it works again, so the last error goes). Unlisted relays are skipped: publishing somewhere does not list it.
 */
export function setRelayPublishErrors(db: Database, errors: ReadonlyMap<string, string | null>, now: string): void {
  const stamp = normalizeStamp(now);
  const update = prepared(db, 'UPDATE relays SET last_error = ?, updated_at = ? WHERE url = ? AND last_error IS NOT ?');
  withTransaction(db, () => {
    for (const [url, error] of errors) {
      const message = error === null ? null : error.slice(0, MAX_ERROR_LENGTH);
      update.run(message, stamp, normalizeRelayUrl(url), message);
    }
  });
}
