// Relays: the administrator's list (add, list, remove, update), the key that answers each one's NIP-42 AUTH when
// reading, and each relay's NIP-11 information, cached.

import { z } from 'zod';
import { appendAudit } from '../../store/audit';
import { withTransaction, type Database } from '../../store/database';
import { getKeypair } from '../../store/keypairs';
import { addRelay, getRelay, listRelays, removeRelay, setRelayError, setRelayInfo, updateRelay, type RelayRow } from '../../store/relays';
import { fetchRelayInfo, parseRelayInfo, type RelayInfo } from '../../relays/nip11';
import { normalizeRelayUrl } from '../../relays/url';
import { DeclsignError } from '../../core/errors';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { resolveAuthKey } from '../relay-auth';

const op = defineOperation<OperationContext>();

/** Any string: normalizeRelayUrl gives the precise `invalid_relay_url` reason, which a zod regex could not. */
const relayUrl = z.string().max(4096);

/** A key id, npub or fingerprint of one of this store's Nostr keys; null (update) clears the choice. */
const authKey = z.string().min(1).max(200);

/** How long `relays info` waits for a relay's HTTP server. */
export const RELAY_INFO_TIMEOUT_MS = 5_000;

export interface RelayView {
  url: string;
  enabled: boolean;
  read: boolean;
  write: boolean;
  /** Followed live (discovery) while the app runs, when also enabled and read. */
  subscribe: boolean;
  /** The key that answers the relay's NIP-42 AUTH when we read from it; null = none. */
  auth_key: { keypair_uuid: string; label: string; canonical_name: string } | null;
  added_at: string;
  nip11_fetched_at: string | null;
  last_error: string | null;
  /** From the cached NIP-11 document, when there is one. */
  name: string | null;
  auth_required: boolean | null;
  payment_required: boolean | null;
}

/** The cached document of a stored relay, or undefined. A corrupt cache is ignored, not trusted. */
export function cachedRelayInfo(row: RelayRow | undefined): RelayInfo | undefined {
  if (!row?.nip11_json) return undefined;
  try {
    return parseRelayInfo(JSON.parse(row.nip11_json));
  } catch {
    return undefined;
  }
}

export function relayView(db: Database, row: RelayRow): RelayView {
  const info = cachedRelayInfo(row);
  const key = row.auth_keypair_uuid === null ? undefined : getKeypair(db, row.auth_keypair_uuid);
  return {
    url: row.url,
    enabled: row.enabled,
    read: row.read,
    write: row.write,
    subscribe: row.subscribe,
    auth_key: key ? { keypair_uuid: key.keypair_uuid, label: key.label, canonical_name: key.canonical_name } : null,
    added_at: row.added_at,
    nip11_fetched_at: row.nip11_fetched_at,
    last_error: row.last_error,
    name: info?.name ?? null,
    auth_required: info?.limitation.auth_required ?? null,
    payment_required: info?.limitation.payment_required ?? null,
  };
}

/** Stored as parsed (type-guarded) fields only: whatever else the relay sent is not kept. */
export function relayInfoJson(info: RelayInfo): string {
  return JSON.stringify(info);
}

function infoView(url: string, info: RelayInfo, fetchedAt: string | null, cached: boolean, listed: boolean) {
  const { limitation } = info;
  return {
    url,
    listed,
    cached,
    fetched_at: fetchedAt,
    name: info.name ?? null,
    description: info.description ?? null,
    software: info.software ?? null,
    version: info.version ?? null,
    contact: info.contact ?? null,
    supported_nips: info.supported_nips ?? [],
    auth_required: limitation.auth_required ?? false,
    payment_required: limitation.payment_required ?? false,
    restricted_writes: limitation.restricted_writes ?? false,
    created_at_lower_limit: limitation.created_at_lower_limit ?? null,
    created_at_upper_limit: limitation.created_at_upper_limit ?? null,
    limitation,
    ignored_fields: info.ignoredFields,
  };
}

export type RelayInfoView = ReturnType<typeof infoView>;

