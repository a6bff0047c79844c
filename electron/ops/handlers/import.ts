// Import: declarations from pasted text, files and relays, verified in full before anything is stored; what fails is
// quarantined (visible and exportable, never shown as valid). Revocations an import carries are applied right after.

import { z } from 'zod';
import { bytesToHex } from '../../core/hex';
import { appendAudit } from '../../store/audit';
import type { Database } from '../../store/database';
import { allQuarantine, listQuarantine, type QuarantineRow } from '../../store/imports';
import { listKeypairs } from '../../store/keypairs';
import { listAnchors } from '../../store/anchors';
import { listRelays } from '../../store/relays';
import { importEvents, type ImportItem, type ImportResult } from '../../relays/import';
import { createLocalVerifier, createVerifyPool, type GroupVerifier } from '../../relays/import-pool';
import { fetchFromRelays, type RelayFetchOutcome } from '../../relays/import-relays';
import { splitImportText } from '../../relays/import-split';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { readAuthFor, resolveAuthKey } from '../relay-auth';
import { applyRevocations } from './authority';

const op = defineOperation<OperationContext>();

/** From this many events on, verification fans out to worker threads (below it, starting them costs more). */
export const WORKER_THRESHOLD_EVENTS = 512;

export interface ImportRunResult extends ImportResult {
  relays?: RelayFetchOutcome[];
}

export interface QuarantineItemView {
  id: number;
  claimed_event_id: string | null;
  claimed_uuid: string | null;
  claimed_pubkey: string | null;
  source: string;
  reason: QuarantineRow['reason'];
  failed_check: string;
  failed_message: string;
  checks: unknown[];
  received_at: string;
  last_seen_at: string;
  times_seen: number;
  raw_text: string;
}

function quarantineView(row: QuarantineRow): QuarantineItemView {
  const { raw_sha256: _sha, checks_json, ...rest } = row;
  return { ...rest, checks: JSON.parse(checks_json) as unknown[] };
}

/** Text at least this long starts the worker threads before it is split (an event's JSON is rarely under 300 characters). */
const EARLY_POOL_CHARS = WORKER_THRESHOLD_EVENTS * 300;

async function verifierFor(events: number): Promise<GroupVerifier> {
  return events >= WORKER_THRESHOLD_EVENTS ? createVerifyPool() : createLocalVerifier();
}

/**
 * Runs the shared import path with progress, revocations and an audit entry. `started` is a verifier already started
 * for this run (closed here like one made here).
 */
async function runImport(ctx: OperationContext, operation: string, items: ImportItem[], details: Record<string, unknown>, started?: GroupVerifier): Promise<ImportResult> {
  const db = ctx.services.db();
  const run = bytesToHex(ctx.randomBytes(8));
  const verifier = started ?? (await verifierFor(items.length));
  try {
    return await importEvents(db, items, {
      now: ctx.now(),
      verifier,
      onProgress: (done, total) => ctx.emitProgress({ operation, run, done, total, message: 'Verifying' }),
      afterStore: (store: Database, now: string) => {
        applyRevocations(store, now);
      },
    }).then((result) => {
      appendAudit(db, { at: ctx.now().toISOString(), actor: 'local', action: operation, subject_type: 'import', subject_id: run, details: { ...details, ...result.counts } });
      return result;
    });
  } finally {
    await verifier.close();
  }
}

const hexOrNpub = z.string().min(1).max(200);

export const importOperations = {
  'import.text': op({
    name: 'import.text',
    summary: 'Import declarations from text (a bundle, an event, an array of events or JSON Lines): verified ones are stored, the rest quarantined.',
    input: z.strictObject({
      text: z.string().min(1, 'Nothing to import: the input is empty.'),
      source: z.string().min(1).max(1024).optional(),
    }),
    handler: async (input, ctx): Promise<ImportRunResult> => {
      ctx.services.requireInitialized();
      const source = input.source ?? 'text';
      // Big input: the worker threads boot on the other core while this one splits it (awaited first: the threads
      // are created in that call, and splitting never yields to let them be).
      const early = input.text.length >= EARLY_POOL_CHARS ? await createVerifyPool() : undefined;
      let items: ImportItem[];
      try {
        items = splitImportText(input.text).map((event) => ({ ...event, source, relay: null }));
      } catch (thrown) {
        await early?.close();
        throw thrown;
      }
      return runImport(ctx, 'import.text', items, { source, events: items.length }, early);
    },
  }),

  'import.relays': op({
    name: 'import.relays',
    summary:
      "Fetch kind-31106 events from relays (default: enabled read relays; authors default to this store's Nostr keys and pinned anchors) and import them. A relay that asks for NIP-42 AUTH is answered with the key configured for it, or auth_key for this run.",
    input: z.strictObject({
      relays: z.array(z.string().min(1).max(2048)).max(64).optional(),
      authors: z.array(hexOrNpub).max(1000).optional(),
      d: z.string().max(64).optional(),
      since: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
      /** Key id, npub or fingerprint of the Nostr key that answers NIP-42 AUTH in this run, instead of each relay's own. */
      auth_key: z.string().min(1).max(200).optional(),
    }),
    handler: async (input, ctx): Promise<ImportRunResult> => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const relays = input.relays ?? listRelays(db).filter((relay) => relay.enabled && relay.read).map((relay) => relay.url);
      const authors = input.authors ?? defaultAuthors(db);
      const override = input.auth_key === undefined ? undefined : resolveAuthKey(db, input.auth_key);
      const fetched = await fetchFromRelays(
        {
          relays,
          ...(authors.length > 0 ? { authors } : {}),
          ...(input.d !== undefined ? { d: input.d } : {}),
          ...(input.since !== undefined ? { since: input.since } : {}),
          ...(input.limit !== undefined ? { limit: input.limit } : {}),
        },
        { authFor: (relay) => readAuthFor(ctx, relay, override) },
      );
      const result = await runImport(ctx, 'import.relays', fetched.items, { relays: fetched.relays.map((r) => r.relay), events: fetched.items.length });
      return { ...result, relays: fetched.relays };
    },
  }),

  'import.quarantine': op({
    name: 'import.quarantine',
    summary: 'List quarantined events (refused by import), newest first, with the check that failed.',
    input: z.strictObject({
      uuid: z.string().max(128).optional(),
      cursor: z.string().max(500).nullable().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      const page = listQuarantine(ctx.services.db(), input);
      return { items: page.items.map(quarantineView), next_cursor: page.nextCursor };
    },
  }),

  'import.quarantineExport': op({
    name: 'import.quarantineExport',
    summary: 'Every quarantined event as JSON Lines: the raw text as received plus why it was refused.',
    input: z.strictObject({}),
    handler: (_input, ctx) => {
      ctx.services.requireInitialized();
      const rows = allQuarantine(ctx.services.db());
      const lines = rows.map((row) => JSON.stringify(quarantineView(row)));
      return { count: rows.length, jsonl: lines.length ? `${lines.join('\n')}\n` : '' };
    },
  }),
};

/** This store's Nostr public keys and pinned Nostr anchors: whose declarations an unfiltered relay import fetches
 *  (and live discovery follows). */
export function defaultAuthors(db: Database): string[] {
  const keys = listKeypairs(db, { algorithm: 'nostr' }).map((key) => key.public_key);
  const anchors = listAnchors(db).filter((anchor) => anchor.algorithm === 'nostr').map((anchor) => anchor.public_key);
  return [...new Set([...keys, ...anchors])];
}
