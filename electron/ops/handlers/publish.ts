// Publishing: queue a declaration's events for every chosen relay in the durable outbox, run one bounded round of
// sends, and report each relay's answer in its own words. Retrying sends wait in the outbox for `publish.retry`
// (`declsign publish --resume`, app start). A signed `declaration-revoke` also publishes a NIP-09 deletion request.

import { finalizeEvent } from 'nostr-tools/pure';
import { z } from 'zod';
import type { DeclarationContent, NostrEvent, UnsignedNostrEvent } from '../../core/declaration/types';
import { plainEvent } from '../../core/declaration/nostr-event';
import { DeclsignError } from '../../core/errors';
import { appendAudit } from '../../store/audit';
import { withTransaction, type Database } from '../../store/database';
import { listDeclarationEvents, type DeclarationEventRow } from '../../store/declaration-events';
import { getDeclaration, requireDeclaration, type DeclarationRow } from '../../store/declarations';
import type { KeypairRow } from '../../store/keypairs';
import {
  enqueueSends,
  getDeletionRequest,
  insertDeletionRequest,
  listDueSends,
  listSends,
  nextRetryAt,
  syncPublishState,
  type NewSend,
  type OutboxRow,
  type SendRole,
} from '../../store/outbox';
import { getRelay, listRelays, listWriteRelays, setRelayInfo } from '../../store/relays';
import { buildDeclarationDeletion } from '../../relays/nip09';
import { fetchRelayInfo, type RelayInfo } from '../../relays/nip11';
import { randomUnit, runOutboxRound, type AuthSigner } from '../../relays/outbox-runner';
import { declarationNaddr, declarationNevent } from '../../relays/pointers';
import { normalizeRelayUrls } from '../../relays/url';
import { defineOperation } from '../define';
import type { OperationContext } from '../context';
import { withSigningKey } from '../resolve';
import { cachedRelayInfo, relayInfoJson } from './relays';
import { signingNostrKeys } from '../nostr-keys';

const op = defineOperation<OperationContext>();

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID');

/** A round is bounded: a relay that never answers costs at most this (default), whatever it does. */
export const DEFAULT_PUBLISH_DEADLINE_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** NIP-11 documents older than this are fetched again before publishing. */
const RELAY_INFO_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const RELAY_INFO_FETCH_MS = 2_000;
/** NIP-09 `e` tags per deletion request, besides the `a` tag that covers every version. */
const MAX_DELETION_EVENT_TAGS = 20;

const deadline = z.number().int().min(500).max(600_000).optional();

// --- which events, which relays ---------------------------------------------------------------------------------------

/**
 * The events that make up a declaration on relays: the current primary/wrapper events (newest per slot, since a relay
 * keeps only the newest per (kind, pubkey, d) and an older one would only be refused or dropped) and every current
 * Nostr countersignature event.
 */
export function eventsToPublish(db: Database, declarationUuid: string): DeclarationEventRow[] {
  const newestBySlot = new Map<string, DeclarationEventRow>();
  for (const event of listDeclarationEvents(db, declarationUuid, { currentOnly: true })) {
    const held = newestBySlot.get(event.pubkey);
    if (!held || event.created_at > held.created_at || (event.created_at === held.created_at && event.event_id < held.event_id)) {
      newestBySlot.set(event.pubkey, event);
    }
  }
  return [...newestBySlot.values()];
}

function resolveRelays(ctx: OperationContext, requested: readonly string[] | undefined): string[] {
  if (requested && requested.length > 0) return normalizeRelayUrls(requested);
  const relays = listWriteRelays(ctx.services.db()).map((relay) => relay.url);
  if (relays.length === 0) {
    throw new DeclsignError(
      'nothing_to_publish',
      'No relay to publish to: add one with "declsign relays add wss://…" (or the Relays screen), or name one with --relay.',
    );
  }
  return relays;
}

function requirePublishable(row: DeclarationRow): string {
  if (row.status !== 'Signed' && row.status !== 'Published') {
    throw new DeclsignError('not_signed', `Declaration ${row.declaration_uuid} is ${row.status}; only a signed declaration can be published.`);
  }
  if (row.nostr_event === null || row.nostr_event_id === null) {
    throw new DeclsignError('nothing_to_publish', `Declaration ${row.declaration_uuid} has no Nostr event yet (wrap it first).`);
  }
  return row.nostr_event_id;
}

// --- keys -------------------------------------------------------------------------------------------------------------

