// Live discovery: a long-lived kind-31106 subscription per read relay, feeding the same import path as files and
// queries. Events arrive one by one; they are batched briefly, de-duplicated by id, imported, and each relay's cursor
// (newest created_at of an event that verified from it) is kept.
//
// Relays apply a filter's `since` to live events too, and a declaration may reach a relay long after its created_at
// (signed offline, published later). So the live subscription carries no `since`: it asks for new events only
// (`limit: 0`), whatever their created_at. What was stored while we were not connected is fetched separately, on
// every (re)connection, by the paginated import query from the cursor less CATCH_UP_MARGIN_S — so a relay's default
// result limit cannot truncate it either. An event older than that margin that reached the relay while we were away is
// the one thing left to a full `declsign import --relay`.

import type { Database } from 'better-sqlite3';
import { claimsOfText } from './import-split';
import { importEvents, type ImportItem, type ImportResult } from './import';
import { createLocalVerifier, type GroupVerifier } from './import-pool';
import { fetchFromRelays, importFilter } from './import-relays';
import { subscribe, type LiveSubscription, type ReadAuth, type SubscriptionStatus } from './query';
import { advanceDiscoveryCursor, discoveryCursor } from '../store/imports';
import { prepared } from '../store/database';
import { normalizeRelayUrls } from './url';

export interface DiscoveryOptions {
  db: Database;
  relays: readonly string[];
  /** Hex or npub; none = any author. */
  authors?: readonly string[];
  /** How to answer a relay that asks for NIP-42 AUTH, live and in catch-ups; none = its reason is reported. */
  authFor?: (relay: string) => ReadAuth | undefined;
  now?: () => Date;
  /** Default: verification on the calling thread (live events come a few at a time). */
  verifier?: GroupVerifier;
  /** How long arriving events are collected before one import (default 250 ms). */
  batchMs?: number;
  /** Runs inside the storing transaction of every import (e.g. applying revocations). */
  afterStore?: (db: Database, now: string) => void;
  onImported?: (result: ImportResult) => void;
  onStatus?: (relay: string, status: SubscriptionStatus) => void;
  onError?: (error: Error) => void;
}

/** Ids remembered to drop repeats before they reach the importer; the store catches anything older. */
const SEEN_IDS_LIMIT = 100_000;
/** How far before the cursor a catch-up starts: events published late with an older created_at within it are found. */
export const CATCH_UP_MARGIN_S = 7 * 24 * 3600;

export class DiscoveryService {
  private readonly options: DiscoveryOptions;
  private readonly relays: string[];
  private subscriptions: LiveSubscription[] = [];
  private pending: ImportItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly seen = new Set<string>();
  private verifier: GroupVerifier | undefined;
  private ownsVerifier = false;
  private running = false;
  /** Per relay: the catch-up in flight, and whether another must follow it (a reconnection while it ran). */
  private readonly catchUps = new Map<string, { running: Promise<void>; again: boolean }>();

  constructor(options: DiscoveryOptions) {
    this.options = options;
    this.relays = normalizeRelayUrls(options.relays);
    importFilter({ authors: options.authors }); // validates the authors now, not on the first event
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const live = { ...importFilter({ authors: this.options.authors }), limit: 0 };
    for (const relay of this.relays) {
      const auth = this.options.authFor?.(relay);
      this.subscriptions.push(
        subscribe(relay, [live], (text) => this.receive(relay, text), {
          ...(auth ? { auth } : {}),
          onStatus: (status) => {
            if (status.state === 'connected') this.catchUp(relay);
            this.options.onStatus?.(relay, status);
          },
        }),
      );
    }
  }

  /** Fetches what the relay stored since the cursor (less the margin) into the same batches as live events. */
  private catchUp(relay: string): void {
    const inFlight = this.catchUps.get(relay);
    if (inFlight !== undefined) {
      inFlight.again = true;
      return;
    }
    const cursor = discoveryCursor(this.options.db, relay);
    const since = cursor === undefined ? undefined : Math.max(0, cursor - CATCH_UP_MARGIN_S);
    const entry = { again: false, running: Promise.resolve() };
    entry.running = fetchFromRelays(
      { relays: [relay], ...(this.options.authors ? { authors: this.options.authors } : {}), ...(since !== undefined ? { since } : {}) },
      this.options.authFor ? { authFor: this.options.authFor } : {},
    )
      .then(({ items }) => {
        if (this.running) for (const item of items) this.receive(relay, item.text);
      })
      .catch((error: unknown) => this.options.onError?.(error as Error))
      .finally(() => {
        this.catchUps.delete(relay);
        if (entry.again && this.running) this.catchUp(relay);
      });
    this.catchUps.set(relay, entry);
  }

  /** Closes every subscription and finishes the import in progress (events still batched are imported too). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions = [];
    await Promise.all([...this.catchUps.values()].map((catchUp) => catchUp.running));
    this.flush();
    await this.chain;
    if (this.ownsVerifier) await this.verifier?.close();
    this.verifier = undefined;
  }

  /** Resolves once everything received so far, and every catch-up in flight, is imported. */
  async idle(): Promise<void> {
    while (this.catchUps.size > 0) await Promise.all([...this.catchUps.values()].map((catchUp) => catchUp.running));
    this.flush();
    await this.chain;
  }

  private receive(relay: string, text: string): void {
    const claims = claimsOfText(text);
    if (claims.claimedId !== null) {
      if (this.seen.has(claims.claimedId)) return;
      if (this.seen.size >= SEEN_IDS_LIMIT) this.seen.clear();
      this.seen.add(claims.claimedId);
    }
    this.pending.push({ text, ...claims, source: `relay:${relay}`, relay });
    this.timer ??= setTimeout(() => this.flush(), this.options.batchMs ?? 250);
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(() => this.importBatch(batch)).catch((error: unknown) => this.options.onError?.(error as Error));
  }

  private async importBatch(batch: ImportItem[]): Promise<void> {
    const { db } = this.options;
    if (this.verifier === undefined) {
      this.ownsVerifier = this.options.verifier === undefined;
      this.verifier = this.options.verifier ?? (await createLocalVerifier());
    }
    const now = (this.options.now ?? (() => new Date()))();
    const result = await importEvents(db, batch, { now, verifier: this.verifier, ...(this.options.afterStore ? { afterStore: this.options.afterStore } : {}) });
    // Cursors move only on events that verified and are stored: a relay cannot push us past events with a forged date.
    const stored = prepared<{ created_at: number }>(db, 'SELECT created_at FROM declaration_events WHERE event_id = ? AND event_json = ?');
    const newest = new Map<string, number>();
    for (const item of batch) {
      const row = item.claimedId ? stored.get(item.claimedId, item.text) : undefined;
      if (row !== undefined && item.relay !== null) newest.set(item.relay, Math.max(newest.get(item.relay) ?? 0, row.created_at));
    }
    for (const [relay, createdAt] of newest) advanceDiscoveryCursor(db, relay, createdAt, now.toISOString());
    this.options.onImported?.(result);
  }
}
