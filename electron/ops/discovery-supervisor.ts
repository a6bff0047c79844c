// Live discovery while a shell runs: one DiscoveryService per followed relay (enabled, read and subscribed), kept in
// step with the store by sync(). It lives next to the operations, not in relays/, because it is glue between the
// operation context (store session, clock, progress sink) and the relay layer, the way a handler is: it reads the
// relay list and the default authors, applies revocations and writes the audit log like import.relays does.
//
// It never throws into the shell: what goes wrong is kept per relay (or as the supervisor's own problem) and shown by
// discovery.status.

import type { Database } from 'better-sqlite3';
import { DeclsignError } from '../core/errors';
import { bytesToHex } from '../core/hex';
import { DiscoveryService } from '../relays/import-discovery';
import type { ImportCounts, ImportResult } from '../relays/import';
import type { SubscriptionStatus } from '../relays/query';
import { normalizeRelayUrls } from '../relays/url';
import { appendAudit } from '../store/audit';
import { discoveryCursor } from '../store/imports';
import { getRelay, listFollowedRelays } from '../store/relays';
import type { OperationContext } from './context';
import type { StoreSession } from './session';
import { applyRevocations } from './handlers/authority';
import { defaultAuthors } from './handlers/import';
import { readAuthFor } from './relay-auth';

/** What a followed relay's subscription is doing, from the SubscriptionStatus it last reported. */
export type DiscoveryState =
  /** Started; no connection yet. */
  | 'connecting'
  /** Connected and subscribed; the relay has not confirmed the subscription (EOSE) yet. */
  | 'open'
  /** Past EOSE: new events arrive as they are published. */
  | 'live'
  /** The connection failed or dropped (or the relay closed the subscription); a retry is scheduled. */
  | 'error'
  /** Stopped for good. */
  | 'closed';

export interface DiscoveryCounts {
  /** Import batches run. */
  batches: number;
  /** Declarations that verified (new, updated or already held). */
  verified: number;
  quarantined: number;
  duplicates: number;
}

export interface DiscoveryRelayStatus {
  relay: string;
  state: DiscoveryState;
  /** When the relay entered this state (RFC 3339 UTC). */
  since: string;
  /** When this subscription was started. */
  started_at: string;
  /** The last connection or import failure; kept after a recovery so it can still be read. */
  last_error: string | null;
  /** In `error`: how long until the next attempt, as scheduled. */
  retry_in_ms: number | null;
  /** Newest created_at imported from this relay (a catch-up starts from it, less a margin); null before the first. */
  cursor: number | null;
  /** Since this subscription started. */
  counts: DiscoveryCounts;
}

export interface DiscoveryStatusView {
  running: boolean;
  /** Whose declarations are followed; empty = any author (as import.relays). */
  authors: string[];
  /** Reading the store failed at the last sync; the subscriptions already running are kept. */
  problem: string | null;
  relays: DiscoveryRelayStatus[];
}

/** One import batch from one relay, as the CLI's `watch` prints it and the progress hub announces it. */
export interface DiscoveryBatch {
  relay: string;
  at: string;
  counts: ImportCounts;
  declarations: { declaration_uuid: string | null; status: ImportResult['declarations'][number]['status'] }[];
}

export interface DiscoverySupervisorOptions {
  /** Follow exactly these relays instead of the store's subscribed ones (`declsign watch --relay`). */
  relays?: readonly string[];
  /** How long arriving events are collected before one import (DiscoveryService default when absent). */
  batchMs?: number;
  /** Re-reads the relay list this often, for changes made elsewhere (the CLI on the same store). 0 = never. */
  resyncMs?: number;
  onBatch?: (batch: DiscoveryBatch) => void;
  /** A followed relay changed state (the CLI's `watch` tells the person at the terminal). */
  onState?: (status: Readonly<Omit<DiscoveryRelayStatus, 'cursor'>>) => void;
}

/** Operations after whose success the followed relays or the author set may differ: the shells sync after them. */
export const DISCOVERY_INPUT_OPERATIONS: ReadonlySet<string> = new Set([
  'relays.add',
  'relays.update',
  'relays.remove',
  'keys.generate',
  'keys.import',
  'keys.delete',
  'anchors.add',
  'anchors.remove',
]);

/** The CLI can change the relay list of the store the app has open; a cheap table read catches that. */
export const DISCOVERY_RESYNC_MS = 30_000;

interface Follower {
  relay: string;
  authorsKey: string;
  /** The relay's AUTH key when started (null: none). */
  authKey: string | null;
  service: DiscoveryService | undefined;
  status: Omit<DiscoveryRelayStatus, 'cursor'>;
  /** Declarations whose revocation or supersession the last batch changed (set by its after-store step). */
  chainChanged?: string[];
}