/** Nostr keys we can sign with, by pubkey, and the default one (electron/ops/nostr-keys.ts has the rule). */
function nostrKeysByPubkey(ctx: OperationContext): { byPubkey: Map<string, KeypairRow>; fallback: KeypairRow | undefined } {
  const keys = signingNostrKeys(ctx);
  return { byPubkey: new Map(keys.map((key) => [key.public_key, key])), fallback: keys[0] };
}

/** Signs any Nostr template with a stored key; the private key is zeroed as soon as the event is made. */
export function signWithStoredKey(ctx: OperationContext, keypairUuid: string, template: UnsignedNostrEvent): Promise<NostrEvent> {
  return withSigningKey(ctx, keypairUuid, (key) => plainEvent(finalizeEvent(template, key.privateKey) as NostrEvent));
}

/** NIP-42 AUTH: the key that authored the event when we hold it, else the default Nostr key. Decrypted only if asked. */
function authSigners(ctx: OperationContext): (authorPubkey: string) => AuthSigner | undefined {
  const { byPubkey, fallback } = nostrKeysByPubkey(ctx);
  return (authorPubkey) => {
    const key = byPubkey.get(authorPubkey) ?? fallback;
    return key && { key: key.keypair_uuid, sign: (template) => signWithStoredKey(ctx, key.keypair_uuid, template) };
  };
}

// --- revocations: NIP-09 deletion requests --------------------------------------------------------------------------

/**
 * For a signed `declaration-revoke`: kind-5 deletion requests for the target's events. NIP-09 lets a deletion remove
 * only its own author's events, so one is made per pubkey that carries the target (primary or wrapper) and whose key
 * this store holds, signed by that key. A target we do not hold, or signed by keys we do not hold, gets none: relays
 * would ignore it, and the signed revocation remains the source of truth either way.
 */
async function deletionRequests(ctx: OperationContext, row: DeclarationRow): Promise<{ events: Array<{ event_id: string }>; skipped: string | null }> {
  if (row.declaration_type !== 'declaration-revoke') return { events: [], skipped: null };
  const db = ctx.services.db();
  const targetUuid = (JSON.parse(row.content_json) as DeclarationContent).content.target_declaration_uuid;
  if (typeof targetUuid !== 'string' || !getDeclaration(db, targetUuid)) {
    return { events: [], skipped: 'the revoked declaration is not in this store, so its authors are unknown' };
  }
  const carriers = listDeclarationEvents(db, targetUuid).filter((event) => event.role === 'primary' || event.role === 'wrapper');
  const { byPubkey } = nostrKeysByPubkey(ctx);
  const reason = (JSON.parse(row.content_json) as DeclarationContent).content.reason;
  const made: Array<{ event_id: string }> = [];
  for (const pubkey of new Set(carriers.map((event) => event.pubkey))) {
    const key = byPubkey.get(pubkey);
    if (!key) continue;
    const existing = getDeletionRequest(db, row.declaration_uuid, targetUuid, pubkey);
    if (existing) {
      made.push(existing);
      continue;
    }
    const versions = carriers.filter((event) => event.pubkey === pubkey).map((event) => event.event_id).slice(-MAX_DELETION_EVENT_TAGS);
    const template = buildDeclarationDeletion({
      authorPubkey: pubkey,
      declarationUuid: targetUuid,
      createdAt: Math.floor(ctx.now().getTime() / 1000),
      eventIds: versions,
      ...(typeof reason === 'string' ? { reason } : {}),
    });
    const signed = await signWithStoredKey(ctx, key.keypair_uuid, template);
    made.push(insertDeletionRequest(db, { declaration_uuid: row.declaration_uuid, target_uuid: targetUuid, event_json: JSON.stringify(signed) }, ctx.now().toISOString()));
  }
  return made.length > 0
    ? { events: made, skipped: null }
    : { events: [], skipped: 'the revoked declaration was published by keys this store does not hold; only its author can ask relays to delete it' };
}

// --- NIP-11 -----------------------------------------------------------------------------------------------------------

/** Limits to check before sending: the cached document, refreshed when missing or old. A relay without one has none. */
async function relayLimits(ctx: OperationContext, relays: readonly string[], deadlineMs: number): Promise<Map<string, RelayInfo>> {
  const db = ctx.services.db();
  const infos = new Map<string, RelayInfo>();
  await Promise.all(
    relays.map(async (url) => {
      const row = getRelay(db, url);
      const cached = cachedRelayInfo(row);
      const fresh = cached && ctx.now().getTime() - Date.parse(row!.nip11_fetched_at!) < RELAY_INFO_MAX_AGE_MS;
      if (cached && fresh) {
        infos.set(url, cached);
        return;
      }
      try {
        const info = await fetchRelayInfo(url, { timeoutMs: Math.min(RELAY_INFO_FETCH_MS, Math.floor(deadlineMs / 4)) });
        infos.set(url, info);
        if (row) setRelayInfo(db, url, relayInfoJson(info), ctx.now().toISOString());
      } catch {
        // Many relays publish no document; an old cached one is still better than none.
        if (cached) infos.set(url, cached);
      }
    }),
  );
  return infos;
}

