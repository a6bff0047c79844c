// Live discovery: a long-lived kind-31106 subscription per read relay, feeding the same import path as files and
// queries. Events arrive one by one; they are batched briefly, de-duplicated by id, imported, and each relay's cursor
// (newest created_at of an event that verified from it) is kept so a restart subscribes with `since`.

import type { Database } from 'better-sqlite3';
import { claimsOfText } from './import-split';
import { importEvents, type ImportItem, type ImportResult } from './import';
import { createLocalVerifier, type GroupVerifier } from './import-pool';
import { importFilter } from './import-relays';
import { subscribe, type LiveSubscription, type SubscriptionStatus } from './query';
import { advanceDiscoveryCursor, discoveryCursor } from '../store/imports';
import { prepared } from '../store/database';
import { normalizeRelayUrls } from './url';

export interface DiscoveryOptions {
  db: Database;
  relays: readonly string[];
  /** Hex or npub; none = any author. */
  authors?: readonly string[];
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
    for (const relay of this.relays) {
      const since = discoveryCursor(this.options.db, relay);
      const filter = importFilter({ authors: this.options.authors, ...(since !== undefined ? { since } : {}) });
      delete filter.limit; // live: no cap on what the relay may send
      this.subscriptions.push(
        subscribe(relay, [filter], (text) => this.receive(relay, text), {
          onStatus: (status) => this.options.onStatus?.(relay, status),
        }),
      );
    }
  }

  /** Closes every subscription and finishes the import in progress (events still batched are imported too). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions = [];
    this.flush();
    await this.chain;
    if (this.ownsVerifier) await this.verifier?.close();
    this.verifier = undefined;
  }

  /** Resolves once everything received so far is imported. */
  async idle(): Promise<void> {
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