/** At most this many uuids are named in one announcement; a list refreshes those rows (more: it reloads anyway). */
const REFRESH_UUIDS_LIMIT = 500;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class DiscoverySupervisor {
  private readonly ctx: OperationContext;
  private readonly options: DiscoverySupervisorOptions;
  private readonly followers = new Map<string, Follower>();
  /** Services being stopped (their batch in progress still finishing). */
  private readonly retiring = new Set<Promise<void>>();
  private running = false;
  private authors: string[] = [];
  private problem: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(ctx: OperationContext, options: DiscoverySupervisorOptions = {}) {
    this.ctx = ctx;
    this.options = options;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.followers.clear(); // what the last run left for status()
    const resyncMs = this.options.resyncMs ?? DISCOVERY_RESYNC_MS;
    if (resyncMs > 0) {
      this.timer = setInterval(() => this.sync(), resyncMs);
      this.timer.unref?.();
    }
    this.sync();
  }

  /**
   * Reconciles the running subscriptions with the store: starts the newly followed relays, stops the ones no longer
   * followed, and restarts all when the author set changed. Synchronous; stopping finishes in the background.
   */
  sync(): void {
    if (!this.running) return;
    let wanted: Map<string, string | null>;
    let authors: string[];
    try {
      ({ relays: wanted, authors } = this.desired());
      this.problem = null;
    } catch (error) {
      this.problem = message(error);
      return;
    }
    const authorsKey = authors.join(',');
    this.authors = authors;
    for (const [relay, follower] of this.followers) {
      if (wanted.get(relay) !== follower.authKey || follower.authorsKey !== authorsKey) {
        this.followers.delete(relay);
        this.retire(follower);
      }
    }
    for (const [relay, authKey] of wanted) if (!this.followers.has(relay)) this.followers.set(relay, this.follow(relay, authors, authorsKey, authKey));
  }

  status(): DiscoveryStatusView {
    // Followers exist only for an initialised store, so opening it here creates nothing.
    const db = this.followers.size > 0 ? this.ctx.services.db() : undefined;
    return {
      running: this.running,
      authors: [...this.authors],
      problem: this.problem,
      relays: [...this.followers.values()].map((follower) => ({
        ...follower.status,
        counts: { ...follower.status.counts },
        cursor: (db && discoveryCursor(db, follower.relay)) ?? null,
      })),
    };
  }

  /** Resolves once everything received so far is imported, by running and by stopping services alike. */
  async idle(): Promise<void> {
    await Promise.all([...[...this.followers.values()].map((follower) => follower.service?.idle()), ...this.retiring]);
  }

  /**
   * Closes every subscription and waits for the batches in progress to be imported. The relays stay in status(),
   * closed, with their final counts (what `watch` reports when it ends).
   */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const follower of this.followers.values()) this.retire(follower);
    await Promise.all([...this.retiring]);
  }

  /** The relays to follow, each with the key that answers its NIP-42 AUTH (a listed relay's own; null: none). */
  private desired(): { relays: Map<string, string | null>; authors: string[] } {
    const { services } = this.ctx;
    // A store that is not created yet has nothing to follow (and isInitialized does not create the file).
    if (!services.isInitialized()) return { relays: new Map(), authors: [] };
    const db = services.db();
    const relays = this.options.relays
      ? new Map(normalizeRelayUrls(this.options.relays).map((url) => [url, getRelay(db, url)?.auth_keypair_uuid ?? null]))
      : new Map(listFollowedRelays(db).map((relay) => [relay.url, relay.auth_keypair_uuid]));
    return { relays, authors: defaultAuthors(db).sort() };
  }

  private follow(relay: string, authors: string[], authorsKey: string, authKey: string | null): Follower {
    const stamp = this.ctx.now().toISOString();
    const follower: Follower = {
      relay,
      authorsKey,
      authKey,
      service: undefined,
      status: {
        relay,
        state: 'connecting',
        since: stamp,
        started_at: stamp,
        last_error: null,
        retry_in_ms: null,
        counts: { batches: 0, verified: 0, quarantined: 0, duplicates: 0 },
      },
    };
    try {
      follower.service = new DiscoveryService({
        db: this.ctx.services.db(),
        relays: [relay],
        ...(authors.length > 0 ? { authors } : {}),
        // The relay's own AUTH key; sync() restarts the follower when the administrator changes it.
        authFor: (url) => readAuthFor(this.ctx, url, authKey ?? undefined),
        now: () => this.ctx.now(),
        ...(this.options.batchMs !== undefined ? { batchMs: this.options.batchMs } : {}),
        afterStore: (db: Database, now: string) => {
          follower.chainChanged = applyRevocations(db, now).changed;
        },
        onImported: (result) => this.imported(follower, result),
        onStatus: (_relay, status) => this.reported(follower, status),
        onError: (error) => {
          follower.status.last_error = `import failed: ${error.message}`;
        },
      });
      follower.service.start();
    } catch (error) {
      follower.status.last_error = message(error);
      this.enter(follower, 'error');
    }
    return follower;
  }

  private retire(follower: Follower): void {
    const service = follower.service;
    follower.service = undefined;
    if (!service) return;
    const done = service
      .stop()
      .catch((error: unknown) => {
        follower.status.last_error = `stopping failed: ${message(error)}`;
      })
      .finally(() => {
        this.enter(follower, 'closed');
        this.retiring.delete(done);
      });
    this.retiring.add(done);
  }

  private enter(follower: Follower, state: DiscoveryState): void {
    if (follower.status.state === state) return;
    follower.status.since = this.ctx.now().toISOString();
    follower.status.state = state;
    this.options.onState?.(follower.status);
  }

  private reported(follower: Follower, status: SubscriptionStatus): void {
    switch (status.state) {
      case 'connected':
        this.enter(follower, 'open');
        follower.status.retry_in_ms = null;
        break;
      case 'live':
        this.enter(follower, 'live');
        break;
      case 'disconnected':
        follower.status.last_error = status.reason;
        follower.status.retry_in_ms = status.retryInMs;
        this.enter(follower, 'error');
        break;
      case 'stopped':
        this.enter(follower, 'closed');
        follower.status.retry_in_ms = null;
        break;
    }
  }

  private imported(follower: Follower, result: ImportResult): void {
    const { counts } = follower.status;
    counts.batches += 1;
    counts.verified += result.counts.verified;
    counts.quarantined += result.counts.quarantined;
    counts.duplicates += result.counts.duplicates;
    const at = this.ctx.now().toISOString();
    const batch: DiscoveryBatch = {
      relay: follower.relay,
      at,
      counts: result.counts,
      declarations: result.declarations.map((d) => ({ declaration_uuid: d.declaration_uuid, status: d.status })),
    };
    const changed = result.declarations.filter((d) => d.status !== 'unchanged').length;
    // Rows a list may already show that this batch changed: updated ones, and those it revoked or superseded.
    const refresh = [
      ...new Set([...result.declarations.filter((d) => d.status === 'updated' && d.declaration_uuid !== null).map((d) => d.declaration_uuid!), ...(follower.chainChanged ?? [])]),
    ].slice(0, REFRESH_UUIDS_LIMIT);
    follower.chainChanged = undefined;
    try {
      // Repeats after a reconnect change nothing: no audit entry, no announcement. Anything stored or refused gets
      // both; the window refreshes its lists on the announcement.
      if (changed > 0) {
        appendAudit(this.ctx.services.db(), {
          at,
          actor: 'local',
          action: 'discovery.import',
          subject_type: 'import',
          subject_id: follower.relay,
          details: { relay: follower.relay, ...result.counts },
        });
        this.ctx.emitProgress({
          operation: 'discovery.import',
          run: bytesToHex(this.ctx.randomBytes(8)),
          done: 1,
          total: 1,
          message: `${follower.relay}: ${result.counts.verified} verified, ${result.counts.quarantined} quarantined`,
          detail: { relay: follower.relay, changed, refresh_uuids: refresh, ...result.counts },
        });
      }
      this.options.onBatch?.(batch);
    } catch (error) {
      follower.status.last_error = `after import: ${message(error)}`;
    }
  }
}

const supervisors = new WeakMap<StoreSession, DiscoverySupervisor>();

/** The supervisor of a store session: one per process in the shells (one session each), one per command in the CLI. */
export function createDiscoverySupervisor(ctx: OperationContext, options: DiscoverySupervisorOptions = {}): DiscoverySupervisor {
  if (supervisors.has(ctx.services)) throw new DeclsignError('internal_error', 'This store session already has a discovery supervisor.');
  const supervisor = new DiscoverySupervisor(ctx, options);
  supervisors.set(ctx.services, supervisor);
  return supervisor;
}

/** What discovery.status reads; undefined where no shell started discovery (a plain CLI command). */
export function discoverySupervisorOf(services: StoreSession): DiscoverySupervisor | undefined {
  return supervisors.get(services);
}