// --- views ------------------------------------------------------------------------------------------------------------

export interface SendView {
  relay: string;
  event_id: string;
  role: SendRole;
  state: OutboxRow['state'];
  /** The relay's own words, or what went wrong on the way. */
  reason: string | null;
  prefix: string | null;
  attempts: number;
  next_attempt_at: string | null;
  first_sent_at: string | null;
  published_at: string | null;
}

function sendView(row: OutboxRow): SendView {
  return {
    relay: row.relay_url,
    event_id: row.event_id,
    role: row.role,
    state: row.state,
    reason: row.last_message,
    prefix: row.last_prefix,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    first_sent_at: row.first_sent_at,
    published_at: row.published_at,
  };
}

/** A declaration's publication: derived status, every send, and share links with relay hints. */
export function publicationView(ctx: OperationContext, declarationUuid: string) {
  const db = ctx.services.db();
  const row = requireDeclaration(db, declarationUuid);
  const sends = listSends(db, declarationUuid).map(sendView);
  const publishedTo = JSON.parse(row.nostr_published_to_relays) as string[];
  let links: { naddr: string; nevent: string } | null = null;
  if (row.nostr_event !== null && row.nostr_event_id !== null) {
    const author = (JSON.parse(row.nostr_event) as NostrEvent).pubkey;
    const hints = publishedTo.length > 0 ? publishedTo : [...new Set(sends.map((send) => send.relay))];
    links = {
      naddr: declarationNaddr({ authorPubkey: author, declarationUuid, relays: hints }),
      nevent: declarationNevent({ eventId: row.nostr_event_id, authorPubkey: author, relays: hints }),
    };
  }
  return {
    uuid: declarationUuid,
    declaration_type: row.declaration_type,
    status: row.status,
    publish_status: row.nostr_publish_status,
    published_at: row.nostr_published_at,
    published_to: publishedTo,
    event_id: row.nostr_event_id,
    sends,
    links,
  };
}

export type PublicationView = ReturnType<typeof publicationView>;

export interface PublishRunResult {
  run: string;
  /** Sends attempted in this round. */
  attempted: number;
  /** What this round's sends came to. */
  round: { published: number; retrying: number; failed: number };
  /** Every send of these declarations, this round's and earlier ones. */
  summary: { published: number; retrying: number; failed: number; pending: number };
  /** True when every declaration's current event is on at least one relay (the CLI's exit 0). */
  ok: boolean;
  declarations: PublicationView[];
  /** Why a revocation got no NIP-09 deletion request, per revocation uuid. */
  deletion_notes: Record<string, string>;
  next_retry_at: string | null;
}

// --- the round --------------------------------------------------------------------------------------------------------

async function runRound(
  ctx: OperationContext,
  operation: string,
  sends: OutboxRow[],
  declarationUuids: readonly string[],
  deadlineMs: number,
  deletionNotes: Record<string, string> = {},
): Promise<PublishRunResult> {
  const run = Buffer.from(ctx.randomBytes(8)).toString('hex');
  const db = ctx.services.db();
  const relays = [...new Set(sends.map((send) => send.relay_url))];
  ctx.emitProgress({ operation, run, done: 0, total: sends.length, message: `Publishing to ${relays.length} relay(s)` });
  const started = Date.now();
  const relayInfo = sends.length > 0 ? await relayLimits(ctx, relays, deadlineMs) : new Map<string, RelayInfo>();
  const round = await runOutboxRound({
    db,
    sends,
    deadlineMs: Math.max(500, deadlineMs - (Date.now() - started)),
    connectTimeoutMs: Math.min(CONNECT_TIMEOUT_MS, deadlineMs),
    now: () => ctx.now(),
    random: randomUnit(ctx.randomBytes),
    authSignerFor: authSigners(ctx),
    relayInfo,
    onRecorded: (row, result, done, total) =>
      ctx.emitProgress({
        operation,
        run,
        done,
        total,
        message: `${row.relay_url}: ${result.state}`,
        detail: { uuid: row.declaration_uuid, event_id: row.event_id, relay: row.relay_url, state: result.state, reason: result.message },
      }),
  });
  const declarations = declarationUuids.map((uuid) => publicationView(ctx, uuid));
  const summary = { published: 0, retrying: 0, failed: 0, pending: 0 };
  for (const view of declarations) for (const send of view.sends) summary[send.state] += 1;
  return {
    run,
    attempted: sends.length,
    round: { published: round.published, retrying: round.retrying, failed: round.failed },
    summary,
    ok: declarations.every((view) => view.publish_status === 'published'),
    declarations,
    deletion_notes: deletionNotes,
    next_retry_at: nextRetryAt(db),
  };
}