export const relayOperations = {
  'relays.add': op({
    name: 'relays.add',
    summary:
      "Add a relay (ws:// or wss://) for reading, writing or both (default both), optionally followed live (subscribe) and with the Nostr key that answers its NIP-42 AUTH when reading (auth_key); adding it again updates what is given.",
    input: z.strictObject({ url: relayUrl, read: z.boolean().optional(), write: z.boolean().optional(), subscribe: z.boolean().optional(), auth_key: authKey.optional() }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      // Neither flag given means both; one given means only that one unless the other is given too.
      const bothDefault = input.read === undefined && input.write === undefined;
      const flags = {
        read: input.read ?? bothDefault,
        write: input.write ?? bothDefault,
        ...(input.subscribe !== undefined ? { subscribe: input.subscribe } : {}),
        ...(input.auth_key !== undefined ? { auth_keypair_uuid: resolveAuthKey(db, input.auth_key) } : {}),
      };
      const url = normalizeRelayUrl(input.url);
      const stamp = ctx.now().toISOString();
      return withTransaction(db, () => {
        const { added, relay } = addRelay(db, { url, ...flags }, stamp);
        appendAudit(db, { at: stamp, actor: 'local', action: added ? 'relay.add' : 'relay.update', subject_type: 'relay', subject_id: url, details: flags });
        return { added, relay: relayView(db, relay) };
      });
    },
  }),

  'relays.list': op({
    name: 'relays.list',
    summary: 'The relay list, in the order added.',
    input: z.strictObject({}),
    handler: (_input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      return { relays: listRelays(db).map((relay) => relayView(db, relay)) };
    },
  }),

  'relays.remove': op({
    name: 'relays.remove',
    summary: 'Remove a relay; its unfinished sends are dropped, the record of finished ones is kept.',
    input: z.strictObject({ url: relayUrl }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const stamp = ctx.now().toISOString();
      return withTransaction(db, () => {
        const removed = removeRelay(db, input.url);
        appendAudit(db, { at: stamp, actor: 'local', action: 'relay.remove', subject_type: 'relay', subject_id: removed.url, details: { dropped_sends: removed.droppedSends } });
        return { url: removed.url, dropped_sends: removed.droppedSends };
      });
    },
  }),

  'relays.update': op({
    name: 'relays.update',
    summary:
      'Enable or disable a relay, change whether it is read from, written to and followed live (subscribe), or which Nostr key answers its NIP-42 AUTH when reading (auth_key; null for none).',
    input: z.strictObject({
      url: relayUrl,
      enabled: z.boolean().optional(),
      read: z.boolean().optional(),
      write: z.boolean().optional(),
      subscribe: z.boolean().optional(),
      auth_key: authKey.nullable().optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const { url, auth_key, ...given } = input;
      const flags = { ...given, ...(auth_key !== undefined ? { auth_keypair_uuid: auth_key === null ? null : resolveAuthKey(db, auth_key) } : {}) };
      if (Object.keys(flags).length === 0) throw new DeclsignError('invalid_input', 'Nothing to change: give enabled, read, write, subscribe or auth_key.');
      const stamp = ctx.now().toISOString();
      return withTransaction(db, () => {
        const relay = updateRelay(db, url, flags, stamp);
        appendAudit(db, { at: stamp, actor: 'local', action: 'relay.update', subject_type: 'relay', subject_id: relay.url, details: flags });
        return { relay: relayView(db, relay) };
      });
    },
  }),

  'relays.info': op({
    name: 'relays.info',
    summary: "A relay's NIP-11 information (limits, AUTH and payment requirements), from the cache unless refresh.",
    input: z.strictObject({ url: relayUrl, refresh: z.boolean().optional() }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const url = normalizeRelayUrl(input.url);
      const row = getRelay(db, url);
      const cached = cachedRelayInfo(row);
      if (cached && !input.refresh) return infoView(url, cached, row!.nip11_fetched_at, true, true);
      let info: RelayInfo;
      try {
        info = await fetchRelayInfo(url, { timeoutMs: RELAY_INFO_TIMEOUT_MS });
      } catch (error) {
        if (row && error instanceof DeclsignError) setRelayError(db, url, error.message, ctx.now().toISOString());
        throw error;
      }
      const stamp = ctx.now().toISOString();
      // Only listed relays are cached: looking a relay up does not add it.
      if (row) setRelayInfo(db, url, relayInfoJson(info), stamp);
      return infoView(url, info, stamp, false, row !== undefined);
    },
  }),
};