export const publishOperations = {
  'publish.start': op({
    name: 'publish.start',
    summary: "Publish declarations to relays (default: the enabled write relays); one bounded round, each relay's answer reported.",
    input: z
      .strictObject({
        uuid: uuid.optional(),
        uuids: z.array(uuid).min(1).max(10_000).optional(),
        relays: z.array(z.string().max(4096)).max(50).optional(),
        deadline_ms: deadline,
      })
      .refine((input) => (input.uuid === undefined) !== (input.uuids === undefined), { message: 'give uuid or uuids (one of them)' }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const uuids = [...new Set(input.uuids ?? [input.uuid!])];
      const relays = resolveRelays(ctx, input.relays);
      const rows = uuids.map((id) => requireDeclaration(db, id));
      rows.forEach(requirePublishable);

      const deletionNotes: Record<string, string> = {};
      const sends: NewSend[] = [];
      for (const row of rows) {
        const events: Array<{ event_id: string; role: SendRole }> = eventsToPublish(db, row.declaration_uuid);
        const deletions = await deletionRequests(ctx, row);
        if (deletions.skipped) deletionNotes[row.declaration_uuid] = deletions.skipped;
        events.push(...deletions.events.map((event) => ({ event_id: event.event_id, role: 'deletion' as const })));
        for (const event of events) {
          for (const relay of relays) sends.push({ declaration_uuid: row.declaration_uuid, event_id: event.event_id, role: event.role, relay_url: relay });
        }
      }

      // Written before anything is sent: from here on a crash cannot lose a send.
      const stamp = ctx.now().toISOString();
      withTransaction(db, () => {
        const queued = enqueueSends(db, sends, stamp);
        for (const row of rows) syncPublishState(db, row.declaration_uuid, stamp);
        appendAudit(db, {
          at: stamp,
          actor: 'local',
          action: 'declaration.publish',
          subject_type: 'declaration',
          subject_id: uuids.length === 1 ? uuids[0]! : null,
          details: { declarations: uuids.length, relays, queued: queued.queued, requeued: queued.requeued, already_published: queued.alreadyPublished },
        });
      });

      const due = listDueSends(db, { now: stamp, declarationUuids: uuids, relays, ignoreBackoff: true });
      return runRound(ctx, 'publish.start', due, uuids, input.deadline_ms ?? DEFAULT_PUBLISH_DEADLINE_MS, deletionNotes);
    },
  }),

  'publish.status': op({
    name: 'publish.status',
    summary: 'Where a declaration is published: status per relay and event with the relay’s reason, and naddr/nevent share links.',
    input: z.strictObject({ uuid }),
    handler: (input, ctx) => {
      ctx.services.requireInitialized();
      return { ...publicationView(ctx, input.uuid), next_retry_at: nextRetryAt(ctx.services.db()) };
    },
  }),

  'publish.retry': op({
    name: 'publish.retry',
    summary: 'Resume the outbox: with uuid, every unfinished send of that declaration now; without, every pending and due retrying send.',
    input: z.strictObject({ uuid: uuid.optional(), deadline_ms: deadline }),
    handler: async (input, ctx) => {
      ctx.services.requireInitialized();
      const db = ctx.services.db();
      const now = ctx.now().toISOString();
      let due: OutboxRow[];
      if (input.uuid !== undefined) {
        requirePublishable(requireDeclaration(db, input.uuid));
        due = listDueSends(db, { now, declarationUuids: [input.uuid], ignoreBackoff: true });
      } else {
        // A relay the administrator disabled is not written to until enabled again; its sends wait.
        const disabled = new Set(listRelays(db).filter((relay) => !relay.enabled).map((relay) => relay.url));
        due = listDueSends(db, { now }).filter((send) => !disabled.has(send.relay_url));
      }
      const uuids = input.uuid !== undefined ? [input.uuid] : [...new Set(due.map((send) => send.declaration_uuid))];
      return runRound(ctx, 'publish.retry', due, uuids, input.deadline_ms ?? DEFAULT_PUBLISH_DEADLINE_MS);
    },
  }),
};
